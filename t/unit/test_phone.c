/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_phone.cpp (libphonenumber wrapper).
 *
 *   make -C t/unit build/test_phone && t/unit/build/test_phone
 *
 * The expected E.164 values of the per-region cases are libphonenumber's own
 * example numbers (PhoneNumberUtil::GetExampleNumberForType, FIXED_LINE and
 * MOBILE, metadata 8.12), written in their NATIONAL and INTERNATIONAL
 * formats as the library formats them, so each one is known to be valid.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
/*
 * t/unit/Makefile links this test with the C++ compiler (levers_phone.o
 * needs libstdc++), which also compiles it as C++; cmocka.h has no
 * extern "C" guard of its own.
 */
#ifdef __cplusplus
extern "C" {
#endif
#include <cmocka.h>
#ifdef __cplusplus
}
#endif

#include "levers_phone.h"


typedef struct {
    const char  *region;
    const char  *input;
    const char  *e164;
} phone_case_t;


/* input given with its length, so it may hold NUL bytes */
#define STR(s)  s, sizeof(s) - 1


static void
expect_ok(const char *in, size_t len, const char *region, const char *e164)
{
    char    out[LEVERS_E164_MAX];
    size_t  out_len;
    int     rc;

    out[0] = '\0';
    out_len = 0;

    rc = levers_phone_to_e164(in, len, region, out, &out_len);

    if (rc != LEVERS_PHONE_OK || strcmp(out, e164) != 0) {
        print_error("input \"%.*s\" region %s: rc %d (%s)\n", (int) len, in,
                    region ? region : "NULL", rc, levers_phone_reason(rc));
    }

    assert_int_equal(rc, LEVERS_PHONE_OK);
    assert_string_equal(out, e164);
    assert_int_equal(out_len, strlen(e164));
}


static void
expect_rc(const char *in, size_t len, const char *region, int expected)
{
    char    out[LEVERS_E164_MAX];
    size_t  out_len;
    int     rc;

    out[0] = '\0';
    out_len = 0;

    rc = levers_phone_to_e164(in, len, region, out, &out_len);

    if (rc != expected) {
        print_error("input \"%.*s\" region %s: rc %d (%s), expected %d\n",
                    (int) len, in, region ? region : "NULL", rc,
                    levers_phone_reason(rc), expected);
    }

    assert_int_equal(rc, expected);
    assert_int_equal(out_len, 0);
}


static void
expect_cases(const phone_case_t *cases, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        expect_ok(cases[i].input, strlen(cases[i].input), cases[i].region,
                  cases[i].e164);
    }
}


/* the examples the brief names */

static void
test_brief_examples(void **state)
{
    (void) state;

    expect_ok(STR("0500000001"), "SA", "+966500000001");
    expect_ok(STR("+1 (415) 555-2671"), NULL, "+14155552671");
    expect_ok(STR("00966500000001"), "SA", "+966500000001");
    expect_ok(STR("+966500000001"), "US", "+966500000001");
}


/* national (local) formats need the region */

static void
test_local_formats(void **state)
{
    static const phone_case_t  cases[] = {
        { "SA", "011 234 5678",     "+966112345678" },
        { "SA", "051 234 5678",     "+966512345678" },
        { "SA", "0512345678",       "+966512345678" },
        { "SA", "512345678",        "+966512345678" },
        { "US", "(201) 555-0123",   "+12015550123" },
        { "US", "201-555-0123",     "+12015550123" },
        { "US", "1 201 555 0123",   "+12015550123" },
        { "GB", "0121 234 5678",    "+441212345678" },
        { "GB", "07400 123456",     "+447400123456" },
        { "DE", "030 123456",       "+4930123456" },
        { "DE", "01512 3456789",    "+4915123456789" },
        { "IN", "074104 10123",     "+917410410123" },
        { "IN", "081234 56789",     "+918123456789" },
        { "IN", "8123456789",       "+918123456789" },
        { "AE", "02 234 5678",      "+97122345678" },
        { "AE", "050 123 4567",     "+971501234567" },
    };

    (void) state;

    expect_cases(cases, sizeof(cases) / sizeof(cases[0]));
}


/* international formats: "+", the region's IDD, and a foreign region */

static void
test_international_formats(void **state)
{
    static const phone_case_t  cases[] = {
        { "SA", "+966 11 234 5678",      "+966112345678" },
        { NULL, "+966 51 234 5678",      "+966512345678" },
        { "SA", "00966 51 234 5678",     "+966512345678" },
        { "US", "+1 201-555-0123",       "+12015550123" },
        { NULL, "+12015550123",          "+12015550123" },
        { "US", "011 966 51 234 5678",   "+966512345678" },
        { "GB", "+44 121 234 5678",      "+441212345678" },
        { "GB", "0044 7400 123456",      "+447400123456" },
        { NULL, "+44 7400 123456",       "+447400123456" },
        { "DE", "+49 30 123456",         "+4930123456" },
        { "DE", "0049 1512 3456789",     "+4915123456789" },
        { "SA", "+49 1512 3456789",      "+4915123456789" },
        { "IN", "+91 74104 10123",       "+917410410123" },
        { "IN", "0091 81234 56789",      "+918123456789" },
        { "US", "+91 81234 56789",       "+918123456789" },
        { "AE", "+971 2 234 5678",       "+97122345678" },
        { "AE", "00971 50 123 4567",     "+971501234567" },
        { "GB", "+971 50 123 4567",      "+971501234567" },
        { "US", "tel:+1-201-555-0123",   "+12015550123" },
    };

    (void) state;

    expect_cases(cases, sizeof(cases) / sizeof(cases[0]));
}


/*
 * A national prefix written after the country code is dropped by Parse():
 * the reason levers_phone.cpp never bypasses it for "+digits" input.
 */

static void
test_national_prefix_after_country_code(void **state)
{
    (void) state;

    expect_ok(STR("+44 (0)121 234 5678"), NULL, "+441212345678");
    expect_ok(STR("+966 0512345678"), NULL, "+966512345678");
    expect_ok(STR("+52 1 644 161 7441"), NULL, "+526441617441");
}


/* Arabic-Indic digits, as typed on an Arabic keyboard: ٠٥١٢٣٤٥٦٧٨ */

static void
test_arabic_indic_digits(void **state)
{
    (void) state;

    expect_ok(STR("\xd9\xa0\xd9\xa5\xd9\xa1\xd9\xa2\xd9\xa3"
                  "\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8"),
              "SA", "+966512345678");
}


static void
test_spaces(void **state)
{
    (void) state;

    expect_ok(STR("  0512345678  "), "SA", "+966512345678");
    expect_ok(STR("\t+966 51 234 5678\r\n"), NULL, "+966512345678");
    expect_ok(STR(" +1 201 555 0123 "), "US", "+12015550123");
}


/* without a usable region only "+" numbers parse */

static void
test_invalid_region(void **state)
{
    (void) state;

    expect_rc(STR("0512345678"), NULL, LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("0512345678"), "XX", LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("0512345678"), "ZZ", LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("0512345678"), "sa", LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("0512345678"), "SAU", LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("0512345678"), "", LEVERS_PHONE_INVALID_COUNTRY);

    expect_ok(STR("+966512345678"), "XX", "+966512345678");
    expect_ok(STR("+966512345678"), "sa", "+966512345678");

    /* no such country calling code */
    expect_rc(STR("+999 123456789"), NULL, LEVERS_PHONE_INVALID_COUNTRY);
    expect_rc(STR("+0 123456789"), "SA", LEVERS_PHONE_INVALID_COUNTRY);
}


static void
test_too_short(void **state)
{
    (void) state;

    expect_rc(STR("05"), "SA", LEVERS_PHONE_TOO_SHORT);
    expect_rc(STR("12"), "SA", LEVERS_PHONE_TOO_SHORT);
    expect_rc(STR("050000"), "SA", LEVERS_PHONE_TOO_SHORT);
    expect_rc(STR("00"), "SA", LEVERS_PHONE_TOO_SHORT);
    expect_rc(STR("00 1"), "SA", LEVERS_PHONE_TOO_SHORT);
    expect_rc(STR("+966 5"), NULL, LEVERS_PHONE_TOO_SHORT);
}


static void
test_too_long(void **state)
{
    char  digits[400];

    (void) state;

    expect_rc(STR("0512345678123"), "SA", LEVERS_PHONE_TOO_LONG);
    expect_rc(STR("05123456781234567"), "SA", LEVERS_PHONE_TOO_LONG);
    expect_rc(STR("+96651234567812345678"), NULL, LEVERS_PHONE_TOO_LONG);
    expect_rc(STR("+1 201 555 01234"), NULL, LEVERS_PHONE_TOO_LONG);

    /* two numbers in one field */
    expect_rc(STR("0512345678 / 0512345679"), "SA", LEVERS_PHONE_TOO_LONG);

    memset(digits, '1', sizeof(digits));

    expect_rc(digits, 250, "US", LEVERS_PHONE_TOO_LONG);
    expect_rc(digits, 251, "US", LEVERS_PHONE_TOO_LONG);
    expect_rc(digits, sizeof(digits), "US", LEVERS_PHONE_TOO_LONG);
}


static void
test_not_a_number(void **state)
{
    char    garbage[100];
    char    big[1000];
    size_t  i;

    (void) state;

    expect_rc(STR("abc"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("abc"), NULL, LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR(""), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(NULL, 0, "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("   "), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("0"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("+"), NULL, LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("+12"), NULL, LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("null"), "US", LEVERS_PHONE_NOT_A_NUMBER);

    /* 100 bytes of everything, control characters and high bytes included */
    for (i = 0; i < sizeof(garbage); i++) {
        garbage[i] = (char) (i * 37 + 11);
    }

    expect_rc(garbage, sizeof(garbage), "SA", LEVERS_PHONE_NOT_A_NUMBER);

    /* 100 printable characters, digits among them */
    for (i = 0; i < sizeof(garbage); i++) {
        garbage[i] = "!@#$%^&*()_qwerty0123456789"[i % 27];
    }

    expect_rc(garbage, sizeof(garbage), "SA", LEVERS_PHONE_NOT_A_NUMBER);

    /* over the input bound: "too long", whatever it holds */
    memset(big, 'a', sizeof(big));

    expect_rc(big, 250, "US", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(big, sizeof(big), "US", LEVERS_PHONE_TOO_LONG);
}


/* JSON's "\u0000" reaches us as a NUL byte: never silently dropped */

static void
test_embedded_nul(void **state)
{
    (void) state;

    expect_rc(STR("0512\0" "345678"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("\0" "0512345678"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("0512345678\0"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("+966512345678\0" "99"), NULL,
              LEVERS_PHONE_NOT_A_NUMBER);

    /* the part before the NUL alone is fine */
    expect_ok("0512345678\0", 10, "SA", "+966512345678");
}


static void
test_invalid_utf8(void **state)
{
    (void) state;

    expect_rc(STR("\xff\xfe" "0512345678"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("05123\xc3(45678"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("\xe0\x80\x80" "0512345678"), "SA",
              LEVERS_PHONE_NOT_A_NUMBER);
    expect_rc(STR("0512345678\xd9"), "SA", LEVERS_PHONE_NOT_A_NUMBER);
}


/*
 * libphonenumber converts keypad letters when a number has three or more
 * of them: 1-800-FLOWERS is 1-800-356-9377, a valid US toll-free number.
 */

static void
test_vanity_letters(void **state)
{
    (void) state;

    expect_ok(STR("1-800-FLOWERS"), "US", "+18003569377");
    expect_ok(STR("+1-800-FLOWERS"), NULL, "+18003569377");
    expect_rc(STR("1-800-FLOWERS"), NULL, LEVERS_PHONE_INVALID_COUNTRY);

    /* one letter too many: 11 digits after the 1 */
    expect_rc(STR("1-800-FLOWERSX"), "US", LEVERS_PHONE_TOO_LONG);

    /* trailing letters turn a valid number into a too long one */
    expect_rc(STR("+966 51 234 5678 abc"), NULL, LEVERS_PHONE_TOO_LONG);
}


/* parsed, right length, but not a number any operator can have */

static void
test_not_valid(void **state)
{
    (void) state;

    /* local only: no area code */
    expect_rc(STR("555-0123"), "US", LEVERS_PHONE_INVALID);

    /* US area codes never start with 0 or 1 */
    expect_rc(STR("+1 101 555 0123"), NULL, LEVERS_PHONE_INVALID);

    /* Saudi numbers do not start with 9 after the 0 */
    expect_rc(STR("0912345678"), "SA", LEVERS_PHONE_INVALID);

    /* E.164 cannot carry the extension: refused, not truncated */
    expect_rc(STR("+1 201 555 0123 ext. 7"), NULL, LEVERS_PHONE_INVALID);
    expect_rc(STR("(201) 555-0123 x12"), "US", LEVERS_PHONE_INVALID);
}


/* text before the number is skipped, as libphonenumber documents */

static void
test_leading_text(void **state)
{
    (void) state;

    expect_ok(STR("Tel: 0512345678"), "SA", "+966512345678");
}


static void
test_reason(void **state)
{
    (void) state;

    assert_string_equal(levers_phone_reason(LEVERS_PHONE_NOT_A_NUMBER),
                        "not a phone number");
    assert_string_equal(levers_phone_reason(LEVERS_PHONE_INVALID_COUNTRY),
                        "invalid country code");
    assert_string_equal(levers_phone_reason(LEVERS_PHONE_TOO_SHORT),
                        "too short");
    assert_string_equal(levers_phone_reason(LEVERS_PHONE_TOO_LONG),
                        "too long");
    assert_string_equal(levers_phone_reason(LEVERS_PHONE_INVALID),
                        "not a valid number");
    assert_string_equal(levers_phone_reason(LEVERS_PHONE_FAILED),
                        "internal error");
    assert_string_equal(levers_phone_reason(-1), "internal error");
    assert_string_equal(levers_phone_reason(1000), "internal error");
}


static void
test_region_supported(void **state)
{
    (void) state;

    assert_int_equal(levers_phone_region_supported("SA"), 1);
    assert_int_equal(levers_phone_region_supported("US"), 1);
    assert_int_equal(levers_phone_region_supported("GB"), 1);
    assert_int_equal(levers_phone_region_supported("DE"), 1);
    assert_int_equal(levers_phone_region_supported("IN"), 1);
    assert_int_equal(levers_phone_region_supported("AE"), 1);

    assert_int_equal(levers_phone_region_supported("XX"), 0);
    assert_int_equal(levers_phone_region_supported("ZZ"), 0);
    assert_int_equal(levers_phone_region_supported("UK"), 0);
    assert_int_equal(levers_phone_region_supported("sa"), 0);
    assert_int_equal(levers_phone_region_supported("SAU"), 0);
    assert_int_equal(levers_phone_region_supported("001"), 0);
    assert_int_equal(levers_phone_region_supported("S"), 0);
    assert_int_equal(levers_phone_region_supported(""), 0);
    assert_int_equal(levers_phone_region_supported(NULL), 0);
}


/*
 * E.164 numbers have 15 digits at most; libphonenumber's example numbers
 * include such ones (a German freephone, an Indian premium-rate and the
 * +878 UPT numbers).  But libphonenumber also holds some German numbers
 * of 16 digits valid (found by t/fuzz/fuzz_phone.c): they are numbers
 * like any other, not an internal error.
 */

static void
test_longest_numbers(void **state)
{
    (void) state;

    expect_ok(STR("+49 800 1234567890"), NULL, "+498001234567890");
    expect_ok(STR("0800 1234567890"), "DE", "+498001234567890");
    expect_ok(STR("+91 1861 123 456 789"), "SA", "+911861123456789");
    expect_ok(STR("+878 10 12345 67890"), NULL, "+878101234567890");

    expect_ok(STR("30901820030901"), "DE", "+4930901820030901");
    expect_ok(STR("+49 30 901820030901"), NULL, "+4930901820030901");

    assert_true(sizeof("+878101234567890") <= LEVERS_E164_MAX);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_brief_examples),
        cmocka_unit_test(test_local_formats),
        cmocka_unit_test(test_international_formats),
        cmocka_unit_test(test_national_prefix_after_country_code),
        cmocka_unit_test(test_arabic_indic_digits),
        cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_invalid_region),
        cmocka_unit_test(test_too_short),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_not_a_number),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_vanity_letters),
        cmocka_unit_test(test_not_valid),
        cmocka_unit_test(test_leading_text),
        cmocka_unit_test(test_reason),
        cmocka_unit_test(test_region_supported),
        cmocka_unit_test(test_longest_numbers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_json.c.  Every expected value was produced by
 * CPython 3.11.7: json.dumps(v, ensure_ascii=False, separators=(",", ":")),
 * repr(float) and json.loads(bytes) (msg and pos of JSONDecodeError).
 */

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "levers_json.h"


/* a string literal and its length in bytes, NULs included */
#define LIT(s)  s, sizeof(s) - 1


typedef struct {
    char    *buf;
    size_t   len;
    size_t   size;
    size_t   calls;
    size_t   fail_at;       /* call number that fails; 0: never */
} sink_t;


static int
sink_write(void *data, const char *buf, size_t len)
{
    sink_t  *s;

    s = data;
    s->calls++;

    if (s->fail_at != 0 && s->calls == s->fail_at) {
        return -1;
    }

    if (s->len + len + 1 > s->size) {
        s->size = (s->len + len + 1) * 2;
        s->buf = realloc(s->buf, s->size);
        assert_non_null(s->buf);
    }

    memcpy(s->buf + s->len, buf, len);
    s->len += len;
    s->buf[s->len] = '\0';

    return 0;
}


static void
sink_reset(sink_t *s)
{
    free(s->buf);
    memset(s, 0, sizeof(sink_t));
}


/* dumps v, checks the output and that it took at most max_calls writes */

static void
assert_dump(const json_t *v, const char *expect, size_t max_calls)
{
    sink_t  s;

    memset(&s, 0, sizeof(sink_t));

    assert_int_equal(levers_json_dump(v, sink_write, &s), 0);
    assert_non_null(s.buf);
    assert_int_equal(s.len, strlen(expect));
    assert_memory_equal(s.buf, expect, s.len);
    assert_true(s.calls <= max_calls);

    sink_reset(&s);
}


static void
test_dump_string_escapes(void **state)
{
    int      i;
    char     all[0x80];
    json_t  *v;

    (void) state;

    for (i = 0; i < 0x80; i++) {
        all[i] = (char) i;
    }

    v = json_stringn_nocheck(all, sizeof(all));
    assert_non_null(v);

    assert_dump(v,
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
        "\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015"
        "\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e"
        "\\u001f !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\177\"", 1);

    json_decref(v);
}


static void
test_dump_string_unicode(void **state)
{
    json_t  *v;

    static const char  text[] =
        "\330\247\330\263\331\205 \331\205\330\261\330\255\330\250\330\247 "
        "\360\237\230\200 \342\200\250 \342\200\251 caf\303\251 /";

    (void) state;

    /* Arabic, an emoji, U+2028, U+2029, é and '/': all raw, as Python */

    v = json_string(text);
    assert_non_null(v);

    assert_dump(v, "\"" "\330\247\330\263\331\205 \331\205\330\261\330\255"
                "\330\250\330\247 \360\237\230\200 \342\200\250 "
                "\342\200\251 caf\303\251 /" "\"", 1);

    json_decref(v);
}


static void
test_dump_string_functions(void **state)
{
    sink_t  s;

    (void) state;

    memset(&s, 0, sizeof(sink_t));

    assert_int_equal(levers_json_dump_string("a\"b\n\303\251", 6,
                                             sink_write, &s), 0);
    assert_string_equal(s.buf, "\"a\\\"b\\n\303\251\"");
    sink_reset(&s);

    /* body only, streamed in pieces */

    assert_int_equal(levers_json_dump_string_body("Hello \"", 7,
                                                  sink_write, &s), 0);
    assert_int_equal(levers_json_dump_string_body("\t\\x\001", 4,
                                                  sink_write, &s), 0);
    assert_int_equal(levers_json_dump_string_body("", 0, sink_write, &s), 0);
    assert_string_equal(s.buf, "Hello \\\"\\t\\\\x\\u0001");
    sink_reset(&s);

    /* a NUL inside the given length is escaped, not a terminator */

    assert_int_equal(levers_json_dump_string("a\0b", 3, sink_write, &s), 0);
    assert_string_equal(s.buf, "\"a\\u0000b\"");
    sink_reset(&s);
}


static void
test_dump_nested(void **state)
{
    json_t  *v;

    (void) state;

    v = json_pack("{s:i, s:[i, i, f, b, b, n, {}, []], s:{s:{s:s}}}",
                  "z", 1,
                  "a", 1, -2, 3.5, 1, 0, "m", "x", "y",
                  "\331\205\330\261\330\255\330\250\330\247 \360\237\230\200");
    assert_non_null(v);

    /* keys in insertion order, not sorted */

    assert_dump(v, "{\"z\":1,\"a\":[1,-2,3.5,true,false,null,{},[]],"
                "\"m\":{\"x\":{\"y\":\"\331\205\330\261\330\255\330\250"
                "\330\247 \360\237\230\200\"}}}", 1);

    json_decref(v);

    v = json_object();
    assert_int_equal(json_object_setn_new(v, "k\0\n", 3, json_true()), 0);
    assert_dump(v, "{\"k\\u0000\\n\":true}", 1);
    json_decref(v);

    v = json_array();
    assert_dump(v, "[]", 1);
    json_decref(v);
}


static void
test_dump_integers(void **state)
{
    size_t  i;
    json_t  *v;

    static const struct {
        json_int_t   value;
        const char  *expect;
    } cases[] = {
        { 0, "0" },
        { 1, "1" },
        { -1, "-1" },
        { 10000, "10000" },
        { -987654321, "-987654321" },
        { LLONG_MAX, "9223372036854775807" },
        { LLONG_MIN, "-9223372036854775808" },
    };

    (void) state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = json_integer(cases[i].value);
        assert_dump(v, cases[i].expect, 1);
        json_decref(v);
    }
}


/* generated with python3 3.11.7: repr(float(x)) */

static const struct {
    double       value;
    const char  *expect;
} reals[] = {
    { 0x1.999999999999ap-4, "0.1" },
    { 0x1.9000000000000p+6, "100.0" },
    { 0x1.1c37937e08000p+53, "1e+16" },
    { 0x1.4f8b588e368f1p-17, "1e-05" },
    { 0x1.1eb2d66005835p+997, "1.5e+300" },
    { -0x0.0p+0, "-0.0" },
    { 0x0.0p+0, "0.0" },
    { 0x1.0000000000000p+0, "1.0" },
    { -0x1.0000000000000p+0, "-1.0" },
    { 0x1.3333333333333p-2, "0.3" },
    { 0x1.3333333333334p-2, "0.30000000000000004" },
    { 0x1.5555555555555p-2, "0.3333333333333333" },
    { 0x1.5555555555555p-1, "0.6666666666666666" },
    { 0x1.edd2f1a9fbe77p+6, "123.456" },
    { 0x1.c6bf526340000p+49, "1000000000000000.0" },
    { 0x1.1c37937e07fffp+53, "9999999999999998.0" },
    { 0x1.0f0cf064dd592p+73, "1e+22" },
    { 0x1.a36e2eb1c432dp-14, "0.0001" },
    { 0x1.02e4b6ce5dc68p-13, "0.00012345" },
    { 0x1.ad7f29abcaf48p-24, "1e-07" },
    { 0x0.0000000000001p-1022, "5e-324" },
    { 0x1.0000000000000p-1022, "2.2250738585072014e-308" },
    { 0x1.fffffffffffffp+1023, "1.7976931348623157e+308" },
    { 0x1.0000000000000p+53, "9007199254740992.0" },
    { 0x1.0000000000001p+53, "9007199254740994.0" },
    { -0x1.12e0be826d695p-32, "-2.5e-10" },
    { 0x1.921f9f01b866ep+1, "3.14159" },
    { 0x1.2d68700000000p+20, "1234567.0" },
    { 0x1.56a95319d63e1p+63, "1.2345678901234567e+19" },
    { 0x1.0000000000000p-1, "0.5" },
    /* powers of two where the shortest string lies above the value */
    { 0x1.0000000000000p-1017, "7.120236347223045e-307" },
    { 0x1.0000000000000p-1000, "9.332636185032189e-302" },
    { 0x1.249ad2594c37dp+332, "1e+100" },
    { -0x1.bff2ee48e0530p-333, "-1e-100" },
    { 0x1.1de784a000000p+28, "299792458.0" },
    { 0x1.fe185ca57c517p+78, "6.02214076e+23" },
    { 0x1.199999999999ap+0, "1.1" },
    { 0x1.1666666666666p+2, "4.35" },
    { 0x1.0624dd2f1a9fcp-10, "0.001" },
};


static void
test_format_real(void **state)
{
    char    buf[32];
    size_t  i, len;
    json_t  *v;

    (void) state;

    for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
        memset(buf, 'x', sizeof(buf));
        len = levers_json_format_real(reals[i].value, buf);
        assert_int_equal(len, strlen(reals[i].expect));
        assert_memory_equal(buf, reals[i].expect, len);

        v = json_real(reals[i].value);
        assert_dump(v, reals[i].expect, 1);
        json_decref(v);
    }
}


static void
test_format_real_not_finite(void **state)
{
    char  buf[32];

    (void) state;

    /* jansson cannot hold them; Python's allow_nan=False raises */

    assert_int_equal(levers_json_format_real(NAN, buf), 0);
    assert_int_equal(levers_json_format_real(INFINITY, buf), 0);
    assert_int_equal(levers_json_format_real(-INFINITY, buf), 0);
}


static void
test_dump_writer_fails(void **state)
{
    size_t   i, n;
    sink_t   s;
    json_t  *v, *a;

    (void) state;

    a = json_array();

    for (i = 0; i < 2000; i++) {
        json_array_append_new(a, json_string("some text to fill buffers"));
    }

    v = json_pack("{s:o}", "contacts", a);

    /* count the calls of a good run, then fail each one in turn */

    memset(&s, 0, sizeof(sink_t));
    assert_int_equal(levers_json_dump(v, sink_write, &s), 0);
    n = s.calls;
    sink_reset(&s);

    assert_true(n > 1);

    for (i = 1; i <= n; i++) {
        s.fail_at = i;
        assert_int_equal(levers_json_dump(v, sink_write, &s), -1);
        assert_int_equal(s.calls, i);
        sink_reset(&s);
    }

    json_decref(v);
}


/* a 10 000 contact gateway payload: same bytes as jansson, few writes */

static void
test_dump_large_payload(void **state)
{
    char     num[32];
    char    *expect;
    size_t   i;
    sink_t   s;
    json_t  *v, *contacts, *c;

    (void) state;

    contacts = json_array();

    for (i = 0; i < 10000; i++) {
        snprintf(num, sizeof(num), "+3361234%04zu", i);
        c = json_pack("{s:s, s:s, s:s, s:{s:i, s:b}}",
                      "numberToCall", num, "firstName", "Sara",
                      "lastName", "Lee", "metadata", "row", (int) i,
                      "vip", i % 2);
        json_array_append_new(contacts, c);
    }

    v = json_pack("{s:s, s:o}", "id", "batch-1", "contacts", contacts);

    expect = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_non_null(expect);

    memset(&s, 0, sizeof(sink_t));
    assert_int_equal(levers_json_dump(v, sink_write, &s), 0);
    assert_string_equal(s.buf, expect);
    assert_true(s.calls <= s.len / 2048 + 1);

    sink_reset(&s);
    free(expect);
    json_decref(v);
}


static void
test_dump_long_string(void **state)
{
    char    *text, *expect;
    size_t   n;
    sink_t   s;

    (void) state;

    /* long unescaped runs bypass the buffer: still one piece each */

    n = 100000;
    text = malloc(n);
    expect = malloc(n + 8);
    memset(text, 'a', n);
    text[n / 2] = '\n';

    expect[0] = '"';
    memcpy(expect + 1, text, n / 2);
    memcpy(expect + 1 + n / 2, "\\n", 2);
    memcpy(expect + 3 + n / 2, text + n / 2 + 1, n - n / 2 - 1);
    memcpy(expect + 2 + n, "\"", 2);

    memset(&s, 0, sizeof(sink_t));
    assert_int_equal(levers_json_dump_string(text, n, sink_write, &s), 0);
    assert_string_equal(s.buf, expect);
    assert_true(s.calls <= 5);

    sink_reset(&s);
    free(text);
    free(expect);
}


static void
test_utf8_length(void **state)
{
    (void) state;

    assert_int_equal(levers_utf8_length("", 0), 0);
    assert_int_equal(levers_utf8_length("abc", 3), 3);
    assert_int_equal(levers_utf8_length("caf\303\251", 5), 4);
    assert_int_equal(levers_utf8_length(
        "\330\247\330\263\331\205", 6), 3);
    assert_int_equal(levers_utf8_length("\360\237\230\200!", 5), 2);
    assert_int_equal(levers_utf8_length("\342\200\250", 3), 1);
}


/* generated with python3 3.11.7: json.loads(bytes) */

static const struct {
    const char  *body;
    size_t       len;
    const char  *msg;
    size_t       pos;
} errors[] = {
    { "{\"a\":1,}", 8, "Expecting property name enclosed in double quotes",
      7 },
    { "[1,]", 4, "Expecting value", 3 },
    { "{\"a\" 1}", 7, "Expecting ':' delimiter", 5 },
    { "{\"a\":1 \"b\":2}", 13, "Expecting ',' delimiter", 7 },
    { "\"abc", 4, "Unterminated string starting at", 0 },
    { "{} x", 4, "Extra data", 3 },
    { "", 0, "Expecting value", 0 },
    { "   \012\011\015", 6, "Expecting value", 6 },
    { "[", 1, "Expecting value", 1 },
    { "{", 1, "Expecting property name enclosed in double quotes", 1 },
    { "{ ", 2, "Expecting property name enclosed in double quotes", 2 },
    { "{\"a\"", 4, "Expecting ':' delimiter", 4 },
    { "{\"a\":", 5, "Expecting value", 5 },
    { "{\"a\":1", 6, "Expecting ',' delimiter", 6 },
    { "[1", 2, "Expecting ',' delimiter", 2 },
    { "[1 2]", 5, "Expecting ',' delimiter", 3 },
    { "[1.]", 4, "Expecting ',' delimiter", 2 },
    { "01", 2, "Extra data", 1 },
    { "-", 1, "Expecting value", 0 },
    { "-x", 2, "Expecting value", 0 },
    { "nul", 3, "Expecting value", 0 },
    { "tru", 3, "Expecting value", 0 },
    { "fals", 4, "Expecting value", 0 },
    { "Infinit", 7, "Expecting value", 0 },
    { "-Infinit", 8, "Expecting value", 0 },
    { "NaN1", 4, "Extra data", 3 },
    { "{1:2}", 5, "Expecting property name enclosed in double quotes", 1 },
    { "{'a':1}", 7, "Expecting property name enclosed in double quotes", 1 },
    { "[1,,2]", 6, "Expecting value", 3 },
    { "[,1]", 4, "Expecting value", 1 },
    { "{\"a\":1,,}", 9, "Expecting property name enclosed in double quotes",
      7 },
    { "[1}", 3, "Expecting ',' delimiter", 2 },
    { "{\"a\":1]", 7, "Expecting ',' delimiter", 6 },
    { "\"a\001b\"", 5, "Invalid control character at", 2 },
    { "\"tab\011here\"", 10, "Invalid control character at", 4 },
    { "[\"\037\"]", 5, "Invalid control character at", 2 },
    { "\"\\x\"", 4, "Invalid \\escape", 1 },
    { "\"\\u12\"", 6, "Invalid \\uXXXX escape", 2 },
    { "\"\\u12G4\"", 8, "Invalid \\uXXXX escape", 2 },
    { "\"\\u1234", 7, "Invalid \\uXXXX escape", 2 },
    { "\"\\ud800\\uzzzz\"", 14, "Invalid \\uXXXX escape", 8 },
    { "\"\\ud800\\u12\"", 12, "Invalid \\uXXXX escape", 8 },
    { "\"abc\\", 5, "Unterminated string starting at", 0 },
    { "\"\\", 2, "Unterminated string starting at", 0 },
    { "1e", 2, "Extra data", 1 },
    { "1e+", 3, "Extra data", 1 },
    { "1.5e-", 5, "Extra data", 3 },
    { ".5", 2, "Expecting value", 0 },
    { "+1", 2, "Expecting value", 0 },
    { "1 2", 3, "Extra data", 2 },
    { "\"a\" \"b\"", 7, "Extra data", 4 },
    { "true false", 10, "Extra data", 5 },
    { "[1]]", 4, "Extra data", 3 },
    { "{\"a\":{\"b\":[1,2,{\"c\":}]}}", 24, "Expecting value", 20 },

    /* positions count characters, not bytes */
    { "{\"\330\247\330\263\331\205\":\"\331\205\330\261\330\255\330\250"
      "\330\247\" \"x\":1}", 29, "Expecting ',' delimiter", 15 },
    { "[\"\360\237\230\200\360\237\230\200\", 1 2]", 17,
      "Expecting ',' delimiter", 9 },
    { "{\"\303\251\":\"\342\200\250\",}", 13,
      "Expecting property name enclosed in double quotes", 9 },
    { "\"\360\237\230\200\\q\"", 8, "Invalid \\escape", 2 },
    { "[\"\303\251\001\"]", 7, "Invalid control character at", 3 },
    { "[1, \"\303\274\"]   xyz", 15, "Extra data", 11 },
    { "[\"\303\251\", \"\\u00\"]", 14, "Invalid \\uXXXX escape", 8 },

    /* bytes are decoded as utf-8-sig: one BOM is dropped, not counted */
    { "\357\273\277{\"a\":", 8, "Expecting value", 5 },
    { "\357\273\277", 3, "Expecting value", 0 },
    { "\357\273\277\357\273\277{}", 8, "Expecting value", 0 },

    /* UnicodeDecodeError in Python: our message, character offset */
    { "\"\377\"", 3, "Invalid UTF-8", 1 },
    { "\"\351\377\"", 4, "Invalid UTF-8", 1 },
    { "\303\251\303(", 4, "Invalid UTF-8", 1 },
    { "[\342\202]", 4, "Invalid UTF-8", 1 },
    { "\"\360\237\230\200\360\237\230\"", 9, "Invalid UTF-8", 2 },
    { "\355\240", 2, "Invalid UTF-8", 0 },
    { "[\300\200]", 4, "Invalid UTF-8", 1 },
    { "\364\220\200\200", 4, "Invalid UTF-8", 0 },
    { "\365", 1, "Invalid UTF-8", 0 },
    { "\340\200\200", 3, "Invalid UTF-8", 0 },
    { "{\"a\" 1}\377", 8, "Invalid UTF-8", 7 },

    /* UTF-16 and UTF-32 (json.detect_encoding): refused as not UTF-8 */
    { "\377\376{\000}\000", 6, "Invalid UTF-8", 0 },
    { "{\000}\000", 4, "Invalid UTF-8", 0 },
    { "\000\000\000{", 4, "Invalid UTF-8", 0 },
};


static void
test_check_errors(void **state)
{
    size_t               i;
    levers_json_error_t  err;

    (void) state;

    for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        err.msg = NULL;
        err.pos = (size_t) -1;

        if (levers_json_check(errors[i].body, errors[i].len, &err) != -1) {
            fail_msg("case %zu accepted", i);
        }

        assert_non_null(err.msg);

        if (strcmp(err.msg, errors[i].msg) != 0
            || err.pos != errors[i].pos)
        {
            fail_msg("case %zu: \"%s\" at %zu, expected \"%s\" at %zu", i,
                     err.msg, err.pos, errors[i].msg, errors[i].pos);
        }
    }
}


static void
test_check_accepts(void **state)
{
    size_t               i;
    levers_json_error_t  err;

    static const struct {
        const char  *body;
        size_t       len;
    } ok[] = {
        { LIT("[NaN, Infinity, -Infinity]") },
        { LIT("{\"big\":123456789012345678901234567890}") },
        { LIT("[1e999, -1e999]") },
        { LIT("\"\\ud800\"") },
        { LIT("\"\\udc00\\ud800x\"") },
        { LIT("\"\\u0000\"") },
        { LIT("\357\273\277{\"a\":1}") },
        { LIT("\"\355\240\200\"") },          /* surrogatepass */
        { LIT("  {\"a\" : [ 1 , 2 ] }  ") },
        { LIT("-0") },
        { LIT("1E+2") },
        { LIT("\"\177\"") },
        { LIT("\"\\ud83d\\ude00 \\/\\b\\f\\n\\r\\t\\\"\\\\\"") },
        { LIT("{\"\330\247\":\"\360\237\230\200\",\"b\":[{},[],null,true]}") },
    };

    (void) state;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        err.msg = NULL;

        if (levers_json_check(ok[i].body, ok[i].len, &err) != 0) {
            fail_msg("case %zu refused: \"%s\" at %zu", i, err.msg, err.pos);
        }
    }
}


/* Python: ValueError from int() past 4300 digits; floats have no limit */

static void
test_check_int_digits(void **state)
{
    char                *body;
    size_t               n;
    levers_json_error_t  err;

    (void) state;

    n = 4310;
    body = malloc(n);

    body[0] = '[';
    body[1] = '-';
    memset(body + 2, '7', 4300);
    body[4302] = ']';
    assert_int_equal(levers_json_check(body, 4303, &err), 0);

    body[4302] = '7';
    body[4303] = ']';
    assert_int_equal(levers_json_check(body, 4304, &err), -1);
    assert_string_equal(err.msg, "Exceeds the limit (4300 digits) for "
                        "integer string conversion");
    assert_int_equal(err.pos, 1);

    memcpy(body + 4303, ".5]", 3);
    assert_int_equal(levers_json_check(body, 4306, &err), 0);

    free(body);
}


static char *
nested(const char *open, const char *mid, const char *close, size_t depth,
    size_t *len)
{
    char    *body, *p;
    size_t   i, lo, lm, lc;

    lo = strlen(open);
    lm = strlen(mid);
    lc = strlen(close);

    body = malloc(depth * (lo + lc) + lm);
    assert_non_null(body);

    p = body;

    for (i = 0; i < depth; i++) {
        memcpy(p, open, lo);
        p += lo;
    }

    memcpy(p, mid, lm);
    p += lm;

    for (i = 0; i < depth; i++) {
        memcpy(p, close, lc);
        p += lc;
    }

    *len = p - body;

    return body;
}


static void
test_check_depth(void **state)
{
    char                *body;
    size_t               len;
    levers_json_error_t  err;

    (void) state;

    /* python3.11 -c 'json.loads(b"["*995 + b"]"*995)' passes, 996 not */

    body = nested("[", "", "]", 995, &len);
    assert_int_equal(levers_json_check(body, len, &err), 0);
    free(body);

    body = nested("[", "", "]", 996, &len);
    assert_int_equal(levers_json_check(body, len, &err), -1);
    assert_string_equal(err.msg, "maximum recursion depth exceeded while "
                        "decoding a JSON array from a unicode string");
    assert_int_equal(err.pos, 995);
    free(body);

    body = nested("{\"\303\251\":", "1", "}", 996, &len);
    assert_int_equal(levers_json_check(body, len, &err), -1);
    assert_string_equal(err.msg, "maximum recursion depth exceeded while "
                        "decoding a JSON object from a unicode string");
    assert_int_equal(err.pos, 995 * 5);
    free(body);

    /* a syntax error before the limit is reached wins */

    body = nested("[", "", "", 1000000, &len);
    body[10] = '}';
    assert_int_equal(levers_json_check(body, len, &err), -1);
    assert_string_equal(err.msg, "Expecting value");
    assert_int_equal(err.pos, 10);

    /* a million '[' must not exhaust the C stack */

    body[10] = '[';
    assert_int_equal(levers_json_check(body, len, &err), -1);
    assert_string_equal(err.msg, "maximum recursion depth exceeded while "
                        "decoding a JSON array from a unicode string");
    assert_int_equal(err.pos, 995);
    free(body);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_dump_string_escapes),
        cmocka_unit_test(test_dump_string_unicode),
        cmocka_unit_test(test_dump_string_functions),
        cmocka_unit_test(test_dump_nested),
        cmocka_unit_test(test_dump_integers),
        cmocka_unit_test(test_format_real),
        cmocka_unit_test(test_format_real_not_finite),
        cmocka_unit_test(test_dump_writer_fails),
        cmocka_unit_test(test_dump_large_payload),
        cmocka_unit_test(test_dump_long_string),
        cmocka_unit_test(test_utf8_length),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_check_accepts),
        cmocka_unit_test(test_check_int_digits),
        cmocka_unit_test(test_check_depth),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

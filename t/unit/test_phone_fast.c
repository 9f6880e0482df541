/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Differential test of src/levers_phone_fast.cpp: for every input it does
 * not decline, the fast path must give the very return code and E.164 text
 * that libphonenumber gives (levers_phone_to_e164_slow()).
 *
 *   make -C t/unit build/test_phone_fast && t/unit/build/test_phone_fast
 *
 * The inputs are generated from a fixed seed, for every supported region as
 * the default region (and for none, "ZZ", "XX"): libphonenumber's example
 * numbers in all its formats and mutated (digits changed, dropped, added),
 * random digit strings of 0 to 20 digits, each behind a national prefix, a
 * "+", "00", the region's IDD or calling code or nothing, spaced with the
 * punctuation people use, and now and then a character the fast path does
 * not take (letters, "/", "#", a NUL...); some have their digits written in
 * Arabic-Indic, Extended Arabic-Indic or full-width digits.
 * TEST_PHONE_FAST_SCALE=n multiplies the random share.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "levers_phone.h"
#include "test_phone_examples.h"


#define TPF_EXAMPLES       128
#define TPF_MUTATIONS      8
#define TPF_RANDOM         1200
#define TPF_INPUT_MAX      160
#define TPF_REPORT_MAX     20


typedef struct {
    uint64_t     rng;
    unsigned     total;
    unsigned     fast;             /* answered by the fast path */
    unsigned     ok;               /* ... of which valid numbers */
    unsigned     mismatches;
} tpf_state_t;


typedef struct {
    char         s[TPF_INPUT_MAX];
    size_t       len;
} tpf_buf_t;


static uint32_t
tpf_rand(tpf_state_t *st)
{
    /* xorshift64*: deterministic on every platform */
    st->rng ^= st->rng >> 12;
    st->rng ^= st->rng << 25;
    st->rng ^= st->rng >> 27;

    return (uint32_t) ((st->rng * 2685821657736338717ULL) >> 32);
}


static unsigned
tpf_below(tpf_state_t *st, unsigned n)
{
    return tpf_rand(st) % n;
}


static void
tpf_append(tpf_buf_t *b, const char *s, size_t len)
{
    if (b->len + len < sizeof(b->s)) {
        memcpy(b->s + b->len, s, len);
        b->len += len;
    }
}


static void
tpf_puts(tpf_buf_t *b, const char *s)
{
    tpf_append(b, s, strlen(s));
}


/* one input through both paths */

static void
tpf_check(tpf_state_t *st, const char *in, size_t len, const char *region)
{
    int     fast, slow;
    char    out_fast[LEVERS_E164_MAX], out_slow[LEVERS_E164_MAX];
    size_t  len_fast, len_slow;

    st->total++;

    out_fast[0] = '\0';
    out_slow[0] = '\0';
    len_fast = 0;
    len_slow = 0;

    fast = levers_phone_to_e164_fast(in, len, region, out_fast, &len_fast);

    if (fast == LEVERS_PHONE_DECLINED) {
        return;
    }

    st->fast++;

    slow = levers_phone_to_e164_slow(in, len, region, out_slow, &len_slow);

    if (fast == slow
        && (fast != LEVERS_PHONE_OK
            || (len_fast == len_slow && strcmp(out_fast, out_slow) == 0
                && len_fast == strlen(out_fast))))
    {
        st->ok += (fast == LEVERS_PHONE_OK);
        return;
    }

    if (st->mismatches++ < TPF_REPORT_MAX) {
        print_error("region %s input \"%.*s\": fast %d \"%s\", "
                    "libphonenumber %d \"%s\"\n",
                    region ? region : "NULL", (int) len, in,
                    fast, fast == LEVERS_PHONE_OK ? out_fast : "",
                    slow, slow == LEVERS_PHONE_OK ? out_slow : "");
    }
}


static void
tpf_check_str(tpf_state_t *st, const char *in, const char *region)
{
    tpf_check(st, in, strlen(in), region);
}


/* the digits of s, at most max of them */

static size_t
tpf_digits(const char *s, char *out, size_t max)
{
    size_t  n;

    for (n = 0; *s != '\0' && n < max; s++) {
        if (*s >= '0' && *s <= '9') {
            out[n++] = *s;
        }
    }

    out[n] = '\0';

    return n;
}


/* a national significant number: random, or a changed example */

static size_t
tpf_body(tpf_state_t *st, const char *example, char *out, size_t max)
{
    size_t  n, i, k;

    if (example == NULL || tpf_below(st, 4) == 0) {
        n = tpf_below(st, 21);

        for (i = 0; i < n && i < max; i++) {
            out[i] = (char) ('0' + tpf_below(st, 10));
        }

        out[i] = '\0';

        return i;
    }

    n = tpf_digits(example, out, max);

    switch (tpf_below(st, 8)) {

    case 0: case 1: case 2:
        /* the last digits changed: mostly still valid */
        k = 1 + tpf_below(st, 4);

        for (i = (n > k) ? n - k : 0; i < n; i++) {
            out[i] = (char) ('0' + tpf_below(st, 10));
        }

        break;

    case 3:
        /* too short, perhaps */
        k = 1 + tpf_below(st, 3);
        n = (n > k) ? n - k : 0;
        break;

    case 4:
        /* too long, perhaps */
        k = 1 + tpf_below(st, 3);

        for (i = 0; i < k && n < max; i++) {
            out[n++] = (char) ('0' + tpf_below(st, 10));
        }

        break;

    case 5:
        /* the start kept, the rest random */
        k = (n > 0) ? tpf_below(st, (unsigned) n) : 0;

        for (i = k; i < n; i++) {
            out[i] = (char) ('0' + tpf_below(st, 10));
        }

        break;

    default:
        break;
    }

    out[n] = '\0';

    return n;
}


/* what comes before the national significant number */

static void
tpf_prefix(tpf_state_t *st, tpf_buf_t *b, int cc, const char *ndd)
{
    char  num[16];

    snprintf(num, sizeof(num), "%d", cc);

    switch (tpf_below(st, 18)) {
    case 0: case 1: case 2:                                 break;
    case 3: case 4: tpf_puts(b, ndd);                       break;
    case 5: tpf_puts(b, "+"); tpf_puts(b, num);             break;
    case 6: tpf_puts(b, "00"); tpf_puts(b, num);            break;
    case 7: tpf_puts(b, num);                               break;
    case 8: tpf_puts(b, "+");                               break;
    case 9: tpf_puts(b, "00");                              break;
    case 10: tpf_puts(b, "011"); tpf_puts(b, num);          break;
    case 11: tpf_puts(b, "+0");                             break;
    case 12:
        snprintf(num, sizeof(num), "+%u", 1 + tpf_below(st, 999));
        tpf_puts(b, num);
        break;
    case 13: tpf_puts(b, "0");                              break;
    case 14: tpf_puts(b, "1");                              break;
    case 15: tpf_puts(b, "+"); tpf_puts(b, num); tpf_puts(b, ndd); break;
    case 16: tpf_puts(b, num); tpf_puts(b, ndd);            break;
    default: tpf_puts(b, "8"); tpf_puts(b, num);            break;
    }
}


static const char  *tpf_seps[] = {
    " ", "-", ".", "(", ")", " - ", ") ", " (", "  ", "..", "()"
};

static const char  *tpf_edges[] = {
    " ", "\t", "(", "-", ".", "\r\n", ")", "  "
};

/* characters the fast path declines, or that end the number */
static const char  *tpf_noise[] = {
    "x", "/", "#", "+", ",", ";", "a", "e", "*", "~", "[", "]",
    "\xd9\xa5", "\xef\xbc\x8b", "\xc2\xa0", "\xef\xbc\x90", "\xff",
    "ext. 12", ";ext=1", "tel:", " / ", "\0", "++", ":", "_"
};

#define tpf_pick(st, a)  a[tpf_below(st, sizeof(a) / sizeof(a[0]))]


/* digits written out with punctuation, edges and noise */

static void
tpf_write(tpf_state_t *st, tpf_buf_t *b, const char *digits, size_t n)
{
    char         u[3];
    size_t       i;
    unsigned     sep, script;
    const char  *noise;

    sep = tpf_below(st, 3);         /* 0: none, 1: some, 2: many */

    /* 0: Arabic-Indic, 1: Extended, 2: full-width, 3: mixed, else ASCII */
    script = tpf_below(st, 12);

    for (i = 0; i < n; i++) {
        if (i > 0 && sep != 0 && tpf_below(st, sep == 1 ? 5 : 2) == 0) {
            tpf_puts(b, tpf_pick(st, tpf_seps));
        }

        switch (script == 3 ? tpf_below(st, 4) : script) {

        case 0:
            u[0] = 0xd9;
            u[1] = (char) (0xa0 + digits[i] - '0');
            tpf_append(b, u, 2);
            break;

        case 1:
            u[0] = 0xdb;
            u[1] = (char) (0xb0 + digits[i] - '0');
            tpf_append(b, u, 2);
            break;

        case 2:
            u[0] = 0xef;
            u[1] = 0xbc;
            u[2] = (char) (0x90 + digits[i] - '0');
            tpf_append(b, u, 3);
            break;

        default:
            tpf_append(b, &digits[i], 1);
            break;
        }
    }

    if (tpf_below(st, 20) == 0) {
        noise = tpf_pick(st, tpf_noise);
        i = (b->len > 0) ? tpf_below(st, (unsigned) b->len + 1) : 0;

        if (b->len + strlen(noise) + 1 < sizeof(b->s)) {
            memmove(b->s + i + strlen(noise) + (*noise == '\0'),
                    b->s + i, b->len - i);
            memcpy(b->s + i, noise, strlen(noise) + (*noise == '\0'));
            b->len += strlen(noise) + (*noise == '\0');
        }
    }
}


static void
tpf_one(tpf_state_t *st, const char *region, int cc, const char *ndd,
    const char *example)
{
    char       prefix_digits[TPF_INPUT_MAX], body[TPF_INPUT_MAX];
    size_t     n;
    tpf_buf_t  pre, b;

    pre.len = 0;

    if (example != NULL && tpf_below(st, 2) == 0) {
        /* the usual ways to write a number */
        switch (tpf_below(st, 4)) {
        case 0:
            break;
        case 1:
            tpf_puts(&pre, ndd);
            break;
        case 2:
            snprintf(pre.s, sizeof(pre.s), "+%d", cc);
            pre.len = strlen(pre.s);
            break;
        default:
            snprintf(pre.s, sizeof(pre.s), "00%d", cc);
            pre.len = strlen(pre.s);
            break;
        }

    } else {
        tpf_prefix(st, &pre, cc, ndd);
    }

    n = tpf_body(st, example, body, 40);

    b.len = 0;

    if (tpf_below(st, 5) == 0) {
        tpf_puts(&b, tpf_pick(st, tpf_edges));
    }

    /* the prefix kept apart from the number, or not */
    if (pre.len > 0 && pre.s[0] == '+') {
        tpf_append(&b, "+", 1);
        memmove(pre.s, pre.s + 1, --pre.len);
    }

    memcpy(prefix_digits, pre.s, pre.len);
    prefix_digits[pre.len] = '\0';

    if (tpf_below(st, 2) == 0) {
        tpf_write(st, &b, prefix_digits, pre.len);

        if (pre.len > 0 && tpf_below(st, 2) == 0) {
            tpf_puts(&b, " ");
        }

        tpf_write(st, &b, body, n);

    } else {
        memcpy(prefix_digits + pre.len, body, n);
        tpf_write(st, &b, prefix_digits, pre.len + n);
    }

    if (tpf_below(st, 5) == 0) {
        tpf_puts(&b, tpf_pick(st, tpf_edges));
    }

    tpf_check(st, b.s, b.len, region);
}


static void
tpf_region(tpf_state_t *st, const char *region, const char *cc_region,
    unsigned scale)
{
    int          i, j, n, cc;
    char         ndd[16];
    const char  *from;
    unsigned     r;
    int          nn;
    static char  examples[TPF_EXAMPLES][TPE_EXAMPLE_MAX];
    static char  nsns[TPF_EXAMPLES][TPE_EXAMPLE_MAX];

    cc = tpe_country_code(cc_region);
    tpe_ndd(cc_region, ndd, sizeof(ndd));

    from = tpe_region(tpf_below(st, (unsigned) tpe_region_count()));
    n = tpe_examples(cc_region, from, examples, TPF_EXAMPLES);

    /* a few other regions' numbers, as dialled from here */
    for (i = 0; i < 3 && n < TPF_EXAMPLES; i++) {
        n += tpe_examples(tpe_region(tpf_below(st,
                                               (unsigned) tpe_region_count())),
                          region ? region : from,
                          examples + n, TPF_EXAMPLES - n);
    }

    /* and the bare national significant numbers, to build on */
    nn = tpe_examples(cc_region, NULL, nsns, TPF_EXAMPLES);

    for (i = 0; i < n; i++) {
        tpf_check_str(st, examples[i], region);
    }

    for (i = 0; i < nn; i++) {
        for (j = 0; j < TPF_MUTATIONS * 5; j++) {
            tpf_one(st, region, cc, ndd, nsns[i]);
        }
    }

    for (r = 0; r < TPF_RANDOM * scale; r++) {
        tpf_one(st, region, cc, ndd,
                nn > 0 && tpf_below(st, 2) ? nsns[tpf_below(st, nn)] : NULL);
    }
}


static void
tpf_report(const char *what, const tpf_state_t *st)
{
    printf("%s: %u inputs, %u (%.1f%%) answered by the fast path "
           "(%u valid), %u mismatches\n",
           what, st->total, st->fast,
           st->total ? 100.0 * st->fast / st->total : 0.0, st->ok,
           st->mismatches);
}


/* every region as the default region, and no region at all */

static void
test_fast_differential(void **state)
{
    int           i, count;
    unsigned      scale;
    const char   *env, *region;
    tpf_state_t   st;
    static char   examples[512][TPE_EXAMPLE_MAX];

    (void) state;

    memset(&st, 0, sizeof(st));
    st.rng = 0x5eed5eed12345678ULL;

    env = getenv("TEST_PHONE_FAST_SCALE");
    scale = (env != NULL && atoi(env) > 0) ? (unsigned) atoi(env) : 1;

    /* the tables are built here, out of the loop */
    assert_int_equal(levers_phone_region_supported("SA"), 1);

    count = tpe_region_count();
    assert_true(count > 200);

    for (i = 0; i < count; i++) {
        region = tpe_region(i);
        tpf_region(&st, region, region, scale);
    }

    /* without a region: only "+" numbers parse */
    for (i = 0; i < count; i += 7) {
        tpf_region(&st, NULL, tpe_region(i), 1);
        tpf_region(&st, "ZZ", tpe_region((i + 1) % count), 1);
        tpf_region(&st, "XX", tpe_region((i + 2) % count), 1);
    }

    /* +800, +878...: never a default region, always after "+" or an IDD */
    count = tpe_nongeo_examples("SA", examples, 512);

    for (i = 0; i < count; i++) {
        tpf_check_str(&st, examples[i], NULL);
        tpf_check_str(&st, examples[i], "SA");
        tpf_check_str(&st, examples[i], "US");
    }

    tpf_report("differential", &st);

    assert_int_equal(st.mismatches, 0);
    assert_true(st.total >= 300000);
    assert_true(st.fast > st.total / 2);
}


/* the benchmark's numbers and the shapes the brief names */

static void
test_fast_common_inputs(void **state)
{
    int           i, rc, slow;
    char          in[32], out[LEVERS_E164_MAX], out_slow[LEVERS_E164_MAX];
    size_t        len, out_len, slow_len;
    tpf_state_t   st;

    static const struct {
        const char  *in;
        const char  *region;
    }  cases[] = {
        { "0500000001", "SA" },
        { "050 000 0001", "SA" },
        { "+966500000001", NULL },
        { "+966500000001", "SA" },
        { "00966500000001", "SA" },
        { "+1 (415) 555-2671", NULL },
        { "+1 (415) 555-2671", "US" },
        { "(415) 555-2671", "US" },
        { "1 415 555 2671", "US" },
        { "+44 20 7946 0958", NULL },
        { "020 7946 0958", "GB" },
        { "0151 1234567", "DE" },
        { "+49 151 1234567", "SA" },
        { "0512345678", "SA" },
        { "05", "SA" },
        { "050000", "SA" },
        { "0512345678123", "SA" },
        { "0912345678", "SA" },
        { "+1 101 555 0123", NULL },
        { "+44 (0)121 234 5678", NULL },
        { "+966 0512345678", NULL },
        { "+52 1 644 161 7441", NULL },
        { "+00966500000001", "SA" },
        { "0512345678", "CA" },
        { "6135550123", "CA" },
        { "+1 613 555 0123", "CA" },
        { "+7 912 345 6789", NULL },
        { "8 912 345 6789", "RU" },
        { "8 (727) 123 4567", "KZ" },
        { "+39 06 1234 5678", NULL },
        { "06 1234 5678", "IT" },
        { "+800 1234 5678", NULL },
        { "\xd9\xa0\xd9\xa5\xd9\xa1\xd9\xa2\xd9\xa3"
          "\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8", "SA" },
        { "\xef\xbc\x90\xef\xbc\x95 1234 5678", "SA" },
    };

    (void) state;

    memset(&st, 0, sizeof(st));

    for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++) {
        tpf_check_str(&st, cases[i].in, cases[i].region);

        /* and the combined entry point agrees with libphonenumber */
        out[0] = '\0';
        out_slow[0] = '\0';
        len = strlen(cases[i].in);
        rc = levers_phone_to_e164(cases[i].in, len, cases[i].region, out,
                                  &out_len);
        slow = levers_phone_to_e164_slow(cases[i].in, len, cases[i].region,
                                         out_slow, &slow_len);
        assert_int_equal(rc, slow);
        assert_string_equal(out, out_slow);
    }

    /* the common ones all take the fast path */
    assert_int_equal(st.fast, st.total - 1);      /* but "+00966..." */

    for (i = 1; i <= 10000; i++) {
        len = (size_t) snprintf(in, sizeof(in), "05%08d", i);
        tpf_check(&st, in, len, "SA");
    }

    tpf_report("common", &st);

    assert_int_equal(st.mismatches, 0);
    assert_int_equal(st.fast, st.total - 1);
}


/*
 * Input classes the generator above does not reach: every string of one to
 * three digits in every region (the two-digit "viable" rule, an IDD with
 * nothing or a "0" after it), "+" and three or four digits, long digit runs
 * up to the 250-byte bound, region strings that are not regions, all-zero
 * national numbers (the Italian leading zeros), and AG/AI, whose
 * national_prefix_for_parsing captures without a transform rule.
 */

static void
test_fast_edge_classes(void **state)
{
    int           i, k, n, count, rc, slow;
    char          in[300], digits[260], out[LEVERS_E164_MAX],
                  out_slow[LEVERS_E164_MAX];
    size_t        len, out_len, slow_len;
    unsigned      r;
    const char   *region;
    tpf_state_t   st;

    static const char  *regions[] = {
        "", "S", "sa", "Sa", "SAU", "ZZ", "XX", "001", "US", "SA"
    };

    static const struct {
        const char  *in;
        const char  *region;
    }  cases[] = {
        { "4621234", "AG" },
        { "464 1234", "AG" },
        { "268 464 1234", "AG" },
        { "1 268 464 1234", "AG" },
        { "+1 268 464 1234", "AG" },
        { "+1 268 464 1234", "US" },
        { "1 268 464 1234", "US" },
        { "2352345", "AI" },
        { "264 235 2345", "AI" },
        { "1 264 235 2345", "AI" },
        { "+1 264 235 2345", NULL },
        { "+39 000", NULL },
        { "+39 00", NULL },
        { "+39 0000000000", NULL },
        { "+39 06 0000 0000", NULL },
        { "+800 0000 0000", NULL },
        { "00 39 000 000", "SA" },
        { "0011 0 61 2 1234 5678", "AU" },
        { "0011 61 2 1234 5678", "AU" },
        { "0011", "AU" },
        { "011", "US" },
        { "011 0", "US" },
        { "00", "SA" },
        { "000", "SA" },
        { "00 0", "SA" },
        { "00 966", "SA" },
        { "00 9665", "SA" },
        { "966 50 000 0001", "SA" },
        { "966 0 50 000 0001", "SA" },
        { "358 18 123 456", "AX" },
        { "7 727 123 4567", "KZ" },
        { "262 269 61 23 45", "YT" },
        { "(12)", "SA" },
        { "1-2", "SA" },
        { "+12", NULL },
        { "+1 2", NULL },
        { "+", NULL },
        { "+ (", NULL },
        { " \t\r\n", "SA" },
    };

    (void) state;

    memset(&st, 0, sizeof(st));
    st.rng = 0xed9e5eed00c0ffeeULL;

    assert_int_equal(levers_phone_region_supported("SA"), 1);

    for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++) {
        tpf_check_str(&st, cases[i].in, cases[i].region);
    }

    count = tpe_region_count();

    for (i = 0; i <= count; i++) {
        region = (i < count) ? tpe_region(i) : NULL;

        for (n = 1; n <= 3; n++) {
            for (k = 0; k < (n == 1 ? 10 : n == 2 ? 100 : 1000); k++) {
                len = (size_t) snprintf(in, sizeof(in), "%0*d", n, k);
                tpf_check(&st, in, len, region);
            }
        }

        /* long runs of digits, bare, after "+" or the calling code */
        for (k = 0; k < 6; k++) {
            n = 18 + (int) tpf_below(&st, 232);

            for (r = 0; r < (unsigned) n; r++) {
                digits[r] = (char) ('0' + tpf_below(&st, 10));
            }

            digits[n] = '\0';

            if (k % 3 == 1 && region != NULL) {
                len = (size_t) snprintf(in, sizeof(in), "%d%s",
                                        tpe_country_code(region), digits);

            } else {
                len = (size_t) snprintf(in, sizeof(in), "%s%s",
                                        k % 3 == 0 ? "+" : "", digits);
            }

            tpf_check(&st, in, len < 250 ? len : 250, region);
        }
    }

    for (n = 3; n <= 4; n++) {
        for (k = 0; k < (n == 3 ? 1000 : 10000); k++) {
            len = (size_t) snprintf(in, sizeof(in), "+%0*d", n, k);
            tpf_check(&st, in, len, NULL);
            tpf_check(&st, in, len, "US");
        }
    }

    for (i = 0; i < (int) (sizeof(regions) / sizeof(regions[0])); i++) {
        tpf_check_str(&st, "0500000001", regions[i]);
        tpf_check_str(&st, "+966500000001", regions[i]);
        tpf_check_str(&st, "12", regions[i]);
    }

    /* 250 bytes are taken, 251 are "too long" on both paths */
    for (n = 250; n <= 251; n++) {
        memset(in, ' ', (size_t) n);
        memcpy(in + n - 13, "+966500000001", 13);
        tpf_check(&st, in, (size_t) n, NULL);

        out[0] = '\0';
        out_slow[0] = '\0';
        rc = levers_phone_to_e164(in, (size_t) n, NULL, out, &out_len);
        slow = levers_phone_to_e164_slow(in, (size_t) n, NULL, out_slow,
                                         &slow_len);
        assert_int_equal(rc, slow);
        assert_int_equal(rc, n == 250 ? LEVERS_PHONE_OK
                                      : LEVERS_PHONE_TOO_LONG);
        assert_string_equal(out, out_slow);
    }

    tpf_report("edge classes", &st);

    assert_int_equal(st.mismatches, 0);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_fast_common_inputs),
        cmocka_unit_test(test_fast_edge_classes),
        cmocka_unit_test(test_fast_differential),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Nanoseconds per levers_phone_to_e164() call, for the shapes of input a
 * bulk request carries (10 000 numbers per request at most).
 *
 * Build and run from the repository root:
 *
 *   c++ -O2 -Wall -Wextra -Werror -Isrc -c src/levers_phone.cpp \
 *       -o /tmp/levers_phone.o
 *   c++ -O2 -Wall -Wextra -Werror -Isrc -c src/levers_phone_fast.cpp \
 *       -o /tmp/levers_phone_fast.o
 *   cc -std=c99 -O2 -Wall -Wextra -Werror -Isrc -c bench/phone_bench.c \
 *       -o /tmp/phone_bench.o
 *   c++ -o /tmp/phone_bench /tmp/phone_bench.o /tmp/levers_phone.o \
 *       /tmp/levers_phone_fast.o -lphonenumber -lprotobuf -lpcre2-8
 *   /tmp/phone_bench [iterations]
 *
 * Instructions per number, the stable measure on a shared machine: one
 * pass over a set of numbers ("sa": "0500000001".."0500010000" in region
 * SA, as the request benchmark sends; "mixed": the usual shapes of several
 * regions; "exotic": inputs the fast path declines), with "slow" through
 * libphonenumber only, as before the fast path:
 *
 *   valgrind --tool=callgrind --toggle-collect=bench_set_pass \
 *       /tmp/phone_bench set sa [slow]
 *
 * and divide the instructions by the count it prints.
 */

#define _POSIX_C_SOURCE  199309L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "levers_phone.h"


typedef struct {
    const char  *name;
    const char  *number;
    const char  *region;
    int          rc;
} bench_case_t;


static const bench_case_t  bench_cases[] = {
    { "local SA",          "0500000001",         "SA", LEVERS_PHONE_OK },
    { "local SA spaced",   "050 000 0001",       "SA", LEVERS_PHONE_OK },
    { "E.164",             "+966500000001",      NULL, LEVERS_PHONE_OK },
    { "E.164 region SA",   "+966500000001",      "SA", LEVERS_PHONE_OK },
    { "US formatted",      "+1 (415) 555-2671",  NULL, LEVERS_PHONE_OK },
    { "not a number",      "abc",                "SA",
      LEVERS_PHONE_NOT_A_NUMBER },
    { "too short",         "05",                 "SA",
      LEVERS_PHONE_TOO_SHORT },
};


/* numbers of the "mixed" set: %s gets four digits that vary */
static const struct {
    const char  *format;
    const char  *region;
} bench_mixed[] = {
    { "+1 (415) 555-%s",      NULL },
    { "(201) 555-%s",         "US" },
    { "00966 50 000 %s",      "SA" },
    { "+966 50 000 %s",       NULL },
    { "050 000 %s",           "SA" },
    { "+44 20 7946 %s",       NULL },
    { "07400 12%s",           "GB" },
    { "0151 123%s",           "DE" },
    { "+49 30 12%s",          "SA" },
    { "081234 5%s",           "IN" },
    { "050 123 %s",           "AE" },
    { "+7 912 345 %s",        NULL },
    { "06 1234 %s",           "IT" },
    { "05%s",                 "SA" },    /* too short */
    { "091234%s",             "SA" },    /* not valid */
    { "+33 6 12 34 %s",       "FR" },
    { "\xd9\xa0\xd9\xa5\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4%s", "SA" },
};


static const struct {
    const char  *number;
    const char  *region;
} bench_exotic[] = {
    { "tel:+1-201-555-0123",       NULL },
    { "+1 201 555 0123 ext. 7",    NULL },
    { "1-800-FLOWERS",             "US" },
    { "Tel: 0512345678",           "SA" },
    { "abc",                       "SA" },
    { "0512345678 / 0512345679",   "SA" },
    { "+54 9 11 1234 5678",        NULL },
};


#define BENCH_SET_MAX  10000


typedef struct {
    char         number[48];
    size_t       len;
    const char  *region;
} bench_input_t;


/* the function callgrind counts (--toggle-collect) */

__attribute__((noinline)) static unsigned
bench_set_pass(const bench_input_t *in, size_t n, int slow)
{
    char      out[LEVERS_E164_MAX];
    size_t    i, out_len;
    unsigned  ok;

    ok = 0;

    for (i = 0; i < n; i++) {
        ok += (slow ? levers_phone_to_e164_slow(in[i].number, in[i].len,
                                                in[i].region, out, &out_len)
                    : levers_phone_to_e164(in[i].number, in[i].len,
                                           in[i].region, out, &out_len))
              == LEVERS_PHONE_OK;
    }

    return ok;
}


static int
bench_set(const char *name, int slow)
{
    char            digits[8];
    size_t          i, n;
    unsigned        ok;
    bench_input_t  *in;

    in = calloc(BENCH_SET_MAX, sizeof(bench_input_t));
    if (in == NULL) {
        return 1;
    }

    n = 0;

    if (strcmp(name, "sa") == 0) {
        for (i = 1; i <= BENCH_SET_MAX; i++) {
            in[n].len = (size_t) snprintf(in[n].number,
                                          sizeof(in[n].number),
                                          "05%08u", (unsigned) i);
            in[n++].region = "SA";
        }

    } else if (strcmp(name, "mixed") == 0) {
        for (i = 0; i < BENCH_SET_MAX; i++) {
            size_t  k = i % (sizeof(bench_mixed) / sizeof(bench_mixed[0]));

            snprintf(digits, sizeof(digits), "%04u", (unsigned) (i % 10000));
            in[n].len = (size_t) snprintf(in[n].number,
                                          sizeof(in[n].number),
                                          bench_mixed[k].format, digits);
            in[n++].region = bench_mixed[k].region;
        }

    } else if (strcmp(name, "exotic") == 0) {
        for (i = 0; i < 1000; i++) {
            size_t  k = i % (sizeof(bench_exotic) / sizeof(bench_exotic[0]));

            in[n].len = strlen(bench_exotic[k].number);
            memcpy(in[n].number, bench_exotic[k].number, in[n].len);
            in[n++].region = bench_exotic[k].region;
        }

    } else {
        fprintf(stderr, "unknown set \"%s\"\n", name);
        free(in);
        return 2;
    }

    /* the tables (and libphonenumber's) are built before the pass */
    (void) levers_phone_region_supported("SA");

    ok = bench_set_pass(in, n, slow);

    printf("set %s%s: %u numbers, %u valid\n", name, slow ? " (slow)" : "",
           (unsigned) n, ok);

    free(in);

    return 0;
}


static double
bench_now_ns(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}


static int
bench_one(const bench_case_t *bc, long iterations)
{
    char    out[LEVERS_E164_MAX];
    long    i;
    size_t  len, out_len;
    double  start, ns;

    len = strlen(bc->number);

    /* a warm-up call, which also checks the answer */
    if (levers_phone_to_e164(bc->number, len, bc->region, out, &out_len)
        != bc->rc)
    {
        fprintf(stderr, "%s: unexpected result\n", bc->name);
        return 1;
    }

    start = bench_now_ns();

    for (i = 0; i < iterations; i++) {
        (void) levers_phone_to_e164(bc->number, len, bc->region, out,
                                    &out_len);
    }

    ns = (bench_now_ns() - start) / (double) iterations;

    printf("%-18s %-20s %8.0f ns/call  %6.1f ms per 10 000\n",
           bc->name, bc->number, ns, ns * 1e4 / 1e6);

    return 0;
}


int
main(int argc, char **argv)
{
    long    iterations;
    size_t  i;
    double  start;

    if (argc > 2 && strcmp(argv[1], "set") == 0) {
        return bench_set(argv[2], argc > 3 && strcmp(argv[3], "slow") == 0);
    }

    iterations = (argc > 1) ? atol(argv[1]) : 200000;

    if (iterations < 1) {
        fprintf(stderr, "iterations must be at least 1\n");
        return 2;
    }

    /* the first call loads libphonenumber's metadata */
    start = bench_now_ns();

    if (!levers_phone_region_supported("SA")) {
        fprintf(stderr, "SA not supported\n");
        return 1;
    }

    printf("first call (metadata load) %.1f ms\n",
           (bench_now_ns() - start) / 1e6);

    for (i = 0; i < sizeof(bench_cases) / sizeof(bench_cases[0]); i++) {
        if (bench_one(&bench_cases[i], iterations) != 0) {
            return 1;
        }
    }

    return 0;
}

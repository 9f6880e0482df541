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
 *   cc -std=c99 -O2 -Wall -Wextra -Werror -Isrc -c bench/phone_bench.c \
 *       -o /tmp/phone_bench.o
 *   c++ -o /tmp/phone_bench /tmp/phone_bench.o /tmp/levers_phone.o \
 *       -lphonenumber
 *   /tmp/phone_bench [iterations]
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

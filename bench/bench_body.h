/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * What the C benchmarks share: the HTTP benchmark's request body, built
 * in C, the request pool's stand-in, a monotonic clock, and the reading
 * of callgrind's dumps.  Included by bench/micro.c and
 * bench/fastbody_bench.c.
 */

#ifndef BENCH_BODY_H
#define BENCH_BODY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#define BENCH_TEMPLATE_ID   "7d1c2f7e-5b8a-4c11-9d7e-3a6f0c2b9e41"


/* the request pool: a bump allocator, reset between runs */
typedef struct {
    char        *base;
    size_t       size;
    size_t       used;
} bench_arena_t;


/* a levers_alloc_pt on a bench_arena_t, aligned as nginx's pool */

static void *
bench_alloc(void *ctx, size_t size)
{
    void           *p;
    bench_arena_t  *a;

    a = ctx;
    size = (size + 15) & ~(size_t) 15;

    if (a->used + size > a->size) {
        return NULL;
    }

    p = a->base + a->used;
    a->used += size;

    return p;
}


/* the body bench/conf/body.pl writes, byte for byte (malloc'd), or NULL */

static char *
bench_body_make(size_t ncontacts, size_t *body_len)
{
    int      n;
    char    *p;
    size_t   i, size, len;

    size = 256 + ncontacts * 300;

    p = malloc(size);
    if (p == NULL) {
        return NULL;
    }

    len = (size_t) sprintf(p, "{\"aiSettingsTemplateId\":\"%s\","
                           "\"countryCode\":\"SA\",\"updateExisting\":false,"
                           "\"contacts\":[", BENCH_TEMPLATE_ID);

    for (i = 1; i <= ncontacts; i++) {
        n = snprintf(p + len, size - len,
                     "%s{\"numberToCall\":\"05%08zu\",\"firstName\":"
                     "\"Ahmed\",\"lastName\":\"Al-Rashid\",\"metadata\":"
                     "{\"invoiceNumber\":\"INV-%06zu\",\"amount\":"
                     "\"5000.00\"},\"promptTags\":{\"company\":\"Levers\","
                     "\"name\":\"Ahmed Al-Rashid\",\"amount\":\"5,000 SAR\","
                     "\"due_date\":\"January 15, 2026\",\"account\":"
                     "\"ACC-%06zu\"}}",
                     i > 1 ? "," : "", i, i, i);

        if (n < 0 || (size_t) n >= size - len) {
            free(p);
            return NULL;
        }

        len += n;
    }

    memcpy(p + len, "]}", 2);
    *body_len = len + 2;

    return p;
}


static double
bench_now(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * One callgrind dump (a CALLGRIND_DUMP_STATS_AT part): the name it was
 * dumped at ("desc: Trigger: Client Request: <name>", 64 bytes) and its
 * total instructions; the file is removed.  -1 when there is no such
 * file or it has no total.
 */

static int
bench_callgrind_part(const char *path, char *name, double *ir)
{
    FILE  *f;
    char   line[512];

    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }

    name[0] = '\0';
    *ir = -1;

    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "desc: Trigger: Client Request: %63s", name) == 1) {
            continue;
        }

        if (sscanf(line, "totals: %lf", ir) == 1
            || sscanf(line, "summary: %lf", ir) == 1)
        {
            continue;
        }
    }

    fclose(f);
    unlink(path);

    return *ir >= 0 ? 0 : -1;
}

#endif /* BENCH_BODY_H */

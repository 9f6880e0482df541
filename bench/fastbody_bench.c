/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The fast body path (levers_fast_parse()) against the general one
 * (json_loadb() + levers_validate_request(), then json_decref() of the
 * DOM, which a pool cleanup does), over the HTTP bench's body of N
 * contacts (default 10 000; bench/micro.c's generator, the same bytes
 * as bench/conf/body.pl), compact as clients send it and reformatted as
 * Python's json.dumps(body) (", " and ": ") and json.dumps(body,
 * indent=2) write it.
 *
 * Build from the repository root:
 *
 *   cc -std=c99 -O2 -g -Wall -Wextra -Werror -Isrc \
 *       bench/fastbody_bench.c src/levers_fastbody.c src/levers_validate.c \
 *       src/levers_request.c src/levers_json.c -ljansson -lm \
 *       -o /tmp/fastbody_bench
 *
 *   /tmp/fastbody_bench [contacts [repeats]]     wall clock, ns/contact
 *   /tmp/fastbody_bench --callgrind [contacts]   instructions/contact
 *
 * --callgrind runs this program again under valgrind --tool=callgrind,
 * each stage once between CALLGRIND toggles: repeatable figures on a
 * noisy machine.
 */

#define _POSIX_C_SOURCE  200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "levers_validate.h"
#include "levers_fastbody.h"
#include "bench_body.h"


#define BENCH_ARENA_SIZE    (512u * 1024 * 1024)


typedef enum {
    BENCH_COMPACT = 0,
    BENCH_PYTHON,
    BENCH_INDENT,
    BENCH_NBODIES
} bench_body_e;


typedef enum {
    BENCH_FAST = 0,
    BENCH_PARSE,
    BENCH_VALIDATE,
    BENCH_FREE,
    BENCH_NSTAGES
} bench_stage_e;


static const char  *bench_body_names[BENCH_NBODIES] = {
    "compact", "python", "indent2"
};

static const char  *bench_stage_names[BENCH_NSTAGES] = {
    "fast", "json_loadb", "validate", "json_decref"
};


typedef struct {
    char        *p;
    size_t       len;
} bench_text_t;


typedef struct {
    size_t         ncontacts;
    bench_text_t   body[BENCH_NBODIES];
    bench_arena_t  arena;
    double         ns[BENCH_NBODIES][BENCH_NSTAGES];
    size_t         pool_fast[BENCH_NBODIES];
    size_t         pool_general[BENCH_NBODIES];
    int            collect;
} bench_t;


/* the body bench/conf/body.pl writes: bench_body.h */

static int
bench_make_body(bench_t *b)
{
    b->body[BENCH_COMPACT].p = bench_body_make(b->ncontacts,
                                             &b->body[BENCH_COMPACT].len);

    return b->body[BENCH_COMPACT].p ? 0 : -1;
}


/*
 * The compact body as Python's json.dumps() writes it: indent 0 gives
 * the default separators ", " and ": ", else one member a line.  The
 * body's strings hold no quote or backslash, so a quote toggles "in a
 * string".
 */

static int
bench_reformat(const bench_text_t *in, bench_text_t *out, int indent)
{
    int          in_str, depth, i;
    char        *q;
    const char  *p, *end;

    out->p = malloc(in->len * 3);
    if (out->p == NULL) {
        return -1;
    }

    q = out->p;
    in_str = 0;
    depth = 0;

    for (p = in->p, end = in->p + in->len; p < end; p++) {
        if (in_str) {
            in_str = (*p != '"');
            *q++ = *p;
            continue;
        }

        switch (*p) {

        case '"':
            in_str = 1;
            *q++ = *p;
            break;

        case ':':
            *q++ = ':';
            *q++ = ' ';
            break;

        case ',':
            *q++ = ',';

            if (indent == 0) {
                *q++ = ' ';
                break;
            }

            *q++ = '\n';

            for (i = 0; i < depth * indent; i++) {
                *q++ = ' ';
            }
            break;

        case '{':
        case '[':
            *q++ = *p;

            if (indent) {
                depth++;
                *q++ = '\n';

                for (i = 0; i < depth * indent; i++) {
                    *q++ = ' ';
                }
            }
            break;

        case '}':
        case ']':
            if (indent) {
                depth--;
                *q++ = '\n';

                for (i = 0; i < depth * indent; i++) {
                    *q++ = ' ';
                }
            }

            *q++ = *p;
            break;

        default:
            *q++ = *p;
        }
    }

    out->len = q - out->p;

    return 0;
}


static int
bench_pass(bench_t *b, int which, double *times)
{
    int                rc;
    double             t;
    json_t            *body;
    json_error_t       jerr;
    levers_errors_t    errs;
    levers_request_t   req;
    const char        *buf;
    size_t             len;

#define BENCH_START                                                          \
    if (b->collect) {                                                        \
        CALLGRIND_TOGGLE_COLLECT;                                            \
    }                                                                        \
    t = bench_now()

#define BENCH_STOP(stage)                                                    \
    times[stage] = bench_now() - t;                                          \
    if (b->collect) {                                                        \
        char  name[64];                                                      \
        CALLGRIND_TOGGLE_COLLECT;                                            \
        snprintf(name, sizeof(name), "%s/%s", bench_body_names[which],       \
                 bench_stage_names[stage]);                                  \
        CALLGRIND_DUMP_STATS_AT(name);                                       \
    }

    buf = b->body[which].p;
    len = b->body[which].len;

    b->arena.used = 0;

    BENCH_START;
    rc = levers_fast_parse(buf, len, &req, bench_alloc, &b->arena);
    BENCH_STOP(BENCH_FAST);

    if (rc != 0 || req.ncontacts != b->ncontacts) {
        fprintf(stderr, "%s: fast path: %d\n", bench_body_names[which], rc);
        return -1;
    }

    b->pool_fast[which] = b->arena.used;
    b->arena.used = 0;

    if (levers_errors_init(&errs, 1000) != 0) {
        return -1;
    }

    BENCH_START;
    body = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    BENCH_STOP(BENCH_PARSE);

    if (body == NULL) {
        fprintf(stderr, "parse: %s at %d\n", jerr.text, jerr.position);
        return -1;
    }

    BENCH_START;
    rc = levers_validate_request(body, &req, &errs, bench_alloc, &b->arena);
    BENCH_STOP(BENCH_VALIDATE);

    if (rc != 0 || req.ncontacts != b->ncontacts) {
        fprintf(stderr, "validate: %d\n", rc);
        return -1;
    }

    b->pool_general[which] = b->arena.used;

    BENCH_START;
    json_decref(body);
    BENCH_STOP(BENCH_FREE);

    levers_errors_free(&errs);

#undef BENCH_START
#undef BENCH_STOP

    return 0;
}


static int
bench_init(bench_t *b, size_t ncontacts)
{
    memset(b, 0, sizeof(bench_t));

    b->ncontacts = ncontacts;
    b->arena.size = BENCH_ARENA_SIZE;
    b->arena.base = malloc(BENCH_ARENA_SIZE);

    if (b->arena.base == NULL) {
        return -1;
    }

    /* fault the pages in once, as a long-running worker has them */
    memset(b->arena.base, 0, BENCH_ARENA_SIZE);

    if (bench_make_body(b) != 0
        || bench_reformat(&b->body[BENCH_COMPACT], &b->body[BENCH_PYTHON], 0)
           != 0
        || bench_reformat(&b->body[BENCH_COMPACT], &b->body[BENCH_INDENT], 2)
           != 0)
    {
        return -1;
    }

    return 0;
}


static void
bench_report(const bench_t *b, long repeats)
{
    int           w;
    double        fast, general;
    const double  *ns;

    printf("%zu contacts, best of %ld runs, ns/contact\n\n", b->ncontacts,
           repeats);
    printf("%-8s %9s %8s %8s %8s %8s %8s %7s\n", "body", "bytes", "fast",
           "loadb", "validate", "decref", "general", "ratio");

    for (w = 0; w < BENCH_NBODIES; w++) {
        ns = b->ns[w];
        fast = ns[BENCH_FAST];
        general = ns[BENCH_PARSE] + ns[BENCH_VALIDATE] + ns[BENCH_FREE];

        printf("%-8s %9zu %8.1f %8.1f %8.1f %8.1f %8.1f %6.1fx\n",
               bench_body_names[w], b->body[w].len, fast / b->ncontacts,
               ns[BENCH_PARSE] / b->ncontacts,
               ns[BENCH_VALIDATE] / b->ncontacts,
               ns[BENCH_FREE] / b->ncontacts, general / b->ncontacts,
               general / fast);
    }

    printf("\npool memory, bytes and times the body (jansson's heap not "
           "counted):\n");

    for (w = 0; w < BENCH_NBODIES; w++) {
        printf("%-8s fast %10zu %.2fx   validate %10zu %.2fx\n",
               bench_body_names[w], b->pool_fast[w],
               (double) b->pool_fast[w] / b->body[w].len,
               b->pool_general[w],
               (double) b->pool_general[w] / b->body[w].len);
    }
}


/*
 * Runs "valgrind --tool=callgrind self --once N" and reads back each
 * stage's dump: "desc: Trigger: Client Request: <body>/<stage>" and
 * "totals: Ir".
 */

static int
bench_callgrind(const char *self, size_t ncontacts)
{
    int     s, w, part;
    long    pid;
    char    dir[] = "/tmp/levers-fastbody-XXXXXX";
    char    cmd[1024], path[1200], stage[64], name[64];
    double  ir, fast, general;
    double  irs[BENCH_NBODIES][BENCH_NSTAGES];

    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }

    pid = (long) getpid();

    snprintf(cmd, sizeof(cmd),
             "valgrind --tool=callgrind --collect-atstart=no "
             "--callgrind-out-file=%s/cg.%ld -q '%s' --once %zu",
             dir, pid, self, ncontacts);

    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        return -1;
    }

    memset(irs, 0, sizeof(irs));

    for (part = 1; part <= BENCH_NBODIES * BENCH_NSTAGES + 1; part++) {
        snprintf(path, sizeof(path), "%s/cg.%ld.%d", dir, pid, part);

        if (bench_callgrind_part(path, stage, &ir) != 0) {
            continue;
        }

        for (w = 0; w < BENCH_NBODIES; w++) {
            for (s = 0; s < BENCH_NSTAGES; s++) {
                snprintf(name, sizeof(name), "%s/%s", bench_body_names[w],
                         bench_stage_names[s]);

                if (strcmp(stage, name) == 0 && ir >= 0) {
                    irs[w][s] = ir;
                }
            }
        }
    }

    snprintf(path, sizeof(path), "%s/cg.%ld", dir, pid);
    unlink(path);
    rmdir(dir);

    printf("%zu contacts, one run of each stage, instructions/contact\n\n",
           ncontacts);
    printf("%-8s %8s %8s %8s %8s %8s %7s\n", "body", "fast", "loadb",
           "validate", "decref", "general", "ratio");

    for (w = 0; w < BENCH_NBODIES; w++) {
        fast = irs[w][BENCH_FAST];
        general = irs[w][BENCH_PARSE] + irs[w][BENCH_VALIDATE]
                  + irs[w][BENCH_FREE];

        printf("%-8s %8.0f %8.0f %8.0f %8.0f %8.0f %6.1fx\n",
               bench_body_names[w], fast / ncontacts,
               irs[w][BENCH_PARSE] / ncontacts,
               irs[w][BENCH_VALIDATE] / ncontacts,
               irs[w][BENCH_FREE] / ncontacts, general / ncontacts,
               fast > 0 ? general / fast : 0);
    }

    return 0;
}


int
main(int argc, char **argv)
{
    int          s, w, once;
    long         r, repeats;
    size_t       n;
    bench_t      b;
    const char  *self;
    double       times[BENCH_NSTAGES];

    self = argv[0];

    if (argc > 1 && strcmp(argv[1], "--callgrind") == 0) {
        n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
        return bench_callgrind(self, n ? n : 10000) == 0 ? 0 : 1;
    }

    once = (argc > 1 && strcmp(argv[1], "--once") == 0);
    if (once) {
        argv++;
        argc--;
    }

    n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    repeats = once ? 1 : (argc > 2 ? strtol(argv[2], NULL, 10) : 7);

    if (n == 0 || repeats <= 0) {
        fprintf(stderr, "usage: %s [--callgrind] [contacts [repeats]]\n",
                self);
        return 2;
    }

    if (bench_init(&b, n) != 0) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    for (w = 0; w < BENCH_NBODIES; w++) {
        for (s = 0; s < BENCH_NSTAGES; s++) {
            b.ns[w][s] = 1e300;
        }

        /* a first run, never counted, warms caches and malloc's arenas */
        if (bench_pass(&b, w, times) != 0) {
            return 1;
        }
    }

    b.collect = once;

    for (r = 0; r < repeats; r++) {
        for (w = 0; w < BENCH_NBODIES; w++) {
            if (bench_pass(&b, w, times) != 0) {
                return 1;
            }

            for (s = 0; s < BENCH_NSTAGES; s++) {
                if (times[s] < b.ns[w][s]) {
                    b.ns[w][s] = times[s];
                }
            }
        }
    }

    if (!once) {
        bench_report(&b, repeats);
    }

    return 0;
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Microbenchmark of the pure C stages of a bulk request, over one body of
 * N contacts (default 10 000) shaped as bench/conf/body.pl makes them:
 * local Saudi numbers with "countryCode":"SA", names, metadata, five
 * promptTags, and a template of five placeholders.
 *
 *   fast        levers_fast_parse(): parse and validate in one pass, the
 *               module's path for such a body
 *   parse       json_loadb() of the body (JSON_DECODE_ANY|JSON_ALLOW_NUL,
 *               as ngx_levers_body.c): the general path, for comparison
 *   validate    levers_validate_request() (general path)
 *   plan e164   levers_plan() with numbers normalised (libphonenumber),
 *               duplicates and tags checked
 *   plan raw    the same with levers_bulk_e164 off: the difference is
 *               the numbers' cost
 *   libphone    levers_phone_to_e164_slow() over the same numbers:
 *               libphonenumber's own cost, for comparison (the module
 *               uses it only for numbers its fast path declines)
 *   batches     levers_bulk_split() and levers_payload_batch() for every
 *               batch of 100, prompts rendered, into a copying writer
 *   batches -tpl  the same without a template: serialisation alone
 *   result      levers_payload_result(), every batch accepted
 *   free        json_decref() of the general path's body (a pool cleanup)
 *
 * The plan and batch stages run on the fast path's request.  "module" is
 * fast + plan e164 + batches + result; "general path" puts parse +
 * validate + free in place of fast.
 *
 * Wall clock: each stage repeated, the best run kept, in ns per contact.
 * "--callgrind" runs this program again under valgrind --tool=callgrind,
 * each stage once between CALLGRIND toggles, and prints instructions per
 * contact per stage: repeatable on a noisy machine.
 *
 * Build from the repository root (or: bench/run.sh --micro):
 *
 *   mkdir -p /tmp/micro.d && cd /tmp/micro.d
 *   c++ -O2 -g -I$OLDPWD/src -c $OLDPWD/src/levers_phone.cpp \
 *       $OLDPWD/src/levers_phone_fast.cpp
 *   cc -std=c99 -O2 -g -Wall -Wextra -Werror -I$OLDPWD/src -c \
 *       $OLDPWD/bench/micro.c $OLDPWD/src/levers_validate.c \
 *       $OLDPWD/src/levers_request.c $OLDPWD/src/levers_fastbody.c \
 *       $OLDPWD/src/levers_contacts.c $OLDPWD/src/levers_payload.c \
 *       $OLDPWD/src/levers_template.c $OLDPWD/src/levers_json.c
 *   c++ -o micro *.o -ljansson -lphonenumber -lprotobuf -lpcre2-8 \
 *       && cd $OLDPWD
 *
 * (-O2 -g, as util/build.sh builds the module.)
 *
 *   /tmp/micro.d/micro [--bump] [contacts [repeats]]
 *   /tmp/micro.d/micro [--bump] --callgrind [contacts]
 *
 * --bump gives jansson a bump allocator (free() does nothing), as a
 * request-pool allocator in the module would: what that would save.
 */

#define _POSIX_C_SOURCE  200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "levers_payload.h"
#include "bench_body.h"
#include "levers_fastbody.h"


#define BENCH_ARENA_SIZE    (256u * 1024 * 1024)
#define BENCH_SINK_SIZE     (1024u * 1024)
#define BENCH_BATCH_SIZE    100


typedef enum {
    BENCH_FAST = 0,
    BENCH_PARSE,
    BENCH_VALIDATE,
    BENCH_PLAN_E164,
    BENCH_PLAN_RAW,
    BENCH_BATCHES,
    BENCH_BATCHES_NOTPL,
    BENCH_RESULT,
    BENCH_FREE,
    BENCH_LIBPHONE,
    BENCH_NSTAGES
} bench_stage_e;


static const char  *bench_stage_names[BENCH_NSTAGES] = {
    "fast", "parse", "validate", "plan_e164", "plan_raw", "batches",
    "batches_notpl", "result", "free", "libphone"
};


/* nginx's writer copies into buffers: so does this one, into a ring */
typedef struct {
    char        *buf;
    size_t       pos;
    size_t       total;
} bench_sink_t;


/*
 * jansson's heap, through json_set_alloc_funcs(): malloc() counted, or
 * with --bump a bump allocator whose free() does nothing, reset to mark
 * before each run, as a request pool would serve jansson
 */
typedef struct {
    size_t       live;
    size_t       peak;
    char        *bump;
    size_t       bump_size;
    size_t       bump_used;
    size_t       bump_mark;
} bench_heap_t;


typedef struct {
    char                *body;
    size_t               body_len;
    size_t               ncontacts;
    levers_template_t    tpl;
    bench_arena_t        arena;
    bench_sink_t         sink;
    double               ns[BENCH_NSTAGES];
    size_t               out_bytes[BENCH_NSTAGES];
    size_t               heap_dom;       /* jansson bytes held by the DOM */
    size_t               arena_validate; /* pool bytes of validation */
    size_t               arena_fast;     /* pool bytes of the fast path */
    size_t               arena_plan;     /* of one plan (with e164) */
    int                  collect;        /* toggle callgrind per stage */
} bench_t;


static bench_heap_t  bench_heap;    /* only jansson's callbacks touch it */


static const char  bench_prompt[] =
    "You are a collections agent for {{company}}. The customer, "
    "{{ name }}, owes {{amount}} due by {{due_date}}.\n"
    "Be professional and offer payment plan options if the customer "
    "cannot pay in full. Account: {{account}}.";


static void *
bench_heap_bump_malloc(size_t size)
{
    void  *p;

    size = (size + 15) & ~(size_t) 15;

    if (bench_heap.bump_used + size > bench_heap.bump_size) {
        return NULL;
    }

    p = bench_heap.bump + bench_heap.bump_used;
    bench_heap.bump_used += size;
    bench_heap.live = bench_heap.bump_used - bench_heap.bump_mark;

    if (bench_heap.live > bench_heap.peak) {
        bench_heap.peak = bench_heap.live;
    }

    return p;
}


static void
bench_heap_bump_free(void *ptr)
{
    (void) ptr;
}


static void *
bench_heap_malloc(size_t size)
{
    size_t  *p;

    p = malloc(size + 16);
    if (p == NULL) {
        return NULL;
    }

    p[0] = size;
    bench_heap.live += size;

    if (bench_heap.live > bench_heap.peak) {
        bench_heap.peak = bench_heap.live;
    }

    return (char *) p + 16;
}


static void
bench_heap_free(void *ptr)
{
    size_t  *p;

    if (ptr == NULL) {
        return;
    }

    p = (size_t *) ((char *) ptr - 16);
    bench_heap.live -= p[0];
    free(p);
}


static int
bench_write(void *data, const char *buf, size_t len)
{
    size_t         n;
    bench_sink_t  *s;

    s = data;
    s->total += len;

    while (len) {
        if (s->pos == BENCH_SINK_SIZE) {
            s->pos = 0;
        }

        n = BENCH_SINK_SIZE - s->pos;
        n = n < len ? n : len;

        memcpy(s->buf + s->pos, buf, n);
        s->pos += n;
        buf += n;
        len -= n;
    }

    return 0;
}


/* the body bench/conf/body.pl writes: bench_body.h */

static int
bench_make_body(bench_t *b)
{
    b->body = bench_body_make(b->ncontacts, &b->body_len);

    return b->body ? 0 : -1;
}


static int
bench_make_template(bench_t *b)
{
    char  err[128];

    b->tpl.system_prompt = levers_tpl_compile(bench_prompt,
                                              sizeof(bench_prompt) - 1,
                                              err, sizeof(err));
    if (b->tpl.system_prompt == NULL) {
        fprintf(stderr, "template: %s\n", err);
        return -1;
    }

    b->tpl.knowledge_base = NULL;
    b->tpl.settings = json_pack("{ssss}", "voice", "female-1",
                                "language", "ar-SA");

    return b->tpl.settings ? 0 : -1;
}


static void
bench_plan_conf(const bench_t *b, levers_plan_conf_t *pc, int normalise)
{
    pc->default_region = "SA";
    pc->missing_tag = LEVERS_TAG_MISSING_ERROR;
    pc->tpl = &b->tpl;
    pc->skip_invalid = 0;
    pc->dedupe = 1;
    pc->normalise = normalise ? 1 : 0;
}


/* every batch of the bulk, as dispatch sends them */

static int
bench_batches(bench_t *b, levers_bulk_t *bulk)
{
    size_t  i;

    for (i = 0; i < bulk->nbatches; i++) {
        if (levers_payload_batch(bulk, i, bench_write, &b->sink) != 0) {
            return -1;
        }
    }

    return 0;
}


/* every number through libphonenumber alone, as the plan would */

static int
bench_libphone(const levers_request_t *req)
{
    char    e164[LEVERS_E164_MAX];
    size_t  i, len;

    for (i = 0; i < req->ncontacts; i++) {
        if (levers_phone_to_e164_slow(req->contacts[i].number,
                                      req->contacts[i].number_len, "SA",
                                      e164, &len)
            != LEVERS_PHONE_OK)
        {
            return -1;
        }
    }

    return 0;
}


/*
 * One pass over every stage; times[] gets each stage's ns.  Under
 * callgrind (collect off at start) each stage is collected and dumped on
 * its own.
 */

static int
bench_pass(bench_t *b, double *times)
{
    int                 rc;
    size_t              i, nb;
    json_t             *body;
    double              t;
    json_error_t        jerr;
    levers_bulk_t       bulk;
    levers_plan_t       plan, plan_raw;
    levers_errors_t     errs;
    levers_request_t    req, freq;
    levers_plan_conf_t  pc;

#define BENCH_START(stage)                                                   \
    if (b->collect) {                                                        \
        CALLGRIND_TOGGLE_COLLECT;                                            \
    }                                                                        \
    t = bench_now();                                                         \
    b->sink.total = 0

#define BENCH_STOP(stage)                                                    \
    times[stage] = bench_now() - t;                                          \
    if (b->collect) {                                                        \
        CALLGRIND_TOGGLE_COLLECT;                                            \
        CALLGRIND_DUMP_STATS_AT(bench_stage_names[stage]);                   \
    }                                                                        \
    b->out_bytes[stage] = b->sink.total

    b->arena.used = 0;
    bench_heap.bump_used = bench_heap.bump_mark;
    memset(&req, 0, sizeof(req));

    if (levers_errors_init(&errs, 1000) != 0) {
        return -1;
    }

    BENCH_START(BENCH_FAST);
    rc = levers_fast_parse(b->body, b->body_len, &freq, bench_alloc,
                           &b->arena);
    BENCH_STOP(BENCH_FAST);

    if (rc != 0 || freq.ncontacts != b->ncontacts) {
        fprintf(stderr, "fast path: %d\n", rc);
        return -1;
    }

    b->arena_fast = b->arena.used;

    BENCH_START(BENCH_PARSE);
    body = json_loadb(b->body, b->body_len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                      &jerr);
    BENCH_STOP(BENCH_PARSE);

    if (body == NULL) {
        fprintf(stderr, "parse: %s at %d\n", jerr.text, jerr.position);
        return -1;
    }

    b->heap_dom = bench_heap.live;

    BENCH_START(BENCH_VALIDATE);
    rc = levers_validate_request(body, &req, &errs, bench_alloc, &b->arena);
    BENCH_STOP(BENCH_VALIDATE);

    if (rc != 0 || req.ncontacts != b->ncontacts) {
        fprintf(stderr, "validate: %d, %zu errors\n", rc, errs.total);
        return -1;
    }

    b->arena_validate = b->arena.used - b->arena_fast;
    req = freq;

    bench_plan_conf(b, &pc, 0);

    BENCH_START(BENCH_PLAN_RAW);
    rc = levers_plan(&req, &pc, &plan_raw, &errs, bench_alloc, &b->arena);
    BENCH_STOP(BENCH_PLAN_RAW);

    bench_plan_conf(b, &pc, 1);
    b->arena_plan = b->arena.used;

    BENCH_START(BENCH_PLAN_E164);
    rc |= levers_plan(&req, &pc, &plan, &errs, bench_alloc, &b->arena);
    BENCH_STOP(BENCH_PLAN_E164);

    b->arena_plan = b->arena.used - b->arena_plan;

    if (rc != 0 || plan.ncalls != b->ncontacts
        || strcmp(plan.out[0].e164, "+966500000001") != 0)
    {
        fprintf(stderr, "plan: %d, %zu calls, first %s\n", rc, plan.ncalls,
                plan.out[0].e164);
        return -1;
    }

    nb = levers_batches_count(plan.ncalls, BENCH_BATCH_SIZE);

    memset(&bulk, 0, sizeof(bulk));
    bulk.req = &req;
    bulk.plan = &plan;
    bulk.tpl = &b->tpl;
    bulk.missing_tag = LEVERS_TAG_MISSING_ERROR;
    bulk.bulk_id = "0b7f3a52-8c1e-4f0a-9a57-2f4d6c8e1b30";
    bulk.batches = bench_alloc(&b->arena, nb * sizeof(levers_batch_t));

    if (bulk.batches == NULL) {
        return -1;
    }

    BENCH_START(BENCH_BATCHES);
    levers_bulk_split(&bulk, BENCH_BATCH_SIZE);
    rc = bench_batches(b, &bulk);
    BENCH_STOP(BENCH_BATCHES);

    bulk.tpl = NULL;

    BENCH_START(BENCH_BATCHES_NOTPL);
    rc |= bench_batches(b, &bulk);
    BENCH_STOP(BENCH_BATCHES_NOTPL);

    for (i = 0; i < bulk.nbatches; i++) {
        bulk.batches[i].accepted = 1;
        bulk.batches[i].status = 202;
    }

    BENCH_START(BENCH_RESULT);
    rc |= levers_payload_result(&bulk, bench_write, &b->sink);
    BENCH_STOP(BENCH_RESULT);

    BENCH_START(BENCH_FREE);
    json_decref(body);
    BENCH_STOP(BENCH_FREE);

    BENCH_START(BENCH_LIBPHONE);
    rc |= bench_libphone(&freq);
    BENCH_STOP(BENCH_LIBPHONE);

    (void) req;

    levers_errors_free(&errs);

#undef BENCH_START
#undef BENCH_STOP

    return rc == 0 ? 0 : -1;
}


static int
bench_init(bench_t *b, size_t ncontacts)
{
    memset(b, 0, sizeof(bench_t));

    b->ncontacts = ncontacts;
    b->arena.size = BENCH_ARENA_SIZE;
    b->arena.base = malloc(BENCH_ARENA_SIZE);
    b->sink.buf = malloc(BENCH_SINK_SIZE);

    if (b->arena.base == NULL || b->sink.buf == NULL) {
        return -1;
    }

    /* fault the pages in once, as a long-running worker has them */
    memset(b->arena.base, 0, BENCH_ARENA_SIZE);
    memset(b->sink.buf, 0, BENCH_SINK_SIZE);

    if (bench_make_body(b) != 0 || bench_make_template(b) != 0) {
        return -1;
    }

    return 0;
}


static void
bench_report(const bench_t *b, long repeats)
{
    int     s;
    double  libphone, serialise, render, total, pure, general;

    printf("%zu contacts, body %zu bytes, best of %ld runs%s\n\n",
           b->ncontacts, b->body_len, repeats,
           bench_heap.bump ? ", jansson on a bump allocator" : "");
    printf("%-14s %12s %12s\n", "stage", "ns/contact", "bytes out");

    for (s = 0; s < BENCH_NSTAGES; s++) {
        printf("%-14s %12.1f %12zu\n", bench_stage_names[s],
               b->ns[s] / b->ncontacts, b->out_bytes[s]);
    }

    total = b->ns[BENCH_FAST] + b->ns[BENCH_PLAN_E164] + b->ns[BENCH_BATCHES]
            + b->ns[BENCH_RESULT];
    general = total - b->ns[BENCH_FAST] + b->ns[BENCH_PARSE]
              + b->ns[BENCH_VALIDATE] + b->ns[BENCH_FREE];

    libphone = b->ns[BENCH_PLAN_E164] - b->ns[BENCH_PLAN_RAW];
    serialise = b->ns[BENCH_BATCHES_NOTPL];
    render = b->ns[BENCH_BATCHES] - serialise;
    pure = total - libphone;

    printf("\n%-34s %8.1f ns/contact\n", "module (fast path, e164)",
           total / b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  general path instead",
           general / b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  of which numbers",
           libphone / b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  (libphonenumber alone)",
           b->ns[BENCH_LIBPHONE] / b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  everything else", pure /
           b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  batches: prompt rendering",
           render / b->ncontacts);
    printf("%-34s %8.1f ns/contact\n", "  batches: serialisation",
           serialise / b->ncontacts);
    printf("%-34s %8.0f contacts/s\n", "one core, these stages",
           1e9 * b->ncontacts / total);

    printf("\nmemory, in bytes and times the body:\n"
           "  fast path (pool)    %10zu  %.2f\n"
           "  jansson DOM         %10zu  %.2f%s\n"
           "  validate (pool)     %10zu  %.2f\n"
           "  plan (pool)         %10zu  %.2f\n"
           "  all batch bodies    %10zu  %.2f\n",
           b->arena_fast, (double) b->arena_fast / b->body_len,
           b->heap_dom, (double) b->heap_dom / b->body_len,
           bench_heap.bump ? "  (bump: with jansson's discarded buffers)"
                           : "  (malloc'd bytes, without malloc's headers)",
           b->arena_validate, (double) b->arena_validate / b->body_len,
           b->arena_plan, (double) b->arena_plan / b->body_len,
           b->out_bytes[BENCH_BATCHES],
           (double) b->out_bytes[BENCH_BATCHES] / b->body_len);
}


/*
 * Runs "valgrind --tool=callgrind self --once N" and reads back each
 * stage's dump: "desc: Trigger: Client Request: <stage>" and "totals: Ir".
 */

static int
bench_callgrind(const char *self, size_t ncontacts, int bump)
{
    int     s, part;
    long    pid;
    char    dir[] = "/tmp/levers-micro-XXXXXX";
    char    cmd[1024], path[1200], stage[64];
    double  ir, total, libphone, general;
    double  irs[BENCH_NSTAGES];

    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }

    pid = (long) getpid();

    snprintf(cmd, sizeof(cmd),
             "valgrind --tool=callgrind --collect-atstart=no "
             "--callgrind-out-file=%s/cg.%ld -q '%s' %s--once %zu",
             dir, pid, self, bump ? "--bump " : "", ncontacts);

    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        return -1;
    }

    memset(irs, 0, sizeof(irs));

    for (part = 1; part <= BENCH_NSTAGES + 1; part++) {
        snprintf(path, sizeof(path), "%s/cg.%ld.%d", dir, pid, part);

        if (bench_callgrind_part(path, stage, &ir) != 0) {
            continue;
        }

        for (s = 0; s < BENCH_NSTAGES; s++) {
            if (strcmp(stage, bench_stage_names[s]) == 0 && ir >= 0) {
                irs[s] = ir;
            }
        }
    }

    snprintf(path, sizeof(path), "%s/cg.%ld", dir, pid);
    unlink(path);
    rmdir(dir);

    printf("%zu contacts, one run of each stage%s\n\n", ncontacts,
           bump ? ", jansson on a bump allocator" : "");
    printf("%-14s %14s %14s\n", "stage", "instructions", "per contact");

    for (s = 0; s < BENCH_NSTAGES; s++) {
        printf("%-14s %14.0f %14.1f\n", bench_stage_names[s], irs[s],
               irs[s] / ncontacts);
    }

    total = irs[BENCH_FAST] + irs[BENCH_PLAN_E164] + irs[BENCH_BATCHES]
            + irs[BENCH_RESULT];
    general = total - irs[BENCH_FAST] + irs[BENCH_PARSE]
              + irs[BENCH_VALIDATE] + irs[BENCH_FREE];

    libphone = irs[BENCH_PLAN_E164] - irs[BENCH_PLAN_RAW];

    printf("\n%-34s %10.1f instr/contact\n", "module (fast path, e164)",
           total / ncontacts);
    printf("%-34s %10.1f instr/contact\n", "  general path instead",
           general / ncontacts);
    printf("%-34s %10.1f instr/contact\n", "  of which numbers",
           libphone / ncontacts);
    printf("%-34s %10.1f instr/contact\n", "  (libphonenumber alone)",
           irs[BENCH_LIBPHONE] / ncontacts);
    printf("%-34s %10.1f instr/contact\n", "  everything else",
           (total - libphone) / ncontacts);
    printf("%-34s %10.1f instr/contact\n", "  batches: prompt rendering",
           (irs[BENCH_BATCHES] - irs[BENCH_BATCHES_NOTPL]) / ncontacts);

    return 0;
}


int
main(int argc, char **argv)
{
    int          s, once, bump;
    long         r, repeats;
    const char  *self;
    size_t       n;
    bench_t      b;
    double       times[BENCH_NSTAGES];

    self = argv[0];

    bump = (argc > 1 && strcmp(argv[1], "--bump") == 0);
    if (bump) {
        argv++;
        argc--;
    }

    if (argc > 1 && strcmp(argv[1], "--callgrind") == 0) {
        n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
        return bench_callgrind(self, n ? n : 10000, bump) == 0 ? 0 : 1;
    }

    once = (argc > 1 && strcmp(argv[1], "--once") == 0);
    if (once) {
        argv++;
        argc--;
    }

    n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    repeats = once ? 1 : (argc > 2 ? strtol(argv[2], NULL, 10) : 7);

    if (n == 0 || repeats <= 0) {
        fprintf(stderr, "usage: %s [--bump] [--callgrind|--once] "
                "[contacts [repeats]]\n", self);
        return 2;
    }

    if (bump) {
        bench_heap.bump_size = BENCH_ARENA_SIZE;
        bench_heap.bump = malloc(BENCH_ARENA_SIZE);
        if (bench_heap.bump == NULL) {
            return 1;
        }

        memset(bench_heap.bump, 0, BENCH_ARENA_SIZE);
        json_set_alloc_funcs(bench_heap_bump_malloc, bench_heap_bump_free);

    } else {
        json_set_alloc_funcs(bench_heap_malloc, bench_heap_free);
    }

    if (bench_init(&b, n) != 0) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    /* what init allocated (the template's settings) stays */
    bench_heap.bump_mark = bench_heap.bump_used;

    for (s = 0; s < BENCH_NSTAGES; s++) {
        b.ns[s] = 1e300;
    }

    /*
     * a first run, never counted, warms caches, malloc's arenas and
     * libphonenumber's metadata and regular expressions
     */
    if (bench_pass(&b, times) != 0) {
        return 1;
    }

    b.collect = once;

    for (r = 0; r < repeats; r++) {
        if (bench_pass(&b, times) != 0) {
            return 1;
        }

        for (s = 0; s < BENCH_NSTAGES; s++) {
            if (times[s] < b.ns[s]) {
                b.ns[s] = times[s];
            }
        }
    }

    if (!once) {
        bench_report(&b, repeats);
    }

    return 0;
}

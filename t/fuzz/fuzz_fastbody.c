/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * libFuzzer harness for src/levers_fastbody.c, differential against the
 * general path (json_loadb() as ngx_levers_body.c calls it, then
 * levers_validate_request()):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       -o fuzz_fastbody t/fuzz/fuzz_fastbody.c src/levers_fastbody.c \
 *       src/levers_validate.c src/levers_request.c src/levers_json.c \
 *       -ljansson
 *   ./fuzz_fastbody -dict=t/fuzz/fastbody.dict t/fuzz/corpus/fastbody
 *
 * Properties checked on every input:
 *  - levers_fast_parse() never crashes, leaks or reads outside the input
 *    (an exact-size malloc'd copy), never writes to it, and returns 0,
 *    LEVERS_FAST_DECLINED, or -1 only when an allocation failed;
 *  - when it returns 0, the general path finds the body valid and fills
 *    the very same levers_request_t: every field, every text byte for
 *    byte, the tags in order; and the body has no raw NUL and passes
 *    levers_json_check() (what ngx_levers_body.c asks of a body before
 *    jansson and levers_validate_request() see it);
 *  - every text, the contacts array and the tags of the fast path's request
 *    lie within the input or within one allocation, with two allocators
 *    as nginx's pool is: one region carved in order, 8-byte aligned, with
 *    no gaps (what t/unit/test_fastbody.c's pool_alloc() does), and 4 KB
 *    blocks with large allocations apart (ngx_palloc()'s way); the space
 *    not yet handed out is poisoned for AddressSanitizer, so a write past
 *    the last allocation is caught;
 *  - an allocation failing (one chosen from the input) makes it return -1,
 *    with nothing leaked.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "levers_json.h"
#include "levers_validate.h"
#include "levers_fastbody.h"


#define FUZZ_BLOCK      4096
#define FUZZ_BLOCK_MAX  (FUZZ_BLOCK - 80)        /* ngx_pool_t's pool->max */
#define FUZZ_ALIGN      8


/* one allocation handed out */
typedef struct {
    unsigned char  *start;
    size_t          size;
} fuzz_span_t;


/* a block that small allocations are carved from, in order */
typedef struct {
    unsigned char  *base;
    size_t          cap;
    size_t          used;
    unsigned        failed;                      /* as ngx_pool_data_t's */
} fuzz_block_t;


typedef struct {
    size_t          block_size;                  /* 0: one region of cap */
    size_t          cap;

    fuzz_block_t   *blocks;
    size_t          nblocks;
    size_t          current;

    void          **large;
    size_t          nlarge;

    fuzz_span_t    *spans;
    size_t          nspans;
    size_t          spans_cap;

    size_t          calls;
    size_t          fail_at;                     /* 1-based; 0: never */
} fuzz_pool_t;


static void *
fuzz_grow(void *p, size_t n, size_t size)
{
    p = realloc(p, n * size);
    if (p == NULL) {
        abort();
    }

    return p;
}


static void
fuzz_span_add(fuzz_pool_t *pool, unsigned char *p, size_t size)
{
    if (pool->nspans == pool->spans_cap) {
        pool->spans_cap = pool->spans_cap ? pool->spans_cap * 2 : 64;
        pool->spans = fuzz_grow(pool->spans, pool->spans_cap,
                                sizeof(fuzz_span_t));
    }

    pool->spans[pool->nspans].start = p;
    pool->spans[pool->nspans].size = size;
    pool->nspans++;
}


static fuzz_block_t *
fuzz_block_new(fuzz_pool_t *pool, size_t cap)
{
    fuzz_block_t  *b;

    pool->blocks = fuzz_grow(pool->blocks, pool->nblocks + 1,
                             sizeof(fuzz_block_t));

    b = &pool->blocks[pool->nblocks++];
    b->cap = cap;
    b->used = 0;
    b->failed = 0;
    b->base = malloc(cap ? cap : 1);

    if (b->base == NULL) {
        abort();
    }

    /* nothing in a block may be touched before it is handed out */
    ASAN_POISON_MEMORY_REGION(b->base, cap);

    return b;
}


/* the fit of size bytes in block b, 8-byte aligned, or NULL */

static unsigned char *
fuzz_block_fit(fuzz_block_t *b, size_t size)
{
    size_t  at;

    at = (b->used + FUZZ_ALIGN - 1) & ~(size_t) (FUZZ_ALIGN - 1);

    if (at > b->cap || b->cap - at < size) {
        return NULL;
    }

    b->used = at + size;

    return b->base + at;
}


static void *
fuzz_pool_alloc(void *ctx, size_t size)
{
    size_t          i;
    fuzz_pool_t    *pool = ctx;
    fuzz_block_t   *b;
    unsigned char  *p;

    pool->calls++;

    if (pool->fail_at && pool->calls == pool->fail_at) {
        return NULL;
    }

    p = NULL;

    if (pool->block_size == 0) {
        /* one region: what comes next starts where the last one ended */

        if (pool->nblocks == 0) {
            fuzz_block_new(pool, pool->cap);
        }

        p = fuzz_block_fit(&pool->blocks[0], size);
        if (p == NULL) {
            fprintf(stderr, "fuzz_fastbody: the pool of %zu bytes is too "
                    "small\n", pool->cap);
            abort();
        }

    } else if (size > FUZZ_BLOCK_MAX) {
        /* ngx_palloc_large(): malloc()'s own, exact size */

        p = malloc(size ? size : 1);
        if (p == NULL) {
            abort();
        }

        pool->large = fuzz_grow(pool->large, pool->nlarge + 1,
                                sizeof(void *));
        pool->large[pool->nlarge++] = p;

    } else {
        /* ngx_palloc_small(): the current block on, then a new one */

        for (i = pool->current; i < pool->nblocks; i++) {
            p = fuzz_block_fit(&pool->blocks[i], size);
            if (p != NULL) {
                break;
            }
        }

        if (p == NULL) {
            for (i = pool->current; i + 1 < pool->nblocks; i++) {
                if (pool->blocks[i].failed++ > 4) {
                    pool->current = i + 1;
                }
            }

            b = fuzz_block_new(pool, pool->block_size);
            p = fuzz_block_fit(b, size);
        }
    }

    ASAN_UNPOISON_MEMORY_REGION(p, size);

    /* garbage, not zeroes: the code must initialise what it uses */
    memset(p, 0xa5, size);

    fuzz_span_add(pool, p, size);

    return p;
}


static void
fuzz_pool_free(fuzz_pool_t *pool)
{
    size_t  i;

    for (i = 0; i < pool->nblocks; i++) {
        ASAN_UNPOISON_MEMORY_REGION(pool->blocks[i].base,
                                    pool->blocks[i].cap);
        free(pool->blocks[i].base);
    }

    for (i = 0; i < pool->nlarge; i++) {
        free(pool->large[i]);
    }

    free(pool->blocks);
    free(pool->large);
    free(pool->spans);
}


/* memory of malloc()'s own for each allocation: the general path's */

typedef struct {
    void      **ptrs;
    size_t      n;
} fuzz_heap_t;


static void *
fuzz_heap_alloc(void *ctx, size_t size)
{
    void         *p;
    fuzz_heap_t  *h = ctx;

    p = malloc(size ? size : 1);
    if (p == NULL) {
        abort();
    }

    memset(p, 0xa5, size);

    h->ptrs = fuzz_grow(h->ptrs, h->n + 1, sizeof(void *));
    h->ptrs[h->n++] = p;

    return p;
}


static void
fuzz_heap_free(fuzz_heap_t *h)
{
    size_t  i;

    for (i = 0; i < h->n; i++) {
        free(h->ptrs[i]);
    }

    free(h->ptrs);
}


/* ----------------------------------------------------------- checking */


static const uint8_t  *fuzz_data;
static size_t          fuzz_size;


static void
fuzz_fail(const char *what, const char *detail)
{
    size_t  i;

    fprintf(stderr, "fuzz_fastbody: %s%s%s\nbody (%zu bytes): ", what,
            detail ? ": " : "", detail ? detail : "", fuzz_size);

    for (i = 0; i < fuzz_size && i < 4000; i++) {
        if (fuzz_data[i] < 0x20 || fuzz_data[i] >= 0x7f
            || fuzz_data[i] == '\\')
        {
            fprintf(stderr, "\\x%02x", fuzz_data[i]);

        } else {
            fputc(fuzz_data[i], stderr);
        }
    }

    fputc('\n', stderr);
    abort();
}


/* a (fast) and b (general) are the same text: 0, or -1 */

static int
fuzz_text_eq(const levers_text_t *a, const levers_text_t *b)
{
    if (a->data == NULL || b->data == NULL) {
        return (a->data == NULL && b->data == NULL) ? 0 : -1;
    }

    if (a->len != b->len
        || (a->len && memcmp(a->data, b->data, a->len) != 0))
    {
        return -1;
    }

    return 0;
}


static const char *
fuzz_tags_diff(const levers_tags_t *a, const levers_tags_t *b)
{
    size_t               i;
    const levers_tag_t  *x, *y;

    if (a == NULL || b == NULL) {
        return (a == NULL && b == NULL) ? NULL : "prompt tags null";
    }

    if (a->n != b->n) {
        return "prompt tags n";
    }

    if (a->json.data == NULL || fuzz_text_eq(&a->json, &b->json)) {
        return "prompt tags json";
    }

    for (i = 0; i < a->n; i++) {
        x = &a->items[i];
        y = &b->items[i];

        if (x->key.data == NULL || fuzz_text_eq(&x->key, &y->key)) {
            return "tag key";
        }

        if (x->raw.data == NULL || fuzz_text_eq(&x->raw, &y->raw)) {
            return "tag raw";
        }

        if (x->esc.data == NULL || fuzz_text_eq(&x->esc, &y->esc)) {
            return "tag esc";
        }
    }

    return NULL;
}


/* NULL when a (fast) and b (general) are the same request */

static const char *
fuzz_req_diff(const levers_request_t *a, const levers_request_t *b)
{
    size_t                   i;
    const char              *d;
    const levers_contact_t  *x, *y;

    if (a->body != NULL) {
        return "fast path body not NULL";
    }

    if (a->ncontacts != b->ncontacts) {
        return "ncontacts";
    }

    if (a->ncontacts && (a->contacts == NULL || b->contacts == NULL)) {
        return "contacts NULL";
    }

    if (a->has_template_id != b->has_template_id
        || (a->has_template_id
            && (memchr(a->template_id, '\0', sizeof(a->template_id)) == NULL
                || strcmp(a->template_id, b->template_id) != 0)))
    {
        return "template id";
    }

    if (a->update_existing != b->update_existing) {
        return "update existing";
    }

    if (a->has_country != b->has_country
        || (a->has_country
            && (memchr(a->country, '\0', sizeof(a->country)) == NULL
                || strcmp(a->country, b->country) != 0)))
    {
        return "country";
    }

    if (a->has_batch_size != b->has_batch_size
        || (a->has_batch_size && a->batch_size != b->batch_size))
    {
        return "batch size";
    }

    for (i = 0; i < a->ncontacts; i++) {
        x = &a->contacts[i];
        y = &b->contacts[i];

        if (x->index != i || y->index != i) {
            return "index";
        }

        if (x->number == NULL || y->number == NULL
            || x->number_len != y->number_len
            || memcmp(x->number, y->number, x->number_len) != 0)
        {
            return "number";
        }

        if (fuzz_text_eq(&x->first_name, &y->first_name)) {
            return "first name";
        }

        if (fuzz_text_eq(&x->last_name, &y->last_name)) {
            return "last name";
        }

        if (fuzz_text_eq(&x->metadata, &y->metadata)) {
            return "metadata";
        }

        d = fuzz_tags_diff(x->prompt_tags, y->prompt_tags);
        if (d) {
            return d;
        }
    }

    return NULL;
}


/* n bytes at p lie within buf or within one allocation of pool */

static void
fuzz_within(const fuzz_pool_t *pool, const char *buf, size_t len,
    const void *p, size_t n, const char *what)
{
    size_t                i;
    const unsigned char  *s, *b;

    if (n == 0) {
        return;
    }

    if (p == NULL) {
        fuzz_fail("NULL text of non-zero length", what);
    }

    s = p;
    b = (const unsigned char *) buf;

    if (s >= b && n <= len && s - b <= (ptrdiff_t) (len - n)) {
        return;
    }

    for (i = 0; i < pool->nspans; i++) {
        if (s >= pool->spans[i].start
            && n <= pool->spans[i].size
            && s - pool->spans[i].start
               <= (ptrdiff_t) (pool->spans[i].size - n))
        {
            return;
        }
    }

    fuzz_fail("a text outside the input and any one allocation", what);
}


static void
fuzz_within_req(const fuzz_pool_t *pool, const char *buf, size_t len,
    const levers_request_t *req)
{
    size_t                   i, k;
    const levers_tag_t      *tag;
    const levers_tags_t     *tags;
    const levers_contact_t  *c;

    fuzz_within(pool, buf, len, req->contacts,
                req->ncontacts * sizeof(levers_contact_t), "contacts");

    for (i = 0; i < req->ncontacts; i++) {
        c = &req->contacts[i];

        fuzz_within(pool, buf, len, c->number, c->number_len, "number");
        fuzz_within(pool, buf, len, c->first_name.data, c->first_name.len,
                    "first name");
        fuzz_within(pool, buf, len, c->last_name.data, c->last_name.len,
                    "last name");
        fuzz_within(pool, buf, len, c->metadata.data, c->metadata.len,
                    "metadata");

        tags = c->prompt_tags;

        if (tags == NULL) {
            continue;
        }

        fuzz_within(pool, buf, len, tags, sizeof(levers_tags_t), "tags");
        fuzz_within(pool, buf, len, tags->items,
                    tags->n * sizeof(levers_tag_t), "tag items");
        fuzz_within(pool, buf, len, tags->json.data, tags->json.len,
                    "tags json");

        for (k = 0; k < tags->n; k++) {
            tag = &tags->items[k];

            fuzz_within(pool, buf, len, tag->key.data, tag->key.len,
                        "tag key");
            fuzz_within(pool, buf, len, tag->raw.data, tag->raw.len,
                        "tag raw");
            fuzz_within(pool, buf, len, tag->esc.data, tag->esc.len,
                        "tag esc");
        }
    }
}


/* the fast path with pool, compared with the general path's request */

static int
fuzz_fast(const char *copy, size_t len, fuzz_pool_t *pool,
    const levers_request_t *greq, int grc)
{
    int               rc;
    const char       *d;
    levers_request_t  req;

    memset(&req, 0xa5, sizeof(levers_request_t));

    rc = levers_fast_parse(copy, len, &req, fuzz_pool_alloc, pool);

    if (rc != 0 && rc != LEVERS_FAST_DECLINED) {
        fuzz_fail("fast path rc not 0 or declined", NULL);
    }

    if (memcmp(copy, fuzz_data, len) != 0) {
        fuzz_fail("fast path wrote to its input", NULL);
    }

    if (rc != 0) {
        return rc;
    }

    if (grc != 0) {
        fuzz_fail("fast path accepted, general path did not", NULL);
    }

    if (memchr(copy, '\0', len) != NULL) {
        fuzz_fail("fast path accepted a raw NUL", NULL);
    }

    fuzz_within_req(pool, copy, len, &req);

    d = fuzz_req_diff(&req, greq);
    if (d) {
        fuzz_fail("fast and general paths differ", d);
    }

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                   rc, rc2, grc;
    char                 *copy;
    json_t               *body;
    fuzz_heap_t           heap;
    fuzz_pool_t           one, blocks, failing;
    json_error_t          jerr;
    levers_errors_t       errs;
    levers_request_t      greq, req;
    levers_json_error_t   perr;

    fuzz_data = data;
    fuzz_size = size;

    /* an exact-size copy: a read past the end is a read past memory */

    copy = malloc(size ? size : 1);
    if (copy == NULL) {
        abort();
    }

    if (size) {
        memcpy(copy, data, size);
    }

    /* the general path, as ngx_levers_body_validate() takes it */

    memset(&heap, 0, sizeof(fuzz_heap_t));
    memset(&greq, 0, sizeof(levers_request_t));
    memset(&errs, 0, sizeof(levers_errors_t));

    grc = 2;
    body = json_loadb((const char *) data, size,
                      JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

    if (body != NULL) {
        if (levers_errors_init(&errs, 0) != 0) {
            abort();
        }

        grc = levers_validate_request(body, &greq, &errs, fuzz_heap_alloc,
                                      &heap);
        if (grc < 0) {
            abort();
        }
    }

    /* the fast path: one region, then blocks as ngx_palloc() carves them */

    memset(&one, 0, sizeof(fuzz_pool_t));
    one.cap = 8 * size + 65536;

    rc = fuzz_fast(copy, size, &one, &greq, grc);

    memset(&blocks, 0, sizeof(fuzz_pool_t));
    blocks.block_size = FUZZ_BLOCK;

    rc2 = fuzz_fast(copy, size, &blocks, &greq, grc);

    if (rc2 != rc) {
        fuzz_fail("fast path answers depend on the allocator", NULL);
    }

    if (rc == 0 && levers_json_check(copy, size, &perr) != 0) {
        fuzz_fail("fast path accepted what Python refuses", perr.msg);
    }

    /* an allocation failing: -1, and nothing leaked */

    if (rc == 0 && one.calls > 0) {
        memset(&failing, 0, sizeof(fuzz_pool_t));
        failing.block_size = FUZZ_BLOCK;
        failing.fail_at = 1 + (size * 31 + (size ? data[size / 2] : 0))
                              % one.calls;

        rc2 = levers_fast_parse(copy, size, &req, fuzz_pool_alloc,
                                &failing);
        if (rc2 != -1) {
            fuzz_fail("fast path did not fail with its allocator", NULL);
        }

        fuzz_pool_free(&failing);
    }

    fuzz_pool_free(&one);
    fuzz_pool_free(&blocks);

    if (body != NULL) {
        levers_errors_free(&errs);
        json_decref(body);
    }

    fuzz_heap_free(&heap);
    free(copy);

    return 0;
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_fastbody.c, the fast path for plainly valid
 * bodies.  Its one promise: whatever it accepts, the general path
 * (json_loadb() as ngx_levers_body.c calls it, then
 * levers_validate_request()) accepts too, filling the very same
 * levers_request_t.  So every accepted body here is also given to the
 * general path and the two requests compared field by field, text by
 * text, byte for byte; a differential test does that over a large
 * deterministic corpus of generated, reformatted and mutated bodies.
 *
 * Build (from the repository root):
 *
 *   cc -g -O1 -Wall -Wextra -Werror -Isrc t/unit/test_fastbody.c \
 *       src/levers_fastbody.c src/levers_validate.c src/levers_request.c \
 *       src/levers_json.c -ljansson -lcmocka -o test_fastbody
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "levers_json.h"
#include "levers_validate.h"
#include "levers_fastbody.h"
#include "arena.h"


#define SEED_BODY                                                             \
    "{\n"                                                                     \
    "  \"aiSettingsTemplateId\": \"550e8400-e29b-41d4-a716-446655440000\",\n" \
    "  \"countryCode\": \"SA\",\n"                                            \
    "  \"updateExisting\": true,\n"                                           \
    "  \"batchSize\": 50,\n"                                                  \
    "  \"contacts\": [\n"                                                     \
    "    {\n"                                                                 \
    "      \"numberToCall\": \"+966500000001\",\n"                            \
    "      \"firstName\": \"Ahmed\",\n"                                       \
    "      \"lastName\": \"Al-Rashid\",\n"                                    \
    "      \"metadata\": {\n"                                                 \
    "        \"invoiceNumber\": \"INV-001\",\n"                               \
    "        \"amount\": \"5000.00\"\n"                                       \
    "      },\n"                                                              \
    "      \"promptTags\": {\n"                                               \
    "        \"amount\": \"5,000 SAR\",\n"                                    \
    "        \"due_date\": \"January 15, 2026\"\n"                            \
    "      }\n"                                                               \
    "    },\n"                                                                \
    "    {\n"                                                                 \
    "      \"numberToCall\": \"+966500000002\",\n"                            \
    "      \"firstName\": \"Sara\",\n"                                        \
    "      \"lastName\": \"Mohammed\",\n"                                     \
    "      \"metadata\": {\n"                                                 \
    "        \"invoiceNumber\": \"INV-002\",\n"                               \
    "        \"amount\": \"3200.00\"\n"                                       \
    "      },\n"                                                              \
    "      \"promptTags\": {\n"                                               \
    "        \"amount\": \"3,200 SAR\",\n"                                    \
    "        \"due_date\": \"January 20, 2026\"\n"                            \
    "      }\n"                                                               \
    "    }\n"                                                                 \
    "  ]\n"                                                                   \
    "}\n"

#define SEED_COMPACT                                                          \
    "{\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\","     \
    "\"countryCode\":\"SA\",\"updateExisting\":true,\"batchSize\":50,"        \
    "\"contacts\":[{\"numberToCall\":\"+966500000001\",\"firstName\":"        \
    "\"Ahmed\",\"lastName\":\"Al-Rashid\",\"metadata\":{\"invoiceNumber\":"   \
    "\"INV-001\",\"amount\":\"5000.00\"},\"promptTags\":{\"amount\":"         \
    "\"5,000 SAR\",\"due_date\":\"January 15, 2026\"}},{\"numberToCall\":"    \
    "\"+966500000002\",\"firstName\":\"Sara\",\"lastName\":\"Mohammed\","     \
    "\"metadata\":{\"invoiceNumber\":\"INV-002\",\"amount\":\"3200.00\"},"    \
    "\"promptTags\":{\"amount\":\"3,200 SAR\",\"due_date\":"                  \
    "\"January 20, 2026\"}}]}"

/* json.dumps(body) with Python's default separators */
#define SEED_PYTHON                                                           \
    "{\"aiSettingsTemplateId\": \"550e8400-e29b-41d4-a716-446655440000\", "   \
    "\"countryCode\": \"SA\", \"updateExisting\": true, \"batchSize\": 50, "  \
    "\"contacts\": [{\"numberToCall\": \"+966500000001\", \"firstName\": "    \
    "\"Ahmed\", \"lastName\": \"Al-Rashid\", \"metadata\": "                  \
    "{\"invoiceNumber\": \"INV-001\", \"amount\": \"5000.00\"}, "             \
    "\"promptTags\": {\"amount\": \"5,000 SAR\", \"due_date\": "              \
    "\"January 15, 2026\"}}, {\"numberToCall\": \"+966500000002\", "          \
    "\"firstName\": \"Sara\", \"lastName\": \"Mohammed\", \"metadata\": "     \
    "{\"invoiceNumber\": \"INV-002\", \"amount\": \"3200.00\"}, "             \
    "\"promptTags\": {\"amount\": \"3,200 SAR\", \"due_date\": "              \
    "\"January 20, 2026\"}}]}"


/* a body with one contact whose number is first written */
#define ONE1(rest)  "{\"contacts\":[{\"numberToCall\":" rest "}]}"

/* a body with one contact around it */
#define ONE(contact)                                                          \
    "{\"contacts\":[{\"numberToCall\":\"+966500000001\"" contact "}]}"


typedef struct {
    arena_t            arena;
    levers_request_t   req;
    int                rc;
} fast_run_t;


typedef struct {
    arena_t            arena;
    levers_request_t   req;
    levers_errors_t    errs;
    json_t            *body;
    int                rc;
} general_run_t;


/* the bytes alloc handed out, to hold memory use against the body's */
typedef struct {
    arena_t   arena;
    size_t    bytes;
    size_t    calls;
} count_arena_t;


/* a growing string for generated bodies */
typedef struct {
    char     *p;
    size_t    len;
    size_t    cap;
} sb_t;


typedef struct {
    unsigned long  cases;
    unsigned long  fast_ok;
    unsigned long  general_ok;
    unsigned long  both_ok;
} diff_stats_t;


/* what the generators may produce */
typedef struct {
    unsigned       style;       /* 0 compact, 1 Python, 2 indented, 3 any */
    unsigned       strict;      /* only what the fast path must accept */
    unsigned       indent;
    uint64_t       ws_rng;
} gen_t;


static uint64_t  rng_state;


/* ---------------------------------------------------------------- runs */


static int
fast(fast_run_t *r, const char *body, size_t len)
{
    memset(r, 0, sizeof(fast_run_t));
    r->rc = levers_fast_parse(body, len, &r->req, arena_alloc, &r->arena);

    return r->rc;
}


static int
fast_str(fast_run_t *r, const char *body)
{
    return fast(r, body, strlen(body));
}


static int
general(general_run_t *r, const char *body, size_t len)
{
    json_error_t  err;

    memset(r, 0, sizeof(general_run_t));

    r->body = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);

    if (r->body == NULL) {
        r->rc = 2;
        return r->rc;
    }

    assert_int_equal(levers_errors_init(&r->errs, 0), 0);
    r->rc = levers_validate_request(r->body, &r->req, &r->errs, arena_alloc,
                                    &r->arena);

    return r->rc;
}


static void
fast_done(fast_run_t *r)
{
    arena_free(&r->arena);
}


static void
general_done(general_run_t *r)
{
    if (r->body) {
        levers_errors_free(&r->errs);
        json_decref(r->body);
    }

    arena_free(&r->arena);
}


static void *
count_alloc(void *ctx, size_t size)
{
    count_arena_t  *a = ctx;

    a->bytes += size;
    a->calls++;

    return arena_alloc(&a->arena, size);
}


/* ---------------------------------------------------------- comparing */


static const char *
text_diff(const levers_text_t *a, const levers_text_t *b)
{
    if (a->data == NULL || b->data == NULL) {
        return (a->data == NULL && b->data == NULL) ? NULL : "null";
    }

    if (a->len != b->len) {
        return "length";
    }

    return (a->len && memcmp(a->data, b->data, a->len) != 0) ? "bytes" : NULL;
}


static const char *
tags_diff(const levers_tags_t *a, const levers_tags_t *b)
{
    size_t       i;
    const char  *d;

    if (a == NULL || b == NULL) {
        return (a == NULL && b == NULL) ? NULL : "tags null";
    }

    if (a->n != b->n) {
        return "tags n";
    }

    if (text_diff(&a->json, &b->json) || a->json.data == NULL) {
        return "tags json";
    }

    for (i = 0; i < a->n; i++) {
        if (text_diff(&a->items[i].key, &b->items[i].key)
            || a->items[i].key.data == NULL)
        {
            return "tag key";
        }

        d = text_diff(&a->items[i].raw, &b->items[i].raw);
        if (d || a->items[i].raw.data == NULL) {
            return "tag raw";
        }

        d = text_diff(&a->items[i].esc, &b->items[i].esc);
        if (d || a->items[i].esc.data == NULL) {
            return "tag esc";
        }
    }

    return NULL;
}


/* NULL when a (fast) and b (general) are the same request */

static const char *
req_diff(const levers_request_t *a, const levers_request_t *b)
{
    size_t                   i;
    const levers_contact_t  *x, *y;

    if (a->body != NULL) {
        return "fast body";
    }

    if (a->ncontacts != b->ncontacts) {
        return "ncontacts";
    }

    if ((a->contacts == NULL) != (b->contacts == NULL)) {
        return "contacts null";
    }

    if (a->has_template_id != b->has_template_id
        || (a->has_template_id
            && strcmp(a->template_id, b->template_id) != 0))
    {
        return "template id";
    }

    if (a->update_existing != b->update_existing) {
        return "update existing";
    }

    if (a->has_country != b->has_country
        || (a->has_country && strcmp(a->country, b->country) != 0))
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

        if (x->index != y->index || x->index != i) {
            return "index";
        }

        if (x->number == NULL || x->number_len != y->number_len
            || memcmp(x->number, y->number, x->number_len) != 0)
        {
            return "number";
        }

        if (text_diff(&x->first_name, &y->first_name)) {
            return "first name";
        }

        if (text_diff(&x->last_name, &y->last_name)) {
            return "last name";
        }

        if (text_diff(&x->metadata, &y->metadata)) {
            return "metadata";
        }

        if (tags_diff(x->prompt_tags, y->prompt_tags)) {
            return tags_diff(x->prompt_tags, y->prompt_tags);
        }
    }

    return NULL;
}


static void
print_body(const char *body, size_t len)
{
    size_t  i;

    fprintf(stderr, "body (%zu bytes): ", len);

    for (i = 0; i < len && i < 4000; i++) {
        if ((unsigned char) body[i] < 0x20 || (unsigned char) body[i] >= 0x7f)
        {
            fprintf(stderr, "\\x%02x", (unsigned char) body[i]);

        } else {
            fputc(body[i], stderr);
        }
    }

    fputc('\n', stderr);
}


static int
in_buf(const char *p, size_t n, const char *buf, size_t len)
{
    return p >= buf && p + n <= buf + len;
}


/*
 * An allocator as nginx's pool is for small sizes: one region handed out
 * in order, aligned to 8 bytes, so that what is allocated next starts
 * right where the last allocation ended.
 */

#define POOL_MAX   1024

typedef struct {
    unsigned char  *base;
    size_t          cap;
    size_t          used;
    size_t          n;
    unsigned char  *start[POOL_MAX];
    size_t          size[POOL_MAX];
} pool_t;


static void *
pool_alloc(void *ctx, size_t size)
{
    size_t          at;
    pool_t         *pool = ctx;
    unsigned char  *p;

    at = (pool->used + 7) & ~(size_t) 7;

    if (at + size > pool->cap || pool->n == POOL_MAX) {
        fail_msg("the test's pool is too small");
    }

    p = pool->base + at;
    memset(p, 0xa5, size);

    pool->start[pool->n] = p;
    pool->size[pool->n] = size;
    pool->n++;
    pool->used = at + size;

    return p;
}


/* a text is in the body or within one allocation ("" may be static) */

static void
pool_check(const pool_t *pool, const char *body, size_t len, const void *p,
    size_t n)
{
    size_t                i;
    const unsigned char  *s;

    if (p == NULL || n == 0 || in_buf((const char *) p, n, body, len)) {
        return;
    }

    s = p;

    for (i = 0; i < pool->n; i++) {
        if (s >= pool->start[i] && s + n <= pool->start[i] + pool->size[i]) {
            return;
        }
    }

    fail_msg("%zu bytes at offset %zd are not within one allocation", n,
             s - pool->base);
}


static void
pool_check_req(const pool_t *pool, const char *body, size_t len,
    const levers_request_t *req)
{
    size_t                   i, k;
    const levers_tag_t      *tag;
    const levers_tags_t     *tags;
    const levers_contact_t  *c;

    pool_check(pool, body, len, req->contacts,
               req->ncontacts * sizeof(levers_contact_t));

    for (i = 0; i < req->ncontacts; i++) {
        c = &req->contacts[i];

        pool_check(pool, body, len, c->number, c->number_len);
        pool_check(pool, body, len, c->first_name.data, c->first_name.len);
        pool_check(pool, body, len, c->last_name.data, c->last_name.len);
        pool_check(pool, body, len, c->metadata.data, c->metadata.len);

        tags = c->prompt_tags;

        if (tags == NULL) {
            continue;
        }

        pool_check(pool, body, len, tags, sizeof(levers_tags_t));
        pool_check(pool, body, len, tags->items,
                   tags->n * sizeof(levers_tag_t));
        pool_check(pool, body, len, tags->json.data, tags->json.len);

        for (k = 0; k < tags->n; k++) {
            tag = &tags->items[k];

            pool_check(pool, body, len, tag->key.data, tag->key.len);
            pool_check(pool, body, len, tag->raw.data, tag->raw.len);
            pool_check(pool, body, len, tag->esc.data, tag->esc.len);
        }
    }
}


/*
 * The fast path again, with pool_alloc(): every text within the body or
 * one allocation, and the same request as the general path's (greq).
 */

static void
check_pool(const char *body, size_t len, const levers_request_t *greq)
{
    int                rc;
    pool_t            *pool;
    const char        *d;
    levers_request_t   req;

    pool = calloc(1, sizeof(pool_t));
    assert_non_null(pool);
    pool->cap = 8 * len + 65536;
    pool->base = malloc(pool->cap);
    assert_non_null(pool->base);

    rc = levers_fast_parse(body, len, &req, pool_alloc, pool);

    if (rc != 0) {
        print_body(body, len);
        fail_msg("fast path rc %d with a pool", rc);
    }

    pool_check_req(pool, body, len, &req);

    d = req_diff(&req, greq);
    if (d) {
        print_body(body, len);
        fail_msg("fast path with a pool and general path differ: %s", d);
    }

    free(pool->base);
    free(pool);
}


/*
 * The promise: when the fast path accepts, the general path accepts the
 * same request.  Returns the fast path's rc.
 */

static int
check_body(const char *body, size_t len, diff_stats_t *st)
{
    int             rc;
    char           *copy;
    const char     *d;
    fast_run_t      f;
    general_run_t   g;

    /* a copy of the exact size: a read past the end is one past memory */

    copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, body, len);

    rc = fast(&f, copy, len);
    general(&g, body, len);

    if (rc != 0 && rc != LEVERS_FAST_DECLINED) {
        print_body(body, len);
        fail_msg("fast path rc %d", rc);
    }

    if (st) {
        st->cases++;
        st->fast_ok += (rc == 0);
        st->general_ok += (g.rc == 0);
        st->both_ok += (rc == 0 && g.rc == 0);
    }

    if (rc == 0) {
        if (g.rc != 0) {
            print_body(body, len);
            fail_msg("fast path accepted, general path rc %d", g.rc);
        }

        d = req_diff(&f.req, &g.req);

        if (d) {
            print_body(body, len);
            fail_msg("fast and general paths differ: %s", d);
        }

        check_pool(copy, len, &g.req);
    }

    fast_done(&f);
    general_done(&g);
    free(copy);

    return rc;
}


static void
accepts(const char *body)
{
    if (check_body(body, strlen(body), NULL) != 0) {
        print_body(body, strlen(body));
        fail_msg("declined");
    }
}


static void
declines_n(const char *body, size_t len)
{
    if (check_body(body, len, NULL) != LEVERS_FAST_DECLINED) {
        print_body(body, len);
        fail_msg("accepted");
    }
}


static void
declines(const char *body)
{
    declines_n(body, strlen(body));
}


static void
assert_text(const levers_text_t *t, const char *expected)
{
    if (t->data == NULL) {
        fail_msg("NULL, expected %s", expected);
    }

    if (t->len != strlen(expected) || memcmp(t->data, expected, t->len)) {
        fail_msg("'%.*s', expected '%s'", (int) t->len, t->data, expected);
    }
}


/* --------------------------------------------------------- unit cases */


static void
check_seed(const char *body, int compact)
{
    size_t                   len;
    fast_run_t               f;
    const levers_tag_t      *tag;
    const levers_contact_t  *c;

    len = strlen(body);

    assert_int_equal(check_body(body, len, NULL), 0);
    assert_int_equal(fast(&f, body, len), 0);

    assert_null(f.req.body);
    assert_true(f.req.has_template_id);
    assert_string_equal(f.req.template_id,
                        "550e8400-e29b-41d4-a716-446655440000");
    assert_true(f.req.has_country);
    assert_string_equal(f.req.country, "SA");
    assert_true(f.req.update_existing);
    assert_true(f.req.has_batch_size);
    assert_int_equal(f.req.batch_size, 50);
    assert_int_equal(f.req.ncontacts, 2);

    c = &f.req.contacts[1];
    assert_int_equal(c->index, 1);
    assert_int_equal(c->number_len, 13);
    assert_memory_equal(c->number, "+966500000002", 13);
    assert_text(&c->first_name, "\"Sara\"");
    assert_text(&c->last_name, "\"Mohammed\"");
    assert_text(&c->metadata,
                "{\"invoiceNumber\":\"INV-002\",\"amount\":\"3200.00\"}");

    assert_non_null(c->prompt_tags);
    assert_int_equal(c->prompt_tags->n, 2);
    assert_text(&c->prompt_tags->json,
                "{\"amount\":\"3,200 SAR\",\"due_date\":\"January 20, 2026\"}");

    tag = levers_tags_get(c->prompt_tags, "due_date", 8);
    assert_non_null(tag);
    assert_text(&tag->raw, "January 20, 2026");
    assert_text(&tag->esc, "January 20, 2026");
    assert_ptr_equal(tag, &c->prompt_tags->items[1]);

    /* strings without escapes are never copied; objects when compact */

    assert_true(in_buf(c->number, c->number_len, body, len));
    assert_true(in_buf(c->first_name.data, c->first_name.len, body, len));
    assert_true(in_buf(tag->raw.data, tag->raw.len, body, len));
    assert_true(in_buf(tag->key.data, tag->key.len, body, len));

    assert_int_equal(in_buf(c->metadata.data, c->metadata.len, body, len),
                     compact);
    assert_int_equal(in_buf(c->prompt_tags->json.data,
                            c->prompt_tags->json.len, body, len),
                     compact);

    fast_done(&f);
}


static void
test_seed(void **state)
{
    (void) state;

    check_seed(SEED_BODY, 0);
    check_seed(SEED_COMPACT, 1);
    check_seed(SEED_PYTHON, 0);
}


static void
test_pretty(void **state)
{
    (void) state;

    /* tabs, CRLF, white space before commas and colons */

    accepts("\r\n\t{ \"contacts\" :\t[ { \"numberToCall\" : \"1\" ,"
            "\r\n \"metadata\" : { \"a\" : [ 1 , 2 , { } , [ ] ] ,"
            " \"b\" : { \"c\" : null } } , \"promptTags\" : { \"x\" :"
            " [ true , false ] , \"y\" : { \"z\" : 1 } } } ] }\r\n ");

    accepts("{\n    \"contacts\": [\n        {\n"
            "            \"numberToCall\": \"0500000001\",\n"
            "            \"firstName\": null,\n"
            "            \"metadata\": {},\n"
            "            \"promptTags\": {}\n        }\n    ],\n"
            "    \"countryCode\": null,\n    \"batchSize\": null,\n"
            "    \"aiSettingsTemplateId\": null\n}");
}


static void
test_fields(void **state)
{
    fast_run_t  f;

    (void) state;

    /* the least: contacts only, and empty */

    assert_int_equal(fast_str(&f, "{\"contacts\":[]}"), 0);
    assert_int_equal(f.req.ncontacts, 0);
    assert_null(f.req.contacts);
    assert_false(f.req.has_template_id || f.req.has_country
                 || f.req.has_batch_size || f.req.update_existing);
    fast_done(&f);

    accepts("{\"contacts\":[]}");
    accepts("{\"contacts\":[], \"updateExisting\":false}");
    accepts("{\"updateExisting\":true,\"contacts\":[]}");
    accepts("{\"contacts\":[],\"batchSize\":10}");
    accepts("{\"contacts\":[],\"batchSize\":1000}");
    accepts("{\"contacts\":[],\"countryCode\":\"ZZ\"}");

    /* pydantic's UUID forms */

    accepts("{\"contacts\":[],\"aiSettingsTemplateId\":"
            "\"550E8400-E29B-41D4-A716-446655440000\"}");
    accepts("{\"contacts\":[],\"aiSettingsTemplateId\":"
            "\"550e8400e29b41d4a716446655440000\"}");
    accepts("{\"contacts\":[],\"aiSettingsTemplateId\":"
            "\"{550e8400-e29b-41d4-a716-446655440000}\"}");
    accepts("{\"contacts\":[],\"aiSettingsTemplateId\":"
            "\"urn:uuid:550e8400-e29b-41d4-a716-446655440000\"}");
    accepts("{\"contacts\":[],\"aiSettingsTemplateId\":"
            "\"\\u0035\\u00350e8400-e29b-41d4-a716-446655440000\"}");

    assert_int_equal(fast_str(&f, "{\"contacts\":[],\"aiSettingsTemplateId\":"
                              "\"{550E8400-E29B-41D4-A716-446655440000}\"}"),
                     0);
    assert_string_equal(f.req.template_id,
                        "550e8400-e29b-41d4-a716-446655440000");
    fast_done(&f);

    /* unknown keys, anywhere, with any valid value */

    accepts("{\"x\":{\"a\":[1,2.5,{\"b\":null}],\"a\":1},\"contacts\":"
            "[{\"y\":[[[]]],\"numberToCall\":\"1\",\"y\":-0,\"z\":\"\\n\"}],"
            "\"extra\":\"\\ud83d\\ude00\",\"batchsize\":5}");

    /* numberToCall: 100 code points, multibyte, escaped */

    accepts(ONE("")
            );
    accepts("{\"contacts\":[{\"numberToCall\":\""
            "\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7"
            "\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5"
            "\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3"
            "\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0\xd9\xa1"
            "\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8\xd9\xa9"
            "01234567890123456789012345678901234567890123456789\"}]}");
    accepts("{\"contacts\":[{\"numberToCall\":\"\\u002b966 50\\t0\"}]}");
    accepts("{\"contacts\":[{\"numberToCall\":\" \"}]}");

    assert_int_equal(fast_str(&f, "{\"contacts\":[{\"numberToCall\":"
                              "\"\\u002B9\\/6\"}]}"), 0);
    assert_int_equal(f.req.contacts[0].number_len, 4);
    assert_memory_equal(f.req.contacts[0].number, "+9/6", 4);
    fast_done(&f);

    /* nulls are as absent */

    accepts(ONE(",\"firstName\":null,\"lastName\":null,\"metadata\":null,"
                "\"promptTags\":null"));

    /* integers at the ends of long long */

    accepts(ONE(",\"metadata\":{\"a\":9223372036854775807,"
                "\"b\":-9223372036854775808,\"c\":[1e308,-1e308,1e-400]}"));
}


static void
test_declines(void **state)
{
    char         deep[1024], *p;
    size_t       i;
    static char  many[2048];

    (void) state;

    /* not an object, or no contacts */

    declines("");
    declines(" ");
    declines("null");
    declines("[]");
    declines("\"x\"");
    declines("1");
    declines("{}");
    declines("{ }");
    declines("{\"batchSize\":10}");

    /* a BOM; NUL bytes */

    declines("\xef\xbb\xbf{\"contacts\":[]}");
    declines_n("{\"contacts\":[]}\0", 16);
    declines_n("{\"contacts\":[],\"x\":\"a\0b\"}", 25);
    declines_n("{\"contacts\":[],\0\"x\":1}", 22);

    /* invalid UTF-8, as jansson checks it */

    declines("{\"contacts\":[],\"x\":\"\xc0\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xc1\xbf\"}");
    declines("{\"contacts\":[],\"x\":\"\xe0\x80\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xe0\x9f\xbf\"}");
    declines("{\"contacts\":[],\"x\":\"\xed\xa0\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xed\xbf\xbf\"}");
    declines("{\"contacts\":[],\"x\":\"\xf0\x80\x80\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xf4\x90\x80\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xf5\x80\x80\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xff\"}");
    declines("{\"contacts\":[],\"x\":\"\x80\"}");
    declines("{\"contacts\":[],\"x\":\"\xe2\x82\"}");
    declines("{\"contacts\":[],\"x\":\"\xe2\x82");
    declines("{\"contacts\":[],\"\xc3\":1}");
    declines("{\"contacts\":[],\"x\":1}\xc3\xa9");

    /* raw control characters in strings */

    declines("{\"contacts\":[],\"x\":\"\x01\"}");
    declines("{\"contacts\":[],\"x\":\"a\nb\"}");
    declines("{\"contacts\":[],\"x\":\"a\tb\"}");
    declines("{\"contacts\":[],\"x\":\"\x1f\"}");

    /* escapes: \u0000, surrogates alone or misordered, bad forms */

    declines("{\"contacts\":[],\"x\":\"\\u0000\"}");
    declines("{\"contacts\":[],\"x\":\"\\uD800\"}");
    declines("{\"contacts\":[],\"x\":\"\\ud800x\"}");
    declines("{\"contacts\":[],\"x\":\"\\ud800\\n\"}");
    declines("{\"contacts\":[],\"x\":\"\\uDC00\"}");
    declines("{\"contacts\":[],\"x\":\"\\udc00\\ud800\"}");
    declines("{\"contacts\":[],\"x\":\"\\ud800\\u0041\"}");
    declines("{\"contacts\":[],\"x\":\"\\ud800\\ud800\"}");
    declines("{\"contacts\":[],\"x\":\"\\x\"}");
    declines("{\"contacts\":[],\"x\":\"\\U0041\"}");
    declines("{\"contacts\":[],\"x\":\"\\u12G4\"}");
    declines("{\"contacts\":[],\"x\":\"\\u12\"}");
    declines("{\"contacts\":[],\"x\":\"\\'\"}");
    declines("{\"contacts\":[],\"x\":\"\\");

    /* numbers jansson refuses, or JSON does not have */

    declines("{\"contacts\":[],\"x\":9223372036854775808}");
    declines("{\"contacts\":[],\"x\":-9223372036854775809}");
    declines("{\"contacts\":[],\"x\":99999999999999999999}");
    declines(ONE(",\"metadata\":{\"a\":12345678901234567890}"));
    declines("{\"contacts\":[],\"x\":1e309}");
    declines("{\"contacts\":[],\"x\":-1e400}");
    declines("{\"contacts\":[],\"x\":1.8e308}");
    declines(ONE(",\"metadata\":{\"a\":[2e308]}"));
    declines(ONE(",\"promptTags\":{\"a\":1E+999}"));
    declines("{\"contacts\":[],\"x\":01}");
    declines("{\"contacts\":[],\"x\":-01}");
    declines("{\"contacts\":[],\"x\":1.}");
    declines("{\"contacts\":[],\"x\":.5}");
    declines("{\"contacts\":[],\"x\":+1}");
    declines("{\"contacts\":[],\"x\":-}");
    declines("{\"contacts\":[],\"x\":1e}");
    declines("{\"contacts\":[],\"x\":1e+}");
    declines("{\"contacts\":[],\"x\":1.5.3}");
    declines("{\"contacts\":[],\"x\":0x10}");
    declines("{\"contacts\":[],\"x\":NaN}");
    declines("{\"contacts\":[],\"x\":Infinity}");
    declines("{\"contacts\":[],\"x\":-Infinity}");
    declines("{\"contacts\":[],\"x\":tru}");
    declines("{\"contacts\":[],\"x\":nulll}");
    declines("{\"contacts\":[],\"x\":True}");

    /* structure */

    declines("{\"contacts\":[]");
    declines("{\"contacts\":[]}}");
    declines("{\"contacts\":[]} x");
    declines("{\"contacts\":[]}{}");
    declines("{\"contacts\":[],}");
    declines("{,\"contacts\":[]}");
    declines("{\"contacts\":[] \"x\":1}");
    declines("{\"contacts\" []}");
    declines("{'contacts':[]}");
    declines("{contacts:[]}");
    declines("{\"contacts\":[],\"x\":[1,]}");
    declines("{\"contacts\":[],\"x\":{\"a\":1,}}");
    declines("{\"contacts\":[],\"x\":{\"a\"}}");
    declines("{\"contacts\":[],\"x\":[}");
    declines("{\"contacts\":[{\"numberToCall\":\"1\"},]}");
    declines("{\"contacts\":[{\"numberToCall\":\"1\"}");
    declines("{\"contacts\":[],\"x\":\"abc");

    /* nesting beyond the limit (legal for jansson, declined) */

    p = deep;
    p += sprintf(p, "{\"contacts\":[],\"x\":");

    for (i = 0; i < 40; i++) {
        *p++ = '[';
    }

    for (i = 0; i < 40; i++) {
        *p++ = ']';
    }

    strcpy(p, "}");
    declines(deep);

    p = deep;
    p += sprintf(p, ONE(",\"metadata\":"));
    p -= 3;         /* before "}]}" */

    for (i = 0; i < 40; i++) {
        p += sprintf(p, "{\"a\":");
    }

    *p++ = '1';

    for (i = 0; i < 40; i++) {
        *p++ = '}';
    }

    strcpy(p, "}]}");
    declines(deep);

    /* duplicated keys where their content is used */

    declines("{\"contacts\":[],\"contacts\":[]}");
    declines("{\"contacts\":[],\"countryCode\":\"SA\",\"countryCode\":null}");
    declines("{\"batchSize\":10,\"contacts\":[],\"batchSize\":20}");
    declines("{\"updateExisting\":true,\"contacts\":[],"
             "\"updateExisting\":false}");
    declines("{\"contacts\":[{\"numberToCall\":\"1\","
             "\"numberToCall\":\"2\"}]}");
    declines(ONE(",\"firstName\":\"a\",\"firstName\":\"b\""));
    declines(ONE(",\"metadata\":null,\"metadata\":{}"));
    declines(ONE(",\"metadata\":{\"a\":1,\"a\":1}"));
    declines(ONE(",\"metadata\":{\"x\":{\"a\":1,\"b\":2,\"a\":1}}"));
    declines(ONE(",\"metadata\":{\"x\":[{\"a\":1,\"a\":2}]}"));
    declines(ONE(",\"promptTags\":{\"a\":1,\"b\":2,\"a\":1}"));
    declines(ONE(",\"promptTags\":{\"a\":[{\"k\":1,\"k\":1}]}"));

    /* escaped keys (one could spell a field's name) */

    declines("{\"\\u0063ontacts\":[]}");
    declines("{\"contacts\":[],\"\\u0063ontacts\":[]}");
    declines(ONE(",\"metadata\":{\"\\n\":1}"));

    /* too many keys to check cheaply */

    p = many;
    p += sprintf(p, ONE(",\"metadata\":{"));
    p -= 3;

    for (i = 0; i < 65; i++) {
        p += sprintf(p, "%s\"k%zu\":%zu", i ? "," : "", i, i);
    }

    strcpy(p, "}}]}");
    declines(many);

    /* the schema's rules, in their strict form */

    declines("{\"contacts\":null}");
    declines("{\"contacts\":{}}");
    declines("{\"contacts\":\"\"}");
    declines("{\"contacts\":[1]}");
    declines("{\"contacts\":[null]}");
    declines("{\"contacts\":[[]]}");
    declines("{\"contacts\":[{}]}");
    declines("{\"contacts\":[{\"firstName\":\"a\"}]}");
    declines("{\"contacts\":[{\"numberToCall\":null}]}");
    declines("{\"contacts\":[{\"numberToCall\":123}]}");
    declines("{\"contacts\":[{\"numberToCall\":\"\"}]}");
    declines("{\"contacts\":[{\"numberToCall\":"
             "\"01234567890123456789012345678901234567890123456789"
             "012345678901234567890123456789012345678901234567890\"}]}");
    declines(ONE(",\"firstName\":1"));
    declines(ONE(",\"lastName\":true"));
    declines(ONE(",\"lastName\":[]"));
    declines(ONE(",\"metadata\":[]"));
    declines(ONE(",\"metadata\":\"{}\""));
    declines(ONE(",\"promptTags\":[]"));
    declines(ONE(",\"promptTags\":1"));
    declines("{\"contacts\":[],\"updateExisting\":\"true\"}");
    declines("{\"contacts\":[],\"updateExisting\":1}");
    declines("{\"contacts\":[],\"updateExisting\":null}");
    declines("{\"contacts\":[],\"countryCode\":\"sa\"}");
    declines("{\"contacts\":[],\"countryCode\":\"S\"}");
    declines("{\"contacts\":[],\"countryCode\":\"SAU\"}");
    declines("{\"contacts\":[],\"countryCode\":\"\"}");
    declines("{\"contacts\":[],\"countryCode\":1}");
    declines("{\"contacts\":[],\"countryCode\":\"\\u0053A\"}");
    declines("{\"contacts\":[],\"batchSize\":9}");
    declines("{\"contacts\":[],\"batchSize\":1001}");
    declines("{\"contacts\":[],\"batchSize\":0}");
    declines("{\"contacts\":[],\"batchSize\":-10}");
    declines("{\"contacts\":[],\"batchSize\":50.0}");
    declines("{\"contacts\":[],\"batchSize\":5e1}");
    declines("{\"contacts\":[],\"batchSize\":50E0}");
    declines("{\"contacts\":[],\"batchSize\":\"50\"}");
    declines("{\"contacts\":[],\"batchSize\":true}");
    declines("{\"contacts\":[],\"batchSize\":100000}");
    declines("{\"contacts\":[],\"batchSize\":010}");
    declines("{\"contacts\":[],\"aiSettingsTemplateId\":\"x\"}");
    declines("{\"contacts\":[],\"aiSettingsTemplateId\":1}");
    declines("{\"contacts\":[],\"aiSettingsTemplateId\":"
             "\"550e8400-e29b-41d4-a716-44665544000\"}");
    declines("{\"contacts\":[],\"aiSettingsTemplateId\":"
             "\"550e8400-e29b-41d4-a716-44665544000g\"}");
}


static void
check_tags(const char *body, const char *json, size_t n, const char **kre)
{
    size_t                   i;
    fast_run_t               f;
    const levers_tags_t     *tags;

    accepts(body);

    assert_int_equal(fast(&f, body, strlen(body)), 0);

    tags = f.req.contacts[0].prompt_tags;
    assert_non_null(tags);
    assert_text(&tags->json, json);
    assert_int_equal(tags->n, n);

    for (i = 0; i < n; i++) {
        assert_text(&tags->items[i].key, kre[3 * i]);
        assert_text(&tags->items[i].raw, kre[3 * i + 1]);
        assert_text(&tags->items[i].esc, kre[3 * i + 2]);
    }

    fast_done(&f);
}


static void
check_metadata(const char *body, const char *expected)
{
    fast_run_t  f;

    accepts(body);

    assert_int_equal(fast(&f, body, strlen(body)), 0);
    assert_text(&f.req.contacts[0].metadata, expected);
    fast_done(&f);
}


static void
test_canonical(void **state)
{
    fast_run_t          f;

    static const char  *kre1[] = {
        "s", "a\"b\\c\n\xc3\xa9/", "a\\\"b\\\\c\\n\xc3\xa9/",
        "n", "1.0", "1.0",
        "i", "0", "0",
        "t", "true", "true",
        "z", "", "",
        "o", "{\"k\":\"v\",\"e\":{}}", "{\\\"k\\\":\\\"v\\\",\\\"e\\\":{}}",
        "a", "[1,[],\"x\"]", "[1,[],\\\"x\\\"]",
        "b", "[1,2]", "[1,2]",
        "u", "\xf0\x9f\x98\x80\x7f", "\xf0\x9f\x98\x80\x7f"
    };

    static const char  *kre2[] = {
        "amount", "5,000 SAR", "5,000 SAR",
        "f", "false", "false",
        "big", "-9223372036854775808", "-9223372036854775808"
    };

    static const char  *kre3[] = {
        "e", "x\x01\x1fy", "x\\u0001\\u001fy"
    };

    (void) state;

    /* strings: escapes decoded, written again as levers_json.c does */

    check_metadata(ONE(",\"metadata\":{\"a\":\"x\\/y\\u00e9\\n\\u001F\\\"\\\\"
                       "\\b\\f\\r\\t\\u0041\\u007f\\u2028\"}"),
                   "{\"a\":\"x/y\xc3\xa9\\n\\u001f\\\"\\\\\\b\\f\\r\\tA"
                   "\x7f\xe2\x80\xa8\"}");
    check_metadata(ONE(",\"metadata\":{\"p\":"
                       "\"\\ud83d\\ude00\\uD83D\\uDE00\"}"),
                   "{\"p\":\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"}");
    check_metadata(ONE(",\"metadata\":{\"raw\":\"\xd8\xa3\xe2\x80\xa8\x7f\"}"),
                   "{\"raw\":\"\xd8\xa3\xe2\x80\xa8\x7f\"}");

    /* numbers: reals through strtod() and Python's repr, "-0" is 0 */

    check_metadata(ONE(",\"metadata\":{\"r\":1.50,\"e\":1e5,\"z\":-0.0,"
                       "\"n\":-0,\"big\":1e22,\"small\":1e-5,\"x\":1E+2,"
                       "\"y\":0e0,\"w\":123.456,\"q\":1e16,\"m\":1e15,"
                       "\"t\":0.1,\"u\":1e-400,\"v\":-2.5E-3,"
                       "\"i\":-12,\"j\":0}"),
                   "{\"r\":1.5,\"e\":100000.0,\"z\":-0.0,\"n\":0,"
                   "\"big\":1e+22,\"small\":1e-05,\"x\":100.0,\"y\":0.0,"
                   "\"w\":123.456,\"q\":1e+16,\"m\":1000000000000000.0,"
                   "\"t\":0.1,\"u\":0.0,\"v\":-0.0025,\"i\":-12,\"j\":0}");

    /* nesting and white space, empty containers */

    check_metadata(ONE(",\"metadata\":{ \"a\" : [ ] , \"b\" : { } , \"c\" :"
                       " [ [ 1 , { \"d\" : [ null , true , false ] } ] ] }"),
                   "{\"a\":[],\"b\":{},\"c\":[[1,{\"d\":[null,true,false]}]]}");
    check_metadata(ONE(",\"metadata\":{}"), "{}");
    check_metadata(ONE(",\"metadata\":{ }"), "{}");
    check_metadata(ONE(",\"metadata\":{\"\":\"\"}"), "{\"\":\"\"}");

    /* names: the JSON literal */

    accepts(ONE(",\"firstName\":\"A\\u0041\\n\\/\",\"lastName\":\"\""));
    assert_int_equal(fast_str(&f, ONE(",\"firstName\":\"A\\u0041\\n\\/\","
                                      "\"lastName\":\"\"")), 0);
    assert_text(&f.req.contacts[0].first_name, "\"AA\\n/\"");
    assert_text(&f.req.contacts[0].last_name, "\"\"");
    fast_done(&f);

    /* tags: raw and escaped text of every kind of value */

    check_tags(ONE(",\"promptTags\":{\"s\":\"a\\\"b\\\\c\\n\\u00e9\\/\","
                   "\"n\":1.0,\"i\":-0,\"t\":true,\"z\":null,"
                   "\"o\":{\"k\":\"v\",\"e\":{ }},\"a\":[1,[],\"x\"],"
                   "\"b\":[1,2],\"u\":\"\xf0\x9f\x98\x80\x7f\"}"),
               "{\"s\":\"a\\\"b\\\\c\\n\xc3\xa9/\",\"n\":1.0,\"i\":0,"
               "\"t\":true,\"z\":null,\"o\":{\"k\":\"v\",\"e\":{}},"
               "\"a\":[1,[],\"x\"],\"b\":[1,2],"
               "\"u\":\"\xf0\x9f\x98\x80\x7f\"}",
               9, kre1);

    check_tags(ONE(",\"promptTags\":{\"amount\":\"5,000 SAR\",\"f\":false,"
                   "\"big\":-9223372036854775808}"),
               "{\"amount\":\"5,000 SAR\",\"f\":false,"
               "\"big\":-9223372036854775808}",
               3, kre2);

    check_tags(ONE(",\"promptTags\" : { \"e\" : \"x\\u0001\\u001Fy\" }"),
               "{\"e\":\"x\\u0001\\u001fy\"}", 1, kre3);

    check_tags(ONE(",\"promptTags\":{}"), "{}", 0, NULL);
    check_tags(ONE(",\"promptTags\":{\n}"), "{}", 0, NULL);
}


static void
test_zero_copy(void **state)
{
    size_t                   i, len;
    fast_run_t               f;
    const char              *body;
    const levers_tags_t     *tags;
    const levers_contact_t  *c;

    (void) state;

    body = ONE(",\"firstName\":\"Ahmed\",\"lastName\":\"\xd8\xa3\","
               "\"metadata\":{\"a\":[1,{\"b\":null}],\"c\":\"\xc3\xa9\"},"
               "\"promptTags\":{\"s\":\"x\",\"n\":12,\"o\":[1,2],"
               "\"p\":{\"q\":\"r\"},\"z\":null}");
    len = strlen(body);

    accepts(body);
    assert_int_equal(fast(&f, body, len), 0);

    c = &f.req.contacts[0];
    assert_true(in_buf(c->number, c->number_len, body, len));
    assert_true(in_buf(c->first_name.data, c->first_name.len, body, len));
    assert_true(in_buf(c->last_name.data, c->last_name.len, body, len));
    assert_true(in_buf(c->metadata.data, c->metadata.len, body, len));

    tags = c->prompt_tags;
    assert_true(in_buf(tags->json.data, tags->json.len, body, len));

    for (i = 0; i < tags->n; i++) {
        assert_true(in_buf(tags->items[i].key.data, tags->items[i].key.len,
                           body, len));

        if (i == 3) {
            /* {"q":"r"} needs its quotes escaped */
            assert_false(in_buf(tags->items[i].esc.data,
                                tags->items[i].esc.len, body, len));
            continue;
        }

        if (i == 4) {
            assert_int_equal(tags->items[i].raw.len, 0);
            continue;
        }

        assert_true(in_buf(tags->items[i].raw.data, tags->items[i].raw.len,
                           body, len));
        assert_true(in_buf(tags->items[i].esc.data, tags->items[i].esc.len,
                           body, len));
    }

    /* one allocation for the contacts, one block for the tags */
    assert_int_equal(f.arena.n, 2);

    fast_done(&f);
}


/*
 * Strings are read and copied 8 bytes at a time: every length around
 * that, with a telling byte at every place, in every field, and at the
 * very end of the body.
 */

static void
test_string_words(void **state)
{
    char                 body[256], content[64];
    size_t               len, at, i, k, f;

    static const char  *bytes[] = {
        "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\x01",
        "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "\xc3", "\xed\xa0\x80", "\xff", "\"", "\\u0000", " ", "x"
    };

    static const char  *fields[] = {
        ONE1("\"%s\""),
        ONE1("\"1\",\"firstName\":\"%s\""),
        ONE1("\"1\",\"metadata\":{\"%s\":1}"),
        ONE1("\"1\",\"metadata\":{\"a\":\"%s\"}"),
        ONE1("\"1\",\"metadata\":{ \"a\":\"%s\"}"),
        ONE1("\"1\",\"promptTags\":{\"a\":\"%s\"}"),
        ONE1("\"1\",\"promptTags\":{\"a\":[\"%s\"]}"),
        "{\"contacts\":[],\"x\":\"%s\"}"
    };

    (void) state;

    for (len = 0; len <= 20; len++) {
        for (at = 0; at <= len; at++) {
            for (k = 0; k < sizeof(bytes) / sizeof(bytes[0]); k++) {
                for (i = 0; i < at; i++) {
                    content[i] = (char) ('a' + i);
                }

                content[at] = '\0';
                strcat(content, bytes[k]);

                for (i = at; i < len; i++) {
                    strcat(content, "z");
                }

                for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
                    snprintf(body, sizeof(body), fields[f], content);
                    check_body(body, strlen(body), NULL);

                    /* cut short inside the string */
                    check_body(body, strlen(body) - 4 - (f > 3), NULL);
                }
            }
        }
    }
}


/* every allocation made to fail in turn: -1, never a crash */

static void
test_alloc_failure(void **state)
{
    int          rc;
    size_t       i;
    fast_run_t   f;
    const char  *body;

    (void) state;

    body = "{\"contacts\":[{\"numberToCall\":\"\\u0031\",\"firstName\":"
           "\"\\n\",\"metadata\":{ \"a\":1.5},\"promptTags\":{\"a\":"
           "\"\\n\",\"b\":{\"c\":1}, \"d\":\"\\\"\"}},"
           "{\"numberToCall\":\"2\"}]}";

    for (i = 1; ; i++) {
        memset(&f, 0, sizeof(f));
        f.arena.fail_at = i;

        rc = levers_fast_parse(body, strlen(body), &f.req, arena_alloc,
                               &f.arena);
        arena_free(&f.arena);

        if (rc == 0) {
            break;
        }

        assert_int_equal(rc, -1);
        assert_true(i < 100);
    }

    assert_true(i >= 3);
}


/* the memory of a large body: well under twice its size */

static void
test_memory(void **state)
{
    int             n;
    char           *body;
    size_t          i, len, size;
    count_arena_t   a;
    levers_request_t  req;

    (void) state;

    size = 300 * 5000 + 256;
    body = malloc(size);
    assert_non_null(body);

    len = sprintf(body, "{\"countryCode\":\"SA\",\"contacts\":[");

    for (i = 1; i <= 5000; i++) {
        n = snprintf(body + len, size - len,
                     "%s{\"numberToCall\":\"05%08zu\",\"firstName\":"
                     "\"Ahmed\",\"lastName\":\"Al-Rashid\",\"metadata\":"
                     "{\"invoiceNumber\":\"INV-%06zu\",\"amount\":"
                     "\"5000.00\"},\"promptTags\":{\"company\":\"Levers\","
                     "\"name\":\"Ahmed Al-Rashid\",\"amount\":\"5,000 SAR\","
                     "\"due_date\":\"January 15, 2026\",\"account\":"
                     "\"ACC-%06zu\"}}",
                     i > 1 ? "," : "", i, i, i);
        len += n;
    }

    memcpy(body + len, "]}", 2);
    len += 2;

    memset(&a, 0, sizeof(a));
    assert_int_equal(levers_fast_parse(body, len, &req, count_alloc, &a), 0);
    assert_int_equal(req.ncontacts, 5000);

    print_message("  compact: %zu bytes of body, %zu allocated (%.2fx) in "
                  "%zu allocations\n", len, a.bytes,
                  (double) a.bytes / len, a.calls);
    assert_true(a.bytes < len * 3 / 2);

    arena_free(&a.arena);
    free(body);
}


/*
 * A block used up to its very end, then a text of its own memory, which
 * a pool puts right after the block: the block must still count as full.
 * The names fill the block (1 KB for this body) to the byte where the
 * empty promptTags are carved exactly (k 489 to 496 on LP64); the spaced
 * metadata is too large for a block, and the next contact's name was
 * then written past the metadata's memory, over the contacts array.
 * check_body() runs every accepted body with pool_alloc() as well.
 */

static void
test_block_end(void **state)
{
    int     n;
    char   *body;
    size_t  k, size;

    (void) state;

    size = 4096;
    body = malloc(size);
    assert_non_null(body);

    for (k = 480; k <= 500; k++) {
        n = snprintf(body, size,
                     "{\"contacts\":[{\"numberToCall\":\"1\","
                     "\"firstName\":\"\\/%0*d\",\"lastName\":\"\\/%0*d\","
                     "\"promptTags\":{},\"metadata\":{ \"a\":\"%0*d\"}},"
                     "{\"numberToCall\":\"2\",\"firstName\":\"\\/%0*d\"}]}",
                     (int) k, 0, 490, 0, 600, 0, 300, 0);
        assert_true(n > 0 && (size_t) n < size);

        accepts(body);
    }

    free(body);
}


/* ---------------------------------------------------------- generator */


static uint64_t
rnd64(uint64_t *s)
{
    uint64_t  x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;

    return x * 0x2545f4914f6cdd1dULL;
}


static unsigned
rn(unsigned n)
{
    return (unsigned) (rnd64(&rng_state) >> 33) % n;
}


static void
sb_add(sb_t *sb, const char *p, size_t len)
{
    if (sb->len + len + 1 > sb->cap) {
        sb->cap = (sb->len + len + 1) * 2;
        sb->p = realloc(sb->p, sb->cap);
        assert_non_null(sb->p);
    }

    memcpy(sb->p + sb->len, p, len);
    sb->len += len;
    sb->p[sb->len] = '\0';
}


static void
sb_str(sb_t *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}


/* white space between tokens, as the style has it */

static void
gen_ws(gen_t *g, sb_t *sb, int where, unsigned depth)
{
    unsigned     i, n;
    static const char  sp[] = " \t\n\r";

    switch (g->style) {

    case 0:
        return;

    case 1:
        /* Python's default separators: ", " and ": " */
        if (where == ',' || where == ':') {
            sb_str(sb, " ");
        }
        return;

    case 2:
        /* json.dumps(indent=N) */
        if (where == ':') {
            sb_str(sb, " ");

        } else if (where == ',' || where == '{' || where == '}') {
            sb_str(sb, "\n");

            for (i = 0; i < depth * g->indent; i++) {
                sb_str(sb, " ");
            }
        }
        return;
    }

    n = (unsigned) (rnd64(&g->ws_rng) >> 33) % 4;

    if (n == 3) {
        n = (unsigned) (rnd64(&g->ws_rng) >> 33) % 6;
    }

    while (n--) {
        sb_add(sb, &sp[(rnd64(&g->ws_rng) >> 33) % 4], 1);
    }
}


/* string contents from pieces: plain, escaped, multibyte */

static void
gen_chars(gen_t *g, sb_t *sb, unsigned max)
{
    unsigned            n;

    static const char  *plain[] = {
        "a", "Z", "0", " ", "-", "+", ",", "{", "}", "[", "]", ":", "'",
        "Ahmed", "Al-Rashid", "5,000 SAR", "\x7f", "\xc3\xa9",
        "\xd8\xa3\xd8\xad\xd9\x85\xd8\xaf", "\xe2\x80\xa8",
        "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "~", "/",
        "{{x}}"
    };

    static const char  *escaped[] = {
        "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t",
        "\\u00e9", "\\u00E9", "\\u0001", "\\u001F", "\\u001f", "\\u0041",
        "\\u007f", "\\u0022", "\\u005C", "\\u2028", "\\uD83D\\uDE00",
        "\\ud83d\\ude00", "\\uFFFF", "\\u0020", "\\udbff\\udfff"
    };

    (void) g;

    n = rn(max + 1);

    while (n--) {
        if (rn(4) == 0) {
            sb_str(sb, escaped[rn(sizeof(escaped) / sizeof(escaped[0]))]);

        } else {
            sb_str(sb, plain[rn(sizeof(plain) / sizeof(plain[0]))]);
        }
    }
}


static void
gen_string(gen_t *g, sb_t *sb, unsigned max)
{
    sb_str(sb, "\"");
    gen_chars(g, sb, max);
    sb_str(sb, "\"");
}


static void
gen_number(sb_t *sb)
{
    char                buf[64];

    static const char  *nums[] = {
        "0", "-0", "1", "-1", "42", "123456789012345678",
        "9223372036854775807", "-9223372036854775808",
        "1000000000000000000", "1.5", "1.50", "-0.0", "0.0", "1e5", "1E5",
        "1e+5", "1e-5", "2.5e-3", "1e22", "1e16", "1e15", "123.456", "0.1",
        "1e308", "1.7976931348623157e308", "5e-324", "1e-400", "0e0",
        "3.141592653589793", "100.0", "0.30000000000000004", "1e-7",
        "9007199254740993", "9007199254740993.0", "2e-1", "-1E-1",
        "0.000001", "0.0000001", "12345678901234567890e-10", "1.0e+300",
        "4.9406564584124654e-324", "2.2250738585072014e-308"
    };

    switch (rn(3)) {

    case 0:
        sprintf(buf, "%s%u", rn(3) ? "" : "-", rn(100000));
        sb_str(sb, buf);
        return;

    case 1:
        sprintf(buf, "%u.%0*u%s", rn(1000), (int) rn(4) + 1, rn(1000),
                rn(2) ? "" : (rn(2) ? "e3" : "E-12"));
        sb_str(sb, buf);
        return;
    }

    sb_str(sb, nums[rn(sizeof(nums) / sizeof(nums[0]))]);
}


static void gen_value(gen_t *g, sb_t *sb, unsigned depth);


/* an object of distinct, unescaped keys (as the fast path wants them) */

static void
gen_object(gen_t *g, sb_t *sb, unsigned depth)
{
    char                key[32];
    unsigned            i, n;

    static const char  *names[] = {
        "a", "b", "key", "\xd9\x85\xd9\x81\xd8\xaa\xd8\xa7\xd8\xad", "",
        "x y", "\xc3\xa9", "numberToCall", "contacts", "{{a}}"
    };

    n = rn(depth > 5 ? 2 : 5);

    sb_str(sb, "{");

    for (i = 0; i < n; i++) {
        if (i) {
            sb_str(sb, ",");
            gen_ws(g, sb, ',', depth + 1);

        } else {
            gen_ws(g, sb, '{', depth + 1);
        }

        sprintf(key, "\"%s%u\"", names[rn(10)], i);
        sb_str(sb, key);
        gen_ws(g, sb, 0, depth + 1);
        sb_str(sb, ":");
        gen_ws(g, sb, ':', depth + 1);
        gen_value(g, sb, depth + 1);
    }

    if (n) {
        gen_ws(g, sb, '}', depth);
    }

    sb_str(sb, "}");
}


static void
gen_array(gen_t *g, sb_t *sb, unsigned depth)
{
    unsigned  i, n;

    n = rn(depth > 5 ? 2 : 4);

    sb_str(sb, "[");

    for (i = 0; i < n; i++) {
        if (i) {
            sb_str(sb, ",");
            gen_ws(g, sb, ',', depth + 1);

        } else {
            gen_ws(g, sb, '{', depth + 1);
        }

        gen_value(g, sb, depth + 1);
    }

    if (n) {
        gen_ws(g, sb, '}', depth);
    }

    sb_str(sb, "]");
}


static void
gen_value(gen_t *g, sb_t *sb, unsigned depth)
{
    switch (rn(depth > 7 ? 6 : 8)) {

    case 0:
    case 1:
        gen_string(g, sb, 6);
        return;

    case 2:
        gen_number(sb);
        return;

    case 3:
        sb_str(sb, "true");
        return;

    case 4:
        sb_str(sb, "false");
        return;

    case 5:
        sb_str(sb, "null");
        return;

    case 6:
        gen_object(g, sb, depth);
        return;

    default:
        gen_array(g, sb, depth);
    }
}


/* one "key": value member, with its separator */

static void
gen_member(gen_t *g, sb_t *sb, unsigned *first, const char *key,
    unsigned depth)
{
    if (!*first) {
        sb_str(sb, ",");
        gen_ws(g, sb, ',', depth);

    } else {
        gen_ws(g, sb, '{', depth);
    }

    *first = 0;

    sb_str(sb, "\"");
    sb_str(sb, key);
    sb_str(sb, "\"");
    gen_ws(g, sb, 0, depth);
    sb_str(sb, ":");
    gen_ws(g, sb, ':', depth);
}


/* a value the schema may not take (only when not strict) */

static int
gen_wrong(gen_t *g, sb_t *sb, unsigned depth)
{
    if (g->strict || rn(12) != 0) {
        return 0;
    }

    gen_value(g, sb, depth);

    return 1;
}


static void
gen_contact(gen_t *g, sb_t *sb, unsigned depth)
{
    unsigned            first, order[8], i, j, t, n;

    static const char  *numbers[] = {
        "+966500000001", "0500000002", "\\u002b966500000003", "1",
        "\xd9\xa0\xd9\xa5\xd9\xa0\xd9\xa0",
        "+1 (202) 555-0100", "\\t+44\\n"
    };

    sb_str(sb, "{");
    first = 1;

    n = 0;
    order[n++] = 0;

    for (i = 1; i < 6; i++) {
        if (rn(4) != 0) {
            order[n++] = i;
        }
    }

    if (!g->strict && rn(20) == 0) {
        n--;
        memmove(order, order + 1, n * sizeof(unsigned));
    }

    for (i = n; i > 1; i--) {
        j = rn(i);
        t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }

    for (i = 0; i < n; i++) {
        switch (order[i]) {

        case 0:
            gen_member(g, sb, &first, "numberToCall", depth + 1);

            if (gen_wrong(g, sb, depth + 1)) {
                break;
            }

            if (rn(4) == 0) {
                gen_string(g, sb, 8);

                /* an empty one is declined: write something */
                if (sb->p[sb->len - 2] == '"') {
                    sb->len--;
                    sb_str(sb, "x\"");
                }

                break;
            }

            sb_str(sb, "\"");
            sb_str(sb, numbers[rn(sizeof(numbers) / sizeof(numbers[0]))]);
            sb_str(sb, "\"");
            break;

        case 1:
        case 2:
            gen_member(g, sb, &first, order[i] == 1 ? "firstName"
                                                    : "lastName",
                       depth + 1);

            if (gen_wrong(g, sb, depth + 1)) {
                break;
            }

            if (rn(5) == 0) {
                sb_str(sb, "null");

            } else {
                gen_string(g, sb, 5);
            }
            break;

        case 3:
        case 4:
            gen_member(g, sb, &first, order[i] == 3 ? "metadata"
                                                    : "promptTags",
                       depth + 1);

            if (gen_wrong(g, sb, depth + 1)) {
                break;
            }

            if (rn(6) == 0) {
                sb_str(sb, "null");

            } else {
                gen_object(g, sb, depth + 1);
            }
            break;

        default:
            gen_member(g, sb, &first, rn(2) ? "email" : "numbertocall",
                       depth + 1);
            gen_value(g, sb, depth + 1);
        }
    }

    gen_ws(g, sb, '}', depth);
    sb_str(sb, "}");
}


static void
gen_body(gen_t *g, sb_t *sb)
{
    char                buf[64];
    unsigned            first, order[7], i, j, t, n, k;

    static const char  *uuids[] = {
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400e29b41d4a716446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
        "\\u0035\\u00350e8400-e29b-41d4-a716-446655440000"
    };

    static const char  *bad_uuids[] = {
        "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716-4466554400000", "", "x",
        "550e8400_e29b_41d4_a716_446655440000"
    };

    sb->len = 0;
    sb_str(sb, "{");
    first = 1;

    n = 0;
    order[n++] = 0;

    for (i = 1; i < 7; i++) {
        if (rn(3) != 0) {
            order[n++] = i;
        }
    }

    for (i = n; i > 1; i--) {
        j = rn(i);
        t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }

    for (i = 0; i < n; i++) {
        switch (order[i]) {

        case 0:
            gen_member(g, sb, &first, "contacts", 1);

            if (!g->strict && rn(30) == 0) {
                gen_value(g, sb, 2);
                break;
            }

            k = rn(5);
            sb_str(sb, "[");

            for (j = 0; j < k; j++) {
                if (j) {
                    sb_str(sb, ",");
                    gen_ws(g, sb, ',', 2);

                } else {
                    gen_ws(g, sb, '{', 2);
                }

                if (!g->strict && rn(40) == 0) {
                    gen_value(g, sb, 2);
                    continue;
                }

                gen_contact(g, sb, 2);
            }

            if (k) {
                gen_ws(g, sb, '}', 1);
            }

            sb_str(sb, "]");
            break;

        case 1:
            gen_member(g, sb, &first, "aiSettingsTemplateId", 1);

            if (!g->strict && rn(8) == 0) {
                sprintf(buf, "\"%s\"", bad_uuids[rn(5)]);
                sb_str(sb, rn(2) ? buf : "1");

            } else if (rn(4) == 0) {
                sb_str(sb, "null");

            } else {
                sprintf(buf, "\"%s\"", uuids[rn(6)]);
                sb_str(sb, buf);
            }
            break;

        case 2:
            gen_member(g, sb, &first, "updateExisting", 1);

            if (!g->strict && rn(6) == 0) {
                static const char *lax[] = {
                    "\"yes\"", "1", "0", "null", "\"x\"", "2", "1.0"
                };
                sb_str(sb, lax[rn(7)]);

            } else {
                sb_str(sb, rn(2) ? "true" : "false");
            }
            break;

        case 3:
            gen_member(g, sb, &first, "countryCode", 1);

            if (!g->strict && rn(6) == 0) {
                static const char *bad[] = {
                    "\"sa\"", "\"S\"", "\"SAU\"", "1", "\"\\u0053A\"", "\"\""
                };
                sb_str(sb, bad[rn(6)]);

            } else {
                sb_str(sb, rn(4) ? "\"SA\"" : "null");
            }
            break;

        case 4:
            gen_member(g, sb, &first, "batchSize", 1);

            if (!g->strict && rn(4) == 0) {
                static const char *bad[] = {
                    "9", "1001", "50.0", "\"50\"", "true", "-10", "5e1",
                    "0", "10.5"
                };
                sb_str(sb, bad[rn(9)]);

            } else if (rn(5) == 0) {
                sb_str(sb, "null");

            } else {
                sprintf(buf, "%u", 10 + rn(991));
                sb_str(sb, buf);
            }
            break;

        default:
            gen_member(g, sb, &first, order[i] == 5 ? "unknown" : "bulk", 1);
            gen_value(g, sb, 2);
        }
    }

    gen_ws(g, sb, '}', 0);
    sb_str(sb, "}");

    if (g->style == 3 && rn(2)) {
        gen_ws(g, sb, 0, 0);
    }
}


/* one change of a valid body, for the paths to disagree on if they can */

static void
mutate(const sb_t *in, sb_t *out)
{
    size_t              pos, len, i, n, at;

    static const char  *bits[] = {
        "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", "e", ".",
        "\xc0", "\xed", "\xf4", "\x80", "u", "\\u", "\\u0000", "\\ud800",
        "\\udc00", "\n", "\x01", "1e400", "99999999999999999999", "null",
        "true", "\"\":1,", "\"a\":1,", "\xef\xbb\xbf", "-0", "1.0", "\t",
        "\\\"", "\"numberToCall\":\"1\",", "\"metadata\":{},", "E", "+"
    };

    out->len = 0;
    sb_add(out, "", 0);

    pos = in->len ? rn((unsigned) in->len) : 0;

    switch (rn(6)) {

    case 0:
        /* a byte replaced by a telling one */
        sb_add(out, in->p, pos);
        sb_str(out, bits[rn(sizeof(bits) / sizeof(bits[0]))]);
        if (pos < in->len) {
            sb_add(out, in->p + pos + 1, in->len - pos - 1);
        }
        return;

    case 1:
        /* a telling piece inserted */
        sb_add(out, in->p, pos);
        sb_str(out, bits[rn(sizeof(bits) / sizeof(bits[0]))]);
        sb_add(out, in->p + pos, in->len - pos);
        return;

    case 2:
        /* a run deleted */
        len = 1 + rn(rn(4) ? 2 : 16);
        if (pos + len > in->len) {
            len = in->len - pos;
        }
        sb_add(out, in->p, pos);
        sb_add(out, in->p + pos + len, in->len - pos - len);
        return;

    case 3:
        /* a random byte */
        sb_add(out, in->p, in->len);
        if (in->len) {
            out->p[pos] = (char) rn(256);
        }
        return;

    case 4:
        /* a run repeated (duplicated keys, among others) */
        len = 1 + rn(40);
        if (pos + len > in->len) {
            len = in->len - pos;
        }
        at = rn((unsigned) in->len + 1);
        sb_add(out, in->p, at);
        sb_add(out, in->p + pos, len);
        sb_add(out, in->p + at, in->len - at);
        return;
    }

    /* several bytes flipped */
    sb_add(out, in->p, in->len);
    n = 1 + rn(3);

    for (i = 0; i < n && in->len; i++) {
        out->p[rn((unsigned) in->len)] ^= (char) (1 << rn(8));
    }
}


/*
 * The limits the fast path keeps (keys per object, keys open at once,
 * depth) at and beyond their edge, and a contacts array whose size is
 * guessed wrong again and again (a large first contact, then small
 * ones): what is accepted must still be the general path's request.
 */

static void
test_limits(void **state)
{
    int       rc;
    char      buf[64];
    sb_t      sb;
    size_t    i, k, n;

    (void) state;

    memset(&sb, 0, sizeof(sb));

    /* 64 keys in the metadata and in the tags, then 65 */

    for (n = 63; n <= 65; n++) {
        for (k = 0; k < 2; k++) {
            sb.len = 0;
            sb_str(&sb, k ? ONE1("\"1\",\"promptTags\":{")
                          : ONE1("\"1\",\"metadata\":{"));
            sb.len -= 3;            /* before "}]}" */

            for (i = 0; i < n; i++) {
                snprintf(buf, sizeof(buf), "%s\"k%zu\":%s", i ? "," : "",
                         i, (i & 1) ? "1.5" : "\"v\"");
                sb_str(&sb, buf);
            }

            sb_str(&sb, "}}]}");

            rc = check_body(sb.p, sb.len, NULL);
            assert_int_equal(rc, n <= 64 ? 0 : LEVERS_FAST_DECLINED);
        }
    }

    /* objects of 64 keys nested in one another: 256 keys open at most */

    for (n = 3; n <= 5; n++) {
        sb.len = 0;
        sb_str(&sb, ONE1("\"1\",\"metadata\":"));
        sb.len -= 3;

        for (k = 0; k < n; k++) {
            sb_str(&sb, "{");

            for (i = 0; i < 63; i++) {
                snprintf(buf, sizeof(buf), "\"k%zu\":%zu,", i, i);
                sb_str(&sb, buf);
            }

            sb_str(&sb, "\"z\":");
        }

        sb_str(&sb, "null");

        for (k = 0; k < n; k++) {
            sb_str(&sb, "}");
        }

        sb_str(&sb, "}]}");

        rc = check_body(sb.p, sb.len, NULL);
        assert_int_equal(rc, n * 64 <= 256 ? 0 : LEVERS_FAST_DECLINED);
    }

    /* depth: the metadata object is level 4, 32 levels are read */

    for (n = 27; n <= 30; n++) {
        sb.len = 0;
        sb_str(&sb, ONE1("\"1\",\"metadata\":{\"a\":"));
        sb.len -= 3;

        for (k = 0; k < n; k++) {
            sb_str(&sb, "[");
        }

        for (k = 0; k < n; k++) {
            sb_str(&sb, "]");
        }

        sb_str(&sb, "}}]}");

        rc = check_body(sb.p, sb.len, NULL);
        assert_int_equal(rc, 4 + n <= 32 ? 0 : LEVERS_FAST_DECLINED);
    }

    /* contacts: a large first one, then small ones, some spaced */

    sb.len = 0;
    sb_str(&sb, "{\"contacts\":[{\"numberToCall\":\"0\","
                "\"metadata\":{\"a\":\"");

    for (i = 0; i < 2000; i++) {
        sb_str(&sb, "x");
    }

    sb_str(&sb, "\"}}");

    for (i = 1; i <= 300; i++) {
        snprintf(buf, sizeof(buf), ",%s{\"numberToCall\":\"%zu\"}",
                 (i % 7) ? "" : " \n", i);
        sb_str(&sb, buf);
    }

    sb_str(&sb, "],\"x\":[");

    for (i = 0; i < 1000; i++) {
        sb_str(&sb, i ? ",1" : "1");
    }

    sb_str(&sb, "]}");

    assert_int_equal(check_body(sb.p, sb.len, NULL), 0);

    free(sb.p);
}


/* hand-written bodies, given whole and as each of their prefixes */

static const char  *corpus[] = {
    SEED_BODY,
    SEED_COMPACT,
    SEED_PYTHON,
    "{\"contacts\":[]}",
    "{\"contacts\":[{\"numberToCall\":\"1\"}]}",
    ONE(",\"metadata\":{\"a\":[1,2.5,-0,1e5,{\"b\":\"\\u00e9\\n\"}]}"),
    ONE(",\"promptTags\":{\"a\":\"\\\"x\\\"\",\"b\":[{\"c\":null}],"
        "\"d\":-0.0,\"e\":null}"),
    ONE(",\"firstName\":\"\\ud83d\\ude00\",\"lastName\":\"\\u0000\""),
    "{\"contacts\":[],\"batchSize\":10,\"countryCode\":\"SA\","
    "\"updateExisting\":true,\"aiSettingsTemplateId\":null}"
};


static void
test_differential(void **state)
{
    int           rc;
    size_t        i, k;
    sb_t          body, mut;
    gen_t         g;
    uint64_t      seed;
    unsigned      style;
    diff_stats_t  st, gen_st;

    (void) state;

    memset(&st, 0, sizeof(st));
    memset(&gen_st, 0, sizeof(gen_st));
    memset(&body, 0, sizeof(body));
    memset(&mut, 0, sizeof(mut));

    rng_state = 0x9e3779b97f4a7c15ULL;

    /* the hand-written corpus, its prefixes and its mutations */

    for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
        body.len = 0;
        sb_str(&body, corpus[i]);

        for (k = 0; k <= body.len; k++) {
            check_body(body.p, k, &st);
        }

        for (k = 0; k < 2000; k++) {
            mutate(&body, &mut);
            check_body(mut.p, mut.len, &st);
        }
    }

    /*
     * generated bodies: strict ones must be accepted in every style; any
     * may be reformatted and mutated
     */

    for (i = 0; i < 6000; i++) {
        seed = rnd64(&rng_state);

        memset(&g, 0, sizeof(g));
        g.strict = (i % 2 == 0);

        for (style = 0; style < 4; style++) {
            g.style = style;
            g.indent = 1 + (i % 4);
            g.ws_rng = seed ^ 0x5555;

            rng_state = seed;
            gen_body(&g, &body);

            rc = check_body(body.p, body.len, &gen_st);

            if (g.strict && rc != 0) {
                print_body(body.p, body.len);
                fail_msg("a strict body was declined");
            }
        }

        rng_state = seed ^ 0xabcdef;

        for (k = 0; k < 6; k++) {
            mutate(&body, &mut);
            check_body(mut.p, mut.len, &st);

            if (k == 5) {
                /* a second mutation on top of the first */
                sb_t  mut2;

                memset(&mut2, 0, sizeof(mut2));
                mutate(&mut, &mut2);
                check_body(mut2.p, mut2.len, &st);
                free(mut2.p);
            }
        }

        rng_state = seed + 1;
    }

    print_message("  generated: %lu bodies, fast path accepted %lu, "
                  "general path %lu, both %lu\n", gen_st.cases,
                  gen_st.fast_ok, gen_st.general_ok, gen_st.both_ok);
    print_message("  mutated and prefixes: %lu bodies, fast path accepted "
                  "%lu, general path %lu, both %lu\n", st.cases, st.fast_ok,
                  st.general_ok, st.both_ok);

    assert_true(gen_st.fast_ok > gen_st.cases / 2);
    assert_true(st.fast_ok > 1000);

    free(body.p);
    free(mut.p);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_declines),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_zero_copy),
        cmocka_unit_test(test_string_words),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_block_end),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_differential),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

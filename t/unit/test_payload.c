/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_payload.c: batch splitting, the gateway batch
 * body (contract section 6), the 201/502 answer (section 4) with its
 * "every index exactly once" property, and the reading of gateway
 * answers for call ids.
 *
 * Requests are built from JSON text with levers_validate_request() and
 * planned with levers_plan(), as the module does.
 *
 *   make -C t/unit build/test_payload && t/unit/build/test_payload
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "levers_payload.h"
#include "arena.h"


#define BULK_ID  "0b6c3a52-9d1e-4f7a-8c2b-5e4d3f2a1b0c"





/* a growing output buffer for levers_json_write_pt */
typedef struct {
    char       *buf;
    size_t      len;
    size_t      cap;
    int         calls;
    int         fail_at;      /* fail the n-th write (1-based); 0: never */
} out_t;


typedef struct {
    arena_t              arena;
    json_t              *body;
    levers_request_t     req;
    levers_errors_t      errs;
    levers_plan_t        plan;
    levers_plan_conf_t   conf;
    levers_template_t    tpl;
    levers_bulk_t        bulk;
    out_t                out;
    json_t              *doc;      /* the last output parsed back */
} fx_t;


static int
out_write(void *data, const char *buf, size_t len)
{
    char   *p;
    out_t  *o = data;

    o->calls++;

    if (o->fail_at && o->calls == o->fail_at) {
        return -1;
    }

    if (o->len + len + 1 > o->cap) {
        o->cap = (o->len + len + 1) * 2;
        p = realloc(o->buf, o->cap);
        assert_non_null(p);
        o->buf = p;
    }

    memcpy(o->buf + o->len, buf, len);
    o->len += len;
    o->buf[o->len] = '\0';

    return 0;
}


static void
out_reset(out_t *o)
{
    o->len = 0;
    o->calls = 0;
    o->fail_at = 0;

    if (o->buf) {
        o->buf[0] = '\0';
    }
}


static int
fx_setup(void **state)
{
    fx_t  *fx;

    fx = calloc(1, sizeof(fx_t));
    assert_non_null(fx);
    assert_int_equal(levers_errors_init(&fx->errs, 0), 0);

    fx->conf.default_region = "SA";
    fx->conf.missing_tag = LEVERS_TAG_MISSING_ERROR;
    fx->conf.dedupe = 1;
    fx->conf.normalise = 1;

    *state = fx;

    return 0;
}


static int
fx_teardown(void **state)
{
    fx_t  *fx = *state;

    levers_errors_free(&fx->errs);
    json_decref(fx->body);
    levers_tpl_free(fx->tpl.system_prompt);
    levers_tpl_free(fx->tpl.knowledge_base);
    json_decref(fx->tpl.settings);
    arena_free(&fx->arena);
    free(fx->out.buf);
    json_decref(fx->doc);
    free(fx);

    return 0;
}


/* kb and settings may be NULL */

static void
fx_template(fx_t *fx, const char *sp, const char *kb, const char *settings)
{
    char  err[128];

    fx->tpl.system_prompt = levers_tpl_compile(sp, strlen(sp), err,
                                               sizeof(err));
    assert_non_null(fx->tpl.system_prompt);

    if (kb) {
        fx->tpl.knowledge_base = levers_tpl_compile(kb, strlen(kb), err,
                                                    sizeof(err));
        assert_non_null(fx->tpl.knowledge_base);
    }

    if (settings) {
        fx->tpl.settings = json_loads(settings, 0, NULL);
        assert_non_null(fx->tpl.settings);
    }

    fx->conf.tpl = &fx->tpl;
}


/* validates, plans (no errors expected) and splits into batches of size */

static void
fx_bulk(fx_t *fx, const char *text, size_t size)
{
    size_t        n;
    json_error_t  jerr;

    /* as ngx_levers_body.c parses: "\u0000" is allowed in strings */
    fx->body = json_loads(text, JSON_ALLOW_NUL, &jerr);
    if (fx->body == NULL) {
        fail_msg("bad test JSON: %s at %d: %s", jerr.text, jerr.position,
                 text);
    }

    assert_int_equal(levers_validate_request(fx->body, &fx->req, &fx->errs,
                                             arena_alloc, &fx->arena), 0);
    assert_int_equal(levers_plan(&fx->req, &fx->conf, &fx->plan, &fx->errs,
                                 arena_alloc, &fx->arena), 0);
    assert_int_equal(fx->errs.total, 0);

    fx->bulk.req = &fx->req;
    fx->bulk.plan = &fx->plan;
    fx->bulk.tpl = fx->conf.tpl;
    fx->bulk.missing_tag = fx->conf.missing_tag;
    fx->bulk.bulk_id = BULK_ID;

    n = levers_batches_count(fx->plan.ncalls, size);
    fx->bulk.batches = arena_alloc(&fx->arena,
                                   (n ? n : 1) * sizeof(levers_batch_t));
    fx->bulk.nbatches = 12345;

    levers_bulk_split(&fx->bulk, size);

    assert_int_equal(fx->bulk.nbatches, n);
}


static void
fx_accept(fx_t *fx, size_t b, int status)
{
    fx->bulk.batches[b].status = status;
    fx->bulk.batches[b].accepted = status >= 200 && status < 300;
}


static json_t *
fx_batch_json(fx_t *fx, size_t b)
{
    json_t        *v;
    json_error_t   jerr;

    out_reset(&fx->out);
    assert_int_equal(levers_payload_batch(&fx->bulk, b, out_write, &fx->out),
                     0);

    /* kept in the fixture, so a failed assertion does not leak it */
    json_decref(fx->doc);
    fx->doc = json_loadb(fx->out.buf, fx->out.len, JSON_ALLOW_NUL, &jerr);
    v = fx->doc;

    if (v == NULL) {
        fail_msg("batch %zu is not JSON (%s): %s", b, jerr.text, fx->out.buf);
    }

    return v;
}


static json_t *
fx_result_json(fx_t *fx)
{
    json_t        *v;
    json_error_t   jerr;

    out_reset(&fx->out);
    assert_int_equal(levers_payload_result(&fx->bulk, out_write, &fx->out),
                     0);

    /* kept in the fixture, so a failed assertion does not leak it */
    json_decref(fx->doc);
    fx->doc = json_loadb(fx->out.buf, fx->out.len, JSON_ALLOW_NUL, &jerr);
    v = fx->doc;

    if (v == NULL) {
        fail_msg("result is not JSON (%s): %s", jerr.text, fx->out.buf);
    }

    return v;
}


static void
assert_json_equal(json_t *got, const char *expected)
{
    char          *dump;
    json_t        *want;
    json_error_t   jerr;

    want = json_loads(expected, JSON_DECODE_ANY, &jerr);
    if (want == NULL) {
        fail_msg("bad expected JSON: %s: %s", jerr.text, expected);
    }

    if (!json_equal(got, want)) {
        dump = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
        print_error("expected: %s\n     got: %s\n", expected,
                    dump ? dump : "(null)");
        free(dump);
        json_decref(want);
        fail();
    }

    json_decref(want);
}


/* a body of n contacts "05000000NN" (NN = i + 1), no region needed */

static char *
contacts_body(size_t n)
{
    char    *text, *p;
    size_t   i;

    text = malloc(64 + n * 48);
    assert_non_null(text);

    p = text + sprintf(text, "{\"contacts\":[");

    for (i = 0; i < n; i++) {
        p += sprintf(p, "%s{\"numberToCall\":\"+9665%08zu\"}", i ? "," : "",
                     i + 1);
    }

    strcpy(p, "]}");

    return text;
}


/* splitting */

static void
test_batches_count(void **state)
{
    (void) state;

    assert_int_equal(levers_batches_count(0, 100), 0);
    assert_int_equal(levers_batches_count(1, 100), 1);
    assert_int_equal(levers_batches_count(99, 100), 1);
    assert_int_equal(levers_batches_count(100, 100), 1);
    assert_int_equal(levers_batches_count(101, 100), 2);
    assert_int_equal(levers_batches_count(250, 100), 3);
    assert_int_equal(levers_batches_count(1000, 100), 10);
    assert_int_equal(levers_batches_count(1000, 1000), 1);
    assert_int_equal(levers_batches_count(1001, 10), 101);
}


static void
check_split(fx_t *fx, size_t ncontacts, size_t size, const size_t *counts,
    size_t nbatches)
{
    char    *text;
    size_t   b, i, k;

    text = contacts_body(ncontacts);
    fx_bulk(fx, text, size);
    free(text);

    assert_int_equal(fx->plan.ncalls, ncontacts);
    assert_int_equal(fx->bulk.nbatches, nbatches);

    for (b = 0, i = 0; b < nbatches; b++) {
        assert_int_equal(fx->bulk.batches[b].first, i);
        assert_int_equal(fx->bulk.batches[b].count, counts[b]);
        assert_int_equal(fx->bulk.batches[b].status, 0);
        assert_int_equal(fx->bulk.batches[b].accepted, 0);

        for (k = 0; k < counts[b]; k++, i++) {
            assert_int_equal(fx->plan.out[fx->plan.calls[i]].batch, b);
        }
    }

    assert_int_equal(i, ncontacts);
}


static void
test_split_1000_by_100(void **state)
{
    size_t  counts[10], b;

    for (b = 0; b < 10; b++) {
        counts[b] = 100;
    }

    check_split(*state, 1000, 100, counts, 10);
}


static void
test_split_250_by_100(void **state)
{
    const size_t  counts[] = { 100, 100, 50 };

    check_split(*state, 250, 100, counts, 3);
}


static void
test_split_skips_in_between(void **state)
{
    fx_t          *fx = *state;
    size_t         i;
    const size_t   calls[] = { 0, 2, 3, 4, 6, 7, 8, 9, 10, 11 };
    const size_t   batch[] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2 };

    /* 1 and 5 are duplicates: batches follow the calls, not the indexes */
    fx_bulk(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"0500000000\"},{\"numberToCall\":\"0500000000\"},"
        "{\"numberToCall\":\"0500000002\"},{\"numberToCall\":\"0500000003\"},"
        "{\"numberToCall\":\"0500000004\"},{\"numberToCall\":\"0500000004\"},"
        "{\"numberToCall\":\"0500000006\"},{\"numberToCall\":\"0500000007\"},"
        "{\"numberToCall\":\"0500000008\"},{\"numberToCall\":\"0500000009\"},"
        "{\"numberToCall\":\"0500000010\"},{\"numberToCall\":\"0500000011\"}"
        "]}", 4);

    assert_int_equal(fx->plan.ncalls, 10);
    assert_int_equal(fx->bulk.nbatches, 3);
    assert_int_equal(fx->bulk.batches[0].first, 0);
    assert_int_equal(fx->bulk.batches[0].count, 4);
    assert_int_equal(fx->bulk.batches[1].first, 4);
    assert_int_equal(fx->bulk.batches[1].count, 4);
    assert_int_equal(fx->bulk.batches[2].first, 8);
    assert_int_equal(fx->bulk.batches[2].count, 2);

    for (i = 0; i < 10; i++) {
        assert_int_equal(fx->plan.calls[i], calls[i]);
        assert_int_equal(fx->plan.out[calls[i]].batch, batch[i]);
    }
}


static void
test_split_no_calls(void **state)
{
    fx_t  *fx = *state;

    fx_bulk(fx, "{\"contacts\":[]}", 100);

    assert_int_equal(fx->bulk.nbatches, 0);
}


/* the gateway batch body */

#define SMALL_BODY                                                           \
    "{\"aiSettingsTemplateId\":\"{3F0C1C9E-1B2A-4C3D-8E4F-5A6B7C8D9E0F}\","  \
    "\"updateExisting\":\"yes\",\"countryCode\":\"SA\",\"contacts\":["       \
    "{\"numberToCall\":\"050 000 0001\",\"firstName\":\"Ahmed\","            \
    "\"lastName\":\"Al-Rashid\",\"unknown\":1,"                              \
    "\"promptTags\":{\"name\":\"Ahmed\",\"amount\":120.5,"                   \
    "\"extra\":{\"b\":[true,null],\"a\":1}},"                                \
    "\"metadata\":{\"crm\":\"c-1\",\"n\":[1,2.0,1e2]}},"                     \
    "{\"numberToCall\":\"0500000002\",\"firstName\":null},"                  \
    "{\"numberToCall\":\"+966500000001\"}]}"


static void
test_payload_batch_exact(void **state)
{
    fx_t  *fx = *state;

    fx_template(fx, "Hi {{name}}, pay {{ amount }} SAR",
                "KB for {{name}}: {{extra}}",
                "{\"voice\":\"nova\",\"temperature\":0.7,\"tools\":[]}");
    fx->conf.missing_tag = LEVERS_TAG_MISSING_KEEP;

    fx_bulk(fx, SMALL_BODY, 100);

    out_reset(&fx->out);
    assert_int_equal(levers_payload_batch(&fx->bulk, 0, out_write, &fx->out),
                     0);

    /* contact 2 is a duplicate of contact 0: not in the batch */
    assert_string_equal(fx->out.buf,
        "{\"bulkId\":\"" BULK_ID "\","
        "\"batch\":{\"index\":0,\"count\":1},"
        "\"aiSettingsTemplateId\":\"3f0c1c9e-1b2a-4c3d-8e4f-5a6b7c8d9e0f\","
        "\"updateExisting\":true,"
        "\"settings\":{\"voice\":\"nova\",\"temperature\":0.7,\"tools\":[]},"
        "\"calls\":["
        "{\"index\":0,\"numberToCall\":\"+966500000001\","
        "\"firstName\":\"Ahmed\",\"lastName\":\"Al-Rashid\","
        "\"systemPrompt\":\"Hi Ahmed, pay 120.5 SAR\","
        "\"knowledgeBase\":\"KB for Ahmed: {\\\"b\\\":[true,null],"
        "\\\"a\\\":1}\","
        "\"promptTags\":{\"name\":\"Ahmed\",\"amount\":120.5,"
        "\"extra\":{\"b\":[true,null],\"a\":1}},"
        "\"requestMetadata\":{\"crm\":\"c-1\",\"n\":[1,2.0,100.0]}},"
        "{\"index\":1,\"numberToCall\":\"+966500000002\","
        "\"firstName\":null,\"lastName\":null,"
        "\"systemPrompt\":\"Hi {{name}}, pay {{ amount }} SAR\","
        "\"knowledgeBase\":\"KB for {{name}}: {{extra}}\","
        "\"promptTags\":null,\"requestMetadata\":null}]}");
}


static void
test_payload_batch_no_template(void **state)
{
    fx_t    *fx = *state;
    json_t  *v;

    fx_bulk(fx,
        "{\"contacts\":[{\"numberToCall\":\"0500000001\","
        "\"promptTags\":{\"x\":\"{{x}}\"},\"metadata\":{}}]}", 100);

    v = fx_batch_json(fx, 0);

    assert_json_equal(v,
        "{\"bulkId\":\"" BULK_ID "\",\"batch\":{\"index\":0,\"count\":1},"
        "\"aiSettingsTemplateId\":null,\"updateExisting\":false,"
        "\"settings\":{},"
        "\"calls\":[{\"index\":0,\"numberToCall\":\"+966500000001\","
        "\"firstName\":null,\"lastName\":null,"
        "\"promptTags\":{\"x\":\"{{x}}\"},\"requestMetadata\":{}}]}");
}


static void
test_payload_batch_template_without_kb(void **state)
{
    fx_t    *fx = *state;
    json_t  *v, *call;

    /* no knowledge base: no "knowledgeBase" key; no settings: {} */
    fx_template(fx, "Dear {{name}}", NULL, NULL);

    fx_bulk(fx,
        "{\"updateExisting\":0,\"contacts\":[{\"numberToCall\":\"0500000001\","
        "\"lastName\":\"L\",\"promptTags\":{\"name\":\"N\"}}]}", 100);

    v = fx_batch_json(fx, 0);
    call = json_array_get(json_object_get(v, "calls"), 0);

    assert_json_equal(json_object_get(v, "settings"), "{}");
    assert_json_equal(json_object_get(v, "updateExisting"), "false");
    assert_json_equal(call,
        "{\"index\":0,\"numberToCall\":\"+966500000001\","
        "\"firstName\":null,\"lastName\":\"L\","
        "\"systemPrompt\":\"Dear N\",\"promptTags\":{\"name\":\"N\"},"
        "\"requestMetadata\":null}");
    assert_null(json_object_get(call, "knowledgeBase"));
}


static void
test_payload_batch_second_of_three(void **state)
{
    fx_t    *fx = *state;
    char    *text;
    size_t   k;
    json_t  *v, *calls;

    text = contacts_body(25);
    fx_bulk(fx, text, 10);
    free(text);

    v = fx_batch_json(fx, 1);

    assert_json_equal(json_object_get(v, "batch"),
                      "{\"index\":1,\"count\":3}");

    calls = json_object_get(v, "calls");
    assert_int_equal(json_array_size(calls), 10);

    for (k = 0; k < 10; k++) {
        assert_int_equal(json_integer_value(json_object_get(
                             json_array_get(calls, k), "index")), 10 + k);
    }

    v = fx_batch_json(fx, 2);
    calls = json_object_get(v, "calls");
    assert_int_equal(json_array_size(calls), 5);
    assert_json_equal(json_object_get(json_array_get(calls, 4),
                                      "numberToCall"), "\"+966500000025\"");
}


static void
test_payload_batch_numbers_as_sent(void **state)
{
    fx_t    *fx = *state;
    json_t  *v;

    /*
     * With normalisation off the gateway gets numberToCall exactly as the
     * client sent it, however long (up to the schema's 100 characters).
     */
    fx->conf.normalise = 0;

    fx_bulk(fx,
        "{\"contacts\":[{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"+966 (50) 000-0001 ext. 1234\"},"
        "{\"numberToCall\":\"+966 (50) 000-0001 ext. 1235\"},"
        "{\"numberToCall\":\"0500000001\"}]}", 100);

    /* the last one is a duplicate by exact text, the others are not */
    assert_int_equal(fx->plan.ncalls, 3);
    assert_int_equal(fx->plan.out[3].skip, LEVERS_SKIP_DUPLICATE);

    v = fx_batch_json(fx, 0);

    assert_json_equal(json_object_get(json_array_get(
                          json_object_get(v, "calls"), 0), "numberToCall"),
                      "\"0500000001\"");
    assert_json_equal(json_object_get(json_array_get(
                          json_object_get(v, "calls"), 1), "numberToCall"),
                      "\"+966 (50) 000-0001 ext. 1234\"");
    assert_json_equal(json_object_get(json_array_get(
                          json_object_get(v, "calls"), 2), "numberToCall"),
                      "\"+966 (50) 000-0001 ext. 1235\"");

    /* skipped entries carry the text as sent too */
    fx_accept(fx, 0, 200);
    v = fx_result_json(fx);
    assert_json_equal(json_object_get(v, "skipped"),
        "[{\"index\":3,\"numberToCall\":\"0500000001\","
        "\"reason\":\"duplicate\"}]");
    assert_json_equal(json_object_get(json_array_get(
                          json_object_get(v, "calls"), 1), "numberToCall"),
                      "\"+966 (50) 000-0001 ext. 1234\"");
}


/* hostile text survives the trip: quotes, newlines, </script>, RTL, emoji */

#define NASTY  "Sa\\\"ra\\n\\t</script><b>\\\\ \\u0633\\u0627\\u0631\\u0629 " \
               "\\ud83d\\ude00 \\u0000\\u001f\\u2028 {{name}}"


static void
test_payload_batch_strings_survive(void **state)
{
    fx_t        *fx = *state;
    char         want[256];
    size_t       len;
    json_t      *v, *call, *tags, *sp, *kb, *sent;
    const char  *nasty;

    fx_template(fx, "<{{name}}|{{ other }}>", "kb:{{name}}", NULL);

    fx_bulk(fx,
        "{\"contacts\":[{\"numberToCall\":\"0500000001\","
        "\"firstName\":\"" NASTY "\",\"lastName\":\"\\u0627\\u0644\","
        "\"promptTags\":{\"name\":\"" NASTY "\",\"other\":\"\"},"
        "\"metadata\":{\"k</script>\\\"\\n\\ud83d\\ude00\":\"" NASTY "\"}}]}",
        100);

    /* the contact as the client sent it */
    sent = json_array_get(json_object_get(fx->req.body, "contacts"), 0);
    tags = json_object_get(sent, "promptTags");
    nasty = json_string_value(json_object_get(tags, "name"));
    len = json_string_length(json_object_get(tags, "name"));
    assert_non_null(nasty);
    assert_true(len > 40 && len + 8 < sizeof(want));

    v = fx_batch_json(fx, 0);
    call = json_array_get(json_object_get(v, "calls"), 0);

    /* a JSON text has no raw control characters */
    assert_null(memchr(fx->out.buf, '\n', fx->out.len));
    assert_null(memchr(fx->out.buf, '\0', fx->out.len));

    /*
     * Escaped as Python's json.dumps(ensure_ascii=False) does: quotes,
     * backslashes and control characters only; "/", non-ASCII text,
     * emoji and U+2028 go raw.
     */
    assert_non_null(strstr(fx->out.buf,
        "\"firstName\":\"Sa\\\"ra\\n\\t</script><b>\\\\ "
        "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9 \xf0\x9f\x98\x80 "
        "\\u0000\\u001f\xe2\x80\xa8 {{name}}\","));

    assert_true(json_equal(json_object_get(call, "firstName"),
                           json_object_get(sent, "firstName")));
    assert_true(json_equal(json_object_get(call, "lastName"),
                           json_object_get(sent, "lastName")));
    assert_true(json_equal(json_object_get(call, "promptTags"), tags));
    assert_true(json_equal(json_object_get(call, "requestMetadata"),
                           json_object_get(sent, "metadata")));

    /*
     * Rendered once: the "{{name}}" inside the value stays as it is; the
     * NUL inside the value comes through, so compare bytes.
     */
    sp = json_object_get(call, "systemPrompt");
    kb = json_object_get(call, "knowledgeBase");

    want[0] = '<';
    memcpy(want + 1, nasty, len);
    memcpy(want + 1 + len, "|>", 2);
    assert_int_equal(json_string_length(sp), len + 3);
    assert_memory_equal(json_string_value(sp), want, len + 3);

    memcpy(want, "kb:", 3);
    memcpy(want + 3, nasty, len);
    assert_int_equal(json_string_length(kb), len + 3);
    assert_memory_equal(json_string_value(kb), want, len + 3);
}


static void
test_payload_batch_write_failure(void **state)
{
    fx_t    *fx = *state;
    int      n, total;
    char     prompt[3100];
    json_t  *v, *sp;

    /*
     * small pieces are gathered into few writes; a prompt's literal of
     * 3 000 bytes goes to the writer as it is: several writes each body
     */
    memset(prompt, 'x', 3000);
    strcpy(prompt + 3000, " Hi {{name}}, pay {{ amount }} SAR");

    fx_template(fx, prompt, "KB {{name}}", "{\"voice\":\"nova\"}");
    fx->conf.missing_tag = LEVERS_TAG_MISSING_KEEP;
    fx_bulk(fx, SMALL_BODY, 100);

    out_reset(&fx->out);
    assert_int_equal(levers_payload_batch(&fx->bulk, 0, out_write, &fx->out),
                     0);
    total = fx->out.calls;
    assert_true(total > 4);

    /* and in order: the prompt whole, after what was gathered before it */
    v = json_loadb(fx->out.buf, fx->out.len, 0, NULL);
    assert_non_null(v);
    sp = json_object_get(json_array_get(json_object_get(v, "calls"), 0),
                         "systemPrompt");
    strcpy(prompt + 3000, " Hi Ahmed, pay 120.5 SAR");
    assert_string_equal(json_string_value(sp), prompt);
    json_decref(v);

    /* a writer failing at any point aborts the body with -1 */
    for (n = 1; n <= total; n++) {
        out_reset(&fx->out);
        fx->out.fail_at = n;
        assert_int_equal(levers_payload_batch(&fx->bulk, 0, out_write,
                                              &fx->out), -1);
    }

    fx_accept(fx, 0, 200);
    out_reset(&fx->out);
    assert_int_equal(levers_payload_result(&fx->bulk, out_write, &fx->out),
                     0);
    total = fx->out.calls;

    for (n = 1; n <= total; n++) {
        out_reset(&fx->out);
        fx->out.fail_at = n;
        assert_int_equal(levers_payload_result(&fx->bulk, out_write,
                                               &fx->out), -1);
    }
}


/* the answer to the client */

static void
test_result_201_exact(void **state)
{
    fx_t        *fx = *state;
    size_t       accepted, failed, failed_batches;
    const char  *text;

    fx->conf.skip_invalid = 1;

    fx_bulk(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"0500000002\"},"
        "{\"numberToCall\":\"+966 50 000 0001\"},"
        "{\"numberToCall\":\"x\\\"y\"},"
        "{\"numberToCall\":\"0500000003\"}]}", 2);

    fx_accept(fx, 0, 201);
    fx_accept(fx, 1, 200);

    text = "{\"calls\":[{\"index\":1,\"callId\":\"c-1\"}]}";
    assert_int_equal(levers_payload_read_answer(&fx->bulk, 0, text,
                                                strlen(text), arena_alloc,
                                                &fx->arena), 1);

    out_reset(&fx->out);
    assert_int_equal(levers_payload_result(&fx->bulk, out_write, &fx->out),
                     0);

    assert_string_equal(fx->out.buf,
        "{\"bulkId\":\"" BULK_ID "\",\"total\":5,\"accepted\":3,"
        "\"batches\":2,"
        "\"calls\":["
        "{\"index\":0,\"numberToCall\":\"+966500000001\",\"batch\":0},"
        "{\"index\":1,\"numberToCall\":\"+966500000002\",\"batch\":0,"
        "\"callId\":\"c-1\"},"
        "{\"index\":4,\"numberToCall\":\"+966500000003\",\"batch\":1}],"
        "\"skipped\":["
        "{\"index\":2,\"numberToCall\":\"+966500000001\","
        "\"reason\":\"duplicate\"},"
        "{\"index\":3,\"numberToCall\":\"x\\\"y\","
        "\"reason\":\"invalid_number\",\"detail\":\"not a phone number\"}]}");

    levers_payload_counts(&fx->bulk, &accepted, &failed, &failed_batches);
    assert_int_equal(accepted, 3);
    assert_int_equal(failed, 0);
    assert_int_equal(failed_batches, 0);
}


static void
test_result_no_contacts(void **state)
{
    fx_t  *fx = *state;

    fx_bulk(fx, "{\"contacts\":[]}", 100);

    out_reset(&fx->out);
    assert_int_equal(levers_payload_result(&fx->bulk, out_write, &fx->out),
                     0);
    assert_string_equal(fx->out.buf,
        "{\"bulkId\":\"" BULK_ID "\",\"total\":0,\"accepted\":0,"
        "\"batches\":0,\"calls\":[],\"skipped\":[]}");
}


/* counts every contact index found in calls, skipped and failed */

static void
assert_each_index_once(json_t *res, size_t ncontacts)
{
    size_t   k, j, i;
    json_t  *e, *f;
    int     *seen;

    seen = calloc(ncontacts ? ncontacts : 1, sizeof(int));
    assert_non_null(seen);

    json_array_foreach(json_object_get(res, "calls"), k, e) {
        i = json_integer_value(json_object_get(e, "index"));
        assert_true(i < ncontacts);
        seen[i]++;
    }

    json_array_foreach(json_object_get(res, "skipped"), k, e) {
        i = json_integer_value(json_object_get(e, "index"));
        assert_true(i < ncontacts);
        seen[i]++;
    }

    json_array_foreach(json_object_get(res, "failed"), k, f) {
        json_array_foreach(json_object_get(f, "indexes"), j, e) {
            i = json_integer_value(e);
            assert_true(i < ncontacts);
            seen[i]++;
        }
    }

    for (i = 0; i < ncontacts; i++) {
        if (seen[i] != 1) {
            k = seen[i];
            free(seen);
            fail_msg("contact %zu listed %zu times", i, k);
        }
    }

    free(seen);
}


static void
test_result_502_mixed(void **state)
{
    fx_t    *fx = *state;
    json_t  *res;
    size_t   accepted, failed, failed_batches;

    /*
     * 14 contacts: 3 duplicates (2, 6, 13), 2 invalid skipped (4, 9);
     * 9 calls in batches of 2: [0,1] [3,5] [7,8] [10,11] [12];
     * batches 1 and 3 fail.
     */
    fx->conf.skip_invalid = 1;

    fx_bulk(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"0500000000\"},"
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"0500000000\"},"
        "{\"numberToCall\":\"0500000003\"},"
        "{\"numberToCall\":\"12\"},"
        "{\"numberToCall\":\"0500000005\"},"
        "{\"numberToCall\":\"+966500000001\"},"
        "{\"numberToCall\":\"0500000007\"},"
        "{\"numberToCall\":\"0500000008\"},"
        "{\"numberToCall\":\"nope\"},"
        "{\"numberToCall\":\"0500000010\"},"
        "{\"numberToCall\":\"0500000011\"},"
        "{\"numberToCall\":\"0500000012\"},"
        "{\"numberToCall\":\"0500000012\"}]}", 2);

    assert_int_equal(fx->bulk.nbatches, 5);

    fx_accept(fx, 0, 200);
    fx_accept(fx, 1, 503);
    fx_accept(fx, 2, 202);
    fx_accept(fx, 3, 504);
    fx_accept(fx, 4, 200);

    res = fx_result_json(fx);

    assert_json_equal(res,
        "{\"bulkId\":\"" BULK_ID "\",\"total\":14,\"accepted\":5,"
        "\"batches\":5,"
        "\"calls\":["
        "{\"index\":0,\"numberToCall\":\"+966500000000\",\"batch\":0},"
        "{\"index\":1,\"numberToCall\":\"+966500000001\",\"batch\":0},"
        "{\"index\":7,\"numberToCall\":\"+966500000007\",\"batch\":2},"
        "{\"index\":8,\"numberToCall\":\"+966500000008\",\"batch\":2},"
        "{\"index\":12,\"numberToCall\":\"+966500000012\",\"batch\":4}],"
        "\"skipped\":["
        "{\"index\":2,\"numberToCall\":\"+966500000000\","
        "\"reason\":\"duplicate\"},"
        "{\"index\":4,\"numberToCall\":\"12\",\"reason\":\"invalid_number\","
        "\"detail\":\"too short\"},"
        "{\"index\":6,\"numberToCall\":\"+966500000001\","
        "\"reason\":\"duplicate\"},"
        "{\"index\":9,\"numberToCall\":\"nope\","
        "\"reason\":\"invalid_number\",\"detail\":\"not a phone number\"},"
        "{\"index\":13,\"numberToCall\":\"+966500000012\","
        "\"reason\":\"duplicate\"}],"
        "\"failed\":["
        "{\"batch\":1,\"status\":503,\"indexes\":[3,5]},"
        "{\"batch\":3,\"status\":504,\"indexes\":[10,11]}],"
        "\"detail\":\"2 of 5 batches (4 contacts) were not accepted by the "
        "gateway\"}");

    /* "failed" and "detail" come after the 201 fields */
    assert_non_null(strstr(fx->out.buf, "}],\"failed\":[{\"batch\":1,"));
    assert_int_equal(fx->out.buf[fx->out.len - 1], '}');

    assert_each_index_once(res, 14);

    levers_payload_counts(&fx->bulk, &accepted, &failed, &failed_batches);
    assert_int_equal(accepted, 5);
    assert_int_equal(failed, 4);
    assert_int_equal(failed_batches, 2);
}


static void
test_result_502_never_sent(void **state)
{
    fx_t    *fx = *state;
    json_t  *res;
    char    *text;

    /* a batch never sent (status 0) fails too; all failed: no calls */
    text = contacts_body(3);
    fx_bulk(fx, text, 10);
    free(text);

    res = fx_result_json(fx);

    assert_json_equal(res,
        "{\"bulkId\":\"" BULK_ID "\",\"total\":3,\"accepted\":0,"
        "\"batches\":1,\"calls\":[],\"skipped\":[],"
        "\"failed\":[{\"batch\":0,\"status\":0,\"indexes\":[0,1,2]}],"
        "\"detail\":\"1 of 1 batches (3 contacts) were not accepted by the "
        "gateway\"}");
}


/* a small deterministic PRNG, so a failure can be replayed */

static uint32_t
xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;

    return *s;
}


static void
test_result_property_random(void **state)
{
    fx_t      *fx = *state;
    char      *text, *p;
    size_t     round, n, i, b, size, accepted, failed, fb, k;
    json_t    *res;
    uint32_t   seed;

    seed = 2463534242u;

    for (round = 0; round < 150; round++) {
        n = xorshift(&seed) % 40;
        size = 1 + xorshift(&seed) % 7;

        text = malloc(64 + n * 48);
        assert_non_null(text);
        p = text + sprintf(text, "{\"contacts\":[");

        /* numbers from a small range: many duplicates; some invalid */
        for (i = 0; i < n; i++) {
            if (xorshift(&seed) % 6 == 0) {
                p += sprintf(p, "%s{\"numberToCall\":\"bad%zu\"}",
                             i ? "," : "", i);
            } else {
                p += sprintf(p, "%s{\"numberToCall\":\"05000000%02u\"}",
                             i ? "," : "", xorshift(&seed) % 25);
            }
        }

        strcpy(p, "]}");

        levers_errors_free(&fx->errs);
        assert_int_equal(levers_errors_init(&fx->errs, 0), 0);
        json_decref(fx->body);
        fx->body = NULL;
        fx->conf.skip_invalid = 1;
        fx->conf.dedupe = round % 5 != 0;

        fx_bulk(fx, text, size);
        free(text);

        for (b = 0; b < fx->bulk.nbatches; b++) {
            fx_accept(fx, b, xorshift(&seed) % 3 ? 200 : 502);
        }

        res = fx_result_json(fx);
        assert_each_index_once(res, n);

        levers_payload_counts(&fx->bulk, &accepted, &failed, &fb);
        assert_int_equal(accepted + failed, fx->plan.ncalls);
        assert_int_equal(accepted + failed + fx->plan.nskipped, n);
        assert_int_equal(json_integer_value(json_object_get(res, "accepted")),
                         accepted);
        assert_int_equal(json_array_size(json_object_get(res, "calls")),
                         accepted);
        assert_int_equal(json_array_size(json_object_get(res, "skipped")),
                         fx->plan.nskipped);
        assert_int_equal(json_object_get(res, "failed") != NULL, fb != 0);
        assert_int_equal(json_object_get(res, "detail") != NULL, fb != 0);
        assert_int_equal(json_array_size(json_object_get(res, "failed")), fb);

        /* calls come in request order */
        for (k = 1; k < accepted; k++) {
            assert_true(
                json_integer_value(json_object_get(json_array_get(
                    json_object_get(res, "calls"), k - 1), "index"))
                < json_integer_value(json_object_get(json_array_get(
                    json_object_get(res, "calls"), k), "index")));
        }
    }
}


/* reading the gateway's answer */

/*
 * 6 contacts, 2 a duplicate of 0; batches of 2: [0,1] [3,4] [5].
 */
#define ANSWER_BODY                                                          \
    "{\"contacts\":["                                                        \
    "{\"numberToCall\":\"0500000000\"},{\"numberToCall\":\"0500000001\"},"   \
    "{\"numberToCall\":\"0500000000\"},{\"numberToCall\":\"0500000003\"},"   \
    "{\"numberToCall\":\"0500000004\"},{\"numberToCall\":\"0500000005\"}]}"


static void
assert_call_id(fx_t *fx, size_t i, const char *id, size_t len)
{
    const levers_outcome_t  *o = &fx->plan.out[i];

    if (id == NULL) {
        assert_null(o->call_id);
        return;
    }

    assert_non_null(o->call_id);
    assert_int_equal(o->call_id_len, len);
    assert_memory_equal(o->call_id, id, len);
}


static int
read_answer(fx_t *fx, size_t b, const char *answer)
{
    int     rc;
    char   *copy;
    size_t  len;

    /* an exact-size copy: the reader must not look past len */
    len = strlen(answer);
    copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, answer, len);

    rc = levers_payload_read_answer(&fx->bulk, b, copy, len, arena_alloc,
                                    &fx->arena);
    free(copy);

    return rc;
}


static void
test_read_answer_only_this_batch(void **state)
{
    fx_t  *fx = *state;

    fx_bulk(fx, ANSWER_BODY, 2);
    fx_accept(fx, 1, 200);

    assert_int_equal(read_answer(fx, 1,
        "{\"calls\":["
        "{\"index\":3,\"callId\":\"c3\"},"
        "{\"index\":0,\"callId\":\"other-batch\"},"
        "{\"index\":5,\"callId\":\"other-batch\"},"
        "{\"index\":2,\"callId\":\"skipped\"},"
        "{\"index\":-1,\"callId\":\"negative\"},"
        "{\"index\":6,\"callId\":\"out-of-range\"},"
        "{\"index\":9223372036854775807,\"callId\":\"huge\"},"
        "{\"index\":4,\"callId\":4},"
        "{\"index\":4,\"callId\":null},"
        "{\"index\":\"4\",\"callId\":\"string-index\"},"
        "{\"index\":4.0,\"callId\":\"real-index\"},"
        "{\"callId\":\"no-index\"},"
        "[4,\"array\"],\"junk\",null,"
        "{\"index\":4,\"callId\":\"c4 \\u0645\\u0631\\u062d\\u0628\\u0627\","
        "\"extra\":true},"
        "{\"index\":3,\"callId\":\"second-for-3\"}],"
        "\"other\":1}"), 2);

    assert_call_id(fx, 0, NULL, 0);
    assert_call_id(fx, 1, NULL, 0);
    assert_call_id(fx, 2, NULL, 0);
    assert_call_id(fx, 3, "c3", 2);
    assert_call_id(fx, 4, "c4 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", 13);
    assert_call_id(fx, 5, NULL, 0);
}


static void
test_read_answer_batch0_skipped_contact(void **state)
{
    fx_t  *fx = *state;

    /* contact 2 is skipped; its batch field must not make it look called */
    fx_bulk(fx, ANSWER_BODY, 2);

    assert_int_equal(read_answer(fx, 0,
        "{\"calls\":[{\"index\":2,\"callId\":\"x\"},"
        "{\"index\":1,\"callId\":\"a\\\"b\\u00e9\"}]}"), 1);

    assert_call_id(fx, 1, "a\"b\xc3\xa9", 5);
    assert_call_id(fx, 2, NULL, 0);

    /* the id comes out escaped in the result */
    fx_accept(fx, 0, 200);
    fx_accept(fx, 1, 200);
    fx_accept(fx, 2, 200);

    out_reset(&fx->out);
    assert_int_equal(levers_payload_result(&fx->bulk, out_write, &fx->out),
                     0);
    assert_non_null(strstr(fx->out.buf,
                           "{\"index\":1,\"numberToCall\":\"+966500000001\","
                           "\"batch\":0,\"callId\":\"a\\\"b\xc3\xa9\"}"));
    assert_non_null(strstr(fx->out.buf,
                           "{\"index\":0,\"numberToCall\":\"+966500000000\","
                           "\"batch\":0},"));
}


static void
test_read_answer_garbage(void **state)
{
    size_t       i, k;
    fx_t        *fx = *state;
    const char  *bad[] = {
        "not json", "{\"calls\":[{\"index\":3,\"callId\":\"c3\"}",
        "[]", "{}", "null", "\"calls\"", "{\"calls\":{}}",
        "{\"calls\":null}", "{\"calls\":\"[]\"}", "{\"Calls\":[]}",
        "{\"calls\":[]} trailing", ""
    };

    fx_bulk(fx, ANSWER_BODY, 2);

    for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        if (read_answer(fx, 1, bad[k]) != -1) {
            fail_msg("answer '%s' was taken", bad[k]);
        }
    }

    assert_int_equal(levers_payload_read_answer(&fx->bulk, 1, NULL, 0,
                                                arena_alloc, &fx->arena), -1);

    /* well-formed answers with nothing usable take nothing */
    assert_int_equal(read_answer(fx, 1, "{\"calls\":[]}"), 0);
    assert_int_equal(read_answer(fx, 1, "{\"calls\":[1,\"a\",{}]}"), 0);

    for (i = 0; i < 6; i++) {
        assert_call_id(fx, i, NULL, 0);
    }
}


static void
test_read_answer_alloc_failure(void **state)
{
    fx_t  *fx = *state;

    fx_bulk(fx, ANSWER_BODY, 2);

    fx->arena.fail_at = fx->arena.calls + 1;
    assert_int_equal(read_answer(fx, 1,
                         "{\"calls\":[{\"index\":3,\"callId\":\"c\"}]}"), -1);
    fx->arena.fail_at = 0;

    assert_call_id(fx, 3, NULL, 0);
}


#define T(f)  cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        T(test_batches_count),
        T(test_split_1000_by_100),
        T(test_split_250_by_100),
        T(test_split_skips_in_between),
        T(test_split_no_calls),
        T(test_payload_batch_exact),
        T(test_payload_batch_no_template),
        T(test_payload_batch_template_without_kb),
        T(test_payload_batch_second_of_three),
        T(test_payload_batch_numbers_as_sent),
        T(test_payload_batch_strings_survive),
        T(test_payload_batch_write_failure),
        T(test_result_201_exact),
        T(test_result_no_contacts),
        T(test_result_502_mixed),
        T(test_result_502_never_sent),
        T(test_result_property_random),
        T(test_read_answer_only_this_batch),
        T(test_read_answer_batch0_skipped_contact),
        T(test_read_answer_garbage),
        T(test_read_answer_alloc_failure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 */


#include <stdio.h>
#include <string.h>
#include "levers_payload.h"


/*
 * A batch body is some twenty small pieces a contact (names, numbers,
 * punctuation): they are gathered here, so the caller's writer (nginx's
 * buffers) is called once per LEVERS_PAYLOAD_BUF bytes; pieces of half
 * that or more go to it as they are
 */
#define LEVERS_PAYLOAD_BUF  4096


typedef struct {
    levers_json_write_pt   write;
    void                  *data;
    size_t                 len;
    char                   buf[LEVERS_PAYLOAD_BUF];
} levers_payload_out_t;


#define levers_lit(s)  write(data, s, sizeof(s) - 1)

#define levers_try(expr)                                                     \
    if ((expr) != 0) {                                                       \
        return -1;                                                           \
    }


static int levers_payload_gathered(levers_json_write_pt write, void *data,
    int (*body)(const levers_bulk_t *bulk, size_t b,
                levers_json_write_pt write, void *data),
    const levers_bulk_t *bulk, size_t b);
static int levers_payload_gather(void *data, const char *p, size_t len);
static int levers_payload_batch_body(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data);
static int levers_payload_result_body(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data);
static int levers_write_uint(size_t n, levers_json_write_pt write,
    void *data);
static int levers_write_nullable(const levers_text_t *t,
    levers_json_write_pt write, void *data);
static int levers_write_call(const levers_bulk_t *bulk, size_t i,
    levers_json_write_pt write, void *data);
static int levers_write_prompt(const levers_bulk_t *bulk, const char *name,
    size_t name_len, const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_json_write_pt write, void *data);
static int levers_write_calls(const levers_bulk_t *bulk,
    levers_json_write_pt write, void *data);
static int levers_write_skipped(const levers_bulk_t *bulk,
    levers_json_write_pt write, void *data);
static int levers_write_failed(const levers_bulk_t *bulk,
    levers_json_write_pt write, void *data);


size_t
levers_batches_count(size_t ncalls, size_t size)
{
    return (ncalls + size - 1) / size;
}


void
levers_bulk_split(levers_bulk_t *bulk, size_t size)
{
    size_t           b, k, n, ncalls;
    levers_batch_t  *batch;

    ncalls = bulk->plan->ncalls;
    n = levers_batches_count(ncalls, size);

    for (b = 0; b < n; b++) {
        batch = &bulk->batches[b];
        batch->first = b * size;
        batch->count = (b + 1 < n) ? size : ncalls - b * size;
        batch->status = 0;
        batch->accepted = 0;

        for (k = 0; k < batch->count; k++) {
            bulk->plan->out[bulk->plan->calls[batch->first + k]].batch =
                                                               (uint32_t) b;
        }
    }

    bulk->nbatches = n;
}


int
levers_payload_batch(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data)
{
    return levers_payload_gathered(write, data, levers_payload_batch_body,
                                   bulk, b);
}


static int
levers_payload_batch_body(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data)
{
    size_t                   k;
    const levers_batch_t    *batch;
    const levers_request_t  *req;

    req = bulk->req;
    batch = &bulk->batches[b];

    levers_try(levers_lit("{\"bulkId\":\""));
    levers_try(write(data, bulk->bulk_id, strlen(bulk->bulk_id)));
    levers_try(levers_lit("\",\"batch\":{\"index\":"));
    levers_try(levers_write_uint(b, write, data));
    levers_try(levers_lit(",\"count\":"));
    levers_try(levers_write_uint(bulk->nbatches, write, data));
    levers_try(levers_lit("},\"aiSettingsTemplateId\":"));

    if (req->has_template_id) {
        levers_try(levers_json_dump_string(req->template_id, 36, write,
                                           data));
    } else {
        levers_try(levers_lit("null"));
    }

    if (req->update_existing) {
        levers_try(levers_lit(",\"updateExisting\":true,\"settings\":"));
    } else {
        levers_try(levers_lit(",\"updateExisting\":false,\"settings\":"));
    }

    if (bulk->tpl && bulk->tpl->settings) {
        levers_try(levers_json_dump(bulk->tpl->settings, write, data));
    } else {
        levers_try(levers_lit("{}"));
    }

    levers_try(levers_lit(",\"calls\":["));

    for (k = 0; k < batch->count; k++) {
        if (k) {
            levers_try(levers_lit(","));
        }

        levers_try(levers_write_call(bulk,
                                     bulk->plan->calls[batch->first + k],
                                     write, data));
    }

    return levers_lit("]}");
}


static int
levers_write_call(const levers_bulk_t *bulk, size_t i,
    levers_json_write_pt write, void *data)
{
    const levers_contact_t  *c;
    const levers_outcome_t  *o;

    c = &bulk->req->contacts[i];
    o = &bulk->plan->out[i];

    levers_try(levers_lit("{\"index\":"));
    levers_try(levers_write_uint(i, write, data));
    levers_try(levers_lit(",\"numberToCall\":"));
    levers_try(levers_json_dump_string(o->number, o->number_len, write, data));
    levers_try(levers_lit(",\"firstName\":"));
    levers_try(levers_write_nullable(&c->first_name, write, data));
    levers_try(levers_lit(",\"lastName\":"));
    levers_try(levers_write_nullable(&c->last_name, write, data));

    if (bulk->tpl) {
        levers_try(levers_write_prompt(bulk, ",\"systemPrompt\":\"",
                                       sizeof(",\"systemPrompt\":\"") - 1,
                                       bulk->tpl->system_prompt,
                                       c->prompt_tags, write, data));

        if (bulk->tpl->knowledge_base) {
            levers_try(levers_write_prompt(bulk, ",\"knowledgeBase\":\"",
                                         sizeof(",\"knowledgeBase\":\"") - 1,
                                         bulk->tpl->knowledge_base,
                                         c->prompt_tags, write, data));
        }
    }

    levers_try(levers_lit(",\"promptTags\":"));
    levers_try(levers_write_nullable(c->prompt_tags ? &c->prompt_tags->json
                                                    : NULL,
                                     write, data));
    levers_try(levers_lit(",\"requestMetadata\":"));
    levers_try(levers_write_nullable(&c->metadata, write, data));

    return levers_lit("}");
}


static int
levers_write_prompt(const levers_bulk_t *bulk, const char *name,
    size_t name_len, const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_json_write_pt write, void *data)
{
    levers_try(write(data, name, name_len));
    levers_try(levers_tpl_render(tpl, tags, bulk->missing_tag, 1, write,
                                 data));
    return levers_lit("\"");
}


int
levers_payload_read_answer(levers_bulk_t *bulk, size_t b, const char *body,
    size_t len, levers_alloc_pt alloc, void *alloc_ctx)
{
    int                    taken;
    char                  *id;
    size_t                 k, n, id_len;
    json_t                *root, *calls, *call, *index, *cid;
    json_int_t             i;
    levers_batch_t        *batch;
    levers_outcome_t      *o;

    batch = &bulk->batches[b];

    root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    calls = json_object_get(root, "calls");

    if (!json_is_array(calls)) {
        json_decref(root);
        return -1;
    }

    taken = 0;
    n = json_array_size(calls);

    for (k = 0; k < n; k++) {
        call = json_array_get(calls, k);
        index = json_object_get(call, "index");
        cid = json_object_get(call, "callId");

        if (!json_is_integer(index) || !json_is_string(cid)) {
            continue;
        }

        i = json_integer_value(index);

        /* only the contacts of this batch: nothing is invented */
        if (i < 0 || (size_t) i >= bulk->req->ncontacts) {
            continue;
        }

        o = &bulk->plan->out[i];

        if (o->skip != LEVERS_CALL || o->batch != b || o->call_id) {
            continue;
        }

        id_len = json_string_length(cid);
        id = alloc(alloc_ctx, id_len ? id_len : 1);
        if (id == NULL) {
            json_decref(root);
            return -1;
        }

        memcpy(id, json_string_value(cid), id_len);
        o->call_id = id;
        o->call_id_len = id_len;
        taken++;
    }

    json_decref(root);

    (void) batch;

    return taken;
}


void
levers_payload_counts(const levers_bulk_t *bulk, size_t *accepted,
    size_t *failed, size_t *failed_batches)
{
    size_t  b;

    *accepted = 0;
    *failed = 0;
    *failed_batches = 0;

    for (b = 0; b < bulk->nbatches; b++) {
        if (bulk->batches[b].accepted) {
            *accepted += bulk->batches[b].count;

        } else {
            *failed += bulk->batches[b].count;
            (*failed_batches)++;
        }
    }
}


int
levers_payload_result(const levers_bulk_t *bulk, levers_json_write_pt write,
    void *data)
{
    return levers_payload_gathered(write, data, levers_payload_result_body,
                                   bulk, 0);
}


static int
levers_payload_result_body(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data)
{
    size_t  accepted, failed, failed_batches;
    char    detail[128];

    (void) b;

    levers_payload_counts(bulk, &accepted, &failed, &failed_batches);

    levers_try(levers_lit("{\"bulkId\":\""));
    levers_try(write(data, bulk->bulk_id, strlen(bulk->bulk_id)));
    levers_try(levers_lit("\",\"total\":"));
    levers_try(levers_write_uint(bulk->req->ncontacts, write, data));
    levers_try(levers_lit(",\"accepted\":"));
    levers_try(levers_write_uint(accepted, write, data));
    levers_try(levers_lit(",\"batches\":"));
    levers_try(levers_write_uint(bulk->nbatches, write, data));
    levers_try(levers_lit(",\"calls\":["));
    levers_try(levers_write_calls(bulk, write, data));
    levers_try(levers_lit("],\"skipped\":["));
    levers_try(levers_write_skipped(bulk, write, data));

    if (failed_batches == 0) {
        return levers_lit("]}");
    }

    levers_try(levers_lit("],\"failed\":["));
    levers_try(levers_write_failed(bulk, write, data));
    levers_try(levers_lit("],\"detail\":"));

    snprintf(detail, sizeof(detail),
             "%zu of %zu batches (%zu contacts) were not accepted "
             "by the gateway", failed_batches, bulk->nbatches, failed);

    levers_try(levers_json_dump_string(detail, strlen(detail), write, data));

    return levers_lit("}");
}


static int
levers_write_calls(const levers_bulk_t *bulk, levers_json_write_pt write,
    void *data)
{
    int                      first;
    size_t                   k, i;
    const levers_outcome_t  *o;

    first = 1;

    for (k = 0; k < bulk->plan->ncalls; k++) {
        i = bulk->plan->calls[k];
        o = &bulk->plan->out[i];

        if (!bulk->batches[o->batch].accepted) {
            continue;
        }

        if (!first) {
            levers_try(levers_lit(","));
        }

        levers_try(levers_lit("{\"index\":"));
        levers_try(levers_write_uint(i, write, data));
        levers_try(levers_lit(",\"numberToCall\":"));
        levers_try(levers_json_dump_string(o->number, o->number_len, write,
                                           data));
        levers_try(levers_lit(",\"batch\":"));
        levers_try(levers_write_uint(o->batch, write, data));

        if (o->call_id) {
            levers_try(levers_lit(",\"callId\":"));
            levers_try(levers_json_dump_string(o->call_id, o->call_id_len,
                                               write, data));
        }

        levers_try(levers_lit("}"));
        first = 0;
    }

    return 0;
}


static int
levers_write_skipped(const levers_bulk_t *bulk, levers_json_write_pt write,
    void *data)
{
    int                      first;
    size_t                   i;
    const char              *reason;
    const levers_outcome_t  *o;
    const levers_contact_t  *c;

    first = 1;

    for (i = 0; i < bulk->req->ncontacts; i++) {
        o = &bulk->plan->out[i];

        if (o->skip == LEVERS_CALL) {
            continue;
        }

        c = &bulk->req->contacts[i];
        reason = levers_skip_reason(o->skip);

        if (!first) {
            levers_try(levers_lit(","));
        }

        levers_try(levers_lit("{\"index\":"));
        levers_try(levers_write_uint(i, write, data));
        levers_try(levers_lit(",\"numberToCall\":"));

        if (o->skip == LEVERS_SKIP_INVALID_NUMBER) {
            levers_try(levers_json_dump_string(c->number, c->number_len,
                                               write, data));
        } else {
            levers_try(levers_json_dump_string(o->number, o->number_len, write,
                                               data));
        }

        levers_try(levers_lit(",\"reason\":"));
        levers_try(levers_json_dump_string(reason, strlen(reason), write,
                                           data));

        if (o->skip == LEVERS_SKIP_INVALID_NUMBER) {
            reason = levers_phone_reason(o->phone_rc);
            levers_try(levers_lit(",\"detail\":"));
            levers_try(levers_json_dump_string(reason, strlen(reason), write,
                                               data));
        }

        levers_try(levers_lit("}"));
        first = 0;
    }

    return 0;
}


static int
levers_write_failed(const levers_bulk_t *bulk, levers_json_write_pt write,
    void *data)
{
    int                    first;
    size_t                 b, k;
    const levers_batch_t  *batch;

    first = 1;

    for (b = 0; b < bulk->nbatches; b++) {
        batch = &bulk->batches[b];

        if (batch->accepted) {
            continue;
        }

        if (!first) {
            levers_try(levers_lit(","));
        }

        levers_try(levers_lit("{\"batch\":"));
        levers_try(levers_write_uint(b, write, data));
        levers_try(levers_lit(",\"status\":"));
        levers_try(levers_write_uint(batch->status, write, data));
        levers_try(levers_lit(",\"indexes\":["));

        for (k = 0; k < batch->count; k++) {
            if (k) {
                levers_try(levers_lit(","));
            }

            levers_try(levers_write_uint(bulk->plan->calls[batch->first + k],
                                         write, data));
        }

        levers_try(levers_lit("]}"));
        first = 0;
    }

    return 0;
}


static int
levers_write_uint(size_t n, levers_json_write_pt write, void *data)
{
    char   buf[24], *p;

    p = buf + sizeof(buf);

    do {
        *--p = (char) ('0' + n % 10);
        n /= 10;
    } while (n);

    return write(data, p, buf + sizeof(buf) - p);
}


static int
levers_write_nullable(const levers_text_t *t, levers_json_write_pt write,
    void *data)
{
    if (t == NULL || t->data == NULL) {
        return write(data, "null", 4);
    }

    return write(data, t->data, t->len);
}


/* body() of batch b written through a levers_payload_out_t */

static int
levers_payload_gathered(levers_json_write_pt write, void *data,
    int (*body)(const levers_bulk_t *bulk, size_t b,
                levers_json_write_pt write, void *data),
    const levers_bulk_t *bulk, size_t b)
{
    levers_payload_out_t  out;

    out.write = write;
    out.data = data;
    out.len = 0;

    if (body(bulk, b, levers_payload_gather, &out) != 0) {
        return -1;
    }

    return out.len ? write(data, out.buf, out.len) : 0;
}


static int
levers_payload_gather(void *data, const char *p, size_t len)
{
    levers_payload_out_t  *out = data;

    /* what is gathered goes first */

    if (len > sizeof(out->buf) - out->len || len >= sizeof(out->buf) / 2) {
        if (out->len && out->write(out->data, out->buf, out->len) != 0) {
            return -1;
        }

        out->len = 0;

        if (len >= sizeof(out->buf) / 2) {
            return out->write(out->data, p, len);
        }
    }

    memcpy(out->buf + out->len, p, len);
    out->len += len;

    return 0;
}

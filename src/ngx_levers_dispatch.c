/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Fan-out: each batch is a background POST subrequest, with its own JSON
 * body, to the location named by levers_bulk_gateway, which normally
 * proxy_passes to an upstream of telephony gateways, so nginx's own
 * balancing, keepalive, timeouts and proxy_next_upstream apply.
 *
 * At most levers_bulk_concurrency batches are in flight.  A filter pair
 * captures each batch's status and answer instead of sending them to the
 * client; when a batch ends, its post-subrequest handler records the
 * outcome and wakes the main request, which sends more batches or, once
 * all have ended, the aggregated answer.
 *
 * A client that goes away does not stop batches already sent (their
 * calls may be ringing); batches not yet sent are not sent, and the
 * outcome of every contact is logged.
 */


#include <openssl/rand.h>

#include "ngx_levers_bulk.h"


static ngx_int_t ngx_levers_dispatch_more(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
static ngx_int_t ngx_levers_dispatch_batch(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch);
static ngx_int_t ngx_levers_dispatch_headers(ngx_http_request_t *sr,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch, off_t len);
static ngx_int_t ngx_levers_dispatch_add_header(ngx_http_request_t *sr,
    char *key, size_t key_len, u_char *value, size_t len,
    ngx_table_elt_t **elt);
static ngx_int_t ngx_levers_dispatch_done(ngx_http_request_t *sr,
    void *data, ngx_int_t rc);
static void ngx_levers_dispatch_finish_batch(ngx_http_levers_bulk_ctx_t *ctx,
    ngx_levers_batch_t *batch, ngx_uint_t status);
static void ngx_levers_dispatch_wake(ngx_http_request_t *r);
static void ngx_levers_dispatch_abandon(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
static void ngx_levers_dispatch_cleanup(void *data);
static void ngx_levers_dispatch_test_reading(ngx_http_request_t *r);
static void ngx_levers_dispatch_log(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
static u_char *ngx_levers_dispatch_ranges(u_char *p, u_char *last,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch);
static ngx_levers_batch_t *ngx_levers_batch_of(ngx_http_request_t *r);
static ngx_int_t ngx_levers_capture_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_levers_capture_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static ngx_int_t ngx_levers_capture_append(ngx_http_request_t *r,
    ngx_levers_batch_t *batch, u_char *p, size_t len);
static void ngx_levers_bulk_id(u_char *id);
static size_t ngx_levers_chain_capacity(ngx_chain_t *cl);


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;

static ngx_str_t  ngx_levers_post = ngx_string("POST");


ngx_int_t
ngx_levers_dispatch_init_filters(ngx_conf_t *cf)
{
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_levers_capture_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_levers_capture_body_filter;

    return NGX_OK;
}


ngx_int_t
ngx_levers_dispatch_start(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx)
{
    size_t                            n, b, size;
    ngx_pool_cleanup_t               *cln;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    ngx_levers_bulk_id(ctx->bulk_id);
    ctx->bulk.bulk_id = (const char *) ctx->bulk_id;

    /* the request's batchSize (validated: 10..1000), else the location's */
    size = ctx->req.has_batch_size ? (size_t) ctx->req.batch_size
                                   : blcf->batch_size;

    n = levers_batches_count(ctx->plan.ncalls, size);

    ctx->bulk.batches = ngx_pcalloc(r->pool, (n + 1) * sizeof(levers_batch_t));
    ctx->batches = ngx_pcalloc(r->pool, (n + 1) * sizeof(ngx_levers_batch_t));

    if (ctx->bulk.batches == NULL || ctx->batches == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    levers_bulk_split(&ctx->bulk, size);

    for (b = 0; b < n; b++) {
        ctx->batches[b].index = b;
        ctx->batches[b].main = r;
    }

    ctx->planned = 1;

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "levers_bulk %s: %uz contacts, %uz to call in %uz batches",
                   ctx->bulk_id, ctx->req.ncontacts, ctx->plan.ncalls, n);

    if (n == 0) {
        ngx_levers_dispatch_log(r, ctx);
        return ngx_levers_send_result(r, ctx);
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_levers_dispatch_cleanup;
    cln->data = r;

    ctx->dispatching = 1;
    r->write_event_handler = ngx_levers_dispatch_wake;
    r->read_event_handler = ngx_levers_dispatch_test_reading;

    /*
     * a client that closed while its body was parsed and planned: the
     * read event that told so may be long gone (edge-triggered events)
     */
    ngx_levers_dispatch_test_reading(r);

    if (ctx->client_gone) {
        return NGX_DONE;
    }

    if (ngx_levers_dispatch_more(r, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_DONE;
}


/* sends batches until levers_bulk_concurrency are in flight */

static ngx_int_t
ngx_levers_dispatch_more(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx)
{
    ngx_levers_batch_t               *batch;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    while (ctx->next < ctx->bulk.nbatches
           && ctx->in_flight < blcf->concurrency
           && !ctx->client_gone)
    {
        batch = &ctx->batches[ctx->next++];

        if (ngx_levers_dispatch_batch(r, ctx, batch) != NGX_OK) {
            /* never sent: it fails, the others go on */
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "levers_bulk %s: batch %ui could not be sent",
                          ctx->bulk_id, batch->index);

            batch->done = 1;
            ngx_levers_dispatch_finish_batch(ctx, batch,
                                             NGX_HTTP_INTERNAL_SERVER_ERROR);
            continue;
        }
    }

    return NGX_OK;
}


static ngx_int_t
ngx_levers_dispatch_batch(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch)
{
    size_t                            count;
    ngx_http_request_t               *sr;
    ngx_levers_writer_t               w;
    ngx_http_request_body_t          *rb;
    ngx_http_post_subrequest_t       *ps;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    /*
     * one large buffer, sized from what the batches before it took (the
     * rendered prompts dominate); it is freed when the batch ends
     */
    count = ctx->bulk.batches[batch->index].count;
    ngx_levers_writer_init(&w, r->pool,
                           ngx_max(16384, count * (ctx->contact_bytes
                                                   ? ctx->contact_bytes
                                                   : 640) + 1024));

    if (levers_payload_batch(&ctx->bulk, batch->index, ngx_levers_write, &w)
        != 0)
    {
        return NGX_ERROR;
    }

    w.buf->last_in_chain = 1;
    w.buf->flush = 1;
    batch->body = w.out;

    ctx->inflight_bytes += ngx_levers_chain_capacity(w.out);
    ctx->inflight_peak = ngx_max(ctx->inflight_peak, ctx->inflight_bytes);

    /* the largest bytes per contact seen so far, with a margin */
    ctx->contact_bytes = ngx_max(ctx->contact_bytes,
                                 (size_t) w.total / count + 64);

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    rb = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));

    if (ps == NULL || rb == NULL) {
        return NGX_ERROR;
    }

    ps->handler = ngx_levers_dispatch_done;
    ps->data = batch;

    if (ngx_http_subrequest(r, &blcf->gateway, NULL, &sr, ps,
                            NGX_HTTP_SUBREQUEST_BACKGROUND)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    sr->method = NGX_HTTP_POST;
    sr->method_name = ngx_levers_post;
    sr->header_only = 0;
    sr->filter_need_in_memory = 1;

    rb->bufs = w.out;
    rb->rest = 0;
    sr->request_body = rb;

    if (ngx_levers_dispatch_headers(sr, ctx, batch, w.total) != NGX_OK) {
        return NGX_ERROR;
    }

    batch->sr = sr;
    ctx->in_flight++;

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "levers_bulk %s: batch %ui sent, %O bytes",
                   ctx->bulk_id, batch->index, w.total);

    return NGX_OK;
}


/*
 * The subrequest gets a header list of its own: the client's headers
 * (its Authorization above all) are not the gateway's business.
 */

static ngx_int_t
ngx_levers_dispatch_headers(ngx_http_request_t *sr,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch, off_t len)
{
    u_char              *p;
    ngx_http_request_t  *r;

    r = sr->parent;

    if (ngx_list_init(&sr->headers_in.headers, r->pool, 8,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    sr->headers_in.content_length_n = len;
    sr->headers_in.chunked = 0;
    sr->headers_in.transfer_encoding = NULL;
    sr->headers_in.content_length = NULL;
    sr->headers_in.content_type = NULL;

    p = ngx_pnalloc(r->pool, NGX_OFF_T_LEN + 2 * NGX_INT_T_LEN + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    if (ngx_levers_dispatch_add_header(sr, "Content-Length",
                sizeof("Content-Length") - 1, p,
                ngx_sprintf(p, "%O", len) - p,
                &sr->headers_in.content_length) != NGX_OK
        || ngx_levers_dispatch_add_header(sr, "Content-Type",
                sizeof("Content-Type") - 1,
                (u_char *) "application/json",
                sizeof("application/json") - 1,
                &sr->headers_in.content_type) != NGX_OK
        || ngx_levers_dispatch_add_header(sr, "X-Levers-Bulk-Id",
                sizeof("X-Levers-Bulk-Id") - 1, ctx->bulk_id, 36, NULL)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    p = ngx_pnalloc(r->pool, 2 * NGX_INT_T_LEN + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    return ngx_levers_dispatch_add_header(sr, "X-Levers-Batch",
                sizeof("X-Levers-Batch") - 1, p,
                ngx_sprintf(p, "%ui/%uz", batch->index, ctx->bulk.nbatches)
                - p, NULL);
}


static ngx_int_t
ngx_levers_dispatch_add_header(ngx_http_request_t *sr, char *key,
    size_t key_len, u_char *value, size_t len, ngx_table_elt_t **elt)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&sr->headers_in.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->key.data = (u_char *) key;
    h->key.len = key_len;
    h->value.data = value;
    h->value.len = len;

    h->lowcase_key = ngx_pnalloc(sr->pool, key_len);
    if (h->lowcase_key == NULL) {
        return NGX_ERROR;
    }

    h->hash = ngx_hash_strlow(h->lowcase_key, h->key.data, key_len);
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif

    if (elt) {
        *elt = h;
    }

    return NGX_OK;
}


/*
 * The post-subrequest handler: called when the batch's subrequest is
 * finalized, possibly more than once.  It returns NGX_OK for every
 * ending, failures included: nginx would otherwise send an error page
 * for the subrequest or terminate the whole request, and the answer to
 * the client must account for every batch instead.
 */

static ngx_int_t
ngx_levers_dispatch_done(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_levers_batch_t *batch = data;

    ngx_uint_t                   status;
    ngx_http_levers_bulk_ctx_t  *ctx;

    if (batch->done || rc == NGX_AGAIN) {
        return batch->done ? NGX_OK : rc;
    }

    batch->done = 1;

    ctx = ngx_http_get_module_ctx(batch->main, ngx_http_levers_bulk_module);

    status = batch->status;

    if (rc == NGX_ERROR || rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        /* no answer, or an answer cut short */
        if (status < NGX_HTTP_SPECIAL_RESPONSE) {
            status = (rc >= NGX_HTTP_SPECIAL_RESPONSE && rc != NGX_HTTP_CLOSE)
                     ? (ngx_uint_t) rc : NGX_HTTP_BAD_GATEWAY;
        }

    } else if (status == 0) {
        status = NGX_HTTP_BAD_GATEWAY;

    } else if (status < NGX_HTTP_SPECIAL_RESPONSE && !batch->complete) {
        status = NGX_HTTP_BAD_GATEWAY;
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, sr->connection->log, 0,
                   "levers_bulk %s: batch %ui done, rc:%i status:%ui",
                   ctx->bulk_id, batch->index, rc, status);

    ngx_levers_dispatch_finish_batch(ctx, batch, status);

    if (ngx_http_post_request(batch->main, NULL) != NGX_OK) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_levers_dispatch_finish_batch(ngx_http_levers_bulk_ctx_t *ctx,
    ngx_levers_batch_t *batch, ngx_uint_t status)
{
    ngx_int_t            n;
    ngx_chain_t         *cl;
    levers_batch_t      *b;
    ngx_http_request_t  *r;

    r = batch->main;
    b = &ctx->bulk.batches[batch->index];

    b->status = (int) status;
    b->accepted = (status >= NGX_HTTP_OK && status < NGX_HTTP_SPECIAL_RESPONSE);

    if (b->accepted && batch->answer_len) {
        n = levers_payload_read_answer(&ctx->bulk, batch->index,
                                       (char *) batch->answer,
                                       batch->answer_len, ngx_levers_palloc,
                                       r->pool);
        if (n < 0) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "levers_bulk %s: batch %ui: gateway answer has "
                          "no call ids%s", ctx->bulk_id, batch->index,
                          batch->truncated ? " (answer truncated)" : "");
        }
    }

    if (!b->accepted) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "levers_bulk %s: batch %ui of %uz not accepted, "
                      "status %ui", ctx->bulk_id, batch->index,
                      ctx->bulk.nbatches, status);
    }

    /* the batch's buffers are large allocations: give them back now */

    ctx->inflight_bytes -= ngx_levers_chain_capacity(batch->body);

    for (cl = batch->body; cl; cl = cl->next) {
        ngx_pfree(r->pool, cl->buf->start);
    }

    if (batch->answer) {
        ngx_pfree(r->pool, batch->answer);
    }

    batch->body = NULL;
    batch->answer = NULL;
    batch->answer_len = 0;
    batch->answer_cap = 0;

    if (batch->sr) {
        ctx->in_flight--;
    }

    ctx->finished++;
}


/* the main request's write handler while dispatching */

static void
ngx_levers_dispatch_wake(ngx_http_request_t *r)
{
    ngx_int_t                    rc;
    ngx_http_levers_bulk_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_bulk_module);

    if (ctx == NULL || !ctx->dispatching) {
        return;
    }

    if (ngx_levers_dispatch_more(r, ctx) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_ERROR);
        return;
    }

    if (ctx->in_flight > 0) {
        return;
    }

    if (ctx->finished < ctx->bulk.nbatches && !ctx->client_gone) {
        return;
    }

    ctx->dispatching = 0;
    r->write_event_handler = ngx_http_request_empty_handler;
    r->read_event_handler = ngx_http_block_reading;

    if (ctx->client_gone) {
        ngx_levers_dispatch_abandon(r, ctx);
        ngx_http_finalize_request(r, NGX_HTTP_CLIENT_CLOSED_REQUEST);
        return;
    }

    ngx_levers_dispatch_log(r, ctx);

    rc = ngx_levers_send_result(r, ctx);
    ctx->answered = 1;

    ngx_http_finalize_request(r, rc);
}


/*
 * The request ends while still dispatching: nginx terminated it (a
 * worker_shutdown_timeout, an internal error).  Batches in flight have an
 * unknown outcome (status 0): they may have been accepted.  The outcome
 * is logged all the same, and a recorded Idempotency-Key keeps an answer
 * instead of being forgotten, so that a retry cannot call anyone twice.
 */

static void
ngx_levers_dispatch_cleanup(void *data)
{
    ngx_http_request_t *r = data;

    ngx_uint_t                   b;
    ngx_pool_t                  *pool;
    ngx_levers_writer_t          w;
    ngx_http_levers_bulk_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_bulk_module);

    if (ctx == NULL || !ctx->dispatching) {
        return;
    }

    ctx->dispatching = 0;

    for (b = 0; b < ctx->bulk.nbatches; b++) {
        if (b >= ctx->next) {
            ctx->bulk.batches[b].status = NGX_HTTP_CLIENT_CLOSED_REQUEST;

        } else if (!ctx->batches[b].done) {
            ctx->bulk.batches[b].status = 0;
            ctx->bulk.batches[b].accepted = 0;
        }
    }

    ngx_log_error(NGX_LOG_NOTICE, r->connection->log, 0,
                  "levers_bulk %s: request terminated while dispatching; "
                  "%ui batches in flight have an unknown outcome (status 0)",
                  ctx->bulk_id, ctx->in_flight);

    ngx_levers_dispatch_log(r, ctx);

    if (ctx->idem == NULL) {
        return;
    }

    /* the request pool is being destroyed: a pool of its own */
    pool = ngx_create_pool(NGX_DEFAULT_POOL_SIZE, r->connection->log);
    if (pool == NULL) {
        return;
    }

    if (ngx_levers_result_body(r, pool, ctx, &w) == NGX_OK) {
        ngx_levers_idem_store(r, ctx->idem, ctx->status, w.out, w.total);
    }

    ngx_destroy_pool(pool);
}


/*
 * The client went away: batches never sent get status 499, the outcome is
 * logged, and, for a request with an Idempotency-Key, the answer it would
 * have had is kept, so a retry replays it instead of calling again.
 */

static void
ngx_levers_dispatch_abandon(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx)
{
    ngx_uint_t           b;
    ngx_levers_writer_t  w;

    ngx_levers_dispatch_log(r, ctx);

    for (b = ctx->next; b < ctx->bulk.nbatches; b++) {
        ctx->bulk.batches[b].status = NGX_HTTP_CLIENT_CLOSED_REQUEST;
    }

    if (ctx->idem && ngx_levers_result_body(r, r->pool, ctx, &w) == NGX_OK) {
        ngx_levers_idem_store(r, ctx->idem, ctx->status, w.out, w.total);
    }
}


/*
 * The main request's read handler while dispatching: notices a client
 * that closed its connection (as ngx_http_test_reading does), without
 * finalizing the request, so batches in flight can end and be logged.
 */

static void
ngx_levers_dispatch_test_reading(ngx_http_request_t *r)
{
    int                          n;
    char                         buf[1];
    ngx_err_t                    err;
    ngx_event_t                 *rev;
    ngx_connection_t            *c;
    ngx_http_levers_bulk_ctx_t  *ctx;

    c = r->connection;
    rev = c->read;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_bulk_module);

    if (ctx == NULL || ctx->client_gone) {
        return;
    }

#if (NGX_HTTP_V2)
    if (r->stream) {
        if (c->error) {
            err = 0;
            goto closed;
        }

        return;
    }
#endif

    n = recv(c->fd, buf, 1, MSG_PEEK);

    if (n == 0) {
        rev->eof = 1;
        err = 0;
        goto closed;

    } else if (n == -1) {
        err = ngx_socket_errno;

        if (err != NGX_EAGAIN) {
            rev->eof = 1;
            goto closed;
        }
    }

    /* pipelined data, or nothing yet */

    if ((ngx_event_flags & NGX_USE_LEVEL_EVENT) && rev->active) {
        if (ngx_del_event(rev, NGX_READ_EVENT, 0) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        }
    }

    return;

closed:

    ctx->client_gone = 1;

    if ((ngx_event_flags & NGX_USE_LEVEL_EVENT) && rev->active) {
        (void) ngx_del_event(rev, NGX_READ_EVENT, 0);
    }

    ngx_log_error(NGX_LOG_NOTICE, c->log, err,
                  "levers_bulk %s: client closed connection while "
                  "dispatching; %ui of %uz batches sent, no more will be",
                  ctx->bulk_id, ctx->next, ctx->bulk.nbatches);

    if (ctx->in_flight == 0) {
        ngx_levers_dispatch_wake(r);
    }
}


/*
 * One line with the counts for every bulk request, and one line for each
 * batch that failed or was never sent, with its contacts' indexes, so an
 * operator can always tell what was called.
 */

static void
ngx_levers_dispatch_log(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx)
{
    char                *action;
    size_t               failed_batches;
    u_char              *p, *last;
    ngx_uint_t           b, level, unsent;
    levers_batch_t      *lb;
    ngx_levers_batch_t  *batch;
    u_char               buf[NGX_MAX_ERROR_STR - 256];

    levers_payload_counts(&ctx->bulk, &ctx->accepted, &ctx->failed,
                          &failed_batches);

    action = r->connection->log->action;
    r->connection->log->action = "ending a bulk request";

    unsent = ctx->bulk.nbatches - ctx->next;
    level = (failed_batches || ctx->client_gone) ? NGX_LOG_NOTICE
                                                 : NGX_LOG_INFO;

    ngx_log_error(level, r->connection->log, 0,
                  "levers_bulk %s: %uz contacts, %uz accepted, "
                  "%uz skipped, %uz failed in %uz of %uz batches "
                  "(%ui never sent)%s",
                  ctx->bulk_id, ctx->req.ncontacts, ctx->accepted,
                  ctx->plan.nskipped, ctx->failed, failed_batches,
                  ctx->bulk.nbatches, unsent,
                  ctx->client_gone ? ", client gone" : "");

    for (b = 0; b < ctx->bulk.nbatches; b++) {
        lb = &ctx->bulk.batches[b];
        batch = &ctx->batches[b];

        if (lb->accepted) {
            continue;
        }

        last = buf + sizeof(buf);
        p = ngx_levers_dispatch_ranges(buf, last, ctx, batch);

        if (b >= ctx->next) {
            ngx_log_error(NGX_LOG_NOTICE, r->connection->log, 0,
                          "levers_bulk %s: batch %ui never sent, "
                          "contacts %*s", ctx->bulk_id, b, p - buf, buf);

        } else {
            ngx_log_error(NGX_LOG_NOTICE, r->connection->log, 0,
                          "levers_bulk %s: batch %ui %s, status %d, "
                          "contacts %*s", ctx->bulk_id, b,
                          lb->status ? "failed" : "outcome unknown",
                          lb->status, p - buf, buf);
        }
    }

    r->connection->log->action = action;
}


/* "300-349,351-399": the request indexes of a batch's contacts */

static u_char *
ngx_levers_dispatch_ranges(u_char *p, u_char *last,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_batch_t *batch)
{
    size_t           k, start, end;
    levers_batch_t  *lb;

    lb = &ctx->bulk.batches[batch->index];

    k = 0;

    while (k < lb->count) {
        start = ctx->plan.calls[lb->first + k];
        end = start;

        while (k + 1 < lb->count && ctx->plan.calls[lb->first + k + 1]
                                    == end + 1)
        {
            end++;
            k++;
        }

        k++;

        if ((size_t) (last - p) < 2 * NGX_SIZE_T_LEN + 8) {
            return ngx_cpymem(p, "...", 3);
        }

        p = (start == end) ? ngx_sprintf(p, "%uz", start)
                           : ngx_sprintf(p, "%uz-%uz", start, end);

        if (k < lb->count) {
            *p++ = ',';
        }
    }

    return p;
}


/* the batch a subrequest carries, or NULL for any other request */

static ngx_levers_batch_t *
ngx_levers_batch_of(ngx_http_request_t *r)
{
    /*
     * post_subrequest survives internal redirects in the gateway location,
     * a module context would not
     */

    if (r != r->main
        && r->post_subrequest
        && r->post_subrequest->handler == ngx_levers_dispatch_done)
    {
        return r->post_subrequest->data;
    }

    return NULL;
}


static ngx_int_t
ngx_levers_capture_header_filter(ngx_http_request_t *r)
{
    ngx_levers_batch_t  *batch;

    batch = ngx_levers_batch_of(r);

    if (batch == NULL) {
        return ngx_http_next_header_filter(r);
    }

    batch->status = r->headers_out.status;
    r->header_sent = 1;
    r->filter_need_in_memory = 1;

    /*
     * an answer declared empty is whole once its header is here: nginx
     * sends a subrequest's empty answer ("return 202;") as a header alone,
     * with no last buffer for the body filter to see
     */
    if (r->headers_out.content_length_n == 0 || r->header_only) {
        batch->complete = 1;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_levers_capture_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_buf_t           *b;
    ngx_chain_t         *cl;
    ngx_levers_batch_t  *batch;

    batch = ngx_levers_batch_of(r);

    if (batch == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        if (ngx_buf_in_memory(b) && b->last > b->pos) {
            if (ngx_levers_capture_append(r, batch, b->pos, b->last - b->pos)
                != NGX_OK)
            {
                return NGX_ERROR;
            }
        }

        b->pos = b->last;

        if (b->in_file) {
            b->file_pos = b->file_last;
        }

        if (b->last_buf || b->last_in_chain) {
            batch->complete = 1;
        }
    }

    return NGX_OK;
}


/* keeps up to levers_bulk_gateway_answer_size bytes of a batch's answer */

static ngx_int_t
ngx_levers_capture_append(ngx_http_request_t *r, ngx_levers_batch_t *batch,
    u_char *p, size_t len)
{
    size_t                            size;
    u_char                           *answer;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(batch->main,
                                        ngx_http_levers_bulk_module);

    if (batch->answer_len + len > blcf->gateway_answer_max) {
        batch->truncated = 1;
        len = blcf->gateway_answer_max - batch->answer_len;
    }

    if (batch->answer_len + len > batch->answer_cap) {
        size = ngx_max(4096, 2 * batch->answer_cap);

        while (size < batch->answer_len + len) {
            size *= 2;
        }

        size = ngx_min(size, blcf->gateway_answer_max);

        answer = ngx_palloc(r->pool, size);
        if (answer == NULL) {
            return NGX_ERROR;
        }

        if (batch->answer) {
            ngx_memcpy(answer, batch->answer, batch->answer_len);
            ngx_pfree(r->pool, batch->answer);
        }

        batch->answer = answer;
        batch->answer_cap = size;
    }

    ngx_memcpy(batch->answer + batch->answer_len, p, len);
    batch->answer_len += len;

    return NGX_OK;
}


/* a random (version 4) UUID */

static void
ngx_levers_bulk_id(u_char *id)
{
    ngx_uint_t  i, k;
    u_char      bytes[16];

    static u_char  hex[] = "0123456789abcdef";

    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
        for (i = 0; i < sizeof(bytes); i++) {
            bytes[i] = (u_char) ngx_random();
        }
    }

    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;

    for (i = 0, k = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            id[k++] = '-';
        }

        id[k++] = hex[bytes[i] >> 4];
        id[k++] = hex[bytes[i] & 0x0f];
    }

    id[36] = '\0';
}


/* bytes of the buffers of a chain, used or not */

static size_t
ngx_levers_chain_capacity(ngx_chain_t *cl)
{
    size_t  n;

    for (n = 0; cl; cl = cl->next) {
        n += cl->buf->end - cl->buf->start;
    }

    return n;
}

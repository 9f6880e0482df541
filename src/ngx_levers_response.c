/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The JSON answers: a writer that streams JSON into a chain of pool
 * buffers (the levers_json_write_pt of the pure code), and the 201, 502,
 * 4xx bodies sent with Content-Type: application/json.
 */


#include "ngx_levers_bulk.h"


#define NGX_LEVERS_WRITER_CHUNK  16384
#define NGX_LEVERS_HTTP_UNPROCESSABLE  422


static ngx_str_t  ngx_levers_json_type = ngx_string("application/json");


void *
ngx_levers_palloc(void *pool, size_t size)
{
    return ngx_palloc(pool, size);
}


void
ngx_levers_writer_init(ngx_levers_writer_t *w, ngx_pool_t *pool, size_t size)
{
    w->pool = pool;
    w->out = NULL;
    w->last = &w->out;
    w->buf = NULL;
    w->size = size ? size : NGX_LEVERS_WRITER_CHUNK;
    w->total = 0;
}


/* levers_json_write_pt: appends to the chain, a new buffer when full */

int
ngx_levers_write(void *data, const char *p, size_t len)
{
    ngx_levers_writer_t *w = data;

    size_t        n, size;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    while (len) {
        b = w->buf;

        if (b == NULL || b->last == b->end) {
            size = ngx_max(w->size, len);

            b = ngx_create_temp_buf(w->pool, size);
            if (b == NULL) {
                return -1;
            }

            cl = ngx_alloc_chain_link(w->pool);
            if (cl == NULL) {
                return -1;
            }

            cl->buf = b;
            cl->next = NULL;
            *w->last = cl;
            w->last = &cl->next;
            w->buf = b;
        }

        n = ngx_min(len, (size_t) (b->end - b->last));
        b->last = ngx_cpymem(b->last, p, n);
        p += n;
        len -= n;
        w->total += n;
    }

    return 0;
}


ngx_int_t
ngx_levers_send_json(ngx_http_request_t *r, ngx_uint_t status,
    ngx_levers_writer_t *w)
{
    ngx_int_t                    rc;
    ngx_http_levers_bulk_ctx_t  *ctx;

    /* the answer to a request with an Idempotency-Key is kept */
    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_bulk_module);

    if (ctx && ctx->idem) {
        ngx_levers_idem_store(r, ctx->idem, status, w->out, w->total);
    }

    r->headers_out.status = status;

    /* nginx's own status table has no reason phrase for 422 */
    if (status == NGX_LEVERS_HTTP_UNPROCESSABLE) {
        ngx_str_set(&r->headers_out.status_line,
                    "422 Unprocessable Entity");
    }

    r->headers_out.content_type = ngx_levers_json_type;
    r->headers_out.content_type_len = ngx_levers_json_type.len;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_length_n = w->total;

    if (w->buf) {
        w->buf->last_buf = (r == r->main) ? 1 : 0;
        w->buf->last_in_chain = 1;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only || w->out == NULL) {
        return rc;
    }

    return ngx_http_output_filter(r, w->out);
}


ngx_int_t
ngx_levers_send_detail(ngx_http_request_t *r, ngx_uint_t status,
    const char *fmt, ...)
{
    va_list              args;
    u_char              *last;
    ngx_levers_writer_t  w;
    u_char               text[NGX_MAX_ERROR_STR];

    va_start(args, fmt);
    last = ngx_vslprintf(text, text + sizeof(text), fmt, args);
    va_end(args);

    ngx_levers_writer_init(&w, r->pool, 0);

    if (ngx_levers_write(&w, "{\"detail\":", sizeof("{\"detail\":") - 1)
        || levers_json_dump_string((char *) text, last - text,
                                   ngx_levers_write, &w)
        || ngx_levers_write(&w, "}", 1))
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_levers_send_json(r, status, &w);
}


ngx_int_t
ngx_levers_send_errors(ngx_http_request_t *r, levers_errors_t *errs)
{
    ngx_levers_writer_t  w;

    ngx_levers_writer_init(&w, r->pool, 0);

    if (ngx_levers_write(&w, "{\"detail\":", sizeof("{\"detail\":") - 1)
        || levers_json_dump(errs->detail, ngx_levers_write, &w)
        || ngx_levers_write(&w, "}", 1))
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_levers_send_json(r, NGX_LEVERS_HTTP_UNPROCESSABLE, &w);
}


ngx_int_t
ngx_levers_send_result(ngx_http_request_t *r, ngx_http_levers_bulk_ctx_t *ctx)
{
    ngx_levers_writer_t  w;

    if (ngx_levers_result_body(r, r->pool, ctx, &w) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_levers_send_json(r, ctx->status, &w);
}


/* the 201/502 body into w; sets ctx->status and the counts */

ngx_int_t
ngx_levers_result_body(ngx_http_request_t *r, ngx_pool_t *pool,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_writer_t *w)
{
    size_t  failed_batches;

    levers_payload_counts(&ctx->bulk, &ctx->accepted, &ctx->failed,
                          &failed_batches);

    ctx->status = failed_batches ? NGX_HTTP_BAD_GATEWAY : NGX_HTTP_CREATED;

    /* roughly 70 bytes a contact: one or two buffers for most answers */
    ngx_levers_writer_init(w, pool,
                           ngx_max(NGX_LEVERS_WRITER_CHUNK,
                                   ngx_min(ctx->req.ncontacts * 72 + 256,
                                           4 * 1024 * 1024)));

    if (levers_payload_result(&ctx->bulk, ngx_levers_write, w) != 0) {
        return NGX_ERROR;
    }

    return NGX_OK;
}

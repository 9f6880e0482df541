/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The bulk request up to dispatch: read the body with nginx's request
 * body API (in memory or in a temporary file), check its media type as
 * FastAPI does, parse and validate it in one pass (levers_fastbody.c) or,
 * for anything that path declines, with jansson and levers_validate.c
 * (which word the errors), pick the template, and plan the calls
 * (levers_contacts.c).
 */


#include <openssl/evp.h>

#include "ngx_levers_bulk.h"
#include "levers_fastbody.h"


#define NGX_LEVERS_PLAN_CHUNK  500


static void ngx_levers_body_handler(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_process(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_is_json(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_text(ngx_http_request_t *r,
    ngx_str_t *text);
static u_char *ngx_levers_body_contiguous(ngx_chain_t *cl, u_char **last);
static ngx_int_t ngx_levers_body_read_file(ngx_http_request_t *r,
    ngx_str_t *text);
static ngx_int_t ngx_levers_body_validate(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_str_t *text, levers_errors_t *errs,
    ngx_int_t *answered);
static json_t *ngx_levers_body_parse(ngx_str_t *text, json_error_t *error);
static size_t ngx_levers_body_bom(ngx_str_t *text);
static ngx_int_t ngx_levers_body_python_takes(ngx_str_t *text);
static ngx_int_t ngx_levers_body_digest(ngx_str_t *text, u_char *digest);
static ngx_int_t ngx_levers_body_json_invalid(ngx_http_request_t *r,
    ngx_str_t *text, levers_errors_t *errs, json_error_t *error);
static ngx_int_t ngx_levers_body_not_json_error(const char *msg);
static ngx_int_t ngx_levers_body_not_json(ngx_http_request_t *r,
    ngx_str_t *text, levers_errors_t *errs);
static ngx_int_t ngx_levers_body_too_many(ngx_http_request_t *r,
    size_t n, ngx_http_levers_bulk_loc_conf_t *blcf);
static const levers_template_t *ngx_levers_body_template(
    ngx_http_request_t *r, ngx_http_levers_bulk_ctx_t *ctx,
    ngx_http_levers_bulk_loc_conf_t *blcf);
static ngx_int_t ngx_levers_body_plan(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
static void ngx_levers_body_plan_handler(ngx_event_t *ev);
static void ngx_levers_body_plan_cleanup(void *data);
static void ngx_levers_body_cleanup(void *data);
static void ngx_levers_errors_cleanup(void *data);


ngx_int_t
ngx_levers_body_read(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    /*
     * nginx 1.22 still keeps the part of the body read with the headers
     * in a buffer of its own, but with this flag it makes room for it in
     * the body buffer: ngx_levers_body_text() moves it there, so the
     * parser reads nginx's own memory, with no copy
     */
    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r, ngx_levers_body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static void
ngx_levers_body_handler(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    rc = ngx_levers_body_process(r);

    if (rc == NGX_DONE) {
        /* dispatching: the last batch to finish sends the answer */
        return;
    }

    ngx_http_finalize_request(r, rc);
}


static ngx_int_t
ngx_levers_body_process(ngx_http_request_t *r)
{
    ngx_int_t                         rc, answered;
    ngx_str_t                         text;
    levers_errors_t                  *errs;
    ngx_pool_cleanup_t               *cln;
    levers_plan_conf_t               *pc;
    const levers_template_t          *tpl;
    ngx_http_levers_bulk_ctx_t       *ctx;
    ngx_http_levers_bulk_loc_conf_t  *blcf;
    u_char                            digest[32];

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_levers_bulk_ctx_t));
    errs = ngx_palloc(r->pool, sizeof(levers_errors_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (ctx == NULL || errs == NULL || cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_set_ctx(r, ctx, ngx_http_levers_bulk_module);

    if (levers_errors_init(errs, blcf->max_errors) != 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_levers_errors_cleanup;
    cln->data = errs;

    /* FastAPI: an empty body is a missing one, whatever its type */

    if (r->request_body == NULL || r->request_body->bufs == NULL
        || r->headers_in.content_length_n == 0)
    {
        if (levers_validate_request(NULL, &ctx->req, errs, ngx_levers_palloc,
                                    r->pool) < 0)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_levers_send_errors(r, errs);
    }

    if (ngx_levers_body_text(r, &text) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (blcf->idem_zone) {
        if (ngx_levers_body_digest(&text, digest) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        rc = ngx_levers_idem_begin(r, ctx, digest, &answered);

        if (rc == NGX_DONE) {
            /* a replay, 409, 422 or 400 */
            return answered;
        }

        if (rc != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_levers_body_is_json(r) != NGX_OK) {
        return ngx_levers_body_not_json(r, &text, errs);
    }

    if (ngx_levers_body_validate(r, ctx, &text, errs, &answered)
        != NGX_OK)
    {
        /* a 4xx sent, or an error */
        return answered;
    }

    tpl = ngx_levers_body_template(r, ctx, blcf);
    if (tpl == NGX_CONF_UNSET_PTR) {
        return ngx_levers_send_detail(r, NGX_HTTP_NOT_FOUND,
                                      "AI settings template not found");
    }

    pc = &ctx->plan_conf;
    pc->default_region = blcf->default_region.len
                         ? (const char *) blcf->default_region.data : NULL;
    pc->missing_tag = blcf->missing_tag;
    pc->tpl = tpl;
    pc->skip_invalid = (blcf->invalid_number
                        == NGX_LEVERS_INVALID_NUMBER_SKIP);
    pc->dedupe = blcf->dedupe ? 1 : 0;
    pc->normalise = blcf->normalise ? 1 : 0;

    ctx->errs = errs;
    ctx->bulk.req = &ctx->req;
    ctx->bulk.plan = &ctx->plan;
    ctx->bulk.tpl = tpl;
    ctx->bulk.missing_tag = blcf->missing_tag;

    if (levers_plan_init(&ctx->req, pc, &ctx->plan, ngx_levers_palloc,
                         r->pool)
        != 0)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_levers_body_plan(r, ctx);
}


/*
 * The fast path takes the bodies clients normally send; whatever it
 * declines goes through jansson and levers_validate_request(), which
 * word the errors exactly as FastAPI does.  NGX_OK when ctx->req is a
 * valid request; else NGX_DONE, with what the handler returns (the status
 * of an answer sent, or an error) in *answered.
 */

static ngx_int_t
ngx_levers_body_validate(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_str_t *text, levers_errors_t *errs,
    ngx_int_t *answered)
{
    int                               rc;
    json_t                           *body, *contacts;
    json_error_t                      error;
    ngx_pool_cleanup_t               *cln;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    *answered = NGX_HTTP_INTERNAL_SERVER_ERROR;

    rc = levers_fast_parse((char *) text->data, text->len, &ctx->req,
                           ngx_levers_palloc, r->pool);
    if (rc < 0) {
        return NGX_DONE;
    }

    if (rc == 0) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "levers_bulk: %uz contacts read by the fast path",
                       ctx->req.ncontacts);

        if (ctx->req.ncontacts > blcf->max_contacts) {
            *answered = ngx_levers_body_too_many(r, ctx->req.ncontacts,
                                                 blcf);
            return NGX_DONE;
        }

        return NGX_OK;
    }

    body = ngx_levers_body_parse(text, &error);

    if (body != NULL && !ngx_levers_body_python_takes(text)) {
        /* nested deeper than Python's recursion allows (jansson: 2048) */
        json_decref(body);
        body = NULL;
        ngx_memzero(&error, sizeof(json_error_t));
    }

    if (body == NULL) {
        *answered = ngx_levers_body_json_invalid(r, text, errs, &error);
        return NGX_DONE;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        json_decref(body);
        return NGX_DONE;
    }

    cln->handler = ngx_levers_body_cleanup;
    cln->data = body;
    ctx->body = body;

    /* too many contacts is answered before any other error */

    contacts = json_object_get(body, "contacts");

    if (json_is_array(contacts)
        && json_array_size(contacts) > blcf->max_contacts)
    {
        *answered = ngx_levers_body_too_many(r, json_array_size(contacts),
                                             blcf);
        return NGX_DONE;
    }

    rc = levers_validate_request(body, &ctx->req, errs, ngx_levers_palloc,
                                 r->pool);
    if (rc < 0) {
        return NGX_DONE;
    }

    if (rc > 0) {
        *answered = ngx_levers_send_errors(r, errs);
        return NGX_DONE;
    }

    return NGX_OK;
}


/*
 * Plans NGX_LEVERS_PLAN_CHUNK contacts at a time (libphonenumber takes
 * 10-15 us a number): between chunks the worker serves its other
 * connections, so a 10 000-contact request does not hold it for a
 * fifth of a second.  NGX_DONE while planning goes on.
 */

static ngx_int_t
ngx_levers_body_plan(ngx_http_request_t *r, ngx_http_levers_bulk_ctx_t *ctx)
{
    ngx_int_t            rc;
    ngx_event_t         *ev;
    ngx_pool_cleanup_t  *cln;

    rc = levers_plan_step(&ctx->req, &ctx->plan_conf, &ctx->plan, ctx->errs,
                          NGX_LEVERS_PLAN_CHUNK);

    if (rc == LEVERS_PLAN_AGAIN) {
        ev = &ctx->plan_event;

        if (ev->handler == NULL) {
            cln = ngx_pool_cleanup_add(r->pool, 0);
            if (cln == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            cln->handler = ngx_levers_body_plan_cleanup;
            cln->data = ev;

            ev->handler = ngx_levers_body_plan_handler;
            ev->data = r;
            ev->log = r->connection->log;
        }

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "levers_bulk: planned %uz of %uz contacts, "
                       "going on next cycle",
                       ctx->plan.next, ctx->req.ncontacts);

        ngx_post_event(ev, &ngx_posted_next_events);

        return NGX_DONE;
    }

    if (rc < 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc > 0) {
        return ngx_levers_send_errors(r, ctx->errs);
    }

    return ngx_levers_dispatch_start(r, ctx);
}


static void
ngx_levers_body_plan_handler(ngx_event_t *ev)
{
    ngx_int_t                    rc;
    ngx_connection_t            *c;
    ngx_http_request_t          *r;
    ngx_http_levers_bulk_ctx_t  *ctx;

    r = ev->data;
    c = r->connection;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_bulk_module);

    rc = ngx_levers_body_plan(r, ctx);

    if (rc != NGX_DONE) {
        ngx_http_finalize_request(r, rc);
    }

    ngx_http_run_posted_requests(c);
}


/* a request that ends while planning must not leave its event posted */

static void
ngx_levers_body_plan_cleanup(void *data)
{
    ngx_event_t *ev = data;

    if (ev->posted) {
        ngx_delete_posted_event(ev);
    }
}


/*
 * FastAPI parses the body as JSON when there is no Content-Type, or when
 * it is application/json or application/<anything>+json (parameters and
 * case ignored); any other type reaches the model as bytes.
 */

static ngx_int_t
ngx_levers_body_is_json(ngx_http_request_t *r)
{
    u_char     *p, *last, *slash, *end;
    ngx_str_t  *type;

    if (r->headers_in.content_type == NULL) {
        return NGX_OK;
    }

    type = &r->headers_in.content_type->value;
    p = type->data;
    last = type->data + type->len;

    end = ngx_strlchr(p, last, ';');
    if (end == NULL) {
        end = last;
    }

    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }

    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }

    slash = ngx_strlchr(p, end, '/');

    if (slash == NULL
        || slash - p != sizeof("application") - 1
        || ngx_strncasecmp(p, (u_char *) "application",
                           sizeof("application") - 1) != 0)
    {
        return NGX_DECLINED;
    }

    p = slash + 1;

    if ((end - p == 4 && ngx_strncasecmp(p, (u_char *) "json", 4) == 0)
        || (end - p >= 5
            && ngx_strncasecmp(end - 5, (u_char *) "+json", 5) == 0))
    {
        return NGX_OK;
    }

    return NGX_DECLINED;
}


/*
 * The body as one piece of memory: nginx's own buffer when it read the
 * body into one (or into one and the header buffer), else a copy from
 * the pool (a body in a temporary file, read once)
 */

static ngx_int_t
ngx_levers_body_text(ngx_http_request_t *r, ngx_str_t *text)
{
    size_t        n1;
    u_char       *start, *last;
    ngx_buf_t    *b, *first;
    ngx_chain_t  *bufs, *cl;

    bufs = r->request_body->bufs;

    /* nginx reads into one buffer, and chains the pieces it read */

    start = ngx_levers_body_contiguous(bufs, &last);

    if (start != NULL) {
        text->data = start;
        text->len = last - start;
        return NGX_OK;
    }

    /*
     * the bytes read with the headers, then the rest in a buffer with
     * room for both (request_body_in_single_buf): the first moved into
     * the second, which then holds the whole body; the chain stays true
     */

    first = bufs->buf;
    b = bufs->next ? bufs->next->buf : NULL;

    if (b != NULL && !first->in_file && b->temporary) {
        start = ngx_levers_body_contiguous(bufs->next, &last);
        n1 = first->last - first->pos;

        if (start != NULL && start == b->pos
            && (size_t) (b->end - last) >= n1)
        {
            ngx_memmove(b->pos + n1, b->pos, last - b->pos);
            ngx_memcpy(b->pos, first->pos, n1);
            first->pos = first->last;
            b->last = last + n1;

            for (cl = bufs->next->next; cl; cl = cl->next) {
                cl->buf->pos = cl->buf->last;
            }

            text->data = b->pos;
            text->len = b->last - b->pos;
            return NGX_OK;
        }
    }

    return ngx_levers_body_read_file(r, text);
}


/*
 * Where a chain's bytes start when they are one run of memory (empty
 * buffers, such as the last one, aside), with its end in *last; NULL
 * when they are not
 */

static u_char *
ngx_levers_body_contiguous(ngx_chain_t *cl, u_char **last)
{
    u_char     *start;
    ngx_buf_t  *b;

    start = NULL;
    *last = NULL;

    for ( /* void */ ; cl; cl = cl->next) {
        b = cl->buf;

        if (b->in_file) {
            return NULL;
        }

        if (b->pos == b->last) {
            continue;
        }

        if (start == NULL) {
            start = b->pos;

        } else if (b->pos != *last) {
            return NULL;
        }

        *last = b->last;
    }

    return start;
}


static ngx_int_t
ngx_levers_body_read_file(ngx_http_request_t *r, ngx_str_t *text)
{
    off_t         len;
    size_t        size;
    ssize_t       n;
    u_char       *p;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    len = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        len += ngx_buf_size(cl->buf);
    }

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    text->data = p;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;

        if (!b->in_file) {
            p = ngx_cpymem(p, b->pos, b->last - b->pos);
            continue;
        }

        size = (size_t) (b->file_last - b->file_pos);

        n = ngx_read_file(b->file, p, size, b->file_pos);

        if (n != (ssize_t) size) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "levers_bulk: read %z of %uz bytes of the body "
                          "from \"%V\"", n, size, &b->file->name);
            return NGX_ERROR;
        }

        p += n;
    }

    text->len = p - text->data;

    return NGX_OK;
}


static json_t *
ngx_levers_body_parse(ngx_str_t *text, json_error_t *error)
{
    size_t   len;
    u_char  *p;

    p = text->data;
    len = text->len;

    /*
     * jansson skips a raw NUL after a number ("[1\0]"), Python refuses
     * any: such a body goes to the error path
     */
    if (ngx_strlchr(p, p + len, '\0') != NULL) {
        ngx_memzero(error, sizeof(json_error_t));
        return NULL;
    }

    /* Python decodes bytes as utf-8-sig: a leading BOM is dropped */
    p += ngx_levers_body_bom(text);
    len = text->len - (p - text->data);

    /*
     * JSON_ALLOW_NUL: Python accepts "\u0000" in strings;
     * JSON_DECODE_ANY: a body that is not an object is a 422, not a
     * decode error
     */

    return json_loadb((char *) p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                      error);
}


/*
 * Whether CPython's json.loads() takes what jansson took: the general
 * path only, for bodies the fast path declined
 */

static ngx_int_t
ngx_levers_body_python_takes(ngx_str_t *text)
{
    levers_json_error_t  je;

    return levers_json_check((char *) text->data, text->len, &je) == 0;
}


/* the length of a UTF-8 BOM at the start of the body, or 0 */

static size_t
ngx_levers_body_bom(ngx_str_t *text)
{
    u_char  *p;

    p = text->data;

    return (text->len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
           ? 3 : 0;
}


/* SHA-256 of the body as received, for Idempotency-Key */

static ngx_int_t
ngx_levers_body_digest(ngx_str_t *text, u_char *digest)
{
    return EVP_Digest(text->data, text->len, digest, NULL, EVP_sha256(),
                      NULL)
           == 1 ? NGX_OK : NGX_ERROR;
}


/*
 * FastAPI: {"type":"json_invalid","loc":["body",POS],
 * "msg":"JSON decode error","input":{},"ctx":{"error":MSG}} with Python's
 * position (in characters) and message
 */

static ngx_int_t
ngx_levers_body_json_invalid(ngx_http_request_t *r, ngx_str_t *text,
    levers_errors_t *errs, json_error_t *error)
{
    size_t               bom;
    json_t              *loc, *input, *ctx;
    levers_json_error_t  je;

    if (levers_json_check((char *) text->data, text->len, &je) == 0) {
        /*
         * Python would have taken it (NaN, huge integers...): jansson's
         * own reason and position are the best we can say; jansson read
         * the body without its BOM, and so does Python
         */
        bom = ngx_levers_body_bom(text);

        je.pos = levers_utf8_length((char *) text->data + bom,
                                    ngx_min((size_t) error->position,
                                            text->len - bom));
        je.msg = error->text;
    }

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_bulk: invalid JSON body: %s at character %uz",
                  je.msg, je.pos);

    if (ngx_levers_body_not_json_error(je.msg)) {
        /* FastAPI's answer to an exception other than JSONDecodeError */
        return ngx_levers_send_detail(r, NGX_HTTP_BAD_REQUEST,
                                      "There was an error parsing the body");
    }

    loc = json_pack("[sI]", "body", (json_int_t) je.pos);
    input = json_object();
    ctx = json_pack("{ss}", "error", je.msg);

    if (loc == NULL || input == NULL || ctx == NULL
        || levers_errors_add(errs, "json_invalid", "JSON decode error", loc,
                             input, ctx) != 0)
    {
        json_decref(input);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    json_decref(input);

    return ngx_levers_send_errors(r, errs);
}


/*
 * Python's decoder fails on these with UnicodeDecodeError, ValueError or
 * RecursionError, not JSONDecodeError (levers_json_check() tells them
 * apart by their messages, see docs/json-compat.md)
 */

static ngx_int_t
ngx_levers_body_not_json_error(const char *msg)
{
    return ngx_strcmp(msg, "Invalid UTF-8") == 0
           || ngx_strncmp(msg, "Exceeds the limit", 17) == 0
           || ngx_strncmp(msg, "maximum recursion depth", 23) == 0;
}


/* a body of another media type reaches the model as a string */

static ngx_int_t
ngx_levers_body_not_json(ngx_http_request_t *r, ngx_str_t *text,
    levers_errors_t *errs)
{
    json_t  *loc, *input;

    loc = json_pack("[s]", "body");

    /* bytes that are not UTF-8 cannot be a JSON string: shown as null */
    input = json_stringn((char *) text->data, text->len);

    if (loc == NULL
        || levers_errors_add(errs, "model_attributes_type",
                             "Input should be a valid dictionary or object "
                             "to extract fields from", loc, input, NULL) != 0)
    {
        json_decref(input);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    json_decref(input);

    return ngx_levers_send_errors(r, errs);
}


static ngx_int_t
ngx_levers_body_too_many(ngx_http_request_t *r, size_t n,
    ngx_http_levers_bulk_loc_conf_t *blcf)
{
    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_bulk: %uz contacts, more than "
                  "levers_bulk_max_contacts %ui", n, blcf->max_contacts);

    return ngx_levers_send_detail(r, NGX_HTTP_REQUEST_ENTITY_TOO_LARGE,
                                  "Too many contacts: %uz, at most %ui "
                                  "in one request", n, blcf->max_contacts);
}


/* the request's template; NGX_CONF_UNSET_PTR when its id is unknown */

static const levers_template_t *
ngx_levers_body_template(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_http_levers_bulk_loc_conf_t *blcf)
{
    ngx_uint_t              i;
    ngx_levers_template_t  *t;

    if (!ctx->req.has_template_id) {
        return blcf->default_template;
    }

    if (blcf->templates) {
        t = blcf->templates->elts;

        for (i = 0; i < blcf->templates->nelts; i++) {
            if (ngx_strcmp(t[i].id, ctx->req.template_id) == 0) {
                return t[i].tpl;
            }
        }
    }

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_bulk: no template \"%s\"", ctx->req.template_id);

    return NGX_CONF_UNSET_PTR;
}


static void
ngx_levers_body_cleanup(void *data)
{
    json_decref(data);
}


static void
ngx_levers_errors_cleanup(void *data)
{
    levers_errors_free(data);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The bulk request up to dispatch: read the body with nginx's request
 * body API (in memory or in a temporary file), check its media type as
 * FastAPI does, feed it to jansson straight from the buffer chain,
 * validate (levers_validate.c), pick the template, and plan the calls
 * (levers_contacts.c).
 */


#include <openssl/evp.h>

#include "ngx_levers_bulk.h"


#define NGX_LEVERS_READ_CHUNK  65536
#define NGX_LEVERS_PLAN_CHUNK  500


/* jansson's load callback walks the body chain, reading file buffers */
typedef struct {
    ngx_http_request_t  *r;
    ngx_chain_t         *cl;
    off_t                file_pos;     /* in the current buffer */
    ngx_int_t            error;
    ngx_uint_t           start;        /* skip a UTF-8 BOM, as Python */
    ngx_uint_t           raw;          /* refuse raw NUL bytes */
} ngx_levers_body_reader_t;


static void ngx_levers_body_handler(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_process(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_is_json(ngx_http_request_t *r);
static ngx_int_t ngx_levers_body_flatten(ngx_http_request_t *r,
    ngx_str_t *text);
static json_t *ngx_levers_body_parse(ngx_http_request_t *r,
    json_error_t *error);
static void ngx_levers_body_reader_init(ngx_levers_body_reader_t *rd,
    ngx_http_request_t *r, ngx_uint_t for_parser);
static size_t ngx_levers_body_feed(void *buffer, size_t buflen, void *data);
static ngx_int_t ngx_levers_body_digest(ngx_http_request_t *r,
    u_char *digest);
static size_t ngx_levers_body_piece(ngx_levers_body_reader_t *rd, u_char *p,
    size_t n);
static ngx_int_t ngx_levers_body_json_invalid(ngx_http_request_t *r,
    levers_errors_t *errs, json_error_t *error);
static ngx_int_t ngx_levers_body_not_json_error(const char *msg);
static ngx_int_t ngx_levers_body_not_json(ngx_http_request_t *r,
    levers_errors_t *errs);
static ngx_int_t ngx_levers_body_check_size(ngx_http_request_t *r,
    json_t *body, ngx_http_levers_bulk_loc_conf_t *blcf);
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
    json_t                           *body;
    json_error_t                      error;
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

    if (blcf->idem_zone) {
        if (ngx_levers_body_digest(r, digest) != NGX_OK) {
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
        return ngx_levers_body_not_json(r, errs);
    }

    body = ngx_levers_body_parse(r, &error);

    if (body == NULL) {
        return ngx_levers_body_json_invalid(r, errs, &error);
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        json_decref(body);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_levers_body_cleanup;
    cln->data = body;
    ctx->body = body;

    if (ngx_levers_body_check_size(r, body, blcf) != NGX_OK) {
        return ngx_levers_send_detail(r, NGX_HTTP_REQUEST_ENTITY_TOO_LARGE,
                                      "Too many contacts: %uz, at most %ui "
                                      "in one request",
                                      json_array_size(json_object_get(body,
                                                                 "contacts")),
                                      blcf->max_contacts);
    }

    rc = levers_validate_request(body, &ctx->req, errs, ngx_levers_palloc,
                                 r->pool);
    if (rc < 0) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc > 0) {
        return ngx_levers_send_errors(r, errs);
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


static json_t *
ngx_levers_body_parse(ngx_http_request_t *r, json_error_t *error)
{
    size_t                     len;
    u_char                    *p;
    ngx_buf_t                 *b;
    ngx_chain_t               *bufs;
    ngx_levers_body_reader_t   rd;

    /*
     * JSON_ALLOW_NUL: Python accepts "\u0000" in strings;
     * JSON_DECODE_ANY: a body that is not an object is a 422, not a
     * decode error
     */

    bufs = r->request_body->bufs;
    b = bufs->buf;

    if (bufs->next == NULL && !b->in_file) {
        p = b->pos;
        len = b->last - b->pos;

        /*
         * jansson skips a raw NUL after a number ("[1\0]"), Python
         * refuses any: such a body goes to the error path
         */
        if (ngx_strlchr(p, p + len, '\0') != NULL) {
            ngx_memzero(error, sizeof(json_error_t));
            return NULL;
        }

        /* Python decodes bytes as utf-8-sig: a leading BOM is dropped */
        if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
            p += 3;
            len -= 3;
        }

        return json_loadb((char *) p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                          error);
    }

    ngx_levers_body_reader_init(&rd, r, 1);

    return json_load_callback(ngx_levers_body_feed, &rd,
                              JSON_DECODE_ANY | JSON_ALLOW_NUL, error);
}


/*
 * A reader of the body chain from its start; for the parser (for_parser
 * set), as Python reads bytes: without a leading BOM, refusing raw NULs
 */

static void
ngx_levers_body_reader_init(ngx_levers_body_reader_t *rd,
    ngx_http_request_t *r, ngx_uint_t for_parser)
{
    rd->r = r;
    rd->cl = r->request_body ? r->request_body->bufs : NULL;
    rd->file_pos = -1;
    rd->error = 0;
    rd->start = for_parser;
    rd->raw = for_parser;
}


/* json_load_callback_t: the next piece of the body, 0 at its end */

static size_t
ngx_levers_body_feed(void *buffer, size_t buflen, void *data)
{
    ngx_levers_body_reader_t *rd = data;

    size_t      n;
    ssize_t     got;
    ngx_buf_t  *b;

    while (rd->cl) {
        b = rd->cl->buf;

        if (!b->in_file) {
            if (rd->file_pos == -1) {
                rd->file_pos = 0;
            }

            n = ngx_min(buflen, (size_t) (b->last - b->pos - rd->file_pos));

            if (n == 0) {
                rd->cl = rd->cl->next;
                rd->file_pos = -1;
                continue;
            }

            ngx_memcpy(buffer, b->pos + rd->file_pos, n);
            rd->file_pos += n;

            return ngx_levers_body_piece(rd, buffer, n);
        }

        if (rd->file_pos == -1) {
            rd->file_pos = b->file_pos;
        }

        n = (size_t) ngx_min((off_t) buflen, b->file_last - rd->file_pos);

        if (n == 0) {
            rd->cl = rd->cl->next;
            rd->file_pos = -1;
            continue;
        }

        got = ngx_read_file(b->file, buffer, n, rd->file_pos);

        if (got <= 0) {
            rd->error = 1;
            return (size_t) -1;
        }

        rd->file_pos += got;

        return ngx_levers_body_piece(rd, buffer, got);
    }

    return 0;
}


/*
 * What the parser sees of a piece: without a leading BOM, and nothing at
 * all once a raw NUL shows up (see ngx_levers_body_parse())
 */

static size_t
ngx_levers_body_piece(ngx_levers_body_reader_t *rd, u_char *p, size_t n)
{
    if (rd->start) {
        rd->start = 0;

        if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
            ngx_memmove(p, p + 3, n - 3);
            n -= 3;
        }
    }

    if (rd->raw && ngx_strlchr(p, p + n, '\0') != NULL) {
        rd->error = 1;
        return (size_t) -1;
    }

    return n;
}


/* SHA-256 of the body as received, for Idempotency-Key */

static ngx_int_t
ngx_levers_body_digest(ngx_http_request_t *r, u_char *digest)
{
    size_t                     n;
    ngx_int_t                  rc;
    EVP_MD_CTX                *md;
    ngx_levers_body_reader_t   rd;
    u_char                     buf[NGX_LEVERS_READ_CHUNK];

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        return NGX_ERROR;
    }

    ngx_levers_body_reader_init(&rd, r, 0);

    rc = NGX_ERROR;

    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        goto done;
    }

    for ( ;; ) {
        n = ngx_levers_body_feed(buf, sizeof(buf), &rd);

        if (n == 0) {
            break;
        }

        if (n == (size_t) -1 || EVP_DigestUpdate(md, buf, n) != 1) {
            goto done;
        }
    }

    if (EVP_DigestFinal_ex(md, digest, NULL) == 1) {
        rc = NGX_OK;
    }

done:

    EVP_MD_CTX_free(md);

    return rc;
}


/* the whole body as one string, for the error paths only */

static ngx_int_t
ngx_levers_body_flatten(ngx_http_request_t *r, ngx_str_t *text)
{
    off_t                      len;
    size_t                     n;
    u_char                    *p;
    ngx_chain_t               *cl;
    ngx_levers_body_reader_t   rd;

    len = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        len += ngx_buf_size(cl->buf);
    }

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_levers_body_reader_init(&rd, r, 0);

    text->data = p;
    text->len = 0;

    while (text->len < (size_t) len) {
        n = ngx_levers_body_feed(p + text->len, len - text->len, &rd);

        if (n == 0 || n == (size_t) -1) {
            break;
        }

        text->len += n;
    }

    return rd.error ? NGX_ERROR : NGX_OK;
}


/*
 * FastAPI: {"type":"json_invalid","loc":["body",POS],
 * "msg":"JSON decode error","input":{},"ctx":{"error":MSG}} with Python's
 * position (in characters) and message
 */

static ngx_int_t
ngx_levers_body_json_invalid(ngx_http_request_t *r, levers_errors_t *errs,
    json_error_t *error)
{
    json_t              *loc, *input, *ctx;
    ngx_str_t            text;
    levers_json_error_t  je;

    if (ngx_levers_body_flatten(r, &text) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (levers_json_check((char *) text.data, text.len, &je) == 0) {
        /*
         * Python would have taken it (NaN, huge integers...): jansson's
         * own reason and position are the best we can say
         */
        je.pos = levers_utf8_length((char *) text.data,
                                    ngx_min((size_t) error->position,
                                            text.len));
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
ngx_levers_body_not_json(ngx_http_request_t *r, levers_errors_t *errs)
{
    json_t     *loc, *input;
    ngx_str_t   text;

    if (ngx_levers_body_flatten(r, &text) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    loc = json_pack("[s]", "body");

    /* bytes that are not UTF-8 cannot be a JSON string: shown as null */
    input = json_stringn((char *) text.data, text.len);

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
ngx_levers_body_check_size(ngx_http_request_t *r, json_t *body,
    ngx_http_levers_bulk_loc_conf_t *blcf)
{
    size_t   n;
    json_t  *contacts;

    contacts = json_object_get(body, "contacts");

    if (!json_is_array(contacts)) {
        return NGX_OK;
    }

    n = json_array_size(contacts);

    if (n <= blcf->max_contacts) {
        return NGX_OK;
    }

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_bulk: %uz contacts, more than "
                  "levers_bulk_max_contacts %ui", n, blcf->max_contacts);

    return NGX_DECLINED;
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

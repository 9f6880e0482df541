/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * ngx_http_levers_jwt_module: "Authorization: Bearer <JWT>" checked in
 * the ACCESS phase, like auth_basic, so satisfy, allow/deny,
 * auth_request and limit_req compose with it as with nginx's own
 * modules.  docs/jwt.md is the directive reference, docs/SECURITY.md
 * says what is verified.
 *
 * Flow of a request:
 *  - the check (header, decoding, signature, claims) runs once per
 *    request, from the access handler or earlier from a variable (so a
 *    limit_req key in the PREACCESS phase can use a claim); its result
 *    lives in the request's module context.  Our own checks (size,
 *    segments, header, "alg" allowed and fitting the key, "kid") come
 *    first, then OpenSSL checks the signature and libjwt's jwt_decode()
 *    verifies and decodes HS*, RS* and ES* tokens (levers_jwks.c; PS*
 *    with OpenSSL alone).  The decoded
 *    JSON and libjwt's jwt_t are freed by a cleanup of the request pool
 *    (jwt_free()).  Location configuration is never written during a
 *    request;
 *  - a failure returns 401 or 403 from the access handler, with the
 *    WWW-Authenticate header set, exactly as auth_basic does: nginx then
 *    finalizes the request (or, with "satisfy any", gives the other
 *    access modules their chance), and "error_page 401" works;
 *  - when nginx sends its built-in page for that status, a header and a
 *    body filter replace the HTML with {"detail": "<reason>"} and
 *    Content-Type: application/json.  The filters act only when the
 *    response is our status sent by nginx's special response code
 *    (r->err_status) and the request never reached the content phases:
 *    a PRECONTENT handler forgets the pending answer (and hides our
 *    challenge header) when another access module let the request in.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_levers_jwt.h"

#include <openssl/sha.h>


#define NGX_LEVERS_JWT_CLAIM_PREFIX   "levers_jwt_claim_"
#define NGX_LEVERS_JWT_HEADER_PREFIX  "levers_jwt_header_"

/* "Bearer" 1*SP token, with room for spaces around it */
#define NGX_LEVERS_JWT_HEADER_MAX     (LEVERS_JWT_MAX_TOKEN + 64)


typedef struct {
    ngx_str_t                  name;          /* NUL-terminated */
    ngx_str_t                  value;         /* data NULL: any value */
} ngx_levers_jwt_claim_t;


/* a token without "exp" stays cached at most this long, seconds */
#define NGX_LEVERS_JWT_CACHE_NO_EXP   300


/*
 * A verified token (signature and decoding only), per location and per
 * worker: the claim checks run again on every request.
 */
typedef struct {
    ngx_rbtree_node_t          node;          /* key: digest's start */
    ngx_queue_t                queue;         /* LRU or free list */
    u_char                     digest[SHA256_DIGEST_LENGTH];
    json_t                    *header;        /* a reference */
    json_t                    *payload;       /* a reference */
    int                        alg;
    ngx_uint_t                 generation;    /* of the key URLs' sets */
    time_t                     expires;
} ngx_levers_jwt_entry_t;


typedef struct {
    ngx_rbtree_t               rbtree;
    ngx_rbtree_node_t          sentinel;
    ngx_queue_t                lru;           /* most recent first */
    ngx_queue_t                free;
    ngx_uint_t                 current;
    ngx_uint_t                 max;
    ngx_log_t                 *log;
} ngx_levers_jwt_cache_t;


typedef struct {
    ngx_http_complex_value_t  *realm;         /* NULL: off */
    ngx_array_t               *files;         /* ngx_levers_jwt_file_t * */
    ngx_array_t               *urls;          /* ngx_levers_jwt_url_t * */
    ngx_uint_t                 algorithms;    /* LEVERS_ALG_BIT mask */
    time_t                     leeway;
    ngx_str_t                  issuer;        /* "": not checked */
    ngx_array_t               *audiences;     /* char * */
    ngx_array_t               *claims;        /* ngx_levers_jwt_claim_t */
    ngx_flag_t                 require_exp;
    ngx_uint_t                 cache_max;     /* 0: off */
    ngx_levers_jwt_cache_t    *cache;         /* this location's own */
} ngx_http_levers_jwt_loc_conf_t;


typedef struct {
    levers_jws_t               jws;           /* empty unless verified */
    jwt_t                     *jwt;           /* libjwt's decoded token
                                                 (HS*, RS*, ES*), owned;
                                                 NULL unless verified */
    const char                *reason;        /* of a failure */
    ngx_uint_t                 status;        /* 0: verified; 401, 403 */
    ngx_table_elt_t           *challenge;     /* our WWW-Authenticate */
    ngx_str_t                  body;          /* our JSON answer */
    unsigned                   checked:1;
    unsigned                   invalid:1;     /* a token was given */
    unsigned                   pending:1;     /* answer to render */
    unsigned                   rendering:1;
    unsigned                   rendered:1;
} ngx_levers_jwt_ctx_t;


static ngx_levers_jwt_ctx_t *ngx_levers_jwt_check(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf);
static ngx_int_t ngx_levers_jwt_token(ngx_http_request_t *r,
    ngx_str_t *token, const char **reason);
static const char *ngx_levers_jwt_verify(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, ngx_levers_jwt_ctx_t *ctx,
    ngx_str_t *token);
static const char *ngx_levers_jwt_required(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, json_t *payload);
static ngx_uint_t ngx_levers_jwt_generation(
    ngx_http_levers_jwt_loc_conf_t *jlcf);
static ngx_levers_jwt_entry_t *ngx_levers_jwt_cache_lookup(
    ngx_levers_jwt_cache_t *cache, u_char *digest);
static void ngx_levers_jwt_cache_insert(ngx_levers_jwt_cache_t *cache,
    u_char *digest, levers_jws_t *jws, ngx_uint_t generation,
    time_t leeway);
static void ngx_levers_jwt_cache_drop(ngx_levers_jwt_cache_t *cache,
    ngx_levers_jwt_entry_t *e);
static void ngx_levers_jwt_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);
static void ngx_levers_jwt_cache_cleanup(void *data);
static void ngx_levers_jwt_forget(ngx_levers_jwt_ctx_t *ctx);
static void ngx_levers_jwt_cleanup(void *data);
static ngx_levers_jwt_ctx_t *ngx_levers_jwt_verified(ngx_http_request_t *r);

static ngx_int_t ngx_http_levers_jwt_handler(ngx_http_request_t *r);
static ngx_int_t ngx_levers_jwt_deny(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, ngx_levers_jwt_ctx_t *ctx);
static u_char *ngx_levers_jwt_quote(u_char *p, const u_char *s, size_t len);
static size_t ngx_levers_jwt_quoted_len(const u_char *s, size_t len);
static ngx_int_t ngx_http_levers_jwt_precontent(ngx_http_request_t *r);
static ngx_int_t ngx_http_levers_jwt_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_levers_jwt_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);

static ngx_int_t ngx_levers_jwt_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_levers_jwt_header_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_levers_jwt_claim_set_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_levers_jwt_payload_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_levers_jwt_sub_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static json_t *ngx_levers_jwt_path(json_t *json, u_char *name, size_t len);
static ngx_int_t ngx_levers_jwt_json_value(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *json);

static ngx_int_t ngx_http_levers_jwt_add_variables(ngx_conf_t *cf);
static void *ngx_http_levers_jwt_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_levers_jwt_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_levers_jwt_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);
static ngx_int_t ngx_http_levers_jwt_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_levers_jwt_init_process(ngx_cycle_t *cycle);

static char *ngx_http_levers_jwt(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_jwt_key_file(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_jwt_key_url(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_jwt_algorithms(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_jwt_audience(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_jwt_require_claim(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_jwt_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_jwt_claim_set(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);


static ngx_command_t  ngx_http_levers_jwt_commands[] = {

    { ngx_string("levers_jwt"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_HTTP_LMT_CONF
                        |NGX_CONF_TAKE1,
      ngx_http_levers_jwt,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_key_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_jwt_key_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_key_url"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_levers_jwt_key_url,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_algorithms"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_levers_jwt_algorithms,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_leeway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_jwt_loc_conf_t, leeway),
      NULL },

    { ngx_string("levers_jwt_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_jwt_loc_conf_t, issuer),
      NULL },

    { ngx_string("levers_jwt_audience"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_levers_jwt_audience,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_require_claim"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_levers_jwt_require_claim,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_require_exp"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_jwt_loc_conf_t, require_exp),
      NULL },

    { ngx_string("levers_jwt_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_jwt_cache,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_jwt_claim_set"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
      ngx_http_levers_jwt_claim_set,
      0,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_levers_jwt_module_ctx = {
    ngx_http_levers_jwt_add_variables,     /* preconfiguration */
    ngx_http_levers_jwt_init,              /* postconfiguration */

    ngx_http_levers_jwt_create_main_conf,  /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_levers_jwt_create_loc_conf,   /* create location configuration */
    ngx_http_levers_jwt_merge_loc_conf     /* merge location configuration */
};


ngx_module_t  ngx_http_levers_jwt_module = {
    NGX_MODULE_V1,
    &ngx_http_levers_jwt_module_ctx,       /* module context */
    ngx_http_levers_jwt_commands,          /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_levers_jwt_init_process,      /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_variable_t  ngx_http_levers_jwt_vars[] = {

    { ngx_string(NGX_LEVERS_JWT_CLAIM_PREFIX), NULL,
      ngx_levers_jwt_claim_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

    { ngx_string(NGX_LEVERS_JWT_HEADER_PREFIX), NULL,
      ngx_levers_jwt_header_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

    { ngx_string("levers_jwt_payload"), NULL,
      ngx_levers_jwt_payload_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_jwt_sub"), NULL,
      ngx_levers_jwt_sub_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;


/* the check */


static ngx_levers_jwt_ctx_t *
ngx_levers_jwt_check(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf)
{
    ngx_int_t              rc;
    ngx_str_t              token;
    const char            *reason;
    ngx_pool_cleanup_t    *cln;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_jwt_module);

    if (ctx != NULL && ctx->checked) {
        return ctx;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_levers_jwt_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    ctx->jws.alg = -1;

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    cln->handler = ngx_levers_jwt_cleanup;
    cln->data = ctx;

    ngx_http_set_ctx(r, ctx, ngx_http_levers_jwt_module);

    ctx->checked = 1;
    ctx->status = NGX_HTTP_UNAUTHORIZED;

    rc = ngx_levers_jwt_token(r, &token, &reason);

    if (rc == NGX_DECLINED) {
        ctx->reason = reason;
        return ctx;
    }

    ctx->invalid = 1;

    if (rc != NGX_OK) {
        ctx->reason = reason;
        return ctx;
    }

    reason = ngx_levers_jwt_verify(r, jlcf, ctx, &token);

    if (reason != NULL) {
        ngx_levers_jwt_forget(ctx);
        ctx->reason = reason;
        return ctx;
    }

    reason = ngx_levers_jwt_required(r, jlcf, ctx->jws.payload);

    if (reason != NULL) {
        ngx_levers_jwt_forget(ctx);
        ctx->reason = reason;
        ctx->status = NGX_HTTP_FORBIDDEN;
        return ctx;
    }

    ctx->status = 0;

    return ctx;
}


/*
 * NGX_OK: a token; NGX_DECLINED: no Bearer credentials at all (RFC 6750
 * 3.1: no error code then, also for another scheme); NGX_ERROR: a
 * Bearer header that is not usable.
 */

static ngx_int_t
ngx_levers_jwt_token(ngx_http_request_t *r, ngx_str_t *token,
    const char **reason)
{
    u_char           *p, *last;
    ngx_table_elt_t  *h;

    h = r->headers_in.authorization;

    *reason = "missing bearer token";

    if (h == NULL) {
        return NGX_DECLINED;
    }

    p = h->value.data;
    last = p + h->value.len;

    if (h->value.len < sizeof("Bearer") - 1
        || ngx_strncasecmp(p, (u_char *) "Bearer", sizeof("Bearer") - 1)
           != 0
        || (h->value.len > sizeof("Bearer") - 1
            && p[sizeof("Bearer") - 1] != ' '))
    {
        return NGX_DECLINED;
    }

    if (h->value.len > NGX_LEVERS_JWT_HEADER_MAX) {
        *reason = "token too large";
        return NGX_ERROR;
    }

    p += sizeof("Bearer") - 1;

    while (p < last && *p == ' ') {
        p++;
    }

    while (last > p && (last[-1] == ' ' || last[-1] == '\t')) {
        last--;
    }

    if (p == last) {
        *reason = "empty bearer token";
        return NGX_ERROR;
    }

    if ((size_t) (last - p) > LEVERS_JWT_MAX_TOKEN) {
        *reason = "token too large";
        return NGX_ERROR;
    }

    token->data = p;
    token->len = last - p;

    return NGX_OK;
}


static const char *
ngx_levers_jwt_verify(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, ngx_levers_jwt_ctx_t *ctx,
    ngx_str_t *token)
{
    size_t                   n, nsets;
    ngx_uint_t               i;
    const char              *reason;
    levers_keyset_t         *stack[16], **sets;
    ngx_levers_jwt_url_t   **up;
    ngx_levers_jwt_file_t  **fp;
    ngx_uint_t               generation;
    levers_claims_policy_t   policy;
    ngx_levers_jwt_entry_t  *e;
    u_char                   digest[SHA256_DIGEST_LENGTH];

    generation = 0;

    if (jlcf->cache != NULL) {
        generation = ngx_levers_jwt_generation(jlcf);
        SHA256(token->data, token->len, digest);

        e = ngx_levers_jwt_cache_lookup(jlcf->cache, digest);

        if (e != NULL) {
            if (e->generation == generation && e->expires >= ngx_time()) {
                ngx_queue_remove(&e->queue);
                ngx_queue_insert_head(&jlcf->cache->lru, &e->queue);

                ctx->jws.header = json_incref(e->header);
                ctx->jws.payload = json_incref(e->payload);
                ctx->jws.alg = e->alg;
                ctx->jws.len = token->len;
                ctx->jws.kid = json_string_value(
                                   json_object_get(e->header, "kid"));

                ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                               "levers_jwt: token verified from cache");

                goto claims;
            }

            ngx_levers_jwt_cache_drop(jlcf->cache, e);
        }
    }

    reason = levers_jws_decode(&ctx->jws, (const char *) token->data,
                               token->len);
    if (reason != NULL) {
        return reason;
    }

    n = (jlcf->files ? jlcf->files->nelts : 0)
        + (jlcf->urls ? jlcf->urls->nelts : 0);

    sets = stack;

    if (n > sizeof(stack) / sizeof(stack[0])) {
        sets = ngx_palloc(r->pool, n * sizeof(levers_keyset_t *));
        if (sets == NULL) {
            return "out of memory";
        }
    }

    nsets = 0;

    if (jlcf->files) {
        fp = jlcf->files->elts;

        for (i = 0; i < jlcf->files->nelts; i++) {
            sets[nsets++] = fp[i]->keys;
        }
    }

    /* a refreshed set may replace these only between two events */

    if (jlcf->urls) {
        up = jlcf->urls->elts;

        for (i = 0; i < jlcf->urls->nelts; i++) {
            sets[nsets++] = levers_keyset_retain(up[i]->keys);
        }
    }

    /* ctx->jwt, when set, is freed by the request pool's cleanup */
    reason = levers_jws_verify(&ctx->jws, (const char *) token->data,
                               (unsigned) jlcf->algorithms, sets, nsets,
                               &ctx->jwt);

    for (i = nsets - (jlcf->urls ? jlcf->urls->nelts : 0); i < nsets; i++) {
        levers_keyset_release(sets[i]);
    }

    if (reason != NULL) {
        return reason;
    }

claims:

    policy.now = (long long) ngx_time();
    policy.leeway = (long long) jlcf->leeway;
    policy.require_exp = jlcf->require_exp ? 1 : 0;
    policy.issuer = jlcf->issuer.len ? (const char *) jlcf->issuer.data
                                     : NULL;
    policy.audiences = jlcf->audiences ? jlcf->audiences->elts : NULL;
    policy.naudiences = jlcf->audiences ? jlcf->audiences->nelts : 0;

    reason = levers_claims_check(ctx->jws.payload, &policy);

    /* only a token that passed is remembered: no junk fills the cache */

    if (reason == NULL && jlcf->cache != NULL && ctx->jws.sig != NULL) {
        ngx_levers_jwt_cache_insert(jlcf->cache, digest, &ctx->jws,
                                    generation, jlcf->leeway);
    }

    return reason;
}


/* changes whenever a key URL of the location swaps its set */

static ngx_uint_t
ngx_levers_jwt_generation(ngx_http_levers_jwt_loc_conf_t *jlcf)
{
    ngx_uint_t               i, generation;
    ngx_levers_jwt_url_t   **up;

    generation = 0;

    if (jlcf->urls) {
        up = jlcf->urls->elts;

        for (i = 0; i < jlcf->urls->nelts; i++) {
            generation += up[i]->generation;
        }
    }

    return generation;
}


static ngx_levers_jwt_entry_t *
ngx_levers_jwt_cache_lookup(ngx_levers_jwt_cache_t *cache, u_char *digest)
{
    ngx_int_t                rc;
    ngx_rbtree_key_t         key;
    ngx_rbtree_node_t       *node, *sentinel;
    ngx_levers_jwt_entry_t  *e;

    ngx_memcpy(&key, digest, sizeof(ngx_rbtree_key_t));

    node = cache->rbtree.root;
    sentinel = cache->rbtree.sentinel;

    while (node != sentinel) {

        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        e = (ngx_levers_jwt_entry_t *) node;

        rc = ngx_memcmp(digest, e->digest, SHA256_DIGEST_LENGTH);

        if (rc == 0) {
            return e;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


static void
ngx_levers_jwt_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t       **p;
    ngx_levers_jwt_entry_t   *e, *t;

    e = (ngx_levers_jwt_entry_t *) node;

    for ( ;; ) {

        if (node->key != temp->key) {
            p = (node->key < temp->key) ? &temp->left : &temp->right;

        } else {
            t = (ngx_levers_jwt_entry_t *) temp;
            p = (ngx_memcmp(e->digest, t->digest, SHA256_DIGEST_LENGTH) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


/*
 * Entries live until the token's "exp" (plus the leeway) at the latest;
 * when the cache is full the least recently used one is reused.
 */

static void
ngx_levers_jwt_cache_insert(ngx_levers_jwt_cache_t *cache, u_char *digest,
    levers_jws_t *jws, ngx_uint_t generation, time_t leeway)
{
    json_t                  *exp;
    ngx_queue_t             *q;
    ngx_levers_jwt_entry_t  *e;

    if (ngx_levers_jwt_cache_lookup(cache, digest) != NULL) {
        return;
    }

    if (cache->current >= cache->max) {
        q = ngx_queue_last(&cache->lru);
        ngx_levers_jwt_cache_drop(cache, ngx_queue_data(q,
                                             ngx_levers_jwt_entry_t, queue));
    }

    if (!ngx_queue_empty(&cache->free)) {
        q = ngx_queue_head(&cache->free);
        ngx_queue_remove(q);
        e = ngx_queue_data(q, ngx_levers_jwt_entry_t, queue);

    } else {
        e = ngx_alloc(sizeof(ngx_levers_jwt_entry_t), cache->log);
        if (e == NULL) {
            return;
        }
    }

    ngx_memcpy(e->digest, digest, SHA256_DIGEST_LENGTH);
    ngx_memcpy(&e->node.key, digest, sizeof(ngx_rbtree_key_t));

    e->header = json_incref(jws->header);
    e->payload = json_incref(jws->payload);
    e->alg = jws->alg;
    e->generation = generation;

    exp = json_object_get(jws->payload, "exp");

    if (json_is_number(exp)) {
        e->expires = (time_t) json_number_value(exp) + leeway;

    } else {
        e->expires = ngx_time() + NGX_LEVERS_JWT_CACHE_NO_EXP;
    }

    ngx_rbtree_insert(&cache->rbtree, &e->node);
    ngx_queue_insert_head(&cache->lru, &e->queue);
    cache->current++;
}


static void
ngx_levers_jwt_cache_drop(ngx_levers_jwt_cache_t *cache,
    ngx_levers_jwt_entry_t *e)
{
    ngx_rbtree_delete(&cache->rbtree, &e->node);
    ngx_queue_remove(&e->queue);

    json_decref(e->header);
    json_decref(e->payload);
    e->header = NULL;
    e->payload = NULL;

    ngx_queue_insert_head(&cache->free, &e->queue);
    cache->current--;
}


/* the configuration's pool cleanup: in the master and in each worker */

static void
ngx_levers_jwt_cache_cleanup(void *data)
{
    ngx_levers_jwt_cache_t  *cache = data;

    ngx_queue_t  *q;

    while (!ngx_queue_empty(&cache->lru)) {
        q = ngx_queue_head(&cache->lru);
        ngx_levers_jwt_cache_drop(cache, ngx_queue_data(q,
                                             ngx_levers_jwt_entry_t, queue));
    }

    while (!ngx_queue_empty(&cache->free)) {
        q = ngx_queue_head(&cache->free);
        ngx_queue_remove(q);
        ngx_free(ngx_queue_data(q, ngx_levers_jwt_entry_t, queue));
    }
}


static const char *
ngx_levers_jwt_required(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, json_t *payload)
{
    ngx_uint_t               i;
    ngx_levers_jwt_claim_t  *c;

    if (jlcf->claims == NULL) {
        return NULL;
    }

    c = jlcf->claims->elts;

    for (i = 0; i < jlcf->claims->nelts; i++) {
        if (!levers_claim_matches(json_object_get(payload,
                                                  (char *) c[i].name.data),
                                  (const char *) c[i].value.data,
                                  c[i].value.len))
        {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "levers_jwt: claim \"%V\" %s", &c[i].name,
                          c[i].value.data ? "missing or not the required "
                                            "value"
                                          : "missing");
            return "insufficient scope";
        }
    }

    return NULL;
}


/* a token that failed: nothing of it is kept */

static void
ngx_levers_jwt_forget(ngx_levers_jwt_ctx_t *ctx)
{
    levers_jws_free(&ctx->jws);

    if (ctx->jwt != NULL) {
        jwt_free(ctx->jwt);
        ctx->jwt = NULL;
    }
}


/* the request pool's cleanup: our JSON and libjwt's jwt_t */

static void
ngx_levers_jwt_cleanup(void *data)
{
    ngx_levers_jwt_ctx_t  *ctx = data;

    ngx_levers_jwt_forget(ctx);
}


/*
 * The context of a verified token, for variables and other modules:
 * that of the main request; after an internal redirect (which resets
 * module contexts) it is found again through the pool cleanup, as the
 * realip module does.  In a location where levers_jwt is on, a request
 * not yet checked is checked now.
 */

static ngx_levers_jwt_ctx_t *
ngx_levers_jwt_verified(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t              *cln;
    ngx_levers_jwt_ctx_t            *ctx;
    ngx_http_levers_jwt_loc_conf_t  *jlcf;

    r = r->main;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_jwt_module);

    if (ctx == NULL) {
        jlcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_jwt_module);

        if (jlcf->realm != NULL) {
            ctx = ngx_levers_jwt_check(r, jlcf);

        } else {
            for (cln = r->pool->cleanup; cln; cln = cln->next) {
                if (cln->handler == ngx_levers_jwt_cleanup) {
                    ctx = cln->data;
                    break;
                }
            }
        }
    }

    if (ctx == NULL || !ctx->checked || ctx->status != 0) {
        return NULL;
    }

    return ctx;
}


ngx_int_t
ngx_levers_jwt_subject(ngx_http_request_t *r, ngx_str_t *sub)
{
    json_t                *v;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_levers_jwt_verified(r);
    if (ctx == NULL) {
        return NGX_DECLINED;
    }

    v = json_object_get(ctx->jws.payload, "sub");
    if (!json_is_string(v)) {
        return NGX_DECLINED;
    }

    sub->data = (u_char *) json_string_value(v);
    sub->len = json_string_length(v);

    return NGX_OK;
}


/* the access handler and the answers */


static ngx_int_t
ngx_http_levers_jwt_handler(ngx_http_request_t *r)
{
    ngx_levers_jwt_ctx_t            *ctx;
    ngx_http_levers_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_jwt_module);

    if (jlcf->realm == NULL) {
        return NGX_DECLINED;
    }

    ctx = ngx_levers_jwt_check(r, jlcf);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->status == 0) {
        return NGX_OK;
    }

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_jwt: %s", ctx->reason);

    return ngx_levers_jwt_deny(r, jlcf, ctx);
}


/*
 * Sets the RFC 6750 challenge and prepares the JSON body the filters
 * send if nginx answers with its own page; returns the status, as
 * auth_basic does.
 */

static ngx_int_t
ngx_levers_jwt_deny(ngx_http_request_t *r,
    ngx_http_levers_jwt_loc_conf_t *jlcf, ngx_levers_jwt_ctx_t *ctx)
{
    u_char           *p;
    size_t            len, rlen;
    ngx_str_t         realm;
    const char       *error;
    ngx_table_elt_t  *h;

    if (ngx_http_complex_value(r, jlcf->realm, &realm) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    error = NULL;

    if (ctx->status == NGX_HTTP_FORBIDDEN) {
        error = "insufficient_scope";

    } else if (ctx->invalid) {
        error = "invalid_token";
    }

    rlen = ngx_strlen(ctx->reason);

    len = sizeof("Bearer realm=\"\"") - 1
          + ngx_levers_jwt_quoted_len(realm.data, realm.len);

    if (error) {
        len += sizeof(", error=\"\", error_description=\"\"") - 1
               + ngx_strlen(error)
               + ngx_levers_jwt_quoted_len((u_char *) ctx->reason, rlen);
    }

    h = ngx_list_push(&r->headers_out.headers);
    p = ngx_pnalloc(r->pool, len);

    if (h == NULL || p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "WWW-Authenticate");
    h->value.data = p;

    p = ngx_cpymem(p, "Bearer realm=\"", sizeof("Bearer realm=\"") - 1);
    p = ngx_levers_jwt_quote(p, realm.data, realm.len);
    *p++ = '"';

    if (error) {
        p = ngx_cpymem(p, ", error=\"", sizeof(", error=\"") - 1);
        p = ngx_cpymem(p, error, ngx_strlen(error));
        p = ngx_cpymem(p, "\", error_description=\"",
                       sizeof("\", error_description=\"") - 1);
        p = ngx_levers_jwt_quote(p, (u_char *) ctx->reason, rlen);
        *p++ = '"';
    }

    h->value.len = p - h->value.data;

    r->headers_out.www_authenticate = h;
    ctx->challenge = h;

    /* {"detail":"<reason>"}: the reasons are ASCII without controls */

    len = sizeof("{\"detail\":\"\"}\n") - 1
          + ngx_levers_jwt_quoted_len((u_char *) ctx->reason, rlen);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->body.data = p;
    p = ngx_cpymem(p, "{\"detail\":\"", sizeof("{\"detail\":\"") - 1);
    p = ngx_levers_jwt_quote(p, (u_char *) ctx->reason, rlen);
    p = ngx_cpymem(p, "\"}\n", sizeof("\"}\n") - 1);
    ctx->body.len = p - ctx->body.data;

    ctx->pending = 1;

    return ctx->status;
}


/* backslash before '"' and '\': both quoted-string and JSON */

static u_char *
ngx_levers_jwt_quote(u_char *p, const u_char *s, size_t len)
{
    while (len--) {
        if (*s == '"' || *s == '\\') {
            *p++ = '\\';
        }

        *p++ = *s++;
    }

    return p;
}


static size_t
ngx_levers_jwt_quoted_len(const u_char *s, size_t len)
{
    size_t  n;

    for (n = len; len--; s++) {
        if (*s == '"' || *s == '\\') {
            n++;
        }
    }

    return n;
}


/* the request was let in: an earlier denial is not the answer */

static ngx_int_t
ngx_http_levers_jwt_precontent(ngx_http_request_t *r)
{
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_jwt_module);

    if (ctx != NULL && ctx->pending) {
        ctx->pending = 0;

        if (ctx->challenge) {
            ctx->challenge->hash = 0;
        }
    }

    return NGX_DECLINED;
}


static ngx_int_t
ngx_http_levers_jwt_header_filter(ngx_http_request_t *r)
{
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_jwt_module);

    if (ctx == NULL
        || !ctx->pending
        || r != r->main
        || r->err_status != ctx->status
        || r->headers_out.content_length_n <= 0)
    {
        return ngx_http_next_header_filter(r);
    }

    ctx->pending = 0;
    ctx->rendering = 1;

    r->headers_out.content_type_len = sizeof("application/json") - 1;
    ngx_str_set(&r->headers_out.content_type, "application/json");
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.charset.len = 0;

    r->headers_out.content_length_n = ctx->body.len;

    if (r->headers_out.content_length) {
        r->headers_out.content_length->hash = 0;
        r->headers_out.content_length = NULL;
    }

    return ngx_http_next_header_filter(r);
}


static ngx_int_t
ngx_http_levers_jwt_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_buf_t             *b;
    ngx_chain_t            out, *cl;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_levers_jwt_module);

    if (ctx == NULL || !(ctx->rendering || ctx->rendered)) {
        return ngx_http_next_body_filter(r, in);
    }

    /* nginx's HTML page is consumed, never sent */

    for (cl = in; cl; cl = cl->next) {
        if (ngx_buf_in_memory(cl->buf)) {
            cl->buf->pos = cl->buf->last;
        }
    }

    if (ctx->rendered) {
        return ngx_http_next_body_filter(r, NULL);
    }

    ctx->rendering = 0;
    ctx->rendered = 1;

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->memory = 1;
    b->pos = ctx->body.data;
    b->last = ctx->body.data + ctx->body.len;
    b->last_buf = 1;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_next_body_filter(r, &out);
}


/* variables */


static ngx_int_t
ngx_levers_jwt_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t             *name = (ngx_str_t *) data;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_levers_jwt_verified(r);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_levers_jwt_json_value(r, v,
               ngx_levers_jwt_path(ctx->jws.payload,
                   name->data + sizeof(NGX_LEVERS_JWT_CLAIM_PREFIX) - 1,
                   name->len - (sizeof(NGX_LEVERS_JWT_CLAIM_PREFIX) - 1)));
}


static ngx_int_t
ngx_levers_jwt_header_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t             *name = (ngx_str_t *) data;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_levers_jwt_verified(r);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_levers_jwt_json_value(r, v,
               ngx_levers_jwt_path(ctx->jws.header,
                   name->data + sizeof(NGX_LEVERS_JWT_HEADER_PREFIX) - 1,
                   name->len - (sizeof(NGX_LEVERS_JWT_HEADER_PREFIX) - 1)));
}


/* levers_jwt_claim_set: data is an array of NUL-terminated names */

static ngx_int_t
ngx_levers_jwt_claim_set_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_array_t           *path = (ngx_array_t *) data;
    json_t                *json;
    ngx_str_t             *name;
    ngx_uint_t             i;
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_levers_jwt_verified(r);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    json = ctx->jws.payload;
    name = path->elts;

    for (i = 0; json != NULL && i < path->nelts; i++) {
        json = json_object_get(json, (const char *) name[i].data);
    }

    return ngx_levers_jwt_json_value(r, v, json);
}


static ngx_int_t
ngx_levers_jwt_payload_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_levers_jwt_ctx_t  *ctx;

    ctx = ngx_levers_jwt_verified(r);
    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_levers_jwt_json_value(r, v, ctx->jws.payload);
}


static ngx_int_t
ngx_levers_jwt_sub_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t  sub;

    if (ngx_levers_jwt_subject(r, &sub) != NGX_OK) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->data = sub.data;
    v->len = sub.len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


/*
 * A member of an object by a variable name's tail: "__" descends into
 * an object ("realm_access__roles" is realm_access.roles); a single "_"
 * is part of the name.  Names in variables are lower case (nginx folds
 * them): levers_jwt_claim_set reaches any name.
 */

static json_t *
ngx_levers_jwt_path(json_t *json, u_char *name, size_t len)
{
    u_char  *p, *last, *end;
    char     key[256];

    p = name;
    last = name + len;

    while (json != NULL && p < last) {
        end = ngx_strlcasestrn(p, last, (u_char *) "__", 2 - 1);
        if (end == NULL) {
            end = last;
        }

        if ((size_t) (end - p) >= sizeof(key)) {
            return NULL;
        }

        ngx_memcpy(key, p, end - p);
        key[end - p] = '\0';

        json = json_object_get(json, key);

        p = (end == last) ? last : end + 2;
    }

    return json;
}


/*
 * Strings as they are, unless they hold a control character: then as
 * JSON, so a value put into a header can never split it.  Other values
 * as compact JSON.
 */

static ngx_int_t
ngx_levers_jwt_json_value(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *json)
{
    char        *text;
    size_t       i, len;
    const char  *s;

    if (json == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    if (json_is_string(json)) {
        s = json_string_value(json);
        len = json_string_length(json);

        for (i = 0; i < len; i++) {
            if ((u_char) s[i] < 0x20 || s[i] == 0x7f) {
                break;
            }
        }

        if (i == len) {
            v->data = (u_char *) s;
            v->len = len;
            return NGX_OK;
        }
    }

    text = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL) {
        return NGX_ERROR;
    }

    len = ngx_strlen(text);

    v->data = ngx_pnalloc(r->pool, len);
    if (v->data == NULL) {
        free(text);
        return NGX_ERROR;
    }

    ngx_memcpy(v->data, text, len);
    v->len = len;
    free(text);

    return NGX_OK;
}


/* configuration */


static ngx_int_t
ngx_http_levers_jwt_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_levers_jwt_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static void *
ngx_http_levers_jwt_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_levers_jwt_main_conf_t  *jmcf;

    jmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_levers_jwt_main_conf_t));
    if (jmcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&jmcf->files, cf->pool, 4,
                       sizeof(ngx_levers_jwt_file_t *))
        != NGX_OK
        || ngx_array_init(&jmcf->urls, cf->pool, 4,
                          sizeof(ngx_levers_jwt_url_t *))
           != NGX_OK)
    {
        return NULL;
    }

    return jmcf;
}


static void *
ngx_http_levers_jwt_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_levers_jwt_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_levers_jwt_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     conf->issuer = { 0, NULL };
     */

    conf->realm = NGX_CONF_UNSET_PTR;
    conf->files = NGX_CONF_UNSET_PTR;
    conf->urls = NGX_CONF_UNSET_PTR;
    conf->algorithms = NGX_CONF_UNSET_UINT;
    conf->leeway = NGX_CONF_UNSET;
    conf->audiences = NGX_CONF_UNSET_PTR;
    conf->claims = NGX_CONF_UNSET_PTR;
    conf->require_exp = NGX_CONF_UNSET;
    conf->cache_max = NGX_CONF_UNSET_UINT;

    return conf;
}


static char *
ngx_http_levers_jwt_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child)
{
    ngx_http_levers_jwt_loc_conf_t  *prev = parent;
    ngx_http_levers_jwt_loc_conf_t  *conf = child;

    ngx_pool_cleanup_t              *cln;
    ngx_levers_jwt_cache_t          *cache;

    ngx_conf_merge_ptr_value(conf->realm, prev->realm, NULL);

    /* key files and key URLs are one list: set either, replace both */
    if (conf->files == NGX_CONF_UNSET_PTR
        && conf->urls == NGX_CONF_UNSET_PTR)
    {
        conf->files = prev->files;
        conf->urls = prev->urls;
    }

    ngx_conf_merge_ptr_value(conf->files, NULL, NULL);
    ngx_conf_merge_ptr_value(conf->urls, NULL, NULL);

    ngx_conf_merge_uint_value(conf->algorithms, prev->algorithms,
                              LEVERS_ALG_DEFAULT_MASK);
    ngx_conf_merge_sec_value(conf->leeway, prev->leeway, 0);
    ngx_conf_merge_str_value(conf->issuer, prev->issuer, "");
    ngx_conf_merge_ptr_value(conf->audiences, prev->audiences, NULL);
    ngx_conf_merge_ptr_value(conf->claims, prev->claims, NULL);
    ngx_conf_merge_value(conf->require_exp, prev->require_exp, 1);
    ngx_conf_merge_uint_value(conf->cache_max, prev->cache_max, 1024);

    /* each location its own cache: its keys and rules, never another's */

    if (conf->realm != NULL && conf->cache_max > 0) {
        cache = ngx_pcalloc(cf->pool, sizeof(ngx_levers_jwt_cache_t));
        if (cache == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_rbtree_init(&cache->rbtree, &cache->sentinel,
                        ngx_levers_jwt_rbtree_insert);
        ngx_queue_init(&cache->lru);
        ngx_queue_init(&cache->free);
        cache->max = conf->cache_max;
        cache->log = cf->cycle->log;

        cln = ngx_pool_cleanup_add(cf->pool, 0);
        if (cln == NULL) {
            return NGX_CONF_ERROR;
        }

        cln->handler = ngx_levers_jwt_cache_cleanup;
        cln->data = cache;

        conf->cache = cache;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_levers_jwt_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_levers_jwt_handler;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_PRECONTENT_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_levers_jwt_precontent;

    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_levers_jwt_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_levers_jwt_body_filter;

    return NGX_OK;
}


static ngx_int_t
ngx_http_levers_jwt_init_process(ngx_cycle_t *cycle)
{
    return ngx_levers_jwt_keys_init_process(cycle);
}


static char *
ngx_http_levers_jwt(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                         *value;
    ngx_http_compile_complex_value_t   ccv;

    if (jlcf->realm != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->realm = NULL;
        return NGX_CONF_OK;
    }

    jlcf->realm = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
    if (jlcf->realm == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

    ccv.cf = cf;
    ccv.value = &value[1];
    ccv.complex_value = jlcf->realm;

    if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_key_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t               *value;
    ngx_levers_jwt_file_t   *f, **fp;

    value = cf->args->elts;

    if (jlcf->files == NGX_CONF_UNSET_PTR || jlcf->files == NULL) {
        jlcf->files = ngx_array_create(cf->pool, 2,
                                       sizeof(ngx_levers_jwt_file_t *));
        if (jlcf->files == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    f = ngx_levers_jwt_key_file(cf, &value[1]);
    if (f == NULL) {
        return NGX_CONF_ERROR;
    }

    fp = ngx_array_push(jlcf->files);
    if (fp == NULL) {
        return NGX_CONF_ERROR;
    }

    *fp = f;

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_key_url(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t              *value, s;
    ngx_msec_t              refresh;
    ngx_levers_jwt_url_t   *u, **up;

    value = cf->args->elts;

    if (ngx_strncmp(value[1].data, "http://", 7) != 0
        && ngx_strncmp(value[1].data, "https://", 8) != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "levers_jwt_key_url \"%V\" is not an http:// or "
                           "https:// URL", &value[1]);
        return NGX_CONF_ERROR;
    }

    refresh = 600000;

    if (cf->args->nelts == 3) {
        if (ngx_strncmp(value[2].data, "refresh=", 8) != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[2]);
            return NGX_CONF_ERROR;
        }

        s.data = value[2].data + 8;
        s.len = value[2].len - 8;

        refresh = ngx_parse_time(&s, 0);
        if (refresh == (ngx_msec_t) NGX_ERROR || refresh < 1000) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid refresh time \"%V\" (1s at least)",
                               &s);
            return NGX_CONF_ERROR;
        }

#if !(NGX_THREADS)
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"refresh=\" needs nginx built with threads");
        return NGX_CONF_ERROR;
#endif
    }

    if (jlcf->urls == NGX_CONF_UNSET_PTR || jlcf->urls == NULL) {
        jlcf->urls = ngx_array_create(cf->pool, 2,
                                      sizeof(ngx_levers_jwt_url_t *));
        if (jlcf->urls == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    u = ngx_levers_jwt_key_url(cf, &value[1], refresh);
    if (u == NULL) {
        return NGX_CONF_ERROR;
    }

    up = ngx_array_push(jlcf->urls);
    if (up == NULL) {
        return NGX_CONF_ERROR;
    }

    *up = u;

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    int          alg;
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (jlcf->algorithms != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;
    jlcf->algorithms = 0;

    for (i = 1; i < cf->args->nelts; i++) {
        if (value[i].len == 4
            && ngx_strncasecmp(value[i].data, (u_char *) "none", 4) == 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "algorithm \"none\" is never accepted");
            return NGX_CONF_ERROR;
        }

        alg = levers_alg_from_name((const char *) value[i].data,
                                   value[i].len);
        if (alg < 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "unknown algorithm \"%V\" (HS256, HS384, "
                               "HS512, RS256, RS384, RS512, ES256, ES384, "
                               "ES512, PS256, PS384, PS512)", &value[i]);
            return NGX_CONF_ERROR;
        }

        jlcf->algorithms |= LEVERS_ALG_BIT(alg);
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_audience(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    char        **aud;
    ngx_str_t    *value;
    ngx_uint_t    i;

    if (jlcf->audiences != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    jlcf->audiences = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                       sizeof(char *));
    if (jlcf->audiences == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        aud = ngx_array_push(jlcf->audiences);
        if (aud == NULL) {
            return NGX_CONF_ERROR;
        }

        /* configuration strings are NUL-terminated */
        *aud = (char *) value[i].data;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_require_claim(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t               *value;
    ngx_levers_jwt_claim_t  *c;

    value = cf->args->elts;

    if (jlcf->claims == NGX_CONF_UNSET_PTR) {
        jlcf->claims = ngx_array_create(cf->pool, 2,
                                        sizeof(ngx_levers_jwt_claim_t));
        if (jlcf->claims == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    if (value[1].len == 0) {
        return "takes a claim name";
    }

    c = ngx_array_push(jlcf->claims);
    if (c == NULL) {
        return NGX_CONF_ERROR;
    }

    c->name = value[1];
    ngx_str_null(&c->value);

    if (cf->args->nelts == 3) {
        c->value = value[2];
    }

    return NGX_CONF_OK;
}



/* levers_jwt_cache <number> | off */

static char *
ngx_http_levers_jwt_cache(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_jwt_loc_conf_t  *jlcf = conf;

    ngx_int_t   n;
    ngx_str_t  *value;

    if (jlcf->cache_max != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->cache_max = 0;
        return NGX_CONF_OK;
    }

    n = ngx_atoi(value[1].data, value[1].len);

    if (n == NGX_ERROR || n == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, "
                           "a positive number or \"off\" expected",
                           &value[1], &cmd->name);
        return NGX_CONF_ERROR;
    }

    jlcf->cache_max = (ngx_uint_t) n;

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_jwt_claim_set(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_str_t            *value, *name;
    ngx_uint_t            i;
    ngx_array_t          *path;
    ngx_http_variable_t  *v;

    value = cf->args->elts;

    if (value[1].len < 2 || value[1].data[0] != '$') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid variable name \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    value[1].len--;
    value[1].data++;

    v = ngx_http_add_variable(cf, &value[1], NGX_HTTP_VAR_NOCACHEABLE);
    if (v == NULL) {
        return NGX_CONF_ERROR;
    }

    path = ngx_array_create(cf->pool, cf->args->nelts - 2,
                            sizeof(ngx_str_t));
    if (path == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 2; i < cf->args->nelts; i++) {
        name = ngx_array_push(path);
        if (name == NULL) {
            return NGX_CONF_ERROR;
        }

        *name = value[i];
    }

    v->get_handler = ngx_levers_jwt_claim_set_variable;
    v->data = (uintptr_t) path;

    return NGX_CONF_OK;
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The Levers "Call Contact Bulk" endpoint inside nginx: the module
 * definition, its directives, and the wiring of the content handler,
 * filters and variables.  The request flow lives in src/:
 *
 *   ngx_levers_body.c      read the body, parse, validate, plan
 *   ngx_levers_dispatch.c  batches as subrequests to the gateway location
 *   ngx_levers_response.c  the JSON answers
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#if (NGX_LINUX)
#include <malloc.h>
#endif

#include "ngx_levers_bulk.h"
#include "levers_phone.h"


static ngx_int_t ngx_http_levers_bulk_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_levers_bulk_add_variables(ngx_conf_t *cf);
static size_t ngx_http_levers_bulk_pool_bytes(ngx_pool_t *pool);
static ngx_int_t ngx_http_levers_bulk_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_levers_bulk_init(ngx_conf_t *cf);
static void *ngx_http_levers_bulk_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_levers_bulk_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);
static char *ngx_http_levers_bulk(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_bulk_gateway(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_bulk_num(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_bulk_enum(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_bulk_region(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_levers_bulk_template(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_levers_bulk_default_template(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static levers_template_t *ngx_http_levers_bulk_load_template(ngx_conf_t *cf,
    ngx_command_t *cmd, ngx_str_t *file);
static void ngx_http_levers_bulk_free_template(void *data);
static ngx_int_t ngx_http_levers_bulk_parse_uuid(ngx_str_t *s, u_char *out);


/* bounds for ngx_http_levers_bulk_num(): low and high */
static ngx_int_t  ngx_http_levers_bulk_batch_bounds[] = {
    LEVERS_BATCH_MIN, LEVERS_BATCH_MAX
};

static ngx_int_t  ngx_http_levers_bulk_concurrency_bounds[] = { 1, 1024 };
static ngx_int_t  ngx_http_levers_bulk_contacts_bounds[] = { 1, 1000000 };
static ngx_int_t  ngx_http_levers_bulk_errors_bounds[] = { 1, 1000000 };


static ngx_conf_enum_t  ngx_http_levers_bulk_invalid_number[] = {
    { ngx_string("error"), NGX_LEVERS_INVALID_NUMBER_ERROR },
    { ngx_string("skip"), NGX_LEVERS_INVALID_NUMBER_SKIP },
    { ngx_null_string, 0 }
};


static ngx_conf_enum_t  ngx_http_levers_bulk_missing_tag[] = {
    { ngx_string("error"), LEVERS_TAG_MISSING_ERROR },
    { ngx_string("keep"), LEVERS_TAG_MISSING_KEEP },
    { ngx_string("empty"), LEVERS_TAG_MISSING_EMPTY },
    { ngx_null_string, 0 }
};


static ngx_command_t  ngx_http_levers_bulk_commands[] = {

    { ngx_string("levers_bulk"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_levers_bulk,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_bulk_gateway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_gateway,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, gateway),
      NULL },

    { ngx_string("levers_bulk_batch_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_num,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, batch_size),
      ngx_http_levers_bulk_batch_bounds },

    { ngx_string("levers_bulk_concurrency"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_num,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, concurrency),
      ngx_http_levers_bulk_concurrency_bounds },

    { ngx_string("levers_bulk_max_contacts"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_num,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, max_contacts),
      ngx_http_levers_bulk_contacts_bounds },

    { ngx_string("levers_bulk_max_errors"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_num,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, max_errors),
      ngx_http_levers_bulk_errors_bounds },

    { ngx_string("levers_bulk_gateway_answer_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, gateway_answer_max),
      NULL },

    { ngx_string("levers_bulk_default_region"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_region,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, default_region),
      NULL },

    { ngx_string("levers_bulk_e164"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, normalise),
      NULL },

    { ngx_string("levers_bulk_dedupe"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, dedupe),
      NULL },

    { ngx_string("levers_bulk_invalid_number"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_enum,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, invalid_number),
      &ngx_http_levers_bulk_invalid_number },

    { ngx_string("levers_bulk_missing_tag"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_enum,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_levers_bulk_loc_conf_t, missing_tag),
      &ngx_http_levers_bulk_missing_tag },

    { ngx_string("levers_bulk_template"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_levers_bulk_template,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_bulk_idempotency"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_levers_idem_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("levers_bulk_default_template"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_levers_bulk_default_template,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_levers_bulk_module_ctx = {
    ngx_http_levers_bulk_add_variables,    /* preconfiguration */
    ngx_http_levers_bulk_init,             /* postconfiguration */

    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_levers_bulk_create_loc_conf,  /* create location configuration */
    ngx_http_levers_bulk_merge_loc_conf    /* merge location configuration */
};


ngx_module_t  ngx_http_levers_bulk_module = {
    NGX_MODULE_V1,
    &ngx_http_levers_bulk_module_ctx,      /* module context */
    ngx_http_levers_bulk_commands,         /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


#define NGX_LEVERS_VAR_ID        0
#define NGX_LEVERS_VAR_TOTAL     1
#define NGX_LEVERS_VAR_ACCEPTED  2
#define NGX_LEVERS_VAR_SKIPPED   3
#define NGX_LEVERS_VAR_FAILED    4
#define NGX_LEVERS_VAR_POOL      5


static ngx_http_variable_t  ngx_http_levers_bulk_vars[] = {

    { ngx_string("levers_bulk_id"), NULL, ngx_http_levers_bulk_variable,
      NGX_LEVERS_VAR_ID, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_bulk_total"), NULL, ngx_http_levers_bulk_variable,
      NGX_LEVERS_VAR_TOTAL, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_bulk_accepted"), NULL, ngx_http_levers_bulk_variable,
      NGX_LEVERS_VAR_ACCEPTED, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_bulk_skipped"), NULL, ngx_http_levers_bulk_variable,
      NGX_LEVERS_VAR_SKIPPED, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_bulk_failed"), NULL, ngx_http_levers_bulk_variable,
      NGX_LEVERS_VAR_FAILED, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("levers_bulk_pool_bytes"), NULL,
      ngx_http_levers_bulk_variable, NGX_LEVERS_VAR_POOL,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


static ngx_str_t  ngx_http_levers_bulk_allow = ngx_string("POST");


static ngx_int_t
ngx_http_levers_bulk_handler(ngx_http_request_t *r)
{
    ngx_int_t         rc;
    ngx_table_elt_t  *h;

    if (r != r->main) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "levers_bulk cannot serve a subrequest");
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (!(r->method & NGX_HTTP_POST)) {
        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
#if (nginx_version >= 1023000)
        h->next = NULL;
#endif
        ngx_str_set(&h->key, "Allow");
        h->value = ngx_http_levers_bulk_allow;

        return ngx_levers_send_detail(r, NGX_HTTP_NOT_ALLOWED,
                                      "Method Not Allowed");
    }

    return ngx_levers_body_read(r);
}


static ngx_int_t
ngx_http_levers_bulk_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_levers_bulk_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_levers_bulk_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    size_t                       n;
    u_char                      *p;
    ngx_http_levers_bulk_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r->main, ngx_http_levers_bulk_module);

    if (ctx == NULL || !ctx->planned) {
        v->not_found = 1;
        return NGX_OK;
    }

    if (data == NGX_LEVERS_VAR_ID) {
        v->data = ctx->bulk_id;
        v->len = 36;
        v->valid = 1;
        v->no_cacheable = 1;
        v->not_found = 0;
        return NGX_OK;
    }

    switch (data) {
    case NGX_LEVERS_VAR_TOTAL:
        n = ctx->req.ncontacts;
        break;
    case NGX_LEVERS_VAR_ACCEPTED:
        n = ctx->accepted;
        break;
    case NGX_LEVERS_VAR_SKIPPED:
        n = ctx->plan.nskipped;
        break;
    case NGX_LEVERS_VAR_FAILED:
        n = ctx->failed;
        break;
    default: /* NGX_LEVERS_VAR_POOL */
        n = ngx_http_levers_bulk_pool_bytes(r->main->pool)
            + ctx->inflight_peak;
        break;
    }

    p = ngx_pnalloc(r->pool, NGX_SIZE_T_LEN);
    if (p == NULL) {
        return NGX_ERROR;
    }

    v->data = p;
    v->len = ngx_sprintf(p, "%uz", n) - p;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


/*
 * The request pool's memory now: its blocks and its large allocations
 * (glibc's malloc_usable_size(); elsewhere their count is all we know).
 * With the batch bodies freed as batches end, $levers_bulk_pool_bytes
 * adds the most of them in flight at once: a bound on the pool's peak.
 */

static size_t
ngx_http_levers_bulk_pool_bytes(ngx_pool_t *pool)
{
    size_t             n;
    ngx_pool_t        *p;
    ngx_pool_large_t  *l;

    n = 0;

    for (p = pool; p; p = p->d.next) {
        n += p->d.end - (u_char *) p;
    }

    for (l = pool->large; l; l = l->next) {
        if (l->alloc) {
#if (NGX_LINUX)
            n += malloc_usable_size(l->alloc);
#else
            n += sizeof(ngx_pool_large_t);
#endif
        }
    }

    return n;
}


static ngx_int_t
ngx_http_levers_bulk_init(ngx_conf_t *cf)
{
    /*
     * libphonenumber loads its metadata on first use (tens of
     * milliseconds): do it here, in the master, before workers fork
     */
    (void) levers_phone_region_supported("US");

    return ngx_levers_dispatch_init_filters(cf);
}


static void *
ngx_http_levers_bulk_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_levers_bulk_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_levers_bulk_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     conf->gateway = { 0, NULL };
     *     conf->default_region = { 0, NULL };
     */

    conf->enable = NGX_CONF_UNSET;
    conf->batch_size = NGX_CONF_UNSET_UINT;
    conf->concurrency = NGX_CONF_UNSET_UINT;
    conf->max_contacts = NGX_CONF_UNSET_UINT;
    conf->max_errors = NGX_CONF_UNSET_UINT;
    conf->gateway_answer_max = NGX_CONF_UNSET_SIZE;
    conf->normalise = NGX_CONF_UNSET;
    conf->dedupe = NGX_CONF_UNSET;
    conf->invalid_number = NGX_CONF_UNSET_UINT;
    conf->missing_tag = NGX_CONF_UNSET_UINT;
    conf->templates = NGX_CONF_UNSET_PTR;
    conf->default_template = NGX_CONF_UNSET_PTR;
    conf->idem_zone = NGX_CONF_UNSET_PTR;
    conf->idem_ttl = NGX_CONF_UNSET;

    return conf;
}


static char *
ngx_http_levers_bulk_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_levers_bulk_loc_conf_t *prev = parent;
    ngx_http_levers_bulk_loc_conf_t *conf = child;

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_str_value(conf->gateway, prev->gateway, "");
    ngx_conf_merge_uint_value(conf->batch_size, prev->batch_size, 100);
    ngx_conf_merge_uint_value(conf->concurrency, prev->concurrency, 4);
    ngx_conf_merge_uint_value(conf->max_contacts, prev->max_contacts, 10000);
    ngx_conf_merge_uint_value(conf->max_errors, prev->max_errors, 1000);
    ngx_conf_merge_size_value(conf->gateway_answer_max,
                              prev->gateway_answer_max, 1024 * 1024);
    ngx_conf_merge_str_value(conf->default_region, prev->default_region, "");
    ngx_conf_merge_value(conf->normalise, prev->normalise, 1);
    ngx_conf_merge_value(conf->dedupe, prev->dedupe, 1);
    ngx_conf_merge_uint_value(conf->invalid_number, prev->invalid_number,
                              NGX_LEVERS_INVALID_NUMBER_ERROR);
    ngx_conf_merge_uint_value(conf->missing_tag, prev->missing_tag,
                              LEVERS_TAG_MISSING_ERROR);
    ngx_conf_merge_ptr_value(conf->templates, prev->templates, NULL);
    ngx_conf_merge_ptr_value(conf->default_template, prev->default_template,
                             NULL);

    ngx_conf_merge_ptr_value(conf->idem_zone, prev->idem_zone, NULL);
    ngx_conf_merge_sec_value(conf->idem_ttl, prev->idem_ttl, 86400);

    if (conf->file.len == 0) {
        conf->file = prev->file;
        conf->line = prev->line;
    }

    if (conf->enable && conf->gateway.len == 0) {
        ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                      "\"levers_bulk\" needs \"levers_bulk_gateway\" "
                      "in %V:%ui", &conf->file, conf->line);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_bulk(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_bulk_loc_conf_t *blcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (blcf->enable != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    blcf->enable = 1;

    /* where to point if levers_bulk_gateway turns out to be missing */
    blcf->file = cf->conf_file->file.name;
    blcf->line = cf->conf_file->line;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_levers_bulk_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_bulk_gateway(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t  *value;
    char       *rv;

    rv = ngx_conf_set_str_slot(cf, cmd, conf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    value = cf->args->elts;

    if (value[1].len == 0 || value[1].data[0] != '/') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"%V\" location \"%V\": "
                           "a URI starting with \"/\" is expected",
                           &cmd->name, &value[1]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* a number within cmd->post's bounds; the message names the directive */

static char *
ngx_http_levers_bulk_num(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char        *p = conf;

    ngx_int_t   *np, *bounds;
    ngx_str_t   *value;

    np = (ngx_int_t *) (p + cmd->offset);

    if (*np != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;
    bounds = cmd->post;

    *np = ngx_atoi(value[1].data, value[1].len);

    if (*np == NGX_ERROR || *np < bounds[0] || *np > bounds[1]) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"%V\" value \"%V\": a number from %i "
                           "to %i is expected",
                           &cmd->name, &value[1], bounds[0], bounds[1]);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* one of cmd->post's names; the message names the directive */

static char *
ngx_http_levers_bulk_enum(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_uint_t       *np, i;
    ngx_str_t        *value;
    ngx_conf_enum_t  *e;

    np = (ngx_uint_t *) (p + cmd->offset);

    if (*np != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;
    e = cmd->post;

    for (i = 0; e[i].name.len != 0; i++) {
        if (e[i].name.len == value[1].len
            && ngx_strcasecmp(e[i].name.data, value[1].data) == 0)
        {
            *np = e[i].value;
            return NGX_CONF_OK;
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid \"%V\" value \"%V\"",
                       &cmd->name, &value[1]);

    return NGX_CONF_ERROR;
}


static char *
ngx_http_levers_bulk_region(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_bulk_loc_conf_t *blcf = conf;

    ngx_str_t  *value;
    char        region[3];

    if (blcf->default_region.data) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strcmp(value[1].data, "off") == 0) {
        ngx_str_set(&blcf->default_region, "");
        return NGX_CONF_OK;
    }

    if (value[1].len == 2) {
        region[0] = (char) value[1].data[0];
        region[1] = (char) value[1].data[1];
        region[2] = '\0';

        if (region[0] >= 'A' && region[0] <= 'Z'
            && region[1] >= 'A' && region[1] <= 'Z'
            && levers_phone_region_supported(region))
        {
            blcf->default_region = value[1];
            return NGX_CONF_OK;
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid \"%V\" region \"%V\": an ISO 3166-1 "
                       "alpha-2 code known to libphonenumber, such as "
                       "\"SA\", or \"off\" is expected",
                       &cmd->name, &value[1]);

    return NGX_CONF_ERROR;
}


static char *
ngx_http_levers_bulk_template(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_bulk_loc_conf_t *blcf = conf;

    ngx_str_t              *value;
    ngx_uint_t              i;
    ngx_levers_template_t  *t;
    u_char                  id[37];

    value = cf->args->elts;

    if (ngx_http_levers_bulk_parse_uuid(&value[1], id) != NGX_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"%V\" id \"%V\": a UUID is expected",
                           &cmd->name, &value[1]);
        return NGX_CONF_ERROR;
    }

    if (blcf->templates == NGX_CONF_UNSET_PTR) {
        blcf->templates = ngx_array_create(cf->pool, 4,
                                           sizeof(ngx_levers_template_t));
        if (blcf->templates == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    t = blcf->templates->elts;

    for (i = 0; i < blcf->templates->nelts; i++) {
        if (ngx_strcmp(t[i].id, id) == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "duplicate \"%V\" id \"%V\"",
                               &cmd->name, &value[1]);
            return NGX_CONF_ERROR;
        }
    }

    t = ngx_array_push(blcf->templates);
    if (t == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memcpy(t->id, id, sizeof(id));

    t->tpl = ngx_http_levers_bulk_load_template(cf, cmd, &value[2]);
    if (t->tpl == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_levers_bulk_default_template(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_levers_bulk_loc_conf_t *blcf = conf;

    ngx_str_t  *value;

    if (blcf->default_template != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        blcf->default_template = NULL;
        return NGX_CONF_OK;
    }

    blcf->default_template = ngx_http_levers_bulk_load_template(cf, cmd,
                                                                &value[1]);
    if (blcf->default_template == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/*
 * Templates are compiled once per configuration; the configuration pool's
 * cleanup frees them when a reload retires the old cycle.
 */

static levers_template_t *
ngx_http_levers_bulk_load_template(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_str_t *file)
{
    ngx_str_t            path;
    levers_template_t   *tpl;
    ngx_pool_cleanup_t  *cln;
    char                 err[256];

    path = *file;

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NULL;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    tpl = levers_template_load((char *) path.data, err, sizeof(err));
    if (tpl == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"%V\" file \"%V\": %s",
                           &cmd->name, &path, err);
        return NULL;
    }

    cln->handler = ngx_http_levers_bulk_free_template;
    cln->data = tpl;

    return tpl;
}


static void
ngx_http_levers_bulk_free_template(void *data)
{
    levers_template_free(data);
}


/* an id as written in a configuration file: 36-character hyphenated form */

static ngx_int_t
ngx_http_levers_bulk_parse_uuid(ngx_str_t *s, u_char *out)
{
    ngx_uint_t  i;
    u_char      c;

    if (s->len != 36) {
        return NGX_ERROR;
    }

    for (i = 0; i < 36; i++) {
        c = ngx_tolower(s->data[i]);

        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return NGX_ERROR;
            }

        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return NGX_ERROR;
        }

        out[i] = c;
    }

    out[36] = '\0';

    return NGX_OK;
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * What the files of the bulk module share: the location configuration,
 * the per-request context that carries a bulk request through body
 * reading, validation, planning, dispatch and the answer, and the
 * functions each file exports.
 */

#ifndef NGX_LEVERS_BULK_H
#define NGX_LEVERS_BULK_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "levers_json.h"
#include "levers_validate.h"
#include "levers_template.h"
#include "levers_contacts.h"
#include "levers_payload.h"


#define NGX_LEVERS_INVALID_NUMBER_ERROR  0
#define NGX_LEVERS_INVALID_NUMBER_SKIP   1


typedef struct ngx_levers_idem_s  ngx_levers_idem_t;


typedef struct {
    u_char                     id[37];     /* lower-case hyphenated */
    levers_template_t         *tpl;
} ngx_levers_template_t;


typedef struct {
    ngx_flag_t                 enable;
    ngx_str_t                  gateway;          /* location URI */
    ngx_uint_t                 batch_size;
    ngx_uint_t                 concurrency;
    ngx_uint_t                 max_contacts;
    ngx_uint_t                 max_errors;
    size_t                     gateway_answer_max;
    ngx_str_t                  default_region;   /* "" or e.g. "SA" */
    ngx_flag_t                 normalise;
    ngx_flag_t                 dedupe;
    ngx_uint_t                 invalid_number;
    ngx_uint_t                 missing_tag;
    ngx_array_t               *templates;        /* ngx_levers_template_t */
    levers_template_t         *default_template;
    ngx_shm_zone_t            *idem_zone;        /* Idempotency-Key */
    time_t                     idem_ttl;
    ngx_str_t                  file;             /* of "levers_bulk" */
    ngx_uint_t                 line;
} ngx_http_levers_bulk_loc_conf_t;


typedef struct {
    ngx_uint_t                 index;
    ngx_http_request_t        *main;
    ngx_http_request_t        *sr;
    ngx_chain_t               *body;             /* the batch JSON */
    u_char                    *answer;           /* the gateway's body */
    size_t                     answer_len;
    size_t                     answer_cap;
    ngx_uint_t                 status;           /* captured */
    unsigned                   done:1;
    unsigned                   complete:1;       /* saw the last buffer */
    unsigned                   truncated:1;
} ngx_levers_batch_t;


typedef struct {
    json_t                    *body;             /* parsed, owned */
    levers_request_t           req;
    levers_plan_conf_t         plan_conf;
    levers_plan_t              plan;
    levers_errors_t           *errs;
    ngx_event_t                plan_event;       /* planning goes on */
    levers_bulk_t              bulk;
    u_char                     bulk_id[37];

    ngx_levers_batch_t        *batches;          /* bulk.nbatches */
    ngx_uint_t                 next;             /* next batch to send */
    ngx_uint_t                 in_flight;
    ngx_uint_t                 finished;
    size_t                     contact_bytes;    /* in a batch body */
    size_t                     inflight_bytes;   /* batch bodies now */
    size_t                     inflight_peak;    /* and at most */

    size_t                     accepted;         /* for the variables */
    size_t                     failed;
    ngx_int_t                  status;           /* of our answer */
    ngx_levers_idem_t         *idem;             /* NULL: not recorded */

    unsigned                   planned:1;
    unsigned                   dispatching:1;
    unsigned                   client_gone:1;
    unsigned                   answered:1;
} ngx_http_levers_bulk_ctx_t;


extern ngx_module_t  ngx_http_levers_bulk_module;


/* ngx_levers_body.c */
ngx_int_t ngx_levers_body_read(ngx_http_request_t *r);

/* ngx_levers_idempotency.c */
char *ngx_levers_idem_conf(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
ngx_int_t ngx_levers_idem_begin(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx, u_char *digest, ngx_int_t *answered);
void ngx_levers_idem_store(ngx_http_request_t *r, ngx_levers_idem_t *idem,
    ngx_uint_t status, ngx_chain_t *body, off_t len);

/* ngx_levers_dispatch.c */
ngx_int_t ngx_levers_dispatch_start(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
ngx_int_t ngx_levers_dispatch_init_filters(ngx_conf_t *cf);

/* ngx_levers_response.c */
typedef struct {
    ngx_pool_t                *pool;
    ngx_chain_t               *out;
    ngx_chain_t              **last;
    ngx_buf_t                 *buf;
    size_t                     size;             /* of new buffers */
    off_t                      total;
} ngx_levers_writer_t;

void ngx_levers_writer_init(ngx_levers_writer_t *w, ngx_pool_t *pool,
    size_t size);
int ngx_levers_write(void *data, const char *p, size_t len);
ngx_int_t ngx_levers_send_json(ngx_http_request_t *r, ngx_uint_t status,
    ngx_levers_writer_t *w);
ngx_int_t ngx_levers_send_detail(ngx_http_request_t *r, ngx_uint_t status,
    const char *fmt, ...);
ngx_int_t ngx_levers_send_errors(ngx_http_request_t *r,
    levers_errors_t *errs);
ngx_int_t ngx_levers_send_result(ngx_http_request_t *r,
    ngx_http_levers_bulk_ctx_t *ctx);
ngx_int_t ngx_levers_result_body(ngx_http_request_t *r, ngx_pool_t *pool,
    ngx_http_levers_bulk_ctx_t *ctx, ngx_levers_writer_t *w);
void *ngx_levers_palloc(void *pool, size_t size);

#endif /* NGX_LEVERS_BULK_H */

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * ngx_http_levers_jwt_module: JWT Bearer checks in the ACCESS phase,
 * usable on any location (docs/jwt.md, docs/SECURITY.md).
 *
 * For other modules: ngx_levers_jwt_subject().  The rest of this header
 * is shared by ngx_levers_jwt.c (directives, access handler, answers,
 * variables) and ngx_levers_jwt_keys.c (key files, key URLs and their
 * background refresh).
 */

#ifndef NGX_LEVERS_JWT_H
#define NGX_LEVERS_JWT_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "levers_jwks.h"


/*
 * The "sub" claim of the token verified for the request (or for its
 * main request, from a subrequest).  sub points into memory that lives
 * as long as the request.  NGX_DECLINED when no token was verified or
 * its "sub" is not a string.
 */
ngx_int_t ngx_levers_jwt_subject(ngx_http_request_t *r, ngx_str_t *sub);


/* what follows is internal to the JWT module's two files */

extern ngx_module_t  ngx_http_levers_jwt_module;


/* a key file, parsed once per configuration, shared by locations */
typedef struct {
    ngx_str_t                  path;
    levers_keyset_t           *keys;
} ngx_levers_jwt_file_t;


/*
 * A JWKS URL.  keys is replaced, in each worker, by the event handler
 * that completes a refresh: a verification runs start to end within one
 * call of the access handler on the same thread, so it never sees a set
 * freed under it; the set is reference counted all the same, so one
 * that a request holds outlives a swap.
 */
typedef struct {
    ngx_str_t                  url;            /* NUL-terminated */
    ngx_msec_t                 refresh;
    levers_keyset_t           *keys;           /* NULL until fetched */
    ngx_log_t                 *log;
    ngx_uint_t                 generation;     /* bumped on each swap */
#if (NGX_THREADS)
    ngx_thread_pool_t         *pool;
    ngx_thread_task_t         *task;
    ngx_event_t                timer;
    unsigned                   busy:1;
#endif
} ngx_levers_jwt_url_t;


typedef struct {
    ngx_array_t                files;          /* ngx_levers_jwt_file_t * */
    ngx_array_t                urls;           /* ngx_levers_jwt_url_t * */
} ngx_http_levers_jwt_main_conf_t;


ngx_levers_jwt_file_t *ngx_levers_jwt_key_file(ngx_conf_t *cf,
    ngx_str_t *path);
ngx_levers_jwt_url_t *ngx_levers_jwt_key_url(ngx_conf_t *cf,
    ngx_str_t *url, ngx_msec_t refresh);
ngx_int_t ngx_levers_jwt_keys_init_process(ngx_cycle_t *cycle);

#endif /* NGX_LEVERS_JWT_H */

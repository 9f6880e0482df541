/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Where the JWT module's keys come from:
 *
 *  - levers_jwt_key_file: read and parsed once per configuration, when
 *    the directive is read, so a file that does not parse fails
 *    "nginx -t" with its path and the reason; a file named by several
 *    locations is parsed once and shared;
 *  - levers_jwt_key_url: a JWKS fetched with libcurl when the
 *    configuration is read (in the master; a failure there is a warning,
 *    not an error, so nginx can start while the key server is down, or
 *    when nginx serves the JWKS itself), then in every worker on a timer:
 *    the fetch and the parse run on nginx's thread pool "default", and
 *    the event handler that completes the task swaps the new set in on
 *    the worker's own thread.  A failed refresh keeps the last good set
 *    and is logged at "warn"; it is retried after min(refresh, 30s).
 *
 * Sets are released by cleanups of the configuration's pool: in the
 * master when the configuration is replaced, in a worker when it exits.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <curl/curl.h>

#include "ngx_levers_jwt.h"


#define NGX_LEVERS_JWT_KEY_FILE_MAX   (1024 * 1024)
#define NGX_LEVERS_JWT_FETCH_MAX      (1024 * 1024)
#define NGX_LEVERS_JWT_RETRY_MAX      30000
#define NGX_LEVERS_JWT_ERRLEN         256


/* what a refresh task carries between the worker and a pool thread */
typedef struct {
    const char                *url;
    levers_keyset_t           *keys;          /* the result, or NULL */
    char                       err[NGX_LEVERS_JWT_ERRLEN];
} ngx_levers_jwt_fetch_t;


typedef struct {
    u_char                    *data;
    size_t                     len;
    size_t                     cap;
    unsigned                   too_big:1;
} ngx_levers_jwt_buf_t;


static levers_keyset_t *ngx_levers_jwt_read_file(ngx_conf_t *cf,
    ngx_str_t *path, char *err, size_t errlen);
static void ngx_levers_jwt_file_cleanup(void *data);
static void ngx_levers_jwt_url_cleanup(void *data);
static levers_keyset_t *ngx_levers_jwt_fetch(const char *url, char *err,
    size_t errlen);
static size_t ngx_levers_jwt_curl_write(char *ptr, size_t size,
    size_t nmemb, void *userdata);

#if (NGX_THREADS)
static void ngx_levers_jwt_refresh_timer(ngx_event_t *ev);
static void ngx_levers_jwt_refresh_thread(void *data, ngx_log_t *log);
static void ngx_levers_jwt_refresh_done(ngx_event_t *ev);
static void ngx_levers_jwt_refresh_later(ngx_levers_jwt_url_t *u,
    ngx_msec_t after);
#endif


ngx_levers_jwt_file_t *
ngx_levers_jwt_key_file(ngx_conf_t *cf, ngx_str_t *path)
{
    char                              err[NGX_LEVERS_JWT_ERRLEN];
    ngx_str_t                         full;
    ngx_uint_t                        i;
    ngx_pool_cleanup_t               *cln;
    ngx_levers_jwt_file_t            *f, **fp;
    ngx_http_levers_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_levers_jwt_module);

    full = *path;

    if (ngx_conf_full_name(cf->cycle, &full, 1) != NGX_OK) {
        return NULL;
    }

    fp = jmcf->files.elts;

    for (i = 0; i < jmcf->files.nelts; i++) {
        if (fp[i]->path.len == full.len
            && ngx_strncmp(fp[i]->path.data, full.data, full.len) == 0)
        {
            return fp[i];
        }
    }

    f = ngx_pcalloc(cf->pool, sizeof(ngx_levers_jwt_file_t));
    fp = ngx_array_push(&jmcf->files);
    cln = ngx_pool_cleanup_add(cf->pool, 0);

    if (f == NULL || fp == NULL || cln == NULL) {
        return NULL;
    }

    f->path = full;
    f->keys = ngx_levers_jwt_read_file(cf, &full, err, sizeof(err));

    if (f->keys == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "levers_jwt_key_file \"%V\": %s", &full, err);
        fp[0] = f;
        cln->handler = ngx_levers_jwt_file_cleanup;
        cln->data = f;
        return NULL;
    }

    if (f->keys->skipped) {
        ngx_conf_log_error(NGX_LOG_NOTICE, cf, 0,
                           "levers_jwt_key_file \"%V\": %uz keys, "
                           "%uz of kinds not used for signatures skipped",
                           &full, f->keys->nkeys, f->keys->skipped);
    }

    *fp = f;
    cln->handler = ngx_levers_jwt_file_cleanup;
    cln->data = f;

    return f;
}


static levers_keyset_t *
ngx_levers_jwt_read_file(ngx_conf_t *cf, ngx_str_t *path, char *err,
    size_t errlen)
{
    off_t             size;
    ssize_t           n;
    u_char           *buf;
    ngx_fd_t          fd;
    ngx_file_info_t   fi;
    levers_keyset_t  *ks;

    fd = ngx_open_file(path->data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_snprintf((u_char *) err, errlen, "cannot open: %s%Z",
                     strerror(ngx_errno));
        return NULL;
    }

    ks = NULL;

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_snprintf((u_char *) err, errlen, "cannot stat: %s%Z",
                     strerror(ngx_errno));
        goto done;
    }

    size = ngx_file_size(&fi);

    if (size > NGX_LEVERS_JWT_KEY_FILE_MAX) {
        ngx_snprintf((u_char *) err, errlen, "larger than %d bytes%Z",
                     NGX_LEVERS_JWT_KEY_FILE_MAX);
        goto done;
    }

    buf = ngx_pnalloc(cf->temp_pool, (size_t) size + 1);
    if (buf == NULL) {
        ngx_snprintf((u_char *) err, errlen, "out of memory%Z");
        goto done;
    }

    n = ngx_read_fd(fd, buf, (size_t) size);
    if (n != (ssize_t) size) {
        ngx_snprintf((u_char *) err, errlen, "cannot read%Z");
        goto done;
    }

    ks = levers_keyset_parse((const char *) buf, (size_t) n, err, errlen);

done:

    ngx_close_file(fd);

    return ks;
}


static void
ngx_levers_jwt_file_cleanup(void *data)
{
    ngx_levers_jwt_file_t  *f = data;

    levers_keyset_release(f->keys);
    f->keys = NULL;
}


ngx_levers_jwt_url_t *
ngx_levers_jwt_key_url(ngx_conf_t *cf, ngx_str_t *url, ngx_msec_t refresh)
{
    char                              err[NGX_LEVERS_JWT_ERRLEN];
    ngx_uint_t                        i;
    ngx_pool_cleanup_t               *cln;
    ngx_levers_jwt_url_t             *u, **up;
    ngx_http_levers_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_levers_jwt_module);

    up = jmcf->urls.elts;

    for (i = 0; i < jmcf->urls.nelts; i++) {
        if (up[i]->url.len == url->len
            && ngx_strncmp(up[i]->url.data, url->data, url->len) == 0)
        {
            up[i]->refresh = ngx_min(up[i]->refresh, refresh);
            return up[i];
        }
    }

    u = ngx_pcalloc(cf->pool, sizeof(ngx_levers_jwt_url_t));
    up = ngx_array_push(&jmcf->urls);
    cln = ngx_pool_cleanup_add(cf->pool, 0);

    if (u == NULL || up == NULL || cln == NULL) {
        return NULL;
    }

    *up = u;

    /* configuration strings are NUL-terminated */
    u->url = *url;
    u->refresh = refresh;
    u->log = cf->cycle->log;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "curl_global_init() failed");
        return NULL;
    }

    cln->handler = ngx_levers_jwt_url_cleanup;
    cln->data = u;

#if (NGX_THREADS)

    u->pool = ngx_thread_pool_add(cf, NULL);
    if (u->pool == NULL) {
        return NULL;
    }

    u->task = ngx_thread_task_alloc(cf->pool, sizeof(ngx_levers_jwt_fetch_t));
    if (u->task == NULL) {
        return NULL;
    }

#endif

    u->keys = ngx_levers_jwt_fetch((const char *) u->url.data, err,
                                   sizeof(err));

    if (u->keys == NULL) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "levers_jwt_key_url \"%V\": %s; the workers "
                           "will try again", &u->url, err);
    }

    return u;
}


static void
ngx_levers_jwt_url_cleanup(void *data)
{
    ngx_levers_jwt_url_t  *u = data;

#if (NGX_THREADS)
    ngx_levers_jwt_fetch_t  *fetch;

    /* a refresh completed after the worker stopped handling events */
    if (u->task != NULL) {
        fetch = u->task->ctx;
        levers_keyset_release(fetch->keys);
        fetch->keys = NULL;
    }
#endif

    levers_keyset_release(u->keys);
    u->keys = NULL;

    curl_global_cleanup();
}


/* runs in the master at configuration time, or on a pool thread */

static levers_keyset_t *
ngx_levers_jwt_fetch(const char *url, char *err, size_t errlen)
{
    long                   status;
    CURL                  *curl;
    CURLcode               rc;
    levers_keyset_t       *ks;
    ngx_levers_jwt_buf_t   buf;

    ngx_memzero(&buf, sizeof(ngx_levers_jwt_buf_t));

    curl = curl_easy_init();
    if (curl == NULL) {
        ngx_snprintf((u_char *) err, errlen, "curl_easy_init() failed%Z");
        return NULL;
    }

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "ngx_http_levers_jwt_module");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ngx_levers_jwt_curl_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);

    ks = NULL;

    rc = curl_easy_perform(curl);

    if (rc != CURLE_OK) {
        ngx_snprintf((u_char *) err, errlen, "%s%Z",
                     buf.too_big ? "JWKS larger than 1 MiB"
                                 : curl_easy_strerror(rc));
        goto done;
    }

    status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);

    if (status != 200) {
        ngx_snprintf((u_char *) err, errlen, "HTTP status %l%Z", status);
        goto done;
    }

    ks = levers_keyset_parse((const char *) buf.data, buf.len, err, errlen);

done:

    curl_easy_cleanup(curl);
    free(buf.data);

    return ks;
}


static size_t
ngx_levers_jwt_curl_write(char *ptr, size_t size, size_t nmemb,
    void *userdata)
{
    size_t                 n, cap;
    u_char                *data;
    ngx_levers_jwt_buf_t  *buf = userdata;

    n = size * nmemb;

    if (buf->len + n > NGX_LEVERS_JWT_FETCH_MAX) {
        buf->too_big = 1;
        return 0;
    }

    if (buf->len + n > buf->cap) {
        cap = ngx_max(buf->cap * 2, buf->len + n);

        /* malloc, not a pool: this may run on a pool thread */
        data = realloc(buf->data, cap);
        if (data == NULL) {
            return 0;
        }

        buf->data = data;
        buf->cap = cap;
    }

    ngx_memcpy(buf->data + buf->len, ptr, n);
    buf->len += n;

    return n;
}


ngx_int_t
ngx_levers_jwt_keys_init_process(ngx_cycle_t *cycle)
{
#if (NGX_THREADS)
    ngx_uint_t                        i;
    ngx_levers_jwt_url_t            **up, *u;
    ngx_http_levers_jwt_main_conf_t  *jmcf;

    /* not in the cache manager and loader: they have no thread pools */
    if (ngx_process != NGX_PROCESS_WORKER
        && ngx_process != NGX_PROCESS_SINGLE)
    {
        return NGX_OK;
    }

    jmcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_levers_jwt_module);
    if (jmcf == NULL) {
        return NGX_OK;
    }

    up = jmcf->urls.elts;

    for (i = 0; i < jmcf->urls.nelts; i++) {
        u = up[i];

        u->log = cycle->log;
        u->timer.handler = ngx_levers_jwt_refresh_timer;
        u->timer.data = u;
        u->timer.log = cycle->log;
        u->timer.cancelable = 1;

        u->task->handler = ngx_levers_jwt_refresh_thread;
        u->task->event.handler = ngx_levers_jwt_refresh_done;
        u->task->event.data = u;
        u->task->event.log = cycle->log;

        /* without keys yet, try at once */
        ngx_levers_jwt_refresh_later(u, u->keys ? u->refresh : 1);
    }
#endif

    return NGX_OK;
}


#if (NGX_THREADS)

static void
ngx_levers_jwt_refresh_later(ngx_levers_jwt_url_t *u, ngx_msec_t after)
{
    if (ngx_exiting || ngx_quit || ngx_terminate) {
        return;
    }

    ngx_add_timer(&u->timer, after);
}


static void
ngx_levers_jwt_refresh_timer(ngx_event_t *ev)
{
    ngx_levers_jwt_url_t    *u = ev->data;
    ngx_levers_jwt_fetch_t  *fetch;

    if (u->busy) {
        return;
    }

    fetch = u->task->ctx;
    fetch->url = (const char *) u->url.data;
    fetch->keys = NULL;
    fetch->err[0] = '\0';

    if (ngx_thread_task_post(u->pool, u->task) != NGX_OK) {
        ngx_log_error(NGX_LOG_WARN, u->log, 0,
                      "levers_jwt_key_url \"%V\": cannot post the refresh "
                      "to the thread pool", &u->url);
        ngx_levers_jwt_refresh_later(u, ngx_min(u->refresh,
                                                NGX_LEVERS_JWT_RETRY_MAX));
        return;
    }

    u->busy = 1;
}


/* on a pool thread: no nginx pool, no logging, no shared state */

static void
ngx_levers_jwt_refresh_thread(void *data, ngx_log_t *log)
{
    ngx_levers_jwt_fetch_t  *fetch = data;

    fetch->keys = ngx_levers_jwt_fetch(fetch->url, fetch->err,
                                       sizeof(fetch->err));
}


/* back on the worker's thread */

static void
ngx_levers_jwt_refresh_done(ngx_event_t *ev)
{
    levers_keyset_t         *old;
    ngx_levers_jwt_url_t    *u = ev->data;
    ngx_levers_jwt_fetch_t  *fetch;

    u->busy = 0;
    fetch = u->task->ctx;

    if (fetch->keys == NULL) {
        ngx_log_error(NGX_LOG_WARN, u->log, 0,
                      "levers_jwt_key_url \"%V\": refresh failed: %s; %s",
                      &u->url, fetch->err,
                      u->keys ? "keeping the previous keys"
                              : "no keys yet");
        ngx_levers_jwt_refresh_later(u, ngx_min(u->refresh,
                                                NGX_LEVERS_JWT_RETRY_MAX));
        return;
    }

    old = u->keys;
    u->keys = fetch->keys;
    u->generation++;             /* tokens cached under the old set expire */
    fetch->keys = NULL;

    levers_keyset_release(old);

    ngx_log_error(NGX_LOG_INFO, u->log, 0,
                  "levers_jwt_key_url \"%V\": refreshed, %uz keys",
                  &u->url, u->keys->nkeys);

    ngx_levers_jwt_refresh_later(u, u->refresh);
}

#endif

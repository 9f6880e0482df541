/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Idempotency-Key (IETF draft "The Idempotency-Key HTTP Header Field")
 * for bulk requests: levers_bulk_idempotency zone=NAME:SIZE [ttl=TIME].
 *
 * A request with the header is recorded in a shared memory zone, so all
 * workers see it, with the SHA-256 of its body.  The same key again:
 *
 *   first request still in flight      409
 *   same body, first one answered      its answer again, with
 *                                      Idempotent-Replayed: true
 *   another body                       422
 *
 * and nothing is dispatched.  Keys are scoped by the JWT subject when a
 * token was verified.  When the zone is full the oldest entries are
 * evicted (and logged): a request never fails for want of memory.
 *
 * Requests hold their key, not a pointer into the zone: an entry evicted
 * while its request is in flight is simply written again at the end.
 */


#include <openssl/evp.h>

#include "ngx_levers_bulk.h"
#include "ngx_levers_jwt.h"


#define NGX_LEVERS_IDEM_KEY_MAX  255


typedef struct {
    u_char                       color;
    u_char                       dummy;
    u_short                      len;           /* of key */
    ngx_queue_t                  queue;         /* oldest at the tail */
    time_t                       expires;
    ngx_uint_t                   status;        /* 0: in flight */
    u_char                      *answer;        /* slab memory */
    size_t                       answer_len;
    u_char                       digest[32];
    u_char                       key[1];
} ngx_levers_idem_node_t;


typedef struct {
    ngx_rbtree_t                 rbtree;
    ngx_rbtree_node_t            sentinel;
    ngx_queue_t                  queue;
} ngx_levers_idem_shctx_t;


typedef struct {
    ngx_levers_idem_shctx_t     *sh;
    ngx_slab_pool_t             *shpool;
} ngx_levers_idem_zone_t;


/* what a request remembers of its entry */
struct ngx_levers_idem_s {
    ngx_shm_zone_t              *zone;
    time_t                       ttl;
    ngx_str_t                    key;           /* scoped */
    uint32_t                     hash;
    u_char                       digest[32];
    unsigned                     stored:1;
};


static ngx_int_t ngx_levers_idem_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static void ngx_levers_idem_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);
static ngx_levers_idem_node_t *ngx_levers_idem_lookup(
    ngx_levers_idem_zone_t *z, ngx_str_t *key, uint32_t hash);
static ngx_levers_idem_node_t *ngx_levers_idem_insert(ngx_log_t *log,
    ngx_levers_idem_zone_t *z, ngx_str_t *key, uint32_t hash);
static void ngx_levers_idem_delete(ngx_levers_idem_zone_t *z,
    ngx_levers_idem_node_t *in);
static void ngx_levers_idem_expire(ngx_levers_idem_zone_t *z, time_t now);
static ngx_int_t ngx_levers_idem_scoped_key(ngx_http_request_t *r,
    ngx_str_t *value, ngx_str_t *key);
static ngx_int_t ngx_levers_idem_replay(ngx_http_request_t *r,
    ngx_levers_idem_node_t *in, ngx_levers_idem_zone_t *z);
static void ngx_levers_idem_cleanup(void *data);


static ngx_str_t  ngx_levers_idem_header = ngx_string("Idempotency-Key");


char *
ngx_levers_idem_conf(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_levers_bulk_loc_conf_t *blcf = conf;

    u_char      *p;
    ssize_t      size;
    time_t       ttl;
    ngx_str_t   *value, name, s;
    ngx_uint_t   i;

    if (blcf->idem_zone != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 3 && ngx_strcmp(value[1].data, "off") == 0) {
        blcf->idem_zone = NULL;
        return NGX_CONF_OK;
    }

    name.len = 0;
    size = 0;
    ttl = 86400;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "zone=", 5) == 0) {
            name.data = value[i].data + 5;

            p = (u_char *) ngx_strchr(name.data, ':');
            if (p == NULL) {
                goto invalid;
            }

            name.len = p - name.data;

            s.data = p + 1;
            s.len = value[i].data + value[i].len - s.data;

            size = ngx_parse_size(&s);
            if (size == NGX_ERROR || name.len == 0) {
                goto invalid;
            }

            if (size < (ssize_t) (8 * ngx_pagesize)) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "zone \"%V\" is too small", &value[i]);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strncmp(value[i].data, "ttl=", 4) == 0) {
            s.data = value[i].data + 4;
            s.len = value[i].len - 4;

            ttl = ngx_parse_time(&s, 1);
            if (ttl == (time_t) NGX_ERROR || ttl == 0) {
                goto invalid;
            }

            continue;
        }

        goto invalid;
    }

    if (name.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must have a \"zone\" parameter",
                           &cmd->name);
        return NGX_CONF_ERROR;
    }

    blcf->idem_zone = ngx_shared_memory_add(cf, &name, size,
                                            &ngx_http_levers_bulk_module);
    if (blcf->idem_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    /* several locations may share a zone */
    if (blcf->idem_zone->data == NULL) {
        blcf->idem_zone->data = ngx_pcalloc(cf->pool,
                                            sizeof(ngx_levers_idem_zone_t));
        if (blcf->idem_zone->data == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    blcf->idem_zone->init = ngx_levers_idem_init_zone;
    blcf->idem_ttl = ttl;

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\"", &value[i]);

    return NGX_CONF_ERROR;
}


static ngx_int_t
ngx_levers_idem_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_levers_idem_zone_t  *ozone = data;

    size_t                   len;
    ngx_levers_idem_zone_t  *z;

    z = shm_zone->data;

    if (ozone) {
        /* a reload: the zone and its entries live on */
        z->sh = ozone->sh;
        z->shpool = ozone->shpool;
        return NGX_OK;
    }

    z->shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (shm_zone->shm.exists) {
        z->sh = z->shpool->data;
        return NGX_OK;
    }

    z->sh = ngx_slab_alloc(z->shpool, sizeof(ngx_levers_idem_shctx_t));
    if (z->sh == NULL) {
        return NGX_ERROR;
    }

    z->shpool->data = z->sh;

    ngx_rbtree_init(&z->sh->rbtree, &z->sh->sentinel,
                    ngx_levers_idem_rbtree_insert);
    ngx_queue_init(&z->sh->queue);

    len = sizeof(" in levers_bulk_idempotency zone \"\"")
          + shm_zone->shm.name.len;

    z->shpool->log_ctx = ngx_slab_alloc(z->shpool, len);
    if (z->shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(z->shpool->log_ctx,
                " in levers_bulk_idempotency zone \"%V\"%Z",
                &shm_zone->shm.name);

    /* a full zone evicts entries: no need to log each failed allocation */
    z->shpool->log_nomem = 0;

    return NGX_OK;
}


/*
 * Called once the body is read.  NGX_OK: go on (recorded as in flight
 * when the request has a key: its answer will be stored).  NGX_DONE: the
 * request has been answered (a replay, 409, 422 or 400), and *answered is
 * the value to finalize it with.
 */

ngx_int_t
ngx_levers_idem_begin(ngx_http_request_t *r, ngx_http_levers_bulk_ctx_t *ctx,
    u_char *digest, ngx_int_t *answered)
{
    ngx_str_t                         key;
    uint32_t                          hash;
    ngx_table_elt_t                  *h, *header;
    ngx_list_part_t                  *part;
    ngx_uint_t                        i;
    ngx_levers_idem_t                *idem;
    ngx_pool_cleanup_t               *cln;
    ngx_levers_idem_node_t           *in;
    ngx_levers_idem_zone_t           *z;
    ngx_http_levers_bulk_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_levers_bulk_module);

    if (blcf->idem_zone == NULL) {
        return NGX_OK;
    }

    h = NULL;
    part = &r->headers_in.headers.part;
    header = part->elts;

    for (i = 0; /* void */ ; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            header = part->elts;
            i = 0;
        }

        if (header[i].key.len == ngx_levers_idem_header.len
            && ngx_strncasecmp(header[i].key.data,
                               ngx_levers_idem_header.data,
                               ngx_levers_idem_header.len) == 0)
        {
            h = &header[i];
            break;
        }
    }

    if (h == NULL) {
        return NGX_OK;
    }

    if (h->value.len == 0 || h->value.len > NGX_LEVERS_IDEM_KEY_MAX) {
        *answered = ngx_levers_send_detail(r, NGX_HTTP_BAD_REQUEST,
                                           "Idempotency-Key must be 1 to %d "
                                           "characters long",
                                           NGX_LEVERS_IDEM_KEY_MAX);
        return NGX_DONE;
    }

    if (ngx_levers_idem_scoped_key(r, &h->value, &key) != NGX_OK) {
        return NGX_ERROR;
    }

    hash = ngx_crc32_short(key.data, key.len);
    z = blcf->idem_zone->data;

    ngx_shmtx_lock(&z->shpool->mutex);

    ngx_levers_idem_expire(z, ngx_time());

    in = ngx_levers_idem_lookup(z, &key, hash);

    if (in) {
        if (in->status == 0) {
            ngx_shmtx_unlock(&z->shpool->mutex);

            *answered = ngx_levers_send_detail(r, NGX_HTTP_CONFLICT,
                                               "A request with this "
                                               "Idempotency-Key is still "
                                               "being processed");
            return NGX_DONE;
        }

        if (ngx_memcmp(in->digest, digest, 32) != 0) {
            ngx_shmtx_unlock(&z->shpool->mutex);

            *answered = ngx_levers_send_detail(r, 422,
                                               "Idempotency-Key was already "
                                               "used with a different "
                                               "request body");
            return NGX_DONE;
        }

        /* unlocks the zone */
        *answered = ngx_levers_idem_replay(r, in, z);
        return NGX_DONE;
    }

    in = ngx_levers_idem_insert(r->connection->log, z, &key, hash);

    if (in == NULL) {
        ngx_shmtx_unlock(&z->shpool->mutex);

        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "levers_bulk_idempotency: zone \"%V\" cannot hold "
                      "the key, request not recorded",
                      &blcf->idem_zone->shm.name);
        return NGX_OK;
    }

    ngx_memcpy(in->digest, digest, 32);
    in->expires = ngx_time() + blcf->idem_ttl;

    ngx_shmtx_unlock(&z->shpool->mutex);

    idem = ngx_palloc(r->pool, sizeof(ngx_levers_idem_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (idem == NULL || cln == NULL) {
        return NGX_ERROR;
    }

    idem->zone = blcf->idem_zone;
    idem->ttl = blcf->idem_ttl;
    idem->key = key;
    idem->hash = hash;
    idem->stored = 0;
    ngx_memcpy(idem->digest, digest, 32);

    cln->handler = ngx_levers_idem_cleanup;
    cln->data = idem;

    ctx->idem = idem;

    return NGX_OK;
}


/* the final answer of a recorded request */

void
ngx_levers_idem_store(ngx_http_request_t *r, ngx_levers_idem_t *idem,
    ngx_uint_t status, ngx_chain_t *body, off_t len)
{
    u_char                  *p;
    ngx_chain_t             *cl;
    ngx_levers_idem_node_t  *in;
    ngx_levers_idem_zone_t  *z;

    if (idem->stored) {
        return;
    }

    idem->stored = 1;
    z = idem->zone->data;

    ngx_shmtx_lock(&z->shpool->mutex);

    in = ngx_levers_idem_lookup(z, &idem->key, idem->hash);

    if (in == NULL) {
        /* evicted while in flight: record it again */
        in = ngx_levers_idem_insert(r->connection->log, z, &idem->key,
                                    idem->hash);
        if (in == NULL) {
            goto failed;
        }

        ngx_memcpy(in->digest, idem->digest, 32);
        in->expires = ngx_time() + idem->ttl;
    }

    p = NULL;

    while (len && p == NULL) {
        p = ngx_slab_alloc_locked(z->shpool, len);

        if (p == NULL) {
            if (ngx_queue_last(&z->sh->queue) == &in->queue) {
                break;
            }

            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "levers_bulk_idempotency: zone full, "
                          "evicting the oldest key");

            ngx_levers_idem_delete(z, ngx_queue_data(
                                   ngx_queue_last(&z->sh->queue),
                                   ngx_levers_idem_node_t, queue));
        }
    }

    if (len && p == NULL) {
        /* the answer alone does not fit: forget the key */
        ngx_levers_idem_delete(z, in);
        goto failed;
    }

    in->answer = p;
    in->answer_len = (size_t) len;

    for (cl = body; cl; cl = cl->next) {
        p = ngx_cpymem(p, cl->buf->pos, cl->buf->last - cl->buf->pos);
    }

    in->status = status;

    ngx_shmtx_unlock(&z->shpool->mutex);

    return;

failed:

    ngx_shmtx_unlock(&z->shpool->mutex);

    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                  "levers_bulk_idempotency: answer of %O bytes not "
                  "recorded", len);
}


/* a request that ended without an answer to store frees its key */

static void
ngx_levers_idem_cleanup(void *data)
{
    ngx_levers_idem_t *idem = data;

    ngx_levers_idem_node_t  *in;
    ngx_levers_idem_zone_t  *z;

    if (idem->stored) {
        return;
    }

    z = idem->zone->data;

    ngx_shmtx_lock(&z->shpool->mutex);

    in = ngx_levers_idem_lookup(z, &idem->key, idem->hash);

    if (in && in->status == 0) {
        ngx_levers_idem_delete(z, in);
    }

    ngx_shmtx_unlock(&z->shpool->mutex);
}


static ngx_int_t
ngx_levers_idem_scoped_key(ngx_http_request_t *r, ngx_str_t *value,
    ngx_str_t *key)
{
    u_char     *p;
    ngx_str_t   sub;

    if (ngx_levers_jwt_subject(r, &sub) != NGX_OK) {
        ngx_str_null(&sub);
    }

    key->len = sub.len + 1 + value->len;

    if (key->len > 65535) {
        return NGX_ERROR;
    }

    key->data = ngx_pnalloc(r->pool, key->len);
    if (key->data == NULL) {
        return NGX_ERROR;
    }

    p = ngx_cpymem(key->data, sub.data, sub.len);
    *p++ = '\n';
    ngx_memcpy(p, value->data, value->len);

    return NGX_OK;
}


/* copies the stored answer out of the zone (unlocking it) and sends it */

static ngx_int_t
ngx_levers_idem_replay(ngx_http_request_t *r, ngx_levers_idem_node_t *in,
    ngx_levers_idem_zone_t *z)
{
    ngx_uint_t           status;
    ngx_table_elt_t     *h;
    ngx_levers_writer_t  w;

    ngx_levers_writer_init(&w, r->pool, in->answer_len);

    if (ngx_levers_write(&w, (char *) in->answer, in->answer_len) != 0) {
        ngx_shmtx_unlock(&z->shpool->mutex);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    status = in->status;

    ngx_shmtx_unlock(&z->shpool->mutex);

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif
    ngx_str_set(&h->key, "Idempotent-Replayed");
    ngx_str_set(&h->value, "true");

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "levers_bulk: Idempotency-Key replayed, status %ui",
                  status);

    return ngx_levers_send_json(r, status, &w);
}


static ngx_levers_idem_node_t *
ngx_levers_idem_lookup(ngx_levers_idem_zone_t *z, ngx_str_t *key,
    uint32_t hash)
{
    ngx_int_t                rc;
    ngx_rbtree_node_t       *node, *sentinel;
    ngx_levers_idem_node_t  *in;

    node = z->sh->rbtree.root;
    sentinel = z->sh->rbtree.sentinel;

    while (node != sentinel) {

        if (hash < node->key) {
            node = node->left;
            continue;
        }

        if (hash > node->key) {
            node = node->right;
            continue;
        }

        in = (ngx_levers_idem_node_t *) &node->color;

        rc = ngx_memn2cmp(key->data, in->key, key->len, (size_t) in->len);

        if (rc == 0) {
            return in;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


/* a new in-flight entry; evicts the oldest entries when the zone is full */

static ngx_levers_idem_node_t *
ngx_levers_idem_insert(ngx_log_t *log, ngx_levers_idem_zone_t *z,
    ngx_str_t *key, uint32_t hash)
{
    size_t                   size;
    ngx_rbtree_node_t       *node;
    ngx_levers_idem_node_t  *in;

    size = offsetof(ngx_rbtree_node_t, color)
           + offsetof(ngx_levers_idem_node_t, key)
           + key->len;

    for ( ;; ) {
        node = ngx_slab_alloc_locked(z->shpool, size);

        if (node) {
            break;
        }

        if (ngx_queue_empty(&z->sh->queue)) {
            return NULL;
        }

        ngx_log_error(NGX_LOG_WARN, log, 0,
                      "levers_bulk_idempotency: zone full, "
                      "evicting the oldest key");

        ngx_levers_idem_delete(z, ngx_queue_data(
                               ngx_queue_last(&z->sh->queue),
                               ngx_levers_idem_node_t, queue));
    }

    node->key = hash;

    in = (ngx_levers_idem_node_t *) &node->color;

    in->len = (u_short) key->len;
    in->status = 0;
    in->answer = NULL;
    in->answer_len = 0;
    ngx_memcpy(in->key, key->data, key->len);

    ngx_rbtree_insert(&z->sh->rbtree, node);
    ngx_queue_insert_head(&z->sh->queue, &in->queue);

    return in;
}


static void
ngx_levers_idem_delete(ngx_levers_idem_zone_t *z, ngx_levers_idem_node_t *in)
{
    ngx_rbtree_node_t  *node;

    node = (ngx_rbtree_node_t *)
               ((u_char *) in - offsetof(ngx_rbtree_node_t, color));

    ngx_queue_remove(&in->queue);
    ngx_rbtree_delete(&z->sh->rbtree, node);

    if (in->answer) {
        ngx_slab_free_locked(z->shpool, in->answer);
    }

    ngx_slab_free_locked(z->shpool, node);
}


/* drops up to two expired answered entries from the old end */

static void
ngx_levers_idem_expire(ngx_levers_idem_zone_t *z, time_t now)
{
    ngx_uint_t               n;
    ngx_queue_t             *q;
    ngx_levers_idem_node_t  *in;

    for (n = 0; n < 2; n++) {

        if (ngx_queue_empty(&z->sh->queue)) {
            return;
        }

        q = ngx_queue_last(&z->sh->queue);
        in = ngx_queue_data(q, ngx_levers_idem_node_t, queue);

        if (in->expires > now || in->status == 0) {
            return;
        }

        ngx_levers_idem_delete(z, in);
    }
}


static void
ngx_levers_idem_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t       **p;
    ngx_levers_idem_node_t   *a, *b;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            a = (ngx_levers_idem_node_t *) &node->color;
            b = (ngx_levers_idem_node_t *) &temp->color;

            p = (ngx_memn2cmp(a->key, b->key, a->len, b->len) < 0)
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

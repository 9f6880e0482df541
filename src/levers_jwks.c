/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * JSON Web Keys, JWS compact tokens and registered claims: see
 * levers_jwks.h.  OpenSSL 3 "fromdata" and EVP interfaces only, so the
 * file builds with -Werror against deprecations.
 *
 * Who checks what, for one token:
 *
 *   levers_jws_decode()   size bound, three segments, strict base64url,
 *                         header and payload as JSON objects (duplicate
 *                         members refused), "alg" known and not "none",
 *                         no "crit", "kid" a string, "typ" "JWT";
 *   levers_jws_verify()   "alg" allowed, key chosen by "kid", and the
 *                         algorithm fits the key's type and size;
 *   levers_jws_check_signature()
 *                         OpenSSL EVP on the chosen key (HMAC in
 *                         constant time); then for HS*, RS*, ES*
 *                         libjwt's jwt_decode() with that key only must
 *                         agree, and jwt_get_alg() must be the
 *                         algorithm we checked.  PS*: OpenSSL alone.
 *
 * libjwt 1.10 takes the algorithm from the token and uses whatever key
 * bytes it is given for it (an RSA PEM becomes an HMAC secret for an
 * HS256 token), so it must only ever be called once the algorithm was
 * matched to the key here.
 */

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "levers_jwks.h"


#define LEVERS_RSA_MIN_BITS  2048


typedef struct {
    const char  *name;
    levers_kty_t kty;
    int          bits;       /* HMAC: minimum key bytes; EC: curve */
    int          pss;
    const char  *digest;
    jwt_alg_t    jwt_alg;    /* libjwt's name; JWT_ALG_INVAL: not in 1.10 */
} levers_alg_desc_t;


static const levers_alg_desc_t  levers_algs[LEVERS_ALG_COUNT] = {
    { "HS256", LEVERS_KTY_OCT, 32, 0, "SHA256", JWT_ALG_HS256 },
    { "HS384", LEVERS_KTY_OCT, 48, 0, "SHA384", JWT_ALG_HS384 },
    { "HS512", LEVERS_KTY_OCT, 64, 0, "SHA512", JWT_ALG_HS512 },
    { "RS256", LEVERS_KTY_RSA, 0, 0, "SHA256", JWT_ALG_RS256 },
    { "RS384", LEVERS_KTY_RSA, 0, 0, "SHA384", JWT_ALG_RS384 },
    { "RS512", LEVERS_KTY_RSA, 0, 0, "SHA512", JWT_ALG_RS512 },
    { "ES256", LEVERS_KTY_EC, 256, 0, "SHA256", JWT_ALG_ES256 },
    { "ES384", LEVERS_KTY_EC, 384, 0, "SHA384", JWT_ALG_ES384 },
    { "ES512", LEVERS_KTY_EC, 521, 0, "SHA512", JWT_ALG_ES512 },
    { "PS256", LEVERS_KTY_RSA, 0, 1, "SHA256", JWT_ALG_INVAL },
    { "PS384", LEVERS_KTY_RSA, 0, 1, "SHA384", JWT_ALG_INVAL },
    { "PS512", LEVERS_KTY_RSA, 0, 1, "SHA512", JWT_ALG_INVAL },
};


typedef struct {
    const char  *crv;
    const char  *group;
    int          bits;
    size_t       coord;      /* bytes of one coordinate */
} levers_curve_t;


static const levers_curve_t  levers_curves[] = {
    { "P-256", "prime256v1", 256, 32 },
    { "P-384", "secp384r1", 384, 48 },
    { "P-521", "secp521r1", 521, 66 },
};


static void levers_err(char *err, size_t errlen, const char *fmt, ...);
static int levers_keys_push(levers_keyset_t *ks, size_t *cap,
    levers_jwk_t *key);
static void levers_jwk_clear(levers_jwk_t *key);
static int levers_parse_jwks(levers_keyset_t *ks, const char *data,
    size_t len, char *err, size_t errlen);
static int levers_parse_jwk(levers_jwk_t *key, json_t *jwk, size_t index,
    char *err, size_t errlen);
static int levers_jwk_rsa(levers_jwk_t *key, json_t *jwk, char *err,
    size_t errlen);
static int levers_jwk_ec(levers_jwk_t *key, json_t *jwk, char *err,
    size_t errlen);
static int levers_jwk_oct(levers_jwk_t *key, json_t *jwk, char *err,
    size_t errlen);
static unsigned char *levers_b64url_member(json_t *jwk, const char *name,
    size_t *len);
static int levers_parse_pem(levers_keyset_t *ks, const char *data,
    size_t len, char *err, size_t errlen);
static int levers_pkey_to_jwk(levers_jwk_t *key, EVP_PKEY *pkey,
    char *err, size_t errlen);
static int levers_pkey_check(EVP_PKEY *pkey);
static int levers_pkey_pem(levers_jwk_t *key, EVP_PKEY *pkey);
static json_t *levers_b64url_json(const char *src, size_t len);
static int levers_check_hmac(const levers_alg_desc_t *d,
    const levers_jwk_t *key, const unsigned char *input, size_t len,
    const unsigned char *sig, size_t sig_len);
static int levers_check_evp(const levers_alg_desc_t *d,
    const levers_jwk_t *key, const unsigned char *input, size_t len,
    const unsigned char *sig, size_t sig_len);
static unsigned char *levers_ecdsa_der(const unsigned char *sig,
    size_t sig_len, size_t coord, size_t *der_len);
static jwt_t *levers_check_libjwt(const levers_alg_desc_t *d,
    const levers_jwk_t *key, const char *token);
static const char *levers_time_claim(const json_t *payload,
    const char *name, double *value);
static int levers_aud_has(const json_t *aud, const char *want);


static void
levers_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list  ap;

    if (err == NULL || errlen == 0) {
        return;
    }

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}


/* key sets */


levers_keyset_t *
levers_keyset_parse(const char *data, size_t len, char *err, size_t errlen)
{
    size_t            i;
    int               rc;
    levers_keyset_t  *ks;

    levers_err(err, errlen, "unknown error");

    ks = calloc(1, sizeof(levers_keyset_t));
    if (ks == NULL) {
        levers_err(err, errlen, "out of memory");
        return NULL;
    }

    ks->refs = 1;

    for (i = 0; i < len && isspace((unsigned char) data[i]); i++) {
        /* void */
    }

    if (i < len && data[i] == '{') {
        rc = levers_parse_jwks(ks, data, len, err, errlen);

    } else {
        rc = levers_parse_pem(ks, data, len, err, errlen);
    }

    if (rc == 0 && ks->nkeys == 0) {
        levers_err(err, errlen, "no usable key (%zu skipped)", ks->skipped);
        rc = -1;
    }

    if (rc != 0) {
        levers_keyset_release(ks);
        return NULL;
    }

    return ks;
}


levers_keyset_t *
levers_keyset_retain(levers_keyset_t *ks)
{
    if (ks != NULL) {
        ks->refs++;
    }

    return ks;
}


void
levers_keyset_release(levers_keyset_t *ks)
{
    size_t  i;

    if (ks == NULL || --ks->refs > 0) {
        return;
    }

    for (i = 0; i < ks->nkeys; i++) {
        levers_jwk_clear(&ks->keys[i]);
    }

    free(ks->keys);
    free(ks);
}


static int
levers_keys_push(levers_keyset_t *ks, size_t *cap, levers_jwk_t *key)
{
    size_t         n;
    levers_jwk_t  *keys;

    if (ks->nkeys == *cap) {
        n = *cap ? *cap * 2 : 4;

        keys = realloc(ks->keys, n * sizeof(levers_jwk_t));
        if (keys == NULL) {
            return -1;
        }

        ks->keys = keys;
        *cap = n;
    }

    ks->keys[ks->nkeys++] = *key;

    return 0;
}


static void
levers_jwk_clear(levers_jwk_t *key)
{
    free(key->kid);
    free(key->pem);
    EVP_PKEY_free(key->pkey);

    if (key->secret != NULL) {
        OPENSSL_cleanse(key->secret, key->secret_len);
        free(key->secret);
    }

    memset(key, 0, sizeof(levers_jwk_t));
}


static int
levers_parse_jwks(levers_keyset_t *ks, const char *data, size_t len,
    char *err, size_t errlen)
{
    int            rc;
    size_t         i, cap;
    json_t        *root, *keys, *jwk;
    json_error_t   jerr;
    levers_jwk_t   key;

    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        levers_err(err, errlen, "invalid JSON at line %d: %s",
                   jerr.line, jerr.text);
        return -1;
    }

    keys = json_object_get(root, "keys");

    if (keys == NULL && json_object_get(root, "kty") != NULL) {
        keys = json_array();
        if (keys == NULL || json_array_append(keys, root) != 0) {
            json_decref(keys);
            json_decref(root);
            levers_err(err, errlen, "out of memory");
            return -1;
        }

    } else if (!json_is_array(keys)) {
        json_decref(root);
        levers_err(err, errlen, "JSON without a \"keys\" array nor \"kty\"");
        return -1;

    } else {
        json_incref(keys);
    }

    rc = 0;
    cap = 0;

    json_array_foreach(keys, i, jwk) {
        memset(&key, 0, sizeof(levers_jwk_t));

        rc = levers_parse_jwk(&key, jwk, i, err, errlen);

        if (rc == 1) {
            ks->skipped++;
            rc = 0;
            continue;
        }

        if (rc != 0) {
            break;
        }

        if (levers_keys_push(ks, &cap, &key) != 0) {
            levers_jwk_clear(&key);
            levers_err(err, errlen, "out of memory");
            rc = -1;
            break;
        }
    }

    json_decref(keys);
    json_decref(root);

    return rc;
}


/* 0: key parsed; 1: key of a kind we skip; -1: error */

static int
levers_parse_jwk(levers_jwk_t *key, json_t *jwk, size_t index, char *err,
    size_t errlen)
{
    int          rc;
    char         why[200];
    const char  *kty, *use, *alg, *kid;

    if (!json_is_object(jwk)) {
        levers_err(err, errlen, "key %zu: not a JSON object", index);
        return -1;
    }

    kty = json_string_value(json_object_get(jwk, "kty"));
    if (kty == NULL) {
        levers_err(err, errlen, "key %zu: no \"kty\" string", index);
        return -1;
    }

    use = json_string_value(json_object_get(jwk, "use"));
    if (json_object_get(jwk, "use") != NULL
        && (use == NULL || strcmp(use, "sig") != 0))
    {
        return 1;
    }

    key->alg = -1;

    if (json_object_get(jwk, "alg") != NULL) {
        alg = json_string_value(json_object_get(jwk, "alg"));
        if (alg == NULL) {
            levers_err(err, errlen, "key %zu: \"alg\" is not a string",
                       index);
            return -1;
        }

        key->alg = levers_alg_from_name(alg, strlen(alg));
        if (key->alg < 0) {
            return 1;
        }
    }

    if (json_object_get(jwk, "kid") != NULL) {
        kid = json_string_value(json_object_get(jwk, "kid"));
        if (kid == NULL) {
            levers_err(err, errlen, "key %zu: \"kid\" is not a string",
                       index);
            return -1;
        }

        key->kid = strdup(kid);
        if (key->kid == NULL) {
            levers_err(err, errlen, "out of memory");
            return -1;
        }
    }

    why[0] = '\0';

    if (strcmp(kty, "RSA") == 0) {
        rc = levers_jwk_rsa(key, jwk, why, sizeof(why));

    } else if (strcmp(kty, "EC") == 0) {
        rc = levers_jwk_ec(key, jwk, why, sizeof(why));

    } else if (strcmp(kty, "oct") == 0) {
        rc = levers_jwk_oct(key, jwk, why, sizeof(why));

    } else {
        rc = 1;
    }

    if (rc == 0 && key->alg >= 0
        && levers_algs[key->alg].kty != key->kty)
    {
        snprintf(why, sizeof(why), "\"alg\" %s does not fit \"kty\" %s",
                 levers_algs[key->alg].name, kty);
        rc = -1;
    }

    if (rc < 0) {
        if (key->kid != NULL) {
            levers_err(err, errlen, "key %zu (kid \"%.64s\"): %s", index,
                       key->kid, why);

        } else {
            levers_err(err, errlen, "key %zu: %s", index, why);
        }
    }

    if (rc != 0) {
        levers_jwk_clear(key);
    }

    return rc;
}


static int
levers_jwk_rsa(levers_jwk_t *key, json_t *jwk, char *err, size_t errlen)
{
    int              rc;
    size_t           nlen, elen;
    BIGNUM          *n, *e;
    OSSL_PARAM      *params;
    EVP_PKEY_CTX    *ctx;
    unsigned char   *nbin, *ebin;
    OSSL_PARAM_BLD  *bld;

    nbin = levers_b64url_member(jwk, "n", &nlen);
    ebin = levers_b64url_member(jwk, "e", &elen);

    rc = -1;
    n = NULL;
    e = NULL;
    bld = NULL;
    params = NULL;
    ctx = NULL;

    if (nbin == NULL || ebin == NULL || nlen == 0 || elen == 0) {
        levers_err(err, errlen, "RSA key without valid base64url \"n\" "
                   "and \"e\"");
        goto done;
    }

    n = BN_bin2bn(nbin, (int) nlen, NULL);
    e = BN_bin2bn(ebin, (int) elen, NULL);
    bld = OSSL_PARAM_BLD_new();

    if (n == NULL || e == NULL || bld == NULL
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n)
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)
        || (params = OSSL_PARAM_BLD_to_param(bld)) == NULL
        || (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL
        || EVP_PKEY_fromdata_init(ctx) <= 0
        || EVP_PKEY_fromdata(ctx, &key->pkey, EVP_PKEY_PUBLIC_KEY, params)
           <= 0)
    {
        levers_err(err, errlen, "RSA key rejected by OpenSSL");
        goto done;
    }

    rc = levers_pkey_to_jwk(key, key->pkey, err, errlen);

done:

    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    free(nbin);
    free(ebin);

    return rc;
}


static int
levers_jwk_ec(levers_jwk_t *key, json_t *jwk, char *err, size_t errlen)
{
    int                    rc;
    size_t                 i, xlen, ylen;
    const char            *crv;
    OSSL_PARAM             params[3];
    EVP_PKEY_CTX          *ctx;
    unsigned char         *x, *y, point[1 + 2 * 66];
    const levers_curve_t  *c;

    crv = json_string_value(json_object_get(jwk, "crv"));
    if (crv == NULL) {
        levers_err(err, errlen, "EC key without a \"crv\" string");
        return -1;
    }

    c = NULL;

    for (i = 0; i < sizeof(levers_curves) / sizeof(levers_curves[0]); i++) {
        if (strcmp(crv, levers_curves[i].crv) == 0) {
            c = &levers_curves[i];
        }
    }

    if (c == NULL) {
        return 1;
    }

    x = levers_b64url_member(jwk, "x", &xlen);
    y = levers_b64url_member(jwk, "y", &ylen);

    rc = -1;
    ctx = NULL;

    if (x == NULL || y == NULL || xlen != c->coord || ylen != c->coord) {
        levers_err(err, errlen, "EC %s key without base64url \"x\" and "
                   "\"y\" of %zu bytes", crv, c->coord);
        goto done;
    }

    point[0] = 0x04;
    memcpy(point + 1, x, xlen);
    memcpy(point + 1 + xlen, y, ylen);

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *) c->group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                                  point, 1 + 2 * c->coord);
    params[2] = OSSL_PARAM_construct_end();

    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);

    if (ctx == NULL
        || EVP_PKEY_fromdata_init(ctx) <= 0
        || EVP_PKEY_fromdata(ctx, &key->pkey, EVP_PKEY_PUBLIC_KEY, params)
           <= 0)
    {
        levers_err(err, errlen, "EC %s key rejected by OpenSSL", crv);
        goto done;
    }

    rc = levers_pkey_to_jwk(key, key->pkey, err, errlen);

done:

    EVP_PKEY_CTX_free(ctx);
    free(x);
    free(y);

    return rc;
}


static int
levers_jwk_oct(levers_jwk_t *key, json_t *jwk, char *err, size_t errlen)
{
    key->kty = LEVERS_KTY_OCT;
    key->secret = levers_b64url_member(jwk, "k", &key->secret_len);

    if (key->secret == NULL || key->secret_len == 0) {
        levers_err(err, errlen, "oct key without a valid base64url \"k\"");
        return -1;
    }

    return 0;
}


static unsigned char *
levers_b64url_member(json_t *jwk, const char *name, size_t *len)
{
    long            n;
    const char     *s;
    unsigned char  *buf;

    s = json_string_value(json_object_get(jwk, name));
    if (s == NULL) {
        return NULL;
    }

    buf = malloc(strlen(s) / 4 * 3 + 3);
    if (buf == NULL) {
        return NULL;
    }

    n = levers_b64url_decode(buf, s, strlen(s));
    if (n < 0) {
        free(buf);
        return NULL;
    }

    *len = (size_t) n;

    return buf;
}


static int
levers_parse_pem(levers_keyset_t *ks, const char *data, size_t len,
    char *err, size_t errlen)
{
    int                   rc;
    BIO                  *bio;
    long                  dlen;
    char                 *name, *header;
    X509                 *x509;
    size_t                cap, block;
    EVP_PKEY             *pkey;
    unsigned long         e;
    levers_jwk_t          key;
    unsigned char        *der;
    const unsigned char  *p;

    bio = BIO_new_mem_buf(data, (int) len);
    if (bio == NULL) {
        levers_err(err, errlen, "out of memory");
        return -1;
    }

    rc = 0;
    cap = 0;

    for (block = 1; /* void */; block++) {
        name = NULL;
        header = NULL;
        der = NULL;
        pkey = NULL;

        ERR_clear_error();

        if (PEM_read_bio(bio, &name, &header, &der, &dlen) != 1) {
            e = ERR_peek_last_error();

            if (ERR_GET_LIB(e) == ERR_LIB_PEM
                && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
            {
                if (block == 1) {
                    levers_err(err, errlen, "neither a JWKS (JSON) nor PEM");
                    rc = -1;
                }

            } else {
                levers_err(err, errlen, "PEM block %zu is damaged", block);
                rc = -1;
            }

            break;
        }

        p = der;

        if (strcmp(name, "PUBLIC KEY") == 0) {
            pkey = d2i_PUBKEY(NULL, &p, dlen);

        } else if (strcmp(name, "RSA PUBLIC KEY") == 0) {
            pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, dlen);

            /* some tools label a SubjectPublicKeyInfo so */
            if (pkey == NULL) {
                p = der;
                pkey = d2i_PUBKEY(NULL, &p, dlen);

                if (pkey != NULL && EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
                {
                    EVP_PKEY_free(pkey);
                    pkey = NULL;
                }
            }

        } else if (strcmp(name, "CERTIFICATE") == 0) {
            x509 = d2i_X509(NULL, &p, dlen);
            if (x509 != NULL) {
                pkey = X509_get_pubkey(x509);
                X509_free(x509);
            }

        } else if (strstr(name, "PRIVATE KEY") != NULL) {
            levers_err(err, errlen, "PEM block %zu is a private key; "
                       "give the public key", block);
            rc = -1;

        } else {
            levers_err(err, errlen, "PEM block %zu: \"%s\" is not a public "
                       "key nor a certificate", block, name);
            rc = -1;
        }

        if (rc == 0 && pkey == NULL) {
            levers_err(err, errlen, "PEM block %zu (%s) does not parse",
                       block, name);
            rc = -1;
        }

        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(der);

        if (rc != 0) {
            break;
        }

        memset(&key, 0, sizeof(levers_jwk_t));
        key.alg = -1;
        key.pkey = pkey;

        if (levers_pkey_to_jwk(&key, pkey, err, errlen) != 0) {
            levers_jwk_clear(&key);
            rc = -1;
            break;
        }

        if (levers_keys_push(ks, &cap, &key) != 0) {
            levers_jwk_clear(&key);
            levers_err(err, errlen, "out of memory");
            rc = -1;
            break;
        }
    }

    ERR_clear_error();
    BIO_free(bio);

    return rc;
}


/* classifies an RSA or EC public key; takes no reference of its own */

static int
levers_pkey_to_jwk(levers_jwk_t *key, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
    int     bits;
    char    group[64];
    size_t  i, glen;

    switch (EVP_PKEY_get_base_id(pkey)) {

    case EVP_PKEY_RSA:
        bits = EVP_PKEY_get_bits(pkey);
        if (bits < LEVERS_RSA_MIN_BITS) {
            levers_err(err, errlen, "RSA key of %d bits, at least %d needed",
                       bits, LEVERS_RSA_MIN_BITS);
            return -1;
        }

        key->kty = LEVERS_KTY_RSA;
        key->curve = bits;
        break;

    case EVP_PKEY_EC:
        if (!EVP_PKEY_get_utf8_string_param(pkey,
                                            OSSL_PKEY_PARAM_GROUP_NAME,
                                            group, sizeof(group), &glen))
        {
            levers_err(err, errlen, "EC key on an unnamed curve");
            return -1;
        }

        key->kty = LEVERS_KTY_EC;

        for (i = 0; i < sizeof(levers_curves) / sizeof(levers_curves[0]);
             i++)
        {
            if (strcmp(group, levers_curves[i].group) == 0) {
                key->curve = levers_curves[i].bits;
            }
        }

        if (key->curve == 0) {
            levers_err(err, errlen, "EC key on curve %s: only P-256, "
                       "P-384 and P-521 are used", group);
            return -1;
        }

        break;

    default:
        levers_err(err, errlen, "key type %s is not supported "
                   "(RSA and EC only)", EVP_PKEY_get0_type_name(pkey));
        return -1;
    }

    if (!levers_pkey_check(pkey)) {
        levers_err(err, errlen, "public key fails OpenSSL's check");
        return -1;
    }

    if (levers_pkey_pem(key, pkey) != 0) {
        levers_err(err, errlen, "cannot write the key as PEM");
        return -1;
    }

    return 0;
}


/*
 * The key as a SubjectPublicKeyInfo PEM ("PUBLIC KEY"), which is what
 * libjwt 1.10 reads (PEM_read_bio_PUBKEY()) on each verification:
 * written once here, whatever the key came from (JWK n/e or x/y, PKCS#1
 * "RSA PUBLIC KEY", a certificate).
 */

static int
levers_pkey_pem(levers_jwk_t *key, EVP_PKEY *pkey)
{
    BIO   *bio;
    char  *data;
    long   len;

    bio = BIO_new(BIO_s_mem());
    if (bio == NULL) {
        return -1;
    }

    len = 0;

    if (PEM_write_bio_PUBKEY(bio, pkey) == 1) {
        len = BIO_get_mem_data(bio, &data);
    }

    if (len > 0) {
        key->pem = malloc((size_t) len + 1);

        if (key->pem != NULL) {
            memcpy(key->pem, data, (size_t) len);
            key->pem[len] = '\0';
            key->pem_len = (size_t) len;
        }
    }

    BIO_free(bio);
    ERR_clear_error();

    return key->pem != NULL ? 0 : -1;
}


static int
levers_pkey_check(EVP_PKEY *pkey)
{
    int            rc;
    EVP_PKEY_CTX  *ctx;

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL) {
        return 0;
    }

    rc = EVP_PKEY_public_check(ctx);
    EVP_PKEY_CTX_free(ctx);

    ERR_clear_error();

    return rc == 1;
}


/* algorithms and signatures */


int
levers_alg_from_name(const char *name, size_t len)
{
    int  i;

    for (i = 0; i < LEVERS_ALG_COUNT; i++) {
        if (len == strlen(levers_algs[i].name)
            && memcmp(name, levers_algs[i].name, len) == 0)
        {
            return i;
        }
    }

    return -1;
}


const char *
levers_alg_name(int alg)
{
    if (alg < 0 || alg >= LEVERS_ALG_COUNT) {
        return "?";
    }

    return levers_algs[alg].name;
}


int
levers_alg_fits_key(int alg, const levers_jwk_t *key)
{
    const levers_alg_desc_t  *d;

    if (alg < 0 || alg >= LEVERS_ALG_COUNT) {
        return 0;
    }

    d = &levers_algs[alg];

    if (key->kty != d->kty || (key->alg >= 0 && key->alg != alg)) {
        return 0;
    }

    switch (d->kty) {

    case LEVERS_KTY_OCT:
        /* RFC 7518 3.2: a key at least as long as the hash output */
        return key->secret != NULL
               && key->secret_len >= (size_t) d->bits;

    case LEVERS_KTY_EC:
        return key->pkey != NULL && key->curve == d->bits;

    case LEVERS_KTY_RSA:
        return key->pkey != NULL;
    }

    return 0;
}


int
levers_alg_by_libjwt(int alg)
{
    return alg >= 0 && alg < LEVERS_ALG_COUNT
           && levers_algs[alg].jwt_alg != JWT_ALG_INVAL;
}


int
levers_jws_check_signature(const levers_jws_t *jws, const char *token,
    const levers_jwk_t *key, jwt_t **jwt)
{
    const unsigned char      *input;
    const levers_alg_desc_t  *d;

    *jwt = NULL;

    /* the rule that keeps a public key from becoming an HMAC secret */
    if (!levers_alg_fits_key(jws->alg, key)) {
        return 0;
    }

    d = &levers_algs[jws->alg];
    input = (const unsigned char *) token;

    /*
     * First with OpenSSL on the key parsed once: HMAC in constant time,
     * the others in tens of microseconds.  Only a signature that passes
     * goes on to libjwt, so
     *  - libjwt's HMAC comparison never sees a wrong MAC (upstream libjwt
     *    1.10 compares with strcmp(); Debian's 1.10.2-1+deb12u1 fixed
     *    that, CVE-2024-25189, other builds may not have);
     *  - a forged or damaged token never costs libjwt's PEM parse
     *    (hundreds of microseconds with OpenSSL 3.0), once per key tried:
     *    libjwt runs at most once per request, on the key that verified.
     */
    if (d->kty == LEVERS_KTY_OCT) {
        if (!levers_check_hmac(d, key, input, jws->signed_len, jws->sig,
                               jws->sig_len))
        {
            return 0;
        }

    } else if (!levers_check_evp(d, key, input, jws->signed_len, jws->sig,
                                 jws->sig_len))
    {
        return 0;
    }

    /* PS*: libjwt 1.10 has no RSASSA-PSS, OpenSSL's word is final */
    if (d->jwt_alg == JWT_ALG_INVAL) {
        return 1;
    }

    /* HS*, RS*, ES*: libjwt verifies and decodes, and must agree */
    *jwt = levers_check_libjwt(d, key, token);

    return *jwt != NULL;
}


static int
levers_check_hmac(const levers_alg_desc_t *d, const levers_jwk_t *key,
    const unsigned char *input, size_t len, const unsigned char *sig,
    size_t sig_len)
{
    unsigned int    mac_len;
    const EVP_MD   *md;
    unsigned char   mac[EVP_MAX_MD_SIZE];

    md = EVP_get_digestbyname(d->digest);
    if (md == NULL) {
        return 0;
    }

    if (HMAC(md, key->secret, (int) key->secret_len, input, len, mac,
             &mac_len)
        == NULL)
    {
        return 0;
    }

    return sig_len == mac_len && CRYPTO_memcmp(mac, sig, mac_len) == 0;
}


/*
 * libjwt 1.10: the signature and the decoding of HS*, RS* and ES*
 * tokens.  The key material is the raw secret ("oct") or the key's
 * SubjectPublicKeyInfo PEM; libjwt parses the PEM, checks its type
 * against the algorithm, and takes ES* signatures as JWS R || S.  What
 * libjwt decoded must carry the algorithm we matched to the key.
 */

static jwt_t *
levers_check_libjwt(const levers_alg_desc_t *d, const levers_jwk_t *key,
    const char *token)
{
    int                   rc, key_len;
    jwt_t                *jwt;
    const unsigned char  *material;

    if (d->kty == LEVERS_KTY_OCT) {
        material = key->secret;
        key_len = (int) key->secret_len;

    } else {
        material = (const unsigned char *) key->pem;
        key_len = (int) key->pem_len;
    }

    if (material == NULL || key_len <= 0) {
        return NULL;
    }

    jwt = NULL;

    rc = jwt_decode(&jwt, token, material, key_len);

    /* libjwt leaves OpenSSL errors behind; nginx reads that queue */
    ERR_clear_error();

    if (rc != 0 || jwt == NULL) {
        jwt_free(jwt);
        return NULL;
    }

    if (jwt_get_alg(jwt) != d->jwt_alg) {
        jwt_free(jwt);
        return NULL;
    }

    return jwt;
}


/*
 * OpenSSL EVP: RSASSA-PKCS1-v1_5, RSASSA-PSS (salt length = digest
 * length, MGF1 with the same digest) and ECDSA, on the key parsed once.
 */

static int
levers_check_evp(const levers_alg_desc_t *d, const levers_jwk_t *key,
    const unsigned char *input, size_t len, const unsigned char *sig,
    size_t sig_len)
{
    int             ok;
    size_t          der_len;
    EVP_MD_CTX     *mctx;
    const EVP_MD   *md;
    EVP_PKEY_CTX   *pctx;
    unsigned char  *der;

    md = EVP_get_digestbyname(d->digest);
    if (md == NULL) {
        return 0;
    }

    der = NULL;

    if (d->kty == LEVERS_KTY_EC) {
        /* JWS carries R || S; OpenSSL wants an ASN.1 ECDSA-Sig-Value */
        der = levers_ecdsa_der(sig, sig_len, ((size_t) d->bits + 7) / 8,
                               &der_len);
        if (der == NULL) {
            return 0;
        }

        sig = der;
        sig_len = der_len;
    }

    ok = 0;

    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        goto done;
    }

    if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key->pkey) != 1) {
        goto done;
    }

    if (d->pss
        && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                                                RSA_PSS_SALTLEN_DIGEST)
               <= 0
            || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0))
    {
        goto done;
    }

    ok = EVP_DigestVerify(mctx, sig, sig_len, input, len) == 1;

done:

    EVP_MD_CTX_free(mctx);
    free(der);
    ERR_clear_error();

    return ok;
}


static unsigned char *
levers_ecdsa_der(const unsigned char *sig, size_t sig_len, size_t coord,
    size_t *der_len)
{
    int             n;
    BIGNUM         *r, *s;
    ECDSA_SIG      *es;
    unsigned char  *der, *p;

    if (sig_len != 2 * coord) {
        return NULL;
    }

    es = ECDSA_SIG_new();
    r = BN_bin2bn(sig, (int) coord, NULL);
    s = BN_bin2bn(sig + coord, (int) coord, NULL);

    if (es == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(es, r, s)) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return NULL;
    }

    der = NULL;

    n = i2d_ECDSA_SIG(es, NULL);
    if (n > 0 && (der = malloc((size_t) n)) != NULL) {
        p = der;
        *der_len = (size_t) i2d_ECDSA_SIG(es, &p);
    }

    ECDSA_SIG_free(es);

    return der;
}


/* tokens */


long
levers_b64url_decode(unsigned char *dst, const char *src, size_t len)
{
    int             v;
    size_t          i;
    unsigned char   c, *d;
    unsigned long   acc;
    unsigned int    bits;

    if (len % 4 == 1) {
        return -1;
    }

    d = dst;
    acc = 0;
    bits = 0;

    for (i = 0; i < len; i++) {
        c = (unsigned char) src[i];

        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';

        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;

        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;

        } else if (c == '-') {
            v = 62;

        } else if (c == '_') {
            v = 63;

        } else {
            return -1;
        }

        acc = (acc << 6) | (unsigned long) v;
        bits += 6;

        if (bits >= 8) {
            bits -= 8;
            *d++ = (unsigned char) (acc >> bits);
            acc &= (1ul << bits) - 1;
        }
    }

    /* the unused low bits of the last character must be zero */
    if (acc != 0) {
        return -1;
    }

    return (long) (d - dst);
}


static json_t *
levers_b64url_json(const char *src, size_t len)
{
    long            n;
    json_t         *json;
    unsigned char  *buf;

    buf = malloc(len / 4 * 3 + 3);
    if (buf == NULL) {
        return NULL;
    }

    n = levers_b64url_decode(buf, src, len);
    if (n <= 0) {
        free(buf);
        return NULL;
    }

    json = json_loadb((const char *) buf, (size_t) n, JSON_REJECT_DUPLICATES,
                      NULL);
    free(buf);

    if (json != NULL && !json_is_object(json)) {
        json_decref(json);
        return NULL;
    }

    return json;
}


const char *
levers_jws_decode(levers_jws_t *jws, const char *token, size_t len)
{
    long         n;
    size_t       i, dots[2], ndots;
    json_t      *alg, *kid, *typ;
    const char  *name, *reason;

    memset(jws, 0, sizeof(levers_jws_t));
    jws->alg = -1;

    if (len > LEVERS_JWT_MAX_TOKEN) {
        return "token too large";
    }

    ndots = 0;

    for (i = 0; i < len; i++) {
        if (token[i] == '.') {
            if (ndots == 2) {
                return "malformed token";
            }

            dots[ndots++] = i;
        }
    }

    if (ndots != 2 || dots[0] == 0 || dots[1] == dots[0] + 1) {
        return "malformed token";
    }

    reason = "malformed token";

    jws->header = levers_b64url_json(token, dots[0]);
    if (jws->header == NULL) {
        goto failed;
    }

    alg = json_object_get(jws->header, "alg");
    name = json_string_value(alg);

    if (name == NULL) {
        goto failed;
    }

    if (strcasecmp(name, "none") == 0) {
        reason = "algorithm \"none\" is not accepted";
        goto failed;
    }

    jws->alg = levers_alg_from_name(name, json_string_length(alg));
    if (jws->alg < 0) {
        reason = "unsupported algorithm";
        goto failed;
    }

    /* RFC 7515 4.1.11: we understand no extension, so "crit" fails */
    if (json_object_get(jws->header, "crit") != NULL) {
        reason = "unsupported critical header";
        goto failed;
    }

    kid = json_object_get(jws->header, "kid");
    if (kid != NULL) {
        jws->kid = json_string_value(kid);
        if (jws->kid == NULL) {
            goto failed;
        }
    }

    /*
     * libjwt 1.10 refuses a "typ" other than "JWT" (in any case): said
     * here by name, and for every algorithm alike
     */
    typ = json_object_get(jws->header, "typ");
    if (typ != NULL
        && (!json_is_string(typ)
            || strcasecmp(json_string_value(typ), "JWT") != 0))
    {
        reason = "unsupported token type";
        goto failed;
    }

    jws->payload = levers_b64url_json(token + dots[0] + 1,
                                      dots[1] - dots[0] - 1);
    if (jws->payload == NULL) {
        goto failed;
    }

    /* checked after "alg", so an unsigned token is named as such */
    if (dots[1] == len - 1) {
        reason = "token is not signed";
        goto failed;
    }

    jws->sig = malloc((len - dots[1] - 1) / 4 * 3 + 3);
    if (jws->sig == NULL) {
        reason = "out of memory";
        goto failed;
    }

    n = levers_b64url_decode(jws->sig, token + dots[1] + 1,
                             len - dots[1] - 1);
    if (n <= 0) {
        goto failed;
    }

    jws->sig_len = (size_t) n;
    jws->signed_len = dots[1];
    jws->len = len;

    return NULL;

failed:

    levers_jws_free(jws);

    return reason;
}


void
levers_jws_free(levers_jws_t *jws)
{
    json_decref(jws->header);
    json_decref(jws->payload);
    free(jws->sig);

    memset(jws, 0, sizeof(levers_jws_t));
    jws->alg = -1;
}


const char *
levers_jws_verify(const levers_jws_t *jws, const char *token,
    unsigned alg_mask, levers_keyset_t *const *sets, size_t nsets,
    jwt_t **jwt)
{
    int                  by_kid, pass;
    char                *copy;
    size_t               s, k, tried;
    const levers_jwk_t  *key;

    *jwt = NULL;

    if (jws->alg < 0 || jws->alg >= LEVERS_ALG_COUNT
        || jws->header == NULL)
    {
        return "unsupported algorithm";
    }

    if (!(alg_mask & LEVERS_ALG_BIT(jws->alg))) {
        return "algorithm not allowed";
    }

    /* is there a key with the token's kid? */

    by_kid = 0;

    for (s = 0; jws->kid != NULL && s < nsets && !by_kid; s++) {
        for (k = 0; sets[s] != NULL && k < sets[s]->nkeys; k++) {
            key = &sets[s]->keys[k];

            if (key->kid != NULL && strcmp(key->kid, jws->kid) == 0) {
                by_kid = 1;
                break;
            }
        }
    }

    /* libjwt wants a C string; the token ends in the middle of a header */
    copy = malloc(jws->len + 1);
    if (copy == NULL) {
        return "out of memory";
    }

    memcpy(copy, token, jws->len);
    copy[jws->len] = '\0';

    tried = 0;

    for (pass = 0, s = 0; s < nsets; s++) {
        for (k = 0; sets[s] != NULL && k < sets[s]->nkeys; k++) {
            key = &sets[s]->keys[k];

            if (by_kid) {
                if (key->kid == NULL || strcmp(key->kid, jws->kid) != 0) {
                    continue;
                }

            } else if (jws->kid != NULL && key->kid != NULL) {
                continue;
            }

            if (!levers_alg_fits_key(jws->alg, key)) {
                continue;
            }

            tried++;

            if (levers_jws_check_signature(jws, copy, key, jwt)) {
                pass = 1;
                break;
            }
        }

        if (pass) {
            break;
        }
    }

    free(copy);

    if (pass) {
        return NULL;
    }

    if (tried == 0) {
        return "no key fits the token";
    }

    return "signature verification failed";
}


/* claims */


static const char *
levers_time_claim(const json_t *payload, const char *name, double *value)
{
    json_t  *v;

    v = json_object_get(payload, name);
    if (v == NULL) {
        return "";
    }

    if (!json_is_number(v) || !isfinite(json_number_value(v))) {
        return "claim of a wrong type";
    }

    *value = json_number_value(v);

    return NULL;
}


const char *
levers_claims_check(const json_t *payload,
    const levers_claims_policy_t *policy)
{
    size_t       i;
    double       t, now, leeway;
    json_t      *aud;
    const char  *why, *iss;

    now = (double) policy->now;
    leeway = (double) policy->leeway;

    why = levers_time_claim(payload, "exp", &t);

    if (why == NULL) {
        if (now >= t + leeway) {
            return "token expired";
        }

    } else if (*why != '\0') {
        return "\"exp\" is not a number";

    } else if (policy->require_exp) {
        return "token has no \"exp\"";
    }

    why = levers_time_claim(payload, "nbf", &t);

    if (why == NULL) {
        if (now + leeway < t) {
            return "token not yet valid";
        }

    } else if (*why != '\0') {
        return "\"nbf\" is not a number";
    }

    why = levers_time_claim(payload, "iat", &t);

    if (why == NULL) {
        if (now + leeway < t) {
            return "token issued in the future";
        }

    } else if (*why != '\0') {
        return "\"iat\" is not a number";
    }

    if (policy->issuer != NULL) {
        iss = json_string_value(json_object_get(payload, "iss"));

        if (iss == NULL || strcmp(iss, policy->issuer) != 0) {
            return "wrong issuer";
        }
    }

    if (policy->naudiences > 0) {
        aud = json_object_get(payload, "aud");

        for (i = 0; i < policy->naudiences; i++) {
            if (levers_aud_has(aud, policy->audiences[i])) {
                break;
            }
        }

        if (i == policy->naudiences) {
            return "wrong audience";
        }
    }

    return NULL;
}


static int
levers_aud_has(const json_t *aud, const char *want)
{
    size_t   i;
    json_t  *v;

    if (json_is_string(aud)) {
        return strcmp(json_string_value(aud), want) == 0;
    }

    if (json_is_array(aud)) {
        json_array_foreach(aud, i, v) {
            if (json_is_string(v)
                && strcmp(json_string_value(v), want) == 0)
            {
                return 1;
            }
        }
    }

    return 0;
}


int
levers_claim_matches(const json_t *claim, const char *value, size_t len)
{
    int      ok;
    char    *text;
    size_t   i;
    json_t  *v;

    if (claim == NULL) {
        return 0;
    }

    if (value == NULL) {
        return 1;
    }

    if (json_is_string(claim)) {
        return json_string_length(claim) == len
               && memcmp(json_string_value(claim), value, len) == 0;
    }

    if (json_is_array(claim)) {
        json_array_foreach(claim, i, v) {
            if (!json_is_array(v) && levers_claim_matches(v, value, len)) {
                return 1;
            }
        }

        return 0;
    }

    if (json_is_object(claim)) {
        return 0;
    }

    text = json_dumps(claim, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL) {
        return 0;
    }

    ok = strlen(text) == len && memcmp(text, value, len) == 0;
    free(text);

    return ok;
}

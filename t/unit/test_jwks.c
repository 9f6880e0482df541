/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_jwks.c: strict base64url, token decoding
 * (segments, "none" in every case, "crit", duplicate members, size
 * bound), key sets from PEM and JWKS (RSA, EC, oct; skipped and refused
 * keys), the algorithm-to-key-type rule (no public key as an HMAC
 * secret), signatures of every family made here with OpenSSL, verified
 * by libjwt 1.10 (HS*, RS*, ES*, whose decoded token is handed back) or
 * by OpenSSL (PS*), what libjwt alone would accept and we do not, key
 * selection by kid, and registered claims with leeway.
 *
 *   make -C t/unit build/test_jwks && t/unit/build/test_jwks
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "levers_jwks.h"


#define TOKEN_MAX  8192


typedef struct {
    EVP_PKEY  *rsa;          /* 2048 bits */
    EVP_PKEY  *rsa2;         /* another one */
    EVP_PKEY  *ec256;
    EVP_PKEY  *ec384;
    EVP_PKEY  *ec521;
    char      *rsa_pem;      /* public keys as PEM */
    char      *rsa2_pem;
    char      *ec256_pem;
    char      *ec384_pem;
    char      *ec521_pem;
} keys_t;


static keys_t  K;


/* helpers */


static size_t
b64url(char *dst, const unsigned char *src, size_t len)
{
    static const char  tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                               "qrstuvwxyz0123456789-_";
    size_t             i, n;
    unsigned long      v;

    n = 0;

    for (i = 0; i + 2 < len; i += 3) {
        v = (unsigned long) src[i] << 16 | src[i + 1] << 8 | src[i + 2];
        dst[n++] = tab[(v >> 18) & 63];
        dst[n++] = tab[(v >> 12) & 63];
        dst[n++] = tab[(v >> 6) & 63];
        dst[n++] = tab[v & 63];
    }

    if (len - i == 1) {
        v = (unsigned long) src[i] << 16;
        dst[n++] = tab[(v >> 18) & 63];
        dst[n++] = tab[(v >> 12) & 63];

    } else if (len - i == 2) {
        v = (unsigned long) src[i] << 16 | src[i + 1] << 8;
        dst[n++] = tab[(v >> 18) & 63];
        dst[n++] = tab[(v >> 12) & 63];
        dst[n++] = tab[(v >> 6) & 63];
    }

    dst[n] = '\0';

    return n;
}


static char *
pem_of(EVP_PKEY *pkey)
{
    BIO   *bio;
    char  *data, *pem;
    long   len;

    bio = BIO_new(BIO_s_mem());
    assert_non_null(bio);
    assert_int_equal(PEM_write_bio_PUBKEY(bio, pkey), 1);

    len = BIO_get_mem_data(bio, &data);
    pem = malloc((size_t) len + 1);
    assert_non_null(pem);
    memcpy(pem, data, (size_t) len);
    pem[len] = '\0';

    BIO_free(bio);

    return pem;
}


static const char *
digest_of(const char *alg)
{
    if (strcmp(alg + 2, "256") == 0) {
        return "SHA256";
    }

    if (strcmp(alg + 2, "384") == 0) {
        return "SHA384";
    }

    return "SHA512";
}


/* signature bytes in JWS form (R || S for ECDSA) */

static size_t
sign(const char *alg, EVP_PKEY *pkey, const unsigned char *secret,
    size_t secret_len, const char *input, unsigned char *sig)
{
    size_t                len, coord;
    unsigned int          mlen;
    EVP_MD_CTX           *mctx;
    EVP_PKEY_CTX         *pctx;
    const EVP_MD         *md;
    ECDSA_SIG            *es;
    const BIGNUM         *r, *s;
    unsigned char         der[1024];
    const unsigned char  *p;

    md = EVP_get_digestbyname(digest_of(alg));
    assert_non_null(md);

    if (alg[0] == 'H') {
        assert_non_null(HMAC(md, secret, (int) secret_len,
                             (const unsigned char *) input, strlen(input),
                             sig, &mlen));
        return mlen;
    }

    mctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit(mctx, &pctx, md, NULL, pkey), 1);

    if (alg[0] == 'P') {
        assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx,
                                                 RSA_PKCS1_PSS_PADDING) > 0);
        assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
                                                  RSA_PSS_SALTLEN_DIGEST)
                    > 0);
    }

    len = sizeof(der);
    assert_int_equal(EVP_DigestSign(mctx, der, &len,
                                    (const unsigned char *) input,
                                    strlen(input)), 1);
    EVP_MD_CTX_free(mctx);

    if (alg[0] != 'E') {
        memcpy(sig, der, len);
        return len;
    }

    coord = strcmp(alg, "ES256") == 0 ? 32 : strcmp(alg, "ES384") == 0
                                             ? 48 : 66;
    p = der;
    es = d2i_ECDSA_SIG(NULL, &p, (long) len);
    assert_non_null(es);
    ECDSA_SIG_get0(es, &r, &s);
    assert_true(BN_bn2binpad(r, sig, (int) coord) > 0);
    assert_true(BN_bn2binpad(s, sig + coord, (int) coord) > 0);
    ECDSA_SIG_free(es);

    return 2 * coord;
}


/* header JSON and payload JSON to a signed compact token */

static char *
mint(const char *header, const char *payload, const char *alg,
    EVP_PKEY *pkey, const unsigned char *secret, size_t secret_len)
{
    char           *t;
    size_t          n, slen;
    unsigned char   sig[1024];

    t = malloc(TOKEN_MAX);
    assert_non_null(t);

    n = b64url(t, (const unsigned char *) header, strlen(header));
    t[n++] = '.';
    n += b64url(t + n, (const unsigned char *) payload, strlen(payload));

    slen = sign(alg, pkey, secret, secret_len, t, sig);

    t[n++] = '.';
    b64url(t + n, sig, slen);

    return t;
}


static levers_keyset_t *
parse_ok(const char *text)
{
    char              err[256];
    levers_keyset_t  *ks;

    ks = levers_keyset_parse(text, strlen(text), err, sizeof(err));
    if (ks == NULL) {
        fail_msg("key set does not parse: %s", err);
    }

    return ks;
}


static void
parse_fails(const char *text, const char *want)
{
    char              err[256];
    levers_keyset_t  *ks;

    ks = levers_keyset_parse(text, strlen(text), err, sizeof(err));
    if (ks != NULL) {
        levers_keyset_release(ks);
        fail_msg("key set parses, expected: %s", want);
    }

    if (strstr(err, want) == NULL) {
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
    }
}


/* a JWK of a public key, from its OpenSSL parameters */

static char *
jwk_of(EVP_PKEY *pkey, const char *extra)
{
    char           *out, n64[1024], e64[64], x64[128], y64[128];
    BIGNUM         *n, *e;
    size_t          plen, coord;
    unsigned char   buf[1024], pub[200];
    char            group[64];

    out = malloc(4096);
    assert_non_null(out);

    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        n = NULL;
        e = NULL;
        assert_true(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n));
        assert_true(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e));
        b64url(n64, buf, (size_t) BN_bn2bin(n, buf));
        b64url(e64, buf, (size_t) BN_bn2bin(e, buf));
        BN_free(n);
        BN_free(e);

        snprintf(out, 4096, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"%s}",
                 n64, e64, extra);
        return out;
    }

    assert_true(EVP_PKEY_get_utf8_string_param(pkey,
                                               OSSL_PKEY_PARAM_GROUP_NAME,
                                               group, sizeof(group), NULL));
    assert_true(EVP_PKEY_get_octet_string_param(pkey,
                                                OSSL_PKEY_PARAM_PUB_KEY,
                                                pub, sizeof(pub), &plen));
    coord = (plen - 1) / 2;
    b64url(x64, pub + 1, coord);
    b64url(y64, pub + 1 + coord, coord);

    snprintf(out, 4096, "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\","
             "\"y\":\"%s\"%s}",
             strcmp(group, "prime256v1") == 0 ? "P-256"
             : strcmp(group, "secp384r1") == 0 ? "P-384" : "P-521",
             x64, y64, extra);

    return out;
}


static int
setup(void **state)
{
    (void) state;

    K.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    K.rsa2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    K.ec256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    K.ec384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    K.ec521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");

    if (!K.rsa || !K.rsa2 || !K.ec256 || !K.ec384 || !K.ec521) {
        return -1;
    }

    K.rsa_pem = pem_of(K.rsa);
    K.rsa2_pem = pem_of(K.rsa2);
    K.ec256_pem = pem_of(K.ec256);
    K.ec384_pem = pem_of(K.ec384);
    K.ec521_pem = pem_of(K.ec521);

    return 0;
}


static int
teardown(void **state)
{
    (void) state;

    EVP_PKEY_free(K.rsa);
    EVP_PKEY_free(K.rsa2);
    EVP_PKEY_free(K.ec256);
    EVP_PKEY_free(K.ec384);
    EVP_PKEY_free(K.ec521);
    free(K.rsa_pem);
    free(K.rsa2_pem);
    free(K.ec256_pem);
    free(K.ec384_pem);
    free(K.ec521_pem);

    return 0;
}


/* verify a token against one set, with every algorithm allowed */

static const char *
verify(const char *token, levers_keyset_t *ks, unsigned mask)
{
    jwt_t         *jwt;
    const char    *reason;
    levers_jws_t   jws;

    jwt = NULL;

    reason = levers_jws_decode(&jws, token, strlen(token));
    if (reason == NULL) {
        reason = levers_jws_verify(&jws, token, mask, &ks, 1, &jwt);

        /* libjwt's decoded token comes back exactly when libjwt checked */
        if (reason == NULL && levers_alg_by_libjwt(jws.alg)) {
            assert_non_null(jwt);
            assert_int_equal(jwt_get_alg(jwt), jws.alg + 1);

        } else {
            assert_null(jwt);
        }
    }

    jwt_free(jwt);
    levers_jws_free(&jws);

    return reason;
}


#define ALL  ((1u << LEVERS_ALG_COUNT) - 1)


/* tests */


static void
test_b64url(void **state)
{
    unsigned char  out[16];

    (void) state;

    assert_int_equal(levers_b64url_decode(out, "", 0), 0);
    assert_int_equal(levers_b64url_decode(out, "YQ", 2), 1);
    assert_int_equal(out[0], 'a');
    assert_int_equal(levers_b64url_decode(out, "YWI", 3), 2);
    assert_memory_equal(out, "ab", 2);
    assert_int_equal(levers_b64url_decode(out, "YWJj", 4), 3);
    assert_int_equal(levers_b64url_decode(out, "-_8", 3), 2);
    assert_int_equal(out[0], 0xfb);
    assert_int_equal(out[1], 0xff);

    /* padding, standard alphabet, bad length, non-zero spare bits */
    assert_int_equal(levers_b64url_decode(out, "YQ==", 4), -1);
    assert_int_equal(levers_b64url_decode(out, "+/8", 3), -1);
    assert_int_equal(levers_b64url_decode(out, "YWJjZ", 5), -1);
    assert_int_equal(levers_b64url_decode(out, "YR", 2), -1);
    assert_int_equal(levers_b64url_decode(out, "YW J", 4), -1);
}


static void
test_decode_rejects(void **state)
{
    char           big[LEVERS_JWT_MAX_TOKEN + 2];
    levers_jws_t   jws;
    const char    *r;

    (void) state;

    /* eyJhbGciOiJSUzI1NiJ9 = {"alg":"RS256"}, e30 = {} */

    assert_string_equal(levers_jws_decode(&jws, "", 0), "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "abc", 3),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "a.b", 3),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "a.b.c.d", 7),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "..", 2),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, ".e30.YQ", 7),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "eyJhbGciOiJSUzI1NiJ9..YQ",
                                          24),
                        "malformed token");
    assert_string_equal(levers_jws_decode(&jws, "e30.e30.YQ", 10),
                        "malformed token");          /* no alg */
    assert_string_equal(levers_jws_decode(&jws, "!!!.e30.YQ", 10),
                        "malformed token");
    r = "eyJhbGciOiJSUzI1NiJ9.e30.";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "token is not signed");
    /* payload "[]" is not an object */
    r = "eyJhbGciOiJSUzI1NiJ9.W10.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "malformed token");

    /* {"alg":"none"}, {"alg":"None"}, {"alg":"NONE"}, {"alg":"nOnE"} */
    r = "eyJhbGciOiJub25lIn0.e30.";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "algorithm \"none\" is not accepted");
    r = "eyJhbGciOiJOb25lIn0.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "algorithm \"none\" is not accepted");
    r = "eyJhbGciOiJOT05FIn0.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "algorithm \"none\" is not accepted");
    r = "eyJhbGciOiJuT25FIn0.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "algorithm \"none\" is not accepted");

    /* {"alg":"rs256"}: names are case-sensitive */
    r = "eyJhbGciOiJyczI1NiJ9.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "unsupported algorithm");

    /* {"alg":"RS256","crit":["exp"]} */
    r = "eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "unsupported critical header");

    /* {"alg":"RS256","alg":"HS256"}: duplicate member */
    r = "eyJhbGciOiJSUzI1NiIsImFsZyI6IkhTMjU2In0.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "malformed token");

    /* {"alg":"RS256","kid":1}: kid must be a string */
    r = "eyJhbGciOiJSUzI1NiIsImtpZCI6MX0.e30.YQ";
    assert_string_equal(levers_jws_decode(&jws, r, strlen(r)),
                        "malformed token");

    memset(big, 'A', sizeof(big));
    assert_string_equal(levers_jws_decode(&jws, big, sizeof(big)),
                        "token too large");

    /* everything was freed on the way: freeing again is harmless */
    levers_jws_free(&jws);
    assert_null(jws.header);
}


static void
test_decode_ok(void **state)
{
    levers_jws_t   jws;
    const char    *t;

    (void) state;

    /* {"alg":"ES256","kid":"k1"} . {"sub":"u"} . "ab" */
    t = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.YWI";

    assert_null(levers_jws_decode(&jws, t, strlen(t)));
    assert_int_equal(jws.alg, LEVERS_ALG_ES256);
    assert_string_equal(jws.kid, "k1");
    assert_string_equal(json_string_value(json_object_get(jws.payload,
                                                          "sub")), "u");
    assert_int_equal(jws.sig_len, 2);
    assert_memory_equal(jws.sig, "ab", 2);
    assert_int_equal(jws.signed_len, strchr(strchr(t, '.') + 1, '.') - t);
    assert_int_equal(jws.len, strlen(t));

    levers_jws_free(&jws);
}


/* "typ": absent or "JWT" in any case, as libjwt 1.10 wants */

static void
test_decode_typ(void **state)
{
    char          *t;
    levers_jws_t   jws;

    (void) state;

    t = mint("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", "{}", "RS256", K.rsa,
             NULL, 0);
    assert_null(levers_jws_decode(&jws, t, strlen(t)));
    levers_jws_free(&jws);
    free(t);

    t = mint("{\"alg\":\"RS256\",\"typ\":\"jwt\"}", "{}", "RS256", K.rsa,
             NULL, 0);
    assert_null(levers_jws_decode(&jws, t, strlen(t)));
    levers_jws_free(&jws);
    free(t);

    t = mint("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}", "{}", "RS256",
             K.rsa, NULL, 0);
    assert_string_equal(levers_jws_decode(&jws, t, strlen(t)),
                        "unsupported token type");
    free(t);

    /* the same rule for PS*, which libjwt does not see */
    t = mint("{\"alg\":\"PS256\",\"typ\":\"JOSE\"}", "{}", "PS256",
             K.rsa, NULL, 0);
    assert_string_equal(levers_jws_decode(&jws, t, strlen(t)),
                        "unsupported token type");
    free(t);

    t = mint("{\"alg\":\"RS256\",\"typ\":1}", "{}", "RS256", K.rsa,
             NULL, 0);
    assert_string_equal(levers_jws_decode(&jws, t, strlen(t)),
                        "unsupported token type");
    free(t);
}


static void
test_keyset_pem(void **state)
{
    char              *both;
    levers_keyset_t   *ks;

    (void) state;

    ks = parse_ok(K.rsa_pem);
    assert_int_equal(ks->nkeys, 1);
    assert_int_equal(ks->keys[0].kty, LEVERS_KTY_RSA);
    assert_int_equal(ks->keys[0].curve, 2048);
    assert_null(ks->keys[0].kid);
    levers_keyset_release(ks);

    both = malloc(strlen(K.ec384_pem) + strlen(K.rsa_pem) + 2);
    sprintf(both, "%s\n%s", K.ec384_pem, K.rsa_pem);
    ks = parse_ok(both);
    assert_int_equal(ks->nkeys, 2);
    assert_int_equal(ks->keys[0].kty, LEVERS_KTY_EC);
    assert_int_equal(ks->keys[0].curve, 384);
    assert_int_equal(ks->keys[1].kty, LEVERS_KTY_RSA);
    levers_keyset_release(ks);
    free(both);

    parse_fails("", "neither a JWKS (JSON) nor PEM");
    parse_fails("hello", "neither a JWKS (JSON) nor PEM");
    parse_fails("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
                "PEM block 1 is damaged");
    parse_fails("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                "-----END PRIVATE KEY-----\n", "private key");
    parse_fails("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                "-----END PUBLIC KEY-----\n", "does not parse");
}


static void
test_keyset_pem_small_rsa(void **state)
{
    char      *pem;
    EVP_PKEY  *small;

    (void) state;

    small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 1024);
    assert_non_null(small);
    pem = pem_of(small);

    parse_fails(pem, "RSA key of 1024 bits, at least 2048 needed");

    free(pem);
    EVP_PKEY_free(small);
}


static void
test_keyset_jwks(void **state)
{
    char              *rsa, *ec, *doc;
    levers_keyset_t   *ks;

    (void) state;

    rsa = jwk_of(K.rsa, ",\"kid\":\"r1\",\"use\":\"sig\",\"alg\":\"RS256\"");
    ec = jwk_of(K.ec521, ",\"kid\":\"e1\"");
    doc = malloc(16384);

    snprintf(doc, 16384,
             "{\"keys\":[%s,%s,"
             "{\"kty\":\"oct\",\"kid\":\"h1\",\"k\":\"c2VjcmV0\"},"
             "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"},"
             "{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AA\",\"e\":\"AQAB\"},"
             "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"n\":\"AA\","
             "\"e\":\"AQAB\"},"
             "{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\","
             "\"y\":\"AA\"}]}",
             rsa, ec);

    ks = parse_ok(doc);
    assert_int_equal(ks->nkeys, 3);
    assert_int_equal(ks->skipped, 4);
    assert_string_equal(ks->keys[0].kid, "r1");
    assert_int_equal(ks->keys[0].alg, LEVERS_ALG_RS256);
    assert_int_equal(ks->keys[1].kty, LEVERS_KTY_EC);
    assert_int_equal(ks->keys[1].curve, 521);
    assert_int_equal(ks->keys[1].alg, -1);
    assert_int_equal(ks->keys[2].kty, LEVERS_KTY_OCT);
    assert_int_equal(ks->keys[2].secret_len, 6);
    assert_memory_equal(ks->keys[2].secret, "secret", 6);

    /* reference counting */
    assert_ptr_equal(levers_keyset_retain(ks), ks);
    assert_int_equal(ks->refs, 2);
    levers_keyset_release(ks);
    assert_int_equal(ks->refs, 1);
    levers_keyset_release(ks);

    /* a single JWK is a set of one */
    ks = parse_ok(ec);
    assert_int_equal(ks->nkeys, 1);
    levers_keyset_release(ks);

    parse_fails("{\"keys\":[", "invalid JSON");
    parse_fails("{\"foo\":1}", "JSON without a \"keys\" array");
    parse_fails("{\"keys\":[]}", "no usable key (0 skipped)");
    parse_fails("{\"keys\":[{\"kty\":\"OKP\"}]}", "no usable key (1 skipped)");
    parse_fails("{\"keys\":[1]}", "key 0: not a JSON object");
    parse_fails("{\"keys\":[{\"kid\":\"x\"}]}", "key 0: no \"kty\" string");
    parse_fails("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"A+\","
                "\"e\":\"AQAB\"}]}",
                "key 0 (kid \"r\"): RSA key without valid base64url");
    parse_fails("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\","
                "\"y\":\"AA\"}]}", "of 32 bytes");
    parse_fails("{\"keys\":[{\"kty\":\"oct\",\"k\":\"\"}]}",
                "oct key without a valid base64url \"k\"");
    parse_fails("{\"keys\":[{\"kty\":\"oct\",\"alg\":\"RS256\","
                "\"k\":\"c2VjcmV0\"}]}",
                "\"alg\" RS256 does not fit \"kty\" oct");
    parse_fails("{\"keys\":[{\"kty\":\"oct\",\"k\":\"YQ\"},"
                "{\"kty\":\"oct\",\"k\":\"YQ\"}],\"keys\":[]}",
                "invalid JSON");

    free(rsa);
    free(ec);
    free(doc);
}


static void
test_keyset_jwks_bad_point(void **state)
{
    char  *ec, *p;

    (void) state;

    /* flip a byte of y: the point leaves the curve */
    ec = jwk_of(K.ec256, "");
    p = strstr(ec, "\"y\":\"") + 5;
    *p = (*p == 'A') ? 'B' : 'A';

    parse_fails(ec, "EC P-256 key rejected by OpenSSL");

    free(ec);
}


/* the PEM libjwt is given: written once per key, whatever its source */

static void
test_key_pem(void **state)
{
    int                   n;
    BIO                  *bio;
    char                 *jwk, *pkcs1;
    long                  len;
    unsigned char        *der;
    levers_keyset_t      *ks;

    (void) state;

    ks = parse_ok(K.rsa_pem);
    assert_non_null(ks->keys[0].pem);
    assert_string_equal(ks->keys[0].pem, K.rsa_pem);
    assert_int_equal(ks->keys[0].pem_len, strlen(K.rsa_pem));
    levers_keyset_release(ks);

    ks = parse_ok(K.ec521_pem);
    assert_string_equal(ks->keys[0].pem, K.ec521_pem);
    levers_keyset_release(ks);

    /* from JWK members n/e and x/y */
    jwk = jwk_of(K.rsa2, "");
    ks = parse_ok(jwk);
    assert_string_equal(ks->keys[0].pem, K.rsa2_pem);
    levers_keyset_release(ks);
    free(jwk);

    jwk = jwk_of(K.ec384, "");
    ks = parse_ok(jwk);
    assert_string_equal(ks->keys[0].pem, K.ec384_pem);
    levers_keyset_release(ks);
    free(jwk);

    /* PKCS#1 "RSA PUBLIC KEY", which libjwt cannot read, becomes SPKI */
    der = NULL;
    n = i2d_PublicKey(K.rsa, &der);
    assert_true(n > 0);
    bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio(bio, "RSA PUBLIC KEY", "", der, n) > 0);
    OPENSSL_free(der);
    len = BIO_get_mem_data(bio, &pkcs1);
    jwk = strndup(pkcs1, (size_t) len);
    BIO_free(bio);

    ks = parse_ok(jwk);
    assert_string_equal(ks->keys[0].pem, K.rsa_pem);
    levers_keyset_release(ks);
    free(jwk);

    /* oct keys are given to libjwt as their raw bytes */
    ks = parse_ok("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}");
    assert_null(ks->keys[0].pem);
    levers_keyset_release(ks);
}


static void
test_alg_fits(void **state)
{
    levers_jwk_t       oct;
    levers_keyset_t   *rsa, *ec;

    (void) state;

    rsa = parse_ok(K.rsa_pem);
    ec = parse_ok(K.ec256_pem);

    assert_true(levers_alg_fits_key(LEVERS_ALG_RS256, &rsa->keys[0]));
    assert_true(levers_alg_fits_key(LEVERS_ALG_PS512, &rsa->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_HS256, &rsa->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_ES256, &rsa->keys[0]));
    assert_true(levers_alg_fits_key(LEVERS_ALG_ES256, &ec->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_ES384, &ec->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_HS256, &ec->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_RS256, &ec->keys[0]));
    assert_false(levers_alg_fits_key(-1, &ec->keys[0]));
    assert_false(levers_alg_fits_key(LEVERS_ALG_COUNT, &ec->keys[0]));

    memset(&oct, 0, sizeof(oct));
    oct.kty = LEVERS_KTY_OCT;
    oct.alg = -1;
    oct.secret = (unsigned char *) "0123456789abcdef0123456789abcdef";
    oct.secret_len = 32;

    assert_true(levers_alg_fits_key(LEVERS_ALG_HS256, &oct));
    assert_false(levers_alg_fits_key(LEVERS_ALG_HS384, &oct));  /* short */
    assert_false(levers_alg_fits_key(LEVERS_ALG_RS256, &oct));

    oct.alg = LEVERS_ALG_HS512;
    assert_false(levers_alg_fits_key(LEVERS_ALG_HS256, &oct));

    assert_int_equal(levers_alg_from_name("PS384", 5), LEVERS_ALG_PS384);
    assert_int_equal(levers_alg_from_name("none", 4), -1);
    assert_int_equal(levers_alg_from_name("RS25", 4), -1);
    assert_string_equal(levers_alg_name(LEVERS_ALG_ES512), "ES512");

    levers_keyset_release(rsa);
    levers_keyset_release(ec);
}


static void
test_signatures(void **state)
{
    static const struct {
        const char  *alg;
        EVP_PKEY   **key;
        char       **pem;
    } cases[] = {
        { "RS256", &K.rsa, &K.rsa_pem },
        { "RS384", &K.rsa, &K.rsa_pem },
        { "RS512", &K.rsa, &K.rsa_pem },
        { "PS256", &K.rsa, &K.rsa_pem },
        { "PS384", &K.rsa, &K.rsa_pem },
        { "PS512", &K.rsa, &K.rsa_pem },
        { "ES256", &K.ec256, &K.ec256_pem },
        { "ES384", &K.ec384, &K.ec384_pem },
        { "ES512", &K.ec521, &K.ec521_pem },
    };

    char              *t, hdr[64], *dot;
    size_t             i;
    levers_keyset_t   *ks, *other;

    (void) state;

    other = parse_ok(K.rsa2_pem);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\"}", cases[i].alg);
        t = mint(hdr, "{\"sub\":\"u\"}", cases[i].alg, *cases[i].key,
                 NULL, 0);

        ks = parse_ok(*cases[i].pem);

        if (verify(t, ks, ALL) != NULL) {
            fail_msg("%s: good signature refused", cases[i].alg);
        }

        /* not in the allow-list */
        assert_string_equal(verify(t, ks, ALL & ~LEVERS_ALG_BIT(
                                     levers_alg_from_name(cases[i].alg, 5))),
                            "algorithm not allowed");

        /* signed by someone else */
        if (cases[i].pem == &K.rsa_pem) {
            assert_string_equal(verify(t, other, ALL),
                                "signature verification failed");
        }

        /* tampered signature: last character changed */
        t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
        assert_string_equal(verify(t, ks, ALL),
                            "signature verification failed");

        /* tampered payload, signature kept */
        free(t);
        t = mint(hdr, "{\"sub\":\"u\"}", cases[i].alg, *cases[i].key,
                 NULL, 0);
        dot = strchr(t, '.') + 1;
        *dot = (*dot == 'e') ? 'f' : 'e';
        assert_non_null(verify(t, ks, ALL));

        free(t);
        levers_keyset_release(ks);
    }

    levers_keyset_release(other);
}


static void
test_hmac_and_confusion(void **state)
{
    char              *t, doc[256], hdr[32];
    jwt_t             *jwt;
    size_t             i;
    levers_keyset_t   *oct, *rsa, *big;

    static const char  *hs[] = { "HS256", "HS384", "HS512" };

    (void) state;

    /* k = "0123456789abcdef0123456789abcdef" */
    snprintf(doc, sizeof(doc), "{\"keys\":[{\"kty\":\"oct\",\"k\":"
             "\"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY\"}]}");
    oct = parse_ok(doc);
    rsa = parse_ok(K.rsa_pem);

    t = mint("{\"alg\":\"HS256\"}", "{}", "HS256", NULL,
             (const unsigned char *) "0123456789abcdef0123456789abcdef", 32);
    assert_null(verify(t, oct, ALL));
    assert_string_equal(verify(t, oct, LEVERS_ALG_DEFAULT_MASK),
                        "algorithm not allowed");
    assert_string_equal(verify(t, rsa, ALL), "no key fits the token");
    free(t);

    /* tampered MAC: refused before libjwt sees it */
    t = mint("{\"alg\":\"HS256\"}", "{}", "HS256", NULL,
             (const unsigned char *) "0123456789abcdef0123456789abcdef", 32);
    t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
    assert_string_equal(verify(t, oct, ALL),
                        "signature verification failed");
    free(t);

    /*
     * The classic: HS256 with the RSA public key PEM as the secret.
     * libjwt 1.10 on its own accepts it, given the very PEM we hand it
     * for RS256 tokens; we never give it an RSA key for an HS token.
     */
    t = mint("{\"alg\":\"HS256\"}", "{}", "HS256", NULL,
             (const unsigned char *) K.rsa_pem, strlen(K.rsa_pem));
    assert_string_equal(rsa->keys[0].pem, K.rsa_pem);
    jwt = NULL;
    assert_int_equal(jwt_decode(&jwt, t,
                                (const unsigned char *) rsa->keys[0].pem,
                                (int) rsa->keys[0].pem_len), 0);
    assert_int_equal(jwt_get_alg(jwt), JWT_ALG_HS256);
    jwt_free(jwt);
    assert_string_equal(verify(t, rsa, ALL), "no key fits the token");
    free(t);

    /* an RS256 token against an oct key */
    t = mint("{\"alg\":\"RS256\"}", "{}", "RS256", K.rsa, NULL, 0);
    assert_string_equal(verify(t, oct, ALL), "no key fits the token");
    free(t);

    /* ES256 token: a P-384 key does not fit */
    levers_keyset_release(rsa);
    rsa = parse_ok(K.ec384_pem);
    t = mint("{\"alg\":\"ES256\"}", "{}", "ES256", K.ec256, NULL, 0);
    assert_string_equal(verify(t, rsa, ALL), "no key fits the token");
    free(t);

    /* HS384 and HS512 need 48 and 64 bytes; k = "m" x 64 */
    big = parse_ok("{\"kty\":\"oct\",\"k\":\"bW1tbW1tbW1tbW1tbW1tbW1tbW1t"
                   "bW1tbW1tbW1tbW1tbW1tbW1tbW1t"
                   "bW1tbW1tbW1tbW1tbW1tbW1tbW1tbQ\"}");
    assert_int_equal(big->keys[0].secret_len, 64);

    for (i = 0; i < 3; i++) {
        snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\"}", hs[i]);
        t = mint(hdr, "{}", hs[i], NULL, big->keys[0].secret, 64);
        assert_null(verify(t, big, ALL));
        assert_string_equal(verify(t, oct, ALL), i == 0
                                                 ? "signature verification "
                                                   "failed"
                                                 : "no key fits the token");
        free(t);
    }

    levers_keyset_release(big);
    levers_keyset_release(rsa);
    levers_keyset_release(oct);
}


/*
 * OpenSSL and libjwt must both accept: a key whose PEM (libjwt's view)
 * and EVP_PKEY (OpenSSL's view) are made to disagree refuses a token
 * either way round.
 */

static void
test_both_must_agree(void **state)
{
    char              *t, *pem;
    EVP_PKEY          *pkey;
    levers_keyset_t   *ks, *other;

    (void) state;

    ks = parse_ok(K.rsa_pem);
    other = parse_ok(K.rsa2_pem);
    t = mint("{\"alg\":\"RS256\"}", "{}", "RS256", K.rsa, NULL, 0);
    assert_null(verify(t, ks, ALL));

    /* OpenSSL says yes, libjwt (given another key's PEM) says no */
    pem = ks->keys[0].pem;
    ks->keys[0].pem = other->keys[0].pem;
    assert_string_equal(verify(t, ks, ALL),
                        "signature verification failed");
    ks->keys[0].pem = pem;

    /* libjwt would say yes, OpenSSL (another key) says no */
    pkey = ks->keys[0].pkey;
    ks->keys[0].pkey = other->keys[0].pkey;
    assert_string_equal(verify(t, ks, ALL),
                        "signature verification failed");
    ks->keys[0].pkey = pkey;

    assert_null(verify(t, ks, ALL));

    free(t);
    levers_keyset_release(other);
    levers_keyset_release(ks);
}


static void
test_kid_selection(void **state)
{
    char              *a, *b, *doc, *t;
    jwt_t             *jwt;
    levers_keyset_t   *ks, *pem, *sets[2];
    levers_jws_t       jws;

    (void) state;

    a = jwk_of(K.rsa, ",\"kid\":\"a\"");
    b = jwk_of(K.rsa2, ",\"kid\":\"b\"");
    doc = malloc(8192);
    snprintf(doc, 8192, "{\"keys\":[%s,%s]}", a, b);
    ks = parse_ok(doc);

    /* kid b, signed by b */
    t = mint("{\"alg\":\"RS256\",\"kid\":\"b\"}", "{}", "RS256", K.rsa2,
             NULL, 0);
    assert_null(verify(t, ks, ALL));
    free(t);

    /* kid a, signed by b: only key a is tried */
    t = mint("{\"alg\":\"RS256\",\"kid\":\"a\"}", "{}", "RS256", K.rsa2,
             NULL, 0);
    assert_string_equal(verify(t, ks, ALL), "signature verification failed");
    free(t);

    /* no kid: every RSA key is tried */
    t = mint("{\"alg\":\"RS256\"}", "{}", "RS256", K.rsa2, NULL, 0);
    assert_null(verify(t, ks, ALL));
    free(t);

    /* unknown kid: keys without a kid only (none here) */
    t = mint("{\"alg\":\"RS256\",\"kid\":\"zz\"}", "{}", "RS256", K.rsa2,
             NULL, 0);
    assert_string_equal(verify(t, ks, ALL), "no key fits the token");

    /* ... and with a PEM key (no kid) of the signer in a second set */
    pem = parse_ok(K.rsa2_pem);
    sets[0] = ks;
    sets[1] = pem;
    assert_null(levers_jws_decode(&jws, t, strlen(t)));
    assert_null(levers_jws_verify(&jws, t, ALL, sets, 2, &jwt));
    assert_non_null(jwt);
    jwt_free(jwt);
    levers_jws_free(&jws);
    free(t);

    /* a NULL set (key URL not fetched yet) is skipped */
    sets[0] = NULL;
    t = mint("{\"alg\":\"RS256\"}", "{}", "RS256", K.rsa2, NULL, 0);
    assert_null(levers_jws_decode(&jws, t, strlen(t)));
    assert_null(levers_jws_verify(&jws, t, ALL, sets, 2, &jwt));
    assert_non_null(jwt);
    jwt_free(jwt);
    levers_jws_free(&jws);
    free(t);

    levers_keyset_release(pem);
    levers_keyset_release(ks);
    free(a);
    free(b);
    free(doc);
}


static const char *
claims(const char *json, long long now, long long leeway, int require_exp,
    const char *iss, const char *aud)
{
    json_t                  *payload;
    const char              *r;
    const char              *auds[1];
    levers_claims_policy_t   p;

    payload = json_loads(json, 0, NULL);
    assert_non_null(payload);

    auds[0] = aud;
    p.now = now;
    p.leeway = leeway;
    p.require_exp = require_exp;
    p.issuer = iss;
    p.audiences = auds;
    p.naudiences = aud ? 1 : 0;

    r = levers_claims_check(payload, &p);
    json_decref(payload);

    return r;
}


static void
test_claims(void **state)
{
    (void) state;

    assert_null(claims("{\"exp\":1000}", 999, 0, 1, NULL, NULL));
    assert_string_equal(claims("{\"exp\":1000}", 1000, 0, 1, NULL, NULL),
                        "token expired");
    assert_null(claims("{\"exp\":1000}", 1009, 10, 1, NULL, NULL));
    assert_string_equal(claims("{\"exp\":1000}", 1010, 10, 1, NULL, NULL),
                        "token expired");
    assert_null(claims("{\"exp\":1000.5}", 1000, 0, 1, NULL, NULL));
    assert_string_equal(claims("{}", 1, 0, 1, NULL, NULL),
                        "token has no \"exp\"");
    assert_null(claims("{}", 1, 0, 0, NULL, NULL));
    assert_string_equal(claims("{\"exp\":\"2000\"}", 1, 0, 0, NULL, NULL),
                        "\"exp\" is not a number");

    assert_string_equal(claims("{\"exp\":9999,\"nbf\":1000}", 999, 0, 1,
                               NULL, NULL), "token not yet valid");
    assert_null(claims("{\"exp\":9999,\"nbf\":1000}", 995, 5, 1, NULL,
                       NULL));
    assert_null(claims("{\"exp\":9999,\"nbf\":1000}", 1000, 0, 1, NULL,
                       NULL));
    assert_string_equal(claims("{\"exp\":9999,\"iat\":1000}", 990, 5, 1,
                               NULL, NULL), "token issued in the future");
    assert_string_equal(claims("{\"exp\":9999,\"nbf\":null}", 990, 5, 1,
                               NULL, NULL), "\"nbf\" is not a number");

    assert_null(claims("{\"exp\":9999,\"iss\":\"https://id\"}", 1, 0, 1,
                       "https://id", NULL));
    assert_string_equal(claims("{\"exp\":9999,\"iss\":\"https://id/\"}", 1,
                               0, 1, "https://id", NULL), "wrong issuer");
    assert_string_equal(claims("{\"exp\":9999}", 1, 0, 1, "https://id",
                               NULL), "wrong issuer");

    assert_null(claims("{\"exp\":9999,\"aud\":\"api\"}", 1, 0, 1, NULL,
                       "api"));
    assert_null(claims("{\"exp\":9999,\"aud\":[\"x\",\"api\"]}", 1, 0, 1,
                       NULL, "api"));
    assert_string_equal(claims("{\"exp\":9999,\"aud\":[\"x\"]}", 1, 0, 1,
                               NULL, "api"), "wrong audience");
    assert_string_equal(claims("{\"exp\":9999,\"aud\":\"apix\"}", 1, 0, 1,
                               NULL, "api"), "wrong audience");
    assert_string_equal(claims("{\"exp\":9999}", 1, 0, 1, NULL, "api"),
                        "wrong audience");
}


static void
test_claim_matches(void **state)
{
    json_t  *p;

    (void) state;

    p = json_loads("{\"s\":\"admin\",\"n\":42,\"b\":true,\"z\":null,"
                   "\"a\":[\"x\",\"admin\",7],\"o\":{\"k\":1}}", 0, NULL);
    assert_non_null(p);

    assert_true(levers_claim_matches(json_object_get(p, "s"), "admin", 5));
    assert_false(levers_claim_matches(json_object_get(p, "s"), "Admin", 5));
    assert_false(levers_claim_matches(json_object_get(p, "s"), "adm", 3));
    assert_true(levers_claim_matches(json_object_get(p, "n"), "42", 2));
    assert_false(levers_claim_matches(json_object_get(p, "n"), "42.0", 4));
    assert_true(levers_claim_matches(json_object_get(p, "b"), "true", 4));
    assert_true(levers_claim_matches(json_object_get(p, "z"), "null", 4));
    assert_true(levers_claim_matches(json_object_get(p, "a"), "admin", 5));
    assert_true(levers_claim_matches(json_object_get(p, "a"), "7", 1));
    assert_false(levers_claim_matches(json_object_get(p, "a"), "y", 1));
    assert_false(levers_claim_matches(json_object_get(p, "o"), "1", 1));
    assert_true(levers_claim_matches(json_object_get(p, "o"), NULL, 0));
    assert_false(levers_claim_matches(json_object_get(p, "missing"),
                                      NULL, 0));

    json_decref(p);
}


/*
 * Random damage to good tokens (flipped, inserted, deleted, truncated
 * bytes, any byte value): never a crash, never accepted.  Run it under
 * "make asan" or valgrind to make "never a crash" mean something.
 */

static void
test_damaged_tokens(void **state)
{
    static const char  *algs[] = { "RS256", "ES256", "PS256" };
    static const char  *hdrs[] = { "{\"alg\":\"RS256\"}",
                                   "{\"alg\":\"ES256\"}",
                                   "{\"alg\":\"PS256\"}" };

    char              *good, *t;
    jwt_t             *jwt;
    size_t             i, k, len, pos;
    unsigned           seed;
    const char        *r;
    levers_jws_t       jws;
    levers_keyset_t   *sets[2];

    (void) state;

    sets[0] = parse_ok(K.rsa_pem);
    sets[1] = parse_ok(K.ec256_pem);

    seed = 12345;
    t = malloc(TOKEN_MAX + 2);
    assert_non_null(t);

    for (k = 0; k < 3; k++) {
        good = mint(hdrs[k], "{\"sub\":\"u\",\"exp\":4102444800}", algs[k],
                    k == 1 ? K.ec256 : K.rsa, NULL, 0);

        for (i = 0; i < 3000; i++) {
            len = strlen(good);
            memcpy(t, good, len + 1);

            seed = seed * 1103515245 + 12345;
            pos = (seed >> 8) % len;

            switch ((seed >> 4) % 4) {
            case 0:
                t[pos] = (char) (seed >> 16);
                break;
            case 1:
                memmove(t + pos + 1, t + pos, len - pos + 1);
                t[pos] = (char) (seed >> 16);
                len++;
                break;
            case 2:
                memmove(t + pos, t + pos + 1, len - pos);
                len--;
                break;
            default:
                len = pos;
                break;
            }

            if (len == strlen(good) && memcmp(t, good, len) == 0) {
                continue;
            }

            jwt = NULL;

            /* not NUL-terminated at len, as in a request header */
            t[len] = 'x';

            r = levers_jws_decode(&jws, t, len);
            if (r == NULL) {
                r = levers_jws_verify(&jws, t, ALL, sets, 2, &jwt);
            }

            levers_jws_free(&jws);
            jwt_free(jwt);

            if (r == NULL) {
                fail_msg("damaged token accepted: %.*s", (int) len, t);
            }
        }

        free(good);
    }

    free(t);
    levers_keyset_release(sets[0]);
    levers_keyset_release(sets[1]);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_b64url),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_decode_ok),
        cmocka_unit_test(test_decode_typ),
        cmocka_unit_test(test_keyset_pem),
        cmocka_unit_test(test_keyset_pem_small_rsa),
        cmocka_unit_test(test_keyset_jwks),
        cmocka_unit_test(test_keyset_jwks_bad_point),
        cmocka_unit_test(test_key_pem),
        cmocka_unit_test(test_alg_fits),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_hmac_and_confusion),
        cmocka_unit_test(test_both_must_agree),
        cmocka_unit_test(test_kid_selection),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_claim_matches),
        cmocka_unit_test(test_damaged_tokens),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * JSON Web Keys (RFC 7517) and JWS compact tokens (RFC 7515, 7518, 7519):
 * everything the JWT access check does that needs no nginx type.
 *
 *  - key sets: parsed once from a JWKS document (RSA, EC P-256/384/521
 *    and "oct" keys) or from PEM text (public keys, PKCS#1 RSA public
 *    keys, X.509 certificates), reference counted, read-only once built;
 *  - tokens: split, strictly base64url-decoded, header and payload
 *    parsed with jansson (duplicate members refused);
 *  - signatures: our checks come first and decide which key may be
 *    used at all: the algorithm must be allowed and must fit the key's
 *    type (HS* only with "oct" keys, RS* and PS* only with RSA keys of
 *    2048 bits or more, ES256 only with P-256 and so on), so a public
 *    key can never serve as an HMAC secret; "none" is refused in every
 *    spelling.  Then the signature is checked with OpenSSL on the key
 *    parsed once (HMAC in constant time); for HS*, RS* and ES* libjwt
 *    1.10's jwt_decode() must then verify and decode the token too,
 *    with the key's raw secret ("oct") or its SubjectPublicKeyInfo PEM,
 *    written once when the key is loaded.  PS*, which libjwt 1.10 does
 *    not know, rests on OpenSSL alone;
 *  - registered claims: exp, nbf, iat with leeway, iss, aud.
 *
 * Failures are reported as short static English texts, suitable for an
 * RFC 6750 error_description: they never contain token data.
 *
 * Pure C99 over jansson, libjwt 1.10 and OpenSSL 3 (libcrypto); safe to
 * use from any thread as long as one key set is not released by two
 * threads at once.  Unit tested in t/unit/test_jwks.c.
 */

#ifndef LEVERS_JWKS_H
#define LEVERS_JWKS_H

#include <stddef.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>


/* the largest token accepted, checked before any decoding */
#define LEVERS_JWT_MAX_TOKEN  16384


typedef enum {
    LEVERS_ALG_HS256 = 0,
    LEVERS_ALG_HS384,
    LEVERS_ALG_HS512,
    LEVERS_ALG_RS256,
    LEVERS_ALG_RS384,
    LEVERS_ALG_RS512,
    LEVERS_ALG_ES256,
    LEVERS_ALG_ES384,
    LEVERS_ALG_ES512,
    LEVERS_ALG_PS256,
    LEVERS_ALG_PS384,
    LEVERS_ALG_PS512,
    LEVERS_ALG_COUNT
} levers_alg_t;

#define LEVERS_ALG_BIT(alg)      (1u << (alg))
#define LEVERS_ALG_HS_MASK       0x007u
#define LEVERS_ALG_RS_MASK       0x038u
#define LEVERS_ALG_ES_MASK       0x1c0u
#define LEVERS_ALG_PS_MASK       0xe00u

/* asymmetric algorithms only: HMAC must be asked for */
#define LEVERS_ALG_DEFAULT_MASK                                              \
    (LEVERS_ALG_RS_MASK | LEVERS_ALG_ES_MASK | LEVERS_ALG_PS_MASK)


typedef enum {
    LEVERS_KTY_RSA = 1,
    LEVERS_KTY_EC,
    LEVERS_KTY_OCT
} levers_kty_t;


typedef struct {
    levers_kty_t     kty;
    int              alg;          /* the JWK's "alg", or -1: any fitting */
    int              curve;        /* EC: 256, 384 or 521; RSA: bits */
    char            *kid;          /* NULL when the key has none */
    EVP_PKEY        *pkey;         /* RSA and EC */
    char            *pem;          /* RSA and EC: SubjectPublicKeyInfo
                                      PEM of pkey, for libjwt */
    size_t           pem_len;
    unsigned char   *secret;       /* oct */
    size_t           secret_len;
} levers_jwk_t;


typedef struct levers_keyset_s {
    unsigned         refs;
    size_t           nkeys;
    size_t           skipped;      /* JWKs of kinds not used to verify */
    levers_jwk_t    *keys;
} levers_keyset_t;


/* a decoded, not yet verified, token */
typedef struct {
    json_t          *header;       /* object, owned */
    json_t          *payload;      /* object, owned */
    unsigned char   *sig;          /* owned */
    size_t           sig_len;
    size_t           signed_len;   /* bytes of "header.payload" */
    size_t           len;          /* bytes of the whole token */
    int              alg;          /* levers_alg_t */
    const char      *kid;          /* in header, or NULL */
} levers_jws_t;


typedef struct {
    long long            now;          /* seconds since the epoch */
    long long            leeway;       /* seconds */
    int                  require_exp;
    const char          *issuer;       /* NULL: not checked */
    const char *const   *audiences;    /* one must be in "aud" */
    size_t               naudiences;   /* 0: not checked */
} levers_claims_policy_t;


/*
 * Parses a key file or a fetched JWKS: JSON ({"keys": [...]} or one
 * JWK) when the first non-blank byte is "{", PEM otherwise.  JWKs of
 * unknown "kty", unsupported "crv", "use" other than "sig" or an "alg"
 * that is not a signature algorithm are skipped and counted; a malformed
 * key of a supported kind is an error.  A set with no usable key is an
 * error.  On error returns NULL with a message in err.  The set starts
 * with one reference.
 */
levers_keyset_t *levers_keyset_parse(const char *data, size_t len,
    char *err, size_t errlen);
levers_keyset_t *levers_keyset_retain(levers_keyset_t *ks);
void levers_keyset_release(levers_keyset_t *ks);

/* exact, case-sensitive names ("RS256"); -1 when unknown */
int levers_alg_from_name(const char *name, size_t len);
const char *levers_alg_name(int alg);
int levers_alg_fits_key(int alg, const levers_jwk_t *key);

/* whether libjwt 1.10 verifies alg (HS*, RS*, ES*), or we do (PS*) */
int levers_alg_by_libjwt(int alg);

/*
 * Checks the signature of a decoded token with one key; token is the
 * whole token, NUL-terminated (libjwt wants a C string).  OpenSSL first
 * (cheap; HMAC in constant time), then, for HS*, RS* and ES*, libjwt's
 * jwt_decode() with the same key must agree.  1: good, and for HS*, RS*
 * and ES* *jwt is libjwt's decoded token, for the caller to jwt_free();
 * PS*: *jwt is NULL.  0: bad, or it could not be checked, and *jwt is
 * NULL.  The algorithm must fit the key (levers_alg_fits_key()): that is
 * checked again here, before any key is used.
 */
int levers_jws_check_signature(const levers_jws_t *jws, const char *token,
    const levers_jwk_t *key, jwt_t **jwt);

/*
 * Decodes a compact token of len bytes (not NUL-terminated).  Returns
 * NULL and fills jws, or a reason with jws left empty.  levers_jws_free()
 * is safe on both.  A "typ" header, when present, must be "JWT" in any
 * case, as libjwt 1.10 requires (for every algorithm, so the rule does
 * not depend on which library verifies).
 */
const char *levers_jws_decode(levers_jws_t *jws, const char *token,
    size_t len);
void levers_jws_free(levers_jws_t *jws);

/*
 * Picks keys from the sets and checks the signature of a decoded token
 * (token: the jws->len bytes given to levers_jws_decode(), need not be
 * NUL-terminated): alg must be in alg_mask (bits of LEVERS_ALG_BIT) and
 * fit the key; with a "kid", keys carrying that kid are used, or, when
 * no key has it, the keys without a kid; without a "kid", every fitting
 * key is tried.  Returns NULL when a key verified the signature, with
 * *jwt set to libjwt's decoded token (HS*, RS*, ES*; the caller owns it
 * and must jwt_free() it) or NULL (PS*); else a reason, *jwt NULL.
 */
const char *levers_jws_verify(const levers_jws_t *jws, const char *token,
    unsigned alg_mask, levers_keyset_t *const *sets, size_t nsets,
    jwt_t **jwt);

/* exp, nbf, iat, iss, aud; NULL when they pass, else a reason */
const char *levers_claims_check(const json_t *payload,
    const levers_claims_policy_t *policy);

/*
 * Whether a claim value satisfies a required value: a string equals it
 * exactly; a number, boolean or null equals it as JSON text ("42",
 * "true"); an array satisfies it when one element does.  value NULL:
 * any value satisfies.
 */
int levers_claim_matches(const json_t *claim, const char *value,
    size_t len);

/* strict base64url (RFC 4648 section 5, no padding); -1 when invalid */
long levers_b64url_decode(unsigned char *dst, const char *src,
    size_t len);

#endif /* LEVERS_JWKS_H */

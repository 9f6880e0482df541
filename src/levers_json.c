/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Python-compatible JSON output and error reporting, see levers_json.h
 * and docs/json-compat.md.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levers_json.h"


/*
 * Output is collected in a small buffer so that punctuation, numbers and
 * short strings cost one callback per LEVERS_JSON_BUF_SIZE bytes; runs of
 * unescaped string bytes at least LEVERS_JSON_DIRECT bytes long go to the
 * callback as they are, without a copy.
 */
#define LEVERS_JSON_BUF_SIZE  4096
#define LEVERS_JSON_DIRECT    512

/*
 * Deepest nesting CPython 3.11's json.loads() accepts when called from the
 * top level of a script (995 levels; the 996th '[' or '{' raises
 * RecursionError).  See docs/json-compat.md.
 */
#define LEVERS_JSON_MAX_DEPTH  995


typedef struct {
    levers_json_write_pt   write;
    void                  *data;
    size_t                 len;
    char                   buf[LEVERS_JSON_BUF_SIZE];
} levers_json_out_t;


typedef struct {
    const unsigned char   *start;     /* after a UTF-8 BOM, if any */
    const unsigned char   *end;
    const char            *msg;
    const unsigned char   *at;        /* where msg applies */
} levers_json_scan_t;


static void levers_json_out_init(levers_json_out_t *out,
    levers_json_write_pt write, void *data);
static int levers_json_out_flush(levers_json_out_t *out);
static int levers_json_out(levers_json_out_t *out, const char *p,
    size_t len);
static int levers_json_out_escaped(levers_json_out_t *out, const char *s,
    size_t len);
static int levers_json_out_string(levers_json_out_t *out, const char *s,
    size_t len);
static int levers_json_out_value(levers_json_out_t *out, const json_t *v);
static int levers_json_out_object(levers_json_out_t *out, const json_t *v);
static int levers_json_out_array(levers_json_out_t *out, const json_t *v);
static int levers_json_real_digits(double d, char *digits, int *exp10);

static const unsigned char *levers_utf8_invalid(const unsigned char *p,
    const unsigned char *end);
static int levers_json_foreign_encoding(const unsigned char *p, size_t len);
static const unsigned char *levers_json_skip_ws(const unsigned char *p,
    const unsigned char *end);
static const unsigned char *levers_json_scan_string(levers_json_scan_t *sc,
    const unsigned char *p);
static const unsigned char *levers_json_scan_hex4(const unsigned char *p,
    unsigned *c);
static const unsigned char *levers_json_scan_literal(
    const unsigned char *p, const unsigned char *end);
static const unsigned char *levers_json_scan_number(levers_json_scan_t *sc,
    const unsigned char *p);
static int levers_json_in_object(const unsigned char *stack, size_t depth);
static unsigned char levers_json_closer(const unsigned char *stack,
    size_t depth);
static int levers_json_scan(levers_json_scan_t *sc);


/*
 * What a byte becomes inside a JSON string, as Python's encoder with
 * ensure_ascii=False writes it: 0 for "as is", the letter after the
 * backslash otherwise ('u' meaning \u00XX).
 */
static const unsigned char  levers_json_escape[256] = {
    [0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',
    [0x04] = 'u', [0x05] = 'u', [0x06] = 'u', [0x07] = 'u',
    ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', [0x0b] = 'u',
    ['\f'] = 'f', ['\r'] = 'r', [0x0e] = 'u', [0x0f] = 'u',
    [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u',
    [0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u',
    [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u',
    [0x1c] = 'u', [0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u',
    ['"'] = '"', ['\\'] = '\\'
};


static void
levers_json_out_init(levers_json_out_t *out, levers_json_write_pt write,
    void *data)
{
    out->write = write;
    out->data = data;
    out->len = 0;
}


static int
levers_json_out_flush(levers_json_out_t *out)
{
    size_t  len;

    len = out->len;

    if (len == 0) {
        return 0;
    }

    out->len = 0;

    return out->write(out->data, out->buf, len);
}


static int
levers_json_out(levers_json_out_t *out, const char *p, size_t len)
{
    if (len <= LEVERS_JSON_BUF_SIZE - out->len) {
        memcpy(out->buf + out->len, p, len);
        out->len += len;
        return 0;
    }

    if (levers_json_out_flush(out) != 0) {
        return -1;
    }

    if (len >= LEVERS_JSON_DIRECT) {
        return out->write(out->data, p, len);
    }

    memcpy(out->buf, p, len);
    out->len = len;

    return 0;
}


static int
levers_json_out_escaped(levers_json_out_t *out, const char *s, size_t len)
{
    char                  esc[6];
    size_t                n;
    unsigned char         e;
    const unsigned char  *p, *run, *end;

    static const char     hex[] = "0123456789abcdef";

    p = (const unsigned char *) s;
    end = p + len;
    run = p;

    while (p < end) {
        e = levers_json_escape[*p];

        if (e == 0) {
            p++;
            continue;
        }

        if (p > run && levers_json_out(out, (const char *) run, p - run) != 0)
        {
            return -1;
        }

        esc[0] = '\\';
        esc[1] = (char) e;
        n = 2;

        if (e == 'u') {
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 0xf];
            n = 6;
        }

        if (levers_json_out(out, esc, n) != 0) {
            return -1;
        }

        run = ++p;
    }

    if (p > run) {
        return levers_json_out(out, (const char *) run, p - run);
    }

    return 0;
}


static int
levers_json_out_string(levers_json_out_t *out, const char *s, size_t len)
{
    if (levers_json_out(out, "\"", 1) != 0
        || levers_json_out_escaped(out, s, len) != 0
        || levers_json_out(out, "\"", 1) != 0)
    {
        return -1;
    }

    return 0;
}


static int
levers_json_out_value(levers_json_out_t *out, const json_t *v)
{
    int      n;
    char     num[32];
    size_t   len;

    switch (json_typeof(v)) {

    case JSON_OBJECT:
        return levers_json_out_object(out, v);

    case JSON_ARRAY:
        return levers_json_out_array(out, v);

    case JSON_STRING:
        return levers_json_out_string(out, json_string_value(v),
                                      json_string_length(v));

    case JSON_INTEGER:
        n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                     json_integer_value(v));
        return levers_json_out(out, num, (size_t) n);

    case JSON_REAL:
        len = levers_json_format_real(json_real_value(v), num);
        if (len == 0) {
            return -1;      /* Python: ValueError with allow_nan=False */
        }
        return levers_json_out(out, num, len);

    case JSON_TRUE:
        return levers_json_out(out, "true", 4);

    case JSON_FALSE:
        return levers_json_out(out, "false", 5);

    case JSON_NULL:
        return levers_json_out(out, "null", 4);
    }

    return -1;
}


static int
levers_json_out_object(levers_json_out_t *out, const json_t *v)
{
    char        sep;
    void       *it;
    const char *key;

    sep = '{';

    /* jansson (>= 2.8) iterates in insertion order, as a Python dict */

    for (it = json_object_iter((json_t *) v);
         it != NULL;
         it = json_object_iter_next((json_t *) v, it))
    {
        key = json_object_iter_key(it);

        if (levers_json_out(out, &sep, 1) != 0
            || levers_json_out_string(out, key,
                                      json_object_iter_key_len(it)) != 0
            || levers_json_out(out, ":", 1) != 0
            || levers_json_out_value(out, json_object_iter_value(it)) != 0)
        {
            return -1;
        }

        sep = ',';
    }

    if (sep == '{') {
        return levers_json_out(out, "{}", 2);
    }

    return levers_json_out(out, "}", 1);
}


static int
levers_json_out_array(levers_json_out_t *out, const json_t *v)
{
    char    sep;
    size_t  i, n;

    n = json_array_size(v);

    if (n == 0) {
        return levers_json_out(out, "[]", 2);
    }

    sep = '[';

    for (i = 0; i < n; i++) {
        if (levers_json_out(out, &sep, 1) != 0
            || levers_json_out_value(out, json_array_get(v, i)) != 0)
        {
            return -1;
        }

        sep = ',';
    }

    return levers_json_out(out, "]", 1);
}


int
levers_json_dump(const json_t *v, levers_json_write_pt write, void *data)
{
    levers_json_out_t  out;

    if (v == NULL) {
        return -1;
    }

    levers_json_out_init(&out, write, data);

    if (levers_json_out_value(&out, v) != 0) {
        return -1;
    }

    return levers_json_out_flush(&out);
}


int
levers_json_dump_string(const char *s, size_t len,
    levers_json_write_pt write, void *data)
{
    levers_json_out_t  out;

    levers_json_out_init(&out, write, data);

    if (levers_json_out_string(&out, s, len) != 0) {
        return -1;
    }

    return levers_json_out_flush(&out);
}


int
levers_json_dump_string_body(const char *s, size_t len,
    levers_json_write_pt write, void *data)
{
    levers_json_out_t  out;

    levers_json_out_init(&out, write, data);

    if (levers_json_out_escaped(&out, s, len) != 0) {
        return -1;
    }

    return levers_json_out_flush(&out);
}


/*
 * The shortest significant digits that read back as d (d > 0), as
 * Python's repr() picks them (David Gay's dtoa, mode 0): tried from 1 to
 * 17 digits with the C library's correctly rounded "%.*e".  Where d is a
 * power of two the gap to the next double up is twice the gap down, so the
 * digit string one unit above the rounded one may read back as d when the
 * rounded one does not; dtoa takes it, and so do we.  Returns the number
 * of digits; *exp10 is the decimal exponent of the first one.
 */

static int
levers_json_real_digits(double d, char *digits, int *exp10)
{
    int       prec, nd, e, i;
    char      tmp[40], up[40], *q;
    uint64_t  bits;

    for (prec = 1; /* void */; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);

        nd = 0;

        for (q = tmp; *q != 'e'; q++) {
            if (*q >= '0' && *q <= '9') {
                digits[nd++] = *q;
            }
        }

        e = atoi(q + 1);

        if (prec == 17 || strtod(tmp, NULL) == d) {
            break;
        }

        memcpy(&bits, &d, sizeof(bits));

        if ((bits & 0xfffffffffffffULL) != 0) {
            continue;       /* not a power of two */
        }

        for (i = nd - 1; i >= 0 && digits[i] == '9'; i--) {
            digits[i] = '0';
        }

        if (i < 0) {
            digits[0] = '1';
            e++;

        } else {
            digits[i]++;
        }

        snprintf(up, sizeof(up), "%c.%.*se%d", digits[0], nd - 1, digits + 1,
                 e);

        if (strtod(up, NULL) == d) {
            break;
        }
    }

    while (nd > 1 && digits[nd - 1] == '0') {
        nd--;
    }

    *exp10 = e;

    return nd;
}


/*
 * Python's repr(float), laid out as float_repr_style 'short' does: plain
 * notation for decimal exponents -4 .. 15 with at least one digit after
 * the point, "1e+16" / "1.5e-05" style otherwise.
 */

size_t
levers_json_format_real(double d, char *buf)
{
    int     exp10, decpt, i, nd;
    char    digits[20], *p;

    if (isnan(d) || isinf(d)) {
        return 0;
    }

    p = buf;

    if (signbit(d)) {
        *p++ = '-';
        d = -d;
    }

    if (d == 0.0) {
        memcpy(p, "0.0", 4);
        return p - buf + 3;
    }

    nd = levers_json_real_digits(d, digits, &exp10);

    decpt = exp10 + 1;

    if (decpt <= -4 || decpt > 16) {
        *p++ = digits[0];

        if (nd > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, nd - 1);
            p += nd - 1;
        }

        p += sprintf(p, "e%c%02d", exp10 < 0 ? '-' : '+',
                     exp10 < 0 ? -exp10 : exp10);

        return p - buf;
    }

    if (decpt <= 0) {
        *p++ = '0';
        *p++ = '.';

        for (i = decpt; i < 0; i++) {
            *p++ = '0';
        }

        memcpy(p, digits, nd);
        p += nd;

    } else if (decpt >= nd) {
        memcpy(p, digits, nd);
        p += nd;

        for (i = nd; i < decpt; i++) {
            *p++ = '0';
        }

        *p++ = '.';
        *p++ = '0';

    } else {
        memcpy(p, digits, decpt);
        p += decpt;
        *p++ = '.';
        memcpy(p, digits + decpt, nd - decpt);
        p += nd - decpt;
    }

    *p = '\0';

    return p - buf;
}


size_t
levers_utf8_length(const char *s, size_t len)
{
    size_t                n;
    const unsigned char  *p, *end;

    n = 0;
    p = (const unsigned char *) s;
    end = p + len;

    while (p < end) {
        n += (*p++ & 0xc0) != 0x80;
    }

    return n;
}


/*
 * First byte of the first sequence that Python's UTF-8 decoder with the
 * "surrogatepass" error handler refuses (json.loads() decodes bytes that
 * way), or NULL.  Encoded surrogates (ED A0..BF xx) pass.
 */

static const unsigned char *
levers_utf8_invalid(const unsigned char *p, const unsigned char *end)
{
    size_t         n, i;
    unsigned char  c, lo, hi;

    while (p < end) {
        c = *p;

        if (c < 0x80) {
            p++;
            continue;
        }

        lo = 0x80;
        hi = 0xbf;

        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;

        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0) {
                lo = 0xa0;
            }

        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0) {
                lo = 0x90;
            } else if (c == 0xf4) {
                hi = 0x8f;
            }

        } else {
            return p;
        }

        if ((size_t) (end - p) <= n || p[1] < lo || p[1] > hi) {
            return p;
        }

        for (i = 2; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80) {
                return p;
            }
        }

        p += n + 1;
    }

    return NULL;
}


/* json.detect_encoding() would pick UTF-16 or UTF-32 */

static int
levers_json_foreign_encoding(const unsigned char *p, size_t len)
{
    if (len >= 2
        && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
    {
        return 1;
    }

    if (len >= 4 || len == 2) {
        return p[0] == 0 || p[1] == 0;
    }

    return 0;
}


static const unsigned char *
levers_json_skip_ws(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    {
        p++;
    }

    return p;
}


/* four hex digits at p into *c; NULL if one is not a hex digit */

static const unsigned char *
levers_json_scan_hex4(const unsigned char *p, unsigned *c)
{
    int       i;
    unsigned  d;

    *c = 0;

    for (i = 0; i < 4; i++, p++) {
        if (*p >= '0' && *p <= '9') {
            d = *p - '0';

        } else if (*p >= 'a' && *p <= 'f') {
            d = *p - 'a' + 10;

        } else if (*p >= 'A' && *p <= 'F') {
            d = *p - 'A' + 10;

        } else {
            return NULL;
        }

        *c = (*c << 4) | d;
    }

    return p;
}


/*
 * A string whose opening quote is at p, as _json.c's scanstring_unicode():
 * returns what follows the closing quote, or NULL with sc->msg set.
 * Offsets are compared in bytes where _json.c counts characters; every
 * byte that decides an outcome is ASCII, so the results are the same.
 */

static const unsigned char *
levers_json_scan_string(levers_json_scan_t *sc, const unsigned char *p)
{
    unsigned              c;
    const unsigned char  *begin, *end, *next;

    begin = p++;
    end = sc->end;

    for ( ;; ) {
        while (p < end && *p != '"' && *p != '\\') {
            if (*p <= 0x1f) {
                sc->msg = "Invalid control character at";
                sc->at = p;
                return NULL;
            }
            p++;
        }

        if (p == end) {
            sc->msg = "Unterminated string starting at";
            sc->at = begin;
            return NULL;
        }

        if (*p++ == '"') {
            return p;
        }

        /* backslash */

        if (p == end) {
            sc->msg = "Unterminated string starting at";
            sc->at = begin;
            return NULL;
        }

        if (*p != 'u') {
            if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0') {
                sc->msg = "Invalid \\escape";
                sc->at = p - 1;
                return NULL;
            }
            p++;
            continue;
        }

        /* \uXXXX: _json.c wants a character after the four digits */

        if (end - p <= 5) {
            sc->msg = "Invalid \\uXXXX escape";
            sc->at = p;
            return NULL;
        }

        next = levers_json_scan_hex4(p + 1, &c);
        if (next == NULL) {
            sc->msg = "Invalid \\uXXXX escape";
            sc->at = p;
            return NULL;
        }

        p = next;

        /* a high surrogate may take the next \uXXXX as its pair */

        if (c >= 0xd800 && c <= 0xdbff && end - p > 6
            && p[0] == '\\' && p[1] == 'u')
        {
            next = levers_json_scan_hex4(p + 2, &c);
            if (next == NULL) {
                sc->msg = "Invalid \\uXXXX escape";
                sc->at = p + 1;
                return NULL;
            }

            if (c >= 0xdc00 && c <= 0xdfff) {
                p = next;
            }
        }
    }
}


/* NaN, Infinity, -Infinity, null, true, false at p: what follows, or NULL */

static const unsigned char *
levers_json_scan_literal(const unsigned char *p, const unsigned char *end)
{
    size_t       n, i;
    const char  *lit;

    static const char  *const literals[] = {
        "null", "true", "false", "NaN", "Infinity", "-Infinity"
    };

    for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
        lit = literals[i];
        n = strlen(lit);

        if ((size_t) (end - p) >= n && memcmp(p, lit, n) == 0) {
            return p + n;
        }
    }

    return NULL;
}


/*
 * A number at p, as _json.c's _match_number_unicode(): returns what
 * follows, or NULL ("Expecting value" at p, or the int digits limit).
 */

static const unsigned char *
levers_json_scan_number(levers_json_scan_t *sc, const unsigned char *p)
{
    int                   is_float;
    const unsigned char  *start, *digits, *e, *end;

    start = p;
    end = sc->end;
    is_float = 0;

    if (*p == '-') {
        p++;
        if (p == end) {
            goto no_value;
        }
    }

    digits = p;

    if (*p >= '1' && *p <= '9') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
        }

    } else if (*p == '0') {
        p++;

    } else {
        goto no_value;
    }

    if (end - p > 1 && p[0] == '.' && p[1] >= '0' && p[1] <= '9') {
        is_float = 1;
        p += 2;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
        }
    }

    if (end - p > 1 && (*p == 'e' || *p == 'E')) {
        e = p++;

        if (end - p > 1 && (*p == '-' || *p == '+')) {
            p++;
        }

        while (p < end && *p >= '0' && *p <= '9') {
            p++;
        }

        if (p[-1] >= '0' && p[-1] <= '9') {
            is_float = 1;

        } else {
            p = e;
        }
    }

    /* int(str) refuses more than sys.get_int_max_str_digits() (4300) */

    if (!is_float && p - digits > 4300) {
        sc->msg = "Exceeds the limit (4300 digits) for integer string "
                  "conversion";
        sc->at = start;
        return NULL;
    }

    return p;

no_value:

    sc->msg = "Expecting value";
    sc->at = start;
    return NULL;
}


/* is the innermost open container an object (or an array)? */

static int
levers_json_in_object(const unsigned char *stack, size_t depth)
{
    return (stack[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
}


static unsigned char
levers_json_closer(const unsigned char *stack, size_t depth)
{
    return levers_json_in_object(stack, depth) ? '}' : ']';
}


/*
 * CPython's recursive descent (scan_once_unicode, _parse_object_unicode,
 * _parse_array_unicode, JSONDecoder.decode) as a loop over an explicit
 * stack of one bit per level: 1 for an object, 0 for an array.
 */

static int
levers_json_scan(levers_json_scan_t *sc)
{
    size_t                depth;
    const unsigned char  *p, *end, *next;
    unsigned char         stack[(LEVERS_JSON_MAX_DEPTH + 7) / 8];

    end = sc->end;
    depth = 0;
    p = levers_json_skip_ws(sc->start, end);

value:

    if (p == end) {
        sc->msg = "Expecting value";
        sc->at = p;
        return -1;
    }

    switch (*p) {

    case '"':
        p = levers_json_scan_string(sc, p);
        if (p == NULL) {
            return -1;
        }
        goto after_value;

    case '{':
    case '[':
        if (depth == LEVERS_JSON_MAX_DEPTH) {
            sc->msg = (*p == '{')
                ? "maximum recursion depth exceeded while decoding a JSON "
                  "object from a unicode string"
                : "maximum recursion depth exceeded while decoding a JSON "
                  "array from a unicode string";
            sc->at = p;
            return -1;
        }

        if (*p == '{') {
            stack[depth / 8] |= (unsigned char) (1 << (depth % 8));
        } else {
            stack[depth / 8] &= (unsigned char) ~(1 << (depth % 8));
        }

        depth++;

        p = levers_json_skip_ws(p + 1, end);

        if (p < end && *p == levers_json_closer(stack, depth)) {
            p++;
            depth--;
            goto after_value;
        }

        if (levers_json_in_object(stack, depth)) {
            goto key;
        }

        goto value;
    }

    next = levers_json_scan_literal(p, end);

    if (next == NULL) {
        next = levers_json_scan_number(sc, p);
        if (next == NULL) {
            return -1;
        }
    }

    p = next;

after_value:

    p = levers_json_skip_ws(p, end);

    if (depth == 0) {
        if (p != end) {
            sc->msg = "Extra data";
            sc->at = p;
            return -1;
        }

        return 0;
    }

    if (p < end && *p == levers_json_closer(stack, depth)) {
        p++;
        depth--;
        goto after_value;
    }

    if (p == end || *p != ',') {
        sc->msg = "Expecting ',' delimiter";
        sc->at = p;
        return -1;
    }

    p = levers_json_skip_ws(p + 1, end);

    if (!levers_json_in_object(stack, depth)) {
        goto value;
    }

key:

    if (p == end || *p != '"') {
        sc->msg = "Expecting property name enclosed in double quotes";
        sc->at = p;
        return -1;
    }

    p = levers_json_scan_string(sc, p);
    if (p == NULL) {
        return -1;
    }

    p = levers_json_skip_ws(p, end);

    if (p == end || *p != ':') {
        sc->msg = "Expecting ':' delimiter";
        sc->at = p;
        return -1;
    }

    p = levers_json_skip_ws(p + 1, end);

    goto value;
}


int
levers_json_check(const char *buf, size_t len, levers_json_error_t *err)
{
    const unsigned char  *start, *end, *bad;
    levers_json_scan_t    sc;

    start = (const unsigned char *) buf;
    end = start + len;

    if (levers_json_foreign_encoding(start, len)) {
        err->msg = "Invalid UTF-8";
        err->pos = 0;
        return -1;
    }

    /* json.loads(bytes) decodes with "utf-8-sig": a BOM is dropped */

    if (len >= 3 && start[0] == 0xef && start[1] == 0xbb && start[2] == 0xbf)
    {
        start += 3;
    }

    /* the whole body is decoded before the JSON scan starts */

    bad = levers_utf8_invalid(start, end);

    if (bad != NULL) {
        err->msg = "Invalid UTF-8";
        err->pos = levers_utf8_length((const char *) start, bad - start);
        return -1;
    }

    sc.start = start;
    sc.end = end;
    sc.msg = NULL;
    sc.at = NULL;

    if (levers_json_scan(&sc) == 0) {
        return 0;
    }

    err->msg = sc.msg;
    err->pos = levers_utf8_length((const char *) start, sc.at - start);

    return -1;
}

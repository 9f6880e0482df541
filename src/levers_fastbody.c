/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The fast path for plainly valid bodies, see levers_fastbody.h.
 *
 * One pass over the bytes checks the JSON as jansson reads it (strict
 * UTF-8, escapes, integer range, real overflow) and the schema in its
 * strict form, and notes for metadata and promptTags whether their raw
 * text is already the compact JSON levers_json_dump() would write: then
 * the texts point into the body.  Only a value that is not (white space
 * inside, a backslash in a string, a real, "-0") is read a second time,
 * by a writer that trusts the first pass, into memory carved from large
 * blocks.  Every text is what levers_json.c writes for the value jansson
 * would have parsed, so the general path fills the same request.
 *
 * Anything unusual declines: the general path then decides, with
 * FastAPI's errors where there are some.
 */


#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "levers_json.h"
#include "levers_fastbody.h"


#define LEVERS_FAST_ERROR        -1

/* deepest nesting read; the top-level object is level 1 */
#define LEVERS_FAST_MAX_DEPTH    32

/* keys of one object checked for duplicates, and of all open objects */
#define LEVERS_FAST_MAX_KEYS     64
#define LEVERS_FAST_KEY_STACK    256

/* longest real read (strtod() wants a copy), and longest written */
#define LEVERS_FAST_MAX_REAL     128
#define LEVERS_FAST_REAL_OUT     24

/* the rewrite copies strings 8 bytes at a time: it may write 7 beyond */
#define LEVERS_FAST_SLACK        8

/* an escaped UUID string decoded on the stack: "urn:uuid:" form, \uXXXX */
#define LEVERS_FAST_MAX_UUID     (45 * 6)

/* the carving blocks: a quarter of the body, within these bounds */
#define LEVERS_FAST_BLOCK_MIN    1024
#define LEVERS_FAST_BLOCK_MAX    65536

/* the smallest contact assumed when guessing how many are left */
#define LEVERS_FAST_MIN_CONTACT  40

#define LEVERS_FAST_ONES         0x0101010101010101ULL
#define LEVERS_FAST_HIGHS        0x8080808080808080ULL

/* where bytes can be read 8 at a time, the first of interest found */
#if (defined __GNUC__ && defined __BYTE_ORDER__                              \
     && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#define LEVERS_FAST_SWAR         1
#else
#define LEVERS_FAST_SWAR         0
#endif

/* what a string holds, as levers_fast_string() reports it */
#define LEVERS_FAST_S_ESCAPE     1
#define LEVERS_FAST_S_HIGH       2


/* string byte classes */
#define LEVERS_FAST_PLAIN        0
#define LEVERS_FAST_QUOTE        1
#define LEVERS_FAST_BACKSLASH    2
#define LEVERS_FAST_CONTROL      3
#define LEVERS_FAST_HIGH         4


/* top-level and contact keys, as bits of what was seen */
#define LEVERS_FAST_TEMPLATE_ID  0x01
#define LEVERS_FAST_UPDATE       0x02
#define LEVERS_FAST_CONTACTS     0x04
#define LEVERS_FAST_COUNTRY      0x08
#define LEVERS_FAST_BATCH_SIZE   0x10

#define LEVERS_FAST_NUMBER       0x01
#define LEVERS_FAST_FIRST_NAME   0x02
#define LEVERS_FAST_LAST_NAME    0x04
#define LEVERS_FAST_METADATA     0x08
#define LEVERS_FAST_PROMPT_TAGS  0x10

#define LEVERS_FAST_UNKNOWN      0


/* a promptTags value's kind */
typedef enum {
    LEVERS_FAST_T_STRING = 0,
    LEVERS_FAST_T_SCALAR,           /* number, true, false: text as is */
    LEVERS_FAST_T_NULL,
    LEVERS_FAST_T_COMPOUND          /* object or array */
} levers_fast_type_e;


typedef struct {
    const unsigned char  *data;
    size_t                len;
} levers_fast_key_t;


/* one promptTags entry while its object is read */
typedef struct {
    const unsigned char  *key;          /* in the body, no escape */
    size_t                key_len;
    const unsigned char  *start;        /* the value in the body */
    const unsigned char  *end;
    const unsigned char  *out;          /* the value in the rewrite */
    const unsigned char  *out_end;
    levers_fast_type_e    type;
    unsigned              escaped;      /* LEVERS_FAST_S_* of a string */
} levers_fast_item_t;


/* what the first pass learnt of a value it will not copy as it is */
typedef struct {
    unsigned              rewrite;      /* not compact JSON as it is */
    size_t                extra;        /* bytes a rewrite may add */
} levers_fast_shape_t;


typedef struct {
    const unsigned char  *end;
    levers_alloc_pt       alloc;
    void                 *alloc_ctx;
    unsigned char        *mem;          /* free part of the current block */
    unsigned char        *mem_end;
    size_t                block;
    int                   rc;           /* why a step returned NULL */
    size_t                nkeys;
    levers_fast_key_t     keys[LEVERS_FAST_KEY_STACK];
    levers_fast_item_t    items[LEVERS_FAST_MAX_KEYS];
} levers_fast_t;


/* the contacts array, grown from guesses of how many are left */
typedef struct {
    levers_contact_t     *items;
    size_t                n;
    size_t                cap;
    const unsigned char  *start;        /* the array's first contact */
} levers_fast_list_t;


/* where the body's fields go */
typedef struct {
    levers_request_t     *req;
    levers_fast_list_t   *list;
} levers_fast_top_t;


/* a second-pass writer: the value at *pp, compact, into out */
typedef unsigned char *(*levers_fast_writer_pt)(const unsigned char **pp,
    const unsigned char *end, unsigned char *out);


/* a field's value: returns what follows it, or NULL to decline */
typedef const unsigned char *(*levers_fast_field_pt)(levers_fast_t *fp,
    const unsigned char *p, unsigned key, void *data);


static const unsigned char *levers_fast_fields(levers_fast_t *fp,
    const unsigned char *p, unsigned level, levers_fast_field_pt value,
    void *data, unsigned *seen);
static const unsigned char *levers_fast_top_field(levers_fast_t *fp,
    const unsigned char *p, unsigned key, void *data);
static const unsigned char *levers_fast_contact_field(levers_fast_t *fp,
    const unsigned char *p, unsigned key, void *data);
static const unsigned char *levers_fast_top_value(levers_fast_t *fp,
    const unsigned char *p, unsigned key, levers_request_t *req,
    levers_fast_list_t *list);
static const unsigned char *levers_fast_contacts(levers_fast_t *fp,
    const unsigned char *p, levers_fast_list_t *list);
static int levers_fast_append(levers_fast_t *fp, levers_fast_list_t *list,
    const levers_contact_t *c, const unsigned char *p);
static const unsigned char *levers_fast_contact(levers_fast_t *fp,
    const unsigned char *p, levers_contact_t *c);
static const unsigned char *levers_fast_contact_value(levers_fast_t *fp,
    const unsigned char *p, unsigned key, levers_contact_t *c);
static const unsigned char *levers_fast_number_to_call(levers_fast_t *fp,
    const unsigned char *p, levers_contact_t *c);
static const unsigned char *levers_fast_name(levers_fast_t *fp,
    const unsigned char *p, levers_text_t *t);
static const unsigned char *levers_fast_metadata(levers_fast_t *fp,
    const unsigned char *p, levers_text_t *t);
static const unsigned char *levers_fast_tags(levers_fast_t *fp,
    const unsigned char *p, levers_tags_t **out);
static int levers_fast_tags_make(levers_fast_t *fp, levers_tags_t *tags,
    const unsigned char *start, size_t len, levers_fast_shape_t *sh);
static int levers_fast_tag_make(levers_fast_t *fp, levers_fast_item_t *it,
    levers_tag_t *tag);
static const unsigned char *levers_fast_template_id(levers_fast_t *fp,
    const unsigned char *p, levers_request_t *req);
static const unsigned char *levers_fast_country(levers_fast_t *fp,
    const unsigned char *p, levers_request_t *req);
static const unsigned char *levers_fast_batch_size(levers_fast_t *fp,
    const unsigned char *p, levers_request_t *req);

static const unsigned char *levers_fast_value(levers_fast_t *fp,
    const unsigned char *p, unsigned depth, levers_fast_shape_t *sh,
    unsigned dups);
static const unsigned char *levers_fast_object(levers_fast_t *fp,
    const unsigned char *p, unsigned depth, levers_fast_shape_t *sh,
    unsigned dups);
static const unsigned char *levers_fast_array(levers_fast_t *fp,
    const unsigned char *p, unsigned depth, levers_fast_shape_t *sh,
    unsigned dups);
static int levers_fast_key_seen(levers_fast_t *fp, size_t base,
    const unsigned char *key, size_t len);
static const unsigned char *levers_fast_string(levers_fast_t *fp,
    const unsigned char *p, unsigned *flags);
static const unsigned char *levers_fast_escape(const unsigned char *p,
    const unsigned char *end);
static size_t levers_fast_utf8(const unsigned char *p,
    const unsigned char *end);
static const unsigned char *levers_fast_number(levers_fast_t *fp,
    const unsigned char *p, levers_fast_shape_t *sh);
static const unsigned char *levers_fast_literal(levers_fast_t *fp,
    const unsigned char *p);
static int levers_fast_hex4(const unsigned char *p, unsigned *out);
static unsigned levers_fast_known_key(const unsigned char **pp,
    const unsigned char *end, unsigned contact);

static int levers_fast_rewrite(levers_fast_t *fp, levers_text_t *t,
    const unsigned char *p, size_t size, levers_fast_writer_pt write);
static unsigned char *levers_fast_write(const unsigned char **pp,
    const unsigned char *end, unsigned char *out);
static unsigned char *levers_fast_write_string(const unsigned char **pp,
    const unsigned char *end, unsigned char *out);
static unsigned char *levers_fast_write_number(const unsigned char **pp,
    unsigned char *out);
static unsigned char *levers_fast_decode(const unsigned char *p,
    const unsigned char *end, unsigned char *out);
static uint32_t levers_fast_unescape(const unsigned char **pp);
static unsigned char *levers_fast_put_utf8(unsigned char *out, uint32_t cp);
static unsigned char *levers_fast_put_escaped(unsigned char *out,
    const unsigned char *p, size_t len);

static unsigned char *levers_fast_reserve(levers_fast_t *fp, size_t n);
static void levers_fast_commit(levers_fast_t *fp, unsigned char *p,
    size_t used);
static void *levers_fast_carve(levers_fast_t *fp, size_t size);


/* bytes inside a string: 0 copied as they are, else why not */
static const unsigned char  levers_fast_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4
};


/* JSON's white space, as jansson's lexer skips it */
static const unsigned char  levers_fast_space[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1
};


#define levers_fast_digit(c)  ((unsigned) ((c) - '0') < 10)


static inline const unsigned char *
levers_fast_skip(const unsigned char *p, const unsigned char *end,
    unsigned *rewrite)
{
    if (p < end && levers_fast_space[*p]) {
        *rewrite = 1;

        do {
            p++;
        } while (p < end && levers_fast_space[*p]);
    }

    return p;
}


int
levers_fast_parse(const char *buf, size_t len, levers_request_t *req,
    levers_alloc_pt alloc, void *alloc_ctx)
{
    unsigned              seen, ws;
    const unsigned char  *p, *end;
    levers_fast_t        *fp, ctx;
    levers_fast_top_t     top;
    levers_fast_list_t    list;

    memset(req, 0, sizeof(levers_request_t));

    fp = &ctx;
    fp->end = (const unsigned char *) buf + len;
    fp->alloc = alloc;
    fp->alloc_ctx = alloc_ctx;
    fp->mem = NULL;
    fp->mem_end = NULL;
    fp->rc = LEVERS_FAST_DECLINED;
    fp->nkeys = 0;

    fp->block = len / 4;

    if (fp->block < LEVERS_FAST_BLOCK_MIN) {
        fp->block = LEVERS_FAST_BLOCK_MIN;

    } else if (fp->block > LEVERS_FAST_BLOCK_MAX) {
        fp->block = LEVERS_FAST_BLOCK_MAX;
    }

    list.items = NULL;
    list.n = 0;
    list.cap = 0;
    list.start = NULL;

    end = fp->end;
    ws = 0;

    p = levers_fast_skip((const unsigned char *) buf, end, &ws);

    if (p == end || *p != '{') {
        return LEVERS_FAST_DECLINED;
    }

    /* "{}" lacks contacts */

    top.req = req;
    top.list = &list;

    p = levers_fast_fields(fp, p, 0, levers_fast_top_field, &top, &seen);
    if (p == NULL) {
        return fp->rc;
    }

    p = levers_fast_skip(p, end, &ws);

    if (p != end || !(seen & LEVERS_FAST_CONTACTS)) {
        return LEVERS_FAST_DECLINED;
    }

    req->body = NULL;
    req->contacts = list.n ? list.items : NULL;
    req->ncontacts = list.n;

    return 0;
}


/*
 * The members of an object whose fields are known (level 0: the body, 1:
 * a contact), p at its "{": each key is read and checked (a key with an
 * escape might spell a field's name, and a field given twice takes the
 * last value in the general path: both are declined), its value goes to
 * value(), and *seen gets the fields met.  Returns what follows the "}",
 * or NULL to decline.
 */

static const unsigned char *
levers_fast_fields(levers_fast_t *fp, const unsigned char *p,
    unsigned level, levers_fast_field_pt value, void *data, unsigned *seen)
{
    unsigned              key, escaped, ws;
    const unsigned char  *end;

    end = fp->end;
    *seen = 0;
    ws = 0;

    p = levers_fast_skip(p + 1, end, &ws);

    for ( ;; ) {
        if (p == end || *p != '"') {
            return NULL;
        }

        key = levers_fast_known_key(&p, end, level);

        if (key == LEVERS_FAST_UNKNOWN) {
            escaped = 0;

            p = levers_fast_string(fp, p, &escaped);
            if (p == NULL || (escaped & LEVERS_FAST_S_ESCAPE)) {
                return NULL;
            }
        }

        if (key & *seen) {
            return NULL;
        }

        *seen |= key;

        p = levers_fast_skip(p, end, &ws);

        if (p == end || *p != ':') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &ws);

        if (p == end) {
            return NULL;
        }

        p = value(fp, p, key, data);
        if (p == NULL) {
            return NULL;
        }

        p = levers_fast_skip(p, end, &ws);

        if (p == end) {
            return NULL;
        }

        if (*p == '}') {
            return p + 1;
        }

        if (*p != ',') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &ws);
    }
}


static const unsigned char *
levers_fast_top_field(levers_fast_t *fp, const unsigned char *p,
    unsigned key, void *data)
{
    levers_fast_top_t  *top = data;

    return levers_fast_top_value(fp, p, key, top->req, top->list);
}


static const unsigned char *
levers_fast_contact_field(levers_fast_t *fp, const unsigned char *p,
    unsigned key, void *data)
{
    return levers_fast_contact_value(fp, p, key, data);
}


static const unsigned char *
levers_fast_top_value(levers_fast_t *fp, const unsigned char *p,
    unsigned key, levers_request_t *req, levers_fast_list_t *list)
{
    const unsigned char  *end;
    levers_fast_shape_t   sh;

    end = fp->end;

    if (p == end) {
        return NULL;
    }

    switch (key) {

    case LEVERS_FAST_TEMPLATE_ID:
        return levers_fast_template_id(fp, p, req);

    case LEVERS_FAST_UPDATE:
        if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
            req->update_existing = 1;
            return p + 4;
        }

        if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
            req->update_existing = 0;
            return p + 5;
        }

        return NULL;

    case LEVERS_FAST_CONTACTS:
        return levers_fast_contacts(fp, p, list);

    case LEVERS_FAST_COUNTRY:
        return levers_fast_country(fp, p, req);

    case LEVERS_FAST_BATCH_SIZE:
        return levers_fast_batch_size(fp, p, req);
    }

    /* unknown: ignored, as pydantic does, once it is valid JSON */

    sh.rewrite = 0;
    sh.extra = 0;

    return levers_fast_value(fp, p, 2, &sh, 0);
}


/* Optional[UUID], the strict form: null or a string uuid_parse() takes */

static const unsigned char *
levers_fast_template_id(levers_fast_t *fp, const unsigned char *p,
    levers_request_t *req)
{
    size_t                len;
    unsigned              escaped;
    unsigned char         uuid[16], tmp[LEVERS_FAST_MAX_UUID];
    const unsigned char  *s, *q;

    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    if (*p != '"') {
        return NULL;
    }

    escaped = 0;

    q = levers_fast_string(fp, p, &escaped);
    if (q == NULL) {
        return NULL;
    }

    s = p + 1;
    len = q - p - 2;

    if (escaped & LEVERS_FAST_S_ESCAPE) {
        if (len > LEVERS_FAST_MAX_UUID) {
            return NULL;
        }

        len = levers_fast_decode(s, s + len, tmp) - tmp;
        s = tmp;
    }

    if (levers_uuid_parse(s, len, uuid) != 0) {
        return NULL;
    }

    levers_uuid_format(uuid, req->template_id);
    req->has_template_id = 1;

    return q;
}


/* Optional[str] of exactly two ASCII capitals */

static const unsigned char *
levers_fast_country(levers_fast_t *fp, const unsigned char *p,
    levers_request_t *req)
{
    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    if (fp->end - p < 4
        || p[0] != '"' || p[3] != '"'
        || p[1] < 'A' || p[1] > 'Z'
        || p[2] < 'A' || p[2] > 'Z')
    {
        return NULL;
    }

    req->country[0] = (char) p[1];
    req->country[1] = (char) p[2];
    req->country[2] = '\0';
    req->has_country = 1;

    return p + 4;
}


/* Optional[int], 10..1000: a plain JSON integer only, no lax forms */

static const unsigned char *
levers_fast_batch_size(levers_fast_t *fp, const unsigned char *p,
    levers_request_t *req)
{
    long                  value;
    const unsigned char  *start, *end;

    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    end = fp->end;
    start = p;

    if (*p < '1' || *p > '9') {
        return NULL;
    }

    value = 0;

    while (p < end && levers_fast_digit(*p) && p - start < 5) {
        value = value * 10 + (*p++ - '0');
    }

    if (p < end && (levers_fast_digit(*p) || *p == '.' || *p == 'e'
                    || *p == 'E'))
    {
        return NULL;
    }

    if (value < LEVERS_BATCH_MIN || value > LEVERS_BATCH_MAX) {
        return NULL;
    }

    req->batch_size = value;
    req->has_batch_size = 1;

    return p;
}


static const unsigned char *
levers_fast_contacts(levers_fast_t *fp, const unsigned char *p,
    levers_fast_list_t *list)
{
    unsigned              ws;
    const unsigned char  *end;
    levers_contact_t      c;

    end = fp->end;

    if (*p != '[') {
        return NULL;
    }

    p = levers_fast_skip(p + 1, end, &ws);

    if (p < end && *p == ']') {
        return p + 1;
    }

    list->start = p;

    for ( ;; ) {
        if (p == end || *p != '{') {
            return NULL;
        }

        c.index = list->n;

        p = levers_fast_contact(fp, p, &c);
        if (p == NULL) {
            return NULL;
        }

        if (levers_fast_append(fp, list, &c, p) != 0) {
            return NULL;
        }

        p = levers_fast_skip(p, end, &ws);

        if (p == end) {
            return NULL;
        }

        if (*p == ']') {
            return p + 1;
        }

        if (*p != ',') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &ws);
    }
}


/*
 * The contacts must end up in one array, and the pool cannot free: its
 * size is guessed from the bytes the contacts so far took and the bytes
 * left, so a body of alike contacts gets its array at the first try; a
 * wrong guess costs a copy, and guesses grow by a quarter at least.
 */

static int
levers_fast_append(levers_fast_t *fp, levers_fast_list_t *list,
    const levers_contact_t *c, const unsigned char *p)
{
    size_t             avg, cap;
    levers_contact_t  *items;

    if (list->n == list->cap) {
        avg = (p - list->start) / (list->n + 1);

        if (avg < LEVERS_FAST_MIN_CONTACT) {
            avg = LEVERS_FAST_MIN_CONTACT;
        }

        cap = list->n + 1 + (fp->end - p) / avg + 1;

        if (cap < list->n + list->n / 4 + 4) {
            cap = list->n + list->n / 4 + 4;
        }

        if (cap > SIZE_MAX / sizeof(levers_contact_t)) {
            fp->rc = LEVERS_FAST_ERROR;
            return -1;
        }

        items = fp->alloc(fp->alloc_ctx, cap * sizeof(levers_contact_t));
        if (items == NULL) {
            fp->rc = LEVERS_FAST_ERROR;
            return -1;
        }

        if (list->n) {
            memcpy(items, list->items, list->n * sizeof(levers_contact_t));
        }

        list->items = items;
        list->cap = cap;
    }

    list->items[list->n++] = *c;

    return 0;
}


static const unsigned char *
levers_fast_contact(levers_fast_t *fp, const unsigned char *p,
    levers_contact_t *c)
{
    unsigned  seen;

    c->number = NULL;
    c->number_len = 0;
    c->first_name.data = NULL;
    c->first_name.len = 0;
    c->last_name.data = NULL;
    c->last_name.len = 0;
    c->metadata.data = NULL;
    c->metadata.len = 0;
    c->prompt_tags = NULL;

    p = levers_fast_fields(fp, p, 1, levers_fast_contact_field, c, &seen);

    if (p == NULL || !(seen & LEVERS_FAST_NUMBER)) {
        return NULL;
    }

    return p;
}


static const unsigned char *
levers_fast_contact_value(levers_fast_t *fp, const unsigned char *p,
    unsigned key, levers_contact_t *c)
{
    levers_fast_shape_t  sh;

    switch (key) {

    case LEVERS_FAST_NUMBER:
        return levers_fast_number_to_call(fp, p, c);

    case LEVERS_FAST_FIRST_NAME:
        return levers_fast_name(fp, p, &c->first_name);

    case LEVERS_FAST_LAST_NAME:
        return levers_fast_name(fp, p, &c->last_name);

    case LEVERS_FAST_METADATA:
        return levers_fast_metadata(fp, p, &c->metadata);

    case LEVERS_FAST_PROMPT_TAGS:
        return levers_fast_tags(fp, p, &c->prompt_tags);
    }

    sh.rewrite = 0;
    sh.extra = 0;

    return levers_fast_value(fp, p, 4, &sh, 0);
}


/* str of 1..100 code points, decoded */

static const unsigned char *
levers_fast_number_to_call(levers_fast_t *fp, const unsigned char *p,
    levers_contact_t *c)
{
    size_t                len, n;
    unsigned              escaped;
    unsigned char        *out;
    const unsigned char  *q, *s;

    if (*p != '"') {
        return NULL;
    }

    escaped = 0;

    q = levers_fast_string(fp, p, &escaped);
    if (q == NULL) {
        return NULL;
    }

    s = p + 1;
    len = q - p - 2;

    if (escaped == 0) {

        /* ASCII: a byte is a code point */

        if (len < 1 || len > 100) {
            return NULL;
        }

        c->number = (const char *) s;
        c->number_len = len;

        return q;
    }

    if (escaped & LEVERS_FAST_S_ESCAPE) {
        out = levers_fast_reserve(fp, len);
        if (out == NULL) {
            return NULL;
        }

        len = levers_fast_decode(s, s + len, out) - out;
        levers_fast_commit(fp, out, len);
        s = out;
    }

    n = levers_utf8_length((const char *) s, len);

    if (n < 1 || n > 100) {
        return NULL;
    }

    c->number = (const char *) s;
    c->number_len = len;

    return q;
}


/* Optional[str], as a JSON literal: the raw one is it when unescaped */

static const unsigned char *
levers_fast_name(levers_fast_t *fp, const unsigned char *p, levers_text_t *t)
{
    unsigned              escaped;
    const unsigned char  *q;

    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    if (*p != '"') {
        return NULL;
    }

    escaped = 0;

    q = levers_fast_string(fp, p, &escaped);
    if (q == NULL) {
        return NULL;
    }

    if (!(escaped & LEVERS_FAST_S_ESCAPE)) {
        t->data = (const char *) p;
        t->len = q - p;
        return q;
    }

    /* escapes never make a string longer */

    if (levers_fast_rewrite(fp, t, p, (q - p) + LEVERS_FAST_SLACK,
                            levers_fast_write_string)
        != 0)
    {
        return NULL;
    }

    return q;
}


/* Optional[dict], as compact JSON */

static const unsigned char *
levers_fast_metadata(levers_fast_t *fp, const unsigned char *p,
    levers_text_t *t)
{
    const unsigned char  *q;
    levers_fast_shape_t   sh;

    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    if (*p != '{') {
        return NULL;
    }

    sh.rewrite = 0;
    sh.extra = 0;

    q = levers_fast_object(fp, p, 4, &sh, 1);
    if (q == NULL) {
        return NULL;
    }

    if (!sh.rewrite) {
        t->data = (const char *) p;
        t->len = q - p;
        return q;
    }

    if (levers_fast_rewrite(fp, t, p, (q - p) + sh.extra + LEVERS_FAST_SLACK,
                            levers_fast_write)
        != 0)
    {
        return NULL;
    }

    return q;
}


/*
 * Optional[dict] of prompt tags: the object as compact JSON, and each
 * entry's key, text and escaped text (levers_request.c makes the same
 * from jansson's values)
 */

static const unsigned char *
levers_fast_tags(levers_fast_t *fp, const unsigned char *p,
    levers_tags_t **out)
{
    size_t                n, i;
    unsigned              escaped;
    const unsigned char  *end, *start, *k;
    levers_tags_t        *tags;
    levers_fast_item_t   *it;
    levers_fast_shape_t   sh;

    if (*p == 'n') {
        return levers_fast_literal(fp, p);
    }

    if (*p != '{') {
        return NULL;
    }

    end = fp->end;
    start = p;
    n = 0;

    sh.rewrite = 0;
    sh.extra = 0;

    p = levers_fast_skip(p + 1, end, &sh.rewrite);

    if (p < end && *p == '}') {
        p++;
        goto done;
    }

    for ( ;; ) {
        if (p == end || *p != '"' || n == LEVERS_FAST_MAX_KEYS) {
            return NULL;
        }

        k = p;
        escaped = 0;

        p = levers_fast_string(fp, p, &escaped);
        if (p == NULL || (escaped & LEVERS_FAST_S_ESCAPE)) {
            return NULL;
        }

        it = &fp->items[n];
        it->key = k + 1;
        it->key_len = p - k - 2;

        for (i = 0; i < n; i++) {
            if (fp->items[i].key_len == it->key_len
                && memcmp(fp->items[i].key, it->key, it->key_len) == 0)
            {
                return NULL;
            }
        }

        p = levers_fast_skip(p, end, &sh.rewrite);

        if (p == end || *p != ':') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &sh.rewrite);

        if (p == end) {
            return NULL;
        }

        it->start = p;
        it->escaped = 0;

        switch (*p) {

        case '"':
            it->type = LEVERS_FAST_T_STRING;
            p = levers_fast_string(fp, p, &it->escaped);
            it->escaped &= LEVERS_FAST_S_ESCAPE;
            sh.rewrite |= it->escaped;
            break;

        case '{':
        case '[':
            it->type = LEVERS_FAST_T_COMPOUND;
            p = levers_fast_value(fp, p, 5, &sh, 1);
            break;

        case 'n':
            it->type = LEVERS_FAST_T_NULL;
            p = levers_fast_literal(fp, p);
            break;

        default:
            it->type = LEVERS_FAST_T_SCALAR;
            p = levers_fast_value(fp, p, 5, &sh, 1);
        }

        if (p == NULL) {
            return NULL;
        }

        it->end = p;
        it->out = it->start;        /* the rewrite, if any, moves it */
        it->out_end = p;
        n++;

        p = levers_fast_skip(p, end, &sh.rewrite);

        if (p == end) {
            return NULL;
        }

        if (*p == '}') {
            p++;
            break;
        }

        if (*p != ',') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &sh.rewrite);
    }

done:

    /* the entries follow their levers_tags_t, aligned as it is */

    tags = levers_fast_carve(fp, sizeof(levers_tags_t)
                                 + n * sizeof(levers_tag_t));
    if (tags == NULL) {
        return NULL;
    }

    tags->items = n ? (levers_tag_t *) (tags + 1) : NULL;
    tags->n = n;

    if (levers_fast_tags_make(fp, tags, start, p - start, &sh) != 0) {
        return NULL;
    }

    *out = tags;

    return p;
}


static int
levers_fast_tags_make(levers_fast_t *fp, levers_tags_t *tags,
    const unsigned char *start, size_t len, levers_fast_shape_t *sh)
{
    size_t                i, n;
    unsigned char        *out, *last;
    const unsigned char  *p;
    levers_fast_item_t   *it;

    n = tags->n;

    if (!sh->rewrite) {
        tags->json.data = (const char *) start;
        tags->json.len = len;

        for (i = 0; i < n; i++) {
            if (levers_fast_tag_make(fp, &fp->items[i], &tags->items[i])
                != 0)
            {
                return -1;
            }
        }

        return 0;
    }

    /* the object written again, where each value lands noted */

    out = levers_fast_reserve(fp, len + sh->extra + LEVERS_FAST_SLACK);
    if (out == NULL) {
        return -1;
    }

    last = out;
    *last++ = '{';

    for (i = 0; i < n; i++) {
        it = &fp->items[i];

        if (i) {
            *last++ = ',';
        }

        *last++ = '"';
        memcpy(last, it->key, it->key_len);
        last += it->key_len;
        *last++ = '"';
        *last++ = ':';

        p = it->start;
        it->out = last;
        last = levers_fast_write(&p, fp->end, last);
        it->out_end = last;
    }

    *last++ = '}';

    levers_fast_commit(fp, out, last - out);

    tags->json.data = (const char *) out;
    tags->json.len = last - out;

    for (i = 0; i < n; i++) {
        if (levers_fast_tag_make(fp, &fp->items[i], &tags->items[i]) != 0) {
            return -1;
        }
    }

    return 0;
}


/* contract section 3.4: what {{key}} becomes, and as a JSON string body */

static int
levers_fast_tag_make(levers_fast_t *fp, levers_fast_item_t *it,
    levers_tag_t *tag)
{
    size_t                len, q;
    unsigned char        *out, *last;
    const unsigned char  *s, *e;

    tag->key.data = (const char *) it->key;
    tag->key.len = it->key_len;

    switch (it->type) {

    case LEVERS_FAST_T_NULL:
        tag->raw.data = "";
        tag->raw.len = 0;
        tag->esc = tag->raw;
        return 0;

    case LEVERS_FAST_T_STRING:

        if (!it->escaped) {
            tag->raw.data = (const char *) it->start + 1;
            tag->raw.len = it->end - it->start - 2;
            tag->esc = tag->raw;
            return 0;
        }

        /* the rewrite holds the escaped text; the decoded one is made */

        tag->esc.data = (const char *) it->out + 1;
        tag->esc.len = it->out_end - it->out - 2;

        len = it->end - it->start - 2;

        out = levers_fast_reserve(fp, len);
        if (out == NULL) {
            return -1;
        }

        last = levers_fast_decode(it->start + 1, it->end - 1, out);
        levers_fast_commit(fp, out, last - out);

        tag->raw.data = (const char *) out;
        tag->raw.len = last - out;

        return 0;

    case LEVERS_FAST_T_SCALAR:
        tag->raw.data = (const char *) it->out;
        tag->raw.len = it->out_end - it->out;
        tag->esc = tag->raw;
        return 0;

    default:
        break;
    }

    /* compact JSON has no control characters: only " and \ to escape */

    s = it->out;
    e = it->out_end;

    tag->raw.data = (const char *) s;
    tag->raw.len = e - s;

    q = 0;

    for ( /* void */ ; s < e; s++) {
        q += (*s == '"' || *s == '\\');
    }

    if (q == 0) {
        tag->esc = tag->raw;
        return 0;
    }

    out = levers_fast_reserve(fp, tag->raw.len + q);
    if (out == NULL) {
        return -1;
    }

    last = levers_fast_put_escaped(out, it->out, tag->raw.len);
    levers_fast_commit(fp, out, last - out);

    tag->esc.data = (const char *) out;
    tag->esc.len = last - out;

    return 0;
}


/*
 * Any JSON value at p, checked as jansson reads it; sh notes what makes
 * its text differ from compact JSON, dups asks for duplicated keys to be
 * declined (values whose content is used).  depth is the value's level.
 */

static const unsigned char *
levers_fast_value(levers_fast_t *fp, const unsigned char *p, unsigned depth,
    levers_fast_shape_t *sh, unsigned dups)
{
    unsigned  escaped;

    switch (*p) {

    case '"':
        escaped = 0;
        p = levers_fast_string(fp, p, &escaped);
        sh->rewrite |= escaped & LEVERS_FAST_S_ESCAPE;
        return p;

    case '{':
        return levers_fast_object(fp, p, depth, sh, dups);

    case '[':
        return levers_fast_array(fp, p, depth, sh, dups);

    case 't':
    case 'f':
    case 'n':
        return levers_fast_literal(fp, p);

    default:
        return levers_fast_number(fp, p, sh);
    }
}


static const unsigned char *
levers_fast_object(levers_fast_t *fp, const unsigned char *p,
    unsigned depth, levers_fast_shape_t *sh, unsigned dups)
{
    size_t                base;
    unsigned              escaped;
    const unsigned char  *end, *k;

    if (depth > LEVERS_FAST_MAX_DEPTH) {
        return NULL;
    }

    end = fp->end;
    base = fp->nkeys;

    p = levers_fast_skip(p + 1, end, &sh->rewrite);

    if (p < end && *p == '}') {
        return p + 1;
    }

    for ( ;; ) {
        if (p == end || *p != '"') {
            return NULL;
        }

        k = p;
        escaped = 0;

        p = levers_fast_string(fp, p, &escaped);

        /* keys are compared as they are: an escaped one is not read */

        if (p == NULL || (escaped & LEVERS_FAST_S_ESCAPE)) {
            return NULL;
        }

        if (dups && levers_fast_key_seen(fp, base, k + 1, p - k - 2)) {
            return NULL;
        }

        p = levers_fast_skip(p, end, &sh->rewrite);

        if (p == end || *p != ':') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &sh->rewrite);

        if (p == end) {
            return NULL;
        }

        p = levers_fast_value(fp, p, depth + 1, sh, dups);
        if (p == NULL) {
            return NULL;
        }

        p = levers_fast_skip(p, end, &sh->rewrite);

        if (p == end) {
            return NULL;
        }

        if (*p == '}') {
            fp->nkeys = base;
            return p + 1;
        }

        if (*p != ',') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &sh->rewrite);
    }
}


static const unsigned char *
levers_fast_array(levers_fast_t *fp, const unsigned char *p, unsigned depth,
    levers_fast_shape_t *sh, unsigned dups)
{
    const unsigned char  *end;

    if (depth > LEVERS_FAST_MAX_DEPTH) {
        return NULL;
    }

    end = fp->end;

    p = levers_fast_skip(p + 1, end, &sh->rewrite);

    if (p < end && *p == ']') {
        return p + 1;
    }

    for ( ;; ) {
        if (p == end) {
            return NULL;
        }

        p = levers_fast_value(fp, p, depth + 1, sh, dups);
        if (p == NULL) {
            return NULL;
        }

        p = levers_fast_skip(p, end, &sh->rewrite);

        if (p == end) {
            return NULL;
        }

        if (*p == ']') {
            return p + 1;
        }

        if (*p != ',') {
            return NULL;
        }

        p = levers_fast_skip(p + 1, end, &sh->rewrite);
    }
}


/* 1 when key repeats one of the object's (or there are too many) */

static int
levers_fast_key_seen(levers_fast_t *fp, size_t base, const unsigned char *key,
    size_t len)
{
    size_t              i;
    levers_fast_key_t  *k;

    if (fp->nkeys == LEVERS_FAST_KEY_STACK
        || fp->nkeys - base == LEVERS_FAST_MAX_KEYS)
    {
        return 1;
    }

    for (i = base; i < fp->nkeys; i++) {
        k = &fp->keys[i];

        if (k->len == len && memcmp(k->data, key, len) == 0) {
            return 1;
        }
    }

    k = &fp->keys[fp->nkeys++];
    k->data = key;
    k->len = len;

    return 0;
}


/*
 * A string whose opening quote is at p: what follows its closing quote,
 * or NULL; *flags gets LEVERS_FAST_S_* bits.  Eight bytes at a time
 * while none is a quote, a backslash, a control character or non-ASCII.
 */

static const unsigned char *
levers_fast_string(levers_fast_t *fp, const unsigned char *p,
    unsigned *flags)
{
    size_t                n;
    const unsigned char  *end;
#if (LEVERS_FAST_SWAR)
    uint64_t              w, t;
#endif

    end = fp->end;
    p++;

    for ( ;; ) {

#if (LEVERS_FAST_SWAR)

        /*
         * A byte's high bit in t is set when the byte is < 0x20, a quote,
         * a backslash or >= 0x80, or (through a borrow) above one that
         * is: the lowest one set is the first byte of interest.
         */

        while (end - p >= 8) {
            memcpy(&w, p, 8);

            t = ((w - LEVERS_FAST_ONES * 0x20)
                 | ((w ^ (LEVERS_FAST_ONES * '"')) - LEVERS_FAST_ONES)
                 | ((w ^ (LEVERS_FAST_ONES * '\\')) - LEVERS_FAST_ONES)
                 | w)
                & LEVERS_FAST_HIGHS;

            if (t) {
                p += __builtin_ctzll(t) >> 3;
                goto special;
            }

            p += 8;
        }

#endif

        while (p < end && levers_fast_class[*p] == LEVERS_FAST_PLAIN) {
            p++;
        }

        if (p == end) {
            return NULL;
        }

#if (LEVERS_FAST_SWAR)
    special:
#endif

        switch (levers_fast_class[*p]) {

        case LEVERS_FAST_QUOTE:
            return p + 1;

        case LEVERS_FAST_BACKSLASH:
            *flags |= LEVERS_FAST_S_ESCAPE;
            p = levers_fast_escape(p, end);
            if (p == NULL) {
                return NULL;
            }
            break;

        case LEVERS_FAST_HIGH:
            *flags |= LEVERS_FAST_S_HIGH;
            n = levers_fast_utf8(p, end);
            if (n == 0) {
                return NULL;
            }
            p += n;
            break;

        default:
            /* a raw control character: jansson refuses it */
            return NULL;
        }
    }
}


/*
 * The escape at p (a backslash): what follows it, or NULL for one that
 * jansson refuses (lone or misordered surrogates) or that is declined
 * (\u0000).
 */

static const unsigned char *
levers_fast_escape(const unsigned char *p, const unsigned char *end)
{
    unsigned  hi, lo;

    if (end - p < 2) {
        return NULL;
    }

    switch (p[1]) {

    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return p + 2;

    case 'u':
        break;

    default:
        return NULL;
    }

    if (end - p < 6 || levers_fast_hex4(p + 2, &hi) != 0 || hi == 0) {
        return NULL;
    }

    if (hi < 0xd800 || hi > 0xdfff) {
        return p + 6;
    }

    if (hi >= 0xdc00
        || end - p < 12 || p[6] != '\\' || p[7] != 'u'
        || levers_fast_hex4(p + 8, &lo) != 0
        || lo < 0xdc00 || lo > 0xdfff)
    {
        return NULL;
    }

    return p + 12;
}


/*
 * Length of the UTF-8 sequence at p (a byte >= 0x80), or 0 where
 * jansson's utf8_check_full() refuses it: overlong forms, surrogates,
 * beyond U+10FFFF, truncated.
 */

static size_t
levers_fast_utf8(const unsigned char *p, const unsigned char *end)
{
    size_t         n, i;
    unsigned char  c, lo, hi;

    c = *p;
    lo = 0x80;
    hi = 0xbf;

    if (c < 0xc2) {
        return 0;
    }

    if (c <= 0xdf) {
        n = 2;

    } else if (c <= 0xef) {
        n = 3;

        if (c == 0xe0) {
            lo = 0xa0;

        } else if (c == 0xed) {
            hi = 0x9f;
        }

    } else if (c <= 0xf4) {
        n = 4;

        if (c == 0xf0) {
            lo = 0x90;

        } else if (c == 0xf4) {
            hi = 0x8f;
        }

    } else {
        return 0;
    }

    if ((size_t) (end - p) < n || p[1] < lo || p[1] > hi) {
        return 0;
    }

    for (i = 2; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
    }

    return n;
}


/*
 * A number as jansson's lex_scan_number() reads it: integers must fit a
 * long long (strtoll's range), reals must not overflow strtod().  "-0"
 * and every real are written differently by levers_json_dump().
 */

static const unsigned char *
levers_fast_number(levers_fast_t *fp, const unsigned char *p,
    levers_fast_shape_t *sh)
{
    int                   minus, eminus;
    char                  tmp[LEVERS_FAST_MAX_REAL + 1];
    size_t                ndigits, exp;
    const unsigned char  *start, *digits, *end;

    end = fp->end;
    start = p;
    minus = 0;

    if (*p == '-') {
        minus = 1;
        p++;

        if (p == end) {
            return NULL;
        }
    }

    digits = p;

    if (*p == '0') {
        p++;

        if (p < end && levers_fast_digit(*p)) {
            return NULL;
        }

    } else if (*p >= '1' && *p <= '9') {
        do {
            p++;
        } while (p < end && levers_fast_digit(*p));

    } else {
        return NULL;
    }

    ndigits = p - digits;

    if (p == end || (*p != '.' && *p != 'e' && *p != 'E')) {

        if (ndigits > 19
            || (ndigits == 19
                && memcmp(digits, minus ? "9223372036854775808"
                                        : "9223372036854775807", 19) > 0))
        {
            return NULL;
        }

        if (minus && *digits == '0') {
            sh->rewrite = 1;        /* jansson reads 0 */
        }

        return p;
    }

    if (*p == '.') {
        p++;

        if (p == end || !levers_fast_digit(*p)) {
            return NULL;
        }

        do {
            p++;
        } while (p < end && levers_fast_digit(*p));
    }

    exp = 0;
    eminus = 0;

    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;

        if (p < end && (*p == '+' || *p == '-')) {
            eminus = (*p == '-');
            p++;
        }

        if (p == end || !levers_fast_digit(*p)) {
            return NULL;
        }

        do {
            if (exp < 100000) {
                exp = exp * 10 + (*p - '0');
            }

            p++;
        } while (p < end && levers_fast_digit(*p));
    }

    if (p - start > LEVERS_FAST_MAX_REAL) {
        return NULL;
    }

    /* below 10^300 nothing overflows: strtod() only for the others */

    if (!eminus && ndigits + exp > 300) {
        memcpy(tmp, start, p - start);
        tmp[p - start] = '\0';

        if (isinf(strtod(tmp, NULL))) {
            return NULL;
        }
    }

    sh->rewrite = 1;
    sh->extra += LEVERS_FAST_REAL_OUT;

    return p;
}


static const unsigned char *
levers_fast_literal(levers_fast_t *fp, const unsigned char *p)
{
    size_t  left;

    left = fp->end - p;

    switch (*p) {

    case 't':
        return (left >= 4 && memcmp(p, "true", 4) == 0) ? p + 4 : NULL;

    case 'f':
        return (left >= 5 && memcmp(p, "false", 5) == 0) ? p + 5 : NULL;

    case 'n':
        return (left >= 4 && memcmp(p, "null", 4) == 0) ? p + 4 : NULL;
    }

    return NULL;
}


static int
levers_fast_hex4(const unsigned char *p, unsigned *out)
{
    int       i;
    unsigned  c, v;

    v = 0;

    for (i = 0; i < 4; i++) {
        c = p[i];

        if (c >= '0' && c <= '9') {
            c -= '0';

        } else {
            c |= 0x20;

            if (c < 'a' || c > 'f') {
                return -1;
            }

            c -= 'a' - 10;
        }

        v = (v << 4) | c;
    }

    *out = v;

    return 0;
}


/* the fields' names, quoted, as the bytes of nearly every body have them */

typedef struct {
    const char  *name;
    size_t       len;
    unsigned     id;
} levers_fast_name_t;

#define levers_fast_field_name(s, id)  { s, sizeof(s) - 1, id }

static const levers_fast_name_t  levers_fast_body_names[] = {
    levers_fast_field_name("\"aiSettingsTemplateId\"", LEVERS_FAST_TEMPLATE_ID),
    levers_fast_field_name("\"updateExisting\"", LEVERS_FAST_UPDATE),
    levers_fast_field_name("\"contacts\"", LEVERS_FAST_CONTACTS),
    levers_fast_field_name("\"countryCode\"", LEVERS_FAST_COUNTRY),
    levers_fast_field_name("\"batchSize\"", LEVERS_FAST_BATCH_SIZE),
    { NULL, 0, 0 }
};

static const levers_fast_name_t  levers_fast_contact_names[] = {
    levers_fast_field_name("\"numberToCall\"", LEVERS_FAST_NUMBER),
    levers_fast_field_name("\"firstName\"", LEVERS_FAST_FIRST_NAME),
    levers_fast_field_name("\"lastName\"", LEVERS_FAST_LAST_NAME),
    levers_fast_field_name("\"metadata\"", LEVERS_FAST_METADATA),
    levers_fast_field_name("\"promptTags\"", LEVERS_FAST_PROMPT_TAGS),
    { NULL, 0, 0 }
};


/*
 * A field's name at p, quotes included: its id, p moved past it; else
 * LEVERS_FAST_UNKNOWN and the key is read as any string.  A name written
 * with an escape is not seen here: the caller declines escaped keys.
 */

static unsigned
levers_fast_known_key(const unsigned char **pp, const unsigned char *end,
    unsigned contact)
{
    size_t                     left;
    const unsigned char       *p;
    const levers_fast_name_t  *n;

    p = *pp;
    left = end - p;

    if (left < 2) {
        return LEVERS_FAST_UNKNOWN;
    }

    n = contact ? levers_fast_contact_names : levers_fast_body_names;

    for ( /* void */ ; n->name; n++) {
        if (p[1] == (unsigned char) n->name[1] && left >= n->len
            && memcmp(p, n->name, n->len) == 0)
        {
            *pp = p + n->len;
            return n->id;
        }
    }

    return LEVERS_FAST_UNKNOWN;
}


/*
 * The second pass: a value the first one checked, written as
 * levers_json_dump() writes what jansson reads of it.  *pp is the value's
 * first byte, then what follows it.
 */

static unsigned char *
levers_fast_write(const unsigned char **pp, const unsigned char *end,
    unsigned char *out)
{
    unsigned char         close;
    const unsigned char  *p;

    p = *pp;

    switch (*p) {

    case '"':
        return levers_fast_write_string(pp, end, out);

    case '{':
    case '[':
        break;

    case 't':
        memcpy(out, "true", 4);
        *pp = p + 4;
        return out + 4;

    case 'f':
        memcpy(out, "false", 5);
        *pp = p + 5;
        return out + 5;

    case 'n':
        memcpy(out, "null", 4);
        *pp = p + 4;
        return out + 4;

    default:
        return levers_fast_write_number(pp, out);
    }

    close = (*p == '{') ? '}' : ']';
    *out++ = *p++;

    while (levers_fast_space[*p]) {
        p++;
    }

    if (*p == close) {
        *out++ = close;
        *pp = p + 1;
        return out;
    }

    for ( ;; ) {
        if (close == '}') {
            out = levers_fast_write_string(&p, end, out);

            while (levers_fast_space[*p]) {
                p++;
            }

            *out++ = ':';
            p++;

            while (levers_fast_space[*p]) {
                p++;
            }
        }

        out = levers_fast_write(&p, end, out);

        while (levers_fast_space[*p]) {
            p++;
        }

        if (*p == close) {
            *out++ = close;
            *pp = p + 1;
            return out;
        }

        *out++ = ',';
        p++;

        while (levers_fast_space[*p]) {
            p++;
        }
    }
}


/* a checked string as levers_json_dump_string() writes its decoding */

static unsigned char *
levers_fast_write_string(const unsigned char **pp, const unsigned char *end,
    unsigned char *out)
{
    uint32_t              cp;
    const unsigned char  *p;
#if (LEVERS_FAST_SWAR)
    uint64_t              w, q, b, t;
#endif

    static const char     hex[] = "0123456789abcdef";

    p = *pp + 1;
    *out++ = '"';

    for ( ;; ) {

#if (LEVERS_FAST_SWAR)

        /* 8 bytes copied, then as many kept as come before " or \ */

        while (end - p >= 8) {
            memcpy(&w, p, 8);
            memcpy(out, &w, 8);

            q = w ^ (LEVERS_FAST_ONES * '"');
            b = w ^ (LEVERS_FAST_ONES * '\\');
            t = (((q - LEVERS_FAST_ONES) & ~q) | ((b - LEVERS_FAST_ONES) & ~b))
                & LEVERS_FAST_HIGHS;

            if (t) {
                t = __builtin_ctzll(t) >> 3;
                p += t;
                out += t;
                break;
            }

            p += 8;
            out += 8;
        }

#else
        (void) end;
#endif

        while (*p != '"' && *p != '\\') {
            *out++ = *p++;
        }

        if (*p == '"') {
            break;
        }

        cp = levers_fast_unescape(&p);

        if (cp >= 0x80) {
            out = levers_fast_put_utf8(out, cp);
            continue;
        }

        switch (cp) {

        case '"':
        case '\\':
            *out++ = '\\';
            *out++ = (unsigned char) cp;
            break;

        case '\b':
            *out++ = '\\';
            *out++ = 'b';
            break;

        case '\t':
            *out++ = '\\';
            *out++ = 't';
            break;

        case '\n':
            *out++ = '\\';
            *out++ = 'n';
            break;

        case '\f':
            *out++ = '\\';
            *out++ = 'f';
            break;

        case '\r':
            *out++ = '\\';
            *out++ = 'r';
            break;

        default:
            if (cp < 0x20) {
                *out++ = '\\';
                *out++ = 'u';
                *out++ = '0';
                *out++ = '0';
                *out++ = hex[cp >> 4];
                *out++ = hex[cp & 0xf];

            } else {
                *out++ = (unsigned char) cp;
            }
        }
    }

    *out++ = '"';
    *pp = p + 1;

    return out;
}


/* a checked number: integers as strtoll() reads them, reals as strtod() */

static unsigned char *
levers_fast_write_number(const unsigned char **pp, unsigned char *out)
{
    char                  tmp[LEVERS_FAST_MAX_REAL + 1];
    size_t                len;
    unsigned              real;
    const unsigned char  *p, *start;

    start = *pp;
    p = start;
    real = 0;

    for ( ;; ) {
        if (levers_fast_digit(*p) || *p == '-' || *p == '+') {
            p++;

        } else if (*p == '.' || *p == 'e' || *p == 'E') {
            real = 1;
            p++;

        } else {
            break;
        }
    }

    *pp = p;
    len = p - start;

    if (!real) {
        if (len == 2 && start[0] == '-' && start[1] == '0') {
            *out++ = '0';
            return out;
        }

        memcpy(out, start, len);
        return out + len;
    }

    memcpy(tmp, start, len);
    tmp[len] = '\0';

    return out + levers_json_format_real(strtod(tmp, NULL), (char *) out);
}


/* a checked string's contents (between the quotes) decoded */

static unsigned char *
levers_fast_decode(const unsigned char *p, const unsigned char *end,
    unsigned char *out)
{
    while (p < end) {
        if (*p != '\\') {
            *out++ = *p++;
            continue;
        }

        out = levers_fast_put_utf8(out, levers_fast_unescape(&p));
    }

    return out;
}


/* the checked escape at *p (a backslash) as a code point; moves *p on */

static uint32_t
levers_fast_unescape(const unsigned char **pp)
{
    unsigned              hi, lo;
    const unsigned char  *p;

    p = *pp;
    hi = 0;
    lo = 0;

    switch (p[1]) {

    case 'b':
        *pp = p + 2;
        return '\b';

    case 'f':
        *pp = p + 2;
        return '\f';

    case 'n':
        *pp = p + 2;
        return '\n';

    case 'r':
        *pp = p + 2;
        return '\r';

    case 't':
        *pp = p + 2;
        return '\t';

    case 'u':
        break;

    default:
        *pp = p + 2;
        return p[1];
    }

    (void) levers_fast_hex4(p + 2, &hi);

    if (hi < 0xd800 || hi > 0xdbff) {
        *pp = p + 6;
        return hi;
    }

    (void) levers_fast_hex4(p + 8, &lo);
    *pp = p + 12;

    return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}


static unsigned char *
levers_fast_put_utf8(unsigned char *out, uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (unsigned char) cp;

    } else if (cp < 0x800) {
        *out++ = (unsigned char) (0xc0 | (cp >> 6));
        *out++ = (unsigned char) (0x80 | (cp & 0x3f));

    } else if (cp < 0x10000) {
        *out++ = (unsigned char) (0xe0 | (cp >> 12));
        *out++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
        *out++ = (unsigned char) (0x80 | (cp & 0x3f));

    } else {
        *out++ = (unsigned char) (0xf0 | (cp >> 18));
        *out++ = (unsigned char) (0x80 | ((cp >> 12) & 0x3f));
        *out++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
        *out++ = (unsigned char) (0x80 | (cp & 0x3f));
    }

    return out;
}


/* compact JSON as inside a JSON string: " and \ escaped */

static unsigned char *
levers_fast_put_escaped(unsigned char *out, const unsigned char *p,
    size_t len)
{
    const unsigned char  *end;

    for (end = p + len; p < end; p++) {
        if (*p == '"' || *p == '\\') {
            *out++ = '\\';
        }

        *out++ = *p;
    }

    return out;
}


/*
 * t as what write() makes of the value at p, in size bytes reserved for
 * it: 0, or -1 (fp->rc says why)
 */

static int
levers_fast_rewrite(levers_fast_t *fp, levers_text_t *t,
    const unsigned char *p, size_t size, levers_fast_writer_pt write)
{
    unsigned char  *out, *last;

    out = levers_fast_reserve(fp, size);
    if (out == NULL) {
        return -1;
    }

    last = write(&p, fp->end, out);
    levers_fast_commit(fp, out, last - out);

    t->data = (const char *) out;
    t->len = last - out;

    return 0;
}


/*
 * Room for n bytes of text: in the current block, or in a new one; a
 * text of more than half a block gets memory of its own, so as not to
 * waste the rest of the current block.  Used bytes are then committed.
 */

static unsigned char *
levers_fast_reserve(levers_fast_t *fp, size_t n)
{
    unsigned char  *p;

    if (n == 0) {
        n = 1;
    }

    if ((size_t) (fp->mem_end - fp->mem) >= n) {
        return fp->mem;
    }

    if (n > fp->block / 2) {
        p = fp->alloc(fp->alloc_ctx, n);
        if (p == NULL) {
            fp->rc = LEVERS_FAST_ERROR;
        }

        return p;
    }

    p = fp->alloc(fp->alloc_ctx, fp->block);
    if (p == NULL) {
        fp->rc = LEVERS_FAST_ERROR;
        return NULL;
    }

    fp->mem = p;
    fp->mem_end = p + fp->block;

    return p;
}


static void
levers_fast_commit(levers_fast_t *fp, unsigned char *p, size_t used)
{
    /*
     * memory of its own may start right at the end of a block used up
     * to its last byte (a pool hands memory out in order): it is not the
     * block's, and taking it for the block would move mem past mem_end
     */

    if (p == fp->mem && p != fp->mem_end) {
        fp->mem += used;
    }
}


/* size bytes aligned for pointers and size_t */

static void *
levers_fast_carve(levers_fast_t *fp, size_t size)
{
    size_t          pad;
    unsigned char  *p;

    pad = (0 - (uintptr_t) fp->mem) & (sizeof(void *) - 1);

    if (fp->mem != NULL && (size_t) (fp->mem_end - fp->mem) >= size + pad) {
        p = fp->mem + pad;
        fp->mem = p + size;
        return p;
    }

    /* a fresh block (or memory of its own) comes aligned from alloc */

    p = levers_fast_reserve(fp, size + sizeof(void *));
    if (p == NULL) {
        return NULL;
    }

    pad = (0 - (uintptr_t) p) & (sizeof(void *) - 1);
    levers_fast_commit(fp, p, pad + size);

    return p + pad;
}

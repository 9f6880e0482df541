/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Validation of the bulk-call body against OutboundAIPhoneCallSchemaBulk
 * with pydantic v2's lax rules (contract section 1), and the FastAPI 422
 * error list (contract section 2).
 *
 * Pure C over jansson: no nginx types.  Unit tested in
 * t/unit/test_validate.c.
 */

#ifndef LEVERS_VALIDATE_H
#define LEVERS_VALIDATE_H

#include <stddef.h>
#include <jansson.h>


#define LEVERS_BATCH_MIN  10
#define LEVERS_BATCH_MAX  1000


/* allocation from the caller (nginx: the request pool); never freed here */
typedef void *(*levers_alloc_pt)(void *ctx, size_t size);


typedef struct {
    json_t      *detail;     /* array of error objects, owned */
    size_t       max;        /* most errors listed; 0: no cap */
    size_t       total;      /* errors found, listed or not */
} levers_errors_t;


/* a piece of text; data NULL means JSON null (or absent) */
typedef struct {
    const char  *data;
    size_t       len;
} levers_text_t;


/* one promptTags entry, ready to be put into prompts */
typedef struct {
    levers_text_t   key;         /* decoded UTF-8 */
    levers_text_t   raw;         /* what {{key}} becomes: a string's text,
                                    other values' compact JSON, "" for
                                    null (data never NULL) */
    levers_text_t   esc;         /* raw as escaped inside a JSON string */
} levers_tag_t;


/* a contact's promptTags object */
typedef struct {
    levers_tag_t   *items;       /* in the object's order, keys distinct */
    size_t          n;
    levers_text_t   json;        /* the object as compact JSON */
} levers_tags_t;


/*
 * A valid contact, its values already in the form they are sent on:
 * "compact JSON" is what levers_json_dump() writes for the value
 * (Python's json.dumps(v, ensure_ascii=False, separators=(",", ":"))).
 */
typedef struct {
    size_t          index;          /* position in the request */
    const char     *number;         /* numberToCall, decoded UTF-8 */
    size_t          number_len;     /* bytes */
    levers_text_t   first_name;     /* compact JSON string ("\"...\""),
                                       data NULL when absent or null */
    levers_text_t   last_name;      /* the same */
    levers_text_t   metadata;       /* compact JSON object, or NULL data */
    levers_tags_t  *prompt_tags;    /* NULL when absent or null */
} levers_contact_t;


typedef struct {
    json_t            *body;           /* borrowed; NULL when the body was
                                          read by levers_fast_parse() */
    levers_contact_t  *contacts;       /* ncontacts items, caller's memory */
    size_t             ncontacts;

    unsigned           has_template_id:1;
    unsigned           update_existing:1;
    unsigned           has_country:1;
    unsigned           has_batch_size:1;

    char               template_id[37];    /* lower-case, hyphenated */
    char               country[3];
    long               batch_size;
} levers_request_t;


int levers_errors_init(levers_errors_t *errs, size_t max);
void levers_errors_free(levers_errors_t *errs);

/*
 * Appends {"type","loc","msg","input"[,"ctx"]}.  loc and ctx are stolen
 * (ctx may be NULL); input is borrowed (NULL means JSON null).  Past the
 * cap only total grows.  Returns 0, or -1 on allocation failure.
 */
int levers_errors_add(levers_errors_t *errs, const char *type,
    const char *msg, json_t *loc, json_t *input, json_t *ctx);

/* the tag named key (len bytes) in tags (may be NULL), or NULL */
const levers_tag_t *levers_tags_get(const levers_tags_t *tags,
    const char *key, size_t len);

/*
 * Fills a valid contact's texts from its jansson values (each NULL when
 * absent or null): what levers_fast_parse() makes from the bytes.  Texts
 * are written with alloc; keys and strings are borrowed from the values.
 * Returns 0, or -1 on allocation failure.  (src/levers_request.c)
 */
int levers_contact_from_json(levers_contact_t *c, json_t *first_name,
    json_t *last_name, json_t *metadata, json_t *prompt_tags,
    levers_alloc_pt alloc, void *alloc_ctx);

/* ["body","contacts",index,field], field may be NULL */
json_t *levers_loc_contact(size_t index, const char *field);

/*
 * Validates a parsed body (NULL or JSON null: missing body).  Fills req
 * when valid.  Returns 0 when valid, 1 when errors were added to errs,
 * -1 on allocation failure.
 */
int levers_validate_request(json_t *body, levers_request_t *req,
    levers_errors_t *errs, levers_alloc_pt alloc, void *alloc_ctx);

/*
 * pydantic's UUID parsing of a string (hyphenated, 32 hex digits, braces,
 * "urn:uuid:"; any case): 0 and the 16 bytes in out, or -1
 */
int levers_uuid_parse(const unsigned char *s, size_t len, unsigned char *out);

/* 16 bytes as 36 characters, lower-case, hyphenated, NUL-terminated */
void levers_uuid_format(const unsigned char *uuid, char *out);

#endif /* LEVERS_VALIDATE_H */

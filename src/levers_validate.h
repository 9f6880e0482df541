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


typedef struct {
    size_t       index;          /* position in the request */
    const char  *number;         /* numberToCall, borrowed from the body */
    size_t       number_len;     /* bytes */
    json_t      *first_name;     /* string, or NULL when absent or null */
    json_t      *last_name;      /* string, or NULL */
    json_t      *metadata;       /* object, or NULL */
    json_t      *prompt_tags;    /* object, or NULL */
} levers_contact_t;


typedef struct {
    json_t            *body;           /* borrowed */
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

/* ["body","contacts",index,field], field may be NULL */
json_t *levers_loc_contact(size_t index, const char *field);

/*
 * Validates a parsed body (NULL or JSON null: missing body).  Fills req
 * when valid.  Returns 0 when valid, 1 when errors were added to errs,
 * -1 on allocation failure.
 */
int levers_validate_request(json_t *body, levers_request_t *req,
    levers_errors_t *errs, levers_alloc_pt alloc, void *alloc_ctx);

#endif /* LEVERS_VALIDATE_H */

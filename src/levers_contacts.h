/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * From a validated request to a call plan (contract section 3.1, 3.2,
 * 3.4, 3.5): numbers normalised to E.164, duplicates and invalid numbers
 * skipped or reported, prompt placeholders checked against each contact's
 * promptTags, and the contacts to call listed in request order, ready to
 * be cut into batches.
 *
 * Pure C: no nginx types.  Unit tested in t/unit/test_contacts.c.
 */

#ifndef LEVERS_CONTACTS_H
#define LEVERS_CONTACTS_H

#include <stddef.h>
#include <stdint.h>
#include "levers_validate.h"
#include "levers_phone.h"
#include "levers_template.h"


typedef enum {
    LEVERS_CALL = 0,                 /* to be called */
    LEVERS_SKIP_DUPLICATE,           /* same E.164 as an earlier contact */
    LEVERS_SKIP_INVALID_NUMBER       /* with levers_bulk_invalid_number skip */
} levers_skip_e;


typedef struct {
    const char   *number;         /* as sent on: e164, or as written */
    size_t        number_len;
    char          e164[LEVERS_E164_MAX];
    uint8_t       e164_len;
    uint8_t       skip;           /* levers_skip_e */
    uint8_t       phone_rc;       /* levers_phone_rc_e for invalid numbers */
    uint8_t       accepted;       /* set by dispatch: its batch got 2xx */
    uint32_t      batch;          /* batch index, for contacts called */
    const char   *call_id;        /* from the gateway's answer, or NULL */
    size_t        call_id_len;
} levers_outcome_t;


typedef struct {
    const char            *default_region;  /* NULL: numbers need "+" */
    levers_tag_missing_e   missing_tag;
    const levers_template_t *tpl;           /* NULL: no prompts */
    unsigned               skip_invalid:1;
    unsigned               dedupe:1;
    unsigned               normalise:1;     /* 0: numbers passed as sent */
} levers_plan_conf_t;


typedef struct levers_numset_s  levers_numset_t;


typedef struct {
    levers_outcome_t  *out;        /* one per contact of the request */
    size_t            *calls;      /* indexes of the contacts to call */
    size_t             ncalls;
    size_t             nskipped;
    size_t             next;       /* first contact not planned yet */
    levers_numset_t   *set;        /* for duplicates, or NULL */
    int                invalid;    /* errors were added */
} levers_plan_t;


#define LEVERS_PLAN_AGAIN  2


/*
 * Builds the plan.  Returns 0 when every contact could be planned, 1 when
 * errors (422) were added to errs, -1 on allocation failure.
 */
int levers_plan(const levers_request_t *req, const levers_plan_conf_t *conf,
    levers_plan_t *plan, levers_errors_t *errs, levers_alloc_pt alloc,
    void *alloc_ctx);

/*
 * The same in steps, so a large request need not hold a caller's event
 * loop: levers_plan_init() allocates (0, or -1), then each
 * levers_plan_step() plans up to max more contacts and returns
 * LEVERS_PLAN_AGAIN while some are left, else what levers_plan() returns.
 */
int levers_plan_init(const levers_request_t *req,
    const levers_plan_conf_t *conf, levers_plan_t *plan,
    levers_alloc_pt alloc, void *alloc_ctx);
int levers_plan_step(const levers_request_t *req,
    const levers_plan_conf_t *conf, levers_plan_t *plan,
    levers_errors_t *errs, size_t max);

/* "duplicate", "invalid_number" */
const char *levers_skip_reason(int skip);

#endif /* LEVERS_CONTACTS_H */

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 */


#include <stdio.h>
#include <string.h>
#include "levers_contacts.h"


/* an open-addressing set of the numbers sent on, for duplicates */
struct levers_numset_s {
    size_t            *slots;      /* contact index + 1; 0: empty */
    size_t             mask;
    levers_outcome_t  *out;
};


typedef struct {
    const levers_request_t  *req;
    levers_errors_t         *errs;
    const levers_tpl_t      *reported;   /* keys already reported, or NULL */
    size_t                   index;
    int                      failed;
} levers_tag_check_t;


static int levers_numset_init(levers_numset_t *set, size_t n,
    levers_outcome_t *out, levers_alloc_pt alloc, void *alloc_ctx);
static size_t levers_numset_find_or_add(levers_numset_t *set, size_t index);
static int levers_plan_number(const levers_request_t *req,
    const levers_plan_conf_t *conf, size_t i, levers_outcome_t *o,
    levers_errors_t *errs);
static int levers_plan_tags(const levers_request_t *req,
    const levers_plan_conf_t *conf, size_t i, levers_errors_t *errs);
static int levers_value_error(levers_errors_t *errs, size_t i,
    const char *number, size_t len, const char *reason);
static int levers_tag_missing(void *data, const char *key, size_t len);


int
levers_plan(const levers_request_t *req, const levers_plan_conf_t *conf,
    levers_plan_t *plan, levers_errors_t *errs, levers_alloc_pt alloc,
    void *alloc_ctx)
{
    if (levers_plan_init(req, conf, plan, alloc, alloc_ctx) != 0) {
        return -1;
    }

    return levers_plan_step(req, conf, plan, errs, (size_t) -1);
}


int
levers_plan_init(const levers_request_t *req, const levers_plan_conf_t *conf,
    levers_plan_t *plan, levers_alloc_pt alloc, void *alloc_ctx)
{
    size_t            n;
    levers_numset_t  *set;

    n = req->ncontacts;

    plan->ncalls = 0;
    plan->nskipped = 0;
    plan->next = 0;
    plan->invalid = 0;
    plan->set = NULL;
    plan->out = alloc(alloc_ctx, (n ? n : 1) * sizeof(levers_outcome_t));
    plan->calls = alloc(alloc_ctx, (n ? n : 1) * sizeof(size_t));

    if (plan->out == NULL || plan->calls == NULL) {
        return -1;
    }

    memset(plan->out, 0, n * sizeof(levers_outcome_t));

    if (conf->dedupe) {
        set = alloc(alloc_ctx, sizeof(levers_numset_t));

        if (set == NULL
            || levers_numset_init(set, n, plan->out, alloc, alloc_ctx) != 0)
        {
            return -1;
        }

        plan->set = set;
    }

    return 0;
}


int
levers_plan_step(const levers_request_t *req, const levers_plan_conf_t *conf,
    levers_plan_t *plan, levers_errors_t *errs, size_t max)
{
    int                rc;
    size_t             i, last;
    levers_outcome_t  *o;

    last = (max < req->ncontacts - plan->next) ? plan->next + max
                                               : req->ncontacts;

    for (i = plan->next; i < last; i++) {
        o = &plan->out[i];

        rc = levers_plan_number(req, conf, i, o, errs);
        if (rc == -1) {
            return -1;
        }

        if (rc == 1) {
            /* every error at once: its missing tags are reported too */
            plan->invalid = 1;

            if (levers_plan_tags(req, conf, i, errs) == -1) {
                return -1;
            }

            continue;
        }

        if (o->skip != LEVERS_CALL) {
            plan->nskipped++;
            continue;
        }

        if (plan->set && levers_numset_find_or_add(plan->set, i) != i) {
            o->skip = LEVERS_SKIP_DUPLICATE;
            plan->nskipped++;
            continue;
        }

        rc = levers_plan_tags(req, conf, i, errs);
        if (rc == -1) {
            return -1;
        }

        if (rc == 1) {
            plan->invalid = 1;
        }

        plan->calls[plan->ncalls++] = i;
    }

    plan->next = last;

    if (last < req->ncontacts) {
        return LEVERS_PLAN_AGAIN;
    }

    return plan->invalid;
}


const char *
levers_skip_reason(int skip)
{
    switch (skip) {
    case LEVERS_SKIP_DUPLICATE:
        return "duplicate";
    case LEVERS_SKIP_INVALID_NUMBER:
        return "invalid_number";
    default:
        return "";
    }
}


/*
 * 0: planned (to call, or skipped as invalid); 1: a 422 error was added;
 * -1: allocation failure
 */

static int
levers_plan_number(const levers_request_t *req,
    const levers_plan_conf_t *conf, size_t i, levers_outcome_t *o,
    levers_errors_t *errs)
{
    int                      rc;
    size_t                   len;
    const char              *region;
    const levers_contact_t  *c;
    char                     reason[64];

    c = &req->contacts[i];

    if (!conf->normalise) {
        /* numbers go on, and are compared, as the client wrote them */
        o->number = c->number;
        o->number_len = c->number_len;
        return 0;
    }

    region = req->has_country ? req->country : conf->default_region;

    rc = levers_phone_to_e164(c->number, c->number_len, region, o->e164,
                              &len);
    if (rc == LEVERS_PHONE_OK) {
        o->e164_len = (uint8_t) len;
        o->number = o->e164;
        o->number_len = len;
        return 0;
    }

    if (rc == LEVERS_PHONE_FAILED) {
        return -1;
    }

    o->phone_rc = (uint8_t) rc;

    if (conf->skip_invalid) {
        o->skip = LEVERS_SKIP_INVALID_NUMBER;
        return 0;
    }

    snprintf(reason, sizeof(reason), "Invalid phone number: %s",
             levers_phone_reason(rc));

    return levers_value_error(errs, i, c->number, c->number_len, reason);
}


/* pydantic's "value_error" at ["body","contacts",i,"numberToCall"] */

static int
levers_value_error(levers_errors_t *errs, size_t i, const char *number,
    size_t len, const char *reason)
{
    int      rc;
    json_t  *input, *ctx;
    char     msg[96];

    input = json_stringn(number, len);
    ctx = json_pack("{s:s}", "error", reason);

    if (input == NULL || ctx == NULL) {
        json_decref(input);
        json_decref(ctx);
        return -1;
    }

    snprintf(msg, sizeof(msg), "Value error, %s", reason);

    rc = levers_errors_add(errs, "value_error", msg,
                           levers_loc_contact(i, "numberToCall"), input, ctx);
    json_decref(input);

    return rc == 0 ? 1 : -1;
}


/*
 * Every placeholder of the contact's prompts must have a tag, unless the
 * operator chose to keep or empty missing ones: 0 all there, 1 errors
 * added, -1 allocation failure.
 */

static int
levers_plan_tags(const levers_request_t *req,
    const levers_plan_conf_t *conf, size_t i, levers_errors_t *errs)
{
    levers_tag_check_t  chk;

    if (conf->tpl == NULL || conf->missing_tag != LEVERS_TAG_MISSING_ERROR) {
        return 0;
    }

    chk.req = req;
    chk.errs = errs;
    chk.reported = NULL;
    chk.index = i;
    chk.failed = 0;

    if (levers_tpl_check(conf->tpl->system_prompt,
                         req->contacts[i].prompt_tags,
                         levers_tag_missing, &chk) < 0)
    {
        return -1;
    }

    if (conf->tpl->knowledge_base) {
        /* a key both prompts use is reported once */
        chk.reported = conf->tpl->system_prompt;

        if (levers_tpl_check(conf->tpl->knowledge_base,
                             req->contacts[i].prompt_tags,
                             levers_tag_missing, &chk) < 0)
        {
            return -1;
        }
    }

    return chk.failed;
}


static int
levers_tag_missing(void *data, const char *key, size_t len)
{
    int                   rc;
    size_t                n, klen;
    json_t               *loc, *tags;
    const char           *k;
    levers_tag_check_t   *chk;
    const levers_tags_t  *pt;

    chk = data;

    if (chk->reported) {
        for (n = 0; n < levers_tpl_placeholders(chk->reported); n++) {
            k = levers_tpl_key(chk->reported, n, &klen);

            if (klen == len && memcmp(k, key, len) == 0) {
                return 0;
            }
        }
    }

    loc = levers_loc_contact(chk->index, "promptTags");
    if (loc == NULL || json_array_append_new(loc, json_stringn(key, len))) {
        json_decref(loc);
        return -1;
    }

    /*
     * the enclosing object, as pydantic reports for "missing": read back
     * from its compact JSON (an error path only)
     */
    pt = chk->req->contacts[chk->index].prompt_tags;
    tags = NULL;

    if (pt) {
        tags = json_loadb(pt->json.data, pt->json.len, 0, NULL);
        if (tags == NULL) {
            json_decref(loc);
            return -1;
        }
    }

    rc = levers_errors_add(chk->errs, "missing", "Field required", loc, tags,
                           NULL);
    json_decref(tags);

    if (rc != 0) {
        return -1;
    }

    chk->failed = 1;

    return 0;
}


static int
levers_numset_init(levers_numset_t *set, size_t n, levers_outcome_t *out,
    levers_alloc_pt alloc, void *alloc_ctx)
{
    size_t  size;

    size = 16;
    while (size < n * 2) {
        size <<= 1;
    }

    set->slots = alloc(alloc_ctx, size * sizeof(size_t));
    if (set->slots == NULL) {
        return -1;
    }

    memset(set->slots, 0, size * sizeof(size_t));
    set->mask = size - 1;
    set->out = out;

    return 0;
}


/* the index of the first contact with this number; index when it is new */

static size_t
levers_numset_find_or_add(levers_numset_t *set, size_t index)
{
    size_t             h, i, slot;
    const uint8_t     *p;
    levers_outcome_t  *o, *other;

    o = &set->out[index];

    /* FNV-1a over the number as sent on */
    h = 2166136261u;
    for (p = (const uint8_t *) o->number;
         p < (const uint8_t *) o->number + o->number_len;
         p++)
    {
        h = (h ^ *p) * 16777619u;
    }

    for (i = h & set->mask; /* void */ ; i = (i + 1) & set->mask) {
        slot = set->slots[i];

        if (slot == 0) {
            set->slots[i] = index + 1;
            return index;
        }

        other = &set->out[slot - 1];

        if (other->number_len == o->number_len
            && memcmp(other->number, o->number, o->number_len) == 0)
        {
            return slot - 1;
        }
    }
}

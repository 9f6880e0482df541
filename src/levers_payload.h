/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The JSON this module writes: the body of each gateway batch (contract
 * section 6), the aggregated 201/502 answer (section 4), and the reading
 * of a gateway's answer for call ids.  Everything is streamed through a
 * levers_json_write_pt, so nginx can write straight into its buffers.
 *
 * Pure C: no nginx types.  Unit tested in t/unit/test_payload.c.
 */

#ifndef LEVERS_PAYLOAD_H
#define LEVERS_PAYLOAD_H

#include "levers_contacts.h"


typedef struct {
    size_t       first;          /* first entry in plan->calls */
    size_t       count;          /* contacts in the batch */
    int          status;         /* final HTTP status; 0: never sent */
    unsigned     accepted:1;     /* the gateway answered 2xx */
} levers_batch_t;


typedef struct {
    const levers_request_t   *req;
    levers_plan_t            *plan;
    const levers_template_t  *tpl;           /* NULL: no prompts */
    levers_tag_missing_e      missing_tag;
    const char               *bulk_id;       /* 36 characters */
    levers_batch_t           *batches;
    size_t                    nbatches;
} levers_bulk_t;


/* how many batches of size hold ncalls */
size_t levers_batches_count(size_t ncalls, size_t size);

/*
 * Cuts plan->calls, in request order, into batches of size: bulk->batches
 * must hold levers_batches_count() entries; sets nbatches and each
 * contact's batch index.
 */
void levers_bulk_split(levers_bulk_t *bulk, size_t size);

/* the gateway body of batch b */
int levers_payload_batch(const levers_bulk_t *bulk, size_t b,
    levers_json_write_pt write, void *data);

/*
 * Reads {"calls":[{"index":I,"callId":"..."}]} from a gateway's answer to
 * batch b and records call ids for the contacts of that batch; entries
 * for other contacts are ignored.  Returns the number of ids taken, or -1
 * when the answer is not such JSON (the batch stays accepted: the ids are
 * optional).  Ids are copied with alloc.
 */
int levers_payload_read_answer(levers_bulk_t *bulk, size_t b,
    const char *body, size_t len, levers_alloc_pt alloc, void *alloc_ctx);

/*
 * The answer to the client: 201 body when every batch was accepted, else
 * the 502 body with "failed" and "detail".  Counts in *accepted and
 * *failed (contacts).
 */
int levers_payload_result(const levers_bulk_t *bulk,
    levers_json_write_pt write, void *data);

/* contacts in accepted batches, and in batches not accepted */
void levers_payload_counts(const levers_bulk_t *bulk, size_t *accepted,
    size_t *failed, size_t *failed_batches);

#endif /* LEVERS_PAYLOAD_H */

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The fast path for the bodies clients actually send: one pass over the
 * bytes that parses, validates and fills a levers_request_t, with no DOM
 * and no allocation per value.  It accepts only what is plainly valid
 * (every field of its schema type, no lax coercion, no duplicated keys,
 * nothing jansson or Python would treat specially) and declines the
 * rest, which then takes the general path: jansson, levers_validate_request()
 * and its FastAPI-compatible errors.  What it accepts, it must fill
 * exactly as the general path would: t/unit/test_fastbody.c compares the
 * two.
 *
 * Pure C: no nginx types.
 */

#ifndef LEVERS_FASTBODY_H
#define LEVERS_FASTBODY_H

#include <stddef.h>
#include "levers_validate.h"


#define LEVERS_FAST_DECLINED  1


/*
 * buf: the whole body, len bytes (no BOM: a body with one is declined).
 * Returns 0 with req filled (req->body is NULL; strings point into buf
 * or into memory from alloc, so buf must outlive req), LEVERS_FAST_DECLINED
 * when the general path must decide, or -1 on allocation failure.
 *
 * Declined, among others: anything jansson refuses (invalid UTF-8, raw
 * control characters, lone surrogates, integers beyond long long, reals
 * that overflow), "\u0000", nesting deeper than 32, a duplicated key in
 * an object whose content is used, any key with an escape, an object
 * of more than 64 keys whose keys are checked, and every lax
 * form pydantic would coerce ("1" for a bool, 50.0 for batchSize, ...).
 *
 * Memory: the contacts array (its size guessed from the body, so a body
 * of alike contacts needs no copy), then blocks of len / 4 bytes (1 KB
 * to 64 KB) carved for the tags and for the texts that are not already
 * in buf as they must be.  For the bench's contacts: 1.33 times a
 * compact body, 1.82 times the same as json.dumps() spaces it.
 */
int levers_fast_parse(const char *buf, size_t len, levers_request_t *req,
    levers_alloc_pt alloc, void *alloc_ctx);

#endif /* LEVERS_FASTBODY_H */

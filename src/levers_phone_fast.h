/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Internal to src/levers_phone*.cpp: the set-up of the fast path
 * (src/levers_phone_fast.cpp).  Its entry point,
 * levers_phone_to_e164_fast(), is declared in levers_phone.h.
 */

#ifndef LEVERS_PHONE_FAST_H
#define LEVERS_PHONE_FAST_H


/*
 * Builds the fast path's tables (libphonenumber's metadata with its patterns
 * compiled by PCRE2) once per process; 0 on success, -1 when the fast path
 * is off (every number then goes through libphonenumber).
 */
int levers_phone_fast_init(void);


#endif /* LEVERS_PHONE_FAST_H */

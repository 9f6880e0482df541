/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * A C-callable wrapper around libphonenumber (C++): parse a number as a
 * person typed it, in a region, and give its E.164 form.
 * Unit tested in t/unit/test_phone.c.
 */

#ifndef LEVERS_PHONE_H
#define LEVERS_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif


/*
 * "+", the calling code (3 digits at most), the national significant
 * number (libphonenumber: 17 digits at most), NUL.  E.164 itself stops at
 * 15 digits, but libphonenumber holds some longer numbers valid (German
 * ones of 16: +4930901820030901) and formats them so; they are sent on
 * as it writes them.
 */
#define LEVERS_E164_MAX  22


typedef enum {
    LEVERS_PHONE_OK = 0,
    LEVERS_PHONE_NOT_A_NUMBER,       /* "not a phone number" */
    LEVERS_PHONE_INVALID_COUNTRY,    /* "invalid country code" */
    LEVERS_PHONE_TOO_SHORT,          /* "too short" */
    LEVERS_PHONE_TOO_LONG,           /* "too long" */
    LEVERS_PHONE_INVALID,            /* "not a valid number" */
    LEVERS_PHONE_FAILED              /* internal error (allocation) */
} levers_phone_rc_e;


/*
 * number: len bytes of UTF-8 (not NUL-terminated); region: 2 upper-case
 * letters or NULL.  On LEVERS_PHONE_OK writes the NUL-terminated E.164
 * form to out (LEVERS_E164_MAX bytes) and its length to out_len.
 */
int levers_phone_to_e164(const char *number, size_t len, const char *region,
    char *out, size_t *out_len);

/* static reason text for a levers_phone_rc_e */
const char *levers_phone_reason(int rc);

/* 1 when libphonenumber knows region (e.g. "SA"), else 0 */
int levers_phone_region_supported(const char *region);


/*
 * For tests and benchmarks only.  levers_phone_to_e164() is the fast path
 * (src/levers_phone_fast.cpp) and, when that declines, the slow one:
 *
 *   levers_phone_to_e164_slow()  libphonenumber's Parse(), IsValidNumber()
 *                                and Format() for every number;
 *   levers_phone_to_e164_fast()  the same answers for the inputs it fully
 *                                understands, LEVERS_PHONE_DECLINED for the
 *                                others.
 *
 * Both take and give what levers_phone_to_e164() does.
 */

#define LEVERS_PHONE_DECLINED  (-1)

int levers_phone_to_e164_slow(const char *number, size_t len,
    const char *region, char *out, size_t *out_len);
int levers_phone_to_e164_fast(const char *number, size_t len,
    const char *region, char *out, size_t *out_len);


#ifdef __cplusplus
}
#endif

#endif /* LEVERS_PHONE_H */

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Test support (t/unit/test_phone_examples.cpp): libphonenumber's example
 * numbers and region data for t/unit/test_phone_fast.c.
 */

#ifndef TEST_PHONE_EXAMPLES_H
#define TEST_PHONE_EXAMPLES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif


#define TPE_EXAMPLE_MAX  48


/* the supported regions, sorted: "AC" ... "ZW" */
int tpe_region_count(void);
const char *tpe_region(int i);

int tpe_country_code(const char *region);

/* the national (trunk) prefix, digits only, "" if none */
void tpe_ndd(const char *region, char *out, size_t size);

/*
 * Each example number of region (every number type it has), as its national
 * significant number and in the E164, INTERNATIONAL, NATIONAL and RFC3966
 * formats, and as dialled from region "from"; with from NULL, only the
 * national significant numbers.
 */
int tpe_examples(const char *region, const char *from,
    char (*out)[TPE_EXAMPLE_MAX], int max);

/* the same for the non-geographical calling codes (+800, +878...) */
int tpe_nongeo_examples(const char *from, char (*out)[TPE_EXAMPLE_MAX],
    int max);


#ifdef __cplusplus
}
#endif

#endif /* TEST_PHONE_EXAMPLES_H */

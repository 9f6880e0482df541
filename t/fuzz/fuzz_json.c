/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * libFuzzer harness for src/levers_json.c:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       -o fuzz_json t/fuzz/fuzz_json.c src/levers_json.c -ljansson
 *   ./fuzz_json -max_total_time=60
 *
 * Properties checked on every input:
 *  - levers_json_check() never crashes, and its error offset lies within
 *    the body's character count;
 *  - whatever jansson accepts, Python accepts too (check returns 0), but
 *    for nesting deeper than CPython's recursion limit;
 *  - levers_json_dump() of an accepted value reads back (jansson) as an
 *    equal value, and the output is itself accepted by check().
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "levers_json.h"


typedef struct {
    char    *buf;
    size_t   len;
    size_t   size;
} fuzz_sink_t;


static int
fuzz_write(void *data, const char *buf, size_t len)
{
    fuzz_sink_t  *s;

    s = data;

    if (s->len + len > s->size) {
        s->size = (s->len + len) * 2;
        s->buf = realloc(s->buf, s->size);
        if (s->buf == NULL) {
            abort();
        }
    }

    memcpy(s->buf + s->len, buf, len);
    s->len += len;

    return 0;
}


static size_t
fuzz_depth(const json_t *v)
{
    size_t       d, max;
    void        *it;
    size_t       i;

    max = 0;

    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++) {
            d = fuzz_depth(json_array_get(v, i));
            max = d > max ? d : max;
        }
        return max + 1;
    }

    if (json_is_object(v)) {
        for (it = json_object_iter((json_t *) v);
             it != NULL;
             it = json_object_iter_next((json_t *) v, it))
        {
            d = fuzz_depth(json_object_iter_value(it));
            max = d > max ? d : max;
        }
        return max + 1;
    }

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                  rc;
    json_t              *v, *back;
    fuzz_sink_t          out;
    json_error_t         jerr;
    levers_json_error_t  err;

    rc = levers_json_check((const char *) data, size, &err);

    if (rc != 0 && (err.msg == NULL
                    || err.pos > levers_utf8_length((const char *) data,
                                                    size)))
    {
        abort();
    }

    /*
     * jansson 2.14 drops a NUL byte that follows a number ("[1\0]" loads
     * as [1]); Python refuses any raw NUL, so such bodies are compared no
     * further: only that check() refuses them.
     */

    if (memchr(data, '\0', size) != NULL) {
        if (rc == 0) {
            abort();
        }
        return 0;
    }

    v = json_loadb((const char *) data, size, JSON_DECODE_ANY, &jerr);
    if (v == NULL) {
        return 0;
    }

    if (rc != 0 && fuzz_depth(v) <= 995) {
        abort();
    }

    memset(&out, 0, sizeof(fuzz_sink_t));

    if (levers_json_dump(v, fuzz_write, &out) != 0) {
        abort();
    }

    back = json_loadb(out.buf, out.len, JSON_DECODE_ANY, &jerr);

    if (back == NULL || !json_equal(v, back)) {
        abort();
    }

    if (fuzz_depth(v) <= 995 && levers_json_check(out.buf, out.len, &err))
    {
        abort();
    }

    json_decref(back);
    json_decref(v);
    free(out.buf);

    return 0;
}

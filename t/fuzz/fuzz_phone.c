/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * libFuzzer harness for src/levers_phone_fast.cpp, differential against
 * libphonenumber (levers_phone_to_e164_slow()):
 *
 *   clang++ -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -c \
 *       -o levers_phone.o src/levers_phone.cpp
 *   clang++ -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -c \
 *       -o levers_phone_fast.o src/levers_phone_fast.cpp
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       -o fuzz_phone t/fuzz/fuzz_phone.c levers_phone.o \
 *       levers_phone_fast.o -lphonenumber -lprotobuf -lpcre2-8 -lstdc++
 *   ./fuzz_phone t/fuzz/corpus/phone
 *
 * An input is a region, its first 2 bytes when both are A-Z (none when
 * they are not), then the number's bytes.
 *
 * Properties checked on every input:
 *  - neither path crashes, leaks or reads outside the number (an exact-size
 *    malloc'd copy) or writes outside its LEVERS_E164_MAX bytes of output;
 *  - the fast path returns LEVERS_PHONE_DECLINED or a levers_phone_rc_e;
 *  - whenever it does not decline, its return code is libphonenumber's,
 *    and on LEVERS_PHONE_OK so is its E.164 text: the same bytes, the same
 *    length, NUL-terminated, "+" and at most 15 digits.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levers_phone.h"


static void
fuzz_print(const char *what, const char *region, const char *in, size_t len)
{
    size_t  i;

    fprintf(stderr, "fuzz_phone: %s\nregion %s, number (%zu bytes): \"", what,
            region ? region : "NULL", len);

    for (i = 0; i < len; i++) {
        if ((unsigned char) in[i] < 0x20 || (unsigned char) in[i] >= 0x7f
            || in[i] == '\\' || in[i] == '"')
        {
            fprintf(stderr, "\\x%02x", (unsigned char) in[i]);

        } else {
            fputc(in[i], stderr);
        }
    }

    fputs("\"\n", stderr);
}


static int
fuzz_e164_ok(const char *out, size_t len)
{
    size_t  i;

    if (len < 2 || len > 16 || out[0] != '+' || out[len] != '\0') {
        return 0;
    }

    for (i = 1; i < len; i++) {
        if (out[i] < '0' || out[i] > '9') {
            return 0;
        }
    }

    return 1;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int          fast, slow;
    char        *in, *out_fast, *out_slow, region_buf[3];
    size_t       len, len_fast, len_slow;
    const char  *region;

    region = NULL;

    if (size >= 2 && data[0] >= 'A' && data[0] <= 'Z'
        && data[1] >= 'A' && data[1] <= 'Z')
    {
        region_buf[0] = (char) data[0];
        region_buf[1] = (char) data[1];
        region_buf[2] = '\0';
        region = region_buf;
        data += 2;
        size -= 2;
    }

    /* exact sizes: a read or a write past either end is caught */

    len = size;
    in = malloc(len ? len : 1);
    out_fast = malloc(LEVERS_E164_MAX);
    out_slow = malloc(LEVERS_E164_MAX);

    if (in == NULL || out_fast == NULL || out_slow == NULL) {
        abort();
    }

    if (len) {
        memcpy(in, data, len);
    }

    memset(out_fast, 0xa5, LEVERS_E164_MAX);
    memset(out_slow, 0xa5, LEVERS_E164_MAX);
    len_fast = (size_t) -1;
    len_slow = (size_t) -1;

    fast = levers_phone_to_e164_fast(in, len, region, out_fast, &len_fast);

    if (fast != LEVERS_PHONE_DECLINED
        && (fast < LEVERS_PHONE_OK || fast > LEVERS_PHONE_FAILED))
    {
        fuzz_print("fast path rc out of range", region, in, len);
        abort();
    }

    if (fast == LEVERS_PHONE_DECLINED) {
        goto done;
    }

    slow = levers_phone_to_e164_slow(in, len, region, out_slow, &len_slow);

    if (fast != slow) {
        fuzz_print("return codes differ", region, in, len);
        fprintf(stderr, "fast %d (%s) \"%s\", libphonenumber %d (%s) \"%s\"\n",
                fast, levers_phone_reason(fast),
                fast == LEVERS_PHONE_OK ? out_fast : "",
                slow, levers_phone_reason(slow),
                slow == LEVERS_PHONE_OK ? out_slow : "");
        abort();
    }

    if (fast == LEVERS_PHONE_OK
        && (!fuzz_e164_ok(out_fast, len_fast)
            || !fuzz_e164_ok(out_slow, len_slow)
            || len_fast != len_slow
            || memcmp(out_fast, out_slow, len_fast) != 0))
    {
        fuzz_print("E.164 texts differ", region, in, len);
        fprintf(stderr, "fast \"%.*s\" (%zu), libphonenumber \"%.*s\" (%zu)\n",
                LEVERS_E164_MAX, out_fast, len_fast,
                LEVERS_E164_MAX, out_slow, len_slow);
        abort();
    }

done:

    free(in);
    free(out_fast);
    free(out_slow);

    return 0;
}

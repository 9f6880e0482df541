/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * JSON helpers that behave like the Python service this module replaces
 * (FastAPI + pydantic v2, Starlette's JSONResponse):
 *
 *  - a writer that serialises jansson values exactly as
 *    json.dumps(v, ensure_ascii=False, separators=(",", ":")) does,
 *    including Python's shortest-repr float format, through a callback,
 *    so output can go straight into nginx buffers;
 *  - a checker that, for a body jansson refused, finds the error the way
 *    CPython's json.loads() reports it: message and character offset.
 *
 * Pure C: no nginx types.  Unit tested in t/unit/test_json.c.
 */

#ifndef LEVERS_JSON_H
#define LEVERS_JSON_H

#include <stddef.h>
#include <jansson.h>


/* returns 0 on success, -1 to abort the dump */
typedef int (*levers_json_write_pt)(void *data, const char *buf, size_t len);


/* compact, Python-compatible dump of v; 0 or -1 (writer failed, NaN/inf) */
int levers_json_dump(const json_t *v, levers_json_write_pt write, void *data);

/* s (UTF-8, len bytes) as a quoted JSON string */
int levers_json_dump_string(const char *s, size_t len,
    levers_json_write_pt write, void *data);

/* s escaped as inside a JSON string, without the quotes */
int levers_json_dump_string_body(const char *s, size_t len,
    levers_json_write_pt write, void *data);

/* Python's repr(float) into buf (>= 32 bytes); returns length, 0 for nan/inf */
size_t levers_json_format_real(double d, char *buf);

/* number of Unicode code points in a UTF-8 string of len bytes */
size_t levers_utf8_length(const char *s, size_t len);


typedef struct {
    size_t       pos;       /* offset in characters, as Python's e.pos */
    const char  *msg;       /* e.g. "Expecting value", static string */
} levers_json_error_t;

/*
 * Scans buf as CPython's json.loads(bytes) would; returns 0 when Python
 * would accept it, -1 and fills err otherwise.
 */
int levers_json_check(const char *buf, size_t len, levers_json_error_t *err);

#endif /* LEVERS_JSON_H */

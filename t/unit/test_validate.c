/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_validate.c: every rule of contract section 1
 * and the exact 422 "detail" list FastAPI + pydantic v2 would answer.
 *
 * FastAPI cannot run here, so the expectations come from pydantic-core's
 * source (pydantic/pydantic-core, cited per test), jiter's integer parser
 * and the uuid crate's error texts (uuid-rs/uuid src/error.rs).  The
 * detail list is serialised with levers_json_dump(), which writes what
 * json.dumps(..., separators=(",", ":"), ensure_ascii=False) writes.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "levers_json.h"
#include "levers_validate.h"


#define UUID_MSG  "Input should be a valid UUID, "
#define CHAR_ERR  "invalid character: found "


typedef struct {
    char    *buf;
    size_t   len;
    size_t   cap;
} sink_t;


typedef struct {
    void    *ptr[64];
    size_t   n;
} arena_t;


typedef struct {
    json_t            *body;
    levers_request_t   req;
    levers_errors_t    errs;
    arena_t            arena;
    int                rc;
    char              *detail;
} run_t;


static int
sink_write(void *data, const char *p, size_t len)
{
    sink_t  *s;

    s = data;

    if (s->len + len + 1 > s->cap) {
        s->cap = (s->len + len + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
        if (s->buf == NULL) {
            return -1;
        }
    }

    memcpy(s->buf + s->len, p, len);
    s->len += len;
    s->buf[s->len] = '\0';

    return 0;
}


static char *
dump(const json_t *v)
{
    sink_t  s = { NULL, 0, 0 };

    assert_int_equal(levers_json_dump(v, sink_write, &s), 0);
    assert_non_null(s.buf);

    return s.buf;
}


static void *
arena_alloc(void *ctx, size_t size)
{
    arena_t  *a;

    a = ctx;

    assert_true(a->n < sizeof(a->ptr) / sizeof(a->ptr[0]));
    a->ptr[a->n] = malloc(size);

    return a->ptr[a->n++];
}


static json_t *
load(const char *text)
{
    json_t        *v;
    json_error_t   err;

    /* as src/ngx_levers_body.c reads bodies */
    v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (v == NULL) {
        fail_msg("bad test JSON: %s: %s", text, err.text);
    }

    return v;
}


/* body: JSON text, or NULL for no body */

static void
run(run_t *r, const char *body, size_t max)
{
    memset(r, 0, sizeof(run_t));

    r->body = body ? load(body) : NULL;

    assert_int_equal(levers_errors_init(&r->errs, max), 0);

    r->rc = levers_validate_request(r->body, &r->req, &r->errs, arena_alloc,
                                    &r->arena);
    r->detail = dump(r->errs.detail);
}


static void
run_done(run_t *r)
{
    size_t  i;

    for (i = 0; i < r->arena.n; i++) {
        free(r->arena.ptr[i]);
    }

    free(r->detail);
    levers_errors_free(&r->errs);
    json_decref(r->body);
}


/* the whole detail list, and the return code and count that go with it */

static void
expect_detail(const char *body, const char *expected)
{
    run_t  r;

    run(&r, body, 0);

    assert_string_equal(r.detail, expected);
    assert_int_equal(r.rc, strcmp(expected, "[]") == 0 ? 0 : 1);
    assert_int_equal(r.errs.total, json_array_size(r.errs.detail));

    run_done(&r);
}


/* one error at ["body",field] with the input echoed as JSON text */

static void
expect_field_error(const char *field, const char *value, const char *type,
    const char *msg, const char *ctx)
{
    char  body[512], expected[1024];

    snprintf(body, sizeof(body),
             "{\"contacts\":[],\"%s\":%s}", field, value);

    snprintf(expected, sizeof(expected),
             "[{\"type\":\"%s\",\"loc\":[\"body\",\"%s\"],\"msg\":\"%s\","
             "\"input\":%s%s%s}]",
             type, field, msg, value,
             ctx ? ",\"ctx\":" : "", ctx ? ctx : "");

    expect_detail(body, expected);
}


static void
expect_valid(const char *body)
{
    expect_detail(body, "[]");
}


/* FastAPI, request_body_to_args(): no body or null is its own "missing" */

static void
test_body_missing(void **state)
{
    (void) state;

    expect_detail(NULL,
        "[{\"type\":\"missing\",\"loc\":[\"body\"],"
        "\"msg\":\"Field required\",\"input\":null}]");

    expect_detail("null",
        "[{\"type\":\"missing\",\"loc\":[\"body\"],"
        "\"msg\":\"Field required\",\"input\":null}]");
}


/*
 * validate_python(..., from_attributes=True): a non-dict of a builtin
 * type is model_attributes_type (model_fields.rs, input_python.rs
 * validate_model_fields / from_attributes_applicable).
 */

static void
test_body_not_object(void **state)
{
    (void) state;

    expect_detail("[1,2]",
        "[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":[1,2]}]");

    expect_detail("\"contacts\"",
        "[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":\"contacts\"}]");

    expect_detail("12.5",
        "[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":12.5}]");

    expect_detail("false",
        "[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":false}]");
}


/* model_fields.rs: a missing required field, input = the whole object */

static void
test_contacts_missing(void **state)
{
    (void) state;

    expect_detail("{}",
        "[{\"type\":\"missing\",\"loc\":[\"body\",\"contacts\"],"
        "\"msg\":\"Field required\",\"input\":{}}]");

    expect_detail("{\"batchSize\":50,\"contact\":[]}",
        "[{\"type\":\"missing\",\"loc\":[\"body\",\"contacts\"],"
        "\"msg\":\"Field required\","
        "\"input\":{\"batchSize\":50,\"contact\":[]}}]");
}


/* lax list: list, tuple, set...; never a dict or a str */

static void
test_contacts_not_list(void **state)
{
    (void) state;

    expect_detail("{\"contacts\":{\"numberToCall\":\"+966500000001\"}}",
        "[{\"type\":\"list_type\",\"loc\":[\"body\",\"contacts\"],"
        "\"msg\":\"Input should be a valid list\","
        "\"input\":{\"numberToCall\":\"+966500000001\"}}]");

    expect_detail("{\"contacts\":\"+966500000001\"}",
        "[{\"type\":\"list_type\",\"loc\":[\"body\",\"contacts\"],"
        "\"msg\":\"Input should be a valid list\","
        "\"input\":\"+966500000001\"}]");

    expect_detail("{\"contacts\":null}",
        "[{\"type\":\"list_type\",\"loc\":[\"body\",\"contacts\"],"
        "\"msg\":\"Input should be a valid list\",\"input\":null}]");

    expect_valid("{\"contacts\":[]}");
}


static void
test_contact_not_object(void **state)
{
    (void) state;

    expect_detail("{\"contacts\":[{\"numberToCall\":\"1\"},\"x\",null,[1]]}",
        "[{\"type\":\"model_attributes_type\","
        "\"loc\":[\"body\",\"contacts\",1],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":\"x\"},"
        "{\"type\":\"model_attributes_type\","
        "\"loc\":[\"body\",\"contacts\",2],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":null},"
        "{\"type\":\"model_attributes_type\","
        "\"loc\":[\"body\",\"contacts\",3],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":[1]}]");
}


/* the contract's own example */

static void
test_number_missing(void **state)
{
    (void) state;

    expect_detail("{\"contacts\":[{\"numberToCall\":\"1\"},"
                  "{\"numberToCall\":\"2\"},{\"numberToCall\":\"3\"},"
                  "{\"firstName\":\"Sara\"}]}",
        "[{\"type\":\"missing\",\"loc\":[\"body\",\"contacts\",3,"
        "\"numberToCall\"],\"msg\":\"Field required\","
        "\"input\":{\"firstName\":\"Sara\"}}]");
}


/* lax str: str, bytes, bytearray; no number coercion by default */

static void
test_number_not_string(void **state)
{
    (void) state;

    expect_detail("{\"contacts\":[{\"numberToCall\":966500000001},"
                  "{\"numberToCall\":null},{\"numberToCall\":true}]}",
        "[{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"numberToCall\"],\"msg\":\"Input should be a valid string\","
        "\"input\":966500000001},"
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",1,"
        "\"numberToCall\"],\"msg\":\"Input should be a valid string\","
        "\"input\":null},"
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",2,"
        "\"numberToCall\"],\"msg\":\"Input should be a valid string\","
        "\"input\":true}]");
}


/* string.rs StrConstrainedValidator: chars().count(), not bytes */

static void
test_number_length(void **state)
{
    int     i;
    char    body[1024], expected[2048], number[512], *p;

    (void) state;

    expect_detail("{\"contacts\":[{\"numberToCall\":\"\"}]}",
        "[{\"type\":\"string_too_short\",\"loc\":[\"body\",\"contacts\",0,"
        "\"numberToCall\"],\"msg\":\"String should have at least 1 "
        "character\",\"input\":\"\",\"ctx\":{\"min_length\":1}}]");

    /* 100 two-byte characters: 200 bytes, still 100 characters */

    for (i = 0, p = number; i < 100; i++) {
        p += sprintf(p, "\xc3\xa9");
    }

    snprintf(body, sizeof(body),
             "{\"contacts\":[{\"numberToCall\":\"%s\"}]}", number);
    expect_valid(body);

    /* 101 characters */

    sprintf(p, "7");

    snprintf(body, sizeof(body),
             "{\"contacts\":[{\"numberToCall\":\"%s\"}]}", number);
    snprintf(expected, sizeof(expected),
             "[{\"type\":\"string_too_long\",\"loc\":[\"body\",\"contacts\","
             "0,\"numberToCall\"],\"msg\":\"String should have at most 100 "
             "characters\",\"input\":\"%s\",\"ctx\":{\"max_length\":100}}]",
             number);
    expect_detail(body, expected);
}


/* Optional[str]: null allowed, else string_type */

static void
test_names(void **state)
{
    (void) state;

    expect_valid("{\"contacts\":[{\"numberToCall\":\"1\",\"firstName\":null,"
                 "\"lastName\":\"\"}]}");

    expect_detail("{\"contacts\":[{\"numberToCall\":\"1\",\"lastName\":[],"
                  "\"firstName\":5}]}",
        "[{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"firstName\"],\"msg\":\"Input should be a valid string\","
        "\"input\":5},"
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"lastName\"],\"msg\":\"Input should be a valid string\","
        "\"input\":[]}]");
}


/* Optional[dict]: null allowed, else dict_type */

static void
test_dicts(void **state)
{
    (void) state;

    expect_valid("{\"contacts\":[{\"numberToCall\":\"1\",\"metadata\":null,"
                 "\"promptTags\":{\"a\":[1,{\"b\":null}]}}]}");

    expect_detail("{\"contacts\":[{\"numberToCall\":\"1\",\"promptTags\":[],"
                  "\"metadata\":\"x\"}]}",
        "[{\"type\":\"dict_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"metadata\"],\"msg\":\"Input should be a valid dictionary\","
        "\"input\":\"x\"},"
        "{\"type\":\"dict_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"promptTags\"],\"msg\":\"Input should be a valid dictionary\","
        "\"input\":[]}]");
}


/* uuid crate try_parse(): simple, hyphenated, braced, urn; any case */

static void
test_uuid_forms(void **state)
{
    size_t       i;
    run_t        r;
    char         body[256];
    const char  *forms[] = {
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400e29b41d4a716446655440000",
        "550E8400E29B41D4A716446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "urn:uuid:550e8400-E29B-41d4-a716-446655440000",
    };

    (void) state;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"contacts\":[],\"aiSettingsTemplateId\":\"%s\"}",
                 forms[i]);

        run(&r, body, 0);
        assert_int_equal(r.rc, 0);
        assert_true(r.req.has_template_id);
        assert_string_equal(r.req.template_id,
                            "550e8400-e29b-41d4-a716-446655440000");
        run_done(&r);
    }

    run(&r, "{\"contacts\":[],\"aiSettingsTemplateId\":null}", 0);
    assert_int_equal(r.rc, 0);
    assert_false(r.req.has_template_id);
    run_done(&r);
}


/* uuid.rs: a non-str goes to validate_bytes(strict), JSON has no bytes */

static void
test_uuid_type(void **state)
{
    (void) state;

    expect_field_error("aiSettingsTemplateId", "123", "uuid_type",
        "UUID input should be a string, bytes or UUID object", NULL);
    expect_field_error("aiSettingsTemplateId", "true", "uuid_type",
        "UUID input should be a string, bytes or UUID object", NULL);
    expect_field_error("aiSettingsTemplateId", "{\"a\":1}", "uuid_type",
        "UUID input should be a string, bytes or UUID object", NULL);
}


/* uuid-rs/uuid src/error.rs: InvalidUuid::into_err() and Display */

static void
test_uuid_parsing(void **state)
{
    size_t  i;
    char    value[128], msg[512], ctx[512];

    static const struct {
        const char  *input;
        const char  *reason;
    } cases[] = {
        { "abc",
          "invalid length: expected length 32 for simple format, found 3" },
        { "",
          "invalid length: expected length 32 for simple format, found 0" },
        /* 16 characters are not taken as 16 bytes: only bytes are */
        { "0123456789abcdef",
          "invalid length: expected length 32 for simple format, found 16" },
        { "xyz", CHAR_ERR "`x` at 1" },
        { "550e8400-e29b", "invalid group count: expected 5, found 2" },
        { "550e8400-e29b-41d4-a716-44665544000",
          "invalid group length in group 4: expected 12, found 11" },
        { "550e840-e29b-41d4-a716-446655440000",
          "invalid group length in group 0: expected 8, found 7" },
        { "urn:uuid:550e8400-e29b-41d4-a71-6446655440000",
          "invalid group length in group 3: expected 4, found 3" },
        { "URN:UUID:550e8400-e29b-41d4-a716-446655440000",
          CHAR_ERR "`U` at 1" },
        { "urn:uuid:xyz", CHAR_ERR "`x` at 10" },
        { "{550e8400-e29b-41d4-a716-446655440000", CHAR_ERR "`{` at 1" },
        { "{550e8400e29b41d4a716446655440000}",
          "invalid group count: expected 5, found 1" },
        /* the crate measures the last group on the whole input */
        { "{550e8400-e29b-41d4-a716-4466554400}",
          "invalid group length in group 4: expected 12, found 12" },
        { "550e8400-e29b-41d4-a716-44665544000g", CHAR_ERR "`g` at 36" },
        { "550e8400-\xc3\xa9", CHAR_ERR "`\xc3\xa9` at 10" },
        { " 550e8400-e29b-41d4-a716-446655440000", CHAR_ERR "` ` at 1" },
        /* a NUL is a character like any other, in msg and ctx alike */
        { "ab\\u0000", CHAR_ERR "`\\u0000` at 3" },
    };

    (void) state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(value, sizeof(value), "\"%s\"", cases[i].input);
        snprintf(msg, sizeof(msg), UUID_MSG "%s", cases[i].reason);
        snprintf(ctx, sizeof(ctx), "{\"error\":\"%s\"}", cases[i].reason);

        expect_field_error("aiSettingsTemplateId", value, "uuid_parsing",
                           msg, ctx);
    }
}


/* shared.rs str_as_bool, int_as_bool; input_python.rs validate_bool */

static void
test_update_existing_valid(void **state)
{
    size_t  i;
    run_t   r;
    char    body[128];

    static const struct {
        const char  *json;
        int          value;
    } cases[] = {
        { "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 },
        { "1.0", 1 }, { "0.0", 0 }, { "-0.0", 0 },
        { "\"true\"", 1 }, { "\"FALSE\"", 0 }, { "\"Yes\"", 1 },
        { "\"no\"", 0 }, { "\"On\"", 1 }, { "\"oFF\"", 0 },
        { "\"t\"", 1 }, { "\"F\"", 0 }, { "\"y\"", 1 }, { "\"N\"", 0 },
        { "\"1\"", 1 }, { "\"0\"", 0 },
    };

    (void) state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"contacts\":[],\"updateExisting\":%s}", cases[i].json);

        run(&r, body, 0);
        assert_int_equal(r.rc, 0);
        assert_int_equal(r.req.update_existing, cases[i].value);
        run_done(&r);
    }

    run(&r, "{\"contacts\":[]}", 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.req.update_existing, 0);
    run_done(&r);
}


static void
test_update_existing_errors(void **state)
{
    size_t  i;

    static const struct {
        const char  *json;
        int          parsing;
    } cases[] = {
        /* str_as_bool() does not trim: " yes" is not "yes" */
        { "\"maybe\"", 1 }, { "\" yes\"", 1 }, { "\"\"", 1 },
        { "\"10\"", 1 }, { "\"tRuE \"", 1 }, { "\"01\"", 1 },
        { "2", 1 }, { "-1", 1 }, { "2.0", 1 },
        /* float_as_int() fails: validate_bool falls through to bool_type */
        { "0.5", 0 }, { "1e+300", 0 },
        { "null", 0 }, { "[]", 0 }, { "{}", 0 }, { "[true]", 0 },
    };

    (void) state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (cases[i].parsing) {
            expect_field_error("updateExisting", cases[i].json,
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
                NULL);

        } else {
            expect_field_error("updateExisting", cases[i].json, "bool_type",
                               "Input should be a valid boolean", NULL);
        }
    }
}


/* string.rs: min_length, then max_length, then the pattern */

static void
test_country(void **state)
{
    run_t  r;

    (void) state;

    run(&r, "{\"contacts\":[],\"countryCode\":\"SA\"}", 0);
    assert_int_equal(r.rc, 0);
    assert_true(r.req.has_country);
    assert_string_equal(r.req.country, "SA");
    run_done(&r);

    run(&r, "{\"contacts\":[],\"countryCode\":null}", 0);
    assert_int_equal(r.rc, 0);
    assert_false(r.req.has_country);
    run_done(&r);

    expect_field_error("countryCode", "\"S\"", "string_too_short",
        "String should have at least 2 characters", "{\"min_length\":2}");
    expect_field_error("countryCode", "\"\"", "string_too_short",
        "String should have at least 2 characters", "{\"min_length\":2}");
    expect_field_error("countryCode", "\"SAU\"", "string_too_long",
        "String should have at most 2 characters", "{\"max_length\":2}");
    expect_field_error("countryCode", "\"sau\"", "string_too_long",
        "String should have at most 2 characters", "{\"max_length\":2}");
    expect_field_error("countryCode", "\"sa\"", "string_pattern_mismatch",
        "String should match pattern '^[A-Z]{2}$'",
        "{\"pattern\":\"^[A-Z]{2}$\"}");
    expect_field_error("countryCode", "\"\xc3\x84" "B\"",
        "string_pattern_mismatch",
        "String should match pattern '^[A-Z]{2}$'",
        "{\"pattern\":\"^[A-Z]{2}$\"}");
    expect_field_error("countryCode", "966", "string_type",
        "Input should be a valid string", NULL);
}


/* input_python.rs validate_int (lax); shared.rs str_as_int, float_as_int */

static void
test_batch_size_valid(void **state)
{
    size_t  i;
    run_t   r;
    char    body[128];

    static const struct {
        const char  *json;
        long         value;
    } cases[] = {
        { "50", 50 }, { "10", 10 }, { "1000", 1000 },
        { "50.0", 50 }, { "1e3", 1000 },
        { "\"50\"", 50 }, { "\" 50 \"", 50 }, { "\"\\t50\\n\"", 50 },
        /* U+00A0 and U+3000 are White_Space for Rust's str::trim() */
        { "\"\xc2\xa0" "50\xe3\x80\x80\"", 50 },
        { "\"+50\"", 50 }, { "\"050\"", 50 }, { "\"0_50\"", 50 },
        { "\"5_0\"", 50 }, { "\"1_000\"", 1000 }, { "\"50.00\"", 50 },
        { "\"1_000.0\"", 1000 }, { "\"0050.0\"", 50 },
    };

    (void) state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(body, sizeof(body),
                 "{\"contacts\":[],\"batchSize\":%s}", cases[i].json);

        run(&r, body, 0);
        assert_int_equal(r.rc, 0);
        assert_true(r.req.has_batch_size);
        assert_int_equal(r.req.batch_size, cases[i].value);
        run_done(&r);
    }

    run(&r, "{\"contacts\":[],\"batchSize\":null}", 0);
    assert_int_equal(r.rc, 0);
    assert_false(r.req.has_batch_size);
    run_done(&r);
}


static void
test_batch_size_not_int(void **state)
{
    size_t  i;

    static const char  *parsing[] = {
        "\"50.5\"", "\"5e1\"", "\"0x32\"", "\"\"", "\" \"", "\"5__0\"",
        "\"_50\"", "\"50_\"", "\"50.\"", "\".0\"", "\"--50\"", "\"+-50\"",
        "\"-+50\"", "\"++50\"", "\"fifty\"", "\"5 0\"", "\"\xd9\xa5\xd9\xa0\"",
    };

    (void) state;

    for (i = 0; i < sizeof(parsing) / sizeof(parsing[0]); i++) {
        expect_field_error("batchSize", parsing[i], "int_parsing",
            "Input should be a valid integer, unable to parse string as an "
            "integer", NULL);
    }

    expect_field_error("batchSize", "50.5", "int_from_float",
        "Input should be a valid integer, got a number with a fractional "
        "part", NULL);

    /* float_as_int(): outside (i64::MIN, i64::MAX) */
    expect_field_error("batchSize", "1e+20", "int_parsing_size",
        "Unable to parse input string as an integer, exceeded maximum size",
        NULL);

    expect_field_error("batchSize", "[]", "int_type",
                       "Input should be a valid integer", NULL);
    expect_field_error("batchSize", "{\"a\":1}", "int_type",
                       "Input should be a valid integer", NULL);
}


/* int.rs ConstrainedIntValidator: the input as sent, not the int */

static void
test_batch_size_range(void **state)
{
    size_t  i;

    static const char  *small[] = {
        "9", "\"9\"", "true", "false", "-50", "\"-0\"", "0.0", "\" 5 \"",
        "\"-99999999999999999999999\"",
        /* strip_leading_zeros() keeps a "-" after zeros */
        "\"0-50\"",
    };
    static const char  *big[] = {
        "1001", "\"1001\"", "1001.0", "\"99999999999999999999999\"",
        "9223372036854775807",
    };

    (void) state;

    for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
        expect_field_error("batchSize", small[i], "greater_than_equal",
            "Input should be greater than or equal to 10", "{\"ge\":10}");
    }

    for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        expect_field_error("batchSize", big[i], "less_than_equal",
            "Input should be less than or equal to 1000", "{\"le\":1000}");
    }
}


/* jiter: an integer string of more than 4300 characters is too big */

static void
test_batch_size_huge_string(void **state)
{
    run_t   r;
    char   *body, *p;
    json_t *e;

    (void) state;

    body = malloc(6000);
    assert_non_null(body);

    /* 4300 digits: a valid, big integer */

    p = body + sprintf(body, "{\"contacts\":[],\"batchSize\":\"");
    memset(p, '7', 4300);
    strcpy(p + 4300, "\"}");

    run(&r, body, 0);
    e = json_array_get(r.errs.detail, 0);
    assert_string_equal(json_string_value(json_object_get(e, "type")),
                        "less_than_equal");
    run_done(&r);

    /* 4301 characters counting the sign */

    p = body + sprintf(body, "{\"contacts\":[],\"batchSize\":\"-");
    memset(p, '7', 4300);
    strcpy(p + 4300, "\"}");

    run(&r, body, 0);
    e = json_array_get(r.errs.detail, 0);
    assert_string_equal(json_string_value(json_object_get(e, "type")),
                        "int_parsing_size");
    assert_string_equal(json_string_value(json_object_get(e, "msg")),
        "Unable to parse input string as an integer, exceeded maximum size");
    assert_null(json_object_get(e, "ctx"));
    run_done(&r);

    /* with a space in front, only the cleaned second parse sees it */

    p = body + sprintf(body, "{\"contacts\":[],\"batchSize\":\" ");
    memset(p, '7', 4301);
    strcpy(p + 4301, "\"}");

    run(&r, body, 0);
    e = json_array_get(r.errs.detail, 0);
    assert_string_equal(json_string_value(json_object_get(e, "type")),
                        "int_parsing");
    run_done(&r);

    free(body);
}


/* pydantic's default extra="ignore", at every level */

static void
test_unknown_fields(void **state)
{
    (void) state;

    expect_valid("{\"contacts\":[{\"numberToCall\":\"1\",\"email\":5,"
                 "\"numbertocall\":1}],\"extra\":{\"x\":[]},"
                 "\"BatchSize\":\"x\"}");
}


/*
 * model_fields.rs iterates the model's fields in definition order, which
 * is the order of the OpenAPI "properties": not the order of the body.
 */

static void
test_order(void **state)
{
    (void) state;

    expect_detail(
        "{\"batchSize\":5,\"countryCode\":\"sa\","
        "\"contacts\":[{\"promptTags\":1,\"metadata\":2,\"lastName\":3,"
        "\"firstName\":4},7,{\"numberToCall\":\"\"}],"
        "\"updateExisting\":\"x\",\"aiSettingsTemplateId\":1}",

        "[{\"type\":\"uuid_type\",\"loc\":[\"body\",\"aiSettingsTemplateId\"],"
        "\"msg\":\"UUID input should be a string, bytes or UUID object\","
        "\"input\":1},"
        "{\"type\":\"bool_parsing\",\"loc\":[\"body\",\"updateExisting\"],"
        "\"msg\":\"Input should be a valid boolean, unable to interpret "
        "input\",\"input\":\"x\"},"
        "{\"type\":\"missing\",\"loc\":[\"body\",\"contacts\",0,"
        "\"numberToCall\"],\"msg\":\"Field required\",\"input\":"
        "{\"promptTags\":1,\"metadata\":2,\"lastName\":3,\"firstName\":4}},"
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"firstName\"],\"msg\":\"Input should be a valid string\","
        "\"input\":4},"
        "{\"type\":\"string_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"lastName\"],\"msg\":\"Input should be a valid string\","
        "\"input\":3},"
        "{\"type\":\"dict_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"metadata\"],\"msg\":\"Input should be a valid dictionary\","
        "\"input\":2},"
        "{\"type\":\"dict_type\",\"loc\":[\"body\",\"contacts\",0,"
        "\"promptTags\"],\"msg\":\"Input should be a valid dictionary\","
        "\"input\":1},"
        "{\"type\":\"model_attributes_type\",\"loc\":[\"body\",\"contacts\","
        "1],\"msg\":\"Input should be a valid dictionary or object to "
        "extract fields from\",\"input\":7},"
        "{\"type\":\"string_too_short\",\"loc\":[\"body\",\"contacts\",2,"
        "\"numberToCall\"],\"msg\":\"String should have at least 1 "
        "character\",\"input\":\"\",\"ctx\":{\"min_length\":1}},"
        "{\"type\":\"string_pattern_mismatch\",\"loc\":[\"body\","
        "\"countryCode\"],\"msg\":\"String should match pattern "
        "'^[A-Z]{2}$'\",\"input\":\"sa\",\"ctx\":{\"pattern\":"
        "\"^[A-Z]{2}$\"}},"
        "{\"type\":\"greater_than_equal\",\"loc\":[\"body\",\"batchSize\"],"
        "\"msg\":\"Input should be greater than or equal to 10\","
        "\"input\":5,\"ctx\":{\"ge\":10}}]");
}


/* the operator cap: listed up to max, all counted */

static void
test_cap(void **state)
{
    run_t   r;
    json_t *e;

    (void) state;

    run(&r, "{\"contacts\":[1,2,3,{\"numberToCall\":5}],\"batchSize\":1}",
        2);

    assert_int_equal(r.rc, 1);
    assert_int_equal(r.errs.total, 5);
    assert_int_equal(json_array_size(r.errs.detail), 2);
    assert_string_equal(r.detail,
        "[{\"type\":\"model_attributes_type\","
        "\"loc\":[\"body\",\"contacts\",0],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":1},"
        "{\"type\":\"model_attributes_type\","
        "\"loc\":[\"body\",\"contacts\",1],"
        "\"msg\":\"Input should be a valid dictionary or object to extract "
        "fields from\",\"input\":2}]");

    /* levers_errors_add() past the cap: counted, loc and ctx released */

    e = json_pack("{si}", "error", 1);
    assert_int_equal(levers_errors_add(&r.errs, "value_error", "x",
                                       levers_loc_contact(9, "numberToCall"),
                                       NULL, e),
                     0);
    assert_int_equal(r.errs.total, 6);
    assert_int_equal(json_array_size(r.errs.detail), 2);

    run_done(&r);
}


static void
test_errors_add(void **state)
{
    char             *s;
    json_t           *loc;
    levers_errors_t   errs;

    (void) state;

    assert_int_equal(levers_errors_init(&errs, 0), 0);

    assert_int_equal(levers_errors_add(&errs, "value_error",
                                       "Value error, too short",
                                       levers_loc_contact(3, "numberToCall"),
                                       NULL,
                                       json_pack("{ss}", "error",
                                                 "too short")),
                     0);

    /* a failed loc allocation is reported, ctx is not leaked */

    assert_int_equal(levers_errors_add(&errs, "missing", "Field required",
                                       NULL, NULL, json_object()),
                     -1);

    s = dump(errs.detail);
    assert_string_equal(s,
        "[{\"type\":\"value_error\",\"loc\":[\"body\",\"contacts\",3,"
        "\"numberToCall\"],\"msg\":\"Value error, too short\","
        "\"input\":null,\"ctx\":{\"error\":\"too short\"}}]");
    free(s);

    levers_errors_free(&errs);

    loc = levers_loc_contact(0, NULL);
    s = dump(loc);
    json_decref(loc);

    assert_string_equal(s, "[\"body\",\"contacts\",0]");
    free(s);
}


/* the seed's example request: everything filled in */


static void
assert_text(const levers_text_t *t, const char *expected)
{
    assert_non_null(t->data);
    assert_int_equal(t->len, strlen(expected));
    assert_memory_equal(t->data, expected, t->len);
}


static void
test_valid_request(void **state)
{
    run_t                    r;
    const levers_contact_t  *c;

    (void) state;

    run(&r,
        "{\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\","
        "\"countryCode\":\"SA\",\"updateExisting\":true,\"batchSize\":50,"
        "\"contacts\":[{\"numberToCall\":\"+966500000001\","
        "\"firstName\":\"Ahmed\",\"lastName\":\"Al-Rashid\","
        "\"metadata\":{\"invoiceNumber\":\"INV-001\",\"amount\":\"5000.00\"},"
        "\"promptTags\":{\"amount\":\"5,000 SAR\","
        "\"due_date\":\"January 15, 2026\"}},"
        "{\"numberToCall\":\"0500000002\"}]}", 0);

    assert_int_equal(r.rc, 0);
    assert_string_equal(r.detail, "[]");
    assert_int_equal(r.errs.total, 0);
    assert_ptr_equal(r.req.body, r.body);

    assert_true(r.req.has_template_id);
    assert_string_equal(r.req.template_id,
                        "550e8400-e29b-41d4-a716-446655440000");
    assert_true(r.req.update_existing);
    assert_true(r.req.has_country);
    assert_string_equal(r.req.country, "SA");
    assert_true(r.req.has_batch_size);
    assert_int_equal(r.req.batch_size, 50);

    assert_int_equal(r.req.ncontacts, 2);

    /*
     * the contacts array, then first contact's texts: 2 names, metadata,
     * the tags, their items, 2 escaped values and their object
     */
    assert_int_equal(r.arena.n, 1 + 8);

    c = &r.req.contacts[0];
    assert_int_equal(c->index, 0);
    assert_int_equal(c->number_len, 13);
    assert_memory_equal(c->number, "+966500000001", 13);
    assert_text(&c->first_name, "\"Ahmed\"");
    assert_text(&c->last_name, "\"Al-Rashid\"");
    assert_text(&c->metadata,
                "{\"invoiceNumber\":\"INV-001\",\"amount\":\"5000.00\"}");
    assert_non_null(c->prompt_tags);
    assert_int_equal(c->prompt_tags->n, 2);
    assert_text(&c->prompt_tags->items[1].key, "due_date");
    assert_text(&c->prompt_tags->items[1].raw, "January 15, 2026");
    assert_text(&c->prompt_tags->json, "{\"amount\":\"5,000 SAR\","
                "\"due_date\":\"January 15, 2026\"}");

    c = &r.req.contacts[1];
    assert_int_equal(c->index, 1);
    assert_int_equal(c->number_len, 10);
    assert_memory_equal(c->number, "0500000002", 10);
    assert_null(c->first_name.data);
    assert_null(c->last_name.data);
    assert_null(c->metadata.data);
    assert_null(c->prompt_tags);

    run_done(&r);

    /* defaults */

    run(&r, "{\"contacts\":[]}", 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.req.ncontacts, 0);
    assert_int_equal(r.arena.n, 0);
    assert_false(r.req.has_template_id || r.req.update_existing
                 || r.req.has_country || r.req.has_batch_size);
    run_done(&r);
}


/* 10 000 contacts: one allocation, no errors; and 10 000 errors, capped */

static void
test_many_contacts(void **state)
{
    size_t   i;
    run_t    r;
    json_t  *body, *contacts;
    char    *text;

    (void) state;

    contacts = json_array();
    for (i = 0; i < 10000; i++) {
        json_array_append_new(contacts,
                              json_pack("{ss}", "numberToCall",
                                        "+966500000001"));
    }

    body = json_pack("{so}", "contacts", contacts);
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);

    run(&r, text, 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.req.ncontacts, 10000);
    assert_int_equal(r.arena.n, 1);
    assert_int_equal(r.req.contacts[9999].index, 9999);
    run_done(&r);
    free(text);

    contacts = json_array();
    for (i = 0; i < 10000; i++) {
        json_array_append_new(contacts, json_pack("{si}", "numberToCall", 1));
    }

    body = json_pack("{so}", "contacts", contacts);
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);

    run(&r, text, 100);
    assert_int_equal(r.rc, 1);
    assert_int_equal(r.errs.total, 10000);
    assert_int_equal(json_array_size(r.errs.detail), 100);
    run_done(&r);
    free(text);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_body_missing),
        cmocka_unit_test(test_body_not_object),
        cmocka_unit_test(test_contacts_missing),
        cmocka_unit_test(test_contacts_not_list),
        cmocka_unit_test(test_contact_not_object),
        cmocka_unit_test(test_number_missing),
        cmocka_unit_test(test_number_not_string),
        cmocka_unit_test(test_number_length),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_dicts),
        cmocka_unit_test(test_uuid_forms),
        cmocka_unit_test(test_uuid_type),
        cmocka_unit_test(test_uuid_parsing),
        cmocka_unit_test(test_update_existing_valid),
        cmocka_unit_test(test_update_existing_errors),
        cmocka_unit_test(test_country),
        cmocka_unit_test(test_batch_size_valid),
        cmocka_unit_test(test_batch_size_not_int),
        cmocka_unit_test(test_batch_size_range),
        cmocka_unit_test(test_batch_size_huge_string),
        cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_errors_add),
        cmocka_unit_test(test_valid_request),
        cmocka_unit_test(test_many_contacts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

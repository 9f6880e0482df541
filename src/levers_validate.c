/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * OutboundAIPhoneCallSchemaBulk, validated the way the original service
 * does it: FastAPI hands the decoded JSON to pydantic v2 as Python objects
 * (TypeAdapter.validate_python(body, from_attributes=True)), in lax mode.
 * Every rule below follows pydantic-core's source; docs/validation.md
 * lists them with the places they come from.
 *
 * Errors are reported in pydantic's order: model fields in the order the
 * model defines them (the order of the schema's "properties"), list items
 * in index order, one error per field.
 */


#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "levers_json.h"
#include "levers_validate.h"


#define LEVERS_OK           0
#define LEVERS_INVALID      1
#define LEVERS_ERROR       -1
#define LEVERS_OUT_OF_RANGE 2

#define LEVERS_STR_(x)      #x
#define LEVERS_STR(x)       LEVERS_STR_(x)

/* longest JSON integer jiter parses: CPython's int_max_str_digits */
#define LEVERS_INT_MAX_LEN  4300

/* integers are kept saturated here: only 10..1000 matters */
#define LEVERS_INT_BIG      1000000000000000000LL

#define LEVERS_URN_PREFIX   "urn:uuid:"
#define LEVERS_URN_LEN      (sizeof(LEVERS_URN_PREFIX) - 1)

#define LEVERS_UUID_MSG     "Input should be a valid UUID, "


/* a pydantic error type with its fixed message and context */
typedef struct {
    const char  *type;
    const char  *msg;
    const char  *ctx_key;       /* NULL: no ctx */
    const char  *ctx_str;       /* ctx value: this string, */
    json_int_t   ctx_int;       /* or else this number */
} levers_kind_t;


/* where errors go and what their "loc" starts with */
typedef struct {
    levers_errors_t  *errs;
    size_t            index;        /* contact being checked */
    unsigned          in_contact:1;
    size_t            before;       /* errors listed before this request */
    levers_alloc_pt   alloc;        /* for the texts of valid contacts */
    void             *alloc_ctx;
} levers_scope_t;


/* an optional field of a contact */
typedef struct {
    const char       *name;
    int             (*check)(levers_scope_t *sc, json_t *object,
                             const char *field, json_t **out);
} levers_field_t;


/* the characters of a string, optionally without its underscores */
typedef struct {
    const unsigned char  *p;
    const unsigned char  *end;
    unsigned              skip_underscores:1;
} levers_chars_t;


/* src/errors/types.rs in pydantic-core: type names and message texts */

static const levers_kind_t  levers_missing =
    { "missing", "Field required", NULL, NULL, 0 };

static const levers_kind_t  levers_model_attributes_type =
    { "model_attributes_type",
      "Input should be a valid dictionary or object to extract fields from",
      NULL, NULL, 0 };

static const levers_kind_t  levers_list_type =
    { "list_type", "Input should be a valid list", NULL, NULL, 0 };

static const levers_kind_t  levers_dict_type =
    { "dict_type", "Input should be a valid dictionary", NULL, NULL, 0 };

static const levers_kind_t  levers_string_type =
    { "string_type", "Input should be a valid string", NULL, NULL, 0 };

static const levers_kind_t  levers_number_too_short =
    { "string_too_short", "String should have at least 1 character",
      "min_length", NULL, 1 };

static const levers_kind_t  levers_number_too_long =
    { "string_too_long", "String should have at most 100 characters",
      "max_length", NULL, 100 };

static const levers_kind_t  levers_country_too_short =
    { "string_too_short", "String should have at least 2 characters",
      "min_length", NULL, 2 };

static const levers_kind_t  levers_country_too_long =
    { "string_too_long", "String should have at most 2 characters",
      "max_length", NULL, 2 };

static const levers_kind_t  levers_country_pattern =
    { "string_pattern_mismatch", "String should match pattern '^[A-Z]{2}$'",
      "pattern", "^[A-Z]{2}$", 0 };

static const levers_kind_t  levers_uuid_type =
    { "uuid_type", "UUID input should be a string, bytes or UUID object",
      NULL, NULL, 0 };

static const levers_kind_t  levers_bool_type =
    { "bool_type", "Input should be a valid boolean", NULL, NULL, 0 };

static const levers_kind_t  levers_bool_parsing =
    { "bool_parsing",
      "Input should be a valid boolean, unable to interpret input",
      NULL, NULL, 0 };

static const levers_kind_t  levers_int_type =
    { "int_type", "Input should be a valid integer", NULL, NULL, 0 };

static const levers_kind_t  levers_int_parsing =
    { "int_parsing",
      "Input should be a valid integer, unable to parse string as an integer",
      NULL, NULL, 0 };

static const levers_kind_t  levers_int_parsing_size =
    { "int_parsing_size",
      "Unable to parse input string as an integer, exceeded maximum size",
      NULL, NULL, 0 };

static const levers_kind_t  levers_int_from_float =
    { "int_from_float",
      "Input should be a valid integer, got a number with a fractional part",
      NULL, NULL, 0 };

static const levers_kind_t  levers_finite_number =
    { "finite_number", "Input should be a finite number", NULL, NULL, 0 };

static const levers_kind_t  levers_batch_too_small =
    { "greater_than_equal",
      "Input should be greater than or equal to "
      LEVERS_STR(LEVERS_BATCH_MIN),
      "ge", NULL, LEVERS_BATCH_MIN };

static const levers_kind_t  levers_batch_too_big =
    { "less_than_equal",
      "Input should be less than or equal to " LEVERS_STR(LEVERS_BATCH_MAX),
      "le", NULL, LEVERS_BATCH_MAX };


static int levers_check_template_id(levers_scope_t *sc, json_t *body,
    levers_request_t *req);
static int levers_check_update_existing(levers_scope_t *sc, json_t *body,
    levers_request_t *req);
static int levers_check_contacts(levers_scope_t *sc, json_t *body,
    levers_request_t *req, levers_alloc_pt alloc, void *alloc_ctx);
static int levers_check_contact(levers_scope_t *sc, json_t *item,
    levers_contact_t *c);
static int levers_check_number(levers_scope_t *sc, json_t *contact,
    levers_contact_t *c);
static int levers_check_optional_string(levers_scope_t *sc,
    json_t *object, const char *field, json_t **out);
static int levers_check_optional_dict(levers_scope_t *sc, json_t *object,
    const char *field, json_t **out);
static int levers_check_country(levers_scope_t *sc, json_t *body,
    levers_request_t *req);
static int levers_check_batch_size(levers_scope_t *sc, json_t *body,
    levers_request_t *req);

static const levers_kind_t *levers_lax_bool(json_t *v, int *out);
static const levers_kind_t *levers_lax_int(json_t *v, long long *out);
static const levers_kind_t *levers_float_as_int(double d, long long *out);
static const levers_kind_t *levers_str_as_int(const unsigned char *s,
    size_t len, long long *out);
static int levers_json_int(levers_chars_t *c, int minus, long long *out);
static int levers_chars_next(levers_chars_t *c);
static int levers_clean_int_str(const unsigned char *s, size_t len,
    levers_chars_t *c, int *minus);
static const unsigned char *levers_trim_start(const unsigned char *p,
    const unsigned char *end);
static const unsigned char *levers_trim_end(const unsigned char *start,
    const unsigned char *end);
static int levers_is_white_space(uint32_t ch);
static uint32_t levers_utf8_decode(const unsigned char *p,
    const unsigned char *end, size_t *n);

static int levers_uuid_simple(const unsigned char *s, unsigned char *out);
static int levers_uuid_hyphenated(const unsigned char *s, unsigned char *out);
static int levers_hex(unsigned char ch);
static int levers_ascii_caseeq(const char *s, size_t len, const char *word);

static size_t levers_uuid_reason(const unsigned char *s, size_t len, char *buf,
    size_t size);
static size_t levers_uuid_bad_char(const unsigned char *p,
    const unsigned char *end, size_t index, char *buf, size_t size);

static int levers_errors_full(const levers_errors_t *errs);
static int levers_errors_put(levers_errors_t *errs, const char *type,
    json_t *msg, json_t *loc, json_t *input, json_t *ctx);
static int levers_fail(levers_scope_t *sc, const levers_kind_t *kind,
    const char *field, json_t *input);
static int levers_fail_uuid(levers_scope_t *sc, json_t *input,
    const char *reason, size_t len);
static json_t *levers_loc(levers_scope_t *sc, const char *field);


int
levers_errors_init(levers_errors_t *errs, size_t max)
{
    errs->detail = json_array();
    errs->max = max;
    errs->total = 0;

    return errs->detail ? 0 : -1;
}


void
levers_errors_free(levers_errors_t *errs)
{
    json_decref(errs->detail);
    errs->detail = NULL;
}


int
levers_errors_add(levers_errors_t *errs, const char *type, const char *msg,
    json_t *loc, json_t *input, json_t *ctx)
{
    if (levers_errors_full(errs)) {
        errs->total++;
        json_decref(loc);
        json_decref(ctx);
        return 0;
    }

    return levers_errors_put(errs, type, json_string(msg), loc, input, ctx);
}


json_t *
levers_loc_contact(size_t index, const char *field)
{
    if (field == NULL) {
        return json_pack("[ssI]", "body", "contacts", (json_int_t) index);
    }

    return json_pack("[ssIs]", "body", "contacts", (json_int_t) index, field);
}


int
levers_validate_request(json_t *body, levers_request_t *req,
    levers_errors_t *errs, levers_alloc_pt alloc, void *alloc_ctx)
{
    size_t          before;
    levers_scope_t  sc;

    memset(req, 0, sizeof(levers_request_t));
    req->body = body;

    sc.errs = errs;
    sc.index = 0;
    sc.in_contact = 0;
    sc.alloc = alloc;
    sc.alloc_ctx = alloc_ctx;

    before = errs->total;
    sc.before = before;

    /* FastAPI itself reports an empty or null body, with input null */

    if (body == NULL || json_is_null(body)) {
        return levers_fail(&sc, &levers_missing, NULL, NULL);
    }

    if (!json_is_object(body)) {
        return levers_fail(&sc, &levers_model_attributes_type, NULL, body);
    }

    /* the model's field order, which is the order pydantic reports in */

    if (levers_check_template_id(&sc, body, req) == LEVERS_ERROR
        || levers_check_update_existing(&sc, body, req) == LEVERS_ERROR
        || levers_check_contacts(&sc, body, req, alloc, alloc_ctx)
           == LEVERS_ERROR
        || levers_check_country(&sc, body, req) == LEVERS_ERROR
        || levers_check_batch_size(&sc, body, req) == LEVERS_ERROR)
    {
        return LEVERS_ERROR;
    }

    return errs->total == before ? LEVERS_OK : LEVERS_INVALID;
}


/* Optional[UUID]: src/validators/uuid.rs, the uuid crate's parse_str() */

static int
levers_check_template_id(levers_scope_t *sc, json_t *body,
    levers_request_t *req)
{
    char                  reason[160];
    size_t                len;
    json_t               *v;
    unsigned char         uuid[16];
    const unsigned char  *s;

    v = json_object_get(body, "aiSettingsTemplateId");

    if (v == NULL || json_is_null(v)) {
        return LEVERS_OK;
    }

    /* not a str: only bytes would do, and JSON has none */

    if (!json_is_string(v)) {
        return levers_fail(sc, &levers_uuid_type, "aiSettingsTemplateId", v);
    }

    s = (const unsigned char *) json_string_value(v);
    len = json_string_length(v);

    if (levers_uuid_parse(s, len, uuid) != 0) {
        len = levers_uuid_reason(s, len, reason, sizeof(reason));
        return levers_fail_uuid(sc, v, reason, len);
    }

    levers_uuid_format(uuid, req->template_id);
    req->has_template_id = 1;

    return LEVERS_OK;
}


/* bool = False */

static int
levers_check_update_existing(levers_scope_t *sc, json_t *body,
    levers_request_t *req)
{
    int                   value;
    json_t               *v;
    const levers_kind_t  *kind;

    v = json_object_get(body, "updateExisting");

    if (v == NULL) {
        return LEVERS_OK;
    }

    kind = levers_lax_bool(v, &value);

    if (kind) {
        return levers_fail(sc, kind, "updateExisting", v);
    }

    req->update_existing = value ? 1 : 0;

    return LEVERS_OK;
}


/* List[_BulkContactSchema], required */

static int
levers_check_contacts(levers_scope_t *sc, json_t *body,
    levers_request_t *req, levers_alloc_pt alloc, void *alloc_ctx)
{
    int      rc, crc;
    size_t   i, n;
    json_t  *contacts;

    contacts = json_object_get(body, "contacts");

    if (contacts == NULL) {
        return levers_fail(sc, &levers_missing, "contacts", body);
    }

    if (!json_is_array(contacts)) {
        return levers_fail(sc, &levers_list_type, "contacts", contacts);
    }

    n = json_array_size(contacts);

    if (n == 0) {
        return LEVERS_OK;
    }

    if (n > SIZE_MAX / sizeof(levers_contact_t)) {
        return LEVERS_ERROR;
    }

    req->contacts = alloc(alloc_ctx, n * sizeof(levers_contact_t));
    if (req->contacts == NULL) {
        return LEVERS_ERROR;
    }

    req->ncontacts = n;

    rc = LEVERS_OK;
    sc->in_contact = 1;

    for (i = 0; i < n; i++) {
        sc->index = i;

        crc = levers_check_contact(sc, json_array_get(contacts, i),
                                   &req->contacts[i]);

        if (crc == LEVERS_ERROR) {
            return LEVERS_ERROR;
        }

        if (crc == LEVERS_INVALID) {
            rc = LEVERS_INVALID;
        }
    }

    sc->in_contact = 0;

    return rc;
}


/*
 * _BulkContactSchema: numberToCall, then these, in the model's order;
 * their values go, in this order, to levers_contact_from_json()
 */

static const levers_field_t  levers_contact_fields[] = {
    { "firstName", levers_check_optional_string },
    { "lastName", levers_check_optional_string },
    { "metadata", levers_check_optional_dict },
    { "promptTags", levers_check_optional_dict }
};


static int
levers_check_contact(levers_scope_t *sc, json_t *item, levers_contact_t *c)
{
    int                    rc, frc;
    size_t                 i, n;
    json_t                *values[4];
    const levers_field_t  *f;

    memset(c, 0, sizeof(levers_contact_t));
    c->index = sc->index;

    if (!json_is_object(item)) {
        return levers_fail(sc, &levers_model_attributes_type, NULL, item);
    }

    rc = levers_check_number(sc, item, c);
    n = sizeof(levers_contact_fields) / sizeof(levers_field_t);

    for (i = 0; i < n && rc != LEVERS_ERROR; i++) {
        f = &levers_contact_fields[i];
        values[i] = NULL;

        frc = f->check(sc, item, f->name, &values[i]);

        if (frc != LEVERS_OK) {
            rc = frc;
        }
    }

    /* only a request without errors is sent on: its texts are made once */

    if (rc != LEVERS_OK || sc->errs->total != sc->before) {
        return rc;
    }

    if (levers_contact_from_json(c, values[0], values[1], values[2],
                                 values[3], sc->alloc, sc->alloc_ctx)
        != 0)
    {
        return LEVERS_ERROR;
    }

    return LEVERS_OK;
}


/* str, Field(min_length=1, max_length=100): lengths in code points */

static int
levers_check_number(levers_scope_t *sc, json_t *contact, levers_contact_t *c)
{
    size_t       len, n;
    json_t      *v;
    const char  *s;

    v = json_object_get(contact, "numberToCall");

    if (v == NULL) {
        return levers_fail(sc, &levers_missing, "numberToCall", contact);
    }

    /* lax str takes str, bytes, bytearray: never a number */

    if (!json_is_string(v)) {
        return levers_fail(sc, &levers_string_type, "numberToCall", v);
    }

    s = json_string_value(v);
    len = json_string_length(v);
    n = levers_utf8_length(s, len);

    if (n < 1) {
        return levers_fail(sc, &levers_number_too_short, "numberToCall", v);
    }

    if (n > 100) {
        return levers_fail(sc, &levers_number_too_long, "numberToCall", v);
    }

    c->number = s;
    c->number_len = len;

    return LEVERS_OK;
}


/* Optional[str] */

static int
levers_check_optional_string(levers_scope_t *sc, json_t *object,
    const char *field, json_t **out)
{
    json_t  *v;

    v = json_object_get(object, field);

    if (v == NULL || json_is_null(v)) {
        return LEVERS_OK;
    }

    if (!json_is_string(v)) {
        return levers_fail(sc, &levers_string_type, field, v);
    }

    *out = v;

    return LEVERS_OK;
}


/* Optional[dict] */

static int
levers_check_optional_dict(levers_scope_t *sc, json_t *object,
    const char *field, json_t **out)
{
    json_t  *v;

    v = json_object_get(object, field);

    if (v == NULL || json_is_null(v)) {
        return LEVERS_OK;
    }

    if (!json_is_object(v)) {
        return levers_fail(sc, &levers_dict_type, field, v);
    }

    *out = v;

    return LEVERS_OK;
}


/*
 * Optional[str], Field(min_length=2, max_length=2, pattern="^[A-Z]{2}$"):
 * StrConstrainedValidator checks the lengths, then the pattern, and stops
 * at the first failure.
 */

static int
levers_check_country(levers_scope_t *sc, json_t *body,
    levers_request_t *req)
{
    size_t       len, n;
    json_t      *v;
    const char  *s;

    v = json_object_get(body, "countryCode");

    if (v == NULL || json_is_null(v)) {
        return LEVERS_OK;
    }

    if (!json_is_string(v)) {
        return levers_fail(sc, &levers_string_type, "countryCode", v);
    }

    s = json_string_value(v);
    len = json_string_length(v);
    n = levers_utf8_length(s, len);

    if (n < 2) {
        return levers_fail(sc, &levers_country_too_short, "countryCode", v);
    }

    if (n > 2) {
        return levers_fail(sc, &levers_country_too_long, "countryCode", v);
    }

    if (len != 2
        || s[0] < 'A' || s[0] > 'Z'
        || s[1] < 'A' || s[1] > 'Z')
    {
        return levers_fail(sc, &levers_country_pattern, "countryCode", v);
    }

    req->country[0] = s[0];
    req->country[1] = s[1];
    req->country[2] = '\0';
    req->has_country = 1;

    return LEVERS_OK;
}


/*
 * Optional[int], Field(ge=10, le=1000): the range errors report the
 * input as it was sent (ConstrainedIntValidator passes the input on).
 */

static int
levers_check_batch_size(levers_scope_t *sc, json_t *body,
    levers_request_t *req)
{
    long long             value;
    json_t               *v;
    const levers_kind_t  *kind;

    v = json_object_get(body, "batchSize");

    if (v == NULL || json_is_null(v)) {
        return LEVERS_OK;
    }

    kind = levers_lax_int(v, &value);

    if (kind == NULL && value < LEVERS_BATCH_MIN) {
        kind = &levers_batch_too_small;
    }

    if (kind == NULL && value > LEVERS_BATCH_MAX) {
        kind = &levers_batch_too_big;
    }

    if (kind) {
        return levers_fail(sc, kind, "batchSize", v);
    }

    req->batch_size = (long) value;
    req->has_batch_size = 1;

    return LEVERS_OK;
}


/*
 * input_python.rs, validate_bool (lax): a bool; a str through str_as_bool
 * (exact "0"/"1", the words in any ASCII case, no trimming); an int 0 or
 * 1; a float that float_as_int() turns into 0 or 1.  Any other int or
 * integral float is bool_parsing, a fractional or huge float bool_type.
 */

static const levers_kind_t *
levers_lax_bool(json_t *v, int *out)
{
    size_t               len, i;
    long long            n;
    const char          *s;
    static const char   *falses[] = { "0", "f", "n", "no", "off", "false" };
    static const char   *trues[] = { "1", "t", "y", "on", "yes", "true" };

    switch (json_typeof(v)) {

    case JSON_TRUE:
        *out = 1;
        return NULL;

    case JSON_FALSE:
        *out = 0;
        return NULL;

    case JSON_STRING:
        s = json_string_value(v);
        len = json_string_length(v);

        for (i = 0; i < sizeof(falses) / sizeof(falses[0]); i++) {
            if (levers_ascii_caseeq(s, len, falses[i])) {
                *out = 0;
                return NULL;
            }

            if (levers_ascii_caseeq(s, len, trues[i])) {
                *out = 1;
                return NULL;
            }
        }

        return &levers_bool_parsing;

    case JSON_INTEGER:
        n = json_integer_value(v);
        break;

    case JSON_REAL:
        if (levers_float_as_int(json_real_value(v), &n) != NULL) {
            return &levers_bool_type;
        }
        break;

    default:
        return &levers_bool_type;
    }

    if (n != 0 && n != 1) {
        return &levers_bool_parsing;
    }

    *out = (int) n;

    return NULL;
}


/*
 * input_python.rs, validate_int (lax): an int; a bool (a subclass of
 * int); a str through str_as_int(); a float through float_as_int().
 */

static const levers_kind_t *
levers_lax_int(json_t *v, long long *out)
{
    switch (json_typeof(v)) {

    case JSON_INTEGER:
        *out = json_integer_value(v);
        return NULL;

    case JSON_TRUE:
        *out = 1;
        return NULL;

    case JSON_FALSE:
        *out = 0;
        return NULL;

    case JSON_STRING:
        return levers_str_as_int((const unsigned char *) json_string_value(v),
                                 json_string_length(v), out);

    case JSON_REAL:
        return levers_float_as_int(json_real_value(v), out);

    default:
        return &levers_int_type;
    }
}


/* shared.rs, float_as_int */

static const levers_kind_t *
levers_float_as_int(double d, long long *out)
{
    if (d != d || d > DBL_MAX || d < -DBL_MAX) {
        return &levers_finite_number;
    }

    /* beyond 2^53 every double is integral, so "% 1.0" can go last */

    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
        return &levers_int_parsing_size;
    }

    if (d != (double) (long long) d) {
        return &levers_int_from_float;
    }

    *out = (long long) d;

    return NULL;
}


/*
 * shared.rs, str_as_int: first the string as a whole JSON integer
 * (jiter's NumberInt), where only a too long number is an error of its
 * own; then the string cleaned by clean_int_str(), parsed again.
 */

static const levers_kind_t *
levers_str_as_int(const unsigned char *s, size_t len, long long *out)
{
    int             rc, minus;
    levers_chars_t  c;

    c.p = s;
    c.end = s + len;
    c.skip_underscores = 0;

    rc = levers_json_int(&c, 0, out);

    if (rc == LEVERS_OK) {
        return NULL;
    }

    if (rc == LEVERS_OUT_OF_RANGE) {
        return &levers_int_parsing_size;
    }

    if (levers_clean_int_str(s, len, &c, &minus) != LEVERS_OK) {
        return &levers_int_parsing;
    }

    if (levers_json_int(&c, minus, out) != LEVERS_OK) {
        return &levers_int_parsing;
    }

    return NULL;
}


/*
 * jiter's NumberInt::try_from(): "-"? ("0" | [1-9][0-9]*), the whole
 * string; a run of digits longer than 4300 characters (counting the
 * sign) is out of range.  minus: a "-" comes before the characters.
 */

static int
levers_json_int(levers_chars_t *c, int minus, long long *out)
{
    int        ch;
    size_t     len;
    long long  value;

    len = minus ? 1 : 0;
    ch = levers_chars_next(c);

    if (!minus && ch == '-') {
        minus = 1;
        len++;
        ch = levers_chars_next(c);
    }

    if (ch == '0') {
        if (levers_chars_next(c) != -1) {
            return LEVERS_INVALID;
        }

        *out = 0;
        return LEVERS_OK;
    }

    if (ch < '1' || ch > '9') {
        return LEVERS_INVALID;
    }

    value = ch - '0';
    len++;

    for ( ;; ) {
        ch = levers_chars_next(c);

        if (ch < '0' || ch > '9') {
            break;
        }

        value = (value <= (LEVERS_INT_BIG - 9) / 10)
                ? value * 10 + (ch - '0') : LEVERS_INT_BIG;

        len++;
    }

    if (len > LEVERS_INT_MAX_LEN) {
        return LEVERS_OUT_OF_RANGE;
    }

    if (ch != -1) {
        return LEVERS_INVALID;
    }

    *out = minus ? -value : value;

    return LEVERS_OK;
}


static int
levers_chars_next(levers_chars_t *c)
{
    while (c->p < c->end) {
        if (*c->p == '_' && c->skip_underscores) {
            c->p++;
            continue;
        }

        return *c->p++;
    }

    return -1;
}


/*
 * shared.rs, clean_int_str() and strip_leading_zeros(), step by step:
 * trim white space; a "+" not followed by "-"; a "-" not followed by a
 * sign; leading zeros (and underscores among them); one ".0+" suffix;
 * underscores when none leads, trails or doubles.  Nothing cleaned means
 * no second chance.
 */

static int
levers_clean_int_str(const unsigned char *s, size_t len, levers_chars_t *c,
    int *minus)
{
    const unsigned char  *p, *end, *q, *dot;

    p = levers_trim_start(s, s + len);
    end = levers_trim_end(p, s + len);

    if (p < end && *p == '+') {
        if (p + 1 < end && p[1] == '-') {
            return LEVERS_INVALID;
        }

        p++;
    }

    *minus = 0;

    if (p < end && *p == '-') {
        if (p + 1 < end && (p[1] == '-' || p[1] == '+')) {
            return LEVERS_INVALID;
        }

        *minus = 1;
        p++;
    }

    if (p == end) {
        return LEVERS_INVALID;
    }

    if (*p == '0') {
        for (q = p + 1; q < end; q++) {
            if (*q == '0' || *q == '_') {
                continue;
            }

            if ((*q >= '1' && *q <= '9') || *q == '-') {
                break;
            }

            if (*q == '.') {
                q--;            /* keep the last zero: "00.0" is "0.0" */
                break;
            }

            return LEVERS_INVALID;
        }

        p = (q < end) ? q : end - 1;

    } else if (!((*p >= '1' && *p <= '9') || *p == '-')) {
        return LEVERS_INVALID;
    }

    dot = memchr(p, '.', end - p);

    if (dot && dot + 1 < end) {
        for (q = dot + 1; q < end && *q == '0'; q++) { /* void */ }

        if (q == end) {
            end = dot;
        }
    }

    c->p = p;
    c->end = end;
    c->skip_underscores = 0;

    if (*p != '_' && end[-1] != '_' && memchr(p, '_', end - p) != NULL) {

        for (q = p; q + 1 < end; q++) {
            if (q[0] == '_' && q[1] == '_') {
                break;
            }
        }

        if (q + 1 >= end) {
            c->skip_underscores = 1;
            return LEVERS_OK;
        }
    }

    return (size_t) (end - p) == len ? LEVERS_INVALID : LEVERS_OK;
}


/* Rust's str::trim(): code points with the White_Space property */

static const unsigned char *
levers_trim_start(const unsigned char *p, const unsigned char *end)
{
    size_t    n;
    uint32_t  ch;

    while (p < end) {
        ch = levers_utf8_decode(p, end, &n);

        if (!levers_is_white_space(ch)) {
            break;
        }

        p += n;
    }

    return p;
}


static const unsigned char *
levers_trim_end(const unsigned char *start, const unsigned char *end)
{
    size_t                n;
    uint32_t              ch;
    const unsigned char  *p;

    while (end > start) {
        p = end - 1;

        while (p > start && (*p & 0xc0) == 0x80) {
            p--;
        }

        ch = levers_utf8_decode(p, end, &n);

        if (!levers_is_white_space(ch)) {
            break;
        }

        end = p;
    }

    return end;
}


static int
levers_is_white_space(uint32_t ch)
{
    return (ch >= 0x09 && ch <= 0x0d) || ch == 0x20 || ch == 0x85
           || ch == 0xa0 || ch == 0x1680 || (ch >= 0x2000 && ch <= 0x200a)
           || ch == 0x2028 || ch == 0x2029 || ch == 0x202f || ch == 0x205f
           || ch == 0x3000;
}


/* one code point of valid UTF-8 (jansson checked it), *n its length */

static uint32_t
levers_utf8_decode(const unsigned char *p, const unsigned char *end,
    size_t *n)
{
    size_t    i, len;
    uint32_t  ch;

    if (*p < 0x80) {
        *n = 1;
        return *p;
    }

    if (*p >= 0xf0) {
        len = 4;
        ch = *p & 0x07;

    } else if (*p >= 0xe0) {
        len = 3;
        ch = *p & 0x0f;

    } else {
        len = 2;
        ch = *p & 0x1f;
    }

    for (i = 1; i < len && p + i < end; i++) {
        ch = (ch << 6) | (p[i] & 0x3f);
    }

    *n = i;

    return ch;
}


/*
 * The uuid crate's try_parse(): 32 hex digits; or 8-4-4-4-12 hex digits,
 * bare (36), braced (38) or after "urn:uuid:" (45); any case.
 */

int
levers_uuid_parse(const unsigned char *s, size_t len, unsigned char *out)
{
    switch (len) {

    case 32:
        return levers_uuid_simple(s, out);

    case 36:
        return levers_uuid_hyphenated(s, out);

    case 38:
        if (s[0] == '{' && s[37] == '}') {
            return levers_uuid_hyphenated(s + 1, out);
        }
        break;

    case 45:
        if (memcmp(s, LEVERS_URN_PREFIX, LEVERS_URN_LEN) == 0) {
            return levers_uuid_hyphenated(s + LEVERS_URN_LEN, out);
        }
        break;
    }

    return -1;
}


static int
levers_uuid_simple(const unsigned char *s, unsigned char *out)
{
    int     hi, lo;
    size_t  i;

    for (i = 0; i < 16; i++) {
        hi = levers_hex(s[2 * i]);
        lo = levers_hex(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }

        out[i] = (unsigned char) (hi << 4 | lo);
    }

    return 0;
}


static int
levers_uuid_hyphenated(const unsigned char *s, unsigned char *out)
{
    int     hi, lo;
    size_t  i, j;

    if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
        return -1;
    }

    for (i = 0, j = 0; i < 16; i++, j += 2) {
        if (j == 8 || j == 13 || j == 18 || j == 23) {
            j++;
        }

        hi = levers_hex(s[j]);
        lo = levers_hex(s[j + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }

        out[i] = (unsigned char) (hi << 4 | lo);
    }

    return 0;
}


static int
levers_hex(unsigned char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }

    ch |= 0x20;

    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }

    return -1;
}


/* Rust's eq_ignore_ascii_case() against a lower-case word */

static int
levers_ascii_caseeq(const char *s, size_t len, const char *word)
{
    size_t  i;
    char    ch;

    if (len != strlen(word)) {
        return 0;
    }

    for (i = 0; i < len; i++) {
        ch = s[i];

        if (ch >= 'A' && ch <= 'Z') {
            ch |= 0x20;
        }

        if (ch != word[i]) {
            return 0;
        }
    }

    return 1;
}


void
levers_uuid_format(const unsigned char *uuid, char *out)
{
    size_t             i;
    static const char  hex[] = "0123456789abcdef";

    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            *out++ = '-';
        }

        *out++ = hex[uuid[i] >> 4];
        *out++ = hex[uuid[i] & 0x0f];
    }

    *out = '\0';
}


/*
 * The uuid crate's InvalidUuid::into_err() and Error's Display, word for
 * word, as pydantic-core 2.46 shows them: the first bad character (1-based
 * byte index, counting a stripped "{" or "urn:uuid:" except for the
 * 38- and 45-character forms, which the crate checks on their inner 36
 * characters), else a wrong length of a simple UUID, else a wrong
 * group count, else the first group of a wrong length.  As in the crate,
 * the last group's length is measured on the whole input, braces and
 * prefix included.
 */

static size_t
levers_uuid_reason(const unsigned char *s, size_t len, char *buf, size_t size)
{
    int                   simple;
    size_t                offset, hyphens, i, bounds[4];
    const unsigned char  *u, *end, *p;
    static const size_t   starts[5] = { 0, 9, 14, 19, 24 };
    static const size_t   lengths[5] = { 8, 4, 4, 4, 12 };

    u = s;
    end = s + len;
    offset = 0;
    simple = 1;

    if ((len == 38 && s[0] == '{' && s[37] == '}')
        || (len == 45 && memcmp(s, LEVERS_URN_PREFIX, LEVERS_URN_LEN) == 0))
    {
        /*
         * the crate's fast path for these lengths reports on the inner 36
         * characters alone, as a plain string
         */
        u = s + len - 36 - (s[0] == '{');
        end = u + 36;

    } else if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
        u = s + 1;
        end = s + len - 1;
        offset = 1;
        simple = 0;

    } else if (len >= LEVERS_URN_LEN
               && memcmp(s, LEVERS_URN_PREFIX, LEVERS_URN_LEN) == 0)
    {
        u = s + LEVERS_URN_LEN;
        offset = LEVERS_URN_LEN;
        simple = 0;
    }

    hyphens = 0;

    for (p = u; p < end; p++) {
        if (*p == '-') {
            if (hyphens < 4) {
                bounds[hyphens] = p - u;
            }

            hyphens++;
            continue;
        }

        if (levers_hex(*p) < 0) {
            return levers_uuid_bad_char(p, end, (p - u) + offset + 1,
                                        buf, size);
        }
    }

    if (hyphens == 0 && simple) {
        return snprintf(buf, size, "invalid length: expected length 32 "
                        "for simple format, found %zu", len);
    }

    if (hyphens != 4) {
        return snprintf(buf, size, "invalid group count: expected 5, "
                        "found %zu", hyphens + 1);
    }

    for (i = 0; i < 4; i++) {
        if (bounds[i] != starts[i + 1] - 1) {
            return snprintf(buf, size, "invalid group length in group %zu: "
                            "expected %zu, found %zu",
                            i, lengths[i], bounds[i] - starts[i]);
        }
    }

    return snprintf(buf, size, "invalid group length in group 4: "
                    "expected 12, found %zu", len - starts[4]);
}


/* the character is copied as it is: it may be a NUL or a multibyte one */

static size_t
levers_uuid_bad_char(const unsigned char *p, const unsigned char *end,
    size_t index, char *buf, size_t size)
{
    size_t             n, len;
    static const char  prefix[] = "invalid character: found `";

    levers_utf8_decode(p, end, &n);

    len = sizeof(prefix) - 1;

    memcpy(buf, prefix, len);
    memcpy(buf + len, p, n);
    len += n;

    return len + snprintf(buf + len, size - len, "` at %zu", index);
}


static int
levers_errors_full(const levers_errors_t *errs)
{
    return errs->max && json_array_size(errs->detail) >= errs->max;
}


/* appends one error (the cap checked by the caller); steals msg, loc, ctx */

static int
levers_errors_put(levers_errors_t *errs, const char *type, json_t *msg,
    json_t *loc, json_t *input, json_t *ctx)
{
    json_t  *e;

    errs->total++;

    e = (msg && loc) ? json_object() : NULL;

    if (e == NULL) {
        json_decref(msg);
        json_decref(loc);
        json_decref(ctx);
        return -1;
    }

    /* the key order is pydantic's: type, loc, msg, input, ctx */

    if (json_object_set_new(e, "type", json_string(type)) != 0
        || json_object_set_new(e, "loc", loc) != 0
        || json_object_set_new(e, "msg", msg) != 0
        || json_object_set_new(e, "input",
                               input ? json_incref(input) : json_null())
           != 0
        || (ctx && json_object_set_new(e, "ctx", ctx) != 0))
    {
        json_decref(e);
        return -1;
    }

    return json_array_append_new(errs->detail, e);
}


/* an error of a fixed kind; past the cap it is only counted */

static int
levers_fail(levers_scope_t *sc, const levers_kind_t *kind, const char *field,
    json_t *input)
{
    json_t  *ctx;

    if (levers_errors_full(sc->errs)) {
        sc->errs->total++;
        return LEVERS_INVALID;
    }

    ctx = NULL;

    if (kind->ctx_key) {
        ctx = kind->ctx_str
              ? json_pack("{ss}", kind->ctx_key, kind->ctx_str)
              : json_pack("{sI}", kind->ctx_key, kind->ctx_int);

        if (ctx == NULL) {
            return LEVERS_ERROR;
        }
    }

    if (levers_errors_add(sc->errs, kind->type, kind->msg,
                          levers_loc(sc, field), input, ctx)
        != 0)
    {
        return LEVERS_ERROR;
    }

    return LEVERS_INVALID;
}


/* uuid_parsing: "Input should be a valid UUID, " + reason, ctx.error */

static int
levers_fail_uuid(levers_scope_t *sc, json_t *input, const char *reason,
    size_t len)
{
    char     msg[sizeof(LEVERS_UUID_MSG) + 160];
    size_t   n;
    json_t  *ctx;

    if (levers_errors_full(sc->errs)) {
        sc->errs->total++;
        return LEVERS_INVALID;
    }

    n = sizeof(LEVERS_UUID_MSG) - 1;
    memcpy(msg, LEVERS_UUID_MSG, n);
    memcpy(msg + n, reason, len);

    /* the reason may hold a NUL (the bad character): lengths throughout */

    ctx = json_object();
    if (ctx == NULL
        || json_object_set_new(ctx, "error", json_stringn(reason, len)) != 0)
    {
        json_decref(ctx);
        return LEVERS_ERROR;
    }

    if (levers_errors_put(sc->errs, "uuid_parsing", json_stringn(msg, n + len),
                          levers_loc(sc, "aiSettingsTemplateId"), input, ctx)
        != 0)
    {
        return LEVERS_ERROR;
    }

    return LEVERS_INVALID;
}


static json_t *
levers_loc(levers_scope_t *sc, const char *field)
{
    if (sc->in_contact) {
        return levers_loc_contact(sc->index, field);
    }

    if (field == NULL) {
        return json_pack("[s]", "body");
    }

    return json_pack("[ss]", "body", field);
}

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * A valid contact's values in the form they are sent on (levers_text_t,
 * levers_tags_t), made from the jansson values of the general path; the
 * fast path (levers_fastbody.c) makes the same texts from the bytes.
 * Every text is what levers_json.c writes, so both paths agree by
 * construction: t/unit/test_fastbody.c compares them.
 */


#include <string.h>

#include "levers_json.h"
#include "levers_validate.h"


typedef enum {
    LEVERS_TEXT_VALUE = 0,         /* compact JSON of a value */
    LEVERS_TEXT_STRING,            /* a string as a JSON literal */
    LEVERS_TEXT_ESCAPED            /* a string as inside a JSON literal */
} levers_text_e;


typedef struct {
    char    *p;
    size_t   len;
} levers_text_sink_t;


static int levers_text_make(levers_text_t *t, levers_text_e how,
    const json_t *v, const char *s, size_t len, levers_alloc_pt alloc,
    void *alloc_ctx);
static int levers_text_dump(levers_text_e how, const json_t *v,
    const char *s, size_t len, levers_json_write_pt write, void *data);
static int levers_text_count(void *data, const char *buf, size_t len);
static int levers_text_copy(void *data, const char *buf, size_t len);
static int levers_tags_from_json(levers_tags_t **out, json_t *object,
    levers_alloc_pt alloc, void *alloc_ctx);
static int levers_tag_from_json(levers_tag_t *tag, const char *key,
    size_t key_len, json_t *v, levers_alloc_pt alloc, void *alloc_ctx);


int
levers_contact_from_json(levers_contact_t *c, json_t *first_name,
    json_t *last_name, json_t *metadata, json_t *prompt_tags,
    levers_alloc_pt alloc, void *alloc_ctx)
{
    if (first_name
        && levers_text_make(&c->first_name, LEVERS_TEXT_STRING, NULL,
                            json_string_value(first_name),
                            json_string_length(first_name), alloc,
                            alloc_ctx)
           != 0)
    {
        return -1;
    }

    if (last_name
        && levers_text_make(&c->last_name, LEVERS_TEXT_STRING, NULL,
                            json_string_value(last_name),
                            json_string_length(last_name), alloc, alloc_ctx)
           != 0)
    {
        return -1;
    }

    if (metadata
        && levers_text_make(&c->metadata, LEVERS_TEXT_VALUE, metadata, NULL,
                            0, alloc, alloc_ctx)
           != 0)
    {
        return -1;
    }

    if (prompt_tags
        && levers_tags_from_json(&c->prompt_tags, prompt_tags, alloc,
                                 alloc_ctx)
           != 0)
    {
        return -1;
    }

    return 0;
}


const levers_tag_t *
levers_tags_get(const levers_tags_t *tags, const char *key, size_t len)
{
    size_t               i;
    const levers_tag_t  *tag;

    if (tags == NULL) {
        return NULL;
    }

    /* a contact has a handful of tags: a hash would cost more */

    for (i = 0; i < tags->n; i++) {
        tag = &tags->items[i];

        if (tag->key.len == len && memcmp(tag->key.data, key, len) == 0) {
            return tag;
        }
    }

    return NULL;
}


static int
levers_tags_from_json(levers_tags_t **out, json_t *object,
    levers_alloc_pt alloc, void *alloc_ctx)
{
    size_t          n, key_len;
    json_t         *v;
    const char     *key;
    levers_tags_t  *tags;

    tags = alloc(alloc_ctx, sizeof(levers_tags_t));
    if (tags == NULL) {
        return -1;
    }

    n = json_object_size(object);

    tags->n = 0;
    tags->items = NULL;

    if (n) {
        tags->items = alloc(alloc_ctx, n * sizeof(levers_tag_t));
        if (tags->items == NULL) {
            return -1;
        }
    }

    json_object_keylen_foreach(object, key, key_len, v) {
        if (levers_tag_from_json(&tags->items[tags->n], key, key_len, v,
                                 alloc, alloc_ctx)
            != 0)
        {
            return -1;
        }

        tags->n++;
    }

    if (levers_text_make(&tags->json, LEVERS_TEXT_VALUE, object, NULL, 0,
                         alloc, alloc_ctx)
        != 0)
    {
        return -1;
    }

    *out = tags;

    return 0;
}


/* what {{key}} becomes: contract section 3.4 */

static int
levers_tag_from_json(levers_tag_t *tag, const char *key, size_t key_len,
    json_t *v, levers_alloc_pt alloc, void *alloc_ctx)
{
    tag->key.data = key;
    tag->key.len = key_len;

    switch (json_typeof(v)) {

    case JSON_NULL:
        tag->raw.data = "";
        tag->raw.len = 0;
        tag->esc = tag->raw;
        return 0;

    case JSON_STRING:
        tag->raw.data = json_string_value(v);
        tag->raw.len = json_string_length(v);
        break;

    default:
        if (levers_text_make(&tag->raw, LEVERS_TEXT_VALUE, v, NULL, 0, alloc,
                             alloc_ctx)
            != 0)
        {
            return -1;
        }
    }

    return levers_text_make(&tag->esc, LEVERS_TEXT_ESCAPED, NULL,
                            tag->raw.data, tag->raw.len, alloc, alloc_ctx);
}


/* the text written twice: once to measure it, once into its memory */

static int
levers_text_make(levers_text_t *t, levers_text_e how, const json_t *v,
    const char *s, size_t len, levers_alloc_pt alloc, void *alloc_ctx)
{
    size_t              n;
    levers_text_sink_t  sink;

    n = 0;

    if (levers_text_dump(how, v, s, len, levers_text_count, &n) != 0) {
        return -1;
    }

    sink.p = alloc(alloc_ctx, n ? n : 1);
    if (sink.p == NULL) {
        return -1;
    }

    sink.len = 0;

    if (levers_text_dump(how, v, s, len, levers_text_copy, &sink) != 0) {
        return -1;
    }

    t->data = sink.p;
    t->len = sink.len;

    return 0;
}


static int
levers_text_dump(levers_text_e how, const json_t *v, const char *s,
    size_t len, levers_json_write_pt write, void *data)
{
    switch (how) {

    case LEVERS_TEXT_VALUE:
        return levers_json_dump(v, write, data);

    case LEVERS_TEXT_STRING:
        return levers_json_dump_string(s, len, write, data);

    default:
        return levers_json_dump_string_body(s, len, write, data);
    }
}


static int
levers_text_count(void *data, const char *buf, size_t len)
{
    size_t  *n = data;

    (void) buf;
    *n += len;

    return 0;
}


static int
levers_text_copy(void *data, const char *buf, size_t len)
{
    levers_text_sink_t  *sink = data;

    memcpy(sink->p + sink->len, buf, len);
    sink->len += len;

    return 0;
}

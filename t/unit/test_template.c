/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_template.c: placeholder syntax, rendering of
 * every tag type, missing-tag policies, JSON-escaped rendering, the
 * missing-key check and template file loading.
 *
 *   make -C t/unit build/test_template && t/unit/build/test_template
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "levers_template.h"
#include "arena.h"


#define OUT_SIZE  4096


typedef struct {
    char    buf[OUT_SIZE];
    size_t  len;
    int     calls;
    int     fail_at;      /* fail the n-th write (1-based); 0: never */
} out_t;


typedef struct {
    char    keys[8][64];
    int     n;
    int     fail;         /* return -1 from the callback */
} missing_t;


static int
out_write(void *data, const char *buf, size_t len)
{
    out_t  *o = data;

    o->calls++;

    if (o->fail_at && o->calls == o->fail_at) {
        return -1;
    }

    assert_true(o->len + len < OUT_SIZE);
    memcpy(o->buf + o->len, buf, len);
    o->len += len;
    o->buf[o->len] = '\0';

    return 0;
}


static int
on_missing(void *data, const char *key, size_t len)
{
    missing_t  *m = data;

    if (m->fail) {
        return -1;
    }

    assert_true(m->n < 8 && len < 64);
    memcpy(m->keys[m->n], key, len);
    m->keys[m->n][len] = '\0';
    m->n++;

    return 0;
}


static levers_tpl_t *
compile(const char *text)
{
    char           err[256];
    levers_tpl_t  *tpl;

    err[0] = '\0';
    tpl = levers_tpl_compile(text, strlen(text), err, sizeof(err));
    if (tpl == NULL) {
        fail_msg("compile \"%s\": %s", text, err);
    }

    return tpl;
}


/* promptTags as the module reads them: levers_contact_from_json() */
typedef struct {
    levers_tags_t  *t;
    json_t         *json;
    arena_t         arena;
} tags_t;

#define TAGS(tags)  ((tags) ? (tags)->t : NULL)


static tags_t *
tags_of(const char *json)
{
    tags_t            *tags;
    json_error_t       jerr;
    levers_contact_t   c;

    tags = calloc(1, sizeof(tags_t));
    assert_non_null(tags);

    tags->json = json_loads(json, 0, &jerr);
    if (tags->json == NULL) {
        fail_msg("bad test JSON %s: %s", json, jerr.text);
    }

    memset(&c, 0, sizeof(c));
    assert_int_equal(levers_contact_from_json(&c, NULL, NULL, NULL,
                                              tags->json, arena_alloc,
                                              &tags->arena), 0);
    tags->t = c.prompt_tags;

    return tags;
}


static void
tags_free(tags_t *tags)
{
    if (tags) {
        arena_free(&tags->arena);
        json_decref(tags->json);
        free(tags);
    }
}


/* renders text with tags (JSON text or NULL) and compares to expected */

static void
check_render(const char *text, const char *tags_json,
    levers_tag_missing_e policy, int escape, const char *expected)
{
    out_t          out;
    tags_t        *tags;
    levers_tpl_t  *tpl;

    memset(&out, 0, sizeof(out));

    tpl = compile(text);
    tags = tags_json ? tags_of(tags_json) : NULL;

    assert_int_equal(levers_tpl_render(tpl, TAGS(tags), policy, escape,
                                       out_write, &out), 0);
    assert_string_equal(out.buf, expected);
    assert_int_equal(out.len, strlen(expected));

    tags_free(tags);
    levers_tpl_free(tpl);
}


static void
check_error(const char *text, const char *expected)
{
    char  err[256];

    strcpy(err, "untouched");

    assert_null(levers_tpl_compile(text, strlen(text), err, sizeof(err)));
    assert_string_equal(err, expected);
}


static void
test_seed_example(void **state)
{
    (void) state;

    check_render("You are a collections agent. The customer owes {{amount}}"
                 " due by {{due_date}}.\nBe professional and offer payment"
                 " plan options if the customer cannot pay in full.",
                 "{\"amount\": \"5,000 SAR\","
                 " \"due_date\": \"January 15, 2026\"}",
                 LEVERS_TAG_MISSING_ERROR, 0,
                 "You are a collections agent. The customer owes 5,000 SAR"
                 " due by January 15, 2026.\nBe professional and offer"
                 " payment plan options if the customer cannot pay in"
                 " full.");
}


static void
test_spaces_inside_braces(void **state)
{
    const char  *tags = "{\"amount\":\"5\",\"due date\":\"today\"}";

    (void) state;

    check_render("{{ amount }}|{{amount }}|{{ amount}}|{{\tamount\t}}",
                 tags, LEVERS_TAG_MISSING_ERROR, 0, "5|5|5|5");
    check_render("{{\n  amount\r\n}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "5");
    check_render("{{ due date }}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "today");
    /* the key is exact: no case folding, inner spaces count */
    check_render("{{Amount}}{{due  date}}", tags, LEVERS_TAG_MISSING_EMPTY,
                 0, "");
}


static void
test_value_types(void **state)
{
    const char  *tags = "{\"s\":\"text\",\"i\":42,\"neg\":-7,\"r\":1.5,"
                        "\"r100\":100.0,\"t\":true,\"f\":false,\"n\":null,"
                        "\"o\":{\"a\":1,\"b\":[1,2,\"x\"]},\"a\":[],"
                        "\"e\":\"\",\"ar\":\"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8"
                        "\xd8\xa7\",\"oa\":{\"k\":\"\xd9\x85\"}}";

    (void) state;

    check_render("{{s}}", tags, LEVERS_TAG_MISSING_ERROR, 0, "text");
    check_render("{{i}} {{neg}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "42 -7");
    check_render("{{r}} {{r100}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "1.5 100.0");
    check_render("{{t}} {{f}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "true false");
    check_render("[{{n}}]", tags, LEVERS_TAG_MISSING_ERROR, 0, "[]");
    check_render("{{o}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "{\"a\":1,\"b\":[1,2,\"x\"]}");
    check_render("{{a}}", tags, LEVERS_TAG_MISSING_ERROR, 0, "[]");
    check_render("<{{e}}>", tags, LEVERS_TAG_MISSING_ERROR, 0, "<>");
    check_render("{{ar}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7");
    /* ensure_ascii=False: Arabic stays as UTF-8 inside compact JSON */
    check_render("{{oa}}", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "{\"k\":\"\xd9\x85\"}");
}


static void
test_single_pass(void **state)
{
    (void) state;

    check_render("a {{v}} b", "{\"v\":\"{{x}}\",\"x\":\"X\"}",
                 LEVERS_TAG_MISSING_ERROR, 0, "a {{x}} b");
    check_render("{{v}}{{x}}", "{\"v\":\"{{\",\"x\":\"}}\"}",
                 LEVERS_TAG_MISSING_ERROR, 0, "{{}}");
    check_render("{{x}}{{x}}{{x}}", "{\"x\":\"ab\"}",
                 LEVERS_TAG_MISSING_ERROR, 0, "ababab");
}


static void
test_literal_braces(void **state)
{
    const char  *tags = "{\"x\":\"V\",\"amount\":5}";

    (void) state;

    check_render("a }} b } c { d", tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "a }} b } c { d");
    check_render("{{{x}}}", tags, LEVERS_TAG_MISSING_ERROR, 0, "{V}");
    check_render("{{{{x}}}}", tags, LEVERS_TAG_MISSING_ERROR, 0, "{{V}}");
    check_render("{\"amount\":{{amount}}}", tags, LEVERS_TAG_MISSING_ERROR,
                 0, "{\"amount\":5}");
    check_render("{ {{x}} }", tags, LEVERS_TAG_MISSING_ERROR, 0, "{ V }");
    check_render("{", tags, LEVERS_TAG_MISSING_ERROR, 0, "{");
    check_render("", tags, LEVERS_TAG_MISSING_ERROR, 0, "");
}


static void
test_missing_policies(void **state)
{
    const char  *text = "owes {{ amount }} by {{due_date}}.";
    const char  *tags = "{\"due_date\":\"Monday\"}";

    (void) state;

    check_render(text, tags, LEVERS_TAG_MISSING_KEEP, 0,
                 "owes {{ amount }} by Monday.");
    check_render(text, tags, LEVERS_TAG_MISSING_EMPTY, 0,
                 "owes  by Monday.");
    check_render(text, tags, LEVERS_TAG_MISSING_ERROR, 0,
                 "owes  by Monday.");
    check_render(text, NULL, LEVERS_TAG_MISSING_KEEP, 0,
                 "owes {{ amount }} by {{due_date}}.");
    check_render(text, NULL, LEVERS_TAG_MISSING_EMPTY, 0, "owes  by .");
    /* a null tag is present: it renders empty whatever the policy */
    check_render(text, "{\"amount\":null,\"due_date\":\"x\"}",
                 LEVERS_TAG_MISSING_KEEP, 0, "owes  by x.");
    /* kept placeholders are escaped too */
    check_render("{{ \"q\" }}", "{}", LEVERS_TAG_MISSING_KEEP, 1,
                 "{{ \\\"q\\\" }}");
}


static void
test_escaped(void **state)
{
    const char  *tags = "{\"q\":\"say \\\"hi\\\"\\n\\ttab\\\\\","
                        "\"c\":\"\\u0001\\u001f\\b\\f\\r\","
                        "\"s\":\"</script>\","
                        "\"ar\":\"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\","
                        "\"emoji\":\"\xf0\x9f\x98\x80\","
                        "\"o\":{\"k\":\"a\\\"b\",\"n\":[1.5,null]},"
                        "\"i\":3}";

    (void) state;

    /* literal segments */
    check_render("He said \"pay\"\n\tnow \\ </script> \x01",
                 NULL, LEVERS_TAG_MISSING_ERROR, 1,
                 "He said \\\"pay\\\"\\n\\tnow \\\\ </script> \\u0001");
    check_render("THE END: ASCII letters, digits 0-9 and ~ stay as they are",
                 NULL, LEVERS_TAG_MISSING_ERROR, 1,
                 "THE END: ASCII letters, digits 0-9 and ~ stay as they are");
    check_render("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
                 "\xf0\x9f\x98\x80", NULL, LEVERS_TAG_MISSING_ERROR, 1,
                 "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
                 "\xf0\x9f\x98\x80");

    /* values */
    check_render("{{q}}", tags, LEVERS_TAG_MISSING_ERROR, 1,
                 "say \\\"hi\\\"\\n\\ttab\\\\");
    check_render("{{c}}", tags, LEVERS_TAG_MISSING_ERROR, 1,
                 "\\u0001\\u001f\\b\\f\\r");
    check_render("{{s}}", tags, LEVERS_TAG_MISSING_ERROR, 1, "</script>");
    check_render("{{ar}}{{emoji}}", tags, LEVERS_TAG_MISSING_ERROR, 1,
                 "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7"
                 "\xf0\x9f\x98\x80");
    check_render("{{o}}", tags, LEVERS_TAG_MISSING_ERROR, 1,
                 "{\\\"k\\\":\\\"a\\\\\\\"b\\\",\\\"n\\\":[1.5,null]}");
    check_render("\"{{i}}\"", tags, LEVERS_TAG_MISSING_ERROR, 1,
                 "\\\"3\\\"");
}


static void
test_escaped_is_valid_json_string(void **state)
{
    out_t          out;
    json_t        *parsed;
    tags_t        *tags;
    json_error_t   jerr;
    levers_tpl_t  *tpl;

    (void) state;

    memset(&out, 0, sizeof(out));

    tpl = compile("Line \"1\"\n{{o}}\t{{s}} \xd9\x85");
    tags = tags_of("{\"o\":{\"x\":\"\\\"\\\\\\n\"},\"s\":\"\\u0002\"}");

    assert_int_equal(out_write(&out, "[\"", 2), 0);
    assert_int_equal(levers_tpl_render(tpl, TAGS(tags),
                                       LEVERS_TAG_MISSING_ERROR, 1,
                                       out_write, &out), 0);
    assert_int_equal(out_write(&out, "\"]", 2), 0);

    parsed = json_loads(out.buf, 0, &jerr);
    assert_non_null(parsed);
    assert_string_equal(json_string_value(json_array_get(parsed, 0)),
                        "Line \"1\"\n{\"x\":\"\\\"\\\\\\n\"}\t\x02 \xd9\x85");

    json_decref(parsed);
    tags_free(tags);
    levers_tpl_free(tpl);
}


static void
test_placeholder_keys(void **state)
{
    size_t         len;
    const char    *key;
    levers_tpl_t  *tpl;

    (void) state;

    tpl = compile("{{ a }} x {{b}} {{a}} {{ long key }}");

    assert_int_equal(levers_tpl_placeholders(tpl), 4);

    key = levers_tpl_key(tpl, 0, &len);
    assert_int_equal(len, 1);
    assert_string_equal(key, "a");

    key = levers_tpl_key(tpl, 1, &len);
    assert_string_equal(key, "b");

    key = levers_tpl_key(tpl, 2, &len);
    assert_string_equal(key, "a");

    key = levers_tpl_key(tpl, 3, &len);
    assert_int_equal(len, 8);
    assert_string_equal(key, "long key");

    assert_null(levers_tpl_key(tpl, 4, &len));

    levers_tpl_free(tpl);

    tpl = compile("no placeholders }}");
    assert_int_equal(levers_tpl_placeholders(tpl), 0);
    levers_tpl_free(tpl);
}


static void
test_check(void **state)
{
    tags_t        *tags;
    missing_t      m;
    levers_tpl_t  *tpl;

    (void) state;

    tpl = compile("{{c}} {{a}} {{ b }} {{ c }} {{d}} {{a}} {{e}}");
    tags = tags_of("{\"b\":1,\"e\":null}");

    memset(&m, 0, sizeof(m));
    assert_int_equal(levers_tpl_check(tpl, TAGS(tags), on_missing, &m), 3);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.keys[0], "c");
    assert_string_equal(m.keys[1], "a");
    assert_string_equal(m.keys[2], "d");

    /* no tags at all: every distinct key, once, in order */
    memset(&m, 0, sizeof(m));
    assert_int_equal(levers_tpl_check(tpl, NULL, on_missing, &m), 5);
    assert_string_equal(m.keys[0], "c");
    assert_string_equal(m.keys[1], "a");
    assert_string_equal(m.keys[2], "b");
    assert_string_equal(m.keys[3], "d");
    assert_string_equal(m.keys[4], "e");

    /* counting only */
    assert_int_equal(levers_tpl_check(tpl, TAGS(tags), NULL, NULL), 3);

    /* the callback can stop the check */
    memset(&m, 0, sizeof(m));
    m.fail = 1;
    assert_int_equal(levers_tpl_check(tpl, TAGS(tags), on_missing, &m), -1);

    tags_free(tags);

    /* nothing missing */
    tags = tags_of("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}");
    memset(&m, 0, sizeof(m));
    assert_int_equal(levers_tpl_check(tpl, TAGS(tags), on_missing, &m), 0);
    assert_int_equal(m.n, 0);

    tags_free(tags);
    levers_tpl_free(tpl);
}


static void
test_compile_errors(void **state)
{
    (void) state;

    check_error("abc {{amount", "unterminated \"{{\" at offset 4");
    check_error("abc {{", "unterminated \"{{\" at offset 4");
    check_error("{{amount}", "unterminated \"{{\" at offset 0");
    check_error("ok {{a}} then {{b", "unterminated \"{{\" at offset 14");
    check_error("{{a}b}}", "unexpected \"}\" in placeholder at offset 3");
    check_error("{{a{b}}", "unexpected \"{\" in placeholder at offset 3");
    check_error("x {{a {{b}}", "unexpected \"{\" in placeholder at offset 6");
    check_error("{{}}", "empty placeholder at offset 0");
    check_error("ab {{ }}", "empty placeholder at offset 3");
    check_error("{{ \t }}", "empty placeholder at offset 0");
    check_error("{{{}}}", "empty placeholder at offset 1");
    /* offsets count characters: five Arabic letters are ten bytes */
    check_error("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 {{x",
                "unterminated \"{{\" at offset 6");

    /* a NULL error buffer is allowed */
    assert_null(levers_tpl_compile("{{", 2, NULL, 0));
}


static void
test_write_failure(void **state)
{
    int            i;
    out_t          out;
    tags_t        *tags;
    levers_tpl_t  *tpl;

    (void) state;

    tpl = compile("a {{s}} b {{o}} c {{missing}}");
    tags = tags_of("{\"s\":\"x\\\"y\",\"o\":{\"k\":[1,2]}}");

    /* failing any single write makes the whole render fail */

    for (i = 1; i < 6; i++) {
        memset(&out, 0, sizeof(out));
        out.fail_at = i;
        assert_int_equal(levers_tpl_render(tpl, TAGS(tags),
                                           LEVERS_TAG_MISSING_KEEP, i & 1,
                                           out_write, &out), -1);
    }

    tags_free(tags);
    levers_tpl_free(tpl);
}


/* template files */


static char *
write_file(const char *content)
{
    int     fd;
    char   *path;
    size_t  len;

    path = strdup("/tmp/test_template_XXXXXX");
    assert_non_null(path);

    fd = mkstemp(path);
    assert_true(fd >= 0);

    len = strlen(content);
    assert_int_equal(write(fd, content, len), (ssize_t) len);
    close(fd);

    return path;
}


static levers_template_t *
load(const char *content, char *err, size_t errlen)
{
    char               *path;
    levers_template_t  *t;

    path = write_file(content);
    t = levers_template_load(path, err, errlen);
    unlink(path);
    free(path);

    return t;
}


static void
check_load_error(const char *content, const char *expected)
{
    char  err[256];

    strcpy(err, "untouched");

    assert_null(load(content, err, sizeof(err)));
    assert_string_equal(err, expected);
}


static void
test_load_full(void **state)
{
    char                err[256];
    out_t               out;
    tags_t             *tags;
    levers_template_t  *t;

    (void) state;

    t = load("{\"systemPrompt\": \"Owes {{ amount }}.\",\n"
             " \"knowledgeBase\": \"Plans for {{name}}\",\n"
             " \"settings\": {\"voice\": \"ar-SA\", \"maxMinutes\": 5,"
             " \"nested\": {\"a\": [1.5]}}}\n", err, sizeof(err));
    if (t == NULL) {
        fail_msg("load: %s", err);
    }

    assert_non_null(t->system_prompt);
    assert_non_null(t->knowledge_base);
    assert_non_null(t->settings);

    assert_true(json_is_object(t->settings));
    assert_string_equal(json_string_value(json_object_get(t->settings,
                                                          "voice")),
                        "ar-SA");
    assert_int_equal(json_integer_value(json_object_get(t->settings,
                                                        "maxMinutes")), 5);
    assert_int_equal(t->settings->refcount, 1);

    tags = tags_of("{\"amount\":\"5 SAR\",\"name\":\"Ahmed\"}");

    memset(&out, 0, sizeof(out));
    assert_int_equal(levers_tpl_render(t->system_prompt, TAGS(tags),
                                       LEVERS_TAG_MISSING_ERROR, 0,
                                       out_write, &out), 0);
    assert_string_equal(out.buf, "Owes 5 SAR.");

    memset(&out, 0, sizeof(out));
    assert_int_equal(levers_tpl_render(t->knowledge_base, TAGS(tags),
                                       LEVERS_TAG_MISSING_ERROR, 0,
                                       out_write, &out), 0);
    assert_string_equal(out.buf, "Plans for Ahmed");

    tags_free(tags);
    levers_template_free(t);
}


static void
test_load_minimal(void **state)
{
    char                err[256];
    levers_template_t  *t;

    (void) state;

    t = load("{\"systemPrompt\": \"Hello\"}", err, sizeof(err));
    assert_non_null(t);
    assert_non_null(t->system_prompt);
    assert_null(t->knowledge_base);
    assert_null(t->settings);
    assert_int_equal(levers_tpl_placeholders(t->system_prompt), 0);
    levers_template_free(t);

    t = load("{\"systemPrompt\": \"\", \"knowledgeBase\": null,"
             " \"settings\": null}", err, sizeof(err));
    assert_non_null(t);
    assert_null(t->knowledge_base);
    assert_null(t->settings);
    levers_template_free(t);

    levers_template_free(NULL);
}


static void
test_load_errors(void **state)
{
    char  err[256];

    (void) state;

    assert_null(levers_template_load("/nonexistent/levers/t.json", err,
                                     sizeof(err)));
    assert_string_equal(err, "cannot open the file: No such file or"
                        " directory");

    assert_null(levers_template_load("/tmp", err, sizeof(err)));
    assert_string_equal(err, "cannot read the file: Is a directory");

    check_load_error("", "invalid JSON at line 1, column 0: '[' or '{'"
                     " expected near end of file");
    check_load_error("{\"systemPrompt\": \"a\",\n \"settings\": {]}",
                     "invalid JSON at line 2, column 15: string or '}'"
                     " expected near ']'");
    check_load_error("{\"systemPrompt\": \"a\"} x",
                     "invalid JSON at line 1, column 23: end of file"
                     " expected near 'x'");
    check_load_error("{\"systemPrompt\": \"a\", \"systemPrompt\": \"b\"}",
                     "invalid JSON at line 1, column 36: duplicate object"
                     " key near '\"systemPrompt\"'");
    check_load_error("[\"systemPrompt\"]",
                     "the template must be a JSON object");
    check_load_error("{}", "\"systemPrompt\" is missing");
    check_load_error("{\"knowledgeBase\": \"x\"}",
                     "\"systemPrompt\" is missing");
    check_load_error("{\"systemPrompt\": null}",
                     "\"systemPrompt\" must be a string");
    check_load_error("{\"systemPrompt\": [\"a\"]}",
                     "\"systemPrompt\" must be a string");
    check_load_error("{\"systemPrompt\": \"a\", \"knowledgeBase\": 1}",
                     "\"knowledgeBase\" must be a string or null");
    check_load_error("{\"systemPrompt\": \"a\", \"settings\": []}",
                     "\"settings\" must be an object or null");
    check_load_error("{\"systemPrompt\": \"a\", \"settings\": \"x\"}",
                     "\"settings\" must be an object or null");
    check_load_error("{\"systemPrompt\": \"a\", \"knowledgebase\": \"b\"}",
                     "unknown field \"knowledgebase\" (expected"
                     " \"systemPrompt\", \"knowledgeBase\" or"
                     " \"settings\")");
    check_load_error("{\"systemPrompt\": \"owes {{amount\"}",
                     "\"systemPrompt\": unterminated \"{{\" at offset 5");
    check_load_error("{\"systemPrompt\": \"a\", \"knowledgeBase\": \"{{ }}\"}",
                     "\"knowledgeBase\": empty placeholder at offset 0");
}


int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_example),
        cmocka_unit_test(test_spaces_inside_braces),
        cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_single_pass),
        cmocka_unit_test(test_literal_braces),
        cmocka_unit_test(test_missing_policies),
        cmocka_unit_test(test_escaped),
        cmocka_unit_test(test_escaped_is_valid_json_string),
        cmocka_unit_test(test_placeholder_keys),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_load_full),
        cmocka_unit_test(test_load_minimal),
        cmocka_unit_test(test_load_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

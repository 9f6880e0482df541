/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * AI settings templates (contract section 3.3, 3.4): a JSON file with
 * "systemPrompt", optional "knowledgeBase" and optional "settings",
 * compiled once at configuration time into literal and placeholder
 * segments, so rendering a prompt for a contact is a single pass with no
 * searching.
 *
 * Placeholders are {{key}}, with optional spaces inside the braces.
 * Values come from the contact's promptTags (levers_tags_t, each value
 * already made into its text when the contact was read): strings as they
 * are, other JSON values as compact JSON, null as empty text.
 * Replacement is single pass: a value containing {{x}} is not expanded.
 *
 * Syntax, decided here:
 *  - the key is the text between "{{" and "}}" with ASCII spaces, tabs,
 *    CR and LF trimmed from both ends; it may hold any character except
 *    "{" and "}" (inner spaces included: "{{due date}}" is key
 *    "due date"), and must not be empty: "{{}}", "{{ }}" are errors
 *    "empty placeholder at offset N";
 *  - a "{{" with no "}}" after it is an error "unterminated \"{{\" at
 *    offset N"; a "{" or a single "}" between "{{" and "}}" is an error
 *    "unexpected \"}\" in placeholder at offset N";
 *  - a lone "}}", a single "{" or "}" are literal text;
 *  - in a run of three or more "{", the last two open the placeholder
 *    and the rest is literal, and the first "}}" closes it: "{{{x}}}"
 *    renders as "{" value "}", so JSON-like prompts such as
 *    {"amount":{{amount}}} work as they read;
 *  - there is no way to write a literal "{{" followed by "}}";
 *  - offsets in errors count characters (code points) from 0.
 *
 * A tag missing from promptTags renders, by policy: KEEP, the
 * placeholder exactly as written ("{{ amount }}" keeps its spaces);
 * EMPTY, nothing; ERROR, nothing as well: the caller is expected to
 * have called levers_tpl_check() and answered 422 before rendering.
 *
 * Template files: a JSON object with "systemPrompt" (string, required),
 * "knowledgeBase" (string or null) and "settings" (object or null);
 * other fields and duplicated fields are refused.  Error texts do not
 * name the file: the caller adds the path.
 *
 * Pure C over jansson: no nginx types.  Unit tested in
 * t/unit/test_template.c.
 */

#ifndef LEVERS_TEMPLATE_H
#define LEVERS_TEMPLATE_H

#include <stddef.h>
#include <jansson.h>
#include "levers_json.h"
#include "levers_validate.h"


typedef struct levers_tpl_s  levers_tpl_t;   /* one compiled prompt */


typedef struct {
    levers_tpl_t  *system_prompt;    /* never NULL */
    levers_tpl_t  *knowledge_base;   /* NULL when the file has none */
    json_t        *settings;         /* object, owned; NULL when absent */
} levers_template_t;


typedef enum {
    LEVERS_TAG_MISSING_ERROR = 0,    /* caller reports a 422 "missing" */
    LEVERS_TAG_MISSING_KEEP,         /* render "{{key}}" as written */
    LEVERS_TAG_MISSING_EMPTY         /* render nothing */
} levers_tag_missing_e;


/*
 * Compiles prompt text.  NULL on error, with a reason in err
 * (e.g. "unterminated \"{{\" at offset 12").
 */
levers_tpl_t *levers_tpl_compile(const char *text, size_t len, char *err,
    size_t errlen);
void levers_tpl_free(levers_tpl_t *tpl);

/* number of placeholders, and the key of the n-th one */
size_t levers_tpl_placeholders(const levers_tpl_t *tpl);
const char *levers_tpl_key(const levers_tpl_t *tpl, size_t n, size_t *len);

/*
 * Reads and compiles a template file.  NULL on error, with the reason in
 * err (missing file, bad JSON with line/column, wrong field types,
 * template syntax).
 */
levers_template_t *levers_template_load(const char *path, char *err,
    size_t errlen);
void levers_template_free(levers_template_t *t);

/*
 * Calls missing(data, key, keylen) once for every distinct placeholder key
 * of tpl that tags (an object or NULL) lacks, in order of first use.
 * Returns the number of such keys, or -1 when missing() returned -1.
 */
typedef int (*levers_tpl_missing_pt)(void *data, const char *key,
    size_t len);

int levers_tpl_check(const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_tpl_missing_pt missing, void *data);

/*
 * Renders tpl with tags through write, as raw text (escape = 0) or as the
 * inside of a JSON string (escape = 1, via levers_json_dump_string_body),
 * so a prompt can be written straight into a gateway payload.  Returns 0,
 * or -1 when write failed.
 */
int levers_tpl_render(const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_tag_missing_e policy, int escape, levers_json_write_pt write,
    void *data);

#endif /* LEVERS_TEMPLATE_H */

/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * AI settings templates: compile prompt text into segments once, at
 * configuration time, and render them per contact in one pass.
 *
 * A compiled prompt is one allocation: the levers_tpl_t header, the
 * segment array, the array of placeholder pointers and a character pool
 * holding the raw text, the trimmed keys and the JSON-escaped form of
 * every literal.  Compiling scans the text twice: the first pass checks
 * the syntax and measures, the second fills the allocation, so no buffer
 * is ever grown and freeing is a single free().
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levers_template.h"


typedef struct {
    const char        *raw;       /* literal, or placeholder as written */
    size_t             raw_len;
    const char        *esc;       /* literal escaped for a JSON string */
    size_t             esc_len;
    const char        *key;       /* trimmed, NUL-terminated; NULL: literal */
    size_t             key_len;
    unsigned           first;     /* first placeholder with this key */
} levers_tpl_seg_t;


struct levers_tpl_s {
    levers_tpl_seg_t   *segs;
    size_t              nsegs;
    levers_tpl_seg_t  **placeholders;
    size_t              nplaceholders;
};


/* one "{{ key }}" found by the scanner, as byte offsets into the text */
typedef struct {
    size_t              start;     /* first "{" */
    size_t              end;       /* just after the last "}" */
    size_t              key;       /* first byte of the trimmed key */
    size_t              key_len;
} levers_tpl_token_t;


/* what the first compile pass measures */
typedef struct {
    size_t              nsegs;
    size_t              nplaceholders;
    size_t              pool;      /* bytes of character pool needed */
} levers_tpl_size_t;


/* a writer that fills a fixed buffer (the second compile pass) */
typedef struct {
    char               *pos;
    char               *end;
} levers_tpl_buf_t;


static void levers_tpl_error(char *err, size_t errlen, const char *fmt, ...);
static size_t levers_tpl_char_offset(const char *text, size_t pos);
static int levers_tpl_is_space(char c);
static int levers_tpl_next(const char *text, size_t len, size_t pos,
    levers_tpl_token_t *tok, char *err, size_t errlen);
static int levers_tpl_count(void *data, const char *buf, size_t len);
static int levers_tpl_copy(void *data, const char *buf, size_t len);
static int levers_tpl_measure(const char *text, size_t len,
    levers_tpl_size_t *size, char *err, size_t errlen);
static int levers_tpl_add_literal(levers_tpl_seg_t *seg, const char *raw,
    size_t len, levers_tpl_buf_t *pool);
static void levers_tpl_add_placeholder(levers_tpl_t *tpl,
    levers_tpl_seg_t *seg, const char *raw, const levers_tpl_token_t *tok,
    levers_tpl_buf_t *pool);
static int levers_tpl_write(const char *s, size_t len,
    levers_json_write_pt write, void *data);
static char *levers_template_read(const char *path, size_t *len, char *err,
    size_t errlen);
static int levers_template_check_fields(json_t *root, char *err,
    size_t errlen);
static levers_tpl_t *levers_template_compile_field(json_t *root,
    const char *name, char *err, size_t errlen);


static void
levers_tpl_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list  args;

    if (err == NULL || errlen == 0) {
        return;
    }

    va_start(args, fmt);
    vsnprintf(err, errlen, fmt, args);
    va_end(args);
}


/*
 * Error offsets are counted in characters (Unicode code points) from 0,
 * which is what an editor shows for a prompt written in Arabic.
 */

static size_t
levers_tpl_char_offset(const char *text, size_t pos)
{
    size_t  i, n;

    n = 0;

    for (i = 0; i < pos; i++) {
        if (((unsigned char) text[i] & 0xc0) != 0x80) {
            n++;
        }
    }

    return n;
}


static int
levers_tpl_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/*
 * Finds the next placeholder at or after pos.  Returns 1 and fills tok,
 * 0 when there is none, -1 on a syntax error.
 *
 * In a run of three or more "{", the last two open the placeholder and
 * the others are literal text; the first "}}" after the key closes it, so
 * "{{{x}}}" is "{", the value of x, "}".
 */

static int
levers_tpl_next(const char *text, size_t len, size_t pos,
    levers_tpl_token_t *tok, char *err, size_t errlen)
{
    size_t  i, j, k, e;

    for (i = pos; i + 1 < len; i++) {

        if (text[i] != '{' || text[i + 1] != '{') {
            continue;
        }

        while (i + 2 < len && text[i + 2] == '{') {
            i++;
        }

        for (j = i + 2; j < len; j++) {
            if (text[j] == '{' || text[j] == '}') {
                break;
            }
        }

        if (j + 1 >= len) {
            levers_tpl_error(err, errlen,
                             "unterminated \"{{\" at offset %zu",
                             levers_tpl_char_offset(text, i));
            return -1;
        }

        if (text[j] == '{' || text[j + 1] != '}') {
            levers_tpl_error(err, errlen,
                             "unexpected \"%c\" in placeholder at offset %zu",
                             text[j], levers_tpl_char_offset(text, j));
            return -1;
        }

        k = i + 2;
        e = j;

        while (k < e && levers_tpl_is_space(text[k])) {
            k++;
        }

        while (e > k && levers_tpl_is_space(text[e - 1])) {
            e--;
        }

        if (k == e) {
            levers_tpl_error(err, errlen, "empty placeholder at offset %zu",
                             levers_tpl_char_offset(text, i));
            return -1;
        }

        tok->start = i;
        tok->end = j + 2;
        tok->key = k;
        tok->key_len = e - k;

        return 1;
    }

    return 0;
}


static int
levers_tpl_count(void *data, const char *buf, size_t len)
{
    (void) buf;

    *(size_t *) data += len;

    return 0;
}


static int
levers_tpl_copy(void *data, const char *buf, size_t len)
{
    levers_tpl_buf_t  *b = data;

    if ((size_t) (b->end - b->pos) < len) {
        return -1;
    }

    memcpy(b->pos, buf, len);
    b->pos += len;

    return 0;
}


/*
 * First pass: checks the syntax and counts segments and pool bytes
 * (raw text, NUL-terminated keys, escaped literals).
 */

static int
levers_tpl_measure(const char *text, size_t len, levers_tpl_size_t *size,
    char *err, size_t errlen)
{
    int                 rc;
    size_t              pos, esc;
    levers_tpl_token_t  tok;

    size->nsegs = 0;
    size->nplaceholders = 0;
    size->pool = len;
    pos = 0;

    for ( ;; ) {
        rc = levers_tpl_next(text, len, pos, &tok, err, errlen);

        if (rc == -1) {
            return -1;
        }

        if (rc == 0) {
            tok.start = len;
        }

        if (tok.start > pos) {
            esc = 0;

            if (levers_json_dump_string_body(text + pos, tok.start - pos,
                                             levers_tpl_count, &esc)
                != 0)
            {
                levers_tpl_error(err, errlen, "cannot escape text");
                return -1;
            }

            size->nsegs++;
            size->pool += esc;
        }

        if (rc == 0) {
            return 0;
        }

        size->nsegs++;
        size->nplaceholders++;
        size->pool += tok.key_len + 1;
        pos = tok.end;
    }
}


static int
levers_tpl_add_literal(levers_tpl_seg_t *seg, const char *raw, size_t len,
    levers_tpl_buf_t *pool)
{
    seg->raw = raw;
    seg->raw_len = len;
    seg->esc = pool->pos;

    if (levers_json_dump_string_body(raw, len, levers_tpl_copy, pool) != 0) {
        return -1;
    }

    seg->esc_len = pool->pos - seg->esc;
    seg->key = NULL;
    seg->key_len = 0;
    seg->first = 0;

    return 0;
}


static void
levers_tpl_add_placeholder(levers_tpl_t *tpl, levers_tpl_seg_t *seg,
    const char *raw, const levers_tpl_token_t *tok, levers_tpl_buf_t *pool)
{
    size_t  i;

    seg->raw = raw + tok->start;
    seg->raw_len = tok->end - tok->start;
    seg->esc = NULL;
    seg->esc_len = 0;
    seg->key = pool->pos;
    seg->key_len = tok->key_len;
    seg->first = 1;

    memcpy(pool->pos, raw + tok->key, tok->key_len);
    pool->pos[tok->key_len] = '\0';
    pool->pos += tok->key_len + 1;

    /* done once here, so levers_tpl_check() needs no search */

    for (i = 0; i < tpl->nplaceholders; i++) {
        if (tpl->placeholders[i]->key_len == seg->key_len
            && memcmp(tpl->placeholders[i]->key, seg->key, seg->key_len)
               == 0)
        {
            seg->first = 0;
            break;
        }
    }

    tpl->placeholders[tpl->nplaceholders++] = seg;
}


levers_tpl_t *
levers_tpl_compile(const char *text, size_t len, char *err, size_t errlen)
{
    int                 rc;
    char               *p, *raw;
    size_t              pos, head;
    levers_tpl_t       *tpl;
    levers_tpl_buf_t    pool;
    levers_tpl_size_t   size;
    levers_tpl_token_t  tok;

    if (levers_tpl_measure(text, len, &size, err, errlen) != 0) {
        return NULL;
    }

    /* header, segments and placeholder pointers are all pointer-aligned */

    head = sizeof(levers_tpl_t)
           + size.nsegs * sizeof(levers_tpl_seg_t)
           + size.nplaceholders * sizeof(levers_tpl_seg_t *);

    p = malloc(head + size.pool + 1);
    if (p == NULL) {
        levers_tpl_error(err, errlen, "out of memory");
        return NULL;
    }

    tpl = (levers_tpl_t *) p;
    tpl->segs = (levers_tpl_seg_t *) (p + sizeof(levers_tpl_t));
    tpl->nsegs = 0;
    tpl->placeholders = (levers_tpl_seg_t **) (tpl->segs + size.nsegs);
    tpl->nplaceholders = 0;

    raw = p + head;

    if (len != 0) {
        memcpy(raw, text, len);
    }

    pool.pos = raw + len;
    pool.end = p + head + size.pool + 1;

    pos = 0;

    for ( ;; ) {
        rc = levers_tpl_next(raw, len, pos, &tok, NULL, 0);

        if (rc != 1) {
            tok.start = len;
        }

        if (tok.start > pos) {
            if (levers_tpl_add_literal(&tpl->segs[tpl->nsegs++], raw + pos,
                                       tok.start - pos, &pool)
                != 0)
            {
                free(p);
                levers_tpl_error(err, errlen, "cannot escape text");
                return NULL;
            }
        }

        if (rc != 1) {
            break;
        }

        levers_tpl_add_placeholder(tpl, &tpl->segs[tpl->nsegs++], raw,
                                   &tok, &pool);
        pos = tok.end;
    }

    return tpl;
}


void
levers_tpl_free(levers_tpl_t *tpl)
{
    free(tpl);
}


size_t
levers_tpl_placeholders(const levers_tpl_t *tpl)
{
    return tpl->nplaceholders;
}


const char *
levers_tpl_key(const levers_tpl_t *tpl, size_t n, size_t *len)
{
    if (n >= tpl->nplaceholders) {
        return NULL;
    }

    if (len) {
        *len = tpl->placeholders[n]->key_len;
    }

    return tpl->placeholders[n]->key;
}


int
levers_tpl_check(const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_tpl_missing_pt missing, void *data)
{
    int                      n;
    size_t                   i;
    const levers_tpl_seg_t  *seg;

    n = 0;

    for (i = 0; i < tpl->nplaceholders; i++) {
        seg = tpl->placeholders[i];

        if (!seg->first
            || levers_tags_get(tags, seg->key, seg->key_len) != NULL)
        {
            continue;
        }

        if (missing != NULL && missing(data, seg->key, seg->key_len) == -1) {
            return -1;
        }

        n++;
    }

    return n;
}


/*
 * Every piece is already in the form it is written in: literals escaped
 * at configuration time, tag values when the contact was read.
 */

int
levers_tpl_render(const levers_tpl_t *tpl, const levers_tags_t *tags,
    levers_tag_missing_e policy, int escape, levers_json_write_pt write,
    void *data)
{
    int                      rc;
    size_t                   i;
    const levers_tag_t      *tag;
    const levers_tpl_seg_t  *seg;

    for (i = 0; i < tpl->nsegs; i++) {
        seg = &tpl->segs[i];

        if (seg->key == NULL) {
            rc = escape ? write(data, seg->esc, seg->esc_len)
                        : write(data, seg->raw, seg->raw_len);

        } else if ((tag = levers_tags_get(tags, seg->key, seg->key_len))) {
            rc = escape ? levers_tpl_write(tag->esc.data, tag->esc.len,
                                           write, data)
                        : levers_tpl_write(tag->raw.data, tag->raw.len,
                                           write, data);

        } else if (policy == LEVERS_TAG_MISSING_KEEP) {
            rc = escape ? levers_json_dump_string_body(seg->raw, seg->raw_len,
                                                       write, data)
                        : write(data, seg->raw, seg->raw_len);

        } else {
            rc = 0;
        }

        if (rc != 0) {
            return -1;
        }
    }

    return 0;
}


static int
levers_tpl_write(const char *s, size_t len, levers_json_write_pt write,
    void *data)
{
    return len ? write(data, s, len) : 0;
}


/* template files */


static char *
levers_template_read(const char *path, size_t *len, char *err,
    size_t errlen)
{
    char    *buf, *nbuf;
    FILE    *f;
    size_t   n, size;

    f = fopen(path, "rb");
    if (f == NULL) {
        levers_tpl_error(err, errlen, "cannot open the file: %s",
                         strerror(errno));
        return NULL;
    }

    buf = NULL;
    size = 0;
    *len = 0;

    for ( ;; ) {
        if (*len == size) {
            size = size ? size * 2 : 4096;

            nbuf = realloc(buf, size);
            if (nbuf == NULL) {
                levers_tpl_error(err, errlen, "out of memory");
                goto failed;
            }

            buf = nbuf;
        }

        n = fread(buf + *len, 1, size - *len, f);
        *len += n;

        if (n == 0) {
            break;
        }
    }

    if (ferror(f)) {
        levers_tpl_error(err, errlen, "cannot read the file: %s",
                         strerror(errno));
        goto failed;
    }

    fclose(f);

    return buf;

failed:

    free(buf);
    fclose(f);

    return NULL;
}


/*
 * Unknown top-level fields are refused: a misspelt "knowledgebase" would
 * otherwise be dropped without a word.
 */

static int
levers_template_check_fields(json_t *root, char *err, size_t errlen)
{
    json_t      *v;
    const char  *key;

    json_object_foreach(root, key, v) {
        if (strcmp(key, "systemPrompt") != 0
            && strcmp(key, "knowledgeBase") != 0
            && strcmp(key, "settings") != 0)
        {
            levers_tpl_error(err, errlen,
                             "unknown field \"%s\" (expected \"systemPrompt\","
                             " \"knowledgeBase\" or \"settings\")", key);
            return -1;
        }
    }

    v = json_object_get(root, "systemPrompt");

    if (v == NULL) {
        levers_tpl_error(err, errlen, "\"systemPrompt\" is missing");
        return -1;
    }

    if (!json_is_string(v)) {
        levers_tpl_error(err, errlen, "\"systemPrompt\" must be a string");
        return -1;
    }

    v = json_object_get(root, "knowledgeBase");

    if (v != NULL && !json_is_string(v) && !json_is_null(v)) {
        levers_tpl_error(err, errlen,
                         "\"knowledgeBase\" must be a string or null");
        return -1;
    }

    v = json_object_get(root, "settings");

    if (v != NULL && !json_is_object(v) && !json_is_null(v)) {
        levers_tpl_error(err, errlen,
                         "\"settings\" must be an object or null");
        return -1;
    }

    return 0;
}


static levers_tpl_t *
levers_template_compile_field(json_t *root, const char *name, char *err,
    size_t errlen)
{
    char           reason[256];
    json_t        *v;
    levers_tpl_t  *tpl;

    v = json_object_get(root, name);

    reason[0] = '\0';

    tpl = levers_tpl_compile(json_string_value(v), json_string_length(v),
                             reason, sizeof(reason));
    if (tpl == NULL) {
        levers_tpl_error(err, errlen, "\"%s\": %s", name, reason);
    }

    return tpl;
}


levers_template_t *
levers_template_load(const char *path, char *err, size_t errlen)
{
    char               *buf;
    size_t              len;
    json_t             *root, *settings;
    json_error_t        jerr;
    levers_template_t  *t;

    buf = levers_template_read(path, &len, err, errlen);
    if (buf == NULL) {
        return NULL;
    }

    /* a duplicated "systemPrompt" is a mistake, not "last one wins" */

    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    free(buf);

    if (root == NULL) {
        levers_tpl_error(err, errlen, "invalid JSON at line %d, column %d: %s",
                         jerr.line, jerr.column, jerr.text);
        return NULL;
    }

    t = NULL;

    if (!json_is_object(root)) {
        levers_tpl_error(err, errlen, "the template must be a JSON object");
        goto failed;
    }

    if (levers_template_check_fields(root, err, errlen) != 0) {
        goto failed;
    }

    t = calloc(1, sizeof(levers_template_t));
    if (t == NULL) {
        levers_tpl_error(err, errlen, "out of memory");
        goto failed;
    }

    t->system_prompt = levers_template_compile_field(root, "systemPrompt",
                                                     err, errlen);
    if (t->system_prompt == NULL) {
        goto failed;
    }

    if (json_is_string(json_object_get(root, "knowledgeBase"))) {
        t->knowledge_base = levers_template_compile_field(root,
                                                          "knowledgeBase",
                                                          err, errlen);
        if (t->knowledge_base == NULL) {
            goto failed;
        }
    }

    settings = json_object_get(root, "settings");

    if (json_is_object(settings)) {
        t->settings = json_incref(settings);
    }

    json_decref(root);

    return t;

failed:

    levers_template_free(t);
    json_decref(root);

    return NULL;
}


void
levers_template_free(levers_template_t *t)
{
    if (t == NULL) {
        return;
    }

    levers_tpl_free(t->system_prompt);
    levers_tpl_free(t->knowledge_base);
    json_decref(t->settings);
    free(t);
}

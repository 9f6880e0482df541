/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Unit tests for src/levers_contacts.c: from a validated request to the
 * call plan.  Numbers to E.164 (countryCode, default region, "+" numbers),
 * invalid numbers reported as pydantic "value_error" or skipped,
 * duplicates, numbers passed as sent, prompt tags checked against the
 * template, allocation failures and a 10 000 contact plan.
 *
 * Requests are built from JSON text with levers_validate_request(), as
 * the module does.
 *
 *   make -C t/unit build/test_contacts && t/unit/build/test_contacts
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "levers_contacts.h"
#include "arena.h"





typedef struct {
    arena_t              arena;
    json_t              *body;
    levers_request_t     req;
    levers_errors_t      errs;
    levers_plan_t        plan;
    levers_plan_conf_t   conf;
    levers_template_t    tpl;
} fx_t;


static int
fx_setup(void **state)
{
    fx_t  *fx;

    fx = calloc(1, sizeof(fx_t));
    assert_non_null(fx);
    assert_int_equal(levers_errors_init(&fx->errs, 0), 0);

    fx->conf.default_region = NULL;
    fx->conf.missing_tag = LEVERS_TAG_MISSING_ERROR;
    fx->conf.tpl = NULL;
    fx->conf.skip_invalid = 0;
    fx->conf.dedupe = 1;
    fx->conf.normalise = 1;

    *state = fx;

    return 0;
}


static int
fx_teardown(void **state)
{
    fx_t  *fx = *state;

    levers_errors_free(&fx->errs);
    json_decref(fx->body);
    levers_tpl_free(fx->tpl.system_prompt);
    levers_tpl_free(fx->tpl.knowledge_base);
    json_decref(fx->tpl.settings);
    arena_free(&fx->arena);
    free(fx);

    return 0;
}


/* a template built in memory: kb may be NULL */

static void
fx_template(fx_t *fx, const char *sp, const char *kb)
{
    char  err[128];

    fx->tpl.system_prompt = levers_tpl_compile(sp, strlen(sp), err,
                                               sizeof(err));
    assert_non_null(fx->tpl.system_prompt);

    if (kb) {
        fx->tpl.knowledge_base = levers_tpl_compile(kb, strlen(kb), err,
                                                    sizeof(err));
        assert_non_null(fx->tpl.knowledge_base);
    }

    fx->conf.tpl = &fx->tpl;
}


/* validates the body (which must be valid) and plans it */

static int
fx_plan(fx_t *fx, const char *text)
{
    json_error_t  jerr;

    fx->body = json_loads(text, 0, &jerr);
    if (fx->body == NULL) {
        fail_msg("bad test JSON: %s at %d: %s", jerr.text, jerr.position,
                 text);
    }

    assert_int_equal(levers_validate_request(fx->body, &fx->req, &fx->errs,
                                             arena_alloc, &fx->arena), 0);
    assert_int_equal(fx->errs.total, 0);

    return levers_plan(&fx->req, &fx->conf, &fx->plan, &fx->errs,
                       arena_alloc, &fx->arena);
}


static void
assert_json_equal(json_t *got, const char *expected)
{
    char          *dump;
    json_t        *want;
    json_error_t   jerr;

    want = json_loads(expected, JSON_DECODE_ANY, &jerr);
    if (want == NULL) {
        fail_msg("bad expected JSON: %s: %s", jerr.text, expected);
    }

    if (!json_equal(got, want)) {
        dump = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
        print_error("expected: %s\n     got: %s\n", expected,
                    dump ? dump : "(null)");
        free(dump);
        json_decref(want);
        fail();
    }

    json_decref(want);
}


static void
assert_calls(const levers_plan_t *plan, const size_t *want, size_t n)
{
    size_t  k;

    assert_int_equal(plan->ncalls, n);

    for (k = 0; k < n; k++) {
        assert_int_equal(plan->calls[k], want[k]);
    }
}


static void
assert_outcome(const levers_plan_t *plan, size_t i, const char *e164,
    int skip)
{
    const levers_outcome_t  *o = &plan->out[i];

    assert_string_equal(o->e164, e164);
    assert_int_equal(o->e164_len, strlen(e164));
    assert_int_equal(o->skip, skip);
    assert_null(o->call_id);
    assert_int_equal(o->call_id_len, 0);
    assert_int_equal(o->accepted, 0);
}


/* numbers */

static void
test_plan_country_code(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3, 4 };

    /* countryCode wins over the location's default region */
    fx->conf.default_region = "US";

    assert_int_equal(fx_plan(fx,
        "{\"countryCode\":\"SA\",\"contacts\":["
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"050-000-0002\"},"
        "{\"numberToCall\":\"+966 50 000 0003\"},"
        "{\"numberToCall\":\"00966500000004\"},"
        "{\"numberToCall\":\"\\u0660\\u0665\\u0660\\u0660\\u0660\\u0660"
        "\\u0660\\u0660\\u0660\\u0665\"}]}"), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 5);
    assert_int_equal(fx->plan.nskipped, 0);
    assert_outcome(&fx->plan, 0, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 1, "+966500000002", LEVERS_CALL);
    assert_outcome(&fx->plan, 2, "+966500000003", LEVERS_CALL);
    assert_outcome(&fx->plan, 3, "+966500000004", LEVERS_CALL);
    assert_outcome(&fx->plan, 4, "+966500000005", LEVERS_CALL);
}


static void
test_plan_country_code_overrides_default(void **state)
{
    fx_t  *fx = *state;

    /* a Saudi local number read as American is not valid */
    fx->conf.default_region = "SA";

    assert_int_equal(fx_plan(fx,
        "{\"countryCode\":\"US\",\"contacts\":["
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"(201) 555-0123\"}]}"), 1);

    assert_int_equal(fx->errs.total, 1);
    assert_json_equal(fx->errs.detail,
        "[{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",0,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: not a valid number\","
        "\"input\":\"0500000001\","
        "\"ctx\":{\"error\":\"Invalid phone number: not a valid number\"}}]");
    assert_string_equal(fx->plan.out[1].e164, "+12015550123");
}


static void
test_plan_default_region(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2 };

    fx->conf.default_region = "SA";

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"512345678\"},"
        "{\"numberToCall\":\"+44 7400 123456\"}],"
        "\"countryCode\":null}"), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 3);
    assert_outcome(&fx->plan, 0, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 1, "+966512345678", LEVERS_CALL);
    assert_outcome(&fx->plan, 2, "+447400123456", LEVERS_CALL);
}


static void
test_plan_plus_numbers_without_region(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3 };

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"+966500000001\"},"
        "{\"numberToCall\":\"+1 (201) 555-0123\"},"
        "{\"numberToCall\":\" +44 7400 123456 \"},"
        "{\"numberToCall\":\"tel:+971-50-123-4567\"}]}"), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 4);
    assert_int_equal(fx->plan.nskipped, 0);
    assert_outcome(&fx->plan, 0, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 1, "+12015550123", LEVERS_CALL);
    assert_outcome(&fx->plan, 2, "+447400123456", LEVERS_CALL);
    assert_outcome(&fx->plan, 3, "+971501234567", LEVERS_CALL);
}


/* one contact per reason, then a valid one, with no region */

#define INVALID_BODY                                                         \
    "{\"contacts\":["                                                        \
    "{\"numberToCall\":\"0500000001\"},"                                     \
    "{\"numberToCall\":\"12\\\"3 \\u0639\"},"                                \
    "{\"numberToCall\":\"+966 5\"},"                                         \
    "{\"numberToCall\":\"+96651234567812345678\"},"                          \
    "{\"numberToCall\":\"+1 555 0100\"},"                                    \
    "{\"numberToCall\":\"+966500000001\"}]}"


static void
test_plan_invalid_numbers_error(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 5 };

    assert_int_equal(fx_plan(fx, INVALID_BODY), 1);

    assert_int_equal(fx->errs.total, 5);
    assert_json_equal(fx->errs.detail,
        "[{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",0,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: invalid country code\","
        "\"input\":\"0500000001\","
        "\"ctx\":{\"error\":\"Invalid phone number: invalid country code\"}},"
        "{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",1,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: not a phone number\","
        "\"input\":\"12\\\"3 \\u0639\","
        "\"ctx\":{\"error\":\"Invalid phone number: not a phone number\"}},"
        "{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",2,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: too short\","
        "\"input\":\"+966 5\","
        "\"ctx\":{\"error\":\"Invalid phone number: too short\"}},"
        "{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",3,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: too long\","
        "\"input\":\"+96651234567812345678\","
        "\"ctx\":{\"error\":\"Invalid phone number: too long\"}},"
        "{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",4,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: not a valid number\","
        "\"input\":\"+1 555 0100\","
        "\"ctx\":{\"error\":\"Invalid phone number: not a valid number\"}}]");

    /* the valid contact is still planned */
    assert_calls(&fx->plan, want, 1);
    assert_string_equal(fx->plan.out[5].e164, "+966500000001");
}


static void
test_plan_invalid_numbers_capped(void **state)
{
    fx_t  *fx = *state;

    /* the operator's cap on listed errors: the count goes on */
    levers_errors_free(&fx->errs);
    assert_int_equal(levers_errors_init(&fx->errs, 2), 0);

    assert_int_equal(fx_plan(fx, INVALID_BODY), 1);

    assert_int_equal(fx->errs.total, 5);
    assert_int_equal(json_array_size(fx->errs.detail), 2);
    assert_json_equal(json_object_get(json_array_get(fx->errs.detail, 1),
                                      "input"), "\"12\\\"3 \\u0639\"");
}


static void
test_plan_invalid_numbers_skipped(void **state)
{
    fx_t          *fx = *state;
    size_t         i;
    const size_t   want[] = { 5 };
    const int      rcs[] = {
        LEVERS_PHONE_INVALID_COUNTRY, LEVERS_PHONE_NOT_A_NUMBER,
        LEVERS_PHONE_TOO_SHORT, LEVERS_PHONE_TOO_LONG, LEVERS_PHONE_INVALID
    };

    fx->conf.skip_invalid = 1;

    assert_int_equal(fx_plan(fx, INVALID_BODY), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_int_equal(json_array_size(fx->errs.detail), 0);
    assert_calls(&fx->plan, want, 1);
    assert_int_equal(fx->plan.nskipped, 5);

    for (i = 0; i < 5; i++) {
        assert_int_equal(fx->plan.out[i].skip, LEVERS_SKIP_INVALID_NUMBER);
        assert_int_equal(fx->plan.out[i].phone_rc, rcs[i]);
        assert_string_equal(levers_skip_reason(fx->plan.out[i].skip),
                            "invalid_number");
    }

    assert_outcome(&fx->plan, 5, "+966500000001", LEVERS_CALL);
}


/* duplicates */

#define DUPLICATES_BODY                                                      \
    "{\"countryCode\":\"SA\",\"contacts\":["                                 \
    "{\"numberToCall\":\"+966500000001\",\"firstName\":\"first\"},"          \
    "{\"numberToCall\":\"0500000001\"},"                                     \
    "{\"numberToCall\":\"0500000002\"},"                                     \
    "{\"numberToCall\":\"+966 50 000 0001\"},"                               \
    "{\"numberToCall\":\"050 000 0002\"},"                                   \
    "{\"numberToCall\":\"0500000003\"}]}"


static void
test_plan_duplicates(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 2, 5 };

    assert_int_equal(fx_plan(fx, DUPLICATES_BODY), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 3);
    assert_int_equal(fx->plan.nskipped, 3);

    /* the first wins; the others keep their normalised number */
    assert_outcome(&fx->plan, 0, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 1, "+966500000001", LEVERS_SKIP_DUPLICATE);
    assert_outcome(&fx->plan, 2, "+966500000002", LEVERS_CALL);
    assert_outcome(&fx->plan, 3, "+966500000001", LEVERS_SKIP_DUPLICATE);
    assert_outcome(&fx->plan, 4, "+966500000002", LEVERS_SKIP_DUPLICATE);
    assert_outcome(&fx->plan, 5, "+966500000003", LEVERS_CALL);
    assert_string_equal(levers_skip_reason(LEVERS_SKIP_DUPLICATE),
                        "duplicate");
}


static void
test_plan_dedupe_off(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3, 4, 5 };

    fx->conf.dedupe = 0;

    assert_int_equal(fx_plan(fx, DUPLICATES_BODY), 0);

    assert_calls(&fx->plan, want, 6);
    assert_int_equal(fx->plan.nskipped, 0);
    assert_outcome(&fx->plan, 1, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 3, "+966500000001", LEVERS_CALL);
    assert_outcome(&fx->plan, 4, "+966500000002", LEVERS_CALL);
}


static void
test_plan_duplicates_and_invalid_skipped(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 1, 4 };

    /*
     * Two equal invalid numbers are both "invalid_number", never
     * "duplicate"; an invalid contact does not hide a later valid one.
     */
    fx->conf.skip_invalid = 1;

    assert_int_equal(fx_plan(fx,
        "{\"countryCode\":\"SA\",\"contacts\":["
        "{\"numberToCall\":\"abc\"},"
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"abc\"},"
        "{\"numberToCall\":\"+966500000001\"},"
        "{\"numberToCall\":\"0500000002\"}]}"), 0);

    assert_calls(&fx->plan, want, 2);
    assert_int_equal(fx->plan.nskipped, 3);
    assert_int_equal(fx->plan.out[0].skip, LEVERS_SKIP_INVALID_NUMBER);
    assert_int_equal(fx->plan.out[2].skip, LEVERS_SKIP_INVALID_NUMBER);
    assert_outcome(&fx->plan, 3, "+966500000001", LEVERS_SKIP_DUPLICATE);
}


static void
test_plan_normalise_off(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3 };

    /* as sent: no parsing, no errors, duplicates by exact text */
    fx->conf.normalise = 0;
    fx->conf.default_region = "SA";

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"0500000001\"},"
        "{\"numberToCall\":\"abc\"},"
        "{\"numberToCall\":\"+966500000001\"},"
        "{\"numberToCall\":\" 0500000001\"},"
        "{\"numberToCall\":\"0500000001\"}]}"), 0);

    /*
     * Where the text sent on is kept is the plan's business: the gateway
     * body is checked in test_payload.c (numbers_as_sent).
     */
    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 4);
    assert_int_equal(fx->plan.nskipped, 1);
    assert_int_equal(fx->plan.out[4].skip, LEVERS_SKIP_DUPLICATE);
}


static void
test_plan_normalise_off_long_numbers(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1 };

    /*
     * Numbers passed as sent may be longer than an E.164 number: two
     * different ones that share their first 16 bytes are not duplicates.
     */
    fx->conf.normalise = 0;

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"+966 (50) 000-0001\"},"
        "{\"numberToCall\":\"+966 (50) 000-0002\"}]}"), 0);

    assert_calls(&fx->plan, want, 2);
    assert_int_equal(fx->plan.nskipped, 0);
}


/* prompt tags */

#define TAGS_BODY                                                            \
    "{\"contacts\":["                                                        \
    "{\"numberToCall\":\"+966500000001\",\"promptTags\":"                    \
    "{\"name\":\"A\",\"amount\":1,\"due\":\"x\",\"ref\":\"r\"}},"            \
    "{\"numberToCall\":\"+966500000002\",\"promptTags\":"                    \
    "{\"name\":\"B\",\"other\":[1]}},"                                       \
    "{\"numberToCall\":\"+966500000003\"},"                                  \
    "{\"numberToCall\":\"+966500000004\",\"promptTags\":null},"              \
    "{\"numberToCall\":\"+966500000005\",\"promptTags\":"                    \
    "{\"name\":null,\"amount\":0,\"due\":\"\",\"ref\":false}},"              \
    "{\"numberToCall\":\"+966500000006\",\"promptTags\":{}}]}"


static void
test_plan_missing_tags(void **state)
{
    fx_t  *fx = *state;

    fx_template(fx, "Hello {{name}}, you owe {{ amount }} by {{due}}. "
                    "Bye {{name}}.",
                "Ref {{ref}} for {{amount}} ({{name}})");

    assert_int_equal(fx_plan(fx, TAGS_BODY), 1);

    /*
     * One error per distinct key per contact, in order of first use
     * across systemPrompt then knowledgeBase; null or falsy values are
     * present; input is the contact's promptTags (null when absent).
     */
    assert_int_equal(fx->errs.total, 15);
    assert_json_equal(fx->errs.detail,
        "[{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",1,\"promptTags\",\"amount\"],"
        "\"input\":{\"name\":\"B\",\"other\":[1]}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",1,\"promptTags\",\"due\"],"
        "\"input\":{\"name\":\"B\",\"other\":[1]}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",1,\"promptTags\",\"ref\"],"
        "\"input\":{\"name\":\"B\",\"other\":[1]}},"

        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",2,\"promptTags\",\"name\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",2,\"promptTags\",\"amount\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",2,\"promptTags\",\"due\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",2,\"promptTags\",\"ref\"],"
        "\"input\":null},"

        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",3,\"promptTags\",\"name\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",3,\"promptTags\",\"amount\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",3,\"promptTags\",\"due\"],"
        "\"input\":null},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",3,\"promptTags\",\"ref\"],"
        "\"input\":null},"

        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",5,\"promptTags\",\"name\"],"
        "\"input\":{}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",5,\"promptTags\",\"amount\"],"
        "\"input\":{}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",5,\"promptTags\",\"due\"],"
        "\"input\":{}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",5,\"promptTags\",\"ref\"],"
        "\"input\":{}}]");
}


static void
test_plan_missing_tags_kb_only(void **state)
{
    fx_t  *fx = *state;

    /* a key only the knowledge base uses is checked too */
    fx_template(fx, "Static prompt", "KB {{kb}}");

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"+966500000001\",\"promptTags\":{\"kb\":1}},"
        "{\"numberToCall\":\"+966500000002\",\"promptTags\":{\"x\":1}}]}"),
        1);

    assert_json_equal(fx->errs.detail,
        "[{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",1,\"promptTags\",\"kb\"],"
        "\"input\":{\"x\":1}}]");
}


static void
test_plan_missing_tags_many_keys(void **state)
{
    fx_t  *fx = *state;

    /*
     * Seventeen distinct keys, all missing, and a knowledge base that
     * uses the first and the last again: still one error per key.
     */
    fx_template(fx,
        "{{k1}}{{k2}}{{k3}}{{k4}}{{k5}}{{k6}}{{k7}}{{k8}}{{k9}}{{k10}}"
        "{{k11}}{{k12}}{{k13}}{{k14}}{{k15}}{{k16}}{{k17}}",
        "{{k17}} {{k1}}");

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"), 1);

    assert_int_equal(fx->errs.total, 17);
    assert_json_equal(json_object_get(json_array_get(fx->errs.detail, 16),
                                      "loc"),
                      "[\"body\",\"contacts\",0,\"promptTags\",\"k17\"]");
}


static void
test_plan_tags_and_numbers_in_order(void **state)
{
    fx_t  *fx = *state;

    /* errors come in contact order, whatever their kind */
    fx_template(fx, "Hi {{name}}", NULL);

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"+966500000001\"},"
        "{\"numberToCall\":\"x\",\"promptTags\":{\"name\":\"n\"}},"
        "{\"numberToCall\":\"+966500000002\",\"promptTags\":{}}]}"), 1);

    assert_json_equal(fx->errs.detail,
        "[{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",0,\"promptTags\",\"name\"],"
        "\"input\":null},"
        "{\"type\":\"value_error\","
        "\"loc\":[\"body\",\"contacts\",1,\"numberToCall\"],"
        "\"msg\":\"Value error, Invalid phone number: not a phone number\","
        "\"input\":\"x\","
        "\"ctx\":{\"error\":\"Invalid phone number: not a phone number\"}},"
        "{\"type\":\"missing\",\"msg\":\"Field required\","
        "\"loc\":[\"body\",\"contacts\",2,\"promptTags\",\"name\"],"
        "\"input\":{}}]");
}


static void
test_plan_duplicate_tags_not_checked(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0 };

    /*
     * A duplicate is never called, so its promptTags are not checked:
     * the decision this test pins (documented in docs/).
     */
    fx_template(fx, "Hi {{name}}", NULL);

    assert_int_equal(fx_plan(fx,
        "{\"contacts\":["
        "{\"numberToCall\":\"+966500000001\",\"promptTags\":{\"name\":\"a\"}},"
        "{\"numberToCall\":\"+966 50 000 0001\"}]}"), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 1);
    assert_int_equal(fx->plan.out[1].skip, LEVERS_SKIP_DUPLICATE);
}


static void
test_plan_tags_keep(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3, 4, 5 };

    fx_template(fx, "Hello {{name}} {{amount}} {{due}}", "{{ref}}");
    fx->conf.missing_tag = LEVERS_TAG_MISSING_KEEP;

    assert_int_equal(fx_plan(fx, TAGS_BODY), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_int_equal(json_array_size(fx->errs.detail), 0);
    assert_calls(&fx->plan, want, 6);
}


static void
test_plan_tags_empty(void **state)
{
    fx_t          *fx = *state;
    const size_t   want[] = { 0, 1, 2, 3, 4, 5 };

    fx_template(fx, "Hello {{name}} {{amount}} {{due}}", "{{ref}}");
    fx->conf.missing_tag = LEVERS_TAG_MISSING_EMPTY;

    assert_int_equal(fx_plan(fx, TAGS_BODY), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_calls(&fx->plan, want, 6);
}


static void
test_plan_no_template(void **state)
{
    fx_t  *fx = *state;

    /* no template: promptTags are not checked at all */
    assert_int_equal(fx_plan(fx, TAGS_BODY), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_int_equal(fx->plan.ncalls, 6);
}


/* sizes */

static void
test_plan_zero_contacts(void **state)
{
    fx_t  *fx = *state;

    fx->conf.default_region = "SA";

    assert_int_equal(fx_plan(fx, "{\"contacts\":[]}"), 0);

    assert_int_equal(fx->errs.total, 0);
    assert_int_equal(fx->plan.ncalls, 0);
    assert_int_equal(fx->plan.nskipped, 0);
    assert_non_null(fx->plan.out);
    assert_non_null(fx->plan.calls);
}


static void
test_plan_10000_contacts(void **state)
{
    fx_t             *fx = *state;
    char             *text, *p;
    size_t            i, k, size;
    double            ms;
    json_error_t      jerr;
    struct timespec   t0, t1;

    /* every tenth contact repeats the number before it */
    size = 64 + 10000 * 64;
    text = malloc(size);
    assert_non_null(text);

    p = text + sprintf(text, "{\"countryCode\":\"SA\",\"contacts\":[");

    for (i = 0; i < 10000; i++) {
        p += sprintf(p, "%s{\"numberToCall\":\"050%07zu\"}", i ? "," : "",
                     i % 10 == 9 ? i - 1 : i);
    }

    strcpy(p, "]}");

    fx->body = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(fx->body);
    assert_int_equal(levers_validate_request(fx->body, &fx->req, &fx->errs,
                                             arena_alloc, &fx->arena), 0);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(levers_plan(&fx->req, &fx->conf, &fx->plan, &fx->errs,
                                 arena_alloc, &fx->arena), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("    10000 contacts planned in %.1f ms\n", ms);

    assert_int_equal(fx->plan.ncalls, 9000);
    assert_int_equal(fx->plan.nskipped, 1000);

    for (i = 0, k = 0; i < 10000; i++) {
        if (i % 10 == 9) {
            assert_int_equal(fx->plan.out[i].skip, LEVERS_SKIP_DUPLICATE);
            continue;
        }

        assert_int_equal(fx->plan.out[i].skip, LEVERS_CALL);
        assert_int_equal(fx->plan.calls[k++], i);
    }

    assert_string_equal(fx->plan.out[9999].e164, "+966500009998");
}


static void
test_plan_10000_same_number(void **state)
{
    fx_t          *fx = *state;
    size_t         i;
    json_t        *contacts;
    json_error_t   jerr;

    fx->body = json_loads("{\"contacts\":[]}", 0, &jerr);
    contacts = json_object_get(fx->body, "contacts");

    for (i = 0; i < 10000; i++) {
        json_array_append_new(contacts,
                              json_pack("{s:s}", "numberToCall",
                                        "+966500000001"));
    }

    assert_int_equal(levers_validate_request(fx->body, &fx->req, &fx->errs,
                                             arena_alloc, &fx->arena), 0);
    assert_int_equal(levers_plan(&fx->req, &fx->conf, &fx->plan, &fx->errs,
                                 arena_alloc, &fx->arena), 0);

    assert_int_equal(fx->plan.ncalls, 1);
    assert_int_equal(fx->plan.calls[0], 0);
    assert_int_equal(fx->plan.nskipped, 9999);
}


/* allocation failures come back as -1, never as a crash */

static void
test_plan_alloc_failure(void **state)
{
    fx_t    *fx = *state;
    size_t   n, total, base;

    fx_template(fx, "Hi {{name}}", "{{ref}}");
    assert_int_equal(fx_plan(fx, DUPLICATES_BODY), 1);

    /* how many allocations a plan makes, then each of them failing */
    base = fx->arena.calls;
    assert_int_equal(levers_plan(&fx->req, &fx->conf, &fx->plan, &fx->errs,
                                 arena_alloc, &fx->arena), 1);
    total = fx->arena.calls - base;
    assert_true(total >= 2);

    for (n = 1; n <= total; n++) {
        fx->arena.fail_at = fx->arena.calls + n;
        assert_int_equal(levers_plan(&fx->req, &fx->conf, &fx->plan,
                                     &fx->errs, arena_alloc, &fx->arena),
                         -1);
    }
}


static void
test_skip_reason(void **state)
{
    (void) state;

    assert_string_equal(levers_skip_reason(LEVERS_SKIP_DUPLICATE),
                        "duplicate");
    assert_string_equal(levers_skip_reason(LEVERS_SKIP_INVALID_NUMBER),
                        "invalid_number");
    assert_string_equal(levers_skip_reason(LEVERS_CALL), "");
    assert_string_equal(levers_skip_reason(99), "");
}


/* planning in steps gives what planning at once gives */
static void
test_plan_in_steps(void **state)
{
    fx_t              *fx = *state;
    int                rc;
    size_t             steps;
    char              *once, *stepped;
    levers_plan_t      whole;
    levers_errors_t    errs;
    const char        *body;

    body = "{\"countryCode\":\"SA\",\"contacts\":["
           "{\"numberToCall\":\"0500000001\",\"promptTags\":{\"n\":1}},"
           "{\"numberToCall\":\"+966500000001\",\"promptTags\":{\"n\":2}},"
           "{\"numberToCall\":\"12\"},"
           "{\"numberToCall\":\"0500000002\"},"
           "{\"numberToCall\":\"0500000003\",\"promptTags\":{\"n\":3}},"
           "{\"numberToCall\":\"0500000002\",\"promptTags\":{\"n\":4}},"
           "{\"numberToCall\":\"0500000004\",\"promptTags\":{\"n\":5}}]}";

    fx_template(fx, "Hi {{n}}", NULL);

    assert_int_equal(fx_plan(fx, body), 1);
    whole = fx->plan;
    once = json_dumps(fx->errs.detail, JSON_COMPACT);

    assert_int_equal(levers_errors_init(&errs, 0), 0);
    assert_int_equal(levers_plan_init(&fx->req, &fx->conf, &fx->plan,
                                      arena_alloc, &fx->arena), 0);

    steps = 0;

    do {
        rc = levers_plan_step(&fx->req, &fx->conf, &fx->plan, &errs, 2);
        steps++;
    } while (rc == LEVERS_PLAN_AGAIN);

    assert_int_equal(rc, 1);
    assert_int_equal(steps, 4);

    stepped = json_dumps(errs.detail, JSON_COMPACT);
    assert_string_equal(stepped, once);

    assert_int_equal(fx->plan.ncalls, whole.ncalls);
    assert_int_equal(fx->plan.nskipped, whole.nskipped);
    assert_memory_equal(fx->plan.calls, whole.calls,
                        whole.ncalls * sizeof(size_t));
    assert_int_equal(fx->plan.out[1].skip, LEVERS_SKIP_DUPLICATE);
    assert_int_equal(fx->plan.out[5].skip, whole.out[5].skip);

    free(once);
    free(stepped);
    levers_errors_free(&errs);
}


#define T(f)  cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        T(test_plan_country_code),
        T(test_plan_country_code_overrides_default),
        T(test_plan_default_region),
        T(test_plan_plus_numbers_without_region),
        T(test_plan_invalid_numbers_error),
        T(test_plan_invalid_numbers_capped),
        T(test_plan_invalid_numbers_skipped),
        T(test_plan_duplicates),
        T(test_plan_dedupe_off),
        T(test_plan_duplicates_and_invalid_skipped),
        T(test_plan_normalise_off),
        T(test_plan_normalise_off_long_numbers),
        T(test_plan_missing_tags),
        T(test_plan_missing_tags_kb_only),
        T(test_plan_missing_tags_many_keys),
        T(test_plan_tags_and_numbers_in_order),
        T(test_plan_duplicate_tags_not_checked),
        T(test_plan_in_steps),
        T(test_plan_tags_keep),
        T(test_plan_tags_empty),
        T(test_plan_no_template),
        T(test_plan_zero_contacts),
        T(test_plan_10000_contacts),
        T(test_plan_10000_same_number),
        T(test_plan_alloc_failure),
        T(test_skip_reason),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

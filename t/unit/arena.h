/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The allocator the unit tests give the pure code (a levers_alloc_pt):
 * every allocation of a test, filled with garbage, freed at teardown, and
 * made to fail on demand.  Included by the test files that need it.
 */

#ifndef LEVERS_TEST_ARENA_H
#define LEVERS_TEST_ARENA_H


/* every allocation of a test, freed at teardown; may fail on demand */
typedef struct {
    void      **ptrs;
    size_t      n;
    size_t      cap;
    size_t      fail_at;      /* fail the n-th allocation (1-based); 0: never */
    size_t      calls;
} arena_t;


static void *
arena_alloc(void *ctx, size_t size)
{
    void     *p, **ptrs;
    arena_t  *a = ctx;

    a->calls++;

    if (a->fail_at && a->calls == a->fail_at) {
        return NULL;
    }

    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        ptrs = realloc(a->ptrs, a->cap * sizeof(void *));
        assert_non_null(ptrs);
        a->ptrs = ptrs;
    }

    /* garbage, not zeroes: the code must initialise what it uses */
    p = malloc(size);
    assert_non_null(p);
    memset(p, 0xa5, size);
    a->ptrs[a->n++] = p;

    return p;
}


static void
arena_free(arena_t *a)
{
    size_t  i;

    for (i = 0; i < a->n; i++) {
        free(a->ptrs[i]);
    }

    free(a->ptrs);
    memset(a, 0, sizeof(arena_t));
}

#endif /* LEVERS_TEST_ARENA_H */

/* Licensed under the Apache License, Version 2.0.
 *
 * test_store_range.c: which series am_store_list finds for a range, on a
 * real SQLite database: those whose span [start, last_end) overlaps it,
 * and those with a changed occurrence there that was moved out of the
 * span (later than the last occurrence, earlier than the first); a
 * deleted occurrence does not count.  Both statements: by relation and
 * without.  And the one order of an appointment's links.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_dbd.h>
#include "store.h"

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-range-XXXXXX";
static const apr_dbd_driver_t *driver;

#define DAY AM_TICKS_PER_DAY
#define HOUR (60 * AM_TICKS_PER_MIN)

static am_store_t *open_store(void)
{
    am_store_t *s = apr_pcalloc(pool, sizeof(*s));
    apr_dbd_t *h = NULL;
    const char *file = apr_pstrcat(pool, dbpath, "/db.sqlite", NULL);
    am_err_t *e;

    assert_int_equal(apr_dbd_open(driver, pool, file, &h), APR_SUCCESS);
    s->pool = pool;
    s->driver = driver;
    s->handle = h;
    s->prepared = apr_hash_make(pool);
    e = am_store_connect(pool, driver, h, s->prepared);
    if (e) {
        fail_msg("connect: %s", e->message);
    }
    return s;
}

/* A series of five daily occurrences from t0 (the store does not read
 * the rule: its span is start .. last_end). */
static am_appt_t *series(am_store_t *s, am_time_t t0, const char *client)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);

    a->start = t0;
    a->end = t0 + HOUR;
    a->last_end = t0 + 4 * DAY + HOUR;
    a->title = "Series";
    a->rule = "X-AM-RULE:not read by the store";
    am_appt_add_link(pool, a, "client", client);
    assert_null(am_store_create(s, a));
    return a;
}

static void put(am_store_t *s, const am_appt_t *a, int index, int deleted,
                am_time_t start)
{
    am_exception_t x;

    memset(&x, 0, sizeof(x));
    x.index = index;
    x.deleted = deleted;
    x.start = start;
    x.end = start + HOUR;
    x.title = "moved";
    assert_null(am_store_put_exception(s, a->id, a->kind, &x, 0, 0, NULL));
    assert_true(x.id > 0);
}

/* The ids am_store_list finds for [from, until), by relation (client)
 * or, with client NULL, without. */
static const char *found(am_store_t *s, const char *client, am_time_t from,
                         am_time_t until)
{
    const char *refs[1];
    apr_array_header_t *out = NULL;
    const char *ids = "";
    am_query_t q;
    int i;

    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_CONTRACT;
    q.from = from;
    q.until = until;
    if (client) {
        refs[0] = client;
        q.rel = "client";
        q.refs = refs;
        q.nrefs = 1;
    }
    assert_null(am_store_list(s, &q, &out));
    for (i = 0; i < out->nelts; i++) {
        ids = apr_psprintf(pool, "%s%s%" APR_INT64_T_FMT, ids, *ids ? "," : "",
                           APR_ARRAY_IDX(out, i, am_appt_t *)->id);
    }
    return ids;
}

static void test_moved_occurrences(void **state)
{
    am_store_t *s = open_store();
    const am_time_t t0 = 21000 * DAY + 9 * HOUR;
    am_appt_t *a = series(s, t0, "500");
    am_appt_t *b = series(s, t0, "500");
    const char *ida = apr_psprintf(pool, "%" APR_INT64_T_FMT, a->id);
    const char *both = apr_psprintf(pool, "%" APR_INT64_T_FMT ",%"
                                    APR_INT64_T_FMT, a->id, b->id);
    const char *client;
    int pass;

    /* a: its last occurrence two weeks on, its first a week back; b: one
     * deleted occurrence far out (its times do not count). */
    put(s, a, 4, 0, t0 + 18 * DAY);
    put(s, a, 0, 0, t0 - 7 * DAY);
    put(s, b, 3, 1, t0 + 18 * DAY);

    for (pass = 0; pass < 2; pass++) {
        client = pass ? NULL : "500";
        /* In the span: both. */
        assert_string_equal(found(s, client, t0 + DAY, t0 + 2 * DAY), both);
        /* After the span, where a's moved occurrence is. */
        assert_string_equal(found(s, client, t0 + 18 * DAY,
                                  t0 + 19 * DAY), ida);
        /* One that started before the range and still runs. */
        assert_string_equal(found(s, client, t0 + 18 * DAY + HOUR / 2,
                                  t0 + 19 * DAY), ida);
        /* Before the span. */
        assert_string_equal(found(s, client, t0 - 8 * DAY, t0 - 6 * DAY),
                            ida);
        /* Nowhere near either. */
        assert_string_equal(found(s, client, t0 + 10 * DAY, t0 + 11 * DAY),
                            "");
        /* Ends exactly where the range begins: not in it. */
        assert_string_equal(found(s, client, t0 + 18 * DAY + HOUR,
                                  t0 + 19 * DAY), "");
    }
    /* Another client's range finds nothing. */
    assert_string_equal(found(s, "501", t0 + 18 * DAY, t0 + 19 * DAY), "");
}

static const char *links_of(const am_appt_t *a)
{
    const char *t = "";
    int i;

    for (i = 0; i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        t = apr_pstrcat(pool, t, *t ? " " : "", l->rel, ":", l->ref, NULL);
    }
    return t;
}

/* The links a write leaves in memory are those a read returns, in the
 * same order (numbers by value), each pair once. */
static void test_link_order(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = am_appt_make(pool, AM_KIND_TEAM);
    am_appt_t *g = NULL;
    const char *want = "client:9 client:10 client:abc employee:1";

    a->start = 22000 * DAY;
    a->end = a->start + HOUR;
    a->title = "Team";
    am_appt_add_link(pool, a, "employee", "1");
    am_appt_add_link(pool, a, "client", "10");
    am_appt_add_link(pool, a, "client", "abc");
    am_appt_add_link(pool, a, "client", "9");
    am_appt_add_link(pool, a, "client", "10");
    assert_null(am_store_create(s, a));
    assert_string_equal(links_of(a), want);
    assert_null(am_store_get(s, a->id, AM_KIND_TEAM, &g));
    assert_string_equal(links_of(g), want);

    a->links->nelts = 0;
    am_appt_add_link(pool, a, "client", "100");
    am_appt_add_link(pool, a, "client", "99");
    am_appt_add_link(pool, a, "client", "100");
    assert_null(am_store_update(s, a, 0));
    assert_string_equal(links_of(a), "client:99 client:100");
    assert_null(am_store_get(s, a->id, AM_KIND_TEAM, &g));
    assert_string_equal(links_of(g), "client:99 client:100");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moved_occurrences),
        cmocka_unit_test(test_link_order),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    apr_dbd_init(pool);
    if (apr_dbd_get_driver(pool, "sqlite3", &driver) != APR_SUCCESS) {
        fprintf(stderr, "the apr_dbd sqlite3 driver is missing\n");
        return 1;
    }
    if (!mkdtemp(dbpath)) {
        perror("mkdtemp");
        return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (system(apr_pstrcat(pool, "rm -rf ", dbpath, NULL)) != 0) {
        rc = rc ? rc : 1;
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

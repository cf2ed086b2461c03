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
#include "store_fixture.h"

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-range-XXXXXX";
static const apr_dbd_driver_t *driver;

#define DAY AM_TICKS_PER_DAY
#define HOUR (60 * AM_TICKS_PER_MIN)

static am_store_t *open_store(void)
{
    return am_test_store(pool, driver, apr_pstrcat(pool, dbpath,
                                                   "/db.sqlite", NULL));
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

/* The ids of kind that am_store_list finds for [from, until) by (rel,
 * ref). */
static const char *found_kind(am_store_t *s, int kind, const char *rel,
                              const char *ref, am_time_t from,
                              am_time_t until)
{
    const char *refs[1] = { ref };
    apr_array_header_t *out = NULL;
    const char *ids = "";
    am_query_t q;
    int i;

    memset(&q, 0, sizeof(q));
    q.kind = kind;
    q.from = from;
    q.until = until;
    q.rel = rel;
    q.refs = refs;
    q.nrefs = 1;
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

/* ------------------------------------------------ against the definition */

/* What the range index must answer, computed here from what was stored:
 * the definition of AM_IN_RANGE (store_dbd.c) in C. */
typedef struct ref_appt {
    am_appt_t *a;
    int nx;
    am_exception_t x[3];
} ref_appt_t;

static int ref_in_range(const ref_appt_t *r, am_time_t from, am_time_t until)
{
    const am_appt_t *a = r->a;
    am_time_t lend = a->last_end ? a->last_end : a->end;
    int i;

    if (a->start < until && lend > from) {
        return 1;
    }
    for (i = 0; a->rule && i < r->nx; i++) {
        const am_exception_t *x = &r->x[i];
        if (!x->deleted && x->start < until
            && (x->end > from || x->start >= from)) {
            return 1;
        }
    }
    return 0;
}

static const char *ids_of(apr_array_header_t *out)
{
    const char *ids = "";
    int i;

    for (i = 0; i < out->nelts; i++) {
        ids = apr_psprintf(pool, "%s%s%" APR_INT64_T_FMT, ids,
                           *ids ? "," : "",
                           APR_ARRAY_IDX(out, i, am_appt_t *)->id);
    }
    return ids;
}

static int by_start_id(const void *x, const void *y)
{
    const ref_appt_t *a = *(ref_appt_t *const *)x;
    const ref_appt_t *b = *(ref_appt_t *const *)y;

    if (a->a->start != b->a->start) {
        return a->a->start < b->a->start ? -1 : 1;
    }
    return a->a->id < b->a->id ? -1 : (a->a->id > b->a->id);
}

#define NREF 240
#define NLENS (int)(sizeof(lens) / sizeof(lens[0]))

/* Appointments of every shape the index tells apart (zero length, short,
 * exactly a day, a day and a tick, weeks long, series with occurrences
 * moved before and after their span and deleted ones), some of them
 * moved by an update, against ranges from a minute to months, their
 * edges on the appointments' own edges: the list by relation gives
 * what the definition gives, in order, and the same as the list without
 * relation. */
static void test_random_against_definition(void **state)
{
    static const am_time_t lens[] = { 0, 1, HOUR, 23 * HOUR, DAY, DAY + 1,
                                      36 * HOUR, 3 * DAY, 40 * DAY };
    am_store_t *s = open_store();
    ref_appt_t *refs = apr_pcalloc(pool, NREF * sizeof(*refs));
    ref_appt_t **sorted = apr_pcalloc(pool, NREF * sizeof(*sorted));
    const am_time_t t0 = 23000 * DAY;
    const char *ref = "600";
    unsigned seed = 15;
    int i, k;

    for (i = 0; i < NREF; i++) {
        am_appt_t *a = am_appt_make(pool, AM_KIND_EMPLOYEE);
        ref_appt_t *r = &refs[i];

        a->start = t0 + (am_time_t)(rand_r(&seed) % (90 * 24)) * HOUR
                   + (rand_r(&seed) % 2);
        a->end = a->start + lens[rand_r(&seed) % NLENS];
        a->title = "r";
        if (i % 6 == 0) {
            a->rule = "X-AM-RULE:not read by the store";
            a->last_end = a->end + (am_time_t)(rand_r(&seed) % 20) * DAY;
        }
        am_appt_add_link(pool, a, "employee", ref);
        assert_null(am_store_create(s, a));
        r->a = a;
        if (a->rule) {
            for (k = 0; k < 3; k++) {
                am_exception_t *x = &r->x[k];

                x->index = k;
                x->deleted = (k == 2);
                x->start = a->start + (am_time_t)((rand_r(&seed) % 200)
                                                  - 100) * DAY;
                x->end = x->start + (k ? HOUR : 0);
                x->title = "moved";
                assert_null(am_store_put_exception(s, a->id, a->kind, x, 0,
                                                   0, NULL));
            }
            r->nx = 3;
            /* The series' version went up with its exceptions. */
            a->version += 3;
        }
        else if (i % 5 == 0) {
            /* Moved and resized by a change. */
            a->start += (am_time_t)((rand_r(&seed) % 60) - 30) * DAY;
            a->end = a->start + lens[rand_r(&seed) % NLENS];
            assert_null(am_store_update(s, a, 0));
        }
        sorted[i] = r;
    }
    qsort(sorted, NREF, sizeof(*sorted), by_start_id);

    for (k = 0; k < 600; k++) {
        const ref_appt_t *e = &refs[rand_r(&seed) % NREF];
        am_time_t from, until;
        apr_array_header_t *out = NULL, *all = NULL;
        const char *rs[1] = { ref }, *want = "";
        am_query_t q;

        switch (k % 4) {
        case 0:         /* edges on an appointment's start or end */
            from = (rand_r(&seed) % 2) ? e->a->start : e->a->end;
            until = from + lens[rand_r(&seed) % NLENS] + (rand_r(&seed) % 2);
            break;
        case 1:         /* a range that ends on one */
            until = (rand_r(&seed) % 2) ? e->a->start : e->a->end;
            from = until - lens[rand_r(&seed) % NLENS];
            break;
        case 2:         /* anywhere, a minute to two months */
            from = t0 + (am_time_t)(rand_r(&seed) % (200 * 24)) * HOUR
                   - 60 * DAY;
            until = from + (am_time_t)(rand_r(&seed) % (60 * 24)) * HOUR
                    + 60 * AM_TICKS_PER_SEC;
            break;
        default:        /* open at one side (as Xelion asks) */
            from = (k % 8 == 3) ? AM_TIME_MIN : e->a->start;
            until = (k % 8 == 3) ? e->a->end : AM_TIME_MAX;
            break;
        }
        for (i = 0; i < NREF; i++) {
            if (ref_in_range(sorted[i], from, until)) {
                want = apr_psprintf(pool, "%s%s%" APR_INT64_T_FMT, want,
                                    *want ? "," : "", sorted[i]->a->id);
            }
        }
        memset(&q, 0, sizeof(q));
        q.kind = AM_KIND_EMPLOYEE;
        q.from = from;
        q.until = until;
        assert_null(am_store_list(s, &q, &all));
        q.rel = "employee";
        q.refs = rs;
        q.nrefs = 1;
        assert_null(am_store_list(s, &q, &out));
        assert_string_equal(ids_of(out), want);
        assert_string_equal(ids_of(all), want);
    }
}

/* The double-booking check through the index: a new appointment with
 * exclusive set is refused exactly when a stored one of the same ref
 * that is not cancelled overlaps its first occurrence, whatever their
 * lengths. */
static void test_exclusive_against_definition(void **state)
{
    static const am_time_t lens[] = { 1, HOUR, 23 * HOUR, DAY, DAY + 1,
                                      36 * HOUR, 3 * DAY };
    am_store_t *s = open_store();
    am_appt_t *kept[80];
    const am_time_t t0 = 24000 * DAY;
    unsigned seed = 51;
    int n = 0, i, k;

    for (k = 0; k < 400; k++) {
        am_appt_t *a = am_appt_make(pool, AM_KIND_PATIENT);
        int clash = 0;
        am_err_t *e;

        a->start = t0 + (am_time_t)(rand_r(&seed) % (30 * 24 * 4))
                   * (HOUR / 4);
        a->end = a->start + lens[rand_r(&seed) % NLENS];
        a->status = (rand_r(&seed) % 7 == 0) ? AM_STATUS_CANCELLED : 0;
        a->title = "b";
        a->exclusive = "provider";
        am_appt_add_link(pool, a, "provider", "p600");
        for (i = 0; i < n; i++) {
            if (kept[i]->status != AM_STATUS_CANCELLED
                && kept[i]->start < a->end && kept[i]->end > a->start) {
                clash = 1;
            }
        }
        e = am_store_create(s, a);
        if (clash) {
            assert_non_null(e);
            assert_int_equal(e->status, 409);
        }
        else {
            assert_null(e);
            if (n < 80) {
                kept[n++] = a;
            }
            else {
                /* Full: delete it again so that kept holds them all. */
                assert_null(am_store_delete(s, a->id, a->kind, NULL));
            }
        }
    }
    assert_true(n > 20);
}

/* A database whose links lack the range columns of version 2 (as version
 * 1 made them; also under a later version number, as a build with later
 * versions but without 2 would leave it) with appointments in it:
 * connecting migrates it, filling the columns from the appointments, and
 * the lists by relation answer as before. */
static void test_migrate_from_v1(void **state)
{
    am_store_t *s = open_store();
    static const am_time_t ranges[][2] = {
        { 23000 * DAY, 23001 * DAY }, { 23010 * DAY, 23040 * DAY },
        { 22900 * DAY, 23200 * DAY }, { 23030 * DAY + HOUR, 23031 * DAY }
    };
    const char *before[4];
    int i, nrows;

    for (i = 0; i < 4; i++) {
        before[i] = found_kind(s, AM_KIND_EMPLOYEE, "employee", "600",
                               ranges[i][0], ranges[i][1]);
    }
    assert_true(strlen(before[2]) > 100);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "DROP INDEX am_links_range"), 0);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "ALTER TABLE am_links DROP COLUMN span"), 0);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "ALTER TABLE am_links DROP COLUMN"
                                   " start_ticks"), 0);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "ALTER TABLE am_links DROP COLUMN"
                                   " last_end_ticks"), 0);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "CREATE INDEX am_links_ref ON am_links"
                                   " (rel, ref)"), 0);
    s = open_store();
    for (i = 0; i < 4; i++) {
        assert_string_equal(found_kind(s, AM_KIND_EMPLOYEE, "employee",
                                       "600", ranges[i][0], ranges[i][1]),
                            before[i]);
    }
}

/* A new request on s's connection: a pool of its own. */
static void next_request(am_store_t *s)
{
    apr_pool_t *r = NULL;

    apr_pool_create(&r, pool);
    s->pool = r;
}

/* The answer cache (store.h) of two connections to one database: an
 * answer kept on one is found there while nothing changed; a commit on
 * the other connection, or a write on its own, empties it. */
static void test_answer_cache(void **state)
{
    am_store_t *a = open_store(), *b = open_store();
    am_appt_t *x = am_appt_make(pool, AM_KIND_CONTRACT), *g = NULL;
    am_cached_t c;
    const am_cached_t *hit;

    a->conn_pool = pool;
    x->start = 25000 * DAY;
    x->end = x->start + HOUR;
    x->title = "cached";
    am_appt_add_link(pool, x, "client", "700");
    assert_null(am_store_create(b, x));

    /* No cache without a connection pool. */
    assert_int_equal(am_store_cache_check(b), 0);

    next_request(a);
    assert_int_equal(am_store_cache_check(a), 1);
    assert_null(am_store_get(a, x->id, AM_KIND_ANY, &g));
    c.body = "answer";
    c.len = 6;
    c.version = g->version;
    am_store_cache_put(a, "k", &c);
    next_request(a);
    assert_int_equal(am_store_cache_check(a), 1);
    hit = am_store_cache_get(a, "k");
    assert_non_null(hit);
    assert_int_equal(hit->len, 6);
    assert_memory_equal(hit->body, "answer", 6);
    assert_int_equal(hit->nreads, 1);
    assert_int_equal(hit->reads[0].id, x->id);
    assert_null(am_store_cache_get(a, "other"));

    /* A commit through the other connection. */
    x->title = "changed";
    assert_null(am_store_update(b, x, NULL));
    next_request(a);
    assert_int_equal(am_store_cache_check(a), 1);
    assert_null(am_store_cache_get(a, "k"));

    /* A write through its own connection. */
    am_store_cache_put(a, "k", &c);
    next_request(a);
    assert_int_equal(am_store_cache_check(a), 1);
    assert_non_null(am_store_cache_get(a, "k"));
    assert_null(am_store_delete(a, x->id, AM_KIND_ANY, NULL));
    assert_null(am_store_cache_get(a, "k"));
    /* ... and the rest of the request asks no more. */
    assert_int_equal(am_store_cache_check(a), 0);
    next_request(a);
    assert_int_equal(am_store_cache_check(a), 1);
    assert_null(am_store_cache_get(a, "k"));
    a->conn_pool = NULL;
}

/* Sessions the token check read are kept in the cache too: found again
 * while nothing changed; gone once another connection ends them, or
 * this one does. */
static void test_session_cache(void **state)
{
    am_store_t *a = open_store(), *b = open_store();
    am_session_t x, *got = NULL;
    int done = 0;

    a->conn_pool = pool;
    memset(&x, 0, sizeof(x));
    x.kind = AM_SESSION_BEARER;
    x.token_hash = "h1";
    x.user = "kim";
    x.realm = "/r";
    x.dialect = "plancare2";
    assert_null(am_store_session_create(b, &x, 1000));

    next_request(a);
    assert_null(am_store_session_check(a, "h1", &got));
    assert_non_null(got);
    assert_string_equal(got->user, "kim");
    next_request(a);
    assert_null(am_store_session_check(a, "h1", &got));
    assert_non_null(got);
    assert_int_equal(got->id, x.id);

    /* Ended through the other connection. */
    assert_null(am_store_session_delete(b, x.id, &done));
    assert_int_equal(done, 1);
    next_request(a);
    assert_null(am_store_session_check(a, "h1", &got));
    assert_null(got);

    /* Ended through its own. */
    x.token_hash = "h2";
    assert_null(am_store_session_create(b, &x, 1000));
    next_request(a);
    assert_null(am_store_session_check(a, "h2", &got));
    assert_non_null(got);
    assert_null(am_store_session_delete(a, x.id, &done));
    next_request(a);
    assert_null(am_store_session_check(a, "h2", &got));
    assert_null(got);
    a->conn_pool = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moved_occurrences),
        cmocka_unit_test(test_link_order),
        cmocka_unit_test(test_random_against_definition),
        cmocka_unit_test(test_exclusive_against_definition),
        cmocka_unit_test(test_migrate_from_v1),
        cmocka_unit_test(test_answer_cache),
        cmocka_unit_test(test_session_cache),
    };

    if (am_test_store_begin(&pool, &driver, dbpath)) {
        return 1;
    }
    return am_test_store_end(pool, dbpath,
                             cmocka_run_group_tests(tests, NULL, NULL));
}

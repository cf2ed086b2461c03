/* Licensed under the Apache License, Version 2.0.
 *
 * test_store.c: the apr_dbd store against a real SQLite database: schema
 * creation (idempotent), create/get/update/delete, versions, links,
 * listing by relation and range, and a schema newer than the module.
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
static char dbpath[] = "/tmp/am-test-store-XXXXXX";
static const apr_dbd_driver_t *driver;

static am_store_t *open_store(void)
{
    return am_test_store(pool, driver, apr_pstrcat(pool, dbpath,
                                                   "/db.sqlite", NULL));
}

/* An If-Match of one version. */
static const am_ifmatch_t *ver(apr_int64_t v)
{
    am_ifmatch_t *c = apr_pcalloc(pool, sizeof(*c));
    apr_int64_t *vs = apr_palloc(pool, sizeof(*vs));

    *vs = v;
    c->nversions = 1;
    c->versions = vs;
    return c;
}

static am_appt_t *sample(int kind, am_time_t start, const char *client)
{
    am_appt_t *a = am_appt_make(pool, kind);

    a->start = start;
    a->end = start + 60 * AM_TICKS_PER_MIN;
    a->title = "Visit";
    a->location = "Room 1";
    a->remarks = "bring papers";
    a->all_day = 0;
    a->moves_to_next_day = 1;
    a->created_by_name = "alice";
    a->created_by_id = 12;
    a->ext = "{\"ContractId\":1}";
    am_appt_add_link(pool, a, "client", client);
    return a;
}

/* An access check as the glue's (glue/access.c) answers: Xelion
 * appointments not readable, team ones readable but not changeable;
 * counts its calls. */
static int access_calls;

static am_err_t *test_access(void *ctx, const am_appt_t *a, int op)
{
    access_calls++;
    if (a->kind == AM_KIND_XELION) {
        return am_err_make(pool, 404, "No appointment with id %"
                           APR_INT64_T_FMT " exists.", a->id);
    }
    if (a->kind == AM_KIND_TEAM && op == AM_ACCESS_CHANGE) {
        return am_err_make(pool, 403, "denied");
    }
    return NULL;
}

/* Every operation on stored appointments asks the access check: reads
 * answer its error, changes ask read then change before they touch
 * anything, lists leave out what is not readable; the route's own kinds
 * (access_own) need no extra read for a change. */
static void test_access_check(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *c = sample(AM_KIND_CONTRACT, 800 * AM_TICKS_PER_DAY, "77001");
    am_appt_t *t = sample(AM_KIND_TEAM, 800 * AM_TICKS_PER_DAY, "77001");
    am_appt_t *x = sample(AM_KIND_XELION, 800 * AM_TICKS_PER_DAY, "77001");
    am_appt_t *got = NULL;
    apr_array_header_t *list = NULL;
    const char *refs[] = { "77001" };
    am_query_t q;
    am_err_t *e;

    assert_null(am_store_create(s, c));
    assert_null(am_store_create(s, t));
    assert_null(am_store_create(s, x));
    s->access = test_access;
    s->access_own = 1u << AM_KIND_CONTRACT;

    access_calls = 0;
    assert_null(am_store_get(s, c->id, AM_KIND_ANY, &got));
    assert_int_equal(access_calls, 1);
    e = am_store_get(s, x->id, AM_KIND_ANY, &got);
    assert_non_null(e);
    assert_int_equal(e->status, 404);
    e = am_store_get_uid(s, x->uid, AM_KIND_ANY, &got);
    assert_non_null(e);
    assert_int_equal(e->status, 404);

    /* changes: not readable 404, not changeable 403, nothing changed */
    e = am_store_delete(s, x->id, AM_KIND_ANY, NULL);
    assert_int_equal(e ? e->status : 0, 404);
    e = am_store_delete(s, t->id, AM_KIND_ANY, NULL);
    assert_int_equal(e ? e->status : 0, 403);
    t->title = "changed";
    e = am_store_update(s, t, NULL);
    assert_int_equal(e ? e->status : 0, 403);
    e = am_store_put_exception(s, t->id, AM_KIND_ANY, NULL, 1, NULL, NULL);
    assert_int_equal(e ? e->status : 0, 403);
    s->access = NULL;
    assert_null(am_store_get(s, t->id, AM_KIND_ANY, &got));
    assert_string_equal(got->title, "Visit");
    assert_int_equal(got->version, 1);
    assert_null(am_store_get(s, x->id, AM_KIND_ANY, &got));
    s->access = test_access;

    /* the route's own kind, named: no read before the change */
    access_calls = 0;
    c->title = "own";
    assert_null(am_store_update(s, c, NULL));
    assert_int_equal(access_calls, 0);
    /* named by AM_KIND_ANY: read, then change */
    assert_null(am_store_delete(s, c->id, AM_KIND_ANY, NULL));
    assert_int_equal(access_calls, 2);

    /* lists: only what is readable */
    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_ANY;
    q.from = 799 * AM_TICKS_PER_DAY;
    q.until = 802 * AM_TICKS_PER_DAY;
    q.rel = "client";
    q.refs = refs;
    q.nrefs = 1;
    assert_null(am_store_list(s, &q, &list));
    assert_int_equal(list->nelts, 1);
    assert_int_equal(APR_ARRAY_IDX(list, 0, am_appt_t *)->id, t->id);
    s->access = NULL;
    assert_null(am_store_list(s, &q, &list));
    assert_int_equal(list->nelts, 2);
}

static void test_crud(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = sample(AM_KIND_CONTRACT, 1000 * AM_TICKS_PER_SEC, "6");
    am_appt_t *g = NULL;
    am_err_t *e;

    assert_null(am_store_create(s, a));
    assert_true(a->id > 0);
    assert_int_equal(a->version, 1);

    assert_null(am_store_get(s, a->id, AM_KIND_CONTRACT, &g));
    assert_int_equal(g->start, a->start);
    assert_int_equal(g->end, a->end);
    assert_string_equal(g->title, "Visit");
    assert_string_equal(g->location, "Room 1");
    assert_string_equal(g->remarks, "bring papers");
    assert_null(g->reason);
    assert_int_equal(g->moves_to_next_day, 1);
    assert_int_equal(g->created_by_id, 12);
    assert_string_equal(g->ext, "{\"ContractId\":1}");
    assert_string_equal(am_appt_link(g, "client"), "6");

    /* Another kind does not see it. */
    e = am_store_get(s, a->id, AM_KIND_TEAM, &g);
    assert_non_null(e);
    assert_int_equal(e->status, 404);

    /* Update with a stale version: 412, nothing changed. */
    a->title = "Changed";
    e = am_store_update(s, a, ver(5));
    assert_non_null(e);
    assert_int_equal(e->status, 412);
    assert_null(am_store_get(s, a->id, AM_KIND_ANY, &g));
    assert_string_equal(g->title, "Visit");

    /* Update with the right version, links replaced. */
    a->links->nelts = 0;
    am_appt_add_link(pool, a, "client", "7");
    am_appt_add_link(pool, a, "client", "7");
    assert_null(am_store_update(s, a, ver(1)));
    assert_int_equal(a->version, 2);
    assert_null(am_store_get(s, a->id, AM_KIND_ANY, &g));
    assert_string_equal(g->title, "Changed");
    assert_int_equal(g->version, 2);
    assert_int_equal(g->links->nelts, 1);
    assert_string_equal(am_appt_link(g, "client"), "7");

    /* Update without If-Match applies. */
    a->title = "Again";
    assert_null(am_store_update(s, a, NULL));
    assert_int_equal(a->version, 3);

    /* Delete: stale version refused, then done, then 404. */
    e = am_store_delete(s, a->id, AM_KIND_CONTRACT, ver(2));
    assert_non_null(e);
    assert_int_equal(e->status, 412);
    assert_null(am_store_delete(s, a->id, AM_KIND_CONTRACT, ver(3)));
    e = am_store_get(s, a->id, AM_KIND_ANY, &g);
    assert_int_equal(e->status, 404);
    e = am_store_delete(s, a->id, AM_KIND_CONTRACT, NULL);
    assert_int_equal(e->status, 404);
    e = am_store_update(s, a, NULL);
    assert_int_equal(e->status, 404);
}

static void test_list(void **state)
{
    am_store_t *s = open_store();
    const am_time_t day = AM_TICKS_PER_DAY;
    const am_time_t t0 = 20000 * day;
    const char *refs[] = { "100", "101" };
    apr_array_header_t *out = NULL;
    am_query_t q;
    am_appt_t *a;

    assert_null(am_store_create(s, sample(AM_KIND_CONTRACT, t0, "100")));
    assert_null(am_store_create(s, sample(AM_KIND_CONTRACT, t0 + day,
                                          "101")));
    assert_null(am_store_create(s, sample(AM_KIND_CONTRACT, t0 + 5 * day,
                                          "100")));
    a = sample(AM_KIND_TEAM, t0, "100");
    assert_null(am_store_create(s, a));

    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_CONTRACT;
    q.from = t0;
    q.until = t0 + 2 * day;
    q.rel = "client";
    q.refs = refs;
    q.nrefs = 1;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 1);

    q.nrefs = 2;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 2);
    /* Ordered by start. */
    assert_true(APR_ARRAY_IDX(out, 0, am_appt_t *)->start
                < APR_ARRAY_IDX(out, 1, am_appt_t *)->start);

    /* Overlap: an appointment that started before the range and ends in
     * it counts; one that ends exactly at from does not. */
    q.nrefs = 1;
    q.from = t0 + 30 * AM_TICKS_PER_MIN;
    q.until = t0 + day;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 1);
    q.from = t0 + 60 * AM_TICKS_PER_MIN;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 0);

    /* Any kind, no relation. */
    q.kind = AM_KIND_ANY;
    q.rel = NULL;
    q.from = t0;
    q.until = t0 + 10 * day;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 4);
    q.limit = 2;
    assert_null(am_store_list(s, &q, &out));
    assert_int_equal(out->nelts, 2);
}

static void test_uid_and_exceptions(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = sample(AM_KIND_TEAM, 30000 * AM_TICKS_PER_DAY, "5");
    am_appt_t *g = NULL;
    am_exception_t x;
    apr_int64_t version = 0;
    am_err_t *e;

    a->rule = "FREQ=DAILY";
    assert_null(am_store_create(s, a));
    assert_non_null(a->uid);
    assert_int_equal(strlen(a->uid), 36);
    assert_null(am_store_get_uid(s, a->uid, AM_KIND_TEAM, &g));
    assert_int_equal(g->id, a->id);
    e = am_store_get_uid(s, "00000000-0000-0000-0000-000000000000",
                         AM_KIND_ANY, &g);
    assert_int_equal(e->status, 404);

    memset(&x, 0, sizeof(x));
    x.index = 3;
    x.deleted = 1;
    assert_null(am_store_put_exception(s, a->id, AM_KIND_TEAM, &x, 0,
                                       ver(1), &version));
    assert_int_equal(version, 2);
    x.index = 5;
    x.deleted = 0;
    x.start = a->start + 5 * AM_TICKS_PER_DAY + AM_TICKS_PER_MIN;
    x.end = x.start + AM_TICKS_PER_MIN;
    x.title = "moved";
    assert_null(am_store_put_exception(s, a->id, AM_KIND_TEAM, &x, 0, NULL,
                                       &version));
    /* Replacing index 5 keeps one row for it. */
    x.title = "moved again";
    assert_null(am_store_put_exception(s, a->id, AM_KIND_TEAM, &x, 0, NULL,
                                       &version));
    assert_int_equal(version, 4);
    /* A stale version changes nothing. */
    e = am_store_put_exception(s, a->id, AM_KIND_TEAM, &x, 0, ver(2),
                               NULL);
    assert_int_equal(e->status, 412);

    assert_null(am_store_get(s, a->id, AM_KIND_TEAM, &g));
    assert_int_equal(g->version, 4);
    assert_int_equal(g->exceptions->nelts, 2);
    assert_int_equal(APR_ARRAY_IDX(g->exceptions, 0, am_exception_t).index,
                     3);
    assert_true(APR_ARRAY_IDX(g->exceptions, 0, am_exception_t).deleted);
    assert_string_equal(APR_ARRAY_IDX(g->exceptions, 1,
                                      am_exception_t).title, "moved again");

    /* Clearing removes them all. */
    assert_null(am_store_put_exception(s, a->id, AM_KIND_TEAM, NULL, 1,
                                       NULL, NULL));
    assert_null(am_store_get(s, a->id, AM_KIND_TEAM, &g));
    assert_int_equal(g->exceptions->nelts, 0);
    assert_null(am_store_delete(s, a->id, AM_KIND_TEAM, NULL));
}

/* An occurrence handed over as an appointment of its own: the series'
 * exception and the new appointment in one transaction, or neither. */
/* New uids are UUIDs of version 7: they begin with the time of their
 * creation (milliseconds), so later ones sort after earlier ones, and
 * the rest is random. */
static void test_uid_ordered(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = sample(AM_KIND_CONTRACT, 30000 * AM_TICKS_PER_DAY, "6");
    am_appt_t *b = sample(AM_KIND_CONTRACT, 30000 * AM_TICKS_PER_DAY, "6");
    am_appt_t *c = sample(AM_KIND_CONTRACT, 30000 * AM_TICKS_PER_DAY, "6");
    apr_time_t before = apr_time_now();
    char ms[13];

    assert_null(am_store_create(s, a));
    usleep(2000);
    assert_null(am_store_create(s, b));
    assert_null(am_store_create(s, c));
    assert_int_equal(strlen(a->uid), 36);
    assert_int_equal(a->uid[14], '7');
    assert_non_null(strchr("89ab", a->uid[19]));
    assert_true(strcmp(a->uid, b->uid) < 0);
    /* Within one millisecond the order is random, never the same. */
    assert_memory_not_equal(b->uid + 24, c->uid + 24, 12);
    /* The first 48 bits are the creation time in milliseconds. */
    memcpy(ms, a->uid, 8);
    memcpy(ms + 8, a->uid + 9, 4);
    ms[12] = '\0';
    assert_in_range(strtoll(ms, NULL, 16), apr_time_as_msec(before),
                    apr_time_as_msec(apr_time_now()));
}

static void test_put_exception_create(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = sample(AM_KIND_ACTION, 30100 * AM_TICKS_PER_DAY, "8");
    am_appt_t *n, *blocker, *g = NULL;
    am_exception_t x;
    apr_array_header_t *found = NULL;
    apr_int64_t version = 0;
    const char *ref = "9";
    am_query_t q;
    am_err_t *e;

    a->rule = "FREQ=DAILY;COUNT=3";
    assert_null(am_store_create(s, a));

    memset(&x, 0, sizeof(x));
    x.index = 1;
    x.deleted = 1;
    n = sample(AM_KIND_ACTION, a->start + AM_TICKS_PER_DAY, "8");
    am_appt_add_link(pool, n, "employee", ref);
    /* A stale version of the series: neither is written. */
    e = am_store_put_exception_create(s, a->id, AM_KIND_ACTION, &x, ver(7),
                                      &version, n);
    assert_non_null(e);
    assert_int_equal(e->status, 412);
    assert_int_equal(n->id, 0);
    memset(&q, 0, sizeof(q));
    q.rel = "employee";
    q.refs = &ref;
    q.nrefs = 1;
    q.from = AM_TIME_MIN;
    q.until = AM_TIME_MAX;
    assert_null(am_store_list(s, &q, &found));
    assert_int_equal(found->nelts, 0);
    assert_null(am_store_get(s, a->id, AM_KIND_ACTION, &g));
    assert_int_equal(g->exceptions->nelts, 0);

    /* The new appointment refused after the exception was written (it
     * would double-book employee 9): the exception goes too. */
    blocker = sample(AM_KIND_EMPLOYEE, a->start + AM_TICKS_PER_DAY, "1");
    am_appt_add_link(pool, blocker, "employee", ref);
    assert_null(am_store_create(s, blocker));
    n = sample(AM_KIND_ACTION, a->start + AM_TICKS_PER_DAY, "8");
    am_appt_add_link(pool, n, "employee", ref);
    n->exclusive = "employee";
    e = am_store_put_exception_create(s, a->id, AM_KIND_ACTION, &x, ver(1),
                                      &version, n);
    assert_non_null(e);
    assert_int_equal(e->status, 409);
    assert_null(am_store_get(s, a->id, AM_KIND_ACTION, &g));
    assert_int_equal(g->exceptions->nelts, 0);
    assert_int_equal(g->version, 1);
    assert_null(am_store_delete(s, blocker->id, AM_KIND_ANY, NULL));

    /* The current version: both. */
    n = sample(AM_KIND_ACTION, a->start + AM_TICKS_PER_DAY, "8");
    am_appt_add_link(pool, n, "employee", ref);
    assert_null(am_store_put_exception_create(s, a->id, AM_KIND_ACTION, &x,
                                              ver(1), &version, n));
    assert_int_equal(version, 2);
    assert_true(n->id > 0);
    assert_int_equal(n->version, 1);
    assert_null(am_store_get(s, a->id, AM_KIND_ACTION, &g));
    assert_int_equal(g->exceptions->nelts, 1);
    assert_true(APR_ARRAY_IDX(g->exceptions, 0, am_exception_t).deleted);
    assert_null(am_store_get(s, n->id, AM_KIND_ACTION, &g));
    assert_string_equal(am_appt_link(g, "employee"), "9");
    assert_null(am_store_delete(s, n->id, AM_KIND_ANY, NULL));
    assert_null(am_store_delete(s, a->id, AM_KIND_ANY, NULL));
}

static void test_exclusive(void **state)
{
    am_store_t *s = open_store();
    const am_time_t t0 = 40000 * AM_TICKS_PER_DAY;
    am_appt_t *a = sample(AM_KIND_PATIENT, t0, "x");
    am_appt_t *b = sample(AM_KIND_PATIENT, t0 + 30 * AM_TICKS_PER_MIN, "x");
    am_appt_t *c = sample(AM_KIND_PATIENT, t0 + 60 * AM_TICKS_PER_MIN, "x");
    am_err_t *e;

    am_appt_add_link(pool, a, "provider", "p1");
    am_appt_add_link(pool, b, "provider", "p1");
    am_appt_add_link(pool, c, "provider", "p1");
    a->exclusive = b->exclusive = c->exclusive = "provider";
    assert_null(am_store_create(s, a));
    e = am_store_create(s, b);
    assert_non_null(e);
    assert_int_equal(e->status, 409);
    assert_int_equal(b->id, 0);
    /* Back to back is not an overlap. */
    assert_null(am_store_create(s, c));
    /* Moving c onto a is refused; a itself may move within its slot. */
    c->start = a->start;
    e = am_store_update(s, c, NULL);
    assert_int_equal(e->status, 409);
    a->end = a->end - AM_TICKS_PER_MIN;
    assert_null(am_store_update(s, a, NULL));
    /* A cancelled appointment frees its slot. */
    b->start = t0 + 10 * AM_TICKS_PER_MIN;
    b->end = t0 + 60 * AM_TICKS_PER_MIN;
    e = am_store_create(s, b);
    assert_int_equal(e->status, 409);
    a->status = AM_STATUS_CANCELLED;
    assert_null(am_store_update(s, a, NULL));
    assert_null(am_store_create(s, b));
}

/* If-Match as the store sees it: a list of versions, "*", and either on
 * an appointment that does not exist. */
static void test_ifmatch(void **state)
{
    am_store_t *s = open_store();
    am_appt_t *a = sample(AM_KIND_CONTRACT, 700 * AM_TICKS_PER_DAY, "8");
    apr_int64_t two[2] = { 3, 1 }, none[1] = { 0 };
    am_ifmatch_t list = { 0, 2, two }, three = { 0, 1, two }, star = { 1 };
    am_ifmatch_t empty = { 0, 0, none };
    am_err_t *e;

    assert_true(am_ifmatch_met(NULL, 0));
    assert_true(am_ifmatch_met(NULL, 4));
    assert_true(am_ifmatch_met(&star, 4));
    assert_false(am_ifmatch_met(&star, 0));
    assert_true(am_ifmatch_met(&list, 1));
    assert_true(am_ifmatch_met(&list, 3));
    assert_false(am_ifmatch_met(&list, 2));
    assert_false(am_ifmatch_met(&empty, 1));

    assert_null(am_store_create(s, a));
    assert_int_equal(a->version, 1);
    /* Any version of the list will do. */
    assert_null(am_store_update(s, a, &list));
    assert_int_equal(a->version, 2);
    e = am_store_update(s, a, &list);
    assert_non_null(e);
    assert_int_equal(e->status, 412);
    e = am_store_update(s, a, &empty);
    assert_non_null(e);
    assert_int_equal(e->status, 412);
    assert_null(am_store_update(s, a, &star));
    assert_int_equal(a->version, 3);
    assert_null(am_store_update(s, a, &three));
    assert_int_equal(a->version, 4);
    assert_null(am_store_delete(s, a->id, AM_KIND_CONTRACT, &star));
    /* Gone: "*" fails as a version does (412); no If-Match: 404. */
    e = am_store_update(s, a, &star);
    assert_int_equal(e->status, 412);
    e = am_store_delete(s, a->id, AM_KIND_CONTRACT, &star);
    assert_int_equal(e->status, 412);
    e = am_store_put_exception(s, a->id, AM_KIND_CONTRACT, NULL, 1, &star,
                               NULL);
    assert_int_equal(e->status, 412);
    e = am_store_delete(s, a->id, AM_KIND_CONTRACT, NULL);
    assert_int_equal(e->status, 404);
}

static void test_schema(void **state)
{
    am_store_t *s = open_store();
    am_store_t *again;
    am_err_t *e;
    int nrows;

    /* A second connection finds the schema in place. */
    again = open_store();
    assert_non_null(again);

    /* A schema newer than this module is refused. */
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "UPDATE am_schema SET version = 99"), 0);
    {
        apr_dbd_t *h = NULL;
        const char *file = apr_pstrcat(pool, dbpath, "/db.sqlite", NULL);
        assert_int_equal(apr_dbd_open(driver, pool, file, &h), 0);
        e = am_store_connect(pool, driver, h, apr_hash_make(pool));
        assert_non_null(e);
        assert_non_null(strstr(e->message, "newer"));
    }
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "UPDATE am_schema SET version = 1"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crud),
        cmocka_unit_test(test_access_check),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_uid_and_exceptions),
        cmocka_unit_test(test_uid_ordered),
        cmocka_unit_test(test_put_exception_create),
        cmocka_unit_test(test_exclusive),
        cmocka_unit_test(test_ifmatch),
        cmocka_unit_test(test_schema),
    };

    if (am_test_store_begin(&pool, &driver, dbpath)) {
        return 1;
    }
    return am_test_store_end(pool, dbpath,
                             cmocka_run_group_tests(tests, NULL, NULL));
}

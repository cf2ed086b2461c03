/* Licensed under the Apache License, Version 2.0.
 *
 * test_ops.c: the generic operations against a real SQLite store: a
 * view's read by kind and owner, create with server stamping, a
 * replacement keeping what the server owns, delete (src/ops.c); a change
 * with retry that meets a concurrent change (am_store_change); a range
 * list with expansion and cursor paging (src/page.c).
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
#include "ops.h"
#include "store_fixture.h"
#include "page.h"

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-ops-XXXXXX";
static const apr_dbd_driver_t *driver;
static am_store_t *store;

static am_store_t *open_store(void)
{
    am_store_t *s = am_test_store(pool, driver, apr_pstrcat(pool, dbpath,
                                                            "/db.sqlite",
                                                            NULL));

    assert_true(am_store_ready(s->prepared));
    return s;
}

static am_req_t *request(apr_int64_t employee, const char *id)
{
    am_req_t *rq = apr_pcalloc(pool, sizeof(*rq));

    rq->pool = pool;
    rq->store = store;
    rq->user = "alice";
    rq->display_name = "Alice";
    rq->employee_id = employee;
    rq->tz = am_tz_get("UTC");
    rq->params = apr_table_make(pool, 2);
    if (id) {
        apr_table_set(rq->params, "id", id);
    }
    return rq;
}

static am_resp_t *response(void)
{
    am_resp_t *rs = apr_pcalloc(pool, sizeof(*rs));

    rs->status = 200;
    rs->headers = apr_table_make(pool, 2);
    return rs;
}

static am_appt_t *appt(int kind, am_time_t start)
{
    am_appt_t *a = am_appt_make(pool, kind);

    a->start = start;
    a->end = start + 30 * AM_TICKS_PER_MIN;
    a->title = "t";
    return a;
}

static const am_view_t team = {
    AM_KIND_TEAM, AM_VIEW_KIND(AM_KIND_TEAM), "id", NULL, "Team/%"
    APR_INT64_T_FMT
};
static const am_view_t mine = {
    AM_KIND_EMPLOYEE, AM_VIEW_KIND(AM_KIND_EMPLOYEE), "id", "employee",
    "Mine/%" APR_INT64_T_FMT
};

static void test_view(void **state)
{
    am_time_t t = (am_time_t)1790000000 * AM_TICKS_PER_SEC;
    am_appt_t *a = appt(AM_KIND_TEAM, t), *b = appt(AM_KIND_EMPLOYEE, t);
    am_appt_t *got = NULL, *r;
    am_resp_t *rs = response();
    am_req_t *rq = request(7, NULL);
    const char *id;

    /* create: stamped, located, owned */
    assert_null(am_op_create(rq, rs, &team, a));
    assert_int_equal(a->created_by_id, 7);
    assert_string_equal(a->created_by_name, "Alice");
    assert_string_equal(rs->location, apr_psprintf(pool, "Team/%"
                                                   APR_INT64_T_FMT, a->id));
    assert_null(am_op_create(rq, response(), &mine, b));
    assert_string_equal(am_appt_link(b, "employee"), "7");
    assert_int_equal(am_op_create(request(0, NULL), response(), &mine,
                                  appt(AM_KIND_EMPLOYEE, t))->status, 403);

    /* read: by kind and owner */
    assert_null(am_op_read(rq, &team, a->id, &got));
    assert_int_equal(got->id, a->id);
    assert_int_equal(am_op_read(rq, &team, b->id, &got)->status, 404);
    assert_null(am_op_read(rq, &mine, b->id, &got));
    assert_int_equal(am_op_read(request(8, NULL), &mine, b->id, &got)
                     ->status, 404);
    assert_int_equal(am_op_read(request(0, NULL), &mine, b->id, &got)
                     ->status, 403);

    /* a replacement keeps what the server owns */
    a->status = AM_STATUS_CANCELLED;
    a->reason = "ill";
    a->ext = "{\"x\":1}";
    r = am_op_replacement(pool, a);
    assert_int_equal(r->id, a->id);
    assert_string_equal(r->uid, a->uid);
    assert_int_equal(r->created_by_id, 7);
    assert_int_equal(r->status, AM_STATUS_CANCELLED);
    assert_string_equal(r->reason, "ill");
    assert_string_equal(r->ext, "{\"x\":1}");
    assert_null(r->title);

    /* delete: as the view sees it */
    id = apr_psprintf(pool, "%" APR_INT64_T_FMT, b->id);
    assert_int_equal(am_op_delete(request(8, id), response(), &mine)->status,
                     404);
    rs = response();
    assert_null(am_op_delete(request(7, id), rs, &mine));
    assert_int_equal(rs->status, 204);
    assert_int_equal(am_store_get(store, b->id, AM_KIND_ANY, &got)->status,
                     404);
}

/* The change function of test_change: the first time, another writer
 * changes the appointment before this change is stored. */
static int calls;

static am_err_t *retitle(void *ctx, const am_appt_t *old, am_appt_t *a,
                         int *clear)
{
    if (calls++ == 0) {
        am_appt_t *other = apr_pmemdup(pool, old, sizeof(*old));

        other->location = "moved meanwhile";
        assert_null(am_store_update(store, other, NULL));
    }
    a->title = apr_psprintf(pool, "changed on version %" APR_INT64_T_FMT,
                            old->version);
    *clear = 0;
    return NULL;
}

static void test_change(void **state)
{
    am_time_t t = (am_time_t)1791000000 * AM_TICKS_PER_SEC;
    am_appt_t *a = appt(AM_KIND_XELION, t), *out = NULL;
    am_ifmatch_t any = { 1, 0, NULL };

    assert_null(am_store_create(store, a));
    calls = 0;
    assert_null(am_store_change(store, a->id, AM_KIND_ANY, NULL, retitle,
                                NULL, &out));
    assert_int_equal(calls, 2);
    /* applied again to the version the other writer made, keeping its
     * change */
    assert_string_equal(out->title, "changed on version 2");
    assert_string_equal(out->location, "moved meanwhile");
    assert_int_equal(out->version, 3);
    /* If-Match is checked against the version read */
    calls = 1;
    assert_int_equal(am_store_change(store, a->id, AM_KIND_ANY,
                                     am_cond_if_match(pool, "\"v2-json\""),
                                     retitle, NULL, &out)->status, 412);
    assert_null(am_store_change(store, a->id, AM_KIND_ANY, &any, retitle,
                                NULL, &out));
    assert_int_equal(am_store_change(store, 999999, AM_KIND_ANY, NULL,
                                     retitle, NULL, &out)->status, 404);
}

/* A single appointment and a daily series of 5 on one calendar, listed
 * two entries a page. */
static void test_page(void **state)
{
    const am_tz_t *utc = am_tz_get("UTC");
    am_time_t day = AM_TICKS_PER_DAY;
    am_time_t t = (am_time_t)1792000000 * AM_TICKS_PER_SEC / day * day;
    am_appt_t *one = appt(AM_KIND_XELION, t + day + AM_TICKS_PER_MIN);
    am_appt_t *series = appt(AM_KIND_XELION, t);
    am_rule_t rule;
    am_query_t q;
    am_page_t page;
    am_cursor_t cur;
    const char *cal = "4242";
    int pages = 0, n = 0;
    const am_cursor_t *at = NULL;

    memset(&rule, 0, sizeof(rule));
    rule.type = AM_RECUR_DAILY;
    rule.periodicity = 1;
    rule.weekdays = AM_WD_EVERYDAY;
    rule.range = AM_RANGE_COUNT;
    rule.count = 5;
    rule.start = t;
    rule.end = t;
    rule.day_number = 1;
    rule.month = 1;
    rule.duration = 30 * AM_TICKS_PER_MIN;
    series->rule = am_rule_format(pool, &rule, utc);
    series->last_end = am_rule_last_end(&rule, utc);
    am_appt_add_link(pool, one, "calendar", cal);
    am_appt_add_link(pool, series, "calendar", cal);
    assert_null(am_store_create(store, one));
    assert_null(am_store_create(store, series));

    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_ANY;
    q.rel = "calendar";
    q.refs = &cal;
    q.nrefs = 1;
    q.from = t;
    q.until = t + 10 * day;
    do {
        assert_null(am_page_list(pool, store, &q, utc, at, 2, 100, &page));
        n += page.entries->nelts;
        pages++;
        if (pages == 1) {
            /* by start: the series' first two occurrences, before the
             * single one a minute after the second; the series once */
            assert_int_equal(APR_ARRAY_IDX(page.entries, 0, am_entry_t).index,
                             0);
            assert_int_equal(APR_ARRAY_IDX(page.entries, 1, am_entry_t).id,
                             series->id);
            assert_int_equal(APR_ARRAY_IDX(page.entries, 1, am_entry_t).index,
                             1);
            assert_int_equal(page.appts->nelts, 1);
        }
        if (pages == 2) {
            assert_int_equal(APR_ARRAY_IDX(page.entries, 0, am_entry_t).id,
                             one->id);
            assert_int_equal(page.appts->nelts, 2);
        }
        if (page.next) {
            assert_int_equal(am_cursor_parse(pool, page.next, &cur), 1);
            at = &cur;
        }
    } while (page.next && pages < 10);
    assert_int_equal(n, 6);
    assert_int_equal(pages, 3);
    assert_int_equal(am_cursor_parse(pool, "abc", &cur), -1);
    assert_int_equal(am_cursor_parse(pool, "", &cur), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_change),
        cmocka_unit_test(test_page),
    };

    if (am_test_store_begin(&pool, &driver, dbpath)) {
        return 1;
    }
    store = open_store();
    return am_test_store_end(pool, dbpath,
                             cmocka_run_group_tests(tests, NULL, NULL));
}

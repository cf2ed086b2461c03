/* Licensed under the Apache License, Version 2.0.
 *
 * test_feed.c: the window of a calendar feed (default, from/until dates
 * of the zone, bad input) and the canonical path a feed key is bound to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include "feed.h"

static apr_pool_t *pool;
static const am_tz_t *ams;

static am_time_t at(const char *iso)
{
    am_time_t t = 0;

    assert_int_equal(am_time_parse_iso(iso, ams, &t), 0);
    return t;
}

static am_err_t *window(const char *args, int back, int ahead,
                        am_time_t *from, am_time_t *until)
{
    am_req_t rq;

    memset(&rq, 0, sizeof(rq));
    rq.pool = pool;
    rq.tz = ams;
    rq.feed_days_back = back;
    rq.feed_days_ahead = ahead;
    assert_null(am_query_parse(pool, args, &rq.query));
    return am_feed_window(&rq, at("2026-10-26T15:00:00+01:00"), from,
                          until);
}

static void test_window(void **state)
{
    am_time_t from, until;
    am_err_t *e;

    /* Default: 30 days back, 365 ahead, whole days of the zone (the
     * first across the change to winter time). */
    assert_null(window(NULL, 0, 0, &from, &until));
    assert_true(from == at("2026-09-26T00:00:00+02:00"));
    assert_true(until == at("2027-10-27T00:00:00+02:00"));
    /* AppointmentsFeedWindow 2 3. */
    assert_null(window(NULL, 2, 3, &from, &until));
    assert_true(from == at("2026-10-24T00:00:00+02:00"));
    assert_true(until == at("2026-10-30T00:00:00+01:00"));
    /* from and until (inclusive), either alone. */
    assert_null(window("from=2026-03-29&until=2026-03-29", 0, 0, &from,
                       &until));
    assert_true(from == at("2026-03-29T00:00:00+01:00"));
    assert_true(until == at("2026-03-30T00:00:00+02:00"));
    assert_null(window("until=2026-12-31", 0, 0, &from, &until));
    assert_true(from == at("2026-09-26T00:00:00+02:00"));
    assert_true(until == at("2027-01-01T00:00:00+01:00"));
    assert_null(window("from=0001-01-01&until=9999-12-30", 0, 0, &from,
                       &until));

    /* Bad input: 400 naming the argument. */
    e = window("from=2026-02-30", 0, 0, &from, &until);
    assert_non_null(e);
    assert_int_equal(e->status, 400);
    assert_string_equal(APR_ARRAY_IDX(e->fields, 0, am_fielderr_t).key,
                        "from");
    e = window("from=2026-1-01", 0, 0, &from, &until);
    assert_non_null(e);
    e = window("until=20261231", 0, 0, &from, &until);
    assert_non_null(e);
    assert_string_equal(APR_ARRAY_IDX(e->fields, 0, am_fielderr_t).key,
                        "until");
    e = window("from=0000-01-01", 0, 0, &from, &until);
    assert_non_null(e);
    e = window("from=2026-07-02&until=2026-07-01", 0, 0, &from, &until);
    assert_non_null(e);
    assert_int_equal(e->status, 400);
    e = window("from=2026-13-01&until=x", 0, 0, &from, &until);
    assert_int_equal(e->fields->nelts, 2);
}

static am_err_t *h_none(am_req_t *rq, am_resp_t *rs)
{
    return NULL;
}

/* A key is bound to the feed's canonical path: ids without leading
 * zeros, literal segments as the table spells them. */
static void test_route_path(void **state)
{
    static const am_route_t r1 = { "GET", "Feeds/Clients/{clientId}.ics",
                                   h_none, "F", "Start", NULL };
    static const am_route_t r2 = { "GET", "Feeds/Employee.ics", h_none,
                                   "F", "Start", NULL };
    static const am_route_t r3 = { "GET", "Feeds/P/{p:guid}.ics", h_none,
                                   "F", "Start", NULL };
    apr_table_t *params = apr_table_make(pool, 2);

    apr_table_setn(params, "clientId", "0042");
    assert_string_equal(am_route_path(pool, &r1, params),
                        "Feeds/Clients/42.ics");
    assert_string_equal(am_route_path(pool, &r2, params),
                        "Feeds/Employee.ics");
    apr_table_setn(params, "p", "84ef7a81-c643-4b8e-85e5-1ff52fc35f3d");
    assert_string_equal(am_route_path(pool, &r3, params),
                        "Feeds/P/84ef7a81-c643-4b8e-85e5-1ff52fc35f3d.ics");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_route_path),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    ams = am_tz_get("Europe/Amsterdam");
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

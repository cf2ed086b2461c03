/* Licensed under the Apache License, Version 2.0.
 *
 * test_route.c: route matching (404, 405 with Allow, typed path
 * parameters), query strings and typed query arguments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include "route.h"

static apr_pool_t *pool;

static am_err_t *h_none(am_req_t *rq, am_resp_t *rs)
{
    return NULL;
}

static const am_route_t routes[] = {
    { "GET", "Things", h_none, "F", "Start", NULL },
    { "POST", "Things", h_none, "F", "Start", NULL },
    { "GET", "Things/{id}", h_none, "F", "Start", NULL },
    { "DELETE", "Things/{id}/Index/{index}", h_none, "F", "Start", NULL },
    { "GET", "Guids/{gid:guid}", h_none, "F", "Start", NULL },
    { "GET", "Feeds/{fid}.ics", h_none, "F", "Start", NULL },
};

static const am_dialect_t dialect = {
    "test", routes, (int)(sizeof(routes) / sizeof(routes[0])), NULL,
    "model", AM_FMT_JSON, NULL
};

static const am_route_t *match(const char *method, const char *path,
                               int *status, apr_table_t **params,
                               const char **allow)
{
    const am_route_t *r = NULL;
    am_err_t *e;

    *params = apr_table_make(pool, 2);
    e = am_route_match(pool, &dialect, method, path, &r, *params);
    *status = e ? e->status : 200;
    if (allow) {
        *allow = e ? e->allow : NULL;
    }
    return e ? NULL : r;
}

static void test_match(void **state)
{
    apr_table_t *params;
    int status;

    assert_ptr_equal(match("GET", "Things", &status, &params, NULL),
                     &routes[0]);
    assert_ptr_equal(match("POST", "/Things", &status, &params, NULL),
                     &routes[1]);
    /* Literal segments are case-insensitive, as ASP.NET routing is. */
    assert_ptr_equal(match("GET", "things/42", &status, &params, NULL),
                     &routes[2]);
    assert_string_equal(apr_table_get(params, "id"), "42");
    /* A trailing slash is tolerated; HEAD is GET. */
    assert_ptr_equal(match("HEAD", "Things/42/", &status, &params, NULL),
                     &routes[2]);
    assert_ptr_equal(match("DELETE", "Things/7/Index/3", &status, &params,
                           NULL), &routes[3]);
    assert_string_equal(apr_table_get(params, "index"), "3");
    assert_ptr_equal(match("GET", "Guids/{84EF7A81-C643-4B8E-85E5-1FF52FC35F3D}",
                           &status, &params, NULL), &routes[4]);
    assert_string_equal(apr_table_get(params, "gid"),
                        "84ef7a81-c643-4b8e-85e5-1ff52fc35f3d");
}

static void test_errors(void **state)
{
    apr_table_t *params;
    const char *allow;
    int status;

    assert_null(match("GET", "Nothing", &status, &params, NULL));
    assert_int_equal(status, 404);
    assert_null(match("GET", "Things/42/more", &status, &params, NULL));
    assert_int_equal(status, 404);
    assert_null(match("GET", "", &status, &params, NULL));
    assert_int_equal(status, 404);

    assert_null(match("PUT", "Things", &status, &params, &allow));
    assert_int_equal(status, 405);
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "POST"));
    assert_non_null(strstr(allow, "HEAD"));
    assert_null(match("PATCH", "Things/1", &status, &params, &allow));
    assert_int_equal(status, 405);
    assert_string_equal(allow, "GET, HEAD");

    /* Parameters are range-checked integers 1..2^63-1. */
    assert_null(match("GET", "Things/0", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Things/-1", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Things/abc", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Things/9223372036854775808", &status, &params,
                      NULL));
    assert_int_equal(status, 400);
    assert_non_null(match("GET", "Things/9223372036854775807", &status,
                          &params, NULL));
    assert_null(match("GET", "Things/1e3", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Things/+1", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Guids/not-a-guid", &status, &params, NULL));
    assert_int_equal(status, 400);
}

/* A parameter with a literal suffix in its segment ("{fid}.ics"). */
static void test_suffix(void **state)
{
    apr_table_t *params;
    int status;

    assert_ptr_equal(match("GET", "Feeds/12.ics", &status, &params, NULL),
                     &routes[5]);
    assert_string_equal(apr_table_get(params, "fid"), "12");
    assert_ptr_equal(match("GET", "feeds/12.ICS", &status, &params, NULL),
                     &routes[5]);
    assert_null(match("GET", "Feeds/12", &status, &params, NULL));
    assert_int_equal(status, 404);
    assert_null(match("GET", "Feeds/.ics", &status, &params, NULL));
    assert_int_equal(status, 404);
    assert_null(match("GET", "Feeds/12.ics.ics", &status, &params, NULL));
    assert_int_equal(status, 400);
    assert_null(match("GET", "Feeds/0.ics", &status, &params, NULL));
    assert_int_equal(status, 400);
}

static void test_query(void **state)
{
    apr_table_t *q;

    assert_null(am_query_parse(pool, "clientIds%5B0%5D=6&dateFrom="
                               "2026-05-26T00:00:00%2B02:00&a+b=c+d&flag",
                               &q));
    assert_string_equal(apr_table_get(q, "clientIds[0]"), "6");
    assert_string_equal(apr_table_get(q, "dateFrom"),
                        "2026-05-26T00:00:00+02:00");
    assert_string_equal(apr_table_get(q, "a b"), "c d");
    assert_string_equal(apr_table_get(q, "flag"), "");
    assert_null(am_query_parse(pool, NULL, &q));
    assert_null(am_query_parse(pool, "", &q));
    assert_non_null(am_query_parse(pool, "a=%zz", &q));
    assert_non_null(am_query_parse(pool, "a=%2", &q));
    assert_non_null(am_query_parse(pool, "a=%00", &q));
}

static void test_args(void **state)
{
    am_req_t rq;
    am_err_t *e = NULL;
    apr_int64_t v = 0;
    am_time_t t = 0;

    memset(&rq, 0, sizeof(rq));
    rq.pool = pool;
    rq.tz = am_tz_get("Europe/Amsterdam");
    assert_null(am_query_parse(pool, "n=12&big=99999999999999999999&"
                               "d=2026-05-26&bad=2026-02-30", &rq.query));
    assert_int_equal(am_arg_int64(&rq, "n", 1, 100, 1, &v, &e), 1);
    assert_int_equal(v, 12);
    assert_null(e);
    assert_int_equal(am_arg_int64(&rq, "n", 13, 100, 1, &v, &e), -1);
    assert_int_equal(am_arg_int64(&rq, "big", 1, APR_INT64_MAX, 1, &v, &e),
                     -1);
    assert_int_equal(am_arg_int64(&rq, "missing", 1, 100, 0, &v, &e), 0);
    assert_int_equal(am_arg_int64(&rq, "missing", 1, 100, 1, &v, &e), -1);
    assert_int_equal(am_arg_time(&rq, "d", 1, &t, &e), 1);
    assert_int_equal(am_arg_time(&rq, "bad", 1, &t, &e), -1);
    assert_non_null(e);
    assert_int_equal(e->status, 400);
    /* Every bad argument is listed. */
    assert_int_equal(e->fields->nelts, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_suffix),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_args),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

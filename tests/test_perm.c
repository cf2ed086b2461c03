/* Licensed under the Apache License, Version 2.0.
 *
 * test_perm.c: the function registry, grant parsing and matching, the
 * route check every dialect must pass, and the user map.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_file_io.h>
#include "perm.h"

static apr_pool_t *pool;

#define CLIENT_GUID "6D8B7697-D439-4E6E-9773-52E40081B837"
#define TEAM_GUID   "C3F247FC-E417-49CB-81F0-823D1E835B68"
#define EMPL_GUID   "2B7BC787-80B4-41AD-8975-FD07F3CC1746"

static void test_registry(void **state)
{
    const am_function_t *f;
    int i, j;

    f = am_function_find(pool, "ClientGroupCalendar");
    assert_non_null(f);
    assert_string_equal(f->guid, CLIENT_GUID);
    assert_ptr_equal(am_function_find(pool, "clientgroupcalendar"), f);
    assert_ptr_equal(am_function_find(pool, "{" CLIENT_GUID "}"), f);
    assert_ptr_equal(am_function_find(pool, CLIENT_GUID), f);
    assert_ptr_equal(am_function_find(pool,
                     "{6d8b7697-d439-4e6e-9773-52e40081b837}"), f);
    assert_string_equal(am_function_find(pool, "TeamCalendar")->guid,
                        TEAM_GUID);
    assert_string_equal(am_function_find(pool, "EmployeeCalendar")->guid,
                        EMPL_GUID);
    assert_non_null(am_function_find(pool, AM_FN_PATIENT_CALENDAR));
    assert_non_null(am_function_find(pool, AM_FN_XELION_CALENDAR));
    assert_null(am_function_find(pool, "NoSuchCalendar"));
    assert_null(am_function_find(pool, ""));
    assert_null(am_function_find(pool, NULL));
    assert_null(am_function_find(pool,
                "{00000000-0000-0000-0000-000000000000}"));
    assert_null(am_function_find(pool, "{6D8B7697-D439-4E6E-9773}"));

    /* Names and GUIDs are unique; GUIDs are canonical upper case. */
    for (i = 0; am_functions[i].name; i++) {
        const char *g = am_guid_parse(pool, am_functions[i].guid);
        assert_non_null(g);
        assert_int_equal(strcasecmp(g, am_functions[i].guid), 0);
        for (j = 0; am_functions[i].guid[j]; j++) {
            assert_false(am_functions[i].guid[j] >= 'a'
                         && am_functions[i].guid[j] <= 'z');
        }
        for (j = i + 1; am_functions[j].name; j++) {
            assert_int_not_equal(strcasecmp(am_functions[i].name,
                                            am_functions[j].name), 0);
            assert_int_not_equal(strcasecmp(am_functions[i].guid,
                                            am_functions[j].guid), 0);
        }
    }

    assert_int_equal(am_permission_find("Start"), 0);
    assert_int_equal(am_permission_find("edit"), 1);
    assert_int_equal(am_permission_find("APPROVE"), 2);
    assert_int_equal(am_permission_find("Delete"), -1);
    assert_int_equal(am_permission_find(NULL), -1);
    assert_string_equal(am_permission_name(1), "Edit");
    assert_null(am_permission_name(3));
    assert_null(am_permission_name(-1));
    assert_non_null(strstr(am_function_names(pool),
                           "TeamCalendar {" TEAM_GUID "}"));
    assert_string_equal(am_permission_names(pool), "Start, Edit, Approve");
}

static void test_grant_parse(void **state)
{
    am_grant_t g;
    const char *err;

    assert_null(am_grant_parse(pool, "ClientGroupCalendar", &g));
    assert_string_equal(g.function->name, "ClientGroupCalendar");
    assert_int_equal(g.permission, 0);
    assert_null(am_grant_parse(pool, "TeamCalendar:Edit", &g));
    assert_string_equal(g.function->name, "TeamCalendar");
    assert_int_equal(g.permission, 1);
    assert_null(am_grant_parse(pool, "{" EMPL_GUID "}:approve", &g));
    assert_string_equal(g.function->name, "EmployeeCalendar");
    assert_int_equal(g.permission, 2);
    assert_null(am_grant_parse(pool,
                "2b7bc787-80b4-41ad-8975-fd07f3cc1746", &g));
    assert_string_equal(g.function->name, "EmployeeCalendar");

    err = am_grant_parse(pool, "NoSuchCalendar:Start", &g);
    assert_non_null(err);
    assert_non_null(strstr(err, "unknown function 'NoSuchCalendar'"));
    err = am_grant_parse(pool, "TeamCalendar:Delete", &g);
    assert_non_null(err);
    assert_non_null(strstr(err, "unknown permission 'Delete'"));
    assert_non_null(am_grant_parse(pool, ":Start", &g));
    assert_non_null(am_grant_parse(pool, "TeamCalendar:", &g));
    assert_non_null(am_grant_parse(pool, "TeamCalendar:Start:Edit", &g));
    assert_non_null(am_grant_parse(pool, "{" TEAM_GUID, &g));
}

static void test_grants(void **state)
{
    apr_array_header_t *gs = NULL;
    const char *err;

    assert_null(am_grants_parse(pool, "  ClientGroupCalendar:Start\t"
                                "\"{" TEAM_GUID "}:Edit\" 'EmployeeCalendar'",
                                &gs));
    assert_int_equal(gs->nelts, 3);
    assert_true(am_grants_allow(pool, gs, "ClientGroupCalendar", "Start"));
    assert_true(am_grants_allow(pool, gs, "ClientGroupCalendar", NULL));
    assert_true(am_grants_allow(pool, gs, CLIENT_GUID, "Start"));
    assert_false(am_grants_allow(pool, gs, "ClientGroupCalendar", "Edit"));
    /* Permissions do not imply one another. */
    assert_true(am_grants_allow(pool, gs, "TeamCalendar", "Edit"));
    assert_false(am_grants_allow(pool, gs, "TeamCalendar", "Start"));
    assert_true(am_grants_allow(pool, gs, "EmployeeCalendar", "Start"));
    assert_false(am_grants_allow(pool, gs, "PatientCalendar", "Start"));
    assert_false(am_grants_allow(pool, gs, "NoSuchCalendar", "Start"));
    assert_false(am_grants_allow(pool, gs, "TeamCalendar", "Delete"));
    assert_false(am_grants_allow(pool, NULL, "TeamCalendar", "Edit"));

    err = am_grants_parse(pool, "", &gs);
    assert_non_null(err);
    assert_non_null(strstr(err, "at least one"));
    assert_non_null(am_grants_parse(pool, "   ", &gs));
    assert_non_null(am_grants_parse(pool, NULL, &gs));
    err = am_grants_parse(pool, "TeamCalendar Bogus", &gs);
    assert_non_null(err);
    assert_non_null(strstr(err, "'Bogus'"));
}

static am_err_t *h_none(am_req_t *rq, am_resp_t *rs)
{
    return NULL;
}

static const am_route_t good_routes[] = {
    { "GET", "A", h_none, AM_FN_TEAM_CALENDAR, AM_PERM_START, NULL },
    { "POST", "A", h_none, "{" CLIENT_GUID "}", AM_PERM_EDIT, NULL },
};
static const am_route_t bad_fn_routes[] = {
    { "GET", "A", h_none, AM_FN_TEAM_CALENDAR, AM_PERM_START, NULL },
    { "GET", "B/{id}", h_none, "TeamKalender", AM_PERM_START, NULL },
};
static const am_route_t bad_perm_routes[] = {
    { "GET", "A", h_none, AM_FN_TEAM_CALENDAR, "Read", NULL },
};

static const am_dialect_t good = {
    "good", good_routes, 2, NULL, "m", AM_FMT_JSON, NULL
};
static const am_dialect_t bad_fn = {
    "badfn", bad_fn_routes, 2, NULL, "m", AM_FMT_JSON, NULL
};
static const am_dialect_t bad_perm = {
    "badperm", bad_perm_routes, 1, NULL, "m", AM_FMT_JSON, NULL
};

static void test_dialect_check(void **state)
{
    apr_array_header_t *gs = NULL;
    const char *err, *names;
    char *copy, *last = NULL, *n;
    int count = 0;

    assert_null(am_perm_check_dialect(pool, &good));
    err = am_perm_check_dialect(pool, &bad_fn);
    assert_non_null(err);
    assert_non_null(strstr(err, "GET B/{id}"));
    assert_non_null(strstr(err, "'TeamKalender'"));
    err = am_perm_check_dialect(pool, &bad_perm);
    assert_non_null(err);
    assert_non_null(strstr(err, "'Read'"));

    assert_null(am_grants_parse(pool, "ClientGroupCalendar:Edit", &gs));
    assert_true(am_grants_any_route(pool, gs, &good));
    assert_null(am_grants_parse(pool, "ClientGroupCalendar", &gs));
    assert_false(am_grants_any_route(pool, gs, &good));

    /* Every dialect of this build names known functions and
     * permissions on every route. */
    names = am_dialect_names(pool);
    copy = apr_pstrdup(pool, names);
    for (n = apr_strtok(copy, ", ", &last); n;
         n = apr_strtok(NULL, ", ", &last)) {
        const am_dialect_t *d = am_dialect_find(n);
        assert_non_null(d);
        err = am_perm_check_dialect(pool, d);
        if (err) {
            fail_msg("%s", err);
        }
        count++;
    }
    assert_true(count >= 1);
    /* PlanCare2's client routes need ClientGroupCalendar:Start. */
    assert_null(am_grants_parse(pool, "ClientGroupCalendar:Start", &gs));
    assert_true(am_grants_any_route(pool, gs, am_dialect_find("plancare2")));
}

static void test_employee_id(void **state)
{
    assert_int_equal(am_employee_id_parse("1042"), 1042);
    assert_int_equal(am_employee_id_parse(" 7 \n"), 7);
    assert_int_equal(am_employee_id_parse("9223372036854775807"),
                     APR_INT64_MAX);
    assert_int_equal(am_employee_id_parse("9223372036854775808"), 0);
    assert_int_equal(am_employee_id_parse("0"), 0);
    assert_int_equal(am_employee_id_parse("-5"), 0);
    assert_int_equal(am_employee_id_parse("+5"), 0);
    assert_int_equal(am_employee_id_parse("12a"), 0);
    assert_int_equal(am_employee_id_parse(""), 0);
    assert_int_equal(am_employee_id_parse(NULL), 0);
}

static void test_usermap(void **state)
{
    static const char text[] =
        "# user  employee-id  display name\n"
        "\n"
        "alice   1042  Alice de Vries  \r\n"
        "  bob\t7\n"
        "carol 9 Carol \xc3\x89mile\n"
        "dave 12";
    apr_hash_t *h = NULL;
    am_employee_t *e;
    const char *err;

    assert_null(am_usermap_parse(pool, text, sizeof(text) - 1, &h));
    assert_int_equal(apr_hash_count(h), 4);
    e = apr_hash_get(h, "alice", APR_HASH_KEY_STRING);
    assert_non_null(e);
    assert_int_equal(e->id, 1042);
    assert_string_equal(e->name, "Alice de Vries");
    e = apr_hash_get(h, "bob", APR_HASH_KEY_STRING);
    assert_int_equal(e->id, 7);
    assert_null(e->name);
    e = apr_hash_get(h, "carol", APR_HASH_KEY_STRING);
    assert_string_equal(e->name, "Carol \xc3\x89mile");
    e = apr_hash_get(h, "dave", APR_HASH_KEY_STRING);
    assert_int_equal(e->id, 12);
    assert_null(apr_hash_get(h, "Alice", APR_HASH_KEY_STRING));

    assert_null(am_usermap_parse(pool, "", 0, &h));
    assert_int_equal(apr_hash_count(h), 0);

    err = am_usermap_parse(pool, "a 1\nb\n", 6, &h);
    assert_non_null(err);
    assert_non_null(strstr(err, "line 2"));
    err = am_usermap_parse(pool, "a 1\n\nb x Bee\n", 13, &h);
    assert_non_null(err);
    assert_non_null(strstr(err, "line 3"));
    assert_non_null(strstr(err, "'x'"));
    err = am_usermap_parse(pool, "a 1\na 2\n", 8, &h);
    assert_non_null(err);
    assert_non_null(strstr(err, "line 2: user 'a' is already mapped on"
                                " line 1"));
    assert_non_null(am_usermap_parse(pool, "a 0\n", 4, &h));
    assert_non_null(am_usermap_parse(pool, "a 1 \xff\n", 6, &h));
    assert_non_null(am_usermap_parse(pool, "a 1 x\0y\n", 8, &h));
}

static void test_usermap_read(void **state)
{
    char path[] = "/tmp/am-usermap-XXXXXX";
    apr_file_t *f;
    apr_hash_t *h = NULL;
    am_employee_t *e;
    const char *err;

    assert_int_equal(apr_file_mktemp(&f, path, APR_FOPEN_CREATE
                                     | APR_FOPEN_READ | APR_FOPEN_WRITE
                                     | APR_FOPEN_EXCL, pool), APR_SUCCESS);
    apr_file_puts("alice 1042 Alice de Vries\n", f);
    apr_file_close(f);
    assert_null(am_usermap_read(pool, path, &h));
    e = apr_hash_get(h, "alice", APR_HASH_KEY_STRING);
    assert_non_null(e);
    assert_int_equal(e->id, 1042);
    apr_file_remove(path, pool);

    err = am_usermap_read(pool, path, &h);
    assert_non_null(err);
    assert_non_null(strstr(err, path));
    err = am_usermap_read(pool, "/tmp", &h);
    assert_non_null(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_grant_parse),
        cmocka_unit_test(test_grants),
        cmocka_unit_test(test_dialect_check),
        cmocka_unit_test(test_employee_id),
        cmocka_unit_test(test_usermap),
        cmocka_unit_test(test_usermap_read),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

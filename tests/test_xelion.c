/* Licensed under the Apache License, Version 2.0.
 *
 * test_xelion.c: the Xelion dialect (src/dialect_xelion.c) without the
 * store: AM_T_ANY members and am_json_value (the per-path values of a
 * PATCH), the PATCH operations of seed 004 (parsing, validation, all or
 * nothing), and the mapping between XCCAppointment and the canonical
 * appointment (core fields, links, ext, all-day rule, recurrence).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "codec.h"
#include "recur.h"
#include "dialect_xelion.h"

static apr_pool_t *pool;
static const am_tz_t *ams;

static int setup(void **state)
{
    apr_pool_create(&pool, NULL);
    return 0;
}

static int teardown(void **state)
{
    apr_pool_destroy(pool);
    return 0;
}

static const char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f) {
        fail_msg("cannot read %s", path);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = apr_palloc(pool, (apr_size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fail_msg("short read of %s", path);
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void print_err(const am_err_t *e)
{
    int i;

    fprintf(stderr, "error %d (code %d): %s\n", e->status, e->code,
            e->message);
    for (i = 0; e->fields && i < e->fields->nelts; i++) {
        fprintf(stderr, "  %s: %s\n",
                APR_ARRAY_IDX(e->fields, i, am_fielderr_t).key,
                APR_ARRAY_IDX(e->fields, i, am_fielderr_t).msg);
    }
}

static am_obj_t *decode(const am_type_t *t, const char *text)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_json_decode(pool, t, text, strlen(text), ams, 0, &o);

    if (e) {
        print_err(e);
        fail_msg("decode failed: %s", e->message);
    }
    return o;
}

/* Wall time in Amsterdam. */
static am_time_t ams_time(int y, int mo, int d, int h, int mi, int s)
{
    am_civil_t c;

    memset(&c, 0, sizeof(c));
    c.year = y;
    c.month = mo;
    c.day = d;
    c.hour = h;
    c.min = mi;
    c.sec = s;
    return am_tz_from_local(ams, &c);
}

/* A canonical appointment as another dialect would have stored it. */
static am_appt_t *sample(void)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);

    a->id = 1627410;
    a->version = 3;
    a->start = ams_time(2026, 6, 1, 10, 0, 0);
    a->end = ams_time(2026, 6, 1, 11, 0, 0);
    a->title = "Visit";
    a->location = "Room 1";
    a->remarks = "bring papers";
    a->ext = "{\"ContractId\":1,\"ProductName\":\"x\"}";
    am_appt_add_link(pool, a, "client", "6");
    am_appt_add_link(pool, a, AM_XEL_REL_PARTICIPANT, "167843");
    am_appt_add_link(pool, a, AM_XEL_REL_PARTICIPANT, "1626686");
    am_appt_add_link(pool, a, AM_XEL_REL_CALENDAR, "1658051");
    return a;
}

static int count_links(const am_appt_t *a, const char *rel,
                       const char *ref)
{
    int i, n = 0;

    for (i = 0; i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        n += !strcmp(l->rel, rel) && (!ref || !strcmp(l->ref, ref));
    }
    return n;
}

static am_err_t *patch_text(am_appt_t *a, const char *json)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_json_decode(pool, &am_xel_patch, json, strlen(json),
                                 ams, 0, &o);

    return e ? e : am_xel_patch_apply(pool, ams, o, a);
}

static void patch_ok(am_appt_t *a, const char *json)
{
    am_err_t *e = patch_text(a, json);

    if (e) {
        print_err(e);
        fail_msg("patch failed: %s", json);
    }
}

static const am_value_t *member(am_obj_t *o, const char *name)
{
    return am_obj_get(o, name);
}

/* ------------------------------------------------ AM_T_ANY, values */

static void test_any_member(void **state)
{
    static const char *const values[] = {
        "\"1658218\"", "true", "null", "1.50", "99999999999999999999999",
        "{\"oid\": \"1\",  \"objectType\": \"XCCCalendar\"}", "[1, [2]]",
        "-0.0e+5", "\"a\\u00e9\\n\""
    };
    int i;

    for (i = 0; i < (int)(sizeof(values) / sizeof(values[0])); i++) {
        const char *text = apr_psprintf(pool, "{\"operations\": [{\"op\":"
                                        " \"add\", \"path\": \"/x\","
                                        " \"value\": %s }]}", values[i]);
        am_obj_t *o = decode(&am_xel_patch, text);
        const am_value_t *ops = member(o, "operations");
        am_obj_t *op = APR_ARRAY_IDX(ops->u.a, 0, am_value_t).u.o;
        const am_value_t *v = member(op, "value");

        assert_true(v->set);
        if (!strcmp(values[i], "null")) {
            assert_true(v->null);
        }
        else {
            /* The exact source text, digits and spaces included. */
            assert_false(v->null);
            assert_string_equal(v->u.s, values[i]);
        }
    }
    /* An absent value is unset. */
    {
        am_obj_t *o = decode(&am_xel_patch, "{\"operations\": [{\"op\":"
                             " \"remove\", \"path\": \"/participants/1\"}]}");
        am_obj_t *op = APR_ARRAY_IDX(member(o, "operations")->u.a, 0,
                                     am_value_t).u.o;

        assert_false(member(op, "value")->set);
    }
    /* Hardening applies inside the value too. */
    {
        am_obj_t *o = NULL;
        const char *dup = "{\"operations\": [{\"op\": \"add\", \"path\":"
                          " \"/calendars\", \"value\": {\"oid\": \"1\","
                          " \"oid\": \"2\"}}]}";
        const char *nan = "{\"operations\": [{\"op\": \"add\", \"path\":"
                          " \"/calendars\", \"value\": NaN}]}";

        assert_non_null(am_json_decode(pool, &am_xel_patch, dup,
                                       strlen(dup), ams, 0, &o));
        assert_non_null(am_json_decode(pool, &am_xel_patch, nan,
                                       strlen(nan), ams, 0, &o));
    }
}

static void test_json_value(void **state)
{
    static const am_field_t s = { .name = "subject", .type = AM_T_STRING,
                                  .max = 5 };
    static const am_field_t b = { .name = "internal", .type = AM_T_BOOL,
                                  .flags = AM_F_NONNULL };
    static const am_field_t t = { .name = "starttime",
                                  .type = AM_T_XDATETIME };
    static const am_field_t n = { .name = "recurrenceCount",
                                  .type = AM_T_INT32, .min = 0, .max = 10 };
    static const am_field_t o = { .name = "calendars", .type = AM_T_OBJECT,
                                  .sub = &am_xel_ref };
    am_value_t v;

    assert_null(am_json_value(pool, &s, "\"abc\"", ams, &v));
    assert_string_equal(v.u.s, "abc");
    assert_null(am_json_value(pool, &s, "123", ams, &v));
    assert_string_equal(v.u.s, "123");
    assert_null(am_json_value(pool, &s, "null", ams, &v));
    assert_true(v.set && v.null);
    assert_non_null(am_json_value(pool, &s, "\"abcdef\"", ams, &v));
    assert_non_null(am_json_value(pool, &s, "true", ams, &v));
    assert_non_null(am_json_value(pool, &s, "\"a\\u0000b\"", ams, &v));
    assert_false(v.set);

    assert_null(am_json_value(pool, &b, "true", ams, &v));
    assert_int_equal(v.u.i, 1);
    assert_null(am_json_value(pool, &b, "false", ams, &v));
    assert_int_equal(v.u.i, 0);
    assert_non_null(am_json_value(pool, &b, "null", ams, &v));
    assert_non_null(am_json_value(pool, &b, "\"yes\"", ams, &v));
    assert_non_null(am_json_value(pool, &b, "1", ams, &v));

    assert_null(am_json_value(pool, &t, "\"2018-12-27 00:00:00\"", ams,
                              &v));
    assert_int_equal(v.u.t, ams_time(2018, 12, 27, 0, 0, 0));
    assert_non_null(am_json_value(pool, &t, "\"2018-12-27\"", ams, &v));
    assert_non_null(am_json_value(pool, &t, "20181227", ams, &v));

    assert_null(am_json_value(pool, &n, "7", ams, &v));
    assert_int_equal(v.u.i, 7);
    assert_non_null(am_json_value(pool, &n, "11", ams, &v));
    assert_non_null(am_json_value(pool, &n, "1.5", ams, &v));
    assert_non_null(am_json_value(pool, &n, "99999999999999999999", ams,
                                  &v));

    assert_null(am_json_value(pool, &o, "{\"oid\": 5, \"objectType\":"
                              " \"XCCCalendar\", \"commonName\": \"x\"}",
                              ams, &v));
    assert_string_equal(member(v.u.o, "oid")->u.s, "5");
    assert_non_null(am_json_value(pool, &o, "[]", ams, &v));
}

/* ------------------------------------------------------------ PATCH */

static void test_seed004_example1(void **state)
{
    am_appt_t *a = sample();
    const char *seed = read_file("../t/data/seed004_patch1.json");
    am_obj_t *o;

    patch_ok(a, seed);
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, NULL), 2);
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, "1658218"), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "167843"), 0);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "1626686"), 1);
    assert_int_equal(count_links(a, "client", "6"), 1);
    assert_string_equal(a->remarks, "Test Comment");
    assert_string_equal(a->title, "Visit");
    assert_int_equal(a->kind, AM_KIND_CONTRACT);
    /* userStatus went into ext, next to the other dialect's members. */
    assert_non_null(strstr(a->ext, "\"userStatus\":\"long_out_of_office\""));
    assert_non_null(strstr(a->ext, "\"ContractId\":1"));
    assert_non_null(strstr(a->ext, "\"ProductName\":\"x\""));
    o = am_xel_present(pool, ams, a);
    assert_string_equal(member(o, "userStatus")->u.s, "long_out_of_office");
    assert_string_equal(member(member(o, "comment")->u.o, "content")->u.s,
                        "Test Comment");
}

static void test_seed004_example2(void **state)
{
    am_appt_t *a = sample();
    const char *seed = read_file("../t/data/seed004_patch2.json");
    am_obj_t *o;

    patch_ok(a, seed);
    assert_true(a->all_day);
    assert_int_equal(a->start, ams_time(2018, 12, 27, 0, 0, 0));
    /* Stored as the next midnight, answered as 23:59:59 of the day. */
    assert_int_equal(a->end, ams_time(2018, 12, 28, 0, 0, 0));
    o = am_xel_present(pool, ams, a);
    assert_true(member(o, "allStartDay")->u.i);
    assert_true(member(o, "allEndDay")->u.i);
    assert_int_equal(member(o, "starttime")->u.t,
                     ams_time(2018, 12, 27, 0, 0, 0));
    assert_int_equal(member(o, "endtime")->u.t,
                     ams_time(2018, 12, 27, 23, 59, 59));
    /* The same again changes nothing (the stored end is not read as a
     * later day). */
    patch_ok(a, seed);
    assert_int_equal(a->end, ams_time(2018, 12, 28, 0, 0, 0));
    /* In UTC+14 the dates are the same: the date part counts. */
    {
        am_appt_t *b = sample();
        const am_tz_t *kiri = am_tz_get("Pacific/Kiritimati");
        am_obj_t *po = decode(&am_xel_patch, seed);
        am_civil_t c;

        assert_non_null(kiri);
        assert_null(am_xel_patch_apply(pool, kiri, po, b));
        am_tz_to_local(kiri, b->start, &c, NULL);
        assert_int_equal(c.day, 27);
        assert_int_equal(c.hour, 0);
    }
}

static void test_patch_every_path(void **state)
{
    am_appt_t *a = sample();
    am_obj_t *o;
    am_rule_t *r = NULL;

    patch_ok(a, "{\"operations\": ["
             "{\"op\": \"replace\", \"path\": \"/subject\", \"value\": \"S\"},"
             "{\"op\": \"replace\", \"path\": \"/internal\", \"value\": true},"
             "{\"op\": \"add\", \"path\": \"/participants/5\"},"
             "{\"op\": \"add\", \"path\": \"/participants\", \"value\": 6},"
             "{\"op\": \"remove\", \"path\": \"/participants/1626686\"},"
             "{\"op\": \"replace\", \"path\": \"/userStatus\","
             " \"value\": \"dont_disturb\"},"
             "{\"op\": \"replace\", \"path\": \"/starttime\","
             " \"value\": \"2026-07-06 09:00:00\"},"
             "{\"op\": \"replace\", \"path\": \"/endtime\","
             " \"value\": \"2026-07-06 10:30:00\"},"
             "{\"op\": \"replace\", \"path\": \"/allStartDay\","
             " \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/allEndDay\","
             " \"value\": false},"
             "{\"op\": \"add\", \"path\": \"/calendars/7\"},"
             "{\"op\": \"remove\", \"path\": \"/calendars\","
             " \"value\": \"1658051\"},"
             "{\"op\": \"replace\", \"path\": \"/comment\", \"value\": \"C\"},"
             "{\"op\": \"replace\", \"path\": \"/recurrenceType\","
             " \"value\": \"monthly\"},"
             "{\"op\": \"replace\", \"path\": \"/recurrenceInterval\","
             " \"value\": 2},"
             "{\"op\": \"replace\", \"path\": \"/recurrenceTerminationType\","
             " \"value\": \"recurrenceCount\"},"
             "{\"op\": \"replace\", \"path\": \"/recurrenceCount\","
             " \"value\": 4},"
             "{\"op\": \"replace\", \"path\": \"/monthRecurrenceType\","
             " \"value\": \"dayOfWeek\"},"
             "{\"op\": \"replace\", \"path\": \"/monday\", \"value\": true},"
             "{\"op\": \"replace\", \"path\": \"/tuesday\", \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/wednesday\","
             " \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/thursday\", \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/friday\", \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/saturday\", \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/sunday\", \"value\": false},"
             "{\"op\": \"replace\", \"path\": \"/firstRecurrenceDate\","
             " \"value\": \"2026-07-06 09:00:00\"},"
             "{\"op\": \"replace\", \"path\": \"/lastRecurrenceDate\","
             " \"value\": \"\"},"
             "{\"op\": \"replace\", \"path\": \"/recurrenceTerminationDate\","
             " \"value\": \"\"}"
             "]}");
    assert_string_equal(a->title, "S");
    assert_string_equal(a->remarks, "C");
    assert_int_equal(a->start, ams_time(2026, 7, 6, 9, 0, 0));
    assert_int_equal(a->end, ams_time(2026, 7, 6, 10, 30, 0));
    assert_false(a->all_day);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, NULL), 3);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "5"), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "6"), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, NULL), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, "7"), 1);
    assert_non_null(a->rule);
    assert_null(am_rule_parse(pool, a->rule, &r));
    /* 2026-07-06 is the first Monday of July. */
    assert_int_equal(r->type, AM_RECUR_MONTHLY);
    assert_int_equal(r->periodicity, 2);
    assert_int_equal(r->range, AM_RANGE_COUNT);
    assert_int_equal(r->count, 4);
    assert_int_equal(r->weekdays, AM_WD_MONDAY);
    assert_int_equal(r->week_of_month, 1);
    assert_int_equal(r->start, a->start);
    assert_int_equal(a->last_end, am_rule_last_end(r, ams));
    assert_int_equal(a->appt_type, 1);

    o = am_xel_present(pool, ams, a);
    assert_true(member(o, "isRecurrence")->u.i);
    assert_true(member(o, "internal")->u.i);
    assert_string_equal(member(o, "userStatus")->u.s, "dont_disturb");
    assert_string_equal(member(o, "recurrenceType")->u.s, "monthly");
    assert_string_equal(member(o, "monthRecurrenceType")->u.s, "dayOfWeek");
    assert_string_equal(member(o, "recurrenceTerminationType")->u.s,
                        "recurrenceCount");
    assert_int_equal(member(o, "recurrenceCount")->u.i, 4);
    assert_int_equal(member(o, "recurrenceInterval")->u.i, 2);
    assert_true(member(o, "monday")->u.i);
    assert_false(member(o, "sunday")->u.i);
    assert_string_equal(member(o, "recurrenceLabel")->u.s,
                        am_rule_friendly(pool, r, ams));
    assert_string_equal(member(o, "firstRecurrenceDate")->u.s,
                        "2026-07-06 09:00:00");
    assert_string_equal(member(o, "oid")->u.s, "1627410");
    assert_string_equal(member(o, "objectType")->u.s, "XCCAppointment");
    assert_string_equal(member(o, "permissions")->u.s, "ReadWriteRemove");

    /* And back to a single appointment. */
    patch_ok(a, "{\"operations\": [{\"op\": \"replace\", \"path\":"
             " \"/recurrenceType\", \"value\": null}]}");
    assert_null(a->rule);
    assert_int_equal(a->last_end, 0);
    assert_int_equal(a->appt_type, 0);
}

/* Every bad PATCH: its code, and a unchanged. */
static void test_patch_errors(void **state)
{
    static const struct {
        const char *ops;
        int code;
    } bad[] = {
        { "{\"op\": \"move\", \"path\": \"/subject\"}", AM_XEL_INVALID },
        { "{\"op\": \"add\", \"path\": \"/subject\", \"value\": \"x\"}",
          AM_XEL_INVALID },
        { "{\"op\": \"remove\", \"path\": \"/comment\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/calendars\", \"value\": \"1\"}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/nothing\", \"value\": 1}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"Subject\", \"value\": \"x\"}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/Subject\", \"value\": \"x\"}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/subject/a\", \"value\": \"x\"}",
          AM_XEL_INVALID },
        { "{\"op\": \"add\", \"path\": \"/calendars/1/2\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/subject\", \"value\": false}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/internal\", \"value\": null}",
          AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/starttime\","
          " \"value\": \"27-12-2018 00:00:00\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/endtime\","
          " \"value\": \"2026-05-01 00:00:00\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/userStatus\","
          " \"value\": \"busy\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/recurrenceType\","
          " \"value\": \"Weekly\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/recurrenceCount\","
          " \"value\": 100001}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/recurrenceInterval\","
          " \"value\": -1}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/monthRecurrenceType\","
          " \"value\": 1}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/firstRecurrenceDate\","
          " \"value\": \"tomorrow\"}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/subject\"}", AM_XEL_INVALID },
        { "{\"op\": \"add\", \"path\": \"/participants\"}", AM_XEL_INVALID },
        { "{\"op\": \"add\", \"path\": \"/participants/x\"}", AM_XEL_BAD_ID },
        { "{\"op\": \"add\", \"path\": \"/calendars\", \"value\": \"-1\"}",
          AM_XEL_BAD_ID },
        { "{\"op\": \"add\", \"path\": \"/calendars\", \"value\":"
          " {\"oid\": \"1\", \"objectType\": \"Person\"}}", AM_XEL_BAD_ID },
        { "{\"op\": \"add\", \"path\": \"/calendars\", \"value\":"
          " {\"objectType\": \"XCCCalendar\"}}", AM_XEL_INVALID },
        { "{\"op\": \"replace\", \"path\": \"/recurrenceType\","
          " \"value\": \"daily\"}, {\"op\": \"replace\", \"path\":"
          " \"/recurrenceTerminationType\", \"value\":"
          " \"recurrenceTerminationDate\"}", AM_XEL_INVALID },
    };
    int i;

    for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
        am_appt_t *a = sample();
        am_appt_t copy = *a;
        const char *text = apr_psprintf(pool, "{\"operations\": [{\"op\":"
                                        " \"replace\", \"path\":"
                                        " \"/subject\", \"value\":"
                                        " \"changed\"}, %s]}", bad[i].ops);
        am_err_t *e = patch_text(a, text);

        if (!e) {
            fail_msg("accepted: %s", bad[i].ops);
        }
        assert_int_equal(e->status, 400);
        if (e->code != bad[i].code) {
            print_err(e);
            fail_msg("code %d, not %d: %s", e->code, bad[i].code,
                     bad[i].ops);
        }
        assert_true(am_err_has_fields(e));
        /* Nothing of the good operation either. */
        assert_memory_equal(&copy, a, sizeof(copy));
        assert_string_equal(a->title, "Visit");
        assert_int_equal(a->links->nelts, 4);
    }
}

static void test_patch_empty(void **state)
{
    static const char *const empty[] = {
        "{\"operations\": []}", "{}", "{\"operations\": null}"
    };
    int i;

    for (i = 0; i < 3; i++) {
        am_appt_t *a = sample();
        am_err_t *e = patch_text(a, empty[i]);

        assert_non_null(e);
        assert_int_equal(e->status, 400);
        assert_int_equal(e->code, AM_XEL_EMPTY);
    }
}

/* Relations are sets: an add of a present one and a remove of an absent
 * one change nothing. */
static void test_patch_relations(void **state)
{
    am_appt_t *a = sample();

    patch_ok(a, "{\"operations\": ["
             "{\"op\": \"add\", \"path\": \"/calendars/1658051\"},"
             "{\"op\": \"add\", \"path\": \"/calendars\", \"value\":"
             " \"001658051\"},"
             "{\"op\": \"remove\", \"path\": \"/participants/42\"},"
             "{\"op\": \"add\", \"path\": \"/participants\", \"value\":"
             " {\"person\": {\"oid\": \"9\", \"objectType\": \"Person\"}}},"
             "{\"op\": \"add\", \"path\": \"/participants\", \"value\":"
             " {\"oid\": 10}},"
             "{\"op\": \"remove\", \"path\": \"/participants/9\"}"
             "]}");
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, NULL), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, NULL), 3);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "10"), 1);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "9"), 0);
}

/* ---------------------------------------------------------- mapping */

static void test_present_other_dialect(void **state)
{
    am_appt_t *a = sample();
    am_obj_t *o = am_xel_present(pool, ams, a);
    const am_value_t *cal = member(o, "calendars");
    const am_value_t *par = member(o, "participants");

    assert_string_equal(member(o, "subject")->u.s, "Visit");
    assert_string_equal(member(o, "locationString")->u.s, "Room 1");
    assert_string_equal(member(member(o, "comment")->u.o, "content")->u.s,
                        "bring papers");
    assert_int_equal(member(o, "starttime")->u.t, a->start);
    assert_int_equal(member(o, "endtime")->u.t, a->end);
    assert_false(member(o, "allStartDay")->u.i);
    assert_false(member(o, "internal")->u.i);
    assert_true(member(o, "userStatus")->null);
    assert_false(member(o, "isRecurrence")->u.i);
    assert_int_equal(cal->u.a->nelts, 1);
    assert_string_equal(member(APR_ARRAY_IDX(cal->u.a, 0, am_value_t).u.o,
                               "objectType")->u.s, "XCCCalendar");
    assert_int_equal(par->u.a->nelts, 2);
    assert_string_equal(member(APR_ARRAY_IDX(par->u.a, 1, am_value_t).u.o,
                               "oid")->u.s, "1626686");

    /* An all-day appointment of another dialect with any times: the
     * dates count. */
    a->all_day = 1;
    a->start = ams_time(2026, 5, 26, 23, 18, 26);
    a->end = ams_time(2026, 5, 26, 23, 18, 26);
    o = am_xel_present(pool, ams, a);
    assert_true(member(o, "allStartDay")->u.i);
    assert_true(member(o, "allEndDay")->u.i);
    assert_int_equal(member(o, "starttime")->u.t,
                     ams_time(2026, 5, 26, 0, 0, 0));
    assert_int_equal(member(o, "endtime")->u.t,
                     ams_time(2026, 5, 26, 23, 59, 59));
    /* ... and with an exclusive midnight end (DevExpress, iCalendar). */
    a->start = ams_time(2026, 5, 26, 0, 0, 0);
    a->end = ams_time(2026, 5, 28, 0, 0, 0);
    o = am_xel_present(pool, ams, a);
    assert_int_equal(member(o, "endtime")->u.t,
                     ams_time(2026, 5, 27, 23, 59, 59));

    /* A series of another dialect: every recurrence member. */
    {
        am_rule_t r;

        memset(&r, 0, sizeof(r));
        r.type = AM_RECUR_WEEKLY;
        r.periodicity = 2;
        r.weekdays = AM_WD_MONDAY | AM_WD_WEDNESDAY;
        r.day_number = 1;
        r.month = 1;
        r.range = AM_RANGE_END_BY_DATE;
        r.count = 1;
        r.start = ams_time(2026, 6, 1, 10, 0, 0);
        r.end = ams_time(2026, 7, 31, 0, 0, 0);
        r.duration = 60 * AM_TICKS_PER_MIN;
        a = sample();
        a->rule = am_rule_format(pool, &r, ams);
        a->last_end = am_rule_last_end(&r, ams);
        o = am_xel_present(pool, ams, a);
        assert_true(member(o, "isRecurrence")->u.i);
        assert_string_equal(member(o, "recurrenceType")->u.s, "weekly");
        assert_int_equal(member(o, "recurrenceInterval")->u.i, 2);
        assert_true(member(o, "monday")->u.i);
        assert_true(member(o, "wednesday")->u.i);
        assert_false(member(o, "friday")->u.i);
        assert_string_equal(member(o, "recurrenceTerminationType")->u.s,
                            "recurrenceTerminationDate");
        assert_string_equal(member(o, "recurrenceTerminationDate")->u.s,
                            "2026-07-31 00:00:00");
        assert_true(member(o, "recurrenceCount")->null);
        assert_true(member(o, "monthRecurrenceType")->null);
        /* Mondays and Wednesdays of every other week up to 07-31: the
         * last is Wednesday 07-29, 10:00-11:00. */
        assert_string_equal(member(o, "lastRecurrenceDate")->u.s,
                            "2026-07-29 11:00:00");
        assert_string_equal(member(o, "recurrenceLabel")->u.s,
                            am_rule_friendly(pool, &r, ams));
        /* A patch that leaves the pattern alone keeps the stored rule's
         * members, day number and month included. */
        patch_ok(a, "{\"operations\": [{\"op\": \"replace\", \"path\":"
                 " \"/subject\", \"value\": \"x\"}]}");
        assert_string_equal(a->rule, am_rule_format(pool, &r, ams));
    }
}

/* Xelion's create sample (its documentation of POST /appointments). */
static void test_from_body(void **state)
{
    static const char *const sample_json =
        "{\"subject\": \"Taart eten\", \"starttime\": \"2017-02-25 11:50:00\","
        " \"endtime\": \"2017-02-25 12:00:00\", \"allStartDay\": false,"
        " \"allEndDay\": false, \"internal\": true,"
        " \"userStatus\": \"unavailable\", \"objectType\": \"XCCAppointment\","
        " \"comment\": {\"objectType\": \"Comment\","
        " \"content\": \"Taart halen bij de bakker\"},"
        " \"participants\": [{\"person\": {\"oid\": \"1626686\","
        " \"objectType\": \"Person\"}}, {\"person\": {\"oid\": \"1626711\","
        " \"objectType\": \"Person\"}}],"
        " \"calendars\": [{\"oid\": \"1658051\", \"objectType\":"
        " \"XCCCalendar\"}, {\"oid\": \"1658218\", \"objectType\":"
        " \"XCCCalendar\"}],"
        " \"recurrenceTerminationType\": \"recurrenceCount\","
        " \"recurrenceTerminationDate\": \"\","
        " \"firstRecurrenceDate\": \"2017-02-25 11:50:00\","
        " \"lastRecurrenceDate\": \"2017-04-23 22:00:00\","
        " \"recurrenceCount\": 6, \"recurrenceType\": \"weekly\","
        " \"recurrenceInterval\": 1, \"isRecurrence\": true,"
        " \"monday\": true, \"tuesday\": false, \"wednesday\": false,"
        " \"thursday\": false, \"friday\": false, \"saturday\": false,"
        " \"sunday\": false}";
    am_obj_t *body = decode(&am_xel_appointment_in, sample_json);
    am_appt_t *a = am_appt_make(pool, AM_KIND_XELION);
    am_rule_t *r = NULL;
    am_err_t *e = am_xel_from_body(pool, ams, body, a);

    if (e) {
        print_err(e);
        fail();
    }
    assert_string_equal(a->title, "Taart eten");
    assert_string_equal(a->remarks, "Taart halen bij de bakker");
    assert_int_equal(a->start, ams_time(2017, 2, 25, 11, 50, 0));
    assert_int_equal(a->end, ams_time(2017, 2, 25, 12, 0, 0));
    assert_int_equal(count_links(a, AM_XEL_REL_CALENDAR, NULL), 2);
    assert_int_equal(count_links(a, AM_XEL_REL_PARTICIPANT, "1626711"), 1);
    assert_non_null(strstr(a->ext, "\"internal\":true"));
    assert_null(am_rule_parse(pool, a->rule, &r));
    assert_int_equal(r->type, AM_RECUR_WEEKLY);
    assert_int_equal(r->weekdays, AM_WD_MONDAY);
    assert_int_equal(r->range, AM_RANGE_COUNT);
    assert_int_equal(r->count, 6);

    /* objectType and oids. */
    {
        static const struct {
            const char *json;
            int code;
        } bad[] = {
            { "{\"objectType\": \"Person\"}", AM_XEL_BAD_ID },
            { "{\"calendars\": [{\"oid\": \"a1\"}]}", AM_XEL_BAD_ID },
            { "{\"calendars\": [{\"objectType\": \"XCCCalendar\"}]}",
              AM_XEL_INVALID },
            { "{\"participants\": [{\"person\": {\"oid\": \"0\"}}]}",
              AM_XEL_BAD_ID },
            { "{\"comment\": {\"objectType\": \"Note\"}}", AM_XEL_BAD_ID },
            { "{\"userStatus\": \"away\"}", AM_XEL_INVALID },
            { "{\"recurrenceType\": \"weekly\","
              " \"recurrenceTerminationDate\": \"31-12-2026\"}",
              AM_XEL_INVALID },
            { "{\"recurrenceType\": \"fortnightly\"}", AM_XEL_INVALID },
            { "{\"endtime\": \"2026-06-01 09:00:00\"}", AM_XEL_INVALID },
        };
        int i;

        for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
            /* The later "endtime" wins over the base's: build the text
             * with the bad member first and the times after, unless the
             * bad member is a time itself. */
            const char *text = apr_psprintf(pool, "{%.*s%s\"starttime\":"
                " \"2026-06-01 10:00:00\"%s}",
                (int)strlen(bad[i].json) - 2, bad[i].json + 1, ", ",
                strstr(bad[i].json, "endtime") ? ""
                : ", \"endtime\": \"2026-06-01 11:00:00\"");

            body = decode(&am_xel_appointment_in, text);
            a = am_appt_make(pool, AM_KIND_XELION);
            e = am_xel_from_body(pool, ams, body, a);
            if (!e) {
                fail_msg("accepted: %s", text);
            }
            if (e->code != bad[i].code) {
                print_err(e);
                fail_msg("code %d, not %d: %s", e->code, bad[i].code, text);
            }
        }
    }
}

/* eventType (Xelion's model page: the first member of XCCAppointment, a
 * String) is one row of the table: created, answered first, kept in ext
 * beside other dialects' members, changed and cleared by a PATCH. */
static void test_event_type(void **state)
{
    am_obj_t *body = decode(&am_xel_appointment_in, "{\"eventType\":"
                            " \"meeting\", \"starttime\": \"2026-06-01"
                            " 10:00:00\", \"endtime\": \"2026-06-01"
                            " 11:00:00\"}");
    am_appt_t *a = am_appt_make(pool, AM_KIND_XELION);
    am_appt_t *b = sample();
    am_obj_t *o;

    assert_null(am_xel_from_body(pool, ams, body, a));
    assert_non_null(strstr(a->ext, "\"eventType\":\"meeting\""));
    o = am_xel_present(pool, ams, a);
    assert_string_equal(o->type->fields[0].name, "eventType");
    assert_string_equal(member(o, "eventType")->u.s, "meeting");

    /* on an appointment of another dialect: its members stay */
    assert_true(!member(am_xel_present(pool, ams, b), "eventType")->set
                || member(am_xel_present(pool, ams, b), "eventType")->null);
    patch_ok(b, "{\"operations\": [{\"op\": \"replace\", \"path\":"
             " \"/eventType\", \"value\": \"call\"}]}");
    assert_non_null(strstr(b->ext, "\"eventType\":\"call\""));
    assert_non_null(strstr(b->ext, "\"ContractId\":1"));
    assert_string_equal(member(am_xel_present(pool, ams, b), "eventType")->u.s,
                        "call");
    patch_ok(b, "{\"operations\": [{\"op\": \"replace\", \"path\":"
             " \"/eventType\", \"value\": null}]}");
    assert_true(member(am_xel_present(pool, ams, b), "eventType")->null);
    /* a value of the wrong type, or too long, is refused */
    assert_int_equal(patch_text(b, "{\"operations\": [{\"op\":"
                                " \"replace\", \"path\": \"/eventType\","
                                " \"value\": [1]}]}")->code,
                     AM_XEL_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any_member),
        cmocka_unit_test(test_json_value),
        cmocka_unit_test(test_seed004_example1),
        cmocka_unit_test(test_seed004_example2),
        cmocka_unit_test(test_patch_every_path),
        cmocka_unit_test(test_patch_errors),
        cmocka_unit_test(test_patch_empty),
        cmocka_unit_test(test_patch_relations),
        cmocka_unit_test(test_present_other_dialect),
        cmocka_unit_test(test_from_body),
        cmocka_unit_test(test_event_type),
    };
    apr_pool_t *init;
    int i, rc;

    apr_initialize();
    apr_pool_create(&init, NULL);
    ams = am_tz_get("Europe/Amsterdam");
    if (!ams) {
        fprintf(stderr, "time zones unavailable\n");
        return 1;
    }
    for (i = 0; am_dialect_xelion.types[i]; i++) {
        am_type_init(init, am_dialect_xelion.types[i]);
    }
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_pool_destroy(init);
    apr_terminate();
    return rc;
}

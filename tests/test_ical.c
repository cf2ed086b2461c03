/* Licensed under the Apache License, Version 2.0.
 *
 * test_ical.c: iCalendar output of single, all-day and recurring
 * appointments with exceptions; the output parses back with libical and
 * its expansion gives the same occurrences as the core's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libical/ical.h>

#include <apr_general.h>
#include "codec_ical.h"
#include "recur.h"

static apr_pool_t *pool;
static const am_tz_t *ams;

static am_time_t at(const char *iso)
{
    am_time_t t = 0;

    assert_int_equal(am_time_parse_iso(iso, ams, &t), 0);
    return t;
}

static apr_array_header_t *one(am_appt_t *a)
{
    apr_array_header_t *arr = apr_array_make(pool, 1, sizeof(am_appt_t *));

    APR_ARRAY_PUSH(arr, am_appt_t *) = a;
    return arr;
}

static void test_single(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    apr_size_t len;
    char *s;

    a->uid = "84ef7a81-c643-4b8e-85e5-1ff52fc35f3d";
    a->version = 3;
    a->start = at("2026-05-26T23:13:00+02:00");
    a->end = at("2026-05-27T00:13:00+02:00");
    a->title = "Visit; with, commas";
    a->location = "Room 1";
    a->updated_at = a->start;
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_int_equal(strlen(s), len);
    assert_non_null(strstr(s, "BEGIN:VCALENDAR"));
    assert_non_null(strstr(s, "UID:84ef7a81-c643-4b8e-85e5-1ff52fc35f3d"));
    assert_non_null(strstr(s, "DTSTART:20260526T211300Z"));
    assert_non_null(strstr(s, "DTEND:20260526T221300Z"));
    assert_non_null(strstr(s, "SUMMARY:Visit\\; with\\, commas"));
    assert_non_null(strstr(s, "SEQUENCE:2"));
    assert_null(strstr(s, "RRULE"));

    a->all_day = 1;
    a->start = at("2026-05-26T00:00:00+02:00");
    a->end = at("2026-05-26T23:59:59+02:00");
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20260526"));
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20260527"));
}

static void test_series(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_TEAM);
    am_rule_t rule;
    am_exception_t *x;
    icalcomponent *cal, *ev;
    icalrecur_iterator *it;
    struct icaltimetype t;
    apr_size_t len;
    char *s;
    int n = 0;

    memset(&rule, 0, sizeof(rule));
    rule.type = AM_RECUR_WEEKLY;
    rule.periodicity = 1;
    rule.weekdays = AM_WD_MONDAY;
    rule.range = AM_RANGE_COUNT;
    rule.count = 10;
    rule.start = at("2026-03-02T09:00:00+01:00");
    rule.end = rule.start;
    rule.duration = 60 * AM_TICKS_PER_MIN;
    rule.day_number = 1;
    rule.month = 1;
    a->uid = "00000000-0000-0000-0000-000000000001";
    a->start = rule.start;
    a->end = rule.start + rule.duration;
    a->title = "Weekly";
    a->rule = am_rule_format(pool, &rule, ams);
    x = apr_array_push(a->exceptions);
    memset(x, 0, sizeof(*x));
    x->index = 3;
    x->deleted = 1;
    x = apr_array_push(a->exceptions);
    memset(x, 0, sizeof(*x));
    x->index = 5;
    x->start = at("2026-04-07T14:00:00+02:00");
    x->end = at("2026-04-07T15:00:00+02:00");
    x->title = "moved";

    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "BEGIN:VTIMEZONE"));
    assert_non_null(strstr(s, "DTSTART;TZID=Europe/Amsterdam:20260302T090000"));
    assert_non_null(strstr(s, "RRULE:FREQ=WEEKLY"));
    assert_non_null(strstr(s, "COUNT=10"));
    /* Occurrence 3 (23 March) deleted, 5 (6 April, after DST) moved. */
    assert_non_null(strstr(s, "EXDATE;TZID=Europe/Amsterdam:20260323T090000"));
    assert_non_null(strstr(s,
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20260406T090000"));
    assert_non_null(strstr(s, "DTSTART:20260407T120000Z"));
    assert_non_null(strstr(s, "SUMMARY:moved"));

    /* It parses back, and libical expands the same ten Mondays. */
    cal = icalparser_parse_string(s);
    assert_non_null(cal);
    ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    assert_non_null(ev);
    it = icalrecur_iterator_new(
        icalproperty_get_rrule(icalcomponent_get_first_property(
            ev, ICAL_RRULE_PROPERTY)),
        icalcomponent_get_dtstart(ev));
    for (t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
         t = icalrecur_iterator_next(it)) {
        assert_int_equal(t.hour, 9);
        n++;
    }
    assert_int_equal(n, 10);
    icalrecur_iterator_free(it);
    icalcomponent_free(cal);
}

/* A one-day all-day appointment stored as midnight to midnight is one
 * day (DTEND exclusive, RFC 5545 3.6.1), as is one ending 23:59:59; a
 * cancelled one says so. */
static void test_all_day_one_day(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_XELION);
    apr_size_t len;
    char *s;

    a->uid = "00000000-0000-0000-0000-000000000002";
    a->all_day = 1;
    a->start = at("2026-07-02T00:00:00+02:00");
    a->end = at("2026-07-03T00:00:00+02:00");
    a->status = AM_STATUS_CANCELLED;
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20260702\r\n"));
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20260703\r\n"));
    assert_non_null(strstr(s, "STATUS:CANCELLED\r\n"));
    assert_null(strstr(s, "VTIMEZONE"));
    /* Two whole days. */
    a->end = at("2026-07-04T00:00:00+02:00");
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20260704\r\n"));
}

/* An all-day series is dates (DTSTART, DTEND, UNTIL, EXDATE); a timed
 * one carries a short VTIMEZONE named by the plain zone name. */
static void test_series_zone_and_all_day(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    am_rule_t rule;
    am_exception_t *x;
    apr_size_t len;
    const char *v;
    char *s;

    memset(&rule, 0, sizeof(rule));
    rule.type = AM_RECUR_WEEKLY;
    rule.periodicity = 1;
    rule.weekdays = AM_WD_MONDAY;
    rule.range = AM_RANGE_END_BY_DATE;
    rule.start = at("2026-08-03T00:00:00+02:00");
    rule.end = at("2026-08-17T00:00:00+02:00");
    rule.duration = AM_TICKS_PER_DAY;
    rule.day_number = 1;
    rule.month = 1;
    a->uid = "00000000-0000-0000-0000-000000000003";
    a->all_day = 1;
    a->start = rule.start;
    a->end = rule.start + rule.duration;
    a->rule = am_rule_format(pool, &rule, ams);
    x = apr_array_push(a->exceptions);
    memset(x, 0, sizeof(*x));
    x->index = 1;
    x->deleted = 1;
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20260803\r\n"));
    assert_non_null(strstr(s, "DTEND;VALUE=DATE:20260804\r\n"));
    assert_non_null(strstr(s, "UNTIL=20260817;"));
    assert_non_null(strstr(s, "EXDATE;VALUE=DATE:20260810\r\n"));
    assert_null(strstr(s, "TZID"));

    a->all_day = 0;
    rule.start = at("2026-10-12T09:00:00+02:00");
    rule.duration = 30 * AM_TICKS_PER_MIN;
    rule.end = at("2026-11-16T09:00:00+01:00");
    a->start = rule.start;
    a->end = rule.start + rule.duration;
    a->rule = am_rule_format(pool, &rule, ams);
    s = am_ical_encode(pool, one(a), ams, &len);
    assert_non_null(strstr(s, "\r\nTZID:Europe/Amsterdam\r\n"));
    assert_null(strstr(s, "freeassociation"));
    assert_non_null(strstr(s, "DTSTART;TZID=Europe/Amsterdam:20261012T090000"));
    /* Only the rules of 2026: the change of 25 October, none of 1977. */
    v = strstr(s, "BEGIN:VTIMEZONE");
    assert_non_null(v);
    assert_true(strstr(s, "END:VTIMEZONE") - v < 1000);
    assert_non_null(strstr(v, "DTSTART:20261025T030000"));
    assert_null(strstr(v, "1977"));
}

/* Lines fold at 75 octets, never inside a UTF-8 character, with CRLF. */
static void test_folding(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    apr_size_t len, i, col = 0;
    char *s;

    a->uid = "00000000-0000-0000-0000-000000000004";
    a->start = at("2026-07-15T10:00:00+02:00");
    a->end = at("2026-07-15T11:00:00+02:00");
    a->title = "\xc3\x9c\xc3\x9c\xc3\x9c\xe2\x82\xac\xe2\x82\xac"
               " Physiotherapie f\xc3\xbcr Frau M\xc3\xbcller \xe2\x80\x94"
               " \xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
               "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac";
    s = am_ical_encode(pool, one(a), ams, &len);
    for (i = 0; i < len; i++) {
        if (s[i] == '\n') {
            assert_true(i > 0 && s[i - 1] == '\r');
            col = 0;
            continue;
        }
        if (s[i] != '\r') {
            col++;
        }
        assert_true(col <= 75);
        /* A line never starts with a continuation byte. */
        if (col == 2 && i > 0 && s[i - 1] == ' ' && i > 2
            && s[i - 2] == '\n') {
            assert_true(((unsigned char)s[i] & 0xC0) != 0x80);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_all_day_one_day),
        cmocka_unit_test(test_series_zone_and_all_day),
        cmocka_unit_test(test_folding),
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

/* Licensed under the Apache License, Version 2.0.
 *
 * test_recur.c: cmocka tests of the recurrence core (src/recur.c): a
 * table of rules with hand-checked occurrences (every rule shape, leap
 * years, day 29/30/31, Last, DST both ways, count and end-date ends,
 * periodicity > 1), the PlanCare2 mapping and its validation, the stored
 * text form, last_end, the limit, the merge of exceptions, the friendly
 * text, and a randomised comparison of the seeking expansion with a plain
 * walk from the series start.
 *
 * The expected dates of the table were worked out by hand and checked
 * against Python's calendar module, not against libical.
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
#include <apr_strings.h>

#include "am.h"
#include "datetime.h"
#include "dialect_plancare2.h"
#include "fields.h"
#include "model.h"
#include "recur.h"

static apr_pool_t *pool;
static const am_tz_t *ams, *nyc, *utc;

static int setup(void **state)
{
    (void)state;
    if (apr_initialize() != APR_SUCCESS
        || apr_pool_create(&pool, NULL) != APR_SUCCESS) {
        return -1;
    }
    ams = am_tz_get("Europe/Amsterdam");
    nyc = am_tz_get("America/New_York");
    utc = am_tz_get("UTC");
    return (ams && nyc && utc) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}

/* The instant of an ISO text (wall time in tz without offset). */
static am_time_t T(const char *s, const am_tz_t *tz)
{
    am_time_t t = 0;

    if (am_time_parse_iso(s, tz, &t) != 0) {
        print_error("bad test time \"%s\"\n", s);
        fail();
    }
    return t;
}

static const char *fmt(am_time_t t, const am_tz_t *tz)
{
    return am_time_format_iso(pool, t, tz);
}

static const char *err_text(const am_err_t *e)
{
    const char *s;
    int i;

    if (!e) {
        return "(none)";
    }
    s = apr_psprintf(pool, "%d %s", e->status, e->message);
    for (i = 0; e->fields && i < e->fields->nelts; i++) {
        const am_fielderr_t *f = &((am_fielderr_t *)e->fields->elts)[i];

        s = apr_pstrcat(pool, s, " [", f->key, ": ", f->msg, "]", NULL);
    }
    return s;
}

/* True when e has a field error with this key. */
static int has_key(const am_err_t *e, const char *key)
{
    int i;

    for (i = 0; e && e->fields && i < e->fields->nelts; i++) {
        if (!strcmp(((am_fielderr_t *)e->fields->elts)[i].key, key)) {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The table.                                                          */

typedef struct rcase {
    const char *name;
    const char *zone;           /* NULL = Europe/Amsterdam */
    int type, periodicity, weekdays, day_number, wom, month;
    int range, count;
    const char *rend;           /* RecurrenceEnd, wall time */
    const char *start, *end;    /* the pattern appointment, wall time */
    const char *from, *until;   /* the range, wall time */
    int by_overlap;
    const char *expect[16];     /* "index start" (start as output) */
} rcase_t;

#define D AM_RECUR_DAILY
#define W AM_RECUR_WEEKLY
#define M AM_RECUR_MONTHLY
#define Y AM_RECUR_YEARLY
#define NOEND AM_RANGE_NO_END
#define COUNT AM_RANGE_COUNT
#define UNTIL AM_RANGE_END_BY_DATE

static const rcase_t cases[] = {
    /* Daily */
    { "daily", NULL, D, 1, 0, 1, 0, 1, NOEND, 0, NULL,
      "2026-01-05T09:00", "2026-01-05T10:00",
      "2026-01-05T00:00", "2026-01-08T00:00", 1,
      { "0 2026-01-05T09:00:00+01:00", "1 2026-01-06T09:00:00+01:00",
        "2 2026-01-07T09:00:00+01:00" } },
    { "daily every 3 days, seek", NULL, D, 3, 0, 1, 0, 1, NOEND, 0, NULL,
      "2026-01-01T10:00", "2026-01-01T11:00",
      "2026-01-09T00:00", "2026-01-20T00:00", 1,
      { "3 2026-01-10T10:00:00+01:00", "4 2026-01-13T10:00:00+01:00",
        "5 2026-01-16T10:00:00+01:00", "6 2026-01-19T10:00:00+01:00" } },
    { "daily, WeekDays ignored (seed sample)", NULL, D, 1, 1, 1, 0, 1,
      NOEND, 1, NULL, "2026-05-26T23:18:26.2915874",
      "2026-05-26T23:18:26.2915874",
      "2026-05-26T00:00", "2026-05-29T00:00", 1,
      { "0 2026-05-26T23:18:26.2915874+02:00",
        "1 2026-05-27T23:18:26.2915874+02:00",
        "2 2026-05-28T23:18:26.2915874+02:00" } },
    { "every working day, start on a Saturday", NULL, D, 1, 62, 1, 0, 1,
      NOEND, 0, NULL, "2026-01-03T09:00", "2026-01-03T09:30",
      "2026-01-01T00:00", "2026-01-13T00:00", 1,
      { "0 2026-01-05T09:00:00+01:00", "1 2026-01-06T09:00:00+01:00",
        "2 2026-01-07T09:00:00+01:00", "3 2026-01-08T09:00:00+01:00",
        "4 2026-01-09T09:00:00+01:00", "5 2026-01-12T09:00:00+01:00" } },
    { "every working day, seek, periodicity not used", NULL, D, 4, 62, 1,
      0, 1, NOEND, 0, NULL, "2026-01-05T09:00", "2026-01-05T09:30",
      "2026-02-02T00:00", "2026-02-04T00:00", 1,
      { "20 2026-02-02T09:00:00+01:00", "21 2026-02-03T09:00:00+01:00" } },

    /* Weekly */
    { "every 2 weeks Mon+Wed, 10 times", NULL, W, 2, 2 | 8, 1, 0, 1,
      COUNT, 10, NULL, "2026-01-05T10:00", "2026-01-05T11:00",
      "2026-01-01T00:00", "2027-01-01T00:00", 1,
      { "0 2026-01-05T10:00:00+01:00", "1 2026-01-07T10:00:00+01:00",
        "2 2026-01-19T10:00:00+01:00", "3 2026-01-21T10:00:00+01:00",
        "4 2026-02-02T10:00:00+01:00", "5 2026-02-04T10:00:00+01:00",
        "6 2026-02-16T10:00:00+01:00", "7 2026-02-18T10:00:00+01:00",
        "8 2026-03-02T10:00:00+01:00", "9 2026-03-04T10:00:00+01:00" } },
    { "every 2 weeks Mon+Sun: weeks start on Monday", NULL, W, 2, 2 | 1,
      1, 0, 1, NOEND, 0, NULL, "2026-01-05T10:00", "2026-01-05T11:00",
      "2026-01-01T00:00", "2026-01-26T00:00", 1,
      { "0 2026-01-05T10:00:00+01:00", "1 2026-01-11T10:00:00+01:00",
        "2 2026-01-19T10:00:00+01:00", "3 2026-01-25T10:00:00+01:00" } },
    { "weekly Monday, start on a Wednesday", NULL, W, 1, 2, 1, 0, 1,
      NOEND, 0, NULL, "2026-01-07T09:00", "2026-01-07T10:00",
      "2026-01-01T00:00", "2026-01-20T00:00", 1,
      { "0 2026-01-12T09:00:00+01:00", "1 2026-01-19T09:00:00+01:00" } },
    { "weekly 09:00 across spring forward", NULL, W, 1, 2, 1, 0, 1,
      NOEND, 0, NULL, "2026-03-16T09:00", "2026-03-16T10:00",
      "2026-03-16T00:00", "2026-04-07T00:00", 1,
      { "0 2026-03-16T09:00:00+01:00", "1 2026-03-23T09:00:00+01:00",
        "2 2026-03-30T09:00:00+02:00", "3 2026-04-06T09:00:00+02:00" } },
    { "weekly 09:00 across fall back, seek", NULL, W, 1, 2, 1, 0, 1,
      NOEND, 0, NULL, "2026-03-16T09:00", "2026-03-16T10:00",
      "2026-10-19T00:00", "2026-11-03T00:00", 1,
      { "31 2026-10-19T09:00:00+02:00", "32 2026-10-26T09:00:00+01:00",
        "33 2026-11-02T09:00:00+01:00" } },
    { "weekly New York across its DST", "America/New_York", W, 1, 16, 1,
      0, 1, NOEND, 0, NULL, "2026-03-05T09:00", "2026-03-05T10:00",
      "2026-03-01T00:00", "2026-03-20T00:00", 1,
      { "0 2026-03-05T09:00:00-05:00", "1 2026-03-12T09:00:00-04:00",
        "2 2026-03-19T09:00:00-04:00" } },

    /* Monthly by day number */
    { "day 31 falls on the last day", NULL, M, 1, 0, 31, 0, 1, NOEND, 0,
      NULL, "2026-01-31T09:00", "2026-01-31T10:00",
      "2026-01-01T00:00", "2026-07-01T00:00", 1,
      { "0 2026-01-31T09:00:00+01:00", "1 2026-02-28T09:00:00+01:00",
        "2 2026-03-31T09:00:00+02:00", "3 2026-04-30T09:00:00+02:00",
        "4 2026-05-31T09:00:00+02:00", "5 2026-06-30T09:00:00+02:00" } },
    { "day 30 in a leap February", NULL, M, 1, 0, 30, 0, 1, NOEND, 0,
      NULL, "2028-01-30T09:00", "2028-01-30T10:00",
      "2028-01-01T00:00", "2028-04-01T00:00", 1,
      { "0 2028-01-30T09:00:00+01:00", "1 2028-02-29T09:00:00+01:00",
        "2 2028-03-30T09:00:00+02:00" } },
    { "day 29 in a common February", NULL, M, 1, 0, 29, 0, 1, NOEND, 0,
      NULL, "2027-01-29T09:00", "2027-01-29T10:00",
      "2027-01-01T00:00", "2027-04-01T00:00", 1,
      { "0 2027-01-29T09:00:00+01:00", "1 2027-02-28T09:00:00+01:00",
        "2 2027-03-29T09:00:00+02:00" } },
    { "day 15 every 2 months, start after the 15th", NULL, M, 2, 0, 15, 0,
      1, NOEND, 0, NULL, "2026-01-20T09:00", "2026-01-20T10:00",
      "2026-01-01T00:00", "2026-06-01T00:00", 1,
      { "0 2026-03-15T09:00:00+01:00", "1 2026-05-15T09:00:00+02:00" } },
    { "day 31 every 3 months, 20 years on", NULL, M, 3, 0, 31, 0, 1,
      NOEND, 0, NULL, "2006-01-31T09:00", "2006-01-31T10:00",
      "2026-03-01T00:00", "2027-01-01T00:00", 1,
      { "81 2026-04-30T09:00:00+02:00", "82 2026-07-31T09:00:00+02:00",
        "83 2026-10-31T09:00:00+01:00" } },

    /* Monthly by week of month */
    { "last Friday of every 3 months", NULL, M, 3, 32, 1, 5, 1, NOEND, 0,
      NULL, "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-01T00:00", "2027-01-01T00:00", 1,
      { "0 2026-01-30T09:00:00+01:00", "1 2026-04-24T09:00:00+02:00",
        "2 2026-07-31T09:00:00+02:00", "3 2026-10-30T09:00:00+01:00" } },
    { "third Tuesday", NULL, M, 1, 4, 1, 3, 1, NOEND, 0, NULL,
      "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-01T00:00", "2026-04-01T00:00", 1,
      { "0 2026-01-20T09:00:00+01:00", "1 2026-02-17T09:00:00+01:00",
        "2 2026-03-17T09:00:00+01:00" } },
    { "first working day", NULL, M, 1, 62, 1, 1, 1, NOEND, 0, NULL,
      "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-01T00:00", "2026-05-01T00:00", 1,
      { "0 2026-01-01T09:00:00+01:00", "1 2026-02-02T09:00:00+01:00",
        "2 2026-03-02T09:00:00+01:00", "3 2026-04-01T09:00:00+02:00" } },
    { "last day (EveryDay, Last)", NULL, M, 1, 127, 1, 5, 1, NOEND, 0,
      NULL, "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-01T00:00", "2026-04-01T00:00", 1,
      { "0 2026-01-31T09:00:00+01:00", "1 2026-02-28T09:00:00+01:00",
        "2 2026-03-31T09:00:00+02:00" } },

    /* Yearly */
    { "every year on February 29", NULL, Y, 1, 0, 29, 0, 2, NOEND, 0,
      NULL, "2024-02-29T09:00", "2024-02-29T10:00",
      "2024-01-01T00:00", "2029-01-01T00:00", 1,
      { "0 2024-02-29T09:00:00+01:00", "1 2025-02-28T09:00:00+01:00",
        "2 2026-02-28T09:00:00+01:00", "3 2027-02-28T09:00:00+01:00",
        "4 2028-02-29T09:00:00+01:00" } },
    { "February 29, a century on (2100 is common)", NULL, Y, 1, 0, 29, 0,
      2, NOEND, 0, NULL, "2004-02-29T09:00", "2004-02-29T10:00",
      "2096-01-01T00:00", "2101-01-01T00:00", 1,
      { "92 2096-02-29T09:00:00+01:00", "93 2097-02-28T09:00:00+01:00",
        "94 2098-02-28T09:00:00+01:00", "95 2099-02-28T09:00:00+01:00",
        "96 2100-02-28T09:00:00+01:00" } },
    { "every 2 years, last Friday of May", NULL, Y, 2, 32, 1, 5, 5,
      NOEND, 0, NULL, "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-01T00:00", "2031-01-01T00:00", 1,
      { "0 2026-05-29T09:00:00+02:00", "1 2028-05-26T09:00:00+02:00",
        "2 2030-05-31T09:00:00+02:00" } },
    { "yearly March 15, start in June", NULL, Y, 1, 0, 15, 0, 3, NOEND, 0,
      NULL, "2026-06-01T09:00", "2026-06-01T10:00",
      "2026-01-01T00:00", "2028-06-01T00:00", 1,
      { "0 2027-03-15T09:00:00+01:00", "1 2028-03-15T09:00:00+01:00" } },

    /* Ends */
    { "3 times", NULL, D, 1, 0, 1, 0, 1, COUNT, 3, NULL,
      "2026-01-01T09:00", "2026-01-01T10:00",
      "2025-01-01T00:00", "2027-01-01T00:00", 1,
      { "0 2026-01-01T09:00:00+01:00", "1 2026-01-02T09:00:00+01:00",
        "2 2026-01-03T09:00:00+01:00" } },
    { "count, seek past the end", NULL, D, 1, 0, 1, 0, 1, COUNT, 3, NULL,
      "2026-01-01T09:00", "2026-01-01T10:00",
      "2026-01-03T00:00", "2026-02-01T00:00", 1,
      { "2 2026-01-03T09:00:00+01:00" } },
    { "end by date includes the end day", NULL, D, 1, 0, 1, 0, 1, UNTIL,
      0, "2026-01-03T00:00", "2026-01-01T09:00", "2026-01-01T10:00",
      "2025-01-01T00:00", "2027-01-01T00:00", 1,
      { "0 2026-01-01T09:00:00+01:00", "1 2026-01-02T09:00:00+01:00",
        "2 2026-01-03T09:00:00+01:00" } },

    /* DST on the occurrence itself */
    { "02:30 in the spring gap moves to 03:30", NULL, D, 1, 0, 1, 0, 1,
      NOEND, 0, NULL, "2026-03-28T02:30", "2026-03-28T03:00",
      "2026-03-28T00:00", "2026-03-31T00:00", 1,
      { "0 2026-03-28T02:30:00+01:00", "1 2026-03-29T03:30:00+02:00",
        "2 2026-03-30T02:30:00+02:00" } },
    { "02:30 twice in the fall: the first", NULL, D, 1, 0, 1, 0, 1, NOEND,
      0, NULL, "2026-10-24T02:30", "2026-10-24T03:00",
      "2026-10-24T00:00", "2026-10-27T00:00", 1,
      { "0 2026-10-24T02:30:00+02:00", "1 2026-10-25T02:30:00+02:00",
        "2 2026-10-26T02:30:00+01:00" } },

    /* Overlap against start */
    { "overlap: the running one is in", NULL, D, 1, 0, 1, 0, 1, NOEND, 0,
      NULL, "2026-01-01T09:00", "2026-01-01T17:00",
      "2026-01-02T12:00", "2026-01-03T10:00", 1,
      { "1 2026-01-02T09:00:00+01:00", "2 2026-01-03T09:00:00+01:00" } },
    { "by start: the running one is out", NULL, D, 1, 0, 1, 0, 1, NOEND,
      0, NULL, "2026-01-01T09:00", "2026-01-01T17:00",
      "2026-01-02T12:00", "2026-01-03T10:00", 0,
      { "2 2026-01-03T09:00:00+01:00" } },
    { "overlap of a long one, seek", NULL, W, 1, 2, 1, 0, 1, NOEND, 0,
      NULL, "2020-01-06T09:00", "2020-01-09T09:00",
      "2026-01-07T00:00", "2026-01-08T00:00", 1,
      { "313 2026-01-05T09:00:00+01:00" } },
    { "until before the start: nothing", NULL, D, 1, 0, 1, 0, 1, NOEND, 0,
      NULL, "2026-01-01T09:00", "2026-01-01T10:00",
      "2025-01-01T00:00", "2025-12-31T00:00", 1, { NULL } },
};

static am_rule_t *case_rule(const rcase_t *c, const am_tz_t **tzp)
{
    const am_tz_t *tz = c->zone ? am_tz_get(c->zone) : ams;
    am_rule_t *r = apr_pcalloc(pool, sizeof(*r));
    am_time_t s = T(c->start, tz), e = T(c->end, tz);
    am_err_t *err = NULL;

    r->type = c->type;
    r->periodicity = c->periodicity;
    r->weekdays = c->weekdays;
    r->day_number = c->day_number;
    r->week_of_month = c->wom;
    r->month = c->month;
    r->range = c->range;
    r->count = c->count;
    r->end = c->rend ? T(c->rend, tz) : s;
    r->start = s;
    r->duration = e - s;        /* no DST inside these patterns */
    if (am_rule_check(pool, r, tz, NULL, &err) != 0) {
        print_error("%s: %s\n", c->name, err_text(err));
        fail();
    }
    *tzp = tz;
    return r;
}

static void test_table(void **state)
{
    size_t i;
    int j;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const rcase_t *c = &cases[i];
        const am_tz_t *tz;
        am_rule_t *r = case_rule(c, &tz), *back = NULL;
        apr_array_header_t *got, *walk;
        am_err_t *e;
        int n = 0;

        e = am_rule_expand(pool, r, tz, T(c->from, tz), T(c->until, tz),
                           0, c->by_overlap, &got);
        if (e) {
            print_error("%s: %s\n", c->name, err_text(e));
            fail();
        }
        while (n < 16 && c->expect[n]) {
            n++;
        }
        for (j = 0; j < got->nelts || j < n; j++) {
            const am_occurrence_t *o = &((am_occurrence_t *)got->elts)[j];
            const char *s = j < got->nelts
                ? apr_psprintf(pool, "%d %s", o->index, fmt(o->start, tz))
                : "(missing)";

            if (j >= n || strcmp(s, c->expect[j])) {
                print_error("%s: occurrence %d is \"%s\", expected \"%s\"\n",
                            c->name, j, s, j < n ? c->expect[j] : "none");
                fail();
            }
            if (am_tz_offset_at(tz, o->start) == am_tz_offset_at(tz, o->end)) {
                assert_int_equal(o->end - o->start, r->duration);
            }
            assert_null(o->exc);
        }

        /* The seeking expansion equals the walk from the start. */
        e = am_rule_expand_ex(pool, r, tz, T(c->from, tz), T(c->until, tz),
                              0, c->by_overlap, AM_EXPAND_WALK, &walk);
        assert_null(e);
        assert_int_equal(walk->nelts, got->nelts);
        assert_memory_equal(walk->elts, got->elts,
                            got->nelts * sizeof(am_occurrence_t));

        /* So does the arithmetic one. */
        e = am_rule_expand_ex(pool, r, tz, T(c->from, tz), T(c->until, tz),
                              0, c->by_overlap, AM_EXPAND_ARITH, &walk);
        assert_null(e);
        assert_int_equal(walk->nelts, got->nelts);
        assert_memory_equal(walk->elts, got->elts,
                            got->nelts * sizeof(am_occurrence_t));

        /* The stored text reads back to the same rule. */
        e = am_rule_parse(pool, am_rule_format(pool, r, tz), &back);
        if (e) {
            print_error("%s: %s\n", c->name, err_text(e));
            fail();
        }
        assert_memory_equal(back, r, sizeof(*r));
    }
}

/* ------------------------------------------------------------------ */

static am_rule_t *mk_rule(int type, int periodicity, int weekdays,
                          int day_number, int wom, int month, int range,
                          int count, const char *start, const char *end,
                          const char *rend, const am_tz_t *tz)
{
    am_rule_t *r = apr_pcalloc(pool, sizeof(*r));

    r->type = type;
    r->periodicity = periodicity;
    r->weekdays = weekdays;
    r->day_number = day_number;
    r->week_of_month = wom;
    r->month = month;
    r->range = range;
    r->count = count;
    r->start = T(start, tz);
    r->duration = T(end, tz) - r->start;
    r->end = rend ? T(rend, tz) : r->start;
    return r;
}

/* A 23:00-07:00 night shift keeps its wall-clock end across DST: 7 hours
 * on the spring night, 9 on the autumn one. */
static void test_wall_clock_duration(void **state)
{
    am_rule_t *r = mk_rule(D, 1, 0, 1, 0, 1, NOEND, 0, "2026-03-27T23:00",
                           "2026-03-28T07:00", NULL, ams);
    apr_array_header_t *o;
    am_occurrence_t *x;

    (void)state;
    assert_null(am_rule_expand(pool, r, ams, T("2026-03-28T12:00", ams),
                               T("2026-03-29T12:00", ams), 0, 0, &o));
    assert_int_equal(o->nelts, 1);
    x = (am_occurrence_t *)o->elts;
    assert_int_equal(x->index, 1);
    assert_string_equal(fmt(x->start, ams), "2026-03-28T23:00:00+01:00");
    assert_string_equal(fmt(x->end, ams), "2026-03-29T07:00:00+02:00");
    assert_int_equal(x->end - x->start, 7 * 3600LL * AM_TICKS_PER_SEC);

    assert_null(am_rule_expand(pool, r, ams, T("2026-10-24T12:00", ams),
                               T("2026-10-25T12:00", ams), 0, 0, &o));
    assert_int_equal(o->nelts, 1);
    x = (am_occurrence_t *)o->elts;
    assert_string_equal(fmt(x->start, ams), "2026-10-24T23:00:00+02:00");
    assert_string_equal(fmt(x->end, ams), "2026-10-25T07:00:00+01:00");
    assert_int_equal(x->end - x->start, 9 * 3600LL * AM_TICKS_PER_SEC);
}

/* Occurrence ends of a pattern that itself spans the DST change. */
static void test_from_obj_wall_duration(void **state)
{
    am_obj_t *o = am_obj_make(pool, &am_pc2_recurrence_info);
    am_rule_t *r = NULL;
    am_err_t *e = NULL;
    am_time_t s = T("2026-03-28T23:00", ams), en = T("2026-03-29T07:00", ams);

    (void)state;
    am_obj_set_int(o, "Interval", D);
    assert_int_equal(am_rule_from_obj(pool, o, s, en, ams, "RecurrenceInfo",
                                      &e, &r), 0);
    assert_int_equal(r->duration, 8 * 3600LL * AM_TICKS_PER_SEC);
}

/* ------------------------------------------------------------------ */
/* PlanCare2 mapping and validation.                                   */

static am_obj_t *seed_obj(am_time_t start)
{
    am_obj_t *o = am_obj_make(pool, &am_pc2_recurrence_info);

    /* The RecurrenceInfo of the seed samples. */
    am_obj_set_int(o, "OccurrenceCount", 1);
    am_obj_set_int(o, "Periodicity", 1);
    am_obj_set_int(o, "Range", 0);
    am_obj_set_int(o, "Interval", 0);
    am_obj_set_int(o, "WeekDays", 1);
    am_obj_set_time(o, "RecurrenceStart", start);
    am_obj_set_time(o, "RecurrenceEnd", start);
    am_obj_set_int(o, "Month", 1);
    am_obj_set_int(o, "DayNumber", 1);
    return o;
}

static void test_obj_roundtrip(void **state)
{
    am_time_t s = T("2026-05-26T23:18:26.2915874", ams);
    am_obj_t *in = seed_obj(s), *out;
    am_rule_t *r = NULL;
    am_err_t *e = NULL;
    int i;

    (void)state;
    assert_int_equal(am_rule_from_obj(pool, in, s, s, ams, "RecurrenceInfo",
                                      &e, &r), 0);
    assert_null(e);
    assert_int_equal(r->type, D);
    assert_int_equal(r->weekdays, 1);
    assert_int_equal(r->duration, 0);
    out = am_rule_to_obj(pool, r, &am_pc2_recurrence_info, ams);
    assert_ptr_equal(out->type, &am_pc2_recurrence_info);
    for (i = 0; i < am_pc2_recurrence_info.nfields; i++) {
        const char *name = am_pc2_recurrence_info.fields[i].name;

        if (!out->v[i].set || out->v[i].u.i != in->v[i].u.i) {
            print_error("field %s does not round-trip\n", name);
            fail();
        }
    }
    assert_string_equal(am_rule_friendly(pool, r, ams), "Occurs every day");
}

/* Absent fields take DevExpress's defaults. */
static void test_obj_defaults(void **state)
{
    am_time_t s = T("2026-01-05T09:00", ams);
    am_obj_t *o = am_obj_make(pool, &am_pc2_recurrence_info);
    am_rule_t *r = NULL;
    am_err_t *e = NULL;

    (void)state;
    assert_int_equal(am_rule_from_obj(pool, o, s, s + AM_TICKS_PER_MIN * 60,
                                      ams, "RecurrenceInfo", &e, &r), 0);
    assert_int_equal(r->type, D);
    assert_int_equal(r->periodicity, 1);
    assert_int_equal(r->range, NOEND);
    assert_int_equal(r->day_number, 1);
    assert_int_equal(r->month, 1);
    assert_int_equal(r->week_of_month, 0);
    assert_true(r->start == s && r->end == s);
    assert_int_equal(r->duration, 60 * AM_TICKS_PER_MIN);
}

/* A field table with WeekOfMonth (which PlanCare2's lacks) is read. */
static am_field_t wom_fields[] = {
    { .name = "Interval", .type = AM_T_ENUM, .en = &am_pc2_interval },
    { .name = "WeekDays", .type = AM_T_FLAGS, .en = &am_pc2_week_days },
    { .name = "WeekOfMonth", .type = AM_T_ENUM,
      .en = &am_pc2_week_of_month },
    { .name = "Periodicity", .type = AM_T_INT32 },
};
static am_type_t wom_type = { "RecurrenceInfo", "", wom_fields, 4, NULL };

static void test_obj_week_of_month(void **state)
{
    am_time_t s = T("2026-01-01T09:00", ams);
    am_obj_t *o = am_obj_make(pool, &wom_type), *out;
    am_rule_t *r = NULL;
    am_err_t *e = NULL;

    (void)state;
    am_obj_set_int(o, "Interval", M);
    am_obj_set_int(o, "WeekDays", 32);
    am_obj_set_int(o, "WeekOfMonth", 5);
    am_obj_set_int(o, "Periodicity", 3);
    assert_int_equal(am_rule_from_obj(pool, o, s, s, ams, "RecurrenceInfo",
                                      &e, &r), 0);
    assert_int_equal(r->week_of_month, 5);
    assert_string_equal(am_rule_friendly(pool, r, ams),
                        "Occurs on the last Friday of every 3 months");
    out = am_rule_to_obj(pool, r, &wom_type, ams);
    assert_int_equal(am_obj_get(out, "WeekOfMonth")->u.i, 5);
}

typedef struct vcase {
    const char *field;          /* field to set, NULL = none */
    apr_int64_t value;
    int type, range;            /* Interval, Range */
    const char *key;            /* expected error key, NULL = valid */
} vcase_t;

static void test_validation(void **state)
{
    static const vcase_t v[] = {
        { "Periodicity", 0, D, 0, "RecurrenceInfo.Periodicity" },
        { "Periodicity", 1000, D, 0, "RecurrenceInfo.Periodicity" },
        { "Periodicity", 999, D, 0, NULL },
        { "DayNumber", 0, M, 0, "RecurrenceInfo.DayNumber" },
        { "DayNumber", 32, M, 0, "RecurrenceInfo.DayNumber" },
        { "DayNumber", 31, M, 0, NULL },
        { "DayNumber", 0, W, 0, NULL },         /* unused: kept */
        { "Month", 0, Y, 0, "RecurrenceInfo.Month" },
        { "Month", 13, Y, 0, "RecurrenceInfo.Month" },
        { "Month", 0, M, 0, NULL },             /* unused: kept */
        { "WeekDays", 0, W, 0, "RecurrenceInfo.WeekDays" },
        { "WeekDays", 0, D, 0, NULL },
        { "WeekDays", 128, D, 0, "RecurrenceInfo.WeekDays" },
        { "OccurrenceCount", 0, D, 1, "RecurrenceInfo.OccurrenceCount" },
        { "OccurrenceCount", 100001, D, 1, "RecurrenceInfo.OccurrenceCount" },
        { "OccurrenceCount", 100000, D, 1, NULL },
        { "OccurrenceCount", 0, D, 0, NULL },   /* not a count rule */
        { "Interval", 4, D, 0, "RecurrenceInfo.Interval" },
        { "Range", 3, D, 0, "RecurrenceInfo.Range" },
    };
    am_time_t s = T("2026-01-05T09:00", ams);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        am_obj_t *o = seed_obj(s);
        am_rule_t *r = NULL;
        am_err_t *e = NULL;
        int rc;

        am_obj_set_int(o, "WeekDays", 2);
        am_obj_set_int(o, "Interval", v[i].type);
        am_obj_set_int(o, "Range", v[i].range);
        am_obj_set_int(o, "OccurrenceCount", 5);
        am_obj_set_int(o, v[i].field, v[i].value);
        rc = am_rule_from_obj(pool, o, s, s, ams, "RecurrenceInfo", &e, &r);
        if (v[i].key ? (rc != -1 || !has_key(e, v[i].key)
                        || e->status != 400
                        || strcmp(e->message, "The request is invalid."))
                     : rc != 0) {
            print_error("case %d (%s=%d): %s\n", (int)i, v[i].field,
                        (int)v[i].value, err_text(e));
            fail();
        }
    }
}

static void test_validation_dates(void **state)
{
    am_time_t s = T("2026-01-05T09:00", ams);
    am_obj_t *o;
    am_rule_t *r = NULL;
    am_err_t *e = NULL;

    (void)state;
    /* RecurrenceStart must equal Start, to the tick. */
    o = seed_obj(s + 1);
    assert_int_equal(am_rule_from_obj(pool, o, s, s, ams, "RecurrenceInfo",
                                      &e, &r), -1);
    assert_true(has_key(e, "RecurrenceInfo.RecurrenceStart"));

    /* EndByDate: the end day may be the start day at an earlier time,
     * not an earlier day. */
    e = NULL;
    o = seed_obj(s);
    am_obj_set_int(o, "Range", UNTIL);
    am_obj_set_time(o, "RecurrenceEnd", T("2026-01-05T00:00", ams));
    assert_int_equal(am_rule_from_obj(pool, o, s, s, ams, "RecurrenceInfo",
                                      &e, &r), 0);
    am_obj_set_time(o, "RecurrenceEnd", T("2026-01-04T23:59", ams));
    assert_int_equal(am_rule_from_obj(pool, o, s, s, ams, "RecurrenceInfo",
                                      &e, &r), -1);
    assert_true(has_key(e, "RecurrenceInfo.RecurrenceEnd"));

    /* Several problems at once, added to an existing error. */
    e = am_err_make(pool, 400, "The request is invalid.");
    am_err_field(pool, e, "Title", "The Title field is required.");
    o = seed_obj(s);
    am_obj_set_int(o, "Interval", Y);
    am_obj_set_int(o, "Month", 0);
    am_obj_set_int(o, "DayNumber", 0);
    am_obj_set_int(o, "Periodicity", 0);
    assert_int_equal(am_rule_from_obj(pool, o, s, s - 1, ams,
                                      "RecurrenceInfo", &e, &r), -1);
    assert_int_equal(e->fields->nelts, 5);
    assert_true(has_key(e, "Title"));
    assert_true(has_key(e, "RecurrenceInfo.Month"));
    assert_true(has_key(e, "RecurrenceInfo.DayNumber"));
    assert_true(has_key(e, "RecurrenceInfo.Periodicity"));
    assert_true(has_key(e, "End"));

    /* No prefix: bare names. */
    e = NULL;
    o = seed_obj(s);
    am_obj_set_int(o, "Periodicity", 0);
    assert_int_equal(am_rule_from_obj(pool, o, s, s, ams, NULL, &e, &r), -1);
    assert_true(has_key(e, "Periodicity"));

    /* Beyond libical's last year: every year .NET has is a start. */
    e = NULL;
    o = seed_obj(T("2583-01-01T09:00", ams));
    assert_int_equal(am_rule_from_obj(pool, o, T("2583-01-01T09:00", ams),
                                      T("2583-01-01T09:00", ams), ams,
                                      "RecurrenceInfo", &e, &r), 0);
    o = seed_obj(T("9999-12-01T09:00", ams));
    assert_int_equal(am_rule_from_obj(pool, o, T("9999-12-01T09:00", ams),
                                      T("9999-12-01T09:00", ams), ams,
                                      "RecurrenceInfo", &e, &r), 0);
    o = seed_obj(T("0001-01-01T09:00", ams));
    assert_int_equal(am_rule_from_obj(pool, o, T("0001-01-01T09:00", ams),
                                      T("0001-01-01T09:00", ams), ams,
                                      "RecurrenceInfo", &e, &r), 0);
}

/* Other dialects name their own keys. */
static void test_check_keys(void **state)
{
    am_rule_t *r = mk_rule(W, 0, 0, 1, 0, 1, COUNT, 0, "2026-01-05T09:00",
                           "2026-01-05T10:00", NULL, ams);
    am_rule_keys_t k = { 0 };
    am_err_t *e = NULL;

    (void)state;
    k.periodicity = "recurrenceInterval";
    k.count = "recurrenceCount";
    assert_int_equal(am_rule_check(pool, r, ams, &k, &e), -1);
    assert_true(has_key(e, "recurrenceInterval"));
    assert_true(has_key(e, "recurrenceCount"));
    assert_true(has_key(e, "WeekDays"));
}

/* ------------------------------------------------------------------ */
/* Stored text.                                                        */

static void test_format(void **state)
{
    am_rule_t *r = mk_rule(W, 2, 2 | 8, 1, 0, 1, COUNT, 10,
                           "2026-01-05T09:00", "2026-01-05T10:00", NULL, ams);
    const char *s = am_rule_format(pool, r, ams);

    (void)state;
    assert_string_equal(s,
        "DTSTART;TZID=Europe/Amsterdam:20260105T090000\n"
        "RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=MO,WE;COUNT=10\n"
        "X-AM-RULE:V=1;TYPE=WEEKLY;PERIODICITY=2;WEEKDAYS=10;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=COUNT;COUNT=10;START=17676000000000000;"
        "END=17676000000000000;DURATION=36000000000");
}

static void test_rrule(void **state)
{
    static const struct {
        int type, per, wd, dn, wom, mo, range, count;
        const char *rend;
        const char *expect;
    } v[] = {
        { D, 2, 0, 1, 0, 1, NOEND, 0, NULL, "FREQ=DAILY;INTERVAL=2" },
        { D, 1, 62, 1, 0, 1, NOEND, 0, NULL,
          "FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=MO,TU,WE,TH,FR" },
        { M, 1, 0, 28, 0, 1, NOEND, 0, NULL,
          "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28" },
        { M, 1, 0, 30, 0, 1, NOEND, 0, NULL,
          "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1" },
        { M, 3, 32, 1, 5, 1, NOEND, 0, NULL,
          "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR" },
        { M, 1, 62, 1, 2, 1, NOEND, 0, NULL,
          "FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=2" },
        { Y, 1, 0, 29, 0, 2, NOEND, 0, NULL,
          "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1" },
        { Y, 1, 0, 31, 0, 4, NOEND, 0, NULL,
          "FREQ=YEARLY;INTERVAL=1;BYMONTH=4;BYMONTHDAY=30" },
        { Y, 1, 0, 31, 0, 3, NOEND, 0, NULL,
          "FREQ=YEARLY;INTERVAL=1;BYMONTH=3;BYMONTHDAY=31" },
        { Y, 1, 4, 1, 3, 5, COUNT, 4, NULL,
          "FREQ=YEARLY;INTERVAL=1;BYMONTH=5;BYDAY=3TU;COUNT=4" },
        { D, 1, 0, 1, 0, 1, UNTIL, 0, "2026-12-31T00:00",
          "FREQ=DAILY;INTERVAL=1;UNTIL=20261231T225959Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        am_rule_t *r = mk_rule(v[i].type, v[i].per, v[i].wd, v[i].dn,
                               v[i].wom, v[i].mo, v[i].range, v[i].count,
                               "2026-01-01T09:00", "2026-01-01T10:00",
                               v[i].rend, ams);

        assert_string_equal(am_rule_rrule(pool, r, ams), v[i].expect);
    }
}

static void test_parse_garbage(void **state)
{
    static const char *const bad_texts[] = {
        "",
        "garbage",
        "X-AM-RULE:",
        "X-AM-RULE:V=1",
        "RRULE:FREQ=DAILY",
        "X-AM-RULE:V=2;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=HOURLY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1x;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;PERIODICITY=1;WEEKDAYS=0;"
        "WEEKOFMONTH=0;DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;"
        "END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0;"
        "COLOR=red",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;"
        "DURATION=-1",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=99999999999999999999;"
        "END=0;DURATION=0",
        /* valid keys, invalid rule: weekly without days, count 0 */
        "X-AM-RULE:V=1;TYPE=WEEKLY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=COUNT;COUNT=0;START=0;END=0;DURATION=0",
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0\n"
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;DURATION=0",
    };
    am_rule_t *r = NULL;
    size_t i;

    (void)state;
    assert_non_null(am_rule_parse(pool, NULL, &r));
    for (i = 0; i < sizeof(bad_texts) / sizeof(bad_texts[0]); i++) {
        am_err_t *e = am_rule_parse(pool, bad_texts[i], &r);

        if (!e || e->status != 500) {
            print_error("accepted: %s\n", bad_texts[i]);
            fail();
        }
    }
    /* CRLF and an X-AM-RULE line alone are fine. */
    assert_null(am_rule_parse(pool,
        "DTSTART;TZID=UTC:19700101T000000\r\n"
        "X-AM-RULE:V=1;TYPE=DAILY;PERIODICITY=1;WEEKDAYS=0;WEEKOFMONTH=0;"
        "DAYNUMBER=1;MONTH=1;RANGE=NO_END;COUNT=1;START=0;END=0;"
        "DURATION=0\r\n", &r));
    assert_int_equal(r->type, D);
}

/* ------------------------------------------------------------------ */
/* Span, count and the limit.                                          */

static void test_last_end(void **state)
{
    am_rule_t *r;

    (void)state;
    r = mk_rule(W, 2, 2 | 8, 1, 0, 1, COUNT, 10, "2026-01-05T10:00",
                "2026-01-05T11:00", NULL, ams);
    assert_string_equal(fmt(am_rule_last_end(r, ams), ams),
                        "2026-03-04T11:00:00+01:00");
    assert_int_equal(am_rule_count(r, ams), 10);

    r->range = NOEND;
    assert_true(am_rule_last_end(r, ams) == AM_TIME_MAX);
    assert_int_equal(am_rule_count(r, ams), -1);

    /* End by date: the end day's occurrence is the last. */
    r = mk_rule(M, 1, 0, 31, 0, 1, UNTIL, 0, "2026-01-31T09:00",
                "2026-01-31T10:00", "2026-04-30T08:00", ams);
    assert_string_equal(fmt(am_rule_last_end(r, ams), ams),
                        "2026-04-30T10:00:00+02:00");
    assert_int_equal(am_rule_count(r, ams), 4);

    /* No occurrence at all: the span is the start. */
    r = mk_rule(W, 1, 2, 1, 0, 1, UNTIL, 0, "2026-01-06T09:00",
                "2026-01-06T10:00", "2026-01-08T00:00", ams);
    assert_true(am_rule_last_end(r, ams) == r->start);
    assert_int_equal(am_rule_count(r, ams), 0);

    /* A count beyond libical's 2582: 2026, 2126, ..., 2926, all ten. */
    r = mk_rule(Y, 100, 0, 1, 0, 6, COUNT, 10, "2026-06-01T09:00",
                "2026-06-01T10:00", NULL, ams);
    assert_int_equal(am_rule_count(r, ams), 10);
    assert_string_equal(fmt(am_rule_last_end(r, ams), ams),
                        "2926-06-01T10:00:00+02:00");

    /* A large count, found without walking: the 100000th working day. */
    r = mk_rule(D, 1, 62, 1, 0, 1, COUNT, 100000, "2026-01-05T09:00",
                "2026-01-05T10:00", NULL, ams);
    assert_string_equal(fmt(am_rule_last_end(r, ams), ams),
                        "2409-04-24T10:00:00+02:00");
}

static void test_occurrence_at(void **state)
{
    am_rule_t *r = mk_rule(W, 2, 2 | 8, 1, 0, 1, COUNT, 10,
                           "2026-01-05T10:00", "2026-01-05T11:00", NULL, ams);
    am_occurrence_t o;

    (void)state;
    assert_int_equal(am_rule_occurrence_at(r, ams, 7, &o), 1);
    assert_int_equal(o.index, 7);
    assert_string_equal(fmt(o.start, ams), "2026-02-18T10:00:00+01:00");
    assert_string_equal(fmt(o.end, ams), "2026-02-18T11:00:00+01:00");
    assert_int_equal(am_rule_occurrence_at(r, ams, 10, &o), 0);
    assert_int_equal(am_rule_occurrence_at(r, ams, -1, &o), 0);
    r->range = NOEND;
    /* Far away, at once (2 per 2 weeks): 20000 is a Monday 20000 weeks
     * on; 1000000 would be after 2582. */
    assert_int_equal(am_rule_occurrence_at(r, ams, 20000, &o), 1);
    assert_string_equal(fmt(o.start, ams), "2409-04-27T10:00:00+02:00");
    assert_int_equal(am_rule_occurrence_at(r, ams, 1000000, &o), 0);
}

static void test_limit(void **state)
{
    am_rule_t *r = mk_rule(D, 1, 0, 1, 0, 1, NOEND, 0, "2006-01-01T09:00",
                           "2006-01-01T10:00", NULL, ams);
    apr_array_header_t *o;
    am_err_t *e;

    (void)state;
    /* 31 in January: a limit of 31 passes, 30 is refused. */
    assert_null(am_rule_expand(pool, r, ams, T("2026-01-01T00:00", ams),
                               T("2026-02-01T00:00", ams), 31, 1, &o));
    assert_int_equal(o->nelts, 31);
    e = am_rule_expand(pool, r, ams, T("2026-01-01T00:00", ams),
                       T("2026-02-01T00:00", ams), 30, 1, &o);
    assert_non_null(e);
    assert_int_equal(e->status, 400);
    assert_non_null(strstr(e->message, "30 occurrences"));
    assert_non_null(strstr(e->message, "AppointmentsMaxOccurrences"));

    /* The default limit (5000) for an unbounded range. */
    e = am_rule_expand(pool, r, ams, AM_TIME_MIN, AM_TIME_MAX, 0, 1, &o);
    assert_non_null(e);
    assert_non_null(strstr(e->message, "5000"));

    /* An empty or reversed range is empty, not an error. */
    assert_null(am_rule_expand(pool, r, ams, T("2026-01-01T00:00", ams),
                               T("2026-01-01T00:00", ams), 1, 1, &o));
    assert_int_equal(o->nelts, 0);
}

/* A rule that skipped am_rule_check is refused, not expanded. */
static void test_unchecked_rule(void **state)
{
    am_rule_t *r = mk_rule(W, 1, 0, 1, 0, 1, COUNT, 5, "2026-01-05T09:00",
                           "2026-01-05T10:00", NULL, ams);
    apr_array_header_t *o;
    am_occurrence_t x;
    am_err_t *e;

    (void)state;
    e = am_rule_expand(pool, r, ams, r->start, r->start + AM_TICKS_PER_DAY
                       * 30, 0, 1, &o);
    assert_non_null(e);
    assert_int_equal(e->status, 500);
    assert_int_equal(o->nelts, 0);
    assert_int_equal(am_rule_count(r, ams), 0);
    assert_true(am_rule_last_end(r, ams) == r->start);
    assert_int_equal(am_rule_occurrence_at(r, ams, 0, &x), 0);
    r->weekdays = 2;
    r->type = 7;
    assert_non_null(am_rule_expand_ex(pool, r, ams, r->start, r->start + 1,
                                      0, 1, AM_EXPAND_ARITH, &o));
}

/* Occurrences go on past 2582 (libical's last year) to the end of what
 * .NET has: the last day whose occurrence still ends by
 * 9999-12-31T23:59:59.9999999 UTC, with a day's margin for the zone. */
static void test_horizon(void **state)
{
    am_rule_t *r = mk_rule(D, 1, 0, 1, 0, 1, NOEND, 0, "2026-01-01T09:00",
                           "2026-01-01T10:00", NULL, utc);
    apr_array_header_t *o;
    am_occurrence_t *last;

    (void)state;
    assert_null(am_rule_expand(pool, r, utc, T("2582-12-30T00:00", utc),
                               T("2583-01-05T00:00", utc), 0, 1, &o));
    assert_int_equal(o->nelts, 6);
    assert_null(am_rule_expand(pool, r, utc, T("2600-01-01T00:00", utc),
                               T("2600-02-01T00:00", utc), 0, 1, &o));
    assert_int_equal(o->nelts, 31);
    assert_null(am_rule_expand(pool, r, utc, T("9999-12-01T00:00", utc),
                               AM_TIME_MAX, 0, 1, &o));
    assert_int_equal(o->nelts, 30);
    last = &((am_occurrence_t *)o->elts)[o->nelts - 1];
    assert_string_equal(fmt(last->start, utc), "9999-12-30T09:00:00+00:00");
    /* A series of year 24 keeps its first occurrence (the seek path of
     * libical lost it). */
    r = mk_rule(W, 1, 2, 1, 0, 1, NOEND, 0, "0024-01-01T09:00",
                "0024-01-01T10:00", NULL, utc);
    assert_null(am_rule_expand(pool, r, utc, T("0024-01-01T00:00", utc),
                               T("0024-01-20T00:00", utc), 0, 1, &o));
    assert_int_equal(o->nelts, 3);
    assert_string_equal(fmt(((am_occurrence_t *)o->elts)[0].start, utc),
                        "0024-01-01T09:00:00+00:00");
}

/* ------------------------------------------------------------------ */
/* Exceptions.                                                         */

static am_exception_t *add_exc(apr_array_header_t *a, int index,
                               int deleted, const char *start,
                               const char *end)
{
    am_exception_t *x = apr_array_push(a);

    memset(x, 0, sizeof(*x));
    x->index = index;
    x->deleted = deleted;
    if (start) {
        x->start = T(start, ams);
        x->end = T(end, ams);
    }
    return x;
}

static const char *occ_list(const apr_array_header_t *o)
{
    const char *s = "";
    int i;

    for (i = 0; i < o->nelts; i++) {
        const am_occurrence_t *x = &((am_occurrence_t *)o->elts)[i];

        s = apr_psprintf(pool, "%s%s%d%s@%s", s, i ? " " : "", x->index,
                         x->exc ? "*" : "", fmt(x->start, ams) + 5);
    }
    return s;
}

static void test_merge(void **state)
{
    /* Daily 09:00-10:00 from Jan 1 (index = day - 1), range Jan 10-13. */
    am_rule_t *r = mk_rule(D, 1, 0, 1, 0, 1, COUNT, 30, "2026-01-01T09:00",
                           "2026-01-01T10:00", NULL, ams);
    apr_array_header_t *ex = apr_array_make(pool, 8, sizeof(am_exception_t));
    apr_array_header_t *o;
    am_exception_t *moved_in;

    (void)state;
    add_exc(ex, 10, 1, NULL, NULL);                   /* Jan 11 deleted */
    add_exc(ex, 11, 0, "2026-01-12T14:00", "2026-01-12T15:00"); /* later */
    add_exc(ex, 12, 0, "2026-02-20T09:00", "2026-02-20T10:00"); /* out */
    moved_in = add_exc(ex, 20, 0, "2026-01-10T07:00",
                       "2026-01-10T08:00");           /* Jan 21 moved in */
    add_exc(ex, 40, 0, "2026-01-11T07:00", "2026-01-11T08:00"); /* >count */
    add_exc(ex, 9, 0, "2026-01-10T11:00", "2026-01-10T12:00");
    add_exc(ex, 9, 0, "2026-01-10T12:00", "2026-01-10T13:00");  /* wins */

    assert_null(am_rule_occurrences(pool, r, ams, T("2026-01-10T00:00", ams),
                                    T("2026-01-15T00:00", ams), 0, 1, ex,
                                    &o));
    /* 20 moved in (first), 9 changed (the later exception), 10 deleted,
     * 11 changed, 12 moved out, 13 untouched; 40 is beyond the count. */
    assert_string_equal(occ_list(o),
                        "20*@01-10T07:00:00+01:00 9*@01-10T12:00:00+01:00 "
                        "11*@01-12T14:00:00+01:00 13@01-14T09:00:00+01:00");
    assert_ptr_equal(((am_occurrence_t *)o->elts)[0].exc, moved_in);
    assert_int_equal(((am_occurrence_t *)o->elts)[0].end
                     - ((am_occurrence_t *)o->elts)[0].start,
                     60 * AM_TICKS_PER_MIN);
}

/* Merge is pure: the caller may also pass an expansion it made itself. */
static void test_merge_pure(void **state)
{
    apr_array_header_t *occ = apr_array_make(pool, 4, sizeof(am_occurrence_t));
    apr_array_header_t *ex = apr_array_make(pool, 4, sizeof(am_exception_t));
    apr_array_header_t *o;
    am_occurrence_t *x;
    am_time_t base = T("2026-01-01T09:00", ams);
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        x = apr_array_push(occ);
        x->index = i;
        x->start = base + i * AM_TICKS_PER_DAY;
        x->end = x->start + 60 * AM_TICKS_PER_MIN;
        x->exc = NULL;
    }
    add_exc(ex, 1, 1, NULL, NULL);
    assert_null(am_occ_merge(pool, occ, ex, -1, base, base + 3 *
                             AM_TICKS_PER_DAY, 1, &o));
    assert_int_equal(o->nelts, 2);
    assert_null(am_occ_merge(pool, occ, NULL, -1, base, base + 3 *
                             AM_TICKS_PER_DAY, 1, &o));
    assert_int_equal(o->nelts, 3);
    /* A deleted index beyond the series is ignored. */
    assert_null(am_occ_merge(pool, occ, ex, 1, base, base + 3 *
                             AM_TICKS_PER_DAY, 1, &o));
    assert_int_equal(o->nelts, 3);
}

/* ------------------------------------------------------------------ */
/* Friendly text.                                                      */

static void test_friendly(void **state)
{
    static const struct {
        int type, per, wd, dn, wom, mo, range, count;
        const char *rend;
        const char *expect;
    } v[] = {
        { D, 1, 0, 1, 0, 1, NOEND, 0, NULL, "Occurs every day" },
        { D, 3, 0, 1, 0, 1, COUNT, 1, NULL, "Occurs every 3 days, 1 time" },
        { D, 1, 62, 1, 0, 1, NOEND, 0, NULL, "Occurs every working day" },
        { W, 1, 2, 1, 0, 1, NOEND, 0, NULL, "Occurs every week on Monday" },
        { W, 2, 2 | 8, 1, 0, 1, COUNT, 10, NULL,
          "Occurs every 2 weeks on Monday and Wednesday, 10 times" },
        { W, 1, 1 | 2 | 32, 1, 0, 1, NOEND, 0, NULL,
          "Occurs every week on Monday, Friday and Sunday" },
        { W, 1, 62, 1, 0, 1, NOEND, 0, NULL,
          "Occurs every week on working days" },
        { W, 1, 127, 1, 0, 1, NOEND, 0, NULL,
          "Occurs every week on every day" },
        { M, 1, 0, 31, 0, 1, NOEND, 0, NULL,
          "Occurs on day 31 of every month" },
        { M, 2, 0, 15, 0, 1, UNTIL, 0, "2026-12-31T00:00",
          "Occurs on day 15 of every 2 months until 31-12-2026" },
        { M, 3, 32, 1, 5, 1, NOEND, 0, NULL,
          "Occurs on the last Friday of every 3 months" },
        { M, 1, 62, 1, 1, 1, NOEND, 0, NULL,
          "Occurs on the first working day of every month" },
        { M, 1, 65, 1, 2, 1, NOEND, 0, NULL,
          "Occurs on the second weekend day of every month" },
        { M, 1, 127, 1, 5, 1, NOEND, 0, NULL,
          "Occurs on the last day of every month" },
        { M, 1, 2 | 8, 1, 3, 1, NOEND, 0, NULL,
          "Occurs on the third Monday or Wednesday of every month" },
        { Y, 1, 0, 29, 0, 2, NOEND, 0, NULL,
          "Occurs every year on February 29" },
        { Y, 2, 0, 31, 0, 4, COUNT, 5, NULL,
          "Occurs every 2 years on April 30, 5 times" },
        { Y, 1, 16, 1, 4, 11, NOEND, 0, NULL,
          "Occurs every year on the fourth Thursday of November" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        am_rule_t *r = mk_rule(v[i].type, v[i].per, v[i].wd, v[i].dn,
                               v[i].wom, v[i].mo, v[i].range, v[i].count,
                               "2026-01-01T09:00", "2026-01-01T10:00",
                               v[i].rend, ams);

        assert_string_equal(am_rule_friendly(pool, r, ams), v[i].expect);
    }
}

/* ------------------------------------------------------------------ */
/* Randomised: seek + arithmetic index against the walk from the start,
 * and last_end / count against the full walk.  RECUR_FUZZ=n sets the
 * number of rules (default 400). */

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static int rnd(int n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int)(rng % (unsigned long long)n);
}

/* The documented semantics, day by day, without libical and without
 * recur.c's arithmetic: does the rule (started on day `s' of the wall
 * clock) have an occurrence on y-m-d? */
static int oracle_match(const am_rule_t *r, const am_civil_t *s, int y, int m,
                        int d)
{
    am_civil_t a = { s->year, s->month, s->day, 0, 0, 0, 0 };
    am_civil_t b = { y, m, d, 0, 0, 0, 0 };
    long long days = (am_civil_to_time(&b, 0) - am_civil_to_time(&a, 0))
                     / AM_TICKS_PER_DAY;
    int dow = am_weekday(y, m, d), sdow = am_weekday(s->year, s->month,
                                                      s->day);
    int dim = am_days_in_month(y, m), want, k, i, last;
    long long months;

    if (days < 0) {
        return 0;
    }
    switch (r->type) {
    case AM_RECUR_DAILY:
        if (r->weekdays == AM_WD_WORKDAYS) {
            return dow >= 1 && dow <= 5;
        }
        return days % r->periodicity == 0;
    case AM_RECUR_WEEKLY:
        /* Monday-based weeks counted from the start's week. */
        if (!(r->weekdays & (1 << dow))) {
            return 0;
        }
        return ((days + (sdow + 6) % 7 - (dow + 6) % 7) / 7)
               % r->periodicity == 0;
    default:
        if (r->type == AM_RECUR_YEARLY) {
            if (m != r->month || (y - s->year) % r->periodicity) {
                return 0;
            }
        }
        else {
            months = (long long)(y - s->year) * 12 + (m - s->month);
            if (months % r->periodicity) {
                return 0;
            }
        }
        if (r->week_of_month == 0) {
            want = r->day_number < dim ? r->day_number : dim;
            return d == want;
        }
        for (i = 1, k = 0, last = 0, want = 0; i <= dim; i++) {
            if (r->weekdays & (1 << am_weekday(y, m, i))) {
                last = i;
                if (++k == r->week_of_month && r->week_of_month < 5) {
                    want = i;
                }
            }
        }
        return d == (r->week_of_month == 5 ? last : want);
    }
}

/* The walk's first occurrences against the oracle over 12 years. */
static void check_oracle(apr_pool_t *p, const am_rule_t *r,
                         const am_tz_t *tz, int i)
{
    apr_array_header_t *w;
    am_civil_t s, c;
    int day, j = 0, idx = 0;

    am_tz_to_local(tz, r->start, &s, NULL);
    assert_null(am_rule_expand_ex(p, r, tz, r->start,
                                  r->start + 12 * 366 * AM_TICKS_PER_DAY,
                                  100000, 0, AM_EXPAND_WALK, &w));
    for (day = 0; day < 12 * 365 && j < w->nelts; day++) {
        const am_occurrence_t *o = &((am_occurrence_t *)w->elts)[j];
        am_civil_t oc;

        am_time_to_civil(am_civil_to_time(&s, 0) + day * AM_TICKS_PER_DAY,
                         0, &c);
        if (!oracle_match(r, &s, c.year, c.month, c.day)) {
            continue;
        }
        am_tz_to_local(tz, o->start, &oc, NULL);
        if (o->index != idx || oc.year != c.year || oc.month != c.month
            || oc.day != c.day) {
            print_error("rule %d: %s: occurrence %d is %04d-%02d-%02d, the "
                        "oracle says %d on %04d-%02d-%02d\n", i,
                        am_rule_format(p, r, tz), o->index, oc.year,
                        oc.month, oc.day, idx, c.year, c.month, c.day);
            fail();
        }
        j++;
        idx++;
    }
    /* Direct lookups agree with the walk. */
    for (j = 0; j < w->nelts; j += 1 + j / 3) {
        const am_occurrence_t *o = &((am_occurrence_t *)w->elts)[j];
        am_occurrence_t at;

        if (am_rule_occurrence_at(r, tz, o->index, &at) != 1
            || at.start != o->start || at.end != o->end) {
            print_error("rule %d: %s: am_rule_occurrence_at(%d) differs\n",
                        i, am_rule_format(p, r, tz), o->index);
            fail();
        }
    }
}

static void test_random_vs_walk(void **state)
{
    static const int days[] = { 1, 2, 8, 32, 64, 62, 65, 127, 2 | 8 | 32,
                                1 | 2, 16 | 64 };
    const char *env = getenv("RECUR_FUZZ");
    int n = env ? atoi(env) : 400, i;

    (void)state;
    for (i = 0; i < n; i++) {
        apr_pool_t *sub;
        am_rule_t r;
        const am_tz_t *tz = rnd(3) ? ams : (rnd(2) ? nyc : utc);
        am_civil_t c = { 1995 + rnd(40), 1 + rnd(12), 1, rnd(24),
                         rnd(4) * 15, 0, rnd(2) * 1234567 };
        apr_array_header_t *a, *b, *ar;
        am_time_t from, until;
        am_err_t *e1 = NULL, *e2;
        int overlap = rnd(2);

        c.day = 1 + rnd(am_days_in_month(c.year, c.month));
        apr_pool_create(&sub, pool);
        memset(&r, 0, sizeof(r));
        r.type = rnd(4);
        r.periodicity = rnd(4) ? 1 + rnd(4) : 1 + rnd(30);
        r.weekdays = days[rnd(sizeof(days) / sizeof(days[0]))];
        r.day_number = rnd(3) ? 1 + rnd(31) : 28 + rnd(4);
        r.week_of_month = r.type >= M && rnd(2) ? 1 + rnd(5) : 0;
        r.month = 1 + rnd(12);
        r.range = rnd(3);
        r.count = 1 + rnd(80);
        r.start = am_tz_from_local(tz, &c);
        r.end = r.start + (apr_int64_t)rnd(3 * 366) * AM_TICKS_PER_DAY;
        r.duration = (apr_int64_t)rnd(40 * 60) * AM_TICKS_PER_MIN;
        if (am_rule_check(sub, &r, tz, NULL, &e1) != 0) {
            apr_pool_destroy(sub);
            continue;
        }
        from = r.start + (rnd(4) ? (apr_int64_t)rnd(12 * 366) - 366
                                 : (apr_int64_t)rnd(40 * 366))
                         * AM_TICKS_PER_DAY
               + (apr_int64_t)rnd(1440) * AM_TICKS_PER_MIN;
        until = from + (apr_int64_t)(1 + rnd(400)) * AM_TICKS_PER_DAY;

        {
            am_rule_t unbounded = r;

            unbounded.range = NOEND;
            check_oracle(sub, &unbounded, tz, i);
        }
        e1 = am_rule_expand(sub, &r, tz, from, until, 100000, overlap, &a);
        e2 = am_rule_expand_ex(sub, &r, tz, from, until, 100000, overlap,
                               AM_EXPAND_WALK, &b);
        if (!e2) {
            e2 = am_rule_expand_ex(sub, &r, tz, from, until, 100000,
                                   overlap, AM_EXPAND_ARITH, &ar);
        }
        if (e1 || e2 || a->nelts != b->nelts || a->nelts != ar->nelts
            || memcmp(a->elts, b->elts, a->nelts * sizeof(am_occurrence_t))
            || memcmp(a->elts, ar->elts,
                      a->nelts * sizeof(am_occurrence_t))) {
            print_error("rule %d: %s differs from the walk (%d vs %d) in "
                        "%s .. %s\n", i,
                        am_rule_format(sub, &r, tz), a->nelts, b->nelts,
                        fmt(from, tz), fmt(until, tz));
            fail();
        }
        if (r.range != NOEND) {
            int cnt = am_rule_count(&r, tz);
            am_time_t le = am_rule_last_end(&r, tz);
            am_civil_t lc;

            /* The whole series by walking libical, where libical can walk
             * it (up to its last year); beyond, by the arithmetic. */
            assert_null(am_rule_expand_ex(sub, &r, tz, AM_TIME_MIN,
                                          AM_TIME_MAX, 100000, 1,
                                          AM_EXPAND_ARITH, &b));
            am_tz_to_local(tz, b->nelts ? ((am_occurrence_t *)b->elts)
                               [b->nelts - 1].end : r.start, &lc, NULL);
            if (lc.year < AM_RECUR_MAX_YEAR) {
                assert_null(am_rule_expand_ex(sub, &r, tz, AM_TIME_MIN,
                                              AM_TIME_MAX, 100000, 1,
                                              AM_EXPAND_WALK, &b));
            }
            am_occurrence_t at;

            if (cnt != b->nelts
                || le != (b->nelts ? ((am_occurrence_t *)b->elts)
                                     [b->nelts - 1].end : r.start)
                || am_rule_occurrence_at(&r, tz, cnt, &at) != 0
                || (cnt > 0 && (am_rule_occurrence_at(&r, tz, cnt - 1, &at)
                                != 1 || at.end != le))) {
                print_error("rule %d: %s: count %d last_end %s, walk %d\n",
                            i, am_rule_format(sub, &r, tz), cnt,
                            fmt(le, tz), b->nelts);
                fail();
            }
        }
        apr_pool_destroy(sub);
    }
}

/* Every date .NET allows (0001-01-01 .. 9999-12-31): random rules whose
 * series start anywhere in it (often before year 100 and after libical's
 * last year), expanded by the server's path in random windows, must give
 * what the arithmetic path gives; count, last end and occurrence_at
 * agree with it; and what am_rule_check accepts am_rule_parse reads back
 * (what it refuses, am_rule_parse refuses too).  RECUR_FUZZ=n runs n
 * rules. */
static void test_random_all_dates(void **state)
{
    static const int days[] = { 1, 2, 8, 32, 64, 62, 65, 127, 2 | 8 | 32,
                                1 | 2, 16 | 64, 0 };
    const char *env = getenv("RECUR_FUZZ");
    int n = env ? atoi(env) : 3000, i, checked = 0;

    (void)state;
    for (i = 0; i < n; i++) {
        apr_pool_t *sub;
        am_rule_t r, *back = NULL;
        const am_tz_t *tz = rnd(3) ? ams : (rnd(2) ? nyc : utc);
        int era = rnd(5);
        am_civil_t c = { era == 0 ? 1 + rnd(99)
                         : era == 1 ? 100 + rnd(1900)
                         : era == 2 ? 2000 + rnd(600)
                         : era == 3 ? 2583 + rnd(7417)
                         : (rnd(2) ? 1 + rnd(3) : 9997 + rnd(3)),
                         1 + rnd(12), 1, rnd(24), rnd(4) * 15, 0,
                         rnd(2) * 1234567 };
        apr_array_header_t *a, *ar;
        am_time_t from, until;
        am_err_t *e1 = NULL, *e2;
        char *text;
        int overlap = rnd(2), ok;

        c.day = 1 + rnd(am_days_in_month(c.year, c.month));
        apr_pool_create(&sub, pool);
        memset(&r, 0, sizeof(r));
        r.type = rnd(4);
        r.periodicity = rnd(4) ? 1 + rnd(4) : 1 + rnd(30);
        r.weekdays = days[rnd(sizeof(days) / sizeof(days[0]))];
        /* Out of range now and then: check and parse must agree on
         * those too (also where the shape does not use the value). */
        r.day_number = rnd(10) ? 1 + rnd(31) : (rnd(2) ? 0 : 32 + rnd(5));
        r.week_of_month = r.type >= M && rnd(2) ? 1 + rnd(5) : 0;
        r.month = rnd(10) ? 1 + rnd(12) : (rnd(2) ? 0 : 13);
        r.range = rnd(3);
        r.count = 1 + rnd(80);
        r.start = am_tz_from_local(tz, &c);
        r.end = r.start + (apr_int64_t)rnd(3 * 366) * AM_TICKS_PER_DAY;
        if (r.end > AM_TIME_MAX) {
            r.end = AM_TIME_MAX;
        }
        r.duration = (apr_int64_t)rnd(40 * 60) * AM_TICKS_PER_MIN;

        /* What check (without a zone: the stored form has none) accepts,
         * parse reads back unchanged; what it refuses, parse refuses. */
        ok = am_rule_check(sub, &r, NULL, NULL, &e1) == 0;
        text = am_rule_format(sub, &r, tz);
        e2 = am_rule_parse(sub, text, &back);
        if (ok != (e2 == NULL)
            || (ok && memcmp(&r, back, sizeof(r)))) {
            print_error("rule %d: %s: check %s, parse %s\n", i, text,
                        ok ? "accepts" : err_text(e1),
                        e2 ? e2->message : "accepts");
            fail();
        }
        e1 = NULL;
        if (!ok || am_rule_check(sub, &r, tz, NULL, &e1) != 0) {
            apr_pool_destroy(sub);
            continue;
        }
        checked++;
        from = r.start + (rnd(4) ? (apr_int64_t)rnd(12 * 366) - 366
                                 : (apr_int64_t)rnd(40 * 366))
                         * AM_TICKS_PER_DAY
               + (apr_int64_t)rnd(1440) * AM_TICKS_PER_MIN;
        until = from + (apr_int64_t)(1 + rnd(400)) * AM_TICKS_PER_DAY;
        if (from < AM_TIME_MIN) {
            from = AM_TIME_MIN;
        }
        if (until > AM_TIME_MAX) {
            until = AM_TIME_MAX;
        }
        e1 = am_rule_expand(sub, &r, tz, from, until, 100000, overlap, &a);
        e2 = am_rule_expand_ex(sub, &r, tz, from, until, 100000, overlap,
                               AM_EXPAND_ARITH, &ar);
        if (e1 || e2 || a->nelts != ar->nelts
            || memcmp(a->elts, ar->elts,
                      a->nelts * sizeof(am_occurrence_t))) {
            print_error("rule %d: %s differs from the arithmetic path (%d vs"
                        " %d) in %s .. %s%s%s\n", i, text, e1 ? -1 : a->nelts,
                        e2 ? -1 : ar->nelts, fmt(from, tz), fmt(until, tz),
                        e1 ? ": " : "", e1 ? e1->message : "");
            fail();
        }
        if (r.range != NOEND) {
            int cnt = am_rule_count(&r, tz);
            am_time_t le = am_rule_last_end(&r, tz);
            am_occurrence_t at;

            assert_null(am_rule_expand_ex(sub, &r, tz, AM_TIME_MIN,
                                          AM_TIME_MAX, 100000, 1,
                                          AM_EXPAND_ARITH, &ar));
            if (cnt != ar->nelts
                || le != (ar->nelts ? ((am_occurrence_t *)ar->elts)
                                      [ar->nelts - 1].end : r.start)
                || am_rule_occurrence_at(&r, tz, cnt, &at) != 0
                || (cnt > 0 && (am_rule_occurrence_at(&r, tz, cnt - 1, &at)
                                != 1 || at.end != le))) {
                print_error("rule %d: %s: count %d last_end %s, arithmetic"
                            " %d\n", i, text, cnt, fmt(le, tz), ar->nelts);
                fail();
            }
            /* The first occurrence is the arithmetic one, also where the
             * seek path used to lose it. */
            if (ar->nelts && (am_rule_occurrence_at(&r, tz, 0, &at) != 1
                              || at.start != ((am_occurrence_t *)ar->elts)
                                             [0].start)) {
                print_error("rule %d: %s: first occurrence differs\n", i,
                            text);
                fail();
            }
        }
        apr_pool_destroy(sub);
    }
    assert_true(checked > n / 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_wall_clock_duration),
        cmocka_unit_test(test_from_obj_wall_duration),
        cmocka_unit_test(test_obj_roundtrip),
        cmocka_unit_test(test_obj_defaults),
        cmocka_unit_test(test_obj_week_of_month),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_validation_dates),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rrule),
        cmocka_unit_test(test_parse_garbage),
        cmocka_unit_test(test_last_end),
        cmocka_unit_test(test_occurrence_at),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_horizon),
        cmocka_unit_test(test_unchecked_rule),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_merge_pure),
        cmocka_unit_test(test_friendly),
        cmocka_unit_test(test_random_vs_walk),
        cmocka_unit_test(test_random_all_dates),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

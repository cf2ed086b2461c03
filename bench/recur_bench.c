/* Licensed under the Apache License, Version 2.0.
 *
 * recur_bench.c: cost of recurrence expansion (src/recur.c).
 *
 *   1. ns per occurrence for each rule shape, expanding ten years at a
 *      time (Europe/Amsterdam, so every occurrence goes through the zone),
 *      with libical (the default) and with AM_EXPAND_ARITH.
 *   2. A one-month range of a series that began 20 years earlier: the
 *      seeking expansion against a walk from the series start
 *      (AM_EXPAND_WALK), and against the same range of a series that
 *      began at the range (cost should not depend on the series' age).
 *   3. Direct lookups: the span (am_rule_last_end) of a 100000-occurrence
 *      series and occurrence 50000 (am_rule_occurrence_at).
 *
 * Build and run from the top of the tree with the one command given in
 * docs/recurrence.md (it compiles this file with every src *.c file, -O2,
 * and the APR, APR-util, json-c, libxml2 and libical flags).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "datetime.h"
#include "recur.h"

static const am_tz_t *tz;

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static am_time_t at(const char *s)
{
    am_time_t t = 0;

    if (am_time_parse_iso(s, tz, &t) != 0) {
        fprintf(stderr, "bad time %s\n", s);
        exit(1);
    }
    return t;
}

static am_rule_t rule(int type, int periodicity, int weekdays, int day,
                      int wom, int month, const char *start)
{
    am_rule_t r;

    memset(&r, 0, sizeof(r));
    r.type = type;
    r.periodicity = periodicity;
    r.weekdays = weekdays;
    r.day_number = day;
    r.week_of_month = wom;
    r.month = month;
    r.range = AM_RANGE_NO_END;
    r.count = 1;
    r.start = at(start);
    r.end = r.start;
    r.duration = 60 * AM_TICKS_PER_MIN;
    return r;
}

/* Average ns per call of expanding [from, until), and the occurrences
 * per call. */
static double per_call(apr_pool_t *p, const am_rule_t *r, am_time_t from,
                       am_time_t until, unsigned flags, int *n)
{
    apr_pool_t *sub;
    apr_array_header_t *o;
    double t0, t;
    int calls = 0;

    apr_pool_create(&sub, p);
    t0 = now_ns();
    do {
        if (am_rule_expand_ex(sub, r, tz, from, until, 1000000, 1, flags,
                              &o)) {
            fprintf(stderr, "expansion failed\n");
            exit(1);
        }
        *n = o->nelts;
        apr_pool_clear(sub);
        calls++;
        t = now_ns() - t0;
    } while (t < 3e8 || calls < 3);
    apr_pool_destroy(sub);
    return t / calls;
}

int main(void)
{
    static const struct {
        const char *name;
        int type, periodicity, weekdays, day, wom, month;
    } shapes[] = {
        { "daily", AM_RECUR_DAILY, 1, 0, 1, 0, 1 },
        { "every working day", AM_RECUR_DAILY, 1, AM_WD_WORKDAYS, 1, 0, 1 },
        { "weekly Mon+Wed+Fri", AM_RECUR_WEEKLY, 1, 2 | 8 | 32, 1, 0, 1 },
        { "every 2 weeks Sunday", AM_RECUR_WEEKLY, 2, 1, 1, 0, 1 },
        { "monthly day 15", AM_RECUR_MONTHLY, 1, 0, 15, 0, 1 },
        { "monthly day 31 (BYSETPOS)", AM_RECUR_MONTHLY, 1, 0, 31, 0, 1 },
        { "monthly last Friday", AM_RECUR_MONTHLY, 1, 32, 1, 5, 1 },
        { "monthly 2nd working day", AM_RECUR_MONTHLY, 1, 62, 1, 2, 1 },
        { "yearly Feb 29 (BYSETPOS)", AM_RECUR_YEARLY, 1, 0, 29, 0, 2 },
    };
    apr_pool_t *p;
    am_rule_t r, young;
    am_occurrence_t occ;
    double seek, walk, fresh, t0;
    int i, n, nw, nf, reps;

    if (apr_initialize() != APR_SUCCESS
        || apr_pool_create(&p, NULL) != APR_SUCCESS
        || !(tz = am_tz_get("Europe/Amsterdam"))) {
        fprintf(stderr, "set-up failed\n");
        return 1;
    }

    printf("1. Expansion cost per occurrence (Europe/Amsterdam, ranges "
           "of 10 years, series from 2000)\n");
    printf("   %-28s %12s %12s %10s\n", "shape", "libical", "arith",
           "occ/call");
    for (i = 0; i < (int)(sizeof(shapes) / sizeof(shapes[0])); i++) {
        double ns, ns2;

        r = rule(shapes[i].type, shapes[i].periodicity, shapes[i].weekdays,
                 shapes[i].day, shapes[i].wom, shapes[i].month,
                 "2000-02-29T09:00");
        ns = per_call(p, &r, at("2026-01-01T00:00"), at("2036-01-01T00:00"),
                      0, &n);
        ns2 = per_call(p, &r, at("2026-01-01T00:00"),
                       at("2036-01-01T00:00"), AM_EXPAND_ARITH, &nw);
        printf("   %-28s %9.0f ns %9.0f ns %10d\n", shapes[i].name, ns / n,
               ns2 / nw, n);
    }

    printf("\n2. One month (2026-03) of a weekly Mon+Wed series\n");
    r = rule(AM_RECUR_WEEKLY, 1, 2 | 8, 1, 0, 1, "2006-01-02T09:00");
    young = rule(AM_RECUR_WEEKLY, 1, 2 | 8, 1, 0, 1, "2026-03-02T09:00");
    seek = per_call(p, &r, at("2026-03-01T00:00"), at("2026-04-01T00:00"),
                    0, &n);
    walk = per_call(p, &r, at("2026-03-01T00:00"), at("2026-04-01T00:00"),
                    AM_EXPAND_WALK, &nw);
    fresh = per_call(p, &young, at("2026-03-01T00:00"),
                     at("2026-04-01T00:00"), 0, &nf);
    printf("   begun 2006, seek        %10.0f ns/call (%d occurrences)\n",
           seek, n);
    printf("   begun 2006, walk        %10.0f ns/call (%d occurrences)\n",
           walk, nw);
    printf("   begun 2026-03, seek     %10.0f ns/call (%d occurrences)\n",
           fresh, nf);
    printf("   seek-vs-walk ratio      %10.1fx faster\n", walk / seek);
    fresh = per_call(p, &r, at("2026-03-01T00:00"), at("2026-04-01T00:00"),
                     AM_EXPAND_ARITH, &nf);
    printf("   begun 2006, arith       %10.0f ns/call (%d occurrences)\n",
           fresh, nf);
    fresh = per_call(p, &young, at("2026-03-01T00:00"),
                     at("2026-04-01T00:00"), 0, &nf);
    printf("   age cost (2006 / 2026)  %10.2f\n", seek / fresh);

    r = rule(AM_RECUR_MONTHLY, 1, 0, 31, 0, 1, "2006-01-31T09:00");
    seek = per_call(p, &r, at("2026-03-01T00:00"), at("2026-04-01T00:00"),
                    0, &n);
    walk = per_call(p, &r, at("2026-03-01T00:00"), at("2026-04-01T00:00"),
                    AM_EXPAND_WALK, &nw);
    printf("   monthly day 31 since 2006: seek %.0f ns, walk %.0f ns, "
           "%.1fx\n", seek, walk, walk / seek);

    printf("\n3. Direct lookups, daily series of 100000 occurrences\n");
    r = rule(AM_RECUR_DAILY, 1, 0, 1, 0, 1, "2000-01-01T09:00");
    r.range = AM_RANGE_COUNT;
    r.count = 100000;
    reps = 20000;
    t0 = now_ns();
    for (i = 0; i < reps; i++) {
        (void)am_rule_last_end(&r, tz);
    }
    printf("   am_rule_last_end        %10.0f ns/call\n",
           (now_ns() - t0) / reps);
    t0 = now_ns();
    for (i = 0; i < reps; i++) {
        (void)am_rule_occurrence_at(&r, tz, 50000, &occ);
    }
    printf("   am_rule_occurrence_at   %10.0f ns/call\n",
           (now_ns() - t0) / reps);
    seek = per_call(p, &r, at("2200-01-01T00:00"), at("2200-02-01T00:00"),
                    0, &n);
    walk = per_call(p, &r, at("2200-01-01T00:00"), at("2200-02-01T00:00"),
                    AM_EXPAND_WALK, &nw);
    printf("   one month in 2200: seek %.0f ns, walk %.0f ns, %.0fx "
           "(COUNT rules seek too)\n", seek, walk, walk / seek);

    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}

/* Licensed under the Apache License, Version 2.0.
 *
 * recur.c: the canonical recurrence rule (recur.h): PlanCare2
 * RecurrenceInfo mapping and validation, the stored text form, expansion
 * with libical's RRULE iterator, the merge with stored exceptions, and
 * the friendly text.
 *
 * How expansion works.  The rule is mapped to an RRULE without COUNT or
 * UNTIL (the pattern only) and iterated by libical with a floating
 * (zone-less) DTSTART: the series start on the wall clock of the
 * configured zone.  Each local occurrence becomes an instant with
 * am_tz_from_local(), so the wall-clock time stays put across DST.
 *
 * The iterator never walks from the series start to the requested range:
 * icalrecur_iterator_set_start() seeks (it refuses rules with COUNT,
 * which is why COUNT is never given to libical), and the OccurrenceIndex
 * of the first occurrence after the seek is computed arithmetically.
 * Every shape has a fixed number of occurrences per period:
 *
 *   daily      one per n days           index = days / n
 *   weekly     popcount(WeekDays) per   index = weeks / n * pop
 *              n weeks (working days:     + days-of-the-set before the
 *              5 per week)                occurrence's weekday
 *                                         - those before the start's
 *   monthly    one per n months         index = months / n - skip0
 *   yearly     one per n years          index = years / n - skip0
 *
 * (day 31 never skips a month and Last always exists, so monthly and
 * yearly really have one per period; skip0 is 1 when the start's own
 * period has its occurrence before the start.)  The count and end-date
 * ends are applied by index and by local day, outside libical.  The
 * reverse (the date of occurrence k) gives the last occurrence of a COUNT
 * series without walking.  The tests check all of this against a plain
 * walk from the start (AM_EXPAND_WALK).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "recur.h"

/* Longest occurrence accepted: a year and a day. */
#define MAX_DURATION  (366LL * AM_TICKS_PER_DAY)

/* ------------------------------------------------------------------ */
/* Calendar helpers (day numbers: days since 1970-01-01, a Thursday).  */

static apr_int64_t floor_div(apr_int64_t a, apr_int64_t b)
{
    apr_int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static apr_int64_t day_of(int y, int m, int d)
{
    am_civil_t c = { y, m, d, 0, 0, 0, 0 };

    return floor_div(am_civil_to_time(&c, 0), AM_TICKS_PER_DAY);
}

static void civil_of_day(apr_int64_t day, am_civil_t *c)
{
    am_time_to_civil(day * AM_TICKS_PER_DAY, 0, c);
}

/* A wall-clock time as ticks on a zone-less time line. */
static apr_int64_t local_ticks(const am_civil_t *c)
{
    return am_civil_to_time(c, 0);
}

/* Position in the Monday-based week: 0 = Monday .. 6 = Sunday. */
static int wpos(apr_int64_t day)
{
    return (int)(((day + 3) % 7 + 7) % 7);
}

/* Number of the Monday-based week of a day. */
static apr_int64_t wnum(apr_int64_t day)
{
    return floor_div(day + 3, 7);
}

/* The WeekDays flag of a Monday-based position. */
static int wd_flag(int pos)
{
    return 1 << ((pos + 1) % 7);
}

static int popcount7(int mask)
{
    int i, n = 0;

    for (i = 0; i < 7; i++) {
        n += (mask >> i) & 1;
    }
    return n;
}

/* Shortest and longest length of a month over all years. */
static int month_min_len(int m)
{
    return m == 2 ? 28 : am_days_in_month(2001, m);
}

static int month_max_len(int m)
{
    return m == 2 ? 29 : am_days_in_month(2001, m);
}

/* ------------------------------------------------------------------ */
/* The expansion context.                                               */

enum { SH_DAILY, SH_WEEKLY, SH_MONTHLY, SH_YEARLY };

typedef struct rctx {
    const am_rule_t *r;
    const am_tz_t *tz;
    am_civil_t s;           /* the series start on the wall clock */
    am_civil_t d0;          /* DTSTART given to libical (see ctx_init) */
    apr_int64_t sday;       /* its day number */
    int shape;              /* SH_* (working days are SH_WEEKLY) */
    int n;                  /* periods between active periods */
    int mask;               /* SH_WEEKLY: WeekDays flags */
    int pop;                /* SH_WEEKLY: days per active week */
    int cb[8];              /* SH_WEEKLY: cb[i] = days of mask at
                             * Monday-based positions < i */
    int skip0;              /* SH_MONTHLY/YEARLY: the start's period has
                             * its occurrence before the start */
    apr_int64_t end_day;    /* last day (inclusive) an occurrence may
                             * start on: end date, and the last day whose
                             * occurrence still ends by AM_TIME_MAX */
    apr_int64_t limit;      /* number of occurrences (COUNT), or max */
    int arith;              /* the series starts before the Gregorian
                             * calendar (see AM_RECUR_LIBICAL_FIRST_YEAR):
                             * dates from kth_day() only */
    char rrule[160];        /* the pattern RRULE given to libical */
} rctx_t;

/* The day (1..31) of month m of year y on which a monthly or yearly rule
 * falls. */
static int month_occ_day(const am_rule_t *r, int y, int m)
{
    int dim = am_days_in_month(y, m), d, k = 0, last = 0;

    if (r->week_of_month == AM_WOM_NONE) {
        return r->day_number < dim ? r->day_number : dim;
    }
    for (d = 1; d <= dim; d++) {
        if (r->weekdays & (1 << am_weekday(y, m, d))) {
            last = d;
            if (r->week_of_month < AM_WOM_LAST
                && ++k == r->week_of_month) {
                return d;
            }
        }
    }
    return last;
}

/* BYDAY list of the flags in mask, Monday first: "MO,WE". */
static void put_days(char *buf, size_t len, int mask)
{
    static const char *const ical_day[7] = {
        "MO", "TU", "WE", "TH", "FR", "SA", "SU"
    };
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < 7; i++) {
        if ((mask & wd_flag(i)) && used + 4 < len) {
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     used ? "," : "", ical_day[i]);
        }
    }
}

/* The RRULE of the pattern alone (no COUNT, no UNTIL).  internal: the
 * form given to libical, where a weekly rule on a single weekday has no
 * BYDAY (its DTSTART is then that weekday, see ctx_init). */
static void rrule_pattern(const am_rule_t *r, int internal, char *buf,
                          size_t len)
{
    char days[32], part[80];
    int n = r->periodicity, k, d, m, lo, i;
    size_t used;

    put_days(days, sizeof(days), r->weekdays);
    switch (r->type) {
    case AM_RECUR_DAILY:
        if (r->weekdays == AM_WD_WORKDAYS) {
            snprintf(buf, len,
                     "FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=MO,TU,WE,TH,FR");
        }
        else {
            snprintf(buf, len, "FREQ=DAILY;INTERVAL=%d", n);
        }
        return;
    case AM_RECUR_WEEKLY:
        if (internal && popcount7(r->weekdays & AM_WD_EVERYDAY) == 1) {
            snprintf(buf, len, "FREQ=WEEKLY;INTERVAL=%d", n);
        }
        else {
            snprintf(buf, len, "FREQ=WEEKLY;INTERVAL=%d;WKST=MO;BYDAY=%s",
                     n, days);
        }
        return;
    default:
        break;
    }

    if (r->type == AM_RECUR_MONTHLY) {
        used = (size_t)snprintf(buf, len, "FREQ=MONTHLY;INTERVAL=%d", n);
        m = 0;
    }
    else {
        used = (size_t)snprintf(buf, len, "FREQ=YEARLY;INTERVAL=%d;BYMONTH=%d",
                                n, r->month);
        m = r->month;
    }
    if (used >= len) {
        return;
    }
    if (r->week_of_month != AM_WOM_NONE) {
        k = r->week_of_month == AM_WOM_LAST ? -1 : r->week_of_month;
        if (popcount7(r->weekdays) == 1) {
            snprintf(part, sizeof(part), ";BYDAY=%d%s", k, days);
        }
        else {
            snprintf(part, sizeof(part), ";BYDAY=%s;BYSETPOS=%d", days, k);
        }
    }
    else {
        /* A day that some months lack falls on the month's last day:
         * the last existing one of lo..d. */
        d = r->day_number;
        lo = m ? month_min_len(m) : 28;
        if (m && d > month_max_len(m)) {
            d = month_max_len(m);
        }
        if (d <= lo) {
            snprintf(part, sizeof(part), ";BYMONTHDAY=%d", d);
        }
        else {
            size_t pu = (size_t)snprintf(part, sizeof(part),
                                         ";BYMONTHDAY=%d", lo);

            for (i = lo + 1; i <= d; i++) {
                pu += (size_t)snprintf(part + pu, sizeof(part) - pu, ",%d",
                                       i);
            }
            snprintf(part + pu, sizeof(part) - pu, ";BYSETPOS=-1");
        }
    }
    snprintf(buf + used, len - used, "%s", part);
}

static apr_int64_t kth_day(const rctx_t *c, apr_int64_t k);

/* The zone-free part of am_rule_check, without messages: the expansion
 * functions refuse a rule that fails it (a caller that skipped
 * am_rule_check) instead of computing nonsense. */
static int rule_ok(const am_rule_t *r)
{
    int dated = r->type == AM_RECUR_MONTHLY || r->type == AM_RECUR_YEARLY;

    return r->type >= AM_RECUR_DAILY && r->type <= AM_RECUR_YEARLY
        && r->periodicity >= 1 && r->periodicity <= AM_RECUR_MAX_PERIODICITY
        && r->weekdays >= 0 && r->weekdays <= AM_WD_EVERYDAY
        && r->week_of_month >= AM_WOM_NONE && r->week_of_month <= AM_WOM_LAST
        && r->range >= AM_RANGE_NO_END && r->range <= AM_RANGE_END_BY_DATE
        && (r->weekdays != 0 || !(r->type == AM_RECUR_WEEKLY
                                  || (dated && r->week_of_month)))
        && (!dated || r->week_of_month
            || (r->day_number >= 1 && r->day_number <= 31))
        && (r->type != AM_RECUR_YEARLY || (r->month >= 1 && r->month <= 12))
        && (r->range != AM_RANGE_COUNT
            || (r->count >= 1 && r->count <= AM_RECUR_MAX_COUNT))
        && r->duration >= 0 && r->duration <= MAX_DURATION
        && r->start >= AM_TIME_MIN && r->start <= AM_TIME_MAX
        && r->end >= AM_TIME_MIN && r->end <= AM_TIME_MAX;
}

static void ctx_init(rctx_t *c, const am_rule_t *r, const am_tz_t *tz)
{
    am_civil_t e;
    apr_int64_t horizon;
    int i;

    memset(c, 0, sizeof(*c));
    c->r = r;
    c->tz = tz;
    am_tz_to_local(tz, r->start, &c->s, NULL);
    c->sday = day_of(c->s.year, c->s.month, c->s.day);
    c->n = r->periodicity >= 1 ? r->periodicity : 1;

    switch (r->type) {
    case AM_RECUR_DAILY:
        if (r->weekdays == AM_WD_WORKDAYS) {
            c->shape = SH_WEEKLY;
            c->mask = AM_WD_WORKDAYS;
            c->n = 1;
        }
        else {
            c->shape = SH_DAILY;
        }
        break;
    case AM_RECUR_WEEKLY:
        c->shape = SH_WEEKLY;
        c->mask = r->weekdays & AM_WD_EVERYDAY;
        break;
    case AM_RECUR_MONTHLY:
        c->shape = SH_MONTHLY;
        c->skip0 = month_occ_day(r, c->s.year, c->s.month) < c->s.day;
        break;
    default:
        c->shape = SH_YEARLY;
        c->skip0 = r->month < c->s.month
                   || (r->month == c->s.month
                       && month_occ_day(r, c->s.year, r->month) < c->s.day);
        break;
    }
    c->d0 = c->s;
    if (c->shape == SH_WEEKLY) {
        c->pop = popcount7(c->mask);
        for (i = 0; i < 7; i++) {
            c->cb[i + 1] = c->cb[i] + ((c->mask & wd_flag(i)) ? 1 : 0);
        }
        /* libical 3.0.16 gets the week phase of FREQ=WEEKLY;BYDAY=SU;
         * WKST=MO;INTERVAL>1 wrong when DTSTART is not a Sunday (it counts
         * Sunday-based weeks).  Starting libical at the first occurrence
         * (and, for a single weekday, without BYDAY) avoids every
         * DTSTART-not-in-the-set path. */
        if (c->pop > 0) {
            civil_of_day(kth_day(c, 0), &c->d0);
            c->d0.hour = c->s.hour;
            c->d0.min = c->s.min;
            c->d0.sec = c->s.sec;
            c->d0.frac = c->s.frac;
        }
    }

    /* The last day an occurrence may start on and still end by the last
     * instant .NET has (9999-12-31T23:59:59.9999999 UTC), a day of margin
     * for the zone's offset. */
    am_tz_to_local(tz, AM_TIME_MAX - (r->duration > 0 ? r->duration : 0),
                   &e, NULL);
    horizon = day_of(e.year, e.month, e.day) - 1;
    c->arith = c->s.year < AM_RECUR_LIBICAL_FIRST_YEAR;
    c->end_day = horizon;
    if (r->range == AM_RANGE_END_BY_DATE) {
        apr_int64_t ed;

        am_tz_to_local(tz, r->end, &e, NULL);
        ed = day_of(e.year, e.month, e.day);
        if (ed < c->end_day) {
            c->end_day = ed;
        }
    }
    c->limit = r->range == AM_RANGE_COUNT ? r->count : APR_INT64_MAX;
    rrule_pattern(r, 1, c->rrule, sizeof(c->rrule));
}

/* The OccurrenceIndex of the occurrence on day `day' (y-m-...), which the
 * pattern matches. */
static apr_int64_t index_of(const rctx_t *c, apr_int64_t day, int y, int m)
{
    apr_int64_t k;

    switch (c->shape) {
    case SH_DAILY:
        return (day - c->sday) / c->n;
    case SH_WEEKLY:
        k = (wnum(day) - wnum(c->sday)) / c->n;
        return k * c->pop + c->cb[wpos(day)] - c->cb[wpos(c->sday)];
    case SH_MONTHLY:
        k = ((apr_int64_t)(y - c->s.year) * 12 + (m - c->s.month)) / c->n;
        return k - c->skip0;
    default:
        return (y - c->s.year) / c->n - c->skip0;
    }
}

/* The day number of occurrence k (>= 0), or APR_INT64_MAX when it would
 * fall after year AM_RECUR_LAST_YEAR. */
static apr_int64_t kth_day(const rctx_t *c, apr_int64_t k)
{
    apr_int64_t j, w, tm, y;
    int r, i;

    switch (c->shape) {
    case SH_DAILY:
        return c->sday + k * c->n;
    case SH_WEEKLY:
        if (c->pop == 0) {
            return APR_INT64_MAX;
        }
        j = k + c->cb[wpos(c->sday)];
        w = wnum(c->sday) + (j / c->pop) * c->n;
        r = (int)(j % c->pop);
        for (i = 0; i < 7; i++) {
            if ((c->mask & wd_flag(i)) && r-- == 0) {
                break;
            }
        }
        return w * 7 - 3 + i;
    case SH_MONTHLY:
        tm = (apr_int64_t)c->s.year * 12 + (c->s.month - 1)
             + (k + c->skip0) * c->n;
        y = tm / 12;
        if (y > AM_RECUR_LAST_YEAR) {
            return APR_INT64_MAX;
        }
        return day_of((int)y, (int)(tm % 12) + 1,
                      month_occ_day(c->r, (int)y, (int)(tm % 12) + 1));
    default:
        y = c->s.year + (k + c->skip0) * c->n;
        if (y > AM_RECUR_LAST_YEAR) {
            return APR_INT64_MAX;
        }
        return day_of((int)y, c->r->month,
                      month_occ_day(c->r, (int)y, c->r->month));
    }
}

/* The start and end instants of the occurrence at wall time loc: the end
 * is the wall time start + duration; when that is not after the start
 * (the start's wall time fell in a DST gap and moved forward past it),
 * the duration is added to the start instead. */
static void occ_times(const rctx_t *c, const am_civil_t *loc,
                      am_time_t *start, am_time_t *end)
{
    am_civil_t e;

    *start = am_tz_from_local(c->tz, loc);
    am_time_to_civil(local_ticks(loc) + c->r->duration, 0, &e);
    *end = am_tz_from_local(c->tz, &e);
    if (*end <= *start) {
        *end = *start + c->r->duration;
    }
}

/* ------------------------------------------------------------------ */
/* The libical iterator, with indexes and the ends of the series.      */

typedef struct iter {
    icalrecur_iterator *it;
    const rctx_t *c;
    apr_int64_t next;       /* index of the next occurrence, -1 unknown */
    int arith;              /* AM_EXPAND_ARITH: dates from kth_day() */
} iter_t;

static struct icaltimetype ical_of(const am_civil_t *t)
{
    struct icaltimetype it = icaltime_null_time();

    it.year = t->year;
    it.month = t->month;
    it.day = t->day;
    it.hour = t->hour;
    it.minute = t->min;
    it.second = t->sec;
    it.is_date = 0;
    return it;
}

/* AM_EXPAND_ARITH: the first index whose day is on or after `day'
 * (kth_day() increases with k). */
static apr_int64_t first_index_from(const rctx_t *c, apr_int64_t day)
{
    apr_int64_t lo = 0, hi = c->limit < (1 << 23) ? c->limit : (1 << 23);

    while (lo < hi) {
        apr_int64_t mid = lo + (hi - lo) / 2;

        if (kth_day(c, mid) < day) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

/* Opens an iterator at the series start, or at the wall time `seek' when
 * that is later.  Returns 0 (the iterator may be exhausted already) or
 * -1 when libical refused the rule. */
static int iter_open(iter_t *i, const rctx_t *c, const am_civil_t *seek,
                     int arith)
{
    struct icalrecurrencetype rt;

    i->c = c;
    i->it = NULL;
    i->next = 0;
    i->arith = 0;
    /* libical where it is right: Gregorian dates (ICU's calendar is
     * Julian before 1582-10-15, .NET's proleptic Gregorian) up to the end
     * of its last year; the arithmetic everywhere else. */
    if (c->arith || c->d0.year > AM_RECUR_MAX_YEAR
        || (seek && seek->year > AM_RECUR_MAX_YEAR)) {
        arith = 1;
    }
    if (arith && (c->shape != SH_WEEKLY || c->pop > 0)) {
        i->arith = 1;
        if (seek && local_ticks(seek) > local_ticks(&c->d0)) {
            i->next = first_index_from(c, day_of(seek->year, seek->month,
                                                 seek->day));
        }
        return 0;
    }
    if (c->d0.year > AM_RECUR_MAX_YEAR) {
        return 0;
    }
    rt = icalrecurrencetype_from_string(c->rrule);
    if (rt.freq == ICAL_NO_RECURRENCE) {
        return -1;
    }
    i->it = icalrecur_iterator_new(rt, ical_of(&c->d0));
    if (!i->it) {
        return -1;
    }
    if (seek && local_ticks(seek) > local_ticks(&c->d0)) {
        if (seek->year > AM_RECUR_MAX_YEAR
            || !icalrecur_iterator_set_start(i->it, ical_of(seek))) {
            icalrecur_iterator_free(i->it);
            i->it = NULL;
            return 0;
        }
        i->next = -1;
    }
    return 0;
}

static void iter_close(iter_t *i)
{
    if (i->it) {
        icalrecur_iterator_free(i->it);
        i->it = NULL;
    }
    i->arith = 0;
}

/* The next occurrence: its wall time and index.  0 at the end. */
static int iter_next(iter_t *i, am_civil_t *loc, apr_int64_t *index)
{
    const rctx_t *c = i->c;
    struct icaltimetype t;
    apr_int64_t day, idx;

    if (i->arith) {
        if (i->next >= c->limit
            || (day = kth_day(c, i->next)) > c->end_day) {
            iter_close(i);
            return 0;
        }
        civil_of_day(day, loc);
        loc->hour = c->s.hour;
        loc->min = c->s.min;
        loc->sec = c->s.sec;
        loc->frac = c->s.frac;
        *index = i->next++;
        return 1;
    }
    while (i->it) {
        t = icalrecur_iterator_next(i->it);
        if (icaltime_is_null_time(t)) {
            break;
        }
        day = day_of(t.year, t.month, t.day);
        if (day > c->end_day) {
            break;
        }
        idx = i->next >= 0 ? i->next : index_of(c, day, t.year, t.month);
        if (idx < 0) {
            continue;       /* before the start: never seen, but safe */
        }
        if (idx >= c->limit) {
            break;
        }
        i->next = idx + 1;
        loc->year = t.year;
        loc->month = t.month;
        loc->day = t.day;
        loc->hour = t.hour;
        loc->min = t.minute;
        loc->sec = t.second;
        loc->frac = c->s.frac;
        *index = idx;
        return 1;
    }
    iter_close(i);
    return 0;
}

/* The last occurrence starting on or before day x (seeking close to it).
 * Returns 1 and sets *loc and *index, 0 when there is none, -1 when
 * libical refused the rule. */
static int last_on_or_before(const rctx_t *c, apr_int64_t x, am_civil_t *loc,
                             apr_int64_t *index)
{
    am_civil_t seek, cur;
    apr_int64_t back, idx;
    iter_t it;
    int found = 0;

    switch (c->shape) {
    case SH_DAILY:
        back = c->n;
        break;
    case SH_WEEKLY:
        back = 7LL * (c->n + 1);
        break;
    case SH_MONTHLY:
        back = 31LL * (c->n + 1);
        break;
    default:
        back = 366LL * (c->n + 1);
        break;
    }
    civil_of_day(x - back, &seek);
    if (iter_open(&it, c, x - back > c->sday ? &seek : NULL,
                  x > day_of(AM_RECUR_MAX_YEAR, 12, 31)) != 0) {
        return -1;
    }
    while (iter_next(&it, &cur, &idx)) {
        if (day_of(cur.year, cur.month, cur.day) > x) {
            break;
        }
        *loc = cur;
        *index = idx;
        found = 1;
    }
    iter_close(&it);
    return found;
}

/* The last occurrence of a bounded series (see last_on_or_before). */
static int last_occurrence(const rctx_t *c, am_civil_t *loc,
                           apr_int64_t *index)
{
    apr_int64_t x = c->end_day;

    if (c->r->range == AM_RANGE_COUNT) {
        apr_int64_t k = kth_day(c, c->limit - 1);

        if (k < x) {
            x = k;
        }
    }
    return last_on_or_before(c, x, loc, index);
}

am_time_t am_rule_last_end(const am_rule_t *rule, const am_tz_t *tz)
{
    rctx_t c;
    am_civil_t loc;
    apr_int64_t idx;
    am_time_t s, e;

    if (rule->range != AM_RANGE_COUNT && rule->range != AM_RANGE_END_BY_DATE) {
        return AM_TIME_MAX;
    }
    if (!rule_ok(rule)) {
        return rule->start;
    }
    ctx_init(&c, rule, tz);
    if (last_occurrence(&c, &loc, &idx) != 1) {
        return rule->start;
    }
    occ_times(&c, &loc, &s, &e);
    return e;
}

int am_rule_count(const am_rule_t *rule, const am_tz_t *tz)
{
    rctx_t c;
    am_civil_t loc;
    apr_int64_t idx;

    if (rule->range != AM_RANGE_COUNT && rule->range != AM_RANGE_END_BY_DATE) {
        return -1;
    }
    if (!rule_ok(rule)) {
        return 0;
    }
    ctx_init(&c, rule, tz);
    if (last_occurrence(&c, &loc, &idx) != 1) {
        return 0;
    }
    return idx + 1 > INT_MAX ? INT_MAX : (int)(idx + 1);
}

int am_rule_occurrence_at(const am_rule_t *rule, const am_tz_t *tz,
                          int index, am_occurrence_t *out)
{
    rctx_t c;
    am_civil_t loc;
    apr_int64_t x, idx;

    if (index < 0 || !rule_ok(rule)) {
        return 0;
    }
    ctx_init(&c, rule, tz);
    if (index >= c.limit) {
        return 0;
    }
    x = kth_day(&c, index);
    if (x > c.end_day || last_on_or_before(&c, x, &loc, &idx) != 1
        || idx != index) {
        return 0;
    }
    occ_times(&c, &loc, &out->start, &out->end);
    out->index = index;
    out->exc = NULL;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Expansion and merge.                                                */

static int in_range(am_time_t s, am_time_t e, am_time_t from,
                    am_time_t until, int by_overlap)
{
    if (s >= until) {
        return 0;
    }
    if (by_overlap) {
        return e > from || s >= from;
    }
    return s >= from;
}

am_err_t *am_rule_expand_ex(apr_pool_t *p, const am_rule_t *rule,
                            const am_tz_t *tz, am_time_t from,
                            am_time_t until, int max, int by_overlap,
                            unsigned flags, apr_array_header_t **out)
{
    apr_array_header_t *arr = apr_array_make(p, 16, sizeof(am_occurrence_t));
    rctx_t c;
    iter_t it;
    am_civil_t fc, seek, loc;
    const am_civil_t *sp = NULL;
    apr_int64_t idx, lt;
    am_time_t s, e;

    *out = arr;
    if (max <= 0) {
        max = AM_RECUR_DEFAULT_MAX;
    }
    if (until <= from) {
        return NULL;
    }
    if (!rule_ok(rule)) {
        return am_err_make(p, 500, "The recurrence rule is invalid.");
    }
    ctx_init(&c, rule, tz);

    if (!(flags & AM_EXPAND_WALK)) {
        /* Seek a day (more than any DST shift) before the earliest wall
         * time an occurrence still in the range can start at. */
        am_tz_to_local(tz, from, &fc, NULL);
        lt = local_ticks(&fc) - AM_TICKS_PER_DAY
             - (by_overlap ? rule->duration : 0);
        if (lt > local_ticks(&c.s)) {
            am_time_to_civil(lt, 0, &seek);
            sp = &seek;
        }
    }
    if (!(flags & AM_EXPAND_WALK)) {
        /* A range beyond libical's last year: the arithmetic (libical
         * would stop at its end). */
        am_tz_to_local(tz, until, &fc, NULL);
        if (fc.year > AM_RECUR_MAX_YEAR) {
            flags |= AM_EXPAND_ARITH;
        }
    }
    if (iter_open(&it, &c, sp, (flags & AM_EXPAND_ARITH) != 0) != 0) {
        return am_err_make(p, 500, "The recurrence rule %s could not be "
                           "expanded.", c.rrule);
    }
    while (iter_next(&it, &loc, &idx)) {
        am_occurrence_t *o;

        occ_times(&c, &loc, &s, &e);
        if (s >= until) {
            break;
        }
        if (!in_range(s, e, from, until, by_overlap)) {
            continue;
        }
        if (arr->nelts >= max) {
            iter_close(&it);
            return am_err_make(p, 400, "The requested range holds more than "
                               "%d occurrences (the limit set by "
                               "AppointmentsMaxOccurrences); request a "
                               "shorter range.", max);
        }
        o = apr_array_push(arr);
        o->index = (int)idx;
        o->start = s;
        o->end = e;
        o->exc = NULL;
    }
    iter_close(&it);
    return NULL;
}

am_err_t *am_rule_expand(apr_pool_t *p, const am_rule_t *rule,
                         const am_tz_t *tz, am_time_t from, am_time_t until,
                         int max, int by_overlap, apr_array_header_t **out)
{
    return am_rule_expand_ex(p, rule, tz, from, until, max, by_overlap, 0,
                             out);
}

static int exc_cmp(const void *a, const void *b)
{
    const am_exception_t *x = *(const am_exception_t *const *)a;
    const am_exception_t *y = *(const am_exception_t *const *)b;

    if (x->index != y->index) {
        return x->index < y->index ? -1 : 1;
    }
    /* Same index: keep array order, so that the later one wins. */
    return x < y ? -1 : (x > y);
}

static int occ_cmp(const void *a, const void *b)
{
    const am_occurrence_t *x = a, *y = b;

    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index);
}

/* Position of the exception with this index in the sorted,
 * de-duplicated list, or -1. */
static int exc_find(const am_exception_t **ex, int n, int index)
{
    int lo = 0, hi = n;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (ex[mid]->index < index) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo < n && ex[lo]->index == index ? lo : -1;
}

am_err_t *am_occ_merge(apr_pool_t *p, const apr_array_header_t *occ,
                       const apr_array_header_t *exceptions, int total,
                       am_time_t from, am_time_t until, int by_overlap,
                       apr_array_header_t **out)
{
    const am_exception_t **ex = NULL;
    unsigned char *used = NULL;
    apr_array_header_t *res;
    int nexc = 0, nocc = occ ? occ->nelts : 0, i, n;

    if (exceptions && exceptions->nelts > 0) {
        const am_exception_t *all = (const am_exception_t *)exceptions->elts;

        ex = apr_palloc(p, sizeof(*ex) * exceptions->nelts);
        for (i = 0; i < exceptions->nelts; i++) {
            if (all[i].index >= 0 && (total < 0 || all[i].index < total)) {
                ex[nexc++] = &all[i];
            }
        }
        qsort(ex, nexc, sizeof(*ex), exc_cmp);
        /* Keep the last of each index. */
        for (i = 0, n = 0; i < nexc; i++) {
            if (i + 1 < nexc && ex[i + 1]->index == ex[i]->index) {
                continue;
            }
            ex[n++] = ex[i];
        }
        nexc = n;
        used = apr_pcalloc(p, nexc > 0 ? nexc : 1);
    }

    res = apr_array_make(p, nocc + nexc + 1, sizeof(am_occurrence_t));
    for (i = 0; i < nocc; i++) {
        const am_occurrence_t *o = &((const am_occurrence_t *)occ->elts)[i];
        int k = exc_find(ex, nexc, o->index);
        am_occurrence_t *r;

        if (k < 0) {
            *(am_occurrence_t *)apr_array_push(res) = *o;
            continue;
        }
        used[k] = 1;        /* its original time was expanded */
        if (ex[k]->deleted || !in_range(ex[k]->start, ex[k]->end, from,
                                        until, by_overlap)) {
            continue;
        }
        r = apr_array_push(res);
        r->index = o->index;
        r->start = ex[k]->start;
        r->end = ex[k]->end;
        r->exc = ex[k];
    }
    /* Changed occurrences moved into the range from outside it. */
    for (i = 0; i < nexc; i++) {
        am_occurrence_t *r;

        if (used[i] || ex[i]->deleted
            || !in_range(ex[i]->start, ex[i]->end, from, until,
                         by_overlap)) {
            continue;
        }
        r = apr_array_push(res);
        r->index = ex[i]->index;
        r->start = ex[i]->start;
        r->end = ex[i]->end;
        r->exc = ex[i];
    }
    qsort(res->elts, res->nelts, sizeof(am_occurrence_t), occ_cmp);
    *out = res;
    return NULL;
}

am_err_t *am_rule_occurrences(apr_pool_t *p, const am_rule_t *rule,
                              const am_tz_t *tz, am_time_t from,
                              am_time_t until, int max, int by_overlap,
                              const apr_array_header_t *exceptions,
                              apr_array_header_t **out)
{
    apr_array_header_t *occ;
    am_err_t *e;

    e = am_rule_expand(p, rule, tz, from, until, max, by_overlap, &occ);
    if (e) {
        *out = occ;
        return e;
    }
    if (!exceptions || exceptions->nelts == 0) {
        *out = occ;
        return NULL;
    }
    return am_occ_merge(p, occ, exceptions, am_rule_count(rule, tz), from,
                        until, by_overlap, out);
}

/* ------------------------------------------------------------------ */
/* Validation and the PlanCare2 RecurrenceInfo mapping.                */

static const am_rule_keys_t pc2_names = {
    "Interval", "Periodicity", "WeekDays", "DayNumber", "WeekOfMonth",
    "Month", "Range", "OccurrenceCount", "RecurrenceEnd", "RecurrenceStart",
    "End"
};

#define KEY(keys, f)  ((keys) && (keys)->f ? (keys)->f : pc2_names.f)

static void bad(apr_pool_t *p, am_err_t **err, const char *key,
                const char *msg)
{
    if (!*err) {
        *err = am_err_make(p, 400, "The request is invalid.");
    }
    am_err_field(p, *err, key, "%s", msg);
}

/* The checks of am_rule_check; those that need the zone only when tz is
 * given.  Returns the number of problems. */
static int rule_check(apr_pool_t *p, const am_rule_t *r, const am_tz_t *tz,
                      const am_rule_keys_t *k, am_err_t **err)
{
    int nbad = 0, dated = r->type == AM_RECUR_MONTHLY
                          || r->type == AM_RECUR_YEARLY;

#define BAD(f, msg) do { bad(p, err, KEY(k, f), msg); nbad++; } while (0)
    if (r->type < AM_RECUR_DAILY || r->type > AM_RECUR_YEARLY) {
        BAD(type, "The Interval must be Daily, Weekly, Monthly or Yearly.");
    }
    if (r->periodicity < 1 || r->periodicity > AM_RECUR_MAX_PERIODICITY) {
        BAD(periodicity, apr_psprintf(p, "The field Periodicity must be "
                                      "between 1 and %d.",
                                      AM_RECUR_MAX_PERIODICITY));
    }
    if (r->range < AM_RANGE_NO_END || r->range > AM_RANGE_END_BY_DATE) {
        BAD(range, "The Range must be NoEndDate, OccurrenceCount or "
            "EndByDate.");
    }
    if (r->weekdays < 0 || r->weekdays > AM_WD_EVERYDAY) {
        BAD(weekdays, "The WeekDays must be a combination of Sunday .. "
            "Saturday.");
    }
    else if (r->weekdays == 0
             && (r->type == AM_RECUR_WEEKLY
                 || (dated && r->week_of_month != AM_WOM_NONE))) {
        BAD(weekdays, "The WeekDays must name at least one day for this "
            "recurrence.");
    }
    if (r->week_of_month < AM_WOM_NONE || r->week_of_month > AM_WOM_LAST) {
        BAD(week_of_month, "The WeekOfMonth must be None, First, Second, "
            "Third, Fourth or Last.");
    }
    else if (dated && r->week_of_month == AM_WOM_NONE
             && (r->day_number < 1 || r->day_number > 31)) {
        BAD(day_number, "The field DayNumber must be between 1 and 31.");
    }
    if (r->type == AM_RECUR_YEARLY && (r->month < 1 || r->month > 12)) {
        BAD(month, "The field Month must be between 1 and 12.");
    }
    if (r->range == AM_RANGE_COUNT
        && (r->count < 1 || r->count > AM_RECUR_MAX_COUNT)) {
        BAD(count, apr_psprintf(p, "The field OccurrenceCount must be "
                                "between 1 and %d when Range is "
                                "OccurrenceCount.", AM_RECUR_MAX_COUNT));
    }
    if (r->start < AM_TIME_MIN || r->start > AM_TIME_MAX) {
        BAD(start, "The RecurrenceStart is out of range.");
    }
    if (r->end < AM_TIME_MIN || r->end > AM_TIME_MAX) {
        BAD(end, "The RecurrenceEnd is out of range.");
    }
    if (r->duration < 0) {
        BAD(duration, "The End must not be before the Start.");
    }
    else if (r->duration > MAX_DURATION) {
        BAD(duration, "A recurring appointment must not last longer than "
            "366 days.");
    }
    if (tz && r->start >= AM_TIME_MIN && r->start <= AM_TIME_MAX) {
        am_civil_t s, e;

        am_tz_to_local(tz, r->start, &s, NULL);
        if (s.year < 1) {
            BAD(start, "A recurrence must start on or after 0001-01-01 in"
                " the time zone.");
        }
        if (r->range == AM_RANGE_END_BY_DATE && r->end >= AM_TIME_MIN
            && r->end <= AM_TIME_MAX) {
            am_tz_to_local(tz, r->end, &e, NULL);
            if (day_of(e.year, e.month, e.day)
                < day_of(s.year, s.month, s.day)) {
                BAD(end, "The RecurrenceEnd must not be before the "
                    "RecurrenceStart.");
            }
        }
    }
#undef BAD
    return nbad;
}

int am_rule_check(apr_pool_t *p, const am_rule_t *rule, const am_tz_t *tz,
                  const am_rule_keys_t *keys, am_err_t **err)
{
    return rule_check(p, rule, tz, keys, err) ? -1 : 0;
}

/* A set, non-null integer field of o, or dflt. */
static int obj_int(const am_obj_t *o, const char *name, int dflt)
{
    int i = am_type_field(o->type, name);
    apr_int64_t v;

    if (i < 0 || !o->v[i].set || o->v[i].null) {
        return dflt;
    }
    v = o->v[i].u.i;
    return v < INT_MIN || v > INT_MAX ? INT_MIN : (int)v;
}

/* A set, non-null date-time field of o: 1 and *t, else 0. */
static int obj_time(const am_obj_t *o, const char *name, am_time_t *t)
{
    int i = am_type_field(o->type, name);

    if (i < 0 || !o->v[i].set || o->v[i].null) {
        return 0;
    }
    *t = o->v[i].u.t;
    return 1;
}

static const char *join_key(apr_pool_t *p, const char *prefix,
                            const char *name)
{
    return prefix && *prefix ? apr_pstrcat(p, prefix, ".", name, NULL)
                             : name;
}

int am_rule_from_obj(apr_pool_t *p, const am_obj_t *ri,
                     am_time_t appt_start, am_time_t appt_end,
                     const am_tz_t *tz, const char *key_prefix,
                     am_err_t **err, am_rule_t **out)
{
    am_rule_t *r = apr_pcalloc(p, sizeof(*r));
    am_rule_keys_t k;
    am_time_t t;
    am_civil_t ls, le;
    int nbad = 0;

    k.type = join_key(p, key_prefix, pc2_names.type);
    k.periodicity = join_key(p, key_prefix, pc2_names.periodicity);
    k.weekdays = join_key(p, key_prefix, pc2_names.weekdays);
    k.day_number = join_key(p, key_prefix, pc2_names.day_number);
    k.week_of_month = join_key(p, key_prefix, pc2_names.week_of_month);
    k.month = join_key(p, key_prefix, pc2_names.month);
    k.range = join_key(p, key_prefix, pc2_names.range);
    k.count = join_key(p, key_prefix, pc2_names.count);
    k.end = join_key(p, key_prefix, pc2_names.end);
    k.start = join_key(p, key_prefix, pc2_names.start);
    k.duration = "End";

    r->type = obj_int(ri, "Interval", AM_RECUR_DAILY);
    r->periodicity = obj_int(ri, "Periodicity", 1);
    r->weekdays = obj_int(ri, "WeekDays", 0);
    r->day_number = obj_int(ri, "DayNumber", 1);
    r->week_of_month = obj_int(ri, "WeekOfMonth", AM_WOM_NONE);
    r->month = obj_int(ri, "Month", 1);
    r->range = obj_int(ri, "Range", AM_RANGE_NO_END);
    r->count = obj_int(ri, "OccurrenceCount", 1);
    r->start = appt_start;

    if (obj_time(ri, "RecurrenceStart", &t) && t != appt_start) {
        bad(p, err, k.start, "The RecurrenceStart must be equal to the "
            "Start.");
        nbad++;
    }
    if (obj_time(ri, "RecurrenceEnd", &t)) {
        r->end = t;
    }
    else {
        r->end = appt_start;
        if (r->range == AM_RANGE_END_BY_DATE) {
            bad(p, err, k.end, "The RecurrenceEnd is required when Range is "
                "EndByDate.");
            nbad++;
        }
    }

    /* The wall-clock duration; the absolute one where that is negative
     * (an End in the repeated hour of a fall-back night). */
    r->duration = appt_end - appt_start;
    if (appt_start >= AM_TIME_MIN && appt_start <= AM_TIME_MAX
        && appt_end >= AM_TIME_MIN && appt_end <= AM_TIME_MAX
        && appt_end >= appt_start) {
        am_time_t wall;

        am_tz_to_local(tz, appt_start, &ls, NULL);
        am_tz_to_local(tz, appt_end, &le, NULL);
        wall = local_ticks(&le) - local_ticks(&ls);
        if (wall >= 0) {
            r->duration = wall;
        }
    }

    nbad += rule_check(p, r, tz, &k, err);
    if (nbad) {
        return -1;
    }
    *out = r;
    return 0;
}

static void set_int(am_obj_t *o, const char *name, apr_int64_t v)
{
    if (am_type_field(o->type, name) >= 0) {
        am_obj_set_int(o, name, v);
    }
}

am_obj_t *am_rule_to_obj(apr_pool_t *p, const am_rule_t *rule,
                         const am_type_t *type, const am_tz_t *tz)
{
    am_obj_t *o = am_obj_make(p, type);

    set_int(o, "OccurrenceCount", rule->count);
    set_int(o, "Periodicity", rule->periodicity);
    set_int(o, "Range", rule->range);
    set_int(o, "Interval", rule->type);
    set_int(o, "WeekDays", rule->weekdays);
    set_int(o, "WeekOfMonth", rule->week_of_month);
    set_int(o, "Month", rule->month);
    set_int(o, "DayNumber", rule->day_number);
    if (am_type_field(type, "RecurrenceStart") >= 0) {
        am_obj_set_time(o, "RecurrenceStart", rule->start);
    }
    if (am_type_field(type, "RecurrenceEnd") >= 0) {
        am_obj_set_time(o, "RecurrenceEnd", rule->end);
    }
    return o;
}

/* ------------------------------------------------------------------ */
/* RRULE export and the stored text form.                              */

const char *am_rule_rrule(apr_pool_t *p, const am_rule_t *rule,
                          const am_tz_t *tz)
{
    char buf[160];
    am_civil_t e;

    rrule_pattern(rule, 0, buf, sizeof(buf));
    if (rule->range == AM_RANGE_COUNT) {
        return apr_psprintf(p, "%s;COUNT=%d", buf, rule->count);
    }
    if (rule->range == AM_RANGE_END_BY_DATE) {
        am_time_t u;

        /* The last second of the end day, in UTC. */
        am_tz_to_local(tz, rule->end, &e, NULL);
        e.hour = 23;
        e.min = 59;
        e.sec = 59;
        e.frac = 0;
        u = am_tz_from_local(tz, &e);
        am_time_to_civil(u, 0, &e);
        return apr_psprintf(p, "%s;UNTIL=%04d%02d%02dT%02d%02d%02dZ", buf,
                            e.year, e.month, e.day, e.hour, e.min, e.sec);
    }
    return apr_pstrdup(p, buf);
}

static const char *const type_names[] = {
    "DAILY", "WEEKLY", "MONTHLY", "YEARLY"
};
static const char *const range_names[] = {
    "NO_END", "COUNT", "END_BY_DATE"
};

char *am_rule_format(apr_pool_t *p, const am_rule_t *rule,
                     const am_tz_t *tz)
{
    am_civil_t s;
    int t = rule->type, rg = rule->range;

    am_tz_to_local(tz, rule->start, &s, NULL);
    return apr_psprintf(p,
        "DTSTART;TZID=%s:%04d%02d%02dT%02d%02d%02d\n"
        "RRULE:%s\n"
        "X-AM-RULE:V=1;TYPE=%s;PERIODICITY=%d;WEEKDAYS=%d;WEEKOFMONTH=%d;"
        "DAYNUMBER=%d;MONTH=%d;RANGE=%s;COUNT=%d;START=%" APR_INT64_T_FMT
        ";END=%" APR_INT64_T_FMT ";DURATION=%" APR_INT64_T_FMT,
        am_tz_name(tz), s.year, s.month, s.day, s.hour, s.min, s.sec,
        am_rule_rrule(p, rule, tz),
        t >= 0 && t <= 3 ? type_names[t] : "?",
        rule->periodicity, rule->weekdays, rule->week_of_month,
        rule->day_number, rule->month,
        rg >= 0 && rg <= 2 ? range_names[rg] : "?",
        rule->count, rule->start, rule->end, rule->duration);
}

static am_err_t *parse_err(apr_pool_t *p, const char *why)
{
    return am_err_make(p, 500, "The stored recurrence rule is invalid: %s",
                       why);
}

/* An int within lo..hi from s. */
static int parse_num(const char *s, apr_int64_t lo, apr_int64_t hi,
                     apr_int64_t *v)
{
    if (!*s || am_int_parse(s, v) != 0) {
        return -1;
    }
    return *v < lo || *v > hi ? -1 : 0;
}

static int name_index(const char *const *names, int n, const char *s)
{
    int i;

    for (i = 0; i < n; i++) {
        if (!strcmp(names[i], s)) {
            return i;
        }
    }
    return -1;
}

/* The X-AM-RULE value: "V=1;TYPE=...;..." (modified in place). */
static am_err_t *parse_fields(apr_pool_t *p, char *s, am_rule_t *r)
{
    static const char *const keys[] = {
        "V", "TYPE", "PERIODICITY", "WEEKDAYS", "WEEKOFMONTH", "DAYNUMBER",
        "MONTH", "RANGE", "COUNT", "START", "END", "DURATION"
    };
    enum { NKEYS = sizeof(keys) / sizeof(keys[0]) };
    int seen[NKEYS] = { 0 };
    char *item, *last = NULL;
    int i;

    for (item = apr_strtok(s, ";", &last); item;
         item = apr_strtok(NULL, ";", &last)) {
        char *val = strchr(item, '=');
        apr_int64_t v = 0;
        int rc = 0;

        if (!val) {
            return parse_err(p, apr_psprintf(p, "no value in \"%s\".", item));
        }
        *val++ = '\0';
        i = name_index(keys, NKEYS, item);
        if (i < 0) {
            return parse_err(p, apr_psprintf(p, "unknown key %s.", item));
        }
        if (seen[i]++) {
            return parse_err(p, apr_psprintf(p, "duplicate key %s.", item));
        }
        switch (i) {
        case 0:
            rc = parse_num(val, 1, 1, &v);
            break;
        case 1:
            rc = (r->type = name_index(type_names, 4, val)) < 0 ? -1 : 0;
            break;
        case 2:
            rc = parse_num(val, 1, AM_RECUR_MAX_PERIODICITY, &v);
            r->periodicity = (int)v;
            break;
        case 3:
            rc = parse_num(val, 0, AM_WD_EVERYDAY, &v);
            r->weekdays = (int)v;
            break;
        case 4:
            rc = parse_num(val, 0, AM_WOM_LAST, &v);
            r->week_of_month = (int)v;
            break;
        case 5:
            /* Kept as given where the shape does not use it, as
             * am_rule_check keeps it: rule_check below decides. */
            rc = parse_num(val, INT_MIN, INT_MAX, &v);
            r->day_number = (int)v;
            break;
        case 6:
            rc = parse_num(val, INT_MIN, INT_MAX, &v);
            r->month = (int)v;
            break;
        case 7:
            rc = (r->range = name_index(range_names, 3, val)) < 0 ? -1 : 0;
            break;
        case 8:
            rc = parse_num(val, INT_MIN, INT_MAX, &v);
            r->count = (int)v;
            break;
        case 9:
            rc = parse_num(val, AM_TIME_MIN, AM_TIME_MAX, &r->start);
            break;
        case 10:
            rc = parse_num(val, AM_TIME_MIN, AM_TIME_MAX, &r->end);
            break;
        default:
            rc = parse_num(val, 0, MAX_DURATION, &r->duration);
            break;
        }
        if (rc != 0) {
            return parse_err(p, apr_psprintf(p, "bad value for %s: \"%s\".",
                                             item, val));
        }
    }
    for (i = 0; i < NKEYS; i++) {
        if (!seen[i]) {
            return parse_err(p, apr_psprintf(p, "no %s.", keys[i]));
        }
    }
    return NULL;
}

am_err_t *am_rule_parse(apr_pool_t *p, const char *text, am_rule_t **out)
{
    am_rule_t *r;
    am_err_t *e = NULL;
    char *copy, *line, *last = NULL;
    int found = 0;

    if (!text) {
        return parse_err(p, "no text.");
    }
    r = apr_pcalloc(p, sizeof(*r));
    copy = apr_pstrdup(p, text);
    for (line = apr_strtok(copy, "\n", &last); line;
         line = apr_strtok(NULL, "\n", &last)) {
        size_t len = strlen(line);

        if (len && line[len - 1] == '\r') {
            line[--len] = '\0';
        }
        if (!len) {
            continue;
        }
        if (!strncmp(line, "X-AM-RULE:", 10)) {
            if (found++) {
                return parse_err(p, "two X-AM-RULE lines.");
            }
            if ((e = parse_fields(p, line + 10, r)) != NULL) {
                return e;
            }
        }
        else if (strncmp(line, "DTSTART", 7) && strncmp(line, "RRULE:", 6)) {
            return parse_err(p, "unexpected line.");
        }
    }
    if (!found) {
        return parse_err(p, "no X-AM-RULE line.");
    }
    if (rule_check(p, r, NULL, NULL, &e)) {
        const am_fielderr_t *fe = (const am_fielderr_t *)e->fields->elts;

        return parse_err(p, apr_psprintf(p, "%s: %s", fe->key, fe->msg));
    }
    *out = r;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* FriendlyRecurrenceInfo.                                             */

static const char *const day_names[7] = {     /* by am_weekday() */
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday"
};
static const char *const month_names[13] = {
    "", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};
static const char *const ordinals[6] = {
    "", "first", "second", "third", "fourth", "last"
};

/* "Monday", "Monday and Friday", "Monday, Wednesday and Friday" (Monday
 * first; conj "and" or "or"). */
static const char *day_list(apr_pool_t *p, int mask, const char *conj)
{
    const char *names[7];
    const char *s;
    int i, n = 0;

    for (i = 0; i < 7; i++) {
        if (mask & wd_flag(i)) {
            names[n++] = day_names[(i + 1) % 7];
        }
    }
    if (n == 0) {
        return "no day";
    }
    s = names[0];
    for (i = 1; i < n; i++) {
        s = apr_pstrcat(p, s, i == n - 1 ? " " : ", ",
                        i == n - 1 ? conj : "", i == n - 1 ? " " : "",
                        names[i], NULL);
    }
    return s;
}

/* What a week-of-month rule picks: "Friday", "working day", "day". */
static const char *set_name(apr_pool_t *p, int mask)
{
    switch (mask) {
    case AM_WD_WORKDAYS:
        return "working day";
    case AM_WD_WEEKEND:
        return "weekend day";
    case AM_WD_EVERYDAY:
        return "day";
    default:
        return day_list(p, mask, "or");
    }
}

static const char *every(apr_pool_t *p, int n, const char *unit)
{
    return n == 1 ? apr_pstrcat(p, "every ", unit, NULL)
                  : apr_psprintf(p, "every %d %ss", n, unit);
}

const char *am_rule_friendly(apr_pool_t *p, const am_rule_t *rule,
                             const am_tz_t *tz)
{
    const char *s, *tail = "";
    int n = rule->periodicity, wom = rule->week_of_month;
    int m = rule->month >= 1 && rule->month <= 12 ? rule->month : 1;

    switch (rule->type) {
    case AM_RECUR_DAILY:
        s = rule->weekdays == AM_WD_WORKDAYS ? "Occurs every working day"
            : apr_pstrcat(p, "Occurs ", every(p, n, "day"), NULL);
        break;
    case AM_RECUR_WEEKLY:
        s = apr_pstrcat(p, "Occurs ", every(p, n, "week"), " on ",
                        rule->weekdays == AM_WD_WORKDAYS ? "working days"
                        : rule->weekdays == AM_WD_EVERYDAY ? "every day"
                        : day_list(p, rule->weekdays, "and"), NULL);
        break;
    case AM_RECUR_MONTHLY:
        if (wom == AM_WOM_NONE) {
            s = apr_psprintf(p, "Occurs on day %d of %s", rule->day_number,
                             every(p, n, "month"));
        }
        else {
            s = apr_psprintf(p, "Occurs on the %s %s of %s",
                             ordinals[wom >= 1 && wom <= 5 ? wom : 1],
                             set_name(p, rule->weekdays),
                             every(p, n, "month"));
        }
        break;
    default:
        if (wom == AM_WOM_NONE) {
            int d = rule->day_number;

            if (d > month_max_len(m)) {
                d = month_max_len(m);
            }
            s = apr_psprintf(p, "Occurs %s on %s %d", every(p, n, "year"),
                             month_names[m], d);
        }
        else {
            s = apr_psprintf(p, "Occurs %s on the %s %s of %s",
                             every(p, n, "year"),
                             ordinals[wom >= 1 && wom <= 5 ? wom : 1],
                             set_name(p, rule->weekdays), month_names[m]);
        }
        break;
    }

    if (rule->range == AM_RANGE_COUNT) {
        tail = apr_psprintf(p, ", %d %s", rule->count,
                            rule->count == 1 ? "time" : "times");
    }
    else if (rule->range == AM_RANGE_END_BY_DATE) {
        am_civil_t e;

        am_tz_to_local(tz, rule->end, &e, NULL);
        tail = apr_psprintf(p, " until %02d-%02d-%04d", e.day, e.month,
                            e.year);
    }
    return apr_pstrcat(p, s, tail, NULL);
}

int am_rule_pattern_changed(apr_pool_t *p, const char *before,
                            const char *after)
{
    am_rule_t *a = NULL, *b = NULL;

    if (before && !*before) {
        before = NULL;
    }
    if (after && !*after) {
        after = NULL;
    }
    if (!before || !after) {
        return before || after;
    }
    if (am_rule_parse(p, before, &a) || am_rule_parse(p, after, &b)) {
        return 1;
    }
    return a->type != b->type || a->periodicity != b->periodicity
           || a->weekdays != b->weekdays || a->day_number != b->day_number
           || a->week_of_month != b->week_of_month || a->month != b->month
           || a->start != b->start;
}

/* ------------------------------------------------- Xelion's members */

static const am_enum_item_t xel_recurrence_items[] = {
    { "daily", AM_RECUR_DAILY }, { "weekly", AM_RECUR_WEEKLY },
    { "monthly", AM_RECUR_MONTHLY }, { "yearly", AM_RECUR_YEARLY },
    { "none", -1 }
};
const am_enum_t am_xel_recurrence_types = { xel_recurrence_items, 5 };

static const am_enum_item_t xel_termination_items[] = {
    { "none", AM_RANGE_NO_END }, { "recurrenceCount", AM_RANGE_COUNT },
    { "recurrenceTerminationDate", AM_RANGE_END_BY_DATE }
};
const am_enum_t am_xel_termination_types = { xel_termination_items, 3 };

/* 0 on the day of the month (the 14th), 1 on the weekday of the month
 * (the second Tuesday). */
static const am_enum_item_t xel_month_items[] = {
    { "dayOfMonth", 0 }, { "dayOfWeek", 1 }
};
const am_enum_t am_xel_month_types = { xel_month_items, 2 };

/* monday..sunday by am_weekday() (0 = Sunday), as AM_WD_* bit i. */
static const char *const xel_days[7] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday"
};

/* Keys of the rule's problems in Xelion's names. */
static const am_rule_keys_t xel_rule_keys = {
    "recurrenceType", "recurrenceInterval", "monday", "starttime",
    "monthRecurrenceType", "starttime", "recurrenceTerminationType",
    "recurrenceCount", "recurrenceTerminationDate", "firstRecurrenceDate",
    "endtime"
};

static const am_value_t *xgiven(const am_obj_t *o, const char *name)
{
    int i = am_type_field(o->type, name);

    return (i >= 0 && o->v[i].set && !o->v[i].null) ? &o->v[i] : NULL;
}

/* A string enumeration member: its value, -2 when absent, null or "". */
static int xchoice(const am_obj_t *o, const char *name, const am_enum_t *en)
{
    const am_value_t *v = xgiven(o, name);
    apr_int64_t i;

    if (!v || !*v->u.s || am_enum_value(en, v->u.s, &i)) {
        return -2;
    }
    return (int)i;
}

static void xdate(apr_pool_t *p, const am_obj_t *o, const char *name,
                  const am_tz_t *tz, am_time_t *t, int *has, am_err_t **err)
{
    const am_value_t *v = xgiven(o, name);
    int bad;

    *has = 0;
    if (!v || !*v->u.s) {
        return;
    }
    bad = strlen(v->u.s) == 10 ? am_time_parse_iso(v->u.s, tz, t)
                               : am_time_parse_xelion(v->u.s, tz, t);
    if (bad) {
        am_err_add(p, err, 0, name, "The value '%s' is not valid for %s"
                   " (expected a date and time such as 2017-02-25"
                   " 11:50:00, or \"\").", v->u.s, name);
        return;
    }
    *has = 1;
}

void am_xel_recur_read(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                       am_xel_recur_t *x, am_err_t **err)
{
    const am_value_t *v;
    int type, i;

    memset(x, 0, sizeof(*x));
    x->range = AM_RANGE_NO_END;
    xdate(p, o, "recurrenceTerminationDate", tz, &x->term_date,
          &x->has_term_date, err);
    xdate(p, o, "firstRecurrenceDate", tz, &x->first, &x->has_first, err);
    xdate(p, o, "lastRecurrenceDate", tz, &x->last, &x->has_last, err);
    type = xchoice(o, "recurrenceType", &am_xel_recurrence_types);
    v = xgiven(o, "isRecurrence");
    if (type < 0 || (v && !v->u.i)) {
        return;
    }
    x->recurring = 1;
    x->type = type;
    x->interval = (v = xgiven(o, "recurrenceInterval")) ? (int)v->u.i : 0;
    x->count = (v = xgiven(o, "recurrenceCount")) ? (int)v->u.i : 0;
    i = xchoice(o, "recurrenceTerminationType", &am_xel_termination_types);
    if (i >= 0) {
        x->range = i;
    }
    else if (x->count > 0) {
        x->range = AM_RANGE_COUNT;
    }
    else if (x->has_term_date) {
        x->range = AM_RANGE_END_BY_DATE;
    }
    x->by_weekday = xchoice(o, "monthRecurrenceType",
                            &am_xel_month_types) == 1;
    for (i = 0; i < 7; i++) {
        if ((v = xgiven(o, xel_days[i])) && v->u.i) {
            x->weekdays |= 1 << i;
        }
    }
}

void am_xel_recur_move(const am_tz_t *tz, const am_xel_recur_t *x,
                       am_time_t *start, am_time_t *end)
{
    am_civil_t c, f;
    am_time_t moved;

    if (!x->recurring || !x->has_first
        || am_tz_day_start(tz, x->first, 0)
           == am_tz_day_start(tz, *start, 0)) {
        return;
    }
    am_tz_to_local(tz, *start, &c, NULL);
    am_tz_to_local(tz, x->first, &f, NULL);
    c.year = f.year;
    c.month = f.month;
    c.day = f.day;
    moved = am_tz_from_local(tz, &c);
    *end = moved + (*end - *start);
    *start = moved;
}

/* Wall-clock ticks of t in tz (local time read as if it were UTC). */
static am_time_t wall_ticks(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return am_civil_to_time(&c, 0);
}

static int weekday_flag(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return 1 << am_weekday(c.year, c.month, c.day);
}

am_rule_t *am_rule_from_xelion(apr_pool_t *p, const am_tz_t *tz,
                               const am_xel_recur_t *x, am_time_t start,
                               am_time_t end, const am_rule_t *stored,
                               am_time_t stored_start, am_err_t **err)
{
    am_rule_t *r = apr_pcalloc(p, sizeof(*r));
    am_civil_t c;
    int same_start;

    am_tz_to_local(tz, start, &c, NULL);
    same_start = stored && am_tz_day_start(tz, start, 0)
                           == am_tz_day_start(tz, stored_start, 0);
    if (stored) {
        *r = *stored;
    }
    r->type = x->type;
    r->periodicity = x->interval > 0 ? x->interval : 1;
    r->start = start;
    r->duration = wall_ticks(tz, end) - wall_ticks(tz, start);
    r->weekdays = x->weekdays;
    switch (x->type) {
    case AM_RECUR_WEEKLY:
        if (!r->weekdays) {
            r->weekdays = weekday_flag(tz, start);
        }
        r->week_of_month = AM_WOM_NONE;
        break;
    case AM_RECUR_MONTHLY:
    case AM_RECUR_YEARLY:
        /* The day comes from the start, unless the stored rule says it
         * for the same start (a PlanCare2 DayNumber, a Last week). */
        if (x->by_weekday) {
            if (!r->weekdays) {
                r->weekdays = weekday_flag(tz, start);
            }
            if (!same_start || stored->week_of_month == AM_WOM_NONE) {
                int n = (c.day - 1) / 7 + 1;

                r->week_of_month = n > 4 ? AM_WOM_LAST : n;
            }
        }
        else {
            r->week_of_month = AM_WOM_NONE;
            if (!same_start || stored->day_number < 1) {
                r->day_number = c.day;
            }
        }
        if (x->type == AM_RECUR_YEARLY
            && (!same_start || stored->month < 1)) {
            r->month = c.month;
        }
        break;
    default:
        r->week_of_month = AM_WOM_NONE;
        break;
    }
    if (r->day_number < 1 || r->day_number > 31) {
        r->day_number = c.day;
    }
    if (r->month < 1 || r->month > 12) {
        r->month = c.month;
    }
    /* Members the range does not use keep their stored values (a
     * PlanCare2 client reads them back as it wrote them). */
    r->range = x->range;
    if (x->count > 0) {
        r->count = x->count;
    }
    else if (x->range == AM_RANGE_COUNT) {
        r->count = 0;                   /* refused by am_rule_check */
    }
    else if (!stored || stored->count < 1) {
        r->count = 1;
    }
    if (!stored || x->range != AM_RANGE_NO_END) {
        r->end = start;
    }
    if (x->range == AM_RANGE_END_BY_DATE) {
        am_time_t day = x->has_term_date ? x->term_date : x->last;

        if (!x->has_term_date && !x->has_last) {
            am_err_add(p, err, 0, "recurrenceTerminationDate",
                       "recurrenceTerminationDate is required when"
                       " recurrenceTerminationType is"
                       " recurrenceTerminationDate.");
            return NULL;
        }
        /* Only the day counts: a stored end on that day stays as it
         * was written. */
        r->end = (stored && stored->range == AM_RANGE_END_BY_DATE
                  && am_tz_day_start(tz, stored->end, 0)
                     == am_tz_day_start(tz, day, 0)) ? stored->end : day;
    }
    if (am_rule_check(p, r, tz, &xel_rule_keys, err)) {
        return NULL;
    }
    return r;
}

static void xset_str(am_obj_t *o, const char *name, const char *s)
{
    if (s) {
        am_obj_set_str(o, name, s);
    }
    else {
        am_obj_set_null(o, name);
    }
}

void am_rule_to_xelion(apr_pool_t *p, const am_rule_t *rule,
                       am_time_t last_end, const am_tz_t *tz, am_obj_t *o)
{
    int i;

    am_obj_set_int(o, "isRecurrence", rule != NULL);
    if (!rule) {
        return;
    }
    am_obj_set_str(o, "recurrenceTerminationType",
                   am_enum_name(&am_xel_termination_types, rule->range));
    am_obj_set_str(o, "recurrenceTerminationDate",
                   rule->range == AM_RANGE_END_BY_DATE
                   ? am_time_format_xelion(p, rule->end, tz) : "");
    am_obj_set_str(o, "firstRecurrenceDate",
                   am_time_format_xelion(p, rule->start, tz));
    am_obj_set_str(o, "lastRecurrenceDate", last_end >= AM_TIME_MAX ? ""
                   : am_time_format_xelion(p, last_end, tz));
    if (rule->range == AM_RANGE_COUNT) {
        am_obj_set_int(o, "recurrenceCount", rule->count);
    }
    else {
        am_obj_set_null(o, "recurrenceCount");
    }
    am_obj_set_str(o, "recurrenceType",
                   am_enum_name(&am_xel_recurrence_types, rule->type));
    am_obj_set_int(o, "recurrenceInterval", rule->periodicity);
    for (i = 0; i < 7; i++) {
        am_obj_set_int(o, xel_days[i], (rule->weekdays >> i) & 1);
    }
    xset_str(o, "monthRecurrenceType",
             (rule->type == AM_RECUR_MONTHLY || rule->type == AM_RECUR_YEARLY)
             ? am_enum_name(&am_xel_month_types,
                            rule->week_of_month != AM_WOM_NONE) : NULL);
    am_obj_set_str(o, "recurrenceLabel", am_rule_friendly(p, rule, tz));
}

/* Licensed under the Apache License, Version 2.0.
 *
 * datetime.c: instants with 100 ns precision, civil calendar arithmetic,
 * the ISO 8601 and Xelion wire formats, and time zones.
 *
 * Time zones come from libical's zoneinfo reader, but libical is used at
 * start-up only: am_tz_get() expands the zone's VTIMEZONE (with libical's
 * own recurrence iterator, following icaltimezone_expand_vtimezone) into
 * an immutable, sorted table of transitions.  Lookups afterwards are a
 * binary search in that table: no locks, no allocation, thread-safe, and
 * fast for every year (libical itself re-expands the zone on every call
 * for years past its ICALTIMEZONE_MAX_YEAR, which costs milliseconds).
 *
 * The table covers the zone's history plus 400 years of its final rules;
 * later instants are mapped back by whole 400-year Gregorian cycles
 * (146097 days, an exact number of weeks), so the final rules continue
 * until 9999.  Before the first transition the zone's first offset (LMT
 * for most zones) applies, as in libical.
 *
 * Offsets are kept in whole minutes (seconds truncated toward zero): only
 * the local mean times before standard time have seconds (Amsterdam
 * +00:19:32), and neither the wire formats nor .NET's DateTimeOffset can
 * express them.  All functions use the same truncated offsets, so output
 * and input stay consistent.
 *
 * Wall times that do not exist (spring-forward gap) take the offset in
 * force before the gap; wall times that occur twice (fall back) are the
 * first occurrence.  libical's icaltimezone_get_utc_offset() does neither
 * (it answers the offset after the gap, and the standard-time occurrence
 * in an overlap), so am_tz_from_local() resolves them itself.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <apr_strings.h>
#include <libical/ical.h>

#include "datetime.h"

#define SECS_PER_DAY     86400LL
#define DAYS_PER_CYCLE   146097LL          /* 400 Gregorian years */
#define SECS_PER_CYCLE   (DAYS_PER_CYCLE * SECS_PER_DAY)
#define MAX_OFFSET       (14 * 3600)

/* Zone rules are expanded at most up to this year; later instants reuse
 * the last 400 years of the table.  Well below the year (about 2600 with
 * libical 3.0.16) where libical's own expansion stops. */
#define EXPAND_MAX_YEAR  2500

/* At most this many occurrences are taken from one RRULE. */
#define MAX_OCCURRENCES  20000

/* ------------------------------------------------------------------ */
/* Civil calendar arithmetic (proleptic Gregorian, H. Hinnant).        */

static apr_int64_t floor_div(apr_int64_t a, apr_int64_t b)
{
    apr_int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

/* Days since 1970-01-01 of y-m-d; month 1..12, day may overflow. */
static apr_int64_t days_from_civil(apr_int64_t y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;                                    /* [0, 399] */
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * DAYS_PER_CYCLE + doe - 719468;
}

static void civil_from_days(apr_int64_t z, int *year, int *month, int *day)
{
    apr_int64_t era, doe, yoe, y, doy, mp;

    z += 719468;
    era = floor_div(z, DAYS_PER_CYCLE);
    doe = z - era * DAYS_PER_CYCLE;                         /* [0, 146096] */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
    mp = (5 * doy + 2) / 153;                               /* [0, 11] */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (*month <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int am_days_in_month(int year, int month)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31 };

    if (month < 1 || month > 12) {
        return 0;
    }
    if (month == 2 && is_leap(year)) {
        return 29;
    }
    return dim[month - 1];
}

int am_weekday(int year, int month, int day)
{
    /* 1970-01-01 was a Thursday (4). */
    apr_int64_t w = (days_from_civil(year, month, day) + 4) % 7;

    return (int)(w < 0 ? w + 7 : w);
}

/* Seconds since the epoch of a civil time taken as UTC; fields out of
 * range are carried (month is normalised, the others are linear). */
static apr_int64_t civil_secs(const am_civil_t *c)
{
    apr_int64_t y = c->year;
    apr_int64_t m = c->month - 1;

    y += floor_div(m, 12);
    m -= floor_div(m, 12) * 12;
    return days_from_civil(y, (int)m + 1, c->day) * SECS_PER_DAY
           + (apr_int64_t)c->hour * 3600 + (apr_int64_t)c->min * 60
           + c->sec;
}

am_time_t am_civil_to_time(const am_civil_t *c, int offset)
{
    return (civil_secs(c) - offset) * AM_TICKS_PER_SEC + c->frac;
}

void am_time_to_civil(am_time_t t, int offset, am_civil_t *c)
{
    apr_int64_t secs = floor_div(t, AM_TICKS_PER_SEC);
    apr_int64_t days, sod;

    c->frac = (int)(t - secs * AM_TICKS_PER_SEC);
    secs += offset;
    days = floor_div(secs, SECS_PER_DAY);
    sod = secs - days * SECS_PER_DAY;
    civil_from_days(days, &c->year, &c->month, &c->day);
    c->hour = (int)(sod / 3600);
    c->min = (int)(sod / 60 % 60);
    c->sec = (int)(sod % 60);
}

/* ------------------------------------------------------------------ */
/* Time zones.                                                          */

typedef struct am_tz_change {
    apr_int64_t at;             /* UTC seconds since the epoch */
    int offset;                 /* seconds east from 'at' on */
    int prev;                   /* seconds east before 'at' */
} am_tz_change_t;

struct am_tz {
    char *name;
    int initial;                /* offset before the first change */
    size_t n;
    am_tz_change_t *changes;    /* sorted by at, n entries */
    apr_int64_t cycle_start;    /* instants >= cycle_end are moved back */
    apr_int64_t cycle_end;      /* by whole 400-year cycles (seconds) */
    char *vtimezone;            /* libical's VTIMEZONE of the zone, as
                                 * text (NULL for UTC) */
    struct am_tz *next;         /* the start-up cache */
};

static struct am_tz *tz_cache;

static int trunc_minutes(int offset)
{
    return offset - offset % 60;
}

typedef struct change_buf {
    am_tz_change_t *v;
    size_t n, cap;
    int failed;
} change_buf_t;

static void buf_add(change_buf_t *b, const struct icaltimetype *local,
                    int prev, int offset)
{
    am_tz_change_t *nv;

    if (b->failed) {
        return;
    }
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;

        nv = realloc(b->v, ncap * sizeof(*nv));
        if (!nv) {
            b->failed = 1;
            return;
        }
        b->v = nv;
        b->cap = ncap;
    }
    b->v[b->n].at = days_from_civil(local->year, local->month, local->day)
                    * SECS_PER_DAY + local->hour * 3600 + local->minute * 60
                    + local->second - prev;
    b->v[b->n].prev = prev;
    b->v[b->n].offset = offset;
    b->n++;
}

static int change_cmp(const void *a, const void *b)
{
    const am_tz_change_t *x = a, *y = b;

    return x->at < y->at ? -1 : x->at > y->at ? 1 : 0;
}

static int valid_ical_time(const struct icaltimetype *t)
{
    return !icaltime_is_null_time(*t) && t->year >= 1 && t->year <= 9999
           && t->month >= 1 && t->month <= 12 && t->day >= 1
           && t->day <= 31;
}

/* Expands one STANDARD or DAYLIGHT sub-component into b, up to end_year
 * (local time), the way icaltimezone_expand_vtimezone() does.  *last is
 * raised to the last year of a change that is not produced by an endless
 * RRULE. */
static void expand_observance(icalcomponent *comp, int end_year,
                              change_buf_t *b, int *last)
{
    icalproperty *prop;
    struct icaltimetype dtstart = icaltime_null_time();
    int from = 0, to = 0;
    int have_start = 0, have_from = 0, have_to = 0;
    int has_rrule = 0;

    for (prop = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY);
         prop;
         prop = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
        switch (icalproperty_isa(prop)) {
        case ICAL_DTSTART_PROPERTY:
            dtstart = icalproperty_get_dtstart(prop);
            have_start = 1;
            break;
        case ICAL_TZOFFSETFROM_PROPERTY:
            from = icalproperty_get_tzoffsetfrom(prop);
            have_from = 1;
            break;
        case ICAL_TZOFFSETTO_PROPERTY:
            to = icalproperty_get_tzoffsetto(prop);
            have_to = 1;
            break;
        case ICAL_RRULE_PROPERTY:
            has_rrule = 1;
            break;
        default:
            break;
        }
    }
    if (have_to && !have_from) {
        from = to;
        have_from = 1;
    }
    if (!have_start || !have_to || !valid_ical_time(&dtstart)
        || from < -86400 || from > 86400 || to < -86400 || to > 86400) {
        return;
    }
    if (dtstart.year > *last) {
        *last = dtstart.year;
    }
    if (!has_rrule) {
        buf_add(b, &dtstart, from, to);
    }

    for (prop = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY);
         prop;
         prop = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
        icalproperty_kind kind = icalproperty_isa(prop);

        if (kind == ICAL_RDATE_PROPERTY) {
            struct icaldatetimeperiodtype rd = icalproperty_get_rdate(prop);
            struct icaltimetype t = rd.time;
            int prev = from;

            if (!valid_ical_time(&t)) {
                continue;
            }
            if (icaltime_is_date(t)) {
                t.hour = dtstart.hour;
                t.minute = dtstart.minute;
                t.second = dtstart.second;
            }
            else if (icaltime_is_utc(t)) {
                prev = 0;
            }
            buf_add(b, &t, prev, to);
            if (t.year > *last) {
                *last = t.year;
            }
        }
        else if (kind == ICAL_RRULE_PROPERTY) {
            struct icalrecurrencetype rule = icalproperty_get_rrule(prop);
            icalrecur_iterator *it;
            int endless = rule.count == 0
                          && icaltime_is_null_time(rule.until);
            int guard = 0;

            if (!icaltime_is_null_time(rule.until)
                && icaltime_is_utc(rule.until)) {
                icaltime_adjust(&rule.until, 0, 0, 0, from);
                rule.until.zone = NULL;
            }
            buf_add(b, &dtstart, from, to);
            it = icalrecur_iterator_new(rule, dtstart);
            while (it) {
                struct icaltimetype occ = icalrecur_iterator_next(it);

                /* Zone rules are yearly; the guard stops a rule gone mad. */
                if (icaltime_is_null_time(occ) || occ.year > end_year
                    || ++guard > MAX_OCCURRENCES) {
                    break;
                }
                if (icaltime_compare(dtstart, occ) == 0
                    || !valid_ical_time(&occ)) {
                    continue;
                }
                buf_add(b, &occ, from, to);
                if (!endless && occ.year > *last) {
                    *last = occ.year;
                }
            }
            if (it) {
                icalrecur_iterator_free(it);
            }
        }
    }
}

/* Fills tz's table from the libical zone; 0 on success. */
static int tz_build(struct am_tz *tz, icaltimezone *zone)
{
    icalcomponent *vtz, *comp;
    change_buf_t b = { NULL, 0, 0, 0 };
    int last = 1;
    int end_year;
    size_t i, n;

    tz->initial = 0;
    tz->n = 0;
    tz->changes = NULL;
    tz->cycle_start = tz->cycle_end = 0;

    vtz = icaltimezone_get_component(zone);
    if (!vtz) {
        return -1;
    }
    tz->vtimezone = icalcomponent_as_ical_string_r(vtz);
    if (!tz->vtimezone) {
        return -1;
    }
    for (comp = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
         comp;
         comp = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
        icalcomponent_kind k = icalcomponent_isa(comp);

        if (k == ICAL_XSTANDARD_COMPONENT || k == ICAL_XDAYLIGHT_COMPONENT) {
            expand_observance(comp, EXPAND_MAX_YEAR, &b, &last);
        }
    }
    if (b.failed) {
        free(b.v);
        return -1;
    }
    if (b.n == 0) {
        /* No observance at all: libical would answer 0. */
        return 0;
    }

    qsort(b.v, b.n, sizeof(*b.v), change_cmp);
    tz->initial = trunc_minutes(b.v[0].prev);

    /* The table holds, after the last change of the zone's finite history,
     * two years of margin and one full 400-year cycle of its final rules;
     * beyond that the cycle repeats. */
    end_year = last + 2 + 400;
    if (end_year > EXPAND_MAX_YEAR) {
        end_year = EXPAND_MAX_YEAR;
    }
    tz->cycle_end = days_from_civil(end_year, 1, 1) * SECS_PER_DAY;
    tz->cycle_start = tz->cycle_end - SECS_PER_CYCLE;

    /* Keep the changes before cycle_end that change something; of changes
     * at the same instant the last one (in sorted order) wins. */
    n = 0;
    for (i = 0; i < b.n; i++) {
        am_tz_change_t c = b.v[i];

        if (c.at >= tz->cycle_end) {
            break;
        }
        c.offset = trunc_minutes(c.offset);
        if (n > 0 && b.v[n - 1].at == c.at) {
            n--;
        }
        if ((n == 0 ? tz->initial : b.v[n - 1].offset) == c.offset) {
            continue;
        }
        b.v[n++] = c;
    }
    if (n == 0) {
        free(b.v);
        return 0;
    }
    tz->changes = realloc(b.v, n * sizeof(*b.v));
    if (!tz->changes) {
        tz->changes = b.v;
    }
    tz->n = n;
    return 0;
}

static int tz_name_ok(const char *name)
{
    const char *s;

    if (!name || !*name || *name == '/' || *name == '.'
        || strlen(name) > 255 || strstr(name, "..")) {
        return 0;
    }
    for (s = name; *s; s++) {
        char ch = *s;

        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')
              || (ch >= '0' && ch <= '9') || ch == '/' || ch == '_'
              || ch == '-' || ch == '+' || ch == '.')) {
            return 0;
        }
    }
    return 1;
}

const am_tz_t *am_tz_get(const char *name)
{
    struct am_tz *tz;
    icaltimezone *zone = NULL;
    int utc;

    if (!tz_name_ok(name)) {
        return NULL;
    }
    for (tz = tz_cache; tz; tz = tz->next) {
        if (strcmp(tz->name, name) == 0) {
            return tz;
        }
    }

    utc = strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0
          || strcmp(name, "Z") == 0;
    if (!utc) {
        zone = icaltimezone_get_builtin_timezone(name);
        if (!zone) {
            return NULL;
        }
        if (zone == icaltimezone_get_utc_timezone()) {
            utc = 1;
        }
    }

    tz = calloc(1, sizeof(*tz));
    if (!tz) {
        return NULL;
    }
    tz->name = strdup(name);
    if (!tz->name || (!utc && tz_build(tz, zone) != 0)) {
        free(tz->vtimezone);
        free(tz->name);
        free(tz);
        return NULL;
    }
    tz->next = tz_cache;
    tz_cache = tz;
    return tz;
}

const char *am_tz_vtimezone(const am_tz_t *tz)
{
    return tz ? tz->vtimezone : NULL;
}

const char *am_tz_name(const am_tz_t *tz)
{
    if (!tz) {
        return "UTC";
    }
    if (strcmp(tz->name, "Z") == 0) {
        return "UTC";
    }
    return tz->name;
}

/* A zone name from a path such as /usr/share/zoneinfo/Europe/Amsterdam. */
static const char *zone_from_path(const char *path)
{
    const char *z = strstr(path, "zoneinfo/");

    if (!z) {
        return NULL;
    }
    z += sizeof("zoneinfo/") - 1;
    if (strncmp(z, "posix/", 6) == 0) {
        z += 6;
    }
    return z;
}

static const char *system_candidate(apr_pool_t *p, const char *name)
{
    if (name && *name && am_tz_get(name)) {
        return apr_pstrdup(p, name);
    }
    return NULL;
}

const char *am_tz_system_name(apr_pool_t *p)
{
    const char *env = getenv("TZ");
    const char *r;
    char buf[512];
    FILE *f;
    ssize_t len;

    if (env) {
        if (*env == ':') {
            env++;
        }
        if (*env == '/') {
            env = zone_from_path(env);
        }
        if ((r = system_candidate(p, env)) != NULL) {
            return r;
        }
    }

    f = fopen("/etc/timezone", "r");
    if (f) {
        char *line = fgets(buf, sizeof(buf), f);

        fclose(f);
        if (line) {
            size_t n;

            while (*line == ' ' || *line == '\t') {
                line++;
            }
            n = strlen(line);
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'
                             || line[n - 1] == ' ' || line[n - 1] == '\t')) {
                line[--n] = '\0';
            }
            if ((r = system_candidate(p, line)) != NULL) {
                return r;
            }
        }
    }

    len = readlink("/etc/localtime", buf, sizeof(buf) - 1);
    if (len > 0) {
        buf[len] = '\0';
        if ((r = system_candidate(p, zone_from_path(buf))) != NULL) {
            return r;
        }
    }
    return "UTC";
}

/* Offset (seconds east) in force at UTC second s. */
static int tz_offset_secs(const am_tz_t *tz, apr_int64_t s)
{
    size_t lo, hi;

    if (!tz || tz->n == 0) {
        return tz ? tz->initial : 0;
    }
    if (s >= tz->cycle_end) {
        s -= (floor_div(s - tz->cycle_end, SECS_PER_CYCLE) + 1)
             * SECS_PER_CYCLE;
    }
    /* The first change with at > s. */
    lo = 0;
    hi = tz->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (tz->changes[mid].at <= s) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo == 0 ? tz->initial : tz->changes[lo - 1].offset;
}

int am_tz_offset_at(const am_tz_t *tz, am_time_t t)
{
    return tz_offset_secs(tz, floor_div(t, AM_TICKS_PER_SEC));
}

am_time_t am_tz_from_local(const am_tz_t *tz, const am_civil_t *c)
{
    apr_int64_t local = civil_secs(c);
    apr_int64_t ta, tb;
    int oa, ob, va, vb;

    /* The offsets a day before and a day after are the candidates; a
     * candidate is valid when the instant it gives has that offset. */
    oa = tz_offset_secs(tz, local - SECS_PER_DAY);
    ob = tz_offset_secs(tz, local + SECS_PER_DAY);
    ta = local - oa;
    tb = local - ob;
    va = tz_offset_secs(tz, ta) == oa;
    vb = tz_offset_secs(tz, tb) == ob;

    if (va && vb) {
        /* Fall-back overlap (or no change): the first occurrence. */
        local = ta < tb ? ta : tb;
    }
    else if (vb) {
        local = tb;
    }
    else {
        /* Valid before the change, or in a gap: the earlier offset. */
        local = ta;
    }
    return local * AM_TICKS_PER_SEC + c->frac;
}

void am_tz_to_local(const am_tz_t *tz, am_time_t t, am_civil_t *c,
                    int *offset)
{
    int off = am_tz_offset_at(tz, t);

    am_time_to_civil(t, off, c);
    if (c->year < 1 || c->year > 9999) {
        /* The wall clock of tz would leave years 1..9999 (the edges of
         * the range): show the instant in UTC instead. */
        off = 0;
        am_time_to_civil(t, 0, c);
    }
    if (offset) {
        *offset = off;
    }
}

/* ------------------------------------------------------------------ */
/* Wire formats.                                                        */

/* Exactly n digits at s into *v; 0 on success.  Stops at a NUL. */
static int digits(const char *s, int n, int *v)
{
    int i, r = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return 0;
}

/* "YYYY-MM-DD" at s, range checked; 0 on success. */
static int parse_date(const char *s, am_civil_t *c)
{
    if (digits(s, 4, &c->year) || s[4] != '-' || digits(s + 5, 2, &c->month)
        || s[7] != '-' || digits(s + 8, 2, &c->day)) {
        return -1;
    }
    if (c->year < 1 || c->month < 1 || c->month > 12 || c->day < 1
        || c->day > am_days_in_month(c->year, c->month)) {
        return -1;
    }
    return 0;
}

/* "HH:MM" at s, range checked; 0 on success. */
static int parse_hm(const char *s, int *h, int *m)
{
    if (digits(s, 2, h) || s[2] != ':' || digits(s + 3, 2, m)) {
        return -1;
    }
    return (*h > 23 || *m > 59) ? -1 : 0;
}

static int in_range(am_time_t t)
{
    return t >= AM_TIME_MIN && t <= AM_TIME_MAX;
}

int am_time_parse_iso(const char *s, const am_tz_t *tz, am_time_t *out)
{
    am_civil_t c;
    am_time_t t;
    int offset = 0, have_offset = 0;

    if (!s || !out) {
        return -1;
    }
    memset(&c, 0, sizeof(c));
    if (parse_date(s, &c)) {
        return -1;
    }
    s += 10;
    if (*s == 'T') {
        if (parse_hm(s + 1, &c.hour, &c.min)) {
            return -1;
        }
        s += 6;
        if (*s == ':') {
            if (digits(s + 1, 2, &c.sec) || c.sec > 59) {
                return -1;
            }
            s += 3;
            if (*s == '.') {
                int n = 0, scale = 1000000;

                s++;
                while (*s >= '0' && *s <= '9') {
                    if (++n > 7) {
                        return -1;
                    }
                    c.frac += (*s - '0') * scale;
                    scale /= 10;
                    s++;
                }
                if (n == 0) {
                    return -1;
                }
            }
        }
        if (*s == 'Z') {
            have_offset = 1;
            s++;
        }
        else if (*s == '+' || *s == '-') {
            int oh, om;

            if (digits(s + 1, 2, &oh) || s[3] != ':' || digits(s + 4, 2, &om)
                || om > 59 || oh * 60 + om > MAX_OFFSET / 60) {
                return -1;
            }
            offset = (oh * 60 + om) * 60;
            if (*s == '-') {
                offset = -offset;
            }
            have_offset = 1;
            s += 6;
        }
    }
    if (*s != '\0') {
        return -1;
    }

    t = have_offset ? am_civil_to_time(&c, offset) : am_tz_from_local(tz, &c);
    if (!in_range(t)) {
        return -1;
    }
    *out = t;
    return 0;
}

static char *put_digits(char *p, int v, int n)
{
    int i;

    for (i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

/* "YYYY-MM-DD" sep "HH:MM:SS" at p; returns the end. */
static char *put_civil(char *p, const am_civil_t *c, char sep)
{
    p = put_digits(p, c->year, 4);
    *p++ = '-';
    p = put_digits(p, c->month, 2);
    *p++ = '-';
    p = put_digits(p, c->day, 2);
    *p++ = sep;
    p = put_digits(p, c->hour, 2);
    *p++ = ':';
    p = put_digits(p, c->min, 2);
    *p++ = ':';
    return put_digits(p, c->sec, 2);
}

char *am_time_format_iso(apr_pool_t *p, am_time_t t, const am_tz_t *tz)
{
    char *buf, *e;
    am_civil_t c;
    int off, a;

    if (t < AM_TIME_MIN) {
        t = AM_TIME_MIN;
    }
    else if (t > AM_TIME_MAX) {
        t = AM_TIME_MAX;
    }
    am_tz_to_local(tz, t, &c, &off);

    /* 19 + 8 + 6 + NUL */
    buf = apr_palloc(p, 36);
    e = put_civil(buf, &c, 'T');
    if (c.frac) {
        int f = c.frac, n = 7;

        while (f % 10 == 0) {
            f /= 10;
            n--;
        }
        *e++ = '.';
        e = put_digits(e, f, n);
    }
    *e++ = off < 0 ? '-' : '+';
    a = (off < 0 ? -off : off) / 60;
    e = put_digits(e, a / 60, 2);
    *e++ = ':';
    e = put_digits(e, a % 60, 2);
    *e = '\0';
    return buf;
}

int am_time_parse_xelion(const char *s, const am_tz_t *tz, am_time_t *out)
{
    am_civil_t c;
    am_time_t t;

    if (!s || !out) {
        return -1;
    }
    memset(&c, 0, sizeof(c));
    if (parse_date(s, &c) || s[10] != ' ' || parse_hm(s + 11, &c.hour, &c.min)
        || s[16] != ':' || digits(s + 17, 2, &c.sec) || c.sec > 59
        || s[19] != '\0') {
        return -1;
    }
    t = am_tz_from_local(tz, &c);
    if (!in_range(t)) {
        return -1;
    }
    *out = t;
    return 0;
}

char *am_time_format_xelion(apr_pool_t *p, am_time_t t, const am_tz_t *tz)
{
    char *buf, *e;
    am_civil_t c;

    if (t < AM_TIME_MIN) {
        t = AM_TIME_MIN;
    }
    else if (t > AM_TIME_MAX) {
        t = AM_TIME_MAX;
    }
    am_tz_to_local(tz, t, &c, NULL);
    buf = apr_palloc(p, 20);
    e = put_civil(buf, &c, ' ');
    *e = '\0';
    return buf;
}

am_time_t am_tz_day_start(const am_tz_t *tz, am_time_t t, int days)
{
    am_civil_t c;
    am_time_t d;

    am_tz_to_local(tz, t, &c, NULL);
    c.hour = c.min = c.sec = c.frac = 0;
    d = am_civil_to_time(&c, 0);
    if (days > 0 && d > AM_TIME_MAX - (am_time_t)days * AM_TICKS_PER_DAY) {
        return AM_TIME_MAX;
    }
    d += (am_time_t)days * AM_TICKS_PER_DAY;
    am_time_to_civil(d, 0, &c);
    return am_tz_from_local(tz, &c);
}

int am_tz_is_midnight(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return !c.hour && !c.min && !c.sec && !c.frac;
}

int am_time_parse_when(const char *s, const am_tz_t *tz, am_time_t *t,
                       int *day)
{
    *day = 0;
    if (strlen(s) == 10 && !am_time_parse_iso(s, tz, t)) {
        *day = 1;
        return 0;
    }
    if (!am_time_parse_xelion(s, tz, t) || !am_time_parse_iso(s, tz, t)) {
        return 0;
    }
    return -1;
}

/* Licensed under the Apache License, Version 2.0.
 *
 * datetime.h: instants with 100 ns precision, the wire formats of the
 * dialects, and time zones (through libical's zoneinfo reader).
 *
 * An instant (am_time_t) is a count of 100 ns ticks since
 * 1970-01-01T00:00:00Z, like .NET's DateTimeOffset.UtcTicks shifted to the
 * Unix epoch.  Years 0001..9999 are representable and accepted.  Instants
 * carry no offset: output is always in a configured zone, with the offset
 * that zone has at that instant (DST-correct).
 */
#ifndef AM_DATETIME_H
#define AM_DATETIME_H

#include <apr_pools.h>

typedef apr_int64_t am_time_t;

#define AM_TICKS_PER_SEC  10000000LL
#define AM_TICKS_PER_MIN  (60LL * AM_TICKS_PER_SEC)
#define AM_TICKS_PER_DAY  (86400LL * AM_TICKS_PER_SEC)

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.9999999Z */
#define AM_TIME_MIN  (-621355968000000000LL)
#define AM_TIME_MAX  (2534023007999999999LL)

/* A broken-down wall-clock time. */
typedef struct am_civil {
    int year;       /* 1..9999 */
    int month;      /* 1..12 */
    int day;        /* 1..31 */
    int hour;       /* 0..23 */
    int min;        /* 0..59 */
    int sec;        /* 0..59 */
    int frac;       /* 0..9999999, 100 ns ticks within the second */
} am_civil_t;

/* A time zone.  Opaque; obtained once at start-up and never freed. */
typedef struct am_tz am_tz_t;

/* The zone with this IANA name ("Europe/Amsterdam", "UTC"), or NULL when
 * the name is unknown.  Call at start-up (configuration time): the result
 * is shared read-only afterwards.  "UTC" and "Etc/UTC" always work. */
const am_tz_t *am_tz_get(const char *name);

/* The zone's IANA name. */
const char *am_tz_name(const am_tz_t *tz);

/* The zone's rules as a VTIMEZONE component in iCalendar text (all of
 * its history, as libical's zoneinfo has it, under libical's TZID), taken
 * at start-up; NULL for UTC. */
const char *am_tz_vtimezone(const am_tz_t *tz);

/* The system's zone name: $TZ when it names a zone, else /etc/timezone,
 * else the target of the /etc/localtime link below .../zoneinfo/, else
 * "UTC". */
const char *am_tz_system_name(apr_pool_t *p);

/* Seconds east of UTC in force in tz at instant t. */
int am_tz_offset_at(const am_tz_t *tz, am_time_t t);

/* The instant at which the wall clock of tz shows c.  A wall time inside a
 * DST gap (spring forward) is taken with the offset in force before the
 * gap (02:30 becomes 03:30 CEST); a wall time that occurs twice (fall
 * back) is the first of the two (the DST one). */
am_time_t am_tz_from_local(const am_tz_t *tz, const am_civil_t *c);

/* Wall clock of tz at instant t, and the offset (seconds east) used. */
void am_tz_to_local(const am_tz_t *tz, am_time_t t, am_civil_t *c,
                    int *offset);

/* Pure calendar arithmetic, no zone: instant <-> civil time at a fixed
 * offset (seconds east of UTC). */
am_time_t am_civil_to_time(const am_civil_t *c, int offset);
void am_time_to_civil(am_time_t t, int offset, am_civil_t *c);

/* A date or date-time of a query: "YYYY-MM-DD" (that day's midnight in
 * tz, *day = 1), "YYYY-MM-DD HH:MM:SS" (Xelion's) or ISO 8601.  0, or -1
 * when s is none of them. */
int am_time_parse_when(const char *s, const am_tz_t *tz, am_time_t *t,
                       int *day);

/* Local midnight of the day of t in tz, days days later (AM_TIME_MAX
 * when that is beyond the range), and whether t is a local midnight. */
am_time_t am_tz_day_start(const am_tz_t *tz, am_time_t t, int days);
int am_tz_is_midnight(const am_tz_t *tz, am_time_t t);

/* Days in the month (1..12) of year; 0 for a bad month. */
int am_days_in_month(int year, int month);
/* Day of the week of a civil date: 0 = Sunday .. 6 = Saturday. */
int am_weekday(int year, int month, int day);

/* Parses the ISO 8601 forms .NET and Json.NET produce and accept:
 *   YYYY-MM-DDTHH:MM[:SS[.F{1,7}]][Z|+HH:MM|-HH:MM]
 *   YYYY-MM-DD                       (midnight)
 * A form without offset or Z is wall time in tz.  Fields are range
 * checked (month 1..12, day within the month, hour 0..23, minute and
 * second 0..59, offset within +-14:00).  Returns 0 and sets *out, or -1. */
int am_time_parse_iso(const char *s, const am_tz_t *tz, am_time_t *out);

/* Formats t in tz in Json.NET's round-trip form:
 * "2026-05-26T23:13:00.1670516+02:00"; trailing zeros of the fraction are
 * dropped and a zero fraction is omitted ("2026-05-26T23:13:00+02:00"),
 * so both the 7-digit and the 6-digit samples of the seeds round-trip.
 * The offset is always +HH:MM / -HH:MM (never Z). */
char *am_time_format_iso(apr_pool_t *p, am_time_t t, const am_tz_t *tz);

/* Xelion's "YYYY-MM-DD HH:MM:SS", wall time in tz. */
int am_time_parse_xelion(const char *s, const am_tz_t *tz, am_time_t *out);
char *am_time_format_xelion(apr_pool_t *p, am_time_t t, const am_tz_t *tz);

#endif /* AM_DATETIME_H */

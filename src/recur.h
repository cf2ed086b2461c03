/* Licensed under the Apache License, Version 2.0.
 *
 * recur.h: the one canonical recurrence rule of the core, its PlanCare2
 * RecurrenceInfo mapping, its stored text form, its expansion into
 * occurrences (libical's RRULE iterator, in the wall clock of the
 * configured zone), the merge with stored exceptions, and its friendly
 * text.  docs/recurrence.md describes the semantics for users.
 *
 * The rule follows DevExpress XtraScheduler's RecurrenceInfo (the model
 * PlanCare2 exposes); Xelion's recurrence fields map onto it as well:
 *
 *   Xelion                          am_rule_t
 *   recurrenceType daily..yearly    type AM_RECUR_DAILY..AM_RECUR_YEARLY
 *   recurrenceInterval              periodicity
 *   monday..sunday                  weekdays (AM_WD_* flags)
 *   monthRecurrenceType             week_of_month == 0 (by day number) or
 *                                   1..5 (by weekday; day_number unused)
 *   recurrenceTerminationType       range (recurrenceCount -> AM_RANGE_COUNT,
 *                                   a date -> AM_RANGE_END_BY_DATE)
 *   recurrenceCount                 count
 *   firstRecurrenceDate             start (the appointment's start)
 *   recurrenceTerminationDate /
 *   lastRecurrenceDate              end
 *
 * Semantics, decided here (and in docs/recurrence.md):
 *
 * - Occurrences are the dates the pattern matches on or after the series
 *   start, at the start's wall-clock time of day in the configured zone
 *   (a weekly 09:00 Europe/Amsterdam series stays 09:00 local across DST;
 *   the instants and output offsets change with it).  The start itself is
 *   an occurrence only when the pattern matches it (DevExpress, RFC 5545
 *   "synchronised" DTSTART).  A wall time in a DST gap moves forward
 *   (02:30 -> 03:30 CEST); a wall time that occurs twice is the first.
 * - OccurrenceIndex is the 0-based position in that sequence.
 * - Daily: every `periodicity' days; with weekdays == AM_WD_WORKDAYS (62)
 *   exactly, every working day (Monday to Friday; periodicity is then
 *   not used, as in DevExpress's "every weekday").  Other weekdays values
 *   are kept but do not change a daily rule.
 * - Weekly: the weekdays of every `periodicity'-th week; weeks start on
 *   Monday (RRULE WKST=MO) and are counted from the week of the start.
 * - Monthly / Yearly with week_of_month == 0: day `day_number' of the
 *   month (Yearly: of `month'); a day beyond the month's length falls on
 *   its last day, never skipped (day 31 -> April 30, February 29 ->
 *   February 28 in common years).
 * - Monthly / Yearly with week_of_month 1..4 / 5 (Last): the n-th / last
 *   day of the month that is one of `weekdays' (WorkDays: the n-th working
 *   day; EveryDay with Last: the month's last day).
 * - Each occurrence lasts the pattern's wall-clock duration: a 23:00-07:00
 *   night shift ends at 07:00 local also on the nights DST changes (7 or
 *   9 hours then).
 * - AM_RANGE_END_BY_DATE: occurrences that start on or before the calendar
 *   day (in the zone) of `end' belong to the series; end's time of day
 *   does not matter (DevExpress's "End by" date is inclusive).
 * - Every date .NET allows: series may start from 0001-01-01 (in the
 *   zone) and have occurrences up to the last day whose occurrence still
 *   ends by 9999-12-31T23:59:59.9999999 UTC (AM_TIME_MAX).  libical
 *   3.0.16 expands within the Gregorian years it gets right
 *   (AM_RECUR_LIBICAL_FIRST_YEAR 1583 .. AM_RECUR_MAX_YEAR 2582: its
 *   calendar is Julian before October 1582, as ICU's, and it stops after
 *   2582); series that start earlier and ranges that reach later are
 *   expanded by the arithmetic path (kth_day), which the unit tests check
 *   libical against over random rules of every era.
 *
 * Everything here is reentrant: no global state, libical objects are
 * created and freed within each call.
 */
#ifndef AM_RECUR_H
#define AM_RECUR_H

#include "am.h"
#include "datetime.h"
#include "fields.h"
#include "model.h"

/* Recurrence type: DevExpress RecurrenceType / PlanCare2 "Interval". */
#define AM_RECUR_DAILY    0
#define AM_RECUR_WEEKLY   1
#define AM_RECUR_MONTHLY  2
#define AM_RECUR_YEARLY   3

/* Range: DevExpress RecurrenceRange. */
#define AM_RANGE_NO_END       0
#define AM_RANGE_COUNT        1
#define AM_RANGE_END_BY_DATE  2

/* WeekDays flags: DevExpress WeekDays. */
#define AM_WD_SUNDAY     1
#define AM_WD_MONDAY     2
#define AM_WD_TUESDAY    4
#define AM_WD_WEDNESDAY  8
#define AM_WD_THURSDAY   16
#define AM_WD_FRIDAY     32
#define AM_WD_SATURDAY   64
#define AM_WD_WORKDAYS   62
#define AM_WD_WEEKEND    65
#define AM_WD_EVERYDAY   127

/* WeekOfMonth: DevExpress WeekOfMonth. */
#define AM_WOM_NONE  0
#define AM_WOM_LAST  5          /* 1..4 = First..Fourth */

#define AM_RECUR_MAX_COUNT        100000  /* OccurrenceCount cap */
#define AM_RECUR_MAX_PERIODICITY  999     /* Periodicity cap */
#define AM_RECUR_DEFAULT_MAX      5000    /* AppointmentsMaxOccurrences */
#define AM_RECUR_MAX_YEAR         2582    /* libical's last year */
#define AM_RECUR_LAST_YEAR        9999    /* .NET's last year */
#define AM_RECUR_LIBICAL_FIRST_YEAR 1583  /* the first whole Gregorian
                                           * year of libical (ICU) */

typedef struct am_rule {
    int type;               /* AM_RECUR_* */
    int periodicity;        /* every n-th day/week/month/year, >= 1 */
    int weekdays;           /* AM_WD_* flags, 0..127 */
    int day_number;         /* 1..31 where used, else kept as given */
    int week_of_month;      /* AM_WOM_NONE, 1..4, AM_WOM_LAST */
    int month;              /* 1..12 where used (Yearly), else as given */
    int range;              /* AM_RANGE_* */
    int count;              /* AM_RANGE_COUNT: 1..AM_RECUR_MAX_COUNT */
    am_time_t end;          /* RecurrenceEnd as given (the start when
                             * none was given); AM_RANGE_END_BY_DATE: its
                             * day in the zone is the series' last day */
    am_time_t start;        /* series start = the appointment's Start */
    am_time_t duration;     /* wall-clock length of each occurrence, in
                             * ticks (local End minus local Start) */
} am_rule_t;

/* One occurrence.  exc is NULL for a plain occurrence and points at the
 * caller's exception for a changed one (whose start/end are copied
 * here). */
typedef struct am_occurrence {
    int index;              /* OccurrenceIndex, 0-based */
    am_time_t start;
    am_time_t end;
    const am_exception_t *exc;
} am_occurrence_t;

/* Error keys for am_rule_check: the wire names of the fields of a
 * dialect, each a complete key ("RecurrenceInfo.DayNumber").  A NULL key
 * falls back to the PlanCare2 name without prefix. */
typedef struct am_rule_keys {
    const char *type;           /* Interval */
    const char *periodicity;    /* Periodicity */
    const char *weekdays;       /* WeekDays */
    const char *day_number;     /* DayNumber */
    const char *week_of_month;  /* WeekOfMonth */
    const char *month;          /* Month */
    const char *range;          /* Range */
    const char *count;          /* OccurrenceCount */
    const char *end;            /* RecurrenceEnd */
    const char *start;          /* RecurrenceStart */
    const char *duration;       /* End (the appointment's) */
} am_rule_keys_t;

/* Validates a rule built by a dialect mapping: every value in range,
 * WeekDays non-empty where the shape uses it, DayNumber 1..31 and Month
 * 1..12 where used, OccurrenceCount 1..AM_RECUR_MAX_COUNT for
 * AM_RANGE_COUNT, end's day not before start's day for
 * AM_RANGE_END_BY_DATE, duration >= 0, start (in the zone) not before
 * 0001-01-01.  Values the shape does not use (DayNumber of a weekly
 * rule) are kept as given, and am_rule_parse reads them back.  Each
 * problem is added to *err (created as 400 "The
 * request is invalid." when NULL) under the key from keys (NULL keys =
 * PlanCare2 names).  Returns 0 when valid, -1 otherwise. */
int am_rule_check(apr_pool_t *p, const am_rule_t *rule, const am_tz_t *tz,
                  const am_rule_keys_t *keys, am_err_t **err);

/* A rule from a PlanCare2 RecurrenceInfo object (fields looked up by
 * name, so a table with a WeekOfMonth field is read too; absent or null
 * fields take DevExpress's defaults: Daily, Periodicity 1, NoEndDate,
 * WeekDays 0, DayNumber 1, Month 1, OccurrenceCount 1, WeekOfMonth None,
 * RecurrenceStart = appt_start, RecurrenceEnd = RecurrenceStart).
 * RecurrenceStart, when given, must equal appt_start; appt_end - appt_start
 * gives the duration.  Errors are keyed key_prefix + "." + field name
 * (key_prefix "RecurrenceInfo"; NULL or "" = bare names); a negative
 * duration is keyed "End".  Returns 0 and sets *out, or -1 with *err
 * filled as for am_rule_check. */
int am_rule_from_obj(apr_pool_t *p, const am_obj_t *recurrence_info,
                     am_time_t appt_start, am_time_t appt_end,
                     const am_tz_t *tz, const char *key_prefix,
                     am_err_t **err, am_rule_t **out);

/* The rule as an object of type `type' (normally &am_pc2_recurrence_info):
 * RecurrenceStart = start, RecurrenceEnd = end, and every other field as
 * stored, so that what am_rule_from_obj read comes back unchanged.
 * WeekOfMonth is set only when the type has such a field. */
am_obj_t *am_rule_to_obj(apr_pool_t *p, const am_rule_t *rule,
                         const am_type_t *type, const am_tz_t *tz);

/* The RFC 5545 RRULE value of the rule ("FREQ=WEEKLY;INTERVAL=2;WKST=MO;
 * BYDAY=MO,WE;COUNT=10"), for iCalendar output with DTSTART;TZID= the
 * zone.  AM_RANGE_END_BY_DATE gives UNTIL as the UTC instant of the last
 * second of the end day.  Note: RFC 5545 counts DTSTART as an occurrence
 * even when the rule does not match it; exporters should use the first
 * occurrence as DTSTART. */
const char *am_rule_rrule(apr_pool_t *p, const am_rule_t *rule,
                          const am_tz_t *tz);

/* The stored text form: three lines separated by "\n",
 *   DTSTART;TZID=Europe/Amsterdam:20260105T090000
 *   RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=MO,WE;COUNT=10
 *   X-AM-RULE:V=1;TYPE=WEEKLY;PERIODICITY=2;WEEKDAYS=10;...
 * The X-AM-RULE line alone is authoritative (instants as 100 ns ticks, so
 * nothing depends on the zone or on rounding); DTSTART and RRULE are
 * derived, informative copies for people and iCalendar export. */
char *am_rule_format(apr_pool_t *p, const am_rule_t *rule,
                     const am_tz_t *tz);

/* Reads the text of am_rule_format back.  Strict: unknown or duplicate
 * keys, a missing key, a value out of range or a rule am_rule_check would
 * refuse give a 500 error ("The stored recurrence rule is invalid: ..."),
 * never a crash.  \r\n line ends are accepted. */
am_err_t *am_rule_parse(apr_pool_t *p, const char *text, am_rule_t **out);

/* Whether the stored exceptions of a series, which name occurrences by
 * position, no longer fit when its rule text before becomes after (NULL:
 * no recurrence): another pattern or start, or no series any more.  A
 * new count or end date keeps them (indexes beyond the new end are
 * ignored, see am_occ_merge).  A single appointment that becomes a
 * series counts as changed (it has no exceptions to keep). */
int am_rule_pattern_changed(apr_pool_t *p, const char *before,
                            const char *after);

/* The end of the last occurrence, for indexing a series by its span:
 * AM_TIME_MAX for AM_RANGE_NO_END, else the end of the last occurrence
 * (of the last one that ends by AM_TIME_MAX when the count or end date
 * lies beyond it), or rule->start when the series has no
 * occurrence at all (an end date before the first match). */
am_time_t am_rule_last_end(const am_rule_t *rule, const am_tz_t *tz);

/* Number of occurrences of the series, -1 when unbounded. */
int am_rule_count(const am_rule_t *rule, const am_tz_t *tz);

/* Occurrence `index' of the series (its pattern time; exceptions are the
 * caller's), found without walking: the date of occurrence `index' is
 * computed, then libical confirms it.  Returns 1 and fills *out (exc
 * NULL), or 0 when the series has no such occurrence (index < 0, beyond
 * the count or the end date, or it would end after AM_TIME_MAX). */
int am_rule_occurrence_at(const am_rule_t *rule, const am_tz_t *tz,
                          int index, am_occurrence_t *out);

/* Occurrences in [from, until) into *out (array of am_occurrence_t, by
 * start), allocated from p.  by_overlap: an occurrence is in the range
 * when it overlaps it (start < until and end > from; a zero-length one
 * when from <= start < until), so one that began before `from' and still
 * runs is included; else when from <= start < until.  Cost: the iterator
 * seeks to the range (no walk from the series start), the index of the
 * first occurrence is computed arithmetically.  More than max
 * occurrences (max <= 0: AM_RECUR_DEFAULT_MAX) is a 400 error naming the
 * limit; *out then holds the first max.  Returns NULL on success. */
am_err_t *am_rule_expand(apr_pool_t *p, const am_rule_t *rule,
                         const am_tz_t *tz, am_time_t from, am_time_t until,
                         int max, int by_overlap, apr_array_header_t **out);

/* am_rule_expand with flags, for the tests and the bench:
 * AM_EXPAND_WALK iterates from the series start and counts indexes (the
 * slow reference path) instead of seeking.  AM_EXPAND_ARITH takes the
 * dates from recur.c's own calendar arithmetic instead of libical (same
 * results, checked by the tests; about 25x cheaper per occurrence,
 * because Debian's libical 3.0.16 steps through ICU calendars: see
 * docs/recurrence.md).  Not the default. */
#define AM_EXPAND_WALK   0x01
#define AM_EXPAND_ARITH  0x02
am_err_t *am_rule_expand_ex(apr_pool_t *p, const am_rule_t *rule,
                            const am_tz_t *tz, am_time_t from,
                            am_time_t until, int max, int by_overlap,
                            unsigned flags, apr_array_header_t **out);

/* Merges stored exceptions (array of am_exception_t, all those of the
 * series, any order) into expanded occurrences `occ' of the range [from,
 * until) (by_overlap as for am_rule_expand): a deleted index is left
 * out; a changed index takes the exception's start and end and is kept
 * when that new time is in the range, whether or not its original time
 * was (so a changed occurrence moved into the range appears).  Exceptions
 * with an index outside 0..total-1 (total = am_rule_count; -1 =
 * unbounded) are ignored; for two with the same index the later one
 * wins.  *out is a new array sorted by start, then index. */
am_err_t *am_occ_merge(apr_pool_t *p, const apr_array_header_t *occ,
                       const apr_array_header_t *exceptions, int total,
                       am_time_t from, am_time_t until, int by_overlap,
                       apr_array_header_t **out);

/* am_rule_expand, then am_occ_merge with am_rule_count: the occurrences
 * of a stored series in a range.  exceptions may be NULL. */
am_err_t *am_rule_occurrences(apr_pool_t *p, const am_rule_t *rule,
                              const am_tz_t *tz, am_time_t from,
                              am_time_t until, int max, int by_overlap,
                              const apr_array_header_t *exceptions,
                              apr_array_header_t **out);

/* FriendlyRecurrenceInfo: "Occurs every 2 weeks on Monday and Wednesday,
 * 10 times", "Occurs every working day until 31-12-2026".  The style is
 * documented in docs/recurrence.md. */
const char *am_rule_friendly(apr_pool_t *p, const am_rule_t *rule,
                             const am_tz_t *tz);

/* ------------------------------------------------------------------
 * Xelion's recurrence members of XCCAppointment (read and written by
 * name, as the PlanCare2 mapping reads RecurrenceInfo).  The value lists
 * are the field tables' string enumerations.
 */
extern const am_enum_t am_xel_recurrence_types;  /* daily..yearly:
                                                  * AM_RECUR_*; "none" */
extern const am_enum_t am_xel_termination_types; /* AM_RANGE_* */
extern const am_enum_t am_xel_month_types;       /* dayOfMonth, dayOfWeek */

/* What an XCCAppointment says of its recurrence. */
typedef struct am_xel_recur {
    int recurring;
    int type;                   /* AM_RECUR_* */
    int interval;               /* 0 = not given (1) */
    int range;                  /* AM_RANGE_* */
    int count;                  /* 0 = not given */
    int by_weekday;             /* monthRecurrenceType dayOfWeek */
    int weekdays;               /* monday..sunday as AM_WD_* flags */
    int has_term_date;
    am_time_t term_date;
    int has_first;              /* firstRecurrenceDate */
    am_time_t first;
    int has_last;               /* lastRecurrenceDate */
    am_time_t last;
} am_xel_recur_t;

/* Reads the recurrence members of o (any table with them) into *x;
 * problems are added to *err, keyed by member name.  recurrenceType
 * makes a series (isRecurrence false says it is none all the same). */
void am_xel_recur_read(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                       am_xel_recur_t *x, am_err_t **err);

/* firstRecurrenceDate moves a series to that day: the time of day and
 * the duration stay. */
void am_xel_recur_move(const am_tz_t *tz, const am_xel_recur_t *x,
                       am_time_t *start, am_time_t *end);

/* The canonical rule of x (recurring) for an appointment from start to
 * end (final).  stored and stored_start: the rule and start read before,
 * for a change (NULL for a new one): what Xelion does not say (a
 * PlanCare2 DayNumber for the same start, a count another range keeps,
 * an end by date on the same day) stays.  NULL with *err set when the
 * rule is invalid. */
am_rule_t *am_rule_from_xelion(apr_pool_t *p, const am_tz_t *tz,
                               const am_xel_recur_t *x, am_time_t start,
                               am_time_t end, const am_rule_t *stored,
                               am_time_t stored_start, am_err_t **err);

/* Sets the recurrence members of o from rule (NULL: isRecurrence false,
 * the others left unset); last_end is the end of the last occurrence
 * (AM_TIME_MAX for none). */
void am_rule_to_xelion(apr_pool_t *p, const am_rule_t *rule,
                       am_time_t last_end, const am_tz_t *tz, am_obj_t *o);

#endif /* AM_RECUR_H */

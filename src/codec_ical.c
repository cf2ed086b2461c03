/* Licensed under the Apache License, Version 2.0.
 *
 * codec_ical.c: appointments as iCalendar (RFC 5545), for calendar
 * programs (Accept: text/calendar, and the feeds), written with libical.
 *
 * One VEVENT per appointment: UID = its GUID (stable), DTSTAMP = when it
 * was last changed, SEQUENCE = version - 1, STATUS:CANCELLED when it is
 * cancelled.  Single appointments are in UTC; all-day ones are dates, the
 * DTEND being the day after the last day (RFC 5545, 3.6.1: exclusive).
 * A series has DTSTART/DTEND of its first occurrence in the configured
 * zone (TZID = the zone's plain IANA name), or as dates when it is
 * all-day; its RRULE; an EXDATE per deleted occurrence and one VEVENT
 * with a RECURRENCE-ID per changed occurrence.
 *
 * Where a property names the zone, the calendar carries one VTIMEZONE
 * under that name with only the rules in force over those times
 * (libical's icaltimezone_truncate_vtimezone), not the zone's whole
 * history: old rules with UNTIL in local time are refused by some
 * parsers, and every answer would carry kilobytes of them.  libical
 * folds lines at 75 octets and ends them with CRLF.
 */
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "codec_ical.h"
#include "recur.h"

#define AM_PRODID "-//mod_appointments//mod_appointments//EN"

/* What one encoding needs to know besides the events. */
typedef struct ical_ctx {
    apr_pool_t *p;
    const am_tz_t *tz;
    int zoned;                  /* a property names the zone */
    am_time_t lo, hi;           /* the span of the zoned times */
    int open_end;               /* a zoned series without end */
} ical_ctx_t;

static int is_utc(const am_tz_t *tz)
{
    return !strcmp(am_tz_name(tz), "UTC");
}

/* t in UTC. */
static struct icaltimetype utc_time(am_time_t t)
{
    struct icaltimetype tt = icaltime_null_time();
    am_civil_t c;

    am_time_to_civil(t, 0, &c);
    tt.year = c.year;
    tt.month = c.month;
    tt.day = c.day;
    tt.hour = c.hour;
    tt.minute = c.min;
    tt.second = c.sec;
    tt.zone = icaltimezone_get_utc_timezone();
    return tt;
}

/* The wall time of t in tz, or its date. */
static struct icaltimetype local_time(am_time_t t, const am_tz_t *tz,
                                      int date)
{
    struct icaltimetype tt = icaltime_null_time();
    am_civil_t c;
    int off = 0;

    am_tz_to_local(tz, t, &c, &off);
    tt.year = c.year;
    tt.month = c.month;
    tt.day = c.day;
    if (date) {
        tt.is_date = 1;
    }
    else {
        tt.hour = c.hour;
        tt.minute = c.min;
        tt.second = c.sec;
    }
    return tt;
}

/* A property of time t in the zone (TZID), or in UTC when the zone is
 * UTC; the zone's span grows to t. */
static icalproperty *zoned_prop(ical_ctx_t *x,
                                icalproperty *(*make)(struct icaltimetype),
                                am_time_t t)
{
    icalproperty *prop;

    if (is_utc(x->tz)) {
        return make(utc_time(t));
    }
    prop = make(local_time(t, x->tz, 0));
    icalproperty_add_parameter(prop,
                               icalparameter_new_tzid(am_tz_name(x->tz)));
    if (!x->zoned || t < x->lo) {
        x->lo = t;
    }
    if (!x->zoned || t > x->hi) {
        x->hi = t;
    }
    x->zoned = 1;
    return prop;
}

/* The days of an all-day appointment [start, end): from the date of
 * start to the day after the date of its last instant (an end at
 * midnight belongs to the day before), at least one day. */
static void day_span(const am_tz_t *tz, am_time_t start, am_time_t end,
                     struct icaltimetype *s, struct icaltimetype *e)
{
    *s = local_time(start, tz, 1);
    *e = local_time(end > start ? end - 1 : start, tz, 1);
    icaltime_adjust(e, 1, 0, 0, 0);
    if (icaltime_compare_date_only(*e, *s) <= 0) {
        *e = *s;
        icaltime_adjust(e, 1, 0, 0, 0);
    }
}

/* DTSTART and DTEND of [start, end): dates when all-day, else zoned
 * (series) or UTC. */
static void add_times(ical_ctx_t *x, icalcomponent *ev, am_time_t start,
                      am_time_t end, int all_day, int zoned)
{
    if (all_day) {
        struct icaltimetype s, e;

        day_span(x->tz, start, end, &s, &e);
        icalcomponent_add_property(ev, icalproperty_new_dtstart(s));
        icalcomponent_add_property(ev, icalproperty_new_dtend(e));
    }
    else if (zoned) {
        icalcomponent_add_property(ev, zoned_prop(x, icalproperty_new_dtstart,
                                                  start));
        icalcomponent_add_property(ev, zoned_prop(x, icalproperty_new_dtend,
                                                  end > start ? end
                                                              : start));
    }
    else {
        icalcomponent_add_property(ev, icalproperty_new_dtstart(
            utc_time(start)));
        icalcomponent_add_property(ev, icalproperty_new_dtend(
            utc_time(end > start ? end : start)));
    }
}

/* An occurrence's original time (RECURRENCE-ID, EXDATE): its date in an
 * all-day series, else zoned. */
static icalproperty *occ_prop(ical_ctx_t *x,
                              icalproperty *(*make)(struct icaltimetype),
                              am_time_t t, int all_day)
{
    if (all_day) {
        return make(local_time(t, x->tz, 1));
    }
    return zoned_prop(x, make, t);
}

static void add_texts(icalcomponent *ev, const char *title,
                      const char *location, const char *remarks)
{
    if (title) {
        icalcomponent_add_property(ev, icalproperty_new_summary(title));
    }
    if (location) {
        icalcomponent_add_property(ev, icalproperty_new_location(location));
    }
    if (remarks) {
        icalcomponent_add_property(ev,
                                   icalproperty_new_description(remarks));
    }
}

static icalcomponent *new_event(const am_appt_t *a)
{
    icalcomponent *ev = icalcomponent_new_vevent();
    am_time_t stamp = a->updated_at ? a->updated_at
                      : a->created_at ? a->created_at : a->start;

    icalcomponent_add_property(ev, icalproperty_new_uid(a->uid ? a->uid
                                                        : ""));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(
        utc_time(stamp)));
    icalcomponent_add_property(ev, icalproperty_new_sequence(
        (int)(a->version > 0 ? a->version - 1 : 0)));
    if (a->status == AM_STATUS_CANCELLED) {
        icalcomponent_add_property(ev, icalproperty_new_status(
            ICAL_STATUS_CANCELLED));
    }
    return ev;
}

/* A series: DTSTART at its first occurrence (RFC 5545 counts DTSTART as
 * one), RRULE (UNTIL a date when the series is all-day, as DTSTART),
 * EXDATEs and the changed occurrences. */
static void add_series(ical_ctx_t *x, apr_array_header_t *events,
                       const am_appt_t *a, const am_rule_t *rule)
{
    icalcomponent *ev = new_event(a);
    struct icalrecurrencetype rec;
    am_occurrence_t first;
    int i;

    if (!am_rule_occurrence_at(rule, x->tz, 0, &first)) {
        first.start = a->start;
        first.end = a->end;
    }
    add_times(x, ev, first.start, first.end, a->all_day, 1);
    rec = icalrecurrencetype_from_string(am_rule_rrule(x->p, rule, x->tz));
    if (a->all_day && !icaltime_is_null_time(rec.until)) {
        rec.until = local_time(rule->end, x->tz, 1);
    }
    icalcomponent_add_property(ev, icalproperty_new_rrule(rec));
    if (!a->all_day && !is_utc(x->tz)) {
        am_time_t last = am_rule_last_end(rule, x->tz);

        if (last == AM_TIME_MAX) {
            x->open_end = 1;
        }
        else if (last > x->hi) {
            x->hi = last;
        }
    }
    add_texts(ev, a->title, a->location, a->remarks);
    APR_ARRAY_PUSH(events, icalcomponent *) = ev;

    for (i = 0; a->exceptions && i < a->exceptions->nelts; i++) {
        const am_exception_t *xc = &APR_ARRAY_IDX(a->exceptions, i,
                                                  am_exception_t);
        am_occurrence_t orig;
        icalcomponent *ov;
        am_time_t s, e;

        if (!am_rule_occurrence_at(rule, x->tz, xc->index, &orig)) {
            continue;
        }
        if (xc->deleted) {
            icalcomponent_add_property(ev, occ_prop(x,
                icalproperty_new_exdate, orig.start, a->all_day));
            continue;
        }
        ov = new_event(a);
        icalcomponent_add_property(ov, occ_prop(x,
            icalproperty_new_recurrenceid, orig.start, a->all_day));
        /* No times of its own: the pattern's. */
        s = (xc->start || xc->end) ? xc->start : orig.start;
        e = (xc->start || xc->end) ? xc->end : orig.end;
        add_times(x, ov, s, e, a->all_day, 0);
        add_texts(ov, xc->title ? xc->title : a->title,
                  xc->location ? xc->location : a->location,
                  xc->remarks ? xc->remarks : a->remarks);
        APR_ARRAY_PUSH(events, icalcomponent *) = ov;
    }
}

static void add_single(ical_ctx_t *x, apr_array_header_t *events,
                       const am_appt_t *a)
{
    icalcomponent *ev = new_event(a);

    add_times(x, ev, a->start, a->end, a->all_day, 0);
    add_texts(ev, a->title, a->location, a->remarks);
    APR_ARRAY_PUSH(events, icalcomponent *) = ev;
}

/* The zone's VTIMEZONE under its plain name, with the rules in force
 * from a day before the earliest zoned time to a day after the latest
 * (to the end of the rules when a series has no end). */
static icalcomponent *vtimezone(const ical_ctx_t *x)
{
    const char *text = am_tz_vtimezone(x->tz);
    icalcomponent *vtz;
    icalproperty *id;
    struct icaltimetype start, end = icaltime_null_time();

    if (!text || !(vtz = icalparser_parse_string(text))) {
        return NULL;
    }
    if (icalcomponent_isa(vtz) != ICAL_VTIMEZONE_COMPONENT) {
        icalcomponent_free(vtz);
        return NULL;
    }
    start = utc_time(x->lo - AM_TICKS_PER_DAY);
    if (!x->open_end) {
        end = utc_time(x->hi + AM_TICKS_PER_DAY);
    }
    icaltimezone_truncate_vtimezone(vtz, start, end, 0);
    id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
    if (id) {
        icalproperty_set_tzid(id, am_tz_name(x->tz));
    }
    else {
        icalcomponent_add_property(vtz,
                                   icalproperty_new_tzid(am_tz_name(x->tz)));
    }
    return vtz;
}

char *am_ical_encode(apr_pool_t *p, const apr_array_header_t *appts,
                     const am_tz_t *tz, apr_size_t *len)
{
    return am_ical_encode_named(p, appts, tz, NULL, len);
}

char *am_ical_encode_named(apr_pool_t *p, const apr_array_header_t *appts,
                           const am_tz_t *tz, const char *name,
                           apr_size_t *len)
{
    icalcomponent *cal = icalcomponent_new_vcalendar();
    apr_array_header_t *events = apr_array_make(p, appts->nelts + 1,
                                                sizeof(icalcomponent *));
    ical_ctx_t x;
    char *text, *out;
    int i;

    memset(&x, 0, sizeof(x));
    x.p = p;
    x.tz = tz;
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid(AM_PRODID));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    if (name) {
        /* The name calendar programs show for a subscription. */
        icalproperty *xn = icalproperty_new_x(name);

        icalproperty_set_x_name(xn, "X-WR-CALNAME");
        icalcomponent_add_property(cal, xn);
    }
    for (i = 0; i < appts->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(appts, i, const am_appt_t *);
        am_rule_t *rule = NULL;

        if (a->rule && am_rule_parse(p, a->rule, &rule) == NULL) {
            add_series(&x, events, a, rule);
        }
        else {
            add_single(&x, events, a);
        }
    }
    if (x.zoned) {
        icalcomponent *vtz = vtimezone(&x);

        if (vtz) {
            icalcomponent_add_component(cal, vtz);
        }
    }
    for (i = 0; i < events->nelts; i++) {
        icalcomponent_add_component(cal, APR_ARRAY_IDX(events, i,
                                                       icalcomponent *));
    }
    text = icalcomponent_as_ical_string_r(cal);
    out = apr_pstrdup(p, text ? text : "");
    free(text);
    icalcomponent_free(cal);
    *len = strlen(out);
    return out;
}

/* Licensed under the Apache License, Version 2.0.
 *
 * codec_ical.c: appointments as iCalendar (RFC 5545), for calendar
 * programs (Accept: text/calendar), written with libical.
 *
 * One VEVENT per appointment (UID = its GUID, SEQUENCE = version - 1);
 * single appointments in UTC, all-day ones as dates; a series with
 * DTSTART/DTEND in the configured zone (TZID, with its VTIMEZONE), its
 * RRULE, an EXDATE per deleted occurrence and one VEVENT with a
 * RECURRENCE-ID per changed occurrence.
 */
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "codec_ical.h"
#include "recur.h"

#define AM_PRODID "-//mod_appointments//mod_appointments//EN"

/* t as an icaltimetype: UTC, or wall time in tz (floating: the caller
 * adds the TZID), or the date of its wall time. */
enum { AS_UTC, AS_LOCAL, AS_DATE };

static struct icaltimetype ical_time(am_time_t t, const am_tz_t *tz,
                                     int as)
{
    struct icaltimetype tt = icaltime_null_time();
    am_civil_t c;
    int off = 0;

    if (as == AS_UTC) {
        am_time_to_civil(t, 0, &c);
    }
    else {
        am_tz_to_local(tz, t, &c, &off);
    }
    tt.year = c.year;
    tt.month = c.month;
    tt.day = c.day;
    if (as == AS_DATE) {
        tt.is_date = 1;
    }
    else {
        tt.hour = c.hour;
        tt.minute = c.min;
        tt.second = c.sec;
    }
    if (as == AS_UTC) {
        tt.zone = icaltimezone_get_utc_timezone();
    }
    return tt;
}

/* A DTSTART/DTEND/RECURRENCE-ID/EXDATE property in the zone. */
static icalproperty *zoned(icalproperty *prop, const am_tz_t *tz)
{
    icalproperty_add_parameter(prop, icalparameter_new_tzid(am_tz_name(tz)));
    return prop;
}

static int is_utc(const am_tz_t *tz)
{
    return !strcmp(am_tz_name(tz), "UTC");
}

static icalproperty *time_prop(icalproperty *(*make)(struct icaltimetype),
                               am_time_t t, const am_tz_t *tz, int local)
{
    if (!local || is_utc(tz)) {
        return make(ical_time(t, tz, AS_UTC));
    }
    return zoned(make(ical_time(t, tz, AS_LOCAL)), tz);
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

static icalcomponent *new_event(const am_appt_t *a, const am_tz_t *tz)
{
    icalcomponent *ev = icalcomponent_new_vevent();

    icalcomponent_add_property(ev, icalproperty_new_uid(a->uid ? a->uid
                                                        : ""));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(
        ical_time(a->updated_at ? a->updated_at : a->start, tz, AS_UTC)));
    icalcomponent_add_property(ev, icalproperty_new_sequence(
        (int)(a->version > 0 ? a->version - 1 : 0)));
    if (a->status == AM_STATUS_CANCELLED) {
        icalcomponent_add_property(ev, icalproperty_new_status(
            ICAL_STATUS_CANCELLED));
    }
    return ev;
}

/* A series: DTSTART at its first occurrence (RFC 5545 counts DTSTART as
 * one), RRULE, EXDATEs and the changed occurrences. */
static void add_series(apr_pool_t *p, icalcomponent *cal,
                       const am_appt_t *a, const am_rule_t *rule,
                       const am_tz_t *tz)
{
    icalcomponent *ev = new_event(a, tz);
    am_occurrence_t first;
    const char *rr;
    int i;

    if (!am_rule_occurrence_at(rule, tz, 0, &first)) {
        first.start = a->start;
        first.end = a->end;
    }
    icalcomponent_add_property(ev, time_prop(icalproperty_new_dtstart,
                                             first.start, tz, 1));
    icalcomponent_add_property(ev, time_prop(icalproperty_new_dtend,
                                             first.end, tz, 1));
    rr = am_rule_rrule(p, rule, tz);
    icalcomponent_add_property(ev, icalproperty_new_rrule(
        icalrecurrencetype_from_string(rr)));
    add_texts(ev, a->title, a->location, a->remarks);
    icalcomponent_add_component(cal, ev);

    for (i = 0; a->exceptions && i < a->exceptions->nelts; i++) {
        const am_exception_t *x = &APR_ARRAY_IDX(a->exceptions, i,
                                                 am_exception_t);
        am_occurrence_t orig;
        icalcomponent *ov;

        if (!am_rule_occurrence_at(rule, tz, x->index, &orig)) {
            continue;
        }
        if (x->deleted) {
            icalcomponent_add_property(ev, time_prop(icalproperty_new_exdate,
                                                     orig.start, tz, 1));
            continue;
        }
        ov = new_event(a, tz);
        icalcomponent_add_property(ov, time_prop(
            icalproperty_new_recurrenceid, orig.start, tz, 1));
        icalcomponent_add_property(ov, time_prop(icalproperty_new_dtstart,
                                                 x->start, tz, 0));
        icalcomponent_add_property(ov, time_prop(icalproperty_new_dtend,
                                                 x->end, tz, 0));
        add_texts(ov, x->title ? x->title : a->title,
                  x->location ? x->location : a->location,
                  x->remarks ? x->remarks : a->remarks);
        icalcomponent_add_component(cal, ov);
    }
}

static void add_single(icalcomponent *cal, const am_appt_t *a,
                       const am_tz_t *tz)
{
    icalcomponent *ev = new_event(a, tz);

    if (a->all_day) {
        /* Whole days of the zone: DTEND is the day after the last. */
        struct icaltimetype s = ical_time(a->start, tz, AS_DATE);
        struct icaltimetype e = ical_time(a->end, tz, AS_DATE);

        if (icaltime_compare_date_only(e, s) <= 0
            || a->end - a->start < AM_TICKS_PER_DAY) {
            e = s;
        }
        icaltime_adjust(&e, 1, 0, 0, 0);
        icalcomponent_add_property(ev, icalproperty_new_dtstart(s));
        icalcomponent_add_property(ev, icalproperty_new_dtend(e));
    }
    else {
        icalcomponent_add_property(ev, icalproperty_new_dtstart(
            ical_time(a->start, tz, AS_UTC)));
        icalcomponent_add_property(ev, icalproperty_new_dtend(
            ical_time(a->end, tz, AS_UTC)));
    }
    add_texts(ev, a->title, a->location, a->remarks);
    icalcomponent_add_component(cal, ev);
}

char *am_ical_encode(apr_pool_t *p, const apr_array_header_t *appts,
                     const am_tz_t *tz, apr_size_t *len)
{
    icalcomponent *cal = icalcomponent_new_vcalendar();
    int i, zone_added = 0;
    char *text, *out;

    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid(AM_PRODID));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    for (i = 0; i < appts->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(appts, i, const am_appt_t *);
        am_rule_t *rule = NULL;

        if (a->rule && am_rule_parse(p, a->rule, &rule) == NULL) {
            if (!zone_added && !is_utc(tz)) {
                icaltimezone *z = icaltimezone_get_builtin_timezone(
                    am_tz_name(tz));
                icalcomponent *vtz = z ? icaltimezone_get_component(z)
                                       : NULL;
                if (vtz) {
                    icalcomponent_add_component(cal,
                        icalcomponent_new_clone(vtz));
                }
                zone_added = 1;
            }
            add_series(p, cal, a, rule, tz);
        }
        else {
            add_single(cal, a, tz);
        }
    }
    text = icalcomponent_as_ical_string_r(cal);
    out = apr_pstrdup(p, text ? text : "");
    free(text);
    icalcomponent_free(cal);
    *len = strlen(out);
    return out;
}

/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_xelion.c: the Xelion appointments API (AppointmentsApi xelion):
 * its types as field tables, the PATCH operations, the mapping to the
 * canonical appointment, its routes and its error shape.
 *
 * Types follow the API's documentation (../shared/seeds 004 and INDEX.md):
 * XCCAppointment with date-times as "YYYY-MM-DD HH:MM:SS" in the
 * configured zone, oids as strings of digits, answers wrapped as
 * {"object": ..., "links": [...]} and lists as {"data": [...], "meta":
 * {"links": [...]}}, errors as {"errorCode", "message", "info"}.
 *
 * All reading and writing goes through a view (xel_view_t): the
 * appointment in Xelion's terms.  A stored appointment of any kind is
 * read into a view (view_read), a POST body or the operations of a PATCH
 * change it, and the view is written back (view_write), which applies
 * the all-day rule, validates and maps the recurrence onto the canonical
 * rule.  A PATCH changes a copy and is stored with one am_store_update
 * against the version read: all of it or nothing.
 *
 * The canonical mapping (docs/xelion.md has the table):
 *   subject <-> title, comment <-> remarks, locationString <-> location,
 *   starttime/endtime <-> start/end, allStartDay && allEndDay <-> all_day,
 *   calendars <-> links "calendar", participants <-> links "participant",
 *   recurrence fields <-> rule (recur.h); internal, userStatus and the
 *   two all-day flags are dialect-only (ext).
 * All-day: the date part counts.  allStartDay puts the start at 00:00:00
 * of its day; allEndDay puts the end at the end of its day, stored as the
 * next midnight (exclusive, as iCalendar and DevExpress keep all-day
 * ends) and answered as 23:59:59 of the day itself.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_time.h>

#include "route.h"
#include "codec.h"
#include "errshape.h"
#include "perm.h"
#include "recur.h"
#include "page.h"
#include "dialect_xelion.h"

/* XML namespace of the types: Xelion's API is JSON only, this module
 * answers XML on request as for the other dialects. */
#define NS_XEL  "http://xelion.nl/api/v1"

#define XEL_OBJECT_TYPE   "XCCAppointment"
#define XEL_CALENDAR_TYPE "XCCCalendar"
#define XEL_PERSON_TYPE   "Person"
#define XEL_COMMENT_TYPE  "Comment"
#define XEL_PERMISSIONS   "ReadWriteRemove"

#define XEL_DEFAULT_LIMIT  15       /* calendar listing, Xelion's default */
#define XEL_MAX_LIMIT      100
#define XEL_MAX_OPS        100      /* operations in one PATCH */
#define XEL_MAX_RELATIONS  1000     /* calendars or participants */
#define XEL_MAX_RETRIES    3        /* PATCH that meets a concurrent
                                     * change: read again (If-Match is
                                     * checked against the new version) */

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)
#define NN  AM_F_NONNULL
#define NFIELDS(a) ((int)(sizeof(a) / sizeof(a[0])))

/* ------------------------------------------------------- value lists */

static const char *const user_statuses[] = {
    "online", "offline", "available", "unavailable", "dont_disturb",
    "at_appointment", "short_out_of_office", "long_out_of_office", NULL
};

/* Indexed by AM_RECUR_*. */
static const char *const recurrence_types[] = {
    "daily", "weekly", "monthly", "yearly", NULL
};

/* Indexed by AM_RANGE_*. */
static const char *const termination_types[] = {
    "none", "recurrenceCount", "recurrenceTerminationDate", NULL
};

/* monthRecurrenceType: 0 on the day of the month (the 14th), 1 on the
 * weekday of the month (the second Tuesday). */
static const char *const month_types[] = {
    "dayOfMonth", "dayOfWeek", NULL
};

static int list_index(const char *const *list, const char *s)
{
    int i;

    for (i = 0; s && list[i]; i++) {
        if (!strcmp(list[i], s)) {
            return i;
        }
    }
    return -1;
}

static const char *list_names(apr_pool_t *p, const char *const *list)
{
    const char *s = "";
    int i;

    for (i = 0; list[i]; i++) {
        s = apr_pstrcat(p, s, i ? ", " : "", list[i], NULL);
    }
    return s;
}

/* ------------------------------------------------------------- types */

/* A reference to another object: {"oid": "1658218", "objectType":
 * "XCCCalendar"}.  Oids are strings of digits (a JSON number is read as
 * its digits); other members ("commonName") are ignored on input. */
static const am_field_t ref_fields[] = {
    { .name = "oid", .type = AM_T_STRING, .max = 32 },
    { .name = "objectType", .type = AM_T_STRING, .max = 64 },
};

am_type_t am_xel_ref = {
    "Reference", NS_XEL, ref_fields, NFIELDS(ref_fields), NULL
};

/* An appointment participant on input: {"person": {"oid": ..,
 * "objectType": "Person"}} as Xelion's create sample sends it, or the
 * reference itself as GET answers it. */
static const am_field_t participant_fields[] = {
    { .name = "person", .type = AM_T_OBJECT, .sub = &am_xel_ref },
    { .name = "oid", .type = AM_T_STRING, .max = 32 },
    { .name = "objectType", .type = AM_T_STRING, .max = 64 },
};

am_type_t am_xel_participant = {
    "AppointmentParticipant", NS_XEL, participant_fields,
    NFIELDS(participant_fields), NULL
};

static const am_field_t comment_fields[] = {
    { .name = "content", .type = AM_T_STRING },
    { .name = "oid", .type = AM_T_STRING, .flags = RO },
    { .name = "objectType", .type = AM_T_STRING, .max = 64 },
};

am_type_t am_xel_comment = {
    "Comment", NS_XEL, comment_fields, NFIELDS(comment_fields), NULL
};

static const am_field_t link_fields[] = {
    { .name = "rel", .type = AM_T_STRING },
    { .name = "href", .type = AM_T_STRING },
    { .name = "method", .type = AM_T_STRING },
};

am_type_t am_xel_link = {
    "Link", NS_XEL, link_fields, NFIELDS(link_fields), NULL
};

/* The members of XCCAppointment after participants, in the order of
 * Xelion's GET sample.  The recurrence dates are strings: Xelion sends
 * "" for none (recurrenceTerminationDate in its create sample). */
#define XEL_RECURRENCE_FIELDS \
    { .name = "locationString", .type = AM_T_STRING, .max = 1000, \
      .member = AM_M_LOCATION }, \
    { .name = "recurrenceTerminationType", .type = AM_T_STRING, \
      .max = 64 }, \
    { .name = "recurrenceTerminationDate", .type = AM_T_STRING, \
      .max = 32 }, \
    { .name = "firstRecurrenceDate", .type = AM_T_STRING, .max = 32 }, \
    { .name = "lastRecurrenceDate", .type = AM_T_STRING, .max = 32 }, \
    { .name = "recurrenceCount", .type = AM_T_INT32, .min = 0, \
      .max = AM_RECUR_MAX_COUNT }, \
    { .name = "recurrenceType", .type = AM_T_STRING, .max = 64 }, \
    { .name = "recurrenceInterval", .type = AM_T_INT32, .min = 0, \
      .max = AM_RECUR_MAX_PERIODICITY }, \
    { .name = "isRecurrence", .type = AM_T_BOOL }, \
    { .name = "monday", .type = AM_T_BOOL }, \
    { .name = "tuesday", .type = AM_T_BOOL }, \
    { .name = "wednesday", .type = AM_T_BOOL }, \
    { .name = "thursday", .type = AM_T_BOOL }, \
    { .name = "friday", .type = AM_T_BOOL }, \
    { .name = "saturday", .type = AM_T_BOOL }, \
    { .name = "sunday", .type = AM_T_BOOL }, \
    { .name = "monthRecurrenceType", .type = AM_T_STRING, .max = 64 }, \
    { .name = "recurrenceLabel", .type = AM_T_STRING, .flags = RO }, \
    { .name = "permissions", .type = AM_T_STRING, .flags = RO }, \
    { .name = "commonName", .type = AM_T_STRING, .flags = RO }, \
    { .name = "comment", .type = AM_T_OBJECT, .sub = &am_xel_comment, \
      .member = AM_M_NONE }, \
    { .name = "oid", .type = AM_T_STRING, .flags = RO }, \
    { .name = "objectType", .type = AM_T_STRING, .max = 64 }

/* XCCAppointment as answered.  Members map by hand (view_read), so
 * `member' is documentation: relations and the comment object are not
 * for the generic mapping of model.h. */
static const am_field_t appointment_fields[] = {
    { .name = "calendars", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_ref, .elem_name = "Reference" },
    { .name = "subject", .type = AM_T_STRING, .max = 1000,
      .member = AM_M_TITLE },
    { .name = "starttime", .type = AM_T_XDATETIME, .flags = NN,
      .member = AM_M_START },
    { .name = "endtime", .type = AM_T_XDATETIME, .flags = NN,
      .member = AM_M_END },
    { .name = "allStartDay", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "allEndDay", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "internal", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "userStatus", .type = AM_T_STRING, .max = 64,
      .member = AM_M_EXT },
    { .name = "participants", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_ref, .elem_name = "Reference" },
    XEL_RECURRENCE_FIELDS
};

am_type_t am_xel_appointment = {
    "XCCAppointment", NS_XEL, appointment_fields,
    NFIELDS(appointment_fields), NULL
};

/* XCCAppointment as POST creates it (Xelion's create sample):
 * participants as {"person": ref}, starttime and endtime required. */
static const am_field_t appointment_in_fields[] = {
    { .name = "calendars", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_ref, .elem_name = "Reference",
      .max = XEL_MAX_RELATIONS },
    { .name = "subject", .type = AM_T_STRING, .max = 1000,
      .member = AM_M_TITLE },
    { .name = "starttime", .type = AM_T_XDATETIME, .flags = REQ,
      .member = AM_M_START },
    { .name = "endtime", .type = AM_T_XDATETIME, .flags = REQ,
      .member = AM_M_END },
    { .name = "allStartDay", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "allEndDay", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "internal", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "userStatus", .type = AM_T_STRING, .max = 64,
      .member = AM_M_EXT },
    { .name = "participants", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_participant, .elem_name = "AppointmentParticipant",
      .max = XEL_MAX_RELATIONS },
    XEL_RECURRENCE_FIELDS
};

am_type_t am_xel_appointment_in = {
    "XCCAppointment", NS_XEL, appointment_in_fields,
    NFIELDS(appointment_in_fields), NULL
};

/* {"object": XCCAppointment, "links": [...]}: one answered object. */
static const am_field_t item_fields[] = {
    { .name = "object", .type = AM_T_OBJECT, .sub = &am_xel_appointment },
    { .name = "links", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_link, .elem_name = "Link" },
};

am_type_t am_xel_item = {
    "XelionObject", NS_XEL, item_fields, NFIELDS(item_fields), NULL
};

static const am_field_t meta_fields[] = {
    { .name = "links", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_link, .elem_name = "Link" },
};

am_type_t am_xel_meta = {
    "Meta", NS_XEL, meta_fields, NFIELDS(meta_fields), NULL
};

static const am_field_t list_fields[] = {
    { .name = "data", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_item, .elem_name = "XelionObject" },
    { .name = "meta", .type = AM_T_OBJECT, .sub = &am_xel_meta },
};

am_type_t am_xel_list = {
    "XelionList", NS_XEL, list_fields, NFIELDS(list_fields), NULL
};

/* One PATCH operation.  The type of `value' depends on `path': it is
 * kept as JSON text and read with the path's field (patch_paths). */
static const am_field_t operation_fields[] = {
    { .name = "op", .type = AM_T_STRING, .flags = REQ, .min = 1,
      .max = 16 },
    { .name = "path", .type = AM_T_STRING, .flags = REQ, .min = 1,
      .max = 256 },
    { .name = "value", .type = AM_T_ANY },
};

am_type_t am_xel_operation = {
    "Operation", NS_XEL, operation_fields, NFIELDS(operation_fields), NULL
};

/* No operations at all is Xelion's "empty payload" (10200), checked by
 * the handler rather than as a required field. */
static const am_field_t patch_fields[] = {
    { .name = "operations", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_xel_operation, .elem_name = "Operation", .min = 0,
      .max = XEL_MAX_OPS },
};

am_type_t am_xel_patch = {
    "Patch", NS_XEL, patch_fields, NFIELDS(patch_fields), NULL
};

/* The dialect-only members, kept in the canonical ext by wire name. */
static const am_field_t ext_fields[] = {
    { .name = "internal", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "userStatus", .type = AM_T_STRING, .max = 64,
      .member = AM_M_EXT },
    { .name = "allStartDay", .type = AM_T_BOOL, .member = AM_M_EXT },
    { .name = "allEndDay", .type = AM_T_BOOL, .member = AM_M_EXT },
};

static am_type_t xel_ext = {
    "XelionExt", NS_XEL, ext_fields, NFIELDS(ext_fields), NULL
};

static am_type_t *const xel_types[] = {
    &am_xel_ref, &am_xel_participant, &am_xel_comment, &am_xel_link,
    &am_xel_appointment, &am_xel_appointment_in, &am_xel_item,
    &am_xel_meta, &am_xel_list, &am_xel_operation, &am_xel_patch,
    &xel_ext, NULL
};

/* ----------------------------------------------------------- errors */

/* Adds a field error to *err (a 400 "The request is invalid." made on
 * first use) and gives the error the Xelion code of its first problem. */
static void xerr_field(apr_pool_t *p, am_err_t **err, int code,
                       const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void xerr_field(apr_pool_t *p, am_err_t **err, int code,
                       const char *key, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    va_start(ap, fmt);
    msg = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    if (!*err) {
        *err = am_err_invalid(p);
    }
    if (!(*err)->code) {
        (*err)->code = code;
    }
    am_err_field(p, *err, key, "%s", msg);
}

/* ------------------------------------------------------------- time */

/* Local midnight of the day of t in tz, `days' days later. */
static am_time_t day_start(const am_tz_t *tz, am_time_t t, int days)
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

static int is_midnight(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return !c.hour && !c.min && !c.sec && !c.frac;
}

/* Wall-clock ticks of t in tz (local time read as if it were UTC). */
static am_time_t wall(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return am_civil_to_time(&c, 0);
}

/* The AM_WD_* flag of t's weekday in tz. */
static int weekday_flag(const am_tz_t *tz, am_time_t t)
{
    am_civil_t c;

    am_tz_to_local(tz, t, &c, NULL);
    return 1 << am_weekday(c.year, c.month, c.day);
}

/* A recurrence date: "" (none: returns 0), "YYYY-MM-DD HH:MM:SS" or
 * "YYYY-MM-DD" (midnight) in tz: returns 1 and sets *t; -1 when it is
 * neither. */
static int parse_xdate(const char *s, const am_tz_t *tz, am_time_t *t)
{
    if (!s || !*s) {
        return 0;
    }
    if (strlen(s) == 10) {
        return am_time_parse_iso(s, tz, t) ? -1 : 1;
    }
    return am_time_parse_xelion(s, tz, t) ? -1 : 1;
}

/* ------------------------------------------------------------- oids */

/* An oid: decimal digits making 1..2^63-1.  Its canonical text, or
 * NULL. */
static const char *oid_parse(apr_pool_t *p, const char *s)
{
    apr_int64_t v;
    const char *c;

    if (!s || !*s) {
        return NULL;
    }
    for (c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            return NULL;
        }
    }
    if (am_int_parse(s, &v) != 0 || v < 1) {
        return NULL;
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

static const char *id_text(apr_pool_t *p, apr_int64_t id)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, id);
}

/* ------------------------------------------------------------- view */

/* An appointment in Xelion's terms. */
typedef struct xel_view {
    const char *subject;            /* NULL = none */
    const char *comment;
    const char *location;
    am_time_t start;                /* as Xelion shows them: an all-day */
    am_time_t end;                  /* end is 23:59:59 of its day */
    int all_start;
    int all_end;
    int internal;
    const char *user_status;        /* NULL = none */
    apr_array_header_t *calendars;  /* canonical oid texts */
    apr_array_header_t *participants;

    /* Recurrence. */
    int recurring;
    int type;                       /* AM_RECUR_* */
    int interval;                   /* 0 = not given (1) */
    int range;                      /* AM_RANGE_* */
    int count;                      /* 0 = not given */
    int has_term_date;
    am_time_t term_date;
    int by_weekday;                 /* monthRecurrenceType dayOfWeek */
    int weekdays;                   /* monday..sunday as AM_WD_* flags */
    int has_first;                  /* firstRecurrenceDate given now */
    am_time_t first;
    int has_last;                   /* lastRecurrenceDate given now */
    am_time_t last;
    const am_rule_t *stored;        /* the rule read, or NULL */
    am_time_t stored_start;         /* the start read */
} xel_view_t;

static void view_init(apr_pool_t *p, xel_view_t *v)
{
    memset(v, 0, sizeof(*v));
    v->calendars = apr_array_make(p, 2, sizeof(const char *));
    v->participants = apr_array_make(p, 2, sizeof(const char *));
    v->range = AM_RANGE_NO_END;
}

/* Index of oid in refs, or -1. */
static int ref_find(const apr_array_header_t *refs, const char *oid)
{
    int i;

    for (i = 0; i < refs->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(refs, i, const char *), oid)) {
            return i;
        }
    }
    return -1;
}

/* Adds oid to refs unless there; 0, or -1 when refs is full. */
static int ref_add(apr_array_header_t *refs, const char *oid)
{
    if (ref_find(refs, oid) >= 0) {
        return 0;
    }
    if (refs->nelts >= XEL_MAX_RELATIONS) {
        return -1;
    }
    APR_ARRAY_PUSH(refs, const char *) = oid;
    return 0;
}

static void ref_remove(apr_array_header_t *refs, const char *oid)
{
    int i = ref_find(refs, oid);

    if (i >= 0) {
        memmove(refs->elts + i * refs->elt_size,
                refs->elts + (i + 1) * refs->elt_size,
                (apr_size_t)(refs->nelts - i - 1) * refs->elt_size);
        refs->nelts--;
    }
}

/* The dialect-only members stored in a->ext (an empty object when there
 * are none or they cannot be read). */
static am_obj_t *ext_read(apr_pool_t *p, const am_tz_t *tz,
                          const am_appt_t *a)
{
    am_obj_t *xo = NULL;

    if (a->ext && *a->ext
        && !am_json_decode(p, &xel_ext, a->ext, strlen(a->ext), tz,
                           AM_DEC_PARTIAL, &xo) && xo) {
        return xo;
    }
    return am_obj_make(p, &xel_ext);
}

static int ext_bool(const am_obj_t *xo, const char *name)
{
    const am_value_t *v = am_obj_get((am_obj_t *)xo, name);

    return v->set && !v->null && v->u.i;
}

/* The stored rule of a, or NULL for a single appointment; a 500 error
 * when it cannot be read. */
static am_err_t *rule_of(apr_pool_t *p, const am_appt_t *a,
                         am_rule_t **rule)
{
    *rule = NULL;
    if (!a->rule || !*a->rule) {
        return NULL;
    }
    return am_rule_parse(p, a->rule, rule);
}

/* Reads appointment a (any kind) into v. */
static am_err_t *view_read(apr_pool_t *p, const am_tz_t *tz,
                           const am_appt_t *a, xel_view_t *v)
{
    am_obj_t *xo = ext_read(p, tz, a);
    const am_value_t *us = am_obj_get(xo, "userStatus");
    am_rule_t *rule = NULL;
    am_err_t *e;
    int i;

    view_init(p, v);
    v->subject = a->title;
    v->comment = a->remarks;
    v->location = a->location;
    v->internal = ext_bool(xo, "internal");
    v->user_status = (us->set && !us->null) ? us->u.s : NULL;
    if (a->all_day) {
        v->all_start = v->all_end = 1;
    }
    else if (ext_bool(xo, "allStartDay") != ext_bool(xo, "allEndDay")) {
        /* One of the two, Xelion's own.  Both set without all_day means
         * another API cleared all-day: neither then. */
        v->all_start = ext_bool(xo, "allStartDay");
        v->all_end = ext_bool(xo, "allEndDay");
    }
    v->start = a->start;
    v->end = a->end;
    if (v->all_start) {
        v->start = day_start(tz, a->start, 0);
    }
    if (v->all_end) {
        /* The stored end is the next midnight (exclusive) or, written by
         * another dialect, any time of the last day. */
        am_time_t last = (is_midnight(tz, a->end) && a->end > a->start)
                         ? a->end - 1 : a->end;

        v->end = day_start(tz, last, 1) - AM_TICKS_PER_SEC;
        if (v->end < v->start) {
            v->end = v->start;
        }
    }
    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        if (!strcmp(l->rel, AM_XEL_REL_CALENDAR)) {
            APR_ARRAY_PUSH(v->calendars, const char *) = l->ref;
        }
        else if (!strcmp(l->rel, AM_XEL_REL_PARTICIPANT)) {
            APR_ARRAY_PUSH(v->participants, const char *) = l->ref;
        }
    }
    if ((e = rule_of(p, a, &rule))) {
        return e;
    }
    v->stored_start = a->start;
    if (rule) {
        v->stored = rule;
        v->recurring = 1;
        v->type = rule->type;
        v->interval = rule->periodicity;
        v->range = rule->range;
        v->count = rule->range == AM_RANGE_COUNT ? rule->count : 0;
        if (rule->range == AM_RANGE_END_BY_DATE) {
            v->has_term_date = 1;
            v->term_date = rule->end;
        }
        v->by_weekday = rule->week_of_month != AM_WOM_NONE;
        v->weekdays = rule->weekdays;
    }
    return NULL;
}

/* Keys of the rule's problems in Xelion's names. */
static const am_rule_keys_t xel_rule_keys = {
    "recurrenceType", "recurrenceInterval", "monday", "starttime",
    "monthRecurrenceType", "starttime", "recurrenceTerminationType",
    "recurrenceCount", "recurrenceTerminationDate", "firstRecurrenceDate",
    "endtime"
};

/* The canonical rule of v (recurring), whose start and end are final. */
static am_rule_t *view_rule(apr_pool_t *p, const am_tz_t *tz,
                            const xel_view_t *v, am_err_t **err)
{
    am_rule_t *r = apr_pcalloc(p, sizeof(*r));
    am_civil_t c;
    int same_start;

    am_tz_to_local(tz, v->start, &c, NULL);
    same_start = v->stored && day_start(tz, v->start, 0)
                              == day_start(tz, v->stored_start, 0);
    if (v->stored) {
        *r = *v->stored;
    }
    r->type = v->type;
    r->periodicity = v->interval > 0 ? v->interval : 1;
    r->start = v->start;
    r->duration = wall(tz, v->end) - wall(tz, v->start);
    r->weekdays = v->weekdays;
    switch (v->type) {
    case AM_RECUR_WEEKLY:
        if (!r->weekdays) {
            r->weekdays = weekday_flag(tz, v->start);
        }
        r->week_of_month = AM_WOM_NONE;
        break;
    case AM_RECUR_MONTHLY:
    case AM_RECUR_YEARLY:
        /* The day comes from the start, unless the stored rule says it
         * for the same start (a PlanCare2 DayNumber, a Last week). */
        if (v->by_weekday) {
            if (!r->weekdays) {
                r->weekdays = weekday_flag(tz, v->start);
            }
            if (!same_start || v->stored->week_of_month == AM_WOM_NONE) {
                int n = (c.day - 1) / 7 + 1;

                r->week_of_month = n > 4 ? AM_WOM_LAST : n;
            }
        }
        else {
            r->week_of_month = AM_WOM_NONE;
            if (!same_start || v->stored->day_number < 1) {
                r->day_number = c.day;
            }
        }
        if (v->type == AM_RECUR_YEARLY
            && (!same_start || v->stored->month < 1)) {
            r->month = c.month;
        }
        if (r->day_number < 1 || r->day_number > 31) {
            r->day_number = c.day;
        }
        if (r->month < 1 || r->month > 12) {
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
    r->range = v->range;
    if (v->count > 0) {
        r->count = v->count;
    }
    else if (v->range == AM_RANGE_COUNT) {
        r->count = 0;                   /* refused by am_rule_check */
    }
    else if (!v->stored || v->stored->count < 1) {
        r->count = 1;
    }
    if (!v->stored || v->range != AM_RANGE_NO_END) {
        r->end = v->start;
    }
    if (v->range == AM_RANGE_END_BY_DATE) {
        if (v->has_term_date) {
            r->end = v->term_date;
        }
        else if (v->has_last) {
            r->end = v->last;
        }
        else {
            xerr_field(p, err, AM_XEL_INVALID, "recurrenceTerminationDate",
                       "recurrenceTerminationDate is required when"
                       " recurrenceTerminationType is"
                       " recurrenceTerminationDate.");
            return NULL;
        }
    }
    if (am_rule_check(p, r, tz, &xel_rule_keys, err)) {
        (*err)->code = (*err)->code ? (*err)->code : AM_XEL_INVALID;
        return NULL;
    }
    return r;
}

/* Writes v into a: normalises (the first recurrence date, the all-day
 * rule), validates, and sets the core members, the relations, the
 * dialect-only members and the rule.  a is unchanged on an error. */
static am_err_t *view_write(apr_pool_t *p, const am_tz_t *tz,
                            xel_view_t *v, am_appt_t *a)
{
    am_err_t *err = NULL;
    am_rule_t *rule = NULL;
    apr_array_header_t *links;
    am_obj_t *xo;
    am_time_t start = v->start, end = v->end;
    int i;

    /* firstRecurrenceDate moves a series to that day (the time of day
     * and the duration stay). */
    if (v->recurring && v->has_first
        && day_start(tz, v->first, 0) != day_start(tz, start, 0)) {
        am_civil_t c, f;
        am_time_t moved;

        am_tz_to_local(tz, start, &c, NULL);
        am_tz_to_local(tz, v->first, &f, NULL);
        c.year = f.year;
        c.month = f.month;
        c.day = f.day;
        moved = am_tz_from_local(tz, &c);
        end = moved + (end - start);
        start = moved;
    }
    if (v->all_start) {
        start = day_start(tz, start, 0);
    }
    if (v->all_end) {
        end = day_start(tz, end, 1);
    }
    if (end < start) {
        xerr_field(p, &err, AM_XEL_INVALID, "endtime",
                   "endtime must not be before starttime.");
        return err;
    }
    if (start < AM_TIME_MIN || end > AM_TIME_MAX) {
        xerr_field(p, &err, AM_XEL_INVALID, "endtime",
                   "The appointment must lie within the years 1 to 9999.");
        return err;
    }
    if (v->user_status && list_index(user_statuses, v->user_status) < 0) {
        xerr_field(p, &err, AM_XEL_INVALID, "userStatus",
                   "'%s' is not a userStatus (%s).", v->user_status,
                   list_names(p, user_statuses));
        return err;
    }
    v->start = start;
    v->end = end;
    if (v->recurring && !(rule = view_rule(p, tz, v, &err))) {
        return err;
    }

    a->title = v->subject;
    a->remarks = v->comment;
    a->location = v->location;
    a->start = start;
    a->end = end;
    a->all_day = v->all_start && v->all_end;
    links = apr_array_make(p, a->links ? a->links->nelts : 2,
                           sizeof(am_link_t));
    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        if (strcmp(l->rel, AM_XEL_REL_CALENDAR)
            && strcmp(l->rel, AM_XEL_REL_PARTICIPANT)) {
            APR_ARRAY_PUSH(links, am_link_t) = *l;
        }
    }
    a->links = links;
    for (i = 0; i < v->calendars->nelts; i++) {
        am_appt_add_link(p, a, AM_XEL_REL_CALENDAR,
                         APR_ARRAY_IDX(v->calendars, i, const char *));
    }
    for (i = 0; i < v->participants->nelts; i++) {
        am_appt_add_link(p, a, AM_XEL_REL_PARTICIPANT,
                         APR_ARRAY_IDX(v->participants, i, const char *));
    }
    xo = am_obj_make(p, &xel_ext);
    am_obj_set_int(xo, "internal", v->internal != 0);
    if (v->user_status) {
        am_obj_set_str(xo, "userStatus", v->user_status);
    }
    else {
        am_obj_set_null(xo, "userStatus");
    }
    am_obj_set_int(xo, "allStartDay", v->all_start != 0);
    am_obj_set_int(xo, "allEndDay", v->all_end != 0);
    a->ext = am_ext_merge(p, a->ext, xo, tz, 0);
    if (rule) {
        a->rule = am_rule_format(p, rule, tz);
        a->last_end = am_rule_last_end(rule, tz);
        a->appt_type = 1;           /* PlanCare2's AppointmentType
                                     * Recurrence */
    }
    else {
        a->rule = NULL;
        a->last_end = 0;
        a->appt_type = 0;
    }
    return NULL;
}

/* ---------------------------------------------------------- present */

static am_obj_t *ref_obj(apr_pool_t *p, const char *oid, const char *type)
{
    am_obj_t *o = am_obj_make(p, &am_xel_ref);

    am_obj_set_str(o, "oid", oid);
    am_obj_set_str(o, "objectType", type);
    return o;
}

static void set_refs(apr_pool_t *p, am_obj_t *o, const char *name,
                     const apr_array_header_t *refs, const char *type)
{
    am_value_t *v = am_obj_get(o, name);
    int i;

    v->set = 1;
    v->null = 0;
    v->u.a = apr_array_make(p, refs->nelts ? refs->nelts : 1,
                            sizeof(am_value_t));
    for (i = 0; i < refs->nelts; i++) {
        am_value_t *item = apr_array_push(v->u.a);

        memset(item, 0, sizeof(*item));
        item->set = 1;
        item->u.o = ref_obj(p, APR_ARRAY_IDX(refs, i, const char *), type);
    }
}

static void set_obj(am_obj_t *o, const char *name, am_obj_t *sub)
{
    am_value_t *v = am_obj_get(o, name);

    v->set = 1;
    v->null = 0;
    v->u.o = sub;
}

static void set_str_or_null(am_obj_t *o, const char *name, const char *s)
{
    if (s) {
        am_obj_set_str(o, name, s);
    }
    else {
        am_obj_set_null(o, name);
    }
}

static const char *fmt_date(apr_pool_t *p, const am_tz_t *tz, am_time_t t)
{
    return am_time_format_xelion(p, t, tz);
}

/* The XCCAppointment object of a as v shows it; rule is a's (or NULL).
 * start and end are the shown ones (an occurrence's in a list). */
static am_obj_t *present_view(apr_pool_t *p, const am_tz_t *tz,
                              const am_appt_t *a, const xel_view_t *v,
                              const am_rule_t *rule)
{
    static const char *const days[] = {
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday"
    };
    am_obj_t *o = am_obj_make(p, &am_xel_appointment);
    am_obj_t *c = am_obj_make(p, &am_xel_comment);
    const char *oid = id_text(p, a->id);
    int i;

    set_refs(p, o, "calendars", v->calendars, XEL_CALENDAR_TYPE);
    set_str_or_null(o, "subject", v->subject);
    am_obj_set_time(o, "starttime", v->start);
    am_obj_set_time(o, "endtime", v->end);
    am_obj_set_int(o, "allStartDay", v->all_start != 0);
    am_obj_set_int(o, "allEndDay", v->all_end != 0);
    am_obj_set_int(o, "internal", v->internal != 0);
    set_str_or_null(o, "userStatus", v->user_status);
    set_refs(p, o, "participants", v->participants, XEL_PERSON_TYPE);
    set_str_or_null(o, "locationString", v->location);
    am_obj_set_int(o, "isRecurrence", rule != NULL);
    if (rule) {
        am_time_t last = a->last_end ? a->last_end : a->end;

        am_obj_set_str(o, "recurrenceTerminationType",
                       termination_types[rule->range]);
        am_obj_set_str(o, "recurrenceTerminationDate",
                       rule->range == AM_RANGE_END_BY_DATE
                       ? fmt_date(p, tz, rule->end) : "");
        am_obj_set_str(o, "firstRecurrenceDate",
                       fmt_date(p, tz, rule->start));
        am_obj_set_str(o, "lastRecurrenceDate",
                       last >= AM_TIME_MAX ? "" : fmt_date(p, tz, last));
        if (rule->range == AM_RANGE_COUNT) {
            am_obj_set_int(o, "recurrenceCount", rule->count);
        }
        else {
            am_obj_set_null(o, "recurrenceCount");
        }
        am_obj_set_str(o, "recurrenceType", recurrence_types[rule->type]);
        am_obj_set_int(o, "recurrenceInterval", rule->periodicity);
        for (i = 0; i < 7; i++) {
            am_obj_set_int(o, days[i], (rule->weekdays >> i) & 1);
        }
        if (rule->type == AM_RECUR_MONTHLY || rule->type == AM_RECUR_YEARLY) {
            am_obj_set_str(o, "monthRecurrenceType",
                           month_types[rule->week_of_month != AM_WOM_NONE]);
        }
        else {
            am_obj_set_null(o, "monthRecurrenceType");
        }
        am_obj_set_str(o, "recurrenceLabel", am_rule_friendly(p, rule, tz));
    }
    am_obj_set_str(o, "permissions", XEL_PERMISSIONS);
    am_obj_set_str(o, "commonName", v->subject ? v->subject : "");
    am_obj_set_str(c, "content", v->comment ? v->comment : "");
    am_obj_set_str(c, "oid", oid);
    am_obj_set_str(c, "objectType", XEL_COMMENT_TYPE);
    set_obj(o, "comment", c);
    am_obj_set_str(o, "oid", oid);
    am_obj_set_str(o, "objectType", XEL_OBJECT_TYPE);
    return o;
}

am_obj_t *am_xel_present(apr_pool_t *p, const am_tz_t *tz,
                         const am_appt_t *a)
{
    xel_view_t v;

    if (view_read(p, tz, a, &v)) {
        return NULL;
    }
    return present_view(p, tz, a, &v, v.stored);
}

static am_obj_t *link_obj(apr_pool_t *p, const char *rel, const char *href,
                          const char *method)
{
    am_obj_t *l = am_obj_make(p, &am_xel_link);

    am_obj_set_str(l, "rel", rel);
    am_obj_set_str(l, "href", href);
    am_obj_set_str(l, "method", method);
    return l;
}

/* links: an array value of the given link objects (NULL-terminated). */
static void set_links(apr_pool_t *p, am_obj_t *o, am_obj_t *const *links)
{
    am_value_t *v = am_obj_get(o, "links");
    int i;

    v->set = 1;
    v->null = 0;
    v->u.a = apr_array_make(p, 2, sizeof(am_value_t));
    for (i = 0; links[i]; i++) {
        am_value_t *item = apr_array_push(v->u.a);

        memset(item, 0, sizeof(*item));
        item->set = 1;
        item->u.o = links[i];
    }
}

static const char *base_of(const am_req_t *rq)
{
    return rq->base_url ? rq->base_url : "";
}

/* {"object": o, "links": [self]} for appointment id. */
static am_obj_t *item_obj(am_req_t *rq, am_obj_t *o, apr_int64_t id)
{
    am_obj_t *item = am_obj_make(rq->pool, &am_xel_item);
    am_obj_t *links[2];

    links[0] = link_obj(rq->pool, "self",
                        apr_psprintf(rq->pool, "%s/appointments/%"
                                     APR_INT64_T_FMT, base_of(rq), id),
                        "GET");
    links[1] = NULL;
    set_obj(item, "object", o);
    set_links(rq->pool, item, links);
    return item;
}

/* ------------------------------------------------------------- POST */

/* A value of o by name: set and not null, or NULL. */
static const am_value_t *given(const am_obj_t *o, const char *name)
{
    const am_value_t *v = am_obj_get((am_obj_t *)o, name);

    return (v->set && !v->null) ? v : NULL;
}

/* The oid of a reference object (ref or participant) into *oid; errors
 * keyed key.  type: the objectType it must have when it says one (NULL
 * = any). */
static void ref_from_obj(apr_pool_t *p, const am_obj_t *o, const char *key,
                         const char *type, const char **oid,
                         am_err_t **err)
{
    const am_value_t *person = am_type_field(o->type, "person") >= 0
                               ? given(o, "person") : NULL;
    const am_value_t *ov, *tv;

    *oid = NULL;
    if (person && person->u.o) {
        o = person->u.o;
        key = apr_pstrcat(p, key, ".person", NULL);
    }
    ov = given(o, "oid");
    tv = given(o, "objectType");
    if (type && tv && strcmp(tv->u.s, type)) {
        xerr_field(p, err, AM_XEL_BAD_ID, apr_pstrcat(p, key, ".objectType",
                                                      NULL),
                   "The objectType must be %s, not '%s'.", type, tv->u.s);
        return;
    }
    if (!ov) {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".oid", NULL),
                   "An oid is required.");
        return;
    }
    if (!(*oid = oid_parse(p, ov->u.s))) {
        xerr_field(p, err, AM_XEL_BAD_ID, apr_pstrcat(p, key, ".oid", NULL),
                   "'%s' is not an oid.", ov->u.s);
    }
}

static void refs_from_array(apr_pool_t *p, const am_obj_t *body,
                            const char *name, const char *type,
                            apr_array_header_t *refs, am_err_t **err)
{
    const am_value_t *arr = given(body, name);
    int i;

    for (i = 0; arr && i < arr->u.a->nelts; i++) {
        const am_value_t *item = &APR_ARRAY_IDX(arr->u.a, i, am_value_t);
        const char *key = apr_psprintf(p, "%s[%d]", name, i);
        const char *oid = NULL;

        if (!item->set || item->null || !item->u.o) {
            xerr_field(p, err, AM_XEL_INVALID, key, "A reference is"
                       " required.");
            continue;
        }
        ref_from_obj(p, item->u.o, key, type, &oid, err);
        if (oid) {
            ref_add(refs, oid);
        }
    }
}

/* A recurrence date member of body into *t / *has. */
static void date_member(apr_pool_t *p, const am_obj_t *body,
                        const char *name, const am_tz_t *tz, am_time_t *t,
                        int *has, am_err_t **err)
{
    const am_value_t *v = given(body, name);
    int rc;

    if (!v) {
        return;
    }
    rc = parse_xdate(v->u.s, tz, t);
    if (rc < 0) {
        xerr_field(p, err, AM_XEL_INVALID, name, "The value '%s' is not"
                   " valid for %s (expected a date and time such as"
                   " 2017-02-25 11:50:00, or \"\").", v->u.s, name);
        return;
    }
    *has = rc;
}

/* A member of body that must be one of list: its index into *out, -1
 * for null, "" or "none"-like (the first entry when none_ok). */
static void choice_member(apr_pool_t *p, const am_obj_t *body,
                          const char *name, const char *const *list,
                          int *out, am_err_t **err)
{
    const am_value_t *v = given(body, name);
    int i;

    if (!v || !*v->u.s) {
        *out = -1;
        return;
    }
    if ((i = list_index(list, v->u.s)) < 0) {
        xerr_field(p, err, AM_XEL_INVALID, name, "'%s' is not a %s (%s).",
                   v->u.s, name, list_names(p, list));
        return;
    }
    *out = i;
}

am_err_t *am_xel_from_body(apr_pool_t *p, const am_tz_t *tz,
                           const am_obj_t *body, am_appt_t *a)
{
    static const char *const days[] = {
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday"
    };
    xel_view_t v;
    am_err_t *err = NULL;
    const am_value_t *x;
    int i, choice;

    view_init(p, &v);
    if ((x = given(body, "objectType")) && strcmp(x->u.s, XEL_OBJECT_TYPE)) {
        xerr_field(p, &err, AM_XEL_BAD_ID, "objectType", "The objectType"
                   " must be %s, not '%s'.", XEL_OBJECT_TYPE, x->u.s);
    }
    v.subject = (x = given(body, "subject")) ? x->u.s : NULL;
    v.location = (x = given(body, "locationString")) ? x->u.s : NULL;
    if ((x = given(body, "comment")) && x->u.o) {
        const am_value_t *ct = given(x->u.o, "objectType");
        const am_value_t *cc = given(x->u.o, "content");

        if (ct && strcmp(ct->u.s, XEL_COMMENT_TYPE)) {
            xerr_field(p, &err, AM_XEL_BAD_ID, "comment.objectType",
                       "The objectType must be %s, not '%s'.",
                       XEL_COMMENT_TYPE, ct->u.s);
        }
        v.comment = cc ? cc->u.s : NULL;
    }
    v.start = am_obj_get((am_obj_t *)body, "starttime")->u.t;
    v.end = am_obj_get((am_obj_t *)body, "endtime")->u.t;
    v.all_start = (x = given(body, "allStartDay")) && x->u.i;
    v.all_end = (x = given(body, "allEndDay")) && x->u.i;
    v.internal = (x = given(body, "internal")) && x->u.i;
    if ((x = given(body, "userStatus")) && *x->u.s) {
        v.user_status = x->u.s;
    }
    refs_from_array(p, body, "calendars", XEL_CALENDAR_TYPE, v.calendars,
                    &err);
    refs_from_array(p, body, "participants", NULL, v.participants, &err);

    /* Recurrence: recurrenceType makes a series (isRecurrence false
     * says it is none all the same). */
    choice = -1;
    choice_member(p, body, "recurrenceType", recurrence_types, &choice,
                  &err);
    x = given(body, "isRecurrence");
    if (choice >= 0 && !(x && !x->u.i)) {
        v.recurring = 1;
        v.type = choice;
        v.interval = (x = given(body, "recurrenceInterval")) ? (int)x->u.i
                                                             : 0;
        v.count = (x = given(body, "recurrenceCount")) ? (int)x->u.i : 0;
        date_member(p, body, "recurrenceTerminationDate", tz, &v.term_date,
                    &v.has_term_date, &err);
        date_member(p, body, "firstRecurrenceDate", tz, &v.first,
                    &v.has_first, &err);
        date_member(p, body, "lastRecurrenceDate", tz, &v.last, &v.has_last,
                    &err);
        choice = -1;
        choice_member(p, body, "recurrenceTerminationType",
                      termination_types, &choice, &err);
        if (choice >= 0) {
            v.range = choice;
        }
        else if (v.count > 0) {
            v.range = AM_RANGE_COUNT;
        }
        else if (v.has_term_date) {
            v.range = AM_RANGE_END_BY_DATE;
        }
        choice = -1;
        choice_member(p, body, "monthRecurrenceType", month_types, &choice,
                      &err);
        v.by_weekday = choice == 1;
        for (i = 0; i < 7; i++) {
            if ((x = given(body, days[i])) && x->u.i) {
                v.weekdays |= 1 << i;
            }
        }
    }
    if (err) {
        return err;
    }
    return view_write(p, tz, &v, a);
}

/* ------------------------------------------------------------ PATCH */

#define OP_ADD      0x01
#define OP_REMOVE   0x02
#define OP_REPLACE  0x04

enum {
    XP_SUBJECT = 1, XP_INTERNAL, XP_PARTICIPANTS, XP_USER_STATUS,
    XP_START, XP_END, XP_ALL_START, XP_ALL_END, XP_CALENDARS, XP_COMMENT,
    XP_FIRST, XP_LAST, XP_TYPE, XP_INTERVAL, XP_TERM_TYPE, XP_TERM_DATE,
    XP_COUNT, XP_MONTH_TYPE, XP_DAY
};

/* The paths of seed 004's table.  f is the field a value is read with
 * (am_json_value: the conversions and checks of a body member); for the
 * relations it is the field of an oid given as value ("/calendars" with
 * "1658218"). */
typedef struct xel_path {
    am_field_t f;
    unsigned ops;
    int what;
    int arg;                    /* XP_DAY: the AM_WD_* flag */
} xel_path_t;

#define XP_BOOL(n) { .name = n, .type = AM_T_BOOL, .flags = NN }
#define XP_STR(n, mx) { .name = n, .type = AM_T_STRING, .max = mx }

static const xel_path_t patch_paths[] = {
    { XP_STR("subject", 1000), OP_REPLACE, XP_SUBJECT, 0 },
    { XP_BOOL("internal"), OP_REPLACE, XP_INTERNAL, 0 },
    { XP_STR("participants", 32), OP_ADD | OP_REMOVE, XP_PARTICIPANTS, 0 },
    { XP_STR("userStatus", 64), OP_REPLACE, XP_USER_STATUS, 0 },
    { { .name = "starttime", .type = AM_T_XDATETIME, .flags = NN },
      OP_REPLACE, XP_START, 0 },
    { { .name = "endtime", .type = AM_T_XDATETIME, .flags = NN },
      OP_REPLACE, XP_END, 0 },
    { XP_BOOL("allStartDay"), OP_REPLACE, XP_ALL_START, 0 },
    { XP_BOOL("allEndDay"), OP_REPLACE, XP_ALL_END, 0 },
    { XP_STR("calendars", 32), OP_ADD | OP_REMOVE, XP_CALENDARS, 0 },
    { { .name = "comment", .type = AM_T_STRING }, OP_REPLACE, XP_COMMENT,
      0 },
    { XP_STR("firstRecurrenceDate", 32), OP_REPLACE, XP_FIRST, 0 },
    { XP_STR("lastRecurrenceDate", 32), OP_REPLACE, XP_LAST, 0 },
    { XP_STR("recurrenceType", 64), OP_REPLACE, XP_TYPE, 0 },
    { { .name = "recurrenceInterval", .type = AM_T_INT32, .min = 0,
        .max = AM_RECUR_MAX_PERIODICITY }, OP_REPLACE, XP_INTERVAL, 0 },
    { XP_STR("recurrenceTerminationType", 64), OP_REPLACE, XP_TERM_TYPE,
      0 },
    { XP_STR("recurrenceTerminationDate", 32), OP_REPLACE, XP_TERM_DATE,
      0 },
    { { .name = "recurrenceCount", .type = AM_T_INT32, .min = 0,
        .max = AM_RECUR_MAX_COUNT }, OP_REPLACE, XP_COUNT, 0 },
    { XP_STR("monthRecurrenceType", 64), OP_REPLACE, XP_MONTH_TYPE, 0 },
    { XP_BOOL("monday"), OP_REPLACE, XP_DAY, AM_WD_MONDAY },
    { XP_BOOL("tuesday"), OP_REPLACE, XP_DAY, AM_WD_TUESDAY },
    { XP_BOOL("wednesday"), OP_REPLACE, XP_DAY, AM_WD_WEDNESDAY },
    { XP_BOOL("thursday"), OP_REPLACE, XP_DAY, AM_WD_THURSDAY },
    { XP_BOOL("friday"), OP_REPLACE, XP_DAY, AM_WD_FRIDAY },
    { XP_BOOL("saturday"), OP_REPLACE, XP_DAY, AM_WD_SATURDAY },
    { XP_BOOL("sunday"), OP_REPLACE, XP_DAY, AM_WD_SUNDAY },
};

/* The field a relation's value is read with when it is an object:
 * {"oid": .., "objectType": "XCCCalendar"} or {"person": {...}}. */
static const am_field_t calendar_obj_field = {
    .name = "calendars", .type = AM_T_OBJECT, .sub = &am_xel_ref
};
static const am_field_t participant_obj_field = {
    .name = "participants", .type = AM_T_OBJECT, .sub = &am_xel_participant
};
static const am_field_t comment_obj_field = {
    .name = "comment", .type = AM_T_OBJECT, .sub = &am_xel_comment
};

static const char *ops_names(unsigned ops)
{
    if (ops == OP_REPLACE) {
        return "replace";
    }
    return "add, remove";
}

/* The first non-blank character of JSON text s. */
static char json_first(const char *s)
{
    while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
    }
    return s ? *s : '\0';
}

/* Applies a relation operation (add or remove of a calendar or
 * participant). */
static void apply_relation(apr_pool_t *p, const am_tz_t *tz, xel_view_t *v,
                           const xel_path_t *xp, unsigned op,
                           const char *sub, const am_value_t *val,
                           const char *key, am_err_t **err)
{
    apr_array_header_t *refs = xp->what == XP_CALENDARS ? v->calendars
                                                         : v->participants;
    const char *oid = NULL;

    if (sub) {
        /* "/calendars/1658218": the oid is in the path (a value, if any,
         * is not used). */
        if (!(oid = oid_parse(p, sub))) {
            xerr_field(p, err, AM_XEL_BAD_ID, apr_pstrcat(p, key, ".path",
                                                          NULL),
                       "'%s' is not an oid.", sub);
            return;
        }
    }
    else if (!val->set || val->null) {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".value",
                                                       NULL),
                   "The oid of the %s is required, as the value or in the"
                   " path (/%s/<oid>).", xp->what == XP_CALENDARS
                   ? "calendar" : "participant", xp->f.name);
        return;
    }
    else {
        const char *vkey = apr_pstrcat(p, key, ".value", NULL);
        am_value_t cv;
        const char *msg;

        if (json_first(val->u.s) == '{') {
            const am_field_t *of = xp->what == XP_CALENDARS
                                   ? &calendar_obj_field
                                   : &participant_obj_field;

            if ((msg = am_json_value(p, of, val->u.s, tz, &cv))) {
                xerr_field(p, err, AM_XEL_INVALID, vkey, "%s", msg);
                return;
            }
            ref_from_obj(p, cv.u.o, vkey, xp->what == XP_CALENDARS
                         ? XEL_CALENDAR_TYPE : NULL, &oid, err);
            if (!oid) {
                return;
            }
        }
        else {
            if ((msg = am_json_value(p, &xp->f, val->u.s, tz, &cv))) {
                xerr_field(p, err, AM_XEL_INVALID, vkey, "%s", msg);
                return;
            }
            if (!(oid = oid_parse(p, cv.u.s))) {
                xerr_field(p, err, AM_XEL_BAD_ID, vkey, "'%s' is not an"
                           " oid.", cv.u.s);
                return;
            }
        }
    }
    if (op == OP_ADD) {
        if (ref_add(refs, oid)) {
            xerr_field(p, err, AM_XEL_INVALID, key, "An appointment has at"
                       " most %d %s.", XEL_MAX_RELATIONS, xp->f.name);
        }
    }
    else {
        ref_remove(refs, oid);
    }
}

/* A choice value (null or "" = the first entry's meaning "none"). */
static int choice_value(apr_pool_t *p, const am_value_t *cv,
                        const char *const *list, const char *name,
                        const char *key, am_err_t **err)
{
    int i;

    if (cv->null || !*cv->u.s) {
        return -1;
    }
    if ((i = list_index(list, cv->u.s)) < 0) {
        xerr_field(p, err, AM_XEL_INVALID, key, "'%s' is not a %s (%s).",
                   cv->u.s, name, list_names(p, list));
        return -2;
    }
    return i;
}

static void date_value(apr_pool_t *p, const am_tz_t *tz,
                       const am_value_t *cv, const char *name,
                       const char *key, am_time_t *t, int *has,
                       am_err_t **err)
{
    int rc = cv->null ? 0 : parse_xdate(cv->u.s, tz, t);

    if (rc < 0) {
        xerr_field(p, err, AM_XEL_INVALID, key, "The value '%s' is not"
                   " valid for %s (expected a date and time such as"
                   " 2017-02-25 11:50:00, or \"\").", cv->u.s, name);
        return;
    }
    *has = rc;
}

/* Applies a replace of a member to v. */
static void apply_replace(apr_pool_t *p, const am_tz_t *tz, xel_view_t *v,
                          const xel_path_t *xp, const am_value_t *val,
                          const char *key, am_err_t **err)
{
    const char *vkey = apr_pstrcat(p, key, ".value", NULL);
    const char *name = xp->f.name;
    am_value_t cv;
    const char *msg;
    int i;

    if (!val->set) {
        xerr_field(p, err, AM_XEL_INVALID, vkey, "A value is required to"
                   " replace %s.", name);
        return;
    }
    if (xp->what == XP_COMMENT && !val->null
        && json_first(val->u.s) == '{') {
        /* {"objectType": "Comment", "content": ...}, as POST takes it. */
        const am_value_t *cc, *ct;

        if ((msg = am_json_value(p, &comment_obj_field, val->u.s, tz,
                                 &cv))) {
            xerr_field(p, err, AM_XEL_INVALID, vkey, "%s", msg);
            return;
        }
        ct = given(cv.u.o, "objectType");
        if (ct && strcmp(ct->u.s, XEL_COMMENT_TYPE)) {
            xerr_field(p, err, AM_XEL_BAD_ID, vkey, "The objectType must be"
                       " %s, not '%s'.", XEL_COMMENT_TYPE, ct->u.s);
            return;
        }
        cc = given(cv.u.o, "content");
        v->comment = cc ? cc->u.s : NULL;
        return;
    }
    msg = am_json_value(p, &xp->f, val->null ? "null" : val->u.s, tz, &cv);
    if (msg) {
        xerr_field(p, err, AM_XEL_INVALID, vkey, "%s", msg);
        return;
    }
    switch (xp->what) {
    case XP_SUBJECT:
        v->subject = cv.null ? NULL : cv.u.s;
        break;
    case XP_INTERNAL:
        v->internal = cv.u.i != 0;
        break;
    case XP_USER_STATUS:
        if ((i = choice_value(p, &cv, user_statuses, name, vkey, err))
            >= -1) {
            v->user_status = i < 0 ? NULL : user_statuses[i];
        }
        break;
    case XP_START:
        v->start = cv.u.t;
        break;
    case XP_END:
        v->end = cv.u.t;
        break;
    case XP_ALL_START:
        v->all_start = cv.u.i != 0;
        break;
    case XP_ALL_END:
        v->all_end = cv.u.i != 0;
        break;
    case XP_COMMENT:
        v->comment = cv.null ? NULL : cv.u.s;
        break;
    case XP_FIRST:
        date_value(p, tz, &cv, name, vkey, &v->first, &v->has_first, err);
        break;
    case XP_LAST:
        date_value(p, tz, &cv, name, vkey, &v->last, &v->has_last, err);
        break;
    case XP_TYPE:
        /* null, "" or "none": no recurrence. */
        if (!cv.null && !strcmp(cv.u.s, "none")) {
            v->recurring = 0;
        }
        else if ((i = choice_value(p, &cv, recurrence_types, name, vkey,
                                   err)) >= -1) {
            v->recurring = i >= 0;
            v->type = i >= 0 ? i : v->type;
        }
        break;
    case XP_INTERVAL:
        v->interval = cv.null ? 0 : (int)cv.u.i;
        break;
    case XP_TERM_TYPE:
        if ((i = choice_value(p, &cv, termination_types, name, vkey, err))
            >= -1) {
            v->range = i < 0 ? AM_RANGE_NO_END : i;
        }
        break;
    case XP_TERM_DATE:
        date_value(p, tz, &cv, name, vkey, &v->term_date,
                   &v->has_term_date, err);
        break;
    case XP_COUNT:
        v->count = cv.null ? 0 : (int)cv.u.i;
        break;
    case XP_MONTH_TYPE:
        if ((i = choice_value(p, &cv, month_types, name, vkey, err))
            >= -1) {
            v->by_weekday = i == 1;
        }
        break;
    case XP_DAY:
        if (cv.u.i) {
            v->weekdays |= xp->arg;
        }
        else {
            v->weekdays &= ~xp->arg;
        }
        break;
    default:
        break;
    }
}

/* Applies operation i (op) to v. */
static void apply_op(apr_pool_t *p, const am_tz_t *tz, xel_view_t *v,
                     const am_obj_t *op, int i, am_err_t **err)
{
    const char *key = apr_psprintf(p, "operations[%d]", i);
    const am_value_t *opv = am_obj_get((am_obj_t *)op, "op");
    const am_value_t *pathv = am_obj_get((am_obj_t *)op, "path");
    const am_value_t *val = am_obj_get((am_obj_t *)op, "value");
    const xel_path_t *xp = NULL;
    const char *path, *slash, *member, *sub = NULL;
    unsigned code;
    int j;

    if (!opv->set || opv->null || !pathv->set || pathv->null) {
        xerr_field(p, err, AM_XEL_INVALID, key, "An operation needs op and"
                   " path.");
        return;
    }
    if (!strcmp(opv->u.s, "add")) {
        code = OP_ADD;
    }
    else if (!strcmp(opv->u.s, "remove")) {
        code = OP_REMOVE;
    }
    else if (!strcmp(opv->u.s, "replace")) {
        code = OP_REPLACE;
    }
    else {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".op", NULL),
                   "The operation '%s' is not supported (add, remove or"
                   " replace).", opv->u.s);
        return;
    }
    path = pathv->u.s;
    if (path[0] != '/') {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".path",
                                                       NULL),
                   "The path '%s' must start with '/'.", path);
        return;
    }
    slash = strchr(path + 1, '/');
    member = slash ? apr_pstrmemdup(p, path + 1, (apr_size_t)(slash
                                                 - path - 1))
                   : path + 1;
    if (slash) {
        sub = slash + 1;
    }
    for (j = 0; j < NFIELDS(patch_paths); j++) {
        if (!strcmp(patch_paths[j].f.name, member)) {
            xp = &patch_paths[j];
            break;
        }
    }
    if (!xp) {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".path",
                                                       NULL),
                   "'%s' is not a member of XCCAppointment that can be"
                   " changed.", path);
        return;
    }
    if (!(xp->ops & code)) {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".op", NULL),
                   "The operation '%s' is not allowed on /%s (%s).",
                   opv->u.s, xp->f.name, ops_names(xp->ops));
        return;
    }
    if (xp->what == XP_CALENDARS || xp->what == XP_PARTICIPANTS) {
        if (sub && (!*sub || strchr(sub, '/'))) {
            xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".path",
                                                           NULL),
                       "The path '%s' is not /%s or /%s/<oid>.", path,
                       xp->f.name, xp->f.name);
            return;
        }
        apply_relation(p, tz, v, xp, code, sub, val, key, err);
        return;
    }
    if (sub) {
        xerr_field(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".path",
                                                       NULL),
                   "'%s' is not a member of XCCAppointment that can be"
                   " changed (/%s has no members).", path, xp->f.name);
        return;
    }
    apply_replace(p, tz, v, xp, val, key, err);
}

am_err_t *am_xel_patch_apply(apr_pool_t *p, const am_tz_t *tz,
                             const am_obj_t *patch, am_appt_t *a)
{
    const am_value_t *ops = am_obj_get((am_obj_t *)patch, "operations");
    am_appt_t work;
    am_err_t *err = NULL;
    xel_view_t v;
    int i;

    if (!ops->set || ops->null || !ops->u.a || ops->u.a->nelts == 0) {
        err = am_err_make(p, 400, "The payload is empty: no operations.");
        err->code = AM_XEL_EMPTY;
        return err;
    }
    if ((err = view_read(p, tz, a, &v))) {
        return err;
    }
    for (i = 0; i < ops->u.a->nelts; i++) {
        const am_value_t *item = &APR_ARRAY_IDX(ops->u.a, i, am_value_t);

        if (!item->set || item->null || !item->u.o) {
            xerr_field(p, &err, AM_XEL_INVALID,
                       apr_psprintf(p, "operations[%d]", i),
                       "An operation must be an object.");
            continue;
        }
        apply_op(p, tz, &v, item->u.o, i, &err);
    }
    if (err) {
        return err;
    }
    /* All operations are valid: write the result into a copy, then into
     * a, so that a is untouched on an error. */
    work = *a;
    work.links = a->links ? apr_array_copy(p, a->links)
                          : apr_array_make(p, 2, sizeof(am_link_t));
    if ((err = view_write(p, tz, &v, &work))) {
        return err;
    }
    *a = work;
    return NULL;
}

/* ---------------------------------------------------------- handlers */

static apr_int64_t oid_param(am_req_t *rq)
{
    return am_param_int64(rq, "oid");
}

/* The answer {"object": ..., "links": [...]} for a. */
static am_err_t *respond_one(am_req_t *rq, am_resp_t *rs, const am_appt_t *a)
{
    am_obj_t *o = am_xel_present(rq->pool, rq->tz, a);

    if (!o) {
        return am_err_make(rq->pool, 500, "The stored recurrence rule of"
                           " appointment %" APR_INT64_T_FMT " cannot be"
                           " read.", a->id);
    }
    rs->obj = item_obj(rq, o, a->id);
    rs->version = a->version;
    /* text/calendar on request (GET). */
    rs->appts = apr_array_make(rq->pool, 1, sizeof(am_appt_t *));
    APR_ARRAY_PUSH(rs->appts, const am_appt_t *) = a;
    return NULL;
}

static am_err_t *create_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = am_appt_make(rq->pool, AM_KIND_XELION);
    am_err_t *e;

    if ((e = am_xel_from_body(rq->pool, rq->tz, rq->body, a))) {
        return e;
    }
    am_stamp_created(rq, a);
    if ((e = am_store_create(rq->store, a))) {
        return e;
    }
    rs->status = 201;
    rs->location = apr_psprintf(rq->pool, "appointments/%" APR_INT64_T_FMT,
                                a->id);
    return respond_one(rq, rs, a);
}

static am_err_t *get_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if ((e = am_store_get(rq->store, oid_param(rq), AM_KIND_ANY, &a))) {
        return e;
    }
    return respond_one(rq, rs, a);
}

static am_err_t *patch_appointment(am_req_t *rq, am_resp_t *rs)
{
    const am_value_t *ops = am_obj_get(rq->body, "operations");
    int attempt;

    /* An empty payload is answered before the appointment is looked
     * up. */
    if (!ops->set || ops->null || !ops->u.a || ops->u.a->nelts == 0) {
        am_err_t *e = am_err_make(rq->pool, 400, "The payload is empty: no"
                                  " operations.");
        e->code = AM_XEL_EMPTY;
        return e;
    }
    for (attempt = 1; ; attempt++) {
        am_appt_t *old = NULL, *a;
        am_ifmatch_t as_read;
        am_err_t *e;

        if ((e = am_store_get(rq->store, oid_param(rq), AM_KIND_ANY,
                              &old))) {
            return e;
        }
        if (!am_ifmatch_met(rq->if_match, old->version)) {
            return am_err_make(rq->pool, 412, "The appointment has been"
                               " changed since it was read (version %"
                               APR_INT64_T_FMT " is not one that If-Match"
                               " names).", old->version);
        }
        a = apr_pmemdup(rq->pool, old, sizeof(*old));
        if ((e = am_xel_patch_apply(rq->pool, rq->tz, rq->body, a))) {
            return e;
        }
        /* Stored only over the version the patch was applied to: a
         * change meanwhile makes the store answer 412, and the patch is
         * applied again to the new version (which must meet If-Match as
         * well). */
        as_read.any = 0;
        as_read.nversions = 1;
        as_read.versions = &old->version;
        if (am_rule_pattern_changed(rq->pool, old->rule, a->rule)) {
            e = am_store_update_clear(rq->store, a, &as_read);
        }
        else {
            e = am_store_update(rq->store, a, &as_read);
        }
        if (e && e->status == 412 && attempt < XEL_MAX_RETRIES) {
            continue;           /* changed meanwhile: apply to the new */
        }
        if (e) {
            return e;
        }
        rs->status = 204;
        rs->version = a->version;
        return NULL;
    }
}

static am_err_t *delete_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_err_t *e = am_store_delete(rq->store, oid_param(rq), AM_KIND_ANY,
                                  rq->if_match);

    if (!e) {
        rs->status = 204;
    }
    return e;
}

/* ------------------------------------------------- calendar listing */

/* after / before of the listing: "YYYY-MM-DD" (that day: *day = 1),
 * "YYYY-MM-DD HH:MM:SS" or ISO 8601.  0, or -1 when it is none. */
static int parse_when(const char *s, const am_tz_t *tz, am_time_t *t,
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

/* "<base>/calendars/<oid>?after=..&before=..&limit=..&cursor=..", the
 * parameters that are not NULL. */
static const char *list_href(am_req_t *rq, const char *cal,
                             const char *const args[4])
{
    static const char *const names[4] = {
        "after", "before", "limit", "cursor"
    };
    const char *q = "";
    int i;

    for (i = 0; i < 4; i++) {
        if (args[i]) {
            q = apr_pstrcat(rq->pool, q, "&", names[i], "=",
                            apr_pescape_urlencoded(rq->pool, args[i]), NULL);
        }
    }
    return apr_pstrcat(rq->pool, base_of(rq), "/calendars/", cal,
                       *q ? "?" : "", *q ? q + 1 : "", NULL);
}

/* "YYYY-MM-DD" of t in tz. */
static const char *day_text(apr_pool_t *p, const am_tz_t *tz, am_time_t t)
{
    return apr_pstrmemdup(p, am_time_format_xelion(p, t, tz), 10);
}

/* The object of one listed entry: the appointment, or the occurrence
 * with its own times (and a changed occurrence's texts). */
static am_obj_t *entry_obj(am_req_t *rq, const am_entry_t *x)
{
    am_appt_t *c = apr_pmemdup(rq->pool, x->a, sizeof(*x->a));
    xel_view_t v;

    c->start = x->start;
    c->end = x->end;
    if (x->exc) {
        c->title = x->exc->title ? x->exc->title : c->title;
        c->location = x->exc->location ? x->exc->location : c->location;
        c->remarks = x->exc->remarks ? x->exc->remarks : c->remarks;
    }
    if (view_read(rq->pool, rq->tz, c, &v)) {
        return NULL;
    }
    return present_view(rq->pool, rq->tz, c, &v, x->rule);
}

/* GET calendars/{oid}?after&before&limit&cursor: the appointments of a
 * calendar in a range (today by default), series as their occurrences,
 * a page at a time. */
static am_err_t *list_calendar(am_req_t *rq, am_resp_t *rs)
{
    apr_pool_t *p = rq->pool;
    const char *cal = oid_parse(p, apr_table_get(rq->params, "oid"));
    const char *after = apr_table_get(rq->query, "after");
    const char *before = apr_table_get(rq->query, "before");
    const char *cursor = apr_table_get(rq->query, "cursor");
    const char *args[4], *next[4];
    am_time_t t, before_t = AM_TIME_MAX;
    apr_int64_t limit = XEL_DEFAULT_LIMIT;
    am_cursor_t cur;
    int has_cursor, day, i;
    am_err_t *err = NULL, *e;
    apr_array_header_t *data;
    am_obj_t *list, *meta, *links[3];
    am_value_t *dv;
    am_query_t q;
    am_page_t page;

    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_ANY;
    q.rel = AM_XEL_REL_CALENDAR;
    q.refs = &cal;
    q.nrefs = 1;
    q.from = AM_TIME_MIN;
    q.until = AM_TIME_MAX;
    args[0] = next[0] = after;
    args[1] = next[1] = before;
    args[2] = apr_table_get(rq->query, "limit");
    args[3] = cursor;
    am_arg_int64(rq, "limit", 1, XEL_MAX_LIMIT, 0, &limit, &err);
    if (after && *after) {
        if (parse_when(after, rq->tz, &t, &day)) {
            xerr_field(p, &err, AM_XEL_INVALID, "after", "The value '%s' is"
                       " not valid for after (expected a date such as"
                       " 2016-11-10 or 2016-11-10 08:00:00).", after);
        }
        else {
            q.from = t;
        }
    }
    if (before && *before) {
        if (parse_when(before, rq->tz, &t, &day)) {
            xerr_field(p, &err, AM_XEL_INVALID, "before", "The value '%s'"
                       " is not valid for before (expected a date such as"
                       " 2016-12-09 or 2016-12-09 18:00:00).", before);
        }
        else {
            before_t = t;
            q.until = day ? day_start(rq->tz, t, 1) : t;
        }
    }
    if (!(after && *after) && !(before && *before)) {
        /* Today, in the configured zone. */
        am_time_t now = (am_time_t)apr_time_now() * 10;

        q.from = day_start(rq->tz, now, 0);
        q.until = day_start(rq->tz, now, 1);
        next[0] = next[1] = day_text(p, rq->tz, now);
    }
    if (!err && (q.until < q.from || before_t < q.from)) {
        xerr_field(p, &err, AM_XEL_INVALID, "before", "before must not be"
                   " before after.");
    }
    has_cursor = am_cursor_parse(p, cursor, &cur);
    if (has_cursor < 0) {
        xerr_field(p, &err, AM_XEL_INVALID, "cursor", "The cursor '%s' is"
                   " not one this server gave.", cursor);
    }
    if (err) {
        err->code = AM_XEL_INVALID;
        return err;
    }
    if ((e = am_page_list(p, rq->store, &q, rq->tz,
                          has_cursor > 0 ? &cur : NULL, (int)limit,
                          rq->max_occurrences, &page))) {
        return e;
    }

    /* text/calendar on request: each appointment of the page once. */
    rs->appts = page.appts;
    list = am_obj_make(p, &am_xel_list);
    dv = am_obj_get(list, "data");
    dv->set = 1;
    dv->u.a = data = apr_array_make(p, page.entries->nelts + 1,
                                    sizeof(am_value_t));
    for (i = 0; i < page.entries->nelts; i++) {
        const am_entry_t *x = &APR_ARRAY_IDX(page.entries, i, am_entry_t);
        am_obj_t *o = entry_obj(rq, x);
        am_value_t *item;

        if (!o) {
            return am_err_make(p, 500, "The stored recurrence rule of"
                               " appointment %" APR_INT64_T_FMT " cannot"
                               " be read.", x->id);
        }
        item = apr_array_push(data);
        memset(item, 0, sizeof(*item));
        item->set = 1;
        item->u.o = item_obj(rq, o, x->id);
    }
    meta = am_obj_make(p, &am_xel_meta);
    links[0] = link_obj(p, "refresh", list_href(rq, cal, args), "GET");
    links[1] = NULL;
    if (page.next) {
        next[2] = apr_psprintf(p, "%" APR_INT64_T_FMT, limit);
        next[3] = page.next;
        links[1] = link_obj(p, "next", list_href(rq, cal, next), "GET");
        links[2] = NULL;
    }
    set_links(p, meta, links);
    set_obj(list, "meta", meta);
    rs->obj = list;
    return NULL;
}

/* ----------------------------------------------------------- errors */

/* Xelion's errorCode values: by reason (an empty body, a path oid that
 * is not a number: Xelion's path parameters are all oids), else by
 * status. */
static const am_code_t xel_codes_why[] = {
    { AM_WHY_EMPTY_BODY, AM_XEL_EMPTY },
    { AM_WHY_BAD_PARAM, AM_XEL_BAD_ID },
    { 0, 0 }
};

static const am_code_t xel_codes_status[] = {
    { 400, AM_XEL_INVALID }, { 401, AM_XEL_UNAUTHORIZED },
    { 403, AM_XEL_FORBIDDEN }, { 404, AM_XEL_NOT_FOUND },
    { 405, AM_XEL_NOT_FOUND }, { 413, AM_XEL_INVALID },
    { 415, AM_XEL_INVALID }, { 0, 0 }
};

static const am_codes_t xel_codes = {
    xel_codes_why, xel_codes_status, AM_XEL_INVALID, AM_XEL_SERVER
};

static char *xel_error_body(apr_pool_t *p, const am_dialect_t *d,
                            const am_err_t *e, am_fmt_e fmt,
                            const char *method, const char *path,
                            apr_size_t *len)
{
    return am_xelion_error_body(p, &xel_codes, e, fmt, method, path, len);
}

/* ------------------------------------------------------------ routes */

/* The function and permissions of every route, in one place. */
#define XEL_FUNCTION  AM_FN_XELION_CALENDAR
#define XEL_READ      AM_PERM_START
#define XEL_WRITE     AM_PERM_EDIT

static const am_route_t xel_routes[] = {
    { "POST", "appointments", create_appointment, XEL_FUNCTION, XEL_WRITE,
      &am_xel_appointment_in },
    { "GET", "appointments/{oid}", get_appointment, XEL_FUNCTION, XEL_READ,
      NULL, NULL, AM_ROUTE_ICAL },
    { "PATCH", "appointments/{oid}", patch_appointment, XEL_FUNCTION,
      XEL_WRITE, &am_xel_patch },
    { "DELETE", "appointments/{oid}", delete_appointment, XEL_FUNCTION,
      XEL_WRITE, NULL },
    { "GET", "calendars/{oid}", list_calendar, XEL_FUNCTION, XEL_READ,
      NULL, NULL, AM_ROUTE_ICAL },
};

const am_dialect_t am_dialect_xelion = {
    "xelion",
    xel_routes,
    NFIELDS(xel_routes),
    xel_types,
    NULL,
    AM_FMT_JSON,
    xel_error_body
};

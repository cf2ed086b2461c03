/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_xelion.c: the Xelion appointments API (AppointmentsApi xelion):
 * its types as field tables, its routes, and what is truly Xelion's in
 * the mapping to the canonical appointment (docs/xelion.md).
 *
 * Types follow the API's documentation (../shared/seeds 004, INDEX.md and
 * the model page, FACTS-public-docs.md section 6): date-times as
 * "YYYY-MM-DD HH:MM:SS" in the configured zone, oids as strings of
 * digits, answers as {"object": ..., "links": [...]}, lists as {"data":
 * [...], "meta": {"links": [...]}}, errors as {"errorCode", "message",
 * "info"}.
 *
 * The wire object is the view.  A stored appointment of any kind is
 * answered as an XCCAppointment (present_obj); a POST body is written
 * onto a new appointment (am_xel_from_body); a PATCH applies its
 * operations (patch.h, following the table) to the appointment as
 * answered and writes the result as a POST body, over the version read
 * (am_store_change).  A member is one row of XEL_MEMBERS; the generic
 * mapping (model.h) carries the core and the dialect-only (AM_M_EXT)
 * members.  Xelion's own: calendars and participants <-> links, comment
 * <-> remarks, the recurrence members <-> rule (recur.c), and all-day:
 * allStartDay puts the start at 00:00:00 of its day, allEndDay the end at
 * the next midnight (exclusive, as iCalendar keeps all-day ends), answered
 * as 23:59:59 of the day itself.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_time.h>

#include "route.h"
#include "login.h"
#include "codec.h"
#include "errshape.h"
#include "ops.h"
#include "page.h"
#include "patch.h"
#include "perm.h"
#include "recur.h"
#include "dialect_xelion.h"
#include "feed.h"

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

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)
#define NN  AM_F_NONNULL
#define NFIELDS(a) ((int)(sizeof(a) / sizeof(a[0])))
#define ENUM(items) { items, NFIELDS(items) }

/* ------------------------------------------------------------- types */

static const am_enum_item_t user_status_items[] = {
    { "online", 0 }, { "offline", 1 }, { "available", 2 },
    { "unavailable", 3 }, { "dont_disturb", 4 }, { "at_appointment", 5 },
    { "short_out_of_office", 6 }, { "long_out_of_office", 7 }
};
static const am_enum_t user_statuses = ENUM(user_status_items);

/* A reference to another object: {"oid": "1658218", "objectType":
 * "XCCCalendar"}.  Oids are strings of digits (a JSON number is read as
 * its digits); other members ("commonName") are ignored on input. */
static const am_field_t ref_fields[] = {
    { .name = "oid", .type = AM_T_STRING, .max = 32, .flags = AM_F_KEY },
    { .name = "objectType", .type = AM_T_STRING, .max = 64 },
};

am_type_t am_xel_ref = {
    "Reference", NS_XEL, ref_fields, NFIELDS(ref_fields), NULL
};

/* An appointment participant on input: {"person": {"oid": ..,
 * "objectType": "Person"}} as Xelion's create sample sends it, or the
 * reference itself as GET answers it. */
static const am_field_t participant_fields[] = {
    { .name = "person", .type = AM_T_OBJECT, .sub = &am_xel_ref,
      .flags = AM_F_KEY },
    { .name = "oid", .type = AM_T_STRING, .max = 32, .flags = AM_F_KEY },
    { .name = "objectType", .type = AM_T_STRING, .max = 64 },
};

am_type_t am_xel_participant = {
    "AppointmentParticipant", NS_XEL, participant_fields,
    NFIELDS(participant_fields), NULL
};

/* The comment; a PATCH may give its content alone (AM_F_KEY). */
static const am_field_t comment_fields[] = {
    { .name = "content", .type = AM_T_STRING, .flags = AM_F_KEY },
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

/* The members of XCCAppointment in the order of Xelion's model page: one
 * row each, for the answer and for a create (TIMES: the flags of
 * starttime and endtime; PARTICIPANT, PELEM: the type of a participant
 * and its XML element).  The recurrence dates are strings: Xelion sends
 * "" for none (recurrenceTerminationDate in its create sample). */
#define XEL_BOOL(n, fl) { .name = n, .type = AM_T_BOOL, .flags = NN | (fl) }
#define XEL_MEMBERS(TIMES, PARTICIPANT, PELEM) \
    { .name = "eventType", .type = AM_T_STRING, .max = 64, \
      .member = AM_M_EXT }, \
    { .name = "calendars", .type = AM_T_ARRAY, .elem = AM_T_OBJECT, \
      .sub = &am_xel_ref, .elem_name = "Reference", .flags = AM_F_SET, \
      .max = XEL_MAX_RELATIONS }, \
    { .name = "subject", .type = AM_T_STRING, .max = 1000, \
      .member = AM_M_TITLE }, \
    { .name = "starttime", .type = AM_T_XDATETIME, .flags = TIMES, \
      .member = AM_M_START }, \
    { .name = "endtime", .type = AM_T_XDATETIME, .flags = TIMES, \
      .member = AM_M_END }, \
    { .name = "allStartDay", .type = AM_T_BOOL, .flags = NN, \
      .member = AM_M_EXT }, \
    { .name = "allEndDay", .type = AM_T_BOOL, .flags = NN, \
      .member = AM_M_EXT }, \
    { .name = "internal", .type = AM_T_BOOL, .flags = NN, \
      .member = AM_M_EXT }, \
    { .name = "userStatus", .type = AM_T_STRING, .max = 64, \
      .en = &user_statuses, .member = AM_M_EXT }, \
    { .name = "participants", .type = AM_T_ARRAY, .elem = AM_T_OBJECT, \
      .sub = PARTICIPANT, .elem_name = PELEM, .flags = AM_F_SET, \
      .max = XEL_MAX_RELATIONS }, \
    { .name = "locationString", .type = AM_T_STRING, .max = 1000, \
      .member = AM_M_LOCATION }, \
    { .name = "recurrenceTerminationType", .type = AM_T_STRING, \
      .max = 64, .en = &am_xel_termination_types }, \
    { .name = "recurrenceTerminationDate", .type = AM_T_STRING, \
      .max = 32 }, \
    { .name = "firstRecurrenceDate", .type = AM_T_STRING, .max = 32, \
      .flags = AM_F_DERIVED }, \
    { .name = "lastRecurrenceDate", .type = AM_T_STRING, .max = 32, \
      .flags = AM_F_DERIVED }, \
    { .name = "recurrenceCount", .type = AM_T_INT32, .min = 0, \
      .max = AM_RECUR_MAX_COUNT }, \
    { .name = "recurrenceType", .type = AM_T_STRING, .max = 64, \
      .en = &am_xel_recurrence_types }, \
    { .name = "recurrenceInterval", .type = AM_T_INT32, .min = 0, \
      .max = AM_RECUR_MAX_PERIODICITY }, \
    XEL_BOOL("isRecurrence", AM_F_DERIVED | AM_F_FIXED), \
    XEL_BOOL("monday", 0), XEL_BOOL("tuesday", 0), \
    XEL_BOOL("wednesday", 0), XEL_BOOL("thursday", 0), \
    XEL_BOOL("friday", 0), XEL_BOOL("saturday", 0), \
    XEL_BOOL("sunday", 0), \
    { .name = "monthRecurrenceType", .type = AM_T_STRING, .max = 64, \
      .en = &am_xel_month_types }, \
    { .name = "recurrenceLabel", .type = AM_T_STRING, .flags = RO }, \
    { .name = "permissions", .type = AM_T_STRING, .flags = RO }, \
    { .name = "commonName", .type = AM_T_STRING, .flags = RO }, \
    { .name = "comment", .type = AM_T_OBJECT, .sub = &am_xel_comment }, \
    { .name = "oid", .type = AM_T_STRING, .flags = RO }, \
    { .name = "objectType", .type = AM_T_STRING, .max = 64 }

/* XCCAppointment as answered: participants as references. */
static const am_field_t appointment_fields[] = {
    XEL_MEMBERS(NN, &am_xel_ref, "Reference")
};

am_type_t am_xel_appointment = {
    "XCCAppointment", NS_XEL, appointment_fields,
    NFIELDS(appointment_fields), NULL
};

/* XCCAppointment as POST creates it (Xelion's create sample):
 * participants as {"person": ref}, starttime and endtime required. */
static const am_field_t appointment_in_fields[] = {
    XEL_MEMBERS(REQ, &am_xel_participant, "AppointmentParticipant")
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
 * kept as JSON text and read with the member's field (patch.h). */
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

static am_type_t *const xel_types[] = {
    &am_xel_ref, &am_xel_participant, &am_xel_comment, &am_xel_link,
    &am_xel_appointment, &am_xel_appointment_in, &am_xel_item,
    &am_xel_meta, &am_xel_list, &am_xel_operation, &am_xel_patch, NULL
};

/* ----------------------------------------------------------- errors */

/* Problems the shared code found (patch.h, recur.h) are invalid
 * payloads, unless one before them said otherwise. */
static void xerr_invalid(am_err_t *err)
{
    if (err && !err->code) {
        err->code = AM_XEL_INVALID;
    }
}

/* ------------------------------------------------------- references */

/* A value of o by name: set and not null, or NULL. */
static const am_value_t *given(const am_obj_t *o, const char *name)
{
    int i = am_type_field(o->type, name);

    return (i >= 0 && o->v[i].set && !o->v[i].null) ? &o->v[i] : NULL;
}

/* The member name of o: the refs of a's links with rel, each as an item
 * of the member's type {"oid", "objectType": type}. */
static void refs_present(apr_pool_t *p, am_obj_t *o, const char *name,
                         const am_appt_t *a, const char *rel,
                         const char *type)
{
    const am_field_t *f = &o->type->fields[am_type_field(o->type, name)];
    am_value_t *v = am_obj_get(o, name);
    int i;

    v->set = 1;
    v->null = 0;
    v->u.a = apr_array_make(p, 2, sizeof(am_value_t));
    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        am_value_t *item;

        if (strcmp(l->rel, rel)) {
            continue;
        }
        item = apr_array_push(v->u.a);
        memset(item, 0, sizeof(*item));
        item->set = 1;
        item->u.o = am_obj_make(p, f->sub);
        am_obj_set_str(item->u.o, "oid", l->ref);
        am_obj_set_str(item->u.o, "objectType", type);
    }
}

/* The oid of a reference object (ref or participant) into *oid; errors
 * keyed key.  type: the objectType it must have when it says one (NULL
 * = any). */
static void ref_from_obj(apr_pool_t *p, const am_obj_t *o, const char *key,
                         const char *type, const char **oid,
                         am_err_t **err)
{
    const am_value_t *person = given(o, "person");
    const am_value_t *ov, *tv;

    *oid = NULL;
    if (person && person->u.o) {
        o = person->u.o;
        key = apr_pstrcat(p, key, ".person", NULL);
    }
    ov = given(o, "oid");
    tv = given(o, "objectType");
    if (type && tv && strcmp(tv->u.s, type)) {
        am_err_add(p, err, AM_XEL_BAD_ID, apr_pstrcat(p, key, ".objectType",
                                                      NULL),
                   "The objectType must be %s, not '%s'.", type, tv->u.s);
        return;
    }
    if (!ov) {
        am_err_add(p, err, AM_XEL_INVALID, apr_pstrcat(p, key, ".oid", NULL),
                   "An oid is required.");
        return;
    }
    if (!(*oid = am_id_text(p, ov->u.s))) {
        am_err_add(p, err, AM_XEL_BAD_ID, apr_pstrcat(p, key, ".oid", NULL),
                   "'%s' is not an oid.", ov->u.s);
    }
}

/* An item of calendars or participants that a PATCH names: its oid
 * (patch.h). */
static const char *ref_item(apr_pool_t *p, const am_field_t *set,
                            const am_obj_t *item, const char *key,
                            am_err_t **err)
{
    const char *oid = NULL;

    ref_from_obj(p, item, key, strcmp(set->name, "calendars") ? NULL
                                      : XEL_CALENDAR_TYPE, &oid, err);
    return oid;
}

/* The member name of body as links rel of a (replacing a's links of
 * that rel), each oid once. */
static void refs_write(apr_pool_t *p, const am_obj_t *body,
                       const char *name, const char *type, const char *rel,
                       apr_array_header_t *links, am_err_t **err)
{
    const am_value_t *arr = given(body, name);
    int i, j;

    for (i = 0; arr && i < arr->u.a->nelts; i++) {
        const am_value_t *item = &APR_ARRAY_IDX(arr->u.a, i, am_value_t);
        const char *key = apr_psprintf(p, "%s[%d]", name, i);
        const char *oid = NULL;
        int seen = 0;

        if (!item->set || item->null || !item->u.o) {
            am_err_add(p, err, AM_XEL_INVALID, key, "A reference is"
                       " required.");
            continue;
        }
        ref_from_obj(p, item->u.o, key, type, &oid, err);
        for (j = 0; oid && j < links->nelts && !seen; j++) {
            const am_link_t *l = &APR_ARRAY_IDX(links, j, am_link_t);

            seen = !strcmp(l->rel, rel) && !strcmp(l->ref, oid);
        }
        if (oid && !seen) {
            am_link_t *l = apr_array_push(links);

            l->rel = rel;
            l->ref = oid;
        }
    }
}

/* ---------------------------------------------------------- present */

/* The XCCAppointment object of a in type t (the answer's, or the
 * create's for the start of a change: edit keeps a missing comment
 * missing); rule is a's (or NULL). */
static am_obj_t *present_obj(apr_pool_t *p, const am_tz_t *tz,
                             const am_appt_t *a, const am_rule_t *rule,
                             const am_type_t *t, int edit)
{
    am_obj_t *o = am_model_to_obj(p, t, a, tz);
    am_obj_t *c = am_obj_make(p, &am_xel_comment);
    const char *oid = apr_psprintf(p, "%" APR_INT64_T_FMT, a->id);
    const am_value_t *v;
    int es = (v = given(o, "allStartDay")) && v->u.i;
    int ee = (v = given(o, "allEndDay")) && v->u.i;
    int all_start = 0, all_end = 0;
    am_time_t start = a->start, end = a->end;

    if (a->all_day) {
        all_start = all_end = 1;
    }
    else if (es != ee) {
        /* One of the two, Xelion's own.  Both set without all_day means
         * another API cleared all-day: neither then. */
        all_start = es;
        all_end = ee;
    }
    if (all_start) {
        start = am_tz_day_start(tz, a->start, 0);
    }
    if (all_end) {
        /* The stored end is the next midnight (exclusive) or, written by
         * another dialect, any time of the last day. */
        am_time_t last = (am_tz_is_midnight(tz, a->end) && a->end > a->start)
                         ? a->end - 1 : a->end;

        end = am_tz_day_start(tz, last, 1) - AM_TICKS_PER_SEC;
        if (end < start) {
            end = start;
        }
    }
    am_obj_set_time(o, "starttime", start);
    am_obj_set_time(o, "endtime", end);
    am_obj_set_int(o, "allStartDay", all_start);
    am_obj_set_int(o, "allEndDay", all_end);
    am_obj_set_int(o, "internal", (v = given(o, "internal")) && v->u.i);
    if (!given(o, "userStatus")) {
        am_obj_set_null(o, "userStatus");
    }
    if (!a->title) {
        am_obj_set_null(o, "subject");
    }
    if (!a->location) {
        am_obj_set_null(o, "locationString");
    }
    refs_present(p, o, "calendars", a, AM_XEL_REL_CALENDAR,
                 XEL_CALENDAR_TYPE);
    refs_present(p, o, "participants", a, AM_XEL_REL_PARTICIPANT,
                 XEL_PERSON_TYPE);
    am_rule_to_xelion(p, rule, a->last_end ? a->last_end : a->end, tz, o);
    am_obj_set_str(o, "permissions", XEL_PERMISSIONS);
    am_obj_set_str(o, "commonName", a->title ? a->title : "");
    if (a->remarks || !edit) {
        am_obj_set_str(c, "content", a->remarks ? a->remarks : "");
    }
    am_obj_set_str(c, "oid", oid);
    am_obj_set_str(c, "objectType", XEL_COMMENT_TYPE);
    am_obj_set_obj(o, "comment", c);
    am_obj_set_str(o, "oid", oid);
    am_obj_set_str(o, "objectType", XEL_OBJECT_TYPE);
    return o;
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

am_obj_t *am_xel_present(apr_pool_t *p, const am_tz_t *tz,
                         const am_appt_t *a)
{
    am_rule_t *rule = NULL;

    if (rule_of(p, a, &rule)) {
        return NULL;
    }
    return present_obj(p, tz, a, rule, &am_xel_appointment, 0);
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
    am_obj_set_obj(item, "object", o);
    am_obj_set_objs(rq->pool, item, "links", links);
    return item;
}

/* ------------------------------------------------------------ write */

am_err_t *am_xel_from_body(apr_pool_t *p, const am_tz_t *tz,
                           const am_obj_t *body, am_appt_t *a)
{
    am_obj_t *o = am_obj_make(p, body->type);
    am_err_t *err = NULL;
    am_rule_t *stored = NULL, *rule = NULL;
    am_appt_t work = *a;
    apr_array_header_t *links;
    am_xel_recur_t x;
    const am_value_t *v;
    am_time_t start, end;
    int all_start, all_end, i;

    memcpy(o->v, body->v, sizeof(*o->v) * (apr_size_t)body->type->nfields);
    if ((v = given(o, "objectType")) && strcmp(v->u.s, XEL_OBJECT_TYPE)) {
        am_err_add(p, &err, AM_XEL_BAD_ID, "objectType", "The objectType"
                   " must be %s, not '%s'.", XEL_OBJECT_TYPE, v->u.s);
    }
    work.remarks = NULL;
    if ((v = given(o, "comment")) && v->u.o) {
        const am_value_t *ct = given(v->u.o, "objectType");
        const am_value_t *cc = given(v->u.o, "content");

        if (ct && strcmp(ct->u.s, XEL_COMMENT_TYPE)) {
            am_err_add(p, &err, AM_XEL_BAD_ID, "comment.objectType",
                       "The objectType must be %s, not '%s'.",
                       XEL_COMMENT_TYPE, ct->u.s);
        }
        work.remarks = cc ? cc->u.s : NULL;
    }
    /* The relations: links of other relations stay. */
    links = apr_array_make(p, a->links ? a->links->nelts + 2 : 2,
                           sizeof(am_link_t));
    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        if (strcmp(l->rel, AM_XEL_REL_CALENDAR)
            && strcmp(l->rel, AM_XEL_REL_PARTICIPANT)) {
            APR_ARRAY_PUSH(links, am_link_t) = *l;
        }
    }
    refs_write(p, o, "calendars", XEL_CALENDAR_TYPE, AM_XEL_REL_CALENDAR,
               links, &err);
    refs_write(p, o, "participants", NULL, AM_XEL_REL_PARTICIPANT, links,
               &err);
    am_obj_check_enums(p, o, &err);
    am_xel_recur_read(p, o, tz, &x, &err);
    xerr_invalid(err);
    if (err) {
        return err;
    }

    /* The times: a series moved to its firstRecurrenceDate, the all-day
     * rule. */
    start = am_obj_get(o, "starttime")->u.t;
    end = am_obj_get(o, "endtime")->u.t;
    all_start = (v = given(o, "allStartDay")) && v->u.i;
    all_end = (v = given(o, "allEndDay")) && v->u.i;
    am_xel_recur_move(tz, &x, &start, &end);
    if (all_start) {
        start = am_tz_day_start(tz, start, 0);
    }
    if (all_end) {
        end = am_tz_day_start(tz, end, 1);
    }
    if (end < start) {
        am_err_add(p, &err, AM_XEL_INVALID, "endtime",
                   "endtime must not be before starttime.");
        return err;
    }
    if (start < AM_TIME_MIN || end > AM_TIME_MAX) {
        am_err_add(p, &err, AM_XEL_INVALID, "endtime",
                   "The appointment must lie within the years 1 to 9999.");
        return err;
    }
    if ((err = rule_of(p, a, &stored))) {
        return err;
    }
    if (x.recurring && !(rule = am_rule_from_xelion(p, tz, &x, start, end,
                                                    stored, a->start,
                                                    &err))) {
        xerr_invalid(err);
        return err;
    }

    /* The members of the table (core and dialect-only), then Xelion's. */
    work.links = links;
    if ((err = am_model_from_obj(p, o, &work, tz))) {
        return err;
    }
    work.start = start;
    work.end = end;
    work.all_day = all_start && all_end;
    if (rule) {
        work.rule = am_rule_format(p, rule, tz);
        work.last_end = am_rule_last_end(rule, tz);
        work.appt_type = 1;         /* PlanCare2's AppointmentType
                                     * Recurrence */
    }
    else {
        work.rule = NULL;
        work.last_end = 0;
        work.appt_type = 0;
    }
    *a = work;
    return NULL;
}

/* ------------------------------------------------------------ PATCH */

static int no_operations(const am_obj_t *patch)
{
    const am_value_t *ops = am_obj_get((am_obj_t *)patch, "operations");

    return !ops->set || ops->null || !ops->u.a || ops->u.a->nelts == 0;
}

static am_err_t *empty_payload(apr_pool_t *p)
{
    am_err_t *e = am_err_make(p, 400, "The payload is empty: no"
                              " operations.");

    e->code = AM_XEL_EMPTY;
    return e;
}

am_err_t *am_xel_patch_apply(apr_pool_t *p, const am_tz_t *tz,
                             const am_obj_t *patch, am_appt_t *a)
{
    am_rule_t *rule = NULL;
    am_err_t *err = NULL;
    am_obj_t *o;

    if (no_operations(patch)) {
        return empty_payload(p);
    }
    if ((err = rule_of(p, a, &rule))) {
        return err;
    }
    /* The appointment as answered (in the create's type), less what is
     * derived; the operations; then written as a created one is. */
    o = present_obj(p, tz, a, rule, &am_xel_appointment_in, 1);
    am_patch_base(o);
    am_patch_apply(p, o, am_obj_get((am_obj_t *)patch, "operations")->u.a,
                   tz, ref_item, &err);
    if (err) {
        xerr_invalid(err);
        return err;
    }
    return am_xel_from_body(p, tz, o, a);
}

/* ---------------------------------------------------------- handlers */

/* What the appointment routes serve (ops.h): Xelion's own appointments
 * are made here; every kind is read, changed and deleted (one id
 * space). */
static const am_view_t xel_view = {
    AM_KIND_XELION, 0, "oid", NULL, "appointments/%" APR_INT64_T_FMT
};

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

    if ((e = am_xel_from_body(rq->pool, rq->tz, rq->body, a))
        || (e = am_op_create(rq, rs, &xel_view, a))) {
        return e;
    }
    rs->status = 201;
    return respond_one(rq, rs, a);
}

static am_err_t *get_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if ((e = am_op_read(rq, &xel_view, am_op_id(rq, &xel_view), &a))) {
        return e;
    }
    return respond_one(rq, rs, a);
}

/* The change of a PATCH: its operations on the version read. */
static am_err_t *patch_change(void *ctx, const am_appt_t *old, am_appt_t *a,
                              int *clear)
{
    am_req_t *rq = ctx;
    am_err_t *e = am_xel_patch_apply(rq->pool, rq->tz, rq->body, a);

    *clear = !e && am_rule_pattern_changed(rq->pool, old->rule, a->rule);
    return e;
}

static am_err_t *patch_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    /* An empty payload is answered before the appointment is looked
     * up. */
    if (no_operations(rq->body)) {
        return empty_payload(rq->pool);
    }
    if ((e = am_store_change(rq->store, am_op_id(rq, &xel_view),
                             AM_KIND_ANY, rq->if_match, patch_change, rq,
                             &a))) {
        return e;
    }
    rs->status = 204;
    rs->version = a->version;
    return NULL;
}

static am_err_t *delete_appointment(am_req_t *rq, am_resp_t *rs)
{
    return am_op_delete(rq, rs, &xel_view);
}

/* ------------------------------------------------- calendar listing */

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

    c->start = x->start;
    c->end = x->end;
    if (x->exc) {
        c->title = x->exc->title ? x->exc->title : c->title;
        c->location = x->exc->location ? x->exc->location : c->location;
        c->remarks = x->exc->remarks ? x->exc->remarks : c->remarks;
    }
    return present_obj(rq->pool, rq->tz, c, x->rule, &am_xel_appointment, 0);
}

/* GET calendars/{oid}?after&before&limit&cursor: the appointments of a
 * calendar in a range (today by default), series as their occurrences,
 * a page at a time. */
static am_err_t *list_calendar(am_req_t *rq, am_resp_t *rs)
{
    apr_pool_t *p = rq->pool;
    const char *cal = am_id_text(p, apr_table_get(rq->params, "oid"));
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
        if (am_time_parse_when(after, rq->tz, &t, &day)) {
            am_err_add(p, &err, AM_XEL_INVALID, "after", "The value '%s' is"
                       " not valid for after (expected a date such as"
                       " 2016-11-10 or 2016-11-10 08:00:00).", after);
        }
        else {
            q.from = t;
        }
    }
    if (before && *before) {
        if (am_time_parse_when(before, rq->tz, &t, &day)) {
            am_err_add(p, &err, AM_XEL_INVALID, "before", "The value '%s'"
                       " is not valid for before (expected a date such as"
                       " 2016-12-09 or 2016-12-09 18:00:00).", before);
        }
        else {
            before_t = t;
            q.until = day ? am_tz_day_start(rq->tz, t, 1) : t;
        }
    }
    if (!(after && *after) && !(before && *before)) {
        /* Today, in the configured zone. */
        am_time_t now = (am_time_t)apr_time_now() * 10;

        q.from = am_tz_day_start(rq->tz, now, 0);
        q.until = am_tz_day_start(rq->tz, now, 1);
        next[0] = next[1] = day_text(p, rq->tz, now);
    }
    if (!err && (q.until < q.from || before_t < q.from)) {
        am_err_add(p, &err, AM_XEL_INVALID, "before", "before must not be"
                   " before after.");
    }
    has_cursor = am_cursor_parse(p, cursor, &cur);
    if (has_cursor < 0) {
        am_err_add(p, &err, AM_XEL_INVALID, "cursor", "The cursor '%s' is"
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
    am_obj_set_objs(p, meta, "links", links);
    am_obj_set_obj(list, "meta", meta);
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

/* What the members mean, for the descriptions. */
static const am_member_doc_t xel_docs[] = {
    { "oid", "The object id." },
    { "objectType", "The object's type (XCCAppointment, XCCCalendar,"
      " Person, Comment)." },
    { "calendars", "The calendars the appointment is in." },
    { "subject", "The subject." },
    { "starttime", "The start." },
    { "endtime", "The end." },
    { "allStartDay", "The start is at 00:00:00." },
    { "allEndDay", "The end is at 23:59:59." },
    { "participants", "The people who take part." },
    { "locationString", "The location." },
    { "recurrenceType", "daily, weekly, monthly or yearly." },
    { "recurrenceInterval", "Every how many days, weeks, months or"
      " years." },
    { "recurrenceTerminationType", "How the recurrence ends"
      " (recurrenceCount, a date, or never)." },
    { "recurrenceCount", "How many times it occurs." },
    { "permissions", "What the user may do with it." },
    { "operations", "The operations, applied atomically in order." },
    { "op", "The operation: replace, add, remove." },
    { "path", "The member the operation changes (\"/subject\")." },
    { "value", "The new value (its type is the member's)." },
    { "links", "Links to related resources." },
    { "data", "The page's appointments." },
    { "meta", "Links to the next page." },
    { NULL }
};

static const am_param_t q_oid[] = {
    { "oid", 0, 0, 0, "The object id of the appointment." }, { NULL }
};
static const am_param_t q_calendar[] = {
    { "oid", 0, 0, 0, "The object id of the calendar." },
    { "after", AM_T_XDATETIME, 0, 0, "Only appointments ending after this"
      " time." },
    { "before", AM_T_XDATETIME, 0, 0, "Only appointments starting before"
      " this time." },
    { "limit", AM_T_INT64, 0, 0, "At most this many appointments (default"
      " 15).", 1, XEL_MAX_LIMIT },
    { NULL }
};

/* The feed of a calendar (feed.h): what GET calendars/{oid} lists. */
static const am_feed_t feed_calendar = {
    "oid", NULL, "Calendar", 1, { { AM_KIND_ANY, AM_XEL_REL_CALENDAR } }
};

static const am_route_t xel_routes[] = {
    { "POST", "appointments", create_appointment, XEL_FUNCTION, XEL_WRITE,
      &am_xel_appointment_in,
      .doc = "Adds an appointment; answers the created object.",
      .out = &am_xel_item, .answer = AM_ANSWER_ONE, .status = 201 },
    { "GET", "appointments/{oid}", get_appointment, XEL_FUNCTION, XEL_READ,
      NULL,
      .doc = "Gets an appointment.", .out = &am_xel_item,
      .answer = AM_ANSWER_ONE, .query = q_oid, .flags = AM_ROUTE_ICAL },
    { "PATCH", "appointments/{oid}", patch_appointment, XEL_FUNCTION,
      XEL_WRITE, &am_xel_patch,
      .doc = "Updates an appointment with atomic operations; answers no"
             " body.", .answer = AM_ANSWER_NONE, .status = 204,
      .query = q_oid },
    { "DELETE", "appointments/{oid}", delete_appointment, XEL_FUNCTION,
      XEL_WRITE, NULL,
      .doc = "Removes an appointment.", .answer = AM_ANSWER_NONE,
      .status = 204, .query = q_oid },
    { "GET", "calendars/{oid}", list_calendar, XEL_FUNCTION, XEL_READ,
      NULL,
      .doc = "The appointments of a calendar in a range, a page at a time"
             " (series expanded).", .out = &am_xel_list,
      .answer = AM_ANSWER_ONE, .query = q_calendar,
      .flags = AM_ROUTE_ICAL },
    AM_FEED_ROUTES("calendars/{oid}.ics",
                   XEL_FUNCTION, XEL_READ, &feed_calendar),
    /* Logging in (login.h): public routes, served by the glue. */
    { "POST", "me/login", am_login_handler, NULL, NULL, NULL,
      &am_login_xel_login, .login = "xelion",
      .doc = "Logs in: LoginCredentials {userName, password, userSpace,"
             " clientId, appKey}; answers LoginResponse {authentication,"
             " renewalToken, validUntil, version, serverVersion, brand,"
             " buildNumber, host, tenant, userName}; then Authorization:"
             " xelion <authentication>" },
    { "POST", "me/renew", am_login_handler, NULL, NULL, NULL,
      &am_login_xel_renew,
      .doc = "Renews the session: the renewal token (or the password,"
             " with the session's Authorization) as a JSON string;"
             " answers a LoginResponse with both tokens new" },
    { "POST", "me/logout", am_login_handler, NULL, NULL, NULL,
      &am_login_xel_logout,
      .doc = "Ends the session of the Authorization header (no payload,"
             " no answer body)" },
};

/* Xelion's own appointments. */
static const am_home_t xel_homes[] = {
    { AM_KIND_XELION, "GET", "appointments/{id}",
      "PATCH", "appointments/{id}", 0 },
};

const am_dialect_t am_dialect_xelion = {
    "xelion",
    xel_routes,
    NFIELDS(xel_routes),
    xel_types,
    NULL,
    AM_FMT_JSON,
    xel_error_body,
    xel_homes,
    NFIELDS(xel_homes),
    .title = "Xelion appointments API",
    .doc = "Appointments of Xelion (telephony): add, get, patch and remove"
           " appointments, and list a calendar.",
    .member_docs = xel_docs
};

/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_patient.c: the DrCare patient appointment API (AppointmentsApi
 * patient), mounted for example on /api/Calendar: its types as field
 * tables, its routes, its handlers.
 *
 * AppointmentModel follows the API's page "POST
 * api/Calendar/PatientAppointmentPost_v2" (../shared/seeds 003).  The
 * appointment's id is the GUID uid every stored appointment has.  The
 * mapping to the canonical appointment:
 *   AppointmentOn      start (the end is start + AppointmentsDefaultDuration
 *                      on create; a reschedule keeps the duration)
 *   Reason             title (why the visit is booked: the subject the
 *                      other dialects show)
 *   Note               remarks
 *   PatientId          link "patient"
 *   ProviderId         link "provider" (the double-booking relation)
 *   the cancel reason  reason (canonical: why it was cancelled)
 *   everything else    dialect-only (ext)
 */
#include <string.h>

#include "route.h"
#include "login.h"
#include "codec.h"
#include "perm.h"
#include "errshape.h"
#include "dialect_patient.h"
#include "feed.h"

/* The API's pages document no XML format; this is the DataContract
 * namespace its types get here (docs/patient.md). */
#define NS_PAT "http://schemas.datacontract.org/2004/07/DrCare.Api.Models"

#define ENUM(items, name) \
    { items, (int)(sizeof(items) / sizeof(items[0])), name }
#define NFIELDS(fields) ((int)(sizeof(fields) / sizeof(am_field_t)))

/* ------------------------------------------------------------- enums */

/* The canonical status values (model.h), named for a patient's booking. */
static const am_enum_item_t status_items[] = {
    { "Booked", AM_STATUS_CREATED }, { "Completed", AM_STATUS_COMPLETED },
    { "Cancelled", AM_STATUS_CANCELLED }
};
const am_enum_t am_patient_status =
    ENUM(status_items, "AppointmentStatus");

/* ------------------------------------------------------------- types */

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)
/* Value types of the page ("decimal number", "integer") and the status:
 * never null in an answer (0 when unset), as .NET writes a decimal or an
 * int.  The GUID members stay null when unset: the page types required
 * and optional ones alike, and an empty GUID would name a provider or
 * patient (docs/patient.md). */
#define VAL AM_F_VALUE

#define REASON_MAX  250
#define NOTE_MAX    1000

/* Reasons: an item of AppointmentModel.Reasons. */
static const am_field_t reason_fields[] = {
    { .name = "ReasonId", .type = AM_T_GUID, .member = AM_M_NONE },
};

am_type_t am_patient_reason = {
    "Reasons", NS_PAT, reason_fields, NFIELDS(reason_fields), NULL
};

/* AppointmentModel (seed 003) in the order of its sample, after the
 * server's Id; the read-only members at the end are the server's answer
 * (accepted on input and ignored). */
static const am_field_t appointment_fields[] = {
    { .name = "Id", .type = AM_T_GUID, .flags = RO, .member = AM_M_NONE },
    { .name = "EncounterTypeId", .type = AM_T_GUID, .member = AM_M_EXT },
    { .name = "EncounterTypeModeDurationId", .type = AM_T_GUID,
      .member = AM_M_EXT },
    { .name = "ProviderId", .type = AM_T_GUID, .member = AM_M_LINK,
      .rel = "provider" },
    { .name = "UserId", .type = AM_T_GUID, .flags = REQ,
      .member = AM_M_EXT },
    { .name = "PatientId", .type = AM_T_GUID, .member = AM_M_LINK,
      .rel = "patient" },
    { .name = "SpecialityId", .type = AM_T_GUID, .member = AM_M_EXT },
    { .name = "AppointmentOn", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_START },
    { .name = "SecondaryAppointmentOn", .type = AM_T_DATETIME,
      .member = AM_M_EXT },
    { .name = "Reason", .type = AM_T_STRING, .flags = AM_F_REQUIRED,
      .min = 0, .max = REASON_MAX, .member = AM_M_TITLE },
    { .name = "Note", .type = AM_T_STRING, .min = 0, .max = NOTE_MAX,
      .member = AM_M_REMARKS },
    { .name = "ParentId", .type = AM_T_GUID, .member = AM_M_EXT },
    { .name = "ReferredParentId", .type = AM_T_GUID, .member = AM_M_EXT },
    { .name = "PaidAmount", .type = AM_T_DECIMAL, .flags = VAL,
      .member = AM_M_EXT },
    { .name = "AccountId", .type = AM_T_GUID, .flags = REQ,
      .member = AM_M_EXT },
    { .name = "ServiceId", .type = AM_T_GUID, .member = AM_M_EXT },
    { .name = "MethodId", .type = AM_T_INT32, .flags = VAL,
      .member = AM_M_EXT },
    { .name = "IsCustomFormFlow", .type = AM_T_STRING, .member = AM_M_EXT },
    { .name = "DocIds", .type = AM_T_STRING, .member = AM_M_EXT },
    { .name = "Reasons", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_patient_reason, .elem_name = "Reasons",
      .member = AM_M_EXT },
    { .name = "AppointmentEndOn", .type = AM_T_DATETIME, .flags = RO,
      .member = AM_M_END },
    { .name = "Status", .type = AM_T_ENUM, .flags = RO | VAL,
      .en = &am_patient_status, .member = AM_M_STATUS },
    { .name = "CancelReason", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_REASON },
    { .name = "CreatedBy", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_CREATED_BY_NAME },
};

am_type_t am_patient_appointment = {
    "AppointmentModel", NS_PAT, appointment_fields,
    NFIELDS(appointment_fields), NULL
};

/* The body of PatientAppointmentCancel. */
static const am_field_t cancel_fields[] = {
    { .name = "Id", .type = AM_T_GUID, .flags = REQ, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .flags = AM_F_REQUIRED,
      .min = 0, .max = REASON_MAX, .member = AM_M_NONE },
};

am_type_t am_patient_cancel = {
    "AppointmentCancelModel", NS_PAT, cancel_fields, NFIELDS(cancel_fields),
    NULL
};

/* The body of PatientAppointmentReschedule. */
static const am_field_t reschedule_fields[] = {
    { .name = "Id", .type = AM_T_GUID, .flags = REQ, .member = AM_M_NONE },
    { .name = "AppointmentOn", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_NONE },
    { .name = "SecondaryAppointmentOn", .type = AM_T_DATETIME,
      .member = AM_M_NONE },
};

am_type_t am_patient_reschedule = {
    "AppointmentRescheduleModel", NS_PAT, reschedule_fields,
    NFIELDS(reschedule_fields), NULL
};

static am_type_t *const patient_types[] = {
    &am_patient_reason, &am_patient_appointment, &am_patient_cancel,
    &am_patient_reschedule, NULL
};

/* ---------------------------------------------------------- handlers */

#define REL_PATIENT   "patient"
#define REL_PROVIDER  "provider"

/* The answer for appointment a: AppointmentModel with the server's
 * members. */
static am_obj_t *present(am_req_t *rq, const am_appt_t *a)
{
    am_obj_t *o = am_model_to_obj(rq->pool, &am_patient_appointment, a,
                                  rq->tz);

    am_obj_set_str(o, "Id", a->uid);
    return o;
}

static am_err_t *respond_one(am_req_t *rq, am_resp_t *rs, const am_appt_t *a)
{
    rs->obj = present(rq, a);
    rs->version = a->version;
    /* for a text/calendar answer */
    rs->appts = apr_array_make(rq->pool, 1, sizeof(const am_appt_t *));
    APR_ARRAY_PUSH(rs->appts, const am_appt_t *) = a;
    return NULL;
}

/* The duration of a new appointment, in ticks. */
static am_time_t default_duration(const am_req_t *rq)
{
    int min = rq->default_duration_min > 0 ? rq->default_duration_min
                                           : AM_DEFAULT_DURATION_MIN;

    return (am_time_t)min * AM_TICKS_PER_MIN;
}

/* Sets a's times to [start, start + duration); 400 naming field when
 * the end would fall beyond the last representable instant. */
static am_err_t *set_times(am_req_t *rq, am_appt_t *a, am_time_t start,
                           am_time_t duration, const char *field)
{
    if (start > AM_TIME_MAX - duration) {
        am_err_t *e = am_err_invalid(rq->pool);

        am_err_field(rq->pool, e, field, "The appointment would end after"
                     " 9999-12-31.");
        return e;
    }
    a->start = start;
    a->end = start + duration;
    a->last_end = 0;
    return NULL;
}

/* With AppointmentsPreventDoubleBooking On, the store refuses (409) a
 * write that overlaps another appointment of the same provider that is
 * not cancelled, atomically. */
static void guard_double_booking(am_req_t *rq, am_appt_t *a)
{
    a->exclusive = (rq->prevent_double_booking
                    && am_appt_link(a, REL_PROVIDER)) ? REL_PROVIDER : NULL;
}

/* POST PatientAppointmentPost[_v1|_v2]: AppointmentModel -> the stored
 * appointment with its new Id. */
static am_err_t *post_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = am_appt_make(rq->pool, AM_KIND_PATIENT);
    am_err_t *e;

    if ((e = am_model_from_obj(rq->pool, rq->body, a, rq->tz))
        || (e = set_times(rq, a, a->start, default_duration(rq),
                          "AppointmentOn"))) {
        return e;
    }
    a->status = AM_STATUS_CREATED;
    am_stamp_created(rq, a);
    guard_double_booking(rq, a);
    if ((e = am_store_create(rq->store, a))) {
        return e;
    }
    rs->location = apr_pstrcat(rq->pool, "PatientAppointmentGet/", a->uid,
                               NULL);
    return respond_one(rq, rs, a);
}

/* The patient appointment with the GUID uid (canonical form). */
static am_err_t *load(am_req_t *rq, const char *uid, am_appt_t **a)
{
    return am_store_get_uid(rq->store, uid, AM_KIND_PATIENT, a);
}

/* GET PatientAppointmentGet/{id} */
static am_err_t *get_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if ((e = load(rq, apr_table_get(rq->params, "id"), &a))) {
        return e;
    }
    return respond_one(rq, rs, a);
}

/* The GUID query argument name (canonical), NULL when absent; a bad
 * value is added to *err. */
static const char *arg_guid(am_req_t *rq, const char *name, am_err_t **err)
{
    const char *v = apr_table_get(rq->query, name);
    const char *g;

    if (!v || !*v) {
        return NULL;
    }
    if (!(g = am_guid_parse(rq->pool, v))) {
        if (!*err) {
            *err = am_err_invalid(rq->pool);
        }
        am_err_field(rq->pool, *err, name, "The value '%s' is not valid"
                     " for %s (expected a GUID).",
                     strlen(v) > 64 ? "..." : v, name);
    }
    return g;
}

/* GET PatientAppointmentList?patientId=..&providerId=..&from=..&until=..
 * The appointments of a patient and/or a provider that overlap
 * [from, until), cancelled ones included, by start. */
static am_err_t *list_appointments(am_req_t *rq, am_resp_t *rs)
{
    const char *patient, *provider;
    apr_array_header_t *found;
    am_err_t *e = NULL;
    am_query_t q;
    int i;

    memset(&q, 0, sizeof(q));
    patient = arg_guid(rq, "patientId", &e);
    provider = arg_guid(rq, "providerId", &e);
    am_arg_time(rq, "from", 1, &q.from, &e);
    am_arg_time(rq, "until", 1, &q.until, &e);
    if (!e && !patient && !provider) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "patientId", "Either patientId or"
                     " providerId is required.");
    }
    if (!e && q.until <= q.from) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "until", "until must be after from.");
    }
    if (e) {
        return e;
    }
    q.kind = AM_KIND_PATIENT;
    q.rel = provider ? REL_PROVIDER : REL_PATIENT;
    q.refs = provider ? &provider : &patient;
    q.nrefs = 1;
    if ((e = am_store_list(rq->store, &q, &found))) {
        return e;
    }
    rs->list_type = &am_patient_appointment;
    rs->list = apr_array_make(rq->pool, found->nelts ? found->nelts : 1,
                                  sizeof(am_obj_t *));
    rs->appts = apr_array_make(rq->pool, found->nelts ? found->nelts : 1,
                                   sizeof(const am_appt_t *));
    for (i = 0; i < found->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(found, i, const am_appt_t *);
        const char *pat = am_appt_link(a, REL_PATIENT);

        /* Both given: the provider's appointments with that patient. */
        if (provider && patient && (!pat || strcmp(pat, patient))) {
            continue;
        }
        APR_ARRAY_PUSH(rs->list, am_obj_t *) = present(rq, a);
        APR_ARRAY_PUSH(rs->appts, const am_appt_t *) = a;
    }
    return NULL;
}

/* POST PatientAppointmentCancel {Id, Reason}: the appointment stays,
 * with status Cancelled and the reason; cancelling it again changes
 * nothing. */
static am_err_t *cancel_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if ((e = load(rq, am_obj_get(rq->body, "Id")->u.s, &a))) {
        return e;
    }
    if (a->status == AM_STATUS_CANCELLED) {
        return respond_one(rq, rs, a);
    }
    a->status = AM_STATUS_CANCELLED;
    a->reason = am_obj_get(rq->body, "Reason")->u.s;
    am_stamp_status(rq, a);
    a->exclusive = NULL;
    if ((e = am_store_update(rq->store, a, rq->if_match))) {
        return e;
    }
    return respond_one(rq, rs, a);
}

/* POST PatientAppointmentReschedule {Id, AppointmentOn,
 * SecondaryAppointmentOn}: moves the appointment, keeping its duration;
 * SecondaryAppointmentOn changes only when given (not null). */
static am_err_t *reschedule_appointment(am_req_t *rq, am_resp_t *rs)
{
    am_value_t *secondary = am_obj_get(rq->body, "SecondaryAppointmentOn");
    am_appt_t *a = NULL;
    am_time_t duration;
    am_err_t *e;

    if ((e = load(rq, am_obj_get(rq->body, "Id")->u.s, &a))) {
        return e;
    }
    if (a->status == AM_STATUS_CANCELLED) {
        return am_err_make(rq->pool, 409, "The appointment is cancelled;"
                           " a cancelled appointment cannot be"
                           " rescheduled.");
    }
    duration = a->end > a->start ? a->end - a->start : default_duration(rq);
    if ((e = set_times(rq, a, am_obj_get(rq->body, "AppointmentOn")->u.t,
                       duration, "AppointmentOn"))) {
        return e;
    }
    if (secondary->set && !secondary->null) {
        /* A null is "not given": a .NET client without a new secondary
         * time sends null (Json.NET and DataContractSerializer write
         * every member).  Through the AppointmentModel mapping, so that
         * it lands in the dialect's own fields exactly as a post puts it
         * there. */
        am_obj_t *o = am_obj_make(rq->pool, &am_patient_appointment);

        *am_obj_get(o, "SecondaryAppointmentOn") = *secondary;
        if ((e = am_model_from_obj(rq->pool, o, a, rq->tz))) {
            return e;
        }
    }
    guard_double_booking(rq, a);
    if ((e = am_store_update(rq->store, a, rq->if_match))) {
        return e;
    }
    return respond_one(rq, rs, a);
}

/* ------------------------------------------------------------ routes */

/* The function and permissions the routes need (docs/patient.md). */
#define FUNC   AM_FN_PATIENT_CALENDAR
#define READ   AM_PERM_START
#define WRITE  AM_PERM_EDIT

static const am_param_t q_get[] = {
    { "id", 0, 0, 0, "The id of the appointment." }, { NULL }
};
static const am_param_t q_list[] = {
    { "patientId", AM_T_GUID, 0, 0, "The patient (this or providerId is"
      " required)." },
    { "providerId", AM_T_GUID, 0, 0, "The provider." },
    { "from", AM_T_DATETIME, 0, AM_F_REQUIRED, "Start of the range." },
    { "until", AM_T_DATETIME, 0, AM_F_REQUIRED, "End of the range (after"
      " from)." },
    { NULL }
};

#define ONE  .out = &am_patient_appointment, .answer = AM_ANSWER_ONE

/* The feeds (feed.h): a provider's and a patient's appointments. */
static const am_feed_t feed_provider = {
    "providerId", NULL, "Provider", 1, { { AM_KIND_PATIENT, REL_PROVIDER } }
};
static const am_feed_t feed_patient = {
    "patientId", NULL, "Patient", 1, { { AM_KIND_PATIENT, REL_PATIENT } }
};

static const am_route_t patient_routes[] = {
    { "POST", "PatientAppointmentPost_v2", post_appointment, FUNC, WRITE,
      &am_patient_appointment,
      .doc = "Books an appointment for a patient; 409 when the provider"
             " is booked then (AppointmentsPreventDoubleBooking).", ONE },
    { "POST", "PatientAppointmentPost_v1", post_appointment, FUNC, WRITE,
      &am_patient_appointment,
      .doc = "Books an appointment for a patient (version 1: the same"
             " model).", ONE },
    { "POST", "PatientAppointmentPost", post_appointment, FUNC, WRITE,
      &am_patient_appointment,
      .doc = "Books an appointment for a patient (the same model).", ONE },
    { "GET", "PatientAppointmentGet/{id:guid}", get_appointment, FUNC, READ,
      NULL,
      .doc = "Gets an appointment.", ONE, .query = q_get,
      .flags = AM_ROUTE_ICAL },
    { "GET", "PatientAppointmentList", list_appointments, FUNC, READ, NULL,
      .doc = "The appointments of a patient and/or a provider that"
             " overlap [from, until), cancelled ones included, by start.",
      .out = &am_patient_appointment, .answer = AM_ANSWER_LIST,
      .query = q_list, .flags = AM_ROUTE_ICAL },
    { "POST", "PatientAppointmentCancel", cancel_appointment, FUNC, WRITE,
      &am_patient_cancel,
      .doc = "Cancels an appointment, with a reason: it is kept with"
             " Status Cancelled and its slot is free again; cancelling"
             " again changes nothing.", ONE },
    { "POST", "PatientAppointmentReschedule", reschedule_appointment, FUNC,
      WRITE, &am_patient_reschedule,
      .doc = "Moves an appointment to AppointmentOn, keeping its"
             " duration; 409 when cancelled or double booked.", ONE },
    AM_FEED_ROUTES("Feeds/Providers/{providerId:guid}.ics",
                   FUNC, READ, &feed_provider),
    AM_FEED_ROUTES("Feeds/Patients/{patientId:guid}.ics",
                   FUNC, READ, &feed_patient),
    /* Logging in: PlanCare2's bearer tokens, issued on this mount
     * (login.h). */
    AM_LOGIN_OAUTH_ROUTES,
};

/* What the members mean, for the descriptions. */
static const am_member_doc_t patient_docs[] = {
    { "Id", "The id of the appointment (set by the server)." },
    { "ProviderId", "The provider the appointment is with." },
    { "UserId", "The user who books." },
    { "PatientId", "The patient." },
    { "AppointmentOn", "When the appointment starts." },
    { "SecondaryAppointmentOn", "An alternative time." },
    { "Reason", "The reason for the appointment (or for cancelling)." },
    { "Note", "A note." },
    { "AccountId", "The account." },
    { "PaidAmount", "The amount paid." },
    { "AppointmentEndOn", "When the appointment ends (the default"
      " duration after AppointmentOn)." },
    { "Status", "Booked, Completed or Cancelled." },
    { "CancelReason", "Why the appointment was cancelled." },
    { "CreatedBy", "Who booked it (the logged-on user)." },
    { NULL }
};

static char *patient_error_body(apr_pool_t *p, const am_dialect_t *d,
                                const am_err_t *e, am_fmt_e fmt,
                                const char *method, const char *path,
                                apr_size_t *len)
{
    return am_aspnet_error_body(p, d->model_param, e, fmt, len);
}

/* The patient API's own appointments; read by uid, changed by the
 * cancel and reschedule routes (the uid is in their bodies). */
static const am_home_t patient_homes[] = {
    { AM_KIND_PATIENT, "GET", "PatientAppointmentGet/{uid}",
      "POST", "PatientAppointmentCancel", 0 },
};

const am_dialect_t am_dialect_patient = {
    "patient",
    patient_routes,
    (int)(sizeof(patient_routes) / sizeof(patient_routes[0])),
    patient_types,
    "model",
    AM_FMT_JSON | AM_FMT_XML | AM_FMT_FORM,
    patient_error_body,
    patient_homes,
    (int)(sizeof(patient_homes) / sizeof(patient_homes[0])),
    .title = "DrCare patient appointment API",
    .doc = "Patients' appointments with providers (DrCare): booking,"
           " reading, listing, cancelling and rescheduling.",
    .member_docs = patient_docs
};

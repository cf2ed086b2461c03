/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_plancare2.c: the PlanCare2 calendar API (AppointmentsApi
 * plancare2): its types as field tables, its routes, its handlers.
 *
 * Types follow the API's documentation pages (../shared/seeds 000-002):
 * JSON members in the order of the samples, DataContract XML namespaces
 * and inheritance levels as the XML samples show.
 */
#include <string.h>

#include "route.h"
#include "codec.h"
#include "errshape.h"
#include "dialect_plancare2.h"

#define NS_API  "http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface"
#define NS_CAL  NS_API ".Calendar"
#define NS_CLI  NS_CAL ".Client"
#define NS_REC  NS_CAL ".Recurrence"
#define NS_ARR  "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

/* ------------------------------------------------------------- enums */

#define ENUM(items) { items, (int)(sizeof(items) / sizeof(items[0])) }

static const am_enum_item_t planned_item_status_items[] = {
    { "Created", 0 }, { "Completed", 1 }, { "Cancelled", 2 }
};
const am_enum_t am_pc2_planned_item_status = ENUM(planned_item_status_items);

static const am_enum_item_t appointment_type_items[] = {
    { "Normal", 0 }, { "Recurrence", 1 }
};
const am_enum_t am_pc2_appointment_type = ENUM(appointment_type_items);

static const am_enum_item_t occurrence_type_items[] = {
    { "Occurrence", 0 }, { "ChangedOccurrence", 1 },
    { "DeletedOccurrence", 2 }
};
const am_enum_t am_pc2_occurrence_type = ENUM(occurrence_type_items);

static const am_enum_item_t range_items[] = {
    { "NoEndDate", 0 }, { "OccurrenceCount", 1 }, { "EndByDate", 2 }
};
const am_enum_t am_pc2_range = ENUM(range_items);

static const am_enum_item_t interval_items[] = {
    { "Daily", 0 }, { "Weekly", 1 }, { "Monthly", 2 }, { "Yearly", 3 }
};
const am_enum_t am_pc2_interval = ENUM(interval_items);

/* Combined names first: the XML encoder prefers an exact combined name. */
static const am_enum_item_t week_days_items[] = {
    { "EveryDay", 127 }, { "WorkDays", 62 }, { "WeekendDays", 65 },
    { "Sunday", 1 }, { "Monday", 2 }, { "Tuesday", 4 }, { "Wednesday", 8 },
    { "Thursday", 16 }, { "Friday", 32 }, { "Saturday", 64 }
};
const am_enum_t am_pc2_week_days = ENUM(week_days_items);

static const am_enum_item_t week_of_month_items[] = {
    { "None", 0 }, { "First", 1 }, { "Second", 2 }, { "Third", 3 },
    { "Fourth", 4 }, { "Last", 5 }
};
const am_enum_t am_pc2_week_of_month = ENUM(week_of_month_items);

/* ------------------------------------------------------------- types */

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)

/* RecurrenceInfo (namespace ...Calendar.Recurrence). */
static const am_field_t recurrence_info_fields[] = {
    { .name = "OccurrenceCount", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "Periodicity", .type = AM_T_INT32, .min = 0, .max = 1000000,
      .member = AM_M_NONE },
    { .name = "Range", .type = AM_T_ENUM, .en = &am_pc2_range,
      .member = AM_M_NONE },
    { .name = "Interval", .type = AM_T_ENUM, .en = &am_pc2_interval,
      .member = AM_M_NONE },
    { .name = "WeekDays", .type = AM_T_FLAGS, .en = &am_pc2_week_days,
      .member = AM_M_NONE },
    { .name = "RecurrenceStart", .type = AM_T_DATETIME,
      .member = AM_M_NONE },
    { .name = "RecurrenceEnd", .type = AM_T_DATETIME, .member = AM_M_NONE },
    { .name = "Month", .type = AM_T_INT32, .min = 0, .max = 12,
      .member = AM_M_NONE },
    { .name = "DayNumber", .type = AM_T_INT32, .min = 0, .max = 31,
      .member = AM_M_NONE },
};

am_type_t am_pc2_recurrence_info = {
    "RecurrenceInfo", NS_REC, recurrence_info_fields,
    (int)(sizeof(recurrence_info_fields) / sizeof(am_field_t)), NULL
};

/* OccurrenceAppointment (seed 000; namespace ...Calendar). */
static const am_field_t occurrence_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = REQ, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "Start", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_START },
    { .name = "End", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_END },
    { .name = "Title", .type = AM_T_STRING, .flags = AM_F_REQUIRED,
      .member = AM_M_TITLE },
    { .name = "Location", .type = AM_T_STRING, .member = AM_M_LOCATION },
    { .name = "ParentId", .type = AM_T_INT64, .flags = REQ, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .flags = REQ,
      .min = 0, .max = 1000000, .member = AM_M_NONE },
    { .name = "Type", .type = AM_T_ENUM, .flags = REQ,
      .en = &am_pc2_occurrence_type, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_REASON },
    { .name = "Status", .type = AM_T_ENUM, .flags = RO,
      .en = &am_pc2_planned_item_status, .member = AM_M_STATUS },
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_STATUS_BY_NAME },
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO,
      .member = AM_M_STATUS_BY_ID },
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_CREATED_BY_NAME },
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO,
      .member = AM_M_CREATED_BY_ID },
    { .name = "Remarks", .type = AM_T_STRING, .member = AM_M_REMARKS },
};

am_type_t am_pc2_occurrence = {
    "OccurrenceAppointment", NS_CAL, occurrence_fields,
    (int)(sizeof(occurrence_fields) / sizeof(am_field_t)), NULL
};

/* The members every PlanCare2 appointment has (the API's appointment base
 * class, namespace ...Calendar, DataContract level 0), in the order the
 * JSON samples give them. */
#define PC2_BASE_FIELDS \
    { .name = "Start", .type = AM_T_DATETIME, .flags = REQ, .ns = NS_CAL, \
      .member = AM_M_START }, \
    { .name = "End", .type = AM_T_DATETIME, .flags = REQ, .ns = NS_CAL, \
      .member = AM_M_END }, \
    { .name = "Title", .type = AM_T_STRING, .flags = AM_F_REQUIRED, \
      .ns = NS_CAL, .member = AM_M_TITLE }, \
    { .name = "Reason", .type = AM_T_STRING, .flags = RO, .ns = NS_CAL, \
      .member = AM_M_REASON }, \
    { .name = "Status", .type = AM_T_ENUM, .flags = RO, .ns = NS_CAL, \
      .en = &am_pc2_planned_item_status, .member = AM_M_STATUS }, \
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_STATUS_BY_NAME }, \
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_STATUS_BY_ID }, \
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_CREATED_BY_NAME }, \
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_CREATED_BY_ID }, \
    { .name = "Remarks", .type = AM_T_STRING, .ns = NS_CAL, \
      .member = AM_M_REMARKS }, \
    { .name = "Id", .type = AM_T_INT64, .ns = NS_CAL, .min = 0, \
      .max = APR_INT64_MAX, .member = AM_M_ID }, \
    { .name = "Location", .type = AM_T_STRING, .ns = NS_CAL, \
      .member = AM_M_LOCATION }, \
    { .name = "MovesToNextDay", .type = AM_T_BOOL, .flags = REQ, \
      .ns = NS_CAL, .member = AM_M_MOVES_TO_NEXT_DAY }, \
    { .name = "IsAllDay", .type = AM_T_BOOL, .flags = REQ, .ns = NS_CAL, \
      .member = AM_M_ALL_DAY }, \
    { .name = "FriendlyRecurrenceInfo", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_NONE }, \
    { .name = "RecurrenceInfo", .type = AM_T_OBJECT, .ns = NS_CAL, \
      .sub = &am_pc2_recurrence_info, .member = AM_M_EXT }, \
    { .name = "RecurrenceOccurrences", .type = AM_T_ARRAY, .flags = RO, \
      .ns = NS_CAL, .elem = AM_T_OBJECT, .sub = &am_pc2_occurrence, \
      .elem_name = "OccurrenceAppointment", .member = AM_M_NONE }, \
    { .name = "Type", .type = AM_T_ENUM, .ns = NS_CAL, \
      .en = &am_pc2_appointment_type, .member = AM_M_APPT_TYPE }, \
    { .name = "ShiftId", .type = AM_T_INT64, .ns = NS_CAL, .min = 0, \
      .max = APR_INT64_MAX, .member = AM_M_EXT }

#define ID64 .min = 0, .max = APR_INT64_MAX

/* ContractAppointment (seed 002; namespace ...Calendar.Client).  Level 1
 * is the API's client appointment class, level 2 the contract one. */
static const am_field_t contract_fields[] = {
    { .name = "ContractId", .type = AM_T_INT64, .flags = REQ, .level = 2,
      ID64, .member = AM_M_EXT },
    { .name = "ProductId", .type = AM_T_INT64, .flags = REQ, .level = 2,
      ID64, .member = AM_M_EXT },
    { .name = "ProductName", .type = AM_T_STRING, .level = 2,
      .member = AM_M_EXT },
    { .name = "ContractLineId", .type = AM_T_INT64, .level = 2, ID64,
      .member = AM_M_EXT },
    { .name = "CareTrajectId", .type = AM_T_INT64, .level = 2, ID64,
      .member = AM_M_EXT },
    { .name = "DOTLocationId", .type = AM_T_INT64, .level = 2, ID64,
      .member = AM_M_EXT },
    { .name = "WorkTypeId", .type = AM_T_INT64, .level = 2, ID64,
      .member = AM_M_EXT },
    { .name = "ProjectId", .type = AM_T_STRING, .level = 2,
      .member = AM_M_EXT },
    { .name = "ProjectName", .type = AM_T_STRING, .level = 2,
      .member = AM_M_EXT },
    { .name = "ClientId", .type = AM_T_INT64, .flags = REQ, .level = 1,
      .min = 1, .max = APR_INT64_MAX, .member = AM_M_LINK,
      .rel = "client" },
    { .name = "ClientName", .type = AM_T_STRING, .level = 1,
      .member = AM_M_EXT },
    { .name = "EmployeeId", .type = AM_T_INT64, .level = 1, ID64,
      .member = AM_M_LINK, .rel = "employee" },
    { .name = "EmployeeName", .type = AM_T_STRING, .level = 1,
      .member = AM_M_EXT },
    { .name = "EmploymentId", .type = AM_T_INT64, .level = 1, ID64,
      .member = AM_M_EXT },
    { .name = "ContractOfServiceId", .type = AM_T_INT64, .level = 1, ID64,
      .member = AM_M_EXT },
    PC2_BASE_FIELDS
};

am_type_t am_pc2_contract = {
    "ContractAppointment", NS_CLI, contract_fields,
    (int)(sizeof(contract_fields) / sizeof(am_field_t)), NULL
};

static am_type_t *const pc2_types[] = {
    &am_pc2_recurrence_info, &am_pc2_occurrence, &am_pc2_contract, NULL
};

/* ---------------------------------------------------------- handlers */

/* Rules every PlanCare2 appointment obeys beyond its field table. */
static am_err_t *validate(am_req_t *rq, const am_appt_t *a)
{
    if (a->end < a->start) {
        am_err_t *e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "End", "End must not be before Start.");
        return e;
    }
    return NULL;
}

/* The response object of appointment a in type t. */
static am_obj_t *present(am_req_t *rq, const am_type_t *t,
                         const am_appt_t *a)
{
    return am_model_to_obj(rq->pool, t, a, rq->tz);
}

/* Sets the identity of the one who writes on a. */
static void stamp_creator(am_req_t *rq, am_appt_t *a)
{
    a->created_by_name = rq->user;
    a->created_by_id = 0;
}

static am_err_t *respond_one(am_req_t *rq, const am_type_t *t,
                             const am_appt_t *a)
{
    rq->out = present(rq, t, a);
    rq->etag = a->version;
    return NULL;
}

static am_err_t *create_contract(am_req_t *rq)
{
    am_appt_t *a = am_appt_make(rq->pool, AM_KIND_CONTRACT);
    am_err_t *e;

    if ((e = am_model_from_obj(rq->pool, rq->body, a, rq->tz))
        || (e = validate(rq, a))) {
        return e;
    }
    stamp_creator(rq, a);
    if ((e = am_store_create(rq->store, a))) {
        return e;
    }
    rq->location = apr_psprintf(rq->pool,
        "ClientAppointments/ContractAppointments/%" APR_INT64_T_FMT, a->id);
    return respond_one(rq, &am_pc2_contract, a);
}

static am_err_t *get_contract(am_req_t *rq)
{
    am_appt_t *a = NULL;
    am_err_t *e = NULL;
    am_time_t from, until;

    /* The occurrence range is for recurring appointments; it is checked
     * for validity but ignored for single ones. */
    am_arg_time(rq, "occurrenceRangeFrom", 0, &from, &e);
    am_arg_time(rq, "occurrenceRangeUntil", 0, &until, &e);
    if (e) {
        return e;
    }
    if ((e = am_store_get(rq->store, am_param_int64(rq, "appointmentId"),
                          AM_KIND_CONTRACT, &a))) {
        return e;
    }
    return respond_one(rq, &am_pc2_contract, a);
}

#define AM_MAX_CLIENT_IDS 100

/* clientIds[0]=..&clientIds[1]=.. (ASP.NET's indexed form) or repeated
 * clientIds=..; at least one, each a positive integer. */
static am_err_t *client_ids(am_req_t *rq, const char ***ids, int *n)
{
    apr_array_header_t *arr = apr_array_make(rq->pool, 4, sizeof(char *));
    const apr_array_header_t *all = apr_table_elts(rq->query);
    am_err_t *e = NULL;
    int i;

    for (i = 0; i < all->nelts; i++) {
        const apr_table_entry_t *t = &APR_ARRAY_IDX(all, i,
                                                    apr_table_entry_t);
        const char *k = t->key;
        apr_int64_t v;

        if (strncasecmp(k, "clientIds", 9)) {
            continue;
        }
        if (k[9] == '[') {
            const char *d = k + 10;
            while (*d >= '0' && *d <= '9') {
                d++;
            }
            if (d == k + 10 || strcmp(d, "]")) {
                continue;
            }
        }
        else if (k[9] != '\0') {
            continue;
        }
        if (!*t->val || apr_strtoi64(t->val, NULL, 10) <= 0
            || strspn(t->val, "0123456789") != strlen(t->val)
            || strlen(t->val) > 18) {
            if (!e) {
                e = am_err_invalid(rq->pool);
            }
            am_err_field(rq->pool, e, k, "The value '%s' is not valid for"
                         " clientIds.", t->val);
            continue;
        }
        v = apr_strtoi64(t->val, NULL, 10);
        APR_ARRAY_PUSH(arr, const char *) = apr_psprintf(rq->pool,
            "%" APR_INT64_T_FMT, v);
    }
    if (!e && arr->nelts == 0) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "clientIds", "At least one client id is"
                     " required.");
    }
    if (!e && arr->nelts > AM_MAX_CLIENT_IDS) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "clientIds", "At most %d client ids may"
                     " be given.", AM_MAX_CLIENT_IDS);
    }
    *ids = (const char **)arr->elts;
    *n = arr->nelts;
    return e;
}

static am_err_t *list_contract(am_req_t *rq)
{
    am_err_t *e = NULL, *ce;
    am_query_t q;
    apr_array_header_t *found;
    int i;

    memset(&q, 0, sizeof(q));
    q.kind = AM_KIND_CONTRACT;
    q.rel = "client";
    ce = client_ids(rq, (const char ***)&q.refs, &q.nrefs);
    am_arg_time(rq, "dateFrom", 1, &q.from, &e);
    am_arg_time(rq, "dateUntil", 1, &q.until, &e);
    if (ce) {
        if (e) {
            apr_array_cat(ce->fields, e->fields);
        }
        e = ce;
    }
    if (!e && q.until < q.from) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "dateUntil", "dateUntil must not be"
                     " before dateFrom.");
    }
    if (e) {
        return e;
    }
    if ((e = am_store_list(rq->store, &q, &found))) {
        return e;
    }
    rq->out_type = &am_pc2_contract;
    rq->out_list = apr_array_make(rq->pool, found->nelts, sizeof(am_obj_t *));
    for (i = 0; i < found->nelts; i++) {
        APR_ARRAY_PUSH(rq->out_list, am_obj_t *) =
            present(rq, &am_pc2_contract,
                    APR_ARRAY_IDX(found, i, am_appt_t *));
    }
    return NULL;
}

/* Replaces the writable fields of the stored appointment with the body's
 * (a change carries the whole appointment: what it leaves out is
 * cleared), keeping what the server owns. */
static am_err_t *change(am_req_t *rq, int kind, const am_type_t *t)
{
    am_value_t *idv = am_obj_get(rq->body, "Id");
    am_appt_t *old = NULL, *a;
    am_err_t *e;

    if (!idv->set || idv->null || idv->u.i <= 0) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "Id", "The Id field is required for an"
                     " existing appointment.");
        return e;
    }
    if ((e = am_store_get(rq->store, idv->u.i, kind, &old))) {
        return e;
    }
    a = am_appt_make(rq->pool, kind);
    a->id = old->id;
    a->created_by_id = old->created_by_id;
    a->created_by_name = old->created_by_name;
    a->status = old->status;
    a->status_by_id = old->status_by_id;
    a->status_by_name = old->status_by_name;
    a->reason = old->reason;
    a->created_at = old->created_at;
    if ((e = am_model_from_obj(rq->pool, rq->body, a, rq->tz))
        || (e = validate(rq, a))
        || (e = am_store_update(rq->store, a, rq->if_match))) {
        return e;
    }
    return respond_one(rq, t, a);
}

static am_err_t *change_contract(am_req_t *rq)
{
    return change(rq, AM_KIND_CONTRACT, &am_pc2_contract);
}

static am_err_t *delete_contract(am_req_t *rq)
{
    am_err_t *e = am_store_delete(rq->store,
                                  am_param_int64(rq, "appointmentId"),
                                  AM_KIND_CONTRACT, rq->if_match);
    if (!e) {
        rq->status = 204;
    }
    return e;
}

/* ------------------------------------------------------------ routes */

#define CLIENT_GROUP "ClientGroupCalendar"
#define START "Start"

static const am_route_t pc2_routes[] = {
    { "POST", "ClientAppointments/ContractAppointments", create_contract,
      CLIENT_GROUP, START, &am_pc2_contract },
    { "GET", "ClientAppointments/ContractAppointments", list_contract,
      CLIENT_GROUP, START, NULL },
    { "GET", "ClientAppointments/ContractAppointments/{appointmentId}",
      get_contract, CLIENT_GROUP, START, NULL },
    { "DELETE", "ClientAppointments/ContractAppointments/{appointmentId}",
      delete_contract, CLIENT_GROUP, START, NULL },
    { "POST", "ClientAppointments/ChangeOfContractAppointments",
      change_contract, CLIENT_GROUP, START, &am_pc2_contract },
};

static char *pc2_error_body(apr_pool_t *p, const am_dialect_t *d,
                            const am_err_t *e, am_fmt_e fmt,
                            const char *method, const char *path,
                            apr_size_t *len)
{
    return am_aspnet_error_body(p, d->model_param, e, fmt, len);
}

const am_dialect_t am_dialect_plancare2 = {
    "plancare2",
    pc2_routes,
    (int)(sizeof(pc2_routes) / sizeof(pc2_routes[0])),
    pc2_types,
    "appointment",
    AM_FMT_JSON | AM_FMT_XML,
    pc2_error_body
};

/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_plancare2.c: the PlanCare2 calendar API (AppointmentsApi
 * plancare2): its types as field tables, its routes, its handlers.
 *
 * Types follow the API's documentation pages (../shared/seeds 000-002):
 * JSON members in the order of the samples, DataContract XML namespaces
 * and inheritance levels as the XML samples show.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"
#include "login.h"
#include "codec.h"
#include "perm.h"
#include "errshape.h"
#include "ops.h"
#include "recur.h"
#include "dialect_plancare2.h"
#include "feed.h"

#define NS_API  "http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface"
#define NS_CAL  NS_API ".Calendar"
#define NS_CLI  NS_CAL ".Client"
#define NS_REC  NS_CAL ".Recurrence"
#define NS_TEAM NS_CAL ".Team"
#define NS_EMP  NS_CAL ".Employee"
#define NS_INFRA "http://schemas.datacontract.org/2004/07/" \
                 "DHS.PlanCare.Web.Common.Infrastructure"
#define NS_ARR  "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

/* ------------------------------------------------------------- enums */

#define ENUM(items, name) \
    { items, (int)(sizeof(items) / sizeof(items[0])), name }

static const am_enum_item_t planned_item_status_items[] = {
    { "Created", 0 }, { "Completed", 1 }, { "Cancelled", 2 }
};
const am_enum_t am_pc2_planned_item_status =
    ENUM(planned_item_status_items, "PlannedItemStatus");

static const am_enum_item_t appointment_type_items[] = {
    { "Normal", 0 }, { "Recurrence", 1 }
};
const am_enum_t am_pc2_appointment_type =
    ENUM(appointment_type_items, "AppointmentType");

static const am_enum_item_t occurrence_type_items[] = {
    { "Occurrence", 0 }, { "ChangedOccurrence", 1 },
    { "DeletedOccurrence", 2 }
};
const am_enum_t am_pc2_occurrence_type =
    ENUM(occurrence_type_items, "OccurrenceType");

static const am_enum_item_t range_items[] = {
    { "NoEndDate", 0 }, { "OccurrenceCount", 1 }, { "EndByDate", 2 }
};
const am_enum_t am_pc2_range =
    ENUM(range_items, "Range");

static const am_enum_item_t interval_items[] = {
    { "Daily", 0 }, { "Weekly", 1 }, { "Monthly", 2 }, { "Yearly", 3 }
};
const am_enum_t am_pc2_interval =
    ENUM(interval_items, "RecurrenceInterval");

/* Combined names first: the XML encoder prefers an exact combined name. */
static const am_enum_item_t week_days_items[] = {
    { "EveryDay", 127 }, { "WorkDays", 62 }, { "WeekendDays", 65 },
    { "Sunday", 1 }, { "Monday", 2 }, { "Tuesday", 4 }, { "Wednesday", 8 },
    { "Thursday", 16 }, { "Friday", 32 }, { "Saturday", 64 }
};
const am_enum_t am_pc2_week_days =
    ENUM(week_days_items, "WeekDays");

static const am_enum_item_t week_of_month_items[] = {
    { "None", 0 }, { "First", 1 }, { "Second", 2 }, { "Third", 3 },
    { "Fourth", 4 }, { "Last", 5 }
};
const am_enum_t am_pc2_week_of_month =
    ENUM(week_of_month_items, "WeekOfMonth");

/* ------------------------------------------------------------- types */

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)
/* Not nullable on the API's pages (a plain int, bool or enum, shown "-" or
 * "Required" in the newer pages' "Additional information", not
 * "Nullable"): never null in an answer (FACTS-public-docs sections 2, 3).
 * Members without VAL are Nullable<T> there (or strings, objects and
 * collections). */
#define VAL AM_F_VALUE

/* RecurrenceInfo (namespace ...Calendar.Recurrence). */
static const am_field_t recurrence_info_fields[] = {
    { .name = "OccurrenceCount", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "Periodicity", .type = AM_T_INT32, .min = 0, .max = 1000000,
      .member = AM_M_NONE },
    { .name = "Range", .type = AM_T_ENUM, .flags = VAL,
      .en = &am_pc2_range,
      .member = AM_M_NONE },
    { .name = "Interval", .type = AM_T_ENUM, .flags = VAL,
      .en = &am_pc2_interval,
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
    /* On the pages from v11330 on, not nullable; not in v1132 nor in the
     * seed samples: answered only when it is not None (a client reads
     * the missing member as None), so that answers keep the seeds'
     * shape. */
    { .name = "WeekOfMonth", .type = AM_T_ENUM, .flags = AM_F_OMIT_NULL,
      .en = &am_pc2_week_of_month, .member = AM_M_NONE },
};

am_type_t am_pc2_recurrence_info = {
    "RecurrenceInfo", NS_REC, recurrence_info_fields,
    (int)(sizeof(recurrence_info_fields) / sizeof(am_field_t)), NULL
};

/* Identity (namespace ...Web.Common.Infrastructure, as the API's
 * ClientplansV2 pages show it): an id of another system.  The pages'
 * samples name one IdentityType, ExternalId (0). */
static const am_enum_item_t identity_type_items[] = {
    { "ExternalId", 0 }
};
const am_enum_t am_pc2_identity_type =
    ENUM(identity_type_items, "IdentityType");

static const am_field_t identity_fields[] = {
    { .name = "Identifier", .type = AM_T_STRING, .min = 0, .max = 1000,
      .member = AM_M_NONE },
    { .name = "Type", .type = AM_T_ENUM, .flags = VAL,
      .en = &am_pc2_identity_type, .member = AM_M_NONE },
};

am_type_t am_pc2_identity = {
    "Identity", NS_INFRA, identity_fields,
    (int)(sizeof(identity_fields) / sizeof(am_field_t)), NULL
};

/* AppointmentCompletion (the body of Appointments/AppointmentCompletion;
 * namespace ...Calendar): the realised appointment.  Id names a single
 * appointment (or a stored occurrence); ParentPlannedItemId and
 * OccurrenceIndex an occurrence of a series. */
static const am_field_t completion_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = REQ | VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "ParentPlannedItemId", .type = AM_T_INT64, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "StartDateTime", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_NONE },
    { .name = "Duration", .type = AM_T_INT32, .flags = REQ | VAL, .min = 0,
      .max = 527040, .member = AM_M_NONE },
    { .name = "Remarks", .type = AM_T_STRING, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .member = AM_M_NONE },
    { .name = "EmploymentId", .type = AM_T_INT64, .flags = REQ | VAL,
      .min = 0, .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "WorkTypeId", .type = AM_T_INT64, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "TravelDuration", .type = AM_T_INT32, .min = 0,
      .max = 527040, .member = AM_M_NONE },
    { .name = "TravelDistance", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "TravelMethodId", .type = AM_T_INT64, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "Cost", .type = AM_T_DECIMAL, .member = AM_M_NONE },
    { .name = "CostTypeId", .type = AM_T_INT64, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "ZipCode", .type = AM_T_STRING, .max = 20,
      .member = AM_M_NONE },
    { .name = "HouseNumber", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "HouseNumberAddition", .type = AM_T_STRING, .max = 20,
      .member = AM_M_NONE },
    { .name = "ClientSigned", .type = AM_T_BOOL, .member = AM_M_NONE },
    { .name = "ProductId", .type = AM_T_INT64, .flags = REQ | VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "ProjectId", .type = AM_T_STRING, .member = AM_M_NONE },
    /* The pages' list is cut here ("Organizatio..."): the organisation
     * entity, as ContractAppointment has it. */
    { .name = "OrganizationEntityId", .type = AM_T_OBJECT,
      .flags = AM_F_OMIT_NULL, .sub = &am_pc2_identity,
      .member = AM_M_NONE },
};

am_type_t am_pc2_completion = {
    "AppointmentCompletion", NS_CAL, completion_fields,
    (int)(sizeof(completion_fields) / sizeof(am_field_t)), NULL
};

/* StatusChange: one entry of an appointment's (or occurrence's) status
 * history, this module's own type (the pages show none): who completed
 * or reopened it, when, why, and the completion's details. */
static const am_field_t status_change_fields[] = {
    { .name = "Status", .type = AM_T_ENUM, .flags = VAL,
      .en = &am_pc2_planned_item_status, .member = AM_M_NONE },
    { .name = "ChangedById", .type = AM_T_INT64, .flags = VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "ChangedByName", .type = AM_T_STRING, .member = AM_M_NONE },
    { .name = "ChangedAt", .type = AM_T_DATETIME, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .member = AM_M_NONE },
    { .name = "Completion", .type = AM_T_OBJECT, .flags = AM_F_OMIT_NULL,
      .sub = &am_pc2_completion, .member = AM_M_NONE },
};

am_type_t am_pc2_status_change = {
    "StatusChange", NS_CAL, status_change_fields,
    (int)(sizeof(status_change_fields) / sizeof(am_field_t)), NULL
};

#define PC2_HISTORY_MAX 100000

/* Completion and StatusHistory as answers carry them: read-only, and
 * only there once an appointment has been completed. */
#define PC2_STATE_FIELDS(ns_, member_) \
    { .name = "Completion", .type = AM_T_OBJECT, \
      .flags = AM_F_READONLY | AM_F_OMIT_NULL, .ns = ns_, \
      .sub = &am_pc2_completion, .member = member_ }, \
    { .name = "StatusHistory", .type = AM_T_ARRAY, \
      .flags = AM_F_READONLY | AM_F_OMIT_NULL, .ns = ns_, \
      .elem = AM_T_OBJECT, .sub = &am_pc2_status_change, \
      .elem_name = "StatusChange", .max = PC2_HISTORY_MAX, \
      .member = member_ }

/* What an appointment's ext holds of its completion (written by the
 * completion routes only). */
static const am_field_t appt_state_fields[] = {
    { .name = "Completion", .type = AM_T_OBJECT, .sub = &am_pc2_completion,
      .member = AM_M_EXT },
    { .name = "StatusHistory", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_pc2_status_change, .elem_name = "StatusChange",
      .max = PC2_HISTORY_MAX, .member = AM_M_EXT },
};

static am_type_t pc2_appt_state = {
    "AppointmentState", NS_CAL, appt_state_fields,
    (int)(sizeof(appt_state_fields) / sizeof(am_field_t)), NULL
};

/* What a stored occurrence's ext holds: its own status (an occurrence
 * is completed on its own; the series stays Created). */
static const am_field_t occ_state_fields[] = {
    { .name = "Status", .type = AM_T_ENUM, .en = &am_pc2_planned_item_status,
      .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .member = AM_M_NONE },
    { .name = "StatusChangedByName", .type = AM_T_STRING,
      .member = AM_M_NONE },
    { .name = "StatusChangedById", .type = AM_T_INT64, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "Completion", .type = AM_T_OBJECT, .sub = &am_pc2_completion,
      .member = AM_M_NONE },
    { .name = "StatusHistory", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &am_pc2_status_change, .elem_name = "StatusChange",
      .max = PC2_HISTORY_MAX, .member = AM_M_NONE },
};

static am_type_t pc2_occ_state = {
    "OccurrenceState", NS_CAL, occ_state_fields,
    (int)(sizeof(occ_state_fields) / sizeof(am_field_t)), NULL
};

/* ClosedAppointment (the body of Appointments/ReopenAppointment;
 * namespace ...Calendar). */
static const am_field_t closed_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = REQ | VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    /* Deprecated on the pages, still the way to name an occurrence by
     * its index. */
    { .name = "ParentPlannedItemId", .type = AM_T_INT64, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .min = 0,
      .max = 1000000, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .member = AM_M_NONE },
};

am_type_t am_pc2_closed = {
    "ClosedAppointment", NS_CAL, closed_fields,
    (int)(sizeof(closed_fields) / sizeof(am_field_t)), NULL
};

/* ChangeEmployeeForOccurrence (namespace ...Calendar.Client). */
static const am_field_t change_employee_occ_fields[] = {
    { .name = "ParentId", .type = AM_T_INT64, .flags = REQ | VAL, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "Id", .type = AM_T_INT64, .flags = AM_F_NONNULL | VAL,
      .min = 0, .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .flags = REQ | VAL,
      .min = 0, .max = 1000000, .member = AM_M_NONE },
    { .name = "EmployeeId", .type = AM_T_INT64, .flags = REQ | VAL, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "ContractOfServiceId", .type = AM_T_INT64, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
};

am_type_t am_pc2_change_employee_occ = {
    "ChangeEmployeeForOccurrence", NS_CLI, change_employee_occ_fields,
    (int)(sizeof(change_employee_occ_fields) / sizeof(am_field_t)), NULL
};

/* EmployeeOccurrence: the answer of ChangeEmployeeForOccurrence, "Id
 * and Type" of the appointment made from the occurrence. */
static const am_field_t employee_occ_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_ID },
    { .name = "Type", .type = AM_T_ENUM, .flags = VAL,
      .en = &am_pc2_appointment_type, .member = AM_M_APPT_TYPE },
};

am_type_t am_pc2_employee_occ = {
    "EmployeeOccurrence", NS_CLI, employee_occ_fields,
    (int)(sizeof(employee_occ_fields) / sizeof(am_field_t)), NULL
};

/* OccurrenceAppointment (seed 000; namespace ...Calendar). */
static const am_field_t occurrence_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = REQ | VAL, .min = 0,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "Start", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_START },
    { .name = "End", .type = AM_T_DATETIME, .flags = REQ,
      .member = AM_M_END },
    { .name = "Title", .type = AM_T_STRING, .flags = AM_F_REQUIRED,
      .member = AM_M_TITLE },
    { .name = "Location", .type = AM_T_STRING, .member = AM_M_LOCATION },
    { .name = "ParentId", .type = AM_T_INT64, .flags = REQ | VAL, .min = 1,
      .max = APR_INT64_MAX, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .flags = REQ | VAL,
      .min = 0, .max = 1000000, .member = AM_M_NONE },
    { .name = "Type", .type = AM_T_ENUM, .flags = REQ | VAL,
      .en = &am_pc2_occurrence_type, .member = AM_M_NONE },
    { .name = "Reason", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_REASON },
    { .name = "Status", .type = AM_T_ENUM, .flags = RO | VAL,
      .en = &am_pc2_planned_item_status, .member = AM_M_STATUS },
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_STATUS_BY_NAME },
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO | VAL,
      .member = AM_M_STATUS_BY_ID },
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_CREATED_BY_NAME },
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO | VAL,
      .member = AM_M_CREATED_BY_ID },
    { .name = "Remarks", .type = AM_T_STRING, .member = AM_M_REMARKS },
    PC2_STATE_FIELDS(NULL, AM_M_NONE),
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
    { .name = "Status", .type = AM_T_ENUM, .flags = RO | VAL, .ns = NS_CAL, \
      .en = &am_pc2_planned_item_status, .member = AM_M_STATUS }, \
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_STATUS_BY_NAME }, \
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO | VAL, \
      .ns = NS_CAL, .member = AM_M_STATUS_BY_ID }, \
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_CREATED_BY_NAME }, \
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO | VAL, \
      .ns = NS_CAL, .member = AM_M_CREATED_BY_ID }, \
    { .name = "Remarks", .type = AM_T_STRING, .ns = NS_CAL, \
      .member = AM_M_REMARKS }, \
    { .name = "Id", .type = AM_T_INT64, .flags = VAL, .ns = NS_CAL, \
      .min = 0, \
      .max = APR_INT64_MAX, .member = AM_M_ID }, \
    { .name = "Location", .type = AM_T_STRING, .ns = NS_CAL, \
      .member = AM_M_LOCATION }, \
    { .name = "MovesToNextDay", .type = AM_T_BOOL, .flags = REQ | VAL, \
      .ns = NS_CAL, .member = AM_M_MOVES_TO_NEXT_DAY }, \
    { .name = "IsAllDay", .type = AM_T_BOOL, .flags = REQ | VAL, \
      .ns = NS_CAL, \
      .member = AM_M_ALL_DAY }, \
    { .name = "FriendlyRecurrenceInfo", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL, .member = AM_M_NONE }, \
    { .name = "RecurrenceInfo", .type = AM_T_OBJECT, .ns = NS_CAL, \
      .sub = &am_pc2_recurrence_info, .member = AM_M_NONE }, \
    { .name = "RecurrenceOccurrences", .type = AM_T_ARRAY, .flags = RO, \
      .ns = NS_CAL, .elem = AM_T_OBJECT, .sub = &am_pc2_occurrence, \
      .elem_name = "OccurrenceAppointment", .member = AM_M_NONE }, \
    { .name = "Type", .type = AM_T_ENUM, .flags = VAL, .ns = NS_CAL, \
      .en = &am_pc2_appointment_type, .member = AM_M_APPT_TYPE }, \
    { .name = "ShiftId", .type = AM_T_INT64, .flags = VAL, .ns = NS_CAL, \
      .min = 0, \
      .max = APR_INT64_MAX, .member = AM_M_EXT }, \
    PC2_STATE_FIELDS(NS_CAL, AM_M_EXT)

#define ID64 .min = 0, .max = APR_INT64_MAX

/* The client appointment class (DataContract level 1, namespace
 * ...Calendar.Client) that every client appointment kind extends. */
#define PC2_CLIENT_FIELDS \
    { .name = "ClientId", .type = AM_T_INT64, .flags = REQ | VAL, .level = 1, \
      .min = 1, .max = APR_INT64_MAX, .member = AM_M_LINK, \
      .rel = "client" }, \
    { .name = "ClientName", .type = AM_T_STRING, .level = 1, \
      .member = AM_M_EXT }, \
    { .name = "EmployeeId", .type = AM_T_INT64, .level = 1, ID64, \
      .member = AM_M_LINK, .rel = "employee" }, \
    { .name = "EmployeeName", .type = AM_T_STRING, .level = 1, \
      .member = AM_M_EXT }, \
    { .name = "EmploymentId", .type = AM_T_INT64, .level = 1, ID64, \
      .member = AM_M_EXT }, \
    /* Deprecated in favour of EmploymentId, which it mirrors (see \
     * deprecated_in / deprecated_out). */ \
    { .name = "ContractOfServiceId", .type = AM_T_INT64, .flags = RO, \
      .level = 1, ID64, .member = AM_M_NONE }

/* A type and the type of its change route, over one field table. */
#define PC2_TYPES(var, change_var, name, fields) \
    am_type_t var = { name, NS_CLI, fields, \
        (int)(sizeof(fields) / sizeof(am_field_t)), NULL }; \
    am_type_t change_var = { "ChangeOf" name, NS_CLI, fields, \
        (int)(sizeof(fields) / sizeof(am_field_t)), NULL }

/* ContractAppointment (seed 002; namespace ...Calendar.Client).  Level 1
 * is the API's client appointment class, level 2 the contract one. */
static const am_field_t contract_fields[] = {
    { .name = "ContractId", .type = AM_T_INT64, .flags = REQ | VAL, .level = 2,
      ID64, .member = AM_M_EXT },
    { .name = "ProductId", .type = AM_T_INT64, .flags = REQ | VAL, .level = 2,
      ID64, .member = AM_M_EXT },
    { .name = "ProductName", .type = AM_T_STRING, .level = 2,
      .member = AM_M_EXT },
    /* Deprecated: "No longer in use": accepted and ignored. */
    { .name = "ContractLineId", .type = AM_T_INT64, .flags = RO,
      .level = 2, ID64, .member = AM_M_NONE },
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
    /* Newer API versions (v11340+, v20041+): the organisation entity and
     * the travel time in minutes (Nullable).  Answered when set; left
     * out when null, as in the older versions' shape (seed 002), which a
     * client reads as null. */
    { .name = "OrganizationEntityId", .type = AM_T_OBJECT,
      .flags = AM_F_OMIT_NULL, .level = 2, .sub = &am_pc2_identity,
      .member = AM_M_EXT },
    { .name = "TravelDuration", .type = AM_T_INT32,
      .flags = AM_F_OMIT_NULL, .level = 2,
      .min = 0, .max = 100000, .member = AM_M_EXT },
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};

am_type_t am_pc2_contract = {
    "ContractAppointment", NS_CLI, contract_fields,
    (int)(sizeof(contract_fields) / sizeof(am_field_t)), NULL
};

/* ChangeOfContractAppointment: the body of the change route, the same
 * members under the name the change route's DataContract gives it. */
am_type_t am_pc2_change_contract = {
    "ChangeOfContractAppointment", NS_CLI, contract_fields,
    (int)(sizeof(contract_fields) / sizeof(am_field_t)), NULL
};

/* PCDContractAppointment: a contract appointment whose ProjectId is
 * required (pc2_cal_t.required); the same members. */
am_type_t am_pc2_pcd_contract = {
    "PCDContractAppointment", NS_CLI, contract_fields,
    (int)(sizeof(contract_fields) / sizeof(am_field_t)), NULL
};
am_type_t am_pc2_change_pcd_contract = {
    "ChangeOfPCDContractAppointment", NS_CLI, contract_fields,
    (int)(sizeof(contract_fields) / sizeof(am_field_t)), NULL
};

/* The other client appointment kinds: their own members (level 2, as
 * the pages list them before ClientId), the client level, the base. */
#define PC2_ID_LIST(name_) \
    { .name = name_, .type = AM_T_ARRAY, .flags = AM_F_REQUIRED, \
      .level = 2, .elem = AM_T_INT64, .elem_name = "long", \
      .elem_ns = NS_ARR, .min = 0, .max = 1000, .member = AM_M_EXT }

static const am_field_t action_fields[] = {
    PC2_ID_LIST("ActionIds"),
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};
PC2_TYPES(am_pc2_action, am_pc2_change_action, "ActionAppointment",
          action_fields);

static const am_field_t arrangement_act_fields[] = {
    PC2_ID_LIST("ArrangementProductActIds"),
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};
PC2_TYPES(am_pc2_arrangement_act, am_pc2_change_arrangement_act,
          "ArrangementProductActAppointment", arrangement_act_fields);

static const am_field_t agreement_fields[] = {
    { .name = "AgreementId", .type = AM_T_INT64, .flags = REQ | VAL,
      .level = 2,
      ID64, .member = AM_M_EXT },
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};
PC2_TYPES(am_pc2_agreement, am_pc2_change_agreement,
          "AgreementAppointment", agreement_fields);

/* No members of its own on the pages. */
static const am_field_t subscription_fields[] = {
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};
PC2_TYPES(am_pc2_subscription, am_pc2_change_subscription,
          "SubscriptionAppointment", subscription_fields);

static const am_field_t intervention_fields[] = {
    { .name = "InterventionId", .type = AM_T_GUID, .flags = REQ | VAL,
      .level = 2, .member = AM_M_EXT },
    PC2_CLIENT_FIELDS,
    PC2_BASE_FIELDS
};
PC2_TYPES(am_pc2_intervention, am_pc2_change_intervention,
          "InterventionAppointment", intervention_fields);

/* NamedEntity (namespace ...Interface). */
static const am_field_t named_entity_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = VAL, ID64,
      .member = AM_M_NONE },
    { .name = "Name", .type = AM_T_STRING, .member = AM_M_NONE },
};

am_type_t am_pc2_named_entity = {
    "NamedEntity", NS_API, named_entity_fields,
    (int)(sizeof(named_entity_fields) / sizeof(am_field_t)), NULL
};

/* TeamAppointment and ChangeOfTeamAppointment (seed 001; namespace
 * ...Calendar.Team).  Level 1 is the team class; ContractInfo belongs to
 * the base level in the ...Calendar namespace. */
static const am_field_t team_fields[] = {
    { .name = "TeamCalendarId", .type = AM_T_INT64, .flags = VAL, .level = 1,
      .min = 1, .max = APR_INT64_MAX, .member = AM_M_LINK, .rel = "team" },
    { .name = "TeamCalendar", .type = AM_T_STRING, .level = 1,
      .member = AM_M_EXT },
    { .name = "ClientIds", .type = AM_T_ARRAY, .level = 1,
      .elem = AM_T_INT64, .elem_name = "long", .elem_ns = NS_ARR,
      .min = 0, .max = 1000, .member = AM_M_LINK, .rel = "client" },
    { .name = "ShowInGroupCalendar", .type = AM_T_BOOL, .flags = VAL,
      .level = 1,
      .member = AM_M_EXT },
    { .name = "Clients", .type = AM_T_ARRAY, .flags = RO, .level = 1,
      .elem = AM_T_OBJECT, .sub = &am_pc2_named_entity,
      .elem_name = "NamedEntity", .member = AM_M_NONE },
    PC2_BASE_FIELDS,
    { .name = "ContractInfo", .type = AM_T_STRING, .ns = NS_CAL,
      .member = AM_M_EXT },
};

am_type_t am_pc2_team = {
    "TeamAppointment", NS_TEAM, team_fields,
    (int)(sizeof(team_fields) / sizeof(am_field_t)), NULL
};

am_type_t am_pc2_change_team = {
    "ChangeOfTeamAppointment", NS_TEAM, team_fields,
    (int)(sizeof(team_fields) / sizeof(am_field_t)), NULL
};

/* EmployeeAppointment (namespace ...Calendar.Employee): an appointment
 * in an employee's own calendar.  No documentation page shows it; it has
 * the base members and the employee's id and name, like the client
 * appointment has the client's. */
static const am_field_t employee_fields[] = {
    { .name = "EmployeeId", .type = AM_T_INT64, .flags = RO | VAL, .level = 1,
      ID64, .member = AM_M_LINK, .rel = "employee" },
    { .name = "EmployeeName", .type = AM_T_STRING, .flags = RO,
      .level = 1, .member = AM_M_EXT },
    PC2_BASE_FIELDS
};

am_type_t am_pc2_employee = {
    "EmployeeAppointment", NS_EMP, employee_fields,
    (int)(sizeof(employee_fields) / sizeof(am_field_t)), NULL
};

am_type_t am_pc2_change_employee = {
    "ChangeOfEmployeeAppointment", NS_EMP, employee_fields,
    (int)(sizeof(employee_fields) / sizeof(am_field_t)), NULL
};

/* Appointment: the flat type of the list routes GET Appointments and
 * GET Appointments/Employee (ResourceModel?modelName=Appointment, v23011;
 * namespace ...Calendar, where the pages' other top-level calendar types
 * are).  One item per appointment, and per occurrence of a series in the
 * range (ParentPlannedItemId and OccurrenceIndex set; Id the
 * occurrence's own, 0 when it has none).  AppointmentType and Status are
 * strings on the pages: the enum member's name, as ASP.NET writes an
 * enum's ToString().  StartTime and EndTime are the deprecated names of
 * StartDate and EndDate (unavailable from 21.01.1P), answered for older
 * clients.  Output only.  Every appointment kind maps onto it through the
 * canonical members; ClientId is the client whose calendar lists it (0 in
 * an employee's own calendar). */
static const am_field_t flat_fields[] = {
    { .name = "ClientId", .type = AM_T_INT64, .flags = RO | VAL, ID64,
      .member = AM_M_LINK, .rel = "client" },
    { .name = "ClientName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_EXT },
    { .name = "EmployeeId", .type = AM_T_INT64, .flags = RO, ID64,
      .member = AM_M_LINK, .rel = "employee" },
    { .name = "EmployeeName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_EXT },
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_STATUS_BY_NAME },
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO | VAL,
      .member = AM_M_STATUS_BY_ID },
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_CREATED_BY_NAME },
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO | VAL,
      .member = AM_M_CREATED_BY_ID },
    { .name = "StartDate", .type = AM_T_DATETIME, .flags = RO | VAL,
      .member = AM_M_START },
    { .name = "EndDate", .type = AM_T_DATETIME, .flags = RO | VAL,
      .member = AM_M_END },
    { .name = "Subject", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_TITLE },
    { .name = "AppointmentType", .type = AM_T_ENUM,
      .flags = RO | VAL | AM_F_ENUM_TEXT, .en = &am_pc2_appointment_type,
      .member = AM_M_APPT_TYPE },
    { .name = "Reason", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_REASON },
    { .name = "Remarks", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_REMARKS },
    { .name = "Status", .type = AM_T_ENUM,
      .flags = RO | VAL | AM_F_ENUM_TEXT,
      .en = &am_pc2_planned_item_status, .member = AM_M_STATUS },
    { .name = "ParentPlannedItemId", .type = AM_T_INT64, .flags = RO,
      ID64, .member = AM_M_NONE },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .flags = RO,
      .min = 0, .max = 1000000, .member = AM_M_NONE },
    { .name = "Id", .type = AM_T_INT64, .flags = RO | VAL, ID64,
      .member = AM_M_ID },
    { .name = "StartTime", .type = AM_T_DATETIME, .flags = RO | VAL,
      .member = AM_M_START },
    { .name = "EndTime", .type = AM_T_DATETIME, .flags = RO | VAL,
      .member = AM_M_END },
    { .name = "Location", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_LOCATION },
    { .name = "MovesToNextDay", .type = AM_T_BOOL, .flags = RO | VAL,
      .member = AM_M_MOVES_TO_NEXT_DAY },
    { .name = "IsAllDay", .type = AM_T_BOOL, .flags = RO | VAL,
      .member = AM_M_ALL_DAY },
    { .name = "RecursionText", .type = AM_T_STRING, .flags = RO,
      .member = AM_M_NONE },
};

am_type_t am_pc2_flat = {
    "Appointment", NS_CAL, flat_fields,
    (int)(sizeof(flat_fields) / sizeof(am_field_t)), NULL
};

static am_type_t *const pc2_types[] = {
    &am_pc2_recurrence_info, &am_pc2_identity, &am_pc2_occurrence,
    &am_pc2_named_entity,
    &am_pc2_contract, &am_pc2_change_contract, &am_pc2_team,
    &am_pc2_change_team, &am_pc2_employee, &am_pc2_change_employee,
    &am_pc2_flat,
    &am_pc2_completion, &am_pc2_status_change, &pc2_appt_state,
    &pc2_occ_state, &am_pc2_closed, &am_pc2_change_employee_occ,
    &am_pc2_employee_occ, &am_pc2_pcd_contract, &am_pc2_change_pcd_contract,
    &am_pc2_action, &am_pc2_change_action, &am_pc2_arrangement_act,
    &am_pc2_change_arrangement_act, &am_pc2_agreement,
    &am_pc2_change_agreement, &am_pc2_subscription,
    &am_pc2_change_subscription, &am_pc2_intervention,
    &am_pc2_change_intervention, NULL
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
/* ContractOfServiceId is the deprecated name of EmploymentId: a body
 * that sends only the old name sets the new one; answers carry both. */
static void deprecated_in(am_obj_t *o)
{
    int old = am_type_field(o->type, "ContractOfServiceId");
    int now = am_type_field(o->type, "EmploymentId");

    if (old >= 0 && now >= 0 && o->v[old].set && !o->v[old].null
        && (!o->v[now].set || o->v[now].null)) {
        o->v[now] = o->v[old];
    }
}

static void deprecated_out(am_obj_t *o)
{
    int old = am_type_field(o->type, "ContractOfServiceId");
    int now = am_type_field(o->type, "EmploymentId");

    if (old >= 0 && now >= 0) {
        o->v[old] = o->v[now];
    }
}

/* The range of occurrences an answer shows, if any. */
typedef struct pc2_range {
    int set;
    am_time_t from;
    am_time_t until;
} pc2_range_t;

static const char *text_or_empty(const am_value_t *v)
{
    return (v->set && !v->null && v->u.s) ? v->u.s : "";
}

/* An occurrence's own text: NULL keeps the series' value, "" (cleared
 * by an occurrence change) is answered as null. */
static void occurrence_text(am_obj_t *o, const char *name, const char *s)
{
    if (s && *s) {
        am_obj_set_str(o, name, s);
    }
    else if (s) {
        am_obj_set_null(o, name);
    }
}

/* The own status of stored occurrence x (its ext: Status, Reason,
 * StatusChangedBy*, Completion, StatusHistory), or NULL when it has none
 * (the series' status: Created). */
static am_obj_t *occurrence_state_of(am_req_t *rq, const am_exception_t *x)
{
    am_obj_t *st = NULL;

    if (!x || !x->ext
        || am_json_decode(rq->pool, &pc2_occ_state, x->ext, strlen(x->ext),
                          rq->tz, 0, &st)) {
        return NULL;
    }
    return st;
}

/* The status stored occurrence x has of its own, as that of its
 * answer object o (the members o's type has). */
static void occurrence_state(am_req_t *rq, am_obj_t *o,
                             const am_exception_t *x)
{
    am_obj_t *st = occurrence_state_of(rq, x);
    int i;

    for (i = 0; st && i < st->type->nfields; i++) {
        int k = am_type_field(o->type, st->type->fields[i].name);

        if (k >= 0 && st->v[i].set && !st->v[i].null) {
            o->v[k] = st->v[i];
        }
    }
}

/* The status of occurrence x (Created when it has none of its own). */
static int occurrence_status(am_req_t *rq, const am_exception_t *x)
{
    am_obj_t *st = occurrence_state_of(rq, x);
    am_value_t *v = st ? am_obj_get(st, "Status") : NULL;

    return (v && v->set && !v->null) ? (int)v->u.i : AM_STATUS_CREATED;
}

/* One occurrence of series a as an OccurrenceAppointment: the series'
 * members, the occurrence's times, and what its exception changed. */
static am_obj_t *occurrence_obj(am_req_t *rq, const am_appt_t *a,
                                const am_occurrence_t *oc)
{
    am_obj_t *o = am_model_to_obj(rq->pool, &am_pc2_occurrence, a, rq->tz);
    const am_exception_t *x = oc->exc;

    am_obj_set_int(o, "Id", x ? x->id : 0);
    am_obj_set_time(o, "Start", oc->start);
    am_obj_set_time(o, "End", oc->end);
    am_obj_set_int(o, "ParentId", a->id);
    am_obj_set_int(o, "OccurrenceIndex", oc->index);
    am_obj_set_int(o, "Type", x ? (x->deleted ? 2 : 1) : 0);
    if (x && x->title) {
        am_obj_set_str(o, "Title", x->title);
    }
    if (x) {
        occurrence_text(o, "Location", x->location);
        occurrence_text(o, "Remarks", x->remarks);
    }
    occurrence_state(rq, o, x);
    return o;
}

/* The answer object of appointment a in type t: the model's members,
 * and for a series its RecurrenceInfo, FriendlyRecurrenceInfo and the
 * occurrences in range (none without a range).  *n is the number of
 * occurrences (-1 for a single appointment). */
static am_err_t *present_ex(am_req_t *rq, const am_type_t *t,
                            const am_appt_t *a, const pc2_range_t *range,
                            am_obj_t **out, int *n)
{
    am_obj_t *o = am_model_to_obj(rq->pool, t, a, rq->tz), *ri;
    am_rule_t *rule = NULL;
    apr_array_header_t *occ = NULL, *items;
    am_err_t *e;
    int i;

    deprecated_out(o);
    *out = o;
    *n = -1;
    if (!a->rule || am_type_field(t, "RecurrenceInfo") < 0) {
        return NULL;
    }
    if ((e = am_rule_parse(rq->pool, a->rule, &rule))) {
        return e;
    }
    ri = am_rule_to_obj(rq->pool, rule, &am_pc2_recurrence_info, rq->tz);
    if (rule->week_of_month == 0) {
        ri->v[am_type_field(ri->type, "WeekOfMonth")].set = 0;
    }
    o->v[am_type_field(t, "RecurrenceInfo")].set = 1;
    o->v[am_type_field(t, "RecurrenceInfo")].u.o = ri;
    am_obj_set_str(o, "FriendlyRecurrenceInfo",
                   am_rule_friendly(rq->pool, rule, rq->tz));
    am_obj_set_int(o, "Type", 1);
    if (!range || !range->set) {
        return NULL;
    }
    if ((e = am_rule_occurrences(rq->pool, rule, rq->tz, range->from,
                                 range->until, rq->max_occurrences, 1,
                                 a->exceptions, &occ))) {
        return e;
    }
    items = apr_array_make(rq->pool, occ->nelts, sizeof(am_value_t));
    for (i = 0; i < occ->nelts; i++) {
        am_value_t *v = apr_array_push(items);

        memset(v, 0, sizeof(*v));
        v->set = 1;
        v->u.o = occurrence_obj(rq, a, &APR_ARRAY_IDX(occ, i,
                                                      am_occurrence_t));
    }
    i = am_type_field(t, "RecurrenceOccurrences");
    o->v[i].set = 1;
    o->v[i].u.a = items;
    *n = occ->nelts;
    return NULL;
}

/* What a calendar's routes have in common: the kind of appointment, its
 * type, the type its change route takes, and where one lives. */
typedef struct pc2_cal {
    int kind;
    const am_type_t *type;
    const am_type_t *change_type;
    const char *path;           /* printf format of one's path by id (its
                                 * GET route: Location, and whether a
                                 * user may reach it) */
    unsigned flags;             /* PC2_CAL_* */
    const char *required;       /* a member this kind requires beyond its
                                 * table (PCD's ProjectId), or NULL */
} pc2_cal_t;

/* The kinds of the client (group) calendar: listed there (and in the
 * client's feed), each as its own type; a bit (AM_FEED_KIND) per kind. */
#define PC2_CLIENT_KINDS \
    (AM_FEED_KIND(AM_KIND_CONTRACT) | AM_FEED_KIND(AM_KIND_PCD_CONTRACT) \
     | AM_FEED_KIND(AM_KIND_ACTION) | AM_FEED_KIND(AM_KIND_ARRANGEMENT_ACT) \
     | AM_FEED_KIND(AM_KIND_AGREEMENT) | AM_FEED_KIND(AM_KIND_SUBSCRIPTION) \
     | AM_FEED_KIND(AM_KIND_INTERVENTION))

#define PC2_CAL_CLIENTS  0x01   /* the client calendar's shared routes
                                 * (occurrences): series of every client
                                 * kind */

#define PC2_ID_PATH "/%" APR_INT64_T_FMT
#define PC2_CLIENT_CAL(var, kind_, type_, change_, coll, required_) \
    static const pc2_cal_t var = { kind_, type_, change_, \
        "ClientAppointments/" coll PC2_ID_PATH, 0, required_ }

PC2_CLIENT_CAL(cal_contract, AM_KIND_CONTRACT, &am_pc2_contract,
               &am_pc2_change_contract, "ContractAppointments", NULL);
PC2_CLIENT_CAL(cal_pcd_contract, AM_KIND_PCD_CONTRACT, &am_pc2_pcd_contract,
               &am_pc2_change_pcd_contract, "PCDContractAppointments",
               "ProjectId");
PC2_CLIENT_CAL(cal_action, AM_KIND_ACTION, &am_pc2_action,
               &am_pc2_change_action, "ActionAppointments", NULL);
PC2_CLIENT_CAL(cal_arrangement_act, AM_KIND_ARRANGEMENT_ACT,
               &am_pc2_arrangement_act, &am_pc2_change_arrangement_act,
               "ArrangementProductActAppointments", NULL);
PC2_CLIENT_CAL(cal_agreement, AM_KIND_AGREEMENT, &am_pc2_agreement,
               &am_pc2_change_agreement, "AgreementAppointments", NULL);
PC2_CLIENT_CAL(cal_subscription, AM_KIND_SUBSCRIPTION, &am_pc2_subscription,
               &am_pc2_change_subscription, "SubscriptionAppointments",
               NULL);
PC2_CLIENT_CAL(cal_intervention, AM_KIND_INTERVENTION, &am_pc2_intervention,
               &am_pc2_change_intervention, "InterventionAppointments",
               NULL);

/* The routes of the client calendar that are not of one kind. */
static const pc2_cal_t cal_client = {
    AM_KIND_CONTRACT, &am_pc2_contract, &am_pc2_change_contract,
    "ClientAppointments/ContractAppointments" PC2_ID_PATH, PC2_CAL_CLIENTS,
    NULL
};
static const pc2_cal_t cal_team = {
    AM_KIND_TEAM, &am_pc2_team, &am_pc2_change_team,
    "TeamAppointments" PC2_ID_PATH, 0, NULL
};
static const pc2_cal_t cal_employee = {
    AM_KIND_EMPLOYEE, &am_pc2_employee, &am_pc2_change_employee,
    "EmployeeAppointments" PC2_ID_PATH, 0, NULL
};

/* Every calendar, by kind. */
static const pc2_cal_t *const pc2_cals[] = {
    &cal_contract, &cal_pcd_contract, &cal_action, &cal_arrangement_act,
    &cal_agreement, &cal_subscription, &cal_intervention, &cal_team,
    &cal_employee, NULL
};

/* The calendar of appointments of kind, or NULL (patient, Xelion). */
static const pc2_cal_t *cal_of_kind(int kind)
{
    int i;

    for (i = 0; pc2_cals[i]; i++) {
        if (pc2_cals[i]->kind == kind) {
            return pc2_cals[i];
        }
    }
    return NULL;
}

/* True when the routes of cal see appointments of kind. */
static int cal_sees(const pc2_cal_t *cal, int kind)
{
    if (cal->flags & PC2_CAL_CLIENTS) {
        return kind >= 0 && kind < 32
               && (PC2_CLIENT_KINDS & AM_FEED_KIND(kind));
    }
    return kind == cal->kind;
}

#define CAL(rq) ((const pc2_cal_t *)(rq)->route->data)

/* The view of the route's calendar (ops.h): its kind; appointments made
 * through the Xelion API (one id space) are readable and changeable
 * through the client and team calendars too, with the core members.  In
 * the employee calendar: 403 for a user who is no employee, before
 * anything is looked up; another employee's appointments do not exist. */
static void cal_view(const pc2_cal_t *cal, am_view_t *v)
{
    memset(v, 0, sizeof(*v));
    v->kind = cal->kind;
    v->kinds = (cal->flags & PC2_CAL_CLIENTS) ? PC2_CLIENT_KINDS
                                              : AM_VIEW_KIND(cal->kind);
    if (cal->kind == AM_KIND_EMPLOYEE) {
        v->owner_rel = "employee";
    }
    else if (cal->kind == AM_KIND_CONTRACT || cal->kind == AM_KIND_TEAM) {
        /* Xelion's appointments (one id space), not as the other client
         * kinds: they are of none. */
        v->kinds |= AM_VIEW_KIND(AM_KIND_XELION);
    }
    v->id_param = "appointmentId";
    v->path = cal->path;
}

/* The logged-on employee: the user's employee id (see the identity
 * directives); 0 when the user is no employee. */
static apr_int64_t employee_of(am_req_t *rq)
{
    return rq->employee_id;
}

static am_err_t *no_employee(am_req_t *rq)
{
    return am_err_make(rq->pool, 403, "The logged-on user is not known as"
                       " an employee.");
}

/* Name fields and the directory entries they name: a name written with
 * its id keeps the directory current; a name left out is filled from
 * the directory. */
typedef struct pc2_name {
    const char *name_field;
    const char *id_field;
    const char *kind;
} pc2_name_t;

static const pc2_name_t pc2_names[] = {
    { "ClientName", "ClientId", "client" },
    { "EmployeeName", "EmployeeId", "employee" },
    { "ProductName", "ProductId", "product" },
    { "ProjectName", "ProjectId", "project" },
    { "TeamCalendar", "TeamCalendarId", "team" },
};
#define PC2_NNAMES (int)(sizeof(pc2_names) / sizeof(pc2_names[0]))

/* The directory id of a scalar value, as text; NULL when unset. */
static const char *value_id(apr_pool_t *p, const am_field_t *f,
                            const am_value_t *v)
{
    if (!v->set || v->null) {
        return NULL;
    }
    if (f->type == AM_T_STRING) {
        return v->u.s;
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v->u.i);
}

/* Fills the name fields that o leaves out from the directory. */
static am_err_t *names_from_directory(am_req_t *rq, am_obj_t *o)
{
    int i;

    for (i = 0; i < PC2_NNAMES; i++) {
        int ni = am_type_field(o->type, pc2_names[i].name_field);
        int ii = am_type_field(o->type, pc2_names[i].id_field);
        const char *id, *name = NULL;
        am_err_t *e;

        if (ni < 0 || ii < 0 || (o->v[ni].set && !o->v[ni].null)) {
            continue;
        }
        id = value_id(rq->pool, &o->type->fields[ii], &o->v[ii]);
        if (!id) {
            continue;
        }
        if ((e = am_store_dir_get(rq->store, pc2_names[i].kind, id, &name))) {
            return e;
        }
        if (name) {
            o->v[ni].set = 1;
            o->v[ni].null = 0;
            o->v[ni].u.s = name;
        }
    }
    return NULL;
}

/* The names o carries, for the directory (am_dir_put changes only what
 * differs): written in a's transaction. */
static void names_to_directory(am_req_t *rq, const am_obj_t *o,
                               am_appt_t *a)
{
    int i;

    for (i = 0; i < PC2_NNAMES; i++) {
        int ni = am_type_field(o->type, pc2_names[i].name_field);
        int ii = am_type_field(o->type, pc2_names[i].id_field);
        const char *id;
        am_name_t *n;

        if (ni < 0 || ii < 0 || !o->v[ni].set || o->v[ni].null
            || (o->type->fields[ni].flags & AM_F_READONLY)) {
            continue;
        }
        id = value_id(rq->pool, &o->type->fields[ii], &o->v[ii]);
        if (!id) {
            continue;
        }
        /* Written with the appointment, in its transaction: most writes
         * repeat the names the directory has, and the store changes
         * nothing then (am_dir_put). */
        if (!a->names) {
            a->names = apr_array_make(rq->pool, 4, sizeof(am_name_t));
        }
        n = apr_array_push(a->names);
        n->kind = pc2_names[i].kind;
        n->id = id;
        n->name = o->v[ni].u.s;
    }
}

/* Clients (read-only NamedEntity list) from ClientIds and the
 * directory. */
static am_err_t *fill_clients(am_req_t *rq, am_obj_t *o)
{
    int ci = am_type_field(o->type, "Clients");
    int ii = am_type_field(o->type, "ClientIds");
    apr_array_header_t *ids, *out;
    int j;

    if (ci < 0 || ii < 0 || !o->v[ii].set || o->v[ii].null) {
        return NULL;
    }
    ids = o->v[ii].u.a;
    out = apr_array_make(rq->pool, ids->nelts, sizeof(am_value_t));
    for (j = 0; j < ids->nelts; j++) {
        apr_int64_t id = APR_ARRAY_IDX(ids, j, am_value_t).u.i;
        am_obj_t *ne = am_obj_make(rq->pool, &am_pc2_named_entity);
        am_value_t *v = apr_array_push(out);
        const char *name = NULL;
        am_err_t *e;

        if ((e = am_store_dir_get(rq->store, "client",
                                  apr_psprintf(rq->pool, "%"
                                               APR_INT64_T_FMT, id),
                                  &name))) {
            return e;
        }
        am_obj_set_int(ne, "Id", id);
        if (name) {
            am_obj_set_str(ne, "Name", name);
        }
        memset(v, 0, sizeof(*v));
        v->set = 1;
        v->u.o = ne;
    }
    o->v[ci].set = 1;
    o->v[ci].null = 0;
    o->v[ci].u.a = out;
    return NULL;
}

/* EmployeeName where it is read-only (the employee calendar's
 * appointments, whose employee is the server's to say): the directory's
 * name of the employee, else, for the logged-on employee, the user's
 * display name. */
static am_err_t *fill_employee_name(am_req_t *rq, am_obj_t *o)
{
    int ni = am_type_field(o->type, "EmployeeName");
    int ii = am_type_field(o->type, "EmployeeId");
    const char *id, *name = NULL;
    am_err_t *e;

    if (ni < 0 || ii < 0
        || !(o->type->fields[ni].flags & AM_F_READONLY)
        || (o->v[ni].set && !o->v[ni].null)) {
        return NULL;
    }
    id = value_id(rq->pool, &o->type->fields[ii], &o->v[ii]);
    if (!id) {
        return NULL;
    }
    if ((e = am_store_dir_get(rq->store, "employee", id, &name))) {
        return e;
    }
    if (!name && employee_of(rq) && o->v[ii].u.i == employee_of(rq)) {
        name = rq->display_name;
    }
    if (name) {
        o->v[ni].set = 1;
        o->v[ni].null = 0;
        o->v[ni].u.s = name;
    }
    return NULL;
}

/* The answer for one appointment in type t. */
static am_err_t *respond_range(am_req_t *rq, am_resp_t *rs, const am_type_t *t,
                               const am_appt_t *a, const pc2_range_t *range)
{
    am_obj_t *o = NULL;
    am_err_t *e;
    int n;

    if ((e = present_ex(rq, t, a, range, &o, &n))
        || (e = fill_clients(rq, o))
        || (e = fill_employee_name(rq, o))) {
        return e;
    }
    rs->appts = apr_array_make(rq->pool, 1, sizeof(am_appt_t *));
    APR_ARRAY_PUSH(rs->appts, const am_appt_t *) = a;
    rs->obj = o;
    rs->version = a->version;
    return NULL;
}

static am_err_t *respond_one(am_req_t *rq, am_resp_t *rs, const am_type_t *t,
                             const am_appt_t *a)
{
    return respond_range(rq, rs, t, a, NULL);
}

/* Links that only exist to be queried: a team appointment shown in the
 * group calendar of each of its clients. */
static void group_links(am_req_t *rq, am_appt_t *a)
{
    am_value_t *show;
    int i, n;

    if (a->kind != AM_KIND_TEAM) {
        return;
    }
    for (i = 0, n = a->links->nelts; i < n; i++) {
        am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        if (!strcmp(l->rel, "groupclient")) {
            l->rel = "";
        }
    }
    show = am_obj_get(rq->body, "ShowInGroupCalendar");
    if (show->set && !show->null && show->u.i) {
        for (i = 0; i < n; i++) {
            am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
            if (!strcmp(l->rel, "client")) {
                am_appt_add_link(rq->pool, a, "groupclient", l->ref);
            }
        }
    }
    /* Drop the blanked ones. */
    for (i = 0, n = 0; i < a->links->nelts; i++) {
        am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        if (*l->rel) {
            APR_ARRAY_IDX(a->links, n, am_link_t) = *l;
            n++;
        }
    }
    a->links->nelts = n;
}

/* RecurrenceInfo of the body -> the rule of a (none: a single
 * appointment).  A series is of Type Recurrence and always Created. */
static am_err_t *take_rule(am_req_t *rq, am_appt_t *a)
{
    am_value_t *ri = am_obj_get(rq->body, "RecurrenceInfo");
    am_rule_t *rule = NULL;
    am_err_t *e = NULL;

    a->rule = NULL;
    a->last_end = 0;
    a->appt_type = 0;
    if (!ri->set || ri->null) {
        return NULL;
    }
    if (am_rule_from_obj(rq->pool, ri->u.o, a->start, a->end, rq->tz,
                         "RecurrenceInfo", &e, &rule)) {
        return e;
    }
    a->rule = am_rule_format(rq->pool, rule, rq->tz);
    a->last_end = am_rule_last_end(rule, rq->tz);
    a->appt_type = 1;
    a->status = AM_STATUS_CREATED;
    return NULL;
}

/* Body -> appointment a (new, or a fresh copy of a stored one), with the
 * rules and the directory applied. */
static am_err_t *take_body(am_req_t *rq, am_appt_t *a, unsigned flags)
{
    am_err_t *e;

    deprecated_in(rq->body);
    if (CAL(rq)->required) {
        am_value_t *v = am_obj_get(rq->body, CAL(rq)->required);
        if (!v->set || v->null || !*v->u.s) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, CAL(rq)->required, "The %s field is"
                         " required.", CAL(rq)->required);
            return e;
        }
    }
    if ((e = names_from_directory(rq, rq->body))
        || (e = am_model_from_obj_ex(rq->pool, rq->body, a, rq->tz, flags))
        || (e = validate(rq, a))
        || (e = take_rule(rq, a))) {
        return e;
    }
    group_links(rq, a);
    return NULL;
}

static am_err_t *create(am_req_t *rq, am_resp_t *rs)
{
    const pc2_cal_t *cal = CAL(rq);
    am_appt_t *a = am_appt_make(rq->pool, cal->kind);
    am_view_t v;
    am_err_t *e;

    if (cal->kind == AM_KIND_EMPLOYEE && !employee_of(rq)) {
        return no_employee(rq);
    }
    if ((e = take_body(rq, a, 0))) {
        return e;
    }
    /* In the employee calendar EmployeeId is read-only: the calendar is
     * the user's own (the view's owner). */
    cal_view(CAL(rq), &v);
    names_to_directory(rq, rq->body, a);
    if ((e = am_op_create(rq, rs, &v, a))) {
        return e;
    }
    return respond_one(rq, rs, cal->type, a);
}

/* Appointment id, as the route's calendar sees it (cal_view).  A 404 of
 * a change under If-Match is the pipeline's 412. */
static am_err_t *find_kind(am_req_t *rq, apr_int64_t id, am_appt_t **out)
{
    am_view_t v;

    cal_view(CAL(rq), &v);
    return am_op_read(rq, &v, id, out);
}

/* Answers series or single appointment a with the occurrences in
 * [occurrenceRangeFrom, occurrenceRangeUntil): both must be given for
 * any to be shown; they are checked but not used for single ones. */
static am_err_t *respond_series(am_req_t *rq, am_resp_t *rs, const am_type_t *t,
                                const am_appt_t *a)
{
    pc2_range_t range;
    am_err_t *e = NULL;
    int f, u;

    memset(&range, 0, sizeof(range));
    f = am_arg_time(rq, "occurrenceRangeFrom", 0, &range.from, &e);
    u = am_arg_time(rq, "occurrenceRangeUntil", 0, &range.until, &e);
    if (!e && f == 1 && u == 1 && range.until < range.from) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "occurrenceRangeUntil",
                     "occurrenceRangeUntil must not be before"
                     " occurrenceRangeFrom.");
    }
    if (e) {
        return e;
    }
    range.set = (f == 1 && u == 1);
    return respond_range(rq, rs, t, a, &range);
}

static am_err_t *get_one(am_req_t *rq, am_resp_t *rs)
{
    const pc2_cal_t *cal = CAL(rq);
    am_appt_t *a = NULL;
    am_err_t *e;

    if ((e = find_kind(rq, am_param_int64(rq, "appointmentId"), &a))) {
        return e;
    }
    return respond_series(rq, rs, cal->type, a);
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
        if (!*t->val || strspn(t->val, "0123456789") != strlen(t->val)
            || strlen(t->val) > 18
            || (v = apr_strtoi64(t->val, NULL, 10)) <= 0) {
            if (!e) {
                e = am_err_invalid(rq->pool);
            }
            am_err_field(rq->pool, e, k, "The value '%s' is not valid for"
                         " clientIds.", t->val);
            continue;
        }
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

/* dateFrom and dateUntil, both required, in order. */
static am_err_t *date_range(am_req_t *rq, am_query_t *q, am_err_t *e)
{
    am_arg_time(rq, "dateFrom", 1, &q->from, &e);
    am_arg_time(rq, "dateUntil", 1, &q->until, &e);
    if (!e && q->until < q->from) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "dateUntil", "dateUntil must not be"
                     " before dateFrom.");
    }
    return e;
}

/* Appends the appointments q finds to the answer, each in type t. */
static am_err_t *append_list(am_req_t *rq, am_resp_t *rs, const am_query_t *q,
                             const am_type_t *t)
{
    apr_array_header_t *found;
    pc2_range_t range;
    am_err_t *e;
    int i;

    if ((e = am_store_list(rq->store, q, &found))) {
        return e;
    }
    range.set = 1;
    range.from = q->from;
    range.until = q->until;
    for (i = 0; i < found->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(found, i, am_appt_t *);
        am_obj_t *o = NULL;
        int n;

        if ((e = present_ex(rq, t, a, &range, &o, &n))
            || (e = fill_clients(rq, o))
            || (e = fill_employee_name(rq, o))) {
            return e;
        }
        if (n != 0) {
            /* A series is listed with its occurrences in the range, and
             * not at all when it has none there. */
            APR_ARRAY_PUSH(rs->list, am_obj_t *) = o;
            APR_ARRAY_PUSH(rs->appts, am_appt_t *) =
                APR_ARRAY_IDX(found, i, am_appt_t *);
        }
    }
    return NULL;
}

static void start_list(am_req_t *rq, am_resp_t *rs, const am_type_t *t)
{
    rs->list_type = t;
    rs->list = apr_array_make(rq->pool, 8, sizeof(am_obj_t *));
    rs->appts = apr_array_make(rq->pool, 8, sizeof(am_appt_t *));
}

/* The clients' appointments of the route's kind in a range. */
static am_err_t *list_kind(am_req_t *rq, am_resp_t *rs)
{
    const pc2_cal_t *cal = CAL(rq);
    am_err_t *e = NULL;
    am_query_t q;

    memset(&q, 0, sizeof(q));
    q.kind = cal->kind;
    q.rel = "client";
    e = client_ids(rq, (const char ***)&q.refs, &q.nrefs);
    if ((e = date_range(rq, &q, e))) {
        return e;
    }
    start_list(rq, rs, cal->type);
    return append_list(rq, rs, &q, cal->type);
}

/* ------------------------------------------------ the flat lists */

static am_obj_t *obj_copy(apr_pool_t *p, const am_obj_t *o)
{
    am_obj_t *c = am_obj_make(p, o->type);

    memcpy(c->v, o->v, (size_t)o->type->nfields * sizeof(am_value_t));
    return c;
}

/* Appends the flat items (am_pc2_flat) of appointment a for the range
 * [from, until) to rs->list: the appointment itself, or each of its
 * occurrences in the range (a changed one with its own times, texts and
 * id; a deleted one left out).  client: the client whose group calendar
 * lists it (NULL: its own client link, if any). */
static am_err_t *flat_items(am_req_t *rq, am_resp_t *rs,
                            const am_appt_t *a,
                            const char *client, am_time_t from,
                            am_time_t until)
{
    am_obj_t *o = am_model_to_obj(rq->pool, &am_pc2_flat, a, rq->tz);
    am_rule_t *rule = NULL;
    apr_array_header_t *occ = NULL;
    const char *friendly;
    am_err_t *e;
    int i;

    if (client) {
        am_obj_set_int(o, "ClientId", apr_strtoi64(client, NULL, 10));
        if (!am_appt_link(a, "client")
            || strcmp(am_appt_link(a, "client"), client)) {
            am_obj_get(o, "ClientName")->set = 0;
        }
    }
    if ((e = names_from_directory(rq, o)) || (e = fill_employee_name(rq, o))) {
        return e;
    }
    if (!a->rule) {
        /* RecursionText: "empty when not recurring". */
        am_obj_set_str(o, "RecursionText", "");
        APR_ARRAY_PUSH(rs->list, am_obj_t *) = o;
        return NULL;
    }
    if ((e = am_rule_parse(rq->pool, a->rule, &rule))
        || (e = am_rule_occurrences(rq->pool, rule, rq->tz, from, until,
                                    rq->max_occurrences, 1, a->exceptions,
                                    &occ))) {
        return e;
    }
    friendly = am_rule_friendly(rq->pool, rule, rq->tz);
    for (i = 0; i < occ->nelts; i++) {
        const am_occurrence_t *oc = &APR_ARRAY_IDX(occ, i, am_occurrence_t);
        const am_exception_t *x = oc->exc;
        am_obj_t *c = obj_copy(rq->pool, o);

        am_obj_set_time(c, "StartDate", oc->start);
        am_obj_set_time(c, "StartTime", oc->start);
        am_obj_set_time(c, "EndDate", oc->end);
        am_obj_set_time(c, "EndTime", oc->end);
        am_obj_set_int(c, "ParentPlannedItemId", a->id);
        am_obj_set_int(c, "OccurrenceIndex", oc->index);
        am_obj_set_int(c, "Id", x ? x->id : 0);
        if (x && x->title) {
            am_obj_set_str(c, "Subject", x->title);
        }
        if (x) {
            occurrence_text(c, "Location", x->location);
            occurrence_text(c, "Remarks", x->remarks);
            occurrence_state(rq, c, x);
        }
        am_obj_set_str(c, "RecursionText", friendly);
        APR_ARRAY_PUSH(rs->list, am_obj_t *) = c;
    }
    return NULL;
}

/* Flat items by StartDate, then Id, OccurrenceIndex and ClientId. */
typedef struct flat_key {
    am_time_t start;
    apr_int64_t id;
    apr_int64_t index;
    apr_int64_t client;
    am_obj_t *o;
} flat_key_t;

static int flat_cmp(const void *pa, const void *pb)
{
    const flat_key_t *a = pa, *b = pb;

    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    if (a->id != b->id) {
        return a->id < b->id ? -1 : 1;
    }
    if (a->index != b->index) {
        return a->index < b->index ? -1 : 1;
    }
    return a->client < b->client ? -1 : (a->client > b->client);
}

static void flat_sort(am_req_t *rq, am_resp_t *rs)
{
    int n = rs->list->nelts, i;
    int si = am_type_field(&am_pc2_flat, "StartDate");
    int ii = am_type_field(&am_pc2_flat, "Id");
    int oi = am_type_field(&am_pc2_flat, "OccurrenceIndex");
    int ci = am_type_field(&am_pc2_flat, "ClientId");
    flat_key_t *k;

    if (n < 2) {
        return;
    }
    k = apr_palloc(rq->pool, (size_t)n * sizeof(*k));
    for (i = 0; i < n; i++) {
        am_obj_t *o = APR_ARRAY_IDX(rs->list, i, am_obj_t *);

        k[i].o = o;
        k[i].start = o->v[si].u.t;
        k[i].id = o->v[ii].set ? o->v[ii].u.i : 0;
        k[i].index = o->v[oi].set ? o->v[oi].u.i : -1;
        k[i].client = o->v[ci].set ? o->v[ci].u.i : 0;
    }
    qsort(k, (size_t)n, sizeof(*k), flat_cmp);
    for (i = 0; i < n; i++) {
        APR_ARRAY_IDX(rs->list, i, am_obj_t *) = k[i].o;
    }
}

static int in_refs(const char *ref, const char *const *refs, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (!strcmp(ref, refs[i])) {
            return 1;
        }
    }
    return 0;
}

/* Appends the flat items of what q finds (of the kinds calendar sees
 * sees, NULL: all); by_client: one set of items per requested client
 * each appointment lists under q->rel (a team appointment shown in
 * several of the clients' calendars). */
static am_err_t *append_flat(am_req_t *rq, am_resp_t *rs,
                             const am_query_t *q,
                             int by_client, const pc2_cal_t *sees)
{
    apr_array_header_t *found;
    am_err_t *e;
    int i, j;

    if ((e = am_store_list(rq->store, q, &found))) {
        return e;
    }
    for (i = 0; i < found->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(found, i, am_appt_t *);
        int n = rs->list->nelts;

        if (sees && !cal_sees(sees, a->kind)) {
            continue;
        }
        if (!by_client) {
            e = flat_items(rq, rs, a, NULL, q->from, q->until);
        }
        for (j = 0; by_client && !e && j < a->links->nelts; j++) {
            const am_link_t *l = &APR_ARRAY_IDX(a->links, j, am_link_t);

            if (!strcmp(l->rel, q->rel)
                && in_refs(l->ref, q->refs, q->nrefs)) {
                e = flat_items(rq, rs, a, l->ref, q->from, q->until);
            }
        }
        if (e) {
            return e;
        }
        if (rs->list->nelts > n) {
            APR_ARRAY_PUSH(rs->appts, const am_appt_t *) = a;
        }
    }
    return NULL;
}

/* The clients' group calendar, as flat Appointment items: their
 * appointments of every client kind, and the team appointments that list
 * them with ShowInGroupCalendar (one item per listed client asked for). */
static am_err_t *list_group(am_req_t *rq, am_resp_t *rs)
{
    am_err_t *e = NULL;
    am_query_t q;

    memset(&q, 0, sizeof(q));
    e = client_ids(rq, (const char ***)&q.refs, &q.nrefs);
    if ((e = date_range(rq, &q, e))) {
        return e;
    }
    start_list(rq, rs, &am_pc2_flat);
    q.kind = AM_KIND_ANY;
    q.rel = "client";
    if ((e = append_flat(rq, rs, &q, 1, &cal_client))) {
        return e;
    }
    q.kind = AM_KIND_TEAM;
    q.rel = "groupclient";
    if ((e = append_flat(rq, rs, &q, 1, NULL))) {
        return e;
    }
    flat_sort(rq, rs);
    return NULL;
}

/* A bare date (YYYY-MM-DD) as dateUntil of the employee list means that
 * whole day ("Enddate (+ 23:59)" on the pages): the range ends at the
 * next midnight.  dateFrom as a bare date is that day from 00:00, as
 * every date is read. */
static am_err_t *whole_day_until(am_req_t *rq, am_query_t *q)
{
    const char *v = apr_table_get(rq->query, "dateUntil");
    am_time_t last;

    if (v && strlen(v) == 10 && v[4] == '-' && v[7] == '-'
        && !am_time_parse_iso(apr_pstrcat(rq->pool, v, "T23:59:59.9999999",
                                          NULL), rq->tz, &last)) {
        q->until = last + 1;
    }
    return NULL;
}

/* The logged-on employee's appointments in a range, as flat Appointment
 * items. */
static am_err_t *list_employee(am_req_t *rq, am_resp_t *rs)
{
    am_err_t *e = NULL;
    const char *me[1];
    am_query_t q;

    if (!employee_of(rq)) {
        return no_employee(rq);
    }
    memset(&q, 0, sizeof(q));
    if ((e = date_range(rq, &q, e)) || (e = whole_day_until(rq, &q))) {
        return e;
    }
    me[0] = apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, employee_of(rq));
    q.kind = AM_KIND_EMPLOYEE;
    q.rel = "employee";
    q.refs = me;
    q.nrefs = 1;
    start_list(rq, rs, &am_pc2_flat);
    if ((e = append_flat(rq, rs, &q, 0, NULL))) {
        return e;
    }
    flat_sort(rq, rs);
    return NULL;
}

/* Replaces the writable fields of the stored appointment with the body's
 * (a change carries the whole appointment: what it leaves out is
 * cleared), keeping what the server owns. */
static am_err_t *change(am_req_t *rq, am_resp_t *rs)
{
    const pc2_cal_t *cal = CAL(rq);
    am_value_t *idv = am_obj_get(rq->body, "Id");
    am_appt_t *old = NULL, *a;
    am_err_t *e;

    if (!idv->set || idv->null || idv->u.i <= 0) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "Id", "The Id field is required for an"
                     " existing appointment.");
        return e;
    }
    if ((e = find_kind(rq, idv->u.i, &old))) {
        return e;
    }
    /* What the server owns stays.  The relations: those of the body's
     * type are replaced (cleared when left out); the others stay (the
     * employee calendar's owner, the calendars and participants of an
     * appointment made through the Xelion API). */
    a = am_op_replacement(rq->pool, old);
    if ((e = take_body(rq, a, AM_MODEL_REPLACE))) {
        return e;
    }
    names_to_directory(rq, rq->body, a);
    /* A new pattern (or none) makes the stored occurrence indexes name
     * other occurrences than the ones that were changed or deleted: its
     * exceptions go in the same transaction. */
    e = am_rule_pattern_changed(rq->pool, old->rule, a->rule)
        ? am_store_update_clear(rq->store, a, rq->if_match)
        : am_store_update(rq->store, a, rq->if_match);
    if (e) {
        return e;
    }
    return respond_one(rq, rs, cal->type, a);
}

/* An employee reads and deletes only appointments of the own calendar;
 * another employee's do not exist for them (cal_view). */
static am_err_t *own_employee_appt(am_req_t *rq, am_appt_t **out)
{
    return find_kind(rq, am_param_int64(rq, "appointmentId"), out);
}

static am_err_t *get_employee(am_req_t *rq, am_resp_t *rs)
{
    am_appt_t *a = NULL;
    am_err_t *e = own_employee_appt(rq, &a);

    return e ? e : respond_series(rq, rs, &am_pc2_employee, a);
}

static am_err_t *delete_employee(am_req_t *rq, am_resp_t *rs)
{
    am_view_t v;

    cal_view(CAL(rq), &v);
    return am_op_delete(rq, rs, &v);
}

/* ------------------------------------------------------ occurrences */

/* The series `id' of the route's calendar, which must recur: found as
 * every route of the calendar finds its appointments (find_kind: the
 * calendar's own kind, and the Xelion appointments of the one id space
 * outside the employee calendar, which shows only the user's own).
 * key names the body field that gave the id (ParentId), or NULL when it
 * came from the path. */
static am_err_t *series_of(am_req_t *rq, apr_int64_t id, const char *key,
                           am_appt_t **out, am_rule_t **rule)
{
    am_err_t *e = find_kind(rq, id, out);

    if (e && e->status == 403) {
        return e;
    }
    if (!e && !(*out)->rule) {
        e = am_err_make(rq->pool, 400, "Appointment %" APR_INT64_T_FMT
                        " is not a recurring appointment.", id);
    }
    if (e && key && (e->status == 404 || e->status == 400)) {
        /* A body that names a missing or single appointment is an
         * invalid body. */
        am_err_t *inv = am_err_invalid(rq->pool);
        am_err_field(rq->pool, inv, key, "%s", e->message);
        return inv;
    }
    if (e) {
        return e;
    }
    return am_rule_parse(rq->pool, (*out)->rule, rule);
}

/* Checks that index is an occurrence of the series: within its count or
 * end date, and before the end of the recurrence horizon for series
 * without end (an index from the path may be any 63-bit number: never
 * narrowed to an int before it is known to be one). */
static am_err_t *check_index(am_req_t *rq, const am_rule_t *rule,
                             apr_int64_t index, const char *key)
{
    int total = am_rule_count(rule, rq->tz);
    am_occurrence_t oc;

    if (index < 0 || index > INT_MAX || (total >= 0 && index >= total)
        || !am_rule_occurrence_at(rule, rq->tz, (int)index, &oc)) {
        am_err_t *e = am_err_invalid(rq->pool);
        if (total >= 0) {
            am_err_field(rq->pool, e, key, "The series has no occurrence"
                         " with index %" APR_INT64_T_FMT " (it has %d).",
                         index, total);
        }
        else {
            am_err_field(rq->pool, e, key, "The series has no occurrence"
                         " with index %" APR_INT64_T_FMT ".", index);
        }
        return e;
    }
    return NULL;
}

/* The answer for occurrence `index' of series a (after a change). */
static am_err_t *respond_occurrence(am_req_t *rq, am_resp_t *rs, am_appt_t *a,
                                    const am_rule_t *rule, int index)
{
    am_occurrence_t one, pat;
    int i;

    /* The occurrence's own time: its exception's, or the pattern's. */
    memset(&one, 0, sizeof(one));
    one.index = index;
    for (i = 0; i < a->exceptions->nelts; i++) {
        const am_exception_t *x = &APR_ARRAY_IDX(a->exceptions, i,
                                                 am_exception_t);
        if (x->index == index) {
            one.exc = x;
            one.start = x->start;
            one.end = x->end;
        }
    }
    if ((!one.exc || (one.start == 0 && one.end == 0))
        && am_rule_occurrence_at(rule, rq->tz, index, &pat)) {
        /* The pattern's time of the occurrence. */
        one.start = pat.start;
        one.end = pat.end;
    }
    rs->obj = occurrence_obj(rq, a, &one);
    rs->version = a->version;
    return NULL;
}

/* Stores exception x of series a and answers the occurrence. */
static am_err_t *put_occurrence(am_req_t *rq, am_resp_t *rs, am_appt_t *a,
                                const am_rule_t *rule, am_exception_t *x)
{
    am_err_t *e;
    int i, found = 0;

    if ((e = am_store_put_exception(rq->store, a->id, a->kind, x, 0,
                                    rq->if_match, &a->version))) {
        return e;
    }
    for (i = 0; i < a->exceptions->nelts; i++) {
        am_exception_t *o = &APR_ARRAY_IDX(a->exceptions, i, am_exception_t);
        if (o->index == x->index) {
            *o = *x;
            found = 1;
        }
    }
    if (!found) {
        APR_ARRAY_PUSH(a->exceptions, am_exception_t) = *x;
    }
    return respond_occurrence(rq, rs, a, rule, x->index);
}

/* POST .../OccurrenceAppointments and .../ChangeOfOccurrenceAppointments:
 * saves occurrence OccurrenceIndex of series ParentId as changed (Type
 * Occurrence or ChangedOccurrence: the body's times and texts) or deleted
 * (DeletedOccurrence). */
static am_err_t *save_occurrence(am_req_t *rq, am_resp_t *rs)
{
    am_obj_t *b = rq->body;
    am_appt_t *a = NULL;
    am_rule_t *rule = NULL;
    am_exception_t x;
    am_err_t *e;
    int i;

    if ((e = series_of(rq, am_obj_get(b, "ParentId")->u.i, "ParentId", &a,
                       &rule))
        || (e = check_index(rq, rule, am_obj_get(b, "OccurrenceIndex")->u.i,
                            "OccurrenceIndex"))) {
        return e;
    }
    memset(&x, 0, sizeof(x));
    x.index = (int)am_obj_get(b, "OccurrenceIndex")->u.i;
    x.deleted = (am_obj_get(b, "Type")->u.i == 2);
    x.start = am_obj_get(b, "Start")->u.t;
    x.end = am_obj_get(b, "End")->u.t;
    if (x.end < x.start) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "End", "End must not be before Start.");
        return e;
    }
    if (!am_obj_get(b, "Title")->null) {
        x.title = am_obj_get(b, "Title")->u.s;
    }
    /* The occurrence is saved as the body says, as the original service
     * saves the OccurrenceAppointment it is given (Title is required for
     * that reason): a Location or Remarks that is null or left out clears
     * it in this occurrence, stored as empty text (NULL in an exception
     * means "the series' value").  docs/plancare2.md. */
    x.location = text_or_empty(am_obj_get(b, "Location"));
    x.remarks = text_or_empty(am_obj_get(b, "Remarks"));
    /* Its own status (a completed occurrence) stays. */
    for (i = 0; i < a->exceptions->nelts; i++) {
        const am_exception_t *o = &APR_ARRAY_IDX(a->exceptions, i,
                                                 am_exception_t);
        if (o->index == x.index) {
            x.ext = o->ext;
        }
    }
    return put_occurrence(rq, rs, a, rule, &x);
}

/* DELETE ClientAppointments/{appointmentId}/OccurrenceIndex/{index}. */
static am_err_t *delete_occurrence(am_req_t *rq, am_resp_t *rs)
{
    apr_int64_t index = am_param_int64(rq, "occurrenceIndex");
    am_appt_t *a = NULL;
    am_rule_t *rule = NULL;
    am_exception_t x;
    am_err_t *e;

    if ((e = series_of(rq, am_param_int64(rq, "appointmentId"), NULL, &a,
                       &rule))
        || (e = check_index(rq, rule, index, "occurrenceIndex"))) {
        return e;
    }
    memset(&x, 0, sizeof(x));
    x.index = (int)index;
    x.deleted = 1;
    if ((e = am_store_put_exception(rq->store, a->id, a->kind, &x, 0,
                                    rq->if_match, NULL))) {
        return e;
    }
    rs->status = 204;
    return NULL;
}

/* GET .../OccurrenceAppointments/{id}: a stored (changed or deleted)
 * occurrence by its own id. */
static am_err_t *get_occurrence(am_req_t *rq, am_resp_t *rs)
{
    apr_int64_t id = am_param_int64(rq, "occurrenceId");
    apr_int64_t series = 0;
    am_appt_t *a = NULL;
    am_rule_t *rule = NULL;
    am_err_t *e;
    int index = 0;

    if ((e = am_store_find_exception(rq->store, id, &series, &index))) {
        return e;
    }
    if ((e = series_of(rq, series, NULL, &a, &rule))) {
        return e->status == 404 ? am_err_make(rq->pool, 404, "No occurrence"
                                              " with id %" APR_INT64_T_FMT
                                              " exists.", id) : e;
    }
    return respond_occurrence(rq, rs, a, rule, index);
}

static am_err_t *delete_one(am_req_t *rq, am_resp_t *rs)
{
    am_view_t v;

    cal_view(CAL(rq), &v);
    return am_op_delete(rq, rs, &v);
}

/* ------------------------------------------- completion and reopening */

/* What a completion or a reopening is about: single appointment a, or
 * occurrence `index' of series a. */
typedef struct pc2_target {
    am_appt_t *a;
    const pc2_cal_t *cal;       /* the calendar of a's kind */
    int occ;
    int index;
    am_rule_t *rule;
    const am_exception_t *x;    /* the occurrence's stored exception */
} pc2_target_t;

static am_err_t *no_appt(am_req_t *rq, apr_int64_t id)
{
    return am_err_make(rq->pool, 404, "No appointment with id %"
                       APR_INT64_T_FMT " exists.", id);
}

/* A 404 of something a body names, as the invalid body it is. */
static am_err_t *as_field(am_req_t *rq, am_err_t *e, const char *key)
{
    am_err_t *inv;

    if (!e || e->status != 404) {
        return e;
    }
    inv = am_err_invalid(rq->pool);
    am_err_field(rq->pool, inv, key, "%s", e->message);
    return inv;
}

/* Appointment id, when the user may reach it through its own calendar:
 * httpd is asked whether the user may GET it there (the Require lines
 * of that route decide), and an employee reaches only the own
 * appointments of the employee calendar.  What the user may not reach
 * is answered as missing (404): nothing leaks. */
static am_err_t *reachable(am_req_t *rq, apr_int64_t id, am_appt_t **out,
                           const pc2_cal_t **cal)
{
    am_err_t *e = am_store_get(rq->store, id, AM_KIND_ANY, out);
    const pc2_cal_t *c;
    am_view_t v;

    if (e) {
        return e;
    }
    c = cal_of_kind((*out)->kind);
    if (c) {
        cal_view(c, &v);
    }
    if (!c || !am_op_owns(rq, &v, *out)
        || (rq->may && !rq->may(rq->may_ctx, "GET",
                                apr_psprintf(rq->pool, c->path, id)))) {
        return no_appt(rq, id);
    }
    *cal = c;
    return NULL;
}

static const am_exception_t *exception_at(const am_appt_t *a, int index)
{
    int i;

    for (i = 0; i < a->exceptions->nelts; i++) {
        const am_exception_t *x = &APR_ARRAY_IDX(a->exceptions, i,
                                                 am_exception_t);
        if (x->index == index) {
            return x;
        }
    }
    return NULL;
}

/* Occurrence index of series t->a (already reachable). */
static am_err_t *target_occurrence(am_req_t *rq, pc2_target_t *t,
                                   apr_int64_t index, const char *key)
{
    am_err_t *e;

    if (!t->a->rule) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, key, "Appointment %" APR_INT64_T_FMT
                     " is not a recurring appointment.", t->a->id);
        return e;
    }
    if ((e = am_rule_parse(rq->pool, t->a->rule, &t->rule))
        || (e = check_index(rq, t->rule, index, "OccurrenceIndex"))) {
        return e;
    }
    t->occ = 1;
    t->index = (int)index;
    t->x = exception_at(t->a, t->index);
    return NULL;
}

/* The target of a completion (AppointmentCompletion) or reopening
 * (ClosedAppointment) body: ParentPlannedItemId and OccurrenceIndex name
 * an occurrence (Id, when not 0, must then be its stored id); else Id
 * names a single appointment.  Stored occurrences have ids of their own
 * number space (not the appointments'), so an Id alone never names an
 * occurrence: it could name an appointment as well. */
static am_err_t *find_target(am_req_t *rq, pc2_target_t *t)
{
    am_obj_t *b = rq->body;
    apr_int64_t id = am_obj_get(b, "Id")->u.i;
    am_value_t *pv = am_obj_get(b, "ParentPlannedItemId");
    am_value_t *iv = am_obj_get(b, "OccurrenceIndex");
    am_err_t *e;

    memset(t, 0, sizeof(*t));
    if (pv->set && !pv->null) {
        if (!iv->set || iv->null) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "OccurrenceIndex", "The"
                         " OccurrenceIndex field is required for an"
                         " occurrence (ParentPlannedItemId is given).");
            return e;
        }
        if ((e = as_field(rq, reachable(rq, pv->u.i, &t->a, &t->cal),
                          "ParentPlannedItemId"))
            || (e = target_occurrence(rq, t, iv->u.i,
                                      "ParentPlannedItemId"))) {
            return e;
        }
        if (id > 0 && (!t->x || t->x->id != id)) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "Id", "Occurrence %d of appointment %"
                         APR_INT64_T_FMT " has no stored id %"
                         APR_INT64_T_FMT ".", t->index, t->a->id, id);
            return e;
        }
        return NULL;
    }
    if (id <= 0) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "Id", "Id must name an appointment, or"
                     " ParentPlannedItemId and OccurrenceIndex an occurrence"
                     " of a recurring one.");
        return e;
    }
    e = reachable(rq, id, &t->a, &t->cal);
    if (!e && t->a->rule) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "Id", "Appointment %" APR_INT64_T_FMT
                     " is a recurring series, which stays Created: name one"
                     " of its occurrences (ParentPlannedItemId and"
                     " OccurrenceIndex).", id);
        return e;
    }
    return as_field(rq, e, "Id");
}

/* A StatusChange entry: to status, by the user, now, why (reason may be
 * unset), with the completion's details when completing. */
static am_obj_t *status_entry(am_req_t *rq, int status,
                              const am_value_t *reason, am_obj_t *completion)
{
    am_obj_t *h = am_obj_make(rq->pool, &am_pc2_status_change);
    const char *who = am_req_who(rq);

    am_obj_set_int(h, "Status", status);
    am_obj_set_int(h, "ChangedById", rq->employee_id);
    if (who) {
        am_obj_set_str(h, "ChangedByName", who);
    }
    am_obj_set_time(h, "ChangedAt", (am_time_t)apr_time_now() * 10);
    if (reason->set && !reason->null) {
        am_obj_set_str(h, "Reason", reason->u.s);
    }
    if (completion) {
        am_value_t *v = am_obj_get(h, "Completion");
        v->set = 1;
        v->u.o = completion;
    }
    return h;
}

/* The history old (may be unset) with entry h appended. */
static void history_add(apr_pool_t *p, am_value_t *hist, am_obj_t *h)
{
    apr_array_header_t *items = apr_array_make(p, 4, sizeof(am_value_t));
    am_value_t *v;

    if (hist->set && !hist->null) {
        apr_array_cat(items, hist->u.a);
    }
    v = apr_array_push(items);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->u.o = h;
    hist->set = 1;
    hist->null = 0;
    hist->u.a = items;
}

/* The details of completion (NULL: none any more, reopened). */
static void set_completion(am_value_t *v, am_obj_t *completion)
{
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->null = !completion;
    v->u.o = completion;
}

/* The status of the target becomes status (Completed with completion's
 * details, or Created again): Status, Reason, StatusChangedBy* from the
 * user, Completion, and one more StatusHistory entry, stored in one
 * write.  expect: the status the target must have. */
static am_err_t *set_status(am_req_t *rq, am_resp_t *rs, pc2_target_t *t,
                            int status,
                            int expect, am_obj_t *completion)
{
    am_obj_t *b = rq->body;
    am_value_t *reason = am_obj_get(b, "Reason");
    am_value_t *remarks = completion ? am_obj_get(b, "Remarks") : NULL;
    am_obj_t *h = status_entry(rq, status, reason, completion);
    am_err_t *e;

    if (!t->occ) {
        am_appt_t *a = t->a;
        am_obj_t *st;

        if (a->status != expect) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "Id", "Appointment %" APR_INT64_T_FMT
                         " is %s.", a->id, a->status == AM_STATUS_COMPLETED
                         ? "already completed" : a->status == AM_STATUS_CREATED
                         ? "not completed" : "cancelled");
            return e;
        }
        st = am_model_to_obj(rq->pool, &pc2_appt_state, a, rq->tz);
        set_completion(am_obj_get(st, "Completion"), completion);
        history_add(rq->pool, am_obj_get(st, "StatusHistory"), h);
        a->ext = am_ext_merge(rq->pool, a->ext, st, rq->tz, 0);
        a->status = status;
        a->reason = (reason->set && !reason->null) ? reason->u.s : NULL;
        am_stamp_status(rq, a);
        if (remarks && remarks->set && !remarks->null) {
            a->remarks = remarks->u.s;
        }
        if ((e = am_store_update(rq->store, a, rq->if_match))) {
            return e;
        }
        return respond_one(rq, rs, t->cal->type, a);
    }
    else {
        am_exception_t x;
        am_obj_t *st = occurrence_state_of(rq, t->x);
        int now = occurrence_status(rq, t->x);

        if (t->x && t->x->deleted) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "OccurrenceIndex", "Occurrence %d of"
                         " appointment %" APR_INT64_T_FMT " is deleted.",
                         t->index, t->a->id);
            return e;
        }
        if (!st) {
            st = am_obj_make(rq->pool, &pc2_occ_state);
        }
        if (now != expect) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "OccurrenceIndex", "Occurrence %d of"
                         " appointment %" APR_INT64_T_FMT " is %s.",
                         t->index, t->a->id, now == AM_STATUS_COMPLETED
                         ? "already completed" : now == AM_STATUS_CREATED
                         ? "not completed" : "cancelled");
            return e;
        }
        memset(&x, 0, sizeof(x));
        if (t->x) {
            x = *t->x;
        }
        else {
            am_occurrence_t oc;

            am_rule_occurrence_at(t->rule, rq->tz, t->index, &oc);
            x.index = t->index;
            x.start = oc.start;
            x.end = oc.end;
        }
        am_obj_set_int(st, "Status", status);
        if (reason->set && !reason->null) {
            am_obj_set_str(st, "Reason", reason->u.s);
        }
        else {
            am_obj_set_null(st, "Reason");
        }
        am_obj_set_int(st, "StatusChangedById", rq->employee_id);
        if (am_req_who(rq)) {
            am_obj_set_str(st, "StatusChangedByName", am_req_who(rq));
        }
        set_completion(am_obj_get(st, "Completion"), completion);
        history_add(rq->pool, am_obj_get(st, "StatusHistory"), h);
        x.ext = am_json_encode(rq->pool, st, rq->tz, NULL);
        if (remarks && remarks->set && !remarks->null) {
            x.remarks = remarks->u.s;
        }
        return put_occurrence(rq, rs, t->a, t->rule, &x);
    }
}

/* POST Appointments/AppointmentCompletion (and the deprecated
 * AppointmentCompletions): the appointment or occurrence is completed. */
static am_err_t *complete(am_req_t *rq, am_resp_t *rs)
{
    pc2_target_t t;
    am_err_t *e;

    if ((e = find_target(rq, &t))) {
        return e;
    }
    return set_status(rq, rs, &t, AM_STATUS_COMPLETED, AM_STATUS_CREATED,
                      rq->body);
}

/* POST Appointments/ReopenAppointment: a completed appointment or
 * occurrence is Created again; its history keeps who completed and who
 * reopened it. */
static am_err_t *reopen(am_req_t *rq, am_resp_t *rs)
{
    pc2_target_t t;
    am_err_t *e;

    if ((e = find_target(rq, &t))) {
        return e;
    }
    return set_status(rq, rs, &t, AM_STATUS_CREATED, AM_STATUS_COMPLETED, NULL);
}

/* EmploymentId and EmployeeName of an appointment handed to another
 * employee (ext members). */
static const am_field_t handover_fields[] = {
    { .name = "EmploymentId", .type = AM_T_INT64, .member = AM_M_EXT },
    { .name = "EmployeeName", .type = AM_T_STRING, .member = AM_M_EXT },
};

static am_type_t pc2_handover = {
    "Handover", NS_CLI, handover_fields,
    (int)(sizeof(handover_fields) / sizeof(am_field_t)), NULL
};

/* POST ClientAppointments/ChangeEmployeeForOccurrence: occurrence
 * OccurrenceIndex of client series ParentId becomes a deleted occurrence
 * and a new (single) appointment of the same kind, for employee
 * EmployeeId (employment ContractOfServiceId), in one transaction. */
static am_err_t *change_employee(am_req_t *rq, am_resp_t *rs)
{
    am_obj_t *b = rq->body;
    apr_int64_t id = am_obj_get(b, "Id")->u.i;
    apr_int64_t emp = am_obj_get(b, "EmployeeId")->u.i;
    am_value_t *cos = am_obj_get(b, "ContractOfServiceId");
    const char *emp_ref = apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, emp);
    const char *emp_name = NULL;
    const am_exception_t *old;
    am_appt_t *a = NULL, *n;
    am_rule_t *rule = NULL;
    am_occurrence_t oc;
    am_exception_t x;
    am_obj_t *ho, *out;
    am_err_t *e;
    int index, i;

    if ((e = series_of(rq, am_obj_get(b, "ParentId")->u.i, "ParentId", &a,
                       &rule))
        || (e = check_index(rq, rule, am_obj_get(b, "OccurrenceIndex")->u.i,
                            "OccurrenceIndex"))) {
        return e;
    }
    index = (int)am_obj_get(b, "OccurrenceIndex")->u.i;
    old = exception_at(a, index);
    if (id > 0 && (!old || old->id != id)) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "Id", "Occurrence %d of appointment %"
                     APR_INT64_T_FMT " has no stored id %" APR_INT64_T_FMT
                     ".", index, a->id, id);
        return e;
    }
    if (old && old->deleted) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "OccurrenceIndex", "Occurrence %d of"
                     " appointment %" APR_INT64_T_FMT " is deleted.", index,
                     a->id);
        return e;
    }
    if (old && occurrence_status(rq, old) == AM_STATUS_COMPLETED) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "OccurrenceIndex", "Occurrence %d of"
                     " appointment %" APR_INT64_T_FMT " is completed; reopen"
                     " it first.", index, a->id);
        return e;
    }
    am_rule_occurrence_at(rule, rq->tz, index, &oc);

    /* The new appointment: the series' members, the occurrence's times
     * and texts, the other employee. */
    n = am_appt_make(rq->pool, a->kind);
    n->start = (old && (old->start || old->end)) ? old->start : oc.start;
    n->end = (old && (old->start || old->end)) ? old->end : oc.end;
    n->last_end = n->end;
    n->title = (old && old->title) ? old->title : a->title;
    n->location = (old && old->location) ? old->location : a->location;
    n->remarks = (old && old->remarks) ? old->remarks : a->remarks;
    n->all_day = a->all_day;
    n->moves_to_next_day = a->moves_to_next_day;
    for (i = 0; i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        if (strcmp(l->rel, "employee")) {
            am_appt_add_link(rq->pool, n, l->rel, l->ref);
        }
    }
    am_appt_add_link(rq->pool, n, "employee", emp_ref);
    if ((e = am_store_dir_get(rq->store, "employee", emp_ref, &emp_name))) {
        return e;
    }
    ho = am_obj_make(rq->pool, &pc2_handover);
    if (cos->set && !cos->null) {
        am_obj_set_int(ho, "EmploymentId", cos->u.i);
    }
    else {
        am_obj_set_null(ho, "EmploymentId");
    }
    if (emp_name) {
        am_obj_set_str(ho, "EmployeeName", emp_name);
    }
    else {
        am_obj_set_null(ho, "EmployeeName");
    }
    n->ext = am_ext_merge(rq->pool, a->ext, ho, rq->tz, 0);
    am_stamp_created(rq, n);

    memset(&x, 0, sizeof(x));
    x.index = index;
    x.deleted = 1;
    if ((e = am_store_put_exception_create(rq->store, a->id, a->kind, &x,
                                           rq->if_match, NULL, n))) {
        return e;
    }
    out = am_model_to_obj(rq->pool, &am_pc2_employee_occ, n, rq->tz);
    rs->obj = out;
    rs->location = apr_psprintf(rq->pool, cal_of_kind(n->kind)->path, n->id);
    return NULL;
}

/* ------------------------------------------------------------ routes */

#define CLIENT_GROUP AM_FN_CLIENT_GROUP_CALENDAR
#define TEAM         AM_FN_TEAM_CALENDAR
#define EMPLOYEE     AM_FN_EMPLOYEE_CALENDAR
#define START        AM_PERM_START

/* The parameters of the routes, for the descriptions (describe.h);
 * rows without a type document a path parameter. */
#define P_APPT { "appointmentId", 0, 0, 0, "The id of the appointment." }
#define P_RANGE \
    { "occurrenceRangeFrom", AM_T_DATETIME, 0, 0, "Start of the range" \
      " whose occurrences a recurring appointment lists; none are listed" \
      " unless both ends are given." }, \
    { "occurrenceRangeUntil", AM_T_DATETIME, 0, 0, "End of the range of" \
      " occurrences." }
#define P_DATES \
    { "dateFrom", AM_T_DATETIME, 0, AM_F_REQUIRED, "Start of the range." }, \
    { "dateUntil", AM_T_DATETIME, 0, AM_F_REQUIRED, "End of the range." }

static const am_param_t q_get[] = { P_APPT, P_RANGE, { NULL } };
static const am_param_t q_appt[] = { P_APPT, { NULL } };
static const am_param_t q_clients[] = {
    { "clientIds", AM_T_ARRAY, AM_T_INT64, AM_F_REQUIRED, "The ids of the"
      " clients (at most " APR_STRINGIFY(AM_MAX_CLIENT_IDS) ")." },
    P_DATES, { NULL }
};
static const am_param_t q_dates[] = { P_DATES, { NULL } };
static const am_param_t q_occ_id[] = {
    { "occurrenceId", 0, 0, 0, "The id of the changed or deleted"
      " occurrence." }, { NULL }
};
static const am_param_t q_occ_index[] = {
    { "appointmentId", 0, 0, 0, "The id of the recurring appointment." },
    { "occurrenceIndex", 0, 0, 0, "The index of the occurrence (0 is the"
      " first)." }, { NULL }
};

#define ONE(t)   .out = &(t), .answer = AM_ANSWER_ONE
#define LIST(t)  .out = &(t), .answer = AM_ANSWER_LIST
#define NOBODY   .answer = AM_ANSWER_NONE, .status = 204
#define ICAL     .flags = AM_ROUTE_ICAL

/* The feeds (feed.h): a client's group calendar (as GET Appointments),
 * a team calendar, the logged-on employee's own. */
/* The client's feed: the appointments of every client kind (one query
 * narrowed to the kinds), and the team appointments shown in the
 * client's group calendar. */
static const am_feed_t feed_client = {
    "clientId", "client", "Client", 2,
    { { AM_KIND_ANY, "client", PC2_CLIENT_KINDS },
      { AM_KIND_TEAM, "groupclient", 0 } }
};
static const am_feed_t feed_team = {
    "teamCalendarId", "team", "Team calendar", 1, { { AM_KIND_TEAM, "team" } }
};
static const am_feed_t feed_employee = {
    NULL, "employee", "Employee", 1, { { AM_KIND_EMPLOYEE, "employee" } }
};

static const am_route_t pc2_routes[] = {
    /* The client (group) calendar: each kind's create, list, get, delete
     * and change routes. */
#define PC2_KIND_ROUTES(coll, chg, in_, change_in, cal, type_, name) \
    { "POST", "ClientAppointments/" coll, create, CLIENT_GROUP, START, \
      in_, cal, .doc = "Saves a new " name " instance (Id in the body" \
      " is ignored); answers it with its new Id and Location.", \
      ONE(type_) }, \
    { "GET", "ClientAppointments/" coll, list_kind, CLIENT_GROUP, START, \
      NULL, cal, .doc = "The clients' " name " instances that overlap" \
      " the range, by start (series with their occurrences there).", \
      LIST(type_), .query = q_clients, ICAL }, \
    { "GET", "ClientAppointments/" coll "/{appointmentId}", get_one, \
      CLIENT_GROUP, START, NULL, cal, .doc = "Gets a " name \
      " instance.", ONE(type_), .query = q_get, ICAL }, \
    { "DELETE", "ClientAppointments/" coll "/{appointmentId}", delete_one, \
      CLIENT_GROUP, START, NULL, cal, .doc = "Deletes a " name \
      " instance.", NOBODY, .query = q_appt }, \
    { "POST", "ClientAppointments/" chg, change, CLIENT_GROUP, START, \
      change_in, cal, .doc = "Replaces the " name " that Id names with" \
      " the body; members left out are cleared.", ONE(type_) }
    PC2_KIND_ROUTES("ContractAppointments", "ChangeOfContractAppointments",
                    &am_pc2_contract, &am_pc2_change_contract, &cal_contract,
                    am_pc2_contract,
                    "ContractAppointment"),
    PC2_KIND_ROUTES("PCDContractAppointments",
                    "ChangeOfPCDContractAppointments", &am_pc2_pcd_contract,
                    &am_pc2_change_pcd_contract, &cal_pcd_contract,
                    am_pc2_pcd_contract,
                    "PCDContractAppointment"),
    PC2_KIND_ROUTES("ActionAppointments", "ChangeOfActionAppointments",
                    &am_pc2_action, &am_pc2_change_action, &cal_action,
                    am_pc2_action,
                    "ActionAppointment"),
    PC2_KIND_ROUTES("ArrangementProductActAppointments",
                    "ChangeOfArrangementProductActAppointments",
                    &am_pc2_arrangement_act, &am_pc2_change_arrangement_act,
                    &cal_arrangement_act, am_pc2_arrangement_act,
                    "ArrangementProductActAppointment"),
    PC2_KIND_ROUTES("AgreementAppointments", "ChangeOfAgreementAppointments",
                    &am_pc2_agreement, &am_pc2_change_agreement,
                    &cal_agreement, am_pc2_agreement,
                    "AgreementAppointment"),
    PC2_KIND_ROUTES("SubscriptionAppointments",
                    "ChangeOfSubscriptionAppointments", &am_pc2_subscription,
                    &am_pc2_change_subscription, &cal_subscription,
                    am_pc2_subscription,
                    "SubscriptionAppointment"),
    PC2_KIND_ROUTES("InterventionAppointments",
                    "ChangeOfInterventionAppointments", &am_pc2_intervention,
                    &am_pc2_change_intervention, &cal_intervention,
                    am_pc2_intervention,
                    "InterventionAppointment"),
    { "GET", "Appointments", list_group, CLIENT_GROUP, START, NULL,
      &cal_client,
      .doc = "The clients' group calendar in a range: their appointments"
             " of every client kind and the team appointments shown in it,"
             " each occurrence an item of its own.",
      LIST(am_pc2_flat), .query = q_clients, ICAL },
    { "POST", "ClientAppointments/OccurrenceAppointments", save_occurrence,
      CLIENT_GROUP, START, &am_pc2_occurrence, &cal_client,
      .doc = "Saves a new OccurrenceAppointment instance. This appointment"
             " is part of a recurring Appointment: Type Occurrence or"
             " ChangedOccurrence stores it changed, DeletedOccurrence"
             " deletes it.",
      ONE(am_pc2_occurrence) },
    { "POST", "ClientAppointments/ChangeOfOccurrenceAppointments",
      save_occurrence, CLIENT_GROUP, START, &am_pc2_occurrence,
      &cal_client,
      .doc = "Updates an existing occurrence of a recurring appointment.",
      ONE(am_pc2_occurrence) },
    { "GET", "ClientAppointments/OccurrenceAppointments/{occurrenceId}",
      get_occurrence, CLIENT_GROUP, START, NULL, &cal_client,
      .doc = "Gets a changed or deleted occurrence by its own id.",
      ONE(am_pc2_occurrence), .query = q_occ_id },
    { "DELETE", "ClientAppointments/{appointmentId}/OccurrenceIndex/"
      "{occurrenceIndex:uint}", delete_occurrence, CLIENT_GROUP, START, NULL,
      &cal_client,
      .doc = "Deletes one occurrence of a recurring appointment.", NOBODY,
      .query = q_occ_index },
    { "POST", "ClientAppointments/ChangeEmployeeForOccurrence",
      change_employee, CLIENT_GROUP, START, &am_pc2_change_employee_occ,
      &cal_client,
      .doc = "Creates a new appointment based on the occurrence for the"
             " changed employee; the occurrence becomes a DeletedOccurrence"
             " (one transaction). Answers the new appointment's Id and"
             " Type.",
      ONE(am_pc2_employee_occ) },

    /* Completing and reopening, in every calendar: the function is the
     * target's (AM_ROUTE_TARGET).  They answer the appointment in its
     * calendar's type, or the occurrence: not one type. */
    { "POST", "Appointments/AppointmentCompletion", complete, NULL, START,
      &am_pc2_completion, &cal_client, .flags = AM_ROUTE_TARGET,
      .doc = "Completes an appointment, or one occurrence of a recurring"
             " one; answers it." },
    { "POST", "Appointments/AppointmentCompletions", complete, NULL, START,
      &am_pc2_completion, &cal_client, .flags = AM_ROUTE_TARGET,
      .doc = "Completes an appointment (deprecated on the API's pages:"
             " use Appointments/AppointmentCompletion)." },
    { "POST", "Appointments/ReopenAppointment", reopen, NULL, START,
      &am_pc2_closed, &cal_client, .flags = AM_ROUTE_TARGET,
      .doc = "Reopens a completed appointment or occurrence; its history"
             " keeps who completed and reopened it." },

    /* The team calendar. */
    { "POST", "TeamAppointments/TeamAppointments", create, TEAM, START,
      &am_pc2_team, &cal_team,
      .doc = "Creates a new TeamAppointment.", ONE(am_pc2_team) },
    { "POST", "TeamAppointments/ChangeOfTeamAppointments", change, TEAM,
      START, &am_pc2_change_team, &cal_team,
      .doc = "Replaces the TeamAppointment that Id names with the body.",
      ONE(am_pc2_team) },
    { "GET", "TeamAppointments/{appointmentId}", get_one, TEAM, START, NULL,
      &cal_team,
      .doc = "Gets a TeamAppointment instance.", ONE(am_pc2_team),
      .query = q_get, ICAL },
    { "DELETE", "TeamAppointments/{appointmentId}", delete_one, TEAM, START,
      NULL, &cal_team,
      .doc = "Deletes a TeamAppointment instance.", NOBODY,
      .query = q_appt },
    { "GET", "TeamAppointments/OccurrenceAppointments/{occurrenceId}",
      get_occurrence, TEAM, START, NULL, &cal_team,
      .doc = "Gets a changed or deleted occurrence by its own id.",
      ONE(am_pc2_occurrence), .query = q_occ_id },
    { "POST", "TeamAppointments/ChangeOfOccurrenceAppointments",
      save_occurrence, TEAM, START, &am_pc2_occurrence, &cal_team,
      .doc = "Updates an occurrence of a recurring team appointment.",
      ONE(am_pc2_occurrence) },

    /* The logged-on employee's calendar. */
    { "GET", "Appointments/Employee", list_employee, EMPLOYEE, START, NULL,
      &cal_employee,
      .doc = "The logged-on employee's appointments in a range (a bare"
             " date as dateUntil: that day through 23:59).",
      LIST(am_pc2_flat), .query = q_dates, ICAL },
    { "POST", "EmployeeAppointments/EmployeeAppointments", create, EMPLOYEE,
      START, &am_pc2_employee, &cal_employee,
      .doc = "Creates an appointment in the logged-on employee's"
             " calendar.", ONE(am_pc2_employee) },
    { "POST", "EmployeeAppointments/ChangeOfEmployeeAppointments", change,
      EMPLOYEE, START, &am_pc2_change_employee, &cal_employee,
      .doc = "Updates an existing EmployeeAppointment instance.",
      ONE(am_pc2_employee) },
    { "GET", "EmployeeAppointments/{appointmentId}", get_employee, EMPLOYEE,
      START, NULL, &cal_employee,
      .doc = "Gets an EmployeeAppointment instance.", ONE(am_pc2_employee),
      .query = q_get, ICAL },
    { "DELETE", "EmployeeAppointments/{appointmentId}", delete_employee,
      EMPLOYEE, START, NULL, &cal_employee,
      .doc = "Deletes an EmployeeAppointment instance.", NOBODY,
      .query = q_appt },
    { "GET", "EmployeeAppointments/OccurrenceAppointments/{occurrenceId}",
      get_occurrence, EMPLOYEE, START, NULL, &cal_employee,
      .doc = "Gets a changed or deleted occurrence by its own id.",
      ONE(am_pc2_occurrence), .query = q_occ_id },
    { "POST", "EmployeeAppointments/ChangeOfOccurrenceAppointments",
      save_occurrence, EMPLOYEE, START, &am_pc2_occurrence, &cal_employee,
      .doc = "Updates an occurrence of a recurring employee appointment.",
      ONE(am_pc2_occurrence) },

    /* Feeds for calendar programs (text/calendar). */
    AM_FEED_ROUTES("Feeds/Clients/{clientId}.ics",
                   CLIENT_GROUP, START, &feed_client),
    AM_FEED_ROUTES("Feeds/Teams/{teamCalendarId}.ics",
                   TEAM, START, &feed_team),
    AM_FEED_ROUTES("Feeds/Employee.ics", EMPLOYEE, START, &feed_employee),
    /* Logging in (login.h): public routes, served by the glue. */
    AM_LOGIN_OAUTH_ROUTES,
};

/* What the members mean (the API's pages), for the descriptions. */
static const am_member_doc_t pc2_docs[] = {
    { "Id", "The internal id (0 or left out for a new appointment)." },
    { "Start", "The start date and time." },
    { "End", "The end date and time." },
    { "Title", "The subject of the appointment." },
    { "Location", "The location of the appointment." },
    { "Reason", "The reason given when the appointment was completed or"
      " cancelled." },
    { "Status", "The status of the appointment; a recurring appointment"
      " is always Created." },
    { "StatusChangedByName", "The name of the employee who changed the"
      " status." },
    { "StatusChangedById", "The id of the employee who changed the"
      " status." },
    { "CreatedByName", "The name of the employee who created the"
      " appointment (the logged-on user)." },
    { "CreatedById", "The id of the employee who created the"
      " appointment." },
    { "Remarks", "Remarks made to the appointment." },
    { "MovesToNextDay", "Whether the appointment moves to the next day"
      " when not completed." },
    { "IsAllDay", "Whether the appointment lasts all day." },
    { "FriendlyRecurrenceInfo", "The recurrence in words; only set for a"
      " recurring appointment." },
    { "RecurrenceInfo", "The recurrence; RecurrenceStart must equal Start."
      " Left empty, the appointment does not recur." },
    { "RecurrenceOccurrences", "The occurrences within the requested"
      " range, for a recurring appointment." },
    { "Type", "The type of the appointment (or of the occurrence)." },
    { "ShiftId", "The id of the shift." },
    { "ParentId", "The id of the recurring (parent) appointment." },
    { "OccurrenceIndex", "The index of the occurrence in its series, 0"
      " for the first." },
    { "ContractId", "The id of the contract." },
    { "ProductId", "The id of the product." },
    { "ProductName", "The name of the product." },
    { "ContractLineId", "No longer in use." },
    { "CareTrajectId", "The id of the care traject." },
    { "DOTLocationId", "The id of the DOT location." },
    { "WorkTypeId", "The id of the work type." },
    { "ProjectId", "The id of the project." },
    { "ProjectName", "The name of the project." },
    { "ClientId", "The id of the client." },
    { "ClientName", "The name of the client." },
    { "EmployeeId", "The id of the employee." },
    { "EmployeeName", "The name of the employee." },
    { "EmploymentId", "The id of the employment." },
    { "ContractOfServiceId", "Deprecated: mirrors EmploymentId." },
    { "TeamCalendarId", "The id of the team calendar." },
    { "TeamCalendar", "The name of the team calendar." },
    { "ClientIds", "The ids of the clients." },
    { "ShowInGroupCalendar", "Whether the appointment is also shown in"
      " the clients' group calendar (ignored without ClientIds)." },
    { "Clients", "The clients of the team appointment." },
    { "ContractInfo", "The contract information of the appointment." },
    { "Name", "The name." },
    { "OccurrenceCount", "How many times it occurs (Range"
      " OccurrenceCount)." },
    { "Periodicity", "Every how many days, weeks, months or years." },
    { "Range", "How the recurrence ends." },
    { "Interval", "Daily, weekly, monthly or yearly." },
    { "WeekDays", "On which days of the week." },
    { "RecurrenceStart", "The start of the recurrence (equal to Start)." },
    { "RecurrenceEnd", "The end of the recurrence (Range EndByDate)." },
    { "Month", "The month (yearly recurrence)." },
    { "DayNumber", "The day of the month (monthly and yearly)." },
    { "WeekOfMonth", "Which week of the month (\"the third Tuesday\")." },
    { NULL }
};

static char *pc2_error_body(apr_pool_t *p, const am_dialect_t *d,
                            const am_err_t *e, am_fmt_e fmt,
                            const char *method, const char *path,
                            apr_size_t *len)
{
    return am_aspnet_error_body(p, d->model_param, e, fmt, len);
}

/* The calendars' appointments; the employee calendar shows only the
 * logged-on employee's own. */
static const am_home_t pc2_homes[] = {
    { AM_KIND_CONTRACT, "GET", "ClientAppointments/ContractAppointments/{id}",
      "DELETE", "ClientAppointments/ContractAppointments/{id}", 0 },
#define PC2_KIND_HOME(kind, coll) \
    { kind, "GET", "ClientAppointments/" coll "/{id}", \
      "DELETE", "ClientAppointments/" coll "/{id}", 0 }
    PC2_KIND_HOME(AM_KIND_PCD_CONTRACT, "PCDContractAppointments"),
    PC2_KIND_HOME(AM_KIND_ACTION, "ActionAppointments"),
    PC2_KIND_HOME(AM_KIND_ARRANGEMENT_ACT,
                  "ArrangementProductActAppointments"),
    PC2_KIND_HOME(AM_KIND_AGREEMENT, "AgreementAppointments"),
    PC2_KIND_HOME(AM_KIND_SUBSCRIPTION, "SubscriptionAppointments"),
    PC2_KIND_HOME(AM_KIND_INTERVENTION, "InterventionAppointments"),
    { AM_KIND_TEAM, "GET", "TeamAppointments/{id}",
      "DELETE", "TeamAppointments/{id}", 0 },
    { AM_KIND_EMPLOYEE, "GET", "EmployeeAppointments/{id}",
      "DELETE", "EmployeeAppointments/{id}", 1 },
};

const am_dialect_t am_dialect_plancare2 = {
    "plancare2",
    pc2_routes,
    (int)(sizeof(pc2_routes) / sizeof(pc2_routes[0])),
    pc2_types,
    "appointment",
    AM_FMT_JSON | AM_FMT_XML,
    pc2_error_body,
    pc2_homes,
    (int)(sizeof(pc2_homes) / sizeof(pc2_homes[0])),
    .title = "PlanCare2 calendar API",
    .doc = "The calendars of PlanCare2 (care planning): client (contract)"
           " appointments and the clients' group calendar, team"
           " appointments and the logged-on employee's own calendar;"
           " recurring appointments with their occurrences.",
    .member_docs = pc2_docs
};

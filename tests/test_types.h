/* Licensed under the Apache License, Version 2.0.
 *
 * test_types.h: field tables for the codec tests: a copy of the PlanCare2
 * types the seed samples (../t/data/seed00[012].*) use, with their JSON
 * member order, DataContract namespaces and inheritance levels, and a
 * Probe type for edge cases.  member = 0 everywhere: the model mapping is
 * not under test here.
 */
#ifndef TEST_TYPES_H
#define TEST_TYPES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "am.h"
#include "codec.h"
#include "fields.h"

#define TT_UNUSED __attribute__((unused))

#define NS_API  "http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface"
#define NS_CAL  NS_API ".Calendar"
#define NS_CLI  NS_CAL ".Client"
#define NS_TEAM NS_CAL ".Team"
#define NS_REC  NS_CAL ".Recurrence"
#define NS_ARR  "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

#define TT_ENUM(items) { items, (int)(sizeof(items) / sizeof(items[0])) }
#define TT_TYPE(name, ns, fields) \
    { name, ns, fields, (int)(sizeof(fields) / sizeof(am_field_t)), NULL }

#define RO  AM_F_READONLY
#define REQ (AM_F_REQUIRED | AM_F_NONNULL)

/* ------------------------------------------------------------- enums */

static const am_enum_item_t tt_status_items[] = {
    { "Created", 0 }
};
static const am_enum_t tt_status TT_UNUSED = TT_ENUM(tt_status_items);

/* Recurrence = 1 is inferred from the docs ("Only set when type is
 * Recurrence"); the samples only show Normal = 0. */
static const am_enum_item_t tt_appt_type_items[] = {
    { "Normal", 0 }, { "Recurrence", 1 }
};
static const am_enum_t tt_appt_type TT_UNUSED = TT_ENUM(tt_appt_type_items);

static const am_enum_item_t tt_occ_type_items[] = {
    { "Occurrence", 0 }, { "ChangedOccurrence", 1 },
    { "DeletedOccurrence", 2 }
};
static const am_enum_t tt_occ_type TT_UNUSED = TT_ENUM(tt_occ_type_items);

static const am_enum_item_t tt_range_items[] = {
    { "NoEndDate", 0 }, { "OccurrenceCount", 1 }, { "EndByDate", 2 }
};
static const am_enum_t tt_range TT_UNUSED = TT_ENUM(tt_range_items);

static const am_enum_item_t tt_interval_items[] = {
    { "Daily", 0 }, { "Weekly", 1 }, { "Monthly", 2 }, { "Yearly", 3 }
};
static const am_enum_t tt_interval TT_UNUSED = TT_ENUM(tt_interval_items);

/* In declaration order (DevExpress WeekDays): single days first. */
static const am_enum_item_t tt_week_days_items[] = {
    { "Sunday", 1 }, { "Monday", 2 }, { "Tuesday", 4 }, { "Wednesday", 8 },
    { "Thursday", 16 }, { "Friday", 32 }, { "Saturday", 64 },
    { "WeekendDays", 65 }, { "WorkDays", 62 }, { "EveryDay", 127 }
};
static const am_enum_t tt_week_days TT_UNUSED = TT_ENUM(tt_week_days_items);

/* ------------------------------------------------------------- types */

/* NamedEntity (namespace ...Api.Interface). */
static const am_field_t tt_named_entity_fields[] = {
    { .name = "Id", .type = AM_T_INT64 },
    { .name = "Name", .type = AM_T_STRING },
};
static am_type_t tt_named_entity TT_UNUSED =
    TT_TYPE("NamedEntity", NS_API, tt_named_entity_fields);

/* RecurrenceInfo (namespace ...Calendar.Recurrence). */
static const am_field_t tt_recurrence_fields[] = {
    { .name = "OccurrenceCount", .type = AM_T_INT32 },
    { .name = "Periodicity", .type = AM_T_INT32, .min = 1, .max = 1000 },
    { .name = "Range", .type = AM_T_ENUM, .flags = AM_F_NONNULL,
      .en = &tt_range },
    { .name = "Interval", .type = AM_T_ENUM, .flags = AM_F_NONNULL,
      .en = &tt_interval },
    { .name = "WeekDays", .type = AM_T_FLAGS, .en = &tt_week_days },
    { .name = "RecurrenceStart", .type = AM_T_DATETIME },
    { .name = "RecurrenceEnd", .type = AM_T_DATETIME },
    { .name = "Month", .type = AM_T_INT32, .min = 1, .max = 12 },
    { .name = "DayNumber", .type = AM_T_INT32, .min = 1, .max = 31 },
};
static am_type_t tt_recurrence TT_UNUSED =
    TT_TYPE("RecurrenceInfo", NS_REC, tt_recurrence_fields);

/* OccurrenceAppointment (seed 000; namespace ...Calendar). */
static const am_field_t tt_occurrence_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .flags = REQ },
    { .name = "Start", .type = AM_T_DATETIME, .flags = REQ },
    { .name = "End", .type = AM_T_DATETIME, .flags = REQ },
    { .name = "Title", .type = AM_T_STRING, .flags = AM_F_REQUIRED },
    { .name = "Location", .type = AM_T_STRING },
    { .name = "ParentId", .type = AM_T_INT64, .flags = REQ },
    { .name = "OccurrenceIndex", .type = AM_T_INT32, .flags = REQ },
    { .name = "Type", .type = AM_T_ENUM, .flags = REQ, .en = &tt_occ_type },
    { .name = "Reason", .type = AM_T_STRING, .flags = RO },
    { .name = "Status", .type = AM_T_ENUM, .flags = RO, .en = &tt_status },
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO },
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO },
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO },
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO },
    { .name = "Remarks", .type = AM_T_STRING },
};
static am_type_t tt_occurrence TT_UNUSED =
    TT_TYPE("OccurrenceAppointment", NS_CAL, tt_occurrence_fields);

/* The appointment base class (level 0, namespace ...Calendar), in the
 * order of the JSON samples. */
#define TT_BASE_FIELDS \
    { .name = "Start", .type = AM_T_DATETIME, .flags = REQ, .ns = NS_CAL }, \
    { .name = "End", .type = AM_T_DATETIME, .flags = REQ, .ns = NS_CAL }, \
    { .name = "Title", .type = AM_T_STRING, .flags = AM_F_REQUIRED, \
      .ns = NS_CAL }, \
    { .name = "Reason", .type = AM_T_STRING, .flags = RO, .ns = NS_CAL }, \
    { .name = "Status", .type = AM_T_ENUM, .flags = RO, .ns = NS_CAL, \
      .en = &tt_status }, \
    { .name = "StatusChangedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL }, \
    { .name = "StatusChangedById", .type = AM_T_INT64, .flags = RO, \
      .ns = NS_CAL }, \
    { .name = "CreatedByName", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL }, \
    { .name = "CreatedById", .type = AM_T_INT64, .flags = RO, \
      .ns = NS_CAL }, \
    { .name = "Remarks", .type = AM_T_STRING, .ns = NS_CAL }, \
    { .name = "Id", .type = AM_T_INT64, .ns = NS_CAL }, \
    { .name = "Location", .type = AM_T_STRING, .ns = NS_CAL }, \
    { .name = "MovesToNextDay", .type = AM_T_BOOL, .flags = REQ, \
      .ns = NS_CAL }, \
    { .name = "IsAllDay", .type = AM_T_BOOL, .flags = REQ, .ns = NS_CAL }, \
    { .name = "FriendlyRecurrenceInfo", .type = AM_T_STRING, .flags = RO, \
      .ns = NS_CAL }, \
    { .name = "RecurrenceInfo", .type = AM_T_OBJECT, .ns = NS_CAL, \
      .sub = &tt_recurrence }, \
    { .name = "RecurrenceOccurrences", .type = AM_T_ARRAY, .ns = NS_CAL, \
      .elem = AM_T_OBJECT, .sub = &tt_occurrence, \
      .elem_name = "OccurrenceAppointment" }, \
    { .name = "Type", .type = AM_T_ENUM, .ns = NS_CAL, \
      .en = &tt_appt_type }, \
    { .name = "ShiftId", .type = AM_T_INT64, .ns = NS_CAL }

/* ContractAppointment (seed 002; namespace ...Calendar.Client): level 1
 * is the client appointment class, level 2 the contract one. */
static const am_field_t tt_contract_fields[] = {
    { .name = "ContractId", .type = AM_T_INT64, .flags = REQ, .level = 2 },
    { .name = "ProductId", .type = AM_T_INT64, .flags = REQ, .level = 2 },
    { .name = "ProductName", .type = AM_T_STRING, .level = 2 },
    { .name = "ContractLineId", .type = AM_T_INT64, .level = 2 },
    { .name = "CareTrajectId", .type = AM_T_INT64, .level = 2 },
    { .name = "DOTLocationId", .type = AM_T_INT64, .level = 2 },
    { .name = "WorkTypeId", .type = AM_T_INT64, .level = 2 },
    { .name = "ProjectId", .type = AM_T_STRING, .level = 2 },
    { .name = "ProjectName", .type = AM_T_STRING, .level = 2 },
    { .name = "ClientId", .type = AM_T_INT64, .flags = REQ, .level = 1 },
    { .name = "ClientName", .type = AM_T_STRING, .level = 1 },
    { .name = "EmployeeId", .type = AM_T_INT64, .level = 1 },
    { .name = "EmployeeName", .type = AM_T_STRING, .level = 1 },
    { .name = "EmploymentId", .type = AM_T_INT64, .level = 1 },
    { .name = "ContractOfServiceId", .type = AM_T_INT64, .level = 1 },
    TT_BASE_FIELDS
};
static am_type_t tt_contract TT_UNUSED =
    TT_TYPE("ContractAppointment", NS_CLI, tt_contract_fields);

/* ChangeOfTeamAppointment (seed 001; namespace ...Calendar.Team). */
static const am_field_t tt_team_fields[] = {
    { .name = "TeamCalendarId", .type = AM_T_INT64, .level = 1 },
    { .name = "TeamCalendar", .type = AM_T_STRING, .level = 1 },
    { .name = "ClientIds", .type = AM_T_ARRAY, .level = 1,
      .elem = AM_T_INT64, .elem_name = "long", .elem_ns = NS_ARR },
    { .name = "ShowInGroupCalendar", .type = AM_T_BOOL, .level = 1 },
    { .name = "Clients", .type = AM_T_ARRAY, .flags = RO, .level = 1,
      .elem = AM_T_OBJECT, .sub = &tt_named_entity,
      .elem_name = "NamedEntity" },
    TT_BASE_FIELDS,
    { .name = "ContractInfo", .type = AM_T_STRING, .ns = NS_CAL },
};
static am_type_t tt_team TT_UNUSED =
    TT_TYPE("ChangeOfTeamAppointment", NS_TEAM, tt_team_fields);

/* Probe: one field of every kind, limits, recursion. */
static am_type_t tt_probe;
static const am_field_t tt_probe_fields[] = {
    { .name = "Guid", .type = AM_T_GUID },
    { .name = "Amount", .type = AM_T_DECIMAL },
    { .name = "Short", .type = AM_T_STRING, .min = 2, .max = 5 },
    { .name = "Count", .type = AM_T_INT32, .min = 1, .max = 10 },
    { .name = "Small", .type = AM_T_INT32 },
    { .name = "Big", .type = AM_T_INT64 },
    { .name = "Flag", .type = AM_T_BOOL },
    { .name = "Days", .type = AM_T_FLAGS, .en = &tt_week_days },
    { .name = "Kind", .type = AM_T_ENUM, .en = &tt_interval },
    { .name = "When", .type = AM_T_DATETIME },
    { .name = "XWhen", .type = AM_T_XDATETIME },
    { .name = "Names", .type = AM_T_ARRAY, .elem = AM_T_STRING,
      .elem_name = "string", .elem_ns = NS_ARR },
    { .name = "Tags", .type = AM_T_ARRAY, .elem = AM_T_INT32, .max = 3,
      .elem_ns = NS_ARR },
    { .name = "NonNull", .type = AM_T_INT32, .flags = AM_F_NONNULL },
    { .name = "Hidden", .type = AM_T_INT32, .flags = RO },
    { .name = "Child", .type = AM_T_OBJECT, .sub = &tt_probe },
    { .name = "Children", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &tt_probe, .elem_name = "Probe" },
    { .name = "Text", .type = AM_T_STRING },
};
static am_type_t tt_probe TT_UNUSED =
    TT_TYPE("Probe", "urn:probe", tt_probe_fields);

/* ----------------------------------------------------------- helpers */

static TT_UNUSED void tt_init_types(apr_pool_t *p)
{
    am_type_init(p, &tt_contract);
    am_type_init(p, &tt_team);
    am_type_init(p, &tt_occurrence);
    am_type_init(p, &tt_probe);
}

/* The contents of a file (tests run in tests/: seeds are ../t/data/). */
static TT_UNUSED char *tt_read(apr_pool_t *p, const char *name,
                               apr_size_t *len)
{
    char path[512];
    FILE *f;
    long n;
    char *buf;

    snprintf(path, sizeof(path), "../t/data/%s", name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = apr_palloc(p, (apr_size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        abort();
    }
    buf[n] = '\0';
    fclose(f);
    *len = (apr_size_t)n;
    return buf;
}

/* The message of the field error with key, or NULL. */
static TT_UNUSED const char *tt_field_msg(const am_err_t *e, const char *key)
{
    int i;

    if (!e || !e->fields) {
        return NULL;
    }
    for (i = 0; i < e->fields->nelts; i++) {
        const am_fielderr_t *fe = &APR_ARRAY_IDX(e->fields, i,
                                                 am_fielderr_t);

        if (!strcmp(fe->key, key)) {
            return fe->msg;
        }
    }
    return NULL;
}

/* Prints an error (for failing tests). */
static TT_UNUSED void tt_print_err(const am_err_t *e)
{
    int i;

    if (!e) {
        return;
    }
    fprintf(stderr, "  error %d: %s\n", e->status, e->message);
    for (i = 0; e->fields && i < e->fields->nelts; i++) {
        const am_fielderr_t *fe = &APR_ARRAY_IDX(e->fields, i,
                                                 am_fielderr_t);

        fprintf(stderr, "    %s: %s\n", fe->key, fe->msg);
    }
}

/* The value of a member by wire name. */
static TT_UNUSED am_value_t *tt_get(am_obj_t *o, const char *name)
{
    return am_obj_get(o, name);
}

/* The instant of an ISO text (test helper; UTC for local times). */
static TT_UNUSED am_time_t tt_time(const char *iso)
{
    am_time_t t = 0;

    if (am_time_parse_iso(iso, am_tz_get("UTC"), &t) != 0) {
        fprintf(stderr, "bad test time %s\n", iso);
        abort();
    }
    return t;
}

#endif /* TEST_TYPES_H */

/* Licensed under the Apache License, Version 2.0.
 *
 * model.h: the one canonical appointment, and its mapping to and from the
 * dialects' wire objects (fields.h) through the field tables' members.
 *
 * Core fields are columns of the store and shared by every dialect.
 * Relations (clients of an appointment, its patient or provider, Xelion
 * calendars and participants) are links: (rel, ref) pairs.  Fields that
 * only one dialect knows (AM_M_EXT) travel as a JSON object text in `ext`,
 * keyed by wire name, so that adding such a field is one table row.
 */
#ifndef AM_MODEL_H
#define AM_MODEL_H

#include "am.h"
#include "fields.h"

/* What kind of appointment: which calendar it belongs to. */
typedef enum am_kind {
    AM_KIND_ANY = 0,
    AM_KIND_CONTRACT = 1,    /* PlanCare2 client (contract) appointment */
    AM_KIND_TEAM = 2,        /* PlanCare2 team appointment */
    AM_KIND_EMPLOYEE = 3,    /* PlanCare2 employee appointment */
    AM_KIND_PATIENT = 4,     /* patient dialect appointment */
    AM_KIND_XELION = 5,      /* Xelion appointment */
    /* The other PlanCare2 client appointments (ClientAppointments/...),
     * each in the client's calendar as its own type. */
    AM_KIND_ACTION = 6,              /* ActionAppointment */
    AM_KIND_ARRANGEMENT_ACT = 7,     /* ArrangementProductActAppointment */
    AM_KIND_AGREEMENT = 8,           /* AgreementAppointment */
    AM_KIND_SUBSCRIPTION = 9,        /* SubscriptionAppointment */
    AM_KIND_INTERVENTION = 10,       /* InterventionAppointment */
    AM_KIND_PCD_CONTRACT = 11,       /* PCDContractAppointment */
    AM_KIND_COUNT                    /* the number of kinds (not one) */
} am_kind_e;

/* Canonical members a field can map to (am_field_t.member). */
enum {
    AM_M_NONE = 0,           /* not stored: computed or ignored */
    AM_M_EXT,                /* dialect-only, kept in ext by wire name */
    AM_M_ID,
    AM_M_START,
    AM_M_END,
    AM_M_TITLE,
    AM_M_LOCATION,
    AM_M_REMARKS,
    AM_M_REASON,
    AM_M_ALL_DAY,
    AM_M_MOVES_TO_NEXT_DAY,
    AM_M_STATUS,
    AM_M_APPT_TYPE,
    AM_M_CREATED_BY_ID,
    AM_M_CREATED_BY_NAME,
    AM_M_STATUS_BY_ID,
    AM_M_STATUS_BY_NAME,
    AM_M_LINK                /* int64 or string (or array of them):
                              * links with the field's rel */
};

/* Canonical status (PlanCare2's PlannedItemStatus). */
#define AM_STATUS_CREATED    0
#define AM_STATUS_COMPLETED  1
#define AM_STATUS_CANCELLED  2

/* A stored exception of a recurring series: occurrence `index` (0-based
 * position in the series) is deleted, or changed to the values here. */
typedef struct am_exception {
    apr_int64_t id;          /* its own id (an occurrence's Id), set by the
                              * store */
    int index;
    int deleted;
    am_time_t start;         /* changed occurrences: the new times */
    am_time_t end;
    const char *title;
    const char *location;
    const char *remarks;
    const char *ext;         /* JSON text of dialect-only fields */
} am_exception_t;

typedef struct am_link {
    const char *rel;         /* "client", "patient", "provider", ... */
    const char *ref;         /* the related id, as text */
} am_link_t;

typedef struct am_appt {
    apr_int64_t id;          /* 0 until stored */
    const char *uid;         /* a GUID, lower-case; made by the store on
                              * create when NULL (the patient dialect's id,
                              * the iCalendar UID) */
    apr_int64_t version;     /* 1 on create, +1 on every change */
    int kind;                /* am_kind_e */
    am_time_t start;
    am_time_t end;
    const char *title;
    const char *location;    /* NULL = none */
    const char *remarks;
    const char *reason;
    int all_day;
    int moves_to_next_day;
    int status;              /* PlannedItemStatus: 0 = Created */
    int appt_type;           /* AppointmentType: 0 = Normal */
    apr_int64_t created_by_id;       /* 0 = none */
    const char *created_by_name;
    apr_int64_t status_by_id;
    const char *status_by_name;
    am_time_t created_at;    /* server clock, set by the store */
    am_time_t updated_at;
    const char *rule;        /* recurrence rule text, NULL = single */
    am_time_t last_end;      /* end of the last occurrence: end for a
                              * single appointment, AM_TIME_MAX for a
                              * series without end; 0 = same as end */
    const char *ext;         /* JSON object text of AM_M_EXT fields */
    apr_array_header_t *links;   /* of am_link_t */
    apr_array_header_t *exceptions;  /* of am_exception_t, by index;
                                      * loaded for series only */

    /* A write option, not stored: when set to a relation name, create
     * and update refuse (409) an appointment that overlaps another one
     * linked to the same ref of that relation whose status is not
     * cancelled (double booking), atomically. */
    const char *exclusive;

    /* A write option, not stored with the appointment: directory entries
     * (am_name_t) that the same transaction writes (see store.h). */
    apr_array_header_t *names;

    /* Not stored: the ext members of the write that made ext, as that
     * write's type decoded them (an object of the type's ext sub-type),
     * so that its answer need not decode ext again.  Valid while ext is
     * ext_memo_text. */
    const am_type_t *ext_memo_type;
    am_obj_t *ext_memo;
    const char *ext_memo_text;
} am_appt_t;

/* A directory entry: the name of a client, employee, product, ... */
typedef struct am_name {
    const char *kind;
    const char *id;
    const char *name;
} am_name_t;

am_appt_t *am_appt_make(apr_pool_t *p, int kind);

void am_appt_add_link(apr_pool_t *p, am_appt_t *a, const char *rel,
                      const char *ref);
/* The first link with rel, or NULL. */
const char *am_appt_link(const am_appt_t *a, const char *rel);

/* Once per type at start-up (am_dialects_init): derives what the
 * mapping needs from the type's table. */
void am_model_type_init(apr_pool_t *p, am_type_t *t);

/* Copies the writable fields of o (those set, not AM_F_READONLY) into a:
 * core members, links (replacing a's links of each rel the type maps) and
 * ext (merged into a's existing ext: members other types wrote are kept).
 * The Id field is not copied. */
am_err_t *am_model_from_obj(apr_pool_t *p, const am_obj_t *o, am_appt_t *a,
                            const am_tz_t *tz);

/* The stored ext text old (a JSON object of any dialect's members, may
 * be NULL) with the members xo sets (xo: an object of a type made of ext
 * fields); with AM_MODEL_REPLACE the members of xo's type it leaves unset
 * are removed.  Other members keep their exact text (digits too). */
const char *am_ext_merge(apr_pool_t *p, const char *old,
                         const am_obj_t *xo, const am_tz_t *tz,
                         unsigned flags);

/* The same as am_model_from_obj; with AM_MODEL_REPLACE the ext members
 * and the links of the (writable) link fields of o's type that o leaves unset are removed (a
 * change that carries the whole object); links of relations o's type does
 * not map are kept. */
#define AM_MODEL_REPLACE 0x01
am_err_t *am_model_from_obj_ex(apr_pool_t *p, const am_obj_t *o,
                               am_appt_t *a, const am_tz_t *tz,
                               unsigned flags);

/* Fills a new object of type t from a: every field whose member is known;
 * ext fields from a->ext. */
am_obj_t *am_model_to_obj(apr_pool_t *p, const am_type_t *t,
                          const am_appt_t *a, const am_tz_t *tz);

#endif /* AM_MODEL_H */

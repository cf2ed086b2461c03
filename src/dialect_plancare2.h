/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_plancare2.h: the PlanCare2 types, for the other core files and
 * the unit tests.
 */
#ifndef AM_DIALECT_PLANCARE2_H
#define AM_DIALECT_PLANCARE2_H

#include "route.h"

extern const am_dialect_t am_dialect_plancare2;

extern am_type_t am_pc2_recurrence_info;
extern am_type_t am_pc2_identity;
extern am_type_t am_pc2_occurrence;
extern am_type_t am_pc2_contract;
extern am_type_t am_pc2_change_contract;
extern am_type_t am_pc2_named_entity;
extern am_type_t am_pc2_team;
extern am_type_t am_pc2_change_team;
extern am_type_t am_pc2_employee;
extern am_type_t am_pc2_change_employee;
extern am_type_t am_pc2_flat;

extern const am_enum_t am_pc2_planned_item_status;
extern const am_enum_t am_pc2_appointment_type;
extern const am_enum_t am_pc2_occurrence_type;
extern const am_enum_t am_pc2_range;
extern const am_enum_t am_pc2_interval;
extern const am_enum_t am_pc2_week_days;
extern const am_enum_t am_pc2_week_of_month;
extern const am_enum_t am_pc2_identity_type;

#endif /* AM_DIALECT_PLANCARE2_H */

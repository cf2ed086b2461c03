/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_patient.h: the DrCare patient appointment API's types, for the
 * other core files and the unit tests.
 */
#ifndef AM_DIALECT_PATIENT_H
#define AM_DIALECT_PATIENT_H

#include "route.h"

extern const am_dialect_t am_dialect_patient;

/* AppointmentModel (seed 003), also the answer (with read-only members
 * the server fills in: Id, AppointmentEndOn, Status, CancelReason,
 * CreatedBy). */
extern am_type_t am_patient_appointment;
/* An item of AppointmentModel.Reasons. */
extern am_type_t am_patient_reason;
/* Bodies of PatientAppointmentCancel and PatientAppointmentReschedule. */
extern am_type_t am_patient_cancel;
extern am_type_t am_patient_reschedule;

extern const am_enum_t am_patient_status;

/* AppointmentsDefaultDuration when the configuration does not say. */
#define AM_DEFAULT_DURATION_MIN  30

#endif /* AM_DIALECT_PATIENT_H */

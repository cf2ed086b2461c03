/* Licensed under the Apache License, Version 2.0.
 *
 * codec_ical.h: appointments as iCalendar (text/calendar).
 */
#ifndef AM_CODEC_ICAL_H
#define AM_CODEC_ICAL_H

#include "am.h"
#include "model.h"

/* A VCALENDAR with the appointments (array of am_appt_t *, exceptions
 * loaded for series), date-times of series in tz. */
char *am_ical_encode(apr_pool_t *p, const apr_array_header_t *appts,
                     const am_tz_t *tz, apr_size_t *len);

/* The same, with the calendar's name (X-WR-CALNAME) when name is not
 * NULL. */
char *am_ical_encode_named(apr_pool_t *p, const apr_array_header_t *appts,
                           const am_tz_t *tz, const char *name,
                           apr_size_t *len);

#endif /* AM_CODEC_ICAL_H */

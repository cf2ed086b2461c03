/* Licensed under the Apache License, Version 2.0.
 *
 * page.h: a range list with expansion and paging, the generic operation
 * behind a calendar listing: the appointments a store query finds in a
 * range, recurring series expanded into their occurrences (exceptions
 * merged), ordered by (start, id, occurrence index) and cut into pages
 * that a cursor continues.
 */
#ifndef AM_PAGE_H
#define AM_PAGE_H

#include "store.h"
#include "recur.h"

/* One entry of a listing: an appointment, or an occurrence of a series
 * (rule set; exc: its changed occurrence, if any). */
typedef struct am_entry {
    am_time_t start;
    am_time_t end;
    apr_int64_t id;
    int index;
    const am_appt_t *a;
    const am_rule_t *rule;
    const am_exception_t *exc;
} am_entry_t;

/* Where a page starts: after the entry with this key. */
typedef struct am_cursor {
    am_time_t start;
    apr_int64_t id;
    int index;
} am_cursor_t;

/* A cursor as this module writes it ("<start ticks>_<id>_<index>",
 * opaque to clients: they follow a "next" link): 0 when s is NULL or
 * empty, 1 when read into *c, -1 when it is not one of ours. */
int am_cursor_parse(apr_pool_t *p, const char *s, am_cursor_t *c);

typedef struct am_page {
    apr_array_header_t *entries;    /* am_entry_t, at most limit */
    apr_array_header_t *appts;      /* the page's appointments (am_appt_t
                                     * *), each once: a series with its
                                     * rule (for text/calendar) */
    const char *next;               /* the next page's cursor, or NULL */
} am_page_t;

/* The page of q's appointments in [q->from, q->until) after cursor (NULL
 * = the first page), at most limit entries.  Each series is expanded to
 * at most max occurrences; one cut short ends the page before its last
 * occurrence expanded, and the next page continues from there. */
am_err_t *am_page_list(apr_pool_t *p, am_store_t *s, const am_query_t *q,
                       const am_tz_t *tz, const am_cursor_t *cursor,
                       int limit, int max, am_page_t *out);

#endif /* AM_PAGE_H */

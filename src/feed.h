/* Licensed under the Apache License, Version 2.0.
 *
 * feed.h: calendar feeds (text/calendar for calendar programs that
 * subscribe to a URL), one generic handler for every dialect's feed
 * routes.
 *
 * A feed route is a row of the dialect's route table with flags
 * AM_ROUTE_FEED, handler am_feed_get and an am_feed_t as its data: which
 * path parameter names the calendar (or none: the user's own employee
 * calendar) and which appointments (kind, relation) it shows.  It needs
 * the grant of that calendar's read routes (the row's function and
 * permission).
 */
#ifndef AM_FEED_H
#define AM_FEED_H

#include "route.h"

/* One set of appointments a feed shows: of kind (AM_KIND_ANY: all)
 * linked (rel, the calendar's ref); with kind AM_KIND_ANY, kinds (bit
 * 1 << kind) narrows it to those kinds (0: all), so that one query
 * serves a calendar of several kinds. */
typedef struct am_feed_query {
    int kind;
    const char *rel;
    unsigned kinds;
} am_feed_query_t;

#define AM_FEED_KIND(k) (1u << (k))

#define AM_FEED_MAX_QUERIES 2

typedef struct am_feed {
    const char *param;          /* the path parameter naming the calendar;
                                 * NULL: the user's employee calendar */
    const char *dir_kind;       /* the directory kind of such calendars
                                 * (their names), or NULL */
    const char *label;          /* "Client": the calendar's name when the
                                 * directory has none ("Client 5151") */
    int nqueries;
    am_feed_query_t queries[AM_FEED_MAX_QUERIES];
} am_feed_t;

/* Default window of a feed, in days before and after today. */
#define AM_FEED_DAYS_BACK   30
#define AM_FEED_DAYS_AHEAD  365

/* GET of a feed: the calendar's appointments in the window (from, until:
 * optional dates YYYY-MM-DD of the zone, until inclusive; by default
 * today - feed_days_back to today + feed_days_ahead), series whole (as
 * RRULE with their exceptions) when an occurrence falls in the window;
 * at most max_occurrences occurrences in the window (400 beyond).  Sets
 * rs->appts, cal_name and last_modified.  404 for a calendar that no
 * appointment names and the directory does not know; 403 for the
 * employee feed of a user who is no employee. */
am_err_t *am_feed_get(am_req_t *rq, am_resp_t *rs);

/* POST on a feed: a secret key for it (a feed URL with ?key=, for
 * calendar programs that cannot send credentials), issued to the
 * authenticated user: stored hashed as a session of kind AM_SESSION_FEED
 * (store.h), scope the feed's canonical path, realm the mount.  The key
 * authenticates GETs of that feed only, as that user, whose grants are
 * checked on every request (glue/feedkey.c).  201 with {url, key}; 404
 * for an unknown calendar, 403 for an anonymous user. */
am_err_t *am_feed_key_issue(am_req_t *rq, am_resp_t *rs);

/* DELETE on a feed: revokes the user's keys of that feed (204; 404 when
 * there were none). */
am_err_t *am_feed_key_revoke(am_req_t *rq, am_resp_t *rs);

/* The three route rows of one feed, for a dialect's route table: GET
 * (the feed), POST (a secret key) and DELETE (revoke the keys), at
 * pattern, all needing function:permission (the calendar's read grant),
 * data the feed's am_feed_t. */
#define AM_FEED_ROUTES(pattern, function, permission, data)             \
    { "GET", pattern, am_feed_get, function, permission, NULL, data,     \
      AM_ROUTE_FEED },                                                   \
    { "POST", pattern, am_feed_key_issue, function, permission, NULL,    \
      data },                                                            \
    { "DELETE", pattern, am_feed_key_revoke, function, permission, NULL, \
      data }

/* The answer of am_feed_key_issue; initialised with the dialects'
 * types. */
extern am_type_t am_feed_key_type;

/* The window of a feed request (for tests): [*from, *until). */
am_err_t *am_feed_window(am_req_t *rq, am_time_t now, am_time_t *from,
                         am_time_t *until);

#endif /* AM_FEED_H */

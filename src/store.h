/* Licensed under the Apache License, Version 2.0.
 *
 * store.h: the one storage interface.  One implementation (store_dbd.c)
 * over mod_dbd's connections serves SQLite and PostgreSQL; the two differ
 * only in the few statements that must (schema DDL) and in how a
 * statement runs (store_dbd.c, "running statements").
 *
 * Every operation is one transaction: all of it or nothing.  Errors come
 * back as am_err_t: 404 for a missing appointment, 412 for a version
 * mismatch, 503 (Retry-After) when the database stays busy, 500 for
 * anything else (logged by the caller from the message).
 */
#ifndef AM_STORE_H
#define AM_STORE_H

#include <apr_hash.h>
#include <apr_dbd.h>
#include "am.h"
#include "model.h"
#include "cond.h"

/* The schema version this build creates and migrates to. */
#define AM_SCHEMA_VERSION 3

/* What an access check is asked about: reading an appointment, or
 * changing it (update, exceptions, delete). */
#define AM_ACCESS_READ   0
#define AM_ACCESS_CHANGE 1

/* Who may reach a stored appointment (the glue's answer for the request's
 * user; see am_store_t.access): NULL when op on a is allowed, else the
 * error to answer with (404 when a is not readable, so that it looks
 * missing; 403 when it is readable but not changeable; 5xx when the
 * check itself failed). */
typedef am_err_t *(*am_access_fn)(void *ctx, const am_appt_t *a,
                              int op);

typedef struct am_store {
    apr_pool_t *pool;                 /* the request's */
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared;             /* label -> the statement (store_dbd.c) */
    apr_pool_t *conn_pool;            /* the connection's, for its answer
                                       * cache; NULL = no cache */
    apr_array_header_t *reads;        /* with a cache: am_cache_read_t of
                                       * the appointments read */
    /* The access check, or NULL (none: unit tests, tools).  Every
     * operation on stored appointments asks it, whichever route called:
     * am_store_get and am_store_get_uid (read) answer its error; the
     * changes (update, exceptions, delete) ask read and then change
     * before their transaction; am_store_list leaves out what is not
     * readable. */
    am_access_fn access;
    void *access_ctx;
    unsigned access_own;        /* kinds (bit 1 << kind) the check always
                                 * allows (the route's own API's): a
                                 * change of one named by its kind needs
                                 * no extra read */
    /* SQLite: this process's queue of write transactions (one per
     * process, am_gate_create); NULL: each write is its own transaction
     * and writers meet at SQLite's lock (its busy handler). */
    struct am_gate *gate;
} am_store_t;

/* The write gate of a process (SQLite): its writers queue here, and the
 * one at the head commits the transactions of all those waiting
 * together, a failing one rolled back alone (store_dbd.c, "group
 * commit").  NULL when the mutex cannot be made. */
typedef struct am_gate am_gate_t;
am_gate_t *am_gate_create(apr_pool_t *p);

/* The most writes one transaction of the gate has held so far. */
int am_gate_max_batch(am_gate_t *g);

/* On each new database connection, before anything else uses it: applies
 * the driver's pragmas (SQLite: WAL, synchronous NORMAL, foreign keys),
 * creates or migrates the schema in one transaction (serialised between
 * processes: BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL),
 * then prepares every statement into prepared.  Returns NULL or an error
 * whose message says what failed. */
am_err_t *am_store_connect(apr_pool_t *p, const apr_dbd_driver_t *driver,
                           apr_dbd_t *handle, apr_hash_t *prepared);

/* Whether am_store_connect has prepared the statements into prepared
 * (a connection whose set-up failed, or has not run, is not ready). */
int am_store_ready(apr_hash_t *prepared);

/* Links come back in one order, whatever the database's collation: by
 * rel, then ref (decimal numbers by value, before other refs by their
 * bytes), each pair once; create and update leave a->links so too. */

/* Reads one appointment; 404 when there is none (or it is of another
 * kind than kind, unless kind is AM_KIND_ANY). */
am_err_t *am_store_get(am_store_t *s, apr_int64_t id, int kind,
                       am_appt_t **out);

/* The same by uid (the GUID every appointment has). */
am_err_t *am_store_get_uid(am_store_t *s, const char *uid, int kind,
                           am_appt_t **out);

/* Stores a new appointment (and a->names): sets a->id, a->uid (unless set), a->version
 * (1), created_at and updated_at.  With a->exclusive, 409 when it would
 * double-book (see model.h). */
am_err_t *am_store_create(am_store_t *s, am_appt_t *a);

/* Replaces the stored appointment a->id with a (core fields, rule, ext and
 * links; not its exceptions: see am_store_put_exception).  With
 * if_match (may be NULL): only when the stored version meets it (412
 * otherwise, also when a->id does not exist).  Without: 404 when a->id
 * does not exist or is of another kind.  Sets a->version and
 * a->updated_at. */
am_err_t *am_store_update(am_store_t *s, am_appt_t *a,
                          const am_ifmatch_t *if_match);

/* am_store_update that also removes the series' exceptions, in the same
 * transaction: for a change of the recurrence pattern, after which the
 * stored occurrence indexes no longer name the same occurrences. */
am_err_t *am_store_update_clear(am_store_t *s, am_appt_t *a,
                                const am_ifmatch_t *if_match);

/* A change of appointment id (of kind, unless AM_KIND_ANY) with retry:
 * reads it, checks if_match (412), lets fn change a copy (fn may fail:
 * nothing is stored) and stores that copy over the version read, with
 * its exceptions removed when fn sets *clear (am_store_update_clear).
 * When another change came in between (the store answers 412), it
 * starts again from the new version, a few times.  *out (may be NULL)
 * is the appointment as stored. */
typedef am_err_t *(*am_change_fn)(void *ctx, const am_appt_t *old,
                                  am_appt_t *a, int *clear);
am_err_t *am_store_change(am_store_t *s, apr_int64_t id, int kind,
                          const am_ifmatch_t *if_match, am_change_fn fn,
                          void *ctx, am_appt_t **out);

/* Stores exception x of series id (replacing one with the same index,
 * which keeps its id; sets x->id) and/or, with clear, first removes all
 * its exceptions; the series' version goes up by one (*version, may be
 * NULL).  404 / 412 as above. */
am_err_t *am_store_put_exception(am_store_t *s, apr_int64_t id, int kind,
                                 am_exception_t *x, int clear,
                                 const am_ifmatch_t *if_match,
                                 apr_int64_t *version);

/* am_store_put_exception (without clear) and am_store_create of a, in
 * one transaction: an occurrence handed over as an appointment of its
 * own (the series' exception, the new appointment, or neither). */
am_err_t *am_store_put_exception_create(am_store_t *s, apr_int64_t id,
                                        int kind, am_exception_t *x,
                                        const am_ifmatch_t *if_match,
                                        apr_int64_t *version, am_appt_t *a);

/* The series and index of the exception with id exc_id; 404 when there
 * is none. */
am_err_t *am_store_find_exception(am_store_t *s, apr_int64_t exc_id,
                                  apr_int64_t *appt_id, int *index);

/* Deletes appointment id (of kind, unless AM_KIND_ANY); 404, 412 as
 * above. */
am_err_t *am_store_delete(am_store_t *s, apr_int64_t id, int kind,
                          const am_ifmatch_t *if_match);

/* The directory of names (clients, employees, products, projects, team
 * calendars): kind and id name an entry.  Admins may fill the
 * am_directory table themselves; create and update write the entries an
 * appointment carries in a->names (model.h), in their transaction.
 * *name is NULL when the directory has no such entry. */
am_err_t *am_store_dir_get(am_store_t *s, const char *kind, const char *id,
                           const char **name);

typedef struct am_query {
    int kind;                /* AM_KIND_ANY or one kind */
    am_time_t from;          /* appointments (or series) overlapping */
    am_time_t until;         /*   [from, until) */
    const char *rel;         /* NULL, or only those linked (rel, ref) */
    const char *const *refs; /*   to one of these refs */
    int nrefs;
    int limit;               /* 0 = no limit */
} am_query_t;

/* Appointments matching q, ordered by start then id, without
 * duplicates; series with their exceptions.  Recurring series are included when their span
 * [start, last_end) overlaps the range, or a changed occurrence of theirs
 * does (one moved out of the span); expanding them is the caller's. */
am_err_t *am_store_list(am_store_t *s, const am_query_t *q,
                        apr_array_header_t **out /* am_appt_t * */);

/* The answer cache of a connection (conn_pool): rendered answers (a GET
 * of one appointment, in one format, for one request's determinants:
 * the caller's key) kept while the database is unchanged.  Unchanged
 * means: no write through this connection (every write transaction
 * empties the cache) and the database's change token the same as when
 * the answers were read; the token is read first, before anything the
 * answers are made of:
 *   SQLite      PRAGMA data_version (changes with every commit of any
 *               other connection, in any process or server on the file)
 *   PostgreSQL  pg_current_wal_insert_lsn() (moves with every commit in the
 *               cluster)
 * so a write through another server is seen by the next request here.
 * am_store_cache_check reads the token once per request (the first call
 * with a request's pool; later ones answer the same) and empties the
 * cache when it moved; it returns 0 when there is no cache (no
 * conn_pool, or the token cannot be read), then get finds nothing and
 * put keeps nothing. */
/* An appointment an answer was made of, as the access check needs it
 * (am_access_fn): am_store_get records each one it returns in
 * am_store_t.reads while the store has an answer cache. */
typedef struct am_cache_read {
    apr_int64_t id;
    const char *uid;
    int kind;
    const char *owner;                /* its "employee" link, or NULL */
} am_cache_read_t;

typedef struct am_cached {
    const char *body;
    apr_size_t len;
    apr_int64_t version;              /* for the ETag */
    int nreads;                       /* what it was made of */
    const am_cache_read_t *reads;
} am_cached_t;

int am_store_cache_check(am_store_t *s);
const am_cached_t *am_store_cache_get(am_store_t *s, const char *key);
/* The access check of this request (s->access) on what the answer c was
 * made of, as am_store_get would ask it: NULL, or its error. */
am_err_t *am_store_cache_allow(am_store_t *s, const am_cached_t *c);
/* Keeps c (body, len, version) under key, with the appointments this
 * request read (s->reads). */
void am_store_cache_put(am_store_t *s, const char *key,
                        const am_cached_t *c);

/* ------------------------------------------------------------ sessions
 *
 * Login sessions and other secrets that stand for a user (table
 * am_sessions, schema version 3): a bearer access token (with its
 * refresh token), a Xelion session (with its renewal token), a secret
 * feed key.  Only hashes of the secrets are stored (token.h:
 * am_token_hash); whoever reads the database learns no token.
 *
 * Times are am_time_t ticks (100 ns since the epoch, UTC) given by the
 * caller, so that the glue decides what "now" is.  A session is alive at
 * now when
 *   - expires_at is 0 or now < expires_at (the token itself), and
 *   - idle is 0 or now < last_used + idle;
 * its renewal token is good while renew_expires_at is 0 or now <
 * renew_expires_at, the idle limit holding as well.  The store answers
 * rows as they are; am_session_alive() and am_session_renewable() decide.
 */

/* Kinds of session (am_session_t.kind).  Add new kinds at the end. */
#define AM_SESSION_ANY     0    /* in filters: every kind */
#define AM_SESSION_BEARER  1    /* OAuth 2.0 bearer token (PlanCare2 /token,
                                 * the patient API's token route); the
                                 * renewal token is its refresh token */
#define AM_SESSION_XELION  2    /* Xelion session token (me/login), with
                                 * its renewal token (me/renew) */
#define AM_SESSION_FEED    3    /* a secret calendar feed key: scope names
                                 * the feed */

typedef struct am_session {
    apr_int64_t id;             /* set by am_store_session_create */
    int kind;                   /* AM_SESSION_* */
    const char *token_hash;     /* am_token_hash of the token (required) */
    const char *renew_hash;     /* of the renewal token, or NULL */
    const char *user;           /* the user it acts as (r->user) */
    apr_int64_t employment;     /* the employment (employee id) it carries;
                                 * 0 = none */
    const char *realm;          /* where it is good: the mount it was
                                 * issued on (or AppointmentsTokenRealm) */
    const char *dialect;        /* the dialect that issued it ("xelion") */
    const char *scope;          /* what it is limited to, or NULL: a feed
                                 * key's feed (path below the mount), a
                                 * Xelion session's user space */
    const char *info;           /* free text (JSON) for the issuer: client
                                 * id, app key; NULL */
    am_time_t created_at;
    am_time_t last_used;
    am_time_t expires_at;       /* 0 = never */
    am_time_t renew_expires_at; /* 0 = never (or no renewal token) */
    am_time_t idle;             /* idle limit in ticks; 0 = none */
} am_session_t;

/* Whether x is alive at now (see above), and whether its renewal token
 * (it must have one) may still renew it. */
int am_session_alive(const am_session_t *x, am_time_t now);
int am_session_renewable(const am_session_t *x, am_time_t now);

/* Stores x (every member but id; created_at and last_used 0 are set to
 * now), sets x->id.  A token hash that is already stored is a 500 (two
 * random tokens never collide). */
am_err_t *am_store_session_create(am_store_t *s, am_session_t *x,
                                  am_time_t now);

/* The session whose token hash is token_hash (renewal: whose renewal
 * token hash is), alive or not; *out NULL when there is none.  The
 * stored hash is compared with the one asked for in constant time
 * (am_token_equal) before it is answered. */
am_err_t *am_store_session_get(am_store_t *s, const char *token_hash,
                               am_session_t **out);
am_err_t *am_store_session_get_renew(am_store_t *s, const char *renew_hash,
                                     am_session_t **out);

/* The same for the check on every request (AuthType
 * appointments-token): only the members that check needs are read (id,
 * kind, token_hash, user, employment, realm, last_used, expires_at,
 * idle); the others are NULL or 0.  Each column read costs (the SQLite
 * driver copies every one).  A session found is kept in the
 * connection's answer cache, on the same terms as the answers (it is
 * gone once the database changed; the session writes of this store
 * empty the cache, as every write transaction does), so that the next
 * request with the token reads no row. */
am_err_t *am_store_session_check(am_store_t *s, const char *token_hash,
                                 am_session_t **out);

/* Records a use of session id at now.  Only writes when the stored
 * last_used is older than now - granularity (0: always), so that a
 * busy session costs a write per granularity, not per request. */
am_err_t *am_store_session_touch(am_store_t *s, apr_int64_t id,
                                 am_time_t now, am_time_t granularity);

/* Replaces both tokens of session id, at once and only when its renewal
 * token hash is still old_renew_hash (a renewal token renews once: of
 * two concurrent renewals one wins).  x gives the new token_hash,
 * renew_hash, expires_at, renew_expires_at; last_used becomes now.
 * *done: 1 when replaced, 0 when the session is gone or was renewed
 * meanwhile. */
am_err_t *am_store_session_renew(am_store_t *s, apr_int64_t id,
                                 const char *old_renew_hash,
                                 const am_session_t *x, am_time_t now,
                                 int *done);

/* Ends session id (logout, revocation).  *done (may be NULL): 1 when it
 * existed. */
am_err_t *am_store_session_delete(am_store_t *s, apr_int64_t id, int *done);

/* Which sessions a list or a bulk delete is about: those of user, and of
 * kind (AM_SESSION_ANY: all), realm and scope where these are not NULL. */
typedef struct am_session_filter {
    const char *user;           /* required */
    int kind;
    const char *realm;
    const char *scope;
} am_session_filter_t;

/* The sessions f selects (am_session_t *), oldest first. */
am_err_t *am_store_session_list(am_store_t *s, const am_session_filter_t *f,
                                apr_array_header_t **out);

/* Ends every session f selects (a feed key revoked, a second login in the
 * same Xelion user space); *n (may be NULL) their number. */
am_err_t *am_store_session_delete_where(am_store_t *s,
                                        const am_session_filter_t *f,
                                        int *n);

/* Removes every session that is no longer alive nor renewable at now;
 * *n (may be NULL) their number. */
am_err_t *am_store_session_purge(am_store_t *s, am_time_t now, int *n);

#endif /* AM_STORE_H */

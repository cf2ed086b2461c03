/* Licensed under the Apache License, Version 2.0.
 *
 * store_dbd.c: the store over mod_dbd's connections (SQLite and
 * PostgreSQL).
 *
 * Statements are prepared once per connection (am_store_connect, called
 * from mod_dbd's post_connect hook) and run with text parameters: the
 * %lld / %d / %s placeholders give PostgreSQL the parameter types (the
 * statements have no other '%'), and SQLite's statements run on the
 * connection's own handle ("running statements").  Results are always
 * read to the end.  SQLite's writes of a process are committed together
 * ("group commit").
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <apr_hash.h>
#include <apr_dbd.h>
#include <apr_time.h>
#include <apr_uuid.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>

#include "store.h"
#include "token.h"

/* Columns of an appointment, in the order read_appt() expects, followed
 * by the link columns rel, ref. */
#define AM_COLS \
    "a.id, a.uid, a.version, a.kind, a.start_ticks, a.end_ticks, a.last_end_ticks, " \
    "a.title, a.location, a.remarks, a.reason, a.all_day, a.moves, " \
    "a.status, a.appt_type, a.created_by_id, a.created_by_name, " \
    "a.status_by_id, a.status_by_name, a.created_at, a.updated_at, " \
    "a.rule, a.ext, l.rel, l.ref"
enum { C_ID, C_UID, C_VERSION, C_KIND, C_START, C_END, C_LAST_END, C_TITLE,
       C_LOCATION, C_REMARKS, C_REASON, C_ALL_DAY, C_MOVES, C_STATUS,
       C_TYPE, C_CBY_ID, C_CBY_NAME, C_SBY_ID, C_SBY_NAME, C_CREATED,
       C_UPDATED, C_RULE, C_EXT, C_REL, C_REF };

/* The writable columns, shared by INSERT and UPDATE. */
#define AM_SET_ARGS \
    "%d, %lld, %lld, %lld, %s, %s, %s, %s, %d, %d, %d, %d, %lld, %s, " \
    "%lld, %s, %s, %s"

/* An appointment (or series) is in a range [from, until) when its span
 * [start, last_end) overlaps it, or when a changed occurrence of the
 * series does: an occurrence moved out of the span of its series is still
 * one of its occurrences (a zero-length one counts when from <= its start
 * < until, as in recur.h).  Parameters: until, from, until, from, from. */
#define AM_IN_RANGE \
    "(a.start_ticks < %lld AND a.last_end_ticks > %lld)" \
    " OR (a.rule IS NOT NULL AND EXISTS (SELECT 1 FROM am_exceptions x" \
    " WHERE x.appt_id = a.id AND x.deleted = 0 AND x.start_ticks < %lld" \
    " AND (x.end_ticks > %lld OR x.start_ticks >= %lld)))"

/* Range queries by relation (schema version 2).  Each link carries the
 * span of its appointment, [start_ticks, last_end_ticks), and its class
 * (span): 0 for a single appointment no longer than AM_SHORT_SPAN, 1 for
 * a longer one, 2 for a series, whose link span also covers its changed
 * occurrences (moved out of the span of the series: AM_LINK_SPAN).  The
 * index am_links_range (rel, ref, span, start_ticks, last_end_ticks,
 * appt_id) then answers both halves of a range query by ranging over
 * it, never by walking every link of the ref:
 *   short: a span that overlaps [from, until) starts in
 *          [from - AM_SHORT_SPAN, until), a range of the index: the cost
 *          grows with the appointments in the range;
 *   long:  the long appointments and series of the ref that start before
 *          until, their ends tested in the index (the few of them).
 * A series whose link span overlaps the range is in it when its own span
 * does or one of its changed occurrences is there (AM_SERIES_IN_RANGE,
 * tested on the appointment's row).
 * Parameters of AM_LINK_SHORT: rel, ref, from - AM_SHORT_SPAN, until,
 * from; of AM_LINK_LONG: rel, ref, until, from. */
#define AM_SHORT_SPAN AM_TICKS_PER_DAY
#define AM_LINK_SHORT \
    "SELECT f.appt_id, f.span FROM am_links f WHERE f.rel = %s" \
    " AND f.ref = %s AND f.span = 0 AND f.start_ticks >= %lld" \
    " AND f.start_ticks < %lld AND f.last_end_ticks > %lld"
#define AM_LINK_LONG \
    "SELECT f.appt_id, f.span FROM am_links f WHERE f.rel = %s" \
    " AND f.ref = %s AND f.span IN (1, 2) AND f.start_ticks < %lld" \
    " AND f.last_end_ticks > %lld"
/* Parameters: until, from, until, from, from (as AM_IN_RANGE). */
#define AM_SERIES_IN_RANGE \
    "(m.span < 2 OR " AM_IN_RANGE ")"

/* The link span of series ID (an SQL expression of its id, used four
 * times): from the first start to the last end of the series and its
 * changed occurrences (a zero-length one as a tick, so that a range
 * beginning at it overlaps). */
#define AM_LINK_SPAN(ID) \
    "start_ticks = (SELECT min(v) FROM (SELECT a.start_ticks AS v" \
    " FROM am_appointments a WHERE a.id = " ID " UNION ALL" \
    " SELECT x.start_ticks FROM am_exceptions x WHERE x.appt_id = " ID \
    " AND x.deleted = 0) s1)," \
    " last_end_ticks = (SELECT max(v) FROM (SELECT CASE WHEN" \
    " a.last_end_ticks > a.end_ticks THEN a.last_end_ticks" \
    " ELSE a.end_ticks END AS v FROM am_appointments a WHERE a.id = " ID \
    " UNION ALL SELECT CASE WHEN x.end_ticks > x.start_ticks" \
    " THEN x.end_ticks ELSE x.start_ticks + 1 END FROM am_exceptions x" \
    " WHERE x.appt_id = " ID " AND x.deleted = 0) s2)"

/* Columns of a session, in the order read_session() expects. */
#define AM_SESS_COLS \
    "id, kind, token_hash, renew_hash, user_name, employment, realm," \
    " dialect, scope, info, created_at, last_used, expires_at," \
    " renew_expires_at, idle"
enum { S_ID, S_KIND, S_TOKEN, S_RENEW, S_USER, S_EMPLOYMENT, S_REALM,
       S_DIALECT, S_SCOPE, S_INFO, S_CREATED, S_LAST_USED, S_EXPIRES,
       S_RENEW_EXPIRES, S_IDLE };

/* The sessions of a user, by kind (0: any), realm and scope (NULL: any).
 * Parameters: user, kind, kind, realm, realm, scope, scope. */
#define AM_SESS_FILTER \
    "user_name = %s AND (CAST(%d AS INTEGER) = 0 OR kind = %d)" \
    " AND (CAST(%s AS TEXT) IS NULL OR realm = %s)" \
    " AND (CAST(%s AS TEXT) IS NULL OR scope = %s)"

typedef struct am_stmt_def {
    const char *label;
    const char *sql;
    const char *pg_tail;        /* appended on PostgreSQL, or NULL */
} am_stmt_def_t;

static const am_stmt_def_t am_stmts[] = {
    { "am_get",
      "SELECT " AM_COLS " FROM am_appointments a"
      " LEFT JOIN am_links l ON l.appt_id = a.id"
      " WHERE a.id = %lld ORDER BY l.rel, l.ref" },
    { "am_version",
      "SELECT version, kind FROM am_appointments WHERE id = %lld" },
    /* The same inside a write: on PostgreSQL (READ COMMITTED) it locks
     * the row, so that concurrent writers of one appointment queue up
     * and each reads the version the previous one committed (SQLite's
     * BEGIN IMMEDIATE already serialises writers). */
    { "am_version_lock",
      "SELECT version, kind FROM am_appointments WHERE id = %lld",
      " FOR UPDATE" },
    { "am_insert",
      "INSERT INTO am_appointments (uid, version, kind, start_ticks, end_ticks,"
      " last_end_ticks, title, location, remarks, reason, all_day, moves,"
      " status, appt_type, created_by_id, created_by_name, status_by_id,"
      " status_by_name, rule, ext, created_at, updated_at)"
      " VALUES (%s, 1, " AM_SET_ARGS ", %lld, %lld)", " RETURNING id" },
    { "am_get_uid",
      "SELECT id FROM am_appointments WHERE uid = %s" },
    { "am_exc_get",
      "SELECT occ_index, deleted, start_ticks, end_ticks, title, location,"
      " remarks, ext, id FROM am_exceptions WHERE appt_id = %lld"
      " ORDER BY occ_index" },
    { "am_exc_find",
      "SELECT appt_id, occ_index FROM am_exceptions WHERE id = %lld" },
    { "am_exc_id",
      "SELECT id FROM am_exceptions WHERE appt_id = %lld"
      " AND occ_index = %d" },
    { "am_exc_put",
      "INSERT INTO am_exceptions (appt_id, occ_index, deleted, start_ticks,"
      " end_ticks, title, location, remarks, ext)"
      " VALUES (%lld, %d, %d, %lld, %lld, %s, %s, %s, %s)"
      " ON CONFLICT (appt_id, occ_index) DO UPDATE SET"
      " deleted = excluded.deleted, start_ticks = excluded.start_ticks,"
      " end_ticks = excluded.end_ticks, title = excluded.title,"
      " location = excluded.location, remarks = excluded.remarks,"
      " ext = excluded.ext" },
    { "am_exc_clear",
      "DELETE FROM am_exceptions WHERE appt_id = %lld" },
    { "am_bump",
      "UPDATE am_appointments SET version = version + 1, updated_at = %lld"
      " WHERE id = %lld AND version = %lld" },
    { "am_dir_put",
      "INSERT INTO am_directory (kind, id, name) VALUES (%s, %s, %s)"
      " ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name"
      " WHERE am_directory.name <> excluded.name" },
    { "am_dir_get",
      "SELECT name FROM am_directory WHERE kind = %s AND id = %s" },
    /* Candidates come from the range index of the links (AM_LINK_RANGE,
     * without the moved occurrences: a booking is its first
     * occurrence); the row decides.  Parameters: rel, ref, start - span,
     * end, start (short), rel, ref, end, start (long), status, id, end,
     * start. */
    { "am_overlap",
      "SELECT count(*) FROM (" AM_LINK_SHORT " UNION ALL " AM_LINK_LONG ")"
      " m JOIN am_appointments a ON a.id = m.appt_id"
      " WHERE a.status <> %d AND a.id <> %lld"
      " AND a.start_ticks < %lld AND a.end_ticks > %lld" },
    { "am_link_span",
      "UPDATE am_links SET " AM_LINK_SPAN("%lld")
      " WHERE appt_id = %lld AND span = 2" },
    { "am_update",
      "UPDATE am_appointments SET version = version + 1, kind = %d,"
      " start_ticks = %lld, end_ticks = %lld, last_end_ticks = %lld,"
      " title = %s, location = %s, remarks = %s, reason = %s,"
      " all_day = %d, moves = %d, status = %d, appt_type = %d,"
      " created_by_id = %lld, created_by_name = %s, status_by_id = %lld,"
      " status_by_name = %s, rule = %s, ext = %s, updated_at = %lld"
      " WHERE id = %lld AND version = %lld" },
    { "am_delete",
      "DELETE FROM am_appointments WHERE id = %lld AND version = %lld" },
    { "am_link_add",
      "INSERT INTO am_links (appt_id, rel, ref, start_ticks, last_end_ticks,"
      " span) VALUES (%lld, %s, %s, %lld, %lld, %d)" },
    { "am_link_clear",
      "DELETE FROM am_links WHERE appt_id = %lld" },
    /* Parameters: rel, ref, from - span, until, from (short), rel, ref,
     * until, from (long), kind, kind, until, from, until, from, from. */
    { "am_list_rel",
      "SELECT " AM_COLS " FROM (" AM_LINK_SHORT " UNION ALL " AM_LINK_LONG
      ") m JOIN am_appointments a ON a.id = m.appt_id"
      " LEFT JOIN am_links l ON l.appt_id = a.id"
      " WHERE (CAST(%d AS INTEGER) = 0 OR a.kind = %d)"
      " AND " AM_SERIES_IN_RANGE
      " ORDER BY a.start_ticks, a.id, l.rel, l.ref" },
    { "am_list",
      "SELECT " AM_COLS " FROM am_appointments a"
      " LEFT JOIN am_links l ON l.appt_id = a.id"
      " WHERE (CAST(%d AS INTEGER) = 0 OR a.kind = %d)"
      " AND (" AM_IN_RANGE ")"
      " ORDER BY a.start_ticks, a.id, l.rel, l.ref" },
    /* Sessions (schema version 3). */
    { "am_sess_insert",
      "INSERT INTO am_sessions (kind, token_hash, renew_hash, user_name,"
      " employment, realm, dialect, scope, info, created_at, last_used,"
      " expires_at, renew_expires_at, idle)"
      " VALUES (%d, %s, %s, %s, %lld, %s, %s, %s, %s, %lld, %lld, %lld,"
      " %lld, %lld)", " RETURNING id" },
    { "am_sess_get",
      "SELECT " AM_SESS_COLS " FROM am_sessions WHERE token_hash = %s" },
    { "am_sess_check",
      "SELECT id, kind, token_hash, user_name, employment, realm,"
      " last_used, expires_at, idle FROM am_sessions WHERE token_hash = %s" },
    { "am_sess_get_renew",
      "SELECT " AM_SESS_COLS " FROM am_sessions WHERE renew_hash = %s" },
    { "am_sess_touch",
      "UPDATE am_sessions SET last_used = %lld"
      " WHERE id = %lld AND last_used < %lld" },
    { "am_sess_renew",
      "UPDATE am_sessions SET token_hash = %s, renew_hash = %s,"
      " expires_at = %lld, renew_expires_at = %lld, last_used = %lld"
      " WHERE id = %lld AND renew_hash = %s" },
    { "am_sess_delete",
      "DELETE FROM am_sessions WHERE id = %lld" },
    { "am_sess_list",
      "SELECT " AM_SESS_COLS " FROM am_sessions WHERE " AM_SESS_FILTER
      " ORDER BY created_at, id" },
    { "am_sess_delete_where",
      "DELETE FROM am_sessions WHERE " AM_SESS_FILTER },
    /* Neither the token nor its renewal token can be used any more:
     * both expired (a missing renewal token counts as expired: its
     * renew_expires_at is 0 and its hash NULL), or idle too long.
     * Parameters: now, now, now (a sum has no column affinity in
     * SQLite: the text parameter is cast to compare as a number). */
    { "am_sess_purge",
      "DELETE FROM am_sessions WHERE"
      " (expires_at > 0 AND expires_at <= %lld"
      "  AND (renew_hash IS NULL"
      "       OR (renew_expires_at > 0 AND renew_expires_at <= %lld)))"
      " OR (idle > 0 AND last_used + idle <= CAST(%lld AS BIGINT))" },
};
#define AM_NSTMTS (sizeof(am_stmts) / sizeof(am_stmts[0]))

/* Schema version 1, as statements in order.  The only difference between
 * the drivers is the column type of generated ids, written @ID@ here. */
#define AM_ID_SQLITE "INTEGER PRIMARY KEY AUTOINCREMENT"
#define AM_ID_PGSQL  "BIGSERIAL PRIMARY KEY"

static const char *const am_schema_v1[] = {
    "CREATE TABLE am_appointments ("
    " id @ID@,"
    " uid TEXT NOT NULL UNIQUE,"
    " version BIGINT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " start_ticks BIGINT NOT NULL,"
    " end_ticks BIGINT NOT NULL,"
    " last_end_ticks BIGINT NOT NULL,"
    " title TEXT,"
    " location TEXT,"
    " remarks TEXT,"
    " reason TEXT,"
    " all_day INTEGER NOT NULL DEFAULT 0,"
    " moves INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " appt_type INTEGER NOT NULL DEFAULT 0,"
    " created_by_id BIGINT NOT NULL DEFAULT 0,"
    " created_by_name TEXT,"
    " status_by_id BIGINT NOT NULL DEFAULT 0,"
    " status_by_name TEXT,"
    " rule TEXT,"
    " ext TEXT,"
    " created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL)",
    "CREATE INDEX am_appointments_span"
    " ON am_appointments (start_ticks, last_end_ticks)",
    "CREATE TABLE am_links ("
    " appt_id BIGINT NOT NULL REFERENCES am_appointments (id)"
    " ON DELETE CASCADE,"
    " rel TEXT NOT NULL,"
    " ref TEXT NOT NULL,"
    " PRIMARY KEY (appt_id, rel, ref))",
    "CREATE INDEX am_links_ref ON am_links (rel, ref)",
    "CREATE TABLE am_exceptions ("
    " id @ID@,"
    " appt_id BIGINT NOT NULL REFERENCES am_appointments (id)"
    " ON DELETE CASCADE,"
    " occ_index INTEGER NOT NULL,"
    " deleted INTEGER NOT NULL,"
    " start_ticks BIGINT,"
    " end_ticks BIGINT,"
    " title TEXT,"
    " location TEXT,"
    " remarks TEXT,"
    " ext TEXT,"
    " UNIQUE (appt_id, occ_index))",
    "CREATE TABLE am_directory ("
    " kind TEXT NOT NULL,"
    " id TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " PRIMARY KEY (kind, id))",
    NULL
};

/* Schema version 2: the range columns of the links and their index
 * (see AM_LINK_SHORT), filled from the appointments already stored.  The
 * index on (rel, ref) is a prefix of the new one. */
static const char *const am_schema_v2[] = {
    "ALTER TABLE am_links ADD COLUMN start_ticks BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE am_links ADD COLUMN last_end_ticks BIGINT NOT NULL"
    " DEFAULT 0",
    "ALTER TABLE am_links ADD COLUMN span INTEGER NOT NULL DEFAULT 2",
    "UPDATE am_links SET"
    " start_ticks = (SELECT a.start_ticks FROM am_appointments a"
    " WHERE a.id = am_links.appt_id),"
    " last_end_ticks = (SELECT CASE WHEN a.last_end_ticks > a.end_ticks"
    " THEN a.last_end_ticks ELSE a.end_ticks END FROM am_appointments a"
    " WHERE a.id = am_links.appt_id),"
    " span = (SELECT CASE WHEN a.rule IS NOT NULL THEN 2"
    " WHEN a.last_end_ticks - a.start_ticks <= @SHORT@"
    " AND a.end_ticks - a.start_ticks <= @SHORT@ THEN 0 ELSE 1 END"
    " FROM am_appointments a WHERE a.id = am_links.appt_id)",
    "UPDATE am_links SET " AM_LINK_SPAN("am_links.appt_id")
    " WHERE span = 2",
    "CREATE INDEX am_links_range ON am_links"
    " (rel, ref, span, start_ticks, last_end_ticks, appt_id)",
    "DROP INDEX IF EXISTS am_links_ref",
    NULL
};

/* Schema version 3: login sessions, feed keys (store.h, "sessions").
 * Only hashes of tokens; the user name as httpd knows it. */
static const char *const am_schema_v3[] = {
    "CREATE TABLE am_sessions ("
    " id @ID@,"
    " kind INTEGER NOT NULL,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " renew_hash TEXT UNIQUE,"
    " user_name TEXT NOT NULL,"
    " employment BIGINT NOT NULL DEFAULT 0,"
    " realm TEXT NOT NULL,"
    " dialect TEXT NOT NULL,"
    " scope TEXT,"
    " info TEXT,"
    " created_at BIGINT NOT NULL,"
    " last_used BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL DEFAULT 0,"
    " renew_expires_at BIGINT NOT NULL DEFAULT 0,"
    " idle BIGINT NOT NULL DEFAULT 0)",
    "CREATE INDEX am_sessions_user ON am_sessions (user_name, kind, realm)",
    "CREATE INDEX am_sessions_expires ON am_sessions (expires_at)",
    NULL
};

static int is_sqlite(const apr_dbd_driver_t *driver)
{
    return strcmp(apr_dbd_name(driver), "sqlite3") == 0;
}

static int is_pgsql(const apr_dbd_driver_t *driver)
{
    return strcmp(apr_dbd_name(driver), "pgsql") == 0;
}

/* Maps a driver error to an am_err_t: SQLite BUSY/LOCKED and PostgreSQL
 * serialization failures and deadlocks are 503 with Retry-After. */
static am_err_t *db_err(am_store_t *s, int rv, const char *what)
{
    const char *msg = apr_dbd_error(s->driver, s->handle, rv);
    am_err_t *e;
    int busy = 0;

    if (is_sqlite(s->driver)) {
        busy = (rv == 5 /* SQLITE_BUSY */ || rv == 6 /* SQLITE_LOCKED */);
    }
    else if (msg && (strstr(msg, "could not serialize")
                     || strstr(msg, "deadlock detected"))) {
        busy = 1;
    }
    if (busy) {
        e = am_err_make(s->pool, 503, "The database is busy; try again.");
        e->retry_after = 1;
    }
    else {
        e = am_err_make(s->pool, 500, "Database error in %s: %s", what,
                        msg ? msg : "unknown");
    }
    return e;
}

/* ------------------------------------------------- running statements
 *
 * Every statement of am_stmts runs through db_select / db_query, and
 * every result is read to its end into a db_res_t (text cells, NULL for
 * SQL NULL, in the pool given), whatever the driver:
 *
 * - PostgreSQL: apr_dbd's prepared statements (apr_dbd_pselect and
 *   apr_dbd_pquery, seek 1: a synchronous query whose errors come back
 *   from the call; with 0 the driver sends it asynchronously, reports a
 *   failed one as an empty result and sleeps 100 ms on every empty
 *   result).
 * - SQLite: the connection's own sqlite3 handle (apr_dbd_native_handle)
 *   and statements prepared on it with sqlite3_prepare_v3.  apr-util's
 *   sqlite3 driver runs every prepared statement of the process under
 *   one global mutex (apr_dbd_mutex_lock), so that one thread's
 *   statement stalls every other connection's: with it, POST stayed at
 *   0.18 of static with the CPUs a third idle (docs/benchmarks.md).
 *   Parameters are bound as text, as the driver binds them.
 *
 * Statements that are not in am_stmts (the schema's, at connect) go
 * through apr_dbd_query / apr_dbd_select. */

#define AM_MAX_ARGS 32
/* SQLite: how long a statement waits for another process's write lock
 * (this process's writers queue on the store's gate first). */
#define AM_BUSY_MS 2000

/* A statement of am_stmts prepared on one connection. */
typedef struct am_prep {
    apr_dbd_prepared_t *dbd;    /* PostgreSQL: the driver's */
    sqlite3_stmt *lite;         /* SQLite: our own */
    int nargs;
} am_prep_t;

typedef struct db_row {
    const char **v;
    int n;
} db_row_t;

typedef struct db_res {
    apr_array_header_t *cells;  /* const char *, ncols per row */
    int ncols;
    int next;
    db_row_t row;
} db_res_t;

static int db_next(db_res_t *res, db_row_t **row)
{
    if (!res || res->ncols <= 0
        || (res->next + 1) * res->ncols > res->cells->nelts) {
        return -1;
    }
    res->row.v = &APR_ARRAY_IDX(res->cells, res->next * res->ncols,
                                const char *);
    res->row.n = res->ncols;
    res->next++;
    *row = &res->row;
    return 0;
}

static db_res_t *res_make(apr_pool_t *p, int ncols)
{
    db_res_t *res = apr_pcalloc(p, sizeof(*res));

    res->ncols = ncols;
    res->cells = apr_array_make(p, ncols > 0 ? ncols * 4 : 1,
                                sizeof(const char *));
    return res;
}

/* An apr_dbd result read to its end. */
static db_res_t *res_of_dbd(am_store_t *s, apr_pool_t *p,
                            apr_dbd_results_t *r)
{
    db_res_t *res = res_make(p, apr_dbd_num_cols(s->driver, r));
    apr_dbd_row_t *row = NULL;
    int i;

    while (apr_dbd_get_row(s->driver, p, r, &row, -1) == 0) {
        for (i = 0; i < res->ncols; i++) {
            const char *v = NULL;

            /* Copied: the pgsql driver frees its result when the rows
             * are read to the end. */
            if (apr_dbd_datum_get(s->driver, row, i, APR_DBD_TYPE_STRING,
                                  &v) != APR_SUCCESS || !v) {
                v = NULL;
            }
            APR_ARRAY_PUSH(res->cells, const char *) =
                v ? apr_pstrdup(p, v) : NULL;
        }
    }
    return res;
}

static apr_status_t finalize_stmt(void *data)
{
    sqlite3_finalize(data);
    return APR_SUCCESS;
}

/* Prepares sql (apr_dbd's %s / %d / %lld placeholders) for the driver;
 * the statement lives as long as the connection's pool p. */
static am_err_t *prep(apr_pool_t *p, const apr_dbd_driver_t *driver,
                      apr_dbd_t *handle, const char *label, const char *sql,
                      am_prep_t **out)
{
    am_prep_t *pr = apr_pcalloc(p, sizeof(*pr));
    const char *c;
    int rv;

    for (c = sql; (c = strchr(c, '%')); c++) {
        pr->nargs++;
    }
    if (pr->nargs > AM_MAX_ARGS) {
        return am_err_make(p, 500, "%s has more than %d parameters", label,
                           AM_MAX_ARGS);
    }
    if (is_sqlite(driver)) {
        sqlite3 *db = apr_dbd_native_handle(driver, handle);
        char *q = apr_palloc(p, strlen(sql) + 1), *o = q;

        for (c = sql; *c; c++) {
            if (*c == '%') {
                c += strspn(c + 1, "l") + 1;    /* %s %d %lld */
                *o++ = '?';
            }
            else {
                *o++ = *c;
            }
        }
        *o = '\0';
        rv = sqlite3_prepare_v3(db, q, -1, SQLITE_PREPARE_PERSISTENT,
                                &pr->lite, NULL);
        if (rv != SQLITE_OK) {
            return am_err_make(p, 500, "preparing %s: %s", label,
                               sqlite3_errmsg(db));
        }
        apr_pool_cleanup_register(p, pr->lite, finalize_stmt,
                                  apr_pool_cleanup_null);
    }
    else {
        rv = apr_dbd_prepare(driver, p, handle, sql, label, &pr->dbd);
        if (rv) {
            return am_err_make(p, 500, "preparing %s: %s", label,
                               apr_dbd_error(driver, handle, rv));
        }
    }
    *out = pr;
    return NULL;
}

/* Runs a SQLite statement to its end: the rows into *res (when res),
 * the changed rows' count into *nrows (when nrows).  Returns SQLite's
 * result code, 0 on success (as the driver's calls do). */
static int lite_run(apr_pool_t *p, am_prep_t *pr, const char **args,
                    db_res_t **res, int *nrows)
{
    sqlite3_stmt *st = pr->lite;
    int i, rc = SQLITE_OK, nc = 0;

    for (i = 0; i < pr->nargs && rc == SQLITE_OK; i++) {
        rc = args[i] ? sqlite3_bind_text(st, i + 1, args[i], -1,
                                         SQLITE_STATIC)
                     : sqlite3_bind_null(st, i + 1);
    }
    if (rc == SQLITE_OK) {
        if (res) {
            nc = sqlite3_column_count(st);
            *res = res_make(p, nc);
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (i = 0; res && i < nc; i++) {
                const char *t = (const char *)sqlite3_column_text(st, i);

                APR_ARRAY_PUSH((*res)->cells, const char *) =
                    t ? apr_pstrmemdup(p, t, (apr_size_t)
                                       sqlite3_column_bytes(st, i))
                      : NULL;
            }
        }
        if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
            if (nrows) {
                *nrows = sqlite3_changes(sqlite3_db_handle(st));
            }
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int db_run(am_store_t *s, apr_pool_t *p, const char *label,
                  db_res_t **res, int *nrows, va_list ap)
{
    am_prep_t *pr = apr_hash_get(s->prepared, label, APR_HASH_KEY_STRING);
    const char *args[AM_MAX_ARGS];
    int i, rv;

    if (!pr) {
        return -1;
    }
    for (i = 0; i < pr->nargs; i++) {
        args[i] = va_arg(ap, const char *);
    }
    if (pr->lite) {
        return lite_run(p, pr, args, res, nrows);
    }
    if (res) {
        apr_dbd_results_t *r = NULL;

        rv = apr_dbd_pselect(s->driver, p, s->handle, &r, pr->dbd, 1,
                             pr->nargs, args);
        if (rv == 0) {
            *res = res_of_dbd(s, p, r);
        }
        return rv;
    }
    return apr_dbd_pquery(s->driver, p, s->handle, nrows, pr->dbd,
                          pr->nargs, args);
}

/* Statement label of am_stmts with its parameters (as many as it has,
 * each a const char *, NULL for SQL NULL): all its rows into *res. */
static int db_select(am_store_t *s, apr_pool_t *p, db_res_t **res,
                     const char *label, ...)
{
    va_list ap;
    int rv;

    va_start(ap, label);
    rv = db_run(s, p, label, res, NULL, ap);
    va_end(ap);
    return rv;
}

/* The same for a statement without rows: the rows it changed in *nrows. */
static int db_query(am_store_t *s, apr_pool_t *p, int *nrows,
                    const char *label, ...)
{
    va_list ap;
    int rv;

    va_start(ap, label);
    rv = db_run(s, p, label, NULL, nrows, ap);
    va_end(ap);
    return rv;
}

/* A statement that is not in am_stmts (the schema's), read to its end. */
static int db_select_sql(am_store_t *s, db_res_t **res, const char *sql)
{
    apr_dbd_results_t *r = NULL;
    int rv = apr_dbd_select(s->driver, s->pool, s->handle, &r, sql,
                            is_pgsql(s->driver) ? 1 : 0);

    if (rv == 0) {
        *res = res_of_dbd(s, s->pool, r);
    }
    return rv;
}

/* SQLite's own transaction statements (prepared with the others). */
static int lite_txn(am_store_t *s, const char *label)
{
    am_prep_t *pr = apr_hash_get(s->prepared, label, APR_HASH_KEY_STRING);

    return pr && pr->lite ? lite_run(s->pool, pr, NULL, NULL, NULL) : -1;
}

/* Whether the store runs SQLite through its own handle. */
static int is_lite(am_store_t *s)
{
    am_prep_t *pr = s->prepared ? apr_hash_get(s->prepared, "am_begin",
                                               APR_HASH_KEY_STRING) : NULL;

    return pr && pr->lite;
}

static const char *i64(apr_pool_t *p, apr_int64_t v)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

/* The range columns of a's links (AM_LINK_SHORT): its span, and its
 * class. */
static void link_span(const am_appt_t *a, am_time_t *start, am_time_t *lend,
                      int *span)
{
    *start = a->start;
    *lend = (a->last_end > a->end) ? a->last_end : a->end;
    if (a->rule) {
        *span = 2;
    }
    else {
        *span = (*lend - a->start <= AM_SHORT_SPAN) ? 0 : 1;
    }
}

/* from - AM_SHORT_SPAN, the lowest start of a short span that reaches
 * from, without overflow. */
static const char *short_from(apr_pool_t *p, am_time_t from)
{
    return i64(p, from < APR_INT64_MIN + AM_SHORT_SPAN
                  ? APR_INT64_MIN : from - AM_SHORT_SPAN);
}

static const char *col_str(am_store_t *s, db_row_t *row, int n)
{
    return (n < row->n) ? row->v[n] : NULL;
}

static apr_int64_t col_i64(am_store_t *s, db_row_t *row, int n)
{
    const char *v = col_str(s, row, n);

    return v ? apr_strtoi64(v, NULL, 10) : 0;
}

/* db_query for an INSERT of a row with a generated id: the id in *id.
 * PostgreSQL's statement returns it (RETURNING, its pg_tail); SQLite
 * knows it without one (RETURNING would make SQLite gather the row in a
 * table of its own). */
static int db_insert(am_store_t *s, apr_int64_t *id, const char *label, ...)
{
    va_list ap;
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv, nrows = 0, lite = is_lite(s);

    *id = 0;
    va_start(ap, label);
    rv = db_run(s, s->pool, label, lite ? NULL : &res, &nrows, ap);
    va_end(ap);
    if (rv == 0 && lite) {
        *id = sqlite3_last_insert_rowid(
            apr_dbd_native_handle(s->driver, s->handle));
    }
    while (rv == 0 && !lite && db_next(res, &row) == 0) {
        *id = col_i64(s, row, 0);
    }
    return rv;
}

/* A ref that is a decimal number in canonical form (what the dialects
 * write for integer ids). */
static int numeric_ref(const char *r)
{
    return r[0] >= '1' && r[0] <= '9'
           && strspn(r, "0123456789") == strlen(r);
}

/* The one order of an appointment's links, whatever the database's
 * collation: by rel, then ref, numbers by value before other refs by
 * their bytes (a total order). */
static int link_cmp(const void *x, const void *y)
{
    const am_link_t *a = x, *b = y;
    int c = strcmp(a->rel, b->rel), na, nb;
    size_t la, lb;

    if (c) {
        return c;
    }
    na = numeric_ref(a->ref);
    nb = numeric_ref(b->ref);
    if (na != nb) {
        return na ? -1 : 1;
    }
    if (na && (la = strlen(a->ref)) != (lb = strlen(b->ref))) {
        return la < lb ? -1 : 1;
    }
    return strcmp(a->ref, b->ref);
}

/* Puts a's links in that order without repeats: as they are stored (the
 * primary key holds each pair once) and as every read returns them, so
 * that the answer to a write is the representation a read gives (one
 * version, one strong ETag). */
static void canon_links(am_appt_t *a)
{
    int i, n = 0;

    if (!a->links || a->links->nelts < 2) {
        return;
    }
    qsort(a->links->elts, a->links->nelts, sizeof(am_link_t), link_cmp);
    for (i = 0; i < a->links->nelts; i++) {
        am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        if (n > 0 && !link_cmp(l, &APR_ARRAY_IDX(a->links, n - 1,
                                                 am_link_t))) {
            continue;
        }
        APR_ARRAY_IDX(a->links, n, am_link_t) = *l;
        n++;
    }
    a->links->nelts = n;
}

/* Reads the rows of an AM_COLS select into appointments (one per id,
 * links gathered), to the end of the result. */
static void read_rows(am_store_t *s, db_res_t *res,
                      apr_array_header_t *out)
{
    db_row_t *row = NULL;
    am_appt_t *cur = NULL;
    int i;

    while (db_next(res, &row) == 0) {
        apr_int64_t id = col_i64(s, row, C_ID);
        const char *rel, *ref;

        if (!cur || cur->id != id) {
            cur = am_appt_make(s->pool, (int)col_i64(s, row, C_KIND));
            cur->id = id;
            cur->uid = col_str(s, row, C_UID);
            cur->version = col_i64(s, row, C_VERSION);
            cur->start = col_i64(s, row, C_START);
            cur->end = col_i64(s, row, C_END);
            cur->last_end = col_i64(s, row, C_LAST_END);
            cur->title = col_str(s, row, C_TITLE);
            cur->location = col_str(s, row, C_LOCATION);
            cur->remarks = col_str(s, row, C_REMARKS);
            cur->reason = col_str(s, row, C_REASON);
            cur->all_day = (int)col_i64(s, row, C_ALL_DAY);
            cur->moves_to_next_day = (int)col_i64(s, row, C_MOVES);
            cur->status = (int)col_i64(s, row, C_STATUS);
            cur->appt_type = (int)col_i64(s, row, C_TYPE);
            cur->created_by_id = col_i64(s, row, C_CBY_ID);
            cur->created_by_name = col_str(s, row, C_CBY_NAME);
            cur->status_by_id = col_i64(s, row, C_SBY_ID);
            cur->status_by_name = col_str(s, row, C_SBY_NAME);
            cur->created_at = col_i64(s, row, C_CREATED);
            cur->updated_at = col_i64(s, row, C_UPDATED);
            cur->rule = col_str(s, row, C_RULE);
            cur->ext = col_str(s, row, C_EXT);
            APR_ARRAY_PUSH(out, am_appt_t *) = cur;
        }
        rel = col_str(s, row, C_REL);
        ref = col_str(s, row, C_REF);
        if (rel && ref) {
            am_appt_add_link(s->pool, cur, rel, ref);
        }
    }
    for (i = 0; i < out->nelts; i++) {
        canon_links(APR_ARRAY_IDX(out, i, am_appt_t *));
    }
}

static am_time_t now_ticks(void)
{
    /* apr_time_t is microseconds since the epoch. */
    return (am_time_t)apr_time_now() * 10;
}

/* A new appointment's uid: a UUID of version 7 (RFC 9562), whose first
 * 48 bits are the time of its creation in milliseconds and the other 74
 * random.  Its text sorts by time, so that uids are added at the end of
 * their index: a random one (version 4) would write a page of the index
 * of its own with every create. */
static am_err_t *new_uid(am_store_t *s, am_appt_t *a)
{
    apr_uuid_t u;
    apr_uint64_t ms = (apr_uint64_t)apr_time_as_msec(apr_time_now());
    char buf[APR_UUID_FORMATTED_LENGTH + 1];
    int i;

    if (apr_generate_random_bytes(u.data + 6, sizeof(u.data) - 6)
        != APR_SUCCESS) {
        return am_err_make(s->pool, 500, "the random source failed");
    }
    for (i = 5; i >= 0; i--) {
        u.data[i] = (unsigned char)(ms & 0xff);
        ms >>= 8;
    }
    u.data[6] = (unsigned char)(0x70 | (u.data[6] & 0x0f));
    u.data[8] = (unsigned char)(0x80 | (u.data[8] & 0x3f));
    apr_uuid_format(buf, &u);
    a->uid = apr_pstrdup(s->pool, buf);
    return NULL;
}

/* -------------------------------------------------------- answer cache */

/* At most this many bytes of answers per connection; a put beyond it
 * empties the cache first. */
#define AM_CACHE_MAX_BYTES (1024 * 1024)
#define AM_CACHE_KEY "am_store_cache"

typedef struct am_cache {
    apr_pool_t *pool;           /* the entries', a child of the connection's */
    apr_hash_t *entries;        /* key -> am_cached_t * */
    apr_hash_t *sessions;       /* token hash -> am_session_t * (what
                                 * am_store_session_check reads) */
    apr_size_t bytes;
    char token[64];             /* the change token the entries belong to */
    int checked;                /* token read by this request */
} am_cache_t;

static am_cache_t *cache_of(am_store_t *s, int create)
{
    void *v = NULL;
    am_cache_t *c;

    if (!s->conn_pool) {
        return NULL;
    }
    apr_pool_userdata_get(&v, AM_CACHE_KEY, s->conn_pool);
    if (v || !create) {
        return v;
    }
    c = apr_pcalloc(s->conn_pool, sizeof(*c));
    if (apr_pool_create(&c->pool, s->conn_pool) != APR_SUCCESS) {
        return NULL;
    }
    c->entries = apr_hash_make(c->pool);
    c->sessions = apr_hash_make(c->pool);
    apr_pool_userdata_setn(c, AM_CACHE_KEY, NULL, s->conn_pool);
    return c;
}

static void cache_empty(am_cache_t *c)
{
    apr_pool_clear(c->pool);
    c->entries = apr_hash_make(c->pool);
    c->sessions = apr_hash_make(c->pool);
    c->bytes = 0;
}

/* Room for n more bytes in c (emptied when full); 0 when n is more
 * than an entry may take. */
static int cache_room(am_cache_t *c, apr_size_t n)
{
    if (n > AM_CACHE_MAX_BYTES / 4) {
        return 0;
    }
    if (c->bytes + n > AM_CACHE_MAX_BYTES) {
        cache_empty(c);
    }
    c->bytes += n;
    return 1;
}

static void cache_flush(am_store_t *s)
{
    am_cache_t *c = cache_of(s, 0);

    if (c) {
        cache_empty(c);
        c->checked = 0;
    }
}

/* Marks a request's pool once am_store_cache_check has read the token
 * for it (the authentication's session check and the handler both ask). */
#define AM_CHECKED_KEY "am_cache_checked"

int am_store_cache_check(am_store_t *s)
{
    am_cache_t *c = cache_of(s, 1);
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    const char *token = NULL;
    void *v = NULL;

    if (!c || !s->prepared) {
        return 0;
    }
    apr_pool_userdata_get(&v, AM_CHECKED_KEY, s->pool);
    if (v == c) {
        return c->checked;
    }
    apr_pool_userdata_setn(c, AM_CHECKED_KEY, NULL, s->pool);
    c->checked = 0;
    if (!apr_hash_get(s->prepared, "am_token", APR_HASH_KEY_STRING)
        || db_select(s, s->pool, &res, "am_token") != 0) {
        cache_empty(c);
        return 0;
    }
    while (db_next(res, &row) == 0) {
        if (!token) {
            token = col_str(s, row, 0);
        }
    }
    if (!token || strlen(token) >= sizeof(c->token)) {
        cache_empty(c);
        return 0;
    }
    if (strcmp(token, c->token)) {
        cache_empty(c);
        apr_cpystrn(c->token, token, sizeof(c->token));
    }
    c->checked = 1;
    return 1;
}

const am_cached_t *am_store_cache_get(am_store_t *s, const char *key)
{
    am_cache_t *c = cache_of(s, 0);

    if (!c || !c->checked) {
        return NULL;
    }
    return apr_hash_get(c->entries, key, APR_HASH_KEY_STRING);
}

am_err_t *am_store_cache_allow(am_store_t *s, const am_cached_t *c)
{
    int i;

    for (i = 0; s->access && i < c->nreads; i++) {
        const am_cache_read_t *r = &c->reads[i];
        am_appt_t *a = am_appt_make(s->pool, r->kind);
        am_err_t *e;

        a->id = r->id;
        a->uid = r->uid;
        if (r->owner) {
            am_appt_add_link(s->pool, a, "employee", r->owner);
        }
        if ((e = s->access(s->access_ctx, a, AM_ACCESS_READ))) {
            return e;
        }
    }
    return NULL;
}

void am_store_cache_put(am_store_t *s, const char *key, const am_cached_t *x)
{
    am_cache_t *c = cache_of(s, 0);
    am_cached_t *n;
    apr_size_t klen;

    if (!c || !c->checked || !x->body) {
        return;
    }
    klen = strlen(key);
    if (!cache_room(c, x->len + klen)) {
        return;
    }
    n = apr_palloc(c->pool, sizeof(*n));
    n->body = apr_pmemdup(c->pool, x->body, x->len);
    n->len = x->len;
    n->version = x->version;
    n->nreads = s->reads ? s->reads->nelts : 0;
    n->reads = NULL;
    if (n->nreads) {
        am_cache_read_t *rs = apr_palloc(c->pool, sizeof(*rs)
                                         * (apr_size_t)n->nreads);
        int i;

        for (i = 0; i < n->nreads; i++) {
            const am_cache_read_t *r = &APR_ARRAY_IDX(s->reads, i,
                                                      am_cache_read_t);
            rs[i].id = r->id;
            rs[i].kind = r->kind;
            rs[i].uid = r->uid ? apr_pstrdup(c->pool, r->uid) : NULL;
            rs[i].owner = r->owner ? apr_pstrdup(c->pool, r->owner) : NULL;
        }
        n->reads = rs;
    }
    apr_hash_set(c->entries, apr_pstrmemdup(c->pool, key, klen), klen, n);
}

/* A write, run in a transaction (in_txn): an error it returns rolls its
 * changes back. */
typedef am_err_t *(*am_txn_fn)(am_store_t *s, void *baton);

/* ------------------------------------------------------- group commit
 *
 * SQLite has one writer at a time, and a write transaction's fixed costs
 * (BEGIN IMMEDIATE, the WAL frames of COMMIT, and the pages a connection
 * reads again when another connection has written since its last
 * transaction) are most of a small write.  So a process's writers queue
 * at its gate: the first one to find the gate free takes every queued
 * write, its own included, and runs them in one transaction on its own
 * connection (a write that fails is rolled back alone and answers its
 * error: see run_batch), commits, passes the gate to the writer now
 * at the head of the queue (it commits the next batch), and wakes the
 * writers with their results.  Nobody is answered before the COMMIT
 * that holds their write has returned (the WAL written: kill -9 loses
 * nothing acknowledged).  A batch holds the writes of one database
 * only (the gate is the process's; the others wait for the next
 * committer of theirs).  A writer's function runs with its own store
 * (its pool, its request) over the committer's connection, while the
 * writer waits (am_waiter_t). */

/* Where a writer waits: its own mutex and condition (one per
 * connection, which serves one request at a time), so that the writers
 * a committer wakes do not all queue for the gate's mutex. */
typedef struct am_waiter {
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;
} am_waiter_t;

typedef struct am_gjob am_gjob_t;
struct am_gjob {
    am_store_t *s;
    const char *db;             /* the database file ("": never shared) */
    am_txn_fn fn;
    void *baton;
    am_err_t *e;
    am_waiter_t *w;
    int done;                   /* answered (under w->mu) */
    int lead;                   /* to commit the next batch (under w->mu) */
    am_gjob_t *next;
};

struct am_gate {
    apr_thread_mutex_t *mu;
    am_gjob_t *head, *tail;     /* waiting to be taken */
    int busy;                   /* a committer is running a batch, or the
                                 * one it woke to run the next */
    int max_batch;              /* the most writes of one batch so far */
};

am_gate_t *am_gate_create(apr_pool_t *p)
{
    am_gate_t *g = apr_pcalloc(p, sizeof(*g));

    if (apr_thread_mutex_create(&g->mu, APR_THREAD_MUTEX_DEFAULT, p)
        != APR_SUCCESS) {
        return NULL;
    }
    return g;
}

int am_gate_max_batch(am_gate_t *g)
{
    int n;

    apr_thread_mutex_lock(g->mu);
    n = g->max_batch;
    apr_thread_mutex_unlock(g->mu);
    return n;
}

/* Job j's store over the committer's connection c. */
static am_store_t job_view(const am_store_t *c, const am_gjob_t *j)
{
    am_store_t v = *j->s;

    v.driver = c->driver;
    v.handle = c->handle;
    v.prepared = c->prepared;
    return v;
}

/* The jobs of batch in one transaction on c's connection, each in a
 * savepoint of its own when savepoints is set.  Without: a job that
 * fails rolls the transaction back (the others' writes would go with
 * its) and 0 is returned, nothing done, unless it is the batch's only
 * job. */
static int run_jobs(am_store_t *c, am_gjob_t *batch, int savepoints)
{
    am_gjob_t *j;
    int rv, all_failed = 1;
    const char *step = "BEGIN";     /* what failed, when rv is not 0 */

    rv = lite_txn(c, "am_begin");
    for (j = batch; j; j = j->next) {
        am_store_t v = job_view(c, j);

        if (rv != 0) {
            j->e = db_err(&v, rv, step);
        }
        else if (!savepoints) {
            if ((j->e = j->fn(&v, j->baton)) && batch->next) {
                lite_txn(c, "am_rollback");
                return 0;
            }
        }
        else if ((rv = lite_txn(c, "am_savepoint")) != 0) {
            step = "SAVEPOINT";
            j->e = db_err(&v, rv, step);
        }
        else {
            if ((j->e = j->fn(&v, j->baton))) {
                lite_txn(c, "am_rollback_to");
            }
            lite_txn(c, "am_release");
        }
        all_failed &= (j->e != NULL);
    }
    if (all_failed) {
        lite_txn(c, "am_rollback");
    }
    else if ((rv = lite_txn(c, "am_commit")) != 0) {
        lite_txn(c, "am_rollback");
        for (j = batch; j; j = j->next) {
            am_store_t v = job_view(c, j);

            j->e = j->e ? j->e : db_err(&v, rv, "COMMIT");
        }
    }
    return 1;
}

/* One transaction for the jobs of batch.  A savepoint costs SQLite a
 * copy of each page a write first changes in it, so the batch first
 * runs without; only when one of its jobs fails does it run again with
 * a savepoint per job, the failing one rolled back alone.  (A job's
 * function may so run twice: what it sets, it derives from what it reads
 * in its transaction.) */
static void run_batch(am_store_t *c, am_gjob_t *batch)
{
    if (!run_jobs(c, batch, 0)) {
        run_jobs(c, batch, 1);
    }
}

static int same_db(const am_gjob_t *a, const am_gjob_t *b)
{
    return a == b || (a->db && b->db && *a->db && !strcmp(a->db, b->db));
}

/* The queued jobs of own's database, own among them, out of the queue
 * (in their order); the others stay queued. */
static am_gjob_t *take_batch(am_gate_t *g, am_gjob_t *own)
{
    am_gjob_t *batch = NULL, *blast = NULL, *j, *next;

    g->tail = NULL;
    for (j = g->head, g->head = NULL; j; j = next) {
        next = j->next;
        j->next = NULL;
        if (same_db(j, own)) {
            *(blast ? &blast->next : &batch) = j;
            blast = j;
        }
        else {
            *(g->tail ? &g->tail->next : &g->head) = j;
            g->tail = j;
        }
    }
    return batch;
}

/* The waiter of s's connection, made on its first write. */
static am_waiter_t *writer_waiter(am_store_t *s)
{
    apr_pool_t *p = s->conn_pool ? s->conn_pool : s->pool;
    void *v = NULL;
    am_waiter_t *w;

    apr_pool_userdata_get(&v, "am_writer", p);
    if (v) {
        return v;
    }
    w = apr_pcalloc(p, sizeof(*w));
    if (apr_thread_mutex_create(&w->mu, APR_THREAD_MUTEX_DEFAULT, p)
        != APR_SUCCESS || apr_thread_cond_create(&w->cv, p) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_userdata_setn(w, "am_writer", NULL, p);
    return w;
}

/* Sets j's done (or lead) and wakes its writer.  Under j's mutex: the
 * writer cannot return (and take j with it) before it is let go. */
static void writer_wake(am_gjob_t *j, int lead)
{
    am_waiter_t *w = j->w;

    apr_thread_mutex_lock(w->mu);
    if (lead) {
        j->lead = 1;
    }
    else {
        j->done = 1;
    }
    apr_thread_cond_signal(w->cv);
    apr_thread_mutex_unlock(w->mu);
}

static am_err_t *lite_in_txn(am_store_t *s, am_txn_fn fn, void *baton)
{
    am_gate_t *g = s->gate;
    am_gjob_t job, *batch, *j, *next, *head;
    int lead, n;

    memset(&job, 0, sizeof(job));
    job.s = s;
    job.fn = fn;
    job.baton = baton;
    job.db = sqlite3_db_filename(apr_dbd_native_handle(s->driver, s->handle),
                                 "main");
    if (!g || !(job.w = writer_waiter(s))) {
        run_batch(s, &job);
        return job.e;
    }
    apr_thread_mutex_lock(g->mu);
    if (g->tail) {
        g->tail->next = &job;
    }
    else {
        g->head = &job;
    }
    g->tail = &job;
    lead = !g->busy;
    g->busy = 1;
    apr_thread_mutex_unlock(g->mu);
    if (!lead) {
        /* Answered by a committer, or woken to commit the next batch
         * (this job is then still queued). */
        apr_thread_mutex_lock(job.w->mu);
        while (!job.done && !job.lead) {
            apr_thread_cond_wait(job.w->cv, job.w->mu);
        }
        apr_thread_mutex_unlock(job.w->mu);
        if (job.done) {
            return job.e;
        }
    }

    /* This writer commits: its own write with every queued one of its
     * database. */
    apr_thread_mutex_lock(g->mu);
    batch = take_batch(g, &job);
    for (n = 0, j = batch; j; j = j->next) {
        n++;
    }
    g->max_batch = n > g->max_batch ? n : g->max_batch;
    apr_thread_mutex_unlock(g->mu);
    run_batch(s, batch);
    /* The gate passes (still busy) to the head of the queue, woken first
     * to commit while these answer; with nobody queued it is free. */
    apr_thread_mutex_lock(g->mu);
    head = g->head;
    g->busy = (head != NULL);
    apr_thread_mutex_unlock(g->mu);
    if (head) {
        writer_wake(head, 1);
    }
    for (j = batch; j; j = next) {
        next = j->next;
        if (j != &job) {
            writer_wake(j, 0);
        }
    }
    return job.e;
}

/* PostgreSQL: apr_dbd's transaction. */
static am_err_t *dbd_in_txn(am_store_t *s, am_txn_fn fn, void *baton)
{
    apr_dbd_transaction_t *txn = NULL;
    am_err_t *e = NULL;
    int rv;

    rv = apr_dbd_transaction_start(s->driver, s->pool, s->handle, &txn);
    if (rv != 0) {
        e = db_err(s, rv, "BEGIN");
    }
    else {
        e = fn(s, baton);
        if (e) {
            apr_dbd_transaction_mode_set(s->driver, txn,
                                         APR_DBD_TRANSACTION_ROLLBACK);
        }
    }
    /* Always end, even when start failed (the handle keeps a pointer to
     * the transaction otherwise). */
    if (txn) {
        rv = apr_dbd_transaction_end(s->driver, s->pool, txn);
        if (rv != 0 && !e) {
            e = db_err(s, rv, "COMMIT");
        }
    }
    return e;
}

static am_err_t *in_txn(am_store_t *s, am_txn_fn fn, void *baton)
{
    am_err_t *e = is_lite(s) ? lite_in_txn(s, fn, baton)
                             : dbd_in_txn(s, fn, baton);

    /* A write through this connection: its answers may be stale (the
     * change token does not move for the connection's own commits). */
    cache_flush(s);
    return e;
}

/* ------------------------------------------------------------ connect */

static am_err_t *exec_sql(am_store_t *s, const char *sql)
{
    int nrows = 0;
    int rv = apr_dbd_query(s->driver, s->handle, &nrows, sql);

    return rv ? db_err(s, rv, sql) : NULL;
}

/* A statement that returns rows (PRAGMA journal_mode): drain them. */
static am_err_t *select_sql(am_store_t *s, const char *sql)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv = db_select_sql(s, &res, sql);

    if (rv) {
        return db_err(s, rv, sql);
    }
    while (db_next(res, &row) == 0) {
        /* drain */
    }
    return NULL;
}

/* A DDL statement for this driver: @ID@ replaced by the id column. */
static const char *ddl(apr_pool_t *p, const char *sql, int pg)
{
    const char *at;

    while ((at = strstr(sql, "@ID@")) || (at = strstr(sql, "@SHORT@"))) {
        int id = !strncmp(at, "@ID@", 4);

        sql = apr_pstrcat(p, apr_pstrmemdup(p, sql, (apr_size_t)(at - sql)),
                          id ? (pg ? AM_ID_PGSQL : AM_ID_SQLITE)
                             : i64(p, AM_SHORT_SPAN),
                          at + (id ? 4 : 7), NULL);
    }
    return sql;
}

/* Whether am_links has the range columns of schema version 2: a
 * database that a build with later versions but without version 2
 * created has a higher version number and still needs them.  A catalog
 * query, which does not fail (and abort a PostgreSQL transaction) when
 * the table or column is not there. */
static int links_ranged(am_store_t *s)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    apr_int64_t n = 0;
    const char *sql = is_pgsql(s->driver)
        ? "SELECT count(*) FROM information_schema.columns"
          " WHERE table_schema = current_schema()"
          " AND table_name = 'am_links' AND column_name = 'span'"
        : "SELECT count(*) FROM pragma_table_info('am_links')"
          " WHERE name = 'span'";

    if (db_select_sql(s, &res, sql)
        != 0) {
        return 0;
    }
    while (db_next(res, &row) == 0) {
        n = col_i64(s, row, 0);
    }
    return n > 0;
}

/* The statements of one schema version (NULL-terminated), in order. */
static am_err_t *exec_ddl(am_store_t *s, const char *const *stmts, int pg)
{
    am_err_t *e;

    for (; *stmts; stmts++) {
        if ((e = exec_sql(s, ddl(s->pool, *stmts, pg)))) {
            return e;
        }
    }
    return NULL;
}

static am_err_t *migrate(am_store_t *s, void *baton)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    apr_int64_t version = 0;
    am_err_t *e;
    int rv, pg = is_pgsql(s->driver);

    if (pg) {
        /* Serialises concurrent migrations of several processes or
         * servers; released at commit. */
        if ((e = select_sql(s, "SELECT pg_advisory_xact_lock(7274100)"))) {
            return e;
        }
    }
    if ((e = exec_sql(s, "CREATE TABLE IF NOT EXISTS am_schema"
                         " (version INTEGER NOT NULL)"))) {
        return e;
    }
    rv = db_select_sql(s, &res, "SELECT version FROM am_schema");
    if (rv) {
        return db_err(s, rv, "reading the schema version");
    }
    while (db_next(res, &row) == 0) {
        version = col_i64(s, row, 0);
    }
    if (version > AM_SCHEMA_VERSION) {
        return am_err_make(s->pool, 500, "The database schema is version %"
                           APR_INT64_T_FMT ", newer than this module's (%d);"
                           " upgrade mod_appointments", version,
                           AM_SCHEMA_VERSION);
    }
    if (version < 1) {
        if ((e = exec_ddl(s, am_schema_v1, pg))
            || (e = exec_sql(s, "INSERT INTO am_schema (version) VALUES (1)"))) {
            return e;
        }
        version = 1;
    }
    /* Version 2 by what it adds (the columns), not by the number: a
     * database may have later versions without it. */
    if (!links_ranged(s) && (e = exec_ddl(s, am_schema_v2, pg))) {
        return e;
    }
    if (version < 2) {
        if ((e = exec_sql(s, "UPDATE am_schema SET version = 2"))) {
            return e;
        }
        version = 2;
    }
    /* Later versions: if (version < N) { ...; UPDATE am_schema ... }.
     * Each block adds only its own tables, whatever else ran. */
    if (version < 3) {
        if ((e = exec_ddl(s, am_schema_v3, pg))
            || (e = exec_sql(s, "UPDATE am_schema SET version = 3"))) {
            return e;
        }
        version = 3;
    }
    return NULL;
}

/* The schema version in the database, without taking a write lock; 0
 * when there is no schema yet. */
static apr_int64_t schema_version(am_store_t *s)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    apr_int64_t version = 0;

    if (db_select_sql(s, &res, "SELECT version FROM am_schema") != 0) {
        return 0;
    }
    while (db_next(res, &row) == 0) {
        version = col_i64(s, row, 0);
    }
    return version;
}

/* The first value of a one-row statement (PRAGMA journal_mode). */
static const char *select_value(am_store_t *s, const char *sql)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    const char *v = NULL;

    if (db_select_sql(s, &res, sql)
        != 0) {
        return NULL;
    }
    while (db_next(res, &row) == 0) {
        v = v ? v : col_str(s, row, 0);
    }
    return v;
}

static am_err_t *setup(am_store_t *s)
{
    am_err_t *e;
    const char *mode;

    if (is_sqlite(s->driver)) {
        /* Pragmas and schema changes come before any statement is
         * prepared: they would expire the prepared statements.  WAL is
         * a property of the file: set it once, not on every connection
         * (setting it needs a lock other processes may hold). */
        mode = select_value(s, "PRAGMA journal_mode");
        if (!mode || strcasecmp(mode, "wal")) {
            if ((e = select_sql(s, "PRAGMA journal_mode = WAL"))) {
                return e;
            }
        }
        if ((e = exec_sql(s, "PRAGMA synchronous = NORMAL"))
            || (e = exec_sql(s, "PRAGMA foreign_keys = ON"))) {
            return e;
        }
    }
    else if (!is_pgsql(s->driver)) {
        return am_err_make(s->pool, 500, "DBDriver %s is not supported: use"
                           " sqlite3 or pgsql", apr_dbd_name(s->driver));
    }
    if (schema_version(s) != AM_SCHEMA_VERSION || !links_ranged(s)) {
        if ((e = in_txn(s, migrate, NULL))) {
            return e;
        }
    }
    return NULL;
}

#define AM_CONNECT_TRIES 8

/* In a connection's statements once am_store_connect has prepared them
 * all (a set-up that failed half-way leaves it out). */
#define AM_READY_KEY "am_ready"
static const char am_ready = 1;

am_err_t *am_store_connect(apr_pool_t *p, const apr_dbd_driver_t *driver,
                           apr_dbd_t *handle, apr_hash_t *prepared)
{
    am_store_t s;
    am_err_t *e = NULL;
    apr_size_t i;
    int try;

    memset(&s, 0, sizeof(s));
    s.pool = p;
    s.driver = driver;
    s.handle = handle;
    s.prepared = prepared;

    /* Processes that start together race for the first schema creation
     * (SQLite answers "locked" or "schema has changed" to the losers):
     * try again a few times, a little later each time. */
    for (try = 0; try < AM_CONNECT_TRIES; try++) {
        if (try > 0) {
            apr_sleep(apr_time_from_msec(50 * try));
        }
        if (!(e = setup(&s))) {
            break;
        }
    }
    if (e) {
        return e;
    }
    for (i = 0; i < AM_NSTMTS; i++) {
        const char *sql = am_stmts[i].sql;
        am_prep_t *pr = NULL;

        if (am_stmts[i].pg_tail && is_pgsql(driver)) {
            sql = apr_pstrcat(p, sql, am_stmts[i].pg_tail, NULL);
        }
        if ((e = prep(p, driver, handle, am_stmts[i].label, sql, &pr))) {
            return e;
        }
        apr_hash_set(prepared, am_stmts[i].label, APR_HASH_KEY_STRING, pr);
    }
    if (is_sqlite(driver)) {
        static const char *const txn[][2] = {
            { "am_begin", "BEGIN IMMEDIATE" },
            { "am_commit", "COMMIT" },
            { "am_rollback", "ROLLBACK" },
            { "am_savepoint", "SAVEPOINT am_job" },
            { "am_rollback_to", "ROLLBACK TO am_job" },
            { "am_release", "RELEASE am_job" },
        };

        for (i = 0; i < sizeof(txn) / sizeof(txn[0]); i++) {
            am_prep_t *pr = NULL;

            if ((e = prep(p, driver, handle, txn[i][0], txn[i][1], &pr))) {
                return e;
            }
            apr_hash_set(prepared, txn[i][0], APR_HASH_KEY_STRING, pr);
        }
        /* From here on no statement runs under apr_dbd's global mutex:
         * waiting for another process's lock blocks only this one. */
        sqlite3_busy_timeout(apr_dbd_native_handle(driver, handle),
                             AM_BUSY_MS);
    }
    /* The change token of the answer cache (store.h); without it there
     * is no cache. */
    {
        am_prep_t *pr = NULL;

        if (!prep(p, driver, handle, "am_token", is_pgsql(driver)
                  ? "SELECT pg_current_wal_insert_lsn()::text"
                  : "PRAGMA data_version", &pr)) {
            apr_hash_set(prepared, "am_token", APR_HASH_KEY_STRING, pr);
        }
    }
    apr_hash_set(prepared, AM_READY_KEY, APR_HASH_KEY_STRING, &am_ready);
    return NULL;
}

#define AM_CHANGE_TRIES 3

am_err_t *am_store_change(am_store_t *s, apr_int64_t id, int kind,
                          const am_ifmatch_t *if_match, am_change_fn fn,
                          void *ctx, am_appt_t **out)
{
    int attempt;

    for (attempt = 1; ; attempt++) {
        am_appt_t *old = NULL, *a;
        am_ifmatch_t as_read;
        am_err_t *e;
        int clear = 0;

        if ((e = am_store_get(s, id, kind, &old))) {
            return e;
        }
        if (!am_ifmatch_met(if_match, old->version)) {
            return am_err_make(s->pool, 412, "The appointment has been"
                               " changed since it was read (version %"
                               APR_INT64_T_FMT " is not one that If-Match"
                               " names).", old->version);
        }
        a = apr_pmemdup(s->pool, old, sizeof(*old));
        if ((e = fn(ctx, old, a, &clear))) {
            return e;
        }
        /* Stored only over the version the change was applied to: a
         * change meanwhile makes the update answer 412, and the change
         * is applied again to the new version (which must meet If-Match
         * as well). */
        as_read.any = 0;
        as_read.nversions = 1;
        as_read.versions = &old->version;
        e = clear ? am_store_update_clear(s, a, &as_read)
                  : am_store_update(s, a, &as_read);
        if (e && e->status == 412 && attempt < AM_CHANGE_TRIES) {
            continue;
        }
        if (!e && out) {
            *out = a;
        }
        return e;
    }
}

int am_store_ready(apr_hash_t *prepared)
{
    return apr_hash_get(prepared, AM_READY_KEY, APR_HASH_KEY_STRING) != NULL;
}

/* --------------------------------------------------------- operations */

static am_err_t *not_found(am_store_t *s, apr_int64_t id)
{
    return am_err_make(s->pool, 404, "No appointment with id %"
                       APR_INT64_T_FMT " exists.", id);
}

/* Loads the exceptions of series a. */
static am_err_t *read_exceptions(am_store_t *s, am_appt_t *a)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv;

    rv = db_select(s, s->pool, &res, "am_exc_get", i64(s->pool, a->id));
    if (rv) {
        return db_err(s, rv, "am_exc_get");
    }
    while (db_next(res, &row) == 0) {
        am_exception_t *x = apr_array_push(a->exceptions);

        x->index = (int)col_i64(s, row, 0);
        x->deleted = (int)col_i64(s, row, 1);
        x->start = col_i64(s, row, 2);
        x->end = col_i64(s, row, 3);
        x->title = col_str(s, row, 4);
        x->location = col_str(s, row, 5);
        x->remarks = col_str(s, row, 6);
        x->ext = col_str(s, row, 7);
        x->id = col_i64(s, row, 8);
    }
    return NULL;
}

/* The stored version of appointment id (0 when there is none), without
 * locking. */
static am_err_t *read_version(am_store_t *s, apr_int64_t id,
                              apr_int64_t *version)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv;

    *version = 0;
    rv = db_select(s, s->pool, &res, "am_version", i64(s->pool, id));
    if (rv) {
        return db_err(s, rv, "am_version");
    }
    while (db_next(res, &row) == 0) {
        *version = col_i64(s, row, 0);
    }
    return NULL;
}

#define AM_GET_TRIES 3

static am_err_t *get_one(am_store_t *s, apr_int64_t id, int kind,
                         am_appt_t **out)
{
    am_appt_t *a;
    am_err_t *e;
    int rv, try;

    for (try = 0; ; try++) {
        db_res_t *res = NULL;
        apr_array_header_t *rows = apr_array_make(s->pool, 1,
                                                  sizeof(am_appt_t *));
        apr_int64_t version = 0;

        rv = db_select(s, s->pool, &res, "am_get", i64(s->pool, id));
        if (rv) {
            return db_err(s, rv, "am_get");
        }
        read_rows(s, res, rows);
        if (rows->nelts == 0) {
            return not_found(s, id);
        }
        a = APR_ARRAY_IDX(rows, 0, am_appt_t *);
        if (kind != AM_KIND_ANY && a->kind != kind) {
            return not_found(s, id);
        }
        if (!a->rule) {
            break;
        }
        /* The exceptions come from another statement than the series
         * (each its own snapshot): a change committed in between would
         * pair one version (the ETag) with another's exceptions.  Every
         * change of exceptions raises the version in its transaction, so
         * an unchanged version afterwards means they belong together. */
        if ((e = read_exceptions(s, a))
            || (e = read_version(s, id, &version))) {
            return e;
        }
        if (version == a->version) {
            break;
        }
        if (try + 1 >= AM_GET_TRIES) {
            e = am_err_make(s->pool, 503, "The appointment is being"
                            " changed; try again.");
            e->retry_after = 1;
            return e;
        }
    }
    *out = a;
    return NULL;
}

am_err_t *am_store_get(am_store_t *s, apr_int64_t id, int kind,
                       am_appt_t **out)
{
    am_err_t *e = get_one(s, id, kind, out);

    if (!e && s->access) {
        e = s->access(s->access_ctx, *out, AM_ACCESS_READ);
    }
    if (!e && s->conn_pool) {
        am_cache_read_t *r;

        if (!s->reads) {
            s->reads = apr_array_make(s->pool, 2, sizeof(am_cache_read_t));
        }
        r = apr_array_push(s->reads);
        r->id = (*out)->id;
        r->uid = (*out)->uid;
        r->kind = (*out)->kind;
        r->owner = am_appt_link(*out, "employee");
    }
    return e;
}

/* Before a change of appointment id (of kind, unless AM_KIND_ANY): the
 * access check on what is stored, read and then change.  One that is not
 * there is left to the change (404, or 412 under If-Match). */
static am_err_t *may_change(am_store_t *s, apr_int64_t id, int kind)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if (!s->access || (kind > AM_KIND_ANY && kind < 32
                       && (s->access_own & (1u << kind)))) {
        return NULL;
    }
    if ((e = get_one(s, id, kind, &a))) {
        return e->status == 404 ? NULL : e;
    }
    if ((e = s->access(s->access_ctx, a, AM_ACCESS_READ))) {
        return e;
    }
    return s->access(s->access_ctx, a, AM_ACCESS_CHANGE);
}

am_err_t *am_store_get_uid(am_store_t *s, const char *uid, int kind,
                           am_appt_t **out)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    apr_int64_t id = 0;
    int rv;

    rv = db_select(s, s->pool, &res, "am_get_uid", uid);
    if (rv) {
        return db_err(s, rv, "am_get_uid");
    }
    while (db_next(res, &row) == 0) {
        id = col_i64(s, row, 0);
    }
    if (id == 0) {
        return am_err_make(s->pool, 404, "No appointment with id %s"
                           " exists.", uid);
    }
    return am_store_get(s, id, kind, out);
}

/* Refuses a (409) when a->exclusive is set and a overlaps another
 * appointment linked to the same ref that is not cancelled.  Runs inside
 * the write transaction; on PostgreSQL an advisory lock on the ref
 * serialises the check-and-write of concurrent transactions (SQLite's
 * BEGIN IMMEDIATE already does). */
static am_err_t *check_exclusive(am_store_t *s, const am_appt_t *a)
{
    const char *start, *end;
    int i;

    if (!a->exclusive) {
        return NULL;
    }
    start = i64(s->pool, a->start);
    end = i64(s->pool, a->end);
    for (i = 0; i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        db_res_t *res = NULL;
        db_row_t *row = NULL;
        apr_int64_t n = 0;
        am_err_t *e;
        int rv;

        if (strcmp(l->rel, a->exclusive)) {
            continue;
        }
        if (is_pgsql(s->driver)) {
            /* Escape the text, then quote it (escaping the quotes
             * themselves would double them). */
            const char *lock = apr_psprintf(s->pool,
                "SELECT pg_advisory_xact_lock(hashtext('%s'))",
                apr_dbd_escape(s->driver, s->pool,
                               apr_pstrcat(s->pool, l->rel, ":", l->ref,
                                           NULL), s->handle));
            if ((e = select_sql(s, lock))) {
                return e;
            }
        }
        rv = db_select(s, s->pool, &res, "am_overlap",
                              l->rel, l->ref, short_from(s->pool, a->start),
                              end, start, l->rel, l->ref, end, start,
                              apr_itoa(s->pool, AM_STATUS_CANCELLED),
                              i64(s->pool, a->id), end, start);
        if (rv) {
            return db_err(s, rv, "am_overlap");
        }
        while (db_next(res, &row) == 0) {
            n = col_i64(s, row, 0);
        }
        if (n > 0) {
            e = am_err_make(s->pool, 409, "The time slot is already booked"
                            " for %s %s.", l->rel, l->ref);
            e->code = 10202;
            return e;
        }
    }
    return NULL;
}

/* The writable column values of a, in AM_SET_ARGS order. */
static void set_args(am_store_t *s, const am_appt_t *a, const char **v)
{
    apr_pool_t *p = s->pool;

    v[0] = apr_itoa(p, a->kind);
    v[1] = i64(p, a->start);
    v[2] = i64(p, a->end);
    v[3] = i64(p, a->last_end ? a->last_end : a->end);
    v[4] = a->title;
    v[5] = a->location;
    v[6] = a->remarks;
    v[7] = a->reason;
    v[8] = apr_itoa(p, a->all_day ? 1 : 0);
    v[9] = apr_itoa(p, a->moves_to_next_day ? 1 : 0);
    v[10] = apr_itoa(p, a->status);
    v[11] = apr_itoa(p, a->appt_type);
    v[12] = i64(p, a->created_by_id);
    v[13] = a->created_by_name;
    v[14] = i64(p, a->status_by_id);
    v[15] = a->status_by_name;
    v[16] = a->rule;
    v[17] = a->ext;
}
#define AM_NSET 18

static am_err_t *add_links(am_store_t *s, const am_appt_t *a)
{
    const char *id = i64(s->pool, a->id);
    const char *lstart, *llend, *lspan;
    am_time_t start, lend;
    int i, nrows, rv, span;

    link_span(a, &start, &lend, &span);
    lstart = i64(s->pool, start);
    llend = i64(s->pool, lend);
    lspan = apr_itoa(s->pool, span);

    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        /* The primary key ignores duplicates only on conflict; skip
         * repeats of the same pair ourselves. */
        int j, dup = 0;
        for (j = 0; j < i; j++) {
            const am_link_t *o = &APR_ARRAY_IDX(a->links, j, am_link_t);
            if (!strcmp(o->rel, l->rel) && !strcmp(o->ref, l->ref)) {
                dup = 1;
                break;
            }
        }
        if (dup) {
            continue;
        }
        rv = db_query(s, s->pool, &nrows, "am_link_add", id, l->rel, l->ref,
                             lstart, llend, lspan);
        if (rv) {
            return db_err(s, rv, "am_link_add");
        }
    }
    return NULL;
}

/* The directory entries a write carries (a->names), in its
 * transaction. */
static am_err_t *put_names(am_store_t *s, const am_appt_t *a)
{
    int i, nrows = 0, rv;

    for (i = 0; a->names && i < a->names->nelts; i++) {
        const am_name_t *n = &APR_ARRAY_IDX(a->names, i, am_name_t);

        rv = db_query(s, s->pool, &nrows, "am_dir_put", n->kind, n->id, n->name);
        if (rv) {
            return db_err(s, rv, "am_dir_put");
        }
    }
    return NULL;
}

static am_err_t *do_create(am_store_t *s, void *baton)
{
    am_appt_t *a = baton;
    const char *v[AM_NSET];
    apr_int64_t id = 0;
    am_err_t *e;
    int rv;

    if ((e = check_exclusive(s, a))) {
        return e;
    }
    set_args(s, a, v);
    rv = db_insert(s, &id, "am_insert", a->uid,
                   v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                   v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                   v[15], v[16], v[17], i64(s->pool, a->created_at),
                   i64(s->pool, a->updated_at));
    if (rv) {
        return db_err(s, rv, "am_insert");
    }
    if (id <= 0) {
        return am_err_make(s->pool, 500, "INSERT returned no id");
    }
    a->id = id;
    if ((e = add_links(s, a))) {
        return e;
    }
    return put_names(s, a);
}

am_err_t *am_store_create(am_store_t *s, am_appt_t *a)
{
    am_err_t *e;

    a->created_at = a->updated_at = now_ticks();
    a->version = 1;
    if (!a->uid && (e = new_uid(s, a))) {
        return e;
    }
    e = in_txn(s, do_create, a);
    if (e) {
        a->id = 0;
    }
    else {
        canon_links(a);
    }
    return e;
}

/* Checks that id exists, is of kind and meets if_match (may be NULL);
 * returns the stored version in *version. */
static am_err_t *check_version(am_store_t *s, apr_int64_t id, int kind,
                               const am_ifmatch_t *if_match,
                               apr_int64_t *version)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int found = 0, rv, stored_kind = 0;

    rv = db_select(s, s->pool, &res, "am_version_lock",
                          i64(s->pool, id));
    if (rv) {
        return db_err(s, rv, "am_version_lock");
    }
    while (db_next(res, &row) == 0) {
        *version = col_i64(s, row, 0);
        stored_kind = (int)col_i64(s, row, 1);
        found = 1;
    }
    if (!found || (kind != AM_KIND_ANY && stored_kind != kind)) {
        if (if_match) {
            /* If-Match (even "*") on something that is not there (any
             * more, as for the losers of concurrent deletes): the
             * precondition fails (RFC 9110, 13.1.1). */
            return am_err_make(s->pool, 412, "The appointment has been"
                               " changed since it was read (it no longer"
                               " exists).");
        }
        return am_err_make(s->pool, 404, "No appointment with id %"
                           APR_INT64_T_FMT " exists.", id);
    }
    if (!am_ifmatch_met(if_match, *version)) {
        if (if_match->nversions == 1) {
            return am_err_make(s->pool, 412, "The appointment has been"
                               " changed since it was read (version %"
                               APR_INT64_T_FMT ", not %" APR_INT64_T_FMT
                               ").", *version, if_match->versions[0]);
        }
        return am_err_make(s->pool, 412, "The appointment has been changed"
                           " since it was read (version %" APR_INT64_T_FMT
                           " is not one that If-Match names).", *version);
    }
    return NULL;
}

typedef struct am_upd {
    am_appt_t *a;
    const am_ifmatch_t *if_match;
    int clear;                  /* also remove the series' exceptions */
} am_upd_t;

/* Sets the link span of series id to cover its changed occurrences
 * (AM_LINK_SPAN), after a change of the series or of its exceptions. */
static am_err_t *fix_link_span(am_store_t *s, apr_int64_t id)
{
    const char *v = i64(s->pool, id);
    int nrows = 0;
    int rv = db_query(s, s->pool, &nrows, "am_link_span", v, v, v, v, v);

    return rv ? db_err(s, rv, "am_link_span") : NULL;
}

static am_err_t *do_update(am_store_t *s, void *baton)
{
    am_upd_t *u = baton;
    am_appt_t *a = u->a;
    const char *v[AM_NSET];
    apr_int64_t version = 0;
    am_err_t *e;
    int nrows = 0, rv;

    if ((e = check_version(s, a->id, a->kind, u->if_match, &version))
        || (e = check_exclusive(s, a))) {
        return e;
    }
    set_args(s, a, v);
    rv = db_query(s, s->pool, &nrows, "am_update",
                         v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                         v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                         v[15], v[16], v[17], i64(s->pool, a->updated_at),
                         i64(s->pool, a->id), i64(s->pool, version));
    if (rv) {
        return db_err(s, rv, "am_update");
    }
    if (nrows != 1) {
        /* Changed between our read and our write (PostgreSQL READ
         * COMMITTED); the version check decides. */
        return am_err_make(s->pool, 412, "The appointment has been changed"
                           " concurrently.");
    }
    rv = db_query(s, s->pool, &nrows, "am_link_clear", i64(s->pool, a->id));
    if (rv) {
        return db_err(s, rv, "am_link_clear");
    }
    a->version = version + 1;
    if ((e = add_links(s, a)) || (e = put_names(s, a))) {
        return e;
    }
    if (u->clear) {
        rv = db_query(s, s->pool, &nrows, "am_exc_clear", i64(s->pool, a->id));
        if (rv) {
            return db_err(s, rv, "am_exc_clear");
        }
    }
    /* The series keeps its changed occurrences (unless cleared): its
     * link span covers them again. */
    return a->rule ? fix_link_span(s, a->id) : NULL;
}

static am_err_t *update(am_store_t *s, am_appt_t *a,
                        const am_ifmatch_t *if_match,
                        int clear)
{
    am_upd_t u;
    am_err_t *e;

    if ((e = may_change(s, a->id, a->kind))) {
        return e;
    }
    u.a = a;
    u.if_match = if_match;
    u.clear = clear;
    a->updated_at = now_ticks();
    e = in_txn(s, do_update, &u);
    if (!e) {
        canon_links(a);
    }
    return e;
}

am_err_t *am_store_update(am_store_t *s, am_appt_t *a,
                          const am_ifmatch_t *if_match)
{
    return update(s, a, if_match, 0);
}

am_err_t *am_store_update_clear(am_store_t *s, am_appt_t *a,
                                const am_ifmatch_t *if_match)
{
    return update(s, a, if_match, 1);
}

typedef struct am_del {
    apr_int64_t id;
    int kind;
    const am_ifmatch_t *if_match;
} am_del_t;

static am_err_t *do_delete(am_store_t *s, void *baton)
{
    am_del_t *d = baton;
    apr_int64_t version = 0;
    am_err_t *e;
    int nrows = 0, rv;

    if ((e = check_version(s, d->id, d->kind, d->if_match, &version))) {
        return e;
    }
    rv = db_query(s, s->pool, &nrows, "am_link_clear", i64(s->pool, d->id));
    if (rv) {
        return db_err(s, rv, "am_link_clear");
    }
    rv = db_query(s, s->pool, &nrows, "am_exc_clear", i64(s->pool, d->id));
    if (rv) {
        return db_err(s, rv, "am_exc_clear");
    }
    rv = db_query(s, s->pool, &nrows, "am_delete", i64(s->pool, d->id),
                         i64(s->pool, version));
    if (rv) {
        return db_err(s, rv, "am_delete");
    }
    if (nrows != 1) {
        return am_err_make(s->pool, 412, "The appointment has been changed"
                           " concurrently.");
    }
    return NULL;
}

am_err_t *am_store_delete(am_store_t *s, apr_int64_t id, int kind,
                          const am_ifmatch_t *if_match)
{
    am_del_t d;
    am_err_t *e;

    if ((e = may_change(s, id, kind))) {
        return e;
    }
    d.id = id;
    d.kind = kind;
    d.if_match = if_match;
    return in_txn(s, do_delete, &d);
}

typedef struct am_xput {
    apr_int64_t id;
    int kind;
    am_exception_t *x;
    int clear;
    const am_ifmatch_t *if_match;
    apr_int64_t version;
} am_xput_t;

static am_err_t *do_put_exception(am_store_t *s, void *baton)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    am_xput_t *u = baton;
    am_exception_t *x = u->x;
    apr_int64_t version = 0;
    am_err_t *e;
    int nrows = 0, rv;

    if ((e = check_version(s, u->id, u->kind, u->if_match, &version))) {
        return e;
    }
    if (u->clear) {
        rv = db_query(s, s->pool, &nrows, "am_exc_clear", i64(s->pool, u->id));
        if (rv) {
            return db_err(s, rv, "am_exc_clear");
        }
    }
    if (x) {
        rv = db_query(s, s->pool, &nrows, "am_exc_put", i64(s->pool, u->id),
                             apr_itoa(s->pool, x->index),
                             apr_itoa(s->pool, x->deleted ? 1 : 0),
                             i64(s->pool, x->start), i64(s->pool, x->end),
                             x->title, x->location, x->remarks, x->ext);
        if (rv) {
            return db_err(s, rv, "am_exc_put");
        }
        rv = db_select(s, s->pool, &res, "am_exc_id",
                              i64(s->pool, u->id),
                              apr_itoa(s->pool, x->index));
        if (rv) {
            return db_err(s, rv, "am_exc_id");
        }
        while (db_next(res, &row) == 0) {
            x->id = col_i64(s, row, 0);
        }
        if (x->id <= 0) {
            return am_err_make(s->pool, 500, "The stored occurrence of"
                               " appointment %" APR_INT64_T_FMT " has no id",
                               u->id);
        }
    }
    /* The series' version changes with its exceptions (its ETag). */
    rv = db_query(s, s->pool, &nrows, "am_bump", i64(s->pool, now_ticks()),
                         i64(s->pool, u->id), i64(s->pool, version));
    if (rv) {
        return db_err(s, rv, "am_bump");
    }
    if (nrows != 1) {
        return am_err_make(s->pool, 412, "The appointment has been changed"
                           " concurrently.");
    }
    u->version = version + 1;
    return fix_link_span(s, u->id);
}

am_err_t *am_store_put_exception(am_store_t *s, apr_int64_t id, int kind,
                                 am_exception_t *x, int clear,
                                 const am_ifmatch_t *if_match,
                                 apr_int64_t *version)
{
    am_xput_t u;
    am_err_t *e;

    if ((e = may_change(s, id, kind))) {
        return e;
    }
    u.id = id;
    u.kind = kind;
    u.x = x;
    u.clear = clear;
    u.if_match = if_match;
    u.version = 0;
    e = in_txn(s, do_put_exception, &u);
    if (!e && version) {
        *version = u.version;
    }
    return e;
}

/* An exception of a series and a new appointment made from it, in one
 * transaction (am_store_put_exception_create). */
typedef struct am_xsplit {
    am_xput_t put;
    am_appt_t *a;
} am_xsplit_t;

static am_err_t *do_put_exception_create(am_store_t *s, void *baton)
{
    am_xsplit_t *u = baton;
    am_err_t *e;

    if ((e = do_put_exception(s, &u->put))) {
        return e;
    }
    return do_create(s, u->a);
}

am_err_t *am_store_put_exception_create(am_store_t *s, apr_int64_t id,
                                        int kind, am_exception_t *x,
                                        const am_ifmatch_t *if_match,
                                        apr_int64_t *version, am_appt_t *a)
{
    am_xsplit_t u;
    am_err_t *e;

    memset(&u, 0, sizeof(u));
    u.put.id = id;
    u.put.kind = kind;
    u.put.x = x;
    u.put.if_match = if_match;
    u.a = a;
    a->created_at = a->updated_at = now_ticks();
    a->version = 1;
    if (!a->uid && (e = new_uid(s, a))) {
        return e;
    }
    e = in_txn(s, do_put_exception_create, &u);
    if (e) {
        a->id = 0;
        return e;
    }
    canon_links(a);
    if (version) {
        *version = u.put.version;
    }
    return NULL;
}

am_err_t *am_store_find_exception(am_store_t *s, apr_int64_t exc_id,
                                  apr_int64_t *appt_id, int *index)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv;

    *appt_id = 0;
    rv = db_select(s, s->pool, &res, "am_exc_find",
                          i64(s->pool, exc_id));
    if (rv) {
        return db_err(s, rv, "am_exc_find");
    }
    while (db_next(res, &row) == 0) {
        *appt_id = col_i64(s, row, 0);
        *index = (int)col_i64(s, row, 1);
    }
    if (!*appt_id) {
        return am_err_make(s->pool, 404, "No occurrence with id %"
                           APR_INT64_T_FMT " exists.", exc_id);
    }
    return NULL;
}

am_err_t *am_store_dir_get(am_store_t *s, const char *kind, const char *id,
                           const char **name)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv;

    *name = NULL;
    rv = db_select(s, s->pool, &res, "am_dir_get", kind, id);
    if (rv) {
        return db_err(s, rv, "am_dir_get");
    }
    while (db_next(res, &row) == 0) {
        if (!*name) {
            *name = col_str(s, row, 0);
        }
    }
    return NULL;
}

static int by_start(const void *x, const void *y)
{
    const am_appt_t *a = *(am_appt_t *const *)x;
    const am_appt_t *b = *(am_appt_t *const *)y;

    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    return a->id < b->id ? -1 : (a->id > b->id);
}

am_err_t *am_store_list(am_store_t *s, const am_query_t *q,
                        apr_array_header_t **out)
{
    apr_array_header_t *all = apr_array_make(s->pool, 16,
                                             sizeof(am_appt_t *));
    const char *kind = apr_itoa(s->pool, q->kind);
    const char *from = i64(s->pool, q->from);
    const char *until = i64(s->pool, q->until);
    const char *lo = short_from(s->pool, q->from);
    int i, rv;

    if (!q->rel) {
        db_res_t *res = NULL;

        rv = db_select(s, s->pool, &res, "am_list", kind, kind, until,
                              from, until, from, from);
        if (rv) {
            return db_err(s, rv, "am_list");
        }
        read_rows(s, res, all);
    }
    else {
        apr_hash_t *seen = apr_hash_make(s->pool);

        for (i = 0; i < q->nrefs; i++) {
            db_res_t *res = NULL;
            apr_array_header_t *some = apr_array_make(s->pool, 16,
                                                      sizeof(am_appt_t *));
            int j;

            rv = db_select(s, s->pool, &res, "am_list_rel",
                                  q->rel, q->refs[i], lo, until, from,
                                  q->rel, q->refs[i], until, from,
                                  kind, kind, until, from, until, from,
                                  from);
            if (rv) {
                return db_err(s, rv, "am_list_rel");
            }
            read_rows(s, res, some);
            for (j = 0; j < some->nelts; j++) {
                am_appt_t *a = APR_ARRAY_IDX(some, j, am_appt_t *);
                if (!apr_hash_get(seen, &a->id, sizeof(a->id))) {
                    apr_hash_set(seen, &a->id, sizeof(a->id), a);
                    APR_ARRAY_PUSH(all, am_appt_t *) = a;
                }
            }
        }
        if (q->nrefs > 1) {
            qsort(all->elts, all->nelts, sizeof(am_appt_t *), by_start);
        }
    }
    if (s->access) {
        /* Only what the user may read (read to the end above: the check
         * may use the database connection). */
        int n = 0;

        for (i = 0; i < all->nelts; i++) {
            am_appt_t *a = APR_ARRAY_IDX(all, i, am_appt_t *);
            am_err_t *e = s->access(s->access_ctx, a, AM_ACCESS_READ);

            if (e && e->status != 404 && e->status != 403) {
                return e;
            }
            if (!e) {
                APR_ARRAY_IDX(all, n++, am_appt_t *) = a;
            }
        }
        all->nelts = n;
    }
    if (q->limit > 0 && all->nelts > q->limit) {
        all->nelts = q->limit;
    }
    for (i = 0; i < all->nelts; i++) {
        am_appt_t *a = APR_ARRAY_IDX(all, i, am_appt_t *);
        am_err_t *e;

        if (a->rule && (e = read_exceptions(s, a))) {
            return e;
        }
    }
    *out = all;
    return NULL;
}

/* ----------------------------------------------------------- sessions */

int am_session_alive(const am_session_t *x, am_time_t now)
{
    if (x->expires_at > 0 && now >= x->expires_at) {
        return 0;
    }
    return !(x->idle > 0 && now >= x->last_used + x->idle);
}

int am_session_renewable(const am_session_t *x, am_time_t now)
{
    if (!x->renew_hash) {
        return 0;
    }
    if (x->renew_expires_at > 0 && now >= x->renew_expires_at) {
        return 0;
    }
    return !(x->idle > 0 && now >= x->last_used + x->idle);
}

static am_session_t *read_session(am_store_t *s, db_row_t *row)
{
    am_session_t *x = apr_pcalloc(s->pool, sizeof(*x));

    x->id = col_i64(s, row, S_ID);
    x->kind = (int)col_i64(s, row, S_KIND);
    x->token_hash = col_str(s, row, S_TOKEN);
    x->renew_hash = col_str(s, row, S_RENEW);
    x->user = col_str(s, row, S_USER);
    x->employment = col_i64(s, row, S_EMPLOYMENT);
    x->realm = col_str(s, row, S_REALM);
    x->dialect = col_str(s, row, S_DIALECT);
    x->scope = col_str(s, row, S_SCOPE);
    x->info = col_str(s, row, S_INFO);
    x->created_at = col_i64(s, row, S_CREATED);
    x->last_used = col_i64(s, row, S_LAST_USED);
    x->expires_at = col_i64(s, row, S_EXPIRES);
    x->renew_expires_at = col_i64(s, row, S_RENEW_EXPIRES);
    x->idle = col_i64(s, row, S_IDLE);
    return x;
}

am_err_t *am_store_session_create(am_store_t *s, am_session_t *x,
                                  am_time_t now)
{
    apr_pool_t *p = s->pool;
    apr_int64_t id = 0;
    int rv;

    if (!x->token_hash || !x->user || !x->realm || !x->dialect) {
        return am_err_make(p, 500, "a session needs a token hash, a user,"
                           " a realm and a dialect");
    }
    if (!x->created_at) {
        x->created_at = now;
    }
    if (!x->last_used) {
        x->last_used = now;
    }
    /* One statement: its own implicit transaction. */
    rv = db_insert(s, &id, "am_sess_insert",
                   apr_itoa(p, x->kind), x->token_hash, x->renew_hash,
                   x->user, i64(p, x->employment), x->realm,
                   x->dialect, x->scope, x->info,
                   i64(p, x->created_at), i64(p, x->last_used),
                   i64(p, x->expires_at), i64(p, x->renew_expires_at),
                   i64(p, x->idle));
    if (rv) {
        return db_err(s, rv, "am_sess_insert");
    }
    if (id <= 0) {
        return am_err_make(p, 500, "INSERT of a session returned no id");
    }
    x->id = id;
    return NULL;
}

/* The one session of statement label whose hash column (col) is hash. */
static am_err_t *session_by(am_store_t *s, const char *label, int col,
                            const char *hash, am_session_t **out)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    int rv;

    *out = NULL;
    if (!hash) {
        return NULL;
    }
    rv = db_select(s, s->pool, &res, label, hash);
    if (rv) {
        return db_err(s, rv, label);
    }
    while (db_next(res, &row) == 0) {
        am_session_t *x = read_session(s, row);
        const char *stored = col == S_TOKEN ? x->token_hash : x->renew_hash;

        /* The index found it; the comparison that decides takes the
         * same time wherever the strings differ. */
        if (!*out && am_token_equal(stored, hash)) {
            *out = x;
        }
    }
    return NULL;
}

am_err_t *am_store_session_get(am_store_t *s, const char *token_hash,
                               am_session_t **out)
{
    return session_by(s, "am_sess_get", S_TOKEN, token_hash, out);
}

/* What session_copy of x takes (the three texts are NOT NULL columns). */
static apr_size_t session_size(const am_session_t *x)
{
    return sizeof(*x) + strlen(x->token_hash) + strlen(x->user)
           + strlen(x->realm) + 3;
}

/* A copy of session x (the columns am_sess_check reads) in pool p. */
static am_session_t *session_copy(apr_pool_t *p, const am_session_t *x)
{
    am_session_t *n = apr_pmemdup(p, x, sizeof(*x));

    n->token_hash = apr_pstrdup(p, x->token_hash);
    n->user = apr_pstrdup(p, x->user);
    n->realm = apr_pstrdup(p, x->realm);
    return n;
}

/* The session is kept in the connection's answer cache, as long as the
 * database is unchanged (a write through this connection empties it:
 * the session writes below do, as in_txn does). */
am_err_t *am_store_session_check(am_store_t *s, const char *token_hash,
                                 am_session_t **out)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    am_cache_t *c;
    const am_session_t *kept;
    int rv;

    *out = NULL;
    if (!token_hash) {
        return NULL;
    }
    c = am_store_cache_check(s) ? cache_of(s, 0) : NULL;
    if (c && (kept = apr_hash_get(c->sessions, token_hash,
                                  APR_HASH_KEY_STRING))) {
        *out = session_copy(s->pool, kept);
        return NULL;
    }
    rv = db_select(s, s->pool, &res, "am_sess_check", token_hash);
    if (rv) {
        return db_err(s, rv, "am_sess_check");
    }
    while (db_next(res, &row) == 0) {
        am_session_t *x;

        if (*out) {
            continue;
        }
        x = apr_pcalloc(s->pool, sizeof(*x));
        x->id = col_i64(s, row, 0);
        x->kind = (int)col_i64(s, row, 1);
        x->token_hash = col_str(s, row, 2);
        x->user = col_str(s, row, 3);
        x->employment = col_i64(s, row, 4);
        x->realm = col_str(s, row, 5);
        x->last_used = col_i64(s, row, 6);
        x->expires_at = col_i64(s, row, 7);
        x->idle = col_i64(s, row, 8);
        if (am_token_equal(x->token_hash, token_hash)) {
            *out = x;
        }
    }
    if (*out && c && cache_room(c, session_size(*out))) {
        kept = session_copy(c->pool, *out);
        apr_hash_set(c->sessions, kept->token_hash, APR_HASH_KEY_STRING,
                     kept);
    }
    return NULL;
}

/* A session statement that writes (label with its parameters): the
 * rows it changed in *nrows; the connection's cache is emptied. */
static int sess_write(am_store_t *s, int *nrows, const char *label, ...)
{
    va_list ap;
    int rv;

    va_start(ap, label);
    rv = db_run(s, s->pool, label, NULL, nrows, ap);
    va_end(ap);
    cache_flush(s);
    return rv;
}

am_err_t *am_store_session_get_renew(am_store_t *s, const char *renew_hash,
                                     am_session_t **out)
{
    return session_by(s, "am_sess_get_renew", S_RENEW, renew_hash, out);
}

am_err_t *am_store_session_touch(am_store_t *s, apr_int64_t id,
                                 am_time_t now, am_time_t granularity)
{
    int nrows = 0, rv;

    rv = sess_write(s, &nrows, "am_sess_touch", i64(s->pool, now),
                    i64(s->pool, id),
                    i64(s->pool, now - (granularity > 0 ? granularity : 0)));
    return rv ? db_err(s, rv, "am_sess_touch") : NULL;
}

am_err_t *am_store_session_renew(am_store_t *s, apr_int64_t id,
                                 const char *old_renew_hash,
                                 const am_session_t *x, am_time_t now,
                                 int *done)
{
    apr_pool_t *p = s->pool;
    int nrows = 0, rv;

    *done = 0;
    if (!old_renew_hash || !x->token_hash) {
        return NULL;
    }
    rv = sess_write(s, &nrows, "am_sess_renew", x->token_hash,
                    x->renew_hash, i64(p, x->expires_at),
                    i64(p, x->renew_expires_at), i64(p, now),
                    i64(p, id), old_renew_hash);
    if (rv) {
        return db_err(s, rv, "am_sess_renew");
    }
    *done = nrows == 1;
    return NULL;
}

am_err_t *am_store_session_delete(am_store_t *s, apr_int64_t id, int *done)
{
    int nrows = 0, rv;

    rv = sess_write(s, &nrows, "am_sess_delete", i64(s->pool, id));
    if (rv) {
        return db_err(s, rv, "am_sess_delete");
    }
    if (done) {
        *done = nrows > 0;
    }
    return NULL;
}

am_err_t *am_store_session_list(am_store_t *s, const am_session_filter_t *f,
                                apr_array_header_t **out)
{
    db_res_t *res = NULL;
    db_row_t *row = NULL;
    const char *kind = apr_itoa(s->pool, f->kind);
    int rv;

    *out = apr_array_make(s->pool, 4, sizeof(am_session_t *));
    if (!f->user) {
        return am_err_make(s->pool, 500, "a session filter needs a user");
    }
    rv = db_select(s, s->pool, &res, "am_sess_list", f->user, kind,
                          kind, f->realm, f->realm, f->scope, f->scope);
    if (rv) {
        return db_err(s, rv, "am_sess_list");
    }
    while (db_next(res, &row) == 0) {
        APR_ARRAY_PUSH(*out, am_session_t *) = read_session(s, row);
    }
    return NULL;
}

am_err_t *am_store_session_delete_where(am_store_t *s,
                                        const am_session_filter_t *f,
                                        int *n)
{
    const char *kind = apr_itoa(s->pool, f->kind);
    int nrows = 0, rv;

    if (!f->user) {
        return am_err_make(s->pool, 500, "a session filter needs a user");
    }
    rv = sess_write(s, &nrows, "am_sess_delete_where", f->user, kind,
                    kind, f->realm, f->realm, f->scope, f->scope);
    if (rv) {
        return db_err(s, rv, "am_sess_delete_where");
    }
    if (n) {
        *n = nrows;
    }
    return NULL;
}

am_err_t *am_store_session_purge(am_store_t *s, am_time_t now, int *n)
{
    const char *t = i64(s->pool, now);
    int nrows = 0, rv;

    rv = sess_write(s, &nrows, "am_sess_purge", t, t, t);
    if (rv) {
        return db_err(s, rv, "am_sess_purge");
    }
    if (n) {
        *n = nrows;
    }
    return NULL;
}

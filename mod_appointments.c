/* Licensed under the Apache License, Version 2.0.
 *
 * mod_appointments.c: the httpd side of mod_appointments.
 *
 * This file is glue: configuration directives, hooks and the handler that
 * turns a request into a call of the core (src/) and the result back into
 * a response.  The core knows nothing of request_rec.
 *
 *   header_parser  resolves the route once (before authn/authz); the
 *                  appointments-permission authz provider (glue/authz.c)
 *                  and the handler both use it
 *   handler        negotiates, reads and decodes the body, acquires the
 *                  database connection, runs the route's handler and
 *                  renders the result or the error in the dialect's shape;
 *                  If-Match goes to the store (am_ifmatch_t), conditional
 *                  GETs (If-Match, If-None-Match) are answered here
 *   insert_error_filter  errors that httpd answers itself (401 and 403
 *                  from authn and authz, 413 and 400 from the body filter)
 *                  get the dialect's error body, in the negotiated format,
 *                  through the APPOINTMENTS_ERROR filter
 *   check_config   every route of every dialect names a known function
 *   dbd post_connect  pragmas, schema migration and prepared statements
 *                  on every new database connection
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"
#include "apr_lib.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "am.h"
#include "codec.h"
#include "codec_ical.h"
#include "datetime.h"
#include "fields.h"
#include "form.h"
#include "negotiate.h"
#include "perm.h"
#include "route.h"
#include "store.h"
#include "glue.h"

module AP_MODULE_DECLARE_DATA appointments_module;

#define AM_HANDLER            "appointments"
#define AM_DEFAULT_MAX_BODY   (1024 * 1024)
#define AM_LIMIT_MAX_BODY     ((apr_off_t)1024 * 1024 * 1024)
#define AM_DEFAULT_MAX_OCC    5000
#define AM_ERROR_FILTER       "APPOINTMENTS_ERROR"
#define AM_DENIED_MESSAGE     "Authorization has been denied for this" \
                              " request."

typedef struct am_dir_conf {
    const am_dialect_t *dialect;
    const char *base;           /* the <Location> AppointmentsApi is in */
    const am_tz_t *tz;          /* NULL = the system's */
    apr_off_t max_body;         /* 0 = unset */
    int max_occurrences;        /* 0 = unset */
    int default_duration;       /* minutes; 0 = unset */
    int prevent_double_booking; /* with prevent_double_booking_set */
    int prevent_double_booking_set;
    am_identity_conf_t ident;   /* NULL members = unset */
} am_dir_conf_t;

typedef struct am_srv_conf {
    int used;                   /* AppointmentsApi appears in this server */
} am_srv_conf_t;

/* The route of a request, resolved once in header_parser. */
typedef struct am_req_conf {
    const am_route_t *route;
    am_err_t *err;              /* 404/405/400 from routing */
    apr_table_t *params;
    const char *path;
} am_req_conf_t;

/* Set at start-up, read-only afterwards. */
static ap_dbd_t *(*am_dbd_acquire)(request_rec *) = NULL;
static const am_tz_t *am_system_tz = NULL;

/* ------------------------------------------------------ configuration */

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(am_dir_conf_t));
}

static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    am_dir_conf_t *base = basev, *add = addv;
    am_dir_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->dialect = add->dialect ? add->dialect : base->dialect;
    c->base = add->dialect ? add->base : base->base;
    c->tz = add->tz ? add->tz : base->tz;
    c->max_body = add->max_body ? add->max_body : base->max_body;
    c->max_occurrences = add->max_occurrences ? add->max_occurrences
                                              : base->max_occurrences;
    c->default_duration = add->default_duration ? add->default_duration
                                                : base->default_duration;
    c->prevent_double_booking = add->prevent_double_booking_set
                                ? add->prevent_double_booking
                                : base->prevent_double_booking;
    c->prevent_double_booking_set = add->prevent_double_booking_set
                                    || base->prevent_double_booking_set;
    c->ident.usermap = add->ident.usermap ? add->ident.usermap
                                          : base->ident.usermap;
    c->ident.employee_var = add->ident.employee_var
                            ? add->ident.employee_var
                            : base->ident.employee_var;
    c->ident.name_var = add->ident.name_var ? add->ident.name_var
                                            : base->ident.name_var;
    return c;
}

static void *create_srv_conf(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(am_srv_conf_t));
}

static void *merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    am_srv_conf_t *base = basev, *add = addv;
    am_srv_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->used = base->used || add->used;
    return c;
}

static const char *set_api(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_dir_conf_t *c = dconf;
    am_srv_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                             &appointments_module);

    c->dialect = am_dialect_find(arg);
    if (!c->dialect) {
        return apr_psprintf(cmd->pool, "AppointmentsApi: unknown API '%s';"
                            " use one of: %s", arg,
                            am_dialect_names(cmd->pool));
    }
    c->base = cmd->path ? cmd->path : "/";
    sc->used = 1;
    return NULL;
}

static const char *set_tz(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_dir_conf_t *c = dconf;

    c->tz = am_tz_get(arg);
    if (!c->tz) {
        return apr_psprintf(cmd->pool, "AppointmentsTimeZone: unknown time"
                            " zone '%s' (use an IANA name such as"
                            " Europe/Amsterdam or UTC)", arg);
    }
    return NULL;
}

static const char *set_max_body(cmd_parms *cmd, void *dconf,
                                const char *arg)
{
    am_dir_conf_t *c = dconf;
    char *end = NULL;
    apr_off_t v;

    if (apr_strtoff(&v, arg, &end, 10) != APR_SUCCESS || *end
        || v < 1 || v > AM_LIMIT_MAX_BODY) {
        return "AppointmentsMaxBody: a number of bytes from 1 to 1073741824";
    }
    c->max_body = v;
    return NULL;
}

static const char *set_max_occ(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_dir_conf_t *c = dconf;
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (!*arg || *end || v < 1 || v > 1000000) {
        return "AppointmentsMaxOccurrences: a number from 1 to 1000000";
    }
    c->max_occurrences = (int)v;
    return NULL;
}

static const char *set_usermap(cmd_parms *cmd, void *dconf,
                               const char *arg)
{
    am_dir_conf_t *c = dconf;
    const char *path = ap_server_root_relative(cmd->pool, arg);
    const char *err;

    if (!path) {
        return apr_psprintf(cmd->pool, "AppointmentsUserMap: invalid file"
                            " path '%s'", arg);
    }
    if ((err = am_usermap_read(cmd->pool, path, &c->ident.usermap))) {
        return apr_psprintf(cmd->pool, "AppointmentsUserMap: %s", err);
    }
    return NULL;
}

/* AppointmentsEmployeeIdVar and AppointmentsDisplayNameVar: the name of
 * an environment variable (letters, digits, '_', '-', '.'). */
static const char *set_ident_var(cmd_parms *cmd, void *dconf,
                                 const char *arg)
{
    am_dir_conf_t *c = dconf;
    const char *v;

    for (v = arg; *v; v++) {
        if (!apr_isalnum(*v) && *v != '_' && *v != '-' && *v != '.') {
            break;
        }
    }
    if (!*arg || *v) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not the name of an"
                            " environment variable (such as"
                            " OIDC_CLAIM_employee_id)", cmd->cmd->name, arg);
    }
    if (cmd->info) {
        c->ident.name_var = arg;
    }
    else {
        c->ident.employee_var = arg;
    }
    return NULL;
}

static const char *set_default_duration(cmd_parms *cmd, void *dconf,
                                        const char *arg)
{
    am_dir_conf_t *c = dconf;
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (!*arg || *end || v < 1 || v > 1440) {
        return "AppointmentsDefaultDuration: a number of minutes from 1 to"
               " 1440";
    }
    c->default_duration = (int)v;
    return NULL;
}

static const char *set_prevent_double_booking(cmd_parms *cmd, void *dconf,
                                              int flag)
{
    am_dir_conf_t *c = dconf;

    c->prevent_double_booking = flag;
    c->prevent_double_booking_set = 1;
    return NULL;
}

static const command_rec am_cmds[] = {
    AP_INIT_TAKE1("AppointmentsApi", set_api, NULL, ACCESS_CONF,
                  "The appointment API served here: plancare2, patient or"
                  " xelion"),
    AP_INIT_TAKE1("AppointmentsTimeZone", set_tz, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "IANA time zone for date-times on the wire (default: the"
                  " system's)"),
    AP_INIT_TAKE1("AppointmentsMaxBody", set_max_body, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Largest request body in bytes (default 1048576)"),
    AP_INIT_TAKE1("AppointmentsMaxOccurrences", set_max_occ, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Most occurrences one request may expand (default 5000)"),
    AP_INIT_TAKE1("AppointmentsDefaultDuration", set_default_duration, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Minutes an appointment lasts when its request gives no"
                  " end (default 30)"),
    AP_INIT_FLAG("AppointmentsPreventDoubleBooking",
                 set_prevent_double_booking, NULL, RSRC_CONF | ACCESS_CONF,
                 "On: a provider cannot get two overlapping appointments"
                 " that are not cancelled (default Off)"),
    AP_INIT_TAKE1("AppointmentsUserMap", set_usermap, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "A file mapping user names to employees: 'user"
                  " employee-id [display name]' a line"),
    AP_INIT_TAKE1("AppointmentsEmployeeIdVar", set_ident_var, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Environment variable with the user's employee id, set"
                  " by the authentication module"),
    AP_INIT_TAKE1("AppointmentsDisplayNameVar", set_ident_var, (void *)1,
                  RSRC_CONF | ACCESS_CONF,
                  "Environment variable with the user's display name, set"
                  " by the authentication module"),
    { NULL }
};

/* ----------------------------------------------------------- routing */

/* The request's path below the mount point. */
static const char *mount_path(request_rec *r, const am_dir_conf_t *c)
{
    const char *uri = r->uri;
    apr_size_t n = strlen(c->base);

    while (n > 0 && c->base[n - 1] == '/') {
        n--;
    }
    if (!strncmp(uri, c->base, n) && (uri[n] == '/' || uri[n] == '\0')) {
        uri += n;
    }
    while (*uri == '/') {
        uri++;
    }
    return uri;
}

/* The absolute URL of the mount point, without a trailing '/', for
 * links in answers (am_req_t.base_url). */
static const char *mount_url(request_rec *r, const am_dir_conf_t *c)
{
    apr_size_t n = strlen(c->base);

    while (n > 0 && c->base[n - 1] == '/') {
        n--;
    }
    return ap_construct_url(r->pool, apr_pstrmemdup(r->pool, c->base, n),
                            r);
}

static am_req_conf_t *resolve(request_rec *r, const am_dir_conf_t *c)
{
    am_req_conf_t *rc = ap_get_module_config(r->request_config,
                                             &appointments_module);

    if (!rc) {
        rc = apr_pcalloc(r->pool, sizeof(*rc));
        rc->params = apr_table_make(r->pool, 4);
        rc->path = mount_path(r, c);
        rc->err = am_route_match(r->pool, c->dialect, r->method, rc->path,
                                 &rc->route, rc->params);
        ap_set_module_config(r->request_config, &appointments_module, rc);
    }
    return rc;
}

const am_dialect_t *am_glue_dialect(request_rec *r)
{
    am_dir_conf_t *c = ap_get_module_config(r->per_dir_config,
                                            &appointments_module);

    return (c && c->dialect) ? c->dialect : NULL;
}

const am_route_t *am_glue_route(request_rec *r)
{
    am_dir_conf_t *c = ap_get_module_config(r->per_dir_config,
                                            &appointments_module);

    if (!c || !c->dialect) {
        return NULL;
    }
    return resolve(r, c)->route;
}

/* Runs after the per-directory configuration is merged and before
 * authentication and authorization: the route is known to both. */
static int am_header_parser(request_rec *r)
{
    am_dir_conf_t *c = ap_get_module_config(r->per_dir_config,
                                            &appointments_module);

    if (c && c->dialect) {
        resolve(r, c);
    }
    return DECLINED;
}

/* ---------------------------------------------------------- responses */

static const char *fmt_ctype(am_fmt_e fmt, const char *ctype)
{
    if (ctype) {
        return ctype;
    }
    return (fmt == AM_FMT_XML) ? "application/xml" : "application/json";
}

static int send_body(request_rec *r, int status, const char *ctype,
                const char *body, apr_size_t len)
{
    r->status = status;
    if (body) {
        ap_set_content_type(r, apr_pstrcat(r->pool, ctype,
                                           "; charset=utf-8", NULL));
        ap_set_content_length(r, (apr_off_t)len);
        if (!r->header_only) {
            ap_rwrite(body, (int)len, r);
        }
    }
    else {
        ap_set_content_length(r, 0);
    }
    return OK;
}

/* s as it may stand in a response body: itself when it is UTF-8 without
 * control characters, else %-escaped (request paths and header values
 * can hold any bytes; JSON and XML bodies cannot). */
static const char *clean_text(apr_pool_t *p, const char *s)
{
    const char *c;

    if (am_utf8_valid(s, strlen(s))) {
        for (c = s; *c && !apr_iscntrl(*c); c++) {
        }
        if (!*c) {
            return s;
        }
    }
    return ap_escape_uri(p, s);
}

/* The body of e in the dialect's error shape: in XML when fmt is XML,
 * else in JSON.  *ctype is the negotiated media type (may be NULL) and
 * becomes the one of the body. */
static char *error_body(request_rec *r, const am_dir_conf_t *c,
                        const am_err_t *e, am_fmt_e fmt, const char **ctype,
                        apr_size_t *len)
{
    if (fmt != AM_FMT_XML) {
        fmt = AM_FMT_JSON;
        *ctype = (*ctype && strstr(*ctype, "json")) ? *ctype
                                                    : "application/json";
    }
    else if (!*ctype) {
        *ctype = "application/xml";
    }
    return c->dialect->error_body(r->pool, c->dialect, e, fmt, r->method,
                                  clean_text(r->pool, r->uri), len);
}

static int send_error(request_rec *r, const am_dir_conf_t *c,
                      am_err_t *e, am_fmt_e fmt, const char *ctype)
{
    apr_size_t len = 0;
    char *body;

    if (e->status >= 500 && e->status != 503) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, APLOGNO(10901)
                      "%s %s: %s", r->method, r->uri, e->message);
        e->message = "An error has occurred.";
        e->fields = NULL;
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, APLOGNO(10902)
                      "%s %s: %d %s", r->method, r->uri, e->status,
                      e->message);
    }
    if (e->allow) {
        apr_table_setn(r->headers_out, "Allow", e->allow);
    }
    if (e->retry_after > 0) {
        apr_table_setn(r->headers_out, "Retry-After",
                       apr_itoa(r->pool, e->retry_after));
    }
    /* The body's format follows Accept, as a 200's does. */
    apr_table_mergen(r->headers_out, "Vary", "Accept");
    body = error_body(r, c, e, fmt, &ctype, &len);
    return send_body(r, e->status, ctype, body, len);
}

/* The message of an error that httpd answers itself. */
static const char *httpd_error_message(int status)
{
    const char *line;

    switch (status) {
    case HTTP_UNAUTHORIZED:
    case HTTP_FORBIDDEN:
        return AM_DENIED_MESSAGE;
    case HTTP_BAD_REQUEST:
        return "The request could not be read.";
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return "The request body is too large.";
    }
    if (status >= 500) {
        return "An error has occurred.";
    }
    /* "408 Request Timeout": the reason phrase. */
    line = ap_get_status_line(status);
    return (line && strlen(line) > 4) ? line + 4 : "The request failed.";
}

/* Errors that httpd answers itself, through ap_die: 401 and 403 from
 * authentication and authorization before the handler runs, 413 and 400
 * from the request body filter (LimitRequestBody, bad chunks) while the
 * handler reads the body; ap_send_error_response would write its HTML
 * page.  For a location served by the module this filter (inserted by
 * insert_error_filter) replaces that page with the dialect's error body
 * in the format Accept asks for.  The headers of the error response,
 * WWW-Authenticate among them, are left as they are. */
static apr_status_t am_error_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    apr_bucket *b, *next;
    apr_bucket *body = f->ctx;

    if (!body) {
        am_dir_conf_t *c = ap_get_module_config(r->per_dir_config,
                                                &appointments_module);
        const char *ctype = NULL;
        am_fmt_e fmt = am_negotiate_accept(apr_table_get(r->headers_in,
                                                         "Accept"),
                                           AM_FMT_JSON | AM_FMT_XML,
                                           &ctype);
        am_err_t *e = am_err_make(r->pool, r->status, "%s",
                                  httpd_error_message(r->status));
        apr_size_t len = 0;
        char *text = error_body(r, c, e, fmt, &ctype, &len);

        ap_set_content_type(r, apr_pstrcat(r->pool, ctype,
                                           "; charset=utf-8", NULL));
        ap_set_content_length(r, (apr_off_t)len);
        apr_table_mergen(r->headers_out, "Vary", "Accept");
        body = apr_bucket_pool_create(text, len, r->pool,
                                      f->c->bucket_alloc);
        f->ctx = body;
    }
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb); b = next) {
        next = APR_BUCKET_NEXT(b);
        if (APR_BUCKET_IS_EOS(b)) {
            if (!r->header_only) {
                APR_BUCKET_INSERT_BEFORE(b, body);
            }
            else {
                apr_bucket_destroy(body);
            }
            ap_remove_output_filter(f);
            break;
        }
        if (!APR_BUCKET_IS_METADATA(b)) {
            apr_bucket_delete(b);
        }
    }
    return ap_pass_brigade(f->next, bb);
}

static void am_insert_error_filter(request_rec *r)
{
    if (ap_is_HTTP_ERROR(r->status) && am_glue_dialect(r)) {
        ap_add_output_filter(AM_ERROR_FILTER, NULL, r, r->connection);
    }
}

/* "v<version>-json" style strong ETag. */
static const char *etag_of(request_rec *r, apr_int64_t version,
                           am_fmt_e fmt)
{
    return apr_psprintf(r->pool, "\"v%" APR_INT64_T_FMT "-%s\"", version,
                        fmt == AM_FMT_XML ? "xml"
                        : fmt == AM_FMT_ICAL ? "ics" : "json");
}

/* ------------------------------------------------------ preconditions */

/* One entity-tag of an If-Match or If-None-Match list (RFC 9110, 8.8.3):
 * the opaque tag between the quotes, and whether it is weak (W/). */
typedef struct am_etag {
    const char *tag;
    apr_size_t len;
    int weak;
} am_etag_t;

/* Parses a conditional header: "*" (*star set, no tags) or a list of
 * entity-tags into *tags (am_etag_t; empty elements and whitespace
 * allowed, as in any list).  Returns 0, or -1 when h is neither. */
static int etag_list(apr_pool_t *p, const char *h, int *star,
                     apr_array_header_t **tags)
{
    *star = 0;
    *tags = apr_array_make(p, 2, sizeof(am_etag_t));
    for (;;) {
        am_etag_t *t;
        const char *q;

        while (*h == ' ' || *h == '\t' || *h == ',') {
            h++;
        }
        if (!*h) {
            break;
        }
        if (*h == '*') {
            /* "*" stands alone (13.1.1, 13.1.2). */
            for (q = h + 1; *q == ' ' || *q == '\t'; q++) {
            }
            if (*q || (*tags)->nelts) {
                return -1;
            }
            *star = 1;
            return 0;
        }
        t = apr_array_push(*tags);
        t->weak = 0;
        if (h[0] == 'W' && h[1] == '/') {
            t->weak = 1;
            h += 2;
        }
        if (*h != '"' || !(q = strchr(h + 1, '"'))) {
            return -1;
        }
        t->tag = h + 1;
        t->len = (apr_size_t)(q - t->tag);
        for (h = q + 1; *h == ' ' || *h == '\t'; h++) {
        }
        if (*h && *h != ',') {
            return -1;
        }
    }
    return (*tags)->nelts ? 0 : -1;
}

/* The version an opaque tag of ours names ("v12-json": 12, as etag_of
 * makes them, in any of the formats), or 0. */
static apr_int64_t etag_version(const char *tag, apr_size_t len)
{
    apr_int64_t v = 0;
    apr_size_t i;
    const char *rest;
    apr_size_t rlen;

    if (len < 2 || tag[0] != 'v' || tag[1] < '1' || tag[1] > '9') {
        return 0;
    }
    for (i = 1; i < len && apr_isdigit(tag[i]); i++) {
        if (v > (APR_INT64_MAX - 9) / 10) {
            return 0;
        }
        v = v * 10 + (tag[i] - '0');
    }
    rest = tag + i;
    rlen = len - i;
    if ((rlen == 5 && !memcmp(rest, "-json", 5))
        || (rlen == 4 && (!memcmp(rest, "-xml", 4)
                          || !memcmp(rest, "-ics", 4)))) {
        return v;
    }
    return 0;
}

/* Whether r's conditional headers are to be evaluated: not for a
 * subrequest (they are the main request's, about another resource), nor
 * where httpd says no 304 may be made (no_local_copy). */
static int conditional(request_rec *r)
{
    return !r->main && !r->no_local_copy;
}

/* The If-Match precondition of r for the store (store.h), NULL when r
 * has none.  "*" is met by any version (the appointment must exist); a
 * list by the versions its strong entity-tags name (W/ tags never match
 * with If-Match, RFC 9110, 13.1.1); a header that is neither names
 * nothing and is never met.  Every format's tag of a version names it. */
static const am_ifmatch_t *if_match_of(request_rec *r)
{
    const char *h = apr_table_get(r->headers_in, "If-Match");
    am_ifmatch_t *c;
    apr_array_header_t *tags;
    apr_int64_t *vs;
    int star, i;

    if (!h || !conditional(r)) {
        return NULL;
    }
    c = apr_pcalloc(r->pool, sizeof(*c));
    if (etag_list(r->pool, h, &star, &tags) != 0) {
        return c;
    }
    if (star) {
        c->any = 1;
        return c;
    }
    vs = apr_palloc(r->pool, sizeof(*vs) * (apr_size_t)tags->nelts);
    for (i = 0; i < tags->nelts; i++) {
        const am_etag_t *t = &APR_ARRAY_IDX(tags, i, am_etag_t);
        apr_int64_t v = t->weak ? 0 : etag_version(t->tag, t->len);

        if (v > 0) {
            vs[c->nversions++] = v;
        }
    }
    c->versions = vs;
    return c;
}

/* Whether If-None-Match of r is false for the representation whose
 * strong ETag is etag (quoted): "*", or a list that holds etag by weak
 * comparison (W/"x" matches "x"; RFC 9110, 13.1.2).  A header that is
 * neither is ignored. */
static int if_none_match_hit(request_rec *r, const char *etag)
{
    const char *h = apr_table_get(r->headers_in, "If-None-Match");
    apr_size_t elen = strlen(etag) - 2;
    apr_array_header_t *tags;
    int star, i;

    if (!h || !conditional(r)
        || etag_list(r->pool, h, &star, &tags) != 0) {
        return 0;
    }
    if (star) {
        return 1;
    }
    for (i = 0; i < tags->nelts; i++) {
        const am_etag_t *t = &APR_ARRAY_IDX(tags, i, am_etag_t);

        if (t->len == elen && !memcmp(t->tag, etag + 1, elen)) {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------- bodies */

static am_err_t *read_body(request_rec *r, apr_off_t max, char **buf,
                           apr_size_t *len)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_bucket_brigade *bb, *acc;
    apr_off_t total = 0, n;
    int seen_eos = 0;
    apr_status_t rv;

    if (cl) {
        char *end = NULL;
        if (apr_strtoff(&n, cl, &end, 10) == APR_SUCCESS && n > max) {
            return am_err_make(r->pool, 413, "The request body is larger"
                               " than %" APR_OFF_T_FMT " bytes.", max);
        }
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    acc = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    do {
        apr_bucket *b;

        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            /* AP_FILTER_ERROR: an input filter has answered already
             * (LimitRequestBody, a bad chunk); the handler passes it on
             * (the error filter gives that answer the dialect's shape). */
            int status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
            return am_err_make(r->pool, status, status == 413
                               ? "The request body is too large."
                               : "The request body could not be read.");
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            const char *data;
            apr_size_t dlen;

            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            if (apr_bucket_read(b, &data, &dlen, APR_BLOCK_READ)
                != APR_SUCCESS) {
                return am_err_make(r->pool, 400, "The request body could"
                                   " not be read.");
            }
            total += (apr_off_t)dlen;
            if (total > max) {
                return am_err_make(r->pool, 413, "The request body is"
                                   " larger than %" APR_OFF_T_FMT " bytes.",
                                   max);
            }
            apr_brigade_write(acc, NULL, NULL, data, dlen);
        }
        apr_brigade_cleanup(bb);
    } while (!seen_eos);

    rv = apr_brigade_pflatten(acc, buf, len, r->pool);
    if (rv != APR_SUCCESS) {
        return am_err_make(r->pool, 500, "flattening the body failed");
    }
    return NULL;
}

static am_err_t *decode_body(request_rec *r, const am_dir_conf_t *c,
                             const am_route_t *route, const am_tz_t *tz,
                             am_obj_t **out)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    am_fmt_e fmt = am_negotiate_ctype(ct, c->dialect->body_formats);
    apr_off_t max = c->max_body ? c->max_body : AM_DEFAULT_MAX_BODY;
    char *buf = NULL;
    apr_size_t len = 0;
    am_err_t *e;

    if (fmt == AM_FMT_NONE) {
        return am_err_make(r->pool, 415, "The request entity's media type"
                           " '%s' is not supported for this resource.",
                           ct ? clean_text(r->pool, ct) : "(none)");
    }
    if ((e = read_body(r, max, &buf, &len))) {
        return e;
    }
    if (len == 0) {
        e = am_err_invalid(r->pool);
        am_err_field(r->pool, e, "", "The request body is empty.");
        e->why = AM_WHY_EMPTY_BODY;
        return e;
    }
    if (fmt == AM_FMT_XML) {
        return am_xml_decode(r->pool, route->in, buf, len, tz, 0, out);
    }
    if (fmt == AM_FMT_JSON) {
        return am_json_decode(r->pool, route->in, buf, len, tz, 0, out);
    }
    if (fmt == AM_FMT_FORM) {
        return am_form_decode(r->pool, route->in, buf, len, tz, 0, out);
    }
    return am_err_make(r->pool, 415, "This resource does not accept form"
                       " bodies.");
}

/* ------------------------------------------------------------ handler */

/* The store on this request's connection; prepares the statements when
 * the connection's post_connect did not manage to. */
static am_err_t *open_store(request_rec *r, am_store_t *s)
{
    ap_dbd_t *dbd = am_dbd_acquire ? am_dbd_acquire(r) : NULL;
    am_err_t *e;

    if (!dbd) {
        e = am_err_make(r->pool, 503, "The database is not available.");
        e->retry_after = 5;
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, APLOGNO(10903)
                      "no database connection (check the DBD directives"
                      " and the error log of mod_dbd)");
        return e;
    }
    if (!apr_hash_get(dbd->prepared, "am_get", APR_HASH_KEY_STRING)) {
        e = am_store_connect(dbd->pool, dbd->driver, dbd->handle,
                             dbd->prepared);
        if (e) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, APLOGNO(10904)
                          "database set-up failed: %s", e->message);
            e = am_err_make(r->pool, 503, "The database is not ready.");
            e->retry_after = 5;
            return e;
        }
    }
    memset(s, 0, sizeof(*s));
    s->pool = r->pool;
    s->driver = dbd->driver;
    s->handle = dbd->handle;
    s->prepared = dbd->prepared;
    s->conn_pool = dbd->pool;
    return NULL;
}

/* The key of r's answer in the connection's answer cache (store.h): what
 * a GET's answer is made of besides the database.  The server and the
 * path give the configuration (static after start-up); the query, the
 * negotiated format, the host the links are built from and who asks
 * (the user and the identity the module derives) the rest.  NULL when r
 * is not a GET answered from the cache: a subrequest, or one with a
 * body. */
static const char *cache_key(request_rec *r, am_fmt_e fmt,
                             const char *ctype, const am_req_t *rq)
{
    if (r->method_number != M_GET || r->main || rq->route->in) {
        return NULL;
    }
    return apr_psprintf(r->pool, "%pp|%s|%s|%d|%s|%s|%s|%u|%s|%"
                        APR_INT64_T_FMT "|%s", (void *)r->server, r->uri,
                        r->args ? r->args : "", (int)fmt,
                        ctype ? ctype : "", ap_http_scheme(r),
                        ap_get_server_name_for_url(r),
                        ap_get_server_port(r), r->user ? r->user : "",
                        rq->employee_id,
                        rq->display_name ? rq->display_name : "");
}

static int am_handler(request_rec *r)
{
    am_dir_conf_t *c;
    am_req_conf_t *rc;
    am_req_t rq;
    am_store_t store;
    am_err_t *e;
    am_fmt_e fmt;
    const char *ctype = NULL;
    const am_tz_t *tz;
    const char *etag = NULL;
    const char *key = NULL;
    const am_cached_t *cached = NULL;
    char *body = NULL;
    apr_size_t len = 0;

    if (!r->handler || strcmp(r->handler, AM_HANDLER)) {
        return DECLINED;
    }
    c = ap_get_module_config(r->per_dir_config, &appointments_module);
    if (!c || !c->dialect) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, APLOGNO(10905)
                      "SetHandler appointments without AppointmentsApi"
                      " for %s", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    tz = c->tz ? c->tz : am_system_tz;
    rc = resolve(r, c);

    /* What a GET returns can also be had as iCalendar, where the route
     * gives appointments (checked after the handler ran). */
    fmt = am_negotiate_accept(apr_table_get(r->headers_in, "Accept"),
                              AM_FMT_JSON | AM_FMT_XML
                              | (r->method_number == M_GET ? AM_FMT_ICAL
                                                           : 0), &ctype);
    if (rc->err) {
        return send_error(r, c, rc->err, fmt, ctype);
    }
    if (fmt == AM_FMT_NONE) {
        e = am_err_make(r->pool, 406, "None of the media types in Accept"
                        " can be produced; use application/json or"
                        " application/xml.");
        return send_error(r, c, e, AM_FMT_JSON, NULL);
    }

    memset(&rq, 0, sizeof(rq));
    rq.pool = r->pool;
    rq.dialect = c->dialect;
    rq.route = rc->route;
    rq.method = r->method;
    rq.path = rc->path;
    rq.base_url = mount_url(r, c);
    rq.params = rc->params;
    rq.tz = tz;
    rq.user = r->user;
    am_identity_of(r, &c->ident, &rq.employee_id, &rq.display_name);
    rq.status = HTTP_OK;
    rq.max_occurrences = c->max_occurrences ? c->max_occurrences
                                            : AM_DEFAULT_MAX_OCC;
    rq.default_duration_min = c->default_duration;
    rq.prevent_double_booking = c->prevent_double_booking;
    rq.if_match = if_match_of(r);

    if ((e = am_query_parse(r->pool, r->args, &rq.query))) {
        return send_error(r, c, e, fmt, ctype);
    }
    if (rc->route->in) {
        if ((e = decode_body(r, c, rc->route, tz, &rq.body))) {
            if (e->status == AP_FILTER_ERROR) {
                return AP_FILTER_ERROR;
            }
            return send_error(r, c, e, fmt, ctype);
        }
    }
    else {
        int drc = ap_discard_request_body(r);
        if (drc == AP_FILTER_ERROR) {
            return AP_FILTER_ERROR;
        }
        if (drc != OK) {
            e = am_err_make(r->pool, drc, "The request body could not be"
                            " read.");
            return send_error(r, c, e, fmt, ctype);
        }
    }
    if ((e = open_store(r, &store))) {
        return send_error(r, c, e, fmt, ctype);
    }
    rq.store = &store;

    /* A GET of one appointment answered before, while the database has
     * not changed: its answer as it was rendered (store.h). */
    key = cache_key(r, fmt, ctype, &rq);
    if (key && am_store_cache_check(&store)
        && (cached = am_store_cache_get(&store, key))) {
        rq.etag = cached->version;
    }
    else if ((e = rc->route->handler(&rq))) {
        if (e->status == HTTP_NOT_FOUND && rq.if_match
            && r->method_number != M_GET) {
            /* If-Match (even "*") on a change of something that does not
             * exist: the precondition fails (RFC 9110, 13.1.1), wherever
             * the handler found it missing. */
            e = am_err_make(r->pool, HTTP_PRECONDITION_FAILED, "The"
                            " appointment has been changed since it was"
                            " read (it no longer exists).");
        }
        return send_error(r, c, e, fmt, ctype);
    }
    if (fmt == AM_FMT_ICAL && !rq.out_appts && !cached) {
        e = am_err_make(r->pool, 406, "This resource has no text/calendar"
                        " form; use application/json or application/xml.");
        return send_error(r, c, e, AM_FMT_JSON, NULL);
    }

    if (rq.etag > 0) {
        etag = etag_of(r, rq.etag, fmt);
    }
    /* A GET (or HEAD) of one appointment: its preconditions are answered
     * here, now that the handler found the current version; If-Match
     * first, then If-None-Match (RFC 9110, 13.2.2).  Changes had their
     * If-Match checked by the store. */
    if (etag && r->method_number == M_GET) {
        if (!am_ifmatch_met(rq.if_match, rq.etag)) {
            e = am_err_make(r->pool, HTTP_PRECONDITION_FAILED, "The"
                            " appointment has been changed since it was"
                            " read (version %" APR_INT64_T_FMT " is not"
                            " one that If-Match names).", rq.etag);
            return send_error(r, c, e, fmt, ctype);
        }
        if (if_none_match_hit(r, etag)) {
            /* 304 with the fields a 200 would have that describe the
             * representation (RFC 9110, 15.4.5). */
            apr_table_setn(r->headers_out, "ETag", etag);
            apr_table_mergen(r->headers_out, "Vary", "Accept");
            return send_body(r, HTTP_NOT_MODIFIED, NULL, NULL, 0);
        }
    }
    if (rq.location) {
        const char *base = c->base;
        apr_size_t n = strlen(base);
        const char *uri = apr_pstrcat(r->pool, base,
                                      (n && base[n - 1] == '/') ? "" : "/",
                                      rq.location, NULL);
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, uri, r));
    }
    if (etag) {
        apr_table_setn(r->headers_out, "ETag", etag);
    }
    apr_table_mergen(r->headers_out, "Vary", "Accept");
    ctype = fmt_ctype(fmt, ctype);
    if (cached) {
        return send_body(r, HTTP_OK, ctype, cached->body, cached->len);
    }
    if (fmt == AM_FMT_ICAL) {
        body = am_ical_encode(r->pool, rq.out_appts, tz, &len);
    }
    else if (rq.out) {
        body = (fmt == AM_FMT_XML)
               ? am_xml_encode(r->pool, rq.out, tz, &len)
               : am_json_encode(r->pool, rq.out, tz, &len);
    }
    else if (rq.out_list) {
        body = (fmt == AM_FMT_XML)
               ? am_xml_encode_list(r->pool, rq.out_type, rq.out_list, tz,
                                    &len)
               : am_json_encode_list(r->pool, rq.out_list, tz, &len);
    }
    if (key && rq.etag > 0 && rq.status == HTTP_OK && !rq.location && body) {
        am_cached_t keep;

        keep.body = body;
        keep.len = len;
        keep.version = rq.etag;
        am_store_cache_put(&store, key, &keep);
    }
    return send_body(r, rq.status, ctype, body, len);
}

/* ------------------------------------------------------------- set-up */

static apr_status_t am_dbd_post_connect(apr_pool_t *p, dbd_cfg_t *cfg,
                                        ap_dbd_t *dbd)
{
    am_srv_conf_t *sc = ap_get_module_config(cfg->server->module_config,
                                             &appointments_module);
    am_err_t *e;

    if (!sc || !sc->used) {
        return APR_SUCCESS;
    }
    e = am_store_connect(p, dbd->driver, dbd->handle, dbd->prepared);
    if (e) {
        /* mod_dbd ignores this hook's result: the handler sees the
         * missing statements and tries again, answering 503 meanwhile. */
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, cfg->server, APLOGNO(10906)
                     "database set-up failed: %s", e->message);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static int am_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp)
{
    am_codec_init();
    am_dialects_init(pconf);
    am_system_tz = am_tz_get(am_tz_system_name(ptemp));
    if (!am_system_tz) {
        am_system_tz = am_tz_get("UTC");
    }
    return OK;
}

/* Every route of every dialect must name a function and permission of
 * the registry (src/perm.c): anything else is a programming error that
 * would leave the route unreachable. */
static int am_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    char *names = apr_pstrdup(ptemp, am_dialect_names(ptemp));
    char *last = NULL, *n;

    for (n = apr_strtok(names, ", ", &last); n;
         n = apr_strtok(NULL, ", ", &last)) {
        const am_dialect_t *d = am_dialect_find(n);
        const char *err = d ? am_perm_check_dialect(ptemp, d) : NULL;

        if (err) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, APLOGNO(10910)
                         "mod_appointments: %s; add it to src/perm.c or"
                         " fix the route table", err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

static int am_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    server_rec *v;
    int used = 0;

    for (v = s; v; v = v->next) {
        am_srv_conf_t *sc = ap_get_module_config(v->module_config,
                                                 &appointments_module);
        used |= sc->used;
    }
    am_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (!am_dbd_acquire) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, APLOGNO(10907)
                     "mod_appointments needs mod_dbd: add 'LoadModule"
                     " dbd_module modules/mod_dbd.so' (on Debian: a2enmod"
                     " dbd) and the DBDriver/DBDParams directives");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (used) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, APLOGNO(10908)
                     "mod_appointments: time zone %s by default",
                     am_tz_name(am_system_tz));
    }
    return OK;
}

static void am_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(am_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(am_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(am_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_header_parser(am_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(am_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(am_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    ap_register_output_filter(AM_ERROR_FILTER, am_error_filter, NULL,
                              AP_FTYPE_CONTENT_SET);
    am_authz_register(p);
    APR_OPTIONAL_HOOK(dbd, post_connect, am_dbd_post_connect, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(appointments) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    create_srv_conf,
    merge_srv_conf,
    am_cmds,
    am_register_hooks,
    AP_MODULE_FLAG_NONE
};

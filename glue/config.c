/* Licensed under the Apache License, Version 2.0.
 *
 * config.c: the directives of mod_appointments, their merge, and the
 * per-request state: the route a request asks for, resolved once (in
 * header_parser, before authn and authz) and kept in the request config
 * so that the authz provider and the handler agree on it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "mod_auth.h"
#include "ap_provider.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "datetime.h"
#include "perm.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

#define AM_LIMIT_MAX_BODY     ((apr_off_t)1024 * 1024 * 1024)

/* Set at start-up, read-only afterwards. */
static const am_tz_t *am_system_tz = NULL;

void am_config_init(apr_pool_t *ptemp)
{
    am_system_tz = am_tz_get(am_tz_system_name(ptemp));
    if (!am_system_tz) {
        am_system_tz = am_tz_get("UTC");
    }
}

const am_tz_t *am_config_system_tz(void)
{
    return am_system_tz;
}

int am_config_used(server_rec *s, int all)
{
    int used = 0;

    for (; s && !used; s = all ? s->next : NULL) {
        am_srv_conf_t *sc = ap_get_module_config(s->module_config,
                                                 &appointments_module);
        used = sc && sc->used;
    }
    return used;
}

/* ------------------------------------------------------ directives */

void *am_config_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(am_dir_conf_t));
}

void *am_config_merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    am_dir_conf_t *base = basev, *add = addv;
    am_dir_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->dialect = add->dialect ? add->dialect : base->dialect;
    c->base = add->dialect ? add->base : base->base;
    c->base_re = add->dialect ? add->base_re : base->base_re;
    c->tz = add->tz ? add->tz : base->tz;
    c->max_body = add->max_body ? add->max_body : base->max_body;
    c->max_occurrences = add->max_occurrences ? add->max_occurrences
                                              : base->max_occurrences;
    c->feed_days_back = add->feed_days_back ? add->feed_days_back
                                            : base->feed_days_back;
    c->feed_days_ahead = add->feed_days_back ? add->feed_days_ahead
                                             : base->feed_days_ahead;
    c->default_duration = add->default_duration ? add->default_duration
                                                : base->default_duration;
    c->prevent_double_booking = add->prevent_double_booking_set
                                ? add->prevent_double_booking
                                : base->prevent_double_booking;
    c->prevent_double_booking_set = add->prevent_double_booking_set
                                    || base->prevent_double_booking_set;
    c->describe_open = add->describe_open ? add->describe_open
                                          : base->describe_open;
    c->ident.usermap = add->ident.usermap ? add->ident.usermap
                                          : base->ident.usermap;
    c->ident.employee_var = add->ident.employee_var
                            ? add->ident.employee_var
                            : base->ident.employee_var;
    c->ident.name_var = add->ident.name_var ? add->ident.name_var
                                            : base->ident.name_var;
    c->cors = add->cors ? add->cors : base->cors;
    am_authn_merge(&c->authn, &base->authn, &add->authn);
    return c;
}

void *am_config_create_srv(apr_pool_t *p, server_rec *s)
{
    am_srv_conf_t *c = apr_pcalloc(p, sizeof(am_srv_conf_t));

    c->mounts = apr_array_make(p, 4, sizeof(am_mount_t));
    return c;
}

void *am_config_merge_srv(apr_pool_t *p, void *basev, void *addv)
{
    am_srv_conf_t *base = basev, *add = addv;
    am_srv_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->used = base->used || add->used;
    c->mounts = apr_array_append(p, add->mounts, base->mounts);
    return c;
}

void am_config_child_init(apr_pool_t *p, server_rec *s)
{
    /* One for the process, whatever the databases: this process's
     * writers then never meet each other at SQLite's lock (where they
     * would sleep in its busy handler), and those that wait are
     * committed together. */
    am_gate_t *gate = am_gate_create(p);

    if (!gate) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "no SQLite write"
                     " gate: writers wait at SQLite's lock");
    }
    for (; s; s = s->next) {
        am_srv_conf_t *sc = ap_get_module_config(s->module_config,
                                                 &appointments_module);
        if (sc) {
            sc->gate = gate;
        }
    }
}

/* Whether the directive being read stands in <LocationMatch> or
 * <Location ~ ...> (cmd->path is then the pattern). */
static int in_regex_section(cmd_parms *cmd)
{
    const ap_directive_t *sec = cmd->directive ? cmd->directive->parent
                                               : NULL;

    if (!sec || !sec->directive) {
        return 0;
    }
    if (!strcasecmp(sec->directive, "<LocationMatch")) {
        return 1;
    }
    return !strcasecmp(sec->directive, "<Location") && sec->args
           && sec->args[0] == '~';
}

/* The literal start of a pattern "(?i)^/PlanCare2Api(/|$)": the path a
 * subrequest to the mount may use ("/PlanCare2Api"), or NULL when the
 * pattern does not begin with one.  Whether the path really reaches the
 * mount is checked where it is used (glue/access.c). */
static const char *regex_literal(apr_pool_t *p, const char *re)
{
    const char *s = re, *e;

    if (!strncmp(s, "(?i)", 4)) {
        s += 4;
    }
    if (*s != '^') {
        return NULL;
    }
    s++;
    for (e = s; apr_isalnum(*e) || *e == '/' || *e == '_' || *e == '-'
                || *e == '~'; e++) {
    }
    if (e == s || *s != '/') {
        return NULL;
    }
    return apr_pstrmemdup(p, s, (apr_size_t)(e - s));
}

static const char *set_api(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_dir_conf_t *c = dconf;
    am_mount_t *m;
    am_srv_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                             &appointments_module);

    c->dialect = am_dialect_find(arg);
    if (!c->dialect) {
        return apr_psprintf(cmd->pool, "AppointmentsApi: unknown API '%s';"
                            " use one of: %s", arg,
                            am_dialect_names(cmd->pool));
    }
    c->base = cmd->path ? cmd->path : "/";
    c->base_re = NULL;
    if (cmd->path && in_regex_section(cmd)) {
        /* The pattern as httpd compiles it for the section; "(?i)" in it
         * makes the mount case-insensitive, as ASP.NET's routes are. */
        c->base_re = ap_pregcomp(cmd->pool, cmd->path, AP_REG_EXTENDED);
        if (!c->base_re) {
            return apr_psprintf(cmd->pool, "AppointmentsApi: the pattern"
                                " '%s' of the section does not compile",
                                cmd->path);
        }
    }
    m = apr_array_push(sc->mounts);
    m->dialect = c->dialect;
    m->uri = c->base_re ? regex_literal(cmd->pool, cmd->path) : c->base;
    sc->used = 1;
    return NULL;
}

/* AppointmentsCorsOrigins origin ...  ("none": no origin, undoing an
 * outer section's list). */
static const char *set_cors(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_dir_conf_t *c = dconf;
    const char *err;

    if (!c->cors) {
        c->cors = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    if (!strcasecmp(arg, "none")) {
        return NULL;
    }
    if ((err = am_cors_origin_check(cmd->pool, arg))) {
        return apr_psprintf(cmd->pool, "AppointmentsCorsOrigins: %s", err);
    }
    APR_ARRAY_PUSH(c->cors, const char *) = arg;
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

/* AppointmentsFeedWindow <days back> <days ahead>. */
static const char *set_feed_window(cmd_parms *cmd, void *dconf,
                                   const char *back, const char *ahead)
{
    am_dir_conf_t *c = dconf;
    char *end1 = NULL, *end2 = NULL;
    apr_int64_t b = apr_strtoi64(back, &end1, 10);
    apr_int64_t a = apr_strtoi64(ahead, &end2, 10);

    if (!*back || *end1 || !*ahead || *end2 || b < 1 || b > 36600
        || a < 1 || a > 36600) {
        return "AppointmentsFeedWindow: two numbers of days from 1 to"
               " 36600 (back from today, ahead of today)";
    }
    c->feed_days_back = (int)b;
    c->feed_days_ahead = (int)a;
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

static const char *set_describe_access(cmd_parms *cmd, void *dconf,
                                       const char *arg)
{
    am_dir_conf_t *c = dconf;

    if (!strcasecmp(arg, "open")) {
        c->describe_open = 1;
    }
    else if (!strcasecmp(arg, "grant")) {
        c->describe_open = -1;
    }
    else {
        return "AppointmentsDescriptionAccess: grant (the read grant of"
               " any of the API's functions, the default) or open (no"
               " credentials)";
    }
    return NULL;
}

const command_rec am_config_cmds[] = {
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
    AP_INIT_ITERATE("AppointmentsCorsOrigins", set_cors, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "Origins (https://host[:port]) whose pages may call the"
                    " API from a browser (default: none)"),
    AP_INIT_TAKE1("AppointmentsDisplayNameVar", set_ident_var, (void *)1,
                  RSRC_CONF | ACCESS_CONF,
                  "Environment variable with the user's display name, set"
                  " by the authentication module"),
    AP_INIT_TAKE1("AppointmentsDescriptionAccess", set_describe_access,
                  NULL, RSRC_CONF | ACCESS_CONF,
                  "Who may read openapi.json and Help: grant (the read"
                  " grant of any of the API's functions; default) or open"
                  " (anyone, without credentials)"),
    AP_INIT_TAKE2("AppointmentsFeedWindow", set_feed_window, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Days before and after today that a calendar feed covers"
                  " (default 30 365)"),
    AM_AUTHN_CMDS(APR_OFFSETOF(am_dir_conf_t, authn)),
    { NULL }
};

/* The login directives (AM_AUTHN_CMDS, glue/authn.c uses them). */

#define AM_MAX_SECONDS        (366LL * 86400 * 10)

void am_authn_merge(am_authn_conf_t *c, const am_authn_conf_t *base,
                    const am_authn_conf_t *add)
{
#define PICK(m) c->m = add->m##_set ? add->m : base->m; \
                c->m##_set = add->m##_set || base->m##_set
    c->providers = add->providers ? add->providers : base->providers;
    PICK(basic);
    PICK(lifetime);
    PICK(renewal);
    PICK(idle);
    PICK(fail_delay);
    PICK(employment_header);
#undef PICK
    c->realm = add->realm ? add->realm : base->realm;
}

static am_authn_conf_t *conf_of(cmd_parms *cmd, void *dconf)
{
    return (am_authn_conf_t *)((char *)dconf + (apr_size_t)cmd->info);
}

const char *am_authn_set_provider(cmd_parms *cmd, void *dconf,
                                  const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);
    const authn_provider *p;

    p = ap_lookup_provider(AUTHN_PROVIDER_GROUP, arg,
                           AUTHN_PROVIDER_VERSION);
    if (!p) {
        return apr_psprintf(cmd->pool, "AppointmentsAuthProvider: unknown"
                            " authn provider '%s' (is its module, such as"
                            " mod_authn_%s, loaded?)", arg, arg);
    }
    if (!p->check_password) {
        return apr_psprintf(cmd->pool, "AppointmentsAuthProvider: the authn"
                            " provider '%s' cannot check passwords", arg);
    }
    if (!c->providers) {
        c->providers = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(c->providers, const char *) = arg;
    return NULL;
}

const char *am_authn_set_basic(cmd_parms *cmd, void *dconf, int flag)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);

    c->basic = flag;
    c->basic_set = 1;
    return NULL;
}

/* A number of seconds from min to max. */
static const char *seconds(cmd_parms *cmd, const char *arg, apr_int64_t min,
                           apr_int64_t *out)
{
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (!*arg || *end || v < min || v > AM_MAX_SECONDS) {
        return apr_psprintf(cmd->pool, "%s: a number of seconds from %"
                            APR_INT64_T_FMT " to %lld", cmd->cmd->name, min,
                            AM_MAX_SECONDS);
    }
    *out = v;
    return NULL;
}

const char *am_authn_set_lifetime(cmd_parms *cmd, void *dconf,
                                  const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);

    c->lifetime_set = 1;
    return seconds(cmd, arg, 1, &c->lifetime);
}

const char *am_authn_set_renewal(cmd_parms *cmd, void *dconf,
                                 const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);

    c->renewal_set = 1;
    return seconds(cmd, arg, 0, &c->renewal);
}

const char *am_authn_set_idle(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);

    c->idle_set = 1;
    return seconds(cmd, arg, 0, &c->idle);
}

const char *am_authn_set_fail_delay(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (!*arg || *end || v < 0 || v > 10000) {
        return "AppointmentsLoginFailDelay: a number of milliseconds from 0"
               " to 10000";
    }
    c->fail_delay = (int)v;
    c->fail_delay_set = 1;
    return NULL;
}

const char *am_authn_set_realm(cmd_parms *cmd, void *dconf, const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);

    if (!*arg || strlen(arg) > 200) {
        return "AppointmentsTokenRealm: a name of 1 to 200 characters";
    }
    c->realm = arg;
    return NULL;
}

const char *am_authn_set_employment_header(cmd_parms *cmd, void *dconf,
                                           const char *arg)
{
    am_authn_conf_t *c = conf_of(cmd, dconf);
    const char *v;

    c->employment_header_set = 1;
    if (!strcasecmp(arg, "Off") || !strcasecmp(arg, "None")) {
        c->employment_header = NULL;
        return NULL;
    }
    for (v = arg; *v; v++) {
        if (!apr_isalnum(*v) && *v != '-' && *v != '_') {
            return "AppointmentsEmploymentHeader: the name of a request"
                   " header (such as employmentId), or Off";
        }
    }
    c->employment_header = arg;
    return NULL;
}

/* ------------------------------------------------- per request */

/* The mount point of r, without a trailing '/': the <Location> path, or
 * for a pattern (<LocationMatch "(?i)^/PlanCare2Api(/|$)">) what it
 * matches of the request's path, as the client wrote it
 * ("/plancare2api"). */
static const char *mount_base(request_rec *r, const am_dir_conf_t *c)
{
    const char *b = c->base;
    apr_size_t n;

    if (c->base_re) {
        ap_regmatch_t m[1];

        if (ap_regexec(c->base_re, r->uri, 1, m, 0) == 0
            && m[0].rm_so == 0) {
            b = apr_pstrmemdup(r->pool, r->uri, (apr_size_t)m[0].rm_eo);
        }
        else {
            b = "";
        }
    }
    n = strlen(b);
    while (n > 0 && b[n - 1] == '/') {
        n--;
    }
    return apr_pstrmemdup(r->pool, b, n);
}

/* The request's path below the mount point. */
static const char *mount_path(request_rec *r, const am_dir_conf_t *c)
{
    const char *uri = r->uri;
    const char *base = mount_base(r, c);
    apr_size_t n = strlen(base);

    if (!strncmp(uri, base, n) && (uri[n] == '/' || uri[n] == '\0')) {
        uri += n;
    }
    while (*uri == '/') {
        uri++;
    }
    return uri;
}

/* The absolute URL of the mount point, without a trailing '/', for
 * links and Location headers in answers (am_req_t.base_url). */
const char *am_glue_mount_url(request_rec *r, const am_dir_conf_t *c)
{
    return ap_construct_url(r->pool, mount_base(r, c), r);
}

const apr_array_header_t *am_glue_mounts(request_rec *r)
{
    am_srv_conf_t *sc = ap_get_module_config(r->server->module_config,
                                             &appointments_module);

    return sc->mounts;
}

apr_int64_t am_glue_employee(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);
    apr_int64_t id = 0;
    const char *name = NULL;

    if (c) {
        am_identity_of(r, &c->ident, &id, &name);
    }
    return id;
}

am_req_conf_t *am_glue_resolve(request_rec *r, const am_dir_conf_t *c)
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

const am_dir_conf_t *am_glue_conf(request_rec *r)
{
    const am_dir_conf_t *c = ap_get_module_config(r->per_dir_config,
                                                  &appointments_module);

    return (c && c->dialect) ? c : NULL;
}

const am_dialect_t *am_glue_dialect(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);

    return c ? c->dialect : NULL;
}

const am_route_t *am_glue_route(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);

    return c ? am_glue_resolve(r, c)->route : NULL;
}

/* Licensed under the Apache License, Version 2.0.
 *
 * authn.c: logging in, and the token AuthType.
 *
 *   AuthType appointments-token
 *
 * on a location that serves an AppointmentsApi makes httpd accept the
 * tokens that the dialect's login routes issue ("Authorization: Bearer"
 * for plancare2 and patient, "Authorization: xelion" for xelion), and,
 * with AppointmentsAuthBasic On, HTTP Basic as well (a migration).  It
 * sets r->user (and the session's employment for glue/identity.c), so
 * Require group, Require appointments-permission and every other authz
 * provider work unchanged.
 *
 * The login routes (login.h) are public on such a location: an
 * access_checker_ex hook lets them through before authentication; the
 * handler (am_authn_login) checks passwords through httpd's authn
 * providers (AppointmentsAuthProvider: the names AuthBasicProvider
 * takes; file, dbd, ldap, socache, AuthnProviderAlias ...), never a
 * password store of its own, and keeps sessions in the module's database
 * (store.h, sessions): several servers share them.
 *
 * A failed login is logged as mod_auth_basic logs one ("user NAME:
 * authentication failure for ...: Password Mismatch", "user NAME not
 * found: ...", with the client address httpd puts in front), so that
 * fail2ban's apache-auth filter matches it; it is answered after
 * AppointmentsLoginFailDelay, counted from the start of the request,
 * whether the user is unknown or the password wrong.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_auth.h"
#include "ap_provider.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_time.h"

#include <json.h>

#include "am.h"
#include "codec.h"
#include "datetime.h"
#include "dialect_xelion.h"
#include "form.h"
#include "login.h"
#include "negotiate.h"
#include "perm.h"
#include "store.h"
#include "token.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

#define AM_LOGIN_MAX_BODY     8192
#define AM_DEFAULT_LIFETIME   3600          /* seconds */
#define AM_DEFAULT_RENEWAL    (7 * 86400)
#define AM_DEFAULT_FAIL_DELAY 500           /* ms */

/* Set on a request this AuthType authenticated. */
#define AM_NOTE_AUTHN         "appointments-authn"

/* ------------------------------------------------------ configuration */

/* The location's configuration (glue/config.c), also where no
 * AppointmentsApi is. */
static const am_dir_conf_t *dconf(request_rec *r)
{
    return ap_get_module_config(r->per_dir_config, &appointments_module);
}

static const am_authn_conf_t *authn_conf(request_rec *r)
{
    return &dconf(r)->authn;
}

static const char *base_of(request_rec *r)
{
    const am_dir_conf_t *c = dconf(r);

    return c->base ? c->base : "/";
}

static const am_tz_t *tz_of(request_rec *r)
{
    const am_dir_conf_t *c = dconf(r);

    return c->tz ? c->tz : am_config_system_tz();
}

static apr_time_t lifetime_of(const am_authn_conf_t *c)
{
    return c->lifetime_set ? c->lifetime : AM_DEFAULT_LIFETIME;
}

static void policy_of(const am_authn_conf_t *c, am_login_policy_t *pol)
{
    pol->lifetime = (am_time_t)lifetime_of(c) * AM_TICKS_PER_SEC;
    pol->renew_lifetime = (am_time_t)(c->renewal_set ? c->renewal
                                                     : AM_DEFAULT_RENEWAL)
                          * AM_TICKS_PER_SEC;
    pol->idle = (am_time_t)(c->idle_set ? c->idle : 0) * AM_TICKS_PER_SEC;
}

/* Where the tokens of this location are good: AppointmentsTokenRealm, or
 * the location itself. */
static const char *realm_of(request_rec *r, const am_authn_conf_t *c)
{
    return c->realm ? c->realm : base_of(r);
}

static am_time_t now_ticks(void)
{
    return (am_time_t)apr_time_now() * 10;
}

static int is_ours(request_rec *r)
{
    const char *t = ap_auth_type(r);

    return t && !strcasecmp(t, AM_AUTH_TYPE);
}

/* ---------------------------------------------------------- passwords */

/* Asks the providers in turn, as mod_auth_basic does: the first that
 * knows the user decides. */
static authn_status check_password(request_rec *r, const am_authn_conf_t *c,
                                   const char *user, const char *password)
{
    static const char *const dflt[] = { "file" };
    const char *const *names = dflt;
    int n = 1, i;
    authn_status st = AUTH_USER_NOT_FOUND;

    if (c->providers) {
        names = (const char *const *)c->providers->elts;
        n = c->providers->nelts;
    }
    for (i = 0; i < n; i++) {
        const authn_provider *p = ap_lookup_provider(AUTHN_PROVIDER_GROUP,
                                                     names[i],
                                                     AUTHN_PROVIDER_VERSION);

        if (!p || !p->check_password) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "authn provider %s"
                          " is not available", names[i]);
            return AUTH_GENERAL_ERROR;
        }
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, names[i]);
        st = p->check_password(r, user, password);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (st != AUTH_USER_NOT_FOUND) {
            break;
        }
    }
    return st;
}

/* Logs a failed password check in mod_auth_basic's words (fail2ban's
 * apache-auth filter knows them); the client address is in the line's
 * [client ...] part. */
static void log_failure(request_rec *r, const char *user, authn_status st,
                        const char *how)
{
    const char *u = ap_escape_logitem(r->pool, user);
    const char *uri = ap_escape_logitem(r->pool, r->uri);

    if (st == AUTH_USER_NOT_FOUND) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "user %s not found:"
                      " %s (%s)", u, uri, how);
    }
    else if (st == AUTH_DENIED) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "user %s:"
                      " authentication failure for \"%s\": Password"
                      " Mismatch (%s)", u, uri, how);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "user %s: the authn"
                      " provider failed for \"%s\" (%s)", u, uri, how);
    }
}

/* Waits until AppointmentsLoginFailDelay after the start of r: a wrong
 * password and an unknown user are answered after the same time (as long
 * as the providers answer within the delay). */
static void fail_delay(request_rec *r, const am_authn_conf_t *c)
{
    apr_time_t until = r->request_time
                       + apr_time_from_msec(c->fail_delay_set
                                            ? c->fail_delay
                                            : AM_DEFAULT_FAIL_DELAY);
    apr_time_t now = apr_time_now();

    if (until > now) {
        apr_sleep(until - now);
    }
}

/* The employment a user logs in with: the identity sources of
 * glue/identity.c (AppointmentsUserMap, AppointmentsEmployeeIdVar). */
static apr_int64_t employment_of(request_rec *r, const char *user)
{
    const char *saved = r->user;
    apr_int64_t id = 0;
    const char *name = NULL;

    r->user = (char *)user;
    am_identity_of(r, &dconf(r)->ident, &id, &name);
    r->user = (char *)saved;
    return id;
}

/* ------------------------------------------------------------ answers */

static int send_json(request_rec *r, int status, const char *body,
                     apr_size_t len)
{
    r->status = status;
    /* Tokens are never cached (RFC 6749 5.1). */
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "Pragma", "no-cache");
    if (body) {
        ap_set_content_type(r, "application/json; charset=utf-8");
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

static int send_obj(request_rec *r, int status, am_obj_t *o)
{
    apr_size_t len = 0;
    char *body = am_json_encode(r->pool, o, tz_of(r), &len);

    return send_json(r, status, body, len);
}

/* An error in the dialect's shape (Xelion's errorCode), in JSON. */
static int send_error(request_rec *r, am_err_t *e)
{
    const char *ctype = NULL;
    apr_size_t len = 0;
    char *body;

    if (e->status >= 500 && e->status != 503) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s %s: %s", r->method,
                      r->uri, e->message);
        e->message = "An error has occurred.";
        e->fields = NULL;
    }
    if (e->retry_after > 0) {
        apr_table_setn(r->headers_out, "Retry-After",
                       apr_itoa(r->pool, e->retry_after));
    }
    body = am_serve_error_body(r->pool, am_glue_dialect(r), e,
                               "application/json", r->method, r->uri,
                               &ctype, &len);
    return send_json(r, e->status, body, len);
}

static am_err_t *xel_err(request_rec *r, int status, int code,
                         const char *msg)
{
    am_err_t *e = am_err_make(r->pool, status, "%s", msg);

    e->code = code;
    return e;
}

/* RFC 6749 5.2: {"error": .., "error_description": ..}, 400. */
static int send_oauth_error(request_rec *r, const char *error,
                            const char *description)
{
    am_obj_t *o = am_obj_make(r->pool, &am_login_oauth_error);

    am_obj_set_str(o, "error", error);
    if (description) {
        am_obj_set_str(o, "error_description", description);
    }
    return send_obj(r, HTTP_BAD_REQUEST, o);
}

/* RFC 1123, as ASP.NET writes .issued and .expires. */
static const char *http_date(apr_pool_t *p, am_time_t t)
{
    char *buf = apr_palloc(p, APR_RFC822_DATE_LEN);

    apr_rfc822_date(buf, (apr_time_t)(t / 10));
    return buf;
}

static int send_token_answer(request_rec *r, const am_login_tokens_t *tk,
                             am_time_t now)
{
    am_obj_t *o = am_obj_make(r->pool, &am_login_token_answer);
    const am_session_t *x = tk->session;

    am_obj_set_str(o, "access_token", tk->token);
    am_obj_set_str(o, "token_type", "bearer");
    if (x->expires_at > 0) {
        am_obj_set_int(o, "expires_in",
                       (x->expires_at - now) / AM_TICKS_PER_SEC);
        am_obj_set_str(o, ".expires", http_date(r->pool, x->expires_at));
    }
    if (tk->renew) {
        am_obj_set_str(o, "refresh_token", tk->renew);
    }
    am_obj_set_str(o, "userName", x->user);
    am_obj_set_str(o, ".issued", http_date(r->pool, now));
    return send_obj(r, HTTP_OK, o);
}

/* The tenant of a Xelion mount: the last segment of its path
 * (/api/v1/master: master). */
static const char *tenant_of(request_rec *r)
{
    const char *base = base_of(r);
    apr_size_t n = strlen(base);
    const char *s;

    while (n > 0 && base[n - 1] == '/') {
        n--;
    }
    for (s = base + n; s > base && s[-1] != '/'; s--) {
    }
    return n ? apr_pstrmemdup(r->pool, s, (apr_size_t)(base + n - s)) : NULL;
}

static int send_xel_answer(request_rec *r, const am_login_tokens_t *tk,
                           am_time_t now)
{
    am_obj_t *o = am_obj_make(r->pool, &am_login_xel_response);
    const am_session_t *x = tk->session;
    am_time_t until = x->expires_at;
    const char *tenant = tenant_of(r);

    if (x->idle > 0 && (!until || now + x->idle < until)) {
        until = now + x->idle;
    }
    am_obj_set_str(o, "authentication", tk->token);
    if (tk->renew) {
        am_obj_set_str(o, "renewalToken", tk->renew);
    }
    else {
        am_obj_set_null(o, "renewalToken");
    }
    if (until > 0) {
        am_obj_set_str(o, "validUntil",
                       am_time_format_xelion(r->pool, until, tz_of(r)));
    }
    else {
        am_obj_set_null(o, "validUntil");
    }
    am_obj_set_str(o, "version", "1");
    am_obj_set_str(o, "serverVersion", "mod_appointments " AM_VERSION);
    am_obj_set_str(o, "brand", "mod_appointments");
    am_obj_set_str(o, "buildNumber", AM_VERSION);
    am_obj_set_str(o, "host", r->hostname ? r->hostname : "");
    if (tenant) {
        am_obj_set_str(o, "tenant", tenant);
    }
    else {
        am_obj_set_null(o, "tenant");
    }
    am_obj_set_str(o, "userName", x->user);
    return send_obj(r, HTTP_OK, o);
}

/* ------------------------------------------------------------ bodies */

static am_err_t *read_body(request_rec *r, char **buf, apr_size_t *len)
{
    am_err_t *e = am_io_read_body(r, AM_LOGIN_MAX_BODY, buf, len);

    if (!e && !*buf) {
        *buf = "";
    }
    return e;
}

/* The token of an "Authorization: <scheme> <token>" header, or NULL (no
 * header, or another scheme: *other set). */
static const char *presented_token(request_rec *r, const char *scheme,
                                   int *present)
{
    const char *h = apr_table_get(r->headers_in, "Authorization");
    const char *s;
    apr_size_t n = strlen(scheme);

    *present = h != NULL;
    if (!h) {
        return NULL;
    }
    while (*h == ' ' || *h == '\t') {
        h++;
    }
    if (strncasecmp(h, scheme, n) || (h[n] != ' ' && h[n] != '\t')) {
        return "";
    }
    for (s = h + n; *s == ' ' || *s == '\t'; s++) {
    }
    h = s;
    for (s = h + strlen(h); s > h && (s[-1] == ' ' || s[-1] == '\t'); s--) {
    }
    return apr_pstrmemdup(r->pool, h, (apr_size_t)(s - h));
}

/* ---------------------------------------------------------- the flows */

static int oauth_form(request_rec *r, const am_type_t *t, am_obj_t **out)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    char *buf = NULL;
    apr_size_t len = 0;
    am_err_t *e;

    *out = NULL;
    if (am_negotiate_ctype(ct, AM_FMT_FORM) != AM_FMT_FORM) {
        return send_oauth_error(r, "invalid_request", "The request must be"
                                " application/x-www-form-urlencoded.");
    }
    if ((e = read_body(r, &buf, &len))) {
        if (e->status == AM_ANSWERED) {
            return AP_FILTER_ERROR;
        }
        return send_oauth_error(r, "invalid_request", e->message);
    }
    if ((e = am_form_decode(r->pool, t, buf, len, tz_of(r), 0, out))) {
        const char *msg = e->message;

        if (am_err_has_fields(e)) {
            const am_fielderr_t *f = &APR_ARRAY_IDX(e->fields, 0,
                                                    am_fielderr_t);
            msg = apr_pstrcat(r->pool, f->key, ": ", f->msg, NULL);
        }
        return send_oauth_error(r, "invalid_request", msg);
    }
    return DECLINED;
}

static const char *obj_str(am_obj_t *o, const char *name)
{
    am_value_t *v = am_obj_get(o, name);

    return (v->set && !v->null && v->u.s && *v->u.s) ? v->u.s : NULL;
}

/* POST token: the password and refresh_token grants. */
static int flow_token(request_rec *r, const am_authn_conf_t *c,
                      const am_login_op_t *op, am_store_t *s)
{
    am_login_policy_t pol;
    am_login_tokens_t tk;
    am_obj_t *form = NULL;
    const char *grant;
    am_time_t now = now_ticks();
    am_err_t *e;
    int rc;

    if ((rc = oauth_form(r, &am_login_token_form, &form)) != DECLINED) {
        return rc;
    }
    policy_of(c, &pol);
    grant = obj_str(form, "grant_type");
    if (!grant) {
        return send_oauth_error(r, "invalid_request", "grant_type is"
                                " missing.");
    }
    if (!strcmp(grant, "password")) {
        const char *user = obj_str(form, "username");
        const char *pw = obj_str(form, "password");
        authn_status st;
        am_session_t *x;

        if (!user || !pw) {
            return send_oauth_error(r, "invalid_request", user
                                    ? "password is missing."
                                    : "username is missing.");
        }
        st = check_password(r, c, user, pw);
        if (st != AUTH_GRANTED) {
            log_failure(r, user, st, "token");
            if (st == AUTH_GENERAL_ERROR) {
                return send_oauth_error(r, "server_error", "The password"
                                        " could not be checked.");
            }
            fail_delay(r, c);
            return send_oauth_error(r, "invalid_grant", "The user name or"
                                    " password is incorrect.");
        }
        x = apr_pcalloc(r->pool, sizeof(*x));
        x->kind = op->kind;
        x->user = user;
        x->employment = employment_of(r, user);
        x->realm = realm_of(r, c);
        x->dialect = am_glue_dialect(r)->name;
        if ((e = am_login_issue(s, x, &pol, now, &tk))) {
            return send_error(r, e);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "user %s logged in"
                      " (session %" APR_INT64_T_FMT ")",
                      ap_escape_logitem(r->pool, user), x->id);
        return send_token_answer(r, &tk, now);
    }
    if (!strcmp(grant, "refresh_token")) {
        const char *rt = obj_str(form, "refresh_token");
        am_session_t *x = NULL;
        int done = 0;

        if (!rt) {
            return send_oauth_error(r, "invalid_request", "refresh_token is"
                                    " missing.");
        }
        if (am_token_wellformed(rt, strlen(rt))
            && (e = am_store_session_get_renew(s, am_token_hash(r->pool, rt,
                                                                strlen(rt)),
                                               &x))) {
            return send_error(r, e);
        }
        if (x && (x->kind != op->kind || strcmp(x->realm, realm_of(r, c))
                  || !am_session_renewable(x, now))) {
            x = NULL;
        }
        if (x && (e = am_login_renew(s, x, &pol, now, &tk, &done))) {
            return send_error(r, e);
        }
        if (!x || !done) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "refresh token"
                          " refused");
            return send_oauth_error(r, "invalid_grant", "The refresh token"
                                    " is invalid or has expired.");
        }
        return send_token_answer(r, &tk, now);
    }
    return send_oauth_error(r, "unsupported_grant_type", "grant_type must"
                            " be password or refresh_token.");
}

/* POST token/revoke (RFC 7009): 200 whether or not the token was known. */
static int flow_revoke(request_rec *r, const am_authn_conf_t *c,
                       const am_login_op_t *op, am_store_t *s)
{
    am_obj_t *form = NULL;
    const char *t;
    am_session_t *x = NULL;
    am_err_t *e;
    int rc;

    if ((rc = oauth_form(r, &am_login_revoke_form, &form)) != DECLINED) {
        return rc;
    }
    t = obj_str(form, "token");
    if (!t) {
        return send_oauth_error(r, "invalid_request", "token is missing.");
    }
    if (am_token_wellformed(t, strlen(t))) {
        const char *h = am_token_hash(r->pool, t, strlen(t));

        if ((e = am_store_session_get(s, h, &x))
            || (!x && (e = am_store_session_get_renew(s, h, &x)))) {
            return send_error(r, e);
        }
    }
    if (x && x->kind == op->kind && !strcmp(x->realm, realm_of(r, c))) {
        if ((e = am_store_session_delete(s, x->id, NULL))) {
            return send_error(r, e);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "session %"
                      APR_INT64_T_FMT " of user %s revoked", x->id,
                      ap_escape_logitem(r->pool, x->user));
    }
    return send_json(r, HTTP_OK, NULL, 0);
}

/* The session of the request's "Authorization: xelion" header: 403/10000
 * without the header, 401/10000 with another scheme, 401/10020 when it
 * names no session of this mount; expired ones are answered as found
 * (*state tells). */
static am_err_t *xel_session(request_rec *r, const am_authn_conf_t *c,
                             const am_login_op_t *op, am_store_t *s,
                             am_time_t now, am_session_t **x,
                             am_token_state_e *state)
{
    int present = 0;
    const char *t = presented_token(r, op->scheme, &present);
    am_err_t *e;

    *x = NULL;
    if (!present) {
        return xel_err(r, HTTP_FORBIDDEN, AM_XEL_NOT_AUTHENTICATED, "No"
                       " Authorization header was sent.");
    }
    if (!*t) {
        return xel_err(r, HTTP_UNAUTHORIZED, AM_XEL_NOT_AUTHENTICATED,
                       "Not authenticated: use Authorization: xelion"
                       " <token>.");
    }
    if ((e = am_login_check(s, t, strlen(t), op->kind, realm_of(r, c), now,
                            state, x))) {
        return e;
    }
    if (*state != AM_TOKEN_OK && *state != AM_TOKEN_EXPIRED) {
        *x = NULL;
        return xel_err(r, HTTP_UNAUTHORIZED, AM_XEL_BAD_TOKEN, "The"
                       " authentication is invalid.");
    }
    return NULL;
}

static am_err_t *xel_body(request_rec *r, char **buf, apr_size_t *len)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    am_err_t *e;

    if ((e = read_body(r, buf, len))) {
        return e;
    }
    if (*len && am_negotiate_ctype(ct, AM_FMT_JSON) != AM_FMT_JSON) {
        return xel_err(r, HTTP_UNSUPPORTED_MEDIA_TYPE, AM_XEL_INVALID,
                       "The payload must be application/json.");
    }
    return NULL;
}

/* The client id and app key of a login, as the session's info. */
static const char *xel_info(apr_pool_t *p, const am_xel_login_t *l)
{
    json_object *o;
    const char *s;

    if (!l->client_id && !l->app_key) {
        return NULL;
    }
    o = json_object_new_object();
    if (l->client_id) {
        json_object_object_add(o, "clientId",
                               json_object_new_string(l->client_id));
    }
    if (l->app_key) {
        json_object_object_add(o, "appKey",
                               json_object_new_string(l->app_key));
    }
    s = apr_pstrdup(p, json_object_to_json_string_ext(o,
                                                      JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return s;
}

/* POST me/login. */
static int flow_xel_login(request_rec *r, const am_authn_conf_t *c,
                          const am_login_op_t *op, am_store_t *s)
{
    am_login_policy_t pol;
    am_login_tokens_t tk;
    am_session_filter_t f;
    am_xel_login_t l;
    am_session_t *x = NULL;
    am_obj_t *body = NULL;
    am_time_t now = now_ticks();
    char *buf = NULL;
    apr_size_t len = 0;
    am_token_state_e state;
    authn_status st;
    am_err_t *e;
    int present = 0;
    const char *t;

    if ((e = xel_body(r, &buf, &len))) {
        return e->status == AM_ANSWERED ? AP_FILTER_ERROR
                                            : send_error(r, e);
    }
    if ((e = am_json_decode(r->pool, &am_login_xel_credentials, buf, len,
                            tz_of(r), 0, &body))) {
        e->code = e->why == AM_WHY_EMPTY_BODY ? AM_XEL_EMPTY
                                              : AM_XEL_INVALID;
        return send_error(r, e);
    }
    if ((e = am_login_xel_read(r->pool, body, &l))) {
        return send_error(r, e);
    }
    /* A login that carries a session token ends that session first. */
    t = presented_token(r, op->scheme, &present);
    if (t && *t) {
        if ((e = am_login_check(s, t, strlen(t), op->kind, realm_of(r, c),
                                now, &state, &x))) {
            return send_error(r, e);
        }
        if (x && (e = am_store_session_delete(s, x->id, NULL))) {
            return send_error(r, e);
        }
    }
    st = check_password(r, c, l.user, l.password);
    if (st != AUTH_GRANTED) {
        log_failure(r, l.user, st, "me/login");
        if (st == AUTH_GENERAL_ERROR) {
            return send_error(r, xel_err(r, HTTP_UNAUTHORIZED, 10009,
                                         "A server error occurred while"
                                         " checking the password."));
        }
        fail_delay(r, c);
        return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                     AM_XEL_WRONG_LOGIN, "Wrong user name,"
                                     " password or tenant."));
    }
    /* The user space names the session together with the user: a new
     * login there ends the old one. */
    memset(&f, 0, sizeof(f));
    f.user = l.user;
    f.kind = op->kind;
    f.realm = realm_of(r, c);
    f.scope = l.user_space;
    if ((e = am_store_session_delete_where(s, &f, NULL))) {
        return send_error(r, e);
    }
    policy_of(c, &pol);
    x = apr_pcalloc(r->pool, sizeof(*x));
    x->kind = op->kind;
    x->user = l.user;
    x->employment = employment_of(r, l.user);
    x->realm = f.realm;
    x->dialect = am_glue_dialect(r)->name;
    x->scope = l.user_space;
    x->info = xel_info(r->pool, &l);
    if ((e = am_login_issue(s, x, &pol, now, &tk))) {
        return send_error(r, e);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "user %s logged in"
                  " (session %" APR_INT64_T_FMT ")",
                  ap_escape_logitem(r->pool, l.user), x->id);
    return send_xel_answer(r, &tk, now);
}

/* POST me/renew: the payload is the renewal token, or the password of
 * the session the Authorization header names. */
static int flow_xel_renew(request_rec *r, const am_authn_conf_t *c,
                          const am_login_op_t *op, am_store_t *s)
{
    am_login_policy_t pol;
    am_login_tokens_t tk;
    am_session_t *x = NULL, *cur = NULL;
    am_time_t now = now_ticks();
    am_token_state_e state = AM_TOKEN_UNKNOWN;
    const char *payload = NULL, *t;
    char *buf = NULL;
    apr_size_t len = 0;
    am_err_t *e;
    int present = 0, done = 0;

    if ((e = xel_body(r, &buf, &len))) {
        return e->status == AM_ANSWERED ? AP_FILTER_ERROR
                                            : send_error(r, e);
    }
    if ((e = am_login_json_string(r->pool, buf, len, &payload))) {
        return send_error(r, e);
    }
    policy_of(c, &pol);
    t = presented_token(r, op->scheme, &present);
    if (t && *t && (e = am_login_check(s, t, strlen(t), op->kind,
                                       realm_of(r, c), now, &state, &cur))) {
        return send_error(r, e);
    }
    if (present && (!t || !*t || !cur)) {
        return send_error(r, xel_err(r, HTTP_UNAUTHORIZED, AM_XEL_BAD_TOKEN,
                                     "The authentication is invalid."));
    }
    if (am_token_wellformed(payload, strlen(payload))
        && (e = am_store_session_get_renew(s, am_token_hash(r->pool, payload,
                                                            strlen(payload)),
                                           &x))) {
        return send_error(r, e);
    }
    if (x && (x->kind != op->kind || strcmp(x->realm, realm_of(r, c))
              || (cur && cur->id != x->id))) {
        x = NULL;
    }
    if (x) {
        if (!am_session_renewable(x, now)) {
            return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                         AM_XEL_EXPIRED_TOKEN, "The renewal"
                                         " token has expired."));
        }
        if ((e = am_login_renew(s, x, &pol, now, &tk, &done))) {
            return send_error(r, e);
        }
        if (!done) {
            return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                         AM_XEL_BAD_TOKEN, "The renewal"
                                         " token was used already."));
        }
        return send_xel_answer(r, &tk, now);
    }
    /* Not a renewal token: the password of the current session's user. */
    if (!cur) {
        return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                     AM_XEL_NOT_AUTHENTICATED, "Not"
                                     " authenticated: send the renewal"
                                     " token, or the password with"
                                     " Authorization: xelion <token>."));
    }
    {
        authn_status st = check_password(r, c, cur->user, payload);
        am_session_t *nx, *full = NULL;

        if (st != AUTH_GRANTED) {
            log_failure(r, cur->user, st, "me/renew");
            if (st != AUTH_GENERAL_ERROR) {
                fail_delay(r, c);
            }
            return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                         AM_XEL_BAD_TOKEN, "The"
                                         " authentication is invalid."));
        }
        /* The whole session (the check read only some members). */
        if ((e = am_store_session_get(s, cur->token_hash, &full))) {
            return send_error(r, e);
        }
        if (!full) {
            return send_error(r, xel_err(r, HTTP_UNAUTHORIZED,
                                         AM_XEL_BAD_TOKEN, "The session"
                                         " has ended."));
        }
        cur = full;
        if ((e = am_store_session_delete(s, cur->id, NULL))) {
            return send_error(r, e);
        }
        nx = apr_pcalloc(r->pool, sizeof(*nx));
        nx->kind = cur->kind;
        nx->user = cur->user;
        nx->employment = employment_of(r, cur->user);
        nx->realm = cur->realm;
        nx->dialect = cur->dialect;
        nx->scope = cur->scope;
        nx->info = cur->info;
        if ((e = am_login_issue(s, nx, &pol, now, &tk))) {
            return send_error(r, e);
        }
        return send_xel_answer(r, &tk, now);
    }
}

/* POST me/logout: ends the session at once, on every server (they read
 * the same table). */
static int flow_xel_logout(request_rec *r, const am_authn_conf_t *c,
                           const am_login_op_t *op, am_store_t *s)
{
    am_session_t *x = NULL;
    am_token_state_e state;
    am_err_t *e;
    int drc;

    drc = ap_discard_request_body(r);
    if (drc != OK) {
        return drc;
    }
    if ((e = xel_session(r, c, op, s, now_ticks(), &x, &state))) {
        return send_error(r, e);
    }
    if ((e = am_store_session_delete(s, x->id, NULL))) {
        return send_error(r, e);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "user %s logged out"
                  " (session %" APR_INT64_T_FMT ")",
                  ap_escape_logitem(r->pool, x->user), x->id);
    r->status = HTTP_NO_CONTENT;
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return OK;
}

int am_authn_login(request_rec *r, const am_login_op_t *op)
{
    const am_authn_conf_t *c = authn_conf(r);
    am_store_t store;
    am_err_t *e;

    if (!is_ours(r)) {
        e = am_err_make(r->pool, HTTP_NOT_FOUND, "Logging in is not enabled"
                        " on this location (AuthType %s).", AM_AUTH_TYPE);
        return send_error(r, e);
    }
    if ((e = am_io_store(r, &store))) {
        return send_error(r, e);
    }
    switch (op->op) {
    case AM_LOGIN_TOKEN:
        return flow_token(r, c, op, &store);
    case AM_LOGIN_REVOKE:
        return flow_revoke(r, c, op, &store);
    case AM_LOGIN_XEL_LOGIN:
        return flow_xel_login(r, c, op, &store);
    case AM_LOGIN_XEL_RENEW:
        return flow_xel_renew(r, c, op, &store);
    case AM_LOGIN_XEL_LOGOUT:
        return flow_xel_logout(r, c, op, &store);
    }
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* ------------------------------------------------------ the AuthType */

/* WWW-Authenticate for r: the dialect's token scheme (RFC 6750's error
 * attributes for Bearer when a token was refused), and Basic where it is
 * accepted as well. */
static void challenge(request_rec *r, const am_authn_conf_t *c,
                      const am_login_op_t *op, const char *error,
                      const char *description)
{
    const char *realm = ap_auth_name(r);
    const char *q = ap_escape_quotes(r->pool, realm ? realm
                                                    : "appointments");

    if (op) {
        const char *v = apr_psprintf(r->pool, "%s realm=\"%s\"", op->scheme,
                                     q);
        if (error) {
            v = apr_psprintf(r->pool, "%s, error=\"%s\","
                             " error_description=\"%s\"", v, error,
                             description);
        }
        apr_table_addn(r->err_headers_out, "WWW-Authenticate", v);
    }
    if (c->basic || !op) {
        apr_table_addn(r->err_headers_out, "WWW-Authenticate",
                       apr_psprintf(r->pool, "Basic realm=\"%s\"", q));
    }
}

static int am_authn_note_failure(request_rec *r, const char *type)
{
    if (!type || strcasecmp(type, AM_AUTH_TYPE)) {
        return DECLINED;
    }
    if (!apr_table_get(r->err_headers_out, "WWW-Authenticate")) {
        challenge(r, authn_conf(r),
                  am_login_dialect_op(am_glue_dialect(r)), NULL, NULL);
    }
    return OK;
}

/* A token refused: 401 with the challenge; Xelion's code for the error
 * filter. */
static int refuse(request_rec *r, const am_authn_conf_t *c,
                  const am_login_op_t *op, am_token_state_e st)
{
    const char *why = am_token_state_text(st);

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s token refused: %s",
                  op->scheme, why);
    challenge(r, c, op, "invalid_token",
              apr_pstrcat(r->pool, "The token is ", why, NULL));
    apr_table_setn(r->notes, AM_NOTE_ERROR_CODE,
                   apr_itoa(r->pool, st == AM_TOKEN_EXPIRED
                                     ? AM_XEL_EXPIRED_TOKEN
                                     : AM_XEL_BAD_TOKEN));
    return HTTP_UNAUTHORIZED;
}

/* The employment of the request: the session's, or the one the
 * AppointmentsEmploymentHeader names where the admin allows it.  The
 * header's is a note of r alone: a subrequest to another location (the
 * home route of glue/access.c) takes it only where that location allows
 * the header as well. */
static int set_employment(request_rec *r, const am_authn_conf_t *c,
                          apr_int64_t employment)
{
    const char *h = c->employment_header
                    ? apr_table_get(r->headers_in, c->employment_header)
                    : NULL;

    if (h) {
        apr_int64_t v = am_employee_id_parse(h);

        if (v <= 0) {
            apr_table_setn(r->notes, AM_NOTE_ERROR_MESSAGE, apr_psprintf(
                           r->pool, "The %s header is not an employment id"
                           " (a number from 1).", c->employment_header));
            return HTTP_BAD_REQUEST;
        }
        apr_table_setn(r->notes, AM_NOTE_EMPLOYMENT_HEADER,
                       apr_psprintf(r->pool, "%" APR_INT64_T_FMT, v));
    }
    if (employment > 0) {
        apr_table_setn(r->notes, AM_NOTE_EMPLOYMENT,
                       apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                    employment));
    }
    return OK;
}

static int am_authn_check(request_rec *r)
{
    const am_authn_conf_t *c;
    const am_dialect_t *d;
    const am_login_op_t *op;
    const char *h, *scheme;

    if (!is_ours(r)) {
        return DECLINED;
    }
    if (r->main) {
        /* A subrequest of a request this AuthType authenticated (the
         * module asking whether the user holds a grant at an appointment's
         * home API, glue/access.c): the same user, whatever credentials
         * the other location would take from a client. */
        const request_rec *m = r->main;

        while (m->main) {
            m = m->main;
        }
        if (m->user && apr_table_get(m->notes, AM_NOTE_AUTHN)) {
            r->user = m->user;
            r->ap_auth_type = m->ap_auth_type;
            /* The session's employment comes from the main request; the
             * header counts only where this location allows it. */
            return set_employment(r, authn_conf(r), 0);
        }
    }
    c = authn_conf(r);
    d = am_glue_dialect(r);
    op = d ? am_login_dialect_op(d) : NULL;
    if (!op && !c->basic) {
        /* No tokens (no AppointmentsApi here) and no Basic: nothing
         * could ever authenticate. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "AuthType " AM_AUTH_TYPE
                      " is set for %s, which no AppointmentsApi serves;"
                      " use AppointmentsAuthBasic On or another AuthType",
                      r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    h = apr_table_get(r->headers_in, "Authorization");
    if (!h) {
        challenge(r, c, op, NULL, NULL);
        return HTTP_UNAUTHORIZED;
    }
    scheme = ap_getword_white(r->pool, &h);
    if (op && !strcasecmp(scheme, op->scheme)) {
        am_store_t store;
        am_session_t *x = NULL;
        am_token_state_e st = AM_TOKEN_UNKNOWN;
        am_err_t *e;

        while (*h == ' ' || *h == '\t') {
            h++;
        }
        if ((e = am_io_store(r, &store))
            || (e = am_login_check(&store, h, strlen(h), op->kind,
                                   realm_of(r, c), now_ticks(), &st, &x))) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "checking a token:"
                          " %s", e->message);
            return e->status == 503 ? HTTP_SERVICE_UNAVAILABLE
                                    : HTTP_INTERNAL_SERVER_ERROR;
        }
        if (st != AM_TOKEN_OK) {
            return refuse(r, c, op, st);
        }
        r->user = apr_pstrdup(r->pool, x->user);
        r->ap_auth_type = (char *)op->scheme;
        apr_table_setn(r->notes, AM_NOTE_AUTHN, op->scheme);
        return set_employment(r, c, x->employment);
    }
    if (c->basic && !strcasecmp(scheme, "Basic")) {
        const char *user = NULL, *pw = NULL;
        authn_status st;

        if (ap_get_basic_auth_components(r, &user, &pw) != APR_SUCCESS) {
            challenge(r, c, op, NULL, NULL);
            return HTTP_UNAUTHORIZED;
        }
        st = check_password(r, c, user, pw);
        if (st != AUTH_GRANTED) {
            log_failure(r, user, st, "Basic");
            if (st == AUTH_GENERAL_ERROR) {
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            challenge(r, c, op, NULL, NULL);
            return HTTP_UNAUTHORIZED;
        }
        r->user = apr_pstrdup(r->pool, user);
        r->ap_auth_type = "Basic";
        apr_table_setn(r->notes, AM_NOTE_AUTHN, "Basic");
        return set_employment(r, c, 0);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "Authorization scheme %s"
                  " is not accepted here",
                  ap_escape_logitem(r->pool, scheme));
    challenge(r, c, op, NULL, NULL);
    return HTTP_UNAUTHORIZED;
}

/* The login routes of a location with this AuthType are public: they
 * need no authenticated user.  This runs after mod_authz_core's
 * user-less check, so the location's Require lines that do not need a
 * user still apply (Require ip: a 403 before this); where they need one,
 * the route is granted without authentication.  The route is resolved in
 * header_parser. */
static int am_authn_open_login(request_rec *r)
{
    if (is_ours(r) && am_login_route_op(am_glue_route(r))) {
        return OK;
    }
    return DECLINED;
}

static int am_authn_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp)
{
    am_login_init(pconf);
    return OK;
}

void am_authn_register(apr_pool_t *p)
{
    static const char *const after_authz[] = { "mod_authz_core.c", NULL };

    ap_hook_pre_config(am_authn_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_access_ex(am_authn_open_login, after_authz, NULL,
                            APR_HOOK_LAST, AP_AUTH_INTERNAL_PER_URI);
    ap_hook_check_authn(am_authn_check, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(am_authn_note_failure, NULL, NULL,
                              APR_HOOK_MIDDLE);
}

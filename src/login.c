/* Licensed under the Apache License, Version 2.0.
 *
 * login.c: the login routes' operations, wire types and sessions
 * (login.h).
 */
#include <string.h>
#include <json.h>
#include <apr_time.h>

#include "dialect_xelion.h"
#include "login.h"
#include "token.h"

#define NFIELDS(a) ((int)(sizeof(a) / sizeof((a)[0])))

const am_login_op_t am_login_oauth_token = {
    AM_LOGIN_TOKEN, AM_SESSION_BEARER, "Bearer"
};
const am_login_op_t am_login_oauth_revoke = {
    AM_LOGIN_REVOKE, AM_SESSION_BEARER, "Bearer"
};
const am_login_op_t am_login_xel_login = {
    AM_LOGIN_XEL_LOGIN, AM_SESSION_XELION, "xelion"
};
const am_login_op_t am_login_xel_renew = {
    AM_LOGIN_XEL_RENEW, AM_SESSION_XELION, "xelion"
};
const am_login_op_t am_login_xel_logout = {
    AM_LOGIN_XEL_LOGOUT, AM_SESSION_XELION, "xelion"
};

am_err_t *am_login_handler(am_req_t *rq, am_resp_t *rs)
{
    return am_err_make(rq->pool, 500, "login route %s reached the core"
                       " handler: the glue serves it", rq->path);
}

const am_login_op_t *am_login_route_op(const am_route_t *r)
{
    return (r && r->handler == am_login_handler) ? r->data : NULL;
}

const am_login_op_t *am_login_dialect_op(const am_dialect_t *d)
{
    int i;

    for (i = 0; d && i < d->nroutes; i++) {
        const am_login_op_t *op = am_login_route_op(&d->routes[i]);

        if (op) {
            return op;
        }
    }
    return NULL;
}

/* ------------------------------------------------------- wire types */

static const am_field_t token_form_fields[] = {
    { .name = "grant_type", .type = AM_T_STRING, .max = 64 },
    { .name = "username", .type = AM_T_STRING, .max = 256 },
    { .name = "password", .type = AM_T_STRING, .max = 1024 },
    { .name = "refresh_token", .type = AM_T_STRING, .max = 512 },
    { .name = "scope", .type = AM_T_STRING, .max = 1024 },
    { .name = "client_id", .type = AM_T_STRING, .max = 256 },
};
am_type_t am_login_token_form = {
    "TokenRequest", NULL, token_form_fields, NFIELDS(token_form_fields),
    NULL
};

static const am_field_t revoke_form_fields[] = {
    { .name = "token", .type = AM_T_STRING, .max = 512 },
    { .name = "token_type_hint", .type = AM_T_STRING, .max = 64 },
    { .name = "client_id", .type = AM_T_STRING, .max = 256 },
};
am_type_t am_login_revoke_form = {
    "RevocationRequest", NULL, revoke_form_fields,
    NFIELDS(revoke_form_fields), NULL
};

static const am_field_t token_answer_fields[] = {
    { .name = "access_token", .type = AM_T_STRING },
    { .name = "token_type", .type = AM_T_STRING },
    { .name = "expires_in", .type = AM_T_INT64, .flags = AM_F_OMIT_NULL },
    { .name = "refresh_token", .type = AM_T_STRING,
      .flags = AM_F_OMIT_NULL },
    { .name = "userName", .type = AM_T_STRING },
    { .name = ".issued", .type = AM_T_STRING },
    { .name = ".expires", .type = AM_T_STRING, .flags = AM_F_OMIT_NULL },
};
am_type_t am_login_token_answer = {
    "TokenResponse", NULL, token_answer_fields,
    NFIELDS(token_answer_fields), NULL
};

static const am_field_t oauth_error_fields[] = {
    { .name = "error", .type = AM_T_STRING },
    { .name = "error_description", .type = AM_T_STRING,
      .flags = AM_F_OMIT_NULL },
};
am_type_t am_login_oauth_error = {
    "OAuthError", NULL, oauth_error_fields, NFIELDS(oauth_error_fields),
    NULL
};

/* LoginCredentials.  userSpace has no cap here: over 200 characters is
 * an error of its own (10010). */
static const am_field_t xel_credentials_fields[] = {
    { .name = "userName", .type = AM_T_STRING, .max = 256 },
    { .name = "password", .type = AM_T_STRING, .max = 1024 },
    { .name = "userSpace", .type = AM_T_STRING, .max = 4096 },
    { .name = "clientId", .type = AM_T_STRING, .max = 512 },
    { .name = "appKey", .type = AM_T_STRING, .max = 512 },
    { .name = "mfa", .type = AM_T_STRING, .max = 512 },
    { .name = "email", .type = AM_T_STRING, .max = 512 },
    { .name = "database", .type = AM_T_STRING, .max = 512 },
    { .name = "hostName", .type = AM_T_STRING, .max = 512 },
};
am_type_t am_login_xel_credentials = {
    "LoginCredentials", "http://xelion.nl/api/v1", xel_credentials_fields,
    NFIELDS(xel_credentials_fields), NULL
};

static const am_field_t xel_response_fields[] = {
    { .name = "authentication", .type = AM_T_STRING },
    { .name = "renewalToken", .type = AM_T_STRING },
    { .name = "validUntil", .type = AM_T_STRING },
    { .name = "version", .type = AM_T_STRING },
    { .name = "serverVersion", .type = AM_T_STRING },
    { .name = "brand", .type = AM_T_STRING },
    { .name = "buildNumber", .type = AM_T_STRING },
    { .name = "host", .type = AM_T_STRING },
    { .name = "tenant", .type = AM_T_STRING },
    { .name = "userName", .type = AM_T_STRING },
};
am_type_t am_login_xel_response = {
    "LoginResponse", "http://xelion.nl/api/v1", xel_response_fields,
    NFIELDS(xel_response_fields), NULL
};

void am_login_init(apr_pool_t *p)
{
    am_token_init();
    am_type_init(p, &am_login_token_form);
    am_type_init(p, &am_login_revoke_form);
    am_type_init(p, &am_login_token_answer);
    am_type_init(p, &am_login_oauth_error);
    am_type_init(p, &am_login_xel_credentials);
    am_type_init(p, &am_login_xel_response);
}

static am_err_t *xel_err(apr_pool_t *p, int status, int code,
                         const char *msg)
{
    am_err_t *e = am_err_make(p, status, "%s", msg);

    e->code = code;
    return e;
}

static const char *str_of(am_obj_t *o, const char *name)
{
    am_value_t *v = am_obj_get(o, name);

    return (v->set && !v->null) ? v->u.s : NULL;
}

am_err_t *am_login_xel_read(apr_pool_t *p, am_obj_t *body,
                            am_xel_login_t *out)
{
    memset(out, 0, sizeof(*out));
    out->user = str_of(body, "userName");
    out->password = str_of(body, "password");
    out->user_space = str_of(body, "userSpace");
    out->client_id = str_of(body, "clientId");
    out->app_key = str_of(body, "appKey");
    if (!out->user || !*out->user) {
        return xel_err(p, 400, AM_XEL_NO_USER, "No user name was given.");
    }
    if (!out->password || !*out->password) {
        return xel_err(p, 400, AM_XEL_NO_PASSWORD, "No password was given.");
    }
    if (!out->user_space || !*out->user_space) {
        return xel_err(p, 401, AM_XEL_NO_USERSPACE, "No user space was"
                       " given.");
    }
    if (am_utf8_len(out->user_space) > AM_XEL_USERSPACE_MAX) {
        return xel_err(p, 401, AM_XEL_USERSPACE_LONG, "The user space is"
                       " longer than 200 characters.");
    }
    return NULL;
}

am_err_t *am_login_json_string(apr_pool_t *p, const char *buf,
                               apr_size_t len, const char **out)
{
    struct json_tokener *tok;
    json_object *root;
    enum json_tokener_error jerr;
    apr_size_t i, end;
    const char *s;
    int n;

    *out = NULL;
    for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\t'
                            || buf[i] == '\r' || buf[i] == '\n'); i++) {
    }
    if (i == len) {
        return xel_err(p, 400, AM_XEL_EMPTY, "The request has no payload.");
    }
    if (len > 4096 || !am_utf8_valid(buf, len)) {
        return xel_err(p, 400, AM_XEL_INVALID, "The payload must be a JSON"
                       " string.");
    }
    tok = json_tokener_new_ex(2);
    if (!tok) {
        return am_err_make(p, 500, "Out of memory.");
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    root = json_tokener_parse_ex(tok, buf, (int)len);
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    for (; end < len && (buf[end] == ' ' || buf[end] == '\t'
                         || buf[end] == '\r' || buf[end] == '\n'); end++) {
    }
    if (!root || jerr != json_tokener_success || end != len
        || !json_object_is_type(root, json_type_string)) {
        json_object_put(root);
        return xel_err(p, 400, AM_XEL_INVALID, "The payload must be a JSON"
                       " string.");
    }
    s = json_object_get_string(root);
    n = json_object_get_string_len(root);
    if (n <= 0 || strlen(s) != (size_t)n) {
        json_object_put(root);
        return xel_err(p, 400, AM_XEL_INVALID, "The payload must be a"
                       " non-empty JSON string without NUL.");
    }
    *out = apr_pstrmemdup(p, s, (apr_size_t)n);
    json_object_put(root);
    return NULL;
}

/* ----------------------------------------------------------- sessions */

static am_err_t *new_tokens(apr_pool_t *p, am_session_t *x,
                            const am_login_policy_t *pol, am_time_t now,
                            am_login_tokens_t *out)
{
    am_err_t *e;

    memset(out, 0, sizeof(*out));
    if ((e = am_token_new(p, &out->token))) {
        return e;
    }
    x->token_hash = am_token_hash(p, out->token, strlen(out->token));
    x->renew_hash = NULL;
    x->expires_at = pol->lifetime > 0 ? now + pol->lifetime : 0;
    x->renew_expires_at = 0;
    if (pol->renew_lifetime > 0) {
        if ((e = am_token_new(p, &out->renew))) {
            return e;
        }
        x->renew_hash = am_token_hash(p, out->renew, strlen(out->renew));
        x->renew_expires_at = now + pol->renew_lifetime;
    }
    x->idle = pol->idle;
    if (!x->token_hash || (out->renew && !x->renew_hash)) {
        return am_err_make(p, 500, "hashing a token failed");
    }
    out->session = x;
    return NULL;
}

am_err_t *am_login_issue(am_store_t *s, am_session_t *x,
                         const am_login_policy_t *pol, am_time_t now,
                         am_login_tokens_t *out)
{
    am_err_t *e;

    if ((e = am_store_session_purge(s, now, NULL))
        || (e = new_tokens(s->pool, x, pol, now, out))) {
        return e;
    }
    x->created_at = x->last_used = now;
    return am_store_session_create(s, x, now);
}

am_err_t *am_login_renew(am_store_t *s, am_session_t *x,
                         const am_login_policy_t *pol, am_time_t now,
                         am_login_tokens_t *out, int *done)
{
    const char *old = x->renew_hash;
    am_session_t nx = *x;
    am_err_t *e;

    *done = 0;
    if (!old) {
        return NULL;
    }
    if ((e = new_tokens(s->pool, &nx, pol, now, out))) {
        return e;
    }
    if ((e = am_store_session_renew(s, x->id, old, &nx, now, done))) {
        return e;
    }
    if (*done) {
        nx.last_used = now;
        *x = nx;
        out->session = x;
    }
    return NULL;
}

am_err_t *am_login_check(am_store_t *s, const char *t, apr_size_t len,
                         int kind, const char *realm, am_time_t now,
                         am_token_state_e *state, am_session_t **out)
{
    am_session_t *x = NULL;
    am_time_t grain;
    am_err_t *e;

    *out = NULL;
    if (!am_token_wellformed(t, len)) {
        *state = AM_TOKEN_MALFORMED;
        return NULL;
    }
    if ((e = am_store_session_check(s, am_token_hash(s->pool, t, len),
                                    &x))) {
        return e;
    }
    if (!x) {
        *state = AM_TOKEN_UNKNOWN;
        return NULL;
    }
    if (x->kind != kind || !realm || strcmp(x->realm, realm)) {
        *state = AM_TOKEN_ELSEWHERE;
        return NULL;
    }
    *out = x;
    if (!am_session_alive(x, now)) {
        *state = AM_TOKEN_EXPIRED;
        return NULL;
    }
    grain = x->idle > 0 ? x->idle / 8 : 60 * AM_TICKS_PER_SEC;
    if (now - x->last_used >= grain) {
        /* A write that fails (a busy SQLite database) costs the idle
         * limit some precision, not the request: the next use writes. */
        if (!am_store_session_touch(s, x->id, now, grain)) {
            x->last_used = now;
        }
    }
    *state = AM_TOKEN_OK;
    return NULL;
}

const char *am_token_state_text(am_token_state_e st)
{
    switch (st) {
    case AM_TOKEN_OK:
        return "valid";
    case AM_TOKEN_MALFORMED:
        return "malformed";
    case AM_TOKEN_UNKNOWN:
        return "unknown or ended";
    case AM_TOKEN_EXPIRED:
        return "expired";
    case AM_TOKEN_ELSEWHERE:
        return "issued for another mount";
    }
    return "invalid";
}

/* Licensed under the Apache License, Version 2.0.
 *
 * login.h: logging in as the original services let clients do it
 * (seeds/FACTS-public-docs.md, section 12), in core terms: the login
 * routes of the dialects' route tables, their wire types, and sessions
 * issued, checked, renewed and ended on the store (store.h, sessions).
 *
 *   PlanCare2 and patient  POST token (OAuth 2.0 password and
 *                          refresh_token grants, RFC 6749 4.3 and 6),
 *                          POST token/revoke (RFC 7009); then
 *                          "Authorization: Bearer <token>"
 *   Xelion                 POST me/login, me/renew, me/logout; then
 *                          "Authorization: xelion <token>"
 *
 * Passwords are never checked here: the glue (glue/authn.c) asks httpd's
 * authn providers and passes the verdict on.  The login routes are
 * served by the glue; their handler in the table is am_login_handler, a
 * marker, and their data an am_login_op_t.
 */
#ifndef AM_LOGIN_H
#define AM_LOGIN_H

#include "am.h"
#include "fields.h"
#include "route.h"
#include "store.h"

/* What a login route does. */
typedef enum am_login_opcode {
    AM_LOGIN_TOKEN = 1,         /* OAuth token endpoint */
    AM_LOGIN_REVOKE,            /* OAuth token revocation */
    AM_LOGIN_XEL_LOGIN,         /* Xelion me/login */
    AM_LOGIN_XEL_RENEW,         /* Xelion me/renew */
    AM_LOGIN_XEL_LOGOUT         /* Xelion me/logout */
} am_login_opcode_e;

typedef struct am_login_op {
    am_login_opcode_e op;
    int kind;                   /* the AM_SESSION_* it issues and takes */
    const char *scheme;         /* its Authorization scheme ("Bearer") */
} am_login_op_t;

extern const am_login_op_t am_login_oauth_token;
extern const am_login_op_t am_login_oauth_revoke;
extern const am_login_op_t am_login_xel_login;
extern const am_login_op_t am_login_xel_renew;
extern const am_login_op_t am_login_xel_logout;

/* The handler of a login route in a route table: a marker (the glue
 * serves these routes); answers 500 when called. */
am_err_t *am_login_handler(am_req_t *rq, am_resp_t *rs);

/* The route rows of the OAuth 2.0 login (bearer tokens), for the route
 * tables of the dialects whose clients log in so (PlanCare2, patient):
 * public routes, served by the glue. */
#define AM_LOGIN_OAUTH_ROUTES                                              \
    { "POST", "token", am_login_handler, NULL, NULL, NULL,                 \
      &am_login_oauth_token, .login = "Bearer",                            \
      .doc = "Logs in (OAuth 2.0, RFC 6749): a form with"                  \
             " grant_type=password, username and password, or"             \
             " grant_type=refresh_token and refresh_token; answers"        \
             " {access_token, token_type: bearer, expires_in,"             \
             " refresh_token, userName, .issued, .expires}, errors as"     \
             " RFC 6749 5.2 {error, error_description}" },                 \
    { "POST", "token/revoke", am_login_handler, NULL, NULL, NULL,          \
      &am_login_oauth_revoke,                                              \
      .doc = "Ends the session of a token (RFC 7009): a form with"         \
             " token (the access or the refresh token); 200 whether or"    \
             " not it was known" }

/* The login operation of route r, or NULL when r is not a login route. */
const am_login_op_t *am_login_route_op(const am_route_t *r);

/* The login operation that gives the tokens d takes (its first login
 * route's), or NULL when d has no login routes. */
const am_login_op_t *am_login_dialect_op(const am_dialect_t *d);

/* Once at start-up. */
void am_login_init(apr_pool_t *p);

/* ------------------------------------------------------- wire types */

/* POST token (form): grant_type, username, password, refresh_token,
 * scope, client_id. */
extern am_type_t am_login_token_form;
/* POST token/revoke (form): token, token_type_hint. */
extern am_type_t am_login_revoke_form;
/* The token answer: access_token, token_type, expires_in,
 * refresh_token (left out when none), userName, .issued, .expires (as
 * ASP.NET's OAuth server writes them: RFC 1123 dates). */
extern am_type_t am_login_token_answer;
/* RFC 6749 5.2: error, error_description. */
extern am_type_t am_login_oauth_error;
/* Xelion LoginCredentials and LoginResponse. */
extern am_type_t am_login_xel_credentials;
extern am_type_t am_login_xel_response;

/* Xelion's login error codes (seeds/FACTS-public-docs.md, 12). */
#define AM_XEL_NOT_AUTHENTICATED 10000  /* 401 (403 without a header) */
#define AM_XEL_NO_USER           10002  /* 400 */
#define AM_XEL_NO_PASSWORD       10003  /* 400 */
#define AM_XEL_WRONG_LOGIN       10004  /* 401 */
#define AM_XEL_USERSPACE_LONG    10010  /* 401 */
#define AM_XEL_NO_USERSPACE      10011  /* 401 */
#define AM_XEL_BAD_TOKEN         10020  /* 401: "1002X" invalid
                                         * authentication: unknown,
                                         * malformed, ended */
#define AM_XEL_EXPIRED_TOKEN     10021  /* 401: expired or idle too long */
#define AM_XEL_USERSPACE_MAX     200

/* Xelion credentials from a decoded LoginCredentials body: the checks in
 * the order and with the codes the pages give (10002, 10003, 10011,
 * 10010). */
typedef struct am_xel_login {
    const char *user, *password, *user_space, *client_id, *app_key;
} am_xel_login_t;

am_err_t *am_login_xel_read(apr_pool_t *p, am_obj_t *body,
                            am_xel_login_t *out);

/* The payload of me/renew: one JSON string (the renewal token or the
 * password).  400 with 10200 (empty) or 10202 (anything else). */
am_err_t *am_login_json_string(apr_pool_t *p, const char *buf,
                               apr_size_t len, const char **out);

/* ----------------------------------------------------------- sessions */

typedef struct am_login_policy {
    am_time_t lifetime;         /* of the token; 0 = no expiry */
    am_time_t renew_lifetime;   /* of the renewal token; 0 = none issued */
    am_time_t idle;             /* idle limit; 0 = none */
} am_login_policy_t;

/* The tokens of a session, as the client gets them (never stored). */
typedef struct am_login_tokens {
    const char *token;
    const char *renew;          /* NULL when none */
    am_session_t *session;
} am_login_tokens_t;

/* Opens a session: x names kind, user, employment, realm, dialect and
 * (may be NULL) scope and info; the tokens and times come from pol and
 * now.  Expired sessions are purged on the way. */
am_err_t *am_login_issue(am_store_t *s, am_session_t *x,
                         const am_login_policy_t *pol, am_time_t now,
                         am_login_tokens_t *out);

/* Replaces both tokens of x (found by its renewal token, whose hash is
 * x->renew_hash) with new ones, once.  *done 0 when x was renewed or
 * ended meanwhile. */
am_err_t *am_login_renew(am_store_t *s, am_session_t *x,
                         const am_login_policy_t *pol, am_time_t now,
                         am_login_tokens_t *out, int *done);

/* What a presented token turned out to be. */
typedef enum am_token_state {
    AM_TOKEN_OK = 0,
    AM_TOKEN_MALFORMED,         /* not of our form: never looked up */
    AM_TOKEN_UNKNOWN,           /* no such session (or ended) */
    AM_TOKEN_EXPIRED,           /* expired or idle too long */
    AM_TOKEN_ELSEWHERE          /* a session of another kind or realm */
} am_token_state_e;

/* Checks token t (len bytes) for a session of kind in realm at now
 * (am_store_session_check: *out has the members that check reads); on
 * AM_TOKEN_OK records the use (a write at most every idle / 8, or every
 * minute without an idle limit; one that fails is left to the next use)
 * and sets *out.  *out is also set for
 * AM_TOKEN_EXPIRED (the session still exists). */
am_err_t *am_login_check(am_store_t *s, const char *t, apr_size_t len,
                         int kind, const char *realm, am_time_t now,
                         am_token_state_e *state, am_session_t **out);

/* A short description of a token state, for logs and messages. */
const char *am_token_state_text(am_token_state_e st);

#endif /* AM_LOGIN_H */

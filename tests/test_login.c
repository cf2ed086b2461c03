/* Licensed under the Apache License, Version 2.0.
 *
 * test_login.c: the login operations of the core (login.h): the login
 * routes in the route tables, Xelion's credential checks and codes, the
 * me/renew payload, and sessions issued, checked (every token state),
 * touched and renewed on a real SQLite store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_dbd.h>
#include "codec.h"
#include "dialect_xelion.h"
#include "login.h"
#include "token.h"

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-login-XXXXXX";
static const apr_dbd_driver_t *driver;

#define SEC AM_TICKS_PER_SEC
static const am_time_t T0 = (am_time_t)1780000000 * AM_TICKS_PER_SEC;

static am_store_t *open_store(void)
{
    am_store_t *s = apr_pcalloc(pool, sizeof(*s));
    apr_dbd_t *h = NULL;
    am_err_t *e;

    assert_int_equal(apr_dbd_open(driver, pool,
                                  apr_pstrcat(pool, dbpath, "/db.sqlite",
                                              NULL), &h), APR_SUCCESS);
    s->pool = pool;
    s->driver = driver;
    s->handle = h;
    s->prepared = apr_hash_make(pool);
    if ((e = am_store_connect(pool, driver, h, s->prepared))) {
        fail_msg("connect: %s", e->message);
    }
    return s;
}

static void test_routes(void **state)
{
    const char *names[] = { "plancare2", "patient", "xelion" };
    const int kinds[] = { AM_SESSION_BEARER, AM_SESSION_BEARER,
                          AM_SESSION_XELION };
    int i;

    for (i = 0; i < 3; i++) {
        const am_dialect_t *d = am_dialect_find(names[i]);
        const am_login_op_t *op = am_login_dialect_op(d);
        const am_route_t *r = NULL;
        apr_table_t *params = apr_table_make(pool, 2);

        assert_non_null(op);
        assert_int_equal(op->kind, kinds[i]);
        assert_string_equal(op->scheme, i < 2 ? "Bearer" : "xelion");
        /* The login routes match as any route; they need no function. */
        assert_null(am_route_match(pool, d, "POST",
                                   i < 2 ? "token" : "me/login", &r,
                                   params));
        assert_non_null(am_login_route_op(r));
        assert_null(r->function);
        assert_int_equal(am_login_route_op(r)->op,
                         i < 2 ? AM_LOGIN_TOKEN : AM_LOGIN_XEL_LOGIN);
    }
    assert_null(am_login_route_op(NULL));
    assert_null(am_login_dialect_op(NULL));
}

static am_err_t *xel_creds(const char *json, am_xel_login_t *l)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_json_decode(pool, &am_login_xel_credentials, json,
                                 strlen(json), NULL, 0, &o);

    return e ? e : am_login_xel_read(pool, o, l);
}

static void test_xelion_credentials(void **state)
{
    am_xel_login_t l;
    am_err_t *e;
    char space[260];

    assert_null(xel_creds("{\"userName\":\"alice\",\"password\":\"pw\","
                          "\"userSpace\":\"phone\",\"clientId\":\"c\","
                          "\"appKey\":\"k\",\"mfa\":\"1\"}", &l));
    assert_string_equal(l.user, "alice");
    assert_string_equal(l.password, "pw");
    assert_string_equal(l.user_space, "phone");
    assert_string_equal(l.client_id, "c");
    assert_string_equal(l.app_key, "k");

    e = xel_creds("{\"password\":\"pw\",\"userSpace\":\"s\"}", &l);
    assert_int_equal(e->status, 400);
    assert_int_equal(e->code, AM_XEL_NO_USER);
    e = xel_creds("{\"userName\":\"\",\"password\":\"pw\"}", &l);
    assert_int_equal(e->code, AM_XEL_NO_USER);
    e = xel_creds("{\"userName\":\"a\",\"userSpace\":\"s\"}", &l);
    assert_int_equal(e->status, 400);
    assert_int_equal(e->code, AM_XEL_NO_PASSWORD);
    e = xel_creds("{\"userName\":\"a\",\"password\":\"pw\"}", &l);
    assert_int_equal(e->status, 401);
    assert_int_equal(e->code, AM_XEL_NO_USERSPACE);
    memset(space, 'x', sizeof(space));
    space[201] = '\0';
    e = xel_creds(apr_psprintf(pool, "{\"userName\":\"a\",\"password\":"
                               "\"pw\",\"userSpace\":\"%s\"}", space), &l);
    assert_int_equal(e->status, 401);
    assert_int_equal(e->code, AM_XEL_USERSPACE_LONG);
    space[200] = '\0';
    assert_null(xel_creds(apr_psprintf(pool, "{\"userName\":\"a\","
                                       "\"password\":\"pw\",\"userSpace\":"
                                       "\"%s\"}", space), &l));
    /* 200 characters, not bytes. */
    assert_null(xel_creds("{\"userName\":\"a\",\"password\":\"pw\","
                          "\"userSpace\":\"\\u00e9\\u00e9\"}", &l));
}

static void test_json_string(void **state)
{
    const char *s = NULL;
    am_err_t *e;

    assert_null(am_login_json_string(pool, " \"abc\"\n", 7, &s));
    assert_string_equal(s, "abc");
    e = am_login_json_string(pool, "  ", 2, &s);
    assert_int_equal(e->code, AM_XEL_EMPTY);
    e = am_login_json_string(pool, "{}", 2, &s);
    assert_int_equal(e->code, AM_XEL_INVALID);
    e = am_login_json_string(pool, "\"a\" \"b\"", 7, &s);
    assert_int_equal(e->code, AM_XEL_INVALID);
    e = am_login_json_string(pool, "\"\"", 2, &s);
    assert_int_equal(e->code, AM_XEL_INVALID);
    e = am_login_json_string(pool, "\"a\\u0000b\"", 10, &s);
    assert_int_equal(e->code, AM_XEL_INVALID);
    e = am_login_json_string(pool, "\"abc", 4, &s);
    assert_int_equal(e->code, AM_XEL_INVALID);
}

static am_session_t *who(const char *user, int kind, const char *realm)
{
    am_session_t *x = apr_pcalloc(pool, sizeof(*x));

    x->kind = kind;
    x->user = user;
    x->employment = 7;
    x->realm = realm;
    x->dialect = "plancare2";
    return x;
}

static void test_sessions(void **state)
{
    am_store_t *s = open_store();
    am_login_policy_t pol = { 60 * SEC, 600 * SEC, 20 * SEC };
    am_login_tokens_t tk, tk2;
    am_session_t *x = who("alice", AM_SESSION_BEARER, "/PlanCare2Api");
    am_session_t *g = NULL;
    am_token_state_e st;
    const char *t;
    int done = -1;

    assert_null(am_login_issue(s, x, &pol, T0, &tk));
    assert_true(am_token_wellformed(tk.token, strlen(tk.token)));
    assert_true(am_token_wellformed(tk.renew, strlen(tk.renew)));
    assert_int_equal(x->expires_at, T0 + 60 * SEC);
    assert_int_equal(x->renew_expires_at, T0 + 600 * SEC);
    assert_int_equal(x->idle, 20 * SEC);
    t = tk.token;

    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/PlanCare2Api", T0 + SEC, &st, &g));
    assert_int_equal(st, AM_TOKEN_OK);
    assert_string_equal(g->user, "alice");
    assert_int_equal(g->employment, 7);
    /* Every other state. */
    assert_null(am_login_check(s, "x", 1, AM_SESSION_BEARER,
                               "/PlanCare2Api", T0, &st, &g));
    assert_int_equal(st, AM_TOKEN_MALFORMED);
    assert_null(g);
    assert_null(am_login_check(s, tk.renew, strlen(tk.renew),
                               AM_SESSION_BEARER, "/PlanCare2Api", T0, &st,
                               &g));
    assert_int_equal(st, AM_TOKEN_UNKNOWN);
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_XELION,
                               "/PlanCare2Api", T0, &st, &g));
    assert_int_equal(st, AM_TOKEN_ELSEWHERE);
    assert_null(g);
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/api/Calendar", T0, &st, &g));
    assert_int_equal(st, AM_TOKEN_ELSEWHERE);
    /* Idle (20 s): uses are written when more than idle / 8 (2.5 s)
     * after the last one written.  The use at T0 + 1 s was not written,
     * the one at T0 + 3 s was; T0 + 22 s is 19 s after it (and written),
     * T0 + 23 s is not written, so at T0 + 42 s the session is idle. */
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/PlanCare2Api", T0 + 3 * SEC, &st, &g));
    assert_int_equal(st, AM_TOKEN_OK);
    assert_int_equal(g->last_used, T0 + 3 * SEC);
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/PlanCare2Api", T0 + 22 * SEC, &st, &g));
    assert_int_equal(st, AM_TOKEN_OK);
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/PlanCare2Api", T0 + 23 * SEC, &st, &g));
    assert_int_equal(st, AM_TOKEN_OK);
    assert_int_equal(g->last_used, T0 + 22 * SEC);
    assert_null(am_login_check(s, t, strlen(t), AM_SESSION_BEARER,
                               "/PlanCare2Api", T0 + 42 * SEC, &st, &g));
    assert_int_equal(st, AM_TOKEN_EXPIRED);
    assert_non_null(g);
    assert_string_equal(am_token_state_text(st), "expired");

    /* Renew: both tokens new, the old ones gone, once only. */
    x = who("bob", AM_SESSION_XELION, "/api/v1/master");
    pol.idle = 0;
    assert_null(am_login_issue(s, x, &pol, T0, &tk));
    assert_null(am_store_session_get_renew(s, am_token_hash(pool, tk.renew,
                                           strlen(tk.renew)), &g));
    assert_non_null(g);
    assert_null(am_login_renew(s, g, &pol, T0 + 100 * SEC, &tk2, &done));
    assert_int_equal(done, 1);
    assert_string_not_equal(tk2.token, tk.token);
    assert_string_not_equal(tk2.renew, tk.renew);
    assert_int_equal(g->expires_at, T0 + 160 * SEC);
    assert_null(am_login_check(s, tk.token, strlen(tk.token),
                               AM_SESSION_XELION, "/api/v1/master",
                               T0 + 101 * SEC, &st, &x));
    assert_int_equal(st, AM_TOKEN_UNKNOWN);
    assert_null(am_login_check(s, tk2.token, strlen(tk2.token),
                               AM_SESSION_XELION, "/api/v1/master",
                               T0 + 101 * SEC, &st, &x));
    assert_int_equal(st, AM_TOKEN_OK);
    /* The old renewal hash a second time: not renewed. */
    g->renew_hash = am_token_hash(pool, tk.renew, strlen(tk.renew));
    assert_null(am_login_renew(s, g, &pol, T0 + 102 * SEC, &tk, &done));
    assert_int_equal(done, 0);
    /* Without renewal tokens (AppointmentsRenewalLifetime 0). */
    pol.renew_lifetime = 0;
    x = who("carol", AM_SESSION_BEARER, "/PlanCare2Api");
    assert_null(am_login_issue(s, x, &pol, T0, &tk));
    assert_null(tk.renew);
    assert_null(x->renew_hash);
    assert_null(am_login_renew(s, x, &pol, T0, &tk2, &done));
    assert_int_equal(done, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_xelion_credentials),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_sessions),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    apr_dbd_init(pool);
    am_dialects_init(pool);
    am_login_init(pool);
    if (apr_dbd_get_driver(pool, "sqlite3", &driver) != APR_SUCCESS) {
        fprintf(stderr, "the apr_dbd sqlite3 driver is missing\n");
        return 1;
    }
    if (!mkdtemp(dbpath)) {
        perror("mkdtemp");
        return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (system(apr_pstrcat(pool, "rm -rf ", dbpath, NULL)) != 0) {
        rc = rc ? rc : 1;
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

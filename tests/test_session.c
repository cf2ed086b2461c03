/* Licensed under the Apache License, Version 2.0.
 *
 * test_session.c: tokens (token.h) and the session store (store.h,
 * "sessions") against a real SQLite database: only hashes are stored,
 * lookups by token and renewal token, liveness (expiry, idle limit),
 * touch granularity, renew once, logout, filters, purge, and the
 * migration to schema version 3 from a version 1 database.
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
#include "store.h"
#include "store_fixture.h"
#include "token.h"

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-session-XXXXXX";
static const apr_dbd_driver_t *driver;

#define SEC AM_TICKS_PER_SEC
static const am_time_t T0 = (am_time_t)1780000000 * AM_TICKS_PER_SEC;

static am_store_t *open_store(void)
{
    return am_test_store(pool, driver, apr_pstrcat(pool, dbpath,
                                                   "/db.sqlite", NULL));
}

static const char *hash_of(const char *t)
{
    return am_token_hash(pool, t, strlen(t));
}

static am_session_t *bearer(const char *token, const char *renew,
                            const char *user)
{
    am_session_t *x = apr_pcalloc(pool, sizeof(*x));

    x->kind = AM_SESSION_BEARER;
    x->token_hash = hash_of(token);
    x->renew_hash = renew ? hash_of(renew) : NULL;
    x->user = user;
    x->employment = 42;
    x->realm = "/PlanCare2Api";
    x->dialect = "plancare2";
    x->expires_at = T0 + 3600 * SEC;
    x->renew_expires_at = renew ? T0 + 86400 * SEC : 0;
    return x;
}

static void test_tokens(void **state)
{
    const char *a = NULL, *b = NULL, *h;
    char bad[AM_TOKEN_CHARS + 1];

    assert_null(am_token_new(pool, &a));
    assert_null(am_token_new(pool, &b));
    assert_int_equal(strlen(a), AM_TOKEN_CHARS);
    assert_true(am_token_wellformed(a, strlen(a)));
    assert_string_not_equal(a, b);
    /* Form: length and the base64url alphabet only. */
    assert_false(am_token_wellformed(a, strlen(a) - 1));
    memcpy(bad, a, sizeof(bad));
    bad[5] = '+';
    assert_false(am_token_wellformed(bad, strlen(bad)));
    bad[5] = '.';
    assert_false(am_token_wellformed(bad, strlen(bad)));
    assert_false(am_token_wellformed("", 0));
    /* SHA-256 in hex (the FIPS 180-2 test vector "abc"). */
    h = am_token_hash(pool, "abc", 3);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
                           "b00361a396177a9cb410ff61f20015ad");
    am_token_init();    /* the start-up look-up: the same hashes */
    assert_string_equal(am_token_hash(pool, "abc", 3), h);
    assert_int_equal(strlen(hash_of(a)), AM_TOKEN_HASH_HEX);
    assert_string_not_equal(hash_of(a), hash_of(b));
    assert_true(am_token_equal(hash_of(a), hash_of(a)));
    assert_false(am_token_equal(hash_of(a), hash_of(b)));
    assert_false(am_token_equal("abc", "abcd"));
    assert_false(am_token_equal(NULL, "abc"));
}

static void test_create_get(void **state)
{
    am_store_t *s = open_store();
    am_session_t *x = bearer("token-one", "renew-one", "alice"), *g = NULL;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int found_plain = 0;

    assert_null(am_store_session_create(s, x, T0));
    assert_true(x->id > 0);
    assert_int_equal(x->created_at, T0);
    assert_int_equal(x->last_used, T0);

    assert_null(am_store_session_get(s, hash_of("token-one"), &g));
    assert_non_null(g);
    assert_int_equal(g->id, x->id);
    assert_int_equal(g->kind, AM_SESSION_BEARER);
    assert_string_equal(g->user, "alice");
    assert_int_equal(g->employment, 42);
    assert_string_equal(g->realm, "/PlanCare2Api");
    assert_string_equal(g->dialect, "plancare2");
    assert_null(g->scope);
    assert_int_equal(g->expires_at, T0 + 3600 * SEC);

    /* The per-request check reads what it needs, and the hash. */
    assert_null(am_store_session_check(s, hash_of("token-one"), &g));
    assert_non_null(g);
    assert_int_equal(g->id, x->id);
    assert_int_equal(g->kind, AM_SESSION_BEARER);
    assert_string_equal(g->user, "alice");
    assert_int_equal(g->employment, 42);
    assert_string_equal(g->realm, "/PlanCare2Api");
    assert_int_equal(g->expires_at, T0 + 3600 * SEC);
    assert_int_equal(g->last_used, T0);
    assert_string_equal(g->token_hash, hash_of("token-one"));
    assert_null(g->renew_hash);
    assert_null(g->dialect);
    assert_null(am_store_session_check(s, hash_of("renew-one"), &g));
    assert_null(g);

    /* By the renewal token; the tokens themselves never look it up. */
    assert_null(am_store_session_get_renew(s, hash_of("renew-one"), &g));
    assert_non_null(g);
    assert_int_equal(g->id, x->id);
    assert_null(am_store_session_get_renew(s, hash_of("token-one"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, hash_of("renew-one"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, hash_of("unknown"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, NULL, &g));
    assert_null(g);

    /* The database holds no token, only hashes. */
    assert_int_equal(apr_dbd_select(driver, pool, s->handle, &res,
                                    "SELECT * FROM am_sessions", 0), 0);
    while (apr_dbd_get_row(driver, pool, res, &row, -1) == 0) {
        int i, n = apr_dbd_num_cols(driver, res);

        for (i = 0; i < n; i++) {
            const char *v = apr_dbd_get_entry(driver, row, i);
            if (v && (strstr(v, "token-one") || strstr(v, "renew-one"))) {
                found_plain = 1;
            }
        }
    }
    assert_false(found_plain);

    /* A token hash is stored once. */
    assert_non_null(am_store_session_create(s, bearer("token-one", NULL,
                                                      "bob"), T0));
}

static void test_alive(void **state)
{
    am_session_t x;

    memset(&x, 0, sizeof(x));
    x.last_used = T0;
    assert_true(am_session_alive(&x, T0 + 1000000 * SEC));
    x.expires_at = T0 + 10 * SEC;
    assert_true(am_session_alive(&x, T0 + 10 * SEC - 1));
    assert_false(am_session_alive(&x, T0 + 10 * SEC));
    x.idle = 4 * SEC;
    assert_true(am_session_alive(&x, T0 + 4 * SEC - 1));
    assert_false(am_session_alive(&x, T0 + 4 * SEC));
    /* Renewal: needs a renewal token; has its own expiry; idle holds. */
    assert_false(am_session_renewable(&x, T0));
    x.renew_hash = "h";
    x.renew_expires_at = T0 + 100 * SEC;
    x.idle = 0;
    assert_true(am_session_renewable(&x, T0 + 50 * SEC));
    assert_false(am_session_alive(&x, T0 + 50 * SEC));
    assert_false(am_session_renewable(&x, T0 + 100 * SEC));
    x.idle = 4 * SEC;
    assert_false(am_session_renewable(&x, T0 + 5 * SEC));
}

static void test_touch_renew_delete(void **state)
{
    am_store_t *s = open_store();
    am_session_t *x = bearer("token-two", "renew-two", "alice"), *g = NULL;
    am_session_t nx;
    int done = -1;

    assert_null(am_store_session_create(s, x, T0));
    /* Within the granularity nothing is written. */
    assert_null(am_store_session_touch(s, x->id, T0 + 30 * SEC, 60 * SEC));
    assert_null(am_store_session_get(s, hash_of("token-two"), &g));
    assert_int_equal(g->last_used, T0);
    assert_null(am_store_session_touch(s, x->id, T0 + 61 * SEC, 60 * SEC));
    assert_null(am_store_session_get(s, hash_of("token-two"), &g));
    assert_int_equal(g->last_used, T0 + 61 * SEC);
    /* Never backwards. */
    assert_null(am_store_session_touch(s, x->id, T0 + 10 * SEC, 0));
    assert_null(am_store_session_get(s, hash_of("token-two"), &g));
    assert_int_equal(g->last_used, T0 + 61 * SEC);

    /* Renew replaces both tokens, once. */
    memset(&nx, 0, sizeof(nx));
    nx.token_hash = hash_of("token-three");
    nx.renew_hash = hash_of("renew-three");
    nx.expires_at = T0 + 7200 * SEC;
    nx.renew_expires_at = T0 + 90000 * SEC;
    assert_null(am_store_session_renew(s, x->id, hash_of("renew-two"), &nx,
                                       T0 + 100 * SEC, &done));
    assert_int_equal(done, 1);
    assert_null(am_store_session_get(s, hash_of("token-two"), &g));
    assert_null(g);
    assert_null(am_store_session_get_renew(s, hash_of("renew-two"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, hash_of("token-three"), &g));
    assert_non_null(g);
    assert_int_equal(g->id, x->id);
    assert_int_equal(g->expires_at, T0 + 7200 * SEC);
    assert_int_equal(g->renew_expires_at, T0 + 90000 * SEC);
    assert_int_equal(g->last_used, T0 + 100 * SEC);
    assert_string_equal(g->user, "alice");
    /* The old renewal token a second time: nothing happens. */
    nx.token_hash = hash_of("token-four");
    nx.renew_hash = hash_of("renew-four");
    assert_null(am_store_session_renew(s, x->id, hash_of("renew-two"), &nx,
                                       T0 + 101 * SEC, &done));
    assert_int_equal(done, 0);
    assert_null(am_store_session_get(s, hash_of("token-three"), &g));
    assert_non_null(g);

    /* Logout ends it. */
    assert_null(am_store_session_delete(s, x->id, &done));
    assert_int_equal(done, 1);
    assert_null(am_store_session_get(s, hash_of("token-three"), &g));
    assert_null(g);
    assert_null(am_store_session_delete(s, x->id, &done));
    assert_int_equal(done, 0);
}

static void test_filters(void **state)
{
    am_store_t *s = open_store();
    am_session_t *f1 = bearer("feed-1", NULL, "carol");
    am_session_t *f2 = bearer("feed-2", NULL, "carol");
    am_session_t *f3 = bearer("feed-3", NULL, "carol");
    am_session_t *t1 = bearer("carol-token", NULL, "carol");
    am_session_filter_t f;
    apr_array_header_t *out = NULL;
    int n = -1;

    f1->kind = f2->kind = f3->kind = AM_SESSION_FEED;
    f1->scope = f2->scope = "ClientAppointments/Feed/6.ics";
    f3->scope = "TeamAppointments/Feed/2.ics";
    f1->expires_at = f2->expires_at = f3->expires_at = 0;
    assert_null(am_store_session_create(s, f1, T0));
    assert_null(am_store_session_create(s, f2, T0 + SEC));
    assert_null(am_store_session_create(s, f3, T0));
    assert_null(am_store_session_create(s, t1, T0));

    memset(&f, 0, sizeof(f));
    f.user = "carol";
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 4);
    f.kind = AM_SESSION_FEED;
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 3);
    f.scope = "ClientAppointments/Feed/6.ics";
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 2);
    assert_int_equal(APR_ARRAY_IDX(out, 0, am_session_t *)->id, f1->id);
    f.realm = "/elsewhere";
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 0);
    f.realm = "/PlanCare2Api";
    f.user = "dave";
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 0);

    /* Revoke one feed's keys: the other feed and the login stay. */
    f.user = "carol";
    assert_null(am_store_session_delete_where(s, &f, &n));
    assert_int_equal(n, 2);
    f.scope = NULL;
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 1);
    assert_int_equal(APR_ARRAY_IDX(out, 0, am_session_t *)->id, f3->id);
    f.kind = AM_SESSION_ANY;
    assert_null(am_store_session_list(s, &f, &out));
    assert_int_equal(out->nelts, 2);
}

static void test_purge(void **state)
{
    am_store_t *s = open_store();
    am_session_t *gone = bearer("p-expired", NULL, "erin");
    am_session_t *renewable = bearer("p-renewable", "p-renew", "erin");
    am_session_t *idle = bearer("p-idle", NULL, "erin");
    am_session_t *forever = bearer("p-forever", NULL, "erin");
    am_session_t *g = NULL;
    int n = -1;

    gone->expires_at = T0 + 10 * SEC;
    renewable->expires_at = T0 + 10 * SEC;
    renewable->renew_expires_at = T0 + 1000 * SEC;
    idle->expires_at = T0 + 1000 * SEC;
    idle->idle = 5 * SEC;
    forever->expires_at = 0;
    assert_null(am_store_session_create(s, gone, T0));
    assert_null(am_store_session_create(s, renewable, T0));
    assert_null(am_store_session_create(s, idle, T0));
    assert_null(am_store_session_create(s, forever, T0));

    {
        am_err_t *e = am_store_session_purge(s, T0 + 4 * SEC, &n);
        if (e) {
            fail_msg("purge: %s", e->message);
        }
    }
    assert_int_equal(n, 0);
    assert_null(am_store_session_purge(s, T0 + 20 * SEC, &n));
    assert_int_equal(n, 2);
    assert_null(am_store_session_get(s, hash_of("p-expired"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, hash_of("p-idle"), &g));
    assert_null(g);
    assert_null(am_store_session_get(s, hash_of("p-renewable"), &g));
    assert_non_null(g);
    assert_null(am_store_session_purge(s, T0 + 2000 * SEC, &n));
    assert_int_equal(n, 1);
    assert_null(am_store_session_get(s, hash_of("p-forever"), &g));
    assert_non_null(g);
}

/* A database of schema version 1 (before sessions) gets the session
 * table on the next connection; nothing else is touched. */
static void test_migrate_from_v1(void **state)
{
    am_store_t *s = open_store();
    am_session_t *g = NULL;
    int nrows;

    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "DROP TABLE am_sessions"), 0);
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "UPDATE am_schema SET version = 1"), 0);
    s = open_store();
    assert_null(am_store_session_create(s, bearer("after-migration", NULL,
                                                  "frank"), T0));
    assert_null(am_store_session_get(s, hash_of("after-migration"), &g));
    assert_non_null(g);
    assert_string_equal(g->user, "frank");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_create_get),
        cmocka_unit_test(test_alive),
        cmocka_unit_test(test_touch_renew_delete),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_purge),
        cmocka_unit_test(test_migrate_from_v1),
    };

    if (am_test_store_begin(&pool, &driver, dbpath)) {
        return 1;
    }
    return am_test_store_end(pool, dbpath,
                             cmocka_run_group_tests(tests, NULL, NULL));
}

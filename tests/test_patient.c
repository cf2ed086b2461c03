/* Licensed under the Apache License, Version 2.0.
 *
 * test_patient.c: the patient dialect (src/dialect_patient.c) without
 * httpd: its route table, its handlers against a real SQLite store, the
 * mapping to the canonical appointment as the other dialects see it, the
 * default duration and the double-booking guard.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <apr_dbd.h>

#include "test_types.h"
#include "route.h"
#include "store.h"
#include "dialect_patient.h"
#include "feed.h"
#include "login.h"
#include "dialect_plancare2.h"

static apr_pool_t *pool;
static const am_tz_t *ams;
static char dbpath[] = "/tmp/am-test-patient-XXXXXX";
static const apr_dbd_driver_t *driver;
static am_store_t *store;

static const char seed_start[] = "2026-02-03T21:04:03.1544841-06:00";

static int setup(void **state)
{
    apr_dbd_t *h = NULL;
    am_err_t *e;

    apr_pool_create(&pool, NULL);
    store = apr_pcalloc(pool, sizeof(*store));
    assert_int_equal(apr_dbd_open(driver, pool,
                                  apr_pstrcat(pool, dbpath, "/db.sqlite",
                                              NULL), &h), APR_SUCCESS);
    store->pool = pool;
    store->driver = driver;
    store->handle = h;
    store->prepared = apr_hash_make(pool);
    if ((e = am_store_connect(pool, driver, h, store->prepared))) {
        fail_msg("connect: %s", e->message);
    }
    return 0;
}

static int teardown(void **state)
{
    apr_dbd_close(driver, store->handle);
    apr_pool_destroy(pool);
    return 0;
}

/* A request for method and path with a JSON body (or none), as the glue
 * makes it. */
static am_req_t *request(const char *method, const char *path,
                         const char *json, const char *query)
{
    am_req_t *rq = apr_pcalloc(pool, sizeof(*rq));
    am_err_t *e;

    rq->pool = pool;
    rq->dialect = &am_dialect_patient;
    rq->method = method;
    rq->path = path;
    rq->params = apr_table_make(pool, 2);
    rq->tz = ams;
    rq->store = store;
    rq->user = "alice";
    rq->prevent_double_booking = 1;
    e = am_route_match(pool, &am_dialect_patient, method, path, &rq->route,
                       rq->params);
    if (e) {
        fail_msg("no route for %s %s: %s", method, path, e->message);
    }
    assert_null(am_query_parse(pool, query, &rq->query));
    if (json) {
        assert_non_null(rq->route->in);
        e = am_json_decode(pool, rq->route->in, json, strlen(json), ams, 0,
                           &rq->body);
        if (e) {
            tt_print_err(e);
            fail_msg("body: %s", e->message);
        }
    }
    return rq;
}

static const char *seed_json(void)
{
    apr_size_t len;

    return tt_read(pool, "seed003_AppointmentModel.json", &len);
}

/* The seed with its ProviderId and AppointmentOn replaced. */
static const char *seed_for(const char *provider, const char *start)
{
    const char *s = seed_json();
    char *out = apr_pstrdup(pool, s), *p;

    p = strstr(out, "35892d05-0086-4366-930b-3fa374cac51e");
    memcpy(p, provider, 36);
    out = apr_pstrcat(pool, apr_pstrmemdup(pool, out,
                                           strstr(out, seed_start) - out),
                      start, strstr(out, seed_start) + strlen(seed_start),
                      NULL);
    return out;
}

/* The answer of the last call. */
static am_resp_t resp;

static am_err_t *call(am_req_t *rq)
{
    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    resp.headers = apr_table_make(pool, 4);
    return rq->route->handler(rq, &resp);
}

static const char *out_str(am_req_t *rq, const char *name)
{
    am_value_t *v = am_obj_get(resp.obj, name);

    return (v->set && !v->null) ? v->u.s : NULL;
}

/* ------------------------------------------------------------- tests */

/* Every route names the PatientCalendar function: Start to read, Edit to
 * write (feed keys: Start); the three posts take AppointmentModel. */
static void test_route_table(void **state)
{
    const am_dialect_t *d = am_dialect_find("patient");
    int i, posts = 0, logins = 0;

    assert_ptr_equal(d, &am_dialect_patient);
    assert_true(d->body_formats & AM_FMT_FORM);
    for (i = 0; i < d->nroutes; i++) {
        const am_route_t *r = &d->routes[i];

        if (am_login_route_op(r)) {
            /* token, token/revoke: public, PlanCare2's bearer tokens. */
            assert_null(r->function);
            assert_int_equal(am_login_route_op(r)->kind, AM_SESSION_BEARER);
            logins++;
            continue;
        }
        assert_string_equal(r->function, "PatientCalendar");
        /* A feed's key routes (POST issues a key to read the feed,
         * DELETE revokes it) change no appointment: the read grant. */
        assert_string_equal(r->permission,
                            (strcmp(r->method, "GET")
                             && r->handler != am_feed_key_issue
                             && r->handler != am_feed_key_revoke)
                            ? "Edit" : "Start");
        if (!strncmp(r->pattern, "PatientAppointmentPost", 22)) {
            assert_ptr_equal(r->in, &am_patient_appointment);
            posts++;
        }
    }
    assert_int_equal(posts, 3);
    assert_int_equal(logins, 2);
}

/* The seed posted: stored with the canonical mapping, and the core
 * members as the PlanCare2 dialect presents them. */
static void test_post_and_core_view(void **state)
{
    am_req_t *rq = request("POST", "PatientAppointmentPost_v2", seed_json(),
                           NULL);
    am_appt_t *a = NULL;
    am_obj_t *pc;
    am_time_t start = tt_time(seed_start);
    const char *id;

    assert_null(call(rq));
    id = out_str(rq, "Id");
    assert_non_null(id);
    assert_non_null(am_guid_parse(pool, id));
    assert_string_equal(resp.location,
                        apr_pstrcat(pool, "PatientAppointmentGet/", id, NULL));
    assert_int_equal(resp.version, 1);
    assert_int_equal(am_obj_get(resp.obj, "AppointmentEndOn")->u.t,
                     start + 30 * AM_TICKS_PER_MIN);
    assert_string_equal(out_str(rq, "CreatedBy"), "alice");

    assert_null(am_store_get_uid(store, id, AM_KIND_ANY, &a));
    assert_int_equal(a->kind, AM_KIND_PATIENT);
    assert_int_equal(a->start, start);
    assert_int_equal(a->end, start + 30 * AM_TICKS_PER_MIN);
    assert_string_equal(a->title, "sample string 3");
    assert_string_equal(a->remarks, "sample string 4");
    assert_null(a->reason);
    assert_string_equal(am_appt_link(a, "patient"),
                        "a25ad686-2f86-43e7-b238-9251e37e2c50");
    assert_string_equal(am_appt_link(a, "provider"),
                        "35892d05-0086-4366-930b-3fa374cac51e");
    assert_non_null(strstr(a->ext, "\"PaidAmount\":5.0"));

    /* another dialect's view of the core fields */
    pc = am_model_to_obj(pool, &am_pc2_contract, a, ams);
    assert_string_equal(am_obj_get(pc, "Title")->u.s, "sample string 3");
    assert_string_equal(am_obj_get(pc, "Remarks")->u.s, "sample string 4");
    assert_int_equal(am_obj_get(pc, "Start")->u.t, start);
    assert_int_equal(am_obj_get(pc, "End")->u.t,
                     start + 30 * AM_TICKS_PER_MIN);
    assert_int_equal(am_obj_get(pc, "Status")->u.i, AM_STATUS_CREATED);
    assert_string_equal(am_obj_get(pc, "CreatedByName")->u.s, "alice");

    /* and listed among all kinds */
    {
        am_query_t q;
        apr_array_header_t *all = NULL;
        int i, found = 0;

        memset(&q, 0, sizeof(q));
        q.kind = AM_KIND_ANY;
        q.from = start - AM_TICKS_PER_DAY;
        q.until = start + AM_TICKS_PER_DAY;
        assert_null(am_store_list(store, &q, &all));
        for (i = 0; i < all->nelts; i++) {
            found += !strcmp(APR_ARRAY_IDX(all, i, am_appt_t *)->uid, id);
        }
        assert_int_equal(found, 1);
    }
}

/* The guard, the default duration, cancel and reschedule. */
static void test_guard_cancel_reschedule(void **state)
{
    const char *prov = "11111111-2222-3333-4444-555555555555";
    am_req_t *rq = request("POST", "PatientAppointmentPost",
                           seed_for(prov, "2031-01-01T10:00:00+01:00"),
                           NULL);
    am_err_t *e;
    const char *id, *id2;

    assert_null(call(rq));
    id = out_str(rq, "Id");

    /* overlapping: 409; without the guard: allowed, 45 minutes */
    rq = request("POST", "PatientAppointmentPost_v1",
                 seed_for(prov, "2031-01-01T10:29:59+01:00"), NULL);
    e = call(rq);
    assert_non_null(e);
    assert_int_equal(e->status, 409);
    rq = request("POST", "PatientAppointmentPost_v1",
                 seed_for(prov, "2031-01-01T10:30:00+01:00"), NULL);
    rq->default_duration_min = 45;
    assert_null(call(rq));
    id2 = out_str(rq, "Id");
    assert_int_equal(am_obj_get(resp.obj, "AppointmentEndOn")->u.t,
                     tt_time("2031-01-01T10:15:00Z"));
    rq = request("POST", "PatientAppointmentPost_v1",
                 seed_for(prov, "2031-01-01T10:00:00+01:00"), NULL);
    rq->prevent_double_booking = 0;
    assert_null(call(rq));

    /* cancel: kept, with the reason in the canonical reason */
    rq = request("POST", "PatientAppointmentCancel",
                 apr_pstrcat(pool, "{\"Id\":\"{", id, "}\",\"Reason\":"
                             "\"no show\"}", NULL), NULL);
    assert_null(call(rq));
    assert_int_equal(am_obj_get(resp.obj, "Status")->u.i,
                     AM_STATUS_CANCELLED);
    {
        am_appt_t *a = NULL;

        assert_null(am_store_get_uid(store, id, AM_KIND_PATIENT, &a));
        assert_int_equal(a->status, AM_STATUS_CANCELLED);
        assert_string_equal(a->reason, "no show");
        assert_string_equal(a->title, "sample string 3");
        assert_string_equal(a->status_by_name, "alice");
        assert_int_equal(a->version, 2);
    }

    /* reschedule the second (45 minutes) to 09:00: the duration stays */
    rq = request("POST", "PatientAppointmentReschedule",
                 apr_pstrcat(pool, "{\"Id\":\"", id2, "\",\"AppointmentOn\":"
                             "\"2031-01-01T09:00:00+01:00\"}", NULL), NULL);
    assert_null(call(rq));
    assert_int_equal(am_obj_get(resp.obj, "AppointmentEndOn")->u.t,
                     tt_time("2031-01-01T08:45:00Z"));
    /* the cancelled one cannot move */
    rq = request("POST", "PatientAppointmentReschedule",
                 apr_pstrcat(pool, "{\"Id\":\"", id, "\",\"AppointmentOn\":"
                             "\"2031-01-02T09:00:00+01:00\"}", NULL), NULL);
    e = call(rq);
    assert_non_null(e);
    assert_int_equal(e->status, 409);

    /* another kind is not found by the patient routes */
    {
        am_appt_t *c = am_appt_make(pool, AM_KIND_CONTRACT);

        c->start = tt_time("2031-01-01T00:00:00Z");
        c->end = c->start + AM_TICKS_PER_MIN;
        c->title = "contract";
        assert_null(am_store_create(store, c));
        rq = request("GET", apr_pstrcat(pool, "PatientAppointmentGet/",
                                        c->uid, NULL), NULL, NULL);
        e = call(rq);
        assert_non_null(e);
        assert_int_equal(e->status, 404);
    }
}

static void test_list(void **state)
{
    const char *prov = "99999999-2222-3333-4444-555555555555";
    am_req_t *rq = request("POST", "PatientAppointmentPost_v2",
                           seed_for(prov, "2032-01-01T10:00:00+01:00"), NULL);
    am_err_t *e;

    assert_null(call(rq));
    rq = request("GET", "PatientAppointmentList", NULL,
                 apr_pstrcat(pool, "providerId=", prov, "&from=2032-01-01"
                             "&until=2032-01-02", NULL));
    assert_null(call(rq));
    assert_int_equal(resp.list->nelts, 1);
    assert_ptr_equal(resp.list_type, &am_patient_appointment);
    rq = request("GET", "PatientAppointmentList", NULL,
                 apr_pstrcat(pool, "providerId=", prov, "&patientId="
                             "a25ad686-2f86-43e7-b238-9251e37e2c51"
                             "&from=2032-01-01&until=2032-01-02", NULL));
    assert_null(call(rq));
    assert_int_equal(resp.list->nelts, 0);
    rq = request("GET", "PatientAppointmentList", NULL,
                 "from=2032-01-01&until=2031-01-02&providerId=x");
    e = call(rq);
    assert_non_null(e);
    assert_non_null(tt_field_msg(e, "providerId"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_table),
        cmocka_unit_test_setup_teardown(test_post_and_core_view, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_guard_cancel_reschedule, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };
    apr_pool_t *init;
    int rc;

    apr_initialize();
    apr_pool_create(&init, NULL);
    apr_dbd_init(init);
    ams = am_tz_get("Europe/Amsterdam");
    if (!ams || apr_dbd_get_driver(init, "sqlite3", &driver)
                != APR_SUCCESS) {
        fprintf(stderr, "time zones or the sqlite3 driver unavailable\n");
        return 1;
    }
    if (!mkdtemp(dbpath)) {
        perror("mkdtemp");
        return 1;
    }
    am_dialects_init(init);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (system(apr_pstrcat(init, "rm -rf ", dbpath, NULL)) != 0) {
        rc = rc ? rc : 1;
    }
    apr_pool_destroy(init);
    apr_terminate();
    return rc;
}

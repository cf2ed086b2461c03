/* Licensed under the Apache License, Version 2.0.
 *
 * test_group_commit.c: SQLite writers of several threads, each on its own
 * connection, through one gate (store.h, am_gate_create): the writes that
 * one committer takes together are each all or nothing.  A create that
 * fails after it has written (a trigger refuses its link) or before (a
 * double booking) leaves nothing behind, and every other create of the
 * same transaction is stored; so is every create of a transaction none
 * of whose creates fails.  Rounds run until one transaction has held
 * more than one write, so that the shared path is the one tested.
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
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include "store.h"
#include "store_fixture.h"

#define NTHREADS 8
#define NWRITES  30
#define MAXROUNDS 20

static apr_pool_t *pool;
static char dbpath[] = "/tmp/am-test-group-XXXXXX";
static const char *file;
static const apr_dbd_driver_t *driver;
static am_gate_t *gate;
static const am_time_t slot = 638000000000000000LL;

static am_store_t *open_store(apr_pool_t *p)
{
    am_store_t *s = am_test_store(p, driver, file);

    s->gate = gate;
    return s;
}

/* Whether some writes of a round are refused (else all are stored). */
static int refusals;

/* What each write of a round is: 0 stored, 1 refused after its row was
 * written (the trigger on its link), 2 refused before (double booking). */
static int fate(int t, int i)
{
    if (!refusals) {
        return 0;
    }
    return (t + i) % 5 == 1 ? 1 : (t + i) % 5 == 3 ? 2 : 0;
}

typedef struct worker {
    int t, round;
    int status[NWRITES];        /* 0 or the error's status */
} worker_t;

static void *APR_THREAD_FUNC writer(apr_thread_t *th, void *data)
{
    worker_t *w = data;
    apr_pool_t *p = NULL;
    am_store_t *s;
    int i;

    apr_pool_create(&p, NULL);
    s = open_store(p);
    for (i = 0; i < NWRITES; i++) {
        am_appt_t *a = am_appt_make(p, AM_KIND_CONTRACT);
        am_err_t *e;
        int f = fate(w->t, i);

        a->uid = apr_psprintf(p, "r%d-t%d-w%d", w->round, w->t, i);
        a->title = "group";
        a->start = f == 2 ? slot : slot + (w->t * NWRITES + i + 1)
                                          * (60 * AM_TICKS_PER_MIN) * 2;
        a->end = a->start + (60 * AM_TICKS_PER_MIN);
        if (f == 2) {
            a->exclusive = "client";
        }
        am_appt_add_link(p, a, "client", f == 2 ? "busy"
                         : apr_psprintf(p, "c%d", w->t));
        if (f == 1) {
            am_appt_add_link(p, a, "employee", "boom");
        }
        e = am_store_create(s, a);
        w->status[i] = e ? e->status : 0;
    }
    apr_dbd_close(driver, s->handle);
    apr_pool_destroy(p);
    apr_thread_exit(th, APR_SUCCESS);
    return NULL;
}

/* Rounds of writes until one transaction held more than one; every
 * write is stored or refused as fate() says, and only then. */
static void rounds(am_store_t *s, int first)
{
    int round, t, i;

    for (round = first; round < first + MAXROUNDS; round++) {
        apr_thread_t *th[NTHREADS];
        worker_t w[NTHREADS];

        for (t = 0; t < NTHREADS; t++) {
            memset(&w[t], 0, sizeof(w[t]));
            w[t].t = t;
            w[t].round = round;
            assert_int_equal(apr_thread_create(&th[t], NULL, writer, &w[t],
                                               pool), APR_SUCCESS);
        }
        for (t = 0; t < NTHREADS; t++) {
            apr_status_t rv;

            apr_thread_join(&rv, th[t]);
        }
        for (t = 0; t < NTHREADS; t++) {
            for (i = 0; i < NWRITES; i++) {
                const char *uid = apr_psprintf(pool, "r%d-t%d-w%d", round,
                                               t, i);
                am_appt_t *got = NULL;
                am_err_t *e = am_store_get_uid(s, uid, AM_KIND_ANY, &got);
                int f = fate(t, i);

                if (f == 0) {
                    assert_int_equal(w[t].status[i], 0);
                    if (e) {
                        fail_msg("%s acknowledged but not stored: %s", uid,
                                 e->message);
                    }
                    assert_string_equal(got->uid, uid);
                }
                else {
                    assert_int_equal(w[t].status[i], f == 1 ? 500 : 409);
                    if (!e) {
                        fail_msg("%s refused but stored", uid);
                    }
                    assert_int_equal(e->status, 404);
                }
            }
        }
        if (am_gate_max_batch(gate) > 1) {
            break;
        }
    }
    if (am_gate_max_batch(gate) < 2) {
        fail_msg("no transaction held more than one write in %d rounds",
                 MAXROUNDS);
    }
    print_message("largest transaction: %d writes, after %d round(s)\n",
                  am_gate_max_batch(gate), round - first + 1);
}

/* Transactions of writes that all succeed (committed as they ran), then
 * of writes some of which fail (each write run again in a savepoint of
 * its own, the failing ones rolled back alone). */
static void test_each_write_alone(void **state)
{
    am_store_t *s = open_store(pool);
    am_appt_t *busy = am_appt_make(pool, AM_KIND_CONTRACT);
    int nrows = 0;

    (void)state;
    refusals = 0;
    rounds(s, 0);

    gate = am_gate_create(pool);
    s->gate = gate;
    refusals = 1;
    /* A link to "boom" fails after the appointment's row is written. */
    assert_int_equal(apr_dbd_query(driver, s->handle, &nrows,
                                   "CREATE TRIGGER boom BEFORE INSERT ON"
                                   " am_links WHEN NEW.ref = 'boom' BEGIN"
                                   " SELECT RAISE(ABORT, 'boom'); END"), 0);
    busy->start = slot;
    busy->end = slot + (60 * AM_TICKS_PER_MIN);
    am_appt_add_link(pool, busy, "client", "busy");
    assert_null(am_store_create(s, busy));
    rounds(s, MAXROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_write_alone),
    };

    if (am_test_store_begin(&pool, &driver, dbpath)) {
        return 1;
    }
    file = apr_pstrcat(pool, dbpath, "/db.sqlite", NULL);
    gate = am_gate_create(pool);
    return am_test_store_end(pool, dbpath,
                             cmocka_run_group_tests(tests, NULL, NULL));
}

/* Licensed under the Apache License, Version 2.0.
 *
 * store_fixture.h: the unit tests' store on a SQLite file (include after
 * cmocka.h and store.h).  am_test_store_begin and am_test_store_end
 * frame a test program's main: APR, the sqlite3 driver and a fresh
 * folder (dbpath, a mkdtemp template) made, then removed; am_test_store
 * opens a new connection to a file there, its statements prepared in p
 * and the schema created or migrated (the test fails when that does not
 * work).
 */
#ifndef AM_STORE_FIXTURE_H
#define AM_STORE_FIXTURE_H

static am_store_t *am_test_store(apr_pool_t *p,
                                 const apr_dbd_driver_t *driver,
                                 const char *file)
{
    am_store_t *s = apr_pcalloc(p, sizeof(*s));
    apr_dbd_t *h = NULL;
    am_err_t *e;

    assert_int_equal(apr_dbd_open(driver, p, file, &h), APR_SUCCESS);
    s->pool = p;
    s->driver = driver;
    s->handle = h;
    s->prepared = apr_hash_make(p);
    e = am_store_connect(p, driver, h, s->prepared);
    if (e) {
        fail_msg("connect: %s", e->message);
    }
    return s;
}

/* 0 when APR, *pool, *driver and the folder dbpath are ready. */
static int am_test_store_begin(apr_pool_t **pool,
                               const apr_dbd_driver_t **driver,
                               char *dbpath)
{
    apr_initialize();
    apr_pool_create(pool, NULL);
    apr_dbd_init(*pool);
    if (apr_dbd_get_driver(*pool, "sqlite3", driver) != APR_SUCCESS) {
        fprintf(stderr, "the apr_dbd sqlite3 driver is missing\n");
        return 1;
    }
    if (!mkdtemp(dbpath)) {
        perror("mkdtemp");
        return 1;
    }
    return 0;
}

/* Removes the folder and ends APR; the program's exit status from the
 * tests' rc. */
static int am_test_store_end(apr_pool_t *pool, const char *dbpath, int rc)
{
    if (system(apr_pstrcat(pool, "rm -rf ", dbpath, NULL)) != 0) {
        rc = rc ? rc : 1;
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}

#endif

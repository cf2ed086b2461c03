/* Licensed under the Apache License, Version 2.0.
 *
 * io.c: the request's side of the pipeline (src/serve.h) in httpd: its
 * body (read through the input filters, capped by AppointmentsMaxBody),
 * its store (the connection mod_dbd keeps for the request), the response
 * sent, and the APPOINTMENTS_ERROR filter that gives the errors httpd
 * answers itself (401, 403, 413, 400) the dialect's error body.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "store.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

#define AM_ERROR_FILTER       "APPOINTMENTS_ERROR"
#define AM_DENIED_MESSAGE     "Authorization has been denied for this" \
                              " request."

/* Set at start-up, read-only afterwards. */
static ap_dbd_t *(*am_dbd_acquire)(request_rec *) = NULL;

const char *am_io_init(void)
{
    am_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (!am_dbd_acquire) {
        return "mod_appointments needs mod_dbd: add 'LoadModule dbd_module"
               " modules/mod_dbd.so' (on Debian: a2enmod dbd) and the"
               " DBDriver/DBDParams directives";
    }
    return NULL;
}

/* ------------------------------------------------------------ bodies */

static am_err_t *read_body(void *ctx, apr_off_t max, char **buf,
                           apr_size_t *len)
{
    request_rec *r = ctx;
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

            if (status == AP_FILTER_ERROR) {
                status = AM_ANSWERED;
            }
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

static am_err_t *discard_body(void *ctx)
{
    request_rec *r = ctx;
    int rc = ap_discard_request_body(r);

    if (rc == AP_FILTER_ERROR) {
        return am_err_make(r->pool, AM_ANSWERED, "answered by a filter");
    }
    if (rc != OK) {
        return am_err_make(r->pool, rc, "The request body could not be"
                           " read.");
    }
    return NULL;
}

/* The store on this request's connection; prepares the statements when
 * the connection's post_connect did not manage to. */
static am_err_t *open_store(void *ctx, am_store_t *s)
{
    request_rec *r = ctx;
    ap_dbd_t *dbd = am_dbd_acquire ? am_dbd_acquire(r) : NULL;
    am_err_t *e;

    if (!dbd) {
        e = am_err_make(r->pool, 503, "The database is not available.");
        e->retry_after = 5;
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "no database"
                      " connection (check the DBD directives and the error"
                      " log of mod_dbd)");
        return e;
    }
    if (!am_store_ready(dbd->prepared)) {
        e = am_store_connect(dbd->pool, dbd->driver, dbd->handle,
                             dbd->prepared);
        if (e) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "database set-up"
                          " failed: %s", e->message);
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
    s->gate = ((am_srv_conf_t *)ap_get_module_config(r->server->module_config,
                                                     &appointments_module))
              ->gate;
    /* Permissions follow the appointment (glue/access.c). */
    s->access = am_access_check;
    s->access_ctx = am_access_ctx(r, am_glue_dialect(r));
    s->access_own = am_access_own(am_glue_dialect(r));
    return NULL;
}

am_err_t *am_io_read_body(request_rec *r, apr_off_t max, char **buf,
                          apr_size_t *len)
{
    return read_body(r, max, buf, len);
}

am_err_t *am_io_store(request_rec *r, am_store_t *s)
{
    return open_store(r, s);
}

void am_io_of(request_rec *r, am_io_t *io)
{
    io->ctx = r;
    io->read_body = read_body;
    io->discard_body = discard_body;
    io->open_store = open_store;
}

/* ---------------------------------------------------------- responses */

static int set_header(void *rec, const char *key, const char *value)
{
    request_rec *r = rec;

    if (!strcasecmp(key, "Vary")) {
        apr_table_mergen(r->headers_out, key, value);
    }
    else {
        apr_table_setn(r->headers_out, key, value);
    }
    return 1;
}

int am_io_send(request_rec *r, const am_resp_t *rs)
{
    if (rs->answered) {
        return AP_FILTER_ERROR;
    }
    apr_table_do(set_header, r, rs->headers, NULL);
    r->status = rs->status;
    if (rs->body) {
        ap_set_content_type(r, rs->ctype);
        ap_set_content_length(r, (apr_off_t)rs->len);
        if (!r->header_only) {
            ap_rwrite(rs->body, (int)rs->len, r);
        }
    }
    else {
        ap_set_content_length(r, 0);
    }
    return OK;
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
static apr_status_t error_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    apr_bucket *b, *next;
    apr_bucket *body = f->ctx;

    if (!body) {
        const char *ctype = NULL;
        const char *msg = apr_table_get(r->notes, AM_NOTE_ERROR_MESSAGE);
        const char *code = apr_table_get(r->notes, AM_NOTE_ERROR_CODE);
        am_err_t *e = am_err_make(r->pool, r->status, "%s", msg ? msg
                                  : httpd_error_message(r->status));
        apr_size_t len = 0;

        if (code) {
            /* glue/authn.c: why a token was refused (Xelion's code). */
            e->code = atoi(code);
        }
        char *text = am_serve_error_body(r->pool, am_glue_dialect(r), e,
                                         apr_table_get(r->headers_in,
                                                       "Accept"),
                                         r->method, r->uri, &ctype, &len);

        ap_set_content_type(r, ctype);
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

static void insert_error_filter(request_rec *r)
{
    if (ap_is_HTTP_ERROR(r->status) && am_glue_dialect(r)) {
        ap_add_output_filter(AM_ERROR_FILTER, NULL, r, r->connection);
    }
}

void am_io_register(apr_pool_t *p)
{
    ap_hook_insert_error_filter(insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    ap_register_output_filter(AM_ERROR_FILTER, error_filter, NULL,
                              AP_FTYPE_CONTENT_SET);
}

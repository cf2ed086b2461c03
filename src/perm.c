/* Licensed under the Apache License, Version 2.0.
 *
 * perm.c: the function registry (names and GUIDs), permissions, grants
 * and the user map.
 *
 * The GUIDs are fixed for good: configurations name functions by them.
 * PlanCare2's are the product's own; PatientCalendar and XelionCalendar
 * were chosen for this module (docs/permissions.md).
 */
#include <string.h>
#include <apr_lib.h>
#include <apr_file_io.h>

#include "fields.h"
#include "perm.h"
#include "login.h"

const am_function_t am_functions[] = {
    { AM_FN_CLIENT_GROUP_CALENDAR, "6D8B7697-D439-4E6E-9773-52E40081B837" },
    { AM_FN_TEAM_CALENDAR,         "C3F247FC-E417-49CB-81F0-823D1E835B68" },
    { AM_FN_EMPLOYEE_CALENDAR,     "2B7BC787-80B4-41AD-8975-FD07F3CC1746" },
    { AM_FN_PATIENT_CALENDAR,      "21A26002-E970-40F2-8EB6-0FB29FBB83B8" },
    { AM_FN_XELION_CALENDAR,       "37977AAB-0442-40EB-8AAC-BEF5DD5C5BBC" },
    { NULL, NULL }
};

static const char *const am_permissions[] = {
    AM_PERM_START, AM_PERM_EDIT, AM_PERM_APPROVE, NULL
};

const am_function_t *am_function_find(apr_pool_t *p, const char *name)
{
    const char *guid;
    int i;

    if (!name || !*name) {
        return NULL;
    }
    guid = am_guid_parse(p, name);
    for (i = 0; am_functions[i].name; i++) {
        if (guid ? !strcasecmp(guid, am_functions[i].guid)
                 : !strcasecmp(name, am_functions[i].name)) {
            return &am_functions[i];
        }
    }
    return NULL;
}

int am_permission_find(const char *name)
{
    int i;

    for (i = 0; name && am_permissions[i]; i++) {
        if (!strcasecmp(name, am_permissions[i])) {
            return i;
        }
    }
    return -1;
}

const char *am_permission_name(int i)
{
    if (i < 0 || i >= (int)(sizeof(am_permissions) / sizeof(char *)) - 1) {
        return NULL;
    }
    return am_permissions[i];
}

const char *am_function_names(apr_pool_t *p)
{
    const char *s = "";
    int i;

    for (i = 0; am_functions[i].name; i++) {
        s = apr_pstrcat(p, s, i ? ", " : "", am_functions[i].name, " {",
                        am_functions[i].guid, "}", NULL);
    }
    return s;
}

const char *am_permission_names(apr_pool_t *p)
{
    const char *s = "";
    int i;

    for (i = 0; am_permissions[i]; i++) {
        s = apr_pstrcat(p, s, i ? ", " : "", am_permissions[i], NULL);
    }
    return s;
}

/* A word of a require line without one pair of surrounding quotes. */
static char *unquote(char *w)
{
    apr_size_t n = strlen(w);

    if (n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0]) {
        w[n - 1] = '\0';
        w++;
    }
    return w;
}

const char *am_grant_parse(apr_pool_t *p, const char *word, am_grant_t *out)
{
    const char *colon = strchr(word, ':');
    const char *fname = colon ? apr_pstrmemdup(p, word,
                                               (apr_size_t)(colon - word))
                              : word;
    const char *pname = colon ? colon + 1 : AM_PERM_START;

    if (!*fname) {
        return apr_psprintf(p, "'%s' names no function", word);
    }
    if (colon && strchr(pname, ':')) {
        return apr_psprintf(p, "'%s' is not FUNCTION[:PERMISSION]", word);
    }
    if (!(out->function = am_function_find(p, fname))) {
        return apr_psprintf(p, "unknown function '%s' (known: %s)", fname,
                            am_function_names(p));
    }
    if ((out->permission = am_permission_find(pname)) < 0) {
        return apr_psprintf(p, "unknown permission '%s' in '%s' (known:"
                            " %s)", pname, word, am_permission_names(p));
    }
    return NULL;
}

const char *am_grants_parse(apr_pool_t *p, const char *line,
                            apr_array_header_t **out)
{
    apr_array_header_t *arr = apr_array_make(p, 4, sizeof(am_grant_t));
    char *copy = apr_pstrdup(p, line ? line : ""), *last = NULL, *w;
    const char *err;

    for (w = apr_strtok(copy, " \t\r\n", &last); w;
         w = apr_strtok(NULL, " \t\r\n", &last)) {
        am_grant_t g;

        w = unquote(w);
        if (!*w) {
            continue;
        }
        if ((err = am_grant_parse(p, w, &g))) {
            return err;
        }
        APR_ARRAY_PUSH(arr, am_grant_t) = g;
    }
    if (arr->nelts == 0) {
        return apr_psprintf(p, "name at least one FUNCTION[:PERMISSION]"
                            " (functions: %s; permissions: %s)",
                            am_function_names(p), am_permission_names(p));
    }
    *out = arr;
    return NULL;
}

static int holds(const apr_array_header_t *grants, const am_function_t *f,
                 int perm)
{
    int i;

    for (i = 0; grants && i < grants->nelts; i++) {
        const am_grant_t *g = &APR_ARRAY_IDX(grants, i, am_grant_t);
        if (g->function == f && g->permission == perm) {
            return 1;
        }
    }
    return 0;
}

int am_grants_allow(apr_pool_t *p, const apr_array_header_t *grants,
                    const char *f, const char *perm)
{
    const am_function_t *fn = am_function_find(p, f);
    int pi = am_permission_find(perm ? perm : AM_PERM_START);

    return fn && pi >= 0 && holds(grants, fn, pi);
}

int am_grants_any_route(apr_pool_t *p, const apr_array_header_t *grants,
                        const am_dialect_t *d)
{
    int i;

    for (i = 0; d && i < d->nroutes; i++) {
        if (am_grants_allow(p, grants, d->routes[i].function,
                            d->routes[i].permission)) {
            return 1;
        }
    }
    return 0;
}

int am_grants_any_read(apr_pool_t *p, const apr_array_header_t *grants,
                       const am_dialect_t *d)
{
    int i;

    for (i = 0; d && i < d->nroutes; i++) {
        const am_route_t *r = &d->routes[i];

        if (r->function && !strcmp(r->method, "GET")
            && am_grants_allow(p, grants, r->function, r->permission)) {
            return 1;
        }
    }
    return 0;
}

const char *am_perm_check_dialect(apr_pool_t *p, const am_dialect_t *d)
{
    int i;

    for (i = 0; i < d->nroutes; i++) {
        const am_route_t *r = &d->routes[i];

        if (!r->function && am_login_route_op(r)) {
            continue;               /* a login route: public */
        }
        if (!am_function_find(p, r->function)) {
            return apr_psprintf(p, "route %s %s of dialect %s needs"
                                " function '%s', which is not among the"
                                " known functions (%s)", r->method,
                                r->pattern, d->name,
                                r->function ? r->function : "(none)",
                                am_function_names(p));
        }
        if (am_permission_find(r->permission ? r->permission
                                             : AM_PERM_START) < 0) {
            return apr_psprintf(p, "route %s %s of dialect %s needs"
                                " permission '%s', which is not one of %s",
                                r->method, r->pattern, d->name,
                                r->permission, am_permission_names(p));
        }
    }
    return NULL;
}

/* ----------------------------------------------------------- identity */

apr_int64_t am_employee_id_parse(const char *s)
{
    apr_uint64_t v = 0;
    const char *d;

    if (!s) {
        return 0;
    }
    while (apr_isspace(*s)) {
        s++;
    }
    for (d = s; *d >= '0' && *d <= '9'; d++) {
        if (v > ((apr_uint64_t)APR_INT64_MAX - (apr_uint64_t)(*d - '0'))
                / 10) {
            return 0;
        }
        v = v * 10 + (apr_uint64_t)(*d - '0');
    }
    if (d == s) {
        return 0;
    }
    while (apr_isspace(*d)) {
        d++;
    }
    return *d ? 0 : (apr_int64_t)v;
}

/* Advances *s past white space other than line ends. */
static void skip_blank(const char **s, const char *end)
{
    while (*s < end && (**s == ' ' || **s == '\t')) {
        (*s)++;
    }
}

/* The next word of [*s, end), stopping at white space. */
static const char *word(apr_pool_t *p, const char **s, const char *end)
{
    const char *b;

    skip_blank(s, end);
    b = *s;
    while (*s < end && **s != ' ' && **s != '\t') {
        (*s)++;
    }
    return apr_pstrmemdup(p, b, (apr_size_t)(*s - b));
}

const char *am_usermap_parse(apr_pool_t *p, const char *text,
                             apr_size_t len, apr_hash_t **out)
{
    apr_hash_t *h = apr_hash_make(p);
    apr_hash_t *lines = apr_hash_make(p);
    const char *s = text, *end = text + len;
    int lineno = 0;

    while (s < end) {
        const char *nl = memchr(s, '\n', (apr_size_t)(end - s));
        const char *le = nl ? nl : end;
        const char *user, *id;
        am_employee_t *e;
        int *seen;

        lineno++;
        if (memchr(s, '\0', (apr_size_t)(le - s))) {
            return apr_psprintf(p, "line %d: contains a NUL byte", lineno);
        }
        while (le > s && (le[-1] == '\r' || le[-1] == ' '
                          || le[-1] == '\t')) {
            le--;
        }
        skip_blank(&s, le);
        if (s == le || *s == '#') {
            s = nl ? nl + 1 : end;
            continue;
        }
        user = word(p, &s, le);
        id = word(p, &s, le);
        skip_blank(&s, le);
        if (!*id) {
            return apr_psprintf(p, "line %d: '%s' has no employee id (write"
                                " 'user employee-id [display name]')",
                                lineno, user);
        }
        e = apr_pcalloc(p, sizeof(*e));
        if ((e->id = am_employee_id_parse(id)) <= 0) {
            return apr_psprintf(p, "line %d: employee id '%s' of '%s' is not"
                                " a number from 1 to 9223372036854775807",
                                lineno, id, user);
        }
        if (s < le) {
            e->name = apr_pstrmemdup(p, s, (apr_size_t)(le - s));
            if (!am_utf8_valid(e->name, strlen(e->name))) {
                return apr_psprintf(p, "line %d: the display name of '%s'"
                                    " is not valid UTF-8", lineno, user);
            }
        }
        if ((seen = apr_hash_get(lines, user, APR_HASH_KEY_STRING))) {
            return apr_psprintf(p, "line %d: user '%s' is already mapped on"
                                " line %d", lineno, user, *seen);
        }
        seen = apr_palloc(p, sizeof(*seen));
        *seen = lineno;
        apr_hash_set(lines, user, APR_HASH_KEY_STRING, seen);
        apr_hash_set(h, user, APR_HASH_KEY_STRING, e);
        s = nl ? nl + 1 : end;
    }
    *out = h;
    return NULL;
}

#define AM_USERMAP_MAX (64 * 1024 * 1024)

const char *am_usermap_read(apr_pool_t *p, const char *path,
                            apr_hash_t **out)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t n = 0;
    char *buf, errbuf[120];
    const char *err;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
        if (rv == APR_SUCCESS && (fi.filetype != APR_REG
                                  || fi.size > AM_USERMAP_MAX)) {
            apr_file_close(f);
            return apr_psprintf(p, "%s: not a regular file of at most"
                                " %d bytes", path, AM_USERMAP_MAX);
        }
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(p, (apr_size_t)fi.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &n);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS;
        }
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS) {
        return apr_psprintf(p, "%s: %s", path,
                            apr_strerror(rv, errbuf, sizeof(errbuf)));
    }
    buf[n] = '\0';
    if ((err = am_usermap_parse(p, buf, n, out))) {
        return apr_psprintf(p, "%s: %s", path, err);
    }
    return NULL;
}

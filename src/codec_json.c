/* Licensed under the Apache License, Version 2.0.
 *
 * codec_json.c: JSON bodies (json-c) to and from field-table objects.
 *
 * Decoding runs in three steps.  json-c parses the body (strict, UTF-8
 * validated, depth limited).  A scan of the raw text then walks the same
 * document side by side with json-c's tree, for what json-c loses: it
 * refuses duplicate keys (json-c keeps the last silently), NaN and
 * Infinity (json-c accepts them even when strict) and numbers JSON does
 * not allow ("5."), keeps the source text of every number (json-c
 * saturates big integers; decimals must keep their digits) and registers
 * the objects that carry a Json.NET "$id".  Last, the tree is decoded
 * against the field table, collecting every field error.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <apr_hash.h>
#include <json-c/json.h>
#include <json-c/json_object_iterator.h>

#include "codec.h"

#define JSON_OUT_FLAGS \
    (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Encoding stops descending here (objects built by code could loop). */
#define AM_MAX_ENCODE_DEPTH (4 * AM_MAX_DEPTH)

/* ---------------------------------------------------------- helpers */

/* "line L, position P" (1-based) of offset off in buf. */
static const char *where(apr_pool_t *p, const char *buf, apr_size_t off)
{
    apr_size_t i, line = 1, col = 1;

    for (i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            line++;
            col = 1;
        }
        else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    return apr_psprintf(p, "line %" APR_SIZE_T_FMT ", position %"
                        APR_SIZE_T_FMT, line, col);
}

static am_err_t *syntax_err(apr_pool_t *p, const char *buf, apr_size_t off,
                            const char *what)
{
    return am_err_make(p, 400, "The request body is not valid JSON: %s at"
                       " %s.", what, where(p, buf, off));
}

/* s with every invalid UTF-8 sequence replaced by U+FFFD. */
static const char *utf8_sanitize(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s), i = 0, k;
    char *out = apr_palloc(p, len * 3 + 1), *o = out;

    while (i < len) {
        k = am_utf8_prefix(s + i, len - i);
        memcpy(o, s + i, k);
        o += k;
        i += k;
        if (i < len) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) {
                i++;
            }
        }
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------ the raw scan */

typedef struct jscan {
    apr_pool_t *p;
    const char *buf;
    const char *end;
    apr_hash_t *nums;           /* json_object * -> source text */
    apr_hash_t *ids;            /* "$id" -> json_object * */
    apr_hash_t *spans;          /* json_object * -> jspan_t, or NULL when
                                 * the type has no AM_T_ANY member */
    am_err_t *err;
} jscan_t;

/* The source text of a value, for AM_T_ANY members. */
typedef struct jspan {
    const char *s;
    apr_size_t len;
} jspan_t;

static const char *skip_ws(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
    }
    return s;
}

/* s at '"': past the closing quote, or NULL. */
static const char *skip_string(const char *s, const char *end)
{
    for (s++; s < end; s++) {
        if (*s == '\\') {
            s++;
        }
        else if (*s == '"') {
            return s + 1;
        }
    }
    return NULL;
}

static const char *skip_digits(const char *s, const char *end)
{
    while (s < end && *s >= '0' && *s <= '9') {
        s++;
    }
    return s;
}

/* A JSON number at s: its end, or NULL when it is none. */
static const char *scan_number(const char *s, const char *end)
{
    const char *d;

    if (s < end && *s == '-') {
        s++;
    }
    if (s >= end || !(*s >= '0' && *s <= '9')) {
        return NULL;
    }
    if (*s == '0') {
        s++;
    }
    else {
        s = skip_digits(s, end);
    }
    if (s < end && *s == '.') {
        d = skip_digits(s + 1, end);
        if (d == s + 1) {
            return NULL;
        }
        s = d;
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < end && (*s == '+' || *s == '-')) {
            s++;
        }
        d = skip_digits(s, end);
        if (d == s) {
            return NULL;
        }
        s = d;
    }
    return s;
}

static int literal(const char *s, const char *end, const char *lit)
{
    apr_size_t n = strlen(lit);

    return (apr_size_t)(end - s) >= n && !memcmp(s, lit, n);
}

static const char *scan_fail(jscan_t *sc, const char *at, const char *what)
{
    if (!sc->err) {
        apr_size_t off = at ? (apr_size_t)(at - sc->buf) : 0;

        if (at && at < sc->end && !strcmp(what, "unexpected character")) {
            what = apr_psprintf(sc->p, "unexpected character '%c'",
                                (*at >= 0x20 && *at < 0x7f) ? *at : '?');
        }
        sc->err = syntax_err(sc->p, sc->buf, off, what);
    }
    return NULL;
}

/* Skips any value at s (text json-c accepted): its end or NULL. */
static const char *skip_value(jscan_t *sc, const char *s)
{
    s = skip_ws(s, sc->end);
    if (s >= sc->end) {
        return scan_fail(sc, s, "unexpected end of data");
    }
    switch (*s) {
    case '"': {
        const char *e = skip_string(s, sc->end);

        return e ? e : scan_fail(sc, s, "unterminated string");
    }
    case '{':
    case '[': {
        char close = *s == '{' ? '}' : ']';

        s = skip_ws(s + 1, sc->end);
        if (s < sc->end && *s == close) {
            return s + 1;
        }
        for (;;) {
            if (close == '}') {
                s = skip_ws(s, sc->end);
                if (s >= sc->end || *s != '"'
                    || !(s = skip_string(s, sc->end))) {
                    return scan_fail(sc, s, "a key was expected");
                }
                s = skip_ws(s, sc->end);
                if (s >= sc->end || *s != ':') {
                    return scan_fail(sc, s, "':' was expected");
                }
                s++;
            }
            if (!(s = skip_value(sc, s))) {
                return NULL;
            }
            s = skip_ws(s, sc->end);
            if (s < sc->end && *s == ',') {
                s++;
                continue;
            }
            if (s < sc->end && *s == close) {
                return s + 1;
            }
            return scan_fail(sc, s, "unexpected character");
        }
    }
    default: {
        const char *e;

        if (literal(s, sc->end, "true")) {
            return s + 4;
        }
        if (literal(s, sc->end, "false")) {
            return s + 5;
        }
        if (literal(s, sc->end, "null")) {
            return s + 4;
        }
        /* NaN, Infinity and "5." get here: json-c takes them. */
        e = scan_number(s, sc->end);
        if (!e || (e < sc->end && ((*e >= '0' && *e <= '9') || *e == '.'
                                   || *e == 'e' || *e == 'E'))) {
            return scan_fail(sc, s, "unexpected character");
        }
        return e;
    }
    }
}

/* The first key of the object at s that occurs twice, by its source
 * text; NULL when the duplicates differ only in escapes. */
static const char *find_dup_key(jscan_t *sc, const char *s,
                                const char **at)
{
    apr_hash_t *keys = apr_hash_make(sc->p);

    s = skip_ws(s + 1, sc->end);
    while (s && s < sc->end && *s == '"') {
        const char *k = s, *ke = skip_string(s, sc->end);

        if (!ke) {
            break;
        }
        if (apr_hash_get(keys, k + 1, ke - k - 2)) {
            *at = k;
            return apr_pstrmemdup(sc->p, k + 1, (apr_size_t)(ke - k - 2));
        }
        apr_hash_set(keys, k + 1, ke - k - 2, "");
        s = skip_ws(ke, sc->end);
        if (s >= sc->end || *s != ':') {
            break;
        }
        if (!(s = skip_value(sc, s + 1))) {
            break;
        }
        s = skip_ws(s, sc->end);
        if (s >= sc->end || *s != ',') {
            break;
        }
        s = skip_ws(s + 1, sc->end);
    }
    return NULL;
}

/* True when the source text of a string (b at its opening quote, e past
 * its closing one) escapes a NUL: json-c would cut a key there. */
static int escapes_nul(const char *b, const char *e)
{
    for (b++; b < e - 1; b++) {
        if (*b == '\\') {
            if (b + 5 < e && b[1] == 'u' && !memcmp(b + 2, "0000", 4)) {
                return 1;
            }
            b++;
        }
    }
    return 0;
}

static const char *scan_value(jscan_t *sc, const char *s, json_object *jo);

static const char *scan_object(jscan_t *sc, const char *s, json_object *jo)
{
    const char *start = s;
    struct json_object_iterator it, it_end;
    json_object *idv;
    int nraw = 0;

    if (!json_object_is_type(jo, json_type_object)) {
        return scan_fail(sc, s, "unexpected object");
    }
    /* json-c keeps one entry per distinct key, in document order: fewer
     * entries than members in the text means a key occurred twice. */
    s = skip_ws(s + 1, sc->end);
    if (s < sc->end && *s != '}') {
        const char *c = s;

        for (;;) {
            c = skip_ws(c, sc->end);
            if (c >= sc->end || *c != '"' || !(c = skip_string(c, sc->end))) {
                return scan_fail(sc, c, "a key was expected");
            }
            c = skip_ws(c, sc->end);
            if (c >= sc->end || *c != ':') {
                return scan_fail(sc, c, "':' was expected");
            }
            if (!(c = skip_value(sc, c + 1))) {
                return NULL;
            }
            nraw++;
            c = skip_ws(c, sc->end);
            if (c < sc->end && *c == ',') {
                c++;
                continue;
            }
            break;
        }
    }
    if (nraw != json_object_object_length(jo)) {
        const char *at = start;
        const char *key = find_dup_key(sc, start, &at);

        return scan_fail(sc, at, key ? apr_psprintf(sc->p, "duplicate key"
                                                    " \"%s\"", key)
                                     : "duplicate key");
    }
    it = json_object_iter_begin(jo);
    it_end = json_object_iter_end(jo);
    while (!json_object_iter_equal(&it, &it_end)) {
        const char *k = skip_ws(s, sc->end);

        if (k >= sc->end || !(s = skip_string(k, sc->end))) {
            return scan_fail(sc, k, "a key was expected");
        }
        if (escapes_nul(k, s)) {
            return scan_fail(sc, k, "a key with the character U+0000");
        }
        s = skip_ws(s, sc->end) + 1;                    /* ':' */
        if (!(s = scan_value(sc, s, json_object_iter_peek_value(&it)))) {
            return NULL;
        }
        s = skip_ws(s, sc->end);
        if (s < sc->end && *s == ',') {
            s++;
        }
        json_object_iter_next(&it);
    }
    s = skip_ws(s, sc->end);
    if (s >= sc->end || *s != '}') {
        return scan_fail(sc, s, "unexpected character");
    }
    /* Json.NET preserved references: remember the object by its $id. */
    if (json_object_object_get_ex(jo, "$id", &idv)) {
        const char *id;

        if (!json_object_is_type(idv, json_type_string)) {
            return scan_fail(sc, start, "\"$id\" must be a string");
        }
        id = apr_pstrdup(sc->p, json_object_get_string(idv));
        if (apr_hash_get(sc->ids, id, APR_HASH_KEY_STRING)) {
            return scan_fail(sc, start, apr_psprintf(sc->p, "\"$id\" \"%s\""
                                                     " is used twice", id));
        }
        apr_hash_set(sc->ids, id, APR_HASH_KEY_STRING, jo);
    }
    return s + 1;
}

/* Scans the value at s (which json-c parsed as jo); its end or NULL. */
static const char *scan_value_at(jscan_t *sc, const char *s, json_object *jo)
{
    const char *e;

    s = skip_ws(s, sc->end);
    if (s >= sc->end) {
        return scan_fail(sc, s, "unexpected end of data");
    }
    switch (*s) {
    case '{':
        return scan_object(sc, s, jo);
    case '[': {
        size_t i, n;

        if (!json_object_is_type(jo, json_type_array)) {
            return scan_fail(sc, s, "unexpected array");
        }
        n = json_object_array_length(jo);
        s++;
        for (i = 0; i < n; i++) {
            if (!(s = scan_value(sc, s, json_object_array_get_idx(jo, i)))) {
                return NULL;
            }
            s = skip_ws(s, sc->end);
            if (s < sc->end && *s == ',') {
                s++;
            }
        }
        s = skip_ws(s, sc->end);
        if (s >= sc->end || *s != ']') {
            return scan_fail(sc, s, "unexpected character");
        }
        return s + 1;
    }
    case '"':
        if (!json_object_is_type(jo, json_type_string)
            || !(e = skip_string(s, sc->end))) {
            return scan_fail(sc, s, "unexpected string");
        }
        return e;
    case 't':
    case 'f':
    case 'n':
        if (!(e = skip_value(sc, s))) {
            return scan_fail(sc, s, "unexpected character");
        }
        return e;
    default:
        if (!(e = skip_value(sc, s))) {
            return NULL;
        }
        if (!json_object_is_type(jo, json_type_int)
            && !json_object_is_type(jo, json_type_double)) {
            return scan_fail(sc, s, "unexpected number");
        }
        {
            json_object **k = apr_palloc(sc->p, sizeof(*k));

            *k = jo;
            apr_hash_set(sc->nums, k, sizeof(*k),
                         apr_pstrmemdup(sc->p, s, (apr_size_t)(e - s)));
        }
        return e;
    }
}

/* scan_value_at, remembering the source text of every value when the
 * type being decoded has AM_T_ANY members. */
static const char *scan_value(jscan_t *sc, const char *s, json_object *jo)
{
    const char *e = scan_value_at(sc, s, jo);

    if (e && sc->spans && jo) {
        json_object **k = apr_palloc(sc->p, sizeof(*k));
        jspan_t *sp = apr_palloc(sc->p, sizeof(*sp));

        s = skip_ws(s, sc->end);
        *k = jo;
        sp->s = s;
        sp->len = (apr_size_t)(e - s);
        apr_hash_set(sc->spans, k, sizeof(*k), sp);
    }
    return e;
}

/* True when t or a type inside it has an AM_T_ANY member. */
static int type_has_any(const am_type_t *t, int depth)
{
    int i;

    if (!t || depth > AM_MAX_DEPTH) {
        return 0;
    }
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];

        if (f->type == AM_T_ANY
            || ((f->type == AM_T_OBJECT || f->type == AM_T_ARRAY)
                && f->sub != t && type_has_any(f->sub, depth + 1))) {
            return 1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------- decoding */

typedef struct jdec {
    apr_pool_t *p;
    const am_tz_t *tz;
    unsigned flags;
    apr_hash_t *nums;
    apr_hash_t *ids;
    apr_hash_t *spans;          /* json_object * -> jspan_t (AM_T_ANY) */
    apr_hash_t *memo;           /* (json_object *, type) -> jmemo_t */
    am_dec_errs_t errs;         /* what is wrong, so far */
} jdec_t;

typedef struct jmemo {
    am_obj_t *o;
    int busy;                   /* being decoded: a $ref to it loops */
    int bad;                    /* decoding it found errors */
} jmemo_t;

static int errcount(const jdec_t *d)
{
    return am_dec_errcount(&d->errs);
}

static void ferr(jdec_t *d, const am_path_t *path, const char *msg)
{
    am_dec_error(&d->errs, path, msg);
}

static const char *kind_of(json_object *jo)
{
    switch (json_object_get_type(jo)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    }
    return "this";
}

/* Wire name to field index: exact first, then ignoring case (Json.NET
 * matches member names case-insensitively). */
static int field_index(const am_type_t *t, const char *key)
{
    int i = am_type_field(t, key);

    if (i < 0) {
        for (i = 0; i < t->nfields; i++) {
            if (!strcasecmp(t->fields[i].name, key)) {
                return i;
            }
        }
        return -1;
    }
    return i;
}

static void dec_scalar(jdec_t *d, const am_field_t *f, am_ftype_e type,
                       int item, json_object *jo, const am_path_t *path,
                       am_value_t *v)
{
    const char *msg = NULL;

    switch (json_object_get_type(jo)) {
    case json_type_string: {
        const char *s = json_object_get_string(jo);
        int len = json_object_get_string_len(jo);

        if ((size_t)len != strlen(s)) {
            msg = apr_psprintf(d->p, "The value for %s must not contain"
                               " the character U+0000.", f->name);
        }
        else if (!am_utf8_valid(s, (apr_size_t)len)) {
            msg = apr_psprintf(d->p, "The value for %s is not valid"
                               " UTF-8.", f->name);
        }
        else {
            msg = am_value_from_text(d->p, f, type, s, AM_TEXT_JSON, d->tz,
                                     v);
        }
        break;
    }
    case json_type_int:
    case json_type_double: {
        const char *raw = apr_hash_get(d->nums, &jo, sizeof(jo));

        if (!raw) {
            raw = json_object_get_string(jo);
        }
        /* Json.NET also reads a number into a string member: its source
         * text is the string. */
        if (type == AM_T_INT32 || type == AM_T_INT64 || type == AM_T_ENUM
            || type == AM_T_FLAGS || type == AM_T_DECIMAL
            || type == AM_T_STRING) {
            msg = am_value_from_text(d->p, f, type, raw, AM_TEXT_JSON,
                                     d->tz, v);
        }
        else {
            msg = am_msg_invalid(d->p, f, type, NULL, "a number");
        }
        break;
    }
    case json_type_boolean:
        if (type == AM_T_BOOL) {
            v->set = 1;
            v->null = 0;
            v->u.i = json_object_get_boolean(jo) ? 1 : 0;
        }
        else {
            msg = am_msg_invalid(d->p, f, type, NULL, "a boolean");
        }
        break;
    default:
        msg = am_msg_invalid(d->p, f, type, NULL, kind_of(jo));
        break;
    }
    if (!msg) {
        msg = am_value_check(d->p, f, type, item, v);
    }
    if (msg) {
        ferr(d, path, msg);
        memset(v, 0, sizeof(*v));
    }
}

static am_obj_t *dec_object(jdec_t *d, const am_type_t *t, json_object *jo,
                            const am_path_t *path, int depth);

static void dec_array(jdec_t *d, const am_field_t *f, json_object *jo,
                      const am_path_t *path, int depth, am_value_t *v)
{
    apr_array_header_t tmp, *arr;
    am_value_t count;
    const char *msg;
    size_t i, n;

    if (!json_object_is_type(jo, json_type_array)) {
        ferr(d, path, am_msg_invalid(d->p, f, AM_T_ARRAY, NULL,
                                     kind_of(jo)));
        return;
    }
    n = json_object_array_length(jo);
    /* The item count first: no work for items that are too many. */
    memset(&tmp, 0, sizeof(tmp));
    tmp.nelts = n > INT_MAX ? INT_MAX : (int)n;
    memset(&count, 0, sizeof(count));
    count.u.a = &tmp;
    if ((msg = am_value_check(d->p, f, AM_T_ARRAY, 0, &count))) {
        ferr(d, path, msg);
        return;
    }
    arr = apr_array_make(d->p, (int)(n ? n : 1), sizeof(am_value_t));
    for (i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(jo, i);
        am_value_t *iv = apr_array_push(arr);
        am_path_t ip;

        memset(iv, 0, sizeof(*iv));
        ip.up = path;
        ip.name = NULL;
        ip.index = (int)i;
        if (!item) {
            if (f->elem == AM_T_OBJECT || f->elem == AM_T_STRING) {
                iv->set = 1;
                iv->null = 1;
            }
            else {
                ferr(d, &ip, apr_psprintf(d->p, "The value null is not"
                                          " valid for %s.", f->name));
            }
        }
        else if (f->elem == AM_T_OBJECT) {
            if (!f->sub || !json_object_is_type(item, json_type_object)) {
                ferr(d, &ip, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                            kind_of(item)));
            }
            else if ((iv->u.o = dec_object(d, f->sub, item, &ip,
                                           depth + 1))) {
                iv->set = 1;
            }
        }
        else if (f->elem == AM_T_ARRAY) {
            ferr(d, &ip, apr_psprintf(d->p, "Nested collections are not"
                                      " supported for %s.", f->name));
        }
        else {
            dec_scalar(d, f, f->elem, 1, item, &ip, iv);
        }
    }
    v->set = 1;
    v->null = 0;
    v->u.a = arr;
}

static void dec_field(jdec_t *d, const am_field_t *f, json_object *jo,
                      const am_path_t *path, int depth, am_value_t *v)
{
    int ro = (f->flags & AM_F_READONLY) != 0;
    int before = errcount(d);

    /* A read-only field is accepted and then ignored: its errors are
     * dropped and a bad value leaves it unset. */
    if (ro) {
        d->errs.quiet++;
    }
    if (!jo) {
        if (f->flags & AM_F_REQUIRED) {
            ferr(d, path, apr_psprintf(d->p, "The %s field is required.",
                                       f->name));
        }
        else if (f->flags & AM_F_NONNULL) {
            ferr(d, path, apr_psprintf(d->p, "The value null is not valid"
                                       " for %s.", f->name));
        }
        v->set = 1;
        v->null = 1;
    }
    else if (f->type == AM_T_OBJECT) {
        if (!f->sub || !json_object_is_type(jo, json_type_object)) {
            ferr(d, path, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                         kind_of(jo)));
        }
        else if ((v->u.o = dec_object(d, f->sub, jo, path, depth + 1))) {
            v->set = 1;
        }
    }
    else if (f->type == AM_T_ARRAY) {
        dec_array(d, f, jo, path, depth, v);
    }
    else if (f->type == AM_T_ANY) {
        const jspan_t *sp = d->spans ? apr_hash_get(d->spans, &jo,
                                                    sizeof(jo))
                                     : NULL;

        if (!sp) {
            ferr(d, path, apr_psprintf(d->p, "The value for %s could not"
                                       " be read.", f->name));
        }
        else {
            /* A JSON value, checked as one by the scan; what it must be
             * is decided later (am_json_value). */
            v->set = 1;
            v->null = 0;
            v->u.s = apr_pstrmemdup(d->p, sp->s, sp->len);
        }
    }
    else {
        dec_scalar(d, f, f->type, 0, jo, path, v);
    }
    if (ro) {
        d->errs.quiet--;
        if (errcount(d) != before) {
            memset(v, 0, sizeof(*v));
        }
    }
}

static am_obj_t *dec_object(jdec_t *d, const am_type_t *t, json_object *jo,
                            const am_path_t *path, int depth)
{
    struct json_object_iterator it, it_end;
    json_object *ref;
    const void *key[2];
    jmemo_t *memo = NULL;
    unsigned char *seen;
    am_obj_t *o;
    int i, before;

    if (json_object_object_get_ex(jo, "$ref", &ref)) {
        const char *id;

        if (json_object_object_length(jo) != 1) {
            ferr(d, path, "A reference object ($ref) must have no other"
                 " members.");
            return NULL;
        }
        if (!json_object_is_type(ref, json_type_string)) {
            ferr(d, path, "The value of $ref must be a string.");
            return NULL;
        }
        id = json_object_get_string(ref);
        jo = apr_hash_get(d->ids, id, APR_HASH_KEY_STRING);
        if (!jo) {
            ferr(d, path, apr_psprintf(d->p, "Unresolved reference '%s'.",
                                       id));
            return NULL;
        }
        if (json_object_object_get_ex(jo, "$ref", NULL)) {
            ferr(d, path, apr_psprintf(d->p, "The object with $id '%s' is"
                                       " a reference itself.", id));
            return NULL;
        }
    }
    if (depth > AM_MAX_DEPTH) {
        ferr(d, path, "The payload is nested too deeply.");
        return NULL;
    }
    /* An object with $id is decoded once per type; references to it get
     * a copy of that result (Json.NET gives them the same instance). */
    if (json_object_object_get_ex(jo, "$id", NULL)) {
        key[0] = jo;
        key[1] = t;
        memo = apr_hash_get(d->memo, key, sizeof(key));
        if (memo) {
            if (memo->busy) {
                ferr(d, path, "Circular reference ($ref to an enclosing"
                     " object).");
                return NULL;
            }
            if (memo->bad) {
                if (!d->errs.quiet) {
                    ferr(d, path, "The referenced object is invalid.");
                }
                return NULL;
            }
            o = am_obj_make(d->p, t);
            memcpy(o->v, memo->o->v, sizeof(am_value_t) * t->nfields);
            return o;
        }
        memo = apr_pcalloc(d->p, sizeof(*memo));
        memo->busy = 1;
        apr_hash_set(d->memo, apr_pmemdup(d->p, key, sizeof(key)),
                     sizeof(key), memo);
    }
    before = errcount(d);
    o = am_obj_make(d->p, t);
    seen = apr_pcalloc(d->p, t->nfields ? t->nfields : 1);
    it = json_object_iter_begin(jo);
    it_end = json_object_iter_end(jo);
    for (; !json_object_iter_equal(&it, &it_end); json_object_iter_next(&it)) {
        const char *k = json_object_iter_peek_name(&it);
        const am_field_t *f;
        am_path_t fp;

        if (!strcmp(k, "$id")) {
            continue;
        }
        if ((i = field_index(t, k)) < 0) {
            continue;                   /* unknown members are ignored */
        }
        f = &t->fields[i];
        fp.up = path;
        fp.name = f->name;
        fp.index = 0;
        if (seen[i]) {
            ferr(d, &fp, apr_psprintf(d->p, "The field %s is given more"
                                      " than once.", f->name));
            continue;
        }
        seen[i] = 1;
        dec_field(d, f, json_object_iter_peek_value(&it), &fp, depth,
                  &o->v[i]);
    }
    if (!(d->flags & AM_DEC_PARTIAL)) {
        for (i = 0; i < t->nfields; i++) {
            const am_field_t *f = &t->fields[i];

            if (!seen[i] && (f->flags & AM_F_REQUIRED)
                && !(f->flags & AM_F_READONLY)) {
                am_path_t fp;

                fp.up = path;
                fp.name = f->name;
                fp.index = 0;
                ferr(d, &fp, apr_psprintf(d->p, "The %s field is"
                                          " required.", f->name));
            }
        }
    }
    if (memo) {
        memo->busy = 0;
        memo->bad = errcount(d) != before;
        memo->o = o;
    }
    return o;
}

am_err_t *am_json_decode(apr_pool_t *p, const am_type_t *t,
                         const char *buf, apr_size_t len,
                         const am_tz_t *tz, unsigned flags,
                         am_obj_t **out)
{
    struct json_tokener *tok;
    enum json_tokener_error jerr;
    json_object *root;
    jscan_t sc;
    jdec_t d;
    apr_size_t end, ok;
    const char *s;
    am_obj_t *o;

    if (out) {
        *out = NULL;
    }
    if (!buf) {
        len = 0;
    }
    /* A UTF-8 byte order mark is allowed, as .NET's readers allow it. */
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        buf += 3;
        len -= 3;
    }
    if (skip_ws(buf, buf + len) == buf + len) {
        am_err_t *e = am_err_make(p, 400, "The request body is empty.");
        e->why = AM_WHY_EMPTY_BODY;
        return e;
    }
    if (len > INT_MAX) {
        return am_err_make(p, 413, "The request body is too large.");
    }
    if ((ok = am_utf8_prefix(buf, len)) != len) {
        return syntax_err(p, buf, ok, buf[ok] ? "invalid UTF-8"
                                              : "a NUL byte");
    }

    tok = json_tokener_new_ex(AM_MAX_DEPTH);
    if (!tok) {
        return am_err_make(p, 500, "Out of memory.");
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    root = json_tokener_parse_ex(tok, buf, (int)len);
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        const char *what;

        json_object_put(root);
        if (!root && jerr == json_tokener_success) {
            /* a bare null */
            return am_err_make(p, 400, "The request body must be a JSON"
                               " object.");
        }
        switch (jerr) {
        case json_tokener_continue:
            what = "unexpected end of data";
            end = len;
            break;
        case json_tokener_error_depth:
            what = apr_psprintf(p, "nesting deeper than %d levels",
                                AM_MAX_DEPTH);
            break;
        default:
            what = json_tokener_error_desc(jerr);
            break;
        }
        return syntax_err(p, buf, end > len ? len : end, what);
    }
    if ((s = skip_ws(buf + end, buf + len)) != buf + len) {
        json_object_put(root);
        return syntax_err(p, buf, (apr_size_t)(s - buf),
                          "unexpected data after the end of the object");
    }
    if (!json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return am_err_make(p, 400, "The request body must be a JSON"
                           " object.");
    }

    memset(&sc, 0, sizeof(sc));
    sc.p = p;
    sc.buf = buf;
    sc.end = buf + len;
    sc.nums = apr_hash_make(p);
    sc.ids = apr_hash_make(p);
    sc.spans = type_has_any(t, 0) ? apr_hash_make(p) : NULL;
    if (!scan_value(&sc, buf, root)) {
        json_object_put(root);
        return sc.err ? sc.err : syntax_err(p, buf, 0, "unreadable");
    }

    memset(&d, 0, sizeof(d));
    d.p = p;
    d.errs.p = p;
    d.tz = tz;
    d.flags = flags;
    d.nums = sc.nums;
    d.ids = sc.ids;
    d.spans = sc.spans;
    d.memo = apr_hash_make(p);
    o = dec_object(&d, t, root, NULL, 0);
    json_object_put(root);
    if (d.errs.err) {
        return d.errs.err;
    }
    if (!o) {
        return am_err_make(p, 400, "The request is invalid.");
    }
    if (out) {
        *out = o;
    }
    return NULL;
}

const char *am_json_value(apr_pool_t *p, const am_field_t *f,
                          const char *json, const am_tz_t *tz,
                          am_value_t *v)
{
    am_field_t one;
    am_type_t t;
    am_obj_t *o = NULL;
    am_err_t *e;
    const char *c;
    char *buf;

    memset(v, 0, sizeof(*v));
    if (!f || !f->name || !json) {
        return "No value.";
    }
    for (c = f->name; *c; c++) {
        if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20) {
            return "The field has a name that cannot be read.";
        }
    }
    /* The value as the only member of an object of a one-field type: the
     * decoder reads it exactly as it reads that member of a body. */
    one = *f;
    one.flags &= ~AM_F_REQUIRED;
    memset(&t, 0, sizeof(t));
    t.name = f->name;
    t.fields = &one;
    t.nfields = 1;
    buf = apr_pstrcat(p, "{\"", f->name, "\":", json, "}", NULL);
    e = am_json_decode(p, &t, buf, strlen(buf), tz, AM_DEC_PARTIAL, &o);
    if (e) {
        if (am_err_has_fields(e)) {
            return APR_ARRAY_IDX(e->fields, 0, am_fielderr_t).msg;
        }
        return e->message;
    }
    *v = o->v[0];
    if (!v->set) {
        v->set = 1;
        v->null = 1;
    }
    return NULL;
}

/* ----------------------------------------------------------- encoding */

static json_object *enc_object(apr_pool_t *p, const am_obj_t *o,
                               const am_tz_t *tz, int depth);

static json_object *enc_value(apr_pool_t *p, const am_field_t *f,
                              am_ftype_e type, const am_value_t *v,
                              const am_tz_t *tz, int depth)
{
    const char *s;

    if (!v || !v->set || v->null) {
        return NULL;
    }
    switch (type) {
    case AM_T_ENUM:
        if ((f->flags & AM_F_ENUM_TEXT) && (s = am_enum_name(f->en, v->u.i))) {
            return json_object_new_string(s);
        }
        return json_object_new_int64(v->u.i);
    case AM_T_INT32:
    case AM_T_INT64:
    case AM_T_FLAGS:
        return json_object_new_int64(v->u.i);
    case AM_T_BOOL:
        return json_object_new_boolean(v->u.i != 0);
    case AM_T_STRING:
    case AM_T_GUID:
        if (!v->u.s) {
            return NULL;
        }
        s = v->u.s;
        if (!am_utf8_valid(s, strlen(s))) {
            s = utf8_sanitize(p, s);
        }
        return json_object_new_string(s);
    case AM_T_DECIMAL:
        /* The digits as they are; json-c writes the text verbatim. */
        if (!v->u.s || !(s = am_decimal_parse(p, v->u.s))) {
            return NULL;
        }
        return json_object_new_double_s(0.0, s);
    case AM_T_DATETIME:
        return json_object_new_string(am_time_format_iso(p, v->u.t, tz));
    case AM_T_XDATETIME:
        return json_object_new_string(am_time_format_xelion(p, v->u.t, tz));
    case AM_T_ANY: {
        /* JSON text as it is, when it is JSON (json-c writes a double's
         * text verbatim, as for decimals). */
        json_object *chk;

        if (!v->u.s || !(chk = json_tokener_parse(v->u.s))) {
            return NULL;
        }
        json_object_put(chk);
        return json_object_new_double_s(0.0, v->u.s);
    }
    case AM_T_OBJECT:
        return v->u.o ? enc_object(p, v->u.o, tz, depth + 1) : NULL;
    case AM_T_ARRAY: {
        json_object *arr;
        int i;

        if (!v->u.a || f->elem == AM_T_ARRAY) {
            return NULL;
        }
        arr = json_object_new_array_ext(v->u.a->nelts);
        for (i = 0; arr && i < v->u.a->nelts; i++) {
            json_object_array_add(arr, enc_value(p, f, f->elem,
                                                 &APR_ARRAY_IDX(v->u.a, i,
                                                                am_value_t),
                                                 tz, depth));
        }
        return arr;
    }
    }
    return NULL;
}

static json_object *enc_object(apr_pool_t *p, const am_obj_t *o,
                               const am_tz_t *tz, int depth)
{
    const am_type_t *t = o->type;
    const am_value_t *v;
    am_value_t def;
    json_object *jo;
    int i;

    if (depth > AM_MAX_ENCODE_DEPTH || !(jo = json_object_new_object())) {
        return NULL;
    }
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];

        if ((f->flags & AM_F_OMIT_NULL)
            && (!o->v[i].set || o->v[i].null)) {
            continue;
        }
        v = &o->v[i];
        if ((!v->set || v->null || (f->type == AM_T_STRING && !v->u.s))
            && am_value_default(f, f->type, &def)) {
            v = &def;
        }
        /* Field names are static table data: no copy. */
        json_object_object_add_ex(jo, f->name,
                                  enc_value(p, f, f->type, v, tz, depth),
                                  JSON_C_OBJECT_ADD_KEY_IS_NEW
                                  | JSON_C_OBJECT_ADD_CONSTANT_KEY);
    }
    return jo;
}

/* The text of jo copied into p; jo is released. */
static char *finish(apr_pool_t *p, json_object *jo, apr_size_t *len)
{
    const char *s;
    size_t n = 0;
    char *out;

    s = jo ? json_object_to_json_string_length(jo, JSON_OUT_FLAGS, &n)
           : NULL;
    out = s ? apr_pstrmemdup(p, s, n) : apr_pstrdup(p, "null");
    if (!s) {
        n = 4;
    }
    json_object_put(jo);
    if (len) {
        *len = n;
    }
    return out;
}

char *am_json_encode(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                     apr_size_t *len)
{
    return finish(p, o ? enc_object(p, o, tz, 0) : NULL, len);
}

char *am_json_encode_list(apr_pool_t *p, const apr_array_header_t *objs,
                          const am_tz_t *tz, apr_size_t *len)
{
    json_object *arr = json_object_new_array_ext(objs ? objs->nelts : 0);
    int i;

    for (i = 0; arr && objs && i < objs->nelts; i++) {
        const am_obj_t *o = APR_ARRAY_IDX(objs, i, const am_obj_t *);

        json_object_array_add(arr, o ? enc_object(p, o, tz, 0) : NULL);
    }
    return finish(p, arr, len);
}

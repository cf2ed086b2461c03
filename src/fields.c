/* Licensed under the Apache License, Version 2.0.
 *
 * fields.c: the field-table type system (fields.h): XML member order,
 * objects and their accessors, enums and flags, UTF-8, GUID and decimal
 * text, and the value reading and checking both codecs share.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "am.h"
#include "fields.h"

/* ------------------------------------------------------------ types */

static int xml_before(const am_field_t *a, const am_field_t *b)
{
    if (a->level != b->level) {
        return a->level < b->level;
    }
    return strcmp(a->name, b->name) < 0;
}

static int *xml_order_make(apr_pool_t *p, const am_type_t *t)
{
    int n = t->nfields > 0 ? t->nfields : 0;
    int *order = apr_palloc(p, sizeof(int) * (n ? n : 1));
    int i, j;

    /* Insertion sort: stable, and tables are small. */
    for (i = 0; i < n; i++) {
        for (j = i; j > 0 && xml_before(&t->fields[i],
                                        &t->fields[order[j - 1]]); j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    return order;
}

void am_type_init(apr_pool_t *p, am_type_t *t)
{
    int i;

    if (!t || t->xml_order) {
        return;
    }
    /* Set before recursing, so that recursive types terminate. */
    t->xml_order = xml_order_make(p, t);
    t->by_name = apr_hash_make(p);
    for (i = t->nfields; i-- > 0;) {
        /* (backwards: of two fields of one name, the first is found) */
        apr_hash_set(t->by_name, t->fields[i].name, APR_HASH_KEY_STRING,
                     &t->fields[i]);
    }
    for (i = 0; i < t->nfields; i++) {
        if (t->fields[i].sub) {
            /* The tables are non-const objects reached through const
             * pointers; xml_order and by_name are written, once. */
            am_type_init(p, (am_type_t *)t->fields[i].sub);
        }
    }
}

const int *am_type_xml_order(apr_pool_t *p, const am_type_t *t)
{
    return t->xml_order ? t->xml_order : xml_order_make(p, t);
}

am_obj_t *am_obj_make(apr_pool_t *p, const am_type_t *t)
{
    am_obj_t *o = apr_palloc(p, sizeof(*o));

    o->type = t;
    o->v = apr_pcalloc(p, sizeof(am_value_t)
                          * (t->nfields > 0 ? t->nfields : 1));
    return o;
}

int am_value_default(const am_field_t *f, am_ftype_e type, am_value_t *v)
{
    if (!(f->flags & AM_F_VALUE)) {
        return 0;
    }
    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
    case AM_T_BOOL:
    case AM_T_ENUM:
    case AM_T_FLAGS:
        memset(v, 0, sizeof(*v));
        v->set = 1;
        return 1;
    case AM_T_DECIMAL:
        memset(v, 0, sizeof(*v));
        v->set = 1;
        v->u.s = "0";
        return 1;
    case AM_T_GUID:
        memset(v, 0, sizeof(*v));
        v->set = 1;
        v->u.s = "00000000-0000-0000-0000-000000000000";
        return 1;
    default:
        return 0;
    }
}

int am_type_field(const am_type_t *t, const char *name)
{
    int i;

    if (t->by_name) {
        const am_field_t *f = apr_hash_get(t->by_name, name,
                                           APR_HASH_KEY_STRING);

        return f ? (int)(f - t->fields) : -1;
    }
    for (i = 0; i < t->nfields; i++) {
        if (!strcmp(t->fields[i].name, name)) {
            return i;
        }
    }
    return -1;
}

am_value_t *am_obj_get(am_obj_t *o, const char *name)
{
    int i = am_type_field(o->type, name);

    if (i < 0) {
        abort();
    }
    return &o->v[i];
}

void am_obj_set_int(am_obj_t *o, const char *name, apr_int64_t i)
{
    am_value_t *v = am_obj_get(o, name);

    v->set = 1;
    v->null = 0;
    v->u.i = i;
}

void am_obj_set_str(am_obj_t *o, const char *name, const char *s)
{
    am_value_t *v = am_obj_get(o, name);

    v->set = 1;
    v->null = (s == NULL);
    v->u.s = s;
}

void am_obj_set_time(am_obj_t *o, const char *name, am_time_t t)
{
    am_value_t *v = am_obj_get(o, name);

    v->set = 1;
    v->null = 0;
    v->u.t = t;
}

void am_obj_set_null(am_obj_t *o, const char *name)
{
    am_value_t *v = am_obj_get(o, name);

    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->null = 1;
}

/* ------------------------------------------------------------ enums */

const char *am_enum_name(const am_enum_t *en, apr_int64_t v)
{
    int i;

    if (!en) {
        return NULL;
    }
    for (i = 0; i < en->nitems; i++) {
        if (en->items[i].value == v) {
            return en->items[i].name;
        }
    }
    return NULL;
}

int am_enum_value(const am_enum_t *en, const char *name, apr_int64_t *v)
{
    int i;

    if (!en || !name) {
        return -1;
    }
    for (i = 0; i < en->nitems; i++) {
        if (!strcmp(en->items[i].name, name)) {
            *v = en->items[i].value;
            return 0;
        }
    }
    return -1;
}

/* Case-insensitive (ASCII) lookup, as Json.NET reads enum names. */
static int enum_value_icase(const am_enum_t *en, const char *name,
                            apr_size_t len, apr_int64_t *v)
{
    int i;

    for (i = 0; i < en->nitems; i++) {
        if (strlen(en->items[i].name) == len
            && !strncasecmp(en->items[i].name, name, len)) {
            *v = en->items[i].value;
            return 0;
        }
    }
    return -1;
}

static int enum_value_exact(const am_enum_t *en, const char *name,
                            apr_size_t len, apr_int64_t *v)
{
    int i;

    for (i = 0; i < en->nitems; i++) {
        if (strlen(en->items[i].name) == len
            && !memcmp(en->items[i].name, name, len)) {
            *v = en->items[i].value;
            return 0;
        }
    }
    return -1;
}

int am_flags_valid(const am_enum_t *en, apr_int64_t v)
{
    apr_int64_t all = 0;
    int i;

    if (!en || v < 0) {
        return 0;
    }
    for (i = 0; i < en->nitems; i++) {
        all |= en->items[i].value;
    }
    return (v & ~all) == 0;
}

const char *am_flags_names(apr_pool_t *p, const am_enum_t *en,
                           apr_int64_t v, const char *sep)
{
    const char *exact = am_enum_name(en, v);
    int *idx, *pick;
    int n, i, j, npick = 0;
    apr_int64_t rest = v;
    char *out, *o;
    apr_size_t len = 0, seplen = strlen(sep);

    if (exact) {
        return exact;
    }
    if (!en || v < 0) {
        return NULL;
    }
    if (v == 0) {
        return "";
    }
    /* Member indexes sorted by value (stable), then taken greedily from
     * the largest, as .NET's Enum.ToString does for [Flags]. */
    n = en->nitems;
    idx = apr_palloc(p, sizeof(int) * (n ? n : 1));
    pick = apr_palloc(p, sizeof(int) * (n ? n : 1));
    for (i = 0; i < n; i++) {
        for (j = i; j > 0 && en->items[i].value
                             < en->items[idx[j - 1]].value; j--) {
            idx[j] = idx[j - 1];
        }
        idx[j] = i;
    }
    for (i = n - 1; i >= 0 && rest; i--) {
        apr_int64_t mv = en->items[idx[i]].value;

        if (mv > 0 && (rest & mv) == mv) {
            rest -= mv;
            pick[npick++] = idx[i];
        }
    }
    if (rest) {
        return NULL;
    }
    for (i = 0; i < npick; i++) {
        len += strlen(en->items[pick[i]].name) + seplen;
    }
    o = out = apr_palloc(p, len + 1);
    for (i = npick - 1; i >= 0; i--) {
        const char *name = en->items[pick[i]].name;
        apr_size_t l = strlen(name);

        memcpy(o, name, l);
        o += l;
        if (i > 0) {
            memcpy(o, sep, seplen);
            o += seplen;
        }
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------------- UTF-8 */

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when
 * invalid (overlong, surrogate, beyond U+10FFFF, truncated) or NUL. */
static apr_size_t utf8_seq(const unsigned char *s, apr_size_t n)
{
    unsigned char c = s[0];

    if (c == 0) {
        return 0;
    }
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = 0x80, hi = 0xBF;

        if (c == 0xE0) {
            lo = 0xA0;              /* overlong */
        }
        else if (c == 0xED) {
            hi = 0x9F;              /* surrogates */
        }
        return (n >= 3 && s[1] >= lo && s[1] <= hi
                && (s[2] & 0xC0) == 0x80) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = 0x80, hi = 0xBF;

        if (c == 0xF0) {
            lo = 0x90;              /* overlong */
        }
        else if (c == 0xF4) {
            hi = 0x8F;              /* > U+10FFFF */
        }
        return (n >= 4 && s[1] >= lo && s[1] <= hi
                && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) ? 4 : 0;
    }
    return 0;
}

apr_size_t am_utf8_prefix(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, k;

    while (i < len) {
        if (u[i] >= 0x01 && u[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(u + i, len - i);
        if (!k) {
            break;
        }
        i += k;
    }
    return i;
}

int am_utf8_valid(const char *s, apr_size_t len)
{
    return s && am_utf8_prefix(s, len) == len;
}

apr_size_t am_utf8_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t n = 0;

    for (; *u; u++) {
        if ((*u & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* ------------------------------------------------- GUID and decimal */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
           || c == '\v';
}

/* s without leading and trailing whitespace: s itself when there is none,
 * else a copy in p. */
static const char *trim(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s);
    const char *b = s;

    while (*b && is_space((unsigned char)*b)) {
        b++;
    }
    while (len > (apr_size_t)(b - s) && is_space((unsigned char)s[len - 1])) {
        len--;
    }
    if (b == s && s[len] == '\0') {
        return s;
    }
    return apr_pstrmemdup(p, b, len - (apr_size_t)(b - s));
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

const char *am_guid_parse(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *g;
    apr_size_t len;
    char digits[32], *out;
    int i, n = 0, hyphens;

    if (!s) {
        return NULL;
    }
    /* Guid.Parse ignores surrounding whitespace. */
    g = trim(p, s);
    len = strlen(g);
    if (len == 38) {
        if (!((g[0] == '{' && g[37] == '}')
              || (g[0] == '(' && g[37] == ')'))) {
            return NULL;
        }
        g++;
        len = 36;
    }
    if (len == 36) {
        hyphens = 1;
    }
    else if (len == 32) {
        hyphens = 0;
    }
    else {
        return NULL;
    }
    for (i = 0; i < (int)len; i++) {
        if (hyphens && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (g[i] != '-') {
                return NULL;
            }
            continue;
        }
        if (hexval((unsigned char)g[i]) < 0) {
            return NULL;
        }
        digits[n++] = hex[hexval((unsigned char)g[i])];
    }
    out = apr_palloc(p, 37);
    for (i = 0, n = 0; i < 36; i++) {
        out[i] = (i == 8 || i == 13 || i == 18 || i == 23) ? '-'
                                                           : digits[n++];
    }
    out[36] = '\0';
    return out;
}

#define AM_DECIMAL_DIGITS 28

const char *am_decimal_parse(apr_pool_t *p, const char *s)
{
    const char *d, *int_start, *int_end, *frac = NULL, *end;
    int neg = 0, sig = 0, nfrac = 0, seen_nonzero = 0;
    const char *c;

    if (!s) {
        return NULL;
    }
    d = s;
    if (*d == '+' || *d == '-') {
        neg = (*d == '-');
        d++;
    }
    int_start = d;
    while (*d >= '0' && *d <= '9') {
        d++;
    }
    int_end = d;
    if (int_end == int_start) {
        return NULL;
    }
    if (*d == '.') {
        frac = ++d;
        while (*d >= '0' && *d <= '9') {
            d++;
        }
        nfrac = (int)(d - frac);
        if (nfrac == 0) {
            return NULL;
        }
    }
    if (*d != '\0') {
        return NULL;
    }
    end = d;
    /* Significant digits: from the first non-zero digit on. */
    for (c = int_start; c < end; c++) {
        if (*c == '.') {
            continue;
        }
        if (*c != '0') {
            seen_nonzero = 1;
        }
        if (seen_nonzero) {
            sig++;
        }
    }
    if (sig > AM_DECIMAL_DIGITS || nfrac > AM_DECIMAL_DIGITS) {
        return NULL;
    }
    /* Redundant leading zeros of the integer part go ("007" is no JSON
     * number); every other digit stays as given ("5.0" stays "5.0"). */
    while (int_end - int_start > 1 && *int_start == '0') {
        int_start++;
    }
    return apr_pstrcat(p, neg ? "-" : "",
                       apr_pstrmemdup(p, int_start,
                                      (apr_size_t)(end - int_start)),
                       NULL);
}

int am_int_parse(const char *s, apr_int64_t *out)
{
    const char *d = s;
    apr_uint64_t acc = 0, limit;
    int neg = 0, over = 0;

    if (!s) {
        return -1;
    }
    if (*d == '+' || *d == '-') {
        neg = (*d == '-');
        d++;
    }
    if (!(*d >= '0' && *d <= '9')) {
        return -1;
    }
    limit = (apr_uint64_t)APR_INT64_MAX + (neg ? 1 : 0);
    for (; *d >= '0' && *d <= '9'; d++) {
        unsigned digit = (unsigned)(*d - '0');

        if (over || acc > (limit - digit) / 10) {
            over = 1;
            continue;
        }
        acc = acc * 10 + digit;
    }
    if (*d != '\0') {
        return -1;
    }
    if (over) {
        return 1;
    }
    if (neg) {
        *out = acc == (apr_uint64_t)APR_INT64_MAX + 1
               ? APR_INT64_MIN : -(apr_int64_t)acc;
    }
    else {
        *out = (apr_int64_t)acc;
    }
    return 0;
}

/* ------------------------------------------------------------ paths */

const char *am_path_str(apr_pool_t *p, const am_path_t *path)
{
    const am_path_t *q;
    const am_path_t **parts;
    char *out;
    apr_size_t len = 0;
    char *o;
    int n = 0, i;

    for (q = path; q; q = q->up) {
        len += q->name ? strlen(q->name) + 1 : 24;
        n++;
    }
    parts = apr_palloc(p, sizeof(*parts) * (n ? n : 1));
    for (q = path, i = n; q; q = q->up) {
        parts[--i] = q;
    }
    o = out = apr_palloc(p, len + 1);
    for (i = 0; i < n; i++) {
        if (parts[i]->name) {
            if (i > 0) {
                *o++ = '.';
            }
            strcpy(o, parts[i]->name);
            o += strlen(o);
        }
        else {
            o += apr_snprintf(o, 24, "[%d]", parts[i]->index);
        }
    }
    *o = '\0';
    return out;
}

/* ---------------------------------------------------------- messages */

static const char *type_expect(apr_pool_t *p, const am_field_t *f,
                               am_ftype_e type)
{
    switch (type) {
    case AM_T_INT32:
        return "an integer (Int32)";
    case AM_T_INT64:
        return "an integer (Int64)";
    case AM_T_BOOL:
        return "true or false";
    case AM_T_STRING:
        return "a string";
    case AM_T_DATETIME:
        return "a date and time such as 2026-05-26T23:13:00+02:00";
    case AM_T_XDATETIME:
        return "a date and time such as 2017-02-25 11:50:00";
    case AM_T_ENUM:
    case AM_T_FLAGS: {
        const char *names = "";
        int i;

        if (!f->en || f->en->nitems == 0) {
            return "a member of the enumeration";
        }
        for (i = 0; i < f->en->nitems; i++) {
            names = apr_pstrcat(p, names, i ? ", " : "",
                                f->en->items[i].name, NULL);
        }
        return apr_pstrcat(p, type == AM_T_FLAGS ? "a combination of "
                                                 : "one of ", names, NULL);
    }
    case AM_T_GUID:
        return "a GUID";
    case AM_T_DECIMAL:
        return "a decimal number";
    case AM_T_OBJECT:
        return f->sub ? apr_pstrcat(p, "an object (", f->sub->name, ")",
                                    NULL)
                      : "an object";
    case AM_T_ARRAY:
        return "a collection";
    case AM_T_ANY:
        return "a JSON value";
    }
    return "a value";
}

/* User text for a message: at most 64 bytes, cut at a character. */
static const char *quote_text(apr_pool_t *p, const char *s)
{
    apr_size_t len = strlen(s), cut;

    if (len <= 64) {
        return s;
    }
    cut = am_utf8_prefix(s, 64);
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) {
        cut--;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, s, cut), "...", NULL);
}

const char *am_msg_invalid(apr_pool_t *p, const am_field_t *f,
                           am_ftype_e type, const char *text,
                           const char *kind)
{
    if (text) {
        return apr_psprintf(p, "The value '%s' is not valid for %s"
                            " (expected %s).", quote_text(p, text), f->name,
                            type_expect(p, f, type));
    }
    return apr_psprintf(p, "The value for %s must be %s, not %s.", f->name,
                        type_expect(p, f, type), kind ? kind : "this");
}

static const char *msg_overflow(apr_pool_t *p, const am_field_t *f,
                                am_ftype_e type, const char *text)
{
    return apr_psprintf(p, "The value '%s' is too large or too small for"
                        " %s (%s).", quote_text(p, text), f->name,
                        type == AM_T_INT32 ? "an Int32" : "an Int64");
}

/* ------------------------------------------------------ value reading */

static int is_blank(const char *s)
{
    while (*s && is_space((unsigned char)*s)) {
        s++;
    }
    return *s == '\0';
}

/* Flags from names: JSON "Monday, Wednesday" (case-insensitive), XML
 * "Monday Wednesday" (exact). */
static int flags_from_names(const am_enum_t *en, const char *s, int mode,
                            apr_int64_t *out)
{
    apr_int64_t acc = 0, v;

    if (mode == AM_TEXT_JSON) {
        for (;;) {
            const char *b, *e;

            while (is_space((unsigned char)*s)) {
                s++;
            }
            b = s;
            while (*s && *s != ',') {
                s++;
            }
            e = s;
            while (e > b && is_space((unsigned char)e[-1])) {
                e--;
            }
            if (e == b || enum_value_icase(en, b, (apr_size_t)(e - b), &v)) {
                return -1;
            }
            acc |= v;
            if (*s != ',') {
                break;
            }
            s++;
        }
    }
    else {
        for (;;) {
            const char *b;

            while (is_space((unsigned char)*s)) {
                s++;
            }
            if (!*s) {
                break;
            }
            b = s;
            while (*s && !is_space((unsigned char)*s)) {
                s++;
            }
            if (enum_value_exact(en, b, (apr_size_t)(s - b), &v)) {
                return -1;
            }
            acc |= v;
        }
    }
    *out = acc;
    return 0;
}

const char *am_value_from_text(apr_pool_t *p, const am_field_t *f,
                               am_ftype_e type, const char *s, int mode,
                               const am_tz_t *tz, am_value_t *v)
{
    const char *t;
    apr_int64_t i;
    int rc;

    if (type == AM_T_STRING) {
        v->u.s = apr_pstrdup(p, s);
        goto ok;
    }
    t = trim(p, s);
    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        rc = am_int_parse(t, &i);
        if (rc < 0) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        if (rc > 0) {
            return msg_overflow(p, f, type, s);
        }
        v->u.i = i;
        goto ok;
    case AM_T_BOOL:
        if (mode == AM_TEXT_JSON ? !strcasecmp(t, "true")
                                 : (!strcmp(t, "true") || !strcmp(t, "1"))) {
            v->u.i = 1;
            goto ok;
        }
        if (mode == AM_TEXT_JSON ? !strcasecmp(t, "false")
                                 : (!strcmp(t, "false") || !strcmp(t, "0"))) {
            v->u.i = 0;
            goto ok;
        }
        return am_msg_invalid(p, f, type, s, NULL);
    case AM_T_DATETIME:
        if (am_time_parse_iso(t, tz, &v->u.t) != 0) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        goto ok;
    case AM_T_XDATETIME:
        if (am_time_parse_xelion(t, tz, &v->u.t) != 0) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        goto ok;
    case AM_T_ENUM:
    case AM_T_FLAGS:
        if (!f->en) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        if (mode == AM_TEXT_JSON && am_int_parse(t, &i) == 0) {
            v->u.i = i;         /* membership: am_value_check */
            goto ok;
        }
        if (type == AM_T_FLAGS) {
            rc = flags_from_names(f->en, t, mode, &i);
        }
        else if (mode == AM_TEXT_JSON) {
            rc = enum_value_icase(f->en, t, strlen(t), &i);
        }
        else {
            rc = am_enum_value(f->en, t, &i);
        }
        if (rc) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        v->u.i = i;
        goto ok;
    case AM_T_GUID:
        if (!(v->u.s = am_guid_parse(p, t))) {
            return apr_psprintf(p, "The value '%s' is not valid for %s"
                                " (Guid should contain 32 digits with 4"
                                " dashes (xxxxxxxx-xxxx-xxxx-xxxx-"
                                "xxxxxxxxxxxx)).", quote_text(p, s),
                                f->name);
        }
        goto ok;
    case AM_T_DECIMAL:
        if (!(v->u.s = am_decimal_parse(p, t))) {
            return am_msg_invalid(p, f, type, s, NULL);
        }
        goto ok;
    default:
        return am_msg_invalid(p, f, type, NULL, "text");
    }
ok:
    v->set = 1;
    v->null = 0;
    return NULL;
}

/* The range of field f for a value of type `type'. */
static void field_range(const am_field_t *f, am_ftype_e type, int item,
                        apr_int64_t *min, apr_int64_t *max)
{
    int natural = item || (f->min == 0 && f->max == 0);

    switch (type) {
    case AM_T_INT32:
        *min = natural ? APR_INT32_MIN : f->min;
        *max = natural ? APR_INT32_MAX : f->max;
        break;
    case AM_T_STRING:
        *min = natural ? 0 : f->min;
        *max = natural ? AM_MAX_STRING : f->max;
        break;
    case AM_T_ARRAY:
        *min = natural ? 0 : f->min;
        *max = natural ? AM_MAX_ITEMS : f->max;
        break;
    default:
        *min = natural ? APR_INT64_MIN : f->min;
        *max = natural ? APR_INT64_MAX : f->max;
        break;
    }
}

static const char *msg_length(apr_pool_t *p, const am_field_t *f,
                              const char *what, apr_int64_t min,
                              apr_int64_t max)
{
    if (min > 0) {
        return apr_psprintf(p, "The field %s must be %s with a minimum"
                            " length of %" APR_INT64_T_FMT " and a maximum"
                            " length of %" APR_INT64_T_FMT ".", f->name,
                            what, min, max);
    }
    return apr_psprintf(p, "The field %s must be %s with a maximum length"
                        " of %" APR_INT64_T_FMT ".", f->name, what, max);
}

const char *am_value_check(apr_pool_t *p, const am_field_t *f,
                           am_ftype_e type, int item, const am_value_t *v)
{
    apr_int64_t min, max, n;

    field_range(f, type, item, &min, &max);
    switch (type) {
    case AM_T_INT32:
        if (v->u.i < APR_INT32_MIN || v->u.i > APR_INT32_MAX) {
            return msg_overflow(p, f, type,
                                apr_psprintf(p, "%" APR_INT64_T_FMT,
                                             v->u.i));
        }
        /* fall through */
    case AM_T_INT64:
        if (v->u.i < min || v->u.i > max) {
            return apr_psprintf(p, "The field %s must be between %"
                                APR_INT64_T_FMT " and %" APR_INT64_T_FMT
                                ".", f->name, min, max);
        }
        return NULL;
    case AM_T_ENUM:
    case AM_T_FLAGS:
        if (type == AM_T_ENUM ? !am_enum_name(f->en, v->u.i)
                              : !am_flags_valid(f->en, v->u.i)) {
            return am_msg_invalid(p, f, type,
                                  apr_psprintf(p, "%" APR_INT64_T_FMT,
                                               v->u.i), NULL);
        }
        if (v->u.i < min || v->u.i > max) {
            return apr_psprintf(p, "The field %s must be between %"
                                APR_INT64_T_FMT " and %" APR_INT64_T_FMT
                                ".", f->name, min, max);
        }
        return NULL;
    case AM_T_STRING:
        if (!v->u.s) {
            return NULL;
        }
        if (!item && (f->flags & AM_F_REQUIRED) && is_blank(v->u.s)) {
            return apr_psprintf(p, "The %s field is required.", f->name);
        }
        n = (apr_int64_t)am_utf8_len(v->u.s);
        if (n < min || n > max) {
            return msg_length(p, f, "a string", min, max);
        }
        return NULL;
    case AM_T_ARRAY:
        n = v->u.a ? v->u.a->nelts : 0;
        if (n < min || n > max) {
            return msg_length(p, f, "a collection", min, max);
        }
        return NULL;
    default:
        return NULL;
    }
}

void am_dec_error(am_dec_errs_t *d, const am_path_t *path, const char *msg)
{
    if (d->quiet) {
        d->dropped++;
        return;
    }
    if (!d->err) {
        d->err = am_err_make(d->p, 400, "The request is invalid.");
    }
    am_err_field(d->p, d->err, path ? am_path_str(d->p, path) : "", "%s",
                 msg);
}

int am_dec_errcount(const am_dec_errs_t *d)
{
    return (d->err && d->err->fields ? d->err->fields->nelts : 0)
           + d->dropped;
}

void am_obj_check_enums(apr_pool_t *p, am_obj_t *o, am_err_t **err)
{
    int i, j;

    for (i = 0; i < o->type->nfields; i++) {
        const am_field_t *f = &o->type->fields[i];
        am_value_t *v = &o->v[i];
        apr_int64_t x;
        const char *names = "";

        if (f->type != AM_T_STRING || !f->en || !v->set || v->null) {
            continue;
        }
        if (!*v->u.s) {
            v->null = 1;
            continue;
        }
        if (!am_enum_value(f->en, v->u.s, &x)) {
            continue;
        }
        for (j = 0; j < f->en->nitems; j++) {
            names = apr_pstrcat(p, names, j ? ", " : "", f->en->items[j].name,
                                NULL);
        }
        am_err_add(p, err, 0, f->name, "'%s' is not a %s (%s).", v->u.s,
                   f->name, names);
    }
}

void am_obj_set_obj(am_obj_t *o, const char *name, am_obj_t *sub)
{
    am_value_t *v = am_obj_get(o, name);

    v->set = 1;
    v->null = 0;
    v->u.o = sub;
}

void am_obj_set_objs(apr_pool_t *p, am_obj_t *o, const char *name,
                     am_obj_t *const *items)
{
    am_value_t *v = am_obj_get(o, name);
    int i;

    v->set = 1;
    v->null = 0;
    v->u.a = apr_array_make(p, 2, sizeof(am_value_t));
    for (i = 0; items[i]; i++) {
        am_value_t *item = apr_array_push(v->u.a);

        memset(item, 0, sizeof(*item));
        item->set = 1;
        item->u.o = items[i];
    }
}

const char *am_id_text(apr_pool_t *p, const char *s)
{
    apr_int64_t v;
    const char *c;

    if (!s || !*s) {
        return NULL;
    }
    for (c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            return NULL;
        }
    }
    if (am_int_parse(s, &v) != 0 || v < 1) {
        return NULL;
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

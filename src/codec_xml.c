/* Licensed under the Apache License, Version 2.0.
 *
 * codec_xml.c: DataContract XML bodies (libxml2) to and from field-table
 * objects, in the shape ASP.NET Web API's DataContractSerializer gives
 * them (../t/data/seed*.xml).
 *
 * Decoding parses with a fresh libxml2 context per call and no entity
 * substitution, DTD loading or network; a DOCTYPE stops the parser on the
 * spot (no entity declaration is ever read) and refuses the document.
 * Encoding writes the text directly: members in DataContract order,
 * namespace declarations where DataContractSerializer puts them.
 */
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "codec.h"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

/* Encoding stops descending here (objects built by code could loop). */
#define AM_MAX_ENCODE_DEPTH (4 * AM_MAX_DEPTH)

#define XSTR(s) ((const char *)(s))

static int same_ns(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static int is_xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The XML local name of an item of the ARRAY field f. */
static const char *item_name(const am_field_t *f)
{
    if (f->elem_name) {
        return f->elem_name;
    }
    switch (f->elem) {
    case AM_T_OBJECT:
        return f->sub ? f->sub->name : "anyType";
    case AM_T_INT32:
    case AM_T_ENUM:
    case AM_T_FLAGS:
        return "int";
    case AM_T_INT64:
        return "long";
    case AM_T_BOOL:
        return "boolean";
    case AM_T_DATETIME:
        return "dateTime";
    case AM_T_GUID:
        return "guid";
    case AM_T_DECIMAL:
        return "decimal";
    default:
        return "string";
    }
}

/* The namespace of the items of the ARRAY field f whose member element is
 * in member_ns. */
static const char *item_ns(const am_field_t *f, const char *member_ns)
{
    if (f->elem_ns) {
        return f->elem_ns;
    }
    if (f->elem == AM_T_OBJECT && f->sub) {
        return f->sub->ns;
    }
    return member_ns;
}

/* ----------------------------------------------------------- decoding */

typedef struct xdec {
    apr_pool_t *p;
    const am_tz_t *tz;
    unsigned flags;
    am_dec_errs_t errs;         /* what is wrong, so far */
} xdec_t;

static int errcount(const xdec_t *d)
{
    return am_dec_errcount(&d->errs);
}

static void ferr(xdec_t *d, const am_path_t *path, const char *msg)
{
    am_dec_error(&d->errs, path, msg);
}

static const char *node_ns(const xmlNode *n)
{
    return n->ns && n->ns->href ? XSTR(n->ns->href) : "";
}

/* True when el has i:nil="true" (or "1"). */
static int is_nil(const xmlNode *el)
{
    const xmlAttr *a;

    for (a = el->properties; a; a = a->next) {
        const char *v;
        apr_size_t len;

        if (!a->ns || !a->ns->href || strcmp(XSTR(a->ns->href), XSI_NS)
            || strcmp(XSTR(a->name), "nil")) {
            continue;
        }
        /* Without a DTD an attribute value is one text node. */
        if (!a->children || a->children->type != XML_TEXT_NODE
            || a->children->next || !a->children->content) {
            return 0;
        }
        v = XSTR(a->children->content);
        while (is_xml_space((unsigned char)*v)) {
            v++;
        }
        len = strlen(v);
        while (len > 0 && is_xml_space((unsigned char)v[len - 1])) {
            len--;
        }
        return (len == 4 && !memcmp(v, "true", 4))
               || (len == 1 && *v == '1');
    }
    return 0;
}

/* The character data of a scalar element (text and CDATA, comments
 * skipped), or NULL when it holds an element. */
static const char *elem_text(apr_pool_t *p, const xmlNode *el)
{
    const xmlNode *c;
    const char *one = NULL;
    apr_size_t len = 0;
    int n = 0;
    char *buf, *o;

    for (c = el->children; c; c = c->next) {
        switch (c->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (c->content) {
                one = XSTR(c->content);
                len += strlen(one);
                n++;
            }
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        default:
            return NULL;
        }
    }
    if (n == 0) {
        return "";
    }
    if (n == 1) {
        return one;             /* conversions copy what they keep */
    }
    o = buf = apr_palloc(p, len + 1);
    for (c = el->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            && c->content) {
            apr_size_t l = strlen(XSTR(c->content));

            memcpy(o, c->content, l);
            o += l;
        }
    }
    *o = '\0';
    return buf;
}

static void dec_scalar(xdec_t *d, const am_field_t *f, am_ftype_e type,
                       int item, const xmlNode *el, const am_path_t *path,
                       am_value_t *v)
{
    const char *s = elem_text(d->p, el);
    const char *msg;

    if (!s) {
        msg = am_msg_invalid(d->p, f, type, NULL, "an element");
    }
    else {
        msg = am_value_from_text(d->p, f, type, s, AM_TEXT_XML, d->tz, v);
    }
    if (!msg) {
        msg = am_value_check(d->p, f, type, item, v);
    }
    if (msg) {
        ferr(d, path, msg);
        memset(v, 0, sizeof(*v));
    }
}

static am_obj_t *dec_object(xdec_t *d, const am_type_t *t,
                            const xmlNode *el, const am_path_t *path,
                            int depth);

static void dec_array(xdec_t *d, const am_field_t *f, const xmlNode *el,
                      const am_path_t *path, int depth, am_value_t *v)
{
    const char *iname = item_name(f);
    const char *ins = item_ns(f, node_ns(el));
    apr_array_header_t tmp, *arr;
    am_value_t count;
    const xmlNode *c;
    const char *msg;
    int n = 0, i = 0;

    for (c = el->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && n < INT_MAX) {
            n++;
        }
    }
    /* The item count first: no work for items that are too many. */
    memset(&tmp, 0, sizeof(tmp));
    tmp.nelts = n;
    memset(&count, 0, sizeof(count));
    count.u.a = &tmp;
    if ((msg = am_value_check(d->p, f, AM_T_ARRAY, 0, &count))) {
        ferr(d, path, msg);
        return;
    }
    arr = apr_array_make(d->p, n ? n : 1, sizeof(am_value_t));
    for (c = el->children; c; c = c->next) {
        am_value_t *iv;
        am_path_t ip;

        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        ip.up = path;
        ip.name = NULL;
        ip.index = i++;
        iv = apr_array_push(arr);
        memset(iv, 0, sizeof(*iv));
        if (strcmp(XSTR(c->name), iname) || !same_ns(node_ns(c), ins)) {
            ferr(d, &ip, apr_psprintf(d->p, "Unexpected element '%s' from"
                                      " namespace '%s' in %s: expecting"
                                      " '%s' from namespace '%s'.",
                                      XSTR(c->name), node_ns(c), f->name,
                                      iname, ins ? ins : ""));
            continue;
        }
        if (is_nil(c)) {
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
            if (!f->sub) {
                ferr(d, &ip, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                            "an element"));
            }
            else if ((iv->u.o = dec_object(d, f->sub, c, &ip, depth + 1))) {
                iv->set = 1;
            }
        }
        else if (f->elem == AM_T_ARRAY) {
            ferr(d, &ip, apr_psprintf(d->p, "Nested collections are not"
                                      " supported for %s.", f->name));
        }
        else {
            dec_scalar(d, f, f->elem, 1, c, &ip, iv);
        }
    }
    v->set = 1;
    v->null = 0;
    v->u.a = arr;
}

static void dec_field(xdec_t *d, const am_field_t *f, const xmlNode *el,
                      const am_path_t *path, int depth, am_value_t *v)
{
    int ro = (f->flags & AM_F_READONLY) != 0;
    int before = errcount(d);

    /* A read-only field is accepted and then ignored: its errors are
     * dropped and a bad value leaves it unset. */
    if (ro) {
        d->errs.quiet++;
    }
    if (is_nil(el)) {
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
        if (!f->sub) {
            ferr(d, path, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                         "an element"));
        }
        else if ((v->u.o = dec_object(d, f->sub, el, path, depth + 1))) {
            v->set = 1;
        }
    }
    else if (f->type == AM_T_ARRAY) {
        dec_array(d, f, el, path, depth, v);
    }
    else {
        dec_scalar(d, f, f->type, 0, el, path, v);
    }
    if (ro) {
        d->errs.quiet--;
        if (errcount(d) != before) {
            memset(v, 0, sizeof(*v));
        }
    }
}

static am_obj_t *dec_object(xdec_t *d, const am_type_t *t,
                            const xmlNode *el, const am_path_t *path,
                            int depth)
{
    const xmlNode *c;
    unsigned char *seen;
    am_obj_t *o;
    int i;

    if (depth > AM_MAX_DEPTH) {
        ferr(d, path, "The payload is nested too deeply.");
        return NULL;
    }
    o = am_obj_make(d->p, t);
    seen = apr_pcalloc(d->p, t->nfields ? t->nfields : 1);
    for (c = el->children; c; c = c->next) {
        const char *ns;
        am_path_t fp;

        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        ns = node_ns(c);
        for (i = 0; i < t->nfields; i++) {
            const am_field_t *f = &t->fields[i];

            if (!strcmp(f->name, XSTR(c->name))
                && same_ns(ns, f->ns ? f->ns : t->ns)) {
                break;
            }
        }
        if (i == t->nfields) {
            continue;       /* unknown members are ignored, as DCS does */
        }
        fp.up = path;
        fp.name = t->fields[i].name;
        fp.index = 0;
        if (seen[i]) {
            ferr(d, &fp, apr_psprintf(d->p, "The field %s is given more"
                                      " than once.", t->fields[i].name));
            continue;
        }
        seen[i] = 1;
        dec_field(d, &t->fields[i], c, &fp, depth, &o->v[i]);
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
    return o;
}

/* SAX hook for <!DOCTYPE ...>: stop at once, before any declaration of
 * the internal subset is read. */
static void refuse_dtd(void *ctx, const xmlChar *name,
                       const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;
    int *dtd = ctxt->_private;

    if (dtd) {
        *dtd = 1;
    }
    xmlStopParser(ctxt);
}

static am_err_t *not_well_formed(apr_pool_t *p, xmlParserCtxtPtr ctxt)
{
    xmlErrorPtr xe = xmlCtxtGetLastError(ctxt);
    char *msg;
    apr_size_t len;

    if (!xe || !xe->message) {
        return am_err_make(p, 400, "The request body is not well-formed"
                           " XML.");
    }
    msg = apr_pstrdup(p, xe->message);
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '
                       || msg[len - 1] == '.')) {
        msg[--len] = '\0';
    }
    return am_err_make(p, 400, "The request body is not well-formed XML: %s"
                       " at line %d, position %d.", msg, xe->line, xe->int2);
}

am_err_t *am_xml_decode(apr_pool_t *p, const am_type_t *t,
                        const char *buf, apr_size_t len,
                        const am_tz_t *tz, unsigned flags, am_obj_t **out)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    xmlNodePtr root;
    am_err_t *e = NULL;
    apr_size_t i;
    int dtd = 0;

    if (out) {
        *out = NULL;
    }
    for (i = 0; buf && i < len && is_xml_space((unsigned char)buf[i]); i++) {
    }
    if (!buf || i == len) {
        am_err_t *empty = am_err_make(p, 400, "The request body is empty.");
        empty->why = AM_WHY_EMPTY_BODY;
        return empty;
    }
    if (len > INT_MAX) {
        return am_err_make(p, 413, "The request body is too large.");
    }
    if (!(ctxt = xmlNewParserCtxt())) {
        return am_err_make(p, 500, "Out of memory.");
    }
    ctxt->_private = &dtd;
    ctxt->sax->internalSubset = refuse_dtd;
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR
                            | XML_PARSE_NOWARNING);
    if (dtd || ctxt->errNo == XML_ERR_USER_STOP
        || (doc && (doc->intSubset || doc->extSubset))) {
        e = am_err_make(p, 400, "The request body must not contain a"
                        " document type declaration (<!DOCTYPE>).");
    }
    else if (!doc || !ctxt->wellFormed || !ctxt->nsWellFormed) {
        e = not_well_formed(p, ctxt);
    }
    else if (!(root = xmlDocGetRootElement(doc))
             || strcmp(XSTR(root->name), t->name)
             || !same_ns(node_ns(root), t->ns)) {
        e = am_err_make(p, 400, "Expecting element '%s' from namespace"
                        " '%s'. Encountered an element with name '%s',"
                        " namespace '%s'.", t->name, t->ns ? t->ns : "",
                        root ? XSTR(root->name) : "",
                        root ? node_ns(root) : "");
    }
    else {
        xdec_t d;
        am_obj_t *o;

        memset(&d, 0, sizeof(d));
        d.p = p;
        d.errs.p = p;
        d.tz = tz;
        d.flags = flags;
        o = dec_object(&d, t, root, NULL, 0);
        if (d.errs.err) {
            e = d.errs.err;
        }
        else if (!o) {
            e = am_err_make(p, 400, "The request is invalid.");
        }
        else if (out) {
            *out = o;
        }
    }
    if (doc) {
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(ctxt);
    return e;
}

/* ----------------------------------------------------------- encoding */

typedef struct xbind {
    const char *prefix;
    const char *ns;
} xbind_t;

typedef struct xenc {
    apr_pool_t *p;
    const am_tz_t *tz;
    char *s;
    apr_size_t len;
    apr_size_t cap;
    apr_array_header_t *binds;  /* prefixes in scope, of xbind_t */
} xenc_t;

static void put(xenc_t *x, const char *s, apr_size_t n)
{
    if (x->len + n + 1 > x->cap) {
        apr_size_t cap = x->cap * 2;
        char *ns;

        if (cap < x->len + n + 1) {
            cap = x->len + n + 1;
        }
        ns = apr_palloc(x->p, cap);
        memcpy(ns, x->s, x->len);
        x->s = ns;
        x->cap = cap;
    }
    memcpy(x->s + x->len, s, n);
    x->len += n;
}

static void puts_(xenc_t *x, const char *s)
{
    put(x, s, strlen(s));
}

/* Text or (attr) attribute value, escaped; invalid UTF-8 and characters
 * XML 1.0 cannot carry become U+FFFD. */
static void put_esc(xenc_t *x, const char *s, int attr)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned char *run = u;
    apr_size_t rest = strlen(s);

#define FLUSH() put(x, (const char *)run, (apr_size_t)(u - run))
    while (rest) {
        unsigned c = *u;
        const char *rep = NULL;
        apr_size_t k = 1;

        if (c < 0x80) {
            switch (c) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = attr ? "&quot;" : NULL;
                break;
            case '\r':
                rep = "&#xD;";
                break;
            case '\n':
                rep = attr ? "&#xA;" : NULL;
                break;
            case '\t':
                rep = attr ? "&#x9;" : NULL;
                break;
            default:
                rep = c < 0x20 ? "\xEF\xBF\xBD" : NULL;
                break;
            }
        }
        else {
            apr_size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

            if (want > rest || am_utf8_prefix((const char *)u, want) != want) {
                rep = "\xEF\xBF\xBD";
                /* skip the lead byte and its continuation bytes */
                while (k < rest && k < 4 && (u[k] & 0xC0) == 0x80) {
                    k++;
                }
            }
            else {
                k = want;
                if (c == 0xEF && u[1] == 0xBF && (u[2] == 0xBE
                                                  || u[2] == 0xBF)) {
                    rep = "\xEF\xBF\xBD";       /* U+FFFE, U+FFFF */
                }
            }
        }
        if (rep) {
            FLUSH();
            puts_(x, rep);
            u += k;
            rest -= k;
            run = u;
        }
        else {
            u += k;
            rest -= k;
        }
    }
    FLUSH();
#undef FLUSH
}

static const char *lookup_prefix(const xenc_t *x, const char *ns)
{
    int i;

    if (!ns || !*ns) {
        return NULL;
    }
    for (i = x->binds->nelts - 1; i >= 0; i--) {
        const xbind_t *b = &APR_ARRAY_IDX(x->binds, i, xbind_t);

        if (!strcmp(b->ns, ns)) {
            return b->prefix;
        }
    }
    return NULL;
}

static void put_scalar(xenc_t *x, const am_field_t *f, am_ftype_e type,
                       const am_value_t *v)
{
    const char *s = NULL;

    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        s = apr_psprintf(x->p, "%" APR_INT64_T_FMT, v->u.i);
        break;
    case AM_T_BOOL:
        s = v->u.i ? "true" : "false";
        break;
    case AM_T_STRING:
    case AM_T_GUID:
    case AM_T_DECIMAL:
        s = v->u.s;
        break;
    case AM_T_DATETIME:
        s = am_time_format_iso(x->p, v->u.t, x->tz);
        break;
    case AM_T_XDATETIME:
        s = am_time_format_xelion(x->p, v->u.t, x->tz);
        break;
    case AM_T_ENUM:
        s = am_enum_name(f->en, v->u.i);
        break;
    case AM_T_FLAGS:
        s = am_flags_names(x->p, f->en, v->u.i, " ");
        break;
    default:
        break;
    }
    if (!s && (type == AM_T_ENUM || type == AM_T_FLAGS)) {
        /* not a member: the number rather than nothing */
        s = apr_psprintf(x->p, "%" APR_INT64_T_FMT, v->u.i);
    }
    if (s) {
        put_esc(x, s, 0);
    }
}

static void put_members(xenc_t *x, const am_obj_t *o, const char *def,
                        int depth);

/* True when an object of type actual stands where type declared is
 * expected and is not of that data contract. */
static int derived_type(const am_type_t *declared, const am_type_t *actual)
{
    return declared != actual
           && (strcmp(declared->name, actual->name)
               || !same_ns(declared->ns, actual->ns));
}

/* One element <[prefix:]local ...> in namespace ns at depth (the root is
 * 1) whose parent has the default namespace def, holding v of type
 * `type' (f: the field, for enums and collections; NULL for a list's
 * items). */
static void put_value(xenc_t *x, const char *local, const char *ns,
                      const char *def, int depth, const am_field_t *f,
                      am_ftype_e type, const am_value_t *v)
{
    int mark = x->binds->nelts;
    const char *prefix = NULL, *inner = NULL;
    int decl_default = 0;
    int null = !v || !v->set || v->null || depth > AM_MAX_ENCODE_DEPTH
               || (type == AM_T_OBJECT && !v->u.o)
               || (type == AM_T_ARRAY && (!v->u.a || !f))
               || ((type == AM_T_STRING || type == AM_T_GUID
                    || type == AM_T_DECIMAL) && !v->u.s);
    apr_size_t open_end;

    /* The element's own namespace: the default, a prefix in scope, or a
     * new default declared on it. */
    if (!same_ns(ns, def)) {
        if (!(prefix = lookup_prefix(x, ns))) {
            decl_default = 1;
            def = ns;
        }
    }
    puts_(x, "<");
    if (prefix) {
        puts_(x, prefix);
        puts_(x, ":");
    }
    puts_(x, local);
    /* The namespace of what it holds, when that is another one: declared
     * as xmlns:d{depth}p1 on this element, as DataContractSerializer
     * does. */
    if (!null) {
        if (type == AM_T_OBJECT) {
            inner = v->u.o->type->ns;
        }
        else if (type == AM_T_ARRAY) {
            inner = item_ns(f, ns);
        }
        if (inner && *inner && !same_ns(inner, def)
            && !lookup_prefix(x, inner)) {
            xbind_t *b = apr_array_push(x->binds);

            b->prefix = apr_psprintf(x->p, "d%dp1", depth);
            b->ns = inner;
            puts_(x, " xmlns:");
            puts_(x, b->prefix);
            puts_(x, "=\"");
            put_esc(x, inner, 1);
            puts_(x, "\"");
        }
    }
    if (decl_default) {
        puts_(x, " xmlns=\"");
        put_esc(x, ns ? ns : "", 1);
        puts_(x, "\"");
    }
    if (!null && type == AM_T_OBJECT && f && f->sub
        && derived_type(f->sub, v->u.o->type)) {
        /* An object of another type than the declared one (an item of a
         * list of a base type): i:type names its data contract, as
         * DataContractSerializer writes it (its namespace is bound above
         * when it is not the default). */
        const char *tp = lookup_prefix(x, v->u.o->type->ns);

        puts_(x, " i:type=\"");
        if (tp && !same_ns(v->u.o->type->ns, def)) {
            puts_(x, tp);
            puts_(x, ":");
        }
        put_esc(x, v->u.o->type->name, 1);
        puts_(x, "\"");
    }
    if (null) {
        puts_(x, " i:nil=\"true\"/>");
        x->binds->nelts = mark;
        return;
    }
    puts_(x, ">");
    open_end = x->len;
    if (type == AM_T_OBJECT) {
        put_members(x, v->u.o, def, depth + 1);
    }
    else if (type == AM_T_ARRAY) {
        const char *iname = item_name(f), *ins = item_ns(f, ns);
        int i;

        for (i = 0; i < v->u.a->nelts; i++) {
            put_value(x, iname, ins, def, depth + 1, f, f->elem,
                      &APR_ARRAY_IDX(v->u.a, i, am_value_t));
        }
    }
    else {
        put_scalar(x, f, type, v);
    }
    if (x->len == open_end) {
        x->len--;
        puts_(x, "/>");
    }
    else {
        puts_(x, "</");
        if (prefix) {
            puts_(x, prefix);
            puts_(x, ":");
        }
        puts_(x, local);
        puts_(x, ">");
    }
    x->binds->nelts = mark;
}

static void put_members(xenc_t *x, const am_obj_t *o, const char *def,
                        int depth)
{
    const am_type_t *t = o->type;
    const int *order = am_type_xml_order(x->p, t);
    const am_value_t *v;
    am_value_t dv;
    int k;

    for (k = 0; k < t->nfields; k++) {
        const am_field_t *f = &t->fields[order[k]];

        if ((f->flags & AM_F_OMIT_NULL)
            && (!o->v[order[k]].set || o->v[order[k]].null)) {
            continue;
        }
        v = &o->v[order[k]];
        if ((!v->set || v->null) && am_value_default(f, f->type, &dv)) {
            v = &dv;
        }
        put_value(x, f->name, f->ns ? f->ns : t->ns, def, depth, f, f->type,
                  v);
    }
}

static void enc_start(xenc_t *x, apr_pool_t *p, const am_tz_t *tz,
                      const char *root, const char *ns)
{
    xbind_t *b;

    memset(x, 0, sizeof(*x));
    x->p = p;
    x->tz = tz;
    x->cap = 4096;
    x->s = apr_palloc(p, x->cap);
    x->binds = apr_array_make(p, 8, sizeof(xbind_t));
    b = apr_array_push(x->binds);
    b->prefix = "i";
    b->ns = XSI_NS;
    puts_(x, "<");
    puts_(x, root);
    puts_(x, " xmlns:i=\"" XSI_NS "\"");
    if (ns && *ns) {
        puts_(x, " xmlns=\"");
        put_esc(x, ns, 1);
        puts_(x, "\"");
    }
    puts_(x, ">");
}

static char *enc_end(xenc_t *x, const char *root, apr_size_t *len)
{
    puts_(x, "</");
    puts_(x, root);
    puts_(x, ">");
    x->s[x->len] = '\0';
    if (len) {
        *len = x->len;
    }
    return x->s;
}

char *am_xml_encode(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                    apr_size_t *len)
{
    xenc_t x;

    if (!o) {
        if (len) {
            *len = 0;
        }
        return NULL;
    }
    enc_start(&x, p, tz, o->type->name, o->type->ns);
    put_members(&x, o, o->type->ns, 2);
    return enc_end(&x, o->type->name, len);
}

char *am_xml_encode_list(apr_pool_t *p, const am_type_t *t,
                         const apr_array_header_t *objs,
                         const am_tz_t *tz, apr_size_t *len)
{
    const char *root = apr_pstrcat(p, "ArrayOf", t->name, NULL);
    am_field_t item;
    xenc_t x;
    int i;

    /* The items as DataContractSerializer writes a List<t>: elements
     * named after t, each of another (derived) type with its i:type. */
    memset(&item, 0, sizeof(item));
    item.name = t->name;
    item.type = AM_T_OBJECT;
    item.sub = t;

    enc_start(&x, p, tz, root, t->ns);
    for (i = 0; objs && i < objs->nelts; i++) {
        am_value_t v;

        memset(&v, 0, sizeof(v));
        v.u.o = APR_ARRAY_IDX(objs, i, am_obj_t *);
        v.set = 1;
        v.null = (v.u.o == NULL);
        put_value(&x, t->name, t->ns, t->ns, 2, &item, AM_T_OBJECT, &v);
    }
    return enc_end(&x, root, len);
}

void am_codec_init(void)
{
    xmlInitParser();
}

/* Licensed under the Apache License, Version 2.0.
 *
 * errshape.c: the error bodies of the dialects.
 *
 *  - ASP.NET Web API (PlanCare2, patient): {"Message": "...",
 *    "ModelState": {"appointment.Start": ["..."]}} and the XML form
 *    <Error><Message/><ModelState><appointment.Start/></ModelState></Error>.
 *  - Xelion: {"errorCode": N, "message": "...", "info": "resource=METHOD
 *    /path"} (and <error> with the same members in XML).
 */
#include <stdio.h>
#include <string.h>
#include <json.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/chvalid.h>
#include <libxml/xmlstring.h>

#include "errshape.h"

/* Copies a json-c object's text into the pool and releases it. */
static char *json_out(apr_pool_t *p, json_object *o, apr_size_t *len)
{
    size_t n = 0;
    const char *s = json_object_to_json_string_length(o,
        JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    char *out = apr_pstrmemdup(p, s, n);

    json_object_put(o);
    *len = n;
    return out;
}

static char *xml_out(apr_pool_t *p, xmlDocPtr doc, apr_size_t *len)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *out;

    xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 0);
    out = apr_pstrmemdup(p, (const char *)xmlBufferContent(buf),
                         (apr_size_t)xmlBufferLength(buf));
    *len = (apr_size_t)xmlBufferLength(buf);
    xmlBufferFree(buf);
    xmlFreeDoc(doc);
    return out;
}

/* One code point of UTF-8 s (at least one byte), its length in *n; an
 * invalid byte is taken as itself (U+FFFD-like: never a name char). */
static unsigned int utf8_cp(const unsigned char *s, int *n)
{
    int len = 4, cp;

    if (*s < 0x80) {
        *n = 1;
        return *s;
    }
    cp = xmlGetUTF8Char(s, &len);
    if (cp < 0 || len < 1) {
        *n = 1;
        return 0xFFFD;
    }
    *n = len;
    return (unsigned int)cp;
}

/* The classes of XML 1.0 (4th edition) names, as .NET's XmlConvert
 * reads them: a name starts with a letter or '_' and goes on with
 * letters, digits, '.', '-', '_', combining characters and extenders
 * (no ':' in a local name). */
static int name_start(unsigned int c)
{
    return c == '_' || (c < 0x10000 && xmlIsBaseChar(c))
           || (c < 0x10000 && xmlIsIdeographic(c));
}

static int name_char(unsigned int c)
{
    return name_start(c) || c == '.' || c == '-'
           || (c < 0x10000 && (xmlIsDigit(c) || xmlIsCombining(c)
                               || xmlIsExtender(c)));
}

/* True when s starts with an escape of XmlConvert: _xHHHH_ or
 * _xHHHHHHHH_. */
static int looks_escaped(const char *s)
{
    int i = 2;

    if (s[0] != '_' || s[1] != 'x') {
        return 0;
    }
    while (i < 10 && apr_isxdigit(s[i])) {
        i++;
    }
    return (i == 6 || i == 10) && s[i] == '_';
}

/* A ModelState key as an XML element name, as ASP.NET's HttpError writes
 * it: XmlConvert.EncodeLocalName's rules.  A character that cannot stand
 * there becomes _xHHHH_ (upper-case hex; _xHHHHHHHH_ beyond the BMP),
 * an '_' that would read as such an escape becomes _x005F_, so that
 * XmlConvert.DecodeName gives the key back:
 * "model.Reasons[1].ReasonId" -> "model.Reasons_x005B_1_x005D_.ReasonId". */
static const char *xml_name(apr_pool_t *p, const char *key)
{
    /* At most 7 bytes out per byte in (_xHHHH_ for one byte, 11 for a
     * 4-byte character). */
    char *out = apr_palloc(p, strlen(key) * 7 + 2), *o = out;
    const unsigned char *s = (const unsigned char *)key;
    int first = 1;

    while (*s) {
        int n;
        unsigned int c = utf8_cp(s, &n);

        if (c == '_' && looks_escaped((const char *)s)) {
            memcpy(o, "_x005F_", 7);
            o += 7;
        }
        else if (!(first ? name_start(c) : name_char(c))) {
            o += c > 0xFFFF ? sprintf(o, "_x%08X_", c)
                            : sprintf(o, "_x%04X_", c);
        }
        else {
            memcpy(o, s, (size_t)n);
            o += n;
        }
        s += n;
        first = 0;
    }
    if (o == out) {
        *o++ = '_';
    }
    *o = '\0';
    return out;
}

static const char *model_key(apr_pool_t *p, const char *prefix,
                             const char *key)
{
    return (prefix && *prefix) ? apr_pstrcat(p, prefix, ".", key, NULL)
                               : key;
}

char *am_aspnet_error_body(apr_pool_t *p, const char *prefix,
                           const am_err_t *e, am_fmt_e fmt,
                           apr_size_t *len)
{
    int i;

    if (fmt == AM_FMT_XML) {
        xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "Error");
        xmlNodePtr ms;

        xmlDocSetRootElement(doc, root);
        xmlNewTextChild(root, NULL, BAD_CAST "Message",
                        BAD_CAST e->message);
        if (am_err_has_fields(e)) {
            ms = xmlNewChild(root, NULL, BAD_CAST "ModelState", NULL);
            for (i = 0; i < e->fields->nelts; i++) {
                const am_fielderr_t *f = &APR_ARRAY_IDX(e->fields, i,
                                                        am_fielderr_t);
                xmlNewTextChild(ms, NULL, BAD_CAST xml_name(p,
                                model_key(p, prefix, f->key)),
                                BAD_CAST f->msg);
            }
        }
        return xml_out(p, doc, len);
    }
    else {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "Message",
                               json_object_new_string(e->message));
        if (am_err_has_fields(e)) {
            json_object *ms = json_object_new_object();

            for (i = 0; i < e->fields->nelts; i++) {
                const am_fielderr_t *f = &APR_ARRAY_IDX(e->fields, i,
                                                        am_fielderr_t);
                const char *k = model_key(p, prefix, f->key);
                json_object *arr = NULL;

                if (!json_object_object_get_ex(ms, k, &arr)) {
                    arr = json_object_new_array();
                    json_object_object_add(ms, k, arr);
                }
                json_object_array_add(arr, json_object_new_string(f->msg));
            }
            json_object_object_add(o, "ModelState", ms);
        }
        return json_out(p, o, len);
    }
}

int am_error_code(const am_codes_t *codes, const am_err_t *e)
{
    const am_code_t *c;

    if (e->code) {
        return e->code;
    }
    for (c = codes->by_why; e->why && c && c->key; c++) {
        if (c->key == e->why) {
            return c->code;
        }
    }
    for (c = codes->by_status; c && c->key; c++) {
        if (c->key == e->status) {
            return c->code;
        }
    }
    return e->status >= 500 ? codes->server : codes->client;
}

char *am_xelion_error_body(apr_pool_t *p, const am_codes_t *codes,
                           const am_err_t *e, am_fmt_e fmt,
                           const char *method, const char *path,
                           apr_size_t *len)
{
    const char *msg = e->message;
    const char *info = apr_pstrcat(p, "resource=", method, " ", path, NULL);
    int i;

    /* Field errors are folded into the message. */
    for (i = 0; am_err_has_fields(e) && i < e->fields->nelts; i++) {
        const am_fielderr_t *f = &APR_ARRAY_IDX(e->fields, i, am_fielderr_t);
        msg = apr_pstrcat(p, msg, i ? "; " : " ", f->key, ": ", f->msg,
                          NULL);
    }
    if (fmt == AM_FMT_XML) {
        xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "error");

        xmlDocSetRootElement(doc, root);
        xmlNewTextChild(root, NULL, BAD_CAST "errorCode",
                        BAD_CAST apr_itoa(p, am_error_code(codes, e)));
        xmlNewTextChild(root, NULL, BAD_CAST "message", BAD_CAST msg);
        xmlNewTextChild(root, NULL, BAD_CAST "info", BAD_CAST info);
        return xml_out(p, doc, len);
    }
    else {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "errorCode",
                               json_object_new_int(am_error_code(codes, e)));
        json_object_object_add(o, "message", json_object_new_string(msg));
        json_object_object_add(o, "info", json_object_new_string(info));
        return json_out(p, o, len);
    }
}

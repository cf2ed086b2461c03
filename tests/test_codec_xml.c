/* Licensed under the Apache License, Version 2.0.
 *
 * test_codec_xml.c: the DataContract XML codec (src/codec_xml.c) against
 * the seed samples and hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "test_types.h"
#include "model.h"

#define CAL_OPEN "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"" \
                 " xmlns=\"" NS_CAL "\""
#define PROBE_OPEN "<Probe xmlns:i=\"http://www.w3.org/2001/XMLSchema-" \
                   "instance\" xmlns=\"urn:probe\">"

static apr_pool_t *pool;
static const am_tz_t *utc, *ams;

static int setup(void **state)
{
    apr_pool_create(&pool, NULL);
    return 0;
}

static int teardown(void **state)
{
    apr_pool_destroy(pool);
    return 0;
}

static am_obj_t *decode_ok(const am_type_t *t, const char *text,
                           apr_size_t len, unsigned flags)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_xml_decode(pool, t, text, len, ams, flags, &o);

    if (e) {
        tt_print_err(e);
        fail_msg("decode failed: %s", e->message);
    }
    assert_non_null(o);
    return o;
}

static am_obj_t *decode_str_ok(const am_type_t *t, const char *text)
{
    return decode_ok(t, text, strlen(text), 0);
}

static am_err_t *decode_err(const am_type_t *t, const char *text,
                            apr_size_t len)
{
    am_obj_t *o = (am_obj_t *)1;
    am_err_t *e = am_xml_decode(pool, t, text, len, ams, 0, &o);

    if (!e) {
        fail_msg("decode of %.80s succeeded", text);
    }
    assert_int_equal(e->status, 400);
    assert_null(o);
    return e;
}

static am_err_t *decode_str_err(const am_type_t *t, const char *text)
{
    return decode_err(t, text, strlen(text));
}

static void expect_doc_err(const am_type_t *t, const char *text,
                           const char *what)
{
    am_err_t *e = decode_str_err(t, text);

    if (am_err_has_fields(e)) {
        tt_print_err(e);
        fail_msg("expected an error without field errors");
    }
    if (what && !strstr(e->message, what)) {
        fail_msg("message '%s' lacks '%s'", e->message, what);
    }
}

static void expect_field(const am_err_t *e, const char *key,
                         const char *what)
{
    const char *msg = tt_field_msg(e, key);

    if (!msg) {
        tt_print_err(e);
        fail_msg("no field error for %s", key);
    }
    if (what && !strstr(msg, what)) {
        fail_msg("message for %s '%s' lacks '%s'", key, msg, what);
    }
}

static am_value_t *item(am_value_t *arr, int i)
{
    assert_true(arr->set && !arr->null);
    return &APR_ARRAY_IDX(arr->u.a, i, am_value_t);
}

/* ---------------------------------------------------------- the seeds */

static void test_seed000(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed000_OccurrenceAppointment.xml", &len);
    am_obj_t *o = decode_ok(&tt_occurrence, text, len, 0);

    assert_int_equal(tt_get(o, "Id")->u.i, 1);
    assert_true(tt_get(o, "Start")->u.t
                == tt_time("2026-05-26T21:13:00.1670516Z"));
    assert_string_equal(tt_get(o, "Title")->u.s, "sample string 4");
    assert_int_equal(tt_get(o, "ParentId")->u.i, 6);
    assert_int_equal(tt_get(o, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(o, "Type")->u.i, 0);           /* Occurrence */
    assert_int_equal(tt_get(o, "Status")->u.i, 0);         /* Created */
    assert_string_equal(tt_get(o, "Remarks")->u.s, "sample string 13");
}

static void test_seed001(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed001_ChangeOfTeamAppointment.xml", &len);
    am_obj_t *o = decode_ok(&tt_team, text, len, 0);
    am_value_t *ids = tt_get(o, "ClientIds");
    am_obj_t *ri;

    assert_int_equal(ids->u.a->nelts, 2);
    assert_int_equal(item(ids, 0)->u.i, 1);
    assert_int_equal(item(ids, 1)->u.i, 2);
    assert_int_equal(tt_get(o, "Clients")->u.a->nelts, 2);
    assert_string_equal(tt_get(item(tt_get(o, "Clients"), 1)->u.o,
                               "Name")->u.s, "sample string 2");
    assert_int_equal(tt_get(o, "ShowInGroupCalendar")->u.i, 1);
    assert_string_equal(tt_get(o, "TeamCalendar")->u.s, "sample string 2");
    assert_int_equal(tt_get(o, "TeamCalendarId")->u.i, 1);
    assert_string_equal(tt_get(o, "ContractInfo")->u.s, "sample string 18");
    assert_int_equal(tt_get(o, "Id")->u.i, 13);
    assert_true(tt_get(o, "End")->u.t
                == tt_time("2026-05-26T19:02:03.284509Z"));
    ri = tt_get(o, "RecurrenceInfo")->u.o;
    assert_int_equal(tt_get(ri, "Interval")->u.i, 0);
    assert_int_equal(tt_get(ri, "Range")->u.i, 0);
    assert_int_equal(tt_get(ri, "WeekDays")->u.i, 1);
    assert_int_equal(tt_get(item(tt_get(o, "RecurrenceOccurrences"), 1)->u.o,
                            "OccurrenceIndex")->u.i, 7);
}

static void test_seed002(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed002_ContractAppointment.xml", &len);
    am_obj_t *o = decode_ok(&tt_contract, text, len, 0);
    am_value_t *occ = tt_get(o, "RecurrenceOccurrences");
    am_obj_t *ri;

    assert_int_equal(tt_get(o, "ClientId")->u.i, 6);
    assert_string_equal(tt_get(o, "ClientName")->u.s, "sample string 7");
    assert_int_equal(tt_get(o, "CareTrajectId")->u.i, 1);
    assert_string_equal(tt_get(o, "ProjectName")->u.s, "sample string 5");
    assert_int_equal(tt_get(o, "WorkTypeId")->u.i, 1);
    assert_true(tt_get(o, "Start")->u.t
                == tt_time("2026-05-26T21:18:26.2915874Z"));
    assert_int_equal(tt_get(o, "CreatedById")->u.i, 16);
    assert_int_equal(tt_get(o, "IsAllDay")->u.i, 1);
    assert_int_equal(tt_get(o, "Type")->u.i, 0);
    ri = tt_get(o, "RecurrenceInfo")->u.o;
    assert_int_equal(tt_get(ri, "Interval")->u.i, 0);
    assert_int_equal(tt_get(ri, "WeekDays")->u.i, 1);
    assert_int_equal(tt_get(ri, "Month")->u.i, 1);
    assert_int_equal(occ->u.a->nelts, 2);
    assert_int_equal(tt_get(item(occ, 0)->u.o, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(item(occ, 1)->u.o, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(item(occ, 1)->u.o, "Type")->u.i, 0);
}

/* ---------------------------------------------------------- round trip */

/* Walks two element trees: the same (namespace, local name) sequence at
 * every level, and the same text in leaf elements. */
static void compare_trees(xmlNode *want, xmlNode *got, const char *where)
{
    xmlNode *w = want->children, *g = got->children;

    for (;;) {
        while (w && w->type != XML_ELEMENT_NODE) {
            w = w->next;
        }
        while (g && g->type != XML_ELEMENT_NODE) {
            g = g->next;
        }
        if (!w || !g) {
            break;
        }
        if (strcmp((const char *)w->name, (const char *)g->name)
            || strcmp(w->ns ? (const char *)w->ns->href : "",
                      g->ns ? (const char *)g->ns->href : "")) {
            fail_msg("%s: got {%s}%s, expected {%s}%s", where,
                     g->ns ? (const char *)g->ns->href : "", g->name,
                     w->ns ? (const char *)w->ns->href : "", w->name);
        }
        if (xmlFirstElementChild(w)) {
            compare_trees(w, g, (const char *)w->name);
        }
        else {
            xmlChar *wt = xmlNodeGetContent(w), *gt = xmlNodeGetContent(g);
            int same = !strcmp((const char *)wt, (const char *)gt);

            if (!same) {
                fail_msg("%s: text '%s', expected '%s'", w->name, gt, wt);
            }
            xmlFree(wt);
            xmlFree(gt);
        }
        w = w->next;
        g = g->next;
    }
    if (w || g) {
        fail_msg("%s: %s element %s", where, w ? "missing" : "extra",
                 w ? w->name : g->name);
    }
}

/* The text without the whitespace between tags. */
static char *squeeze(const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;

    while (*s) {
        *o++ = *s;
        if (*s++ == '>') {
            const char *q = s;

            while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t') {
                q++;
            }
            if (*q == '<' || !*q) {
                s = q;
            }
        }
    }
    *o = '\0';
    return out;
}

static void round_trip(const am_type_t *t, const char *seed)
{
    apr_size_t len, olen = 0;
    char *text = tt_read(pool, seed, &len);
    am_obj_t *o = decode_ok(t, text, len, 0);
    char *out = am_xml_encode(pool, o, ams, &olen);
    xmlDocPtr want = xmlReadMemory(text, (int)len, NULL, NULL, XML_PARSE_NONET);
    xmlDocPtr got = xmlReadMemory(out, (int)olen, NULL, NULL, XML_PARSE_NONET);
    xmlNode *wr, *gr;

    assert_int_equal(strlen(out), olen);
    assert_non_null(want);
    assert_non_null(got);
    wr = xmlDocGetRootElement(want);
    gr = xmlDocGetRootElement(got);
    assert_string_equal((const char *)wr->name, (const char *)gr->name);
    assert_string_equal((const char *)wr->ns->href,
                        (const char *)gr->ns->href);
    compare_trees(wr, gr, seed);
    xmlFreeDoc(want);
    xmlFreeDoc(got);
    /* and in fact the very text DataContractSerializer wrote, namespace
     * declarations and prefixes included, without the XML declaration */
    assert_string_equal(out, squeeze(text));
    assert_true(strncmp(out, "<?xml", 5) != 0);
}

static void test_round_trip(void **state)
{
    round_trip(&tt_occurrence, "seed000_OccurrenceAppointment.xml");
    round_trip(&tt_team, "seed001_ChangeOfTeamAppointment.xml");
    round_trip(&tt_contract, "seed002_ContractAppointment.xml");
}

/* JSON in, XML out: the same document as the XML sample. */
static void test_json_to_xml(void **state)
{
    apr_size_t jlen, xlen;
    char *json = tt_read(pool, "seed002_ContractAppointment.json", &jlen);
    char *xml = tt_read(pool, "seed002_ContractAppointment.xml", &xlen);
    am_obj_t *o = NULL;

    assert_null(am_json_decode(pool, &tt_contract, json, jlen, ams, 0, &o));
    assert_string_equal(am_xml_encode(pool, o, ams, NULL), squeeze(xml));
}

/* ------------------------------------------------------------ encoding */

static void test_encode_values(void **state)
{
    am_obj_t *o = am_obj_make(pool, &tt_probe);
    am_obj_t *child = am_obj_make(pool, &tt_probe);
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(am_value_t));
    apr_array_header_t *kids = apr_array_make(pool, 2, sizeof(am_value_t));
    am_value_t *v;
    char *out;
    am_obj_t *back;

    am_obj_set_str(o, "Amount", "12.50");
    am_obj_set_int(o, "Days", 63);
    am_obj_set_int(o, "Kind", 2);
    am_obj_set_int(o, "Flag", 1);
    am_obj_set_time(o, "XWhen", tt_time("2017-02-25T10:50:00Z"));
    am_obj_set_str(o, "Text", "<a & \"b\">\r\n\t]]>\x01\xc3\xa9\xff");
    v = apr_array_push(names);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->u.s = "x";
    v = apr_array_push(names);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->null = 1;
    v = am_obj_get(o, "Names");
    v->set = 1;
    v->u.a = names;
    v = am_obj_get(o, "Tags");
    v->set = 1;
    v->u.a = apr_array_make(pool, 1, sizeof(am_value_t));
    am_obj_set_int(o, "NonNull", 0);
    am_obj_set_str(child, "Short", "ab");
    am_obj_set_int(child, "Days", 0);
    am_obj_set_int(child, "NonNull", 0);
    v = apr_array_push(kids);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->u.o = child;
    v = am_obj_get(o, "Children");
    v->set = 1;
    v->u.a = kids;

    out = am_xml_encode(pool, o, ams, NULL);
    assert_non_null(strstr(out, PROBE_OPEN "<Amount>12.50</Amount>"
                           "<Big i:nil=\"true\"/>"));
    assert_non_null(strstr(out, "<Days>Sunday WorkDays</Days>"));
    assert_non_null(strstr(out, "<Kind>Monthly</Kind>"));
    assert_non_null(strstr(out, "<Flag>true</Flag>"));
    assert_non_null(strstr(out, "<XWhen>2017-02-25 11:50:00</XWhen>"));
    assert_non_null(strstr(out, "<Names xmlns:d2p1=\"" NS_ARR "\">"
                           "<d2p1:string>x</d2p1:string>"
                           "<d2p1:string i:nil=\"true\"/></Names>"));
    assert_non_null(strstr(out, "<Tags xmlns:d2p1=\"" NS_ARR "\"/>"));
    assert_non_null(strstr(out, "<Children><Probe><Amount i:nil=\"true\"/>"));
    assert_non_null(strstr(out, "<Days/>"));
    assert_non_null(strstr(out, "<Text>&lt;a &amp; \"b\"&gt;&#xD;\n\t]]&gt;"
                           "\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd</Text>"));
    assert_true(out[strlen(out) - 1] == '>');
    assert_non_null(strstr(out, "</Probe>"));

    /* what it writes, it reads back */
    back = decode_str_ok(&tt_probe, out);
    assert_string_equal(tt_get(back, "Amount")->u.s, "12.50");
    assert_int_equal(tt_get(back, "Days")->u.i, 63);
    assert_int_equal(tt_get(back, "Kind")->u.i, 2);
    assert_true(tt_get(back, "XWhen")->u.t == tt_time("2017-02-25T10:50:00Z"));
    assert_string_equal(tt_get(back, "Text")->u.s,
                        "<a & \"b\">\r\n\t]]>\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd");
    assert_true(item(tt_get(back, "Names"), 1)->null);
    assert_int_equal(tt_get(back, "Tags")->u.a->nelts, 0);
    assert_int_equal(tt_get(item(tt_get(back, "Children"), 0)->u.o,
                            "Days")->u.i, 0);
    assert_true(tt_get(back, "Big")->null);
}

static void test_encode_list(void **state)
{
    apr_array_header_t *objs = apr_array_make(pool, 2, sizeof(am_obj_t *));
    am_obj_t *a = am_obj_make(pool, &tt_named_entity);
    char *out;
    apr_size_t len;

    am_obj_set_int(a, "Id", 1);
    am_obj_set_str(a, "Name", "A & B");
    APR_ARRAY_PUSH(objs, am_obj_t *) = a;
    APR_ARRAY_PUSH(objs, am_obj_t *) = NULL;
    out = am_xml_encode_list(pool, &tt_named_entity, objs, ams, &len);
    assert_string_equal(out, "<ArrayOfNamedEntity xmlns:i=\"http://www.w3.org"
                        "/2001/XMLSchema-instance\" xmlns=\"" NS_API "\">"
                        "<NamedEntity><Id>1</Id><Name>A &amp; B</Name>"
                        "</NamedEntity><NamedEntity i:nil=\"true\"/>"
                        "</ArrayOfNamedEntity>");
    assert_int_equal(len, strlen(out));
    apr_array_clear(objs);
    out = am_xml_encode_list(pool, &tt_contract, objs, ams, NULL);
    assert_string_equal(out, "<ArrayOfContractAppointment xmlns:i=\"http://"
                        "www.w3.org/2001/XMLSchema-instance\" xmlns=\""
                        NS_CLI "\"></ArrayOfContractAppointment>");
}

/* A list of a base type holding an item of a derived one: the item
 * element is the base's, with i:type naming the derived contract in its
 * namespace (DataContractSerializer's List<Base> with a known type). */
static const am_field_t base_fields[] = {
    { .name = "Id", .type = AM_T_INT64, .member = AM_M_NONE },
};
static am_type_t tt_base = { "Base", "urn:base", base_fields, 1, NULL };
static const am_field_t derived_fields[] = {
    { .name = "Extra", .type = AM_T_STRING, .level = 1,
      .member = AM_M_NONE },
    { .name = "Id", .type = AM_T_INT64, .ns = "urn:base",
      .member = AM_M_NONE },
};
static am_type_t tt_derived = {
    "Derived", "urn:derived", derived_fields, 2, NULL
};
static am_type_t tt_same_ns = { "Other", "urn:base", base_fields, 1, NULL };

static void test_encode_list_derived(void **state)
{
    apr_array_header_t *objs = apr_array_make(pool, 3, sizeof(am_obj_t *));
    am_obj_t *b = am_obj_make(pool, &tt_base);
    am_obj_t *d = am_obj_make(pool, &tt_derived);
    am_obj_t *o = am_obj_make(pool, &tt_same_ns);

    am_obj_set_int(b, "Id", 1);
    am_obj_set_int(d, "Id", 2);
    am_obj_set_str(d, "Extra", "x");
    am_obj_set_int(o, "Id", 3);
    APR_ARRAY_PUSH(objs, am_obj_t *) = b;
    APR_ARRAY_PUSH(objs, am_obj_t *) = d;
    APR_ARRAY_PUSH(objs, am_obj_t *) = o;
    assert_string_equal(am_xml_encode_list(pool, &tt_base, objs, ams, NULL),
                        "<ArrayOfBase xmlns:i=\"http://www.w3.org/2001/"
                        "XMLSchema-instance\" xmlns=\"urn:base\">"
                        "<Base><Id>1</Id></Base>"
                        "<Base xmlns:d2p1=\"urn:derived\" i:type=\"d2p1:Derived\">"
                        "<Id>2</Id><d2p1:Extra>x</d2p1:Extra></Base>"
                        "<Base i:type=\"Other\"><Id>3</Id></Base>"
                        "</ArrayOfBase>");
}

/* ----------------------------------------------------- decoding rules */

static void test_decode_values(void **state)
{
    am_obj_t *o;

    o = decode_str_ok(&tt_probe, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<!-- hello -->" PROBE_OPEN
        "<Text>  kept &amp; <![CDATA[<raw>]]> </Text>"
        "<Small>\n  -5\t</Small><Flag> 1 </Flag>"
        "<Days>Monday  Wednesday</Days><Kind>Yearly</Kind>"
        "<When>2026-05-26T23:13:00+02:00</When>"
        "<Guid>0F8FAD5BD9CB469FA16570867728950E</Guid>"
        "<Amount> -0012.340 </Amount>"
        "<Names xmlns:a=\"" NS_ARR "\"><a:string>x</a:string>"
        "<a:string i:nil=\"true\"/><a:string/></Names>"
        "<Tags xmlns:b=\"" NS_ARR "\"><b:int>1</b:int><b:int>2</b:int>"
        "</Tags><Child i:nil=\"true\"/>"
        "<Children><Probe><Small>1</Small></Probe><Probe i:nil=\"1\"/>"
        "</Children>"
        "<Unknown><Deep><Deeper/></Deep></Unknown>"
        "<Big xmlns=\"urn:other\">7</Big>"
        "<?pi ignored?></Probe>");
    assert_string_equal(tt_get(o, "Text")->u.s, "  kept & <raw> ");
    assert_int_equal(tt_get(o, "Small")->u.i, -5);
    assert_int_equal(tt_get(o, "Flag")->u.i, 1);
    assert_int_equal(tt_get(o, "Days")->u.i, 10);
    assert_int_equal(tt_get(o, "Kind")->u.i, 3);
    assert_true(tt_get(o, "When")->u.t == tt_time("2026-05-26T21:13:00Z"));
    assert_string_equal(tt_get(o, "Guid")->u.s,
                        "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_string_equal(tt_get(o, "Amount")->u.s, "-12.340");
    assert_int_equal(tt_get(o, "Names")->u.a->nelts, 3);
    assert_true(item(tt_get(o, "Names"), 1)->null);
    assert_string_equal(item(tt_get(o, "Names"), 2)->u.s, "");
    assert_int_equal(item(tt_get(o, "Tags"), 1)->u.i, 2);
    assert_true(tt_get(o, "Child")->null);
    assert_int_equal(tt_get(item(tt_get(o, "Children"), 0)->u.o,
                            "Small")->u.i, 1);
    assert_true(item(tt_get(o, "Children"), 1)->null);
    /* a member in another namespace is another member: ignored */
    assert_false(tt_get(o, "Big")->set);

    /* elements in any order; i:nil="false" is not null */
    o = decode_str_ok(&tt_named_entity, "<NamedEntity xmlns=\"" NS_API "\""
                      " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">"
                      "<Name i:nil=\"false\">n</Name><Id>3</Id></NamedEntity>");
    assert_int_equal(tt_get(o, "Id")->u.i, 3);
    assert_string_equal(tt_get(o, "Name")->u.s, "n");

    /* an encoding other than UTF-8 is converted */
    o = decode_str_ok(&tt_probe, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\""
                      "?><Probe xmlns=\"urn:probe\"><Text>\xe9</Text></Probe>");
    assert_string_equal(tt_get(o, "Text")->u.s, "\xc3\xa9");

    /* read-only: bad values ignored; partial: no required check */
    o = decode_str_ok(&tt_probe, PROBE_OPEN "<Hidden>x</Hidden></Probe>");
    assert_false(tt_get(o, "Hidden")->set);
    o = decode_ok(&tt_occurrence, "<OccurrenceAppointment " CAL_OPEN "/>",
                  strlen("<OccurrenceAppointment " CAL_OPEN "/>"),
                  AM_DEC_PARTIAL);
    assert_false(tt_get(o, "Id")->set);
}

static void test_document_errors(void **state)
{
    char *deep;
    int i;
    clock_t t0;

    expect_doc_err(&tt_probe, "", "empty");
    expect_doc_err(&tt_probe, "  \n", "empty");
    /* not well-formed */
    expect_doc_err(&tt_probe, PROBE_OPEN "<Small>1</Small>", "well-formed");
    expect_doc_err(&tt_probe, PROBE_OPEN "<Small>1</Big></Probe>",
                   "well-formed");
    expect_doc_err(&tt_probe, PROBE_OPEN "</Probe><Probe/>", "well-formed");
    expect_doc_err(&tt_probe, PROBE_OPEN "&undefined;</Probe>",
                   "well-formed");
    expect_doc_err(&tt_probe, PROBE_OPEN "<x:Small>1</x:Small></Probe>",
                   "well-formed");
    expect_doc_err(&tt_probe, "<Probe xmlns=\"urn:probe\">\xff</Probe>",
                   "well-formed");
    expect_doc_err(&tt_probe, "{\"Small\": 1}", "well-formed");
    /* wrong root */
    expect_doc_err(&tt_contract, "<ContractAppointmentX xmlns=\"" NS_CLI
                   "\"/>", "Expecting element 'ContractAppointment'");
    expect_doc_err(&tt_contract, "<ContractAppointment xmlns=\"" NS_CAL
                   "\"/>", "from namespace '" NS_CLI "'");
    expect_doc_err(&tt_contract, "<ContractAppointment/>", "Encountered");
    /* any DTD, harmless or not */
    expect_doc_err(&tt_probe, "<!DOCTYPE Probe []><Probe xmlns=\"urn:probe\""
                   "/>", "DOCTYPE");
    expect_doc_err(&tt_probe, "<!DOCTYPE Probe SYSTEM \"http://127.0.0.1:9/x."
                   "dtd\"><Probe xmlns=\"urn:probe\"/>", "DOCTYPE");
    expect_doc_err(&tt_probe, "<?xml version=\"1.0\"?><!DOCTYPE Probe ["
                   "<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                   "<Probe xmlns=\"urn:probe\"><Text>&e;</Text></Probe>",
                   "DOCTYPE");
    expect_doc_err(&tt_probe, "<!DOCTYPE Probe [<!ENTITY % p SYSTEM "
                   "\"file:///etc/passwd\"> %p;]><Probe xmlns=\"urn:probe\"/>",
                   "DOCTYPE");
    /* billion laughs: refused before any expansion (fast) */
    t0 = clock();
    expect_doc_err(&tt_probe, "<?xml version=\"1.0\"?><!DOCTYPE lolz ["
        "<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
        "]><Probe xmlns=\"urn:probe\"><Text>&lol9;</Text></Probe>", "DOCTYPE");
    assert_true(clock() - t0 < CLOCKS_PER_SEC / 2);
    /* deep nesting: 1000 levels (libxml2 stops at 256) */
    deep = apr_palloc(pool, 1000 * 7 + 100);
    strcpy(deep, "<Probe xmlns=\"urn:probe\">");
    for (i = 0; i < 1000; i++) {
        strcat(deep, "<a>");
    }
    for (i = 0; i < 1000; i++) {
        strcat(deep, "</a>");
    }
    strcat(deep, "</Probe>");
    expect_doc_err(&tt_probe, deep, "well-formed");
}

static void test_field_errors(void **state)
{
    am_err_t *e;
    char *deep;
    int i;

    e = decode_str_err(&tt_probe, PROBE_OPEN
        "<Small>3000000000</Small><Big>99999999999999999999</Big>"
        "<Count>1.5</Count><Flag>True</Flag><Kind>daily</Kind>"
        "<Days>Monday,Wednesday</Days><When>2026-13-01T00:00:00Z</When>"
        "<XWhen>2017-02-25T11:50:00</XWhen><Guid>xyz</Guid>"
        "<Amount>1e5</Amount><Short>a</Short><NonNull i:nil=\"true\"/>"
        "<Tags xmlns:a=\"" NS_ARR "\"><a:int>1</a:int><a:long>2</a:long>"
        "<a:int i:nil=\"true\"/></Tags>"
        "<Text>a</Text><Text>b</Text></Probe>");
    assert_string_equal(e->message, "The request is invalid.");
    expect_field(e, "Small", "Int32");
    expect_field(e, "Big", "too large or too small");
    expect_field(e, "Count", "1.5");
    expect_field(e, "Flag", "True");
    expect_field(e, "Kind", "daily");
    expect_field(e, "Days", "Monday,Wednesday");
    expect_field(e, "When", NULL);
    expect_field(e, "XWhen", NULL);
    expect_field(e, "Guid", "32 digits");
    expect_field(e, "Amount", "1e5");
    expect_field(e, "Short", "minimum length of 2");
    expect_field(e, "NonNull", "null");
    expect_field(e, "Tags[1]", "Unexpected element 'long'");
    expect_field(e, "Tags[2]", "null");
    expect_field(e, "Text", "more than once");
    assert_int_equal(e->fields->nelts, 15);

    e = decode_str_err(&tt_probe, PROBE_OPEN "<Tags xmlns:a=\"" NS_ARR "\">"
                       "<a:int>1</a:int><a:int>1</a:int><a:int>1</a:int>"
                       "<a:int>1</a:int></Tags></Probe>");
    expect_field(e, "Tags", "maximum length of 3");
    e = decode_str_err(&tt_probe, PROBE_OPEN "<Small><b>1</b></Small></Probe>");
    expect_field(e, "Small", "element");
    e = decode_str_err(&tt_probe, PROBE_OPEN "<Small></Small></Probe>");
    expect_field(e, "Small", NULL);
    /* nested paths */
    e = decode_str_err(&tt_probe, PROBE_OPEN "<Child><Child><Small>x</Small>"
                       "</Child></Child><Children><Probe/><Probe><Count>99"
                       "</Count></Probe></Children></Probe>");
    expect_field(e, "Child.Child.Small", NULL);
    expect_field(e, "Children[1].Count", NULL);
    /* nesting deeper than AM_MAX_DEPTH through a recursive type */
    deep = apr_palloc(pool, 40 * 16 + 100);
    strcpy(deep, PROBE_OPEN);
    for (i = 0; i < 40; i++) {
        strcat(deep, "<Child>");
    }
    for (i = 0; i < 40; i++) {
        strcat(deep, "</Child>");
    }
    strcat(deep, "</Probe>");
    e = decode_str_err(&tt_probe, deep);
    assert_int_equal(e->fields->nelts, 1);
    assert_non_null(strstr(APR_ARRAY_IDX(e->fields, 0, am_fielderr_t).msg,
                           "nested too deeply"));
}

static void test_required(void **state)
{
    static const char *const req[] = {
        "Id", "Start", "End", "Title", "ParentId", "OccurrenceIndex", "Type"
    };
    am_err_t *e;
    size_t i;

    e = decode_str_err(&tt_occurrence, "<OccurrenceAppointment " CAL_OPEN ">"
                       "<Location>x</Location></OccurrenceAppointment>");
    assert_int_equal(e->fields->nelts, 7);
    for (i = 0; i < sizeof(req) / sizeof(*req); i++) {
        expect_field(e, req[i], "field is required.");
    }
    /* nil, blank and wrong-namespace members count as missing */
    e = decode_str_err(&tt_occurrence, "<OccurrenceAppointment " CAL_OPEN ">"
        "<Id i:nil=\"true\"/><Start>2026-05-26T23:13:00+02:00</Start>"
        "<End>2026-05-26T23:13:00+02:00</End><Title> </Title>"
        "<ParentId xmlns=\"" NS_CLI "\">1</ParentId>"
        "<OccurrenceIndex>0</OccurrenceIndex><Type>Deleted</Type>"
        "</OccurrenceAppointment>");
    assert_int_equal(e->fields->nelts, 4);
    expect_field(e, "Id", "required");
    expect_field(e, "Title", "required");
    expect_field(e, "ParentId", "required");
    expect_field(e, "Type", "Occurrence, ChangedOccurrence, DeletedOccurrence");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed000),
        cmocka_unit_test(test_seed001),
        cmocka_unit_test(test_seed002),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_json_to_xml),
        cmocka_unit_test(test_encode_values),
        cmocka_unit_test(test_encode_list),
        cmocka_unit_test(test_encode_list_derived),
        cmocka_unit_test(test_decode_values),
        cmocka_unit_test(test_document_errors),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_required),
    };
    apr_pool_t *init;
    int rc;

    apr_initialize();
    am_codec_init();
    apr_pool_create(&init, NULL);
    utc = am_tz_get("UTC");
    ams = am_tz_get("Europe/Amsterdam");
    if (!utc || !ams) {
        fprintf(stderr, "time zones unavailable\n");
        return 1;
    }
    tt_init_types(init);
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_pool_destroy(init);
    apr_terminate();
    return rc;
}

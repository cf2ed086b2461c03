# PlanCare2 ContractAppointments in DataContract XML, with seed 002's XML
# sample verbatim: accepted as a body, and the GET answer has the
# sample's element order and namespaces.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 16;

my $base = '/PlanCare2Api/ClientAppointments';
my $NS_CLI = 'http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface.Calendar.Client';
my $sample_text = seed('seed002_ContractAppointment.xml');
my $sample = xml_of($sample_text)->documentElement;

my $res = req('POST', "$base/ContractAppointments", body => $sample_text,
              type => 'application/xml', accept => 'application/xml');
ok t_cmp($res->code, 200, 'POST seed 002 XML verbatim is accepted');
ok t_cmp($res->header('Content-Type'), qr{^application/xml; charset=utf-8},
         'answered in XML');
my $doc = xml_of($res);
is_true($doc, 'the answer is well-formed XML');
my $root = $doc->documentElement;
my $xpc = XML::LibXML::XPathContext->new($root);
$xpc->registerNs(c => $NS_CLI);
my $id = $xpc->findvalue('c:Id | *[local-name()="Id"]');
is_true($id =~ /^\d+$/, 'the saved instance carries its Id');

$res = req('GET', "$base/ContractAppointments/$id", accept => 'text/xml');
ok t_cmp($res->code, 200, 'GET in XML');
ok t_cmp($res->header('Content-Type'), qr{^text/xml}, 'text/xml as asked');
$root = xml_of($res)->documentElement;

# Root, namespace and the order of members with their namespaces.
ok t_cmp(join("\n", xml_shape($root, 1)), join("\n", xml_shape($sample, 1)),
         'member order and namespaces as seed 002');
my ($ri) = grep { $_->localname eq 'RecurrenceInfo' } $root->childNodes;
my ($sri) = grep { $_->nodeType == 1 && $_->localname eq 'RecurrenceInfo' }
            $sample->childNodes;
ok t_cmp(join("\n", xml_shape($ri)), join("\n", xml_shape($sri)),
         'RecurrenceInfo members in the Recurrence namespace');

my %val = map { $_->localname => $_->textContent }
          grep { $_->nodeType == 1 } $root->childNodes;
ok t_cmp($val{Start}, '2026-05-26T23:18:26.2915874+02:00', 'Start exact');
ok t_cmp($val{ClientId}, '6', 'ClientId');
ok t_cmp($val{ProductName}, 'sample string 3', 'ProductName');
ok t_cmp($val{Status}, 'Created', 'enum by name');
ok t_cmp($val{IsAllDay}, 'true', 'boolean');
ok t_cmp($val{CreatedByName}, 'tester', 'read-only CreatedByName set by the server');

# JSON in, XML out: one appointment, two formats.
my $json = seed_json('seed002_ContractAppointment.json');
$res = req_json('POST', "$base/ContractAppointments", $json);
my $jid = json_of($res)->{Id};
$res = req('GET', "$base/ContractAppointments/$jid",
           accept => 'application/json;q=0.5, application/xml');
ok t_cmp($res->header('Content-Type'), qr{^application/xml}, 'q-values honoured');
ok t_cmp($res->header('ETag'), qr/^"v1-xml"$/, 'ETag differs per format');

# Patient dialect: POST PatientAppointmentPost_v2 (and _v1, and the one
# without suffix) with seed 003's JSON sample verbatim, the same model as
# a form (Reasons[0].ReasonId) and as DataContract XML; the answer, its
# Location and reading it back.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 60;

my $base = '/api/Calendar';
my $free = '/patient2/api/Calendar';   # no double-booking guard
my $NS = 'http://schemas.datacontract.org/2004/07/DrCare.Api.Models';
my $GUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
my $sample_text = seed('seed003_AppointmentModel.json');
my $sample = seed_json('seed003_AppointmentModel.json');

sub guid {
    return sprintf '%08x-%04x-%04x-%04x-%04x%08x', int rand 2**32,
        int rand 65536, int rand 65536, int rand 65536, int rand 65536,
        int rand 2**32;
}

# --- the seed verbatim
my $res = req('POST', "$base/PatientAppointmentPost_v2",
              body => $sample_text, type => 'application/json');
ok t_cmp($res->code, 200, 'POST PatientAppointmentPost_v2 with seed 003 verbatim');
ok t_cmp($res->header('Content-Type'), qr{^application/json; charset=utf-8},
         'answered in JSON');
my $c = json_of($res);
ok t_cmp($c->{Id} // '', $GUID, 'the new Id is a GUID');
my $id = $c->{Id};
ok t_cmp($res->header('Location'),
         qr{/api/Calendar/PatientAppointmentGet/\Q$id\E$},
         'Location names the new appointment');
ok t_cmp($res->header('ETag'), '"v1-json"', 'ETag of version 1');

# Every member of the sample comes back; date-times as the same instant
# in the configured zone (Europe/Amsterdam), with all 7 digits.
for my $k (qw(EncounterTypeId EncounterTypeModeDurationId ProviderId UserId
              PatientId SpecialityId Reason Note ParentId ReferredParentId
              AccountId ServiceId MethodId IsCustomFormFlow DocIds)) {
    ok t_cmp($c->{$k}, $sample->{$k}, "$k stored and returned");
}
ok t_cmp($c->{AppointmentOn}, '2026-02-04T04:04:03.1544841+01:00',
         'AppointmentOn: the same instant, exact to 100 ns');
ok t_cmp($c->{SecondaryAppointmentOn}, '2026-02-04T04:04:03.1544841+01:00',
         'SecondaryAppointmentOn likewise');
ok t_cmp($c->{AppointmentEndOn}, '2026-02-04T04:34:03.1544841+01:00',
         'the default duration: 30 minutes');
ok t_cmp($res->decoded_content, qr/"PaidAmount":5\.0[,}]/,
         'PaidAmount 5.0 exactly as sent (a decimal, not a float)');
ok t_cmp($JSON->encode($c->{Reasons}), $JSON->encode($sample->{Reasons}),
         'Reasons');
ok t_cmp($c->{Status}, 0, 'Status Booked');
ok t_cmp($c->{CreatedBy}, 'tester', 'CreatedBy is the authenticated user');
is_true(!defined $c->{CancelReason}, 'no CancelReason');

# --- read it back
$res = req('GET', "$base/PatientAppointmentGet/$id");
ok t_cmp($res->code, 200, 'GET PatientAppointmentGet/{id}');
my $g = json_of($res);
ok t_cmp($JSON->encode($g), $JSON->encode($c), 'read back exactly as answered');
$res = req('GET', "$base/PatientAppointmentGet/{" . uc($id) . "}");
ok t_cmp($res->code, 200, 'the id in braces and upper case works too');

# --- the same slot again: the guard refuses it
$res = req('POST', "$base/PatientAppointmentPost_v1", body => $sample_text,
           type => 'application/json');
ok t_cmp($res->code, 409, 'the same provider and slot again: 409');
ok t_cmp(json_of($res)->{Message} // '', qr/already booked/,
         'with a clear message');

# --- _v1 and the plain route take the same model (where no guard applies)
for my $route (qw(PatientAppointmentPost_v1 PatientAppointmentPost)) {
    $res = req('POST', "$free/$route", body => $sample_text,
               type => 'text/json');
    ok t_cmp($res->code, 200, "POST $route with seed 003 verbatim");
    my $o = json_of($res);
    ok t_cmp($o->{Reason}, 'sample string 3', "$route stores the model");
    is_true($o->{Id} ne $id, "$route makes a new Id");
}
ok t_cmp(req('POST', "$base/patientappointmentpost_V2", body => $sample_text,
             type => 'application/json')->code, 409,
         'route names ignore case');

# --- as a form: Reasons[0].ReasonId
my %form = %$sample;
delete $form{Reasons};
$form{ProviderId} = guid();
$form{Note} = "caf\x{e9} & co = 100%";
$form{PaidAmount} = '12345678901234567890.10';
my $body = join '&', map { "$_=" . uri_escape_utf8($form{$_}) } sort keys %form;
$body .= '&Reasons%5B0%5D.ReasonId=7b0d7dbd-2e54-48b9-a80d-fb468fda994e'
       . '&Reasons[1].ReasonId=8b0d7dbd-2e54-48b9-a80d-fb468fda994e';
$res = req('POST', "$base/PatientAppointmentPost_v2", body => $body,
           type => 'application/x-www-form-urlencoded');
ok t_cmp($res->code, 200, 'POST as application/x-www-form-urlencoded');
my $f = JSON::PP->new->utf8->decode($res->content);
ok t_cmp($f->{Note}, "caf\x{e9} & co = 100%", 'escapes and UTF-8 decoded');
ok t_cmp(join(',', map { $_->{ReasonId} } @{ $f->{Reasons} }),
         '7b0d7dbd-2e54-48b9-a80d-fb468fda994e,8b0d7dbd-2e54-48b9-a80d-fb468fda994e',
         'Reasons[i].ReasonId in order');
ok t_cmp($f->{AppointmentOn}, '2026-02-04T04:04:03.1544841+01:00',
         'AppointmentOn from the form');
ok t_cmp($res->content, qr/"PaidAmount":12345678901234567890\.10[,}]/,
         'PaidAmount from the form, every digit kept');
$res = req('POST', "$base/PatientAppointmentPost_v2",
           body => $body . '&Reason=', type => 'application/x-www-form-urlencoded; charset=utf-8');
ok t_cmp($res->code, 400, 'a form that gives Reason twice is refused');

# --- XML: the answer in XML, then that document as a body
$res = req('POST', "$free/PatientAppointmentPost_v2", body => $sample_text,
           type => 'application/json', accept => 'application/xml');
ok t_cmp($res->code, 200, 'JSON in, XML out');
ok t_cmp($res->header('Content-Type'), qr{^application/xml}, 'XML answer');
my $doc = xml_of($res);
my $root = $doc ? $doc->documentElement : undef;
ok t_cmp($root ? '{' . $root->namespaceURI . '}' . $root->localname : '',
         "{$NS}AppointmentModel", 'root AppointmentModel in its namespace');
my @names = map { $_->localname } grep { $_->nodeType == 1 } $root->childNodes;
ok t_cmp(join(',', @names), join(',', sort @names),
         'members in DataContract (alphabetical) order');
my %x = map { $_->localname => $_->textContent }
        grep { $_->nodeType == 1 } $root->childNodes;
ok t_cmp($x{PaidAmount}, '5.0', 'decimal in XML');
ok t_cmp($x{Status}, 'Booked', 'status by name in XML');
ok t_cmp(scalar(() = $doc->toString =~ /<Reasons><ReasonId>/g), 2,
         'Reasons items as <Reasons><ReasonId>');

my $xml_body = $doc->toString;
$xml_body =~ s{<ProviderId>[^<]*</ProviderId>}{'<ProviderId>' . guid() . '</ProviderId>'}e;
$res = req('POST', "$base/PatientAppointmentPost", body => $xml_body,
           type => 'application/xml', accept => 'text/xml');
ok t_cmp($res->code, 200, 'the XML document as a body (read-only members ignored)');
my %y = map { $_->localname => $_->textContent }
        grep { $_->nodeType == 1 } xml_of($res)->documentElement->childNodes;
is_true($y{Id} ne $x{Id}, 'a new Id, not the one in the body');
ok t_cmp($y{AppointmentOn}, $x{AppointmentOn}, 'AppointmentOn from XML');
ok t_cmp($y{Reason}, 'sample string 3', 'Reason from XML');

# --- bodies of other types
$res = req('POST', "$base/PatientAppointmentPost_v2", body => 'x',
           type => 'text/plain');
ok t_cmp($res->code, 415, 'text/plain: 415');
$res = req('GET', "$base/PatientAppointmentPost_v2");
ok t_cmp($res->code, 405, 'GET on a POST route: 405');
$res = req('POST', "$base/PatientAppointmentPost_v2", body => $sample_text,
           type => 'application/json', user => undef);
ok t_cmp($res->code, 401, 'anonymous: 401');

sub uri_escape_utf8 {
    my ($s) = @_;
    utf8::encode($s);
    $s =~ s/([^A-Za-z0-9\-._~ ])/sprintf '%%%02X', ord $1/ge;
    $s =~ tr/ /+/;
    return $s;
}

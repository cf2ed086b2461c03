# Permissions at the edges: paths that name no route, wrong methods and
# ids, wrong passwords, HEAD, content negotiation of the 401/403 bodies,
# and that nothing leaks: the answer to a request that is not allowed does
# not depend on whether its target exists, and changes nothing.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 41;

my $base = '/PlanCare2Api/ClientAppointments';
my $DENIED = 'Authorization has been denied for this request.';

sub denied_json {
    my ($res) = @_;
    my $d = json_of($res);
    return $d && json_keys($d) eq 'Message' && $d->{Message} eq $DENIED
        && ($res->header('Content-Type') // '') eq 'application/json; charset=utf-8';
}

# --- paths that name no route: 401 without credentials, 403 without a
# grant here, the router's answer with one.
my $res = req('GET', '/PlanCare2Api/NoSuchThing', user => undef);
ok t_cmp($res->code, 401, 'unknown path, anonymous: 401');
is_true(denied_json($res), 'unknown path, anonymous: the dialect\'s body');
ok t_cmp(req('GET', '/PlanCare2Api/NoSuchThing', user => 'outsider')->code,
         403, 'unknown path, no grant: 403');
ok t_cmp(req('GET', '/PlanCare2Api/NoSuchThing', user => 'patientreader')->code,
         403, 'unknown path, grants of another dialect only: 403');
ok t_cmp(req('GET', '/PlanCare2Api/NoSuchThing', user => 'clientplanner')->code,
         404, 'unknown path, a grant here: 404');
ok t_cmp(req('GET', "$base/ContractAppointments/abc", user => undef)->code,
         401, 'invalid id, anonymous: 401');
ok t_cmp(req('GET', "$base/ContractAppointments/abc", user => 'clientplanner')->code,
         400, 'invalid id, a grant here: 400');
ok t_cmp(req('PUT', "$base/ContractAppointments/1", user => undef)->code,
         401, 'wrong method, anonymous: 401');
ok t_cmp(req('PUT', "$base/ContractAppointments/1", user => 'outsider')->code,
         403, 'wrong method, no grant: 403');
ok t_cmp(req('PUT', "$base/ContractAppointments/1", user => 'clientplanner')->code,
         405, 'wrong method, a grant here: 405');

# --- credentials
$res = req('GET', "$base/ContractAppointments/1", user => 'clientplanner',
           password => 'wrong');
ok t_cmp($res->code, 401, 'wrong password: 401');
is_true(denied_json($res), 'wrong password: the dialect\'s body');
ok t_cmp($res->header('WWW-Authenticate') // '',
         'Basic realm="appointments tests"', 'wrong password: WWW-Authenticate');
$res = req('GET', "$base/ContractAppointments/1", user => 'nosuchuser');
ok t_cmp($res->code, 401, 'unknown user: 401');
$res = req('GET', "$base/ContractAppointments/1", user => 'outsider');
ok t_cmp($res->code, 403, 'no grant: 403');
is_true(!defined $res->header('WWW-Authenticate'), '403 asks for no credentials');

# --- the format of 401/403 follows Accept
$res = req('GET', "$base/ContractAppointments/1", user => undef,
           accept => 'text/xml');
ok t_cmp($res->header('Content-Type'), 'text/xml; charset=utf-8',
         '401 in the XML type Accept names');
my $x = xml_of($res);
is_true($x && $x->documentElement->localname eq 'Error'
        && $x->documentElement->findvalue('Message') eq $DENIED,
        '401 as <Error><Message>');
$res = req('GET', "$base/ContractAppointments/1", user => 'outsider',
           accept => 'application/xml;q=0.5, application/json');
is_true(denied_json($res), 'q-values: JSON preferred');
$res = req('GET', "$base/ContractAppointments/1", user => 'outsider',
           accept => 'text/html');
ok t_cmp($res->code, 403, 'Accept text/html: still 403 (not 406)');
is_true(denied_json($res), 'Accept text/html: JSON');
ok t_cmp($res->header('Vary') // '', qr/Accept/, 'Vary: Accept');
$res = req('HEAD', "$base/ContractAppointments/1", user => undef);
ok t_cmp($res->code, 401, 'HEAD anonymous: 401');
ok t_cmp($res->content, '', 'HEAD: no body');
ok t_cmp($res->header('Content-Type') // '', qr{^application/json},
         'HEAD: the type of the body GET would have');

# --- nothing leaks: an existing and a missing target look the same
my $c = json_of(req_json('POST', "$base/ContractAppointments",
                         seed_json('seed002_ContractAppointment.json')));
my $id = $c->{Id};
is_true($id, 'an appointment to probe');
for my $user (undef, 'outsider', 'teamplanner') {
    my $who = $user // 'anonymous';
    my $a = req('GET', "$base/ContractAppointments/$id", user => $user);
    my $b = req('GET', "$base/ContractAppointments/987654321", user => $user);
    is_true($a->code == $b->code && $a->code == (defined $user ? 403 : 401)
            && $a->content eq $b->content
            && ($a->header('Content-Type') // '') eq ($b->header('Content-Type') // ''),
            "$who: existing and missing targets get the same "
            . $a->code . ' ' . $b->code);
}

# --- denied requests change nothing, and are refused before their body
# is looked at
my $before = db_snapshot();
$res = req('DELETE', "$base/ContractAppointments/$id", user => 'teamplanner');
ok t_cmp($res->code, 403, 'DELETE by a user of another function: 403');
$res = req('DELETE', "$base/ContractAppointments/$id", user => undef);
ok t_cmp($res->code, 401, 'DELETE anonymous: 401');
$res = req('POST', "$base/ChangeOfContractAppointments", user => 'outsider',
           body => '{"Id": ', type => 'application/json');
ok t_cmp($res->code, 403, 'malformed body without a grant: 403, not 400');
$res = req('POST', "$base/ContractAppointments", user => 'teamplanner',
           body => seed('seed002_ContractAppointment.json'),
           type => 'application/json');
ok t_cmp($res->code, 403, 'create by a user of another function: 403');
ok t_cmp(db_snapshot(), $before, 'the store is unchanged');
ok t_cmp(req('GET', "$base/ContractAppointments/$id")->code, 200,
         'the appointment is still there');

# --- grants combine with httpd's other Require: TeamCalendar by GUID
# (lower case, no braces) for team-planners
ok t_cmp(req('GET', '/PlanCare2Api/TeamAppointments/987654321',
             user => 'teamplanner')->code, 404,
         'a grant written as a lower-case GUID without braces');
ok t_cmp(req('GET', '/PlanCare2Api/EmployeeAppointments/987654321',
             user => 'employeeplanner')->code, 404,
         'a grant written as {GUID}:Start');

# --- a location without AppointmentsApi permissions stays open
$res = req('GET', '/SmallBody/ClientAppointments/ContractAppointments/987654321',
           user => undef);
ok t_cmp($res->code, 404, 'Require all granted: no authentication asked');

# --- the error body of a 401 is the dialect's in the patient API too
$res = req('GET', '/api/Calendar/PatientAppointmentGet/'
           . '0e0c0a5e-5a11-4d1d-9c1a-000000000001', user => undef);
ok t_cmp($res->code, 401, 'patient API anonymous: 401');
is_true(denied_json($res), 'patient API: {"Message": ...}');
$res = req('POST', '/api/Calendar/PatientAppointmentCancel',
           user => 'patientreader', body => '{}', type => 'application/json');
ok t_cmp($res->code, 403, 'patient API: changing needs Edit');

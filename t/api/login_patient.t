# The patient API has no login page of its own: it takes PlanCare2's
# bearer tokens, issued by a token route on its own mount
# (docs/patient.md).  Mounts that share an AppointmentsTokenRealm accept
# each other's tokens; the employmentId header counts only where
# AppointmentsEmploymentHeader allows it.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Login;

plan tests => 20;

my $P = '/token/api/Calendar';
my $body = seed_json('seed003_AppointmentModel.json');
delete $body->{ProviderId};
$body->{PatientId} = '0e0c0a5e-5a11-4d1d-9c1a-0000000013a1';

my $res = token_req($P, grant_type => 'password', username => 'patienteditor',
                    password => 'patienteditor');
ok t_cmp($res->code, 200, 'patient mount: token');
my $t = json_of($res) || {};
ok t_cmp($t->{token_type} // '', 'bearer', '... a bearer token');
$res = req_json('POST', "$P/PatientAppointmentPost_v2", $body,
                bearer($t->{access_token}));
ok t_cmp($res->code, 200, 'PatientAppointmentPost_v2 with the token');
my $id = (json_of($res) || {})->{Id} // '';
ok t_cmp(req('GET', "$P/PatientAppointmentGet/$id", bearer($t->{access_token}))->code,
         200, 'read it back with the token');
$res = req('GET', "$P/PatientAppointmentGet/$id", user => undef);
ok t_cmp($res->code, 401, 'no token: 401');
ok t_cmp(join(' ', $res->header('WWW-Authenticate')), qr/^Bearer realm=/,
         '... WWW-Authenticate: Bearer only (no AppointmentsAuthBasic here)');
ok t_cmp(req('GET', "$P/PatientAppointmentGet/$id")->code, 401,
         'Basic is not accepted here: 401');
ok t_cmp((json_of($res) || {})->{Message} // '',
         'Authorization has been denied for this request.', '... ASP.NET body');
# A reader may not write: the grants apply to token users as they do to
# Basic ones.
my $r = json_of(token_req($P, grant_type => 'password', username => 'patientreader',
                          password => 'patientreader')) || {};
ok t_cmp(req_json('POST', "$P/PatientAppointmentPost_v2", $body,
                  bearer($r->{access_token}))->code, 403, 'patientreader may not post: 403');
# Not the PlanCare2 mount's tokens: another realm.
my $pc = json_of(token_req('/token/PlanCare2Api', grant_type => 'password',
                           username => 'tester', password => 'tester')) || {};
ok t_cmp(req('GET', "$P/PatientAppointmentGet/$id", bearer($pc->{access_token}))->code,
         401, 'a token of the PlanCare2 mount: 401');
ok t_cmp(req('GET', "/token/PlanCare2Api/ClientAppointments/ContractAppointments/1",
             bearer($t->{access_token}))->code, 401,
         '... nor the other way round');
# Revoke on the patient mount.
$res = req('POST', "$P/token/revoke", user => undef,
           type => 'application/x-www-form-urlencoded',
           body => form(token => $t->{access_token}));
ok t_cmp($res->code, 200, 'revoke on the patient mount');
ok t_cmp(req('GET', "$P/PatientAppointmentGet/$id", bearer($t->{access_token}))->code,
         401, '... the token is refused');

# ----------------------------------------------------- one realm
my $s = json_of(token_req('/shared/PlanCare2Api', grant_type => 'password',
                          username => 'tester', password => 'tester')) || {};
ok t_cmp(req('GET', "/shared/api/Calendar/PatientAppointmentGet/$id",
             bearer($s->{access_token}))->code, 200,
         'AppointmentsTokenRealm care: the PlanCare2 token on the patient mount');
my $sp = json_of(token_req('/shared/api/Calendar', grant_type => 'password',
                           username => 'tester', password => 'tester')) || {};
ok t_cmp(req('GET', '/shared/PlanCare2Api/ClientAppointments/ContractAppointments/987654321',
             bearer($sp->{access_token}))->code, 404,
         '... and the patient mount\'s token on the PlanCare2 mount (404: no such appointment)');
ok t_cmp(req('GET', "$P/PatientAppointmentGet/$id", bearer($s->{access_token}))->code,
         401, '... not on mounts of another realm');

# ------------------------------------- employmentId where not allowed
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
$res = req_json('POST', '/shared/PlanCare2Api/ClientAppointments/ContractAppointments',
                { %$sample, ClientId => 7302 }, user => undef,
                headers => [Authorization => "Bearer $s->{access_token}",
                            employmentId => 999]);
ok t_cmp($res->code, 200, 'employmentId header without AppointmentsEmploymentHeader');
ok t_cmp((json_of($res) || {})->{CreatedById} // 0, 0,
         '... is ignored (the session\'s employment: none)');
$res = req_json('POST', '/shared/PlanCare2Api/ClientAppointments/ContractAppointments',
                { %$sample, ClientId => 7302 }, user => undef,
                headers => [Authorization => "Bearer $s->{access_token}",
                            employmentId => 'garbage']);
ok t_cmp($res->code, 200, '... even when it is not a number');
ok t_cmp((json_of($res) || {})->{CreatedByName} // '', 'tester',
         '... the user is the token\'s');

# Mounts of any case: PlanCare2 and the patient API are ASP.NET services,
# whose paths ignore case, and are mounted as the shipped configuration
# does (<LocationMatch "(?i)^/PlanCare2Api(/|$)">, <Location ~ ...>).
# The mount is what the pattern matched, as the client wrote it: routes
# are found below it and Location headers and links start with it; the
# module's authentication, grants and error shapes apply in every case.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 19;

my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

# --- PlanCare2 (LocationMatch)
my $res = req_json('POST', '/plancare2api/clientappointments/contractappointments',
                   $sample);
ok t_cmp($res->code, 200, 'POST in lower case: 200');
my $id = json_of($res) && json_of($res)->{Id};
ok t_cmp($res->header('Location'),
         qr{^http://[^/]+/plancare2api/ClientAppointments/ContractAppointments/$id$},
         'Location starts with the mount as the client wrote it');
$res = req('GET', "/PLANCARE2API/ClientAppointments/ContractAppointments/$id");
ok t_cmp($res->code, 200, 'GET in upper case: 200');
ok t_cmp(json_of($res) && json_of($res)->{Id}, $id, '... the same appointment');
$res = req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$id");
ok t_cmp($res->code, 200, 'and as the API names it');

$res = req('GET', "/plancare2api/ClientAppointments/ContractAppointments/$id",
           user => undef);
ok t_cmp($res->code, 401, 'no credentials in lower case: 401');
ok t_cmp($res->header('Content-Type'), qr{^application/json},
         "... in ASP.NET's shape, not httpd's HTML");
ok t_cmp(json_of($res) && json_of($res)->{Message},
         'Authorization has been denied for this request.', '... its Message');
$res = req('GET', "/plancare2api/ClientAppointments/ContractAppointments/$id",
           user => 'xelionreader');
ok t_cmp($res->code, 403, 'no grant in lower case: 403');
$res = req('GET', "/plancare2api/ClientAppointments/ContractAppointments/$id",
           user => 'clientplanner');
ok t_cmp($res->code, 200, 'the grant applies in lower case');

# The pattern is anchored: a longer first segment is not the mount.
$res = req('GET', "/PlanCare2ApiOld/ClientAppointments/ContractAppointments/$id");
ok t_cmp($res->code, 404, '/PlanCare2ApiOld is not the mount: httpd answers 404');
ok t_cmp($res->header('Content-Type') // '', qr{^text/html}, '... itself');

# --- the patient API (<Location ~ ...>)
# (another hour than the seed's: this mount refuses double bookings)
my $pat = seed_json('seed003_AppointmentModel.json');
$pat->{AppointmentOn} = '2026-03-04T08:17:00+01:00';
$res = req_json('POST', '/API/CALENDAR/PatientAppointmentPost_v2', $pat);
ok t_cmp($res->code, 200, 'patient POST in upper case: 200');
my $uid = json_of($res) && json_of($res)->{Id};
ok t_cmp($res->header('Location'),
         qr{^http://[^/]+/API/CALENDAR/PatientAppointmentGet/\Q$uid\E$},
         '... Location with the mount as written');
$res = req('GET', "/api/calendar/patientappointmentget/$uid");
ok t_cmp($res->code, 200, 'patient GET in lower case: 200');

# --- Xelion under a pattern: its links
$res = req_json('POST', '/xelionci/api/v1/master/appointments',
                { subject => 'case', starttime => '2026-06-01 10:00:00',
                  endtime => '2026-06-01 11:00:00' });
ok t_cmp($res->code, 201, 'Xelion POST under a case-insensitive mount: 201');
my $c = json_of($res);
my $oid = $c && $c->{object}{oid};
ok t_cmp($res->header('Location'), qr{^http://[^/]+/xelionci/api/v1/master/appointments/$oid$},
         '... Location below the mount as written');
ok t_cmp($c->{links}[0]{href}, qr{^http://[^/]+/xelionci/api/v1/master/appointments/$oid$},
         '... and the self link');
$res = req('GET', "/XelionCI/api/v1/master/appointments/$oid");
ok t_cmp($res->code, 200, '... found again in another case');

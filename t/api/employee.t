# PlanCare2 employee calendar: always the logged-on employee's own
# (tester is employee 1, employeeplanner employee 77): create, read, list,
# change, delete, occurrences, and no one else's appointments.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 22;

my $e = '/PlanCare2Api/EmployeeAppointments';
my $seed = seed_json('seed002_ContractAppointment.json');
my %appt = map { $_ => $seed->{$_} }
    qw(Title Remarks Location MovesToNextDay IsAllDay);
%appt = (%appt, Start => '2026-11-02T09:00:00+01:00',
         End => '2026-11-02T10:00:00+01:00', EmployeeId => 999);

my $res = req_json('POST', "$e/EmployeeAppointments", \%appt);
ok t_cmp($res->code, 200, 'create in the own calendar');
my $a = json_of($res);
my $id = $a->{Id};
ok t_cmp($a->{EmployeeId}, 1, 'EmployeeId is the logged-on employee, not the body\'s');
ok t_cmp($a->{CreatedById}, 1, 'CreatedById from the identity');
ok t_cmp($res->header('Location'), qr{/PlanCare2Api/EmployeeAppointments/$id$}, 'Location');

$res = req('GET', "$e/$id", accept => 'application/xml');
ok t_cmp($res->code, 200, 'read in XML');
ok t_cmp($res->decoded_content,
         qr{^<EmployeeAppointment [^>]*xmlns="http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface.Calendar.Employee"},
         'EmployeeAppointment in its namespace');

my $list = json_of(req('GET', '/PlanCare2Api/Appointments/Employee'
                       . '?dateFrom=2026-11-01&dateUntil=2026-11-08'));
ok t_cmp(join(',', map { $_->{Id} } @$list), $id, 'the own list');

# Another employee sees none of it.
my %other = (user => 'employeeplanner');
$res = req('GET', "$e/$id", %other);
ok t_cmp($res->code, 404, "another employee's appointment does not exist for them");
$list = json_of(req('GET', '/PlanCare2Api/Appointments/Employee'
                    . '?dateFrom=2026-11-01&dateUntil=2026-11-08', %other));
ok t_cmp(scalar @$list, 0, 'nor in their list');
my $before = db_snapshot();
$res = req_json('POST', "$e/ChangeOfEmployeeAppointments",
                { %appt, Id => $id, Title => 'hijacked' }, %other);
ok t_cmp($res->code, 404, 'nor can they change it');
$res = req('DELETE', "$e/$id", %other);
ok t_cmp($res->code, 404, 'nor delete it');
ok t_cmp(db_snapshot(), $before, 'nothing changed');

# A user who is no employee cannot have an employee calendar.
$res = req('GET', '/PlanCare2Api/Appointments/Employee?dateFrom=2026-11-01'
           . '&dateUntil=2026-11-08', user => 'clientplanner');
ok t_cmp($res->code, 403, 'a user without the function is refused');

# Change and a recurring one with an occurrence.
$res = req_json('POST', "$e/ChangeOfEmployeeAppointments",
                { %appt, Id => $id, Title => 'changed' });
ok t_cmp($res->code, 200, 'ChangeOfEmployeeAppointments');
ok t_cmp(json_of($res)->{Title}, 'changed', 'saved');

$res = req_json('POST', "$e/EmployeeAppointments",
                { %appt, RecurrenceInfo => { Interval => 0, Periodicity => 1,
                  Range => 1, OccurrenceCount => 5, WeekDays => 0,
                  DayNumber => 1, Month => 1,
                  RecurrenceStart => $appt{Start}, RecurrenceEnd => $appt{Start} } });
my $sid = json_of($res)->{Id};
ok t_cmp(json_of($res)->{FriendlyRecurrenceInfo}, qr/day/, 'a daily series');
$res = req_json('POST', "$e/ChangeOfOccurrenceAppointments",
                { Id => 0, ParentId => $sid, OccurrenceIndex => 1, Type => 1,
                  Title => 'later', Start => '2026-11-03T15:00:00+01:00',
                  End => '2026-11-03T16:00:00+01:00' });
ok t_cmp($res->code, 200, 'an occurrence changed');
my $occ = json_of($res)->{Id};
$res = req('GET', "$e/OccurrenceAppointments/$occ");
ok t_cmp(json_of($res)->{Title}, 'later', 'read back by its id');
$res = req('GET', "$e/OccurrenceAppointments/$occ", %other);
ok t_cmp($res->code, 404, "not another employee's");

$res = req('DELETE', "$e/$id");
ok t_cmp($res->code, 204, 'DELETE');
ok t_cmp(req('GET', "$e/$id")->code, 404, 'gone');
$res = req('GET', "$e/$sid?occurrenceRangeFrom=2026-11-01&occurrenceRangeUntil=2026-11-30");
ok t_cmp(scalar @{ json_of($res)->{RecurrenceOccurrences} }, 5, 'five occurrences');

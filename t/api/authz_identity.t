# Identity on every write: CreatedById/CreatedByName come from the
# authenticated user, mapped to an employee by AppointmentsUserMap or by
# the environment variables an authentication module sets
# (AppointmentsEmployeeIdVar, AppointmentsDisplayNameVar); the employee
# routes mean "the logged-on employee".  The body never sets them.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 22;

my $contract = seed_json('seed002_ContractAppointment.json');
my $path = 'ClientAppointments/ContractAppointments';

# Creates a contract appointment at mount as user; its answer and GET.
sub create_as {
    my ($mount, $user, $accept) = @_;
    my $res = req_json('POST', "$mount/$path", $contract, user => $user,
                       ($accept ? (accept => $accept) : ()));
    return $res;
}

# --- the user map
my $res = create_as('/IdentityApi', 'alice');
ok t_cmp($res->code, 200, 'alice creates at /IdentityApi');
my $c = json_of($res);
ok t_cmp($c->{CreatedByName}, 'Alice de Vries', 'CreatedByName from the map');
ok t_cmp($c->{CreatedById}, 1042, 'CreatedById from the map');
my $g = json_of(req('GET', "/IdentityApi/$path/$c->{Id}", user => 'alice'));
is_true($g->{CreatedByName} eq 'Alice de Vries' && $g->{CreatedById} == 1042,
        'stored as such');
$res = req('GET', "/IdentityApi/$path/$c->{Id}", user => 'alice',
           accept => 'application/xml');
my $x = xml_of($res);
is_true($x && $x->documentElement->findvalue('*[local-name()="CreatedByName"]')
        eq 'Alice de Vries', 'in XML too');

# Changing keeps the creator, whoever changes.
$res = req_json('POST', '/IdentityApi/ClientAppointments/ChangeOfContractAppointments',
                { %$contract, Id => $c->{Id}, Title => 'changed' },
                user => 'clientplanner');
ok t_cmp($res->code, 200, 'clientplanner changes it');
is_true(json_of($res)->{CreatedByName} eq 'Alice de Vries'
        && json_of($res)->{CreatedById} == 1042, 'the creator is kept');

# A user the map does not know: the user name, no id.
$c = json_of(create_as('/IdentityApi', 'clientplanner'));
ok t_cmp($c->{CreatedByName}, 'clientplanner', 'unmapped: the user name');
is_true(!$c->{CreatedById}, 'unmapped: no CreatedById');
# The body's values are ignored.
is_true($c->{CreatedByName} ne $contract->{CreatedByName}
        && ($c->{CreatedById} // 0) != $contract->{CreatedById},
        'CreatedBy* of the body ignored');

# --- environment variables win over the map
$c = json_of(create_as('/IdentityEnvApi', 'alice'));
ok t_cmp($c->{CreatedByName}, 'Env Person', 'display name from the environment');
ok t_cmp($c->{CreatedById}, 4711, 'employee id from the environment');
# An id that is not a number is ignored: the map applies.
$c = json_of(create_as('/IdentityBadEnvApi', 'alice'));
ok t_cmp($c->{CreatedById}, 1042, 'a bad id variable falls back to the map');
ok t_cmp($c->{CreatedByName}, 'Alice de Vries', 'and so does the name');

# --- the logged-on employee (/PlanCare2Api maps employeeplanner to 77)
my %emp = (Start => '2026-07-01T09:00:00+02:00',
           End => '2026-07-01T10:00:00+02:00', Title => 'my own',
           MovesToNextDay => JSON::PP::false, IsAllDay => JSON::PP::false,
           EmployeeId => 5);
$res = req_json('POST', '/PlanCare2Api/EmployeeAppointments/EmployeeAppointments',
                \%emp, user => 'employeeplanner');
ok t_cmp($res->code, 200, 'employeeplanner creates in the own calendar');
my $e = json_of($res);
ok t_cmp($e->{EmployeeId}, 77, 'EmployeeId is the logged-on employee, not the body\'s');
ok t_cmp($e->{CreatedById}, 77, 'CreatedById too');
ok t_cmp($e->{CreatedByName}, 'employeeplanner', 'no display name mapped: the user name');
my $list = json_of(req('GET', '/PlanCare2Api/Appointments/Employee'
                       . '?dateFrom=2026-07-01&dateUntil=2026-07-02',
                       user => 'employeeplanner'));
is_true(ref $list eq 'ARRAY' && grep({ $_->{Id} == $e->{Id} } @$list),
        'listed in the own calendar');
# tester is employee 1: another employee's appointment is not there.
ok t_cmp(req('GET', "/PlanCare2Api/EmployeeAppointments/$e->{Id}")->code, 404,
         'another employee does not see it');
$list = json_of(req('GET', '/PlanCare2Api/Appointments/Employee'
                    . '?dateFrom=2026-07-01&dateUntil=2026-07-02'));
is_true(ref $list eq 'ARRAY' && !grep({ $_->{Id} == $e->{Id} } @$list),
        'nor in its calendar');
# Without an EmployeeCalendar grant the employee routes are 403 before
# anything else.
ok t_cmp(req('GET', '/PlanCare2Api/Appointments/Employee'
             . '?dateFrom=2026-07-01&dateUntil=2026-07-02',
             user => 'clientplanner')->code, 403,
         'no EmployeeCalendar grant: 403');

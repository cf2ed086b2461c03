# One id space: an appointment made through Xelion is read and changed
# through PlanCare2's client calendar by its id (core members), and a
# PlanCare2 change keeps the members only Xelion knows.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 11;

my $x = '/api/v1/master';
my $c = '/PlanCare2Api/ClientAppointments';

my $res = req_json('POST', "$x/appointments",
                   { objectType => 'XCCAppointment', subject => 'From Xelion',
                     starttime => '2026-10-01 10:00:00',
                     endtime => '2026-10-01 10:30:00',
                     userStatus => 'at_appointment', internal => JSON::PP::true });
ok t_cmp($res->code, 201, 'created through Xelion');
my $oid = json_of($res)->{object}{oid};

$res = req('GET', "$c/ContractAppointments/$oid");
ok t_cmp($res->code, 200, 'read through PlanCare2 by the same id');
ok t_cmp(req('GET', "$c/ActionAppointments/$oid")->code, 404,
         'but not as another client kind (an action appointment)');
my $g = json_of($res);
ok t_cmp($g->{Title}, 'From Xelion', 'subject is Title');
ok t_cmp($g->{Start}, '2026-10-01T10:00:00+02:00', 'starttime is Start');

my $seed = seed_json('seed002_ContractAppointment.json');
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                { %$seed, Id => $oid, Title => 'Changed in PlanCare2',
                  RecurrenceInfo => undef, IsAllDay => JSON::PP::false,
                  Start => '2026-10-01T11:00:00+02:00',
                  End => '2026-10-01T11:30:00+02:00' });
ok t_cmp($res->code, 200, 'changed through PlanCare2');

$res = req('GET', "$x/appointments/$oid");
my $o = json_of($res)->{object};
ok t_cmp($o->{subject}, 'Changed in PlanCare2', 'Xelion sees the new subject');
ok t_cmp($o->{starttime}, '2026-10-01 11:00:00', 'and the new time');
ok t_cmp($o->{userStatus}, 'at_appointment', 'Xelion-only userStatus kept');
is_true($o->{internal}, 'Xelion-only internal kept');

# The employee calendar is the user's own: no one else's ids there.
$res = req('GET', "/PlanCare2Api/EmployeeAppointments/$oid");
ok t_cmp($res->code, 404, 'not in the employee calendar');

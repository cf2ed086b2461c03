# The employmentId header (AppointmentsEmploymentHeader) names the
# employment only on the location that allows it.  A route of that
# location that reaches another API's appointment asks the appointment's
# home route (glue/access.c, a subrequest); there the header is not
# allowed, so it must not make the user another employee: a PlanCare2
# employee appointment stays readable only by its own employee (as the
# home calendar answers), whatever employmentId the Xelion client sends.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Login;

plan tests => 5;

my $pc = '/PlanCare2Api';
my $hx = '/hdr/api/v1/master';

my %emp = (Start => '2027-03-15T09:00:00+01:00', End => '2027-03-15T10:00:00+01:00',
           Title => 'mine', MovesToNextDay => JSON::PP::false(),
           IsAllDay => JSON::PP::false());
my $res = req_json('POST', "$pc/EmployeeAppointments/EmployeeAppointments", \%emp,
                   user => 'employeeplanner');
ok t_cmp($res->code, 200, 'employee 77 makes an employee appointment');
my $eo77 = (json_of($res) || {})->{Id} // 0;
$res = req_json('POST', "$pc/EmployeeAppointments/EmployeeAppointments", \%emp,
                user => 'xelionemployee');
ok t_cmp($res->code, 200, 'employee 78 (xelionemployee) makes one');
my $eo78 = (json_of($res) || {})->{Id} // 0;

# Basic (AppointmentsAuthBasic On) on the Xelion mount that allows the header.
ok t_cmp(req('GET', "$hx/appointments/$eo78", user => 'xelionemployee')->code, 200,
         'own employee appointment through Xelion: 200');
ok t_cmp(req('GET', "$hx/appointments/$eo77", user => 'xelionemployee')->code, 404,
         'another employee\'s: 404');
ok t_cmp(req('GET', "$hx/appointments/$eo77", user => 'xelionemployee',
             headers => [employmentId => 77])->code, 404,
         '... also with employmentId naming that employee (not allowed at the home)');


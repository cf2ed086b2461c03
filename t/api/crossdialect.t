# Permissions follow the appointment: reaching an appointment made
# through one API by a route of another needs, besides that route's
# grant, the grant of the appointment's home route (asked of httpd by a
# subrequest, so the Require lines of t/conf/authz.inc decide).  Not
# readable: 404 in the route's dialect shape (as if missing, store
# untouched); readable but not changeable: 403.  Users hold the grants
# of one API (clientplanner, teamplanner, xelioneditor, ...) or of two
# (xelionclient, xelionteam, ...: t/lib/AM/Routes.pm).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 66;

my $pc = '/PlanCare2Api';
my $x = '/api/v1/master';
my $pa = '/patient2/api/Calendar';   # no double-booking guard
my $CAL = '4711001';    # a Xelion calendar of this test's own

sub xelion_new {
    my $res = req_json('POST', "$x/appointments",
                       { subject => 'made in Xelion',
                         starttime => '2027-02-15 10:00:00',
                         endtime => '2027-02-15 10:30:00',
                         calendars => [{ oid => $CAL, objectType => 'XCCCalendar' }] });
    die 'xelion create: ' . $res->as_string unless $res->code == 201;
    return json_of($res)->{object}{oid};
}

my $contract = seed_json('seed002_ContractAppointment.json');
delete @$contract{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

sub contract_new {
    my $res = req_json('POST', "$pc/ClientAppointments/ContractAppointments",
                       $contract);
    die 'contract create: ' . $res->as_string unless $res->code == 200;
    return json_of($res)->{Id};
}

sub is_pc2_404 {
    my ($res, $name) = @_;
    my $b = json_of($res);
    is_true($res->code == 404 && $b && defined $b->{Message},
            "$name: 404 in ASP.NET's shape")
        or diag($res->as_string);
}

sub is_xel {
    my ($res, $status, $code, $name) = @_;
    my $b = json_of($res);
    is_true($res->code == $status && $b && ($b->{errorCode} // 0) == $code,
            "$name: $status, errorCode $code")
        or diag($res->as_string);
}

sub xpatch {
    my ($oid, $user, $subject) = @_;
    return req('PATCH', "$x/appointments/$oid", user => $user,
               type => 'application/json',
               body => qq({"operations":[{"op":"replace","path":"/subject","value":"$subject"}]}));
}

sub xlist {
    my ($user) = @_;
    my $l = json_of(req('GET', "$x/calendars/$CAL?after=2027-02-15&before=2027-02-16",
                        user => $user));
    return join ',', sort map { $_->{object}{oid} } @{ $l ? $l->{data} : [] };
}

# ---------------------------------------------------------------------
# A Xelion appointment through PlanCare2's client and team calendars.
my $xo = xelion_new();
my $cone = "$pc/ClientAppointments/ContractAppointments/$xo";
my $change = "$pc/ClientAppointments/ChangeOfContractAppointments";
my %cbody = (%$contract, Id => $xo, Title => 'changed in PlanCare2',
             Start => '2027-02-15T10:00:00+01:00', End => '2027-02-15T10:30:00+01:00');

# clientplanner holds ClientGroupCalendar:Start only.
my $before = db_snapshot();
is_pc2_404(req('GET', $cone, user => 'clientplanner'), 'client calendar GET, no Xelion grant');
my $xres = req('GET', $cone, user => 'clientplanner', accept => 'application/xml');
is_true($xres->code == 404 && ($xres->decoded_content // '') =~ /<Error>.*<Message>/s,
        '... XML 404 is <Error><Message>');
is_pc2_404(req('DELETE', $cone, user => 'clientplanner'), 'client calendar DELETE, no Xelion grant');
is_pc2_404(req_json('POST', $change, \%cbody, user => 'clientplanner'),
           'ChangeOfContractAppointments, no Xelion grant');
$xres = req('DELETE', $cone, user => 'clientplanner', headers => ['If-Match' => '*']);
ok t_cmp($xres->code, 412, 'DELETE with If-Match: 412, as for a missing one');
is_pc2_404(req('GET', "$pc/TeamAppointments/$xo", user => 'teamplanner'),
           'team calendar GET, no Xelion grant');
is_pc2_404(req('DELETE', "$pc/TeamAppointments/$xo", user => 'teamplanner'),
           'team calendar DELETE, no Xelion grant');
ok t_cmp(db_snapshot(), $before, 'nothing changed');

# xelionclient: ClientGroupCalendar:Start and XelionCalendar:Start (no Edit).
my $res = req('GET', $cone, user => 'xelionclient');
ok t_cmp($res->code, 200, 'with XelionCalendar:Start too: readable through PlanCare2');
ok t_cmp(json_of($res) && json_of($res)->{Title}, 'made in Xelion', '... the Xelion appointment');
$res = req('DELETE', $cone, user => 'xelionclient');
ok t_cmp($res->code, 403, '... but not deletable without XelionCalendar:Edit: 403');
is_true((json_of($res) // {})->{Message}, '... in ASP.NET\'s shape');
$res = req_json('POST', $change, \%cbody, user => 'xelionclient');
ok t_cmp($res->code, 403, '... nor changeable: 403');
ok t_cmp(db_snapshot(), $before, 'nothing changed');

# xelionclientedit: also XelionCalendar:Edit.
$res = req_json('POST', $change, \%cbody, user => 'xelionclientedit');
ok t_cmp($res->code, 200, 'with XelionCalendar:Edit: changeable through PlanCare2');
ok t_cmp(json_of(req('GET', "$x/appointments/$xo"))->{object}{subject},
         'changed in PlanCare2', '... Xelion sees it');
# The team calendar: TeamCalendar:Start with Xelion's grants.
$res = req('GET', "$pc/TeamAppointments/$xo", user => 'xelionteam');
ok t_cmp($res->code, 200, 'xelionteam reads it through the team calendar');
$res = req('GET', "$pc/TeamAppointments/$xo", user => 'xelionclient');
ok t_cmp($res->code, 403, 'xelionclient holds no TeamCalendar: httpd says 403');
{
    my $t1 = seed_json('seed001_ChangeOfTeamAppointment.json');
    my %tb = (%$t1, Id => $xo, ClientIds => [901], TeamCalendarId => 77,
              RecurrenceInfo => undef, Title => 'changed as a team one',
              Start => '2027-02-15T10:00:00+01:00', End => '2027-02-15T10:30:00+01:00');
    my $snap = db_snapshot();
    is_pc2_404(req_json('POST', "$pc/TeamAppointments/ChangeOfTeamAppointments", \%tb,
                        user => 'teamplanner'),
               'ChangeOfTeamAppointments, no Xelion grant');
    ok t_cmp(db_snapshot(), $snap, '... nothing changed');
    $res = req_json('POST', "$pc/TeamAppointments/ChangeOfTeamAppointments", \%tb,
                    user => 'xelionteam');
    ok t_cmp($res->code, 200, 'xelionteam (Xelion Edit too) changes it as a team appointment');
}
$res = req('DELETE', $cone, user => 'xelionclientedit');
ok t_cmp($res->code, 204, 'xelionclientedit deletes it through PlanCare2');
ok t_cmp(req('GET', "$x/appointments/$xo")->code, 404, '... gone for Xelion too');

# A Xelion series through PlanCare2's occurrence routes.
$res = req_json('POST', "$x/appointments",
                { subject => 'Xelion series', starttime => '2027-03-01 08:00:00',
                  endtime => '2027-03-01 08:30:00',
                  recurrenceType => 'daily', recurrenceInterval => 1 });
ok t_cmp($res->code, 201, 'a daily series made in Xelion');
my $xs = json_of($res)->{object}{oid};
my %occ = (Id => 0, ParentId => $xs, OccurrenceIndex => 2, Type => 1,
           Title => 'moved', Start => '2027-03-03T15:00:00+01:00',
           End => '2027-03-03T15:30:00+01:00');
$before = db_snapshot();
is_pc2_404(req('DELETE', "$pc/ClientAppointments/$xs/OccurrenceIndex/1",
               user => 'clientplanner'),
           'DELETE of its occurrence, no Xelion grant');
$res = req_json('POST', "$pc/ClientAppointments/OccurrenceAppointments", \%occ,
                user => 'clientplanner');
is_true($res->code == 404 || ($res->code == 400
                              && ($res->decoded_content // '') =~ /ParentId/),
        'saving its occurrence, no Xelion grant: as for a missing series')
    or diag($res->as_string);
ok t_cmp(db_snapshot(), $before, 'nothing changed');
$res = req('DELETE', "$pc/ClientAppointments/$xs/OccurrenceIndex/1",
           user => 'xelionclient');
ok t_cmp($res->code, 403, 'DELETE of its occurrence with XelionCalendar:Start only: 403');
$res = req_json('POST', "$pc/ClientAppointments/OccurrenceAppointments", \%occ,
                user => 'xelionclient');
ok t_cmp($res->code, 403, 'saving its occurrence with XelionCalendar:Start only: 403');
ok t_cmp(db_snapshot(), $before, 'nothing changed');
$res = req('DELETE', "$pc/ClientAppointments/$xs/OccurrenceIndex/1",
           user => 'xelionclientedit');
ok t_cmp($res->code, 204, 'with XelionCalendar:Edit: the occurrence is deleted');
$res = req_json('POST', "$pc/ClientAppointments/OccurrenceAppointments", \%occ,
                user => 'xelionclientedit');
ok t_cmp($res->code, 200, '... and one is changed');
my $xocc = json_of($res) && json_of($res)->{Id};
is_pc2_404(req('GET', "$pc/ClientAppointments/OccurrenceAppointments/$xocc",
               user => 'clientplanner'), 'the changed occurrence, no Xelion grant');
ok t_cmp(req('GET', "$pc/ClientAppointments/OccurrenceAppointments/$xocc",
             user => 'xelionclient')->code, 200, '... with XelionCalendar:Start: 200');

# ---------------------------------------------------------------------
# Other APIs' appointments through Xelion's appointments/{oid}.
my $co = contract_new();
$res = req('GET', "$x/appointments/$co", user => 'xelioneditor');
is_xel($res, 404, 10100, 'Xelion GET of a client appointment, no ClientGroupCalendar');
is_xel(xpatch($co, 'xelioneditor', 'x'), 404, 10100, 'Xelion PATCH of it');
is_xel(req('DELETE', "$x/appointments/$co", user => 'xelioneditor'), 404, 10100,
       'Xelion DELETE of it');
ok t_cmp(req('GET', "$pc/ClientAppointments/ContractAppointments/$co")->code, 200,
         '... still there');
$res = req('GET', "$x/appointments/$co", user => 'xelionclientedit');
ok t_cmp($res->code, 200, 'with ClientGroupCalendar:Start: readable through Xelion');
$res = xpatch($co, 'xelionclientedit', 'patched in Xelion');
ok t_cmp($res->code, 204, '... and changeable (PlanCare2 changes need Start)');
# Put it on the Xelion calendar: Xelion lists show only what one may read.
$res = req('PATCH', "$x/appointments/$co", user => 'xelionclientedit',
           type => 'application/json',
           body => qq({"operations":[{"op":"add","path":"/calendars","value":"$CAL"},
                      {"op":"replace","path":"/endtime","value":"2027-02-15 11:30:00"},
                      {"op":"replace","path":"/starttime","value":"2027-02-15 11:00:00"}]}));
ok t_cmp($res->code, 204, 'the client appointment joins the Xelion calendar, on its day');
my $xo2 = xelion_new();
ok t_cmp(xlist('xelioneditor'), $xo2, 'xelioneditor lists only the Xelion one');
ok t_cmp(xlist('xelionclientedit'), join(',', sort($co, $xo2)),
         'xelionclientedit lists both');
ok t_cmp(xlist('xelionteam'), $xo2, 'xelionteam (no ClientGroupCalendar) only the Xelion one');

# A team appointment.
my $seed1 = seed_json('seed001_ChangeOfTeamAppointment.json');
my %team = (%$seed1, ClientIds => [901], TeamCalendarId => 77,
            Start => '2027-02-15T08:00:00+01:00', End => '2027-02-15T09:00:00+01:00',
            RecurrenceInfo => undef);
delete $team{Id};
$res = req_json('POST', "$pc/TeamAppointments/TeamAppointments", \%team);
ok t_cmp($res->code, 200, 'a team appointment');
my $to = json_of($res)->{Id};
is_xel(req('GET', "$x/appointments/$to", user => 'xelioneditor'), 404, 10100,
       'Xelion GET of a team appointment, no TeamCalendar');
is_xel(req('GET', "$x/appointments/$to", user => 'xelionclientedit'), 404, 10100,
       '... nor with ClientGroupCalendar');
ok t_cmp(req('GET', "$x/appointments/$to", user => 'xelionteam')->code, 200,
         'with TeamCalendar:Start: 200');
ok t_cmp(xpatch($to, 'xelionteam', 'team via Xelion')->code, 204, '... PATCH 204');

# Employee appointments: only the employee's own, as their calendar.
my %emp = (Start => '2027-02-15T09:00:00+01:00', End => '2027-02-15T10:00:00+01:00',
           Title => 'mine', MovesToNextDay => JSON::PP::false(),
           IsAllDay => JSON::PP::false());
$res = req_json('POST', "$pc/EmployeeAppointments/EmployeeAppointments", \%emp,
                user => 'employeeplanner');
ok t_cmp($res->code, 200, 'employee 77 makes one');
my $eo77 = json_of($res)->{Id};
$res = req_json('POST', "$pc/EmployeeAppointments/EmployeeAppointments", \%emp,
                user => 'xelionemployee');
ok t_cmp($res->code, 200, 'employee 78 (xelionemployee) makes one');
my $eo78 = json_of($res)->{Id};
is_xel(req('GET', "$x/appointments/$eo77", user => 'xelioneditor'), 404, 10100,
       'Xelion GET of an employee appointment, no EmployeeCalendar');
is_xel(req('GET', "$x/appointments/$eo77", user => 'xelionemployee'), 404, 10100,
       'another employee\'s: 404 also with EmployeeCalendar');
is_xel(req('DELETE', "$x/appointments/$eo77", user => 'xelionemployee'), 404, 10100,
       '... and not deletable');
is_xel(req('GET', "$x/appointments/$eo77", user => 'tester'), 404, 10100,
       '... not even for tester (employee 1)');
ok t_cmp(req('GET', "$x/appointments/$eo78", user => 'xelionemployee')->code, 200,
         'the own one: 200');
ok t_cmp(req('DELETE', "$x/appointments/$eo78", user => 'xelionemployee')->code, 204,
         '... DELETE 204');

# A patient appointment: reading needs PatientCalendar:Start, changing Edit.
# (at an hour of this test's own: the other mounts refuse double bookings
# of the provider)
my $pat = seed_json('seed003_AppointmentModel.json');
$pat->{AppointmentOn} = '2027-02-15T07:13:00+01:00';
$res = req_json('POST', "$pa/PatientAppointmentPost_v2", $pat);
ok t_cmp($res->code, 200, 'a patient appointment');
my $uid = json_of($res)->{Id};
# Its numeric id: the one Xelion's appointments/{oid} takes.
my $po = db_id_of_uid($uid);
ok t_cmp(req('GET', "$x/appointments/$po")->code, 200,
         'the patient appointment is reachable through Xelion for tester');
$before = db_snapshot();
is_xel(req('GET', "$x/appointments/$po", user => 'xelioneditor'), 404, 10100,
       'Xelion GET of a patient appointment, no PatientCalendar');
is_xel(xpatch($po, 'xelioneditor', 'x'), 404, 10100, '... PATCH: 404');
ok t_cmp(req('GET', "$x/appointments/$po", user => 'xelionpatient')->code, 200,
         'with PatientCalendar:Start: readable');
is_xel(xpatch($po, 'xelionpatient', 'x'), 403, 10101,
       '... PATCH without PatientCalendar:Edit: 403');
is_xel(req('DELETE', "$x/appointments/$po", user => 'xelionpatient'), 403, 10101,
       '... DELETE: 403');
ok t_cmp(db_snapshot(), $before, 'nothing changed');
ok t_cmp(req('GET', "$pa/PatientAppointmentGet/$uid", user => 'patientreader')->code, 200,
         'the patient API still has it');

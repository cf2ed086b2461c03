# PlanCare2: completing and reopening appointments and single occurrences
# through each calendar (Appointments/AppointmentCompletion, the
# deprecated AppointmentCompletions, Appointments/ReopenAppointment), the
# history of who completed and reopened, the errors (completing twice, a
# deleted occurrence, an index out of range), the permissions of the
# target's calendar; and ClientAppointments/ChangeEmployeeForOccurrence.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 78;

my $base = '/PlanCare2Api';
my $CLIENT = 7401;
my %appt = (
    ClientId => $CLIENT, ContractId => 1, ProductId => 2, EmployeeId => 5,
    Title => 'Care', MovesToNextDay => JSON::PP::false,
    IsAllDay => JSON::PP::false,
    Start => '2027-02-02T09:00:00+01:00', End => '2027-02-02T10:00:00+01:00',
);
my %daily3 = (Range => 1, OccurrenceCount => 3, Interval => 0,
              Periodicity => 1);

sub completion {
    my (%o) = @_;
    return { Id => 0, StartDateTime => '2027-02-02T09:05:00+01:00',
             Duration => 50, EmploymentId => 12, ProductId => 2,
             Reason => 'done', TravelDistance => 7, Cost => 12.50, %o };
}

sub post { return req_json('POST', "$base/$_[0]", $_[1], @_[2 .. $#_]) }

sub bad {
    my ($res, $key, $what, $name) = @_;
    my $e = json_of($res) || {};
    my $ms = $e->{ModelState} // {};
    my ($k) = grep { /\Q$key\E/ } keys %$ms;
    ok t_cmp($res->code, 400, "$name: 400");
    is_true(defined $k && join(' ', @{ $ms->{$k} }) =~ $what,
            "$name: ModelState $key says so ("
            . (defined $k ? join(' ', @{ $ms->{$k} }) : $JSON->encode($e))
            . ")");
}

# ------------------------------------------------ a single appointment
my $res = post('ClientAppointments/ContractAppointments', {%appt});
my $id = (json_of($res) || {})->{Id} // 0;
ok t_cmp($res->code, 200, 'a contract appointment');

$res = post('Appointments/AppointmentCompletion', completion(Id => $id),
            user => 'alice');
ok t_cmp($res->code, 200, 'POST Appointments/AppointmentCompletion');
my $a = json_of($res) || {};
ok t_cmp($a->{Status}, 1, 'Status Completed');
ok t_cmp($a->{Reason} // '', 'done', 'Reason');
ok t_cmp($a->{StatusChangedById}, 1042, 'StatusChangedById from the identity');
ok t_cmp($a->{StatusChangedByName} // '', 'Alice de Vries',
         'StatusChangedByName from the identity');

$res = req('GET', "$base/ClientAppointments/ContractAppointments/$id");
$a = json_of($res) || {};
ok t_cmp($a->{Status}, 1, 'read back: Completed');
ok t_cmp($a->{Completion}{StartDateTime} // '', '2027-02-02T09:05:00+01:00',
         'read back: the realised start');
ok t_cmp($a->{Completion}{Duration}, 50, 'read back: the duration');
ok t_cmp($a->{Completion}{TravelDistance}, 7, 'read back: the travel details');
ok t_cmp("$a->{Completion}{Cost}", '12.5', 'read back: the cost');
ok t_cmp($a->{Start}, $appt{Start}, 'the planned Start stays');

bad(post('Appointments/AppointmentCompletion', completion(Id => $id)),
    'Id', qr/already completed/, 'completing twice');

# A change keeps the completion (server-owned members).
$res = post('ClientAppointments/ChangeOfContractAppointments',
            { %appt, Id => $id, Title => 'Care (noted)', Status => 0,
              Completion => undef });
$a = json_of($res) || {};
ok t_cmp($a->{Status}, 1, 'a change keeps Status');
ok t_cmp($a->{Completion}{Duration}, 50, 'a change keeps Completion');

# Reopen, and the history of both.
$res = post('Appointments/ReopenAppointment', { Id => $id, Reason => 'wrong day' });
ok t_cmp($res->code, 200, 'POST Appointments/ReopenAppointment');
$a = json_of($res) || {};
ok t_cmp($a->{Status}, 0, 'Created again');
ok t_cmp($a->{Reason} // '', 'wrong day', 'the reopening reason');
ok t_cmp($a->{StatusChangedByName} // '', 'tester', 'reopened by tester');
is_true(!exists $a->{Completion}, 'no Completion once reopened');
my $h = $a->{StatusHistory} // [];
ok t_cmp(scalar @$h, 2, 'two history entries');
ok t_cmp(join(',', map { "$_->{Status}:" . ($_->{ChangedByName} // '') } @$h),
         '1:Alice de Vries,0:tester', 'who completed, who reopened');
ok t_cmp($h->[0]{Completion}{Duration}, 50, 'the completion kept in the history');
bad(post('Appointments/ReopenAppointment', { Id => $id }), 'Id',
    qr/not completed/, 'reopening what is not completed');

# The deprecated plural completes as well; XML body.
my $xml = '<AppointmentCompletion xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
        . ' xmlns="http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface.Calendar">'
        . '<Duration>45</Duration><EmploymentId>12</EmploymentId>'
        . "<Id>$id</Id><ProductId>2</ProductId>"
        . '<StartDateTime>2027-02-02T09:00:00+01:00</StartDateTime>'
        . '</AppointmentCompletion>';
$res = req('POST', "$base/Appointments/AppointmentCompletions", body => $xml,
           type => 'application/xml', accept => 'application/xml');
ok t_cmp($res->code, 200, 'POST Appointments/AppointmentCompletions (XML)');
ok t_cmp(xml_of($res) ? xml_of($res)->documentElement->findvalue('*[local-name()="Status"]') : '',
         'Completed', 'Status Completed in XML');

# Missing members of the body, and a missing appointment.
bad(post('Appointments/AppointmentCompletion', { Id => $id }),
    'Duration', qr/required/i, 'a completion without Duration');
bad(post('Appointments/AppointmentCompletion', completion(Id => 987654321)),
    'Id', qr/No appointment/, 'completing a missing appointment');

# ------------------------------------------------------ occurrences
$res = post('ClientAppointments/ContractAppointments',
            { %appt, RecurrenceInfo => { %daily3,
                  RecurrenceStart => $appt{Start} } });
my $sid = (json_of($res) || {})->{Id} // 0;
ok t_cmp($res->code, 200, 'a contract series of 3');

bad(post('Appointments/AppointmentCompletion', completion(Id => $sid)),
    'Id', qr/recurring series/, 'a series itself is not completed');
bad(post('Appointments/AppointmentCompletion',
         completion(ParentPlannedItemId => $sid, OccurrenceIndex => 3)),
    'OccurrenceIndex', qr/no occurrence with index 3/, 'an index out of range');
bad(post('Appointments/AppointmentCompletion',
         completion(ParentPlannedItemId => $sid)),
    'OccurrenceIndex', qr/required/, 'ParentPlannedItemId without an index');

$res = post('Appointments/AppointmentCompletion',
            completion(ParentPlannedItemId => $sid, OccurrenceIndex => 1,
                       Remarks => 'went well'));
ok t_cmp($res->code, 200, 'completing occurrence 1');
my $o = json_of($res) || {};
ok t_cmp($o->{Status}, 1, 'the occurrence is Completed');
ok t_cmp($o->{ParentId}, $sid, 'of the series');
ok t_cmp($o->{Remarks} // '', 'went well', 'its remarks');
my $oid = $o->{Id} // 0;
is_true($oid > 0, 'stored with an id of its own');

$res = req('GET', "$base/ClientAppointments/ContractAppointments/$sid"
           . '?occurrenceRangeFrom=2027-02-01&occurrenceRangeUntil=2027-02-10');
$a = json_of($res) || {};
ok t_cmp($a->{Status}, 0, 'the series stays Created');
ok t_cmp(join(',', map { $_->{Status} } @{ $a->{RecurrenceOccurrences} // [] }),
         '0,1,0', 'only occurrence 1 is completed');
ok t_cmp($a->{RecurrenceOccurrences}[1]{Completion}{Duration}, 50,
         'its completion in the series\' occurrences');
$res = req('GET', "$base/Appointments?clientIds[0]=$CLIENT"
           . '&dateFrom=2027-02-01&dateUntil=2027-02-10');
ok t_cmp(join(',', map { ($_->{OccurrenceIndex} // '-') . ':' . $_->{Status} }
                   grep { ($_->{ParentPlannedItemId} // 0) == $sid }
                   @{ json_of($res) || [] }),
         '0:Created,1:Completed,2:Created',
         'the group calendar shows the completed occurrence');

bad(post('Appointments/AppointmentCompletion',
         completion(ParentPlannedItemId => $sid, OccurrenceIndex => 1)),
    'OccurrenceIndex', qr/already completed/, 'completing an occurrence twice');

# A change of the occurrence keeps its status.
$res = post('ClientAppointments/ChangeOfOccurrenceAppointments',
            { Id => $oid, ParentId => $sid, OccurrenceIndex => 1, Type => 1,
              Title => 'Care (later)', Start => '2027-02-03T11:00:00+01:00',
              End => '2027-02-03T12:00:00+01:00' });
ok t_cmp((json_of($res) || {})->{Status}, 1, 'a changed occurrence stays Completed');

# An Id alone names an appointment, never a stored occurrence (their ids
# are of another number space).
$res = post('Appointments/ReopenAppointment', { Id => $oid });
is_true(!($res->code == 200 && (json_of($res) || {})->{ParentId}),
        'an Id alone does not name an occurrence');
# Reopen it by its index and its id.
$res = post('Appointments/ReopenAppointment',
            { Id => $oid, ParentPlannedItemId => $sid, OccurrenceIndex => 1 });
ok t_cmp($res->code, 200, 'reopening the occurrence (index and id)');
$o = json_of($res) || {};
ok t_cmp($o->{Status}, 0, 'the occurrence is Created again');
ok t_cmp(scalar @{ $o->{StatusHistory} // [] }, 2, 'its history');

# A deleted occurrence cannot be completed.
$res = req('DELETE', "$base/ClientAppointments/$sid/OccurrenceIndex/2");
ok t_cmp($res->code, 204, 'occurrence 2 deleted');
bad(post('Appointments/AppointmentCompletion',
         completion(ParentPlannedItemId => $sid, OccurrenceIndex => 2)),
    'OccurrenceIndex', qr/deleted/, 'completing a deleted occurrence');

# ------------------------------------------- the other calendars
$res = post('TeamAppointments/TeamAppointments',
            { %appt, TeamCalendarId => 3, ClientIds => [$CLIENT] });
my $tid = (json_of($res) || {})->{Id} // 0;
$res = post('Appointments/AppointmentCompletion', completion(Id => $tid));
ok t_cmp((json_of($res) || {})->{Status}, 1, 'a team appointment completed');
is_true(exists((json_of($res) || {})->{TeamCalendarId}),
        'answered as a TeamAppointment');

# Permissions: the target's calendar decides; what one may not reach is
# missing; no grant at all is 403.
bad(post('Appointments/ReopenAppointment', { Id => $tid }, user => 'clientplanner'),
    'Id', qr/No appointment/, 'a client planner does not reach a team appointment');
$res = req_json('POST', '/plancare2api/Appointments/ReopenAppointment',
                { Id => $tid }, user => 'clientplanner');
ok t_cmp($res->code, 400, 'nor through the mount written in other case');
$res = post('Appointments/ReopenAppointment', { Id => $tid }, user => 'teamplanner');
ok t_cmp($res->code, 200, 'a team planner reopens it');
$res = post('Appointments/ReopenAppointment', { Id => $tid }, user => 'outsider');
ok t_cmp($res->code, 403, 'no grant: 403');

$res = post('EmployeeAppointments/EmployeeAppointments',
            { %appt, RecurrenceInfo => { %daily3, RecurrenceStart => $appt{Start} } },
            user => 'employeeplanner');
my $eid = (json_of($res) || {})->{Id} // 0;
$res = post('Appointments/AppointmentCompletion',
            completion(ParentPlannedItemId => $eid, OccurrenceIndex => 0),
            user => 'employeeplanner');
ok t_cmp((json_of($res) || {})->{Status}, 1,
         'an occurrence of the employee\'s own series completed');
bad(post('Appointments/AppointmentCompletion',
         completion(ParentPlannedItemId => $eid, OccurrenceIndex => 1)),
    'ParentPlannedItemId', qr/No appointment/,
    'another employee\'s series is not reached');

# The API's description says these routes need credentials.
$res = req('GET', "$base/openapi.json");
my $op = ((json_of($res) || {})->{paths}{'/Appointments/AppointmentCompletion'}
          || {})->{post} || {};
is_true(!exists $op->{security} && exists $op->{responses}{401}
        && ($op->{description} // '') =~ /own calendar/,
        'the description: credentials and the target\'s function');

# ------------------------------------- ChangeEmployeeForOccurrence
$res = post('ClientAppointments/ActionAppointments',
            { %appt, ActionIds => [4], EmployeeName => 'Piet',
              RecurrenceInfo => { %daily3, RecurrenceStart => $appt{Start} } });
my $aid = (json_of($res) || {})->{Id} // 0;
$res = post('ClientAppointments/ChangeEmployeeForOccurrence',
            { ParentId => $aid, Id => 0, OccurrenceIndex => 1, EmployeeId => 9,
              ContractOfServiceId => 91 });
ok t_cmp($res->code, 200, 'POST ClientAppointments/ChangeEmployeeForOccurrence');
my $n = json_of($res) || {};
ok t_cmp(json_keys($n), 'Id,Type', 'the answer holds Id and Type');
my $nid = $n->{Id} // 0;
$res = req('GET', "$base/ClientAppointments/ActionAppointments/$nid");
$a = json_of($res) || {};
ok t_cmp($res->code, 200, 'the new appointment is an action appointment');
ok t_cmp(join('|', $a->{EmployeeId} // '', $a->{EmploymentId} // '',
              $a->{Start} // '', $a->{ActionIds}[0] // '', $a->{Type}),
         '9|91|2027-02-03T09:00:00+01:00|4|0',
         'for employee 9 (employment 91), at the occurrence\'s time, single');
$res = req('GET', "$base/ClientAppointments/ActionAppointments/$aid"
           . '?occurrenceRangeFrom=2027-02-01&occurrenceRangeUntil=2027-02-10');
ok t_cmp(join(',', map { $_->{OccurrenceIndex} }
                   @{ (json_of($res) || {})->{RecurrenceOccurrences} // [] }),
         '0,2', 'the occurrence is a deleted one of its series');
bad(post('ClientAppointments/ChangeEmployeeForOccurrence',
         { ParentId => $aid, Id => 0, OccurrenceIndex => 1, EmployeeId => 8 }),
    'OccurrenceIndex', qr/deleted/, 'handing over a deleted occurrence');

# One transaction: a stale If-Match changes nothing.
my $before = db_snapshot();
$res = post('ClientAppointments/ChangeEmployeeForOccurrence',
            { ParentId => $aid, Id => 0, OccurrenceIndex => 2, EmployeeId => 8 },
            headers => ['If-Match' => '"1"']);
ok t_cmp($res->code, 412, 'a stale If-Match: 412');
ok t_cmp(db_snapshot(), $before, 'and nothing was written');

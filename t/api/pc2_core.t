# PlanCare2 core semantics: occurrence indexes that are no occurrence
# (beyond a 32-bit int, beyond the recurrence horizon), a change of the
# pattern and the stored exceptions, the relations a change keeps, lists
# that find occurrences moved out of their series' span, answers to
# writes that are what reads give, the employee calendar's
# identity rules and EmployeeName, and occurrence lookups that cost no
# more on PostgreSQL than on SQLite.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Time::HiRes ();
use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 48;

my $c = '/PlanCare2Api/ClientAppointments';
my $e = '/PlanCare2Api/EmployeeAppointments';
my $x = '/api/v1/master';
my $seed = seed_json('seed002_ContractAppointment.json');
delete $seed->{Id};

sub series {
    my (%o) = @_;
    my $start = delete $o{Start} // '2026-06-01T09:00:00+02:00';
    my $end = delete $o{End} // '2026-06-01T10:00:00+02:00';
    my $ri = { Interval => 0, Periodicity => 1, Range => 0, WeekDays => 0,
               DayNumber => 1, Month => 1, RecurrenceStart => $start,
               RecurrenceEnd => $start, %{ delete $o{RecurrenceInfo} // {} } };
    return { %$seed, Start => $start, End => $end, RecurrenceInfo => $ri,
             %o };
}

sub occurrences {
    my ($id, $from, $until) = @_;
    my $res = req('GET', "$c/ContractAppointments/$id?occurrenceRangeFrom=$from"
                  . "&occurrenceRangeUntil=$until");
    return join ',', map { "$_->{OccurrenceIndex}:" . substr($_->{Start}, 5, 5) }
        @{ json_of($res)->{RecurrenceOccurrences} // [] };
}

# --- occurrence indexes that name no occurrence
my $res = req_json('POST', "$c/ContractAppointments", series(ClientId => 61001));
ok t_cmp($res->code, 200, 'a daily series without end');
my $sid = json_of($res)->{Id};

my $before = db_snapshot();
$res = req('DELETE', "$c/$sid/OccurrenceIndex/4294967296");
ok t_cmp($res->code, 400, 'DELETE index 2^32: 400 (not occurrence 0)');
$res = req('DELETE', "$c/$sid/OccurrenceIndex/9223372036854775807");
ok t_cmp($res->code, 400, 'DELETE index 2^63-1: 400');
# (the horizon is the end of what .NET has: a daily series from 2026 has
# no occurrence 3000000, in the year 10240)
$res = req('DELETE', "$c/$sid/OccurrenceIndex/3000000");
ok t_cmp($res->code, 400, 'DELETE an index after the recurrence horizon: 400');
ok t_cmp($res->decoded_content, qr/occurrenceIndex/, 'naming occurrenceIndex');
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $sid, OccurrenceIndex => 3000000,
                  Type => 1, Title => 'far', Start => '2900-01-01T09:00:00+01:00',
                  End => '2900-01-01T10:00:00+01:00' });
ok t_cmp($res->code, 400, 'save an index after the recurrence horizon: 400');
ok t_cmp(db_snapshot(), $before, 'nothing changed');
ok t_cmp(occurrences($sid, '2026-06-01', '2026-06-03'), '0:06-01,1:06-02',
         'occurrence 0 is still there');

# --- a new pattern drops the exceptions of the old one; a change that
# keeps the pattern keeps them
$res = req('DELETE', "$c/$sid/OccurrenceIndex/1");
ok t_cmp($res->code, 204, 'occurrence 1 (2 June) deleted');
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $sid, OccurrenceIndex => 2, Type => 1,
                  Title => 'moved', Start => '2026-06-03T15:00:00+02:00',
                  End => '2026-06-03T16:00:00+02:00' });
ok t_cmp($res->code, 200, 'occurrence 2 changed');
my $occ = json_of($res)->{Id};
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                series(ClientId => 61001, Id => $sid, Title => 'renamed'));
ok t_cmp($res->code, 200, 'a change of the title only');
ok t_cmp(occurrences($sid, '2026-06-01', '2026-06-04'), '0:06-01,2:06-03',
         'keeps the exceptions');
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                series(ClientId => 61001, Id => $sid,
                       RecurrenceInfo => { Interval => 1, WeekDays => 2 }));
ok t_cmp($res->code, 200, 'changed to weekly on Monday');
ok t_cmp(occurrences($sid, '2026-06-01', '2026-06-20'),
         '0:06-01,1:06-08,2:06-15',
         'occurrences 1 and 2 of the new pattern are plain ones');
ok t_cmp(req('GET', "$c/OccurrenceAppointments/$occ")->code, 404,
         'the changed occurrence of the old pattern is gone');
$res = req('DELETE', "$c/$sid/OccurrenceIndex/1");
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                { %{ series(ClientId => 61001, Id => $sid) },
                  RecurrenceInfo => undef });
ok t_cmp($res->code, 200, 'the recurrence removed');
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                series(ClientId => 61001, Id => $sid,
                       RecurrenceInfo => { Interval => 1, WeekDays => 2 }));
ok t_cmp(occurrences($sid, '2026-06-01', '2026-06-10'), '0:06-01,1:06-08',
         'and added again: no deleted occurrence comes back');

# --- a moved occurrence is listed where it is now
$res = req_json('POST', "$c/ContractAppointments",
                series(ClientId => 61002, Start => '2026-07-06T09:00:00+02:00',
                       End => '2026-07-06T10:00:00+02:00',
                       RecurrenceInfo => { Range => 1, OccurrenceCount => 5 }));
my $five = json_of($res)->{Id};
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $five, OccurrenceIndex => 4, Type => 1,
                  Title => 'later', Start => '2026-07-20T09:00:00+02:00',
                  End => '2026-07-20T10:00:00+02:00' });
ok t_cmp($res->code, 200, 'the last of five occurrences moved two weeks on');
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $five, OccurrenceIndex => 0, Type => 1,
                  Title => 'earlier', Start => '2026-06-29T09:00:00+02:00',
                  End => '2026-06-29T10:00:00+02:00' });
ok t_cmp($res->code, 200, 'the first one moved a week back');
my $list = json_of(req('GET', "$c/ContractAppointments?clientIds[0]=61002"
                       . '&dateFrom=2026-07-19&dateUntil=2026-07-21'));
ok t_cmp(join(',', map { $_->{Id} } @$list), $five,
         'the series is listed after its span');
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @{ $list->[0]{RecurrenceOccurrences} }),
         '4', 'with the moved occurrence');
$list = json_of(req('GET', "$c/ContractAppointments?clientIds[0]=61002"
                    . '&dateFrom=2026-06-28&dateUntil=2026-06-30'));
ok t_cmp(join(',', map { $_->{Id} } @$list), $five,
         'and before its start');
$list = json_of(req('GET', "/PlanCare2Api/Appointments?clientIds[0]=61002"
                    . '&dateFrom=2026-07-19&dateUntil=2026-07-21'));
ok t_cmp(scalar @$list, 1, 'in the group calendar too');
$list = json_of(req('GET', "$c/ContractAppointments?clientIds[0]=61002"
                    . '&dateFrom=2026-07-13&dateUntil=2026-07-14'));
ok t_cmp(scalar @$list, 0, 'not where it is not');

# --- a PlanCare2 change keeps the relations only Xelion knows
$res = req_json('POST', "$x/appointments",
                { objectType => 'XCCAppointment', subject => 'Xelion with calendar',
                  starttime => '2026-10-05 10:00:00', endtime => '2026-10-05 10:30:00',
                  calendars => [{ oid => 61555, objectType => 'XCCCalendar' }],
                  participants => [{ person => { oid => 61777,
                                                 objectType => 'Person' } }] });
ok t_cmp($res->code, 201, 'created through Xelion with a calendar and a participant');
my $oid = json_of($res)->{object}{oid};
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                { %$seed, Id => $oid, ClientId => 61003, RecurrenceInfo => undef,
                  Title => 'changed in PlanCare2',
                  Start => '2026-10-05T11:00:00+02:00',
                  End => '2026-10-05T11:30:00+02:00' });
ok t_cmp($res->code, 200, 'changed through PlanCare2');
my $o = json_of(req('GET', "$x/appointments/$oid"))->{object};
ok t_cmp(join(',', map { $_->{oid} } @{ $o->{calendars} }), '61555',
         'its calendar kept');
ok t_cmp(join(',', map { $_->{oid} } @{ $o->{participants} }), '61777',
         'its participant kept');
my $cal = json_of(req('GET', "$x/calendars/61555?after=2026-10-05&before=2026-10-06"));
ok t_cmp(join(',', map { $_->{object}{oid} } @{ $cal->{data} }), $oid,
         'still in its Xelion calendar');
my %left_out = (%$seed, Id => $oid, ClientId => 61003,
                RecurrenceInfo => undef, Title => 'again',
                Start => '2026-10-05T11:00:00+02:00',
                End => '2026-10-05T11:30:00+02:00');
delete $left_out{EmployeeId};
$res = req_json('POST', "$c/ChangeOfContractAppointments", \%left_out);
ok t_cmp($res->code, 200, 'changed again without EmployeeId');
my $g = json_of(req('GET', "$c/ContractAppointments/$oid"));
is_true(!defined $g->{EmployeeId}, 'a relation of the body left out is cleared');

# --- the answer to a write is the representation a read gives (one
# version, one strong ETag): relations each once, in one order
$res = req_json('POST', '/PlanCare2Api/TeamAppointments/TeamAppointments',
                { Title => 'team', MovesToNextDay => JSON::PP::false,
                  IsAllDay => JSON::PP::false, TeamCalendarId => 61030,
                  ClientIds => [61010, 6109, 61010],
                  Start => '2026-10-06T09:00:00+02:00',
                  End => '2026-10-06T10:00:00+02:00' });
ok t_cmp($res->code, 200, 'a team appointment with a client twice');
my ($made, $made_etag) = ($res->decoded_content, $res->header('ETag'));
$res = req('GET', '/PlanCare2Api/TeamAppointments/' . json_of($res)->{Id});
ok t_cmp($res->header('ETag'), $made_etag, 'read: the same ETag');
ok t_cmp($res->decoded_content, $made, 'and the same body as the answer to the create');
ok t_cmp(join(',', @{ json_of($res)->{ClientIds} }), '6109,61010',
         'ClientIds each once, by value');

# --- the employee calendar: no employee, no calendar, before anything is
# looked up; another employee's appointment is as missing as a missing one
my %emp = (Title => 'mine', MovesToNextDay => JSON::PP::false,
           IsAllDay => JSON::PP::false, Start => '2026-11-09T09:00:00+01:00',
           End => '2026-11-09T10:00:00+01:00');
$res = req_json('POST', "/SmallBody/EmployeeAppointments/ChangeOfEmployeeAppointments",
                { %emp, Id => 987654321 }, user => undef);
ok t_cmp($res->code, 403, 'no employee: 403 also for an Id that does not exist');
$res = req_json('POST', "/SmallBody/EmployeeAppointments/EmployeeAppointments",
                { %emp, End => '2026-11-09T08:00:00+01:00' }, user => undef);
ok t_cmp($res->code, 403, 'no employee: 403 to a create, before its body is checked');
$res = req('GET', '/SmallBody/Appointments/Employee?dateFrom=2026-11-09',
           user => undef);
ok t_cmp($res->code, 403, 'no employee: 403 to a list, before its range is checked');
$res = req_json('POST', "$e/EmployeeAppointments", \%emp);
ok t_cmp($res->code, 200, "tester's own appointment");
my $mine = json_of($res)->{Id};
my $etag = $res->header('ETag') // '';
$res = req_json('POST', "/SmallBody/EmployeeAppointments/ChangeOfEmployeeAppointments",
                { %emp, Id => $mine }, user => undef);
ok t_cmp($res->code, 403, 'no employee: 403 for an Id that exists');
$before = db_snapshot();
$res = req_json('POST', "$e/ChangeOfEmployeeAppointments",
                { %emp, Id => $mine, Title => 'not yours' },
                user => 'employeeplanner', headers => ['If-Match' => $etag]);
my $code = $res->code;
$res = req_json('POST', "$e/ChangeOfEmployeeAppointments",
                { %emp, Id => 987654321, Title => 'not yours' },
                user => 'employeeplanner', headers => ['If-Match' => $etag]);
ok t_cmp($code, $res->code,
         "another employee's appointment under If-Match: as a missing one");
ok t_cmp(db_snapshot(), $before, 'nothing changed');

# --- EmployeeName: the directory's name of the employee, else the
# logged-on user's display name
$res = req_json('POST', "$e/EmployeeAppointments", \%emp, user => 'employeeplanner');
ok t_cmp(json_of($res)->{EmployeeName}, 'employeeplanner',
         'EmployeeName of an employee the directory does not know');
$res = req_json('POST', "$c/ContractAppointments",
                { %$seed, RecurrenceInfo => undef, ClientId => 61004,
                  EmployeeId => 1, EmployeeName => 'Tess Tester' });
ok t_cmp($res->code, 200, 'a contract appointment names employee 1');
$res = req('GET', "$e/$mine");
ok t_cmp(json_of($res)->{EmployeeName}, 'Tess Tester',
         'EmployeeName from the directory');
$list = json_of(req('GET', '/PlanCare2Api/Appointments/Employee'
                    . '?dateFrom=2026-11-09&dateUntil=2026-11-10'));
ok t_cmp(join(',', map { $_->{EmployeeName} // '' } @$list), 'Tess Tester',
         'in the list too');

# --- a lookup of an occurrence that does not exist is answered at once
# (PostgreSQL: no asynchronous query that sleeps on an empty result)
my $t0 = Time::HiRes::time();
my $n404 = 0;
for (1 .. 10) {
    $n404++ if req('GET', "$c/OccurrenceAppointments/98765432$_")->code == 404;
}
ok t_cmp($n404, 10, 'unknown occurrences: 404');
my $secs = Time::HiRes::time() - $t0;
is_true($secs < 1, sprintf('ten of them in under a second (%.2f s)', $secs));

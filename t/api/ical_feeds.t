# Calendar feeds and every text/calendar answer, read by the libraries
# calendar programs are built on (python3-icalendar, python3-vobject,
# python3-recurring-ical-events) and imported by khal: RFC 5545 form
# (CRLF, folding at 75 octets, UID, DTSTAMP, SEQUENCE, a short
# VTIMEZONE under the plain zone name), one-day all-day appointments,
# all-day series, cancelled ones, deleted and changed occurrences across
# a DST change; recurring_ical_events' expansion of each feed equals the
# module's own JSON occurrences.  The feeds need no Accept header, poll
# with 304 (ETag, Last-Modified), need the calendar's read grant, and
# answer bad input (unknown calendar, bad window) with the dialect's 4xx.
# A series made through Xelion takes PlanCare2 occurrence changes.
use strict;
use warnings FATAL => 'all';
use utf8;
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use File::Temp qw(tempdir);
use POSIX qw(strftime);

plan tests => 140;

my $PY = '/usr/bin/python3';
my $CHECK = "$FindBin::Bin/../lib/ical_check.py";
my $TMP = tempdir(CLEANUP => 1);
my $n = 0;

# Runs a command of ical_check.py; its JSON answer (or {error => ...}).
sub py {
    my @args = @_;
    my $cmd = join ' ', map { "'$_'" } $PY, $CHECK, @args;
    my $o = `$cmd 2>&1`;
    my $d = eval { JSON::PP->new->utf8->decode($o) };
    return $d // { error => $o };
}

# The raw body of a response in a file of its own.
sub save {
    my ($res) = @_;
    my $f = sprintf '%s/answer-%d.ics', $TMP, ++$n;
    open my $fh, '>:raw', $f or die "$f: $!";
    print $fh $res->content;
    close $fh;
    return $f;
}

# Every check a text/calendar answer must pass (5 tests).
sub calendar_ok {
    my ($res, $name, $events) = @_;
    my $f = save($res);
    my $c = py('check', $f);
    ok t_cmp(join('; ', @{ $c->{problems} // [$c->{error}] }), '',
             "$name: RFC 5545 form, read by icalendar and vobject");
    ok t_cmp($c->{events}, $events, "$name: $events events");
    is_true(!$c->{tzids} || !@{ $c->{tzids} }
            || (join(',', @{ $c->{tzids} }) eq 'Europe/Amsterdam'
                && $c->{vtimezone_bytes} < 1500),
            "$name: a short VTIMEZONE named Europe/Amsterdam ("
            . ($c->{vtimezone_bytes} // 0) . ' bytes)');
    my $k = py('khal', $f, "$TMP/khal-$n", '2026-01-01', 730);
    ok t_cmp($k->{import_rc} // $k->{error}, 0,
             "$name: khal imports it" . ($k->{import_err}
                                         ? " ($k->{import_err})" : ''));
    ok t_cmp($k->{files}, $c->{uids}, "$name: khal has each UID");
    return ($f, $c, $k);
}

# A JSON body, decoded from its UTF-8 bytes.
sub jof { return eval { JSON::PP->new->utf8->decode($_[0]->content) } || [] }

# The occurrences a PlanCare2 list (JSON) shows: [start, end, title,
# all-day] of every single appointment and non-deleted occurrence.  The
# group calendar (GET Appointments) answers the flat Appointment type,
# one item per appointment and per occurrence (StartDate, EndDate,
# Subject); the other lists ContractAppointment objects with their
# RecurrenceOccurrences.
sub json_occurrences {
    my ($list) = @_;
    my @occ;
    for my $a (@$list) {
        if (exists $a->{StartDate}) {
            push @occ, [$a->{StartDate}, $a->{EndDate}, $a->{Subject} // '',
                        $a->{IsAllDay} ? JSON::PP::true : JSON::PP::false];
        }
        elsif ($a->{RecurrenceInfo}) {
            push @occ, map { [$_->{Start}, $_->{End}, $_->{Title} // '',
                              $a->{IsAllDay} ? JSON::PP::true
                                             : JSON::PP::false] }
                       grep { $_->{Type} != 2 }
                       @{ $a->{RecurrenceOccurrences} || [] };
        }
        else {
            push @occ, [$a->{Start}, $a->{End}, $a->{Title} // '',
                        $a->{IsAllDay} ? JSON::PP::true : JSON::PP::false];
        }
    }
    return \@occ;
}

# Expansion of the feed file f in [from, until) equals occurrences.
sub same_occurrences {
    my ($f, $from, $until, $occ, $name) = @_;
    my $jf = sprintf '%s/occ-%d.json', $TMP, ++$n;
    open my $fh, '>:raw', $jf or die "$jf: $!";
    print $fh JSON::PP->new->utf8->encode($occ);
    close $fh;
    my $ical = py('expand', $f, $from, $until);
    my $json = py('norm', $jf);
    my $canon = JSON::PP->new->utf8->canonical(1);
    ok t_cmp($canon->encode($ical), $canon->encode($json), $name);
    return $ical;
}

my $pc2 = '/PlanCare2Api';
my $c = "$pc2/ClientAppointments";
my $C = 714;
my $seed = seed_json('seed002_ContractAppointment.json');
my %base = (%$seed, ClientId => $C, ClientName => 'Feed client',
            RecurrenceInfo => undef, IsAllDay => JSON::PP::false,
            Status => 0);
delete $base{Id};
delete $base{RecurrenceOccurrences};

sub create {
    my (%b) = @_;
    my $res = req_json('POST', "$c/ContractAppointments",
                       JSON::PP->new->utf8->encode({ %base, %b }));
    die 'create: ' . $res->code . ' ' . $res->decoded_content
        unless $res->code == 200 || $res->code == 201;
    return json_of($res);
}

sub weekly {
    my ($start, %r) = @_;
    return { Interval => 1, Periodicity => 1, WeekDays => 2, Range => 1,
             OccurrenceCount => 1, DayNumber => 1, Month => 1,
             RecurrenceStart => $start, RecurrenceEnd => $start, %r };
}

# ------------------------------------------------------------ the data
my $single = create(Title => 'Single', Start => '2026-07-01T10:00:00+02:00',
                    End => '2026-07-01T11:00:00+02:00');
my $allday = create(Title => 'All day', IsAllDay => JSON::PP::true,
                    Start => '2026-07-02T00:00:00+02:00',
                    End => '2026-07-03T00:00:00+02:00');
my $long = 'Überweisung für Physiotherapie — Eigenanteil €50, '
           . 'Termin bestätigt; bitte Versichertenkarte mitbringen';
create(Title => $long, Remarks => "Zeile eins\nZeile zwei, mit Komma",
       Start => '2026-07-15T10:00:00+02:00',
       End => '2026-07-15T11:00:00+02:00');
# Weekly on Mondays across the end of summer time (2026-10-25).
my $dst = create(Title => 'Weekly', Start => '2026-10-12T09:00:00+02:00',
                 End => '2026-10-12T09:30:00+02:00',
                 RecurrenceInfo => weekly('2026-10-12T09:00:00+02:00',
                                          OccurrenceCount => 6));
my $res = req('DELETE', "$c/$dst->{Id}/OccurrenceIndex/1");
ok t_cmp($res->code, 204, 'an occurrence deleted');
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $dst->{Id}, OccurrenceIndex => 3, Type => 1,
                  Title => 'Moved', Start => '2026-11-03T14:00:00+01:00',
                  End => '2026-11-03T15:00:00+01:00' });
ok t_cmp($res->code, 200, 'an occurrence moved');
# All-day, weekly until a date: 3 Mondays, the second deleted.
my $adser = create(Title => 'All-day series', IsAllDay => JSON::PP::true,
                   Start => '2026-08-03T00:00:00+02:00',
                   End => '2026-08-04T00:00:00+02:00',
                   RecurrenceInfo => weekly('2026-08-03T00:00:00+02:00',
                       Range => 2, RecurrenceEnd => '2026-08-17T00:00:00+02:00'));
$res = req('DELETE', "$c/$adser->{Id}/OccurrenceIndex/1");
ok t_cmp($res->code, 204, 'an all-day occurrence deleted');

# ---------------------------------------- the client feed, no Accept
my $feed = "$pc2/Feeds/Clients/$C.ics";
my ($from, $until) = ('2026-06-01', '2026-12-31');
$res = req('GET', "$feed?from=$from&until=$until");
ok t_cmp($res->code, 200, 'the client feed without Accept');
ok t_cmp($res->header('Content-Type'), qr{^text/calendar}, 'as text/calendar');
my $ics = $res->content;
my ($f, $chk) = calendar_ok($res, 'client feed', 6);
ok t_cmp($ics, qr/\r\nX-WR-CALNAME:Feed client\r\n/, 'named after the client');
# Item 1: a one-day all-day appointment is one day (DTEND exclusive).
ok t_cmp($ics, qr/DTSTART;VALUE=DATE:20260702\r\nDTEND;VALUE=DATE:20260703\r\n/,
         'a one-day all-day appointment lasts one day');
# Item 2: the series' TZID is the plain zone name, with its VTIMEZONE.
ok t_cmp($ics, qr/\r\nTZID:Europe\/Amsterdam\r\n/, 'VTIMEZONE TZID:Europe/Amsterdam');
ok t_cmp($ics, qr/DTSTART;TZID=Europe\/Amsterdam:20261012T090000\r\n/,
         'the series in the zone');
# Item 4: an all-day series is dates, UNTIL a date too.
ok t_cmp($ics, qr/DTSTART;VALUE=DATE:20260803\r\n/, 'an all-day series as dates');
ok t_cmp($ics, qr/RRULE:FREQ=WEEKLY;UNTIL=20260817;/, 'its UNTIL a date');
ok t_cmp($ics, qr/EXDATE;VALUE=DATE:20260810\r\n/, 'its deleted occurrence a date');
ok t_cmp($ics, qr/EXDATE;TZID=Europe\/Amsterdam:20261019T090000\r\n/,
         'a deleted timed occurrence');
ok t_cmp($ics, qr/RECURRENCE-ID;TZID=Europe\/Amsterdam:20261102T090000\r\n/,
         'a changed occurrence by its RECURRENCE-ID');
ok t_cmp(scalar(grep { $_ eq $long } @{ $chk->{summaries} }), 1,
         'a long UTF-8 title folds and unfolds unchanged');
ok t_cmp($ics =~ /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/ ? 1 : 0, 1, 'DTSTAMP in UTC');
ok t_cmp($ics, qr/\r\nSEQUENCE:2\r\n/, 'SEQUENCE from the version (two changes)');

# The module's own occurrences, as JSON, in the same window.
$res = req('GET', "$pc2/Appointments?clientIds[0]=$C&dateFrom=$from"
           . '&dateUntil=2027-01-01', accept => 'application/json');
my $occ = json_occurrences(jof($res));
ok t_cmp(scalar(@$occ), 10, 'the JSON list: 10 occurrences');
my $exp = same_occurrences($f, $from, '2027-01-01', $occ,
    'recurring_ical_events expands the feed to the JSON occurrences');
ok t_cmp(join(' ', map { $_->[0] } grep { $_->[2] eq 'Weekly' } @$exp),
         '2026-10-12T07:00:00Z 2026-10-26T08:00:00Z 2026-11-09T08:00:00Z'
         . ' 2026-11-16T08:00:00Z', '09:00 local on both sides of the DST change');
# The same check over a part of the window.
$res = req('GET', "$feed?from=2026-10-20&until=2026-11-10");
$f = save($res);
$res = req('GET', "$pc2/Appointments?clientIds[0]=$C&dateFrom=2026-10-20"
           . '&dateUntil=2026-11-11', accept => 'application/json');
same_occurrences($f, '2026-10-20', '2026-11-11',
                 json_occurrences(jof($res)), 'the same over a shorter window');

# ------------------------------------------------------------- polling
$res = req('GET', "$feed?from=$from&until=$until");
my $etag = $res->header('ETag');
my $lm = $res->header('Last-Modified');
ok t_cmp($etag, qr/^"[^"]+"$/, 'a strong ETag');
ok t_cmp($lm, qr/GMT$/, 'Last-Modified');
ok t_cmp($res->header('Cache-Control'), qr/private/, 'not for shared caches');
$res = req('GET', "$feed?from=$from&until=$until",
           headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 304, 'polled with If-None-Match: 304');
ok t_cmp($res->content, '', 'no body');
$res = req('GET', "$feed?from=$from&until=$until",
           headers => ['If-Modified-Since' => $lm]);
ok t_cmp($res->code, 304, 'polled with If-Modified-Since: 304');
$res = req('GET', "$feed?from=$from&until=$until",
           headers => ['If-None-Match' => $etag], accept => 'application/json');
ok t_cmp($res->code, 304, 'Accept does not change the feed');
# A change: the next poll gets the new calendar.
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                { %base, Id => $single->{Id}, Title => 'Single, renamed',
                  Start => '2026-07-01T10:00:00+02:00',
                  End => '2026-07-01T11:00:00+02:00' });
ok t_cmp($res->code, 200, 'an appointment changed');
$res = req('GET', "$feed?from=$from&until=$until",
           headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 200, 'after a change: 200');
ok t_cmp($res->decoded_content, qr/SUMMARY:Single\\, renamed/, 'with the change');
isnt_etag($res->header('ETag'), $etag);
sub isnt_etag { is_true($_[0] && $_[0] ne $_[1], 'and a new ETag') }
# A deletion changes the ETag too.
$etag = $res->header('ETag');
my $gone = create(Title => 'Short-lived', Start => '2026-07-20T10:00:00+02:00',
                  End => '2026-07-20T11:00:00+02:00');
$res = req('GET', "$feed?from=$from&until=$until");
$etag = $res->header('ETag');
req('DELETE', "$c/ContractAppointments/$gone->{Id}");
$res = req('GET', "$feed?from=$from&until=$until",
           headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 200, 'after a deletion: 200');
is_true($res->decoded_content !~ /Short-lived/, 'without the deleted one');
$res = req('HEAD', "$feed?from=$from&until=$until");
ok t_cmp($res->code, 200, 'HEAD');

# --------------------------------------------------- the default window
my $now = time;
my $soon = strftime('%Y-%m-%dT10:00:00Z', gmtime($now + 2 * 86400));
my $soon_end = strftime('%Y-%m-%dT11:00:00Z', gmtime($now + 2 * 86400));
my $old = strftime('%Y-%m-%dT10:00:00Z', gmtime($now - 60 * 86400));
my $old_end = strftime('%Y-%m-%dT11:00:00Z', gmtime($now - 60 * 86400));
create(ClientId => $C + 1, Title => 'Soon', Start => $soon, End => $soon_end);
create(ClientId => $C + 1, Title => 'Long ago', Start => $old, End => $old_end);
$res = req('GET', "$pc2/Feeds/Clients/" . ($C + 1) . '.ics');
ok t_cmp($res->code, 200, 'a feed with the default window');
ok t_cmp($res->decoded_content, qr/SUMMARY:Soon/, 'has what comes in two days');
is_true($res->decoded_content !~ /Long ago/, 'not what was 60 days ago');
$res = req('GET', "$pc2/Feeds/Clients/" . ($C + 1) . '.ics?from='
           . strftime('%Y-%m-%d', gmtime($now - 61 * 86400)));
ok t_cmp($res->decoded_content, qr/SUMMARY:Long ago/, 'from= reaches back');

# ---------------------------------------------------------- bad input
$res = req('GET', "$pc2/Feeds/Clients/987654321.ics", accept => 'application/json');
ok t_cmp($res->code, 404, 'an unknown client: 404');
ok t_cmp(json_of($res)->{Message} // '', qr/No calendar/, 'in the ASP.NET shape');
$res = req('GET', "$feed?from=2026-13-01");
ok t_cmp($res->code, 400, 'a bad from: 400');
ok t_cmp(json_of($res)->{ModelState}{'appointment.from'}[0] // '',
         qr/not a date/, 'naming from');
$res = req('GET', "$feed?from=2026-02-30");
ok t_cmp($res->code, 400, 'a day that does not exist: 400');
$res = req('GET', "$feed?from=2026-07-01&until=2026-06-01");
ok t_cmp($res->code, 400, 'until before from: 400');
$res = req('GET', "$feed?from=0001-01-01&until=9999-12-31");
ok t_cmp($res->code, 200, 'a window as wide as the calendar: fine while'
         . ' its occurrences stay within the limit');
$res = req('GET', "$pc2/Feeds/Clients/abc.ics");
ok t_cmp($res->code, 400, 'a client id that is no number: 400');
$res = req('GET', $feed, user => undef);
ok t_cmp($res->code, 401, 'anonymous: 401');
$res = req('GET', $feed, user => 'teamplanner');
ok t_cmp($res->code, 403, 'without the client calendar grant: 403');
$res = req('GET', $feed, user => 'clientplanner');
ok t_cmp($res->code, 200, 'with ClientGroupCalendar:Start: 200');

# --------------------------------------------------- text/calendar answers
$res = req('GET', "$c/ContractAppointments/$dst->{Id}", accept => 'text/calendar');
calendar_ok($res, 'GET of a series as text/calendar', 2);
$res = req('GET', "$c/ContractAppointments/$allday->{Id}", accept => 'text/calendar');
ok t_cmp($res->content, qr/DTEND;VALUE=DATE:20260703\r\n/, 'one day by GET too');
$res = req('GET', "$pc2/Appointments?clientIds[0]=$C&dateFrom=$from"
           . '&dateUntil=2027-01-01', accept => 'text/calendar');
calendar_ok($res, 'a list as text/calendar', 6);

# ------------------------------------------- team and employee feeds
my $team = seed_json('seed001_ChangeOfTeamAppointment.json');
delete $team->{Id};
$res = req_json('POST', "$pc2/TeamAppointments/TeamAppointments",
                { %$team, ClientIds => [$C], TeamCalendarId => 7140,
                  TeamCalendar => 'Feed team', RecurrenceInfo => undef,
                  IsAllDay => JSON::PP::false, Title => 'Team meeting',
                  ShowInGroupCalendar => JSON::PP::false,
                  Start => '2026-09-01T08:00:00+02:00',
                  End => '2026-09-01T09:00:00+02:00' });
ok t_cmp($res->code, 200, 'a team appointment');
$res = req('GET', "$pc2/Feeds/Teams/7140.ics?from=$from&until=$until");
ok t_cmp($res->code, 200, 'the team feed');
calendar_ok($res, 'team feed', 1);
ok t_cmp($res->content, qr/X-WR-CALNAME:Feed team\r\n/, 'named after the team');
$res = req_json('POST', "$pc2/EmployeeAppointments/EmployeeAppointments",
                { Title => 'My own', Start => '2031-09-02T08:00:00+02:00',
                  End => '2031-09-02T09:00:00+02:00',
                  MovesToNextDay => JSON::PP::false,
                  IsAllDay => JSON::PP::false });
ok t_cmp($res->code, 200, 'an employee appointment of tester');
# A day of its own: other tests fill tester's employee calendar too.
my $own = 'from=2031-09-02&until=2031-09-02';
$res = req('GET', "$pc2/Feeds/Employee.ics?$own");
ok t_cmp($res->code, 200, 'the employee feed: the user\'s own');
ok t_cmp($res->decoded_content, qr/SUMMARY:My own/, 'with their appointment');
$res = req('GET', "$pc2/Appointments/Employee?dateFrom=2031-09-02"
           . '&dateUntil=2031-09-03', accept => 'text/calendar');
calendar_ok($res, 'the employee list as text/calendar', 1);
$res = req('GET', "$pc2/Feeds/Employee.ics?$own", user => 'employeeplanner');
ok t_cmp($res->code, 200, 'another employee: their own calendar');
is_true($res->decoded_content !~ /My own/, "without tester's appointment");

# ------------------------------------------------------ patient feeds
my $pat = seed_json('seed003_AppointmentModel.json');
my ($P, $A) = ('0e0c0a5e-5a11-4d1d-9c1a-0000000714aa',
               '0e0c0a5e-5a11-4d1d-9c1a-0000000714bb');
my $res0 = req_json('POST', '/patient2/api/Calendar/PatientAppointmentPost_v2',
                { %$pat, ProviderId => $P, PatientId => $A,
                  AppointmentOn => '2026-09-03T09:00:00+02:00' });
ok t_cmp($res0->code, 200, 'a patient appointment');
for my $which ("Providers/$P", "Patients/$A") {
    $res = req('GET', "/patient2/api/Calendar/Feeds/$which.ics?from=$from&until=$until");
    ok t_cmp($res->code, 200, "the patient API's feed $which");
    calendar_ok($res, "feed $which", 1);
}
# A cancelled appointment stays in the feed, as STATUS:CANCELLED.
$res = req_json('POST', '/patient2/api/Calendar/PatientAppointmentCancel',
                { Id => json_of($res0)->{Id}, Reason => 'ill' });
ok t_cmp($res->code, 200, 'the patient appointment cancelled');
$res = req('GET', "/patient2/api/Calendar/Feeds/Patients/$A.ics?from=$from&until=$until");
my (undef, $pc) = calendar_ok($res, 'feed with a cancelled appointment', 1);
ok t_cmp(join(',', @{ $pc->{statuses} || [] }), 'CANCELLED', 'STATUS:CANCELLED');
$res = req('GET', '/patient2/api/Calendar/PatientAppointmentGet/'
           . json_of($res0)->{Id}, accept => 'text/calendar');
calendar_ok($res, 'a patient appointment as text/calendar', 1);
$res = req('GET', "/patient2/api/Calendar/PatientAppointmentList?providerId=$P"
           . "&from=$from&until=$until", accept => 'text/calendar');
calendar_ok($res, 'a patient list as text/calendar', 1);
$res = req('GET', '/patient2/api/Calendar/Feeds/Providers/not-a-guid.ics');
ok t_cmp($res->code, 400, 'a provider id that is no GUID: 400');

# ------------------------------------- Xelion: a calendar's feed; item 6
my $x = '/api/v1/master';
$res = req_json('POST', "$x/appointments",
    { objectType => 'XCCAppointment', subject => 'Xelion weekly',
      starttime => '2026-10-05 13:00:00', endtime => '2026-10-05 13:30:00',
      calendars => [ { oid => '71400', objectType => 'XCCCalendar' } ],
      isRecurrence => JSON::PP::true, recurrenceType => 'weekly',
      recurrenceInterval => 1, recurrenceTerminationType => 'recurrenceCount',
      recurrenceCount => 4, monday => JSON::PP::true });
ok t_cmp($res->code, 201, 'a Xelion series');
my $xid = json_of($res)->{object}{oid};
# Item 6: PlanCare2's occurrence routes take it as ParentId (one store).
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $xid, OccurrenceIndex => 1, Type => 1,
                  Title => 'Changed in PlanCare2',
                  Start => '2026-10-12T15:00:00+02:00',
                  End => '2026-10-12T15:30:00+02:00' });
ok t_cmp($res->code, 200, 'a Xelion series as ParentId of an occurrence change');
$res = req('DELETE', "$c/$xid/OccurrenceIndex/2");
ok t_cmp($res->code, 204, 'and of an occurrence deletion');
$res = req('GET', "$x/calendars/71400.ics?from=$from&until=$until");
ok t_cmp($res->code, 200, 'the Xelion calendar feed');
($f) = calendar_ok($res, 'Xelion feed', 2);
same_occurrences($f, '2026-10-01', '2026-11-01',
    [ ['2026-10-05T13:00:00+02:00', '2026-10-05T13:30:00+02:00', 'Xelion weekly', JSON::PP::false],
      ['2026-10-12T15:00:00+02:00', '2026-10-12T15:30:00+02:00', 'Changed in PlanCare2', JSON::PP::false],
      ['2026-10-26T13:00:00+01:00', '2026-10-26T13:30:00+01:00', 'Xelion weekly', JSON::PP::false] ],
    'the Xelion feed: the changes made through PlanCare2');
$res = req('GET', "$pc2/ClientAppointments/ContractAppointments/$xid"
           . '?occurrenceRangeFrom=2026-10-01&occurrenceRangeUntil=2026-11-01',
           accept => 'application/json');
ok t_cmp(scalar(grep { $_->{Type} != 2 }
                @{ json_of($res)->{RecurrenceOccurrences} || [] }), 3,
         'PlanCare2 shows the same three occurrences');
$res = req('GET', "$x/appointments/$xid", accept => 'text/calendar');
calendar_ok($res, 'a Xelion series as text/calendar', 2);
$res = req('GET', "$x/calendars/71400?after=2026-10-01&before=2026-11-01",
           accept => 'text/calendar');
calendar_ok($res, 'a Xelion calendar list as text/calendar', 2);
$res = req('GET', "$x/calendars/987654321.ics", accept => 'application/json');
ok t_cmp($res->code, 404, 'an unknown Xelion calendar: 404');
ok t_cmp(json_of($res)->{errorCode} // 0, 10100, 'with Xelion\'s errorCode');
$res = req('GET', "$x/calendars/71400.ics?until=nope", accept => 'application/json');
ok t_cmp($res->code, 400, 'a bad Xelion window: 400');
ok t_cmp(json_of($res)->{errorCode} // 0, qr/^102\d\d$/, 'with Xelion\'s errorCode');

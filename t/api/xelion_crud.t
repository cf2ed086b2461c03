# Xelion appointments: create (Xelion's create sample verbatim), read,
# both seed 004 PATCH examples verbatim, calendar listing with paging,
# delete, the error shape and codes, and one id space with PlanCare2.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use POSIX qw(strftime tzset);
use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 142;

my $base = '/api/v1/master';

# Xelion's documentation sample of POST /appointments, verbatim.
my $create_sample = <<'JSON';
{
    "subject": "Taart eten",
    "starttime": "2017-02-25 11:50:00",
    "endtime": "2017-02-25 12:00:00",
    "allStartDay": false,
    "allEndDay": false,
    "internal": true,
    "userStatus": "unavailable",
    "objectType": "XCCAppointment",
    "comment": {
        "objectType": "Comment",
        "content": "Taart halen bij de bakker"
    },
    "participants": [
      {
        "person": {
            "oid": "1626686",
            "objectType": "Person"
        }
      },
      {
        "person": {
            "oid": "1626711",
            "objectType": "Person"
        }
      }
    ],
    "calendars": [
      {
        "oid": "1658051",
        "objectType": "XCCCalendar"
      },
      {
        "oid": "1658218",
        "objectType": "XCCCalendar"
      }
    ],
    "recurrenceTerminationType": "recurrenceCount",
    "recurrenceTerminationDate": "",
    "firstRecurrenceDate": "2017-02-25 11:50:00",
    "lastRecurrenceDate": "2017-04-23 22:00:00",
    "recurrenceCount": 6,
    "recurrenceType": "weekly",
    "recurrenceInterval": 1,
    "isRecurrence": true,
    "monday": true,
    "tuesday": false,
    "wednesday": false,
    "thursday": false,
    "friday": false,
    "saturday": false,
    "sunday": false
}
JSON

sub oids { return join ',', sort map { $_->{oid} } @{ $_[0] || [] } }

sub create {
    my (%o) = @_;
    my $res = req_json('POST', "$base/appointments",
                       { subject => 'test', starttime => '2026-06-01 10:00:00',
                         endtime => '2026-06-01 11:00:00', %o });
    my $d = json_of($res);
    die 'create failed: ' . $res->as_string unless $res->code == 201;
    return $d->{object}{oid};
}

sub get_obj {
    my ($oid) = @_;
    my $d = json_of(req('GET', "$base/appointments/$oid"));
    return $d ? $d->{object} : undef;
}

# --- create with Xelion's sample verbatim
my $res = req('POST', "$base/appointments", body => $create_sample,
              type => 'application/json');
ok t_cmp($res->code, 201, 'POST appointments with the create sample');
my $c = json_of($res);
my $oid = $c->{object}{oid};
is_true($oid && $oid =~ /^\d+$/, 'the new oid is a string of digits');
ok t_cmp($res->header('Location'), qr{/api/v1/master/appointments/$oid$},
         'Location names the new appointment');
ok t_cmp(json_keys($c), 'links,object', 'answer is {object, links}');
ok t_cmp($c->{links}[0]{rel}, 'self', 'a self link');
ok t_cmp($c->{links}[0]{href}, qr{^http://[^/]+/api/v1/master/appointments/$oid$},
         'self href is absolute');
ok t_cmp($c->{links}[0]{method}, 'GET', 'self method');

# --- read it back
$res = req('GET', "$base/appointments/$oid");
ok t_cmp($res->code, 200, 'GET appointments/{oid}');
ok t_cmp($res->header('ETag'), qr/^"v1-json"$/, 'ETag');
my $g = json_of($res)->{object};
ok t_cmp($g->{objectType}, 'XCCAppointment', 'objectType');
ok t_cmp($g->{oid}, $oid, 'oid');
ok t_cmp($g->{permissions}, 'ReadWriteRemove', 'permissions');
ok t_cmp($g->{subject}, 'Taart eten', 'subject');
ok t_cmp($g->{starttime}, '2017-02-25 11:50:00', 'starttime');
ok t_cmp($g->{endtime}, '2017-02-25 12:00:00', 'endtime');
is_true(!$g->{allStartDay} && !$g->{allEndDay}, 'not all-day');
is_true($g->{internal}, 'internal');
ok t_cmp($g->{userStatus}, 'unavailable', 'userStatus');
ok t_cmp($g->{comment}{content}, 'Taart halen bij de bakker', 'comment');
ok t_cmp($g->{comment}{objectType}, 'Comment', 'comment objectType');
ok t_cmp(oids($g->{calendars}), '1658051,1658218', 'calendars');
ok t_cmp($g->{calendars}[0]{objectType}, 'XCCCalendar', 'calendar objectType');
ok t_cmp(oids($g->{participants}), '1626686,1626711', 'participants');
ok t_cmp($g->{participants}[0]{objectType}, 'Person', 'participant objectType');
is_true($g->{isRecurrence}, 'isRecurrence');
ok t_cmp($g->{recurrenceType}, 'weekly', 'recurrenceType');
ok t_cmp($g->{recurrenceInterval}, 1, 'recurrenceInterval');
ok t_cmp($g->{recurrenceTerminationType}, 'recurrenceCount',
         'recurrenceTerminationType');
ok t_cmp($g->{recurrenceCount}, 6, 'recurrenceCount');
ok t_cmp($g->{recurrenceTerminationDate}, '', 'recurrenceTerminationDate empty');
ok t_cmp($g->{firstRecurrenceDate}, '2017-02-25 11:50:00', 'firstRecurrenceDate');
is_true($g->{monday} && !$g->{tuesday} && !$g->{sunday}, 'weekdays');
# 2017-02-25 is a Saturday: the sixth Monday from then is 2017-04-03.
ok t_cmp($g->{lastRecurrenceDate}, '2017-04-03 12:00:00',
         'lastRecurrenceDate: the end of the sixth Monday');
ok t_cmp($g->{recurrenceLabel}, qr/\S/, 'recurrenceLabel');
ok t_cmp($g->{commonName}, 'Taart eten', 'commonName');

# --- seed 004, first example, verbatim
my $p1 = create(participants => [{ person => { oid => '167843' } },
                                 { person => { oid => '1626686' } }],
                calendars => [{ oid => '1658051', objectType => 'XCCCalendar' }]);
$res = req('PATCH', "$base/appointments/$p1", body => seed('seed004_patch1.json'),
           type => 'application/json');
ok t_cmp($res->code, 204, 'seed 004 example 1 verbatim: 204');
ok t_cmp($res->content, '', 'no body');
$g = get_obj($p1);
ok t_cmp(oids($g->{calendars}), '1658051,1658218', 'calendar 1658218 added');
ok t_cmp($g->{userStatus}, 'long_out_of_office', 'userStatus replaced');
ok t_cmp($g->{comment}{content}, 'Test Comment', 'comment replaced');
ok t_cmp(oids($g->{participants}), '1626686', 'participant 167843 removed');
ok t_cmp($g->{subject}, 'test', 'other members unchanged');

# --- seed 004, second example, verbatim
$res = req('PATCH', "$base/appointments/$p1", body => seed('seed004_patch2.json'),
           type => 'application/json');
ok t_cmp($res->code, 204, 'seed 004 example 2 verbatim: 204');
$g = get_obj($p1);
is_true($g->{allStartDay} && $g->{allEndDay}, 'all-day start and end');
ok t_cmp($g->{starttime}, '2018-12-27 00:00:00', 'starts on 2018-12-27');
ok t_cmp($g->{endtime}, '2018-12-27 23:59:59', 'ends on 2018-12-27');
# The time is ignored when the flag is set: the same day at other times.
$res = req_json('PATCH', "$base/appointments/$p1", { operations => [
    { op => 'replace', path => '/starttime', value => '2018-12-27 15:30:00' },
    { op => 'replace', path => '/endtime', value => '2018-12-28 06:00:00' } ] });
ok t_cmp($res->code, 204, 'all-day times with a time of day');
$g = get_obj($p1);
ok t_cmp($g->{starttime}, '2018-12-27 00:00:00', 'start time ignored');
ok t_cmp($g->{endtime}, '2018-12-28 23:59:59', 'end time ignored: end of its day');

# --- calendar listing
$res = req('GET', "$base/calendars/1658218?after=2018-12-27&before=2018-12-28");
ok t_cmp($res->code, 200, 'GET calendars/{oid}');
my $l = json_of($res);
ok t_cmp(json_keys($l), 'data,meta', '{data, meta}');
ok t_cmp(join(',', map { $_->{object}{oid} } @{ $l->{data} }), $p1,
         'the appointment on that calendar and days');
ok t_cmp($l->{data}[0]{links}[0]{rel}, 'self', 'items have a self link');
ok t_cmp($l->{meta}{links}[0]{rel}, 'refresh', 'meta.links refresh');
ok t_cmp($l->{meta}{links}[0]{href},
         qr{/api/v1/master/calendars/1658218\?after=2018-12-27&before=2018-12-28$},
         'refresh href');
is_true(!grep({ $_->{rel} eq 'next' } @{ $l->{meta}{links} }), 'no next link');
$l = json_of(req('GET', "$base/calendars/1658218?after=2018-12-29&before=2018-12-30"));
ok t_cmp(scalar @{ $l->{data} }, 0, 'nothing on other days');
$l = json_of(req('GET', "$base/calendars/1658051?after=2018-12-27%2000:00:00"
                        . "&before=2018-12-27%2012:00:00"));
ok t_cmp(scalar @{ $l->{data} }, 1, 'after/before with a time of day');

# Occurrences of a series are listed one by one (the create sample's
# series is on calendar 1658051: Mondays from 2017-02-27, six times).
$l = json_of(req('GET', "$base/calendars/1658051?after=2017-02-01&before=2017-04-30&limit=100"));
my @occ = grep { $_->{object}{oid} eq $oid } @{ $l->{data} };
ok t_cmp(scalar @occ, 6, 'six occurrences listed');
ok t_cmp(join(',', map { substr($_->{object}{starttime}, 0, 10) } @occ),
         '2017-02-27,2017-03-06,2017-03-13,2017-03-20,2017-03-27,2017-04-03',
         'on the Mondays');
ok t_cmp($occ[2]{object}{firstRecurrenceDate}, '2017-02-25 11:50:00',
         'firstRecurrenceDate is the series start');

# Today when neither after nor before is given (Europe/Amsterdam).
{
    my $today;
    {
        local $ENV{TZ} = 'Europe/Amsterdam';
        tzset();
        $today = strftime('%Y-%m-%d', localtime);
    }
    tzset();
    my $t = create(subject => 'today', starttime => "$today 00:00:01",
                   endtime => "$today 00:00:02",
                   calendars => [{ oid => '4242' }]);
    $l = json_of(req('GET', "$base/calendars/4242"));
    ok t_cmp(join(',', map { $_->{object}{oid} } @{ $l->{data} }), $t,
             "today's appointments by default");
}

# Paging: five appointments, two a page.
my @five = map { create(subject => "page $_", calendars => [{ oid => '5555' }],
                        starttime => "2026-07-0$_ 09:00:00",
                        endtime => "2026-07-0$_ 10:00:00") } 1 .. 5;
my @seen;
my $url = "$base/calendars/5555?after=2026-07-01&before=2026-07-31&limit=2";
my $pages = 0;
while ($url && $pages < 5) {
    $res = req('GET', $url);
    $l = json_of($res);
    $pages++;
    push @seen, map { $_->{object}{oid} } @{ $l->{data} };
    my ($next) = grep { $_->{rel} eq 'next' } @{ $l->{meta}{links} };
    $url = $next ? $next->{href} : undef;
    $url =~ s{^https?://[^/]+}{} if $url;
}
ok t_cmp($pages, 3, 'three pages of two');
ok t_cmp(join(',', @seen), join(',', @five), 'every appointment once, in order');
# An endless daily series and a single appointment, from a day on
# without end: pages keep coming, in order.
create(subject => 'daily', calendars => [{ oid => '6666' }],
       starttime => '2026-01-01 08:00:00', endtime => '2026-01-01 08:30:00',
       recurrenceType => 'daily', recurrenceInterval => 1);
create(subject => 'single', calendars => [{ oid => '6666' }],
       starttime => '2026-03-02 12:00:00', endtime => '2026-03-02 13:00:00');
$l = json_of(req('GET', "$base/calendars/6666?after=2026-03-01&limit=3"));
ok t_cmp(join(',', map { substr($_->{object}{starttime}, 0, 16) } @{ $l->{data} }),
         '2026-03-01 08:00,2026-03-02 08:00,2026-03-02 12:00',
         'an endless series and a single appointment, in order');
my ($next) = grep { $_->{rel} eq 'next' } @{ $l->{meta}{links} };
is_true($next, 'a next link');
($url = $next ? $next->{href} : '') =~ s{^https?://[^/]+}{};
$l = json_of(req('GET', $url));
ok t_cmp(join(',', map { substr($_->{object}{starttime}, 0, 10) } @{ $l->{data} }),
         '2026-03-03,2026-03-04,2026-03-05', 'the next page');
$l = json_of(req('GET', "$base/calendars/5555?after=2026-07-01&before=2026-07-31"));
ok t_cmp(scalar @{ $l->{data} }, 5, 'default limit 15 takes all five');
$res = req('GET', "$base/calendars/5555?after=2026-07-01&limit=101");
ok t_cmp($res->code, 400, 'limit above 100');
ok t_cmp(json_of($res)->{errorCode}, 10202, 'limit: errorCode 10202');
$res = req('GET', "$base/calendars/5555?after=2026-07-01&limit=0");
ok t_cmp($res->code, 400, 'limit 0');
$res = req('GET', "$base/calendars/5555?after=yesterday");
ok t_cmp(json_of($res)->{errorCode}, 10202, 'a bad date: 10202');
$res = req('GET', "$base/calendars/5555?after=2026-07-02&before=2026-07-01");
ok t_cmp($res->code, 400, 'before before after');
$res = req('GET', "$base/calendars/5555?cursor=abc");
ok t_cmp(json_of($res)->{errorCode}, 10202, 'a cursor the server did not give');
$res = req('GET', "$base/calendars/x5555");
ok t_cmp(json_of($res)->{errorCode}, 10203, 'a calendar oid that is not a number');

# --- delete
$res = req('DELETE', "$base/appointments/$p1");
ok t_cmp($res->code, 204, 'DELETE');
$res = req('GET', "$base/appointments/$p1");
ok t_cmp($res->code, 404, 'gone after DELETE');
my $err = json_of($res);
ok t_cmp(json_keys($err), 'errorCode,info,message', 'Xelion error shape');
ok t_cmp($err->{errorCode}, 10100, 'errorCode 10100');
ok t_cmp($err->{info}, "resource=GET $base/appointments/$p1", 'info names the request');
$res = req('DELETE', "$base/appointments/$p1");
ok t_cmp(json_of($res)->{errorCode}, 10100, 'DELETE of an unknown oid: 10100');

# --- errors
$res = req('GET', "$base/appointments/abc");
ok t_cmp($res->code, 400, 'an oid that is not a number');
ok t_cmp(json_of($res)->{errorCode}, 10203, 'errorCode 10203');
$res = req('GET', "$base/appointments/0");
ok t_cmp(json_of($res)->{errorCode}, 10203, 'oid 0: 10203');
$res = req('GET', "$base/appointments/99999999999999999999");
ok t_cmp(json_of($res)->{errorCode}, 10203, 'an oid beyond 64 bits: 10203');
$res = req_json('POST', "$base/appointments", { objectType => 'Person',
    starttime => '2026-06-01 10:00:00', endtime => '2026-06-01 11:00:00' });
ok t_cmp($res->code, 400, 'objectType not XCCAppointment');
ok t_cmp(json_of($res)->{errorCode}, 10203, 'objectType: 10203');
$res = req('POST', "$base/appointments", body => '', type => 'application/json');
ok t_cmp($res->code, 400, 'empty body');
ok t_cmp(json_of($res)->{errorCode}, 10200, 'empty body: 10200');
$res = req_json('POST', "$base/appointments", { subject => 'no times' });
ok t_cmp(json_of($res)->{errorCode}, 10202, 'missing starttime: 10202');
ok t_cmp(json_of($res)->{message}, qr/starttime/, 'the message names starttime');
$res = req_json('POST', "$base/appointments", { starttime => '2026-06-01T10:00:00',
    endtime => '2026-06-01 11:00:00' });
ok t_cmp(json_of($res)->{errorCode}, 10202, 'ISO date-time instead of Xelion\'s: 10202');
$res = req_json('POST', "$base/appointments", { starttime => '2026-06-01 10:00:00',
    endtime => '2026-06-01 09:00:00' });
ok t_cmp(json_of($res)->{errorCode}, 10202, 'end before start: 10202');
$res = req_json('POST', "$base/appointments", { starttime => '2026-06-01 10:00:00',
    endtime => '2026-06-01 11:00:00', userStatus => 'asleep' });
ok t_cmp(json_of($res)->{errorCode}, 10202, 'a userStatus not in the list: 10202');
$res = req_json('POST', "$base/appointments", { starttime => '2026-06-01 10:00:00',
    endtime => '2026-06-01 11:00:00', calendars => [{ oid => 'cal-1' }] });
ok t_cmp(json_of($res)->{errorCode}, 10203, 'a calendar oid that is not a number: 10203');
$res = req_json('POST', "$base/appointments", { starttime => '2026-06-01 10:00:00',
    endtime => '2026-06-01 11:00:00', calendars => [{ oid => '1', objectType => 'Person' }] });
ok t_cmp(json_of($res)->{errorCode}, 10203, 'a calendar of another objectType: 10203');
$res = req('POST', "$base/appointments", body => '{"subject": "a", "subject": "b"}',
           type => 'application/json');
ok t_cmp(json_of($res)->{errorCode}, 10202, 'duplicate keys: 10202');
$res = req('POST', "$base/appointments", body => '<XCCAppointment/>',
           type => 'application/xml');
ok t_cmp($res->code, 415, 'XML bodies are not taken');
$res = req('PUT', "$base/appointments/$oid", body => '{}', type => 'application/json');
ok t_cmp($res->code, 405, 'PUT: 405');
ok t_cmp(json_of($res)->{errorCode}, 10100, '405 in the Xelion shape');
$res = req('GET', "$base/nothing");
ok t_cmp(json_of($res)->{errorCode}, 10100, 'unknown resource: 10100');
$res = req('GET', "$base/appointments/$oid", accept => 'application/xml');
ok t_cmp($res->code, 200, 'XML on request');
is_true(xml_of($res), 'well-formed XML');
$res = req('GET', "$base/appointments/$oid", accept => 'text/calendar');
ok t_cmp($res->code . ' ' . ($res->header('Content-Type') // ''),
         qr{^200 text/calendar}, 'text/calendar on request');
ok t_cmp($res->decoded_content, qr/RRULE:FREQ=WEEKLY.*COUNT=6/s,
         'the series with its rule');
$res = req('GET', "$base/calendars/1658051?after=2017-02-01&before=2017-04-30",
           accept => 'text/calendar');
my @vevents = ($res->decoded_content // '') =~ /BEGIN:VEVENT/g;
ok t_cmp(scalar @vevents, 1, 'a listing as text/calendar: the series once');
$res = req('GET', "$base/appointments/$oid", user => undef);
ok t_cmp($res->code, 401, 'anonymous: 401');
ok t_cmp(json_of($res)->{errorCode}, 10000, '401 in the Xelion shape');
$res = req('GET', "$base/appointments/$oid", user => 'outsider');
ok t_cmp($res->code, 403, 'not granted: 403');
ok t_cmp(json_of($res)->{errorCode}, 10101, 'errorCode 10101');
$res = req('GET', "$base/appointments/$oid", user => 'xelionreader');
ok t_cmp($res->code, 200, 'XelionCalendar:Start reads');
$res = req_json('PATCH', "$base/appointments/$oid", { operations => [
    { op => 'replace', path => '/subject', value => 'x' } ] }, user => 'xelionreader');
ok t_cmp(json_of($res)->{errorCode}, 10101, 'writing needs XelionCalendar:Edit');

# --- one id space with PlanCare2
my $pc2 = seed_json('seed002_ContractAppointment.json');
$res = req_json('POST', '/PlanCare2Api/ClientAppointments/ContractAppointments',
                { %$pc2, IsAllDay => JSON::PP::false(), MovesToNextDay => JSON::PP::false(),
                  RecurrenceInfo => undef,
                  Start => '2026-08-03T09:00:00+02:00', End => '2026-08-03T10:30:00+02:00' });
ok t_cmp($res->code, 200, 'PlanCare2 contract appointment');
my $pid = json_of($res)->{Id};
$g = get_obj($pid);
ok t_cmp($g->{subject}, $pc2->{Title}, 'read here: Title is subject');
ok t_cmp($g->{comment}{content}, $pc2->{Remarks}, 'Remarks is comment');
ok t_cmp($g->{locationString}, $pc2->{Location}, 'Location is locationString');
ok t_cmp($g->{starttime}, '2026-08-03 09:00:00', 'Start is starttime');
ok t_cmp($g->{endtime}, '2026-08-03 10:30:00', 'End is endtime');
$res = req_json('PATCH', "$base/appointments/$pid", { operations => [
    { op => 'replace', path => '/subject', value => 'changed in Xelion' },
    { op => 'replace', path => '/comment', value => 'new remarks' },
    { op => 'replace', path => '/endtime', value => '2026-08-03 11:00:00' },
    { op => 'replace', path => '/userStatus', value => 'at_appointment' } ] });
ok t_cmp($res->code, 204, 'patched here');
my $back = json_of(req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$pid"));
ok t_cmp($back->{Title}, 'changed in Xelion', 'PlanCare2 sees the subject');
ok t_cmp($back->{Remarks}, 'new remarks', 'PlanCare2 sees the comment');
ok t_cmp($back->{End}, '2026-08-03T11:00:00+02:00', 'PlanCare2 sees the end');
ok t_cmp($back->{ContractId}, $pc2->{ContractId}, 'PlanCare2-only members kept');
ok t_cmp($back->{ClientId}, $pc2->{ClientId}, 'PlanCare2 links kept');

# A PlanCare2 series (every 2 weeks on Monday and Wednesday, 10 times)
# shows its recurrence here.
$res = req_json('POST', '/PlanCare2Api/ClientAppointments/ContractAppointments',
                { %$pc2, IsAllDay => JSON::PP::false(), MovesToNextDay => JSON::PP::false(),
                  Start => '2026-09-07T09:00:00+02:00', End => '2026-09-07T10:00:00+02:00',
                  RecurrenceInfo => { Interval => 1, Periodicity => 2, WeekDays => 10,
                                      Range => 1, OccurrenceCount => 10,
                                      RecurrenceStart => '2026-09-07T09:00:00+02:00' } });
ok t_cmp($res->code, 200, 'PlanCare2 series');
my $series = json_of($res);
$g = get_obj($series->{Id});
is_true($g->{isRecurrence}, 'isRecurrence');
ok t_cmp($g->{recurrenceType}, 'weekly', 'Interval Weekly is recurrenceType weekly');
ok t_cmp($g->{recurrenceInterval}, 2, 'Periodicity is recurrenceInterval');
is_true($g->{monday} && $g->{wednesday} && !$g->{tuesday}, 'WeekDays are the days');
ok t_cmp($g->{recurrenceTerminationType}, 'recurrenceCount', 'Range OccurrenceCount');
ok t_cmp($g->{recurrenceCount}, 10, 'OccurrenceCount');
ok t_cmp($g->{recurrenceLabel}, $series->{FriendlyRecurrenceInfo},
         'recurrenceLabel is FriendlyRecurrenceInfo');
# A change of the interval here is seen there.
$res = req_json('PATCH', "$base/appointments/$series->{Id}", { operations => [
    { op => 'replace', path => '/recurrenceInterval', value => 1 } ] });
ok t_cmp($res->code, 204, 'recurrenceInterval patched');
$back = json_of(req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$series->{Id}"));
ok t_cmp($back->{RecurrenceInfo}{Periodicity}, 1, 'PlanCare2 sees Periodicity 1');
ok t_cmp($back->{RecurrenceInfo}{WeekDays}, 10, 'WeekDays kept');
ok t_cmp($back->{RecurrenceInfo}{OccurrenceCount}, 10, 'OccurrenceCount kept');

# Occurrences deleted through PlanCare2 stay deleted here while the
# pattern stays; a change of the pattern here drops the exceptions.
$res = req('DELETE', "/PlanCare2Api/ClientAppointments/$series->{Id}/OccurrenceIndex/1");
ok t_cmp($res->code, 204, 'PlanCare2 deletes the second occurrence');
$res = req_json('PATCH', "$base/appointments/$series->{Id}", { operations => [
    { op => 'add', path => '/calendars/8888' } ] });
ok t_cmp($res->code, 204, 'the series on a calendar');
my $days = sub {
    my $d = json_of(req('GET', "$base/calendars/8888?$_[0]"));
    return join ',', map { substr($_->{object}{starttime}, 5, 5) } @{ $d->{data} };
};
ok t_cmp($days->('after=2026-09-07&before=2026-09-20'), '09-07,09-14,09-16',
         'the deleted occurrence is not listed');
ok t_cmp($days->('before=2026-09-08'), '09-07', 'only before: everything until then');
$res = req_json('PATCH', "$base/appointments/$series->{Id}", { operations => [
    { op => 'replace', path => '/recurrenceInterval', value => 2 } ] });
ok t_cmp($res->code, 204, 'a new interval');
ok t_cmp($days->('after=2026-09-07&before=2026-09-24'), '09-07,09-09,09-21,09-23',
         'every other week, the exceptions gone');

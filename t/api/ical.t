# text/calendar: appointments and lists as iCalendar for calendar
# programs; 406 where a route gives no appointments or for writes.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 12;

my $c = '/PlanCare2Api/ClientAppointments';
my $seed = seed_json('seed002_ContractAppointment.json');
my %single = (%$seed, ClientId => 5151, RecurrenceInfo => undef,
              IsAllDay => JSON::PP::false,
              Title => 'Single; one', Start => '2026-07-01T10:00:00+02:00',
              End => '2026-07-01T11:00:00+02:00');
my %series = (%$seed, ClientId => 5151, Title => 'Weekly',
    IsAllDay => JSON::PP::false,
    Start => '2026-07-06T09:00:00+02:00', End => '2026-07-06T09:30:00+02:00',
    RecurrenceInfo => { Interval => 1, Periodicity => 1, WeekDays => 2,
                        Range => 1, OccurrenceCount => 4, DayNumber => 1,
                        Month => 1,
                        RecurrenceStart => '2026-07-06T09:00:00+02:00',
                        RecurrenceEnd => '2026-07-06T09:00:00+02:00' });
my $id1 = json_of(req_json('POST', "$c/ContractAppointments", \%single))->{Id};
my $id2 = json_of(req_json('POST', "$c/ContractAppointments", \%series))->{Id};
req('DELETE', "$c/$id2/OccurrenceIndex/1");

my $res = req('GET', "$c/ContractAppointments/$id1", accept => 'text/calendar');
ok t_cmp($res->code, 200, 'GET one as text/calendar');
ok t_cmp($res->header('Content-Type'), qr{^text/calendar}, 'content type');
my $ics = $res->decoded_content;
ok t_cmp($ics, qr/^BEGIN:VCALENDAR\r\n/, 'a VCALENDAR');
ok t_cmp($ics, qr/DTSTART:20260701T080000Z\r\n/, 'DTSTART in UTC');
ok t_cmp($ics, qr/SUMMARY:Single\\; one\r\n/, 'escaped SUMMARY');
ok t_cmp($res->header('ETag'), qr/-ics"$/, 'an ETag of its own');

$res = req('GET', "$c/ContractAppointments/$id2", accept => 'text/calendar');
$ics = $res->decoded_content;
ok t_cmp($ics, qr/RRULE:FREQ=WEEKLY[^\r]*COUNT=4/, 'the series as an RRULE');
ok t_cmp($ics, qr/DTSTART;TZID=Europe\/Amsterdam:20260706T090000/, 'in the zone');
ok t_cmp($ics, qr/EXDATE;TZID=Europe\/Amsterdam:20260713T090000/,
         'the deleted occurrence as EXDATE');

$res = req('GET', "$c/ContractAppointments?clientIds[0]=5151&dateFrom=2026-07-01"
           . '&dateUntil=2026-08-01', accept => 'text/calendar');
ok t_cmp(scalar(() = $res->decoded_content =~ /BEGIN:VEVENT/g), 2,
         'a list as one calendar');

$res = req('POST', "$c/ContractAppointments", body => $JSON->encode(\%single),
           type => 'application/json', accept => 'text/calendar');
ok t_cmp($res->code, 406, 'a write has no calendar form');
$res = req('GET', "$c/ContractAppointments/$id1",
           accept => 'text/calendar;q=0.5, application/json');
ok t_cmp($res->header('Content-Type'), qr{^application/json}, 'q-values decide');

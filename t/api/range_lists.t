# Range lists through the link index (schema version 2, docs/benchmarks.md):
# the same answers as the definition gives, at the edges the index splits
# on.  An appointment is listed when its span overlaps [from, until): one
# that ends at from or starts at until is not.  Short ones (a day or
# less) are found by their start in [from - 1 day, until), long ones and
# series by testing each; series also by an occurrence moved into the
# range.  A change moves the appointment in the index.  Double booking
# (the patient API's provider) at the same edges.  Runs on both backends.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 32;

my $c = '/PlanCare2Api/ClientAppointments';
my $seed = seed_json('seed002_ContractAppointment.json');
delete @$seed{qw(Id RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $client = 7000 + ($$ % 1000);    # a client of this run only

sub create {
    my ($title, $start, $end, %o) = @_;
    my $res = req_json('POST', "$c/ContractAppointments",
                       { %$seed, ClientId => $client, Title => $title,
                         Start => $start, End => $end, IsAllDay => JSON::PP::false,
                         MovesToNextDay => JSON::PP::false, %o });
    die 'create failed: ' . $res->as_string unless $res->code == 200;
    return json_of($res);
}

# The titles the client's list gives for [from, until), in order.
sub titles {
    my ($from, $until) = @_;
    s/\+/%2B/g for $from, $until;
    my $res = req('GET', "$c/ContractAppointments?clientIds[0]=$client"
                  . "&dateFrom=$from&dateUntil=$until");
    die 'list failed: ' . $res->as_string unless $res->code == 200;
    return join(',', map { $_->{Title} } @{ json_of($res) });
}

# A single hour, 2026-09-10 10:00-11:00 (+02:00).
create('hour', '2026-09-10T10:00:00+02:00', '2026-09-10T11:00:00+02:00');
ok t_cmp(titles('2026-09-10T10:00:00+02:00', '2026-09-10T11:00:00+02:00'),
         'hour', 'a range equal to the span');
ok t_cmp(titles('2026-09-10T10:59:00+02:00', '2026-09-10T12:00:00+02:00'),
         'hour', 'a range that begins in its last minute');
ok t_cmp(titles('2026-09-10T11:00:00+02:00', '2026-09-10T12:00:00+02:00'),
         '', 'not in a range that begins at its end');
ok t_cmp(titles('2026-09-10T09:00:00+02:00', '2026-09-10T10:00:00+02:00'),
         '', 'not in a range that ends at its start');
ok t_cmp(titles('2026-09-10T10:30:00+02:00', '2026-09-10T10:31:00+02:00'),
         'hour', 'a minute inside it');

# 23 hours, started 22 hours before the range: short, found by its start.
create('23h', '2026-09-05T12:00:00+02:00', '2026-09-06T11:00:00+02:00');
ok t_cmp(titles('2026-09-06T10:00:00+02:00', '2026-09-06T12:00:00+02:00'),
         '23h', 'a short one begun the day before');
ok t_cmp(titles('2026-09-06T11:00:00+02:00', '2026-09-06T12:00:00+02:00'),
         '', '... not after its end');

# Exactly one day (the longest short one), and a day and a minute (long).
create('day', '2026-09-07T00:00:00+02:00', '2026-09-08T00:00:00+02:00');
create('day+1m', '2026-09-11T00:00:00+02:00', '2026-09-12T00:01:00+02:00');
ok t_cmp(titles('2026-09-07T23:59:00+02:00', '2026-09-08T00:00:00+02:00'),
         'day', 'one day: its last minute');
ok t_cmp(titles('2026-09-08T00:00:00+02:00', '2026-09-09T00:00:00+02:00'),
         '', 'one day: not the next');
ok t_cmp(titles('2026-09-12T00:00:00+02:00', '2026-09-12T00:01:00+02:00'),
         'day+1m', 'a day and a minute: its last minute');
ok t_cmp(titles('2026-09-12T00:01:00+02:00', '2026-09-13T00:00:00+02:00'),
         '', 'a day and a minute: not after');

# Three weeks: long, listed in a range in its middle.
create('3 weeks', '2026-08-20T09:00:00+02:00', '2026-09-10T09:00:00+02:00');
ok t_cmp(titles('2026-09-01T00:00:00+02:00', '2026-09-02T00:00:00+02:00'),
         '3 weeks', 'a long one in its middle');
ok t_cmp(titles('2026-09-10T09:00:00+02:00', '2026-09-10T10:00:00+02:00'),
         '', 'a long one not at its end');

# All of them in one range, by start.
ok t_cmp(titles('2026-08-01', '2026-10-01'),
         '3 weeks,23h,day,hour,day+1m', 'all, by start');

# A weekly series begun years ago, without end: listed with an
# occurrence in the range.
my %rule = (Interval => 1, Periodicity => 1, WeekDays => 2, Range => 0,
            OccurrenceCount => 0, DayNumber => 1, Month => 1);
my $weekly = create('weekly', '2016-01-04T09:00:00+01:00', '2016-01-04T10:00:00+01:00',
    RecurrenceInfo => { %rule, RecurrenceStart => '2016-01-04T09:00:00+01:00',
                        RecurrenceEnd => '2016-01-04T09:00:00+01:00' });
ok t_cmp(titles('2026-09-14T00:00:00+02:00', '2026-09-15T00:00:00+02:00'),
         'weekly', 'an old series on a Monday');
ok t_cmp(titles('2026-09-15T00:00:00+02:00', '2026-09-16T00:00:00+02:00'),
         '', '... not on the Tuesday');

# A series of three Mondays in March 2026; occurrence 1 moved to
# 2026-09-22 (out of its span), occurrence 2 deleted.
my $march = create('march', '2026-03-02T12:00:00+01:00', '2026-03-02T13:00:00+01:00',
    RecurrenceInfo => { %rule, Range => 1, OccurrenceCount => 3,
                        RecurrenceStart => '2026-03-02T12:00:00+01:00',
                        RecurrenceEnd => '2026-03-02T12:00:00+01:00' });
my $res = req_json('POST', "$c/OccurrenceAppointments",
                   { Id => 0, ParentId => $march->{Id}, OccurrenceIndex => 1,
                     Type => 1, Title => 'march moved',
                     Start => '2026-09-22T12:00:00+02:00',
                     End => '2026-09-22T13:00:00+02:00' });
ok t_cmp($res->code, 200, 'an occurrence moved half a year on');
ok t_cmp(req('DELETE', "$c/$march->{Id}/OccurrenceIndex/2")->code, 204,
         'another deleted');
ok t_cmp(titles('2026-09-22T00:00:00+02:00', '2026-09-23T00:00:00+02:00'),
         'march', 'the series is listed where its moved occurrence is');
ok t_cmp(titles('2026-09-22T13:00:00+02:00', '2026-09-23T00:00:00+02:00'),
         '', '... not after the moved occurrence ends');
ok t_cmp(titles('2026-03-16T00:00:00+01:00', '2026-03-17T00:00:00+01:00'),
         'weekly', 'nor where the deleted one was (the old weekly series is)');
ok t_cmp(titles('2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00'),
         'weekly,march', 'its first occurrence still');

# A change moves it in the index: from 2026-09-10 to 2026-11-10, and from
# an hour to a week.
my $moving = create('moving', '2026-09-10T14:00:00+02:00', '2026-09-10T15:00:00+02:00');
$res = req_json('POST', "$c/ChangeOfContractAppointments",
                { %$seed, %$moving, Start => '2026-11-10T14:00:00+01:00',
                  End => '2026-11-17T14:00:00+01:00' });
ok t_cmp($res->code, 200, 'moved and made a week long');
ok t_cmp(titles('2026-09-10T00:00:00+02:00', '2026-09-11T00:00:00+02:00'),
         '3 weeks,hour', 'not at its old time');
ok t_cmp(titles('2026-11-15T00:00:00+01:00', '2026-11-16T00:00:00+01:00'),
         'moving', 'at its new time, in the middle of the week');

# Other calendars: the Xelion calendar and the patient API's provider
# list go through the same index.
my $cal = 8000 + ($$ % 1000);
$res = req_json('POST', '/api/v1/master/appointments',
                { subject => 'on the calendar', starttime => '2026-09-10 23:00:00',
                  endtime => '2026-09-11 01:00:00', calendars => [{ oid => "$cal" }] });
ok t_cmp($res->code, 201, 'a Xelion appointment over midnight');
my $l = json_of(req('GET', "/api/v1/master/calendars/$cal?after=2026-09-11&before=2026-09-11"));
ok t_cmp(join(',', map { $_->{object}{subject} } @{ $l->{data} }), 'on the calendar',
         'listed on the day it ends');

# Double booking (AppointmentsPreventDoubleBooking On on /api/Calendar):
# a provider's half hour blocks an overlap, not the half hours next to it.
my $provider = sprintf('%08d-0000-4000-8000-000000000015', $$ % 100000000);
my %p = (PatientId => 'a25ad686-2f86-43e7-b238-9251e37e2c50',
         ProviderId => $provider, UserId => '84ef7a81-c643-4b8e-85e5-1ff52fc35f3d',
         AccountId => '3faed728-f67f-4bc0-888f-a8410d31c7df', Reason => 'r');
sub book {
    my ($at) = @_;
    return req_json('POST', '/api/Calendar/PatientAppointmentPost_v2',
                    { %p, AppointmentOn => $at })->code;
}
ok t_cmp(book('2026-09-10T10:00:00+02:00'), 200, 'a provider booked 10:00');
ok t_cmp(book('2026-09-10T10:15:00+02:00'), 409, '10:15 overlaps it');
ok t_cmp(book('2026-09-10T09:45:00+02:00'), 409, '09:45 overlaps it');
ok t_cmp(book('2026-09-10T10:30:00+02:00'), 200, '10:30 follows it');
ok t_cmp(book('2026-09-10T09:30:00+02:00'), 200, '09:30 precedes it');

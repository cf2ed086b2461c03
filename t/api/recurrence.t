# Recurring PlanCare2 appointments over HTTP: RecurrenceInfo round trip,
# occurrences in range DST-correct, exceptions (changed and deleted)
# merged, validation, the occurrence limit, lists, JSON and XML.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 42;

my $c = '/PlanCare2Api/ClientAppointments';
my $seed = seed_json('seed002_ContractAppointment.json');
my %weekly = (%$seed, ClientId => 4242,
    Start => '2026-03-02T09:00:00+01:00', End => '2026-03-02T10:00:00+01:00',
    RecurrenceInfo => { Interval => 1, Periodicity => 1, WeekDays => 2,
                        Range => 1, OccurrenceCount => 10, DayNumber => 1,
                        Month => 1,
                        RecurrenceStart => '2026-03-02T09:00:00+01:00',
                        RecurrenceEnd => '2026-03-02T09:00:00+01:00' });
delete $weekly{Id};

my $res = req_json('POST', "$c/ContractAppointments", \%weekly);
ok t_cmp($res->code, 200, 'a weekly series of 10 Mondays');
my $a = json_of($res);
my $id = $a->{Id};
ok t_cmp($a->{Type}, 1, 'Type Recurrence');
ok t_cmp($a->{FriendlyRecurrenceInfo}, qr/^Occurs every week on Monday, 10 times$|Monday.*10 times/,
         'FriendlyRecurrenceInfo');
ok t_cmp($a->{RecurrenceInfo}{OccurrenceCount}, 10, 'RecurrenceInfo round-trips');
ok t_cmp($a->{RecurrenceInfo}{RecurrenceStart}, '2026-03-02T09:00:00+01:00',
         'RecurrenceStart');
is_true(!defined $a->{RecurrenceOccurrences}, 'no range, no occurrences');
my $etag = $res->header('ETag');

# Occurrences over the DST change of 29 March: 09:00 local stays 09:00.
my $range = 'occurrenceRangeFrom=2026-03-01&occurrenceRangeUntil=2026-04-15';
$res = req('GET', "$c/ContractAppointments/$id?$range");
my @o = @{ json_of($res)->{RecurrenceOccurrences} };
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @o), '0,1,2,3,4,5,6',
         'indexes of the range');
ok t_cmp($o[3]{Start}, '2026-03-23T09:00:00+01:00', 'before DST: +01:00');
ok t_cmp($o[4]{Start}, '2026-03-30T09:00:00+02:00', 'after DST: 09:00 +02:00');
ok t_cmp($o[4]{End}, '2026-03-30T10:00:00+02:00', 'an hour long');
ok t_cmp($o[4]{ParentId}, $id, 'ParentId');
ok t_cmp($o[4]{Type}, 0, 'plain occurrence');
ok t_cmp($o[4]{Title}, $seed->{Title}, 'the series title');

# A range late in the series: indexes continue, the count ends it.
$res = req('GET', "$c/ContractAppointments/$id?occurrenceRangeFrom=2026-04-20"
           . '&occurrenceRangeUntil=2026-12-31');
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @{ json_of($res)->{RecurrenceOccurrences} }),
         '7,8,9', 'the last three');

# Change occurrence 2 (to a Tuesday afternoon), delete occurrence 3.
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $id, OccurrenceIndex => 2, Type => 1,
                  Title => 'moved', Start => '2026-03-17T14:00:00+01:00',
                  End => '2026-03-17T15:00:00+01:00' });
ok t_cmp($res->code, 200, 'OccurrenceAppointments: changed');
my $x = json_of($res);
is_true($x->{Id} > 0, 'the changed occurrence has an id');
ok t_cmp($x->{Start}, '2026-03-17T14:00:00+01:00', 'its new start');
$res = req('DELETE', "$c/$id/OccurrenceIndex/3");
ok t_cmp($res->code, 204, 'DELETE .../OccurrenceIndex/3');
$res = req('GET', "$c/ContractAppointments/$id?$range");
@o = @{ json_of($res)->{RecurrenceOccurrences} };
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @o), '0,1,2,4,5,6',
         'deleted one left out');
ok t_cmp("$o[2]{Title} $o[2]{Type} $o[2]{Start}",
         'moved 1 2026-03-17T14:00:00+01:00', 'changed one merged');
isnt_etag($res->header('ETag'), $etag);
$res = req('GET', "$c/OccurrenceAppointments/$x->{Id}");
ok t_cmp(json_of($res)->{OccurrenceIndex}, 2, 'GET OccurrenceAppointments/{id}');

# XML: the occurrences as OccurrenceAppointment items, enums by name.
$res = req('GET', "$c/ContractAppointments/$id?$range", accept => 'application/xml');
my $xml = $res->decoded_content;
ok t_cmp(scalar(() = $xml =~ /<OccurrenceAppointment>/g), 6, 'six items in XML');
ok t_cmp($xml, qr{<Type>ChangedOccurrence</Type>}, 'Type by name');
ok t_cmp($xml, qr{<d2p1:Interval>Weekly</d2p1:Interval>}, 'Interval by name');

# Lists: the series with its occurrences of the list's range.
$res = req('GET', "$c/ContractAppointments?clientIds[0]=4242"
           . '&dateFrom=2026-03-29&dateUntil=2026-04-01');
my $l = json_of($res);
ok t_cmp(scalar @$l, 1, 'listed once');
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @{ $l->[0]{RecurrenceOccurrences} }),
         '4', 'with the occurrence of the range');
$res = req('GET', "$c/ContractAppointments?clientIds[0]=4242"
           . '&dateFrom=2026-03-03&dateUntil=2026-03-09');
ok t_cmp(scalar @{ json_of($res) }, 0, 'no occurrence in range: not listed');

# Validation, each naming its field; nothing stored.
my $before = db_snapshot();
for my $case (
    [{ RecurrenceStart => '2026-03-03T09:00:00+01:00' }, 'RecurrenceInfo.RecurrenceStart'],
    [{ DayNumber => 32, Interval => 2 }, 'RecurrenceInfo.DayNumber'],
    [{ Periodicity => 0 }, 'RecurrenceInfo.Periodicity'],
    [{ Range => 1, OccurrenceCount => 0 }, 'RecurrenceInfo.OccurrenceCount'],
    [{ WeekDays => 0 }, 'RecurrenceInfo.WeekDays'],
) {
    my ($change, $key) = @$case;
    my %body = (%weekly, RecurrenceInfo => { %{ $weekly{RecurrenceInfo} }, %$change });
    $res = req_json('POST', "$c/ContractAppointments", \%body);
    ok t_cmp($res->code . ' ' . $res->decoded_content, qr/^400 .*\Q"appointment.$key"\E/s,
             "400 naming $key");
}
ok t_cmp(db_snapshot(), $before, 'nothing stored');

# Exceptions that do not fit the series.
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $id, OccurrenceIndex => 10, Type => 2,
                  Title => 'x', Start => '2026-03-17T14:00:00+01:00',
                  End => '2026-03-17T15:00:00+01:00' });
ok t_cmp($res->code, 400, 'index beyond the count');

# The occurrence limit: a daily series over 20 years.
my %daily = (%weekly, RecurrenceInfo => { %{ $weekly{RecurrenceInfo} },
             Interval => 0, Range => 0, WeekDays => 0 });
$res = req_json('POST', "$c/ContractAppointments", \%daily);
my $did = json_of($res)->{Id};
$res = req('GET', "$c/ContractAppointments/$did?occurrenceRangeFrom=2026-03-01"
           . '&occurrenceRangeUntil=2046-03-01');
ok t_cmp($res->code . ' ' . $res->decoded_content, qr/^400 .*5000/s,
         'more than AppointmentsMaxOccurrences: 400 naming the limit');

sub isnt_etag {
    my ($new, $old) = @_;
    is_true(defined $new && $new ne $old, 'the ETag changed with the exceptions');
}

# ClientAppointments/ChangeOfOccurrenceAppointments changes a stored
# occurrence again; DeletedOccurrence through the body deletes one; a
# single appointment has no occurrences to change.
$res = req_json('POST', "$c/ChangeOfOccurrenceAppointments",
                { Id => $x->{Id}, ParentId => $id, OccurrenceIndex => 2,
                  Type => 1, Title => 'moved again',
                  Start => '2026-03-18T14:00:00+01:00',
                  End => '2026-03-18T15:00:00+01:00' });
ok t_cmp($res->code, 200, 'ChangeOfOccurrenceAppointments');
ok t_cmp(json_of($res)->{Id}, $x->{Id}, 'the same stored occurrence');
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $id, OccurrenceIndex => 5, Type => 2,
                  Title => 'x', Start => '2026-04-06T09:00:00+02:00',
                  End => '2026-04-06T10:00:00+02:00' });
ok t_cmp($res->code, 200, 'Type DeletedOccurrence');
$res = req('GET', "$c/ContractAppointments/$id?$range");
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @{ json_of($res)->{RecurrenceOccurrences} }),
         '0,1,2,4,6', 'occurrence 5 gone too');
my $single = json_of(req_json('POST', "$c/ContractAppointments",
                              { %weekly, RecurrenceInfo => undef }))->{Id};
$before = db_snapshot();
$res = req_json('POST', "$c/OccurrenceAppointments",
                { Id => 0, ParentId => $single, OccurrenceIndex => 0, Type => 1,
                  Title => 'x', Start => '2026-03-02T09:00:00+01:00',
                  End => '2026-03-02T10:00:00+01:00' });
ok t_cmp($res->code . ' ' . $res->decoded_content, qr/^400 .*appointment\.ParentId/s,
         'ParentId of a single appointment: 400 naming ParentId');
ok t_cmp(db_snapshot(), $before, 'nothing stored');

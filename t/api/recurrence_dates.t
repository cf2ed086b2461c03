# Recurrence over every date .NET allows, over HTTP: a weekly series of
# year 24 keeps its first occurrence, a series after libical's last year
# (2582) has its occurrences, and one near 9999 ends with .NET's dates.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my @cases = (
    # start (Monday), range, the first occurrences expected
    ['0024-01-01', '0024-01-01', '0024-01-30',
     '0024-01-01,0024-01-08,0024-01-15,0024-01-22,0024-01-29'],
    ['0091-01-01', '0091-01-01', '0091-01-16', '0091-01-01,0091-01-08,0091-01-15'],
    ['3001-01-05', '3001-01-05', '3001-01-20', '3001-01-05,3001-01-12,3001-01-19'],
    ['9999-11-29', '9999-12-20', '9999-12-31', '9999-12-20,9999-12-27'],
);

plan tests => 3 * @cases;

my $c = '/PlanCare2Api/ClientAppointments';
my $seed = seed_json('seed002_ContractAppointment.json');

for my $k (@cases) {
    my ($day, $from, $until, $want) = @$k;
    my %weekly = (%$seed, ClientId => 4243,
        Start => "${day}T09:00:00Z", End => "${day}T10:00:00Z",
        RecurrenceInfo => { Interval => 1, Periodicity => 1, WeekDays => 2,
                            Range => 0, DayNumber => 1, Month => 1,
                            RecurrenceStart => "${day}T09:00:00Z",
                            RecurrenceEnd => "${day}T09:00:00Z" });
    delete $weekly{Id};
    my $res = req_json('POST', "$c/ContractAppointments", \%weekly);
    ok t_cmp($res->code, 200, "a weekly series from $day");
    my $id = json_of($res) && json_of($res)->{Id};
    $res = req('GET', "$c/ContractAppointments/$id?occurrenceRangeFrom=$from"
                    . "&occurrenceRangeUntil=$until");
    ok t_cmp($res->code, 200, "$day: its occurrences from $from");
    my @o = @{ (json_of($res) // {})->{RecurrenceOccurrences} // [] };
    ok t_cmp(join(',', map { substr($_->{Start} // '', 0, 10) } @o), $want,
             "$day: the Mondays, the first one included");
}

# PlanCare2 team calendar: create, read, change, delete, Clients from
# the directory, and the group calendar merge (a team appointment with
# ShowInGroupCalendar shows up for each listed client).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 32;

my $base = '/PlanCare2Api';
my $seed = seed_json('seed001_ChangeOfTeamAppointment.json');
my %team = (%$seed, ClientIds => [901, 902], ShowInGroupCalendar => JSON::PP::true,
            TeamCalendarId => 77, TeamCalendar => 'Night shift',
            Start => '2026-09-01T08:00:00+02:00',
            End => '2026-09-01T09:00:00+02:00');
delete $team{Id};
# Single appointments here (recurrence has its own test).
$team{RecurrenceInfo} = undef;

# A contract appointment names client 901, so the directory knows it.
my $contract = seed_json('seed002_ContractAppointment.json');
my $res = req_json('POST', "$base/ClientAppointments/ContractAppointments",
                   { %$contract, ClientId => 901, ClientName => 'Ann Smith',
                     RecurrenceInfo => undef,
                     Start => '2026-09-01T10:00:00+02:00',
                     End => '2026-09-01T11:00:00+02:00' });
ok t_cmp($res->code, 200, 'contract appointment for client 901');

$res = req_json('POST', "$base/TeamAppointments/TeamAppointments", \%team);
ok t_cmp($res->code, 200, 'POST TeamAppointments/TeamAppointments');
my $t = json_of($res);
my $id = $t->{Id};
is_true($id && $id =~ /^\d+$/, 'new Id');
ok t_cmp(json_keys($t), json_keys($seed), 'the key set of seed 001');
ok t_cmp($res->header('Location'), qr{/PlanCare2Api/TeamAppointments/$id$},
         'Location');
ok t_cmp(join(',', @{ $t->{ClientIds} }), '901,902', 'ClientIds');
ok t_cmp($t->{Clients}[0]{Id}, 901, 'Clients from ClientIds');
ok t_cmp($t->{Clients}[0]{Name}, 'Ann Smith', 'client name from the directory');
is_true(!defined $t->{Clients}[1]{Name}, 'unknown client has no name');
ok t_cmp($t->{TeamCalendar}, 'Night shift', 'TeamCalendar');
ok t_cmp($t->{ContractInfo}, 'sample string 18', 'ContractInfo');

# Read it back in XML: ClientIds as d2p1:long, Clients as NamedEntity.
$res = req('GET', "$base/TeamAppointments/$id", accept => 'application/xml');
ok t_cmp($res->code, 200, 'GET TeamAppointments/{id} in XML');
my $doc = xml_of($res);
my $root = $doc->documentElement;
ok t_cmp($root->localname, 'TeamAppointment', 'root element');
my $sample = xml_of(seed('seed001_ChangeOfTeamAppointment.xml'))->documentElement;
my @got = grep { !/RecurrenceOccurrences/ } xml_shape($root, 1);
my @want = grep { !/RecurrenceOccurrences/ } xml_shape($sample, 1);
shift @got; shift @want;    # the roots differ by name only
ok t_cmp(join("\n", @got), join("\n", @want),
         'members, order and namespaces as seed 001');
my ($cids) = grep { $_->localname eq 'ClientIds' } $root->childNodes;
ok t_cmp(join(' ', map { '{' . $_->namespaceURI . '}' . $_->localname . '=' . $_->textContent }
              grep { $_->nodeType == 1 } $cids->childNodes),
         '{http://schemas.microsoft.com/2003/10/Serialization/Arrays}long=901 '
       . '{http://schemas.microsoft.com/2003/10/Serialization/Arrays}long=902',
         'ClientIds items');

# The group calendar of client 902 shows the team appointment; of 901
# both the contract and the team appointment.
my $range = 'dateFrom=2026-09-01&dateUntil=2026-09-02';
my $g = json_of(req('GET', "$base/Appointments?clientIds[0]=902&$range"));
ok t_cmp(join(',', map { $_->{Id} } @$g), $id, 'group calendar of client 902');
$g = json_of(req('GET', "$base/Appointments?clientIds[0]=901&$range"));
ok t_cmp(scalar @$g, 2, 'group calendar of client 901: contract and team');

# Change: ShowInGroupCalendar off removes it from the group calendar.
$res = req_json('POST', "$base/TeamAppointments/ChangeOfTeamAppointments",
                { %team, Id => $id, ShowInGroupCalendar => JSON::PP::false,
                  Title => 'changed' });
ok t_cmp($res->code, 200, 'ChangeOfTeamAppointments');
ok t_cmp(json_of($res)->{Title}, 'changed', 'answer is the saved instance');
$g = json_of(req('GET', "$base/Appointments?clientIds[0]=902&$range"));
ok t_cmp(scalar @$g, 0, 'not in the group calendar any more');

# Unknown Id: 404, nothing created.
my $before = db_snapshot();
$res = req('POST', "$base/TeamAppointments/ChangeOfTeamAppointments",
           body => $JSON->encode({ %team, Id => 99999999 }),
           type => 'application/json');
ok t_cmp($res->code, 404, 'change of an unknown Id');
ok t_cmp(db_snapshot(), $before, 'nothing changed');

# A team appointment is not a contract appointment.
$res = req('GET', "$base/ClientAppointments/ContractAppointments/$id");
ok t_cmp($res->code, 404, 'kinds do not mix');

# Required fields.
$res = req_json('POST', "$base/TeamAppointments/TeamAppointments",
                { Title => 'x' });
ok t_cmp($res->code, 400, 'missing required fields');
ok t_cmp($res->decoded_content,
         qr/(?=.*appointment\.Start)(?=.*appointment\.End)(?=.*appointment\.MovesToNextDay)(?=.*appointment\.IsAllDay)/s,
         'each one named');

$res = req('DELETE', "$base/TeamAppointments/$id");
ok t_cmp($res->code, 204, 'DELETE');
ok t_cmp(req('GET', "$base/TeamAppointments/$id")->code, 404, 'gone');

# Team series: an occurrence changed through
# TeamAppointments/ChangeOfOccurrenceAppointments, read back through
# TeamAppointments/OccurrenceAppointments/{id}.
{
    my $res = req_json('POST', "$base/TeamAppointments/TeamAppointments",
        { %team, ShowInGroupCalendar => JSON::PP::false,
          RecurrenceInfo => { Interval => 1, Periodicity => 2, WeekDays => 10,
                              Range => 2, DayNumber => 1, Month => 1,
                              RecurrenceStart => $team{Start},
                              RecurrenceEnd => '2026-10-31T00:00:00+01:00' } });
    ok t_cmp($res->code, 200, 'a team series: every 2 weeks Mon and Wed until 31 October');
    my $s = json_of($res);
    ok t_cmp($s->{FriendlyRecurrenceInfo}, qr/2 weeks.*Monday.*Wednesday/,
             'its friendly text');
    $res = req_json('POST', "$base/TeamAppointments/ChangeOfOccurrenceAppointments",
                    { Id => 0, ParentId => $s->{Id}, OccurrenceIndex => 1,
                      Type => 1, Title => 'team moved',
                      Start => '2026-09-03T13:00:00+02:00',
                      End => '2026-09-03T14:00:00+02:00' });
    ok t_cmp($res->code, 200, 'TeamAppointments/ChangeOfOccurrenceAppointments');
    my $occ = json_of($res)->{Id};
    $res = req('GET', "$base/TeamAppointments/OccurrenceAppointments/$occ",
               accept => 'application/xml');
    ok t_cmp($res->decoded_content,
             qr{<OccurrenceIndex>1</OccurrenceIndex>.*<Title>team moved</Title>.*<Type>ChangedOccurrence</Type>}s,
             'TeamAppointments/OccurrenceAppointments/{id} in XML');
    # A contract series' occurrence is not a team one.
    $res = req('GET', "$base/ClientAppointments/OccurrenceAppointments/$occ");
    ok t_cmp($res->code, 404, 'not through the client calendar');
}

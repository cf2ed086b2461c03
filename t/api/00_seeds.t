# Every seed sample of the PlanCare2 pages, sent verbatim as a request
# body in JSON and in XML, is accepted.  This file runs first, on a fresh
# database, so that the ids the samples name (ParentId 6, Id 13) exist:
# appointment 6 is a recurring contract appointment, 13 a team one.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 14;

my $pc2 = '/PlanCare2Api';
my $contract = seed('seed002_ContractAppointment.json');
my $team = seed_json('seed001_ChangeOfTeamAppointment.json');
delete $team->{Id};

# Ids 1..6: contract appointments (seed 002 verbatim: a daily series).
my @ids;
for (1 .. 6) {
    my $r = req('POST', "$pc2/ClientAppointments/ContractAppointments",
                body => $contract, type => 'application/json');
    push @ids, json_of($r)->{Id} if $r->code == 200;
}
ok t_cmp("@ids", '1 2 3 4 5 6', 'seed 002 JSON verbatim, six times');
# Ids 7..13: team appointments.
@ids = ();
for (7 .. 13) {
    my $r = req_json('POST', "$pc2/TeamAppointments/TeamAppointments", $team);
    push @ids, json_of($r)->{Id} if $r->code == 200;
}
ok t_cmp("@ids", '7 8 9 10 11 12 13', 'team appointments 7..13');

# Seed 002 XML verbatim.
my $r = req('POST', "$pc2/ClientAppointments/ContractAppointments",
            body => seed('seed002_ContractAppointment.xml'),
            type => 'application/xml', accept => 'application/xml');
ok t_cmp($r->code, 200, 'seed 002 XML verbatim');

# Seed 000: an occurrence of series 6 (index 7), JSON and XML.
$r = req('POST', "$pc2/ClientAppointments/OccurrenceAppointments",
         body => seed('seed000_OccurrenceAppointment.json'),
         type => 'application/json');
ok t_cmp($r->code, 200, 'seed 000 JSON verbatim');
my $o = json_of($r);
ok t_cmp("$o->{ParentId}/$o->{OccurrenceIndex}", '6/7', 'occurrence 7 of 6');
ok t_cmp($o->{Start}, '2026-05-26T23:13:00.1670516+02:00', 'its new Start');
ok t_cmp($o->{Type}, 1, 'stored as a changed occurrence');
$r = req('POST', "$pc2/ClientAppointments/OccurrenceAppointments",
         body => seed('seed000_OccurrenceAppointment.xml'),
         type => 'text/xml', accept => 'text/xml');
ok t_cmp($r->code, 200, 'seed 000 XML verbatim');
ok t_cmp($r->decoded_content, qr{<Type>ChangedOccurrence</Type>}, 'XML answer');

# Seed 001: a change of team appointment 13, JSON and XML.
$r = req('POST', "$pc2/TeamAppointments/ChangeOfTeamAppointments",
         body => seed('seed001_ChangeOfTeamAppointment.json'),
         type => 'application/json');
ok t_cmp($r->code, 200, 'seed 001 JSON verbatim');
ok t_cmp(json_of($r)->{Id}, 13, 'appointment 13 changed');
$r = req('POST', "$pc2/TeamAppointments/ChangeOfTeamAppointments",
         body => seed('seed001_ChangeOfTeamAppointment.xml'),
         type => 'application/xml', accept => 'application/xml');
ok t_cmp($r->code, 200, 'seed 001 XML verbatim');

# What seed 002 documents as the answer of the GET route.
$r = req('GET', "$pc2/ClientAppointments/ContractAppointments/6"
         . '?occurrenceRangeFrom=2026-05-26&occurrenceRangeUntil=2026-06-04');
my $g = json_of($r);
ok t_cmp(json_keys($g), json_keys(seed_json('seed002_ContractAppointment.json')),
         'GET has the key set of seed 002');
# Occurrence 7 was moved (seed 000) to 23:13 on the series' first day,
# before occurrence 0 (23:18): occurrences come by start.
ok t_cmp(join(',', map { $_->{OccurrenceIndex} } @{ $g->{RecurrenceOccurrences} }),
         '7,0,1,2,3,4,5,6,8', 'daily occurrences of the range, 7 moved');

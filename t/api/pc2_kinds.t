# PlanCare2: the other client appointment kinds (Action, ArrangementProductAct,
# Agreement, Subscription, Intervention, PCD contract), each with its
# create, get (with occurrences), change, list and delete routes, in the
# client's group calendar and feed as its own type; their rules.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my $base = '/PlanCare2Api';
my $CLIENT = 7301;

# Each kind: its collection, change route, type name and own members.
my @kinds = (
    { coll => 'ActionAppointments', change => 'ChangeOfActionAppointments',
      type => 'ActionAppointment', own => { ActionIds => [5, 3] },
      key => 'ActionIds' },
    { coll => 'ArrangementProductActAppointments',
      change => 'ChangeOfArrangementProductActAppointments',
      type => 'ArrangementProductActAppointment',
      own => { ArrangementProductActIds => [11] },
      key => 'ArrangementProductActIds' },
    { coll => 'AgreementAppointments', change => 'ChangeOfAgreementAppointments',
      type => 'AgreementAppointment', own => { AgreementId => 42 },
      key => 'AgreementId' },
    { coll => 'subscriptionappointments',
      change => 'ChangeOfSubscriptionAppointments',
      type => 'SubscriptionAppointment', own => {}, key => undef },
    { coll => 'InterventionAppointments',
      change => 'ChangeOfInterventionAppointments',
      type => 'InterventionAppointment',
      own => { InterventionId => '6d8b7697-d439-4e6e-9773-52e40081b837' },
      key => 'InterventionId' },
    { coll => 'PCDContractAppointments',
      change => 'ChangeOfPCDContractAppointments',
      type => 'PCDContractAppointment',
      own => { ContractId => 1, ProductId => 2, ProjectId => 'm1-home care' },
      key => 'ProjectId' },
);

plan tests => 14 * @kinds + 11;

my %common = (
    ClientId => $CLIENT, ClientName => 'Kim Jansen', EmployeeId => 5,
    Title => 'Visit', Remarks => 'r', Location => 'home',
    MovesToNextDay => JSON::PP::false, IsAllDay => JSON::PP::false,
);

my $day = 10;
my %ids;
for my $k (@kinds) {
    my $n = $k->{type};
    my %body = (%common, %{ $k->{own} },
                Start => "2026-10-${day}T09:00:00+02:00",
                End => "2026-10-${day}T10:00:00+02:00",
                RecurrenceInfo => {
                    Range => 1, OccurrenceCount => 3, Interval => 0,
                    Periodicity => 1,
                    RecurrenceStart => "2026-10-${day}T09:00:00+02:00" });
    $day += 3;
    my $res = req_json('POST', "$base/ClientAppointments/$k->{coll}", \%body);
    ok t_cmp($res->code, 200, "POST $k->{coll}");
    my $a = json_of($res) || {};
    my $id = $a->{Id} // 0;
    $ids{$n} = $id;
    ok t_cmp($res->header('Location') // '',
             qr{/ClientAppointments/\Q$k->{coll}\E/$id$}i, "$n: Location");
    if ($k->{key}) {
        ok t_cmp($JSON->encode($a->{ $k->{key} }),
                 $JSON->encode($k->{own}{ $k->{key} }), "$n: $k->{key} kept");
    }
    else {
        ok t_cmp(json_keys($a) =~ /ContractId|ActionIds|AgreementId/ ? 1 : 0, 0,
                 "$n: no other kind's members");
    }

    # Get with occurrences, in JSON and XML.
    $res = req('GET', "$base/ClientAppointments/$k->{coll}/$id"
               . "?occurrenceRangeFrom=2026-10-01&occurrenceRangeUntil=2026-11-30");
    ok t_cmp($res->code, 200, "$n: GET");
    $a = json_of($res) || {};
    ok t_cmp(scalar @{ $a->{RecurrenceOccurrences} // [] }, 3,
             "$n: three occurrences");
    ok t_cmp($a->{FriendlyRecurrenceInfo} // '', qr/3 times/,
             "$n: generated description");
    my $etag = $res->header('ETag');
    $res = req('GET', "$base/ClientAppointments/$k->{coll}/$id",
               accept => 'application/xml');
    my $doc = xml_of($res);
    ok t_cmp($doc ? $doc->documentElement->localname : '', $n,
             "$n: XML root");

    # The kind is its own: another kind's route does not see it.
    my $other = $k->{coll} eq 'ActionAppointments' ? 'AgreementAppointments'
                                                   : 'ActionAppointments';
    $res = req('GET', "$base/ClientAppointments/$other/$id");
    ok t_cmp($res->code, 404, "$n: not a $other");

    # Change: If-Match, members replaced.
    my %chg = (%body, Id => $id, Title => 'Visit (moved)');
    $res = req_json('POST', "$base/ClientAppointments/$k->{change}", \%chg,
                    headers => ['If-Match' => '"0"']);
    ok t_cmp($res->code, 412, "$n: change with a stale If-Match");
    $res = req_json('POST', "$base/ClientAppointments/$k->{change}", \%chg,
                    headers => ['If-Match' => $etag]);
    ok t_cmp($res->code, 200, "$n: change");
    ok t_cmp((json_of($res) || {})->{Title} // '', 'Visit (moved)',
             "$n: changed title");

    # A missing own member is a 400 in the PlanCare2 shape.
    my %bad = (%body);
    my $need = $k->{key} // 'ClientId';
    delete $bad{$need};
    $res = req_json('POST', "$base/ClientAppointments/$k->{coll}", \%bad);
    my $err = json_of($res) || {};
    ok t_cmp($res->code, 400, "$n: without $need");
    my $keys = join(',', keys %{ $err->{ModelState} // {} });
    is_true(index($keys, $need) >= 0, "$n: ModelState names $need ($keys)");

    # The kind's own list.
    $res = req('GET', "$base/ClientAppointments/$k->{coll}?clientIds[0]=$CLIENT"
               . "&dateFrom=2026-10-01&dateUntil=2026-12-01");
    my $list = json_of($res) || [];
    ok t_cmp(join(',', map { $_->{Id} } @$list), $id,
             "$n: its list holds it alone");
}

# A bad GUID.
my $res = req_json('POST', "$base/ClientAppointments/InterventionAppointments",
                   { %common, InterventionId => 'not-a-guid',
                     Start => '2026-10-01T09:00:00+02:00',
                     End => '2026-10-01T10:00:00+02:00' });
ok t_cmp($res->code, 400, 'InterventionId must be a GUID');

# The client's group calendar holds every kind, each as its own type.
$res = req('GET', "$base/Appointments?clientIds[0]=$CLIENT"
           . "&dateFrom=2026-10-01&dateUntil=2026-12-01");
ok t_cmp($res->code, 200, 'GET Appointments');
my $group = json_of($res) || [];
# Flat Appointment items: one per occurrence of each kind's series.
my %occ;
$occ{ $_->{ParentPlannedItemId} // 0 }++ for @$group;
ok t_cmp(join(',', map { $occ{ $ids{ $_->{type} } } // 0 } @kinds),
         join(',', map { 3 } @kinds),
         'every kind in the client\'s group calendar (3 occurrences each)');
$res = req('GET', "$base/Appointments?clientIds[0]=$CLIENT"
           . "&dateFrom=2026-10-01&dateUntil=2026-12-01",
           accept => 'application/xml');
my $doc = xml_of($res);
ok t_cmp($doc ? scalar(() = $doc->documentElement->getChildrenByTagName('Appointment')) : 0,
         3 * @kinds, 'and in XML');

# And the client's feed (text/calendar of the group calendar).
$res = req('GET', "$base/Appointments?clientIds[0]=$CLIENT"
           . "&dateFrom=2026-10-01&dateUntil=2026-12-01",
           accept => 'text/calendar');
ok t_cmp($res->code, 200, 'the group calendar as text/calendar');
my $ics = $res->decoded_content // '';
my $n = () = $ics =~ /^BEGIN:VEVENT/mg;
ok t_cmp($n, scalar(@kinds), 'one VEVENT (series) per kind');

# The client's feed for calendar programs holds every kind too.
$res = req('GET', "$base/Feeds/Clients/$CLIENT.ics?from=2026-10-01&until=2026-11-30");
ok t_cmp($res->code, 200, 'the client\'s feed');
$n = () = ($res->decoded_content // '') =~ /^BEGIN:VEVENT/mg;
ok t_cmp($n, scalar(@kinds), 'one VEVENT (series) per kind in the feed');

# Only the client calendar's grant reaches the kinds.
$res = req('GET', "$base/ClientAppointments/ActionAppointments/$ids{ActionAppointment}",
           user => 'teamplanner');
ok t_cmp($res->code, 403, 'a team planner may not read an action appointment');
$res = req('GET', "$base/ClientAppointments/ActionAppointments/$ids{ActionAppointment}",
           user => 'clientplanner');
ok t_cmp($res->code, 200, 'a client planner may');

# Delete.
$res = req('DELETE', "$base/ClientAppointments/AgreementAppointments/$ids{AgreementAppointment}");
ok t_cmp($res->code, 204, 'DELETE an agreement appointment');

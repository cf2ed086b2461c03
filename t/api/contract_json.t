# PlanCare2 ContractAppointments in JSON: create, read, list, change,
# delete, with seed 002's sample verbatim.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 44;

my $base = '/PlanCare2Api/ClientAppointments';
my $sample_text = seed('seed002_ContractAppointment.json');
my $sample = seed_json('seed002_ContractAppointment.json');

# --- create with the seed sample verbatim
my $res = req('POST', "$base/ContractAppointments", body => $sample_text,
              type => 'application/json');
ok t_cmp($res->code, 200, 'POST seed 002 JSON verbatim is accepted');
ok t_cmp($res->header('Content-Type'), qr{^application/json; charset=utf-8},
         'answered in JSON');
my $c = json_of($res);
is_true($c && $c->{Id} && $c->{Id} =~ /^\d+$/ && $c->{Id} != 18,
        'the new Id is the server\'s');
ok t_cmp($res->header('Location'),
         qr{/PlanCare2Api/ClientAppointments/ContractAppointments/$c->{Id}$},
         'Location names the new appointment');
my $id = $c->{Id};

# --- read it back
$res = req('GET', "$base/ContractAppointments/$id");
ok t_cmp($res->code, 200, 'GET by id');
my $g = json_of($res);
ok t_cmp(json_keys($g), json_keys($sample), 'GET has the key set of seed 002');
ok t_cmp(join(',', @{[ $res->decoded_content =~ /"(\w+)":/g ]}[0..4]),
         'ContractId,ProductId,ProductName,ContractLineId,CareTrajectId',
         'members in the order of the sample');
for my $k (qw(Start End)) {
    ok t_cmp($g->{$k}, $sample->{$k}, "$k round-trips exactly");
}
for my $k (qw(ContractId ProductId ProductName CareTrajectId
              DOTLocationId WorkTypeId ProjectId ProjectName ClientId
              ClientName EmployeeId EmployeeName EmploymentId Title Remarks
              Location ShiftId)) {
    ok t_cmp($g->{$k}, $sample->{$k}, "$k stored and returned");
}
# Deprecated members, as the API's page says: ContractLineId is no longer
# in use, ContractOfServiceId mirrors EmploymentId.
is_true(!defined $g->{ContractLineId}, 'ContractLineId is not in use');
ok t_cmp($g->{ContractOfServiceId}, $g->{EmploymentId},
         'ContractOfServiceId mirrors EmploymentId');
$res = req_json('POST', "$base/ContractAppointments",
                { %$sample, EmploymentId => undef, ContractOfServiceId => 77 });
ok t_cmp(json_of($res)->{EmploymentId}, 77,
         'ContractOfServiceId alone sets EmploymentId');
ok t_cmp($g->{MovesToNextDay} ? 1 : 0, 1, 'MovesToNextDay');
ok t_cmp($g->{IsAllDay} ? 1 : 0, 1, 'IsAllDay');
# Read-only members are set by the server, never taken from the client.
ok t_cmp($g->{CreatedByName}, 'tester', 'CreatedByName is the authenticated user');
ok t_cmp($g->{Status}, 0, 'Status is Created');
is_true(!defined $g->{StatusChangedByName} && !defined $g->{Reason},
        'StatusChangedByName and Reason are not taken from the body');
ok t_cmp($res->header('ETag'), qr/^"v1-json"$/, 'strong ETag of version 1');

# --- list by client and range
my $list = json_of(req('GET', "$base/ContractAppointments?clientIds[0]=6"
                       . "&dateFrom=2026-05-26T00:00:00%2B02:00"
                       . "&dateUntil=2026-05-27T00:00:00%2B02:00"));
is_true(ref $list eq 'ARRAY' && grep({ $_->{Id} == $id } @$list),
        'listed for its client and range');
$list = json_of(req('GET', "$base/ContractAppointments?clientIds[0]=999"
                    . "&dateFrom=2026-05-26&dateUntil=2026-05-27"));
ok t_cmp(scalar @$list, 0, 'another client sees nothing');

# --- change
my %changed = (%$sample, Id => $id, Title => 'changed title',
               RecurrenceInfo => undef,
               Start => '2026-06-01T10:00:00+02:00',
               End => '2026-06-01T11:00:00+02:00');
$res = req_json('POST', "$base/ChangeOfContractAppointments", \%changed);
ok t_cmp($res->code, 200, 'ChangeOfContractAppointments');
$g = json_of(req('GET', "$base/ContractAppointments/$id"));
ok t_cmp($g->{Title}, 'changed title', 'the change is stored');
ok t_cmp($g->{Start}, '2026-06-01T10:00:00+02:00', 'new Start');

$res = req_json('POST', "$base/ChangeOfContractAppointments",
                { %changed, Id => 987654321 });
ok t_cmp($res->code, 404, 'change of an unknown Id is 404');

# --- delete
$res = req('DELETE', "$base/ContractAppointments/$id");
ok t_cmp($res->code, 204, 'DELETE');
$res = req('GET', "$base/ContractAppointments/$id");
ok t_cmp($res->code, 404, 'gone after DELETE');
ok t_cmp(json_of($res)->{Message}, qr/No appointment/, 'ASP.NET error shape');

# Bad input of every kind gets a clear 4xx in the dialect's shape and
# leaves the store unchanged.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my $base = '/PlanCare2Api/ClientAppointments';
my $json = seed_json('seed002_ContractAppointment.json');
my $xml = seed('seed002_ContractAppointment.xml');

# One good appointment, so that "unchanged" means something.
my $res = req_json('POST', "$base/ContractAppointments", $json);
my $id = json_of($res)->{Id};

my $big = 'x' x 5000;
my $laughs = <<'X';
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ContractAppointment xmlns="http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface.Calendar.Client"><ClientId>&lol4;</ClientId></ContractAppointment>
X
(my $xxe = $xml) =~ s{^<ContractAppointment }{<!DOCTYPE ContractAppointment [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ContractAppointment };
$xxe =~ s{sample string 3}{&x;};

my @cases = (
    # [name, method, path, %opts, expected status, body check]
    ['malformed JSON', 'POST', "$base/ContractAppointments",
     { body => '{"Start": ', type => 'application/json' }, 400],
    ['trailing garbage', 'POST', "$base/ContractAppointments",
     { body => seed('seed002_ContractAppointment.json') . 'x',
       type => 'application/json' }, 400],
    ['JSON array at top', 'POST', "$base/ContractAppointments",
     { body => '[]', type => 'application/json' }, 400],
    ['malformed XML', 'POST', "$base/ContractAppointments",
     { body => '<ContractAppointment><Start>', type => 'application/xml' }, 400],
    ['XXE document', 'POST', "$base/ContractAppointments",
     { body => $xxe, type => 'application/xml' }, 400],
    ['billion laughs', 'POST', "$base/ContractAppointments",
     { body => $laughs, type => 'text/xml' }, 400],
    ['wrong XML root', 'POST', "$base/ContractAppointments",
     { body => '<Foo/>', type => 'application/xml' }, 400],
    ['wrong types', 'POST', "$base/ContractAppointments",
     { body => $JSON->encode({ %$json, Start => 5, ClientId => 'six' }),
       type => 'application/json' }, 400, qr/appointment\.Start.*appointment\.ClientId|appointment\.ClientId.*appointment\.Start/s],
    ['End before Start', 'POST', "$base/ContractAppointments",
     { body => $JSON->encode({ %$json, End => '2026-05-26T20:00:00+02:00' }),
       type => 'application/json' }, 400, qr/"appointment\.End"/],
    ['missing required fields, all listed', 'POST', "$base/ContractAppointments",
     { body => '{"Location": "x"}', type => 'application/json' }, 400,
     qr/(?=.*appointment\.Start)(?=.*appointment\.End)(?=.*appointment\.Title)(?=.*appointment\.ClientId)(?=.*appointment\.ContractId)(?=.*appointment\.ProductId)(?=.*appointment\.MovesToNextDay)(?=.*appointment\.IsAllDay)/s],
    ['bad date', 'POST', "$base/ContractAppointments",
     { body => $JSON->encode({ %$json, Start => '2026-02-30T10:00:00Z' }),
       type => 'application/json' }, 400, qr/appointment\.Start/],
    ['integer overflow', 'POST', "$base/ContractAppointments",
     { body => '{"ClientId": 99999999999999999999999}', type => 'application/json' }, 400],
    ['oversized body', 'POST', '/SmallBody/ClientAppointments/ContractAppointments',
     { body => $JSON->encode({ %$json, Remarks => $big }),
       type => 'application/json', user => undef }, 413],
    ['unsupported media type', 'POST', "$base/ContractAppointments",
     { body => 'hello', type => 'text/plain' }, 415],
    ['no acceptable format', 'GET', "$base/ContractAppointments/$id",
     { accept => 'text/html' }, 406],
    ['unknown route', 'GET', "$base/NoSuchThing", {}, 404],
    ['wrong method', 'PUT', "$base/ContractAppointments/$id", {}, 405],
    ['id out of range', 'GET', "$base/ContractAppointments/99999999999999999999", {}, 400],
    ['id not a number', 'GET', "$base/ContractAppointments/abc", {}, 400],
    ['negative id', 'DELETE', "$base/ContractAppointments/-1", {}, 400],
    ['list without dates', 'GET', "$base/ContractAppointments?clientIds[0]=6", {}, 400,
     qr/dateFrom/],
    ['change without Id', 'POST', "$base/ChangeOfContractAppointments",
     { body => $JSON->encode({ %$json, Id => undef }), type => 'application/json' }, 400,
     qr/appointment\.Id/],
    ['stale If-Match', 'DELETE', "$base/ContractAppointments/$id",
     { headers => ['If-Match' => '"v7-json"'] }, 412],
);

plan tests => 3 * @cases + 3;

for my $c (@cases) {
    my ($name, $method, $path, $o, $status, $check) = @$c;
    my $before = db_snapshot();
    my $r = req($method, $path, %$o);
    ok t_cmp($r->code, $status, "$name: $status");
    my $body = $r->decoded_content // '';
    my $shape = json_of($r);
    is_true($shape && defined $shape->{Message}
            && (!$check || $body =~ $check), "$name: ASP.NET error body")
        or print "# body: $body\n";
    ok t_cmp(db_snapshot(), $before, "$name: store unchanged");
}

$res = req('PUT', "$base/ContractAppointments/$id");
ok t_cmp($res->header('Allow'), qr/GET/, '405 carries Allow');
ok t_cmp(db_snapshot(), qr/^\d+:1/, 'the good appointment is intact');
is_true(req('GET', "$base/ContractAppointments/$id")->decoded_content
        !~ /root:/, 'no external entity was ever loaded');

# ETags of single appointments (PlanCare2 ContractAppointments): strong,
# one per version and format, new with every change; If-Match on change
# and delete (412 in the dialect's error shape, store untouched), with
# lists and "*" (412 also when the appointment does not exist); If-Match
# and If-None-Match on GET and HEAD (412, 304 with ETag and Vary; lists,
# weak comparison).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 97;

my $base = '/PlanCare2Api/ClientAppointments';
my $one = "$base/ContractAppointments";
my $change = "$base/ChangeOfContractAppointments";
# Seed 002 as a single (not recurring) appointment.
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

my $res = req_json('POST', $one, $sample);
ok t_cmp($res->code, 200, 'create');
my $id = json_of($res)->{Id};
ok t_cmp($res->header('ETag'), '"v1-json"', 'create answers with the ETag of version 1');

# --- GET: strong, per format, stable
$res = req('GET', "$one/$id");
my $etag = $res->header('ETag');
ok t_cmp($etag, qr/^"[^"]+"$/, 'GET carries a strong ETag (no W/)');
ok t_cmp($etag, '"v1-json"', 'the ETag names version 1 in JSON');
ok t_cmp(req('GET', "$one/$id")->header('ETag'), $etag,
         'the same version gives the same ETag');
my $xres = req('GET', "$one/$id", accept => 'application/xml');
ok t_cmp($xres->header('ETag'), '"v1-xml"', 'XML has an ETag of its own');
ok t_cmp($res->header('Vary') // '', qr/Accept/, 'Vary: Accept');

# --- If-None-Match
$res = req('GET', "$one/$id", headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 304, 'If-None-Match with the current ETag: 304');
ok t_cmp($res->header('ETag'), $etag, '304 carries the ETag');
ok t_cmp(length($res->content // ''), 0, '304 has no body');
$res = req('GET', "$one/$id", headers => ['If-None-Match' => "W/$etag"]);
ok t_cmp($res->code, 304, 'If-None-Match compares weakly (W/ matches)');
$res = req('GET', "$one/$id",
           headers => ['If-None-Match' => qq{"v999-json", $etag}]);
ok t_cmp($res->code, 304, 'If-None-Match with a list that holds it: 304');
$res = req('GET', "$one/$id", headers => ['If-None-Match' => '*']);
ok t_cmp($res->code, 304, 'If-None-Match: * on an existing one: 304');
$res = req('GET', "$one/$id", headers => ['If-None-Match' => '"v1-xml"']);
ok t_cmp($res->code, 200, 'the XML ETag does not match the JSON representation');
$res = req('GET', "$one/$id", headers => ['If-None-Match' => '"v2-json"']);
ok t_cmp($res->code, 200, 'another version: 200');
ok t_cmp(json_of($res) && json_of($res)->{Id}, $id, '... with the body');

# --- every change gives a new ETag
my %body = (%$sample, Id => $id);
my %seen = ($etag => 1);
my $prev = 1;
my $all_new = 1;
my $increasing = 1;
for my $i (1 .. 5) {
    $res = req_json('POST', $change, { %body, Title => "change $i" });
    my $e = $res->header('ETag') // '';
    $all_new = 0 if $res->code != 200 || $seen{$e}++;
    my ($v) = $e =~ /^"v(\d+)-json"$/;
    $increasing = 0 unless $v && $v == $prev + 1;
    $prev = $v // 0;
}
is_true($all_new, 'five changes: five new ETags');
is_true($increasing, 'the version in the ETag goes up by one per change');
$res = req('GET', "$one/$id");
ok t_cmp($res->header('ETag'), '"v6-json"', 'GET shows the last one');
$res = req('GET', "$one/$id", headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 200, 'the first ETag no longer matches: 200');
ok t_cmp(json_of($res)->{Title}, 'change 5', '... with the current body');

# --- If-Match on change
$res = req_json('POST', $change, { %body, Title => 'with If-Match' },
                headers => ['If-Match' => '"v6-json"']);
ok t_cmp($res->code, 200, 'change with the current ETag: 200');
ok t_cmp($res->header('ETag'), '"v7-json"', '... and the next ETag');
ok t_cmp(req('GET', "$one/$id")->header('ETag'), '"v7-json"',
         'GET agrees');

my @stale = (
    ['an old ETag', '"v6-json"'],
    ['a weak ETag of the current version', 'W/"v7-json"'],
    ['something that is no ETag of ours', '"abc"'],
    ['a future version', '"v8-json"'],
);
for my $s (@stale) {
    my ($name, $h) = @$s;
    my $before = db_snapshot();
    $res = req_json('POST', $change, { %body, Title => 'must not land' },
                    headers => ['If-Match' => $h]);
    ok t_cmp($res->code, 412, "change with If-Match of $name: 412");
    my $err = json_of($res);
    is_true($err && defined $err->{Message}
            && $res->header('Content-Type') =~ m{^application/json},
            "$name: ASP.NET error body in JSON");
    ok t_cmp(db_snapshot(), $before, "$name: store unchanged");
}
$res = req_json('POST', $change, { %body, Title => 'must not land' },
                accept => 'application/xml',
                headers => ['If-Match' => '"v1-json"']);
ok t_cmp($res->code, 412, 'stale If-Match, answer in XML: 412');
my $doc = xml_of($res);
is_true($doc && $doc->documentElement->localname eq 'Error'
        && $doc->documentElement->textContent =~ /changed/,
        '... as <Error><Message> in XML');
$res = req('GET', "$one/$id");
ok t_cmp(json_of($res)->{Title}, 'with If-Match', 'no 412 changed anything');

$res = req_json('POST', $change, { %body, Title => 'star' },
                headers => ['If-Match' => '*']);
ok t_cmp($res->code, 200, 'If-Match: * on an existing one: 200');
ok t_cmp($res->header('ETag'), '"v8-json"', '... version 8');
$res = req_json('POST', $change, { %body, Title => 'xml etag' },
                headers => ['If-Match' => '"v8-xml"']);
ok t_cmp($res->code, 200,
         'If-Match with the XML ETag of the current version: 200 (same version)');

# --- If-Match on delete
my $before = db_snapshot();
$res = req('DELETE', "$one/$id", headers => ['If-Match' => '"v8-json"']);
ok t_cmp($res->code, 412, 'delete with a stale ETag: 412');
is_true(json_of($res) && defined json_of($res)->{Message},
        '... in the ASP.NET error shape');
ok t_cmp(db_snapshot(), $before, '... store unchanged');
ok t_cmp(req('GET', "$one/$id")->code, 200, '... still there');
$res = req('DELETE', "$one/$id", headers => ['If-Match' => '"v9-json"']);
ok t_cmp($res->code, 204, 'delete with the current ETag: 204');
$res = req('DELETE', "$one/$id", headers => ['If-Match' => '"v9-json"']);
ok t_cmp($res->code, 412,
         'delete with If-Match of one that is gone: 412 (no current representation)');
$res = req('DELETE', "$one/$id");
ok t_cmp($res->code, 404, 'delete without If-Match of one that is gone: 404');

# --- If-Match with a list: met when any strong tag names the current
# version, in any format; W/ tags never match (RFC 9110, 13.1.1)
$res = req_json('POST', $one, $sample);
my $id2 = json_of($res)->{Id};
my %body2 = (%$sample, Id => $id2);
$res = req_json('POST', $change, { %body2, Title => 'list 1' },
                headers => ['If-Match' => '"v7-json", "v1-json"']);
ok t_cmp($res->code, 200, 'If-Match list with the current version second: 200');
ok t_cmp($res->header('ETag'), '"v2-json"', '... version 2');
$res = req_json('POST', $change, { %body2, Title => 'list 2' },
                headers => ['If-Match' => '"v1-xml","v2-xml"']);
ok t_cmp($res->code, 200, 'If-Match list without spaces, XML tags: 200');
ok t_cmp($res->header('ETag'), '"v3-json"', '... version 3');
for my $s (['versions that are not current', '"v1-json", "v2-json", "v4-json"'],
           ['the current version only as a weak tag', 'W/"v3-json", "v9-json"'],
           ['tags that are none of ours', '"abc", "v3", "v03-json"'],
           ['an unterminated tag', '"v3-json']) {
    my ($name, $h) = @$s;
    my $before2 = db_snapshot();
    $res = req_json('POST', $change, { %body2, Title => 'must not land' },
                    headers => ['If-Match' => $h]);
    ok t_cmp($res->code, 412, "If-Match list of $name: 412");
    ok t_cmp(db_snapshot(), $before2, "$name: store unchanged");
}
$res = req('GET', "$one/$id2");
ok t_cmp(json_of($res)->{Title}, 'list 2', 'only the matching changes landed');

# --- If-Match on GET: evaluated before If-None-Match
$res = req('GET', "$one/$id2", headers => ['If-Match' => '"v2-json", "v3-json"']);
ok t_cmp($res->code, 200, 'GET with If-Match naming the current version: 200');
$res = req('GET', "$one/$id2", headers => ['If-Match' => '*']);
ok t_cmp($res->code, 200, 'GET with If-Match: *: 200');
$res = req('GET', "$one/$id2", headers => ['If-Match' => '"v2-json"']);
ok t_cmp($res->code, 412, 'GET with a stale If-Match: 412');
ok t_cmp($res->header('ETag'), undef, '... without an ETag');
ok t_cmp($res->header('Vary') // '', qr/Accept/, '... with Vary: Accept');
$res = req('GET', "$one/$id2", headers => ['If-Match' => '"v2-json"',
                                           'If-None-Match' => '"v3-json"']);
ok t_cmp($res->code, 412, 'stale If-Match wins over a matching If-None-Match');

# --- If-None-Match: lists, weak tags, 304 with ETag and Vary
$res = req('GET', "$one/$id2", headers => ['If-None-Match' => '"v3-json"']);
ok t_cmp($res->code, 304, '304 for the current version');
ok t_cmp($res->header('ETag'), '"v3-json"', '304 carries the ETag');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '304 carries Vary: Accept');
ok t_cmp($res->header('Content-Type'), undef, '304 has no Content-Type');
$res = req('GET', "$one/$id2", headers => ['If-None-Match' => 'W/"x",W/"v3-json"']);
ok t_cmp($res->code, 304, 'a list of weak tags without spaces: 304');
$res = req('GET', "$one/$id2",
           headers => ['If-None-Match' => '"v1-json", W/"v2-json", "v3-xml"']);
ok t_cmp($res->code, 200, 'a list without the current tag: 200');
ok t_cmp($res->header('ETag'), '"v3-json"', '... with the ETag');
$res = req('GET', "$one/$id2", accept => 'application/xml',
           headers => ['If-None-Match' => '"v1-json", W/"v3-xml"']);
ok t_cmp($res->code, 304, 'XML: the weak XML tag in a list: 304');
ok t_cmp($res->header('ETag'), '"v3-xml"', '... the XML ETag');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '... and Vary: Accept');
$res = req('GET', "$one/$id2", headers => ['If-None-Match' => '"v3-json']);
ok t_cmp($res->code, 200, 'an unterminated tag is no match: 200');
$res = req('HEAD', "$one/$id2", headers => ['If-None-Match' => 'W/"v3-json"']);
ok t_cmp($res->code, 304, 'HEAD with If-None-Match: 304');
$res = req('HEAD', "$one/$id2");
ok t_cmp($res->code . ' ' . ($res->header('ETag') // '') . ' '
         . length($res->content // ''), '200 "v3-json" 0',
         'HEAD: 200, the ETag, no body');

# --- Xelion PATCH (one id space) with an If-Match list
my $xel = "/api/v1/master/appointments/$id2";
my $ops = '{"operations": [{"op": "replace", "path": "/subject", "value": "x"}]}';
$res = req('PATCH', $xel, body => $ops, type => 'application/json',
           headers => ['If-Match' => '"v1-json", "v2-json"']);
ok t_cmp($res->code, 412, 'Xelion PATCH with a stale If-Match list: 412');
ok t_cmp((json_of($res) // {})->{errorCode}, 10202, '... errorCode 10202');
$res = req('PATCH', $xel, body => $ops, type => 'application/json',
           headers => ['If-Match' => '"v2-json", "v3-json"']);
ok t_cmp($res->code, 204, 'Xelion PATCH with the current version in a list: 204');
ok t_cmp($res->header('ETag'), '"v4-json"', '... version 4');

# --- If-Match: * (or any If-Match) on something that does not exist: 412
$res = req('DELETE', "$one/$id2", headers => ['If-Match' => '"v3-json", "v4-json"']);
ok t_cmp($res->code, 204, 'delete with the current version in a list: 204');
for my $c (['DELETE of one that is gone', sub {
                req('DELETE', "$one/$id2", headers => ['If-Match' => '*']) }],
           ['DELETE of one that never was', sub {
                req('DELETE', "$one/987654321", headers => ['If-Match' => '*']) }],
           ['a change of one that is gone', sub {
                req_json('POST', $change, { %body2, Title => 'gone' },
                         headers => ['If-Match' => '*']) }],
           ['Xelion PATCH of one that is gone', sub {
                req('PATCH', $xel, body => $ops, type => 'application/json',
                    headers => ['If-Match' => '*']) }]) {
    my ($name, $call) = @$c;
    my $before2 = db_snapshot();
    $res = $call->();
    ok t_cmp($res->code, 412, "If-Match: * on $name: 412");
    ok t_cmp(db_snapshot(), $before2, "$name: store unchanged");
}
$res = req('DELETE', "$one/$id2");
ok t_cmp($res->code, 404, 'without If-Match: still 404');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '... with Vary: Accept');
$res = req('GET', "$one/$id2", headers => ['If-Match' => '*']);
ok t_cmp($res->code, 404, 'GET with If-Match: * of one that is gone: 404');

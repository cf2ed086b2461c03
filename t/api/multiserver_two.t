# Several servers, one database: two httpd instances of their own (the
# suite's configuration on two other ports, see AM::Instance) on the
# database of the backend the suite runs on (AM_TEST_BACKEND; with pgsql
# the set-up docs/scaling.md describes).  A write through one is read
# through the other at once; ETags and If-Match hold across servers.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use HTTP::Request;
use AM::Test;
use AM::Instance;

my $CLIENTS = 8;
my $WRITES = 10;    # per client in the read-your-write check

plan tests => 23;

my $base = '/PlanCare2Api/ClientAppointments';
my $one = "$base/ContractAppointments";
my $change = "$base/ChangeOfContractAppointments";
# Seed 002 as a single (not recurring) appointment.
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

my $A = AM::Instance->new('a')->start;
my $B = AM::Instance->new('b')->start;
ok t_cmp($A->port != $B->port, 1, 'two servers on two ports');
is_true(scalar($A->pids) >= 2 && scalar($B->pids) >= 2
        && !grep({ my $p = $_; grep { $_ == $p } $B->pids } $A->pids),
        'two separate httpd process trees');

my $ua = AM::Instance::ua();
sub call {
    my ($srv, $method, $path, $body, @h) = @_;
    my $r = HTTP::Request->new($method, $srv->url($path),
        [AM::Instance::auth(), 'Content-Type' => 'application/json', @h],
        defined $body ? $JSON->encode($body) : undef);
    return $ua->request($r);
}

# --- write through A, read through B at once
my $res = call($A, 'POST', $one, { %$sample, Title => 'written on A',
                                   ClientId => 4242 });
ok t_cmp($res->code, 200, 'create through A');
my $id = json_of($res)->{Id};
my $etag = $res->header('ETag');
$res = call($B, 'GET', "$one/$id");
ok t_cmp($res->code, 200, 'read through B at once');
ok t_cmp(json_of($res)->{Title}, 'written on A', 'B sees what A wrote');
ok t_cmp($res->header('ETag'), $etag, 'with the same ETag');
my $list = json_of(call($B, 'GET', "$one?clientIds[0]=4242"
                        . '&dateFrom=2026-05-26&dateUntil=2026-05-28'));
is_true(ref $list eq 'ARRAY' && grep({ $_->{Id} == $id } @$list),
        'B lists it for its client');
ok t_cmp(req('GET', "$one/$id")->code, 200,
         'the suite\'s own server (a third) reads it too');

# --- change through B with A's ETag, read through A
$res = call($B, 'POST', $change, { %$sample, Id => $id, ClientId => 4242,
                                   Title => 'changed on B' },
            'If-Match' => $etag);
ok t_cmp($res->code, 200, 'change through B with the ETag A gave');
my $etag2 = $res->header('ETag');
$res = call($A, 'GET', "$one/$id");
ok t_cmp(json_of($res)->{Title}, 'changed on B', 'A reads B\'s change at once');
ok t_cmp($res->header('ETag'), $etag2, '... and its ETag');
$res = call($A, 'GET', "$one/$id", undef, 'If-None-Match' => $etag);
ok t_cmp($res->code, 200, 'A: the old ETag no longer matches');
$res = call($A, 'GET', "$one/$id", undef, 'If-None-Match' => $etag2);
ok t_cmp($res->code, 304, 'A: B\'s ETag matches (304)');
$res = call($A, 'POST', $change, { %$sample, Id => $id, ClientId => 4242,
                                   Title => 'lost update' },
            'If-Match' => $etag);
ok t_cmp($res->code, 412, 'A refuses a change based on the version before B\'s');
ok t_cmp(json_of(call($B, 'GET', "$one/$id"))->{Title}, 'changed on B',
         '... nothing of it landed');

# --- the same If-Match through both servers at once: one wins
$res = call($A, 'GET', "$one/$id");
my $cur = $res->header('ETag');
my @res = AM::Instance::run_clients($CLIENTS, sub {
    my $k = shift;
    my $srv = $k % 2 ? $B : $A;
    my $cua = AM::Instance::ua();
    $cua->get($srv->url("$one/$id"), AM::Instance::auth());    # connect
    my $r = HTTP::Request->new('POST', $srv->url($change),
        [AM::Instance::auth(), 'Content-Type' => 'application/json',
         'If-Match' => $cur],
        $JSON->encode({ %$sample, Id => $id, ClientId => 4242,
                        Title => "race $k" }));
    return sub { $cua->request($r)->code };
});
ok t_cmp(scalar(grep { $_ eq '200' } @res), 1,
         "$CLIENTS clients on two servers, one If-Match: exactly one wins")
    or print "# @res\n";
ok t_cmp(scalar(grep { $_ eq '412' } @res), $CLIENTS - 1,
         '... every other gets 412') or print "# @res\n";
my ($w) = grep { $res[$_] eq '200' } 0 .. $#res;
$w //= -1;
is_true(json_of(call($A, 'GET', "$one/$id"))->{Title} eq "race $w"
        && json_of(call($B, 'GET', "$one/$id"))->{Title} eq "race $w",
        'both servers show the winner\'s change');

# --- read-your-write across servers, under concurrent load: each client
# writes through one server and reads through the other at once.
@res = AM::Instance::run_clients($CLIENTS, sub {
    my $k = shift;
    my ($w_srv, $r_srv) = $k % 2 ? ($A, $B) : ($B, $A);
    my $cua = AM::Instance::ua();
    return sub {
        my ($ok, $bad) = (0, '');
        for my $i (1 .. $WRITES) {
            my $title = "client $k write $i";
            my $r = $cua->request(HTTP::Request->new('POST',
                $w_srv->url($one),
                [AM::Instance::auth(), 'Content-Type' => 'application/json'],
                $JSON->encode({ %$sample, Title => $title })));
            my $nid = eval { $JSON->decode($r->decoded_content)->{Id} };
            if ($r->code != 200 || !$nid) {
                $bad ||= "create: " . $r->code;
                next;
            }
            my $g = $cua->get($r_srv->url("$one/$nid"), AM::Instance::auth());
            my $t = eval { $JSON->decode($g->decoded_content)->{Title} };
            if ($g->code == 200 && defined $t && $t eq $title) {
                $ok++;
            }
            else {
                $bad ||= "read of $nid: " . $g->code;
            }
        }
        return "$ok $bad";
    };
});
my $total = 0;
for (@res) { $total += $1 if /^(\d+) / }
ok t_cmp($total, $CLIENTS * $WRITES, "$CLIENTS clients x $WRITES writes:"
         . ' every write read back through the other server at once')
    or print "# @res\n";

# --- delete through A: gone for B and the suite's server
$res = call($A, 'DELETE', "$one/$id", undef,
            'If-Match' => call($B, 'GET', "$one/$id")->header('ETag'));
ok t_cmp($res->code, 204, 'delete through A with B\'s ETag');
ok t_cmp(call($B, 'GET', "$one/$id")->code, 404, 'B: gone at once');
ok t_cmp(req('GET', "$one/$id")->code, 404, 'the suite\'s server: gone');

my @pgids = ($A->{pid}, $B->{pid});
$A->stop;
$B->stop;
is_true(!grep({ AM::Instance::group_pids($_) } @pgids),
        'both servers stopped, no process left');

# No lost updates: concurrent changes of one appointment (PlanCare2
# ContractAppointments) from forked clients released at the same moment.
# With If-Match: exactly one wins, every other gets 412.  Without: every
# change applies, one after the other, each whole (the final state is
# exactly the last one's, never a mix of two).  On the backend the suite
# runs on (AM_TEST_BACKEND).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use Apache::TestRequest ();
use HTTP::Request;
use AM::Test;
use AM::Instance;

my $CLIENTS = 8;
my $ROUNDS = 4;

plan tests => 5 * $ROUNDS + 3 + 1 + 4 * 2;

my $base = '/PlanCare2Api/ClientAppointments';
my $one = "$base/ContractAppointments";
my $change = "$base/ChangeOfContractAppointments";
# Seed 002 as a single (not recurring) appointment.
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $url = sub { Apache::TestRequest::resolve_url($_[0]) };

sub create {
    my $res = req_json('POST', $one, { %$sample, @_ });
    die "create: " . $res->code . ' ' . $res->decoded_content
        unless $res->code == 200;
    return json_of($res)->{Id};
}

# The whole body of client $k's change: every field says $k.
sub body_of {
    my ($id, $round, $k) = @_;
    my $h = 10 + $k;
    return { %$sample, Id => $id, Title => "round $round client $k",
             Remarks => "remarks of client $k", Location => "room $k",
             ClientId => 7000 + $k, EmployeeId => 8000 + $k,
             Start => sprintf('2026-07-%02dT%02d:00:00+02:00', $round, $h),
             End => sprintf('2026-07-%02dT%02d:30:00+02:00', $round, $h) };
}

# One client: connects (a GET on its keep-alive connection), then at the
# gate sends its request; returns "status etag".
sub client {
    my ($method, $path, $body, @h) = @_;
    return sub {
        my $ua = AM::Instance::ua();
        $ua->get($url->("$one/0"), AM::Instance::auth());    # connect
        return sub {
            my $r = HTTP::Request->new($method, $url->($path),
                [AM::Instance::auth(), 'Content-Type' => 'application/json',
                 @h], defined $body ? $JSON->encode($body) : undef);
            my $res = $ua->request($r);
            my $m = eval { $JSON->decode($res->decoded_content)->{Message} };
            return join " ", $res->code, $res->header("ETag") // "-",
                   defined $m ? 'shape' : 'noshape',
                   $res->code =~ /^2/ ? '' : $res->decoded_content;
        };
    };
}

# --- with If-Match: exactly one wins
for my $round (1 .. $ROUNDS) {
    my $id = create(Title => "race $round");
    my $etag = req('GET', "$one/$id")->header('ETag');
    my @res = AM::Instance::run_clients($CLIENTS, sub {
        my $k = shift;
        client('POST', $change, body_of($id, $round, $k),
               'If-Match' => $etag)->();
    });
    my @won = grep { $res[$_] =~ /^200 / } 0 .. $#res;
    my @lost = grep { $res[$_] =~ /^412 - shape/ } 0 .. $#res;
    ok t_cmp(scalar @won, 1, "If-Match round $round: exactly one of"
             . " $CLIENTS wins") or print "# @res\n";
    ok t_cmp(scalar @lost, $CLIENTS - 1, "round $round: the others get 412"
             . " in the error shape") or print "# @res\n";
    my $g = json_of(req('GET', "$one/$id"));
    my $w = @won == 1 ? $won[0] : -1;
    ok t_cmp($g->{Title}, "round $round client $w",
             "round $round: the winner's change is stored");
    is_true(($g->{Remarks} // '') eq "remarks of client $w"
            && ($g->{ClientId} // 0) == 7000 + $w
            && ($g->{EmployeeId} // 0) == 8000 + $w,
            "round $round: all of it, nothing of the losers");
    ok t_cmp(req('GET', "$one/$id")->header('ETag'), '"v2-json"',
             "round $round: one change, version 2");
}

# --- concurrent deletes with If-Match: one 204, the others 412
{
    my $id = create(Title => 'delete race');
    my $etag = req('GET', "$one/$id")->header('ETag');
    my @res = AM::Instance::run_clients($CLIENTS, sub {
        client('DELETE', "$one/$id", undef, 'If-Match' => $etag)->();
    });
    ok t_cmp(scalar(grep { /^204 / } @res), 1, 'concurrent deletes: one 204')
        or print "# @res\n";
    ok t_cmp(scalar(grep { /^412 - shape/ } @res), $CLIENTS - 1,
             '... the others 412') or print "# @res\n";
    ok t_cmp(req('GET', "$one/$id")->code, 404, '... and it is gone');
}

# --- changes and deletes racing with the same If-Match: one wins
{
    my $id = create(Title => 'mixed race');
    my $etag = req('GET', "$one/$id")->header('ETag');
    my @res = AM::Instance::run_clients($CLIENTS, sub {
        my $k = shift;
        $k % 2 ? client('DELETE', "$one/$id", undef, 'If-Match' => $etag)->()
               : client('POST', $change, body_of($id, 9, $k),
                        'If-Match' => $etag)->();
    });
    ok t_cmp(scalar(grep { /^(200|204) / } @res), 1,
             'changes and deletes racing: one wins') or print "# @res\n";
}

# --- without If-Match: every change applies, whole, one after another
for my $round (1 .. 2) {
    my $id = create(Title => "serial $round");
    my @res = AM::Instance::run_clients($CLIENTS, sub {
        my $k = shift;
        client('POST', $change, body_of($id, 10 + $round, $k))->();
    });
    my %by_version;
    for my $k (0 .. $#res) {
        $by_version{$1} = $k if $res[$k] =~ /^200 "v(\d+)-json"/;
    }
    ok t_cmp(scalar(keys %by_version), $CLIENTS,
             "no If-Match round $round: all $CLIENTS changes applied,"
             . ' each with a version of its own') or print "# @res\n";
    my $last = $CLIENTS + 1;
    ok t_cmp(join(',', sort { $a <=> $b } keys %by_version),
             join(',', 2 .. $last), "round $round: versions 2..$last,"
             . ' one per change');
    my $k = $by_version{$last} // -1;
    my $res = req('GET', "$one/$id");
    my $g = json_of($res);
    my $want = body_of($id, 10 + $round, $k);
    ok t_cmp($res->header('ETag'), qq{"v$last-json"},
             "round $round: the stored version is the last one's");
    is_true($g && $k >= 0
            && !grep({ ($g->{$_} // '') ne $want->{$_} }
                     qw(Title Remarks Location ClientId EmployeeId Start End)),
            "round $round: the stored appointment is exactly the last"
            . ' change, whole')
        or print '# got ', $JSON->encode($g), "\n";
}

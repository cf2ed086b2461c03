# Nothing acknowledged is lost: concurrent clients write (create and
# change PlanCare2 ContractAppointments) through an httpd instance of this
# test's own (AM::Instance, on the suite's database and backend); once at
# least $N writes were acknowledged (2xx), every process of that httpd
# gets SIGKILL while the clients are still writing.  After a restart every
# acknowledged write is there and intact.  The suite's own server is not
# touched (it reads the same database as a second witness).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use HTTP::Request;
use POSIX ();
use Time::HiRes qw(time sleep);
use AM::Test;
use AM::Instance;

my $CLIENTS = 6;
my $N = 300;          # acknowledged writes before the kill, at least
my $MAX_SECS = 90;    # for the writes before the kill

plan tests => 10;

my $one = '/PlanCare2Api/ClientAppointments/ContractAppointments';
my $change = '/PlanCare2Api/ClientAppointments/ChangeOfContractAppointments';
# Seed 002 as a single (not recurring) appointment.
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

my $D = AM::Instance->new('durability')->start;
my $dir = $D->{dir};

# What client $k writes the $i-th time: every field derived from (k, i).
sub body_of {
    my ($k, $i, $id) = @_;
    my $day = 1 + $i % 28;
    my $h = $k + 6;
    return { %$sample, ($id ? (Id => $id) : ()),
             Title => "durable k$k i$i",
             Remarks => "remarks k$k i$i " . ('x' x ($i % 50)),
             Location => "room $k.$i",
             ClientId => 50000 + $k * 1000 + $i,
             Start => sprintf('2027-01-%02dT%02d:00:00+01:00', $day, $h),
             End => sprintf('2027-01-%02dT%02d:45:00+01:00', $day, $h) };
}

# --- the clients: each journals "try" before and "ack" after every
# write (and signals every ack to the parent), until a request fails.
pipe my $ack_r, my $ack_w or die "pipe: $!";
my @kids;
for my $k (0 .. $CLIENTS - 1) {
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid) {
        push @kids, $pid;
        next;
    }
    close $ack_r;
    open my $j, '>>', "$dir/journal.$k" or POSIX::_exit(1);
    my $log = sub { syswrite $j, join(' ', @_) . "\n" };
    my $ua = AM::Instance::ua();
    my (@mine, %version);    # ids acknowledged to this client
    my $deadline = time + $MAX_SECS + 30;
    for (my $i = 1; time < $deadline; $i++) {
        my ($req, $id);
        if ($i % 3 == 0 && @mine) {
            # A change of one of its own, based on the acknowledged
            # version (If-Match): the client is the only writer of it.
            $id = $mine[$i % @mine];
            $log->('try', 'update', $id, $i);
            $req = HTTP::Request->new('POST', $D->url($change),
                [AM::Instance::auth(), 'Content-Type' => 'application/json',
                 'If-Match' => qq{"v$version{$id}-json"}],
                $JSON->encode(body_of($k, $i, $id)));
        }
        else {
            $log->('try', 'create', '-', $i);
            $req = HTTP::Request->new('POST', $D->url($one),
                [AM::Instance::auth(), 'Content-Type' => 'application/json'],
                $JSON->encode(body_of($k, $i)));
        }
        my $res = $ua->request($req);
        if ($res->code == 503) {    # busy: nothing changed; again
            $log->('busy', $i);
            sleep 0.05;
            next;
        }
        if ($res->code != 200) {
            $log->('fail', $res->code, $i);
            last;
        }
        my $got = eval { $JSON->decode($res->decoded_content) } || {};
        my ($v) = ($res->header('ETag') // '') =~ /^"v(\d+)-json"$/;
        if (!$got->{Id} || !$v || ($id && $got->{Id} != $id)) {
            $log->('bad', $i, $res->decoded_content);
            last;
        }
        $id = $got->{Id};
        push @mine, $id unless $version{$id};
        $version{$id} = $v;
        $log->('ack', $id, $i, $v);
        syswrite $ack_w, '.';
    }
    close $j;
    POSIX::_exit(0);
}
close $ack_w;

# --- count acknowledgements; at $N, SIGKILL the whole server
my $acks = 0;
my $until = time + $MAX_SECS;
my ($rin, $rout, $buf) = ('', '', '');
vec($rin, fileno($ack_r), 1) = 1;
while ($acks < $N && time < $until) {
    next unless select($rout = $rin, undef, undef, 1);
    my $got = sysread $ack_r, $buf, 4096;
    last unless $got;
    $acks += $got;
}
my $pgid = $D->{pid};
my @killed = eval { $D->kill9 };
my $kill_err = $@;
close $ack_r;
waitpid $_, 0 for @kids;

is_true($acks >= $N, "$CLIENTS concurrent clients had $N writes acknowledged"
        . " before the kill (got $acks)");
is_true(!$kill_err && @killed >= 2 && grep({ $_ == $pgid } @killed),
        'SIGKILL went to every process of the server: ' . scalar(@killed)
        . ' (parent and children)') or print "# $kill_err\n";
is_true(!AM::Instance::group_pids($pgid), 'none of them is left');

# --- what the clients know: the last acknowledged state of each of
# their appointments, and a change that was in flight (unknown outcome)
my (%state, $in_flight, $fails);
for my $k (0 .. $CLIENTS - 1) {
    open my $j, '<', "$dir/journal.$k" or die "journal.$k: $!";
    my $try;
    while (my $line = <$j>) {
        my @f = split ' ', $line;
        if ($f[0] eq 'try') {
            $try = [$k, @f[1 .. 3]];
        }
        elsif ($f[0] eq 'ack') {
            my ($id, $i, $v) = @f[1 .. 3];
            $state{$id} = { k => $k, i => $i, v => $v };
            undef $try;
        }
        elsif ($f[0] eq 'busy') {
            undef $try;
        }
        elsif ($f[0] eq 'fail' || $f[0] eq 'bad') {
            $fails .= " client $k: @f[0..1]";
        }
    }
    close $j;
    # A change sent but not answered: it may or may not have landed.
    if ($try && $try->[1] eq 'update') {
        $state{$try->[2]}{pending} = $try->[3];
    }
    $in_flight++ if $try;
}
my $acked_writes = 0;
open my $jall, '-|', 'sh', '-c', "cat '$dir'/journal.*" or die;
while (<$jall>) { $acked_writes++ if /^ack / }
close $jall;
print "# $acked_writes acknowledged writes to " . scalar(keys %state)
    . " appointments; " . ($in_flight // 0) . " clients' last request"
    . " unanswered\n";
is_true(!defined $fails || $fails !~ /bad/,
        'every 2xx answer before the kill was well-formed')
    or print "# $fails\n";

# --- restart and check every acknowledged write
$D->start;
my $pgid2 = $D->{pid};
# The parent answers on the port as soon as it listens; its children
# follow (a moment later on a loaded machine).
my $up_until = time + 15;
select(undef, undef, undef, 0.1) while $D->pids < 2 && time < $up_until;
ok t_cmp(scalar($D->pids) >= 2, 1, 'the server starts again after SIGKILL');

sub check_all {
    my ($get) = @_;
    my ($intact, @bad) = (0);
    for my $id (sort { $a <=> $b } keys %state) {
        my $s = $state{$id};
        my $res = $get->($id);
        my $g = $res->code == 200 ? json_of($res) : undef;
        my ($v) = ($res->header('ETag') // '') =~ /^"v(\d+)-json"$/;
        my @ok;
        for my $cand ([$s->{i}, $s->{v}],
                      defined $s->{pending}
                          ? [$s->{pending}, $s->{v} + 1] : ()) {
            my ($i, $cv) = @$cand;
            my $want = body_of($s->{k}, $i);
            push @ok, 1 if $g && $v && $v == $cv
                && !grep { ($g->{$_} // '') ne $want->{$_} }
                         qw(Title Remarks Location ClientId Start End);
        }
        if (@ok) {
            $intact++;
        }
        else {
            push @bad, "$id: " . $res->code . ' ' . ($g ? $g->{Title} : '')
                . " v" . ($v // '?') . " (want i$s->{i} v$s->{v})";
        }
    }
    return ($intact, @bad);
}

my $ua = AM::Instance::ua();
my ($intact, @bad) = check_all(sub {
    $ua->get($D->url("$one/$_[0]"), AM::Instance::auth());
});
ok t_cmp($intact, scalar(keys %state), 'after the restart all '
         . scalar(keys %state) . " acknowledged appointments ($acked_writes"
         . ' acknowledged writes) are there and intact')
    or print "# missing or wrong: @bad[0 .. ($#bad < 9 ? $#bad : 9)]\n";
is_true(scalar(keys %state) > 0 && $acked_writes >= $N,
        'and that is all that was acknowledged, not fewer');
($intact, @bad) = check_all(sub { req('GET', "$one/$_[0]") });
ok t_cmp($intact, scalar(keys %state),
         'the suite\'s own server (a witness on the same database) agrees')
    or print "# @bad[0 .. ($#bad < 9 ? $#bad : 9)]\n";

# --- the restarted server takes writes again
my $res = $ua->request(HTTP::Request->new('POST', $D->url($one),
    [AM::Instance::auth(), 'Content-Type' => 'application/json'],
    $JSON->encode(body_of(1, 100000))));
ok t_cmp($res->code, 200, 'the restarted server takes writes');
$D->stop;
is_true(!AM::Instance::group_pids($pgid2), 'stopped');

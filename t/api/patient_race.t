# Patient dialect: the double-booking guard under concurrency.  N clients
# post (then reschedule) overlapping appointments for one provider at the
# same moment: exactly one wins, every other gets 409, and the store holds
# exactly one.  Runs on SQLite and PostgreSQL alike (scripts/apache-test).
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use POSIX ();
use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 10;

my $N = 10;
my $base = '/api/Calendar';
my $sample = seed_json('seed003_AppointmentModel.json');
my $JU = JSON::PP->new->utf8->canonical(1);

sub guid {
    return sprintf '%08x-%04x-%04x-%04x-%04x%08x', int rand 2**32,
        int rand 65536, int rand 65536, int rand 65536, int rand 65536,
        int rand 2**32;
}

sub jof {
    my ($res) = @_;
    return eval { $JU->decode($res->content) } || {};
}

# Runs $N requests at once, one per child process: make_req->($i)
# returns (method, path, json body).  The children wait on a pipe that
# the parent closes when all are ready, so their requests start together.
# Returns the statuses, and the bodies of the 2xx answers.
sub race {
    my ($make_req) = @_;
    pipe(my $go_r, my $go_w) or die "pipe: $!";
    pipe(my $out_r, my $out_w) or die "pipe: $!";
    my @pids;
    for my $i (0 .. $N - 1) {
        my ($method, $path, $body) = $make_req->($i);
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            close $go_w;
            close $out_r;
            sysread $go_r, my $x, 1;          # EOF: go
            my $res = req($method, $path, body => $JU->encode($body),
                          type => 'application/json');
            my $id = $res->is_success ? (jof($res)->{Id} // '') : '';
            syswrite $out_w, $res->code . " $id\n";
            POSIX::_exit(0);
        }
        push @pids, $pid;
    }
    close $go_r;
    close $out_w;
    select undef, undef, undef, 0.5;          # let every child get ready
    close $go_w;
    my @lines = <$out_r>;
    close $out_r;
    waitpid $_, 0 for @pids;
    chomp @lines;
    return map { [split / /, $_, 2] } @lines;
}

sub tally {
    my %n;
    $n{ $_->[0] }++ for @_;
    return join ',', map { "$_ x$n{$_}" } sort keys %n;
}

sub listed {
    my ($provider, $from, $until) = @_;
    my $res = req('GET', "$base/PatientAppointmentList?providerId=$provider"
                  . "&from=$from&until=$until");
    my $l = $res->code == 200 ? jof($res) : {};
    return ref $l eq 'ARRAY' ? $l : [];
}

# --- N posts for one provider, each starting a minute later than the
# previous one: every pair overlaps (30 minutes each).
my $P = guid();
my @got = race(sub {
    my ($i) = @_;
    return ('POST', "$base/PatientAppointmentPost_v2",
            { %$sample, ProviderId => $P, PatientId => guid(),
              AppointmentOn => sprintf('2030-04-01T10:%02d:00+02:00', $i) });
});
ok t_cmp(scalar @got, $N, "$N concurrent posts answered");
ok t_cmp(tally(@got), "200 x1,409 x" . ($N - 1),
         'exactly one 200, every other one 409');
my $list = listed($P, '2030-04-01', '2030-04-02');
ok t_cmp(scalar @$list, 1, 'the store holds exactly one');
my ($winner) = map { $_->[1] } grep { $_->[0] == 200 } @got;
ok t_cmp($list->[0]{Id} // '', $winner // 'none', 'the one that won');

# --- N appointments of one provider at separate hours, all moved to the
# same slot at once.
my $R = guid();
my @ids;
for my $i (0 .. $N - 1) {
    my $res = req_json('POST', "$base/PatientAppointmentPost_v2",
                       { %$sample, ProviderId => $R,
                         AppointmentOn => sprintf('2030-04-02T%02d:00:00+02:00',
                                                  8 + $i) });
    push @ids, jof($res)->{Id} // '';
}
ok t_cmp(scalar(grep { length } @ids), $N, "$N separate appointments made");
@got = race(sub {
    my ($i) = @_;
    return ('POST', "$base/PatientAppointmentReschedule",
            { Id => $ids[$i],
              AppointmentOn => sprintf('2030-04-03T09:%02d:00+02:00', $i) });
});
ok t_cmp(tally(@got), "200 x1,409 x" . ($N - 1),
         'concurrent reschedules into one slot: exactly one wins');
$list = listed($R, '2030-04-03', '2030-04-04');
ok t_cmp(scalar @$list, 1, 'exactly one moved there');
ok t_cmp(scalar @{ listed($R, '2030-04-02', '2030-04-03') }, $N - 1,
         'the others stayed where they were');

# --- cancel and posts at once: a post wins the freed slot or gets 409,
# never a double booking.
my $S = guid();
my $first = jof(req_json('POST', "$base/PatientAppointmentPost_v2",
                         { %$sample, ProviderId => $S,
                           AppointmentOn => '2030-04-05T10:00:00+02:00' }));
@got = race(sub {
    my ($i) = @_;
    return $i == 0
        ? ('POST', "$base/PatientAppointmentCancel",
           { Id => $first->{Id}, Reason => 'make room' })
        : ('POST', "$base/PatientAppointmentPost_v2",
           { %$sample, ProviderId => $S, PatientId => guid(),
             AppointmentOn => '2030-04-05T10:00:00+02:00' });
});
my $live = grep { ($_->{Status} // -1) != 2 }
           @{ listed($S, '2030-04-05', '2030-04-06') };
# Whether a post ran after the cancel committed is chance: one live
# appointment, or none when every post came first.
is_true($live <= 1, "after a cancel racing posts: at most one live appointment ($live)");
ok t_cmp(scalar(grep { $_->[0] !~ /^(200|409)$/ } @got), 0,
         'every answer 200 or 409');

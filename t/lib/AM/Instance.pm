package AM::Instance;
# httpd servers of a test's own, beside the suite's server: the same
# generated configuration (t/conf/httpd.conf, so extra.conf with every
# <Location> and the same database), but their own port, pid file, logs
# and run-time folder.  For the tests that need several servers on one
# database (multiserver_*.t) or kill a server (durability_*.t) without
# touching the suite's.
#
#   my $a = AM::Instance->new('a');   # configures; ->start starts
#   $a->start;  $a->url('/PlanCare2Api/...');
#   my @pids = $a->kill9;             # SIGKILL to every process of it
#   $a->stop;                         # also at exit, whatever happened
#
# Also: AM::Instance::ua() (an LWP user agent), AM::Instance::auth()
# (the tests' Authorization header), run_clients() (forked clients
# released together).
use strict;
use warnings FATAL => 'all';

use File::Path qw(make_path remove_tree);
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use POSIX ();
use Time::HiRes qw(sleep time);
use LWP::UserAgent;
use Apache::Test ();

my @LIVE;    # instances to stop at exit
my $MASTER = $$;

# Interrupted (Ctrl-C, or the harness ending the test): exit through END
# so that the servers started here stop as well.
$SIG{$_} = sub { exit 130 } for qw(INT TERM HUP);

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Listen => 1, ReuseAddr => 0)
        or die "no free port: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

sub new {
    my ($class, $name) = @_;
    my $vars = Apache::Test::basic_config()->{vars};
    my $self = bless {
        name  => $name,
        httpd => $vars->{httpd},
        root  => $vars->{serverroot},
        conf_in => $vars->{t_conf_file},
        dir   => "$vars->{t_dir}/state/instance-$name-$$",
    }, $class;
    $self->{port} = free_port();
    remove_tree($self->{dir});
    make_path($self->{dir});
    $self->{conf} = "$self->{dir}/httpd.conf";
    $self->{pidfile} = "$self->{dir}/httpd.pid";
    $self->_write_conf;
    push @LIVE, $self;
    return $self;
}

sub port { $_[0]{port} }
sub name { $_[0]{name} }
sub url  { "http://127.0.0.1:$_[0]{port}$_[1]" }
sub error_log { "$_[0]{dir}/error_log" }

# The suite's generated configuration with this instance's own port,
# files and folders.  Dies when the generated file no longer looks as
# expected (rather than starting a second server on the suite's port).
sub _write_conf {
    my $self = shift;
    open my $in, '<', $self->{conf_in} or die "$self->{conf_in}: $!";
    my $c = do { local $/; <$in> };
    close $in;
    my $d = $self->{dir};
    my $port = $self->{port};
    my %n;
    my $listen = 0;
    $c =~ s{^(\s*)Listen\s+.*$}{$listen++ ? "$1# (Listen of the suite's server)"
                                         : "${1}Listen 127.0.0.1:$port"}gme;
    $n{ServerName} = $c =~ s{^(\s*)ServerName\s+.*$}{$1ServerName 127.0.0.1:$port}gm;
    $n{PidFile} = $c =~ s{^(\s*)PidFile\s+.*$}{$1PidFile "$d/httpd.pid"}gm;
    $n{ErrorLog} = $c =~ s{^(\s*)ErrorLog\s+.*$}{$1ErrorLog "$d/error_log"}gm;
    $c =~ s{^(\s*)TransferLog\s+.*$}{$1TransferLog "$d/access_log"}gm;
    $c =~ s{^(\s*)CustomLog\s+\S+}{$1CustomLog "$d/access_log"}gm;
    $c =~ s{^(\s*)DefaultRunTimeDir\s+.*$}{$1DefaultRunTimeDir "$d"}gmi;
    $c =~ s{^(\s*)DefaultStateDir\s+.*$}{$1DefaultStateDir "$d"}gmi;
    $c =~ s{^(\s*)ScriptSock\s+.*$}{$1ScriptSock "$d/cgisock"}gm;
    $c =~ s{^(\s*)LogLevel\s+.*$}{$1LogLevel warn}gm;
    for my $k (qw(ServerName PidFile ErrorLog)) {
        die "AM::Instance: no $k in $self->{conf_in}" unless $n{$k};
    }
    die "AM::Instance: no Listen in $self->{conf_in}" unless $listen;
    open my $out, '>', $self->{conf} or die "$self->{conf}: $!";
    print $out "# AM::Instance $self->{name}: $self->{conf_in} with its own"
             . " port and files\n", $c;
    close $out or die "$self->{conf}: $!";
}

sub _pid {
    my $self = shift;
    open my $fh, '<', $self->{pidfile} or return;
    my $pid = <$fh>;
    close $fh;
    return unless defined $pid && $pid =~ /^(\d+)/;
    return $1;
}

# Starts httpd (daemonised: a session and process group of its own) and
# waits until it answers on its port.
sub start {
    my $self = shift;
    unlink $self->{pidfile};
    my @cmd = ($self->{httpd}, '-d', $self->{root}, '-f', $self->{conf},
               '-D', 'APACHE2', '-D', 'APACHE2_4', '-k', 'start');
    system(@cmd) == 0
        or die "AM::Instance $self->{name}: @cmd failed ($?)\n"
             . $self->log_tail;
    my $until = time + 30;
    while (time < $until) {
        my $pid = $self->_pid;
        if ($pid && IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                          PeerPort => $self->{port},
                                          Timeout => 1)) {
            $self->{pid} = $pid;
            return $self;
        }
        sleep 0.1;
    }
    die "AM::Instance $self->{name}: httpd did not start\n" . $self->log_tail;
}

sub log_tail {
    my $self = shift;
    open my $fh, '<', $self->error_log or return '';
    my @l = <$fh>;
    close $fh;
    return join '', grep { defined } @l[-20 .. -1];
}

# The live (not zombie) processes of process group $pgid.
sub group_pids {
    my ($pgid) = @_;
    my @pids;
    opendir my $dh, '/proc' or die "/proc: $!";
    for my $p (grep { /^\d+$/ } readdir $dh) {
        open my $fh, '<', "/proc/$p/stat" or next;
        my $st = <$fh>;
        close $fh;
        next unless defined $st
            && $st =~ /^\d+ \(.*\) (\S) \d+ (\d+) /s;
        push @pids, $p if $2 == $pgid && $1 ne 'Z' && $1 ne 'X';
    }
    closedir $dh;
    @pids = sort { $a <=> $b } @pids;
    return @pids;
}

sub pids {
    my $self = shift;
    return () unless $self->{pid};
    return group_pids($self->{pid});
}

# SIGKILL to every process of the server at once (its process group: the
# parent and all children), then waits until none is left.  Returns the
# pids that were killed.
sub kill9 {
    my $self = shift;
    my @pids = $self->pids;
    die "AM::Instance $self->{name}: not running\n" unless @pids;
    kill 'KILL', -$self->{pid};
    my $until = time + 15;
    while (time < $until && group_pids($self->{pid})) {
        sleep 0.05;
    }
    die "AM::Instance $self->{name}: processes left after SIGKILL\n"
        if group_pids($self->{pid});
    delete $self->{pid};
    return @pids;
}

sub stop {
    my $self = shift;
    my $pid = $self->{pid} or return;
    kill 'TERM', $pid;
    my $until = time + 15;
    while (time < $until && group_pids($pid)) {
        sleep 0.1;
    }
    kill 'KILL', -$pid if group_pids($pid);
    delete $self->{pid};
}

END {
    if ($$ == $MASTER) {
        local $?;
        $_->stop for @LIVE;
    }
}

# ---------------------------------------------------------- clients

sub auth {
    my ($user) = @_;
    $user //= 'tester';
    return (Authorization => 'Basic ' . encode_base64("$user:$user", ''));
}

sub ua {
    return LWP::UserAgent->new(keep_alive => 1, timeout => 30,
                               max_redirect => 0);
}

# run_clients($n, sub { my ($k) = @_; ...set up...; return sub { ...;
# return "result" } }): forks $n clients; client $k runs the outer sub
# (its set-up: a user agent, a connection, a request), then waits at a
# gate until every client is ready, then runs the sub that the set-up
# returned, at the same moment as the others.  Returns the results in
# client order; a client that dies gives "died: <message>".
sub run_clients {
    my ($n, $setup) = @_;
    pipe my $gate_r, my $gate_w or die "pipe: $!";
    pipe my $ready_r, my $ready_w or die "pipe: $!";
    pipe my $res_r, my $res_w or die "pipe: $!";
    my @kids;
    for my $k (0 .. $n - 1) {
        my $pid = fork;
        die "fork: $!" unless defined $pid;
        if (!$pid) {
            close $gate_w;
            close $ready_r;
            close $res_r;
            my $run = eval { $setup->($k) };
            my $err = $@;
            syswrite $ready_w, '.';
            close $ready_w;
            my $buf;
            sysread $gate_r, $buf, 1;    # 0 bytes: the gate opened
            my $out = $run ? eval { $run->() } : undef;
            $out = "died: " . ($@ || $err || 'no result')
                unless defined $out;
            $out =~ s/\n/ /g;
            syswrite $res_w, "$k\t$out\n";
            close $res_w;
            POSIX::_exit(0);
        }
        push @kids, $pid;
    }
    close $gate_r;
    close $ready_w;
    close $res_w;
    # Every client set up and at the gate, then open it.
    my $ready = 0;
    my $buf;
    while ($ready < $n) {
        my $got = sysread $ready_r, $buf, $n;
        last unless $got;
        $ready += $got;
    }
    close $ready_r;
    close $gate_w;
    my @res;
    while (my $line = <$res_r>) {
        chomp $line;
        my ($k, $out) = split /\t/, $line, 2;
        $res[$k] = $out;
    }
    close $res_r;
    waitpid $_, 0 for @kids;
    return map { $res[$_] // 'died: no result' } 0 .. $n - 1;
}

1;

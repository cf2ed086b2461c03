package AM::Login;
# Helpers of the login tests (t/api/login_*.t): the PlanCare2 /token
# form, Xelion's me/login, Authorization headers, the error log and the
# session table of the backend the suite runs on.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use URI::Escape qw(uri_escape_utf8);
use Apache::Test ();
use AM::Test;

our @EXPORT = qw(form token_req bearer xelion xel_login xel_call
                 error_log_since log_mark session_rows);

# application/x-www-form-urlencoded of key, value pairs (in order).
sub form {
    my @kv = @_;
    my @p;
    while (@kv) {
        my ($k, $v) = splice @kv, 0, 2;
        push @p, uri_escape_utf8($k) . '=' . uri_escape_utf8($v);
    }
    return join '&', @p;
}

# POST <mount>/token with a form; no Basic credentials.
sub token_req {
    my ($mount, @kv) = @_;
    return req('POST', "$mount/token", user => undef, body => form(@kv),
               type => 'application/x-www-form-urlencoded');
}

sub bearer { return (user => undef, headers => [Authorization => "Bearer $_[0]"]) }
sub xelion { return (user => undef, headers => [Authorization => "xelion $_[0]"]) }

# POST <mount>/me/login with LoginCredentials (a hash).
sub xel_login {
    my ($mount, $cred, @h) = @_;
    return req('POST', "$mount/me/login", user => undef,
               body => ref $cred ? $JSON->encode($cred) : $cred,
               type => 'application/json', headers => [@h]);
}

# A Xelion call with a session token (undef: none) and a JSON body.
sub xel_call {
    my ($method, $path, $token, $body) = @_;
    return req($method, $path, user => undef,
               (defined $body ? (body => ref $body ? $JSON->encode($body)
                                                   : $body,
                                 type => 'application/json') : ()),
               headers => [defined $token ? (Authorization => "xelion $token")
                                          : ()]);
}

# The size of the suite's error log now, and what was written since.
sub log_mark {
    my $f = Apache::Test::vars('t_logs') . '/error_log';
    return -s $f // 0;
}

sub error_log_since {
    my ($mark) = @_;
    my $f = Apache::Test::vars('t_logs') . '/error_log';
    open my $fh, '<', $f or return '';
    seek $fh, $mark, 0;
    local $/;
    my $s = <$fh> // '';
    close $fh;
    return $s;
}

# Every row of am_sessions as "col=value|col=value..." text.
sub session_rows {
    my $sql = "SELECT id, kind, token_hash, renew_hash, user_name,"
            . " employment, realm, dialect, scope, info FROM am_sessions";
    my @cmd;
    if (($ENV{AM_TEST_BACKEND} // 'sqlite') eq 'pgsql') {
        @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                '-h', $ENV{AM_PG_HOST}, '-p', $ENV{AM_PG_PORT},
                '-U', $ENV{AM_PG_USER}, '-d', $ENV{AM_PG_DB}, '-c', $sql);
    }
    else {
        @cmd = ('sqlite3', "$ENV{AM_TEST_DB_DIR}/appointments.db", $sql);
        unshift @cmd, 'runuser', '-u', 'nobody', '--' if $< == 0;
    }
    local $ENV{PGPASSWORD} = $ENV{AM_PG_PASSWORD} // '';
    open my $fh, '-|', @cmd or die "$cmd[0]: $!";
    my @rows = <$fh>;
    close $fh or die "session_rows: $cmd[0] failed (status $?)\n";
    chomp @rows;
    return @rows;
}

1;

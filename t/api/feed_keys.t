# Secret feed keys: an authenticated user obtains a feed URL with ?key=
# by POST on the feed and revokes it by DELETE; the key is stored hashed
# (never in the clear), acts only on that one feed, as that user, whose
# grants are checked on every request (taken away and given back here
# through the location's group file); bad keys are 401 in the dialect's
# shape.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use URI;
use Digest::SHA qw(sha256_hex);

# The feed keys in the database: "user scope token_hash" lines.
sub db_keys {
    my $sql = "SELECT user_name || ' ' || scope || ' ' || token_hash"
            . ' FROM am_sessions WHERE kind = 3 ORDER BY id';
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
    local $/;
    my $s = <$fh> // '';
    close $fh or die "db_keys: $cmd[0] failed (status $?)\n";
    return $s;
}

plan tests => 36;

my $m = '/FeedKeyApi';
my $groups = Apache::Test::vars('documentroot') . '/feed-keys.htgroup';

sub groups {
    my ($line) = @_;
    open my $fh, '>', "$groups.tmp" or die "$groups: $!";
    print $fh "$line\n";
    close $fh;
    chmod 0644, "$groups.tmp";
    rename "$groups.tmp", $groups or die "$groups: $!";
}
groups('feeders: alice tester');

my $seed = seed_json('seed002_ContractAppointment.json');
delete $seed->{Id};
my $C = 7150;
my $res = req_json('POST', "$m/ClientAppointments/ContractAppointments",
                   { %$seed, ClientId => $C, ClientName => 'Key client',
                     RecurrenceInfo => undef, IsAllDay => JSON::PP::false,
                     Title => 'Seen by key', Start => '2026-12-10T10:00:00+01:00',
                     End => '2026-12-10T11:00:00+01:00' }, user => 'alice');
ok t_cmp($res->code, 200, 'an appointment of the client');
my $appt = json_of($res)->{Id};

my $feed = "$m/Feeds/Clients/$C.ics";
$res = req('POST', $feed, user => 'alice', accept => 'application/json');
ok t_cmp($res->code, 201, 'POST on the feed issues a key');
my $k = json_of($res) || {};
ok t_cmp($k->{key} // '', qr/^[A-Za-z0-9_-]{43}$/, 'a 43-character key');
ok t_cmp($k->{url} // '', qr{^http://[^/]+\Q$feed\E\?key=\Q$k->{key}\E$},
         'and the feed URL that carries it');
my $key = $k->{key} // 'none';
my $path = URI->new($k->{url} // 'http://x/')->path_query;

# The key, without any credentials.
$res = req('GET', $path, user => undef);
ok t_cmp($res->code, 200, 'the secret URL without credentials: 200');
ok t_cmp($res->header('Content-Type'), qr{^text/calendar}, 'the calendar');
ok t_cmp($res->decoded_content, qr/SUMMARY:Seen by key/, 'with its appointments');
my $etag = $res->header('ETag');
$res = req('GET', $path, user => undef, headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 304, 'polled by secret URL: 304');
$res = req('GET', "$feed?KEY=$key&from=2026-12-01", user => undef);
ok t_cmp($res->code, 200, 'with a window too');

# Only that feed, only GET.
$res = req('GET', "$m/Feeds/Clients/" . ($C + 1) . ".ics?key=$key", user => undef,
           accept => 'application/json');
ok t_cmp($res->code, 401, 'another feed with the key: 401');
ok t_cmp(json_of($res)->{Message} // '', qr/denied/, 'in the ASP.NET shape');
$res = req('GET', "$m/Feeds/Employee.ics?key=$key", user => undef);
ok t_cmp($res->code, 401, 'the key of a client feed is no employee feed key');
$res = req('GET', "$m/ClientAppointments/ContractAppointments/$appt?key=$key",
           user => undef);
ok t_cmp($res->code, 401, 'no other route accepts a key');
$res = req('DELETE', "$feed?key=$key", user => undef);
ok t_cmp($res->code, 401, 'nor a DELETE of the feed');
$res = req('GET', "/PlanCare2Api/Feeds/Clients/$C.ics?key=$key", user => undef);
ok t_cmp($res->code, 401, 'nor the same feed on another mount');
# The path's other spellings are the same feed.
$res = req('GET', "$m/feeds/clients/0$C.ICS?key=$key", user => undef);
ok t_cmp($res->code, 200, 'the same feed spelt otherwise');

# Bad keys.
$res = req('GET', "$feed?key=short", user => undef);
ok t_cmp($res->code, 401, 'a malformed key: 401');
$res = req('GET', "$feed?key=" . ('A' x 43), user => undef);
ok t_cmp($res->code, 401, 'an unknown key: 401');
$res = req('GET', "$feed?key=$key", user => 'outsider');
ok t_cmp($res->code, 200, 'the key decides, not other credentials');

# Stored hashed: the database holds its SHA-256, not the key.
my $dump = db_keys();
ok t_cmp($dump, qr/^alice Feeds\/Clients\/$C\.ics ${\ sha256_hex($key)}$/m,
         'stored as its hash, for alice and that feed');
is_true(index($dump, $key) < 0, 'the key itself is not stored');

# The user's grants, on every request.
groups('feeders: tester');
$res = req('GET', $path, user => undef, accept => 'application/json');
ok t_cmp($res->code, 403, 'its user lost the grant: 403');
groups('feeders: alice tester');
$res = req('GET', $path, user => undef);
ok t_cmp($res->code, 200, 'given back: 200 again');

# Issuing needs the calendar to exist and a user.
$res = req('POST', "$m/Feeds/Clients/987654321.ics", user => 'alice',
           accept => 'application/json');
ok t_cmp($res->code, 404, 'no key for an unknown calendar');
$res = req('POST', $feed, user => 'outsider', accept => 'application/json');
ok t_cmp($res->code, 403, 'nor for a user without the grant');

# A second key of the same feed; DELETE revokes the user's keys.
$res = req('POST', $feed, user => 'alice', accept => 'application/json');
ok t_cmp($res->code, 201, 'a second key');
my $key2 = (json_of($res) || {})->{key} // 'none';
is_true($key2 ne $key, 'another key');
$res = req('POST', $feed, user => 'tester', accept => 'application/json');
my $tkey = (json_of($res) || {})->{key} // 'none';
$res = req('DELETE', $feed, user => 'alice');
ok t_cmp($res->code, 204, 'DELETE revokes');
$res = req('GET', "$feed?key=$key", user => undef);
ok t_cmp($res->code, 401, 'the first key no longer works');
$res = req('GET', "$feed?key=$key2", user => undef);
ok t_cmp($res->code, 401, 'nor the second');
$res = req('GET', "$feed?key=$tkey", user => undef);
ok t_cmp($res->code, 200, "another user's key of the feed stays");
$res = req('DELETE', $feed, user => 'alice', accept => 'application/json');
ok t_cmp($res->code, 404, 'nothing left to revoke: 404');

# The employee feed by key: the user's own calendar.
$res = req_json('POST', "$m/EmployeeAppointments/EmployeeAppointments",
                { Title => 'Alice herself', Start => '2026-12-11T08:00:00+01:00',
                  End => '2026-12-11T09:00:00+01:00',
                  MovesToNextDay => JSON::PP::false,
                  IsAllDay => JSON::PP::false }, user => 'alice');
ok t_cmp($res->code, 200, "an appointment in alice's own calendar");
$res = req('POST', "$m/Feeds/Employee.ics", user => 'alice',
           accept => 'application/json');
ok t_cmp($res->code, 201, 'a key of her employee feed');
$path = URI->new((json_of($res) || {})->{url} // 'http://x/')->path_query;
$res = req('GET', $path, user => undef);
ok t_cmp($res->code, 200, 'her employee feed by key');
ok t_cmp($res->decoded_content, qr/SUMMARY:Alice herself/, 'as alice');

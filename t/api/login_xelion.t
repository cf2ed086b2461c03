# Logging in as a Xelion client does (seeds/FACTS-public-docs.md, 12):
# POST me/login with LoginCredentials, then "Authorization: xelion
# <token>"; me/renew with the renewal token (or the password) replaces
# both tokens; me/logout ends the session; every error code the pages
# list for these (10000, 10002, 10003, 10004, 10010, 10011, 10200, 10202,
# 1002X) in Xelion's error shape.  Idle limits are in login_expiry.t.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Login;

plan tests => 124;

my $M = '/token/api/v1/master';
my %CRED = (userName => 'tester', password => 'tester',
            userSpace => 'login-test', clientId => 'xelion-test');
my $APPT = { subject => 'logged in', starttime => '2026-05-26 09:00:00',
             endtime => '2026-05-26 10:00:00' };

sub xel_error {
    my ($res, $status, $code, $name) = @_;
    ok t_cmp($res->code, $status, "$name: $status");
    my $d = json_of($res) || {};
    ok t_cmp($d->{errorCode} // 0, $code, "$name: errorCode $code");
    is_true(defined $d->{message} && ($d->{info} // '') =~ /^resource=POST |^resource=GET /,
            "$name: Xelion's error shape");
}

# ------------------------------------------------------------ login
my $res = xel_login($M, \%CRED);
ok t_cmp($res->code, 200, 'me/login: 200');
ok t_cmp($res->header('Content-Type') // '', qr{^application/json}, '... JSON');
my $l = json_of($res) || {};
ok t_cmp($l->{authentication} // '', qr/^[A-Za-z0-9_-]{43}$/, '... authentication');
ok t_cmp($l->{renewalToken} // '', qr/^[A-Za-z0-9_-]{43}$/, '... renewalToken');
ok t_cmp($l->{validUntil} // '', qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
         '... validUntil in Xelion\'s date-time form');
ok t_cmp($l->{userName} // '', 'tester', '... userName');
ok t_cmp($l->{tenant} // '', 'master', '... tenant (the mount\'s last segment)');
is_true(defined $l->{version} && defined $l->{serverVersion}
        && exists $l->{brand} && exists $l->{buildNumber} && exists $l->{host},
        '... version, serverVersion, brand, buildNumber, host');
my $tok = $l->{authentication};

# --------------------------------------------------------------- use
$res = xel_call('POST', "$M/appointments", $tok, $APPT);
ok t_cmp($res->code, 201, 'create an appointment with the session token');
my $oid = ((json_of($res) || {})->{object} || {})->{oid} // 0;
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $tok)->code, 200,
         'read it with the session token');
ok t_cmp(xel_call('GET', "$M/appointments/$oid", undef)->code, 401,
         'without a token: 401');
$res = xel_call('GET', "$M/appointments/$oid", undef);
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10000, '... errorCode 10000');
ok t_cmp(join(' ', $res->header('WWW-Authenticate')), qr/^xelion realm="appointments tests"$/,
         '... WWW-Authenticate: xelion (no Basic on this mount)');

# Refused tokens: 401 with 1002X, and the challenge.
for my $bad (['malformed', 'abc'], ['unknown', 'Z' x 43],
             ['with a suffix', "$tok."]) {
    $res = xel_call('GET', "$M/appointments/$oid", $bad->[1]);
    xel_error($res, 401, 10020, "$bad->[0] token");
    ok t_cmp(join(' ', $res->header('WWW-Authenticate')), qr/^xelion realm=/,
             "$bad->[0] token: WWW-Authenticate");
}
$res = req('GET', "$M/appointments/$oid", user => undef,
           headers => [Authorization => "Bearer $tok"]);
ok t_cmp($res->code, 401, 'the session token as Bearer: 401');
$res = req('GET', "$M/appointments/$oid", user => 'tester');
ok t_cmp($res->code, 401, 'Basic on a token-only mount: 401');
# A Xelion token on a PlanCare2 mount.
ok t_cmp(req('GET', '/token/PlanCare2Api/ClientAppointments/ContractAppointments/1',
             bearer($tok))->code, 401, 'the Xelion token on the PlanCare2 mount: 401');

# A user without the Edit grant: authz unchanged.
$res = xel_login($M, { %CRED, userName => 'xelionreader', password => 'xelionreader' });
my $reader = (json_of($res) || {})->{authentication};
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $reader)->code, 200,
         'xelionreader reads');
$res = xel_call('POST', "$M/appointments", $reader, $APPT);
ok t_cmp($res->code, 403, '... may not create: 403');
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10101, '... errorCode 10101');

# ---------------------------------------------------- login errors
xel_error(xel_login($M, ''), 400, 10200, 'no payload');
xel_error(xel_login($M, '{"userName": '), 400, 10202, 'payload not JSON');
xel_error(xel_login($M, '["tester"]'), 400, 10202, 'payload not an object');
xel_error(xel_login($M, { %CRED, userName => { a => 1 } }), 400, 10202,
          'userName an object');
xel_error(xel_login($M, { %CRED, userName => undef }), 400, 10002, 'no userName');
xel_error(xel_login($M, { %CRED, userName => '' }), 400, 10002, 'empty userName');
xel_error(xel_login($M, { %CRED, password => undef }), 400, 10003, 'no password');
xel_error(xel_login($M, { userName => 'tester', password => 'tester' }),
          401, 10011, 'no userSpace');
xel_error(xel_login($M, { %CRED, userSpace => 'u' x 201 }), 401, 10010,
          'userSpace of 201 characters');
ok t_cmp(xel_login($M, { %CRED, userSpace => 'u' x 200 })->code, 200,
         'userSpace of 200 characters: 200');

my $mark = log_mark();
my $wrong = xel_login($M, { %CRED, password => 'wrong' });
my $unknown = xel_login($M, { %CRED, userName => 'nosuchuser' });
xel_error($wrong, 401, 10004, 'wrong password');
xel_error($unknown, 401, 10004, 'unknown user');
ok t_cmp(json_of($unknown)->{message}, json_of($wrong)->{message},
         'unknown user and wrong password: the same message');
my $log = error_log_since($mark);
ok t_cmp($log, qr/\[client 127\.0\.0\.1:\d+\] user tester: authentication failure for "\/token\/api\/v1\/master\/me\/login": Password Mismatch/,
         'wrong password logged with user and client address');
ok t_cmp($log, qr/\[client 127\.0\.0\.1:\d+\] user nosuchuser not found/,
         'unknown user logged');

xel_error(xel_login('/brokenauth/api/v1/master', \%CRED), 401, 10009,
          'the authn provider fails');

# ---------------------------------------------------------- renew
$res = xel_login($M, { %CRED, userSpace => 'renew-test' });
my $s1 = json_of($res) || {};
$res = req('POST', "$M/me/renew", user => undef, type => 'application/json',
           body => $JSON->encode($s1->{renewalToken}));
ok t_cmp($res->code, 200, 'me/renew with the renewal token: 200');
my $s2 = json_of($res) || {};
is_true($s2->{authentication} && $s2->{authentication} ne $s1->{authentication}
        && $s2->{renewalToken} && $s2->{renewalToken} ne $s1->{renewalToken},
        '... both tokens replaced');
ok t_cmp($s2->{validUntil} // '', qr/^\d{4}-/, '... a new validUntil');
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $s2->{authentication})->code,
         200, 'the new token works');
xel_error(xel_call('GET', "$M/appointments/$oid", $s1->{authentication}),
          401, 10020, 'the replaced token');
$res = req('POST', "$M/me/renew", user => undef, type => 'application/json',
           body => $JSON->encode($s1->{renewalToken}));
xel_error($res, 401, 10000, 'the replaced renewal token');

# With the password and the session's token.
$res = req('POST', "$M/me/renew", user => undef, type => 'application/json',
           body => '"tester"',
           headers => [Authorization => "xelion $s2->{authentication}"]);
ok t_cmp($res->code, 200, 'me/renew with the password: 200');
my $s3 = json_of($res) || {};
is_true($s3->{authentication} && $s3->{authentication} ne $s2->{authentication},
        '... a new token');
xel_error(xel_call('GET', "$M/appointments/$oid", $s2->{authentication}),
          401, 10020, '... the old one ends');
$res = req('POST', "$M/me/renew", user => undef, type => 'application/json',
           body => '"wrong"',
           headers => [Authorization => "xelion $s3->{authentication}"]);
xel_error($res, 401, 10020, 'me/renew with a wrong password');
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $s3->{authentication})->code,
         200, '... the session goes on');

xel_error(req('POST', "$M/me/renew", user => undef, type => 'application/json',
              body => ''), 400, 10200, 'me/renew without payload');
xel_error(req('POST', "$M/me/renew", user => undef, type => 'application/json',
              body => '{"token": "x"}'), 400, 10202, 'me/renew with an object');
xel_error(req('POST', "$M/me/renew", user => undef, type => 'application/json',
              body => '"tester"'), 401, 10000,
          'me/renew with a password but no session');
xel_error(req('POST', "$M/me/renew", user => undef, type => 'application/json',
              body => '"tester"', headers => [Authorization => 'xelion ' . ('Q' x 43)]),
          401, 10020, 'me/renew naming an unknown session');

# ---------------------------------------------------------- logout
$res = xel_call('POST', "$M/me/logout", $s3->{authentication});
ok t_cmp($res->code, 204, 'me/logout: 204, no body');
xel_error(xel_call('GET', "$M/appointments/$oid", $s3->{authentication}),
          401, 10020, 'the token after logout');
xel_error(xel_call('POST', "$M/me/logout", $s3->{authentication}),
          401, 10020, 'logout again');
xel_error(xel_call('POST', "$M/me/logout", undef), 403, 10000,
          'logout without Authorization');
$res = req('POST', "$M/me/renew", user => undef, type => 'application/json',
           body => $JSON->encode($s3->{renewalToken}));
xel_error($res, 401, 10000, 'renewal token of an ended session');

# ------------------------------------------------------ user spaces
my $a1 = json_of(xel_login($M, { %CRED, userSpace => 'phone' }))->{authentication};
my $b1 = json_of(xel_login($M, { %CRED, userSpace => 'desk' }))->{authentication};
my $a2 = json_of(xel_login($M, { %CRED, userSpace => 'phone' }))->{authentication};
xel_error(xel_call('GET', "$M/appointments/$oid", $a1), 401, 10020,
          'a second login in the same user space ends the first');
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $b1)->code, 200,
         '... another user space keeps its session');
ok t_cmp(xel_call('GET', "$M/appointments/$oid", $a2)->code, 200,
         '... the new one works');
# A login that carries a session token ends that session first.
$res = xel_login($M, { %CRED, userSpace => 'third' }, Authorization => "xelion $b1");
ok t_cmp($res->code, 200, 'login with a session token in Authorization');
xel_error(xel_call('GET', "$M/appointments/$oid", $b1), 401, 10020,
          '... ended that session');

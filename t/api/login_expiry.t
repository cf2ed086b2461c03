# Sessions end by themselves: a token after AppointmentsTokenLifetime
# (3 s on /short/PlanCare2Api), a refresh token after
# AppointmentsRenewalLifetime (6 s), a Xelion session that is not used
# for AppointmentsTokenIdle (3 s on /short/api/v1/master), while using it
# keeps it alive.  The waits are longer than the limits by a margin; no
# assertion is about how long anything took.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use Time::HiRes qw(sleep);
use AM::Test;
use AM::Login;

plan tests => 22;

my $PC = '/short/PlanCare2Api';
my $GET = "$PC/ClientAppointments/ContractAppointments/987654321";
my $XM = '/short/api/v1/master';
my $XGET = "$XM/appointments/987654321";

# ------------------------------------------ PlanCare2: token lifetime
my $t = json_of(token_req($PC, grant_type => 'password', username => 'tester',
                          password => 'tester')) || {};
ok t_cmp($t->{expires_in} // 0, 3, 'expires_in is AppointmentsTokenLifetime (3)');
ok t_cmp(req('GET', $GET, bearer($t->{access_token}))->code, 404,
         'the fresh token is accepted (404: no such appointment)');
sleep 4;
my $res = req('GET', $GET, bearer($t->{access_token}));
ok t_cmp($res->code, 401, 'after its lifetime: 401');
ok t_cmp(join(' ', $res->header('WWW-Authenticate')),
         qr/Bearer realm="[^"]*", error="invalid_token", error_description="The token is expired"/,
         '... WWW-Authenticate says expired');
ok t_cmp((json_of($res) || {})->{Message} // '',
         'Authorization has been denied for this request.', '... ASP.NET body');

# The refresh token outlives the token (6 s).
$res = token_req($PC, grant_type => 'refresh_token',
                 refresh_token => $t->{refresh_token});
ok t_cmp($res->code, 200, 'the refresh token renews an expired token');
my $t2 = json_of($res) || {};
ok t_cmp(req('GET', $GET, bearer($t2->{access_token}))->code, 404,
         '... the new token is accepted');
sleep 7;
$res = token_req($PC, grant_type => 'refresh_token',
                 refresh_token => $t2->{refresh_token});
ok t_cmp($res->code, 400, 'after the renewal lifetime: 400');
ok t_cmp((json_of($res) || {})->{error} // '', 'invalid_grant', '... invalid_grant');
ok t_cmp(req('GET', $GET, bearer($t2->{access_token}))->code, 401,
         '... and the token has expired too');

# ---------------------------------------------- Xelion: idle limit
my %CRED = (userName => 'tester', password => 'tester', userSpace => 'idle');
my $l = json_of(xel_login($XM, \%CRED)) || {};
ok t_cmp($l->{authentication} // '', qr/^\S{43}$/, 'Xelion login');
my $kept = json_of(xel_login($XM, { %CRED, userSpace => 'kept' })) || {};
ok t_cmp(xel_call('GET', $XGET, $l->{authentication})->code, 404,
         'the fresh session is accepted');
ok t_cmp(xel_call('GET', $XGET, $kept->{authentication})->code, 404,
         'a second session, to be kept busy');
# Used every 1.5 s over 4.5 s, which is more than the idle limit.
for my $i (1 .. 3) {
    sleep 1.5;
    ok t_cmp(xel_call('GET', $XGET, $kept->{authentication})->code, 404,
             "kept session, use $i: accepted");
}
$res = xel_call('GET', $XGET, $l->{authentication});
ok t_cmp($res->code, 401, 'the session left idle for more than 3 s: 401');
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10021, '... errorCode 10021 (expired)');
ok t_cmp(xel_call('GET', $XGET, $kept->{authentication})->code, 404,
         '... while the one in use lives on');
# Idle sessions cannot be renewed either.
$res = req('POST', "$XM/me/renew", user => undef, type => 'application/json',
           body => $JSON->encode($l->{renewalToken}));
ok t_cmp($res->code, 401, 'renewing an idle session: 401');
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10021, '... errorCode 10021');
# Logging out an expired session ends it as well.
ok t_cmp(xel_call('POST', "$XM/me/logout", $l->{authentication})->code, 204,
         'logout of the idle session: 204');

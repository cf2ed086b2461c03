# Logging in as a PlanCare2 client does (seeds/FACTS-public-docs.md, 12):
# POST {mount}/token with the OAuth 2.0 password grant, then
# "Authorization: Bearer <token>"; the refresh_token grant renews, POST
# token/revoke ends the session; every RFC 6749 5.2 error; the
# employmentId header where the admin allows it; Basic alongside (the
# migration); a token is good only where it was issued; failed logins
# logged for fail2ban; the database holds hashes only.  Expiry is in
# login_expiry.t, several servers in login_multiserver.t.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Login;

plan tests => 118;

my $M = '/token/PlanCare2Api';
my $C = "$M/ClientAppointments/ContractAppointments";
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $DENIED = 'Authorization has been denied for this request.';

sub oauth_error {
    my ($res, $error, $name) = @_;
    ok t_cmp($res->code, 400, "$name: 400");
    my $d = json_of($res) || {};
    ok t_cmp($d->{error} // '', $error, "$name: error $error");
    is_true(defined $d->{error_description} && !exists $d->{Message},
            "$name: RFC 6749 shape (error_description, no Message)");
}

# ------------------------------------------------------------ login
my $res = token_req($M, grant_type => 'password', username => 'tester',
                    password => 'tester');
ok t_cmp($res->code, 200, 'password grant: 200');
ok t_cmp($res->header('Content-Type'), qr{^application/json}, '... JSON');
ok t_cmp($res->header('Cache-Control') // '', 'no-store', '... Cache-Control: no-store');
my $t = json_of($res) || {};
ok t_cmp($t->{access_token} // '', qr/^[A-Za-z0-9_-]{43}$/, '... access_token');
ok t_cmp($t->{token_type} // '', 'bearer', '... token_type bearer');
ok t_cmp($t->{expires_in} // 0, 3600, '... expires_in (AppointmentsTokenLifetime default)');
ok t_cmp($t->{refresh_token} // '', qr/^[A-Za-z0-9_-]{43}$/, '... refresh_token');
ok t_cmp($t->{userName} // '', 'tester', '... userName');
ok t_cmp($t->{'.issued'} // '', qr/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/,
         '... .issued (RFC 1123)');
ok t_cmp($t->{'.expires'} // '', qr/ GMT$/, '... .expires');
my $tok = $t->{access_token};

# The form as a typed client writes it: any order, extra fields ignored.
$res = token_req($M, username => 'tester', password => 'tester',
                 client_id => 'PlanCare2Client', grant_type => 'password',
                 scope => 'api');
ok t_cmp($res->code, 200, 'fields in another order, with client_id and scope');
isnt_same(json_of($res)->{access_token}, $tok, '... a token of its own');

# --------------------------------------------------------------- use
$res = req_json('POST', $C, { %$sample, ClientId => 7301 }, bearer($tok));
ok t_cmp($res->code, 200, 'create with the bearer token');
my $a = json_of($res) || {};
ok t_cmp($a->{CreatedById} // 0, 1, '... CreatedById: tester\'s employment (user map)');
ok t_cmp($a->{CreatedByName} // '', 'tester', '... CreatedByName');
$res = req('GET', "$C/$a->{Id}", bearer($tok));
ok t_cmp($res->code, 200, 'read it with the token');
$res = req('GET', "$C/$a->{Id}", bearer($tok), accept => 'application/xml');
ok t_cmp($res->code, 200, '... in XML too');

# The employmentId header (AppointmentsEmploymentHeader employmentId).
$res = req_json('POST', $C, { %$sample, ClientId => 7301 },
                user => undef, headers => [Authorization => "Bearer $tok",
                                           employmentId => 4242]);
ok t_cmp($res->code, 200, 'employmentId header');
ok t_cmp((json_of($res) || {})->{CreatedById} // 0, 4242,
         '... overrides the token\'s employment');
$res = req_json('POST', $C, { %$sample, ClientId => 7301 },
                user => undef, headers => [Authorization => "Bearer $tok",
                                           employmentId => 'x12']);
ok t_cmp($res->code, 400, 'employmentId that is not a number: 400');
ok t_cmp((json_of($res) || {})->{Message} // '', qr/employmentId/,
         '... ASP.NET shape naming the header');
# Not allowed on the patient mount (no AppointmentsEmploymentHeader):
# ignored there; see login_patient.t.

# Basic is accepted as well (AppointmentsAuthBasic On).
$res = req('GET', "$C/$a->{Id}");
ok t_cmp($res->code, 200, 'Basic alongside tokens (migration)');
$res = req('GET', "$C/$a->{Id}", password => 'wrong');
ok t_cmp($res->code, 401, 'Basic with a wrong password: 401');

# Grants work unchanged: the token only says who.
$res = token_req($M, grant_type => 'password', username => 'clientplanner',
                 password => 'clientplanner');
my $cp = (json_of($res) || {})->{access_token} // '';
ok t_cmp(req('GET', "$C/$a->{Id}", bearer($cp))->code, 200,
         'client planner\'s token: client calendar');
$res = req('GET', "$M/TeamAppointments/987654321", bearer($cp));
ok t_cmp($res->code, 403, '... team calendar: 403 (Require appointments-permission)');
ok t_cmp((json_of($res) || {})->{Message} // '', $DENIED, '... ASP.NET body');
$res = token_req($M, grant_type => 'password', username => 'outsider',
                 password => 'outsider');
ok t_cmp($res->code, 200, 'a user without grants may log in');
$res = req('GET', "$C/$a->{Id}", bearer(json_of($res)->{access_token}));
ok t_cmp($res->code, 403, '... and gets 403 everywhere');

# ------------------------------------------------- refused tokens: 401
sub refused {
    my ($res, $name, $error) = @_;
    ok t_cmp($res->code, 401, "$name: 401");
    my @wa = $res->header('WWW-Authenticate');
    is_true((grep { /^Bearer realm="appointments tests"/
                    && (!$error || /error="invalid_token"/) } @wa)
            && (grep { /^Basic realm=/ } @wa),
            "$name: WWW-Authenticate Bearer" . ($error ? ' invalid_token' : '')
            . ' and Basic');
    ok t_cmp((json_of($res) || {})->{Message} // '', $DENIED,
             "$name: ASP.NET body");
}
refused(req('GET', "$C/$a->{Id}", user => undef), 'no Authorization');
refused(req('GET', "$C/$a->{Id}", bearer('not-a-token')), 'malformed token', 1);
refused(req('GET', "$C/$a->{Id}", bearer('A' x 43)), 'unknown token', 1);
refused(req('GET', "$C/$a->{Id}", bearer("$tok$tok")), 'token twice', 1);
refused(req('GET', "$C/$a->{Id}", xelion($tok)), 'the right token in another scheme');

# A token is good only where it was issued.
$res = req('GET', '/token/api/v1/master/appointments/1', xelion($tok));
ok t_cmp($res->code, 401, 'PlanCare2 token on the Xelion mount: 401');
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10020, '... Xelion 10020');
ok t_cmp(req('GET', '/token/api/v1/master/appointments/1', bearer($tok))->code,
         401, '... also as Bearer');
ok t_cmp(req('GET', "/token/api/Calendar/PatientAppointmentGet/"
                    . '0e0c0a5e-5a11-4d1d-9c1a-000000000001', bearer($tok))->code,
         401, 'on the patient mount (another realm): 401');
ok t_cmp(req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$a->{Id}",
             bearer($tok))->code, 401, 'on a mount with AuthType Basic: 401');

# ---------------------------------------------------- login errors
oauth_error(token_req($M, username => 'tester', password => 'tester'),
            'invalid_request', 'no grant_type');
oauth_error(token_req($M, grant_type => 'client_credentials'),
            'unsupported_grant_type', 'grant_type client_credentials');
oauth_error(token_req($M, grant_type => 'password', password => 'tester'),
            'invalid_request', 'no username');
oauth_error(token_req($M, grant_type => 'password', username => 'tester'),
            'invalid_request', 'no password');
oauth_error(token_req($M, grant_type => 'password', username => 'tester',
                      password => 'tester', password => 'tester'),
            'invalid_request', 'password given twice');
oauth_error(req('POST', "$M/token", user => undef, type => 'application/json',
                body => '{"grant_type":"password","username":"tester","password":"tester"}'),
            'invalid_request', 'JSON instead of a form');
oauth_error(token_req($M, grant_type => 'refresh_token'),
            'invalid_request', 'refresh_token missing');
oauth_error(token_req($M, grant_type => 'refresh_token', refresh_token => 'B' x 43),
            'invalid_grant', 'unknown refresh token');
oauth_error(token_req($M, grant_type => 'refresh_token', refresh_token => $tok),
            'invalid_grant', 'an access token as refresh token');
# Only POST is public: another method is an ordinary request.
ok t_cmp(req('GET', "$M/token", user => undef)->code, 401,
         'GET token without credentials: 401');
ok t_cmp(req('GET', "$M/token")->code, 405, 'GET token with credentials: 405');

# A wrong password and an unknown user: the same answer.
my $mark = log_mark();
my $wrong = token_req($M, grant_type => 'password', username => 'tester',
                      password => 'wrong');
my $unknown = token_req($M, grant_type => 'password', username => 'nosuchuser',
                        password => 'wrong');
oauth_error($wrong, 'invalid_grant', 'wrong password');
oauth_error($unknown, 'invalid_grant', 'unknown user');
ok t_cmp($unknown->decoded_content, $wrong->decoded_content,
         'unknown user and wrong password: the same body');
ok t_cmp(join(',', map { $_ // '' } $unknown->code,
              $unknown->header('Content-Type'), $unknown->header('Content-Length')),
         join(',', map { $_ // '' } $wrong->code,
              $wrong->header('Content-Type'), $wrong->header('Content-Length')),
         '... the same status and headers');
my $log = error_log_since($mark);
ok t_cmp($log, qr/\[client 127\.0\.0\.1:\d+\] user tester: authentication failure for "\/token\/PlanCare2Api\/token": Password Mismatch/,
         'wrong password logged with user and client address (mod_auth_basic\'s words)');
ok t_cmp($log, qr/\[appointments:warn\] .*\[client 127\.0\.0\.1:\d+\] user nosuchuser not found/,
         'unknown user logged with the module\'s name');
is_true($log !~ /AH\d{5}: user (tester|nosuchuser)(:| not found)/,
        '... without an APLOGNO number');

# The location's user-less Require lines hold for the login routes.
$res = token_req('/ipwall/PlanCare2Api', grant_type => 'password',
                 username => 'tester', password => 'tester');
ok t_cmp($res->code, 403, 'login route behind Require ip of another address: 403');
ok t_cmp((json_of($res) || {})->{Message} // '', $DENIED, '... ASP.NET body');

# An authn provider that fails: server_error, logged.
$mark = log_mark();
oauth_error(token_req('/brokenauth/PlanCare2Api', grant_type => 'password',
                      username => 'tester', password => 'tester'),
            'server_error', 'the authn provider fails');
ok t_cmp(error_log_since($mark), qr/\[appointments:error\].*user tester: the authn provider failed/,
         '... logged as an error');

# ---------------------------------------------------------- renew
$res = token_req($M, grant_type => 'password', username => 'tester',
                 password => 'tester');
my $s1 = json_of($res);
$res = token_req($M, grant_type => 'refresh_token',
                 refresh_token => $s1->{refresh_token});
ok t_cmp($res->code, 200, 'refresh_token grant: 200');
my $s2 = json_of($res) || {};
is_true($s2->{access_token} && $s2->{access_token} ne $s1->{access_token}
        && $s2->{refresh_token} && $s2->{refresh_token} ne $s1->{refresh_token},
        '... both tokens replaced');
ok t_cmp($s2->{userName} // '', 'tester', '... the same user');
ok t_cmp(req('GET', "$C/$a->{Id}", bearer($s2->{access_token}))->code, 200,
         'the new token works');
refused(req('GET', "$C/$a->{Id}", bearer($s1->{access_token})),
        'the replaced token', 1);
oauth_error(token_req($M, grant_type => 'refresh_token',
                      refresh_token => $s1->{refresh_token}),
            'invalid_grant', 'the replaced refresh token');

# --------------------------------------------------- revoke (logout)
$res = req('POST', "$M/token/revoke", user => undef,
           type => 'application/x-www-form-urlencoded',
           body => form(token => $s2->{access_token}));
ok t_cmp($res->code, 200, 'revoke: 200');
refused(req('GET', "$C/$a->{Id}", bearer($s2->{access_token})),
        'a revoked token', 1);
oauth_error(token_req($M, grant_type => 'refresh_token',
                      refresh_token => $s2->{refresh_token}),
            'invalid_grant', 'the refresh token of a revoked session');
$res = req('POST', "$M/token/revoke", user => undef,
           type => 'application/x-www-form-urlencoded',
           body => form(token => 'C' x 43));
ok t_cmp($res->code, 200, 'revoking an unknown token: 200 (RFC 7009)');
oauth_error(req('POST', "$M/token/revoke", user => undef,
                type => 'application/x-www-form-urlencoded', body => ''),
            'invalid_request', 'revoke without a token');

# ----------------------------------------- only hashes in the database
my @rows = session_rows();
is_true(@rows >= 3, scalar(@rows) . ' sessions stored');
is_true(!grep({ index($_, $tok) >= 0 || index($_, $t->{refresh_token}) >= 0 } @rows),
        'no token or refresh token in the session table');
is_true(grep({ /[0-9a-f]{64}/ } @rows), '... their SHA-256 hashes instead');

sub isnt_same { ok t_cmp($_[0] ne $_[1] ? 1 : 0, 1, $_[2]) }

# Sessions live in the module's database, so several servers share them:
# two httpd instances of their own (AM::Instance: the suite's
# configuration on other ports) on the backend the suite runs on.  A
# session opened on one server is used, renewed and ended on the other,
# and the end holds on the first at once.  Also concurrent renewals with
# one renewal token: one wins.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use HTTP::Request;
use AM::Test;
use AM::Instance;
use AM::Login qw(form);

plan tests => 19;

my $A = AM::Instance->new('la')->start;
my $B = AM::Instance->new('lb')->start;
my $ua = AM::Instance::ua();

sub call {
    my ($srv, $method, $path, $body, $type, @h) = @_;
    return $ua->request(HTTP::Request->new($method, $srv->url($path),
        [(defined $type ? ('Content-Type' => $type) : ()), @h], $body));
}

# ------------------------------------------------------------ Xelion
my $XM = '/token/api/v1/master';
my $XGET = "$XM/appointments/987654321";
my $res = call($A, 'POST', "$XM/me/login",
               $JSON->encode({ userName => 'tester', password => 'tester',
                               userSpace => 'two servers' }),
               'application/json');
ok t_cmp($res->code, 200, 'Xelion login on server A');
my $l = json_of($res) || {};
ok t_cmp(call($B, 'GET', $XGET, undef, undef,
              Authorization => "xelion $l->{authentication}")->code, 404,
         'the session works on server B (404: no such appointment)');
$res = call($B, 'POST', "$XM/me/renew", $JSON->encode($l->{renewalToken}),
            'application/json');
ok t_cmp($res->code, 200, 'renewed on B');
my $l2 = json_of($res) || {};
ok t_cmp(call($A, 'GET', $XGET, undef, undef,
              Authorization => "xelion $l->{authentication}")->code, 401,
         'A refuses the replaced token at once');
ok t_cmp(call($A, 'GET', $XGET, undef, undef,
              Authorization => "xelion $l2->{authentication}")->code, 404,
         'A takes the new one');
ok t_cmp(call($B, 'POST', "$XM/me/logout", undef, undef,
              Authorization => "xelion $l2->{authentication}")->code, 204,
         'logout on B');
$res = call($A, 'GET', $XGET, undef, undef,
            Authorization => "xelion $l2->{authentication}");
ok t_cmp($res->code, 401, 'A refuses the session at once');
ok t_cmp((json_of($res) || {})->{errorCode} // 0, 10020, '... errorCode 10020');
ok t_cmp(call($B, 'GET', $XGET, undef, undef,
              Authorization => "xelion $l2->{authentication}")->code, 401,
         '... and so does B');

# --------------------------------------------------------- PlanCare2
my $PM = '/token/PlanCare2Api';
my $PGET = "$PM/ClientAppointments/ContractAppointments/987654321";
my $FORM = 'application/x-www-form-urlencoded';
$res = call($B, 'POST', "$PM/token",
            form(grant_type => 'password', username => 'tester',
                 password => 'tester'), $FORM);
ok t_cmp($res->code, 200, 'PlanCare2 token from server B');
my $t = json_of($res) || {};
ok t_cmp(call($A, 'GET', $PGET, undef, undef,
              Authorization => "Bearer $t->{access_token}")->code, 404,
         'used on server A');
ok t_cmp(call($A, 'POST', "$PM/token/revoke",
              form(token => $t->{access_token}), $FORM)->code, 200,
         'revoked on A');
ok t_cmp(call($B, 'GET', $PGET, undef, undef,
              Authorization => "Bearer $t->{access_token}")->code, 401,
         'B refuses it at once');

# One refresh token, renewed on both servers at the same moment: one
# renewal wins, the others get invalid_grant.
$res = call($A, 'POST', "$PM/token",
            form(grant_type => 'password', username => 'tester',
                 password => 'tester'), $FORM);
my $rt = (json_of($res) || {})->{refresh_token};
my @res = AM::Instance::run_clients(6, sub {
    my $k = shift;
    my $srv = $k % 2 ? $B : $A;
    my $cua = AM::Instance::ua();
    $cua->get($srv->url('/'));     # connected
    my $r = HTTP::Request->new('POST', $srv->url("$PM/token"),
        ['Content-Type' => $FORM],
        form(grant_type => 'refresh_token', refresh_token => $rt));
    return sub {
        my $x = $cua->request($r);
        return $x->code . ' ' . ((json_of($x) || {})->{access_token}
                                 // (json_of($x) || {})->{error} // '');
    };
});
my @won = grep { /^200 / } @res;
ok t_cmp(scalar(@won), 1, 'six concurrent renewals with one refresh token:'
         . ' exactly one wins') or print "# @res\n";
ok t_cmp(scalar(grep { /^400 invalid_grant$/ } @res), 5,
         '... the others get invalid_grant') or print "# @res\n";
my ($winner) = map { (split / /)[1] } @won;
$winner //= '';
ok t_cmp(call($A, 'GET', $PGET, undef, undef,
              Authorization => "Bearer $winner")->code, 404,
         'the winner\'s token works on A');
ok t_cmp(call($B, 'GET', $PGET, undef, undef,
              Authorization => "Bearer $winner")->code, 404,
         '... and on B');

# Every server's log has its failed logins (none here) and no error.
for my $srv ($A, $B) {
    open my $fh, '<', $srv->error_log or die $srv->error_log . ": $!";
    my @bad = grep { /\[appointments:(error|crit)\]/ } <$fh>;
    close $fh;
    ok t_cmp(scalar(@bad), 0, $srv->name . ': no module error logged')
        or print "# $bad[0]";
}

# Failed logins are logged so that fail2ban bans the address: the stock
# apache-auth filter of Debian's fail2ban (fail2ban-regex, the tool that
# tries a filter on a log) matches every failed login of each flow
# (/token, me/login, me/renew with a password, Basic on the token AuthType)
# with the client's address, and no successful one.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Login;

my $FILTER = '/etc/fail2ban/filter.d/apache-auth.conf';

plan tests => 6;

my $mark = log_mark();
my $PM = '/token/PlanCare2Api';
my $XM = '/token/api/v1/master';
my %CRED = (userName => 'tester', password => 'tester', userSpace => 'f2b');
# Two successes ...
ok t_cmp(token_req($PM, grant_type => 'password', username => 'tester',
                   password => 'tester')->code, 200, 'a login that works');
my $x = json_of(xel_login($XM, \%CRED)) || {};
# ... and five failures.
token_req($PM, grant_type => 'password', username => 'tester', password => 'bad');
token_req($PM, grant_type => 'password', username => 'mallory', password => 'bad');
xel_login($XM, { %CRED, password => 'bad' });
req('POST', "$XM/me/renew", user => undef, type => 'application/json',
    body => '"bad"', headers => [Authorization => "xelion $x->{authentication}"]);
req('GET', "$PM/ClientAppointments/ContractAppointments/1", password => 'bad');

# The module's lines of that stretch of the error log.
my @lines = grep { /\[appointments:/ } split /\n/, error_log_since($mark);
my $file = Apache::Test::vars('t_dir') . '/state/f2b-error_log';
mkdir Apache::Test::vars('t_dir') . '/state';
open my $fh, '>', $file or die "$file: $!";
print $fh "$_\n" for @lines;
close $fh;

ok t_cmp(-r $FILTER ? 1 : 0, 1, "fail2ban's $FILTER is installed");
my @ips = `fail2ban-regex -o ip '$file' '$FILTER' 2>&1`;
chomp @ips;
my $out = join ' ', @ips;
ok t_cmp(scalar(grep { $_ eq '127.0.0.1' } @ips), 5,
         'the stock apache-auth filter matches the five failed logins') or print "# $out\n";
ok t_cmp(scalar(@ips), 5, '... and nothing else (not the successful logins)')
    or print "# $out\n";
my @users = `fail2ban-regex -o user '$file' '$FILTER' 2>&1`;
chomp @users;
ok t_cmp(join(' ', sort @users), 'mallory tester: tester: tester: tester:',
         '... with the user names') or print "# @users\n";
is_true((grep { /logged in/ } @lines) == 2, 'the two logins that worked are logged too (info)');

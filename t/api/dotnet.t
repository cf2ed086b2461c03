# The .NET client suite (clients/dotnet, built by `make dotnet`): C# data
# contracts typed from the API's pages, Json.NET and
# DataContractSerializer under mono, against this test server.  Each of
# its assertions becomes one test here; the suite must run to its end.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use Apache::TestRequest;

my $exe = $ENV{AM_DOTNET_CLIENT} // '';
my $server = Apache::TestRequest::resolve_url('/');
$server =~ s{/$}{};

# How it logs in: as a PlanCare2 client does (POST {mount}/token, then
# Bearer) on the mounts that take login tokens, when the test
# configuration has them; HTTP Basic otherwise.
my $conf = "$FindBin::Bin/../conf/extra.conf.in";
my $login = 'basic';
if (open my $cf, '<', $conf) {
    local $/;
    $login = 'token' if <$cf> =~ m{^<Location /token/PlanCare2Api>}m;
}

my @lines;
my $rc = -1;
if (-f $exe) {
    # The server's zone is Europe/Amsterdam; the client's own is UTC, so
    # that no offset is the same by accident.
    local $ENV{TZ} = 'UTC';
    if (open my $fh, '-|', 'mono', '--debug', $exe, $server,
            '--login', $login) {
        @lines = <$fh>;
        close $fh;
        # The whole wait status: a client killed by a signal (mono's
        # own abort) is no exit 0.
        $rc = $?;
    }
}
my @tests = grep { /^(not )?ok\b/ } @lines;
my ($done) = map { /^# done (\d+) (\d+)/ ? [$1, $2] : () } @lines;

plan tests => 3 + scalar(@tests);

ok t_cmp(-f $exe ? 1 : 0, 1, "the .NET client is built ($exe; make dotnet)");
ok t_cmp(defined $done ? 1 : 0, 1, "the .NET suite ran to its end (login: $login)");
ok t_cmp($rc, 0, 'the .NET suite exits 0 (wait status)');

my $i = 0;
for my $l (@lines) {
    chomp $l;
    if ($l =~ /^(not )?ok - (.*)$/) {
        my ($bad, $name) = ($1, $2);
        print STDERR "# .NET: not ok - $name\n" if $bad;
        ok t_cmp($bad ? 'not ok' : 'ok', 'ok', $name);
    }
    elsif ($l =~ /^#/) {
        print STDERR "$l\n" if $l !~ /^# done/;
    }
}

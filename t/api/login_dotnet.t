# A .NET client logs in through /token as a PlanCare2 client does
# (clients/login/TokenLogin.cs: HttpClient, FormUrlEncodedContent and
# Json.NET under mono), then works with the bearer token.  Built here
# with mono's mcs; each of its assertions is one test.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use Apache::TestRequest;

my $top = $ENV{AM_MODULE} ? $ENV{AM_MODULE} =~ s{/\.libs/[^/]+$}{}r
                          : "$FindBin::Bin/../..";
my $src = "$top/clients/login/TokenLogin.cs";
my $dir = Apache::Test::vars('t_dir') . '/state';
mkdir $dir;
my $exe = "$dir/TokenLogin.exe";
my $refs = `pkg-config --libs newtonsoft-json 2>/dev/null` // '';
chomp $refs;
my $built = system('mcs', '-nologo', '-warnaserror', '-target:exe',
                   "-out:$exe", '-r:System.Net.Http', split(' ', $refs),
                   $src) == 0;

my $mount = Apache::TestRequest::resolve_url('/token/PlanCare2Api/');
my (@lines, $rc);
if ($built) {
    local $ENV{TZ} = 'UTC';
    open my $fh, '-|', 'mono', $exe, $mount, 'tester', 'tester'
        or die "mono: $!";
    @lines = <$fh>;
    close $fh;
    $rc = $? >> 8;
}
my @tests = grep { /^(not )?ok\b/ } @lines;
my ($done) = grep { /^# done \d+ \d+/ } @lines;

plan tests => 3 + @tests;
ok t_cmp($built ? 1 : 0, 1, "mcs builds $src");
ok t_cmp(defined $done ? 1 : 0, 1, 'the .NET client ran to its end');
ok t_cmp($rc // -1, 0, 'the .NET client exits 0');
for my $l (@lines) {
    chomp $l;
    if ($l =~ /^(not )?ok - (.*)$/) {
        ok t_cmp($1 ? 'not ok' : 'ok', 'ok', ".NET: $2");
    }
    elsif ($l =~ /^#/ && $l !~ /^# done/) {
        print "$l\n";
    }
}

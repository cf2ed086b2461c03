# A write that finds the SQLite database locked past the driver's
# retries (16 x 100 ms) gets 503 with Retry-After in the dialect's shape,
# and writes nothing; reads go on meanwhile (WAL).  SQLite only: on
# PostgreSQL writers wait for row locks instead.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use IO::Handle;

plan tests => 7, need { 'the SQLite backend' =>
    (($ENV{AM_TEST_BACKEND} // 'sqlite') eq 'sqlite') };

my $c = '/PlanCare2Api/ClientAppointments';
my $body = seed('seed002_ContractAppointment.json');
my $res = req('POST', "$c/ContractAppointments", body => $body,
              type => 'application/json');
my $id = json_of($res)->{Id};

# Another connection takes the write lock and keeps it for 4 seconds.
my $db = "$ENV{AM_TEST_DB_DIR}/appointments.db";
my @cmd = ('sqlite3', $db);
unshift @cmd, 'runuser', '-u', 'nobody', '--' if $< == 0;
open my $lock, '|-', @cmd or die "sqlite3: $!";
$lock->autoflush(1);
print $lock "BEGIN IMMEDIATE;\nUPDATE am_schema SET version = version;\n";
sleep 1;

my $before = db_snapshot();
my $t0 = time;
$res = req('POST', "$c/ContractAppointments", body => $body,
           type => 'application/json');
ok t_cmp($res->code, 503, 'a write against a held lock: 503');
ok t_cmp($res->header('Retry-After'), qr/^\d+$/, 'with Retry-After');
ok t_cmp(json_of($res)->{Message}, qr/busy/i, 'in the ASP.NET shape');
is_true(time - $t0 < 4, 'after the driver gave up, not after the lock');
$res = req('GET', "$c/ContractAppointments/$id");
ok t_cmp($res->code, 200, 'reads go on while the lock is held');

print $lock "COMMIT;\n";
close $lock;
ok t_cmp(db_snapshot(), $before, 'nothing was written');
$res = req('POST', "$c/ContractAppointments", body => $body,
           type => 'application/json');
ok t_cmp($res->code, 200, 'writes work again once the lock is gone');

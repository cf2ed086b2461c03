# Mutated request bodies (truncated, bytes flipped, junk inserted, parts
# repeated, numbers and strings blown up, deep nesting) against every
# route that takes a body, in every body format: never a 5xx, never a
# crashed child, and the server answers afterwards.  Deterministic
# (fixed seed), bounded in count.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my $ROUNDS = 40;    # per route and format

# What this test writes must not meet later tests: the Xelion patches go
# to an appointment of its own (one id space: a PlanCare2 single one),
# deleted at the end, and whatever the patient route booked is cancelled
# at the end (the double-booking guard would refuse the seed's slot).
my $own = seed_json('seed002_ContractAppointment.json');
delete @$own{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $own_id = json_of(req_json('POST',
    '/PlanCare2Api/ClientAppointments/ContractAppointments', $own))->{Id}
    // 1;
my @booked;    # patient appointments (GUIDs) to cancel

my @targets = (
    ['/PlanCare2Api/ClientAppointments/ContractAppointments', 'application/json', 'seed002_ContractAppointment.json'],
    ['/PlanCare2Api/ClientAppointments/ContractAppointments', 'application/xml', 'seed002_ContractAppointment.xml'],
    ['/PlanCare2Api/TeamAppointments/ChangeOfTeamAppointments', 'application/json', 'seed001_ChangeOfTeamAppointment.json'],
    ['/PlanCare2Api/TeamAppointments/ChangeOfTeamAppointments', 'text/xml', 'seed001_ChangeOfTeamAppointment.xml'],
    ['/PlanCare2Api/ClientAppointments/OccurrenceAppointments', 'application/json', 'seed000_OccurrenceAppointment.json'],
    ['/PlanCare2Api/ClientAppointments/OccurrenceAppointments', 'application/xml', 'seed000_OccurrenceAppointment.xml'],
    ['/api/Calendar/PatientAppointmentPost_v2', 'application/json', 'seed003_AppointmentModel.json'],
    ['/api/Calendar/PatientAppointmentPost_v2', 'application/x-www-form-urlencoded', undef],
    ["/api/v1/master/appointments/$own_id", 'application/json', 'seed004_patch1.json', 'PATCH'],
    ["/api/v1/master/appointments/$own_id", 'application/json', 'seed004_patch2.json', 'PATCH'],
);

plan tests => 2 * @targets + 2;

srand(20261122);

my $form = 'UserId=84ef7a81-c643-4b8e-85e5-1ff52fc35f3d'
         . '&AccountId=3faed728-f67f-4bc0-888f-a8410d31c7df'
         . '&AppointmentOn=2026-02-03T21:04:03.1544841-06:00&Reason=r'
         . '&Reasons[0].ReasonId=7b0d7dbd-2e54-48b9-a80d-fb468fda994e'
         . '&PaidAmount=5.0&MethodId=1';

my @junk = ('{', '}', '[', ']', '"', '\\', '<', '>', '&', '&amp;', '&x;',
            '<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            "\x00", "\xff\xfe", "\xc3\x28", '\\u0000', '\\ud800', 'null',
            '1e999', '-0', '99999999999999999999999999999999', '$ref',
            '{"$ref":"9"}', '%', '%zz', '%00', '=', 'i:nil="true"');

# Notes the patient appointment a response booked.
sub booked {
    my ($path, $r) = @_;
    return unless $path =~ m{^/api/Calendar/} && $r->is_success;
    my $c = $r->content // '';
    push @booked, $1
        if $c =~ /"Id"\s*:\s*"([0-9a-fA-F-]{36})"/
        || $c =~ m{<(?:\w+:)?Id>([0-9a-fA-F-]{36})</(?:\w+:)?Id>};
}

sub mutate {
    my ($s) = @_;
    my $n = length $s;
    my $k = int(rand(8));
    if ($k == 0) { return substr($s, 0, int(rand($n))) }
    if ($k == 1) {
        my $p = int(rand($n));
        substr($s, $p, 1) = chr(int(rand(256)));
        return $s;
    }
    if ($k == 2) {
        my $p = int(rand($n));
        substr($s, $p, 0) = $junk[int(rand(@junk))];
        return $s;
    }
    if ($k == 3) {
        my $p = int(rand($n)); my $l = int(rand(200));
        substr($s, $p, 0) = substr($s, $p, $l) x (1 + int(rand(20)));
        return $s;
    }
    if ($k == 4) { $s =~ s/(\d+)/'9' x (10 + int(rand(40)))/e; return $s }
    if ($k == 5) { $s =~ s/("[^"]*"\s*:\s*")([^"]*)/$1 . ('x' x int(rand(3000)))/e; return $s }
    if ($k == 6) {
        my $d = 1 + int(rand(300));
        return ($s =~ /^\s*</) ? ('<a>' x $d) . ('</a>' x $d)
                               : ('[' x $d) . (']' x $d);
    }
    my $p = int(rand($n));
    my $q = $p + int(rand(50));
    return substr($s, 0, $p) . ($q < $n ? substr($s, $q) : '');
}

for my $t (@targets) {
    my ($path, $type, $file, $method) = @$t;
    $method //= 'POST';
    my $base = defined $file ? seed($file) : $form;
    my ($worst, $bad) = (0, '');
    for (1 .. $ROUNDS) {
        my $body = mutate($base);
        my $r = req($method, $path, body => $body, type => $type,
                    accept => (rand() < 0.5 ? 'application/json' : 'application/xml'));
        booked($path, $r);
        if ($r->code > $worst) {
            $worst = $r->code;
            $bad = $body if $worst >= 500;
        }
    }
    ok t_cmp($worst < 500 ? 1 : 0, 1, "$method $path ($type): no 5xx (worst $worst)")
        or print "# body: " . substr($bad, 0, 300) . "\n";
    # The route still works for a good body.
    my $r = req($method, $path, body => $base, type => $type);
    booked($path, $r);
    ok t_cmp($r->code < 500 ? 1 : 0, 1, "$path still answers ($r->{_rc})");
}

for my $g (@booked) {
    req_json('POST', '/api/Calendar/PatientAppointmentCancel',
             { Id => $g, Reason => 'fuzz_bodies.t' });
}

my $r = req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$own_id");
ok t_cmp($r->code, 200, 'the server answers after all of it');
req('DELETE', "/api/v1/master/appointments/$own_id");

my $log = Apache::Test::vars('t_logs') . '/error_log';
open my $fh, '<', $log or die "$log: $!";
my $crashes = grep { /exit signal|Segmentation|AH00052/ } <$fh>;
close $fh;
ok t_cmp($crashes, 0, 'no child crashed (error_log)');

# Patient dialect: the routes around PatientAppointmentPost_v2: read one
# back, list by patient or provider and range, cancel (kept, with status
# Cancelled), reschedule; the double-booking guard and the default
# duration directives.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 69;

my $base = '/api/Calendar';
my $free = '/patient2/api/Calendar';   # guard Off, 45 minutes by default
my $sample = seed_json('seed003_AppointmentModel.json');
my $JU = JSON::PP->new->utf8->canonical(1);

sub guid {
    return sprintf '%08x-%04x-%04x-%04x-%04x%08x', int rand 2**32,
        int rand 65536, int rand 65536, int rand 65536, int rand 65536,
        int rand 2**32;
}

sub jof {
    my ($res) = @_;
    return eval { $JU->decode($res->content) } || {};
}

sub post {
    my ($where, %b) = @_;
    # The sample's PaidAmount as its text, 5.0 (Perl would write 5).
    my $text = $JU->encode({ %$sample, %b })
               =~ s/"PaidAmount":5([,}])/"PaidAmount":5.0$1/r;
    my $res = req('POST', "$where/PatientAppointmentPost_v2", body => $text,
                  type => 'application/json');
    return ($res, jof($res));
}

sub list {
    my ($query, %o) = @_;
    my $res = req('GET', "$base/PatientAppointmentList?$query", %o);
    return ($res, $res->code == 200 ? jof($res) : []);
}

sub ids { return join ',', map { $_->{Id} } @{ $_[0] } }

my ($P, $Q, $A, $B) = (guid(), guid(), guid(), guid());
my $day = '2030-03-01';

# --- create: back-to-back is fine, an overlap is not
my ($res, $a1) = post($base, ProviderId => $P, PatientId => $A,
                      AppointmentOn => "${day}T09:00:00+01:00",
                      Reason => 'check-up', Note => 'first');
ok t_cmp($res->code, 200, 'first appointment of provider P');
ok t_cmp($a1->{AppointmentEndOn}, "${day}T09:30:00+01:00", 'ends after 30 minutes');
my ($res2, $a2) = post($base, ProviderId => $P, PatientId => $B,
                       AppointmentOn => "${day}T09:30:00+01:00",
                       Reason => 'follow-up');
ok t_cmp($res2->code, 200, 'back to back with the first: no overlap');
($res) = post($base, ProviderId => $P, PatientId => $A,
              AppointmentOn => "${day}T09:15:00+01:00");
ok t_cmp($res->code, 409, 'overlapping both: 409');
ok t_cmp(jof($res)->{Message} // '', qr/already booked for provider \Q$P\E/,
         'the message says why');
($res) = post($base, ProviderId => uc("{$P}"), PatientId => $A,
              AppointmentOn => '2030-03-01T08:29:59.9999999Z');
ok t_cmp($res->code, 409, 'the same provider in another GUID form, 1 tick into the slot: 409');
my ($res4, $a4) = post($base, ProviderId => $Q, PatientId => $A,
                       AppointmentOn => "${day}T09:00:00+01:00");
ok t_cmp($res4->code, 200, 'another provider at the same time: fine');
my ($res5, $a5) = post($base, ProviderId => undef, PatientId => $A,
                       AppointmentOn => "${day}T09:00:00+01:00");
ok t_cmp($res5->code, 200, 'no provider: no double-booking check');

# --- read one
$res = req('GET', "$base/PatientAppointmentGet/$a1->{Id}");
ok t_cmp($res->code, 200, 'GET PatientAppointmentGet/{id}');
ok t_cmp($JU->encode(jof($res)), $JU->encode($a1), 'as created');
my $etag = $res->header('ETag');
$res = req('GET', "$base/PatientAppointmentGet/$a1->{Id}",
           headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 304, 'If-None-Match with the ETag: 304');
$res = req('GET', "$base/PatientAppointmentGet/$a1->{Id}",
           accept => 'application/xml');
ok t_cmp(xml_of($res) ? xml_of($res)->documentElement->localname : '',
         'AppointmentModel', 'GET in XML');
$res = req('GET', "$base/PatientAppointmentGet/" . guid());
ok t_cmp($res->code, 404, 'unknown id: 404');
ok t_cmp(jof($res)->{Message} // '', qr/No appointment/, 'in ASP.NET shape');
$res = req('GET', "$base/PatientAppointmentGet/12345");
ok t_cmp($res->code, 400, 'an id that is no GUID: 400');
ok t_cmp(join(',', keys %{ jof($res)->{ModelState} || {} }), 'model.id',
         'naming the id');

# --- list
my ($l, $r);
($l, $r) = list("providerId=$P&from=$day&until=2030-03-02");
ok t_cmp($l->code, 200, 'list by provider');
ok t_cmp(ids($r), "$a1->{Id},$a2->{Id}", 'the provider\'s day, by start');
($l, $r) = list("patientId=$A&from=$day&until=2030-03-02");
is_true(@$r == 3 && !grep({ $_->{PatientId} ne $A } @$r),
        'list by patient: the patient\'s three');
($l, $r) = list("patientId=$A&providerId=$P&from=$day&until=2030-03-02");
ok t_cmp(ids($r), $a1->{Id}, 'both: the provider\'s appointments with the patient');
($l, $r) = list("providerid=" . uc("{$P}") . "&from=${day}T09:30:00%2B01:00"
                . "&until=${day}T10:00:00%2B01:00");
ok t_cmp(ids($r), $a2->{Id}, '[from, until) overlap; argument names and GUID forms as ASP.NET takes them');
($l, $r) = list("providerId=$P&from=2030-03-02&until=2030-03-03");
ok t_cmp($l->code . ' ' . scalar(@$r), '200 0', 'an empty day');
($l) = list("providerId=$P&from=$day&until=2030-03-02", accept => 'application/xml');
my $xd = xml_of($l);
ok t_cmp($xd ? $xd->documentElement->localname : '', 'ArrayOfAppointmentModel',
         'the list in XML');
ok t_cmp($xd ? scalar(() = $xd->documentElement->getChildrenByTagName('AppointmentModel')) : 0,
         2, 'with its items');
for my $case (["from=$day&until=2030-03-02", 'model.patientId', 'neither id'],
              ["providerId=nope&from=$day&until=2030-03-02", 'model.providerId', 'a bad GUID'],
              ["providerId=$P&until=2030-03-02", 'model.from', 'from missing'],
              ["providerId=$P&from=$day&until=$day", 'model.until', 'an empty range'],
              ["providerId=$P&from=yesterday&until=2030-03-02", 'model.from', 'a bad date']) {
    my ($q, $key, $name) = @$case;
    ($l) = list($q);
    ok t_cmp($l->code . ' ' . join(',', keys %{ jof($l)->{ModelState} || {} }),
             "400 $key", "list: $name");
}

# --- cancel
$res = req_json('POST', "$base/PatientAppointmentCancel",
                { Id => $a1->{Id}, Reason => 'patient is ill' });
ok t_cmp($res->code, 200, 'PatientAppointmentCancel');
my $c1 = jof($res);
ok t_cmp($c1->{Status}, 2, 'status Cancelled');
ok t_cmp($c1->{CancelReason}, 'patient is ill', 'with the reason');
ok t_cmp($c1->{Reason}, 'check-up', 'the booking reason unchanged');
ok t_cmp($res->header('ETag'), '"v2-json"', 'a new version');
$res = req('GET', "$base/PatientAppointmentGet/$a1->{Id}");
ok t_cmp($res->code . ' ' . (jof($res)->{Status} // ''), '200 2',
         'kept, not deleted');
($l, $r) = list("providerId=$P&from=$day&until=2030-03-02");
ok t_cmp(join(',', map { $_->{Status} } @$r), '2,0', 'listed with its status');
$res = req_json('POST', "$base/PatientAppointmentCancel",
                { Id => $a1->{Id}, Reason => 'again' });
ok t_cmp($res->code . ' ' . (jof($res)->{CancelReason} // ''),
         '200 patient is ill', 'cancelling again changes nothing');
$res = req('POST', "$base/PatientAppointmentCancel",
           body => "Id=$a4->{Id}&Reason=by+form",
           type => 'application/x-www-form-urlencoded');
ok t_cmp($res->code . ' ' . (jof($res)->{CancelReason} // ''), '200 by form',
         'cancel with a form body');
for my $case ([{ Id => $a2->{Id} }, 400, 'model.Reason', 'no reason'],
              [{ Id => $a2->{Id}, Reason => '' }, 400, 'model.Reason', 'an empty reason'],
              [{ Id => $a2->{Id}, Reason => 'x' x 251 }, 400, 'model.Reason', 'a reason of 251 characters'],
              [{ Reason => 'x' }, 400, 'model.Id', 'no Id'],
              [{ Id => 'x', Reason => 'x' }, 400, 'model.Id', 'a bad Id'],
              [{ Id => guid(), Reason => 'x' }, 404, '', 'an unknown Id']) {
    my ($body, $code, $key, $name) = @$case;
    $res = req_json('POST', "$base/PatientAppointmentCancel", $body);
    ok t_cmp($res->code . ' ' . join(',', keys %{ jof($res)->{ModelState} || {} }),
             "$code $key", "cancel: $name");
}

# The cancelled appointment frees its slot.
my ($res6, $a6) = post($base, ProviderId => $P, PatientId => $B,
                       AppointmentOn => "${day}T09:00:00+01:00");
ok t_cmp($res6->code, 200, 'a cancelled appointment does not block its slot');

# --- reschedule
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $a2->{Id}, AppointmentOn => "${day}T09:10:00+01:00" });
ok t_cmp($res->code, 409, 'rescheduling onto another appointment: 409');
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $a2->{Id}, AppointmentOn => "${day}T11:00:00+01:00",
                  SecondaryAppointmentOn => "${day}T11:00:00.5+01:00" });
ok t_cmp($res->code, 200, 'PatientAppointmentReschedule');
my $m2 = jof($res);
ok t_cmp($m2->{AppointmentOn}, "${day}T11:00:00+01:00", 'new AppointmentOn');
ok t_cmp($m2->{AppointmentEndOn}, "${day}T11:30:00+01:00", 'the duration kept');
ok t_cmp($m2->{SecondaryAppointmentOn}, "${day}T11:00:00.5+01:00",
         'new SecondaryAppointmentOn');
ok t_cmp(join('|', map { $m2->{$_} // '' } qw(Reason PatientId ProviderId UserId Note)),
         join('|', map { $a2->{$_} // '' } qw(Reason PatientId ProviderId UserId Note)),
         'everything else unchanged');
ok t_cmp($res->content, qr/"PaidAmount":5\.0[,}]/, 'PaidAmount still exact');
$etag = $res->header('ETag');
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $a2->{Id}, AppointmentOn => "${day}T11:10:00+01:00" },
                headers => ['If-Match' => '"v1-json"']);
ok t_cmp($res->code, 412, 'a stale If-Match: 412');
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $a2->{Id}, AppointmentOn => "${day}T11:10:00+01:00" },
                headers => ['If-Match' => $etag]);
ok t_cmp($res->code, 200, 'overlapping only its own old slot, with the current ETag');
ok t_cmp(jof($res)->{SecondaryAppointmentOn}, "${day}T11:00:00.5+01:00",
         'SecondaryAppointmentOn left as it was when not given');
$res = req('POST', "$base/PatientAppointmentReschedule",
           body => "Id=$a2->{Id}&AppointmentOn=${day}T12:00:00%2B01:00",
           type => 'application/x-www-form-urlencoded');
ok t_cmp($res->code . ' ' . (jof($res)->{AppointmentEndOn} // ''),
         "200 ${day}T12:30:00+01:00", 'reschedule with a form body');
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $a1->{Id}, AppointmentOn => "${day}T15:00:00+01:00" });
ok t_cmp($res->code, 409, 'a cancelled appointment cannot be rescheduled');
for my $case ([{ Id => $a2->{Id} }, 400, 'model.AppointmentOn', 'no AppointmentOn'],
              [{ Id => $a2->{Id}, AppointmentOn => 'soon' }, 400, 'model.AppointmentOn', 'a bad AppointmentOn'],
              [{ Id => $a2->{Id}, AppointmentOn => '9999-12-31T23:50:00Z' }, 400, 'model.AppointmentOn', 'an end beyond 9999'],
              [{ AppointmentOn => "${day}T15:00:00Z" }, 400, 'model.Id', 'no Id'],
              [{ Id => guid(), AppointmentOn => "${day}T15:00:00Z" }, 404, '', 'an unknown Id']) {
    my ($body, $code, $key, $name) = @$case;
    $res = req_json('POST', "$base/PatientAppointmentReschedule", $body);
    ok t_cmp($res->code . ' ' . join(',', keys %{ jof($res)->{ModelState} || {} }),
             "$code $key", "reschedule: $name");
}
($l, $r) = list("providerId=$P&from=$day&until=2030-03-02");
ok t_cmp(join(',', map { "$_->{Id}:$_->{Status}" } @$r),
         "$a1->{Id}:2,$a6->{Id}:0,$a2->{Id}:0", 'the provider\'s day after all that');

# --- AppointmentsDefaultDuration 45 and AppointmentsPreventDoubleBooking Off
my ($f1r, $f1) = post($free, ProviderId => $P, AppointmentOn => "${day}T09:00:00+01:00");
ok t_cmp($f1r->code, 200, 'without the guard');
ok t_cmp($f1->{AppointmentEndOn}, "${day}T09:45:00+01:00", 'AppointmentsDefaultDuration 45');
my ($f2r) = post($free, ProviderId => $P, AppointmentOn => "${day}T09:00:00+01:00");
ok t_cmp($f2r->code, 200, 'AppointmentsPreventDoubleBooking Off: overlaps allowed');
$res = req_json('POST', "$free/PatientAppointmentReschedule",
                { Id => $f1->{Id}, AppointmentOn => "${day}T13:00:00+01:00" });
ok t_cmp(jof($res)->{AppointmentEndOn} // '', "${day}T13:45:00+01:00",
         'rescheduling keeps the 45 minutes');
# One store: what /patient2 made is readable at /api/Calendar too.
$res = req('GET', "$base/PatientAppointmentGet/$f1->{Id}");
ok t_cmp($res->code, 200, 'one store behind both locations');
# Rescheduling there into P's booked 09:00 under the guard is refused.
$res = req_json('POST', "$base/PatientAppointmentReschedule",
                { Id => $f1->{Id}, AppointmentOn => "${day}T09:00:00+01:00" });
ok t_cmp($res->code, 409, 'the guard applies where it is On');

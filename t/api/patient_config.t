# The patient API's directives: AppointmentsApi patient,
# AppointmentsDefaultDuration and AppointmentsPreventDoubleBooking pass
# `apache2 -t` where they are valid and fail it, naming the problem,
# where they are not.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use File::Temp qw(tempdir);
use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my $httpd = Apache::Test::vars('httpd');
my $moddir = $ENV{AM_MODDIR} // do { my $d = qx{apxs -q LIBEXECDIR}; chomp $d; $d };
my $module = $ENV{AM_MODULE}
    // Apache::Test::vars('serverroot') . '/../.libs/mod_appointments.so';
my $dir = tempdir(CLEANUP => 1);

# Runs apache2 -t with $server at server level and $location inside
# <Location /api/Calendar>; returns (exit status, output).
sub configtest {
    my ($location, $server) = @_;
    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh <<"CONF";
ServerRoot "$dir"
ServerName localhost
ErrorLog "$dir/error.log"
<IfModule !mpm_event_module>
<IfModule !mpm_worker_module>
<IfModule !mpm_prefork_module>
    LoadModule mpm_event_module "$moddir/mod_mpm_event.so"
</IfModule>
</IfModule>
</IfModule>
<IfModule !mod_authz_core.c>
    LoadModule authz_core_module "$moddir/mod_authz_core.so"
</IfModule>
<IfModule !mod_dbd.c>
    LoadModule dbd_module "$moddir/mod_dbd.so"
</IfModule>
LoadModule appointments_module "$module"
$server
<Location /api/Calendar>
    SetHandler appointments
    AppointmentsApi patient
$location
</Location>
CONF
    close $fh;
    my $out = qx{"$httpd" -t -f "$conf" 2>&1};
    return ($? >> 8, $out);
}

my @cases = (
    # [name, location lines, server lines, expected (undef = Syntax OK)]
    ['AppointmentsApi patient alone', '', '', undef],
    ['both directives in a location',
     "AppointmentsDefaultDuration 45\nAppointmentsPreventDoubleBooking On",
     '', undef],
    ['both at server level, overridden in the location',
     "AppointmentsPreventDoubleBooking off\nAppointmentsDefaultDuration 1",
     "AppointmentsPreventDoubleBooking On\nAppointmentsDefaultDuration 1440",
     undef],
    ['a duration of 0', 'AppointmentsDefaultDuration 0', '',
     qr/AppointmentsDefaultDuration: a number of minutes from 1 to 1440/],
    ['a duration over a day', 'AppointmentsDefaultDuration 1441', '',
     qr/AppointmentsDefaultDuration: a number of minutes from 1 to 1440/],
    ['a duration with a unit', 'AppointmentsDefaultDuration 30m', '',
     qr/AppointmentsDefaultDuration: a number of minutes/],
    ['a huge duration', 'AppointmentsDefaultDuration 99999999999999999999', '',
     qr/AppointmentsDefaultDuration: a number of minutes/],
    ['On or Off only', 'AppointmentsPreventDoubleBooking yes', '',
     qr/AppointmentsPreventDoubleBooking must be On or Off/],
    ['no argument', 'AppointmentsDefaultDuration', '',
     qr/AppointmentsDefaultDuration takes one argument/],
);

plan tests => 2 * @cases;

for my $c (@cases) {
    my ($name, $location, $server, $want) = @$c;
    my ($status, $out) = configtest($location, $server);
    if (defined $want) {
        is_true($status != 0, "refused: $name");
        ok t_cmp($out, $want, "the message names it: $name");
    }
    else {
        ok t_cmp($status, 0, "accepted: $name");
        ok t_cmp($out, qr/Syntax OK/, "Syntax OK: $name");
    }
}

# Configuration errors of permissions and identity fail `apache2 -t` with
# a message that names what is wrong; good configurations pass.
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

sub write_file {
    my ($name, $text) = @_;
    my $f = "$dir/$name";
    open my $fh, '>', $f or die "$f: $!";
    print $fh $text;
    close $fh;
    return $f;
}

my $good_map = write_file('users.map', "alice 1042 Alice de Vries\n");
my $bad_map = write_file('bad.map', "alice 1042 Alice\nbob Bob Builder\n");

# Runs apache2 -t on a configuration with location inside <Location /x>;
# returns (exit status, output).
sub configtest {
    my ($location, $server) = @_;
    my $conf = write_file('httpd.conf', <<"CONF");
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
<IfModule !mod_authz_user.c>
    LoadModule authz_user_module "$moddir/mod_authz_user.so"
</IfModule>
<IfModule !mod_dbd.c>
    LoadModule dbd_module "$moddir/mod_dbd.so"
</IfModule>
LoadModule appointments_module "$module"
${\ ($server // '')}
<Location /x>
    SetHandler appointments
    AppointmentsApi plancare2
$location
</Location>
CONF
    my $out = qx{"$httpd" -t -f "$conf" 2>&1};
    return ($? >> 8, $out);
}

my @cases = (
    # [name, location lines, expected output (undef = Syntax OK)]
    ['names, GUIDs in any form, permissions in any case',
     "Require appointments-permission ClientGroupCalendar"
     . " {c3f247fc-e417-49cb-81f0-823D1E835B68}:Edit"
     . " 2B7BC787-80B4-41AD-8975-FD07F3CC1746:approve 'PatientCalendar:Start'"
     . " xelioncalendar:EDIT", undef],
    ['combined with other Require',
     "<RequireAll>\n Require appointments-permission TeamCalendar\n"
     . " Require valid-user\n</RequireAll>", undef],
    ['an unknown function',
     'Require appointments-permission ClientCalendar:Start',
     qr/appointments-permission: unknown function 'ClientCalendar'/],
    ['an unknown permission',
     'Require appointments-permission ClientGroupCalendar:Delete',
     qr/unknown permission 'Delete' in 'ClientGroupCalendar:Delete'/],
    ['a GUID no function has',
     'Require appointments-permission {00000000-0000-0000-0000-000000000000}',
     qr/unknown function '\{00000000-0000-0000-0000-000000000000\}'/],
    ['a malformed GUID',
     'Require appointments-permission {6D8B7697-D439-4E6E-9773}:Start',
     qr/unknown function '\{6D8B7697-D439-4E6E-9773\}'/],
    ['two permissions in one word',
     'Require appointments-permission TeamCalendar:Start:Edit',
     qr/'TeamCalendar:Start:Edit' is not FUNCTION\[:PERMISSION\]/],
    ['nothing granted',
     'Require appointments-permission',
     qr/appointments-permission: name at least one FUNCTION\[:PERMISSION\]/],
    ['an unknown function inside RequireAny',
     "<RequireAny>\n Require valid-user\n"
     . " Require appointments-permission TeamCalendar Bogus\n</RequireAny>",
     qr/unknown function 'Bogus'/],
    ['CORS origins',
     'AppointmentsCorsOrigins https://app.example.org http://localhost:3000',
     undef],
    ['a CORS origin with a path',
     'AppointmentsCorsOrigins https://app.example.org/page',
     qr/AppointmentsCorsOrigins: 'https:\/\/app\.example\.org\/page' is not an origin/],
    ['a CORS wildcard',
     'AppointmentsCorsOrigins *',
     qr/AppointmentsCorsOrigins: '\*' is not an origin/],
    ['a user map',
     "AppointmentsUserMap \"$good_map\"\n"
     . "AppointmentsEmployeeIdVar OIDC_CLAIM_employee_id\n"
     . "AppointmentsDisplayNameVar AUTHENTICATE_displayName", undef],
    ['a user map that is not there',
     "AppointmentsUserMap \"$dir/missing.map\"",
     qr/AppointmentsUserMap: \Q$dir\E\/missing\.map: No such file/],
    ['a user map with a bad line',
     "AppointmentsUserMap \"$bad_map\"",
     qr/AppointmentsUserMap: \Q$bad_map\E: line 2: employee id 'Bob' of 'bob'/],
    ['an environment variable name that is none',
     'AppointmentsEmployeeIdVar "employee id"',
     qr/AppointmentsEmployeeIdVar: 'employee id' is not the name of an environment variable/],
);

plan tests => 2 * @cases + 2;

for my $c (@cases) {
    my ($name, $location, $expect) = @$c;
    my ($rc, $out) = configtest($location);
    if (defined $expect) {
        is_true($rc != 0, "$name: apache2 -t fails");
        my $ok = t_cmp($out, $expect, "$name: the message names it");
        print map { "# $_\n" } split /\n/, $out unless $ok;
        ok $ok;
    }
    else {
        my $ok = ($rc == 0);
        print map { "# $_\n" } split /\n/, $out unless $ok;
        is_true($ok, "$name: apache2 -t passes");
        ok t_cmp($out, qr/Syntax OK/, "$name: Syntax OK");
    }
}

# The identity directives work server-wide too.
my ($rc, $out) = configtest('Require appointments-permission TeamCalendar',
                            "AppointmentsUserMap \"$good_map\"");
is_true($rc == 0, 'AppointmentsUserMap in the server config');
($rc, $out) = configtest('Require appointments-permission TeamCalendar',
                         "AppointmentsUserMap \"$bad_map\"");
ok t_cmp($out, qr/line 2/, 'a bad map in the server config fails too');

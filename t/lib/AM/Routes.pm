package AM::Routes;
# Every route of every mounted dialect, for the permission matrix
# (t/api/authz_matrix.t) and its completeness check: one row per route.
#
# Adding a route to a dialect's table (src/dialect_*.c)?  Add a row here,
# under the mount that serves the dialect in t/conf/extra.conf.in (a mount
# includes t/conf/authz.inc, so its users and grants are the same
# everywhere).  A row:
#
#   { method   => 'GET',
#     path     => 'Things/987654321?from=2026-05-26',   # sample ids/query
#     function => 'ClientGroupCalendar',   # as the route table names it
#     perm     => 'Edit',                  # optional; default Start
#     json     => 'seed002_ContractAppointment.json' or { ...Perl data... },
#     xml      => 'seed002_ContractAppointment.xml',   # optional
#     set      => { Id => 987654321 },     # optional: top-level members
#                                          # replaced in the json/xml body
#     ok       => [200, 404],              # optional: the statuses that
#   }                                      # count as success (default:
#                                          # any 2xx, or 404)
#
# Login routes (login.h: no function, public under AuthType
# appointments-token; login_*.t test them) are rows with login => 1: on
# these Basic mounts the matrix checks that they are no way in.
#
# The body (json, else none) goes with every response format; xml, when
# given, is sent instead when the matrix asks for XML.  Use ids that do
# not exist (987654321, a fresh GUID) for routes that need one: 404 is
# success at the authorization level, and nothing else is touched.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use JSON::PP ();
our @EXPORT_OK = qw(@MOUNTS %GRANTEE @USERS holds);

our $NOID = 987654321;
our $NOGUID = '0e0c0a5e-5a11-4d1d-9c1a-000000000001';   # no appointment
our $PATIENT = '0e0c0a5e-5a11-4d1d-9c1a-0000000000aa';  # the matrix's own

# The test users (password = user name) and what each holds
# (t/conf/htgroup + t/conf/authz.inc).  outsider holds nothing.
our %HOLDS = (
    outsider        => [],
    clientplanner   => ['ClientGroupCalendar:Start'],
    teamplanner     => ['TeamCalendar:Start'],
    employeeplanner => ['EmployeeCalendar:Start'],
    patientreader   => ['PatientCalendar:Start'],
    patienteditor   => ['PatientCalendar:Start', 'PatientCalendar:Edit'],
    xelionreader    => ['XelionCalendar:Start'],
    xelioneditor    => ['XelionCalendar:Start', 'XelionCalendar:Edit'],
    # Grants of two APIs (t/api/crossdialect.t).
    xelionclient    => ['ClientGroupCalendar:Start', 'XelionCalendar:Start'],
    xelionclientedit => ['ClientGroupCalendar:Start', 'XelionCalendar:Start',
                         'XelionCalendar:Edit'],
    xelionteam      => ['TeamCalendar:Start', 'XelionCalendar:Start',
                        'XelionCalendar:Edit'],
    xelionpatient   => ['PatientCalendar:Start', 'XelionCalendar:Start',
                        'XelionCalendar:Edit'],
    xelionemployee  => ['EmployeeCalendar:Start', 'XelionCalendar:Start',
                        'XelionCalendar:Edit'],
);
our @USERS = sort keys %HOLDS;

# The user granted exactly a route's function and permission (the most
# specific one: editors hold Start as well).
our %GRANTEE = (
    'ClientGroupCalendar:Start' => 'clientplanner',
    'TeamCalendar:Start'        => 'teamplanner',
    'EmployeeCalendar:Start'    => 'employeeplanner',
    'PatientCalendar:Start'     => 'patientreader',
    'PatientCalendar:Edit'      => 'patienteditor',
    'XelionCalendar:Start'      => 'xelionreader',
    'XelionCalendar:Edit'       => 'xelioneditor',
);

# True when user holds function:permission.
sub holds {
    my ($user, $fp) = @_;
    return scalar grep { lc $_ eq lc $fp } @{ $HOLDS{$user} || [] };
}

my %employee = (
    Start => '2026-05-26T09:00:00+02:00', End => '2026-05-26T10:00:00+02:00',
    Title => 'authz matrix', MovesToNextDay => JSON::PP::false(),
    IsAllDay => JSON::PP::false(),
);

# An occurrence of an appointment that does not exist: the handler
# answers 400 naming ParentId (the body names what is missing).
my %occurrence = (json => 'seed000_OccurrenceAppointment.json',
                  xml => 'seed000_OccurrenceAppointment.xml',
                  set => { ParentId => $NOID }, ok => [400, 404]);

our @MOUNTS = (
    {
        mount  => '/PlanCare2Api',
        api    => 'plancare2',
        errors => 'aspnet',
        routes => [
            # The client (group) calendar.
            { method => 'POST', path => 'ClientAppointments/ContractAppointments',
              function => 'ClientGroupCalendar',
              json => 'seed002_ContractAppointment.json',
              xml => 'seed002_ContractAppointment.xml' },
            { method => 'GET',
              path => 'ClientAppointments/ContractAppointments?clientIds[0]=6'
                    . '&dateFrom=2026-05-26&dateUntil=2026-05-27',
              function => 'ClientGroupCalendar' },
            { method => 'GET', path => "ClientAppointments/ContractAppointments/$NOID",
              function => 'ClientGroupCalendar' },
            { method => 'DELETE', path => "ClientAppointments/ContractAppointments/$NOID",
              function => 'ClientGroupCalendar' },
            { method => 'POST', path => 'ClientAppointments/ChangeOfContractAppointments',
              function => 'ClientGroupCalendar',
              json => 'seed002_ContractAppointment.json', set => { Id => $NOID } },
            { method => 'GET',
              path => 'Appointments?clientIds[0]=6&dateFrom=2026-05-26&dateUntil=2026-05-27',
              function => 'ClientGroupCalendar' },
            # Occurrences of recurring client appointments.
            (map {
                { method => 'POST', path => "ClientAppointments/$_",
                  function => 'ClientGroupCalendar', %occurrence }
             } qw(OccurrenceAppointments ChangeOfOccurrenceAppointments)),
            { method => 'GET', path => "ClientAppointments/OccurrenceAppointments/$NOID",
              function => 'ClientGroupCalendar' },
            { method => 'DELETE', path => "ClientAppointments/$NOID/OccurrenceIndex/0",
              function => 'ClientGroupCalendar' },
            # The team calendar.
            { method => 'POST', path => 'TeamAppointments/TeamAppointments',
              function => 'TeamCalendar',
              json => 'seed001_ChangeOfTeamAppointment.json', set => { Id => undef } },
            { method => 'POST', path => 'TeamAppointments/ChangeOfTeamAppointments',
              function => 'TeamCalendar',
              json => 'seed001_ChangeOfTeamAppointment.json',
              xml => 'seed001_ChangeOfTeamAppointment.xml', set => { Id => $NOID } },
            { method => 'GET', path => "TeamAppointments/$NOID",
              function => 'TeamCalendar' },
            { method => 'DELETE', path => "TeamAppointments/$NOID",
              function => 'TeamCalendar' },
            { method => 'GET', path => "TeamAppointments/OccurrenceAppointments/$NOID",
              function => 'TeamCalendar' },
            { method => 'POST', path => 'TeamAppointments/ChangeOfOccurrenceAppointments',
              function => 'TeamCalendar', %occurrence },
            # The logged-on employee's calendar (employeeplanner is
            # employee 77 by t/conf/usermap).
            { method => 'GET',
              path => 'Appointments/Employee?dateFrom=2026-05-26&dateUntil=2026-05-27',
              function => 'EmployeeCalendar' },
            { method => 'POST', path => 'EmployeeAppointments/EmployeeAppointments',
              function => 'EmployeeCalendar', json => {%employee} },
            { method => 'POST', path => 'EmployeeAppointments/ChangeOfEmployeeAppointments',
              function => 'EmployeeCalendar', json => {%employee, Id => $NOID} },
            { method => 'GET', path => "EmployeeAppointments/$NOID",
              function => 'EmployeeCalendar' },
            { method => 'DELETE', path => "EmployeeAppointments/$NOID",
              function => 'EmployeeCalendar' },
            { method => 'GET', path => "EmployeeAppointments/OccurrenceAppointments/$NOID",
              function => 'EmployeeCalendar' },
            { method => 'POST', path => 'EmployeeAppointments/ChangeOfOccurrenceAppointments',
              function => 'EmployeeCalendar', %occurrence },
            # The feeds and their keys (POST issues one, DELETE revokes):
            # a calendar's read grant (404: no such calendar, no key).
            (map {
                { method => $_, path => "Feeds/Clients/$NOID.ics",
                  function => 'ClientGroupCalendar' },
                { method => $_, path => "Feeds/Teams/$NOID.ics",
                  function => 'TeamCalendar' },
                { method => $_, path => 'Feeds/Employee.ics',
                  function => 'EmployeeCalendar' },
             } qw(GET POST DELETE)),
            { method => 'POST', path => 'token', login => 1 },
            { method => 'POST', path => 'token/revoke', login => 1 },
        ],
    },
    {
        # The patient API: reading needs PatientCalendar:Start, changing
        # PatientCalendar:Edit.  The mount without the double-booking
        # guard; the bodies name no provider and a patient of their own,
        # so they meet no other test's appointments.
        mount  => '/patient2/api/Calendar',
        api    => 'patient',
        errors => 'aspnet',
        routes => [
            (map {
                { method => 'POST', path => $_, function => 'PatientCalendar',
                  perm => 'Edit', json => 'seed003_AppointmentModel.json',
                  set => { ProviderId => undef, PatientId => $PATIENT } }
             } qw(PatientAppointmentPost_v2 PatientAppointmentPost_v1
                  PatientAppointmentPost)),
            { method => 'GET', path => "PatientAppointmentGet/$NOGUID",
              function => 'PatientCalendar' },
            { method => 'GET',
              path => "PatientAppointmentList?patientId=$PATIENT"
                    . '&from=2026-02-01&until=2026-03-01',
              function => 'PatientCalendar' },
            { method => 'POST', path => 'PatientAppointmentCancel',
              function => 'PatientCalendar', perm => 'Edit',
              json => { Id => $NOGUID, Reason => 'authz matrix' } },
            { method => 'POST', path => 'PatientAppointmentReschedule',
              function => 'PatientCalendar', perm => 'Edit',
              json => { Id => $NOGUID,
                        AppointmentOn => '2026-02-04T10:00:00+01:00' } },
            (map {
                { method => $_, path => "Feeds/Providers/$NOGUID.ics",
                  function => 'PatientCalendar' },
                { method => $_, path => "Feeds/Patients/$NOGUID.ics",
                  function => 'PatientCalendar' },
             } qw(GET POST DELETE)),
            { method => 'POST', path => 'token', login => 1 },
            { method => 'POST', path => 'token/revoke', login => 1 },
        ],
    },
    {
        # The Xelion API: reading needs XelionCalendar:Start, changing
        # XelionCalendar:Edit.  Its errors: errorCode 10000 (401), 10101
        # (403).  Bodies are JSON only.
        mount  => '/api/v1/master',
        api    => 'xelion',
        errors => 'xelion',
        routes => [
            { method => 'POST', path => 'appointments',
              function => 'XelionCalendar', perm => 'Edit',
              json => { subject => 'authz matrix',
                        starttime => '2026-05-26 09:00:00',
                        endtime => '2026-05-26 10:00:00' } },
            { method => 'GET', path => "appointments/$NOID",
              function => 'XelionCalendar' },
            { method => 'PATCH', path => "appointments/$NOID",
              function => 'XelionCalendar', perm => 'Edit',
              json => { operations => [ { op => 'replace', path => '/subject',
                                          value => 'authz matrix' } ] } },
            { method => 'DELETE', path => "appointments/$NOID",
              function => 'XelionCalendar', perm => 'Edit' },
            { method => 'GET', path => "calendars/$NOID",
              function => 'XelionCalendar' },
            (map {
                { method => $_, path => "calendars/$NOID.ics",
                  function => 'XelionCalendar' },
             } qw(GET POST DELETE)),
            { method => 'POST', path => 'me/login', login => 1 },
            { method => 'POST', path => 'me/renew', login => 1 },
            { method => 'POST', path => 'me/logout', login => 1 },
        ],
    },
);

1;

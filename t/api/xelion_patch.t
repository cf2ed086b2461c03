# Xelion PATCH appointments/{oid}: every path of seed 004's table with
# every operation it allows, the recurrence fields, atomicity (one bad
# operation among good ones changes nothing), and each error.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 203;

my $base = '/api/v1/master';
my $T = JSON::PP::true();
my $F = JSON::PP::false();

sub oids { return join ',', sort { $a <=> $b } map { $_->{oid} } @{ $_[0] || [] } }

sub create {
    my (%o) = @_;
    my $res = req_json('POST', "$base/appointments",
                       { subject => 'patch me', starttime => '2026-06-01 10:00:00',
                         endtime => '2026-06-01 11:00:00', %o });
    die 'create failed: ' . $res->as_string unless $res->code == 201;
    return json_of($res)->{object}{oid};
}

sub get_obj {
    my ($oid) = @_;
    my $d = json_of(req('GET', "$base/appointments/$oid"));
    return $d ? $d->{object} : undef;
}

# PATCH with operations (Perl data or JSON text); the response.
sub patch {
    my ($oid, $ops, %o) = @_;
    my $body = ref $ops ? $JSON->encode({ operations => $ops }) : $ops;
    return req('PATCH', "$base/appointments/$oid", body => $body,
               type => 'application/json', %o);
}

sub replace { return { op => 'replace', path => "/$_[0]", value => $_[1] } }

# One successful patch: 204 and no body.
sub patch_ok {
    my ($oid, $ops, $name) = @_;
    my $res = patch($oid, $ops);
    ok t_cmp($res->code . ' ' . $res->content, '204 ', $name);
}

my $oid = create();

# --- scalar members: replace
patch_ok($oid, [replace(subject => 'New subject')], 'replace /subject');
ok t_cmp(get_obj($oid)->{subject}, 'New subject', 'subject replaced');
patch_ok($oid, [replace(subject => undef)], 'replace /subject with null');
is_true(!defined get_obj($oid)->{subject}, 'subject cleared');
patch_ok($oid, [replace(subject => 12345)], 'a number as subject');
ok t_cmp(get_obj($oid)->{subject}, '12345', 'read as its digits');

patch_ok($oid, [replace(internal => $T)], 'replace /internal true');
is_true(get_obj($oid)->{internal}, 'internal true');
patch_ok($oid, [replace(internal => $F)], 'replace /internal false');
is_true(!get_obj($oid)->{internal}, 'internal false');

for my $s (qw(online offline available unavailable dont_disturb at_appointment
              short_out_of_office long_out_of_office)) {
    my $res = patch($oid, [replace(userStatus => $s)]);
    ok t_cmp($res->code . ' ' . get_obj($oid)->{userStatus}, "204 $s",
             "replace /userStatus $s");
}
patch_ok($oid, [replace(userStatus => undef)], 'replace /userStatus null');
is_true(!defined get_obj($oid)->{userStatus}, 'userStatus cleared');

patch_ok($oid, [replace(starttime => '2026-06-02 08:15:00'),
                replace(endtime => '2026-06-02 09:45:30')],
         'replace /starttime and /endtime');
my $g = get_obj($oid);
ok t_cmp("$g->{starttime}|$g->{endtime}", '2026-06-02 08:15:00|2026-06-02 09:45:30',
         'times replaced');
# The order of the operations does not matter: the result counts.
patch_ok($oid, [replace(endtime => '2026-06-05 12:00:00'),
                replace(starttime => '2026-06-05 11:00:00')],
         'end first, then start (past the old end)');
ok t_cmp(get_obj($oid)->{starttime}, '2026-06-05 11:00:00', 'moved');

patch_ok($oid, [replace(allStartDay => $T)], 'replace /allStartDay true');
$g = get_obj($oid);
is_true($g->{allStartDay} && !$g->{allEndDay}, 'all-day start only');
ok t_cmp($g->{starttime}, '2026-06-05 00:00:00', 'start at the start of its day');
ok t_cmp($g->{endtime}, '2026-06-05 12:00:00', 'end keeps its time');
patch_ok($oid, [replace(allEndDay => $T)], 'replace /allEndDay true');
$g = get_obj($oid);
ok t_cmp($g->{endtime}, '2026-06-05 23:59:59', 'end at the end of its day');
patch_ok($oid, [replace(allStartDay => $F), replace(allEndDay => $F),
                replace(starttime => '2026-06-05 11:00:00'),
                replace(endtime => '2026-06-05 12:00:00')],
         'replace both flags false');
$g = get_obj($oid);
is_true(!$g->{allStartDay} && !$g->{allEndDay}, 'not all-day');
ok t_cmp("$g->{starttime}|$g->{endtime}", '2026-06-05 11:00:00|2026-06-05 12:00:00',
         'times as given');

patch_ok($oid, [replace(comment => 'plain text')], 'replace /comment');
ok t_cmp(get_obj($oid)->{comment}{content}, 'plain text', 'comment replaced');
patch_ok($oid, [replace(comment => { objectType => 'Comment', content => 'as object' })],
         'replace /comment with a Comment object');
ok t_cmp(get_obj($oid)->{comment}{content}, 'as object', 'comment from the object');
patch_ok($oid, [replace(comment => undef)], 'replace /comment null');
ok t_cmp(get_obj($oid)->{comment}{content}, '', 'comment cleared');

# --- relations: add and remove
patch_ok($oid, [{ op => 'add', path => '/calendars', value => '1658218' }],
         'add /calendars with the oid as value');
patch_ok($oid, [{ op => 'add', path => '/calendars/99' }], 'add /calendars/<oid>');
patch_ok($oid, [{ op => 'add', path => '/calendars', value => 77 }],
         'add /calendars with a number');
patch_ok($oid, [{ op => 'add', path => '/calendars',
                  value => { oid => '88', objectType => 'XCCCalendar' } }],
         'add /calendars with an XCCCalendar reference');
patch_ok($oid, [{ op => 'add', path => '/calendars/99' }], 'add again: no change');
ok t_cmp(oids(get_obj($oid)->{calendars}), '77,88,99,1658218', 'four calendars');
patch_ok($oid, [{ op => 'remove', path => '/calendars/99' }], 'remove /calendars/<oid>');
patch_ok($oid, [{ op => 'remove', path => '/calendars', value => '77' }],
         'remove /calendars with the oid as value');
patch_ok($oid, [{ op => 'remove', path => '/calendars/4711' }],
         'remove a calendar that is not there: no change');
ok t_cmp(oids(get_obj($oid)->{calendars}), '88,1658218', 'two left');

patch_ok($oid, [{ op => 'add', path => '/participants/167843' }],
         'add /participants/<oid>');
patch_ok($oid, [{ op => 'add', path => '/participants', value => '1626686' }],
         'add /participants with the oid as value');
patch_ok($oid, [{ op => 'add', path => '/participants',
                  value => { person => { oid => '1626711', objectType => 'Person' } } }],
         'add /participants with an appointment participant');
ok t_cmp(oids(get_obj($oid)->{participants}), '167843,1626686,1626711',
         'three participants');
patch_ok($oid, [{ op => 'remove', path => '/participants/167843' }],
         'remove /participants/<oid>');
patch_ok($oid, [{ op => 'remove', path => '/participants', value => 1626686 }],
         'remove /participants with the oid as value');
ok t_cmp(oids(get_obj($oid)->{participants}), '1626711', 'one left');

# --- recurrence
my $r = create(subject => 'series', starttime => '2026-06-01 09:00:00',
               endtime => '2026-06-01 10:00:00');
is_true(!get_obj($r)->{isRecurrence}, 'a single appointment');
patch_ok($r, [replace(recurrenceType => 'weekly')], 'replace /recurrenceType weekly');
$g = get_obj($r);
is_true($g->{isRecurrence}, 'now a series');
ok t_cmp($g->{recurrenceType}, 'weekly', 'weekly');
is_true($g->{monday}, 'on the start\'s weekday (2026-06-01 is a Monday)');
ok t_cmp($g->{recurrenceTerminationType}, 'none', 'no end');
ok t_cmp($g->{lastRecurrenceDate}, '', 'no last date');
ok t_cmp($g->{firstRecurrenceDate}, '2026-06-01 09:00:00', 'first date is the start');
ok t_cmp($g->{recurrenceLabel}, qr/week/i, 'recurrenceLabel says weekly');

patch_ok($r, [replace(recurrenceInterval => 2)], 'replace /recurrenceInterval');
ok t_cmp(get_obj($r)->{recurrenceInterval}, 2, 'every 2 weeks');
for my $day (qw(tuesday wednesday thursday friday saturday sunday)) {
    patch_ok($r, [replace($day => $T)], "replace /$day true");
    is_true(get_obj($r)->{$day}, "$day set");
}
for my $day (qw(monday tuesday wednesday thursday friday saturday)) {
    patch_ok($r, [replace($day => $F)], "replace /$day false");
}
$g = get_obj($r);
is_true($g->{sunday} && !$g->{monday} && !$g->{saturday}, 'only sunday left');

patch_ok($r, [replace(recurrenceTerminationType => 'recurrenceCount'),
              replace(recurrenceCount => 5)],
         'replace /recurrenceTerminationType recurrenceCount and /recurrenceCount');
$g = get_obj($r);
ok t_cmp("$g->{recurrenceTerminationType} $g->{recurrenceCount}", 'recurrenceCount 5',
         'five times');
# Sundays of every other week from the start's week (weeks start on
# Monday): 06-07, 06-21, 07-05, 07-19, 08-02.
ok t_cmp($g->{lastRecurrenceDate}, '2026-08-02 10:00:00',
         'last date: the end of the fifth occurrence');
patch_ok($r, [replace(recurrenceTerminationType => 'recurrenceTerminationDate'),
              replace(recurrenceTerminationDate => '2026-07-31 00:00:00')],
         'replace /recurrenceTerminationType and /recurrenceTerminationDate');
$g = get_obj($r);
ok t_cmp("$g->{recurrenceTerminationType} $g->{recurrenceTerminationDate}",
         'recurrenceTerminationDate 2026-07-31 00:00:00', 'ends by a date');
is_true(!defined $g->{recurrenceCount}, 'no count then');
patch_ok($r, [replace(recurrenceTerminationDate => '2026-07-15')],
         'a date without time');
ok t_cmp(get_obj($r)->{recurrenceTerminationDate}, '2026-07-15 00:00:00', 'read as midnight');
patch_ok($r, [replace(lastRecurrenceDate => '2026-08-31 00:00:00'),
              replace(recurrenceTerminationDate => '')],
         'replace /lastRecurrenceDate (no recurrenceTerminationDate)');
ok t_cmp(get_obj($r)->{recurrenceTerminationDate}, '2026-08-31 00:00:00',
         'lastRecurrenceDate ends a series that ends by a date');

patch_ok($r, [replace(recurrenceType => 'monthly'),
              replace(monthRecurrenceType => 'dayOfMonth')],
         'replace /recurrenceType monthly, /monthRecurrenceType dayOfMonth');
$g = get_obj($r);
ok t_cmp("$g->{recurrenceType} $g->{monthRecurrenceType}", 'monthly dayOfMonth',
         'monthly on the day');
patch_ok($r, [replace(monthRecurrenceType => 'dayOfWeek'),
              replace(sunday => $F), replace(monday => $T)],
         'replace /monthRecurrenceType dayOfWeek');
$g = get_obj($r);
ok t_cmp($g->{monthRecurrenceType}, 'dayOfWeek', 'monthly on a weekday');
ok t_cmp($g->{recurrenceLabel}, qr/first Monday/i, 'the first Monday of the month');

patch_ok($r, [replace(firstRecurrenceDate => '2026-06-08 00:00:00')],
         'replace /firstRecurrenceDate');
$g = get_obj($r);
ok t_cmp("$g->{starttime}|$g->{endtime}", '2026-06-08 09:00:00|2026-06-08 10:00:00',
         'the series moves to that day, time and duration kept');
ok t_cmp($g->{firstRecurrenceDate}, '2026-06-08 09:00:00', 'firstRecurrenceDate');

patch_ok($r, [replace(recurrenceType => 'yearly')], 'replace /recurrenceType yearly');
ok t_cmp(get_obj($r)->{recurrenceType}, 'yearly', 'yearly');
patch_ok($r, [replace(recurrenceType => 'daily'), replace(recurrenceInterval => 3),
              replace(recurrenceTerminationType => 'none')],
         'replace /recurrenceType daily');
$g = get_obj($r);
ok t_cmp("$g->{recurrenceType} $g->{recurrenceInterval} $g->{recurrenceTerminationType}",
         'daily 3 none', 'every 3 days without end');
my $l = json_of(req('GET', "$base/calendars/31337?after=2026-06-08&before=2026-06-30"));
patch_ok($r, [{ op => 'add', path => '/calendars/31337' }], 'on a calendar');
$l = json_of(req('GET', "$base/calendars/31337?after=2026-06-08&before=2026-06-20&limit=100"));
ok t_cmp(join(',', map { substr($_->{object}{starttime}, 8, 2) } @{ $l->{data} }),
         '08,11,14,17,20', 'listed every third day');
patch_ok($r, [replace(recurrenceType => undef)], 'replace /recurrenceType null');
$g = get_obj($r);
is_true(!$g->{isRecurrence} && !defined $g->{recurrenceType}, 'single again');

# --- atomicity: one bad operation among good ones changes nothing
my $a = create(subject => 'atomic', calendars => [{ oid => '1' }]);
my $before = req('GET', "$base/appointments/$a");
my $snap = db_snapshot();
my $res = patch($a, [replace(subject => 'changed'),
                     { op => 'add', path => '/calendars/2' },
                     replace(comment => 'changed'),
                     replace(starttime => 'tomorrow'),
                     replace(userStatus => 'online')]);
ok t_cmp($res->code, 400, 'one bad value among good operations: 400');
my $err = json_of($res);
ok t_cmp($err->{errorCode}, 10202, 'errorCode 10202');
ok t_cmp($err->{message}, qr/operations\[3\]\.value/, 'the message names the operation');
ok t_cmp(db_snapshot(), $snap, 'the store did not change');
my $after = req('GET', "$base/appointments/$a");
ok t_cmp($after->content, $before->content, 'the appointment did not change');
ok t_cmp($after->header('ETag'), $before->header('ETag'), 'nor its version');
$res = patch($a, [replace(subject => 'changed'), { op => 'add', path => '/nothing' }]);
ok t_cmp($res->code, 400, 'one unknown path among good operations: 400');
ok t_cmp(db_snapshot(), $snap, 'the store did not change');
$res = patch($a, [replace(subject => 'changed'),
                  replace(endtime => '2026-05-01 00:00:00')]);
ok t_cmp(json_of($res)->{errorCode}, 10202, 'an end before the start: 10202');
ok t_cmp(db_snapshot(), $snap, 'the store did not change');
$res = patch($a, [replace(subject => 'changed'), { op => 'add', path => '/calendars/xyz' }]);
ok t_cmp(json_of($res)->{errorCode}, 10203, 'a bad oid among good operations: 10203');
ok t_cmp(db_snapshot(), $snap, 'the store did not change');

# --- each error: 400 with its code, nothing changed
my @bad = (
    # [name, operations (data or JSON text), errorCode]
    ['op move', [{ op => 'move', from => '/subject', path => '/comment' }], 10202],
    ['op test', [{ op => 'test', path => '/subject', value => 'x' }], 10202],
    ['op in capitals', [{ op => 'REPLACE', path => '/subject', value => 'x' }], 10202],
    ['add on /subject', [{ op => 'add', path => '/subject', value => 'x' }], 10202],
    ['remove on /subject', [{ op => 'remove', path => '/subject' }], 10202],
    ['replace on /calendars', [replace(calendars => '1')], 10202],
    ['replace on /participants/1', [{ op => 'replace', path => '/participants/1', value => '2' }], 10202],
    ['an unknown path', [replace(colour => 'red')], 10202],
    ['a path without /', [{ op => 'replace', path => 'subject', value => 'x' }], 10202],
    ['a member of a scalar', [replace('subject/x' => 'x')], 10202],
    ['a path one level too deep', [{ op => 'add', path => '/calendars/1/2' }], 10202],
    ['an empty oid', [{ op => 'add', path => '/calendars/' }], 10202],
    ['a read-only member', [replace(isRecurrence => $T)], 10202],
    ['oid', [replace(oid => '5')], 10202],
    ['subject as boolean', [replace(subject => $T)], 10202],
    ['subject as object', [replace(subject => { a => 1 })], 10202],
    ['internal as text', [replace(internal => 'yes')], 10202],
    ['internal null', [replace(internal => undef)], 10202],
    ['starttime date only', [replace(starttime => '2018-12-27')], 10202],
    ['starttime ISO', [replace(starttime => '2018-12-27T10:00:00+01:00')], 10202],
    ['starttime number', [replace(starttime => 5)], 10202],
    ['starttime null', [replace(starttime => undef)], 10202],
    ['endtime 25 o\'clock', [replace(endtime => '2018-12-27 25:00:00')], 10202],
    ['allStartDay text', [replace(allStartDay => 'sometimes')], 10202],
    ['allEndDay number', [replace(allEndDay => 2)], 10202],
    ['userStatus unknown', [replace(userStatus => 'asleep')], 10202],
    ['userStatus number', [replace(userStatus => 5)], 10202],
    ['comment as array', [replace(comment => ['a'])], 10202],
    ['comment of another type', [replace(comment => { objectType => 'Note', content => 'x' })], 10203],
    ['recurrenceType unknown', [replace(recurrenceType => 'hourly')], 10202],
    ['recurrenceInterval text', [replace(recurrenceInterval => 'often')], 10202],
    ['recurrenceInterval too big', [replace(recurrenceInterval => 1000)], 10202],
    ['recurrenceInterval fraction', [replace(recurrenceInterval => 1.5)], 10202],
    ['recurrenceCount negative', [replace(recurrenceCount => -1)], 10202],
    ['recurrenceCount beyond 64 bits', '{"operations":[{"op":"replace","path":"/recurrenceCount","value":99999999999999999999999}]}', 10202],
    ['recurrenceTerminationType unknown', [replace(recurrenceTerminationType => 'never')], 10202],
    ['recurrenceTerminationDate bad', [replace(recurrenceTerminationDate => 'soon')], 10202],
    ['firstRecurrenceDate bad', [replace(firstRecurrenceDate => '2026-13-01 00:00:00')], 10202],
    ['lastRecurrenceDate number', [replace(lastRecurrenceDate => $T)], 10202],
    ['monthRecurrenceType unknown', [replace(monthRecurrenceType => 'lastDay')], 10202],
    ['monday text', [replace(monday => 'yes')], 10202],
    ['replace without value', [{ op => 'replace', path => '/subject' }], 10202],
    ['add /calendars without value', [{ op => 'add', path => '/calendars' }], 10202],
    ['add /calendars value true', [{ op => 'add', path => '/calendars', value => $T }], 10202],
    ['add /calendars/<not a number>', [{ op => 'add', path => '/calendars/abc' }], 10203],
    ['add /calendars value not a number', [{ op => 'add', path => '/calendars', value => 'cal' }], 10203],
    ['add /calendars oid 0', [{ op => 'add', path => '/calendars/0' }], 10203],
    ['add /calendars of another objectType',
     [{ op => 'add', path => '/calendars', value => { oid => '5', objectType => 'Person' } }], 10203],
    ['remove /participants/<negative>', [{ op => 'remove', path => '/participants/-4' }], 10203],
    ['remove /participants value not a number', [{ op => 'remove', path => '/participants', value => 'p1' }], 10203],
    ['a series ending by date without one',
     [replace(recurrenceType => 'weekly'), replace(recurrenceTerminationType => 'recurrenceTerminationDate')], 10202],
    ['a series of zero times',
     [replace(recurrenceType => 'weekly'), replace(recurrenceTerminationType => 'recurrenceCount'),
      replace(recurrenceCount => 0)], 10202],
    ['operations not an array', '{"operations": {"op": "replace"}}', 10202],
    ['an operation that is not an object', '{"operations": [1]}', 10202],
    ['an operation without op', '{"operations": [{"path": "/subject", "value": "x"}]}', 10202],
    ['an operation without path', '{"operations": [{"op": "replace", "value": "x"}]}', 10202],
    ['a duplicate key', '{"operations": [{"op": "replace", "op": "add", "path": "/subject", "value": "x"}]}', 10202],
    ['a duplicate key in the value', '{"operations": [{"op": "add", "path": "/calendars", "value": {"oid": "1", "oid": "2"}}]}', 10202],
    ['a NUL in a value', '{"operations": [{"op": "replace", "path": "/subject", "value": "a\u0000b"}]}', 10202],
    ['not JSON', '{"operations": [', 10202],
    ['trailing data', '{"operations": [{"op": "replace", "path": "/subject", "value": "x"}]} x', 10202],
    ['NaN', '{"operations": [{"op": "replace", "path": "/recurrenceCount", "value": NaN}]}', 10202],
    ['a top-level array', '[{"op": "replace", "path": "/subject", "value": "x"}]', 10202],
    ['101 operations', [map { replace(subject => "s$_") } 1 .. 101], 10202],
    ['no operations', [], 10200],
    ['no operations member', '{}', 10200],
    ['operations null', '{"operations": null}', 10200],
    ['an empty body', '', 10200],
    ['a body of blanks', "  \n ", 10200],
);
for my $b (@bad) {
    my ($name, $ops, $code) = @$b;
    $res = patch($a, $ops);
    my $e = json_of($res) || {};
    ok t_cmp($res->code . ' ' . ($e->{errorCode} // 'none'), "400 $code", $name);
}
ok t_cmp(db_snapshot(), $snap, 'none of them changed the store');
ok t_cmp(req('GET', "$base/appointments/$a")->content, $before->content,
         'nor the appointment');

# --- unknown and bad oids, versions
$res = patch(987654321, [replace(subject => 'x')]);
ok t_cmp($res->code, 404, 'an unknown oid: 404');
$err = json_of($res);
ok t_cmp($err->{errorCode}, 10100, 'errorCode 10100');
ok t_cmp($err->{info}, "resource=PATCH $base/appointments/987654321", 'info');
$res = patch('abc', [replace(subject => 'x')]);
ok t_cmp(json_of($res)->{errorCode}, 10203, 'an oid that is not a number: 10203');
$res = patch($a, [replace(subject => 'x')], headers => ['If-Match' => '"v999-json"']);
ok t_cmp($res->code, 412, 'If-Match with another version: 412');
$res = patch($a, [replace(subject => 'matched')],
             headers => ['If-Match' => $before->header('ETag')]);
ok t_cmp($res->code, 204, 'If-Match with the current version');
ok t_cmp($res->header('ETag'), qr/^"v2-json"$/, 'the new version\'s ETag');
$res = req('PATCH', "$base/appointments/$a", body => '{"operations": []}',
           type => 'text/plain');
ok t_cmp($res->code, 415, 'a body that is not JSON: 415');

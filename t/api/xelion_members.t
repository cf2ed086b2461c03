# Xelion members that are one row of the field table each: eventType
# (the first member of XCCAppointment on Xelion's model page) created,
# answered first, changed by a PATCH and read by PlanCare2 untouched;
# locationString changed by a PATCH like any writable member.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 9;

my $base = '/api/v1/master';

my $res = req_json('POST', "$base/appointments",
                   { eventType => 'meeting', subject => 'members',
                     starttime => '2026-09-01 10:00:00',
                     endtime => '2026-09-01 11:00:00' });
ok t_cmp($res->code, 201, 'created with an eventType');
my $oid = json_of($res)->{object}{oid};
my $body = req('GET', "$base/appointments/$oid")->content;
ok t_cmp($body, qr/^\{"object":\{"eventType":"meeting",/,
         'eventType answered, as the first member');

sub patch {
    my ($ops) = @_;
    return req('PATCH', "$base/appointments/$oid",
               body => $JSON->encode({ operations => $ops }),
               type => 'application/json');
}

$res = patch([{ op => 'replace', path => '/eventType', value => 'call' },
              { op => 'replace', path => '/locationString', value => 'Room 2' }]);
ok t_cmp($res->code, 204, 'PATCH of eventType and locationString');
my $o = json_of(req('GET', "$base/appointments/$oid"))->{object};
ok t_cmp($o->{eventType}, 'call', 'eventType replaced');
ok t_cmp($o->{locationString}, 'Room 2', 'locationString replaced');
ok t_cmp($o->{subject}, 'members', 'the rest unchanged');

$res = patch([{ op => 'replace', path => '/eventType', value => [1] }]);
ok t_cmp($res->code . ' ' . json_of($res)->{errorCode}, '400 10202',
         'an eventType that is not a string');
$res = patch([{ op => 'add', path => '/eventType', value => 'x' }]);
ok t_cmp($res->code . ' ' . json_of($res)->{errorCode}, '400 10202',
         'eventType takes replace only');
$o = json_of(req('GET', "$base/appointments/$oid"))->{object};
ok t_cmp($o->{eventType}, 'call', 'and nothing changed');

# The answer cache (store.h) across servers: two httpd instances of their
# own on the suite's database (AM::Instance).  Each server keeps the
# rendered answer of a GET per connection while the database is
# unchanged; a write through either server is read through the other at
# once, on every one of its connections, in every format, and a change
# of the directory (a name written by another appointment) too.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use HTTP::Request;
use AM::Test;
use AM::Instance;

my $READS = 40;    # enough to reach every connection of a server

plan tests => 13;

my $base = '/PlanCare2Api/ClientAppointments';
my $one = "$base/ContractAppointments";
my $change = "$base/ChangeOfContractAppointments";
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(Id RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $client = 5000 + ($$ % 1000);

my $A = AM::Instance->new('ca')->start;
my $B = AM::Instance->new('cb')->start;

my $ua = AM::Instance::ua();
sub call {
    my ($srv, $method, $path, $body, @h) = @_;
    my $r = HTTP::Request->new($method, $srv->url($path),
        [AM::Instance::auth(), 'Content-Type' => 'application/json', @h],
        defined $body ? $JSON->encode($body) : undef);
    return $ua->request($r);
}

# $READS GETs through srv at once (concurrently, so that several of its
# connections answer): "title etag" of each answer, the distinct ones.
sub reads {
    my ($srv, $path, @h) = @_;
    my @res = AM::Instance::run_clients($READS, sub {
        my $cua = AM::Instance::ua();
        return sub {
            my $g = $cua->request(HTTP::Request->new('GET', $srv->url($path),
                                  [AM::Instance::auth(), @h]));
            my $c = $g->decoded_content // '';
            my ($t) = $c =~ /"Title":"([^"]*)"/;
            ($t) = $c =~ /<(?:\w+:)?Title\b[^>]*>([^<]*)</ unless defined $t;
            $t //= '';
            return $g->code . " $t " . ($g->header('ETag') // '');
        };
    });
    my %seen = map { $_ => 1 } @res;
    return join(' | ', sort keys %seen);
}

my $res = call($A, 'POST', $one, { %$sample, ClientId => $client, Title => 'v1' });
ok t_cmp($res->code, 200, 'created through A');
my $id = json_of($res)->{Id};
my $e1 = $res->header('ETag');

ok t_cmp(reads($B, "$one/$id"), "200 v1 $e1", "B: $READS reads, one answer");
ok t_cmp(reads($B, "$one/$id"), "200 v1 $e1", 'B: again (from its cache)');

$res = call($A, 'POST', $change, { %$sample, Id => $id, ClientId => $client,
                                   Title => 'v2' }, 'If-Match' => $e1);
ok t_cmp($res->code, 200, 'changed through A');
my $e2 = $res->header('ETag');
ok t_cmp(reads($B, "$one/$id"), "200 v2 $e2", 'B reads A\'s change at once, on every connection');

# XML is its own answer, with its own ETag.
my $x = reads($B, "$one/$id", Accept => 'application/xml');
ok t_cmp($x, qr/^200 v2 "v\d+-xml"$/, 'B in XML: one answer, the change');

$res = call($B, 'POST', $change, { %$sample, Id => $id, ClientId => $client,
                                   Title => 'v3' }, 'If-Match' => $e2);
ok t_cmp($res->code, 200, 'changed through B');
my $e3 = $res->header('ETag');
ok t_cmp(reads($B, "$one/$id"), "200 v3 $e3", 'B reads its own change on every connection');
ok t_cmp(reads($A, "$one/$id"), "200 v3 $e3", '... and A reads it');
ok t_cmp(reads($B, "$one/$id", Accept => 'application/xml'),
         qr/^200 v3 "v\d+-xml"$/, '... in XML too');

# 304 from the cache.
ok t_cmp(call($B, 'GET', "$one/$id", undef, 'If-None-Match' => $e3)->code, 304,
         'If-None-Match with the current ETag: 304');

# A name in the directory, changed by a write of another appointment, is
# not the appointment's own version: the answers follow the database.
my $before = call($B, 'GET', "$one/$id")->decoded_content;
$res = call($A, 'POST', $one, { %$sample, ClientId => $client,
                                ClientName => "renamed $$", Title => 'other' });
ok t_cmp($res->code, 200, 'another appointment of the client, with a new name, through A');
my $fresh = call($A, 'GET', "$one/$id")->decoded_content;
ok t_cmp(reads($B, "$one/$id") . ' ' . (call($B, 'GET', "$one/$id")->decoded_content eq $fresh
                                        ? 'same as A' : 'differs'),
         "200 v3 $e3 same as A", 'B answers as the database now is');
$A->stop;
$B->stop;

# ETags behind httpd's compressing filters.  mod_deflate (loaded with
# Debian's own deflate.conf, which compresses application/xml for every
# location) and mod_brotli append "-gzip" / "-br" to the ETag of what they
# compress (DeflateAlterETag / BrotliAlterETag AddSuffix, the default).
# Clients send that tag back: If-None-Match with it answers 304, If-Match
# with it lets a change through, and a stale suffixed tag still fails.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

# Each case: mount, Accept, Accept-Encoding, the suffix the filter adds,
# the Content-Encoding it answers with.
my @cases = (
    ['/PlanCare2Api', 'application/xml', 'gzip', '-gzip', 'gzip',
     "Debian's deflate.conf, XML"],
    ['/DeflateJsonApi', 'application/json', 'gzip', '-gzip', 'gzip',
     'deflate with JSON added'],
    ['/DeflateJsonApi', 'application/xml', 'gzip, deflate', '-gzip', 'gzip',
     'deflate with JSON added, XML'],
    ['/BrotliApi', 'application/json', 'br', '-br', 'br', 'brotli, JSON'],
    ['/BrotliApi', 'application/xml', 'br', '-br', 'br', 'brotli, XML'],
);

plan tests => 2 + 13 * @cases;

my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};

# Debian's deflate.conf does not compress JSON: the ETag stays as it is.
{
    my $res = req_json('POST', '/PlanCare2Api/ClientAppointments/ContractAppointments',
                       $sample);
    my $id = json_of($res)->{Id};
    $res = req('GET', "/PlanCare2Api/ClientAppointments/ContractAppointments/$id",
               headers => ['Accept-Encoding' => 'gzip']);
    ok t_cmp($res->header('Content-Encoding') // '', '',
             'JSON is not compressed by the stock deflate.conf');
    ok t_cmp($res->header('ETag'), '"v1-json"', '... and keeps its ETag');
}

for my $c (@cases) {
    my ($mount, $accept, $ae, $suffix, $ce, $name) = @$c;
    my $one = "$mount/ClientAppointments/ContractAppointments";
    my $change = "$mount/ClientAppointments/ChangeOfContractAppointments";
    my $fmt = $accept =~ /xml/ ? 'xml' : 'json';
    my @enc = ('Accept-Encoding' => $ae);

    my $res = req_json('POST', $one, $sample);
    my $id = json_of($res) && json_of($res)->{Id};
    $res = req('GET', "$one/$id", accept => $accept, headers => [@enc]);
    ok t_cmp($res->code, 200, "$name: GET");
    ok t_cmp($res->header('Content-Encoding') // '', $ce,
             "$name: the filter compressed the answer");
    my $etag = $res->header('ETag') // '';
    ok t_cmp($etag, qq{"v1-$fmt$suffix"}, "$name: the filter suffixed the ETag");

    $res = req('GET', "$one/$id", accept => $accept,
               headers => [@enc, 'If-None-Match' => $etag]);
    ok t_cmp($res->code, 304, "$name: If-None-Match with the suffixed ETag: 304");
    $res = req('GET', "$one/$id", accept => $accept,
               headers => [@enc, 'If-None-Match' => "W/$etag"]);
    ok t_cmp($res->code, 304, "$name: ... also weak: 304");
    $res = req('GET', "$one/$id", accept => $accept,
               headers => [@enc, 'If-Match' => $etag]);
    ok t_cmp($res->code, 200, "$name: GET with If-Match of the suffixed ETag: 200");

    # A change with If-Match as the client got it.
    $res = req_json('POST', $change, { %$sample, Id => $id, Title => 'changed' },
                    accept => $accept, headers => [@enc, 'If-Match' => $etag]);
    ok t_cmp($res->code, 200, "$name: change with If-Match of the suffixed ETag: 200");
    ok t_cmp($res->header('ETag') // '', qq{"v2-$fmt$suffix"},
             "$name: ... answering the next (suffixed) ETag");

    # The old tag, suffixed, no longer matches.
    my $before = db_snapshot();
    $res = req_json('POST', $change, { %$sample, Id => $id, Title => 'lost' },
                    accept => $accept, headers => [@enc, 'If-Match' => $etag]);
    ok t_cmp($res->code, 412, "$name: change with a stale suffixed ETag: 412");
    ok t_cmp(db_snapshot(), $before, "$name: ... and nothing changed");
    $res = req('GET', "$one/$id", accept => $accept,
               headers => [@enc, 'If-None-Match' => $etag]);
    ok t_cmp($res->code, 200, "$name: If-None-Match with the stale one: 200");

    # A suffix on a tag that is not ours names nothing.
    $res = req('DELETE', "$one/$id", accept => $accept,
               headers => [@enc, 'If-Match' => qq{"abc$suffix"}]);
    ok t_cmp($res->code, 412, "$name: If-Match \"abc$suffix\": 412");
    $res = req('DELETE', "$one/$id", accept => $accept,
               headers => [@enc, 'If-Match' => qq{"v2-$fmt$suffix"}]);
    ok t_cmp($res->code, 204, "$name: DELETE with If-Match of the suffixed ETag: 204");
}

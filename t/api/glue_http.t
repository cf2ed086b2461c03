# The httpd side of the module (mod_appointments.c) where httpd itself
# takes part: a request body that httpd's LimitRequestBody stops (413 in
# the dialect's shape, from the body filter), subrequests (server-side
# includes of the module's URIs: the including page's conditional
# headers are not theirs), a mount that httpd does not look for on disk
# (no .htaccess read), bytes of the request that an error body echoes
# (always valid UTF-8 JSON and XML), Vary on error answers.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

plan tests => 26;

# Whether the bytes of a body are UTF-8 (JSON::PP alone does not check).
sub utf8_ok {
    my ($bytes) = @_;
    return utf8::decode(my $copy = $bytes // '');
}

my $small = '/SmallLimit/ClientAppointments/ContractAppointments';
my $body = '{"Title": "' . ('x' x 5000) . '"}';

# --- LimitRequestBody (1024 here) below AppointmentsMaxBody: httpd's body
# filter answers 413 while the module reads the body.
my @chunks = ($body =~ /(.{1,700})/gs, '');
my $res = req('POST', $small, body => sub { shift @chunks },
              type => 'application/json', user => undef);
ok t_cmp($res->code, 413, 'a chunked body over LimitRequestBody: 413');
ok t_cmp($res->header('Content-Type') // '', qr{^application/json},
         '... in JSON');
ok t_cmp((json_of($res) // {})->{Message} // '', qr/too large/,
         '... in the ASP.NET error shape');
$res = req('POST', $small, body => $body, type => 'application/json',
           accept => 'application/xml', user => undef);
ok t_cmp($res->code, 413, 'a Content-Length over LimitRequestBody: 413');
my $doc = xml_of($res);
is_true($doc && $doc->documentElement->localname eq 'Error',
        '... as <Error> in XML when Accept asks for it');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '... with Vary: Accept');
$res = req('POST', $small, body => '{"Title": "S"}', type => 'application/json',
           user => undef);
ok t_cmp($res->code, 400, 'a small body gets through to the handler (400 from it)');

# --- subrequests: an SSI page that includes an appointment
my $one = '/PlanCare2Api/ClientAppointments/ContractAppointments';
my $sample = seed_json('seed002_ContractAppointment.json');
delete @$sample{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
$res = req_json('POST', $one, $sample);
my $id = json_of($res)->{Id};
my $etag = $res->header('ETag');
ok t_cmp($etag, '"v1-json"', 'an appointment to include');
$res = req('GET', "/ssi/one.shtml?$id");
ok t_cmp($res->content, qr/"Id":\Q$id\E\b/, 'the page includes it');
$res = req('GET', "/ssi/one.shtml?$id", headers => ['If-None-Match' => $etag]);
ok t_cmp($res->code, 200, 'the page with If-None-Match of the appointment: 200');
ok t_cmp($res->content, qr/"Id":\Q$id\E\b/,
         '... still includes it (no 304 from the subrequest)');
$res = req('GET', "/ssi/one.shtml?$id", headers => ['If-Match' => '"v999-json"']);
ok t_cmp($res->content, qr/"Id":\Q$id\E\b/,
         'the page with If-Match of another version includes it (no 412)');

# --- a mount serves no files: httpd skips the file-system walk for it
$res = req('GET', '/walked/');
ok t_cmp($res->code, 500,
         'outside a mount, httpd reads a directory\'s .htaccess (an invalid one: 500)');
$res = req('GET', "/NoFilesApi/ClientAppointments/ContractAppointments/$id");
ok t_cmp($res->code, 200,
         'a mount whose directory has the same .htaccess answers: 200');
ok t_cmp($res->content, qr/"Id":\Q$id\E\b/, '... with the appointment');
$res = req('GET', '/NoFilesApi/walked');
ok t_cmp($res->code, 500,
         'a path of the mount that mod_rewrite [PT] turns into htdocs/walked: its .htaccess is read');

# --- bytes that are not UTF-8 in what an error body echoes
$res = req('POST', $one, body => '{}', type => "application/\xff\xfe");
ok t_cmp($res->code, 415, 'a Content-Type with bytes that are not UTF-8: 415');
my $err = json_of($res);
is_true($err && $err->{Message} =~ /not supported/ && utf8_ok($res->content),
        '... a body that is valid JSON in UTF-8');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '... with Vary: Accept');
$res = req('POST', $one, body => '{}', type => "application/\xff\xfe",
           accept => 'application/xml');
is_true(xml_of($res), '... and valid XML');
$res = req('GET', '/api/v1/master/appointments/%FF%01');
ok t_cmp($res->code, 400, 'Xelion: a path with bytes that are not UTF-8: 400');
$err = json_of($res);
is_true($err && ($err->{info} // '') =~ m{^resource=GET /api/v1/master/appointments/}
        && utf8_ok($res->content) && $res->content !~ /[\x00-\x1f]/,
        '... the info in valid JSON in UTF-8');
$res = req('GET', '/api/v1/master/appointments/%FF%01', accept => 'application/xml');
$doc = xml_of($res);
is_true($doc && $doc->documentElement->localname eq 'error',
        '... and in valid XML');

# --- Vary on errors: their format follows Accept as well
$res = req('GET', "$one/987654321");
ok t_cmp($res->code, 404, 'a missing appointment: 404');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/, '... with Vary: Accept');
$res = req('GET', '/PlanCare2Api/NoSuchThing');
ok t_cmp($res->header('Vary') // '', qr/\bAccept\b/,
         'no such route: Vary: Accept');

# OPTIONS answers 204 with Allow; CORS for the origins an admin lists
# (AppointmentsCorsOrigins; none by default): preflights from them are
# answered without credentials, every answer to them (errors too) carries
# Access-Control-Allow-Origin and -Credentials.  Other origins get no CORS
# headers.  Then a real browser (Chromium) on a page of a listed origin
# calls the API across origins: preflight, credentials, exposed headers.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);

use Apache::Test;
use Apache::TestUtil;
use Apache::TestRequest ();
use AM::Test;

plan tests => 41;

my $one = 'ClientAppointments/ContractAppointments';
my $listed = 'https://app.example.org';
my $other = 'https://evil.example.net';

sub allow_set {
    my ($res) = @_;
    return join ',', sort split /\s*,\s*/, ($res->header('Allow') // '');
}

# --- OPTIONS
my $res = req('OPTIONS', "/PlanCare2Api/$one");
ok t_cmp($res->code, 204, 'OPTIONS on a collection: 204');
ok t_cmp(allow_set($res), 'GET,HEAD,OPTIONS,POST', '... Allow: its methods and OPTIONS');
ok t_cmp(length($res->content // ''), 0, '... no body');
$res = req('OPTIONS', "/PlanCare2Api/$one/5");
ok t_cmp($res->code, 204, 'OPTIONS on one appointment: 204');
ok t_cmp(allow_set($res), 'DELETE,GET,HEAD,OPTIONS', '... Allow');
$res = req('OPTIONS', '/api/v1/master/appointments/5');
ok t_cmp(allow_set($res), 'DELETE,GET,HEAD,OPTIONS,PATCH', 'Xelion: Allow');
$res = req('OPTIONS', '/PlanCare2Api/NoSuchThing');
ok t_cmp($res->code, 404, 'OPTIONS on no route: 404');
$res = req('OPTIONS', "/PlanCare2Api/$one", user => undef);
ok t_cmp($res->code, 401, 'OPTIONS without credentials: 401, as any request');
$res = req('OPTIONS', "/PlanCare2Api/$one", user => 'outsider');
ok t_cmp($res->code, 403, '... a user without grants: 403');

# --- none by default
$res = req('OPTIONS', "/PlanCare2Api/$one", user => undef,
           headers => [Origin => $listed, 'Access-Control-Request-Method' => 'POST']);
ok t_cmp($res->code, 401, 'no origins listed: a preflight is an OPTIONS like any (401)');
ok t_cmp($res->header('Access-Control-Allow-Origin') // '', '', '... without CORS headers');
$res = req('GET', "/PlanCare2Api/$one/5", headers => [Origin => $listed]);
ok t_cmp($res->header('Access-Control-Allow-Origin') // '', '',
         'no CORS headers on answers either');

# --- host-based Require lines still refuse what needs no user
$res = req('OPTIONS', "/CorsIpApi/$one", user => undef,
           headers => [Origin => $listed, 'Access-Control-Request-Method' => 'POST']);
ok t_cmp($res->code, 403, 'preflight from a listed origin where Require ip refuses the client: 403');
$res = req('GET', '/CorsIpApi/openapi.json', user => undef);
ok t_cmp($res->code, 403, '... and the open descriptions there too: 403');
$res = req('OPTIONS', "/CorsApi/$one", user => undef,
           headers => [Origin => $listed, 'Access-Control-Request-Method' => 'POST']);
ok t_cmp($res->code, 204, '... while the same preflight where no host rule refuses it: 204');

# --- a listed origin
my @pre = (Origin => $listed, 'Access-Control-Request-Method' => 'POST',
           'Access-Control-Request-Headers' => 'authorization,content-type');
$res = req('OPTIONS', "/CorsApi/$one", user => undef, headers => \@pre);
ok t_cmp($res->code, 204, 'preflight from a listed origin, no credentials: 204');
ok t_cmp($res->header('Access-Control-Allow-Origin'), $listed, '... Allow-Origin: the origin');
ok t_cmp($res->header('Access-Control-Allow-Credentials'), 'true', '... Allow-Credentials');
ok t_cmp(join(',', sort split /\s*,\s*/, $res->header('Access-Control-Allow-Methods') // ''),
         'GET,HEAD,OPTIONS,POST', '... Allow-Methods: the routes\'');
ok t_cmp($res->header('Access-Control-Allow-Headers') // '',
         qr/Authorization.*Content-Type.*If-Match/, '... Allow-Headers');
ok t_cmp($res->header('Access-Control-Max-Age') // '', qr/^\d+$/, '... Max-Age');
ok t_cmp($res->header('Vary') // '', qr/Origin/, '... Vary: Origin');
$res = req('OPTIONS', "/CorsApi/NoSuchThing", user => undef, headers => \@pre);
ok t_cmp($res->code, 404, 'preflight on no route: 404');

$res = req('OPTIONS', "/CorsApi/$one", user => undef,
           headers => [Origin => $other, 'Access-Control-Request-Method' => 'POST']);
ok t_cmp($res->code, 401, 'preflight from an origin not listed: 401');
ok t_cmp($res->header('Access-Control-Allow-Origin') // '', '', '... no Allow-Origin');
ok t_cmp($res->header('Vary') // '', qr/Origin/, '... Vary: Origin');

$res = req('GET', "/CorsApi/$one/987654321", headers => [Origin => $listed]);
ok t_cmp($res->code, 404, 'GET from the listed origin');
ok t_cmp($res->header('Access-Control-Allow-Origin'), $listed, '... Allow-Origin on a 404');
ok t_cmp($res->header('Access-Control-Expose-Headers') // '', qr/ETag.*Location/,
         '... ETag and Location exposed');
$res = req('GET', "/CorsApi/$one/987654321", user => undef, headers => [Origin => $listed]);
ok t_cmp($res->code, 401, 'no credentials from the listed origin: 401');
ok t_cmp($res->header('Access-Control-Allow-Origin'), $listed,
         '... with Allow-Origin, so the page can read it');
ok t_cmp(json_of($res) && json_of($res)->{Message} // '', qr/denied/,
         '... in the dialect\'s shape');
$res = req('GET', "/CorsApi/$one/987654321", user => 'outsider',
           headers => [Origin => $listed]);
ok t_cmp($res->code . ' ' . ($res->header('Access-Control-Allow-Origin') // ''),
         "403 $listed", 'a user without grants: 403 with Allow-Origin');

# --- Chromium on a page of http://localhost:PORT calling http://127.0.0.1:PORT
my $CHROMIUM = (grep { -x } '/usr/bin/chromium', '/usr/bin/chromium-browser')[0];
is_true($CHROMIUM, 'chromium is installed');
my $api = Apache::TestRequest::resolve_url('/CorsApi');
$api =~ s{^http://[^/:]+}{http://127.0.0.1};
my ($port) = $api =~ m{:(\d+)/};
my $page = "http://localhost:$port/cors/page.html#" . $api;
# The body the page posts: seed 002 as a single appointment, beside it.
my $seed = seed_json('seed002_ContractAppointment.json');
delete @$seed{qw(RecurrenceInfo RecurrenceOccurrences FriendlyRecurrenceInfo)};
my $docroot = Apache::Test::vars('documentroot');
open my $sf, '>', "$docroot/cors/seed.json" or die "$docroot/cors/seed.json: $!";
print $sf $AM::Test::JSON->encode($seed);
close $sf;
my $profile = tempdir(CLEANUP => 1);
my @flags = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
             '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync',
             '--virtual-time-budget=10000', "--user-data-dir=$profile");
my $dom = $CHROMIUM ? `'$CHROMIUM' @flags --dump-dom '$page' 2>/dev/null` : '';
ok t_cmp($dom, qr/\bdone\b/, 'the page ran to its end');
ok t_cmp($dom, qr/(?:^|>)post 200 id=yes location=yes$/m,
         'cross-origin POST with credentials (after a preflight): 200, Location readable');
ok t_cmp($dom, qr/^get 200 etag="v1-json" title=from a page$/m,
         'cross-origin GET: 200, the ETag readable');
ok t_cmp($dom, qr/^anonymous 401 message=Authorization has been denied for this request\.$/m,
         'without credentials: the page reads the 401 and its body');
ok t_cmp($dom, qr/^delete 204$/m, 'cross-origin DELETE: 204');

# The page from an origin not listed: the browser keeps the answers from it.
$res = req('OPTIONS', "/CorsApi/$one", user => undef,
           headers => [Origin => "http://127.0.0.1:$port",
                       'Access-Control-Request-Method' => 'POST']);
ok t_cmp($res->code . ' ' . ($res->header('Access-Control-Allow-Origin') // '-'),
         '401 -', "http://127.0.0.1:$port is not listed: its preflight gets 401");
my $page2 = "http://127.0.0.1:$port/cors/page.html#"
          . "http://localhost:$port/CorsApi";
my $dom2 = $CHROMIUM ? `'$CHROMIUM' @flags --dump-dom '$page2' 2>/dev/null` : '';
print map { "# $_\n" } split /\n/, $dom2 unless $dom2 =~ /(?:^|>)post error TypeError$/m;
ok t_cmp($dom2, qr/(?:^|>)post error TypeError$/m,
         'from an origin not listed the browser refuses the call');

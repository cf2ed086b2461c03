# Each mount describes itself: GET openapi.json (OpenAPI 3) and GET Help
# (ASP.NET-style help pages), made from the route and field tables.
#   - the document's operations are exactly the routes the tables give
#     the mount (build/am-describe routes, linked against the core), and
#     @redocly/cli lints it with no errors;
#   - strong ETag, 304 on If-None-Match; the read grant of any of the
#     API's functions is enough, others get 401/403 in the API's shape;
#     AppointmentsDescriptionAccess open needs no credentials, and only
#     for the descriptions;
#   - the Help page, opened in headless Chromium, shows the index, every
#     route with its URI parameters, body members and samples.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);

use Apache::Test;
use Apache::TestUtil;
use Apache::TestRequest ();
use AM::Test;

my $top = $ENV{AM_MODULE} ? $ENV{AM_MODULE} =~ s{/\.libs/[^/]+$}{}r
                          : "$FindBin::Bin/../..";
my $TOOL = "$top/build/am-describe";
my $REDOCLY = "$top/build/node/node_modules/.bin/redocly";
my $CHROMIUM = (grep { -x } '/usr/bin/chromium', '/usr/bin/chromium-browser')[0];

# mount, dialect, a user holding only a read grant of it, one holding
# nothing of it
my @MOUNTS = (
    ['/PlanCare2Api', 'plancare2', 'clientplanner', 'patientreader'],
    ['/api/Calendar', 'patient', 'patientreader', 'clientplanner'],
    ['/api/v1/master', 'xelion', 'xelionreader', 'clientplanner'],
);

# The GET routes whose documents name required query parameters (read
# from the documents themselves, before the plan).
my @QUERY_CHECKS;
for my $m (@MOUNTS) {
    my ($mount) = @$m;
    my $doc = json_of(req('GET', "$mount/openapi.json")) // {};
    for my $path (sort keys %{ $doc->{paths} // {} }) {
        my $op = $doc->{paths}{$path}{get} or next;
        my @req = map { $_->{name} }
                  grep { $_->{in} eq 'query' && $_->{required} }
                  @{ $op->{parameters} // [] };
        next unless @req;
        (my $url = $path) =~ s/\{[^}]+\}/987654321/g;
        push @QUERY_CHECKS, ["$mount$url", @req];
    }
}

plan tests => 3 + @MOUNTS * 19 + @QUERY_CHECKS + 1 + 3 + 8 + 13;

is_true(-x $TOOL, "$TOOL is built (make unit)");
is_true(-x $REDOCLY, "$REDOCLY is installed (scripts/install-node-tools)");
is_true($CHROMIUM, 'chromium is installed');

my $tmp = tempdir(CLEANUP => 1);

sub table_routes {
    my ($dialect) = @_;
    my @r = `'$TOOL' routes $dialect`;
    chomp @r;
    return sort @r;
}

for my $m (@MOUNTS) {
    my ($mount, $dialect, $reader, $other) = @$m;

    my $res = req('GET', "$mount/openapi.json");
    ok t_cmp($res->code, 200, "$mount/openapi.json: 200");
    ok t_cmp($res->header('Content-Type') // '', qr{^application/json},
             "$mount/openapi.json is JSON");
    my $doc = json_of($res);
    ok t_cmp($doc && $doc->{openapi}, qr/^3\.0\./, "$mount: OpenAPI 3");

    # Exactly the tables' routes.
    my @doc_ops;
    for my $path (sort keys %{ $doc->{paths} // {} }) {
        for my $method (sort keys %{ $doc->{paths}{$path} }) {
            push @doc_ops, uc($method) . " $path";
        }
    }
    my @table = table_routes($dialect);
    is_true(@table >= 5, "$dialect: the tables give " . scalar(@table) . " routes");
    ok t_cmp(join("\n", sort @doc_ops), join("\n", @table),
             "$mount: the document's operations are the tables' routes, no more");
    my %seen;
    my @ids = grep { $seen{$_}++ } map {
        my ($mth, $p) = split / /, $_, 2;
        $doc->{paths}{$p}{lc $mth}{operationId} // ''
    } @doc_ops;
    ok t_cmp(scalar(@ids), 0, "$mount: operationIds are unique");

    # Lint.
    my $file = "$tmp/$dialect.json";
    open my $fh, '>:raw', $file or die "$file: $!";
    print $fh $res->content;
    close $fh;
    my $out = `'$REDOCLY' lint --format=summary '$file' 2>&1`;
    my $rc = $?;
    print "# redocly: $_\n" for grep { /error|warning|valid/i } split /\n/, $out;
    ok t_cmp($rc, 0, "$mount: redocly lint exits 0");
    ok t_cmp(scalar(grep { /^\s*error\b/ } split /\n/, $out), 0,
             "$mount: redocly lint reports no errors");

    # The document is what the core makes from the tables.
    my $core = `'$TOOL' openapi $dialect`;
    ok t_cmp($res->content eq $core ? 1 : 0, 1,
             "$mount: the server's document is the core's, byte for byte");

    # ETag and 304.
    my $etag = $res->header('ETag') // '';
    ok t_cmp($etag, qr/^"[^"]+"$/, "$mount/openapi.json: strong ETag");
    $res = req('GET', "$mount/openapi.json", headers => ['If-None-Match' => $etag]);
    ok t_cmp($res->code, 304, "$mount/openapi.json: If-None-Match gives 304");
    ok t_cmp(length($res->content // ''), 0, '... without a body');

    # Help.
    $res = req('GET', "$mount/Help");
    ok t_cmp($res->code, 200, "$mount/Help: 200");
    ok t_cmp($res->header('Content-Type') // '', qr{^text/html},
             "$mount/Help is HTML");
    my $hetag = $res->header('ETag') // '';
    ok t_cmp($hetag ne $etag && $hetag =~ /^"[^"]+"$/ ? 1 : 0, 1,
             "$mount/Help: a strong ETag of its own");
    $res = req('GET', "$mount/Help", headers => ['If-None-Match' => "W/$hetag"]);
    ok t_cmp($res->code, 304, "$mount/Help: If-None-Match (weak compare) gives 304");

    # Who may read them.
    $res = req('GET', "$mount/openapi.json", user => undef);
    ok t_cmp($res->code, 401, "$mount/openapi.json anonymous: 401");
    $res = req('GET', "$mount/Help", user => $reader);
    ok t_cmp($res->code, 200, "$mount/Help: $reader (a read grant) may");
    $res = req('GET', "$mount/openapi.json", user => $other);
    ok t_cmp($res->code, 403, "$mount/openapi.json: $other (no grant here): 403");
}

# What the documents say of query parameters is what the routes do: a GET
# without its required parameters is a 400 that names each of them.
for my $c (@QUERY_CHECKS) {
    my ($url, @req) = @$c;
    my $res = req('GET', $url);
    my $body = $res->decoded_content // '';
    my @missing = grep { $body !~ /\b\Q$_\E\b/ } @req;
    ok t_cmp($res->code . ' ' . join(',', @missing), '400 ',
             "GET $url without " . join(', ', @req) . ': 400 naming each');
}
is_true(@QUERY_CHECKS >= 3, scalar(@QUERY_CHECKS)
        . " routes with required query parameters checked");

# Accept does not apply to them (one media type each), HEAD does.
my $res = req('GET', '/PlanCare2Api/Help', accept => 'text/html');
ok t_cmp($res->code, 200, 'Help with Accept: text/html only: 200, not 406');
$res = req('GET', '/PlanCare2Api/openapi.json', accept => 'application/xml');
ok t_cmp($res->header('Content-Type') // '', qr{^application/json},
         'openapi.json is JSON whatever Accept says');
$res = req('HEAD', '/api/v1/master/openapi.json');
ok t_cmp($res->code . ' ' . length($res->content // ''), '200 0',
         'HEAD openapi.json: 200 without a body');

# ---------------------------------------------- AppointmentsDescriptionAccess open
$res = req('GET', '/OpenDocs/openapi.json', user => undef);
ok t_cmp($res->code, 200, 'open: openapi.json without credentials');
$res = req('GET', '/OpenDocs/Help', user => undef);
ok t_cmp($res->code, 200, 'open: Help without credentials');
my $help = $res->decoded_content // '';
$res = req('GET', '/OpenDocs/openapi.json', user => 'outsider');
ok t_cmp($res->code, 200, 'open: a user without grants reads it too');
$res = req('GET', '/OpenDocs/ClientAppointments/ContractAppointments/1', user => undef);
ok t_cmp($res->code, 401, 'open: the other routes still need credentials');
$res = req('GET', '/OpenDocs/ClientAppointments/ContractAppointments/1', user => 'outsider');
ok t_cmp($res->code, 403, '... and their grant');
$res = req('POST', '/OpenDocs/openapi.json', user => undef);
ok t_cmp($res->code, 401, 'open: POST openapi.json is no description (405 only for the granted)');
$res = req('POST', '/OpenDocs/openapi.json');
ok t_cmp($res->code, 405, 'POST openapi.json: 405');
ok t_cmp($help, qr{<a href="#POST-ClientAppointments-OccurrenceAppointments">},
         'the index links every route');

# ------------------------------------------------------------ Chromium
my $url = Apache::TestRequest::resolve_url('/OpenDocs/Help');
my $profile = tempdir(CLEANUP => 1);
my @flags = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
             '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync',
             "--user-data-dir=$profile");
my $dom = `'$CHROMIUM' @flags --dump-dom '$url' 2>/dev/null`;
ok t_cmp($dom, qr{<h1>PlanCare2 calendar API</h1>}, 'Chromium renders the Help page');
ok t_cmp($dom, qr{<h2>POST ClientAppointments/OccurrenceAppointments</h2>},
         'a route section, headed as the API pages head it');
ok t_cmp($dom, qr{Requires 'Start' permission for function ClientGroupCalendar \{6D8B7697-D439-4E6E-9773-52E40081B837\}},
         'the permission the route needs');
ok t_cmp($dom, qr{<h3>URI Parameters</h3>.*?occurrenceRangeFrom}s, 'URI parameters');
ok t_cmp($dom, qr{<td class="parameter-name">OccurrenceIndex</td>.*?<td class="parameter-type">integer</td><td class="parameter-annotations">Required}s,
         'body members with type and additional information');
ok t_cmp($dom, qr{"Title": "sample string 4"}, 'JSON sample (OccurrenceAppointment, counted as ASP.NET does)');
ok t_cmp($dom, qr{&lt;OccurrenceAppointment xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/DHS.PlanCare.Web.Api.Interface.Calendar"&gt;},
         'XML sample with the DataContract namespace');
ok t_cmp($dom, qr{the sample of the API's documentation page</h4>\s*<pre class="wrapped">\{\n"Id": 1,}, 'the seed sample beside the generated one');
ok t_cmp($dom, qr{id="model-RecurrenceInfo"}, 'resource model sections');
ok t_cmp($dom, qr{<td class="enum-name">DeletedOccurrence</td><td class="enum-value">2</td>},
         'enumerations with their values');
ok t_cmp($dom !~ m{(?:src|href)="(?:https?:)?//} ? 1 : 0, 1, 'no external assets');
my $shot = "$profile/help.png";
system("'$CHROMIUM' @flags --window-size=1280,1600 --screenshot='$shot' '$url' >/dev/null 2>&1");
ok t_cmp(-s $shot && -s $shot > 10000 ? 1 : 0, 1, 'Chromium takes a screenshot of it');
open my $ph, '<:raw', $shot or die;
my $magic = '';
read $ph, $magic, 8;
close $ph;
ok t_cmp($magic, "\x89PNG\r\n\x1a\n", '... a PNG');

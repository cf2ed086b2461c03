# The permission matrix: every route of every mounted dialect
# (t/lib/AM/Routes.pm) x {anonymous, a user without a grant, a user granted
# another function, the user granted the route's function and permission}
# -> 401 / 403 / 403 / success, in JSON and in XML.  401 and 403 come in
# the dialect's error shape and the negotiated format; 401 keeps the
# authentication module's WWW-Authenticate.  Routes that need Edit are
# also tried by a user who holds Start only (403).
#
# First: every route in the dialects' route tables (src/dialect_*.c) has a
# row in Routes.pm, so that the matrix covers them all.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;
use AM::Routes qw(@MOUNTS %GRANTEE @USERS holds);

my $DENIED = 'Authorization has been denied for this request.';
my %XELION_CODE = (401 => 10000, 403 => 10101);
my %ACCEPT = (json => 'application/json', xml => 'application/xml');

# ------------------------------------------------ the dialects' routes
# The source tree: scripts/apache-test runs the suite on a copy of t/ and
# names the module it built in AM_MODULE (TOP/.libs/mod_appointments.so).
my $top = $ENV{AM_MODULE} ? $ENV{AM_MODULE} =~ s{/\.libs/[^/]+$}{}r
                          : "$FindBin::Bin/../..";
my @dialect_routes;     # [api, method, pattern]
my @headers = map {
    open my $fh, '<', $_ or die "$_: $!";
    local $/;
    scalar <$fh>;
} sort glob("$top/src/*.h");
for my $file (sort glob("$top/src/dialect_*.c")) {
    open my $fh, '<', $file or die "$file: $!";
    my $src = do { local $/; <$fh> };
    close $fh;
    my ($api) = $src =~ /const\s+am_dialect_t\s+am_dialect_\w+\s*=\s*\{\s*"([^"]+)"/
        or next;
    # Rows written by a macro (one invocation per kind of appointment, or
    # shared rows such as a feed's or the login's, defined in the file or
    # in a header of src/): each invocation expanded with its arguments.
    my @expanded;
    my $defs = join "\n", $src, @headers;
    my $args_re = qr/(?:[^()]|\([^()]*\))*/;
    while ($defs =~ /^#define\s+(\w+)(\(([^)]*)\))?((?:[^\n]*\\\n)*[^\n]*)/mg) {
        my ($name, $fnlike, $params, $body) = ($1, $2, $3, $4);
        next unless $body =~ /\{\s*"(?:GET|POST|PUT|PATCH|DELETE)"/;
        my $e0 = $body =~ s/\\\n/ /gr;
        # Invocations outside #define lines.
        my $uses = join "\n", grep { !/^#define/ } split /\n/, $src;
        if (!defined $fnlike) {
            my $n = () = $uses =~ /\b\Q$name\E\b/g;
            push @expanded, ($e0) x $n;
            next;
        }
        my @p = map { s/^\s+|\s+$//gr } split /,/, $params;
        while ($uses =~ /\b\Q$name\E\(($args_re)\)/g) {
            my @a = map { s/^\s+|\s+$//gr } split /,(?=(?:[^"]*"[^"]*")*[^"]*$)/, $1;
            next unless @a == @p && $a[0] =~ /^"/;
            my $e = $e0;
            for my $i (0 .. $#p) {
                $e =~ s/\b\Q$p[$i]\E\b/$a[$i]/g;
            }
            push @expanded, $e;
        }
    }
    # { "METHOD", "pattern" (C literals may be split: "a/" "b"), ...
    for my $text ($src, @expanded) {
    while ($text =~ /\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*((?:"[^"]*"\s*)+),/g) {
        my ($method, $lits) = ($1, $2);
        push @dialect_routes, [$api, $method, join '', $lits =~ /"([^"]*)"/g];
    }
    }
}

# A route pattern as a regex for sample paths.
my $GUID = qr/\{?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?/;
sub pattern_re {
    my ($pattern) = @_;
    my @seg = map {
        /^\{\w+:guid\}$/ ? $GUID
      : /^\{\w+(?::uint)?\}$/ ? qr/[0-9]+/
      # A parameter with a literal suffix ("{id}.ics").
      : /^\{\w+:guid\}(.+)$/ ? qr/$GUID\Q$1\E/i
      : /^\{\w+(?::uint)?\}(.+)$/ ? qr/[0-9]+\Q$1\E/i
      : qr/\Q$_\E/i
    } split m{/}, $pattern;
    my $re = join '/', @seg;
    return qr{^$re/?$};
}

my %mount_of = map { $_->{api} => $_ } @MOUNTS;

# ------------------------------------------------------------ requests
sub apply_set_json {
    my ($data, $set) = @_;
    my %d = %$data;
    for my $k (keys %{ $set || {} }) {
        if (defined $set->{$k}) { $d{$k} = $set->{$k} } else { delete $d{$k} }
    }
    return $JSON->encode(\%d);
}

sub apply_set_xml {
    my ($xml, $set) = @_;
    for my $k (keys %{ $set || {} }) {
        if (defined $set->{$k}) {
            $xml =~ s{(<\Q$k\E\b[^>]*>)[^<]*(</\Q$k\E>)}{$1$set->{$k}$2};
        }
        else {
            $xml =~ s{\s*<\Q$k\E\b[^>]*>[^<]*</\Q$k\E>}{};
        }
    }
    return $xml;
}

# (body, content type) of a row for a response format.
sub body_of {
    my ($row, $fmt) = @_;
    if ($fmt eq 'xml' && $row->{xml}) {
        return (apply_set_xml(seed($row->{xml}), $row->{set}),
                'application/xml');
    }
    return () unless $row->{json};
    my $data = ref $row->{json} ? $row->{json} : seed_json($row->{json});
    return (apply_set_json($data, $row->{set}), 'application/json');
}

sub call {
    my ($mount, $row, $fmt, $user) = @_;
    my ($body, $type) = body_of($row, $fmt);
    return req($row->{method}, "$mount->{mount}/$row->{path}",
               user => $user, accept => $ACCEPT{$fmt},
               (defined $body ? (body => $body, type => $type) : ()));
}

# The error body is the dialect's, for status, in fmt.
sub error_shape_ok {
    my ($res, $status, $errors, $fmt) = @_;
    my $ct = $res->header('Content-Type') // '';
    if ($fmt eq 'json') {
        return 0 unless $ct =~ m{^application/json; charset=utf-8$};
        my $d = json_of($res) or return 0;
        if ($errors eq 'xelion') {
            return ($d->{errorCode} // 0) == $XELION_CODE{$status}
                && defined $d->{message};
        }
        return json_keys($d) eq 'Message' && $d->{Message} eq $DENIED;
    }
    return 0 unless $ct =~ m{^application/xml; charset=utf-8$};
    my $doc = xml_of($res) or return 0;
    my $root = $doc->documentElement;
    if ($errors eq 'xelion') {
        return $root->localname eq 'error'
            && $root->findvalue('errorCode') eq $XELION_CODE{$status};
    }
    return $root->localname eq 'Error'
        && $root->findvalue('Message') eq $DENIED;
}

sub show {
    my ($res) = @_;
    my $b = $res->decoded_content // '';
    $b = substr($b, 0, 300);
    $b =~ s/\n/ /g;
    print "# got ", $res->code, " ", ($res->header('Content-Type') // ''),
          ": $b\n";
}

sub denied {
    my ($res, $status, $mount, $fmt, $name) = @_;
    my $ok = t_cmp($res->code, $status, "$name: $status");
    show($res) unless $ok;
    ok $ok;
    $ok = error_shape_ok($res, $status, $mount->{errors}, $fmt);
    show($res) unless $ok;
    is_true($ok, "$name: $mount->{errors} error body in $fmt");
}

# --------------------------------------------------------------- plan
my @cases;
my @logins;     # [mount, row]: login routes (see Routes.pm)
for my $mount (@MOUNTS) {
    for my $row (@{ $mount->{routes} }) {
        if ($row->{login}) {
            push @logins, [$mount, $row];
            next;
        }
        my $perm = $row->{perm} // 'Start';
        if ($row->{function} eq '*') {
            # Any of the mount's functions lets the request in: granted
            # to the holder of the first, denied to one who holds none.
            my @fns = grep { defined && !/^\*$/ } map { $_->{function} }
                      @{ $mount->{routes} };
            my ($none) = grep {
                my $u = $_;
                $u ne 'outsider' && !grep { holds($u, "$_:Start") } @fns
            } @USERS;
            push @cases, { mount => $mount, row => $row,
                           granted => $GRANTEE{"$fns[0]:Start"},
                           other => $none };
            next;
        }
        my $fp = "$row->{function}:$perm";
        my $granted = $GRANTEE{$fp}
            or die "Routes.pm: no test user holds $fp (add one to"
                 . " t/conf/htgroup, t/conf/authz.inc and %GRANTEE)";
        my ($other) = grep { $_ ne 'outsider'
                             && !holds($_, "$row->{function}:Start")
                             && !holds($_, $fp) } @USERS;
        my ($start_only) = $perm eq 'Start' ? ()
            : grep { holds($_, "$row->{function}:Start") && !holds($_, $fp) }
                   @USERS;
        push @cases, { mount => $mount, row => $row, granted => $granted,
                       other => $other, start_only => $start_only };
    }
}
my $per_fmt = 0;
$per_fmt += 8 + ($_->{start_only} ? 2 : 0) for @cases;
plan tests => 1 + @dialect_routes + 2 * $per_fmt + 4 * @logins;

# ------------------------------------------------------- completeness
is_true(@dialect_routes >= 5, scalar(@dialect_routes)
        . " routes read from the route tables in $top/src");
for my $dr (@dialect_routes) {
    my ($api, $method, $pattern) = @$dr;
    my $mount = $mount_of{$api};
    my $re = pattern_re($pattern);
    my $found = $mount && grep {
        $_->{method} eq $method && ($_->{path} =~ s/\?.*//r) =~ $re
    } @{ $mount->{routes} };
    is_true($found, "Routes.pm has a row for $api $method $pattern");
}

# ------------------------------------------------ login routes, Basic
# On a mount whose AuthType is Basic a login route is no way in: it
# needs credentials like any route (401), and no grant names it (403).
for my $l (@logins) {
    my ($mount, $row) = @$l;
    my $name = "POST $mount->{mount}/$row->{path} (login route, AuthType Basic)";
    my $res = call($mount, $row, 'json', undef);
    denied($res, 401, $mount, 'json', "$name anonymous");
    $res = call($mount, $row, 'json', 'tester');
    denied($res, 403, $mount, 'json', "$name tester");
}

# ------------------------------------------------------------- matrix
for my $fmt (qw(json xml)) {
    for my $c (@cases) {
        my ($mount, $row) = @$c{qw(mount row)};
        my $name = "$fmt $row->{method} $mount->{mount}/$row->{path}";

        my $res = call($mount, $row, $fmt, undef);
        denied($res, 401, $mount, $fmt, "$name anonymous");
        ok t_cmp($res->header('WWW-Authenticate') // '', qr/^Basic realm=/,
                 "$name anonymous: WWW-Authenticate kept");

        $res = call($mount, $row, $fmt, 'outsider');
        denied($res, 403, $mount, $fmt, "$name without a grant");

        $res = call($mount, $row, $fmt, $c->{other});
        denied($res, 403, $mount, $fmt,
               "$name $c->{other} (granted another function)");

        if ($c->{start_only}) {
            $res = call($mount, $row, $fmt, $c->{start_only});
            denied($res, 403, $mount, $fmt,
                   "$name $c->{start_only} (holds Start, not "
                   . ($row->{perm}) . ")");
        }

        $res = call($mount, $row, $fmt, $c->{granted});
        my $code = $res->code;
        my $good = $row->{ok} ? scalar grep { $_ == $code } @{ $row->{ok} }
                              : ($code =~ /^2\d\d$/ || $code == 404);
        # A 404 of the resource, not of routing (a row with a wrong path).
        $good = 0 if ($res->decoded_content // '') =~ /No HTTP resource was found/;
        show($res) unless $good;
        print "# $name as $c->{granted}: $code\n";
        is_true($good && $code != 401 && $code != 403,
                "$name $c->{granted} (granted): $code is success");
    }
}

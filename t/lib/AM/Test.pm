package AM::Test;
# Helpers shared by the Apache::Test files of mod_appointments.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use FindBin;
use File::Spec;
use MIME::Base64 qw(encode_base64);
use HTTP::Request;
use JSON::PP;
use XML::LibXML;
use Apache::Test ();
use Apache::TestUtil ();
use Apache::TestRequest ();

our @EXPORT = qw(is_true req req_json seed seed_json json_of xml_of db_snapshot
                 db_id_of_uid
                 xml_shape json_keys $JSON);

our $JSON = JSON::PP->new->canonical(1)->allow_nonref(1);

# The test data (seed samples) directory, t/data.
my $DATA = File::Spec->catdir($FindBin::Bin, '..', 'data');
$DATA = File::Spec->catdir($FindBin::Bin, 'data') unless -d $DATA;

# ok() of Apache::Test takes (got, expected): this is ok(condition, name).
sub is_true {
    my ($cond, $name) = @_;
    Apache::Test::ok(Apache::TestUtil::t_cmp($cond ? 1 : 0, 1, $name));
}

sub seed {
    my ($name) = @_;
    my $f = File::Spec->catfile($DATA, $name);
    open my $fh, '<:raw', $f or die "cannot read $f: $!";
    local $/;
    my $s = <$fh>;
    close $fh;
    return $s;
}

sub seed_json { return $JSON->decode(seed($_[0])) }

# req(METHOD, PATH, body => ..., type => content type, accept => ...,
#     user => 'tester' (undef for anonymous), headers => [..])
sub req {
    my ($method, $path, %o) = @_;
    my @h;
    my $user = exists $o{user} ? $o{user} : 'tester';
    if (defined $user) {
        my $pw = $o{password} // $user;
        push @h, Authorization => 'Basic ' . encode_base64("$user:$pw", '');
    }
    push @h, 'Content-Type' => $o{type} if defined $o{type};
    push @h, Accept => $o{accept} if defined $o{accept};
    push @h, @{ $o{headers} } if $o{headers};
    my $url = Apache::TestRequest::resolve_url($path);
    my $r = HTTP::Request->new($method, $url, \@h,
                               defined $o{body} ? $o{body} : undef);
    my $ua = Apache::TestRequest::user_agent(reset => 1,
                                             requests_redirectable => 0);
    return $ua->request($r);
}

# A JSON request: body is a Perl structure or a string.
sub req_json {
    my ($method, $path, $body, %o) = @_;
    $body = $JSON->encode($body) if ref $body;
    return req($method, $path, body => $body,
               type => 'application/json', %o);
}

sub json_of {
    my ($res) = @_;
    my $d = eval { $JSON->decode($res->decoded_content // '') };
    return $d;
}

sub xml_of {
    my ($res_or_text) = @_;
    my $t = ref $res_or_text ? $res_or_text->decoded_content : $res_or_text;
    return eval {
        XML::LibXML->new(no_network => 1, load_ext_dtd => 0,
                         expand_entities => 0)->parse_string($t)
    };
}

# The shape of an element: "{ns}name" of it and of its children,
# recursively, as one string per element in document order.
sub xml_shape {
    my ($el, $depth) = @_;
    $depth //= 99;
    my @out = ('{' . ($el->namespaceURI // '') . '}' . $el->localname);
    return @out if $depth == 0;
    for my $c ($el->childNodes) {
        next unless $c->nodeType == XML_ELEMENT_NODE;
        push @out, map { "  $_" } xml_shape($c, $depth - 1);
    }
    return @out;
}

sub json_keys {
    my ($h) = @_;
    return join ',', sort keys %$h;
}

# Runs one query on the backend's database (as db_snapshot does); the
# output, chomped.
sub db_query {
    my ($sql) = @_;
    my @cmd;
    if (($ENV{AM_TEST_BACKEND} // 'sqlite') eq 'pgsql') {
        @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                '-h', $ENV{AM_PG_HOST}, '-p', $ENV{AM_PG_PORT},
                '-U', $ENV{AM_PG_USER}, '-d', $ENV{AM_PG_DB}, '-c', $sql);
    }
    else {
        @cmd = ('sqlite3', "$ENV{AM_TEST_DB_DIR}/appointments.db", $sql);
        unshift @cmd, 'runuser', '-u', 'nobody', '--' if $< == 0;
    }
    local $ENV{PGPASSWORD} = $ENV{AM_PG_PASSWORD} // '';
    open my $fh, '-|', @cmd or die "$cmd[0]: $!";
    local $/;
    my $s = <$fh> // '';
    close $fh or die "db_query: $cmd[0] failed (status $?)\n";
    chomp $s;
    return $s;
}

# The numeric id of the appointment with this uid (a GUID), or ''.
sub db_id_of_uid {
    my ($uid) = @_;
    die "not a GUID: $uid\n" unless $uid =~ /^[0-9a-fA-F-]{36}$/;
    return db_query("SELECT id FROM am_appointments WHERE uid = '\L$uid\E'");
}

# Every appointment with its version and links, as one string: equal
# snapshots mean the store did not change.  Reads the database of the
# backend the suite runs on (AM_TEST_BACKEND): the SQLite file, or the
# PostgreSQL database through psql.
sub db_snapshot {
    my @cmd;
    if (($ENV{AM_TEST_BACKEND} // 'sqlite') eq 'pgsql') {
        @cmd = ('psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                '-h', $ENV{AM_PG_HOST}, '-p', $ENV{AM_PG_PORT},
                '-U', $ENV{AM_PG_USER}, '-d', $ENV{AM_PG_DB}, '-c',
                "SELECT (SELECT string_agg(id || ':' || version, ','"
              . " ORDER BY id) FROM am_appointments)"
              . " || '|' || (SELECT count(*) FROM am_links)");
    }
    else {
        my $db = "$ENV{AM_TEST_DB_DIR}/appointments.db";
        return '' unless -e $db;
        @cmd = ('sqlite3', $db,
                "SELECT (SELECT group_concat(id || ':' || version, ',')"
              . " FROM am_appointments)"
              . " || '|' || (SELECT count(*) FROM am_links)");
        # Run as the server's user so that no file of the database is
        # created with root's ownership.
        unshift @cmd, 'runuser', '-u', 'nobody', '--' if $< == 0;
    }
    local $ENV{PGPASSWORD} = $ENV{AM_PG_PASSWORD} // '';
    local $ENV{PGCONNECT_TIMEOUT} = 10;
    open my $fh, '-|', @cmd or die "$cmd[0]: $!";
    local $/;
    my $s = <$fh> // '';
    # A snapshot that could not be taken must not compare equal to
    # another one that could not be taken either.
    close $fh or die "db_snapshot: $cmd[0] failed (status $?)\n";
    chomp $s;
    return $s;
}

1;

# Patient dialect: every validation rule of AppointmentModel (seed 003),
# in JSON, as a form and in XML.  Good edge values are accepted and come
# back exactly; bad ones get 400 with an ASP.NET ModelState key naming
# each bad field ("model.Reason"), and nothing is stored.
use strict;
use warnings FATAL => 'all';
use FindBin;
use lib "$FindBin::Bin/../lib";

use Apache::Test;
use Apache::TestUtil;
use AM::Test;

my $post = '/api/Calendar/PatientAppointmentPost_v2';
my $sample = seed_json('seed003_AppointmentModel.json');
my $JU = JSON::PP->new->utf8->canonical(1);
my @GUID_FIELDS = qw(EncounterTypeId EncounterTypeModeDurationId ProviderId
                     UserId PatientId SpecialityId ParentId ReferredParentId
                     AccountId ServiceId);

my $slot = 0;
sub guid {
    return sprintf '%08x-%04x-%04x-%04x-%04x%08x', int rand 2**32,
        int rand 65536, int rand 65536, int rand 65536, int rand 65536,
        int rand 2**32;
}

# The sample with changes (undef deletes a member), for a provider and
# slot of its own.
sub body {
    my (%change) = @_;
    my %b = (%$sample, ProviderId => guid(),
             AppointmentOn => sprintf('2030-01-%02dT10:00:00+01:00',
                                      1 + $slot++ % 28));
    for my $k (keys %change) {
        if (exists $change{$k} && !defined $change{$k} && $k =~ /^-(.*)/) {
            delete $b{$1};
        }
        else {
            $b{$k} = $change{$k};
        }
    }
    return \%b;
}

sub post_json {
    my ($b, %o) = @_;
    return req('POST', $post, body => $JU->encode($b),
               type => 'application/json', %o);
}

sub model_state {
    my ($res) = @_;
    my $e = eval { $JU->decode($res->content) } || {};
    return $e->{ModelState} || {};
}

my @cases;    # [name, response, expected ModelState keys, format]
my @goods;    # [name, got, expected]

# ------------------------------------------------------ good edge values
my $e2 = "\x{e9}";            # two bytes in UTF-8
my $e4 = "\x{1F600}";         # four bytes
my %good = (
    'Reason of 250 characters (500 bytes)' => [{ Reason => $e2 x 250 }, 'Reason'],
    'Note of 1000 characters (4000 bytes)' => [{ Note => $e4 x 1000 }, 'Note'],
    'empty Note'                  => [{ Note => '' }, 'Note'],
    'null Note'                   => [{ Note => undef }, 'Note'],
    'Reasons empty'               => [{ Reasons => [] }, 'Reasons'],
    'MethodId Int32 max'          => [{ MethodId => 2147483647 }, 'MethodId'],
    'MethodId Int32 min'          => [{ MethodId => -2147483648 }, 'MethodId'],
);
for my $name (sort keys %good) {
    my ($change, $k) = @{ $good{$name} };
    my $res = post_json(body(%$change));
    my $got = $res->code == 200 ? $JU->decode($res->content) : {};
    my ($g, $w) = map { $JU->encode([$_]) } $got->{$k}, $change->{$k};
    # Long texts are compared whole but shown by their length.
    ($g, $w) = ('length ' . length($g) . ($g eq $w ? ', equal' : ', differs'),
                'length ' . length($w) . ', equal') if length $w > 80;
    push @goods, ["accepted: $name", $res->code . " $g", "200 $w"];
}

# GUIDs in every form .NET's Guid parser takes come back canonical.
for my $form ('{35892D05-0086-4366-930B-3FA374CAC51E}',
              '(35892d05-0086-4366-930B-3fa374cac51e)',
              '35892D0500864366930B3FA374CAC51E',
              ' 35892d05-0086-4366-930b-3fa374cac51e ') {
    my $res = post_json(body(UserId => $form, AccountId => $form));
    my $got = $res->code == 200 ? $JU->decode($res->content) : {};
    push @goods, ["GUID form '$form' accepted and canonical",
                  join(' ', $res->code, $got->{UserId} // '',
                       $got->{AccountId} // ''),
                  '200 35892d05-0086-4366-930b-3fa374cac51e'
                  . ' 35892d05-0086-4366-930b-3fa374cac51e'];
}

# Decimals are kept digit for digit (no binary floating point).
for my $d ('0.1000000000000000000000000001', '1234567890123456789012345678',
           '-12.50', '0.10') {
    my $text = $JU->encode(body()) =~ s/"PaidAmount":[^,}]+/"PaidAmount":$d/r;
    my $res = req('POST', $post, body => $text, type => 'application/json');
    push @goods, ["PaidAmount $d stored exactly",
                  $res->code . ' ' . (($res->content =~ /"PaidAmount":([^,}]+)/)[0] // ''),
                  "200 $d"];
}
{
    my $res = post_json(body(PaidAmount => '12.50'));
    push @goods, ['PaidAmount as a JSON string, as Json.NET reads it',
                  ($res->content =~ /"PaidAmount":([^,}]+)/)[0] // '', '12.50'];
}

# ----------------------------------------------------- bad values, JSON
my $before = db_snapshot();

for my $k (qw(UserId AccountId AppointmentOn Reason)) {
    push @cases, ["$k missing", post_json(body("-$k" => undef)), ["model.$k"]];
    push @cases, ["$k null", post_json(body($k => undef)), ["model.$k"]];
}
push @cases, ['Reason empty', post_json(body(Reason => '')), ['model.Reason']];
push @cases, ['Reason blank', post_json(body(Reason => '   ')), ['model.Reason']];
push @cases, ['Reason of 251 characters',
              post_json(body(Reason => $e2 x 251)), ['model.Reason']];
push @cases, ['Note of 1001 characters',
              post_json(body(Note => $e4 x 1000 . 'x')), ['model.Note']];
for my $k (@GUID_FIELDS) {
    push @cases, ["$k not a GUID", post_json(body($k => 'not-a-guid')),
                  ["model.$k"]];
}
push @cases, ['GUID of 31 digits',
              post_json(body(ServiceId => '34584373-414b-43f7-aaba-0a4453f6cd8')),
              ['model.ServiceId']];
push @cases, ['GUID with misplaced hyphens',
              post_json(body(ServiceId => '{34584373414b-43f7-aaba-0a44-53f6cd8f}')),
              ['model.ServiceId']];
push @cases, ['GUID as a number', post_json(body(ParentId => 12)),
              ['model.ParentId']];
push @cases, ['Reasons[1].ReasonId not a GUID',
              post_json(body(Reasons => [{ ReasonId => guid() },
                                         { ReasonId => 'x' }])),
              ['model.Reasons[1].ReasonId']];
push @cases, ['Reasons not a collection', post_json(body(Reasons => 'x')),
              ['model.Reasons']];
for my $bad ('"abc"', '1e3', '12345678901234567890123456789', '"5,0"') {
    my $text = $JU->encode(body()) =~ s/"PaidAmount":[^,}]+/"PaidAmount":$bad/r;
    push @cases, ["PaidAmount $bad",
                  req('POST', $post, body => $text, type => 'application/json'),
                  ['model.PaidAmount']];
}
for my $bad (2147483648, -2147483649, 1.5, '"x"', 'true') {
    my $text = $JU->encode(body()) =~ s/"MethodId":[^,}]+/"MethodId":$bad/r;
    push @cases, ["MethodId $bad",
                  req('POST', $post, body => $text, type => 'application/json'),
                  ['model.MethodId']];
}
push @cases, ['AppointmentOn not a date', post_json(body(AppointmentOn => 'tomorrow')),
              ['model.AppointmentOn']];
push @cases, ['AppointmentOn 30 February',
              post_json(body(AppointmentOn => '2026-02-30T10:00:00Z')),
              ['model.AppointmentOn']];
push @cases, ['SecondaryAppointmentOn not a date',
              post_json(body(SecondaryAppointmentOn => '2026-13-01')),
              ['model.SecondaryAppointmentOn']];
push @cases, ['every required member missing at once',
              post_json({ Note => 'only a note' }),
              [map { "model.$_" } qw(UserId AccountId AppointmentOn Reason)]];
push @cases, ['several bad members at once',
              post_json(body(UserId => 'x', PaidAmount => 'y', Note => 'z' x 1001)),
              [map { "model.$_" } qw(UserId PaidAmount Note)]];

# ----------------------------------------------------- bad values, form
sub form {
    my (%f) = @_;
    return join '&', map {
        my $v = $f{$_};
        utf8::encode($v);
        $v =~ s/([^A-Za-z0-9\-._~])/sprintf '%%%02X', ord $1/ge;
        "$_=$v";
    } sort keys %f;
}
my %fb = (UserId => guid(), AccountId => guid(), Reason => 'checkup',
          AppointmentOn => '2030-02-01T10:00:00+01:00', ProviderId => guid());
for my $case (
    ['UserId empty', { UserId => '' }, ['model.UserId']],
    ['AccountId not a GUID', { AccountId => 'nope' }, ['model.AccountId']],
    ['Reason of 251 characters', { Reason => $e2 x 251 }, ['model.Reason']],
    ['Note of 1001 characters', { Note => 'n' x 1001 }, ['model.Note']],
    ['PaidAmount not a decimal', { PaidAmount => '5,0' }, ['model.PaidAmount']],
    ['MethodId out of range', { MethodId => '99999999999' }, ['model.MethodId']],
    ['Reasons[0].ReasonId not a GUID', { 'Reasons[0].ReasonId' => 'x' },
     ['model.Reasons[0].ReasonId']],
    ['AppointmentOn missing', { AppointmentOn => undef }, ['model.AppointmentOn']],
) {
    my ($name, $change, $keys) = @$case;
    my %f = (%fb, %$change);
    delete $f{$_} for grep { !defined $f{$_} } keys %f;
    push @cases, ["form: $name",
                  req('POST', $post, body => form(%f),
                      type => 'application/x-www-form-urlencoded'), $keys];
}
push @cases, ['form: a malformed %-escape',
              req('POST', $post, body => form(%fb) . '&Note=%G1',
                  type => 'application/x-www-form-urlencoded'), []];

# ------------------------------------------------------ bad values, XML
my $NS = 'http://schemas.datacontract.org/2004/07/DrCare.Api.Models';
my $xml = qq{<AppointmentModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="$NS">}
        . qq{<AccountId>$fb{AccountId}</AccountId>}
        . qq{<AppointmentOn>2030-02-01T10:00:00+01:00</AppointmentOn>}
        . qq{<PaidAmount>abc</PaidAmount>}
        . qq{<UserId>$fb{UserId}</UserId></AppointmentModel>};
my $res = req('POST', $post, body => $xml, type => 'application/xml',
              accept => 'application/xml');
push @cases, ['XML: Reason missing, PaidAmount bad', $res,
              ['model.Reason', 'model.PaidAmount'], 'xml'];

# ------------------------------------------------------------- verdicts
plan tests => @goods + 2 * @cases + 3;

ok t_cmp($_->[1], $_->[2], $_->[0]) for @goods;
for my $c (@cases) {
    my ($name, $r, $keys, $fmt) = @$c;
    my @got;
    if (($fmt // '') eq 'xml') {
        my $d = xml_of($r);
        @got = $d ? map { $_->localname } $d->findnodes('/Error/ModelState/*')
                  : ();
        $_ =~ s/_(\d+)_/[$1]/ for @got;
    }
    else {
        @got = keys %{ model_state($r) };
    }
    ok t_cmp($r->code, 400, "400: $name");
    ok t_cmp(join(',', sort @got), join(',', sort @$keys),
             "ModelState names exactly the bad fields: $name");
}

ok t_cmp(db_snapshot(), $before, 'nothing was stored by any bad request');
my $ms = model_state($cases[0][1]);
ok t_cmp($ms->{'model.UserId'}[0] // '', 'The UserId field is required.',
         'ASP.NET wording for a missing member');
my ($long) = grep { $_->[0] eq 'Reason of 251 characters' } @cases;
ok t_cmp(model_state($long->[1])->{'model.Reason'}[0] // '', qr/250/,
         'the length message names the limit');

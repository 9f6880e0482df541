# Shared by t/jwt-*.t: keys made at test time (nothing secret is
# committed) and tokens minted with Debian's libcrypt-jwt-perl.
#
# Loading this file generates, in a temporary directory removed at exit:
#   rsa.pub rsa2.pub ec256.pub ec384.pub ec521.pub    PEM public keys
#   rsa-priv.pem rsa1024.pub bad.pem bad.json         keys nginx refuses
#   jwks.json   r1 (rsa), r2 (rsa2), e1 (ec256), e3 (ec384), e5 (ec521)
#               and h1, h2, h3 (oct, 32, 48 and 64 bytes) with their kid
#   jwks-a.json jwks-ab.json   rsa "a" alone; rsa "a" and rsa2 "b"
#   jwks-alg.json  rsa "a" for RS256 only, an Ed25519 key and rsa2 for
#               encryption ("use": "enc"): both skipped
# and sets $ENV{TEST_NGINX_JWT_DIR} to it, for the nginx configurations.
#
# tok(%o) mints a signed token: alg (RS256), key (a name above or a
# secret string), claims (merged over sub and exp = now + 300; undef
# values delete), header (extra header members).  raw_token() builds one
# from given JSON texts and signature bytes.  bearer() gives the header
# line.

use strict;
use warnings;

use Crypt::JWT qw(encode_jwt);
use Crypt::PK::ECC;
use Crypt::PK::RSA;
use File::Temp qw(tempdir);
use JSON::PP;
use MIME::Base64 qw(encode_base64url);

our (%Key, %Secret, $JwtDir);

BEGIN {
    $JwtDir = tempdir('levers-jwt-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    chmod 0755, $JwtDir;
    $ENV{TEST_NGINX_JWT_DIR} = $JwtDir;
}

sub jwt_write {
    my ($name, $text) = @_;

    open my $out, '>', "$JwtDir/$name" or die "$JwtDir/$name: $!";
    print $out $text;
    close $out;
    return "$JwtDir/$name";
}

sub jwk_of {
    my ($name, %extra) = @_;

    my $jwk = $Key{$name}->export_key_jwk('public', 1);
    return { %$jwk, %extra };
}

sub oct_jwk {
    my ($name, %extra) = @_;

    return { kty => 'oct', k => encode_base64url($Secret{$name}), %extra };
}

sub jwks_json {
    return JSON::PP->new->canonical->encode({ keys => [@_] });
}

{
    for my $n (qw(rsa rsa2)) {
        $Key{$n} = Crypt::PK::RSA->new;
        $Key{$n}->generate_key(256);
    }

    my %curves = (ec256 => 'secp256r1', ec384 => 'secp384r1',
                  ec521 => 'secp521r1');

    for my $n (keys %curves) {
        $Key{$n} = Crypt::PK::ECC->new;
        $Key{$n}->generate_key($curves{$n});
    }

    %Secret = (h1 => 'k' x 32, h2 => 'l' x 48, h3 => 'm' x 64);

    for my $n (keys %Key) {
        jwt_write("$n.pub", $Key{$n}->export_key_pem('public'));
    }

    jwt_write('jwks.json', jwks_json(
        jwk_of('rsa', kid => 'r1'), jwk_of('rsa2', kid => 'r2'),
        jwk_of('ec256', kid => 'e1'), jwk_of('ec384', kid => 'e3'),
        jwk_of('ec521', kid => 'e5'),
        oct_jwk('h1', kid => 'h1'), oct_jwk('h2', kid => 'h2'),
        oct_jwk('h3', kid => 'h3')));

    jwt_write('jwks-a.json', jwks_json(jwk_of('rsa', kid => 'a')));
    jwt_write('jwks-ab.json', jwks_json(jwk_of('rsa', kid => 'a'),
                                        jwk_of('rsa2', kid => 'b')));

    jwt_write('jwks-alg.json', jwks_json(
        jwk_of('rsa', kid => 'a', alg => 'RS256', use => 'sig'),
        { kty => 'OKP', crv => 'Ed25519', x => 'AAAA', kid => 'ed' },
        jwk_of('rsa2', kid => 'enc', use => 'enc')));

    jwt_write('rsa-priv.pem', $Key{rsa}->export_key_pem('private'));

    my $small = Crypt::PK::RSA->new;
    $small->generate_key(128);
    jwt_write('rsa1024.pub', $small->export_key_pem('public'));

    jwt_write('bad.pem', "-----BEGIN PUBLIC KEY-----\nnot base64 !!\n"
                         . "-----END PUBLIC KEY-----\n");
    jwt_write('bad.json', '{"keys": [{"kty": "RSA", "n": 1}');
}

sub tok {
    my %o = @_;

    my $alg = $o{alg} // 'RS256';
    my $key = $o{key} // ($alg =~ /^HS/ ? 'h1' : 'rsa');

    my %claims = (sub => 'user-1', exp => time + 300,
                  %{ $o{claims} // {} });
    for my $k (keys %claims) {
        delete $claims{$k} if !defined $claims{$k};
    }

    my $k = exists $Key{$key} ? $Key{$key}
            : exists $Secret{$key} ? $Secret{$key}
            : $key;

    return encode_jwt(payload => \%claims, alg => $alg, key => $k,
                      extra_headers => $o{header} // {});
}

sub raw_token {
    my ($header, $payload, $sig) = @_;

    return join '.', encode_base64url($header), encode_base64url($payload),
                     encode_base64url($sig // '');
}

sub bearer {
    return "Authorization: Bearer $_[0]";
}

# "--- x eval" sections are evaluated in Test::Base::Filter's package
for my $f (qw(tok raw_token bearer)) {
    no strict 'refs';
    *{"Test::Base::Filter::$f"} = \&{"main::$f"};
}

1;

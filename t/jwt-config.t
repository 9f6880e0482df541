# Configuration errors of the JWT module fail "nginx -t" with the
# directive's file and line, and for key files the path and the reason;
# an unreachable key URL is only a warning.  Plain Test::More: each case
# runs "nginx -t" on a configuration of its own.

use strict;
use warnings;

use FindBin;
use File::Temp qw(tempdir);
use Test::More;

require "$FindBin::Bin/jwt-lib.pl";

my $nginx = $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx';
my @modules = split ' ', $ENV{TEST_NGINX_LOAD_MODULES} // '';
my $dir = $ENV{TEST_NGINX_JWT_DIR};

plan skip_all => 'TEST_NGINX_LOAD_MODULES does not name the module'
    if !grep { /levers/ } @modules;

sub nginx_t {
    my $server = shift;

    my $prefix = tempdir('levers-jwt-conf-XXXXXX', TMPDIR => 1,
                         CLEANUP => 1);
    mkdir "$prefix/logs";

    open my $out, '>', "$prefix/nginx.conf" or die $!;
    print $out join '', map { "load_module $_;\n" } @modules;
    print $out "error_log $prefix/logs/error.log;\n",
               "pid $prefix/logs/nginx.pid;\n",
               "events {}\n",
               "http {\n    server {\n        listen 127.0.0.1:1;\n",
               "$server\n    }\n}\n";
    close $out;

    my $text = `$nginx -t -p $prefix -c $prefix/nginx.conf 2>&1`;
    return ($? == 0, $text);
}

my @fails = (
    [ "levers_jwt_key_file $dir/bad.json;",
      qr{levers_jwt_key_file "\Q$dir\E/bad.json": invalid JSON at line 1.* in \S+nginx.conf:8} ],
    [ "levers_jwt_key_file $dir/bad.pem;",
      qr{"\Q$dir\E/bad.pem": PEM block 1 is damaged} ],
    [ "levers_jwt_key_file $dir/rsa-priv.pem;",
      qr{"\Q$dir\E/rsa-priv.pem": PEM block 1 is a private key; give the public key} ],
    [ "levers_jwt_key_file $dir/rsa1024.pub;",
      qr{RSA key of 1024 bits, at least 2048 needed} ],
    [ "levers_jwt_key_file $dir/missing.pub;",
      qr{"\Q$dir\E/missing.pub": cannot open: No such file or directory} ],
    [ "levers_jwt_key_file $dir/jwks.json; levers_jwt_key_file $dir/bad.pem;",
      qr{bad.pem": PEM block 1 is damaged} ],
    [ "levers_jwt_algorithms RS256 none;",
      qr{algorithm "none" is never accepted} ],
    [ "levers_jwt_algorithms NONE;",
      qr{algorithm "none" is never accepted} ],
    [ "levers_jwt_algorithms RS256 rs512;",
      qr{unknown algorithm "rs512"} ],
    [ "levers_jwt_algorithms RS256; levers_jwt_algorithms ES256;",
      qr{"levers_jwt_algorithms" directive is duplicate} ],
    [ "levers_jwt a; levers_jwt b;",
      qr{"levers_jwt" directive is duplicate} ],
    [ "levers_jwt_key_url file:///etc/passwd;",
      qr{"file:///etc/passwd" is not an http:// or https:// URL} ],
    [ "levers_jwt_key_url http://127.0.0.1:1/ refresh=0;",
      qr{invalid refresh time "0"} ],
    [ "levers_jwt_key_url http://127.0.0.1:1/ every=1s;",
      qr{invalid parameter "every=1s"} ],
    [ "levers_jwt_leeway forever;",
      qr{"levers_jwt_leeway" directive invalid value} ],
    [ "levers_jwt_require_exp maybe;",
      qr{invalid value "maybe" in "levers_jwt_require_exp"} ],
    [ "levers_jwt_cache 0;",
      qr{invalid value "0" in "levers_jwt_cache" directive, a positive number or "off" expected} ],
    [ "levers_jwt_cache lots;",
      qr{invalid value "lots" in "levers_jwt_cache"} ],
    [ "levers_jwt_cache 8; levers_jwt_cache off;",
      qr{"levers_jwt_cache" directive is duplicate} ],
    [ "levers_jwt_require_claim '';",
      qr{"levers_jwt_require_claim" directive takes a claim name} ],
);

for my $case (@fails) {
    my ($ok, $text) = nginx_t("        $case->[0]");
    ok(!$ok, "fails: $case->[0]");
    like($text, $case->[1], "says why: $case->[0]");
}

my ($ok, $text) = nginx_t(
    "        levers_jwt_key_file $dir/jwks.json;\n"
    . "        levers_jwt_key_file $dir/rsa.pub;\n"
    . "        levers_jwt_key_file $dir/jwks-alg.json;\n"
    . "        levers_jwt_algorithms RS256 PS512 ES384 HS256;\n"
    . "        levers_jwt_issuer https://id;\n"
    . "        levers_jwt_audience a b;\n"
    . "        levers_jwt_leeway 30s;\n"
    . "        levers_jwt_require_claim org acme;\n"
    . "        levers_jwt_require_exp off;\n"
    . "        levers_jwt_cache 64;\n"
    . "        location / { levers_jwt \"api\"; }\n");
ok($ok, 'a full configuration is accepted') or diag($text);
like($text, qr{jwks-alg.json": 1 keys, 2 of kinds not used for signatures skipped},
     'skipped JWKs are noted');

($ok, $text) = nginx_t(
    "        levers_jwt_key_url http://127.0.0.1:1/jwks.json refresh=5m;");
ok($ok, 'an unreachable key URL does not fail nginx -t') or diag($text);
like($text, qr{\[warn\].*levers_jwt_key_url "http://127.0.0.1:1/jwks.json": .*the workers will try again},
     'an unreachable key URL is a warning');

done_testing();

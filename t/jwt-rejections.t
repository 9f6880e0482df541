# Everything a JWT Bearer check must refuse, and how: missing or foreign
# credentials (401 with only the realm), malformed headers and tokens,
# "none" in every case, HMAC signed with the RSA public key (algorithm
# confusion), tampered payload and signature, time claims, the 16 KiB
# bound; the JSON body, the RFC 6750 challenge, the reason logged at
# info and never the token.
use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/jwt-lib.pl";

our $EchoModule = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

log_level('info');
no_long_string();
no_shuffle();

# the echo module gives a content handler (the access phase runs before
# it, unlike "return"); blocks without error_log checks must not log
# alerts nor errors
add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->main_config
        && ($ENV{TEST_NGINX_LOAD_MODULES} // '') !~ /ngx_http_echo_module/)
    {
        $block->set_value('main_config', "load_module $EchoModule;");
    }

    if (!defined $block->no_error_log) {
        $block->set_value('no_error_log', "[alert]\n[emerg]\n[error]\n");
    }
});

our $Good = tok();
our ($GoodH, $GoodP, $GoodS) = split /\./, $Good;
our $RsaPem = do {
    local $/;
    open my $in, '<', "$ENV{TEST_NGINX_JWT_DIR}/rsa.pub" or die $!;
    <$in>;
};

sub flip_last {
    my $s = shift;
    my $c = substr $s, -2, 1;
    substr($s, -2, 1) = $c eq 'A' ? 'B' : 'A';
    return $s;
}

our $Tampered = join '.', $GoodH,
    MIME::Base64::encode_base64url('{"exp":' . (time + 300)
                                   . ',"sub":"admin"}'),
    $GoodS;

run_tests();

__DATA__

=== TEST 1: no Authorization header: 401, realm only, JSON body
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "my \"api\"";
        echo ok;
    }
--- request
GET /t
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="my \"api\""
Content-Type: application/json
Content-Length: 34
--- response_body
{"detail":"missing bearer token"}
--- error_log
levers_jwt: missing bearer token



=== TEST 2: other schemes count as no credentials (RFC 6750 3.1)
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
["Authorization: Basic dXNlcjpwYXNz", "Authorization: Bearerx.y.z",
 "Authorization: Token $::Good", "Authorization: B"]
--- error_code eval
[401, 401, 401, 401]
--- response_headers eval
["WWW-Authenticate: Bearer realm=\"api\"",
 "WWW-Authenticate: Bearer realm=\"api\"",
 "WWW-Authenticate: Bearer realm=\"api\"",
 "WWW-Authenticate: Bearer realm=\"api\""]
--- response_body eval
["{\"detail\":\"missing bearer token\"}\n",
 "{\"detail\":\"missing bearer token\"}\n",
 "{\"detail\":\"missing bearer token\"}\n",
 "{\"detail\":\"missing bearer token\"}\n"]



=== TEST 3: the scheme is case-insensitive, spaces before the token ok
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
["Authorization: bearer $::Good", "Authorization: BEARER $::Good",
 "Authorization: bEaReR    $::Good", "Authorization: Bearer $::Good   "]
--- response_body eval
["ok\n", "ok\n", "ok\n", "ok\n"]



=== TEST 4: "Bearer" with no token
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
["Authorization: Bearer", "Authorization: Bearer      "]
--- error_code eval
[401, 401]
--- response_headers eval
["WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"empty bearer token\"",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"empty bearer token\""]
--- response_body eval
["{\"detail\":\"empty bearer token\"}\n",
 "{\"detail\":\"empty bearer token\"}\n"]



=== TEST 5: malformed tokens never crash and are named
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t", "GET /t", "GET /t", "GET /t",
 "GET /t", "GET /t"]
--- more_headers eval
[bearer("abc"), bearer("a.b"), bearer("a.b.c.d.e"), bearer("!!!.e30.YQ"),
 bearer("$::GoodH.$::GoodP"), bearer("$::GoodH..$::GoodS"),
 bearer(raw_token("hello", "{}", "x")),
 bearer(raw_token('{"alg":"RS256"}', '"a string"', "x")),
 bearer("$::GoodH.$::GoodP.$::GoodS=")]
--- error_code eval
[401, 401, 401, 401, 401, 401, 401, 401, 401]
--- response_body eval
[("{\"detail\":\"malformed token\"}\n") x 9]
--- error_log
levers_jwt: malformed token



=== TEST 6: alg "none" in every case, signed or not
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    levers_jwt_algorithms RS256 HS256;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
my $p = '{"sub":"admin","exp":' . (time + 300) . '}';
[bearer(raw_token('{"alg":"none"}', $p, '')),
 bearer(raw_token('{"alg":"None"}', $p, 'sig')),
 bearer(raw_token('{"alg":"NONE","kid":"h1"}', $p, 'sig')),
 bearer(raw_token('{"alg":"nOnE","typ":"JWT"}', $p, ''))]
--- error_code eval
[401, 401, 401, 401]
--- response_headers eval
[("WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"algorithm \\\"none\\\" is not accepted\"") x 4]
--- response_body eval
[("{\"detail\":\"algorithm \\\"none\\\" is not accepted\"}\n") x 4]



=== TEST 7: HS256 signed with the RSA public key is refused, HS allowed
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_algorithms HS256 RS256;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'HS256', key => $::RsaPem)), bearer($::Good)]
--- error_code eval
[401, 200]
--- response_body eval
["{\"detail\":\"no key fits the token\"}\n", "ok\n"]



=== TEST 8: tampered payload, tampered signature, another signer
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer($::Tampered), bearer(::flip_last($::Good)),
 bearer(tok(key => 'rsa2'))]
--- error_code eval
[401, 401, 401]
--- response_body eval
[("{\"detail\":\"signature verification failed\"}\n") x 3]
--- error_log
levers_jwt: signature verification failed



=== TEST 9: time claims: expired, not yet valid, issued in the future
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { exp => time - 5 })),
 bearer(tok(claims => { nbf => time + 120 })),
 bearer(tok(claims => { iat => time + 120 })),
 bearer(tok(claims => { exp => undef })),
 bearer(tok(claims => { exp => "" . (time + 300) }))]
--- error_code eval
[401, 401, 401, 401, 401]
--- response_headers eval
["WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token expired\"",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token not yet valid\"",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token issued in the future\"",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token has no \\\"exp\\\"\"",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"\\\"exp\\\" is not a number\""]
--- response_body eval
["{\"detail\":\"token expired\"}\n",
 "{\"detail\":\"token not yet valid\"}\n",
 "{\"detail\":\"token issued in the future\"}\n",
 "{\"detail\":\"token has no \\\"exp\\\"\"}\n",
 "{\"detail\":\"\\\"exp\\\" is not a number\"}\n"]



=== TEST 10: oversize token refused before decoding; long garbage too
--- http_config
    large_client_header_buffers 4 64k;
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer("a" x 16385), bearer("$::GoodH." . ("A" x 20000) . ".$::GoodS"),
 bearer("%" x 16000), bearer("." x 16384)]
--- error_code eval
[401, 401, 401, 401]
--- response_body eval
["{\"detail\":\"token too large\"}\n", "{\"detail\":\"token too large\"}\n",
 "{\"detail\":\"malformed token\"}\n", "{\"detail\":\"malformed token\"}\n"]



=== TEST 11: a token of exactly 16 KiB is decoded
--- http_config
    large_client_header_buffers 4 64k;
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
--- request
GET /t
--- more_headers eval
"Authorization: Bearer " . do {
my ($t, $best) = ('', '');
for my $n (11800 .. 12400) {
    $t = tok(claims => { pad => 'p' x $n });
    $best = $t if length $t <= 16384;
    last if length $t >= 16384;
}
die "no 16 KiB token" if length $best < 16380;
$best
}
--- response_body
ok user-1



=== TEST 12: HEAD gets the status and the challenge, no body
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
HEAD /t
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="api"
Content-Type: application/json
--- response_body



=== TEST 13: the token is never logged (at info: debug logs headers)
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer(::flip_last($::Good)), bearer(tok(claims => { exp => 1 }))]
--- error_code eval
[401, 401]
--- no_error_log eval
[substr($::GoodS, 0, 40), $::GoodP, "[alert]", "[error]"]



=== TEST 14: levers_jwt off, and the realm from a variable
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt "srv-$host";
    location = /open {
        levers_jwt off;
        echo open;
    }
    location = /t {
        echo ok;
    }
--- request eval
["GET /open", "GET /t"]
--- error_code eval
[200, 401]
--- response_headers eval
["!WWW-Authenticate", "WWW-Authenticate: Bearer realm=\"srv-localhost\""]



=== TEST 15: "typ" must be "JWT" (any case) when present, for every alg
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    levers_jwt_algorithms RS256 ES256 PS256 HS256;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_alg";
    }
--- request eval
[("GET /t") x 7]
--- more_headers eval
[bearer(tok(header => { typ => 'JWT', kid => 'r1' })),
 bearer(tok(alg => 'ES256', key => 'ec256', header => { typ => 'jwt' })),
 bearer(tok(alg => 'HS256', header => { typ => 'Jwt', kid => 'h1' })),
 bearer(tok(header => { typ => 'at+jwt', kid => 'r1' })),
 bearer(tok(alg => 'ES256', key => 'ec256', header => { typ => 'JOSE' })),
 bearer(tok(alg => 'PS256', header => { typ => 'at+jwt', kid => 'r1' })),
 bearer(tok(header => { typ => 1, kid => 'r1' }))]
--- error_code eval
[200, 200, 200, 401, 401, 401, 401]
--- response_body eval
["ok RS256\n", "ok ES256\n", "ok HS256\n",
 ("{\"detail\":\"unsupported token type\"}\n") x 4]

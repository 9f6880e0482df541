# JWT Bearer checks, one algorithm family at a time: RS*, PS*, ES*
# (P-256, P-384, P-521) with PEM keys, HS* with "oct" keys of a JWKS,
# the default allow-list (no HMAC) and levers_jwt_algorithms.
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

run_tests();

__DATA__

=== TEST 1: RS256, RS384, RS512 with a PEM public key
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_alg $levers_jwt_sub";
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'RS256')), bearer(tok(alg => 'RS384')),
 bearer(tok(alg => 'RS512'))]
--- response_body eval
["ok RS256 user-1\n", "ok RS384 user-1\n", "ok RS512 user-1\n"]



=== TEST 2: PS256, PS384, PS512 with a PEM public key
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_alg";
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'PS256')), bearer(tok(alg => 'PS384')),
 bearer(tok(alg => 'PS512'))]
--- response_body eval
["ok PS256\n", "ok PS384\n", "ok PS512\n"]



=== TEST 3: ES256, ES384, ES512 each with its curve
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec256.pub;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec384.pub;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec521.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_alg";
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'ES256', key => 'ec256')),
 bearer(tok(alg => 'ES384', key => 'ec384')),
 bearer(tok(alg => 'ES512', key => 'ec521'))]
--- response_body eval
["ok ES256\n", "ok ES384\n", "ok ES512\n"]



=== TEST 4: an ES256 token signed with a P-384 key, kid-less: no key fits
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec384.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer(tok(alg => 'ES256', key => 'ec384'))
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="no key fits the token"
Content-Type: application/json
--- response_body
{"detail":"no key fits the token"}
--- error_log
levers_jwt: no key fits the token



=== TEST 5: HS256, HS384, HS512 with oct keys, once allowed
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    levers_jwt_algorithms HS256 HS384 HS512;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_alg $levers_jwt_header_kid";
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'HS256', key => 'h1', header => { kid => 'h1' })),
 bearer(tok(alg => 'HS384', key => 'h2', header => { kid => 'h2' })),
 bearer(tok(alg => 'HS512', key => 'h3', header => { kid => 'h3' })),
 bearer(tok(alg => 'HS256', key => 'h3'))]
--- response_body eval
["ok HS256 h1\n", "ok HS384 h2\n", "ok HS512 h3\n", "ok HS256 \n"]



=== TEST 6: HMAC is not in the default allow-list
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer(tok(alg => 'HS256', key => 'h1', header => { kid => 'h1' }))
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="algorithm not allowed"
--- response_body
{"detail":"algorithm not allowed"}



=== TEST 7: an HS512 key of 48 bytes is too short for HS512
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    levers_jwt_algorithms HS512;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer(tok(alg => 'HS512', key => 'h2', header => { kid => 'h2' }))
--- error_code: 401
--- response_body
{"detail":"no key fits the token"}



=== TEST 8: the allow-list is enforced per location
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec256.pub;
    levers_jwt_algorithms ES256;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
    location = /rs {
        levers_jwt "api";
        levers_jwt_algorithms RS256;
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /rs", "GET /rs"]
--- more_headers eval
[bearer(tok(alg => 'ES256', key => 'ec256')), bearer(tok(alg => 'RS256')),
 bearer(tok(alg => 'RS256')), bearer(tok(alg => 'ES256', key => 'ec256'))]
--- error_code eval
[200, 401, 200, 401]
--- response_body eval
["ok\n", "{\"detail\":\"algorithm not allowed\"}\n", "ok\n",
 "{\"detail\":\"algorithm not allowed\"}\n"]



=== TEST 9: keys of several files and families side by side
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa2.pub;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/ec521.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(alg => 'RS256', key => 'rsa2')),
 bearer(tok(alg => 'ES512', key => 'ec521')),
 bearer(tok(alg => 'PS256', key => 'rsa')),
 bearer(tok(alg => 'ES256', key => 'ec256'))]
--- error_code eval
[200, 200, 200, 401]

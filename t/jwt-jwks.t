# JWKS key sets and "kid": selection by kid, every fitting key tried
# without one, kid-less PEM keys as the fallback for an unknown kid, a
# JWK's "alg" and "use" honoured, key type always matching the algorithm.
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

our $RsaJwk = JSON::PP->new->canonical->encode(jwk_of('rsa', kid => 'r1'));

run_tests();

__DATA__

=== TEST 1: kid selects each kind of key
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_kid";
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(key => 'rsa', header => { kid => 'r1' })),
 bearer(tok(key => 'rsa2', header => { kid => 'r2' })),
 bearer(tok(alg => 'ES256', key => 'ec256', header => { kid => 'e1' })),
 bearer(tok(alg => 'ES384', key => 'ec384', header => { kid => 'e3' })),
 bearer(tok(alg => 'ES512', key => 'ec521', header => { kid => 'e5' }))]
--- response_body eval
["ok r1\n", "ok r2\n", "ok e1\n", "ok e3\n", "ok e5\n"]



=== TEST 2: with a kid only that key is tried; without, every fitting one
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(key => 'rsa2', header => { kid => 'r1' })),
 bearer(tok(key => 'rsa2')),
 bearer(tok(alg => 'ES384', key => 'ec384')),
 bearer(tok(key => 'rsa', header => { kid => 'zz' }))]
--- error_code eval
[401, 200, 200, 401]
--- response_body eval
["{\"detail\":\"signature verification failed\"}\n", "ok\n", "ok\n",
 "{\"detail\":\"no key fits the token\"}\n"]



=== TEST 3: an unknown kid falls back to keys without a kid (PEM)
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks-a.json;
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa2.pub;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(key => 'rsa2', header => { kid => 'zz' })),
 bearer(tok(key => 'rsa', header => { kid => 'a' })),
 bearer(tok(key => 'rsa2', header => { kid => 'a' }))]
--- error_code eval
[200, 200, 401]



=== TEST 4: a kid naming a key of another type: no key fits
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    levers_jwt_algorithms RS256 ES256 HS256;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(key => 'rsa', header => { kid => 'e1' })),
 bearer(tok(key => 'rsa', header => { kid => 'h1' })),
 bearer(tok(alg => 'HS256', key => $::RsaJwk, header => { kid => 'r1' })),
 bearer(tok(alg => 'ES256', key => 'ec256', header => { kid => 'r1' }))]
--- error_code eval
[401, 401, 401, 401]
--- response_body eval
[("{\"detail\":\"no key fits the token\"}\n") x 4]



=== TEST 5: a JWK's "alg" binds it; "use": "enc" and unknown kinds skipped
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks-alg.json;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(key => 'rsa', header => { kid => 'a' })),
 bearer(tok(alg => 'PS256', key => 'rsa', header => { kid => 'a' })),
 bearer(tok(key => 'rsa2', header => { kid => 'enc' }))]
--- error_code eval
[200, 401, 401]
--- response_body eval
["ok\n", "{\"detail\":\"no key fits the token\"}\n",
 "{\"detail\":\"no key fits the token\"}\n"]



=== TEST 6: key lists are inherited, and replaced as a whole
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /inherit {
        levers_jwt "api";
        echo ok;
    }
    location = /own {
        levers_jwt "api";
        levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa2.pub;
        echo ok;
    }
--- request eval
["GET /inherit", "GET /inherit", "GET /own", "GET /own"]
--- more_headers eval
[bearer(tok(key => 'rsa')), bearer(tok(key => 'rsa2')),
 bearer(tok(key => 'rsa')), bearer(tok(key => 'rsa2'))]
--- error_code eval
[200, 401, 401, 200]



=== TEST 7: no key configured at all: every token is refused
--- config
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer(tok())
--- error_code: 401
--- response_body
{"detail":"no key fits the token"}

# Claims: levers_jwt_issuer, levers_jwt_audience (string or array "aud"),
# levers_jwt_leeway, levers_jwt_require_exp, levers_jwt_require_claim
# (403 insufficient_scope) with strings, numbers, booleans and arrays;
# inheritance of the claim rules between levels.
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

=== TEST 1: issuer
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_issuer https://id.example.com;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { iss => 'https://id.example.com' })),
 bearer(tok(claims => { iss => 'https://id.example.com/' })),
 bearer(tok(claims => { iss => 'https://evil.example.com' })),
 bearer(tok())]
--- error_code eval
[200, 401, 401, 401]
--- response_body eval
["ok\n", ("{\"detail\":\"wrong issuer\"}\n") x 3]



=== TEST 2: audience as a string or an array, one of several accepted
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_audience levers-api levers-admin;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { aud => 'levers-api' })),
 bearer(tok(claims => { aud => ['other', 'levers-admin'] })),
 bearer(tok(claims => { aud => 'levers' })),
 bearer(tok(claims => { aud => ['other'] })),
 bearer(tok(claims => { aud => { 'levers-api' => 1 } })),
 bearer(tok())]
--- error_code eval
[200, 200, 401, 401, 401, 401]
--- response_headers eval
["!WWW-Authenticate", "!WWW-Authenticate",
 ("WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"wrong audience\"") x 4]



=== TEST 3: leeway for exp, nbf and iat
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_leeway 1m;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { exp => time - 30 })),
 bearer(tok(claims => { nbf => time + 30, iat => time + 30 })),
 bearer(tok(claims => { exp => time - 90 })),
 bearer(tok(claims => { nbf => time + 90 })),
 bearer(tok(claims => { iat => time + 90 }))]
--- error_code eval
[200, 200, 401, 401, 401]



=== TEST 4: exp can be made optional, but is checked when present
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_require_exp off;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { exp => undef })),
 bearer(tok(claims => { exp => time - 5 }))]
--- error_code eval
[200, 401]



=== TEST 5: a required claim, present or not: 200 or 403
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        levers_jwt_require_claim org;
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { org => 'acme' })),
 bearer(tok(claims => { org => { id => 1 } })),
 bearer(tok())]
--- error_code eval
[200, 200, 403]
--- response_headers eval
["!WWW-Authenticate", "!WWW-Authenticate",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"insufficient scope\""]
--- response_body eval
["ok\n", "ok\n", "{\"detail\":\"insufficient scope\"}\n"]



=== TEST 6: required values: strings exactly, numbers and booleans as JSON, arrays by element
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /s {
        levers_jwt "api";
        levers_jwt_require_claim role admin;
        echo ok;
    }
    location = /n {
        levers_jwt "api";
        levers_jwt_require_claim tier 2;
        levers_jwt_require_claim verified true;
        echo ok;
    }
--- request eval
["GET /s", "GET /s", "GET /s", "GET /s", "GET /s",
 "GET /n", "GET /n", "GET /n", "GET /n"]
--- more_headers eval
[bearer(tok(claims => { role => 'admin' })),
 bearer(tok(claims => { role => 'Admin' })),
 bearer(tok(claims => { role => ['user', 'admin'] })),
 bearer(tok(claims => { role => ['user'] })),
 bearer(tok(claims => { role => 'administrator' })),
 bearer(tok(claims => { tier => 2, verified => JSON::PP::true })),
 bearer(tok(claims => { tier => '2', verified => JSON::PP::true })),
 bearer(tok(claims => { tier => 2, verified => JSON::PP::false })),
 bearer(tok(claims => { tier => 2.5, verified => JSON::PP::true }))]
--- error_code eval
[200, 403, 200, 403, 403, 200, 200, 403, 403]



=== TEST 6b: the claim is named in the log, at info
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /s {
        levers_jwt "api";
        levers_jwt_require_claim role admin;
        echo ok;
    }
--- request
GET /s
--- more_headers eval
bearer(tok(claims => { role => 'user' }))
--- error_code: 403
--- error_log
[info]
levers_jwt: claim "role" missing or not the required value



=== TEST 7: an invalid token is 401 even when claims would also fail
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        levers_jwt_require_claim role admin;
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer(tok(claims => { exp => time - 10 }))
--- error_code: 401
--- response_body
{"detail":"token expired"}



=== TEST 8: claim rules are inherited, and replaced as a whole
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_require_claim org acme;
    levers_jwt_issuer https://id;
    location = /inherit {
        levers_jwt "api";
        echo ok;
    }
    location = /replace {
        levers_jwt "api";
        levers_jwt_require_claim role admin;
        echo ok;
    }
--- request eval
["GET /inherit", "GET /inherit", "GET /replace", "GET /replace"]
--- more_headers eval
[bearer(tok(claims => { org => 'acme', iss => 'https://id' })),
 bearer(tok(claims => { org => 'other', iss => 'https://id' })),
 bearer(tok(claims => { role => 'admin', iss => 'https://id' })),
 bearer(tok(claims => { role => 'admin', iss => 'https://x' }))]
--- error_code eval
[200, 403, 200, 401]

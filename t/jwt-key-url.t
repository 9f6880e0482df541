# levers_jwt_key_url: a JWKS fetched with libcurl and refreshed on the
# thread pool.  nginx serves the JWKS itself (a DAV location the test
# rewrites); blocks without a config reuse the running nginx, so one key
# rotation is followed step by step: the new key is refused, the JWKS
# changes, a refresh (refresh=1s) brings it in while requests keep
# passing; then the JWKS disappears and the last good set is kept.
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

check_accum_error_log();

our $JwksA = JSON::PP->new->canonical->encode(
    { keys => [ jwk_of('rsa', kid => 'a') ] });
our $JwksAB = JSON::PP->new->canonical->encode(
    { keys => [ jwk_of('rsa', kid => 'a'), jwk_of('rsa2', kid => 'b') ] });

our $A = tok(key => 'rsa', header => { kid => 'a' }, claims => {
    exp => time + 3600 });
our $B = tok(key => 'rsa2', header => { kid => 'b' }, claims => {
    exp => time + 3600 });

run_tests();

__DATA__

=== TEST 1: start-up: the first fetch happens in the worker; key b unknown
--- config
    levers_jwt_key_url http://127.0.0.1:$TEST_NGINX_SERVER_PORT/jwks/keys.json refresh=1s;
    client_body_temp_path body_temp;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_kid";
    }
    location /jwks/ {
        dav_methods PUT DELETE;
        log_not_found off;
    }
    location = /nap {
        echo_sleep 0.3;
        echo napped;
    }
--- user_files eval
[[ 'jwks/keys.json', $::JwksA ]]
--- request eval
["GET /nap", "GET /t", "GET /t", "PUT /jwks/keys.json\n$::JwksAB"]
--- more_headers eval
["", bearer($::A), bearer($::B), ""]
--- error_code eval
[200, 200, 401, 204]
--- response_body eval
["napped\n", "ok a\n", "{\"detail\":\"no key fits the token\"}\n", ""]
--- error_log
levers_jwt_key_url "http://127.0.0.1:
/jwks/keys.json": refreshed, 1 keys
--- no_error_log
[alert]
[error]



=== TEST 2: requests pass with key a while the set is refreshed
--- request eval
[("GET /t", "GET /nap") x 4]
--- more_headers eval
[(bearer($::A), "") x 4]
--- response_body eval
[("ok a\n", "napped\n") x 4]



=== TEST 3: the refreshed set has key b
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer($::B), bearer($::A)]
--- response_body eval
["ok b\n", "ok a\n"]
--- error_log
/jwks/keys.json": refreshed, 2 keys



=== TEST 4: the JWKS disappears
--- request eval
["DELETE /jwks/keys.json", "GET /nap", "GET /nap", "GET /nap", "GET /nap",
 "GET /nap"]
--- response_body eval
["", "napped\n", "napped\n", "napped\n", "napped\n", "napped\n"]
--- error_code eval
[204, 200, 200, 200, 200, 200]



=== TEST 5: refreshes fail, the last good set stays
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer($::B), bearer($::A)]
--- response_body eval
["ok b\n", "ok a\n"]
--- error_log
[warn]
/jwks/keys.json": refresh failed: HTTP status 404; keeping the previous keys
--- no_error_log
[alert]



=== TEST 6: a JWKS that does not parse is a failed refresh too
--- request eval
["PUT /jwks/keys.json\n{\"keys\": [", "GET /nap", "GET /nap", "GET /nap",
 "GET /nap"]
--- error_code eval
[201, 200, 200, 200, 200]



=== TEST 7: and the last good set still stays
--- request
GET /t
--- more_headers eval
bearer($::B)
--- response_body
ok b
--- error_log
refresh failed: invalid JSON at line 1
--- no_error_log
[alert]



=== TEST 8: the key server is down at start-up: no key, 401, no crash
--- config
    levers_jwt_key_url http://127.0.0.1:1/jwks.json refresh=1s;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- more_headers eval
bearer($::A)
--- error_code: 401
--- response_body
{"detail":"no key fits the token"}
--- error_log
levers_jwt_key_url "http://127.0.0.1:1/jwks.json": refresh failed:
no keys yet
--- no_error_log
[alert]

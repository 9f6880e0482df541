# levers_jwt_key_url: a JWKS fetched with libcurl and refreshed on the
# thread pool (refresh=1s), served by nginx itself.  Each block stands
# alone (under valgrind the runner restarts nginx for every block):
#  - a key rotation followed step by step in one block: the new key is
#    refused, the JWKS is rewritten (a DAV location), a refresh brings
#    the new key in while requests keep passing, the JWKS disappears and
#    the last good set is kept;
#  - failed refreshes made deterministic with limit_req on the JWKS
#    location (1 request a minute): the first fetch gets the JWKS, the
#    next ones a 404, or invalid JSON through error_page; the warning is
#    in the log before the first request of the block is checked.
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

# naps long enough for a fetch, and a refresh, to happen: much longer
# under valgrind, where libcurl's first request takes seconds
$ENV{TEST_NGINX_JWT_NAP} = $ENV{TEST_NGINX_USE_VALGRIND} ? 3 : 0.5;
$ENV{TEST_NGINX_JWT_LONG_NAP} = $ENV{TEST_NGINX_USE_VALGRIND} ? 12 : 2.5;

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

=== TEST 1: key rotation, and the JWKS gone, in one nginx
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
        echo_sleep $TEST_NGINX_JWT_NAP;
        echo napped;
    }
--- user_files eval
[[ 'jwks/keys.json', $::JwksA ]]
--- request eval
["GET /nap", "GET /nap", "GET /t", "GET /t",
 "PUT /jwks/keys.json\n$::JwksAB",
 "GET /t", "GET /nap", "GET /t", "GET /nap", "GET /t", "GET /nap",
 "GET /t", "GET /t",
 "DELETE /jwks/keys.json",
 "GET /nap", "GET /nap", "GET /nap", "GET /nap", "GET /nap",
 "GET /t", "GET /t"]
--- more_headers eval
["", "", bearer($::A), bearer($::B),
 "",
 bearer($::A), "", bearer($::A), "", bearer($::A), "",
 bearer($::B), bearer($::A),
 "",
 "", "", "", "", "",
 bearer($::B), bearer($::A)]
--- error_code eval
[200, 200, 200, 401,
 204,
 200, 200, 200, 200, 200, 200,
 200, 200,
 204,
 200, 200, 200, 200, 200,
 200, 200]
--- response_body eval
["napped\n", "napped\n", "ok a\n", "{\"detail\":\"no key fits the token\"}\n",
 "",
 "ok a\n", "napped\n", "ok a\n", "napped\n", "ok a\n", "napped\n",
 "ok b\n", "ok a\n",
 "",
 "napped\n", "napped\n", "napped\n", "napped\n", "napped\n",
 "ok b\n", "ok a\n"]
--- timeout: 10



=== TEST 2: a refresh that gets a 404 keeps the last good set, and says so
--- http_config
    limit_req_zone $server_name zone=jwks_once:1m rate=1r/m;
--- config
    levers_jwt_key_url http://127.0.0.1:$TEST_NGINX_SERVER_PORT/jwks.json refresh=1s;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_kid";
    }
    location = /jwks.json {
        limit_req zone=jwks_once nodelay;
        limit_req_status 404;
        limit_req_log_level info;
    }
    location = /nap {
        echo_sleep $TEST_NGINX_JWT_LONG_NAP;
        echo napped;
    }
--- user_files eval
[[ 'jwks.json', $::JwksAB ]]
--- request eval
["GET /nap", "GET /t", "GET /t"]
--- more_headers eval
["", bearer($::A), bearer($::B)]
--- response_body eval
["napped\n", "ok a\n", "ok b\n"]
--- error_log
/jwks.json": refreshed, 2 keys
[warn]
/jwks.json": refresh failed: HTTP status 404; keeping the previous keys
--- timeout: 10



=== TEST 3: a refresh that gets invalid JSON keeps the last good set
--- http_config
    limit_req_zone $server_name zone=jwks_once:1m rate=1r/m;
--- config
    levers_jwt_key_url http://127.0.0.1:$TEST_NGINX_SERVER_PORT/jwks.json refresh=1s;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_header_kid";
    }
    location = /jwks.json {
        limit_req zone=jwks_once nodelay;
        limit_req_status 418;
        limit_req_log_level info;
        error_page 418 =200 /broken.json;
    }
    location = /nap {
        echo_sleep $TEST_NGINX_JWT_LONG_NAP;
        echo napped;
    }
--- user_files eval
[[ 'jwks.json', $::JwksA ], [ 'broken.json', '{"keys": [' ]]
--- request eval
["GET /nap", "GET /t"]
--- more_headers eval
["", bearer($::A)]
--- response_body eval
["napped\n", "ok a\n"]
--- error_log
/jwks.json": refresh failed: invalid JSON at line 1
keeping the previous keys
--- timeout: 10



=== TEST 4: the key server is down at start-up: no key, 401, no crash
--- config
    levers_jwt_key_url http://127.0.0.1:1/jwks.json refresh=1s;
    location = /t {
        levers_jwt "api";
        echo ok;
    }
    location = /nap {
        echo_sleep $TEST_NGINX_JWT_NAP;
        echo napped;
    }
--- request eval
["GET /nap", "GET /t"]
--- more_headers eval
["", bearer($::A)]
--- error_code eval
[200, 401]
--- response_body eval
["napped\n", "{\"detail\":\"no key fits the token\"}\n"]
--- error_log
levers_jwt_key_url "http://127.0.0.1:1/jwks.json": refresh failed:
no keys yet
--- timeout: 10

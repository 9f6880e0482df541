# levers_jwt_cache: a per-worker, per-location cache of tokens whose
# signature verified.  A hit logs "levers_jwt: token verified from
# cache" (debug); the claim checks still run on every request, so a
# cached token must still fail another location's rules, its expiry,
# or a key set that no longer holds its key.  The runner has no
# per-request error_log checks: "--- init" primes the cache with curl,
# and the error log is checked as a whole (check_accum_error_log).
use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/jwt-lib.pl";

our $EchoModule = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

log_level('debug');
no_long_string();
no_shuffle();

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

# one request with curl, before the block's own requests
sub prime {
    my ($path, $token) = @_;

    my $port = $Test::Nginx::Socket::ServerPort;
    system('curl', '-s', '-o', '/dev/null', '-m', '60', '-H',
           "Authorization: Bearer $token", "http://127.0.0.1:$port$path") == 0
        or die "curl $path failed\n";
}

$ENV{TEST_NGINX_JWT_NAP} = $ENV{TEST_NGINX_USE_VALGRIND} ? 3 : 0.5;

our $T1 = tok(claims => { sub => 'one', iss => 'https://id.example.com',
                          aud => 'api', scope => 'read' });
our $T2 = tok(claims => { sub => 'two' });
our $T3 = tok(claims => { sub => 'three' });
# expired 5 s before the run: passes only with a leeway
our $Old = tok(claims => { sub => 'old', exp => time - 5 });

# first block: cached while valid (without valgrind), then expired;
# under valgrind nginx may start too late, and it is refused uncached
our $SoonExp = time + 3;
our $Soon = tok(claims => { sub => 'soon', exp => $SoonExp });

our $JwksA = JSON::PP->new->canonical->encode(
    { keys => [ jwk_of('rsa', kid => 'a') ] });
our $JwksB = JSON::PP->new->canonical->encode(
    { keys => [ jwk_of('rsa2', kid => 'b') ] });
our $A = tok(key => 'rsa', header => { kid => 'a' });

run_tests();

__DATA__
=== TEST 0: a cached token that expired meanwhile is refused
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_leeway 0;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/t', $::Soon);
sleep 0.2 while time <= $::SoonExp;
--- request
GET /t
--- more_headers eval
bearer($::Soon)
--- error_code: 401
--- response_body
{"detail":"token expired"}




=== TEST 1: a first request is not served from the cache
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub $levers_jwt_claim_scope";
    }
--- request
GET /t
--- more_headers eval
bearer($::T1)
--- response_body
ok one read
--- no_error_log
token verified from cache
[error]



=== TEST 2: the same token again: from the cache, same variables
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub $levers_jwt_claim_scope";
    }
--- init
main::prime('/t', $::T1);
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer($::T1), bearer((split /\./, $::T1)[0] . '.' . (split /\./, $::T1)[1] . '.'
                      . (split /\./, $::T2)[2])]
--- error_code eval
[200, 401]
--- response_body eval
["ok one read\n", "{\"detail\":\"signature verification failed\"}\n"]
--- error_log
levers_jwt: token verified from cache



=== TEST 3: an expired cached token is refused where the leeway is 0
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_cache 16;
    location /lenient {
        levers_jwt "api";
        levers_jwt_leeway 120;
        echo "ok $levers_jwt_sub";
    }
    location /strict {
        levers_jwt "api";
        levers_jwt_leeway 0;
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/lenient', $::Old);
--- request eval
["GET /lenient", "GET /strict", "GET /strict"]
--- more_headers eval
[(bearer($::Old)) x 3]
--- error_code eval
[200, 401, 401]
--- response_body eval
["ok old\n", ("{\"detail\":\"token expired\"}\n") x 2]
--- error_log
levers_jwt: token verified from cache



=== TEST 4: another location's issuer, audience and required claims apply
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /open {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
    location = /iss {
        levers_jwt "api";
        levers_jwt_issuer https://other.example.com;
        echo "ok $levers_jwt_sub";
    }
    location = /aud {
        levers_jwt "api";
        levers_jwt_audience other;
        echo "ok $levers_jwt_sub";
    }
    location = /scope {
        levers_jwt "api";
        levers_jwt_require_claim scope write;
        echo "ok $levers_jwt_sub";
    }
    location = /all {
        levers_jwt "api";
        levers_jwt_issuer https://id.example.com;
        levers_jwt_audience api;
        levers_jwt_require_claim scope read;
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/open', $::T1);
--- request eval
["GET /open", "GET /iss", "GET /iss", "GET /aud", "GET /aud",
 "GET /scope", "GET /scope", "GET /all", "GET /all"]
--- more_headers eval
[(bearer($::T1)) x 9]
--- error_code eval
[200, 401, 401, 401, 401, 403, 403, 200, 200]
--- response_body eval
["ok one\n",
 ("{\"detail\":\"wrong issuer\"}\n") x 2,
 ("{\"detail\":\"wrong audience\"}\n") x 2,
 ("{\"detail\":\"insufficient scope\"}\n") x 2,
 "ok one\n", "ok one\n"]
--- error_log
levers_jwt: token verified from cache



=== TEST 5: a key URL refresh that drops the key refuses the cached token
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
["GET /nap", "GET /t", "GET /t",
 "PUT /jwks/keys.json\n$::JwksB",
 "GET /nap", "GET /nap", "GET /t"]
--- more_headers eval
["", bearer($::A), bearer($::A), "", "", "", bearer($::A)]
--- error_code eval
[200, 200, 200, 204, 200, 200, 401]
--- response_body eval
["napped\n", "ok a\n", "ok a\n", "", "napped\n", "napped\n",
 "{\"detail\":\"no key fits the token\"}\n"]
--- timeout: 10



=== TEST 6: a full cache evicts the least recently used: the first of three
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_cache 2;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/t', $_) for $::T1, $::T2, $::T3;
--- request
GET /t
--- more_headers eval
bearer($::T1)
--- response_body
ok one
--- no_error_log
token verified from cache
[error]



=== TEST 7: a full cache keeps the most recently used
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_cache 2;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/t', $_) for $::T1, $::T2, $::T1, $::T3;
--- request
GET /t
--- more_headers eval
bearer($::T1)
--- response_body
ok one
--- error_log
levers_jwt: token verified from cache



=== TEST 8: levers_jwt_cache off never uses a cache
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    levers_jwt_cache off;
    location = /t {
        levers_jwt "api";
        echo "ok $levers_jwt_sub";
    }
--- init
main::prime('/t', $::T1);
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[(bearer($::T1)) x 2]
--- response_body eval
[("ok one\n") x 2]
--- no_error_log
token verified from cache
[error]

# Variables: $levers_jwt_claim_<name> (strings raw, other JSON compact,
# "__" for nesting), levers_jwt_claim_set for any name, 
# $levers_jwt_header_<name>, $levers_jwt_payload, $levers_jwt_sub; their
# use before the access phase (set, limit_req), in proxied headers,
# subrequests and after an internal redirect; never for unverified tokens.
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

=== TEST 1: claims of every JSON type
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "s=$levers_jwt_claim_org n=$levers_jwt_claim_tier f=$levers_jwt_claim_ratio b=$levers_jwt_claim_ok z=$levers_jwt_claim_nothing a=$levers_jwt_claim_roles o=$levers_jwt_claim_obj u=$levers_jwt_claim_preferred_username m=[$levers_jwt_claim_missing]";
    }
--- request
GET /t
--- more_headers eval
bearer(tok(claims => { org => 'acme', tier => 2, ratio => 0.5,
                       ok => JSON::PP::true, nothing => undef,
                       roles => ['a', 'b'], obj => { id => 7 },
                       preferred_username => 'ann' }))
--- response_body
s=acme n=2 f=0.5 b=true z= a=["a","b"] o={"id":7} u=ann m=[]



=== TEST 2: nested claims with "__", and levers_jwt_claim_set for any name
--- http_config
    levers_jwt_claim_set $jwt_tenant "https://example.com/tenant";
    levers_jwt_claim_set $jwt_camel tenantId;
    levers_jwt_claim_set $jwt_deep realm_access roles;
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo "$levers_jwt_claim_realm_access__roles|$levers_jwt_claim_org__id|$levers_jwt_claim_org__no|$jwt_tenant|$jwt_camel|$jwt_deep";
    }
--- request
GET /t
--- more_headers eval
bearer(tok(claims => { realm_access => { roles => ['admin'] },
                       org => { id => 'o-1' },
                       'https://example.com/tenant' => 't-9',
                       tenantId => 'T' }))
--- response_body
["admin"]|o-1||t-9|T|["admin"]



=== TEST 3: header variables, payload, subject
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/jwks.json;
    location = /t {
        levers_jwt "api";
        echo "$levers_jwt_header_alg $levers_jwt_header_kid $levers_jwt_sub";
        echo $levers_jwt_payload;
    }
--- request
GET /t
--- more_headers eval
bearer(tok(alg => 'ES256', key => 'ec256', header => { kid => 'e1' },
           claims => { sub => 'u-42', exp => 4102444800 }))
--- response_body_like chomp
\AES256 e1 u-42\n\{("exp":4102444800,"sub":"u-42"|"sub":"u-42","exp":4102444800)\}\n\z



=== TEST 4: control characters never reach a header raw
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        add_header X-Name $levers_jwt_claim_name;
        echo "[$levers_jwt_claim_name]";
    }
--- request
GET /t
--- more_headers eval
bearer(tok(claims => { name => "a\r\nX-Injected: 1" }))
--- response_headers
!X-Injected
--- response_body
["a\r\nX-Injected: 1"]



=== TEST 5: no values from a token that failed, nor where the check is off
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /open {
        echo "[$levers_jwt_sub][$levers_jwt_claim_sub][$levers_jwt_payload]";
    }
    location = /any {
        satisfy any;
        allow all;
        levers_jwt "api";
        echo "[$levers_jwt_sub][$levers_jwt_claim_sub][$levers_jwt_header_alg]";
    }
--- request eval
["GET /open", "GET /any", "GET /any"]
--- more_headers eval
[bearer(tok()), bearer(tok(key => 'rsa2')), bearer(tok(claims => { exp => 1 }))]
--- response_body eval
["[][][]\n", "[][][]\n", "[][][]\n"]



=== TEST 6: claims are usable before the access phase (set, rewrite)
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        set $who "user=$levers_jwt_claim_sub";
        echo $who;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { sub => 'alice' })), bearer(tok(key => 'rsa2'))]
--- error_code eval
[200, 401]
--- response_body eval
["user=alice\n", "{\"detail\":\"signature verification failed\"}\n"]



=== TEST 7: limit_req keyed on a claim (PREACCESS, before our check)
--- http_config
    limit_req_zone $levers_jwt_claim_sub zone=per_sub:1m rate=1r/m;
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        limit_req zone=per_sub nodelay;
        limit_req_status 429;
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t", "GET /t"]
--- more_headers eval
[bearer(tok(claims => { sub => 'alice' })),
 bearer(tok(claims => { sub => 'alice' })),
 bearer(tok(claims => { sub => 'bob' })),
 bearer(tok(key => 'rsa2', claims => { sub => 'carol' }))]
--- error_code eval
[200, 429, 200, 401]
--- no_error_log
[alert]
[emerg]



=== TEST 8: a claim in a proxied request header
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        proxy_set_header X-Tenant $levers_jwt_claim_org;
        proxy_set_header X-Sub $levers_jwt_sub;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        echo "tenant=$http_x_tenant sub=$http_x_sub auth=$http_authorization";
    }
--- request
GET /t
--- more_headers eval
bearer(tok(claims => { org => 'acme', sub => 'u-7' }))
--- response_body_like chomp
^tenant=acme sub=u-7 auth=Bearer ey



=== TEST 9: subrequests and internal redirects see the main request's token
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        echo_location /sub;
        echo "main $levers_jwt_sub";
    }
    location = /sub {
        echo "sub $levers_jwt_sub $levers_jwt_claim_org";
    }
    location = /r {
        levers_jwt "api";
        try_files /nonexistent @named;
    }
    location @named {
        echo "named $levers_jwt_sub";
    }
--- request eval
["GET /t", "GET /r"]
--- more_headers eval
[bearer(tok(claims => { sub => 'u-1', org => 'o' })),
 bearer(tok(claims => { sub => 'u-2' }))]
--- response_body eval
["sub u-1 o\nmain u-1\n", "named u-2\n"]

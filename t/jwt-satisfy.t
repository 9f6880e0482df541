# Composition with nginx's own access modules, as auth_basic composes:
# satisfy any/all with allow/deny and auth_basic, auth_request,
# limit_except, error_page for 401, and responses that are not ours
# (later 401 from an upstream) left alone.
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

=== TEST 1: satisfy any: an allowed address needs no token
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        satisfy any;
        allow 127.0.0.1;
        deny all;
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t"]
--- more_headers eval
["", bearer(tok(key => 'rsa2'))]
--- response_body eval
["ok\n", "ok\n"]
--- response_headers eval
["!WWW-Authenticate", "!WWW-Authenticate"]



=== TEST 2: satisfy any: denied address, token decides; our JSON answer
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        satisfy any;
        deny all;
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
["", bearer(tok()), bearer(tok(key => 'rsa2'))]
--- error_code eval
[401, 200, 401]
--- response_headers eval
["Content-Type: application/json", "!WWW-Authenticate",
 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"signature verification failed\""]
--- response_body eval
["{\"detail\":\"missing bearer token\"}\n", "ok\n",
 "{\"detail\":\"signature verification failed\"}\n"]



=== TEST 3: satisfy all: both must pass; deny answers after a good token
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /allow {
        allow all;
        levers_jwt "api";
        echo ok;
    }
    location = /deny {
        deny all;
        levers_jwt "api";
        echo ok;
    }
--- request eval
["GET /allow", "GET /allow", "GET /deny", "GET /deny"]
--- more_headers eval
["", bearer(tok()), bearer(tok()), ""]
--- error_code eval
[401, 200, 403, 401]
--- response_headers eval
["Content-Type: application/json", "Content-Type: text/plain",
 "Content-Type: text/html", "Content-Type: application/json"]
--- no_error_log
[alert]
[emerg]



=== TEST 4: satisfy any with auth_basic: either credential lets in
--- user_files
>>> htpasswd
ann:{PLAIN}secret
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        satisfy any;
        auth_basic "basic";
        auth_basic_user_file ../html/htpasswd;
        levers_jwt "api";
        echo "ok [$remote_user] [$levers_jwt_sub]";
    }
--- request eval
["GET /t", "GET /t", "GET /t"]
--- more_headers eval
["Authorization: Basic YW5uOnNlY3JldA==", bearer(tok()),
 "Authorization: Basic YW5uOndyb25n"]
--- error_code eval
[200, 200, 401]
--- response_body eval
["ok [ann] []\n", "ok [] [user-1]\n",
 "{\"detail\":\"missing bearer token\"}\n"]
--- raw_response_headers_unlike eval
["WWW-Authenticate", "WWW-Authenticate", "WWW-Authenticate: Bearer realm=\"api\", error"]
--- no_error_log
[alert]
[emerg]



=== TEST 5: satisfy any with auth_basic: both challenges when both fail
--- user_files
>>> htpasswd
ann:{PLAIN}secret
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        satisfy any;
        auth_basic "basic";
        auth_basic_user_file ../html/htpasswd;
        levers_jwt "api";
        echo ok;
    }
--- request
GET /t
--- error_code: 401
--- raw_response_headers_like
WWW-Authenticate: Bearer realm="api"\r\n(?:.*\r\n)*WWW-Authenticate: Basic realm="basic"|WWW-Authenticate: Basic realm="basic"\r\n(?:.*\r\n)*WWW-Authenticate: Bearer realm="api"



=== TEST 6: auth_request and the token, both in force
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        auth_request /yes;
        levers_jwt "api";
        echo ok;
    }
    location = /u {
        auth_request /no;
        levers_jwt "api";
        echo ok;
    }
    location = /yes {
        return 204;
    }
    location = /no {
        return 403;
    }
--- request eval
["GET /t", "GET /t", "GET /u"]
--- more_headers eval
[bearer(tok()), "", bearer(tok())]
--- error_code eval
[200, 401, 403]



=== TEST 7: limit_except: only writes need a token
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        limit_except GET {
            levers_jwt "writes";
        }
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        echo ok;
    }
--- request eval
["GET /t", "POST /t\nx", "POST /t\nx"]
--- more_headers eval
["", "", bearer(tok())]
--- error_code eval
[200, 401, 200]



=== TEST 8: error_page 401 replaces our body, the challenge stays
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        levers_jwt "api";
        error_page 401 /custom401;
        echo ok;
    }
    location = /custom401 {
        internal;
        echo "custom page";
    }
--- request
GET /t
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="api"
Content-Type: text/plain
--- response_body
custom page



=== TEST 9: a 401 produced after access was granted is not ours
--- config
    levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
    location = /t {
        satisfy any;
        allow all;
        levers_jwt "api";
        try_files /nonexistent =401;
    }
    location = /v {
        levers_jwt "api";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/up;
    }
    location = /up {
        add_header WWW-Authenticate "Upstream" always;
        return 401 "upstream says no\n";
    }
--- request eval
["GET /t", "GET /v"]
--- more_headers eval
["", bearer(tok())]
--- error_code eval
[401, 401]
--- response_headers eval
["Content-Type: text/html", "WWW-Authenticate: Upstream"]
--- response_body_like eval
["401 Authorization Required", "\\Aupstream says no\\n\\z"]
--- raw_response_headers_unlike eval
["Bearer", "Bearer"]

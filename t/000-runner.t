# Self-test of the test runner, with stock nginx only (plus the echo
# module Debian ships): status codes, headers, exact and regex bodies,
# big request and response bodies, chunked responses, error_log checks,
# block preprocessors and $TEST_NGINX_* substitution.  It must pass both
# under openresty's Test::Nginx and under the small one in t/lib.

use Test::Nginx::Socket;

our $EchoModule = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

$ENV{TEST_NGINX_RUNNER_WORD} = 'levers';

repeat_each(2);
log_level('info');
master_off();
workers(1);
no_long_string();
env_to_nginx('TEST_NGINX_RUNNER_WORD');

# blocks that use echo_* load the echo module (unless the environment
# already loads it); blocks without error_log checks get a default
# no_error_log, as real suites do
add_block_preprocessor(sub {
    my $block = shift;

    if (($block->config // '') =~ /\becho_/
        && !defined $block->main_config
        && ($ENV{TEST_NGINX_LOAD_MODULES} // '') !~ /ngx_http_echo_module/)
    {
        $block->set_value('main_config', "load_module $EchoModule;");
    }

    if (!defined $block->error_log && !defined $block->no_error_log) {
        $block->set_value('no_error_log', "[alert]\n[emerg]\n");
    }
});

plan tests => repeat_each() * (4 * blocks() + 12);

run_tests();

__DATA__

=== TEST 1: return, exact body, present and absent headers
--- config
    location = /t {
        add_header X-Levers yes;
        return 200 "hello\n";
    }
--- request
GET /t
--- response_headers
Content-Type: text/plain
X-Levers: yes
!X-Absent
--- response_body
hello



=== TEST 2: status code and body regex
--- config
    location = /t {
        return 403;
    }
--- request
GET /t
--- error_code: 403
--- response_body_like: 403 Forbidden



=== TEST 3: more_headers reach nginx
--- config
    location = /t {
        return 200 "$http_x_token|$http_user_agent\n";
    }
--- request
GET /t
--- more_headers
X-Token: abc
User-Agent: runner
--- response_body
abc|runner



=== TEST 4: more_headers eval
--- config
    location = /t {
        return 200 "$http_x_token\n";
    }
--- request
GET /t
--- more_headers eval
"X-Token: " . ("z" x 100)
--- response_body eval
("z" x 100) . "\n"



=== TEST 5: a 1 MB POST body is sent with its Content-Length
--- config
    location = /len {
        return 200 "$content_length\n";
    }
--- request eval
"POST /len\n" . ("a" x 1048576)
--- response_body
1048576



=== TEST 6: a 1 MB POST body comes back byte for byte
--- config
    location = /echo {
        client_body_buffer_size 2m;
        echo_read_request_body;
        echo_request_body;
    }
--- request eval
"POST /echo\n" . ("b" x 1048576) . "c"
--- response_headers
!Content-Length
--- response_body eval
("b" x 1048576) . "c"



=== TEST 7: chunked response is decoded
--- config
    location = /chunks {
        echo hello;
        echo_flush;
        echo world;
    }
--- request
GET /chunks
--- response_headers
Transfer-Encoding: chunked
--- response_body
hello
world



=== TEST 8: error_log and no_error_log, one substring a line
--- config
    location = /t {
        return 200;
    }
--- request
GET /nope.html
--- error_code: 404
--- response_body_like: 404 Not Found
--- error_log
No such file or directory
nope.html
--- no_error_log
[crit]
[alert]
[debug]



=== TEST 9: error_log eval with a regex, no_error_log eval
--- config
    location = /t {
        return 200;
    }
--- request
GET /nope2.html
--- error_code: 404
--- error_log eval
[qr/open\(\) "[^"]*nope2\.html" failed/, "[error]"]
--- no_error_log eval
[qr/\[emerg\]/]



=== TEST 10: $TEST_NGINX_* in config, $ServerPort in the expected body
--- config
    location = /env {
        return 200 "$TEST_NGINX_RUNNER_WORD $TEST_NGINX_SERVER_PORT\n";
    }
--- request
GET /env
--- response_body
levers $ServerPort



=== TEST 11: http_config with an upstream on the test port
--- http_config
    upstream runner_self {
        server 127.0.0.1:$TEST_NGINX_SERVER_PORT;
    }
--- config
    location = /proxy {
        proxy_pass http://runner_self/inner;
    }

    location = /inner {
        return 200 "inner $request_method\n";
    }
--- request
GET /proxy
--- response_body
inner GET



=== TEST 12: user_files are written under the html dir
--- config
    location /runner/ {
        root $TEST_NGINX_SERVER_ROOT/html;
    }
--- user_files
>>> runner/hello.txt
hello $TEST_NGINX_RUNNER_WORD
--- request
GET /runner/hello.txt
--- response_body
hello levers



=== TEST 13: several requests in one block
--- config
    location = /a {
        return 200 "a\n";
    }

    location = /b {
        return 201 "b\n";
    }
--- request eval
["GET /a", "GET /b"]
--- error_code eval
[200, 201]
--- response_body eval
["a\n", "b\n"]



=== TEST 14: timeout and wait
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- timeout: 10
--- wait: 0.1
--- response_body
ok

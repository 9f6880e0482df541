# Idempotency-Key (issue 5): a retried bulk request never calls twice.

use Test::Nginx::Socket 'no_plan';

no_shuffle();

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->no_error_log) {
        $block->set_value("no_error_log", "[alert]\n[crit]\n[emerg]");
    }

    # the gateway accepts one batch a minute: a second dispatch would fail
    if (!defined $block->http_config) {
        $block->set_value("http_config", <<'_EOC_');
    limit_req_zone $server_port zone=gateway:1m rate=1r/m;
_EOC_
    }
});

sub contacts {
    my ($n, $first) = @_;
    $first //= 0;
    my @c = map { sprintf('{"numberToCall":"+9665000%05d"}', $_) }
            $first .. $first + $n - 1;
    return '{"contacts":[' . join(",", @c) . ']}';
}

run_tests();

__DATA__

=== TEST 1: same key, same body: the stored answer again, nothing dispatched
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m ttl=1h;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        limit_req zone=gateway;
        limit_req_status 503;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/ack;
    }
    location = /ack {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(2), "POST /bulk\n" . main::contacts(2)]
--- more_headers
Idempotency-Key: order-7781
--- error_code eval
[201, 201]
--- response_headers eval
["!Idempotent-Replayed", "Idempotent-Replayed: true"]
--- response_body_like eval
[qr/"total":2,"accepted":2,/, qr/"total":2,"accepted":2,/]



=== TEST 2: the gateway really accepts one batch a minute (the check above can fail)
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        limit_req zone=gateway;
        limit_req_status 503;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/ack;
    }
    location = /ack {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(2), "POST /bulk\n" . main::contacts(2)]
--- more_headers
Idempotency-Key: order-7781
--- error_code eval
[201, 502]



=== TEST 3: same key, another body: 422
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(2), "POST /bulk\n" . main::contacts(3)]
--- more_headers
Idempotency-Key: order-7781
--- error_code eval
[201, 422]
--- response_body_like eval
[qr/"accepted":2/, qr/^\{"detail":"Idempotency-Key was already used with a different request body"\}$/]



=== TEST 4: the same key while the first request is in flight: 409 (from a second connection)
--- http_config
    log_format nested 'NESTED status=$status';
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    # the gateway, while the first request waits for it, posts the same
    # key to the endpoint over a new connection
    location = /backend {
        access_log logs/error.log nested;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/bulk;
        proxy_set_header Idempotency-Key order-7781;
    }
--- request eval
"POST /bulk\n" . main::contacts(2)
--- more_headers
Idempotency-Key: order-7781
--- error_code: 502
--- response_body_like: "failed":\[\{"batch":0,"status":409,"indexes":\[0,1\]\}\]
--- error_log
NESTED status=409



=== TEST 5: without a key, every request is dispatched
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(2), "POST /bulk\n" . main::contacts(2)]
--- error_code eval
[201, 201]
--- response_headers eval
["!Idempotent-Replayed", "!Idempotent-Replayed"]



=== TEST 6: a key longer than 255 characters: 400
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m;
    }
    location = /gw {
        internal;
        return 202;
    }
--- request eval
"POST /bulk\n" . main::contacts(2)
--- more_headers eval
"Idempotency-Key: " . ("k" x 256)
--- error_code: 400
--- response_body chomp
{"detail":"Idempotency-Key must be 1 to 255 characters long"}



=== TEST 7: a 422 answer is recorded and replayed too
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=idem:1m;
    }
    location = /gw {
        internal;
        return 202;
    }
--- request eval
["POST /bulk\n{}", "POST /bulk\n{}"]
--- more_headers
Idempotency-Key: bad-1
--- error_code eval
[422, 422]
--- response_headers eval
["!Idempotent-Replayed", "Idempotent-Replayed: true"]
--- response_body eval
['{"detail":[{"type":"missing","loc":["body","contacts"],"msg":"Field required","input":{}}]}',
 '{"detail":[{"type":"missing","loc":["body","contacts"],"msg":"Field required","input":{}}]}']



=== TEST 8: a full zone evicts the oldest key and never fails a request
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=tiny:32k;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(300), "POST /bulk\n" . main::contacts(300, 400), "POST /bulk\n" . main::contacts(300)]
--- more_headers eval
["Idempotency-Key: a", "Idempotency-Key: b", "Idempotency-Key: a"]
--- error_code eval
[201, 201, 201]
--- response_headers eval
["!Idempotent-Replayed", "!Idempotent-Replayed", "!Idempotent-Replayed"]



=== TEST 9: an answer larger than the zone is not recorded; the request still succeeds
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_idempotency zone=tiny:32k;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
["POST /bulk\n" . main::contacts(1000), "POST /bulk\n" . main::contacts(1000)]
--- more_headers
Idempotency-Key: big
--- error_code eval
[201, 201]
--- response_headers eval
["!Idempotent-Replayed", "!Idempotent-Replayed"]
--- error_log
not recorded
--- timeout: 10

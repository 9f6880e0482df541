# Batches and fan-out (contract sections 3.5, 3.6, 4, 6): batches sent as
# subrequests to the gateway location, 201 when all are accepted, 502 that
# accounts for every contact when some are not, and the gateway faults
# that end a batch: 5xx, refused, timeout, answer cut short, garbage.

use Test::Nginx::Socket 'no_plan';

no_shuffle();

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->no_error_log) {
        $block->set_value("no_error_log", "[alert]\n[crit]\n[emerg]");
    }
});

# A body of $n contacts with distinct valid Saudi mobile numbers.
sub contacts {
    my ($n, $extra) = @_;
    my @c = map { sprintf('{"numberToCall":"+9665000%05d"}', $_) } 0 .. $n - 1;
    return "POST /bulk\n{" . ($extra // '') . '"contacts":[' . join(",", @c)
           . "]}";
}

# The answer's "calls" indexes, "skipped" and "failed" indexes: every
# contact exactly once.
sub indexes_once {
    my ($n) = @_;
    return qr/"total":$n,/;
}

run_tests();

__DATA__

=== TEST 1: two contacts, one batch, 201
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
        return 202 '{"accepted":true}';
    }
--- request eval
main::contacts(2)
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}","total":2,"accepted":2,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 2: 25 contacts in batches of 10: 3 batches, headers and sizes seen by the gateway
--- http_config
    log_format gwhdr 'GATEWAY batch=$http_x_levers_batch len=$content_length type=$content_type auth=[$http_authorization]';
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
        access_log logs/error.log gwhdr;
        return 202;
    }
--- request eval
main::contacts(25, '"batchSize":10,')
--- more_headers
Content-Type: application/json
Authorization: Bearer secret-client-token
--- error_code: 201
--- response_body_like: "total":25,"accepted":25,"batches":3,.*\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\}.*\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$
--- error_log
GATEWAY batch=0/3 len=
GATEWAY batch=1/3 len=
GATEWAY batch=2/3 len=
type=application/json auth=[-]
--- no_error_log
auth=[Bearer
[alert]
[crit]



=== TEST 3: the location's default batch size
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_batch_size 10;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(21)
--- error_code: 201
--- response_body_like: "total":21,"accepted":21,"batches":3,



=== TEST 4: one batch answered 503: 502 lists it, the others are accepted
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
        if ($http_x_levers_batch = "1/3") {
            return 503;
        }
        return 202;
    }
--- request eval
main::contacts(25, '"batchSize":10,')
--- error_code: 502
--- response_headers
Content-Type: application/json
--- response_body_like: "total":25,"accepted":15,"batches":3,"calls":\[\{"index":0,.*\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":20,"numberToCall":"\+966500000020","batch":2\}.*"skipped":\[\],"failed":\[\{"batch":1,"status":503,"indexes":\[10,11,12,13,14,15,16,17,18,19\]\}\],"detail":"1 of 3 batches \(10 contacts\) were not accepted by the gateway"\}$
--- error_log
batch 1 of 3 not accepted, status 503
batch 1 failed, status 503, contacts 10-19
--- no_error_log
[alert]
[crit]



=== TEST 5: every batch fails: nothing accepted, every contact in "failed"
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
        return 500;
    }
--- request eval
main::contacts(12, '"batchSize":10,')
--- error_code: 502
--- response_body_like: "total":12,"accepted":0,"batches":2,"calls":\[\],"skipped":\[\],"failed":\[\{"batch":0,"status":500,"indexes":\[0,1,2,3,4,5,6,7,8,9\]\},\{"batch":1,"status":500,"indexes":\[10,11\]\}\],"detail":"2 of 2 batches \(12 contacts\) were not accepted by the gateway"\}$



=== TEST 6: gateway refuses connections: 502 per batch
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:1/;
    }
--- request eval
main::contacts(3)
--- error_code: 502
--- response_body_like: "failed":\[\{"batch":0,"status":502,"indexes":\[0,1,2\]\}\]
--- error_log
connect() failed (111: Connection refused)



=== TEST 7: failover across the upstream: a refused gateway, the next one accepts
--- http_config
    upstream gateways {
        server 127.0.0.1:1;
        server 127.0.0.1:$TEST_NGINX_SERVER_PORT;
    }
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://gateways/backend;
        proxy_next_upstream error timeout;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(30, '"batchSize":10,')
--- error_code: 201
--- response_body_like: "total":30,"accepted":30,"batches":3,



=== TEST 8: gateway too slow: the batch fails with 504, the others are accepted
--- main_config
    load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
        proxy_read_timeout 300ms;
    }
    location = /backend {
        if ($http_x_levers_batch = "0/2") {
            echo_sleep 1;
        }
        echo_status 202;
        echo ok;
    }
--- request eval
main::contacts(15, '"batchSize":10,')
--- error_code: 502
--- response_body_like: "accepted":5,"batches":2,"calls":\[\{"index":10,.*"failed":\[\{"batch":0,"status":504,"indexes":\[0,1,2,3,4,5,6,7,8,9\]\}\]
--- error_log
upstream timed out



=== TEST 9: the gateway closes the connection without an answer
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
        return 444;
    }
--- request eval
main::contacts(2)
--- error_code: 502
--- response_body_like: "failed":\[\{"batch":0,"status":502,"indexes":\[0,1\]\}\]
--- error_log
upstream prematurely closed connection



=== TEST 10: an answer cut short (200 header, then the body stalls past the timeout): failed, not accepted
--- user_files
>>> big.json
{"calls":[],"padding":"01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"}
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
        proxy_read_timeout 400ms;
        proxy_buffering off;
    }
    location = /backend {
        alias html/big.json;
        limit_rate 100;
        limit_rate_after 10;
    }
--- request eval
main::contacts(2)
--- error_code: 502
--- response_body_like: "accepted":0,.*"failed":\[\{"batch":0,"status":50[24],"indexes":\[0,1\]\}\]
--- timeout: 10



=== TEST 11: gateway answers 200 with garbage: accepted (call ids are optional), logged
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
        return 200 'this is {not json';
    }
--- request eval
main::contacts(2)
--- error_code: 201
--- response_body_like: "accepted":2,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},
--- error_log
gateway answer has no call ids



=== TEST 12: call ids from the gateway's answer; ids for other contacts are not invented
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
        default_type application/json;
        return 202 '{"calls":[{"index":0,"callId":"call-a"},{"index":1,"callId":"call-b"},{"index":7,"callId":"nobody"},{"index":-1,"callId":"x"}]}';
    }
--- request eval
main::contacts(3)
--- error_code: 201
--- response_body_like: "calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0,"callId":"call-a"\},\{"index":1,"numberToCall":"\+966500000001","batch":0,"callId":"call-b"\},\{"index":2,"numberToCall":"\+966500000002","batch":0\}\],"skipped":\[\]\}$



=== TEST 13: a 10 000-contact body, buffered by nginx to a temporary file: 100 batches, all accepted
--- config
    client_body_buffer_size 16k;
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_concurrency 8;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(10000)
--- error_code: 201
--- response_body_like: ^\{"bulkId":"[^"]+","total":10000,"accepted":10000,"batches":100,"calls":\[\{"index":0,.*\{"index":9999,"numberToCall":"\+966500009999","batch":99\}\],"skipped":\[\]\}$
--- error_log
a client request body is buffered to a temporary file
levers_bulk: planned 500 of 10000 contacts, going on next cycle
levers_bulk: planned 9500 of 10000 contacts, going on next cycle
--- timeout: 30



=== TEST 14: no contacts: nothing is sent, 201 with zero batches
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        return 500;
    }
--- request
POST /bulk
{"contacts":[]}
--- error_code: 201
--- response_body_like: ^\{"bulkId":"[^"]+","total":0,"accepted":0,"batches":0,"calls":\[\],"skipped":\[\]\}$



=== TEST 15: one batch in flight at a time still sends every batch
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_concurrency 1;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(55, '"batchSize":10,')
--- error_code: 201
--- response_body_like: "total":55,"accepted":55,"batches":6,



=== TEST 16: log variables
--- http_config
    log_format bulk 'BULK id=$levers_bulk_id total=$levers_bulk_total accepted=$levers_bulk_accepted skipped=$levers_bulk_skipped failed=$levers_bulk_failed';
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        access_log logs/error.log bulk;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        if ($http_x_levers_batch = "1/2") {
            return 503;
        }
        return 202;
    }
--- request
POST /bulk
{"batchSize":10,"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"}]}
--- error_code: 502
--- response_body_like: "skipped":\[\{"index":1,"numberToCall":"\+966500000001","reason":"duplicate"\}\],"failed":\[\{"batch":1,"status":503,"indexes":\[11\]\}\]
--- error_log eval
qr/BULK id=[0-9a-f-]{36} total=12 accepted=10 skipped=1 failed=1/



=== TEST 16b: $levers_bulk_pool_bytes: the request pool, with the batch bodies that were in flight
--- http_config
    log_format pool 'POOL bytes=$levers_bulk_pool_bytes total=$levers_bulk_total';
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        access_log logs/error.log pool;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(300, '"batchSize":100,')
--- error_code: 201
--- error_log eval
qr/POOL bytes=(?:[2-9]\d{4}|\d{6,}) total=300$/



=== TEST 16c: $levers_bulk_pool_bytes is not set for a request that was never planned
--- http_config
    log_format pool 'POOL bytes=$levers_bulk_pool_bytes status=$status';
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        access_log logs/error.log pool;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":1}]}
--- error_code: 422
--- error_log
POOL bytes=- status=422



=== TEST 16d: a gateway location that answers itself with an empty 202 (no proxy): accepted
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        return 202;
    }
--- request eval
main::contacts(25, '"batchSize":10,')
--- error_code: 201
--- response_body_like: "total":25,"accepted":25,"batches":3,
--- no_error_log
not accepted
[alert]
[crit]



=== TEST 17: the client goes away mid-dispatch: the batch in flight ends, the rest are never sent, all logged
--- main_config
    load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
--- http_config
    log_format gwseen 'GATEWAY-SAW batch=$http_x_levers_batch';
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_concurrency 1;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        access_log logs/error.log gwseen;
        echo_sleep 1;
        echo_status 202;
        echo ok;
    }
--- request eval
main::contacts(30, '"batchSize":10,')
--- timeout: 0.4
--- abort
--- ignore_response
--- wait: 1.5
--- error_log eval
[
qr/client closed connection while dispatching; 1 of 3 batches sent, no more will be/,
qr/GATEWAY-SAW batch=0\/3/,
qr/30 contacts, 10 accepted, 0 skipped, 20 failed in 2 of 3 batches \(2 never sent\), client gone/,
qr/batch 1 never sent, contacts 10-19/,
qr/batch 2 never sent, contacts 20-29/,
]
--- no_error_log
GATEWAY-SAW batch=1/3
[alert]
[crit]

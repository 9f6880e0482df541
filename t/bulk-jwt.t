# The bulk endpoint behind JWT Bearer checks: refused before any body is
# read, Idempotency-Key scoped per token subject, claims passed on to the
# gateways.
use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/jwt-lib.pl";

log_level('info');
no_shuffle();

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->no_error_log) {
        $block->set_value("no_error_log", "[alert]\n[crit]\n[emerg]");
    }
});

sub contacts {
    my ($n) = @_;
    my @c = map { sprintf('{"numberToCall":"+9665000%05d"}', $_) } 0 .. $n - 1;
    return "POST /bulk\n" . '{"contacts":[' . join(",", @c) . ']}';
}

run_tests();

__DATA__

=== TEST 1: no token: 401 with the Bearer challenge, nothing dispatched
--- http_config
    log_format gw 'GATEWAY-SAW $http_x_levers_batch';
--- config
    location = /bulk {
        levers_jwt "levers";
        levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        access_log logs/error.log gw;
        return 202;
    }
--- request eval
main::contacts(2)
--- error_code: 401
--- response_headers
WWW-Authenticate: Bearer realm="levers"
Content-Type: application/json
--- no_error_log
GATEWAY-SAW
[alert]



=== TEST 2: a valid token: 201
--- config
    location = /bulk {
        levers_jwt "levers";
        levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        return 202;
    }
--- request eval
main::contacts(2)
--- more_headers eval
bearer(tok())
--- error_code: 201
--- response_body_like: "total":2,"accepted":2,



=== TEST 3: Idempotency-Key is scoped per subject: another caller's key is not a replay
--- config
    location = /bulk {
        levers_jwt "levers";
        levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
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
[main::contacts(2), main::contacts(2), main::contacts(2)]
--- more_headers eval
[bearer(tok(claims => {sub => "tenant-a"})) . "\nIdempotency-Key: k1",
 bearer(tok(claims => {sub => "tenant-b"})) . "\nIdempotency-Key: k1",
 bearer(tok(claims => {sub => "tenant-a"})) . "\nIdempotency-Key: k1"]
--- error_code eval
[201, 201, 201]
--- response_headers eval
["!Idempotent-Replayed", "!Idempotent-Replayed", "Idempotent-Replayed: true"]



=== TEST 4: a claim passed on to the gateways, the client's token not
--- http_config
    log_format gw 'GATEWAY tenant=$http_x_tenant auth=[$http_authorization]';
--- config
    location = /bulk {
        levers_jwt "levers";
        levers_jwt_key_file $TEST_NGINX_JWT_DIR/rsa.pub;
        levers_bulk;
        levers_bulk_gateway /gw;
    }
    location = /gw {
        internal;
        proxy_set_header X-Tenant $levers_jwt_claim_org;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }
    location = /backend {
        access_log logs/error.log gw;
        return 202;
    }
--- request eval
main::contacts(2)
--- more_headers eval
bearer(tok(claims => {org => "acme-collections"}))
--- error_code: 201
--- error_log
GATEWAY tenant=acme-collections auth=[-]

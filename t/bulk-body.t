# The request body through nginx (contract sections 1, 2 and 4): what is
# read as JSON and what is not (FastAPI's Content-Type rule), empty and
# null bodies, bodies that are not objects, json_invalid with Python's
# message and character offset, the UTF-8 BOM, invalid UTF-8 (400),
# bodies nginx buffers to a temporary file, chunked bodies, methods other
# than POST (405), client_max_body_size (413) and levers_bulk_max_contacts
# (413).
#
# The expected 422/400 bodies were produced by running the same bytes
# through FastAPI's body handling (fastapi/routing.py: the Content-Type
# check, json.loads on the bytes, json.JSONDecodeError -> json_invalid
# with e.pos and e.msg, any other exception -> 400) and pydantic 2.13.4,
# with CPython 3.11's json module, and dumping them as Starlette's
# JSONResponse does.  They are not copied from the module's output.
#
# Locations (set by the block preprocessor unless a block has its own
# config):
#   /bulk        levers_bulk_e164 off (numbers go on as written)
#   /bulk-small  client_body_buffer_size 1k: larger bodies go to a
#                temporary file
#   /bulk-limit  client_max_body_size 1k
#   /bulk-cap    levers_bulk_max_contacts 2

use Test::Nginx::Socket 'no_plan';

no_shuffle();

our $Config = <<'_EOC_';
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }

    location = /bulk-small {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
        client_body_buffer_size 1k;
    }

    location = /bulk-limit {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
        client_max_body_size 1k;
    }

    location = /bulk-cap {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
        levers_bulk_max_contacts 2;
    }

    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }

    location = /backend {
        return 202 '{"ok":true}';
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->config) {
        $block->set_value("config", $Config);
    }

    if (!defined $block->no_error_log) {
        $block->set_value("no_error_log", "[alert]\n[crit]\n[emerg]");
    }
});

# "Sara" in Arabic: 4 characters, 8 bytes of UTF-8
our $Sara = "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9";

# A body of $n contacts, each with an Arabic first name; $tail replaces
# the final "}]}" (to break the body near its end).
sub big {
    my ($n, $tail) = @_;

    my $body = '{"contacts":[' . join(',', map {
        sprintf('{"numberToCall":"+9665%08d","firstName":"%s"}', $_, $Sara)
    } 0 .. $n - 1) . ']}';

    substr($body, -3) = $tail if defined $tail;

    return $body;
}

# A chunked request body made of @pieces, one chunk each
sub chunked {
    return join('', map { sprintf("%x\r\n%s\r\n", length $_, $_) } @_)
           . "0\r\n\r\n";
}

run_tests();

__DATA__

=== TEST 1: no body at all (no Content-Length): missing at ["body"], input null
--- request
POST /bulk
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 2: Content-Length: 0: missing at ["body"]
--- request
POST /bulk
--- more_headers
Content-Type: application/json
Content-Length: 0
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 3: no body and no Content-Type: missing at ["body"]
--- request
POST /bulk
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 4: an empty body is missing whatever its type (text/plain)
--- request
POST /bulk
--- more_headers
Content-Type: text/plain
Content-Length: 0
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 5: the body null: missing at ["body"], input null
--- request
POST /bulk
null
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 6: the body an empty array: model_attributes_type
--- request
POST /bulk
[]
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[]}]}



=== TEST 7: the body an array of contacts: model_attributes_type, input the array
--- request
POST /bulk
[{"numberToCall":"+966500000001"}]
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[{"numberToCall":"+966500000001"}]}]}



=== TEST 8: the body a string: model_attributes_type
--- request
POST /bulk
"contacts"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"contacts"}]}



=== TEST 9: the body an integer: model_attributes_type
--- request
POST /bulk
42
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":42}]}



=== TEST 10: the body a float: model_attributes_type
--- request
POST /bulk
4.5
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":4.5}]}



=== TEST 11: the body true: model_attributes_type
--- request
POST /bulk
true
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":true}]}



=== TEST 12: the body an object with an empty contacts list: 201
--- request
POST /bulk
{"contacts":[]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":0,"accepted":0,"batches":0,"calls":\[\],"skipped":\[\]\}$



=== TEST 13: invalid JSON, a bracket where a value should be: Expecting value: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",13],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 14: invalid JSON, a trailing comma in an object: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[],}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",15],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}



=== TEST 15: invalid JSON, a trailing comma in an array: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"},]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",46],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 16: invalid JSON, no colon: Expecting ':' delimiter: json_invalid with offset and message
--- request
POST /bulk
{"contacts" []}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",12],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ':' delimiter"}}]}



=== TEST 17: invalid JSON, no comma: Expecting ',' delimiter: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[] "batchSize":10}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",15],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}



=== TEST 18: invalid JSON, an unquoted key: json_invalid with offset and message
--- request
POST /bulk
{contacts:[]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",1],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}



=== TEST 19: invalid JSON, single quotes: json_invalid with offset and message
--- request
POST /bulk
{'contacts':[]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",1],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}



=== TEST 20: invalid JSON, an unterminated string: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":"+9665
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",29],"msg":"JSON decode error","input":{},"ctx":{"error":"Unterminated string starting at"}}]}



=== TEST 21: invalid JSON, an invalid escape: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966\x"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",34],"msg":"JSON decode error","input":{},"ctx":{"error":"Invalid \\escape"}}]}



=== TEST 22: invalid JSON, a short \u escape: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":"\u12"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",31],"msg":"JSON decode error","input":{},"ctx":{"error":"Invalid \\uXXXX escape"}}]}



=== TEST 23: invalid JSON, a raw tab inside a string: Invalid control character: json_invalid with offset and message
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"numberToCall\":\"+966\x09500\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",34],"msg":"JSON decode error","input":{},"ctx":{"error":"Invalid control character at"}}]}



=== TEST 24: invalid JSON, a second value: Extra data: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[]}{}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",15],"msg":"JSON decode error","input":{},"ctx":{"error":"Extra data"}}]}



=== TEST 25: invalid JSON, text after the object: Extra data: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[]} x
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",16],"msg":"JSON decode error","input":{},"ctx":{"error":"Extra data"}}]}



=== TEST 26: invalid JSON, a truncated null: json_invalid with offset and message
--- request
POST /bulk
nul
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",0],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 27: invalid JSON, a truncated true: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","x":tru}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",49],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 28: invalid JSON, a leading zero: json_invalid with offset and message
--- request
POST /bulk
{"contacts":[{"numberToCall":01}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",30],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}



=== TEST 29: invalid JSON, a truncated body: json_invalid with offset and message
--- request
POST /bulk
{"contacts":
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",12],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 30: invalid JSON only blank: Expecting value at 3
--- request eval
"POST /bulk\n" . "   "
--- more_headers
Content-Type: application/json
Content-Length: 3
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",3],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 31: invalid JSON after a newline: the offset counts the newline
--- request eval
"POST /bulk\n" . "\n{\"contacts\":[,]}"
--- more_headers
Content-Type: application/json
Content-Length: 17
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",14],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 32: invalid JSON after Arabic text: the offset counts characters, not bytes
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"firstName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\" \"numberToCall\":\"+966500000001\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",33],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}



=== TEST 33: Extra data after Arabic text: offset in characters
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"firstName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\",\"numberToCall\":\"+966500000001\"}]} \xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",67],"msg":"JSON decode error","input":{},"ctx":{"error":"Extra data"}}]}



=== TEST 34: invalid JSON after an emoji (4 bytes, one character)
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"firstName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\xf0\x9f\x98\x80\",\"numberToCall\":+966}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",49],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 35: unterminated string after Arabic text: offset of its opening quote
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"firstName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\",\"lastName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",44],"msg":"JSON decode error","input":{},"ctx":{"error":"Unterminated string starting at"}}]}



=== TEST 36: Content-Type text/plain: not parsed, model_attributes_type with the body as a string
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: text/plain
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"}]}



=== TEST 37: Content-Type text/plain with Arabic text: the body string as sent
--- request eval
"POST /bulk\n" . "{\"firstName\":\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\"}"
--- more_headers
Content-Type: text/plain; charset=utf-8
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a valid dictionary or object to extract fields from\",\"input\":\"{\\\"firstName\\\":\\\"\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9\\\"}\"}]}"



=== TEST 38: Content-Type text/json: not JSON for FastAPI
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: text/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"}]}



=== TEST 39: Content-Type application/x-www-form-urlencoded: model_attributes_type
--- request
POST /bulk
contacts=1&batchSize=10
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"contacts=1&batchSize=10"}]}



=== TEST 40: Content-Type application/jsonx: not JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/jsonx
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"}]}



=== TEST 41: Content-Type multipart/form-data: model_attributes_type
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: multipart/form-data; boundary=xyz
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"}]}



=== TEST 42: Content-Type text/plain with invalid JSON: still model_attributes_type, no json_invalid
--- request
POST /bulk
{"contacts":[
--- more_headers
Content-Type: text/plain
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"contacts\":["}]}



=== TEST 43: Content-Type application/vnd.api+json: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/vnd.api+json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 44: Content-Type application/merge-patch+json: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/merge-patch+json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 45: no Content-Type: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 46: no Content-Type and invalid JSON: json_invalid
--- request
POST /bulk
{"contacts":[}
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",13],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 47: Content-Type with a charset parameter: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 48: Content-Type in upper case: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: Application/JSON
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 49: Content-Type with spaces around the parameter: parsed as JSON
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json ; charset=UTF-8
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 50: a UTF-8 BOM before the body: dropped, as Python decodes utf-8-sig
--- request eval
"POST /bulk\n" . "\xef\xbb\xbf{\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 51: a UTF-8 BOM then invalid JSON: the BOM is not counted in the offset
--- request eval
"POST /bulk\n" . "\xef\xbb\xbf{\"contacts\":"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",12],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}



=== TEST 52: invalid UTF-8 in a string: 400, not a 422
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"numberToCall\":\"+966500000001\",\"firstName\":\"\xff\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"There was an error parsing the body"}



=== TEST 53: a truncated UTF-8 sequence: 400
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"numberToCall\":\"+966500000001\",\"firstName\":\"\xd8\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"There was an error parsing the body"}



=== TEST 54: invalid UTF-8 after a syntax error: 400 (Python decodes the whole body first)
--- request eval
"POST /bulk\n" . "{\"contacts\":[},\"x\":\"\xc3(\"}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"There was an error parsing the body"}



=== TEST 55: a 218 KB body, buffered to a temporary file (client_body_buffer_size 1k): 201
# 4000 contacts in 40 batches of 100; the first and last calls are checked.
--- request eval
"POST /bulk-small\n" . main::big(4000)
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":4000,"accepted":4000,"batches":40,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},.*,\{"index":3999,"numberToCall":"\+966500003999","batch":39\}\],"skipped":\[\]\}$
--- timeout: 20



=== TEST 56: the same body in a file with a trailing comma in the last contact: json_invalid at the character offset
--- request eval
"POST /bulk-small\n" . main::big(4000, ',}]}')
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",208012],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}
--- timeout: 20



=== TEST 57: the same body in a file with a missing closing brace at the very end: json_invalid at the character offset
--- request eval
"POST /bulk-small\n" . main::big(4000, '}]')
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",208013],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}
--- timeout: 20



=== TEST 58: the same body in a file with a missing comma near the end: json_invalid at the character offset
--- request eval
"POST /bulk-small\n" . main::big(4000, '}] "x"}')
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",208014],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}
--- timeout: 20



=== TEST 59: a body in a file with a UTF-8 BOM: 201
--- request eval
"POST /bulk-small\n\xef\xbb\xbf" . main::big(4000)
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":4000,"accepted":4000,"batches":40,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},.*,\{"index":3999,"numberToCall":"\+966500003999","batch":39\}\],"skipped":\[\]\}$
--- timeout: 20



=== TEST 60: a body in a file with invalid UTF-8 at its end: 400
--- request eval
"POST /bulk-small\n" . main::big(4000, "}]\xff}")
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"There was an error parsing the body"}
--- timeout: 20



=== TEST 61: a chunked body in 3 chunks, one cut inside a UTF-8 character: 201
--- request eval
"POST /bulk\n" . main::chunked("{\"contacts\":[{\"numberToCall\":\"+96650", "0000001\",\"firstName\":\"\xd8", "\xb3\xd8\xa7\xd8\xb1\xd8\xa9\"}]}")
--- more_headers
Content-Type: application/json
Transfer-Encoding: chunked
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 62: a chunked body with invalid JSON after Arabic text: json_invalid, offset in characters
--- request eval
"POST /bulk\n" . main::chunked("{\"contacts\":[{\"firstName\":\"\xd8\xb3\xd8\xa7", "\xd8\xb1\xd8\xa9\" \"numberToCall\":\"+966500000001\"}]}")
--- more_headers
Content-Type: application/json
Transfer-Encoding: chunked
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",33],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}



=== TEST 63: a large chunked body (64 KB chunks) buffered to a file: 201
--- request eval
"POST /bulk-small\n" . main::chunked(unpack("(a65536)*", main::big(4000)))
--- more_headers
Content-Type: application/json
Transfer-Encoding: chunked
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":4000,"accepted":4000,"batches":40,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},.*,\{"index":3999,"numberToCall":"\+966500003999","batch":39\}\],"skipped":\[\]\}$
--- timeout: 20



=== TEST 64: an empty chunked body: missing at ["body"]
--- request eval
"POST /bulk\n" . main::chunked()
--- more_headers
Content-Type: application/json
Transfer-Encoding: chunked
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}



=== TEST 65: GET: 405 with Allow: POST and a JSON detail
--- request
GET /bulk
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 66: PUT: 405 with Allow: POST and a JSON detail
--- request
PUT /bulk
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 67: DELETE: 405 with Allow: POST and a JSON detail
--- request
DELETE /bulk
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 68: PATCH: 405 with Allow: POST and a JSON detail
--- request
PATCH /bulk
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 69: OPTIONS: 405 with Allow: POST and a JSON detail
--- request
OPTIONS /bulk
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 70: PUT with a valid JSON body: still 405
--- request
PUT /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 405
--- response_headers
Content-Type: application/json
Allow: POST
--- response_body chomp
{"detail":"Method Not Allowed"}



=== TEST 71: a body over client_max_body_size: nginx's own 413
--- request eval
"POST /bulk-limit\n" . main::big(40)
--- more_headers
Content-Type: application/json
--- error_code: 413
--- error_log
client intended to send too large body



=== TEST 72: a body just under client_max_body_size: 201
--- request
POST /bulk-limit
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 73: more contacts than levers_bulk_max_contacts: 413 with a JSON detail
--- request
POST /bulk-cap
{"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Too many contacts: 3, at most 2 in one request"}



=== TEST 74: levers_bulk_max_contacts is checked before validation: 413 even for invalid contacts
--- request
POST /bulk-cap
{"contacts":[1,{},null],"batchSize":5}
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Too many contacts: 3, at most 2 in one request"}



=== TEST 74b: error_page 413 as conf-examples/levers-bulk.conf sets it: nginx's own 413 becomes JSON
--- config
    location = /bulk {
        client_max_body_size 1k;
        error_page 413 = @too_large;

        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_max_contacts 2;
    }

    location @too_large {
        default_type application/json;
        return 413 '{"detail":"Request body too large"}';
    }

    location = /gw {
        internal;
        return 202;
    }
--- request eval
"POST /bulk\n" . main::big(40)
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Request body too large"}
--- error_log
client intended to send too large body



=== TEST 74c: with that error_page, the module's own 413 keeps its detail
--- config
    location = /bulk {
        client_max_body_size 1k;
        error_page 413 = @too_large;

        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_max_contacts 2;
    }

    location @too_large {
        default_type application/json;
        return 413 '{"detail":"Request body too large"}';
    }

    location = /gw {
        internal;
        return 202;
    }
--- request
POST /bulk
{"contacts":[1,2,3]}
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Too many contacts: 3, at most 2 in one request"}



=== TEST 75: exactly levers_bulk_max_contacts contacts: 201
--- request
POST /bulk-cap
{"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":2,"accepted":2,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\},\{"index":1,"numberToCall":"\+966500000002","batch":0\}\],"skipped":\[\]\}$

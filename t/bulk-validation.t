# Request validation through nginx (contract sections 1 and 2): every
# field rule of OutboundAIPhoneCallSchemaBulk and the exact 422 body that
# FastAPI + pydantic v2 answer for it.
#
# The expected 422 bodies were produced by running the same bodies through
# FastAPI's body handling (fastapi/routing.py: json.loads, then
# TypeAdapter.validate_python(body, from_attributes=True)) with pydantic
# 2.13.4 / pydantic-core 2.46.4 and dumping {"detail": errors} as
# Starlette's JSONResponse does (compact, ensure_ascii=False).  They are
# not copied from the module's output.
#
# Errors come in the schema's order (aiSettingsTemplateId, updateExisting,
# contacts, countryCode, batchSize; in a contact: numberToCall, firstName,
# lastName, metadata, promptTags), not in the body's key order.
#
# Locations (set by the block preprocessor unless a block has its own
# config):
#   /bulk      levers_bulk_e164 off: numbers go on as written, so number
#              checks never interfere
#   /bulk-sa   numbers parsed with libphonenumber, default region SA
#   /bulk-cap  levers_bulk_max_errors 2
#   /bulk-tpl  one template, 550e8400-e29b-41d4-a716-446655440000
# The gateway is t/gateway-lib.pl's ($GatewayLog, $Gateway: /gw ->
# /backend -> /ack, 202): it logs each batch body into error.log in a
# GATEWAY-BODY line with escape=json ('"' logged as '\"').

use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/gateway-lib.pl";

our ($GatewayLog, $Gateway);

no_shuffle();

our $Config = <<'_EOC_' . $Gateway;
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }

    location = /bulk-sa {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_region SA;
    }

    location = /bulk-cap {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
        levers_bulk_max_errors 2;
    }

    location = /bulk-tpl {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/tpl.json;
    }
_EOC_

our $UserFiles = <<'_EOC_';
>>> tpl.json
{"systemPrompt":"You are a collections agent.","settings":{"voice":"f1"}}
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->config) {
        $block->set_value("http_config", $GatewayLog);
        $block->set_value("config", $Config);
        $block->set_value("user_files", $UserFiles);
    }

    if (!defined $block->no_error_log) {
        $block->set_value("no_error_log", "[alert]\n[crit]\n[emerg]");
    }
});

run_tests();

__DATA__

=== TEST 1: contacts missing: "missing", input is the whole body
--- request
POST /bulk
{"countryCode":"SA","batchSize":10}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body","contacts"],"msg":"Field required","input":{"countryCode":"SA","batchSize":10}}]}



=== TEST 2: contacts an object: list_type
--- request
POST /bulk
{"contacts":{"numberToCall":"+966500000001"}}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"list_type","loc":["body","contacts"],"msg":"Input should be a valid list","input":{"numberToCall":"+966500000001"}}]}



=== TEST 3: contacts null: list_type (the field is not Optional)
--- request
POST /bulk
{"contacts":null}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"list_type","loc":["body","contacts"],"msg":"Input should be a valid list","input":null}]}



=== TEST 4: contacts a string: list_type
--- request
POST /bulk
{"contacts":"+966500000001"}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"list_type","loc":["body","contacts"],"msg":"Input should be a valid list","input":"+966500000001"}]}



=== TEST 5: contacts an empty list: valid, nothing to call
--- request
POST /bulk
{"contacts":[]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":0,"accepted":0,"batches":0,"calls":\[\],"skipped":\[\]\}$



=== TEST 6: contacts that are not objects: model_attributes_type at each index
--- request
POST /bulk
{"contacts":[1,"x",null,[],true,{"numberToCall":"+966500000001"},{"a":1}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"model_attributes_type","loc":["body","contacts",0],"msg":"Input should be a valid dictionary or object to extract fields from","input":1},{"type":"model_attributes_type","loc":["body","contacts",1],"msg":"Input should be a valid dictionary or object to extract fields from","input":"x"},{"type":"model_attributes_type","loc":["body","contacts",2],"msg":"Input should be a valid dictionary or object to extract fields from","input":null},{"type":"model_attributes_type","loc":["body","contacts",3],"msg":"Input should be a valid dictionary or object to extract fields from","input":[]},{"type":"model_attributes_type","loc":["body","contacts",4],"msg":"Input should be a valid dictionary or object to extract fields from","input":true},{"type":"missing","loc":["body","contacts",6,"numberToCall"],"msg":"Field required","input":{"a":1}}]}



=== TEST 7: numberToCall missing: "missing", input is the contact
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"},{"firstName":"Sara","metadata":{"a":1}}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body","contacts",1,"numberToCall"],"msg":"Field required","input":{"firstName":"Sara","metadata":{"a":1}}}]}



=== TEST 8: numberToCall not a string: string_type, no int to str coercion
--- request
POST /bulk
{"contacts":[{"numberToCall":966500000001},{"numberToCall":null},{"numberToCall":true},{"numberToCall":["+966500000001"]},{"numberToCall":1.5},{"numberToCall":{}}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","contacts",0,"numberToCall"],"msg":"Input should be a valid string","input":966500000001},{"type":"string_type","loc":["body","contacts",1,"numberToCall"],"msg":"Input should be a valid string","input":null},{"type":"string_type","loc":["body","contacts",2,"numberToCall"],"msg":"Input should be a valid string","input":true},{"type":"string_type","loc":["body","contacts",3,"numberToCall"],"msg":"Input should be a valid string","input":["+966500000001"]},{"type":"string_type","loc":["body","contacts",4,"numberToCall"],"msg":"Input should be a valid string","input":1.5},{"type":"string_type","loc":["body","contacts",5,"numberToCall"],"msg":"Input should be a valid string","input":{}}]}



=== TEST 9: numberToCall empty: string_too_short, ctx min_length 1
--- request
POST /bulk
{"contacts":[{"numberToCall":""}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_too_short","loc":["body","contacts",0,"numberToCall"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}}]}



=== TEST 10: numberToCall of 101 characters: string_too_long, ctx max_length 100
--- request
POST /bulk
{"contacts":[{"numberToCall":"+9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_too_long","loc":["body","contacts",0,"numberToCall"],"msg":"String should have at most 100 characters","input":"+9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999","ctx":{"max_length":100}}]}



=== TEST 11: numberToCall of exactly 100 characters: accepted
--- request
POST /bulk
{"contacts":[{"numberToCall":"+999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999","batch":0\}\],"skipped":\[\]\}$



=== TEST 12: numberToCall of 101 Arabic letters (202 bytes): string_too_long, lengths are characters
--- request eval
"POST /bulk\n" . "{\"contacts\":[{\"numberToCall\":\"\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"string_too_long\",\"loc\":[\"body\",\"contacts\",0,\"numberToCall\"],\"msg\":\"String should have at most 100 characters\",\"input\":\"\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\",\"ctx\":{\"max_length\":100}}]}"



=== TEST 13: numberToCall of 100 Arabic letters (200 bytes): valid length, passes with levers_bulk_e164 off
--- request eval
"POST /bulk\n" . '{"contacts":[{"numberToCall":"' . ("\xd8\xa7" x 100) . '"}]}'
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"(?:\xd8\xa7){100}","batch":0\}\],"skipped":\[\]\}$



=== TEST 14: numberToCall of 100 Arabic letters with numbers parsed: only the phone number check fails
# Not a pydantic error: the module's own number check (contract 3.1),
# a value_error with ctx {"error": reason}.
--- request eval
"POST /bulk-sa\n" . "{\"contacts\":[{\"numberToCall\":\"\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"body\",\"contacts\",0,\"numberToCall\"],\"msg\":\"Value error, Invalid phone number: not a phone number\",\"input\":\"\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\xd8\xa7\",\"ctx\":{\"error\":\"Invalid phone number: not a phone number\"}}]}"



=== TEST 15: numberToCall "+966500000001" with numbers parsed: accepted
--- request
POST /bulk-sa
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 16: firstName and lastName not strings: string_type each; null accepted
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","firstName":5,"lastName":[]},{"numberToCall":"+966500000001","firstName":null,"lastName":null},{"numberToCall":"+966500000001","firstName":{},"lastName":false},{"numberToCall":"+966500000001","firstName":"Sara","lastName":1.5}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","contacts",0,"firstName"],"msg":"Input should be a valid string","input":5},{"type":"string_type","loc":["body","contacts",0,"lastName"],"msg":"Input should be a valid string","input":[]},{"type":"string_type","loc":["body","contacts",2,"firstName"],"msg":"Input should be a valid string","input":{}},{"type":"string_type","loc":["body","contacts",2,"lastName"],"msg":"Input should be a valid string","input":false},{"type":"string_type","loc":["body","contacts",3,"lastName"],"msg":"Input should be a valid string","input":1.5}]}



=== TEST 17: metadata and promptTags not objects: dict_type each; null accepted
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","metadata":"x","promptTags":[1]},{"numberToCall":"+966500000001","metadata":null,"promptTags":null},{"numberToCall":"+966500000001","metadata":5,"promptTags":true},{"numberToCall":"+966500000001","metadata":[],"promptTags":"a=b"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"dict_type","loc":["body","contacts",0,"metadata"],"msg":"Input should be a valid dictionary","input":"x"},{"type":"dict_type","loc":["body","contacts",0,"promptTags"],"msg":"Input should be a valid dictionary","input":[1]},{"type":"dict_type","loc":["body","contacts",2,"metadata"],"msg":"Input should be a valid dictionary","input":5},{"type":"dict_type","loc":["body","contacts",2,"promptTags"],"msg":"Input should be a valid dictionary","input":true},{"type":"dict_type","loc":["body","contacts",3,"metadata"],"msg":"Input should be a valid dictionary","input":[]},{"type":"dict_type","loc":["body","contacts",3,"promptTags"],"msg":"Input should be a valid dictionary","input":"a=b"}]}



=== TEST 18: firstName, lastName, metadata, promptTags of the right types: accepted
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","firstName":"Sara","lastName":"Mohammed","metadata":{"invoice":"INV-002","n":[1,{"x":null}]},"promptTags":{"amount":"3,200 SAR","n":3}}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 19: aiSettingsTemplateId a number: uuid_type
--- request
POST /bulk
{"aiSettingsTemplateId":123,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":123}]}



=== TEST 20: aiSettingsTemplateId an object: uuid_type
--- request
POST /bulk
{"aiSettingsTemplateId":{},"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":{}}]}



=== TEST 21: aiSettingsTemplateId a boolean: uuid_type
--- request
POST /bulk
{"aiSettingsTemplateId":true,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":true}]}



=== TEST 22: aiSettingsTemplateId an array: uuid_type
--- request
POST /bulk
{"aiSettingsTemplateId":["550e8400-e29b-41d4-a716-446655440000"],"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":["550e8400-e29b-41d4-a716-446655440000"]}]}



=== TEST 23: aiSettingsTemplateId too short, no hyphen: invalid length for the simple format: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"abc","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3","input":"abc","ctx":{"error":"invalid length: expected length 32 for simple format, found 3"}}]}



=== TEST 24: aiSettingsTemplateId empty: invalid length 0: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 0","input":"","ctx":{"error":"invalid length: expected length 32 for simple format, found 0"}}]}



=== TEST 25: aiSettingsTemplateId 31 hex digits: invalid length: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400e29b41d4a71644665544000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid length: expected length 32 for simple format, found 31","input":"550e8400e29b41d4a71644665544000","ctx":{"error":"invalid length: expected length 32 for simple format, found 31"}}]}



=== TEST 26: aiSettingsTemplateId 4 groups: invalid group count: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid group count: expected 5, found 4","input":"550e8400-e29b-41d4-a716","ctx":{"error":"invalid group count: expected 5, found 4"}}]}



=== TEST 27: aiSettingsTemplateId 6 groups: invalid group count: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-4466-55440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid group count: expected 5, found 6","input":"550e8400-e29b-41d4-a716-4466-55440000","ctx":{"error":"invalid group count: expected 5, found 6"}}]}



=== TEST 28: aiSettingsTemplateId group 2 of 3: invalid group length: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29-b41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid group length in group 1: expected 4, found 3","input":"550e8400-e29-b41d4-a716-446655440000","ctx":{"error":"invalid group length in group 1: expected 4, found 3"}}]}



=== TEST 29: aiSettingsTemplateId last group of 10: invalid group length in group 4: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-4466554400","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid group length in group 4: expected 12, found 10","input":"550e8400-e29b-41d4-a716-4466554400","ctx":{"error":"invalid group length in group 4: expected 12, found 10"}}]}



=== TEST 30: aiSettingsTemplateId a "g": invalid character, 1-based position: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-44665544000g","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found `g` at 36","input":"550e8400-e29b-41d4-a716-44665544000g","ctx":{"error":"invalid character: found `g` at 36"}}]}



=== TEST 31: aiSettingsTemplateId a trailing space: invalid character, not trimmed: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000 ","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found ` ` at 37","input":"550e8400-e29b-41d4-a716-446655440000 ","ctx":{"error":"invalid character: found ` ` at 37"}}]}



=== TEST 32: aiSettingsTemplateId an unclosed brace: invalid character: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"{550e8400-e29b-41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found `{` at 1","input":"{550e8400-e29b-41d4-a716-446655440000","ctx":{"error":"invalid character: found `{` at 1"}}]}



=== TEST 33: aiSettingsTemplateId urn:uuid: then a "g": invalid character: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"urn:uuid:550e8400-e29b-41d4-a716-44665544000g","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found `g` at 36","input":"urn:uuid:550e8400-e29b-41d4-a716-44665544000g","ctx":{"error":"invalid character: found `g` at 36"}}]}



=== TEST 34: aiSettingsTemplateId an upper-case URN prefix: invalid character: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"URN:UUID:550e8400-e29b-41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found `U` at 1","input":"URN:UUID:550e8400-e29b-41d4-a716-446655440000","ctx":{"error":"invalid character: found `U` at 1"}}]}



=== TEST 35: aiSettingsTemplateId braces around a "g": invalid character: uuid_parsing
--- request
POST /bulk
{"aiSettingsTemplateId":"{550e8400-e29b-41d4-a716-44665544000g}","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_parsing","loc":["body","aiSettingsTemplateId"],"msg":"Input should be a valid UUID, invalid character: found `g` at 36","input":"{550e8400-e29b-41d4-a716-44665544000g}","ctx":{"error":"invalid character: found `g` at 36"}}]}



=== TEST 36: aiSettingsTemplateId a non-ASCII character: invalid character: uuid_parsing
--- request eval
"POST /bulk\n" . "{\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-4466554400\xc3\xa9\",\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"uuid_parsing\",\"loc\":[\"body\",\"aiSettingsTemplateId\"],\"msg\":\"Input should be a valid UUID, invalid character: found `\xc3\xa9` at 35\",\"input\":\"550e8400-e29b-41d4-a716-4466554400\xc3\xa9\",\"ctx\":{\"error\":\"invalid character: found `\xc3\xa9` at 35\"}}]}"



=== TEST 37: aiSettingsTemplateId hyphenated names the configured template: 201, sent on lower-case hyphenated
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\"
You are a collections agent.



=== TEST 38: aiSettingsTemplateId upper case names the configured template: 201, sent on lower-case hyphenated
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"550E8400-E29B-41D4-A716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\"
You are a collections agent.



=== TEST 39: aiSettingsTemplateId 32 hex digits names the configured template: 201, sent on lower-case hyphenated
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"550e8400e29b41d4a716446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\"
You are a collections agent.



=== TEST 40: aiSettingsTemplateId in braces names the configured template: 201, sent on lower-case hyphenated
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"{550e8400-e29b-41d4-a716-446655440000}","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\"
You are a collections agent.



=== TEST 41: aiSettingsTemplateId urn:uuid: prefix, upper-case digits names the configured template: 201, sent on lower-case hyphenated
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"urn:uuid:550E8400-E29B-41D4-A716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":\"550e8400-e29b-41d4-a716-446655440000\"
You are a collections agent.



=== TEST 42: aiSettingsTemplateId 32 upper-case hex digits, valid but no template configured: 404
--- request
POST /bulk
{"aiSettingsTemplateId":"550E8400E29B41D4A716446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 404
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"AI settings template not found"}



=== TEST 43: aiSettingsTemplateId urn:uuid: prefix, valid but no template configured: 404
--- request
POST /bulk
{"aiSettingsTemplateId":"urn:uuid:550e8400-e29b-41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 404
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"AI settings template not found"}



=== TEST 44: aiSettingsTemplateId of another id than the configured one: 404
--- request
POST /bulk-tpl
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440001","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 404
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"AI settings template not found"}



=== TEST 45: aiSettingsTemplateId null: no template, accepted
--- request
POST /bulk
{"aiSettingsTemplateId":null,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"aiSettingsTemplateId\":null



=== TEST 46: updateExisting true: accepted as true
--- request
POST /bulk
{"updateExisting":true,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 47: updateExisting "yes": accepted as true
--- request
POST /bulk
{"updateExisting":"yes","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 48: updateExisting "ON": accepted as true
--- request
POST /bulk
{"updateExisting":"ON","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 49: updateExisting "t": accepted as true
--- request
POST /bulk
{"updateExisting":"t","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 50: updateExisting "Y": accepted as true
--- request
POST /bulk
{"updateExisting":"Y","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 51: updateExisting "1": accepted as true
--- request
POST /bulk
{"updateExisting":"1","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 52: updateExisting 1: accepted as true
--- request
POST /bulk
{"updateExisting":1,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 53: updateExisting 1.0: accepted as true
--- request
POST /bulk
{"updateExisting":1.0,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 54: updateExisting "TrUe": accepted as true
--- request
POST /bulk
{"updateExisting":"TrUe","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":true,



=== TEST 55: updateExisting false: accepted as false
--- request
POST /bulk
{"updateExisting":false,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 56: updateExisting "no": accepted as false
--- request
POST /bulk
{"updateExisting":"no","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 57: updateExisting "Off": accepted as false
--- request
POST /bulk
{"updateExisting":"Off","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 58: updateExisting "f": accepted as false
--- request
POST /bulk
{"updateExisting":"f","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 59: updateExisting "n": accepted as false
--- request
POST /bulk
{"updateExisting":"n","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 60: updateExisting "0": accepted as false
--- request
POST /bulk
{"updateExisting":"0","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 61: updateExisting 0: accepted as false
--- request
POST /bulk
{"updateExisting":0,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 62: updateExisting 0.0: accepted as false
--- request
POST /bulk
{"updateExisting":0.0,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 63: updateExisting "FALSE": accepted as false
--- request
POST /bulk
{"updateExisting":"FALSE","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 64: updateExisting absent: false
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$
--- error_log
\"updateExisting\":false,



=== TEST 65: updateExisting another string: bool_parsing
--- request
POST /bulk
{"updateExisting":"maybe","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}



=== TEST 66: updateExisting a string with a space (not trimmed): bool_parsing
--- request
POST /bulk
{"updateExisting":" true","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":" true"}]}



=== TEST 67: updateExisting an empty string: bool_parsing
--- request
POST /bulk
{"updateExisting":"","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":""}]}



=== TEST 68: updateExisting the string "2": bool_parsing
--- request
POST /bulk
{"updateExisting":"2","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":"2"}]}



=== TEST 69: updateExisting the integer 2: bool_parsing
--- request
POST /bulk
{"updateExisting":2,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":2}]}



=== TEST 70: updateExisting the integer -1: bool_parsing
--- request
POST /bulk
{"updateExisting":-1,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":-1}]}



=== TEST 71: updateExisting the float 2.0: bool_parsing
--- request
POST /bulk
{"updateExisting":2.0,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":2.0}]}



=== TEST 72: updateExisting null (the field is not Optional): bool_type
--- request
POST /bulk
{"updateExisting":null,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_type","loc":["body","updateExisting"],"msg":"Input should be a valid boolean","input":null}]}



=== TEST 73: updateExisting an array: bool_type
--- request
POST /bulk
{"updateExisting":[],"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_type","loc":["body","updateExisting"],"msg":"Input should be a valid boolean","input":[]}]}



=== TEST 74: updateExisting an object: bool_type
--- request
POST /bulk
{"updateExisting":{},"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_type","loc":["body","updateExisting"],"msg":"Input should be a valid boolean","input":{}}]}



=== TEST 75: updateExisting a fractional float: bool_type
--- request
POST /bulk
{"updateExisting":0.5,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"bool_type","loc":["body","updateExisting"],"msg":"Input should be a valid boolean","input":0.5}]}



=== TEST 76: countryCode of 1 character: string_too_short, ctx min_length 2
--- request
POST /bulk
{"countryCode":"S","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_too_short","loc":["body","countryCode"],"msg":"String should have at least 2 characters","input":"S","ctx":{"min_length":2}}]}



=== TEST 77: countryCode empty: string_too_short
--- request
POST /bulk
{"countryCode":"","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_too_short","loc":["body","countryCode"],"msg":"String should have at least 2 characters","input":"","ctx":{"min_length":2}}]}



=== TEST 78: countryCode of 3 characters: string_too_long, ctx max_length 2
--- request
POST /bulk
{"countryCode":"SAU","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_too_long","loc":["body","countryCode"],"msg":"String should have at most 2 characters","input":"SAU","ctx":{"max_length":2}}]}



=== TEST 79: countryCode in lower case: string_pattern_mismatch
--- request
POST /bulk
{"countryCode":"sa","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_pattern_mismatch","loc":["body","countryCode"],"msg":"String should match pattern '^[A-Z]{2}$'","input":"sa","ctx":{"pattern":"^[A-Z]{2}$"}}]}



=== TEST 80: countryCode with a digit: string_pattern_mismatch
--- request
POST /bulk
{"countryCode":"S1","contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_pattern_mismatch","loc":["body","countryCode"],"msg":"String should match pattern '^[A-Z]{2}$'","input":"S1","ctx":{"pattern":"^[A-Z]{2}$"}}]}



=== TEST 81: countryCode of 2 non-ASCII letters (4 bytes): string_pattern_mismatch, not too long
--- request eval
"POST /bulk\n" . "{\"countryCode\":\"\xc3\x89\xc3\x89\",\"contacts\":[{\"numberToCall\":\"+966500000001\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"string_pattern_mismatch\",\"loc\":[\"body\",\"countryCode\"],\"msg\":\"String should match pattern '^[A-Z]{2}\$'\",\"input\":\"\xc3\x89\xc3\x89\",\"ctx\":{\"pattern\":\"^[A-Z]{2}\$\"}}]}"



=== TEST 82: countryCode a number: string_type
--- request
POST /bulk
{"countryCode":12,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","countryCode"],"msg":"Input should be a valid string","input":12}]}



=== TEST 83: countryCode an array: string_type
--- request
POST /bulk
{"countryCode":["SA"],"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","countryCode"],"msg":"Input should be a valid string","input":["SA"]}]}



=== TEST 84: countryCode null: accepted
--- request
POST /bulk
{"countryCode":null,"contacts":[{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 85: countryCode "SA" with numbers parsed: a local number becomes E.164
--- request
POST /bulk-sa
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 86: batchSize the integer 10: 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":10,"contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 87: batchSize the integral float 10.0: 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":10.0,"contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 88: batchSize the string "10": 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":"10","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 89: batchSize the string " 10 " (trimmed): 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":" 10 ","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 90: batchSize the string "+10": 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":"+10","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 91: batchSize the string "010": 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":"010","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 92: batchSize the string "1_0": 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":"1_0","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 93: batchSize the string "10.00": 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":"10.00","contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 94: batchSize the float 1e1: 25 contacts in 3 batches of 10
--- request
POST /bulk
{"batchSize":1e1,"contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":3,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":1\},\{"index":11,"numberToCall":"\+966500000011","batch":1\},\{"index":12,"numberToCall":"\+966500000012","batch":1\},\{"index":13,"numberToCall":"\+966500000013","batch":1\},\{"index":14,"numberToCall":"\+966500000014","batch":1\},\{"index":15,"numberToCall":"\+966500000015","batch":1\},\{"index":16,"numberToCall":"\+966500000016","batch":1\},\{"index":17,"numberToCall":"\+966500000017","batch":1\},\{"index":18,"numberToCall":"\+966500000018","batch":1\},\{"index":19,"numberToCall":"\+966500000019","batch":1\},\{"index":20,"numberToCall":"\+966500000020","batch":2\},\{"index":21,"numberToCall":"\+966500000021","batch":2\},\{"index":22,"numberToCall":"\+966500000022","batch":2\},\{"index":23,"numberToCall":"\+966500000023","batch":2\},\{"index":24,"numberToCall":"\+966500000024","batch":2\}\],"skipped":\[\]\}$



=== TEST 95: batchSize null: the location default (100), one batch
--- request
POST /bulk
{"batchSize":null,"contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"},{"numberToCall":"+966500000004"},{"numberToCall":"+966500000005"},{"numberToCall":"+966500000006"},{"numberToCall":"+966500000007"},{"numberToCall":"+966500000008"},{"numberToCall":"+966500000009"},{"numberToCall":"+966500000010"},{"numberToCall":"+966500000011"},{"numberToCall":"+966500000012"},{"numberToCall":"+966500000013"},{"numberToCall":"+966500000014"},{"numberToCall":"+966500000015"},{"numberToCall":"+966500000016"},{"numberToCall":"+966500000017"},{"numberToCall":"+966500000018"},{"numberToCall":"+966500000019"},{"numberToCall":"+966500000020"},{"numberToCall":"+966500000021"},{"numberToCall":"+966500000022"},{"numberToCall":"+966500000023"},{"numberToCall":"+966500000024"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":25,"accepted":25,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\},\{"index":2,"numberToCall":"\+966500000002","batch":0\},\{"index":3,"numberToCall":"\+966500000003","batch":0\},\{"index":4,"numberToCall":"\+966500000004","batch":0\},\{"index":5,"numberToCall":"\+966500000005","batch":0\},\{"index":6,"numberToCall":"\+966500000006","batch":0\},\{"index":7,"numberToCall":"\+966500000007","batch":0\},\{"index":8,"numberToCall":"\+966500000008","batch":0\},\{"index":9,"numberToCall":"\+966500000009","batch":0\},\{"index":10,"numberToCall":"\+966500000010","batch":0\},\{"index":11,"numberToCall":"\+966500000011","batch":0\},\{"index":12,"numberToCall":"\+966500000012","batch":0\},\{"index":13,"numberToCall":"\+966500000013","batch":0\},\{"index":14,"numberToCall":"\+966500000014","batch":0\},\{"index":15,"numberToCall":"\+966500000015","batch":0\},\{"index":16,"numberToCall":"\+966500000016","batch":0\},\{"index":17,"numberToCall":"\+966500000017","batch":0\},\{"index":18,"numberToCall":"\+966500000018","batch":0\},\{"index":19,"numberToCall":"\+966500000019","batch":0\},\{"index":20,"numberToCall":"\+966500000020","batch":0\},\{"index":21,"numberToCall":"\+966500000021","batch":0\},\{"index":22,"numberToCall":"\+966500000022","batch":0\},\{"index":23,"numberToCall":"\+966500000023","batch":0\},\{"index":24,"numberToCall":"\+966500000024","batch":0\}\],"skipped":\[\]\}$



=== TEST 96: batchSize 1000: accepted
--- request
POST /bulk
{"batchSize":1000,"contacts":[{"numberToCall":"+966500000000"},{"numberToCall":"+966500000001"}]}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":2,"accepted":2,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000000","batch":0\},\{"index":1,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 97: batchSize true: read as 1, then greater_than_equal (input stays true)
--- request
POST /bulk
{"batchSize":true,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":true,"ctx":{"ge":10}}]}



=== TEST 98: batchSize false: read as 0, then greater_than_equal
--- request
POST /bulk
{"batchSize":false,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":false,"ctx":{"ge":10}}]}



=== TEST 99: batchSize 9: greater_than_equal, ctx ge 10
--- request
POST /bulk
{"batchSize":9,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":9,"ctx":{"ge":10}}]}



=== TEST 100: batchSize -5: greater_than_equal
--- request
POST /bulk
{"batchSize":-5,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":-5,"ctx":{"ge":10}}]}



=== TEST 101: batchSize "9": greater_than_equal, input stays the string
--- request
POST /bulk
{"batchSize":"9","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":"9","ctx":{"ge":10}}]}



=== TEST 102: batchSize 1001: less_than_equal, ctx le 1000
--- request
POST /bulk
{"batchSize":1001,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"less_than_equal","loc":["body","batchSize"],"msg":"Input should be less than or equal to 1000","input":1001,"ctx":{"le":1000}}]}



=== TEST 103: batchSize 1001.0: less_than_equal
--- request
POST /bulk
{"batchSize":1001.0,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"less_than_equal","loc":["body","batchSize"],"msg":"Input should be less than or equal to 1000","input":1001.0,"ctx":{"le":1000}}]}



=== TEST 104: batchSize "1_001": less_than_equal
--- request
POST /bulk
{"batchSize":"1_001","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"less_than_equal","loc":["body","batchSize"],"msg":"Input should be less than or equal to 1000","input":"1_001","ctx":{"le":1000}}]}



=== TEST 105: batchSize 50.5: int_from_float
--- request
POST /bulk
{"batchSize":50.5,"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_from_float","loc":["body","batchSize"],"msg":"Input should be a valid integer, got a number with a fractional part","input":50.5}]}



=== TEST 106: batchSize "abc": int_parsing
--- request
POST /bulk
{"batchSize":"abc","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_parsing","loc":["body","batchSize"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}



=== TEST 107: batchSize "50.5": int_parsing
--- request
POST /bulk
{"batchSize":"50.5","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_parsing","loc":["body","batchSize"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"50.5"}]}



=== TEST 108: batchSize "5e1": int_parsing
--- request
POST /bulk
{"batchSize":"5e1","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_parsing","loc":["body","batchSize"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"5e1"}]}



=== TEST 109: batchSize "0x32": int_parsing
--- request
POST /bulk
{"batchSize":"0x32","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_parsing","loc":["body","batchSize"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"0x32"}]}



=== TEST 110: batchSize the empty string: int_parsing
--- request
POST /bulk
{"batchSize":"","contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_parsing","loc":["body","batchSize"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":""}]}



=== TEST 111: batchSize Arabic-Indic digits: int_parsing
--- request eval
"POST /bulk\n" . "{\"batchSize\":\"\xd9\xa5\xd9\xa0\",\"contacts\":[{\"numberToCall\":\"+966500000000\"}]}"
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
"{\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"body\",\"batchSize\"],\"msg\":\"Input should be a valid integer, unable to parse string as an integer\",\"input\":\"\xd9\xa5\xd9\xa0\"}]}"



=== TEST 112: batchSize an array: int_type
--- request
POST /bulk
{"batchSize":[],"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_type","loc":["body","batchSize"],"msg":"Input should be a valid integer","input":[]}]}



=== TEST 113: batchSize an object: int_type
--- request
POST /bulk
{"batchSize":{},"contacts":[{"numberToCall":"+966500000000"}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"int_type","loc":["body","batchSize"],"msg":"Input should be a valid integer","input":{}}]}



=== TEST 114: unknown fields are ignored at every level
--- request
POST /bulk
{"foo":1,"contacts":[{"numberToCall":"+966500000001","email":"a@b.c","metadata":{"deep":{"x":[1,2]}},"promptTags":{"k":"v"},"extra":{"numberToCall":5}}],"nested":{"contacts":5},"batchsize":"x","CONTACTS":null}
--- more_headers
Content-Type: application/json
--- error_code: 201
--- response_headers
Content-Type: application/json
--- response_body_like: ^\{"bulkId":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}","total":1,"accepted":1,"batches":1,"calls":\[\{"index":0,"numberToCall":"\+966500000001","batch":0\}\],"skipped":\[\]\}$



=== TEST 115: unknown fields never hide errors: unknown keys next to bad ones
--- request
POST /bulk
{"foo":[],"contacts":[{"numberToCall":5,"bar":1}],"baz":null}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","contacts",0,"numberToCall"],"msg":"Input should be a valid string","input":5}]}



=== TEST 116: several errors at once, listed in schema order whatever the key order
--- request
POST /bulk
{"batchSize":5,"countryCode":"s","contacts":[{"promptTags":5,"metadata":4,"lastName":3,"firstName":2,"numberToCall":1},7,{},{"numberToCall":""}],"updateExisting":"x","aiSettingsTemplateId":1}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":1},{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":"x"},{"type":"string_type","loc":["body","contacts",0,"numberToCall"],"msg":"Input should be a valid string","input":1},{"type":"string_type","loc":["body","contacts",0,"firstName"],"msg":"Input should be a valid string","input":2},{"type":"string_type","loc":["body","contacts",0,"lastName"],"msg":"Input should be a valid string","input":3},{"type":"dict_type","loc":["body","contacts",0,"metadata"],"msg":"Input should be a valid dictionary","input":4},{"type":"dict_type","loc":["body","contacts",0,"promptTags"],"msg":"Input should be a valid dictionary","input":5},{"type":"model_attributes_type","loc":["body","contacts",1],"msg":"Input should be a valid dictionary or object to extract fields from","input":7},{"type":"missing","loc":["body","contacts",2,"numberToCall"],"msg":"Field required","input":{}},{"type":"string_too_short","loc":["body","contacts",3,"numberToCall"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"string_too_short","loc":["body","countryCode"],"msg":"String should have at least 2 characters","input":"s","ctx":{"min_length":2}},{"type":"greater_than_equal","loc":["body","batchSize"],"msg":"Input should be greater than or equal to 10","input":5,"ctx":{"ge":10}}]}



=== TEST 117: errors across many contacts, in index order
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":1},{"numberToCall":"+966500000001"},{"firstName":"Sara"},{"numberToCall":"+966500000001","metadata":[]},null]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"string_type","loc":["body","contacts",1,"numberToCall"],"msg":"Input should be a valid string","input":1},{"type":"missing","loc":["body","contacts",3,"numberToCall"],"msg":"Field required","input":{"firstName":"Sara"}},{"type":"dict_type","loc":["body","contacts",4,"metadata"],"msg":"Input should be a valid dictionary","input":[]},{"type":"model_attributes_type","loc":["body","contacts",5],"msg":"Input should be a valid dictionary or object to extract fields from","input":null}]}



=== TEST 118: levers_bulk_max_errors 2: detail ends after two errors
--- request
POST /bulk-cap
{"batchSize":5,"countryCode":"s","contacts":[{"numberToCall":1},7,{}],"updateExisting":"x","aiSettingsTemplateId":1}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"uuid_type","loc":["body","aiSettingsTemplateId"],"msg":"UUID input should be a string, bytes or UUID object","input":1},{"type":"bool_parsing","loc":["body","updateExisting"],"msg":"Input should be a valid boolean, unable to interpret input","input":"x"}]}



=== TEST 119: levers_bulk_max_errors 2 with one error: the error is listed
--- request
POST /bulk-cap
{"contacts":[{}]}
--- more_headers
Content-Type: application/json
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"missing","loc":["body","contacts",0,"numberToCall"],"msg":"Field required","input":{}}]}

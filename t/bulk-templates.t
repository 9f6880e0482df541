# AI settings templates and prompt tags through nginx (contract 3.3, 3.4,
# 6; issue 4): levers_bulk_template selected by aiSettingsTemplateId,
# levers_bulk_default_template, unknown ids, rendering of {{key}}
# placeholders, levers_bulk_missing_tag, and the gateway payload fields
# that carry prompts, settings, tags and metadata.
#
# Template files are written with user_files into the html dir and named
# ../html/NAME.json (relative paths are relative to the conf dir).
#
# What the gateway received is checked with gw() of t/gateway-lib.pl
# (the GATEWAY-BODY line, BULKID, and pieces that are JSON text or, as
# references, string values in any valid JSON spelling: see there).  The
# file is read as bytes: non-ASCII text in it is UTF-8.

use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/gateway-lib.pl";

our $SeedPrompt;


# the body of batch $bi of 2 in TEST 28: the seed's template rendered for
# the contacts @indexes, whose tags are amount "N00 SAR", due_date "day N"

sub seed_batch {
    my ($bi, @indexes) = @_;
    my @pieces;

    for my $i (@indexes) {
        my %tags = (amount => $i * 100 . ' SAR', due_date => "day $i");
        (my $prompt = $SeedPrompt) =~ s/\{\{(\w+)\}\}/$tags{$1}/g;

        push @pieces, ($i == $indexes[0] ? '' : ',')
            . sprintf('{"index":%d,"numberToCall":"+9665000000%02d",'
                      . '"firstName":null,"lastName":null,"systemPrompt":',
                      $i, $i),
            \$prompt,
            ',"promptTags":{"amount":"' . $tags{amount} . '",'
            . '"due_date":"' . $tags{due_date} . '"},"requestMetadata":null}';
    }

    return '{"bulkId":"BULKID","batch":{"index":' . $bi . ',"count":2},'
           . '"aiSettingsTemplateId":null,"updateExisting":false,'
           . '"settings":{},"calls":[', @pieces, ']}';
}


# a "missing" error for promptTags key $key of contact $i

sub missing_tag {
    my ($i, $key, $input) = @_;

    return '{"type":"missing","loc":["body","contacts",' . $i
           . ',"promptTags","' . $key . '"],"msg":"Field required",'
           . '"input":' . $input . '}';
}


no_shuffle();

# every block: the gateway, and no [alert], [crit], [emerg] besides its
# own checks
add_block_preprocessor(sub { gateway_block(@_) });

run_tests();

__DATA__

=== TEST 1: aiSettingsTemplateId selects the template: prompts and settings
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
        levers_bulk_template 6f1c2d3e-0000-4000-8000-000000000001
                             ../html/other.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}} by {{due_date}}.",
 "knowledgeBase": "Invoice {{amount}}; three instalments at most.",
 "settings": {"voice": "female-1", "language": "ar-SA",
              "maxDurationSeconds": 300}}
>>> other.json
{"systemPrompt": "Other template.", "settings": {"voice": "male-2"}}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000001",
 "promptTags":{"amount":"5,000 SAR","due_date":"January 15, 2026"}}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000',
        '{"voice":"female-1","language":"ar-SA","maxDurationSeconds":300}')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,'
    . '"systemPrompt":"Owes 5,000 SAR by January 15, 2026.",'
    . '"knowledgeBase":"Invoice 5,000 SAR; three instalments at most.",'
    . '"promptTags":{"amount":"5,000 SAR","due_date":"January 15, 2026"},'
    . '"requestMetadata":null}]}')



=== TEST 2: the other template by its id
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
        levers_bulk_template 6f1c2d3e-0000-4000-8000-000000000001
                             ../html/other.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
>>> other.json
{"systemPrompt": "Other template.", "settings": {"voice": "male-2"}}
--- request
POST /bulk
{"aiSettingsTemplateId":"6f1c2d3e-0000-4000-8000-000000000001",
 "contacts":[{"numberToCall":"+966500000001"}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('6f1c2d3e-0000-4000-8000-000000000001',
                           '{"voice":"male-2"}')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Other template.",'
    . '"promptTags":null,"requestMetadata":null}]}')



=== TEST 3: id in upper case selects the template, sent on normalised
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"550E8400-E29B-41D4-A716-446655440000",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 4: id as 32 hex digits without hyphens
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400e29b41d4a716446655440000",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 5: id with the urn:uuid: prefix
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"urn:uuid:550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 6: id in braces, mixed case
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"{550e8400-E29B-41d4-a716-446655440000}",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 7: no aiSettingsTemplateId: the default template
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
        levers_bulk_default_template ../html/default.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
>>> default.json
{"systemPrompt": "Hello {{name}}, a friendly call.",
 "settings": {"voice": "neutral-1"}}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"name":"Sara"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef, '{"voice":"neutral-1"}')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Hello Sara, a friendly call.",'
    . '"promptTags":{"name":"Sara"},"requestMetadata":null}]}')



=== TEST 8: aiSettingsTemplateId null: the default template
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/default.json;
    }
--- user_files
>>> default.json
{"systemPrompt": "Hello {{name}}, a friendly call."}
--- request
POST /bulk
{"aiSettingsTemplateId":null,
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"name":"Sara"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Hello Sara, a friendly call.",'
    . '"promptTags":{"name":"Sara"},"requestMetadata":null}]}')



=== TEST 9: an id given wins over the default template
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
        levers_bulk_default_template ../html/default.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
>>> default.json
{"systemPrompt": "Default.", "settings": {"voice": "neutral-1"}}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 10: an id naming no template: 404, nothing sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/collections.json;
        levers_bulk_default_template ../html/collections.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440001",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 404
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"AI settings template not found"}
--- no_error_log
GATEWAY-BODY



=== TEST 11: an id where no template is configured at all: 404
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000001"}]}
--- error_code: 404
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"AI settings template not found"}
--- no_error_log
GATEWAY-BODY



=== TEST 12: no template at all: no prompts, settings {}
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"promptTags":{"amount":"7"},'
    . '"requestMetadata":null}]}')



=== TEST 13: templates configured at server level serve the location
--- config
    levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                         ../html/collections.json;

    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }

    location = /bulk-own {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 6f1c2d3e-0000-4000-8000-000000000001
                             ../html/other.json;
    }
--- user_files
>>> collections.json
{"systemPrompt": "Owes {{amount}}."}
>>> other.json
{"systemPrompt": "Other template."}
--- request eval
["POST /bulk\n"
 . '{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",'
 . '"contacts":[{"numberToCall":"+966500000001",'
 . '"promptTags":{"amount":"7"}}]}',
 "POST /bulk-own\n"
 . '{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",'
 . '"contacts":[{"numberToCall":"+966500000001"}]}']
--- error_code eval
[201, 404]
--- response_body_like eval
['"accepted":1', '^\{"detail":"AI settings template not found"\}$']



=== TEST 14: the seed page's example request, rendered as the seed shows
--- config
    location = /api-service/v1/ai/phone-calls/action/call-bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/seed.json;
    }
--- user_files eval
[['seed.json',
  '{"systemPrompt": "You are a collections agent. The customer owes '
  . '{{amount}} due by {{due_date}}.\nBe professional and offer payment '
  . 'plan options if the customer cannot pay in full."}' . "\n"]]
--- request
POST /api-service/v1/ai/phone-calls/action/call-bulk
{
  "aiSettingsTemplateId": "550e8400-e29b-41d4-a716-446655440000",
  "countryCode": "SA",
  "updateExisting": true,
  "batchSize": 50,
  "contacts": [
    {
      "numberToCall": "+966500000001",
      "firstName": "Ahmed",
      "lastName": "Al-Rashid",
      "metadata": {
        "invoiceNumber": "INV-001",
        "amount": "5000.00"
      },
      "promptTags": {
        "amount": "5,000 SAR",
        "due_date": "January 15, 2026"
      }
    },
    {
      "numberToCall": "+966500000002",
      "firstName": "Sara",
      "lastName": "Mohammed",
      "metadata": {
        "invoiceNumber": "INV-002",
        "amount": "3200.00"
      },
      "promptTags": {
        "amount": "3,200 SAR",
        "due_date": "January 20, 2026"
      }
    }
  ]
}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0},'
    . '{"index":1,"numberToCall":"+966500000002","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw('0/1', '{"bulkId":"BULKID","batch":{"index":0,"count":1},'
    . '"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",'
    . '"updateExisting":true,"settings":{},"calls":['
    . '{"index":0,"numberToCall":"+966500000001","firstName":"Ahmed",'
    . '"lastName":"Al-Rashid","systemPrompt":', \$main::SeedAhmed,
    ',"promptTags":{"amount":"5,000 SAR","due_date":"January 15, 2026"},'
    . '"requestMetadata":{"invoiceNumber":"INV-001","amount":"5000.00"}},'
    . '{"index":1,"numberToCall":"+966500000002","firstName":"Sara",'
    . '"lastName":"Mohammed","systemPrompt":', \$main::SeedSara,
    ',"promptTags":{"amount":"3,200 SAR","due_date":"January 20, 2026"},'
    . '"requestMetadata":{"invoiceNumber":"INV-002","amount":"3200.00"}}'
    . ']}')



=== TEST 15: {{ key }} with spaces and tabs inside the braces
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/spaces.json;
    }
--- user_files
>>> spaces.json
{"systemPrompt": "[{{ amount }}][{{amount  }}][{{\tdue_date\t}}][{{due_date}}]",
 "knowledgeBase": "{{   amount}}"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001",
 "promptTags":{"amount":"5,000 SAR","due_date":"Jan 15"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,'
    . '"systemPrompt":"[5,000 SAR][5,000 SAR][Jan 15][Jan 15]",'
    . '"knowledgeBase":"5,000 SAR",'
    . '"promptTags":{"amount":"5,000 SAR","due_date":"Jan 15"},'
    . '"requestMetadata":null}]}')



=== TEST 16: numbers, booleans, objects and arrays as compact JSON, null empty
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/values.json;
    }
--- user_files
>>> values.json
{"systemPrompt": "f={{f}} g={{g}} i={{i}} n={{n}} t={{t}} u={{u}} z={{z}}|",
 "knowledgeBase": "o={{o}} a={{a}} e={{e}}|"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":{
 "f": 1.5, "g": 100.0, "i": 42, "n": -7, "t": true, "u": false,
 "z": null, "o": {"k": "v", "n": [1, 2.5, null]}, "a": [1, "x", true],
 "e": ""}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,'
    . '"systemPrompt":"f=1.5 g=100.0 i=42 n=-7 t=true u=false z=|",'
    . '"knowledgeBase":',
    \'o={"k":"v","n":[1,2.5,null]} a=[1,"x",true] e=|',
    ',"promptTags":{"f":1.5,"g":100.0,"i":42,"n":-7,"t":true,"u":false,'
    . '"z":null,"o":{"k":"v","n":[1,2.5,null]},"a":[1,"x",true],'
    . '"e":""},"requestMetadata":null}]}')



=== TEST 17: single pass: a value holding {{x}} stays literal
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/single.json;
    }
--- user_files
>>> single.json
{"systemPrompt": "Owes {{amount}} by {{due_date}}; {{amount}} again."}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001",
 "promptTags":{"amount":"{{amount}} and {{due_date}}","due_date":"{{ x }}"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes {{amount}} and {{due_date}} '
    . 'by {{ x }}; {{amount}} and {{due_date}} again.",'
    . '"promptTags":{"amount":"{{amount}} and {{due_date}}",'
    . '"due_date":"{{ x }}"},"requestMetadata":null}]}')



=== TEST 18: missing tags: 422 "missing" per contact and key, nothing sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}} by {{ due_date }}, {{amount}}.",
 "knowledgeBase": "Plan: {{plan}}."}
--- request
POST /bulk
{"contacts":[
 {"numberToCall":"+966500000001",
  "promptTags":{"amount":"1","due_date":"2","plan":"3"}},
 {"numberToCall":"+966500000002","promptTags":{"amount":"1","extra":true}},
 {"numberToCall":"+966500000003","promptTags":{}},
 {"numberToCall":"+966500000004",
  "promptTags":{"due_date":"2","plan":null,"amount":0}}]}
--- error_code: 422
--- response_body eval
'{"detail":['
. main::missing_tag(1, 'due_date', '{"amount":"1","extra":true}') . ','
. main::missing_tag(1, 'plan', '{"amount":"1","extra":true}') . ','
. main::missing_tag(2, 'amount', '{}') . ','
. main::missing_tag(2, 'due_date', '{}') . ','
. main::missing_tag(2, 'plan', '{}')
. ']}'
--- no_error_log
GATEWAY-BODY



=== TEST 19: missing tags with promptTags null or absent: input null
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":null},
 {"numberToCall":"+966500000002"}]}
--- error_code: 422
--- response_body eval
'{"detail":[' . main::missing_tag(0, 'amount', 'null') . ','
. main::missing_tag(1, 'amount', 'null') . ']}'
--- no_error_log
GATEWAY-BODY



=== TEST 20: levers_bulk_missing_tag keep: placeholders stay as written
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
        levers_bulk_missing_tag keep;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}} by {{ due_date }}.",
 "knowledgeBase": "Plan: {{plan  }}."}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7 by {{ due_date }}.",'
    . '"knowledgeBase":"Plan: {{plan  }}.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 21: levers_bulk_missing_tag empty: placeholders render nothing
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
        levers_bulk_missing_tag empty;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}} by {{ due_date }}.",
 "knowledgeBase": "Plan: {{plan  }}."}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes  by .",'
    . '"knowledgeBase":"Plan: .",'
    . '"promptTags":null,"requestMetadata":null}]}')



=== TEST 22: knowledgeBase is rendered where the template has one
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/with.json;
    }
--- user_files
>>> with.json
{"systemPrompt": "S {{a}}", "knowledgeBase": "K {{a}}"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"a":"1"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"S 1","knowledgeBase":"K 1",'
    . '"promptTags":{"a":"1"},"requestMetadata":null}]}')



=== TEST 23: no knowledgeBase in the calls where the template has none
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/without.json;
    }
--- user_files
>>> without.json
{"systemPrompt": "T {{a}}", "knowledgeBase": null}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000002","promptTags":{"a":"2"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000002","firstName":null,'
    . '"lastName":null,"systemPrompt":"T 2",'
    . '"promptTags":{"a":"2"},"requestMetadata":null}]}')
--- no_error_log
knowledgeBase



=== TEST 24: settings are passed through as they are, in every batch
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/settings.json;
    }
--- user_files
>>> settings.json
{"systemPrompt": "Hi.",
 "settings": {"voice": "female-1", "speed": 1.25, "maxDurationSeconds": 300,
              "interrupt": false, "fallback": null,
              "languages": ["ar-SA", "en-US"],
              "nested": {"z": 1, "a": {"deep": [[], {}]}},
              "greeting": "مرحبا \"أهلاً\" 👋"}}
--- request eval
"POST /bulk\n" . main::contacts('"batchSize":10', 0, 10)
--- error_code: 201
--- error_log eval
my $settings = '{"voice":"female-1","speed":1.25,"maxDurationSeconds":300,'
    . '"interrupt":false,"fallback":null,"languages":["ar-SA","en-US"],'
    . '"nested":{"z":1,"a":{"deep":[[],{}]}},"greeting":';
my $greeting = "مرحبا \"أهلاً\" 👋";
[map {
    my ($bi, $first) = @$_;
    main::gw_start("$bi/2",
        '{"bulkId":"BULKID","batch":{"index":' . $bi . ',"count":2},'
        . '"aiSettingsTemplateId":null,"updateExisting":false,"settings":'
        . $settings, \$greeting, '},"calls":[{"index":' . $first
        . ',"numberToCall":"+9665000000' . sprintf('%02d', $first) . '",')
} [0, 0], [1, 10]]



=== TEST 25: quotes, backslashes, control characters, </script>, Arabic, emoji
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/text.json;
    }
--- user_files
>>> text.json
{"systemPrompt": "<{{t}}>", "knowledgeBase": "name={{name}}"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001",
 "firstName":"Sa\"ra</script>","lastName":"أحمد 😀",
 "promptTags":{"t":"say \"hi\"\\n\n\ttab\r\u0001\u001f</script><!--",
  "name":"سارة 🚀 \u00e9\u2028"}}]}
--- error_code: 201
--- error_log eval
my $t = "say \"hi\"\\n\n\ttab\r\x01\x1f</script><!--";
my $name = "سارة 🚀 \xc3\xa9\xe2\x80\xa8";
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":',
    \"Sa\"ra</script>", ',"lastName":', \"أحمد 😀",
    ',"systemPrompt":', \"<$t>", ',"knowledgeBase":', \"name=$name",
    ',"promptTags":{"t":', \$t, ',"name":', \$name,
    '},"requestMetadata":null}]}')



=== TEST 26: template text with quotes, newlines and Arabic arrives intact
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/arabic.json;
    }
--- user_files
>>> arabic.json
{"systemPrompt": "أنت وكيل تحصيل. المبلغ {{amount}}\n\"قل\" \\ {a} } { 🙂"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001",
 "promptTags":{"amount":"٥٬٠٠٠ ر.س"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":',
    \"أنت وكيل تحصيل. المبلغ ٥٬٠٠٠ ر.س\n\"قل\" \\ {a} } { 🙂",
    ',"promptTags":{"amount":', \"٥٬٠٠٠ ر.س", '},"requestMetadata":null}]}')



=== TEST 27: requestMetadata is the contact's metadata, untouched
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/meta.json;
    }
--- user_files
>>> meta.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001",
 "metadata":{"invoiceNumber":"INV-001","amount":"5000.00","n":9007199254740993,
  "x":-0.5,"ok":true,"none":null,"list":[1,{"a":[]},"b"],"empty":{},
  "z":"last","a":"first","note":"ملاحظة \"مهمة\""},
 "promptTags":{"amount":"5,000 SAR","unused":{"k":[1,2]}}},
 {"numberToCall":"+966500000002","metadata":null,"promptTags":{"amount":"1"}},
 {"numberToCall":"+966500000003","metadata":{},"promptTags":{"amount":"2"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 5,000 SAR.",'
    . '"promptTags":{"amount":"5,000 SAR","unused":{"k":[1,2]}},'
    . '"requestMetadata":{"invoiceNumber":"INV-001","amount":"5000.00",'
    . '"n":9007199254740993,"x":-0.5,"ok":true,"none":null,'
    . '"list":[1,{"a":[]},"b"],"empty":{},"z":"last","a":"first","note":',
    \"ملاحظة \"مهمة\"", '}},'
    . '{"index":1,"numberToCall":"+966500000002","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 1.",'
    . '"promptTags":{"amount":"1"},"requestMetadata":null},'
    . '{"index":2,"numberToCall":"+966500000003","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 2.",'
    . '"promptTags":{"amount":"2"},"requestMetadata":{}}]}')



=== TEST 28: each batch carries its own contacts' rendered prompts
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/seed.json;
    }
--- user_files eval
[['seed.json', '{"systemPrompt": "' . $main::SeedPrompt =~ s/\n/\\n/r
               . '"}' . "\n"]]
--- request eval
"POST /bulk\n" . main::contacts('"batchSize":10', 0, 10, sub {
    sprintf '{"amount":"%d SAR","due_date":"day %d"}', $_[0] * 100, $_[0]
})
--- error_code: 201
--- error_log eval
[main::gw('0/2', main::seed_batch(0, 0 .. 9)),
 main::gw('1/2', main::seed_batch(1, 10))]



=== TEST 29: the tags checked are those of the selected template
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/chosen.json;
        levers_bulk_default_template ../html/default.json;
    }
--- user_files
>>> chosen.json
{"systemPrompt": "Owes {{amount}}."}
>>> default.json
{"systemPrompt": "Hello {{name}} {{other}}."}
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",
 "contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"7"}}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', main::head('550e8400-e29b-41d4-a716-446655440000')
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')



=== TEST 30: an invalid number and missing tags: both reported at once
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"+966500000001"},
 {"numberToCall":"0500","promptTags":{"x":1}}]}
--- error_code: 422
--- response_body eval
'{"detail":[' . main::missing_tag(0, 'amount', 'null') . ','
. '{"type":"value_error","loc":["body","contacts",1,"numberToCall"],'
. '"msg":"Value error, Invalid phone number: too short","input":"0500",'
. '"ctx":{"error":"Invalid phone number: too short"}},'
. main::missing_tag(1, 'amount', '{"x":1}') . ']}'
--- no_error_log
GATEWAY-BODY



=== TEST 31: contacts not called need no tags: duplicates, skipped numbers
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/tags.json;
        levers_bulk_invalid_number skip;
    }
--- user_files
>>> tags.json
{"systemPrompt": "Owes {{amount}}."}
--- request
POST /bulk
{"countryCode":"SA","contacts":[
 {"numberToCall":"0500000001","promptTags":{"amount":"7"}},
 {"numberToCall":"+966500000001"},
 {"numberToCall":"0500","promptTags":null}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":3,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[{"index":1,"numberToCall":"+966500000001",'
    . '"reason":"duplicate"},{"index":2,"numberToCall":"0500",'
    . '"reason":"invalid_number","detail":"too short"}]}')
--- error_log eval
main::gw('0/1', main::head(undef)
    . '{"index":0,"numberToCall":"+966500000001","firstName":null,'
    . '"lastName":null,"systemPrompt":"Owes 7.",'
    . '"promptTags":{"amount":"7"},"requestMetadata":null}]}')

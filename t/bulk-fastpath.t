# The request body's two paths (src/levers_fastbody.c, the fast one, and
# jansson with src/levers_validate.c, the general one) through nginx:
# which path reads which body, and that both send the gateways the same
# bytes, compact JSON as Python writes it (json.dumps(v,
# ensure_ascii=False, separators=(",", ":"))), and the client the same
# answers.
#
# The fast path logs "levers_bulk: N contacts read by the fast path" at
# debug level (the runner logs at debug level; Debian's nginx is built
# --with-debug): error_log / no_error_log on it tell the paths apart.
#
# What the gateway received is checked with gw() of t/gateway-lib.pl,
# here always with plain JSON text: the bytes sent, exactly.  The
# expected calls of TESTs 4 and 5 were produced by json.loads() on the
# request and json.dumps() as above (python3 3.11), not copied from the
# module's output.  The answers to bodies neither path reads as Python
# would (NaN, integers beyond 64 bits: jansson's reason and position)
# are the module's before the fast path existed.  The file is read as
# bytes: non-ASCII text is UTF-8.
#
# Locations (set by the block preprocessor unless a block has its own
# config):
#   /bulk        the seed page's template (../shared/seed/
#                call-contact-bulk.md) as 550e8400-e29b-41d4-a716-446655440000
#   /bulk-plain  no template
#   /bulk-small  no template, client_body_buffer_size 1k: larger bodies
#                go to a temporary file
#   /bulk-cap    no template, levers_bulk_max_contacts 2

use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/gateway-lib.pl";

our ($SeedPrompt, $SeedAhmed, $SeedSara);

our $SeedId = '550e8400-e29b-41d4-a716-446655440000';

our $Config = <<'_EOC_';
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_template 550e8400-e29b-41d4-a716-446655440000
                             ../html/seed.json;
    }

    location = /bulk-plain {
        levers_bulk;
        levers_bulk_gateway /gw;
    }

    location = /bulk-small {
        levers_bulk;
        levers_bulk_gateway /gw;
        client_body_buffer_size 1k;
    }

    location = /bulk-cap {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_max_contacts 2;
    }
_EOC_

our $SeedFile = ">>> seed.json\n"
    . '{"systemPrompt": "' . ($SeedPrompt =~ s/\n/\\n/r) . '"}' . "\n";


# the fast path's debug line for $n contacts

sub fast {
    return "levers_bulk: $_[0] contacts read by the fast path";
}


# a JSON string as Python's json.dumps(ensure_ascii=False) writes it

sub js {
    my $s = shift;
    my %short = ("\b" => 'b', "\f" => 'f', "\n" => 'n', "\r" => 'r',
                 "\t" => 't');

    $s =~ s/(["\\])/\\$1/g;
    $s =~ s/([\x00-\x1f])/exists $short{$1} ? "\\$short{$1}"
                                             : sprintf('\\u%04x', ord $1)/ge;

    return qq{"$s"};
}


# one call of a gateway body: index, number, firstName, lastName (undef:
# null), systemPrompt (undef: none), promptTags and metadata JSON text
# (undef: null)

sub call {
    my ($i, $number, $first, $last, $prompt, $tags, $meta) = @_;

    return '{"index":' . $i . ',"numberToCall":' . js($number)
           . ',"firstName":' . (defined $first ? js($first) : 'null')
           . ',"lastName":' . (defined $last ? js($last) : 'null')
           . (defined $prompt ? ',"systemPrompt":' . js($prompt) : '')
           . ',"promptTags":' . ($tags // 'null')
           . ',"requestMetadata":' . ($meta // 'null') . '}';
}


# a whole gateway body: batch $bi of $count, template id (undef: null),
# updateExisting, the calls

sub body {
    my ($bi, $count, $id, $update, @calls) = @_;

    return '{"bulkId":"BULKID","batch":{"index":' . $bi . ',"count":'
           . $count . '},"aiSettingsTemplateId":'
           . (defined $id ? js($id) : 'null')
           . ',"updateExisting":' . ($update ? 'true' : 'false')
           . ',"settings":{},"calls":[' . join(',', @calls) . ']}';
}


# the 201 answer for @calls, each [index, number, batch], of $total

sub created {
    my ($total, @calls) = @_;

    return answer('{"bulkId":"BULKID","total":' . $total . ',"accepted":'
        . @calls . ',"batches":'
        . (@calls ? 1 + $calls[-1][2] : 0) . ',"calls":['
        . join(',', map {
              '{"index":' . $_->[0] . ',"numberToCall":"' . $_->[1]
              . '","batch":' . $_->[2] . '}'
          } @calls)
        . '],"skipped":[]}');
}


# the seed page's example request: what the gateway gets, what the
# client gets

sub seed_gw {
    return gw('0/1', body(0, 1, $SeedId, 1,
        call(0, '+966500000001', 'Ahmed', 'Al-Rashid', $SeedAhmed,
             '{"amount":"5,000 SAR","due_date":"January 15, 2026"}',
             '{"invoiceNumber":"INV-001","amount":"5000.00"}'),
        call(1, '+966500000002', 'Sara', 'Mohammed', $SeedSara,
             '{"amount":"3,200 SAR","due_date":"January 20, 2026"}',
             '{"invoiceNumber":"INV-002","amount":"3200.00"}')));
}

sub seed_answer {
    return created(2, [0, '+966500000001', 0], [1, '+966500000002', 0]);
}


# TESTs 7-10: 12 contacts, +966500000001 .. 12 with firstName "Cn", in
# batches of 10, updateExisting true: the request's contacts, the
# gateway bodies and the answer

sub twelve {
    return join ',', map {
        sprintf '{"numberToCall":"+9665000000%02d","firstName":"C%d"}',
                $_, $_
    } 1 .. 12;
}

sub twelve_gw {
    my @calls = map {
        call($_ - 1, sprintf('+9665000000%02d', $_), "C$_")
    } 1 .. 12;

    return [gw('0/2', body(0, 2, undef, 1, @calls[0 .. 9])),
            gw('1/2', body(1, 2, undef, 1, @calls[10, 11]))];
}

sub twelve_answer {
    return created(12, map {
        [$_ - 1, sprintf('+9665000000%02d', $_), $_ > 10 ? 1 : 0]
    } 1 .. 12);
}


# TEST 16: 50 contacts, numbers +966500000000 .. 49, with names and
# metadata: the request body (over 4 KB), the gateway body, the answer

our $Sara = "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9";

sub fifty {
    return '{"contacts":[' . join(',', map {
        sprintf '{"numberToCall":"+9665000000%02d","firstName":"Name %d",'
                . '"lastName":"%s","metadata":{"i":%d,"tag":"t-%d"},'
                . '"promptTags":{"k":[%d]}}', $_, $_, $Sara, $_, $_, $_
    } 0 .. 49) . ']}';
}

sub fifty_gw {
    return gw('0/1', body(0, 1, undef, 0, map {
        call($_, sprintf('+9665000000%02d', $_), "Name $_", $Sara, undef,
             "{\"k\":[$_]}", "{\"i\":$_,\"tag\":\"t-$_\"}")
    } 0 .. 49));
}

sub fifty_answer {
    return created(50, map { [$_, sprintf('+9665000000%02d', $_), 0] }
                       0 .. 49);
}


# a body of one contact whose metadata "d" is $n nested arrays

sub deep {
    my $n = shift;

    return '{"contacts":[{"numberToCall":"+966500000001",'
           . '"metadata":{"d":' . '[' x $n . ']' x $n . '}}]}';
}


no_shuffle();

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->config) {
        $block->set_value('config', $Config);

        if (!defined $block->user_files) {
            $block->set_value('user_files', $SeedFile);
        }
    }

    gateway_block($block);
});

run_tests();

__DATA__

=== TEST 1: the seed page's example request, compact: fast path, 201, the gateway body exactly
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000","countryCode":"SA","updateExisting":true,"batchSize":50,"contacts":[{"numberToCall":"+966500000001","firstName":"Ahmed","lastName":"Al-Rashid","metadata":{"invoiceNumber":"INV-001","amount":"5000.00"},"promptTags":{"amount":"5,000 SAR","due_date":"January 15, 2026"}},{"numberToCall":"+966500000002","firstName":"Sara","lastName":"Mohammed","metadata":{"invoiceNumber":"INV-002","amount":"3200.00"},"promptTags":{"amount":"3,200 SAR","due_date":"January 20, 2026"}}]}
--- error_code: 201
--- response_body eval
main::seed_answer()
--- error_log eval
[main::fast(2), main::seed_gw()]



=== TEST 2: the same body pretty-printed (indent 2, as on the seed page): fast path, the same gateway body
--- request
POST /bulk
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
main::seed_answer()
--- error_log eval
[main::fast(2), main::seed_gw()]



=== TEST 3: the same body with Python's default separators ", " and ": ", CR LF and tabs inside: fast path, the same gateway body
--- request eval
"POST /bulk\n"
. qq~{\t\r\n"aiSettingsTemplateId": "550e8400-e29b-41d4-a716-446655440000", ~
. qq~"countryCode": "SA", "updateExisting": true, "batchSize": 50, ~
. qq~"contacts": [{"numberToCall": "+966500000001", "firstName": "Ahmed", ~
. qq~"lastName": "Al-Rashid", "metadata": {"invoiceNumber": "INV-001", ~
. qq~"amount": "5000.00"}, "promptTags": {"amount": "5,000 SAR", ~
. qq~"due_date": "January 15, 2026"}}, {"numberToCall": "+966500000002", ~
. qq~"firstName": "Sara", "lastName": "Mohammed", "metadata": ~
. qq~{"invoiceNumber": "INV-002", "amount": "3200.00"}, "promptTags": ~
. qq~{"amount": "3,200 SAR", "due_date": "January 20, 2026"}}]\r\n\t}~
--- error_code: 201
--- response_body eval
main::seed_answer()
--- error_log eval
[main::fast(2), main::seed_gw()]



=== TEST 4: escapes, reals, -0, nested and empty values, names with escapes, prompts from tags that are numbers, objects, null: fast path, Python's bytes
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_template ../html/values.json;
    }
--- user_files
>>> values.json
{"systemPrompt":
 "n={{n}} i={{i}} z={{z}} o={{o}} e={{e}} a={{a}} s={{s}} u={{u}} r={{r}}|"}
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001","firstName":"\u00c9lo\u00efse \/ \"Q\"","lastName":"O\u2019Brien\t\ud83d\ude00\\","metadata":{"esc":"\u00e9\u00E9\u0041\/x\n\u001f\ud83d\ude00 \"q\" \\ \b\f\r","reals":[1.50,1e2,-0.0,1E-7,0.1,1e16,123.456e-2,5E+3,-2.50e-3],"ints":[-0,0,9007199254740993,-9223372036854775808,9223372036854775807],"nested":{"a":{"b":[[],{},[{}]]},"e":{},"l":[]},"t":true,"f":false,"z":null,"":"empty key","kéy/":1},"promptTags":{"n":1.50,"i":-0,"z":null,"o":{"k":[1e2,null,"\u00e9\/"],"m":{}},"e":{},"a":[],"s":"line\nnext \u001f \ud83d\ude00","u":-0.0,"r":1E-7}},
{"numberToCall":"+966500000002","metadata":{},"promptTags":{"n":[],"i":{},"z":[[]],"o":"","e":0,"a":false,"s":true,"u":-1,"r":1.0}}]}
--- error_code: 201
--- response_body eval
main::created(2, [0, '+966500000001', 0], [1, '+966500000002', 0])
--- error_log eval
[main::fast(2), main::gw('0/1', main::body(0, 1, undef, 0)
=~ s/\]\}$//r
. '{"index":0,"numberToCall":"+966500000001","firstName":"Éloïse / \"Q\"",'
. '"lastName":"O’Brien\t😀\\\\","systemPrompt":"n=1.5 i=0 z= '
. 'o={\"k\":[100.0,null,\"é/\"],\"m\":{}} e={} a=[] '
. 's=line\nnext \u001f 😀 u=-0.0 r=1e-07|","promptTags":{"n":1.5,"i":0,'
. '"z":null,"o":{"k":[100.0,null,"é/"],"m":{}},"e":{},"a":[],'
. '"s":"line\nnext \u001f 😀","u":-0.0,"r":1e-07},"requestMetadata":'
. '{"esc":"ééA/x\n\u001f😀 \"q\" \\\\ \b\f\r","reals":[1.5,100.0,-0.0,'
. '1e-07,0.1,1e+16,1.23456,5000.0,-0.0025],"ints":[0,0,9007199254740993,'
. '-9223372036854775808,9223372036854775807],'
. '"nested":{"a":{"b":[[],{},[{}]]},"e":{},"l":[]},"t":true,"f":false,'
. '"z":null,"":"empty key","kéy/":1}},'
. '{"index":1,"numberToCall":"+966500000002","firstName":null,'
. '"lastName":null,"systemPrompt":"n=[] i={} z=[[]] o= e=0 a=false s=true '
. 'u=-1 r=1.0|","promptTags":{"n":[],"i":{},"z":[[]],"o":"","e":0,'
. '"a":false,"s":true,"u":-1,"r":1.0},"requestMetadata":{}}]}')]



=== TEST 5: empty {} and [] in metadata and promptTags, every short escape, U+2028 and DEL in names: fast path, Python's bytes
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000003","firstName":"\"\\\/\b\f\n\r\t","lastName":"\u0041\u00E9\u2028\u2029\u007f","metadata":{"a":{},"b":[],"c":[{},[]],"d":{"e":{"f":{}}}},"promptTags":{}},
{"numberToCall":"+966500000004","metadata":{},"promptTags":{"x":{},"y":[[],[{}]],"z":"\u2028 \u007f"}}]}
--- error_code: 201
--- response_body eval
main::created(2, [0, '+966500000003', 0], [1, '+966500000004', 0])
--- error_log eval
[main::fast(2), main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000003', "\"\\/\b\f\n\r\t",
               "A\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9\x7f", undef, '{}',
               '{"a":{},"b":[],"c":[{},[]],"d":{"e":{"f":{}}}}'),
    main::call(1, '+966500000004', undef, undef, undef,
               "{\"x\":{},\"y\":[[],[{}]],\"z\":\"\xe2\x80\xa8 \x7f\"}",
               '{}')))]



=== TEST 6: keys spelt with escapes (not read by the fast path): general path, the same bytes as raw keys
--- request
POST /bulk-plain
{"contacts":[{"number\u0054oCall":"+966500000001","first\u004eame":"A","metadata":{"k\u00e9y\/":1,"\u0061":{"\"":[]}},"promptTags":{"\ud83d\ude00":"\u00e9"}}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', 'A', undef, undef,
               '{"😀":"é"}', '{"kéy/":1,"a":{"\\"":[]}}')))
--- no_error_log
read by the fast path



=== TEST 7: strict updateExisting true and batchSize 10: fast path, two batches
--- request eval
"POST /bulk-plain\n"
. '{"updateExisting":true,"batchSize":10,"contacts":[' . main::twelve() . ']}'
--- error_code: 201
--- response_body eval
main::twelve_answer()
--- error_log eval
[main::fast(12), @{main::twelve_gw()}]



=== TEST 8: updateExisting "yes" (lax): general path, the same gateway bodies as true
--- request eval
"POST /bulk-plain\n"
. '{"updateExisting":"yes","batchSize":10,"contacts":[' . main::twelve() . ']}'
--- error_code: 201
--- response_body eval
main::twelve_answer()
--- error_log eval
main::twelve_gw()
--- no_error_log
read by the fast path



=== TEST 9: batchSize "10" (lax): general path, the same gateway bodies as 10
--- request eval
"POST /bulk-plain\n"
. '{"updateExisting":true,"batchSize":"10","contacts":[' . main::twelve() . ']}'
--- error_code: 201
--- response_body eval
main::twelve_answer()
--- error_log eval
main::twelve_gw()
--- no_error_log
read by the fast path



=== TEST 10: batchSize 10.0 (lax): general path, the same gateway bodies as 10
--- request eval
"POST /bulk-plain\n"
. '{"updateExisting":true,"batchSize":10.0,"contacts":[' . main::twelve() . ']}'
--- error_code: 201
--- response_body eval
main::twelve_answer()
--- error_log eval
main::twelve_gw()
--- no_error_log
read by the fast path



=== TEST 11: duplicated keys in a contact: general path, the last value in the first key's place
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000009","firstName":"A","numberToCall":"+966500000001","metadata":{"a":1},"firstName":"B","lastName":null,"lastName":"L"}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', 'B', 'L', undef, undef, '{"a":1}')))
--- no_error_log
read by the fast path



=== TEST 12: duplicated keys only inside metadata, at its top and deeper: general path, the last value in the first key's place
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","metadata":{"a":1,"b":{"x":1,"y":2,"x":[3]},"c":[{"k":1,"k":2}],"a":"last"}}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', undef, undef, undef, undef,
               '{"a":"last","b":{"x":[3],"y":2},"c":[{"k":2}]}')))
--- no_error_log
read by the fast path



=== TEST 13: a duplicated key only inside promptTags: general path, the last value
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"k":"v","j":null,"k":{"w":1}}}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', undef, undef, undef,
               '{"k":{"w":1},"j":null}')))
--- no_error_log
read by the fast path



=== TEST 14: duplicated top-level keys (contacts, updateExisting, batchSize): general path, the last value wins
--- request
POST /bulk-plain
{"updateExisting":false,"contacts":[{"numberToCall":"+966500000009"},{"numberToCall":"+966500000008"}],"batchSize":1000,"updateExisting":true,"contacts":[{"numberToCall":"+966500000001","firstName":"X"}],"batchSize":10}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 1,
    main::call(0, '+966500000001', 'X')))
--- no_error_log
read by the fast path



=== TEST 15: a duplicated promptTags key feeds the prompt its last value: general path
--- request
POST /bulk
{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000","contacts":[{"numberToCall":"+966500000001","promptTags":{"amount":"1 SAR","due_date":"January 15, 2026","amount":"5,000 SAR"}}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, $main::SeedId, 0,
    main::call(0, '+966500000001', undef, undef, $main::SeedAhmed,
               '{"amount":"5,000 SAR","due_date":"January 15, 2026"}')))
--- no_error_log
read by the fast path



=== TEST 16: a 50-contact body over client_body_buffer_size, in a temporary file: fast path, every contact sent
--- request eval
"POST /bulk-small\n" . main::fifty()
--- error_code: 201
--- response_body eval
main::fifty_answer()
--- error_log eval
['a client request body is buffered to a temporary file', main::fast(50),
 main::fifty_gw()]



=== TEST 17: a UTF-8 BOM before the seed's example: general path, 201, the same gateway body
--- request eval
"POST /bulk\n\xef\xbb\xbf"
. '{"aiSettingsTemplateId":"550e8400-e29b-41d4-a716-446655440000",'
. '"countryCode":"SA","updateExisting":true,"batchSize":50,"contacts":['
. '{"numberToCall":"+966500000001","firstName":"Ahmed",'
. '"lastName":"Al-Rashid","metadata":{"invoiceNumber":"INV-001",'
. '"amount":"5000.00"},"promptTags":{"amount":"5,000 SAR",'
. '"due_date":"January 15, 2026"}},{"numberToCall":"+966500000002",'
. '"firstName":"Sara","lastName":"Mohammed","metadata":{'
. '"invoiceNumber":"INV-002","amount":"3200.00"},"promptTags":{'
. '"amount":"3,200 SAR","due_date":"January 20, 2026"}}]}'
--- error_code: 201
--- response_body eval
main::seed_answer()
--- error_log eval
main::seed_gw()
--- no_error_log
read by the fast path



=== TEST 18: levers_bulk_max_contacts exceeded by a body the fast path takes: 413 with a JSON detail
--- request
POST /bulk-cap
{"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"}]}
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Too many contacts: 3, at most 2 in one request"}
--- error_log eval
[main::fast(3)]
--- no_error_log
GATEWAY-BODY



=== TEST 19: levers_bulk_max_contacts exceeded by a body of the general path: the same 413
--- request
POST /bulk-cap
{"updateExisting":"yes","contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"+966500000002"},{"numberToCall":"+966500000003"}]}
--- error_code: 413
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"Too many contacts: 3, at most 2 in one request"}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 20: invalid JSON, a trailing comma in an object (t/bulk-body.t TEST 14): json_invalid
--- request
POST /bulk-plain
{"contacts":[],}
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",15],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 21: invalid JSON, a valid body cut before its last brace: json_invalid at the end
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","metadata":{"x":[1,2]}}]
--- error_code: 422
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",69],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 22: NaN in metadata: jansson refuses it, its reason and position
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","metadata":{"x":NaN}}]}
--- error_code: 422
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",64],"msg":"JSON decode error","input":{},"ctx":{"error":"invalid token near 'NaN'"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 23: -Infinity in promptTags: jansson's reason and position
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","promptTags":{"x":-Infinity}}]}
--- error_code: 422
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",64],"msg":"JSON decode error","input":{},"ctx":{"error":"invalid token near '-'"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 24: an integer of 2^64 in metadata: jansson's "too big integer"
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","metadata":{"x":18446744073709551616}}]}
--- error_code: 422
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",81],"msg":"JSON decode error","input":{},"ctx":{"error":"too big integer near '18446744073709551616'"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 25: 2^63 and -2^63-1, just outside int64: "too big integer", "too big negative integer"
--- request eval
["POST /bulk-plain\n"
 . '{"contacts":[{"numberToCall":"+966500000001",'
 . '"metadata":{"x":9223372036854775808}}]}',
 "POST /bulk-plain\n"
 . '{"contacts":[{"numberToCall":"+966500000001",'
 . '"metadata":{"x":-9223372036854775809}}]}']
--- error_code eval
[422, 422]
--- response_body eval
['{"detail":[{"type":"json_invalid","loc":["body",80],'
 . '"msg":"JSON decode error","input":{},"ctx":{"error":'
 . '"too big integer near \'9223372036854775808\'"}}]}',
 '{"detail":[{"type":"json_invalid","loc":["body",81],'
 . '"msg":"JSON decode error","input":{},"ctx":{"error":'
 . '"too big negative integer near \'-9223372036854775809\'"}}]}']
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 26: an integer of 2^64 as batchSize: the same json_invalid
--- request
POST /bulk-plain
{"batchSize":18446744073709551616,"contacts":[{"numberToCall":"+966500000001"}]}
--- error_code: 422
--- response_body chomp
{"detail":[{"type":"json_invalid","loc":["body",33],"msg":"JSON decode error","input":{},"ctx":{"error":"too big integer near '18446744073709551616'"}}]}
--- no_error_log
read by the fast path
GATEWAY-BODY



=== TEST 27: "\u0000" in a name: general path, 201, sent on as \u0000
--- request
POST /bulk-plain
{"contacts":[{"numberToCall":"+966500000001","firstName":"a\u0000b"}]}
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', "a\0b")))
--- no_error_log
read by the fast path



=== TEST 28: metadata nested 40 deep: general path, 201, sent on whole
--- request eval
"POST /bulk-plain\n" . main::deep(40)
--- error_code: 201
--- response_body eval
main::created(1, [0, '+966500000001', 0])
--- error_log eval
main::gw('0/1', main::body(0, 1, undef, 0,
    main::call(0, '+966500000001', undef, undef, undef, undef,
               '{"d":' . '[' x 40 . ']' x 40 . '}')))
--- no_error_log
read by the fast path



=== TEST 29: metadata nested 3000 deep: Python's RecursionError, 400
--- request eval
"POST /bulk-plain\n" . main::deep(3000)
--- error_code: 400
--- response_headers
Content-Type: application/json
--- response_body chomp
{"detail":"There was an error parsing the body"}
--- no_error_log
read by the fast path
GATEWAY-BODY

# Numbers through nginx (contract 3.1, 3.2, 3.5, 4, 6; issue 4):
# E.164 normalisation with countryCode and levers_bulk_default_region,
# invalid numbers as 422 value_error or, with levers_bulk_invalid_number
# skip, under "skipped"; duplicates after normalisation; levers_bulk_e164
# off; batches.  Each block checks the client's answer and what the
# gateway received.
#
# The gateway, the GATEWAY-BODY line it logs, gw(), answer() and the
# block preprocessor are t/gateway-lib.pl's (see there; BULKID stands for
# the random bulk id); gw_calls() below checks only a body's "calls".

use Test::Nginx::Socket 'no_plan';
use FindBin;

require "$FindBin::Bin/gateway-lib.pl";

our $Uuid;


# a gateway body for batch $bi of $n whose "calls" are exactly @calls
# ([index, numberToCall] each, in order); other fields are not checked

sub gw_calls {
    my ($bi, $n, @calls) = @_;

    my $q = '\\\\"';        # a '"' of the body, as logged: \"

    my $calls = join ',', map {
        my ($i, $num) = @$_;
        "\\{${q}index$q:$i,${q}numberToCall$q:$q" . quotemeta($num)
        . $q . '[^{}]*\}'
    } @calls;

    my $re = "GATEWAY-BODY POST $bi/$n (?<bid>$Uuid) application/json "
             . "\\{${q}bulkId$q:$q\\k<bid>$q,"
             . "${q}batch$q:\\{${q}index$q:$bi,${q}count$q:$n\\},"
             . ".*${q}calls$q:\\[$calls\\]\\}\$";

    return qr/$re/;
}


# the request body: contacts with these numbers, plus top-level fields
# (not t/gateway-lib.pl's contacts(), which numbers them +9665000000NN)

sub numbers_body {
    my ($top, @numbers) = @_;

    my $contacts = join ',', map { qq{{"numberToCall":"$_"}} } @numbers;

    return '{' . ($top ? "$top," : '') . qq{"contacts":[$contacts]}
           . '}';
}


# the 25 numbers of the batch blocks: +966500000000 .. +966500000024

sub sa_number {
    return sprintf '+9665000000%02d', shift;
}


# the "calls" of an answer: [index, numberToCall, batch] each

sub answer_calls {
    return join ',', map {
        qq{{"index":$_->[0],"numberToCall":"$_->[1]","batch":$_->[2]}}
    } @_;
}


# the 422 body for invalid numbers: [index, input, reason] each

sub number_errors {
    return '{"detail":[' . join(',', map {
        my ($i, $in, $why) = @$_;
        '{"type":"value_error","loc":["body","contacts",' . $i
        . ',"numberToCall"],"msg":"Value error, Invalid phone number: '
        . $why . '","input":"' . $in . '","ctx":{"error":"Invalid phone '
        . 'number: ' . $why . '"}}'
    } @_) . ']}';
}


# "skipped" entries for invalid numbers: [index, numberToCall, reason]

sub skipped_invalid {
    return join ',', map {
        '{"index":' . $_->[0] . ',"numberToCall":"' . $_->[1]
        . '","reason":"invalid_number","detail":"' . $_->[2] . '"}'
    } @_;
}


# the indexes called in TEST 26 (3, 7, 12 and 19 are skipped)

sub called_with_skips {
    return grep { !/^(3|7|12|19)$/ } 0 .. 24;
}


no_shuffle();

# every block: the gateway, and no [alert], [crit], [emerg] besides its
# own checks
add_block_preprocessor(sub { gateway_block(@_) });

run_tests();

__DATA__

=== TEST 1: local number with countryCode SA becomes E.164
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 2: international format with spaces, brackets and dashes
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"+1 (415) 555-2671"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+14155552671","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+14155552671'])



=== TEST 3: international prefix 00 with countryCode SA
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"00966500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 3b: a German number of 16 digits libphonenumber holds valid is sent on as it formats it (not a 500)
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"DE","contacts":[{"numberToCall":"030 901820030901"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+4930901820030901","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+4930901820030901'])



=== TEST 4: a number with "+" keeps its own country whatever countryCode says
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"+44 20 7946 0958"},
 {"numberToCall":"+1 415 555 2671"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+442079460958","batch":0},'
    . '{"index":1,"numberToCall":"+14155552671","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+442079460958'], [1, '+14155552671'])



=== TEST 5: levers_bulk_default_region is used when there is no countryCode
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_region SA;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"0500000001"},{"numberToCall":"050 000 0002"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0},'
    . '{"index":1,"numberToCall":"+966500000002","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'], [1, '+966500000002'])



=== TEST 6: countryCode null also falls back to the default region
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_region SA;
    }
--- request
POST /bulk
{"countryCode":null,"contacts":[{"numberToCall":"0500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 7: countryCode overrides the default region (US would refuse it)
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_region US;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 8: the default region itself (US) applies without countryCode
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_default_region US;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"(202) 555-0123"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+12025550123","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+12025550123'])



=== TEST 9: Arabic-Indic digits are read as digits
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"٠٥٠٠٠٠٠٠٠١"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 10: each reason of an invalid number, all reported, in order
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[
 {"numberToCall":"hello"},
 {"numberToCall":"0500000001"},
 {"numberToCall":"+999 1234567"},
 {"numberToCall":"0500"},
 {"numberToCall":"+96650000000012"},
 {"numberToCall":"+966 100000000"}]}
--- error_code: 422
--- response_headers
Content-Type: application/json
--- response_body eval
main::number_errors([0, 'hello', 'not a phone number'],
                    [2, '+999 1234567', 'invalid country code'],
                    [3, '0500', 'too short'],
                    [4, '+96650000000012', 'too long'],
                    [5, '+966 100000000', 'not a valid number'])
--- no_error_log
GATEWAY-BODY



=== TEST 11: no countryCode, no default region: a local number has no country
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"+966500000001"},{"numberToCall":"0500000001"}]}
--- error_code: 422
--- response_body eval
main::number_errors([1, '0500000001', 'invalid country code'])
--- no_error_log
GATEWAY-BODY



=== TEST 12: a number with an extension is not a number to dial
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"+1 415 555 2671 ext. 7"}]}
--- error_code: 422
--- response_body eval
main::number_errors([0, '+1 415 555 2671 ext. 7', 'not a valid number'])
--- no_error_log
GATEWAY-BODY



=== TEST 13: numbers are checked once the body is valid (contract 3)
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500"},{"firstName":"Sara"},
 {"numberToCall":"hello","firstName":5}]}
--- error_code: 422
--- response_body eval
'{"detail":[{"type":"missing","loc":["body","contacts",1,"numberToCall"],'
. '"msg":"Field required","input":{"firstName":"Sara"}},'
. '{"type":"string_type","loc":["body","contacts",2,"firstName"],'
. '"msg":"Input should be a valid string","input":5}]}'
--- no_error_log
GATEWAY-BODY



=== TEST 14: the input of a value_error is the number as sent, JSON-escaped
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"call \"me\"\\now"}]}
--- error_code: 422
--- response_body eval
main::number_errors([0, 'call \\"me\\"\\\\now', 'not a phone number'])
--- no_error_log
GATEWAY-BODY



=== TEST 15: levers_bulk_invalid_number skip: listed under "skipped", not sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_invalid_number skip;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[
 {"numberToCall":"hello"},
 {"numberToCall":"0500000001"},
 {"numberToCall":"+999 1234567"},
 {"numberToCall":"0500"},
 {"numberToCall":"+96650000000012"},
 {"numberToCall":"+966 100000000"},
 {"numberToCall":"+966 50 000 0002"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":7,"accepted":2,"batches":1,'
    . '"calls":[{"index":1,"numberToCall":"+966500000001","batch":0},'
    . '{"index":6,"numberToCall":"+966500000002","batch":0}],'
    . '"skipped":['
    . main::skipped_invalid([0, 'hello', 'not a phone number'],
                            [2, '+999 1234567', 'invalid country code'],
                            [3, '0500', 'too short'],
                            [4, '+96650000000012', 'too long'],
                            [5, '+966 100000000', 'not a valid number'])
    . ']}')
--- error_log eval
main::gw_calls(0, 1, [1, '+966500000001'], [6, '+966500000002'])
--- no_error_log eval
[qr/GATEWAY-BODY.*(hello|0500\\|1234567|00000012|100000000)/]



=== TEST 16: skip with every number invalid: 201, nothing sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_invalid_number skip;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":0,"batches":0,'
    . '"calls":[],"skipped":[{"index":0,"numberToCall":"0500",'
    . '"reason":"invalid_number","detail":"too short"}]}')
--- no_error_log
GATEWAY-BODY



=== TEST 17: duplicates after normalisation: the first wins, one call sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"},
 {"numberToCall":"+966500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[{"index":1,"numberToCall":"+966500000001",'
    . '"reason":"duplicate"}]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 18: every spelling of one number after the first is a duplicate
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[
 {"numberToCall":"+1 (415) 555-2671"},
 {"numberToCall":"00966500000001"},
 {"numberToCall":"+14155552671"},
 {"numberToCall":"050-000-0001"},
 {"numberToCall":"0500000002"},
 {"numberToCall":"001 415 555 2671"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":6,"accepted":3,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+14155552671","batch":0},'
    . '{"index":1,"numberToCall":"+966500000001","batch":0},'
    . '{"index":4,"numberToCall":"+966500000002","batch":0}],'
    . '"skipped":['
    . '{"index":2,"numberToCall":"+14155552671","reason":"duplicate"},'
    . '{"index":3,"numberToCall":"+966500000001","reason":"duplicate"},'
    . '{"index":5,"numberToCall":"+14155552671","reason":"duplicate"}]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+14155552671'], [1, '+966500000001'],
               [4, '+966500000002'])



=== TEST 19: duplicates and invalid numbers skipped together, in index order
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_invalid_number skip;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"},
 {"numberToCall":"0500"},{"numberToCall":"+966500000001"},
 {"numberToCall":"0500"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":4,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":['
    . '{"index":1,"numberToCall":"0500","reason":"invalid_number",'
    . '"detail":"too short"},'
    . '{"index":2,"numberToCall":"+966500000001","reason":"duplicate"},'
    . '{"index":3,"numberToCall":"0500","reason":"invalid_number",'
    . '"detail":"too short"}]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'])



=== TEST 20: levers_bulk_dedupe off: both contacts are sent
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_dedupe off;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"},
 {"numberToCall":"+966500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001","batch":0},'
    . '{"index":1,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001'], [1, '+966500000001'])



=== TEST 21: levers_bulk_e164 off: numbers are passed as written
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"0500000001"},
 {"numberToCall":"+1 (415) 555-2671"},{"numberToCall":"+966500000001"},
 {"numberToCall":"hello"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":4,"accepted":4,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"0500000001","batch":0},'
    . '{"index":1,"numberToCall":"+1 (415) 555-2671","batch":0},'
    . '{"index":2,"numberToCall":"+966500000001","batch":0},'
    . '{"index":3,"numberToCall":"hello","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '0500000001'], [1, '+1 (415) 555-2671'],
               [2, '+966500000001'], [3, 'hello'])



=== TEST 22: levers_bulk_e164 off: duplicates are compared as written
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"0500000001"},{"numberToCall":"+966500000001"},
 {"numberToCall":"0500000001"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":3,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"0500000001","batch":0},'
    . '{"index":1,"numberToCall":"+966500000001","batch":0}],'
    . '"skipped":[{"index":2,"numberToCall":"0500000001",'
    . '"reason":"duplicate"}]}')
--- error_log eval
main::gw_calls(0, 1, [0, '0500000001'], [1, '+966500000001'])



=== TEST 23: levers_bulk_e164 off: a 100-character number is passed whole
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }
--- request eval
"POST /bulk\n" . main::numbers_body('', '+966500000001 ' . ('x' x 86))
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":1,"accepted":1,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+966500000001 ' . ('x' x 86)
    . '","batch":0}],"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+966500000001 ' . ('x' x 86)])



=== TEST 24: levers_bulk_e164 off: numbers differing in the last character
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_e164 off;
    }
--- request
POST /bulk
{"contacts":[{"numberToCall":"+1 (415) 555-2671"},
 {"numberToCall":"+1 (415) 555-2672"}]}
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":2,"accepted":2,"batches":1,'
    . '"calls":[{"index":0,"numberToCall":"+1 (415) 555-2671","batch":0},'
    . '{"index":1,"numberToCall":"+1 (415) 555-2672","batch":0}],'
    . '"skipped":[]}')
--- error_log eval
main::gw_calls(0, 1, [0, '+1 (415) 555-2671'], [1, '+1 (415) 555-2672'])



=== TEST 25: 25 contacts, batchSize 10: batches of 10, 10 and 5
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request eval
"POST /bulk\n"
. main::numbers_body('"batchSize":10', map { main::sa_number($_) } 0 .. 24)
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":25,"accepted":25,"batches":3,'
    . '"calls":['
    . main::answer_calls(map { [$_, main::sa_number($_), int($_ / 10)] }
                         0 .. 24)
    . '],"skipped":[]}')
--- error_log eval
[map {
    my $b = $_;
    main::gw_calls($b, 3, map { [$_, main::sa_number($_)] }
                          $b * 10 .. ($b == 2 ? 24 : $b * 10 + 9))
} 0 .. 2]



=== TEST 26: batches hold the contacts to call; every index appears once
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_invalid_number skip;
    }
--- request eval
# 25 contacts: 3 repeats 0, 7 and 19 are too short, 12 repeats 11
my @n = map { main::sa_number($_) } 0 .. 24;
$n[3] = '0500000000';
$n[$_] = '0500' for 7, 19;
$n[12] = '+966 50 000 0011';
"POST /bulk\n" . main::numbers_body('"batchSize":10,"countryCode":"SA"', @n)
--- error_code: 201
--- response_body eval
my @called = main::called_with_skips();
my @calls = map { [$called[$_], main::sa_number($called[$_]), int($_ / 10)] }
            0 .. $#called;
main::answer('{"bulkId":"BULKID","total":25,"accepted":21,"batches":3,'
    . '"calls":[' . main::answer_calls(@calls) . '],"skipped":['
    . '{"index":3,"numberToCall":"+966500000000","reason":"duplicate"},'
    . '{"index":7,"numberToCall":"0500","reason":"invalid_number",'
    . '"detail":"too short"},'
    . '{"index":12,"numberToCall":"+966500000011","reason":"duplicate"},'
    . '{"index":19,"numberToCall":"0500","reason":"invalid_number",'
    . '"detail":"too short"}]}')
--- error_log eval
my @called = main::called_with_skips();
[map {
    my $b = $_;
    my @in = grep { defined } @called[$b * 10 .. $b * 10 + 9];
    main::gw_calls($b, 3, map { [$_, main::sa_number($_)] } @in)
} 0 .. 2]



=== TEST 27: levers_bulk_batch_size is the batch size without batchSize
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_batch_size 10;
    }
--- request eval
"POST /bulk\n" . main::numbers_body('', map { main::sa_number($_) } 0 .. 11)
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":12,"accepted":12,"batches":2,'
    . '"calls":['
    . main::answer_calls(map { [$_, main::sa_number($_), int($_ / 10)] }
                         0 .. 11)
    . '],"skipped":[]}')
--- error_log eval
[main::gw_calls(0, 2, map { [$_, main::sa_number($_)] } 0 .. 9),
 main::gw_calls(1, 2, map { [$_, main::sa_number($_)] } 10 .. 11)]



=== TEST 28: batchSize in the request overrides levers_bulk_batch_size
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
        levers_bulk_batch_size 10;
    }
--- request eval
"POST /bulk\n"
. main::numbers_body('"batchSize":"12"', map { main::sa_number($_) } 0 .. 12)
--- error_code: 201
--- response_body eval
main::answer('{"bulkId":"BULKID","total":13,"accepted":13,"batches":2,'
    . '"calls":['
    . main::answer_calls(map { [$_, main::sa_number($_), int($_ / 12)] }
                         0 .. 12)
    . '],"skipped":[]}')
--- error_log eval
[main::gw_calls(0, 2, map { [$_, main::sa_number($_)] } 0 .. 11),
 main::gw_calls(1, 2, [12, main::sa_number(12)])]



=== TEST 29: the gateway body in full: E.164 number, batch, headers
--- config
    location = /bulk {
        levers_bulk;
        levers_bulk_gateway /gw;
    }
--- request
POST /bulk
{"countryCode":"SA","contacts":[{"numberToCall":"050 000 0001",
 "firstName":"Ahmed","lastName":"Al-Rashid"}]}
--- error_code: 201
--- error_log eval
main::gw('0/1', '{"bulkId":"BULKID","batch":{"index":0,"count":1},'
    . '"aiSettingsTemplateId":null,"updateExisting":false,"settings":{},'
    . '"calls":[{"index":0,"numberToCall":"+966500000001",'
    . '"firstName":"Ahmed","lastName":"Al-Rashid","promptTags":null,'
    . '"requestMetadata":null}]}')

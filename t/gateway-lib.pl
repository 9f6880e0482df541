# Shared by the t/bulk-*.t files that check what the gateway receives
# (t/bulk-templates.t, t/bulk-fastpath.t, t/bulk-numbers.t; the gateway
# alone in t/bulk-validation.t): loaded with
#
#   use FindBin;
#   require "$FindBin::Bin/gateway-lib.pl";
#
# so that the suite runs under the real Test::Nginx (`prove -r t`) as
# under t/lib's small one.
#
# $GatewayLog (http_config) and $Gateway (config) make the gateway
# location /gw proxy to /backend, which logs what it got into error.log
# as one line (escape=json: '"' and '\' of the body appear as '\"' and
# '\\'):
#
#   GATEWAY-BODY <method> <X-Levers-Batch> <X-Levers-Bulk-Id>
#                <Content-Type> <body>
#
# gw() turns an expected gateway body into a regex for such a line.  Its
# arguments are pieces of the body: plain strings are JSON text, taken
# as they are, byte for byte (BULKID stands for the bulk id); a reference
# to a string stands for a JSON string with that value, in any valid
# JSON spelling ("/" or "\/", "é" or "\u00e9", ...), for checks that must
# hold whatever escapes the encoder chooses.  answer() does the same for
# the client's answer, exactly.  Text is bytes: non-ASCII text is UTF-8.
#
# gateway_block() is a block preprocessor (add_block_preprocessor(sub {
# gateway_block(@_) })): it adds the above to every block, Content-Type:
# application/json where a block has no more_headers, and no [alert],
# [crit] or [emerg] to every block's no_error_log.

use strict;
use warnings;

use Encode ();

our $Uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

our $GatewayLog = <<'_EOC_';
    log_format gwbody escape=json
        'GATEWAY-BODY $request_method $http_x_levers_batch '
        '$http_x_levers_bulk_id $content_type $request_body';
_EOC_

our $Gateway = <<'_EOC_';
    location = /gw {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/backend;
    }

    location = /backend {
        client_body_buffer_size 1m;
        access_log logs/error.log gwbody;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/ack;
    }

    location = /ack {
        return 202 '{"ok":true}';
    }
_EOC_

# the seed page's template and its "Resulting system prompt" for Ahmed
# (../shared/seed/call-contact-bulk.md), and the same for Sara

our $SeedPrompt = 'You are a collections agent. The customer owes '
    . "{{amount}} due by {{due_date}}.\n"
    . 'Be professional and offer payment plan options if the customer '
    . 'cannot pay in full.';

our $SeedAhmed = 'You are a collections agent. The customer owes '
    . "5,000 SAR due by January 15, 2026.\n"
    . 'Be professional and offer payment plan options if the customer '
    . 'cannot pay in full.';

our $SeedSara = 'You are a collections agent. The customer owes '
    . "3,200 SAR due by January 20, 2026.\n"
    . 'Be professional and offer payment plan options if the customer '
    . 'cannot pay in full.';

our %Short = ('"' => '\\"', '\\' => '\\\\', '/' => '\\/', "\b" => '\\b',
              "\f" => '\\f', "\n" => '\\n', "\r" => '\\r', "\t" => '\\t');


# text as nginx's escape=json logs it

sub logged {
    my $s = shift;

    $s =~ s/(["\\])/\\$1/g;

    return $s;
}


# a regex for a JSON string body (no quotes) whose value is the UTF-8
# bytes $bytes, in any valid spelling, as logged

sub json_string_re {
    my $bytes = shift;
    my $re = '';

    for my $ch (split //, Encode::decode('UTF-8', $bytes, 1)) {
        my $cp = ord $ch;
        my @alt;

        if ($cp >= 0x20 && $ch ne '"' && $ch ne '\\') {
            push @alt, Encode::encode('UTF-8', $ch);
        }

        push @alt, $Short{$ch} if exists $Short{$ch};

        my @units = $cp > 0xffff
                    ? (0xd800 + (($cp - 0x10000) >> 10),
                       0xdc00 + (($cp - 0x10000) & 0x3ff))
                    : ($cp);

        for my $fmt ('\\u%04x', '\\u%04X') {
            my $esc = join '', map { sprintf $fmt, $_ } @units;
            push @alt, $esc if !grep { $_ eq $esc } @alt;
        }

        $re .= '(?:' . join('|', map { quotemeta logged($_) } @alt) . ')';
    }

    return $re;
}


# a gateway body exactly as sent, in one error.log line (see the top)

sub gw {
    my $re = gw_re(@_) . '$';

    return qr/$re/;
}


# the same for the start of a gateway body

sub gw_start {
    my $re = gw_re(@_);

    return qr/$re/;
}


sub gw_re {
    my ($batch, @pieces) = @_;
    my $re = '';

    for my $p (@pieces) {
        if (ref $p) {
            $re .= '\\\\"' . json_string_re($$p) . '\\\\"';
            next;
        }

        $re .= join '\k<bid>',
                    map { quotemeta logged($_) } split /BULKID/, $p, -1;
    }

    return 'GATEWAY-BODY POST ' . quotemeta($batch) . " (?<bid>$Uuid) "
           . 'application/json ' . $re;
}


# the request body of contacts $from .. $to, numbers +9665000000NN, with
# top-level fields $top; $tags->(NN) gives each contact's promptTags JSON

sub contacts {
    my ($top, $from, $to, $tags) = @_;

    return '{' . $top . ',"contacts":[' . join(',', map {
        sprintf('{"numberToCall":"+9665000000%02d"', $_)
        . ($tags ? ',"promptTags":' . $tags->($_) : '') . '}'
    } $from .. $to) . ']}';
}


# the answer, exactly (a trailing newline is allowed)

sub answer {
    my $json = shift;

    my $re = join $Uuid, map { quotemeta } split /BULKID/, $json, -1;

    return qr/^$re\n?\z/;
}


# the first part of a one-batch gateway body

sub head {
    my ($id, $settings) = @_;

    return '{"bulkId":"BULKID","batch":{"index":0,"count":1},'
           . '"aiSettingsTemplateId":' . ($id ? qq{"$id"} : 'null')
           . ',"updateExisting":false,"settings":' . ($settings // '{}')
           . ',"calls":[';
}


# the block preprocessor (see the top)

sub gateway_block {
    my $block = shift;
    my $noerr = $block->no_error_log;

    $block->set_value('http_config',
                      $GatewayLog . ($block->http_config // ''));
    $block->set_value('config', ($block->config // '') . $Gateway);

    if (!defined $block->more_headers) {
        $block->set_value('more_headers', 'Content-Type: application/json');
    }

    if (!defined $noerr) {
        $block->set_value('no_error_log', "[alert]\n[crit]\n[emerg]");

    } elsif (ref $noerr) {
        $block->set_value('no_error_log',
                          [@$noerr, '[alert]', '[crit]', '[emerg]']);

    } else {
        chomp $noerr;
        $block->set_value('no_error_log', "$noerr\n[alert]\n[crit]\n[emerg]");
    }
}

1;

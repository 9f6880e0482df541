#!/usr/bin/perl
# A bulk-call body for the benchmarks:
#
#   perl bench/conf/body.pl COUNT TEMPLATE_ID|null > body.json
#
# COUNT contacts with distinct local-format Saudi numbers (0500000001,
# 0500000002, ...), "countryCode":"SA", names, metadata, and the five
# promptTags bench/conf/template.json uses, all present.  Compact JSON,
# as clients send it.  bench/micro.c builds the same body in C.

use strict;
use warnings;

my ($count, $tid) = @ARGV;
die "usage: $0 COUNT TEMPLATE_ID|null\n" unless defined $tid && $count > 0;

my $id = $tid eq 'null' ? 'null' : "\"$tid\"";

print "{\"aiSettingsTemplateId\":$id,\"countryCode\":\"SA\","
    . "\"updateExisting\":false,\"contacts\":[";

for my $i (1 .. $count) {
    print ',' if $i > 1;
    printf '{"numberToCall":"05%08d","firstName":"Ahmed","lastName":'
         . '"Al-Rashid","metadata":{"invoiceNumber":"INV-%06d",'
         . '"amount":"5000.00"},"promptTags":{"company":"Levers",'
         . '"name":"Ahmed Al-Rashid","amount":"5,000 SAR",'
         . '"due_date":"January 15, 2026","account":"ACC-%06d"}}',
         $i, $i, $i;
}

print "]}";

# Configuration errors of the bulk module fail "nginx -t" (contract 5,
# issue 4): template files that are missing, not JSON, of the wrong shape
# or with a bad placeholder; bad template ids and duplicates; bad values
# of levers_bulk_batch_size, levers_bulk_default_region and friends;
# levers_bulk without levers_bulk_gateway.  Each message must name the
# directive (or, for a template file, the file), the configuration file
# and the line.  Valid configurations pass, and relative template paths
# are relative to the configuration file's directory.
#
# Plain Test::More: each case writes a configuration into a temporary
# directory and runs "nginx -t -p PREFIX -e ERRLOG -c CONF" with the
# module loaded from TEST_NGINX_LOAD_MODULES (util/test.sh always sets
# it; it is an error, not a skip, when it is missing).  A line holding
# "#HERE" is the line the message must name.

use strict;
use warnings;

use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;


my $Nginx = $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx';
my $Modules = $ENV{TEST_NGINX_LOAD_MODULES};

if (!defined $Modules || $Modules !~ /\S/) {
    die "TEST_NGINX_LOAD_MODULES is not set: it must name the module's "
        . ".so (util/test.sh sets it), e.g.\n  TEST_NGINX_LOAD_MODULES="
        . "\$PWD/build/ngx_http_levers_bulk_module.so prove t/"
        . "bulk-config.t\n";
}

my $Root = tempdir('levers-bulk-config-XXXXXX', TMPDIR => 1, CLEANUP => 1);

my $Count = 0;

my $Uuid = '550e8400-e29b-41d4-a716-446655440000';

my $Good = '{"systemPrompt": "Owes {{amount}}.", '
           . '"knowledgeBase": "Due {{ due_date }}.", '
           . '"settings": {"voice": "female-1"}}';


# Writes the configuration (with the module loaded, temporary paths in the
# prefix) and the files of %$files next to it (PREFIX/name: in the prefix
# instead; /name: there), runs nginx -t.  Returns its
# exit status, its output, the configuration file's path and the line
# marked #HERE.

sub nginx_t {
    my ($name, $http, $files) = @_;

    my $dir = "$Root/" . ++$Count;
    my $conf_dir = "$dir/conf";
    my $prefix = "$dir/prefix";

    make_path($conf_dir, "$prefix/logs");

    for my $file (keys %{ $files // {} }) {
        my $path = $file =~ m{^/} ? $file
                   : $file =~ m{^PREFIX/(.*)} ? "$prefix/$1"
                   : "$conf_dir/$file";
        open my $out, '>', $path or die "$path: $!";
        print $out $files->{$file};
        close $out;
    }

    my $conf = join '', map { "load_module $_;\n" } split ' ', $Modules;

    $conf .= <<"_EOC_";
pid logs/nginx.pid;
error_log logs/error.log;

events {
}

http {
    access_log off;
    client_body_temp_path logs/client_body;
    proxy_temp_path logs/proxy;
    fastcgi_temp_path logs/fastcgi;
    uwsgi_temp_path logs/uwsgi;
    scgi_temp_path logs/scgi;

$http
}
_EOC_

    my $conf_file = "$conf_dir/nginx.conf";

    open my $out, '>', $conf_file or die "$conf_file: $!";
    print $out $conf;
    close $out;

    my $line;
    my $n = 0;

    for (split /\n/, $conf) {
        $n++;
        $line = $n if /#HERE/;
    }

    my $output = `$Nginx -t -p $prefix/ -e $prefix/logs/error.log \\
                  -c $conf_file 2>&1`;

    return ($? >> 8, $output, $conf_file, $line);
}


# a configuration nginx -t must refuse with [emerg] naming $what, the
# configuration file and the #HERE line; $what is a regex text, in which
# CONFDIR stands for the configuration file's directory

sub refused {
    my ($name, $what, $http, $files) = @_;

    my ($status, $output, $conf, $line) = nginx_t($name, $http, $files);

    die "$name: no #HERE line" if !defined $line;

    note($output);

    isnt($status, 0, "$name: nginx -t fails");

    # CONFDIR/ in $what: the configuration file's directory
    (my $conf_dir = $conf) =~ s{/[^/]+$}{};
    $what = join quotemeta($conf_dir), split /CONFDIR/, $what, -1;

    like($output, qr/\[emerg\] [^\n]*$what/,
         "$name: the message names what is wrong")
        or diag($output);

    like($output, qr/\[emerg\] [^\n]* in \Q$conf\E:$line\n/,
         "$name: the message names the file and line $line")
        or diag($output);
}


# a configuration nginx -t must accept

sub accepted {
    my ($name, $http, $files) = @_;

    my ($status, $output) = nginx_t($name, $http, $files);

    is($status, 0, "$name: nginx -t passes") or diag($output);
    like($output, qr/test is successful/, "$name: test is successful");
    unlike($output, qr/\[(emerg|alert|crit|error)\]/, "$name: no errors");
}


# a server with one bulk location holding $directives

sub location {
    my $directives = shift;

    return <<"_EOC_";
    server {
        listen 127.0.0.1:1984;

        location = /bulk {
            levers_bulk;
            levers_bulk_gateway /gw;
$directives
        }

        location = /gw {
            internal;
            return 202;
        }
    }
_EOC_
}


# ---- configurations that pass ---------------------------------------------

accepted('valid', location(<<"_EOC_"), {'t.json' => $Good, 'd.json' => $Good});
            levers_bulk_template $Uuid t.json;
            levers_bulk_template 6F1C2D3E-0000-4000-8000-000000000001
                                 t.json;
            levers_bulk_default_template d.json;
            levers_bulk_default_region SA;
            levers_bulk_batch_size 10;
            levers_bulk_e164 off;
            levers_bulk_dedupe off;
            levers_bulk_invalid_number skip;
            levers_bulk_missing_tag keep;
_EOC_

accepted('bounds', location(<<"_EOC_"));
            levers_bulk_batch_size 1000;
            levers_bulk_default_region off;
            levers_bulk_missing_tag empty;
            levers_bulk_invalid_number error;
_EOC_

accepted('absolute template path',
         location("            levers_bulk_template $Uuid "
                  . "$Root/absolute.json;"),
         {"$Root/absolute.json" => $Good});

accepted('gateway and templates from the server level', <<"_EOC_",
    server {
        listen 127.0.0.1:1984;
        levers_bulk_gateway /gw;
        levers_bulk_template $Uuid t.json;

        location = /bulk {
            levers_bulk;
        }

        location = /gw {
            internal;
            return 202;
        }
    }
_EOC_
         {'t.json' => $Good});


# ---- template files --------------------------------------------------------

refused('missing template file', 'CONFDIR/none\.json.*No such file',
        location("            levers_bulk_template $Uuid none.json; #HERE"));

refused('missing default template file',
        'CONFDIR/none\.json.*No such file',
        location("            levers_bulk_default_template none.json; #HERE"));

refused('template file relative to the conf dir, not the prefix',
        'CONFDIR/prefix-only\.json.*No such file',
        location("            levers_bulk_template $Uuid prefix-only.json;"
                 . " #HERE"),
        {'PREFIX/prefix-only.json' => $Good});

refused('bad JSON', 'CONFDIR/bad\.json.*JSON',
        location("            levers_bulk_template $Uuid bad.json; #HERE"),
        {'bad.json' => '{"systemPrompt": "x",}'});

refused('not a JSON object', 'CONFDIR/array\.json.*object',
        location("            levers_bulk_default_template array.json; #HERE"),
        {'array.json' => '["systemPrompt"]'});

refused('no systemPrompt', 'CONFDIR/noprompt\.json.*systemPrompt',
        location("            levers_bulk_template $Uuid noprompt.json; #HERE"),
        {'noprompt.json' => '{"knowledgeBase": "kb"}'});

refused('systemPrompt not a string',
        'CONFDIR/number\.json.*systemPrompt',
        location("            levers_bulk_template $Uuid number.json; #HERE"),
        {'number.json' => '{"systemPrompt": 5}'});

refused('settings not an object', 'CONFDIR/settings\.json.*settings',
        location("            levers_bulk_template $Uuid settings.json; #HERE"),
        {'settings.json' => '{"systemPrompt": "x", "settings": [1]}'});

refused('unknown field', 'CONFDIR/unknown\.json.*sytemPrompt',
        location("            levers_bulk_template $Uuid unknown.json; #HERE"),
        {'unknown.json' => '{"systemPrompt": "x", "sytemPrompt": "y"}'});

refused('unterminated {{', 'CONFDIR/open\.json.*unterminated',
        location("            levers_bulk_template $Uuid open.json; #HERE"),
        {'open.json' => '{"systemPrompt": "Owes {{amount."}'});

refused('unterminated {{ in knowledgeBase',
        'CONFDIR/kb\.json.*unterminated',
        location("            levers_bulk_default_template kb.json; #HERE"),
        {'kb.json' => '{"systemPrompt": "ok", "knowledgeBase": "{{a}} {{"}'});

refused('empty placeholder', 'CONFDIR/empty\.json.*empty placeholder',
        location("            levers_bulk_template $Uuid empty.json; #HERE"),
        {'empty.json' => '{"systemPrompt": "Owes {{ }}."}'});


# ---- template ids ----------------------------------------------------------

refused('bad uuid', '(?=.*levers_bulk_template).*not-a-uuid',
        location("            levers_bulk_template not-a-uuid t.json; #HERE"),
        {'t.json' => $Good});

refused('uuid one digit short',
        '(?=.*levers_bulk_template).*"550e8400-e29b-41d4-a716-44665544000"',
        location("            levers_bulk_template "
                 . "550e8400-e29b-41d4-a716-44665544000 t.json; #HERE"),
        {'t.json' => $Good});

refused('duplicate id', "(?=.*levers_bulk_template).*\Q$Uuid\E",
        location("            levers_bulk_template $Uuid t.json;\n"
                 . "            levers_bulk_template $Uuid d.json; #HERE"),
        {'t.json' => $Good, 'd.json' => $Good});

refused('duplicate id in another spelling',
        '(?=.*levers_bulk_template).*550E8400-E29B',
        location("            levers_bulk_template $Uuid t.json;\n"
                 . "            levers_bulk_template "
                 . "550E8400-E29B-41D4-A716-446655440000 d.json; #HERE"),
        {'t.json' => $Good, 'd.json' => $Good});


# ---- values ----------------------------------------------------------------

refused('levers_bulk_batch_size 5', qr/levers_bulk_batch_size/,
        location("            levers_bulk_batch_size 5; #HERE"));

refused('levers_bulk_batch_size 1001', qr/levers_bulk_batch_size/,
        location("            levers_bulk_batch_size 1001; #HERE"));

refused('levers_bulk_batch_size abc', qr/levers_bulk_batch_size/,
        location("            levers_bulk_batch_size abc; #HERE"));

refused('levers_bulk_default_region XX',
        '(?=.*levers_bulk_default_region).*"XX"',
        location("            levers_bulk_default_region XX; #HERE"));

refused('levers_bulk_default_region SAU',
        '(?=.*levers_bulk_default_region).*"SAU"',
        location("            levers_bulk_default_region SAU; #HERE"));

refused('levers_bulk_invalid_number drop', qr/levers_bulk_invalid_number/,
        location("            levers_bulk_invalid_number drop; #HERE"));

refused('levers_bulk_missing_tag ignore', qr/levers_bulk_missing_tag/,
        location("            levers_bulk_missing_tag ignore; #HERE"));

refused('levers_bulk_e164 yes', qr/levers_bulk_e164/,
        location("            levers_bulk_e164 yes; #HERE"));

refused('levers_bulk_concurrency 0', qr/levers_bulk_concurrency/,
        location("            levers_bulk_concurrency 0; #HERE"));

refused('levers_bulk without levers_bulk_gateway', qr/levers_bulk_gateway/,
        <<"_EOC_");
    server {
        listen 127.0.0.1:1984;

        location = /bulk {
            levers_bulk; #HERE
        }
    }
_EOC_

done_testing();

package Test::Nginx::Socket;

# A small stand-in for openresty/test-nginx's Test::Nginx::Socket, used
# only when the real module is not installed (Debian does not package it).
# It implements the subset of sections and functions this project's t/*.t
# use, with the real module's semantics: same config template, same
# TEST_NGINX_* environment variables, same test names and test counts for
# passing blocks (so "plan tests => ..." agrees under both).  See
# t/lib/README.md for the subset.

use v5.10.1;
use strict;
use warnings;

# lower-case -base: inherit from Test::Base and re-export its functions,
# without Spiffy's source filter
use Test::Base -base;

our $VERSION = '0.29';

use Cwd ();
use Errno qw(EAGAIN EWOULDBLOCK EINTR EINPROGRESS);
use File::Path qw(make_path remove_tree);
use File::Spec ();
use IO::Select ();
use IO::Socket::INET ();
use List::Util qw(shuffle);
use POSIX qw(SIGQUIT SIGKILL SIGTERM WNOHANG);
use Time::HiRes qw(sleep time);

our @EXPORT = qw(
    env_to_nginx is_str plan run_tests run_test repeat_each
    config_preamble worker_connections master_process_enabled
    no_long_string workers master_on master_off log_level no_shuffle
    no_root_location server_name server_addr server_root html_dir
    server_port server_port_for_client timeout add_block_preprocessor
    bail_out add_cleanup_handler check_accum_error_log
);


# ---- settings: same variables and defaults as Test::Nginx::Util ----------

our $NginxBinary = $ENV{TEST_NGINX_BINARY} || find_nginx_binary();
our $LoadModules = $ENV{TEST_NGINX_LOAD_MODULES};
our $UseValgrind = $ENV{TEST_NGINX_USE_VALGRIND};
our $NoShuffle = $ENV{TEST_NGINX_NO_SHUFFLE} || 0;
our $Timeout = $ENV{TEST_NGINX_TIMEOUT} || 3;
our $LogLevel = $ENV{TEST_NGINX_LOG_LEVEL} || 'debug';
our $MasterProcessEnabled = $ENV{TEST_NGINX_MASTER_PROCESS} || 'off';
our $DaemonEnabled = 'on';
our $ServerPort = $ENV{TEST_NGINX_SERVER_PORT} || $ENV{TEST_NGINX_PORT}
                  || 1984;
our $ServerPortForClient = $ENV{TEST_NGINX_CLIENT_PORT} || $ServerPort;
our $TestNginxSleep = $ENV{TEST_NGINX_SLEEP} || 0.015;
our $Verbose = $ENV{TEST_NGINX_VERBOSE};
our $CheckAccumErrLog = $ENV{TEST_NGINX_CHECK_ACCUM_ERR_LOG};
our $WorkerUser = $ENV{TEST_NGINX_WORKER_USER};
our $ServerAddr = '127.0.0.1';
our $ServerName = 'localhost';
our $Workers = 1;
our $WorkerConnections = 64;
our $RepeatEach = 1;
our $NoLongString;
our $NoRootLocation = 0;
our $ConfigPreamble = '';
our @EnvToNginx;
our @BlockPreprocessors;
our @CleanupHandlers;

if ($UseValgrind) {
    # as the real one: nginx stays in the foreground under valgrind
    $DaemonEnabled = 'off';
}

# stock nginx's leaks at exit, shipped next to this module
our $OwnSuppressions = File::Spec->catfile(
    (File::Spec->splitpath(File::Spec->rel2abs(__FILE__)))[1],
    '..', '..', 'valgrind.suppress');

our $ServRoot = $ENV{TEST_NGINX_SERVROOT}
                || File::Spec->rel2abs('t/servroot');
$ENV{TEST_NGINX_SERVER_ROOT} = $ServRoot;

our $LogDir = File::Spec->catfile($ServRoot, 'logs');
our $ErrLogFile = File::Spec->catfile($LogDir, 'error.log');
our $AccLogFile = File::Spec->catfile($LogDir, 'access.log');
our $HtmlDir = File::Spec->catfile($ServRoot, 'html');
our $ConfDir = File::Spec->catfile($ServRoot, 'conf');
our $ConfFile = File::Spec->catfile($ConfDir, 'nginx.conf');
our $PidFile = File::Spec->catfile($LogDir, 'nginx.pid');

# state of the running nginx
our $NginxPid;          # pid of the nginx we started (daemon: from pidfile)
our $ChildPid;          # our child when nginx runs in the foreground
our $PrevConfig;
our $ErrLogFilePos = 0;

# sections this runner understands; any other one fails the block, so a
# test never passes here by silently ignoring what it asks for
my %KnownSections = map { $_ => 1 } qw(
    config http_config main_config post_main_config server_name log_level
    request more_headers timeout wait abort init user_files
    error_code error_code_like
    response_body response_body_like response_body_unlike
    response_headers response_headers_like
    raw_response_headers_like raw_response_headers_unlike
    error_log no_error_log ignore_response no_check_leak
    ONLY SKIP LAST
);


# ---- configuration functions (exported) ----------------------------------

sub env_to_nginx {
    die "env_to_nginx: no arguments specified\n" if !@_;
    for my $v (@_) {
        if ($v !~ /^[A-Za-z_]/ || $v =~ /\n/) {
            die "env_to_nginx: bad argument value: $v\n";
        }
        push @EnvToNginx, $v;
    }
}

sub repeat_each {
    $RepeatEach = shift if @_;
    return $RepeatEach;
}

sub workers {
    return $Workers if !@_;
    $Workers = shift;
}

sub worker_connections {
    return $WorkerConnections if !@_;
    $WorkerConnections = shift;
}

sub log_level {
    return $LogLevel if !@_;
    $LogLevel = shift;
}

sub master_on { $MasterProcessEnabled = 'on' }
sub master_off { $MasterProcessEnabled = 'off' }

sub master_process_enabled {
    return $MasterProcessEnabled if !@_;
    $MasterProcessEnabled = shift() ? 'on' : 'off';
}

sub no_shuffle { $NoShuffle = 1 }
sub no_long_string { $NoLongString = 1 }
sub no_root_location { $NoRootLocation = 1 }
sub check_accum_error_log { $CheckAccumErrLog = 1 }
sub config_preamble { $ConfigPreamble = shift }

sub timeout {
    return $Timeout if !@_;
    $Timeout = shift;
}

sub server_port {
    return $ServerPort if !@_;
    $ServerPort = shift;
}

sub server_port_for_client {
    return $ServerPortForClient if !@_;
    $ServerPortForClient = shift;
}

sub server_addr {
    return $ServerAddr if !@_;
    $ServerAddr = shift;
}

sub server_name {
    return $ServerName if !@_;
    $ServerName = shift;
}

sub html_dir { $HtmlDir }
sub server_root { $ServRoot }

sub add_block_preprocessor(&) { unshift @BlockPreprocessors, shift }
sub add_cleanup_handler { unshift @CleanupHandlers, shift }

sub bail_out {
    cleanup();
    Test::More::BAIL_OUT(join '', @_);
}

sub is_str {
    my ($got, $expected, $desc) = @_;

    if (ref $expected && ref $expected eq 'Regexp') {
        return Test::More::like($got, $expected, $desc);
    }

    return Test::More::is($got, $expected, $desc);
}


# ---- small helpers -------------------------------------------------------

sub find_nginx_binary {
    for my $dir (split /:/, $ENV{PATH} // '') {
        next if $dir eq '';
        my $path = "$dir/nginx";
        return $path if -f $path && -x _;
    }
    return '/usr/sbin/nginx';
}

sub parse_time {
    my $tm = shift;

    if (defined $tm) {
        if ($tm =~ s/([^_a-zA-Z])ms$/$1/) {
            $tm = $tm / 1000;
        } else {
            $tm =~ s/([^_a-zA-Z])s$/$1/;
        }
    }

    return $tm;
}

sub fmt_str {
    my $str = shift;
    chomp $str;
    $str =~ s/"/\\"/g;
    $str =~ s/\r/\\r/g;
    $str =~ s/\n/\\n/g;
    return $str;
}

sub trim {
    my $s = shift;
    return undef if !defined $s;
    $s =~ s/^\s+|\s+$//g;
    $s =~ s/\n/ /gs;
    $s =~ s/\s{2,}/ /gs;
    return $s;
}

sub read_file_from {
    my ($path, $pos) = @_;

    open my $in, '<', $path or return undef;
    binmode $in;
    seek $in, $pos, 0 if $pos;
    local $/;
    my $data = <$in>;
    close $in;
    return $data // '';
}

# empties error.log (a failed start attempt must not count against a block)
sub truncate_error_log {
    if (open my $fh, '>', $ErrLogFile) {
        close $fh;
    }

    $ErrLogFilePos = 0;
}

sub log_tail {
    my $n = shift || 30;
    my $data = read_file_from($ErrLogFile, 0);
    return "(no $ErrLogFile)\n" if !defined $data;
    my @lines = split /\n/, $data;
    @lines = @lines[-$n .. -1] if @lines > $n;
    return join '', map { "$_\n" } @lines;
}

# "TEST_NGINX_FOO" -> $ENV{TEST_NGINX_FOO}, as expand_env_in_text
sub expand_env_in_text {
    my ($text, $name) = @_;

    return undef if !defined $text;

    $text =~ s/\$(TEST_NGINX_[_A-Z0-9]+)/
        if (!defined $ENV{$1}) {
            bail_out("$name - No environment $1 defined.\n");
        }
        $ENV{$1};
    /eg;

    return $text;
}


# ---- processes -----------------------------------------------------------

sub is_running {
    my $pid = shift;

    return 0 if !$pid;

    if (defined $ChildPid && $pid == $ChildPid) {
        return 0 if waitpid($pid, WNOHANG) == $pid;
    }

    return 0 if !kill 0, $pid;

    # a zombie nobody reaps yet is gone for our purpose
    if (open my $st, '<', "/proc/$pid/stat") {
        my $line = <$st> // '';
        close $st;
        return 0 if $line =~ /^\d+ \(.*\) Z /s;
    }

    return 1;
}

sub pid_from_pidfile {
    open my $in, '<', $PidFile or return undef;
    my $pid = <$in>;
    close $in;
    return undef if !defined $pid;
    chomp $pid;
    return $pid =~ /^\d+$/ ? $pid : undef;
}

# QUIT, then wait; TERM and KILL when nginx does not leave in time
sub kill_process {
    my ($pid, $name) = @_;

    return if !is_running($pid);

    kill SIGQUIT, $pid;

    my $wait = $UseValgrind ? 30 : timeout();
    while ($wait > 0 && is_running($pid)) {
        sleep 0.02;
        $wait -= 0.02;
    }

    return if !is_running($pid);

    warn "$name - nginx $pid did not quit in time, terminating it\n";
    kill SIGTERM, $pid;
    sleep 0.5;

    if (is_running($pid)) {
        kill SIGKILL, (getpgrp($pid) == $pid ? -$pid : $pid);
        sleep 0.1;
    }

    waitpid($pid, 0) if defined $ChildPid && $pid == $ChildPid;
}

sub stop_nginx {
    my $name = shift;

    my $pid = $NginxPid // pid_from_pidfile();

    if (defined $pid) {
        kill_process($pid, $name);

        # nginx is the leader of its process group (setsid when it
        # daemonizes, setpgrp under valgrind): workers orphaned by a dead
        # master would otherwise keep the port
        if (kill 0, -$pid) {
            kill SIGKILL, -$pid;
            sleep 0.05;
        }
    }

    if (defined $ChildPid) {
        waitpid($ChildPid, WNOHANG);
        undef $ChildPid;
    }

    undef $NginxPid;
    unlink $PidFile if -f $PidFile;
}

sub cleanup {
    for my $hdl (@CleanupHandlers) {
        $hdl->();
    }

    stop_nginx('cleanup');
}

# true when something listens on the TCP port (no connection is made, so
# nothing is written to error.log)
sub port_is_listening {
    my $port = shift;

    for my $file ('/proc/net/tcp', '/proc/net/tcp6') {
        open my $in, '<', $file or next;
        while (my $line = <$in>) {
            my @f = split ' ', $line;
            next if @f < 4 || $f[3] ne '0A';
            if ($f[1] =~ /:([0-9A-Fa-f]{4})$/ && hex($1) == $port) {
                close $in;
                return 1;
            }
        }
        close $in;
    }

    return 0;
}


# ---- server root and nginx.conf ------------------------------------------

sub setup_server_root {
    if (-d $ServRoot) {
        remove_tree($ConfDir, $HtmlDir, $LogDir, glob("$ServRoot/*_temp"),
                    glob("$ServRoot/*_cache"));
    }

    for my $dir ($ServRoot, $LogDir, $HtmlDir, $ConfDir) {
        make_path($dir) if !-d $dir;
        bail_out("Failed to create $dir\n") if !-d $dir;
    }

    my $index_file = "$HtmlDir/index.html";
    open my $out, '>', $index_file
        or bail_out("Can't open $index_file for writing: $!\n");
    print $out '<html><head><title>It works!</title></head>'
               . '<body>It works!</body></html>';
    close $out;
}

sub write_user_files {
    my $block = shift;

    my $name = $block->name;
    my $files = $block->user_files;

    return if !$files;

    if (!ref $files) {
        my $raw = $files;
        my ($fname, $body, $date);

        open my $in, '<', \$raw;
        $files = [];
        while (<$in>) {
            if (/>>> (\S+)(?:\s+(.+))?/) {
                push @$files, [$fname, $body, $date] if $fname;
                $fname = $1;
                $date = $2;
                undef $body;
            } else {
                $body .= $_;
            }
        }
        push @$files, [$fname, $body, $date] if $fname;

    } elsif (ref $files ne 'ARRAY') {
        bail_out("$name - wrong value type: ", ref $files,
                 ", only scalar or ARRAY are accepted");
    }

    for my $file (@$files) {
        my ($fname, $body, $date) = @$file;
        my $path = $fname =~ m{^/} ? $fname : "$HtmlDir/$fname";

        if ($path =~ m{(.*)/} && !-d $1) {
            make_path($1);
        }

        $body = expand_env_in_text($body // '', $name);

        open my $out, '>', $path
            or bail_out("$name - Cannot open $path for writing: $!\n");
        binmode $out;
        print $out $body;
        close $out;

        if ($date) {
            system("TZ=GMT touch -t '$date' '$path'") == 0
                or bail_out("$name - Failed to touch $path\n");
        }
    }
}

sub write_config_file {
    my ($block, $config) = @_;

    my $name = $block->name;
    my $http_config = expand_env_in_text(scalar $block->http_config, $name);
    my $main_config = $block->main_config // '';
    my $post_main_config = $block->post_main_config // '';
    my $server_name = $block->server_name // $ServerName;

    if ($LoadModules) {
        # exactly as Test::Nginx::Util: appended to main_config
        my @modules = map { "load_module $_;" } grep { $_ }
                      split /\s+/, $LoadModules;
        $main_config .= join ' ', @modules if @modules;
    }

    $main_config = expand_env_in_text($main_config, $name);
    $post_main_config = expand_env_in_text($post_main_config, $name);
    $http_config //= '';
    $config //= '';

    open my $out, '>', $ConfFile
        or bail_out("Can't open $ConfFile for writing: $!\n");

    print $out <<_EOC_;
worker_processes  $Workers;
daemon $DaemonEnabled;
master_process $MasterProcessEnabled;
error_log $ErrLogFile $LogLevel;
pid       $PidFile;
env LD_PRELOAD;
env LD_LIBRARY_PATH;
_EOC_

    for my $v (@EnvToNginx) {
        my $e = $v =~ /\s/ ? "'$v'" : $v;
        print $out "env $e;\n";
    }

    print $out <<_EOC_;

$main_config

http {
    access_log $AccLogFile;

    default_type text/plain;
    keepalive_timeout  68;

$http_config

    server {
        listen          $ServerPort;
        server_name     '$server_name';

        client_max_body_size 30M;

        # Begin preamble config...
$ConfigPreamble
        # End preamble config...

        # Begin test case config...
$config
        # End test case config.

_EOC_

    if (!$NoRootLocation) {
        print $out <<_EOC_;
        location / {
            root $HtmlDir;
            index index.html index.htm;
        }
_EOC_
    }

    print $out <<_EOC_;
    }
}

$post_main_config

events {
    accept_mutex off;

    worker_connections  $WorkerConnections;
}
env ASAN_OPTIONS;
_EOC_

    if (defined $WorkerUser) {
        print $out "user $WorkerUser;\n";

    } elsif ($> == 0) {
        print $out "user root;\n";
    }

    close $out;
}


# ---- starting nginx ------------------------------------------------------

sub valgrind_command {
    my $cmd = shift;

    if ($UseValgrind !~ /^\d+$/) {
        # a string of options, as the real one
        return "valgrind -q $UseValgrind --log-file=$LogDir/valgrind.%p.log "
               . $cmd;
    }

    my $opts = '--tool=memcheck --leak-check=full --show-possibly-lost=no'
               . ' --num-callers=100 --gen-suppressions=all';

    # valgrind.suppress in the current directory, as the real one; the
    # runner's own list of stock nginx leaks; the user's file
    for my $supp ('valgrind.suppress', $OwnSuppressions,
                  $ENV{TEST_NGINX_VALGRIND_SUPP})
    {
        $opts .= " --suppressions=$supp" if $supp && -f $supp;
    }

    return "valgrind -q $opts --log-file=$LogDir/valgrind.%p.log $cmd";
}

# returns undef on success, else a message saying why nginx did not start
sub start_nginx {
    my $name = shift;

    my $cmd = "$NginxBinary -p $ServRoot/ -c $ConfFile";

    for (my $wait = 5; port_is_listening($ServerPort); $wait -= 0.1) {
        if ($wait <= 0) {
            return "port $ServerPort is already in use by another process";
        }
        sleep 0.1;
    }

    if ($UseValgrind) {
        $cmd = valgrind_command($cmd);
        warn "$name\n";

        my $pid = fork();
        return "fork() failed: $!" if !defined $pid;

        if ($pid == 0) {
            setpgrp;
            Test::More->builder->no_ending(1);
            open STDOUT, '>', '/dev/null';
            { exec "exec $cmd" };
            POSIX::_exit(127);
        }

        $ChildPid = $NginxPid = $pid;
        return wait_until_listening($name, 60);
    }

    my $tries = 0;
    my $out;

    while (1) {
        $out = `$cmd 2>&1`;
        last if $? == 0;

        # the previous nginx may still hold the port for a moment; the
        # failed attempt's [emerg] must not count against the block
        if ($out =~ /Address already in use/ && ++$tries < 20) {
            truncate_error_log();
            sleep 0.25;
            next;
        }

        return "\"$cmd\" failed (status $?):\n$out";
    }

    # the daemon writes its pid file right after it forks
    for (my $i = 0; $i < 200 && !defined pid_from_pidfile(); $i++) {
        sleep 0.01;
    }

    $NginxPid = pid_from_pidfile();
    return "nginx started but wrote no pid file" if !defined $NginxPid;

    return wait_until_listening($name, 10);
}

sub wait_until_listening {
    my ($name, $limit) = @_;

    my $deadline = time + $limit;

    while (time < $deadline) {
        return undef if port_is_listening($ServerPort);

        if (!is_running($NginxPid)) {
            return "nginx exited during start-up";
        }

        sleep 0.05;
    }

    return "nginx did not listen on port $ServerPort within $limit s";
}


# ---- running the tests ---------------------------------------------------

sub run_tests {
    $ENV{TEST_NGINX_SERVER_PORT} //= $ServerPort;

    my @blocks = Test::Base::blocks();

    for my $block ($NoShuffle ? @blocks : shuffle @blocks) {
        for my $hdl (@BlockPreprocessors) {
            $hdl->($block);
        }

        $block->set_value('name', $0 . ' ' . $block->name);
        run_test($block);
    }

    cleanup();
}

# fields Test::Base keeps in every block besides its sections
my %BlockFields = map { $_ => 1 } qw(
    name description seq_num is_filtered blocks_object original_values
);

sub unknown_sections {
    my $block = shift;

    my %seen;
    return grep { !$seen{$_}++ }
           grep { !/^_/ && !$KnownSections{$_} && !$BlockFields{$_} }
           @{ $block->_section_order || [] }, keys %$block;
}

sub run_test {
    my $block = shift;

    return if defined $block->SKIP;

    my $name = $block->name;

    my @unknown = unknown_sections($block);
    if (@unknown) {
        Test::More::fail("$name - section(s) not supported by the small "
                         . "runner in t/lib: @unknown");
        return;
    }

    local $LogLevel = $block->log_level || $LogLevel;

    my $config = expand_env_in_text(scalar $block->config, $name);

    if (defined $config || !defined $NginxPid || !is_running($NginxPid)) {
        if (!defined $config && !defined $PrevConfig) {
            bail_out("$name - No '--- config' section specified and could "
                     . "not get previous one.");
        }

        $config //= $PrevConfig;

        stop_nginx($name);
        setup_server_root();
        write_user_files($block);
        write_config_file($block, $config);

        my $err = start_nginx($name);
        if (defined $err) {
            Test::More::fail("$name - nginx failed to start: $err");
            Test::More::diag("error.log tail:\n" . log_tail(30));
            stop_nginx($name);
            return;
        }

        $PrevConfig = $config;
    }

    if ($block->init) {
        eval $block->init;
        bail_out("$name - init failed: $@") if $@;
    }

    $ErrLogFilePos = 0;

    for my $i (1 .. $RepeatEach) {
        write_user_files($block) if $i > 1;
        run_test_helper($block, $i - 1);
    }

    check_nginx_health($block);

    if ($UseValgrind) {
        stop_nginx($name);
        check_valgrind_report($block);
    }
}

# a crashed worker or a vanished nginx fails the block
sub check_nginx_health {
    my $block = shift;

    my $name = $block->name;
    my $log = read_file_from($ErrLogFile, 0) // '';

    my @crashes = grep { /exited on signal|\bAssertion .*?failed\b/ }
                  split /\n/, $log;
    if (@crashes) {
        Test::More::fail("$name - nginx crashed: $crashes[0]");
        Test::More::diag("error.log tail:\n" . log_tail(30));
    }

    if (defined $NginxPid && !is_running($NginxPid)) {
        Test::More::fail("$name - the nginx process $NginxPid is gone");
        Test::More::diag("error.log tail:\n" . log_tail(30));
        undef $NginxPid;
    }
}

sub check_valgrind_report {
    my $block = shift;

    my $name = $block->name;
    my $report = '';

    for my $file (sort glob("$LogDir/valgrind.*.log")) {
        my $data = read_file_from($file, 0) // '';
        $report .= $data;
        unlink $file;
    }

    if ($report =~ /\S/) {
        Test::More::fail("$name - valgrind reported errors or leaks");
        Test::More::diag($report);
    }
}

sub run_test_helper {
    my ($block, $repeated_req_idx) = @_;

    my $name = $block->name;
    my $requests = build_requests($block);
    my $need_array = @$requests > 1;

    my $timeout = parse_time(scalar $block->timeout) // timeout();
    my $wait = $block->wait;

    # under valgrind nginx is slower: give it more time, except where the
    # client's timeout is the point of the test (an abort), and wait longer
    # for what it logs afterwards instead
    if ($UseValgrind && !defined $block->abort) {
        $timeout = $timeout * 5 < 10 ? 10 : $timeout * 5;
    }

    if ($UseValgrind && $wait) {
        $wait *= 5;
    }

    for my $req_idx (0 .. $#$requests) {
        my $req = $requests->[$req_idx];
        my $raw = send_request($block, $req, $timeout);
        my ($res, $raw_headers);

        if (!defined $block->ignore_response) {
            ($res, $raw_headers) = parse_response($name, $raw // '',
                                                  $req =~ /^HEAD\s/);
            check_error_code($block, $res, $req_idx, $need_array);
            check_raw_response_headers($block, $raw_headers, $req_idx,
                                       $need_array);
            check_response_headers($block, $res, $raw_headers, $req_idx,
                                   $need_array);
            check_response_body($block, $res, $req_idx, $repeated_req_idx,
                                $need_array);
        }

        if ($req_idx < $#$requests) {
            sleep $wait if $wait;
            check_error_log($block, $repeated_req_idx);
        }
    }

    sleep $wait if $wait;
    check_error_log($block, $repeated_req_idx);
}


# ---- building and sending requests ---------------------------------------

sub parse_more_headers {
    my $in = shift;

    my ($out, $is_chunked) = ('', 0);

    for my $header (split /\n+/, $in) {
        next if $header =~ /^\s*\#/;
        my ($key, $val) = split /:\s*/, $header, 2;
        $val //= '';
        $is_chunked = 1
            if lc($key) eq 'transfer-encoding' && $val eq 'chunked';
        $out .= "$key: $val\r\n";
    }

    return ($out, $is_chunked);
}

# "METHOD [URI [HTTP/1.x]]\nbody" -> raw HTTP request, as the real one
sub build_request {
    my ($name, $request, $more_headers) = @_;

    my ($hdr, $is_chunked) = parse_more_headers($more_headers);

    $request =~ s/\A(?:\s*\#[^\n]*\n|\s+)+//;

    my ($first, $content) = split /\n/, $request, 2;
    if (!defined $first || $first !~ /\S/) {
        bail_out("$name - Request line should be non-empty");
    }

    my ($meth, $url, $ver) = split ' ', $first;
    $url //= '/';
    $ver //= 'HTTP/1.1';
    $content //= '';

    my $len_header = '';
    if (!$is_chunked && $content ne ''
        && $hdr !~ /(?:^|\n)Content-Length:/)
    {
        $content =~ s/^\s+|\s+$//gs;
        $len_header = 'Content-Length: ' . length($content) . "\r\n";
    }

    my $headers = '';
    $headers .= "Host: $ServerName\r\n" if $hdr !~ /(?:^|\n)Host:/msi;
    $headers .= "Connection: close\r\n"
        if $hdr !~ /(?:^|\n)Connection/msi;

    return "$meth $url $ver\r\n$headers$hdr$len_header\r\n$content";
}

sub build_requests {
    my $block = shift;

    my $name = $block->name;
    my $request = $block->request;
    my $more_headers = $block->more_headers // '';

    bail_out("$name - no --- request section") if !defined $request;

    my @reqs = ref $request eq 'ARRAY' ? @$request : ($request);
    my @out;

    for my $i (0 .. $#reqs) {
        bail_out("$name - requests must be strings here") if ref $reqs[$i];
        my $hdr = ref $more_headers eq 'ARRAY' ? $more_headers->[$i]
                                               : $more_headers;
        bail_out("$name - --- more_headers lacks data for request $i")
            if !defined $hdr;
        push @out, build_request($name, $reqs[$i], $hdr);
    }

    return \@out;
}

sub connect_to_server {
    my ($name, $timeout) = @_;

    my $sock;
    my $deadline = time + $timeout;

    while (1) {
        $sock = IO::Socket::INET->new(
            PeerAddr => $ServerAddr,
            PeerPort => $ServerPortForClient,
            Proto    => 'tcp',
            Timeout  => $timeout,
        );
        return $sock if $sock;
        last if time >= $deadline;
        sleep 0.05;
    }

    Test::More::fail("$name - Can't connect to $ServerAddr:"
                     . "$ServerPortForClient: $! (aborted)\n");
    return undef;
}

# writes and reads at the same time, so a server that answers early (413)
# while a large body is still being sent does not block us
sub send_request {
    my ($block, $req, $timeout) = @_;

    my $name = $block->name;
    my $sock = connect_to_server($name, $timeout) or return undef;

    local $SIG{PIPE} = 'IGNORE';

    $sock->blocking(0);

    my $sel_r = IO::Select->new($sock);
    my $sel_w = IO::Select->new($sock);
    my ($resp, $off) = ('', 0);

    while ($sel_r->count) {
        my ($r, $w) = IO::Select->select($sel_r, $sel_w->count ? $sel_w
                                                               : undef,
                                         undef, $timeout);

        if (!$r && !$w) {
            next if $! == EINTR;
            close $sock;
            if (!defined $block->abort) {
                Test::More::fail("ERROR: client socket timed out - $name\n");
            }
            return $resp;
        }

        if ($w && @$w) {
            my $n = syswrite($sock, $req, 65536, $off);

            if (defined $n) {
                $off += $n;
                $sel_w->remove($sock) if $off >= length $req;

            } elsif ($! != EAGAIN && $! != EWOULDBLOCK && $! != EINTR) {
                # the server closed early; its answer may still be there
                $sel_w->remove($sock);
            }
        }

        if ($r && @$r) {
            my $n = sysread($sock, my $buf, 65536);

            if (defined $n) {
                last if $n == 0;
                $resp .= $buf;

            } elsif ($! != EAGAIN && $! != EWOULDBLOCK && $! != EINTR) {
                last;
            }
        }
    }

    close $sock;
    return $resp;
}


# ---- parsing the response ------------------------------------------------

package Test::Nginx::Socket::Response;

sub new {
    my ($class, %args) = @_;
    return bless { code => undef, headers => [], content => undef, %args },
                 $class;
}

sub code { $_[0]{code} }

sub content {
    my $self = shift;
    $self->{content} = shift if @_;
    return $self->{content};
}

# all values of a header joined with ", ", as HTTP::Headers does
sub header {
    my ($self, $key) = @_;
    my @vals = map { $_->[1] } grep { lc $_->[0] eq lc $key }
               @{ $self->{headers} };
    return @vals ? join(', ', @vals) : undef;
}

package Test::Nginx::Socket;

sub decode_chunked {
    my ($name, $raw) = @_;

    my ($decoded, $pos) = ('', 0);

    while (1) {
        if (substr($raw, $pos) !~ /\A[ \t]*([A-Fa-f0-9]+)[^\r\n]*\r\n/) {
            Test::More::fail("$name - invalid chunked body received");
            return undef;
        }

        my $size = hex $1;
        $pos += length $&;

        if ($size == 0) {
            return $decoded;
        }

        if (length($raw) < $pos + $size + 2) {
            Test::More::fail("$name - invalid chunked data received "
                             . "(not enough octets for the data section)");
            return undef;
        }

        $decoded .= substr($raw, $pos, $size);
        $pos += $size;

        if (substr($raw, $pos, 2) ne "\r\n") {
            Test::More::fail("$name - invalid chunked data received "
                             . "(expected CRLF).");
            return undef;
        }

        $pos += 2;
    }
}

sub parse_response {
    my ($name, $raw, $head_req) = @_;

    my $res = Test::Nginx::Socket::Response->new;
    my $raw_headers = '';
    my $body;

    if ($raw =~ /\A(.*?\r\n)\r\n/s) {
        $raw_headers = $1;
        $body = substr($raw, length($1) + 2);
    } else {
        $raw_headers = $raw;
        $body = '';
    }

    my @lines = split /\r\n/, $raw_headers;
    my $status = shift @lines // '';

    if ($status =~ m{^HTTP/\d+(?:\.\d+)?\s+(\d+)}) {
        $res->{code} = $1;
    }

    for my $line (@lines) {
        if ($line =~ /^([^:\s]+)\s*:\s*(.*?)\s*$/) {
            push @{ $res->{headers} }, [$1, $2];
        }
    }

    my $code = $res->code // 0;
    if ($head_req || $code == 304 || $code == 101 || $code == 204) {
        $res->content($body);
        return ($res, $raw_headers);
    }

    my $enc = $res->header('Transfer-Encoding');
    my $len = $res->header('Content-Length');

    if (defined $enc && $enc eq 'chunked') {
        $body = decode_chunked($name, $body) // $body;

    } elsif (defined $len && $len =~ /^\d+$/) {
        if (length $body < $len) {
            warn "WARNING: $name - response body truncated: $len expected, "
                 . "but got " . length($body) . "\n";
        } else {
            $body = substr $body, 0, $len;
        }
    }

    $res->content($body);
    return ($res, $raw_headers);
}


# ---- checks --------------------------------------------------------------

sub get_indexed_value {
    my ($name, $value, $req_idx, $need_array) = @_;

    if ($need_array) {
        return $value->[$req_idx] if ref $value && ref $value eq 'ARRAY';
        bail_out("$name - You asked for many requests, the expected results "
                 . "should be arrays as well.");
    }

    return $value->[0] if ref $value && ref $value eq 'ARRAY';
    return $value;
}

sub check_error_code {
    my ($block, $res, $req_idx, $need_array) = @_;

    my $name = $block->name;
    my $code = ($res && $res->code) || '';

    if (defined $block->error_code_like) {
        my $val = get_indexed_value($name, $block->error_code_like,
                                    $req_idx, $need_array);
        Test::More::like($code, qr/$val/sm, "$name - status code ok");

    } elsif (defined $block->error_code) {
        my $val = get_indexed_value($name, $block->error_code, $req_idx,
                                    $need_array);
        Test::More::is($code, $val, "$name - status code ok");

    } else {
        Test::More::is($code, 200, "$name - status code ok");
    }
}

sub check_raw_response_headers {
    my ($block, $raw_headers, $req_idx, $need_array) = @_;

    my $name = $block->name;

    if (defined $block->raw_response_headers_like) {
        my $pat = get_indexed_value($name, $block->raw_response_headers_like,
                                    $req_idx, $need_array);
        Test::More::like($raw_headers, qr/$pat/s,
                         "$name - raw resp headers like");
    }

    if (defined $block->raw_response_headers_unlike) {
        my $pat = get_indexed_value($name,
                                    $block->raw_response_headers_unlike,
                                    $req_idx, $need_array);
        Test::More::unlike($raw_headers, qr/$pat/s,
                           "$name - raw resp headers unlike");
    }
}

# "Name: value" and "!Name" lines, in order
sub parse_headers {
    my $s = shift;

    my @headers;
    for my $line (split /\n/, $s) {
        $line =~ s/^\s+|\s+$//g;
        next if $line eq '';
        if ($line =~ s/^!\s*//) {
            push @headers, [$line, undef];
        } else {
            my ($key, $val) = split /\s*:\s*/, $line, 2;
            push @headers, [$key, $val // ''];
        }
    }

    return \@headers;
}

sub check_response_headers {
    my ($block, $res, $raw_headers, $req_idx, $need_array) = @_;

    my $name = $block->name;

    if (defined $block->response_headers) {
        my $headers = parse_headers(get_indexed_value(
            $name, $block->response_headers, $req_idx, $need_array));

        for my $h (@$headers) {
            my ($key, $val) = @$h;

            if (!defined $val) {
                Test::More::unlike($raw_headers, qr/^\s*\Q$key\E\s*:/ms,
                    "$name - header $key not present in the raw headers");
                next;
            }

            $val =~ s/\$ServerPort\b/$ServerPort/g;
            $val =~ s/\$ServerPortForClient\b/$ServerPortForClient/g;

            my $actual = $res ? $res->header($key) : undef;
            Test::More::is($actual // '', $val, "$name - header $key ok");
        }

    } elsif (defined $block->response_headers_like) {
        my $headers = parse_headers(get_indexed_value(
            $name, $block->response_headers_like, $req_idx, $need_array));

        for my $h (@$headers) {
            my ($key, $val) = @$h;
            my $actual = ($res ? $res->header($key) : undef) // '';
            Test::More::like($actual, qr/^$val$/,
                             "$name - header $key like ok");
        }
    }
}

sub check_response_body {
    my ($block, $res, $req_idx, $repeated_req_idx, $need_array) = @_;

    my $name = $block->name;
    my $content = $res ? $res->content : undef;

    if (defined $block->response_body) {
        my $expected = get_indexed_value($name, $block->response_body,
                                         $req_idx, $need_array);

        if (defined $expected && !ref $expected) {
            $expected =~ s/\$ServerPort\b/$ServerPort/g;
            $expected =~ s/\$ServerPortForClient\b/$ServerPortForClient/g;
        }

        my $desc = "(repeated req $repeated_req_idx, req $req_idx)";

        if (ref $expected) {
            Test::More::like($content, $expected,
                             "$name - response_body - like $desc");
        } else {
            Test::More::is($content, $expected,
                "$name - response_body - response is expected $desc");
        }

    } elsif (defined $block->response_body_like
             || defined $block->response_body_unlike)
    {
        my ($type, $patterns) = defined $block->response_body_like
            ? ('like', $block->response_body_like)
            : ('unlike', $block->response_body_unlike);

        my $pat = get_indexed_value($name, $patterns, $req_idx, $need_array);
        if (!ref $pat) {
            $pat =~ s/\$ServerPort\b/$ServerPort/g;
            $pat =~ s/\$ServerPortForClient\b/$ServerPortForClient/g;
        }

        my $summary = trim($content) // '';
        if (length $summary > 200) {
            $summary = substr($summary, 0, 200) . '...';
        }

        my $desc = "$name - response_body_$type - response is expected "
                   . "($summary)";

        if ($type eq 'like') {
            Test::More::like($content, qr/$pat/s, $desc);
        } else {
            Test::More::unlike($content, qr/$pat/s, $desc);
        }
    }
}

sub error_log_data {
    # lines logged after the response was sent (log phase) need a moment
    sleep $TestNginxSleep * 3;

    my $data = read_file_from($ErrLogFile, $CheckAccumErrLog ? 0
                                                             : $ErrLogFilePos);
    return [] if !defined $data;

    $ErrLogFilePos += length $data if !$CheckAccumErrLog;

    return [split /^/m, $data];
}

sub patterns_of {
    my $pats = shift;

    if (!ref $pats) {
        chomp $pats;
        return [split /\n+/, $pats];
    }

    return [$pats] if ref $pats eq 'Regexp';
    return [@$pats];
}

sub line_matches {
    my ($line, $pat) = @_;
    return ref $pat ? $line =~ /$pat/ : index($line, $pat) >= 0;
}

sub pattern_mentions {
    my ($pats, $word) = @_;

    return 0 if !defined $pats;
    return grep { index("$_", $word) >= 0 } @{ patterns_of($pats) };
}

sub check_error_log {
    my ($block, $repeated_req_idx) = @_;

    my $name = $block->name;
    my $lines;
    my $ridx = "(req $repeated_req_idx)";

    # as the real one: unexpected [alert], [crit] and [emerg] lines are
    # printed (not failed) unless the block checks for them
    my @levels = grep {
        !pattern_mentions(scalar $block->error_log, $_)
        && !pattern_mentions(scalar $block->no_error_log, $_)
    } ('[alert', '[crit', '[emerg');

    if (defined $block->error_log) {
        my $pats = patterns_of($block->error_log);

        $lines ||= error_log_data();

        for my $line (@$lines) {
            for my $pat (@$pats) {
                next if !defined $pat;
                if (line_matches($line, $pat)) {
                    Test::More::pass("$name - pattern \"$pat\" matches a "
                                     . "line in error.log $ridx");
                    undef $pat;
                }
            }
        }

        for my $pat (@$pats) {
            next if !defined $pat;
            Test::More::fail("$name - pattern \"$pat\" should match a line "
                             . "in error.log $ridx");
        }
    }

    if (defined $block->no_error_log) {
        my $pats = patterns_of($block->no_error_log);
        my %found;

        $lines ||= error_log_data();

        for my $line (@$lines) {
            for my $pat (@$pats) {
                next if !defined $pat;
                next if !line_matches($line, $pat);
                $found{$pat} = 1;
                my ($ln, $p) = (fmt_str($line), fmt_str("$pat"));
                Test::More::fail("$name - pattern \"$p\" should not match "
                                 . "any line in error.log but matches line "
                                 . "\"$ln\" $ridx");
            }
        }

        for my $pat (@$pats) {
            next if !defined $pat || $found{$pat};
            my $p = fmt_str("$pat");
            Test::More::pass("$name - pattern \"$p\" does not match a line "
                             . "in error.log $ridx");
        }
    }

    if (@levels) {
        $lines ||= error_log_data();
        for my $line (@$lines) {
            if (grep { index($line, $_) >= 0 } @levels) {
                warn "WARNING: $name - " . fmt_str($line) . "\n";
            }
        }
    }
}


END {
    local $?;

    if (!$ENV{TEST_NGINX_NO_CLEAN} || $UseValgrind) {
        cleanup();
    }
}

1;

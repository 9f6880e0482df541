# A graceful reload (HUP) or shutdown (QUIT) while a bulk request is being
# dispatched lets it finish: the client gets its complete 201, every
# contact accepted, and after QUIT nginx exits once the request is done
# (issue 5, docs/dispatch.md "Client aborts, reloads, logs").
#
# A plain Test::More script, self-contained (no Test::Nginx): it writes
# its own configurations into a temporary directory and runs two nginx
# masters of its own, on free loopback ports (not 1984):
#
#   front    the module (TEST_NGINX_LOAD_MODULES), master on, 1 worker
#   gateway  an nginx answering each batch 202 after 1 s (echo_sleep):
#            the front's QUIT closes the front's listeners, so the gateway
#            cannot be a server of the front nginx
#
# A third case shows what worker_shutdown_timeout does to such a request
# (its outcome is logged all the same).
#
# Runs in about 12 s; every nginx it started is killed in END.

use strict;
use warnings;

use Test::More;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use IO::Select;
use JSON::PP;
use POSIX qw(WNOHANG);
use Time::HiRes qw(time sleep);

my $modules = $ENV{TEST_NGINX_LOAD_MODULES};
die "t/bulk-reload.t: TEST_NGINX_LOAD_MODULES is not set: give it the "
    . "path of build/ngx_http_levers_bulk_module.so\n"
    unless defined $modules && $modules =~ /\S/;

my $nginx = $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx';
my $echo = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

die "t/bulk-reload.t: $echo is missing (libnginx-mod-http-echo)\n"
    unless -f $echo;

# the whole file is bounded in time, whatever happens
$SIG{ALRM} = sub { die "t/bulk-reload.t: took more than 19 s\n" };
alarm 19;

my %masters;                    # name => pid of a master we started

END {
    my $status = $?;
    stop_all();
    $? = $status;
}

my $dir = tempdir('bulk-reload-XXXXXX', TMPDIR => 1, CLEANUP => 1);

my ($front_port, $gateway_port) = free_ports(2);

write_gateway_conf("$dir/gateway");
write_front_conf("$dir/front");

start_nginx('gateway', "$dir/gateway", $gateway_port);

my $body = contacts_body(30, 10);     # 3 batches, 1 s each, one at a time


# --- a reload while dispatching ---------------------------------------------

{
    start_nginx('front', "$dir/front", $front_port);

    my @old_workers = children($masters{front});
    is(scalar @old_workers, 1, 'reload: one worker before the reload');

    my $sock = send_request($front_port, $body);
    sleep 1.2;                          # batch 1 of 3 is at the gateway

    ok(kill('HUP', $masters{front}), 'reload: HUP sent while dispatching');
    my $hup_at = time;

    my ($status, $answer) = read_response($sock, 10);
    my $answered_at = time;

    is($status, 201, 'reload: the in-flight request got 201');
    all_accepted($answer, 30, 3, 'reload');
    cmp_ok($answered_at, '>', $hup_at + 0.5,
           'reload: the answer came well after the HUP');

    ok(wait_gone($old_workers[0], 3),
       'reload: the old worker exits once its request is done');

    my @new_workers = children($masters{front});
    is(scalar @new_workers, 1, 'reload: one new worker');
    isnt($new_workers[0] // 0, $old_workers[0], 'reload: it is a new one');

    my $log = slurp("$dir/front/logs/error.log");
    like($log, qr/signal 1 \(SIGHUP\) received/, 'reload: HUP logged');
    like($log, qr/gracefully shutting down/,
         'reload: the old worker shut down gracefully');
    unlike($log, qr/\[(?:alert|crit|emerg)\]|exited on signal/,
           'reload: no alert, crit or crash in error.log');

    like(gateway_batches(), qr/^0\/3\n1\/3\n2\/3\n$/,
         'reload: the gateway received batches 0, 1 and 2, once each');

    # the new worker serves
    my ($s2, $a2) = read_response(send_request($front_port,
                                                contacts_body(2)), 5);
    is($s2, 201, 'reload: the new worker answers');

    # the gateway logs a batch after it answered: wait for that line, so
    # it does not land in the next block's log
    ok(wait_for(sub { gateway_batches() =~ /^0\/1$/m }, 3),
       'reload: the gateway logged the new worker\'s batch');
}


# --- a graceful shutdown while dispatching ----------------------------------

{
    truncate_file("$dir/gateway/logs/batches.log");

    my $sock = send_request($front_port, $body);
    sleep 1.2;

    ok(kill('QUIT', $masters{front}), 'quit: QUIT sent while dispatching');
    my $quit_at = time;

    sleep 0.3;
    ok(!exited($masters{front}), 'quit: nginx does not exit at once');

    my ($status, $answer) = read_response($sock, 10);
    my $answered_at = time;

    is($status, 201, 'quit: the in-flight request got 201');
    all_accepted($answer, 30, 3, 'quit');
    cmp_ok($answered_at, '>', $quit_at + 0.5,
           'quit: the answer came well after the QUIT');

    my $pid = $masters{front};
    ok(wait_exit($pid, 3), 'quit: nginx exits once the request is done');
    delete $masters{front} unless kill 0, $pid;

    like(gateway_batches(), qr/^0\/3\n1\/3\n2\/3\n$/,
         'quit: the gateway received batches 0, 1 and 2, once each');

    my $log = slurp("$dir/front/logs/error.log");
    like($log, qr/signal 3 \(SIGQUIT\) received/, 'quit: QUIT logged');
    unlike($log, qr/\[(?:alert|crit|emerg)\]|exited on signal/,
           'quit: no alert, crit or crash in error.log');
}


# --- worker_shutdown_timeout cuts a request short -----------------------------
#
# With worker_shutdown_timeout, nginx closes the connections still open
# when it expires: the client gets no answer.  The outcome of its contacts
# (batch 0 was at the gateway) should still be logged, as for a client
# that went away: a cleanup of the request logs it, with the batches in
# flight as of unknown outcome.

{
    write_front_conf("$dir/cut", 'worker_shutdown_timeout 500ms;');
    start_nginx('cut', "$dir/cut", $front_port);

    my $sock = send_request($front_port, $body);
    sleep 1.2;

    kill 'QUIT', $masters{cut};

    my ($status) = read_response($sock, 5, 'quiet');
    is($status, 0, 'cut: no answer once worker_shutdown_timeout expires');

    my $pid = $masters{cut};
    ok(wait_exit($pid, 3), 'cut: nginx exits');
    delete $masters{cut} unless kill 0, $pid;

    my $log = slurp("$dir/cut/logs/error.log");
    unlike($log, qr/\[(?:alert|crit|emerg)\]|exited on signal/,
           'cut: no alert, crit or crash in error.log');

    # ok(), not like(): a failure would print the whole log
    ok($log =~ /levers_bulk [0-9a-f-]{36}: request terminated while dispatching/,
       'cut: the termination is logged');
    ok($log =~ /levers_bulk [0-9a-f-]{36}: 30 contacts, /,
       'cut: the outcome of the cut request is logged');
    ok($log =~ /batch 1 outcome unknown, status 0, contacts 10-19/,
       'cut: the batch in flight is logged as of unknown outcome');
    ok($log =~ /batch 2 never sent, contacts 20-29/,
       'cut: the batch never sent is logged');
}

alarm 0;
done_testing();


# --- configurations ---------------------------------------------------------

sub main_conf {
    my ($loads) = @_;

    my $user = $> == 0 ? "user root;\n" : '';

    return <<"_EOC_";
${loads}${user}daemon off;
master_process on;
worker_processes 1;
error_log logs/error.log info;
pid logs/nginx.pid;

events {
    worker_connections 256;
}
_EOC_
}

sub temp_paths {
    return join '', map { "    ${_}_temp_path logs/$_;\n" }
                    qw(client_body proxy fastcgi uwsgi scgi);
}

sub write_front_conf {
    my ($prefix, $main_extra) = @_;

    my $loads = join '', map { "load_module $_;\n" } split ' ', $modules;
    my $temp = temp_paths();

    write_file("$prefix/conf/nginx.conf",
               main_conf($loads) . ($main_extra // '') . <<"_EOC_");

http {
$temp
    access_log off;

    server {
        listen 127.0.0.1:$front_port;

        location = /bulk {
            levers_bulk;
            levers_bulk_gateway /gw;
            levers_bulk_concurrency 1;
        }

        location = /gw {
            internal;
            proxy_pass http://127.0.0.1:$gateway_port/batch;
            proxy_read_timeout 5s;
        }
    }
}
_EOC_
}

sub write_gateway_conf {
    my ($prefix) = @_;

    my $temp = temp_paths();

    write_file("$prefix/conf/nginx.conf",
               main_conf("load_module $echo;\n") . <<"_EOC_");
http {
$temp
    log_format batch '\$http_x_levers_batch';

    server {
        listen 127.0.0.1:$gateway_port;

        location = /batch {
            access_log logs/batches.log batch;
            echo_sleep 1;
            echo_status 202;
            echo '{}';
        }
    }
}
_EOC_
}


# --- processes --------------------------------------------------------------

sub start_nginx {
    my ($name, $prefix, $port) = @_;

    my $pid = fork;
    die "fork: $!" unless defined $pid;

    if ($pid == 0) {
        open STDOUT, '>', "$prefix/logs/stdout.log";
        open STDERR, '>', "$prefix/logs/stderr.log";
        exec($nginx, '-p', "$prefix/", '-c', 'conf/nginx.conf')
            or POSIX::_exit(127);
    }

    $masters{$name} = $pid;

    for (1 .. 250) {
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                      Proto => 'tcp');
        if ($s) {
            close $s;
            # the worker must be there too, not only the master
            return if children($pid) >= 1;
        }

        if (exited($pid)) {
            BAIL_OUT("$name nginx did not start: "
                     . slurp("$prefix/logs/stderr.log")
                     . slurp("$prefix/logs/error.log"));
        }

        sleep 0.02;
    }

    BAIL_OUT("$name nginx does not listen on $port");
}

sub children {
    my ($pid) = @_;

    my $f = "/proc/$pid/task/$pid/children";
    return () unless -r $f;

    return split ' ', slurp($f);
}

# the master is our child: reap it, so a dead one is not a zombie
sub exited {
    my ($pid) = @_;

    return waitpid($pid, WNOHANG) == $pid || !kill(0, $pid);
}

sub wait_exit {
    my ($pid, $seconds) = @_;

    my $until = time + $seconds;
    while (time < $until) {
        return 1 if exited($pid);
        sleep 0.05;
    }

    return 0;
}

# a worker is not our child: its /proc entry disappears once the master
# has reaped it
sub wait_gone {
    my ($pid, $seconds) = @_;

    my $until = time + $seconds;
    while (time < $until) {
        return 1 unless -e "/proc/$pid";
        sleep 0.05;
    }

    return 0;
}

sub stop_all {
    my @pids;

    for my $name (keys %masters) {
        my $pid = $masters{$name};
        next if exited($pid);
        push @pids, children($pid);
        kill 'TERM', $pid;
        push @pids, $pid;
    }

    my $until = time + 2;
    while (time < $until && grep { -e "/proc/$_" && !reaped($_) } @pids) {
        sleep 0.05;
    }

    for my $pid (@pids) {
        kill 'KILL', $pid if -e "/proc/$pid";
        waitpid($pid, WNOHANG);
    }

    %masters = ();
}

sub reaped {
    my ($pid) = @_;

    return waitpid($pid, WNOHANG) == $pid;
}


# --- HTTP -------------------------------------------------------------------

sub send_request {
    my ($port, $body) = @_;

    my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                     Proto => 'tcp', Timeout => 3)
        or die "connect to $port: $!";

    print $sock "POST /bulk HTTP/1.1\r\nHost: localhost\r\n"
                . "Content-Type: application/json\r\n"
                . "Content-Length: " . length($body) . "\r\n"
                . "Connection: close\r\n\r\n" . $body;

    return $sock;
}

# (status, decoded JSON body or undef): the whole answer, up to EOF
sub read_response {
    my ($sock, $seconds, $quiet) = @_;

    my $sel = IO::Select->new($sock);
    my $data = '';
    my $until = time + $seconds;

    while (time < $until) {
        last unless $sel->can_read($until - time);
        my $n = sysread($sock, $data, 65536, length $data);
        last if !$n;
    }

    close $sock;

    my ($head, $body) = split /\r\n\r\n/, $data, 2;
    my ($status) = ($head // '') =~ m{^HTTP/1\.[01] (\d{3})};

    diag("no complete answer: " . substr($data, 0, 300))
        unless $status || $quiet;

    my $json = eval { decode_json($body // '') };

    return ($status // 0, $json);
}

sub contacts_body {
    my ($n, $batch) = @_;

    my @c = map { sprintf '{"numberToCall":"+9665000%05d"}', $_ } 0 .. $n - 1;
    my $size = defined $batch ? qq{"batchSize":$batch,} : '';

    return "{$size\"contacts\":[" . join(',', @c) . ']}';
}

# every contact in "calls", each index once, none skipped or failed
sub all_accepted {
    my ($answer, $n, $batches, $name) = @_;

    if (!ok(ref $answer eq 'HASH', "$name: the answer is complete JSON")) {
        return;
    }

    is($answer->{total}, $n, "$name: total");
    is($answer->{accepted}, $n, "$name: every contact accepted");
    is($answer->{batches}, $batches, "$name: batches");
    ok(!exists $answer->{failed}, "$name: nothing failed");
    is_deeply($answer->{skipped}, [], "$name: nothing skipped");
    is_deeply([sort { $a <=> $b } map { $_->{index} } @{$answer->{calls}}],
              [0 .. $n - 1], "$name: every index once in calls");
}

sub gateway_batches {
    return slurp("$dir/gateway/logs/batches.log");
}


# polls $cond every 50 ms for up to $secs seconds; true when it held

sub wait_for {
    my ($cond, $secs) = @_;

    for (1 .. $secs * 20) {
        return 1 if $cond->();
        select(undef, undef, undef, 0.05);
    }

    return $cond->();
}


# --- files and ports ----------------------------------------------------------

sub free_ports {
    my ($n) = @_;

    my (@socks, @ports);

    for (1 .. $n) {
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                      Proto => 'tcp', Listen => 1)
            or die "no free port: $!";
        push @socks, $s;
        push @ports, $s->sockport;
    }

    close $_ for @socks;

    return @ports;
}

sub write_file {
    my ($path, $text) = @_;

    (my $d = $path) =~ s{/[^/]+$}{};
    my $prefix = $d =~ s{/conf$}{}r;

    for my $sub ('', '/conf', '/logs') {
        mkdir "$prefix$sub" unless -d "$prefix$sub";
    }

    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh;
}

sub truncate_file {
    my ($path) = @_;

    # nginx appends (O_APPEND): truncating in place is safe
    truncate($path, 0) or die "truncate $path: $!";
}

sub slurp {
    my ($path) = @_;

    open my $fh, '<', $path or return '';
    local $/;
    my $text = <$fh>;
    close $fh;

    return $text // '';
}

#!/usr/bin/env bash
# Soak test of the bulk dispatch (issue 5): mixed bulk requests for a few
# minutes against two gateways that randomly fail, stall or reset, then
# checks that nothing was lost or called twice and that the worker's
# memory did not grow.  See bench/soak/README.md.
#
#   bench/soak.sh                 3 minutes
#   bench/soak.sh --minutes N     N minutes (decimals allowed, at most 10;
#                                 under 2, worker RSS is not checked)
#
# Builds the module (util/build.sh; SOAK_NO_BUILD=1 skips it), starts, on
# loopback ports of its own (SOAK_PORT, default 28080, .. +4):
#
#   front     nginx with the module, ONE worker, port SOAK_PORT; its
#             gateway upstream: gateway 1, gateway 2 and a port where
#             nothing listens (refused, failover)
#   gateways  another nginx: two gateway servers (+1, +2) that fail 10 %,
#             stall 10 %, reset 5 % of batches, a backend (+4) for them;
#             +3 is the refused one
#
# then runs bench/soak/client.py (Python 3, stdlib), which sends the load,
# checks and prints a summary.  Exits non-zero when a check fails.
# Everything is under build/soak/ (logs kept after the run).
#
# Environment: SOAK_PORT, SOAK_SEED (repeat a run's request mix),
# SOAK_NO_BUILD=1, SOAK_READ_TIMEOUT (module -> gateway
# proxy_read_timeout, default 1s), SOAK_SLOW (a slow batch's stall in
# seconds, default 1.5), SOAK_VALGRIND=1 (the front runs under valgrind
# memcheck, one process, master off: check (f), no errors and no definite
# leak; RSS is then not checked; timeouts default to 10s and 10.5),
# SOAK_RAW_RSS=1 (check raw VmRSS, without gdb's malloc_trim: see
# bench/soak/README.md).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
soak=$repo/bench/soak

minutes=3
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
        --minutes=*) minutes=${1#--minutes=}; shift ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "soak: unknown argument $1" >&2; exit 2 ;;
    esac
done

# whole seconds, 1 s .. 10 min (the hard cap)
seconds=$(awk -v m="$minutes" 'BEGIN {
    if (m !~ /^[0-9]+(\.[0-9]+)?$/ || m <= 0) { print "bad"; exit }
    s = int(m * 60 + 0.5); if (s > 600) s = 600; if (s < 1) s = 1; print s }')
if [ "$seconds" = bad ]; then
    echo "soak: --minutes wants a positive number, got \"$minutes\"" >&2
    exit 2
fi
if awk -v m="$minutes" 'BEGIN { exit !(m > 10) }'; then
    echo "soak: --minutes $minutes capped to 10" >&2
fi
# idle RSS is compared between the end and the end of a warm-up minute;
# runs under 2 minutes are too short for that: RSS is shown, not checked
warmup=60
rss_check=(--max-rss-growth 5)
if [ "$seconds" -lt 120 ]; then
    warmup=$((seconds / 3))
    rss_check=(--no-rss-check "run under 2 minutes")
fi

port=${SOAK_PORT:-28080}
gw1=$((port + 1))
gw2=$((port + 2))
down=$((port + 3))
backend=$((port + 4))
valgrind=${SOAK_VALGRIND:-}
if [ -n "$valgrind" ]; then
    # valgrind slows the module ~20x and a request of 2000 contacts then
    # keeps the worker busy for seconds: a timer can then expire before
    # the answer that arrived meanwhile is read (a batch the gateway
    # accepted is reported 504).  The timeout must be about the gateways,
    # not about the module's pace under valgrind.
    read_timeout=${SOAK_READ_TIMEOUT:-10s}
    slow=${SOAK_SLOW:-10.5}
    rss_check=(--no-rss-check "under valgrind" --raw-rss)
    command -v valgrind >/dev/null || { echo "soak: valgrind missing" >&2; exit 1; }
else
    read_timeout=${SOAK_READ_TIMEOUT:-1s}
    slow=${SOAK_SLOW:-1.5}
fi
prefix=$repo/build/soak
echo_so=/usr/lib/nginx/modules/ngx_http_echo_module.so

for tool in nginx python3 awk; do
    command -v "$tool" >/dev/null || { echo "soak: $tool missing" >&2; exit 1; }
done
[ -f "$echo_so" ] || {
    echo "soak: $echo_so missing (apt-get install libnginx-mod-http-echo)" >&2
    exit 1
}

if [ -z "${SOAK_NO_BUILD:-}" ]; then
    "$repo/util/build.sh" >/dev/null || {
        echo "soak: util/build.sh failed (SOAK_NO_BUILD=1 soaks the module" \
             "already built)" >&2
        exit 1
    }
fi

built=$repo/build/ngx_http_levers_bulk_module.so
[ -f "$built" ] || { echo "soak: $built not built" >&2; exit 1; }

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for p in "$port" "$gw1" "$gw2" "$down" "$backend"; do
    port_free "$p" || { echo "soak: port $p is taken; set SOAK_PORT" >&2; exit 1; }
done

rm -rf "$prefix"
mkdir -p "$prefix/conf" "$prefix/logs"

# a copy: a rebuild during the run must not change the module under test
module=$prefix/ngx_http_levers_bulk_module.so
cp "$built" "$module"

user_line=
[ "$(id -u)" = 0 ] && user_line="user root;"

subst() {
    sed -e "s|@MODULE@|$module|; s|@PORT@|$port|; s|@GW1@|$gw1|;
            s|@GW2@|$gw2|; s|@DOWN@|$down|; s|@BACKEND@|$backend|;
            s|@READ_TIMEOUT@|$read_timeout|; s|@SLOW@|$slow|" "$1" \
        | if [ -n "$user_line" ]; then sed "1i $user_line"; else cat; fi
}

subst "$soak/front.conf" > "$prefix/conf/front.conf"
if [ -n "$valgrind" ]; then
    sed -i '1i master_process off;\ndaemon off;' "$prefix/conf/front.conf"
fi
subst "$soak/gateways.conf" > "$prefix/conf/gateways.conf"

front_pid=
gw_pid=

# shellcheck disable=SC2317  # run from the EXIT trap
stop_pid() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -QUIT "$pid"
    for _ in $(seq 250); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.02
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317
cleanup() {
    stop_pid "$front_pid"
    stop_pid "$gw_pid"
}
trap cleanup EXIT

read_pid() {
    for _ in $(seq 250); do
        [ -s "$1" ] && { cat "$1"; return 0; }
        sleep 0.02
    done
    echo "soak: no pid file $1" >&2
    return 1
}

wait_port() {
    for _ in $(seq 250); do
        port_free "$1" || return 0
        sleep 0.02
    done
    echo "soak: nothing listens on $1" >&2
    return 1
}

nginx -p "$prefix" -c conf/gateways.conf
gw_pid=$(read_pid "$prefix/logs/gateways.pid")
if [ -n "$valgrind" ]; then
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --num-callers=30 \
        --suppressions="$repo/t/lib/valgrind.suppress" \
        --log-file="$prefix/logs/valgrind.log" \
        nginx -p "$prefix" -c conf/front.conf &
    front_pid=$!
    worker=$front_pid
    for _ in $(seq 100); do
        port_free "$port" || break
        sleep 0.2
    done
fi

if [ -z "$valgrind" ]; then
    nginx -p "$prefix" -c conf/front.conf
    front_pid=$(read_pid "$prefix/logs/nginx.pid")
fi
for p in "$port" "$gw1" "$gw2" "$backend"; do
    wait_port "$p"
done

if [ -z "$valgrind" ]; then
    worker=
    for _ in $(seq 250); do
        worker=$(ps -o pid= --ppid "$front_pid" | awk 'NR == 1 { print $1 }')
        [ -n "$worker" ] && break
        sleep 0.02
    done
fi
[ -n "$worker" ] || { echo "soak: no worker process" >&2; exit 1; }

echo "soak: module $built"
echo "soak: front :$port (worker $worker), gateways :$gw1 :$gw2," \
     "refused :$down; module gives up after $read_timeout, slow batches" \
     "stall ${slow}s; logs in $prefix/logs"

seed_args=()
[ -n "${SOAK_SEED:-}" ] && seed_args=(--seed "$SOAK_SEED")
[ -n "${SOAK_RAW_RSS:-}" ] && seed_args+=(--raw-rss)

rc=0
python3 "$soak/client.py" --port "$port" --seconds "$seconds" \
    --warmup "$warmup" --worker-pid "$worker" --logs "$prefix/logs" \
    "${rss_check[@]}" "${seed_args[@]}" || rc=$?

# the gateways' own error log: nothing alarming there either
if grep -E '\[(alert|crit|emerg)\]|exited on signal' \
        "$prefix/logs/gateways-error.log" >/dev/null 2>&1; then
    echo "FAIL gateways-error.log:"
    grep -E '\[(alert|crit|emerg)\]|exited on signal' \
        "$prefix/logs/gateways-error.log" | head -5
    rc=1
fi

# (f) under valgrind: stop the front gracefully, valgrind then writes its
# leak report; no error and no definite leak
if [ -n "$valgrind" ]; then
    kill -QUIT "$front_pid"
    for _ in $(seq 600); do
        # our child: once it exits it is a zombie until waited for
        [ "$(awk '{ print $3 }' "/proc/$front_pid/stat" 2>/dev/null)" = Z ] \
            && break
        kill -0 "$front_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$(awk '{ print $3 }' "/proc/$front_pid/stat" 2>/dev/null)" != Z ] \
        && kill -0 "$front_pid" 2>/dev/null
    then
        echo "FAIL (f) nginx under valgrind did not exit within 60 s"
        rc=1
    elif [ -s "$prefix/logs/valgrind.log" ]; then
        echo "FAIL (f) valgrind reports (logs/valgrind.log):"
        grep -E '^==[0-9]+== ([A-Z]|   (at|by) )' "$prefix/logs/valgrind.log" \
            | head -40
        rc=1
    else
        echo "ok   (f) valgrind memcheck: no error, no definite leak"
    fi
    wait "$front_pid" 2>/dev/null || true
    front_pid=
fi

if [ "$rc" = 0 ]; then
    echo "soak: PASS"
else
    echo "soak: FAIL (logs in $prefix/logs)"
fi
exit "$rc"

#!/usr/bin/env bash
# Benchmarks of the bulk endpoint (issue 6), all numbers from ONE run:
#
#   bench/run.sh            full run: 2 rounds, 5 s a case (about 4 minutes)
#   bench/run.sh --quick    1 round, 2 s a case, a smoke check (about 70 s)
#   bench/run.sh --micro    the C stage microbenchmark (bench/micro.c), wall
#                           clock and valgrind --tool=callgrind (about 1 min)
#   bench/run.sh --rss      worker RSS over 100 000 requests of the "full"
#                           case (BENCH_RSS_REQUESTS, BENCH_RSS_CONTACTS,
#                           default 100): is it flat?  (2 to 4 minutes)
#
# What the HTTP run does: installs wrk if missing (apt-get), builds the
# module (util/build.sh), starts two demo gateways (an nginx of their own
# answering 202 at once) and the measured nginx (ONE worker, loopback
# ports BENCH_PORT, default 18380, +1, +11 and +12), then for
# bodies of 2, 100, 1 000 and 10 000 contacts runs four cases:
#
#   proxy   baseline (a): proxy_pass of the same body to a gateway
#   valid   baseline (b): the module, JWT, validation only (e164 off,
#           dedupe off, no template)
#   full    the module as operators run it: JWT RS256, E.164, dedupe,
#           a 5-placeholder template
#   nojwt   "full" without JWT: the token check's share
#
# nginx is restarted before each case, so the worker's VmHWM (peak RSS) is
# that case's.  Each case: a warm-up, then wrk with a fixed duration.
# Prints a table and the ratios and writes bench/results/<date>.json.
# Numbers are noisy on a shared 2-core machine: only ratios within one run
# are claims.
#
# Environment: BENCH_PORT, BENCH_DURATION and BENCH_WARMUP (whole
# seconds), BENCH_ROUNDS, BENCH_SIZES ("2 100 1000 10000"),
# BENCH_NO_BUILD=1, BENCH_PERF=1 (perf record of the worker during the
# "full" cases, top symbols written to build/bench/perf-full-<size>.txt;
# perturbs those cases' numbers).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bench=$repo/bench

mode=full
for arg in "$@"; do
    case "$arg" in
        --quick) mode=quick ;;
        --micro) mode=micro ;;
        --rss) mode=rss ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

# --- the microbenchmark ---------------------------------------------------

run_micro() {
    local out=$repo/build/bench-micro
    mkdir -p "$out"
    local f
    for f in levers_phone levers_phone_fast; do
        c++ -O2 -g -Wall -Wextra -Werror -I"$repo/src" \
            -c "$repo/src/$f.cpp" -o "$out/$f.o"
    done
    cc -std=c99 -O2 -g -Wall -Wextra -Werror -I"$repo/src" \
        -c "$bench/micro.c" -o "$out/micro.o"
    for f in levers_validate levers_request levers_fastbody levers_contacts \
             levers_payload levers_template levers_json; do
        cc -std=c99 -O2 -g -Wall -Wextra -Werror -I"$repo/src" \
            -c "$repo/src/$f.c" -o "$out/$f.o"
    done
    c++ -o "$out/micro" "$out"/*.o -ljansson -lphonenumber -lprotobuf \
        -lpcre2-8

    # 1 000 against 10 000 contacts: equal instructions per contact mean
    # no quadratic work; wall clock also shows the cache footprint.
    # --bump: jansson on a bump allocator, what a pool allocator would save
    local args
    for args in "10000 7" "1000 30" "--bump 10000 7"; do
        echo "== bench/micro $args: wall clock (ns per contact, best of runs)"
        # shellcheck disable=SC2086
        "$out/micro" $args
        echo
    done

    if ! command -v valgrind >/dev/null; then
        echo "valgrind not installed: no instruction counts" >&2
        return
    fi

    for args in "10000" "1000" "--bump 10000"; do
        echo "== bench/micro $args under callgrind (instructions per contact)"
        # shellcheck disable=SC2086
        "$out/micro" ${args%%10*} --callgrind ${args##* }
        echo
    done
}

if [ "$mode" = micro ]; then
    run_micro
    exit 0
fi

# --- settings -------------------------------------------------------------

if [ "$mode" = quick ]; then
    duration=${BENCH_DURATION:-2}
    warmup=${BENCH_WARMUP:-1}
    rounds=${BENCH_ROUNDS:-1}
else
    duration=${BENCH_DURATION:-5}
    warmup=${BENCH_WARMUP:-1}
    rounds=${BENCH_ROUNDS:-2}
fi

sizes=${BENCH_SIZES:-2 100 1000 10000}
[ "$mode" = rss ] && sizes=${BENCH_RSS_CONTACTS:-100}
cases="proxy valid full nojwt"
port=${BENCH_PORT:-18380}
gw1=$((port + 11))
gw2=$((port + 12))
template_id=7d1c2f7e-5b8a-4c11-9d7e-3a6f0c2b9e41
prefix=$repo/build/bench
stamp=$(date -u +%Y-%m-%dT%H-%M-%SZ)
results=$bench/results
cases_file=$prefix/cases.jsonl

# --- tools ----------------------------------------------------------------

if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk (apt-get)" >&2
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q wrk \
        || { $SUDO apt-get update -q && $SUDO apt-get install -y -q wrk; }
fi

for tool in nginx openssl perl python3 curl; do
    command -v "$tool" >/dev/null \
        || { echo "bench: $tool missing" >&2; exit 1; }
done

if [ -z "${BENCH_NO_BUILD:-}" ]; then
    "$repo/util/build.sh" >/dev/null
fi

built=$repo/build/ngx_http_levers_bulk_module.so
[ -f "$built" ] || { echo "bench: $built not built" >&2; exit 1; }

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for p in "$port" $((port + 1)) "$gw1" "$gw2"; do
    port_free "$p" \
        || { echo "bench: port $p is taken; set BENCH_PORT" >&2; exit 1; }
done

# --- configuration --------------------------------------------------------

rm -rf "$prefix"
# html: nginx checks its root exists before opening a log whose path has
# variables (logs/pool-$pid.log)
mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/bodies" "$prefix/html" \
    "$results"

# a copy: other builds may rewrite build/*.so while this run goes on
module=$prefix/ngx_http_levers_bulk_module.so
cp "$built" "$module"

# as root, workers would run as "nobody"; the benchmark's files are ours
user_line=
if [ "$(id -u)" = 0 ]; then
    user_line="user root;"
fi

subst() {
    sed -e "s|@MODULE@|$module|; s|@PORT@|$port|; s|@GW1@|$gw1|;
            s|@GW2@|$gw2|; s|@TEMPLATE_ID@|$template_id|" "$1" \
        | if [ -n "$user_line" ]; then sed "1i $user_line"; else cat; fi
}

# two copies on two ports: a case starts on one while the nginx of the
# case before, on the other, is still exiting (that takes a second or two)
for slot in 0 1; do
    subst "$bench/conf/nginx.conf" \
        | sed "s|@PID@|logs/nginx-$slot.pid|; s|:$port |:$((port + slot)) |" \
        > "$prefix/conf/nginx-$slot.conf"
done
subst "$bench/conf/gateways.conf" > "$prefix/conf/gateways.conf"
cp "$bench/conf/template.json" "$prefix/conf/template.json"

for n in $sizes; do
    perl "$bench/conf/body.pl" "$n" "$template_id" \
        > "$prefix/bodies/full-$n.json"
    perl "$bench/conf/body.pl" "$n" null > "$prefix/bodies/valid-$n.json"
done

# JWT RS256: a key made now, a token signed with it (openssl only)

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$prefix/conf/jwt-key.pem" 2>/dev/null
openssl pkey -in "$prefix/conf/jwt-key.pem" -pubout \
    -out "$prefix/conf/jwt-pub.pem"

now=$(date +%s)
jwt_head=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
jwt_body=$(printf '{"sub":"bench","iat":%d,"exp":%d}' "$now" $((now + 7200)) \
           | b64url)
jwt_sig=$(printf '%s.%s' "$jwt_head" "$jwt_body" \
          | openssl dgst -sha256 -sign "$prefix/conf/jwt-key.pem" -binary \
          | b64url)
token="$jwt_head.$jwt_body.$jwt_sig"

cat > "$prefix/conf/jwt.conf" <<EOF
levers_jwt "bench";
levers_jwt_key_file $prefix/conf/jwt-pub.pem;
levers_jwt_algorithms RS256;
EOF

jwt=on
jwt_note="RS256, 2048-bit key made at run time"

if ! nginx -t -q -p "$prefix" -c conf/nginx-0.conf 2>"$prefix/logs/t.err"; then
    jwt=off
    jwt_note="JWT directives refused by nginx -t:"
    jwt_note+=" $(tail -1 "$prefix/logs/t.err")"
    : > "$prefix/conf/jwt.conf"
    nginx -t -q -p "$prefix" -c conf/nginx-0.conf \
        || { echo "bench: the configuration does not load" >&2; exit 1; }
fi

# --- processes ------------------------------------------------------------

front_pid=
front_port=
slot=1
old_pid=("" "")
gw_pid=

wait_port() {
    local _
    for _ in $(seq 200); do
        port_free "$1" || return 0
        sleep 0.02
    done
    echo "bench: nothing listens on $1" >&2
    return 1
}

stop_pid() {
    local pid=$1 _
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        return 0
    fi
    kill -QUIT "$pid"
    for _ in $(seq 250); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.02
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    stop_pid "$front_pid"
    stop_pid "${old_pid[0]}"
    stop_pid "${old_pid[1]}"
    stop_pid "$gw_pid"
}
trap cleanup EXIT

# the daemon writes its pid file after the starting process has exited
read_pid() {
    local _
    for _ in $(seq 250); do
        [ -s "$1" ] && { cat "$1"; return 0; }
        sleep 0.02
    done
    echo "bench: no pid file $1" >&2
    return 1
}

start_front() {
    slot=$((1 - slot))
    stop_pid "${old_pid[$slot]}"
    old_pid[slot]=
    front_port=$((port + slot))
    port_free "$front_port" \
        || { echo "bench: $front_port still taken" >&2; exit 1; }
    rm -f "$prefix/logs/nginx-$slot.pid"
    nginx -p "$prefix" -c "conf/nginx-$slot.conf"
    front_pid=$(read_pid "$prefix/logs/nginx-$slot.pid")
    wait_port "$front_port"
}

# returns at once: start_front waits for it to be gone before the port's
# next use
stop_front() {
    kill -QUIT "$front_pid"
    old_pid[slot]=$front_pid
    front_pid=
}

worker_pid() {
    local kids
    kids=$(cat "/proc/$front_pid/task/$front_pid/children" 2>/dev/null \
           || ps -o pid= --ppid "$front_pid")
    # shellcheck disable=SC2086
    set -- $kids
    echo "$1"
}

# kB of a /proc/<pid>/status field
proc_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

nginx -p "$prefix" -c conf/gateways.conf
gw_pid=$(read_pid "$prefix/logs/gateways.pid")
wait_port "$gw1"
wait_port "$gw2"

# the answer the client gets, checked once per case before measuring

check_case() {
    local c=$1 n=$2 want code auth=()
    want=201
    [ "$c" = proxy ] && want=202
    [ "$c" != proxy ] && [ "$c" != nojwt ] && [ "$jwt" = on ] \
        && auth=(-H "Authorization: Bearer $token")
    code=$(curl -s -o "$prefix/logs/check.out" -w '%{http_code}' \
           "${auth[@]}" -H 'Content-Type: application/json' \
           --data-binary "@$(body_of "$c" "$n")" \
           "http://127.0.0.1:$front_port/bench/$c")
    if [ "$code" != "$want" ]; then
        echo "bench: $c with $n contacts answered $code, not $want:" >&2
        head -c 300 "$prefix/logs/check.out" >&2; echo >&2
        return 1
    fi
}

body_of() {
    if [ "$1" = valid ]; then
        echo "$prefix/bodies/valid-$2.json"
    else
        echo "$prefix/bodies/full-$2.json"
    fi
}

# JWT must really verify: a module case without the token must get 401

start_front
if [ "$jwt" = on ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' \
           --data-binary "@$(body_of full "${sizes%% *}")" \
           -H 'Content-Type: application/json' \
           "http://127.0.0.1:$front_port/bench/full")
    if [ "$code" != 401 ] \
       || ! check_case full "${sizes%% *}" 2>"$prefix/logs/jwt.err"; then
        jwt=off
        jwt_note="JWT not usable (without a token: $code; with one:"
        jwt_note+=" $(head -1 "$prefix/logs/jwt.err"))"
        : > "$prefix/conf/jwt.conf"
    fi
fi
stop_front

if [ "$jwt" = off ]; then
    echo "bench: *** RUNNING WITHOUT JWT: $jwt_note ***" >&2
fi

# --- RSS over many requests (--rss) ---------------------------------------

# wrk in rounds of 5 s on one nginx, the worker's VmRSS after each; the
# first round past 10 % of the requests is the warm reference (caches,
# libphonenumber's regular expressions, malloc's arenas are in by then)
run_rss() {
    local n=$sizes want=${BENCH_RSS_REQUESTS:-100000} total=0 ref=0 rss
    local line reqs wpid auth_token=
    [ "$jwt" = on ] && auth_token=$token

    start_front
    wpid=$(worker_pid)
    check_case full "$n" || exit 1

    echo "requests rss_kb" > "$prefix/rss.txt"
    while [ "$total" -lt "$want" ]; do
        line=$(BENCH_BODY=$(body_of full "$n") BENCH_TOKEN=$auth_token \
            wrk -t1 -c4 -d5s --timeout 10s -s "$bench/conf/post.lua" \
            "http://127.0.0.1:$front_port/bench/full" \
            | sed -n 's/^BENCH //p')
        reqs=$(printf '%s' "$line" | sed -n 's/.*"requests":\([0-9]*\).*/\1/p')
        [ -n "$reqs" ] && [ "$reqs" -gt 0 ] \
            || { echo "bench: wrk failed: $line" >&2; exit 1; }
        total=$((total + reqs))
        rss=$(proc_kb "$wpid" VmRSS)
        echo "$total $rss" >> "$prefix/rss.txt"
        if [ "$ref" = 0 ] && [ "$total" -ge $((want / 10)) ]; then
            ref=$rss
        fi
        printf '  %7d requests: worker RSS %d kB\n' "$total" "$rss" >&2
    done
    stop_front

    python3 - "$prefix/rss.txt" "$results/$stamp-rss.json" "$n" "$ref" \
        "$jwt" <<'EOF2'
import json, sys

path, out, n, ref, jwt = sys.argv[1:6]
rows = [l.split() for l in open(path)][1:]
samples = [{"requests": int(a), "rss_kb": int(b)} for a, b in rows]
ref, last = int(ref), samples[-1]["rss_kb"]
growth = (last - ref) / ref * 100
print()
print("worker RSS, %s-contact requests (JWT %s): %d kB at 10 %% of the "
      "requests, %d kB after %d: %+.2f %%" % (
          n, jwt, ref, last, samples[-1]["requests"], growth))
print("target rss_flat_within_2pct %s" % ("met" if abs(growth) <= 2
                                          else "NOT met"))
json.dump({"contacts": int(n), "jwt": jwt, "samples": samples,
           "reference_kb": ref, "last_kb": last, "growth_pct": growth},
          open(out, "w"), indent=1)
print("written: %s" % out)
EOF2
}

if [ "$mode" = rss ]; then
    run_rss
    exit 0
fi

# --- the cases ------------------------------------------------------------

run_case() {
    local c=$1 n=$2 conns body rss0 hwm rss line ok=1 auth_token=
    conns=4
    [ "$n" -ge 10000 ] && conns=2
    body=$(body_of "$c" "$n")
    [ "$c" != proxy ] && [ "$c" != nojwt ] && [ "$jwt" = on ] \
        && auth_token=$token

    start_front

    local wpid
    wpid=$(worker_pid)
    rss0=$(proc_kb "$wpid" VmRSS)

    check_case "$c" "$n" || ok=0

    BENCH_BODY=$body BENCH_TOKEN=$auth_token \
        wrk -t1 -c"$conns" -d"${warmup}s" --timeout 10s \
        -s "$bench/conf/post.lua" "http://127.0.0.1:$front_port/bench/$c" \
        >/dev/null

    local perf_pid=
    if [ -n "${BENCH_PERF:-}" ] && [ "$c" = full ]; then
        perf record -q -F 499 -g -p "$wpid" -o "$prefix/perf-$c-$n.data" \
            -- sleep "$duration" >/dev/null 2>&1 &
        perf_pid=$!
    fi

    line=$(BENCH_BODY=$body BENCH_TOKEN=$auth_token \
        wrk -t1 -c"$conns" -d"${duration}s" --timeout 10s \
        -s "$bench/conf/post.lua" "http://127.0.0.1:$front_port/bench/$c" \
        | sed -n 's/^BENCH //p')

    if [ -n "$perf_pid" ]; then
        wait "$perf_pid" || true
        {
            echo "== by library"
            perf report -q -i "$prefix/perf-$c-$n.data" --stdio \
                --no-children -g none --sort dso 2>/dev/null \
                | grep '%' | head -15
            echo "== by function"
            perf report -q -i "$prefix/perf-$c-$n.data" --stdio \
                --no-children -g none --sort dso,sym 2>/dev/null \
                | grep '%' | head -30
        } > "$prefix/perf-$c-$n.txt" || true
        echo "  perf profile of the worker: $prefix/perf-$c-$n.txt" >&2
    fi

    hwm=$(proc_kb "$wpid" VmHWM)
    rss=$(proc_kb "$wpid" VmRSS)
    stop_front

    # the largest request pool of the case ($levers_bulk_pool_bytes)
    local pool=0
    if [ -f "$prefix/logs/pool-$wpid.log" ]; then
        pool=$(awk '$1 > m { m = $1 } END { print m + 0 }' \
               "$prefix/logs/pool-$wpid.log")
    fi

    printf '{"case":"%s","contacts":%d,"round":%d,"body_bytes":%d,'\
'"connections":%d,"ok":%s,"rss_idle_kb":%d,"rss_kb":%d,"hwm_kb":%d,'\
'"pool_bytes":%d,"wrk":%s}\n' \
        "$c" "$n" "$round" "$(stat -c %s "$body")" "$conns" \
        "$([ $ok = 1 ] && echo true || echo false)" \
        "$rss0" "$rss" "$hwm" "$pool" "${line:-null}" >> "$cases_file"

    printf '  %d %-6s %6d contacts: %s\n' "$round" "$c" "$n" \
        "${line:-wrk failed}" >&2
}

: > "$cases_file"
echo "bench: $mode run, $rounds round(s) of ${duration}s per case, JWT $jwt," \
     "sizes: $sizes" >&2

# rounds interleave every case, so a burst of load from elsewhere on the
# machine hits one round of each rather than all rounds of one case
for round in $(seq "$rounds"); do
    for n in $sizes; do
        for c in $cases; do
            run_case "$c" "$n"
        done
    done
done

# --- report ---------------------------------------------------------------

python3 - "$cases_file" "$results/$stamp.json" "$mode" "$duration" \
    "$warmup" "$jwt" "$jwt_note" "$rounds" <<'EOF'
import json, os, platform, subprocess, sys

(cases_path, out_path, mode, duration, warmup, jwt, jwt_note,
 rounds) = sys.argv[1:9]
runs = [json.loads(l) for l in open(cases_path) if l.strip()]

for r in runs:
    w = r["wrk"] or {}
    secs = w.get("duration_us", 0) / 1e6
    r["rps"] = w.get("requests", 0) / secs if secs else 0.0
    r["contacts_per_s"] = r["rps"] * r["contacts"]
    r["p50_ms"] = w.get("p50_us", 0) / 1000.0
    r["p99_ms"] = w.get("p99_us", 0) / 1000.0
    r["errors"] = w.get("errors", 0) + w.get("status_errors", 0)

# per case, the round with the most requests/s (the least disturbed by
# other load on the machine), and the highest peak RSS of all rounds
by = {}
for r in runs:
    k = (r["case"], r["contacts"])
    best = by.get(k)
    if best is None or r["rps"] > best["rps"]:
        hwm = max(r["hwm_kb"], best["hwm_kb"] if best else 0)
        pool = max(r.get("pool_bytes", 0),
                   best.get("pool_bytes", 0) if best else 0)
        ok = r["ok"] and (best["ok"] if best else True)
        by[k] = dict(r, hwm_kb=hwm, pool_bytes=pool, ok=ok)
    else:
        best["hwm_kb"] = max(best["hwm_kb"], r["hwm_kb"])
        best["pool_bytes"] = max(best.get("pool_bytes", 0),
                                 r.get("pool_bytes", 0))
        best["ok"] = best["ok"] and r["ok"]
rows = [by[k] for k in sorted(by, key=lambda k: (k[1], k[0]))]
sizes = sorted({r["contacts"] for r in rows})


def ratio(a, b):
    return a / b if b else None


def fmt(x, spec="%.2f"):
    return "n/a" if x is None else spec % x


print()
print("best of %s round(s); peak RSS: the highest of all rounds" % rounds)
print("%-6s %6s %9s %11s %8s %8s %9s %9s %5s" % (
    "case", "size", "req/s", "contacts/s", "p50 ms", "p99 ms",
    "RSS0 MB", "peak MB", "errs"))
for n in sizes:
    for c in ("proxy", "valid", "full", "nojwt"):
        r = by.get((c, n))
        if not r:
            continue
        print("%-6s %6d %9.1f %11.0f %8.2f %8.2f %9.1f %9.1f %5d%s" % (
            c, n, r["rps"], r["contacts_per_s"], r["p50_ms"], r["p99_ms"],
            r["rss_idle_kb"] / 1024, r["hwm_kb"] / 1024, r["errors"],
            "" if r["ok"] else "  (wrong answer!)"))

ratios = {}
print()
print("ratios (same run)        " + " ".join("%8d" % n for n in sizes))
for name, num, den in (("full / proxy (a)", "full", "proxy"),
                       ("full / valid (b)", "full", "valid"),
                       ("valid / proxy", "valid", "proxy"),
                       ("nojwt / full", "nojwt", "full")):
    vals = []
    for n in sizes:
        a, b = by.get((num, n)), by.get((den, n))
        vals.append(ratio(a["rps"], b["rps"]) if a and b else None)
    ratios[name] = dict(zip(map(str, sizes), vals))
    print("%-24s " % name + " ".join("%8s" % fmt(v) for v in vals))

scaling = {}
for c in ("proxy", "valid", "full", "nojwt"):
    a, b = by.get((c, 10000)), by.get((c, 1000))
    if a and b:
        scaling[c] = ratio(a["contacts_per_s"], b["contacts_per_s"])
print("contacts/s 10k / 1k      " + "  ".join(
    "%s %s" % (c, fmt(v)) for c, v in scaling.items()))

# $levers_bulk_pool_bytes: the request pool (a bound on its peak) over
# the body, for requests of 1 000 contacts and more
pool_ratio = {}
for c in ("valid", "full", "nojwt"):
    for n in sizes:
        r = by.get((c, n))
        if r and r.get("pool_bytes"):
            pool_ratio["%s %d" % (c, n)] = r["pool_bytes"] / r["body_bytes"]
if pool_ratio:
    print("request pool / body      " + "  ".join(
        "%s %.2f" % (k, v) for k, v in pool_ratio.items()))

targets = {}
r2 = ratios["full / proxy (a)"].get("2")
if r2 is not None:
    targets["rps_2_vs_proxy_ge_0.5"] = r2 >= 0.5
f10 = by.get(("full", 10000))
if f10:
    targets["contacts_per_s_10k_ge_60000"] = f10["contacts_per_s"] >= 60000
if "full" in scaling:
    targets["scaling_10k_vs_1k_within_20pct"] = scaling["full"] >= 0.8
if "full 10000" in pool_ratio:
    targets["pool_10k_under_4x_body"] = pool_ratio["full 10000"] < 4
print()
for k, v in targets.items():
    print("target %-34s %s" % (k, "met" if v else "NOT met"))
if jwt != "on":
    print("*** JWT was OFF in this run: %s ***" % jwt_note)

try:
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
           if l.startswith("model name")][0]
except Exception:
    cpu = platform.processor()
nginx_v = subprocess.run(["nginx", "-v"], capture_output=True,
                         text=True).stderr.strip()

doc = {
    "date": os.path.basename(out_path)[:-5],
    "mode": mode, "duration_s": float(duration), "warmup_s": float(warmup),
    "rounds": int(rounds), "runs": runs,
    "jwt": jwt, "jwt_note": jwt_note,
    "machine": {"cpus": os.cpu_count(), "cpu": cpu,
                "kernel": platform.release(), "nginx": nginx_v},
    "cases": rows, "ratios": ratios, "scaling_10k_vs_1k": scaling,
    "pool_over_body": pool_ratio,
    "targets": targets,
}
with open(out_path, "w") as f:
    json.dump(doc, f, indent=1)
print("\nwritten: %s" % out_path)
EOF

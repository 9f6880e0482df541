#!/usr/bin/env bash
# Requests per second of a trivial location (empty_gif, a content
# handler, so the ACCESS phase runs) without a JWT check, with an RS256
# check and with an ES256 check, in one run of one nginx, with wrk; and
# of the RS256 location sent a token with a wrong signature (401), the
# cost of a forged token.  Good RS256 and ES256 signatures are checked
# with OpenSSL, then by libjwt 1.10 (jwt_decode(), which parses the
# key's PEM on every call); a wrong one stops at OpenSSL.  wrk repeats
# one token, so after the first request a good token comes from
# levers_jwt_cache (the default; claims are still checked every time)
# and a bad one, never cached, is checked every time.  See
# docs/SECURITY.md.
#
#   bench/jwt-bench.sh                 10 s per case, 1 worker, 32 conns
#   DURATION=5 CONNS=64 WORKERS=2 bench/jwt-bench.sh
#   SO=/path/to/module.so bench/jwt-bench.sh
#
# Keys are made with openssl and tokens minted with Crypt::JWT in a
# temporary directory; nginx listens on 127.0.0.1:$PORT (default 18931).
# Results go to stdout (and bench/results/jwt-<date>.txt).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
so=${SO:-$repo/build/ngx_http_levers_bulk_module.so}
nginx=${NGINX:-/usr/sbin/nginx}
port=${PORT:-18931}
duration=${DURATION:-10}
conns=${CONNS:-32}
threads=${THREADS:-2}
workers=${WORKERS:-1}

command -v wrk >/dev/null || "$repo/util/deps.sh" bench
[ -f "$so" ] || { echo "no $so: run util/build.sh first" >&2; exit 1; }

dir=$(mktemp -d /tmp/levers-jwt-bench.XXXXXX)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid"
        sleep 0.5
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$dir/rsa.key" 2>/dev/null
openssl pkey -in "$dir/rsa.key" -pubout -out "$dir/rsa.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$dir/ec.key"
openssl pkey -in "$dir/ec.key" -pubout -out "$dir/ec.pub"

mint() {
    perl -MCrypt::JWT=encode_jwt -MCrypt::PK::RSA -MCrypt::PK::ECC -e '
        my ($alg, $file) = @ARGV;
        my $key = $alg =~ /^ES/ ? Crypt::PK::ECC->new($file)
                                : Crypt::PK::RSA->new($file);
        print encode_jwt(alg => $alg, key => $key,
                         payload => { sub => "bench", exp => time + 3600,
                                      iss => "https://id.bench" });
    ' "$1" "$2"
}

rs_token=$(mint RS256 "$dir/rsa.key")
es_token=$(mint ES256 "$dir/ec.key")
# the same token with another signature: A..A instead of the real one
bad_token=${rs_token%.*}.$(printf 'A%.0s' $(seq 342))

mkdir -p "$dir/logs"
cat > "$dir/nginx.conf" <<EOF
load_module $so;
worker_processes $workers;
error_log $dir/logs/error.log warn;
pid $dir/logs/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$port reuseport backlog=4096;
        levers_jwt_issuer https://id.bench;
        location = /none  { empty_gif; }
        location = /rs256 {
            levers_jwt "bench";
            levers_jwt_key_file $dir/rsa.pub;
            empty_gif;
        }
        location = /es256 {
            levers_jwt "bench";
            levers_jwt_key_file $dir/ec.pub;
            empty_gif;
        }
    }
}
EOF

"$nginx" -p "$dir" -c "$dir/nginx.conf"
sleep 0.5
pid=$(cat "$dir/logs/nginx.pid")

check() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    [ "$code" = 200 ] || { echo "check failed ($code): $*" >&2; exit 1; }
}
check "http://127.0.0.1:$port/none"
check -H "Authorization: Bearer $rs_token" "http://127.0.0.1:$port/rs256"
check -H "Authorization: Bearer $es_token" "http://127.0.0.1:$port/es256"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/rs256")
[ "$code" = 401 ] || { echo "no token must be 401, got $code" >&2; exit 1; }
body=$(curl -s -H "Authorization: Bearer $bad_token" \
       "http://127.0.0.1:$port/rs256")
[ "$body" = '{"detail":"signature verification failed"}' ] \
    || { echo "bad signature: $body" >&2; exit 1; }

rps() {
    wrk -t"$threads" -c"$conns" -d"${duration}s" "$@" \
        | awk '/^Requests\/sec:/ { print $2 }'
}

none=$(rps "http://127.0.0.1:$port/none")
rs=$(rps -H "Authorization: Bearer $rs_token" "http://127.0.0.1:$port/rs256")
es=$(rps -H "Authorization: Bearer $es_token" "http://127.0.0.1:$port/es256")
bad=$(rps -H "Authorization: Bearer $bad_token" "http://127.0.0.1:$port/rs256")

mkdir -p "$repo/bench/results"
out="$repo/bench/results/jwt-$(date -u +%Y%m%dT%H%M%SZ).txt"

{
    echo "levers_jwt benchmark: $(date -u +%FT%TZ), $(nproc) CPUs," \
         "workers=$workers wrk -t$threads -c$conns -d${duration}s"
    echo "openssl: $(openssl version)"
    echo "libjwt: $(dpkg-query -W -f '${Version}' libjwt0 2>/dev/null \
                    || echo unknown) (verifies RS256 and ES256)"
    printf '%-22s %12s %8s\n' case 'requests/s' ratio
    printf '%-22s %12.0f %8.3f\n' 'no check' "$none" 1
    printf '%-22s %12.0f %8.3f\n' 'RS256 (2048 bits)' "$rs" \
        "$(awk -v a="$rs" -v b="$none" 'BEGIN { print a / b }')"
    printf '%-22s %12.0f %8.3f\n' 'ES256 (P-256)' "$es" \
        "$(awk -v a="$es" -v b="$none" 'BEGIN { print a / b }')"
    printf '%-22s %12.0f %8.3f\n' 'RS256 bad sig (401)' "$bad" \
        "$(awk -v a="$bad" -v b="$none" 'BEGIN { print a / b }')"
} | tee "$out"

if grep -q '\[alert\]\|\[emerg\]\|\[error\]' "$dir/logs/error.log"; then
    echo "error.log:" >&2
    cat "$dir/logs/error.log" >&2
    exit 1
fi

#!/usr/bin/env bash
# Builds the module and runs the bulk-call endpoint on 127.0.0.1:8080 with
# two local demo gateways (conf-examples/levers-bulk.conf), in the
# foreground; Ctrl-C stops it.
#
#   util/demo.sh            build, check the configuration, run
#   util/demo.sh --check    run in the background, post 1000 contacts,
#                           check the answer and the gateways' logs, stop
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/util/build.sh" >/dev/null

prefix="$repo/build/demo"
conf="$repo/conf-examples/levers-bulk.conf"
url=http://127.0.0.1:8080/api-service/v1/ai/phone-calls/action/call-bulk

mkdir -p "$prefix/logs"
nginx=(/usr/sbin/nginx -p "$prefix" -c "$conf")
"${nginx[@]}" -t -q

if [ "${1:-}" = "--check" ]; then
    exec "$repo/util/demo-check.sh" "$prefix" "$conf" "$url"
fi

cat <<MSG
The endpoint is at $url
In another terminal, post the seed page's example request:

  curl -i -H 'Content-Type: application/json' \\
       --data-binary @$repo/conf-examples/seed-request.json \\
       $url

What the demo gateways received: $prefix/logs/gateway-{1,2}.log
Stop with Ctrl-C.
MSG

exec "${nginx[@]}" -g 'daemon off;'

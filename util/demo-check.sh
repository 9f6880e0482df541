#!/usr/bin/env bash
# Runs the demo configuration in the background, posts a 1000-contact
# request, and checks that the answer is 201 with 1000 calls and that the
# demo gateways' logs hold 10 batches of 100 carrying every contact
# exactly once.  Called by util/demo.sh --check and by util/test.sh.
set -euo pipefail

prefix=$1 conf=$2 url=$3
nginx=(/usr/sbin/nginx -p "$prefix" -c "$conf")

rm -f "$prefix"/logs/gateway-*.log
"${nginx[@]}" 2>/dev/null
trap '"${nginx[@]}" -s stop 2>/dev/null || true' EXIT

for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:9101/accept" && break
    sleep 0.1
done

body=$(mktemp)
answer=$(mktemp)
python3 - "$body" <<'PY'
import json, sys
contacts = [{"numberToCall": "050%07d" % i,
             "firstName": "Contact %d" % i,
             "metadata": {"n": i},
             "promptTags": {"amount": "%d SAR" % (100 + i),
                            "due_date": "January 15, 2026"}}
            for i in range(1000)]
json.dump({"aiSettingsTemplateId": "550e8400-e29b-41d4-a716-446655440000",
           "countryCode": "SA", "contacts": contacts},
          open(sys.argv[1], "w"))
PY

status=$(curl -s -o "$answer" -w '%{http_code}' \
              -H 'Content-Type: application/json' --data-binary @"$body" "$url")

# the gateways write their access log lines when each batch ends
sleep 0.5
"${nginx[@]}" -s quit 2>/dev/null
trap - EXIT
sleep 0.5

python3 - "$status" "$answer" "$prefix"/logs/gateway-1.log \
          "$prefix"/logs/gateway-2.log <<'PY'
import json, sys, collections
status, answer, logs = sys.argv[1], sys.argv[2], sys.argv[3:]
results = []
def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
    results.append(bool(cond))
a = json.load(open(answer))
check(status == "201", "status 201 (got %s)" % status)
check(len(a["calls"]) == 1000, "1000 calls in the answer")
check(sorted(c["index"] for c in a["calls"]) == list(range(1000)),
      "each contact index once")
batches, seen, per_gateway = [], collections.Counter(), collections.Counter()
for log in logs:
    for line in open(log):
        rec = json.loads(line)
        body = json.loads(rec["body"])
        batches.append(len(body["calls"]))
        per_gateway[rec["gateway"]] += 1
        for c in body["calls"]:
            seen[(c["index"], c["numberToCall"])] += 1
check(len(batches) == 10 and set(batches) == {100},
      "10 batches of 100 at the gateways (got %s)" % batches)
check(len(seen) == 1000 and set(seen.values()) == {1},
      "each contact reached a gateway exactly once")
check(all(n == "+96650%07d" % i for i, n in seen),
      "numbers sent as E.164")
check(len(per_gateway) == 2, "both gateways used: %s" % dict(per_gateway))
print("demo: %d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
PY

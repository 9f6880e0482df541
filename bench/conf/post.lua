-- wrk script for bench/run.sh: POSTs the file named by BENCH_BODY, with
-- "Authorization: Bearer $BENCH_TOKEN" when that is set, and prints one
-- machine-readable line at the end:
--
--   BENCH {"requests":N,"duration_us":D,"errors":E,"status_errors":S,
--          "p50_us":P,"p99_us":Q,"bytes":B}
--
-- Latency percentiles are wrk's (corrected by its own bookkeeping, in
-- microseconds).

local path = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")

local f = assert(io.open(path, "rb"), "cannot open BENCH_BODY " ..
                 tostring(path))
wrk.body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end


done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'BENCH {"requests":%d,"duration_us":%d,"errors":%d,' ..
        '"status_errors":%d,"p50_us":%d,"p99_us":%d,"bytes":%d}\n',
        summary.requests, summary.duration,
        e.connect + e.read + e.write + e.timeout, e.status,
        latency:percentile(50), latency:percentile(99), summary.bytes))
end

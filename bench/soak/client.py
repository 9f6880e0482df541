#!/usr/bin/env python3
"""The load and the checks of bench/soak.sh (stdlib only).

Sends mixed bulk requests to the module for a given time from 2 to 4
concurrent connections, records every answer, then reads the gateways'
ledgers and the module's error log and checks:

  (a) every contact answered as accepted ("calls") is in the 2xx ledger
      exactly once (bulkId + index), in the batch and with the number the
      answer says; and the 2xx ledger holds nothing else
  (b) no contact answered as failed is in the 2xx ledger; those that
      reached a gateway anyway (a slow batch the module gave up on) are
      counted as "reached but reported failed"
  (c) every index of every request is exactly once in calls, skipped or
      failed, skipped for the reason planted (duplicate, invalid number),
      201 exactly when nothing failed
  (d) no [alert], [crit] or [emerg] and no worker crash in error.log, the
      worker is the one that started
  (e) the idle worker's VmRSS at the end is at most 5 % above its idle
      VmRSS after warm-up (after malloc_trim(0) through gdb when gdb is
      installed, see IdleReading)

Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time


# --- requests ---------------------------------------------------------------

INVALID_NUMBERS = [
    "+9661",                    # too short
    "+96650000000000000000",    # too long
    "+999123456789",            # invalid country code
    "hello",                    # not a phone number
    "+96610",                   # too short
]

BATCH_SIZES = [None, None, 10, 17, 50, 100, 333, 1000]


def contacts_count(rng):
    """Mostly small requests, some large ones: 2 to 2000 contacts."""
    r = rng.random()
    if r < 0.4:
        return rng.randint(2, 50)
    if r < 0.8:
        return rng.randint(51, 500)
    return rng.randint(501, 2000)


def make_request(rng):
    """A body and what the answer must say of each index.

    expect[i] is ("call", "+9665000nnnnn") or ("skip", reason).
    """
    n = contacts_count(rng)
    contacts = []
    expect = []
    called = []                 # indexes of distinct valid numbers so far
    serial = rng.randint(0, 99999 - 2 * n)

    for i in range(n):
        r = rng.random()
        c = {}

        if r < 0.03:
            c["numberToCall"] = rng.choice(INVALID_NUMBERS)
            expect.append(("skip", "invalid_number"))

        elif r < 0.08 and called:
            # the same number again, maybe written the other way
            first = rng.choice(called)
            e164 = expect[first][1]
            c["numberToCall"] = (e164 if rng.random() < 0.5
                                 else "0" + e164[4:])
            expect.append(("skip", "duplicate"))

        else:
            e164 = "+9665000%05d" % serial
            serial += 1
            # E.164, or national with the location's default region SA
            c["numberToCall"] = (e164 if rng.random() < 0.7
                                 else "0" + e164[4:])
            expect.append(("call", e164))
            called.append(i)

        if rng.random() < 0.3:
            c["firstName"] = rng.choice(["Ahmed", "Sara", "Nora", "Omar"])
            c["lastName"] = "Al-Test"
        if rng.random() < 0.3:
            c["metadata"] = {"invoiceNumber": "INV-%d" % i, "n": i}
        if rng.random() < 0.2:
            c["promptTags"] = {"amount": "%d SAR" % (i * 10)}

        contacts.append(c)

    body = {"contacts": contacts}
    size = rng.choice(BATCH_SIZES)
    if size is not None:
        body["batchSize"] = size
    if rng.random() < 0.3:
        body["updateExisting"] = rng.random() < 0.5

    return json.dumps(body, separators=(",", ":")), expect


# --- the load ---------------------------------------------------------------

class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []       # (expect, status, parsed answer)
        self.errors = []        # transport errors, bad answers
        self.busy = 0           # requests in flight
        self.go = threading.Event()     # cleared: send no new request
        self.go.set()

    def begin(self):
        self.go.wait()
        with self.lock:
            self.busy += 1

    def end(self):
        with self.lock:
            self.busy -= 1

    def quiesce(self, timeout):
        """Stops new requests and waits for those in flight to end."""
        self.go.clear()
        until = time.monotonic() + timeout
        while self.busy and time.monotonic() < until:
            time.sleep(0.05)
        return self.busy == 0

    def add(self, item):
        with self.lock:
            self.answers.append(item)

    def error(self, msg):
        with self.lock:
            self.errors.append(msg)


def worker(idx, port, deadline, seed, results, timeout):
    rng = random.Random(seed)
    conn = None
    # connections 0 and 1 are always busy; 2 and 3 come and go
    optional = idx >= 2

    while time.monotonic() < deadline:
        if optional and rng.random() < 0.3:
            time.sleep(rng.uniform(0.5, 3.0))
            continue

        body, expect = make_request(rng)

        # now and then a new connection
        if conn is None or rng.random() < 0.1:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port,
                                              timeout=timeout)

        results.begin()
        try:
            if not one_request(idx, conn, body, expect, results):
                conn.close()
                conn = None
        finally:
            results.end()

    if conn is not None:
        conn.close()


def one_request(idx, conn, body, expect, results):
    """Sends one request, records its answer; False: drop the connection."""
    try:
        conn.request("POST", "/bulk", body=body,
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        status = resp.status
    except (OSError, http.client.HTTPException) as e:
        results.error("connection %d: %s: %s" % (idx, type(e).__name__, e))
        return False

    try:
        answer = json.loads(data)
    except ValueError:
        results.error("status %d, not JSON: %r" % (status, data[:200]))
        return True

    results.add((expect, status, answer))
    return True


# --- worker RSS ---------------------------------------------------------------

def vm_rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def gdb_call(pid, expr):
    """Calls a libc function in the idle worker with gdb; False: no gdb."""
    gdb = shutil.which("gdb")
    if gdb is None:
        return False
    r = subprocess.run([gdb, "-p", str(pid), "-batch", "-nx",
                        "-ex", "call " + expr],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
    return r.returncode == 0


def malloc_in_use(logs, pid):
    """glibc's "in use bytes" (mmap included): live heap memory.

    malloc_stats() writes to the worker's stderr, which nginx points at
    its error log; the last report there is this one.
    """
    if not gdb_call(pid, "(void) malloc_stats()"):
        return None
    time.sleep(0.2)
    in_use = None
    with open(os.path.join(logs, "error.log"), errors="replace") as f:
        total = False
        for line in f:
            if line.startswith("Total (incl. mmap):"):
                total = True
            elif total and line.startswith("in use bytes"):
                in_use = int(line.split("=")[1]) // 1024
                total = False
    return in_use


class IdleReading:
    """VmRSS of the idle worker: as it is, and after malloc_trim(0).

    glibc keeps freed memory in the middle of its heap resident until
    malloc_trim(): where the last long-lived allocation (a cached upstream
    connection, say) happens to land decides how much, so raw VmRSS of an
    idle worker moves by 10-20 % between readings without any leak.  With
    gdb, each reading first reports glibc's live bytes, then trims; (e)
    then compares trimmed VmRSS.  Without gdb, raw VmRSS.
    """

    def __init__(self, t, pid, logs, trim):
        self.t = t
        self.raw = vm_rss_kb(pid)
        self.in_use = None
        self.trimmed = None
        if trim:
            self.in_use = malloc_in_use(logs, pid)
            if self.in_use is not None and gdb_call(pid,
                                                    "(int) malloc_trim(0)"):
                self.trimmed = vm_rss_kb(pid)

    def rss(self):
        return self.trimmed if self.trimmed is not None else self.raw

    def __str__(self):
        s = "%.0fs %s" % (self.t, self.raw)
        if self.trimmed is not None:
            s += "/%s/%s" % (self.trimmed, self.in_use)
        return s


def sampler(pid, start, warmup, deadline, samples, stop):
    while not stop.is_set():
        t = time.monotonic()
        samples.append((t - start, vm_rss_kb(pid)))
        if t >= deadline:
            break
        stop.wait(5)


# --- the ledgers --------------------------------------------------------------

def read_ledger(path):
    """{(bulkId, index): [(batch, number, fault, status)...]}, lines."""
    seen = {}
    lines = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            lines += 1
            rec = json.loads(line)
            if not rec["body"]:
                continue            # fail/reset: body not read
            body = json.loads(rec["body"])
            batch = body["batch"]["index"]
            for call in body["calls"]:
                key = (body["bulkId"], call["index"])
                seen.setdefault(key, []).append(
                    (batch, call["numberToCall"], rec["fault"],
                     rec["status"]))
    return seen, lines


def ledger_faults(path):
    counts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            k = "%s/%s" % (rec["fault"], rec["status"])
            counts[k] = counts.get(k, 0) + 1
    return counts


# --- the checks ---------------------------------------------------------------

class Checks:
    def __init__(self):
        self.failures = {}

    def fail(self, check, msg):
        lst = self.failures.setdefault(check, [])
        if len(lst) < 10:
            lst.append(msg)
        elif len(lst) == 10:
            lst.append("...")

    def ok(self, check):
        return check not in self.failures


def check_answers(results, accepted_ledger, received_ledger, checks, stats):
    told_accepted = set()

    for expect, status, ans in results.answers:
        if status not in (201, 502):
            checks.fail("c", "status %d: %s" % (status, str(ans)[:200]))
            continue

        bulk = ans.get("bulkId")
        n = len(expect)
        stats["requests"] += 1
        stats["contacts"] += n
        stats["status_%d" % status] += 1

        if ans.get("total") != n:
            checks.fail("c", "%s: total %s, sent %d" % (bulk, ans.get("total"),
                                                       n))

        place = {}
        for c in ans.get("calls", []):
            place.setdefault(c["index"], []).append(("call", c))
        for s in ans.get("skipped", []):
            place.setdefault(s["index"], []).append(("skip", s))
        for f in ans.get("failed", []):
            for i in f["indexes"]:
                place.setdefault(i, []).append(("fail", f))

        failed_n = sum(len(f["indexes"]) for f in ans.get("failed", []))
        if (status == 201) != (failed_n == 0):
            checks.fail("c", "%s: status %d with %d failed"
                        % (bulk, status, failed_n))
        if ans.get("accepted") != len(ans.get("calls", [])):
            checks.fail("c", "%s: accepted %s, %d calls"
                        % (bulk, ans.get("accepted"), len(ans["calls"])))

        for i in range(n):
            where = place.pop(i, [])
            if len(where) != 1:
                checks.fail("c", "%s index %d in %d places: %s"
                            % (bulk, i, len(where), where))
                continue

            kind, item = where[0]
            want = expect[i]

            if kind == "skip":
                stats["skipped"] += 1
                if want != ("skip", item.get("reason")):
                    checks.fail("c", "%s index %d skipped as %s, expected %s"
                                % (bulk, i, item.get("reason"), want))
                continue

            if want[0] != "call":
                checks.fail("c", "%s index %d %s, expected skipped %s"
                            % (bulk, i, kind, want[1]))
                continue

            key = (bulk, i)

            if kind == "call":
                stats["accepted"] += 1
                told_accepted.add(key)
                if item["numberToCall"] != want[1]:
                    checks.fail("c", "%s index %d number %s, expected %s"
                                % (bulk, i, item["numberToCall"], want[1]))
                got = accepted_ledger.get(key, [])
                if len(got) != 1:
                    checks.fail("a", "%s index %d accepted, %d times in the "
                                "2xx ledger" % (bulk, i, len(got)))
                elif got[0][0] != item["batch"] or got[0][1] != want[1]:
                    checks.fail("a", "%s index %d: answer batch %d %s, "
                                "ledger %s" % (bulk, i, item["batch"],
                                               want[1], got[0]))
                continue

            # failed
            stats["failed"] += 1
            stats["failed_status_%s" % item["status"]] += 1
            if key in accepted_ledger:
                checks.fail("b", "%s index %d reported failed (%s) but in "
                            "the 2xx ledger: %s" % (bulk, i, item["status"],
                                                    accepted_ledger[key]))
            elif key in received_ledger:
                stats["reached_but_failed"] += 1
                for rec in received_ledger[key]:
                    stats["reached_but_failed_%s/%s" % (rec[2],
                                                         rec[3])] += 1

        if place:
            checks.fail("c", "%s: indexes out of range: %s"
                        % (bulk, sorted(place)[:10]))

    # nothing accepted by a gateway that the client was not told about
    for key, recs in accepted_ledger.items():
        if key not in told_accepted:
            checks.fail("a", "%s index %d in the 2xx ledger, not in any "
                        "answer's calls: %s" % (key[0], key[1], recs))


def check_error_log(path, worker_pid, checks, stats):
    bad = re.compile(r"\[(alert|crit|emerg)\]")
    crash = re.compile(r"exited on signal|exited with code|Assertion")
    levels = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = re.search(r"\[(\w+)\]", line)
            if m:
                levels[m.group(1)] = levels.get(m.group(1), 0) + 1
            if bad.search(line) or crash.search(line):
                checks.fail("d", line.strip()[:300])
    stats["error_log_levels"] = levels
    if not os.path.exists("/proc/%d" % worker_pid):
        checks.fail("d", "worker %d is gone" % worker_pid)


# --- main -----------------------------------------------------------------------

class Stats(dict):
    def __missing__(self, key):
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--warmup", type=float, required=True)
    ap.add_argument("--worker-pid", type=int, required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--settle", type=float, default=3.0)
    ap.add_argument("--max-rss-growth", type=float, default=5.0)
    ap.add_argument("--no-rss-check", metavar="WHY", default=None,
                    help="show RSS, do not check it, because WHY")
    ap.add_argument("--raw-rss", action="store_true",
                    help="no gdb: raw VmRSS only, no malloc_trim")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    trim = not args.raw_rss and shutil.which("gdb") is not None
    print("soak: seed %d, %d connections (2 always busy), %.0f s, "
          "RSS warm-up %.0f s" % (seed, args.connections, args.seconds,
                                   args.warmup), flush=True)

    results = Results()
    checks_pending = []
    start = time.monotonic()
    deadline = start + args.seconds

    samples = []
    stop = threading.Event()
    rss_thread = threading.Thread(target=sampler, daemon=True,
                                  args=(args.worker_pid, start, args.warmup,
                                        deadline, samples, stop))
    rss_thread.start()

    threads = [threading.Thread(target=worker,
                                args=(i, args.port, deadline, seed + i,
                                      results, 300))
               for i in range(args.connections)]
    for t in threads:
        t.start()

    # the warm-up mark: once the first minute (or so) is over, the load
    # pauses until no request is in flight, VmRSS is read, the load goes
    # on; the end is read the same way, so both are of an idle worker
    while time.monotonic() < start + args.warmup:
        time.sleep(0.2)
    if not results.quiesce(300):
        checks_pending.append("requests still in flight after 300 s")
    time.sleep(0.5)
    warm = IdleReading(time.monotonic() - start, args.worker_pid, args.logs,
                       trim)
    results.go.set()
    print("soak: warm-up over, %d answers; idle worker VmRSS kB (raw/"
          "trimmed/malloc in use): %s" % (len(results.answers), warm),
          flush=True)

    # every 30 s after the warm-up, the same idle reading: the trend
    idle = [warm]
    last = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        now = time.monotonic()
        if now - last >= 30 and now < deadline - 15:
            results.quiesce(300)
            time.sleep(0.5)
            idle.append(IdleReading(time.monotonic() - start,
                                    args.worker_pid, args.logs, trim))
            results.go.set()
            last = time.monotonic()
            print("soak: %d answers, %d errors; idle VmRSS: %s"
                  % (len(results.answers), len(results.errors), idle[-1]),
                  flush=True)
    for t in threads:
        t.join()

    elapsed = time.monotonic() - start
    stop.set()

    # slow batches end at the gateway a little after the module gave up
    time.sleep(args.settle)
    end = IdleReading(time.monotonic() - start, args.worker_pid, args.logs,
                      trim)

    checks = Checks()
    stats = Stats()

    for e in results.errors:
        checks.fail("c", "client: " + e)
    for e in checks_pending:
        checks.fail("e", e)

    accepted, accepted_lines = read_ledger(os.path.join(args.logs,
                                                        "accepted.log"))
    received, received_lines = read_ledger(os.path.join(args.logs,
                                                        "received.log"))
    faults = ledger_faults(os.path.join(args.logs, "received.log"))

    check_answers(results, accepted, received, checks, stats)
    check_error_log(os.path.join(args.logs, "error.log"), args.worker_pid,
                    checks, stats)

    rss_warm, rss_end = warm.rss(), end.rss()
    kind = "trimmed" if warm.trimmed is not None else "raw"
    if rss_warm is None or rss_end is None:
        checks.fail("e", "no VmRSS for worker %d" % args.worker_pid)
        growth = float("nan")
    else:
        growth = 100.0 * (rss_end - rss_warm) / rss_warm
        if growth > args.max_rss_growth and not args.no_rss_check:
            checks.fail("e", "%s VmRSS %d kB after warm-up, %d kB at the "
                        "end: +%.1f %%" % (kind, rss_warm, rss_end, growth))

    idle.append(end)

    # --- the summary ---
    print()
    print("== soak summary (%.0f s, seed %d)" % (elapsed, seed))
    print("requests          %d (201: %d, 502: %d), %.1f/s"
          % (stats["requests"], stats["status_201"], stats["status_502"],
             stats["requests"] / elapsed))
    print("contacts          %d: %d accepted, %d skipped, %d failed"
          % (stats["contacts"], stats["accepted"], stats["skipped"],
             stats["failed"]))
    fs = sorted(k[len("failed_status_"):] for k in stats
                if k.startswith("failed_status_"))
    print("failed by status  %s" % ", ".join(
        "%s: %d" % (s, stats["failed_status_" + s]) for s in fs))
    print("client errors     %d" % len(results.errors))
    print("gateway batches   %d received, %d answered 2xx; fate/status: %s"
          % (received_lines, accepted_lines,
             ", ".join("%s %d" % kv for kv in sorted(faults.items()))))
    rb = sorted(k for k in stats if k.startswith("reached_but_failed_"))
    print("reached but reported failed  %d contacts (%s)"
          % (stats["reached_but_failed"],
             ", ".join("%s: %d" % (k[len("reached_but_failed_"):], stats[k])
                       for k in rb) or "none"))
    print("error.log levels  %s" % ", ".join(
        "%s %d" % kv for kv in sorted(stats["error_log_levels"].items())))
    rss_min = min((s[1] for s in samples if s[1]), default=None)
    rss_max = max((s[1] for s in samples if s[1]), default=None)
    print("worker VmRSS      idle (%s): %s kB after warm-up, %s kB at the "
          "end (%+.1f %%); under load: min %s max %s kB"
          % (kind, rss_warm, rss_end, growth, rss_min, rss_max))
    print("idle VmRSS trend  %s (kB; raw/trimmed/malloc in use)"
          % ", ".join(str(r) for r in idle))
    print()

    names = {
        "a": "(a) accepted contacts reached a gateway exactly once",
        "b": "(b) failed contacts are not in the 2xx ledger",
        "c": "(c) every index exactly once in calls/skipped/failed",
        "d": "(d) no alert/crit/emerg, no worker crash",
        "e": "(e) worker RSS growth <= %.0f %%" % args.max_rss_growth,
    }
    if args.no_rss_check:
        names["e"] += " (not checked: %s)" % args.no_rss_check
    for k in sorted(names):
        verdict = "ok" if checks.ok(k) else "FAIL"
        if k == "e" and args.no_rss_check and checks.ok(k):
            verdict = "skip"
        print("%-4s %s" % (verdict, names[k]))
        for msg in checks.failures.get(k, []):
            print("       " + msg)

    if stats["requests"] == 0:
        print("FAIL no request was answered")
        return 1

    return 0 if not checks.failures else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Agent footprint: RSS and CPU of a release drover-agent, idle and ingesting events, sampled from /proc.

Starts drover-refserver (the model server the agent probes, with a golden set) and drover-agent on loopback,
then for each phase posts prediction events (20 features each, `--batch` per POST) at a fixed rate from this
process over one keep-alive connection, sampling the agent's /proc/PID/status (VmRSS) and /proc/PID/stat
(utime + stime) once a second. Prints each phase next to the issue's aims and the figures measured before.
Only 127.0.0.1 is contacted.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

AIM_RSS_MB = 20.0
AIM_CPU_PCT = 5.0
# Measured before this work (docs/decisions/0002-agent-footprint.md): dynamic runtime / --static-swift-stdlib.
BEFORE = {0: ("38.7 / 33.3 MB", "—"), 1000: ("47.7 / 41.7 MB", "7.6 / 7.3 %"), 10000: ("not measured", "—")}
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    return "?"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def mappings(pid, top=12):
    """RSS per mapped file (heap, stacks and anonymous memory grouped), largest first, from /proc/PID/smaps."""
    sizes = {}
    name = "?"
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if head and not head[0].endswith(":"):
                name = head[5] if len(head) > 5 else "[anonymous]"
                name = os.path.basename(name) if name.startswith("/") else name
            elif head and head[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(head[1])
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{n} {kb / 1024:.1f}" for n, kb in ranked[:top] if kb >= 100)


def wait_for(predicate, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"footprint: {what} did not come up within {timeout:.0f} s")


def http_ok(port, path):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", path)
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except OSError:
        return False


class Load:
    """Posts batches of events at a fixed rate over one keep-alive connection."""

    CATEGORIES = ["electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery"]
    DEVICES = ["web", "ios", "android"]

    def __init__(self, port, batch, seed=1):
        self.port = port
        self.batch = batch
        self.rng = random.Random(seed)
        self.seq = 0
        self.accepted = self.dropped = self.sampled_out = self.posts = self.errors = 0
        # Pre-encoded event tails (features and score): 20 features, 17 numeric and 3 categorical.
        self.tails = [self._tail() for _ in range(512)]
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def _tail(self):
        r = self.rng
        features = {f"f{i:02d}": round(r.gauss(10 * (i + 1), 3 + i), 4) for i in range(17)}
        features["category"] = r.choice(self.CATEGORIES)
        features["device"] = r.choice(self.DEVICES)
        features["country"] = r.choice(["de", "fr", "us", "gb"])
        score = round(r.random(), 6)
        body = json.dumps({"features": features, "scores": [score], "latency_ms": round(r.uniform(1, 9), 3)},
                          separators=(",", ":"))
        return body[1:]  # without the opening brace

    def body(self):
        parts = []
        for _ in range(self.batch):
            self.seq += 1
            parts.append('{"request_id":"req-%012d",%s' % (self.seq, self.tails[self.seq % len(self.tails)]))
        return ("[" + ",".join(parts) + "]").encode()

    def post(self):
        data = self.body()
        try:
            self.conn.request("POST", "/v1/events", body=data, headers={"content-type": "application/json"})
            response = self.conn.getresponse()
            payload = response.read()
            if response.status != 202:
                self.errors += 1
                return
            result = json.loads(payload)
            self.accepted += result.get("accepted", 0)
            self.dropped += result.get("dropped", 0)
            self.sampled_out += result.get("sampled_out", 0)
            self.posts += 1
        except (OSError, http.client.HTTPException):
            self.errors += 1
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)


def run_phase(pid, rate, seconds, load, settle):
    """Runs one phase; returns its figures. RSS is averaged over the second half, CPU over the whole phase."""
    if settle > 0:
        time.sleep(settle)
    start_cpu = cpu_seconds(pid)
    start = time.monotonic()
    start_events = load.accepted + load.dropped + load.sampled_out
    samples = []
    next_sample = start
    posts_per_second = rate / load.batch if rate > 0 else 0
    sent = 0
    while True:
        now = time.monotonic()
        elapsed = now - start
        if elapsed >= seconds:
            break
        if now >= next_sample:
            samples.append((elapsed, rss_mb(pid)))
            next_sample += 1.0
        if posts_per_second > 0 and sent < elapsed * posts_per_second:
            load.post()
            sent += 1
            continue
        wake = next_sample if posts_per_second == 0 else min(next_sample, start + (sent + 1) / posts_per_second)
        delay = wake - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    wall = time.monotonic() - start
    cpu = cpu_seconds(pid) - start_cpu
    events = load.accepted + load.dropped + load.sampled_out - start_events
    late = [mb for (t, mb) in samples if t >= seconds / 2] or [mb for (_, mb) in samples]
    return {
        "rate": rate,
        "offered": events / wall,
        "rss_mb": sum(late) / len(late),
        "rss_max_mb": max(mb for (_, mb) in samples),
        "cpu_pct": 100.0 * cpu / wall,
        "cpu_s_per_1k": (cpu / (events / 1000.0)) if events else float("nan"),
        "load": os.getloadavg()[0],
        "threads": status_field(pid, "Threads"),
        "hwm": status_field(pid, "VmHWM"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agent", required=True, help="drover-agent binary")
    ap.add_argument("--refserver", required=True, help="drover-refserver binary")
    ap.add_argument("--rates", default="0,1000,10000", help="events/s of each phase (0: idle)")
    ap.add_argument("--seconds", type=float, default=30, help="length of each phase")
    ap.add_argument("--batch", type=int, default=100, help="events per POST")
    ap.add_argument("--warmup", type=float, default=10, help="seconds after start before the idle phase")
    ap.add_argument("--label", default="", help="name of this binary in the output (e.g. static)")
    ap.add_argument("--smaps", action="store_true", help="print RSS by mapping after each phase")
    ap.add_argument("--set", action="append", default=[], help="extra agent --set key=value")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="drover-agent-bench-")
    procs = []

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        golden = os.path.join(work, "golden.jsonl")
        subprocess.run([args.refserver, "traffic", "--seed", "5", "--write-golden", golden, "--golden-queries", "20"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rs_port = free_port()
        procs.append(subprocess.Popen([args.refserver, "serve", "--port", str(rs_port), "--log-level", "warning"],
                                      stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "refserver.log"), "w")))
        wait_for(lambda: http_ok(rs_port, "/v2/health/ready"), "drover-refserver")
        port_file = os.path.join(work, "agent.port")
        config = os.path.join(work, "agent.yaml")
        with open(config, "w") as f:
            f.write(f"""agent:
  id: bench/ranker-0
  state_dir: {work}/state
  log_level: warning
server:
  kind: oip
  url: http://127.0.0.1:{rs_port}
  model: ranker
  version: "1"
  backup_version: "2"
probes:
  interval: 5s
  golden_set: {golden}
  golden_interval: 30s
ingest:
  max_events_per_window: 1000000   # so 10,000 events/s are all counted, not dropped at the default 100,000
window:
  duration: 60s
listen:
  host: 127.0.0.1
  port: 0
""")
        cmd = [args.agent, "run", "--config", config, "--port-file", port_file]
        for item in args.set:
            cmd += ["--set", item]
        agent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "agent.log"), "w"))
        procs.insert(0, agent)
        wait_for(lambda: os.path.exists(port_file) and os.path.getsize(port_file) > 0, "drover-agent")
        port = int(open(port_file).read().strip())
        wait_for(lambda: http_ok(port, "/healthz"), "drover-agent /healthz")
        load = Load(port, args.batch)
        results = []
        for i, rate in enumerate(int(r) for r in args.rates.split(",")):
            results.append(run_phase(agent.pid, rate, args.seconds, load, args.warmup if i == 0 else 0))
            if args.smaps:
                print(f"  RSS by mapping after {rate} ev/s (MB): {mappings(agent.pid)}", flush=True)
            if agent.poll() is not None:
                raise SystemExit(f"footprint: drover-agent exited ({agent.returncode}); see its log")
        label = f" [{args.label}]" if args.label else ""
        print(f"drover-agent{label}: {os.cpu_count()} cores, {args.seconds:.0f} s per phase, {args.batch} events per POST, "
              f"20 features; RSS = mean of the phase's second half (max), CPU = share of one core")
        print(f"{'load':>14} {'offered':>9} {'RSS MB':>14} {'aim':>6} {'CPU %':>7} {'aim':>5} {'CPU s/1k ev':>12} "
              f"{'loadavg':>8} {'threads':>7}  before (RSS dyn/static, CPU)")
        for r in results:
            name = "idle" if r["rate"] == 0 else f"{r['rate']:,} ev/s"
            rss_ok = "ok" if r["rss_mb"] < AIM_RSS_MB else "OVER"
            cpu_ok = ("ok" if r["cpu_pct"] < AIM_CPU_PCT else "OVER") if r["rate"] == 1000 else ""
            per = f"{r['cpu_s_per_1k']:.4f}" if r["rate"] else "—"
            before = BEFORE.get(r["rate"], ("—", "—"))
            print(f"{name:>14} {r['offered']:9.0f} {r['rss_mb']:6.1f} ({r['rss_max_mb']:5.1f}) {rss_ok:>6} "
                  f"{r['cpu_pct']:7.2f} {cpu_ok:>5} {per:>12} {r['load']:8.2f} {r['threads']:>7}  "
                  f"{before[0]}, {before[1]}")
        print(f"  aims: RSS < {AIM_RSS_MB:.0f} MB, CPU < {AIM_CPU_PCT:.0f} % of one core at 1,000 ev/s; "
              f"peak RSS (VmHWM) {results[-1]['hwm']}; events accepted {load.accepted:,}, dropped {load.dropped:,}, "
              f"POST errors {load.errors}")
    finally:
        stop()


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Drover benchmarks, each printed side by side with its baseline. `make bench` runs this after a release build.
# Sections: stats (DroverStats vs NumPy/SciPy, and droverctl drift end to end). Other sections append below.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BENCH_DIR:-.build/bench}"  # generated data is kept here and reused
REPEAT="${BENCH_REPEAT:-5}"
mkdir -p "$WORK"

if ! python3 -c "import numpy, scipy" 2>/dev/null; then
  echo "run.sh: the baselines need NumPy and SciPy: pip install numpy scipy (datasketches optional, for KLL)" >&2
  exit 1
fi
# NumPy on this kind of machine may run with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE set for old OpenBLAS builds;
# they slow a current NumPy, so the baseline runs without them (nothing here uses BLAS, but be fair anyway).
baseline() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 Benchmarks/stats_baseline.py "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# stats
# ---------------------------------------------------------------------------------------------------------------
echo "== stats: DroverStats vs NumPy/SciPy (1,000,000 values per side, best of $REPEAT, thread CPU time)"
if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"  # prebuilt release binaries (drover-bench, droverctl)
else
  for product in drover-bench droverctl; do
    swift build -c release --product "$product" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  done
  BIN="$(swift build -c release --show-bin-path)"
fi
[ -f "$WORK/stats/same.f64" ] || baseline --write-data "$WORK/stats"
"$BIN/drover-bench" stats --data "$WORK/stats" --repeat "$REPEAT" > "$WORK/stats-swift.tsv"
baseline --data "$WORK/stats" --repeat "$REPEAT" > "$WORK/stats-scipy.tsv"

[ -f "$WORK/csv/reference.csv" ] || baseline --write-csv "$WORK/csv" --rows 100000
python3 - "$WORK" "$BIN/droverctl" <<'PY'
import os, subprocess, sys, time

work, droverctl = sys.argv[1], sys.argv[2]

def read(path):
    out = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        name, value, unit = line.rstrip("\n").split("\t")
        out[name] = (float(value), unit)
    return out

swift, scipy = read(f"{work}/stats-swift.tsv"), read(f"{work}/stats-scipy.tsv")
rows = [
    ("KS two-sample (statistic + p)", "ks_ms", "ms", 3.0),
    ("KS, no drift (same distribution)", "ks_nodrift_ms", "ms", 3.0),
    ("Wasserstein-1", "wasserstein_ms", "ms", 3.0),
    ("PSI + JS with quantile bins", "psi_js_binning_ms", "ms", None),
    ("bin-count updates (1 core)", "bin_count_updates_mps", "M/s", None),
    ("quantile sketch updates (1 core)", "sketch_updates_mps", "M/s", None),
]
print(f"{'benchmark':34} {'DroverStats':>12} {'NumPy/SciPy':>12} {'speed-up':>9}  aim")
for label, key, unit, aim in rows:
    s = swift.get(key, (float('nan'),))[0]
    b = scipy.get(key, (float('nan'),))[0]
    ratio = b / s if unit == "ms" else s / b
    aim_text = f">= {aim:.0f}x" if aim else (">= 50 M/s" if unit == "M/s" else "")
    base = "KLL (datasketches)" if key == "sketch_updates_mps" else ""
    print(f"{label:34} {s:9.1f} {unit:>2} {b:9.1f} {unit:>2} {ratio:8.1f}x  {aim_text} {base}".rstrip())
for key in ["ks_statistic", "ks_nodrift_statistic", "wasserstein_value", "psi_value", "js_value"]:
    s, b = swift[key][0], scipy[key][0]
    ok = abs(s - b) <= 1e-9 * max(abs(b), 1e-300)
    print(f"  same data, same answer: {key} {s!r} vs {b!r} {'ok' if ok else 'MISMATCH'}")
print(f"  quantile sketch p50 {swift['sketch_p50'][0]:.6f} vs exact {scipy['exact_p50'][0]:.6f} "
      f"({swift['sketch_buckets'][0]:.0f} buckets)")

cmd = [droverctl, "drift", "--reference", f"{work}/csv/reference.csv", "--current", f"{work}/csv/current.csv",
       "--format", "json"]
best, best_cpu = float("inf"), float("inf")
for _ in range(5):
    before = os.times()
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True)
    best = min(best, time.perf_counter() - t)
    after = os.times()
    best_cpu = min(best_cpu, (after.children_user - before.children_user) + (after.children_system - before.children_system))
import json
doc = json.loads(out.stdout)
load = os.getloadavg()[0]
print(f"\n== droverctl drift, 100,000 rows x {len(doc['columns'])} columns per side (CSV), end to end, best of 5")
print(f"{'droverctl drift --format json':34} {best:9.3f} s wall, {best_cpu:.3f} s CPU (user+sys, {os.cpu_count()} cores, "
      f"load {load:.1f})   aim < 0.35 s (Evidently 0.7: ~3.6 s)")
print(f"  drifted columns: {', '.join(doc['drifted_columns']) or 'none'}")
PY

# == Report-ingest load (drover-bench load; see Benchmarks/load/README.md)
echo
echo "== report ingest: 5,000 enrolled agents, one realistic report each every 10 s (aim >= 5,000 reports/s at p99 < 50 ms)"
bash Benchmarks/load/run.sh "${LOAD_AGENTS:-5000}" "${LOAD_INTERVAL:-10}" "${LOAD_DURATION:-30}"
echo "(raise the offered rate with LOAD_INTERVAL=1 to look for the ceiling)"

# == Agent footprint (Benchmarks/agent/run.sh: release drover-agent + drover-refserver on loopback, /proc sampling)
echo
echo "== agent footprint: idle, 1,000 and 10,000 events/s x 20 features (aims: < 20 MB RSS, < 5 % of one core at 1,000/s)"
bash Benchmarks/agent/run.sh "${AGENT_SECONDS:-30}"   # honours BENCH_BIN; builds drover-agent and drover-refserver otherwise

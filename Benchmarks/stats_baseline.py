#!/usr/bin/env python3
"""NumPy/SciPy baseline for `drover-bench stats`, on the same data.

  stats_baseline.py --write-data DIR     write DIR/{reference,current,same}.f64 (1,000,000 little-endian doubles each;
                                         current drifts a little, same is a fresh draw of the reference distribution)
  stats_baseline.py --data DIR [--repeat N]   time the SciPy/NumPy equivalents; prints name<TAB>value<TAB>unit lines
  stats_baseline.py --write-csv DIR [--rows N]   write DIR/reference.csv and DIR/current.csv (N rows x 20 columns)

Times are the best of N runs in thread CPU time (robust to other load on the machine), single thread (SciPy's KS/Wasserstein and NumPy's binning do not use threads).
"""
import argparse, os, sys, time
import numpy as np

N = 1_000_000
EPS = 1e-4


def write_data(d):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(20261129)
    ref = rng.normal(0.0, 1.0, N)
    cur = rng.normal(0.05, 1.1, N)
    same = rng.normal(0.0, 1.0, N)  # no drift: the same distribution as the reference
    ref.astype("<f8").tofile(os.path.join(d, "reference.f64"))
    cur.astype("<f8").tofile(os.path.join(d, "current.f64"))
    same.astype("<f8").tofile(os.path.join(d, "same.f64"))


def write_csv(d, rows):
    """100,000 x 20 columns: 14 numeric (prices, rates, counts, scores), 6 categorical; the current side drifts a little."""
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(7)
    cats = [f"cat_{i:02d}" for i in range(30)]
    w = rng.dirichlet(np.ones(30))
    for side, shift in [("reference", 0.0), ("current", 1.0)]:
        cols = {}
        for i in range(5):
            cols[f"price_{i}"] = np.round(rng.lognormal(3.0 + 0.1 * shift * i, 0.8, rows), 2)
        for i in range(4):
            cols[f"rate_{i}"] = np.round(rng.beta(2, 30 - 2 * shift * i, rows), 6)
        for i in range(3):
            cols[f"count_{i}"] = rng.poisson(3.2 + 0.2 * shift * i, rows).astype(float)
        for i in range(2):
            cols[f"score_{i}"] = np.round(rng.normal(0.1 * shift * i, 1.0, rows), 4)
        for i in range(4):
            ww = (1 - 0.15 * shift * i) * w + 0.15 * shift * i * rng.dirichlet(np.ones(30))
            cols[f"category_{i}"] = rng.choice(cats, rows, p=ww / ww.sum())
        cols["device"] = rng.choice(["ios", "android", "web", "mini_program"], rows, p=[0.4, 0.44, 0.15, 0.01])
        cols["country"] = rng.choice(["cn", "us", "de", "jp", "br", "in"], rows)
        names = list(cols)
        text = [",".join(names)]
        columns = [cols[n].astype(str) if cols[n].dtype.kind == "U" else [repr(float(v)) for v in cols[n]] for n in names]
        for r in range(rows):
            text.append(",".join(c[r] for c in columns))
        with open(os.path.join(d, f"{side}.csv"), "w") as f:
            f.write("\n".join(text) + "\n")


def best(fn, repeat):
    t = float("inf")
    out = None
    for _ in range(repeat):
        s = time.thread_time()
        out = fn()
        t = min(t, time.thread_time() - s)
    return t * 1000, out


def emit(name, value, unit):
    print(f"{name}\t{value}\t{unit}", flush=True)


def run(d, repeat):
    from scipy import stats
    from scipy.spatial.distance import jensenshannon
    ref = np.fromfile(os.path.join(d, "reference.f64"), dtype="<f8")
    cur = np.fromfile(os.path.join(d, "current.f64"), dtype="<f8")
    print(f"# stats_baseline: n_reference={len(ref)} n_current={len(cur)} numpy {np.__version__} "
          f"scipy {__import__('scipy').__version__}")
    same = np.fromfile(os.path.join(d, "same.f64"), dtype="<f8")
    ms, r = best(lambda: stats.ks_2samp(ref, cur), repeat)
    emit("ks_ms", ms, "ms"); emit("ks_statistic", float(r.statistic), "value")
    ms, r = best(lambda: stats.ks_2samp(ref, same), repeat)
    emit("ks_nodrift_ms", ms, "ms"); emit("ks_nodrift_statistic", float(r.statistic), "value")
    ms, w = best(lambda: stats.wasserstein_distance(ref, cur), repeat)
    emit("wasserstein_ms", ms, "ms"); emit("wasserstein_value", float(w), "value")

    def binning():
        edges = np.unique(np.quantile(ref, [i / 10 for i in range(1, 10)], method="linear"))
        rc = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
        cc = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
        p = rc / rc.sum(); q = cc / cc.sum()
        pe = np.where(p == 0, EPS, p); qe = np.where(q == 0, EPS, q)
        return float(np.sum((qe - pe) * np.log(qe / pe))), float(jensenshannon(p, q, base=2))
    ms, (psi, js) = best(binning, repeat)
    emit("psi_js_binning_ms", ms, "ms"); emit("psi_value", psi, "value"); emit("js_value", js, "value")

    edges = np.unique(np.quantile(ref, [i / 10 for i in range(1, 10)], method="linear"))
    passes = 10
    def counting():
        total = np.zeros(len(edges) + 1, dtype=np.int64)
        for _ in range(passes):
            total += np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
        return total
    ms, _ = best(counting, repeat)
    emit("bin_count_updates_mps", passes * len(cur) / (ms / 1000) / 1e6, "M values/s")
    try:
        import datasketches
        def kll():
            s = datasketches.kll_doubles_sketch(200)
            for _ in range(passes):
                s.update(cur)
            return s
        ms, s = best(kll, repeat)
        emit("sketch_updates_mps", passes * len(cur) / (ms / 1000) / 1e6, "M values/s")
        emit("sketch_p50", float(s.get_quantile(0.5)), "value")
    except ImportError:
        print("# datasketches not installed: no KLL baseline (pip install datasketches)")
    emit("exact_p50", float(np.quantile(cur, 0.5)), "value")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-data"); ap.add_argument("--write-csv"); ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--data"); ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if a.write_data:
        write_data(a.write_data)
    if a.write_csv:
        write_csv(a.write_csv, a.rows)
    if a.data:
        run(a.data, a.repeat)
    if not (a.write_data or a.write_csv or a.data):
        ap.print_help(); sys.exit(2)


if __name__ == "__main__":
    main()

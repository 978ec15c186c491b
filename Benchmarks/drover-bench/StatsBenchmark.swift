import ArgumentParser
import DroverStats
import Foundation

/// `drover-bench stats`: KS, Wasserstein, PSI/JS with quantile binning and summary updates on the same
/// 1,000,000-value samples that Benchmarks/stats_baseline.py times with NumPy/SciPy.
struct StatsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Time DroverStats on two samples of little-endian doubles (reference.f64, current.f64)."
    )

    @Option(
        name: .long, help: "Directory with reference.f64 and current.f64 (written by stats_baseline.py --write-data).")
    var data: String

    @Option(name: .customLong("repeat"), help: "Repetitions per measurement; the best time is reported.")
    var repeats: Int = 5

    func run() throws {
        let reference = try Self.load("\(data)/reference.f64")
        let current = try Self.load("\(data)/current.f64")
        print("# drover-bench stats: n_reference=\(reference.count) n_current=\(current.count) (single thread)")

        var ks = KolmogorovSmirnovResult(statistic: 0, pValue: 0)
        emit(
            "ks_ms", best { ks = try! DriftStatistics.kolmogorovSmirnov(reference: reference, current: current) }, "ms")
        emit("ks_statistic", ks.statistic, "value")
        let same = try Self.load("\(data)/same.f64")
        emit(
            "ks_nodrift_ms", best { ks = try! DriftStatistics.kolmogorovSmirnov(reference: reference, current: same) },
            "ms")
        emit("ks_nodrift_statistic", ks.statistic, "value")

        var w = 0.0
        emit(
            "wasserstein_ms", best { w = try! DriftStatistics.wasserstein(reference: reference, current: current) },
            "ms")
        emit("wasserstein_value", w, "value")

        var psi = 0.0
        var js = 0.0
        let binning = best {
            let bins = try! NumericBins.quantileEdges(of: reference)
            let rc = try! bins.counts(reference)
            let cc = try! bins.counts(current)
            psi = try! DriftStatistics.psi(reference: rc, current: cc)
            js = try! DriftStatistics.jensenShannonDistance(reference: rc, current: cc)
        }
        emit("psi_js_binning_ms", binning, "ms")
        emit("psi_value", psi, "value")
        emit("js_value", js, "value")

        // Summary updates: what an agent does per value (counts over the reference bins; the quantile sketch).
        let bins = try NumericBins.quantileEdges(of: reference)
        let passes = 10
        var counts = NumericCounts(bins: bins)
        let countSeconds =
            best {
                counts = NumericCounts(bins: bins)
                for _ in 0..<passes { counts.add(contentsOf: current) }
            } / 1000
        emit("bin_count_updates_mps", Double(passes * current.count) / countSeconds / 1e6, "M values/s")
        var sketch = try QuantileSketch()
        let sketchSeconds =
            best {
                sketch = try! QuantileSketch()
                for _ in 0..<passes { sketch.add(contentsOf: current) }
            } / 1000
        emit("sketch_updates_mps", Double(passes * current.count) / sketchSeconds / 1e6, "M values/s")
        emit("sketch_p50", sketch.quantile(0.5) ?? .nan, "value")
        emit("sketch_buckets", Double(sketch.bucketCount), "buckets")
        precondition(counts.total == passes * current.count)
    }

    /// Best time of `repeat` runs, in milliseconds of this thread's CPU time (robust to other load on the machine).
    private func best(_ body: () -> Void) -> Double {
        var fastest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = Self.threadCPUTime()
            body()
            fastest = min(fastest, Self.threadCPUTime() - start)
        }
        return fastest * 1000
    }

    /// Seconds of CPU time used by the calling thread.
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func emit(_ name: String, _ value: Double, _ unit: String) {
        print("\(name)\t\(value)\t\(unit)")
    }

    static func load(_ path: String) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path); run Benchmarks/stats_baseline.py --write-data DIR first")
        }
        guard data.count % 8 == 0, !data.isEmpty else { throw ValidationError("\(path) is not a list of doubles") }
        return data.withUnsafeBytes { raw in
            (0..<data.count / 8).map {
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))
            }
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Timing and printing shared by the single-process benchmarks (decode, validate, store).
enum BenchMeasure {
    /// Wall and process CPU seconds of the best (lowest wall time) of `repeats` runs of `body`; `body` returns
    /// whether its result was the expected one (checked, so the work cannot be optimised away).
    static func best(repeats: Int, _ what: String, _ body: () -> Bool) -> (wall: Double, cpu: Double) {
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<repeats {
            let cpuStart = cpuSeconds()
            let start = ContinuousClock.now
            let ok = body()
            let elapsed = ContinuousClock.now - start
            let cpu = cpuSeconds() - cpuStart
            precondition(ok, "\(what) gave an unexpected result during the measurement")
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if wall < best.wall { best = (wall, cpu) }
        }
        return best
    }

    /// User plus system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Prints one figure as `name<TAB>value<TAB>unit` (the format Benchmarks/run.sh compares).
    static func emit(_ name: String, _ value: Double, _ unit: String) {
        print("\(name)\t\(String(format: value >= 100 ? "%.0f" : "%.2f", value))\t\(unit)")
    }
}

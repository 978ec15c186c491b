import ArgumentParser
import DroverAPI
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `drover-bench validate`: µs per report and reports/s for `Report.validate()` on the realistic report.
///
/// The report is the one `drover-bench decode` and the load benchmark use (20 features with drift counts, a latency
/// histogram, errors, resources, validation and online metrics), decoded once. Single thread; best of `--repeat`;
/// wall time and the process's CPU time (getrusage) per report. A report with one bad field deep inside
/// (`drift.features[19].counts["c03"]`) is timed too, since a rejected report also costs the server.
struct ValidateBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Report validation (the realistic report, valid and with one invalid field).")

    @Option(help: "Reports validated per measurement.") var iterations = 100_000
    @Option(name: .customLong("repeat"), help: "Measurements; the best is reported.") var repeats = 3

    func run() throws {
        let report = try LoadBenchmark.template()
        if let error = report.validationError {
            throw ValidationError("the realistic report does not validate (\(error)); run the DroverAPI tests")
        }
        var invalid = report
        invalid.drift?.features[19].counts = .categories(["c01": 4, "c02": 3, "c03": -1])
        guard let rejection = invalid.validationError else {
            throw ValidationError("the invalid report validated; run the DroverAPI tests")
        }
        print("# drover-bench validate: \(iterations) validations x \(repeats) (single thread)")
        print("# rejected report: \(rejection)")

        let valid = best { Self.countValid(report, iterations) == iterations }
        let rejected = best { Self.countValid(invalid, iterations) == 0 }
        emit("validate.valid_us", valid.wall / Double(iterations) * 1e6, "us/report")
        emit("validate.valid_cpu_us", valid.cpu / Double(iterations) * 1e6, "us/report")
        emit("validate.valid", Double(iterations) / valid.wall, "reports/s")
        emit("validate.invalid_us", rejected.wall / Double(iterations) * 1e6, "us/report")
        emit("validate.invalid_cpu_us", rejected.cpu / Double(iterations) * 1e6, "us/report")
    }

    /// How many of `iterations` validations of `report` passed (an opaque result, so none is optimised away).
    @inline(never)
    private static func countValid(_ report: Report, _ iterations: Int) -> Int {
        var passed = 0
        for _ in 0..<iterations {
            do {
                try report.validate()
                passed &+= 1
            } catch {}
        }
        return passed
    }

    /// Wall and process CPU seconds of the best of `repeats` runs of `body` (which returns whether it behaved).
    private func best(_ body: () -> Bool) -> (wall: Double, cpu: Double) {
        BenchMeasure.best(repeats: repeats, "a validation", body)
    }

    private func emit(_ name: String, _ value: Double, _ unit: String) { BenchMeasure.emit(name, value, unit) }
}

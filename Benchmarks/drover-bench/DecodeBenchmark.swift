import ArgumentParser
import DroverAPI
import Foundation

/// `drover-bench decode`: reports/s decoded by the fast JSON reader and by JSONDecoder, on the same bytes.
///
/// The bytes are the load benchmark's realistic report (20 features with drift counts, a latency histogram,
/// errors, resources, validation and online metrics) as DroverJSON encodes it. Single thread; best of `--repeat`.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Report decoding: the fast JSON reader vs JSONDecoder on the same bytes.")

    @Option(help: "Reports decoded per measurement.") var iterations = 20_000
    @Option(name: .customLong("repeat"), help: "Measurements per decoder; the best is reported.")
    var repeats = 5
    @Option(help: "A report JSON file to decode instead of the built-in realistic report.") var file: String?

    func run() throws {
        let bytes: [UInt8]
        if let file {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } else {
            bytes = try DroverJSON.encode(try LoadBenchmark.template())
        }
        let expected = try DroverJSON.decode(Report.self, from: bytes)
        guard try JSONReader.decode(Report.self, from: bytes) == expected else {
            throw ValidationError(
                "the fast reader and JSONDecoder disagree on this report; run the DroverAPI tests")
        }
        print(
            "# drover-bench decode: \(bytes.count)-byte report, \(iterations) decodes x \(repeats) (single thread)"
        )
        let decoder = DroverJSON.decoder()
        let data = Data(bytes)
        let perReport = expected.drift?.features.count ?? 0
        let fast = best(expecting: perReport) {
            var features = 0
            for _ in 0..<iterations {
                features &+= (try? JSONReader.decode(Report.self, from: bytes))?.drift?.features.count ?? 0
            }
            return features
        }
        let codable = best(expecting: perReport) {
            var features = 0
            for _ in 0..<iterations {
                features &+= (try? decoder.decode(Report.self, from: data))?.drift?.features.count ?? 0
            }
            return features
        }
        emit("decode.bytes", Double(bytes.count), "bytes")
        emit("decode.fast", Double(iterations) / fast, "reports/s")
        emit("decode.jsondecoder", Double(iterations) / codable, "reports/s")
        emit("decode.fast_us", fast / Double(iterations) * 1e6, "us/report")
        emit("decode.jsondecoder_us", codable / Double(iterations) * 1e6, "us/report")
        emit("decode.speedup", codable / fast, "x")
    }

    /// The best wall time in seconds of `repeats` runs of `body` (its result is checked so it is not optimised away).
    private func best(expecting perReport: Int, _ body: () -> Int) -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            let features = body()
            let elapsed = ContinuousClock.now - start
            precondition(features == iterations * perReport, "a decode failed during the measurement")
            best = min(
                best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    private func emit(_ name: String, _ value: Double, _ unit: String) {
        print("\(name)\t\(String(format: value >= 100 ? "%.0f" : "%.2f", value))\t\(unit)")
    }
}

import AgentCore
import ArgumentParser
import DroverAPI
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `drover-bench decode`: reports/s decoded by the fast JSON reader and by JSONDecoder, on the same bytes, and the
/// agent's prediction-event bodies read by `EventBodies`.
///
/// The report bytes are the load benchmark's realistic report (20 features with drift counts, a latency histogram,
/// errors, resources, validation and online metrics) as DroverJSON encodes it; the event body is a JSON array of
/// 100 events shaped like the agent footprint benchmark's (17 numeric and 3 categorical features, one score).
/// Single thread; best of `--repeat`; wall time and the process's CPU time (getrusage) per item.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Report decoding (fast JSON reader vs JSONDecoder) and agent event-body decoding.")

    @Option(help: "Reports decoded per measurement.") var iterations = 20_000
    @Option(name: .customLong("repeat"), help: "Measurements per decoder; the best is reported.")
    var repeats = 5
    @Option(help: "A report JSON file to decode instead of the built-in realistic report.") var file: String?
    @Option(help: "Event bodies (100 events each) decoded per measurement.") var eventBodies = 2_000
    @Flag(help: "Measure the fast reader only (to profile it).") var fastOnly = false

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
        let fast = best(expecting: iterations * perReport) {
            var features = 0
            for _ in 0..<iterations {
                features &+= (try? JSONReader.decode(Report.self, from: bytes))?.drift?.features.count ?? 0
            }
            return features
        }
        guard !fastOnly else {
            emit("decode.fast_cpu_us", fast.cpu / Double(iterations) * 1e6, "us/report")
            return
        }
        let codable = best(expecting: iterations * perReport) {
            var features = 0
            for _ in 0..<iterations {
                features &+= (try? decoder.decode(Report.self, from: data))?.drift?.features.count ?? 0
            }
            return features
        }
        emit("decode.bytes", Double(bytes.count), "bytes")
        emit("decode.fast", Double(iterations) / fast.wall, "reports/s")
        emit("decode.jsondecoder", Double(iterations) / codable.wall, "reports/s")
        emit("decode.fast_us", fast.wall / Double(iterations) * 1e6, "us/report")
        emit("decode.fast_cpu_us", fast.cpu / Double(iterations) * 1e6, "us/report")
        emit("decode.jsondecoder_us", codable.wall / Double(iterations) * 1e6, "us/report")
        emit("decode.speedup", codable.wall / fast.wall, "x")

        let body = Self.eventBody(count: 100)
        guard EventBodies.decode(PredictionEvent.self, from: body).items.count == 100 else {
            throw ValidationError("the agent's event reader refused the benchmark's event body")
        }
        let events = best(expecting: eventBodies * 100) {
            var decoded = 0
            for _ in 0..<eventBodies {
                decoded &+= EventBodies.decode(PredictionEvent.self, from: body).items.count
            }
            return decoded
        }
        let count = Double(eventBodies * 100)
        emit("decode.event_body_bytes", Double(body.count), "bytes")
        emit("decode.event_us", events.wall / count * 1e6, "us/event")
        emit("decode.event_cpu_us", events.cpu / count * 1e6, "us/event")
    }

    /// A JSON array of `count` prediction events: 17 numeric features (4 decimals), 3 categorical, one score.
    static func eventBody(count: Int) -> [UInt8] {
        var generator = SplitMix(seed: 42)
        let categories = ["home", "garden", "toys", "books", "sports"]
        let devices = ["ios", "android", "web"]
        let countries = ["de", "fr", "us", "gb"]
        var parts: [String] = []
        for index in 0..<count {
            var features: [String] = []
            for f in 0..<17 {
                let value = Double(10 * (f + 1)) + (generator.unit() - 0.5) * Double(6 + 2 * f)
                features.append("\"f\(f < 10 ? "0" : "")\(f)\": \(String(format: "%.4f", value))")
            }
            features.append("\"category\": \"\(categories[Int(generator.unit() * 5)])\"")
            features.append("\"device\": \"\(devices[Int(generator.unit() * 3)])\"")
            features.append("\"country\": \"\(countries[Int(generator.unit() * 4)])\"")
            parts.append(
                "{\"request_id\":\"req-\(String(format: "%012d", index))\", \"features\": {\(features.joined(separator: ", "))}, "
                    + "\"scores\": [\(String(format: "%.6f", generator.unit()))], \"latency_ms\": \(String(format: "%.3f", 1 + 8 * generator.unit()))}"
            )
        }
        return Array("[\(parts.joined(separator: ","))]".utf8)
    }

    /// Wall and process CPU seconds of the best of `repeats` runs of `body`, which must return `total`.
    private func best(expecting total: Int, _ body: () -> Int) -> (wall: Double, cpu: Double) {
        BenchMeasure.best(repeats: repeats, "a decode") { body() == total }
    }

    private func emit(_ name: String, _ value: Double, _ unit: String) { BenchMeasure.emit(name, value, unit) }
}

/// A small deterministic generator for benchmark inputs.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

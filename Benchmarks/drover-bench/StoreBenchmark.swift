import ArgumentParser
import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Synchronization

/// `drover-bench store`: CPU time per report of the SQLite report writer alone (no HTTP, no decoding).
///
/// Realistic reports (DroverTestKit fixtures: 20 features with drift counts, latency histogram, errors,
/// validation) from `--agents` agents in two zones, 10 s windows, 60 s rollup buckets, are written through
/// `SQLiteControlPlaneStore.ingest` in a temporary directory, in batches of 1 and of 32, one call at a time.
/// The figure is process CPU time (user + system, every thread, from getrusage) per report: it stays meaningful
/// on a shared machine where wall time does not. The one-minute load average is printed next to it.
struct StoreBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "SQLite report writer: CPU time per report, batches of 1 and of 32.")

    @Option(help: "Reports written per measurement.") var reports = 4_000
    @Option(help: "Reporting agents (half in each of two zones).") var agents = 20
    @Option(name: .customLong("repeat"), help: "Measurements per batch size; the lowest CPU time is reported.")
    var repeats = 3
    @Option(help: "Batch sizes to measure, comma-separated.") var batches = "1,32"

    /// The root command is synchronous: run the async body on the cooperative pool and wait for it.
    func run() throws {
        let sizes = batches.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--batches must list positive batch sizes, e.g. 1,32")
        }
        let settings = StoreBenchSettings(
            reports: reports, agents: max(1, agents), repeats: max(1, repeats), sizes: sizes)
        let failure = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await settings.run() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) { throw ValidationError("store benchmark failed: \(message)") }
    }
}

/// The store benchmark's settings and its async body.
struct StoreBenchSettings: Sendable {
    var reports: Int
    var agents: Int
    var repeats: Int
    var sizes: [Int]

    func run() async throws {
        let items = try makeItems()
        print("# drover-bench store: \(reports) reports (\(items.first?.report.json.count ?? 0) bytes each), "
            + "\(agents) agents, best of \(repeats); load average \(Self.loadAverage())")
        for size in sizes {
            var bestCPU = Double.infinity
            var bestWall = Double.infinity
            for _ in 0..<repeats {
                let (cpu, wall) = try await measure(items, batch: size)
                bestCPU = min(bestCPU, cpu)
                bestWall = min(bestWall, wall)
            }
            emit("store.batch\(size).cpu_us", bestCPU / Double(items.count) * 1e6, "us/report")
            emit("store.batch\(size).wall_us", bestWall / Double(items.count) * 1e6, "us/report")
        }
        print("# load average after: \(Self.loadAverage())")
    }

    /// Writes every item into a fresh store in batches of `batch`; returns (CPU seconds, wall seconds).
    private func measure(_ items: [IngestItem], batch: Int) async throws -> (Double, Double) {
        let dir = try TemporaryDirectory(prefix: "drover-bench-store")
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        for a in 0..<agents {
            try await store.upsertAgent(
                AgentRecord(
                    id: agentID(a), model: Fixtures.model, labels: ["zone": zone(a)], enrolledAt: Fixtures.windowStart))
        }
        let cpuStart = BenchMeasure.cpuSeconds()
        let wallStart = ContinuousClock.now
        var stored = 0
        var index = 0
        while index < items.count {
            let end = min(items.count, index + batch)
            stored += try await store.ingest(Array(items[index..<end])).count
            index = end
        }
        try await store.flushRollups()  // counted: rollups held in memory are written once at the end
        let elapsed = ContinuousClock.now - wallStart
        let cpu = BenchMeasure.cpuSeconds() - cpuStart
        guard stored == items.count else {
            throw ValidationError("the store kept \(stored) of \(items.count) new reports")
        }
        let rows = try await store.rollups(
            RollupQuery(from: Fixtures.windowStart, to: Fixtures.windowStart.addingTimeInterval(1e7)))
        guard rows.reduce(0, { $0 + $1.rollup.reports }) == items.count else {
            throw ValidationError("the rollups do not add up to the \(items.count) reports written")
        }
        return (cpu, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func agentID(_ a: Int) -> String { "bench/agent-\(a)" }
    private func zone(_ a: Int) -> String { a % 2 == 0 ? "eu-1" : "us-1" }

    /// Report `i` comes from agent `i % agents`, window `i / agents` (10 s windows, so six per 60 s bucket).
    private func makeItems() throws -> [IngestItem] {
        let configuration = IngestConfiguration()
        return try (0..<reports).map { i in
            let a = i % agents
            let report = Fixtures.report(
                id: Fixtures.reportID(i), index: i / agents, agentID: agentID(a), windowSeconds: 10, seed: UInt64(a))
            let stored = StoredReport(
                id: report.id, agentID: report.agentID, model: report.model, version: report.version, zone: zone(a),
                windowStart: report.window.start, windowEnd: report.window.end,
                receivedAt: report.window.end.addingTimeInterval(1), json: try DroverJSON.encode(report))
            let key = RollupKey(
                model: report.model, version: report.version, zone: zone(a),
                bucketStart: configuration.bucket(of: report.window.start))
            return IngestItem(report: stored, key: key, rollup: ReportRollup(report: report))
        }
    }

    /// The one-minute load average, as text.
    static func loadAverage() -> String {
        var loads = [0.0, 0.0, 0.0]
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return String(format: "%.2f", loads[0])
    }

    private func emit(_ name: String, _ value: Double, _ unit: String) { BenchMeasure.emit(name, value, unit) }
}

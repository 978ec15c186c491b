import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("SQLite ingest throughput")
struct IngestThroughputTests {
    /// Ingests realistic reports (20 features) from many concurrent callers, one report per call, as the
    /// HTTP route does; prints reports/s and latency percentiles. Set DROVER_PERF=1 for the full 20,000.
    @Test("concurrent single-report ingest is group-committed and keeps every report exactly once")
    func throughput() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let cp = ControlPlane(store: store, clock: .fixed(Fixtures.windowStart.addingTimeInterval(3600)))
        let enroll = try await cp.tokens.authenticate(try await cp.tokens.create(role: .enroll, name: "e", by: .system).secret)
        let agentCount = 100
        var agents: [Principal] = []
        for i in 0..<agentCount {
            let r = try await cp.agents.enroll(EnrollRequest(agentID: "node-\(i)/ranker-0", model: Fixtures.model, labels: ["zone": "z\(i % 3)"]), by: enroll)
            agents.append(try await cp.tokens.authenticate(r.token))
        }
        let total = ProcessInfo.processInfo.environment["DROVER_PERF"] == nil ? 2_000 : 20_000
        let perAgent = total / agentCount
        let bodies: [[(Report, [UInt8])]] = try (0..<agentCount).map { a in
            try (0..<perAgent).map { k in
                let r = Fixtures.report(id: Fixtures.reportID(a * 100_000 + k), index: k % 50, agentID: "node-\(a)/ranker-0")
                return (r, try DroverJSON.encode(r))
            }
        }
        let agentsCopy = agents
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for a in 0..<agentCount {
                group.addTask {
                    var out: [Duration] = []
                    for (report, json) in bodies[a] {
                        let t = ContinuousClock.now
                        let ack = try await cp.ingest.ingest([.init(report: report, json: json)], by: agentsCopy[a])
                        precondition(ack.accepted.count == 1)
                        out.append(ContinuousClock.now - t)
                    }
                    return out
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        let sorted = latencies.sorted()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("ingest: \(total) reports in \(elapsed): \(Int(Double(total) / seconds)) reports/s, p50 \(sorted[sorted.count / 2]), p99 \(sorted[sorted.count * 99 / 100])")
        let health = try await cp.fleet.health(from: Fixtures.windowStart, to: Fixtures.windowStart.addingTimeInterval(3600))
        #expect(health.groups.map(\.reports).reduce(0, +) == total)
        #expect(health.groups.count == 3)
    }
}

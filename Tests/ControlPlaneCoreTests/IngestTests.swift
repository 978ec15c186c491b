import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Logging
import Testing

@Suite("Report ingest")
struct IngestTests {
    @Test("a repeated report id is acknowledged as a duplicate and not counted again")
    func dedupe() async throws {
        let h = try await Harness()
        let agent = try await h.agent()
        let report = Fixtures.report(index: 0)
        let first = try await h.controlPlane.ingest.ingest([.init(report: report)], by: agent)
        #expect(first == ReportAck(accepted: [report.id], duplicates: []))
        let second = try await h.controlPlane.ingest.ingest([.init(report: report)], by: agent)
        #expect(second == ReportAck(accepted: [], duplicates: [report.id]))
        let batch = try await h.controlPlane.ingest.ingest(
            [.init(report: Fixtures.report(index: 1)), .init(report: Fixtures.report(index: 1)), .init(report: report)], by: agent)
        #expect(batch.accepted == [Fixtures.report(index: 1).id])
        #expect(batch.duplicates == [Fixtures.report(index: 1).id, report.id])
        let health = try await h.controlPlane.fleet.health(from: Fixtures.windowStart, to: Harness.now)
        #expect(health.groups.map(\.reports) == [2])
    }

    @Test("an agent cannot send another agent's report, and unknown agents are refused")
    func ownReportsOnly() async throws {
        let h = try await Harness()
        let a = try await h.agent("node-a/ranker-0")
        _ = try await h.agent("node-b/ranker-0")
        let error = await controlPlaneError {
            _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report(agentID: "node-b/ranker-0"))], by: a)
        }
        #expect(error?.kind == .forbidden)
        let unknown = Principal(tokenID: "t", name: "x", role: .agent, agentID: "ghost")
        let e2 = await controlPlaneError { _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report(agentID: "ghost"))], by: unknown) }
        #expect(e2?.kind == .unprocessable)
        #expect(await controlPlaneError { _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report())], by: h.admin) }?.kind == .forbidden)
    }

    @Test("bad reports are refused with the field named")
    func badInput() async throws {
        let h = try await Harness()
        let agent = try await h.agent()
        var report = Fixtures.report()
        report.latencyMs?.histogram.counts.removeLast()
        let error = await controlPlaneError { _ = try await h.controlPlane.ingest.ingest([.init(report: report, json: [])], by: agent) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.field?.contains("latency_ms.histogram") == true)
        var backwards = Fixtures.report()
        backwards.window = TimeWindow(start: backwards.window.end, end: backwards.window.start)
        let e2 = await controlPlaneError { _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report(index: 0)), .init(report: backwards)], by: agent) }
        #expect(e2?.field?.hasPrefix("reports[1].window") == true)
    }

    @Test("retention prunes raw reports and rollups past their age")
    func retention() async throws {
        let h = try await Harness()
        let agent = try await h.agent()
        _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report(index: 0))], by: agent)
        let later = WallClock.fixed(Harness.now.addingTimeInterval(40 * 86_400))
        let service = RetentionService(store: h.store, configuration: IngestConfiguration(), wallClock: later, clock: ContinuousClock(), logger: .init(label: "test"))
        let pruned = try await service.pruneOnce()
        #expect(pruned.reports == 1)
        #expect(pruned.rollups == 1)
    }
}

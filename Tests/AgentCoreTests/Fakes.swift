import AgentCore
import DroverAPI
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An in-memory inference server: health can be flipped, scores are the first feature, switches are recorded.
final class FakeAdapter: InferenceAdapter {
    struct State {
        var healthy = true
        var version: String?
        var switches: [String] = []
        var failSwitch: String?
    }

    // The mutex guards the fake's state.
    let state: Mutex<State>

    init(version: String?) { state = Mutex(State(version: version)) }

    func health() async -> ServerHealth {
        state.withLock { $0.healthy } ? ServerHealth(live: true, ready: true) : ServerHealth(live: true, ready: false, errorKind: "http_5xx")
    }

    func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]] {
        guard state.withLock({ $0.healthy }) else { throw AdapterError(kind: "http_5xx", message: "unhealthy") }
        return records.map { [$0["x"]?.number ?? 0] }
    }

    func servedVersion() async throws(AdapterError) -> String? { state.withLock { $0.version } }

    func switchVersion(to version: String) async throws(AdapterError) {
        let failure: String? = state.withLock { s in
            if let f = s.failSwitch { return f }
            s.switches.append(version)
            s.version = version
            s.healthy = true
            return nil
        }
        if let failure { throw AdapterError(kind: "switch_failed", message: failure) }
    }

    var switches: [String] { state.withLock { $0.switches } }
    func setHealthy(_ healthy: Bool) { state.withLock { $0.healthy = healthy } }
}

/// A control plane that records reports by id (stopping and restarting on the same port) and answers ReportAck.
final class ReportReceiver: Sendable {
    // The mutex guards the received counts.
    private let received = Mutex<[String: Int]>([:])
    private let order = Mutex<[String]>([])

    /// How many times each report id was stored (must stay 1).
    var counts: [String: Int] { received.withLock { $0 } }
    /// Ids in arrival order.
    var ids: [String] { order.withLock { $0 } }

    func handle(_ request: LocalHTTPRequest) -> LocalHTTPResponse {
        guard request.method == "POST", request.path == APIPath.reportsBatch,
              let batch = try? DroverJSON.decode(ReportBatch.self, from: request.body)
        else { return .error(400, code: "invalid", message: "expected a report batch") }
        var accepted: [String] = []
        var duplicates: [String] = []
        for report in batch.reports {
            let isNew = received.withLock { map in
                let seen = map[report.id] != nil
                if !seen { map[report.id] = 1 }
                return !seen
            }
            if isNew {
                accepted.append(report.id)
                order.withLock { $0.append(report.id) }
            } else {
                duplicates.append(report.id)
            }
        }
        return .init(status: 200, body: (try? DroverJSON.encode(ReportAck(accepted: accepted, duplicates: duplicates))) ?? [])
    }

    /// The reports stored, decoded.
    var stored: [String] { ids }
}

/// A report with only what the reporter needs.
func sampleReport(_ id: String) -> Report {
    Report(
        id: id, agentID: "a", model: "m", version: "1",
        window: TimeWindow(start: .init(timeIntervalSince1970: 0), end: .init(timeIntervalSince1970: 60)),
        health: HealthBlock(live: true, ready: true))
}

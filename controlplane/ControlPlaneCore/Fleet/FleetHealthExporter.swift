import DroverAPI
import Logging
import Metrics
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Publishes fleet health as metrics every `interval`: per model × version × zone latency quantiles,
/// error rate, report count, reports over a mismatched reference profile and per-feature PSI over the last
/// `window`; agents per model and state.
/// Label values are bounded by the registry (models, versions, zones, profile features).
public struct FleetHealthExporter<C: Clock>: Service where C.Duration == Duration {
    let controlPlane: ControlPlane
    let clock: C
    let interval: Duration
    let window: Duration
    let logger: Logger

    /// Creates the exporter.
    public init(controlPlane: ControlPlane, clock: C, interval: Duration = .seconds(30), window: Duration = .seconds(300), logger: Logger) {
        self.controlPlane = controlPlane
        self.clock = clock
        self.interval = interval
        self.window = window
        self.logger = logger
    }

    /// Computes and records the gauges once.
    public func exportOnce() async throws {
        let seconds = Double(window.components.seconds)
        let now = controlPlane.fleet.clock.now()
        let health = try await controlPlane.fleet.health(from: now.addingTimeInterval(-seconds), to: now)
        for g in health.groups {
            let dims = [("model", g.model), ("version", g.version), ("zone", g.zone)]
            Gauge(label: "drover_fleet_reports", dimensions: dims).record(g.reports)
            // Reports whose drift was computed against another profile than the stored one (excluded from drift).
            Gauge(label: "drover_fleet_profile_mismatch_reports", dimensions: dims).record(g.profileMismatches)
            if let rate = g.errorRate { Gauge(label: "drover_fleet_error_rate", dimensions: dims).record(rate) }
            if let l = g.latencyMs {
                Gauge(label: "drover_fleet_latency_p50_ms", dimensions: dims).record(l.p50)
                Gauge(label: "drover_fleet_latency_p99_ms", dimensions: dims).record(l.p99)
            }
            for d in g.drift {
                guard let psi = d.score?.psi else { continue }
                Gauge(label: "drover_fleet_feature_psi", dimensions: dims + [("feature", d.name)]).record(psi)
            }
        }
        var counts: [String: [AgentInfo.State: Int]] = [:]
        for view in try await controlPlane.agents.list() { counts[view.agent.model, default: [:]][view.state, default: 0] += 1 }
        for (model, states) in counts {
            for state in AgentInfo.State.allCases {
                Gauge(label: "drover_agents", dimensions: [("model", model), ("state", state.rawValue)]).record(states[state] ?? 0)
            }
        }
    }

    /// Exports every interval until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await exportOnce() } catch { logger.warning("fleet health export failed", metadata: ["error": "\(error)"]) }
            do { try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) } } catch { return }
        }
    }
}

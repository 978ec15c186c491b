import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns fleet health, agent liveness and the registry's offline metrics into alert observations.
///
/// Low-traffic groups are skipped (no error-rate or latency alert on 3 requests, no PSI on 50 values), so
/// alerts stay few and meaningful.
public struct FleetHealthAlertSource: AlertObservationSource {
    /// Tuning of the source.
    public struct Configuration: Sendable, Equatable {
        /// Range of fleet health the rates, latency, validation and drift are computed over (default 300 s).
        public var rangeSeconds: Double
        /// Range over which a failover keeps its alert firing (default 1800 s).
        public var failoverHorizonSeconds: Double
        /// Requests needed in a group before its error rate and latency count (default 100).
        public var minRequests: Int
        /// Values needed for a feature's PSI to count (default 500).
        public var minDriftSamples: Int

        /// Creates a configuration.
        public init(rangeSeconds: Double = 300, failoverHorizonSeconds: Double = 1800, minRequests: Int = 100, minDriftSamples: Int = 500) {
            self.rangeSeconds = rangeSeconds
            self.failoverHorizonSeconds = failoverHorizonSeconds
            self.minRequests = minRequests
            self.minDriftSamples = minDriftSamples
        }
    }

    private let fleet: FleetHealthService
    private let store: any ControlPlaneStore
    private let liveness: LivenessPolicy
    private let configuration: Configuration

    /// Creates the source.
    public init(fleet: FleetHealthService, store: any ControlPlaneStore, liveness: LivenessPolicy = .init(), configuration: Configuration = .init()) {
        self.fleet = fleet
        self.store = store
        self.liveness = liveness
        self.configuration = configuration
    }

    /// The observations as of `now`.
    public func observations(at now: Date) async throws -> [AlertObservation] {
        let health = try await fleet.health(from: now.addingTimeInterval(-configuration.rangeSeconds), to: now)
        var out = Self.observations(from: health, configuration: configuration)
        var offline: [String: [String: Double]] = [:]
        for group in health.groups {
            let key = group.model + "\u{0}" + group.version
            if offline[key] == nil { offline[key] = try await store.version(model: group.model, version: group.version)?.offlineMetrics ?? [:] }
            guard let validation = group.validation, let metrics = offline[key] else { continue }
            for (metric, observed) in validation.metrics.sorted(by: { $0.key < $1.key }) {
                guard let baseline = metrics[metric], observed.isFinite else { continue }
                out.append(.validationDecay(model: group.model, version: group.version, zone: group.zone, metric: metric, observed: observed, offline: baseline))
            }
        }
        let failovers = try await fleet.health(from: now.addingTimeInterval(-configuration.failoverHorizonSeconds), to: now)
        for group in failovers.groups {
            out.append(
                AlertObservation(
                    metric: AlertObservation.Metric.failover, value: Double(group.failovers),
                    labels: ["model": group.model, "version": group.version, "zone": group.zone],
                    evidence: ["failover_window": "\(Int(configuration.failoverHorizonSeconds))s"]
                )
            )
        }
        for agent in try await store.agents(model: nil) {
            let state = liveness.state(lastSeen: agent.lastSeen, enrolledAt: agent.enrolledAt, now: now)
            var observation = AlertObservation.agentLost(model: agent.model, agent: agent.id, zone: agent.labels["zone"], lastSeen: agent.lastSeen)
            observation.value = state == .lost ? 1 : 0
            out.append(observation)
        }
        return out
    }

    /// Error rate, p99 latency and per-feature PSI of each group with enough traffic.
    public static func observations(from health: FleetHealth, configuration: Configuration = .init()) -> [AlertObservation] {
        var out: [AlertObservation] = []
        for group in health.groups {
            let labels = ["model": group.model, "version": group.version, "zone": group.zone]
            if group.requests + group.errors >= configuration.minRequests {
                if let rate = group.errorRate {
                    out.append(
                        AlertObservation(
                            metric: AlertObservation.Metric.errorRate, value: rate, labels: labels,
                            evidence: ["requests": "\(group.requests)", "errors": "\(group.errors)"]
                        )
                    )
                }
                if let latency = group.latencyMs {
                    out.append(AlertObservation(metric: AlertObservation.Metric.latencyP99, value: latency.p99, labels: labels))
                }
            }
            for feature in group.drift where feature.role == "feature" && feature.n >= configuration.minDriftSamples {
                guard let psi = feature.score?.psi else { continue }
                var observation = AlertObservation.featureDrift(model: group.model, version: group.version, zone: group.zone, feature: feature.name, psi: psi)
                observation.evidence["n"] = "\(feature.n)"
                if let reason = feature.score?.reason { observation.evidence["drift_reason"] = reason }
                out.append(observation)
            }
        }
        return out
    }
}

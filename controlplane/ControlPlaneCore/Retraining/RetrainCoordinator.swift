import DroverAPI
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Told when the registry registers a version (the registry calls it after a successful registration).
public protocol VersionRegistrationObserver: Sendable {
    /// A version was registered at `at`.
    func versionRegistered(_ version: ModelVersion, at: Date) async
}

/// Owns the retrain trigger: feeds it windows, records every request and outcome, dispatches fired requests,
/// and closes the loop when a retrained version is registered.
public actor RetrainCoordinator: VersionRegistrationObserver {
    private var trigger: RetrainTrigger
    private let policies: [String: RetrainPolicy]
    private let store: any RetrainStore
    private let dispatcher: any RetrainDispatcher
    private let logger: Logger
    private var started = false

    /// Creates a coordinator; call `start(at:)` before feeding windows.
    public init(policies: [RetrainPolicy], store: any RetrainStore, dispatcher: any RetrainDispatcher, logger: Logger) {
        self.trigger = RetrainTrigger(policies: policies)
        self.policies = Dictionary(policies.map { ($0.model, $0) }, uniquingKeysWith: { _, last in last })
        self.store = store
        self.dispatcher = dispatcher
        self.logger = logger
    }

    /// Re-adopts recorded requests (cooldowns, in-flight requests) and re-dispatches requests left pending by a crash.
    public func start(at now: Date) async throws {
        guard !started else { return }
        started = true
        var recent: [RetrainRequest] = []
        for model in policies.keys.sorted() { recent += try await store.requests(model: model, limit: 20) }
        _ = trigger.handle(.restore(recent))
        for request in recent where request.state == .pending {
            guard let policy = policies[request.model] else { continue }
            await dispatch(request, to: policy.target, at: now)
        }
    }

    /// Feeds one window per model; records and dispatches any request that fires. Returns the fired requests.
    @discardableResult
    public func observe(_ windows: [RetrainWindow], at now: Date) async throws -> [RetrainRequest] {
        var fired: [(RetrainRequest, RetrainTarget)] = []
        for window in windows {
            for action in trigger.handle(.window(window)) {
                switch action {
                case .fire(let request, let target):
                    try await store.saveRequest(request)
                    logger.notice(
                        "retrain request fired",
                        metadata: [
                            "retrain.id": "\(request.id)", "model": "\(request.model)",
                            "retrain.reasons": "\(request.evidence.reasons.joined(separator: ","))",
                            "retrain.features": "\(request.evidence.features.map(\.name).joined(separator: ","))",
                        ]
                    )
                    fired.append((request, target))
                case .update(let request):
                    try await store.saveRequest(request)
                case .suppressed(let model, let reason):
                    logger.debug("retrain request held back", metadata: ["model": "\(model)", "reason": "\(reason)"])
                }
            }
        }
        var results: [RetrainRequest] = []
        for (request, target) in fired {
            results.append(await dispatch(request, to: target, at: now))
        }
        return results
    }

    /// Closes the loop: a version registered with `lineage.method = retrain` completes the model's in-flight request.
    public func versionRegistered(_ version: ModelVersion, at: Date) async {
        for action in trigger.handle(.versionRegistered(model: version.model, version: version.version, lineage: version.lineage, at: at)) {
            guard case .update(let request) = action else { continue }
            do {
                try await store.saveRequest(request)
                logger.notice(
                    "retrain request completed",
                    metadata: ["retrain.id": "\(request.id)", "model": "\(request.model)", "version": "\(version.version)"]
                )
            } catch {
                logger.error("could not record a completed retrain request", metadata: ["retrain.id": "\(request.id)", "error": "\(error)"])
            }
        }
    }

    /// The request in flight for a model.
    public func inFlightRequest(model: String) -> RetrainRequest? { trigger.inFlightRequest(model: model) }

    @discardableResult
    private func dispatch(_ request: RetrainRequest, to target: RetrainTarget, at now: Date) async -> RetrainRequest {
        let result = await dispatcher.dispatch(request, to: target)
        var latest = request
        for action in trigger.handle(.dispatched(requestID: request.id, succeeded: result.accepted, outcome: result.outcome, at: now)) {
            guard case .update(let updated) = action else { continue }
            latest = updated
            do {
                try await store.saveRequest(updated)
            } catch {
                logger.error("could not record a retrain outcome", metadata: ["retrain.id": "\(request.id)", "error": "\(error)"])
            }
        }
        if result.accepted {
            logger.info("retrain request accepted", metadata: ["retrain.id": "\(request.id)", "outcome": "\(result.outcome)"])
        } else {
            logger.warning("retrain request failed", metadata: ["retrain.id": "\(request.id)", "outcome": "\(result.outcome)"])
        }
        return latest
    }
}

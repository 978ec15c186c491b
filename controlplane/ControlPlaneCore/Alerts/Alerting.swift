import DroverAPI
import Logging
import Metrics
import ServiceLifecycle

/// Alerts, retraining and the training monitor wired over their stores; shared by the HTTP layer and the executable.
public struct Alerting: Sendable {
    /// The configuration.
    public let configuration: AlertingConfiguration
    /// Alerts, deliveries and rules.
    public let alertStore: any AlertStore
    /// The alert engine (evaluation, external alerts, rules).
    public let engine: AlertEngine
    /// Retrain requests.
    public let retrainStore: any RetrainStore
    /// The retrain coordinator; also the registry's `VersionRegistrationObserver`.
    public let retraining: RetrainCoordinator
    /// The training monitor; also the registry's `PromotionGuard`.
    public let training: TrainingMonitor
    private let transport: any HTTPTransport
    private let logger: Logger
    private let metricsFactory: any MetricsFactory

    /// Wires the subsystems (call `configuration.validate()` first).
    public init(
        configuration: AlertingConfiguration, alertStore: any AlertStore, retrainStore: any RetrainStore,
        trainingStore: any TrainingStore, transport: any HTTPTransport, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.configuration = configuration
        self.alertStore = alertStore
        self.retrainStore = retrainStore
        self.transport = transport
        self.logger = logger
        self.metricsFactory = metricsFactory
        self.engine = AlertEngine(
            store: alertStore, baseRules: configuration.rules ?? AlertRule.defaultRules, receivers: configuration.receivers.map(\.name),
            logger: logger, metricsFactory: metricsFactory
        )
        self.retraining = RetrainCoordinator(
            policies: configuration.retrainPolicies, store: retrainStore, dispatcher: DefaultRetrainDispatcher(transport: transport),
            logger: logger
        )
        self.training = TrainingMonitor(store: trainingStore, alerts: engine, logger: logger)
    }

    /// In-memory stores (tests, demos).
    public static func inMemory(configuration: AlertingConfiguration = .init(), transport: any HTTPTransport, logger: Logger) -> Alerting {
        Alerting(
            configuration: configuration, alertStore: InMemoryAlertStore(), retrainStore: InMemoryRetrainStore(),
            trainingStore: InMemoryTrainingStore(), transport: transport, logger: logger
        )
    }

    /// What the registry must ask before a version becomes stable.
    public var promotionGuard: any PromotionGuard { training }

    /// What the registry must tell after registering a version.
    public var versionObserver: any VersionRegistrationObserver { retraining }

    /// The services to run in the server's service group: alert evaluation, webhook delivery, retraining.
    ///
    /// Agent liveness (for `AgentLost`) follows the control plane's own thresholds.
    public func services<C: Clock>(controlPlane: ControlPlane, clock: C, wallClock: WallClock = .system) -> [any Service]
    where C.Duration == Duration {
        let millis = { (seconds: Double) in Duration.milliseconds(Int64(seconds * 1000)) }
        var services: [any Service] = [
            AlertEvaluationService(
                engine: engine, source: FleetHealthAlertSource(
                    fleet: controlPlane.fleet, store: controlPlane.store, liveness: controlPlane.agents.liveness,
                    configuration: configuration.sourceConfiguration
                ),
                interval: millis(configuration.evaluationIntervalSeconds), clock: clock, wallClock: wallClock, logger: logger
            ),
            WebhookNotifier(
                store: alertStore, transport: transport, receivers: configuration.receivers, externalURL: configuration.externalURL,
                backoff: DeliveryBackoff(initialSeconds: configuration.backoffInitialSeconds, maximumSeconds: configuration.backoffMaxSeconds),
                maxAttempts: configuration.deliveryMaxAttempts, clock: clock, wallClock: wallClock, logger: logger,
                metricsFactory: metricsFactory
            ),
        ]
        if !configuration.retrainPolicies.isEmpty {
            services.append(
                RetrainService(
                    coordinator: retraining,
                    source: FleetHealthRetrainSource(
                        fleet: controlPlane.fleet, windowSeconds: configuration.retrainWindowSeconds,
                        minDriftSamples: configuration.minDriftSamples
                    ),
                    interval: millis(configuration.retrainWindowSeconds), clock: clock, wallClock: wallClock, logger: logger
                )
            )
        }
        return services
    }
}

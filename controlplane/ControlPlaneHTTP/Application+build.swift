import ControlPlaneCore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the router: metrics first, then JSON errors, then authentication, then one collection per resource.
///
/// With `alerting`, the alerts, retraining and training-monitor routes are added, registrations close the
/// retraining loop and promotion to `stable` asks the training monitor first.
public func buildRouter(
    configuration: HTTPConfiguration, controlPlane: ControlPlane, alerting: Alerting? = nil, clock: WallClock = .system,
    metrics: (@Sendable () async -> String)? = nil
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuthMiddleware(tokens: controlPlane.tokens))
    SystemRoutes(controlPlane: controlPlane, metrics: metrics).register(on: router)
    router.addRoutes(AgentRoutes(controlPlane: controlPlane, http: configuration).collection(), atPath: "/v1")
    router.addRoutes(ReportRoutes(controlPlane: controlPlane, http: configuration).collection(), atPath: "/v1")
    router.addRoutes(FleetRoutes(controlPlane: controlPlane).collection(), atPath: "/v1")
    router.addRoutes(
        VersionRoutes(controlPlane: controlPlane, http: configuration, alerting: alerting, clock: clock).collection(), atPath: "/v1")
    router.addRoutes(DesiredRoutes(controlPlane: controlPlane, http: configuration).collection(), atPath: "/v1")
    router.addRoutes(TokenRoutes(controlPlane: controlPlane, http: configuration).collection(), atPath: "/v1")
    router.addRoutes(AuditRoutes(controlPlane: controlPlane).collection(), atPath: "/v1")
    if let alerting { router.addAlertingRoutes(controlPlane: controlPlane, alerting: alerting, http: configuration, clock: clock) }
    return router
}

/// Builds the control plane's HTTP application; used by `drover-controlplane serve` and by tests.
///
/// `services` run alongside the server in its service group (retention, exporters, …). With `alerting`, its
/// routes are served (see `buildRouter`) and its loops (alert evaluation, webhook delivery, retraining) run in the
/// group too, on the continuous clock, stopping on graceful shutdown.
public func buildApplication(
    configuration: HTTPConfiguration, controlPlane: ControlPlane, alerting: Alerting? = nil, clock: WallClock = .system,
    metrics: (@Sendable () async -> String)? = nil, services: [any Service] = [],
    onServerRunning: (@Sendable (Int) async -> Void)? = nil, logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(configuration: configuration, controlPlane: controlPlane, alerting: alerting, clock: clock, metrics: metrics)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName),
        onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
        logger: logger)
    for service in services { app.addServices(service) }
    if let alerting {
        for service in alerting.services(controlPlane: controlPlane, clock: ContinuousClock(), wallClock: clock) { app.addServices(service) }
    }
    return app
}

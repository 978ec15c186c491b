import DroverAPI
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Wires an agent from its configuration: spool, adapter, link, runtime and every service.
public struct AgentAssembly<C: Clock>: Sendable where C.Duration == Duration, C.Instant: Sendable {
    /// The runtime the services share.
    public let runtime: AgentRuntime<C>
    /// The spool.
    public let spool: ReportSpool
    /// Every service to run in one `ServiceGroup`.
    public let services: [any Service]

    /// Builds the agent. `http` carries both the inference server and control-plane traffic.
    public init(
        config: AgentConfig, http: any AgentHTTPClient, clock: C, logger: Logger, metrics: PrometheusTextMetrics? = nil,
        statistics: any AgentStatistics = DroverStatsStatistics(), now: @escaping @Sendable () -> Date = { Date() },
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        let spool = try ReportSpool(directory: config.agent.stateDirectory + "/spool", capacity: config.reporting.spoolMaxReports)
        let adapter = AdapterFactory.make(config.server, client: http)
        let link: (any ControlPlaneLink)? = config.controlPlane.url.map {
            HTTPControlPlaneLink(client: http, baseURL: $0, agentID: config.agent.id, token: config.controlPlane.token, timeout: config.controlPlane.timeout)
        }
        let runtime = AgentRuntime(
            config: config,
            deps: .init(adapter: adapter, spool: spool, link: link, statistics: statistics, clock: clock, now: now, logger: logger))
        var services: [any Service] = [
            ProbeService(runtime: runtime),
            WindowService(runtime: runtime),
            ProfileService(runtime: runtime, link: link, cacheDirectory: config.agent.stateDirectory + "/profiles"),
            ListenerService(
                endpoints: AgentEndpoints(runtime: runtime, metrics: metrics), host: config.listen.host, port: config.listen.port,
                maxBodyBytes: config.ingest.maxBodyBytes, logger: logger, onBound: onListening),
        ]
        if let path = config.probes.goldenSet {
            services.append(GoldenService(runtime: runtime, golden: try GoldenSet.load(path: path)))
        }
        if let path = config.ingest.logFile {
            services.append(LogTailService(runtime: runtime, path: path))
        }
        if let link {
            services.append(
                ReporterService(
                    spool: spool, link: link, clock: clock, batchSize: config.reporting.batchSize,
                    backoff: Backoff(initial: config.reporting.backoffInitial, maximum: config.reporting.backoffMax), logger: logger,
                    metrics: runtime.metrics))
            if config.controlPlane.watchDesired { services.append(PlanService(runtime: runtime, link: link)) }
        }
        self.runtime = runtime
        self.spool = spool
        self.services = services
    }
}

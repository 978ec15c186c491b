import DroverAPI
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Wires an agent from its configuration: spool, adapter, control-plane link, runtime and every service.
public struct AgentAssembly<C: Clock>: Sendable where C.Duration == Duration, C.Instant: Sendable {
    /// The runtime the services share.
    public let runtime: AgentRuntime<C>
    /// The spool.
    public let spool: ReportSpool
    /// The control-plane link, when `control_plane.url` is set.
    public let link: DroverClientLink?
    /// Every service to run in one `ServiceGroup`.
    public let services: [any Service]

    /// Builds the agent. `transport` (libcurl's `CurlTransport` in production) carries both the inference server's
    /// and the control plane's traffic.
    public init(
        config: AgentConfig, transport: any HTTPTransport, clock: C, logger: Logger, metrics: PrometheusTextMetrics? = nil,
        statistics: any AgentStatistics = DroverStatsStatistics(), now: @escaping @Sendable () -> Date = { Date() },
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        let spool = try ReportSpool(directory: config.agent.stateDirectory + "/spool", capacity: config.reporting.spoolMaxReports)
        let adapter = AdapterFactory.make(config.server, client: TransportHTTPClient(transport))
        let link: DroverClientLink? = config.controlPlane.url.map { url in
            let client = DroverClient(transport: transport, baseURL: url, timeout: config.controlPlane.timeout)
            let enrollment = EnrollRequest(
                agentID: config.agent.id, model: config.server.model, labels: config.agent.labels,
                serverKind: config.server.kind.rawValue, agentVersion: AgentCoreInfo.version)
            let credentials = AgentCredentials(
                client: client, enrollment: enrollment, configured: config.controlPlane.token,
                enrollToken: config.controlPlane.enrollToken, file: CredentialFile(stateDirectory: config.agent.stateDirectory),
                logger: logger)
            return DroverClientLink(client: client, agentID: config.agent.id, credentials: credentials)
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
            services.append(HeartbeatService(runtime: runtime, link: link))
            services.append(
                ReporterService(
                    spool: spool, link: link, clock: clock, batchSize: config.reporting.batchSize,
                    backoff: Backoff(initial: config.reporting.backoffInitial, maximum: config.reporting.backoffMax), logger: logger,
                    metrics: runtime.metrics))
            if config.controlPlane.watchDesired { services.append(PlanService(runtime: runtime, link: link)) }
        }
        self.runtime = runtime
        self.spool = spool
        self.link = link
        self.services = services
    }
}

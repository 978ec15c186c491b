import DroverAPI
import Logging
import ServiceLifecycle

/// The agent's own endpoints: `/healthz`, `/metrics`, `POST /v1/events`, `POST /v1/labels`.
public struct AgentEndpoints<C: Clock>: Sendable where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let metrics: PrometheusTextMetrics?

    /// Creates the routes.
    public init(runtime: AgentRuntime<C>, metrics: PrometheusTextMetrics?) {
        self.runtime = runtime
        self.metrics = metrics
    }

    /// Routes one request.
    public func handle(_ request: LocalHTTPRequest) async -> LocalHTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"):
            let version = await runtime.servedVersion ?? "unknown"
            let state: String
            switch await runtime.guardState {
            case .armed: state = "armed"
            case .switching: state = "switching"
            case .failedOver(let to): state = "failed_over to \(to)"
            }
            return .init(status: 200, body: Array("{\"status\":\"ok\",\"version\":\(JSONString.quoted(version)),\"guard\":\(JSONString.quoted(state))}".utf8))
        case ("GET", "/metrics"):
            guard let metrics else { return .error(404, code: "not_found", message: "metrics are not enabled in this process") }
            return .text(200, metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case ("POST", "/v1/events"):
            let (events, invalid) = EventBodies.decode(PredictionEvent.self, from: request.body)
            if events.isEmpty && invalid > 0 {
                await runtime.ingest(events: [], invalid: invalid)
                return .error(400, code: "invalid_body", message: "expected a JSON array or NDJSON of prediction events {\"request_id\",\"features\",\"scores\"}")
            }
            let result = await runtime.ingest(events: events, invalid: invalid)
            return .init(
                status: 202,
                body: Array("{\"accepted\":\(result.accepted),\"sampled_out\":\(result.sampledOut),\"dropped\":\(result.dropped)}".utf8))
        case ("POST", "/v1/labels"):
            let (labels, invalid) = EventBodies.decode(LabelEvent.self, from: request.body)
            if labels.isEmpty && invalid > 0 {
                return .error(400, code: "invalid_body", message: "expected a JSON array or NDJSON of label events {\"request_id\",\"kind\"}")
            }
            let (matched, unmatched) = await runtime.ingest(labels: labels, invalid: invalid)
            return .init(status: 202, body: Array("{\"matched\":\(matched),\"unmatched\":\(unmatched)}".utf8))
        case (_, "/healthz"), (_, "/metrics"), (_, "/v1/events"), (_, "/v1/labels"):
            return .error(405, code: "method_not_allowed", message: "\(request.method) is not allowed on \(request.path)")
        default:
            return .error(404, code: "not_found", message: "no such endpoint; try /healthz, /metrics, POST /v1/events, POST /v1/labels")
        }
    }
}

/// Serves the agent's endpoints until shutdown.
public struct ListenerService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let endpoints: AgentEndpoints<C>
    let host: String
    let port: Int
    let maxBodyBytes: Int
    let logger: Logger
    let onBound: @Sendable (Int) -> Void

    /// Creates the service; `onBound` receives the bound port.
    public init(
        endpoints: AgentEndpoints<C>, host: String, port: Int, maxBodyBytes: Int, logger: Logger,
        onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.endpoints = endpoints
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.onBound = onBound
    }

    /// Binds and serves until shutdown.
    public func run() async throws {
        let endpoints = self.endpoints
        let bound = try await LocalHTTPServer.bind(host: host, port: port, maxBodyBytes: maxBodyBytes) { await endpoints.handle($0) }
        logger.info("listening", metadata: ["host": "\(host)", "port": "\(bound.port)"])
        onBound(bound.port)
        try await withGracefulShutdownHandler {
            try await bound.serve()
        } onGracefulShutdown: {
            bound.closeNow()
        }
    }
}

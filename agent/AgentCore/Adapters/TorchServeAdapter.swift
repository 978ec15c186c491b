import DroverAPI
import Synchronization

/// TorchServe: `/ping` and the management API's worker status for health, `/predictions/{model}[/{version}]` for
/// inference, the management API's default version for the served version, `set-default` to switch.
public final class TorchServeAdapter: InferenceAdapter {
    private let client: any AgentHTTPClient
    private let inferenceURL: String
    private let managementURL: String
    private let model: String
    private let template: RequestTemplate
    private let timeout: Duration
    private let switcher: CommandSwitcher?
    private let current: Mutex<String?>

    /// Creates an adapter.
    public init(
        client: any AgentHTTPClient, inferenceURL: String, managementURL: String, model: String, version: String?,
        template: RequestTemplate, timeout: Duration = .seconds(5), switcher: CommandSwitcher? = nil
    ) {
        self.client = client
        self.inferenceURL = inferenceURL
        self.managementURL = managementURL
        self.model = model
        self.template = template
        self.timeout = timeout
        self.switcher = switcher
        self.current = Mutex(version)
    }

    private var describeURL: String {
        let base = "\(managementURL)/models/\(APIPath.escape(model))"
        return current.withLock { $0 }.map { "\(base)/\(APIPath.escape($0))" } ?? base
    }

    /// `/ping` says `Healthy`; the model has at least one `READY` worker.
    public func health() async -> ServerHealth {
        do {
            let ping = try await client.call("GET", "\(inferenceURL)/ping", timeout: timeout)
            let status = JSONValue.parse(ping.body)?["status"]?.string
            guard ping.status == 200, status == nil || status == "Healthy" else {
                return ServerHealth(live: false, ready: false, errorKind: ping.status >= 500 ? "http_5xx" : "not_live", detail: ping.bodyText)
            }
            let describe = try await client.call("GET", describeURL, timeout: timeout)
            guard describe.status == 200 else {
                return ServerHealth(live: true, ready: false, errorKind: "not_ready", detail: "describe answered HTTP \(describe.status)")
            }
            let entries = JSONValue.parse(describe.body)?.array ?? []
            let workers = entries.flatMap { $0["workers"]?.array ?? [] }
            let ready = workers.isEmpty ? !entries.isEmpty : workers.contains { $0["status"]?.string == "READY" }
            return ready
                ? ServerHealth(live: true, ready: true)
                : ServerHealth(live: true, ready: false, errorKind: "not_ready", detail: "no READY worker")
        } catch {
            return ServerHealth(live: false, ready: false, errorKind: error.kind, detail: error.message)
        }
    }

    /// POSTs the rendered template to `/predictions/{model}[/{version}]`.
    public func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]] {
        guard !records.isEmpty else { return [] }
        let version = current.withLock { $0 }
        var url = "\(inferenceURL)/predictions/\(APIPath.escape(model))"
        if let version { url += "/\(APIPath.escape(version))" }
        let response = try await client.call("POST", url, body: template.render(records, model: model, version: version), timeout: timeout)
        guard response.status == 200 else { throw AdapterError.status(response, doing: "inference") }
        return try template.scores(response, rows: records.count)
    }

    /// The default version from `GET /models/{model}` (`modelVersion`).
    public func servedVersion() async throws(AdapterError) -> String? {
        let response = try await client.call("GET", "\(managementURL)/models/\(APIPath.escape(model))", timeout: timeout)
        guard response.status == 200 else { throw AdapterError.status(response, doing: "describe model") }
        return JSONValue.parse(response.body)?.array?.first?["modelVersion"]?.string
    }

    /// `PUT /models/{model}/{version}/set-default` (or the configured command).
    public func switchVersion(to version: String) async throws(AdapterError) {
        if let switcher {
            try await switcher.run(model: model, version: version)
        } else {
            let url = "\(managementURL)/models/\(APIPath.escape(model))/\(APIPath.escape(version))/set-default"
            let response = try await client.call("PUT", url, timeout: timeout)
            guard (200..<300).contains(response.status) else {
                throw AdapterError(kind: "switch_failed", message: "set-default \(version) answered HTTP \(response.status): \(response.bodyText)")
            }
        }
        current.withLock { $0 = version }
    }
}

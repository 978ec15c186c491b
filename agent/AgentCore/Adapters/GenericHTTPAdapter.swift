import DroverAPI
import Synchronization

/// Any HTTP model server: a health URL, a predict URL with a request template and a scores path, an optional
/// version URL; versions switch only by command.
public final class GenericHTTPAdapter: InferenceAdapter {
    private let client: any AgentHTTPClient
    private let healthURL: String?
    private let predictURL: String
    private let versionURL: String?
    private let versionPath: String
    private let model: String
    private let template: RequestTemplate
    private let timeout: Duration
    private let switcher: CommandSwitcher?
    private let current: Mutex<String?>

    /// Creates an adapter.
    public init(
        client: any AgentHTTPClient, healthURL: String?, predictURL: String, versionURL: String?, versionPath: String,
        model: String, version: String?, template: RequestTemplate, timeout: Duration = .seconds(5), switcher: CommandSwitcher?
    ) {
        self.client = client
        self.healthURL = healthURL
        self.predictURL = predictURL
        self.versionURL = versionURL
        self.versionPath = versionPath
        self.model = model
        self.template = template
        self.timeout = timeout
        self.switcher = switcher
        self.current = Mutex(version)
    }

    private func expand(_ url: String) -> String {
        url.replacing("{model}", with: APIPath.escape(model))
            .replacing("{version}", with: APIPath.escape(current.withLock { $0 } ?? ""))
    }

    /// 2xx from the health URL means live and ready (without one, the server counts as healthy).
    public func health() async -> ServerHealth {
        guard let healthURL else { return ServerHealth(live: true, ready: true) }
        do {
            let response = try await client.call("GET", expand(healthURL), timeout: timeout)
            if (200..<300).contains(response.status) { return ServerHealth(live: true, ready: true) }
            return ServerHealth(live: response.status < 500, ready: false, errorKind: response.status >= 500 ? "http_5xx" : "not_ready", detail: response.bodyText)
        } catch {
            return ServerHealth(live: false, ready: false, errorKind: error.kind, detail: error.message)
        }
    }

    /// POSTs the rendered template to the predict URL and reads the scores path.
    public func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]] {
        guard !records.isEmpty else { return [] }
        let body = try template.render(records, model: model, version: current.withLock { $0 })
        let response = try await client.call("POST", expand(predictURL), body: body, timeout: timeout)
        guard response.status == 200 else { throw AdapterError.status(response, doing: "inference") }
        return try template.scores(response, rows: records.count)
    }

    /// The version at `version_path` in the version URL's answer, else the last version set.
    public func servedVersion() async throws(AdapterError) -> String? {
        guard let versionURL else { return current.withLock { $0 } }
        let response = try await client.call("GET", expand(versionURL), timeout: timeout)
        guard response.status == 200 else { throw AdapterError.status(response, doing: "version") }
        return JSONValue.parse(response.body)?.select(versionPath)?.string
    }

    /// Runs the configured command.
    public func switchVersion(to version: String) async throws(AdapterError) {
        guard let switcher else {
            throw AdapterError(kind: "unsupported", message: "the http adapter switches versions only by command; set server.switch: command")
        }
        try await switcher.run(model: model, version: version)
        current.withLock { $0 = version }
    }
}

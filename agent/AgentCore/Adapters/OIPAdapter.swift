import DroverAPI
import Synchronization

/// Open Inference Protocol v2 REST (Triton, KServe, MLServer, the reference server).
///
/// Quirks handled (each seen on a real server; see docs/agent.md, "Monitor an MLServer pod"):
/// - server-level `/v2/health/ready` can stay 200 with every model unloaded (MLServer), so readiness is asked of
///   the model (and version), and an unloaded model's readiness may answer 404 instead of 400;
/// - health and readiness bodies may be empty (MLServer answers status only);
/// - the declared output datatype may differ from the actual one (metadata FP32, answer FP64): any numeric type,
///   or numbers sent as text, is accepted;
/// - a server may answer with a default output unless one is asked for (MLServer's scikit-learn runtime answers
///   `predict` labels), so a configured `output_name` is requested by name and must be in the answer;
/// - model metadata may list no versions (MLServer: `"versions": []`), so the served version then comes from the
///   repository index;
/// - repository load/unload act on a model NAME: MLServer's `load` loads every version of the name found in its
///   model repository (ignoring a version parameter) and keeps the newest as the unversioned default. A switch is
///   therefore a `load` of the name, a readiness check of the wanted version, and from then on every request
///   addressed to `/v2/models/{name}/versions/{version}/…`; nothing is unloaded (an unload would drop every version).
public final class OIPAdapter: InferenceAdapter {
    private let client: any AgentHTTPClient
    private let baseURL: String
    private let model: String
    private let inputName: String
    private let outputName: String?
    private let featureOrder: [String]
    private let categoryCodes: [String: [String]]
    private let timeout: Duration
    private let switcher: CommandSwitcher?
    /// The version requests are addressed to (nil: the server's default).
    private let current: Mutex<String?>

    /// Creates an adapter; with `switcher`, version changes run a command instead of repository calls.
    public init(
        client: any AgentHTTPClient, baseURL: String, model: String, version: String?, inputName: String = "features",
        outputName: String? = nil, featureOrder: [String] = [], categoryCodes: [String: [String]] = [:],
        timeout: Duration = .seconds(5), switcher: CommandSwitcher? = nil
    ) {
        self.client = client
        self.baseURL = baseURL
        self.model = model
        self.inputName = inputName
        self.outputName = outputName
        self.featureOrder = featureOrder
        self.categoryCodes = categoryCodes
        self.timeout = timeout
        self.switcher = switcher
        self.current = Mutex(version)
    }

    private var modelPath: String {
        let version = current.withLock { $0 }
        let base = "\(baseURL)/v2/models/\(APIPath.escape(model))"
        return version.map { "\(base)/versions/\(APIPath.escape($0))" } ?? base
    }

    private func send(_ method: String, _ url: String, body: [UInt8]? = nil) async throws(AdapterError)
        -> AgentHTTPResponse
    {
        do {
            return try await client.send(
                AgentHTTPRequest(
                    method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")],
                    body: body,
                    timeout: timeout))
        } catch {
            throw AdapterError(error)
        }
    }

    /// Liveness from `/v2/health/live`, readiness from the model's own `/ready` (never the server-level one).
    public func health() async -> ServerHealth {
        let live: AgentHTTPResponse
        do {
            live = try await send("GET", "\(baseURL)/v2/health/live")
        } catch {
            return ServerHealth(live: false, ready: false, errorKind: error.kind, detail: error.message)
        }
        guard live.status == 200 else {
            return ServerHealth(
                live: false, ready: false, errorKind: live.status >= 500 ? "http_5xx" : "http_4xx",
                detail: live.bodyText)
        }
        do {
            let ready = try await send("GET", "\(modelPath)/ready")
            if ready.status == 200 {
                // Some servers answer 200 with {"ready": false}; an empty body means ready.
                if let value = JSONValue.parse(ready.body), case .bool(false)? = value["ready"] {
                    return ServerHealth(
                        live: true, ready: false, errorKind: "not_ready", detail: "model reports ready: false")
                }
                return ServerHealth(live: true, ready: true)
            }
            let what = ready.status == 404 ? "model \(model) is not loaded: " : ""
            return ServerHealth(
                live: true, ready: false, errorKind: "not_ready",
                detail: "\(what)model ready answered HTTP \(ready.status) \(ready.bodyText)")
        } catch {
            return ServerHealth(live: true, ready: false, errorKind: error.kind, detail: error.message)
        }
    }

    /// One FP32 tensor `[N, F]` in (asking for the configured output by name), that output (or the first) out,
    /// reshaped to one row per record.
    public func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]] {
        guard !records.isEmpty else { return [] }
        let order = FeatureRows.order(featureOrder, records)
        let rows = try FeatureRows.rows(records, order: order, codes: categoryCodes)
        let body = Self.inferenceBody(rows: rows, columns: order.count, inputName: inputName, outputName: outputName)
        let response = try await send("POST", "\(modelPath)/infer", body: Array(body.utf8))
        guard response.status == 200 else { throw AdapterError.status(response, doing: "inference") }
        guard let json = JSONValue.parse(response.body), let outputs = json["outputs"]?.array, !outputs.isEmpty else {
            throw AdapterError(kind: "bad_response", message: "inference answer has no outputs: \(response.bodyText)")
        }
        let output: JSONValue
        if let outputName {
            guard let named = outputs.first(where: { $0["name"]?.string == outputName }) else {
                let names = outputs.map { $0["name"]?.string ?? "?" }.joined(separator: ", ")
                throw AdapterError(
                    kind: "bad_response",
                    message: "the answer has no output \"\(outputName)\" (server.output_name), only: \(names)")
            }
            output = named
        } else {
            output = outputs[0]
        }
        guard let data = output["data"], let numbers = data.flattenedNumbers else {
            throw AdapterError(
                kind: "bad_response", message: "output \(output["name"]?.string ?? "?") has no numeric data")
        }
        guard numbers.count >= rows.count, numbers.count % rows.count == 0 else {
            throw AdapterError(
                kind: "bad_response",
                message:
                    "output has \(numbers.count) values for \(rows.count) rows (shape \(String(describing: output["shape"])))"
            )
        }
        let width = numbers.count / rows.count
        return (0..<rows.count).map { Array(numbers[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// The version requests go to, else the model metadata's single (or highest) version, else the highest ready
    /// version of the model in the repository index (MLServer's metadata lists none).
    public func servedVersion() async throws(AdapterError) -> String? {
        if let version = current.withLock({ $0 }) {
            let ready = try await send("GET", "\(modelPath)/ready")
            if ready.status == 200 { return version }
        }
        let response = try await send("GET", "\(baseURL)/v2/models/\(APIPath.escape(model))")
        guard response.status == 200 else { throw AdapterError.status(response, doing: "model metadata") }
        guard let json = JSONValue.parse(response.body) else {
            throw AdapterError(kind: "bad_response", message: "model metadata is not JSON: \(response.bodyText)")
        }
        if let single = json["version"]?.string { return single }
        let versions = (json["versions"]?.array ?? []).compactMap(\.string)
        if !versions.isEmpty { return Self.highest(versions) }
        return try await readyVersionsInIndex().map(Self.highest)
    }

    /// The ready versions of the model in `POST /v2/repository/index` (nil when the server has no index).
    private func readyVersionsInIndex() async throws(AdapterError) -> [String]? {
        let response = try await send("POST", "\(baseURL)/v2/repository/index", body: Array("{\"ready\":true}".utf8))
        guard response.status == 200, let entries = JSONValue.parse(response.body)?.array else { return nil }
        let versions = entries.compactMap { entry -> String? in
            guard entry["name"]?.string == model, entry["state"]?.string.map({ $0 == "READY" }) ?? true else {
                return nil
            }
            return entry["version"]?.string
        }
        return versions.isEmpty ? nil : versions
    }

    /// The highest version, numerically when the versions are numbers.
    static func highest(_ versions: [String]) -> String {
        versions.max { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }!
    }

    /// The OIP v2 inference body: one FP32 `[N, F]` tensor, and the output asked for by name when one is configured.
    static func inferenceBody(rows: [[Double]], columns: Int, inputName: String, outputName: String?) -> String {
        let flat = rows.flatMap { $0 }.map(FeatureRows.number).joined(separator: ",")
        let input =
            "{\"name\":\(JSONString.quoted(inputName)),\"shape\":[\(rows.count),\(columns)],\"datatype\":\"FP32\",\"data\":[\(flat)]}"
        guard let outputName else { return "{\"inputs\":[\(input)]}" }
        return "{\"inputs\":[\(input)],\"outputs\":[{\"name\":\(JSONString.quoted(outputName))}]}"
    }

    /// Repository `load` of the model NAME (with a `version` parameter that servers such as the reference server
    /// honour and MLServer ignores: it loads every version of the name), then a readiness check of that version;
    /// from then on requests address that version explicitly. Nothing is unloaded.
    public func switchVersion(to version: String) async throws(AdapterError) {
        if let switcher {
            try await switcher.run(model: model, version: version)
        } else {
            let url = "\(baseURL)/v2/repository/models/\(APIPath.escape(model))/load"
            let body = "{\"parameters\":{\"version\":\(JSONString.quoted(version))}}"
            let response = try await send("POST", url, body: Array(body.utf8))
            guard (200..<300).contains(response.status) else {
                throw AdapterError(
                    kind: "switch_failed",
                    message:
                        "load of \(model) version \(version) answered HTTP \(response.status): \(response.bodyText)")
            }
        }
        let ready = try await send(
            "GET", "\(baseURL)/v2/models/\(APIPath.escape(model))/versions/\(APIPath.escape(version))/ready")
        if ready.status == 404, switcher == nil {
            throw AdapterError(
                kind: "switch_failed",
                message:
                    "the server loaded model \(model) but has no version \(version) (HTTP 404: \(ready.bodyText)); "
                    + "a repository load acts on the model name, so version \(version) must be in the server's model repository "
                    + "(MLServer: a folder whose model-settings.json has name \"\(model)\" and parameters.version \"\(version)\")"
            )
        }
        guard ready.status == 200 else {
            throw AdapterError(
                kind: "switch_failed",
                message: "version \(version) is not ready after the switch (HTTP \(ready.status)): \(ready.bodyText)")
        }
        current.withLock { $0 = version }
    }
}

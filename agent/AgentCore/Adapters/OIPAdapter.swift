import DroverAPI
import Synchronization

/// Open Inference Protocol v2 REST (Triton, KServe, MLServer, the reference server).
///
/// Quirks handled: server-level readiness can stay 200 with the model unloaded, so readiness is asked per model
/// (and version); health bodies may be empty; the declared output datatype may differ from the actual one (any
/// numeric type, or numbers sent as text, is accepted); repository load/unload act on a model name.
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
        outputName: String? = nil, featureOrder: [String] = [], categoryCodes: [String: [String]] = [:], timeout: Duration = .seconds(5), switcher: CommandSwitcher? = nil
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

    private func send(_ method: String, _ url: String, body: [UInt8]? = nil) async throws(AdapterError) -> AgentHTTPResponse {
        do {
            return try await client.send(
                AgentHTTPRequest(
                    method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")], body: body,
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
            return ServerHealth(live: false, ready: false, errorKind: live.status >= 500 ? "http_5xx" : "http_4xx", detail: live.bodyText)
        }
        do {
            let ready = try await send("GET", "\(modelPath)/ready")
            if ready.status == 200 {
                // Some servers answer 200 with {"ready": false}; an empty body means ready.
                if let value = JSONValue.parse(ready.body), case .bool(false)? = value["ready"] {
                    return ServerHealth(live: true, ready: false, errorKind: "not_ready", detail: "model reports ready: false")
                }
                return ServerHealth(live: true, ready: true)
            }
            return ServerHealth(live: true, ready: false, errorKind: "not_ready", detail: "model ready answered HTTP \(ready.status)")
        } catch {
            return ServerHealth(live: true, ready: false, errorKind: error.kind, detail: error.message)
        }
    }

    /// One FP32 tensor `[N, F]` in, the named (or first) output out, reshaped to one row per record.
    public func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]] {
        guard !records.isEmpty else { return [] }
        let order = FeatureRows.order(featureOrder, records)
        let rows = try FeatureRows.rows(records, order: order, codes: categoryCodes)
        let flat = rows.flatMap { $0 }.map(FeatureRows.number).joined(separator: ",")
        let body = "{\"inputs\":[{\"name\":\(JSONText.quote(inputName)),\"shape\":[\(rows.count),\(order.count)],\"datatype\":\"FP32\",\"data\":[\(flat)]}]}"
        let response = try await send("POST", "\(modelPath)/infer", body: Array(body.utf8))
        guard response.status == 200 else { throw AdapterError.status(response, doing: "inference") }
        guard let json = JSONValue.parse(response.body), let outputs = json["outputs"]?.array, !outputs.isEmpty else {
            throw AdapterError(kind: "bad_response", message: "inference answer has no outputs: \(response.bodyText)")
        }
        let output = outputName.flatMap { name in outputs.first { $0["name"]?.string == name } } ?? outputs[0]
        guard let data = output["data"], let numbers = data.flattenedNumbers else {
            throw AdapterError(kind: "bad_response", message: "output \(output["name"]?.string ?? "?") has no numeric data")
        }
        guard numbers.count >= rows.count, numbers.count % rows.count == 0 else {
            throw AdapterError(
                kind: "bad_response", message: "output has \(numbers.count) values for \(rows.count) rows (shape \(String(describing: output["shape"])))")
        }
        let width = numbers.count / rows.count
        return (0..<rows.count).map { Array(numbers[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// The version requests go to, else the model metadata's single (or highest) version.
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
        let versions = (json["versions"]?.array ?? []).compactMap(\.string)
        if let single = json["version"]?.string { return single }
        guard !versions.isEmpty else { return nil }
        return versions.max { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
    }

    /// Repository `load` of the model asking for `version`, then a model-level readiness check of that version.
    public func switchVersion(to version: String) async throws(AdapterError) {
        if let switcher {
            try await switcher.run(model: model, version: version)
        } else {
            let url = "\(baseURL)/v2/repository/models/\(APIPath.escape(model))/load"
            let body = "{\"parameters\":{\"version\":\(JSONText.quote(version))}}"
            let response = try await send("POST", url, body: Array(body.utf8))
            guard (200..<300).contains(response.status) else {
                throw AdapterError(kind: "switch_failed", message: "load of \(model) version \(version) answered HTTP \(response.status): \(response.bodyText)")
            }
        }
        let ready = try await send("GET", "\(baseURL)/v2/models/\(APIPath.escape(model))/versions/\(APIPath.escape(version))/ready")
        guard ready.status == 200 else {
            throw AdapterError(kind: "switch_failed", message: "version \(version) is not ready after the switch (HTTP \(ready.status)): \(ready.bodyText)")
        }
        current.withLock { $0 = version }
    }
}

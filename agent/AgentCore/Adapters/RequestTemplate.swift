import DroverAPI

/// A request body template: `{{rows}}` (numeric rows), `{{records}}` (objects by feature name), `{{model}}`,
/// `{{version}}`; and the path to the scores in the answer.
public struct RequestTemplate: Sendable, Equatable {
    /// The body template.
    public var body: String
    /// The scores path (`predictions`, `predictions[*].score`, `$`).
    public var scoresPath: String
    /// Column order of `{{rows}}`.
    public var featureOrder: [String]
    /// Integer codes of categorical features in `{{rows}}`.
    public var categoryCodes: [String: [String]] = [:]

    /// Creates a template.
    public init(body: String, scoresPath: String, featureOrder: [String] = []) {
        self.body = body
        self.scoresPath = scoresPath
        self.featureOrder = featureOrder
    }

    /// Renders the body for `records`.
    func render(_ records: [[String: FeatureValue]], model: String, version: String?) throws(AdapterError) -> [UInt8] {
        var text = body
        if text.contains("{{rows}}") {
            let rows = try FeatureRows.rows(records, order: FeatureRows.order(featureOrder, records), codes: categoryCodes)
            text = text.replacing("{{rows}}", with: FeatureRows.json(rows))
        }
        if text.contains("{{records}}") { text = text.replacing("{{records}}", with: FeatureRows.recordsJSON(records)) }
        text = text.replacing("{{model}}", with: model).replacing("{{version}}", with: version ?? "")
        return Array(text.utf8)
    }

    /// Reads one row of outputs per record from the answer.
    func scores(_ response: AgentHTTPResponse, rows: Int) throws(AdapterError) -> [[Double]] {
        guard let json = JSONValue.parse(response.body) else {
            throw AdapterError(kind: "bad_response", message: "inference answer is not JSON: \(response.bodyText)")
        }
        guard let selected = json.select(scoresPath), let out = FeatureRows.outputs(selected, rows: rows), out.count == rows else {
            throw AdapterError(
                kind: "bad_response",
                message: "no \(rows) score rows at \"\(scoresPath)\" (server.scores_path) in: \(response.bodyText)")
        }
        return out
    }
}

/// Sends a request through a client, mapping transport failures to `AdapterError`.
extension AgentHTTPClient {
    func call(_ method: String, _ url: String, body: [UInt8]? = nil, timeout: Duration) async throws(AdapterError) -> AgentHTTPResponse {
        do {
            return try await send(
                AgentHTTPRequest(
                    method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")], body: body,
                    timeout: timeout))
        } catch {
            throw AdapterError(error)
        }
    }
}

import DroverAPI

/// The server's health as the agent sees it.
public struct ServerHealth: Sendable, Equatable {
    /// The process answers.
    public var live: Bool
    /// The watched model (and version) is loaded and ready to serve.
    public var ready: Bool
    /// A bounded error kind when a check failed (`refused`, `timeout`, `http_5xx`, `not_ready`, …).
    public var errorKind: String?
    /// Details for logs.
    public var detail: String?

    /// Creates a health result.
    public init(live: Bool, ready: Bool, errorKind: String? = nil, detail: String? = nil) {
        self.live = live
        self.ready = ready
        self.errorKind = errorKind
        self.detail = detail
    }

    /// Live and ready.
    public var ok: Bool { live && ready }
}

/// An adapter call failed; `kind` is a bounded label, `message` carries the server's own words.
public struct AdapterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bounded label: `refused`, `timeout`, `transport`, `http_4xx`, `http_5xx`, `bad_response`, `bad_input`,
    /// `unsupported`, `switch_failed`.
    public var kind: String
    /// What happened, including the server's error text when there was one.
    public var message: String

    /// Creates an error.
    public init(kind: String, message: String) {
        self.kind = kind
        self.message = message
    }

    /// From a transport failure.
    init(_ error: AgentHTTPError) { self.init(kind: error.kind.rawValue, message: error.message) }

    /// From an unexpected HTTP status.
    static func status(_ response: AgentHTTPResponse, doing what: String) -> AdapterError {
        AdapterError(
            kind: response.status >= 500 ? "http_5xx" : "http_4xx",
            message: "\(what) answered HTTP \(response.status): \(response.bodyText)")
    }

    /// `kind: message`.
    public var description: String { "\(kind): \(message)" }
}

/// What the agent needs from an inference server: health, inference, the served version, switching versions.
public protocol InferenceAdapter: Sendable {
    /// Liveness and model-level readiness.
    func health() async -> ServerHealth
    /// Runs one inference over `records` (features by name); returns the outputs, one row per record.
    func infer(_ records: [[String: FeatureValue]]) async throws(AdapterError) -> [[Double]]
    /// The version the server serves now (nil when it cannot say).
    func servedVersion() async throws(AdapterError) -> String?
    /// Makes the server serve `version`.
    func switchVersion(to version: String) async throws(AdapterError)
}

/// Turns feature maps into numeric rows in a fixed column order.
enum FeatureRows {
    static func order(_ configured: [String], _ records: [[String: FeatureValue]]) -> [String] {
        configured.isEmpty ? (records.first?.keys.sorted() ?? []) : configured
    }

    static func rows(
        _ records: [[String: FeatureValue]], order: [String], codes: [String: [String]] = [:]
    ) throws(AdapterError) -> [[Double]] {
        var rows: [[Double]] = []
        rows.reserveCapacity(records.count)
        for record in records {
            var row: [Double] = []
            row.reserveCapacity(order.count)
            for name in order {
                guard let value = record[name] else {
                    throw AdapterError(kind: "bad_input", message: "a record has no feature \"\(name)\" (server.feature_order)")
                }
                if let categories = codes[name] {
                    let label = value.categoryLabel
                    row.append(Double(categories.firstIndex(of: label) ?? -1))
                    continue
                }
                guard let number = value.number, number.isFinite else {
                    throw AdapterError(
                        kind: "bad_input",
                        message: "feature \"\(name)\" is not a finite number; list its categories in server.category_codes")
                }
                row.append(number)
            }
            rows.append(row)
        }
        return rows
    }

    /// `[[1.0,2.0],[3.0,4.0]]`.
    static func json(_ rows: [[Double]]) -> String {
        "[" + rows.map { "[" + $0.map(number).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }

    /// `[{"a":1.0,"b":"x"}]`.
    static func recordsJSON(_ records: [[String: FeatureValue]]) -> String {
        "[" + records.map { record in
            "{" + record.keys.sorted().map { key in
                let value: String
                switch record[key]! {
                case .number(let d): value = number(d)
                case .string(let s): value = JSONString.quoted(s)
                }
                return JSONString.quoted(key) + ":" + value
            }.joined(separator: ",") + "}"
        }.joined(separator: ",") + "]"
    }

    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Reads per-row outputs from a JSON value: an array of numbers (one per row, or all for a single row)
    /// or an array of arrays.
    static func outputs(_ value: JSONValue, rows: Int) -> [[Double]]? {
        guard let items = value.array else { return value.number.map { [[$0]] } }
        if items.count == rows, items.allSatisfy({ $0.number != nil }) { return items.map { [$0.number!] } }
        if items.count == rows, let nested = items.map(\.flattenedNumbers) as [[Double]?]?, nested.allSatisfy({ $0 != nil }) {
            return nested.map { $0! }
        }
        if rows == 1, let flat = value.flattenedNumbers { return [flat] }
        if let flat = value.flattenedNumbers, rows > 0, flat.count % rows == 0 {
            let width = flat.count / rows
            return (0..<rows).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
        }
        return nil
    }
}

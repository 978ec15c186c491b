/// An outbound HTTP request made by the agent (to the inference server or the control plane).
public struct AgentHTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `DELETE`.
    public var method: String
    /// Absolute URL.
    public var url: String
    /// Headers.
    public var headers: [(String, String)]
    /// Body, if any.
    public var body: [UInt8]?
    /// Whole-request timeout.
    public var timeout: Duration

    /// Creates a request.
    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Duration) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A response to an `AgentHTTPRequest` (any status; only transport failures throw).
public struct AgentHTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// The body as text (for error messages), shortened.
    public var bodyText: String {
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return body.count > 512 ? text + "…" : text
    }
}

/// The request never got an HTTP answer: refused, timed out, or failed otherwise.
public struct AgentHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bounded label for metrics and reports.
    public enum Kind: String, Sendable, Equatable {
        /// Connection refused or host unreachable.
        case refused
        /// The timeout elapsed.
        case timeout
        /// Anything else (DNS, TLS, protocol).
        case transport
    }

    /// The kind.
    public var kind: Kind
    /// Details for people.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// `refused: …`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// The agent's outbound HTTP seam: libcurl in production, anything in tests.
public protocol AgentHTTPClient: Sendable {
    /// Sends a request; throws `AgentHTTPError` only when no HTTP response arrived.
    func send(_ request: AgentHTTPRequest) async throws(AgentHTTPError) -> AgentHTTPResponse
}

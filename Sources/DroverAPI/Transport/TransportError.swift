/// Why a request got no HTTP response: refused, timed out, DNS, TLS, too large, cut off, bad URL, cancelled.
///
/// Match on ``kind`` (`error.kind == .timedOut`); print ``description`` for people: it names the URL,
/// what happened and what to check. A non-2xx status is not a `TransportError` but an ``HTTPStatusError``.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case connectionRefused = "connection_refused"
            case timedOut = "timed_out"
            case dnsFailure = "dns_failure"
            case tls
            case responseTooLarge = "response_too_large"
            case connectionClosed = "connection_closed"
            case invalidURL = "invalid_url"
            case invalidRequest = "invalid_request"
            case cancelled
            case shutDown = "shut_down"
            case other
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// Nothing accepted the TCP connection (refused or unreachable).
        public static let connectionRefused = Kind(.connectionRefused)
        /// The connect timeout or the total timeout expired.
        public static let timedOut = Kind(.timedOut)
        /// The host name did not resolve.
        public static let dnsFailure = Kind(.dnsFailure)
        /// The TLS handshake or certificate verification failed, or the CA bundle could not be read.
        public static let tls = Kind(.tls)
        /// The response body exceeded the transport's size cap.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The connection closed (or reset) before a complete response arrived.
        public static let connectionClosed = Kind(.connectionClosed)
        /// The URL is malformed or not `http`/`https`.
        public static let invalidURL = Kind(.invalidURL)
        /// The request itself is unusable, e.g. a header value holding a line break.
        public static let invalidRequest = Kind(.invalidRequest)
        /// The calling task was cancelled; the transfer was aborted.
        public static let cancelled = Kind(.cancelled)
        /// The transport was shut down before the request completed.
        public static let shutDown = Kind(.shutDown)
        /// Anything else the HTTP library reported.
        public static let other = Kind(.other)

        /// A stable snake_case name, e.g. `timed_out` (bounded: fine as a metric label).
        public var description: String { code.rawValue }
    }

    /// The category of failure.
    public var kind: Kind
    /// The method of the failed request, when known.
    public var method: TransportRequest.Method?
    /// The URL of the failed request.
    public var url: String
    /// The libcurl error number (`CURLcode`), when libcurl reported the failure.
    public var curlCode: Int?
    /// The low-level detail, e.g. libcurl's error text.
    public var message: String

    /// Creates an error.
    public init(
        kind: Kind, url: String, method: TransportRequest.Method? = nil, curlCode: Int? = nil, message: String = ""
    ) {
        self.kind = kind
        self.url = url
        self.method = method
        self.curlCode = curlCode
        self.message = message
    }

    /// Whether trying the same request again later may succeed (refused, timed out, DNS, connection closed).
    public var isTransient: Bool {
        [Kind.connectionRefused, .timedOut, .dnsFailure, .connectionClosed].contains(kind)
    }

    /// A sentence naming the URL, what happened and what to check.
    public var description: String {
        let target = method.map { "\($0) \(url)" } ?? url
        var detail = message.isEmpty ? "" : " (\(message))"
        if let curlCode, !message.isEmpty { detail = " (curl \(curlCode): \(message))" }
        switch kind {
        case .connectionRefused:
            return "could not connect to \(url): connection refused\(detail)"
                + " — is the server running and listening on that host and port?"
        case .timedOut:
            return "\(target) timed out\(detail) — the server is slow, hung or unreachable;"
                + " check it, or raise the timeout if the work is legitimately slow"
        case .dnsFailure:
            return "could not resolve the host in \(url)\(detail) — check the host name and DNS settings"
        case .tls:
            return "TLS with \(url) failed\(detail) — check the scheme (https needs a TLS server),"
                + " the server certificate and the CA bundle"
        case .responseTooLarge:
            return "the response to \(target) was too large\(detail) — raise the transport's maxResponseBytes"
                + " or request less data"
        case .connectionClosed:
            return "the connection to \(url) closed before the response was complete\(detail)"
                + " — the server crashed, restarted or dropped the connection; retry if the request is idempotent"
        case .invalidURL:
            return "invalid URL \"\(url)\"\(detail) — use an absolute http:// or https:// URL"
        case .invalidRequest:
            return "invalid request \(target)\(detail)"
        case .cancelled:
            return "\(target) was cancelled"
        case .shutDown:
            return "\(target) failed: the HTTP transport was shut down"
        default:
            return "\(target) failed\(detail)"
        }
    }
}

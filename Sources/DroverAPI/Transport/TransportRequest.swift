/// One HTTP request as a transport sends it: method, absolute URL, headers, optional body and options.
public struct TransportRequest: Sendable, Hashable {
    /// The HTTP method.
    public struct Method: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case get = "GET", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH", head = "HEAD"
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// `GET`.
        public static let get = Method(.get)
        /// `POST`.
        public static let post = Method(.post)
        /// `PUT`.
        public static let put = Method(.put)
        /// `DELETE`.
        public static let delete = Method(.delete)
        /// `PATCH`.
        public static let patch = Method(.patch)
        /// `HEAD` (the response has no body).
        public static let head = Method(.head)

        /// The method as it goes on the wire, e.g. `POST`.
        public var rawValue: String { code.rawValue }
        /// The method as it goes on the wire.
        public var description: String { code.rawValue }
    }

    /// The method.
    public var method: Method
    /// The absolute URL, `http://` or `https://`.
    public var url: String
    /// Header fields sent as given (the transport adds `User-Agent`, and `Authorization` from ``bearerToken``).
    public var headers: TransportHeaders
    /// The body, or nil for none.
    public var body: [UInt8]?
    /// Overrides the transport's total timeout for this request (connect + send + wait + receive).
    public var timeout: Duration?
    /// A bearer token sent as `Authorization: Bearer <token>` unless `headers` already has `Authorization`;
    /// overrides the transport's default token. Never logged.
    public var bearerToken: String?

    /// Creates a request.
    public init(
        method: Method,
        url: String,
        headers: TransportHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = nil,
        bearerToken: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.bearerToken = bearerToken
    }

    /// A `GET` request.
    public static func get(_ url: String, headers: TransportHeaders = [:], timeout: Duration? = nil) -> Self {
        Self(method: .get, url: url, headers: headers, timeout: timeout)
    }

    /// A `DELETE` request.
    public static func delete(_ url: String, headers: TransportHeaders = [:], timeout: Duration? = nil) -> Self {
        Self(method: .delete, url: url, headers: headers, timeout: timeout)
    }

    /// A `POST` request with a body and its content type.
    public static func post(
        _ url: String, body: [UInt8], contentType: String = "application/json", headers: TransportHeaders = [:],
        timeout: Duration? = nil
    ) -> Self {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add("Content-Type", contentType) }
        return Self(method: .post, url: url, headers: headers, body: body, timeout: timeout)
    }

    /// A `PUT` request with a body and its content type.
    public static func put(
        _ url: String, body: [UInt8], contentType: String = "application/json", headers: TransportHeaders = [:],
        timeout: Duration? = nil
    ) -> Self {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add("Content-Type", contentType) }
        return Self(method: .put, url: url, headers: headers, body: body, timeout: timeout)
    }

    /// A request whose body is `value` encoded with ``DroverJSON`` and `Content-Type: application/json`.
    public static func json(
        _ method: Method, _ url: String, _ value: some Encodable, headers: TransportHeaders = [:],
        timeout: Duration? = nil
    ) throws -> Self {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return Self(method: method, url: url, headers: headers, body: try DroverJSON.encode(value), timeout: timeout)
    }
}

/// One HTTP response: status, headers and the whole body (bounded by the transport's size cap).
public struct TransportResponse: Sendable, Hashable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The response header fields, in order (of the final response when there were interim ones).
    public var headers: TransportHeaders
    /// The body bytes (empty for `HEAD` and bodiless statuses).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: TransportHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response with a UTF-8 text body.
    public init(status: Int, headers: TransportHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The first value of header `name`, matched ignoring ASCII case.
    public func header(_ name: String) -> String? { headers[name] }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as JSON with ``DroverJSON``.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try DroverJSON.decode(type, from: body)
    }

    /// Returns `self` when the status is 2xx, otherwise throws ``HTTPStatusError`` for `request`.
    public func requireSuccess(for request: TransportRequest) throws(HTTPStatusError) -> TransportResponse {
        guard isSuccess else { throw HTTPStatusError(request: request, response: self) }
        return self
    }
}

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A typed client for the control plane's `/v1` API over any `HTTPTransport` (libcurl in production, fakes in tests).
///
/// One async method per endpoint; every failure is a `DroverClientError` that says what to do.
/// Request bodies are validated against the contract before they are sent (see `validatesRequests`).
public struct DroverClient: Sendable {
    /// The transport requests go through.
    public let transport: any HTTPTransport
    /// The control plane's base URL, e.g. `http://127.0.0.1:7070` (a path prefix is kept).
    public let baseURL: String
    /// The bearer token sent with every request (an agent, operator or admin token).
    public let token: String?
    /// The total timeout of ordinary requests; long-polls add their wait to it.
    public let timeout: Duration
    /// Whether request bodies are validated before sending (a bad body then fails with `isInvalidRequest`).
    public let validatesRequests: Bool

    /// Creates a client.
    public init(
        transport: any HTTPTransport, baseURL: String, token: String? = nil, timeout: Duration = .seconds(30),
        validatesRequests: Bool = true
    ) {
        self.transport = transport
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.timeout = timeout
        self.validatesRequests = validatesRequests
    }

    /// A copy that sends `token` instead.
    public func withToken(_ token: String?) -> DroverClient {
        DroverClient(
            transport: transport, baseURL: baseURL, token: token, timeout: timeout, validatesRequests: validatesRequests
        )
    }

    // MARK: Plumbing shared by the endpoint extensions (public so other modules can add endpoints)

    /// The absolute URL of `path` with percent-encoded query items (nil values are left out).
    public func url(_ path: String, query: [(String, String?)] = []) -> String {
        var text = baseURL + path
        let items = query.compactMap { name, value in value.map { "\(Self.escapeQuery(name))=\(Self.escapeQuery($0))" } }
        if !items.isEmpty { text += "?" + items.joined(separator: "&") }
        return text
    }

    /// Percent-encodes a query name or value: unreserved characters and `:`, `@`, `/` stay as they are
    /// (RFC 3986 allows them in a query), everything else (`&`, `=`, `+`, `#`, `%`, spaces, non-ASCII) is escaped.
    public static func escapeQuery(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    /// Validates (when enabled) and encodes a body.
    public func encodeBody<Body: Encodable>(_ body: Body, operation: String) throws(DroverClientError) -> [UInt8] {
        if validatesRequests, let validatable = body as? any Validatable {
            do { try validatable.validate() } catch { throw .invalidRequest(operation, error) }
        }
        do {
            return try DroverJSON.encode(body)
        } catch {
            throw .invalidRequest(
                operation, ValidationError(field: "body", message: "cannot be encoded as JSON: \(error)"))
        }
    }

    /// Sends one request to `path` (under `/v1`) and returns the response when its status is 2xx or in `accept`;
    /// otherwise throws the server's error. `token` overrides the client's token, `timeout` its timeout.
    public func send(
        _ method: TransportRequest.Method, _ path: String, query: [(String, String?)] = [], body: [UInt8]? = nil,
        token overrideToken: String? = nil, timeout overrideTimeout: Duration? = nil, accept: Set<Int> = []
    ) async throws(DroverClientError) -> TransportResponse {
        let operation = "\(method) \(path)"
        var headers: TransportHeaders = ["Accept": "application/json"]
        if body != nil { headers.add("Content-Type", "application/json") }
        let request = TransportRequest(
            method: method, url: url(path, query: query), headers: headers, body: body,
            timeout: overrideTimeout ?? timeout, bearerToken: overrideToken ?? token)
        let response: TransportResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            if error.kind == .cancelled { throw .cancelled(operation) }
            throw .transport(operation, error)
        } catch is CancellationError {
            throw .cancelled(operation)
        } catch let error as HTTPStatusError {
            throw .http(operation, status: error.status, apiError: error.apiError, body: error.message)
        } catch {
            throw .transport(
                operation, TransportError(kind: .other, url: request.url, method: method, message: "\(error)"))
        }
        if response.isSuccess || accept.contains(response.status) { return response }
        throw Self.httpError(operation, response)
    }

    /// Decodes a 2xx body as `T`, or throws an invalid-response error.
    public func decode<T: Decodable>(_ type: T.Type, _ response: TransportResponse, operation: String)
        throws(DroverClientError) -> T
    {
        do {
            return try DroverJSON.decode(type, from: response.body)
        } catch {
            throw .invalidResponse(operation, status: response.status, "expected \(T.self) JSON: \(error)")
        }
    }

    /// Decodes a list that is either a bare JSON array or an object holding the array under `key`.
    public func decodeList<T: Decodable>(
        _ type: T.Type, key: String, _ response: TransportResponse, operation: String
    ) throws(DroverClientError) -> [T] {
        if let list = try? DroverJSON.decode([T].self, from: response.body) { return list }
        if let wrapped = try? DroverJSON.decode([String: [T]].self, from: response.body),
            let list = wrapped[key] ?? (wrapped.count == 1 ? wrapped.first?.value : nil)
        {
            return list
        }
        do {
            let wrapped = try DroverJSON.decode(ListEnvelope<T>.self, from: response.body)
            return wrapped.items
        } catch {
            throw .invalidResponse(
                operation, status: response.status,
                "expected a JSON array of \(T.self) or {\"\(key)\": [...]}: \(error)")
        }
    }

    /// The error for a non-2xx response: status, the server's JSON error or the start of its body.
    public static func httpError(_ operation: String, _ response: TransportResponse) -> DroverClientError {
        let apiError = try? DroverJSON.decode(APIErrorBody.self, from: response.body).error
        var text: String?
        if apiError == nil {
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            let bytes = response.body.prefix(512)
            if let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) })
            {
                text = String(decoding: bytes[start...end], as: UTF8.self)
            }
        }
        return .http(operation, status: response.status, apiError: apiError, body: text)
    }
}

extension DroverClient {
    /// Sends `method path` with an optional JSON body (validated when it is `Validatable`) and decodes the answer as `T`.
    ///
    /// For endpoints without a dedicated method, e.g. `client.call(ModelVersion.self, .post, path + "/retire")`.
    public func call<T: Decodable>(
        _ type: T.Type, _ method: TransportRequest.Method, _ path: String, query: [(String, String?)] = [],
        body: (any Encodable & Sendable)? = nil
    ) async throws(DroverClientError) -> T {
        let operation = "\(method) \(path)"
        let bytes: [UInt8]?
        if let body { bytes = try encodeBody(body, operation: operation) } else { bytes = nil }
        let response = try await send(method, path, query: query, body: bytes)
        return try decode(T.self, response, operation: operation)
    }

    /// Sends `method path` with an optional JSON body and ignores the answer's body (any 2xx is success).
    public func call(
        _ method: TransportRequest.Method, _ path: String, query: [(String, String?)] = [],
        body: (any Encodable & Sendable)? = nil
    ) async throws(DroverClientError) {
        let operation = "\(method) \(path)"
        let bytes: [UInt8]?
        if let body { bytes = try encodeBody(body, operation: operation) } else { bytes = nil }
        _ = try await send(method, path, query: query, body: bytes)
    }
}

/// An object whose `items`, `data` or single array member holds a list (for servers that wrap lists).
private struct ListEnvelope<T: Decodable>: Decodable {
    var items: [T]

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for key in c.allKeys {
            if let list = try? c.decode([T].self, forKey: key) {
                items = list
                return
            }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no array member"))
    }
}

/// The seam every Drover HTTP client uses: send one request, get one response or a ``TransportError``.
///
/// Implementations: `CurlTransport` (libcurl, production) and ``ClosureTransport`` (tests, adapters).
/// A non-2xx status is a normal response here; use ``HTTPTransport/sendExpectingSuccess(_:)`` or
/// ``TransportResponse/requireSuccess(for:)`` to turn it into an ``HTTPStatusError``.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the response; throws ``TransportError`` when no response arrived.
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

extension HTTPTransport {
    /// Sends a request and throws ``HTTPStatusError`` (carrying the server's error message) unless the status is 2xx.
    public func sendExpectingSuccess(_ request: TransportRequest) async throws -> TransportResponse {
        try await send(request).requireSuccess(for: request)
    }
}

/// A transport backed by a closure: for tests, fakes and adapters.
public struct ClosureTransport: HTTPTransport {
    private let handler: @Sendable (TransportRequest) async throws -> TransportResponse

    /// Creates a transport that answers every request with `handler`.
    public init(_ handler: @escaping @Sendable (TransportRequest) async throws -> TransportResponse) {
        self.handler = handler
    }

    /// Calls the closure.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        try await handler(request)
    }
}

import DroverAPI

/// An ``HTTPTransport`` over libcurl: one background thread drives a curl multi handle for every transfer.
///
/// Transfers never block the Swift cooperative pool. Connections are kept alive and reused across requests
/// (up to `poolSize` idle ones). A cancelled task aborts its transfer and gets `TransportError.Kind.cancelled`.
/// The background thread stops when the transport is released; requests still running then fail with `.shutDown`.
public final class CurlTransport: HTTPTransport {
    /// The settings this transport was made with.
    public let configuration: Configuration
    private let loop: CurlLoop

    /// Creates a transport and starts its thread; calls ``CurlGlobal/initialize()`` if `main` has not.
    public init(configuration: Configuration = Configuration()) throws(TransportError) {
        try CurlGlobal.initialize()
        self.configuration = configuration
        self.loop = try CurlLoop.start(configuration: configuration)
    }

    deinit {
        loop.stop()
    }

    /// Sends a request; throws only ``TransportError`` (a non-2xx status is a normal response).
    public func send(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
        let token = CurlCancelToken()
        let loop = self.loop
        let result: Result<TransportResponse, TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(CurlSubmission(request: request, token: token, continuation: continuation))
            }
        } onCancel: {
            token.cancel()
            loop.wake()
        }
        // Keep the transport (and so its thread) alive until the transfer is over, even when the caller's
        // reference was its last one.
        withExtendedLifetime(self) {}
        return try result.get()
    }
}

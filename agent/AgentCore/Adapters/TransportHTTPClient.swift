import DroverAPI

/// The agent's HTTP seam over a shared `HTTPTransport` (libcurl's `CurlTransport` in production).
public struct TransportHTTPClient: AgentHTTPClient {
    private let transport: any HTTPTransport

    /// Wraps a transport.
    public init(_ transport: any HTTPTransport) { self.transport = transport }

    /// Sends the request; maps transport failures to bounded kinds.
    public func send(_ request: AgentHTTPRequest) async throws(AgentHTTPError) -> AgentHTTPResponse {
        let method: TransportRequest.Method
        switch request.method {
        case "POST": method = .post
        case "PUT": method = .put
        case "DELETE": method = .delete
        case "PATCH": method = .patch
        case "HEAD": method = .head
        default: method = .get
        }
        let transportRequest = TransportRequest(
            method: method, url: request.url, headers: TransportHeaders(request.headers), body: request.body, timeout: request.timeout)
        do {
            let response = try await transport.send(transportRequest)
            return AgentHTTPResponse(status: response.status, body: response.body)
        } catch let error as TransportError {
            let kind: AgentHTTPError.Kind
            switch error.kind {
            case .connectionRefused: kind = .refused
            case .timedOut: kind = .timeout
            default: kind = .transport
            }
            throw AgentHTTPError(kind: kind, message: error.description)
        } catch {
            throw AgentHTTPError(kind: .transport, message: "\(error)")
        }
    }
}

/// Why a `DroverClient` call failed: the control plane answered with an error status, no answer arrived,
/// the answer was not what the contract says, or the request was invalid before it was sent.
///
/// `description` is written for a CLI user: what happened and what to do.
public struct DroverClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case http
        case transport
        case invalidRequest
        case invalidResponse
        case cancelled
    }

    private let code: Code
    /// What was being done, e.g. `POST /v1/reports`.
    public let operation: String
    /// The HTTP status, when the control plane answered.
    public let status: Int?
    /// The control plane's JSON error (`code`, `message`, `field`), when it sent one.
    public let apiError: APIErrorBody.Detail?
    /// The transport failure, when no response arrived.
    public let transportError: TransportError?
    /// The contract violation found before sending, for invalid requests.
    public let validationError: ValidationError?
    /// Detail for responses that could not be decoded or bodies that were not Drover errors.
    public let detail: String?

    private init(
        _ code: Code, operation: String, status: Int? = nil, apiError: APIErrorBody.Detail? = nil,
        transportError: TransportError? = nil, validationError: ValidationError? = nil, detail: String? = nil
    ) {
        self.code = code
        self.operation = operation
        self.status = status
        self.apiError = apiError
        self.transportError = transportError
        self.validationError = validationError
        self.detail = detail
    }

    /// The control plane answered `status` (not 2xx), with its error body when it sent one.
    public static func http(
        _ operation: String, status: Int, apiError: APIErrorBody.Detail?, body: String? = nil
    ) -> DroverClientError {
        DroverClientError(.http, operation: operation, status: status, apiError: apiError, detail: body)
    }

    /// No response arrived (refused, timed out, DNS, TLS, …).
    public static func transport(_ operation: String, _ error: TransportError) -> DroverClientError {
        DroverClientError(.transport, operation: operation, transportError: error)
    }

    /// The request body broke the wire contract; nothing was sent.
    public static func invalidRequest(_ operation: String, _ error: ValidationError) -> DroverClientError {
        DroverClientError(.invalidRequest, operation: operation, validationError: error)
    }

    /// The response was not the document the contract promises.
    public static func invalidResponse(_ operation: String, status: Int, _ detail: String) -> DroverClientError {
        DroverClientError(.invalidResponse, operation: operation, status: status, detail: detail)
    }

    /// The calling task was cancelled.
    public static func cancelled(_ operation: String) -> DroverClientError {
        DroverClientError(.cancelled, operation: operation)
    }

    /// Whether the control plane answered with an error status.
    public var isHTTPError: Bool { code == .http }
    /// Whether no response arrived.
    public var isTransportError: Bool { code == .transport }
    /// Whether the request was rejected locally before sending.
    public var isInvalidRequest: Bool { code == .invalidRequest }
    /// Whether the response could not be decoded.
    public var isInvalidResponse: Bool { code == .invalidResponse }
    /// Whether the call was cancelled.
    public var isCancelled: Bool { code == .cancelled }
    /// Whether the control plane answered 404.
    public var isNotFound: Bool { code == .http && status == 404 }
    /// Whether the control plane rejected the credential (401) or its permissions (403).
    public var isAuthError: Bool { code == .http && (status == 401 || status == 403) }

    /// Whether trying again later may succeed: transient transport failures, 408, 429 and 5xx.
    public var isTransient: Bool {
        switch code {
        case .transport: return transportError?.isTransient ?? false
        case .http:
            guard let status else { return false }
            return status == 408 || status == 429 || status >= 500
        case .invalidResponse: return (status ?? 0) >= 500
        case .invalidRequest, .cancelled: return false
        }
    }

    /// The server's stable error code (`invalid_field`, `unauthorized`, …), when it sent one.
    public var serverCode: String? { apiError?.code }
    /// The offending field: from the server's error or the local validation.
    public var field: String? { apiError?.field ?? validationError?.field }
    /// The server's message, the local validation message or the detail.
    public var message: String {
        if let apiError { return apiError.message }
        if let validationError { return validationError.message }
        if let transportError { return transportError.description }
        return detail ?? ""
    }

    /// A sentence for people: what failed, the server's words, and what to do.
    public var description: String {
        switch code {
        case .transport:
            return "\(operation): \(transportError.map(\.description) ?? "no response")"
        case .cancelled:
            return "\(operation) was cancelled"
        case .invalidRequest:
            let v = validationError
            return
                "\(operation) not sent: \(v?.field ?? "body") \(v?.message ?? "is invalid") — fix the document and retry"
        case .invalidResponse:
            return
                "\(operation): the control plane answered HTTP \(status ?? 0) with a response this client cannot read"
                + " (\(detail ?? "unknown")) — check that droverctl/agent and control plane versions match"
        case .http:
            let status = status ?? 0
            var text = "\(operation) failed with HTTP \(status)"
            let said = apiError?.message ?? detail
            if let said, !said.isEmpty { text += ": \(said)" }
            if let field { text += " (field \(field))" }
            return text + " — " + Self.advice(status: status, code: apiError?.code, field: field)
        }
    }

    private static func advice(status: Int, code: String?, field: String?) -> String {
        switch status {
        case 400, 422:
            return field.map { "fix \($0) and send again" } ?? "fix the request and send again"
        case 401: return "the token is missing, wrong or revoked; pass a valid one (--token or DROVER_TOKEN)"
        case 403: return "the token's role does not allow this; use a token with the needed role"
        case 404: return "nothing at that address: check the ids (model, version, agent) and the control-plane URL"
        case 409: return "it conflicts with what is stored (already exists or changed meanwhile); fetch it and retry"
        case 413: return "the request is too large; send fewer items per request"
        case 408, 429: return "the control plane is busy; retry after a short wait"
        case 500...599: return "the control plane failed; retry later and check its logs"
        default: return "see the control plane's logs"
        }
    }
}

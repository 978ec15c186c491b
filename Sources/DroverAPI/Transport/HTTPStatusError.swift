/// A non-2xx response, carrying Drover's JSON error (`{"error":{"code","message","field"?}}`) when present.
public struct HTTPStatusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The method of the request.
    public var method: TransportRequest.Method
    /// The URL of the request.
    public var url: String
    /// The status code, e.g. 422.
    public var status: Int
    /// The decoded Drover error body, or nil when the body was not one.
    public var apiError: APIErrorBody.Detail?
    /// The start of the body (at most ``bodyPrefixLimit`` bytes), for bodies that are not Drover errors.
    public var bodyPrefix: [UInt8]

    /// How many body bytes an error keeps when the body is not a Drover error.
    public static let bodyPrefixLimit = 512

    /// Creates an error from a request and its non-2xx response.
    public init(request: TransportRequest, response: TransportResponse) {
        self.method = request.method
        self.url = request.url
        self.status = response.status
        self.apiError = Self.decodeAPIError(response.body)
        self.bodyPrefix = Array(response.body.prefix(Self.bodyPrefixLimit))
    }

    /// The server's error code (`invalid_field`, `unauthorized`, …), when the body was a Drover error.
    public var code: String? { apiError?.code }

    /// The server's message, or the start of the body as text, or nil for an empty body.
    public var message: String? {
        if let apiError { return apiError.message }
        let text = String(decoding: bodyPrefix, as: UTF8.self).trimmingASCIIWhitespace()
        return text.isEmpty ? nil : text
    }

    /// The offending field, for validation errors.
    public var field: String? { apiError?.field }

    /// A sentence with the request, the status and the server's message.
    public var description: String {
        var text = "\(method) \(url) failed with HTTP \(status)"
        if let message { text += ": \(message)" }
        var extras: [String] = []
        if let code { extras.append("code \(code)") }
        if let field { extras.append("field \(field)") }
        if !extras.isEmpty { text += " (\(extras.joined(separator: ", ")))" }
        switch status {
        case 401: text += " — check the token"
        case 403: text += " — the token lacks permission for this"
        case 404: text += " — check the URL and the id"
        default: break
        }
        return text
    }

    private static func decodeAPIError(_ body: [UInt8]) -> APIErrorBody.Detail? {
        guard let first = body.first(where: { !$0.isASCIIWhitespace }), first == UInt8(ascii: "{") else { return nil }
        return (try? DroverJSON.decode(APIErrorBody.self, from: body))?.error
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        guard let start = bytes.firstIndex(where: { !$0.isASCIIWhitespace }),
            let end = bytes.lastIndex(where: { !$0.isASCIIWhitespace })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}

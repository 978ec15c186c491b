import HTTPTypes
import Hummingbird

/// An error answered as the OIP error body `{"error": "..."}` with an HTTP status.
public struct OIPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The message: what went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static func badRequest(_ message: String) -> OIPError { OIPError(.badRequest, message) }
    static func notFound(_ message: String) -> OIPError { OIPError(.notFound, message) }
}

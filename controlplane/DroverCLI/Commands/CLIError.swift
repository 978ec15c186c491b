import DroverAPI

/// Why a `droverctl` control-plane command failed, worded for the person at the terminal (exit code 1).
public struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case unreachable
        case unauthorized
        case forbidden
        case rejected
        case usage
        case unexpected
    }

    private let code: Code
    /// The whole message: what failed, the server's words, the field and what to do.
    public let message: String
    /// The offending field, when the server or the local validation named one.
    public let field: String?
    /// The HTTP status, when the control plane answered.
    public let status: Int?

    private init(_ code: Code, _ message: String, field: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.status = status
    }

    /// The control plane did not answer at all.
    public static func unreachable(_ server: String, detail: String) -> CLIError {
        CLIError(
            .unreachable,
            "cannot reach the control plane at \(server) — is it running? (`drover-controlplane serve`)"
                + " Set --server or DROVER_SERVER if it listens elsewhere. [\(detail)]")
    }

    /// A bad command line or input file (no request was sent).
    public static func usage(_ message: String, field: String? = nil) -> CLIError {
        CLIError(.usage, message, field: field)
    }

    /// Something unexpected, e.g. a response this droverctl cannot read.
    public static func unexpected(_ message: String) -> CLIError { CLIError(.unexpected, message) }

    /// Whether the control plane could not be reached.
    public var isUnreachable: Bool { code == .unreachable }
    /// Whether the token was missing or wrong (401).
    public var isUnauthorized: Bool { code == .unauthorized }
    /// Whether the token's role does not allow the call (403).
    public var isForbidden: Bool { code == .forbidden }
    /// Whether the control plane refused the request (other 4xx/5xx).
    public var isRejected: Bool { code == .rejected }
    /// Whether the command line or an input file was wrong.
    public var isUsage: Bool { code == .usage }

    /// The process exit code: always 1 (argument-parser's own usage errors keep theirs).
    public var exitCode: Int32 { 1 }

    /// The message.
    public var description: String { message }

    /// Translates a client error into words for people; `server` is the URL droverctl talked to.
    public static func from(_ error: DroverClientError, server: String, needs role: String? = nil) -> CLIError {
        if error.isTransportError {
            let transport = error.transportError
            if let transport, transport.kind == .timedOut {
                return CLIError(
                    .unreachable,
                    "the control plane at \(server) did not answer in time (\(error.operation)) — is it running and healthy?"
                        + " (`drover-controlplane serve`; check its logs)")
            }
            return .unreachable(server, detail: transport?.message.isEmpty == false ? transport!.message : "\(transport?.kind.description ?? "no response")")
        }
        if error.isInvalidRequest {
            let field = error.field ?? "body"
            return CLIError(
                .usage, "not sent: \(field) \(error.message) — fix \(field) and run the command again", field: error.field)
        }
        if error.isInvalidResponse {
            return CLIError(
                .unexpected,
                "\(error.operation): the control plane answered HTTP \(error.status ?? 0) with a response droverctl cannot read"
                    + " — check that droverctl and drover-controlplane are the same release")
        }
        if error.isCancelled { return CLIError(.unexpected, "\(error.operation) was interrupted") }
        let status = error.status ?? 0
        let said = error.message.isEmpty ? "" : ": \(error.message)"
        let fieldText = error.field.map { " (field \($0))" } ?? ""
        switch status {
        case 401:
            return CLIError(
                .unauthorized,
                "the control plane refused the request (401 unauthorized\(said)) — the token is missing, wrong or revoked."
                    + " Pass one with --token or DROVER_TOKEN; create an admin token on the server with"
                    + " `drover-controlplane token create --role admin --data-dir DIR`",
                status: status)
        case 403:
            let needed = role.map { " This needs a token with the \($0) role." } ?? ""
            return CLIError(
                .forbidden,
                "the control plane refused the request (403 forbidden\(said)) — the token's role does not allow \(error.operation).\(needed)"
                    + " Ask an admin for a suitable token (`droverctl tokens create --role operator`)",
                status: status)
        case 404:
            return CLIError(
                .rejected,
                "not found (404\(said))\(fieldText) — check the model, version or agent id (list them with"
                    + " `droverctl versions list` / `droverctl agents list`) and that --server points at a Drover control plane",
                field: error.field, status: status)
        case 400, 409, 413, 422:
            let what = status == 409 ? "conflict" : status == 413 ? "too large" : "invalid request"
            let advice: String
            switch status {
            case 409: advice = "it conflicts with what is stored; inspect it with `droverctl versions show` and change the request"
            case 413: advice = "send a smaller document"
            default: advice = error.field.map { "fix \($0) and run the command again" } ?? "fix the request and run it again"
            }
            return CLIError(
                .rejected, "the control plane rejected the request (\(status) \(what)\(said))\(fieldText) — \(advice)",
                field: error.field, status: status)
        default:
            return CLIError(
                .rejected,
                "the control plane failed (HTTP \(status)\(said))\(fieldText) — retry shortly; if it persists, check the"
                    + " drover-controlplane logs",
                field: error.field, status: status)
        }
    }
}

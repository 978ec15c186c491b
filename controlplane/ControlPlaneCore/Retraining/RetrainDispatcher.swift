import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The result of handing a retrain request to its target.
public struct RetrainDispatchResult: Sendable, Equatable {
    /// Whether the target accepted it (2xx, or exit status 0).
    public var accepted: Bool
    /// What happened, for the record: `HTTP 202`, `exit 0`, `timed out after 60s`, an error.
    public var outcome: String

    /// Creates a result.
    public init(accepted: Bool, outcome: String) {
        self.accepted = accepted
        self.outcome = outcome
    }
}

/// Hands a retrain request to its target.
public protocol RetrainDispatcher: Sendable {
    /// Sends `request` (as JSON, evidence included) to `target` and reports whether it was accepted; never throws.
    func dispatch(_ request: RetrainRequest, to target: RetrainTarget) async -> RetrainDispatchResult
}

/// Dispatches to webhooks through an `HTTPTransport` and to commands through a `RetrainCommandRunner`.
public struct DefaultRetrainDispatcher: RetrainDispatcher {
    private let transport: any HTTPTransport
    private let commands: any RetrainCommandRunner

    /// Creates a dispatcher.
    public init(transport: any HTTPTransport, commands: any RetrainCommandRunner = ProcessRetrainCommandRunner<ContinuousClock>()) {
        self.transport = transport
        self.commands = commands
    }

    /// Posts to the webhook or runs the command.
    public func dispatch(_ request: RetrainRequest, to target: RetrainTarget) async -> RetrainDispatchResult {
        let body: [UInt8]
        do {
            body = try DroverJSON.encode(request)
        } catch {
            return RetrainDispatchResult(accepted: false, outcome: "could not encode the request: \(error)")
        }
        switch target {
        case .webhook(let webhook):
            var http = TransportRequest.post(
                webhook.url, body: body, headers: ["Idempotency-Key": request.id],
                timeout: .milliseconds(Int64(webhook.timeoutSeconds * 1000))
            )
            http.bearerToken = webhook.bearerToken
            do {
                let response = try await transport.send(http)
                return RetrainDispatchResult(accepted: response.isSuccess, outcome: "HTTP \(response.status) from \(webhook.url)")
            } catch {
                return RetrainDispatchResult(accepted: false, outcome: "\(error)")
            }
        case .command(let command):
            do {
                let result = try await commands.run(argv: command.argv, stdin: body + [0x0A], timeout: .milliseconds(Int64(command.timeoutSeconds * 1000)))
                if result.timedOut {
                    return RetrainDispatchResult(accepted: false, outcome: "timed out after \(command.timeoutSeconds)s and was terminated")
                }
                var outcome = "exit \(result.exitStatus)"
                if result.exitStatus != 0, !result.stderrTail.isEmpty { outcome += ": \(result.stderrTail)" }
                return RetrainDispatchResult(accepted: result.exitStatus == 0, outcome: outcome)
            } catch {
                return RetrainDispatchResult(accepted: false, outcome: "\(error)")
            }
        }
    }
}

import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A `droverctl` command that talks to the control plane: it computes its output from a client, so tests can
/// run it against a fake transport; `run()` wires libcurl, prints the output and maps errors to exit code 1.
public protocol ControlPlaneCommand: AsyncParsableCommand {
    /// `--server` and `--token`.
    var connection: ControlPlaneOptions { get }

    /// Performs the command and returns what to print on standard output (a table, JSON or a sentence).
    func output(client: DroverClient, now: Date) async throws(CLIError) -> String
}

extension ControlPlaneCommand {
    /// Runs the command against the configured control plane.
    public mutating func run() async throws {
        let environment = processEnvironment()
        do throws(CLIError) {
            let client = try connection.makeClient(environment: environment)
            let text = try await output(client: client, now: Date())
            if !text.isEmpty { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
        } catch {
            writeStandardError("droverctl: \(error.message)")
            throw ExitCode(error.exitCode)
        }
    }
}

extension DroverClient {
    /// Calls the control plane and turns a failure into a ``CLIError`` worded for people.
    func call<T>(needs role: String? = nil, _ body: (DroverClient) async throws(DroverClientError) -> T) async throws(CLIError) -> T {
        do {
            return try await body(self)
        } catch {
            throw CLIError.from(error, server: baseURL, needs: role)
        }
    }
}

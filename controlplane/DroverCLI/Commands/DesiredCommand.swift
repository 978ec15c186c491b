import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl desired …`.
public struct DesiredCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "desired", abstract: "Set the version agents should serve.", subcommands: [DesiredSet.self])

    /// Creates the command.
    public init() {}
}

/// `desired set --model M --version V [--selector k=v,...] --reason "…" [--force]`.
public struct DesiredSet: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set the desired version of every agent of a model matching a label selector.",
        discussion: """
            The control plane first compares the version's declared inputs with the features the agents report \
            (see `droverctl versions schema-check`) and refuses a mismatch unless --force is given.
            Example: droverctl desired set --model ranker --version 2 --selector zone=eu-1 --reason "int8 canary"
            """)

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Option(help: "Model.") public var model: String
    /// Version.
    @Option(help: "Version to serve.") public var version: String
    /// Selector.
    @Option(help: "Label selector k=v[,k=v…] (all must match; default: every agent of the model).") public var selector: String?
    /// Reason.
    @Option(help: "Why (kept in the audit log and shown to agents).") public var reason: String
    /// Override a failing schema check.
    @Flag(help: "Set the version even if its declared inputs do not match the agents' traffic (written to the audit log).")
    public var force = false
    /// JSON output.
    @Flag(help: "Print JSON ({\"desired\": [...], \"schema_check\": {...}}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// Parses `k=v,k=v`.
    public static func parseSelector(_ text: String?) throws(CLIError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for part in text.split(separator: ",") {
            let (k, v) = try keyValue(String(part).trimmingSpaces(), flag: "--selector")
            out[k] = v
        }
        return out
    }

    /// A confirmation with the agents affected.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let update = DesiredStateUpdate(
            selector: try Self.parseSelector(selector), model: model, version: version, reason: reason, force: force ? true : nil)
        let result = try await client.call(needs: "operator or admin") { c throws(DroverClientError) in try await c.applyDesired(update) }
        if json { return try JSONOutput.render(result) }
        let states = result.desired.sorted { $0.agentID < $1.agentID }
        if states.isEmpty {
            return "no agent of \(model) matches \(selector ?? "the selector") — nothing changed (list them with `droverctl agents list`)"
        }
        var table = TextTable(header: ["AGENT", "VERSION", "GENERATION"], rightAligned: [2])
        for s in states { table.append([s.agentID, s.version, String(s.generation)]) }
        var text = "\(model) → \(version) on \(states.count) agent\(states.count == 1 ? "" : "s") (\(reason))\n" + table.render()
        if let check = result.schemaCheck {
            if result.forced == true {
                text += "\nFORCED past a failing schema check (audited):\n" + VersionsSchemaCheck.render(check)
            } else if !check.unchecked.isEmpty {
                text += "\nschema not checked for \(check.unchecked.map(\.agentID).joined(separator: ", ")) (no reports yet)"
            }
        }
        return text
    }
}

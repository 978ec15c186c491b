import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl agents …`.
public struct AgentsCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List agents; enrol one by hand.", subcommands: [AgentsList.self, AgentsEnroll.self])

    /// Creates the command.
    public init() {}
}

/// `agents list [--model] [--json]`.
public struct AgentsList: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List enrolled agents.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Only this model.
    @Option(help: "Only agents of this model.") public var model: String?
    /// JSON output.
    @Flag(help: "Print JSON ({\"agents\": [...]}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// The table or JSON of agents.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let agents = try await client.call { c throws(DroverClientError) in try await c.listAgents(model: model) }
            .sorted { $0.agentID < $1.agentID }
        if json { return try JSONOutput.list("agents", agents) }
        var table = TextTable(header: ["AGENT", "MODEL", "VERSION", "DESIRED", "STATE", "LAST SEEN", "LABELS"])
        for a in agents {
            table.append([
                a.agentID, a.model, a.version ?? "-", a.desiredVersion ?? "-", a.state.rawValue,
                a.lastSeen.map { Format.age(seconds: now.timeIntervalSince($0)) + " ago" } ?? "never", Format.labels(a.labels),
            ])
        }
        return table.render(empty: "no agents enrolled")
    }
}

/// `agents enroll --agent-id ID --model M [--label k=v] --enroll-token T`: prints the agent's credential.
public struct AgentsEnroll: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enrol an agent with an enrol token and print its own credential (for agents that do not enrol themselves).",
        discussion: "The credential is printed once on standard output; store it in the agent's control_plane.token_file.")

    /// `--server`, `--token` (the enrol token when --enroll-token is not given).
    @OptionGroup public var connection: ControlPlaneOptions
    /// Agent id.
    @Option(help: "Agent id, e.g. node-a/ranker-0.") public var agentID: String
    /// Model.
    @Option(help: "Model the agent watches.") public var model: String
    /// Labels.
    @Option(name: .customLong("label"), help: ArgumentHelp("Label (repeatable), e.g. zone=eu-1.", valueName: "key=value"))
    public var labels: [String] = []
    /// The enrol token.
    @Option(help: "Enrol token (default: --token / DROVER_TOKEN).") public var enrollToken: String?
    /// JSON output.
    @Flag(help: "Print {\"agent_id\", \"token\"} as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// The agent's credential.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        var map: [String: String] = [:]
        for item in labels { let (k, v) = try keyValue(item, flag: "--label"); map[k] = v }
        let request = EnrollRequest(agentID: agentID, model: model, labels: map, serverKind: nil, agentVersion: nil)
        let response = try await client.call(needs: "enroll") { c throws(DroverClientError) in
            try await c.enroll(request, enrollToken: enrollToken ?? c.token)
        }
        if json { return try JSONOutput.render(response) }
        return response.token
    }
}

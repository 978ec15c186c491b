import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl tokens …` (admin).
public struct TokensCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create and list API tokens (admin).", subcommands: [TokensCreate.self, TokensList.self])

    /// Creates the command.
    public init() {}
}

/// `tokens create --role R [--name N] [--json]`: prints the secret once.
public struct TokensCreate: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token; the secret is printed once on standard output (the id and role on standard error).")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Role.
    @Option(help: "admin, operator, viewer or enroll.") public var role: String
    /// Name.
    @Option(help: "A name for the audit log (default: the role).") public var name: String?
    /// JSON output.
    @Flag(help: "Print {id, name, role, token, created_at} as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// The secret (or the JSON).
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let created = try await client.call(needs: "admin") { c throws(DroverClientError) in
            try await c.createToken(name: name ?? role, role: role)
        }
        if json { return try JSONOutput.render(created) }
        writeStandardError("created \(created.role) token \(created.id) (\(created.name)); the secret below is shown only once")
        return created.token
    }
}

/// `tokens list [--json]`.
public struct TokensList: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets).")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// JSON output.
    @Flag(help: "Print JSON ({\"tokens\": [...]}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// The table or JSON of tokens.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let tokens = try await client.call(needs: "admin") { c throws(DroverClientError) in try await c.listTokens() }
            .sorted { ($0.createdAt ?? .distantPast, $0.id) < ($1.createdAt ?? .distantPast, $1.id) }
        if json { return try JSONOutput.list("tokens", tokens) }
        var table = TextTable(header: ["ID", "NAME", "ROLE", "AGENT", "CREATED", "BY", "REVOKED"])
        for t in tokens {
            table.append([
                t.id, t.name, t.role, t.agentID ?? "-", t.createdAt.map(RFC3339.format) ?? "-", t.createdBy ?? "-",
                t.revokedAt.map(RFC3339.format) ?? "-",
            ])
        }
        return table.render(empty: "no tokens")
    }
}

import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `versions schema-check MODEL VERSION [--selector k=v,…] [--json]`: would these agents' traffic fit the version?
public struct VersionsSchemaCheck: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "schema-check",
        abstract: "Compare a version's declared inputs with the features the selected agents see in their traffic.",
        discussion: """
            Missing features (declared, not seen) and kind mismatches would make `desired set` refuse the version; \
            extra features (seen, not declared) are listed but do not block. Agents without reports are not compared. \
            Exit code 0 either way; the verdict is in the output (and in `compatible` with --json).
            Example: droverctl versions schema-check ranker 8 --selector zone=eu-1
            """)

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Argument(help: "Model.") public var model: String
    /// Version.
    @Argument(help: "Version whose declared inputs are compared.") public var version: String
    /// Selector.
    @Option(help: "Label selector k=v[,k=v…] (default: every agent of the model).") public var selector: String?
    /// JSON output.
    @Flag(help: "Print the control plane's schema-check document as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// The verdict with one block per agent group, or the JSON document.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let parsed = try DesiredSet.parseSelector(selector)
        let check = try await client.call { c throws(DroverClientError) in
            try await c.schemaCheck(model: model, version: version, selector: parsed)
        }
        if json { return try JSONOutput.render(check) }
        return Self.render(check)
    }

    /// Renders a check for people: the verdict, then per group what is missing, mismatched and extra.
    public static func render(_ check: SchemaCheck) -> String {
        var lines: [String] = []
        let blocking = check.groups.filter { !$0.compatible }
        if check.compatible {
            lines.append("\(check.model)/\(check.version): inputs match the traffic of \(check.groups.reduce(0) { $0 + $1.agents.count }) agent(s)")
        } else {
            lines.append(
                "\(check.model)/\(check.version): inputs do NOT match the traffic of \(blocking.reduce(0) { $0 + $1.agents.count }) agent(s)"
                    + " — `desired set` would refuse it (use --force to override; it is audited)")
        }
        if let note = check.note { lines.append(note) }
        for group in check.groups {
            let agents = group.agents.prefix(5).joined(separator: ", ") + (group.agents.count > 5 ? " +\(group.agents.count - 5) more" : "")
            lines.append(
                "\(group.compatible ? "ok  " : "FAIL") \(agents) (serving \(group.servedVersions.joined(separator: ", ")); from \(group.source.joined(separator: " + ")))")
            if !group.missing.isEmpty { lines.append("     missing: " + group.missing.joined(separator: ", ")) }
            for m in group.kindMismatches {
                lines.append(
                    "     kind: \(m.name) is \(m.observed.map(\.rawValue).joined(separator: "/")), declared \(m.declared.map(\.rawValue).joined(separator: "/"))")
            }
            if !group.extra.isEmpty { lines.append("     extra (not blocking): " + group.extra.joined(separator: ", ")) }
        }
        for agent in check.unchecked { lines.append("skip \(agent.agentID): \(agent.reason)") }
        return lines.joined(separator: "\n")
    }
}

extension DroverClient {
    /// `GET /v1/models/{m}/versions/{v}/schema-check?selector=k=v,…`.
    func schemaCheck(model: String, version: String, selector: [String: String]) async throws(DroverClientError) -> SchemaCheck {
        let path = APIPath.version(model: model, version: version) + "/schema-check"
        let text = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let response = try await send(.get, path, query: [("selector", text.isEmpty ? nil : text)])
        return try decode(SchemaCheck.self, response, operation: "GET \(path)")
    }

    /// `PUT /v1/desired` keeping the whole answer: the new states, the schema check and whether it was forced.
    func applyDesired(_ update: DesiredStateUpdate) async throws(DroverClientError) -> DesiredStateResult {
        let operation = "PUT \(APIPath.desired)"
        let body = try encodeBody(update, operation: operation)
        let response = try await send(.put, APIPath.desired, body: body)
        if response.body.isEmpty { return DesiredStateResult(desired: []) }
        return try decode(DesiredStateResult.self, response, operation: operation)
    }
}

import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl alerts …`.
public struct AlertsCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Alerts raised by the control plane.", subcommands: [AlertsList.self])

    /// Creates the command.
    public init() {}
}

/// `alerts list [--status firing|resolved] [--json]`.
public struct AlertsList: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List alerts, newest first.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Status filter.
    @Option(help: "Only firing or resolved alerts.") public var status: String?
    /// JSON output.
    @Flag(help: "Print JSON ({\"alerts\": [...]}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// The table or JSON of alerts.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        var filter: Alert.Status?
        if let status {
            guard let parsed = Alert.Status(rawValue: status) else {
                throw .usage("--status must be firing or resolved, got \"\(status)\"", field: "status")
            }
            filter = parsed
        }
        let alerts: [Alert]
        do {
            alerts = try await client.listAlerts(status: filter)
        } catch {
            if error.isNotFound && error.serverCode == nil || error.isNotFound && error.serverCode == "route_not_found" {
                throw .unexpected(
                    "this control plane at \(client.baseURL) does not serve alerts (GET /v1/alerts answered 404) —"
                        + " upgrade drover-controlplane to a release with alerting")
            }
            throw CLIError.from(error, server: client.baseURL)
        }
        let sorted = alerts.sorted { ($0.startsAt, $0.fingerprint) > ($1.startsAt, $1.fingerprint) }
        if json { return try JSONOutput.list("alerts", sorted) }
        var table = TextTable(header: ["STATUS", "SEVERITY", "RULE", "SINCE", "LABELS", "SUMMARY"])
        for a in sorted {
            let since = Format.age(seconds: (a.endsAt ?? now).timeIntervalSince(a.startsAt))
            table.append([
                a.status.rawValue, a.severity, a.rule, RFC3339.format(a.startsAt) + " (\(since))", Format.labels(a.labels),
                a.annotations["summary"] ?? a.annotations["description"] ?? "-",
            ])
        }
        return table.render(empty: filter.map { "no \($0.rawValue) alerts" } ?? "no alerts")
    }
}

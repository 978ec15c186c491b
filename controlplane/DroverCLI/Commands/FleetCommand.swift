import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl fleet …`.
public struct FleetCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Fleet health per model × version × zone.", subcommands: [FleetStatus.self])

    /// Creates the command.
    public init() {}
}

/// `fleet status [--model M] [--since 15m|RFC3339] [--json]`.
public struct FleetStatus: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Which version runs where, and whether it is healthy: latency, errors, validation, drift, per zone.",
        discussion: "Drift is computed by the control plane on the counts merged across agents (not averaged scores).")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Only this model.
    @Option(help: "Only this model.") public var model: String?
    /// Start of the range.
    @Option(help: "Range start: a duration back from now (30s, 15m, 2h, 1d) or an RFC 3339 time (default: 15m).")
    public var since: String?
    /// JSON output.
    @Flag(help: "Print the control plane's fleet-health document as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// Parses `--since`.
    public static func parseSince(_ text: String, now: Date) throws(CLIError) -> Date {
        if let date = RFC3339.parse(text) { return date }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n >= 0, n.isFinite {
                return now.addingTimeInterval(-n * scale)
            }
        }
        throw .usage("--since must be a duration like 30s, 15m, 2h, 1d or an RFC 3339 time, got \"\(text)\"", field: "since")
    }

    /// The status table (with an agents line and drifted features) or the server's JSON.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let from = try since.map { (s) throws(CLIError) in try Self.parseSince(s, now: now) }
        if json {
            let bytes = try await client.call { c throws(DroverClientError) in try await c.fleetHealthJSON(model: model, from: from) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let health = try await client.call { c throws(DroverClientError) in try await c.fleetHealth(model: model, from: from) }
        let agents = try await client.call { c throws(DroverClientError) in try await c.listAgents(model: model) }
        return Self.render(health: health, agents: agents, now: now)
    }

    /// Renders fleet health and agents for people.
    public static func render(health: FleetHealth, agents: [AgentInfo], now: Date) -> String {
        var lines: [String] = []
        let byState = Dictionary(grouping: agents, by: \.state)
        var summary = "agents: \(agents.count)"
        if !agents.isEmpty {
            summary += " (" + AgentInfo.State.allCases.map { "\(byState[$0]?.count ?? 0) \($0.rawValue)" }.joined(separator: ", ") + ")"
        }
        if let from = health.from {
            summary += " · window \(Format.age(seconds: (health.to ?? now).timeIntervalSince(from))) to \(health.to.map(RFC3339.format) ?? "now")"
        }
        lines.append(summary)
        var table = TextTable(
            header: ["MODEL", "VERSION", "ZONE", "AGENTS", "REPORTS", "REQUESTS", "P50 ms", "P99 ms", "ERRORS", "VALIDATION", "DRIFT"],
            rightAligned: [3, 4, 5, 6, 7, 8])
        var drifted: [String] = []
        var mismatched: [String] = []
        for g in health.groups.sorted(by: { ($0.model, versionKey($0.version), $0.zone) < ($1.model, versionKey($1.version), $1.zone) }) {
            let here = agents.filter { $0.model == g.model && ($0.version ?? "") == g.version && ($0.labels["zone"] ?? "") == g.zone }
            let validation = (g.validation ?? g.online).map { m in
                m.metrics.sorted { $0.key < $1.key }.prefix(2).map { "\($0.key)=\(Format.number($0.value, 3))" }.joined(separator: " ")
            }
            let verdicts = g.drift.compactMap(\.verdict)
            let driftCount = verdicts.filter { $0 == .drift }.count
            let warnCount = verdicts.filter { $0 == .warn }.count
            var driftText = g.drift.isEmpty ? "-" : verdicts.isEmpty ? "no profile" : "\(driftCount)/\(g.drift.count) drift"
            if warnCount > 0 { driftText += ", \(warnCount) warn" }
            table.append([
                g.model, g.version, g.zone.isEmpty ? "-" : g.zone, String(here.count),
                Format.integer(g.reports), Format.integer(g.requests), Format.number(g.latencyMs?.p50, 1),
                Format.number(g.latencyMs?.p99, 1), Format.percent(g.errorRate), validation.flatMap { $0.isEmpty ? nil : $0 } ?? "-",
                driftText,
            ])
            let names = g.drift.filter { $0.verdict == .drift }
                .sorted { ($0.psi ?? 0) > ($1.psi ?? 0) }
                .map { d in d.name + (d.psi.map { " (psi \(Format.number($0, 2)))" } ?? "") }
            if g.profileMismatches > 0 {
                mismatched.append(
                    "  \(g.model)/\(g.version) \(g.zone.isEmpty ? "-" : g.zone): \(g.profileMismatches) of \(g.reports) report(s) over "
                        + (g.mismatchedProfiles ?? [:]).keys.sorted().map { String($0.prefix(19)) }.joined(separator: ", "))
            }
            if !names.isEmpty {
                drifted.append("  \(g.model)/\(g.version) \(g.zone.isEmpty ? "-" : g.zone): " + names.prefix(6).joined(separator: ", ")
                    + (names.count > 6 ? ", +\(names.count - 6) more" : ""))
            }
        }
        lines.append(table.render(empty: "no reports in this window"))
        if !drifted.isEmpty {
            lines.append("drifted features:")
            lines.append(contentsOf: drifted)
        }
        if !mismatched.isEmpty {
            lines.append("reports over another reference profile than the version's (excluded from drift; check the agents' profile cache):")
            lines.append(contentsOf: mismatched)
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `droverctl versions …`: the model version registry.
public struct VersionsCommand: AsyncParsableCommand {
    /// Name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "Register, list, show, alias and retire model versions; upload reference profiles.",
        subcommands: [
            VersionsRegister.self, VersionsList.self, VersionsShow.self, VersionsAlias.self, VersionsRetire.self,
            VersionsProfile.self, VersionsSchemaCheck.self,
        ])

    /// Creates the command.
    public init() {}
}

/// `versions list [--model M] [--json]`.
public struct VersionsList: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered versions.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Only this model.
    @Option(help: "Only versions of this model.") public var model: String?
    /// JSON output.
    @Flag(help: "Print JSON ({\"versions\": [...]}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// The table or JSON of versions.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let versions = try await client.call { c throws(DroverClientError) in try await c.listVersions(model: model) }
            .sorted { ($0.model, versionKey($0.version)) < ($1.model, versionKey($1.version)) }
        if json { return try JSONOutput.list("versions", versions) }
        let byID = Dictionary(versions.map { ("\($0.model)/\($0.version)", $0) }, uniquingKeysWith: { a, _ in a })
        var table = TextTable(
            header: ["MODEL", "VERSION", "STATUS", "ALIASES", "PRECISION", "SIZE", "DERIVED FROM", "RATIO", "PROFILE", "CREATED"],
            rightAligned: [5, 7])
        for v in versions {
            let parent = v.lineage.flatMap { byID["\(v.model)/\($0.derivedFrom)"] }
            table.append([
                v.model, v.version, v.status.rawValue, v.aliases.isEmpty ? "-" : v.aliases.sorted().joined(separator: ","),
                v.footprint?.precision ?? "-", Format.bytes(v.footprint?.bytes),
                v.lineage.map { "\($0.derivedFrom) (\($0.method.rawValue))" } ?? "-",
                compressionRatio(parent: parent, child: v).map { Format.number($0, 2) + "×" } ?? "-",
                v.referenceProfileDigest == nil ? "no" : "yes",
                v.createdAt.map(RFC3339.format) ?? "-",
            ])
        }
        return table.render(empty: model.map { "no versions of \($0) registered" } ?? "no versions registered")
    }
}

/// `versions show MODEL VERSION [--json]`: details, lineage both ways and the compression ratio against the parent.
public struct VersionsShow: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one version with its lineage and compression ratio against its parent.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Argument(help: "Model name.") public var model: String
    /// Version.
    @Argument(help: "Version (or an alias such as stable).") public var version: String
    /// JSON output.
    @Flag(help: "Print JSON ({\"version\": …, \"lineage\": …}) for scripts.") public var json = false

    /// Creates the command.
    public init() {}

    /// The version's details.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let v = try await client.call { c throws(DroverClientError) in try await c.getVersion(model: model, version: version) }
        // Older control planes have no lineage endpoint: fall back to the parent's record for the ratio.
        var lineage = try? await client.call { c throws(DroverClientError) in try await c.lineage(model: v.model, version: v.version) }
        if lineage == nil, let parentID = v.lineage?.derivedFrom {
            let parent = try? await client.call { c throws(DroverClientError) in try await c.getVersion(model: v.model, version: parentID) }
            let node = LineageNodeView(
                version: v.version, derivedFrom: parentID, method: v.lineage?.method, parameters: v.lineage?.parameters,
                status: v.status, footprint: v.footprint, compressionRatio: compressionRatio(parent: parent, child: v),
                parameterRatio: ratio(parent?.footprint?.parameterCount, v.footprint?.parameterCount))
            lineage = LineageDocument(
                model: v.model, version: node,
                ancestors: parent.map { [LineageNodeView(version: $0.version, status: $0.status, footprint: $0.footprint, depth: -1)] } ?? [])
        }
        if json {
            struct Shown: Encodable {
                var version: ModelVersion
                var lineage: LineageDocument?
            }
            return try JSONOutput.render(Shown(version: v, lineage: lineage))
        }
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append(name + String(repeating: " ", count: max(1, 17 - name.count)) + value) }
        field("model", v.model)
        field("version", v.version)
        field("status", v.status.rawValue)
        field("aliases", v.aliases.isEmpty ? "-" : v.aliases.sorted().joined(separator: ", "))
        field("artifact", v.artifact.uri)
        field("sha256", v.artifact.sha256)
        if let f = v.footprint {
            var text = f.precision
            if let p = f.parameterCount { text += ", \(p) parameters" }
            if let b = f.bytes { text += ", \(Format.bytes(b))" }
            if let s = f.sparsity { text += ", sparsity \(Format.percent(s))" }
            field("footprint", text)
        }
        if let l = v.lineage {
            let params = l.parameters.isEmpty ? "" : " (" + l.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
            field("derived from", "\(l.derivedFrom) by \(l.method.rawValue)\(params)")
        }
        if let node = lineage?.version {
            if let r = node.compressionRatio {
                field("compression", "\(Format.number(r, 2))× smaller than \(node.derivedFrom ?? "its parent") (bytes)")
            }
            if let r = node.parameterRatio, r != 1 { field("parameters", "\(Format.number(r, 2))× fewer than its parent") }
        }
        if !v.offlineMetrics.isEmpty {
            field("offline metrics", v.offlineMetrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(Format.number($0.value, 4))" }.joined(separator: ", "))
        }
        if !v.inputs.isEmpty {
            field("inputs", v.inputs.map { "\($0.name) \($0.datatype) \($0.shape)" + ($0.features.map { " (\($0.count) features)" } ?? "") }.joined(separator: "; "))
        }
        if !v.outputs.isEmpty { field("outputs", v.outputs.map { "\($0.name) \($0.datatype) \($0.shape)" }.joined(separator: "; ")) }
        field("profile", v.referenceProfileDigest ?? "none (upload one with `droverctl versions profile`)")
        if let run = v.trainingRunID { field("training run", run) }
        if let at = v.createdAt { field("created", RFC3339.format(at) + (v.createdBy.map { " by \($0)" } ?? "")) }
        if let lineage, !(lineage.ancestors.isEmpty && lineage.descendants.isEmpty) {
            lines.append("")
            lines.append("lineage:")
            var table = TextTable(header: ["  VERSION", "RELATION", "METHOD", "STATUS", "PRECISION", "SIZE", "RATIO"], rightAligned: [5, 6])
            for node in lineage.ancestors.reversed() { table.append(row(node, relation: node.depth == -1 ? "parent" : "ancestor")) }
            table.append(row(lineage.version, relation: "this"))
            for node in lineage.descendants { table.append(row(node, relation: node.depth == 1 ? "child" : "descendant")) }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    private func row(_ node: LineageNodeView, relation: String) -> [String] {
        [
            "  " + node.version, relation, node.method.map { "\($0.rawValue) of \(node.derivedFrom ?? "?")" } ?? "-",
            node.status?.rawValue ?? "-", node.footprint?.precision ?? "-", Format.bytes(node.footprint?.bytes),
            node.compressionRatio.map { Format.number($0, 2) + "×" } ?? "-",
        ]
    }
}

/// `versions alias MODEL VERSION ALIAS`.
public struct VersionsAlias: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Point an alias (stable, candidate, baseline, previous) at a version.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Argument(help: "Model name.") public var model: String
    /// Version.
    @Argument(help: "Version.") public var version: String
    /// Alias.
    @Argument(help: "Alias: stable, candidate, baseline or previous.") public var alias: String
    /// Promote to stable although the version's training run is flagged (audited).
    @Flag(help: "Make the version stable although its training run was flagged unhealthy (written to the audit log).")
    public var overrideTrainingFlag = false
    /// JSON output.
    @Flag(help: "Print the updated version as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// A confirmation sentence.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let v = try await client.call(needs: "operator or admin") { c throws(DroverClientError) in
            try await c.setAlias(model: model, version: version, alias: alias, overrideTrainingFlag: overrideTrainingFlag)
        }
        if json { return try JSONOutput.render(v) }
        return "\(v.model)/\(v.version) is now \(alias) (aliases: \(v.aliases.sorted().joined(separator: ", ")))"
    }
}

/// `versions retire MODEL VERSION`.
public struct VersionsRetire: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(commandName: "retire", abstract: "Retire a version.")

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Argument(help: "Model name.") public var model: String
    /// Version.
    @Argument(help: "Version.") public var version: String
    /// JSON output.
    @Flag(help: "Print the updated version as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// A confirmation sentence.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let v = try await client.call(needs: "operator or admin") { c throws(DroverClientError) in
            try await c.retireVersion(model: model, version: version)
        }
        if json { return try JSONOutput.render(v) }
        return "\(v.model)/\(v.version) is \(v.status.rawValue)"
    }
}

/// Parent bytes / child bytes, when both are known.
func compressionRatio(parent: ModelVersion?, child: ModelVersion) -> Double? {
    ratio(parent?.footprint?.bytes, child.footprint?.bytes)
}

func ratio(_ a: Int?, _ b: Int?) -> Double? {
    guard let a, let b, a > 0, b > 0 else { return nil }
    return Double(a) / Double(b)
}

/// Sorts numeric versions numerically ("2" before "10"), others by text after them.
func versionKey(_ version: String) -> String {
    if let n = Int(version), n >= 0 { return String(repeating: "0", count: max(0, 12 - String(n).count)) + String(n) }
    return "~" + version
}

import ArgumentParser
import DroverAPI
import DroverStats

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `versions profile MODEL VERSION --from-csv FILE`: builds a reference profile from training data and uploads it.
public struct VersionsProfile: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Build a reference profile from a training-data sample (CSV or JSON Lines) and upload it.",
        discussion: """
            Numeric columns get quantile bin edges (--bins) and reference counts; other columns (or those named in \
            --categorical) get their most frequent categories (--top) plus "__other__". Columns named in --outputs \
            are model outputs (e.g. score); --exclude drops columns such as labels. Agents count live traffic over \
            these bins, so the control plane can add counts across the fleet.
            Example: droverctl versions profile ranker 1 --from-csv train.csv --outputs score --exclude label
            """)

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Model.
    @Argument(help: "Model name.") public var model: String
    /// Version.
    @Argument(help: "Version.") public var version: String
    /// Input file.
    @Option(name: .customLong("from-csv"), help: "Training-data sample: CSV with a header, or JSON Lines (.jsonl).")
    public var file: String
    /// Bins per numeric feature.
    @Option(help: "Quantile bins per numeric column.") public var bins = 10
    /// Categories kept per categorical feature.
    @Option(help: "Most frequent categories kept per categorical column (the rest count as __other__).") public var top = 20
    /// Forced categorical columns.
    @Option(help: "Comma-separated columns to treat as categorical even if numeric.") public var categorical: String?
    /// Output columns.
    @Option(help: "Comma-separated columns that are model outputs (default: score if present).") public var outputs: String?
    /// Excluded columns.
    @Option(help: "Comma-separated columns to leave out (default: label if present).") public var exclude: String?
    /// Write the profile instead of uploading.
    @Flag(help: "Print the profile as JSON instead of uploading it.") public var dryRun = false

    /// Creates the command.
    public init() {}

    /// Builds the profile from the file.
    public func profile() throws(CLIError) -> ReferenceProfile {
        let table: DataTable
        do {
            table = try TableLoader.load(file)
        } catch {
            throw .usage("\(error)")
        }
        let list: (String?) -> Set<String>? = { $0.map { Set($0.split(separator: ",").map { String($0).trimmingSpaces() }) } }
        let outputNames = list(outputs) ?? ["score"]
        let excluded = list(exclude) ?? ["label"]
        let forcedCategorical = list(categorical) ?? []
        var features: [FeatureProfile] = []
        var outs: [FeatureProfile] = []
        for (c, name) in table.columns.enumerated() where !excluded.contains(name) {
            let entry: FeatureProfile?
            if !forcedCategorical.contains(name), let values = table.numbers(column: c) {
                guard !values.isEmpty else { continue }
                do {
                    let numericBins = try NumericBins.quantileEdges(of: values, bins: bins)
                    if numericBins.edges.isEmpty {
                        // A constant column: one edge just above the value keeps the profile valid.
                        let edges = [values[0] + max(abs(values[0]) * 1e-9, 1e-9)]
                        entry = FeatureProfile(
                            name: name, kind: .numeric, n: values.count, edges: edges,
                            counts: try NumericBins(edges: edges).counts(values))
                    } else {
                        entry = FeatureProfile(
                            name: name, kind: .numeric, n: values.count, edges: numericBins.edges,
                            counts: try numericBins.counts(values))
                    }
                } catch {
                    throw .usage("\(file): column \(name): \(error)")
                }
            } else {
                let counts = table.valueCounts(column: c)
                guard !counts.isEmpty else { continue }
                let kept = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(top).map(\.key).sorted()
                let other = counts.filter { !kept.contains($0.key) }.values.reduce(0, +)
                entry = FeatureProfile(
                    name: name, kind: .categorical, n: counts.values.reduce(0, +), counts: kept.map { counts[$0]! } + [other],
                    categories: kept)
            }
            guard let entry else { continue }
            if outputNames.contains(name) { outs.append(entry) } else { features.append(entry) }
        }
        guard !features.isEmpty else { throw .usage("\(file) has no usable feature columns") }
        return ReferenceProfile(model: model, version: version, features: features, outputs: outs)
    }

    /// Builds and uploads (or prints) the profile.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let built = try profile()
        if dryRun { return try JSONOutput.render(built) }
        let digest = try await client.call(needs: "operator or admin") { c throws(DroverClientError) in
            try await c.putReferenceProfile(built)
        }
        return "uploaded the reference profile of \(model)/\(version): \(built.features.count) features, "
            + "\(built.outputs.count) outputs, \(built.features.first?.n ?? 0) rows" + (digest.map { " (\($0))" } ?? "")
    }
}

import ArgumentParser
import DroverAPI
import Foundation
import RefModel

/// `describe`: each version's size and precision, and how its scores differ from the float32 baseline.
struct Describe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each version's parameters, bytes and precision, and its fidelity versus float32.")

    @Option(help: "Seed of the generated sample.") var seed: UInt64 = 2026
    @Option(help: "Number of generated queries (10–50 items each).") var queries = 400
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let rows = VersionComparison.compareAll(seed: seed, queries: queries)
        if json {
            print(String(decoding: try DroverJSON.encode(rows, pretty: true), as: UTF8.self))
            return
        }
        print(
            "model \(RefModelCatalog.modelName): \(FeatureSchema.ranker.width) features → MLP \(RankerModel.inputWidth)-\(RankerModel.hiddenWidth)-1; sample: \(queries) queries, seed \(seed)"
        )
        let header = [
            "version", "precision", "params", "non-zero", "bytes", "× f32", "mean|Δ|", "max|Δ|", "top10∩", "ROC AUC",
            "NDCG@10",
        ]
        var table = [header]
        for row in rows {
            table.append([
                row.version, row.precision, "\(row.parameterCount)", "\(row.nonZeroParameterCount)", "\(row.bytes)",
                format(row.bytesRatio, 3), format(row.meanAbsDiff, 5), format(row.maxAbsDiff, 5),
                format(row.top10Overlap, 3),
                format(row.rocAUC, 4), format(row.ndcgAt10, 4),
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            print(
                line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "))
        }
        for row in rows { print("  \(row.version): \(row.summary)") }
    }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

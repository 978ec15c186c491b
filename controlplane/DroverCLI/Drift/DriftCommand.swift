import ArgumentParser
import DroverStats

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `droverctl drift`: an offline drift report between two CSV or JSON Lines files.
public struct DriftCommand: AsyncParsableCommand {
    /// Output formats.
    public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Machine-readable JSON (schema_version 1).
        case json
        /// An aligned text table for people.
        case table
        /// A self-contained HTML page with a chart per column.
        case html
    }

    /// Command name, help and examples.
    public static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare two data files column by column and report drift.",
        discussion: """
            Numeric columns (every value a finite number) are compared with PSI and Jensen-Shannon over the
            reference's decile bins, Wasserstein-1 and the two-sample KS test; other columns with PSI, JS and a
            chi-square test over the categories. A column is drift when its test is significant after
            Benjamini-Hochberg across columns AND its effect (PSI, KS D) is large; fewer than --min-samples values
            on a side give insufficient_data. Empty fields (JSON null) are missing values.
            Exit status: 0 on success (whatever the verdicts), 2 on bad input.
            Example: droverctl drift --reference train.csv --current last-week.csv --format html --output drift.html
            """
    )

    /// Reference data file.
    @Option(name: .long, help: "Reference data (e.g. training data): CSV or JSON Lines (.jsonl).")
    public var reference: String

    /// Current data file.
    @Option(name: .long, help: "Current data (e.g. last week's traffic): CSV or JSON Lines (.jsonl).")
    public var current: String

    /// Output format.
    @Option(name: .long, help: "Output format: json, table or html.")
    public var format: OutputFormat = .table

    /// Columns forced to be categorical.
    @Option(name: .long, help: "Comma-separated columns to treat as categorical even if numeric (e.g. ids, codes).")
    public var categorical: String?

    /// Columns to compare.
    @Option(name: .long, help: "Comma-separated columns to compare (default: every column of the reference).")
    public var columns: String?

    /// Output file.
    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    public var output: String?

    /// False discovery rate.
    @Option(name: .long, help: "False discovery rate for the tests across columns.")
    public var alpha: Double = DriftPolicy.default.alpha

    /// PSI warn threshold.
    @Option(name: .customLong("psi-warn"), help: "PSI at which a column is worth a warning.")
    public var psiWarn: Double = DriftPolicy.default.psiWarn

    /// PSI drift threshold.
    @Option(name: .customLong("psi-drift"), help: "PSI at which a significant column is drift.")
    public var psiDrift: Double = DriftPolicy.default.psiDrift

    /// Minimum values per side.
    @Option(name: .customLong("min-samples"), help: "Minimum values per side; fewer gives insufficient_data.")
    public var minSamples: Int = DriftPolicy.default.minSampleSize

    /// Creates the command (ArgumentParser fills the options).
    public init() {}

    /// Parses command-line arguments (without the command name) into a command, for tests and embedding.
    public static func from(arguments: [String]) throws -> DriftCommand {
        try parse(arguments)
    }

    /// Validates option values.
    public func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        guard psiWarn >= 0 && psiDrift >= psiWarn else { throw ValidationError("need 0 <= --psi-warn <= --psi-drift") }
        guard minSamples >= 1 else { throw ValidationError("--min-samples must be at least 1") }
    }

    /// The options as a `DriftOptions` value.
    public var options: DriftOptions {
        var policy = DriftPolicy.default
        policy.alpha = alpha
        policy.psiWarn = psiWarn
        policy.psiDrift = psiDrift
        policy.minSampleSize = minSamples
        return DriftOptions(
            categorical: Set(Self.list(categorical) ?? []), columns: Self.list(columns), policy: policy)
    }

    /// Loads both files (in parallel), builds the report and renders it in the chosen format.
    public func render() async throws(InputError) -> String {
        let referencePath = reference
        let currentPath = current
        async let r = Result { () throws(InputError) -> DataTable in try TableLoader.load(referencePath) }
        async let c = Result { () throws(InputError) -> DataTable in try TableLoader.load(currentPath) }
        let (referenceTable, currentTable) = (await r, await c)
        let report = try await DriftReport.build(
            reference: referenceTable.get(), current: currentTable.get(), options: options)
        switch format {
        case .json: return report.json() + "\n"
        case .table: return report.table()
        case .html: return report.html()
        }
    }

    /// Runs the command: exit 0 with the report, or exit 2 with a message on standard error.
    public func run() async throws {
        let text: String
        do {
            text = try await render()
        } catch {
            Self.printError("droverctl drift: error: \(error.description)")
            throw ExitCode(2)
        }
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                Self.printError("droverctl drift: error: cannot write \(output): \(error)")
                throw ExitCode(2)
            }
        } else {
            print(text, terminator: "")
        }
    }

    static func list(_ value: String?) -> [String]? {
        guard let value else { return nil }
        let items = value.split(separator: ",").map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        .filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }

    static func printError(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }
}

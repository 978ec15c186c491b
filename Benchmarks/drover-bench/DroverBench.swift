import ArgumentParser

/// `drover-bench`: benchmarks printed as `name<TAB>value<TAB>unit` lines, compared with baselines by Benchmarks/run.sh.
struct DroverBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drover-bench",
        abstract: "Drover benchmarks (statistics; other sections add their subcommands).",
        subcommands: [
            StatsBenchmark.self, LoadBenchmark.self, DecodeBenchmark.self, ValidateBenchmark.self, StoreBenchmark.self,
        ]
    )
}

import ArgumentParser
import CurlTransport
import DroverAPI
import Foundation
import RefModel

/// `traffic`: the seeded traffic generator.
struct Traffic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Generate seeded shop traffic: infer against a server, send events/labels to an agent, or write files.",
        discussion: """
            Live: --server URL sends OIP v2 inference requests; --agent URL posts prediction events to /v1/events \
            and, after --label-delay, click/purchase labels to /v1/labels. Without --server the scores come from \
            the built-in model (--local-version). --write-events/--write-labels write JSON Lines instead of (or as \
            well as) posting. --write-golden and --write-reference write offline files; given alone, they are \
            written and nothing is sent.
            """)

    @Option(help: "OIP v2 server base URL, e.g. http://127.0.0.1:8000 (omit to score in-process).") var server: String?
    @Option(help: "Model name.") var model = RefModelCatalog.modelName
    @Option(help: "Version to address (default: the server's default version).") var version: String?
    @Option(help: "Version used to score in-process when --server is not given.") var localVersion = "1"
    @Option(help: "Drover agent base URL, e.g. http://127.0.0.1:7070 (events to /v1/events, labels to /v1/labels).")
    var agent: String?
    @Option(help: "Seed of the query stream.") var seed: UInt64 = 1
    @Option(help: "Queries per second (0: as fast as answers come).") var rate = 20.0
    @Option(help: "Stop after this many queries.") var count: Int?
    @Option(help: "Stop after this long, e.g. 90s, 5m.") var duration: String?
    @Option(help: "Scenario shift: seasonal, inflation or new_device.") var shift: String?
    @Option(help: "When the shift starts: a query count (300) or a time (30s, 2m). Default: from the start.")
    var shiftAfter: String?
    @Option(help: "Delay before labels are delivered, e.g. 5s.") var labelDelay = "5s"
    @Option(help: "Events per query (scores and items ranked) or per item (with 0/1 labels): query | item.")
    var granularity = "query"
    @Option(help: "Most events per POST.") var batch = 50
    @Option(help: "Progress line interval, e.g. 5s.") var progressEvery = "5s"
    @Option(help: "HTTP timeout per request, e.g. 10s.") var timeout = "10s"
    @Option(help: "Write prediction events as JSON Lines to this file.") var writeEvents: String?
    @Option(help: "Write label events as JSON Lines to this file.") var writeLabels: String?
    @Option(help: "Write a golden set (JSON Lines of GoldenRecord) to this file.") var writeGolden: String?
    @Option(help: "Queries in the golden set (10–20 items each).") var goldenQueries = 200
    @Option(help: "Write a training-data sample (CSV: features, label, score) to this file.") var writeReference:
        String?
    @Option(help: "Rows in the training-data sample.") var referenceRows = 5000

    func run() async throws {
        let offlineOnly =
            (writeGolden != nil || writeReference != nil) && server == nil && agent == nil
            && writeEvents == nil && writeLabels == nil
        if let writeGolden {
            let lines = try TrafficFiles.goldenSet(seed: seed, queries: goldenQueries).map {
                try TrafficFiles.jsonLine($0)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: writeGolden, atomically: true, encoding: .utf8)
            print("wrote \(lines.count) golden records (\(goldenQueries) queries) to \(writeGolden)")
        }
        if let writeReference {
            try TrafficFiles.referenceCSV(seed: seed, rows: referenceRows).write(
                toFile: writeReference, atomically: true, encoding: .utf8)
            print("wrote \(referenceRows) reference rows to \(writeReference)")
        }
        if offlineOnly { return }

        var options = TrafficOptions()
        options.seed = seed
        options.model = model
        options.rate = rate
        options.count = count
        options.duration = try duration.map { try parseDuration($0, "--duration") }
        if let shift {
            guard let parsed = TrafficShift(rawValue: shift) else {
                throw ValidationError("--shift must be seasonal, inflation or new_device; got \"\(shift)\"")
            }
            options.shift = parsed
        }
        if let shiftAfter {
            guard let trigger = ShiftTrigger(parsing: shiftAfter) else {
                throw ValidationError(
                    "--shift-after must be a query count (300) or a duration (30s, 2m); got \"\(shiftAfter)\"")
            }
            options.shiftTrigger = trigger
        }
        options.labelDelay = try parseDuration(labelDelay, "--label-delay")
        guard let granularity = EventGranularity(rawValue: granularity) else {
            throw ValidationError("--granularity must be query or item")
        }
        options.granularity = granularity
        options.batchSize = max(1, batch)
        options.progressInterval = try parseDuration(progressEvery, "--progress-every")
        if options.count == nil, options.duration == nil {
            print("no --count or --duration: running until interrupted")
        }
        let requestTimeout = try parseDuration(timeout, "--timeout")

        var transport: CurlTransport?
        if server != nil || agent != nil {
            try CurlGlobal.initialize()
            transport = try CurlTransport()
        }
        let scorer: any TrafficScorer
        if let server, let transport {
            scorer = OIPScorer(
                transport: transport, baseURL: server, model: model, version: version, timeout: requestTimeout)
        } else {
            guard let local = RefModelCatalog.version(localVersion) else {
                throw ValidationError(
                    "--local-version must be one of \(RefModelCatalog.versionIDs.joined(separator: ", "))")
            }
            scorer = LocalScorer(version: local)
        }
        var sinks: [any TrafficSink] = []
        if let agent, let transport {
            sinks.append(AgentSink(transport: transport, baseURL: agent, timeout: requestTimeout))
        }
        if writeEvents != nil || writeLabels != nil {
            sinks.append(try JSONLinesSink(eventsPath: writeEvents, labelsPath: writeLabels))
        }
        if sinks.isEmpty { print("no --agent, --write-events or --write-labels: events are generated and dropped") }

        let runner = TrafficRunner(
            options: options, scorer: scorer, sink: FanOutSink(sinks), clock: ContinuousClock(),
            progress: { progress in print(progress.description) })
        let summary = try await runner.run()
        print(
            "done: \(summary.queries) queries, \(summary.predictions) prediction events, \(summary.labels) label events"
        )
    }

    private func parseDuration(_ text: String, _ flag: String) throws -> Duration {
        guard
            case .afterSeconds(let seconds)? = ShiftTrigger(
                parsing: text.hasSuffix("s") || text.hasSuffix("m") || text.hasSuffix("h") ? text : text + "s")
        else { throw ValidationError("\(flag) must be a duration like 500ms, 5s, 2m; got \"\(text)\"") }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

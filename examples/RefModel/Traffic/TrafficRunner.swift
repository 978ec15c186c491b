import DroverAPI
import Foundation

/// What a traffic run does: how much, how fast, which shift from when, where labels go and how late.
public struct TrafficOptions: Sendable, Equatable {
    /// The seed of the query stream (same seed ⇒ same queries).
    public var seed: UInt64 = 1
    /// The model name written into events.
    public var model: String = RefModelCatalog.modelName
    /// Queries per second; 0 sends as fast as answers come.
    public var rate: Double = 20
    /// Stop after this many queries (nil: no limit).
    public var count: Int?
    /// Stop after this long (nil: no limit). With neither limit the run goes on until cancelled.
    public var duration: Duration?
    /// The scenario shift, if any.
    public var shift: TrafficShift?
    /// When the shift starts.
    public var shiftTrigger: ShiftTrigger = .afterRequests(0)
    /// How long after a prediction its labels are delivered.
    public var labelDelay: Duration = .seconds(5)
    /// One event per query or per item.
    public var granularity: EventGranularity = .query
    /// The most events per delivery.
    public var batchSize: Int = 50
    /// How often buffered predictions are delivered even when the batch is not full.
    public var flushInterval: Duration = .seconds(1)
    /// How often progress is reported.
    public var progressInterval: Duration = .seconds(5)

    /// The defaults.
    public init() {}
}

/// Counters of a traffic run, reported as progress and at the end.
public struct TrafficProgress: Sendable, Equatable, CustomStringConvertible {
    /// Queries generated.
    public var queries = 0
    /// Queries generated with the shift applied.
    public var shiftedQueries = 0
    /// Inference requests that failed (the query then has no events).
    public var inferErrors = 0
    /// Prediction events delivered.
    public var predictions = 0
    /// Label events delivered.
    public var labels = 0
    /// Deliveries that failed (their events are dropped).
    public var deliveryErrors = 0
    /// Mean inference latency seen by the generator, in milliseconds.
    public var meanLatencyMs = 0.0
    /// Seconds since the start.
    public var elapsedSeconds = 0.0
    /// The last error met, for the progress line.
    public var lastError: String?

    /// One progress line.
    public var description: String {
        var line = String(
            format:
                "%.1fs queries=%d (shifted %d) infer_errors=%d predictions=%d labels=%d delivery_errors=%d latency=%.2fms",
            elapsedSeconds, queries, shiftedQueries, inferErrors, predictions, labels, deliveryErrors, meanLatencyMs)
        if let lastError { line += " last_error=\(lastError)" }
        return line
    }
}

/// Runs the generator: paced queries → scorer → prediction events now, sampled labels after a delay → sink.
public struct TrafficRunner<C: Clock>: Sendable where C.Duration == Duration {
    /// The run's options.
    public let options: TrafficOptions
    private let scorer: any TrafficScorer
    private let sink: any TrafficSink
    private let clock: C
    private let progress: @Sendable (TrafficProgress) -> Void

    /// Creates a runner; `progress` is called every `progressInterval` and once at the end.
    public init(
        options: TrafficOptions, scorer: any TrafficScorer, sink: any TrafficSink, clock: C,
        progress: @escaping @Sendable (TrafficProgress) -> Void = { _ in }
    ) {
        self.options = options
        self.scorer = scorer
        self.sink = sink
        self.clock = clock
        self.progress = progress
    }

    /// Runs until the count or duration is reached (or the task is cancelled), delivers the remaining labels, returns the counters.
    public func run() async throws -> TrafficProgress {
        var generator = TrafficGenerator(seed: options.seed)
        var outcomes = OutcomeSampler(seed: options.seed)
        var stats = TrafficProgress()
        var latencySum = 0.0
        var pendingPredictions: [PredictionEvent] = []
        var pendingLabels: [(due: C.Instant, labels: [LabelEvent])] = []
        let start = clock.now
        var lastFlush = start
        var lastProgress = start
        let interval: Duration? = options.rate > 0 ? .seconds(1 / options.rate) : nil

        func elapsed() -> Duration { start.duration(to: clock.now) }
        // Sends events in batches of `batchSize`, counting failed batches; returns how many events went out.
        func deliverInBatches<Event>(_ events: [Event], _ send: ([Event]) async throws -> Void) async -> Int {
            let size = max(1, options.batchSize)
            var delivered = 0
            for chunk in stride(from: 0, to: events.count, by: size) {
                let batch = Array(events[chunk..<min(chunk + size, events.count)])
                do {
                    try await send(batch)
                    delivered += batch.count
                } catch {
                    stats.deliveryErrors += 1
                    stats.lastError = "\(error)"
                }
            }
            return delivered
        }
        func deliver(predictions: [PredictionEvent]) async {
            let delivered = await deliverInBatches(predictions) { try await sink.deliver(predictions: $0) }
            stats.predictions += delivered
        }
        func deliver(labels: [LabelEvent]) async {
            let delivered = await deliverInBatches(labels) { try await sink.deliver(labels: $0) }
            stats.labels += delivered
        }
        func flushDueLabels(all: Bool) async {
            let now = clock.now
            let due = pendingLabels.filter { all || $0.due <= now }
            pendingLabels.removeAll { all || $0.due <= now }
            guard !due.isEmpty else { return }
            // A label never goes out before the prediction it belongs to.
            if !pendingPredictions.isEmpty {
                await deliver(predictions: pendingPredictions)
                pendingPredictions.removeAll()
                lastFlush = now
            }
            await deliver(labels: due.flatMap(\.labels))
        }

        var index = 0
        while !Task.isCancelled {
            if let count = options.count, index >= count { break }
            if let duration = options.duration, elapsed() >= duration { break }
            if let interval {
                let target = start.advanced(by: interval * index)
                if clock.now < target {
                    do { try await clock.sleep(until: target, tolerance: nil) } catch { break }
                }
            }
            let since = elapsed()
            let shifted =
                options.shift != nil
                && options.shiftTrigger.isActive(requestIndex: index, elapsedSeconds: since.seconds)
            let query = generator.nextQuery(shift: shifted ? options.shift : nil)
            index += 1
            stats.queries += 1
            if shifted { stats.shiftedQueries += 1 }
            do {
                let answer = try await scorer.score(query)
                latencySum += answer.latencyMs
                let at = RFC3339.format(Date())
                pendingPredictions += TrafficEvents.predictions(
                    for: query, scores: answer.scores, model: options.model, version: answer.version, at: at,
                    latencyMs: answer.latencyMs, granularity: options.granularity)
                let sampled = outcomes.outcomes(for: query, scores: answer.scores)
                let labelAt = RFC3339.format(Date().addingTimeInterval(options.labelDelay.seconds))
                let labels = TrafficEvents.labels(
                    for: query, outcomes: sampled, at: labelAt, granularity: options.granularity)
                if !labels.isEmpty { pendingLabels.append((clock.now.advanced(by: options.labelDelay), labels)) }
            } catch is CancellationError {
                break
            } catch {
                stats.inferErrors += 1
                stats.lastError = "\(error)"
            }
            let now = clock.now
            if pendingPredictions.count >= options.batchSize || lastFlush.duration(to: now) >= options.flushInterval {
                await deliver(predictions: pendingPredictions)
                pendingPredictions.removeAll()
                lastFlush = now
            }
            await flushDueLabels(all: false)
            if lastProgress.duration(to: now) >= options.progressInterval {
                lastProgress = now
                stats.elapsedSeconds = elapsed().seconds
                stats.meanLatencyMs = latencySum / Double(max(1, stats.queries - stats.inferErrors))
                progress(stats)
            }
        }
        await deliver(predictions: pendingPredictions)
        pendingPredictions.removeAll()
        // Labels arrive late on purpose: wait for the last ones (unless cancelled), then deliver the rest.
        if let lastDue = pendingLabels.last?.due, !Task.isCancelled {
            try? await clock.sleep(until: lastDue, tolerance: nil)
        }
        await flushDueLabels(all: true)
        do { try await sink.finish() } catch {
            stats.deliveryErrors += 1
            stats.lastError = "\(error)"
        }
        stats.elapsedSeconds = elapsed().seconds
        stats.meanLatencyMs = latencySum / Double(max(1, stats.queries - stats.inferErrors))
        progress(stats)
        return stats
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

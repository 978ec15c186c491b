import ControlPlaneCore
import DroverTestKit
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// What a periodic service did, in order ("prepare", "round").
private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
    var rounds: Int { all.filter { $0 == "round" }.count }
}

@Suite("PeriodicService")
struct PeriodicServiceTests {
    private func service(
        _ clock: ManualClock, _ journal: Journal, first: PeriodicService<ManualClock>.FirstRound
    )
        -> PeriodicService<ManualClock>
    {
        PeriodicService(
            interval: .seconds(30), clock: clock, firstRound: first,
            prepare: { journal.record("prepare") },
            round: { journal.record("round") })
    }

    @Test("prepares, runs the first round at once, then one round per interval until cancelled")
    func immediately() async throws {
        let clock = ManualClock()
        let journal = Journal()
        let task = Task { try await service(clock, journal, first: .immediately).run() }
        try await clock.waitForSleepers(1)
        #expect(journal.all == ["prepare", "round"])
        clock.advance(by: .seconds(29))
        #expect(journal.rounds == 1)
        clock.advance(by: .seconds(1))
        try await Eventually.wait("second round") { journal.rounds == 2 }
        try await clock.waitForSleepers(1)
        task.cancel()
        try await task.value
        #expect(journal.all == ["prepare", "round", "round"])
    }

    @Test("with afterInterval the first round waits one interval")
    func afterInterval() async throws {
        let clock = ManualClock()
        let journal = Journal()
        let task = Task { try await service(clock, journal, first: .afterInterval).run() }
        try await clock.waitForSleepers(1)
        #expect(journal.all == ["prepare"])
        clock.advance(by: .seconds(30))
        try await Eventually.wait("first round") { journal.rounds == 1 }
        try await clock.waitForSleepers(1)
        task.cancel()
        try await task.value
        #expect(journal.all == ["prepare", "round"])
    }

    @Test("graceful shutdown during the sleep ends the service without another round")
    func gracefulShutdown() async throws {
        let clock = ManualClock()
        let journal = Journal()
        let group = ServiceGroup(
            services: [service(clock, journal, first: .immediately)],
            logger: Logger(label: "periodic-test"))
        let running = Task { try await group.run() }
        try await clock.waitForSleepers(1)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(journal.all == ["prepare", "round"])
    }

    @Test("a failing prepare ends the service with its error and runs no round")
    func prepareFails() async {
        struct Broken: Error {}
        let journal = Journal()
        let service = PeriodicService(
            interval: .seconds(1), clock: ManualClock(), prepare: { throw Broken() },
            round: { journal.record("round") })
        await #expect(throws: Broken.self) { try await service.run() }
        #expect(journal.rounds == 0)
    }

    @Test("loggingErrors logs a round's error with its message and does not rethrow it")
    func loggingErrors() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "no fleet data" } }
        let logged = Journal()
        let logger = Logger(label: "periodic-test") { _ in CapturingLogHandler(journal: logged) }
        let round = PeriodicService<ManualClock>.loggingErrors(logger, "evaluation failed") { throw Broken() }
        await round()
        await round()
        #expect(logged.all == ["evaluation failed error=no fleet data", "evaluation failed error=no fleet data"])
    }
}

/// Records each message with its metadata as "message key=value" lines.
private struct CapturingLogHandler: LogHandler {
    let journal: Journal
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        journal.record(([event.message.description] + fields).joined(separator: " "))
    }
}

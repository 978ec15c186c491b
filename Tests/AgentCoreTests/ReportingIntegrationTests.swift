import AgentCore
import DroverAPI
import DroverTestKit
import Logging
import Synchronization
import Testing

@Suite("Durable reporting against a local receiver")
struct ReportingIntegrationTests {
    func reporter(_ spool: ReportSpool, port: Int) -> ReporterService<ContinuousClock> {
        let client = DroverClient(transport: TestTransport.curl, baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(2))
        let credentials = AgentCredentials(
            client: client, enrollment: EnrollRequest(agentID: "a", model: "m"), configured: "t", enrollToken: nil,
            file: CredentialFile(path: "/nonexistent/credential"), logger: quietLogger())
        let link = DroverClientLink(client: client, agentID: "a", credentials: credentials)
        return ReporterService(
            spool: spool, link: link, clock: ContinuousClock(), batchSize: 3,
            backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(200)), idlePoll: .milliseconds(20),
            logger: quietLogger())
    }

    @Test("reports made while the receiver is down arrive exactly once after it returns")
    func downtime() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let spool = try ReportSpool(directory: dir.path, capacity: 100)
        let receiver = ReportReceiver()
        // "Down" answers 503 on the same port: closing and re-binding the port raced other tests in parallel runs
        // (a freed port can be taken meanwhile). Connection-refused downtime is covered end to end with real
        // processes (AgentControlPlaneEndToEndTests, AgentEndToEndTests).
        let down = DownSwitch()
        let handler: LocalHTTPHandler = { request in
            down.isDown ? .error(503, code: "unavailable", message: "receiver down for the test") : receiver.handle(request)
        }
        let server = try await LocalHTTPServer.bind(host: "127.0.0.1", port: 0, maxBodyBytes: 1 << 20, handler: handler)
        let port = server.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reporter(spool, port: port).run() }
            let serving = Task { try? await server.serve() }
            for i in 0..<5 { try await spool.append(sampleReport("before-\(i)")) }
            try await Eventually.wait(timeout: .seconds(10), "the first five arrive") { receiver.counts.count == 5 }

            down.isDown = true
            for i in 0..<7 { try await spool.append(sampleReport("during-\(i)")) }
            try await Task.sleep(for: .milliseconds(400))
            #expect(receiver.counts.count == 5)
            #expect(await spool.depth == 7)

            down.isDown = false
            try await Eventually.wait(timeout: .seconds(10), "all twelve arrive") { receiver.counts.count == 12 }
            try await Eventually.wait(timeout: .seconds(5), "the spool drains") { await spool.depth == 0 }
            #expect(receiver.counts.values.allSatisfy { $0 == 1 })
            #expect(receiver.ids.filter { $0.hasPrefix("during") } == (0..<7).map { "during-\($0)" }, "oldest first")
            group.cancelAll()
            await server.close()
            serving.cancel()
        }
    }

    @Test("the spool survives a restart of the agent library: a new agent sends what the old one wrote")
    func restart() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let receiver = ReportReceiver()
        // The receiver is bound first (and keeps its port); the first agent never runs a reporter.
        let bound = try await LocalHTTPServer.bind(host: "127.0.0.1", port: 0, maxBodyBytes: 1 << 20) { receiver.handle($0) }
        let port = bound.port
        let text = """
            agent: {id: a1, state_dir: \(dir.path)}
            server: {model: m, version: "2"}
            control_plane: {url: "http://127.0.0.1:\(port)"}
            listen: {port: 0}
            """
        let config = try AgentConfig.load(text: text, path: "agent.yaml")
        var written: [String] = []
        do {
            let first = try AgentAssembly(config: config, transport: TestTransport.curl, clock: ContinuousClock(), logger: quietLogger())
            for _ in 0..<3 { await first.runtime.closeWindow(force: true) }
            written = await first.spool.peek(limit: 10).map(\.id)
            #expect(written.count == 3)
        }
        let second = try AgentAssembly(config: config, transport: TestTransport.curl, clock: ContinuousClock(), logger: quietLogger())
        #expect(await second.spool.depth == 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await bound.serve() }
            group.addTask { try await reporter(second.spool, port: port).run() }
            try await Eventually.wait(timeout: .seconds(10), "the old reports arrive") { receiver.counts.count == 3 }
            group.cancelAll()
            await bound.close()
        }
        #expect(receiver.ids == written)
    }
}

/// A switch the downtime test flips to make its receiver answer 503.
private final class DownSwitch: Sendable {
    // The mutex guards the flag.
    private let state = Mutex(false)
    /// Whether the receiver is "down".
    var isDown: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

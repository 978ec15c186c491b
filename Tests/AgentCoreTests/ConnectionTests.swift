import AgentCore
import CurlTransport
import DroverAPI
import DroverTestKit
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A libcurl transport shared by the agent's tests that talk HTTP.
enum TestTransport {
    static let curl: CurlTransport = {
        try! CurlGlobal.initialize()
        return try! CurlTransport(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(5)))
    }()
}

/// A scripted control plane behind a `ClosureTransport`: enrol issues numbered credentials (`cred-1`, …), revoked ones
/// answer 401, and every request is recorded with the bearer token it carried.
final class FakeControlPlane: Sendable {
    struct State {
        var issued = 0
        var valid: Set<String> = []
        var enrollTokens: Set<String> = ["enrol-secret"]
        var requests: [(line: String, token: String?, body: [UInt8])] = []
        var desired: [TransportResponse] = []
        var observedStatus = 204
    }

    // The mutex guards the fake's state.
    let state = Mutex(State())

    var transport: ClosureTransport {
        ClosureTransport { [self] request in self.handle(request) }
    }

    var lines: [String] { state.withLock { $0.requests.map(\.line) } }
    var enrolments: Int { state.withLock { $0.requests.filter { $0.line == "POST /v1/agents/enroll" }.count } }

    func revokeAll() { state.withLock { $0.valid.removeAll() } }

    func handle(_ request: TransportRequest) -> TransportResponse {
        let path = String(request.url.dropFirst("http://cp.test".count).prefix { $0 != "?" })
        let token = request.bearerToken
        return state.withLock { s in
            s.requests.append(("\(request.method) \(path)", token, request.body ?? []))
            if path == APIPath.enroll {
                guard let token, s.enrollTokens.contains(token) else {
                    return TransportResponse(status: 401, text: #"{"error":{"code":"unauthorized","message":"bad token"}}"#)
                }
                s.issued += 1
                let credential = "cred-\(s.issued)"
                s.valid = [credential]  // re-enrolling revokes the previous credential
                let request = try! DroverJSON.decode(EnrollRequest.self, from: request.body ?? [])
                return TransportResponse(
                    status: 201, body: try! DroverJSON.encode(EnrollResponse(agentID: request.agentID, token: credential)))
            }
            guard let token, s.valid.contains(token) else {
                return TransportResponse(status: 401, text: #"{"error":{"code":"unauthorized","message":"unknown token"}}"#)
            }
            if path.hasSuffix("/heartbeat") { return TransportResponse(status: 204) }
            if path.hasSuffix("/observed") { return TransportResponse(status: s.observedStatus) }
            if path.hasSuffix("/desired") {
                return s.desired.isEmpty ? TransportResponse(status: 204) : s.desired.removeFirst()
            }
            return TransportResponse(status: 404, text: #"{"error":{"code":"not_found","message":"no route"}}"#)
        }
    }
}

@Suite("Connecting the agent: configuration, enrolment, credential, desired-state answers")
struct ConnectionTests {
    static let base = """
        agent: {id: node-a/ranker-0, labels: {zone: eu-1, pool: search}}
        server: {model: ranker, version: "2"}
        """

    @Test("enrolment keys: an enrol token alone is accepted, the heartbeat interval defaults to 30 s")
    func enrolConfig() throws {
        let config = try AgentConfig.load(
            text: Self.base + "\ncontrol_plane: {url: \"http://cp:8480\", enroll_token: drv_enrol, heartbeat_interval: 2s}",
            path: "agent.yaml")
        #expect(config.controlPlane.enrollToken == "drv_enrol")
        #expect(config.controlPlane.token == nil)
        #expect(config.controlPlane.heartbeatInterval == .seconds(2))
        let defaults = try AgentConfig.load(text: Self.base + "\ncontrol_plane: {url: \"http://cp:8480\"}", path: "agent.yaml")
        #expect(defaults.controlPlane.heartbeatInterval == .seconds(30))
        #expect(ConfigKey.named("control_plane.enroll_token_file")?.environmentVariable == "DROVER_CONTROL_PLANE_ENROLL_TOKEN_FILE")
    }

    @Test(
        "bad connection settings are rejected with the key and a reason",
        arguments: [
            ("control_plane: {url: \"http://cp:8480\", token: a, enroll_token: b}", "control_plane.enroll_token", "not both"),
            ("control_plane: {enroll_token: b}", "control_plane.enroll_token", "needs control_plane.url"),
            ("control_plane: {url: \"http://cp:8480\", enroll_token: \"a b\"}", "control_plane.enroll_token", "without spaces"),
            ("control_plane: {url: \"http://cp:8480\", heartbeat_interval: 10ms}", "control_plane.heartbeat_interval", "out of range"),
            ("control_plane: {url: \"http://cp:8480\", enroll_token_file: /nonexistent/enrol}", "control_plane.enroll_token_file",
             "cannot read"),
        ])
    func badConnection(line: String, key: String, reason: String) {
        #expect {
            _ = try AgentConfig.load(text: Self.base + "\n" + line, path: "agent.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.problems.contains { $0.key == key && $0.reason.contains(reason) }
        }
    }

    @Test("a label name the control plane would refuse is a configuration error")
    func badLabel() {
        #expect {
            _ = try AgentConfig.load(text: "agent: {id: a, labels: {\"zo ne\": eu}}\nserver: {model: m}", path: "agent.yaml")
        } throws: { error in
            (error as? ConfigError)?.problems.contains { $0.key == "agent.labels" && $0.reason.contains("zo ne") } ?? false
        }
    }

    func credentials(_ fake: FakeControlPlane, dir: ScratchDirectory, configured: String? = nil, enroll: String? = "enrol-secret")
        -> (AgentCredentials, DroverClientLink)
    {
        let client = DroverClient(transport: fake.transport, baseURL: "http://cp.test", timeout: .seconds(2))
        let credentials = AgentCredentials(
            client: client,
            enrollment: EnrollRequest(agentID: "node-a/ranker-0", model: "ranker", labels: ["zone": "eu-1"], agentVersion: "t"),
            configured: configured, enrollToken: enroll, file: CredentialFile(stateDirectory: dir.path), logger: quietLogger())
        return (credentials, DroverClientLink(client: client, agentID: "node-a/ranker-0", credentials: credentials))
    }

    @Test("with an enrol token the agent enrols once, stores the credential (0600) and uses it after a restart")
    func enrolOnce() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let fake = FakeControlPlane()
        let (credentials, link) = credentials(fake, dir: dir)
        // Several calls at once share one enrolment.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await link.heartbeat(Heartbeat(agentID: "node-a/ranker-0", version: "2")) } }
            try await group.waitForAll()
        }
        #expect(fake.enrolments == 1)
        #expect(await credentials.source == .enrolled)
        let beats = fake.state.withLock { $0.requests.filter { $0.line.hasSuffix("/heartbeat") } }
        #expect(beats.count == 4 && beats.allSatisfy { $0.token == "cred-1" })
        let enrolment = try #require(fake.state.withLock { $0.requests.first { $0.line == "POST /v1/agents/enroll" } })
        #expect(enrolment.token == "enrol-secret")
        #expect(try DroverJSON.decode(EnrollRequest.self, from: enrolment.body).labels == ["zone": "eu-1"])

        var info = stat()
        #expect(stat(dir.file("credential"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600, "mode \(String(info.st_mode & 0o777, radix: 8))")
        #expect(CredentialFile(stateDirectory: dir.path).load()?.token == "cred-1")

        // A restart reads the stored credential and does not enrol again.
        let (again, link2) = self.credentials(fake, dir: dir)
        #expect(await again.source == .stored)
        try await link2.heartbeat(Heartbeat(agentID: "node-a/ranker-0"))
        #expect(fake.enrolments == 1)
    }

    @Test("a rejected stored credential is replaced by enrolling again, and the call is retried once")
    func reenrolOn401() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let fake = FakeControlPlane()
        let (_, link) = credentials(fake, dir: dir)
        try await link.heartbeat(Heartbeat(agentID: "node-a/ranker-0"))
        fake.revokeAll()
        try await link.heartbeat(Heartbeat(agentID: "node-a/ranker-0"))
        #expect(fake.enrolments == 2)
        #expect(CredentialFile(stateDirectory: dir.path).load()?.token == "cred-2")
        #expect(fake.lines.suffix(3) == ["POST /v1/agents/node-a%2Franker-0/heartbeat", "POST /v1/agents/enroll",
                                         "POST /v1/agents/node-a%2Franker-0/heartbeat"])
    }

    @Test("a configured credential that is rejected is never replaced; the error keeps reports and says what to set")
    func configuredRejected() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let fake = FakeControlPlane()
        let (_, link) = credentials(fake, dir: dir, configured: "tok-Zq9x", enroll: nil)
        await #expect {
            try await link.heartbeat(Heartbeat(agentID: "node-a/ranker-0"))
        } throws: { error in
            guard let error = error as? LinkError else { return false }
            return error.retryable && error.status == 401 && error.message.contains("control_plane.token_file")
                && !error.message.contains("tok-Zq9x") && !error.message.contains("DROVER_TOKEN")
        }
        #expect(fake.enrolments == 0)
    }

    @Test("a wrong enrol token fails with advice and is retried later, never dropping anything")
    func wrongEnrolToken() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let fake = FakeControlPlane()
        let (_, link) = credentials(fake, dir: dir, enroll: "not-the-token")
        await #expect {
            try await link.postReports([SpooledReport(id: "r1", bytes: Array("{}".utf8))])
        } throws: { error in
            guard let error = error as? LinkError else { return false }
            return error.retryable && error.message.contains("enroll_token_file") && !error.message.contains("not-the-token")
        }
        #expect(!FileIO.exists(dir.file("credential")))
    }

    @Test("desired-state answers: 200 is a newer state, 204 nothing newer, 404 none set yet")
    func desiredAnswers() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let fake = FakeControlPlane()
        let state = DesiredState(agentID: "node-a/ranker-0", model: "ranker", version: "3", generation: 4, reason: "canary")
        fake.state.withLock {
            $0.desired = [
                TransportResponse(status: 200, body: try! DroverJSON.encode(state)), TransportResponse(status: 204),
                TransportResponse(status: 404, text: #"{"error":{"code":"not_found","message":"no desired state"}}"#),
            ]
        }
        let (_, link) = credentials(fake, dir: dir)
        #expect(try await link.desiredState(after: nil, wait: .seconds(1)) == .changed(state))
        #expect(try await link.desiredState(after: 4, wait: .seconds(1)) == .unchanged)
        #expect(try await link.desiredState(after: 4, wait: .seconds(1)) == .notSet)
        let polls = fake.state.withLock { $0.requests.filter { $0.line.hasSuffix("/desired") }.count }
        #expect(polls == 3)
    }
}

/// A link that serves scripted desired-state polls and records observed states (failing the first `failObserved`).
final class ScriptedLink: ControlPlaneLink {
    struct State {
        var polls: [DesiredPoll] = []
        var observed: [ObservedState] = []
        var failObserved = 0
        var pollCount = 0
    }

    // The mutex guards the script and the record.
    let state: Mutex<State>

    init(_ polls: [DesiredPoll], failObserved: Int = 0) { state = Mutex(State(polls: polls, failObserved: failObserved)) }

    var observed: [ObservedState] { state.withLock { $0.observed } }
    var pollCount: Int { state.withLock { $0.pollCount } }

    func postReports(_ reports: [SpooledReport]) async throws(LinkError) -> ReportAck {
        ReportAck(accepted: reports.map(\.id), duplicates: [])
    }

    func desiredState(after generation: Int64?, wait: Duration) async throws(LinkError) -> DesiredPoll {
        let next: DesiredPoll? = state.withLock { s in
            s.pollCount += 1
            return s.polls.isEmpty ? nil : s.polls.removeFirst()
        }
        if let next { return next }
        try? await Task.sleep(for: .milliseconds(20))
        return .unchanged
    }

    func putObserved(_ observed: ObservedState) async throws(LinkError) {
        let fail = state.withLock { s in
            if s.failObserved > 0 {
                s.failObserved -= 1
                return true
            }
            s.observed.append(observed)
            return false
        }
        if fail { throw LinkError(message: "control plane unreachable", retryable: true) }
    }

    func referenceProfile(model: String, version: String) async throws(LinkError) -> FetchedProfile? { nil }

    func heartbeat(_ heartbeat: Heartbeat) async throws(LinkError) {}
}

@Suite("Plan executor against scripted desired-state answers")
struct PlanServiceTests {
    func runtime(_ dir: ScratchDirectory, adapter: FakeAdapter, link: ScriptedLink) throws -> AgentRuntime<ContinuousClock> {
        let config = try AgentConfig.load(
            text: """
                agent: {id: a1, state_dir: \(dir.path)}
                server: {model: ranker, version: "1"}
                control_plane: {url: "http://cp.test", long_poll: 1s}
                reporting: {backoff_initial: 10ms, backoff_max: 20ms}
                """, path: "agent.yaml")
        return AgentRuntime(
            config: config,
            deps: .init(
                adapter: adapter, spool: try ReportSpool(directory: dir.file("spool"), capacity: 10), link: link,
                statistics: DroverStatsStatistics(), clock: ContinuousClock(), logger: quietLogger()))
    }

    static func desired(_ version: String, _ generation: Int64) -> DesiredState {
        DesiredState(agentID: "a1", model: "ranker", version: version, generation: generation, reason: "test")
    }

    @Test("404 and 204 are polled through; each newer generation is applied once and its observed state delivered")
    func appliesGenerations() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let adapter = FakeAdapter(version: "1")
        let link = ScriptedLink(
            [.notSet, .unchanged, .changed(Self.desired("2", 1)), .changed(Self.desired("2", 1)), .unchanged,
             .changed(Self.desired("3", 2))],
            failObserved: 1)
        let runtime = try runtime(dir, adapter: adapter, link: link)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await PlanService(runtime: runtime, link: link, notSetPause: .milliseconds(10)).run() }
            try await Eventually.wait(timeout: .seconds(20), "both generations observed") { link.observed.count == 2 }
            group.cancelAll()
        }
        #expect(adapter.switches == ["2", "3"])
        #expect(link.observed.map(\.generation) == [1, 2])
        #expect(link.observed.map(\.version) == ["2", "3"])
        #expect(link.observed.allSatisfy { $0.status == .applied && $0.error == nil })
    }

    @Test("a failed apply is reported as failed with the server adapter's error")
    func failedApply() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let adapter = FakeAdapter(version: "1")
        adapter.state.withLock { $0.failSwitch = "repository load of ranker version 9 answered HTTP 404" }
        let link = ScriptedLink([.changed(Self.desired("9", 3))])
        let runtime = try runtime(dir, adapter: adapter, link: link)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await PlanService(runtime: runtime, link: link).run() }
            try await Eventually.wait(timeout: .seconds(20), "the failure is observed") { !link.observed.isEmpty }
            group.cancelAll()
        }
        let observed = try #require(link.observed.first)
        #expect(observed.status == .failed)
        #expect(observed.version == "1")
        #expect(observed.generation == 3)
        #expect(observed.error?.contains("version 9 answered HTTP 404") == true)
    }
}

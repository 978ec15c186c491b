import CurlTransport
import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// Real processes only: `drover-controlplane serve` (temporary data dir, free port, bootstrap token file),
/// `drover-refserver` and `drover-agent` enrolling with an enrol token; `droverctl` sets the desired version.
@Suite("Agent connected to a real control plane", .serialized)
struct AgentControlPlaneEndToEndTests {
    let http: CurlTransport

    init() throws {
        try CurlGlobal.initialize()
        http = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(15)))
    }

    /// A running control plane and the tokens its first start wrote.
    struct ControlPlane {
        var process: ChildProcess
        var url: String
        var admin: String
        var enroll: String
    }

    /// Fleet health as far as these tests read it (the full contract lives in DroverAPI).
    struct Health: Decodable {
        struct Group: Decodable {
            struct Feature: Decodable {
                var name: String
                var n: Int
                /// Merged bin counts (numeric features; categorical ones may be shaped otherwise and are not read).
                var counts: [Int]?

                enum CodingKeys: String, CodingKey { case name, n, counts }

                init(from decoder: any Decoder) throws {
                    let c = try decoder.container(keyedBy: CodingKeys.self)
                    name = try c.decode(String.self, forKey: .name)
                    n = try c.decode(Int.self, forKey: .n)
                    counts = try? c.decode([Int].self, forKey: .counts)
                }
            }
            var version: String
            var zone: String
            var reports: Int
            var drift: [Feature]?
            var profileMismatches: Int?

            enum CodingKeys: String, CodingKey {
                case version, zone, reports, drift, profileMismatches = "profile_mismatches"
            }
        }
        var groups: [Group]
    }

    /// `GET /v1/agents/{id}` as far as these tests read it.
    struct Detail: Decodable {
        var agent: AgentInfo
        var agentVersion: String?
        var desired: DesiredState?
        var observed: ObservedState?

        enum CodingKeys: String, CodingKey { case agent, agentVersion = "agent_version", desired, observed }
    }

    /// The agent's stored credential file (`state_dir/credential`), as far as these tests read it.
    struct Credential: Decodable {
        var agentID: String
        var token: String

        enum CodingKeys: String, CodingKey { case agentID = "agent_id", token }
    }

    static let stateRoot = "agent-state"

    func startControlPlane(_ dir: TemporaryDirectory, port: Int) async throws -> ControlPlane {
        let tokenFile = dir.appending("tokens.env")
        let process = try ChildProcess(
            product: "drover-controlplane",
            arguments: [
                "serve", "--listen", "127.0.0.1:\(port)", "--data-dir", dir.appending("data").path,
                "--bootstrap-token-file", tokenFile.path,
            ],
            environment: ["DROVER_STALE_AFTER_SECONDS": "3", "DROVER_LOST_AFTER_SECONDS": "600", "DROVER_LOG_LEVEL": "warning"])
        try await process.waitForFile(tokenFile, timeout: .seconds(30))
        let url = "http://127.0.0.1:\(port)"
        try await Eventually.wait(timeout: .seconds(30), "the control plane answers /healthz") {
            (try? await http.send(.get(url + "/healthz")))?.status == 200
        }
        let tokens = try String(contentsOf: tokenFile, encoding: .utf8).split(separator: "\n")
        func token(_ name: String) throws -> String {
            String(try #require(tokens.first { $0.hasPrefix(name + "=") }).dropFirst(name.count + 1))
        }
        return ControlPlane(process: process, url: url, admin: try token("DROVER_ADMIN_TOKEN"), enroll: try token("DROVER_ENROLL_TOKEN"))
    }

    func startRefServer(_ dir: TemporaryDirectory) async throws -> (ChildProcess, String) {
        let portFile = dir.appending("refserver.port")
        let process = try ChildProcess(
            product: "drover-refserver", arguments: ["serve", "--port", "0", "--port-file", portFile.path, "--log-level", "warning"])
        return (process, "http://127.0.0.1:\(try await AgentEndToEndTests.readPort(portFile))")
    }

    func startAgent(_ dir: TemporaryDirectory, config: String) async throws -> (ChildProcess, String) {
        let file = try dir.write(config, to: "agent.yaml")
        let portFile = dir.appending("agent.port")
        try? FileManager.default.removeItem(at: portFile)
        let process = try ChildProcess(product: "drover-agent", arguments: ["run", "--config", file.path, "--port-file", portFile.path])
        return (process, "http://127.0.0.1:\(try await AgentEndToEndTests.readPort(portFile))")
    }

    func agentConfig(_ dir: TemporaryDirectory, controlPlane: String, server: String, version: String, extra: String) -> String {
        """
        agent:
          id: e2e/ranker-0
          state_dir: \(dir.appending(Self.stateRoot).path)
          log_level: debug
          labels: {zone: eu-1, node: node-a, pool: search}
        control_plane:
          url: "\(controlPlane)"
          enroll_token_file: \(dir.appending("enroll.token").path)
          heartbeat_interval: 500ms
          long_poll: 2s
          timeout: 3s
        server:
          kind: oip
          url: \(server)
          model: ranker
          version: "\(version)"
          timeout: 2s
          feature_order: [price, discount, category, popularity, text_similarity, user_activity, device]
          category_codes:
            category: [electronics, fashion, home, beauty, sports, toys, books, grocery, garden, automotive, health, pets]
            device: [web, ios, android]
        listen: {port: 0}
        guard: {enabled: false}
        reporting: {backoff_initial: 100ms, backoff_max: 500ms}
        \(extra)
        """
    }

    static func droverctl(_ arguments: [String], _ cp: ControlPlane) async throws -> (Int32, String) {
        let process = try ChildProcess(
            product: "droverctl", arguments: arguments, environment: ["DROVER_SERVER": cp.url, "DROVER_TOKEN": cp.admin])
        let status: Int32
        switch try await process.waitForExit(timeout: .seconds(60)) {
        case .exited(let code): status = code
        default: status = -1
        }
        return (status, process.output(.stdout) + process.output(.stderr))
    }

    static func register(_ versions: [String], _ cp: ControlPlane) async throws {
        for version in versions {
            let result = try await droverctl(
                ["versions", "register", "--model", "ranker", "--version", version, "--artifact-uri", "file:///models/ranker/\(version)",
                 "--sha256", String(repeating: "\(version.first ?? "0")", count: 64), "--precision", "float32", "--bytes", "40000"], cp)
            #expect(result.0 == 0, "\(result.1)")
        }
    }

    func get<T: Decodable>(_ type: T.Type, _ cp: ControlPlane, _ path: String) async throws -> T {
        var request = TransportRequest.get(cp.url + path)
        request.bearerToken = cp.admin
        let response = try await http.send(request)
        guard response.status == 200 else { throw TestKitError.process("GET \(path) answered \(response.status): \(response.bodyString)") }
        return try DroverJSON.decode(T.self, from: response.body)
    }

    func agents(_ cp: ControlPlane) async throws -> [AgentInfo] {
        struct List: Decodable { var agents: [AgentInfo] }
        return try await get(List.self, cp, APIPath.agents).agents
    }

    func detail(_ cp: ControlPlane) async throws -> Detail {
        try await get(Detail.self, cp, APIPath.agents + "/" + APIPath.escape("e2e/ranker-0"))
    }

    func health(_ cp: ControlPlane, since: Date) async throws -> Health {
        let from = RFC3339.format(since.addingTimeInterval(-120))
        let to = RFC3339.format(Date().addingTimeInterval(120))
        return try await get(Health.self, cp, APIPath.fleetHealth + "?model=ranker&from=\(from)&to=\(to)")
    }

    /// Report ids the agent logged as spooled (debug log lines carry `report.id=…`).
    static func loggedReportIDs(_ process: ChildProcess) -> Set<String> {
        var ids = Set<String>()
        for line in process.lines(.stderr) where line.contains("report written to the spool") {
            guard let range = line.range(of: "report.id=") else { continue }
            ids.insert(String(line[range.upperBound...].prefix(ReportID.length)))
        }
        return ids
    }

    /// `(id, bytes)` of every report waiting in the agent's spool.
    static func spooled(_ dir: TemporaryDirectory) throws -> [(String, [UInt8])] {
        let spool = dir.appending(stateRoot + "/spool")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            (String(name.dropFirst(17).dropLast(5)), Array(try Data(contentsOf: spool.appendingPathComponent(name))))
        }
    }

    @Test("an agent enrols with its labels, its reports merge into fleet health, desired set moves it, it turns stale when stopped")
    func enrolReportApply() async throws {
        let dir = try TemporaryDirectory(prefix: "agent-cp-e2e")
        defer { dir.cleanup() }
        let started = Date()
        let cp = try await startControlPlane(dir, port: try FreePort.allocate())
        defer { cp.process.kill() }
        let (refserver, server) = try await startRefServer(dir)
        defer { refserver.kill() }
        try await Self.register(["1", "2", "9"], cp)

        // Version 1's reference profile, from the generator's training sample, stored in the control plane.
        let csv = dir.appending("reference.csv")
        let writer = try ChildProcess(
            product: "drover-refserver", arguments: ["traffic", "--count", "1", "--write-reference", csv.path, "--reference-rows", "5000"])
        #expect(try await writer.waitForExit(timeout: .seconds(60)) == .exited(0))
        let profile = try AgentEndToEndTests.referenceProfile(csv: csv)
        let admin = DroverClient(transport: http, baseURL: cp.url, token: cp.admin)
        let digest = try await admin.putReferenceProfile(profile)

        _ = try dir.write(cp.enroll + "\n", to: "enroll.token")
        let (agent, agentURL) = try await startAgent(
            dir, config: agentConfig(dir, controlPlane: cp.url, server: server, version: "1", extra: "probes: {interval: 250ms}\nwindow: {duration: 1s}"))
        defer { agent.kill() }

        // Enrolled with its labels, active, the credential stored owner-only, no secret in the log.
        let info = try await Eventually.value(timeout: .seconds(30), "the agent is listed") {
            try? await agents(cp).first { $0.agentID == "e2e/ranker-0" && $0.version == "1" }
        }
        #expect(info.labels == ["zone": "eu-1", "node": "node-a", "pool": "search"])
        #expect(info.state == .active)
        #expect(info.model == "ranker")
        let credentialPath = dir.appending(Self.stateRoot + "/credential").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: credentialPath)[.posixPermissions] as? Int)
        #expect(mode == 0o600, "credential file mode \(String(mode, radix: 8))")
        let stored = try DroverJSON.decode(Credential.self, from: Array(Data(contentsOf: URL(fileURLWithPath: credentialPath))))
        #expect(stored.agentID == "e2e/ranker-0")
        #expect(try await detail(cp).agentVersion != nil)

        // Live traffic through the agent: its windows arrive and fleet health merges their drift counts over the
        // stored profile (the agent fetched it from the control plane; the digests agree).
        // Under a loaded parallel test run the agent may fetch the profile only after the first windows closed
        // (those carry no drift counts), so traffic is sent in bursts until the merged count is there.
        var merged: Health.Group?
        for _ in 0..<4 where merged == nil {
            let traffic = try ChildProcess(
                product: "drover-refserver",
                arguments: ["traffic", "--server", server, "--agent", agentURL, "--rate", "200", "--duration", "4s", "--label-delay", "1s"])
            #expect(try await traffic.waitForExit(timeout: .seconds(60)) == .exited(0))
            merged = try? await Eventually.value(timeout: .seconds(15), "fleet health merges the agent's drift counts") {
                () async -> Health.Group? in
                let health = try? await self.health(cp, since: started)
                return health?.groups.first { (group: Health.Group) -> Bool in
                    let price = (group.drift ?? []).first { $0.name == "price" }
                    return group.version == "1" && group.zone == "eu-1" && (price?.n ?? 0) >= 400
                }
            }
        }
        let group = try #require(merged, "fleet health never merged 400 price values of the agent's reports")
        #expect(group.reports >= 2)
        #expect((group.profileMismatches ?? 0) == 0, "the agent's profile digest must match the stored one (\(digest ?? "?"))")
        let price = try #require(group.drift?.first { $0.name == "price" })
        let referenceBins = profile.features.first { $0.name == "price" }?.counts?.count
        #expect(price.counts?.count == referenceBins)
        #expect(price.counts?.reduce(0, +) == price.n, "merged bin counts add up to n")

        // droverctl moves the agent to version 2: applied through the OIP repository load, observed, reported.
        var result = try await Self.droverctl(
            ["desired", "set", "--model", "ranker", "--version", "2", "--selector", "zone=eu-1", "--reason", "e2e canary"], cp)
        #expect(result.0 == 0, "\(result.1)")
        let applied = try await Eventually.value(timeout: .seconds(30), "the observed state reports version 2") {
            (try? await detail(cp)).flatMap { $0.observed?.version == "2" && $0.observed?.status == .applied ? $0 : nil }
        }
        #expect(applied.observed?.generation == applied.desired?.generation)
        #expect((applied.desired?.generation ?? 0) >= 1)
        try await Eventually.wait(timeout: .seconds(30), "reports of version 2 reach fleet health") {
            (try? await self.health(cp, since: started))?.groups.contains { $0.version == "2" && $0.reports > 0 } ?? false
        }
        let ready = try await http.send(.get(server + "/v2/models/ranker/versions/2/ready"))
        #expect(ready.status == 200)

        // A version the model server does not have: the apply fails and the server adapter's error is observed.
        result = try await Self.droverctl(["desired", "set", "--model", "ranker", "--version", "9", "--reason", "e2e missing"], cp)
        #expect(result.0 == 0, "\(result.1)")
        let failed = try await Eventually.value(timeout: .seconds(30), "the failed apply is observed") {
            (try? await detail(cp)).flatMap { $0.observed?.status == .failed ? $0.observed : nil }
        }
        #expect(failed.version == "2", "still serving 2")
        #expect(failed.error?.isEmpty == false)
        #expect(failed.generation == applied.observed.map { $0.generation + 1 })

        // Stopped, it turns stale (the control plane runs with stale_after 3 s).
        _ = await agent.stop()
        let log = agent.output(.stderr)
        #expect(!log.contains(cp.enroll), "the enrol token must never be logged")
        #expect(!log.contains(stored.token), "the credential must never be logged")
        try await Eventually.wait(timeout: .seconds(30), "the stopped agent turns stale") {
            (try? await agents(cp))?.first { $0.agentID == "e2e/ranker-0" }?.state == .stale
        }
        _ = await cp.process.stop()
    }

    @Test("reports written while the control plane is down arrive exactly once after it restarts, also across a SIGKILL")
    func downtimeExactlyOnce() async throws {
        let dir = try TemporaryDirectory(prefix: "agent-cp-e2e")
        defer { dir.cleanup() }
        let started = Date()
        let port = try FreePort.allocate()
        let first = try await startControlPlane(dir, port: port)
        let (refserver, server) = try await startRefServer(dir)
        defer { refserver.kill() }
        try await Self.register(["2"], first)
        _ = try dir.write(first.enroll + "\n", to: "enroll.token")
        let config = agentConfig(dir, controlPlane: first.url, server: server, version: "2", extra: "probes: {interval: 100ms}\nwindow: {duration: 300ms}")
        var (agent, _) = try await startAgent(dir, config: config)
        try await Eventually.wait(timeout: .seconds(30), "the first reports arrive") {
            ((try? await self.health(first, since: started))?.groups.map(\.reports).reduce(0, +) ?? 0) >= 2
        }
        let credential = try Data(contentsOf: dir.appending(Self.stateRoot + "/credential"))

        // The control plane stops; windows keep closing into the spool; then the agent is killed outright.
        _ = await first.process.stop()
        try await Task.sleep(for: .seconds(2))
        agent.kill()
        _ = try await agent.waitForExit()
        let waiting = try Self.spooled(dir)
        #expect(waiting.count >= 3, "reports written while the control plane was down: \(waiting.count)")
        var written = Self.loggedReportIDs(agent).union(waiting.map(\.0))

        // The control plane restarts on the same port and data dir; the agent restarts on the same state dir.
        let cp = try await startControlPlane(dir, port: port)
        defer { cp.process.kill() }
        (agent, _) = try await startAgent(dir, config: config)
        defer { agent.kill() }
        try await Eventually.wait(timeout: .seconds(60), "every spooled report is acknowledged") {
            let left = Set(((try? Self.spooled(dir)) ?? []).map(\.0))
            return waiting.allSatisfy { !left.contains($0.0) }
        }
        _ = await agent.stop()
        written.formUnion(Self.loggedReportIDs(agent))
        let unsent = try Self.spooled(dir)
        #expect(try Data(contentsOf: dir.appending(Self.stateRoot + "/credential")) == credential, "no second enrolment")

        // Sending the reports spooled during the downtime again yields duplicates only; what the stopped agent left
        // in its spool is sent too (its ack may have been cut off by the stop). Then every report the agent wrote is
        // stored exactly once: fleet health counts each once.
        let stored = try DroverJSON.decode(Credential.self, from: Array(credential))
        let agentClient = DroverClient(transport: http, baseURL: cp.url, token: stored.token)
        func post(_ reports: [(String, [UInt8])]) async throws -> ReportAck {
            var body = Array("{\"reports\":[".utf8)
            for (i, report) in reports.enumerated() { body += (i > 0 ? [UInt8(ascii: ",")] : []) + report.1 }
            body += Array("]}".utf8)
            let response = try await agentClient.send(.post, APIPath.reportsBatch, body: body)
            return try DroverJSON.decode(ReportAck.self, from: response.body)
        }
        let again = try await post(waiting)
        #expect(again.accepted.isEmpty)
        #expect(Set(again.duplicates) == Set(waiting.map(\.0)))
        if !unsent.isEmpty { _ = try await post(unsent) }
        let expected = written.count
        try await Eventually.wait(timeout: .seconds(15), "fleet health counts \(expected) reports") {
            ((try? await self.health(cp, since: started))?.groups.map(\.reports).reduce(0, +) ?? -1) == expected
        }
        _ = await cp.process.stop()
    }
}

import CurlTransport
import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// A stand-in control plane for the agent's end-to-end tests, run as a real process: stores each report id once
/// (in a JSON Lines file, so a restarted receiver keeps deduplicating) and answers `ReportAck`.
private let receiverScript = #"""
import http.server, json, sys, threading
port_file, store, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
seen = set()
try:
    for line in open(store):
        seen.add(json.loads(line)["id"])
except FileNotFoundError:
    pass

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))
    def do_POST(self):
        data = self.body()
        if self.path != "/v1/reports/batch":
            return self.reply(404, b'{"error":{"code":"not_found","message":"no"}}')
        accepted, duplicates = [], []
        with lock, open(store, "a") as out:
            for report in json.loads(data)["reports"]:
                if report["id"] in seen:
                    duplicates.append(report["id"])
                else:
                    seen.add(report["id"])
                    accepted.append(report["id"])
                    out.write(json.dumps(report) + "\n")
        self.reply(200, json.dumps({"accepted": accepted, "duplicates": duplicates}).encode())
    def do_PUT(self):
        self.body()
        self.reply(200, b"{}")
    def do_GET(self):
        self.reply(404, b'{"error":{"code":"not_found","message":"none"}}')

server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.allow_reuse_address = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
server.serve_forever()
"""#

/// Real processes: the reference model server, the agent, and a receiver standing in for the control plane.
@Suite("Agent end to end", .serialized)
struct AgentEndToEndTests {
    let client: CurlTransport

    init() throws {
        try CurlGlobal.initialize()
        client = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(10)))
    }

    static func readPort(_ url: URL) async throws -> Int {
        try await Eventually.value(timeout: .seconds(60), "port file \(url.lastPathComponent)") {
            (try? String(contentsOf: url, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    func startRefServer(_ dir: TemporaryDirectory) async throws -> (ChildProcess, String) {
        let portFile = dir.appending("refserver.port")
        let process = try ChildProcess(
            product: "drover-refserver", arguments: ["serve", "--port", "0", "--port-file", portFile.path, "--log-level", "warning"])
        return (process, "http://127.0.0.1:\(try await Self.readPort(portFile))")
    }

    func startReceiver(_ dir: TemporaryDirectory, port: Int = 0) async throws -> (ChildProcess, Int) {
        let script = try dir.write(receiverScript, to: "receiver.py")
        let portFile = dir.appending("receiver-\(UUID().uuidString.prefix(6)).port")
        let process = try ChildProcess(
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            arguments: ["python3", script.path, portFile.path, dir.appending("received.jsonl").path, String(port)])
        return (process, try await Self.readPort(portFile))
    }

    func startAgent(_ dir: TemporaryDirectory, config: String) async throws -> (ChildProcess, String) {
        let file = try dir.write(config, to: "agent.yaml")
        let portFile = dir.appending("agent.port")
        try? FileManager.default.removeItem(at: portFile)
        let process = try ChildProcess(product: "drover-agent", arguments: ["run", "--config", file.path, "--port-file", portFile.path])
        return (process, "http://127.0.0.1:\(try await Self.readPort(portFile))")
    }

    static func received(_ dir: TemporaryDirectory) -> [Report] {
        guard let text = try? String(contentsOf: dir.appending("received.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? DroverJSON.decode(Report.self, from: Array($0.utf8)) }
    }

    func config(dir: TemporaryDirectory, server: String, receiver: Int, extra: String) -> String {
        """
        agent: {id: e2e/ranker-0, state_dir: \(dir.appending("state").path), log_level: warning}
        control_plane: {url: "http://127.0.0.1:\(receiver)", token: e2e-receiver, timeout: 2s, long_poll: 2s}
        server:
          kind: oip
          url: \(server)
          model: ranker
          version: "2"
          backup_version: "1"
          timeout: 2s
          feature_order: [price, discount, category, popularity, text_similarity, user_activity, device]
          category_codes:
            category: [electronics, fashion, home, beauty, sports, toys, books, grocery, garden, automotive, health, pets]
            device: [web, ios, android]
        listen: {port: 0}
        reporting: {backoff_initial: 100ms, backoff_max: 500ms}
        \(extra)
        """
    }

    /// ROC AUC by pairs (ties count one half): an oracle independent of DroverStats.
    static func pairwiseAUC(scores: [Double], labels: [Double]) -> Double {
        var wins = 0.0, pairs = 0.0
        for (s1, l1) in zip(scores, labels) where l1 > 0 {
            for (s0, l0) in zip(scores, labels) where l0 == 0 {
                pairs += 1
                wins += s1 > s0 ? 1 : (s1 == s0 ? 0.5 : 0)
            }
        }
        return wins / pairs
    }

    @Test("golden-set metrics match a direct computation; the agent fails over within 3 probe intervals")
    func goldenAndFailover() async throws {
        let dir = try TemporaryDirectory(prefix: "agent-e2e")
        defer { dir.cleanup() }
        let (refserver, server) = try await startRefServer(dir)
        let golden = dir.appending("golden.jsonl")
        let writer = try ChildProcess(
            product: "drover-refserver", arguments: ["traffic", "--count", "1", "--write-golden", golden.path, "--golden-queries", "20"])
        #expect(try await writer.waitForExit(timeout: .seconds(60)) == .exited(0))
        let (receiver, receiverPort) = try await startReceiver(dir)
        let interval = 0.5
        let (agent, agentURL) = try await startAgent(
            dir,
            config: config(
                dir: dir, server: server, receiver: receiverPort,
                extra: """
                    probes: {interval: 500ms, golden_set: \(golden.path), golden_interval: 1s}
                    guard: {failure_threshold: 3}
                    window: {duration: 2s}
                    """))
        defer { _ = (refserver, receiver, agent) }

        // The direct computation: the same golden records through version 2, AUC by pairs.
        let records = try String(contentsOf: golden, encoding: .utf8).split(separator: "\n")
            .map { try DroverJSON.decode(GoldenRecord.self, from: Array($0.utf8)) }
        let schema = ["price", "discount", "category", "popularity", "text_similarity", "user_activity", "device"]
        let categories = ["electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden", "automotive", "health", "pets"]
        let devices = ["web", "ios", "android"]
        let rows: [Double] = records.flatMap { record in
            schema.map { name -> Double in
                switch record.features[name] {
                case .number(let v): return v
                case .string(let s): return Double((name == "device" ? devices : categories).firstIndex(of: s) ?? -1)
                case nil: return 0
                }
            }
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "inputs": [["name": "features", "shape": [records.count, schema.count], "datatype": "FP32", "data": rows]]
        ])
        let answer = try await client.send(
            .post(server + "/v2/models/ranker/versions/2/infer", body: Array(body)))
        let outputs = try #require((try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["outputs"] as? [[String: Any]])
        let scores = try #require(outputs.first?["data"] as? [Double])
        let expectedAUC = Self.pairwiseAUC(scores: scores, labels: records.map { $0.label ?? 0 })

        let report = try await Eventually.value(timeout: .seconds(30), "a report with golden-set metrics") {
            Self.received(dir).first { $0.validation?.metrics["roc_auc"] != nil }
        }
        let auc = try #require(report.validation?.metrics["roc_auc"])
        #expect(abs(auc - expectedAUC) < 1e-4, "agent \(auc) vs direct \(expectedAUC)")
        #expect(report.version == "2")
        #expect(report.validation?.metrics["ndcg_at_10"] != nil)

        // The server starts failing for version 2: unload it. The guard must switch to 1 within 3 probe intervals.
        let unload = try JSONSerialization.data(withJSONObject: ["parameters": ["version": "2"]])
        let started = ContinuousClock.now
        _ = try await client.send(.post(server + "/v2/repository/models/ranker/unload", body: Array(unload)))
        try await Eventually.wait(timeout: .seconds(10), poll: .milliseconds(25), "the guard failed over") {
            let health = try await client.send(.get(agentURL + "/healthz"))
            return String(decoding: health.body, as: UTF8.self).contains("failed_over to 1")
        }
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        #expect(elapsed <= 3 * interval + 0.5, "failover took \(elapsed) s")
        let failover = try await Eventually.value(timeout: .seconds(15), "a report with the failover incident") {
            Self.received(dir).flatMap(\.events).first { $0.kind == "failover" }
        }
        #expect(failover.from == "2" && failover.to == "1")
        let ready = try await client.send(.get(server + "/v2/models/ranker/versions/1/ready"))
        #expect(ready.status == 200)
    }

    @Test("reports made while the receiver is down arrive exactly once after it returns, also across a SIGKILL of the agent")
    func downtimeAndKill() async throws {
        let dir = try TemporaryDirectory(prefix: "agent-e2e")
        defer { dir.cleanup() }
        let (refserver, server) = try await startRefServer(dir)
        var (receiver, receiverPort) = try await startReceiver(dir)
        let agentConfig = config(
            dir: dir, server: server, receiver: receiverPort,
            extra: """
                probes: {interval: 100ms}
                window: {duration: 300ms}
                guard: {enabled: false}
                """)
        var (agent, _) = try await startAgent(dir, config: agentConfig)
        defer { _ = refserver }
        try await Eventually.wait(timeout: .seconds(20), "the first reports arrive") { Self.received(dir).count >= 2 }

        // The receiver goes away; windows keep closing into the spool; then the agent is killed outright.
        _ = await receiver.stop()
        try await Task.sleep(for: .seconds(2))
        agent.kill()
        _ = try await agent.waitForExit()
        let spool = dir.appending("state/spool")
        let waiting = try FileManager.default.contentsOfDirectory(atPath: spool.path).filter { $0.hasSuffix(".json") }
            .map { String($0.dropFirst(17).dropLast(5)) }
        #expect(waiting.count >= 3, "reports written while the receiver was down: \(waiting.count)")
        let before = Self.received(dir)

        // The receiver returns on the same port, the agent restarts on the same state directory.
        (receiver, receiverPort) = try await startReceiver(dir, port: receiverPort)
        (agent, _) = try await startAgent(dir, config: agentConfig)
        try await Eventually.wait(timeout: .seconds(30), "every spooled report arrives") {
            let ids = Set(Self.received(dir).map(\.id))
            return waiting.allSatisfy { ids.contains($0) }
        }
        _ = await agent.stop()
        _ = await receiver.stop()
        let all = Self.received(dir)
        #expect(Set(all.map(\.id)).count == all.count, "each report stored once")
        // No window of the first run is missing: its windows tile without gaps up to the kill.
        var unique: [String: Report] = [:]
        for report in before + all.filter({ waiting.contains($0.id) }) { unique[report.id] = report }
        let firstRun = unique.values.sorted { $0.window.start < $1.window.start }
        for (a, b) in zip(firstRun, firstRun.dropFirst()) {
            #expect(a.window.end == b.window.start, "gap between \(a.id) and \(b.id)")
        }
    }

    /// A reference profile for `price` (deciles) and `category` built from the generator's training sample.
    static func referenceProfile(csv: URL) throws -> ReferenceProfile {
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst()
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let prices = rows.compactMap { Double($0[0]) }.sorted()
        var edges: [Double] = []
        for q in 1...9 {
            let edge = prices[prices.count * q / 10]
            if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
        }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for price in prices { counts[edges.filter { $0 <= price }.count] += 1 }
        let categoryNames = ["electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden", "automotive", "health", "pets"]
        var categoryCounts = [Int](repeating: 0, count: categoryNames.count + 1)
        for row in rows {
            let label = row[2]
            categoryCounts[categoryNames.firstIndex(of: label) ?? Int(label).map { $0 >= 0 && $0 < categoryNames.count ? $0 : categoryNames.count } ?? categoryNames.count] += 1
        }
        return ReferenceProfile(
            model: "ranker", version: "1",
            features: [
                FeatureProfile(name: "price", kind: .numeric, n: prices.count, edges: edges, counts: counts),
                FeatureProfile(name: "category", kind: .categorical, n: rows.count, counts: categoryCounts, categories: categoryNames),
            ])
    }

    @Test("drift appears in reports when the traffic shifts")
    func driftOnShift() async throws {
        let dir = try TemporaryDirectory(prefix: "agent-e2e")
        defer { dir.cleanup() }
        let (refserver, server) = try await startRefServer(dir)
        let csv = dir.appending("reference.csv")
        let writer = try ChildProcess(
            product: "drover-refserver", arguments: ["traffic", "--count", "1", "--write-reference", csv.path, "--reference-rows", "5000"])
        #expect(try await writer.waitForExit(timeout: .seconds(60)) == .exited(0))
        // The agent finds the version's profile in its cache, as after an earlier fetch from the control plane.
        let profiles = dir.appending("state/profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try Data(DroverJSON.encode(Self.referenceProfile(csv: csv))).write(to: profiles.appendingPathComponent("ranker@1.json"))
        let (receiver, receiverPort) = try await startReceiver(dir)
        var agentConfig = config(dir: dir, server: server, receiver: receiverPort, extra: "probes: {interval: 500ms}\nwindow: {duration: 2s}")
        agentConfig = agentConfig.replacingOccurrences(of: "version: \"2\"\n  backup_version: \"1\"", with: "version: \"1\"")
        let (agent, agentURL) = try await startAgent(dir, config: agentConfig)
        defer { _ = (refserver, receiver, agent) }

        func traffic(_ extra: [String]) async throws {
            let run = try ChildProcess(
                product: "drover-refserver",
                arguments: ["traffic", "--server", server, "--agent", agentURL, "--rate", "250", "--duration", "5s", "--label-delay", "1s"] + extra)
            #expect(try await run.waitForExit(timeout: .seconds(60)) == .exited(0))
        }
        func priceVerdicts(_ reports: [Report]) -> [DriftVerdict] {
            reports.compactMap { $0.drift?.features.first { $0.name == "price" && $0.n >= 200 }?.verdict }
        }

        /// Waits until the agent has reported every window of the traffic just sent: the price count over the
        /// reports not in `earlier` has stopped growing for 3 s (windows are 2 s), so no window mixes both phases.
        func settled(after earlier: [Report]) async throws -> [Report] {
            var last = -1, stableSince = ContinuousClock.now
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let fresh = Self.received(dir).filter { report in !earlier.contains { $0.id == report.id } }
                let n = fresh.reduce(0) { $0 + ($1.drift?.features.first { $0.name == "price" }?.n ?? 0) }
                if n != last { (last, stableSince) = (n, .now) }
                if n > 0, ContinuousClock.now - stableSince >= .seconds(3) { return fresh }
                try await Task.sleep(for: .milliseconds(250))
            }
            return Self.received(dir).filter { report in !earlier.contains { $0.id == report.id } }
        }

        try await traffic([])
        let normal = try await settled(after: [])
        let before = priceVerdicts(normal)
        #expect(!before.isEmpty, "reports with price drift entries during normal traffic: \(normal.map { "\($0.drift?.features.map { "\($0.name) n=\($0.n)" } ?? []) ev=\($0.latencyMs?.count ?? 0) dropped=\($0.dropped)" })")
        #expect(before.allSatisfy { $0 != .drift }, "normal traffic: \(before)")

        try await traffic(["--shift", "inflation", "--shift-after", "1"])
        let shifted = try await settled(after: normal)
        let after = priceVerdicts(shifted)
        let psi = { (reports: [Report]) in reports.compactMap { $0.drift?.features.first { $0.name == "price" && $0.n >= 200 }?.psi } }
        // Judge on counts merged across windows, as the control plane does: per-window verdicts on a loaded
        // machine see few events each and are noisy; the sums are not.
        let referenceCounts = try #require(Self.referenceProfile(csv: csv).features.first { $0.name == "price" }?.counts)
        func mergedPSI(_ reports: [Report]) -> Double {
            var sum = [Int](repeating: 0, count: referenceCounts.count)
            for report in reports {
                guard let feature = report.drift?.features.first(where: { $0.name == "price" }),
                    case .bins(let counts)? = feature.counts, counts.count == sum.count
                else { continue }
                for i in counts.indices { sum[i] += counts[i] }
            }
            let n = Double(sum.reduce(0, +)), nRef = Double(referenceCounts.reduce(0, +))
            guard n > 0 else { return 0 }
            return zip(referenceCounts, sum).reduce(0.0) { total, pair in
                let p = max(Double(pair.0) / nRef, 1e-4), q = max(Double(pair.1) / n, 1e-4)
                return total + (q - p) * Foundation.log(q / p)
            }
        }
        let merged = (normal: mergedPSI(normal), shifted: mergedPSI(shifted))
        let evidence = "verdicts \(after), window psi \(psi(shifted)) vs \(psi(normal)), merged \(merged)"
        #expect(merged.shifted > 0.03 && merged.shifted > 3 * merged.normal, "prices × 1.3 must drift: \(evidence)")
        let profile = try #require(shifted.compactMap(\.drift).first)
        #expect(profile.referenceProfile.hasPrefix("sha256:"))
    }
}

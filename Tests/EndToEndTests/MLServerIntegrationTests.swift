import CurlTransport
import DroverAPI
import DroverTestKit
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Seldon MLServer (scikit-learn runtime) and its two-version model repository, as `scripts/setup-mlserver.sh`
/// installs them under `.build/` (or where `DROVER_MLSERVER_VENV` / `DROVER_MLSERVER_MODELS` say).
struct MLServerInstallation {
    /// Set to `1` to skip the MLServer tests explicitly (they never pass silently without MLServer).
    static let skipKey = "DROVER_SKIP_MLSERVER"
    /// Whether the skip variable is set.
    static var skipped: Bool { ProcessInfo.processInfo.environment[skipKey] == "1" }

    /// `bin/mlserver` in the virtualenv.
    let executable: URL
    /// The model repository (`ranker-v1/`, `ranker-v2/`, `golden.jsonl`).
    let models: URL

    /// The project root, from this file's place in the source tree.
    static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The installation named by the environment, else the default one under `.build/`.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> MLServerInstallation
    {
        let build = projectRoot.appendingPathComponent(".build")
        let venv =
            environment["DROVER_MLSERVER_VENV"].map { URL(fileURLWithPath: $0) }
            ?? build.appendingPathComponent("mlserver-venv")
        let models =
            environment["DROVER_MLSERVER_MODELS"].map { URL(fileURLWithPath: $0) }
            ?? build.appendingPathComponent("mlserver-models")
        let executable = venv.appendingPathComponent("bin/mlserver")
        let needed = [
            executable, models.appendingPathComponent("ranker-v1/model-settings.json"),
            models.appendingPathComponent("ranker-v2/model-settings.json"),
            models.appendingPathComponent("golden.jsonl"),
        ]
        if let missing = needed.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
            throw MLServerTestError(
                "MLServer is not installed (\(missing.path) is missing): run scripts/setup-mlserver.sh "
                    + "(`make test` runs it), or set \(skipKey)=1 to skip the MLServer tests explicitly")
        }
        return MLServerInstallation(executable: executable, models: models)
    }
}

/// A failure of the MLServer test harness, saying what to do.
struct MLServerTestError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    let description: String
    init(_ description: String) { self.description = description }
}

/// A running MLServer on 127.0.0.1 with its HTTP, gRPC and metrics ports all free ones.
final class MLServerProcess: Sendable {
    /// The process (and its process group: the inference workers).
    let process: ChildProcess
    /// `http://127.0.0.1:<port>`.
    let url: String

    private init(process: ChildProcess, url: String) {
        self.process = process
        self.url = url
    }

    /// Starts MLServer and waits until both model versions are ready; retries when another process took a port.
    static func start(_ installation: MLServerInstallation, in dir: TemporaryDirectory, client: CurlTransport)
        async throws
        -> MLServerProcess
    {
        var lastFailure = ""
        for attempt in 1...3 {
            var ports: [Int] = []
            while ports.count < 3 {
                let port = try FreePort.allocate()
                if !ports.contains(port) { ports.append(port) }
            }
            let work = dir.appending("mlserver-\(attempt)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let process = try ChildProcess(
                executable: installation.executable, arguments: ["start", installation.models.path],
                environment: [
                    "MLSERVER_HOST": "127.0.0.1", "MLSERVER_HTTP_PORT": "\(ports[0])",
                    "MLSERVER_GRPC_PORT": "\(ports[1])",
                    "MLSERVER_METRICS_PORT": "\(ports[2])",
                    "MLSERVER_METRICS_DIR": work.appendingPathComponent("metrics").path,
                    "MLSERVER_ENVIRONMENTS_DIR": work.appendingPathComponent("envs").path, "PYTHONUNBUFFERED": "1",
                ],
                currentDirectory: work, outputDirectory: work)
            let server = MLServerProcess(process: process, url: "http://127.0.0.1:\(ports[0])")
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(180))
            while process.isRunning, clock.now < deadline {
                if try await server.status("GET", "/v2/models/ranker/versions/1/ready", client: client) == 200,
                    try await server.status("GET", "/v2/models/ranker/versions/2/ready", client: client) == 200
                {
                    return server
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            lastFailure = process.diagnostics(lines: 30)
            await server.stop()
            // Another process may have taken one of the three ports between allocation and bind: try new ones.
            let portTaken = ["address already in use", "Address already in use", "Failed to bind"].contains {
                lastFailure.contains($0)
            }
            guard portTaken else { break }
        }
        throw MLServerTestError("MLServer did not become ready with both ranker versions within 180 s\n" + lastFailure)
    }

    /// The status of a request, or 0 when nothing answered.
    func status(_ method: String, _ path: String, body: String? = nil, client: CurlTransport) async throws -> Int {
        (try? await send(method, path, body: body, client: client).status) ?? 0
    }

    /// Sends a request to the server.
    func send(_ method: String, _ path: String, body: String? = nil, client: CurlTransport) async throws
        -> TransportResponse
    {
        if method == "POST" {
            return try await client.send(.post(url + path, body: Array((body ?? "").utf8), timeout: .seconds(30)))
        }
        return try await client.send(.get(url + path, timeout: .seconds(30)))
    }

    /// SIGTERM to the process group, SIGKILL after a grace period.
    func stop() async { await process.stop(grace: .seconds(10)) }

    /// Processes of the server's group that are still alive (not zombies), read from /proc.
    var livingGroupMembers: [Int32] {
        #if os(Linux)
            let group = process.pid
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                // After "comm)": state ppid pgrp …
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
            }
        #else
            return []
        #endif
    }
}

/// The real MLServer with a real `drover-agent` watching it through its OIP adapter.
@Suite(
    "MLServer integration", .serialized,
    .disabled(if: MLServerInstallation.skipped, "\(MLServerInstallation.skipKey)=1 skips the MLServer tests"))
struct MLServerIntegrationTests {
    static let schema = ["price", "discount", "category", "popularity", "text_similarity", "user_activity", "device"]
    static let categories = [
        "electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden", "automotive",
        "health", "pets",
    ]
    static let devices = ["web", "ios", "android"]

    let client: CurlTransport

    init() throws {
        try CurlGlobal.initialize()
        client = try CurlTransport(configuration: .init(connectTimeout: .seconds(2), timeout: .seconds(30)))
    }

    /// ROC AUC by pairs (ties count one half): an oracle independent of DroverStats.
    static func pairwiseAUC(scores: [Double], labels: [Double]) -> Double {
        var wins = 0.0
        var pairs = 0.0
        for (s1, l1) in zip(scores, labels) where l1 > 0 {
            for (s0, l0) in zip(scores, labels) where l0 == 0 {
                pairs += 1
                wins += s1 > s0 ? 1 : (s1 == s0 ? 0.5 : 0)
            }
        }
        return wins / pairs
    }

    /// The golden records' positive-class probabilities straight from MLServer, and the answer's datatype.
    func directScores(_ server: MLServerProcess, version: String, records: [GoldenRecord]) async throws -> (
        scores: [Double], datatype: String
    ) {
        let rows: [Double] = records.flatMap { record in
            Self.schema.map { name -> Double in
                switch record.features[name] {
                case .number(let v): return v
                case .string(let s):
                    return Double((name == "device" ? Self.devices : Self.categories).firstIndex(of: s) ?? -1)
                case nil: return 0
                }
            }
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "inputs": [
                ["name": "features", "shape": [records.count, Self.schema.count], "datatype": "FP32", "data": rows]
            ],
            "outputs": [["name": "predict_proba"]],
        ])
        let answer = try await server.send(
            "POST", "/v2/models/ranker/versions/\(version)/infer", body: String(decoding: body, as: UTF8.self),
            client: client)
        try #require(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        let output = try #require((json["outputs"] as? [[String: Any]])?.first)
        let data = try #require(output["data"] as? [Double])
        // predict_proba is [N, 2]: the second column is the click probability.
        return (stride(from: 1, to: data.count, by: 2).map { data[$0] }, output["datatype"] as? String ?? "?")
    }

    static func spooledReports(_ dir: TemporaryDirectory) -> [Report] {
        let spool = dir.appending("state/spool")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []).filter {
            $0.hasSuffix(".json")
        }.sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: spool.appendingPathComponent(name).path).flatMap {
                try? DroverJSON.decode(Report.self, from: Array($0))
            }
        }
    }

    /// A GET to the agent's listener on a connection closed afterwards: the listener's graceful shutdown waits for
    /// open keep-alive connections, so a kept-alive one would hold the agent past SIGTERM.
    func agentGet(_ url: String) async throws -> String {
        String(decoding: try await client.send(.get(url, headers: ["Connection": "close"])).body, as: UTF8.self)
    }

    @Test("a missing MLServer installation fails with what to run, never passes silently")
    func missingInstallation() throws {
        do {
            _ = try MLServerInstallation.locate(environment: ["DROVER_MLSERVER_VENV": "/nonexistent/drover-venv"])
            Issue.record("expected a failure naming scripts/setup-mlserver.sh")
        } catch let error as MLServerTestError {
            #expect(error.description.contains("run scripts/setup-mlserver.sh"))
            #expect(error.description.contains("DROVER_SKIP_MLSERVER=1"))
        }
    }

    @Test(
        "a drover-agent on MLServer: served version from the index, golden AUC equal to a direct computation, not ready after an unload while the server stays ready, failover to the FP64 backup"
    )
    func agentOnMLServer() async throws {
        let installation = try MLServerInstallation.locate()
        let dir = try TemporaryDirectory(prefix: "mlserver-e2e")
        defer { dir.cleanup() }
        let started = ContinuousClock.now
        let server = try await MLServerProcess.start(installation, in: dir, client: client)
        let startup = (ContinuousClock.now - started) / .seconds(1)

        let golden = installation.models.appendingPathComponent("golden.jsonl")
        let records = try String(contentsOf: golden, encoding: .utf8).split(separator: "\n")
            .map { try DroverJSON.decode(GoldenRecord.self, from: Array($0.utf8)) }
        let labels = records.map { $0.label ?? 0 }
        #expect(records.count == 200)

        // The quirks, as this MLServer really shows them: metadata lists no versions and declares FP32; version 1
        // answers FP64; health bodies are empty.
        let metadata = try await server.send("GET", "/v2/models/ranker", client: client)
        let metadataText = String(decoding: metadata.body, as: UTF8.self)
        #expect(metadataText.contains(#""versions":[]"#))
        #expect(metadataText.contains(#""datatype":"FP32","shape":[-1,2]"#))
        #expect(try await server.send("GET", "/v2/health/live", client: client).body.isEmpty)
        let primary = try await directScores(server, version: "2", records: records)
        let backup = try await directScores(server, version: "1", records: records)
        #expect(primary.datatype == "FP32")
        #expect(backup.datatype == "FP64")
        let primaryAUC = Self.pairwiseAUC(scores: primary.scores, labels: labels)
        let backupAUC = Self.pairwiseAUC(scores: backup.scores, labels: labels)
        #expect(primaryAUC > backupAUC, "the backup (3 features) should rank worse: \(primaryAUC) vs \(backupAUC)")

        // The agent: no version configured (it must ask), no control plane (reports stay in the spool).
        let config = """
            agent: {id: e2e/mlserver-0, state_dir: \(dir.appending("state").path), log_level: warning}
            server:
              kind: oip
              url: \(server.url)
              model: ranker
              backup_version: "1"
              timeout: 10s
              output_name: predict_proba
              feature_order: [\(Self.schema.joined(separator: ", "))]
              category_codes:
                category: [\(Self.categories.joined(separator: ", "))]
                device: [\(Self.devices.joined(separator: ", "))]
            listen: {port: 0}
            probes: {interval: 500ms, golden_set: \(golden.path), golden_interval: 1s}
            guard: {failure_threshold: 4}
            window: {duration: 2s}
            """
        let configFile = try dir.write(config, to: "agent.yaml")
        let portFile = dir.appending("agent.port")
        let agent = try ChildProcess(
            product: "drover-agent", arguments: ["run", "--config", configFile.path, "--port-file", portFile.path])
        let agentPort = try await Eventually.value(timeout: .seconds(60), "the agent's port file") {
            (try? String(contentsOf: portFile, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        let agentURL = "http://127.0.0.1:\(agentPort)"

        // Served version: MLServer's metadata names none, so the agent reads the repository index (newest ready: 2).
        try await Eventually.wait(timeout: .seconds(30), "the agent reports version 2") {
            try await agentGet(agentURL + "/healthz").contains(#""version":"2""#)
        }
        let first = try await Eventually.value(timeout: .seconds(60), "a report of version 2 with golden-set metrics") {
            Self.spooledReports(dir).first { $0.version == "2" && $0.validation?.metrics["roc_auc"] != nil }
        }
        let agentPrimaryAUC = try #require(first.validation?.metrics["roc_auc"])
        #expect(abs(agentPrimaryAUC - primaryAUC) < 1e-6, "agent \(agentPrimaryAUC) vs direct \(primaryAUC)")
        #expect((first.validation?.n ?? 0) % records.count == 0, "whole golden batches")
        #expect(first.health.ready)

        // Unload: MLServer drops every version of the name, yet its server-level readiness stays 200.
        let unloaded = try await server.send(
            "POST", "/v2/repository/models/ranker/unload", body: #"{"parameters":{"version":"2"}}"#, client: client)
        #expect(unloaded.status == 200)
        #expect(try await server.status("GET", "/v2/health/ready", client: client) == 200)
        #expect(try await server.status("GET", "/v2/models/ranker/versions/2/ready", client: client) == 404)
        try await Eventually.wait(timeout: .seconds(20), poll: .milliseconds(50), "the agent sees the model not ready")
        {
            try await agentGet(agentURL + "/metrics").split(separator: "\n").contains {
                $0.hasPrefix("drover_agent_server_ready ") && Double($0.split(separator: " ").last ?? "") == 0
            }
        }

        // The guard fails over to 1: a repository load of the NAME (MLServer loads both versions), then version 1.
        try await Eventually.wait(timeout: .seconds(90), "the agent failed over to version 1") {
            let health = try await agentGet(agentURL + "/healthz")
            return health.contains("failed_over to 1") && health.contains(#""version":"1""#)
        }
        #expect(try await server.status("GET", "/v2/models/ranker/versions/1/ready", client: client) == 200)
        // The unversioned default is still the newest version: the agent must address version 1 explicitly.
        let defaultAnswer = try await server.send(
            "POST", "/v2/models/ranker/infer",
            body: #"{"inputs":[{"name":"features","shape":[1,7],"datatype":"FP32","data":[30,0.1,0,0.5,0.8,5,1]}]}"#,
            client: client)
        #expect(String(decoding: defaultAnswer.body, as: UTF8.self).contains(#""model_version":"2""#))

        let failover = try await Eventually.value(timeout: .seconds(30), "a failover incident in a report") {
            Self.spooledReports(dir).flatMap(\.events).first { $0.kind == "failover" }
        }
        #expect(failover.from == "2")
        #expect(failover.to == "1")
        // A window that spans the switch may still hold version 2's golden batch (the report is labelled with the
        // version served at its close), so judge version 1 on a window that started after the failover.
        let after = try await Eventually.value(timeout: .seconds(60), "a version 1 window with golden-set metrics") {
            Self.spooledReports(dir).first {
                $0.version == "1" && $0.window.start > failover.at && $0.validation?.metrics["roc_auc"] != nil
            }
        }
        let agentBackupAUC = try #require(after.validation?.metrics["roc_auc"])
        #expect(abs(agentBackupAUC - backupAUC) < 1e-6, "agent \(agentBackupAUC) vs direct \(backupAUC) (FP64 answers)")

        let stopping = ContinuousClock.now
        let agentEnd = await agent.stop(grace: .seconds(20))
        #expect(
            String(describing: agentEnd) == "exit 0",
            "the agent should stop cleanly on SIGTERM (took \(ContinuousClock.now - stopping))\n\(agent.diagnostics())")
        await server.stop()
        try await Eventually.wait(timeout: .seconds(20), "no MLServer process outlives the test") {
            server.livingGroupMembers.isEmpty
        }
        print("MLServer integration: startup \(startup) s; AUC v2 \(primaryAUC), v1 \(backupAUC)")
    }
}

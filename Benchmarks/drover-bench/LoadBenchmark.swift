import ArgumentParser
import CurlTransport
import DroverAPI
import Foundation
import Synchronization

/// `drover-bench load`: simulated agents posting realistic reports to a running control plane over loopback.
///
/// Enrols `--agents` agents with an enrol token (each gets its own credential, as real agents do), then each agent
/// posts one report every `--interval` seconds (20 features with drift counts, a latency histogram, a validation
/// block, unique ids) for `--duration` seconds over `--connections` keep-alive connections (one per agent group)
/// driven by one thread on epoll. With `--batch N` (a second mode) each agent instead posts N reports at once to
/// the batch route every N intervals, as an agent flushing its spool does; the offered report rate is the same.
/// Prints sustained reports/s, p50/p99 latency from the scheduled send time, CPU per report of server and client,
/// and the server's RSS (from /proc/PID when --server-pid is given).
struct LoadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Report-ingest load against a running drover-controlplane (see Benchmarks/load/).")

    @Option(help: "Control plane URL (http://IPv4:PORT).") var server = "http://127.0.0.1:8480"
    @Option(help: "Enrol token (role enroll).") var enrollToken: String
    @Option(help: "Simulated agents.") var agents = 5000
    @Option(help: "Seconds between two reports of one agent.") var interval = 10.0
    @Option(help: "Measured seconds (after enrolment).") var duration = 30.0
    @Option(help: "Keep-alive connections (agent groups); one request in flight on each.") var connections = 64
    @Option(help: "Second mode: N reports per POST to /v1/reports/batch, every N intervals.") var batch: Int?
    @Option(help: "Seconds answers may still arrive after the last scheduled send.") var drain = 30.0
    @Option(help: "Milliseconds between two checks of the send schedule (fewer wake-ups; sends up to this late).")
    var tick = 1
    @Option(help: "Enrolments in flight.") var concurrency = 64
    @Option(help: "PID of the server, for its CPU time and RSS.") var serverPID: Int?

    /// Enrols the agents (libcurl, not measured), then runs the measured load on this thread.
    func run() throws {
        guard agents > 0, interval > 0, duration > 0, connections > 0 else {
            throw ValidationError("--agents, --interval, --duration and --connections must be positive")
        }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1") }
        let (host, port) = try Self.hostAndPort(server)
        let enrolment = Enrolment(server: server, enrollToken: enrollToken, agents: agents, concurrency: concurrency)
        let failure = Mutex<String?>(nil)
        let tokens = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let enrollStart = ContinuousClock.now
        Task {
            do {
                let issued = try await enrolment.run()
                tokens.withLock { $0 = issued }
            } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) { throw ValidationError("enrolment failed: \(message)") }
        print("enrolled \(agents) agents in \(ContinuousClock.now - enrollStart)")
        try measure(host: host, port: port, credentials: tokens.withLock { $0 })
    }

    private func measure(host: String, port: Int, credentials: [String]) throws {
        let template = try Self.template()
        try template.validate()
        let perSend = batch ?? 1
        let builder = try LoadRequestBuilder(report: template, host: "\(host):\(port)", batch: batch ?? 0)
        let requests = (0..<agents).map { builder.request(agentID: "bench/agent-\($0)", token: credentials[$0]) }
        let sends = max(1, Int(Double(agents) * duration / (interval * Double(perSend))))
        let plan = LoadPlan(
            host: host, port: port, connections: min(connections, agents), sends: sends,
            spacingNanoseconds: interval * Double(perSend) * 1e9 / Double(agents), reportsPerSend: perSend,
            intervalMilliseconds: UInt64(interval * 1000), tickMilliseconds: UInt64(max(tick, 1)),
            drainNanoseconds: UInt64(drain * 1e9))
        let client = try LoadSocketClient(plan: plan, requests: requests)

        let serverCPUBefore = serverPID.flatMap { Self.cpuSeconds(pid: "\($0)") }
        let clientCPUBefore = LoadSocketClient.processCPUSeconds()
        let loopCPUBefore = LoadSocketClient.processCPUSeconds(thread: true)
        let outcome = client.run()
        let loopCPU = LoadSocketClient.processCPUSeconds(thread: true) - loopCPUBefore
        let clientCPU = LoadSocketClient.processCPUSeconds() - clientCPUBefore
        let serverCPU: Double? =
            if let before = serverCPUBefore, let pid = serverPID, let after = Self.cpuSeconds(pid: "\(pid)") {
                after - before
            } else { nil }

        let seconds = Double(outcome.elapsedNanoseconds) / 1e9
        let sorted = outcome.latencies.sorted()
        func q(_ p: Double) -> Double {
            sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))]
        }
        let okRequests = sorted.count
        let ok = okRequests * perSend
        func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        if let batch {
            print(
                "load.mode\tbatch\t\(batch) reports per POST \(APIPath.reportsBatch), every \(batch) intervals per agent"
            )
        } else {
            print("load.mode\tsingle\tone report per POST \(APIPath.reports)")
        }
        print("load.agents\t\(agents)\tagents")
        print("load.connections\t\(plan.connections)\tconnections")
        print("load.offered\t\(f(Double(agents) / interval, 0))\treports/s")
        print("load.sustained\t\(f(seconds > 0 ? Double(ok) / seconds : 0, 0))\treports/s")
        if batch != nil {
            print("load.sustained_requests\t\(f(seconds > 0 ? Double(okRequests) / seconds : 0, 0))\trequests/s")
        }
        print("load.p50\t\(f(q(0.5), 2))\tms")
        print("load.p99\t\(f(q(0.99), 2))\tms")
        print("load.failed\t\(outcome.failed)\trequests")
        if outcome.abandoned > 0 { print("load.abandoned\t\(outcome.abandoned)\trequests (unanswered after --drain)") }
        if let error = outcome.firstError { print("load.first_error\t\(error)") }
        // CPU time per report does not depend on what else the machine runs (wall-clock figures do).
        if let serverCPU, ok > 0 {
            print("load.server_cpu\t\(f(serverCPU / seconds, 2))\tcores")
            print("load.server_cpu_per_report\t\(f(serverCPU / Double(ok) * 1e6, 1))\tus")
        }
        if ok > 0 {
            print("load.client_cpu_per_report\t\(f(clientCPU / Double(ok) * 1e6, 1))\tus")
            // The load thread alone (the rest is the enrolment's libcurl and runtime threads).
            print("load.client_loop_cpu_per_report\t\(f(loopCPU / Double(ok) * 1e6, 1))\tus")
        }
        if let serverPID, let status = try? String(contentsOfFile: "/proc/\(serverPID)/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") || line.hasPrefix("VmHWM:") {
                let kb = Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
                print("load.server_\(line.hasPrefix("VmRSS") ? "rss" : "rss_peak")\t\(f(kb / 1024, 1))\tMiB")
            }
        }
    }

    /// `(host, port)` of an `http://IPv4:PORT` URL.
    static func hostAndPort(_ url: String) throws -> (String, Int) {
        var rest = Substring(url)
        guard rest.hasPrefix("http://") else { throw ValidationError("--server must be an http:// URL, got \(url)") }
        rest = rest.dropFirst("http://".count)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw ValidationError("--server must name an IPv4 address and a port (http://127.0.0.1:8480), got \(url)")
        }
        return (String(parts[0]), port)
    }

    /// User + system CPU seconds of a process from /proc/PID/stat; nil when unreadable.
    static func cpuSeconds(pid: String) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15 (clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Enrols the simulated agents through DroverClient over libcurl (not part of the measured load).
struct Enrolment: Sendable {
    var server: String
    var enrollToken: String
    var agents: Int
    var concurrency: Int

    /// Each agent's credential, by index.
    func run() async throws -> [String] {
        try CurlGlobal.initialize()
        let pool = try (0..<4).map { _ in
            try CurlTransport(configuration: .init(timeout: .seconds(30), poolSize: 16, proxy: ""))
        }
        var credentials = [String](repeating: "", count: agents)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var next = 0
            func add() {
                let i = next
                next += 1
                let client = DroverClient(transport: pool[i % pool.count], baseURL: server, validatesRequests: false)
                group.addTask {
                    let r = try await client.enroll(
                        EnrollRequest(agentID: "bench/agent-\(i)", model: "ranker", labels: ["zone": "z\(i % 3)"]),
                        enrollToken: enrollToken)
                    return (i, r.token)
                }
            }
            for _ in 0..<min(max(concurrency, 1), agents) { add() }
            while let (i, token) = try await group.next() {
                credentials[i] = token
                if next < agents { add() }
            }
        }
        return credentials
    }
}

extension LoadBenchmark {
    /// A realistic report: 16 numeric features over 10 bins, 4 categorical over 5 categories + __other__,
    /// one output, a latency histogram, errors, resources and golden-set / online metrics.
    static func template() throws -> Report {
        var features: [String] = []
        for f in 0..<20 {
            if f % 5 == 4 {
                features.append(
                    #"{"name": "cat_\#(f)", "kind": "categorical", "n": 1200, "counts": {"c01": 400, "c02": 300, "c03": 250, "c04": 150, "c05": 80, "__other__": 20}, "psi": 0.02, "js_distance": 0.03, "verdict": "ok"}"#
                )
            } else {
                features.append(
                    #"{"name": "num_\#(f)", "kind": "numeric", "n": 1200, "counts": [120, 98, 131, 117, 125, 119, 122, 110, 129, 129], "psi": 0.031, "js_distance": 0.05, "verdict": "ok"}"#
                )
            }
        }
        let json = """
            {"schema_version": 1, "id": "01JDX3K9Q4W8Z6M2T0B7C5N1RV", "agent_id": "bench/agent-0", "model": "ranker", "version": "1",
             "window": {"start": "2026-11-29T04:00:00Z", "end": "2026-11-29T04:00:10Z"},
             "health": {"live": true, "ready": true, "probes": 60, "probe_failures": 0, "consecutive_failures": 0},
             "latency_ms": {"count": 1200, "p50": 3.1, "p99": 9.8,
                            "histogram": {"bounds": [1, 2, 5, 10, 20, 50, 100], "counts": [10, 300, 700, 150, 30, 8, 2, 0]}},
             "errors": {"count": 3, "by_kind": {"http_5xx": 2, "timeout": 1}},
             "resources": {"agent_rss_bytes": 15728640, "server_rss_bytes": 812000000},
             "validation": {"source": "golden_set", "n": 200, "metrics": {"roc_auc": 0.781, "ndcg_at_10": 0.71}},
             "online": {"source": "labels", "n": 950, "metrics": {"roc_auc": 0.77, "ctr": 0.041}},
             "drift": {"reference_profile": "sha256:9f2c", "features": [\(features.joined(separator: ","))],
               "outputs": [{"name": "score", "kind": "numeric", "n": 1200, "counts": [118, 121, 125, 119, 120, 117, 122, 119, 121, 118], "psi": 0.02, "verdict": "ok"}]},
             "dropped": {"events": 0, "reports": 0}, "events": []}
            """
        return try DroverJSON.decode(Report.self, from: Array(json.utf8))
    }
}

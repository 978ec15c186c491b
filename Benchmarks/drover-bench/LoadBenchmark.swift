import ArgumentParser
import CurlTransport
import DroverAPI
import Foundation
import Synchronization

/// `drover-bench load`: simulated agents posting realistic reports to a running control plane over loopback.
///
/// Enrols `--agents` agents with an enrol token (each gets its own credential, as real agents do), then each agent
/// posts one report every `--interval` seconds (20 features with drift counts, a latency histogram, a validation
/// block, unique ids) through `--transports` CurlTransports for `--duration` seconds. Prints sustained reports/s,
/// p50/p99 latency and the server's RSS (from /proc/PID/status when --server-pid is given).
struct LoadBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Report-ingest load against a running drover-controlplane (see Benchmarks/load/).")

    @Option(help: "Control plane URL.") var server = "http://127.0.0.1:8480"
    @Option(help: "Enrol token (role enroll).") var enrollToken: String
    @Option(help: "Simulated agents.") var agents = 5000
    @Option(help: "Seconds between two reports of one agent.") var interval = 10.0
    @Option(help: "Measured seconds (after enrolment).") var duration = 30.0
    @Option(help: "Concurrent CurlTransports.") var transports = 8
    @Option(help: "Connections per transport.") var poolSize = 16
    @Option(help: "Most requests in flight.") var concurrency = 256
    @Option(help: "PID of the server, for its RSS.") var serverPID: Int?

    /// The root command is synchronous: run the async load on the cooperative pool and wait for it.
    func run() throws {
        let settings = LoadSettings(
            server: server, enrollToken: enrollToken, agents: agents, interval: interval, duration: duration,
            transports: transports, poolSize: poolSize, concurrency: concurrency, serverPID: serverPID)
        let failure = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await settings.run() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) { throw ValidationError("load benchmark failed: \(message)") }
    }
}

/// The load benchmark's settings and its async body.
struct LoadSettings: Sendable {
    var server: String
    var enrollToken: String
    var agents: Int
    var interval: Double
    var duration: Double
    var transports: Int
    var poolSize: Int
    var concurrency: Int
    var serverPID: Int?

    func run() async throws {
        try CurlGlobal.initialize()
        let pool = try (0..<transports).map { _ in
            try CurlTransport(configuration: .init(timeout: .seconds(30), poolSize: poolSize, proxy: ""))
        }
        let base = DroverClient(transport: pool[0], baseURL: server, validatesRequests: false)
        let template = try LoadBenchmark.template()
        try template.validate()
        let bodyTemplate = try ReportBodyTemplate(template)
        let reportsURL = server.hasSuffix("/") ? String(server.dropLast()) + APIPath.reports : server + APIPath.reports

        // 1. Enrol every agent (its own credential).
        let enrollStart = ContinuousClock.now
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
            for _ in 0..<min(concurrency, agents) { add() }
            while let (i, token) = try await group.next() {
                credentials[i] = token
                if next < agents { add() }
            }
        }
        _ = base
        print("enrolled \(agents) agents in \(ContinuousClock.now - enrollStart)")

        // 2. Each agent reports every `interval`; agents are spread evenly over the interval.
        let stats = LoadStats()
        let total = Int(Double(agents) * duration / interval)
        let spacing = interval / Double(agents)
        let serverCPUBefore = serverPID.flatMap { Self.cpuSeconds(pid: "\($0)") }
        let clientCPUBefore = Self.cpuSeconds(pid: "self")
        let start = ContinuousClock.now
        let windowStart = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for n in 0..<total {
                let due = start + .seconds(Double(n) * spacing)
                if due > ContinuousClock.now { try await Task.sleep(until: due) }
                if inFlight >= concurrency {
                    try await group.next()
                    inFlight -= 1
                }
                let agent = n % agents
                let round = n / agents
                let id = ReportID.encode(
                    milliseconds: UInt64(windowStart.timeIntervalSince1970 * 1000) + UInt64(round) * 10_000,
                    random: UInt128(UInt64(n)) &* 0x9E37_79B9_7F4A_7C15)
                let ws = windowStart.addingTimeInterval(Double(round) * interval)
                // The body is the template's bytes with id, agent and window patched in: no JSONEncoder per request,
                // so the client's share of the two cores stays small and the figure measures the server.
                let body = bodyTemplate.render(
                    id: id, agentID: "bench/agent-\(agent)", start: RFC3339.format(ws),
                    end: RFC3339.format(ws.addingTimeInterval(interval)))
                let request = TransportRequest(
                    method: .post, url: reportsURL, headers: ["Content-Type": "application/json"], body: body,
                    bearerToken: credentials[agent])
                let transport = pool[n % pool.count]
                inFlight += 1
                group.addTask {
                    let t0 = ContinuousClock.now
                    do {
                        let response = try await transport.send(request)
                        guard response.status == 201 || response.status == 200 else {
                            throw ValidationError("POST /v1/reports answered \(response.status): \(response.bodyString)")
                        }
                        let ms = Double((ContinuousClock.now - t0).components.attoseconds) / 1e15
                            + Double((ContinuousClock.now - t0).components.seconds) * 1000
                        stats.latencies.withLock { $0.append(ms) }
                    } catch {
                        if stats.failures.add(1, ordering: .relaxed).newValue <= 3 { print("error: \(error)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let serverCPU: Double? =
            if let before = serverCPUBefore, let pid = serverPID, let after = Self.cpuSeconds(pid: "\(pid)") {
                after - before
            } else { nil }
        let clientCPU: Double? =
            if let before = clientCPUBefore, let after = Self.cpuSeconds(pid: "self") { after - before } else { nil }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = stats.latencies.withLock { $0.sorted() }
        func q(_ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] }
        let ok = sorted.count
        print("load.agents\t\(agents)\tagents")
        print("load.offered\t\(String(format: "%.0f", Double(agents) / interval))\treports/s")
        print("load.sustained\t\(String(format: "%.0f", Double(ok) / seconds))\treports/s")
        print("load.p50\t\(String(format: "%.2f", q(0.5)))\tms")
        print("load.p99\t\(String(format: "%.2f", q(0.99)))\tms")
        print("load.failed\t\(stats.failures.load(ordering: .relaxed))\trequests")
        // CPU time per report does not depend on what else the machine runs (wall-clock figures do).
        if let serverCPU, ok > 0 {
            print("load.server_cpu\t\(String(format: "%.2f", serverCPU / seconds))\tcores")
            print("load.server_cpu_per_report\t\(String(format: "%.1f", serverCPU / Double(ok) * 1e6))\tus")
        }
        if let clientCPU, ok > 0 {
            print("load.client_cpu_per_report\t\(String(format: "%.1f", clientCPU / Double(ok) * 1e6))\tus")
        }
        if let serverPID, let status = try? String(contentsOfFile: "/proc/\(serverPID)/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") || line.hasPrefix("VmHWM:") {
                let kb = Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
                print("load.server_\(line.hasPrefix("VmRSS") ? "rss" : "rss_peak")\t\(String(format: "%.1f", kb / 1024))\tMiB")
            }
        }
    }

}

extension LoadSettings {
    /// User + system CPU seconds of a process from /proc/PID/stat (`self` for this one); nil when unreadable.
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

extension LoadBenchmark {
    /// A realistic report: 16 numeric features over 10 bins, 4 categorical over 5 categories + __other__,
    /// one output, a latency histogram, errors, resources and golden-set / online metrics.
    static func template() throws -> Report {
        var features: [String] = []
        for f in 0..<20 {
            if f % 5 == 4 {
                features.append(
                    #"{"name": "cat_\#(f)", "kind": "categorical", "n": 1200, "counts": {"c01": 400, "c02": 300, "c03": 250, "c04": 150, "c05": 80, "__other__": 20}, "psi": 0.02, "js_distance": 0.03, "verdict": "ok"}"#)
            } else {
                features.append(
                    #"{"name": "num_\#(f)", "kind": "numeric", "n": 1200, "counts": [120, 98, 131, 117, 125, 119, 122, 110, 129, 129], "psi": 0.031, "js_distance": 0.05, "verdict": "ok"}"#)
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

/// A report encoded once by DroverJSON, split around its id, agent id and window so each request only
/// concatenates bytes (the values patched in are plain ASCII without characters JSON must escape).
struct ReportBodyTemplate: Sendable {
    private var segments: [[UInt8]] = []

    /// Encodes `report` and cuts it at the values of `"id"`, `"agent_id"`, `"start"` and `"end"`.
    init(_ report: Report) throws {
        var rest = try DroverJSON.encode(report)
        for key in ["\"agent_id\":\"", "\"id\":\"", "\"end\":\"", "\"start\":\""] {  // their order in sorted-key output
            guard let at = Self.find(Array(key.utf8), in: rest) else {
                throw ValidationError("the encoded template has no \(key) value to patch")
            }
            let valueStart = at + key.utf8.count
            guard let valueEnd = rest[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else {
                throw ValidationError("the encoded template's \(key) value is not terminated")
            }
            segments.append(Array(rest[..<valueStart]))
            rest = Array(rest[valueEnd...])
        }
        segments.append(rest)
    }

    /// The body with these values in place.
    func render(id: String, agentID: String, start: String, end: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(segments.reduce(64) { $0 + $1.count })
        for (segment, value) in zip(segments, [agentID, id, end, start]) {
            out += segment
            out += value.utf8
        }
        out += segments[4]
        return out
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}

/// Latencies and failures shared by the request tasks (guarded by a Mutex and an Atomic).
final class LoadStats: Sendable {
    let latencies = Mutex<[Double]>([])
    let failures = Atomic<Int>(0)
}

import CurlTransport
import DroverAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import RefModel
import RefServer
import Synchronization
import Testing

/// Records every request a `ClosureTransport` sees and answers like an OIP server plus a Drover agent.
final class RecordingBackend: Sendable {
    private let requests = Mutex<[TransportRequest]>([])

    var recorded: [TransportRequest] { requests.withLock { $0 } }

    var transport: ClosureTransport {
        ClosureTransport { request in
            self.requests.withLock { $0.append(request) }
            if request.url.hasSuffix("/infer") {
                let body = try DroverJSON.decode(OIPInferenceRequest.self, from: request.body ?? [])
                guard case .array(let values) = body.inputs[0].data else { return TransportResponse(status: 400) }
                let flat = values.map { value -> Float in
                    if case .number(let n) = value { return Float(n) } else { return 0 }
                }
                let count = body.inputs[0].shape[0]
                let scores = RefModelCatalog.version("1")!.score(flat: flat, count: count)
                let response = OIPInferenceResponse(
                    modelName: "ranker", modelVersion: "1", id: body.id ?? "x",
                    outputs: [OIPResponseOutput(name: "score", datatype: "FP32", shape: [count, 1], data: scores)])
                return TransportResponse(status: 200, body: try DroverJSON.encode(response))
            }
            return TransportResponse(status: 202, text: "{}")
        }
    }
}

@Suite("Traffic runner")
struct TrafficRunnerTests {
    @Test("the runner infers over OIP and posts prediction events and delayed labels to the agent paths")
    func runnerPostsToAgent() async throws {
        let backend = RecordingBackend()
        var options = TrafficOptions()
        options.seed = 8
        options.rate = 0
        options.count = 30
        options.labelDelay = .milliseconds(50)
        options.batchSize = 10
        let runner = TrafficRunner(
            options: options,
            scorer: OIPScorer(transport: backend.transport, baseURL: "http://127.0.0.1:9/", model: "ranker"),
            sink: AgentSink(transport: backend.transport, baseURL: "http://127.0.0.1:7070"), clock: ContinuousClock())
        let summary = try await runner.run()
        #expect(summary.queries == 30)
        #expect(summary.inferErrors == 0)
        #expect(summary.predictions == 30)
        #expect(summary.labels > 0)
        let requests = backend.recorded
        let infers = requests.filter { $0.url == "http://127.0.0.1:9/v2/models/ranker/infer" }
        #expect(infers.count == 30)
        let eventPosts = requests.filter { $0.url == "http://127.0.0.1:7070/v1/events" }
        let events = try eventPosts.flatMap { try DroverJSON.decode([PredictionEvent].self, from: $0.body ?? []) }
        #expect(events.count == 30)
        #expect(eventPosts.allSatisfy { $0.headers["Content-Type"] == "application/json" })
        #expect(events.allSatisfy { $0.model == "ranker" && $0.version == "1" && $0.items?.count == $0.scores.count })
        let labelPosts = requests.filter { $0.url == "http://127.0.0.1:7070/v1/labels" }
        let labels = try labelPosts.flatMap { try DroverJSON.decode([LabelEvent].self, from: $0.body ?? []) }
        #expect(labels.count == summary.labels)
        #expect(Set(labels.map(\.requestID)).isSubset(of: Set(events.map(\.requestID))))
        // Labels come after the events they belong to.
        let firstLabel = try #require(requests.firstIndex { $0.url.hasSuffix("/v1/labels") })
        #expect(requests[..<firstLabel].contains { $0.url.hasSuffix("/v1/events") })
    }

    @Test("the same seed gives the same events; a shift after N queries changes only the later ones")
    func determinismAndShift() async throws {
        func run(shift: TrafficShift?) async throws -> [PredictionEvent] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "refserver-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let eventsPath = directory.appendingPathComponent("events.jsonl").path
            var options = TrafficOptions()
            options.seed = 21
            options.rate = 0
            options.count = 40
            options.labelDelay = .zero
            options.granularity = .item
            options.shift = shift
            options.shiftTrigger = .afterRequests(20)
            let runner = TrafficRunner(
                options: options, scorer: LocalScorer(version: RefModelCatalog.version("1")!),
                sink: try JSONLinesSink(eventsPath: eventsPath, labelsPath: nil), clock: ContinuousClock())
            let summary = try await runner.run()
            #expect(summary.shiftedQueries == (shift == nil ? 0 : 20))
            let text = try String(contentsOfFile: eventsPath, encoding: .utf8)
            return try text.split(separator: "\n").map {
                try DroverJSON.decode(PredictionEvent.self, from: Array($0.utf8))
            }
        }
        let plain = try await run(shift: nil)
        let again = try await run(shift: nil)
        #expect(plain.map(\.requestID) == again.map(\.requestID))
        #expect(plain.map(\.features) == again.map(\.features))
        let inflated = try await run(shift: .inflation)
        #expect(inflated.count == plain.count)
        let boundary = plain.firstIndex { $0.requestID.hasPrefix("req-15-20:") }!
        for (a, b) in zip(plain, inflated) {
            let ratio = b.features["price"]!.number! / a.features["price"]!.number!
            if plain.firstIndex(of: a)! < boundary { #expect(ratio == 1) } else { #expect(abs(ratio - 1.3) < 0.01) }
        }
    }

    @Test("the traffic generator drives a live reference server through CurlTransport")
    func liveCurl() async throws {
        let server = try TestServer(port: 0)
        try await server.app.test(.live) { client in
            let port = try #require(client.port)
            try CurlGlobal.initialize()
            let transport = try CurlTransport()
            let backend = RecordingBackend()
            var options = TrafficOptions()
            options.rate = 0
            options.count = 15
            options.labelDelay = .zero
            let runner = TrafficRunner(
                options: options,
                scorer: OIPScorer(
                    transport: transport, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: "2"),
                sink: AgentSink(transport: backend.transport, baseURL: "http://agent.invalid"), clock: ContinuousClock()
            )
            let summary = try await runner.run()
            #expect(summary.inferErrors == 0)
            #expect(summary.predictions == 15)
            #expect(server.state.stats.inferOK["2"] == 15)
        }
    }

    @Test("inference failures are counted and the run goes on")
    func inferFailures() async throws {
        let server = try TestServer(port: 0) {
            $0.faults.errorRate = 0.5
            $0.faults.seed = 3
        }
        try await server.app.test(.live) { client in
            let port = try #require(client.port)
            try CurlGlobal.initialize()
            var options = TrafficOptions()
            options.rate = 0
            options.count = 40
            options.labelDelay = .zero
            let runner = TrafficRunner(
                options: options,
                scorer: OIPScorer(transport: try CurlTransport(), baseURL: "http://127.0.0.1:\(port)", model: "ranker"),
                sink: FanOutSink([]), clock: ContinuousClock())
            let summary = try await runner.run()
            #expect(summary.queries == 40)
            #expect(summary.inferErrors == server.state.stats.inferErrorsInjected)
            #expect(summary.inferErrors > 5)
            #expect(summary.lastError?.contains("injected") == true)
        }
    }
}

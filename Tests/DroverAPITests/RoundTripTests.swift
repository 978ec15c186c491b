import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// One DTO value and a check that it survives encode → decode unchanged.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    let name: String
    let check: @Sendable () throws -> Bool

    init<T: Codable & Equatable & Sendable>(_ name: String, _ value: T) {
        self.name = name
        self.check = { try roundTrip(value) == value }
    }

    var testDescription: String { name }
}

@Suite("JSON round trips")
struct RoundTripTests {
    static let at = Fixtures.windowStart

    static let cases: [RoundTripCase] = [
        RoundTripCase("Report (fixture, 20 features)", Fixtures.report()),
        RoundTripCase(
            "Report (minimal)",
            Report(
                id: Fixtures.reportID(1), agentID: "a", model: "m", version: "1",
                window: TimeWindow(start: at, end: at.addingTimeInterval(60)),
                health: HealthBlock(live: false, ready: false))),
        RoundTripCase("ReportBatch", ReportBatch(reports: [Fixtures.report(index: 0), Fixtures.report(index: 1)])),
        RoundTripCase("ReportAck", ReportAck(accepted: ["a"], duplicates: ["b"])),
        RoundTripCase("Histogram", Histogram(bounds: [1, 2.5], counts: [1, 2, 3])),
        RoundTripCase(
            "FeatureDrift (embedding)",
            FeatureDrift(
                name: "emb", kind: .embedding, n: 5, centroidDistance: 0.1, driftedDimensionShare: 0.2,
                verdict: .insufficientData)),
        RoundTripCase("ReferenceProfile", Fixtures.referenceProfile()),
        RoundTripCase(
            "FeatureProfile (embedding)",
            FeatureProfile(
                name: "emb", kind: .embedding, n: 10, centroid: [0.5, -0.25], dimensionStd: [0.1, 0.2])),
        RoundTripCase(
            "ModelVersion",
            Fixtures.modelVersion(
                lineage: Lineage(derivedFrom: "6", method: .distill, parameters: ["teacher": "6"]), status: .stable,
                aliases: ["stable"], trainingRunID: "run-1")),
        RoundTripCase(
            "ModelVersion (created)",
            {
                var version = Fixtures.modelVersion(status: .rolledBack)
                version.createdAt = at
                version.createdBy = "mei"
                return version
            }()),
        RoundTripCase("DesiredState", Fixtures.desiredState(generation: 9)),
        RoundTripCase(
            "ObservedState",
            ObservedState(
                agentID: "node-a/ranker-0", model: "ranker", version: "7", generation: 3, status: .failed,
                error: "load failed",
                observedAt: at)),
        RoundTripCase(
            "DesiredStateUpdate",
            DesiredStateUpdate(selector: ["zone": "eu-1"], model: "ranker", version: "8", reason: "pin")),
        RoundTripCase("RolloutPlan", Fixtures.rolloutPlan()),
        RoundTripCase("Gate (fidelity)", Gate(metric: "top10_overlap", kind: .fidelity, op: .ge, threshold: 0.95)),
        RoundTripCase(
            "Alert (resolved)",
            {
                var alert = Fixtures.alert()
                alert.status = .resolved
                alert.endsAt = at.addingTimeInterval(600)
                return alert
            }()),
        RoundTripCase(
            "AlertRule",
            AlertRule(
                name: "HighErrorRate", metric: "error_rate", model: "ranker", op: .ge, threshold: 0.05, forSeconds: 300,
                severity: "critical")),
        RoundTripCase("TrainingStep (finite)", Fixtures.trainingStep(step: 5)),
        RoundTripCase("TrainingStep (NaN, -Inf)", Fixtures.trainingStep(step: 6, loss: .nan, gradNorm: -.infinity)),
        RoundTripCase("PredictionEvent", Fixtures.predictionEvent(index: 3)),
        RoundTripCase(
            "LabelEvent",
            LabelEvent(requestID: "req-1", kind: .purchase, value: 19.99, item: "item-3", at: "2026-11-29T04:00:05Z")),
        RoundTripCase(
            "GoldenRecord",
            GoldenRecord(
                id: "g1", queryID: "q1", item: "i1", features: ["price": .number(9.5), "category": .string("c01")],
                relevance: 2)),
        RoundTripCase(
            "EnrollRequest",
            EnrollRequest(
                agentID: "node-a/ranker-0", model: "ranker", labels: ["zone": "eu-1"], serverKind: "oip",
                agentVersion: "0.1.0")),
        RoundTripCase("EnrollResponse", EnrollResponse(agentID: "node-a/ranker-0", token: "drv_secret")),
        RoundTripCase(
            "Heartbeat", Heartbeat(agentID: "node-a/ranker-0", version: "7", labels: ["zone": "eu-1"], spoolDepth: 4)),
        RoundTripCase(
            "AgentInfo",
            AgentInfo(
                agentID: "node-a/ranker-0", model: "ranker", labels: ["zone": "eu-1"], version: "7",
                desiredVersion: "8", state: .stale, lastSeen: at)),
        RoundTripCase("APIErrorBody", APIErrorBody(code: "invalid_field", message: "must not be empty", field: "id")),
        RoundTripCase(
            "FleetHealth",
            FleetHealth(
                from: at, to: at.addingTimeInterval(300),
                groups: [
                    FleetHealthGroup(
                        model: "ranker", version: "7", zone: "eu-1", reports: 15, requests: 18_000,
                        errors: 12, errorRate: 0.00066, errorsByKind: ["timeout": 12], probes: 60,
                        latencyMs: LatencyQuantiles(count: 18_000, p50: 3.0, p90: 6.1, p99: 9.9),
                        validation: MetricMeans(source: "golden_set", n: 600, metrics: ["roc_auc": 0.78]),
                        drift: [
                            FleetFeatureDrift(
                                name: "price", role: "feature", kind: .numeric, n: 18_000, counts: [9_000, 9_000],
                                referenceCounts: [5_000, 5_000], score: DriftScore(psi: 0.03, jsDistance: 0.05, verdict: .ok))
                        ],
                        referenceProfile: "sha256:ab", profileMismatches: 2, mismatchedProfiles: ["sha256:old": 2])
                ])),
        RoundTripCase(
            "SchemaCheck",
            SchemaCheck(
                model: "ranker", version: "8", selector: ["zone": "eu-1"], compatible: false,
                declared: [SchemaFeature(name: "price", kinds: [.numeric])],
                groups: [
                    SchemaCheckGroup(
                        agents: ["a"], servedVersions: ["7"], source: ["reports"], compatible: false, missing: ["x"],
                        extra: ["brand"],
                        kindMismatches: [SchemaKindMismatch(name: "price", declared: [.numeric], observed: [.categorical])])
                ],
                unchecked: [SchemaUncheckedAgent(agentID: "b", reason: "no reports yet")], note: "n")),
        RoundTripCase(
            "DesiredStateResult",
            DesiredStateResult(
                desired: [DesiredState(agentID: "a", model: "ranker", version: "8", generation: 2, reason: "r", updatedAt: at)],
                schemaCheck: SchemaCheck(model: "ranker", version: "8", compatible: true), forced: false)),
        RoundTripCase(
            "DesiredStateUpdate (forced)",
            DesiredStateUpdate(selector: ["zone": "eu-1"], model: "ranker", version: "8", reason: "r", force: true)),
        RoundTripCase("TokenCreateRequest", TokenCreateRequest(name: "mei-laptop", role: "operator")),
        RoundTripCase(
            "TokenCreateResponse",
            TokenCreateResponse(id: "tok_1", name: "mei-laptop", role: "operator", token: "drv_x", createdAt: at)),
        RoundTripCase("FeatureValue (number)", FeatureValue.number(1.5)),
        RoundTripCase("FeatureValue (string)", FeatureValue.string("c01")),
    ]

    @Test("Every DTO survives encode and decode unchanged", arguments: cases)
    func roundTrips(_ testCase: RoundTripCase) throws {
        #expect(try testCase.check())
    }

    @Test("Keys are snake_case on the wire")
    func snakeCaseKeys() throws {
        let text = String(decoding: try DroverJSON.encode(Fixtures.report()), as: UTF8.self)
        for key in [
            "schema_version", "agent_id", "latency_ms", "probe_failures", "consecutive_failures", "by_kind",
            "agent_rss_bytes", "reference_profile", "js_distance",
        ] {
            #expect(text.contains("\"\(key)\""), "missing \(key)")
        }
        #expect(!text.contains("agentID"))
    }

    @Test("Drift counts decode from an array (bins) or an object (categories)")
    func driftCountsShapes() throws {
        #expect(try DroverJSON.decode(DriftCounts.self, from: Array("[1,2,3]".utf8)) == .bins([1, 2, 3]))
        #expect(try DroverJSON.decode(DriftCounts.self, from: Array("{\"a\":1}".utf8)) == .categories(["a": 1]))
        #expect(throws: (any Error).self) { try DroverJSON.decode(DriftCounts.self, from: Array("\"x\"".utf8)) }
    }

    @Test("A model version with only required fields decodes with defaults")
    func modelVersionDefaults() throws {
        let json =
            #"{"schema_version":1,"model":"ranker","version":"9","artifact":{"uri":"file:///m","sha256":"\#(Fixtures.artifactSHA256)"}}"#
        let version = try DroverJSON.decode(ModelVersion.self, from: Array(json.utf8))
        #expect(version.status == .registered)
        #expect(version.aliases.isEmpty && version.inputs.isEmpty && version.offlineMetrics.isEmpty)
        #expect(version.validationError == nil)
    }

    @Test("Lineage without parameters decodes with none")
    func lineageWithoutParameters() throws {
        let lineage = try DroverJSON.decode(Lineage.self, from: Array(#"{"derived_from":"1","method":"quantize"}"#.utf8))
        #expect(lineage == Lineage(derivedFrom: "1", method: .quantize))
    }

    @Test("Unknown keys are ignored, so the contract can grow")
    func unknownKeysIgnored() throws {
        let json = #"{"agent_id":"a","version":"7","future_field":{"x":1}}"#
        let heartbeat = try DroverJSON.decode(Heartbeat.self, from: Array(json.utf8))
        #expect(heartbeat == Heartbeat(agentID: "a", version: "7"))
    }
}

import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// A document broken in one place, and the field its validation error must name.
struct BadCase: Sendable, CustomTestStringConvertible {
    let name: String
    let field: String
    let validate: @Sendable () -> ValidationError?

    init<T: Validatable & Sendable>(
        _ name: String, field: String, _ base: T, _ mutate: @escaping @Sendable (inout T) -> Void
    ) {
        self.name = name
        self.field = field
        self.validate = {
            var value = base
            mutate(&value)
            return value.validationError
        }
    }

    var testDescription: String { "\(name) → \(field)" }
}

@Suite("Validation")
struct ValidationTests {
    static let report = Fixtures.report()
    static let profile = Fixtures.referenceProfile()
    static let version = Fixtures.modelVersion(lineage: Lineage(derivedFrom: "6", method: .quantize))
    static let plan = Fixtures.rolloutPlan()
    static let desired = Fixtures.desiredState()
    static let alert = Fixtures.alert()
    static let step = Fixtures.trainingStep()
    static let event = Fixtures.predictionEvent()
    static let start = Fixtures.windowStart

    @Test("Every fixture builder produces a valid document")
    func fixturesAreValid() {
        #expect(Self.report.validationError == nil)
        #expect(Fixtures.report(index: 7, featureCount: 1000).validationError == nil)
        #expect(Self.profile.validationError == nil)
        #expect(Self.version.validationError == nil)
        #expect(Self.plan.validationError == nil)
        #expect(Self.desired.validationError == nil)
        #expect(Self.alert.validationError == nil)
        #expect(Self.step.validationError == nil)
        #expect(Self.event.validationError == nil)
        #expect(ReportBatch(reports: (0..<5).map { Fixtures.report(index: $0) }).validationError == nil)
        #expect(Fixtures.observedState(status: .failed).validationError == nil)
        #expect(Fixtures.enrollRequest().validationError == nil)
        #expect(Fixtures.heartbeat().validationError == nil)
        #expect(Fixtures.labelEvent(kind: .label).validationError == nil)
        #expect(Fixtures.goldenRecord(index: 7).validationError == nil)
    }

    static let reportCases: [BadCase] = [
        BadCase("unknown schema version", field: "schema_version", report) { $0.schemaVersion = 99 },
        BadCase("schema version zero", field: "schema_version", report) { $0.schemaVersion = 0 },
        BadCase("empty id", field: "id", report) { $0.id = "" },
        BadCase("id with a space", field: "id", report) { $0.id = "a b" },
        BadCase("over-long id", field: "id", report) { $0.id = String(repeating: "x", count: 300) },
        BadCase("empty agent id", field: "agent_id", report) { $0.agentID = "" },
        BadCase("model with a slash", field: "model", report) { $0.model = "a/b" },
        BadCase("empty version", field: "version", report) { $0.version = "" },
        BadCase("version '..'", field: "version", report) { $0.version = ".." },
        BadCase("window end before start", field: "window.end", report) {
            $0.window.end = start.addingTimeInterval(-1)
        },
        BadCase("empty window", field: "window.end", report) { $0.window.end = $0.window.start },
        BadCase("window of two days", field: "window.end", report) {
            $0.window.end = start.addingTimeInterval(2 * 86_400)
        },
        BadCase("negative probes", field: "health.probes", report) { $0.health.probes = -1 },
        BadCase("more failures than probes", field: "health.probe_failures", report) { $0.health.probeFailures = 61 },
        BadCase("negative consecutive failures", field: "health.consecutive_failures", report) {
            $0.health.consecutiveFailures = -2
        },
        BadCase("negative latency count", field: "latency_ms.count", report) { $0.latencyMs?.count = -1 },
        BadCase("NaN p50", field: "latency_ms.p50", report) { $0.latencyMs?.p50 = .nan },
        BadCase("infinite p99", field: "latency_ms.p99", report) { $0.latencyMs?.p99 = .infinity },
        BadCase("p99 below p50", field: "latency_ms.p99", report) {
            $0.latencyMs?.p50 = 5; $0.latencyMs?.p90 = nil; $0.latencyMs?.p99 = 4
        },
        BadCase("max below p99", field: "latency_ms.max", report) { $0.latencyMs?.max = 1 },
        BadCase("histogram counts one short", field: "latency_ms.histogram.counts", report) {
            $0.latencyMs?.histogram.counts.removeLast()
        },
        BadCase("histogram bounds not increasing", field: "latency_ms.histogram.bounds[2]", report) {
            $0.latencyMs?.histogram.bounds[2] = 2
        },
        BadCase("histogram bound NaN", field: "latency_ms.histogram.bounds[0]", report) {
            $0.latencyMs?.histogram.bounds[0] = .nan
        },
        BadCase("negative histogram count", field: "latency_ms.histogram.counts[3]", report) {
            $0.latencyMs?.histogram.counts[3] = -5
        },
        BadCase("negative error count", field: "errors.count", report) { $0.errors.count = -1 },
        BadCase("negative error kind", field: "errors.by_kind[\"timeout\"]", report) {
            $0.errors.byKind["timeout"] = -1
        },
        BadCase("empty error kind", field: "errors.by_kind[\"\"]", report) { $0.errors.byKind[""] = 1 },
        BadCase("too many error kinds", field: "errors.by_kind", report) { r in
            for i in 0..<100 { r.errors.byKind["k\(i)"] = 1 }
        },
        BadCase("negative RSS", field: "resources.agent_rss_bytes", report) { $0.resources?.agentRSSBytes = -1 },
        BadCase("NaN CPU seconds", field: "resources.server_cpu_seconds", report) {
            $0.resources?.serverCPUSeconds = .nan
        },
        BadCase("NaN validation metric", field: "validation.metrics[\"roc_auc\"]", report) {
            $0.validation?.metrics["roc_auc"] = .nan
        },
        BadCase("infinite online metric", field: "online.metrics[\"ctr\"]", report) {
            $0.online?.metrics["ctr"] = -.infinity
        },
        BadCase("negative validation n", field: "validation.n", report) { $0.validation?.n = -1 },
        BadCase("empty validation source", field: "validation.source", report) { $0.validation?.source = "" },
        BadCase("profile reference with a space", field: "drift.reference_profile", report) {
            $0.drift?.referenceProfile = "sha256 abc"
        },
        BadCase("empty profile reference", field: "drift.reference_profile", report) {
            $0.drift?.referenceProfile = ""
        },
        BadCase("negative bin count", field: "drift.features[3].counts[2]", report) { r in
            r.drift?.features[3].counts = .bins([1, 2, -3])
        },
        BadCase("too many bins", field: "drift.features[0].counts", report) { r in
            r.drift?.features[0].counts = .bins(Array(repeating: 1, count: 1001))
        },
        BadCase("too many categories", field: "drift.features[15].counts", report) { r in
            r.drift?.features[15].counts = .categories(
                Dictionary(uniqueKeysWithValues: (0..<1002).map { ("c\($0)", 1) }))
        },
        BadCase("negative category count", field: "drift.features[15].counts[\"c01\"]", report) { r in
            r.drift?.features[15].counts = .categories(["c01": -1])
        },
        BadCase("numeric feature with category counts", field: "drift.features[0].counts", report) { r in
            r.drift?.features[0].counts = .categories(["a": 1])
        },
        BadCase("categorical feature with bin counts", field: "drift.features[15].counts", report) { r in
            r.drift?.features[15].counts = .bins([1, 2])
        },
        BadCase("embedding with counts", field: "drift.features[0].counts", report) { r in
            r.drift?.features[0].kind = .embedding
        },
        BadCase("NaN psi", field: "drift.features[4].psi", report) { $0.drift?.features[4].psi = .nan },
        BadCase("negative psi", field: "drift.features[4].psi", report) { $0.drift?.features[4].psi = -0.1 },
        BadCase("p-value above 1", field: "drift.features[1].p_value", report) { $0.drift?.features[1].pValue = 1.5 },
        BadCase("JS distance above 1", field: "drift.features[1].js_distance", report) {
            $0.drift?.features[1].jsDistance = 2
        },
        BadCase("infinite KS statistic", field: "drift.features[1].ks_statistic", report) {
            $0.drift?.features[1].ksStatistic = .infinity
        },
        BadCase("negative feature n", field: "drift.features[2].n", report) { $0.drift?.features[2].n = -1 },
        BadCase("empty feature name", field: "drift.features[2].name", report) { $0.drift?.features[2].name = "" },
        BadCase("duplicate feature name", field: "drift.features[1].name", report) { r in
            r.drift?.features[1].name = "price"
        },
        BadCase("too many features", field: "drift.features", report) { r in
            r.drift?.features = (0..<1001).map { FeatureDrift(name: "f\($0)", kind: .numeric, n: 0, verdict: .ok) }
        },
        BadCase("bad output", field: "drift.outputs[0].psi", report) { $0.drift?.outputs[0].psi = .nan },
        BadCase("negative dropped events", field: "dropped.events", report) { $0.dropped.events = -1 },
        BadCase("negative dropped labels", field: "dropped.labels", report) { $0.dropped.labels = -1 },
        BadCase("too many events", field: "events", report) { r in
            r.events = Array(repeating: IncidentEvent(at: start, kind: "failover", reason: "x"), count: 1001)
        },
        BadCase("event without kind", field: "events[0].kind", report) { r in
            r.events = [IncidentEvent(at: start, kind: "", reason: "x")]
        },
        BadCase("event with empty target version", field: "events[1].to", report) { r in
            r.events = [
                IncidentEvent(at: start, kind: "failover", reason: "x"),
                IncidentEvent(at: start, kind: "failover", to: "", reason: "x"),
            ]
        },
        BadCase("event reason too long", field: "events[0].reason", report) { r in
            r.events = [IncidentEvent(at: start, kind: "failover", reason: String(repeating: "x", count: 5000))]
        },
    ]

    static let profileCases: [BadCase] = [
        BadCase("unknown schema version", field: "schema_version", profile) { $0.schemaVersion = 2 },
        BadCase("empty model", field: "model", profile) { $0.model = "" },
        BadCase("numeric without edges", field: "features[0].edges", profile) { $0.features[0].edges = nil },
        BadCase("edges not increasing", field: "features[0].edges[1]", profile) {
            $0.features[0].edges = [1, 1, 2]; $0.features[0].counts = [1, 1, 1, 1]
        },
        BadCase("infinite edge", field: "features[0].edges[8]", profile) { $0.features[0].edges?[8] = .infinity },
        BadCase("counts not edges + 1", field: "features[0].counts", profile) { $0.features[0].counts?.removeLast() },
        BadCase("numeric without counts", field: "features[0].counts", profile) { $0.features[0].counts = nil },
        BadCase("negative reference count", field: "features[1].counts[4]", profile) { $0.features[1].counts?[4] = -1 },
        BadCase("categorical without categories", field: "features[15].categories", profile) {
            $0.features[15].categories = nil
        },
        BadCase("categorical counts without __other__", field: "features[15].counts", profile) {
            $0.features[15].counts?.removeLast()
        },
        BadCase("listed __other__", field: "features[15].categories[5]", profile) { p in
            p.features[15].categories?.append("__other__")
            p.features[15].counts?.append(0)
        },
        BadCase("duplicate category", field: "features[15].categories[1]", profile) {
            $0.features[15].categories?[1] = "c01"
        },
        BadCase("over-long category", field: "features[15].categories[0]", profile) {
            $0.features[15].categories?[0] = String(repeating: "c", count: 300)
        },
        BadCase("embedding without centroid", field: "features[0].centroid", profile) {
            $0.features[0].kind = .embedding
        },
        BadCase("embedding NaN centroid", field: "features[0].centroid[1]", profile) { p in
            p.features[0] = FeatureProfile(name: "emb", kind: .embedding, n: 1, centroid: [0, .nan])
        },
        BadCase("embedding std of wrong size", field: "features[0].dimension_std", profile) { p in
            p.features[0] = FeatureProfile(name: "emb", kind: .embedding, n: 1, centroid: [0, 1], dimensionStd: [1])
        },
        BadCase("duplicate feature", field: "features[1].name", profile) { $0.features[1].name = $0.features[0].name },
        BadCase("too many features", field: "features", profile) { p in
            p.features = Array(repeating: p.features[0], count: 1001)
        },
        BadCase("negative n", field: "outputs[0].n", profile) { $0.outputs[0].n = -1 },
    ]

    static let versionCases: [BadCase] = [
        BadCase("unknown schema version", field: "schema_version", version) { $0.schemaVersion = 7 },
        BadCase("empty version id", field: "version", version) { $0.version = "" },
        BadCase("version with a space", field: "version", version) { $0.version = "7 beta" },
        BadCase("model with a slash", field: "model", version) { $0.model = "rank/er" },
        BadCase("short sha256", field: "artifact.sha256", version) { $0.artifact.sha256 = "abc123" },
        BadCase("65-character sha256", field: "artifact.sha256", version) { $0.artifact.sha256 += "0" },
        BadCase("non-hex sha256", field: "artifact.sha256", version) {
            $0.artifact.sha256 = String(repeating: "g", count: 64)
        },
        BadCase("upper-case sha256", field: "artifact.sha256", version) {
            $0.artifact.sha256 = $0.artifact.sha256.uppercased()
        },
        BadCase("empty artifact URI", field: "artifact.uri", version) { $0.artifact.uri = "" },
        BadCase("URI with a space", field: "artifact.uri", version) { $0.artifact.uri = "s3://a b" },
        BadCase("NaN offline metric", field: "offline_metrics[\"roc_auc\"]", version) {
            $0.offlineMetrics["roc_auc"] = .nan
        },
        BadCase("empty lineage parent", field: "lineage.derived_from", version) { $0.lineage?.derivedFrom = "" },
        BadCase("derived from itself", field: "lineage.derived_from", version) { $0.lineage?.derivedFrom = $0.version },
        BadCase("bad lineage parameter key", field: "lineage.parameters[\"a b\"]", version) {
            $0.lineage?.parameters["a b"] = "1"
        },
        BadCase("sparsity above 1", field: "footprint.sparsity", version) { $0.footprint?.sparsity = 1.5 },
        BadCase("negative bytes", field: "footprint.bytes", version) { $0.footprint?.bytes = -1 },
        BadCase("shape dimension -2", field: "inputs[0].shape[0]", version) { $0.inputs[0].shape[0] = -2 },
        BadCase("duplicate input name", field: "inputs[1]", version) { $0.inputs.append($0.inputs[0]) },
        BadCase("malformed profile digest", field: "reference_profile_digest", version) {
            $0.referenceProfileDigest = "md5:abc"
        },
        BadCase("duplicate alias", field: "aliases[1]", version) { $0.aliases = ["stable", "stable"] },
        BadCase("empty training run", field: "training_run_id", version) { $0.trainingRunID = "" },
    ]

    static let planCases: [BadCase] = [
        BadCase("unknown schema version", field: "schema_version", plan) { $0.schemaVersion = -1 },
        BadCase("no stages", field: "stages", plan) { $0.stages = [] },
        BadCase("zero percent", field: "stages[1].percent", plan) { $0.stages[1].percent = 0 },
        BadCase("percent above 100", field: "stages[1].percent", plan) { $0.stages[1].percent = 100.5 },
        BadCase("NaN percent", field: "stages[0].percent", plan) { $0.stages[0].percent = .nan },
        BadCase("negative bake", field: "stages[2].bake_seconds", plan) { $0.stages[2].bakeSeconds = -1 },
        BadCase("bake of a year", field: "stages[2].bake_seconds", plan) { $0.stages[2].bakeSeconds = 365 * 86_400 },
        BadCase("infinite gate threshold", field: "stages[0].gates[1].threshold", plan) {
            $0.stages[0].gates[1].threshold = .infinity
        },
        BadCase("negative min samples", field: "stages[0].gates[0].min_samples", plan) {
            $0.stages[0].gates[0].minSamples = -1
        },
        BadCase("empty gate metric", field: "stages[1].gates[0].metric", plan) { $0.stages[1].gates[0].metric = "" },
        BadCase("empty stage name", field: "stages[0].name", plan) { $0.stages[0].name = "" },
        BadCase("duplicate stage name", field: "stages[1].name", plan) { $0.stages[1].name = "canary" },
        BadCase("baseline equals version", field: "baseline", plan) { $0.baseline = $0.version },
        BadCase("bad selector key", field: "stages[0].selector[\"po ol\"]", plan) {
            $0.stages[0].selector = ["po ol": "x"]
        },
        BadCase("selector value too long", field: "stages[0].selector[\"pool\"]", plan) {
            $0.stages[0].selector = ["pool": String(repeating: "x", count: 300)]
        },
    ]

    static let otherCases: [BadCase] = [
        BadCase("negative generation", field: "generation", desired) { $0.generation = -1 },
        BadCase("empty agent", field: "agent_id", desired) { $0.agentID = "" },
        BadCase("desired version empty", field: "version", desired) { $0.version = "" },
        BadCase("desired unknown schema", field: "schema_version", desired) { $0.schemaVersion = 3 },
        BadCase("desired empty plan id", field: "plan_id", desired) { $0.planID = "" },
        BadCase(
            "observed failure without error", field: "error",
            ObservedState(agentID: "a", model: "m", version: "1", generation: 1, status: .applied, observedAt: start)
        ) { $0.status = .failed },
        BadCase(
            "update with bad selector", field: "selector[\"\"]",
            DesiredStateUpdate(model: "m", version: "1", reason: "r")
        ) { $0.selector = ["": "x"] },
        BadCase(
            "too many labels", field: "selector",
            DesiredStateUpdate(model: "m", version: "1", reason: "r")
        ) { u in
            for i in 0..<65 { u.selector["k\(i)"] = "v" }
        },
        BadCase("unknown severity", field: "severity", alert) { $0.severity = "urgent" },
        BadCase("empty fingerprint", field: "fingerprint", alert) { $0.fingerprint = "" },
        BadCase("alert ends before it starts", field: "ends_at", alert) { $0.endsAt = start.addingTimeInterval(-60) },
        BadCase("alert label value with newline", field: "labels[\"zone\"]", alert) { $0.labels["zone"] = "eu\u{1}" },
        BadCase("negative step", field: "step", step) { $0.step = -1 },
        BadCase("empty run id", field: "run_id", step) { $0.runID = "" },
        BadCase("step unknown schema", field: "schema_version", step) { $0.schemaVersion = 2 },
        BadCase("NaN learning rate", field: "learning_rate", step) { $0.learningRate = .nan },
        BadCase("event without request id", field: "request_id", event) { $0.requestID = "" },
        BadCase("event NaN score", field: "scores[1]", event) { $0.scores[1] = .nan },
        BadCase("event items not matching scores", field: "items", event) { $0.items?.removeLast() },
        BadCase("event bad timestamp", field: "at", event) { $0.at = "yesterday" },
        BadCase("event infinite feature", field: "features[\"price\"]", event) {
            $0.features["price"] = .number(.infinity)
        },
        BadCase("event negative latency", field: "latency_ms", event) { $0.latencyMs = -1 },
        BadCase("label event without value", field: "value", LabelEvent(requestID: "r", kind: .label, value: 1)) {
            $0.value = nil
        },
        BadCase("label event value 2", field: "value", LabelEvent(requestID: "r", kind: .label, value: 1)) {
            $0.value = 2
        },
        BadCase("golden record relevance 4", field: "relevance", GoldenRecord(id: "g", features: [:], relevance: 1)) {
            $0.relevance = 4
        },
        BadCase("golden record without answer", field: "label", GoldenRecord(id: "g", features: [:], label: 1)) {
            $0.label = nil
        },
        BadCase("enroll without agent", field: "agent_id", EnrollRequest(agentID: "a", model: "m")) { $0.agentID = "" },
        BadCase("heartbeat negative spool", field: "spool_depth", Heartbeat(agentID: "a")) { $0.spoolDepth = -1 },
        BadCase("batch without reports", field: "reports", ReportBatch(reports: [report])) { $0.reports = [] },
        BadCase("batch with duplicate ids", field: "reports[1].id", ReportBatch(reports: [report])) {
            $0.reports.append($0.reports[0])
        },
        BadCase("batch with a bad report", field: "reports[0].health.probes", ReportBatch(reports: [report])) {
            $0.reports[0].health.probes = -1
        },
        BadCase("token with unknown role", field: "role", TokenCreateRequest(name: "n", role: "admin")) {
            $0.role = "agent"
        },
    ]

    @Test("A broken report is rejected naming the field", arguments: reportCases)
    func badReport(_ bad: BadCase) throws { try expectRejected(bad) }

    @Test("A broken reference profile is rejected naming the field", arguments: profileCases)
    func badProfile(_ bad: BadCase) throws { try expectRejected(bad) }

    @Test("A broken model version is rejected naming the field", arguments: versionCases)
    func badVersion(_ bad: BadCase) throws { try expectRejected(bad) }

    @Test("A broken rollout plan is rejected naming the field", arguments: planCases)
    func badPlan(_ bad: BadCase) throws { try expectRejected(bad) }

    @Test("Other broken documents are rejected naming the field", arguments: otherCases)
    func badOther(_ bad: BadCase) throws { try expectRejected(bad) }

    private func expectRejected(_ bad: BadCase) throws {
        let error = try #require(bad.validate(), "\(bad.name) was accepted")
        #expect(error.field == bad.field, "\(bad.name): \(error)")
        #expect(!error.message.isEmpty)
    }

    @Test("A training step may carry NaN and infinite losses and norms")
    func trainingStepNonFiniteIsValid() {
        var step = Fixtures.trainingStep(loss: .nan, gradNorm: .infinity)
        step.layerNorms = ["dense_0": LenientDouble(-.infinity)]
        #expect(step.validationError == nil)
    }

    @Test("An alert rule is checked against the contract")
    func alertRule() {
        let rule = AlertRule(name: "HighErrorRate", metric: "error_rate", op: .ge, threshold: 0.05)
        #expect(throws: Never.self) { try rule.validateContract() }
        var bad = rule
        bad.threshold = .nan
        #expect { try bad.validateContract() } throws: { ($0 as? ValidationError)?.field == "threshold" }
        bad = rule
        bad.forSeconds = -1
        #expect { try bad.validateContract(at: "rules[2]") } throws: {
            ($0 as? ValidationError)?.field == "rules[2].for_seconds"
        }
    }

    @Test("Validation errors describe themselves as field: message")
    func errorDescription() throws {
        var report = Self.report
        report.latencyMs?.histogram.counts = [1, 2]
        let error = try #require(report.validationError)
        #expect(error.description.hasPrefix("latency_ms.histogram.counts: must have bounds.count + 1 = 8 entries"))
    }

    @Test("Percentiles equal up to floating-point noise are accepted, and an empty category label is a category")
    func tolerances() {
        var report = Self.report
        report.latencyMs?.p90 = 9.8
        report.latencyMs?.p99 = 9.8 - 1e-12
        report.latencyMs?.max = 9.8
        #expect(report.validationError == nil)
        report.drift?.features[15].counts = .categories(["": 3, "c01": 4])
        #expect(report.validationError == nil)
        var profile = Self.profile
        profile.features[15].categories?[0] = ""
        #expect(profile.validationError == nil)
    }

    @Test("A categorical feature with no values seen may send [] or {}")
    func emptyCategoricalCounts() {
        var report = Self.report
        report.drift?.features[15].counts = .bins([])
        #expect(report.validationError == nil)
        report.drift?.features[15].counts = .categories([:])
        #expect(report.validationError == nil)
    }

    @Test(
        "Errors deep inside a document name the full path and keep their message",
        arguments: [
            (
                BadCase("bin count in a batch", field: "reports[2].drift.features[3].counts[1]", batch) {
                    $0.reports[2].drift?.features[3].counts = .bins([1, -1, -2])
                },
                "reports[2].drift.features[3].counts[1]: counts must not be negative, got -1"
            ),
            (
                BadCase("category count of an output", field: "drift.outputs[0].counts[\"c03\"]", report) {
                    $0.drift?.outputs[0].kind = .categorical
                    $0.drift?.outputs[0].counts = .categories(["c01": 4, "c03": -1])
                },
                "drift.outputs[0].counts[\"c03\"]: must not be negative, got -1"
            ),
            (
                BadCase("histogram bound", field: "latency_ms.histogram.bounds[1]", report) {
                    $0.latencyMs?.histogram.bounds = [1, 1, 2]
                },
                "latency_ms.histogram.bounds[1]: must be strictly increasing: "
                    + "1.0 does not exceed the previous value 1.0"
            ),
            (
                BadCase("gate of a stage", field: "stages[1].gates[0].threshold", plan) {
                    $0.stages[1].gates[0].threshold = .nan
                },
                "stages[1].gates[0].threshold: must be a finite number, got nan"
            ),
            (
                BadCase("tensor feature", field: "inputs[0].features[1]", version) {
                    $0.inputs[0].features = ["f", "g h"]
                },
                "inputs[0].features[1]: must not contain whitespace or control characters"
            ),
            (
                BadCase("duplicate output in a batch", field: "reports[1].drift.outputs[1].name", batch) {
                    let output = $0.reports[1].drift!.outputs[0]
                    $0.reports[1].drift?.outputs.append(output)
                },
                "reports[1].drift.outputs[1].name: duplicate feature name \"score\"; each feature appears once"
            ),
        ])
    func deepPaths(_ bad: BadCase, _ description: String) throws {
        let error = try #require(bad.validate(), "\(bad.name) was accepted")
        #expect(error.field == bad.field)
        #expect(error.description == description)
    }

    static let batch = ReportBatch(reports: (0..<3).map { Fixtures.report(index: $0) })

    @Test("Of several bad map entries, the first in key order is reported")
    func mapEntriesInKeyOrder() throws {
        var report = Self.report
        report.errors.byKind = ["zz": -1, "mm": 3, "b b": 1, "aa": -2]
        #expect(report.validationError?.description == "errors.by_kind[\"aa\"]: must not be negative, got -2")
        report = Self.report
        report.drift?.features[15].counts = .categories(["z": -1, "a": -1, "\u{1}": 2])
        #expect(
            report.validationError?.description
                == "drift.features[15].counts[\"\u{1}\"]: must not contain control characters")
        var event = Self.event
        event.features = ["b": .number(.nan), "a": .string(String(repeating: "v", count: 300)), "c": .number(1)]
        #expect(event.validationError?.description == "features[\"a\"]: must be at most 256 bytes, got 300")
    }

    @Test("validate(at:) puts every error under the given prefix")
    func prefixes() throws {
        var report = Self.report
        report.drift?.features[3].counts = .bins([1, -1])
        for (prefix, field) in [
            ("", "drift.features[3].counts[1]"), ("reports[7]", "reports[7].drift.features[3].counts[1]"),
            ("[0]", "[0].drift.features[3].counts[1]"), ("body", "body.drift.features[3].counts[1]"),
        ] {
            #expect(throws: ValidationError(field: field, message: "counts must not be negative, got -1")) {
                try report.validate(at: prefix)
            }
        }
        #expect(throws: Never.self) { try Self.report.validate(at: "reports[7]") }
    }

    @Test(
        "A relative field joins its parent's key with a dot, an index or map key without one",
        arguments: [
            ("psi", "features", "features.psi"), ("[3].psi", "features", "features[3].psi"),
            ("", "counts", "counts"), ("[\"zone\"]", "labels", "labels[\"zone\"]"), ("psi", "", "psi"),
            ("schema_version", "[0]", "[0].schema_version"), ("", "", ""),
        ])
    func under(_ field: String, _ key: String, _ joined: String) {
        #expect(ValidationError(field: field, message: "m").under(key).field == joined)
        #expect(ValidationError(field: field, message: "m").under(key).message == "m")
    }

    @Test("Index and map-key prefixes render as [n] and [\"key\"]")
    func underIndexAndMapKey() {
        let error = ValidationError(field: "", message: "m")
        #expect(error.under(mapKey: "c03").under("counts").under(index: 3).under("features").field
            == "features[3].counts[\"c03\"]")
        #expect(ValidationError(field: "psi", message: "m").under(index: 0).under("").field == "[0].psi")
    }
}

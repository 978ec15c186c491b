import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Golden JSON fixtures")
struct GoldenFixtureTests {
    @Test("The DESIGN.md example report decodes and re-encodes without losing or changing any field")
    func designReportKeepsAllFields() throws {
        let bytes = try fixtureBytes("design-report")
        let report = try DroverJSON.decode(Report.self, from: bytes)
        #expect(report.id == "01JDX3K9Q4W8Z6M2T0B7C5N1RV")
        #expect(report.agentID == "node-a/ranker-0")
        #expect(report.drift?.features.count == 2)
        #expect(report.drift?.features[1].counts == .categories(["c01": 40, "c02": 77, "__other__": 5]))
        #expect(report.events.first?.kind == IncidentEvent.failover)
        let encoded = try DroverJSON.encode(report)
        #expect(missingOrChanged(try jsonTree(bytes), try jsonTree(encoded)) == [])
        #expect(try roundTrip(report) == report)
    }

    @Test("The DESIGN.md example report passes validation")
    func designReportValidation() throws {
        let report = try DroverJSON.decode(Report.self, from: try fixtureBytes("design-report"))
        #expect(report.validationError == nil)
    }

    static let documents: [String] = [
        "report", "reference-profile", "model-version", "rollout-plan", "desired-state", "alert", "training-step",
    ]

    @Test("Each golden document decodes, validates and re-encodes keeping every field", arguments: documents)
    func goldenDocument(name: String) throws {
        let bytes = try fixtureBytes(name)
        let original = try jsonTree(bytes)
        let (encoded, error): ([UInt8], ValidationError?)
        switch name {
        case "report": (encoded, error) = try check(Report.self, bytes)
        case "reference-profile": (encoded, error) = try check(ReferenceProfile.self, bytes)
        case "model-version": (encoded, error) = try check(ModelVersion.self, bytes)
        case "rollout-plan": (encoded, error) = try check(RolloutPlan.self, bytes)
        case "desired-state": (encoded, error) = try check(DesiredState.self, bytes)
        case "alert": (encoded, error) = try check(Alert.self, bytes)
        case "training-step": (encoded, error) = try check(TrainingStep.self, bytes)
        default: Issue.record("no type for fixture \(name)"); return
        }
        #expect(error == nil, "\(name).json should be valid: \(String(describing: error))")
        #expect(missingOrChanged(original, try jsonTree(encoded)) == [])
    }

    @Test("The training-step fixture carries NaN and Infinity as strings")
    func trainingStepNonFinite() throws {
        let step = try DroverJSON.decode(TrainingStep.self, from: try fixtureBytes("training-step"))
        #expect(step.loss.value.isNaN)
        #expect(step.gradNorm.value == .infinity)
        #expect(step.layerNorms?["dense_1"]?.value.isNaN == true)
        let text = String(decoding: try DroverJSON.encode(step), as: UTF8.self)
        #expect(text.contains("\"loss\":\"NaN\""))
        #expect(text.contains("\"grad_norm\":\"Infinity\""))
    }

    @Test("The examples in docs/examples are the golden fixtures")
    func docsExamplesMatchFixtures() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let examples = root.appendingPathComponent("docs/examples")
        guard FileManager.default.fileExists(atPath: examples.path) else { return }  // Sources only, e.g. in a package cache.
        for name in Self.documents {
            let doc = try Data(contentsOf: examples.appendingPathComponent("\(name).json"))
            #expect(Array(doc) == (try fixtureBytes(name)), "docs/examples/\(name).json differs from the fixture")
        }
    }

    private func check<T: Codable & Equatable & Validatable>(_ type: T.Type, _ bytes: [UInt8]) throws -> (
        [UInt8], ValidationError?
    ) {
        let value = try DroverJSON.decode(T.self, from: bytes)
        let encoded = try DroverJSON.encode(value)
        #expect(try DroverJSON.decode(T.self, from: encoded) == value)
        return (encoded, value.validationError)
    }
}

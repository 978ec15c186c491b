import ArgumentParser
import DroverAPI
import DroverCLI
import Foundation
import Testing

/// Writes `text` to a temporary `.yaml` file, runs `versions register --file` on it and returns what the user sees.
private func registerError(_ text: String) throws -> (path: String, error: CLIError?) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-v-\(UUID().uuidString).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let error = #expect(throws: CLIError.self) { try VersionsRegister.parse(["--file", url.path]).document() }
    return (url.path, error)
}

private let good = """
    model: ranker
    version: 2
    artifact:
      uri: s3://models/ranker/2
      sha256: \(String(repeating: "b", count: 64))
    """

@Suite("droverctl versions register: what a user sees for a bad YAML version document")
struct VersionFileYAMLTests {
    @Test(
        "each mistake is reported as file:line:column with the field and what to change",
        arguments: [
            // A YAML syntax error from DroverYAML, at the tab.
            (
                good + "\nfootprint:\n\t precision: int8",
                "7:1: a tab in the indentation; YAML indents with spaces only", nil
            ),
            // A number where the contract wants one, at the value.
            (
                good + "\nfootprint:\n  precision: int8\n  bytes: lots",
                "8:10: footprint.bytes: expected a whole number, got \"lots\"",
                "footprint.bytes"
            ),
            // A quoted number is text.
            (
                good + "\nfootprint: {precision: int8, bytes: \"100\"}",
                "6:37: footprint.bytes: expected a whole number, got the quoted text \"100\"; remove the quotes",
                "footprint.bytes"
            ),
            // A misspelt key would otherwise be dropped silently.
            (
                good + "\nfootprnt:\n  precision: int8",
                "6:1: unknown key \"footprnt\"; check its spelling (known keys here: aliases, artifact, created_at, created_by,"
                    + " footprint, inputs, lineage, model, offline_metrics, outputs, reference_profile_digest, schema_version,"
                    + " status, training_run_id, version)", "footprnt"
            ),
            (
                good + "\nlineage:\n  derived_from: 1\n  method: quantize\n  params: {bits: 8}",
                "9:3: unknown key \"params\" in lineage; check its spelling (known keys here: derived_from, method, parameters)",
                "lineage.params"
            ),
            // An enum lists what it accepts.
            (
                good + "\nlineage:\n  derived_from: 1\n  method: squash",
                "8:11: lineage.method: expected one of finetune, retrain, quantize, prune, distill, got \"squash\"",
                "lineage.method"
            ),
            // A missing key points at the mapping that lacks it.
            ("model: ranker\nversion: 2\n", "1:1: artifact is missing in the version document; add it", "artifact"),
            (
                good + "\nlineage:\n  method: prune",
                "7:3: lineage.derived_from is missing in the version document; add it",
                "lineage.derived_from"
            ),
            // A list item of the wrong kind, with its index in the field.
            (
                good + "\ninputs:\n  - name: x\n    datatype: FP32\n    shape: [-1, eight]",
                "9:17: inputs.0.shape.1: expected a whole number, got \"eight\"", "inputs.0.shape.1"
            ),
            // A value where a mapping is expected, and a list where a mapping is expected.
            (
                good + "\nfootprint: int8", "6:12: footprint: expected a mapping (key: value lines), got \"int8\"",
                "footprint"
            ),
            (
                good + "\noffline_metrics: [0.7]",
                "6:18: offline_metrics: expected a mapping (key: value lines), got a list",
                "offline_metrics"
            ),
            // Nothing where a value is required.
            (
                good + "\nfootprint:\n  precision:",
                "7:3: footprint.precision: expected text, got nothing (null); give a value or remove the key",
                "footprint.precision"
            ),
        ] as [(String, String, String?)])
    func badDocument(text: String, expected: String, field: String?) throws {
        let (path, error) = try registerError(text)
        let error2 = try #require(error)
        #expect(error2.message == "\(path):\(expected)")
        #expect(error2.field == field)
        #expect(error2.isUsage)
    }

    @Test("a file that is a list, or holds only comments, says what a version document is")
    func notADocument() throws {
        let (path, listError) = try registerError("- model: ranker\n")
        #expect(listError?.message.hasPrefix("\(path):1:1: a version document is a mapping") == true)
        let (emptyPath, emptyError) = try registerError("# nothing yet\n")
        #expect(
            emptyError?.message
                == "\(emptyPath) holds no version document; write model, version and artifact {uri, sha256}")
    }

    @Test("numbers, booleans, dates and string maps read by the type the contract asks for")
    func scalarsByType() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-v-\(UUID().uuidString).yml")
        try
            (good + """

                schema_version: 1
                footprint: {precision: float32, parameter_count: +1000, bytes: 4000, sparsity: .5}
                offline_metrics: {ndcg_at_10: 1, roc_auc: 0.78}
                lineage: {derived_from: 1, method: finetune, parameters: {lr: 0.001, frozen: true}}
                aliases: [stable, 7]
                created_at: 2026-11-29T04:00:00Z
                """).write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let doc: ModelVersion
        do { doc = try VersionsRegister.parse(["--file", url.path]).document() } catch {
            Issue.record("\(error)")
            return
        }
        #expect(doc.version == "2")
        #expect(doc.footprint?.sparsity == 0.5)
        #expect(doc.offlineMetrics == ["ndcg_at_10": 1, "roc_auc": 0.78])
        #expect(doc.aliases == ["stable", "7"])
        #expect(doc.createdAt == RFC3339.parse("2026-11-29T04:00:00Z"))
        #expect(
            doc.lineage == Lineage(derivedFrom: "1", method: .finetune, parameters: ["lr": "0.001", "frozen": "true"]))
        #expect(doc.footprint?.parameterCount == 1000)
    }
}

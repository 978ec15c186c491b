import ArgumentParser
import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `versions register --file F.json|yaml` or by flags.
public struct VersionsRegister: ControlPlaneCommand {
    /// Name and help.
    public static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a model version from a file (JSON or YAML) or from flags.",
        discussion: """
            A file holds a version document (the body of POST /v1/versions): model, version, artifact {uri, sha256}, \
            inputs, outputs, footprint {precision, parameter_count, bytes}, offline_metrics, lineage {derived_from, \
            method, parameters}. Flags override the file's fields. In YAML, a number where the contract wants text \
            (version: 2) is read as text; mistakes and unknown keys are reported as FILE:LINE:COLUMN.
            Example: droverctl versions register --model ranker --version 2 --artifact-uri s3://models/ranker/2 \
            --sha256 <64 hex> --derived-from 1 --method quantize --param bits=8 --precision int8 --bytes 8192
            """)

    /// `--server`, `--token`.
    @OptionGroup public var connection: ControlPlaneOptions
    /// Version document.
    @Option(help: "Version document: .json, .yaml or .yml.") public var file: String?
    /// Model.
    @Option(help: "Model name.") public var model: String?
    /// Version.
    @Option(help: "Version id, e.g. 2.") public var version: String?
    /// Artifact URI.
    @Option(help: "Artifact URI.") public var artifactURI: String?
    /// Artifact digest.
    @Option(help: "Artifact sha256 (64 hex digits).") public var sha256: String?
    /// Parent version.
    @Option(help: "Lineage: the parent version.") public var derivedFrom: String?
    /// Lineage method.
    @Option(help: "Lineage method: finetune, retrain, quantize, prune or distill.") public var method: String?
    /// Lineage parameters.
    @Option(name: .customLong("param"), help: ArgumentHelp("Lineage parameter (repeatable).", valueName: "key=value"))
    public var parameters: [String] = []
    /// Precision.
    @Option(help: "Footprint: precision, e.g. float32, int8.") public var precision: String?
    /// Parameter count.
    @Option(help: "Footprint: parameter count.") public var parameterCount: Int?
    /// Bytes.
    @Option(help: "Footprint: size in bytes.") public var bytes: Int?
    /// Offline metrics.
    @Option(name: .customLong("metric"), help: ArgumentHelp("Offline metric (repeatable).", valueName: "name=value"))
    public var metrics: [String] = []
    /// Training run.
    @Option(help: "Training run id that produced this version.") public var trainingRun: String?
    /// JSON output.
    @Flag(help: "Print the stored version as JSON.") public var json = false

    /// Creates the command.
    public init() {}

    /// The version document to send: the file's, with the flags applied.
    public func document() throws(CLIError) -> ModelVersion {
        var v: ModelVersion
        if let file {
            v = try VersionFile.load(file)
        } else {
            guard let model, let version, let artifactURI, let sha256 else {
                throw .usage(
                    "give --file F.json|yaml, or at least --model, --version, --artifact-uri and --sha256"
                        + " (see `droverctl versions register --help`)")
            }
            v = ModelVersion(model: model, version: version, artifact: Artifact(uri: artifactURI, sha256: sha256))
        }
        if let model { v.model = model }
        if let version { v.version = version }
        if let artifactURI { v.artifact.uri = artifactURI }
        if let sha256 { v.artifact.sha256 = sha256 }
        if derivedFrom != nil || method != nil || !parameters.isEmpty {
            guard let parent = derivedFrom ?? v.lineage?.derivedFrom else {
                throw .usage("--method and --param need --derived-from (the parent version)", field: "lineage.derived_from")
            }
            let methodText = method ?? v.lineage?.method.rawValue ?? ""
            guard let m = LineageMethod(rawValue: methodText) else {
                throw .usage(
                    "--method must be one of \(LineageMethod.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(methodText)\"",
                    field: "lineage.method")
            }
            var params = v.lineage?.parameters ?? [:]
            for item in parameters { let (k, value) = try keyValue(item, flag: "--param"); params[k] = value }
            v.lineage = Lineage(derivedFrom: parent, method: m, parameters: params)
        }
        if precision != nil || parameterCount != nil || bytes != nil {
            var footprint = v.footprint ?? ModelFootprint(precision: precision ?? "")
            if let precision { footprint.precision = precision }
            if let parameterCount { footprint.parameterCount = parameterCount }
            if let bytes { footprint.bytes = bytes }
            guard !footprint.precision.isEmpty else {
                throw .usage("--parameter-count and --bytes need --precision (e.g. float32, int8)", field: "footprint.precision")
            }
            v.footprint = footprint
        }
        for item in metrics {
            let (k, text) = try keyValue(item, flag: "--metric")
            guard let value = Double(text), value.isFinite else {
                throw .usage("--metric \(k)= needs a number, got \"\(text)\"", field: "offline_metrics.\(k)")
            }
            v.offlineMetrics[k] = value
        }
        if let trainingRun { v.trainingRunID = trainingRun }
        return v
    }

    /// Registers and confirms.
    public func output(client: DroverClient, now: Date) async throws(CLIError) -> String {
        let v = try document()
        let stored = try await client.call(needs: "operator or admin") { c throws(DroverClientError) in try await c.registerVersion(v) }
        if json { return try JSONOutput.render(stored) }
        var text = "registered \(stored.model)/\(stored.version) (\(stored.status.rawValue))"
        if let l = stored.lineage { text += ": \(l.method.rawValue) of \(l.derivedFrom)" }
        return text
    }
}

/// Splits `key=value`.
func keyValue(_ item: String, flag: String) throws(CLIError) -> (String, String) {
    guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
        throw .usage("\(flag) expects key=value, got \"\(item)\"")
    }
    return (String(item[..<eq]), String(item[item.index(after: eq)...]))
}

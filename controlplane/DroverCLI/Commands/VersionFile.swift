import DroverAPI
import DroverYAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads version documents (the body of POST /v1/versions) from JSON or YAML files.
enum VersionFile {
    /// Loads and decodes a version document; `.yaml`/`.yml` files are read with DroverYAML.
    static func load(_ path: String) throws(CLIError) -> ModelVersion {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .usage("cannot read \(path): no such file or not readable")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try yaml(String(decoding: data, as: UTF8.self), path: path)
        }
        return try json([UInt8](data), path: path)
    }

    /// Decodes a YAML version document; every error starts with `path:line:column:`.
    static func yaml(_ text: String, path: String) throws(CLIError) -> ModelVersion {
        let parsed: YAMLNode?
        do {
            parsed = try YAML.parse(text)
        } catch {
            throw .usage("\(path):\(error.line):\(error.column): \(error.message)")
        }
        guard var root = parsed else {
            throw .usage("\(path) holds no version document; write model, version and artifact {uri, sha256}")
        }
        guard var pairs = root.mapping else {
            throw .usage(
                "\(path):\(root.line):\(root.column): a version document is a mapping (model: …, version: …),"
                    + " not a list or a single value")
        }
        // The registry's documents carry schema_version; a hand-written file may leave it out.
        if root["schema_version"] == nil {
            let at = (line: root.line, column: root.column)
            pairs.append(
                .init(
                    key: YAMLNode(.scalar("schema_version", .plain), line: at.line, column: at.column),
                    value: YAMLNode(.scalar("\(DroverAPIInfo.schemaVersion)", .plain), line: at.line, column: at.column)
                ))
            root.content = .mapping(pairs)
        }
        do {
            return try YAMLNodeDecoder.decode(ModelVersion.self, from: root)
        } catch {
            throw .usage("\(path):\(error.line):\(error.column): \(error.message)", field: error.field)
        }
    }

    /// Decodes a JSON version document.
    static func json(_ bytes: [UInt8], path: String) throws(CLIError) -> ModelVersion {
        var document = bytes
        // The registry's documents carry schema_version; a hand-written file may leave it out.
        let text = String(decoding: bytes, as: UTF8.self)
        if !text.contains("\"schema_version\""), let brace = bytes.firstIndex(of: UInt8(ascii: "{")) {
            let next = bytes[(brace + 1)...].first { $0 > 0x20 }
            let separator = next == UInt8(ascii: "}") ? "" : ","
            document.insert(
                contentsOf: Array("\"schema_version\":\(DroverAPIInfo.schemaVersion)\(separator)".utf8), at: brace + 1)
        }
        do {
            return try DroverJSON.decode(ModelVersion.self, from: document)
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw .usage("\(path) is missing in the version document; add it", field: path)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .usage(
                "\(field.isEmpty ? path : field) in the version document: \(context.debugDescription)", field: field)
        } catch {
            throw .usage("\(path) is not a version document: \(error)")
        }
    }
}

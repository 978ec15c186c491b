import DroverAPI
import DroverYAML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decodes a `Decodable` value from a YAML node tree: the type asked for decides how a plain scalar reads
/// (`version: 2` is the text "2" where the contract wants a string and the number 2 where it wants a number),
/// so no list of numeric keys has to follow the contract.
///
/// Errors are `YAMLNodeDecoder.Failure`s carrying the line and column of the offending node; keys that the type
/// never asked for are reported as unknown (a misspelt key in a hand-written file would otherwise be dropped).
struct YAMLNodeDecoder {
    /// A value that does not fit the type: where it is and what to change.
    struct Failure: Error, CustomStringConvertible {
        /// 1-based line.
        var line: Int
        /// 1-based column.
        var column: Int
        /// The dotted path of the field (`footprint.bytes`, `inputs.0.shape`), empty for the whole document.
        var field: String
        /// What is wrong and what to write instead.
        var message: String

        /// `line:column: message`.
        var description: String { "\(line):\(column): \(message)" }
    }

    /// Decodes `type` from `root`, then rejects keys the type did not read.
    static func decode<T: Decodable>(_ type: T.Type, from root: YAMLNode) throws(Failure) -> T {
        let tracker = KeyTracker()
        let value: T
        do {
            value = try T(from: NodeDecoder(node: root, codingPath: [], tracker: tracker))
        } catch let failure as Failure {
            throw failure
        } catch let error as DecodingError {
            throw failure(for: error, in: root)
        } catch {
            throw Failure(line: root.line, column: root.column, field: "", message: "\(error)")
        }
        if let unknown = tracker.firstUnknownKey(in: root) { throw unknown }
        return value
    }

    /// Places a `DecodingError` (thrown by a type's own `init(from:)`) at the node its coding path leads to.
    private static func failure(for error: DecodingError, in root: YAMLNode) -> Failure {
        let path: [any CodingKey]
        let field: String
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            field = fieldName(context.codingPath + [key])
            message = "\(field) is missing in the version document; add it"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
            field = fieldName(path)
            message = "\(field): \(context.debugDescription)"
        @unknown default:
            return Failure(line: root.line, column: root.column, field: "", message: "\(error)")
        }
        // A missing key is reported at the mapping that lacks it.
        let node = node(at: path, in: root)
        return Failure(line: node.line, column: node.column, field: field, message: message)
    }

    /// The deepest node along `path` (stops where the path leaves the document).
    private static func node(at path: [any CodingKey], in root: YAMLNode) -> YAMLNode {
        var node = root
        for key in path {
            if let index = key.intValue, let items = node.sequence, items.indices.contains(index) {
                node = items[index]
            } else if let child = node[key.stringValue] {
                node = child
            } else {
                break
            }
        }
        return node
    }

    /// `footprint.bytes`, `inputs.0.shape`.
    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Which keys each mapping was asked for, to report the ones no type wanted.
private final class KeyTracker {
    private struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// Keys asked for per mapping; nil when the whole mapping was read (a dictionary).
    private var asked: [Position: Set<String>?] = [:]
    private var paths: [Position: [any CodingKey]] = [:]

    func visit(_ node: YAMLNode, path: [any CodingKey]) {
        let position = Position(line: node.line, column: node.column)
        if asked[position] == nil { asked[position] = .some([]) }
        paths[position] = path
    }

    func ask(_ key: String, in node: YAMLNode) {
        let position = Position(line: node.line, column: node.column)
        if case .some(.some(var keys)) = asked[position] {
            keys.insert(key)
            asked[position] = .some(keys)
        }
    }

    func readAll(_ node: YAMLNode) { asked[Position(line: node.line, column: node.column)] = .some(nil) }

    /// The first key, in document order, of a decoded mapping that the type never asked for.
    func firstUnknownKey(in node: YAMLNode) -> YAMLNodeDecoder.Failure? {
        if let items = node.sequence {
            for item in items { if let found = firstUnknownKey(in: item) { return found } }
        }
        guard let pairs = node.mapping else { return nil }
        let position = Position(line: node.line, column: node.column)
        if case .some(.some(let keys)) = asked[position] {
            for pair in pairs {
                guard let key = pair.key.string, !keys.contains(key) else { continue }
                let prefix = YAMLNodeDecoder.fieldName(paths[position] ?? [])
                let known = keys.sorted().joined(separator: ", ")
                return YAMLNodeDecoder.Failure(
                    line: pair.key.line, column: pair.key.column,
                    field: prefix.isEmpty ? key : "\(prefix).\(key)",
                    message: "unknown key \"\(key)\"\(prefix.isEmpty ? "" : " in \(prefix)"); check its spelling"
                        + (known.isEmpty ? "" : " (known keys here: \(known))"))
            }
        }
        for pair in pairs { if let found = firstUnknownKey(in: pair.value) { return found } }
        return nil
    }
}

/// A `Decoder` positioned at one node.
private struct NodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let tracker: KeyTracker
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func failure(_ message: String, at node: YAMLNode? = nil) -> YAMLNodeDecoder.Failure {
        let at = node ?? self.node
        let field = YAMLNodeDecoder.fieldName(codingPath)
        return YAMLNodeDecoder.Failure(
            line: at.line, column: at.column, field: field, message: field.isEmpty ? message : "\(field): \(message)")
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let pairs = node.mapping else {
            throw failure("expected a mapping (key: value lines), got \(describe(node))")
        }
        tracker.visit(node, path: codingPath)
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, pairs: pairs))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let items = node.sequence else {
            throw failure("expected a list (- item lines or [a, b]), got \(describe(node))")
        }
        return UnkeyedNodeContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func child(_ node: YAMLNode, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], tracker: tracker)
    }

    /// Decodes a value here, reading scalars by the type asked for.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self {
            let text = try scalar(String.self) { $0 }
            guard let date = RFC3339.parse(text) else {
                throw failure("expected an RFC 3339 timestamp like 2026-11-29T04:00:00Z, got \"\(text)\"")
            }
            return date as! T
        }
        if let choices = T.self as? any (CaseIterable & RawRepresentable).Type {
            // The standard library's message ("Cannot initialize …") does not list what is allowed.
            do {
                return try T(from: self)
            } catch DecodingError.dataCorrupted {
                let text = try scalar(String.self) { $0 }
                throw failure("expected one of \(Self.rawValues(choices).joined(separator: ", ")), got \"\(text)\"")
            }
        }
        return try T(from: self)
    }

    private static func rawValues<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> [String] {
        E.allCases.map { "\($0.rawValue)" }
    }

    /// The scalar text read as `T`, or a failure saying what was expected.
    func scalar<T>(_ type: T.Type, _ read: (String) -> T?) throws -> T {
        guard case .scalar(let text, let style) = node.content else {
            throw failure("expected \(expected(T.self)), got \(describe(node))")
        }
        if node.isNull {
            throw failure("expected \(expected(T.self)), got nothing (null); give a value or remove the key")
        }
        let quoted = style == .singleQuoted || style == .doubleQuoted
        if T.self != String.self, quoted {
            throw failure("expected \(expected(T.self)), got the quoted text \"\(text)\"; remove the quotes")
        }
        guard let value = read(text) else { throw failure("expected \(expected(T.self)), got \"\(text)\"") }
        return value
    }

    private func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        case is Double.Type, is Float.Type: return "a number"
        default: return "a whole number"
        }
    }

    func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _): return node.isNull ? "nothing (null)" : "\"\(text)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let pairs: [YAMLNode.Pair]

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.tracker.readAll(decoder.node)
        return pairs.compactMap { $0.key.string.flatMap(Key.init(stringValue:)) }
    }

    func contains(_ key: Key) -> Bool {
        decoder.tracker.ask(key.stringValue, in: decoder.node)
        return value(key) != nil
    }

    private func value(_ key: Key) -> YAMLNode? { pairs.first { $0.key.string == key.stringValue }?.value }

    private func child(_ key: Key) throws -> NodeDecoder {
        decoder.tracker.ask(key.stringValue, in: decoder.node)
        guard let node = value(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return decoder.child(node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).node.isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(T.self) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [YAMLNode]
    var currentIndex = 0

    init(decoder: NodeDecoder, items: [YAMLNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw decoder.failure("expected another item in this list")
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }
    func decode(_ type: Bool.Type) throws -> Bool {
        try decoder.scalar(Bool.self) {
            ["true", "True", "TRUE"].contains($0) ? true : ["false", "False", "FALSE"].contains($0) ? false : nil
        }
    }
    func decode(_ type: String.Type) throws -> String { try decoder.scalar(String.self) { $0 } }
    func decode(_ type: Double.Type) throws -> Double { try decoder.scalar(Double.self, Self.double) }
    func decode(_ type: Float.Type) throws -> Float {
        try decoder.scalar(Float.self) { Self.double($0).map(Float.init) }
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(T.self) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try decoder.scalar(T.self) { T($0.hasPrefix("+") ? String($0.dropFirst()) : $0) }
    }

    /// YAML 1.2 core-schema floats: decimal and exponent forms, `.inf`, `-.inf`, `.nan`.
    private static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default:
            // Swift also reads "inf", "nan" and hexadecimal floats; YAML writes those as text.
            guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == "." else {
                return nil
            }
            if text.lowercased().contains("x") || text.lowercased().contains("n") { return nil }
            return Double(text)
        }
    }
}

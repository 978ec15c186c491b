import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Any JSON document, for reading server responses whose shape varies (OIP outputs, generic HTTP scores).
public indirect enum JSONValue: Sendable, Equatable, Decodable {
    /// null
    case null
    /// true / false
    case bool(Bool)
    /// a number
    case number(Double)
    /// a string
    case string(String)
    /// an array
    case array([JSONValue])
    /// an object
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Parses bytes; nil when they are not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The member of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A number, also from a numeric string (some servers send numbers as text).
    public var number: Double? {
        switch self {
        case .number(let d): return d
        case .string(let s): return Double(s)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// A string, also from a number.
    public var string: String? {
        switch self {
        case .string(let s): return s
        case .number(let d): return FeatureValue.number(d).categoryLabel
        default: return nil
        }
    }

    /// The elements of an array.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Every number in this value, depth first (nested arrays flattened).
    public var flattenedNumbers: [Double]? {
        switch self {
        case .array(let items):
            var out: [Double] = []
            for item in items {
                guard let inner = item.flattenedNumbers else { return nil }
                out += inner
            }
            return out
        default:
            return number.map { [$0] }
        }
    }

    /// Evaluates a simple path: `a.b[0].c`, `predictions[*].score`, `$` (the whole value).
    public func select(_ path: String) -> JSONValue? {
        var current: [JSONValue] = [self]
        var spread = false
        for token in JSONPath.tokens(path) {
            var next: [JSONValue] = []
            for value in current {
                switch token {
                case .key(let k):
                    if let v = value[k] { next.append(v) }
                case .index(let i):
                    if let a = value.array, i >= 0, i < a.count { next.append(a[i]) }
                case .all:
                    if let a = value.array { next += a }
                }
            }
            if case .all = token { spread = true }
            current = next
        }
        if spread { return .array(current) }
        return current.first
    }
}

/// Tokens of the simple path syntax.
enum JSONPath {
    enum Token: Equatable { case key(String), index(Int), all }

    static func tokens(_ path: String) -> [Token] {
        var tokens: [Token] = []
        var text = path.trimmed
        if text.hasPrefix("$") { text.removeFirst() }
        var name = ""
        var i = text.startIndex
        func flush() {
            if !name.isEmpty { tokens.append(.key(name)) }
            name = ""
        }
        while i < text.endIndex {
            let ch = text[i]
            if ch == "." {
                flush()
            } else if ch == "[" {
                flush()
                let close = text[i...].firstIndex(of: "]") ?? text.endIndex
                let inside = text[text.index(after: i)..<close]
                if inside == "*" { tokens.append(.all) } else if let n = Int(inside) { tokens.append(.index(n)) }
                i = close == text.endIndex ? close : text.index(after: close)
                continue
            } else {
                name.append(ch)
            }
            i = text.index(after: i)
        }
        flush()
        return tokens
    }
}

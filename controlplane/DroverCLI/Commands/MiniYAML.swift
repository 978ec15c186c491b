import DroverAPI

/// A small YAML reader for version documents: block mappings and sequences, flow `[…]`/`{…}`, quoted and plain
/// scalars, comments. Anchors, tags and multi-line strings are not supported (use JSON for those).
///
/// Plain scalars become JSON strings except under keys that hold numbers in a version document
/// (`schema_version`, `parameter_count`, `bytes`, `sparsity`, `shape`, `offline_metrics`), so `version: 2` stays "2".
enum MiniYAML {
    /// A syntax error with its line.
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    indirect enum Value {
        case plain(String)
        case quoted(String)
        case array([Value])
        case object([(String, Value)])
        case null
    }

    static let numericKeys: Set<String> = ["schema_version", "parameter_count", "bytes", "sparsity", "shape", "n"]
    static let numericMaps: Set<String> = ["offline_metrics", "metrics"]
    /// Maps whose values are always strings (lineage parameters, labels), whatever their keys.
    static let stringMaps: Set<String> = ["parameters", "labels"]

    /// Converts a YAML document to JSON bytes.
    static func toJSON(_ text: String) throws(ParseError) -> [UInt8] {
        var parser = Parser(text)
        let value = try parser.document()
        var out = ""
        emit(value, numeric: false, numericMap: false, stringMap: false, into: &out)
        return Array(out.utf8)
    }

    static func emit(_ value: Value, numeric: Bool, numericMap: Bool, stringMap: Bool, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .quoted(let s): out += JSONString.quoted(s)
        case .plain(let s):
            if s == "null" || s == "~" {
                out += "null"
            } else if numeric, Double(s) != nil {
                out += s
            } else if numeric, s == "true" || s == "false" {
                out += s
            } else {
                out += JSONString.quoted(s)
            }
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                emit(item, numeric: numeric, numericMap: false, stringMap: false, into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { out += "," }
                out += JSONString.quoted(key) + ":"
                emit(
                    item, numeric: !stringMap && (numericMap || numericKeys.contains(key)), numericMap: numericMaps.contains(key),
                    stringMap: stringMaps.contains(key), into: &out)
            }
            out += "}"
        }
    }

    struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    struct Parser {
        var lines: [Line] = []
        var index = 0

        init(_ text: String) {
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var line = String(raw)
                if line.hasSuffix("\r") { line.removeLast() }
                line = Self.stripComment(line)
                let trimmed = line.drop { $0 == " " }
                if trimmed.isEmpty || trimmed == "---" { continue }
                var end = String(trimmed)
                while end.hasSuffix(" ") { end.removeLast() }
                lines.append(Line(number: n + 1, indent: line.count - trimmed.count, text: end))
            }
        }

        static func stripComment(_ line: String) -> String {
            var inSingle = false
            var inDouble = false
            var previous: Character = " "
            var out = ""
            for c in line {
                if c == "'" && !inDouble { inSingle.toggle() }
                if c == "\"" && !inSingle && previous != "\\" { inDouble.toggle() }
                if c == "#" && !inSingle && !inDouble && (previous == " " || out.isEmpty) { break }
                out.append(c)
                previous = c
            }
            return out
        }

        mutating func document() throws(ParseError) -> Value {
            guard !lines.isEmpty else { return .object([]) }
            if lines[0].text.hasPrefix("{") || lines[0].text.hasPrefix("[") {
                let joined = lines.map(\.text).joined(separator: " ")
                var flow = Flow(joined, line: lines[0].number)
                return try flow.value()
            }
            let value = try block(indent: lines[0].indent)
            if index < lines.count {
                throw ParseError(line: lines[index].number, message: "unexpected indentation or content: \"\(lines[index].text)\"")
            }
            return value
        }

        static func isItem(_ text: String) -> Bool { text == "-" || text.hasPrefix("- ") }

        mutating func block(indent: Int) throws(ParseError) -> Value {
            Self.isItem(lines[index].text) ? try sequence(indent: indent) : try mapping(indent: indent)
        }

        mutating func mapping(indent: Int) throws(ParseError) -> Value {
            var pairs: [(String, Value)] = []
            while index < lines.count, lines[index].indent == indent, !Self.isItem(lines[index].text) {
                let line = lines[index]
                guard let (key, rest) = Self.splitKey(line.text) else {
                    throw ParseError(line: line.number, message: "expected \"key: value\", got \"\(line.text)\"")
                }
                index += 1
                if rest.isEmpty {
                    if index < lines.count, lines[index].indent > indent {
                        pairs.append((key, try block(indent: lines[index].indent)))
                    } else if index < lines.count, lines[index].indent == indent, Self.isItem(lines[index].text) {
                        pairs.append((key, try sequence(indent: indent)))
                    } else {
                        pairs.append((key, .null))
                    }
                } else {
                    pairs.append((key, try Self.scalarOrFlow(rest, line: line.number)))
                }
            }
            return .object(pairs)
        }

        mutating func sequence(indent: Int) throws(ParseError) -> Value {
            var items: [Value] = []
            while index < lines.count, lines[index].indent == indent, Self.isItem(lines[index].text) {
                let line = lines[index]
                let rest = String(line.text.dropFirst(1).drop { $0 == " " })
                if rest.isEmpty {
                    index += 1
                    if index < lines.count, lines[index].indent > indent {
                        items.append(try block(indent: lines[index].indent))
                    } else {
                        items.append(.null)
                    }
                } else if !rest.hasPrefix("\""), !rest.hasPrefix("'"), !rest.hasPrefix("["), !rest.hasPrefix("{"),
                    Self.splitKey(rest) != nil
                {
                    // "- key: value" starts a mapping whose further keys align with "key".
                    let column = indent + (line.text.count - rest.count)
                    lines[index] = Line(number: line.number, indent: column, text: rest)
                    items.append(try mapping(indent: column))
                } else {
                    index += 1
                    items.append(try Self.scalarOrFlow(rest, line: line.number))
                }
            }
            return .array(items)
        }

        static func splitKey(_ text: String) -> (String, String)? {
            var inSingle = false
            var inDouble = false
            let chars = Array(text)
            for i in chars.indices {
                let c = chars[i]
                if c == "'" && !inDouble { inSingle.toggle() }
                if c == "\"" && !inSingle { inDouble.toggle() }
                if c == ":" && !inSingle && !inDouble && (i + 1 == chars.count || chars[i + 1] == " ") {
                    var key = String(chars[..<i])
                    while key.hasSuffix(" ") { key.removeLast() }
                    if key.count >= 2, (key.hasPrefix("\"") && key.hasSuffix("\"")) || (key.hasPrefix("'") && key.hasSuffix("'")) {
                        key = String(key.dropFirst().dropLast())
                    }
                    guard !key.isEmpty else { return nil }
                    return (key, String(chars[(i + 1)...]).trimmingSpaces())
                }
            }
            return nil
        }

        static func scalarOrFlow(_ text: String, line: Int) throws(ParseError) -> Value {
            if text.hasPrefix("[") || text.hasPrefix("{") || text.hasPrefix("\"") || text.hasPrefix("'") {
                var flow = Flow(text, line: line)
                return try flow.value()
            }
            if text.hasPrefix("|") || text.hasPrefix(">") || text.hasPrefix("&") || text.hasPrefix("*") || text.hasPrefix("!") {
                throw ParseError(line: line, message: "block scalars, anchors and tags are not supported here; use a JSON file")
            }
            return .plain(text)
        }
    }

    /// Flow collections and quoted scalars on one line.
    struct Flow {
        let chars: [Character]
        let line: Int
        var i = 0

        init(_ text: String, line: Int) {
            chars = Array(text)
            self.line = line
        }

        mutating func value() throws(ParseError) -> Value {
            let v = try parse()
            skipSpaces()
            if i < chars.count { throw ParseError(line: line, message: "unexpected \"\(String(chars[i...]))\"") }
            return v
        }

        mutating func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }

        mutating func parse() throws(ParseError) -> Value {
            skipSpaces()
            guard i < chars.count else { return .null }
            switch chars[i] {
            case "[":
                i += 1
                var items: [Value] = []
                skipSpaces()
                if i < chars.count, chars[i] == "]" { i += 1; return .array(items) }
                while true {
                    items.append(try parse())
                    skipSpaces()
                    guard i < chars.count else { throw ParseError(line: line, message: "unclosed [") }
                    if chars[i] == "," { i += 1; continue }
                    if chars[i] == "]" { i += 1; return .array(items) }
                    throw ParseError(line: line, message: "expected , or ] in a flow sequence")
                }
            case "{":
                i += 1
                var pairs: [(String, Value)] = []
                skipSpaces()
                if i < chars.count, chars[i] == "}" { i += 1; return .object(pairs) }
                while true {
                    let keyValue = try parse()
                    let key: String
                    switch keyValue {
                    case .plain(let s), .quoted(let s): key = s
                    default: throw ParseError(line: line, message: "a flow mapping key must be a scalar")
                    }
                    skipSpaces()
                    guard i < chars.count, chars[i] == ":" else { throw ParseError(line: line, message: "expected : after \"\(key)\"") }
                    i += 1
                    pairs.append((key, try parse()))
                    skipSpaces()
                    guard i < chars.count else { throw ParseError(line: line, message: "unclosed {") }
                    if chars[i] == "," { i += 1; continue }
                    if chars[i] == "}" { i += 1; return .object(pairs) }
                    throw ParseError(line: line, message: "expected , or } in a flow mapping")
                }
            case "\"", "'":
                let q = chars[i]
                i += 1
                var s = ""
                while i < chars.count, chars[i] != q {
                    if q == "\"", chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        default: s.append(chars[i])
                        }
                    } else if q == "'", chars[i] == "'", i + 1 < chars.count, chars[i + 1] == "'" {
                        s.append("'")
                        i += 1
                    } else {
                        s.append(chars[i])
                    }
                    i += 1
                }
                guard i < chars.count else { throw ParseError(line: line, message: "unclosed quote") }
                i += 1
                return .quoted(s)
            default:
                var s = ""
                while i < chars.count, ![",", "]", "}"].contains(chars[i]),
                    !(chars[i] == ":" && (i + 1 == chars.count || chars[i + 1] == " "))
                {
                    s.append(chars[i])
                    i += 1
                }
                return .plain(s.trimmingSpaces())
            }
        }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}

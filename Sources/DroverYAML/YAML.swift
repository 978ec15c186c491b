/// Reads the YAML subset Drover's files use: block mappings and sequences, flow `[a, b]` and `{k: v}`,
/// plain, single- and double-quoted scalars (with escapes), `|` and `>` block scalars, comments and one `---`.
///
/// Anchors, aliases, tags, directives, complex keys, several documents and tab indentation are rejected with
/// the line and column, so a person can fix the file. JSON documents are read too (JSON is flow YAML).
public enum YAML {
    /// Parses one document; nil when it holds nothing but comments and blank lines.
    public static func parse(_ text: String) throws(YAMLError) -> YAMLNode? {
        var parser = YAMLParser(Array(text.utf8))
        return try parser.document()
    }
}

private enum Byte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let pipe = UInt8(ascii: "|")
    static let greater = UInt8(ascii: ">")
}

/// A recursive-descent reader over UTF-8 bytes that tracks line and column.
struct YAMLParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            i = 3
            lineStart = 3
        }
    }

    // MARK: Positions

    private var atEnd: Bool { i >= bytes.count }
    private var column: Int { i - lineStart + 1 }
    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }
    private func isBreak(_ c: UInt8?) -> Bool { c == nil || c == Byte.lf || c == Byte.cr }
    private func isBlank(_ c: UInt8?) -> Bool { c == Byte.space || c == Byte.tab }
    private func isSeparator(_ c: UInt8?) -> Bool { isBreak(c) || isBlank(c) }
    private func isFlowIndicator(_ c: UInt8?) -> Bool {
        c == Byte.comma || c == Byte.openBracket || c == Byte.closeBracket || c == Byte.openBrace || c == Byte.closeBrace
    }

    private func error(_ message: String) -> YAMLError { YAMLError(line: line, column: column, message: message) }
    private func error(at node: YAMLNode, _ message: String) -> YAMLError {
        YAMLError(line: node.line, column: node.column, message: message)
    }

    private func null(line: Int, column: Int) -> YAMLNode { YAMLNode(.scalar("", .plain), line: line, column: column) }

    /// Steps over one line break (LF, CRLF or CR).
    private mutating func newline() {
        if bytes[i] == Byte.cr, peek(1) == Byte.lf { i += 2 } else { i += 1 }
        line += 1
        lineStart = i
    }

    private mutating func skipBlanks() {
        while isBlank(peek()) { i += 1 }
    }

    /// Skips the rest of the line (spaces and a comment only) and its break.
    private mutating func finishLine() throws(YAMLError) {
        skipBlanks()
        if peek() == Byte.hash {
            while !isBreak(peek()) { i += 1 }
        }
        guard isBreak(peek()) else {
            throw error("unexpected text after the value; a value ends at the end of its line or at ' #'")
        }
        if !atEnd { newline() }
    }

    /// Skips blank and comment-only lines; stops at the first content byte of the next line with content.
    private mutating func skipBlankLines() throws(YAMLError) {
        while !atEnd {
            var sawTab = false
            var tabAt = i
            while isBlank(peek()) {
                if peek() == Byte.tab, !sawTab {
                    sawTab = true
                    tabAt = i
                }
                i += 1
            }
            if peek() == Byte.hash {
                while !isBreak(peek()) { i += 1 }
            }
            if isBreak(peek()) {
                if atEnd { return }
                newline()
                continue
            }
            if sawTab {
                i = tabAt
                throw error("a tab in the indentation; YAML indents with spaces only")
            }
            return
        }
    }

    /// Whether a `---` or `...` marker starts at the current position in column 1.
    private func atMarker(_ c: UInt8) -> Bool {
        column == 1 && peek() == c && peek(1) == c && peek(2) == c && isSeparator(peek(3))
    }

    // MARK: Document

    mutating func document() throws(YAMLError) -> YAMLNode? {
        try skipBlankLines()
        if atEnd { return nil }
        if peek() == UInt8(ascii: "%") {
            throw error("directives (%YAML, %TAG) are not supported; remove the line")
        }
        if atMarker(Byte.dash) {
            i += 3
            skipBlanks()
            if isBreak(peek()) || peek() == Byte.hash {
                try finishLine()
                try skipBlankLines()
            }
            if atEnd { return nil }
        }
        if atMarker(Byte.dash) {
            throw error("a second document (---) is not supported; keep one document per file")
        }
        let root = try blockNode(parentIndent: -1)
        try skipBlankLines()
        if !atEnd {
            if atMarker(Byte.dash) {
                throw error("a second document (---) is not supported; keep one document per file")
            }
            if atMarker(Byte.dot) {
                i += 3
                try finishLine()
                try skipBlankLines()
                if !atEnd { throw error("text after the end of the document (...); keep one document per file") }
                return root
            }
            throw error(
                "this line does not belong to the mapping or list above it; check its indentation (column \(column))")
        }
        return root
    }

    // MARK: Block context

    /// A node starting at the current content byte, indented more than `parentIndent`.
    private mutating func blockNode(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let indent = column - 1
        let c = peek()
        if c == Byte.dash, isSeparator(peek(1)) {
            return try blockSequence(indent: indent)
        }
        if c == Byte.pipe || c == Byte.greater {
            return try blockScalar(parentIndent: parentIndent)
        }
        let first = try inlineNode(flow: false)
        skipBlanks()
        if peek() == Byte.colon, isSeparator(peek(1)) || isQuoted(first) {
            guard first.string != nil else {
                throw error(at: first, "a list or mapping cannot be a key; keys are plain or quoted text")
            }
            return try blockMapping(indent: indent, firstKey: first)
        }
        try finishLine()
        return first
    }

    private func isQuoted(_ node: YAMLNode) -> Bool {
        if case .scalar(_, let style) = node.content { return style == .singleQuoted || style == .doubleQuoted }
        return false
    }

    private mutating func blockMapping(indent: Int, firstKey: YAMLNode) throws(YAMLError) -> YAMLNode {
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: Int] = [:]
        var key = firstKey
        while true {
            let keyText = key.string ?? ""
            if let firstLine = seen[keyText] {
                throw error(at: key, "duplicate key \"\(keyText)\" (first on line \(firstLine)); each key may appear once")
            }
            seen[keyText] = key.line
            i += 1  // the ':'
            skipBlanks()
            let value: YAMLNode
            if isBreak(peek()) || peek() == Byte.hash {
                try finishLine()
                try skipBlankLines()
                let nested = column - 1
                if !atEnd, nested > indent {
                    value = try blockNode(parentIndent: indent)
                } else if !atEnd, nested == indent, peek() == Byte.dash, isSeparator(peek(1)) {
                    value = try blockSequence(indent: indent)
                } else {
                    value = null(line: key.line, column: key.column)
                }
            } else if peek() == Byte.pipe || peek() == Byte.greater {
                value = try blockScalar(parentIndent: indent)
            } else {
                value = try inlineNode(flow: false)
                skipBlanks()
                if peek() == Byte.colon, isSeparator(peek(1)) {
                    throw error(
                        "a mapping cannot start on the same line as its key; put the inner keys on the next lines, indented")
                }
                try finishLine()
            }
            pairs.append(.init(key: key, value: value))

            try skipBlankLines()
            if atEnd { break }
            let next = column - 1
            if next < indent || atMarker(Byte.dash) || atMarker(Byte.dot) { break }
            if next > indent {
                throw error(
                    "unexpected indentation: this line is indented more than the keys above it (column \(indent + 1)); "
                        + "align it with them, or nest it under a key that ends with ':'")
            }
            if peek() == Byte.dash, isSeparator(peek(1)) {
                throw error("a list item where a key was expected; indent the list under its key")
            }
            let nextKey = try inlineNode(flow: false)
            skipBlanks()
            guard nextKey.string != nil, peek() == Byte.colon, isSeparator(peek(1)) || isQuoted(nextKey) else {
                throw error(at: nextKey, "expected 'key: value' (a key, a colon and a space) in this mapping")
            }
            key = nextKey
        }
        return YAMLNode(.mapping(pairs), line: firstKey.line, column: firstKey.column)
    }

    private mutating func blockSequence(indent: Int) throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        var items: [YAMLNode] = []
        while true {
            let dashLine = line
            let dashColumn = column
            i += 1  // the '-'
            skipBlanks()
            let item: YAMLNode
            if isBreak(peek()) || peek() == Byte.hash {
                try finishLine()
                try skipBlankLines()
                if !atEnd, column - 1 > indent {
                    item = try blockNode(parentIndent: indent)
                } else {
                    item = null(line: dashLine, column: dashColumn)
                }
            } else {
                item = try blockNode(parentIndent: indent)
            }
            items.append(item)

            try skipBlankLines()
            if atEnd { break }
            let next = column - 1
            if next < indent || atMarker(Byte.dash) || atMarker(Byte.dot) { break }
            if next > indent {
                throw error(
                    "unexpected indentation: this line is indented more than the list items above it (column \(indent + 1))")
            }
            guard peek() == Byte.dash, isSeparator(peek(1)) else { break }
        }
        return YAMLNode(.sequence(items), line: startLine, column: startColumn)
    }

    /// A `|` (literal) or `>` (folded) block scalar with optional chomping (`-`, `+`) and indentation digit.
    private mutating func blockScalar(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        let folded = peek() == Byte.greater
        i += 1
        var chomp: UInt8?
        var explicitIndent: Int?
        for _ in 0..<2 {
            if let c = peek(), c == Byte.dash || c == UInt8(ascii: "+"), chomp == nil {
                chomp = c
                i += 1
            } else if let c = peek(), c >= UInt8(ascii: "1"), c <= UInt8(ascii: "9"), explicitIndent == nil {
                explicitIndent = Int(c - UInt8(ascii: "0"))
                i += 1
            }
        }
        guard isSeparator(peek()) || peek() == Byte.hash else {
            throw error("after | or > only -, + or one indentation digit may follow on the same line")
        }
        try finishLine()

        var contentIndent = explicitIndent.map { max(parentIndent, 0) + $0 }
        var lines: [String] = []
        while !atEnd {
            var spaces = 0
            while peek(spaces) == Byte.space { spaces += 1 }
            if isBreak(peek(spaces)) {
                // A blank line belongs to the scalar (it may end up as a trailing break).
                lines.append("")
                i += spaces
                if atEnd { break }
                newline()
                continue
            }
            if contentIndent == nil {
                if spaces <= parentIndent { break }
                contentIndent = spaces
            }
            guard let indent = contentIndent, spaces >= indent else { break }
            var end = i + indent
            while !isBreak(end < bytes.count ? bytes[end] : nil) { end += 1 }
            lines.append(String(decoding: bytes[(i + indent)..<end], as: UTF8.self))
            i = end
            if atEnd { break }
            newline()
        }
        // Blank lines swallowed after the scalar's end are trailing breaks; step back over none (already consumed).
        var trailing = 0
        while let last = lines.last, last.isEmpty {
            lines.removeLast()
            trailing += 1
        }
        var text = ""
        var pendingBreaks = 0
        var previousNormal = false
        var hasContent = false
        for item in lines {
            if item.isEmpty {
                pendingBreaks += 1
                continue
            }
            let moreIndented = item.first == " " || item.first == "\t"
            let foldable = folded && previousNormal && !moreIndented
            if !hasContent {
                text += String(repeating: "\n", count: pendingBreaks)
            } else if pendingBreaks > 0 {
                text += String(repeating: "\n", count: foldable ? pendingBreaks : pendingBreaks + 1)
            } else {
                text += foldable ? " " : "\n"
            }
            text += item
            hasContent = true
            previousNormal = !moreIndented
            pendingBreaks = 0
        }
        switch chomp {
        case Byte.dash: break
        case UInt8(ascii: "+"): text += String(repeating: "\n", count: (hasContent ? 1 : 0) + trailing)
        default: if hasContent { text += "\n" }
        }
        return YAMLNode(.scalar(text, folded ? .folded : .literal), line: startLine, column: startColumn)
    }

    // MARK: Scalars and flow collections

    /// A scalar or a flow collection at the current byte; rejects what the subset leaves out.
    private mutating func inlineNode(flow: Bool) throws(YAMLError) -> YAMLNode {
        guard let c = peek(), !isBreak(c) else { throw error("a value is missing here") }
        switch c {
        case Byte.openBracket: return try flowSequence()
        case Byte.openBrace: return try flowMapping()
        case Byte.quote: return try doubleQuoted()
        case Byte.apostrophe: return try singleQuoted()
        case UInt8(ascii: "&"): throw error("anchors (&name) are not supported; write the value out where it is used")
        case UInt8(ascii: "*"): throw error("aliases (*name) are not supported; write the value out where it is used")
        case UInt8(ascii: "!"): throw error("tags (!name) are not supported; remove the tag and write the plain value")
        case Byte.pipe, Byte.greater:
            throw error("a block scalar (| or >) can only be the value of a key or a list item; quote the text instead")
        case UInt8(ascii: "?") where isSeparator(peek(1)):
            throw error("complex keys (? key) are not supported; write 'key: value'")
        case Byte.colon where isSeparator(peek(1)) || (flow && isFlowIndicator(peek(1))):
            throw error("a key is missing before ':'")
        case Byte.dash where isSeparator(peek(1)):
            throw error("a list item (- ) cannot appear here; start the list on its own line")
        case UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), Byte.comma, Byte.closeBracket, Byte.closeBrace,
            Byte.hash:
            throw error("'\(Character(Unicode.Scalar(c)))' cannot start a plain value; put the value in quotes")
        default: return plainScalar(flow: flow)
        }
    }

    private mutating func plainScalar(flow: Bool) -> YAMLNode {
        let startLine = line
        let startColumn = column
        let start = i
        var end = i
        while let c = peek(), !isBreak(c) {
            if c == Byte.colon, isSeparator(peek(1)) || (flow && isFlowIndicator(peek(1))) { break }
            if c == Byte.hash, i > start, isBlank(bytes[i - 1]) { break }
            if flow, isFlowIndicator(c) { break }
            i += 1
            if !isBlank(c) { end = i }
        }
        i = end
        return YAMLNode(.scalar(String(decoding: bytes[start..<end], as: UTF8.self), .plain), line: startLine, column: startColumn)
    }

    /// Folds a line break inside a quoted scalar: one break becomes a space, n blank lines become n newlines.
    private mutating func foldBreak(into out: inout [UInt8]) {
        while let last = out.last, isBlank(last) { out.removeLast() }
        newline()
        var blankLines = 0
        while true {
            skipBlanks()
            if isBreak(peek()), !atEnd {
                newline()
                blankLines += 1
            } else {
                break
            }
        }
        if blankLines == 0 { out.append(Byte.space) } else { out += [UInt8](repeating: Byte.lf, count: blankLines) }
    }

    private mutating func singleQuoted() throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw YAMLError(line: startLine, column: startColumn, message: "this single-quoted text is never closed; end it with '")
            }
            if c == Byte.apostrophe {
                if peek(1) == Byte.apostrophe {
                    out.append(Byte.apostrophe)
                    i += 2
                    continue
                }
                i += 1
                break
            }
            if isBreak(c) {
                foldBreak(into: &out)
                continue
            }
            out.append(c)
            i += 1
        }
        return YAMLNode(.scalar(String(decoding: out, as: UTF8.self), .singleQuoted), line: startLine, column: startColumn)
    }

    private mutating func doubleQuoted() throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw YAMLError(line: startLine, column: startColumn, message: "this double-quoted text is never closed; end it with \"")
            }
            if c == Byte.quote {
                i += 1
                break
            }
            if isBreak(c) {
                foldBreak(into: &out)
                continue
            }
            if c != Byte.backslash {
                out.append(c)
                i += 1
                continue
            }
            guard let e = peek(1) else {
                throw YAMLError(line: startLine, column: startColumn, message: "this double-quoted text is never closed; end it with \"")
            }
            if isBreak(e) {
                // An escaped line break joins the lines without a space.
                i += 1
                newline()
                skipBlanks()
                continue
            }
            let simple: [UInt8: UInt32] = [
                UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, Byte.tab: 9,
                UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
                UInt8(ascii: "e"): 27, Byte.space: 32, Byte.quote: 34, UInt8(ascii: "/"): 47, Byte.backslash: 92,
                UInt8(ascii: "N"): 0x85, UInt8(ascii: "_"): 0xA0, UInt8(ascii: "L"): 0x2028, UInt8(ascii: "P"): 0x2029,
            ]
            if let value = simple[e] {
                append(value, to: &out)
                i += 2
                continue
            }
            let digits: Int
            switch e {
            case UInt8(ascii: "x"): digits = 2
            case UInt8(ascii: "u"): digits = 4
            case UInt8(ascii: "U"): digits = 8
            default:
                throw error("unknown escape \\\(Character(Unicode.Scalar(e))); write \\\\ for a backslash")
            }
            var value = try hex(at: i + 2, digits: digits)
            i += 2 + digits
            if (0xD800..<0xDC00).contains(value), peek() == Byte.backslash, peek(1) == UInt8(ascii: "u") {
                let low = try hex(at: i + 2, digits: 4)
                if (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
            }
            append(value, to: &out)
        }
        return YAMLNode(.scalar(String(decoding: out, as: UTF8.self), .doubleQuoted), line: startLine, column: startColumn)
    }

    private func hex(at start: Int, digits: Int) throws(YAMLError) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<digits {
            guard start + k < bytes.count, let d = hexDigit(bytes[start + k]) else {
                throw error("\\x, \\u and \\U need \(digits) hexadecimal digits here")
            }
            value = value << 4 | d
        }
        return value
    }

    private func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func append(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out += Array(String(Character(scalar)).utf8)
    }

    /// Skips spaces, line breaks and comments inside `[ ]` and `{ }`.
    private mutating func skipFlowSpace() {
        while let c = peek() {
            if isBlank(c) {
                i += 1
            } else if isBreak(c) {
                newline()
            } else if c == Byte.hash {
                while !isBreak(peek()) { i += 1 }
            } else {
                return
            }
        }
    }

    private mutating func flowNode() throws(YAMLError) -> YAMLNode {
        let node = try inlineNode(flow: true)
        if case .scalar(let text, .plain) = node.content, text.isEmpty {
            throw error(at: node, "an empty entry; remove the extra comma")
        }
        return node
    }

    private mutating func flowSequence() throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        i += 1
        var items: [YAMLNode] = []
        skipFlowSpace()
        while true {
            guard !atEnd else {
                throw YAMLError(line: startLine, column: startColumn, message: "this [ is never closed; end the list with ]")
            }
            if peek() == Byte.closeBracket {
                i += 1
                break
            }
            items.append(try flowNode())
            skipFlowSpace()
            if peek() == Byte.colon {
                throw error("'key: value' inside [ ] is not supported; use { } for a mapping")
            }
            if peek() == Byte.comma {
                i += 1
                skipFlowSpace()
            } else if peek() != Byte.closeBracket, !atEnd {
                throw error("expected ',' or ']' in this list")
            }
        }
        return YAMLNode(.sequence(items), line: startLine, column: startColumn)
    }

    private mutating func flowMapping() throws(YAMLError) -> YAMLNode {
        let startLine = line
        let startColumn = column
        i += 1
        var pairs: [YAMLNode.Pair] = []
        var seen: [String: Int] = [:]
        skipFlowSpace()
        while true {
            guard !atEnd else {
                throw YAMLError(line: startLine, column: startColumn, message: "this { is never closed; end the mapping with }")
            }
            if peek() == Byte.closeBrace {
                i += 1
                break
            }
            let key = try flowNode()
            guard let keyText = key.string else {
                throw error(at: key, "a list or mapping cannot be a key; keys are plain or quoted text")
            }
            if let firstLine = seen[keyText] {
                throw error(at: key, "duplicate key \"\(keyText)\" (first on line \(firstLine)); each key may appear once")
            }
            seen[keyText] = key.line
            skipFlowSpace()
            var value = null(line: key.line, column: key.column)
            if peek() == Byte.colon {
                i += 1
                skipFlowSpace()
                if peek() != Byte.comma, peek() != Byte.closeBrace, !atEnd {
                    value = try flowNode()
                    skipFlowSpace()
                }
            }
            pairs.append(.init(key: key, value: value))
            if peek() == Byte.comma {
                i += 1
                skipFlowSpace()
            } else if peek() != Byte.closeBrace, !atEnd {
                throw error("expected ',' or '}' in this mapping")
            }
        }
        return YAMLNode(.mapping(pairs), line: startLine, column: startColumn)
    }
}

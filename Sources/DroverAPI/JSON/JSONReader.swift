/// A value that reads itself straight from JSON bytes, without Codable's per-element overhead.
///
/// The hot wire documents (reports) conform; `JSONReader.decode(_:from:)` reads them with the same results and
/// the same field-naming errors as `DroverJSON.decode`.
public protocol JSONReadable {
    /// Reads one JSON value at the reader's position.
    static func read(from reader: inout JSONReader) throws(JSONReadError) -> Self
}

/// A pull reader over UTF-8 JSON bytes (RFC 8259): strict grammar, UTF-8 validated, nesting bounded by `maxDepth`.
///
/// Pure Swift without Foundation. A reader only lives inside `JSONReader.read(_:_:)` or `decode(_:from:)`, which
/// keep the bytes alive; objects are walked with `readObject(_:)` (or `beginObject()` / `nextKey(in:)`), arrays
/// with `beginArray()` / `nextElement(in:)`, and unknown values are skipped (still checked) with `skipValue()`.
/// `Options.lenient` relaxes the grammar the way the agent's event intake needs.
public struct JSONReader {
    /// The deepest nesting of objects and arrays accepted (as Foundation's JSONDecoder).
    public static let maxDepth = 512

    /// How strictly a document is read.
    public struct Options: Sendable, Equatable {
        /// Accept a comma right before `]` or `}` (JSONDecoder does too).
        public var allowsTrailingCommas: Bool
        /// Repair instead of refusing invalid UTF-8 and unpaired surrogate escapes (both become U+FFFD).
        public var repairsText: Bool
        /// Read a number too small for a `Double` as zero instead of refusing it.
        public var allowsUnderflow: Bool
        /// Treat a number too large for a `Double` as malformed JSON, even where the value is skipped.
        public var overflowIsSyntaxError: Bool
        /// Hand every occurrence of a duplicate key to `readObject` (the last one read wins) instead of only the
        /// first (JSONDecoder's rule).
        public var deliversDuplicateKeys: Bool

        /// Creates options; the defaults are `strict`.
        public init(
            allowsTrailingCommas: Bool = false, repairsText: Bool = false, allowsUnderflow: Bool = false,
            overflowIsSyntaxError: Bool = false, deliversDuplicateKeys: Bool = false
        ) {
            self.allowsTrailingCommas = allowsTrailingCommas
            self.repairsText = repairsText
            self.allowsUnderflow = allowsUnderflow
            self.overflowIsSyntaxError = overflowIsSyntaxError
            self.deliversDuplicateKeys = deliversDuplicateKeys
        }

        /// RFC 8259 with JSONDecoder's results: what the control plane reads reports with.
        public static let strict = Options()

        /// The agent's event intake: trailing commas, repaired text, underflow to zero, overflow malformed,
        /// duplicate keys all delivered.
        public static let lenient = Options(
            allowsTrailingCommas: true, repairsText: true, allowsUnderflow: true, overflowIsSyntaxError: true,
            deliversDuplicateKeys: true)
    }

    private let base: UnsafePointer<UInt8>
    private let end: Int
    /// The offset of the next unread byte.
    public private(set) var offset: Int = 0
    private var depth = 0
    /// How strictly this reader reads.
    public let options: Options

    private init(base: UnsafePointer<UInt8>, count: Int, offset: Int = 0, options: Options = .strict) {
        self.base = base
        self.end = count
        self.offset = offset
        self.options = options
    }

    /// The JSON type of a value.
    public enum ValueKind: Sendable, Equatable {
        /// `{…}`
        case object
        /// `[…]`
        case array
        /// `"…"`
        case string
        /// A number.
        case number
        /// `true` or `false`.
        case bool
        /// `null`.
        case null
    }

    /// Where an object walk stands (pass it to `nextKey(in:)`).
    public struct ObjectCursor {
        fileprivate var first = true
    }

    /// Where an array walk stands (pass it to `nextElement(in:)`); `index` is the current element's.
    public struct ArrayCursor {
        fileprivate var first = true
        /// The index of the element just started (-1 before the first).
        public fileprivate(set) var index = -1
    }

    /// An object key, valid while the reader is; compares with string literals without allocating.
    public struct Key {
        fileprivate let base: UnsafePointer<UInt8>
        /// The offset of the key's first byte after the opening quote.
        let start: Int
        fileprivate let count: Int
        /// Whether the raw key holds escapes.
        let escaped: Bool
        fileprivate let ascii: Bool

        /// A cheap hash of the raw bytes (length, first and last byte) for `readObject`'s duplicate filter.
        @inline(__always)
        var filterHash: UInt64 {
            guard count > 0 else { return 0 }
            return UInt64(truncatingIfNeeded: count &* 37 &+ Int(base[start]) &* 11 &+ Int(base[start + count - 1]))
        }

        /// Whether both keys are the same string (escapes decoded).
        func isSameKey(as other: Key) -> Bool {
            if escaped || other.escaped { return string == other.string }
            guard count == other.count else { return false }
            for i in 0..<count where base[start + i] != other.base[other.start + i] { return false }
            return true
        }

        /// Whether the key is exactly `literal`.
        @inline(__always)
        public static func == (key: Key, literal: StaticString) -> Bool {
            guard !key.escaped, key.count == literal.utf8CodeUnitCount else {
                return key.escaped && key.string == "\(literal)"
            }
            let other = literal.utf8Start
            var i = 0
            while i < key.count {
                if key.base[key.start + i] != other[i] { return false }
                i += 1
            }
            return true
        }

        /// The key as a string (escapes decoded; the bytes were checked to be UTF-8 when read).
        public var string: String {
            let raw = UnsafeBufferPointer(start: base + start, count: count)
            if !escaped { return String(decoding: raw, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(count)
            JSONReader.unescape(raw, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    // MARK: Entry points

    /// Reads a whole document as `T`; only whitespace may follow the value.
    public static func decode<T: JSONReadable>(_ type: T.Type, from bytes: [UInt8], options: Options = .strict)
        throws(JSONReadError) -> T
    {
        try read(bytes, options: options) { (reader: inout JSONReader) throws(JSONReadError) -> T in
            try T.read(from: &reader)
        }
    }

    /// Runs `body` over a reader of the whole document, then checks that only whitespace follows.
    ///
    /// When `body` fails on a value of the wrong shape but the document is also malformed further on, the syntax
    /// error wins, as with JSONDecoder (which parses everything before it maps).
    public static func read<T>(
        _ bytes: [UInt8], options: Options = .strict, _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        try read(bytes, in: 0..<bytes.count, options: options, body)
    }

    /// Runs `body` over a reader of the document in `bytes[range]` (a line of NDJSON, say), offsets counted from
    /// the start of `bytes`; only whitespace may follow the value within the range.
    public static func read<T>(
        _ bytes: [UInt8], in range: Range<Int>, options: Options = .strict,
        _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "the range lies outside the bytes")
        let result: Result<T, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !range.isEmpty else {
                return .failure(.syntax("the document is empty", at: range.lowerBound))
            }
            var reader = JSONReader(base: base, count: range.upperBound, offset: range.lowerBound, options: options)
            do throws(JSONReadError) {
                let value = try body(&reader)
                try reader.expectEnd()
                return .success(value)
            } catch {
                if !error.isSyntaxError {
                    var checker = JSONReader(
                        base: base, count: range.upperBound, offset: range.lowerBound, options: options)
                    if let syntax = checker.syntaxError() { return .failure(syntax) }
                }
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The first syntax error in `bytes`, or nil when they are one well-formed JSON document.
    public static func syntaxError(in bytes: [UInt8]) -> JSONReadError? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                return .syntax("the document is empty", at: 0)
            }
            return syntaxError(base: base, count: buffer.count)
        }
    }

    /// A reader of the same bytes and options at `offset`, outside any object or array.
    func rewound(to offset: Int) -> JSONReader {
        JSONReader(base: base, count: end, offset: offset, options: options)
    }

    private static func syntaxError(base: UnsafePointer<UInt8>, count: Int) -> JSONReadError? {
        var reader = JSONReader(base: base, count: count)
        return reader.syntaxError()
    }

    /// The first syntax error from the reader's position to its end, or nil.
    private mutating func syntaxError() -> JSONReadError? {
        do throws(JSONReadError) {
            try skipValue()
            try expectEnd()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Structure

    /// The type of the next value (whitespace skipped); a syntax error at the end of input.
    @inline(__always)
    public mutating func peek() throws(JSONReadError) -> ValueKind {
        skipWhitespace()
        guard offset < end else { throw .syntax("unexpected end of input", at: offset) }
        switch base[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw .syntax("unexpected character '\(Self.printable(base[offset]))'", at: offset)
        }
    }

    /// Consumes `null` and returns true when the next value is null; otherwise consumes nothing.
    public mutating func readNull() throws(JSONReadError) -> Bool {
        guard try peek() == .null else { return false }
        try literal("null")
        return true
    }

    /// Starts reading an object; throws a type mismatch (expected `an object`) for any other value.
    public mutating func beginObject(expected: String = "an object") throws(JSONReadError)
        -> ObjectCursor
    {
        let kind = try peek()
        guard kind == .object else { throw mismatch(kind, expected: expected) }
        try enter()
        offset += 1
        return ObjectCursor()
    }

    /// The next key of the object (its `:` consumed, so the value follows), or nil after the closing brace.
    public mutating func nextKey(in cursor: inout ObjectCursor) throws(JSONReadError) -> Key? {
        skipWhitespace()
        guard offset < end else { throw .syntax("unterminated object", at: offset) }
        if base[offset] == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return nil
        }
        if cursor.first {
            cursor.first = false
        } else {
            guard base[offset] == UInt8(ascii: ",") else {
                throw .syntax("expected ',' or '}' in an object", at: offset)
            }
            offset += 1
            skipWhitespace()
            if options.allowsTrailingCommas, offset < end, base[offset] == UInt8(ascii: "}") {
                offset += 1
                depth -= 1
                return nil
            }
        }
        guard offset < end, base[offset] == UInt8(ascii: "\"") else {
            throw .syntax("expected a quoted key", at: offset)
        }
        let (start, count, escaped, ascii) = try scanString()
        skipWhitespace()
        guard offset < end, base[offset] == UInt8(ascii: ":") else {
            throw .syntax("expected ':' after a key", at: offset)
        }
        offset += 1
        return Key(base: base, start: start, count: count, escaped: escaped, ascii: ascii)
    }

    /// Starts reading an array; throws a type mismatch (expected `an array`) for any other value.
    public mutating func beginArray(expected: String = "an array") throws(JSONReadError)
        -> ArrayCursor
    {
        let kind = try peek()
        guard kind == .array else { throw mismatch(kind, expected: expected) }
        try enter()
        offset += 1
        return ArrayCursor()
    }

    /// Advances to the next element (true, the value follows) or past the closing bracket (false).
    public mutating func nextElement(in cursor: inout ArrayCursor) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard offset < end else { throw .syntax("unterminated array", at: offset) }
        if base[offset] == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return false
        }
        if cursor.first {
            cursor.first = false
        } else {
            guard base[offset] == UInt8(ascii: ",") else {
                throw .syntax("expected ',' or ']' in an array", at: offset)
            }
            offset += 1
            if options.allowsTrailingCommas {
                skipWhitespace()
                if offset < end, base[offset] == UInt8(ascii: "]") {
                    offset += 1
                    depth -= 1
                    return false
                }
            }
        }
        cursor.index += 1
        return true
    }

    /// Skips one value of any type, checking its syntax (iteratively: deep nesting cannot overflow the stack).
    public mutating func skipValue() throws(JSONReadError) {
        let startDepth = depth
        // Container kinds of the open levels below `startDepth`: true for objects.
        var stack: [Bool] = []
        var needValue = true
        while true {
            if needValue {
                switch try peek() {
                case .object:
                    try enter()
                    offset += 1
                    stack.append(true)
                    skipWhitespace()
                    if offset < end, base[offset] == UInt8(ascii: "}") {
                        offset += 1
                        depth -= 1
                        stack.removeLast()
                        needValue = false
                    } else {
                        try skipKey()
                    }
                    continue
                case .array:
                    try enter()
                    offset += 1
                    stack.append(false)
                    skipWhitespace()
                    if offset < end, base[offset] == UInt8(ascii: "]") {
                        offset += 1
                        depth -= 1
                        stack.removeLast()
                        needValue = false
                    }
                    continue
                case .string: _ = try scanString()
                case .number: _ = try scanNumber()
                case .bool: _ = try readBool()
                case .null: try literal("null")
                }
                needValue = false
            }
            guard let isObject = stack.last else { break }
            skipWhitespace()
            guard offset < end else {
                throw .syntax(isObject ? "unterminated object" : "unterminated array", at: offset)
            }
            let byte = base[offset]
            if byte == UInt8(ascii: ",") {
                offset += 1
                if options.allowsTrailingCommas {
                    skipWhitespace()
                    if offset < end, base[offset] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        offset += 1
                        depth -= 1
                        stack.removeLast()
                        continue
                    }
                }
                if isObject {
                    skipWhitespace()
                    try skipKey()
                }
                needValue = true
            } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                offset += 1
                depth -= 1
                stack.removeLast()
            } else {
                throw .syntax(
                    isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array",
                    at: offset)
            }
        }
        assert(depth == startDepth)
    }

    // MARK: Scalars

    /// Reads a string.
    public mutating func readString() throws(JSONReadError) -> String {
        let kind = try peek()
        guard kind == .string else { throw mismatch(kind, expected: "a string") }
        let (start, count, escaped, _) = try scanString()
        let raw = UnsafeBufferPointer(start: base + start, count: count)
        if !escaped { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        Self.unescape(raw, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a string and hands its UTF-8 bytes (escapes decoded) to `body` without creating a `String`.
    public mutating func readStringBytes<T>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        let kind = try peek()
        guard kind == .string else { throw mismatch(kind, expected: "a string") }
        let (start, count, escaped, _) = try scanString()
        let raw = UnsafeBufferPointer(start: base + start, count: count)
        if !escaped { return try body(raw) }
        var out: [UInt8] = []
        Self.unescape(raw, into: &out)
        let result: Result<T, JSONReadError> = out.withUnsafeBufferPointer { buffer in
            do throws(JSONReadError) { return .success(try body(buffer)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONReadError) -> Bool {
        let kind = try peek()
        guard kind == .bool else { throw mismatch(kind, expected: "a boolean") }
        if base[offset] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// Reads an integer: digits that fit in `Int`, or a number with a fraction or exponent whose value is an
    /// exact integer (`1.0`, `1e3`), as JSONDecoder accepts.
    public mutating func readInt() throws(JSONReadError) -> Int {
        let kind = try peek()
        guard kind == .number else { throw mismatch(kind, expected: "an integer") }
        let number = try scanNumber()
        if number.isInteger, number.digits <= 18 {
            return number.negative
                ? -Int(truncatingIfNeeded: number.mantissa) : Int(truncatingIfNeeded: number.mantissa)
        }
        if number.isInteger {
            var value = 0
            var i = number.start + (number.negative ? 1 : 0)
            while i < number.end {
                let digit = Int(base[i] &- UInt8(ascii: "0"))
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) =
                    number.negative
                    ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                if o1 || o2 {
                    throw .invalidValue("the number \(text(number)) does not fit in a 64-bit integer")
                }
                value = next
                i += 1
            }
            return value
        }
        let double = try doubleValue(number)
        guard let exact = Int(exactly: double) else {
            throw .invalidValue("the number \(text(number)) is not an integer that fits in 64 bits")
        }
        return exact
    }

    /// Reads a number as a `Double` (correctly rounded); numbers beyond `Double`'s range are refused.
    public mutating func readDouble() throws(JSONReadError) -> Double {
        let kind = try peek()
        guard kind == .number else { throw mismatch(kind, expected: "a number") }
        return try doubleValue(try scanNumber())
    }

    // MARK: Internals

    private struct Number {
        var start: Int
        var end: Int
        var negative: Bool
        var isInteger: Bool
        /// Significant decimal digits (leading zeros dropped), up to 19 accumulated exactly.
        var mantissa: UInt64
        var digits: Int
        /// Decimal exponent to apply to `mantissa` (fraction digits and `e` part), when `digits <= 19`.
        var exponent: Int

        @inline(__always)
        mutating func accumulate(_ byte: UInt8) {
            let digit = UInt64(byte &- UInt8(ascii: "0"))
            if digits == 0 && digit == 0 { return }  // leading zeros of a fraction are not significant
            digits += 1
            if digits <= 19 { mantissa = mantissa &* 10 &+ digit } else { exponent += 1 }
        }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        // Locals, not `self.offset`, in the loop: the optimiser then keeps the position in a register.
        var i = offset
        let base = base
        let end = end
        while i < end {
            let b = base[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { break }
            i += 1
        }
        offset = i
    }

    private mutating func enter() throws(JSONReadError) {
        depth += 1
        if depth > Self.maxDepth {
            throw .syntax("objects and arrays nest deeper than \(Self.maxDepth) levels", at: offset)
        }
    }

    private mutating func expectEnd() throws(JSONReadError) {
        skipWhitespace()
        if offset < end {
            throw .syntax("unexpected '\(Self.printable(base[offset]))' after the document", at: offset)
        }
    }

    private mutating func skipKey() throws(JSONReadError) {
        guard offset < end, base[offset] == UInt8(ascii: "\"") else {
            throw .syntax("expected a quoted key", at: offset)
        }
        _ = try scanString()
        skipWhitespace()
        guard offset < end, base[offset] == UInt8(ascii: ":") else {
            throw .syntax("expected ':' after a key", at: offset)
        }
        offset += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard offset + count <= end else { throw .syntax("unexpected end of input", at: offset) }
        for i in 0..<count where base[offset + i] != start[i] {
            throw .syntax("invalid literal (expected \(word))", at: offset)
        }
        offset += count
    }

    private func mismatch(_ kind: ValueKind, expected: String) -> JSONReadError {
        kind == .null ? .null(expected: expected) : .wrongType(expected: expected)
    }

    /// Scans a string starting at the opening quote; returns the raw body's range, whether it holds escapes and
    /// whether it is pure ASCII. Checks escapes, control characters and UTF-8.
    private mutating func scanString() throws(JSONReadError) -> (
        start: Int, count: Int, escaped: Bool, ascii: Bool
    ) {
        offset += 1
        let start = offset
        var escaped = false
        var high: UInt8 = 0
        let base = base
        let end = end
        while true {
            // The plain run up to a quote, backslash or control character, with the position in a register.
            var i = offset
            while i < end {
                let b = base[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                high |= b
                i += 1
            }
            offset = i
            guard i < end else { throw .syntax("unterminated string", at: start - 1) }
            let b = base[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                escaped = true
                try scanEscape()
                continue
            }
            throw .syntax("unescaped control character in a string", at: offset)
        }
        let count = offset - start
        offset += 1
        if high & 0x80 != 0, !options.repairsText {
            let raw = UnsafeBufferPointer(start: base + start, count: count)
            if !Self.isValidUTF8(raw) { throw .syntax("a string is not valid UTF-8", at: start) }
        }
        return (start, count, escaped, high & 0x80 == 0)
    }

    /// Checks one escape sequence at `offset` (the backslash) and moves past it; surrogates must pair.
    private mutating func scanEscape() throws(JSONReadError) {
        guard offset + 1 < end else { throw .syntax("unterminated escape", at: offset) }
        switch base[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: offset + 2)
            let at = offset
            offset += 6
            if (0xD800...0xDBFF).contains(unit) {
                let followedByEscape =
                    offset + 1 < end && base[offset] == UInt8(ascii: "\\") && base[offset + 1] == UInt8(ascii: "u")
                // Repairing text, a lone high surrogate becomes U+FFFD, but a \u escape after it must be the low half.
                if options.repairsText && !followedByEscape { return }
                guard followedByEscape, (0xDC00...0xDFFF).contains(try hex4(at: offset + 2)) else {
                    throw .syntax("a high surrogate escape is not followed by a low surrogate", at: at)
                }
                offset += 6
            } else if (0xDC00...0xDFFF).contains(unit), !options.repairsText {
                throw .syntax("a low surrogate escape without a high surrogate", at: at)
            }
        default:
            throw .syntax("invalid escape '\\\(Self.printable(base[offset + 1]))'", at: offset)
        }
    }

    private func hex4(at position: Int) throws(JSONReadError) -> UInt32 {
        guard position + 4 <= end else { throw .syntax("unterminated \\u escape", at: position) }
        var value: UInt32 = 0
        for i in position..<(position + 4) {
            let b = base[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw .syntax("invalid hex digit in a \\u escape", at: i)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Decodes the escapes of an already checked string body.
    fileprivate static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        func hex(_ i: Int) -> UInt32 {
            var value: UInt32 = 0
            for j in i..<(i + 4) {
                let b = raw[j]
                let digit: UInt32 =
                    b <= UInt8(ascii: "9")
                    ? UInt32(b - 48) : b <= UInt8(ascii: "F") ? UInt32(b - 55) : UInt32(b - 87)
                value = value << 4 | digit
            }
            return value
        }
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // Checked by scanEscape: a \u escape after a high surrogate is its low half; without one the
                    // text is being repaired.
                    if i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") {
                        let low = hex(i + 2)
                        i += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD  // a lone low surrogate, only when repairing text
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // " \ /
            }
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF), per the Unicode table 3-7.
    static func isValidUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = raw.count
        while i < n {
            let b0 = raw[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            func cont(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                j < n && range.contains(raw[j])
            }
            switch b0 {
            case 0xC2...0xDF:
                guard cont(i + 1) else { return false }
                i += 2
            case 0xE0:
                guard cont(i + 1, 0xA0...0xBF), cont(i + 2) else { return false }
                i += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard cont(i + 1), cont(i + 2) else { return false }
                i += 3
            case 0xED:
                guard cont(i + 1, 0x80...0x9F), cont(i + 2) else { return false }
                i += 3
            case 0xF0:
                guard cont(i + 1, 0x90...0xBF), cont(i + 2), cont(i + 3) else { return false }
                i += 4
            case 0xF1...0xF3:
                guard cont(i + 1), cont(i + 2), cont(i + 3) else { return false }
                i += 4
            case 0xF4:
                guard cont(i + 1, 0x80...0x8F), cont(i + 2), cont(i + 3) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// Scans a number per the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inline(__always)
    private mutating func scanNumber() throws(JSONReadError) -> Number {
        // Locals, not `self.offset`, in the loops: the optimiser then keeps them in registers.
        let base = base
        let end = end
        let start = offset
        var i = start
        var number = Number(
            start: start, end: start, negative: false, isInteger: true, mantissa: 0, digits: 0,
            exponent: 0)
        if base[i] == UInt8(ascii: "-") {
            number.negative = true
            i += 1
        }
        guard i < end, Self.isDigit(base[i]) else {
            offset = i
            throw .syntax("a number needs digits", at: i)
        }
        if base[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, Self.isDigit(base[i]) {
                offset = i
                throw .syntax("a number must not have leading zeros", at: start)
            }
        } else {
            var mantissa: UInt64 = 0
            let first = i
            while i < end, Self.isDigit(base[i]) {
                if i - first < 19 { mantissa = mantissa &* 10 &+ UInt64(base[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            number.mantissa = mantissa
            number.digits = i - first
            number.exponent = max(0, number.digits - 19)
        }
        if i < end, base[i] == UInt8(ascii: ".") {
            number.isInteger = false
            i += 1
            guard i < end, Self.isDigit(base[i]) else {
                offset = i
                throw .syntax("a fraction needs digits", at: i)
            }
            while i < end, Self.isDigit(base[i]) {
                number.accumulate(base[i])
                number.exponent -= 1
                i += 1
            }
        }
        if i < end, base[i] | 0x20 == UInt8(ascii: "e") {
            number.isInteger = false
            i += 1
            var negativeExponent = false
            if i < end, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") {
                negativeExponent = base[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end, Self.isDigit(base[i]) else {
                offset = i
                throw .syntax("an exponent needs digits", at: i)
            }
            var e = 0
            while i < end, Self.isDigit(base[i]) {
                if e < 100_000 { e = e * 10 + Int(base[i] - UInt8(ascii: "0")) }
                i += 1
            }
            number.exponent += negativeExponent ? -e : e
        }
        offset = i
        number.end = offset
        // Only a number of more than 308 decimal places before the point can exceed Double's range.
        if options.overflowIsSyntaxError, min(number.digits, 19) + number.exponent > 308,
            !(Double(text(number))?.isFinite ?? false)
        {
            throw .syntax("the number \(text(number)) is out of the range of a 64-bit floating-point number", at: start)
        }
        return number
    }

    private func doubleValue(_ number: Number) throws(JSONReadError) -> Double {
        // Clinger's fast path: an exactly representable mantissa times or over an exact power of ten rounds once.
        if number.digits <= 19, number.mantissa <= 1 << 53, (-22...22).contains(number.exponent) {
            var value = Double(number.mantissa)
            if number.exponent >= 0 {
                value *= Self.powersOfTen[number.exponent]
            } else {
                value /= Self.powersOfTen[-number.exponent]
            }
            return number.negative ? -value : value
        }
        // Like JSONDecoder, refuse what does not survive as a Double: overflow to infinity, underflow to zero.
        guard let value = Double(text(number)), value.isFinite,
            value != 0 || number.digits == 0 || options.allowsUnderflow
        else {
            throw .invalidValue(
                "the number \(text(number)) is out of the range of a 64-bit floating-point number")
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { e in
        var value = 1.0
        for _ in 0..<e { value *= 10 }
        return value
    }

    private func text(_ number: Number) -> String {
        String(
            decoding: UnsafeBufferPointer(start: base + number.start, count: number.end - number.start),
            as: UTF8.self)
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    private static func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
    }
}

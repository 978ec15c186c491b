/// Reads JSON Lines: one flat JSON object per line. Keys are columns (in order of first appearance); numbers,
/// strings and booleans are values; `null` and absent keys are missing; nested objects or arrays are an error.
public enum JSONLinesReader {
    /// Parses the bytes of a JSON Lines file.
    public static func read(_ input: [UInt8], source: String) throws(InputError) -> DataTable {
        if input.count >= Int(UInt32.max) / 2 { throw .tooLarge(source) }
        var extra: [UInt8] = []
        let base = input.count
        var names: [String] = []
        var index: [String: Int] = [:]
        var columns: [[DataTable.Field]] = []
        var rows = 0
        try input.withUnsafeBufferPointer { (b) throws(InputError) in
            if let bad = UTF8Check.firstInvalid(b) {
                throw .notUTF8(source, line: UTF8Check.line(of: bad, in: b), offset: bad)
            }
            let n = b.count
            var p = 0
            if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { p = 3 }
            var line = 0
            while p < n {
                line += 1
                var lineEnd = p
                while lineEnd < n && b[lineEnd] != 0x0A { lineEnd += 1 }
                defer { p = lineEnd + 1 }
                var parser = Cursor(b: b, p: p, end: lineEnd)
                parser.skipSpace()
                if parser.atEnd { continue }
                func fail(_ reason: String) -> InputError { .malformed(source, line: line, reason) }
                guard parser.peek == 0x7B else { throw fail("each line must be a JSON object ({...})") }
                parser.p += 1
                parser.skipSpace()
                if parser.peek == 0x7D {
                    parser.p += 1
                } else {
                    while true {
                        parser.skipSpace()
                        guard parser.peek == 0x22 else { throw fail("expected a quoted key") }
                        guard let key = parser.string(into: &extra, base: base) else { throw fail("invalid string") }
                        let name =
                            key.escaped
                            ? String(decoding: extra[(Int(key.field.start) - base)...], as: UTF8.self)
                            : String(
                                decoding: UnsafeBufferPointer(
                                    rebasing: b[Int(key.field.start)..<Int(key.field.start + key.field.length)]),
                                as: UTF8.self)
                        if key.escaped { extra.removeLast(Int(key.field.length)) }
                        parser.skipSpace()
                        guard parser.peek == 0x3A else { throw fail("expected ':' after key \"\(name)\"") }
                        parser.p += 1
                        parser.skipSpace()
                        let value: DataTable.Field
                        switch parser.peek {
                        case 0x22:
                            guard let s = parser.string(into: &extra, base: base) else {
                                throw fail("invalid string in \"\(name)\"")
                            }
                            value = s.field.length == 0 ? .missing : s.field
                        case 0x7B, 0x5B:
                            throw fail("\"\(name)\" holds a nested object or array; only flat values can be compared")
                        case 0x6E:
                            guard parser.literal("null") else { throw fail("invalid value for \"\(name)\"") }
                            value = .missing
                        case 0x74:
                            let start = parser.p
                            guard parser.literal("true") else { throw fail("invalid value for \"\(name)\"") }
                            value = DataTable.Field(start: UInt32(start), length: 4)
                        case 0x66:
                            let start = parser.p
                            guard parser.literal("false") else { throw fail("invalid value for \"\(name)\"") }
                            value = DataTable.Field(start: UInt32(start), length: 5)
                        default:
                            let start = parser.p
                            while !parser.atEnd, let c = parser.peek,
                                c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 || (c &- 0x30) < 10
                            {
                                parser.p += 1
                            }
                            guard parser.p > start else { throw fail("invalid value for \"\(name)\"") }
                            value = DataTable.Field(start: UInt32(start), length: UInt32(parser.p - start))
                        }
                        let column: Int
                        if let c = index[name] {
                            column = c
                        } else {
                            column = names.count
                            index[name] = column
                            names.append(name)
                            columns.append([DataTable.Field](repeating: .missing, count: rows))
                        }
                        if columns[column].count == rows + 1 {
                            throw fail("key \"\(name)\" appears twice")
                        }
                        columns[column].append(value)
                        parser.skipSpace()
                        if parser.peek == 0x2C {
                            parser.p += 1
                            continue
                        }
                        guard parser.peek == 0x7D else { throw fail("expected ',' or '}'") }
                        parser.p += 1
                        break
                    }
                }
                parser.skipSpace()
                guard parser.atEnd else { throw fail("unexpected text after the object") }
                rows += 1
                for c in columns.indices where columns[c].count < rows { columns[c].append(.missing) }
            }
        }
        if names.isEmpty || rows == 0 { throw .empty(source) }
        return DataTable(source: source, columns: names, fields: columns, bytes: extra.isEmpty ? input : input + extra)
    }

    /// A position within one line.
    private struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var p: Int
        let end: Int

        var atEnd: Bool { p >= end }
        var peek: UInt8? { p < end ? b[p] : nil }

        mutating func skipSpace() {
            while p < end && (b[p] == 0x20 || b[p] == 0x09 || b[p] == 0x0D) { p += 1 }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard p + count <= end else { return false }
            for k in 0..<count where b[p + k] != word.utf8Start[k] { return false }
            p += count
            return true
        }

        /// Parses a JSON string at `p` (on the opening quote); escaped strings are decoded into `extra`.
        mutating func string(into extra: inout [UInt8], base: Int) -> (field: DataTable.Field, escaped: Bool)? {
            p += 1
            let start = p
            while p < end && b[p] != 0x22 && b[p] != 0x5C { p += 1 }
            if p < end && b[p] == 0x22 {
                p += 1
                return (DataTable.Field(start: UInt32(start), length: UInt32(p - 1 - start)), false)
            }
            // Escapes: decode into extra.
            let offset = base + extra.count
            extra.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<p]))
            while p < end {
                let c = b[p]
                if c == 0x22 {
                    p += 1
                    return (DataTable.Field(start: UInt32(offset), length: UInt32(base + extra.count - offset)), true)
                }
                if c != 0x5C {
                    extra.append(c)
                    p += 1
                    continue
                }
                p += 1
                guard p < end else { return nil }
                switch b[p] {
                case 0x22: extra.append(0x22)
                case 0x5C: extra.append(0x5C)
                case 0x2F: extra.append(0x2F)
                case 0x62: extra.append(0x08)
                case 0x66: extra.append(0x0C)
                case 0x6E: extra.append(0x0A)
                case 0x72: extra.append(0x0D)
                case 0x74: extra.append(0x09)
                case 0x75:
                    guard var scalar = hex4(p + 1) else { return nil }
                    p += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard p + 2 < end, b[p + 1] == 0x5C, b[p + 2] == 0x75, let low = hex4(p + 3),
                            (0xDC00...0xDFFF).contains(low)
                        else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        p += 6
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    extra.append(contentsOf: String(Character(u)).utf8)
                default: return nil
                }
                p += 1
            }
            return nil
        }

        private func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = b[at + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
    }
}

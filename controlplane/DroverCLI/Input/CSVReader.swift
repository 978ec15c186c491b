/// Reads RFC 4180 CSV: a header line, comma-separated fields, `"`-quoted fields with `""` escapes and line breaks
/// inside quotes, LF or CRLF line ends, an optional UTF-8 byte order mark. Empty lines are skipped; empty fields
/// are missing values; a row with a different field count than the header is an error.
///
/// One pass over the bytes: fields go straight into column-major storage (sized from the line count) and each
/// field is parsed as a number while its bytes are still in cache, so numeric columns need no second pass.
public enum CSVReader {
    /// Parses the bytes of a CSV file.
    public static func read(_ input: [UInt8], source: String) throws(InputError) -> DataTable {
        if input.count >= Int(UInt32.max) / 2 { throw .tooLarge(source) }
        var scanner = Scanner(source: source, base: input.count)
        var header: [String] = []
        var store: [DataTable.Field] = []
        var values: [Double] = []  // same layout as `store`: the field as a number, NaN when it is not one
        var stride = 0
        var rows = 0
        var failure: InputError?
        input.withUnsafeBufferPointer { b in
            do throws(InputError) {
                if let bad = UTF8Check.firstInvalid(b) {
                    throw .notUTF8(source, line: UTF8Check.line(of: bad, in: b), offset: bad)
                }
                var lineCount = 1
                for c in b where c == 0x0A { lineCount += 1 }
                if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { scanner.p = 3 }
                // Header.
                var names: [DataTable.Field] = []
                scanner.skipEmptyLines(b)
                guard scanner.p < b.count else { throw .empty(source) }
                let headerLine = scanner.line
                while true {
                    names.append(try scanner.field(b))
                    if !scanner.endOfField(b) { break }
                }
                for (i, f) in names.enumerated() {
                    var name = f.isMissing ? "" : scanner.text(f, b)
                    if name.isEmpty { name = "column_\(i + 1)" }
                    if header.contains(name) {
                        throw .malformed(source, line: headerLine, "column \"\(name)\" appears twice in the header")
                    }
                    header.append(name)
                }
                // Every data row starts on its own line, so the line count bounds the row count.
                let width = header.count
                stride = max(1, lineCount - 1)
                store = [DataTable.Field](repeating: .missing, count: stride * width)
                values = [Double](repeating: 0, count: stride * width)
                var rowError: InputError?
                store.withUnsafeMutableBufferPointer { fields in
                    values.withUnsafeMutableBufferPointer { numbers in
                        do throws(InputError) {
                            while true {
                                scanner.skipEmptyLines(b)
                                if scanner.p >= b.count { break }
                                let recordLine = scanner.line
                                var c = 0
                                while true {
                                    let f = try scanner.field(b)
                                    if c < width {
                                        let i = c &* stride &+ rows
                                        fields[i] = f
                                        if !f.isMissing {
                                            let start = Int(f.start)
                                            numbers[i] =
                                                start < scanner.base
                                                ? NumberParser.parse(
                                                    UnsafeBufferPointer(rebasing: b[start..<start &+ Int(f.length)]))
                                                    ?? .nan
                                                : scanner.number(f, b)
                                        }
                                    }
                                    c += 1
                                    if !scanner.endOfField(b) { break }
                                }
                                guard c == width else {
                                    throw .ragged(source, line: recordLine, fields: c, expected: width)
                                }
                                rows += 1
                            }
                        } catch {
                            rowError = error
                        }
                    }
                }
                if let rowError { throw rowError }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if header.isEmpty || rows == 0 { throw .empty(source) }
        let width = header.count
        let numbers: [[Double]?] = store.withUnsafeBufferPointer { fields in
            values.withUnsafeBufferPointer { v in
                (0..<width).map { c in
                    var out: [Double] = []
                    out.reserveCapacity(rows)
                    for r in 0..<rows {
                        let i = c &* stride &+ r
                        if fields[i].isMissing { continue }
                        let x = v[i]
                        if x.isNaN { return nil }
                        out.append(x)
                    }
                    return out
                }
            }
        }
        let extra = scanner.extra
        var table = DataTable(
            source: source, columns: header, store: store, stride: stride, rowCount: rows,
            bytes: extra.isEmpty ? input : input + extra)
        table.parsedNumbers = numbers
        return table
    }

    /// The tokenizer's position; unescaped copies of quoted fields with `""` go to `extra`.
    private struct Scanner {
        let source: String
        let base: Int
        var p = 0
        var line = 1
        var extra: [UInt8] = []

        init(source: String, base: Int) {
            self.source = source
            self.base = base
        }

        mutating func skipEmptyLines(_ b: UnsafeBufferPointer<UInt8>) {
            while p < b.count {
                if b[p] == 0x0A {
                    line += 1
                    p += 1
                } else if b[p] == 0x0D && (p + 1 == b.count || b[p + 1] == 0x0A) {
                    p += 1
                } else {
                    return
                }
            }
        }

        /// Reads one field starting at `p`, leaving `p` on the delimiter, the line end or the end of input.
        @inline(__always)
        mutating func field(_ b: UnsafeBufferPointer<UInt8>) throws(InputError) -> DataTable.Field {
            let n = b.count
            if p < n && b[p] == 0x22 {
                let startLine = line
                p += 1
                let start = p
                var escaped = false
                while true {
                    guard p < n else { throw .malformed(source, line: startLine, "unterminated quoted field") }
                    let c = b[p]
                    if c == 0x22 {
                        if p + 1 < n && b[p + 1] == 0x22 {
                            escaped = true
                            p += 2
                            continue
                        }
                        break
                    }
                    if c == 0x0A { line += 1 }
                    p += 1
                }
                let end = p
                p += 1  // closing quote
                if p < n && b[p] != 0x2C && b[p] != 0x0A && b[p] != 0x0D {
                    throw .malformed(
                        source, line: line,
                        "unexpected character after a closing quote; double quotes inside quoted fields as \"\"")
                }
                if end == start { return .missing }
                if !escaped { return DataTable.Field(start: UInt32(start), length: UInt32(end - start)) }
                let offset = base + extra.count
                var k = start
                while k < end {
                    extra.append(b[k])
                    k += b[k] == 0x22 ? 2 : 1
                }
                return DataTable.Field(start: UInt32(offset), length: UInt32(base + extra.count - offset))
            }
            let start = p
            while p < n {
                let c = b[p]
                if c == 0x2C || c == 0x0A || c == 0x0D { break }
                p += 1
            }
            return p == start ? .missing : DataTable.Field(start: UInt32(start), length: UInt32(p - start))
        }

        /// Consumes a comma (true: another field follows) or a line end / end of input (false).
        @inline(__always)
        mutating func endOfField(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = b.count
            if p < n && b[p] == 0x2C {
                p += 1
                return true
            }
            if p < n && b[p] == 0x0D { p += 1 }
            if p < n && b[p] == 0x0A {
                p += 1
                line += 1
            }
            return false
        }

        /// Parses a field as a number (the slow path for unescaped copies lives here).
        func number(_ f: DataTable.Field, _ b: UnsafeBufferPointer<UInt8>) -> Double {
            let s = Int(f.start)
            if s < base {
                return NumberParser.parse(UnsafeBufferPointer(rebasing: b[s..<s + Int(f.length)])) ?? .nan
            }
            return extra.withUnsafeBufferPointer { e in
                NumberParser.parse(UnsafeBufferPointer(rebasing: e[(s - base)..<(s - base + Int(f.length))]))
            } ?? .nan
        }

        func text(_ f: DataTable.Field, _ b: UnsafeBufferPointer<UInt8>) -> String {
            let s = Int(f.start)
            if s < base {
                return String(decoding: UnsafeBufferPointer(rebasing: b[s..<s + Int(f.length)]), as: UTF8.self)
            }
            return String(decoding: extra[(s - base)..<(s - base + Int(f.length))], as: UTF8.self)
        }
    }
}

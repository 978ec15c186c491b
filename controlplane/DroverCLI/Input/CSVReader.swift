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
        var extra: [UInt8] = []
        let base = input.count
        var header: [String] = []
        var store: [DataTable.Field] = []
        var values: [Double] = []  // same layout as `store`: the field as a number, NaN when it is not one
        var stride = 0
        var rows = 0
        try input.withUnsafeBufferPointer { (b) throws(InputError) in
            if let bad = UTF8Check.firstInvalid(b) {
                throw .notUTF8(source, line: UTF8Check.line(of: bad, in: b), offset: bad)
            }
            let n = b.count
            var lineCount = 1
            for c in b where c == 0x0A { lineCount += 1 }
            var p = 0
            if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { p = 3 }
            var line = 1
            var record: [DataTable.Field] = []
            var haveHeader = false
            while p < n {
                // Skip empty lines.
                if b[p] == 0x0A {
                    line += 1
                    p += 1
                    continue
                }
                if b[p] == 0x0D && (p + 1 == n || b[p + 1] == 0x0A) {
                    p += 1
                    continue
                }
                let recordLine = line
                record.removeAll(keepingCapacity: true)
                // One record.
                while true {
                    if p < n && b[p] == 0x22 {
                        // Quoted field.
                        p += 1
                        let start = p
                        var escaped = false
                        while true {
                            guard p < n else { throw .malformed(source, line: recordLine, "unterminated quoted field") }
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
                                "unexpected character after a closing quote; double quotes inside quoted fields as \"\""
                            )
                        }
                        if end == start {
                            record.append(.missing)
                        } else if escaped {
                            let offset = base + extra.count
                            var k = start
                            while k < end {
                                extra.append(b[k])
                                k += b[k] == 0x22 ? 2 : 1
                            }
                            record.append(
                                DataTable.Field(start: UInt32(offset), length: UInt32(base + extra.count - offset)))
                        } else {
                            record.append(DataTable.Field(start: UInt32(start), length: UInt32(end - start)))
                        }
                    } else {
                        let start = p
                        while p < n {
                            let c = b[p]
                            if c == 0x2C || c == 0x0A || c == 0x0D { break }
                            p += 1
                        }
                        record.append(
                            p == start ? .missing : DataTable.Field(start: UInt32(start), length: UInt32(p - start)))
                    }
                    // After a field: comma, line end or end of input.
                    if p < n && b[p] == 0x2C {
                        p += 1
                        continue
                    }
                    if p < n && b[p] == 0x0D { p += 1 }
                    if p < n && b[p] == 0x0A {
                        p += 1
                        line += 1
                    }
                    break
                }
                if !haveHeader {
                    haveHeader = true
                    for (i, f) in record.enumerated() {
                        var name = ""
                        if !f.isMissing {
                            let s = Int(f.start)
                            if s < base {
                                name = String(
                                    decoding: UnsafeBufferPointer(rebasing: b[s..<s + Int(f.length)]), as: UTF8.self)
                            } else {
                                name = String(decoding: extra[(s - base)..<(s - base + Int(f.length))], as: UTF8.self)
                            }
                        }
                        if name.isEmpty { name = "column_\(i + 1)" }
                        if header.contains(name) {
                            throw .malformed(source, line: recordLine, "column \"\(name)\" appears twice in the header")
                        }
                        header.append(name)
                    }
                    // Every data row starts on its own line, so the line count bounds the row count.
                    stride = max(1, lineCount - 1)
                    store = [DataTable.Field](repeating: .missing, count: stride * header.count)
                    values = [Double](repeating: 0, count: stride * header.count)
                    continue
                }
                guard record.count == header.count else {
                    throw .ragged(source, line: recordLine, fields: record.count, expected: header.count)
                }
                store.withUnsafeMutableBufferPointer { fields in
                    values.withUnsafeMutableBufferPointer { numbers in
                        for (c, f) in record.enumerated() {
                            let i = c &* stride &+ rows
                            fields[i] = f
                            if f.isMissing { continue }
                            let s = Int(f.start)
                            if s < base {
                                numbers[i] =
                                    NumberParser.parse(UnsafeBufferPointer(rebasing: b[s..<s + Int(f.length)])) ?? .nan
                            } else {
                                numbers[i] =
                                    extra.withUnsafeBufferPointer { e in
                                        NumberParser.parse(
                                            UnsafeBufferPointer(rebasing: e[(s - base)..<(s - base + Int(f.length))]))
                                    } ?? .nan
                            }
                        }
                    }
                }
                rows += 1
            }
        }
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
        var table = DataTable(
            source: source, columns: header, store: store, stride: stride, rowCount: rows,
            bytes: extra.isEmpty ? input : input + extra)
        table.parsedNumbers = numbers
        return table
    }
}

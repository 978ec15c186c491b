/// Reads RFC 4180 CSV: a header line, comma-separated fields, `"`-quoted fields with `""` escapes and line breaks
/// inside quotes, LF or CRLF line ends, an optional UTF-8 byte order mark. Empty lines are skipped; empty fields
/// are missing values; a row with a different field count than the header is an error.
public enum CSVReader {
    /// Parses the bytes of a CSV file.
    public static func read(_ input: [UInt8], source: String) throws(InputError) -> DataTable {
        if input.count >= Int(UInt32.max) / 2 { throw .tooLarge(source) }
        var extra: [UInt8] = []
        let base = input.count
        var header: [String] = []
        var columns: [[DataTable.Field]] = []
        try input.withUnsafeBufferPointer { (b) throws(InputError) in
            if let bad = UTF8Check.firstInvalid(b) {
                throw .notUTF8(source, line: UTF8Check.line(of: bad, in: b), offset: bad)
            }
            let n = b.count
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
                    columns = [[DataTable.Field]](repeating: [], count: header.count)
                    let estimate = n / max(1, p)
                    for c in columns.indices { columns[c].reserveCapacity(estimate) }
                    continue
                }
                guard record.count == header.count else {
                    throw .ragged(source, line: recordLine, fields: record.count, expected: header.count)
                }
                for (c, f) in record.enumerated() { columns[c].append(f) }
            }
        }
        if header.isEmpty || columns.first?.isEmpty ?? true { throw .empty(source) }
        return DataTable(source: source, columns: header, fields: columns, bytes: extra.isEmpty ? input : input + extra)
    }
}

/// A table read from a CSV or JSON Lines file, column by column, without copying the field text.
///
/// Every field is a byte range into `bytes` (the file, plus unescaped copies of quoted or escaped fields
/// appended at the end), so a 100,000-row file is parsed without creating a string per field.
public struct DataTable: Sendable {
    /// A field: a byte range into `bytes`, or missing (an empty CSV field or a JSON `null` / absent key).
    public struct Field: Sendable, Hashable {
        /// Offset of the first byte.
        public var start: UInt32
        /// Length in bytes; `UInt32.max` marks a missing value.
        public var length: UInt32

        /// A missing value.
        public static let missing = Field(start: 0, length: .max)

        /// True for a missing value.
        @inline(__always) public var isMissing: Bool { length == .max }
    }

    /// Where the table came from (for messages).
    public var source: String
    /// Column names in file order.
    public var columns: [String]
    /// Fields per column (`fields[c][row]`); every column has `rowCount` entries.
    public var fields: [[Field]]
    /// The bytes the fields point into.
    public var bytes: [UInt8]

    /// Creates a table.
    public init(source: String, columns: [String], fields: [[Field]], bytes: [UInt8]) {
        self.source = source
        self.columns = columns
        self.fields = fields
        self.bytes = bytes
    }

    /// Number of data rows.
    public var rowCount: Int { fields.first?.count ?? 0 }

    /// The index of a column by name.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The text of a field (nil when missing).
    public func text(_ field: Field) -> String? {
        guard !field.isMissing else { return nil }
        return bytes.withUnsafeBufferPointer { b in
            String(
                decoding: UnsafeBufferPointer(rebasing: b[Int(field.start)..<Int(field.start) + Int(field.length)]),
                as: UTF8.self)
        }
    }

    /// The non-missing values of a column as finite numbers, or nil as soon as one does not parse as one.
    public func numbers(column c: Int) -> [Double]? {
        bytes.withUnsafeBufferPointer { b -> [Double]? in
            var out: [Double] = []
            out.reserveCapacity(fields[c].count)
            for f in fields[c] where !f.isMissing {
                let slice = UnsafeBufferPointer(rebasing: b[Int(f.start)..<Int(f.start) + Int(f.length)])
                guard let x = NumberParser.parse(slice) else { return nil }
                out.append(x)
            }
            return out
        }
    }

    /// The non-missing values of a column as text.
    public func strings(column c: Int) -> [String] {
        fields[c].compactMap { text($0) }
    }

    /// Counts of each distinct non-missing value of a column.
    public func valueCounts(column c: Int) -> [String: Int] {
        var counts: [String: Int] = [:]
        for f in fields[c] {
            if let s = text(f) { counts[s, default: 0] += 1 }
        }
        return counts
    }
}

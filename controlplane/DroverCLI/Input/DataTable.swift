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
    /// Number of data rows.
    public private(set) var rowCount: Int
    /// The bytes the fields point into.
    public var bytes: [UInt8]
    /// Fields, column-major: column `c` occupies `store[c * stride ..< c * stride + rowCount]`.
    private var store: [Field]
    private var stride: Int
    /// Per column, the non-missing values as numbers when all parse (nil otherwise), if the reader computed them
    /// while the bytes were in cache (the CSV reader does).
    var parsedNumbers: [[Double]?]?

    /// Creates a table from per-column fields (every column the same length).
    public init(source: String, columns: [String], fields: [[Field]], bytes: [UInt8]) {
        self.source = source
        self.columns = columns
        self.bytes = bytes
        rowCount = fields.first?.count ?? 0
        stride = rowCount
        store = fields.flatMap { $0 }
    }

    /// Creates a table over column-major storage with a column stride (used by the CSV reader).
    init(source: String, columns: [String], store: [Field], stride: Int, rowCount: Int, bytes: [UInt8]) {
        self.source = source
        self.columns = columns
        self.store = store
        self.stride = stride
        self.rowCount = rowCount
        self.bytes = bytes
    }

    /// The fields of one column, row by row.
    public func fields(column c: Int) -> ArraySlice<Field> {
        store[c * stride..<c * stride + rowCount]
    }

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
        if let parsedNumbers { return parsedNumbers[c] }
        return bytes.withUnsafeBufferPointer { b -> [Double]? in
            var out: [Double] = []
            out.reserveCapacity(rowCount)
            for f in fields(column: c) where !f.isMissing {
                let slice = UnsafeBufferPointer(rebasing: b[Int(f.start)..<Int(f.start) + Int(f.length)])
                guard let x = NumberParser.parse(slice) else { return nil }
                out.append(x)
            }
            return out
        }
    }

    /// The non-missing values of a column as text.
    public func strings(column c: Int) -> [String] {
        fields(column: c).compactMap { text($0) }
    }

    /// Counts of each distinct non-missing value of a column (hashing bytes; one string per distinct value).
    public func valueCounts(column c: Int) -> [String: Int] {
        bytes.withUnsafeBufferPointer { b in
            var table = ByteCounter(capacity: 64)
            for f in fields(column: c) where !f.isMissing { table.add(b, f) }
            var counts: [String: Int] = [:]
            for (f, n) in table.entries() { counts[text(f)!, default: 0] += n }
            return counts
        }
    }
}

/// Counts distinct byte strings with an open-addressing table (FNV-1a hashes, byte comparison on collision).
struct ByteCounter {
    private var slots: [(hash: UInt64, field: DataTable.Field, count: Int)]
    private var used = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: (0, .missing, 0), count: size)
    }

    mutating func add(_ b: UnsafeBufferPointer<UInt8>, _ f: DataTable.Field) {
        let start = Int(f.start)
        let length = Int(f.length)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in start..<start + length { h = (h ^ UInt64(b[i])) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let slot = slots[i]
            if slot.count == 0 {
                slots[i] = (h, f, 1)
                used += 1
                if used * 2 > slots.count { grow(b) }
                return
            }
            if slot.hash == h && slot.field.length == f.length
                && memoryEqual(b, Int(slot.field.start), start, length)
            {
                slots[i].count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    private func memoryEqual(_ b: UnsafeBufferPointer<UInt8>, _ x: Int, _ y: Int, _ n: Int) -> Bool {
        for k in 0..<n where b[x + k] != b[y + k] { return false }
        return true
    }

    private mutating func grow(_ b: UnsafeBufferPointer<UInt8>) {
        let old = slots
        slots = Array(repeating: (0, .missing, 0), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.count > 0 {
            var i = Int(truncatingIfNeeded: slot.hash ^ (slot.hash >> 29)) & mask
            while slots[i].count != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// One field per distinct value and its count.
    func entries() -> [(DataTable.Field, Int)] {
        slots.filter { $0.count > 0 }.map { ($0.field, $0.count) }
    }
}

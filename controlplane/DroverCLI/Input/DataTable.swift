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

/// Counts distinct byte strings with an open-addressing table (word-at-a-time hashes, byte comparison on a match).
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
        let h = Self.hash(b, start, length)
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
                && Self.equal(b, Int(slot.field.start), start, length)
            {
                slots[i].count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Hashes 8 bytes at a time (word loads, one multiply per word), the tail byte by byte.
    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        let raw = UnsafeRawPointer(b.baseAddress!) + start
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var k = 0
        while k + 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < length {
            tail |= UInt64(raw.load(fromByteOffset: k, as: UInt8.self)) << shift
            shift += 8
            k += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    @inline(__always)
    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ x: Int, _ y: Int, _ n: Int) -> Bool {
        let base = UnsafeRawPointer(b.baseAddress!)
        var k = 0
        while k + 8 <= n {
            if base.loadUnaligned(fromByteOffset: x + k, as: UInt64.self)
                != base.loadUnaligned(fromByteOffset: y + k, as: UInt64.self)
            {
                return false
            }
            k += 8
        }
        while k < n {
            if b[x + k] != b[y + k] { return false }
            k += 1
        }
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

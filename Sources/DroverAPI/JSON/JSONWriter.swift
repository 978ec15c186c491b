/// Writes compact JSON into a byte array without Codable: the fast path for small hot documents
/// (acknowledgements, rollups). Commas are placed automatically; the caller keeps objects and arrays balanced.
public struct JSONWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// Creates a writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// A number JSON cannot carry (NaN or an infinity), named by the key being written when known.
    public struct NonFiniteNumber: Error, Sendable, Equatable, CustomStringConvertible {
        /// The offending value.
        public var value: Double
        /// What is wrong and what to do.
        public var description: String {
            "JSON cannot carry the number \(value); only finite numbers can be written"
        }
    }

    /// Opens an object.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key; the next value written belongs to it.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes an integer value.
    public mutating func int(_ value: Int) {
        separate()
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    /// Writes a finite number in its shortest form that reads back to the same `Double`.
    public mutating func double(_ value: Double) throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(value: value) }
        separate()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes an array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Writes an array of integers.
    public mutating func ints(_ values: [Int]) {
        beginArray()
        for value in values { int(value) }
        endArray()
    }

    /// Writes an object of integers (keys in sorted order, so equal maps give equal bytes).
    public mutating func intMap(_ values: [String: Int]) {
        beginObject()
        for name in values.keys.sorted() {
            key(name)
            int(values[name]!)
        }
        endObject()
    }

    /// Writes an object of finite numbers (keys in sorted order).
    public mutating func doubleMap(_ values: [String: Double]) throws(NonFiniteNumber) {
        beginObject()
        for name in values.keys.sorted() {
            key(name)
            try double(values[name]!)
        }
        endObject()
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Appends `"text"` escaping quotes, backslashes and control characters (slashes and non-ASCII stay as they are).
    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                ])
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension ReportAck {
    /// The acknowledgement as compact JSON: `{"accepted":[…],"duplicates":[…]}`, keys in DroverJSON's sorted order.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 48 + 32 * (accepted.count + duplicates.count))
        writer.beginObject()
        writer.key("accepted")
        writer.strings(accepted)
        writer.key("duplicates")
        writer.strings(duplicates)
        writer.endObject()
        return writer.bytes
    }
}

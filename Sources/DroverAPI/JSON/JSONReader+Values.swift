#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension JSONReader {
    /// Reads an integer, or nil for `null`.
    public mutating func readOptionalInt() throws(JSONReadError) -> Int? {
        try readNull() ? nil : try readInt()
    }

    /// Reads a number, or nil for `null`.
    public mutating func readOptionalDouble() throws(JSONReadError) -> Double? {
        try readNull() ? nil : try readDouble()
    }

    /// Reads a string, or nil for `null`.
    public mutating func readOptionalString() throws(JSONReadError) -> String? {
        try readNull() ? nil : try readString()
    }

    /// Reads a value of a readable type, or nil for `null`.
    public mutating func readOptional<T: JSONReadable>(_ type: T.Type) throws(JSONReadError) -> T? {
        try readNull() ? nil : try T.read(from: &self)
    }

    /// Reads an array of integers; a bad element is named by its index.
    public mutating func readIntArray() throws(JSONReadError) -> [Int] {
        var cursor = try beginArray(expected: "an array of integers")
        var out: [Int] = []
        out.reserveCapacity(16)
        while try nextElement(in: &cursor) {
            do throws(JSONReadError) { out.append(try readInt()) } catch {
                throw error.at(index: cursor.index)
            }
        }
        return out
    }

    /// Reads an array of numbers; a bad element is named by its index.
    public mutating func readDoubleArray() throws(JSONReadError) -> [Double] {
        var cursor = try beginArray(expected: "an array of numbers")
        var out: [Double] = []
        out.reserveCapacity(16)
        while try nextElement(in: &cursor) {
            do throws(JSONReadError) { out.append(try readDouble()) } catch {
                throw error.at(index: cursor.index)
            }
        }
        return out
    }

    /// Reads an array of a readable type; a bad element is named by its index.
    public mutating func readArray<T: JSONReadable>(of type: T.Type) throws(JSONReadError) -> [T] {
        var cursor = try beginArray()
        var out: [T] = []
        while try nextElement(in: &cursor) {
            if cursor.index == 0 { out.reserveCapacity(16) }
            do throws(JSONReadError) { out.append(try T.read(from: &self)) } catch {
                throw error.at(index: cursor.index)
            }
        }
        return out
    }

    /// Reads an object of integers (the first of duplicate keys wins, as with JSONDecoder).
    public mutating func readIntMap() throws(JSONReadError) -> [String: Int] {
        var out: [String: Int] = [:]
        try readObject(expected: "an object of integers") { key, r throws(JSONReadError) in
            if out.isEmpty { out.reserveCapacity(8) }
            out[key.string] = try r.readInt()
        }
        return out
    }

    /// Reads an object of numbers (the first of duplicate keys wins, as with JSONDecoder).
    public mutating func readDoubleMap() throws(JSONReadError) -> [String: Double] {
        var out: [String: Double] = [:]
        try readObject(expected: "an object of numbers") { key, r throws(JSONReadError) in
            if out.isEmpty { out.reserveCapacity(8) }
            out[key.string] = try r.readDouble()
        }
        return out
    }

    /// Reads an RFC 3339 timestamp (`2026-11-29T04:00:00Z`, fractional seconds and offsets accepted).
    public mutating func readDate() throws(JSONReadError) -> Date {
        try readStringBytes { (bytes: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> Date in
            guard let date = RFC3339.parse(utf8: bytes) else {
                throw .invalidValue(
                    "expected an RFC 3339 timestamp like 2026-11-29T04:00:00Z, got \"\(String(decoding: bytes, as: UTF8.self))\""
                )
            }
            return date
        }
    }

    /// Reads a string that must be the raw value of `T` (e.g. a `FeatureKind`).
    public mutating func readEnum<T: RawRepresentable & CaseIterable>(_ type: T.Type)
        throws(JSONReadError) -> T
    where T.RawValue == String {
        let raw = try readString()
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidValue("must be one of \(allowed); got \"\(raw)\"")
        }
        return value
    }
}

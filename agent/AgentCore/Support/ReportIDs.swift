#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ULID report ids: 48 bits of milliseconds then 80 random bits, Crockford base 32 (26 characters, sortable by time).
public enum ReportIDs {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new id for `date`.
    public static func generate(at date: Date = Date()) -> String {
        var rng = SystemRandomNumberGenerator()
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let high = UInt64.random(in: 0...UInt64.max, using: &rng)
        let low = UInt16.random(in: 0...UInt16.max, using: &rng)
        // 128 bits: [48 time][80 random] -> 26 chars of 5 bits (the first char carries 3 bits).
        var bits: [UInt8] = []
        for i in stride(from: 47, through: 0, by: -1) { bits.append(UInt8((ms >> UInt64(i)) & 1)) }
        for i in stride(from: 63, through: 0, by: -1) { bits.append(UInt8((high >> UInt64(i)) & 1)) }
        for i in stride(from: 15, through: 0, by: -1) { bits.append(UInt8((low >> UInt16(i)) & 1)) }
        bits.insert(contentsOf: [0, 0], at: 0)
        var out: [UInt8] = []
        for chunk in stride(from: 0, to: 130, by: 5) {
            var v = 0
            for b in bits[chunk..<chunk + 5] { v = v << 1 | Int(b) }
            out.append(alphabet[v])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

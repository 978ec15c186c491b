import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Report ids: ULIDs (48-bit millisecond timestamp + 80 random bits, Crockford base32, 26 characters).
///
/// Ids sort by time as text; ids from one generator are strictly increasing, even within one millisecond.
public enum ReportID {
    /// The length of an id.
    public static let length = 26

    /// Crockford's base32 alphabet (no I, L, O, U).
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    private static let shared = ReportIDGenerator()

    /// A new id for the current time from the process-wide generator (monotonic within a millisecond).
    public static func generate() -> String { shared.next() }

    /// A new id for `date` from the process-wide generator.
    public static func generate(at date: Date) -> String { shared.next(at: date) }

    /// Whether `text` is a well-formed id: 26 Crockford base32 characters (upper case) not above the 128-bit range.
    public static func isValid(_ text: String) -> Bool { decode(text) != nil }

    /// The millisecond timestamp an id carries, or nil when it is not a well-formed id.
    public static func timestamp(of text: String) -> Date? {
        guard let value = decode(text) else { return nil }
        return Date(timeIntervalSince1970: Double(UInt64(value >> 80)) / 1000)
    }

    /// Encodes a 48-bit millisecond timestamp and 80 random bits as 26 characters.
    public static func encode(milliseconds: UInt64, random: UInt128) -> String {
        let value = (UInt128(milliseconds & 0xFFFF_FFFF_FFFF) << 80) | (random & ((UInt128(1) << 80) - 1))
        var bytes = [UInt8](repeating: 0, count: length)
        for index in 0..<length {
            let shift = UInt128(5 * (length - 1 - index))
            bytes[index] = alphabet[Int((value >> shift) & 31)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes an id to its 128-bit value, or nil when malformed.
    static func decode(_ text: String) -> UInt128? {
        let bytes = Array(text.utf8)
        guard bytes.count == length else { return nil }
        var value: UInt128 = 0
        for (index, byte) in bytes.enumerated() {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            if index == 0 && digit > 7 { return nil }  // 26 × 5 = 130 bits; the top two must be zero.
            value = (value << 5) | UInt128(digit)
        }
        return value
    }
}

/// Generates strictly increasing ULID-style report ids; safe to share between tasks.
public final class ReportIDGenerator: Sendable {
    private struct State {
        var lastMilliseconds: UInt64 = 0
        var lastRandom: UInt128 = 0
    }

    // The last id handed out, guarded by this Mutex.
    private let state = Mutex(State())

    /// Creates a generator.
    public init() {}

    /// The next id for the current time.
    public func next() -> String { next(at: Date()) }

    /// The next id for `date`: a fresh random part, or the previous one plus one when `date` is in (or before)
    /// the millisecond of the previous id, so ids never go backwards.
    public func next(at date: Date) -> String {
        var rng = SystemRandomNumberGenerator()
        return next(milliseconds: UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down))), using: &rng)
    }

    /// The next id for a millisecond timestamp with random bits from `generator` (for deterministic tests).
    public func next(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) -> String {
        let mask: UInt128 = (UInt128(1) << 80) - 1
        let fresh = (UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64)) & mask
        let (ms, random) = state.withLock { s -> (UInt64, UInt128) in
            if milliseconds > s.lastMilliseconds {
                s.lastMilliseconds = milliseconds
                s.lastRandom = fresh
            } else if s.lastRandom == mask {
                s.lastMilliseconds += 1
                s.lastRandom = fresh
            } else {
                s.lastRandom += 1
            }
            return (s.lastMilliseconds, s.lastRandom)
        }
        return ReportID.encode(milliseconds: ms, random: random)
    }
}

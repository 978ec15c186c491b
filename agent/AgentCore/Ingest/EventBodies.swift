import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes request bodies and log lines holding events: a JSON array or NDJSON (one JSON object per line).
public enum EventBodies {
    private struct Lossy<T: Decodable>: Decodable {
        var value: T?
        init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
    }

    /// The decoded items and how many entries could not be decoded.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> (items: [T], invalid: Int) {
        let decoder = DroverJSON.decoder()
        guard let first = bytes.firstIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else { return ([], 0) }
        if bytes[first] == UInt8(ascii: "[") {
            guard let all = try? decoder.decode([Lossy<T>].self, from: Data(bytes)) else { return ([], 1) }
            let items = all.compactMap(\.value)
            return (items, all.count - items.count)
        }
        var items: [T] = []
        var invalid = 0
        var start = first
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            if line.contains(where: { !($0 == 32 || $0 == 9 || $0 == 13) }) {
                if let item = try? decoder.decode(T.self, from: Data(line)) { items.append(item) } else { invalid += 1 }
            }
            start = end + 1
        }
        return (items, invalid)
    }

    /// Decodes one log line.
    public static func decodeLine<T: Decodable>(_ type: T.Type, _ line: [UInt8]) -> T? {
        try? DroverJSON.decoder().decode(T.self, from: Data(line))
    }
}

/// Keeps a share of events chosen by a hash of the request id, so the same request is kept or dropped everywhere.
public struct EventSampler: Sendable, Equatable {
    /// Share kept, in (0, 1].
    public var rate: Double

    /// Creates a sampler.
    public init(rate: Double) { self.rate = rate }

    /// Whether to keep the event with this request id.
    public func keeps(_ requestID: String) -> Bool {
        guard rate < 1 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in requestID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        // FNV-1a spreads short, similar ids poorly in its high bits: finish with a splitmix64 mix.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) / Double(1 << 53) < rate
    }
}

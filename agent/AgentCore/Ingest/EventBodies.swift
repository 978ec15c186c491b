import DroverAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decodes request bodies and log lines holding events: a JSON array or NDJSON (one JSON object per line).
///
/// Prediction and label events take a direct byte-level path (`JSONReader`, lenient); other types go through `Codable`.
public enum EventBodies {
    private struct Lossy<T: Decodable>: Decodable {
        var value: T?
        init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
    }

    /// The decoded items and how many entries could not be decoded.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> (items: [T], invalid: Int) {
        let decoder = DroverJSON.decoder()
        guard let first = bytes.firstIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else {
            return ([], 0)
        }
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

    /// Prediction events from a JSON array or NDJSON body, read byte by byte (no `Codable`, no `Data` copies).
    public static func decode(_ type: PredictionEvent.Type, from bytes: [UInt8]) -> (
        items: [PredictionEvent], invalid: Int
    ) {
        decodeDirect(bytes) { (reader: inout JSONReader) throws(JSONReadError) in
            try PredictionEvent.readEvent(from: &reader)
        }
    }

    /// Label events from a JSON array or NDJSON body, read byte by byte.
    public static func decode(_ type: LabelEvent.Type, from bytes: [UInt8]) -> (items: [LabelEvent], invalid: Int) {
        decodeDirect(bytes) { (reader: inout JSONReader) throws(JSONReadError) in
            try LabelEvent.readEvent(from: &reader)
        }
    }

    /// One prediction event from a log line; nil when the line is not one.
    public static func decodeLine(_ type: PredictionEvent.Type, _ line: [UInt8]) -> PredictionEvent? {
        one(line, in: 0..<line.count) { (reader: inout JSONReader) throws(JSONReadError) in
            try PredictionEvent.readEvent(from: &reader)
        }
    }

    /// One label event from a log line; nil when the line is not one.
    public static func decodeLine(_ type: LabelEvent.Type, _ line: [UInt8]) -> LabelEvent? {
        one(line, in: 0..<line.count) { (reader: inout JSONReader) throws(JSONReadError) in
            try LabelEvent.readEvent(from: &reader)
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// An array is all or nothing when it is not JSON (like `JSONDecoder`), element by element otherwise;
    /// NDJSON is line by line. Both read with `JSONReader.Options.lenient` (trailing commas, as JSONDecoder).
    private static func decodeDirect<T>(
        _ bytes: [UInt8], _ read: (inout JSONReader) throws(JSONReadError) -> T?
    ) -> (items: [T], invalid: Int) {
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return ([], 0) }
        var items: [T] = []
        var invalid = 0
        if bytes[first] == UInt8(ascii: "[") {
            do {
                try JSONReader.read(bytes, options: .lenient) { (reader: inout JSONReader) throws(JSONReadError) in
                    var cursor = try reader.beginArray()
                    while try reader.nextElement(in: &cursor) {
                        if let item = try read(&reader) { items.append(item) } else { invalid += 1 }
                    }
                }
            } catch {
                return ([], 1)
            }
            return (items, invalid)
        }
        var start = first
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            if bytes[start..<end].contains(where: { !isSpace($0) }) {
                if let item = one(bytes, in: start..<end, read) { items.append(item) } else { invalid += 1 }
            }
            start = end + 1
        }
        return (items, invalid)
    }

    private static func one<T>(
        _ bytes: [UInt8], in range: Range<Int>, _ read: (inout JSONReader) throws(JSONReadError) -> T?
    ) -> T? {
        try? JSONReader.read(bytes, in: range, options: .lenient, read)
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

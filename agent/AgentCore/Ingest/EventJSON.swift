import DroverAPI

/// Reads prediction and label events straight from JSON bytes, without Foundation or `Codable`.
///
/// Same acceptance as the `Codable` types: unknown members are skipped, optional members may be `null`,
/// a feature value is a number, a string or a boolean (kept as `"true"`/`"false"`). Malformed JSON is a
/// `Syntax` error; well-formed JSON that is not an event yields nil (counted as invalid by the caller).
struct EventJSON {
    /// The bytes are not JSON; `offset` is where reading stopped.
    struct Syntax: Error {
        var offset: Int
    }

    private let bytes: [UInt8]
    private(set) var i: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.i = start
        self.end = end ?? bytes.count
    }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return i >= end
        }
    }

    private func peek() -> UInt8? { i < end ? bytes[i] : nil }

    mutating func skipSpace() {
        while i < end {
            let c = bytes[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    private mutating func expect(_ c: UInt8) throws(Syntax) {
        skipSpace()
        guard i < end, bytes[i] == c else { throw Syntax(offset: i) }
        i += 1
    }

    /// Consumes `c` (after spaces) when it is next.
    mutating func consume(_ c: UInt8) -> Bool {
        skipSpace()
        if i < end, bytes[i] == c {
            i += 1
            return true
        }
        return false
    }

    /// After an element: true when a comma introduces another one. A comma right before `close` is a
    /// trailing comma, which JSONDecoder accepts too.
    private mutating func more(_ close: UInt8) -> Bool {
        guard consume(UInt8(ascii: ",")) else { return false }
        skipSpace()
        return peek() != close
    }

    // MARK: Values

    private enum Kind { case object, array, string, number, bool, null }

    private mutating func kind() throws(Syntax) -> Kind {
        skipSpace()
        guard let c = peek() else { throw Syntax(offset: i) }
        switch c {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw Syntax(offset: i)
        }
    }

    private mutating func literal(_ text: StaticString) throws(Syntax) {
        let count = text.utf8CodeUnitCount
        guard i + count <= end else { throw Syntax(offset: i) }
        for k in 0..<count where bytes[i + k] != text.utf8Start[k] { throw Syntax(offset: i + k) }
        i += count
    }

    private mutating func bool() throws(Syntax) -> Bool {
        if bytes[i] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    mutating func string() throws(Syntax) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                i += 1
                return text
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if c < 0x20 { throw Syntax(offset: i) }
            i += 1
        }
        throw Syntax(offset: i)
    }

    private mutating func escapedString(from start: Int) throws(Syntax) -> String {
        var out = Array(bytes[start..<i])
        while i < end {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { throw Syntax(offset: i - 1) }
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard let e = peek() else { throw Syntax(offset: i) }
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800..<0xDC00).contains(value), i + 1 < end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Syntax(offset: i) }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                out += Array(String(Character(Unicode.Scalar(value) ?? "\u{FFFD}")).utf8)
            default: throw Syntax(offset: i - 1)
            }
        }
        throw Syntax(offset: i)
    }

    private mutating func hex4() throws(Syntax) -> UInt32 {
        guard i + 4 <= end else { throw Syntax(offset: i) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw Syntax(offset: i)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// A JSON number (strict grammar), converted by the standard library.
    mutating func number() throws(Syntax) -> Double {
        skipSpace()
        let start = i
        if peek() == UInt8(ascii: "-") { i += 1 }
        guard let first = peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { throw Syntax(offset: i) }
        var integer: Int64 = 0
        var simple = true  // an integer short enough to convert exactly without parsing text
        var digits = 0
        if first == UInt8(ascii: "0") {
            i += 1
        } else {
            while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                integer = integer &* 10 &+ Int64(c - UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
        }
        if peek() == UInt8(ascii: ".") {
            simple = false
            i += 1
            guard let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw Syntax(offset: i) }
            while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { i += 1 }
        }
        if let c = peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            simple = false
            i += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { i += 1 }
            guard let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw Syntax(offset: i) }
            while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { i += 1 }
        }
        if simple && digits <= 15 {
            return bytes[start] == UInt8(ascii: "-") ? -Double(integer) : Double(integer)
        }
        guard let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)), value.isFinite else {
            throw Syntax(offset: start)
        }
        return value
    }

    /// Skips any value.
    mutating func skipValue() throws(Syntax) {
        switch try kind() {
        case .object:
            i += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try string()
                try expect(UInt8(ascii: ":"))
                try skipValue()
            } while more(UInt8(ascii: "}"))
            try expect(UInt8(ascii: "}"))
        case .array:
            i += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue() } while more(UInt8(ascii: "]"))
            try expect(UInt8(ascii: "]"))
        case .string: _ = try string()
        case .number: _ = try number()
        case .bool: _ = try bool()
        case .null: try literal("null")
        }
    }

    /// Calls `member` with each key of an object; `member` must consume the value.
    private mutating func members(_ member: (inout EventJSON, String) throws(Syntax) -> Void) throws(Syntax) {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
        } while more(UInt8(ascii: "}"))
        try expect(UInt8(ascii: "}"))
    }

    /// A string or null; `wrong` is set (and the value skipped) for any other type.
    private mutating func optionalString(_ wrong: inout Bool) throws(Syntax) -> String? {
        switch try kind() {
        case .string: return try string()
        case .null:
            try literal("null")
            return nil
        default:
            wrong = true
            try skipValue()
            return nil
        }
    }

    private mutating func optionalNumber(_ wrong: inout Bool) throws(Syntax) -> Double? {
        switch try kind() {
        case .number: return try number()
        case .null:
            try literal("null")
            return nil
        default:
            wrong = true
            try skipValue()
            return nil
        }
    }

    // MARK: Events

    /// One prediction event; nil when the value is JSON but not a prediction event.
    mutating func predictionEvent() throws(Syntax) -> PredictionEvent? {
        guard try kind() == .object else {
            try skipValue()
            return nil
        }
        var wrong = false
        var requestID: String?
        var at: String?
        var model: String?
        var version: String?
        var features: [String: FeatureValue]?
        var scores: [Double]?
        var items: [String]?
        var latencyMs: Double?
        try members { (reader: inout EventJSON, key: String) throws(Syntax) in
            switch key {
            case "request_id": requestID = try reader.optionalString(&wrong)
            case "features": features = try reader.features(&wrong)
            case "scores": scores = try reader.numbers(&wrong)
            case "items": items = try reader.strings(&wrong)
            case "latency_ms": latencyMs = try reader.optionalNumber(&wrong)
            case "at": at = try reader.optionalString(&wrong)
            case "model": model = try reader.optionalString(&wrong)
            case "version": version = try reader.optionalString(&wrong)
            default: try reader.skipValue()
            }
        }
        guard !wrong, let requestID, let features, let scores else { return nil }
        return PredictionEvent(
            requestID: requestID, at: at, model: model, version: version, features: features, scores: scores, items: items,
            latencyMs: latencyMs)
    }

    private mutating func features(_ wrong: inout Bool) throws(Syntax) -> [String: FeatureValue]? {
        guard try kind() == .object else {
            wrong = true
            try skipValue()
            return nil
        }
        var out: [String: FeatureValue] = [:]
        out.reserveCapacity(24)
        var bad = false
        try members { (reader: inout EventJSON, key: String) throws(Syntax) in
            switch try reader.kind() {
            case .number: out[key] = .number(try reader.number())
            case .string: out[key] = .string(try reader.string())
            case .bool: out[key] = .string(try reader.bool() ? "true" : "false")
            default:
                bad = true
                try reader.skipValue()
            }
        }
        if bad { wrong = true }
        return out
    }

    private mutating func numbers(_ wrong: inout Bool) throws(Syntax) -> [Double]? {
        guard try kind() == .array else {
            wrong = true
            try skipValue()
            return nil
        }
        i += 1
        var out: [Double] = []
        if consume(UInt8(ascii: "]")) { return out }
        repeat {
            if try kind() == .number { out.append(try number()) } else {
                wrong = true
                try skipValue()
            }
        } while more(UInt8(ascii: "]"))
        try expect(UInt8(ascii: "]"))
        return out
    }

    private mutating func strings(_ wrong: inout Bool) throws(Syntax) -> [String]? {
        switch try kind() {
        case .null:
            try literal("null")
            return nil
        case .array: break
        default:
            wrong = true
            try skipValue()
            return nil
        }
        i += 1
        var out: [String] = []
        if consume(UInt8(ascii: "]")) { return out }
        repeat {
            if try kind() == .string { out.append(try string()) } else {
                wrong = true
                try skipValue()
            }
        } while more(UInt8(ascii: "]"))
        try expect(UInt8(ascii: "]"))
        return out
    }

    /// One label event; nil when the value is JSON but not a label event.
    mutating func labelEvent() throws(Syntax) -> LabelEvent? {
        guard try kind() == .object else {
            try skipValue()
            return nil
        }
        var wrong = false
        var requestID: String?
        var kindText: String?
        var value: Double?
        var item: String?
        var at: String?
        try members { (reader: inout EventJSON, key: String) throws(Syntax) in
            switch key {
            case "request_id": requestID = try reader.optionalString(&wrong)
            case "kind": kindText = try reader.optionalString(&wrong)
            case "value": value = try reader.optionalNumber(&wrong)
            case "item": item = try reader.optionalString(&wrong)
            case "at": at = try reader.optionalString(&wrong)
            default: try reader.skipValue()
            }
        }
        guard !wrong, let requestID, let kind = kindText.flatMap(LabelEvent.Kind.init(rawValue:)) else { return nil }
        return LabelEvent(requestID: requestID, kind: kind, value: value, item: item, at: at)
    }
}

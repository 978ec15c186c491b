// The agent's event intake reads events with `JSONReader.Options.lenient` and the acceptance of the `Codable`
// types: unknown members are skipped whatever their type, optional members may be `null`, a feature value is a
// number, a string or a boolean (kept as "true"/"false"), and a duplicate key's last value wins. A value that is
// well-formed JSON but not an event is read past and yields nil; only malformed JSON throws.

extension PredictionEvent {
    /// Reads one prediction event, or nil (the value read past) when the JSON value is not one.
    public static func readEvent(from r: inout JSONReader) throws(JSONReadError) -> PredictionEvent? {
        guard try r.peek() == .object else {
            try r.skipValue()
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
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "request_id": requestID = try r.readLenientString(&wrong)
            case "features": features = try readFeatures(from: &r, &wrong)
            case "scores": scores = try r.readLenientNumbers(&wrong)
            case "items": items = try r.readLenientStrings(&wrong)
            case "latency_ms": latencyMs = try r.readLenientNumber(&wrong)
            case "at": at = try r.readLenientString(&wrong)
            case "model": model = try r.readLenientString(&wrong)
            case "version": version = try r.readLenientString(&wrong)
            default: try r.skipValue()
            }
        }
        guard !wrong, let requestID, let features, let scores else { return nil }
        return PredictionEvent(
            requestID: requestID, at: at, model: model, version: version, features: features, scores: scores,
            items: items, latencyMs: latencyMs)
    }

    /// An object of feature values; `wrong` is set when it is not an object or a value is neither a number, a
    /// string nor a boolean.
    private static func readFeatures(from r: inout JSONReader, _ wrong: inout Bool) throws(JSONReadError)
        -> [String: FeatureValue]?
    {
        guard try r.peek() == .object else {
            wrong = true
            try r.skipValue()
            return nil
        }
        var out: [String: FeatureValue] = [:]
        out.reserveCapacity(24)
        var bad = false
        try r.readObject { key, r throws(JSONReadError) in
            switch try r.peek() {
            case .number: out[key.string] = .number(try r.readDouble())
            case .string: out[key.string] = .string(try r.readString())
            case .bool: out[key.string] = .string(try r.readBool() ? "true" : "false")
            default:
                bad = true
                try r.skipValue()
            }
        }
        if bad { wrong = true }
        return out
    }
}

extension LabelEvent {
    /// Reads one label event, or nil (the value read past) when the JSON value is not one.
    public static func readEvent(from r: inout JSONReader) throws(JSONReadError) -> LabelEvent? {
        guard try r.peek() == .object else {
            try r.skipValue()
            return nil
        }
        var wrong = false
        var requestID: String?
        var kindText: String?
        var value: Double?
        var item: String?
        var at: String?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "request_id": requestID = try r.readLenientString(&wrong)
            case "kind": kindText = try r.readLenientString(&wrong)
            case "value": value = try r.readLenientNumber(&wrong)
            case "item": item = try r.readLenientString(&wrong)
            case "at": at = try r.readLenientString(&wrong)
            default: try r.skipValue()
            }
        }
        guard !wrong, let requestID, let kind = kindText.flatMap(Kind.init(rawValue:)) else { return nil }
        return LabelEvent(requestID: requestID, kind: kind, value: value, item: item, at: at)
    }
}

extension JSONReader {
    /// A string or null; any other value is read past and sets `wrong`.
    fileprivate mutating func readLenientString(_ wrong: inout Bool) throws(JSONReadError) -> String? {
        switch try peek() {
        case .string: return try readString()
        case .null: return try readOptionalString()  // consumes the null
        default:
            wrong = true
            try skipValue()
            return nil
        }
    }

    /// A number or null; any other value is read past and sets `wrong`.
    fileprivate mutating func readLenientNumber(_ wrong: inout Bool) throws(JSONReadError) -> Double? {
        switch try peek() {
        case .number: return try readDouble()
        case .null: return try readOptionalDouble()  // consumes the null
        default:
            wrong = true
            try skipValue()
            return nil
        }
    }

    /// An array of numbers (required); anything else, or a non-number element, sets `wrong`.
    fileprivate mutating func readLenientNumbers(_ wrong: inout Bool) throws(JSONReadError) -> [Double]? {
        guard try peek() == .array else {
            wrong = true
            try skipValue()
            return nil
        }
        var out: [Double] = []
        var cursor = try beginArray()
        while try nextElement(in: &cursor) {
            if try peek() == .number {
                out.append(try readDouble())
            } else {
                wrong = true
                try skipValue()
            }
        }
        return out
    }

    /// An array of strings or null; anything else, or a non-string element, sets `wrong`.
    fileprivate mutating func readLenientStrings(_ wrong: inout Bool) throws(JSONReadError) -> [String]? {
        switch try peek() {
        case .null:
            _ = try readNull()
            return nil
        case .array: break
        default:
            wrong = true
            try skipValue()
            return nil
        }
        var out: [String] = []
        var cursor = try beginArray()
        while try nextElement(in: &cursor) {
            if try peek() == .string {
                out.append(try readString())
            } else {
                wrong = true
                try skipValue()
            }
        }
        return out
    }
}

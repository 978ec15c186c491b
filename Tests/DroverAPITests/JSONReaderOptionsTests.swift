import DroverAPI
import Testing

/// Reads `text` as an object of integers through `readObject` (so duplicates and errors follow its rules).
private func intObject(_ text: String, options: JSONReader.Options = .strict) throws(JSONReadError) -> [String: Int] {
    try JSONReader.read(Array(text.utf8), options: options) { r throws(JSONReadError) in
        var out: [String: Int] = [:]
        try r.readObject { key, r throws(JSONReadError) in out[key.string] = try r.readInt() }
        return out
    }
}

/// Reads `text` as one string value.
private func string(_ text: String, options: JSONReader.Options) throws(JSONReadError) -> String {
    try JSONReader.read(Array(text.utf8), options: options) { r throws(JSONReadError) in try r.readString() }
}

/// Reads `text` as one number.
private func double(_ text: String, options: JSONReader.Options) throws(JSONReadError) -> Double {
    try JSONReader.read(Array(text.utf8), options: options) { r throws(JSONReadError) in try r.readDouble() }
}

@Suite("JSON reader options and readObject")
struct JSONReaderOptionsTests {
    @Test(
        "trailing commas are malformed when strict and accepted when lenient, also inside skipped values",
        arguments: [#"{"a": 1,}"#, #"{"a": 1, "skipped": [1, {"b": 2,},],}"#, #"{"a": 1 , }"#])
    func trailingCommas(_ text: String) throws {
        #expect(JSONReader.syntaxError(in: Array(text.utf8)) != nil)
        let lenient = try JSONReader.read(Array(text.utf8), options: .lenient) { r throws(JSONReadError) in
            var a: Int?
            try r.readObject { key, r throws(JSONReadError) in
                if key == "a" { a = try r.readInt() } else { try r.skipValue() }
            }
            return a
        }
        #expect(lenient == 1)
    }

    @Test("a lone comma is malformed even when lenient", arguments: ["[,]", "[1,,]", "{,}", #"{"a":1,,}"#])
    func loneCommas(_ text: String) {
        #expect(JSONReader.syntaxError(in: Array(text.utf8)) != nil)
        #expect(throws: JSONReadError.self) {
            try JSONReader.read(Array(text.utf8), options: .lenient) { r throws(JSONReadError) in try r.skipValue() }
        }
    }

    @Test("lenient reading repairs invalid UTF-8 and unpaired surrogates with U+FFFD; strict refuses them")
    func repairs() throws {
        let invalid: [UInt8] = Array(#""a"#.utf8) + [0xFF] + Array(#"b""#.utf8)
        #expect(throws: JSONReadError.self) {
            try JSONReader.read(invalid) { r throws(JSONReadError) in try r.readString() }
        }
        let repaired = try JSONReader.read(invalid, options: .lenient) { r throws(JSONReadError) in try r.readString() }
        #expect(repaired == "a\u{FFFD}b")
        #expect(try string(#""x\ud800y""#, options: .lenient) == "x\u{FFFD}y")
        #expect(try string(#""x\udc00""#, options: .lenient) == "x\u{FFFD}")
        #expect(try string(#""\ud83d\ude00""#, options: .lenient) == "😀")
        // A \u escape after a high surrogate must still be its low half.
        #expect(throws: JSONReadError.self) { try string(#""\ud800\u0041""#, options: .lenient) }
        #expect(throws: JSONReadError.self) { try string(#""x\ud800y""#, options: .strict) }
    }

    @Test("lenient numbers: underflow reads as zero, overflow is malformed even in a skipped value")
    func numbers() throws {
        #expect(try double("1e-400", options: .lenient) == 0)
        #expect(throws: JSONReadError.self) { try double("1e-400", options: .strict) }
        let overflow = #"{"skipped": 1e400, "a": 1}"#
        let strict = try JSONReader.read(Array(overflow.utf8)) { r throws(JSONReadError) in try r.skipValue() }
        #expect(strict == ())
        #expect(throws: JSONReadError.self) {
            try JSONReader.read(Array(overflow.utf8), options: .lenient) { r throws(JSONReadError) in try r.skipValue()
            }
        }
        do {
            _ = try double(String(repeating: "9", count: 400), options: .lenient)
            Issue.record("a 400-digit integer was read as a Double")
        } catch {
            #expect(error.isSyntaxError)
        }
        #expect(
            try double("123456789012345678901234567890", options: .lenient) == 123_456_789_012_345_678_901_234_567_890)
    }

    @Test("readObject keeps the first of duplicate keys (escapes decoded), or the last when lenient")
    func duplicates() throws {
        #expect(try intObject(#"{"a": 1, "b": 2, "a": 3}"#) == ["a": 1, "b": 2])
        #expect(try intObject(#"{"id": 1, "\u0069d": 2}"#) == ["id": 1])
        #expect(try intObject(#"{"\u0069d": 1, "id": 2}"#) == ["id": 1])
        // A duplicate is skipped unread: its wrong type does not matter.
        #expect(try intObject(#"{"a": 1, "a": "x"}"#) == ["a": 1])
        #expect(try intObject(#"{"a": 1, "b": 2, "a": 3}"#, options: .lenient) == ["a": 3, "b": 2])
        // More keys than readObject keeps on the stack: the duplicate is found by rescanning the object.
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let object = try intObject("{\(many), \"k3\": 99, \"k39\": 99, \"k40\": 40}")
        #expect(object.count == 41)
        #expect(object["k3"] == 3 && object["k39"] == 39 && object["k40"] == 40)
    }

    @Test("readObject names the key of a bad value, and switch cases match keys")
    func errors() {
        do {
            _ = try intObject(#"{"a": 1, "b": "x"}"#)
            Issue.record("a string was read as an integer")
        } catch {
            #expect(error.field == "b")
            #expect(error.isTypeMismatch)
        }
        let key = try? JSONReader.read(Array(#"{"kind": 1}"#.utf8)) { r throws(JSONReadError) in
            var matched = ""
            try r.readObject { key, r throws(JSONReadError) in
                switch key {
                case "kin", "kinds": matched = "wrong"
                case "kind": matched = "kind"
                default: matched = "none"
                }
                try r.skipValue()
            }
            return matched
        }
        #expect(key == "kind")
    }

    @Test("a range of the bytes reads as its own document, and what follows it in the range is checked")
    func ranges() throws {
        let bytes = Array("xx{\"a\": 5}\n{\"a\": 6} y".utf8)
        let first = try JSONReader.read(bytes, in: 2..<10) { r throws(JSONReadError) in
            try r.readObject { _, r throws(JSONReadError) in _ = try r.readInt() }
            return r.offset
        }
        #expect(first == 10)
        #expect(throws: JSONReadError.self) {
            try JSONReader.read(bytes, in: 11..<bytes.count) { r throws(JSONReadError) in try r.skipValue() }
        }
        do {
            _ = try JSONReader.read(bytes, in: 11..<11) { r throws(JSONReadError) in try r.skipValue() }
            Issue.record("an empty range was read")
        } catch {
            #expect(error.offset == 11)
        }
    }

    @Test("events read leniently: unknown members skipped, wrong-typed known members make the event nil")
    func events() throws {
        func event(_ text: String) throws -> PredictionEvent? {
            try JSONReader.read(Array(text.utf8), options: .lenient) { r throws(JSONReadError) in
                try PredictionEvent.readEvent(from: &r)
            }
        }
        let read = try event(
            #"{"request_id": "r", "x": {"deep": [1e-999, null]}, "features": {"a": 1, "b": "c", "d": true,}, "scores": [0.5,],}"#
        )
        #expect(
            read
                == PredictionEvent(
                    requestID: "r", features: ["a": .number(1), "b": .string("c"), "d": .string("true")], scores: [0.5])
        )
        #expect(try event(#"{"request_id": "r", "features": {"a": null}, "scores": []}"#) == nil)
        #expect(try event(#"{"request_id": "r", "features": {}, "scores": [], "items": [1]}"#) == nil)
        #expect(try event(#"[1, 2]"#) == nil)
        #expect(throws: JSONReadError.self) { try event(#"{"request_id": "r", "features": {}, "scores": [1e999]}"#) }
    }
}

import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// The field JSONDecoder's error points at, formatted as the control plane's 400s do (`drift.features[0].n`).
private func decoderField(_ error: any Error) -> String {
    func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
        var out = ""
        for k in codingPath + (key.map { [$0] } ?? []) {
            if let i = k.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? k.stringValue : ".\(k.stringValue)"
            }
        }
        return out.isEmpty ? "body" : out
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context): return path(context.codingPath, key)
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return path(context.codingPath)
    default: return "body"
    }
}

/// Decodes with both paths; the outcome of each (a report or the error's field).
private func both(_ bytes: [UInt8]) -> (
    fast: Result<Report, JSONReadError>, codable: Result<Report, any Error>
) {
    let fast = Result { () throws(JSONReadError) -> Report in
        try JSONReader.decode(Report.self, from: bytes)
    }
    let codable = Result { () throws -> Report in try DroverJSON.decode(Report.self, from: bytes) }
    return (fast, codable)
}

/// The report fixture's text with `old` replaced once by `new` (the substitution must exist).
private func patched(_ old: String, _ new: String) throws -> [UInt8] {
    let text = String(decoding: try fixtureBytes("report"), as: UTF8.self)
    let range = try #require(text.range(of: old), "the report fixture has no \(old)")
    return Array(text.replacingCharacters(in: range, with: new).utf8)
}

@Suite("Fast JSON reader for reports")
struct JSONReaderTests {
    @Test(
        "every golden report fixture decodes to exactly what JSONDecoder gives",
        arguments: ["report", "design-report"])
    func goldenFixtures(name: String) throws {
        let bytes = try fixtureBytes(name)
        let fast = try JSONReader.decode(Report.self, from: bytes)
        #expect(fast == (try DroverJSON.decode(Report.self, from: bytes)))
    }

    @Test(
        "reports encoded by DroverJSON decode identically through the fast path (fixtures, batch, benchmark shape)"
    )
    func encodedReports() throws {
        let reports = (0..<5).map { Fixtures.report(index: $0) }
        for report in reports {
            let bytes = try DroverJSON.encode(report)
            #expect(try JSONReader.decode(Report.self, from: bytes) == report)
            #expect(
                try JSONReader.decode(Report.self, from: try DroverJSON.encode(report, pretty: true))
                    == report)
        }
        let batch = ReportBatch(reports: reports)
        #expect(try JSONReader.decode(ReportBatch.self, from: try DroverJSON.encode(batch)) == batch)
    }

    @Test(
        "single faults fail (or pass) on both paths, naming the same field",
        arguments: [
            ("\"probes\": 60", "\"probes\": \"60\""),  // wrong type
            ("\"probes\": 60", "\"probes\": null"),  // null where required
            ("\"probes\": 60", "\"probes\": 60.0"),  // an exact integer written as a fraction
            ("\"probes\": 60", "\"probes\": 6e1"),
            ("\"probes\": 60", "\"probes\": 60.5"),  // not an integer
            ("\"probes\": 60", "\"probes\": 99999999999999999999"),  // beyond Int
            ("\"probes\": 60", "\"probes\": 1e400"),  // beyond Double
            ("\"probes\": 60", "\"probes\": -9223372036854775808"),  // Int.min
            ("\"p50\": 3.1", "\"p50\": 1e400"),
            ("\"p50\": 3.1", "\"p50\": 1e-400"),  // underflows to zero
            ("\"p50\": 3.1", "\"p50\": null"),  // optional
            ("\"p50\": 3.1", "\"p50\": 0.1234567890123456789012345"),  // more digits than the fast path holds
            ("\"p50\": 3.1", "\"p50\": 123456789012345678901234567890"),
            ("\"p50\": 3.1", "\"p50\": 2.2250738585072011e-308"),
            ("\"live\": true", "\"live\": 1"),
            ("\"live\": true", "\"lively\": true"),  // a required key missing, an unknown one skipped
            ("\"kind\": \"numeric\"", "\"kind\": \"spline\""),  // unknown enum case
            ("\"verdict\": \"ok\"", "\"verdict\": 3"),
            ("[120, 98, 131", "[120, -98.5, 131"),  // a bad bin count fails the counts as a whole
            ("[120, 98, 131", "[120, \"98\", 131"),
            ("\"c01\": 400", "\"c01\": \"many\""),  // a bad category count is named by its key
            ("\"c01\": 400", "\"c01\": 400, \"c01\": 7"),  // duplicate keys: the first wins
            ("\"model\": \"ranker\"", "\"model\": \"ranker\", \"model\": 7"),
            ("\"start\": \"2026-11-29T04:00:00Z\"", "\"start\": \"yesterday\""),
            ("\"start\": \"2026-11-29T04:00:00Z\"", "\"start\": \"2026-11-29T04:00:00.125+02:00\""),
            ("\"start\": \"2026-11-29T04:00:00Z\"", "\"start\": 1764388800"),
            ("\"by_kind\": {", "\"by_kind\": {\"\": 0, "),
            ("\"dropped\": {\"events\": 0", "\"dropped\": {\"events\": null"),  // absent or null counts are zero
            ("\"events\": [", "\"events\": [{\"kind\": \"x\", \"reason\": \"y\"}, "),  // event without `at`
            ("\"outputs\": [", "\"outputs\": {}, \"x\": ["),
            (
                "\"id\": \"01KB5XMN00ABCDEFGHJKMNPQRS\"",
                "\"id\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\""
            ),
            ("\"id\": \"01KB5XMN00ABCDEFGHJKMNPQRS\"", "\"id\": \"café 😀\""),
            ("\"agent_id\"", "\"agent\\u005fid\""),  // an escaped key still matches
            (
                "\"schema_version\": 1,",
                "\"extra\": {\"a\": [1, {\"b\": null}, \"c\", true, false, -0.5e+3]}, \"schema_version\": 1,"
            ),
        ])
    func singleFaults(_ old: String, _ new: String) throws {
        let bytes = try patched(old, new)
        let (fast, codable) = both(bytes)
        switch (fast, codable) {
        case (.success(let a), .success(let b)):
            #expect(a == b)
        case (.failure(let error), .failure(let decoding)):
            #expect(!error.isSyntaxError, "\(error)")
            // JSONDecoder reports a number out of range as corrupt data without a path; the fast reader names the field.
            let codableField = decoderField(decoding)
            #expect(
                error.field == codableField || codableField == "body",
                "fast: \(error); JSONDecoder: \(decoding)")
            #expect(!error.message.isEmpty)
        case (.success, .failure(let decoding)):
            Issue.record("the fast path accepted what JSONDecoder refused: \(decoding)")
        case (.failure(let error), .success):
            Issue.record("the fast path refused what JSONDecoder accepted: \(error)")
        }
    }

    @Test(
        "malformed JSON is a syntax error on the whole body, as JSONDecoder's",
        arguments: [
            "{\"a\": 1,}", "[1, 2,]", "{\"a\" 1}", "{'a': 1}", "{\"a\": 01}", "{\"a\": 1.}",
            "{\"a\": .5}", "{\"a\": +1}",
            "{\"a\": 1e}", "{\"a\": -}", "{\"a\": tru}", "{\"a\": nul}", "{\"a\": \"\\x\"}",
            "{\"a\": \"\\u12\"}",
            "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00\"}", "{\"a\": \"tab\there\"}", "{\"a\": 1} x",
            "{\"a\": 1}}",
            "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": [1 2]}", "{\"a\": \"unterminated}", "  ", "{",
        ])
    func malformed(_ text: String) throws {
        let bytes = Array(text.utf8)
        let (fast, codable) = both(bytes)
        guard case .failure(let error) = fast else {
            Issue.record("accepted malformed JSON: \(text)")
            return
        }
        #expect(error.isSyntaxError, "\(text): \(error)")
        #expect(error.field == "body")
        if case .success = codable { Issue.record("JSONDecoder accepted \(text)") }
    }

    @Test("every truncation of a report is refused as malformed JSON, never accepted or crashing")
    func truncated() throws {
        let bytes = try fixtureBytes("report")
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        for length in 0..<end {
            do throws(JSONReadError) {
                _ = try JSONReader.decode(Report.self, from: Array(bytes[0..<length]))
                Issue.record("accepted a report truncated to \(length) bytes")
            } catch {
                #expect(error.isSyntaxError, "truncated to \(length): \(error)")
            }
        }
    }

    @Test("a syntax error later in the document wins over an earlier wrong type, as with JSONDecoder")
    func syntaxWinsOverShape() throws {
        let bytes = try patched("\"probes\": 60", "\"probes\": \"60\"") + Array(" trailing".utf8)
        #expect(throws: JSONReadError.self) { try JSONReader.decode(Report.self, from: bytes) }
        let error = try #require(JSONReader.syntaxError(in: bytes))
        #expect(error.field == "body")
        do throws(JSONReadError) {
            _ = try JSONReader.decode(Report.self, from: bytes)
        } catch {
            #expect(error.isSyntaxError)
        }
    }

    @Test(
        "invalid UTF-8 inside a string is refused; valid multi-byte text survives",
        arguments: [
            [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
            [0xC3],
        ] as [[UInt8]])
    func invalidUTF8(_ sequence: [UInt8]) throws {
        let bytes = Array("{\"reports\": [], \"x\": \"a".utf8) + sequence + Array("b\"}".utf8)
        #expect(throws: JSONReadError.self) { try JSONReader.decode(ReportBatch.self, from: bytes) }
        let good = Array("{\"reports\": [], \"x\": \"é中😀\"}".utf8)
        #expect(try JSONReader.decode(ReportBatch.self, from: good) == ReportBatch(reports: []))
    }

    @Test(
        "nesting is bounded: 500 levels in an unknown key are skipped, 513 are refused, 100,000 do not crash"
    )
    func deepNesting() throws {
        func document(_ levels: Int) -> [UInt8] {
            Array(
                ("{\"x\": " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
                    + ", \"reports\": []}").utf8)
        }
        #expect(try JSONReader.decode(ReportBatch.self, from: document(500)).reports.isEmpty)
        for levels in [513, 100_000] {
            do throws(JSONReadError) {
                _ = try JSONReader.decode(ReportBatch.self, from: document(levels))
                Issue.record("accepted \(levels) levels of nesting")
            } catch {
                #expect(error.isSyntaxError)
                #expect(error.message.contains("nest"))
            }
        }
    }

    @Test("numbers read as JSONDecoder reads them (correctly rounded doubles, exact integers)")
    func numbers() throws {
        let doubles = [
            "0", "-0", "1", "3.1", "0.1", "0.000001", "1e22", "1e23", "9007199254740993",
            "1.7976931348623157e308",
            "4.9e-324", "123456.789e-3", "-2.5E+2", "0.30000000000000004", "98765432109876543210.5",
        ]
        for text in doubles {
            let json = Array(
                "{\"count\": 0, \"p50\": \(text), \"histogram\": {\"bounds\": [], \"counts\": [0]}}".utf8)
            let fast = try JSONReader.decode(LatencyBlock.self, from: json)
            let codable = try DroverJSON.decode(LatencyBlock.self, from: json)
            #expect(fast.p50?.bitPattern == codable.p50?.bitPattern, "\(text)")
            #expect(fast.p50 == Double(text), "\(text)")
        }
        for (text, value) in [
            ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("1E2", 100),
        ] {
            let json = Array(
                "{\"count\": \(text), \"histogram\": {\"bounds\": [], \"counts\": [0]}}".utf8)
            #expect(try JSONReader.decode(LatencyBlock.self, from: json).count == value)
        }
        let overflow = Array(
            "{\"count\": 9223372036854775808, \"histogram\": {\"bounds\": [], \"counts\": [0]}}".utf8)
        do throws(JSONReadError) {
            _ = try JSONReader.decode(LatencyBlock.self, from: overflow)
            Issue.record("accepted Int.max + 1")
        } catch {
            #expect(error.field == "count")
            #expect(error.message.contains("64-bit"))
        }
    }

    @Test("errors name the path and say what is expected")
    func messages() throws {
        let stringN = try patched("\"n\": 1200, \"counts\": {", "\"n\": \"all\", \"counts\": {")
        do throws(JSONReadError) {
            _ = try JSONReader.decode(Report.self, from: stringN)
            Issue.record("accepted a string n")
        } catch {
            #expect(error.field == "drift.features[1].n")
            #expect(error.message == "has the wrong type; expected an integer")
        }
        let noHealth = try patched("\"health\"", "\"wealth\"")
        do throws(JSONReadError) {
            _ = try JSONReader.decode(Report.self, from: noHealth)
            Issue.record("accepted a report without health")
        } catch {
            #expect(error.field == "health")
            #expect(error.message == "is required")
            #expect(error.isMissingField)
        }
        let empty = Result { () throws(JSONReadError) in try JSONReader.decode(Report.self, from: []) }
        #expect(throws: JSONReadError.self) { try empty.get() }
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("an acknowledgement written by hand decodes to the same value and has DroverJSON's bytes")
    func ack() throws {
        let ack = ReportAck(
            accepted: ["01KB5XMN00ABCDEFGHJKMNPQRS", "a\"b\\c"], duplicates: ["x/y", "tab\there\u{1}"])
        let bytes = ack.jsonBytes()
        #expect(try DroverJSON.decode(ReportAck.self, from: bytes) == ack)
        let plain = ReportAck(accepted: ["01KB5XMN00ABCDEFGHJKMNPQRS"], duplicates: [])
        #expect(plain.jsonBytes() == (try DroverJSON.encode(plain)))
    }

    @Test(
        "numbers, maps and nesting write valid JSON that reads back exactly; non-finite numbers are refused"
    )
    func values() throws {
        var w = JSONWriter()
        w.beginObject()
        w.key("ints")
        w.ints([0, -1, 9, 10, Int.max, Int.min])
        w.key("map")
        try w.doubleMap(["b": 0.1, "a": 1e-300, "c": -2.5e20])
        w.key("flags")
        w.beginArray()
        w.bool(true)
        w.null()
        w.string("é😀")
        w.endArray()
        w.endObject()
        #expect(JSONReader.syntaxError(in: w.bytes) == nil)
        struct Doc: Decodable, Equatable {
            var ints: [Int]
            var map: [String: Double]
            var flags: [String?]
        }
        let doc = try JSONDecoder().decode(
            Doc.self, from: Data(w.bytes.replacing(Array("true".utf8), with: Array("\"t\"".utf8))))
        #expect(
            doc
                == Doc(
                    ints: [0, -1, 9, 10, Int.max, Int.min], map: ["a": 1e-300, "b": 0.1, "c": -2.5e20],
                    flags: ["t", nil, "é😀"]))
        var bad = JSONWriter()
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try bad.double(.nan) }
    }
}

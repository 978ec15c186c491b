import DroverAPI
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        let text: String
        let seconds: Double?
        var testDescription: String { "\"\(text)\"" }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(text: "2026-11-29T04:00:00Z", seconds: 1_795_924_800),
        ParseCase(text: "2026-11-29t04:00:00z", seconds: 1_795_924_800),
        ParseCase(text: "2026-11-29 04:00:00Z", seconds: 1_795_924_800),
        ParseCase(text: "2026-11-29T04:00:00.250Z", seconds: 1_795_924_800.25),
        ParseCase(text: "2026-11-29T04:00:00.123456789Z", seconds: 1_795_924_800.123456789),
        ParseCase(text: "2026-11-29T05:30:00+01:30", seconds: 1_795_924_800),
        ParseCase(text: "2026-11-28T23:00:00-05:00", seconds: 1_795_924_800),
        ParseCase(text: "1970-01-01T00:00:00Z", seconds: 0),
        ParseCase(text: "1969-12-31T23:59:59Z", seconds: -1),
        ParseCase(text: "2000-02-29T00:00:00Z", seconds: 951_782_400),
        ParseCase(text: "2026-11-29T04:00:00", seconds: nil),
        ParseCase(text: "2026-11-29T04:00Z", seconds: nil),
        ParseCase(text: "2026-13-01T00:00:00Z", seconds: nil),
        ParseCase(text: "2026-11-29T24:00:00Z", seconds: nil),
        ParseCase(text: "2026-11-29T04:00:00.Z", seconds: nil),
        ParseCase(text: "2026-11-29T04:00:00Zjunk", seconds: nil),
        ParseCase(text: "2026-11-29T04:00:00+0100", seconds: nil),
        ParseCase(text: "", seconds: nil),
        ParseCase(text: "yesterday at noon, roughly", seconds: nil),
    ]

    @Test("Parsing accepts RFC 3339 forms and rejects the rest", arguments: parseCases)
    func parse(_ testCase: ParseCase) {
        let date = RFC3339.parse(testCase.text)
        if let seconds = testCase.seconds {
            let parsed = date?.timeIntervalSince1970 ?? .nan
            #expect(abs(parsed - seconds) < 1e-6, "parsed \(testCase.text) as \(parsed)")
        } else {
            #expect(date == nil)
        }
    }

    @Test(
        "Formatting writes UTC with milliseconds only when needed",
        arguments: [
            (1_795_924_800.0, "2026-11-29T04:00:00Z"),
            (1_795_924_800.25, "2026-11-29T04:00:00.250Z"),
            (1_795_924_800.9996, "2026-11-29T04:00:01Z"),
            (0.0, "1970-01-01T00:00:00Z"),
            (-1.0, "1969-12-31T23:59:59Z"),
            (951_782_400.0, "2000-02-29T00:00:00Z"),
            (4_102_444_800.0, "2100-01-01T00:00:00Z"),
        ])
    func format(seconds: Double, text: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test("Format then parse is the identity at millisecond precision")
    func formatParse() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let millis = Double(Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator))
            let date = Date(timeIntervalSince1970: millis / 1000)
            let parsed = try #require(RFC3339.parse(RFC3339.format(date)))
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.0005)
        }
    }

    @Test("Dates in JSON use RFC 3339 and bad dates name the problem")
    func jsonDates() throws {
        let window = TimeWindow(
            start: Date(timeIntervalSince1970: 1_795_924_800), end: Date(timeIntervalSince1970: 1_795_924_860.5))
        let text = String(decoding: try DroverJSON.encode(window), as: UTF8.self)
        #expect(text == #"{"end":"2026-11-29T04:01:00.500Z","start":"2026-11-29T04:00:00Z"}"#)
        let bad = Array(#"{"start":"2026-11-29","end":"2026-11-29T04:01:00Z"}"#.utf8)
        #expect { try DroverJSON.decode(TimeWindow.self, from: bad) } throws: { "\($0)".contains("RFC 3339") }
    }
}

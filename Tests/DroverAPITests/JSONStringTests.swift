import DroverAPI
import Foundation
import Testing

@Suite("JSONString")
struct JSONStringTests {
    @Test(
        "quoted escapes quotes, backslashes and control characters",
        arguments: [
            ("plain", "\"plain\""),
            ("", "\"\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("C:\\dir", "\"C:\\\\dir\""),
            ("a\nb\rc\td", "\"a\\nb\\rc\\td\""),
            ("\u{0}\u{1}\u{1f}", "\"\\u0000\\u0001\\u001f\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("prix €, 価格, 🛒", "\"prix €, 価格, 🛒\""),
            ("/path/", "\"/path/\""),
            ("del\u{7f}", "\"del\u{7f}\""),
        ])
    func quoted(input: String, expected: String) {
        #expect(JSONString.quoted(input) == expected)
        #expect("\"" + JSONString.escape(input) + "\"" == expected)
    }

    @Test("write appends a literal to existing text")
    func write() {
        var out = "{\"name\":"
        JSONString.write("x\"y", to: &out)
        out += "}"
        #expect(out == "{\"name\":\"x\\\"y\"}")
    }

    @Test("every literal decodes back to the original string")
    func roundTrip() throws {
        var samples = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        samples += [
            "", "mixed \"quotes\" and \\slashes\\\n", "\u{2028}\u{2029}", "ü€𝄞🛒",
            String(repeating: "\u{1}a", count: 50),
        ]
        for sample in samples {
            let data = Data(("[" + JSONString.quoted(sample) + "]").utf8)
            let decoded = try JSONDecoder().decode([String].self, from: data)
            #expect(decoded == [sample], "round trip of \(sample.unicodeScalars.map(\.value))")
        }
    }
}

import AgentCore
import DroverAPI
import Testing

/// What `Codable` makes of a body (the reference the byte-level reader must agree with).
private struct ViaCodable<T: Decodable>: Decodable {
    var value: T
    init(from decoder: any Decoder) throws { value = try T(from: decoder) }
}

@Suite("Event bodies read byte by byte")
struct EventJSONTests {
    static let predictionBodies: [String] = [
        #"[{"request_id":"r1","features":{"price":12.5,"category":"home","new":true,"n":-3,"e":1e-3},"scores":[0.25,1],"items":["a","b"],"latency_ms":4}]"#,
        #"{"request_id":"r1","features":{},"scores":[]}"# + "\n\n" + #"{"request_id":"r2","at":"2026-11-29T04:00:00Z","model":"m","version":"2","features":{"x":1},"scores":[0.5],"items":null,"latency_ms":null}"#,
        #"[{"request_id":"esc\"aped\u00e9\ud83d\ude00","features":{"t\nab":"v\\w"},"scores":[0]}]"#,
        #"[{"request_id":"a","features":{"x":1},"scores":[1], "unknown": {"deep": [1, {"a": null}]}}, {"features":{},"scores":[]}]"#,
        #"[{"request_id":"a","features":{"x":null},"scores":[1]}, {"request_id":"b","features":{"x":1},"scores":["1"]}, 3, "x", null]"#,
        #"[{"request_id":1,"features":{},"scores":[]},{"request_id":"b","features":[],"scores":[]},{"request_id":"c","features":{},"scores":[1],"items":[1]}]"#,
        #"[{"request_id":"a","features":{},"scores":[1]},]"#,
        #"[{"request_id":"a","features":{"x":1,},"scores":[1,],}]"#,
        "[,]",
        "[1,,]",
        #"[{"request_id":"a","features":{},"scores":[1]} x"#,
        #"{"request_id":"a","features":{},"scores":[1]} trailing"# + "\n" + #"{"request_id":"b","features":{},"scores":[01]}"# + "\n" + #"{"request_id":"c","features":{"big":123456789012345678901234567890},"scores":[-0.0]}"#,
        "  \n ",
        "[]",
        #"[{"request_id":"a","features":{"x":1},"scores":[1],"latency_ms":"5"}]"#,
    ]

    @Test("prediction events decode as Codable does", arguments: predictionBodies)
    func predictions(_ body: String) {
        let bytes = Array(body.utf8)
        let direct = EventBodies.decode(PredictionEvent.self, from: bytes)
        let codable = EventBodies.decode(ViaCodable<PredictionEvent>.self, from: bytes)
        #expect(direct.items == codable.items.map(\.value))
        #expect(direct.invalid == codable.invalid)
    }

    static let labelBodies: [String] = [
        #"[{"request_id":"r1","kind":"click","item":"a"},{"request_id":"r2","kind":"label","value":1,"at":"t"},{"request_id":"r3","kind":"add_to_cart","value":null}]"#,
        #"{"request_id":"r1","kind":"purchase","value":19.99}"# + "\n" + #"{"request_id":"r2","kind":"view"}"# + "\n" + #"{"kind":"click"}"#,
        #"[{"request_id":"r1","kind":"click","value":"1"}]"#,
    ]

    @Test("label events decode as Codable does", arguments: labelBodies)
    func labels(_ body: String) {
        let bytes = Array(body.utf8)
        let direct = EventBodies.decode(LabelEvent.self, from: bytes)
        let codable = EventBodies.decode(ViaCodable<LabelEvent>.self, from: bytes)
        #expect(direct.items == codable.items.map(\.value))
        #expect(direct.invalid == codable.invalid)
    }

    @Test("a log line decodes to one event, or nil when it is not one")
    func lines() {
        let line = Array(#"{"request_id":"r","features":{"x":2},"scores":[0.5]}"#.utf8)
        #expect(EventBodies.decodeLine(PredictionEvent.self, line) == PredictionEvent(requestID: "r", features: ["x": .number(2)], scores: [0.5]))
        #expect(EventBodies.decodeLine(PredictionEvent.self, Array("{\"request_id\":\"r\"}".utf8)) == nil)
        #expect(EventBodies.decodeLine(PredictionEvent.self, Array("{oops".utf8)) == nil)
        #expect(EventBodies.decodeLine(LabelEvent.self, Array(#"{"request_id":"r","kind":"click"}"#.utf8))?.kind == .click)
    }

    @Test("numbers read exactly as the standard library reads them")
    func numbers() throws {
        for text in ["0", "-0", "7", "-12", "123456789012345", "1234567890123456789", "0.1", "2.5e-3", "-1E+10", "3.141592653589793"] {
            let body = Array(#"{"request_id":"r","features":{"x":\#(text)},"scores":[\#(text)]}"#.utf8)
            let event = try #require(EventBodies.decodeLine(PredictionEvent.self, body))
            #expect(event.scores == [Double(text)!], "\(text)")
            #expect(event.features["x"] == .number(Double(text)!), "\(text)")
        }
    }
}

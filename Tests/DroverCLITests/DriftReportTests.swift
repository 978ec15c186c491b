import DroverCLI
import DroverStats
import Foundation
import Testing

/// Locates a shipped resource file.
func driftResource(_ path: String) -> String {
    Bundle.module.url(forResource: "Resources/\(path)", withExtension: nil)!.path
}

/// The expected per-column values of the drift-table case.
func expectedTable(_ seed: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: driftResource("\(seed)/expected.json")))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(object["columns"] as? [[String: Any]])
}

func closeEnough(_ a: Double, _ b: Double, rel: Double) -> Bool {
    a == b || abs(a - b) <= max(rel * abs(b), 1e-12)
}

/// Checks a `droverctl drift --format json` document against the generator's values.
func checkDriftJSON(_ text: String, seed: String) throws {
    let data = Data(text.utf8)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["schema_version"] as? Int == 1)
    let columns = try #require(object["columns"] as? [[String: Any]])
    let expected = try expectedTable(seed)
    #expect(columns.count == expected.count)
    for (got, want) in zip(columns, expected) {
        let name = try #require(want["name"] as? String)
        #expect(got["name"] as? String == name)
        #expect(got["kind"] as? String == want["kind"] as? String, "\(name) kind")
        #expect(got["n_reference"] as? Int == want["n_reference"] as? Int)
        #expect(got["n_current"] as? Int == want["n_current"] as? Int)
        for key in ["psi", "js_distance", "wasserstein"] {
            if let w = want[key] as? Double {
                let g = try #require(got[key] as? Double, "\(name).\(key) present")
                #expect(closeEnough(g, w, rel: 1e-9), "\(name).\(key) \(g) vs \(w)")
            } else {
                #expect(got[key] == nil, "\(name).\(key) absent")
            }
        }
        for (key, fields) in [("ks", ["statistic", "p_value"]), ("chi_square", ["statistic", "p_value", "dof"])] {
            if let w = want[key] as? [String: Any] {
                let g = try #require(got[key] as? [String: Any], "\(name).\(key) present")
                for f in fields {
                    let gv = try #require(g[f] as? Double)
                    let wv = try #require(w[f] as? Double)
                    #expect(closeEnough(gv, wv, rel: f == "p_value" ? 1e-6 : 1e-9), "\(name).\(key).\(f) \(gv) vs \(wv)")
                }
            } else {
                #expect(got[key] == nil, "\(name).\(key) absent")
            }
        }
        #expect(got["drift"] is Bool)
    }
    let drifted = try #require(object["drifted_columns"] as? [String])
    let flagged = columns.filter { $0["drift"] as? Bool == true }.compactMap { $0["name"] as? String }
    #expect(drifted == flagged)
}

@Suite("droverctl drift on the drift-table reference CSVs")
struct DriftReportTests {
    @Test("JSON output matches cases.table.columns (in process)", arguments: ["seed20261129", "seed7"])
    func jsonMatches(seed: String) async throws {
        var command = try DriftCommand.from(arguments: [
            "--reference", driftResource("\(seed)/reference.csv"), "--current", driftResource("\(seed)/current.csv"),
            "--format", "json",
        ])
        command.format = .json
        let text = try await command.render()
        try checkDriftJSON(text, seed: seed)
        #expect(text.contains("\"drifted_columns\":[\"category\"]"))
    }

    @Test("table and HTML outputs name every column and its verdict")
    func tableAndHTML() async throws {
        let reference = try TableLoader.load(driftResource("seed20261129/reference.csv"))
        let current = try TableLoader.load(driftResource("seed20261129/current.csv"))
        let report = try await DriftReport.build(reference: reference, current: current)
        let table = report.table()
        for name in ["price", "ctr", "query_length", "category", "device"] { #expect(table.contains(name)) }
        #expect(table.contains("DRIFT"))
        #expect(table.contains("1 of 5 columns drifted: category."))
        let html = report.html()
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(html.contains("class=\"drift\""))
    }

    @Test("--columns selects columns and --categorical forces a numeric column to categories")
    func columnOptions() async throws {
        var command = try DriftCommand.from(arguments: [
            "--reference", driftResource("seed20261129/reference.csv"), "--current", driftResource("seed20261129/current.csv"),
            "--format", "json", "--columns", "query_length, device", "--categorical", "query_length",
        ])
        command.format = .json
        let text = try await command.render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["query_length", "device"])
        #expect(columns[0]["kind"] as? String == "categorical")
        #expect(columns[0]["chi_square"] != nil && columns[0]["ks"] == nil)
    }

    @Test("JSON Lines input gives the same report as the equivalent CSV")
    func jsonLines() async throws {
        let csvR = "a,b,c\n1.5,x,3\n2.5,y,\n3.5,\"x\",4\n"
        let jsonR = """
            {"a": 1.5, "b": "x", "c": 3}
            {"a": 2.5, "b": "y", "c": null}

            {"b": "x", "a": 3.5, "c": 4}
            """
        let csv = try TableLoader.parse(Array(csvR.utf8), source: "r.csv", format: .csv)
        let jsonl = try TableLoader.parse(Array(jsonR.utf8), source: "r.jsonl", format: .jsonl)
        #expect(jsonl.columns == ["a", "b", "c"])
        for c in 0..<3 {
            #expect(csv.strings(column: c) == jsonl.strings(column: c))
        }
        #expect(jsonl.numbers(column: 0) == [1.5, 2.5, 3.5])
        #expect(jsonl.numbers(column: 2) == [3, 4])
        let policy = DriftPolicy(minSampleSize: 1)
        let a = try await DriftReport.build(reference: csv, current: csv, options: DriftOptions(policy: policy))
        let b = try await DriftReport.build(reference: jsonl, current: jsonl, options: DriftOptions(policy: policy))
        #expect(a.json() == b.json())
        let escaped = try TableLoader.parse(
            Array(#"{"k\"ey": "caf\u00e9 \ud83d\ude00 \"q\""}"#.utf8), source: "e.jsonl", format: .jsonl)
        #expect(escaped.columns == ["k\"ey"])
        #expect(escaped.strings(column: 0) == ["café 😀 \"q\""])
    }

    @Test("RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, CRLF, BOM")
    func csvQuoting() throws {
        let text = "\u{FEFF}name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\"\r\nplain,\"two\nlines\"\r\n\r\n"
        let t = try TableLoader.parse(Array(text.utf8), source: "q.csv", format: .csv)
        #expect(t.columns == ["name", "note"])
        #expect(t.strings(column: 0) == ["Smith, J", "plain"])
        #expect(t.strings(column: 1) == ["said \"hi\"", "two\nlines"])
    }

    @Test("the byte-level number parser agrees with Double(String)")
    func numbers() throws {
        let t = try TableLoader.parse(
            Array("x\n0.1\n-2.5e-3\n1e5\n 7 \n0.017325819135915178\n123456789012345678901234\n5.\n.5\n1E+2\n-0\n".utf8),
            source: "n.csv", format: .csv)
        let parsed = try #require(t.numbers(column: 0))
        let expected: [Double] = [
            0.1, -2.5e-3, 1e5, 7, 0.017325819135915178, 123_456_789_012_345_678_901_234, 5, 0.5, 100, -0.0,
        ]
        #expect(parsed == expected)
        for bad in ["1e", "--1", "nan", "inf", "0x10", "1.2.3", "e5", "."] {
            let table = try TableLoader.parse(Array("x\n\(bad)\n".utf8), source: "b.csv", format: .csv)
            #expect(table.numbers(column: 0) == nil, "\(bad) is not a number")
        }
        var g = SeededGenerator(seed: 1)
        var lines = "x\n"
        var values: [Double] = []
        for _ in 0..<2000 {
            let v = (g.nextUnit() - 0.5) * Double(1 << Int(g.next() % 40))
            let text = g.next() % 2 == 0 ? "\(v)" : "\((v * 1000).rounded() / 1000)"
            lines += text + "\n"
            values.append(Double(text)!)
        }
        let random = try TableLoader.parse(Array(lines.utf8), source: "r.csv", format: .csv)
        #expect(random.numbers(column: 0) == values)
    }
}

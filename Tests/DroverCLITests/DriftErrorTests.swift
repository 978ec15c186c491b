import DroverCLI
import Foundation
import Testing

@Suite("droverctl drift rejects bad input with a clear message and exit code 2")
struct DriftErrorTests {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-cli-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ name: String, _ bytes: [UInt8]) -> String {
        let url = directory.appendingPathComponent(name)
        try? Data(bytes).write(to: url)
        return url.path
    }

    static func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var label: String
        var reference: String
        var current: String
        var extra: [String] = []
        var message: String
        var testDescription: String { label }
    }

    static let good = "a,b\n1,x\n2,y\n"

    static let cases: [BadInput] = [
        BadInput(
            label: "missing file", reference: "/nonexistent/drover/ref.csv", current: write("c1.csv", good),
            message: "no such file"),
        BadInput(
            label: "ragged row", reference: write("r2.csv", "a,b\n1,x\n2\n"), current: write("c2.csv", good),
            message: "row has 1 fields but the header has 2"),
        BadInput(
            label: "empty side", reference: write("r3.csv", good), current: write("c3.csv", "a,b\n"),
            message: "no data rows"),
        BadInput(
            label: "empty file", reference: write("r3b.csv", good), current: write("c3b.csv", ""),
            message: "no data rows"),
        BadInput(
            label: "missing column", reference: write("r4.csv", "a,b,z\n1,x,3\n"), current: write("c4.csv", good),
            message: "no column \"z\""),
        BadInput(
            label: "unknown --columns", reference: write("r5.csv", good), current: write("c5.csv", good),
            extra: ["--columns", "q"], message: "no column \"q\""),
        BadInput(
            label: "non-UTF-8", reference: write("r6.csv", Array("a,b\n1,".utf8) + [0xFF, 0xFE] + Array("\n".utf8)),
            current: write("c6.csv", good), message: "not valid UTF-8"),
        BadInput(
            label: "unterminated quote", reference: write("r7.csv", "a,b\n1,\"x\n"), current: write("c7.csv", good),
            message: "unterminated quoted field"),
        BadInput(
            label: "column with no values", reference: write("r8.csv", "a,b\n,x\n,y\n"), current: write("c8.csv", good),
            message: "has no values"),
        BadInput(
            label: "bad JSON line", reference: write("r9.jsonl", "{\"a\": 1}\n[1,2]\n"), current: write("c9.csv", good),
            message: ":2: each line must be a JSON object"),
        BadInput(
            label: "nested JSON", reference: write("r10.jsonl", "{\"a\": {\"b\": 1}}\n"),
            current: write("c10.csv", good), message: "nested object or array"),
    ]

    @Test("each bad input raises an InputError with a message saying what is wrong", arguments: cases)
    func inProcess(_ c: BadInput) async throws {
        let command = try DriftCommand.from(
            arguments: ["--reference", c.reference, "--current", c.current, "--format", "json"] + c.extra)
        do {
            _ = try await command.render()
            Issue.record("expected an InputError")
        } catch {
            #expect(error.description.contains(c.message), "\(error.description)")
        }
    }

    @Test("the built droverctl binary exits 2 with the message on stderr, and 0 with JSON on success")
    func binary() throws {
        let products = Bundle.module.bundleURL.deletingLastPathComponent()
        let binary = products.appendingPathComponent("droverctl")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build droverctl first (swift build)")
        func run(_ arguments: [String]) throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        let ragged = Self.cases[1]
        let (status, stdout, stderr) = try run(["drift", "--reference", ragged.reference, "--current", ragged.current])
        #expect(status == 2)
        #expect(stdout.isEmpty)
        #expect(stderr.contains("droverctl drift: error:") && stderr.contains(ragged.message))
        let (missingStatus, _, missingErr) = try run([
            "drift", "--reference", "/nonexistent/x.csv", "--current", ragged.current,
        ])
        #expect(missingStatus == 2 && missingErr.contains("no such file"))
        let (ok, json, _) = try run([
            "drift", "--reference", driftResource("seed20261129/reference.csv"), "--current",
            driftResource("seed20261129/current.csv"), "--format", "json",
        ])
        #expect(ok == 0)
        try checkDriftJSON(json, seed: "seed20261129")
    }
}

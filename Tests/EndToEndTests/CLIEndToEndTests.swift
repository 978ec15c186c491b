import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("droverctl against a real drover-controlplane on 127.0.0.1")
struct CLIEndToEndTests {
    /// Runs droverctl to completion and returns (exit status, stdout, stderr).
    static func droverctl(_ arguments: [String], environment: [String: String]) async throws -> (Int32, String, String) {
        let process = try ChildProcess(product: "droverctl", arguments: arguments, environment: environment)
        let termination = try await process.waitForExit(timeout: .seconds(30))
        let status: Int32
        switch termination {
        case .exited(let code): status = code
        default: status = -1
        }
        return (status, process.output(.stdout), process.output(.stderr))
    }

    @Test("register, list as JSON, show with lineage, create a token; unreachable and 401 exit 1 with advice")
    func spine() async throws {
        let directory = try TemporaryDirectory(prefix: "drover-cli-e2e")
        defer { directory.cleanup() }
        let port = try FreePort.allocate()
        let tokenFile = directory.appending("tokens.env")
        let server = try ChildProcess(
            product: "drover-controlplane",
            arguments: [
                "serve", "--listen", "127.0.0.1:\(port)", "--data-dir", directory.appending("data").path,
                "--bootstrap-token-file", tokenFile.path,
            ])
        defer { server.kill() }
        try await server.waitForFile(tokenFile, timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(300))
        let tokens = try String(contentsOf: tokenFile, encoding: .utf8)
        let admin = try #require(tokens.split(separator: "\n").first { $0.hasPrefix("DROVER_ADMIN_TOKEN=") }?.dropFirst(19))
        let env = ["DROVER_SERVER": "http://127.0.0.1:\(port)", "DROVER_TOKEN": String(admin)]

        let sha = { (c: Character) in String(repeating: c, count: 64) }
        var result = try await Self.droverctl(
            ["versions", "register", "--model", "ranker", "--version", "1", "--artifact-uri", "file:///m/1", "--sha256", sha("a"),
             "--precision", "float32", "--bytes", "40000"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        result = try await Self.droverctl(
            ["versions", "register", "--model", "ranker", "--version", "2", "--artifact-uri", "file:///m/2", "--sha256", sha("b"),
             "--precision", "int8", "--bytes", "10000", "--derived-from", "1", "--method", "quantize"], environment: env)
        #expect(result.0 == 0, "\(result.2)")

        result = try await Self.droverctl(["versions", "list", "--json"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        struct Envelope: Decodable { var versions: [ModelVersion] }
        let listed = try DroverJSON.decode(Envelope.self, from: Array(result.1.utf8))
        #expect(listed.versions.map { $0.version } == ["1", "2"])

        result = try await Self.droverctl(["versions", "show", "ranker", "2"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        #expect(result.1.contains("4.00× smaller than 1"))

        result = try await Self.droverctl(["tokens", "create", "--role", "viewer", "--name", "e2e"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        #expect(result.1.hasPrefix("drv_") || !result.1.isEmpty)

        result = try await Self.droverctl(["agents", "list"], environment: env.merging(["DROVER_TOKEN": "wrong"]) { $1 })
        #expect(result.0 == 1)
        #expect(result.2.contains("401"))
        #expect(result.2.contains("--token or DROVER_TOKEN"))

        let closed = try FreePort.allocate()
        result = try await Self.droverctl(["agents", "list", "--server", "http://127.0.0.1:\(closed)"], environment: env)
        #expect(result.0 == 1)
        #expect(result.2.contains("cannot reach the control plane at http://127.0.0.1:\(closed) — is it running?"))
        await server.stop()
    }
}

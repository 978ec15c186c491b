import CurlTransport
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Alerting in a real drover-controlplane, driven by droverctl")
struct AlertingEndToEndTests {
    @Test("a NaN training run blocks `versions alias … stable` until --override-training-flag; alerts list shows the run; SIGTERM stops cleanly")
    func promotionGuardAndAlerts() async throws {
        let directory = try TemporaryDirectory(prefix: "drover-alerting-e2e")
        defer { directory.cleanup() }
        let port = try FreePort.allocate()
        let tokenFile = directory.appending("tokens.env")
        let config = directory.appending("controlplane.json")
        try Data(#"{"alerting": {"evaluation_interval_seconds": 1}}"#.utf8).write(to: config)
        let server = try ChildProcess(
            product: "drover-controlplane",
            arguments: [
                "serve", "--listen", "127.0.0.1:\(port)", "--data-dir", directory.appending("data").path,
                "--bootstrap-token-file", tokenFile.path, "--config", config.path,
            ])
        defer { server.kill() }
        try await server.waitForFile(tokenFile, timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(300))
        let tokens = try String(contentsOf: tokenFile, encoding: .utf8)
        let admin = String(try #require(tokens.split(separator: "\n").first { $0.hasPrefix("DROVER_ADMIN_TOKEN=") }?.dropFirst(19)))
        let base = "http://127.0.0.1:\(port)"
        let env = ["DROVER_SERVER": base, "DROVER_TOKEN": admin]

        // A training job posts a healthy step, then a NaN loss.
        let transport = try CurlTransport(configuration: .init(proxy: ""))
        let steps = #"[{"schema_version":1,"run_id":"ranker-e2e","step":1,"loss":0.7,"grad_norm":1.2},"#
            + #"{"schema_version":1,"run_id":"ranker-e2e","step":2,"loss":"NaN","grad_norm":3.1}]"#
        let posted = try await transport.send(
            TransportRequest(
                method: .post, url: base + "/v1/training/runs/ranker-e2e/steps", headers: ["Content-Type": "application/json"],
                body: Array(steps.utf8), timeout: .seconds(10), bearerToken: admin))
        #expect(posted.status == 200, "\(posted.bodyString)")
        #expect(posted.bodyString.contains("flagged"))

        var result = try await CLIEndToEndTests.droverctl(
            ["versions", "register", "--model", "ranker", "--version", "1", "--artifact-uri", "file:///m/1", "--sha256",
             String(repeating: "c", count: 64), "--training-run", "ranker-e2e"], environment: env)
        #expect(result.0 == 0, "\(result.2)")

        result = try await CLIEndToEndTests.droverctl(["versions", "alias", "ranker", "1", "stable"], environment: env)
        #expect(result.0 == 1)
        #expect(result.2.contains("409"), "\(result.2)")
        #expect(result.2.contains("training_run_id"), "\(result.2)")
        #expect(result.2.contains("--override-training-flag"), "\(result.2)")

        result = try await CLIEndToEndTests.droverctl(
            ["versions", "alias", "ranker", "1", "stable", "--override-training-flag"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        #expect(result.1.contains("stable"))

        // The flagged run raised an alert; droverctl lists it.
        result = try await CLIEndToEndTests.droverctl(["alerts", "list", "--json"], environment: env)
        #expect(result.0 == 0, "\(result.2)")
        struct Envelope: Decodable { var alerts: [Alert] }
        let alerts = try DroverJSON.decode(Envelope.self, from: Array(result.1.utf8)).alerts
        #expect(alerts.contains { $0.rule == "TrainingRunUnhealthy" && $0.labels["run"] == "ranker-e2e" }, "\(result.1)")
        result = try await CLIEndToEndTests.droverctl(["alerts", "list"], environment: env)
        #expect(result.0 == 0 && result.1.contains("TrainingRunUnhealthy"), "\(result.2)")

        // Alert evaluation, delivery and retraining loops stop with the server on SIGTERM.
        let ended = await server.stop(grace: .seconds(15))
        #expect(ended == .exited(0), "\(server.diagnostics())")
    }
}

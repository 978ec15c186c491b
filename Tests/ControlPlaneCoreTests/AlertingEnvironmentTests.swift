import ControlPlaneCore
import Foundation
import Testing

@Suite("DROVER_ALERTING_* environment variables over the alerting section")
struct AlertingEnvironmentTests {
    @Test("each variable sets its key, over the file's value; unset variables keep the file's")
    func overridesFile() throws {
        let file = AlertingConfiguration(
            receivers: [WebhookReceiver(name: "oncall", url: "https://relay.example/hook")],
            evaluationIntervalSeconds: 5,
            minRequests: 7)
        let c = try file.applyingEnvironment([
            "DROVER_ALERTING_EXTERNAL_URL": "https://drover.internal:8480",
            "DROVER_ALERTING_EVALUATION_INTERVAL_SECONDS": "15",
            "DROVER_ALERTING_RANGE_SECONDS": "600",
            "DROVER_ALERTING_MIN_DRIFT_SAMPLES": "250",
            "DROVER_ALERTING_FAILOVER_HORIZON_SECONDS": "900",
            "DROVER_ALERTING_DELIVERY_MAX_ATTEMPTS": "3",
            "DROVER_ALERTING_BACKOFF_INITIAL_SECONDS": "0.5",
            "DROVER_ALERTING_BACKOFF_MAX_SECONDS": "60",
            "DROVER_ALERTING_RETRAIN_WINDOW_SECONDS": "120",
            "DROVER_LISTEN": "0.0.0.0:1",
        ])
        #expect(c.externalURL == "https://drover.internal:8480")
        #expect(c.evaluationIntervalSeconds == 15)
        #expect(c.rangeSeconds == 600)
        #expect(c.minRequests == 7)
        #expect(c.minDriftSamples == 250)
        #expect(c.failoverHorizonSeconds == 900)
        #expect(c.deliveryMaxAttempts == 3)
        #expect(c.backoffInitialSeconds == 0.5 && c.backoffMaxSeconds == 60)
        #expect(c.retrainWindowSeconds == 120)
        #expect(c.receivers == file.receivers)
        try c.validate()
        #expect(try file.applyingEnvironment([:]) == file)
    }

    @Test("DROVER_ALERTING_WEBHOOK_URL adds a receiver named env with its bearer token, replacing a file receiver env")
    func webhook() throws {
        let file = AlertingConfiguration(receivers: [
            WebhookReceiver(name: "oncall", url: "https://relay.example/hook"),
            WebhookReceiver(name: "env", url: "https://old.example/hook"),
        ])
        let c = try file.applyingEnvironment([
            "DROVER_ALERTING_WEBHOOK_URL": "https://alerts.example/drover",
            "DROVER_ALERTING_WEBHOOK_BEARER_TOKEN": "s3cret",
        ])
        #expect(c.receivers.map(\.name) == ["oncall", "env"])
        #expect(c.receivers.last?.url == "https://alerts.example/drover")
        #expect(c.receivers.last?.bearerToken == "s3cret")
        #expect(!"\(c.receivers.last!)".contains("s3cret"))
        // A bad URL from the environment is caught by the usual validation, naming the field.
        let bad = try file.applyingEnvironment(["DROVER_ALERTING_WEBHOOK_URL": "relay.example"])
        #expect(throws: AlertError.self) { try bad.validate() }
    }

    @Test(
        "a value of the wrong kind names the variable and what to set",
        arguments: [
            ("DROVER_ALERTING_RANGE_SECONDS", "5m", "DROVER_ALERTING_RANGE_SECONDS=5m is not a number of seconds"),
            ("DROVER_ALERTING_MIN_REQUESTS", "1.5", "DROVER_ALERTING_MIN_REQUESTS=1.5 is not a whole number"),
            (
                "DROVER_ALERTING_BACKOFF_MAX_SECONDS", "inf",
                "DROVER_ALERTING_BACKOFF_MAX_SECONDS=inf is not a number of seconds"
            ),
        ])
    func badValue(variable: String, value: String, prefix: String) {
        let error = #expect(throws: AlertingConfiguration.EnvironmentError.self) {
            try AlertingConfiguration().applyingEnvironment([variable: value])
        }
        #expect(error?.variable == variable)
        #expect(error?.message.hasPrefix(prefix) == true)
    }

    @Test("a webhook token without a URL is refused rather than ignored")
    func tokenWithoutURL() {
        let error = #expect(throws: AlertingConfiguration.EnvironmentError.self) {
            try AlertingConfiguration().applyingEnvironment(["DROVER_ALERTING_WEBHOOK_BEARER_TOKEN": "s3cret"])
        }
        #expect(error?.variable == "DROVER_ALERTING_WEBHOOK_URL")
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test("the deploy/ example's alerting block decodes and validates")
    func deployExample() throws {
        struct File: Decodable { var alerting: AlertingConfiguration }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: repo.appendingPathComponent("deploy/controlplane/controlplane.example.json"))
        let alerting = try JSONDecoder().decode(File.self, from: data).alerting
        try alerting.validate()
        #expect(alerting.receivers.map(\.name) == ["oncall"])
        #expect(alerting != AlertingConfiguration())
    }
}

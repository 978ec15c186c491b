import AgentCore
import Testing

@Suite("Agent configuration")
struct ConfigTests {
    let minimal = """
        agent:
          id: node-a/ranker-0
        server:
          model: ranker
        """

    @Test("a minimal file gets the documented defaults")
    func defaults() throws {
        let config = try AgentConfig.load(text: minimal, path: "agent.yaml")
        #expect(config.agent.id == "node-a/ranker-0")
        #expect(config.server.kind == .oip)
        #expect(config.server.url == "http://127.0.0.1:8000")
        #expect(config.probes.interval == .seconds(5))
        #expect(config.window.duration == .seconds(60))
        #expect(config.listen.host == "127.0.0.1")
        #expect(config.guardrail.failureThreshold == 3)
        #expect(config.controlPlane.url == nil)
    }

    @Test("flags override the environment, which overrides the file")
    func precedence() throws {
        let text = minimal + "\nprobes:\n  interval: 2s\nlisten:\n  port: 9000\n"
        let env = ["DROVER_PROBES_INTERVAL": "3s", "DROVER_LISTEN_PORT": "9100", "DROVER_AGENT_LABELS": "zone=eu-1,pool=a"]
        let config = try AgentConfig.load(
            text: text, path: "agent.yaml", environment: env,
            overrides: [ConfigOverride(flag: "--listen-port", key: "listen.port", value: "9200")])
        #expect(config.probes.interval == .seconds(3))
        #expect(config.listen.port == 9200)
        #expect(config.agent.labels == ["zone": "eu-1", "pool": "a"])
    }

    @Test("JSON files are accepted too")
    func json() throws {
        let config = try AgentConfig.load(
            text: #"{"agent": {"id": "a1"}, "server": {"model": "m", "kind": "torchserve", "feature_order": ["x", "y"]}}"#,
            path: "agent.json")
        #expect(config.server.kind == .torchserve)
        #expect(config.server.featureOrder == ["x", "y"])
    }

    @Test(
        "bad values are rejected with the file, line, key and reason",
        arguments: [
            ("server:\n  model: m\n  urll: http://x\nagent:\n  id: a", "agent.yaml:3: server.urll: unknown key; did you mean server.url?"),
            ("server:\n  model: m\n  url: htp:/x\nagent:\n  id: a", "agent.yaml:3: server.url: \"htp:/x\" is not a usable URL: it must start with http:// or https://"),
            ("server:\n  model: m\n  url: http://h:99999\nagent:\n  id: a", "agent.yaml:3: server.url: \"http://h:99999\" is not a usable URL: the port \"99999\" is not 1…65535"),
            ("agent:\n  id: a\nserver:\n  model: m\nprobes:\n  interval: soon", "agent.yaml:6: probes.interval: \"soon\" is not a duration; write 250ms, 5s, 2m or 1h"),
            ("agent:\n  id: a\nserver:\n  model: m\nwindow:\n  duration: 1s", "agent.yaml:6: window.duration: 1s is shorter than probes.interval (5s); a window must hold at least one probe"),
            ("agent:\n  id: a\nserver:\n  model: m\ningest:\n  sample_rate: 0", "agent.yaml:6: ingest.sample_rate: 0.0 is out of range; it must be above 0 and at most 1"),
            ("agent:\n  id: a\nserver:\n  model: m\nreporting:\n  backoff_initial: 2m\n  backoff_max: 1m", "agent.yaml:6: reporting.backoff_initial: is longer than reporting.backoff_max (1m)"),
            ("agent:\n  id: a\nserver:\n  model: m\n  kind: triton", "agent.yaml:5: server.kind: \"triton\" is not one of oip, torchserve, http"),
            ("agent:\n  id: a\nserver:\n  model: m\n  version: '3'\n  backup_version: '3'", "agent.yaml:6: server.backup_version: is the same as server.version (3); a failover would change nothing"),
            ("agent:\n  id: a\nserver:\n  model: m\nguard:\n  validation_floor: 0.7", "agent.yaml:6: guard.validation_floor: guard.validation_metric and guard.validation_floor go together; set both or neither"),
            ("agent:\n  id: a\nserver:\n  model: m\n  kind: http", "default: server.predict_url: is required when server.kind is http"),
            ("server:\n  model: m", "default: agent.id: is required: set a stable id like node-a/ranker-0"),
            ("agent: [1, 2]\nserver:\n  model: m", "agent.yaml:1: agent: must be a mapping of keys (a section)"),
        ])
    func rejects(text: String, expected: String) {
        #expect(throws: ConfigError.self) { try AgentConfig.load(text: text, path: "agent.yaml") }
        do {
            _ = try AgentConfig.load(text: text, path: "agent.yaml")
        } catch {
            #expect(error.problems.map(\.description).contains(expected), "got: \(error)")
        }
    }

    @Test("an environment variable's problem names the variable")
    func environmentOrigin() {
        do {
            _ = try AgentConfig.load(text: minimal, path: "agent.yaml", environment: ["DROVER_LISTEN_PORT": "http"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "env DROVER_LISTEN_PORT: listen.port: \"http\" is not a whole number")
        }
    }

    @Test("an unknown key given as a flag is rejected")
    func unknownFlag() {
        do {
            _ = try AgentConfig.load(
                text: minimal, path: "agent.yaml", overrides: [ConfigOverride(flag: "--set", key: "probes.intervall", value: "1s")])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "flag --set: probes.intervall: unknown key; did you mean probes.interval?")
        }
    }

    @Test("every problem is reported, not just the first")
    func several() {
        do {
            _ = try AgentConfig.load(text: "agent:\n  idd: a\nserver:\n  modl: m", path: "a.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 4)
        }
    }

    @Test("durations parse in ms, s, m and h")
    func durations() {
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("5s") == .seconds(5))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("1.5") == .milliseconds(1500))
        #expect(DurationText.parse("-1s") == nil)
        #expect(DurationText.format(.seconds(120)) == "2m")
    }

    @Test("the example configuration under deploy/ is valid")
    func example() throws {
        let path = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let text = try FileIO.readText("/" + path + "/deploy/agent/agent.yaml")
        let config = try AgentConfig.load(
            text: text, path: "deploy/agent/agent.yaml",
            overrides: [ConfigOverride(flag: "--set", key: "probes.golden_set", value: "/dev/null")])
        #expect(config.server.model == "ranker")
    }
}

extension AgentConfig {
    /// Resolves the configuration: flags over `DROVER_*` environment over the file over defaults.
    ///
    /// Throws a `ConfigError` listing every problem, each naming the file (and line), key and reason.
    public static func load(
        file: String?, environment: [String: String] = [:], overrides: [ConfigOverride] = []
    ) throws(ConfigError) -> AgentConfig {
        var text: String?
        if let file {
            do {
                text = try FileIO.readText(file)
            } catch {
                throw ConfigError(.file(path: file, line: nil), key: "(file)", reason: "cannot read the configuration: \(error)")
            }
        }
        return try load(text: text, path: file ?? "(no file)", environment: environment, overrides: overrides)
    }

    /// Resolves the configuration from file text already read (tests, stdin).
    public static func load(
        text: String?, path: String, environment: [String: String] = [:], overrides: [ConfigOverride] = []
    ) throws(ConfigError) -> AgentConfig {
        var problems: [ConfigProblem] = []
        var entries = ConfigLayers.defaults()
        if let text {
            entries.merge(ConfigLayers.parseFile(text: text, path: path, problems: &problems)) { $1 }
        }
        entries.merge(ConfigLayers.environment(environment, problems: &problems)) { $1 }
        entries.merge(ConfigLayers.flags(overrides, problems: &problems)) { $1 }
        var reader = ConfigReader(entries: entries, problems: problems)
        let config = reader.build()
        if !reader.problems.isEmpty { throw ConfigError(problems: reader.problems) }
        return config
    }
}

/// Types raw entries and checks each value and the relations between them, collecting problems.
struct ConfigReader {
    var entries: [String: ConfigEntry]
    var problems: [ConfigProblem]

    func origin(_ key: String) -> ConfigOrigin { entries[key]?.origin ?? .defaultValue }

    mutating func fail(_ key: String, _ reason: String) {
        problems.append(.init(origin: origin(key), key: key, reason: reason))
    }

    mutating func string(_ key: String) -> String? {
        guard let entry = entries[key] else { return nil }
        guard case .scalar(let text) = entry.value else {
            fail(key, "must be a single value")
            return nil
        }
        return text
    }

    mutating func requiredString(_ key: String, _ hint: String) -> String {
        guard let text = string(key), !text.trimmed.isEmpty else {
            fail(key, "is required: \(hint)")
            return ""
        }
        return text
    }

    mutating func url(_ key: String) -> String? {
        guard let text = string(key) else { return nil }
        if let reason = URLCheck.problem(text) {
            fail(key, "\"\(text)\" is not a usable URL: \(reason)")
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    mutating func duration(_ key: String, min: Duration = .milliseconds(1), max: Duration = .seconds(86_400)) -> Duration {
        guard let text = string(key) else { return .zero }
        guard let value = DurationText.parse(text) else {
            fail(key, "\"\(text)\" is not a duration; write 250ms, 5s, 2m or 1h")
            return .zero
        }
        if value < min || value > max {
            fail(key, "\(text) is out of range; it must be between \(DurationText.format(min)) and \(DurationText.format(max))")
        }
        return value
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text.trimmed) else {
            fail(key, "\"\(text)\" is not a whole number")
            return nil
        }
        if !range.contains(value) {
            fail(key, "\(value) is out of range; it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    mutating func double(_ key: String) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text.trimmed), value.isFinite else {
            fail(key, "\"\(text)\" is not a number")
            return nil
        }
        return value
    }

    mutating func bool(_ key: String) -> Bool {
        guard let text = string(key) else { return false }
        switch text.trimmed.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            fail(key, "\"\(text)\" is not true or false")
            return false
        }
    }

    mutating func list(_ key: String) -> [String] {
        guard let entry = entries[key] else { return [] }
        switch entry.value {
        case .list(let items): return items
        case .scalar(let text): return text.split(separator: ",").map { String($0).trimmed }
        case .map:
            fail(key, "must be a list")
            return []
        }
    }

    mutating func map(_ key: String) -> [String: String] {
        guard let entry = entries[key] else { return [:] }
        guard case .map(let items) = entry.value else {
            fail(key, "must be a mapping like {zone: eu-1}")
            return [:]
        }
        return items
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E
    where E.RawValue == String {
        let text = string(key) ?? ""
        if let value = E(rawValue: text) { return value }
        fail(key, "\"\(text)\" is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        return E.allCases.first!
    }

    // swiftlint:disable:next function_body_length
    mutating func build() -> AgentConfig {
        let agentID = requiredString("agent.id", "set a stable id like node-a/ranker-0")
        if agentID.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            fail("agent.id", "must not contain whitespace")
        }
        let logLevel = string("agent.log_level") ?? "info"
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            fail("agent.log_level", "\"\(logLevel)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        let agent = AgentConfig.Agent(
            id: agentID, labels: map("agent.labels"), stateDirectory: string("agent.state_dir") ?? ".", logLevel: logLevel)

        var token = string("control_plane.token")
        if let tokenFile = string("control_plane.token_file") {
            if token != nil {
                fail("control_plane.token_file", "set either control_plane.token or control_plane.token_file, not both")
            }
            do {
                token = try FileIO.readText(tokenFile).trimmed
            } catch {
                fail("control_plane.token_file", "cannot read the token: \(error)")
            }
        }
        var enrollToken = string("control_plane.enroll_token")
        if let file = string("control_plane.enroll_token_file") {
            if enrollToken != nil {
                fail("control_plane.enroll_token_file", "set either control_plane.enroll_token or control_plane.enroll_token_file, not both")
            }
            do {
                enrollToken = try FileIO.readText(file).trimmed
            } catch {
                fail("control_plane.enroll_token_file", "cannot read the enrol token: \(error)")
            }
        }
        let controlPlane = AgentConfig.ControlPlane(
            url: url("control_plane.url"), token: token, enrollToken: enrollToken, heartbeatInterval: duration(
                "control_plane.heartbeat_interval", min: .milliseconds(100), max: .seconds(3600)),
            timeout: duration("control_plane.timeout"), watchDesired: bool("control_plane.watch_desired"),
            longPoll: duration("control_plane.long_poll", min: .seconds(1), max: .seconds(600)))
        validateConnection(controlPlane, labels: agent.labels)

        let kind = choice("server.kind", AgentConfig.ServerKind.self)
        let switchMode = choice("server.switch", AgentConfig.SwitchMode.self)
        let server = AgentConfig.Server(
            kind: kind, url: url("server.url") ?? "", model: requiredString("server.model", "the model name the server serves"),
            version: string("server.version"), backupVersion: string("server.backup_version"),
            timeout: duration("server.timeout", max: .seconds(600)), pid: int("server.pid", in: 1...Int(Int32.max)),
            pidFile: string("server.pid_file"), inputName: string("server.input_name") ?? "features",
            outputName: string("server.output_name"), featureOrder: list("server.feature_order"),
            categoryCodes: map("server.category_codes").mapValues { $0.split(separator: ",").map { String($0).trimmed } },
            switchMode: switchMode,
            switchCommand: list("server.switch_command"), managementURL: url("server.management_url") ?? "",
            healthURL: url("server.health_url"), predictURL: url("server.predict_url"),
            requestTemplate: string("server.request_template") ?? "", scoresPath: string("server.scores_path") ?? "",
            versionURL: url("server.version_url"), versionPath: string("server.version_path") ?? "version")
        if switchMode == .command && server.switchCommand.isEmpty {
            fail("server.switch_command", "is required when server.switch is command, e.g. [\"/usr/local/bin/switch-model\", \"{version}\"]")
        }
        if kind == .http {
            if server.predictURL == nil { fail("server.predict_url", "is required when server.kind is http") }
            if switchMode == .api && server.backupVersion != nil {
                fail("server.switch", "the http adapter can only switch versions by command; set server.switch: command")
            }
        }
        if let backup = server.backupVersion, backup == server.version {
            fail("server.backup_version", "is the same as server.version (\(backup)); a failover would change nothing")
        }
        if server.pid != nil && server.pidFile != nil {
            fail("server.pid_file", "set either server.pid or server.pid_file, not both")
        }

        let probes = AgentConfig.Probes(
            interval: duration("probes.interval", min: .milliseconds(50), max: .seconds(3600)),
            goldenSet: string("probes.golden_set"), goldenInterval: duration("probes.golden_interval", min: .milliseconds(50)),
            goldenBatch: int("probes.golden_batch", in: 0...100_000) ?? 0, k: int("probes.k", in: 1...1000) ?? 10)
        if let golden = probes.goldenSet, !FileIO.exists(golden) {
            fail("probes.golden_set", "file \(golden) does not exist")
        }

        let guardrail = AgentConfig.Guard(
            enabled: bool("guard.enabled"), failureThreshold: int("guard.failure_threshold", in: 1...10_000) ?? 3,
            validationMetric: string("guard.validation_metric"), validationFloor: double("guard.validation_floor"),
            validationWindows: int("guard.validation_windows", in: 1...10_000) ?? 3)
        if (guardrail.validationMetric == nil) != (guardrail.validationFloor == nil) {
            fail(guardrail.validationMetric == nil ? "guard.validation_floor" : "guard.validation_metric",
                 "guard.validation_metric and guard.validation_floor go together; set both or neither")
        }
        if guardrail.validationMetric != nil && probes.goldenSet == nil {
            fail("guard.validation_metric", "needs a golden set: set probes.golden_set")
        }

        let ingest = AgentConfig.Ingest(
            logFile: string("ingest.log_file"), logPoll: duration("ingest.log_poll", min: .milliseconds(10), max: .seconds(60)),
            sampleRate: double("ingest.sample_rate") ?? 1,
            maxEventsPerWindow: int("ingest.max_events_per_window", in: 1...10_000_000) ?? 100_000,
            maxBodyBytes: int("ingest.max_body_bytes", in: 1024...1_073_741_824) ?? 8_388_608,
            labelTTL: duration("ingest.label_ttl", min: .seconds(1), max: .seconds(7 * 86_400)),
            maxPending: int("ingest.max_pending", in: 1...10_000_000) ?? 50_000,
            maxSamplesPerFeature: int("ingest.max_samples_per_feature", in: 10...1_000_000) ?? 2000)
        if !(ingest.sampleRate > 0 && ingest.sampleRate <= 1) {
            fail("ingest.sample_rate", "\(ingest.sampleRate) is out of range; it must be above 0 and at most 1")
        }

        let window = AgentConfig.Window(
            duration: duration("window.duration", min: .milliseconds(100), max: .seconds(86_400)),
            maxEvents: int("window.max_events", in: 0...10_000_000) ?? 0)
        if window.duration < probes.interval {
            fail("window.duration",
                 "\(DurationText.format(window.duration)) is shorter than probes.interval (\(DurationText.format(probes.interval))); a window must hold at least one probe")
        }

        let reporting = AgentConfig.Reporting(
            spoolMaxReports: int("reporting.spool_max_reports", in: 1...10_000_000) ?? 10_000,
            batchSize: int("reporting.batch_size", in: 1...1000) ?? 50,
            backoffInitial: duration("reporting.backoff_initial", min: .milliseconds(1), max: .seconds(3600)),
            backoffMax: duration("reporting.backoff_max", min: .milliseconds(1), max: .seconds(86_400)))
        if reporting.backoffInitial > reporting.backoffMax {
            fail("reporting.backoff_initial", "is longer than reporting.backoff_max (\(DurationText.format(reporting.backoffMax)))")
        }

        let listen = AgentConfig.Listen(
            host: string("listen.host") ?? "127.0.0.1", port: int("listen.port", in: 0...65_535) ?? 9464)

        return AgentConfig(
            agent: agent, controlPlane: controlPlane, server: server, probes: probes, guardrail: guardrail, ingest: ingest,
            window: window, reporting: reporting, listen: listen)
    }
}

extension ConfigReader {
    /// Credentials, enrolment and labels: what the control plane will accept, checked before the agent starts.
    mutating func validateConnection(_ controlPlane: AgentConfig.ControlPlane, labels: [String: String]) {
        let tokenKey = entries["control_plane.token_file"] != nil ? "control_plane.token_file" : "control_plane.token"
        let enrollKey = entries["control_plane.enroll_token_file"] != nil ? "control_plane.enroll_token_file" : "control_plane.enroll_token"
        if controlPlane.token != nil && controlPlane.enrollToken != nil {
            fail(enrollKey, "set either an agent credential (\(tokenKey)) or an enrol token (\(enrollKey)), not both")
        }
        for (key, value) in [(tokenKey, controlPlane.token), (enrollKey, controlPlane.enrollToken)] {
            guard let value else { continue }
            if value.isEmpty {
                fail(key, "is empty; put the token in it or remove the key")
            } else if value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                fail(key, "must be one token without spaces or line breaks")
            }
        }
        if controlPlane.url == nil && entries["control_plane.url"] == nil {
            if controlPlane.token != nil || controlPlane.enrollToken != nil {
                fail(controlPlane.enrollToken != nil ? enrollKey : tokenKey, "needs control_plane.url (where to send it)")
            }
        }
        if labels.count > 64 { fail("agent.labels", "has \(labels.count) labels; at most 64 are allowed") }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            let nameOK = !name.isEmpty && name.utf8.count <= 128 && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
            }
            if !nameOK {
                fail("agent.labels", "label name \"\(name)\" must be 1–128 letters, digits, '.', '_', '-' or '/'")
            }
            if value.utf8.count > 256 || value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                fail("agent.labels", "label \(name): the value must be at most 256 bytes without control characters")
            }
        }
    }
}

/// Checks `http://` / `https://` URLs without Foundation.
enum URLCheck {
    /// Nil when the URL is usable; otherwise why not.
    static func problem(_ text: String) -> String? {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else {
            return "it must start with http:// or https://"
        }
        if text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) { return "it contains whitespace" }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "unclosed [ in the host" }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if host.isEmpty { return "it has no host" }
        if let port {
            guard let number = Int(port), (1...65_535).contains(number) else { return "the port \"\(port)\" is not 1…65535" }
        }
        return nil
    }
}

/// Parses and formats durations such as `250ms`, `5s`, `2m`, `1h` (a bare number is seconds).
public enum DurationText {
    /// Parses a duration; nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmed.lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            // "5ms" must not parse as "5m" + "s": the longest suffix is tried first.
            guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
            return .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        if let value = Double(t), value.isFinite, value >= 0 { return .milliseconds(Int64((value * 1000).rounded())) }
        return nil
    }

    /// Formats a duration in its largest exact unit (`250ms`, `5s`, `2m`, `1h`).
    public static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms % 3_600_000 == 0 && ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 && ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a real number.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

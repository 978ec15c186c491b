/// One documented configuration key: its dotted name, environment variable, kind and default.
public struct ConfigKey: Sendable, Equatable {
    /// What shape of value a key takes.
    public enum Kind: String, Sendable, Equatable {
        /// Free text.
        case string
        /// An `http://` or `https://` URL.
        case url
        /// A duration: `250ms`, `5s`, `2m`, `1h`, or a plain number of seconds.
        case duration
        /// A whole number.
        case int
        /// A real number.
        case double
        /// `true` or `false`.
        case bool
        /// A list of strings (YAML sequence; comma-separated in env and flags).
        case list
        /// A map of strings (YAML mapping; `k=v,k2=v2` in env and flags).
        case map
    }

    /// Dotted key, e.g. `server.url`.
    public var name: String
    /// The value's kind.
    public var kind: Kind
    /// The default, as text (nil: no default).
    public var defaultValue: String?
    /// One line for people.
    public var help: String

    /// The environment variable: `DROVER_` + the key upper-cased with `.` as `_`.
    public var environmentVariable: String {
        "DROVER_" + name.uppercased().replacingOccurrences(".", with: "_")
    }

    /// Creates a key.
    public init(_ name: String, _ kind: Kind, _ defaultValue: String?, _ help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

extension String {
    /// Replaces every occurrence of one character (no Foundation needed).
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

extension ConfigKey {
    /// Every key the agent understands; anything else in a file is rejected.
    public static let all: [ConfigKey] = [
        .init("agent.id", .string, nil, "this agent's stable id, e.g. node-a/ranker-0 (required)"),
        .init("agent.labels", .map, nil, "labels used by rollout selectors: zone, node, pool, …"),
        .init("agent.state_dir", .string, "./drover-agent-state", "directory for the report spool and cached reference profiles"),
        .init("agent.log_level", .string, "info", "trace, debug, info, notice, warning, error or critical"),

        .init("control_plane.url", .url, nil, "control plane base URL; omit to run without one (reports stay spooled)"),
        .init("control_plane.token", .string, nil, "agent credential as a bearer token (prefer token_file; never logged)"),
        .init("control_plane.token_file", .string, nil, "file holding the agent credential"),
        .init("control_plane.enroll_token", .string, nil,
              "enrol token: enrol once, keep the issued credential in state_dir/credential (prefer enroll_token_file)"),
        .init("control_plane.enroll_token_file", .string, nil, "file holding the enrol token"),
        .init("control_plane.heartbeat_interval", .duration, "30s",
              "how often a heartbeat is sent; keep it well under the control plane's stale_after_seconds (180)"),
        .init("control_plane.timeout", .duration, "10s", "timeout of one request to the control plane"),
        .init("control_plane.watch_desired", .bool, "true", "long-poll the desired state and apply version changes"),
        .init("control_plane.long_poll", .duration, "30s",
              "how long one desired-state long-poll waits (the control plane caps it at its max_long_poll_seconds, 60)"),

        .init("server.kind", .string, "oip", "oip (Triton, KServe, MLServer), torchserve or http"),
        .init("server.url", .url, "http://127.0.0.1:8000", "inference server base URL (TorchServe: the inference API)"),
        .init("server.model", .string, nil, "model name (required)"),
        .init("server.version", .string, nil, "version served at start; asked from the server when omitted"),
        .init("server.backup_version", .string, nil, "version the local guard fails over to"),
        .init("server.timeout", .duration, "5s", "timeout of one request to the inference server"),
        .init("server.pid", .int, nil, "PID of the served process, for its RSS and CPU"),
        .init("server.pid_file", .string, nil, "file holding the PID of the served process"),
        .init("server.input_name", .string, "features", "OIP: name of the FP32 input tensor [N, F]"),
        .init("server.output_name", .string, nil, "OIP: output tensor holding scores (default: the first output)"),
        .init("server.feature_order", .list, nil, "feature names in tensor column order (default: sorted names)"),
        .init("server.category_codes", .map, nil,
              "categorical features sent in tensors as integer codes: {device: [web, ios, android]}; unknown values are -1"),
        .init("server.switch", .string, "api", "how to switch versions: api (OIP load/unload, TorchServe set-default) or command"),
        .init("server.switch_command", .list, nil, "argv run to switch versions; {model} and {version} are replaced"),
        .init("server.management_url", .url, "http://127.0.0.1:8081", "TorchServe management API base URL"),
        .init("server.health_url", .url, nil, "http: URL answering 2xx when the server is healthy"),
        .init("server.predict_url", .url, nil, "http: URL inference requests are POSTed to; {model} and {version} are replaced"),
        .init("server.request_template", .string, "{\"instances\": {{rows}}}",
              "http/torchserve: request body; {{rows}} = [[f...]...], {{records}} = [{name: value}...], {{model}}, {{version}}"),
        .init("server.scores_path", .string, "predictions", "http/torchserve: path to the scores in the response, e.g. predictions[*].score"),
        .init("server.version_url", .url, nil, "http: URL answering the served version"),
        .init("server.version_path", .string, "version", "http: path to the version in version_url's response"),

        .init("probes.interval", .duration, "5s", "liveness/readiness probe interval"),
        .init("probes.golden_set", .string, nil, "golden set (JSON Lines) sent as real inference requests"),
        .init("probes.golden_interval", .duration, "30s", "how often a golden-set batch is sent"),
        .init("probes.golden_batch", .int, "0", "records per golden-set batch (0: the whole set)"),
        .init("probes.k", .int, "10", "k of ranking metrics (ndcg_at_k, recall_at_k, hit_rate_at_k)"),

        .init("guard.enabled", .bool, "true", "fail over to server.backup_version by itself"),
        .init("guard.failure_threshold", .int, "3", "consecutive failed probes that trigger a failover"),
        .init("guard.validation_metric", .string, nil, "golden-set metric watched against the floor, e.g. roc_auc or ndcg_at_10"),
        .init("guard.validation_floor", .double, nil, "failover when the metric is below this value…"),
        .init("guard.validation_windows", .int, "3", "…for this many consecutive windows"),

        .init("ingest.log_file", .string, nil, "JSON Lines file of prediction events to tail (survives rotation and truncation)"),
        .init("ingest.log_poll", .duration, "500ms", "how often the log file is checked"),
        .init("ingest.sample_rate", .double, "1", "share of prediction events kept, 0 < rate <= 1 (by request id)"),
        .init("ingest.max_events_per_window", .int, "100000", "events held per window; more are dropped and counted"),
        .init("ingest.max_body_bytes", .int, "8388608", "largest accepted POST /v1/events or /v1/labels body"),
        .init("ingest.label_ttl", .duration, "10m", "how long a prediction waits for its delayed labels"),
        .init("ingest.max_pending", .int, "50000", "predictions held for label joins; more are dropped and counted"),
        .init("ingest.max_samples_per_feature", .int, "2000", "values kept per feature per window for KS and Wasserstein"),

        .init("window.duration", .duration, "60s", "tumbling window length"),
        .init("window.max_events", .int, "0", "close a window early after this many events (0: time only)"),

        .init("reporting.spool_max_reports", .int, "10000", "reports kept on disk while the control plane is away; oldest dropped"),
        .init("reporting.batch_size", .int, "50", "reports sent per request"),
        .init("reporting.backoff_initial", .duration, "1s", "first retry delay"),
        .init("reporting.backoff_max", .duration, "60s", "largest retry delay"),

        .init("listen.host", .string, "127.0.0.1", "address of /healthz, /metrics, /v1/events, /v1/labels"),
        .init("listen.port", .int, "9464", "port of the agent's endpoints (0: any free port)"),
    ]

    /// The key with this dotted name.
    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}

/// The agent's whole configuration, resolved from flags, `DROVER_*` environment, a file and defaults.
///
/// Every key, its environment variable and default are listed in `ConfigKey.all` and `docs/agent.md`.
public struct AgentConfig: Sendable, Equatable {
    /// Which inference-server API the agent talks to.
    public enum ServerKind: String, Sendable, Equatable, CaseIterable {
        /// Open Inference Protocol v2 REST (Triton, KServe, MLServer, the reference server).
        case oip
        /// TorchServe inference + management APIs.
        case torchserve
        /// Any HTTP server, described by URLs, a request template and a scores path.
        case http
    }

    /// How versions are switched.
    public enum SwitchMode: String, Sendable, Equatable, CaseIterable {
        /// Through the server's API (OIP repository load/unload, TorchServe set-default).
        case api
        /// By running `server.switch_command`.
        case command
    }

    /// Identity of this agent.
    public struct Agent: Sendable, Equatable {
        /// Stable agent id.
        public var id: String
        /// Labels for rollout selectors.
        public var labels: [String: String]
        /// Spool and cache directory.
        public var stateDirectory: String
        /// Log level name.
        public var logLevel: String
    }

    /// The control plane link.
    public struct ControlPlane: Sendable, Equatable {
        /// Base URL; nil runs the agent without a control plane.
        public var url: String?
        /// The agent credential as a bearer token (never logged); nil when the agent enrols with `enrollToken`.
        public var token: String?
        /// The enrol token: the agent enrols with it once and keeps the issued credential in its state directory.
        public var enrollToken: String?
        /// How often the agent sends a heartbeat (labels, served version, spool depth).
        public var heartbeatInterval: Duration
        /// Per-request timeout.
        public var timeout: Duration
        /// Whether the plan executor watches the desired state.
        public var watchDesired: Bool
        /// Long-poll wait.
        public var longPoll: Duration
    }

    /// The watched inference server.
    public struct Server: Sendable, Equatable {
        /// API kind.
        public var kind: ServerKind
        /// Base URL.
        public var url: String
        /// Model name.
        public var model: String
        /// Version served at start, if known.
        public var version: String?
        /// Failover version.
        public var backupVersion: String?
        /// Per-request timeout.
        public var timeout: Duration
        /// PID of the served process.
        public var pid: Int?
        /// File holding that PID.
        public var pidFile: String?
        /// OIP input tensor name.
        public var inputName: String
        /// OIP output tensor name.
        public var outputName: String?
        /// Tensor column order of features.
        public var featureOrder: [String]
        /// Integer codes of categorical features in tensors (index in the list; unknown: -1).
        public var categoryCodes: [String: [String]]
        /// Version switching mode.
        public var switchMode: SwitchMode
        /// Switch command argv.
        public var switchCommand: [String]
        /// TorchServe management URL.
        public var managementURL: String
        /// Generic health URL.
        public var healthURL: String?
        /// Generic predict URL.
        public var predictURL: String?
        /// Generic/TorchServe request template.
        public var requestTemplate: String
        /// Generic/TorchServe scores path.
        public var scoresPath: String
        /// Generic version URL.
        public var versionURL: String?
        /// Path to the version in the version URL's response.
        public var versionPath: String
    }

    /// Probes and the golden set.
    public struct Probes: Sendable, Equatable {
        /// Health probe interval.
        public var interval: Duration
        /// Golden set path.
        public var goldenSet: String?
        /// Golden batch interval.
        public var goldenInterval: Duration
        /// Records per golden batch (0: all).
        public var goldenBatch: Int
        /// k of ranking metrics.
        public var k: Int
    }

    /// The local guard.
    public struct Guard: Sendable, Equatable {
        /// Whether the guard may fail over.
        public var enabled: Bool
        /// K consecutive failed probes.
        public var failureThreshold: Int
        /// Watched validation metric.
        public var validationMetric: String?
        /// Floor of that metric.
        public var validationFloor: Double?
        /// W windows under the floor.
        public var validationWindows: Int
    }

    /// Live traffic ingest.
    public struct Ingest: Sendable, Equatable {
        /// JSONL log to tail.
        public var logFile: String?
        /// Log poll interval.
        public var logPoll: Duration
        /// Sampling rate.
        public var sampleRate: Double
        /// Bound on events per window.
        public var maxEventsPerWindow: Int
        /// Bound on a request body.
        public var maxBodyBytes: Int
        /// Label join TTL.
        public var labelTTL: Duration
        /// Bound on predictions waiting for labels.
        public var maxPending: Int
        /// Values kept per feature per window.
        public var maxSamplesPerFeature: Int
    }

    /// Tumbling windows.
    public struct Window: Sendable, Equatable {
        /// Window length.
        public var duration: Duration
        /// Early close after this many events (0: time only).
        public var maxEvents: Int
    }

    /// Durable reporting.
    public struct Reporting: Sendable, Equatable {
        /// Spool bound in reports.
        public var spoolMaxReports: Int
        /// Reports per request.
        public var batchSize: Int
        /// First retry delay.
        public var backoffInitial: Duration
        /// Largest retry delay.
        public var backoffMax: Duration
    }

    /// The agent's own endpoints.
    public struct Listen: Sendable, Equatable {
        /// Bind address.
        public var host: String
        /// Port (0: any).
        public var port: Int
    }

    /// Identity.
    public var agent: Agent
    /// Control plane.
    public var controlPlane: ControlPlane
    /// Inference server.
    public var server: Server
    /// Probes.
    public var probes: Probes
    /// Guard.
    public var guardrail: Guard
    /// Ingest.
    public var ingest: Ingest
    /// Windows.
    public var window: Window
    /// Reporting.
    public var reporting: Reporting
    /// Endpoints.
    public var listen: Listen
}

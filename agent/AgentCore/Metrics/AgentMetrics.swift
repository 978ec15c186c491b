import CoreMetrics

/// The agent's metrics, created once (names `drover_agent_<what>_<unit|total>`; label values are bounded).
public struct AgentMetrics: Sendable {
    /// Probes sent, by outcome (`ok`, `failed`).
    public let probesOK = Counter(label: "drover_agent_probes_total", dimensions: [("outcome", "ok")])
    /// Failed probes.
    public let probesFailed = Counter(label: "drover_agent_probes_total", dimensions: [("outcome", "failed")])
    /// Inference latency (golden set), seconds.
    public let inferenceLatency = Timer(label: "drover_agent_inference_latency_seconds")
    /// Events accepted.
    public let eventsAccepted = Counter(label: "drover_agent_events_total", dimensions: [("outcome", "accepted")])
    /// Events left out by sampling.
    public let eventsSampledOut = Counter(label: "drover_agent_events_total", dimensions: [("outcome", "sampled_out")])
    /// Events dropped (overflow, invalid).
    public let eventsDropped = Counter(label: "drover_agent_events_dropped_total")
    /// Labels joined.
    public let labelsMatched = Counter(label: "drover_agent_labels_total", dimensions: [("outcome", "matched")])
    /// Labels matching nothing.
    public let labelsUnmatched = Counter(label: "drover_agent_labels_total", dimensions: [("outcome", "unmatched")])
    /// Reports written to the spool.
    public let reportsSpooled = Counter(label: "drover_agent_reports_spooled_total")
    /// Reports acknowledged by the control plane.
    public let reportsSent = Counter(label: "drover_agent_reports_sent_total")
    /// Failed send attempts.
    public let reportsFailed = Counter(label: "drover_agent_report_send_failures_total")
    /// Reports dropped because the spool was full.
    public let reportsDropped = Counter(label: "drover_agent_reports_dropped_total")
    /// Reports waiting in the spool.
    public let spoolDepth = Gauge(label: "drover_agent_spool_depth")
    /// Failovers performed.
    public let failovers = Counter(label: "drover_agent_failovers_total")
    /// Consecutive failed probes now.
    public let consecutiveFailures = Gauge(label: "drover_agent_consecutive_probe_failures")
    /// Server live (1) or not (0).
    public let serverLive = Gauge(label: "drover_agent_server_live")
    /// Model ready (1) or not (0).
    public let serverReady = Gauge(label: "drover_agent_server_ready")
    /// Agent resident memory.
    public let agentRSS = Gauge(label: "drover_agent_resident_memory_bytes")
    /// Predictions waiting for labels.
    public let pendingJoins = Gauge(label: "drover_agent_label_join_pending")

    /// Creates the metrics (with whatever backend is bootstrapped).
    public init() {}

    /// The drift PSI gauge of one feature (feature names come from the reference profile: a bounded set).
    public func driftPSI(_ feature: String) -> Gauge { Gauge(label: "drover_agent_drift_psi", dimensions: [("feature", feature)]) }

    /// A validation metric gauge (`golden_set` or `labels`, metric name from a fixed list).
    public func validation(_ source: String, _ metric: String) -> Gauge {
        Gauge(label: "drover_agent_validation", dimensions: [("source", source), ("metric", metric)])
    }
}

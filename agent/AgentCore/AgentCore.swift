/// The sidecar agent library: probes, adapters, windows, guard, spool, reporter, plan executor.
public enum AgentCoreInfo {
    /// The agent's build version, sent at enrolment.
    public static let version = "0.1.0"
}

/// The sidecar agent library: probes, adapters, windows, guard, spool, reporter, plan executor.
public enum AgentCoreInfo {}

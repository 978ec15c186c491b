/// Wire contracts shared by the agent, the control plane and droverctl (versioned under `/v1`).
public enum DroverAPIInfo {
    /// The wire schema version this build writes.
    public static let schemaVersion = 1
}

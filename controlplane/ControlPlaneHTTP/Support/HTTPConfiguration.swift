/// HTTP settings of the control plane.
public struct HTTPConfiguration: Sendable, Equatable {
    /// Address to bind (`--listen`, `DROVER_LISTEN`, default `127.0.0.1`).
    public var host: String
    /// Port to bind (default 8480; 0 picks a free port).
    public var port: Int
    /// Largest accepted body for single-document requests (`DROVER_MAX_BODY_BYTES`, default 1 MiB).
    public var maxBodyBytes: Int
    /// Largest accepted body for batches (`DROVER_MAX_BATCH_BODY_BYTES`, default 16 MiB).
    public var maxBatchBodyBytes: Int
    /// Server name sent in responses.
    public var serverName: String

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8480, maxBodyBytes: Int = 1 << 20, maxBatchBodyBytes: Int = 16 << 20,
        serverName: String = "drover-controlplane"
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchBodyBytes = maxBatchBodyBytes
        self.serverName = serverName
    }
}

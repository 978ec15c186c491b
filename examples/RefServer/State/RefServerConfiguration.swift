import RefModel

/// What the reference server serves and how it starts.
public struct RefServerConfiguration: Sendable, Equatable {
    /// The address to bind (`--host`, default 127.0.0.1).
    public var host: String = "127.0.0.1"
    /// The port (`--port`, default 8000; 0 picks a free one).
    public var port: Int = 8000
    /// The model name on the wire (`--model`, default `ranker`).
    public var modelName: String = RefModelCatalog.modelName
    /// The versions available in the repository (`--versions`, default 1,2,3,4); all are loaded at start.
    public var versions: [String] = RefModelCatalog.versionIDs
    /// The version answering `/v2/models/{name}/infer` (`--default-version`, default 1).
    public var defaultVersion: String = "1"
    /// The fault knobs at start.
    public var faults = FaultSettings()
    /// The name in the server metadata.
    public var serverName: String = "drover-refserver"
    /// The version in the server metadata.
    public var serverVersion: String = "0.1.0"
    /// The largest batch (rows) one inference request may carry.
    public var maxBatch: Int = 10_000
    /// The largest request body, in bytes.
    public var maxBodyBytes: Int = 8 << 20

    /// The defaults.
    public init() {}
}

/// The control plane's services over one store, wired once and shared by the HTTP layer and the executable.
public struct ControlPlane: Sendable {
    /// The store.
    public let store: any ControlPlaneStore
    /// Tokens and authentication.
    public let tokens: TokenService
    /// Agents: enrolment, heartbeats, listing.
    public let agents: AgentRegistry
    /// Report ingest.
    public let ingest: IngestService
    /// Fleet health.
    public let fleet: FleetHealthService
    /// Version registry.
    public let versions: VersionRegistry
    /// Desired and observed state.
    public let desired: DesiredStateService
    /// Audit log reader.
    public let audit: AuditLog

    /// Wires the services over `store`.
    public init(
        store: any ControlPlaneStore, clock: WallClock = .system, ingest: IngestConfiguration = .init(),
        liveness: LivenessPolicy = .init(), driftScorer: (any FleetDriftScorer)? = DroverStatsDriftScorer(),
        maxLongPoll: Duration = .seconds(60)
    ) {
        self.store = store
        self.tokens = TokenService(store: store, clock: clock)
        self.agents = AgentRegistry(store: store, tokens: tokens, clock: clock, liveness: liveness)
        self.ingest = IngestService(store: store, clock: clock, configuration: ingest)
        self.fleet = FleetHealthService(store: store, clock: clock, scorer: driftScorer, bucketSeconds: ingest.rollupBucketSeconds)
        self.versions = VersionRegistry(store: store, clock: clock)
        self.desired = DesiredStateService(store: store, clock: clock, maxWait: maxLongPoll)
        self.audit = AuditLog(store: store)
    }
}

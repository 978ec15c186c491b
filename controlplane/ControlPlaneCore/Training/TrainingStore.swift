/// Persistence for training runs: each run's state (health, detector, recent steps) as one record.
public protocol TrainingStore: Sendable {
    /// Inserts or replaces a run's state.
    func saveRun(_ state: TrainingRunState) async throws
    /// One run's state.
    func run(id: String) async throws -> TrainingRunState?
    /// Health of runs, most recently active first, at most `limit`.
    func runs(limit: Int) async throws -> [TrainingRunHealth]
}

/// A `TrainingStore` in memory, for tests and for running without a database.
public actor InMemoryTrainingStore: TrainingStore {
    private var states: [String: TrainingRunState] = [:]

    /// Creates an empty store.
    public init() {}

    /// Inserts or replaces a run's state.
    public func saveRun(_ state: TrainingRunState) async throws { states[state.health.runID] = state }

    /// One run's state.
    public func run(id: String) async throws -> TrainingRunState? { states[id] }

    /// Health of runs, most recently active first.
    public func runs(limit: Int) async throws -> [TrainingRunHealth] {
        Array(states.values.map(\.health).sorted { ($0.lastSeenAt, $0.runID) > ($1.lastSeenAt, $1.runID) }.prefix(max(0, limit)))
    }
}

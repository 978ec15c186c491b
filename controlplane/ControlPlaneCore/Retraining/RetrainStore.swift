/// Persistence for retrain requests and their outcomes.
public protocol RetrainStore: Sendable {
    /// Inserts a new request, or replaces the stored one with the same id.
    func saveRequest(_ request: RetrainRequest) async throws
    /// One request.
    func request(id: String) async throws -> RetrainRequest?
    /// Requests, newest first, optionally of one model, at most `limit`.
    func requests(model: String?, limit: Int) async throws -> [RetrainRequest]
}

/// A `RetrainStore` in memory, for tests and for running without a database.
public actor InMemoryRetrainStore: RetrainStore {
    private var byID: [String: RetrainRequest] = [:]

    /// Creates an empty store.
    public init() {}

    /// Inserts or replaces a request.
    public func saveRequest(_ request: RetrainRequest) async throws { byID[request.id] = request }

    /// One request.
    public func request(id: String) async throws -> RetrainRequest? { byID[id] }

    /// Requests, newest first.
    public func requests(model: String?, limit: Int) async throws -> [RetrainRequest] {
        Array(
            byID.values.filter { model == nil || $0.model == model }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                .prefix(max(0, limit))
        )
    }
}

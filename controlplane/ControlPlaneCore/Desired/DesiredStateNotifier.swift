import Synchronization

/// Wakes long-polling readers of an agent's desired state: each waiter holds an `AsyncStream`
/// keyed by agent; `notify` yields to all streams of those agents at once.
public final class DesiredStateNotifier: Sendable {
    private struct Waiters {
        var next = 0
        var byAgent: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
    }

    private let waiters = Mutex(Waiters())

    /// Creates a notifier.
    public init() {}

    /// Subscribes to changes of one agent's desired state; the stream ends when dropped or cancelled.
    public func subscribe(agentID: String) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = waiters.withLock { w in
            w.next += 1
            w.byAgent[agentID, default: [:]][w.next] = continuation
            return w.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.waiters.withLock { w in
                w.byAgent[agentID]?[id] = nil
                if w.byAgent[agentID]?.isEmpty == true { w.byAgent[agentID] = nil }
            }
        }
        return stream
    }

    /// Wakes every waiter of these agents.
    public func notify(agentIDs: some Sequence<String>) {
        let continuations = waiters.withLock { w in agentIDs.flatMap { w.byAgent[$0]?.values.map { $0 } ?? [] } }
        for continuation in continuations { continuation.yield() }
    }

    /// Number of waiting readers (for metrics and tests).
    public var waiterCount: Int { waiters.withLock { $0.byAgent.values.reduce(0) { $0 + $1.count } } }
}

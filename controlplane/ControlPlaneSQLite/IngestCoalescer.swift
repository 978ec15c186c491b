import Synchronization

/// Group commit: concurrent callers queue their items; one caller at a time (the leader) writes its own
/// items plus everything queued in one call of `write`, then hands leadership to the next queued caller.
/// Mutable state is behind a `Mutex`; continuations are resumed outside the lock.
final class WriteCoalescer<Item: Sendable>: Sendable {
    enum Outcome: Sendable {
        /// Your items were written; per-item results.
        case done([Bool])
        /// You lead the next write.
        case lead
        /// The write failed.
        case failed(any Error)
    }

    struct Queued: Sendable {
        var items: [Item]
        var continuation: CheckedContinuation<Outcome, Never>
    }

    struct State: Sendable {
        var writing = false
        var queue: [Queued] = []
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    private let write: @Sendable ([Item]) async throws -> [Bool]

    /// Creates a coalescer around `write`, which returns one flag per item.
    init(maxBatch: Int = 2_000, write: @escaping @Sendable ([Item]) async throws -> [Bool]) {
        self.maxBatch = maxBatch
        self.write = write
    }

    /// Writes `items` (possibly together with other callers' items); returns their flags.
    func submit(_ items: [Item]) async throws -> [Bool] {
        let leads = state.withLock { s -> Bool in
            if s.writing { return false }
            s.writing = true
            return true
        }
        if !leads {
            let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let immediate = state.withLock { s -> Bool in
                    if s.writing {
                        s.queue.append(Queued(items: items, continuation: continuation))
                        return false
                    }
                    s.writing = true
                    return true
                }
                if immediate { continuation.resume(returning: .lead) }
            }
            switch outcome {
            case .done(let flags): return flags
            case .failed(let error): throw error
            case .lead: break
            }
        }
        return try await lead(own: items)
    }

    private func lead(own: [Item]) async throws -> [Bool] {
        let followers = state.withLock { s -> [Queued] in
            var taken: [Queued] = []
            var total = own.count
            while let first = s.queue.first, total + first.items.count <= maxBatch {
                taken.append(s.queue.removeFirst())
                total += first.items.count
            }
            return taken
        }
        var batch = own
        for f in followers { batch += f.items }
        let result: Result<[Bool], any Error>
        do {
            let flags = try await write(batch)
            result = flags.count == batch.count ? .success(flags) : .failure(CoalescerError())
        } catch {
            result = .failure(error)
        }
        let next = state.withLock { s -> Queued? in
            if s.queue.isEmpty {
                s.writing = false
                return nil
            }
            return s.queue.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        var offset = own.count
        for f in followers {
            switch result {
            case .success(let flags): f.continuation.resume(returning: .done(Array(flags[offset..<(offset + f.items.count)])))
            case .failure(let error): f.continuation.resume(returning: .failed(error))
            }
            offset += f.items.count
        }
        return try result.map { Array($0[0..<own.count]) }.get()
    }
}

/// The write returned the wrong number of results (a bug in the store).
struct CoalescerError: Error, CustomStringConvertible {
    var description: String { "internal error: the batched write returned a result count that does not match its items" }
}

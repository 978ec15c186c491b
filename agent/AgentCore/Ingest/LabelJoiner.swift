import DroverAPI

/// Matured label joins, ready for online metrics.
public struct JoinOutcome: Sendable, Equatable {
    /// Classifier scores with their labels.
    public var scores: [Double] = []
    /// 0/1 labels, one per score.
    public var labels: [Double] = []
    /// Ranker queries with at least one relevant item.
    public var queries: [RankedQuery] = []
    /// Predictions whose wait ended (labelled or not).
    public var matured = 0
    /// Matured predictions with a positive outcome (click or better).
    public var clicked = 0

    /// Creates an empty outcome.
    public init() {}
}

/// Joins delayed labels to earlier predictions by request id within a TTL, with a hard bound. A pure value.
///
/// Rankers (events with `items`): clicks, add-to-cart and purchases grade the items 1, 2, 3; a prediction matures
/// when its TTL ends. Classifiers: a `label` event completes the prediction at once; otherwise it matures at the
/// TTL with label 1 if it was clicked (or better) and 0 if not.
///
/// Memory: a waiting prediction is keyed by a 64-bit hash of its request id and keeps only what the join needs
/// (one score for classifiers; scores and items, boxed, for rankers): 48 bytes per dictionary slot.
/// Two live request ids sharing a hash (odds ≈ 1e-10 at 50,000 waiting) would share one entry.
public struct LabelJoiner<Instant: InstantProtocol & Sendable>: Sendable where Instant.Duration == Duration {
    /// A ranker's prediction: its items, their scores and the grades labels gave them.
    struct Ranking: Sendable {
        var items: [String]
        var scores: [Double]
        var grades: [String: Double] = [:]
    }

    /// What a prediction needs beyond one score; boxed, so a classifier entry stays small (40 bytes).
    enum Extra: Sendable {
        case none
        indirect case ranking(Ranking)
    }

    struct Pending: Sendable {
        /// The classifier score: the positive class's of two, else the first.
        var score: Double
        var expiresAt: Instant
        var extra: Extra
        var positive = false

        var items: [String]? {
            if case .ranking(let r) = extra { return r.items }
            return nil
        }
    }

    /// How long a prediction waits for labels.
    public let ttl: Duration
    /// The most predictions held.
    public let capacity: Int
    private var pending: [UInt64: Pending] = [:]
    private var order: [(id: UInt64, expiresAt: Instant)] = []
    private var head = 0

    /// Creates an empty joiner.
    public init(ttl: Duration, capacity: Int) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// Predictions waiting for labels.
    public var count: Int { pending.count }

    /// Holds a prediction for joining; false when the bound is reached (the caller counts a drop).
    public mutating func addPrediction(_ event: PredictionEvent, now: Instant) -> Bool {
        guard !event.scores.isEmpty else { return true }
        let id = Self.key(event.requestID)
        if pending[id] == nil && pending.count >= capacity { return false }
        let expiresAt = now.advanced(by: ttl)
        let scores = event.scores
        pending[id] = Pending(
            score: scores.count == 2 ? scores[1] : scores[0], expiresAt: expiresAt,
            extra: event.items.map { .ranking(Ranking(items: $0, scores: scores)) } ?? .none)
        order.append((id, expiresAt))
        return true
    }

    /// FNV-1a over the id's UTF-8, finished with a splitmix64 mix.
    static func key(_ requestID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in requestID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }

    /// Applies a label; returns false when no prediction waits under its request id (the caller counts it).
    /// An explicit `label` on a classifier prediction completes it into `outcome` at once.
    public mutating func addLabel(_ label: LabelEvent, outcome: inout JoinOutcome) -> Bool {
        let id = Self.key(label.requestID)
        guard var entry = pending[id] else { return false }
        let grade: Double
        switch label.kind {
        case .click: grade = 1
        case .addToCart: grade = 2
        case .purchase: grade = 3
        case .label: grade = label.value ?? 0
        }
        if case .ranking(var ranking) = entry.extra, let item = label.item, ranking.items.contains(item) {
            ranking.grades[item] = max(ranking.grades[item] ?? 0, grade)
            entry.extra = .ranking(ranking)
            if grade > 0 { entry.positive = true }
            pending[id] = entry
        } else if entry.items == nil, label.kind == .label {
            pending[id] = nil
            mature(entry, explicit: grade > 0 ? 1 : 0, into: &outcome)
        } else {
            if grade > 0 { entry.positive = true }
            pending[id] = entry
        }
        return true
    }

    /// Matures every prediction whose TTL ended by `now`.
    public mutating func expire(now: Instant) -> JoinOutcome {
        var outcome = JoinOutcome()
        while head < order.count, order[head].expiresAt <= now {
            let (id, expiresAt) = order[head]
            head += 1
            if let entry = pending[id], entry.expiresAt == expiresAt {
                pending[id] = nil
                mature(entry, explicit: nil, into: &outcome)
            }
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return outcome
    }

    private func mature(_ entry: Pending, explicit: Double?, into outcome: inout JoinOutcome) {
        outcome.matured += 1
        if case .ranking(let ranking) = entry.extra, ranking.items.count == ranking.scores.count {
            if entry.positive { outcome.clicked += 1 }
            let relevances = ranking.items.map { ranking.grades[$0] ?? 0 }
            if relevances.contains(where: { $0 > 0 }) {
                outcome.queries.append(RankedQuery(scores: ranking.scores, relevances: relevances))
            }
        } else {
            let label = explicit ?? (entry.positive ? 1 : 0)
            if label > 0 { outcome.clicked += 1 }
            outcome.scores.append(entry.score)
            outcome.labels.append(label)
        }
    }
}

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
/// Memory: waiting predictions sit in parallel arrays in arrival order (so in expiry order): a 64-bit hash of the
/// request id, one score, the expiry in nanoseconds and a flag byte, 25 bytes each; an open-addressing table of
/// 4-byte indexes (linear probing, at most 3/4 full, backward-shift deletion) finds them by hash. Rankers' items,
/// scores and grades sit in a side dictionary, so classifiers do not pay for them. Entries labelled early or
/// replaced are skipped when the expiry cursor reaches them, and compacted away once they outnumber the live ones.
/// At 50,000 waiting that is ≈ 1.6 MB of arrays and 0.5 MB of table, against ≈ 8.7 MB for the dictionary and
/// expiry queue before. Two live request ids sharing a hash (odds ≈ 1e-10 at 50,000 waiting) share one entry.
public struct LabelJoiner<Instant: InstantProtocol & Sendable>: Sendable where Instant.Duration == Duration {
    /// A ranker's prediction: its items, their scores and the grades labels gave them.
    struct Ranking: Sendable {
        var items: [String]
        var scores: [Double]
        var grades: [String: Double] = [:]
    }

    /// Flag bits of an entry.
    private static var alive: UInt8 { 1 }
    private static var positive: UInt8 { 2 }
    private static var ranked: UInt8 { 4 }
    private static var empty: Int32 { -1 }

    /// How long a prediction waits for labels.
    public let ttl: Duration
    /// The most predictions held.
    public let capacity: Int
    /// The instant expiries are counted from (the first prediction's arrival).
    private var origin: Instant?
    // Entries in arrival order from `head` on (columns of one table).
    private var keys: [UInt64] = []
    /// The classifier score: the positive class's of two, else the first.
    private var scores: [Double] = []
    /// Nanoseconds after `origin`.
    private var expiries: [Int64] = []
    private var flags: [UInt8] = []
    private var head = 0
    private var live = 0
    /// Entries from `head` on that were labelled early or replaced.
    private var dead = 0
    /// Open addressing: an index into the columns, or `empty`; the size is a power of two.
    private var slots: [Int32] = []
    private var rankings: [UInt64: Ranking] = [:]

    /// Creates an empty joiner.
    public init(ttl: Duration, capacity: Int) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// Predictions waiting for labels.
    public var count: Int { live }

    /// Holds a prediction for joining; false when the bound is reached (the caller counts a drop).
    public mutating func addPrediction(_ event: PredictionEvent, now: Instant) -> Bool {
        guard !event.scores.isEmpty else { return true }
        let key = Self.key(event.requestID)
        if let found = find(key) {
            // A repeated request id replaces the waiting prediction (its grades start over).
            remove(slot: found.slot, index: found.index)
            dead += 1
        } else if live >= capacity {
            return false
        }
        compactIfWasteful()
        if origin == nil { origin = now }
        let scores = event.scores
        keys.append(key)
        self.scores.append(scores.count == 2 ? scores[1] : scores[0])
        expiries.append(ticks(now.advanced(by: ttl)))
        if let items = event.items {
            flags.append(Self.alive | Self.ranked)
            rankings[key] = Ranking(items: items, scores: scores)
        } else {
            flags.append(Self.alive)
        }
        live += 1
        if live * 4 > slots.count * 3 {
            rehash()
        } else {
            insert(index: keys.count - 1)
        }
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
        let key = Self.key(label.requestID)
        guard let (slot, index) = find(key) else { return false }
        let grade: Double
        switch label.kind {
        case .click: grade = 1
        case .addToCart: grade = 2
        case .purchase: grade = 3
        case .label: grade = label.value ?? 0
        }
        let ranked = flags[index] & Self.ranked != 0
        if ranked, let item = label.item, rankings[key]?.items.contains(item) == true {
            rankings[key]!.grades[item] = max(rankings[key]!.grades[item] ?? 0, grade)
            if grade > 0 { flags[index] |= Self.positive }
        } else if !ranked, label.kind == .label {
            let score = scores[index]
            remove(slot: slot, index: index)
            dead += 1
            matureClassifier(score: score, label: grade > 0 ? 1 : 0, into: &outcome)
            compactIfWasteful()
        } else {
            if grade > 0 { flags[index] |= Self.positive }
        }
        return true
    }

    /// Matures every prediction whose TTL ended by `now`, oldest first.
    public mutating func expire(now: Instant) -> JoinOutcome {
        var outcome = JoinOutcome()
        guard origin != nil else { return outcome }
        let limit = ticks(now)
        while head < keys.count, expiries[head] <= limit {
            let index = head
            head += 1
            guard flags[index] & Self.alive != 0 else {
                dead -= 1
                continue
            }
            let key = keys[index]
            let positive = flags[index] & Self.positive != 0
            var ranking: Ranking?
            if flags[index] & Self.ranked != 0 { ranking = rankings.removeValue(forKey: key) }
            if let slot = find(key)?.slot { removeSlot(slot) }
            flags[index] = 0
            live -= 1
            if let ranking, ranking.items.count == ranking.scores.count {
                outcome.matured += 1
                if positive { outcome.clicked += 1 }
                let relevances = ranking.items.map { ranking.grades[$0] ?? 0 }
                if relevances.contains(where: { $0 > 0 }) {
                    outcome.queries.append(RankedQuery(scores: ranking.scores, relevances: relevances))
                }
            } else {
                matureClassifier(score: scores[index], label: positive ? 1 : 0, into: &outcome)
            }
        }
        compactIfWasteful()
        return outcome
    }

    private func matureClassifier(score: Double, label: Double, into outcome: inout JoinOutcome) {
        outcome.matured += 1
        if label > 0 { outcome.clicked += 1 }
        outcome.scores.append(score)
        outcome.labels.append(label)
    }

    // MARK: Table

    /// `instant` as nanoseconds after `origin` (saturating far outside ±292 years).
    private func ticks(_ instant: Instant) -> Int64 {
        guard let origin else { return 0 }
        let (seconds, attoseconds) = origin.duration(to: instant).components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return nanos &+ attoseconds / 1_000_000_000
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: key) & (slots.count - 1)
    }

    /// The table slot and column index of a live entry.
    private func find(_ key: UInt64) -> (slot: Int, index: Int)? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = home(key)
        while true {
            let index = slots[slot]
            if index == Self.empty { return nil }
            if keys[Int(index)] == key { return (slot, Int(index)) }
            slot = (slot + 1) & mask
        }
    }

    /// Enters the column entry at `index` into the table (which has room and does not hold its key).
    private mutating func insert(index: Int) {
        let mask = slots.count - 1
        var slot = home(keys[index])
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    /// Marks a live entry dead and takes it out of the table.
    private mutating func remove(slot: Int, index: Int) {
        if flags[index] & Self.ranked != 0 { rankings[keys[index]] = nil }
        flags[index] = 0
        live -= 1
        removeSlot(slot)
    }

    /// Empties `slot`, shifting later entries of its probe run back so every entry stays reachable from its home.
    private mutating func removeSlot(_ slot: Int) {
        let mask = slots.count - 1
        var hole = slot
        var next = slot
        while true {
            next = (next + 1) & mask
            let index = slots[next]
            if index == Self.empty { break }
            let home = home(keys[Int(index)])
            // The entry may move back unless its home lies cyclically in (hole, next].
            let stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !stays {
                slots[hole] = index
                hole = next
            }
        }
        slots[hole] = Self.empty
    }

    /// Rebuilds the table for the live entries, at most 3/4 full.
    private mutating func rehash() {
        var size = 16
        while live * 4 > size * 3 { size *= 2 }
        slots = Array(repeating: Self.empty, count: size)
        for index in head..<keys.count where flags[index] & Self.alive != 0 { insert(index: index) }
    }

    /// Drops the consumed prefix and dead entries once they cost more than the live ones (amortised O(1)).
    private mutating func compactIfWasteful() {
        let wasted = head + dead
        guard wasted > 1024, wasted > live else { return }
        var keys: [UInt64] = [], scores: [Double] = [], expiries: [Int64] = [], flags: [UInt8] = []
        keys.reserveCapacity(live * 5 / 4)
        scores.reserveCapacity(live * 5 / 4)
        expiries.reserveCapacity(live * 5 / 4)
        flags.reserveCapacity(live * 5 / 4)
        for index in head..<self.keys.count where self.flags[index] & Self.alive != 0 {
            keys.append(self.keys[index])
            scores.append(self.scores[index])
            expiries.append(self.expiries[index])
            flags.append(self.flags[index])
        }
        (self.keys, self.scores, self.expiries, self.flags) = (keys, scores, expiries, flags)
        head = 0
        dead = 0
        rehash()
    }
}

import AgentCore
import DroverAPI
import Testing

/// The join semantics as a plain dictionary and expiry queue (what `LabelJoiner` did before its compact table),
/// keyed by the request id itself: the reference the table is checked against.
private struct ReferenceJoiner {
    struct Entry {
        var score: Double
        var expiresAt: Int
        var items: [String]?
        var scores: [Double]
        var grades: [String: Double] = [:]
        var positive = false
    }

    let ttl: Int
    let capacity: Int
    var pending: [String: Entry] = [:]
    var order: [(id: String, expiresAt: Int)] = []

    mutating func add(_ event: PredictionEvent, now: Int) -> Bool {
        guard !event.scores.isEmpty else { return true }
        if pending[event.requestID] == nil && pending.count >= capacity { return false }
        let s = event.scores
        pending[event.requestID] = Entry(score: s.count == 2 ? s[1] : s[0], expiresAt: now + ttl, items: event.items, scores: s)
        order.append((event.requestID, now + ttl))
        return true
    }

    mutating func label(_ label: LabelEvent, outcome: inout JoinOutcome) -> Bool {
        guard var entry = pending[label.requestID] else { return false }
        let grade: Double
        switch label.kind {
        case .click: grade = 1
        case .addToCart: grade = 2
        case .purchase: grade = 3
        case .label: grade = label.value ?? 0
        }
        if let items = entry.items, let item = label.item, items.contains(item) {
            entry.grades[item] = max(entry.grades[item] ?? 0, grade)
            if grade > 0 { entry.positive = true }
            pending[label.requestID] = entry
        } else if entry.items == nil, label.kind == .label {
            pending[label.requestID] = nil
            mature(entry, explicit: grade > 0 ? 1 : 0, into: &outcome)
        } else {
            if grade > 0 { entry.positive = true }
            pending[label.requestID] = entry
        }
        return true
    }

    mutating func expire(now: Int) -> JoinOutcome {
        var outcome = JoinOutcome()
        while let first = order.first, first.expiresAt <= now {
            order.removeFirst()
            if let entry = pending[first.id], entry.expiresAt == first.expiresAt {
                pending[first.id] = nil
                mature(entry, explicit: nil, into: &outcome)
            }
        }
        return outcome
    }

    func mature(_ entry: Entry, explicit: Double?, into outcome: inout JoinOutcome) {
        outcome.matured += 1
        if let items = entry.items, items.count == entry.scores.count {
            if entry.positive { outcome.clicked += 1 }
            let relevances = items.map { entry.grades[$0] ?? 0 }
            if relevances.contains(where: { $0 > 0 }) {
                outcome.queries.append(RankedQuery(scores: entry.scores, relevances: relevances))
            }
        } else {
            let label = explicit ?? (entry.positive ? 1 : 0)
            if label > 0 { outcome.clicked += 1 }
            outcome.scores.append(entry.score)
            outcome.labels.append(label)
        }
    }
}

/// A small deterministic generator (splitmix64), so a failing sequence can be replayed.
private struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite("Label join table")
struct LabelJoinerTableTests {
    let t0 = ContinuousClock.now

    func classifier(_ id: String, _ score: Double = 0.5) -> PredictionEvent {
        PredictionEvent(requestID: id, features: [:], scores: [score])
    }

    @Test("predictions mature oldest first, each when its own TTL ends")
    func evictionOrder() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(10), capacity: 100)
        for i in 0..<5 {
            let held = j.addPrediction(classifier("p\(i)", Double(i) / 10), now: t0.advanced(by: .seconds(i)))
            #expect(held)
        }
        let none = j.expire(now: t0.advanced(by: .milliseconds(9_999)))
        #expect(none.matured == 0)
        let first = j.expire(now: t0.advanced(by: .seconds(11)))
        #expect(first.scores == [0, 0.1], "p0 and p1 ended at 10 s and 11 s")
        let rest = j.expire(now: t0.advanced(by: .seconds(60)))
        #expect(rest.scores == [0.2, 0.3, 0.4])
        #expect(j.count == 0)
    }

    @Test("a repeated request id restarts its wait and keeps one entry")
    func replacement() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(10), capacity: 1)
        let first = j.addPrediction(classifier("same", 0.1), now: t0)
        let second = j.addPrediction(classifier("same", 0.9), now: t0.advanced(by: .seconds(5)))
        #expect(first && second, "replacing is not growing")
        #expect(j.count == 1)
        let early = j.expire(now: t0.advanced(by: .seconds(10)))
        #expect(early.matured == 0, "the first wait was replaced")
        let done = j.expire(now: t0.advanced(by: .seconds(15)))
        #expect(done.scores == [0.9])
    }

    @Test("the bound holds at capacity and frees places as predictions mature or are labelled")
    func boundFreesPlaces() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(10), capacity: 3)
        var outcome = JoinOutcome()
        func add(_ id: String, at seconds: Int) -> Bool {
            j.addPrediction(classifier(id), now: t0.advanced(by: .seconds(seconds)))
        }
        #expect([add("a", at: 0), add("b", at: 0), add("c", at: 0), add("d", at: 0)] == [true, true, true, false])
        let labelled = j.addLabel(LabelEvent(requestID: "b", kind: .label, value: 1), outcome: &outcome)
        #expect(labelled && outcome.labels == [1])
        #expect(j.count == 2)
        #expect([add("d", at: 1), add("e", at: 1)] == [true, false], "the labelled prediction's place is free")
        let matured = j.expire(now: t0.advanced(by: .seconds(10)))
        #expect(matured.matured == 2, "a and c")
        #expect([add("e", at: 10), add("f", at: 10), add("g", at: 10)] == [true, true, false])
        #expect(j.count == 3)
    }

    @Test("a full table of 50,000 keeps refusing, then takes new predictions after the TTL")
    func fullTable() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(600), capacity: 50_000)
        var refused = 0
        for i in 0..<60_000 {
            let held = j.addPrediction(classifier("req-\(i)"), now: t0.advanced(by: .milliseconds(i)))
            if !held { refused += 1 }
        }
        #expect(refused == 10_000)
        #expect(j.count == 50_000)
        var outcome = JoinOutcome()
        let waiting = j.addLabel(LabelEvent(requestID: "req-49999", kind: .click), outcome: &outcome)
        let refusedOne = j.addLabel(LabelEvent(requestID: "req-50000", kind: .click), outcome: &outcome)
        #expect(waiting && !refusedOne, "req-50000 was refused")
        let matured = j.expire(now: t0.advanced(by: .seconds(700)))
        #expect(matured.matured == 50_000)
        #expect(matured.clicked == 1)
        #expect(j.count == 0)
        let later = j.addPrediction(classifier("later"), now: t0.advanced(by: .seconds(700)))
        #expect(later)
    }

    @Test("random predictions, labels and expiries give what the dictionary-based joiner gave", arguments: [1, 2, 3, 4])
    func matchesReference(seed: Int) {
        var rng = SplitMix(state: UInt64(seed))
        let capacity = [50, 300, 2_000, 5_000][seed - 1]
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(20), capacity: capacity)
        var reference = ReferenceJoiner(ttl: 20_000, capacity: capacity)
        var now = 0
        let idSpace = capacity * 3
        for step in 0..<40_000 {
            now += rng.next(3)
            let id = "r\(rng.next(idSpace))"
            let at = t0.advanced(by: .milliseconds(now))
            switch rng.next(10) {
            case 0..<5:
                let ranked = rng.next(4) == 0
                let event = ranked
                    ? PredictionEvent(requestID: id, features: [:], scores: [0.9, 0.5, 0.1], items: ["x", "y", "z"])
                    : PredictionEvent(requestID: id, features: [:], scores: rng.next(2) == 0 ? [Double(step)] : [0, Double(step)])
                let held = j.addPrediction(event, now: at)
                #expect(held == reference.add(event, now: now))
            case 5..<9:
                let kinds: [LabelEvent.Kind] = [.click, .addToCart, .purchase, .label]
                let label = LabelEvent(
                    requestID: id, kind: kinds[rng.next(4)], value: Double(rng.next(2)), item: ["x", "y", "q", nil][rng.next(4)])
                var a = JoinOutcome(), b = JoinOutcome()
                let matched = j.addLabel(label, outcome: &a)
                let expected = reference.label(label, outcome: &b)
                #expect(matched == expected)
                #expect(a == b)
            default:
                let matured = j.expire(now: at)
                #expect(matured == reference.expire(now: now))
            }
            #expect(j.count == reference.pending.count)
        }
        let end = t0.advanced(by: .milliseconds(now + 30_000))
        let last = j.expire(now: end)
        #expect(last == reference.expire(now: now + 30_000))
        #expect(j.count == 0)
    }
}

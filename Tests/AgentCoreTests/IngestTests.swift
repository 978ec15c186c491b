import AgentCore
import DroverAPI
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Label join")
struct LabelJoinTests {
    let t0 = ContinuousClock.now

    @Test("clicks on ranked items become graded relevance when the TTL ends")
    func ranker() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(60), capacity: 10)
        var outcome = JoinOutcome()
        let r1 = j.addPrediction(PredictionEvent(requestID: "q1", features: [:], scores: [0.9, 0.5, 0.1], items: ["a", "b", "c"]), now: t0)
        #expect(r1)
        let r2 = j.addPrediction(PredictionEvent(requestID: "q2", features: [:], scores: [0.3, 0.2], items: ["d", "e"]), now: t0)
        #expect(r2)
        let r3 = j.addLabel(LabelEvent(requestID: "q1", kind: .click, item: "b"), outcome: &outcome)
        #expect(r3)
        let r4 = j.addLabel(LabelEvent(requestID: "q1", kind: .purchase, item: "b"), outcome: &outcome)
        #expect(r4)
        let r5 = j.addLabel(LabelEvent(requestID: "nope", kind: .click, item: "b"), outcome: &outcome)
        #expect(!r5)
        let early = j.expire(now: t0.advanced(by: .seconds(59)))
        #expect(early.matured == 0)
        let done = j.expire(now: t0.advanced(by: .seconds(60)))
        #expect(done.matured == 2)
        #expect(done.clicked == 1)
        #expect(done.queries == [RankedQuery(scores: [0.9, 0.5, 0.1], relevances: [0, 3, 0])])
        #expect(j.count == 0)
    }

    @Test("explicit labels complete classifier predictions at once; unclicked ones mature as negatives")
    func classifier() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(10), capacity: 10)
        var outcome = JoinOutcome()
        _ = j.addPrediction(PredictionEvent(requestID: "a", features: [:], scores: [0.8]), now: t0)
        _ = j.addPrediction(PredictionEvent(requestID: "b", features: [:], scores: [0.2, 0.7]), now: t0)
        _ = j.addPrediction(PredictionEvent(requestID: "c", features: [:], scores: [0.4]), now: t0)
        let r6 = j.addLabel(LabelEvent(requestID: "a", kind: .label, value: 1), outcome: &outcome)
        #expect(r6)
        #expect(outcome.scores == [0.8] && outcome.labels == [1])
        _ = j.addLabel(LabelEvent(requestID: "b", kind: .click), outcome: &outcome)
        let done = j.expire(now: t0.advanced(by: .seconds(11)))
        #expect(done.scores == [0.7, 0.4])
        #expect(done.labels == [1, 0])
        let r7 = j.addLabel(LabelEvent(requestID: "c", kind: .click), outcome: &outcome)
        #expect(!r7, "too late: past the TTL")
    }

    @Test("the bound refuses new predictions instead of growing")
    func bound() {
        var j = LabelJoiner<ContinuousClock.Instant>(ttl: .seconds(10), capacity: 2)
        let r8 = j.addPrediction(PredictionEvent(requestID: "1", features: [:], scores: [1]), now: t0)
        #expect(r8)
        let r9 = j.addPrediction(PredictionEvent(requestID: "2", features: [:], scores: [1]), now: t0)
        #expect(r9)
        let r10 = j.addPrediction(PredictionEvent(requestID: "3", features: [:], scores: [1]), now: t0)
        #expect(!r10)
        #expect(j.count == 2)
    }
}

@Suite("Log tail")
struct LogTailTests {
    func text(_ lines: [[UInt8]]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    @Test("follows appends and keeps partial lines until they end")
    func appends() {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let path = dir.file("events.jsonl")
        var tail = LogTail(path: path)
        #expect(tail.poll().isEmpty, "no file yet")
        appendText(path, "a\nb")
        #expect(text(tail.poll()) == ["a"])
        appendText(path, "c\nd\n")
        #expect(text(tail.poll()) == ["bc", "d"])
        #expect(tail.poll().isEmpty)
    }

    @Test("survives rotation: drains the old file, then reads the new one from its start")
    func rotation() {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let path = dir.file("events.jsonl")
        var tail = LogTail(path: path)
        appendText(path, "1\n")
        #expect(text(tail.poll()) == ["1"])
        appendText(path, "2\n")
        _ = rename(path, path + ".1")
        appendText(path, "3\n")
        #expect(text(tail.poll()) == ["2", "3"])
        appendText(path, "4\n")
        #expect(text(tail.poll()) == ["4"])
    }

    @Test("survives truncation: starts again from the beginning")
    func truncation() {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let path = dir.file("events.jsonl")
        var tail = LogTail(path: path)
        appendText(path, "first line\nsecond line\n")
        #expect(tail.poll().count == 2)
        _ = truncate(path, 0)
        appendText(path, "x\n")
        #expect(text(tail.poll()) == ["x"])
    }

    @Test("starting from the end skips what was already there")
    func fromEnd() {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let path = dir.file("events.jsonl")
        appendText(path, "old\n")
        var tail = LogTail(path: path, fromEnd: true)
        #expect(tail.poll().isEmpty)
        appendText(path, "new\n")
        #expect(text(tail.poll()) == ["new"])
    }
}

import DroverAPI
import Foundation
import RefModel
import Testing

@Suite("Traffic generator")
struct TrafficGeneratorTests {
    private func queries(seed: UInt64 = 5, count: Int = 300, shift: TrafficShift? = nil) -> [TrafficQuery] {
        var generator = TrafficGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextQuery(shift: shift) }
    }

    private func candidates(_ queries: [TrafficQuery]) -> [TrafficCandidate] { queries.flatMap(\.candidates) }

    @Test("the same seed gives the same stream; another seed another one")
    func determinism() {
        #expect(queries(seed: 9, count: 50) == queries(seed: 9, count: 50))
        #expect(queries(seed: 9, count: 50) != queries(seed: 10, count: 50))
    }

    @Test("queries carry 10–50 candidates with every schema feature and request ids")
    func shape() {
        let stream = queries(count: 200)
        #expect(stream.allSatisfy { (10...50).contains($0.candidates.count) })
        #expect(Set(stream.map(\.requestID)).count == stream.count)
        for candidate in candidates(stream).prefix(100) {
            #expect(Set(candidate.features.keys) == Set(FeatureSchema.ranker.names))
            #expect(candidate.row.count == 7)
            #expect((0...0.6).contains(candidate.features["discount"]?.number ?? -1))
        }
    }

    @Test("clicks follow the true click model: sampled labels separate by features")
    func meaningfulLabels() {
        var sampler = OutcomeSampler(seed: 5)
        var clickedSimilarity: [Double] = [], skippedSimilarity: [Double] = []
        for query in queries(count: 300) {
            let outcomes = sampler.outcomes(for: query, scores: query.candidates.map { Float($0.clickProbability) })
            for outcome in outcomes {
                let candidate = query.candidates.first { $0.item == outcome.item }!
                let similarity = candidate.features["text_similarity"]!.number!
                if outcome.clicked {
                    clickedSimilarity.append(similarity)
                } else {
                    skippedSimilarity.append(similarity)
                }
            }
        }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        #expect(clickedSimilarity.count > 200)
        #expect(mean(clickedSimilarity) - mean(skippedSimilarity) > 0.1)
    }

    @Test("inflation multiplies every price by 1.3")
    func inflation() {
        let before = candidates(queries(count: 100))
        let after = candidates(queries(count: 100, shift: .inflation))
        #expect(before.count == after.count)
        for (a, b) in zip(before, after) {
            let ratio = b.features["price"]!.number! / a.features["price"]!.number!
            #expect(abs(ratio - 1.3) < 0.01)
        }
    }

    @Test("seasonal moves the category mix towards garden, sports and toys")
    func seasonal() {
        func share(_ list: [TrafficCandidate]) -> Double {
            Double(list.count { ["garden", "sports", "toys"].contains($0.features["category"]!.categoryLabel) })
                / Double(list.count)
        }
        let before = share(candidates(queries(count: 400)))
        let after = share(candidates(queries(count: 400, shift: .seasonal)))
        #expect(after - before > 0.15, "share before \(before), after \(after)")
    }

    @Test("new_device brings an unknown device to about 20% of queries, encoded as -1")
    func newDevice() {
        let stream = queries(count: 1000, shift: .newDevice)
        let tv = stream.filter { $0.candidates[0].features["device"] == .string("smart_tv") }
        #expect(abs(Double(tv.count) / 1000 - 0.2) < 0.04)
        #expect(tv.allSatisfy { $0.candidates[0].row[6] == -1 })
        #expect(queries(count: 300).allSatisfy { $0.candidates[0].features["device"] != .string("smart_tv") })
    }

    @Test("shift triggers parse counts and durations")
    func triggers() {
        #expect(ShiftTrigger(parsing: "300") == .afterRequests(300))
        #expect(ShiftTrigger(parsing: "30s") == .afterSeconds(30))
        #expect(ShiftTrigger(parsing: "2m") == .afterSeconds(120))
        #expect(ShiftTrigger(parsing: "soon") == nil)
        #expect(ShiftTrigger.afterRequests(10).isActive(requestIndex: 10, elapsedSeconds: 0))
        #expect(!ShiftTrigger.afterSeconds(5).isActive(requestIndex: 99, elapsedSeconds: 4.9))
    }

    @Test("prediction and label events match the contracts in both granularities")
    func events() throws {
        let query = queries(count: 1)[0]
        let scores = query.candidates.map { Float($0.clickProbability) }
        var sampler = OutcomeSampler(seed: 1)
        let outcomes = sampler.outcomes(for: query, scores: scores)
        let perQuery = TrafficEvents.predictions(
            for: query, scores: scores, model: "ranker", version: "1", at: "2026-11-29T06:00:00Z", latencyMs: 1.5,
            granularity: .query)
        #expect(perQuery.count == 1)
        #expect(perQuery[0].requestID == query.requestID)
        #expect(perQuery[0].scores == perQuery[0].scores.sorted(by: >))
        #expect(perQuery[0].items?.count == query.candidates.count)
        #expect(perQuery[0].features == query.candidates[query.sampledIndex].features)
        let labels = TrafficEvents.labels(for: query, outcomes: outcomes, at: nil, granularity: .query)
        #expect(labels.allSatisfy { $0.requestID == query.requestID && ($0.kind == .click || $0.kind == .purchase) })
        #expect(labels.count { $0.kind == .click } == outcomes.count { $0.clicked })

        let perItem = TrafficEvents.predictions(
            for: query, scores: scores, model: "ranker", version: "1", at: nil, latencyMs: nil, granularity: .item)
        #expect(perItem.count == query.candidates.count)
        let itemLabels = TrafficEvents.labels(for: query, outcomes: outcomes, at: nil, granularity: .item)
        #expect(itemLabels.count { $0.kind == .label } == query.candidates.count)
        #expect(Set(itemLabels.map(\.requestID)) == Set(perItem.map(\.requestID)))
        let line = try TrafficFiles.jsonLine(perQuery[0])
        #expect(try DroverJSON.decode(PredictionEvent.self, from: Array(line.utf8)) == perQuery[0])
    }

    @Test("the golden set has click labels and graded relevance 0…3 per query")
    func golden() {
        let records = TrafficFiles.goldenSet(seed: 3, queries: 30)
        #expect(Set(records.compactMap(\.queryID)).count == 30)
        #expect(records.allSatisfy { $0.label == 0 || $0.label == 1 })
        #expect(Set(records.compactMap(\.relevance)) == [0, 1, 2, 3])
        #expect(records == TrafficFiles.goldenSet(seed: 3, queries: 30))
    }

    @Test("the reference CSV has the schema columns, a label and a score")
    func referenceCSV() {
        let text = TrafficFiles.referenceCSV(seed: 4, rows: 50)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 51)
        #expect(lines[0] == "price,discount,category,popularity,text_similarity,user_activity,device,label,score")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 9 })
    }
}

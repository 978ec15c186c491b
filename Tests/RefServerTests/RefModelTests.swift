import DroverAPI
import RefModel
import Testing

@Suite("Reference model versions")
struct RefModelTests {
    @Test("the int8 version really stores Int8 weights and biases, at about a quarter of the float32 bytes")
    func int8Storage() throws {
        let base = try #require(RefModelCatalog.version("1"))
        let int8 = try #require(RefModelCatalog.version("2"))
        #expect(int8.precision == "int8")
        for layer in [int8.model.hidden, int8.model.output] {
            guard case .int8(let values, let scale) = layer.weights else {
                Issue.record("weights are not stored as Int8")
                return
            }
            #expect(values.count == layer.rows * layer.columns)
            #expect(scale > 0)
            guard case .int8 = layer.bias else {
                Issue.record("biases are not stored as Int8")
                return
            }
        }
        #expect(int8.parameterCount == base.parameterCount)
        let ratio = Double(int8.bytes) / Double(base.bytes)
        #expect(ratio > 0.25 && ratio < 0.28, "bytes ratio \(ratio)")
    }

    @Test("int8 outputs are close to float32 but not identical")
    func int8Fidelity() throws {
        let rows = VersionComparison.compareAll(queries: 100)
        let int8 = try #require(rows.first { $0.version == "2" })
        #expect(int8.meanAbsDiff > 0)
        #expect(int8.meanAbsDiff < 0.005)
        #expect(int8.maxAbsDiff < 0.03)
        #expect(int8.top10Overlap > 0.95)
        #expect(abs(int8.rocAUC - rows[0].rocAUC) < 0.01)
    }

    @Test("the pruned version zeroes half the weights and stores only the rest in sparse rows")
    func pruned() throws {
        let pruned = try #require(RefModelCatalog.version("3"))
        let base = try #require(RefModelCatalog.version("1"))
        #expect(pruned.precision == "float32-sparse")
        for (layer, baseLayer) in [(pruned.model.hidden, base.model.hidden), (pruned.model.output, base.model.output)] {
            guard case .sparse(let rowStart, let columns, let values) = layer.weights else {
                Issue.record("weights are not sparse")
                return
            }
            let total = layer.rows * layer.columns
            #expect(values.count == total - Int((Double(total) * 0.5).rounded()))
            #expect(columns.count == values.count)
            #expect(rowStart.count == layer.rows + 1)
            // The kept weights are the largest in magnitude.
            let keptMin = values.map(abs).min() ?? 0
            let dense = baseLayer.denseWeights.map(abs).sorted()
            #expect(keptMin >= dense[total - values.count - 1])
        }
        #expect(abs(pruned.sparsity - 0.48) < 0.03)
        #expect(pruned.bytes < base.bytes)
        #expect(pruned.footprint.sparsity != nil)
    }

    @Test("the degraded version has clearly lower AUC and NDCG than the baseline")
    func degraded() throws {
        let rows = VersionComparison.compareAll(queries: 200)
        let base = try #require(rows.first { $0.version == "1" })
        let bad = try #require(rows.first { $0.version == "4" })
        #expect(base.rocAUC > 0.75)
        #expect(base.rocAUC - bad.rocAUC > 0.05, "baseline \(base.rocAUC) degraded \(bad.rocAUC)")
        #expect(base.ndcgAt10 - bad.ndcgAt10 > 0.08)
    }

    @Test("training is deterministic for a seed")
    func deterministicTraining() {
        let a = RankerTrainer.train(seed: 11, samples: 300, epochs: 1)
        let b = RankerTrainer.train(seed: 11, samples: 300, epochs: 1)
        let c = RankerTrainer.train(seed: 12, samples: 300, epochs: 1)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("the schema encodes categoricals as codes and unknown values as -1")
    func schemaEncoding() throws {
        let row = try FeatureSchema.ranker.encode([
            "price": .number(10), "discount": .number(0.1), "category": .string("books"), "popularity": .number(0.5),
            "text_similarity": .number(0.7), "user_activity": .number(3), "device": .string("smart_tv"),
        ])
        #expect(row == [10, 0.1, 6, 0.5, 0.7, 3, -1])
        #expect(throws: FeatureSchemaError.missing("price")) { try FeatureSchema.ranker.encode([:]) }
    }

    @Test("ROC AUC and NDCG give the textbook values")
    func metrics() {
        #expect(RankingMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
        #expect(RankingMetrics.ndcg(rankedRelevance: [3, 2, 0], k: 10) == 1)
        #expect(RankingMetrics.ndcg(rankedRelevance: [0, 0, 3], k: 10) < 0.6)
    }
}

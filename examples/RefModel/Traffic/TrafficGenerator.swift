import DroverAPI
import Foundation

/// One candidate item of a generated query.
public struct TrafficCandidate: Sendable, Equatable {
    /// The item id.
    public var item: String
    /// The features by name, as sent in prediction events.
    public var features: [String: FeatureValue]
    /// The features as one FP32 tensor row in schema order (categoricals as codes).
    public var row: [Float]
    /// The true click probability at the top position.
    public var clickProbability: Double
    /// The graded relevance 0…3 derived from the true click probability.
    public var relevance: Int
}

/// One generated search request: a query with 10–50 candidate items to rank.
public struct TrafficQuery: Sendable, Equatable {
    /// The 0-based index of the query in the stream.
    public var index: Int
    /// The query id.
    public var queryID: String
    /// The request id sent as the OIP `id` and used to join labels.
    public var requestID: String
    /// Whether the scenario shift applied to this query.
    public var shifted: Bool
    /// The candidate items.
    public var candidates: [TrafficCandidate]
    /// The candidate whose features a per-query prediction event carries (chosen uniformly at random).
    public var sampledIndex: Int

    /// The candidates' rows flattened in row-major order (the OIP `data` of a `[N, F]` FP32 tensor).
    public var flatRows: [Float] { candidates.flatMap(\.row) }
}

/// A seeded generator of realistic shop traffic: the same seed always gives the same stream of queries.
public struct TrafficGenerator: Sendable {
    /// The schema of the generated rows.
    public let schema: FeatureSchema
    /// The range of candidates per query.
    public let itemsPerQuery: ClosedRange<Int>
    /// The seed the stream was started from.
    public let seed: UInt64
    /// How many queries were generated so far.
    public private(set) var emitted = 0
    private var rng: SeededGenerator

    /// The category mix of normal traffic (same order as `FeatureSchema.categories`).
    public static let categoryMix: [Double] = [0.16, 0.14, 0.10, 0.08, 0.07, 0.06, 0.10, 0.09, 0.04, 0.05, 0.06, 0.05]
    /// The category mix of the seasonal shift.
    public static let seasonalMix: [Double] = [0.06, 0.10, 0.08, 0.06, 0.16, 0.16, 0.04, 0.08, 0.14, 0.04, 0.04, 0.04]
    /// Median price per category.
    public static let medianPrice: [Double] = [120, 45, 60, 25, 55, 30, 15, 8, 40, 70, 20, 25]
    /// Device shares of normal traffic (web, ios, android).
    public static let deviceMix: [Double] = [0.45, 0.30, 0.25]

    /// Creates a generator.
    public init(seed: UInt64, schema: FeatureSchema = .ranker, itemsPerQuery: ClosedRange<Int> = 10...50) {
        self.seed = seed
        self.schema = schema
        self.itemsPerQuery = itemsPerQuery
        self.rng = SeededGenerator(seed: seed)
    }

    /// Generates the next query; `shift`, when given, changes the distributions as the scenario says.
    public mutating func nextQuery(shift: TrafficShift? = nil) -> TrafficQuery {
        let index = emitted
        emitted += 1
        let mix = shift == .seasonal ? Self.seasonalMix : Self.categoryMix
        let userActivity = min(500, Foundation.round(rng.logNormal(mu: Foundation.log(8), sigma: 1.0)))
        let device: String
        if shift == .newDevice, rng.bernoulli(0.2) {
            device = TrafficShift.newDeviceName
        } else {
            device = FeatureSchema.devices[rng.pick(weights: Self.deviceMix)]
        }
        let queryCategory = rng.pick(weights: mix)
        let count = rng.integer(in: itemsPerQuery)
        var candidates: [TrafficCandidate] = []
        candidates.reserveCapacity(count)
        for _ in 0..<count {
            let category = rng.bernoulli(0.65) ? queryCategory : rng.pick(weights: mix)
            let relevant = (category == queryCategory && rng.bernoulli(0.5)) || rng.bernoulli(0.05)
            var price = rng.logNormal(mu: Foundation.log(Self.medianPrice[category]), sigma: 0.6)
            if shift == .inflation { price *= TrafficShift.inflationFactor }
            price = (price * 100).rounded() / 100
            let discount = rng.bernoulli(0.5) ? 0 : (rng.uniform(0.05, 0.6) * 100).rounded() / 100
            let popularity = (Foundation.pow(rng.uniform(), 2) * 1000).rounded() / 1000
            let similarity = (min(1, max(0, rng.normal(mean: relevant ? 0.7 : 0.3, sd: 0.15))) * 1000).rounded() / 1000
            let itemNumber = rng.integer(in: 0...4999)
            let categoryName = FeatureSchema.categories[category]
            let item =
                "\(categoryName)-\(String(repeating: "0", count: 4 - min(4, String(itemNumber).count)))\(itemNumber)"
            let features: [String: FeatureValue] = [
                "price": .number(price), "discount": .number(discount), "category": .string(categoryName),
                "popularity": .number(popularity), "text_similarity": .number(similarity),
                "user_activity": .number(userActivity), "device": .string(device),
            ]
            let p = TrueClickModel.clickProbability(
                price: price, discount: discount, category: category, popularity: popularity,
                textSimilarity: similarity, userActivity: userActivity, device: device)
            let row = (try? schema.encode(features)) ?? []
            candidates.append(
                TrafficCandidate(
                    item: item, features: features, row: row, clickProbability: p,
                    relevance: TrueClickModel.relevance(clickProbability: p)))
        }
        let sampled = rng.integer(in: 0...(count - 1))
        let tag = String(seed, radix: 16)
        return TrafficQuery(
            index: index, queryID: "q-\(tag)-\(index)", requestID: "req-\(tag)-\(index)", shifted: shift != nil,
            candidates: candidates, sampledIndex: sampled)
    }
}

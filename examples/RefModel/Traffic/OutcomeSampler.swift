import DroverAPI
import Foundation

/// Samples what users did with a ranked result list (clicks, purchases) from the true click model.
///
/// It has its own random stream, so the query stream stays the same whatever the served model answers.
public struct OutcomeSampler: Sendable {
    private var rng: SeededGenerator

    /// Creates a sampler; use the traffic seed so a run is reproducible.
    public init(seed: UInt64) {
        self.rng = SeededGenerator(seed: seed).derived(0x0C7C0_3E5)
    }

    /// One observed outcome for an item.
    public struct Outcome: Sendable, Equatable {
        /// The item.
        public var item: String
        /// The 0-based position it was shown at.
        public var rank: Int
        /// Whether it was clicked.
        public var clicked: Bool
        /// Whether it was bought (implies clicked).
        public var purchased: Bool
        /// The amount paid, when bought.
        public var amount: Double?
    }

    /// Ranks the candidates by `scores` (highest first) and samples a click and purchase outcome for each.
    public mutating func outcomes(for query: TrafficQuery, scores: [Float]) -> [Outcome] {
        let order = query.candidates.indices.sorted { (scores[safe: $0] ?? 0, -$0) > (scores[safe: $1] ?? 0, -$1) }
        return order.enumerated().map { rank, index in
            let candidate = query.candidates[index]
            let clicked = rng.bernoulli(candidate.clickProbability * TrueClickModel.positionBias(rank: rank))
            let discount = candidate.features["discount"]?.number ?? 0
            let purchased = clicked && rng.bernoulli(0.08 + 0.3 * discount)
            let price = candidate.features["price"]?.number ?? 0
            return Outcome(
                item: candidate.item, rank: rank, clicked: clicked, purchased: purchased,
                amount: purchased ? ((price * (1 - discount)) * 100).rounded() / 100 : nil)
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

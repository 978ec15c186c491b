import Foundation

/// The "true" user behaviour behind the synthetic traffic: the click probability of an item given its features.
///
/// The served models try to learn this; clicks and purchases are sampled from it, so labels are meaningful.
public enum TrueClickModel {
    static let categoryAffinity: [Double] = [0.2, 0.1, 0, 0.1, -0.1, 0.2, -0.2, -0.3, 0, -0.2, 0, 0.1]
    static let deviceEffect: [String: Double] = ["web": 0, "ios": 0.25, "android": -0.1]

    /// The click probability for one item shown at the top position.
    public static func clickProbability(
        price: Double, discount: Double, category: Int, popularity: Double, textSimilarity: Double,
        userActivity: Double, device: String
    ) -> Double {
        let priceStd = Foundation.log(max(price, 0.01)) - 3.4
        var z = -2.3
        z += 2.4 * (2 * textSimilarity - 1)
        z += 0.9 * (2 * popularity - 1)
        z -= 0.5 * priceStd
        z += 2.0 * discount + 1.2 * discount * max(0, priceStd)
        z += 0.3 * Foundation.tanh(Foundation.log1p(max(userActivity, 0)) - 2)
        z += categoryAffinity.indices.contains(category) ? categoryAffinity[category] : 0
        z += deviceEffect[device] ?? -0.4
        if textSimilarity > 0.8 { z += 0.6 }
        return 1 / (1 + Foundation.exp(-z))
    }

    /// The graded relevance (0…3) of an item with this click probability.
    public static func relevance(clickProbability p: Double) -> Int {
        switch p {
        case ..<0.08: return 0
        case ..<0.2: return 1
        case ..<0.4: return 2
        default: return 3
        }
    }

    /// How much less likely a click is at 0-based position `rank` than at the top (1 / log2(rank + 2)).
    public static func positionBias(rank: Int) -> Double {
        1 / Foundation.log2(Double(rank) + 2)
    }
}

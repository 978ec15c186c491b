import Foundation

/// The reference click/relevance model: a fixed input transform, then a small MLP (20 → 16 tanh → 1 sigmoid).
///
/// The input transform turns a schema row (7 FP32 values) into 20 model inputs: five scaled numerics
/// (log price, discount, popularity, text similarity, log user activity), a one-hot of the 12
/// categories and a one-hot of the 3 known devices (an unknown code gives all zeros).
public struct RankerModel: Sendable, Equatable {
    /// The schema rows must follow.
    public let schema: FeatureSchema
    /// The hidden layer.
    public let hidden: DenseLayer
    /// The output layer (one logit).
    public let output: DenseLayer

    /// The width of the transformed input.
    public static let inputWidth = 5 + FeatureSchema.categories.count + FeatureSchema.devices.count
    /// The hidden layer's width.
    public static let hiddenWidth = 16

    /// Creates a model from its layers.
    public init(schema: FeatureSchema = .ranker, hidden: DenseLayer, output: DenseLayer) {
        self.schema = schema
        self.hidden = hidden
        self.output = output
    }

    /// Parameters of the architecture (weights + biases).
    public var parameterCount: Int { hidden.parameterCount + output.parameterCount }
    /// Non-zero weights plus biases (differs from `parameterCount` when pruned).
    public var nonZeroParameterCount: Int {
        hidden.weights.nonZeroCount + output.weights.nonZeroCount + hidden.rows + output.rows
    }
    /// Stored bytes of all weights, biases and scales.
    public var bytes: Int { hidden.bytes + output.bytes }

    /// The click probability for one schema row (7 values, categoricals as codes).
    public func score(row: [Float]) -> Float {
        let x = Self.transform(row)
        let h = hidden.apply(x).map { Foundation.tanh($0) }
        let logit = output.apply(h)[0]
        return 1 / (1 + Foundation.exp(-logit))
    }

    /// Scores `count` rows given flat in row-major order.
    public func score(flat: [Float], count: Int) -> [Float] {
        let width = schema.width
        return (0..<count).map { index in score(row: Array(flat[(index * width)..<((index + 1) * width)])) }
    }

    /// The fixed input transform from a schema row to the MLP's 20 inputs.
    public static func transform(_ row: [Float]) -> [Float] {
        var x = [Float](repeating: 0, count: inputWidth)
        let price = max(row[0], 0.01)
        x[0] = (Foundation.log(price) - 3.4) / 1.0
        x[1] = row[1] / 0.3 - 1
        x[2] = row[3] * 2 - 1
        x[3] = row[4] * 2 - 1
        x[4] = (Foundation.log1p(max(row[5], 0)) - 2) / 1.0
        let category = Int(row[2])
        if category >= 0, category < FeatureSchema.categories.count { x[5 + category] = 1 }
        let device = Int(row[6])
        if device >= 0, device < FeatureSchema.devices.count { x[5 + FeatureSchema.categories.count + device] = 1 }
        return x
    }
}

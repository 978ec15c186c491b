#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A number that may be NaN or infinite on the wire: JSON numbers, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
///
/// Training jobs must be able to report a NaN loss; plain JSON cannot carry one.
public struct LenientDouble: Codable, Sendable, Equatable, Hashable {
    /// The value (possibly NaN or ±infinity).
    public var value: Double

    /// Wraps a value.
    public init(_ value: Double) { self.value = value }

    /// Decodes a number or one of the non-finite spellings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        let text = try container.decode(String.self)
        switch text.lowercased() {
        case "nan", "-nan": value = .nan
        case "inf", "+inf", "infinity", "+infinity": value = .infinity
        case "-inf", "-infinity": value = -.infinity
        default:
            if let number = Double(text) {
                value = number
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, \"NaN\" or \"Infinity\", got \"\(text)\"")
            }
        }
    }

    /// Encodes finite values as numbers and the rest as strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isNaN {
            try container.encode("NaN")
        } else if value.isInfinite {
            try container.encode(value > 0 ? "Infinity" : "-Infinity")
        } else {
            try container.encode(value)
        }
    }

    /// Equality that treats NaN as equal to NaN (wire round-trips must compare equal).
    public static func == (lhs: LenientDouble, rhs: LenientDouble) -> Bool {
        (lhs.value.isNaN && rhs.value.isNaN) || lhs.value == rhs.value
    }

    /// Hashes NaNs alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    }
}

/// One optimisation step of a (re)training run: loss and gradient norms, posted by the training job.
public struct TrainingStep: Codable, Sendable, Equatable {
    /// Wire schema version.
    public var schemaVersion: Int
    /// The training run.
    public var runID: String
    /// Step number (non-negative, increasing within a run).
    public var step: Int
    /// Training loss (may be NaN/Inf: that is what the monitor is for).
    public var loss: LenientDouble
    /// Global gradient norm (may be NaN/Inf).
    public var gradNorm: LenientDouble
    /// Optional per-layer gradient norms.
    public var layerNorms: [String: LenientDouble]?
    /// Optional learning rate.
    public var learningRate: Double?
    /// When the step finished.
    public var at: Date?

    /// Creates a step record.
    public init(
        schemaVersion: Int = DroverAPIInfo.schemaVersion, runID: String, step: Int, loss: Double, gradNorm: Double,
        layerNorms: [String: Double]? = nil, learningRate: Double? = nil, at: Date? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.runID = runID
        self.step = step
        self.loss = LenientDouble(loss)
        self.gradNorm = LenientDouble(gradNorm)
        self.layerNorms = layerNorms?.mapValues(LenientDouble.init)
        self.learningRate = learningRate
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", runID = "run_id", step, loss, gradNorm = "grad_norm"
        case layerNorms = "layer_norms", learningRate = "learning_rate", at
    }
}

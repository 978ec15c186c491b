import DroverAPI

/// One servable version of the reference ranker, with its size, precision and lineage.
public struct RefModelVersion: Sendable {
    /// The version id ("1"…"4").
    public let id: String
    /// What this version is, in a few words.
    public let summary: String
    /// The model itself.
    public let model: RankerModel
    /// How it was derived from another version, if it was.
    public let lineage: Lineage?

    /// Creates a version.
    public init(id: String, summary: String, model: RankerModel, lineage: Lineage? = nil) {
        self.id = id
        self.summary = summary
        self.model = model
        self.lineage = lineage
    }

    /// The weight precision: `float32`, `int8` or `float32-sparse`.
    public var precision: String { model.hidden.weights.precision }
    /// Parameters of the architecture (weights + biases).
    public var parameterCount: Int { model.parameterCount }
    /// Parameters that are not pruned away.
    public var nonZeroParameterCount: Int { model.nonZeroParameterCount }
    /// Stored bytes of weights, biases and scales.
    public var bytes: Int { model.bytes }
    /// The share of weights that are zero.
    public var sparsity: Double { 1 - Double(nonZeroParameterCount) / Double(parameterCount) }

    /// The footprint as the registry contract describes it.
    public var footprint: ModelFootprint {
        ModelFootprint(
            precision: precision, parameterCount: parameterCount, bytes: bytes,
            sparsity: sparsity > 0 ? sparsity : nil)
    }

    /// Scores rows given flat in row-major order.
    public func score(flat: [Float], count: Int) -> [Float] { model.score(flat: flat, count: count) }
}

/// The versions of the reference ranker: "1" float32 baseline, "2" int8 copy, "3" pruned copy, "4" degraded.
public enum RefModelCatalog {
    /// Every version id, in order.
    public static let versionIDs = ["1", "2", "3", "4"]

    /// The model's name on the wire.
    public static let modelName = "ranker"

    /// The trained float32 baseline (computed once per process, deterministically).
    public static let baseline: RankerModel = RankerTrainer.train()

    /// All versions, computed once per process.
    public static let all: [RefModelVersion] = versionIDs.map { makeVersion($0)! }

    /// Looks up a version by id.
    public static func version(_ id: String) -> RefModelVersion? { all.first { $0.id == id } }

    /// The fraction of weights pruned in version "3".
    public static let pruneFraction = 0.5

    private static func makeVersion(_ id: String) -> RefModelVersion? {
        let base = baseline
        switch id {
        case "1":
            return RefModelVersion(id: "1", summary: "float32 baseline", model: base)
        case "2":
            return RefModelVersion(
                id: "2", summary: "int8 quantized copy of 1 (per-tensor symmetric scales)",
                model: RankerModel(hidden: base.hidden.quantizedInt8(), output: base.output.quantizedInt8()),
                lineage: Lineage(
                    derivedFrom: "1", method: .quantize,
                    parameters: ["dtype": "int8", "scheme": "symmetric-per-tensor"]))
        case "3":
            return RefModelVersion(
                id: "3", summary: "pruned copy of 1 (50% smallest-magnitude weights zeroed, sparse rows)",
                model: RankerModel(
                    hidden: base.hidden.pruned(fraction: pruneFraction),
                    output: base.output.pruned(fraction: pruneFraction)),
                lineage: Lineage(
                    derivedFrom: "1", method: .prune, parameters: ["sparsity": "0.5", "criterion": "magnitude"]))
        case "4":
            return RefModelVersion(
                id: "4",
                summary:
                    "degraded copy of 1 (discount/popularity inputs swapped, text similarity damped, noisy weights)",
                model: degrade(base),
                lineage: Lineage(derivedFrom: "1", method: .finetune, parameters: ["note": "deliberately degraded"]))
        default:
            return nil
        }
    }

    /// A clearly worse model: discount and popularity inputs swapped, text similarity damped to 30%, weight noise.
    static func degrade(_ base: RankerModel) -> RankerModel {
        var rng = SeededGenerator(seed: 404)
        let n = base.hidden.columns
        let hidden = base.hidden.mapped(
            weights: { w in
                var out = w
                let std = (w.reduce(Float(0)) { $0 + $1 * $1 } / Float(w.count)).squareRoot()
                for r in 0..<base.hidden.rows {
                    out[r * n + 1] = w[r * n + 2]
                    out[r * n + 2] = w[r * n + 1]
                    out[r * n + 3] = w[r * n + 3] * 0.3
                }
                return out.map { $0 + Float(rng.normal(sd: Double(std) * 1.0)) }
            }, bias: { $0 })
        return RankerModel(hidden: hidden, output: base.output)
    }
}

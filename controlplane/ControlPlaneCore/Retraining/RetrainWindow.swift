#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One evaluation window of a model's fleet health, as the retrain trigger sees it.
public struct RetrainWindow: Sendable, Equatable {
    /// The model.
    public var model: String
    /// Start of the window.
    public var start: Date
    /// End of the window.
    public var end: Date
    /// Fleet PSI per feature (on merged counts).
    public var featurePSI: [String: Double]
    /// Validation metrics (e.g. `ndcg_at_10`).
    public var validation: [String: Double]
    /// Versions serving in the window.
    public var versions: [String]
    /// Zones reporting in the window.
    public var zones: [String]

    /// Creates a window.
    public init(
        model: String, start: Date, end: Date, featurePSI: [String: Double], validation: [String: Double] = [:],
        versions: [String] = [], zones: [String] = []
    ) {
        self.model = model
        self.start = start
        self.end = end
        self.featurePSI = featurePSI
        self.validation = validation
        self.versions = versions
        self.zones = zones
    }
}

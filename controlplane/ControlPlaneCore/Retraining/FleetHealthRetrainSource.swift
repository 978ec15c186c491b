import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds one retrain window per model from fleet health over the last interval.
///
/// A feature's PSI is the highest over the model's version × zone groups with at least `minDriftSamples`
/// values; validation metrics are averaged over groups weighted by their sample counts.
public struct FleetHealthRetrainSource: RetrainWindowSource {
    private let fleet: FleetHealthService
    private let windowSeconds: Double
    private let minDriftSamples: Int

    /// Creates the source (window: 300 s, at least 500 values per feature).
    public init(fleet: FleetHealthService, windowSeconds: Double = 300, minDriftSamples: Int = 500) {
        self.fleet = fleet
        self.windowSeconds = windowSeconds
        self.minDriftSamples = minDriftSamples
    }

    /// The windows ending at `now`.
    public func windows(at now: Date) async throws -> [RetrainWindow] {
        let start = now.addingTimeInterval(-windowSeconds)
        return Self.windows(from: try await fleet.health(from: start, to: now), start: start, end: now, minDriftSamples: minDriftSamples)
    }

    /// One window per model of `health`.
    public static func windows(from health: FleetHealth, start: Date, end: Date, minDriftSamples: Int = 500) -> [RetrainWindow] {
        var windows: [String: RetrainWindow] = [:]
        var validationSums: [String: [String: (sum: Double, n: Double)]] = [:]
        for group in health.groups {
            var window = windows[group.model] ?? RetrainWindow(model: group.model, start: start, end: end, featurePSI: [:])
            if !window.versions.contains(group.version) { window.versions.append(group.version) }
            if !group.zone.isEmpty && !window.zones.contains(group.zone) { window.zones.append(group.zone) }
            for feature in group.drift where feature.role == "feature" && feature.n >= minDriftSamples {
                guard let psi = feature.score?.psi, psi.isFinite else { continue }
                window.featurePSI[feature.name] = max(window.featurePSI[feature.name] ?? 0, psi)
            }
            if let validation = group.validation {
                let weight = Double(max(validation.n, 1))
                for (metric, value) in validation.metrics where value.isFinite {
                    let current = validationSums[group.model, default: [:]][metric] ?? (0, 0)
                    validationSums[group.model, default: [:]][metric] = (current.sum + value * weight, current.n + weight)
                }
            }
            windows[group.model] = window
        }
        return windows.keys.sorted().compactMap { model in
            guard var window = windows[model] else { return nil }
            window.validation = (validationSums[model] ?? [:]).mapValues { $0.sum / $0.n }
            window.versions.sort()
            window.zones.sort()
            return window
        }
    }
}

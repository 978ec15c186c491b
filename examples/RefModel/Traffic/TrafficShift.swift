import Foundation

/// A change in the traffic, for drift demos; applied from a chosen point of the stream onwards.
public enum TrafficShift: String, CaseIterable, Sendable, Codable {
    /// The category mix moves (garden, sports and toys grow; electronics and books shrink).
    case seasonal
    /// Every price is multiplied by 1.3.
    case inflation
    /// A device the model never saw (`smart_tv`) takes 20% of the traffic.
    case newDevice = "new_device"

    /// The price multiplier of the inflation shift.
    public static let inflationFactor = 1.3
    /// The device that appears in the new-device shift.
    public static let newDeviceName = "smart_tv"
}

/// When a shift starts: after a number of queries or after some seconds of traffic.
public enum ShiftTrigger: Sendable, Equatable {
    /// From the query with this 0-based index on.
    case afterRequests(Int)
    /// From this many seconds after the start on.
    case afterSeconds(Double)

    /// Parses `300` (requests), `30s`, `2m` or `1.5h`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let count = Int(trimmed) { self = .afterRequests(count); return }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value >= 0 {
                self = .afterSeconds(value * factor)
                return
            }
        }
        return nil
    }

    /// Whether the shift is active for the query with this index, sent this many seconds after the start.
    public func isActive(requestIndex: Int, elapsedSeconds: Double) -> Bool {
        switch self {
        case .afterRequests(let count): return requestIndex >= count
        case .afterSeconds(let seconds): return elapsedSeconds >= seconds
        }
    }
}

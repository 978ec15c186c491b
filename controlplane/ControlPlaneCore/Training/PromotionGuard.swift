/// Decides whether a version may become stable; the registry asks before promoting.
public protocol PromotionGuard: Sendable {
    /// Why a version trained by `runID` must not become stable without an explicit override, or nil if it may.
    func promotionBlocked(runID: String) async throws -> String?
}

/// A guard that never blocks (for deployments without the training monitor, and tests).
public struct AllowAllPromotionGuard: PromotionGuard {
    /// Creates the guard.
    public init() {}

    /// Never blocks.
    public func promotionBlocked(runID: String) async throws -> String? { nil }
}

import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns "last heard from" into active → stale → lost.
public struct LivenessPolicy: Sendable, Equatable {
    /// Silent longer than this: stale.
    public var staleAfter: TimeInterval
    /// Silent longer than this: lost.
    public var lostAfter: TimeInterval

    /// Creates a policy (defaults: stale after 3 minutes, lost after 10).
    public init(staleAfter: TimeInterval = 180, lostAfter: TimeInterval = 600) {
        self.staleAfter = staleAfter
        self.lostAfter = max(lostAfter, staleAfter)
    }

    /// The state of an agent last seen at `lastSeen` (or enrolled at `enrolledAt` if never seen).
    public func state(lastSeen: Date?, enrolledAt: Date, now: Date) -> AgentInfo.State {
        let silence = now.timeIntervalSince(lastSeen ?? enrolledAt)
        if silence > lostAfter { return .lost }
        if silence > staleAfter { return .stale }
        return .active
    }
}

/// The local guard as a pure state machine: K consecutive failed probes, or a validation metric under its floor
/// for W consecutive windows, ask for one failover to the backup version; it never switches back by itself.
public struct LocalGuard: Sendable, Equatable {
    /// What the guard watches.
    public struct Policy: Sendable, Equatable {
        /// Whether the guard may act at all.
        public var enabled: Bool
        /// Consecutive failed probes that trigger a failover (K).
        public var failureThreshold: Int
        /// The watched validation metric and its floor.
        public var validationMetric: String?
        /// Floor of the metric.
        public var validationFloor: Double?
        /// Windows under the floor that trigger a failover (W).
        public var validationWindows: Int
        /// The version to fail over to.
        public var backupVersion: String?

        /// Creates a policy.
        public init(
            enabled: Bool = true, failureThreshold: Int, validationMetric: String? = nil, validationFloor: Double? = nil,
            validationWindows: Int = 3, backupVersion: String?
        ) {
            self.enabled = enabled
            self.failureThreshold = failureThreshold
            self.validationMetric = validationMetric
            self.validationFloor = validationFloor
            self.validationWindows = validationWindows
            self.backupVersion = backupVersion
        }
    }

    /// Where the guard is.
    public enum State: Sendable, Equatable {
        /// Watching; may fail over.
        case armed
        /// A failover is in progress.
        case switching(to: String)
        /// Failed over (or tried to); waits for an operator or the control plane to set a version.
        case failedOver(to: String)
    }

    /// Something the guard learns.
    public enum Event: Sendable, Equatable {
        /// A probe finished.
        case probe(ok: Bool)
        /// A window closed with the watched metric's value (nil: not measured in that window).
        case windowClosed(metric: Double?)
        /// The failover switch finished.
        case switchFinished(ok: Bool)
        /// The served version was set deliberately (plan executor); the guard re-arms.
        case versionSetByPlan(String)
    }

    /// What the owner must do.
    public enum Action: Sendable, Equatable {
        /// Nothing.
        case none
        /// Switch to `version` and report a `failover` incident with `reason`.
        case failover(from: String?, to: String, reason: String)
    }

    /// The policy.
    public var policy: Policy
    /// The version currently served, as far as the guard knows.
    public var servedVersion: String?
    /// State.
    public private(set) var state: State = .armed
    /// Consecutive failed probes.
    public private(set) var consecutiveFailures = 0
    /// Consecutive windows under the validation floor.
    public private(set) var windowsUnderFloor = 0

    /// Creates an armed guard.
    public init(policy: Policy, servedVersion: String?) {
        self.policy = policy
        self.servedVersion = servedVersion
    }

    /// Feeds an event; returns the action to perform.
    public mutating func handle(_ event: Event) -> Action {
        switch event {
        case .probe(let ok):
            consecutiveFailures = ok ? 0 : consecutiveFailures + 1
            if !ok && consecutiveFailures >= policy.failureThreshold {
                return trigger(reason: "\(consecutiveFailures) consecutive probe failures")
            }
            return .none
        case .windowClosed(let metric):
            guard let floor = policy.validationFloor, let name = policy.validationMetric else { return .none }
            guard let metric else { return .none }
            if metric < floor {
                windowsUnderFloor += 1
                if windowsUnderFloor >= policy.validationWindows {
                    return trigger(
                        reason: "\(name) \(Self.short(metric)) under the floor \(Self.short(floor)) for \(windowsUnderFloor) windows")
                }
            } else {
                windowsUnderFloor = 0
            }
            return .none
        case .switchFinished(let ok):
            if case .switching(let to) = state {
                state = .failedOver(to: to)
                if ok { servedVersion = to }
            }
            return .none
        case .versionSetByPlan(let version):
            servedVersion = version
            state = .armed
            consecutiveFailures = 0
            windowsUnderFloor = 0
            return .none
        }
    }

    private mutating func trigger(reason: String) -> Action {
        guard policy.enabled, state == .armed, let backup = policy.backupVersion, backup != servedVersion else { return .none }
        state = .switching(to: backup)
        return .failover(from: servedVersion, to: backup, reason: reason)
    }

    static func short(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
}

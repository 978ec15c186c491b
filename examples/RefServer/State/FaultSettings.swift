/// The fault knobs of the reference server (`GET`/`POST /admin/faults`, also set by `serve` flags).
///
/// Wire shape: `{"latency_ms","jitter_ms","error_rate","hang","crash","crash_exit_code","skew_add","skew_multiply","not_ready","seed"}`.
public struct FaultSettings: Codable, Sendable, Equatable {
    /// When the process exits on purpose.
    public enum Crash: String, Codable, Sendable, CaseIterable {
        /// Never.
        case off
        /// On the next request that is not under `/admin`.
        case nextRequest = "next_request"
        /// As soon as this setting is posted (the admin request itself gets no answer).
        case now
    }

    /// Added latency of every inference request, in milliseconds.
    public var latencyMs: Double = 0
    /// Uniform jitter around `latencyMs` (± this many milliseconds, never below zero).
    public var jitterMs: Double = 0
    /// The fraction of inference requests answered with HTTP 500 (0…1).
    public var errorRate: Double = 0
    /// When true, inference requests wait until this is cleared (or the server shuts down / the client goes away).
    public var hang: Bool = false
    /// The crash mode.
    public var crash: Crash = .off
    /// The exit code of a crash.
    public var crashExitCode: Int32 = 70
    /// Added to every output score.
    public var skewAdd: Double = 0
    /// Every output score is multiplied by this (before `skewAdd`).
    public var skewMultiply: Double = 1
    /// When true, `/v2/health/ready` and the model ready endpoints answer not ready.
    public var notReady: Bool = false
    /// The seed of the random stream behind error injection and jitter.
    public var seed: UInt64 = 1

    /// No faults.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", errorRate = "error_rate", hang, crash
        case crashExitCode = "crash_exit_code", skewAdd = "skew_add", skewMultiply = "skew_multiply"
        case notReady = "not_ready", seed
    }

    /// Throws a message naming the first knob out of range.
    public func validate() throws(FaultSettingsError) {
        if !latencyMs.isFinite || latencyMs < 0 {
            throw FaultSettingsError("latency_ms must be a finite number ≥ 0, got \(latencyMs)")
        }
        if !jitterMs.isFinite || jitterMs < 0 {
            throw FaultSettingsError("jitter_ms must be a finite number ≥ 0, got \(jitterMs)")
        }
        if !(0...1).contains(errorRate) {
            throw FaultSettingsError("error_rate must be between 0 and 1, got \(errorRate)")
        }
        if !skewAdd.isFinite || !skewMultiply.isFinite {
            throw FaultSettingsError("skew_add and skew_multiply must be finite numbers")
        }
        if crashExitCode == 0 {
            throw FaultSettingsError("crash_exit_code must not be 0 (a crash exits with a non-zero code)")
        }
    }

    /// Applies the fields present in `patch`, leaving the others as they are.
    public mutating func apply(_ patch: FaultPatch) {
        if let value = patch.latencyMs { latencyMs = value }
        if let value = patch.jitterMs { jitterMs = value }
        if let value = patch.errorRate { errorRate = value }
        if let value = patch.hang { hang = value }
        if let value = patch.crash { crash = value }
        if let value = patch.crashExitCode { crashExitCode = value }
        if let value = patch.skewAdd { skewAdd = value }
        if let value = patch.skewMultiply { skewMultiply = value }
        if let value = patch.notReady { notReady = value }
        if let value = patch.seed { seed = value }
    }
}

/// A partial update of the fault knobs (`POST /admin/faults`); `"reset": true` first restores the defaults.
public struct FaultPatch: Codable, Sendable, Equatable {
    /// Restore every knob to its default before applying the other fields.
    public var reset: Bool?
    /// See `FaultSettings.latencyMs`.
    public var latencyMs: Double?
    /// See `FaultSettings.jitterMs`.
    public var jitterMs: Double?
    /// See `FaultSettings.errorRate`.
    public var errorRate: Double?
    /// See `FaultSettings.hang`.
    public var hang: Bool?
    /// See `FaultSettings.crash`.
    public var crash: FaultSettings.Crash?
    /// See `FaultSettings.crashExitCode`.
    public var crashExitCode: Int32?
    /// See `FaultSettings.skewAdd`.
    public var skewAdd: Double?
    /// See `FaultSettings.skewMultiply`.
    public var skewMultiply: Double?
    /// See `FaultSettings.notReady`.
    public var notReady: Bool?
    /// See `FaultSettings.seed`.
    public var seed: UInt64?

    /// Creates a patch.
    public init(
        reset: Bool? = nil, latencyMs: Double? = nil, jitterMs: Double? = nil, errorRate: Double? = nil,
        hang: Bool? = nil,
        crash: FaultSettings.Crash? = nil, crashExitCode: Int32? = nil, skewAdd: Double? = nil,
        skewMultiply: Double? = nil,
        notReady: Bool? = nil, seed: UInt64? = nil
    ) {
        self.reset = reset
        self.latencyMs = latencyMs
        self.jitterMs = jitterMs
        self.errorRate = errorRate
        self.hang = hang
        self.crash = crash
        self.crashExitCode = crashExitCode
        self.skewAdd = skewAdd
        self.skewMultiply = skewMultiply
        self.notReady = notReady
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case reset
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", errorRate = "error_rate", hang, crash
        case crashExitCode = "crash_exit_code", skewAdd = "skew_add", skewMultiply = "skew_multiply"
        case notReady = "not_ready", seed
    }
}

/// A fault knob set out of range; the message names it.
public struct FaultSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

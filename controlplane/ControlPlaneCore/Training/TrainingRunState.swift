import DroverAPI
import DroverStats

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The health of a training run as the control plane reports it (`GET /v1/training/runs/{run}`).
public struct TrainingRunHealth: Codable, Sendable, Equatable {
    /// Where a run stands.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Too few steps to judge explosion yet (NaN/Inf are still caught).
        case warmingUp = "warming_up"
        /// Nothing wrong so far.
        case healthy
        /// A problem was seen; versions from this run cannot become stable without an override.
        case flagged
    }

    /// The run id.
    public var runID: String
    /// Where it stands.
    public var status: Status
    /// Why it was flagged (`non_finite`, `exploding`, `vanishing`, `loss_diverging`).
    public var reason: String?
    /// A sentence for people: what was seen, at which step, with which numbers.
    public var detail: String?
    /// The step at which it was flagged.
    public var flaggedStep: Int?
    /// When it was flagged (server time).
    public var flaggedAt: Date?
    /// Steps accepted.
    public var steps: Int
    /// The highest step number accepted.
    public var lastStep: Int?
    /// Loss at the last step.
    public var lastLoss: LenientDouble?
    /// Gradient norm at the last step.
    public var lastGradNorm: LenientDouble?
    /// When the first step arrived.
    public var firstSeenAt: Date
    /// When the last step arrived.
    public var lastSeenAt: Date

    /// Creates a health record.
    public init(
        runID: String, status: Status, reason: String? = nil, detail: String? = nil, flaggedStep: Int? = nil, flaggedAt: Date? = nil,
        steps: Int = 0, lastStep: Int? = nil, lastLoss: LenientDouble? = nil, lastGradNorm: LenientDouble? = nil,
        firstSeenAt: Date, lastSeenAt: Date
    ) {
        self.runID = runID
        self.status = status
        self.reason = reason
        self.detail = detail
        self.flaggedStep = flaggedStep
        self.flaggedAt = flaggedAt
        self.steps = steps
        self.lastStep = lastStep
        self.lastLoss = lastLoss
        self.lastGradNorm = lastGradNorm
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", status, reason, detail, flaggedStep = "flagged_step", flaggedAt = "flagged_at", steps
        case lastStep = "last_step", lastLoss = "last_loss", lastGradNorm = "last_grad_norm"
        case firstSeenAt = "first_seen_at", lastSeenAt = "last_seen_at"
    }
}

/// Everything the monitor keeps per run: health, the detector's state and the most recent steps (bounded).
///
/// Codable so a store can keep it as one document; non-finite numbers must be encoded as strings
/// (use `TrainingRunState.encoder()`).
public struct TrainingRunState: Codable, Sendable, Equatable {
    /// The run's health.
    public var health: TrainingRunHealth
    /// The gradient detector (DroverStats), with its baseline window.
    public var detector: GradientHealthMonitor
    /// The most recent steps, oldest first, at most `recentCapacity`.
    public var recent: [TrainingStep]

    /// Creates the state of a new run.
    public init(runID: String, at: Date, config: GradientHealthConfig = .init()) {
        self.health = TrainingRunHealth(runID: runID, status: .warmingUp, firstSeenAt: at, lastSeenAt: at)
        self.detector = GradientHealthMonitor(config: config)
        self.recent = []
    }

    /// An encoder for this state (non-finite numbers as strings).
    public static func encoder() -> JSONEncoder {
        let encoder = DroverJSON.encoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// A decoder for this state.
    public static func decoder() -> JSONDecoder {
        let decoder = DroverJSON.decoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}

/// Thresholds of the training-run gradient health monitor; defaults documented in docs/statistics.md.
public struct GradientHealthConfig: Sendable, Hashable, Codable {
    /// Steps of healthy gradient norms kept for the robust baseline (median / MAD of log-norms). Default 100.
    public var window: Int
    /// Healthy steps needed before explosion can be judged. Default 20.
    public var minBaseline: Int
    /// Explosion: the norm is at least this many times the baseline median… (default 10)
    public var explosionFactor: Double
    /// …and at least this many robust standard deviations (1.4826·MAD of log-norms) above it. Default 6.
    public var explosionMADs: Double
    /// Vanishing: the norm is below this value… (default 1e-7)
    public var vanishingNorm: Double
    /// …for this many consecutive steps. Default 50.
    public var vanishingSteps: Int
    /// Loss divergence: smoothed loss (EWMA, weight `lossSmoothing`) above the best smoothed loss by this factor… (default 1.5)
    public var divergenceRatio: Double
    /// …for this many consecutive steps. Default 20.
    public var divergenceSteps: Int
    /// EWMA weight of the newest loss. Default 0.1.
    public var lossSmoothing: Double

    /// The documented defaults.
    public init(
        window: Int = 100, minBaseline: Int = 20, explosionFactor: Double = 10, explosionMADs: Double = 6,
        vanishingNorm: Double = 1e-7,
        vanishingSteps: Int = 50, divergenceRatio: Double = 1.5, divergenceSteps: Int = 20, lossSmoothing: Double = 0.1
    ) {
        self.window = max(1, window)
        self.minBaseline = max(1, min(minBaseline, self.window))
        self.explosionFactor = explosionFactor
        self.explosionMADs = explosionMADs
        self.vanishingNorm = vanishingNorm
        self.vanishingSteps = max(1, vanishingSteps)
        self.divergenceRatio = divergenceRatio
        self.divergenceSteps = max(1, divergenceSteps)
        self.lossSmoothing = lossSmoothing
    }
}

/// The health of a training run after one step.
public enum GradientVerdict: Sendable, Hashable, Codable {
    /// Not enough steps yet for the baseline (NaN/Inf are still caught at once).
    case warmingUp
    /// Nothing wrong.
    case healthy
    /// The gradient norm or the loss is NaN or infinite.
    case nonFinite
    /// The gradient norm jumped far above its robust running baseline; `ratio` = norm / baseline median.
    case exploding(ratio: Double)
    /// The gradient norm stayed below `vanishingNorm` for `steps` consecutive steps.
    case vanishing(steps: Int)
    /// The smoothed loss stayed above `divergenceRatio` × its best value; `ratio` = smoothed / best.
    case lossDiverging(ratio: Double)

    /// True for every problem verdict (not `healthy` / `warmingUp`).
    public var isProblem: Bool {
        switch self {
        case .warmingUp, .healthy: return false
        default: return true
        }
    }
}

/// A pure state machine watching a training run's gradient norms and losses, step by step.
///
/// NaN/Inf are flagged immediately; explosion is judged against the median and MAD of recent healthy log-norms
/// (robust to earlier spikes, which are kept out of the baseline); vanishing needs a run of tiny norms; loss
/// divergence needs a sustained rise of the smoothed loss over its best. Memory: `window` doubles.
public struct GradientHealthMonitor: Sendable, Hashable, Codable {
    /// The thresholds.
    public let config: GradientHealthConfig
    /// The first problem seen (sticky: a run that was unhealthy once stays flagged).
    public private(set) var firstProblem: GradientVerdict?
    /// Steps observed.
    public private(set) var steps = 0
    private var logNorms: [Double] = []
    private var next = 0
    private var smallRun = 0
    private var smoothedLoss: Double?
    private var bestLoss: Double?
    private var divergingRun = 0

    /// Creates a monitor.
    public init(config: GradientHealthConfig = GradientHealthConfig()) {
        self.config = config
    }

    /// True once any problem was seen.
    public var isUnhealthy: Bool { firstProblem != nil }

    /// Takes one training step's global gradient norm and (optionally) its loss.
    public mutating func observe(gradientNorm: Double, loss: Double? = nil) -> GradientVerdict {
        steps += 1
        let verdict = judge(gradientNorm, loss)
        if verdict.isProblem && firstProblem == nil { firstProblem = verdict }
        return verdict
    }

    private mutating func judge(_ g: Double, _ loss: Double?) -> GradientVerdict {
        if !g.isFinite || g < 0 || (loss.map { !$0.isFinite } ?? false) { return .nonFinite }
        // Vanishing.
        if g < config.vanishingNorm {
            smallRun += 1
            if smallRun >= config.vanishingSteps { return .vanishing(steps: smallRun) }
        } else {
            smallRun = 0
        }
        // Explosion against the robust baseline.
        let logG = LibM.log(max(g, Double.leastNormalMagnitude))
        var verdict: GradientVerdict = logNorms.count >= config.minBaseline ? .healthy : .warmingUp
        if logNorms.count >= config.minBaseline {
            let sorted = logNorms.sorted()
            let median = Self.median(sorted)
            let mad = Self.median(sorted.map { abs($0 - median) }.sorted())
            let excess = logG - median
            if excess > LibM.log(config.explosionFactor) && excess > config.explosionMADs * 1.4826 * mad {
                return .exploding(ratio: LibM.exp(excess))
            }
        }
        if logNorms.count < config.window {
            logNorms.append(logG)
        } else {
            logNorms[next] = logG
            next = (next + 1) % config.window
        }
        // Loss divergence.
        if let loss {
            let s = smoothedLoss.map { config.lossSmoothing * loss + (1 - config.lossSmoothing) * $0 } ?? loss
            smoothedLoss = s
            let best = min(bestLoss ?? s, s)
            bestLoss = best
            if s - best > (config.divergenceRatio - 1) * abs(best) && s - best > 1e-12 {
                divergingRun += 1
                if divergingRun >= config.divergenceSteps {
                    verdict = .lossDiverging(ratio: best > 0 ? s / best : .infinity)
                }
            } else {
                divergingRun = 0
            }
        }
        return verdict
    }

    private static func median(_ sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

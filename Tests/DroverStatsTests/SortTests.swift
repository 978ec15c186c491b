import Foundation
import Testing

@testable import DroverStats

@Suite("The radix sort behind KS and Wasserstein sorts like the standard library")
struct SortTests {
    static let distributions: [String] = [
        "normal", "lognormal", "ties", "huge-range", "signed-zeros", "constant", "sorted", "tiny",
    ]

    static func sample(_ kind: String) -> [Double] {
        var g = SeededGenerator(seed: 99)
        let n = 20_000
        switch kind {
        case "normal": return (0..<n).map { _ in g.nextGaussian() }
        case "lognormal": return (0..<n).map { _ in exp(g.nextGaussian() * 3) }
        case "ties": return (0..<n).map { _ in Double(Int(g.next() % 7)) - 3 }
        case "huge-range": return (0..<n).map { _ in (g.nextUnit() - 0.5) * pow(10, Double(Int(g.next() % 600)) - 300) }
        case "signed-zeros": return (0..<n).map { i in i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : g.nextGaussian()) }
        case "constant": return [Double](repeating: 4.2, count: n)
        case "sorted": return (0..<n).map { Double($0) * 0.5 }
        default: return [3, -1, 2]
        }
    }

    @Test("sorted order equals Array.sorted()", arguments: distributions)
    func sortsLikeStdlib(_ kind: String) {
        let values = Self.sample(kind)
        let sorted = values.withUnsafeBufferPointer { RadixSort.sorted($0) }
        #expect(sorted == values.map { $0 + 0.0 }.sorted())
    }

    @Test("the pruned KS (histogram bounds) equals the full merge, or declines", arguments: distributions)
    func prunedKS(_ kind: String) throws {
        let reference = Self.sample(kind)
        var g = SeededGenerator(seed: 5)
        for shift in [0.0, 0.01, 0.3] {
            let current = reference.map { $0 + shift * (1 + abs($0)) + (g.nextUnit() < 0.5 ? 0 : 1e-9) }
            let a = reference.withUnsafeBufferPointer { RadixSort.sortedKeys($0) }
            let b = current.withUnsafeBufferPointer { RadixSort.sortedKeys($0) }
            let full = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { DriftStatistics.ksOnKeys(pa, $0) }
            }
            let pruned = reference.withUnsafeBufferPointer { pa in
                current.withUnsafeBufferPointer { KolmogorovSmirnovPruned.statistic(pa, $0) }
            }
            if let pruned {
                #expect(
                    abs(pruned.statistic - full.statistic) <= 1e-15 * max(1, full.statistic), "\(kind) shift \(shift)")
            }
            let api = try DriftStatistics.kolmogorovSmirnov(reference: reference, current: current)
            #expect(abs(api.statistic - full.statistic) <= 1e-15 * max(1, full.statistic))
        }
    }

    @Test("quantile edges by bucket selection equal the quantiles of the sorted sample", arguments: distributions)
    func selection(_ kind: String) throws {
        let values = Self.sample(kind)
        let sorted = values.sorted()
        let probabilities = (1..<10).map { Double($0) / 10 } + [0, 0.001, 0.5, 0.999, 1]
        let selected = values.withUnsafeBufferPointer { Quantiles.linear(unsorted: $0, probabilities) }
        for (p, q) in zip(probabilities, selected) {
            #expect(q == Quantiles.linear(sorted: sorted, p), "\(kind) p=\(p)")
        }
    }
}

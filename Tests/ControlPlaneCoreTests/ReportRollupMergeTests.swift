import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Report rollup merging in place")
struct ReportRollupMergeTests {
    func rollup(_ digest: String, price: [Int], category: [String: Int]) -> ReportRollup {
        var r = ReportRollup()
        r.reports = 1
        r.referenceProfile = digest
        r.driftReports = 1
        r.features = [
            "price": MergedCounts(kind: .numeric, n: price.reduce(0, +), bins: price),
            "category": MergedCounts(kind: .categorical, n: category.values.reduce(0, +), categories: category),
        ]
        return r
    }

    @Test("merging adds bins, categories and other profiles' counts in place and leaves earlier copies unchanged")
    func inPlaceKeepsValueSemantics() {
        var merged = rollup("sha256:a", price: [1, 2], category: ["x": 1])
        let first = merged
        let other = rollup("sha256:b", price: [5, 5, 5], category: ["y": 2])
        merged.merge(rollup("sha256:a", price: [10, 20], category: ["x": 1, "z": 3]))
        merged.merge(other)
        let beforeSecondOther = merged
        merged.merge(other)

        #expect(first == rollup("sha256:a", price: [1, 2], category: ["x": 1]))
        #expect(beforeSecondOther.otherProfiles?["sha256:b"]?.reports == 1)
        #expect(merged.reports == 4)
        #expect(merged.profileReports == 2)
        #expect(merged.features["price"] == MergedCounts(kind: .numeric, n: 33, bins: [11, 22]))
        #expect(merged.features["category"] == MergedCounts(kind: .categorical, n: 5, categories: ["x": 2, "z": 3]))
        let kept = merged.otherProfiles?["sha256:b"]
        #expect(kept?.reports == 2)
        #expect(kept?.features["price"] == MergedCounts(kind: .numeric, n: 30, bins: [10, 10, 10]))
        #expect(kept?.features["category"] == MergedCounts(kind: .categorical, n: 4, categories: ["y": 4]))
        #expect(merged.skippedDrift == 0)
    }

    @Test("counts with other bins or another kind are not merged, change nothing and are counted as skipped")
    func mismatchedCountsAreSkipped() {
        var counts = MergedCounts(kind: .numeric, n: 3, bins: [1, 2])
        let otherBins = counts.merge(MergedCounts(kind: .numeric, n: 3, bins: [1, 1, 1]))
        let otherKind = counts.merge(MergedCounts(kind: .categorical, n: 1, categories: ["x": 1]))
        #expect(!otherBins && !otherKind)
        #expect(counts == MergedCounts(kind: .numeric, n: 3, bins: [1, 2]))

        var merged = rollup("sha256:a", price: [1, 2], category: ["x": 1])
        merged.merge(rollup("sha256:a", price: [1, 2, 3], category: ["x": 1]))
        #expect(merged.skippedDrift == 1)
        #expect(merged.features["price"]?.bins == [1, 2])
        #expect(merged.features["category"]?.categories == ["x": 2])
    }

    @Test("a fixture report's rollup merged report by report equals the JSON round trip of the same merge")
    func mergeSurvivesJSON() throws {
        var merged = ReportRollup()
        for i in 0..<5 { merged.merge(ReportRollup(report: Fixtures.report(index: i, seed: UInt64(i)))) }
        let decoded = try JSONDecoder().decode(ReportRollup.self, from: try JSONEncoder().encode(merged))
        #expect(decoded == merged)
        #expect(merged.reports == 5 && merged.driftReports == 5)
        #expect(merged.features.count == 20)
    }
}

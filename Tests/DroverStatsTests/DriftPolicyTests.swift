import DroverStats
import Testing

@Suite("Drift verdicts need significance and a practical effect")
struct DriftPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var psi: Double
        var ks: Double?
        var p: Double?
        var n: Int
        var expected: DriftLevel
        var testDescription: String { "psi \(psi) ks \(ks ?? -1) p \(p ?? -1) n \(n) -> \(expected.rawValue)" }
    }

    @Test(
        "verdict table (single feature, defaults)",
        arguments: [
            Case(psi: 0.30, ks: nil, p: 1e-9, n: 1000, expected: .drift),
            Case(psi: 0.30, ks: nil, p: 0.2, n: 1000, expected: .warn),
            Case(psi: 0.15, ks: nil, p: 1e-9, n: 1000, expected: .warn),
            Case(psi: 0.15, ks: nil, p: 0.3, n: 1000, expected: .ok),
            Case(psi: 0.01, ks: 0.02, p: 1e-40, n: 1_000_000, expected: .ok),  // huge sample, tiny effect: never drift on p alone
            Case(psi: 0.05, ks: 0.25, p: 1e-12, n: 1000, expected: .drift),
            Case(psi: 0.50, ks: nil, p: 1e-9, n: 99, expected: .insufficientData),
            Case(psi: 0.25, ks: nil, p: nil, n: 500, expected: .drift),
        ]
    )
    func table(_ c: Case) {
        let e = DriftEvidence(name: "f", nReference: c.n, nCurrent: c.n, psi: c.psi, ksStatistic: c.ks, pValue: c.p)
        #expect(DriftPolicy().assess(e).level == c.expected)
    }

    @Test("Benjamini–Hochberg across features turns a borderline p-value into no drift")
    func falseDiscoveryControl() {
        var features = (0..<20).map {
            DriftEvidence(name: "f\($0)", nReference: 1000, nCurrent: 1000, psi: 0.01, pValue: 0.5)
        }
        features.append(DriftEvidence(name: "borderline", nReference: 1000, nCurrent: 1000, psi: 0.3, pValue: 0.01))
        let together = DriftPolicy().assess(features)
        #expect(together.last?.level == .warn)  // q = 0.01 * 21 = 0.21: large effect, not significant
        #expect(DriftPolicy(controlFalseDiscoveries: false).assess(features).last?.level == .drift)
        #expect(DriftPolicy().assess(features.last!).level == .drift)
        #expect(together.dropLast().allSatisfy { $0.level == .ok })
    }

    @Test("evidence from the table columns: category drifts, the others do not")
    func tableVerdicts() throws {
        let v = StatsVectors.load("seed20261129")
        var evidence: [DriftEvidence] = []
        for c in v.cases.numeric where c.name != "small" {
            let s = try #require(v.samples[c.name])
            evidence.append(
                DriftEvidence(
                    name: c.name,
                    samples: try DriftStatistics.compareSamples(
                        reference: s.reference.numbers, current: s.current.numbers)))
        }
        for c in v.cases.categorical {
            let counts = try DriftStatistics.compare(reference: c.reference_counts, current: c.current_counts)
            evidence.append(DriftEvidence(name: c.name, counts: counts))
        }
        let small = try #require(v.samples["small"])
        evidence.append(
            DriftEvidence(
                name: "small",
                samples: try DriftStatistics.compareSamples(
                    reference: small.reference.numbers, current: small.current.numbers)))
        let verdicts = Dictionary(uniqueKeysWithValues: DriftPolicy().assess(evidence).map { ($0.name, $0.level) })
        #expect(verdicts["ctr"] == .ok)
        #expect(verdicts["small"] == .insufficientData)
        #expect(verdicts["category"] == .drift)
        #expect(verdicts["query_length"] == .warn)  // PSI 0.16, KS D 0.16: moderate
        #expect(verdicts["score"] == .drift)  // PSI 0.22
        #expect(verdicts["price"] == .ok)  // p = 3e-10 but PSI 0.03, D 0.07: p alone never flags
    }
}

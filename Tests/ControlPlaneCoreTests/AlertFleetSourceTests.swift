import ControlPlaneCore
import DroverAPI
import Foundation
import Testing

@Suite("Alert and retrain sources over fleet health")
struct AlertFleetSourceTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    /// Fleet health as the API serves it: ranker v11 in two zones (one with little traffic), retriever v3.
    func health() throws -> FleetHealth {
        func group(_ model: String, _ version: String, _ zone: String, requests: Int, errors: Int, p99: Double, drift: [(String, Int, Double)], ndcg: Double?) -> String {
            let features = drift.map { name, n, psi in
                #"{"name":"\#(name)","role":"feature","kind":"numeric","n":\#(n),"counts":[1,2],"reference_counts":[1,2],"score":{"psi":\#(psi),"verdict":"drift"}}"#
            }
            let validation = ndcg.map { #","validation":{"source":"golden_set","n":200,"metrics":{"ndcg_at_10":\#($0)}}"# } ?? ""
            return #"{"model":"\#(model)","version":"\#(version)","zone":"\#(zone)","reports":10,"requests":\#(requests),"errors":\#(errors),"#
                + #""error_rate":\#(Double(errors) / Double(max(1, requests + errors))),"errors_by_kind":{},"probes":10,"probe_failures":0,"failovers":0,"#
                + #""latency_ms":{"count":\#(requests),"p50":3,"p90":8,"p99":\#(p99)},"drift":[\#(features.joined(separator: ","))],"unmergeable":0\#(validation)}"#
        }
        let json = #"{"from":"2026-11-29T04:00:00Z","to":"2026-11-29T04:05:00Z","groups":["#
            + [
                group("ranker", "11", "eu-1", requests: 900, errors: 100, p99: 40, drift: [("price", 1000, 0.31), ("category", 1000, 0.24), ("brand", 1000, 0.01)], ndcg: 0.6),
                group("ranker", "11", "us-2", requests: 20, errors: 20, p99: 900, drift: [("price", 100, 0.9)], ndcg: 0.7),
                group("retriever", "3", "eu-1", requests: 500, errors: 0, p99: 12, drift: [], ndcg: nil),
            ].joined(separator: ",") + "]}"
        return try DroverJSON.decode(FleetHealth.self, from: Array(json.utf8))
    }

    @Test("observations skip low-traffic groups and small drift samples")
    func observations() throws {
        let observations = FleetHealthAlertSource.observations(from: try health())
        let errorRates = observations.filter { $0.metric == "error_rate" }
        #expect(errorRates.map { $0.labels["zone"] } == ["eu-1", "eu-1"])
        #expect(errorRates.first?.value == 0.1)
        #expect(!observations.contains { $0.metric == "latency_p99_ms" && $0.value == 900 })
        let psi = observations.filter { $0.metric == "psi" }
        #expect(Set(psi.compactMap { $0.labels["feature"] }) == ["price", "category", "brand"])
        #expect(!psi.contains { $0.labels["zone"] == "us-2" })
    }

    @Test("the drift rule turns the fleet's observations into one alert per drifted feature")
    func endToEndDrift() throws {
        var evaluator = AlertEvaluator()
        let observations = FleetHealthAlertSource.observations(from: try health())
        _ = evaluator.handle(.evaluate(observations, at: t0))
        let actions = evaluator.handle(.evaluate(observations, at: t0 + 300))
        let fired = actions.compactMap { if case .fire(let alert) = $0 { alert } else { nil } }
        #expect(Set(fired.filter { $0.rule == "FeatureDrift" }.compactMap { $0.labels["feature"] }) == ["price", "category"])
        #expect(fired.contains { $0.rule == "HighErrorRate" && $0.annotations["zones"] == "eu-1" })
    }

    @Test("retrain windows take each feature's highest well-sampled PSI and n-weighted validation per model")
    func retrainWindows() throws {
        let windows = FleetHealthRetrainSource.windows(from: try health(), start: t0, end: t0 + 300)
        #expect(windows.map(\.model) == ["ranker", "retriever"])
        let ranker = windows[0]
        #expect(ranker.featurePSI == ["price": 0.31, "category": 0.24, "brand": 0.01])
        #expect(ranker.versions == ["11"])
        #expect(ranker.zones == ["eu-1", "us-2"])
        #expect(abs((ranker.validation["ndcg_at_10"] ?? 0) - 0.65) < 1e-9)
    }
}

import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Fleet health: one document for server and clients")
struct FleetHealthFixtureTests {
    @Test("The fleet-health example decodes and re-encodes without losing or changing any field")
    func goldenFleetHealth() throws {
        let bytes = try fixtureBytes("fleet-health")
        let health = try DroverJSON.decode(FleetHealth.self, from: bytes)
        let g = try #require(health.groups.first)
        #expect(g.model == "ranker" && g.zone == "eu-1" && g.reports == 30)
        #expect(g.drift.first { $0.name == "price" }?.verdict == .drift)
        #expect(g.profileMismatches == 2 && g.mismatchedProfiles?.values.first == 2)
        #expect(missingOrChanged(try jsonTree(bytes), try jsonTree(try DroverJSON.encode(health))) == [])
    }

    @Test("docs/examples/fleet-health.json is the golden fixture")
    func docsExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = root.appendingPathComponent("docs/examples/fleet-health.json")
        guard FileManager.default.fileExists(atPath: doc.path) else { return }  // Sources only, e.g. in a package cache.
        #expect(Array(try Data(contentsOf: doc)) == (try fixtureBytes("fleet-health")))
    }

    @Test("An older server's document (no profile fields, statistics missing) still decodes with defaults")
    func lenientDecoding() throws {
        let json = #"{"groups": [{"model": "ranker", "version": "7", "drift": [{"name": "price", "kind": "numeric"}]}]}"#
        let health = try DroverJSON.decode(FleetHealth.self, from: Array(json.utf8))
        let g = try #require(health.groups.first)
        #expect(health.from == nil && g.zone == "" && g.reports == 0 && g.profileMismatches == 0 && g.mismatchedProfiles == nil)
        #expect(g.drift.first?.role == "feature" && g.drift.first?.counts == [] && g.drift.first?.score == nil)
    }
}

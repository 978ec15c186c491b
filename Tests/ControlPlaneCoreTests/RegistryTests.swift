import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Version registry")
struct RegistryTests {
    @Test("the same model and version with another digest is a conflict; the same digest is idempotent")
    func conflict() async throws {
        let h = try await Harness()
        let registry = h.controlPlane.versions
        let (v, created) = try await registry.register(Fixtures.modelVersion(), by: h.operatorP)
        #expect(created)
        #expect(v.status == .registered && v.createdBy == "op (operator)" && v.createdAt == Harness.now)
        #expect(try await registry.register(Fixtures.modelVersion(), by: h.operatorP).created == false)
        var other = Fixtures.modelVersion()
        other.artifact.sha256 = String(repeating: "a", count: 64)
        let error = await controlPlaneError { _ = try await registry.register(other, by: h.operatorP) }
        #expect(error?.kind == .conflict)
        #expect(error?.field == "artifact.sha256")
        #expect(await controlPlaneError { _ = try await registry.register(other, by: h.viewer) }?.kind == .forbidden)
    }

    @Test("lineage walks both ways and shows compression ratios against the parent")
    func lineage() async throws {
        let h = try await Harness()
        let registry = h.controlPlane.versions
        _ = try await registry.register(Fixtures.modelVersion(version: "11"), by: h.operatorP)
        _ = try await registry.register(Fixtures.modelVersion(version: "12", lineage: Lineage(derivedFrom: "11", method: .retrain, parameters: ["data": "2026-11"])), by: h.operatorP)
        var int8 = Fixtures.modelVersion(version: "12-int8", lineage: Lineage(derivedFrom: "12", method: .quantize, parameters: ["bits": "8"]))
        int8.footprint = ModelFootprint(precision: "int8", parameterCount: 12_544, bytes: 12_544)
        _ = try await registry.register(int8, by: h.operatorP)
        let fromMiddle = try await registry.lineage(model: Fixtures.model, version: "12")
        #expect(fromMiddle.ancestors.map(\.version) == ["11"])
        #expect(fromMiddle.descendants.map(\.version) == ["12-int8"])
        #expect(fromMiddle.descendants[0].compressionRatio == 4.0)
        #expect(fromMiddle.descendants[0].method == .quantize)
        let fromLeaf = try await registry.lineage(model: Fixtures.model, version: "12-int8")
        #expect(fromLeaf.ancestors.map(\.version) == ["12", "11"])
        #expect(fromLeaf.version.compressionRatio == 4.0)
        let fromRoot = try await registry.lineage(model: Fixtures.model, version: "11")
        #expect(fromRoot.descendants.map(\.version) == ["12", "12-int8"])
        #expect(fromRoot.descendants.map(\.depth) == [1, 2])
        let orphan = Fixtures.modelVersion(version: "13", lineage: Lineage(derivedFrom: "nope", method: .finetune))
        #expect(await controlPlaneError { _ = try await registry.register(orphan, by: h.operatorP) }?.field == "lineage.derived_from")
    }

    @Test("aliases move between versions, resolve by name, and retiring is refused while agents should serve it")
    func aliasesAndRetire() async throws {
        let h = try await Harness()
        let registry = h.controlPlane.versions
        _ = try await registry.register(Fixtures.modelVersion(version: "7"), by: h.operatorP)
        _ = try await registry.register(Fixtures.modelVersion(version: "8"), by: h.operatorP)
        _ = try await registry.setAlias(model: Fixtures.model, version: "7", alias: "stable", by: h.operatorP)
        _ = try await registry.setAlias(model: Fixtures.model, version: "8", alias: "stable", by: h.operatorP)
        #expect(try await registry.show(model: Fixtures.model, version: "stable").version == "8")
        #expect(await controlPlaneError { _ = try await registry.setAlias(model: Fixtures.model, version: "8", alias: "bogus", by: h.operatorP) }?.field == "alias")
        _ = try await h.agent()
        _ = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: "7", reason: "pin"), by: h.operatorP)
        #expect(await controlPlaneError { _ = try await registry.retire(model: Fixtures.model, version: "7", by: h.operatorP) }?.kind == .conflict)
        let retired = try await registry.retire(model: Fixtures.model, version: "8", by: h.operatorP)
        #expect(retired.status == .retired && retired.aliases.isEmpty)
        #expect(await controlPlaneError { _ = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: "8", reason: "x"), by: h.operatorP) }?.kind == .conflict)
        let actions = try await h.store.audit(after: 0, limit: 100).map(\.action)
        #expect(actions.contains("version.register") && actions.contains("version.alias") && actions.contains("version.retire"))
    }

    @Test("a reference profile must match its path and gets a sha256 digest")
    func profile() async throws {
        let h = try await Harness()
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: h.operatorP)
        let digest = try await h.controlPlane.versions.putProfile(Fixtures.referenceProfile(), model: Fixtures.model, version: Fixtures.version, by: h.operatorP)
        #expect(digest.hasPrefix("sha256:") && digest.count == 71)
        #expect(try await h.controlPlane.versions.show(model: Fixtures.model, version: Fixtures.version).referenceProfileDigest == digest)
        let wrong = await controlPlaneError {
            _ = try await h.controlPlane.versions.putProfile(Fixtures.referenceProfile(version: "9"), model: Fixtures.model, version: Fixtures.version, by: h.operatorP)
        }
        #expect(wrong?.field == "version")
    }
}

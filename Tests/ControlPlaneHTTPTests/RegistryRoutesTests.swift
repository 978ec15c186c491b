import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP version registry")
struct RegistryRoutesTests {
    @Test("registering is idempotent for the same digest and 409 for another; versions are listed and shown")
    func conflict() async throws {
        let h = try await HTTPHarness()
        let op = h.tokens[.operator]
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.versions, method: .post, headers: auth(op), body: try body(Fixtures.modelVersion())) { response throws in
                #expect(response.status == .created)
                let v = try decode(ModelVersion.self, response)
                #expect(v.status == .registered && v.createdBy == "operator (operator)")
            }
            try await client.execute(uri: APIPath.versions, method: .post, headers: auth(op), body: try body(Fixtures.modelVersion())) { #expect($0.status == .ok) }
            var other = Fixtures.modelVersion()
            other.artifact.sha256 = String(repeating: "b", count: 64)
            try await client.execute(uri: APIPath.versions, method: .post, headers: auth(op), body: try body(other)) { response throws in
                #expect(response.status == .conflict)
                let error = try apiError(response)
                #expect(error.code == "conflict" && error.field == "artifact.sha256")
            }
            var bad = Fixtures.modelVersion(version: "8")
            bad.artifact.sha256 = "xyz"
            try await client.execute(uri: APIPath.versions, method: .post, headers: auth(op), body: try body(bad)) { response throws in
                #expect(response.status == .badRequest)
                #expect(try apiError(response).field == "artifact.sha256")
            }
            try await client.execute(uri: APIPath.versions + "?model=ranker", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                struct List: Decodable { var versions: [ModelVersion] }
                #expect(try decode(List.self, response).versions.map(\.version) == ["7"])
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "7"), method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                #expect(try decode(ModelVersion.self, response).artifact.sha256 == Fixtures.artifactSHA256)
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "99"), method: .get, headers: auth(h.tokens[.viewer])) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("lineage is walked both ways with compression ratios; aliases and retirement work over HTTP")
    func lineage() async throws {
        let h = try await HTTPHarness()
        let op = h.tokens[.operator]
        var int8Version = Fixtures.modelVersion(version: "12-int8", lineage: Lineage(derivedFrom: "12", method: .quantize, parameters: ["bits": "8"]))
        int8Version.footprint = ModelFootprint(precision: "int8", parameterCount: 12_544, bytes: 12_544)
        let int8 = int8Version
        try await h.app().test(.router) { client in
            for v in [Fixtures.modelVersion(version: "12"), int8] {
                try await client.execute(uri: APIPath.versions, method: .post, headers: auth(op), body: try body(v)) { #expect($0.status == .created) }
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "12") + "/lineage", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                let view = try decode(LineageView.self, response)
                #expect(view.descendants.map(\.version) == ["12-int8"])
                #expect(view.descendants.first?.compressionRatio == 4)
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "12-int8") + "/lineage", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                #expect(try decode(LineageView.self, response).ancestors.map(\.version) == ["12"])
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "12") + "/aliases/stable", method: .put, headers: auth(op)) { response throws in
                #expect(try decode(ModelVersion.self, response).aliases == ["stable"])
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "stable"), method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                #expect(try decode(ModelVersion.self, response).version == "12")
            }
            try await client.execute(uri: APIPath.version(model: "ranker", version: "12-int8") + "/retire", method: .post, headers: auth(op)) { response throws in
                #expect(try decode(ModelVersion.self, response).status == .retired)
            }
            try await client.execute(uri: APIPath.referenceProfile(model: "ranker", version: "12"), method: .put, headers: auth(op), body: try body(Fixtures.referenceProfile(version: "12"))) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("sha256:"))
            }
            let agent = try await h.enrollAgent()
            try await client.execute(uri: APIPath.referenceProfile(model: "ranker", version: "12"), method: .get, headers: auth(agent)) { response throws in
                #expect(try decode(ReferenceProfile.self, response) == Fixtures.referenceProfile(version: "12"))
                #expect(response.headers[.eTag]?.contains("sha256:") == true)
            }
        }
    }
}

import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import Logging
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
    }

    @Test("every registered route appears in the OpenAPI document with its method")
    func coversRoutes() async throws {
        let alerting = Alerting.inMemory(transport: ClosureTransport { _ in TransportResponse(status: 200) }, logger: Logger(label: "test"))
        let router = buildRouter(configuration: HTTPConfiguration(), controlPlane: ControlPlane(store: InMemoryControlPlaneStore()), alerting: alerting)
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var missing: [String] = []
        var registered: Set<String> = []
        for route in router.routes {
            // Hummingbird writes parameters as `:name`; OpenAPI as `{name}`.
            let path = "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            registered.insert("\(route.method) \(path)")
            if paths[path]?[route.method.rawValue.lowercased()] == nil { missing.append("\(route.method) \(path)") }
        }
        #expect(missing.isEmpty, "not in the OpenAPI document: \(missing)")
        #expect(router.routes.count >= 29)
        // The alerting, retraining and training-monitor routes are registered by buildRouter(…, alerting:).
        #expect(registered.isSuperset(of: ["POST /v1/training/runs/{run}/steps", "GET /v1/alerts", "GET /v1/retraining/{id}"]), "\(registered.sorted())")
    }

    @Test("the served document is docs/openapi.json, embedded at build time, and it is OpenAPI 3")
    func servesDocsFile() throws {
        #expect((try Self.document()["openapi"] as? String)?.hasPrefix("3.") == true)
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var file = String(decoding: try Data(contentsOf: repo.appendingPathComponent("docs/openapi.json")), as: UTF8.self)
        while file.hasSuffix("\n") { file.removeLast() }
        #expect(OpenAPIDocument.json == file, "rebuild: the EmbedOpenAPI plugin embeds docs/openapi.json")
    }

    @Test("every $ref points at a component and every schema and response is referenced")
    func referencesResolve() throws {
        let text = OpenAPIDocument.json
        let components = try #require(try Self.document()["components"] as? [String: [String: Any]])
        var referenced: Set<String> = []
        var rest = Substring(text)
        let marker = "\"$ref\": \"#/components/"
        while let start = rest.range(of: marker) {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            referenced.insert(String(rest[..<end]))
        }
        var declared: Set<String> = []
        for kind in ["schemas", "responses"] {
            for name in (components[kind] ?? [:]).keys { declared.insert("\(kind)/\(name)") }
        }
        #expect(referenced.subtracting(declared).isEmpty, "dangling: \(referenced.subtracting(declared).sorted())")
        #expect(declared.subtracting(referenced).isEmpty, "never referenced: \(declared.subtracting(referenced).sorted())")
    }
}

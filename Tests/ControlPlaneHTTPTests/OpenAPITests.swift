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

    @Test("the document is OpenAPI 3 and the copy in docs/ is the same")
    func repoCopy() throws {
        #expect((try Self.document()["openapi"] as? String)?.hasPrefix("3.") == true)
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let copy = try Data(contentsOf: repo.appendingPathComponent("docs/openapi.json"))
        let a = try JSONSerialization.jsonObject(with: copy) as! NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! NSDictionary
        #expect(a == b, "docs/openapi.json differs: refresh it with `swift run drover-controlplane openapi > docs/openapi.json`")
    }
}

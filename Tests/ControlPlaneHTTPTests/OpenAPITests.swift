import ControlPlaneCore
import ControlPlaneHTTP
import Foundation
import Hummingbird
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
    }

    @Test("every registered route appears in the OpenAPI document with its method")
    func coversRoutes() async throws {
        let router = buildRouter(configuration: HTTPConfiguration(), controlPlane: ControlPlane(store: InMemoryControlPlaneStore()))
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var missing: [String] = []
        for route in router.routes {
            // Hummingbird writes parameters as `:name`; OpenAPI as `{name}`.
            let path = "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            if paths[path]?[route.method.rawValue.lowercased()] == nil { missing.append("\(route.method) \(path)") }
        }
        #expect(missing.isEmpty, "not in the OpenAPI document: \(missing)")
        #expect(router.routes.count >= 20)
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

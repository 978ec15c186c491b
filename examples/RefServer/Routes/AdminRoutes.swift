import HTTPTypes
import Hummingbird
import RefModel

/// Fault knobs, counters and the feature schema: `/admin/faults`, `/admin/stats`, `/admin/schema`.
struct AdminRoutes<Context: RequestContext> {
    let state: RefServerState

    func add(to router: Router<Context>) {
        router.get("/admin/faults") { _, _ in JSONResponse.make(state.faults) }
        router.post("/admin/faults") { request, _ in
            let patch = try await JSONResponse.decode(FaultPatch.self, from: request, limit: 64 << 10)
            do throws(FaultSettingsError) {
                return JSONResponse.make(try state.updateFaults(patch))
            } catch {
                throw OIPError(.badRequest, error.message)
            }
        }
        router.delete("/admin/faults") { _, _ in
            JSONResponse.make(try state.updateFaults(FaultPatch(reset: true)))
        }
        router.get("/admin/stats") { _, _ in JSONResponse.make(state.stats) }
        router.get("/admin/schema") { _, _ in JSONResponse.make(SchemaDocument(schema: .ranker)) }
    }
}

/// `GET /admin/schema` body: the tensor columns in order and how categoricals are coded.
struct SchemaDocument: Codable, Sendable {
    struct Column: Codable, Sendable {
        var index: Int
        var name: String
        var kind: String
        var categories: [String]?
    }

    var input: String = FeatureTensor.inputName
    var datatype: String = "FP32"
    var unknownCategoryCode: Int = -1
    var columns: [Column]

    init(schema: FeatureSchema) {
        columns = schema.features.enumerated().map { index, feature in
            Column(
                index: index, name: feature.name, kind: feature.kind.rawValue,
                categories: feature.kind == .categorical ? feature.categories : nil)
        }
    }

    enum CodingKeys: String, CodingKey {
        case input, datatype, columns
        case unknownCategoryCode = "unknown_category_code"
    }
}

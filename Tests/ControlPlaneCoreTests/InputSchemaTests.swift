import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Testing

@Suite("Input schema of a version vs agents' traffic")
struct InputSchemaTests {
    let packed = TensorSpec(name: "features", datatype: "FP32", shape: [-1, 3], features: ["price", "discount", "category"])

    @Test("packed numeric tensors allow numeric or categorical features; BYTES is categorical; vectors are embeddings")
    func declaredKinds() {
        let schema = InputSchema(inputs: [
            packed,
            TensorSpec(name: "query", datatype: "BYTES", shape: [-1]),
            TensorSpec(name: "user_embedding", datatype: "FP16", shape: [-1, 64]),
            TensorSpec(name: "position", datatype: "INT64", shape: [-1, 1]),
        ])
        #expect(schema.features["price"] == [.numeric, .categorical])
        #expect(schema.features["query"] == [.categorical])
        #expect(schema.features["user_embedding"] == [.embedding])
        #expect(schema.features["position"] == [.numeric, .categorical])
        #expect(schema.features["features"] == nil)  // a packing tensor declares its features, not itself
    }

    @Test("the reference profile narrows a declared feature to its exact kind")
    func profileRefinesKinds() {
        let profile = ReferenceProfile(
            model: "m", version: "1",
            features: [
                FeatureProfile(name: "category", kind: .categorical, n: 10, counts: [5, 5], categories: ["a"]),
                FeatureProfile(name: "not_declared", kind: .numeric, n: 10, edges: [1], counts: [5, 5]),
            ])
        let schema = InputSchema(inputs: [packed], profile: profile)
        #expect(schema.features["category"] == [.categorical])
        #expect(schema.features["price"] == [.numeric, .categorical])
        #expect(schema.features["not_declared"] == nil)
    }

    @Test(
        "missing and kind-mismatched features block, extra ones are only listed",
        arguments: [
            // (observed, missing, extra, mismatched, compatible)
            ([("price", FeatureKind.numeric), ("discount", .numeric), ("category", .categorical)], [String](), [String](), [String](), true),
            ([("price", .numeric), ("discount", .numeric), ("category", .categorical), ("brand", .categorical)], [], ["brand"], [], true),
            ([("price", .numeric), ("category", .categorical)], ["discount"], [], [], false),
            ([("price", .numeric), ("discount", .numeric), ("category", .numeric)], [], [], ["category"], false),
            ([("price", .embedding), ("discount", .numeric)], ["category"], [], ["price"], false),
        ])
    func compare(
        observed: [(String, FeatureKind)], missing: [String], extra: [String], mismatched: [String], compatible: Bool
    ) {
        let declared = InputSchema(features: ["price": [.numeric], "discount": [.numeric], "category": [.categorical]])
        let seen = InputSchema(features: Dictionary(uniqueKeysWithValues: observed.map { ($0.0, Set([$0.1])) }))
        let difference = declared.compare(with: seen)
        #expect(difference.missing == missing)
        #expect(difference.extra == extra)
        #expect(difference.kindMismatches.map(\.name) == mismatched)
        #expect(difference.isCompatible == compatible)
    }

    @Test("a kind mismatch names both sides")
    func mismatchDetail() {
        let declared = InputSchema(features: ["category": [.categorical]])
        let difference = declared.compare(with: InputSchema(features: ["category": [.numeric, .embedding]]))
        #expect(difference.kindMismatches == [SchemaKindMismatch(name: "category", declared: [.categorical], observed: [.numeric, .embedding])])
    }

    @Test("a version without named inputs declares nothing to check")
    func emptySchema() {
        #expect(InputSchema(inputs: []).isEmpty)
        #expect(InputSchema(inputs: []).compare(with: InputSchema(features: ["price": [.numeric]])).isCompatible)
    }
}

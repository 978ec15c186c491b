import ControlPlaneCore
import Testing

@Suite("In-memory store conformance")
struct InMemoryStoreConformanceTests {
    @Test("the in-memory store passes the shared store conformance check", arguments: StoreConformance.allCases)
    func conformance(_ check: StoreConformance) async throws {
        try await check.run(InMemoryControlPlaneStore())
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import RefModel
import RefServer
import Testing

@Suite("Reference server over a real socket")
struct LiveServerTests {
    @Test("a live server on 127.0.0.1 port 0 answers health, metadata and inference")
    func live() async throws {
        let server = try TestServer(port: 0)
        try await server.app.test(.live) { client in
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
            let response = try await client.execute(
                uri: "/v2/models/ranker/versions/2/infer", method: .post, headers: [.contentType: "application/json"],
                body: try inferBody(rows: sampleRows(count: 20)))
            #expect(response.status == .ok)
            try #expect(scores(response.body).count == 20)
            #expect(server.state.stats.inferOK["2"] == 1)
        }
    }
}

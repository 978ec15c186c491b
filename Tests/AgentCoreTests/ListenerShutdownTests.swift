import AgentCore
import CurlTransport
import DroverAPI
import Testing

@Suite("Local HTTP listener shutdown")
struct ListenerShutdownTests {
    @Test("closing the listener ends serve() even while a client keeps an idle keep-alive connection open")
    func idleKeepAliveDoesNotHoldShutdown() async throws {
        let bound = try await LocalHTTPServer.bind(host: "127.0.0.1", port: 0, maxBodyBytes: 1 << 16) { _ in
            LocalHTTPResponse(status: 200, body: Array("ok".utf8))
        }
        let serving = Task { try await bound.serve() }
        // A transport of its own, so the idle connection it keeps after the request is this test's alone.
        try CurlGlobal.initialize()
        let client = try CurlTransport(configuration: .init(connectTimeout: .seconds(10), timeout: .seconds(30)))  // "does not hang" bounds
        let response = try await client.send(TransportRequest(method: .get, url: "http://127.0.0.1:\(bound.port)/healthz"))
        #expect(response.status == 200)

        await bound.close()
        // "Does not hang" bound: before the fix serve() waited for the client to hang up (forever here).
        let ended = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await serving.value; return true }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                serving.cancel()  // so a failing run ends instead of hanging
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(ended, "serve() must return after close() although the client's connection is still open")
        _ = client  // keeps the client's pooled connection open until here
    }
}

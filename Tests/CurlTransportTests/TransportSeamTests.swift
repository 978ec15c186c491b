import DroverAPI
import Testing

@Suite("The HTTPTransport seam in DroverAPI")
struct TransportSeamTests {
    @Test("Headers keep order and repeated names; lookups ignore ASCII case")
    func headers() {
        var headers: TransportHeaders = ["Content-Type": "application/json", "X-A": "1"]
        headers.add("x-a", "2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers.values(for: "X-A") == ["1", "2"])
        headers.set("X-A", "3")
        #expect(headers.values(for: "x-a") == ["3"])
        headers.remove("CONTENT-TYPE")
        #expect(headers.fields == [TransportHeaders.Field(name: "X-A", value: "3")])
        #expect(!TransportHeaders.namesEqual("X-A", "X-B"))
    }

    @Test("ClosureTransport answers with its closure and sendExpectingSuccess turns 4xx into HTTPStatusError")
    func closureTransport() async throws {
        let transport = ClosureTransport { request in
            if request.url.hasSuffix("/missing") {
                return TransportResponse(
                    status: 404, text: #"{"error":{"code":"not_found","message":"no model version ranker@9"}}"#)
            }
            return TransportResponse(status: 200, headers: ["X-Seen": request.method.rawValue], text: "ok")
        }
        let ok = try await transport.sendExpectingSuccess(.get("http://cp/v1/ok"))
        #expect(ok.bodyString == "ok")
        #expect(ok.header("x-seen") == "GET")

        let error = await #expect(throws: HTTPStatusError.self) {
            try await transport.sendExpectingSuccess(.delete("http://cp/v1/missing"))
        }
        #expect(error?.code == "not_found")
        #expect(
            error?.description
                == "DELETE http://cp/v1/missing failed with HTTP 404: no model version ranker@9 (code not_found)"
                + " — check the URL and the id")
    }

    @Test("HTTPStatusError falls back to the body text, or to nothing for an empty body")
    func statusErrorFallbacks() {
        let request = TransportRequest.get("http://cp/v1/x")
        let text = HTTPStatusError(request: request, response: TransportResponse(status: 502, text: "  bad gateway\n"))
        #expect(text.message == "bad gateway")
        #expect(text.description == "GET http://cp/v1/x failed with HTTP 502: bad gateway")
        let empty = HTTPStatusError(request: request, response: TransportResponse(status: 500))
        #expect(empty.message == nil)
        #expect(empty.description == "GET http://cp/v1/x failed with HTTP 500")
        let notDrover = HTTPStatusError(
            request: request, response: TransportResponse(status: 400, text: #"{"msg":"x"}"#))
        #expect(notDrover.apiError == nil)
        #expect(notDrover.message == #"{"msg":"x"}"#)
    }

    @Test("A JSON request encodes its body and sets the content type")
    func jsonRequest() throws {
        struct Payload: Encodable { let b: Int; let a: String }
        let request = try TransportRequest.json(.post, "http://cp/v1/reports", Payload(b: 2, a: "x"))
        #expect(request.headers["content-type"] == "application/json")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"a":"x","b":2}"#)
    }

    @Test("TransportError kinds have stable names and say whether a retry can help")
    func errorKinds() {
        #expect(TransportError.Kind.timedOut.description == "timed_out")
        #expect(TransportError(kind: .connectionClosed, url: "u").isTransient)
        #expect(!TransportError(kind: .tls, url: "u").isTransient)
        #expect(!TransportError(kind: .responseTooLarge, url: "u").isTransient)
        #expect(
            TransportError(kind: .cancelled, url: "http://x/", method: .get).description
                == "GET http://x/ was cancelled")
    }
}

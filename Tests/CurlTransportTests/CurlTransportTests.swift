import CurlTransport
import DroverAPI
import Synchronization
import Testing

@Suite("CurlTransport against a real loopback server", .timeLimit(.minutes(2)))
struct CurlTransportTests {
    init() throws {
        try CurlGlobal.initialize()
    }

    static let bodyMethods: [TransportRequest.Method] = [.post, .put, .patch, .delete]

    @Test("GET sends the method and headers and returns status, headers and body")
    func getEchoes() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let response = try await transport.send(
                .get(server.url("/echo?x=1"), headers: ["X-Trace": "abc", "Accept": "text/plain"]))
            #expect(response.status == 200)
            #expect(response.header("x-echo-method") == "GET")
            #expect(response.header("X-ECHO-URI") == "/echo?x=1")
            #expect(response.header("x-echo-h-x-trace") == "abc")
            #expect(response.header("x-echo-h-accept") == "text/plain")
            #expect(response.header("x-echo-h-user-agent") == "drover")
            #expect(response.header("x-echo-h-authorization") == nil)
            #expect(response.body.isEmpty)
        }
    }

    @Test("POST, PUT, PATCH and DELETE carry their method, headers and body", arguments: bodyMethods)
    func bodyMethodsEcho(method: TransportRequest.Method) async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let body = Array(#"{"id":"r-1","values":[1,2,3]}"#.utf8) + [0, 255, 10]  // binary-safe
            let request = TransportRequest(
                method: method, url: server.url("/echo"),
                headers: ["Content-Type": "application/json", "X-Request-Id": "r-1"], body: body)
            let response = try await transport.send(request)
            #expect(response.status == 200)
            #expect(response.header("x-echo-method") == method.rawValue)
            #expect(response.header("x-echo-h-content-type") == "application/json")
            #expect(response.header("x-echo-h-x-request-id") == "r-1")
            #expect(response.header("x-echo-h-content-length") == "\(body.count)")
            #expect(response.header("x-echo-h-expect") == nil)
            #expect(response.body == body)
        }
    }

    @Test("A POST without a body sends Content-Length 0 and no form content type")
    func emptyPost() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let response = try await transport.send(TransportRequest(method: .post, url: server.url("/echo")))
            #expect(response.status == 200)
            #expect(response.header("x-echo-method") == "POST")
            #expect(response.header("x-echo-h-content-length") == "0")
            #expect(response.header("x-echo-h-content-type") == nil)
        }
    }

    @Test("HEAD returns the headers and no body")
    func head() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let response = try await transport.send(TransportRequest(method: .head, url: server.url("/echo")))
            #expect(response.status == 200)
            #expect(response.header("x-echo-method") == "HEAD")
            #expect(response.body.isEmpty)
            // The connection is still usable afterwards.
            #expect(try await transport.send(.get(server.url("/echo"))).status == 200)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test("Repeated response headers are kept in order and trimmed; lookups ignore case")
    func responseHeaders() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let response = try await transport.send(.get(server.url("/headers")))
            #expect(response.headers.values(for: "x-multi") == ["a", "b"])
            #expect(response.header("x-spaced") == "padded value")
            #expect(response.header("Content-Length") == "0")
        }
    }

    @Test("Bearer tokens: the configured default, a per-request override, and an explicit Authorization header")
    func bearerTokens() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport(configuration: .init(bearerToken: "default-token"))
            let plain = try await transport.send(.get(server.url("/echo")))
            #expect(plain.header("x-echo-h-authorization") == "Bearer default-token")

            var overridden = TransportRequest.get(server.url("/echo"))
            overridden.bearerToken = "request-token"
            #expect(try await transport.send(overridden).header("x-echo-h-authorization") == "Bearer request-token")

            let explicit = TransportRequest.get(server.url("/echo"), headers: ["Authorization": "Basic dTpw"])
            #expect(try await transport.send(explicit).headers.values(for: "x-echo-h-authorization") == ["Basic dTpw"])
        }
    }

    @Test("A closed port fails with connectionRefused and a message naming the URL")
    func connectionRefused() async throws {
        let port = try await TestHTTPServer.closedPort()
        let url = "http://127.0.0.1:\(port)/v1/reports"
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            try await transport.send(.post(url, body: Array("{}".utf8)))
        }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.curlCode == 7)
        #expect(error?.isTransient == true)
        let description = error?.description ?? ""
        #expect(description.contains("could not connect to \(url): connection refused"))
        #expect(description.contains("is the server running"))
        print("connection refused reads: \(description)")
    }

    @Test("The total timeout gives timedOut promptly, per request or from the configuration")
    func timeouts() async throws {
        try await TestHTTPServer.with { server in
            let clock = ContinuousClock()
            let transport = try CurlTransport()
            let start = clock.now
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(.get(server.url("/delay/5000"), timeout: .milliseconds(300)))
            }
            let elapsed = clock.now - start
            #expect(error?.kind == .timedOut)
            #expect(error?.curlCode == 28)
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(2), "took \(elapsed)")
            print("timeout reads: \(error?.description ?? "")")

            let configured = try CurlTransport(configuration: .init(timeout: .milliseconds(200)))
            let second = await #expect(throws: TransportError.self) {
                try await configured.send(.get(server.url("/delay/5000")))
            }
            #expect(second?.kind == .timedOut)

            // A request that finishes within its timeout is unaffected, and the handle recovers after a timeout.
            #expect(try await transport.send(.get(server.url("/delay/50"), timeout: .seconds(5))).bodyString == "done")
        }
    }

    @Test("A body over the size cap fails with responseTooLarge, with or without Content-Length")
    func sizeCap() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport(configuration: .init(maxResponseBytes: 100_000))
            for path in ["/huge/5000000", "/huge-chunked/5000000", "/huge/100001", "/huge-chunked/100001"] {
                let error = await #expect(throws: TransportError.self, "\(path)") {
                    try await transport.send(.get(server.url(path)))
                }
                #expect(error?.kind == .responseTooLarge, "\(path): \(String(describing: error))")
                #expect(error?.description.contains("100000 bytes") == true)
            }
            let exact = try await transport.send(.get(server.url("/huge-chunked/100000")))
            #expect(exact.body.count == 100_000)
            let exactWithLength = try await transport.send(.get(server.url("/huge/100000")))
            #expect(exactWithLength.body.count == 100_000)
            // HEAD of a large resource is fine: only its headers arrive.
            let head = try await transport.send(TransportRequest(method: .head, url: server.url("/huge/5000000")))
            #expect(head.status == 200)
            #expect(head.header("content-length") == "5000000")
        }
    }

    @Test("A server closing mid-response or without answering gives connectionClosed")
    func midResponseClose() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            for path in ["/close-mid", "/close-now"] {
                let error = await #expect(throws: TransportError.self, "\(path)") {
                    try await transport.send(.get(server.url(path)))
                }
                #expect(error?.kind == .connectionClosed, "\(path): \(String(describing: error))")
                #expect(error?.isTransient == true)
                print("\(path) reads: \(error?.description ?? "")")
            }
            #expect(try await transport.send(.get(server.url("/echo"))).status == 200)
        }
    }

    @Test("A 4xx with Drover's JSON error body surfaces its message, code and field")
    func jsonErrorBody() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let request = TransportRequest.post(server.url("/status/422"), body: Array("{}".utf8))
            let response = try await transport.send(request)
            #expect(response.status == 422)
            #expect(!response.isSuccess)

            let error = await #expect(throws: HTTPStatusError.self) {
                try await transport.sendExpectingSuccess(request)
            }
            #expect(error?.status == 422)
            #expect(error?.code == "invalid_field")
            #expect(error?.field == "window.end")
            #expect(error?.message == "window.end must be after window.start")
            #expect(
                error?.description
                    == "POST \(server.url("/status/422")) failed with HTTP 422: window.end must be after window.start"
                    + " (code invalid_field, field window.end)")

            let plain = await #expect(throws: HTTPStatusError.self) {
                try await transport.sendExpectingSuccess(.get(server.url("/status/503?plain")))
            }
            #expect(plain?.apiError == nil)
            #expect(plain?.message == "plain failure")
        }
    }

    @Test("Sequential requests reuse one TCP connection")
    func connectionReuse() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            for index in 0..<40 {
                let request: TransportRequest =
                    index.isMultiple(of: 2)
                    ? .get(server.url("/echo")) : .post(server.url("/echo"), body: Array("{\"i\":\(index)}".utf8))
                #expect(try await transport.send(request).status == 200)
            }
            _ = try await transport.send(.get(server.url("/status/404")))
            _ = try await transport.send(TransportRequest(method: .head, url: server.url("/echo")))
            #expect(try await transport.send(.get(server.url("/echo"))).status == 200)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test("50 concurrent requests all succeed while other tasks keep running on the cooperative pool")
    func concurrentRequests() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let clock = ContinuousClock()
            let done = Atomic<Bool>(false)
            let ticker = Task {
                var ticks = 0
                while !done.load(ordering: .relaxed) {
                    try? await Task.sleep(for: .milliseconds(10))
                    ticks += 1
                }
                return ticks
            }
            let start = clock.now
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await transport.send(.get(server.url("/delay/200?n=\(index)"))).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let elapsed = clock.now - start
            done.store(true, ordering: .relaxed)
            let ticks = await ticker.value
            #expect(statuses.count == 50)
            #expect(statuses.allSatisfy { $0 == 200 })
            // 50 x 200 ms one after another would take 10 s; at most 8 (the pool size) run in parallel: ~1.4 s.
            #expect(elapsed < .seconds(4), "took \(elapsed)")
            #expect(ticks >= 10, "the ticker only ran \(ticks) times in \(elapsed)")
            #expect(server.acceptedConnections <= 8)
            print(
                "50 concurrent 200 ms requests: \(elapsed), \(server.acceptedConnections) connections,"
                    + " ticker ran \(ticks) times")
        }
    }

    @Test("Cancelling the calling task aborts the transfer promptly with cancelled")
    func cancellation() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task { try await transport.send(.get(server.url("/delay/10000"))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            let elapsed = clock.now - start
            #expect(elapsed < .seconds(2), "took \(elapsed)")
            #expect(throws: TransportError.self) { try result.get() }
            if case .failure(let error as TransportError) = result {
                #expect(error.kind == .cancelled)
            }

            // Cancelled before it starts: fails at once.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await transport.send(.get(server.url("/delay/10000")))
            }
            if case .failure(let error as TransportError) = await early.result {
                #expect(error.kind == .cancelled)
            } else {
                Issue.record("a request from a cancelled task should fail with cancelled")
            }

            // The transport keeps working.
            #expect(try await transport.send(.get(server.url("/echo"))).status == 200)
        }
    }

    @Test("https to a plain-HTTP server fails with a TLS error")
    func tlsAgainstPlainServer() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(3), timeout: .seconds(5)))
            let url = "https://127.0.0.1:\(server.port)/echo"
            let error = await #expect(throws: TransportError.self) { try await transport.send(.get(url)) }
            #expect(error?.kind == .tls, "\(String(describing: error))")
            print("https to plain HTTP reads: \(error?.description ?? "")")
        }
    }

    @Test("A missing CA bundle fails with a TLS error")
    func missingCABundle() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport(configuration: .init(caBundlePath: "/nonexistent/drover-ca.pem"))
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(.get("https://127.0.0.1:\(server.port)/echo"))
            }
            #expect(error?.kind == .tls, "\(String(describing: error))")
        }
    }

    @Test(
        "Bad URLs fail with invalidURL",
        arguments: ["ftp://127.0.0.1/file", "not a url", "", "http://", "file:///etc/passwd"])
    func invalidURL(url: String) async throws {
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) { try await transport.send(.get(url)) }
        #expect(error?.kind == .invalidURL, "\(String(describing: error))")
    }

    @Test("Header values with line breaks are rejected before anything is sent")
    func headerInjection() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let error = await #expect(throws: TransportError.self) {
                try await transport.send(.get(server.url("/echo"), headers: ["X-Evil": "a\r\nX-Injected: 1"]))
            }
            #expect(error?.kind == .invalidRequest)
            #expect(server.acceptedConnections == 0)
        }
    }

    @Test("A released transport stops its thread; requests on other transports are unaffected")
    func releaseTransport() async throws {
        try await TestHTTPServer.with { server in
            for _ in 0..<20 {
                let transport = try CurlTransport()
                #expect(try await transport.send(.get(server.url("/echo"))).status == 200)
            }
            // A temporary transport lives until its request is answered.
            #expect(try await CurlTransport().send(.get(server.url("/delay/100"))).bodyString == "done")
        }
    }

    @Test("Performance: 1,000 sequential small POSTs over one reused connection (printed, not asserted)")
    func sequentialPostBench() async throws {
        try await TestHTTPServer.with { server in
            let transport = try CurlTransport()
            let body = Array(
                #"{"schema_version":1,"id":"01JDX3K9Q4W8Z6M2T0B7C5N1RV","agent_id":"node-a/ranker-0"}"#.utf8)
            let request = TransportRequest.post(server.url("/echo"), body: body)
            _ = try await transport.send(request)  // warm up
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<1_000 {
                let response = try await transport.send(request)
                guard response.status == 200 else { Issue.record("status \(response.status)"); return }
            }
            let elapsed = clock.now - start
            #expect(server.acceptedConnections == 1)
            let perRequest = elapsed / 1_000
            print("1000 sequential POSTs over one connection: \(elapsed) total, \(perRequest) per request")
        }
    }
}

import DroverAPI
import DroverTestKit
import Synchronization
import Testing

@testable import AgentCore

#if canImport(Glibc)
  import Glibc
#endif

/// Counts the requests a test handler saw.
final class HandlerCount: Sendable {
  // The mutex guards the count.
  private let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

/// Echoes the method, path, query and body size, and the body itself.
let echo: LocalHTTPHandler = { request in
  LocalHTTPResponse(
    status: 200, contentType: "application/octet-stream",
    body: Array("\(request.method) \(request.path)?\(request.query) \(request.body.count)\n".utf8)
      + request.body)
}

func get(_ path: String, _ extra: String = "") -> String {
  "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)\r\n"
}

@Suite("Local HTTP listener on plain sockets")
struct LocalHTTPServerTests {
  @Test(
    "keep-alive: several requests on one connection, each answered in order, also when pipelined")
  func keepAlive() async throws {
    try await LocalHTTPServer.withServer(configuration: .init(), handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      for i in 0..<3 {
        try await client.send(get("/healthz?i=\(i)"))
        let response = try #require(try await client.readResponse())
        #expect(response.status == 200)
        #expect(response.headers["connection"] == "keep-alive")
        #expect(response.text == "GET /healthz?i=\(i) 0\n")
      }
      #expect(bound.openConnections == 1)
      // Two requests in one write: two answers, in order.
      try await client.send(
        get("/a") + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz")
      #expect(try await client.readResponse()?.text == "GET /a? 0\n")
      #expect(try await client.readResponse()?.text == "POST /b? 3\nxyz")
      // HTTP/1.0 closes unless asked to keep the connection.
      try await client.send("GET /c HTTP/1.0\r\n\r\n")
      let last = try #require(try await client.readResponse())
      #expect(last.headers["connection"] == "close")
      #expect(try await client.waitForClose())
    }
  }

  @Test("Content-Length and chunked bodies arrive intact (chunk extensions and trailers too)")
  func bodies() async throws {
    try await LocalHTTPServer.withServer(configuration: .init(), handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      let binary = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      try await client.send(
        Array("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: \(binary.count)\r\n\r\n".utf8)
          + binary)
      let fixed = try #require(try await client.readResponse())
      #expect(fixed.body == Array("POST /v1/events? 70000\n".utf8) + binary)

      let chunked =
        "POST /v1/labels HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n"
      try await client.send(chunked)
      let response = try #require(try await client.readResponse())
      #expect(response.text == "POST /v1/labels? 16\nhello 0123456789")
      #expect(response.headers["connection"] == "keep-alive")
    }
  }

  @Test(
    "a body over the bound is answered 413 with a JSON error before the client sends it, and the handler never runs"
  )
  func bodyBound() async throws {
    let count = HandlerCount()
    let configuration = LocalHTTPServer.Configuration(maxBodyBytes: 1_000)
    try await LocalHTTPServer.withServer(
      configuration: configuration,
      handler: {
        count.add()
        return await echo($0)
      }
    ) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")  // no body sent
      let response = try #require(try await client.readResponse())
      #expect(response.status == 413)
      #expect(
        response.text
          == #"{"error":{"code":"body_too_large","message":"the body exceeds 1000 bytes; send smaller batches"}}"#
      )
      #expect(response.headers["connection"] == "close")
      #expect(try await client.waitForClose())

      let chunked = try await RawHTTPClient(port: bound.port)
      try await chunked.send(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n"
          + String(repeating: "a", count: 512)
          + "\r\n300\r\n")
      #expect(try await chunked.readResponse()?.status == 413)
      #expect(try await chunked.waitForClose())
      #expect(count.value == 0)
    }
  }

  @Test(
    "malformed requests are answered with an error status and the connection is closed",
    arguments: [
      ("NOT A REQUEST\r\n\r\n", 400),
      ("GET /x HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", 400),
      ("GET /x HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400),
      ("GET /x HTTP/1.1\r\n\r\n", 400),  // no Host
      ("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400),
      ("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
      (
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        400
      ),
      ("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
      ("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n", 400),
      ("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
      ("GET /x HTTP/2.0\r\nHost: x\r\n\r\n", 505),
      ("GET x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
      ("GET /x HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", 417),
    ])
  func malformed(request: String, status: Int) async throws {
    let count = HandlerCount()
    try await LocalHTTPServer.withServer(
      configuration: .init(),
      handler: {
        count.add()
        return await echo($0)
      }
    ) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(request)
      let response = try #require(try await client.readResponse())
      #expect(response.status == status)
      #expect(response.text.hasPrefix(#"{"error":{"code":""#))
      #expect(try await client.waitForClose())
      #expect(count.value == 0)
    }
  }

  @Test("a request head over the header bound is answered 431")
  func headerBound() async throws {
    let configuration = LocalHTTPServer.Configuration(maxHeaderBytes: 1_024)
    try await LocalHTTPServer.withServer(configuration: configuration, handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      let small = try await RawHTTPClient(port: bound.port)
      try await small.send(get("/ok", "X-Pad: \(String(repeating: "p", count: 800))\r\n"))
      #expect(try await small.readResponse()?.status == 200)
      let client = try await RawHTTPClient(port: bound.port)
      // Never ends the head: the bound, not a timeout, must answer.
      try await client.send(
        "GET /x HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "p", count: 4_000))
      let response = try #require(try await client.readResponse())
      #expect(response.status == 431)
      #expect(try await client.waitForClose())
    }
  }

  @Test("the agent's endpoints answer 404 for unknown paths and 405 for a wrong method")
  func notFoundAndMethod() async throws {
    let h = try RuntimeTests.Harness()
    defer { h.dir.remove() }
    let endpoints = AgentEndpoints(runtime: h.runtime, metrics: nil)
    try await LocalHTTPServer.withServer(
      configuration: .init(), handler: { await endpoints.handle($0) }
    ) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(get("/nope"))
      #expect(try await client.readResponse()?.status == 404)
      try await client.send(get("/v1/events"))
      let wrong = try #require(try await client.readResponse())
      #expect(wrong.status == 405)
      #expect(wrong.text.contains("method_not_allowed"))
      try await client.send("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
      #expect(try await client.readResponse()?.status == 405)
    }
  }

  @Test("an idle connection is closed after the idle timeout, a trickled request is answered 408")
  func timeouts() async throws {
    let configuration = LocalHTTPServer.Configuration(
      idleTimeout: .milliseconds(300), requestTimeout: .milliseconds(600))
    try await LocalHTTPServer.withServer(configuration: configuration, handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      let silent = try await RawHTTPClient(port: bound.port)
      #expect(try await silent.waitForClose())

      let afterOne = try await RawHTTPClient(port: bound.port)
      try await afterOne.send(get("/one"))
      #expect(try await afterOne.readResponse()?.status == 200)
      #expect(
        try await afterOne.waitForClose(),
        "an idle keep-alive connection ends after the idle timeout")

      // A byte every 100 ms never trips the idle timeout; the whole-request bound answers 408.
      let slowloris = try await RawHTTPClient(port: bound.port)
      let trickle =
        Array("GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: 120, count: 200)
      try await slowloris.sendSlowly(
        trickle, piece: 1, pause: .milliseconds(100), untilAnswered: true)
      let response = try #require(try await slowloris.readResponse())
      #expect(response.status == 408)
      #expect(try await slowloris.waitForClose())
    }
  }

  @Test(
    "slow clients: a request sent a few bytes at a time, a large response read slowly, both intact")
  func slowClients() async throws {
    let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    let handler: LocalHTTPHandler = { request in
      request.path == "/big"
        ? LocalHTTPResponse(status: 200, contentType: "application/octet-stream", body: big)
        : await echo(request)
    }
    try await LocalHTTPServer.withServer(configuration: .init(), handler: handler) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      let request = Array(
        "POST /slow?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz"
          .utf8)
      try await client.sendSlowly(request, piece: 3, pause: .milliseconds(5))
      #expect(
        try await client.readResponse()?.text == "POST /slow?x=1 26\nabcdefghijklmnopqrstuvwxyz")

      // 3 MB read 64 KB at a time with pauses: the server meets a full socket buffer (EAGAIN) many times.
      try await client.send(get("/big"))
      let response = try #require(
        try await client.readResponse(
          timeout: .seconds(60), readChunk: 64 << 10, readPause: .milliseconds(2)))
      #expect(response.body.count == big.count)
      #expect(response.body == big)
      try await client.send(get("/after"))
      #expect(try await client.readResponse()?.text == "GET /after? 0\n")
    }
  }

  @Test(
    "beyond the connection bound a client is answered 503; once a connection closes, new ones are served"
  )
  func connectionBound() async throws {
    let configuration = LocalHTTPServer.Configuration(maxConnections: 2)
    try await LocalHTTPServer.withServer(configuration: configuration, handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      var held: [RawHTTPClient] = []
      for _ in 0..<2 {
        let client = try await RawHTTPClient(port: bound.port)
        try await client.send(get("/hold"))
        #expect(try await client.readResponse()?.status == 200)
        held.append(client)
      }
      #expect(bound.openConnections == 2)
      let third = try await RawHTTPClient(port: bound.port)
      try await third.send(get("/third"))
      let refused = try #require(try await third.readResponse())
      #expect(refused.status == 503)
      #expect(refused.text.contains("too_many_connections"))

      held.removeFirst()  // closes one
      try await Eventually.wait(timeout: .seconds(10), "the server notices the close") {
        bound.openConnections == 1
      }
      let fourth = try await RawHTTPClient(port: bound.port)
      try await fourth.send(get("/fourth"))
      #expect(try await fourth.readResponse()?.status == 200)
    }
  }

  @Test(
    "a client that disconnects mid-body is dropped without a handler call; the listener keeps serving"
  )
  func disconnectMidBody() async throws {
    let count = HandlerCount()
    try await LocalHTTPServer.withServer(
      configuration: .init(),
      handler: {
        count.add()
        return await echo($0)
      }
    ) {
      (bound: LocalHTTPServer.Bound) in
      for _ in 0..<5 {
        let client = try await RawHTTPClient(port: bound.port)
        try await client.send(
          "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
            + String(repeating: "e", count: 5_000))
        try await Task.sleep(for: .milliseconds(20))
      }  // each client is closed (deinit) with 95,000 bytes unsent
      let reset = try await RawHTTPClient(port: bound.port)
      try await reset.send(
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
      var linger = linger(l_onoff: 1, l_linger: 0)  // close with a reset instead of a FIN
      _ = setsockopt(reset.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
      _ = consume reset
      try await Eventually.wait(timeout: .seconds(10), "every half-sent connection is closed") {
        bound.openConnections == 0
      }
      #expect(count.value == 0)
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(get("/still-there"))
      #expect(try await client.readResponse()?.status == 200)
    }
  }

  @Test("Expect: 100-continue gets 100 before the body; an oversized one gets 413 instead")
  func expectContinue() async throws {
    let configuration = LocalHTTPServer.Configuration(maxBodyBytes: 100)
    try await LocalHTTPServer.withServer(configuration: configuration, handler: echo) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(
        "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
      #expect(try await client.readResponse()?.status == 100)
      try await client.send("body")
      #expect(try await client.readResponse()?.text == "POST /e? 4\nbody")
      try await client.send(
        "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\nExpect: 100-continue\r\n\r\n")
      #expect(try await client.readResponse()?.status == 413)
    }
  }

  @Test(
    "closing the listener lets a request in progress finish (connection: close), then serve() returns"
  )
  func gracefulClose() async throws {
    let started = HandlerCount()
    let bound = try await LocalHTTPServer.bind(host: "127.0.0.1", port: 0, configuration: .init()) {
      request in
      started.add()
      try? await Task.sleep(for: .milliseconds(300))
      return await echo(request)
    }
    let serving = Task { try await bound.serve() }
    let busy = try await RawHTTPClient(port: bound.port)
    let idle = try await RawHTTPClient(port: bound.port)
    try await busy.send(get("/slow"))
    try await Eventually.wait(timeout: .seconds(10), "the handler runs") { started.value == 1 }
    bound.closeNow()
    let response = try #require(try await busy.readResponse())
    #expect(response.status == 200)
    #expect(response.headers["connection"] == "close")
    #expect(try await idle.waitForClose())
    try await serving.value
    #expect(bound.openConnections == 0)
    // The port is released: a new listener can bind it.
    let again = try await LocalHTTPServer.bind(
      host: "127.0.0.1", port: bound.port, maxBodyBytes: 10, handler: echo)
    await again.close()
  }

  @Test("signals interrupting the listener thread (EINTR) lose no request")
  func interruptedBySignals() async throws {
    // SIGURG's default action is to ignore it; a handler without SA_RESTART makes poll(2) fail with EINTR.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in }
    action.sa_flags = 0
    var previous = sigaction()
    sigaction(SIGURG, &action, &previous)
    defer { sigaction(SIGURG, &previous, nil) }
    let count = HandlerCount()
    try await LocalHTTPServer.withServer(
      configuration: .init(),
      handler: {
        count.add()
        return await echo($0)
      }
    ) {
      (bound: LocalHTTPServer.Bound) in
      let client = try await RawHTTPClient(port: bound.port)
      try await client.send(get("/first"))
      #expect(try await client.readResponse()?.status == 200)
      let thread = try #require(bound.loop.thread)
      let signals = Task {
        while !Task.isCancelled {
          pthread_kill(thread, SIGURG)
          try? await Task.sleep(for: .milliseconds(1))
        }
      }
      for i in 0..<200 {
        let body = String(repeating: "b", count: i * 37)
        try await client.send(
          "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        let response = try #require(try await client.readResponse())
        #expect(response.text == "POST /s? \(body.utf8.count)\n" + body)
      }
      signals.cancel()
      await signals.value
      #expect(count.value == 201)
    }
  }

  @Test(
    "binding: an address that is not an IP is refused with a fix; a port in use names the conflict")
  func bindErrors() async throws {
    await #expect(throws: LocalHTTPServerError.self) {
      _ = try await LocalHTTPServer.bind(
        host: "agent.example", port: 0, maxBodyBytes: 10, handler: echo)
    }
    let first = try await LocalHTTPServer.bind(
      host: "localhost", port: 0, maxBodyBytes: 10, handler: echo)
    do {
      _ = try await LocalHTTPServer.bind(
        host: "127.0.0.1", port: first.port, maxBodyBytes: 10, handler: echo)
      Issue.record("binding a port in use must fail")
    } catch let error as LocalHTTPServerError {
      #expect(error.description.contains("another process uses this port"))
    }
    await first.close()
  }
}

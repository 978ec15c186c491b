import DroverAPI
import Synchronization

/// A request to the agent's own listener (or to a test server built on it), with its body read in full.
public struct LocalHTTPRequest: Sendable, Equatable {
  /// `GET`, `POST`, …
  public var method: String
  /// The path without the query.
  public var path: String
  /// The query string without `?` (empty when none).
  public var query: String
  /// Headers, names lower-cased (a repeated header's values joined with `, `).
  public var headers: [String: String]
  /// The body.
  public var body: [UInt8]

  /// The value of a query parameter.
  public func queryValue(_ name: String) -> String? {
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
    }
    return nil
  }
}

/// A response from a `LocalHTTPServer` handler.
public struct LocalHTTPResponse: Sendable {
  /// Status code.
  public var status: Int
  /// Content type.
  public var contentType: String
  /// Body.
  public var body: [UInt8]

  /// Creates a response.
  public init(status: Int, contentType: String = "application/json", body: [UInt8] = []) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }

  /// A text response.
  public static func text(
    _ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8"
  ) -> Self {
    .init(status: status, contentType: contentType, body: Array(text.utf8))
  }

  /// A JSON error body `{"error":{"code","message"}}`.
  public static func error(_ status: Int, code: String, message: String) -> Self {
    .init(
      status: status,
      body: Array(
        "{\"error\":{\"code\":\"\(code)\",\"message\":\(JSONString.quoted(message))}}".utf8))
  }
}

/// Handles one request.
public typealias LocalHTTPHandler = @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse

/// A small HTTP/1.1 server on plain sockets: one I/O thread running a poll(2) loop (non-blocking sockets,
/// keep-alive, Content-Length and chunked bodies, bounded head/body/connections, idle and request timeouts,
/// graceful close); handlers run as child tasks of `serve()`.
public struct LocalHTTPServer: Sendable {
  /// Bounds and timeouts of a listener.
  public struct Configuration: Sendable {
    /// Largest request body; a larger one is answered 413 before it is read.
    public var maxBodyBytes: Int
    /// Largest request head (request line and headers); a larger one is answered 431.
    public var maxHeaderBytes: Int
    /// Open connections served at once; a connection beyond this is answered 503 and closed.
    public var maxConnections: Int
    /// How long a connection may wait for the client (idle keep-alive, a stalled request, an unread response).
    public var idleTimeout: Duration
    /// How long a client may take to send one whole request once its first byte arrived (408 beyond).
    public var requestTimeout: Duration
    /// How long a closing listener lets requests in progress finish before it closes their connections.
    public var shutdownGracePeriod: Duration

    /// Creates a configuration; the defaults suit a sidecar on loopback.
    public init(
      maxBodyBytes: Int = 8 << 20, maxHeaderBytes: Int = 16 << 10, maxConnections: Int = 128,
      idleTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(30),
      shutdownGracePeriod: Duration = .seconds(5)
    ) {
      self.maxBodyBytes = maxBodyBytes
      self.maxHeaderBytes = maxHeaderBytes
      self.maxConnections = maxConnections
      self.idleTimeout = idleTimeout
      self.requestTimeout = requestTimeout
      self.shutdownGracePeriod = shutdownGracePeriod
    }
  }

  /// A bound listening socket, ready to serve.
  public struct Bound: Sendable {
    let loop: LocalHTTPEventLoop
    let handler: LocalHTTPHandler
    /// The bound port.
    public let port: Int

    /// Connections open right now (for tests and diagnostics).
    public var openConnections: Int { loop.openConnections.load(ordering: .relaxed) }

    /// Serves connections until the task is cancelled or the listener is closed; then ends every open
    /// connection too (an idle keep-alive client, such as a metrics scraper, must not hold up shutdown;
    /// requests in progress get `Configuration.shutdownGracePeriod` to finish). Call it once.
    public func serve() async throws {
      let (jobs, continuation) = AsyncStream.makeStream(of: LocalHTTPJob.self)
      guard try loop.start(jobs: continuation) else { return }
      let loop = self.loop
      let handler = self.handler
      await withTaskCancellationHandler {
        await withDiscardingTaskGroup { group in
          for await job in jobs {
            group.addTask { loop.complete(job, with: await handler(job.request)) }
          }
          group.cancelAll()
        }
      } onCancel: {
        loop.stop()
      }
      await loop.waitUntilFinished()
      if let failure = loop.failure { throw failure }
    }

    /// Starts closing the listening socket without waiting (for graceful-shutdown handlers).
    public func closeNow() {
      loop.stop()
    }

    /// Closes the listening socket and waits until every connection is closed; `serve()` then returns.
    public func close() async {
      loop.stop()
      await loop.waitUntilFinished()
    }
  }

  /// Binds `host:port` (port 0: any free port); `host` is an IP address (or `localhost`).
  public static func bind(
    host: String, port: Int, maxBodyBytes: Int, handler: @escaping LocalHTTPHandler
  ) async throws -> Bound {
    try await bind(
      host: host, port: port, configuration: .init(maxBodyBytes: maxBodyBytes), handler: handler)
  }

  /// Binds `host:port` with explicit bounds and timeouts.
  public static func bind(
    host: String, port: Int, configuration: Configuration, handler: @escaping LocalHTTPHandler
  ) async throws -> Bound {
    let socket = try ListenSocket.open(host: host, port: port, backlog: 256)
    let loop = try LocalHTTPEventLoop(listenFD: socket.fd, configuration: configuration)
    return Bound(loop: loop, handler: handler, port: socket.port)
  }

  /// Binds, runs `body` with the port while serving, then stops (tests and tools).
  public static func withServer<T: Sendable>(
    host: String = "127.0.0.1", port: Int = 0, maxBodyBytes: Int = 8 << 20,
    handler: @escaping LocalHTTPHandler,
    _ body: (Int) async throws -> T
  ) async throws -> T {
    try await withServer(
      host: host, port: port, configuration: .init(maxBodyBytes: maxBodyBytes), handler: handler
    ) {
      (bound: Bound) in try await body(bound.port)
    }
  }

  /// Binds with explicit bounds and timeouts, runs `body` with the bound listener while serving, then stops.
  public static func withServer<T: Sendable>(
    host: String = "127.0.0.1", port: Int = 0, configuration: Configuration,
    handler: @escaping LocalHTTPHandler,
    _ body: (Bound) async throws -> T
  ) async throws -> T {
    let bound = try await bind(
      host: host, port: port, configuration: configuration, handler: handler)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try? await bound.serve() }
      do {
        let result = try await body(bound)
        await bound.close()
        group.cancelAll()
        return result
      } catch {
        await bound.close()
        group.cancelAll()
        throw error
      }
    }
  }
}

import DroverAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A request to the agent's own listener (or to a test server built on it), with its body read in full.
public struct LocalHTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path without the query.
    public var path: String
    /// The query string without `?` (empty when none).
    public var query: String
    /// Headers, names lower-cased.
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
    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> Self {
        .init(status: status, contentType: contentType, body: Array(text.utf8))
    }

    /// A JSON error body `{"error":{"code","message"}}`.
    public static func error(_ status: Int, code: String, message: String) -> Self {
        .init(status: status, body: Array("{\"error\":{\"code\":\"\(code)\",\"message\":\(JSONString.quoted(message))}}".utf8))
    }
}

/// Handles one request.
public typealias LocalHTTPHandler = @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse

/// A small HTTP/1.1 server on SwiftNIO: bounded bodies (413 beyond the bound), keep-alive, `TCP_NODELAY`.
public struct LocalHTTPServer: Sendable {
    /// A bound listening socket, ready to serve.
    public struct Bound: Sendable {
        let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        let maxBodyBytes: Int
        let handler: LocalHTTPHandler
        /// The bound port.
        public let port: Int

        /// Serves connections until the task is cancelled or the listening socket is closed; then ends every
        /// open connection too (an idle keep-alive client, such as a metrics scraper, must not hold up shutdown).
        public func serve() async throws {
            try await withThrowingDiscardingTaskGroup { group in
                try await channel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await Self.handle(connection, maxBodyBytes: maxBodyBytes, handler: handler) }
                    }
                }
                group.cancelAll()
            }
        }

        /// Starts closing the listening socket without waiting (for graceful-shutdown handlers).
        public func closeNow() {
            channel.channel.close(promise: nil)
        }

        /// Closes the listening socket; `serve()` then returns.
        public func close() async {
            try? await channel.channel.close()
        }

        private static func handle(
            _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, maxBodyBytes: Int,
            handler: LocalHTTPHandler
        ) async {
            try? await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.removeAll(keepingCapacity: true)
                        tooLarge = false
                        if let length = h.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                            tooLarge = true
                        }
                    case .body(let buffer):
                        if tooLarge { continue }
                        if body.count + buffer.readableBytes > maxBodyBytes {
                            tooLarge = true
                            body.removeAll()
                        } else {
                            body.append(contentsOf: buffer.readableBytesView)
                        }
                    case .end:
                        guard let h = head else { return }
                        let response: LocalHTTPResponse
                        if tooLarge {
                            response = .error(413, code: "body_too_large", message: "the body exceeds \(maxBodyBytes) bytes; send smaller batches")
                        } else {
                            let uri = h.uri
                            let q = uri.firstIndex(of: "?")
                            var headers: [String: String] = [:]
                            for (name, value) in h.headers { headers[name.lowercased()] = value }
                            let request = LocalHTTPRequest(
                                method: h.method.rawValue, path: q.map { String(uri[..<$0]) } ?? uri,
                                query: q.map { String(uri[uri.index(after: $0)...]) } ?? "", headers: headers, body: body)
                            response = await handler(request)
                        }
                        let keepAlive = h.isKeepAlive && !tooLarge
                        var responseHead = HTTPResponseHead(version: h.version, status: .init(statusCode: response.status))
                        responseHead.headers.add(name: "content-type", value: response.contentType)
                        responseHead.headers.add(name: "content-length", value: String(response.body.count))
                        if !keepAlive { responseHead.headers.add(name: "connection", value: "close") }
                        try await outbound.write(.head(responseHead))
                        if !response.body.isEmpty {
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                        }
                        try await outbound.write(.end(nil))
                        if !keepAlive { return }
                        head = nil
                    }
                }
            }
        }
    }

    /// One event-loop thread for every listener of the process: the agent's traffic is light, and each
    /// loop thread costs memory (its stack and malloc arena), so it does not get one per core.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Binds `host:port` (port 0: any free port).
    public static func bind(
        host: String, port: Int, maxBodyBytes: Int, handler: @escaping LocalHTTPHandler
    ) async throws -> Bound {
        let channel = try await ServerBootstrap(group: eventLoops)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let bound = channel.channel.localAddress?.port ?? port
        return Bound(channel: channel, maxBodyBytes: maxBodyBytes, handler: handler, port: bound)
    }

    /// Binds, runs `body` with the port while serving, then stops (tests and tools).
    public static func withServer<T: Sendable>(
        host: String = "127.0.0.1", port: Int = 0, maxBodyBytes: Int = 8 << 20, handler: @escaping LocalHTTPHandler,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let bound = try await bind(host: host, port: port, maxBodyBytes: maxBodyBytes, handler: handler)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await bound.serve() }
            do {
                let result = try await body(bound.port)
                group.cancelAll()
                await bound.close()
                return result
            } catch {
                group.cancelAll()
                await bound.close()
                throw error
            }
        }
    }
}

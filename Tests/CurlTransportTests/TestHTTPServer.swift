#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (free port) with routes that misbehave on purpose.
///
/// Routes: `/echo` (method, URI and headers echoed as `x-echo-*` response headers, body echoed),
/// `/status/{code}[?plain]` (a Drover JSON error body, or plain text), `/delay/{ms}`, `/huge/{bytes}` (with
/// Content-Length), `/huge-chunked/{bytes}` (chunked), `/close-mid` (promises 1000 bytes, sends 100, closes),
/// `/close-now` (closes without answering), `/headers` (repeated response headers).
final class TestHTTPServer: Sendable {
    /// The port the server listens on.
    let port: Int
    private let channel: any Channel
    private let counters: Counters

    final class Counters: Sendable {
        let accepted = Atomic<Int>(0)
        let children = Mutex<[any Channel]>([])
    }

    private init(port: Int, channel: any Channel, counters: Counters) {
        self.port = port
        self.channel = channel
        self.counters = counters
    }

    /// How many TCP connections the server has accepted.
    var acceptedConnections: Int { counters.accepted.load(ordering: .relaxed) }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func start() async throws -> TestHTTPServer {
        let counters = Counters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                counters.accepted.add(1, ordering: .relaxed)
                counters.children.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(TestRouteHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ServerError(message: "the server has no port") }
        return TestHTTPServer(port: port, channel: channel, counters: counters)
    }

    /// Closes the listener and every accepted connection.
    func stop() async {
        try? await channel.close()
        for child in counters.children.withLock({ $0 }) {
            try? await child.close()
        }
    }

    /// Runs `body` with a fresh server and stops it afterwards.
    static func with<T>(_ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try await start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A loopback port with nothing listening on it (bound, then closed).
    /// A loopback port that refuses connections: a socket bound but never listening holds it, so no other
    /// test can take the port in between (a freed port was reused by parallel tests on loaded machines).
    static func closedPort() async throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw ServerError(message: "bind() failed")
        }
        heldSockets.withLock { $0.append(fd) }  // kept open (not listening) until the test process exits
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static let heldSockets = Mutex<[Int32]>([])

    struct ServerError: Error { let message: String }
}

final class TestRouteHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            route(context: context, head: head, body: body)
            self.head = nil
        }
    }

    private func route(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        let parts = head.uri.split(separator: "?", maxSplits: 1)
        let path = parts.first.map(String.init) ?? "/"
        let query = parts.count > 1 ? String(parts[1]) : ""
        let segments = path.split(separator: "/").map(String.init)
        let argument = segments.count > 1 ? Int(segments[1]) : nil

        switch segments.first ?? "" {
        case "echo":
            var headers = HTTPHeaders()
            headers.add(name: "x-echo-method", value: head.method.rawValue)
            headers.add(name: "x-echo-uri", value: head.uri)
            for (name, value) in head.headers {
                headers.add(name: "x-echo-h-\(name.lowercased())", value: value)
            }
            respond(context: context, head: head, status: .ok, headers: headers, body: body)
        case "status":
            let status = HTTPResponseStatus(statusCode: argument ?? 500)
            var headers = HTTPHeaders()
            if query == "plain" {
                headers.add(name: "content-type", value: "text/plain")
                respond(
                    context: context, head: head, status: status, headers: headers, body: Array("plain failure\n".utf8))
            } else {
                headers.add(name: "content-type", value: "application/json")
                let json =
                    #"{"error":{"code":"invalid_field","message":"window.end must be after window.start","#
                    + #""field":"window.end"}}"#
                respond(context: context, head: head, status: status, headers: headers, body: Array(json.utf8))
            }
        case "delay":
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(argument ?? 1000))) {
                let (handler, context) = loopBound.value
                guard context.channel.isActive else { return }
                handler.respond(context: context, head: head, status: .ok, headers: [:], body: Array("done".utf8))
            }
        case "huge", "huge-chunked":
            let size = argument ?? 1_000_000
            var headers = HTTPHeaders()
            if segments[0] == "huge" { headers.add(name: "content-length", value: "\(size)") }
            context.write(
                Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                promise: nil)
            var remaining = head.method == .HEAD ? 0 : size
            while remaining > 0 {
                let chunk = min(remaining, 64 * 1024)
                let buffer = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: chunk)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                remaining -= chunk
            }
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        case "close-mid":
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: "1000")
            context.write(
                Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                promise: nil)
            let buffer = context.channel.allocator.buffer(repeating: UInt8(ascii: "y"), count: 100)
            context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.close(promise: nil)
        case "close-now":
            context.close(promise: nil)
        case "headers":
            var headers = HTTPHeaders()
            headers.add(name: "X-Multi", value: "a")
            headers.add(name: "X-Multi", value: "b")
            headers.add(name: "X-Spaced", value: "  padded value  ")
            respond(context: context, head: head, status: .ok, headers: headers, body: [])
        default:
            respond(context: context, head: head, status: .notFound, headers: [:], body: Array("no route \(path)".utf8))
        }
    }

    private func respond(
        context: ChannelHandlerContext, head: HTTPRequestHead, status: HTTPResponseStatus, headers: HTTPHeaders,
        body: [UInt8]
    ) {
        var headers = headers
        headers.replaceOrAdd(name: "content-length", value: "\(body.count)")
        if !head.isKeepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD, !body.isEmpty {
            context.write(
                Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

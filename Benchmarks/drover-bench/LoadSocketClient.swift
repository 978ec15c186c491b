#if canImport(Glibc)
import Glibc
#endif

/// What the load client is asked to send.
struct LoadPlan {
    /// IPv4 address of the server (loopback in the benchmark).
    var host: String
    /// TCP port of the server.
    var port: Int
    /// Keep-alive connections; agent `a` always uses connection `a % connections` (one agent group each).
    var connections: Int
    /// Requests to send in all.
    var sends: Int
    /// Nanoseconds between two scheduled sends (all agents spread evenly over the interval).
    var spacingNanoseconds: Double
    /// Reports per request (1 for `POST /v1/reports`, N for the batch route).
    var reportsPerSend: Int
    /// One report window, in milliseconds.
    var intervalMilliseconds: UInt64
    /// Shortest sleep between two checks of the schedule, in milliseconds.
    var tickMilliseconds: UInt64 = 1
    /// How long after the last scheduled send outstanding requests may still complete.
    var drainNanoseconds: UInt64
}

/// What the load client measured.
struct LoadOutcome {
    /// Latency of each successful request in milliseconds, from its scheduled send time to the last response byte.
    var latencies: [Double] = []
    /// Requests answered with a non-2xx status or lost with their connection.
    var failed = 0
    /// Requests still queued or unanswered when the drain time ran out.
    var abandoned = 0
    /// The first error (status and body, or the socket error).
    var firstError: String?
    /// Nanoseconds from the first scheduled send to the last response.
    var elapsedNanoseconds: UInt64 = 0
}

/// A single-threaded HTTP/1.1 load client on non-blocking sockets and epoll.
///
/// Each connection carries one request at a time (no pipelining: agents wait for the answer) and queues the sends
/// due meanwhile; latency is measured from the scheduled send time, so a slow server shows up in the figures
/// instead of slowing the schedule down (no coordinated omission). Responses are parsed minimally: status line,
/// Content-Length, body skipped.
final class LoadSocketClient {
    private let plan: LoadPlan
    private var requests: [AgentRequest]
    private var connections: [Connection] = []
    private let epoll: Epoll
    private var outcome = LoadOutcome()
    private var start: UInt64 = 0
    private var wallStartMilliseconds: UInt64 = 0
    private var completed = 0

    /// One keep-alive connection and its queue of due sends.
    private struct Connection {
        var fd: Int32 = -1
        var queue: [Int] = []
        var head = 0
        var inFlight: Int?
        var written = 0
        var wantsWrite = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var filled = 0
    }

    /// Prepares the client; `requests[a]` is agent `a`'s request.
    init(plan: LoadPlan, requests: [AgentRequest]) throws(LoadBenchmarkError) {
        self.plan = plan
        self.requests = requests
        connections = Array(repeating: Connection(), count: plan.connections)
        epoll = try Epoll(capacity: 256)
        for index in connections.indices { try connect(index) }
    }

    deinit {
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
    }

    /// Sends every planned request on schedule and waits for the answers (or for the drain time to run out).
    func run() -> LoadOutcome {
        outcome.latencies.reserveCapacity(plan.sends)
        start = Self.monotonicNanoseconds()
        wallStartMilliseconds = Self.wallMilliseconds()
        var next = 0
        let lastDue = start + UInt64(plan.spacingNanoseconds * Double(max(plan.sends - 1, 0)))
        while completed < plan.sends {
            let now = Self.monotonicNanoseconds()
            while next < plan.sends, due(next) <= now {
                let index = (next % requests.count) % connections.count
                connections[index].queue.append(next)
                next += 1
                if connections[index].inFlight == nil { startSend(index) }
            }
            if next == plan.sends, now > lastDue + plan.drainNanoseconds { break }
            // Wake for the schedule at most every `tickMilliseconds`: each wake-up costs a context switch, and a
            // send made late is measured late (latency runs from the scheduled time).
            let timeout: Int32 =
                next < plan.sends
                ? Int32(min(1000, max(plan.tickMilliseconds, (due(next) - min(due(next), now) + 999_999) / 1_000_000)))
                : 100
            epoll.poll(timeout: timeout) { index, flags in
                if flags & Epoll.output != 0 { write(index) }
                if flags & (Epoll.input | Epoll.errorOrHangUp) != 0 { read(index) }
            }
        }
        outcome.abandoned = plan.sends - completed
        return outcome
    }

    private func due(_ send: Int) -> UInt64 { start + UInt64(plan.spacingNanoseconds * Double(send)) }

    private func connect(_ index: Int) throws(LoadBenchmarkError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(plan.port).bigEndian)
        guard inet_pton(AF_INET, plan.host, &address.sin_addr) == 1 else {
            close(fd)
            throw .server("\(plan.host) is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw .socket("connect to \(plan.host):\(plan.port)")
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        guard epoll.update(1, socket: fd, events: Epoll.input, token: UInt32(index)) else {
            close(fd)
            throw .socket("epoll_ctl")
        }
        connections[index].fd = fd
        connections[index].filled = 0
        connections[index].wantsWrite = false
    }

    private func startSend(_ index: Int) {
        guard connections[index].head < connections[index].queue.count else { return }
        let send = connections[index].queue[connections[index].head]
        connections[index].head += 1
        if connections[index].head > 4096 {
            connections[index].queue.removeFirst(connections[index].head)
            connections[index].head = 0
        }
        let agent = send % requests.count
        let endMilliseconds = wallStartMilliseconds + UInt64(plan.spacingNanoseconds * Double(send)) / 1_000_000
        requests[agent].patch(
            firstReport: UInt64(send * plan.reportsPerSend), endMilliseconds: endMilliseconds,
            intervalMilliseconds: plan.intervalMilliseconds)
        connections[index].inFlight = send
        connections[index].written = 0
        write(index)
    }

    private func write(_ index: Int) {
        guard let send = connections[index].inFlight else { return }
        let fd = connections[index].fd
        let agent = send % requests.count
        let offset = connections[index].written
        let count = requests[agent].bytes.count
        let n = requests[agent].bytes.withUnsafeBytes { bytes in
            Glibc.send(fd, bytes.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
        }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return setWantsWrite(index, true) }
            return fail(index, "send: \(String(cString: strerror(errno)))")
        }
        connections[index].written += n
        setWantsWrite(index, connections[index].written < count)
    }

    private func setWantsWrite(_ index: Int, _ wants: Bool) {
        guard connections[index].wantsWrite != wants else { return }
        connections[index].wantsWrite = wants
        _ = epoll.update(
            3, socket: connections[index].fd, events: Epoll.input | (wants ? Epoll.output : 0), token: UInt32(index))
    }

    private func read(_ index: Int) {
        if connections[index].filled == connections[index].buffer.count {
            connections[index].buffer += [UInt8](repeating: 0, count: connections[index].buffer.count)
        }
        let fd = connections[index].fd
        let filled = connections[index].filled
        let n = connections[index].buffer.withUnsafeMutableBytes { buffer in
            recv(fd, buffer.baseAddress! + filled, buffer.count - filled, 0)
        }
        if n == 0 { return fail(index, "the server closed the connection") }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            return fail(index, "recv: \(String(cString: strerror(errno)))")
        }
        connections[index].filled += n
        guard let (status, length) = Self.parse(connections[index].buffer, filled: connections[index].filled) else {
            return
        }
        guard length >= 0 else { return fail(index, "the response has no Content-Length") }
        guard let send = connections[index].inFlight else { return fail(index, "a response arrived with no request") }
        let finished = Self.monotonicNanoseconds()
        if (200..<300).contains(status) {
            outcome.latencies.append(Double(finished - min(finished, due(send))) / 1e6)
        } else {
            outcome.failed += 1
            if outcome.firstError == nil {
                let body = connections[index].buffer[(connections[index].filled - length)..<connections[index].filled]
                outcome.firstError = "status \(status): \(String(decoding: body, as: UTF8.self))"
            }
        }
        completed += 1
        outcome.elapsedNanoseconds = finished - start
        connections[index].filled = 0
        connections[index].inFlight = nil
        startSend(index)
    }

    /// Counts the in-flight request as failed and opens a fresh connection for the rest of the queue.
    private func fail(_ index: Int, _ message: String) {
        if connections[index].inFlight != nil {
            outcome.failed += 1
            completed += 1
        }
        if outcome.firstError == nil { outcome.firstError = message }
        close(connections[index].fd)
        connections[index].fd = -1
        connections[index].inFlight = nil
        do { try connect(index) } catch {
            if outcome.firstError == nil { outcome.firstError = error.description }
            // Without a connection the queue cannot drain: its sends count as failed.
            let left = connections[index].queue.count - connections[index].head
            outcome.failed += left
            completed += left
            connections[index].head = connections[index].queue.count
            return
        }
        startSend(index)
    }

    /// `(status, content length)` once a whole response is in `buffer[0..<filled]` (length -1 when absent); nil
    /// while more bytes are needed.
    static func parse(_ buffer: [UInt8], filled: Int) -> (Int, Int)? {
        guard filled >= 16 else { return nil }
        var headerEnd = -1
        var i = 12
        while i + 3 < filled {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 {
                headerEnd = i + 4
                break
            }
            i += 1
        }
        guard headerEnd > 0 else { return nil }
        let status = Int(buffer[9] &- 48) * 100 + Int(buffer[10] &- 48) * 10 + Int(buffer[11] &- 48)
        let name = Array("content-length:".utf8)
        var length = -1
        var line = 0
        while line < headerEnd {
            // Lowercase compare of the header name at the start of each line.
            var matches = line + name.count < headerEnd
            var k = 0
            while matches, k < name.count {
                matches = buffer[line + k] | 0x20 == name[k]  // ASCII lowercase; '-' and ':' are unchanged
                k += 1
            }
            if matches {
                var p = line + name.count
                while buffer[p] == 32 { p += 1 }
                length = 0
                while buffer[p] >= 48, buffer[p] <= 57 {
                    length = length * 10 + Int(buffer[p] - 48)
                    p += 1
                }
                break
            }
            while line < headerEnd, buffer[line] != 10 { line += 1 }
            line += 1
        }
        if length < 0 { return (status, -1) }
        return filled >= headerEnd + length ? (status, length) : nil
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func wallMilliseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }

    /// User + system CPU seconds of this process (getrusage), or of the calling thread only with `thread`.
    static func processCPUSeconds(thread: Bool = false) -> Double {
        var usage = rusage()
        getrusage(thread ? 1 : RUSAGE_SELF.rawValue, &usage)  // 1 is RUSAGE_THREAD (not exported to Swift)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

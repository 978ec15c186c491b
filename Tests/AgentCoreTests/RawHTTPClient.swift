#if canImport(Glibc)
  import Glibc
#endif

/// Why a raw test client failed.
struct RawHTTPClientError: Error, CustomStringConvertible {
  let description: String
}

/// A parsed response read by `RawHTTPClient`.
struct RawHTTPResponse {
  let status: Int
  let headers: [String: String]
  let body: [UInt8]
  var text: String { String(decoding: body, as: UTF8.self) }
}

/// A loopback HTTP client on a raw non-blocking socket, for listener tests: it sends exact bytes (whole or in
/// pieces) and reads responses. It waits with `Task.sleep`, so it never blocks a thread of the cooperative pool
/// that the server's handlers need.
final class RawHTTPClient {
  let fd: Int32
  private var buffer: [UInt8] = []
  /// The server closed (or reset) the connection.
  private(set) var closedByPeer = false

  init(port: Int, timeout: Duration = .seconds(10)) async throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)  // no child may keep it open
    guard fd >= 0 else { throw RawHTTPClientError(description: "socket failed") }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    _ = inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    let rc = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if rc != 0 {
      guard errno == EINPROGRESS else {
        throw RawHTTPClientError(description: "connect: errno \(errno)")
      }
      guard try await wait(for: Int16(POLLOUT), timeout: timeout) else {
        throw RawHTTPClientError(description: "connect timed out")
      }
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
      guard error == 0 else { throw RawHTTPClientError(description: "connect: errno \(error)") }
    }
  }

  deinit { Glibc.close(fd) }

  /// Sends all of `bytes` (partial writes are continued once the socket is writable).
  func send(_ bytes: [UInt8], timeout: Duration = .seconds(10)) async throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n > 0 {
        offset += n
      } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
        guard try await wait(for: Int16(POLLOUT), timeout: timeout) else {
          throw RawHTTPClientError(description: "send timed out")
        }
      } else {
        throw RawHTTPClientError(description: "send: errno \(errno)")
      }
    }
  }

  /// Sends text.
  func send(_ text: String) async throws { try await send(Array(text.utf8)) }

  /// Sends `bytes` in pieces of `piece` bytes with a pause after each (a slow client); with `untilAnswered`
  /// it stops early once the server sends something or closes.
  func sendSlowly(_ bytes: [UInt8], piece: Int, pause: Duration, untilAnswered: Bool = false)
    async throws
  {
    var offset = 0
    while offset < bytes.count {
      let end = min(bytes.count, offset + piece)
      try await send(Array(bytes[offset..<end]))
      offset = end
      try await Task.sleep(for: pause)
      var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      if untilAnswered && poll(&entry, 1, 0) > 0 { return }
    }
  }

  /// Shuts the sending side (the server reads end of stream).
  func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

  /// Reads one response (Content-Length framed, or until close); nil when the server closed first.
  /// `readPause` reads slowly: at most `readChunk` bytes per pause.
  func readResponse(
    timeout: Duration = .seconds(10), readChunk: Int = 64 << 10, readPause: Duration? = nil
  ) async throws -> RawHTTPResponse? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let response = parseResponse() { return response }
      if closedByPeer { return nil }
      guard ContinuousClock.now < deadline else {
        throw RawHTTPClientError(description: "no response in time")
      }
      try await fill(max: readChunk, until: deadline)
      if let readPause { try await Task.sleep(for: readPause) }
    }
  }

  /// Waits until the server closes the connection; true when it did within `timeout`. Discards what arrives.
  func waitForClose(timeout: Duration = .seconds(10)) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !closedByPeer {
      guard ContinuousClock.now < deadline else { return false }
      try await fill(max: 64 << 10, until: deadline)
      buffer.removeAll()
    }
    return true
  }

  /// Bytes received and not parsed yet (after `waitForClose`: none).
  var pending: [UInt8] { buffer }

  private func fill(max: Int, until deadline: ContinuousClock.Instant) async throws {
    var chunk = [UInt8](repeating: 0, count: max)
    while true {
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
        return
      }
      if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        closedByPeer = true  // end of stream, or ECONNRESET
        return
      }
      guard ContinuousClock.now < deadline else { return }
      try await Task.sleep(for: .milliseconds(2))
    }
  }

  private func wait(for events: Int16, timeout: Duration) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      var entry = pollfd(fd: fd, events: events, revents: 0)
      if poll(&entry, 1, 0) > 0 { return true }
      try await Task.sleep(for: .milliseconds(2))
    }
    return false
  }

  private func parseResponse() -> RawHTTPResponse? {
    let terminator: [UInt8] = [13, 10, 13, 10]
    guard buffer.count >= 4,
      let end = (0...(buffer.count - 4)).first(where: {
        buffer[$0..<$0 + 4].elementsEqual(terminator)
      })
    else { return nil }
    let head = String(decoding: buffer[..<end], as: UTF8.self)
    var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: " ")
    }
    let bodyStart = end + 4
    if status == 100 || status == 204 || status == 304 {
      buffer.removeFirst(bodyStart)
      return RawHTTPResponse(status: status, headers: headers, body: [])
    }
    if let length = headers["content-length"].flatMap(Int.init) {
      guard buffer.count - bodyStart >= length else { return nil }
      let body = Array(buffer[bodyStart..<bodyStart + length])
      buffer.removeFirst(bodyStart + length)
      return RawHTTPResponse(status: status, headers: headers, body: body)
    }
    guard closedByPeer else { return nil }
    let body = Array(buffer[bodyStart...])
    buffer.removeAll()
    return RawHTTPResponse(status: status, headers: headers, body: body)
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var s = self
    while s.first == set { s.removeFirst() }
    while s.last == set { s.removeLast() }
    return String(s)
  }
}

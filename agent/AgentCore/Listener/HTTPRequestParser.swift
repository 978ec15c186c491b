/// Why a request cannot be served: the status, a stable code and a message that says what to fix.
struct HTTPRequestFailure: Sendable, Equatable {
  /// The status answered before the connection is closed.
  var status: Int
  /// A stable error code for the JSON body.
  var code: String
  /// What is wrong and what to send instead.
  var message: String

  static func malformed(_ message: String) -> Self {
    .init(status: 400, code: "bad_request", message: message)
  }
}

/// Reads HTTP/1.1 requests from bytes as they arrive: a pure value fed by the listener's event loop, so framing is
/// unit-testable without sockets. Content-Length and chunked bodies; bounded head, chunk lines and body.
struct HTTPRequestParser {
  /// What one call to `parse` found.
  enum Outcome: Equatable {
    /// The request is not complete yet: read more bytes.
    case needMore
    /// The head is read and the client waits for `100 Continue` before it sends the body.
    case expectContinue
    /// A whole request; `keepAlive` tells whether the connection may carry another one.
    case request(LocalHTTPRequest, keepAlive: Bool)
    /// The request cannot be served: answer with this and close the connection.
    case failure(HTTPRequestFailure)
  }

  private enum State {
    case head
    case fixedBody(remaining: Int)
    case chunkSize
    case chunkData(remaining: Int)
    case chunkDataEnd
    case trailers
    case failed
  }

  private static let maxChunkLineBytes = 1024

  let maxHeaderBytes: Int
  let maxBodyBytes: Int
  private var state = State.head
  /// Where the search for the end of the head (or of a line) resumes, relative to the request's first unread byte.
  private var scanned = 0
  private var trailerBytes = 0
  private var request = LocalHTTPRequest(method: "", path: "", query: "", headers: [:], body: [])
  private var keepAlive = true
  private var continueAnswered = false

  /// A parser for one connection.
  init(maxHeaderBytes: Int, maxBodyBytes: Int) {
    self.maxHeaderBytes = maxHeaderBytes
    self.maxBodyBytes = maxBodyBytes
  }

  /// True between requests: nothing of the next request has been read yet.
  var isIdle: Bool {
    if case .head = state { return scanned == 0 }
    return false
  }

  /// Reads from `input[start...]`, advancing `start` past what it consumed.
  mutating func parse(_ input: [UInt8], from start: inout Int) -> Outcome {
    while true {
      switch state {
      case .failed:
        return .needMore
      case .head:
        // Empty lines before a request line are skipped (RFC 9112 §2.2).
        while scanned == 0, start < input.count, input[start] == 13 || input[start] == 10 {
          start += 1
        }
        guard let end = Self.endOfHead(input, from: start, scanned: &scanned) else {
          if input.count - start > maxHeaderBytes { return fail(Self.headTooLarge(maxHeaderBytes)) }
          return .needMore
        }
        if end.bodyStart - start > maxHeaderBytes { return fail(Self.headTooLarge(maxHeaderBytes)) }
        let head = input[start..<end.headEnd]
        start = end.bodyStart
        scanned = 0
        if let failure = readHead(head) { return fail(failure) }
        if case .head = state { return finish() }
        if expectsContinue(input, start) {
          continueAnswered = true
          return .expectContinue
        }
      case .fixedBody(let remaining):
        let take = min(remaining, input.count - start)
        request.body.append(contentsOf: input[start..<start + take])
        start += take
        if take < remaining {
          state = .fixedBody(remaining: remaining - take)
          return .needMore
        }
        return finish()
      case .chunkSize:
        guard let line = Self.line(input, from: start, scanned: &scanned) else {
          if input.count - start > Self.maxChunkLineBytes {
            return fail(
              .malformed("a chunk-size line is longer than \(Self.maxChunkLineBytes) bytes"))
          }
          return .needMore
        }
        guard let size = Self.chunkSize(input[start..<line.end]) else {
          return fail(
            .malformed(
              "a chunk size must be hexadecimal digits (optionally followed by ;extensions)"))
        }
        start = line.next
        scanned = 0
        if size == 0 {
          state = .trailers
        } else if size > maxBodyBytes - request.body.count {
          return fail(Self.bodyTooLarge(maxBodyBytes))
        } else {
          request.body.reserveCapacity(request.body.count + size)
          state = .chunkData(remaining: size)
        }
      case .chunkData(let remaining):
        let take = min(remaining, input.count - start)
        request.body.append(contentsOf: input[start..<start + take])
        start += take
        if take < remaining {
          state = .chunkData(remaining: remaining - take)
          return .needMore
        }
        state = .chunkDataEnd
      case .chunkDataEnd:
        guard start < input.count else { return .needMore }
        if input[start] == 10 {
          start += 1
        } else if input[start] == 13 {
          guard start + 1 < input.count else { return .needMore }
          guard input[start + 1] == 10 else {
            return fail(.malformed("chunk data must end with CRLF"))
          }
          start += 2
        } else {
          return fail(.malformed("chunk data is longer than its chunk size"))
        }
        state = .chunkSize
      case .trailers:
        guard let line = Self.line(input, from: start, scanned: &scanned) else {
          if trailerBytes + input.count - start > maxHeaderBytes {
            return fail(Self.headTooLarge(maxHeaderBytes))
          }
          return .needMore
        }
        trailerBytes += line.next - start
        if trailerBytes > maxHeaderBytes { return fail(Self.headTooLarge(maxHeaderBytes)) }
        let empty = line.end == start
        start = line.next
        scanned = 0
        if empty { return finish() }  // trailer fields are read and ignored
      }
    }
  }

  private mutating func fail(_ failure: HTTPRequestFailure) -> Outcome {
    state = .failed
    return .failure(failure)
  }

  private mutating func finish() -> Outcome {
    let done = request
    let alive = keepAlive
    request = LocalHTTPRequest(method: "", path: "", query: "", headers: [:], body: [])
    keepAlive = true
    continueAnswered = false
    trailerBytes = 0
    scanned = 0
    state = .head
    return .request(done, keepAlive: alive)
  }

  /// `Expect: 100-continue` on a request whose body has not started to arrive.
  private func expectsContinue(_ input: [UInt8], _ start: Int) -> Bool {
    !continueAnswered && start == input.count && request.headers["expect"] != nil
  }

  /// Reads the request line and header fields; sets the body state. Returns why the head is refused, if it is.
  private mutating func readHead(_ head: ArraySlice<UInt8>) -> HTTPRequestFailure? {
    var lines = Self.lines(head)
    guard let requestLine = lines.first else { return .malformed("the request line is missing") }
    lines.removeFirst()
    let parts = requestLine.split(separator: 32, omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(Self.isTokenByte),
      !parts[1].isEmpty,
      parts[1].allSatisfy({ $0 > 32 && $0 < 127 })
    else {
      return .malformed("the request line must be `METHOD /path HTTP/1.1` with single spaces")
    }
    let version = String(decoding: parts[2], as: UTF8.self)
    let http10: Bool
    switch version {
    case "HTTP/1.1": http10 = false
    case "HTTP/1.0": http10 = true
    default:
      if version.hasPrefix("HTTP/") {
        return .init(
          status: 505, code: "version_not_supported",
          message: "\(version) is not served here; use HTTP/1.1")
      }
      return .malformed("the request line must end with HTTP/1.1")
    }
    guard let target = Self.originForm(parts[1]) else {
      return .malformed(
        "the request target must be a path such as /v1/events (or an absolute http:// URL)")
    }
    request.method = String(decoding: parts[0], as: UTF8.self)
    if let q = target.firstIndex(of: UInt8(ascii: "?")) {
      request.path = String(decoding: target[..<q], as: UTF8.self)
      request.query = String(decoding: target[(q + 1)...], as: UTF8.self)
    } else {
      request.path = String(decoding: target, as: UTF8.self)
    }

    var contentLength: Int?
    for line in lines {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
        if let first = line.first, first == 32 || first == 9 {
          return .malformed(
            "folded header lines (starting with a space) are not accepted; put each field on one line"
          )
        }
        return .malformed("a header line must be `Name: value`")
      }
      let nameBytes = line[..<colon]
      guard !nameBytes.isEmpty, nameBytes.allSatisfy(Self.isTokenByte) else {
        return .malformed("a header name must be a token with no space before the colon")
      }
      var value = line[(colon + 1)...]
      while let f = value.first, f == 32 || f == 9 { value.removeFirst() }
      while let l = value.last, l == 32 || l == 9 { value.removeLast() }
      guard value.allSatisfy({ $0 >= 32 && $0 != 127 || $0 == 9 }) else {
        return .malformed("a header value must not contain control characters")
      }
      let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
      let text = String(decoding: value, as: UTF8.self)
      if name == "content-length" {
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
          let digits = item.trimmingSpaces
          guard !digits.isEmpty, digits.count <= 18,
            digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let length = Int(digits)
          else {
            return .malformed("Content-Length must be a decimal number of bytes")
          }
          if let earlier = contentLength, earlier != length {
            return .malformed("conflicting Content-Length values; send one")
          }
          contentLength = length
        }
      }
      if let existing = request.headers[name] {
        request.headers[name] = existing + ", " + text
      } else {
        request.headers[name] = text
      }
    }

    if !http10 && request.headers["host"] == nil {
      return .malformed("an HTTP/1.1 request needs a Host header")
    }
    let connection = (request.headers["connection"] ?? "").lowercased().split(separator: ",").map(
      \.trimmingSpaces)
    keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close")

    if let expect = request.headers["expect"], expect.lowercased() != "100-continue" || http10 {
      return .init(
        status: 417, code: "expectation_failed", message: "only `Expect: 100-continue` is supported"
      )
    }

    if let codings = request.headers["transfer-encoding"] {
      guard contentLength == nil else {
        return .malformed("send either Content-Length or Transfer-Encoding: chunked, not both")
      }
      guard !http10 else { return .malformed("Transfer-Encoding needs HTTP/1.1") }
      let list = codings.lowercased().split(separator: ",").map(\.trimmingSpaces)
      guard list.last == "chunked" else {
        return .malformed("a request's Transfer-Encoding must end with chunked")
      }
      guard list.count == 1 else {
        return .init(
          status: 501, code: "not_implemented",
          message: "only Transfer-Encoding: chunked is supported; send the body uncompressed")
      }
      state = .chunkSize
    } else if let length = contentLength, length > 0 {
      guard length <= maxBodyBytes else { return Self.bodyTooLarge(maxBodyBytes) }
      request.body.reserveCapacity(length)
      state = .fixedBody(remaining: length)
    }
    return nil
  }

  private static func headTooLarge(_ limit: Int) -> HTTPRequestFailure {
    .init(
      status: 431, code: "headers_too_large",
      message: "the request head exceeds \(limit) bytes; send fewer or shorter headers")
  }

  /// The 413 answer (same words as the SwiftNIO listener had).
  static func bodyTooLarge(_ limit: Int) -> HTTPRequestFailure {
    .init(
      status: 413, code: "body_too_large",
      message: "the body exceeds \(limit) bytes; send smaller batches")
  }

  /// `/path?query` from an origin-form or absolute-form (`http://host/path`) target; `*` for `OPTIONS *`.
  private static func originForm(_ target: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
    if target.first == UInt8(ascii: "/") || target.elementsEqual("*".utf8) { return target }
    for scheme in ["http://", "https://"] where target.count > scheme.utf8.count {
      let prefix = target.prefix(scheme.utf8.count).map { $0 | 0x20 }
      guard prefix.elementsEqual(scheme.utf8) else { continue }
      let rest = target.dropFirst(scheme.utf8.count)
      guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return ArraySlice("/".utf8) }
      return rest[slash...]
    }
    return nil
  }

  /// RFC 9110 `tchar`.
  private static func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
    }
  }

  /// The end of the head: the head's last byte (exclusive, before the blank line) and where the body starts.
  private static func endOfHead(_ input: [UInt8], from start: Int, scanned: inout Int) -> (
    headEnd: Int, bodyStart: Int
  )? {
    var i = start + max(0, scanned - 3)
    while i < input.count {
      if input[i] == 10 {
        // LF LF, or CRLF CRLF / LF CRLF / CRLF LF.
        var j = i + 1
        if j < input.count, input[j] == 13 { j += 1 }
        if j < input.count, input[j] == 10 {
          var end = i
          if end > start, input[end - 1] == 13 { end -= 1 }
          return (end, j + 1)
        }
        if j >= input.count { break }
      }
      i += 1
    }
    scanned = max(0, input.count - start)
    return nil
  }

  /// One line ending in LF (a CR before it is dropped): where its content ends and the next line starts.
  private static func line(_ input: [UInt8], from start: Int, scanned: inout Int) -> (
    end: Int, next: Int
  )? {
    var i = start + scanned
    while i < input.count {
      if input[i] == 10 {
        let end = i > start && input[i - 1] == 13 ? i - 1 : i
        return (end, i + 1)
      }
      i += 1
    }
    scanned = input.count - start
    return nil
  }

  /// The head's lines without their CR/LF (the head holds no blank line).
  private static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    head.split(separator: 10, omittingEmptySubsequences: false).map { line in
      line.last == 13 ? line.dropLast() : line
    }
  }

  /// A chunk-size line's size: hexadecimal digits, optional spaces, optional `;extensions`.
  private static func chunkSize(_ line: ArraySlice<UInt8>) -> Int? {
    var size = 0
    var digits = 0
    var i = line.startIndex
    while i < line.endIndex, let v = hexValue(line[i]) {
      guard digits < 15 else { return nil }
      size = size << 4 | v
      digits += 1
      i += 1
    }
    guard digits > 0 else { return nil }
    while i < line.endIndex, line[i] == 32 || line[i] == 9 { i += 1 }
    guard i == line.endIndex || line[i] == UInt8(ascii: ";") else { return nil }
    return size
  }

  private static func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    var s = self[...]
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}

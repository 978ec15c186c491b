import Testing

@testable import AgentCore

@Suite("HTTP/1.1 request parser")
struct HTTPRequestParserTests {
  /// Feeds `bytes` in pieces of `piece` bytes, the way reads arrive; returns every outcome but `.needMore`.
  func feed(_ text: String, piece: Int, maxBody: Int = 1 << 20) -> [HTTPRequestParser.Outcome] {
    var parser = HTTPRequestParser(maxHeaderBytes: 4_096, maxBodyBytes: maxBody)
    var input: [UInt8] = []
    var start = 0
    var outcomes: [HTTPRequestParser.Outcome] = []
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      input.append(contentsOf: bytes[offset..<min(bytes.count, offset + piece)])
      offset += piece
      while true {
        let outcome = parser.parse(input, from: &start)
        if outcome == .needMore { break }
        outcomes.append(outcome)
        if case .failure = outcome { return outcomes }
      }
    }
    return outcomes
  }

  @Test(
    "a request split at every possible byte parses the same as in one piece",
    arguments: [1, 2, 3, 7, 64, 4_096])
  func split(piece: Int) {
    let text =
      "\r\nPOST /v1/events?a=1&b HTTP/1.1\r\nHost: x\r\nX-Two: a\r\nx-two: b\r\nContent-Length: 5\r\n\r\nhello"
      + "POST /c HTTP/1.1\nHost: y\nTransfer-Encoding: chunked\n\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n"
    let outcomes = feed(text, piece: piece)
    let first = LocalHTTPRequest(
      method: "POST", path: "/v1/events", query: "a=1&b",
      headers: ["host": "x", "x-two": "a, b", "content-length": "5"], body: Array("hello".utf8))
    let second = LocalHTTPRequest(
      method: "POST", path: "/c", query: "",
      headers: ["host": "y", "transfer-encoding": "chunked"], body: Array("abcde".utf8))
    #expect(outcomes == [.request(first, keepAlive: true), .request(second, keepAlive: true)])
    #expect(first.queryValue("b") == "")
  }

  @Test(
    "Connection: close and HTTP/1.0 without keep-alive end the connection; absolute-form targets keep the path"
  )
  func keepAliveRules() {
    #expect(
      feed("GET http://h:1/p?q HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", piece: 100)
        == [
          .request(
            .init(
              method: "GET", path: "/p", query: "q", headers: ["host": "h", "connection": "close"],
              body: []), keepAlive: false)
        ])
    #expect(
      feed("GET / HTTP/1.0\r\n\r\n", piece: 100) == [
        .request(
          .init(method: "GET", path: "/", query: "", headers: [:], body: []), keepAlive: false)
      ])
    #expect(
      feed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", piece: 100).first.map {
        if case .request(_, let keepAlive) = $0 { return keepAlive } else { return false }
      } == true)
  }

  @Test("a chunked body growing past the bound fails with 413 at the chunk that crosses it")
  func chunkedBound() {
    let outcomes = feed(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n9\r\n",
      piece: 5, maxBody: 16)
    #expect(outcomes == [.failure(HTTPRequestParser.bodyTooLarge(16))])
  }

  @Test("a long chunk-size line and an oversized head are refused")
  func lineBounds() {
    let longChunkLine =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;"
      + String(repeating: "e", count: 2_000)
    #expect(
      feed(longChunkLine, piece: 512).first.map {
        if case .failure(let f) = $0 { f.status } else { 0 }
      } == 400)
    let bigHead =
      "GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "v", count: 5_000) + "\r\n\r\n"
    #expect(
      feed(bigHead, piece: 1_000).first.map { if case .failure(let f) = $0 { f.status } else { 0 } }
        == 431)
  }

  @Test("Expect: 100-continue is reported once, before the body")
  func expectContinue() {
    let outcomes = feed(
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
      piece: 1_000)
    #expect(outcomes == [.expectContinue])
  }
}

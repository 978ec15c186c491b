extension LocalHTTPResponse {
  /// The response as HTTP/1.1 bytes: status line, `content-type`, `content-length`, `connection`, body.
  ///
  /// A status outside 200–599 becomes 500 (informational answers are the server's own); 204 and 304 carry no
  /// body; `headOnly` (a HEAD request) keeps the headers and drops the body.
  func encoded(keepAlive: Bool, headOnly: Bool = false) -> [UInt8] {
    let status = (200...599).contains(status) ? status : 500
    let bodyless = status == 204 || status == 304
    var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
    if !bodyless {
      // A handler's content type cannot split the head.
      let type =
        contentType.utf8.contains(where: { $0 == 13 || $0 == 10 })
        ? "application/octet-stream" : contentType
      head += "content-type: \(type)\r\ncontent-length: \(body.count)\r\n"
    }
    head += keepAlive ? "connection: keep-alive\r\n\r\n" : "connection: close\r\n\r\n"
    var bytes = Array(head.utf8)
    if !bodyless && !headOnly { bytes.append(contentsOf: body) }
    return bytes
  }

  /// `100 Continue`, sent before the body of a request that asked for it.
  static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 415: "Unsupported Media Type"
    case 417: "Expectation Failed"
    case 422: "Unprocessable Content"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    case 505: "HTTP Version Not Supported"
    default: "Status"
    }
  }
}

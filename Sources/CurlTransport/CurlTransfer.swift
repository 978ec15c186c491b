import CCurl
import DroverAPI

/// One request in flight on the loop thread: its options, header list, and the response as it arrives.
final class CurlTransfer {
    let submission: CurlSubmission
    let handle: CurlEasyHandle
    private let configuration: CurlTransport.Configuration
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var responseHeaders: [TransportHeaders.Field] = []
    private var body: [UInt8] = []
    private var tooLarge = false

    init(submission: CurlSubmission, handle: CurlEasyHandle, configuration: CurlTransport.Configuration) {
        self.submission = submission
        self.handle = handle
        self.configuration = configuration
    }

    deinit {
        curl_slist_free_all(headerList)
    }

    private var request: TransportRequest { submission.request }

    private func invalid(_ kind: TransportError.Kind, _ message: String) -> TransportError {
        TransportError(kind: kind, url: request.url, method: request.method, message: message)
    }

    /// Resets the easy handle (keeping its connections in the multi handle's cache) and sets every option.
    func configure() -> TransportError? {
        let easy = handle.easy
        curl_easy_reset(easy)
        handle.errorBuffer[0] = 0
        let unmanagedSelf = Unmanaged.passUnretained(self).toOpaque()

        func long(_ option: CURLoption, _ value: Int) { _ = drover_curl_easy_setopt_long(easy, option, value) }

        long(CURLOPT_NOSIGNAL, 1)
        _ = drover_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, handle.errorBuffer)
        let scheme = request.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            return invalid(.invalidURL, "the scheme must be http or https")
        }
        let urlCode = drover_curl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        guard urlCode == CURLE_OK else {
            return invalid(.invalidURL, String(cString: curl_easy_strerror(urlCode)))
        }
        _ = drover_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        if configuration.followRedirects {
            long(CURLOPT_FOLLOWLOCATION, 1)
            long(CURLOPT_MAXREDIRS, 5)
            _ = drover_curl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        } else {
            long(CURLOPT_FOLLOWLOCATION, 0)
        }
        long(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        long(CURLOPT_TIMEOUT_MS, (request.timeout ?? configuration.timeout).curlMilliseconds)
        if request.method != .head {
            // Rejects a too-large Content-Length up front; bodies without one are capped in receiveBody.
            _ = drover_curl_easy_setopt_off_t(
                easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes))
        }
        long(CURLOPT_SSL_VERIFYPEER, configuration.verifyPeer ? 1 : 0)
        long(CURLOPT_SSL_VERIFYHOST, configuration.verifyHost ? 2 : 0)
        if let caBundlePath = configuration.caBundlePath {
            _ = drover_curl_easy_setopt_string(easy, CURLOPT_CAINFO, caBundlePath)
        }
        _ = drover_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent)
        if let proxy = configuration.proxy {
            _ = drover_curl_easy_setopt_string(easy, CURLOPT_PROXY, proxy)
        }
        long(CURLOPT_TCP_KEEPALIVE, 1)

        // Headers.
        var lines: [String] = []
        for field in request.headers {
            guard Self.isValidHeaderName(field.name) else {
                return invalid(.invalidRequest, "header name \"\(field.name)\" is empty or has invalid characters")
            }
            guard Self.isValidHeaderValue(field.value) else {
                return invalid(.invalidRequest, "the value of header \(field.name) contains a line break or NUL")
            }
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !request.headers.contains("Authorization"), let token = request.bearerToken ?? configuration.bearerToken {
            guard Self.isValidHeaderValue(token) else {
                return invalid(.invalidRequest, "the bearer token contains a line break or NUL")
            }
            lines.append("Authorization: Bearer \(token)")
        }
        let sendsBody = request.body != nil || request.method == .post
        if sendsBody {
            // No "Expect: 100-continue" round trip, and no implicit form content type.
            if !request.headers.contains("Expect") { lines.append("Expect:") }
            if !request.headers.contains("Content-Type") { lines.append("Content-Type:") }
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                return invalid(.other, "curl_slist_append failed (out of memory?)")
            }
            headerList = appended
        }
        _ = drover_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)

        // Method and body. The body is copied by libcurl (COPYPOSTFIELDS), so nothing here must outlive the call.
        if sendsBody {
            let bytes = request.body ?? []
            _ = drover_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            let code = bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress, raw.count > 0 {
                    drover_curl_easy_setopt_pointer(
                        easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    drover_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
                }
            }
            guard code == CURLE_OK else { return invalid(.other, "could not copy the request body (out of memory?)") }
        }
        if request.method == .get {
            if !sendsBody {
                long(CURLOPT_HTTPGET, 1)
            } else {
                _ = drover_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, "GET")
            }
        } else if request.method == .head {
            long(CURLOPT_NOBODY, 1)
        } else if request.method != .post {
            _ = drover_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }

        // Callbacks: capture-free C functions that find this transfer through the user-data pointer.
        _ = drover_curl_easy_setopt_write_function(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * count)
        }
        _ = drover_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, unmanagedSelf)
        _ = drover_curl_easy_setopt_write_function(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * count)
        }
        _ = drover_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, unmanagedSelf)
        long(CURLOPT_NOPROGRESS, 0)
        _ = drover_curl_easy_setopt_xferinfo_function(easy) { context, _, _, _, _ in
            guard let context else { return 0 }
            // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().submission.token.isCancelled
                ? 1 : 0
        }
        _ = drover_curl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, unmanagedSelf)
        return nil
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        guard body.count + count <= configuration.maxResponseBytes else {
            tooLarge = true
            return 0  // a short count makes libcurl stop with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        var line = UnsafeRawBufferPointer(start: data, count: count)[...]
        while let last = line.last, last == 0x0A || last == 0x0D { line = line.dropLast() }
        if line.starts(with: "HTTP/".utf8) {
            responseHeaders.removeAll()  // a new status line: interim (100) or redirect responses end here
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self)
            var value = line[(colon + 1)...]
            while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
            while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
            responseHeaders.append(TransportHeaders.Field(name: name, value: String(decoding: value, as: UTF8.self)))
        }
        return count
    }

    /// The response, or the error for `code`, once libcurl has finished the transfer.
    func result(code: CURLcode) -> Result<TransportResponse, TransportError> {
        if code == CURLE_OK {
            var status = 0
            _ = drover_curl_easy_getinfo_long(handle.easy, CURLINFO_RESPONSE_CODE, &status)
            return .success(TransportResponse(status: status, headers: TransportHeaders(responseHeaders), body: body))
        }
        let number = Int(code.rawValue)
        if submission.token.isCancelled {
            return .failure(TransportError(kind: .cancelled, url: request.url, method: request.method))
        }
        if tooLarge || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(
                TransportError(
                    kind: .responseTooLarge, url: request.url, method: request.method, curlCode: number,
                    message: "the body exceeds the limit of \(configuration.maxResponseBytes) bytes"))
        }
        return .failure(
            TransportError(
                kind: CurlErrorMapping.kind(forCurlCode: number), url: request.url, method: request.method,
                curlCode: number, message: handle.errorMessage(for: code)))
    }

    private static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
    }

    private static func isValidHeaderValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
    }
}

import CCurl

/// A libcurl easy handle and its error buffer, reused across transfers on the loop thread.
final class CurlEasyHandle {
    /// `CURL *`.
    let easy: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER` storage (`CURL_ERROR_SIZE` bytes).
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// The text libcurl left in the error buffer, or its generic text for `code`.
    func errorMessage(for code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
    }
}

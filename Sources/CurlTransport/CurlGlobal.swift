import CCurl
import DroverAPI

/// libcurl's process-wide state: initialise it once, early in `main`.
public enum CurlGlobal {
    /// The result of the one `curl_global_init(CURL_GLOBAL_ALL)` call (Swift runs a static initialiser exactly once).
    private static let initCode: Int = Int(drover_curl_global_init_all().rawValue)

    /// Initialises libcurl (idempotent and thread-safe); call it from `main` before starting other threads.
    ///
    /// `CurlTransport.init` calls it too, so forgetting it is harmless on libcurl ≥ 7.84 (thread-safe init).
    public static func initialize() throws(TransportError) {
        guard initCode == Int(CURLE_OK.rawValue) else {
            throw TransportError(
                kind: .other, url: "", curlCode: initCode,
                message: "curl_global_init failed: \(String(cString: curl_easy_strerror(CURLcode(UInt32(initCode)))))")
        }
    }

    /// libcurl's version line, e.g. `libcurl/7.88.1 OpenSSL/3.0.17 zlib/1.2.13`.
    public static var version: String { String(cString: curl_version()) }
}

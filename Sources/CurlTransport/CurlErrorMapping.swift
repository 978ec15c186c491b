import DroverAPI

/// Maps libcurl's `CURLcode` numbers to ``TransportError/Kind`` (numbers from curl/curl.h, stable across versions).
enum CurlErrorMapping {
    static func kind(forCurlCode code: Int) -> TransportError.Kind {
        switch code {
        case 1, 3: return .invalidURL  // UNSUPPORTED_PROTOCOL, URL_MALFORMAT
        case 5, 6: return .dnsFailure  // COULDNT_RESOLVE_PROXY, COULDNT_RESOLVE_HOST
        case 7: return .connectionRefused  // COULDNT_CONNECT
        case 28: return .timedOut  // OPERATION_TIMEDOUT (connect or total)
        case 35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98:
            return .tls  // SSL_CONNECT_ERROR, engine, cert, cipher, PEER_FAILED_VERIFICATION, CACERT_BADFILE, …
        case 63: return .responseTooLarge  // FILESIZE_EXCEEDED (Content-Length above CURLOPT_MAXFILESIZE)
        case 16, 18, 52, 55, 56, 92: return .connectionClosed  // HTTP2, PARTIAL_FILE, GOT_NOTHING, SEND/RECV_ERROR
        case 42: return .cancelled  // ABORTED_BY_CALLBACK
        default: return .other
        }
    }
}

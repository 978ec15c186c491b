import DroverAPI

extension CurlTransport {
    /// Settings for a ``CurlTransport``; every field has a production default.
    public struct Configuration: Sendable, Hashable {
        /// How long establishing a connection (TCP and TLS) may take. Default 5 s.
        public var connectTimeout: Duration
        /// How long a whole request may take, connect to last byte, unless the request overrides it. Default 30 s.
        public var timeout: Duration
        /// The largest response body accepted; larger ones fail with `.responseTooLarge`. Default 16 MiB.
        public var maxResponseBytes: Int
        /// A PEM file of CA certificates to trust instead of the system bundle; nil uses the system's.
        public var caBundlePath: String?
        /// Whether the server's certificate chain is verified. Default true; turn off only for tests.
        public var verifyPeer: Bool
        /// Whether the certificate must match the host name. Default true; turn off only for tests.
        public var verifyHost: Bool
        /// The `User-Agent` header. Default `drover`.
        public var userAgent: String
        /// A bearer token sent with every request that has none of its own. Default none. Never logged.
        public var bearerToken: String?
        /// How many connections are kept open for reuse, and the most open to one host at once. Default 8.
        ///
        /// Requests beyond that to one host wait inside libcurl for a free connection (their timeout is running).
        public var poolSize: Int
        /// Whether redirects are followed (at most 5, http and https only). Default false.
        public var followRedirects: Bool
        /// The proxy URL; nil uses libcurl's default (the `http_proxy`, `https_proxy` and `no_proxy` environment
        /// variables), and an empty string turns proxies off. Default nil.
        public var proxy: String?

        /// Creates a configuration.
        public init(
            connectTimeout: Duration = .seconds(5),
            timeout: Duration = .seconds(30),
            maxResponseBytes: Int = 16 << 20,
            caBundlePath: String? = nil,
            verifyPeer: Bool = true,
            verifyHost: Bool = true,
            userAgent: String = "drover",
            bearerToken: String? = nil,
            poolSize: Int = 8,
            followRedirects: Bool = false,
            proxy: String? = nil
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxResponseBytes = maxResponseBytes
            self.caBundlePath = caBundlePath
            self.verifyPeer = verifyPeer
            self.verifyHost = verifyHost
            self.userAgent = userAgent
            self.bearerToken = bearerToken
            self.poolSize = poolSize
            self.followRedirects = followRedirects
            self.proxy = proxy
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (libcurl reads 0 as "no timeout").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return Int.max }
        return Int(max(1, millis.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}

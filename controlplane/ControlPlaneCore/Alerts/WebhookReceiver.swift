/// A webhook that receives alerts in the Alertmanager webhook JSON shape.
///
/// Configuration (per receiver, in the control plane's config file under `alerting.receivers`):
/// `name`, `url`, optional `bearer_token` (a secret: never logged), `headers` and `timeout_seconds` (default 10).
public struct WebhookReceiver: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Name used as the message's `receiver` and in delivery ids.
    public var name: String
    /// Absolute `http://` or `https://` URL the messages are posted to.
    public var url: String
    /// Sent as `Authorization: Bearer …` when set.
    public var bearerToken: String?
    /// Extra header fields.
    public var headers: [String: String]
    /// Total timeout of one attempt, in seconds.
    public var timeoutSeconds: Double

    /// Creates a receiver.
    public init(name: String, url: String, bearerToken: String? = nil, headers: [String: String] = [:], timeoutSeconds: Double = 10) {
        self.name = name
        self.url = url
        self.bearerToken = bearerToken
        self.headers = headers
        self.timeoutSeconds = timeoutSeconds
    }

    /// Decodes, defaulting headers and the timeout.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        url = try c.decode(String.self, forKey: .url)
        bearerToken = try c.decodeIfPresent(String.self, forKey: .bearerToken)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 10
    }

    /// Checks the receiver and throws an error naming the field to fix.
    public func validate() throws(AlertError) {
        if name.isEmpty { throw .invalidReceiver(field: "name", "give the webhook receiver a name") }
        if !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw .invalidReceiver(field: "url", "use an absolute http:// or https:// URL for receiver \"\(name)\"")
        }
        if !(timeoutSeconds > 0 && timeoutSeconds <= 300) {
            throw .invalidReceiver(field: "timeout_seconds", "use a timeout between 0 and 300 seconds for receiver \"\(name)\"")
        }
    }

    /// The receiver without its secret.
    public var description: String { "WebhookReceiver(name: \(name), url: \(url), bearer_token: \(bearerToken == nil ? "none" : "<redacted>"))" }

    enum CodingKeys: String, CodingKey {
        case name, url, bearerToken = "bearer_token", headers, timeoutSeconds = "timeout_seconds"
    }
}

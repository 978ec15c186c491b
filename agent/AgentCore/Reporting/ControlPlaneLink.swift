import DroverAPI

/// Talking to the control plane failed; `retryable` says whether backing off and trying again can help.
public struct LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened and what to do.
    public var message: String
    /// Network failures, 5xx/408/429 and credential problems (401/403) are retryable: reports stay in the spool until
    /// they can be delivered. Other 4xx are not (the request itself is wrong).
    public var retryable: Bool
    /// The HTTP status, when one came back.
    public var status: Int?

    /// Creates an error.
    public init(message: String, retryable: Bool, status: Int? = nil) {
        self.message = message
        self.retryable = retryable
        self.status = status
    }

    /// Whether the control plane rejected the credential (401) or its permissions (403).
    public var isAuthError: Bool { status == 401 || status == 403 }

    /// The message.
    public var description: String { message }
}

/// The answer to one desired-state long-poll.
public enum DesiredPoll: Sendable, Equatable {
    /// A desired state newer than the generation asked about.
    case changed(DesiredState)
    /// Nothing newer arrived within the wait (204): poll again.
    case unchanged
    /// The control plane holds no desired state for this agent yet (404): poll again later.
    case notSet
}

/// What the agent needs from the control plane; `DroverClientLink` speaks it with `DroverClient`.
public protocol ControlPlaneLink: Sendable {
    /// Posts spooled reports as one batch; the ack names what was stored (or already stored).
    func postReports(_ reports: [SpooledReport]) async throws(LinkError) -> ReportAck
    /// Long-polls the desired state newer than `generation`, waiting up to `wait`.
    func desiredState(after generation: Int64?, wait: Duration) async throws(LinkError) -> DesiredPoll
    /// Reports the observed state after an apply or a failover.
    func putObserved(_ state: ObservedState) async throws(LinkError)
    /// The reference profile of a version with its digest; nil when the control plane has none.
    func referenceProfile(model: String, version: String) async throws(LinkError) -> FetchedProfile?
    /// Sends a heartbeat (served version, labels, spool depth).
    func heartbeat(_ heartbeat: Heartbeat) async throws(LinkError)
}

/// A reference profile as the control plane served it: decoded, its JSON as received (what the agent caches) and
/// its digest, so the agent never re-encodes a profile to name it in reports.
public struct FetchedProfile: Sendable, Equatable {
    /// The profile.
    public var profile: ReferenceProfile
    /// The body as received.
    public var json: [UInt8]
    /// `sha256:…`: the response's ETag when it sent one (quotes and a weak `W/` prefix removed), else the SHA-256
    /// of `json` (the control plane serves the canonical JSON its own digest is computed over).
    public var digest: String

    /// Creates a fetched profile; `etag` is the raw `ETag` header, if any.
    public init(profile: ReferenceProfile, json: [UInt8], etag: String? = nil) {
        self.profile = profile
        self.json = json
        self.digest = Self.digest(etag: etag) ?? ("sha256:" + SHA256.hex(json))
    }

    /// The digest an `ETag` header names: `"sha256:…"` or `W/"sha256:…"` → `sha256:…`; nil for other tags.
    static func digest(etag: String?) -> String? {
        guard var tag = etag?.trimmed else { return nil }
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = String(tag.dropFirst().dropLast()) }
        return tag.hasPrefix("sha256:") && tag.count > 7 ? tag : nil
    }
}

import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON body Alertmanager posts to webhook receivers (version "4"), which Drover sends too,
/// so existing receivers (PagerDuty bridges, chat relays) accept Drover's alerts unchanged.
public struct AlertmanagerWebhookPayload: Codable, Sendable, Equatable {
    /// One alert in the message.
    public struct Entry: Codable, Sendable, Equatable {
        /// `firing` or `resolved`.
        public var status: String
        /// Labels, including `alertname` and `severity`.
        public var labels: [String: String]
        /// Evidence: summary, value, threshold, since, versions, zones, …
        public var annotations: [String: String]
        /// RFC 3339 start of the condition.
        public var startsAt: String
        /// RFC 3339 end, or `0001-01-01T00:00:00Z` while firing (as Alertmanager sends).
        public var endsAt: String
        /// Link to the alert in the control plane.
        public var generatorURL: String
        /// The alert's fingerprint.
        public var fingerprint: String

        /// Creates an entry.
        public init(
            status: String, labels: [String: String], annotations: [String: String], startsAt: String, endsAt: String,
            generatorURL: String, fingerprint: String
        ) {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
            self.fingerprint = fingerprint
        }
    }

    /// Always `"4"`.
    public var version: String
    /// Identifies the group (`{}:{alertname="…", model="…"}`), stable across messages.
    public var groupKey: String
    /// Alerts left out of the message (always 0: Drover sends each group whole).
    public var truncatedAlerts: Int
    /// `firing` if any alert fires, else `resolved`.
    public var status: String
    /// The receiver's name.
    public var receiver: String
    /// Labels the group is formed by (`alertname`, `model`).
    public var groupLabels: [String: String]
    /// Labels all alerts share.
    public var commonLabels: [String: String]
    /// Annotations all alerts share.
    public var commonAnnotations: [String: String]
    /// The control plane's external URL.
    public var externalURL: String
    /// The alerts.
    public var alerts: [Entry]

    /// Alertmanager's "zero time", sent as `endsAt` of firing alerts.
    public static let zeroTime = "0001-01-01T00:00:00Z"

    /// Labels alerts are grouped by into one message.
    public static let groupBy = ["alertname", "model"]

    /// Builds the message for alerts of one group to one receiver.
    public init(receiver: String, alerts: [Alert], externalURL: String) {
        let entries = alerts.map { Self.entry($0, externalURL: externalURL) }
        let first = entries.first?.labels ?? [:]
        let groupLabels = first.filter { Self.groupBy.contains($0.key) }
        self.version = "4"
        self.groupKey = Self.groupKey(groupLabels)
        self.truncatedAlerts = 0
        self.status = alerts.contains { $0.status == .firing } ? "firing" : "resolved"
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = Self.common(entries.map(\.labels))
        self.commonAnnotations = Self.common(entries.map(\.annotations))
        self.externalURL = externalURL
        self.alerts = entries
    }

    /// The labels as sent: the alert's labels plus `alertname` and `severity`.
    public static func labels(of alert: Alert) -> [String: String] {
        var labels = alert.labels
        labels["alertname"] = alert.rule
        labels["severity"] = alert.severity
        return labels
    }

    /// The group key of an alert (its `alertname` and `model`), used to batch deliveries.
    public static func groupKey(of alert: Alert) -> String {
        groupKey(labels(of: alert).filter { groupBy.contains($0.key) })
    }

    private static func groupKey(_ groupLabels: [String: String]) -> String {
        let pairs = groupLabels.keys.sorted().map { "\($0)=\"\(groupLabels[$0, default: ""])\"" }
        return "{}:{" + pairs.joined(separator: ", ") + "}"
    }

    private static func entry(_ alert: Alert, externalURL: String) -> Entry {
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        return Entry(
            status: alert.status.rawValue, labels: labels(of: alert), annotations: alert.annotations,
            startsAt: RFC3339.format(alert.startsAt), endsAt: alert.endsAt.map(RFC3339.format) ?? zeroTime,
            generatorURL: base + APIPath.alerts + "?fingerprint=" + alert.fingerprint, fingerprint: alert.fingerprint
        )
    }

    private static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var result = maps.first else { return [:] }
        for map in maps.dropFirst() { result = result.filter { map[$0.key] == $0.value } }
        return result
    }
}

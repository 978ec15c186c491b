import DroverAPI
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one JSON object per log line to stderr: `{"ts","level","label","msg",…metadata}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k] = "\(v)" }
        for (k, v) in event.metadata ?? [:] { fields[k] = "\(v)" }
        var line = "{\"ts\":\(JSONString.quoted(Self.timestamp())),\"level\":\(JSONString.quoted(event.level.rawValue)),\"label\":\(JSONString.quoted(label)),\"msg\":\(JSONString.quoted(event.message.description))"
        for k in fields.keys.sorted() { line += ",\(JSONString.quoted(k)):\(JSONString.quoted(fields[k]!))" }
        line += "}\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func timestamp() -> String {
        let d = Date()
        return DroverTimestamp.format(d)
    }
}

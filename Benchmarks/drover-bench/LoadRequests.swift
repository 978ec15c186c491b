import DroverAPI

#if canImport(Glibc)
import Glibc
#endif

/// Where one report's patched values sit inside a request's bytes.
struct ReportSlot: Sendable {
    /// Offset of the 26-character report id.
    var id: Int
    /// Offset of the 24-character `window.start` (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    var start: Int
    /// Offset of the 24-character `window.end`.
    var end: Int
}

/// One simulated agent's complete HTTP/1.1 request (head and body), built once; each send patches only the report
/// ids and window times in place (fixed-width values, so Content-Length never changes).
struct AgentRequest: Sendable {
    /// The request bytes.
    var bytes: [UInt8]
    /// One slot per report in the body (one, or `--batch` for the batch route).
    var slots: [ReportSlot]

    /// Writes ids and windows for a send: report `k` of the body gets `ids[k]`, its window ends
    /// `(slots.count - 1 - k) × interval` before `endMilliseconds` and lasts `interval`.
    mutating func patch(firstReport: UInt64, endMilliseconds: UInt64, intervalMilliseconds: UInt64) {
        let slots = self.slots
        let count = slots.count
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for (k, slot) in slots.enumerated() {
                let end = endMilliseconds - UInt64(count - 1 - k) * intervalMilliseconds
                LoadEncoding.writeReportID(
                    milliseconds: end,
                    random: UInt128(firstReport + UInt64(k)) &* 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835,
                    to: base + slot.id)
                LoadEncoding.writeTimestamp(milliseconds: end - intervalMilliseconds, to: base + slot.start)
                LoadEncoding.writeTimestamp(milliseconds: end, to: base + slot.end)
            }
        }
    }
}

/// Builds each agent's request from the realistic template report: single-report `POST /v1/reports`, or
/// `POST /v1/reports/batch` holding `batch` reports (an agent flushing its spool).
struct LoadRequestBuilder: Sendable {
    private var segments: [[UInt8]] = []
    private let host: String
    private let batch: Int

    private static let idPlaceholder = [UInt8](repeating: UInt8(ascii: "0"), count: ReportID.length)
    private static let timePlaceholder = Array("2026-01-01T00:00:00.000Z".utf8)

    /// Encodes `report` once and cuts it at the values of `"agent_id"`, `"id"`, `"end"` and `"start"`.
    init(report: Report, host: String, batch: Int) throws(LoadBenchmarkError) {
        self.host = host
        self.batch = batch
        guard var rest = try? DroverJSON.encode(report) else { throw .template("the template report does not encode") }
        for key in ["\"agent_id\":\"", "\"id\":\"", "\"end\":\"", "\"start\":\""] {  // their order in sorted-key output
            guard let at = Self.find(Array(key.utf8), in: rest),
                let valueEnd = rest[(at + key.utf8.count)...].firstIndex(of: UInt8(ascii: "\""))
            else { throw .template("the encoded template has no \(key) value to patch") }
            segments.append(Array(rest[..<(at + key.utf8.count)]))
            rest = Array(rest[valueEnd...])
        }
        segments.append(rest)
    }

    /// The request of agent `agentID` holding `token`, with placeholder ids and windows.
    func request(agentID: String, token: String) -> AgentRequest {
        var body: [UInt8] = []
        var slots: [ReportSlot] = []
        if batch > 0 { body += Array(#"{"reports":["#.utf8) }
        for k in 0..<max(batch, 1) {
            if k > 0 { body.append(UInt8(ascii: ",")) }
            var slot = ReportSlot(id: 0, start: 0, end: 0)
            body += segments[0]
            body += agentID.utf8
            body += segments[1]
            slot.id = body.count
            body += Self.idPlaceholder
            body += segments[2]
            slot.end = body.count
            body += Self.timePlaceholder
            body += segments[3]
            slot.start = body.count
            body += Self.timePlaceholder
            body += segments[4]
            slots.append(slot)
        }
        if batch > 0 { body += Array("]}".utf8) }
        let path = batch > 0 ? APIPath.reportsBatch : APIPath.reports
        let head = Array(
            ("POST \(path) HTTP/1.1\r\nHost: \(host)\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n").utf8)
        let shifted = slots.map {
            ReportSlot(id: $0.id + head.count, start: $0.start + head.count, end: $0.end + head.count)
        }
        return AgentRequest(bytes: head + body, slots: shifted)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}

/// Fixed-width ASCII writers for the values patched into requests (no String, no allocation).
enum LoadEncoding {
    private static let crockford: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Writes a ULID (48-bit milliseconds, 80 random bits) as 26 Crockford base32 characters, like `ReportID.encode`.
    static func writeReportID(milliseconds: UInt64, random: UInt128, to out: UnsafeMutablePointer<UInt8>) {
        var value = (UInt128(milliseconds & 0xFFFF_FFFF_FFFF) << 80) | (random & ((UInt128(1) << 80) - 1))
        for index in stride(from: ReportID.length - 1, through: 0, by: -1) {
            out[index] = crockford[Int(value & 31)]
            value >>= 5
        }
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC) for milliseconds since 1970.
    static func writeTimestamp(milliseconds: UInt64, to out: UnsafeMutablePointer<UInt8>) {
        let millis = Int(milliseconds % 1000)
        let seconds = Int(milliseconds / 1000)
        let (y, m, d) = civilFromDays(seconds / 86_400)
        let secondOfDay = seconds % 86_400
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(y, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(m, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(d, 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(secondOfDay % 3600 / 60, 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put(millis, 3, at: 20)
        out[23] = UInt8(ascii: "Z")
    }

    /// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar (days ≥ 0).
    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Why the load benchmark stopped; each message says what to check.
struct LoadBenchmarkError: Error, CustomStringConvertible {
    /// What went wrong and what to check.
    let description: String

    static func template(_ message: String) -> Self { Self(description: "report template: \(message)") }
    static func server(_ message: String) -> Self {
        Self(description: "\(message); check --server (an http://IPv4:PORT URL of a running drover-controlplane)")
    }
    static func socket(_ call: String) -> Self {
        Self(description: "\(call) failed: \(String(cString: strerror(errno))); check the server is up and ulimit -n")
    }
}

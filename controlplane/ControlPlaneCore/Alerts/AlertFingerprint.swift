import Crypto

/// The stable identity of an alert: SHA-256 of the rule name and the sorted labels, as 16 hex digits.
///
/// The same rule over the same labels always yields the same fingerprint, in every process and release,
/// so a condition that stays true never raises a second alert.
public enum AlertFingerprint {
    /// Computes the fingerprint of `rule` over `labels` (label order does not matter).
    public static func of(rule: String, labels: [String: String]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(rule.utf8))
        for key in labels.keys.sorted() {
            // Separators that cannot appear in UTF-8 text keep "a=b,c" distinct from "a=b" + "c".
            hasher.update(data: [0xFF])
            hasher.update(data: Array(key.utf8))
            hasher.update(data: [0xFE])
            hasher.update(data: Array(labels[key, default: ""].utf8))
        }
        let digest = hasher.finalize()
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for byte in digest.prefix(8) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

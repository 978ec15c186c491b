import Crypto
import DroverAPI

/// The digest of a reference profile: `sha256:` + hex SHA-256 of its canonical JSON (sorted keys).
public enum ReferenceProfileDigest {
    /// Canonical JSON and digest of a profile.
    public static func canonical(_ profile: ReferenceProfile) throws -> StoredProfile {
        let json = try DroverJSON.encode(profile)
        return StoredProfile(digest: "sha256:" + TokenSecret.hex(SHA256.hash(data: json)), json: json)
    }

    /// Whether a report's `reference_profile` names this profile (exact digest; a bare hex digest is accepted;
    /// agents that send a non-digest name are trusted when the profile is the version's only one).
    static func matches(_ profile: ReferenceProfile, _ named: String?) -> Bool {
        guard let named, let stored = try? canonical(profile) else { return named == nil }
        if named == stored.digest || "sha256:" + named == stored.digest { return true }
        return !named.hasPrefix("sha256:")
    }
}

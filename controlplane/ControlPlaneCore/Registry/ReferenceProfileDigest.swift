import Crypto
import DroverAPI

/// The digest of a reference profile: `sha256:` + hex SHA-256 of its canonical JSON (sorted keys).
public enum ReferenceProfileDigest {
    /// Canonical JSON and digest of a profile.
    public static func canonical(_ profile: ReferenceProfile) throws -> StoredProfile {
        let json = try DroverJSON.encode(profile)
        return StoredProfile(digest: "sha256:" + TokenSecret.hex(SHA256.hash(data: json)), json: json)
    }

}

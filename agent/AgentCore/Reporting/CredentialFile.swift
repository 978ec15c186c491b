import DroverAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The agent credential issued at enrolment, as kept in `state_dir/credential` (mode 0600, never logged).
public struct StoredCredential: Codable, Sendable, Equatable {
    /// The agent it was issued to.
    public var agentID: String
    /// The control plane that issued it (a credential is only used with the same base URL).
    public var controlPlane: String
    /// The bearer token.
    public var token: String

    /// Creates a stored credential.
    public init(agentID: String, controlPlane: String, token: String) {
        self.agentID = agentID
        self.controlPlane = controlPlane
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", controlPlane = "control_plane", token
    }
}

/// Reads and writes the credential file: written atomically with mode 0600 (owner only), fsync'd with its directory.
public struct CredentialFile: Sendable {
    /// The file's path.
    public let path: String

    /// A credential file at `path`.
    public init(path: String) { self.path = path }

    /// The file in a state directory: `<state_dir>/credential`.
    public init(stateDirectory: String) { self.path = stateDirectory + "/credential" }

    /// The stored credential, or nil when there is none or it cannot be read (the agent then enrols again).
    public func load() -> StoredCredential? {
        guard let bytes = try? FileIO.read(path), !bytes.isEmpty else { return nil }
        return try? DroverJSON.decode(StoredCredential.self, from: bytes)
    }

    /// Stores a credential durably, readable by the owner only.
    public func save(_ credential: StoredCredential) throws(FileIOError) {
        let bytes: [UInt8]
        do { bytes = try DroverJSON.encode(credential) } catch { throw FileIOError("encode", path, code: EINVAL) }
        try FileIO.makeDirectories(FileIO.directory(of: path))
        try FileIO.writeAtomically(bytes, to: path, mode: 0o600)
    }

    /// Removes the stored credential (after the control plane rejected it).
    public func remove() {
        try? FileIO.remove(path)
        FileIO.syncDirectory(of: path)
    }
}

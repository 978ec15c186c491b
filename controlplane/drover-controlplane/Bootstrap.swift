import ControlPlaneCore
import Logging

import Foundation

/// First start: with no tokens stored, either create bootstrap tokens into a file or say how to create one.
enum Bootstrap {
    static func firstStart(controlPlane: ControlPlane, tokenFile: String?, dataDirectory: String, logger: Logger) async throws {
        guard try await controlPlane.store.tokens().isEmpty else { return }
        guard let tokenFile else {
            print(
                """
                No API tokens exist yet. Create the first admin token with:
                  drover-controlplane token create --role admin --name admin --data-dir \(dataDirectory)
                (or start with --bootstrap-token-file FILE to create an admin and an enroll token into FILE).
                """)
            return
        }
        let admin = try await controlPlane.tokens.create(role: .admin, name: "bootstrap-admin", by: .system)
        let enroll = try await controlPlane.tokens.create(role: .enroll, name: "bootstrap-enroll", by: .system)
        let text = "DROVER_ADMIN_TOKEN=\(admin.secret)\nDROVER_ENROLL_TOKEN=\(enroll.secret)\n"
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaLikeError(description: "cannot write the bootstrap token file \(tokenFile); check the directory exists and is writable")
        }
        logger.info("created bootstrap tokens", metadata: ["file": "\(tokenFile)", "admin.id": "\(admin.record.id)", "enroll.id": "\(enroll.record.id)"])
    }

    struct CocoaLikeError: Error, CustomStringConvertible {
        var description: String
    }
}

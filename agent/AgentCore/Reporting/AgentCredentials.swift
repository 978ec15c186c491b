import DroverAPI
import Logging

/// The agent's credential for the control plane: configured, or issued at enrolment and kept in the state directory.
///
/// With an enrol token the agent enrols once (on first use) and stores the issued credential (0600); it enrols again
/// only when the control plane rejects that credential (401). Concurrent callers share one enrolment.
/// Tokens are never logged.
public actor AgentCredentials {
    /// Where the credential comes from.
    public enum Source: Sendable, Equatable {
        /// `control_plane.token` / `token_file`: used as is, never replaced.
        case configured
        /// Read from the state directory, issued by an earlier enrolment.
        case stored
        /// Issued by an enrolment of this process.
        case enrolled
        /// None yet: the next use enrols.
        case none
    }

    private let client: DroverClient
    private let enrollment: EnrollRequest
    private let enrollToken: String?
    private let file: CredentialFile
    private let logger: Logger
    private var current: String?
    /// Where `current` came from.
    public private(set) var source: Source
    private var inFlight: Task<Result<String, LinkError>, Never>?
    /// Enrolments performed by this process.
    public private(set) var enrollments = 0

    /// Creates the credentials of one agent. `client` needs no token; `configured` wins over the stored one.
    public init(
        client: DroverClient, enrollment: EnrollRequest, configured: String?, enrollToken: String?, file: CredentialFile,
        logger: Logger
    ) {
        self.client = client
        self.enrollment = enrollment
        self.enrollToken = enrollToken
        self.file = file
        self.logger = logger
        if let configured {
            current = configured
            source = .configured
        } else if let stored = file.load(), stored.agentID == enrollment.agentID, stored.controlPlane == client.baseURL,
            !stored.token.isEmpty
        {
            current = stored.token
            source = .stored
        } else {
            current = nil
            source = .none
        }
    }

    /// The credential to send; enrols first when there is none yet.
    public func credential() async throws(LinkError) -> String {
        if let current { return current }
        if let inFlight { return try await inFlight.value.get() }
        guard let enrollToken else {
            throw LinkError(
                message: "the agent has no credential: set control_plane.token_file (an agent credential) or "
                    + "control_plane.enroll_token_file (an enrol token) in the configuration",
                retryable: true, status: 401)  // retryable: reports stay spooled until a credential is configured
        }
        let client = self.client
        let request = self.enrollment
        // One enrolment shared by every caller that arrives meanwhile; it is awaited right here (not left running),
        // and cancelled with its caller.
        let task = Task<Result<String, LinkError>, Never> {
            do throws(DroverClientError) {
                return .success(try await client.enroll(request, enrollToken: enrollToken).token)
            } catch {
                return .failure(Self.enrollmentError(error))
            }
        }
        inFlight = task
        let result = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        inFlight = nil
        let token = try result.get()
        current = token
        source = .enrolled
        enrollments += 1
        do {
            try file.save(StoredCredential(agentID: enrollment.agentID, controlPlane: client.baseURL, token: token))
            logger.notice(
                "enrolled with the control plane; the credential is stored",
                metadata: ["agent.id": "\(enrollment.agentID)", "path": "\(file.path)"])
        } catch {
            logger.error(
                "enrolled, but the credential could not be stored; the agent will enrol again after a restart",
                metadata: ["error": "\(error)"])
        }
        return token
    }

    /// The control plane rejected `token` (401): forgets it when it is still the current one. Returns whether a new
    /// credential can be obtained (an enrol token is configured), so the caller may retry once.
    public func rejected(_ token: String) -> Bool {
        guard source != .configured else { return false }
        guard enrollToken != nil else { return false }
        if current == token {
            logger.warning(
                "the control plane rejected the agent credential; enrolling again with the enrol token",
                metadata: ["agent.id": "\(enrollment.agentID)"])
            current = nil
            source = .none
            file.remove()
        }
        return true
    }

    /// What the configuration should change when `status` rejected the credential.
    public func advice(status: Int) -> String {
        switch (status, source) {
        case (403, _):
            return "the credential does not allow this agent id (\(enrollment.agentID)); check agent.id"
        case (_, .configured):
            return "the configured agent credential is wrong or revoked; set a valid control_plane.token_file, "
                + "or use control_plane.enroll_token_file instead"
        default:
            return "the stored credential was rejected; configure control_plane.enroll_token_file so the agent can enrol again"
        }
    }

    private static func enrollmentError(_ error: DroverClientError) -> LinkError {
        if error.status == 401 || error.status == 403 {
            return LinkError(
                message: "enrolling failed: the control plane rejected the enrol token (HTTP \(error.status ?? 0)); "
                    + "set a valid one in control_plane.enroll_token_file (droverctl tokens create --role enroll)",
                retryable: true, status: error.status)
        }
        let link = LinkError(error)
        return LinkError(message: "enrolling failed: " + link.message, retryable: link.retryable, status: link.status)
    }
}

extension LinkError {
    /// Maps a client error: no response, 5xx/408/429, an unreadable answer and credential problems are retryable;
    /// other 4xx and bodies refused before sending are not.
    public init(_ error: DroverClientError) {
        if error.isHTTPError, let status = error.status, status == 401 || status == 403 {
            // The client's own advice names CLI flags; the caller appends what to set in the agent's configuration.
            let said = error.message.isEmpty ? "" : ": \(error.message)"
            self.init(message: "\(error.operation) was refused with HTTP \(status)\(said)", retryable: true, status: status)
        } else if error.isHTTPError, let status = error.status {
            let retryable = status >= 500 || status == 408 || status == 429
            self.init(message: error.description, retryable: retryable, status: status)
        } else if error.isInvalidRequest {
            self.init(message: error.description, retryable: false)
        } else {
            self.init(message: error.description, retryable: true, status: error.status)
        }
    }
}

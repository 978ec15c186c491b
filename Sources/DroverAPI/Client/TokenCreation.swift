#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A request to create an API token (`POST /v1/tokens`, admin only).
public struct TokenCreateRequest: Codable, Sendable, Equatable {
    /// A human name for the token, e.g. `mei-laptop` (1–128 bytes).
    public var name: String
    /// The role it grants: `admin`, `operator`, `viewer` or `enroll`.
    public var role: String

    /// Creates a request.
    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }
}

/// A token as just created; `token` (the secret) is shown once and never again.
public struct TokenCreateResponse: Codable, Sendable, Equatable {
    /// Public identifier (`tok_…`), safe to show and log.
    public var id: String
    /// The token's name.
    public var name: String
    /// The role it grants.
    public var role: String
    /// The secret bearer token.
    public var token: String
    /// When it was created.
    public var createdAt: Date?

    /// Creates a response.
    public init(id: String, name: String, role: String, token: String, createdAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.token = token
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, token, createdAt = "created_at"
    }
}

extension TokenCreateRequest: NestedValidatable {
    /// Checks a 1–128 byte name and a known role.
    public func validate() throws(ValidationError) {
        try Check.text(name, "name", maxLength: 128, allowEmpty: false)
        if !["admin", "operator", "viewer", "enroll"].contains(role) {
            throw ValidationError(
                field: "role",
                message: "must be admin, operator, viewer or enroll (agent tokens come from enrolment), got \"\(role)\""
            )
        }
    }
}

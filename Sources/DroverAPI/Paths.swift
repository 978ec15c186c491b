/// The control plane's HTTP paths (all under `/v1`), shared by the server, the agent and droverctl.
public enum APIPath {
    /// `POST`: enrol an agent with an enrol token.
    public static let enroll = "/v1/agents/enroll"
    /// `GET`: list agents.
    public static let agents = "/v1/agents"
    /// `POST`: one report. 
    public static let reports = "/v1/reports"
    /// `POST`: a batch of reports.
    public static let reportsBatch = "/v1/reports/batch"
    /// `GET`: fleet health per model × version × zone.
    public static let fleetHealth = "/v1/fleet/health"
    /// `GET` list / `POST` register versions.
    public static let versions = "/v1/versions"
    /// `PUT`: set the desired version of agents matching a selector.
    public static let desired = "/v1/desired"
    /// `GET`: alerts.
    public static let alerts = "/v1/alerts"
    /// `GET`/`POST`: API tokens (admin).
    public static let tokens = "/v1/tokens"
    /// `GET`: the audit log.
    public static let audit = "/v1/audit"
    /// The OpenAPI document.
    public static let openAPI = "/v1/openapi.json"

    /// `GET`: one agent (record, desired and observed state).
    public static func agent(_ id: String) -> String { "/v1/agents/\(escape(id))" }
    /// `POST`: an agent's heartbeat.
    public static func heartbeat(agent: String) -> String { "/v1/agents/\(escape(agent))/heartbeat" }
    /// `GET` (long-poll with `?after=GEN&wait=SECONDS`): an agent's desired state.
    public static func desiredState(agent: String) -> String { "/v1/agents/\(escape(agent))/desired" }
    /// `PUT`: an agent's observed state.
    public static func observedState(agent: String) -> String { "/v1/agents/\(escape(agent))/observed" }
    /// `GET`: one version.
    public static func version(model: String, version: String) -> String { "/v1/models/\(escape(model))/versions/\(escape(version))" }
    /// `GET`/`PUT`: a version's reference profile.
    public static func referenceProfile(model: String, version: String) -> String {
        "/v1/models/\(escape(model))/versions/\(escape(version))/profile"
    }
    /// `POST`: training steps of a run.
    public static func trainingSteps(run: String) -> String { "/v1/training/runs/\(escape(run))/steps" }

    /// Percent-encodes a path segment (agent ids may contain `/`).
    public static func escape(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}

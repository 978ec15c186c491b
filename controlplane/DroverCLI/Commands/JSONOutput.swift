import DroverAPI

/// Stable JSON for scripts: sorted keys, snake_case, RFC 3339 dates, one document per command.
enum JSONOutput {
    /// Encodes `value` pretty-printed with sorted keys.
    static func render<T: Encodable>(_ value: T) throws(CLIError) -> String {
        do {
            return String(decoding: try DroverJSON.encode(value, pretty: true), as: UTF8.self)
        } catch {
            throw .unexpected("cannot encode the output as JSON: \(error)")
        }
    }

    /// `{"<key>": [...]}`: every listing is wrapped so it can grow fields later (as the server's lists are).
    static func list<T: Encodable>(_ key: String, _ items: [T]) throws(CLIError) -> String {
        try render([key: items])
    }
}

/// Why a JSON document could not be read: malformed JSON, or a well-formed value that does not fit the
/// expected shape. Names the JSON path (`drift.features[3].counts`) so the sender can fix it.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case syntax, missing, wrongType, null, invalidValue
    }

    /// One step of a JSON path.
    enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    private let code: Code
    /// What is wrong and what is expected (without the path; see `field`).
    public let message: String
    /// The byte offset where reading stopped, for malformed JSON.
    public let offset: Int?
    // Innermost component first: prefixes are appended while the error unwinds, so success costs nothing.
    private var reversedPath: [PathComponent] = []

    private init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// The document is not valid JSON (or nests deeper than `JSONReader.maxDepth`).
    public static func syntax(_ detail: String, at offset: Int) -> JSONReadError {
        JSONReadError(.syntax, "is not valid JSON: \(detail) at byte \(offset)", offset: offset)
    }

    /// A required key is absent.
    public static func missing(_ key: String) -> JSONReadError {
        JSONReadError(.missing, "is required").at(key: key)
    }

    /// The value has another JSON type than `expected` (e.g. "an integer").
    public static func wrongType(expected: String) -> JSONReadError {
        JSONReadError(.wrongType, "has the wrong type; expected \(expected)")
    }

    /// The value is `null` where `expected` is required.
    public static func null(expected: String) -> JSONReadError {
        JSONReadError(.null, "must not be null; expected \(expected)")
    }

    /// The value has the right JSON type but cannot be used (a number out of range, an unknown enum case, a bad date).
    public static func invalidValue(_ message: String) -> JSONReadError {
        JSONReadError(.invalidValue, message)
    }

    /// Whether the document itself is malformed (as opposed to a value of the wrong shape).
    public var isSyntaxError: Bool { code == .syntax }

    /// Whether a required key was absent.
    public var isMissingField: Bool { code == .missing }

    /// Whether a value had the wrong JSON type or was null where a value is required.
    public var isTypeMismatch: Bool { code == .wrongType || code == .null }

    /// This error, located under `key` of the enclosing object.
    public func at(key: String) -> JSONReadError {
        var copy = self
        if code != .syntax { copy.reversedPath.append(.key(key)) }
        return copy
    }

    /// This error, located at `index` of the enclosing array.
    public func at(index: Int) -> JSONReadError {
        var copy = self
        if code != .syntax { copy.reversedPath.append(.index(index)) }
        return copy
    }

    /// The JSON path of the offending value, `body` for the whole document (the convention of Drover's 400s).
    public var field: String {
        var out = ""
        for component in reversedPath.reversed() {
            switch component {
            case .key(let key): out += out.isEmpty ? key : ".\(key)"
            case .index(let index): out += "[\(index)]"
            }
        }
        return out.isEmpty ? "body" : out
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}

/// One node of a YAML document, with the 1-based line and column where it starts.
public struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written; plain scalars may mean null (`~`, `null`, nothing).
    public enum ScalarStyle: Sendable, Equatable {
        /// Unquoted text.
        case plain
        /// `'text'` (`''` is a quote).
        case singleQuoted
        /// `"text"` with backslash escapes.
        case doubleQuoted
        /// A `|` block scalar (newlines kept).
        case literal
        /// A `>` block scalar (lines folded into spaces).
        case folded
    }

    /// A key and its value in a mapping.
    public struct Pair: Sendable, Equatable {
        /// The key (a scalar).
        public var key: YAMLNode
        /// The value.
        public var value: YAMLNode

        /// Creates a pair.
        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// What the node holds.
    public indirect enum Content: Sendable, Equatable {
        /// Text with the style it was written in.
        case scalar(String, ScalarStyle)
        /// A list of nodes.
        case sequence([YAMLNode])
        /// Keys and values in document order (keys are unique).
        case mapping([Pair])
    }

    /// What the node holds.
    public var content: Content
    /// 1-based line where the node starts.
    public var line: Int
    /// 1-based column (in bytes) where the node starts.
    public var column: Int

    /// Creates a node.
    public init(_ content: Content, line: Int, column: Int) {
        self.content = content
        self.line = line
        self.column = column
    }

    /// The text of a scalar; nil for sequences and mappings.
    public var string: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// Whether this is a plain `~`, `null` (any case YAML allows) or empty scalar.
    public var isNull: Bool {
        if case .scalar(let text, .plain) = content { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    /// The items of a sequence; nil otherwise.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs of a mapping; nil otherwise.
    public var mapping: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value under a scalar key of a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.string == key }?.value
    }
}

/// A document that is not in the YAML subset Drover reads: where (1-based line and column) and what to change.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in bytes) of the problem.
    public var column: Int
    /// What is wrong and what to write instead.
    public var message: String

    /// Creates an error.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `12:5: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

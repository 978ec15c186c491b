/// Streaming, mergeable counts of a categorical feature over the reference's categories plus `__other__`.
///
/// Memory: one integer per category plus the category names (the profile builder caps the list, 50 by default).
public struct CategoryCounts: Sendable, Hashable, Codable {
    /// The label under which values outside `categories` are counted.
    public static let other = "__other__"

    /// The tracked categories (without `__other__`).
    public let categories: [String]
    /// Count per category, in `categories` order, then the `__other__` count last.
    public private(set) var counts: [Int]
    private let position: [String: Int]

    /// Empty counts over `categories` (distinct, not containing `__other__`).
    public init(categories: [String]) throws(StatsError) {
        var position: [String: Int] = [:]
        for (i, c) in categories.enumerated() {
            if c == Self.other {
                throw .invalidArgument("categories", "\"\(Self.other)\" is reserved for values outside the list")
            }
            if position.updateValue(i, forKey: c) != nil {
                throw .invalidArgument("categories", "\"\(c)\" appears twice")
            }
        }
        self.categories = categories
        self.position = position
        counts = [Int](repeating: 0, count: categories.count + 1)
    }

    /// Counts received from elsewhere: one per category, then `__other__`.
    public init(categories: [String], counts: [Int]) throws(StatsError) {
        try self.init(categories: categories)
        guard counts.count == categories.count + 1 else {
            throw .lengthMismatch(
                "category counts (categories then __other__)", expected: categories.count + 1, actual: counts.count)
        }
        for (i, c) in counts.enumerated() where c < 0 {
            throw .invalidArgument("category counts", "count \(i) is negative (\(c))")
        }
        self.counts = counts
    }

    private enum CodingKeys: String, CodingKey { case categories, counts }

    /// Decodes `{"categories": [...], "counts": [...]}` (counts end with `__other__`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            categories: container.decode([String].self, forKey: .categories),
            counts: container.decode([Int].self, forKey: .counts)
        )
    }

    /// Encodes `{"categories": [...], "counts": [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(categories, forKey: .categories)
        try container.encode(counts, forKey: .counts)
    }

    /// Equal categories and counts.
    public static func == (lhs: CategoryCounts, rhs: CategoryCounts) -> Bool {
        lhs.categories == rhs.categories && lhs.counts == rhs.counts
    }

    /// Hashes categories and counts.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(categories)
        hasher.combine(counts)
    }

    /// The number of values counted.
    public var total: Int { counts.reduce(0, +) }

    /// The count of one category (`__other__` included).
    public func count(of category: String) -> Int {
        if let i = position[category] { return counts[i] }
        return category == Self.other ? counts[categories.count] : 0
    }

    /// Counts one value.
    @inline(__always)
    public mutating func add(_ value: String) { add(value, times: 1) }

    /// Counts a value `times` times (e.g. from a pre-aggregated table).
    public mutating func add(_ value: String, times: Int) {
        counts[position[value] ?? categories.count] += times
    }

    /// Counts a batch of values.
    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == String {
        for v in values { add(v) }
    }

    /// Adds another window's counts over the same categories.
    public mutating func merge(_ other: CategoryCounts) throws(StatsError) {
        guard other.categories == categories else {
            throw .incompatible("category counts over different category lists cannot be merged")
        }
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    /// The counts of the union of two windows over the same categories.
    public func merging(_ other: CategoryCounts) throws(StatsError) -> CategoryCounts {
        var copy = self
        try copy.merge(other)
        return copy
    }
}

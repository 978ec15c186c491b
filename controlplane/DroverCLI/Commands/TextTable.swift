/// An aligned plain-text table for people: a header row, then one row per item, columns separated by two spaces.
public struct TextTable: Sendable, Equatable {
    /// Column titles.
    public var header: [String]
    /// Rows (each as many cells as the header).
    public var rows: [[String]]
    /// Columns aligned to the right (numbers).
    public var rightAligned: Set<Int>

    /// Creates a table.
    public init(header: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// Adds a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as text (no trailing newline); `empty` is printed instead when there are no rows.
    public func render(empty: String? = nil) -> String {
        if rows.isEmpty, let empty { return empty }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            var cells: [String] = []
            for column in header.indices {
                let cell = column < row.count ? row[column] : ""
                let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                cells.append(rightAligned.contains(column) ? pad + cell : cell + pad)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

/// Number and time formatting shared by the tables.
enum Format {
    /// A number with `digits` decimals, or `-`.
    static func number(_ value: Double?, _ digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if text.contains("e") { return text }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if digits == 0 { return String(parts[0]) }
        while fraction.count < digits { fraction += "0" }
        text = String(parts[0]) + "." + fraction.prefix(digits)
        return text
    }

    /// An integer, or `-`.
    static func integer(_ value: Int?) -> String { value.map(String.init) ?? "-" }

    /// A percentage with one decimal, or `-`.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        return number(value * 100, 1) + "%"
    }

    /// Bytes in B/KiB/MiB/GiB.
    static func bytes(_ value: Int?) -> String {
        guard let value else { return "-" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : number(amount, 1) + " " + units[unit]
    }

    /// `k=v,k=v` sorted by key, or `-`.
    static func labels(_ labels: [String: String]) -> String {
        labels.isEmpty ? "-" : labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// A duration in seconds as `5s`, `3m`, `2h`, `4d`.
    static func age(seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}

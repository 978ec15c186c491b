import DroverStats

extension DriftReport {
    /// The report as an aligned text table for people, with a verdict and reason per column.
    public func table() -> String {
        let header = ["column", "kind", "n ref", "n cur", "PSI", "JS", "W1", "test", "stat", "p", "verdict"]
        var rows: [[String]] = [header]
        for c in columns {
            let test: String
            let stat: String
            let p: String
            if let ks = c.ks {
                test = "KS"
                stat = Self.format(ks.statistic)
                p = Self.format(ks.pValue)
            } else if let chi = c.chiSquare {
                test = "chi2(\(chi.dof))"
                stat = Self.format(chi.statistic)
                p = Self.format(chi.pValue)
            } else {
                test = "-"
                stat = "-"
                p = "-"
            }
            rows.append([
                c.name, c.kind.rawValue, "\(c.nReference)", "\(c.nCurrent)", Self.format(c.psi),
                Self.format(c.jsDistance),
                c.wasserstein.map(Self.format) ?? "-", test, stat, p, c.assessment.level.rawValue.uppercased(),
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (k, row) in rows.enumerated() {
            let cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 || i == 1 || i == 7 || i == row.count - 1 ? cell + pad : pad + cell
            }
            out += cells.joined(separator: "  ") + "\n"
            if k == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\n"
        for c in columns where c.assessment.level != .ok {
            out += "\(c.name): \(c.assessment.level.rawValue) — \(c.assessment.reason)\n"
        }
        let drifted = driftedColumns
        out +=
            drifted.isEmpty
            ? "No column drifted (\(columns.count) compared).\n"
            : "\(drifted.count) of \(columns.count) columns drifted: \(drifted.joined(separator: ", ")).\n"
        return out
    }
}

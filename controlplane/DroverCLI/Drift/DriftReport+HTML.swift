import DroverStats

extension DriftReport {
    /// The report as one self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched).
    public func html() -> String {
        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Drift report</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
            table{border-collapse:collapse;margin:1rem 0}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}
            td:first-child,th:first-child{text-align:left}.drift{color:#b00020;font-weight:600}.warn{color:#a65e00}
            .ok{color:#176f2c}.insufficient_data{color:#666}.card{display:inline-block;vertical-align:top;margin:0 1rem 1rem 0;
            padding:.6rem;border:1px solid #ddd;border-radius:6px}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px}
            </style></head><body>

            """
        out += "<h1>Drift report</h1>\n<p>Reference: <code>\(Self.escape(reference))</code><br>"
        out += "Current: <code>\(Self.escape(current))</code></p>\n"
        let drifted = driftedColumns
        out += "<p><strong>\(drifted.count) of \(columns.count) columns drifted</strong>"
        out += drifted.isEmpty ? ".</p>\n" : ": \(drifted.map(Self.escape).joined(separator: ", ")).</p>\n"
        out += "<table><tr><th>column</th><th>kind</th><th>n ref</th><th>n cur</th><th>PSI</th><th>JS</th>"
        out += "<th>W1</th><th>test</th><th>p</th><th>verdict</th></tr>\n"
        for c in columns {
            let test =
                c.ks.map { "KS \(Self.format($0.statistic))" }
                ?? c.chiSquare.map { "χ²(\($0.dof)) \(Self.format($0.statistic))" } ?? "-"
            let p = c.ks.map { Self.format($0.pValue) } ?? c.chiSquare.map { Self.format($0.pValue) } ?? "-"
            out += "<tr><td>\(Self.escape(c.name))</td><td>\(c.kind.rawValue)</td><td>\(c.nReference)</td>"
            out += "<td>\(c.nCurrent)</td><td>\(Self.format(c.psi))</td><td>\(Self.format(c.jsDistance))</td>"
            out += "<td>\(c.wasserstein.map(Self.format) ?? "-")</td><td>\(test)</td><td>\(p)</td>"
            out += "<td class=\"\(c.assessment.level.rawValue)\" title=\"\(Self.escape(c.assessment.reason))\">"
            out += "\(c.assessment.level.rawValue)</td></tr>\n"
        }
        out += "</table>\n<p class=\"legend\"><span style=\"background:#7a8fa6\"></span>reference"
        out += "<span style=\"background:#e07a1f\"></span>current (share of values per bin or category)</p>\n"
        for c in columns {
            out += "<div class=\"card\"><div><strong>\(Self.escape(c.name))</strong> "
            out += "<span class=\"\(c.assessment.level.rawValue)\">\(c.assessment.level.rawValue)</span></div>\n"
            out += Self.svg(c.chart) + "</div>\n"
        }
        out += "</body></html>\n"
        return out
    }

    /// A small grouped bar chart: one pair of bars (reference, current) per label.
    static func svg(_ chart: Chart) -> String {
        let width = 340.0
        let height = 150.0
        let bottom = 112.0
        let top = 8.0
        let left = 34.0
        let n = max(1, chart.labels.count)
        let slot = (width - left) / Double(n)
        let peak = max(chart.reference.max() ?? 0, chart.current.max() ?? 0, 1e-12)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\""
        out += " viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(width)\" y2=\"\(bottom)\" stroke=\"#999\"/>"
        out += "<text x=\"\(left - 3)\" y=\"\(top + 8)\" font-size=\"8\" text-anchor=\"end\">\(format(peak * 100))%</text>"
        for i in 0..<chart.labels.count {
            let x = left + Double(i) * slot
            let barWidth = max(1, slot * 0.38)
            for (k, value, color) in [(0, chart.reference[i], "#7a8fa6"), (1, chart.current[i], "#e07a1f")] {
                let h = (bottom - top) * value / peak
                let bx = x + slot * 0.1 + Double(k) * barWidth
                out += "<rect x=\"\(rounded(bx))\" y=\"\(rounded(bottom - h))\" width=\"\(rounded(barWidth))\""
                out += " height=\"\(rounded(h))\" fill=\"\(color)\"><title>\(escape(chart.labels[i])): "
                out += "\(k == 0 ? "reference" : "current") \(format(value * 100))%</title></rect>"
            }
            if n <= 12 {
                let label = chart.labels[i].count > 13 ? String(chart.labels[i].prefix(12)) + "…" : chart.labels[i]
                out += "<text x=\"\(rounded(x + slot / 2))\" y=\"\(bottom + 12)\" font-size=\"8\" text-anchor=\"end\""
                out += " transform=\"rotate(-35 \(rounded(x + slot / 2)) \(bottom + 12))\">\(escape(label))</text>"
            }
        }
        return out + "</svg>"
    }

    private static func rounded(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return "\(r)"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

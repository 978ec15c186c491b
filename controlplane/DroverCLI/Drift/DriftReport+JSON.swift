import DroverStats

extension DriftReport {
    /// The report as JSON: `{"schema_version":1,"columns":[...],"drifted_columns":[...]}` (shape documented in
    /// docs/statistics.md); numbers use the shortest text that round-trips.
    public func json() -> String {
        var out = "{\"schema_version\":1,\"columns\":["
        for (i, c) in columns.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":\(Self.jsonString(c.name)),\"kind\":\"\(c.kind.rawValue)\""
            out += ",\"n_reference\":\(c.nReference),\"n_current\":\(c.nCurrent)"
            out += ",\"psi\":\(Self.jsonNumber(c.psi)),\"js_distance\":\(Self.jsonNumber(c.jsDistance))"
            if let w = c.wasserstein { out += ",\"wasserstein\":\(Self.jsonNumber(w))" }
            if let ks = c.ks {
                out +=
                    ",\"ks\":{\"statistic\":\(Self.jsonNumber(ks.statistic)),\"p_value\":\(Self.jsonNumber(ks.pValue))}"
            }
            if let chi = c.chiSquare {
                out += ",\"chi_square\":{\"statistic\":\(Self.jsonNumber(chi.statistic))"
                out += ",\"p_value\":\(Self.jsonNumber(chi.pValue)),\"dof\":\(chi.dof)}"
            }
            out += ",\"drift\":\(c.drift)}"
        }
        out += "],\"drifted_columns\":["
        out += driftedColumns.map(Self.jsonString).joined(separator: ",")
        out += "]}"
        return out
    }

    static func jsonNumber(_ x: Double) -> String {
        x.isFinite ? "\(x)" : "null"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

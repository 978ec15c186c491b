import DroverAPI
import DroverStats

extension DriftReport {
    /// The report as JSON: `{"schema_version":1,"columns":[...],"drifted_columns":[...]}` (shape documented in
    /// docs/statistics.md); numbers use the shortest text that round-trips.
    public func json() -> String {
        var out = "{\"schema_version\":1,\"columns\":["
        for (i, c) in columns.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":\(JSONString.quoted(c.name)),\"kind\":\"\(c.kind.rawValue)\""
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
        out += driftedColumns.map(JSONString.quoted).joined(separator: ",")
        out += "]}"
        return out
    }

    static func jsonNumber(_ x: Double) -> String {
        x.isFinite ? "\(x)" : "null"
    }
}

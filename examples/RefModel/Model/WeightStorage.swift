/// How a layer's weight matrix (`rows` outputs × `columns` inputs, row-major) is stored in memory.
public enum WeightStorage: Sendable, Equatable {
    /// Dense 32-bit floats.
    case float32([Float])
    /// Dense 8-bit integers with one per-tensor scale: `weight = Float(value) * scale` (symmetric, zero point 0).
    case int8(values: [Int8], scale: Float)
    /// Compressed sparse rows: row `r` holds `values[rowStart[r]..<rowStart[r+1]]` at `columns[...]`.
    case sparse(rowStart: [Int32], columns: [UInt16], values: [Float])

    /// The bytes the stored representation occupies.
    public var bytes: Int {
        switch self {
        case .float32(let values): return values.count * 4
        case .int8(let values, _): return values.count + 4
        case .sparse(let rowStart, let columns, let values):
            return rowStart.count * 4 + columns.count * 2 + values.count * 4
        }
    }

    /// The number of stored non-zero weights.
    public var nonZeroCount: Int {
        switch self {
        case .float32(let values): return values.count { $0 != 0 }
        case .int8(let values, _): return values.count { $0 != 0 }
        case .sparse(_, _, let values): return values.count { $0 != 0 }
        }
    }

    /// The precision label of this storage.
    public var precision: String {
        switch self {
        case .float32: return "float32"
        case .int8: return "int8"
        case .sparse: return "float32-sparse"
        }
    }
}

/// How a layer's bias vector is stored.
public enum BiasStorage: Sendable, Equatable {
    /// 32-bit floats.
    case float32([Float])
    /// 8-bit integers with a per-tensor scale.
    case int8(values: [Int8], scale: Float)

    /// The bytes the stored representation occupies.
    public var bytes: Int {
        switch self {
        case .float32(let values): return values.count * 4
        case .int8(let values, _): return values.count + 4
        }
    }

    /// The bias values as floats (dequantized when stored as int8).
    public var dequantized: [Float] {
        switch self {
        case .float32(let values): return values
        case .int8(let values, let scale): return values.map { Float($0) * scale }
        }
    }
}

/// Symmetric per-tensor int8 quantization helpers.
public enum Int8Quantizer {
    /// Quantizes values to Int8 with `scale = max|v| / 127`; returns the codes and the scale.
    public static func quantize(_ values: [Float]) -> (values: [Int8], scale: Float) {
        let maxAbs = values.reduce(Float(0)) { max($0, abs($1)) }
        let scale = maxAbs > 0 ? maxAbs / 127 : 1
        let codes = values.map { value -> Int8 in
            let q = (value / scale).rounded()
            return Int8(max(-127, min(127, q)))
        }
        return (codes, scale)
    }
}

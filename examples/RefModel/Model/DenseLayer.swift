/// A fully connected layer `y = W x + b` whose weights may be float32, int8 or sparse.
public struct DenseLayer: Sendable, Equatable {
    /// Output size.
    public let rows: Int
    /// Input size.
    public let columns: Int
    /// The weight matrix in its stored form.
    public let weights: WeightStorage
    /// The bias vector in its stored form.
    public let bias: BiasStorage
    private let biasValues: [Float]

    /// Creates a layer; `weights` must hold `rows × columns` entries (or a matching sparse structure).
    public init(rows: Int, columns: Int, weights: WeightStorage, bias: BiasStorage) {
        self.rows = rows
        self.columns = columns
        self.weights = weights
        self.bias = bias
        self.biasValues = bias.dequantized
    }

    /// The number of parameters of the dense architecture (weights + biases), whatever the storage.
    public var parameterCount: Int { rows * columns + rows }

    /// Stored bytes of weights and biases.
    public var bytes: Int { weights.bytes + bias.bytes }

    /// The weights as a dense row-major float matrix (dequantized / densified).
    public var denseWeights: [Float] {
        switch weights {
        case .float32(let values): return values
        case .int8(let values, let scale): return values.map { Float($0) * scale }
        case .sparse(let rowStart, let cols, let values):
            var dense = [Float](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { dense[r * columns + Int(cols[k])] = values[k] }
            }
            return dense
        }
    }

    /// Applies the layer to one input vector of length `columns`.
    public func apply(_ input: [Float]) -> [Float] {
        var out = biasValues
        switch weights {
        case .float32(let w):
            w.withUnsafeBufferPointer { wp in
                input.withUnsafeBufferPointer { xp in
                    for r in 0..<rows {
                        var sum: Float = 0
                        let base = r * columns
                        for c in 0..<columns { sum += wp[base + c] * xp[c] }
                        out[r] += sum
                    }
                }
            }
        case .int8(let q, let scale):
            // Dequantized at inference: integer weights times the float input, scaled once per row.
            q.withUnsafeBufferPointer { qp in
                input.withUnsafeBufferPointer { xp in
                    for r in 0..<rows {
                        var sum: Float = 0
                        let base = r * columns
                        for c in 0..<columns { sum += Float(qp[base + c]) * xp[c] }
                        out[r] += sum * scale
                    }
                }
            }
        case .sparse(let rowStart, let cols, let values):
            for r in 0..<rows {
                var sum: Float = 0
                for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { sum += values[k] * input[Int(cols[k])] }
                out[r] += sum
            }
        }
        return out
    }

    /// An int8 copy: weights and biases really quantized to Int8 with per-tensor scales.
    public func quantizedInt8() -> DenseLayer {
        let w = Int8Quantizer.quantize(denseWeights)
        let b = Int8Quantizer.quantize(biasValues)
        return DenseLayer(
            rows: rows, columns: columns, weights: .int8(values: w.values, scale: w.scale),
            bias: .int8(values: b.values, scale: b.scale))
    }

    /// A pruned copy: the `fraction` smallest-magnitude weights set to zero, the rest kept in sparse rows.
    public func pruned(fraction: Double) -> DenseLayer {
        let dense = denseWeights
        let dropCount = Int((Double(dense.count) * fraction).rounded())
        let order = dense.indices.sorted { (abs(dense[$0]), $0) < (abs(dense[$1]), $1) }
        var keep = [Bool](repeating: true, count: dense.count)
        for index in order.prefix(dropCount) { keep[index] = false }
        var rowStart: [Int32] = [0]
        var cols: [UInt16] = []
        var values: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns where keep[r * columns + c] {
                cols.append(UInt16(c))
                values.append(dense[r * columns + c])
            }
            rowStart.append(Int32(values.count))
        }
        return DenseLayer(
            rows: rows, columns: columns, weights: .sparse(rowStart: rowStart, columns: cols, values: values),
            bias: .float32(biasValues))
    }

    /// A dense float32 layer from a transformation of the dense weights and biases.
    public func mapped(weights transformWeights: ([Float]) -> [Float], bias transformBias: ([Float]) -> [Float])
        -> DenseLayer
    {
        DenseLayer(
            rows: rows, columns: columns, weights: .float32(transformWeights(denseWeights)),
            bias: .float32(transformBias(biasValues)))
    }
}

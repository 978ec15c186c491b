import Foundation

/// Fits the float32 baseline deterministically: seeded initial weights, seeded synthetic data from the
/// true click model, mini-batch SGD with momentum on soft labels (the true click probabilities).
public enum RankerTrainer {
    /// Trains a baseline model; the same arguments always give the same weights.
    public static func train(seed: UInt64 = 7, samples: Int = 6_000, epochs: Int = 4, learningRate: Float = 0.05)
        -> RankerModel
    {
        var rng = SeededGenerator(seed: seed)
        var data = TrafficGenerator(seed: seed &+ 1)
        var inputs: [[Float]] = []
        var targets: [Float] = []
        while inputs.count < samples {
            let query = data.nextQuery()
            for candidate in query.candidates {
                inputs.append(RankerModel.transform(candidate.row))
                targets.append(Float(candidate.clickProbability))
            }
        }
        let n = RankerModel.inputWidth, h = RankerModel.hiddenWidth
        var w1 = (0..<(h * n)).map { _ in Float(rng.normal(sd: (1.0 / Double(n)).squareRoot())) }
        var b1 = [Float](repeating: 0, count: h)
        var w2 = (0..<h).map { _ in Float(rng.normal(sd: (1.0 / Double(h)).squareRoot())) }
        var b2: Float = 0
        var vw1 = [Float](repeating: 0, count: h * n), vb1 = [Float](repeating: 0, count: h)
        var vw2 = [Float](repeating: 0, count: h), vb2: Float = 0
        let momentum: Float = 0.9
        let batch = 32
        var order = Array(inputs.indices)
        for _ in 0..<epochs {
            // Seeded Fisher–Yates shuffle.
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.integer(in: 0...i)) }
            var start = 0
            while start < order.count {
                let end = min(start + batch, order.count)
                var gw1 = [Float](repeating: 0, count: h * n), gb1 = [Float](repeating: 0, count: h)
                var gw2 = [Float](repeating: 0, count: h), gb2: Float = 0
                for index in order[start..<end] {
                    let x = inputs[index]
                    var hidden = [Float](repeating: 0, count: h)
                    for r in 0..<h {
                        var sum = b1[r]
                        for c in 0..<n { sum += w1[r * n + c] * x[c] }
                        hidden[r] = Foundation.tanh(sum)
                    }
                    var logit = b2
                    for r in 0..<h { logit += w2[r] * hidden[r] }
                    let p = 1 / (1 + Foundation.exp(-logit))
                    let delta = p - targets[index]
                    gb2 += delta
                    for r in 0..<h {
                        gw2[r] += delta * hidden[r]
                        let dh = delta * w2[r] * (1 - hidden[r] * hidden[r])
                        gb1[r] += dh
                        for c in 0..<n where x[c] != 0 { gw1[r * n + c] += dh * x[c] }
                    }
                }
                let scale = learningRate / Float(end - start)
                for i in 0..<(h * n) { vw1[i] = momentum * vw1[i] - scale * gw1[i]; w1[i] += vw1[i] }
                for i in 0..<h {
                    vb1[i] = momentum * vb1[i] - scale * gb1[i]; b1[i] += vb1[i]
                    vw2[i] = momentum * vw2[i] - scale * gw2[i]; w2[i] += vw2[i]
                }
                vb2 = momentum * vb2 - scale * gb2
                b2 += vb2
                start = end
            }
        }
        return RankerModel(
            hidden: DenseLayer(rows: h, columns: n, weights: .float32(w1), bias: .float32(b1)),
            output: DenseLayer(rows: 1, columns: h, weights: .float32(w2), bias: .float32([b2])))
    }
}

import Foundation
import LinearAlgebra

/// Guess and check (Chiang et al., ICLR 2023): draw two-layer ReLU networks d → h → classes at
/// random from a distribution, many at once, and keep those that classify every training sample
/// correctly. K candidates share one product: their first layers stacked as a (K·h) × d matrix
/// times Xᵀ, one GEMM for K networks; the second layer and the check run per candidate on the
/// (K·h) × n result. Parameters come out in `Network`'s layout (W₁ [h, d] row-major, b₁, W₂
/// [classes, h], b₂), so a kept candidate loads into a network of `mlp:h` as it is.
struct InterpolatorSearch {
    /// Where the parameters are drawn from.
    enum Prior: String, Codable, Sendable, CaseIterable {
        /// PyTorch's default for Linear: weights and biases U(±1/√fan_in) (`Initialization.uniform`).
        case pytorch
        /// Every parameter U(−1, 1): a wide uniform distribution, as guess-and-check samples.
        case wide
        func bound(fanIn: Int) -> Float { self == .wide ? 1 : 1 / Float(fanIn).squareRoot() }
    }
    let x: Matrix<Float>  // n × d
    let labels: [Int]
    let width: Int, classes: Int
    let prior: Prior

    var parameterCount: Int { width * x.cols + width + classes * width + classes }

    /// Draws batches of `batch` candidates until `wanted` fit or `maxDraws` are drawn; the fitting
    /// parameter vectors and the number drawn.
    func search(wanted: Int, maxDraws: Int, batch: Int, rng: inout Generator) -> (found: [[Float]], draws: Int) {
        var found = [[Float]]()
        var draws = 0
        while found.count < wanted && draws < maxDraws {
            let k = min(batch, maxDraws - draws)
            let candidates = draw(k, rng: &rng)
            for c in fitting(candidates) where found.count < wanted { found.append(c) }
            draws += k
        }
        return (found, draws)
    }

    /// `k` parameter vectors from the prior.
    func draw(_ k: Int, rng: inout Generator) -> [[Float]] {
        let (d, h) = (x.cols, width)
        let b1 = prior.bound(fanIn: d)
        let b2 = prior.bound(fanIn: h)
        return (0..<k).map { _ in
            (0..<parameterCount).map { j in Float(rng.uniform(-1, 1)) * (j < h * d + h ? b1 : b2) }
        }
    }

    /// The candidates that classify every training sample correctly (a tie counts as wrong).
    func fitting(_ candidates: [[Float]]) -> [[Float]] {
        let (d, h, k) = (x.cols, width, candidates.count)
        var w1 = Matrix<Float>(rows: k * h, cols: d)
        for (c, theta) in candidates.enumerated() { for j in 0..<(h * d) { w1.storage[c * h * d + j] = theta[j] } }
        let z = matmul(w1, x, transB: true)  // (K·h) × n: every candidate's first layer at once
        return candidates.enumerated().compactMap { c, theta in fits(theta, z: z, row: c * h) ? theta : nil }
    }

    func fits(_ theta: [Float], z: Matrix<Float>, row: Int) -> Bool {
        let (n, d, h) = (x.rows, x.cols, width)
        let b1 = h * d
        let w2 = b1 + h
        let b2 = w2 + classes * h
        var hidden = [Float](repeating: 0, count: h)
        var logits = [Float](repeating: 0, count: classes)
        for i in 0..<n {
            for j in 0..<h { hidden[j] = max(0, z[row + j, i] + theta[b1 + j]) }
            for c in 0..<classes {
                var s = theta[b2 + c]
                for j in 0..<h { s += theta[w2 + c * h + j] * hidden[j] }
                logits[c] = s
            }
            let y = labels[i]
            for c in 0..<classes where c != y && logits[c] >= logits[y] { return false }
        }
        return true
    }
}

import Foundation
import LinearAlgebra

/// The hard-margin linear SVM: the unit w* maximizing γ = minᵢ yᵢ(⟨w, xᵢ⟩ + b).
///
/// Solved in the dual, max_α Σαᵢ − ½‖Σαᵢyᵢxᵢ‖² over α ≥ 0 (and Σαᵢyᵢ = 0 with a bias):
/// without bias by dual coordinate ascent (Hsieh et al. 2008 with C = ∞), with a bias by SMO
/// on the maximal violating pair (Keerthi et al. 2001). Every iterate gives a certificate:
///
///     γ_lower = margin of the current w  ≤  γ*  ≤  γ_upper = min(1/√(2·D(α)), ‖Σαᵢyᵢxᵢ‖/Σαᵢ)
///
/// (weak duality: D(α) ≤ ½‖w_canonical‖² = 1/(2γ*²); and ⟨Σαᵢyᵢxᵢ, w*⟩ ≥ γ*Σαᵢ). The solve stops when the relative gap
/// (γ_upper − γ_lower)/γ_upper is below `tolerance`. When γ_upper falls below
/// `separabilityTolerance`·R, no separator with margin ≥ that exists and the data are
/// reported as not linearly separable (at that resolution).
public struct HardMarginSVM: Codable, Sendable {
    public var bias: Bool
    public var tolerance: Double
    public var maxEpochs: Int
    public var separabilityTolerance: Double

    public init(bias: Bool = false, tolerance: Double = 1e-6, maxEpochs: Int = 100_000, separabilityTolerance: Double = 1e-6) {
        self.bias = bias; self.tolerance = tolerance; self.maxEpochs = maxEpochs; self.separabilityTolerance = separabilityTolerance
    }

    /// The max-margin separator through the origin, its margin, and the dual's certificate.
    public struct Solution: Codable, Sendable {
        /// Unit normal w* (nil when the dual proved that no margin ≥ separabilityTolerance·R exists).
        public var direction: [Double]?
        public var offset: Double
        /// γ = minᵢ yᵢ(⟨w*, xᵢ⟩ + b) of the returned direction: a lower bound on the max margin.
        public var margin: Double
        /// Upper bound on the max margin from the dual objective.
        public var marginUpperBound: Double
        /// (γ_upper − γ_lower)/γ_upper at the end.
        public var relativeGap: Double
        public var separable: Bool
        public var converged: Bool
        public var epochs: Int
        public var supportVectors: Int
    }

    public func solve(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        bias ? solveWithBias(x, y) : solveWithoutBias(x, y)
    }

    func finish(w: [Double], b: Double, dual: Double, x: Matrix<Double>, y: [Double], epochs: Int, alpha: [Double], radius: Double) -> Solution {
        let wn = norm(w)
        // Two weak-duality bounds, both tight at the optimum (where Σα = ‖w‖²):
        // D(α) ≤ 1/(2γ*²), and ‖Σαᵢyᵢxᵢ‖ ≥ ⟨Σαᵢyᵢxᵢ, w*⟩ ≥ γ*·Σαᵢ. The second one goes to 0
        // fast on non-separable data (Gordan: some α ≥ 0 has Σαᵢyᵢxᵢ = 0).
        let alphaSum = alpha.reduce(0, +)
        let upper = min(dual > 0 ? 1 / (2 * dual).squareRoot() : .infinity, alphaSum > 0 ? wn / alphaSum : .infinity)
        let sv = alpha.filter { $0 > 0 }.count
        if upper < separabilityTolerance * max(radius, 1e-300) || wn == 0 {
            // No separator with margin ≥ separabilityTolerance·R exists (weak duality).
            return Solution(direction: nil, offset: 0, margin: 0, marginUpperBound: upper, relativeGap: .nan, separable: false,
                            converged: true, epochs: epochs, supportVectors: sv)
        }
        let s = matvec(x, w)
        var lower = Double.infinity
        var b = b
        if bias {
            // Best offset for this w: halfway between the closest points of the two classes.
            var minPos = Double.infinity, maxNeg = -Double.infinity
            for i in y.indices { if y[i] > 0 { minPos = min(minPos, s[i]) } else { maxNeg = max(maxNeg, s[i]) } }
            b = -(minPos + maxNeg) / 2
            lower = (minPos - maxNeg) / 2 / wn
        } else {
            for i in y.indices { lower = min(lower, y[i] * s[i] / wn) }
        }
        let gap = (upper - lower) / upper
        return Solution(direction: w.map { $0 / wn }, offset: b / wn, margin: lower, marginUpperBound: upper, relativeGap: gap,
                        separable: lower > 0, converged: gap <= tolerance, epochs: epochs, supportVectors: sv)
    }

    func solveWithoutBias(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        let n = x.rows, d = x.cols
        let sq = x.rowNorms().map { $0 * $0 }
        let radius = sq.max().map { $0.squareRoot() } ?? 0
        var alpha = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: d)
        var epochs = 0
        var sol: Solution? = nil
        // Coordinates in a fresh random order each epoch (Hsieh et al.: faster than cyclic), with
        // shrinking: a point with αᵢ = 0 beyond the margin leaves the active set until the next
        // full pass (every 10 epochs, just before the certificate).
        var rng = Generator(seed: 0x5EED)
        var active = Array(0..<n).filter { sq[$0] > 0 }
        let all = active
        x.storage.withUnsafeBufferPointer { px in
            for epoch in 1...maxEpochs {
                epochs = epoch
                if epoch % 10 == 0 { active = all }
                rng.shuffle(&active)
                var kept = [Int]()
                kept.reserveCapacity(active.count)
                for i in active {
                    let xi = px.baseAddress! + i * d
                    let g = 1 - y[i] * w.withUnsafeBufferPointer { PerceptronKernels.dot(d, $0.baseAddress!, xi) }
                    if alpha[i] == 0 && g < 0 { continue }
                    kept.append(i)
                    let newAlpha = max(0, alpha[i] + g / sq[i])
                    let delta = newAlpha - alpha[i]
                    if delta != 0 {
                        alpha[i] = newAlpha
                        w.withUnsafeMutableBufferPointer { PerceptronKernels.axpy(d, delta * y[i], xi, $0.baseAddress!) }
                    }
                }
                active = kept
                // Certificate every few epochs (it costs one pass).
                if epoch % 10 == 0 || epoch == maxEpochs {
                    let dual = alpha.reduce(0, +) - 0.5 * dot(w, w)
                    let s = finish(w: w, b: 0, dual: dual, x: x, y: y, epochs: epoch, alpha: alpha, radius: radius)
                    if s.direction == nil || s.converged || epoch == maxEpochs { sol = s; return }
                }
            }
        }
        return sol ?? finish(w: w, b: 0, dual: alpha.reduce(0, +) - 0.5 * dot(w, w), x: x, y: y, epochs: epochs, alpha: alpha, radius: radius)
    }

    /// SMO on the maximal violating pair; gradient Gᵢ = 1 − yᵢ⟨w, xᵢ⟩ kept up to date with one gemv per step.
    func solveWithBias(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        let n = x.rows, d = x.cols
        let radius = x.rowNorms().max() ?? 0
        var alpha = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: d)
        var grad = [Double](repeating: 1, count: n)
        var kernelRow = [Double](repeating: 0, count: n), diff = [Double](repeating: 0, count: d)
        let maxSteps = maxEpochs * max(1, n) / 10
        var step = 0
        while step < maxSteps {
            step += 1
            // i ∈ I_up maximizes yᵢGᵢ, j ∈ I_low minimizes it (C = ∞: only α ≥ 0 binds).
            var i = -1, j = -1, gi = -Double.infinity, gj = Double.infinity
            for k in 0..<n {
                let v = y[k] * grad[k]
                let up = y[k] > 0 || alpha[k] > 0, low = y[k] < 0 || alpha[k] > 0
                if up && v > gi { gi = v; i = k }
                if low && v < gj { gj = v; j = k }
            }
            if i < 0 || j < 0 { break }
            if step % 50 == 0 || gi - gj < 1e-12 {
                let dual = alpha.reduce(0, +) - 0.5 * dot(w, w)
                let s = finish(w: w, b: 0, dual: dual, x: x, y: y, epochs: step, alpha: alpha, radius: radius)
                if s.direction == nil || s.converged { return s }
            }
            for c in 0..<d { diff[c] = x[i, c] - x[j, c] }
            let curvature = dot(diff, diff)
            if curvature <= 0 { break }
            // Move t along αᵢ += yᵢt, αⱼ −= yⱼt, clipped so that both stay ≥ 0.
            var t = (gi - gj) / curvature
            if y[i] < 0 { t = min(t, alpha[i]) }
            if y[j] > 0 { t = min(t, alpha[j]) }
            alpha[i] += y[i] * t; alpha[j] -= y[j] * t
            axpy(t, diff, &w)
            // Gₖ −= yₖ·t·⟨xᵢ − xⱼ, xₖ⟩
            x.storage.withUnsafeBufferPointer { px in
                diff.withUnsafeBufferPointer { pd in
                    kernelRow.withUnsafeMutableBufferPointer { Double.gemv(trans: false, m: n, n: d, alpha: 1, a: px.baseAddress!, lda: d, x: pd.baseAddress!, beta: 0, y: $0.baseAddress!) }
                }
            }
            for k in 0..<n { grad[k] -= y[k] * t * kernelRow[k] }
        }
        return finish(w: w, b: 0, dual: alpha.reduce(0, +) - 0.5 * dot(w, w), x: x, y: y, epochs: step, alpha: alpha, radius: radius)
    }
}

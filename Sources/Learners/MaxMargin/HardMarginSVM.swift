import Foundation
import LinearAlgebra

/// The hard-margin linear SVM: the unit w* maximizing γ = minᵢ yᵢ(⟨w, xᵢ⟩ + b).
///
/// Solved in the dual, max_α Σαᵢ − ½‖Σαᵢyᵢxᵢ‖² over α ≥ 0 (and Σαᵢyᵢ = 0 with a bias):
/// without bias by dual coordinate ascent (Hsieh et al. 2008 with C = ∞), with a bias by SMO
/// on the maximal violating pair (Keerthi et al. 2001). Without bias and in few dimensions the
/// exact active-set method of Lawson & Hanson (least-distance programming) goes first: it is
/// finite, and it finds γ* where coordinate ascent crawls (badly scaled features). Every
/// iterate gives a certificate, recomputed from α itself:
///
/// γ_lower = margin of the current w  ≤  γ*  ≤  γ_upper = min(1/√(2·D(α)), ‖Σᾱᵢyᵢxᵢ‖ (+
/// R·|Σᾱᵢyᵢ| with a bias))
///
/// with ᾱ = α/Σα (weak duality: D(α) ≤ 1/(2γ*²); Gordan: for unit w,
/// minᵢ yᵢ⟨w, xᵢ⟩ ≤ Σᾱᵢyᵢ⟨w, xᵢ⟩ ≤ ‖Σᾱᵢyᵢxᵢ‖). The solve stops when the
/// relative gap
/// (γ_upper − γ_lower)/γ_upper is below `tolerance` (`Status.optimal`), when γ_upper falls
/// below `separabilityTolerance`·R (`Status.notSeparable`: no unit w has a margin that large),
/// or at the iteration limit (`Status.stoppedAtLimit`: γ* ∈ [γ_lower, γ_upper], nothing proved
/// beyond that, and separable only if γ_lower > 0).
public struct HardMarginSVM: Codable, Sendable {
    public var bias: Bool
    public var tolerance: Double
    public var maxEpochs: Int
    public var separabilityTolerance: Double
    /// Without bias, problems with at most this many features go to the exact active-set
    /// method first (its least-squares solves cost O(d·k²) with k ≤ d support vectors); 0 turns it off.
    public var activeSetMaxFeatures: Int

    public init(
        bias: Bool = false, tolerance: Double = 1e-6, maxEpochs: Int = 100_000, separabilityTolerance: Double = 1e-6,
        activeSetMaxFeatures: Int = 100
    ) {
        self.bias = bias
        self.tolerance = tolerance
        self.maxEpochs = maxEpochs
        self.separabilityTolerance = separabilityTolerance
        self.activeSetMaxFeatures = activeSetMaxFeatures
    }

    /// What the certificates prove when the solve ends.
    public enum Status: String, Codable, Sendable {
        /// γ* is known to within `tolerance`, relative: the returned w has margin ≥ (1 − tolerance)·γ*.
        case optimal
        /// A Gordan certificate (α ≥ 0, Σα = 1, ‖Σαᵢyᵢxᵢ‖ small) proves that no unit w has a margin
        /// above `marginUpperBound`, which is below separabilityTolerance·R.
        case notSeparable
        /// The iteration limit came first: γ* ∈ [margin, marginUpperBound] and no more is proved.
        /// The data are separable when margin > 0 (the returned w separates them); otherwise undecided.
        case stoppedAtLimit
    }

    /// The max-margin separator, its margin, and the certificates.
    public struct Solution: Codable, Sendable {
        public var status: Status
        /// Unit normal (nil when not separable was proved).
        public var direction: [Double]?
        public var offset: Double
        /// γ = minᵢ yᵢ(⟨w, xᵢ⟩ + b) of the returned direction: a lower bound on the max margin.
        public var margin: Double
        /// Upper bound on the max margin from the dual (see the type's comment); with `notSeparable`, the certificate's
        /// number.
        public var marginUpperBound: Double
        /// (γ_upper − γ_lower)/γ_upper at the end (NaN with `notSeparable`).
        public var relativeGap: Double
        public var epochs: Int
        public var supportVectors: Int
        /// The dual weights α ≥ 0 the upper bound comes from: anyone can recompute ‖Σαᵢyᵢxᵢ‖/Σαᵢ.
        public var dualWeights: [Double]

        /// The gap is within tolerance.
        public var converged: Bool { status == .optimal }
        /// true: the returned direction separates the data (a primal certificate, margin > 0);
        /// false: proved not separable (Gordan); nil: the solver stopped before deciding.
        public var separable: Bool? {
            if status == .notSeparable { return false }
            return direction != nil && margin > 0 ? true : nil
        }
    }

    public func solve(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        if bias { return solveWithBias(x, y) }
        if x.cols <= activeSetMaxFeatures, let s = solveByActiveSet(x, y), s.status != .stoppedAtLimit { return s }
        return solveWithoutBias(x, y)
    }

    /// The certificates of (w, b, α) and the state they prove (`stoppedAtLimit` while neither
    /// bound is good enough; the solvers go on unless at their limit). Σαᵢyᵢxᵢ is recomputed from α:
    /// the solvers' running w drifts by rounding, and a certificate must not.
    func finish(w: [Double], b: Double, x: Matrix<Double>, y: [Double], epochs: Int, alpha: [Double], radius: Double)
        -> Solution
    {
        let alphaSum = alpha.reduce(0, +)
        let v = matvec(x, transposed: true, zip(alpha, y).map { $0 * $1 })
        let dual = alphaSum - 0.5 * dot(v, v)
        // Σαᵢyᵢ = 0 holds exactly only in exact arithmetic; its drift times R bounds what an offset can gain.
        let biasResidual = bias ? abs(zip(alpha, y).map { $0 * $1 }.reduce(0, +)) * radius : 0
        let gordan = alphaSum > 0 ? (norm(v) + biasResidual) / alphaSum : .infinity
        // Weak duality needs Σαᵢyᵢ = 0 exactly with a bias; Gordan's bound (tight at the optimum too) does not.
        let upper = min(dual > 0 && biasResidual == 0 ? 1 / (2 * dual).squareRoot() : .infinity, gordan)
        let sv = alpha.filter { $0 > 0 }.count
        let wn = norm(w)
        var lower = -Double.infinity
        var b = b
        if wn > 0 {
            let s = matvec(x, w)
            if bias {
                // Best offset for this w: halfway between the closest points of the two classes.
                var minPos = Double.infinity
                var maxNeg = -Double.infinity
                for i in y.indices { if y[i] > 0 { minPos = min(minPos, s[i]) } else { maxNeg = max(maxNeg, s[i]) } }
                b = -(minPos + maxNeg) / 2
                lower = (minPos - maxNeg) / 2 / wn
            } else {
                lower = y.indices.map { y[$0] * s[$0] / wn }.min() ?? .infinity
            }
        }
        // A w that separates is a proof of separability, whatever the dual says about resolution:
        // "not separable" needs both the Gordan bound below the resolution and no separator in hand.
        if lower <= 0 && upper <= separabilityTolerance * radius {
            return Solution(
                status: .notSeparable, direction: nil, offset: 0, margin: 0, marginUpperBound: upper, relativeGap: .nan,
                epochs: epochs, supportVectors: sv, dualWeights: alpha)
        }
        if wn == 0 {
            return Solution(
                status: .stoppedAtLimit, direction: nil, offset: 0, margin: 0, marginUpperBound: upper,
                relativeGap: .nan,
                epochs: epochs, supportVectors: sv, dualWeights: alpha)
        }
        let gap = (upper - lower) / upper
        return Solution(
            status: gap <= tolerance ? .optimal : .stoppedAtLimit, direction: w.map { $0 / wn }, offset: b / wn,
            margin: lower, marginUpperBound: upper,
            relativeGap: gap, epochs: epochs, supportVectors: sv, dualWeights: alpha)
    }

    func solveWithoutBias(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        let n = x.rows
        let d = x.cols
        let sq = x.rowNorms().map { $0 * $0 }
        let radius = sq.max().map { $0.squareRoot() } ?? 0
        var alpha = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: d)
        var epochs = 0
        var sol: Solution? = nil
        // Coordinates in a fresh random order each epoch (Hsieh et al.: faster than cyclic), with
        // shrinking: a point with αᵢ = 0 beyond the margin leaves the active set until the next
        // full pass (every 10 epochs, just before the certificate).
        if let zero = sq.firstIndex(of: 0) {
            // A zero point has margin 0 under every w: α = e_zero is a Gordan certificate.
            alpha[zero] = 1
            return finish(w: w, b: 0, x: x, y: y, epochs: 0, alpha: alpha, radius: radius)
        }
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
                        w.withUnsafeMutableBufferPointer {
                            PerceptronKernels.axpy(d, delta * y[i], xi, $0.baseAddress!)
                        }
                    }
                }
                active = kept
                // Certificate every few epochs (it costs one pass).
                if epoch % 10 == 0 || epoch == maxEpochs {
                    let s = finish(w: w, b: 0, x: x, y: y, epochs: epoch, alpha: alpha, radius: radius)
                    if s.status != .stoppedAtLimit || epoch == maxEpochs {
                        sol = s
                        return
                    }
                }
            }
        }
        return sol ?? finish(w: w, b: 0, x: x, y: y, epochs: epochs, alpha: alpha, radius: radius)
    }

    /// SMO on the maximal violating pair; gradient Gᵢ = 1 − yᵢ⟨w, xᵢ⟩ kept up to date with one gemv per
    /// step.
    func solveWithBias(_ x: Matrix<Double>, _ y: [Double]) -> Solution {
        let n = x.rows
        let d = x.cols
        let radius = x.rowNorms().max() ?? 0
        var alpha = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: d)
        var grad = [Double](repeating: 1, count: n)
        var kernelRow = [Double](repeating: 0, count: n)
        var diff = [Double](repeating: 0, count: d)
        let maxSteps = maxEpochs * max(1, n) / 10
        var step = 0
        while step < maxSteps {
            step += 1
            // i ∈ I_up maximizes yᵢGᵢ, j ∈ I_low minimizes it (C = ∞: only α ≥ 0 binds).
            var i = -1
            var j = -1
            var gi = -Double.infinity
            var gj = Double.infinity
            for k in 0..<n {
                let v = y[k] * grad[k]
                let up = y[k] > 0 || alpha[k] > 0
                let low = y[k] < 0 || alpha[k] > 0
                if up && v > gi {
                    gi = v
                    i = k
                }
                if low && v < gj {
                    gj = v
                    j = k
                }
            }
            if i < 0 || j < 0 { break }
            if step % 50 == 0 || gi - gj < 1e-12 {
                let s = finish(w: w, b: 0, x: x, y: y, epochs: step, alpha: alpha, radius: radius)
                if s.status != .stoppedAtLimit { return s }
            }
            for c in 0..<d { diff[c] = x[i, c] - x[j, c] }
            let curvature = dot(diff, diff)
            if curvature <= 0 { break }
            // Move t along αᵢ += yᵢt, αⱼ −= yⱼt, clipped so that both stay ≥ 0.
            var t = (gi - gj) / curvature
            if y[i] < 0 { t = min(t, alpha[i]) }
            if y[j] > 0 { t = min(t, alpha[j]) }
            alpha[i] += y[i] * t
            alpha[j] -= y[j] * t
            axpy(t, diff, &w)
            // Gₖ −= yₖ·t·⟨xᵢ − xⱼ, xₖ⟩
            x.storage.withUnsafeBufferPointer { px in
                diff.withUnsafeBufferPointer { pd in
                    kernelRow.withUnsafeMutableBufferPointer {
                        Double.gemv(
                            trans: false, m: n, n: d, alpha: 1, a: px.baseAddress!, lda: d, x: pd.baseAddress!, beta: 0,
                            y: $0.baseAddress!)
                    }
                }
            }
            for k in 0..<n { grad[k] -= y[k] * t * kernelRow[k] }
        }
        return finish(w: w, b: 0, x: x, y: y, epochs: step, alpha: alpha, radius: radius)
    }
}

/// Lawson & Hanson's active-set method (Solving Least Squares Problems, ch. 23, least-distance
/// programming: min ‖w‖ s.t. yᵢ⟨w, xᵢ⟩ ≥ 1 through NNLS), kept in the primal variables: for a
/// support set P the candidate is the least-norm w with yᵢ⟨w, xᵢ⟩ = 1 on P, from a QR of the
/// support vectors (accurate where the normal equations, with Gram entries ~R², lose γ*² ~ 1e-9).
extension HardMarginSVM {
    /// nil when a support set turns rank-deficient (a point of the certificate's hull, or rounding):
    /// coordinate ascent then takes over.
    func solveByActiveSet(_ x: Matrix<Double>, _ y: [Double]) -> Solution? {
        let n = x.rows
        let radius = x.rowNorms().max() ?? 0
        guard n > 0, radius > 0 else { return nil }
        var support = [Int]()  // P, in the order entered
        var u = [Double]()  // NNLS variables on P: u = α/(1 + ‖w‖²) (positive)
        var w = [Double](repeating: 0, count: x.cols)
        var alpha = [Double](repeating: 0, count: n)
        var solves = 0
        let maxSolves = 50 * (x.cols + 1) + n
        while solves < maxSolves {
            // Enter the most violated constraint (for the NNLS, the largest gradient).
            let s = matvec(x, w)
            var entering = -1
            var worst = 0.0
            for i in 0..<n where !support.contains(i) {
                let violation = 1 - y[i] * s[i]
                if violation > worst {
                    worst = violation
                    entering = i
                }
            }
            if entering < 0 { break }
            if !support.isEmpty {
                // Only optimality ends the method early: it is exact, so a resolution-level "no margin
                // ≥ tolerance·R" would stop it short of a tiny but positive γ*.
                let sol = finish(w: w, b: 0, x: x, y: y, epochs: solves, alpha: alpha, radius: radius)
                if sol.status == .optimal { return sol }
            }
            support.append(entering)
            u.append(0)
            while true {
                solves += 1
                guard let z = nnlsStep(x, y, support) else { return nil }
                if z.allSatisfy({ $0 > 0 }) {
                    u = z
                    alpha = [Double](repeating: 0, count: n)
                    // The same support in the primal, solved for accuracy (z = α/(1 + ‖w‖²) loses
                    // ~‖w‖²·ε).
                    guard let (wP, alphaP) = leastNormSeparator(x, y, support) else {
                        // No w meets yᵢ⟨w, xᵢ⟩ = 1 on P (d + 1 points, or dependent ones): then the
                        // residual is 0 up to rounding and z (Σz ≈ 1, Σzᵢyᵢxᵢ ≈ 0) may be Gordan's
                        // certificate; finish measures it, and coordinate ascent takes over if it is not.
                        for (k, i) in support.enumerated() { alpha[i] = z[k] }
                        let sol = finish(
                            w: [Double](repeating: 0, count: x.cols), b: 0, x: x, y: y, epochs: solves, alpha: alpha,
                            radius: radius)
                        return sol.status == .notSeparable ? sol : nil
                    }
                    w = wP
                    for (k, i) in support.enumerated() { alpha[i] = alphaP[k] }
                    break
                }
                // Step from u toward z until the first coordinate reaches 0, and drop it (and any other at 0).
                var theta = 1.0
                for k in z.indices where z[k] <= 0 { theta = min(theta, u[k] / (u[k] - z[k])) }
                // The entering point moves the wrong way: rounding.
                if theta == 0 && u.last == 0 && z.last! <= 0 { return nil }
                for k in u.indices { u[k] += theta * (z[k] - u[k]) }
                let keep = u.indices.filter { u[$0] > 0 }
                support = keep.map { support[$0] }
                u = keep.map { u[$0] }
                if support.isEmpty || solves >= maxSolves { return nil }
            }
        }
        return finish(w: w, b: 0, x: x, y: y, epochs: solves, alpha: alpha, radius: radius)
    }

    /// The least-norm w with yᵢ⟨w, xᵢ⟩ = 1 for i ∈ P, and α with w = Σ_P αᵢyᵢxᵢ: from the QR of
    /// M = [yᵢxᵢ]_P (d × k), w = Q·R⁻ᵀ1 and α = R⁻¹R⁻ᵀ1. nil when M is (numerically) rank-deficient.
    func leastNormSeparator(_ x: Matrix<Double>, _ y: [Double], _ support: [Int]) -> (w: [Double], alpha: [Double])? {
        let d = x.cols
        let k = support.count
        guard k <= d, let qr = HouseholderQR(columns: support.map { i in (0..<d).map { y[i] * x[i, $0] } }) else {
            return nil
        }
        func solve(_ h: [Double]) -> (w: [Double], alpha: [Double]) {
            let c = qr.solveRTransposed(h)
            return (qr.applyQ(c + [Double](repeating: 0, count: d - k)), qr.solveR(c))
        }
        var (w, alpha) = solve([Double](repeating: 1, count: k))
        // Iterative refinement on the residual 1 − yᵢ⟨w, xᵢ⟩: with cond(M) ~ 1e8 (raw tables) one
        // solve leaves margins off by ~1e-9 relative, as large as the tolerance asked of it.
        for _ in 0..<2 {
            let residual = support.map { i in 1 - y[i] * (0..<d).reduce(0) { $0 + x[i, $1] * w[$1] } }
            let (dw, dAlpha) = solve(residual)
            for j in 0..<d { w[j] += dw[j] }
            for j in 0..<k { alpha[j] += dAlpha[j] }
        }
        return (w, alpha)
    }

    /// Lawson–Hanson's inner least squares: z = argmin ‖Σ_P zᵢ(yᵢxᵢ; 1) − (0; 1)‖ (u = z where all
    /// zᵢ > 0). Unlike the least-norm system it exists with d + 1 support points, where a zero
    /// residual is Gordan's certificate. nil when the columns are (numerically) dependent.
    func nnlsStep(_ x: Matrix<Double>, _ y: [Double], _ support: [Int]) -> [Double]? {
        let d = x.cols
        let k = support.count
        guard k <= d + 1, let qr = HouseholderQR(columns: support.map { i in (0..<d).map { y[i] * x[i, $0] } + [1] })
        else { return nil }
        var f = [Double](repeating: 0, count: d + 1)
        f[d] = 1
        return qr.solveR(Array(qr.applyQTransposed(f).prefix(k)))
    }
}

/// A = QR by Householder reflections, for the small dense systems of the active-set method.
struct HouseholderQR {
    let rows: Int, cols: Int
    /// Column-major: R above the diagonal, the reflectors' vectors on and below it.
    var a: [Double]
    var diagonal: [Double], beta: [Double]

    /// nil when a diagonal of R is below 1e-13 of the largest (rank-deficient to working precision).
    init?(columns: [[Double]]) {
        rows = columns.first?.count ?? 0
        cols = columns.count
        guard cols >= 1, cols <= rows else { return nil }
        a = columns.flatMap { $0 }
        diagonal = [Double](repeating: 0, count: cols)
        beta = diagonal
        let m = rows
        for c in 0..<cols {
            var sigma = 0.0
            for r in c..<m { sigma += a[c * m + r] * a[c * m + r] }
            let rcc = a[c * m + c] > 0 ? -sigma.squareRoot() : sigma.squareRoot()
            diagonal[c] = rcc
            // v = column − rcc·e_c; H = I − β v vᵀ with β = 2/vᵀv = −1/(rcc·v_c).
            a[c * m + c] -= rcc
            beta[c] = rcc != 0 ? -1 / (rcc * a[c * m + c]) : 0
            for j in (c + 1)..<max(c + 1, cols) { reflect(c, column: j) }
        }
        let largest = diagonal.map(abs).max() ?? 0
        guard diagonal.allSatisfy({ abs($0) > 1e-13 * largest }) else { return nil }
    }

    private mutating func reflect(_ c: Int, column j: Int) {
        var t = 0.0
        for r in c..<rows { t += a[c * rows + r] * a[j * rows + r] }
        t *= beta[c]
        for r in c..<rows { a[j * rows + r] -= t * a[c * rows + r] }
    }

    private func reflect(_ c: Int, _ v: inout [Double]) {
        var t = 0.0
        for r in c..<rows { t += a[c * rows + r] * v[r] }
        t *= beta[c]
        for r in c..<rows { v[r] -= t * a[c * rows + r] }
    }

    func r(_ i: Int, _ j: Int) -> Double { i == j ? diagonal[i] : a[j * rows + i] }

    /// Qᵀv = H_{k−1}…H₀v.
    func applyQTransposed(_ v: [Double]) -> [Double] {
        var v = v
        for c in 0..<cols { reflect(c, &v) }
        return v
    }

    /// Qv = H₀…H_{k−1}v.
    func applyQ(_ v: [Double]) -> [Double] {
        var v = v
        for c in stride(from: cols - 1, through: 0, by: -1) { reflect(c, &v) }
        return v
    }

    /// R⁻¹c (back substitution).
    func solveR(_ c: [Double]) -> [Double] {
        var x = c
        for i in stride(from: cols - 1, through: 0, by: -1) {
            for j in (i + 1)..<max(i + 1, cols) { x[i] -= r(i, j) * x[j] }
            x[i] /= r(i, i)
        }
        return x
    }

    /// R⁻ᵀh (forward substitution).
    func solveRTransposed(_ h: [Double]) -> [Double] {
        var x = h
        for i in 0..<cols {
            for j in 0..<i { x[i] -= r(j, i) * x[j] }
            x[i] /= r(i, i)
        }
        return x
    }
}

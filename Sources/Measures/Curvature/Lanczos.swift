import Foundation
import LinearAlgebra

/// The Lanczos process with full reorthogonalization: an orthonormal basis Q of the Krylov space
/// of A from a start vector, and the tridiagonal T = QᵀAQ (α on the diagonal, β beside it). Each
/// new vector is orthogonalized against the whole basis (classical Gram–Schmidt, a second time
/// where the first lost too much), so Ritz values never duplicate; the price is memory for the
/// basis and O(m·P) per step.
///
/// Without reorthogonalization (`reorthogonalize: false`) only the three-term recurrence runs:
/// O(P) per step and no basis. The basis then loses orthogonality as Ritz values converge and
/// converged ones reappear as copies ("ghosts"), so it is not for eigenvalues; but T is still
/// exact Lanczos on a matrix whose eigenvalues cluster at A's (Greenbaum 1989), and its Gauss
/// quadrature of a probe's spectral measure stays accurate (Knizhnerman 1996; Chen, Trogdon &
/// Ubaru 2021) — which is all the spectral density needs.
public struct LanczosProcess {
    /// Q, one row per step: [steps, dimension], row-major, so that reorthogonalization is two
    /// matrix-vector products (BLAS) instead of a loop over the rows. In Float (`basisF`) for an
    /// operator of single precision (`SymmetricOperator.singlePrecision`), else in Double.
    public private(set) var basis: [Double] = []
    public private(set) var basisF: [Float] = []
    let single: Bool
    public private(set) var alphas: [Double] = []
    public private(set) var betas: [Double] = []
    /// An invariant subspace was found (β ≈ 0): the Ritz values are eigenvalues.
    public private(set) var exhausted = false
    private var next: [Double]
    private var previous: [Double] = []
    let op: SymmetricOperator
    public let reorthogonalizes: Bool

    public init(_ op: SymmetricOperator, start: [Double], reorthogonalize: Bool = true) {
        reorthogonalizes = reorthogonalize
        precondition(start.count == op.dimension, "a start of \(start.count) entries for dimension \(op.dimension)")
        self.op = op
        single = op.singlePrecision
        let n = norm(start)
        precondition(n > 0, "the start vector is zero")
        next = start.map { $0 / n }
    }

    public var steps: Int { alphas.count }

    /// One more step (no-op once exhausted or at the dimension).
    public mutating func step() {
        guard !exhausted, steps < op.dimension else { return }
        let q = next
        let n = op.dimension
        if reorthogonalizes {
            if single { basisF.append(contentsOf: q.map { Float($0) }) } else { basis.append(contentsOf: q) }
        }
        var w = op(q)
        let alpha = dot(q, w)
        alphas.append(alpha)
        // The three-term recurrence, then reorthogonalization against the whole basis:
        // w ← w − Q(Qᵀw), as two BLAS products, repeated only when the pass removed more than
        // half of w's norm (Daniel, Gragg, Kaufman & Stewart's criterion: once is then not enough).
        axpy(-alpha, q, &w)
        let m = alphas.count
        if m > 1 { axpy(-betas[m - 2], previous, &w) }
        previous = q
        for _ in 0..<(reorthogonalizes ? 2 : 0) {
            let before = norm(w)
            single ? reorthogonalizeInFloat(&w, m) : reorthogonalize(&w, m)
            if norm(w) >= before / 2.0.squareRoot() { break }
        }
        let beta = norm(w)
        let scale = max(1, alphas.map(abs).max() ?? 1, betas.max() ?? 1)
        if beta <= 1e-12 * scale || steps == op.dimension {
            exhausted = beta <= 1e-12 * scale
            betas.append(beta)
            return
        }
        betas.append(beta)
        next = w.map { $0 / beta }
    }

    /// w −= Q(Qᵀw) with Q in Double.
    private func reorthogonalize(_ w: inout [Double], _ m: Int) {
        let n = op.dimension
        var c = [Double](repeating: 0, count: m)
        basis.withUnsafeBufferPointer { qb in
            w.withUnsafeMutableBufferPointer { wb in
                c.withUnsafeMutableBufferPointer { cb in
                    Double.gemv(
                        trans: false, m: m, n: n, alpha: 1, a: qb.baseAddress!, lda: n, x: wb.baseAddress!, beta: 0,
                        y: cb.baseAddress!)
                    Double.gemv(
                        trans: true, m: m, n: n, alpha: -1, a: qb.baseAddress!, lda: n, x: cb.baseAddress!, beta: 1,
                        y: wb.baseAddress!)
                }
            }
        }
    }

    /// The same with Q in Float: c = Q·w and Qᵀ·c in Float, subtracted from w in Double.
    private func reorthogonalizeInFloat(_ w: inout [Double], _ m: Int) {
        let n = op.dimension
        let wf = w.map { Float($0) }
        var c = [Float](repeating: 0, count: m)
        var t = [Float](repeating: 0, count: n)
        basisF.withUnsafeBufferPointer { qb in
            Float.gemv(trans: false, m: m, n: n, alpha: 1, a: qb.baseAddress!, lda: n, x: wf, beta: 0, y: &c)
            Float.gemv(trans: true, m: m, n: n, alpha: 1, a: qb.baseAddress!, lda: n, x: c, beta: 0, y: &t)
        }
        for k in 0..<n { w[k] -= Double(t[k]) }
    }

    /// Ritz values (ascending), each with its residual bound β_m·|s_m,j| (some eigenvalue of A
    /// lies that close) and the first component of its eigenvector of T (s_1,j: its quadrature weight is s_1,j²).
    public func ritz() throws -> (
        values: [Double], residuals: [Double], firstComponents: [Double], vectors: Matrix<Double>
    ) {
        let m = steps
        var t = Matrix<Double>(rows: m, cols: m)
        for i in 0..<m {
            t[i, i] = alphas[i]
            if i + 1 < m {
                t[i, i + 1] = betas[i]
                t[i + 1, i] = betas[i]
            }
        }
        let (values, vectors) = try symmetricEigen(t)
        let last = exhausted ? 0 : betas[m - 1]
        return (values, (0..<m).map { abs(last * vectors[m - 1, $0]) }, (0..<m).map { vectors[0, $0] }, vectors)
    }

    /// The Ritz vector of Ritz pair j: Q·s_j.
    public func ritzVector(_ s: Matrix<Double>, _ j: Int) -> [Double] {
        precondition(reorthogonalizes, "Ritz vectors need the basis (a process with reorthogonalization)")
        let n = op.dimension
        var v = [Double](repeating: 0, count: n)
        for i in 0..<steps {
            for k in 0..<n { v[k] += s[i, j] * (single ? Double(basisF[i * n + k]) : basis[i * n + k]) }
        }
        return v
    }
}

/// The extreme eigenvalues of a symmetric operator by Lanczos with full reorthogonalization.
public struct ExtremeEigenvalues: Codable, Sendable {
    /// The k largest, descending, and their residual bounds (an eigenvalue lies within each).
    public var top: [Double]
    public var topResiduals: [Double]
    /// The smallest (most negative) eigenvalue and its residual bound.
    public var smallest: Double
    public var smallestResidual: Double
    /// Products of the operator taken (= Lanczos steps).
    public var iterations: Int
    /// Every residual bound asked for ≤ tolerance × the spectral scale (max |Ritz value|): the
    /// top k, and the smallest where `smallestAsked`.
    public var converged: Bool
    /// Whether the smallest eigenvalue was asked for (else it is the current Ritz value, unchecked).
    public var smallestAsked: Bool
    public var tolerance: Double
    /// The Ritz vector of the largest eigenvalue (unit norm), when asked for (`topVector: true`).
    public var topVector: [Double]?
}

extension Curvature {
    /// The k largest eigenvalues and the smallest, to `tolerance` relative to the spectral scale
    /// ‖A‖ ≈ max |Ritz value| (the smallest eigenvalue of a Hessian is often near 0, where a
    /// relative error is meaningless). Convergence is checked on the residual bounds β·|s|,
    /// never assumed: a run that stops at `maxIterations` says so. A multiple eigenvalue appears
    /// once (Lanczos sees one copy per invariant direction of the start vector).
    ///
    /// `start`: the Krylov space's first vector instead of a seeded Gaussian one — near the top
    /// eigenvector (the last one, tracked along a training run), the top pair converges in a few
    /// steps; it must not be orthogonal to the top eigenvector, so a little of the seeded vector
    /// is mixed in. `topVector`: also return the top Ritz vector (for the next start).
    public static func extremeEigenvalues(
        _ op: SymmetricOperator, k: Int = 5, smallest: Bool = true, tolerance: Double = 1e-6,
        maxIterations: Int = 300, seed: UInt64 = 0, start: [Double]? = nil, topVector: Bool = false
    ) throws -> ExtremeEigenvalues {
        guard k >= 1 && k <= op.dimension else {
            throw GenLabError.usage("k must be in 1…\(op.dimension) (the parameter count), got \(k)")
        }
        guard tolerance > 0 else { throw GenLabError.usage("the tolerance must be > 0, got \(tolerance)") }
        var g = Generator(seed: seed, stream: 41)
        var first: [Double] = g.normalVector(op.dimension)
        if let s = start, s.count == op.dimension, norm(s) > 0 {
            let scale = 0.01 * norm(s) / max(norm(first), 1e-300)
            first = zip(s, first).map { $0 + scale * $1 }
        }
        var lanczos = LanczosProcess(op, start: first)
        var lastRitz: Matrix<Double>? = nil
        let limit = min(maxIterations, op.dimension)
        var result = ExtremeEigenvalues(
            top: [], topResiduals: [], smallest: .nan, smallestResidual: .infinity, iterations: 0, converged: false,
            smallestAsked: smallest, tolerance: tolerance)
        while lanczos.steps < limit && !lanczos.exhausted {
            lanczos.step()
            let m = lanczos.steps
            // Ritz values every step early on, then every m/10 steps (each check costs O(m³)).
            guard m >= k + 1 || lanczos.exhausted || m == limit,
                m % max(1, m / 10) == 0 || lanczos.exhausted || m == limit
            else { continue }
            let r = try lanczos.ritz()
            lastRitz = r.vectors
            let kk = min(k, m)
            let scale = max(r.values.map(abs).max() ?? 0, 1e-300)
            result.top = Array(r.values.suffix(kk).reversed())
            result.topResiduals = Array(r.residuals.suffix(kk).reversed())
            result.smallest = r.values[0]
            result.smallestResidual = r.residuals[0]
            result.iterations = m
            result.converged =
                kk == k
                && (result.topResiduals + (smallest ? [result.smallestResidual] : [])).allSatisfy {
                    $0 <= tolerance * scale
                }
            if result.converged { break }
        }
        if topVector, let s = lastRitz {
            let v = lanczos.ritzVector(s, s.cols - 1)
            let n = norm(v)
            result.topVector = n > 0 ? v.map { $0 / n } : v
        }
        return result
    }
}

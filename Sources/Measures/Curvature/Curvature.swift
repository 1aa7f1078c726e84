import Learners
import LinearAlgebra

/// Curvature of a training objective, built on one primitive: the exact Hessian-vector product.
public enum Curvature {
    /// The explicit Hessian, column by column: H·eⱼ for every basis vector. For small networks
    /// (P ≲ a few thousand parameters), to check H·v and the iterative eigensolvers.
    public static func explicitHessian(_ f: Objective<Double>) -> Matrix<Double> {
        let p = f.network.parameterCount
        var h = Matrix<Double>(rows: p, cols: p)
        var e = [Double](repeating: 0, count: p)
        for j in 0..<p {
            e[j] = 1
            let col = f.hessianVectorProduct(e).hv
            for i in 0..<p { h[i, j] = col[i] }
            e[j] = 0
        }
        return h
    }

    /// An eigenvalue estimate with its vector and how it was reached.
    public struct Eigen: Codable, Sendable {
        public var value: Double
        public var vector: [Double]
        public var iterations: Int
        /// |λₖ − λₖ₋₁| ≤ tolerance·|λₖ| was reached within the iteration limit.
        public var converged: Bool
        public var relativeChange: Double
    }

    /// The eigenvalue of largest magnitude by power iteration on H·v, stopping when successive
    /// Rayleigh quotients agree to `tolerance` (relative). Convergence is recorded, not assumed.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func topEigenvalue<T: Scalar>(
        _ f: Objective<T>, tolerance: Double = 1e-3, maxIterations: Int = 100, seed: UInt64 = 0
    ) -> Eigen {
        var rng = Generator(seed: seed, stream: 9)
        var v: [T] = rng.normalVector(f.network.parameterCount)
        let n0 = Double(norm(v))
        v = v.map { $0 / T(n0) }
        var lambda = 0.0
        var change = Double.infinity
        for k in 1...maxIterations {
            let hv = f.hessianVectorProduct(v).hv
            let next = Double(dot(v, hv))
            let nh = Double(norm(hv))
            if nh == 0 {
                return Eigen(value: 0, vector: v.map(Double.init), iterations: k, converged: true, relativeChange: 0)
            }
            change = abs(next - lambda) / max(abs(next), 1e-30)
            lambda = next
            v = hv.map { $0 / T(nh) }
            if k > 1 && change <= tolerance {
                return Eigen(
                    value: lambda, vector: v.map(Double.init), iterations: k, converged: true, relativeChange: change)
            }
        }
        return Eigen(
            value: lambda, vector: v.map(Double.init), iterations: maxIterations, converged: false,
            relativeChange: change)
    }

    /// The largest eigenvalue by Lanczos iteration (the three-term recurrence), stopping when the
    /// top Ritz value θ changes by at most `tolerance` (relative) between steps, or when the
    /// residual bound β_k·|s_k| (an eigenvalue lies that close to θ) is below `tolerance`·|θ|. Lanczos
    /// needs far fewer H·v products than power iteration when the top gap is small. Without
    /// reorthogonalization the basis loses orthogonality only as Ritz values converge, which can
    /// duplicate a converged value but does not move the top one; the tests check it against
    /// LAPACK on an explicit Hessian.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func lanczosTopEigenvalue<T: Scalar>(
        _ f: Objective<T>, tolerance: Double = 1e-3, maxIterations: Int = 60, seed: UInt64 = 0
    ) -> Eigen {
        // The basis stays in T (Float for networks): the recurrence needs no more for a 1e-3 answer,
        // and each step then reads half the memory. Coefficients are accumulated in Double.
        let p = f.network.parameterCount
        var rng = Generator(seed: seed, stream: 9)
        var q: [T] = rng.normalVector(p)
        let q0 = T(norm(q.map(Double.init)))
        for j in 0..<p { q[j] /= q0 }
        var basis = [[T]]()
        var alphas = [Double]()
        var betas = [Double]()
        var w = [T](repeating: 0, count: p)
        var previous = Double.nan
        var change = Double.infinity
        var best = 0.0
        var ritz = [Double]()
        var iterations = 0
        var converged = false
        for k in 1...max(1, min(maxIterations, p)) {
            iterations = k
            basis.append(q)
            _ = q.withUnsafeBufferPointer { qp in
                w.withUnsafeMutableBufferPointer { f.hessianVectorProduct(qp.baseAddress!, into: $0.baseAddress!) }
            }
            let alpha = Double(dot(w, q))
            alphas.append(alpha)
            axpy(T(-alpha), q, &w)
            if k > 1 { axpy(T(-betas[k - 2]), basis[k - 2], &w) }
            let beta = Double(norm(w))
            // Ritz values of the k×k tridiagonal matrix.
            var t = Matrix<Double>(rows: k, cols: k)
            for i in 0..<k {
                t[i, i] = alphas[i]
                if i + 1 < k {
                    t[i, i + 1] = betas[i]
                    t[i + 1, i] = betas[i]
                }
            }
            if let (values, vectors) = try? symmetricEigen(t) {
                best = values[k - 1]
                ritz = vectors.column(k - 1)
            }
            if previous.isFinite { change = abs(best - previous) / max(abs(best), 1e-30) }
            // Residual bound: some eigenvalue lies within β_k·|s_k| of the Ritz value θ (Parlett).
            let residual = beta * abs(ritz.last ?? 1) / max(abs(best), 1e-30)
            if (k > 1 && (change <= tolerance || residual <= tolerance)) || beta < 1e-12 * max(1, abs(best)) {
                converged = true
                change = min(change, residual)
                break
            }
            previous = best
            betas.append(beta)
            let inv = T(1 / beta)
            for j in 0..<p { q[j] = w[j] * inv }
        }
        // The Ritz vector, formed once at the end.
        var v = [Double](repeating: 0, count: p)
        for (i, b) in basis.enumerated() where i < ritz.count { for j in 0..<p { v[j] += ritz[i] * Double(b[j]) } }
        return Eigen(value: best, vector: v, iterations: iterations, converged: converged, relativeChange: change)
    }
}

import LinearAlgebra
import Learners

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
    public static func topEigenvalue<T: Scalar>(_ f: Objective<T>, tolerance: Double = 1e-3, maxIterations: Int = 100, seed: UInt64 = 0) -> Eigen {
        var rng = Generator(seed: seed, stream: 9)
        var v: [T] = rng.normalVector(f.network.parameterCount)
        let n0 = Double(norm(v))
        v = v.map { $0 / T(n0) }
        var lambda = 0.0, change = Double.infinity
        for k in 1...maxIterations {
            let hv = f.hessianVectorProduct(v).hv
            let next = Double(dot(v, hv))
            let nh = Double(norm(hv))
            if nh == 0 { return Eigen(value: 0, vector: v.map(Double.init), iterations: k, converged: true, relativeChange: 0) }
            change = abs(next - lambda) / max(abs(next), 1e-30)
            lambda = next
            v = hv.map { $0 / T(nh) }
            if k > 1 && change <= tolerance {
                return Eigen(value: lambda, vector: v.map(Double.init), iterations: k, converged: true, relativeChange: change)
            }
        }
        return Eigen(value: lambda, vector: v.map(Double.init), iterations: maxIterations, converged: false, relativeChange: change)
    }
}

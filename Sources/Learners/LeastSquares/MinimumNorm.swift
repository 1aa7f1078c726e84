import Foundation
import LinearAlgebra

/// The minimum-norm least-squares solution W = Φ⁺Y ("ridgeless" regression), through the
/// eigendecomposition of the smaller Gram matrix: ΦᵀΦ (N×N) when N ≤ n, else ΦΦᵀ (n×n).
/// Both give the pseudo-inverse solution; eigenvalues below `rcond`·λ_max count as zero.
/// Cost O(n·N·min(n, N)), against gelsd's larger constant; the tests check it equals gelsd.
public enum MinimumNorm {
    public static func solve(_ phi: Matrix<Double>, _ y: Matrix<Double>, rcond: Double = 1e-12) throws -> Matrix<Double>
    {
        precondition(phi.rows == y.rows, "Φ has \(phi.rows) rows, Y has \(y.rows)")
        let n = phi.rows
        let p = phi.cols
        if p <= n {
            // W = V Λ⁺ Vᵀ Φᵀ Y
            let gram = matmul(phi, transA: true, phi)
            let (lambda, v) = try symmetricEigen(gram)
            let cut = (lambda.last ?? 0) * rcond
            var vtb = matmul(v, transA: true, matmul(phi, transA: true, y))  // [p, k]
            for i in 0..<p {
                let s = lambda[i] > cut ? 1 / lambda[i] : 0
                for j in 0..<vtb.cols { vtb[i, j] *= s }
            }
            return matmul(v, vtb)
        } else {
            // W = Φᵀ U Λ⁺ Uᵀ Y
            let gram = matmul(phi, phi, transB: true)
            let (lambda, u) = try symmetricEigen(gram)
            let cut = (lambda.last ?? 0) * rcond
            var uty = matmul(u, transA: true, y)  // [n, k]
            for i in 0..<n {
                let s = lambda[i] > cut ? 1 / lambda[i] : 0
                for j in 0..<uty.cols { uty[i, j] *= s }
            }
            return matmul(phi, transA: true, matmul(u, uty))
        }
    }
}

/// Random features (Rahimi & Recht 2007; the setting of Belkin et al. 2019): φ(x) = relu(Wx + c)
/// or √2·cos(Wx + b), W with i.i.d. N(0, 1/d) rows, c ~ N(0, 1/d), b uniform on [0, 2π).
/// (Without the offset c, ReLU features of a one-dimensional input span only two functions.)
public struct RandomFeatures: Codable, Sendable {
    /// ReLU features max(0, w·x + c), or random Fourier features cos(w·x + c).
    public enum Kind: String, Codable, Sendable, CaseIterable { case relu, fourier }
    public var kind: Kind
    public var count: Int
    public var seed: UInt64

    public init(kind: Kind = .relu, count: Int, seed: UInt64 = 0) {
        self.kind = kind
        self.count = count
        self.seed = seed
    }

    /// Φ = φ(X), [n, count]. The same seed gives the same W for every input.
    public func transform(_ x: Matrix<Double>) -> Matrix<Double> {
        var g = Generator(seed: seed, stream: 31)
        let d = x.cols
        let w = Matrix<Double>(
            rows: count, cols: d, storage: g.normalVector(count * d, std: 1 / Double(max(1, d)).squareRoot()))
        let b = (0..<count).map { _ in g.uniform(0, 2 * Double.pi) }
        let c = (0..<count).map { _ in g.normal() / Double(max(1, d)).squareRoot() }
        var phi = matmul(x, w, transB: true)
        let width = count
        phi.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows {
                for j in 0..<width {
                    let v = p[i * width + j]
                    p[i * width + j] = kind == .relu ? Swift.max(v + c[j], 0) : 2.0.squareRoot() * _cos(v + b[j])
                }
            }
        }
        return phi
    }
}

@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }

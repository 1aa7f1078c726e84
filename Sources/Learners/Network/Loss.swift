import Foundation
import LinearAlgebra

/// Losses averaged over the batch. Each gives the loss, ∂L/∂z and, for Hessian-vector
/// products, R(∂L/∂z) = (∂²L/∂z²)·R(z).
public enum Loss: String, Codable, Sendable, CaseIterable {
    /// Softmax cross-entropy over K logits; targets are class indices.
    case crossEntropy = "cross-entropy"
    /// Mean over batch and outputs of (z − t)²; targets are reals (one output) or class indices (one-hot).
    case meanSquaredError = "mse"
    /// log(1 + exp(−s·z)) with one logit and s = ±1 (class 1 → +1).
    case logistic

    /// Writes ∂L/∂z into `dz` and returns the batch loss. z, dz: [B, K].
    @inline(__always)
    static func gradient<T: Scalar>(_ loss: Loss, z: UnsafePointer<T>, dz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int,
                                    labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?) -> Double {
        var total = 0.0
        let scale = T(1) / T(b)
        switch loss {
        case .crossEntropy:
            for i in 0..<b {
                let zi = z + i * k, di = dz + i * k
                var m = zi[0]
                for c in 1..<max(1, k) where zi[c] > m { m = zi[c] }
                var s = T(0)
                for c in 0..<k { let e = T(Foundation.exp(Double(zi[c] - m))); di[c] = e; s += e }
                let y = Int(labels![i])
                total += Double(m) + Foundation.log(Double(s)) - Double(zi[y])
                let inv = T(1) / s
                for c in 0..<k { di[c] = di[c] * inv * scale }
                di[y] -= scale
            }
        case .meanSquaredError:
            let s2 = T(2) / T(b * k)
            for i in 0..<b {
                for c in 0..<k {
                    let t: T = targets != nil ? targets![i * k + c] : (Int(labels![i]) == c ? 1 : 0)
                    let r = z[i * k + c] - t
                    total += Double(r * r)
                    dz[i * k + c] = s2 * r
                }
            }
            total /= Double(k)
        case .logistic:
            for i in 0..<b {
                let s: Double = labels![i] == 1 ? 1 : -1
                let m = -s * Double(z[i])
                // log(1 + e^m), stable for large |m|
                total += m > 0 ? m + Foundation.log1p(Foundation.exp(-m)) : Foundation.log1p(Foundation.exp(m))
                let sig = 1 / (1 + Foundation.exp(-m))  // σ(−s z)
                dz[i] = T(-s * sig) * scale
            }
        }
        return total / Double(b)
    }

    /// R(∂L/∂z) for direction R(z) = rz, given z. rdz: [B, K].
    @inline(__always)
    static func rGradient<T: Scalar>(_ loss: Loss, z: UnsafePointer<T>, rz: UnsafePointer<T>, rdz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int) {
        let scale = T(1) / T(b)
        switch loss {
        case .crossEntropy:
            // ∂²L/∂z² = diag(p) − p pᵀ
            for i in 0..<b {
                let zi = z + i * k
                var m = zi[0]
                for c in 1..<max(1, k) where zi[c] > m { m = zi[c] }
                var s = T(0)
                for c in 0..<k { let e = T(Foundation.exp(Double(zi[c] - m))); rdz[i * k + c] = e; s += e }
                var pr = T(0)
                for c in 0..<k { rdz[i * k + c] /= s; pr += rdz[i * k + c] * rz[i * k + c] }
                for c in 0..<k { rdz[i * k + c] = rdz[i * k + c] * (rz[i * k + c] - pr) * scale }
            }
        case .meanSquaredError:
            let s2 = T(2) / T(b * k)
            for j in 0..<(b * k) { rdz[j] = s2 * rz[j] }
        case .logistic:
            for i in 0..<b {
                let sig = 1 / (1 + Foundation.exp(-Double(z[i])))
                rdz[i] = T(sig * (1 - sig)) * rz[i] * scale
            }
        }
    }
}

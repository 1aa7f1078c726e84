import Foundation
import LinearAlgebra

/// L = mean of log(1 + e^{−s·z}) over one logit per sample, s = +1 for class 1, −1 otherwise.
enum Logistic {
    /// ∂L/∂z = −s·σ(−s·z)/b; returns L.
    @inline(__always)
    static func gradient<T: Scalar>(
        z: UnsafePointer<T>, dz: UnsafeMutablePointer<T>, batch b: Int, labels: UnsafePointer<Int32>
    ) -> Double {
        var total = 0.0
        let scale = T(1) / T(b)
        for i in 0..<b {
            let s: Double = labels[i] == 1 ? 1 : -1
            let m = -s * Double(z[i])
            // log(1 + e^m), stable for large |m|
            total += m > 0 ? m + Foundation.log1p(Foundation.exp(-m)) : Foundation.log1p(Foundation.exp(m))
            let sig = 1 / (1 + Foundation.exp(-m))  // σ(−s z)
            dz[i] = T(-s * sig) * scale
        }
        return total / Double(b)
    }

    /// R(∂L/∂z) = σ(z)(1 − σ(z))·R(z)/b
    @inline(__always)
    static func tangent<T: Scalar>(
        z: UnsafePointer<T>, rz: UnsafePointer<T>, rdz: UnsafeMutablePointer<T>, batch b: Int
    ) {
        let scale = T(1) / T(b)
        for i in 0..<b {
            let sig = 1 / (1 + Foundation.exp(-Double(z[i])))
            rdz[i] = T(sig * (1 - sig)) * rz[i] * scale
        }
    }
}

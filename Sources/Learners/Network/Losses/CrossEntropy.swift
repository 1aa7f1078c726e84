import Foundation
import LinearAlgebra

/// Softmax cross-entropy, L = mean over the batch of log Σ_c e^{z_c} − z_y.
enum CrossEntropy {
    /// ∂L/∂z = (p − e_y)/b, p = softmax(z); returns L.
    @inline(__always)
    static func gradient<T: Scalar>(
        z: UnsafePointer<T>, dz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int, labels: UnsafePointer<Int32>
    ) -> Double {
        var total = 0.0
        let scale = T(1) / T(b)
        for i in 0..<b {
            let zi = z + i * k
            let di = dz + i * k
            var m = zi[0]
            for c in 1..<max(1, k) where zi[c] > m { m = zi[c] }
            var s = T(0)
            for c in 0..<k {
                let e = T(Foundation.exp(Double(zi[c] - m)))
                di[c] = e
                s += e
            }
            let y = Int(labels[i])
            total += Double(m) + Foundation.log(Double(s)) - Double(zi[y])
            let inv = T(1) / s
            for c in 0..<k { di[c] = di[c] * inv * scale }
            di[y] -= scale
        }
        return total / Double(b)
    }

    /// R(∂L/∂z) = (diag(p) − p pᵀ)·R(z)/b
    @inline(__always)
    static func tangent<T: Scalar>(
        z: UnsafePointer<T>, rz: UnsafePointer<T>, rdz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int
    ) {
        let scale = T(1) / T(b)
        for i in 0..<b {
            let zi = z + i * k
            let ri = rz + i * k
            let out = rdz + i * k
            var m = zi[0]
            for c in 1..<max(1, k) where zi[c] > m { m = zi[c] }
            var s = T(0)
            for c in 0..<k {
                let e = T(Foundation.exp(Double(zi[c] - m)))
                out[c] = e
                s += e
            }
            var pr = T(0)
            for c in 0..<k {
                out[c] /= s
                pr += out[c] * ri[c]
            }
            for c in 0..<k { out[c] = out[c] * (ri[c] - pr) * scale }
        }
    }
}

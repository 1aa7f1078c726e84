import LinearAlgebra

/// L = mean over batch and outputs of (z − t)², t real (`targets`) or one-hot of the label.
enum MeanSquaredError {
    /// ∂L/∂z = 2(z − t)/(b·K); returns L.
    @inline(__always)
    static func gradient<T: Scalar>(
        z: UnsafePointer<T>, dz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int,
        labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?
    ) -> Double {
        var total = 0.0
        let s2 = T(2) / T(b * k)
        for i in 0..<b {
            for c in 0..<k {
                let t: T = targets != nil ? targets![i * k + c] : (Int(labels![i]) == c ? 1 : 0)
                let r = z[i * k + c] - t
                total += Double(r * r)
                dz[i * k + c] = s2 * r
            }
        }
        return total / Double(b * k)
    }

    /// R(∂L/∂z) = 2·R(z)/(b·K)
    @inline(__always)
    static func tangent<T: Scalar>(rz: UnsafePointer<T>, rdz: UnsafeMutablePointer<T>, batch b: Int, outputs k: Int) {
        let s2 = T(2) / T(b * k)
        for j in 0..<(b * k) { rdz[j] = s2 * rz[j] }
    }
}

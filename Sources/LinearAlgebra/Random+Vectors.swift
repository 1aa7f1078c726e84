import Common

/// Random vectors: they need the scalar types and the norm, which live here, not in Common.
extension Generator {
    /// A vector of i.i.d. normals with the given standard deviation.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func normalVector<T: Scalar>(_ n: Int, std: Double = 1) -> [T] {
        (0..<n).map { _ in T(std * normal()) }
    }

    /// A uniformly random unit vector in ℝⁿ.
    public mutating func unitVector(_ n: Int) -> [Double] {
        while true {
            let v: [Double] = normalVector(n)
            let r = norm(v)
            if r > 1e-12 { return v.map { $0 / r } }
        }
    }
}

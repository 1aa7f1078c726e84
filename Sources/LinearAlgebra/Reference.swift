/// Naive reference kernels: triple loops in the obvious order, accumulated in Double.
/// They exist only to check the BLAS paths (tests) and are never used in a hot loop.
public enum Reference {
    public static func matmul<T: Scalar>(_ a: Matrix<T>, transA: Bool = false, _ b: Matrix<T>, transB: Bool = false)
        -> Matrix<T>
    {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let n = transB ? b.rows : b.cols
        var c = Matrix<T>(rows: m, cols: n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = transA ? a[p, i] : a[i, p]
                    let y = transB ? b[j, p] : b[p, j]
                    s += Double(x) * Double(y)
                }
                c[i, j] = T(s)
            }
        }
        return c
    }

    public static func matvec<T: Scalar>(_ a: Matrix<T>, transposed: Bool = false, _ x: [T]) -> [T] {
        let m = transposed ? a.cols : a.rows
        let n = transposed ? a.rows : a.cols
        return (0..<m).map { i in
            var s = 0.0
            for j in 0..<n { s += Double(transposed ? a[j, i] : a[i, j]) * Double(x[j]) }
            return T(s)
        }
    }

    public static func dot<T: Scalar>(_ x: [T], _ y: [T]) -> T {
        var s = 0.0
        for i in x.indices { s += Double(x[i]) * Double(y[i]) }
        return T(s)
    }

    public static func axpy<T: Scalar>(_ alpha: T, _ x: [T], _ y: [T]) -> [T] {
        zip(x, y).map { T(Double(alpha) * Double($0) + Double($1)) }
    }

    /// Kendall's τ-b from its definition, pair by pair: (C − D)/√((C + D + T_y)(C + D + T_x)),
    /// T_x the pairs tied in x only, T_y in y only (pairs tied in both count in neither).
    public static func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendallTau: \(x.count) vs \(y.count) values")
        var concordant = 0.0
        var discordant = 0.0
        var tiesX = 0.0
        var tiesY = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<max(i + 1, x.count) {
                let dx = x[i] - x[j]
                let dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 {
                    tiesX += 1
                    continue
                }
                if dy == 0 {
                    tiesY += 1
                    continue
                }
                if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let denom = ((concordant + discordant + tiesX) * (concordant + discordant + tiesY)).squareRoot()
        return denom == 0 ? .nan : (concordant - discordant) / denom
    }
}

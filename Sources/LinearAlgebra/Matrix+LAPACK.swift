/// Factorizations through LAPACK. LAPACK is column-major: a row-major matrix's storage read
/// column-major is its transpose, so each routine transposes on the way in and out.

/// A LAPACK routine that returned a nonzero info: which routine, and the code.
public struct LAPACKError: Error, CustomStringConvertible {
    public let routine: String
    public let info: Int
    public var description: String {
        "LAPACK \(routine) failed with info = \(info)"
            + (info > 0 ? " (the algorithm did not converge)" : " (argument \(-info) was invalid)")
    }
}

/// A = V·diag(λ)·Vᵀ for symmetric A; eigenvalues ascending, eigenvector k in column k of `vectors`.
public func symmetricEigen<T: Scalar>(_ a: Matrix<T>, vectors: Bool = true) throws -> (values: [T], vectors: Matrix<T>)
{
    precondition(a.rows == a.cols, "symmetricEigen needs a square matrix, got \(a.rows)×\(a.cols)")
    let n = a.rows
    if n == 0 { return ([], a) }
    var work = a.storage  // symmetric: row-major = column-major
    var w = [T](repeating: 0, count: n)
    let info = work.withUnsafeMutableBufferPointer { pa in
        w.withUnsafeMutableBufferPointer { pw in T.syevd(vectors: vectors, n: n, a: pa.baseAddress!, w: pw.baseAddress!)
        }
    }
    if info != 0 { throw LAPACKError(routine: "syevd", info: info) }
    // LAPACK wrote eigenvectors column-major; as row-major storage that is Vᵀ.
    let v = vectors ? Matrix(rows: n, cols: n, storage: work).transposed : Matrix<T>(rows: 0, cols: 0)
    return (w, v)
}

/// Thin SVD: A = U·diag(s)·Vᵀ, s descending. U: m×k, Vᵀ: k×n, k = min(m, n).
public func svd<T: Scalar>(_ a: Matrix<T>) throws -> (u: Matrix<T>, s: [T], vt: Matrix<T>) {
    let m = a.rows
    let n = a.cols
    let k = min(m, n)
    if k == 0 { return (Matrix(rows: m, cols: 0), [], Matrix(rows: 0, cols: n)) }
    var colMajor = a.transposed.storage
    var s = [T](repeating: 0, count: k)
    var u = [T](repeating: 0, count: m * k)
    var vt = [T](repeating: 0, count: k * n)
    let info = colMajor.withUnsafeMutableBufferPointer { pa in
        s.withUnsafeMutableBufferPointer { ps in
            u.withUnsafeMutableBufferPointer { pu in
                vt.withUnsafeMutableBufferPointer { pv in
                    T.gesdd(m: m, n: n, a: pa.baseAddress!, s: ps.baseAddress!, u: pu.baseAddress!, vt: pv.baseAddress!)
                }
            }
        }
    }
    if info != 0 { throw LAPACKError(routine: "gesdd", info: info) }
    // Column-major m×k read row-major is k×m: transpose back.
    return (Matrix(rows: k, cols: m, storage: u).transposed, s, Matrix(rows: n, cols: k, storage: vt).transposed)
}

/// The minimum-norm least-squares solution x = A⁺b (LAPACK gelsd, SVD-based), for each column of B.
/// Singular values below `rcond`·σ_max count as zero; the default is machine precision.
public func minimumNormLeastSquares<T: Scalar>(_ a: Matrix<T>, _ b: Matrix<T>, rcond: T = -1) throws -> (
    solution: Matrix<T>, rank: Int
) {
    precondition(a.rows == b.rows, "least squares: A has \(a.rows) rows, B has \(b.rows)")
    let m = a.rows
    let n = a.cols
    let nrhs = b.cols
    let ldb = max(1, max(m, n))
    if n == 0 || nrhs == 0 { return (Matrix(rows: n, cols: nrhs), 0) }
    var colA = a.transposed.storage
    var colB = [T](repeating: 0, count: ldb * nrhs)
    for j in 0..<nrhs { for i in 0..<m { colB[j * ldb + i] = b[i, j] } }
    let (info, rank) = colA.withUnsafeMutableBufferPointer { pa in
        colB.withUnsafeMutableBufferPointer { pb in
            T.gelsd(m: m, n: n, nrhs: nrhs, a: pa.baseAddress!, b: pb.baseAddress!, ldb: ldb, rcond: rcond)
        }
    }
    if info != 0 { throw LAPACKError(routine: "gelsd", info: info) }
    var x = Matrix<T>(rows: n, cols: nrhs)
    for j in 0..<nrhs { for i in 0..<n { x[i, j] = colB[j * ldb + i] } }
    return (x, rank)
}

/// Vector right-hand side form of `minimumNormLeastSquares`.
public func minimumNormLeastSquares<T: Scalar>(_ a: Matrix<T>, _ b: [T], rcond: T = -1) throws -> [T] {
    try minimumNormLeastSquares(a, Matrix(rows: b.count, cols: 1, storage: b), rcond: rcond).solution.storage
}

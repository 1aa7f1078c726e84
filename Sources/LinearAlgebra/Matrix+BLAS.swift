/// Matrix and vector products, every one a CBLAS call.

/// C ← α·op(A)·op(B) + β·C, allocation-free (the training loops use this form).
@inlinable
public func gemm<T: Scalar>(
    _ a: Matrix<T>, transA: Bool = false, _ b: Matrix<T>, transB: Bool = false,
    into c: inout Matrix<T>, alpha: T = 1, beta: T = 0
) {
    let m = transA ? a.cols : a.rows
    let k = transA ? a.rows : a.cols
    let kb = transB ? b.cols : b.rows
    let n = transB ? b.rows : b.cols
    precondition(k == kb, "gemm inner dimensions differ: \(m)×\(k) · \(kb)×\(n)")
    precondition(c.rows == m && c.cols == n, "gemm output is \(c.rows)×\(c.cols), needs \(m)×\(n)")
    if m == 0 || n == 0 { return }
    if k == 0 {
        c.scale(by: beta)
        return
    }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                T.gemm(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                    a: pa.baseAddress!, lda: max(1, a.cols), b: pb.baseAddress!, ldb: max(1, b.cols),
                    beta: beta, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
}

/// op(A)·op(B) as a new matrix.
@inlinable
public func matmul<T: Scalar>(_ a: Matrix<T>, transA: Bool = false, _ b: Matrix<T>, transB: Bool = false) -> Matrix<T> {
    var c = Matrix<T>(rows: transA ? a.cols : a.rows, cols: transB ? b.rows : b.cols)
    gemm(a, transA: transA, b, transB: transB, into: &c)
    return c
}

/// op(A)·x as a new vector.
@inlinable
public func matvec<T: Scalar>(_ a: Matrix<T>, transposed: Bool = false, _ x: [T]) -> [T] {
    let m = transposed ? a.cols : a.rows
    let n = transposed ? a.rows : a.cols
    precondition(x.count == n, "matvec: matrix gives \(m)×\(n), vector has \(x.count)")
    var y = [T](repeating: 0, count: m)
    if m == 0 || n == 0 { return y }
    a.storage.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                T.gemv(
                    trans: transposed, m: a.rows, n: a.cols, alpha: 1, a: pa.baseAddress!, lda: max(1, a.cols),
                    x: px.baseAddress!, beta: 0, y: py.baseAddress!)
            }
        }
    }
    return y
}

/// ⟨x, y⟩
@inlinable
public func dot<T: Scalar>(_ x: [T], _ y: [T]) -> T {
    precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count)")
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in T.dot(x.count, px.baseAddress!, py.baseAddress!) }
    }
}

/// y ← α·x + y
@inlinable
public func axpy<T: Scalar>(_ alpha: T, _ x: [T], _ y: inout [T]) {
    precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count)")
    if x.isEmpty { return }
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in T.axpy(x.count, alpha, px.baseAddress!, py.baseAddress!) }
    }
}

/// ‖x‖₂
@inlinable
public func norm<T: Scalar>(_ x: [T]) -> T { dot(x, x).squareRoot() }

extension Matrix {
    /// Multiplies every entry by α in place.
    @inlinable
    public mutating func scale(by alpha: T) {
        if storage.isEmpty { return }
        let n = storage.count
        storage.withUnsafeMutableBufferPointer { T.scal(n, alpha, $0.baseAddress!) }
    }
}

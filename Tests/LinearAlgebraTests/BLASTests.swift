import LinearAlgebra
import XCTest

/// Every fast path against its naive reference on odd shapes, transposed operands, both precisions.
final class BLASTests: XCTestCase {
    func random<T: Scalar>(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<T> {
        var g = Generator(seed: seed)
        return Matrix(rows: r, cols: c, storage: g.normalVector(r * c))
    }

    /// Relative error against the reference, with a floor of 1 on the scale (entries are O(√k)).
    func maxRelativeError<T: Scalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> Double {
        zip(a.storage, b.storage).map { abs(Double($0) - Double($1)) / max(1, abs(Double($1))) }.max() ?? 0
    }

    func checkGEMM<T: Scalar>(_: T.Type, tolerance: Double) {
        let shapes = [(1, 1, 1), (7, 13, 5), (13, 7, 1), (1, 9, 17), (33, 31, 29), (64, 1, 3)]
        for (i, (m, n, k)) in shapes.enumerated() {
            for transA in [false, true] {
                for transB in [false, true] {
                    let a: Matrix<T> = transA ? random(k, m, seed: UInt64(i)) : random(m, k, seed: UInt64(i))
                    let b: Matrix<T> =
                        transB ? random(n, k, seed: UInt64(100 + i)) : random(k, n, seed: UInt64(100 + i))
                    let fast = matmul(a, transA: transA, b, transB: transB)
                    let slow = Reference.matmul(a, transA: transA, b, transB: transB)
                    XCTAssertEqual(fast.rows, m)
                    XCTAssertEqual(fast.cols, n)
                    XCTAssertLessThan(
                        maxRelativeError(fast, slow), tolerance,
                        "\(T.typeName) gemm \(m)×\(n)×\(k) tA=\(transA) tB=\(transB)")
                }
            }
        }
    }

    // Float: k ≤ 33 products of unit normals accumulate ~k·2⁻²⁴ relative error; 1e-5 leaves margin.
    func testGEMMFloat() { checkGEMM(Float.self, tolerance: 1e-5) }
    func testGEMMDouble() { checkGEMM(Double.self, tolerance: 1e-13) }

    /// A skinny product (a side ≤ 16) runs on one BLAS thread and then gives the caller's thread
    /// count back; a square one keeps it. Both agree with the reference on two threads.
    func testSkinnyGEMMRestoresTheThreadCount() {
        let before = BLAS.threads
        defer { BLAS.setThreads(before) }
        BLAS.setThreads(2)
        guard BLAS.threads == 2 else { return }  // a BLAS without thread control (Accelerate)
        for (m, n, k) in [(300, 10, 200), (10, 300, 200), (300, 200, 10), (300, 200, 100)] {
            let a: Matrix<Float> = random(m, k, seed: 3)
            let b: Matrix<Float> = random(k, n, seed: 4)
            XCTAssertLessThan(maxRelativeError(matmul(a, b), Reference.matmul(a, b)), 1e-4, "\(m)×\(n)×\(k)")
            XCTAssertEqual(BLAS.threads, 2, "thread count after \(m)×\(n)×\(k)")
        }
    }

    func testGEMMAccumulatesWithBeta() {
        let a: Matrix<Double> = random(7, 13, seed: 1)
        let b: Matrix<Double> = random(13, 5, seed: 2)
        var c: Matrix<Double> = random(7, 5, seed: 3)
        let c0 = c
        gemm(a, b, into: &c, alpha: 2, beta: 0.5)
        let ref = Reference.matmul(a, b)
        for i in 0..<c.count { XCTAssertEqual(c.storage[i], 2 * ref.storage[i] + 0.5 * c0.storage[i], accuracy: 1e-12) }
    }

    func checkVectorOps<T: Scalar>(_: T.Type, tolerance: Double) {
        for (m, n) in [(1, 1), (7, 13), (13, 7), (50, 3)] {
            let a: Matrix<T> = random(m, n, seed: 5)
            var g = Generator(seed: 9)
            let x: [T] = g.normalVector(n)
            let xt: [T] = g.normalVector(m)
            for (fast, slow) in [
                (matvec(a, x), Reference.matvec(a, x)),
                (matvec(a, transposed: true, xt), Reference.matvec(a, transposed: true, xt)),
            ] {
                for (f, s) in zip(fast, slow) {
                    XCTAssertEqual(Double(f), Double(s), accuracy: tolerance * max(1, abs(Double(s))))
                }
            }
            let y: [T] = g.normalVector(n)
            XCTAssertEqual(Double(dot(x, y)), Double(Reference.dot(x, y)), accuracy: tolerance * 10)
            var z = y
            axpy(T(0.75), x, &z)
            for (f, s) in zip(z, Reference.axpy(T(0.75), x, y)) {
                XCTAssertEqual(Double(f), Double(s), accuracy: tolerance)
            }
        }
    }

    func testVectorOpsFloat() { checkVectorOps(Float.self, tolerance: 1e-5) }
    func testVectorOpsDouble() { checkVectorOps(Double.self, tolerance: 1e-13) }

    func testTransposeAndRows() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(a.transposed, Matrix([[1, 4], [2, 5], [3, 6]]))
        XCTAssertEqual(a.rows([1, 0]), Matrix([[4, 5, 6], [1, 2, 3]]))
        XCTAssertEqual(a.rowNorms()[1], (16.0 + 25 + 36).squareRoot(), accuracy: 1e-15)
    }
}

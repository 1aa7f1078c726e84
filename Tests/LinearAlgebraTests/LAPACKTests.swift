import LinearAlgebra
import XCTest

final class LAPACKTests: XCTestCase {
    func randomMatrix(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<Double> {
        var g = Generator(seed: seed)
        return Matrix(rows: r, cols: c, storage: g.normalVector(r * c))
    }

    /// A·vₖ = λₖ·vₖ and VᵀV = I for a random symmetric matrix, to 1e-10 (cond ~ 10, n = 9).
    func testSymmetricEigen() throws {
        let b = randomMatrix(9, 9, seed: 1)
        let a = matmul(b, b, transB: true)  // symmetric positive semi-definite
        let (values, v) = try symmetricEigen(a)
        XCTAssertEqual(values, values.sorted())
        let av = matmul(a, v)
        for k in 0..<9 { for i in 0..<9 { XCTAssertEqual(av[i, k], values[k] * v[i, k], accuracy: 1e-10) } }
        let vtv = matmul(v, transA: true, v)
        for i in 0..<9 { for j in 0..<9 { XCTAssertEqual(vtv[i, j], i == j ? 1 : 0, accuracy: 1e-12) } }
        // Known spectrum: diag(1, 2, 3) rotated.
        let d = Matrix<Double>([[2, 1, 0], [1, 2, 0], [0, 0, 5]])
        let e = try symmetricEigen(d, vectors: false).values
        XCTAssertEqual(e[0], 1, accuracy: 1e-14)
        XCTAssertEqual(e[1], 3, accuracy: 1e-14)
        XCTAssertEqual(e[2], 5, accuracy: 1e-14)
    }

    func testSymmetricEigenFloat() throws {
        let d = Matrix<Float>([[2, 1], [1, 2]])
        let e = try symmetricEigen(d).values
        XCTAssertEqual(e[0], 1, accuracy: 1e-6)
        XCTAssertEqual(e[1], 3, accuracy: 1e-6)
    }

    func testSVDReconstructs() throws {
        for (m, n) in [(7, 13), (13, 7), (1, 1), (5, 5)] {
            let a = randomMatrix(m, n, seed: 3)
            let (u, s, vt) = try svd(a)
            XCTAssertEqual(s, s.sorted(by: >))
            var us = u
            for i in 0..<u.rows { for k in 0..<s.count { us[i, k] *= s[k] } }
            let back = matmul(us, vt)
            for i in 0..<a.count { XCTAssertEqual(back.storage[i], a.storage[i], accuracy: 1e-12) }
        }
    }

    /// Overdetermined: the residual is orthogonal to the columns of A (normal equations).
    func testLeastSquaresResidualOrthogonal() throws {
        let a = randomMatrix(20, 6, seed: 4)
        var g = Generator(seed: 5)
        let b: [Double] = g.normalVector(20)
        let x = try minimumNormLeastSquares(a, b)
        let r = zip(b, matvec(a, x)).map { $0 - $1 }
        for c in matvec(a, transposed: true, r) { XCTAssertEqual(c, 0, accuracy: 1e-12) }
    }

    /// Underdetermined: A x = b exactly and x = Aᵀ(AAᵀ)⁻¹b, the minimum-norm interpolant.
    func testLeastSquaresMinimumNorm() throws {
        let a = randomMatrix(5, 12, seed: 6)
        var g = Generator(seed: 7)
        let b: [Double] = g.normalVector(5)
        let x = try minimumNormLeastSquares(a, b)
        for (p, q) in zip(matvec(a, x), b) { XCTAssertEqual(p, q, accuracy: 1e-12) }
        // Independent route: solve (AAᵀ) z = b by its eigendecomposition, then x = Aᵀz.
        let (lam, v) = try symmetricEigen(matmul(a, a, transB: true))
        let vtb = matvec(v, transposed: true, b)
        let z = matvec(v, zip(vtb, lam).map { $0 / $1 })
        let xRef = matvec(a, transposed: true, z)
        for (p, q) in zip(x, xRef) { XCTAssertEqual(p, q, accuracy: 1e-10) }
    }
}

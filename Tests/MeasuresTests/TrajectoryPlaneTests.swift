import LinearAlgebra
import Measures
import XCTest

/// The PCA plane of a training path against closed forms.
final class TrajectoryPlaneTests: XCTestCase {
    /// Two orthonormal vectors of R^p (a rotation of e₁, e₂ spread over every coordinate).
    func basis(_ p: Int, seed: UInt64) -> ([Double], [Double]) {
        var g = Generator(seed: seed, stream: 9)
        var u = (0..<p).map { _ in g.normal() }
        var v = (0..<p).map { _ in g.normal() }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let nu = dot(u, u).squareRoot()
        u = u.map { $0 / nu }
        let c = dot(u, v)
        v = zip(v, u).map { $0 - c * $1 }
        let nv = dot(v, v).squareRoot()
        v = v.map { $0 / nv }
        return (u, v)
    }

    /// A path exactly in the plane θₙ + a·u + b·v with centred (a, b) uncorrelated and of unequal
    /// variance: PCA's axes are u and v themselves, so the coordinates come back up to sign, the
    /// two directions explain 100% of the variance, and their shares are the closed-form 18/20, 2/20.
    func testPathInAKnownPlane() throws {
        let p = 257
        let (u, v) = basis(p, seed: 1)
        var g = Generator(seed: 2, stream: 1)
        let final = (0..<p).map { _ in g.normal() }
        let ab: [(Double, Double)] = [(3, 0), (-3, 0), (0, 1), (0, -1), (0, 0)]  // the last is θₙ itself
        let path = ab.map { a, b in (0..<p).map { final[$0] + a * u[$0] + b * v[$0] } }
        let plane = try TrajectoryPlane(path: path)
        XCTAssertEqual(plane.explainedVariance[0] + plane.explainedVariance[1], 1, accuracy: 1e-12)
        XCTAssertEqual(plane.explainedVariance[0], 18.0 / 20, accuracy: 1e-12)
        XCTAssertEqual(plane.explainedVariance[1], 2.0 / 20, accuracy: 1e-12)
        let s1 = plane.coordinates[0][0].sign == .minus ? -1.0 : 1.0
        let s2 = plane.coordinates[2][1].sign == .minus ? -1.0 : 1.0
        for (k, (a, b)) in ab.enumerated() {
            XCTAssertEqual(s1 * plane.coordinates[k][0], a, accuracy: 1e-10, "α of checkpoint \(k)")
            XCTAssertEqual(s2 * plane.coordinates[k][1], b, accuracy: 1e-10, "β of checkpoint \(k)")
        }
        // The directions are u and v up to sign: unit, orthogonal.
        for j in 0..<p {
            XCTAssertEqual(s1 * plane.directions[0][j], u[j], accuracy: 1e-10)
            XCTAssertEqual(s2 * plane.directions[1][j], v[j], accuracy: 1e-10)
        }
    }

    /// Projection consistency: each checkpoint's coordinates are its difference from θₙ dotted
    /// with the directions, so θₙ + α·d₁ + β·d₂ is its orthogonal projection — the residual is
    /// orthogonal to both directions — and a path off the plane explains less than 100%.
    func testProjectionIsOrthogonalAndVarianceBelowOneOffThePlane() throws {
        let p = 64
        var g = Generator(seed: 3, stream: 2)
        let path = (0..<8).map { _ in (0..<p).map { _ in g.normal() } }
        let plane = try TrajectoryPlane(path: path)
        let final = path[path.count - 1]
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        XCTAssertEqual(dot(plane.directions[0], plane.directions[0]), 1, accuracy: 1e-10)
        XCTAssertEqual(dot(plane.directions[1], plane.directions[1]), 1, accuracy: 1e-10)
        XCTAssertEqual(dot(plane.directions[0], plane.directions[1]), 0, accuracy: 1e-10)
        XCTAssertEqual(plane.coordinates[path.count - 1], [0, 0], "the final weights are the origin")
        for (theta, c) in zip(path, plane.coordinates) {
            let residual = (0..<p).map {
                theta[$0] - final[$0] - c[0] * plane.directions[0][$0] - c[1] * plane.directions[1][$0]
            }
            XCTAssertEqual(dot(residual, plane.directions[0]), 0, accuracy: 1e-9)
            XCTAssertEqual(dot(residual, plane.directions[1]), 0, accuracy: 1e-9)
        }
        // 7 random differences in 64 dimensions: the top two of 6 centred variances hold well under all of it.
        XCTAssertLessThan(plane.explainedVariance[0] + plane.explainedVariance[1], 0.9)
        XCTAssertGreaterThanOrEqual(plane.explainedVariance[0], plane.explainedVariance[1])
    }

    func testAStraightPathOrTooFewCheckpointsIsAnError() {
        let line = (0..<5).map { t in [Double(t), 2 * Double(t), -Double(t)] }
        XCTAssertThrowsError(try TrajectoryPlane(path: line)) { XCTAssertTrue("\($0)".contains("line"), "\($0)") }
        XCTAssertThrowsError(try TrajectoryPlane(path: [[0, 1], [1, 0]])) {
            XCTAssertTrue("\($0)".contains("at least 4"), "\($0)")
        }
    }
}

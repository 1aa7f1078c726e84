import Datasets
import Learners
import LinearAlgebra
import XCTest

final class SVMTests: XCTestCase {
    /// With points on the planted margin in every direction ⊥ w*, the max margin is the planted γ.
    func testMarginMatchesPlanted() {
        for (d, n, margin) in [(5, 400, 0.1), (20, 1000, 0.05), (50, 2000, 0.2)] {
            let s = Separable(dimension: d, trainCount: n, testCount: 1, margin: margin, seed: 1).generate()
            let x: Matrix<Double> = s.train.features.converted(), y = try! s.train.signedLabels()
            let sol = HardMarginSVM().solve(x, y)
            XCTAssertTrue(sol.separable); XCTAssertTrue(sol.converged)
            XCTAssertLessThanOrEqual(sol.relativeGap, 1e-6)
            XCTAssertLessThanOrEqual(sol.margin, sol.marginUpperBound)
            // Float coordinates move margins by ~1e-7; the solve is certified to 1e-6 relative.
            XCTAssertEqual(sol.margin, margin, accuracy: 2e-6 + 1e-6 * margin, "d=\(d)")
            XCTAssertEqual(norm(sol.direction!), 1, accuracy: 1e-12)
        }
    }

    /// Two points: the max-margin direction and margin are known in closed form.
    func testClosedForm() {
        let x = Matrix<Double>([[3, 1], [-1, -3]])
        let sol = HardMarginSVM(tolerance: 1e-10).solve(x, [1, -1])
        // No bias: w* ∝ x₁ + (−x₂) weighted so both margins equal; by symmetry w* = (1, 1)/√2, γ = 4/√2.
        XCTAssertEqual(sol.margin, 4 / 2.0.squareRoot(), accuracy: 1e-8)
        XCTAssertEqual(sol.direction![0], 1 / 2.0.squareRoot(), accuracy: 1e-6)
        // With a bias: points 0 and 4 on a line, labels −, + → margin 2, offset at 2.
        let line = Matrix<Double>([[0], [4]])
        let b = HardMarginSVM(bias: true, tolerance: 1e-10).solve(line, [-1, 1])
        XCTAssertEqual(b.margin, 2, accuracy: 1e-8)
        XCTAssertEqual(b.offset, -2, accuracy: 1e-8)
    }

    func testBiasOnShiftedData() {
        // Shifted separable data: separable with an offset, margin = planted γ.
        let s = Separable(dimension: 4, trainCount: 300, testCount: 1, margin: 0.2, seed: 5).generate()
        var x: Matrix<Double> = s.train.features.converted()
        for i in 0..<x.rows { for j in 0..<x.cols { x[i, j] += 3 } }
        let sol = HardMarginSVM(bias: true).solve(x, try! s.train.signedLabels())
        XCTAssertTrue(sol.separable)
        XCTAssertEqual(sol.margin, 0.2, accuracy: 1e-5)
        XCTAssertLessThanOrEqual(sol.margin, sol.marginUpperBound + 1e-12)
    }

    func testNotSeparable() {
        let x = Matrix<Double>([[1, 1], [-1, -1], [1, -1], [-1, 1]])
        // The certificate ‖Σαᵢyᵢxᵢ‖/Σαᵢ falls like 1/epochs here; at resolution 1e-4·R it proves
        // that no separator exists.
        let sol = HardMarginSVM(maxEpochs: 200_000, separabilityTolerance: 1e-4).solve(x, [1, 1, -1, -1])
        XCTAssertFalse(sol.separable)
        XCTAssertNil(sol.direction)
        XCTAssertLessThan(sol.marginUpperBound, 1e-4 * 2.0.squareRoot())
        let withBias = HardMarginSVM(bias: true, maxEpochs: 200_000, separabilityTolerance: 1e-4).solve(Matrix([[0.0], [1], [2]]), [1, -1, 1])
        XCTAssertFalse(withBias.separable)
    }
}

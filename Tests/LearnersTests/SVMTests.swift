import Datasets
import Learners
import LinearAlgebra
import XCTest

final class SVMTests: XCTestCase {
    /// With points on the planted margin in every direction ⊥ w*, the max margin is the planted γ.
    func testMarginMatchesPlanted() {
        for (d, n, margin) in [(5, 400, 0.1), (20, 1000, 0.05), (50, 2000, 0.2)] {
            let s = Separable(dimension: d, trainCount: n, testCount: 1, margin: margin, seed: 1).generate()
            let x: Matrix<Double> = s.train.features.converted()
            let y = try! s.train.signedLabels()
            // Both solvers: the active set (the default in these dimensions) and coordinate ascent (0 turns the active
            // set off).
            for activeSet in [100, 0] {
                let sol = HardMarginSVM(activeSetMaxFeatures: activeSet).solve(x, y)
                XCTAssertEqual(sol.status, .optimal)
                XCTAssertEqual(sol.separable, true)
                XCTAssertTrue(sol.converged)
                XCTAssertLessThanOrEqual(sol.relativeGap, 1e-6)
                XCTAssertLessThanOrEqual(sol.margin, sol.marginUpperBound)
                // Float coordinates move margins by ~1e-7; the solve is certified to 1e-6 relative.
                XCTAssertEqual(
                    sol.margin, margin, accuracy: 2e-6 + 1e-6 * margin,
                    "d=\(d), active set ≤ \(activeSet)")
                XCTAssertEqual(norm(sol.direction!), 1, accuracy: 1e-12)
                XCTAssertLessThanOrEqual(Self.gordanBound(x, y, sol.dualWeights), sol.marginUpperBound * (1 + 1e-12))
            }
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
        XCTAssertEqual(sol.status, .optimal)
        XCTAssertEqual(sol.margin, 0.2, accuracy: 1e-5)
        XCTAssertLessThanOrEqual(sol.margin, sol.marginUpperBound + 1e-12)
    }

    /// ‖Σᾱᵢyᵢxᵢ‖ with ᾱ = α/Σα, recomputed here: for every unit w, minᵢ yᵢ⟨w, xᵢ⟩ ≤ this.
    static func gordanBound(_ x: Matrix<Double>, _ y: [Double], _ alpha: [Double]) -> Double {
        let total = alpha.reduce(0, +)
        var v = [Double](repeating: 0, count: x.cols)
        for i in 0..<x.rows { for j in 0..<x.cols { v[j] += alpha[i] / total * y[i] * x[i, j] } }
        return norm(v)
    }

    func testNotSeparable() {
        let x = Matrix<Double>([[1, 1], [-1, -1], [1, -1], [-1, 1]])
        let y: [Double] = [1, 1, -1, -1]
        // The certificate ‖Σαᵢyᵢxᵢ‖/Σαᵢ falls like 1/epochs here; at resolution 1e-4·R it proves
        // that no separator exists.
        let sol = HardMarginSVM(maxEpochs: 200_000, separabilityTolerance: 1e-4).solve(x, y)
        XCTAssertEqual(sol.status, .notSeparable)
        XCTAssertEqual(sol.separable, false)
        XCTAssertNil(sol.direction)
        XCTAssertLessThan(sol.marginUpperBound, 1e-4 * 2.0.squareRoot())
        // The certificate is in the returned α, not only in the solver's word.
        XCTAssertLessThan(Self.gordanBound(x, y, sol.dualWeights), 1e-4 * 2.0.squareRoot())
        let withBias = HardMarginSVM(bias: true, maxEpochs: 200_000, separabilityTolerance: 1e-4).solve(
            Matrix([[0.0], [1], [2]]), [1, -1, 1])
        XCTAssertEqual(withBias.status, .notSeparable)
        // With a bias the certificate also needs Σαᵢyᵢ = 0 (else an offset could gain).
        XCTAssertEqual(
            zip(withBias.dualWeights, [1.0, -1, 1]).map { $0 * $1 }.reduce(0, +), 0,
            accuracy: 1e-12 * withBias.dualWeights.reduce(0, +))
    }

    /// A point and its negation with the same label: α = (½, ½) gives Σαᵢyᵢxᵢ = 0 exactly.
    func testPointAndItsNegationAreNotSeparable() {
        let x = Matrix<Double>([[1, 2], [-1, -2], [3, 0.5]])
        let y: [Double] = [1, 1, -1]
        // The active set finds the certificate exactly; coordinate ascent's falls like 1/epochs,
        // so it gets the coarser resolution 1e-4·R (at 1e-6 it would stop at its limit, undecided).
        for (activeSet, resolution) in [(100, 1e-6), (0, 1e-4)] {
            let sol = HardMarginSVM(separabilityTolerance: resolution, activeSetMaxFeatures: activeSet).solve(x, y)
            XCTAssertEqual(sol.status, .notSeparable, "active set ≤ \(activeSet)")
            XCTAssertLessThan(Self.gordanBound(x, y, sol.dualWeights), resolution * 9.25.squareRoot())
        }
        // A zero point has margin 0 under every w: not separable through the origin.
        let zero = HardMarginSVM().solve(Matrix([[0.0, 0], [1, 1]]), [1, -1])
        XCTAssertEqual(zero.status, .notSeparable)
        XCTAssertEqual(zero.marginUpperBound, 0)
    }

    /// Badly scaled features (1e-3 to 4e3, all positive, as in raw UCI tables) and a separator
    /// through the origin: the max margin is tiny next to R.
    static func badlyScaled(n: Int = 400, d: Int = 30, seed: UInt64 = 3) -> (x: Matrix<Double>, y: [Double]) {
        var g = Generator(seed: seed)
        let scales = (0..<d).map { pow(10, -3 + 6.6 * Double($0) / Double(d - 1)) }
        // u ⊥ (1, …, 1): the labels split points whose features all sit near 1 (times their scale).
        var u: [Double] = g.normalVector(d)
        let mean = u.reduce(0, +) / Double(d)
        u = u.map { $0 - mean }
        u = u.map { $0 / norm(u) }
        var rows = [Double]()
        var y = [Double]()
        while y.count < n {
            let z = (0..<d).map { _ in 1 + 0.3 * g.normal() }
            let s = dot(z, u)
            guard abs(s) >= 0.05 else { continue }
            rows += zip(z, scales).map { $0 * $1 }
            y.append(s > 0 ? 1 : -1)
        }
        return (Matrix(rows: n, cols: d, storage: rows), y)
    }

    /// Coordinate ascent with a small limit stops there: `stoppedAtLimit`, never `notSeparable`,
    /// with honest bounds; the active-set method solves the same data to a certified optimum.
    func testBadlyScaledStopsAtLimitButNeverClaimsNotSeparable() {
        let (x, y) = Self.badlyScaled()
        let exact = HardMarginSVM(tolerance: 1e-9).solve(x, y)
        XCTAssertEqual(exact.status, .optimal)
        let gamma = exact.margin
        XCTAssertGreaterThan(gamma, 0)
        // Both bounds recomputed here: the direction's margin and the Gordan bound of α.
        let w = exact.direction!
        let margin = (0..<x.rows).map { i in y[i] * (0..<x.cols).reduce(0) { $0 + w[$1] * x[i, $1] } }.min()!
        XCTAssertEqual(margin, gamma, accuracy: 1e-9 * gamma)
        XCTAssertLessThanOrEqual(Self.gordanBound(x, y, exact.dualWeights), gamma * (1 + 1e-8))
        let radius = x.rowNorms().max()!
        XCTAssertLessThan(gamma, 1e-5 * radius, "the set should be badly conditioned")

        let limited = HardMarginSVM(tolerance: 1e-9, maxEpochs: 200, activeSetMaxFeatures: 0).solve(x, y)
        XCTAssertEqual(limited.status, .stoppedAtLimit)
        XCTAssertNotEqual(limited.separable, false)
        XCTAssertEqual(limited.epochs, 200)
        XCTAssertLessThanOrEqual(limited.margin, gamma * (1 + 1e-9))
        XCTAssertGreaterThanOrEqual(limited.marginUpperBound, gamma * (1 - 1e-9))
        XCTAssertGreaterThan(limited.relativeGap, 1e-9)
    }
}

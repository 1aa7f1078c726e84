import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import XCTest

final class DoubleDescentTests: XCTestCase {
    func random(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<Double> {
        var g = Generator(seed: seed)
        return Matrix(rows: r, cols: c, storage: g.normalVector(r * c))
    }

    /// The Gram-matrix route equals LAPACK's SVD-based gelsd on both sides of the threshold.
    func testMinimumNormEqualsPseudoInverseSolution() throws {
        for (n, p) in [(30, 10), (10, 30), (20, 20)] {
            let phi = random(n, p, seed: UInt64(n * 100 + p)), y = random(n, 2, seed: 7)
            let ours = try MinimumNorm.solve(phi, y)
            let lapack = try minimumNormLeastSquares(phi, y).solution
            for i in 0..<ours.count { XCTAssertEqual(ours.storage[i], lapack.storage[i], accuracy: 1e-8 * max(1, abs(lapack.storage[i])), "n=\(n) p=\(p)") }
        }
    }

    /// Gradient descent from w = 0 on under-determined least squares stays in the row space and
    /// converges to the minimum-norm interpolant X⁺y (the implicit bias of GD).
    func testGradientDescentFromZeroConvergesToMinimumNorm() throws {
        let x = random(8, 20, seed: 3)
        var g = Generator(seed: 4)
        let y: [Double] = g.normalVector(8)
        let target = try MinimumNorm.solve(x, Matrix(rows: 8, cols: 1, storage: y)).storage
        var w = [Double](repeating: 0, count: 20)
        let lambdaMax = try symmetricEigen(matmul(x, transA: true, x), vectors: false).values.last!
        let eta = 1 / lambdaMax
        for _ in 0..<20_000 {
            let r = zip(matvec(x, w), y).map { $0 - $1 }
            axpy(-eta, matvec(x, transposed: true, r), &w)
        }
        for (a, b) in zip(w, target) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    /// The closed form of Hastie et al. at several γ, written out by hand.
    func testRidgelessClosedForm() {
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 0.5, signal: 1, noise: 0.5), 0.25 * 0.5 / 0.5, accuracy: 1e-15)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 0.9, signal: 1, noise: 1), 9, accuracy: 1e-12)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 2, signal: 1, noise: 1), 0.5 + 1, accuracy: 1e-15)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 5, signal: 2, noise: 0), 4 * 0.8, accuracy: 1e-15)
        XCTAssertTrue(RidgelessTheory.excessRisk(gamma: 1, signal: 1, noise: 1).isInfinite)
    }

    /// Simulation against the closed form away from γ = 1 (n = 100, 40 trials), end to end.
    func testRidgelessSweepEndToEnd() throws {
        let r = try RidgelessExperiment(samples: 100, gammas: [0.25, 0.5, 1.0, 2, 4], trials: 40).run(command: "test")
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        XCTAssertEqual(r.verdicts[1].supported, true, r.verdicts[1].evidence)
        XCTAssertThrowsError(try RidgelessExperiment(trials: 1).run(command: "t")) { e in XCTAssertEqual((e as? GenLabError)?.exitCode, 2) }
        XCTAssertThrowsError(try RidgelessExperiment(gammas: [2, 1]).run(command: "t"))
    }

    /// A sweep killed half-way resumes from its checkpoints and gives the same final results.
    func testSweepResumesAfterInterruption() throws {
        let dir = NSTemporaryDirectory() + "genlab-sweep-" + UUID().uuidString
        let split = try DatasetSpec(parsing: "mnist1d:train=150,test=100").load()
        let exp = RandomFeaturesSweep(data: "mnist1d", kind: .relu, counts: [50, 150, 400], seeds: 1)
        let full = try exp.run(split, command: "t", checkpoint: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, 3)
        // "Kill" it: remove one finished point, as if the run had stopped before it.
        try FileManager.default.removeItem(atPath: dir + "/" + files[1])
        let resumed = try exp.run(split, command: "t", checkpoint: dir)
        XCTAssertEqual(resumed.tables, full.tables)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.count, 3)
    }

    func testWidthSweepBadInputs() throws {
        let split = try DatasetSpec(parsing: "mnist1d:train=100,test=50").load()
        XCTAssertThrowsError(try WidthSweep(widths: [8, 4]).run(split, command: "t")) { e in XCTAssertEqual((e as? GenLabError)?.exitCode, 2) }
        XCTAssertThrowsError(try WidthSweep(widths: [4], labelNoise: 1.5).run(split, command: "t")) { e in XCTAssertTrue("\(e)".contains("[0, 1]")) }
    }
}

import Datasets
import Experiments
import LinearAlgebra
import XCTest

final class BiasVarianceTests: XCTestCase {
    /// The decomposition identity at every capacity, and the bad-input errors.
    func testIdentityAndEndToEnd() throws {
        let r = try BiasVarianceExperiment(axis: .features, capacities: [2, 8, 40, 200], trials: 6, testPoints: 100).run(command: "t")
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        let t = r.tables[0]
        for (b, v, n, total) in zip4(t.column("bias2"), t.column("variance"), t.column("noise"), t.column("total")) {
            XCTAssertEqual(b + v + n, total, accuracy: 1e-9 * max(1, total))
        }
        let width = try BiasVarianceExperiment(axis: .width, capacities: [2, 16], trials: 3, testPoints: 50).run(command: "t")
        XCTAssertEqual(width.verdicts[0].supported, true, width.verdicts[0].evidence)
        let deg = try BiasVarianceExperiment(axis: .degree, capacities: [0, 1, 3], trials: 4, testPoints: 50).run(command: "t")
        XCTAssertEqual(deg.tables[0].rows.count, 3)
        XCTAssertThrowsError(try BiasVarianceExperiment(trials: 1).run(command: "t")) { e in XCTAssertEqual((e as? GenLabError)?.exitCode, 2) }
        XCTAssertThrowsError(try BiasVarianceExperiment(capacities: [8, 4]).run(command: "t"))
    }

    /// Zero noise and a capacity that contains f: bias² → 0 and the total equals the variance.
    func testNoNoiseLinearTruth() throws {
        var reg = Regression(); reg.function = .linear; reg.dimension = 1; reg.noise = 0; reg.trainCount = 20
        let r = try BiasVarianceExperiment(axis: .degree, regression: reg, capacities: [1], trials: 5, testPoints: 50).run(command: "t")
        XCTAssertEqual(r.tables[0].column("bias2")[0], 0, accuracy: 1e-12)
        XCTAssertEqual(r.tables[0].column("variance")[0], 0, accuracy: 1e-12)
    }

    /// Domingos' decomposition is exact where the naive sum is not; bad inputs are usage errors.
    func testZeroOneDecomposition() throws {
        let r = try ZeroOneDecomposition(capacities: [10, 100, 400], trials: 5, testPoints: 200).run(command: "t")
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        XCTAssertLessThan(r.tables[0].column("identity_max_error").max()!, 1e-12)
        XCTAssertGreaterThan(r.verdicts[0].values["naive_sum_max_gap"]!, 0.01, "the plain sum is off")
        XCTAssertThrowsError(try ZeroOneDecomposition(trials: 1).run(command: "t"))
        XCTAssertThrowsError(try ZeroOneDecomposition(labelNoise: 2).run(command: "t"))
    }

    func zip4(_ a: [Double], _ b: [Double], _ c: [Double], _ d: [Double]) -> [(Double, Double, Double, Double)] {
        (0..<a.count).map { (a[$0], b[$0], c[$0], d[$0]) }
    }
}

import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// The perceptron against the dimension: a tiny run through every verdict (the mistake bound is
/// a theorem, so it must hold), the VC bound against its formula, bad grids as usage errors.
final class DimensionFreeRiskTests: XCTestCase {
    func testTinyRunHoldsTheTheorems() throws {
        let r = try DimensionFreeRisk(dimensions: [10, 100, 1000], n: 100, trials: 24, testCount: 500).execute(
            RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 4)
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        // The positive control: R/γ fourfold raises the risk, and the rule sees it.
        XCTAssertEqual(r.verdicts[3].supported, true, r.verdicts[3].evidence)
        XCTAssertNotEqual(r.verdicts[1].supported, false, r.verdicts[1].evidence)
        let t = r.tables[0]
        XCTAssertEqual(t.column("dimension"), [10, 100, 1000])
        XCTAssertTrue(zip(t.column("max_mistakes"), t.column("mistake_bound")).allSatisfy { $0 <= $1 })
        // The VC bound grows with d; the perceptron's bound does not move.
        XCTAssertLessThan(t.column("vc_bound")[0], t.column("vc_bound")[2])
        XCTAssertEqual(Set(t.column("risk_bound")).count, 1)
    }

    /// The "does not grow" rule on built runs: a risk that grows by a point per tenfold d is
    /// "not supported"; a flat one is "supported".
    func testGrowthRuleOnBuiltRuns() {
        let e = DimensionFreeRisk(trials: 8, testCount: 2000)
        var g = Generator(seed: 4)
        func runs(_ risk: (Int) -> Double) -> [[DimensionFreeRisk.Trial]] {
            (0..<3).map { k in
                (0..<8).map { _ in .init(risk: max(0, risk(k) + 0.002 * g.normal()), mistakes: 10, converged: true) }
            }
        }
        XCTAssertEqual(e.growth([10, 100, 1000], runs { 0.02 + 0.01 * Double($0) }).rule.supported, false)
        XCTAssertEqual(e.growth([10, 100, 1000], runs { _ in 0.02 }).rule.supported, true)
    }

    func testVCBoundFormula() {
        // (2/n)(d log₂(2en/d) + log₂(2/δ)) at d = 10, n = 500, δ = 0.05, written out.
        let expected = 2.0 / 500 * (10 * log(2 * exp(1.0) * 50) / log(2.0) + log(40.0) / log(2.0))
        XCTAssertEqual(DimensionFreeRisk.vcBound(dimension: 10, n: 500, delta: 0.05), expected, accuracy: 1e-12)
        // d ≥ n: the growth function is 2ⁿ, the bound above 1 (vacuous).
        XCTAssertGreaterThan(DimensionFreeRisk.vcBound(dimension: 1000, n: 500, delta: 0.05), 1)
    }

    func testBadInputs() {
        for e in [
            DimensionFreeRisk(dimensions: [10]), DimensionFreeRisk(dimensions: [100, 10]), DimensionFreeRisk(trials: 1),
            DimensionFreeRisk(delta: 1),
        ] {
            XCTAssertThrowsError(try e.execute(RunContext(command: "t"))) {
                XCTAssertEqual(($0 as? GenLabError)?.exitCode, 2)
            }
        }
    }
}

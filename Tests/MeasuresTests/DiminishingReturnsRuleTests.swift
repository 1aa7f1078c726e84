import LinearAlgebra
import XCTest

@testable import Measures

/// `QuadraticFit` against exact parabolas, and `VerdictRules.diminishingReturns` on seeds of
/// parabolas: its error rates on both boundary nulls, its power, and "not supported" on returns
/// that do not shrink (a straight line in log₂ parameters: a constant gain per doubling).
final class DiminishingReturnsRuleTests: XCTestCase {
    func testQuadraticFitRecoversAParabola() throws {
        let x: [Double] = [6, 7, 8, 9, 10, 11]
        let f = try QuadraticFit(x: x, y: x.map { 0.7 + 0.02 * $0 - 0.003 * $0 * $0 })
        for v in x { XCTAssertEqual(f.value(at: v), 0.7 + 0.02 * v - 0.003 * v * v, accuracy: 1e-12) }
        XCTAssertEqual(2 * f.c, -0.006, accuracy: 1e-12)
        XCTAssertEqual(f.slope(at: 8), 0.02 - 0.006 * 8, accuracy: 1e-12)
        XCTAssertThrowsError(try QuadraticFit(x: [1, 1, 2], y: [0, 0, 1]))
    }

    let seeds = 5, repetitions = 2000
    let x: [Double] = [6, 7, 8, 9, 10]

    /// Seeds whose accuracy is a + b·x + (change/2)·x² + run noise (σ = 0.004), each seed with its
    /// own level; the rate of `outcome`.
    func rate(change: Double, outcome: Bool, seed: UInt64) -> Double {
        var g = Generator(seed: seed)
        var hits = 0
        for _ in 0..<repetitions {
            var xs = [Double]()
            var ys = [Double]()
            var cs = [Int]()
            for s in 0..<seeds {
                let level = 0.8 + 0.01 * g.normal()
                for v in x {
                    xs.append(v)
                    ys.append(level + 0.01 * v + change / 2 * (v - 8) * (v - 8) + 0.004 * g.normal())
                    cs.append(s)
                }
            }
            if VerdictRules.diminishingReturns(x: xs, y: ys, clusters: cs, leastEffect: 0.002).supported == outcome {
                hits += 1
            }
        }
        return Double(hits) / Double(repetitions)
    }

    func testBoundaryNullsPowerAndConstantReturns() {
        let limit = Double(VerdictRuleTests.nullCeiling(repetitions)) / Double(repetitions)
        // Constant returns (no change of the gain): "supported" must stay rare.
        let falseDiminishing = rate(change: 0, outcome: true, seed: 1)
        // A shrinkage exactly at the least effect: "not supported" must stay rare.
        let falseNothing = rate(change: -0.002, outcome: false, seed: 2)
        // Power at a shrinkage of 0.005 per step, and constant returns concluded with a wide margin.
        let power = rate(change: -0.005, outcome: true, seed: 3)
        let constant = rate(change: 0, outcome: false, seed: 4)
        let growing = rate(change: 0.003, outcome: false, seed: 5)
        print(
            "diminishing returns: false 'supported' \(falseDiminishing), false 'not supported' \(falseNothing), power "
                + "\(power), constant returns not supported \(constant), growing returns \(growing)"
        )
        XCTAssertLessThanOrEqual(falseDiminishing, limit)
        XCTAssertLessThanOrEqual(falseNothing, limit)
        XCTAssertGreaterThanOrEqual(power, 0.8)
        // Not supported on data built for it: returns that grow with each doubling, and, at this
        // design's power (the margin is about 1.3 standard errors), constant returns often.
        XCTAssertGreaterThanOrEqual(growing, 0.8)
        XCTAssertGreaterThanOrEqual(constant, 0.25)
    }
}

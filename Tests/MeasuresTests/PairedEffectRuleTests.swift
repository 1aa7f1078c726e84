import LinearAlgebra
@testable import Measures
import XCTest

/// `VerdictRules.lowers`: its two error rates on their boundary nulls, strong enough to fail a
/// rule at 5%, and its power on a planted reduction.
final class PairedEffectRuleTests: XCTestCase {
    let pairs = 5, repetitions = 4000

    func rate(mean: Double, outcome: Bool, seed: UInt64) -> Double {
        var g = Generator(seed: seed)
        var hits = 0
        for _ in 0..<repetitions {
            let d = (0..<pairs).map { _ in mean + g.normal() }
            if VerdictRules.lowers(differences: d, leastEffect: 1, what: "d").supported == outcome { hits += 1 }
        }
        return Double(hits) / Double(repetitions)
    }

    func testBoundaryNullsAndPower() {
        // Below the lower 5% quantile of Binomial(N, 0.05): a rule at exactly 5% fails.
        let limit = Double(VerdictRuleTests.nullCeiling(repetitions)) / Double(repetitions)
        XCTAssertLessThan(limit, 0.05)
        // "Lowers" when nothing changes (mean difference exactly 0).
        let falseLowers = rate(mean: 0, outcome: true, seed: 1)
        // "Buys nothing" when the reduction is exactly the least effect that matters (σ = 1 = margin).
        let falseNothing = rate(mean: -1, outcome: false, seed: 2)
        // Power at a planted reduction of 2 standard deviations of one pair's difference.
        let power = rate(mean: -2, outcome: true, seed: 3)
        print("lowers: false 'supported' \(falseLowers), false 'buys nothing' \(falseNothing), power \(power)")
        XCTAssertLessThanOrEqual(falseLowers, limit)
        XCTAssertLessThanOrEqual(falseNothing, limit)
        XCTAssertGreaterThanOrEqual(power, 0.8)
        // No change at all and little scatter: "buys nothing" is concluded.
        XCTAssertEqual(VerdictRules.lowers(differences: [0.001, -0.002, 0.0, 0.001], leastEffect: 0.01, what: "d").supported, false)
    }
}

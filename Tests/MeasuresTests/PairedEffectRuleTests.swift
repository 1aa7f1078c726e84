import LinearAlgebra
import XCTest

@testable import Measures

/// `VerdictRules.lowers`: its two error rates on their boundary nulls, strong enough to fail a
/// rule at 5%, and its power on a planted reduction.
final class PairedEffectRuleTests: XCTestCase {
    func testBoundaryNullsAndPower() {
        // "Lowers" when nothing changes, "buys nothing" when the reduction is exactly the least effect, power at 2σ.
        PairedRuleRates(direction: -1) { VerdictRules.lowers(differences: $0, leastEffect: 1, what: "d") }.check(
            "lowers")
        // No change at all and little scatter: "buys nothing" is concluded.
        XCTAssertEqual(
            VerdictRules.lowers(differences: [0.001, -0.002, 0.0, 0.001], leastEffect: 0.01, what: "d").supported, false
        )
    }
}

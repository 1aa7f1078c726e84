import LinearAlgebra
import XCTest

@testable import Measures

/// The error rates and power of a rule on paired differences, by simulation under normal scatter
/// with σ = 1 = the rule's least effect: the boundary null of "supported" (mean 0), the boundary
/// null of "not supported" (mean at the least effect, on the side the rule looks for), and the
/// power at 2σ on that side. `direction` is −1 for a rule that looks for a reduction, +1 for an
/// excess. Shared by the rules' tests so that each states only its rule.
struct PairedRuleRates {
    var n = 5, repetitions = 4000
    var direction: Double
    var rule: ([Double]) -> RuleOutcome

    /// The fraction of repetitions in which the rule's outcome is `outcome`, differences of mean `mean`.
    func rate(mean: Double, outcome: Bool, seed: UInt64) -> Double {
        var g = Generator(seed: seed)
        var hits = 0
        for _ in 0..<repetitions {
            let d = (0..<n).map { _ in mean + g.normal() }
            if rule(d).supported == outcome { hits += 1 }
        }
        return Double(hits) / Double(repetitions)
    }

    /// Both boundary nulls below the count that fails a rule at 5% (`nullCeiling`), and power ≥ 80% at 2σ.
    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let limit = Double(VerdictRuleTests.nullCeiling(repetitions)) / Double(repetitions)
        XCTAssertLessThan(limit, 0.05, file: file, line: line)
        let falseSupported = rate(mean: 0, outcome: true, seed: 1)
        let falseNot = rate(mean: direction, outcome: false, seed: 2)
        let power = rate(mean: 2 * direction, outcome: true, seed: 3)
        print("\(name): false 'supported' \(falseSupported), false 'not supported' \(falseNot), power \(power)")
        XCTAssertLessThanOrEqual(falseSupported, limit, file: file, line: line)
        XCTAssertLessThanOrEqual(falseNot, limit, file: file, line: line)
        XCTAssertGreaterThanOrEqual(power, 0.8, file: file, line: line)
    }
}

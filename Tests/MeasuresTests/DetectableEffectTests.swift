import Foundation
import LinearAlgebra
import XCTest

@testable import Measures

/// The minimum detectable effect each rule reports: a planted effect of exactly the MDE (as the
/// rule computes it from the true scatter) is called "supported" about 80% of the time, by
/// simulation; and the rule states it in its values and its reason.
final class DetectableEffectTests: XCTestCase {
    let repetitions = 1500

    /// The fraction of repetitions in which `rule` says supported.
    func rate(seed: UInt64, _ rule: (inout Generator) -> RuleOutcome) -> Double {
        var g = Generator(seed: seed)
        return Double((0..<repetitions).filter { _ in rule(&g).supported == true }.count) / Double(repetitions)
    }

    /// The MDE a rule reports, averaged over runs of a null design (its scatter estimated each time).
    func meanMDE(seed: UInt64, _ rule: (inout Generator) -> RuleOutcome) -> Double {
        var g = Generator(seed: seed)
        return Stats.mean((0..<400).map { _ in rule(&g).values["mde"]! })
    }

    func assertAboutEighty(_ r: Double, _ what: String) {
        print("\(what): supported \(r) at the MDE")
        XCTAssertGreaterThan(r, 0.72, what)
        XCTAssertLessThan(r, 0.88, what)
    }

    func testPositiveSlopeAtItsMDE() {
        let x = (0..<8).flatMap { i in [Double](repeating: Double(i), count: 3) }
        func rule(_ slope: Double) -> (inout Generator) -> RuleOutcome {
            { g in VerdictRules.positiveSlope(x: x, y: x.map { slope * $0 + g.normal() }, margin: 10) }
        }
        let mde = meanMDE(seed: 1, rule(0))
        var g = Generator(seed: 99)
        let r = rule(0)(&g)
        XCTAssertTrue(r.reason.contains("could have detected a slope of ≥"), r.reason)
        assertAboutEighty(rate(seed: 2, rule(mde)), "positiveSlope")
    }

    func testPairedReductionAtItsMDE() {
        func rule(_ effect: Double) -> (inout Generator) -> RuleOutcome {
            { g in
                VerdictRules.lowers(
                    differences: (0..<10).map { _ in -effect + g.normal() }, leastEffect: 1e-9, what: "d")
            }
        }
        assertAboutEighty(rate(seed: 4, rule(meanMDE(seed: 3, rule(0)))), "lowers")
    }

    func testBelowEverywhereAtItsMDE() {
        func rule(_ below: Double) -> (inout Generator) -> RuleOutcome {
            { g in VerdictRules.belowEverywhere(samples: [(0..<8).map { _ in -below + g.normal() }], limits: [0]) }
        }
        assertAboutEighty(rate(seed: 6, rule(meanMDE(seed: 5, rule(0)))), "belowEverywhere")
    }

    /// A peak needs a rise and a fall: each side is planned at √0.8 power, so both hold about 80%.
    func testInteriorPeakAtItsMDE() {
        let x = (0..<9).map(Double.init)
        func rule(_ height: Double) -> (inout Generator) -> RuleOutcome {
            { g in
                let samples = x.map { xi in (0..<3).map { _ in (xi == 4 ? height : 0) + 0.05 * g.normal() } }
                return VerdictRules.interiorPeak(VerdictRules.Curve(x: x, samples: samples), margin: 10)
            }
        }
        let mde = meanMDE(seed: 7, rule(0))
        let r = rate(seed: 8, rule(mde))
        print("interiorPeak: supported \(r) at its MDE \(mde)")
        // Bonferroni over the candidates: the best of several candidates can beat the planted one, so allow more.
        XCTAssertGreaterThan(r, 0.72)
        XCTAssertLessThan(r, 0.95)
    }
}

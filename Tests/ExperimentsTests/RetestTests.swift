import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// Test-set reuse: the rules on synthetic leaderboards (order kept or shuffled, picks that hold
/// up or collapse, a shift with slope above or below one), a tiny real run, bad inputs.
final class RetestTests: XCTestCase {
    func models(_ n: Int, fresh: (Double, Int) -> Double, shifted: (Double) -> Double) -> [Retest.Model] {
        var g = Generator(seed: 5)
        let ms = (0..<n).map { i in
            let a = 0.3 + 0.6 * Double(i) / Double(n) + 0.002 * g.normal()
            // Seeds i and i + 1 (i even) are one setting: two near-equal candidates for the control.
            var m = Retest.Model(
                family: "f\((i / 2) % 6)", learningRate: 0.1, epochs: i / 2, seed: i % 2, original: a,
                fresh: fresh(a, i), shifted: shifted(a),
                selected: i >= n - 12 && i % 2 == 1)
            m.controlAccuracies = blocks(a, &g)
            return m
        }
        return ms
    }

    /// The control's 20 blocks of 100 samples: binomial noise of about 4.6 points each.
    func blocks(_ a: Double, _ g: inout Generator) -> [Double] {
        (0..<20).map { _ in a + (a * (1 - a) / 100).squareRoot() * g.normal() }
    }

    /// The design's worst case: every candidate of a family equally good, the pick made on
    /// test-set noise alone (2,000 samples), 30 families of 8 candidates.
    func testWorstCaseReuseIsNotSupported() {
        var g = Generator(seed: 21)
        var ms = [Retest.Model]()
        for f in 0..<30 {
            let p = 0.5 + 0.01 * Double(f)
            let sd = (p * (1 - p) / 2000).squareRoot()
            var family = (0..<8).map { k in
                Retest.Model(
                    family: "f\(f)", learningRate: 0.1, epochs: 1, seed: k, original: p + sd * g.normal(),
                    fresh: p + 0.002 * g.normal(), shifted: p,
                    controlAccuracies: blocks(p, &g))
            }
            family[family.indices.max { family[$0].original < family[$1].original }!].selected = true
            ms += family
        }
        let r = Retest().result(ms, testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(r.verdicts[1].supported, true, "the control sees reuse: " + r.verdicts[1].evidence)
        XCTAssertEqual(r.verdicts[2].supported, false, r.verdicts[2].evidence)
        let worst = r.verdicts[2].values["worst_case_extra_drop"]!
        XCTAssertEqual(
            worst, 0.0135, accuracy: 0.004,
            "E[max of 8 normals] ≈ 1.42 sd plus the others' deficit, sd ≈ 1.1 points")
    }

    func testRulesOnSyntheticLeaderboards() {
        let e = Retest()
        var g = Generator(seed: 8)
        let good = e.result(
            models(40, fresh: { a, _ in a + 0.002 * g.normal() }, shifted: { 1.3 * $0 - 0.35 }), testCount: 2000,
            seconds: 0, command: "t")
        XCTAssertEqual(
            good.verdicts.map(\.supported), [true, true, true, true, true],
            good.verdicts.map(\.evidence).joined(separator: "\n"))
        // A shuffled order on the fresh set.
        let shuffled = e.result(
            models(40, fresh: { _, _ in 0.3 + 0.6 * g.uniform() }, shifted: { $0 }), testCount: 2000, seconds: 0,
            command: "t")
        XCTAssertEqual(shuffled.verdicts[0].supported, false, shuffled.verdicts[0].evidence)
        // Picks that lose 10 points where the others hold, and a shift that flattens the gains.
        let bad = e.result(
            models(
                40, fresh: { a, i in (i >= 28 && i % 2 == 1 ? a - 0.1 : a) + 0.002 * g.normal() },
                shifted: { 0.5 * $0 + 0.3 }),
            testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(bad.verdicts[2].supported, false, bad.verdicts[2].evidence)
        XCTAssertEqual(bad.verdicts[4].supported, false, bad.verdicts[4].evidence)
        // A fresh test set that is uniformly harder moves picks and others alike: no overfitting.
        let harder = e.result(
            models(40, fresh: { a, _ in a - 0.05 + 0.002 * g.normal() }, shifted: { $0 }), testCount: 2000, seconds: 0,
            command: "t")
        XCTAssertEqual(harder.verdicts[2].supported, true, harder.verdicts[2].evidence)
        // A control that shows nothing (the picks on the small set hold up): the main verdict cannot be decided.
        let blind = models(40, fresh: { a, _ in a + 0.002 * g.normal() }, shifted: { $0 }).map { m -> Retest.Model in
            var m = m
            m.controlAccuracies = [Double](repeating: m.fresh, count: 20)
            return m
        }
        let noControl = e.result(blind, testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(noControl.verdicts[1].supported, false, noControl.verdicts[1].evidence)
        XCTAssertNil(noControl.verdicts[2].supported, noControl.verdicts[2].evidence)
    }

    func testTinyRunAndBadInputs() throws {
        let r = try Retest(
            data: "mnist1d:train=200,test=200", families: ["linear", "mlp:16", "mlp:64"], learningRates: [0.05],
            epochs: [3], seeds: 2, freshCount: 200
        )
        .execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 5)
        XCTAssertEqual(r.tables[0].rows.count, 6)
        XCTAssertEqual(r.tables[0].column("selected").reduce(0, +), 3, "one pick per family")
        XCTAssertEqual(r.tables[1].rows.count, 6 * 2, "two control blocks of 100 per model")
        for bad in [Retest(data: "separable"), Retest(families: ["mlp:8", "mlp:16"]), Retest(freshCount: 10)] {
            XCTAssertThrowsError(try bad.execute(RunContext(command: "t"))) {
                XCTAssertEqual(($0 as? GenLabError)?.exitCode, 2)
            }
        }
    }
}

@testable import Experiments
import Foundation
import LinearAlgebra
import XCTest

/// Test-set reuse: the rules on synthetic leaderboards (order kept or shuffled, picks that hold
/// up or collapse, a shift with slope above or below one), a tiny real run, bad inputs.
final class RetestTests: XCTestCase {
    func models(_ n: Int, fresh: (Double, Int) -> Double, shifted: (Double) -> Double) -> [Retest.Model] {
        var g = Generator(seed: 5)
        return (0..<n).map { i in
            let a = 0.3 + 0.6 * Double(i) / Double(n) + 0.002 * g.normal()
            return Retest.Model(family: "f\(i % 6)", learningRate: 0.1, epochs: 1, seed: i, original: a, fresh: fresh(a, i), shifted: shifted(a), selected: i >= n - 6)
        }
    }

    func testRulesOnSyntheticLeaderboards() {
        let e = Retest()
        var g = Generator(seed: 8)
        let good = e.result(models(40, fresh: { a, _ in a + 0.002 * g.normal() }, shifted: { 1.3 * $0 - 0.35 }), testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(good.verdicts.map(\.supported), [true, true, true, true], good.verdicts.map(\.evidence).joined(separator: "\n"))
        // A shuffled order on the fresh set.
        let shuffled = e.result(models(40, fresh: { _, _ in 0.3 + 0.6 * g.uniform() }, shifted: { $0 }), testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(shuffled.verdicts[0].supported, false, shuffled.verdicts[0].evidence)
        // Picks that lose 10 points where the others hold, and a shift that flattens the gains.
        let bad = e.result(models(40, fresh: { a, i in (i >= 34 ? a - 0.1 : a) + 0.002 * g.normal() }, shifted: { 0.5 * $0 + 0.3 }),
                           testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(bad.verdicts[1].supported, false, bad.verdicts[1].evidence)
        XCTAssertEqual(bad.verdicts[3].supported, false, bad.verdicts[3].evidence)
        // A fresh test set that is uniformly harder moves picks and others alike: no overfitting.
        let harder = e.result(models(40, fresh: { a, _ in a - 0.05 + 0.002 * g.normal() }, shifted: { $0 }), testCount: 2000, seconds: 0, command: "t")
        XCTAssertEqual(harder.verdicts[1].supported, true, harder.verdicts[1].evidence)
    }

    func testTinyRunAndBadInputs() throws {
        let r = try Retest(data: "mnist1d:train=200,test=200", families: ["linear", "mlp:16", "mlp:64"], learningRates: [0.05], epochs: [3], seeds: 2, freshCount: 200)
            .execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 4)
        XCTAssertEqual(r.tables[0].rows.count, 6)
        XCTAssertEqual(r.tables[0].column("selected").reduce(0, +), 3, "one pick per family")
        for bad in [Retest(data: "separable"), Retest(families: ["mlp:8", "mlp:16"]), Retest(freshCount: 10)] {
            XCTAssertThrowsError(try bad.execute(RunContext(command: "t"))) { XCTAssertEqual(($0 as? GenLabError)?.exitCode, 2) }
        }
    }
}

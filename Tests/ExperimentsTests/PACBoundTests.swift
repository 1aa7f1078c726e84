import Foundation
import LinearAlgebra
import XCTest

@testable import Experiments

/// The PAC experiment: error counts against a direct count, the bound's formulas against each
/// other, a tiny run whose bound (a theorem) holds, and bad inputs.
final class PACBoundTests: XCTestCase {
    func testErrorCountsAgainstDirectCount() {
        var g = Generator(seed: 4)
        let points = (0..<200).map { _ in (x: g.uniform(), y: g.uniform() < 0.5) }
        let ts = PACBound.thresholds(37)
        let fast = PACBound.errorCounts(points, thresholds: ts)
        for (j, t) in ts.enumerated() {
            let direct = points.filter { ($0.x >= t) != $0.y }.count
            XCTAssertEqual(fast[j], direct, "threshold \(t)")
        }
    }

    /// The exact risk of h_t against a Monte Carlo estimate, and n(ε) inverting ε_δ(n).
    func testTrueRiskAndSampleSize() {
        let e = PACBound(labelNoise: 0.1, threshold: 0.3)
        var g = Generator(seed: 9)
        let m = 200_000
        var wrong = 0
        for _ in 0..<m {
            let x = g.uniform()
            let clean = x >= 0.3
            let y = g.uniform() < 0.1 ? !clean : clean
            if (x >= 0.7) != y { wrong += 1 }
        }
        XCTAssertEqual(Double(wrong) / Double(m), e.trueRisk(0.7), accuracy: 4 * (0.42 * 0.58 / Double(m)).squareRoot())
        let n = PACBound.sampleSize(classSize: 100, epsilon: 0.05, delta: 0.05)
        XCTAssertEqual(
            PACBound.deviationBound(classSize: 100, n: Int(n.rounded(.up)), delta: 0.05), 0.05, accuracy: 1e-4)
    }

    func testTinyRunBoundHolds() throws {
        let r = try PACBound(sizes: [50, 200], classSizes: [10, 100], draws: 100).execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.count, 2)
        // The bound is a theorem: it cannot be refuted (it may be inconclusive with few draws).
        XCTAssertNotEqual(r.verdicts[0].supported, false, r.verdicts[0].evidence)
        XCTAssertTrue(r.tables[0].column("slack").allSatisfy { $0 >= 1 }, "ε_δ is above the measured quantile")
        for bad in [PACBound(delta: 0), PACBound(epsilon: 1.5), PACBound(sizes: [100, 50]), PACBound(draws: 5)] {
            XCTAssertThrowsError(try bad.execute(RunContext(command: "t"))) {
                XCTAssertEqual(($0 as? GenLabError)?.exitCode, 2)
            }
        }
    }
}

import LinearAlgebra
import XCTest

@testable import Measures

/// Every verdict rule on synthetic curves: each of its three outcomes where the curve forces it,
/// and its rate of "supported" on a null (a curve without the effect), measured by simulation.
/// With R simulations, the observed rate's 95% upper bound is about rate + 2√(rate/R); the
/// thresholds below leave that room above 5%.
final class VerdictRuleTests: XCTestCase {
    let grid: [Double] = [2, 4, 6, 8, 10, 12, 16, 20, 27, 34, 40, 47, 54, 61, 75, 100, 150, 200, 300]

    func curve(_ f: (Double) -> Double, noise: Double, seeds: Int, _ rng: inout Generator) -> VerdictRules.Curve {
        VerdictRules.Curve(x: grid, samples: grid.map { x in (0..<seeds).map { _ in f(x) + noise * rng.normal() } })
    }

    func rate(_ runs: Int, _ outcome: (inout Generator) -> Bool?) -> (
        supported: Double, notSupported: Double, inconclusive: Double
    ) {
        var rng = Generator(seed: 42)
        var s = 0
        var n = 0
        var i = 0
        for _ in 0..<runs {
            switch outcome(&rng) {
            case .some(true): s += 1
            case .some(false): n += 1
            case .none: i += 1
            }
        }
        return (Double(s) / Double(runs), Double(n) / Double(runs), Double(i) / Double(runs))
    }

    /// Double descent: a bump at the threshold on a falling curve.
    func doubleDescent(_ x: Double, height: Double) -> Double {
        0.45 - 0.1 * log(x) / log(300) + height * exp(-pow(log(x / 47), 2) / (2 * 0.25 * 0.25))
    }

    func testPeakNearThreeOutcomes() {
        let supported = rate(300) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0.1) }, noise: 0.02, seeds: 3, &rng), threshold: 47, margin: 0.02
            ).supported
        }
        XCTAssertGreaterThan(supported.supported, 0.9, "\(supported)")
        let notSupported = rate(300) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0) }, noise: 0.003, seeds: 3, &rng), threshold: 47, margin: 0.02
            ).supported
        }
        XCTAssertGreaterThan(notSupported.notSupported, 0.9, "\(notSupported)")
        let inconclusive = rate(300) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0.03) }, noise: 0.05, seeds: 2, &rng), threshold: 47,
                margin: 0.02
            ).supported
        }
        XCTAssertGreaterThan(inconclusive.inconclusive, 0.7, "\(inconclusive)")
        // A grid that does not reach past the threshold cannot tell.
        var rng = Generator(seed: 1)
        XCTAssertNil(
            VerdictRules.peakNear(curve({ _ in 0.3 }, noise: 0.01, seeds: 3, &rng), threshold: 400, margin: 0.02)
                .supported)
    }

    /// Null: no peak (flat, or falling), with seeds, and with one seed (scatter from roughness).
    func testPeakNearFalsePositiveRate() {
        for (name, f) in [("flat", { (_: Double) in 0.3 }), ("falling", { self.doubleDescent($0, height: 0) })]
            as [(String, (Double) -> Double)]
        {
            for seeds in [1, 3] {
                let r = rate(1000) { rng in
                    VerdictRules.peakNear(curve(f, noise: 0.02, seeds: seeds, &rng), threshold: 47, margin: 0.02)
                        .supported
                }
                print("peakNear on a \(name) null, \(seeds) seed(s): supported at rate \(r.supported)")
                XCTAssertLessThanOrEqual(r.supported, 0.05, "\(name), \(seeds) seed(s): \(r)")
            }
        }
    }

    /// The one-seed scatter estimate recovers σ on a smooth curve.
    func testScatterFromRoughness() {
        var rng = Generator(seed: 3)
        let y = (0..<400).map { i in 0.5 - 0.001 * Double(i) + 0.02 * rng.normal() }
        XCTAssertEqual(VerdictRules.scatterFromRoughness(y)!, 0.02, accuracy: 0.004)
        // A few points at a sharp bend do not move it much.
        var bent = y
        for i in 200..<203 { bent[i] += 0.5 }
        XCTAssertEqual(VerdictRules.scatterFromRoughness(bent)!, 0.02, accuracy: 0.005)
        XCTAssertNil(VerdictRules.scatterFromRoughness([1, 2, 3]))
    }

    /// The last point against the first half: below all, above one, tied (the null).
    func testLowerThanAllThreeOutcomesAndNull() {
        let others = Array(0..<9)
        let last = grid.count - 1
        func run(_ f: @escaping (Double) -> Double, seeds: Int, noise: Double = 0.02) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(1000) { rng in
                VerdictRules.lowerThanAll(self.curve(f, noise: noise, seeds: seeds, &rng), point: last, others: others)
                    .supported
            }
        }
        // Falling: the last point is 0.17 below the lowest of the others.
        XCTAssertGreaterThan(run({ 0.6 - 0.3 * log($0) / log(300) }, seeds: 3).supported, 0.95)
        // Rising: the last point is the highest.
        XCTAssertGreaterThan(run({ 0.3 + 0.1 * log($0) / log(300) }, seeds: 3).notSupported, 0.95)
        // A difference far inside the scatter.
        XCTAssertGreaterThan(run({ 0.5 - 0.005 * log($0) / log(300) }, seeds: 2, noise: 0.05).inconclusive, 0.8)
        // Nulls: flat, and a curve whose last point ties the lowest of the others, 1 and 3 seeds.
        let nulls: [(String, (Double) -> Double)] = [
            ("flat", { _ in 0.3 }), ("tied", { $0 == 16 || $0 == 300 ? 0.3 : 0.4 }),
        ]
        for (name, f) in nulls {
            for seeds in [1, 3] {
                let r = run(f, seeds: seeds)
                print("lowerThanAll on a \(name) null, \(seeds) seed(s): supported at rate \(r.supported)")
                XCTAssertLessThanOrEqual(r.supported, 0.05, "\(name), \(seeds) seed(s): \(r)")
            }
        }
    }

    /// A curve restricted to the compared points pools their scatter alone: a spike whose seeds
    /// spread 500 times wider (the interpolation threshold of a random-features sweep) beside a
    /// clear lead of the last point. Pooled over the whole curve, the lead is within the scatter.
    func testRestrictedCurvePoolsTheComparedPointsAlone() {
        let seeds: [Double] = [-0.01, 0, 0.01]
        let levels = [0.50, 0.52, 0.55, 7.0, 0.45]
        let samples = levels.enumerated().map { i, m in seeds.map { m + (i == 3 ? 500 * $0 : $0) } }
        let curve = VerdictRules.Curve(x: [1, 2, 3, 4, 5], samples: samples)
        XCTAssertNil(VerdictRules.lowerThanAll(curve, point: 4, others: [0, 1, 2]).supported)
        let compared = curve.restricted(to: [0, 1, 2, 4])
        XCTAssertEqual(compared.x, [1, 2, 3, 5])
        let r = VerdictRules.lowerThanAll(compared, point: 3, others: [0, 1, 2])
        XCTAssertEqual(r.supported, true, r.reason)
        XCTAssertEqual(r.values["closest_x"], 1)
        // Known standard errors travel with their points.
        let known = VerdictRules.Curve(
            x: [1, 2, 3], means: [0.5, 9, 0.45], standardErrors: [0.001, 100, 0.002], degreesOfFreedom: 10)
        let sub = known.restricted(to: [2, 0])
        XCTAssertEqual(sub.knownStandardErrors?.se, [0.002, 0.001])
        XCTAssertEqual(sub.knownStandardErrors?.df, 10)
        XCTAssertEqual(VerdictRules.lowerThanAll(sub, point: 0, others: [1]).supported, true)
    }

    /// Event counts against a probability limit: three outcomes, and the null (rate = limit).
    func testProbabilityAtMostThreeOutcomesAndNull() {
        func run(_ p: Double, draws: Int, points: Int = 5) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(200) { rng in
                let events = (0..<points).map { _ in (0..<draws).filter { _ in rng.uniform() < p }.count }
                return VerdictRules.probabilityAtMost(
                    events: events, draws: Array(repeating: draws, count: points),
                    limits: Array(repeating: 0.05, count: points)
                ).supported
            }
        }
        XCTAssertGreaterThan(run(0.005, draws: 1000).supported, 0.95)
        XCTAssertGreaterThan(run(0.2, draws: 500).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.05, draws: 100).inconclusive, 0.8)
        // The null (the rate at its limit at one point): testProbabilityAtMostCalibration.
    }

    func testIntervalAtLeastThreeOutcomesAndNull() {
        func run(_ mean: Double, _ noise: Double) -> (supported: Double, notSupported: Double, inconclusive: Double) {
            rate(1000) { rng in
                VerdictRules.intervalAtLeast(
                    Stats.tInterval((0..<10).map { _ in mean + noise * rng.normal() }), threshold: 0.8, what: "x"
                ).supported
            }
        }
        XCTAssertGreaterThan(run(0.95, 0.05).supported, 0.95)
        XCTAssertGreaterThan(run(0.6, 0.05).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.8, 0.3).inconclusive, 0.9)
        XCTAssertLessThanOrEqual(run(0.8, 0.1).supported, 0.05)
    }

    func testSlopeBelowThreeOutcomesAndNull() {
        let x = (0..<24).map { Double($0 % 8) }
        func run(_ slope: Double, _ noise: Double) -> (supported: Double, notSupported: Double, inconclusive: Double) {
            rate(1000) { rng in
                VerdictRules.slopeBelow(x: x, y: x.map { slope * $0 + noise * rng.normal() }, margin: 0.1).supported
            }
        }
        XCTAssertGreaterThan(run(-0.2, 0.2).supported, 0.95)
        XCTAssertGreaterThan(run(0.4, 0.2).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.1, 1).inconclusive, 0.85)
        // The null: growth exactly at the margin.
        XCTAssertLessThanOrEqual(run(0.1, 0.5).supported, 0.05)
    }

    func testPositiveSlopeThreeOutcomesAndNull() {
        let x = (0..<24).map { Double($0 % 8) }
        func run(_ slope: Double, _ noise: Double) -> (supported: Double, notSupported: Double, inconclusive: Double) {
            rate(1000) { rng in
                VerdictRules.positiveSlope(x: x, y: x.map { slope * $0 + noise * rng.normal() }, margin: 0.05).supported
            }
        }
        XCTAssertGreaterThan(run(0.3, 0.2).supported, 0.95)
        XCTAssertGreaterThan(run(0, 0.05).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.025, 1).inconclusive, 0.85)
        XCTAssertLessThanOrEqual(run(0, 0.5).supported, 0.05)
    }

    func testMonotoneTrendThreeOutcomesAndNull() {
        let x = (0..<10).map(Double.init)
        func run(_ slope: Double, _ noise: Double, _ direction: Double = 1) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(1000) { rng in
                VerdictRules.monotoneTrend(x: x, y: x.map { slope * $0 + noise * rng.normal() }, direction: direction)
                    .supported
            }
        }
        XCTAssertGreaterThan(run(1, 0.5).supported, 0.95)
        XCTAssertGreaterThan(run(-1, 0.5).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.02, 1).inconclusive, 0.8)
        XCTAssertLessThanOrEqual(run(0, 1).supported, 0.05)
        XCTAssertLessThanOrEqual(run(0, 1, -1).supported, 0.05)
    }

    /// A closed form 20% off: rejected nearly always (the right one: testAgreesWithClosedFormCalibration).
    func testClosedFormAgreement() {
        let truth = (1...15).map { Double($0) }
        func run(_ scale: Double) -> (supported: Double, notSupported: Double, inconclusive: Double) {
            rate(300) { rng in
                let intervals = truth.map { t -> Interval in
                    let draws = (0..<40).map { _ in t + 2 * rng.normal() }
                    return Stats.tInterval(draws)
                }
                return VerdictRules.agreesWithClosedForm(intervals: intervals, predicted: truth.map { $0 * scale })
                    .supported
            }
        }
        XCTAssertGreaterThan(run(1.2).notSupported, 0.95)
        XCTAssertNil(VerdictRules.agreesWithClosedForm(intervals: [], predicted: []).supported)
        XCTAssertEqual(VerdictRules.binomialQuantile(20, p: 0.05, q: 0.95), 3)
    }

    func testBelowEverywhereThreeOutcomesAndNull() {
        func run(_ means: [Double], _ limits: [Double], noise: Double, n: Int = 30) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(1000) { rng in
                VerdictRules.belowEverywhere(
                    samples: means.map { m in (0..<n).map { _ in m + noise * rng.normal() } }, limits: limits
                ).supported
            }
        }
        XCTAssertGreaterThan(run([0.1, 0.05, 0.02], [0.3, 0.2, 0.1], noise: 0.05).supported, 0.95)
        XCTAssertGreaterThan(run([0.1, 0.25, 0.02], [0.3, 0.2, 0.1], noise: 0.05).notSupported, 0.95)
        XCTAssertGreaterThan(run([0.1, 0.2, 0.02], [0.3, 0.21, 0.1], noise: 0.2, n: 5).inconclusive, 0.8)
        // Null: the mean reaches the limit at one point.
        XCTAssertLessThanOrEqual(run([0.1, 0.2, 0.02], [0.3, 0.2, 0.1], noise: 0.1).supported, 0.05)
    }

    func testWithinMarginThreeOutcomesAndNull() {
        func run(_ mean: Double, noise: Double, n: Int) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(1000) { rng in
                VerdictRules.withinMargin((0..<n).map { _ in mean + noise * rng.normal() }, margin: 0.05, of: "0")
                    .supported
            }
        }
        XCTAssertGreaterThan(run(0.0, noise: 0.02, n: 10).supported, 0.95)
        XCTAssertGreaterThan(run(0.2, noise: 0.02, n: 10).notSupported, 0.95)
        XCTAssertGreaterThan(run(0.0, noise: 0.2, n: 3).inconclusive, 0.95)
        // Null: the expectation on the margin, from either side.
        XCTAssertLessThanOrEqual(run(0.05, noise: 0.03, n: 6).supported, 0.05)
        XCTAssertLessThanOrEqual(run(-0.05, noise: 0.03, n: 6).supported, 0.05)
        XCTAssertNil(VerdictRules.withinMargin([0.01], margin: 0.05, of: "0").supported)
    }

    func testSomeIncreaseThreeOutcomesAndNull() {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        let pairs = (0..<6).flatMap { a in ((a + 1)..<6).map { (a, $0) } }
        func run(_ f: @escaping (Double) -> Double, noise: Double, seeds: Int = 4) -> (
            supported: Double, notSupported: Double, inconclusive: Double
        ) {
            rate(1000) { rng in
                VerdictRules.someIncrease(
                    VerdictRules.Curve(
                        x: x, samples: x.map { v in (0..<seeds).map { _ in f(v) + noise * rng.normal() } }),
                    pairs: pairs, margin: 0.1
                ).supported
            }
        }
        XCTAssertGreaterThan(run({ $0 * 0.2 }, noise: 0.05).supported, 0.95)
        XCTAssertGreaterThan(run({ -$0 * 0.2 }, noise: 0.02).notSupported, 0.95)
        XCTAssertGreaterThan(run({ _ in 0 }, noise: 0.3).inconclusive, 0.8)
        XCTAssertLessThanOrEqual(run({ _ in 0 }, noise: 0.3).supported, 0.05)
        XCTAssertLessThanOrEqual(run({ -$0 * 0.05 }, noise: 0.3).supported, 0.05)
    }

    func testInteriorPeakNull() {
        let x = (1...12).map(Double.init)
        for seeds in [1, 3] {
            let r = rate(1000) { rng in
                VerdictRules.interiorPeak(
                    VerdictRules.Curve(
                        x: x, samples: x.map { v in (0..<seeds).map { _ in 1 / v + 0.05 * rng.normal() } }),
                    margin: 0.05
                ).supported
            }
            XCTAssertLessThanOrEqual(r.supported, 0.05, "\(seeds) seeds: \(r)")
        }
        var rng = Generator(seed: 5)
        let bell = VerdictRules.Curve(
            x: x, samples: x.map { v in (0..<3).map { _ in exp(-pow(v - 6, 2) / 4) + 0.02 * rng.normal() } })
        XCTAssertEqual(VerdictRules.interiorPeak(bell, margin: 0.05).supported, true)
        // Known standard errors (a jackknife's) are used as given.
        let known = VerdictRules.Curve(
            x: x, means: x.map { exp(-pow($0 - 6, 2) / 4) }, standardErrors: x.map { _ in 0.02 }, degreesOfFreedom: 9)
        XCTAssertEqual(VerdictRules.interiorPeak(known, margin: 0.05).supported, true)
        let flatKnown = VerdictRules.Curve(
            x: x, means: x.map { _ in 0.5 }, standardErrors: x.map { _ in 0.001 }, degreesOfFreedom: 9)
        XCTAssertEqual(VerdictRules.interiorPeak(flatKnown, margin: 0.05).supported, false)
    }

    /// The epoch-wise shape on nulls (falling, flat) over 3 runs of 60 smoothed points, and its three outcomes.
    func testDescentShapeNullAndOutcomes() {
        func runs(_ f: (Int) -> Double, noise: Double, _ rng: inout Generator) -> [[Double]] {
            (0..<3).map { _ in DescentShape.smoothed((0..<60).map { f($0) + noise * rng.normal() }) }
        }
        for (name, f) in [("falling", { (j: Int) in 0.5 * exp(-Double(j) / 10) + 0.3 }), ("flat", { (_: Int) in 0.3 })]
            as [(String, (Int) -> Double)]
        {
            let r = rate(500) { rng in DescentShape.find(runs(f, noise: 0.02, &rng))!.verdict(margin: 0.01).supported }
            XCTAssertLessThanOrEqual(r.supported, 0.05, "\(name): \(r)")
        }
        let planted = { (j: Int) in 0.5 * exp(-Double(j) / 5) + 0.25 + 0.1 * exp(-pow(Double(j) - 25, 2) / 30) }
        XCTAssertGreaterThan(
            rate(200) { rng in DescentShape.find(runs(planted, noise: 0.002, &rng))!.verdict(margin: 0.01).supported }
                .supported, 0.9)
        XCTAssertGreaterThan(
            rate(200) { rng in
                DescentShape.find(runs({ 0.5 * exp(-Double($0) / 10) + 0.3 }, noise: 0.0002, &rng))!.verdict(
                    margin: 0.01
                ).supported
            }.notSupported, 0.9)
    }

    /// Paired replicates (the same training set at every point): a shared per-replicate offset
    /// cancels. The null keeps its rate; a peak hidden by the offsets unpaired is found paired.
    func testPairedReplicates() {
        func curve(_ f: (Double) -> Double, _ rng: inout Generator, paired: Bool) -> VerdictRules.Curve {
            let offsets = (0..<20).map { _ in 0.5 * rng.normal() }
            return VerdictRules.Curve(
                x: grid, samples: grid.map { x in offsets.map { f(x) + $0 + 0.02 * rng.normal() } }, paired: paired)
        }
        let null = rate(500) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0) }, &rng, paired: true), threshold: 47, margin: 0.02
            ).supported
        }
        XCTAssertLessThanOrEqual(null.supported, 0.05, "\(null)")
        let paired = rate(200) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0.1) }, &rng, paired: true), threshold: 47, margin: 0.02
            ).supported
        }
        let unpaired = rate(200) { rng in
            VerdictRules.peakNear(
                curve({ self.doubleDescent($0, height: 0.1) }, &rng, paired: false), threshold: 47, margin: 0.02
            ).supported
        }
        XCTAssertGreaterThan(paired.supported, 0.9, "\(paired)")
        XCTAssertLessThan(unpaired.supported, 0.5, "\(unpaired)")
    }

    /// Exact checks: no sampling, so "supported" exactly when the value is within its bound; a run
    /// stopped early can only say "not supported" (bound exceeded) or "inconclusive".
    func testHoldsWithABudget() {
        XCTAssertEqual(
            VerdictRules.holds(0.01, atMost: 0.05, what: "e", budgetShort: true, why: " (short)").supported, true)
        XCTAssertEqual(
            VerdictRules.holds(0.3, atMost: 0.05, what: "e", budgetShort: false, why: " (short)").supported, false)
        let short = VerdictRules.holds(0.3, atMost: 0.05, what: "e", budgetShort: true, why: " (short)")
        XCTAssertNil(short.supported)
        XCTAssertTrue(short.reason.hasSuffix(" (short)"), short.reason)
    }

    func testHoldsThreeOutcomes() {
        XCTAssertEqual(VerdictRules.holds(3, atMost: 5, what: "mistakes").supported, true)
        XCTAssertEqual(VerdictRules.holds(5, atMost: 5, what: "mistakes").supported, true)
        XCTAssertEqual(VerdictRules.holds(5.000001, atMost: 5, what: "mistakes").supported, false)
        XCTAssertNil(VerdictRules.holds(3, atMost: 5, final: false, what: "mistakes").supported)
        XCTAssertEqual(VerdictRules.holds(7, atMost: 5, final: false, what: "mistakes").supported, false)
    }

    /// The third outcome of the interior-peak and descent-shape rules: a bump the scatter cannot resolve.
    func testInteriorPeakAndDescentShapeInconclusive() {
        let x = (1...12).map(Double.init)
        let weak = rate(300) { rng in
            VerdictRules.interiorPeak(
                VerdictRules.Curve(
                    x: x,
                    samples: x.map { v in (0..<3).map { _ in 0.03 * exp(-pow(v - 6, 2) / 4) + 0.1 * rng.normal() } }),
                margin: 0.02
            ).supported
        }
        XCTAssertGreaterThan(weak.inconclusive, 0.8, "\(weak)")
        let bump = { (j: Int) in 0.5 * exp(-Double(j) / 5) + 0.25 + 0.02 * exp(-pow(Double(j) - 25, 2) / 30) }
        let shape = rate(200) { rng in
            DescentShape.find(
                (0..<3).map { _ in DescentShape.smoothed((0..<60).map { bump($0) + 0.01 * rng.normal() }) })!.verdict(
                    margin: 0.01
                ).supported
        }
        XCTAssertGreaterThan(shape.inconclusive, 0.8, "\(shape)")
    }
}

import LinearAlgebra
import XCTest

@testable import Measures

/// The zoo's statistics: τ and its paired bootstrap, the granulated Ψ, and the three verdict
/// rules — each rule's three outcomes where the data force them, and its rate of "supported" on
/// a null, measured by simulation (with R runs the observed rate's 95% upper bound is about
/// rate + 2√(rate/R); the thresholds leave that room above 5%).
final class MeasureRankingTests: XCTestCase {
    /// A zoo of n networks: the gap, and measures whose correlation with it is set by `signal`
    /// (measure = signal·gap + noise; 0 is independent noise, negative anti-correlated).
    func zoo(_ n: Int, signals: [Double], _ rng: inout Generator) -> (values: [[Double]], gap: [Double]) {
        let gap = (0..<n).map { _ in rng.normal() }
        return (signals.map { s in gap.map { s * $0 + rng.normal() } }, gap)
    }

    func ranking(_ n: Int, _ signals: [Double], _ rng: inout Generator, resamples: Int = 200) -> MeasureRanking {
        let z = zoo(n, signals: signals, &rng)
        return MeasureRanking(
            names: signals.indices.map { "m\($0)" }, values: z.values, gap: z.gap, resamples: resamples,
            seed: rng.next())
    }

    func rate(_ runs: Int, _ outcome: (inout Generator) -> Bool?) -> (
        supported: Double, notSupported: Double, inconclusive: Double
    ) {
        var rng = Generator(seed: 77)
        var s = 0
        var n = 0
        for _ in 0..<runs {
            switch outcome(&rng) {
            case .some(true): s += 1
            case .some(false): n += 1
            case .none: break
            }
        }
        return (Double(s) / Double(runs), Double(n) / Double(runs), Double(runs - s - n) / Double(runs))
    }

    func testTauAndPairedIntervals() {
        var rng = Generator(seed: 1)
        let z = zoo(40, signals: [3, 0, -3], &rng)
        let r = MeasureRanking(names: ["good", "noise", "bad"], values: z.values, gap: z.gap, resamples: 500, seed: 2)
        for m in 0..<3 { XCTAssertEqual(r.tau[m], Reference.kendallTau(z.values[m], z.gap), accuracy: 1e-12) }
        XCTAssertEqual(r.ranked, [0, 1, 2])
        XCTAssertEqual(r.replicates.count, 500)
        let good = r.interval(0)
        XCTAssertTrue(good.lower <= good.estimate && good.estimate <= good.upper, "\(good)")
        XCTAssertGreaterThan(good.lower, 0.3)
        // The paired difference of a measure with itself is exactly 0 on every resample.
        let same = r.difference(1, 1)
        XCTAssertEqual(same.lower, 0)
        XCTAssertEqual(same.upper, 0)
        XCTAssertGreaterThan(r.difference(0, 2).lower, 0.5)
        // The same seed gives the same replicates.
        XCTAssertEqual(
            MeasureRanking(names: ["good", "noise", "bad"], values: z.values, gap: z.gap, resamples: 500, seed: 2)
                .replicates, r.replicates)
    }

    /// Ψ for one hyperparameter by hand: two groups, τ = 1 in the first, −1/3 in the second.
    /// Jiang et al. hold n fixed. A zoo over three training-set sizes where n alone drives the gap:
    /// a "bound" with a 1/n beats the parameter count over all networks, by construction; within
    /// equal n it cannot, and "some measure outranks the parameter count" comes out not supported.
    func testStrataHoldTheTrainingSetSizeFixed() {
        var rng = Generator(seed: 31)
        let sizes = (0..<180).map { $0 % 3 }
        let n = sizes.map { [250.0, 500, 1000][$0] }
        let gap = n.map { 20 / $0 + 0.002 * rng.normal() }
        let params = n.map { _ in rng.uniform(1e4, 1e5) }
        let overN = zip(params, n).map { $0 / ($1 * 1e5) }
        let names = ["params", "params-over-n"]
        let pooled = MeasureRanking(names: names, values: [params, overN], gap: gap, resamples: 400, seed: 1)
        XCTAssertEqual(pooled.someOutranks(0, margin: 0.1).supported, true, "over all n, the 1/n alone ranks the gap")
        let held = MeasureRanking(
            names: names, values: [params, overN], gap: gap, strata: sizes, resamples: 400, seed: 1)
        XCTAssertEqual(
            held.tau[0], held.tau[1], accuracy: 1e-12, "within one n, params/n orders the networks as params does")
        XCTAssertEqual(
            held.someOutranks(0, margin: 0.1).supported, false, "\(held.someOutranks(0, margin: 0.1).reason)")
        // One stratum is the plain τ, bootstrap included.
        let one = MeasureRanking(
            names: names, values: [params, overN], gap: gap, strata: [Int](repeating: 4, count: 180), resamples: 50,
            seed: 2)
        let plain = MeasureRanking(names: names, values: [params, overN], gap: gap, resamples: 50, seed: 2)
        XCTAssertEqual(one.tau, plain.tau)
        XCTAssertEqual(one.replicates, plain.replicates)
    }

    func testGranulatedTauByHand() {
        let values = [1.0, 2, 3, 10, 20, 30]
        let gap = [0.1, 0.2, 0.3, 0.9, 0.5, 0.7]
        // Group two: values (10, 20, 30) against gaps (0.9, 0.5, 0.7): pairs (10,20) d, (10,30) d, (20,30) c →
        // (1−2)/3.
        let psi = MeasureRanking.granulated(values: values, gap: gap, groups: [[0, 1, 2], [3, 4, 5], [0]])
        XCTAssertEqual(psi!, (1 + (-1.0 / 3)) / 2, accuracy: 1e-15)
        XCTAssertNil(
            MeasureRanking.granulated(values: values, gap: gap, groups: [[0], [1]]), "no group of two: undefined")
        XCTAssertNil(
            MeasureRanking.granulated(values: [1, 1], gap: [1, 2], groups: [[0, 1]]),
            "a constant measure in its only group: undefined")
    }

    /// "Some measure ranks better than the parameter count" (measure 0 plays the parameter count).
    func testSomeOutranksThreeOutcomesAndNull() {
        let supported = rate(20) { rng in ranking(40, [0, 3, 0, 0], &rng).someOutranks(0, margin: 0.1).supported }
        XCTAssertGreaterThan(supported.supported, 0.9, "\(supported)")
        let notSupported = rate(20) { rng in ranking(60, [3, 0, 0, 0], &rng).someOutranks(0, margin: 0.1).supported }
        XCTAssertGreaterThan(notSupported.notSupported, 0.9, "\(notSupported)")
        let inconclusive = rate(20) { rng in ranking(8, [0, 0.7, 0, 0], &rng).someOutranks(0, margin: 0.1).supported }
        XCTAssertGreaterThan(inconclusive.inconclusive, 0.7, "\(inconclusive)")
        // The null: every measure ranks as well as the parameter count (all equally informative).
        let null = rate(60) { rng in ranking(30, [1, 1, 1, 1], &rng).someOutranks(0, margin: 0.1).supported }
        print("someOutranks on a null: \(null)")
        XCTAssertLessThanOrEqual(null.supported, 0.1, "\(null)")
    }

    /// "The best flatness measure ranks near the top" (measures 2, 3 the family).
    func testNearTopThreeOutcomesAndNull() {
        let supported = rate(20) { rng in ranking(60, [0.3, 0, 6, 0], &rng).nearTop([2, 3], margin: 0.1).supported }
        XCTAssertGreaterThan(supported.supported, 0.9, "\(supported)")
        let notSupported = rate(20) { rng in ranking(60, [4, 0, 0, 0], &rng).nearTop([2, 3], margin: 0.1).supported }
        XCTAssertGreaterThan(notSupported.notSupported, 0.9, "\(notSupported)")
        let inconclusive = rate(20) { rng in
            ranking(10, [0.8, 0, 0.6, 0], &rng).nearTop([2, 3], margin: 0.1).supported
        }
        XCTAssertGreaterThan(inconclusive.inconclusive, 0.7, "\(inconclusive)")
        // The null on the boundary: the family's best exactly the margin behind the best measure
        // (τ = 0.5 against 0.4: for Gaussians τ = (2/π)·arcsin ρ, and ρ = s/√(1 + s²)).
        func signal(_ tau: Double) -> Double {
            let rho = sin(Double.pi * tau / 2)
            return rho / (1 - rho * rho).squareRoot()
        }
        let null = rate(60) { rng in
            ranking(40, [signal(0.5), 0, signal(0.4), 0], &rng).nearTop([2, 3], margin: 0.1).supported
        }
        print("nearTop on a null: \(null)")
        XCTAssertLessThanOrEqual(null.supported, 0.1, "\(null)")
    }

    /// "The spectral-norm product ranks among the worst" (measure 0), against the median measure.
    func testAmongWorstThreeOutcomesAndNull() {
        let supported = rate(20) { rng in ranking(40, [-3, 0, 0, 0, 0], &rng).amongWorst(0).supported }
        XCTAssertGreaterThan(supported.supported, 0.9, "\(supported)")
        let notSupported = rate(20) { rng in ranking(40, [3, 0, 0, 0, 0], &rng).amongWorst(0).supported }
        XCTAssertGreaterThan(notSupported.notSupported, 0.9, "\(notSupported)")
        let inconclusive = rate(20) { rng in ranking(20, [0, 0, 0, 0, 0], &rng).amongWorst(0).supported }
        XCTAssertGreaterThan(inconclusive.inconclusive, 0.7, "\(inconclusive)")
        let null = rate(60) { rng in ranking(30, [0.5, 0.5, 0.5, 0.5, 0.5], &rng).amongWorst(0).supported }
        print("amongWorst on a null: \(null)")
        XCTAssertLessThanOrEqual(null.supported, 0.1, "\(null)")
    }
}

import LinearAlgebra
import XCTest

final class StatisticsTests: XCTestCase {
    /// Clopper–Pearson against scipy (beta.ppf of the two tails) and the closed forms at k = 0
    /// and k = n; the binomial CDF against a direct sum.
    /// The order-statistic quantile against numpy's method="inverted_cdf".
    func testOrderQuantileAgainstNumpy() {
        let x: [Double] = [7, 3, 9, 1, 5, 10, 2, 8, 4, 6]
        for (q, expected) in [(0.1, 1.0), (0.15, 2.0), (0.5, 5.0), (0.95, 10.0), (1.0, 10.0), (0.0, 1.0)] {
            XCTAssertEqual(Stats.orderQuantile(x, q), expected, "q = \(q)")
        }
    }

    func testClopperPearsonAgainstScipy() {
        for (k, n, lo, hi) in [
            (5, 100, 0.016431879182052155, 0.11283491110546275), (0, 50, 0, 0.07112173646419764),
            (37, 200, 0.13372866017976162, 0.24586346244867838), (200, 200, 0.9817246596448638, 1),
        ] {
            let ci = Stats.clopperPearson(successes: k, trials: n)
            XCTAssertEqual(ci.lower, lo, accuracy: 1e-9, "\(k)/\(n)")
            XCTAssertEqual(ci.upper, hi, accuracy: 1e-9, "\(k)/\(n)")
        }
        XCTAssertEqual(Stats.clopperPearson(successes: 0, trials: 30).upper, 1 - pow(0.025, 1.0 / 30), accuracy: 1e-12)
        var direct = 0.0
        let choose: [Double] = [1, 20, 190, 1140, 4845]  // C(20, i), i = 0…4
        for i in 0...4 { direct += choose[i] * pow(0.3, Double(i)) * pow(0.7, Double(20 - i)) }
        XCTAssertEqual(Stats.binomialCDF(4, n: 20, p: 0.3), direct, accuracy: 1e-12)
    }

    func testMeanVariance() {
        let x = [2.0, 4, 4, 4, 5, 5, 7, 9]
        XCTAssertEqual(Stats.mean(x), 5)
        XCTAssertEqual(Stats.variance(x), 32.0 / 7, accuracy: 1e-14)
        XCTAssertEqual(Stats.standardError(x), (32.0 / 7 / 8).squareRoot(), accuracy: 1e-14)
        XCTAssertEqual(Stats.quantile([1, 2, 3, 4], 0.5), 2.5)
    }

    /// Quantiles against tabulated values (Abramowitz & Stegun; R's qt/qnorm), to 1e-8.
    func testQuantiles() {
        XCTAssertEqual(Distributions.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-9)
        XCTAssertEqual(Distributions.normalQuantile(0.5), 0, accuracy: 1e-12)
        XCTAssertEqual(Distributions.normalQuantile(0.001), -3.090232306167813, accuracy: 1e-8)
        XCTAssertEqual(Distributions.studentTQuantile(0.975, degreesOfFreedom: 10), 2.228138851986274, accuracy: 1e-8)
        XCTAssertEqual(Distributions.studentTQuantile(0.975, degreesOfFreedom: 1), 12.70620473617471, accuracy: 1e-7)
        XCTAssertEqual(Distributions.studentTQuantile(0.95, degreesOfFreedom: 30), 1.697260886954599, accuracy: 1e-8)
    }

    func testIntervals() {
        let x = [1.0, 2, 3, 4, 5]
        let t = Stats.tInterval(x)
        XCTAssertEqual(t.estimate, 3)
        // s = √2.5, n = 5, t₀.₉₇₅,₄ = 2.776445105.
        XCTAssertEqual(t.halfWidth, 2.776445105197793 * (2.5 / 5).squareRoot(), accuracy: 1e-8)
        let b = Stats.bootstrapInterval(x, seed: 1)
        XCTAssertTrue(b.lower < 3 && b.upper > 3)
        XCTAssertTrue(b.lower >= 1 && b.upper <= 5)
    }

    /// Coverage: 95% t-intervals of normal samples of 10 contain the true mean ≈ 95% of the time
    /// (1,000 repetitions: binomial SE ≈ 0.7%, tolerance 3%).
    func testTIntervalCoverage() {
        var g = Generator(seed: 11)
        var hits = 0
        for _ in 0..<1000 {
            let x = (0..<10).map { _ in g.normal(mean: 2, std: 3) }
            if Stats.tInterval(x).contains(2) { hits += 1 }
        }
        XCTAssertEqual(Double(hits) / 1000, 0.95, accuracy: 0.03)
    }

    func testRankCorrelations() {
        XCTAssertEqual(Stats.kendallTau([1, 2, 3, 4], [1, 2, 3, 4]), 1)
        XCTAssertEqual(Stats.kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1)
        // One discordant pair of 6: τ = (5 − 1)/6.
        XCTAssertEqual(Stats.kendallTau([1, 2, 3, 4], [1, 2, 4, 3]), 4.0 / 6, accuracy: 1e-15)
        // τ-b with a tie in y: pairs C=4, D=1, ties in y 1 → (4−1)/√(5·6).
        XCTAssertEqual(Stats.kendallTau([1, 2, 3, 4], [1, 3, 2, 3]), 3 / (5.0 * 6).squareRoot(), accuracy: 1e-15)
        // Knight's O(n log n) τ-b against the pair-by-pair definition, with ties in x, in y and in both.
        var g = Generator(seed: 8)
        for n in [2, 3, 7, 50, 301] {
            for levels in [3, 20, 1_000_000] {
                let x = (0..<n).map { _ in Double(g.int(below: levels)) }
                let y = (0..<n).map { i in Double(g.int(below: levels)) + (i % 2 == 0 ? x[i] : 0) }
                let fast = Stats.kendallTau(x, y)
                let slow = Reference.kendallTau(x, y)
                if slow.isNaN {
                    XCTAssertTrue(fast.isNaN, "n \(n)")
                } else {
                    XCTAssertEqual(fast, slow, accuracy: 1e-12, "n \(n), \(levels) levels")
                }
            }
        }
        XCTAssertTrue(Stats.kendallTau([1, 1, 1], [1, 2, 3]).isNaN)
        XCTAssertTrue(Stats.kendallTau([1], [1]).isNaN)
        XCTAssertEqual(Stats.ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
        XCTAssertEqual(Stats.spearmanRho([1, 2, 3, 4, 5], [2, 4, 6, 8, 100]), 1, accuracy: 1e-15)
    }

    func testLineFit() {
        let x = [0.0, 1, 2, 3, 4]
        let exact = LineFit(x: x, y: x.map { 3 - 2 * $0 })
        XCTAssertEqual(exact.slope, -2, accuracy: 1e-14)
        XCTAssertEqual(exact.intercept, 3, accuracy: 1e-14)
        XCTAssertEqual(exact.slopeStandardError, 0, accuracy: 1e-12)
        // Textbook example: y = [1, 3, 2, 5, 4] → slope 0.8, SE √(0.3), intercept 1.4, SE √(0.3·(1/5 + 4/10)).
        let fit = LineFit(x: x, y: [1, 3, 2, 5, 4])
        XCTAssertEqual(fit.slope, 0.8, accuracy: 1e-14)
        XCTAssertEqual(fit.intercept, 1.4, accuracy: 1e-14)
        var rss = 0.0
        for (xi, yi) in zip(x, [1.0, 3, 2, 5, 4]) { rss += (yi - 1.4 - 0.8 * xi) * (yi - 1.4 - 0.8 * xi) }
        XCTAssertEqual(fit.slopeStandardError, (rss / 3 / 10).squareRoot(), accuracy: 1e-14)
        XCTAssertEqual(fit.interceptStandardError, (rss / 3 * (0.2 + 4.0 / 10)).squareRoot(), accuracy: 1e-14)
    }
}

import Foundation

/// Descriptive statistics and intervals. Inputs are plain `[Double]`; every function
/// states what it assumes (sample variance divides by n − 1).
public enum Stats {
    public static func mean(_ x: [Double]) -> Double {
        precondition(!x.isEmpty, "mean of an empty sample")
        return x.reduce(0, +) / Double(x.count)
    }

    /// Unbiased sample variance (n − 1 in the denominator); 0 for a single value.
    public static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    public static func standardDeviation(_ x: [Double]) -> Double { variance(x).squareRoot() }

    /// Standard error of the mean, s/√n.
    public static func standardError(_ x: [Double]) -> Double {
        x.count > 1 ? (variance(x) / Double(x.count)).squareRoot() : 0
    }

    public static func median(_ x: [Double]) -> Double { quantile(x, 0.5) }

    /// The order-statistic quantile: the ⌈q·n⌉-th smallest value (the inverse of the empirical
    /// CDF, "type 1"), a value of the sample itself — a bound's "with probability 1 − δ".
    public static func orderQuantile(_ x: [Double], _ q: Double) -> Double {
        precondition(!x.isEmpty, "quantile of an empty sample")
        let s = x.sorted()
        return s[min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))]
    }

    /// Linear-interpolation quantile (numpy's default, "type 7").
    public static func quantile(_ x: [Double], _ q: Double) -> Double {
        precondition(!x.isEmpty, "quantile of an empty sample")
        let s = x.sorted()
        let h = q * Double(s.count - 1)
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }
}

/// A confidence interval for a mean.
public struct Interval: Codable, Equatable, Sendable, CustomStringConvertible {
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    public var level: Double
    public init(estimate: Double, lower: Double, upper: Double, level: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.level = level
    }
    public var halfWidth: Double { (upper - lower) / 2 }
    public func contains(_ v: Double) -> Bool { lower <= v && v <= upper }
    public var description: String { String(format: "%.4g [%.4g, %.4g]", estimate, lower, upper) }
}

extension Stats {
    /// Mean ± z·s/√n with the normal quantile.
    public static func normalInterval(_ x: [Double], level: Double = 0.95) -> Interval {
        let m = mean(x)
        let h = Distributions.normalQuantile(0.5 + level / 2) * standardError(x)
        return Interval(estimate: m, lower: m - h, upper: m + h, level: level)
    }

    /// Mean ± t_{n−1}·s/√n, the exact interval for normal samples.
    public static func tInterval(_ x: [Double], level: Double = 0.95) -> Interval {
        let m = mean(x)
        guard x.count > 1 else { return Interval(estimate: m, lower: m, upper: m, level: level) }
        let h =
            Distributions.studentTQuantile(0.5 + level / 2, degreesOfFreedom: Double(x.count - 1)) * standardError(x)
        return Interval(estimate: m, lower: m - h, upper: m + h, level: level)
    }

    /// Percentile bootstrap interval for `statistic` (default: the mean), `resamples` draws.
    public static func bootstrapInterval(
        _ x: [Double], level: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0,
        statistic: ([Double]) -> Double = Stats.mean
    ) -> Interval {
        precondition(!x.isEmpty, "bootstrap of an empty sample")
        var rng = Generator(seed: seed)
        var buffer = x
        var stats = [Double]()
        stats.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for i in 0..<x.count { buffer[i] = x[rng.int(below: x.count)] }
            stats.append(statistic(buffer))
        }
        let alpha = (1 - level) / 2
        return Interval(
            estimate: statistic(x), lower: quantile(stats, alpha), upper: quantile(stats, 1 - alpha), level: level)
    }
}

/// Rank correlations.
extension Stats {
    /// Kendall's τ-b (ties in either variable corrected) by Knight's O(n log n) algorithm (1966):
    /// sort by (x, y); count the pairs tied in x, in both, and (after a merge sort of y that
    /// counts its inversions, the discordant pairs) in y; then C − D = n₀ − n₁ − n₂ + n₃ − 2D.
    /// A zoo of 2,000 networks bootstrapped 2,000 times needs it; `Reference.kendallTau` is the
    /// pair-by-pair definition it is tested against. NaN when either variable is constant.
    public static func kendallTau(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendallTau: \(x.count) vs \(y.count) values")
        let n = x.count
        guard n >= 2 else { return .nan }
        let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        func tiedPairs(_ same: (Int, Int) -> Bool) -> Double {
            var total = 0.0
            var run = 1.0
            for i in 1..<n {
                if same(order[i - 1], order[i]) {
                    run += 1
                } else {
                    total += run * (run - 1) / 2
                    run = 1
                }
            }
            return total + run * (run - 1) / 2
        }
        let n0 = Double(n) * Double(n - 1) / 2
        let n1 = tiedPairs { x[$0] == x[$1] }
        let n3 = tiedPairs { x[$0] == x[$1] && y[$0] == y[$1] }
        var ys = order.map { y[$0] }
        let discordant = Double(countInversions(&ys))
        var n2 = 0.0
        var run = 1.0
        for i in 1..<n {
            if ys[i - 1] == ys[i] {
                run += 1
            } else {
                n2 += run * (run - 1) / 2
                run = 1
            }
        }
        n2 += run * (run - 1) / 2
        let denom = ((n0 - n1) * (n0 - n2)).squareRoot()
        return denom == 0 ? .nan : (n0 - n1 - n2 + n3 - 2 * discordant) / denom
    }

    /// Sorts `a` ascending (a stable merge sort) and returns its number of strict inversions,
    /// pairs i < j with a[i] > a[j].
    static func countInversions(_ a: inout [Double]) -> Int {
        var buffer = a
        var inversions = 0
        var width = 1
        while width < a.count {
            var lo = 0
            while lo < a.count {
                let mid = min(lo + width, a.count)
                let hi = min(lo + 2 * width, a.count)
                var i = lo
                var j = mid
                var k = lo
                while i < mid && j < hi {
                    if a[i] <= a[j] {
                        buffer[k] = a[i]
                        i += 1
                    } else {
                        buffer[k] = a[j]
                        j += 1
                        inversions += mid - i
                    }
                    k += 1
                }
                while i < mid {
                    buffer[k] = a[i]
                    i += 1
                    k += 1
                }
                while j < hi {
                    buffer[k] = a[j]
                    j += 1
                    k += 1
                }
                lo = hi
            }
            swap(&a, &buffer)
            width *= 2
        }
        return inversions
    }

    /// Ranks 1…n, ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = avg }
            i = j + 1
        }
        return r
    }

    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count && x.count > 1, "pearson needs two equal samples of at least 2")
        let mx = mean(x)
        let my = mean(y)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        return sxx == 0 || syy == 0 ? .nan : sxy / (sxx * syy).squareRoot()
    }

    /// Spearman's ρ: Pearson correlation of the ranks.
    public static func spearmanRho(_ x: [Double], _ y: [Double]) -> Double { pearson(ranks(x), ranks(y)) }
}

/// y = intercept + slope·x by ordinary least squares, with the classical standard errors.
public struct LineFit: Codable, Equatable, Sendable {
    public var slope: Double
    public var intercept: Double
    public var slopeStandardError: Double
    public var interceptStandardError: Double
    public var rSquared: Double

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count && x.count >= 2, "line fit needs at least two (x, y) pairs")
        let n = Double(x.count)
        let mx = Stats.mean(x)
        let my = Stats.mean(y)
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for i in x.indices {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxy += (x[i] - mx) * (y[i] - my)
            syy += (y[i] - my) * (y[i] - my)
        }
        slope = sxx == 0 ? .nan : sxy / sxx
        intercept = my - slope * mx
        var rss = 0.0
        for i in x.indices {
            let r = y[i] - intercept - slope * x[i]
            rss += r * r
        }
        let s2 = x.count > 2 ? rss / (n - 2) : 0
        slopeStandardError = (s2 / sxx).squareRoot()
        interceptStandardError = (s2 * (1 / n + mx * mx / sxx)).squareRoot()
        rSquared = syy == 0 ? 1 : 1 - rss / syy
    }

    public func predict(_ x: Double) -> Double { intercept + slope * x }
}

/// Least-squares parabola y ≈ a + b·(x − x̄) + c·(x − x̄)² (x centred for conditioning; LAPACK's
/// SVD least squares). 2c is how much the slope changes per unit of x.
public struct QuadraticFit: Codable, Equatable, Sendable {
    public var centre: Double
    public var a: Double
    public var b: Double
    public var c: Double

    /// Needs three distinct x values (a parabola through fewer is not determined).
    public init(x: [Double], y: [Double]) throws {
        precondition(x.count == y.count, "one y per x")
        guard Set(x).count >= 3 else {
            throw GenLabError.run("a quadratic fit needs at least three distinct x values, got \(Set(x).count)")
        }
        let m = Stats.mean(x)
        centre = m
        let design = Matrix<Double>(rows: x.count, cols: 3, storage: x.flatMap { v in [1, v - m, (v - m) * (v - m)] })
        let s = try minimumNormLeastSquares(design, Matrix(rows: y.count, cols: 1, storage: y)).solution
        (a, b, c) = (s[0, 0], s[1, 0], s[2, 0])
    }

    public func value(at x: Double) -> Double {
        let d = x - centre
        return a + b * d + c * d * d
    }
    /// The slope at x: b + 2c·(x − x̄).
    public func slope(at x: Double) -> Double { b + 2 * c * (x - centre) }
}

import Foundation
import LinearAlgebra

/// The descent–ascent–descent shape of a curve over training time (a verdict rule), judged on
/// the mean of several runs: the peak p is the point that stands highest above both the lowest
/// point before it and the lowest point after it; rise and fall are paired differences over the
/// runs, so their standard errors come from the spread between runs. Both must clear a one-sided
/// t critical value Bonferroni-adjusted over the candidate peaks (picking the peak from the data
/// needs a strict test); VerdictRuleTests measures the rate of "shows" on monotone and flat
/// nulls by simulation (≤ 5%).
///
/// Measured (VerdictRuleTests; 60 smoothed record points, σ = 0.01, margin 0.01): "shows" on a
/// flat curve 0.0% with 3 runs and 0.1% with 5; falling, then a plateau, 0.0% with 3 and 5
/// (1000 runs each). The critical value is strict (Bonferroni over every candidate peak at few
/// degrees of freedom), so the rate sits far below 5%. A bump of 0.1 at record point 25 on a
/// falling curve, 5 runs: shows 100% (500 runs).
public struct DescentShape: Codable, Sendable, Equatable {
    public var firstMinimum: Int, peak: Int, secondMinimum: Int
    public var rise: Double, fall: Double
    public var riseSE: Double, fallSE: Double
    /// The one-sided critical value for the paired differences, at 2.5% over the candidate peaks.
    public var critical: Double
    /// The critical value's degrees of freedom (runs − 1; normal with one run).
    public var degreesOfFreedom: Double = 1e6
    public var riseHalfWidth: Double { critical * riseSE }
    public var fallHalfWidth: Double { critical * fallSE }
    public var shows: Bool { rise > riseHalfWidth && fall > fallHalfWidth }

    /// `runs[r][j]` is run r's value at record point j. With one run, `fallbackSE` gives each
    /// difference's standard error.
    public static func find(_ runs: [[Double]], fallbackSE: Double = 0) -> DescentShape? {
        guard let count = runs.first?.count, count >= 3, runs.allSatisfy({ $0.count == count }) else { return nil }
        let mean = (0..<count).map { j in runs.reduce(0) { $0 + $1[j] } / Double(runs.count) }
        var prefixMin = [Int](repeating: 0, count: count)
        var suffixMin = [Int](repeating: count - 1, count: count)
        for j in 1..<count { prefixMin[j] = mean[j] < mean[prefixMin[j - 1]] ? j : prefixMin[j - 1] }
        for j in stride(from: count - 2, through: 0, by: -1) {
            suffixMin[j] = mean[j] < mean[suffixMin[j + 1]] ? j : suffixMin[j + 1]
        }
        var best: (p: Int, score: Double)? = nil
        for p in 1..<(count - 1) {
            let score = min(mean[p] - mean[prefixMin[p - 1]], mean[p] - mean[suffixMin[p + 1]])
            if best == nil || score > best!.score { best = (p, score) }
        }
        let p = best!.p
        let lo = prefixMin[p - 1]
        let hi = suffixMin[p + 1]
        func se(_ d: [Double]) -> Double { runs.count > 1 ? Stats.standardError(d) : fallbackSE }
        let level = 1 - 0.025 / Double(count - 2)
        let critical =
            runs.count > 1
            ? Distributions.studentTQuantile(level, degreesOfFreedom: Double(runs.count - 1))
            : Distributions.normalQuantile(level)
        return DescentShape(
            firstMinimum: lo, peak: p, secondMinimum: hi, rise: mean[p] - mean[lo], fall: mean[p] - mean[hi],
            riseSE: se(runs.map { $0[p] - $0[lo] }), fallSE: se(runs.map { $0[p] - $0[hi] }), critical: critical,
            degreesOfFreedom: runs.count > 1 ? Double(runs.count - 1) : 1e6)
    }

    /// Averages each point over a window of ±10% of its index (±1 at least from index 10 on):
    /// epoch-to-epoch SGD noise is smoothed late in training, where the slow effects are, and
    /// the steep early descent is left alone.
    public static func smoothed(_ x: [Double]) -> [Double] { smoothed(x, epochs: x.indices.map { $0 + 1 }) }

    /// Averages each record over the records within ±10% of its epoch e (precisely, within
    /// (e − 1)/10 epochs: on records of every epoch this is `smoothed(_:)` exactly, so results
    /// stored before the grid reanalyze unchanged): the same smoothing in epochs when the records
    /// are sparse (a geometric grid, `TrainingConfig.logGrid`), where an index window would widen
    /// with the grid's step.
    public static func smoothed(_ x: [Double], epochs: [Int]) -> [Double] {
        precondition(x.count == epochs.count)
        return x.indices.map { j in
            let reach = Double(epochs[j] - 1) / 10
            let near = x.indices.filter { abs(Double(epochs[$0] - epochs[j])) <= reach }
            return near.reduce(0) { $0 + x[$1] } / Double(near.count)
        }
    }
}


extension DescentShape {
    /// The rule's three outcomes: supported when the shape shows; not supported when the rise or
    /// the fall is below `margin` beyond its bound (no descent–ascent–descent of that size);
    /// inconclusive otherwise. `points`: the curve is an error rate, and the margin and the MDE
    /// are said in percentage points, as its evidence says the rise and the fall.
    public func verdict(margin: Double, points: Bool = false) -> RuleOutcome {
        let values = [
            "rise": rise, "fall": fall, "rise_half_width": riseHalfWidth, "fall_half_width": fallHalfWidth,
            "margin": margin,
        ]
        let mde = VerdictRules.detectable(
            critical: critical, standardError: max(riseSE, fallSE), degreesOfFreedom: degreesOfFreedom,
            power: VerdictRules.eachOfTwo)
        let what = "a rise and a fall"
        if shows {
            return RuleOutcome(supported: true, values: values, reason: "the rise and the fall both clear their bounds")
                .detecting(mde, what, points: points)
        }
        if rise + riseHalfWidth < margin || fall + fallHalfWidth < margin {
            let limit = points ? VerdictRules.formatted(margin * 100) + " points" : "\(margin)"
            return RuleOutcome(
                supported: false, values: values,
                reason: "the \(rise + riseHalfWidth < margin ? "rise" : "fall") stays below \(limit) within its bound"
            ).detecting(mde, what, points: points)
        }
        return RuleOutcome(supported: nil, values: values, reason: "the rise or the fall is within the scatter")
            .detecting(mde, what, points: points)
    }
}

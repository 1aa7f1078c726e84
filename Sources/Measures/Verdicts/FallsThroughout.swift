import Foundation
import LinearAlgebra

extension VerdictRules {
    /// Does the curve fall as x grows, throughout its range? Two tests on one curve: Spearman's
    /// trend over the means (`monotoneTrend`, downward) says it falls overall; the rises from each
    /// point to every later one say whether it rises anywhere. Supported when the trend is
    /// significant downward and every rise's one-sided 97.5% upper bound is below `margin` (an
    /// intersection–union test: each pair at its own level, no adjustment, since all must hold);
    /// not supported when some rise exceeds `margin` beyond its lower bound, simultaneous over the
    /// pairs (`someIncrease`: a bump a trend test averages away), or the trend is significant
    /// upward; inconclusive otherwise, and whenever a mean, a standard error or the margin is not
    /// finite.
    ///
    /// Measured (VerdictRuleCalibrationTests; 11 points, known standard errors σ at 19 degrees of
    /// freedom, margin 0.1): a fall with one rise of exactly the margin, σ = 0.03, "supported" 1.8%
    /// and "not supported" 0.0% (2000 runs each); a steady fall of 0.1 per point, σ = 0.03, "not
    /// supported" 0.0% (2000) and supported 94.6% (500); a fall of 0.02 per point, σ = 0.015,
    /// supported 99.8% (500); flat and measured to σ = 0.001, "supported" 2.5% (2000); a rise of
    /// 0.3, σ = 0.03, not supported 88% (500).
    public static func fallsThroughout(_ curve: Curve, margin: Double) -> RuleOutcome {
        let n = curve.x.count
        let means = curve.means
        guard let (se, df) = standardErrors(curve), margin.isFinite, means.allSatisfy(\.isFinite),
            se.allSatisfy(\.isFinite), n >= 2
        else {
            return RuleOutcome(
                supported: nil, values: [:], reason: "a mean, a standard error or the margin is not a number")
        }
        let trend = monotoneTrend(x: curve.x, y: means, direction: -1)
        let pairs = (0..<n).flatMap { a in ((a + 1)..<n).map { (a, $0) } }
        let rise = someIncrease(curve, pairs: pairs, margin: margin)
        // The highest one-sided 97.5% upper bound of a rise, each pair at its own level (as
        // `belowEverywhere` bounds each point).
        let t = Distributions.studentTQuantile(0.975, degreesOfFreedom: df)
        let (upper, top) = pairs.map { (means[$0.1] - means[$0.0] + t * differenceSE(curve, se, $0.0, $0.1), $0) }
            .max { $0.0 < $1.0 }!
        var values = rise.values.merging(trend.values) { r, _ in r }
        values.removeValue(forKey: "mde")
        values["rise_upper"] = upper
        values["upper_from_x"] = curve.x[top.0]
        values["upper_to_x"] = curve.x[top.1]
        if rise.mde.isFinite { values["rise_mde"] = rise.mde }
        let riseLower = values["rise_lower"] ?? -.infinity
        let rho = "ρ = " + formatted(trend.values["spearman_rho"] ?? .nan)
        // Too few points for a trend: its own reason says so.
        let noTrend = trend.values["spearman_rho"] == nil ? trend.reason : "\(rho) is not significant"
        func from(_ a: Double, _ b: Double) -> String { "from x = \(formatted(a)) to \(formatted(b))" }
        let bounds =
            "the rise \(from(values["from_x"] ?? .nan, values["to_x"] ?? .nan)) has simultaneous lower bound "
            + "\(formatted(riseLower)), the rise \(from(curve.x[top.0], curve.x[top.1])) upper bound "
            + "\(formatted(upper)), against the margin \(formatted(margin))"
        func outcome(_ supported: Bool?, _ why: String) -> RuleOutcome {
            RuleOutcome(supported: supported, values: values, reason: why + "; " + bounds).detecting(trend.mde, "a ρ")
        }
        if riseLower > margin { return outcome(false, "the curve rises by more than the margin somewhere") }
        switch trend.supported {
        case false: return outcome(false, "\(rho) is significant upward")
        case true where upper < margin:
            return outcome(true, "\(rho) is significant downward and every rise stays below the margin")
        case true: return outcome(nil, "\(rho) is significant downward, but a rise of the margin is within a bound")
        default: return outcome(nil, noTrend)
        }
    }
}

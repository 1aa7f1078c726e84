import Foundation
import LinearAlgebra

extension VerdictRules {
    /// Does the curve fall as x grows, throughout its range? Two tests on one curve: Spearman's
    /// trend over the means (`monotoneTrend`, downward) says it falls overall; every rise from a
    /// point to a later one (`someIncrease` over all such pairs, simultaneous one-sided bounds)
    /// says whether it rises anywhere. Supported when the trend is significant downward and no
    /// rise can reach `margin` (every upper bound below it); not supported when some rise exceeds
    /// `margin` beyond its lower bound (a bump a trend test averages away), or the trend is
    /// significant upward; inconclusive otherwise.
    ///
    /// Measured (VerdictRuleCalibrationTests; 11 points, known standard errors σ at 19 degrees of
    /// freedom, margin 0.1): a fall with one rise of exactly the margin, σ = 0.03, "supported" 0.0%
    /// and "not supported" 0.0% (2000 runs each); a steady fall of 0.1 per point, "not supported"
    /// 0.0% (2000), supported 100% at σ = 0.01 but 20% at σ = 0.03 (500 each): every step's upper
    /// bound must stay under the margin, so a fall is shown only where the points are measured to
    /// a small fraction of it; a rise of 0.3 at σ = 0.03, not supported 88% (500).
    public static func fallsThroughout(_ curve: Curve, margin: Double) -> RuleOutcome {
        let trend = monotoneTrend(x: curve.x, y: curve.means, direction: -1)
        let n = curve.x.count
        let pairs = (0..<n).flatMap { a in ((a + 1)..<n).map { (a, $0) } }
        let rise = someIncrease(curve, pairs: pairs, margin: margin)
        var values = rise.values.merging(trend.values) { r, _ in r }
        values.removeValue(forKey: "mde")
        if rise.mde.isFinite { values["rise_mde"] = rise.mde }
        let riseLower = values["rise_lower"] ?? -.infinity
        let rho = "ρ = " + formatted(trend.values["spearman_rho"] ?? .nan)
        // Too few points for a trend: its own reason says so.
        let noTrend = trend.values["spearman_rho"] == nil ? trend.reason : "\(rho) is not significant"
        let largest =
            values["from_x"].map { from in
                "the largest rise, from x = \(formatted(from)) to \(formatted(values["to_x"]!)), has lower bound "
                    + "\(formatted(riseLower)) against the margin \(formatted(margin))"
            } ?? rise.reason
        func outcome(_ supported: Bool?, _ why: String) -> RuleOutcome {
            RuleOutcome(supported: supported, values: values, reason: why + "; " + largest).detecting(trend.mde, "a ρ")
        }
        if riseLower > margin { return outcome(false, "the curve rises by more than the margin somewhere") }
        switch (trend.supported, rise.supported) {
        case (false, _): return outcome(false, "\(rho) is significant upward")
        case (true, false): return outcome(true, "\(rho) is significant downward and no rise can reach the margin")
        case (true, _):
            return outcome(nil, "\(rho) is significant downward, but a rise of the margin is within the bounds")
        default: return outcome(nil, noTrend)
        }
    }
}

import Foundation
import LinearAlgebra

/// What a rule could have detected: the minimum detectable effect (MDE), the smallest true effect
/// its design calls "supported" with 80% probability at its α, computed from the run's own scatter.
/// It is what makes an inconclusive or "not supported" verdict informative: "could have seen a
/// rise of ≥ 3.1 points; the measured rise is 1.2 ± 2.0" says the run was large enough, or not.
extension RuleOutcome {
    /// This outcome with its MDE in `values["mde"]` and said in the reason (`what`: "a slope",
    /// "a rise and a fall"), in the unit the evidence around it uses: `points` says an error
    /// rate's MDE in percentage points, as the measured effect beside it is said.
    public func detecting(_ mde: Double, _ what: String, points: Bool = false) -> RuleOutcome {
        // 0 is an answer (runs without scatter detect any effect); NaN or negative is none.
        guard mde.isFinite, mde >= 0 else { return self }
        var r = self
        r.values["mde"] = mde
        let shown = points ? VerdictRules.formatted(mde * 100) + " points" : VerdictRules.formatted(mde)
        r.reason += "; it could have detected \(what) of ≥ \(shown) (80% power)"
        return r
    }
}

extension RuleOutcome {
    /// The minimum detectable effect this outcome reported (NaN when its rule has none).
    public var mde: Double { values["mde"] ?? .nan }

    /// The weakest part's MDE for a verdict that needs several rules to hold (NaN when none has one).
    public static func largestMDE(_ outcomes: [RuleOutcome]) -> Double {
        outcomes.map(\.mde).filter(\.isFinite).max() ?? .nan
    }
}

extension VerdictRules {
    /// The power the MDEs are stated at.
    public static let power = 0.8

    /// The MDE of a test that calls an effect when estimate − c·SE > 0: (c + t_{power, df})·SE,
    /// with c the test's critical value (a two-sided 95% interval: t_{0.975, df}; Bonferroni:
    /// larger). The normal approximation to the noncentral t (a little short of 80% at small df).
    public static func detectable(
        critical c: Double, standardError se: Double, degreesOfFreedom df: Double, power: Double = VerdictRules.power
    ) -> Double {
        guard se.isFinite, df > 0 else { return .nan }
        return (c + Distributions.studentTQuantile(power, degreesOfFreedom: df)) * se
    }

    /// The power each of two conditions needs for both to hold with `power` (a rise and a fall:
    /// √0.8 ≈ 0.894 each, when they are about independent).
    public static var eachOfTwo: Double { power.squareRoot() }

    /// The MDE of a two-sided 95% t interval's decision (the interval's end beyond 0).
    public static func detectable(standardError se: Double, degreesOfFreedom df: Double) -> Double {
        detectable(
            critical: Distributions.studentTQuantile(0.975, degreesOfFreedom: df), standardError: se,
            degreesOfFreedom: df)
    }

    /// The MDE of a decision on a given 95% interval whose degrees of freedom are unknown (a
    /// bootstrap or Welch interval): its half-width as 1.96 standard errors, normal quantiles.
    public static func detectable(_ ci: Interval) -> Double {
        let se = (ci.upper - ci.lower) / (2 * 1.959964)
        return detectable(critical: 1.959964, standardError: se, degreesOfFreedom: 1e6)
    }

    /// The Spearman ρ a test on n points detects with 80% power (two-sided 5%): Fisher's z with
    /// the variance 1.06/(n − 3).
    public static func detectableRho(points n: Int) -> Double {
        guard n > 3 else { return .nan }
        return tanh((1.959964 + 0.841621) * (1.06 / Double(n - 3)).squareRoot())
    }
}

import Foundation
import LinearAlgebra

extension VerdictRules {
    /// Does a change lower a quantity (paired differences d = changed − baseline, one per seed),
    /// and if not, can "it buys nothing that matters" be concluded? The differences' two-sided 95%
    /// t interval [lo, hi]:
    ///
    /// - not supported when lo > −leastEffect: any reduction is smaller than the least effect that
    ///   matters, stated before the run (equivalence, one-sided TOST), or the change raises it —
    ///   a significant reduction that small included ("significant, but buys nothing that matters");
    /// - supported when hi < 0 (the change lowers it, and a reduction of the least effect or more
    ///   is within the interval);
    /// - inconclusive otherwise, or with fewer than two pairs.
    ///
    /// Error rates (t interval, exact under normal scatter): on the boundary null of "supported"
    /// (mean difference 0) "supported" has rate 2.5%; on the boundary null of "buys nothing"
    /// (mean difference −leastEffect) "not supported" has rate 2.5%. Measured in
    /// PairedEffectRuleTests: 2.2% false "supported" and 2.6% false "buys nothing" over 4,000 repetitions with 5 pairs
    /// (the test fails a
    /// rule at 5%); power 91% at a planted mean difference of −2 standard deviations of one pair's
    /// difference with 5 pairs.
    /// `nothing` names the "no effect" conclusion in the reason (a regularizer "buys nothing").
    public static func lowers(
        differences d: [Double], leastEffect: Double, what: String, nothing: String = "it buys nothing that matters"
    ) -> RuleOutcome {
        guard d.count >= 2 else { return RuleOutcome(supported: nil, values: [:], reason: "fewer than two pairs") }
        let ci = Stats.tInterval(d)
        let values = [
            "mean_difference": ci.estimate, "lower": ci.lower, "upper": ci.upper, "least_effect": leastEffect,
        ]
        let shown = String(format: "%@ %+.4f [%+.4f, %+.4f]", what, ci.estimate, ci.lower, ci.upper)
        let mde = detectable(standardError: Stats.standardError(d), degreesOfFreedom: Double(d.count - 1))
        let what = "a reduction"
        if ci.lower > -leastEffect {
            let why =
                ci.lower > 0 ? "the change raises it" : (ci.upper < 0 ? "a real reduction, but " + nothing : nothing)
            return RuleOutcome(
                supported: false, values: values,
                reason: "\(shown) excludes a reduction of \(formatted(leastEffect)) or more: " + why
            ).detecting(mde, what)
        }
        if ci.upper < 0 {
            return RuleOutcome(supported: true, values: values, reason: "\(shown) lies below 0").detecting(mde, what)
        }
        return RuleOutcome(
            supported: nil, values: values, reason: "\(shown) contains both 0 and −\(formatted(leastEffect))"
        ).detecting(mde, what)
    }
}

extension VerdictRules {
    /// Does a quantity exceed a reference by something that matters (d = measured − reference,
    /// one per seed), and if not, can "no more than the reference" be concluded? The interval is
    /// the mean of d ± t_{0.975, n−1}·SE, with SE² = s²/n + `referenceStandardError`² (a
    /// reference that is itself an estimate, e.g. a Monte Carlo mean, adds its own scatter):
    ///
    /// - not supported when hi < leastEffect: any excess is smaller than the least effect that
    ///   matters, stated before the run (equivalence, one-sided TOST), or the quantity is below the
    ///   reference; checked first, as in `lowers`;
    /// - supported when lo > 0;
    /// - inconclusive otherwise, or with fewer than two seeds.
    ///
    /// Error rates (measured in ExcessRuleTests on random-walk paths against their own Monte Carlo
    /// reference, the rule's boundary null d = 0, and on d = leastEffect): see that test's
    /// comments; "supported" on d = 0 and "not supported" on d = leastEffect are 2.5% each under
    /// normal scatter.
    public static func exceeds(
        differences d: [Double], referenceStandardError: Double = 0, leastEffect: Double, what: String
    ) -> RuleOutcome {
        guard d.count >= 2 else { return RuleOutcome(supported: nil, values: [:], reason: "fewer than two seeds") }
        let se = (pow(Stats.standardError(d), 2) + referenceStandardError * referenceStandardError).squareRoot()
        let df = Double(d.count - 1)
        let mean = Stats.mean(d)
        let h = Distributions.studentTQuantile(0.975, degreesOfFreedom: df) * se
        let (lo, hi) = (mean - h, mean + h)
        let values = ["mean_difference": mean, "lower": lo, "upper": hi, "least_effect": leastEffect]
        let shown = String(format: "%@ %+.4f [%+.4f, %+.4f]", what, mean, lo, hi)
        let mde = detectable(standardError: se, degreesOfFreedom: df)
        let effect = "an excess"
        if hi < leastEffect {
            return RuleOutcome(
                supported: false, values: values,
                reason: "\(shown) excludes an excess of \(formatted(leastEffect)) or more"
                    + (hi < 0 ? ": it lies below the reference" : "")
            ).detecting(mde, effect)
        }
        if lo > 0 {
            return RuleOutcome(supported: true, values: values, reason: "\(shown) lies above 0").detecting(mde, effect)
        }
        return RuleOutcome(
            supported: nil, values: values, reason: "\(shown) contains both 0 and \(formatted(leastEffect))"
        ).detecting(mde, effect)
    }
}

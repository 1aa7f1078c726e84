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
    /// PairedEffectRuleTests: 2.6% and 2.2% over 4,000 repetitions with 5 pairs (the test fails a
    /// rule at 5%); power 91% at a planted mean difference of −2 standard deviations of one pair's
    /// difference with 5 pairs.
    /// `nothing` names the "no effect" conclusion in the reason (a regularizer "buys nothing").
    public static func lowers(differences d: [Double], leastEffect: Double, what: String, nothing: String = "it buys nothing that matters") -> RuleOutcome {
        guard d.count >= 2 else { return RuleOutcome(supported: nil, values: [:], reason: "fewer than two pairs") }
        let ci = Stats.tInterval(d)
        let values = ["mean_difference": ci.estimate, "lower": ci.lower, "upper": ci.upper, "least_effect": leastEffect]
        let shown = String(format: "%@ %+.4f [%+.4f, %+.4f]", what, ci.estimate, ci.lower, ci.upper)
        let mde = detectable(standardError: Stats.standardError(d), degreesOfFreedom: Double(d.count - 1)), what = "a reduction"
        if ci.lower > -leastEffect {
            let why = ci.lower > 0 ? "the change raises it" : (ci.upper < 0 ? "a real reduction, but " + nothing : nothing)
            return RuleOutcome(supported: false, values: values,
                               reason: "\(shown) excludes a reduction of \(formatted(leastEffect)) or more: " + why).detecting(mde, what)
        }
        if ci.upper < 0 { return RuleOutcome(supported: true, values: values, reason: "\(shown) lies below 0").detecting(mde, what) }
        return RuleOutcome(supported: nil, values: values, reason: "\(shown) contains both 0 and −\(formatted(leastEffect))").detecting(mde, what)
    }
}

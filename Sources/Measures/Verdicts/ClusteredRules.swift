import Foundation
import LinearAlgebra

/// Rules over runs clustered by seed. Runs that share a seed share its randomness (its
/// initialization, its data order, its draw of the data): their residuals around a pooled line
/// are correlated, and a seed whose own slope is off pulls every one of its runs the same way.
/// A pooled test counts those runs as independent and overstates its certainty; these rules
/// reduce each seed to one statistic first and test over seeds, the independent units.
extension VerdictRules {
    /// The runs grouped by cluster, in the order the clusters first appear.
    static func clustered(x: [Double], y: [Double], clusters: [Int]) -> [(x: [Double], y: [Double])] {
        precondition(x.count == y.count && y.count == clusters.count, "one x, one y and one cluster per run")
        var order = [Int]()
        var groups = [Int: (x: [Double], y: [Double])]()
        for i in x.indices {
            if groups[clusters[i]] == nil {
                order.append(clusters[i])
                groups[clusters[i]] = ([], [])
            }
            groups[clusters[i]]!.x.append(x[i])
            groups[clusters[i]]!.y.append(y[i])
        }
        return order.map { groups[$0]! }
    }

    /// Does y rise with x, with runs clustered by seed (`clusters[i]` is run i's seed)? Each
    /// seed's own least-squares slope over its runs, then the two-sided `level` t interval of
    /// those slopes (df = seeds − 1): supported when it lies above 0, not supported when it lies
    /// below `margin`, inconclusive otherwise, or with fewer than two seeds that have a slope (two
    /// distinct x values). The seeds are the independent units, so a slope that varies from seed
    /// to seed widens the interval instead of hiding in a pooled residual.
    ///
    /// Measured (VerdictRuleTests; 5 seeds × 8 runs at x = 0…7, each seed with its own level and
    /// slope, standard deviations 0.1 and 0.1, run noise σ = 0.3): mean slope 0, "supported" 2.2%
    /// (2000 runs), where the pooled `positiveSlope(x:y:margin:)` on the same runs says 8.1%; mean
    /// slope 0.25 (about 5 standard errors of the mean per-seed slope), supported 96.6% (500 runs);
    /// mean slope 0 against a margin of 0.3, not supported 98.0%.
    public static func positiveSlope(x: [Double], y: [Double], clusters: [Int], margin: Double, level: Double = 0.95)
        -> RuleOutcome
    {
        let slopes = clustered(x: x, y: y, clusters: clusters).filter { Set($0.x).count >= 2 }.map {
            LineFit(x: $0.x, y: $0.y).slope
        }
        guard slopes.count >= 2 else {
            return RuleOutcome(
                supported: nil, values: ["clusters": Double(slopes.count)],
                reason: "fewer than two seeds with runs at two x values: no interval over seeds")
        }
        let ci = Stats.tInterval(slopes, level: level)
        let values = [
            "slope": ci.estimate, "slope_lower": ci.lower, "slope_upper": ci.upper, "margin": margin,
            "clusters": Double(slopes.count),
        ]
        let over = "over \(slopes.count) seeds"
        let mde = detectable(standardError: Stats.standardError(slopes), degreesOfFreedom: Double(slopes.count - 1))
        if ci.lower > 0 {
            return RuleOutcome(
                supported: true, values: values, reason: "the mean per-seed slope's interval \(over) lies above 0"
            ).detecting(mde, "a slope")
        }
        if ci.upper < margin {
            return RuleOutcome(
                supported: false, values: values,
                reason: "the mean per-seed slope's interval \(over) lies below the margin \(formatted(margin))"
            ).detecting(mde, "a slope")
        }
        return RuleOutcome(
            supported: nil, values: values,
            reason: "the mean per-seed slope's interval \(over) contains both 0 and the margin \(formatted(margin))"
        ).detecting(mde, "a slope")
    }

    /// Does y move with x in `direction` (+1 rising, −1 falling), with runs clustered by seed?
    /// Spearman's ρ within each seed, then a one-sample t test of the seeds' ρ against 0 (df =
    /// seeds − 1, two-sided at 1 − level): supported when significant in the direction, not
    /// supported when significant against it, inconclusive otherwise. Needs three seeds or more
    /// whose ρ is defined (x and y not constant within the seed), else inconclusive.
    ///
    /// Measured (VerdictRuleTests; the design of `positiveSlope(x:y:clusters:margin:)`): mean
    /// slope 0, "supported" 3.1% rising and 2.9% falling (2000 runs each), where the pooled
    /// `monotoneTrend(x:y:direction:)` says 7.4%; mean slope 0.25, supported 97.4% (500 runs);
    /// −0.25, not supported 96.2%.
    public static func monotoneTrend(x: [Double], y: [Double], clusters: [Int], direction: Double, level: Double = 0.95)
        -> RuleOutcome
    {
        let rhos = clustered(x: x, y: y, clusters: clusters).filter { $0.x.count >= 3 }.map {
            Stats.spearmanRho($0.x, $0.y)
        }.filter { !$0.isNaN }
        guard rhos.count >= 3 else {
            return RuleOutcome(
                supported: nil, values: ["clusters": Double(rhos.count)],
                reason:
                    "fewer than three seeds with a within-seed ρ (three "
                    + "runs or more, x and y not constant): no test over seeds"
            )
        }
        let mean = Stats.mean(rhos)
        let se = Stats.standardError(rhos)
        // Every seed's ρ the same: no scatter, so the sign alone decides.
        let tStat = se > 0 ? mean / se : (mean > 0 ? Double.infinity : mean < 0 ? -Double.infinity : 0)
        let critical = Distributions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(rhos.count - 1))
        let values = ["mean_spearman_rho": mean, "t": tStat, "critical": critical, "clusters": Double(rhos.count)]
        let shown = "the mean within-seed ρ = \(formatted(mean)) over \(rhos.count) seeds"
        let mde = detectable(critical: critical, standardError: se, degreesOfFreedom: Double(rhos.count - 1))
        if tStat * direction > critical {
            return RuleOutcome(
                supported: true, values: values, reason: "\(shown) is significant in the expected direction"
            ).detecting(mde, "a mean ρ")
        }
        if tStat * direction < -critical {
            return RuleOutcome(
                supported: false, values: values, reason: "\(shown) is significant against the expected direction"
            ).detecting(mde, "a mean ρ")
        }
        return RuleOutcome(supported: nil, values: values, reason: "\(shown) is not significant").detecting(
            mde, "a mean ρ")
    }

    /// The smallest true effect a one-sided t test at level `alpha` detects with probability
    /// `power`, given the estimate's standard error and degrees of freedom:
    /// (t_{1−α, df} + t_{power, df})·SE. The normal approximation to the noncentral t: at small df
    /// the power at this effect falls a little short of `power`. Measured (VerdictRuleTests): a
    /// one-sided t test on 20 samples at 5% detects an effect of exactly this size in 81.5% of
    /// 2000 runs.
    /// A "not supported" or inconclusive verdict is informative about effects of this size, not smaller.
    public static func minimumDetectableEffect(
        standardError: Double, degreesOfFreedom: Double, alpha: Double = VerdictRules.alpha, power: Double = 0.8
    ) -> Double {
        detectable(
            critical: Distributions.studentTQuantile(1 - alpha, degreesOfFreedom: degreesOfFreedom),
            standardError: standardError, degreesOfFreedom: degreesOfFreedom, power: power)
    }
}

extension VerdictRules {
    /// Does each step in x buy less than the one before (y concave in x: "each doubling buys less"
    /// with x = log₂ parameters), runs clustered by seed? Each seed's quadratic least-squares fit
    /// gives 2c, the change of its slope per unit of x (a seed needs three distinct x); the seeds'
    /// 2c go through `lowers`: supported when their 95% t interval lies below 0; not supported
    /// when it excludes a fall of `leastEffect` or more (the gain per step shrinks by less than
    /// what matters, or grows); inconclusive otherwise.
    ///
    /// Measured (DiminishingReturnsRuleTests; 5 seeds × x = 6…10, each seed its own level, run
    /// noise σ = 0.004, margin 0.002; 2000 runs each): constant returns, "supported" 1.7%; a
    /// shrinkage exactly at the margin, "not supported" 3.0%; a shrinkage of 0.005, supported
    /// 97%; growing returns (+0.003), not supported 97%; constant returns, not supported 36%.
    public static func diminishingReturns(x: [Double], y: [Double], clusters: [Int], leastEffect: Double) -> RuleOutcome
    {
        let changes = clustered(x: x, y: y, clusters: clusters).compactMap { try? QuadraticFit(x: $0.x, y: $0.y) }.map {
            2 * $0.c
        }
        var r = lowers(
            differences: changes, leastEffect: leastEffect, what: "change of the gain per step (mean over seeds)",
            nothing: "the gain per step does not shrink by what matters")
        r.values["seeds"] = Double(changes.count)
        return r
    }
}

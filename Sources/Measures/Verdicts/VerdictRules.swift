import Foundation
import LinearAlgebra

/// What a verdict rule decided: supported (true), not supported (false) or inconclusive (nil),
/// the statistics it decided on, and one sentence saying why.
public struct RuleOutcome: Sendable, Equatable {
    public var supported: Bool?
    public var values: [String: Double]
    public var reason: String
    public init(supported: Bool?, values: [String: Double], reason: String) {
        self.supported = supported
        self.values = values
        self.reason = reason
    }
}

/// The verdict rules: named statistical tests that every experiment's verdicts go through.
///
/// Each rule states its null hypothesis and keeps the rate of "supported" on that null at 5% or
/// less; the tests (MeasuresTests/VerdictRuleTests) measure it by simulation, and check all three
/// outcomes on synthetic curves. Intervals come from the scatter over seeds or trials; a curve
/// measured with one seed gets its scatter from its own roughness (`scatterFromRoughness`), never
/// from the test set's binomial error alone (which misses the training run's randomness).
///
/// Each rule's doc comment gives its measured rate of "supported" on the boundary of its null
/// and its power on a stated planted effect. The null tests pass only below the lower 5% quantile
/// of Binomial(N, 0.05), so a rule at exactly 5% fails them; the power tests only above the upper
/// 5% quantile of Binomial(N, 0.8).
public enum VerdictRules {
    /// One-sided error rate of a rule's "supported" on its null.
    public static let alpha = 0.05

    // MARK: Exact checks

    /// A computed quantity against an exact statement (an identity to rounding, a theorem's
    /// inequality): no sampling, so no interval. Supported when `value ≤ bound`; when it is
    /// exceeded, not supported — unless `final` is false (a run stopped early can still exceed a
    /// bound it would meet, or meet one it would exceed: then inconclusive when within).
    public static func holds(_ value: Double, atMost bound: Double, final: Bool = true, what: String) -> RuleOutcome {
        let values = ["value": value, "bound": bound]
        if value <= bound {
            return RuleOutcome(
                supported: final ? true : nil, values: values,
                reason: final
                    ? "\(what) \(formatted(value)) ≤ \(formatted(bound))"
                    : "\(what) \(formatted(value)) ≤ \(formatted(bound)) so far (the run stopped early)")
        }
        return RuleOutcome(
            supported: false, values: values, reason: "\(what) \(formatted(value)) > \(formatted(bound))")
    }

    /// `holds` for a run with a budget (steps, epochs): a bound still exceeded when the budget ran
    /// out `short` of what the claim needs is no evidence against it — inconclusive, with `why`
    /// added to the reason; exceeded with the budget sufficient, not supported.
    public static func holds(_ value: Double, atMost bound: Double, what: String, budgetShort short: Bool, why: String)
        -> RuleOutcome
    {
        let r = holds(value, atMost: bound, what: what)
        guard r.supported == false, short else { return r }
        return RuleOutcome(supported: nil, values: r.values, reason: r.reason + why)
    }

    // MARK: Slope with an equivalence margin

    /// Does y rise with x? Least-squares slope with its t interval (df n − 2):
    /// supported when the interval lies above 0, not supported when it lies below `margin`
    /// (the slope is then smaller than the least effect that matters, or negative: equivalence
    /// as in a one-sided TOST), inconclusive otherwise. Null (slope 0): "supported" at rate 2.5%.
    ///
    /// Measured (VerdictRuleTests, 8 x values × 3 replicates, σ = 1, slope SE 0.089): on the
    /// boundary null, slope 0, "supported" 2.2% (2000 runs); a slope of 3.5 SE, supported 91.6%
    /// (500 runs); slope 0 against a margin of 3.5 SE, not supported 91.0%; a slope exactly at the
    /// margin, not supported 1.8%. Runs that share a seed are not independent: use
    /// `positiveSlope(x:y:clusters:margin:)`.
    public static func positiveSlope(x: [Double], y: [Double], margin: Double, level: Double = 0.95) -> RuleOutcome {
        guard let (slope, lo, hi) = slopeInterval(x: x, y: y, level: level) else { return noSlope }
        let values = ["slope": slope, "slope_lower": lo, "slope_upper": hi, "margin": margin]
        let mde = slopeDetectable(x: x, slope: slope, upper: hi, level: level)
        if lo > 0 {
            return RuleOutcome(supported: true, values: values, reason: "the slope's interval lies above 0").detecting(
                mde, "a slope")
        }
        if hi < margin {
            return RuleOutcome(
                supported: false, values: values,
                reason: "the slope's interval lies below the margin \(formatted(margin))"
            ).detecting(mde, "a slope")
        }
        return RuleOutcome(
            supported: nil, values: values,
            reason: "the slope's interval contains both 0 and the margin \(formatted(margin))"
        ).detecting(mde, "a slope")
    }

    /// Is a quantity at least `threshold`, given its two-sided 95% interval (a bootstrap or t
    /// interval)? Supported when the lower end is at or above it, not supported when the upper end
    /// is below it, inconclusive otherwise. Null (the quantity equals the threshold): "supported"
    /// at the interval's lower tail rate, 2.5% when it covers as stated.
    ///
    /// Measured (VerdictRuleTests, t intervals of 10 samples): the mean exactly at the threshold,
    /// "supported" 2.2% (2000 runs); 4 standard errors above it, supported 93.8% (500 runs);
    /// 4 below, not supported 94.2%.
    public static func intervalAtLeast(_ interval: Interval, threshold: Double, what: String) -> RuleOutcome {
        let values = [
            "estimate": interval.estimate, "lower": interval.lower, "upper": interval.upper, "threshold": threshold,
        ]
        let shown =
            "\(what) \(formatted(interval.estimate)) [\(formatted(interval.lower)), \(formatted(interval.upper))]"
        let mde = detectable(interval)
        let what = "an excess over \(formatted(threshold))"
        if interval.lower >= threshold {
            return RuleOutcome(
                supported: true, values: values, reason: "\(shown) lies at or above \(formatted(threshold))"
            ).detecting(mde, what)
        }
        if interval.upper < threshold {
            return RuleOutcome(supported: false, values: values, reason: "\(shown) lies below \(formatted(threshold))")
                .detecting(mde, what)
        }
        return RuleOutcome(supported: nil, values: values, reason: "\(shown) contains \(formatted(threshold))")
            .detecting(mde, what)
    }

    /// Is a probability at most its limit at every point, from k events in n independent draws
    /// per point (a theorem's "Pr[…] ≤ δ")? Exact Clopper–Pearson bounds: supported when every
    /// point's one-sided 97.5% upper bound is at most its limit; not supported when some point's
    /// lower bound, Bonferroni-adjusted over the points, is above it; inconclusive otherwise.
    /// Null (the probability equals its limit somewhere): "supported" at rate ≤ 2.5%.
    ///
    /// Measured (VerdictRuleTests, 3 points × 400 draws, limit 0.05): one rate exactly at the limit
    /// (the others 0.02), "supported" 1.8% (1000 runs); every rate 0.015, supported 92.0% (300
    /// runs); one rate 0.1, not supported 92.0%.
    public static func probabilityAtMost(events: [Int], draws: [Int], limits: [Double]) -> RuleOutcome {
        precondition(
            events.count == draws.count && draws.count == limits.count, "one count, draw total and limit per point")
        guard !events.isEmpty else { return RuleOutcome(supported: nil, values: [:], reason: "no points") }
        let m = Double(events.count)
        let uppers = events.indices.map {
            Stats.clopperPearson(successes: events[$0], trials: draws[$0], level: 0.95).upper
        }
        let lowers = events.indices.map {
            Stats.clopperPearson(successes: events[$0], trials: draws[$0], level: 1 - 0.05 / m).lower
        }
        let worst = events.indices.max { uppers[$0] - limits[$0] < uppers[$1] - limits[$1] }!
        let values = [
            "worst_upper": uppers[worst], "worst_limit": limits[worst],
            "worst_rate": Double(events[worst]) / Double(draws[worst]),
        ]
        if events.indices.allSatisfy({ uppers[$0] <= limits[$0] }) {
            return RuleOutcome(
                supported: true, values: values,
                reason:
                    "every point's upper 97.5% bound is at most its limit (closest: \(events[worst]) of "
                    + "\(draws[worst]), upper \(formatted(uppers[worst])) against \(formatted(limits[worst])))"
            )
        }
        if let bad = events.indices.first(where: { lowers[$0] > limits[$0] }) {
            return RuleOutcome(
                supported: false, values: values,
                reason:
                    "\(events[bad]) of \(draws[bad]): the rate's (Bonferroni) lower bound \(formatted(lowers[bad])) "
                    + "exceeds the limit \(formatted(limits[bad]))"
            )
        }
        return RuleOutcome(
            supported: nil, values: values,
            reason:
                "at some point the rate's interval contains its limit (\(events[worst]) of \(draws[worst]) against "
                + "\(formatted(limits[worst])))"
        )
    }

    /// Does y grow with x by less than `margin` per unit of x? The least-squares slope's two-sided
    /// `level` interval: supported when its upper end is below the margin, not supported when its
    /// lower end is above it, inconclusive otherwise. Null (slope exactly at the margin):
    /// "supported" at rate (1 − level)/2.
    ///
    /// Measured (VerdictRuleTests, 8 x values × 3 replicates, σ = 1, slope SE 0.089): the slope
    /// exactly at the margin, "supported" 2.05% (2000 runs); 3.5 SE below it, supported 91.4%
    /// (500 runs); 3.5 SE above it, not supported 91.6%.
    public static func slopeBelow(x: [Double], y: [Double], margin: Double, level: Double = 0.95) -> RuleOutcome {
        guard let (slope, lo, hi) = slopeInterval(x: x, y: y, level: level) else { return noSlope }
        let values = ["slope": slope, "slope_lower": lo, "slope_upper": hi, "margin": margin]
        let mde = slopeDetectable(x: x, slope: slope, upper: hi, level: level)
        let what = "a departure from the margin"
        if hi < margin {
            return RuleOutcome(
                supported: true, values: values,
                reason:
                    "the slope's interval [\(formatted(lo)), \(formatted(hi))] lies below the margin "
                    + "\(formatted(margin))"
            ).detecting(mde, what)
        }
        if lo > margin {
            return RuleOutcome(
                supported: false, values: values,
                reason:
                    "the slope's interval [\(formatted(lo)), \(formatted(hi))] lies above the margin "
                    + "\(formatted(margin))"
            ).detecting(mde, what)
        }
        return RuleOutcome(
            supported: nil, values: values,
            reason: "the slope's interval [\(formatted(lo)), \(formatted(hi))] contains the margin \(formatted(margin))"
        ).detecting(mde, what)
    }

    /// The least-squares slope and its two-sided t interval; nil with fewer than three points on two x values.
    static func slopeInterval(x: [Double], y: [Double], level: Double) -> (slope: Double, lower: Double, upper: Double)?
    {
        guard x.count >= 3, Set(x).count >= 2 else { return nil }
        let fit = LineFit(x: x, y: y)
        let t = Distributions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(x.count - 2))
        return (fit.slope, fit.slope - t * fit.slopeStandardError, fit.slope + t * fit.slopeStandardError)
    }

    /// The MDE of a slope decided by its `level` t interval (df n − 2), from the interval's upper half-width.
    static func slopeDetectable(x: [Double], slope: Double, upper: Double, level: Double) -> Double {
        let df = Double(x.count - 2)
        let t = Distributions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: df)
        return detectable(critical: t, standardError: (upper - slope) / t, degreesOfFreedom: df)
    }

    static let noSlope = RuleOutcome(
        supported: nil, values: [:], reason: "fewer than three points on two x values: no slope interval")

    // MARK: Monotone trend

    /// Does y move with x in `direction` (+1 rising, −1 falling)? Spearman's ρ with its t test
    /// (t = ρ√((n−2)/(1−ρ²)), df n − 2, two-sided at 1 − level): supported when significant in
    /// the direction, not supported when significant against it, inconclusive otherwise.
    /// Null (no association): "supported" at rate (1 − level)/2.
    ///
    /// Measured (VerdictRuleTests, 10 points): no association, "supported" 3.55% rising and 2.6%
    /// falling (2000 runs each); y = 0.4x + N(0, 1) on x = 0…9 (ρ ≈ 0.75), supported 84.4% (500
    /// runs); the same against the direction, not supported 87.0%. Runs that share a seed are not
    /// independent: use `monotoneTrend(x:y:clusters:direction:)`.
    public static func monotoneTrend(x: [Double], y: [Double], direction: Double, level: Double = 0.95) -> RuleOutcome {
        guard x.count >= 4 else {
            return RuleOutcome(supported: nil, values: [:], reason: "fewer than four points: no trend test")
        }
        let rho = Stats.spearmanRho(x, y)
        let n = Double(x.count)
        let tStat =
            abs(rho) >= 1
            ? (rho > 0 ? Double.infinity : -Double.infinity) : rho * ((n - 2) / (1 - rho * rho)).squareRoot()
        let critical = Distributions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: n - 2)
        let values = ["spearman_rho": rho, "t": tStat, "critical": critical]
        let mde = detectableRho(points: x.count)
        if tStat * direction > critical {
            return RuleOutcome(
                supported: true, values: values,
                reason: "ρ = \(formatted(rho)) is significant in the expected direction"
            ).detecting(mde, "a ρ")
        }
        if tStat * direction < -critical {
            return RuleOutcome(
                supported: false, values: values,
                reason: "ρ = \(formatted(rho)) is significant against the expected direction"
            ).detecting(mde, "a ρ")
        }
        return RuleOutcome(supported: nil, values: values, reason: "ρ = \(formatted(rho)) is not significant")
            .detecting(mde, "a ρ")
    }

    // MARK: A bound that holds everywhere

    /// Is the expected value below its limit at every point (a risk under its bound, a paired
    /// difference under 0)? Supported when every point's one-sided 97.5% upper t bound is below
    /// its limit; not supported when some point's lower bound, Bonferroni-adjusted over the points,
    /// is above it; inconclusive otherwise. Null (the expectation reaches the limit somewhere):
    /// "supported" at rate ≤ 2.5%.
    ///
    /// Measured (VerdictRuleTests, 3 points × 10 samples): one mean exactly at its limit (the others
    /// 5 standard errors below), "supported" 2.3% (2000 runs); every mean 5 SE below, supported
    /// 98.4% (500 runs); one 5 SE above, not supported 96.0%.
    public static func belowEverywhere(samples: [[Double]], limits: [Double]) -> RuleOutcome {
        precondition(samples.count == limits.count, "one limit per point")
        guard !samples.isEmpty, samples.allSatisfy({ $0.count >= 2 }) else {
            return RuleOutcome(supported: nil, values: [:], reason: "fewer than two samples at a point")
        }
        var allBelow = true
        var someAbove = false
        var worstSlack = Double.infinity
        var mde = 0.0
        for (x, limit) in zip(samples, limits) {
            let mean = Stats.mean(x)
            let se = Stats.standardError(x)
            let df = Double(x.count - 1)
            let upper = mean + Distributions.studentTQuantile(0.975, degreesOfFreedom: df) * se
            let lower =
                mean - Distributions.studentTQuantile(1 - 0.025 / Double(samples.count), degreesOfFreedom: df) * se
            // Strictly below: a difference of exactly 0 with no scatter (identical runs) is not "below".
            if upper >= limit { allBelow = false }
            if lower > limit { someAbove = true }
            worstSlack = min(worstSlack, limit - upper)
            mde = max(mde, detectable(standardError: se, degreesOfFreedom: df))
        }
        let values = ["points": Double(samples.count), "smallest_slack": worstSlack]
        let what = "a distance below the limit"
        if allBelow {
            return RuleOutcome(supported: true, values: values, reason: "every upper 97.5% bound is below its limit")
                .detecting(mde, what)
        }
        if someAbove {
            return RuleOutcome(
                supported: false, values: values,
                reason: "some point lies above its limit beyond its (Bonferroni) lower bound"
            ).detecting(mde, what)
        }
        return RuleOutcome(supported: nil, values: values, reason: "some interval contains its limit").detecting(
            mde, what)
    }

    // MARK: Equivalence

    /// Is the expected value within ±margin of 0 (an equivalence test, two one-sided tests)?
    /// Supported when the 95% t interval of the samples lies inside [−margin, margin]; not
    /// supported when it lies wholly outside; inconclusive otherwise, or with fewer than two
    /// samples. Null (the expectation at ±margin): "supported" at rate ≤ 2.5%. `what` names the
    /// reference in the reason ("the interval lies within ±0.05 of chance").
    ///
    /// Measured (VerdictRuleTests, 10 samples, margin = 4.5 standard errors): the mean exactly at
    /// +margin, "supported" 1.55%, at −margin 2.6% (2000 runs each); the mean at 0, supported
    /// 96.0% (500 runs); 4 SE beyond the margin, not supported 93.8%.
    public static func withinMargin(_ samples: [Double], margin: Double, of what: String) -> RuleOutcome {
        guard samples.count >= 2 else { return RuleOutcome(supported: nil, values: [:], reason: "fewer than two runs") }
        return withinMargin(Stats.tInterval(samples), margin: margin, of: what)
    }

    /// The same equivalence test on a given 95% interval (a Welch interval of a difference, say).
    public static func withinMargin(_ ci: Interval, margin: Double, of what: String) -> RuleOutcome {
        let values = ["lower": ci.lower, "upper": ci.upper]
        // What it resolves: a departure beyond the margin this large is called "not supported" 80% of the time.
        let mde = detectable(ci)
        let resolve = "a departure beyond the margin"
        if ci.lower >= -margin && ci.upper <= margin {
            return RuleOutcome(
                supported: true, values: values, reason: "the interval lies within ±\(formatted(margin)) of \(what)"
            ).detecting(mde, resolve)
        }
        if ci.lower > margin || ci.upper < -margin {
            return RuleOutcome(
                supported: false, values: values, reason: "the interval lies beyond \(formatted(margin)) of \(what)"
            ).detecting(mde, resolve)
        }
        return RuleOutcome(
            supported: nil, values: values, reason: "the interval reaches beyond ±\(formatted(margin)) of \(what)"
        ).detecting(mde, resolve)
    }

    // MARK: Agreement with a closed form

    /// Do the measurements agree with a closed form? Each point's interval (at 95%) should hold
    /// the prediction; with m independent points, the number outside is Binomial(m, 0.05) when the
    /// closed form is right. Supported when at most the binomial's 95% quantile fall outside, not
    /// supported when more do. Null (the closed form is right): "not supported" at rate ≤ 5%
    /// (1 − the binomial's CDF at the allowed count: 3.6% at m = 15, 1.6% at m = 20).
    ///
    /// Measured (VerdictRuleTests, 20 points, each a t interval of 40 draws): the closed form
    /// right, "not supported" 1.4% (1000 runs); the closed form off by 1.5 standard errors at every
    /// point, not supported 90.7% (300 runs). "Supported" means only that no disagreement was found:
    /// its rate on a wrong closed form is this power's complement, not bounded by 5%.
    public static func agreesWithClosedForm(intervals: [Interval], predicted: [Double]) -> RuleOutcome {
        precondition(
            intervals.count == predicted.count, "\(intervals.count) intervals for \(predicted.count) predictions")
        guard !intervals.isEmpty else {
            return RuleOutcome(supported: nil, values: [:], reason: "no points to compare")
        }
        let m = intervals.count
        let outside = zip(intervals, predicted).filter { !$0.0.contains($0.1) }.count
        let allowed = binomialQuantile(m, p: 1 - intervals[0].level, q: 0.95)
        let values = ["points": Double(m), "outside": Double(outside), "allowed_outside": Double(allowed)]
        return RuleOutcome(
            supported: outside <= allowed, values: values,
            reason: "\(outside) of \(m) intervals miss the closed form (at most \(allowed) expected by chance)")
    }

    /// The smallest k with P(Binomial(m, p) ≤ k) ≥ q.
    static func binomialQuantile(_ m: Int, p: Double, q: Double) -> Int {
        var cdf = 0.0
        var term = pow(1 - p, Double(m))
        for k in 0...m {
            if k > 0 { term *= Double(m - k + 1) / Double(k) * p / (1 - p) }
            cdf += term
            if cdf >= q { return k }
        }
        return m
    }

    // MARK: Peak near a threshold

    /// A measured curve: per grid point, its replicate values (seeds or trials).
    public struct Curve: Sendable {
        public var x: [Double]
        public var samples: [[Double]]
        /// Standard errors known from elsewhere (a jackknife), with their degrees of freedom.
        public var knownStandardErrors: (se: [Double], df: Double)?
        /// Replicate j is the same unit at every point (the same training set, the same seed):
        /// differences between points are then taken per replicate (paired), which removes the
        /// between-replicate scatter the points share.
        public var paired: Bool
        public init(x: [Double], samples: [[Double]], paired: Bool = false) {
            precondition(
                x.count == samples.count && samples.allSatisfy { !$0.isEmpty },
                "a curve needs one or more samples per point")
            precondition(
                !paired || Set(samples.map(\.count)).count == 1,
                "a paired curve needs the same replicates at every point")
            self.x = x
            self.samples = samples
            self.paired = paired
        }
        /// A curve of estimates with their standard errors (e.g. by jackknife over `degreesOfFreedom + 1` training
        /// sets).
        public init(x: [Double], means: [Double], standardErrors: [Double], degreesOfFreedom: Double) {
            precondition(
                x.count == means.count && means.count == standardErrors.count,
                "one mean and one standard error per point")
            self.x = x
            self.samples = means.map { [$0] }
            self.knownStandardErrors = (standardErrors, degreesOfFreedom)
            self.paired = false
        }
        public var means: [Double] { samples.map(Stats.mean) }
        /// The curve at the points `indices`, in that order (known standard errors with them): a
        /// rule given it pools the scatter of those points alone, e.g. when a point it does not
        /// compare (a spike at an interpolation threshold) spreads far wider than the rest. Not for
        /// one replicate per point, whose scatter comes from the whole curve's roughness.
        public func restricted(to indices: [Int]) -> Curve {
            var c = Curve(x: indices.map { x[$0] }, samples: indices.map { samples[$0] }, paired: paired)
            c.knownStandardErrors = knownStandardErrors.map { k in (indices.map { k.se[$0] }, k.df) }
            return c
        }
        /// Replicates per point (the smallest over the grid).
        public var replicates: Int { samples.map(\.count).min() ?? 0 }
    }

    /// The scatter σ of single measurements around a smooth curve, from its second differences
    /// (Rice 1984): eᵢ = (yᵢ₋₁ + yᵢ₊₁)/2 − yᵢ has standard deviation √1.5·σ where the curve is
    /// locally linear in the grid index. The median of |eᵢ| (÷ 0.6745, the normal's) keeps the few
    /// points at a real bend — a peak, a steep early descent — from inflating it; bends over many
    /// points still do, which errs toward "inconclusive".
    public static func scatterFromRoughness(_ y: [Double]) -> Double? {
        guard y.count >= 5 else { return nil }
        var e = [Double]()
        for i in 1..<(y.count - 1) {
            let mid: Double = (y[i - 1] + y[i + 1]) / 2
            e.append(abs(mid - y[i]))
        }
        return Stats.median(e) / 0.6745 / 1.5.squareRoot()
    }

    /// Does the curve peak near `threshold` and fall on both sides? With W the grid points within
    /// a factor `window` of the threshold, L those left of W and R those right of it, the rule
    /// compares every p ∈ W with every l ∈ L (the rise) and every r ∈ R (the fall), with
    /// simultaneous one-sided t bounds (Bonferroni over the |W|·|L| and |W|·|R| comparisons).
    /// A point outside W significantly above p (one-sided bounds, Bonferroni over the |L| + |R|
    /// outside points, at 5%) cuts p's side short: the points beyond it cannot witness p's rise or
    /// fall, since the curve climbs above p before reaching them. So a curve that keeps rising
    /// through W to a maximum beyond it, and falls only after, has no peak near the threshold;
    /// while a double-descent curve whose underfitting end stands higher than its peak keeps it
    /// (the high end lies beyond the dip that witnesses the rise). The peak is local: between its
    /// two witnesses, no point is significantly above it.
    ///
    /// - supported: some p ∈ W has a rise and a fall, within its reach, whose lower bounds exceed
    ///   0. On any curve without a peak in W (flat, monotone, rising to a plateau) this happens at
    ///   rate ≤ 5%.
    /// - not supported: for every p ∈ W, every rise or every fall within its reach has its upper
    ///   bound below `margin` (the least bump that matters; an empty reach counts): no peak of that
    ///   size at the threshold. When the highest outside point is significantly above every p ∈ W
    ///   the reason names it ("the curve's maximum lies outside the window, at x = …").
    /// - inconclusive: otherwise, or when L, W or R is empty, or the scatter is unknown.
    ///
    /// `values` holds the chosen peak (`peak_x`, `peak_value`, `rise_lower`, `fall_lower`) and the
    /// highest outside point (`outside_max_x`, `outside_max_value`).
    ///
    /// Measured (VerdictRuleTests; the 19-point grid 2…300, threshold 47, window 1.6, σ = 0.02,
    /// margin 0.02): "supported" on a flat curve 1.8% with one seed, 0.5% with 3 (2000 runs each);
    /// rising to the threshold, then a plateau, 2.85% and 1.4%; a maximum at 3.2× the threshold
    /// (rising through W, falling steeply after x = 150), 0.0% with 3 seeds, where the rule without
    /// the outside check said "supported" 96%. A bump of 0.1 at the threshold on a falling curve
    /// (about 6 standard errors of a difference), 3 seeds: supported 99.2% (500 runs), 98.8% with
    /// an underfitting end above the peak. Not controlled: a maximum just outside W that exceeds
    /// W's best point by a little — the check asks that it be significantly above, so with the
    /// excess at 0, 1, 2, 3, 4, 5 standard errors of the difference "supported" stays at 100%,
    /// 99.7%, 97%, 76%, 38%, 12% (a rise to 75, a point at 100 above it, a fall after; 3 seeds).
    /// Choose `window` so that a maximum just beyond it would still count as near.
    ///
    /// Standard errors come from the replicates (pooled over the grid, or a point's own where
    /// larger; df = Σ(replicates − 1)); with one replicate per point,
    /// from `scatterFromRoughness` of the curve (df = points − 2), or from `scatter` when given.
    public static func peakNear(
        _ curve: Curve, threshold: Double, window: Double = 1.6, margin: Double, scatter: Double? = nil
    ) -> RuleOutcome {
        let inW = curve.x.indices.filter { abs(log(curve.x[$0] / threshold)) <= log(window) }
        guard let first = inW.first, let last = inW.last, first > 0, last < curve.x.count - 1 else {
            return RuleOutcome(
                supported: nil, values: ["threshold": threshold],
                reason: "the grid does not reach past the threshold \(formatted(threshold)) on both sides")
        }
        let left = Array(0..<first)
        let right = Array((last + 1)..<curve.x.count)
        var outcome = peak(
            curve, candidates: inW, left: left, right: right, outside: left + right, margin: margin, scatter: scatter)
        outcome.values["threshold"] = threshold
        return outcome
    }

    /// Is there a peak strictly inside the grid, above both ends? (`peakNear` with every interior
    /// point a candidate and the two ends as the sides.) On a valley, pass the negated curve.
    /// A point above the peak elsewhere inside the grid does not count against it: the claim is
    /// only that the curve rises from the first end and falls to the last.
    ///
    /// Measured (VerdictRuleTests; 12 points, σ = 0.05, margin 0.05): "supported" on a flat curve
    /// 1.6% with one seed, 0.25% with 3; rising to the middle, then a plateau to the last end,
    /// 3.45% and 0.95% (2000 runs each). A bell of height 0.2 (about 5 standard errors of a
    /// difference), 3 seeds: supported 91.2% (500 runs).
    public static func interiorPeak(_ curve: Curve, margin: Double, scatter: Double? = nil) -> RuleOutcome {
        guard curve.x.count >= 3 else {
            return RuleOutcome(supported: nil, values: [:], reason: "fewer than three points")
        }
        // No outside points: the ends are the sides, and an end significantly above a candidate
        // already denies it that side's rise or fall.
        return peak(
            curve, candidates: Array(1..<(curve.x.count - 1)), left: [0], right: [curve.x.count - 1], outside: [],
            margin: margin, scatter: scatter)
    }

    /// The peak test of `peakNear` on given index sets (candidates W, left L, right R). Points in
    /// `outside` can cut a candidate's sides short: one significantly above p (one-sided bounds,
    /// Bonferroni over the outside points) stands between p and every side point beyond it, so
    /// those cannot witness p's rise or fall. With `outside` empty this is the plain rise-and-fall test.
    static func peak(
        _ curve: Curve, candidates inW: [Int], left: [Int], right: [Int], outside: [Int] = [], margin: Double,
        scatter: Double?
    ) -> RuleOutcome {
        let m = curve.means
        guard let (se, df) = standardErrors(curve, scatter: scatter) else {
            return RuleOutcome(
                supported: nil, values: [:],
                reason: "one measurement per point and too few points to estimate their scatter")
        }
        let cRise = Distributions.studentTQuantile(1 - alpha / Double(inW.count * left.count), degreesOfFreedom: df)
        let cFall = Distributions.studentTQuantile(1 - alpha / Double(inW.count * right.count), degreesOfFreedom: df)
        let cOut =
            outside.isEmpty
            ? 0 : Distributions.studentTQuantile(1 - alpha / Double(outside.count), degreesOfFreedom: df)
        func bound(_ p: Int, _ q: Int, _ c: Double) -> (lower: Double, upper: Double) {
            let d = m[p] - m[q]
            let s = differenceSE(curve, se, p, q)
            return (d - c * s, d + c * s)
        }
        let outsideSet = Set(outside)
        func isAbove(_ o: Int, _ p: Int) -> Bool { outsideSet.contains(o) && bound(o, p, cOut).lower > 0 }
        // The best peak: the candidate with the largest smaller-of-the-two lower bounds.
        var best = inW[0]
        var bestScore: Double? = nil
        var bestRise = 0.0
        var bestFall = 0.0
        var noBump = true
        for p in inW {
            // p's reach: the side points up to the nearest outside point significantly above p.
            let lastAbove = left.last { isAbove($0, p) }
            let firstAbove = right.first { isAbove($0, p) }
            let reachLeft = left.filter { $0 > (lastAbove ?? Int.min) }
            let reachRight = right.filter { $0 < (firstAbove ?? Int.max) }
            let rise = reachLeft.map { bound(p, $0, cRise) }
            let fall = reachRight.map { bound(p, $0, cFall) }
            let riseLower = rise.map(\.lower).max() ?? -Double.infinity
            let fallLower = fall.map(\.lower).max() ?? -Double.infinity
            if bestScore == nil || min(riseLower, fallLower) > bestScore! {
                bestScore = min(riseLower, fallLower)
                best = p
                bestRise = riseLower
                bestFall = fallLower
            }
            // No reach on a side: the curve climbs above p before any point there could show a fall.
            let riseSmall = rise.allSatisfy { $0.upper < margin }
            let fallSmall = fall.allSatisfy { $0.upper < margin }
            if !(riseSmall || fallSmall) { noBump = false }
        }
        var values = [
            "peak_x": curve.x[best], "peak_value": m[best], "rise_lower": bestRise, "fall_lower": bestFall,
            "standard_error": se[best], "margin": margin,
        ]
        // The bump it could have seen at the chosen candidate: against its nearest side points.
        let nearest = [
            left.last.map { (differenceSE(curve, se, best, $0), cRise) },
            right.first.map { (differenceSE(curve, se, best, $0), cFall) },
        ].compactMap { $0 }
        let mde =
            nearest.map { detectable(critical: $0.1, standardError: $0.0, degreesOfFreedom: df, power: eachOfTwo) }
            .max() ?? .nan
        func detecting(_ r: RuleOutcome) -> RuleOutcome { r.detecting(mde, "a rise and a fall") }
        // The highest outside point, and whether it stands significantly above every candidate.
        let top = outside.max { m[$0] < m[$1] }
        if let o = top {
            values["outside_max_x"] = curve.x[o]
            values["outside_max_value"] = m[o]
        }
        if bestRise > 0 && bestFall > 0 {
            return detecting(
                RuleOutcome(
                    supported: true, values: values,
                    reason:
                        "at x = \(formatted(curve.x[best])) the curve rises "
                        + "and falls by more than its simultaneous 95% bounds"
                ))
        }
        if noBump {
            if let o = top, inW.allSatisfy({ isAbove(o, $0) }) {
                return detecting(
                    RuleOutcome(
                        supported: false, values: values,
                        reason:
                            "the curve's maximum lies outside the window, at x = \(formatted(curve.x[o])), above every "
                            + "point in it beyond the simultaneous 95% bounds"
                    ))
            }
            return detecting(
                RuleOutcome(
                    supported: false, values: values,
                    reason: "no rise or no fall of the margin \(formatted(margin)) within the bounds"))
        }
        return detecting(RuleOutcome(supported: nil, values: values, reason: "the bump is within the scatter"))
    }

    /// Standard errors of a curve's means and their degrees of freedom: pooled over the grid
    /// (or a point's own where larger) with replicates; from the roughness with one.
    /// The standard error of mean[p] − mean[q]: from the per-replicate differences when paired.
    static func differenceSE(_ curve: Curve, _ se: [Double], _ p: Int, _ q: Int) -> Double {
        if curve.paired && curve.replicates >= 2 {
            return Stats.standardError(zip(curve.samples[p], curve.samples[q]).map { $0 - $1 })
        }
        return (se[p] * se[p] + se[q] * se[q]).squareRoot()
    }

    static func standardErrors(_ curve: Curve, scatter: Double? = nil) -> (se: [Double], df: Double)? {
        if let known = curve.knownStandardErrors { return known }
        // Paired: each difference has its own standard error over the k replicates (df = k − 1).
        if curve.paired && curve.replicates >= 2 {
            return (curve.samples.map { Stats.standardError($0) }, Double(curve.replicates - 1))
        }
        if curve.replicates >= 2 {
            // A few seeds per point give too few degrees of freedom alone, and the scatter is
            // often larger near a peak than elsewhere: the pooled variance, or a point's own where larger.
            var ss = 0.0
            var dof = 0
            for s in curve.samples {
                let mu = Stats.mean(s)
                ss += s.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
                dof += s.count - 1
            }
            let pooled = (ss / Double(dof)).squareRoot()
            return (
                curve.samples.map { max(pooled, Stats.standardDeviation($0)) / Double($0.count).squareRoot() },
                Double(dof)
            )
        }
        if let s = scatter { return ([Double](repeating: s, count: curve.x.count), 1e6) }
        if let s = scatterFromRoughness(curve.means) {
            return ([Double](repeating: s, count: curve.x.count), Double(curve.x.count - 2))
        }
        return nil
    }

    // MARK: An increase between pairs of points

    /// Does the curve rise from some point a to a later point b, among the given pairs (a, b)?
    /// Simultaneous one-sided t bounds over the pairs (Bonferroni): supported when some rise has
    /// its lower bound above 0, not supported when every rise has its upper bound below `margin`,
    /// inconclusive otherwise. Null (no pair rises): "supported" at rate ≤ 5%.
    ///
    /// Measured (VerdictRuleTests; 6 points × 4 seeds, all 15 pairs, margin 0.1): flat, σ = 0.3,
    /// "supported" 2.5% (2000 runs); a rise of 0.2 per step (1.0 over the grid, about 5 standard
    /// errors of a difference), supported 93.2% (500 runs); a fall of 0.05 per step with σ = 0.03,
    /// not supported 99.4%.
    public static func someIncrease(_ curve: Curve, pairs: [(Int, Int)], margin: Double) -> RuleOutcome {
        guard !pairs.isEmpty, let (se, df) = standardErrors(curve) else {
            return RuleOutcome(
                supported: nil, values: [:], reason: "no pairs to compare, or no scatter to compare them with")
        }
        let m = curve.means
        let c = Distributions.studentTQuantile(1 - alpha / Double(pairs.count), degreesOfFreedom: df)
        var best = pairs[0]
        var bestLower = -Double.infinity
        var allSmall = true
        for (a, b) in pairs {
            let d = m[b] - m[a]
            let s = differenceSE(curve, se, a, b)
            if d - c * s > bestLower {
                bestLower = d - c * s
                best = (a, b)
            }
            if d + c * s >= margin { allSmall = false }
        }
        let values = [
            "from_x": curve.x[best.0], "to_x": curve.x[best.1], "from_value": m[best.0], "to_value": m[best.1],
            "rise_lower": bestLower, "margin": margin,
        ]
        let mde = detectable(critical: c, standardError: differenceSE(curve, se, best.0, best.1), degreesOfFreedom: df)
        if bestLower > 0 {
            return RuleOutcome(
                supported: true, values: values,
                reason:
                    "from x = \(formatted(curve.x[best.0])) to \(formatted(curve.x[best.1])) the curve rises beyond "
                    + "its simultaneous 95% bounds"
            ).detecting(mde, "a rise")
        }
        if allSmall {
            return RuleOutcome(
                supported: false, values: values,
                reason: "no rise reaches the margin \(formatted(margin)) within its bounds"
            ).detecting(mde, "a rise")
        }
        return RuleOutcome(supported: nil, values: values, reason: "a rise is within the scatter").detecting(
            mde, "a rise")
    }

    // MARK: One point against others

    /// Is the curve lower at `point` than at every one of `others`? Simultaneous one-sided t
    /// bounds on mean[point] − mean[o] over the others (Bonferroni): supported when every upper
    /// bound is below 0; not supported when some lower bound is above 0 (the point is
    /// significantly higher than one of them); inconclusive otherwise. Null (the point is not the
    /// lowest): "supported" at rate ≤ 5%, since the other at or below it alone fails its bound
    /// with probability ≥ 1 − 5%/|others|.
    ///
    /// Measured (VerdictRuleTests; the last of 19 points against 9 others, 3 seeds, σ = 0.02): tied
    /// with the lowest of the others, "supported" 0.2% (2000 runs); 0.07 below it (about 4.3
    /// standard errors of the difference), supported 84.2% (500 runs); 0.07 above it, not
    /// supported 86.6%.
    public static func lowerThanAll(_ curve: Curve, point p: Int, others: [Int]) -> RuleOutcome {
        guard !others.isEmpty, let (se, df) = standardErrors(curve) else {
            return RuleOutcome(
                supported: nil, values: [:], reason: "nothing to compare with, or no scatter to compare with")
        }
        let m = curve.means
        let c = Distributions.studentTQuantile(1 - alpha / Double(others.count), degreesOfFreedom: df)
        // The closest competitor: the other whose difference has the largest upper bound.
        var closest = others[0]
        var closestUpper = -Double.infinity
        var worstLower = -Double.infinity
        var worst = others[0]
        for o in others {
            let d = m[p] - m[o]
            let s = differenceSE(curve, se, p, o)
            if d + c * s > closestUpper {
                closestUpper = d + c * s
                closest = o
            }
            if d - c * s > worstLower {
                worstLower = d - c * s
                worst = o
            }
        }
        let values = [
            "value": m[p], "closest_x": curve.x[closest], "closest_value": m[closest], "difference_upper": closestUpper,
            "difference_lower": worstLower,
        ]
        let mde = detectable(critical: c, standardError: differenceSE(curve, se, p, closest), degreesOfFreedom: df)
        let what = "a lead over the closest point"
        if closestUpper < 0 {
            return RuleOutcome(
                supported: true, values: values,
                reason:
                    "at x = \(formatted(curve.x[p])) the curve is below every compared point beyond the simultaneous "
                    + "95% bounds (closest: x = \(formatted(curve.x[closest])))"
            ).detecting(mde, what)
        }
        if worstLower > 0 {
            return RuleOutcome(
                supported: false, values: values,
                reason:
                    "at x = \(formatted(curve.x[worst])) the curve is lower than at x = \(formatted(curve.x[p])) "
                    + "beyond the bounds"
            ).detecting(mde, what)
        }
        return RuleOutcome(
            supported: nil, values: values,
            reason: "x = \(formatted(curve.x[closest])) is within the scatter of x = \(formatted(curve.x[p]))"
        ).detecting(mde, what)
    }

    static func formatted(_ v: Double) -> String { String(format: "%.3g", v) }
}

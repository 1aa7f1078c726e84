import Foundation
import LinearAlgebra

/// How well each generalization measure ranks a zoo of networks by their generalization gap
/// (Jiang et al. 2020): Kendall's τ of measure and gap over the networks, with every measure's τ
/// recomputed on the same bootstrap resamples of the networks, so that intervals of differences
/// between measures are paired; and the granulated Ψ, τ within groups of networks that differ in
/// one hyperparameter only, averaged.
public struct MeasureRanking: Sendable {
    public var names: [String]
    /// τ of each measure with the gap over every network.
    public var tau: [Double]
    /// τ of each measure on each bootstrap resample of the networks: [resample][measure].
    public var replicates: [[Double]]
    /// Networks ranked.
    public var networks: Int

    /// `values[m][i]`: measure m of network i; `gap[i]`: network i's generalization gap. Every
    /// value must be finite (a measure undefined on some network is left out by the caller).
    ///
    /// `strata[i]` (optional): a setting held fixed within each comparison, as Jiang et al. held
    /// the training-set size fixed. τ then counts only pairs of networks in the same stratum (the
    /// strata's τ averaged, weighted by their pairs), and the bootstrap resamples within each
    /// stratum: a factor that drives the gap on its own (more data, smaller gap) cannot make a
    /// measure that merely tracks it (any bound with a 1/n) rank well.
    public init(
        names: [String], values: [[Double]], gap: [Double], strata: [Int]? = nil, resamples: Int = 2000,
        seed: UInt64 = 0
    ) {
        precondition(names.count == values.count, "\(names.count) names for \(values.count) measures")
        precondition(values.allSatisfy { $0.count == gap.count }, "every measure needs one value per network")
        precondition(strata.map { $0.count == gap.count } ?? true, "one stratum per network")
        self.names = names
        networks = gap.count
        let groups = Self.groups(strata ?? [Int](repeating: 0, count: gap.count))
        tau = values.map { Self.stratifiedTau($0, gap, groups) }
        var rng = Generator(seed: seed, stream: 61)
        var reps = [[Double]]()
        reps.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let drawn = groups.map { g in g.map { _ in g[rng.int(below: g.count)] } }
            reps.append(values.map { v in Self.stratifiedTau(v, gap, drawn) })
        }
        replicates = reps
    }

    /// The networks of each stratum, in order of first appearance.
    static func groups(_ strata: [Int]) -> [[Int]] {
        var order = [Int]()
        var members = [Int: [Int]]()
        for (i, s) in strata.enumerated() {
            if members[s] == nil { order.append(s) }
            members[s, default: []].append(i)
        }
        return order.map { members[$0]! }
    }

    /// Kendall τ within each group of indices, averaged with weights n(n−1)/2 (the pairs each
    /// compares); NaN when no group has a defined τ. One group: the plain τ.
    static func stratifiedTau(_ v: [Double], _ gap: [Double], _ groups: [[Int]]) -> Double {
        if groups.count == 1 { return Stats.kendallTau(groups[0].map { v[$0] }, groups[0].map { gap[$0] }) }
        var sum = 0.0
        var weight = 0.0
        for g in groups where g.count >= 2 {
            let t = Stats.kendallTau(g.map { v[$0] }, g.map { gap[$0] })
            guard t.isFinite else { continue }
            let w = Double(g.count * (g.count - 1) / 2)
            sum += w * t
            weight += w
        }
        return weight > 0 ? sum / weight : .nan
    }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Measures in order of τ, highest first (the ranked table's order).
    public var ranked: [Int] { names.indices.sorted { tau[$0] != tau[$1] ? tau[$0] > tau[$1] : $0 < $1 } }

    /// The percentile interval of a statistic of each resample's τ's (NaN replicates, from a
    /// resample on which a measure was constant, left out).
    func percentile(level: Double, estimate: Double, _ statistic: ([Double]) -> Double) -> Interval {
        let values = replicates.map(statistic).filter(\.isFinite)
        guard values.count >= 20 else { return Interval(estimate: estimate, lower: .nan, upper: .nan, level: level) }
        let alpha = (1 - level) / 2
        return Interval(
            estimate: estimate, lower: Stats.quantile(values, alpha), upper: Stats.quantile(values, 1 - alpha),
            level: level)
    }

    /// τ of measure m, with its bootstrap interval over networks.
    public func interval(_ m: Int, level: Double = 0.95) -> Interval {
        percentile(level: level, estimate: tau[m]) { $0[m] }
    }

    /// τ_a − τ_b, paired over the resamples.
    public func difference(_ a: Int, _ b: Int, level: Double = 0.95) -> Interval {
        percentile(level: level, estimate: tau[a] - tau[b]) { $0[a] - $0[b] }
    }

    /// τ_m minus the median τ of all measures, paired (the median recomputed on each resample).
    public func againstMedian(_ m: Int, level: Double = 0.95) -> Interval {
        percentile(level: level, estimate: tau[m] - Stats.median(tau)) { r in r[m] - Stats.median(r.filter(\.isFinite))
        }
    }

    /// Jiang et al.'s granulated τ for one hyperparameter: the mean, over groups of networks that
    /// share every other hyperparameter, of τ within the group (nil when no group of two or more
    /// has a defined τ).
    public static func granulated(values: [Double], gap: [Double], groups: [[Int]]) -> Double? {
        let taus = groups.filter { $0.count >= 2 }.map { g in Stats.kendallTau(g.map { values[$0] }, g.map { gap[$0] })
        }.filter(\.isFinite)
        return taus.isEmpty ? nil : Stats.mean(taus)
    }
}

// MARK: - The verdicts of the zoo

extension MeasureRanking {
    /// "Some measure ranks generalization better than `reference` (the parameter count)": for
    /// each other measure, the paired interval of τ_m − τ_reference at one-sided level
    /// 1 − α/(M−1) (Bonferroni over the M−1 comparisons, so that picking the best of many does
    /// not inflate the false-positive rate). Supported when some lower bound is above 0; not
    /// supported when the best measure's 95% interval lies below `margin` (the reference ranks
    /// about as well as the best); inconclusive otherwise.
    public func someOutranks(_ reference: Int, margin: Double, alpha: Double = 0.05) -> RuleOutcome {
        let others = names.indices.filter { $0 != reference }
        guard !others.isEmpty else {
            return RuleOutcome(supported: nil, values: [:], reason: "no other measure to compare with")
        }
        let level = 1 - 2 * alpha / Double(others.count)
        let diffs = others.map { (m: $0, ci: difference($0, reference, level: level)) }
        let best = others.max { tau[$0] < tau[$1] }!
        let bestCI = diffs.first { $0.m == best }!.ci
        let above = diffs.filter { $0.ci.lower > 0 }
        // The lead over the reference the Bonferroni test sees with 80% power (bootstrap SE of the best's difference).
        let plainBest = difference(best, reference)
        let mde = VerdictRules.detectable(
            critical: Distributions.normalQuantile(1 - alpha / Double(others.count)),
            standardError: (plainBest.upper - plainBest.lower) / (2 * 1.959964), degreesOfFreedom: 1e6)
        func detecting(_ r: RuleOutcome) -> RuleOutcome { r.detecting(mde, "a lead in τ") }
        var values: [String: Double] = [
            "best_minus_reference": bestCI.estimate, "best_minus_reference_lower": bestCI.lower,
            "best_minus_reference_upper": bestCI.upper,
            "measures_above_reference": Double(above.count),
        ]
        values["reference_tau"] = tau[reference]
        if !above.isEmpty {
            return detecting(
                RuleOutcome(
                    supported: true, values: values,
                    reason: String(
                        format:
                            "%d of %d measures rank better than %@ at the Bonferroni level (one-sided %.4f each); the "
                            + "best, %@, by %+.3f [%+.3f, %+.3f]",
                        above.count, others.count, names[reference], alpha / Double(others.count), names[best],
                        bestCI.estimate, bestCI.lower, bestCI.upper)))
        }
        let plain = difference(best, reference)
        values["best_minus_reference_upper_95"] = plain.upper
        if plain.upper < margin {
            return detecting(
                RuleOutcome(
                    supported: false, values: values,
                    reason: String(
                        format:
                            "no measure ranks better than %@; the best, %@, by "
                            + "%+.3f, 95%% CI up to %+.3f, below the margin %.2f",
                        names[reference], names[best], plain.estimate, plain.upper, margin)))
        }
        return detecting(
            RuleOutcome(
                supported: nil, values: values,
                reason: String(
                    format:
                        "no measure is better than %@ at the Bonferroni level, and the best, %@ (%+.3f, CI up to "
                        + "%+.3f), is not within %.2f of it either",
                    names[reference], names[best], bestCI.estimate, bestCI.upper, margin)))
    }

    /// "The best of `family` ranks generalization near the top": its τ above 0, and no measure's
    /// τ above it by `margin` or more — an intersection–union test: for every other measure m
    /// the paired interval of τ_m − τ_family lies below the margin. The family's best is picked
    /// by τ, so every interval is at level 1 − α/|family| (Bonferroni over the pick). Not
    /// supported when its τ's interval lies at or below 0, or some measure's lies above it by
    /// more than the margin.
    public func nearTop(_ family: [Int], margin: Double, alpha: Double = 0.05) -> RuleOutcome {
        guard let f = family.max(by: { tau[$0] < tau[$1] }) else {
            return RuleOutcome(supported: nil, values: [:], reason: "no measure of the family was computed")
        }
        let level = 1 - alpha / Double(family.count)
        let positive = interval(f, level: level)
        let others = names.indices.filter { $0 != f }
        let ahead = others.map { (m: $0, ci: difference($0, f, level: level)) }
        // The measure that could be farthest ahead: the largest upper bound.
        let worst = ahead.max { $0.ci.upper < $1.ci.upper }
        let rank = ranked.firstIndex(of: f)! + 1
        var values = ["tau": tau[f], "tau_lower": positive.lower, "tau_upper": positive.upper, "rank": Double(rank)]
        var text = String(
            format: "%@ ranks %d of %d: τ = %.3f [%.3f, %.3f]", names[f], rank, names.count, tau[f], positive.lower,
            positive.upper)
        if let w = worst {
            values["ahead"] = w.ci.estimate
            values["ahead_lower"] = w.ci.lower
            values["ahead_upper"] = w.ci.upper
            text += String(
                format:
                    "; the measure that may be farthest ahead of it, %@, "
                    + "by %+.3f [%+.3f, %+.3f] (intervals at level %.3f)",
                names[w.m], w.ci.estimate, w.ci.lower, w.ci.upper, level)
        }
        // The τ of the family's best the test would see above 0 with 80% power, at the decision's
        // own level (two-sided 1 − α/|F|): the standard error from the 95% interval.
        let ci95 = interval(f)
        let mde = VerdictRules.detectable(
            critical: Distributions.normalQuantile(1 - alpha / (2 * Double(family.count))),
            standardError: (ci95.upper - ci95.lower) / (2 * 1.959964), degreesOfFreedom: 1e6)
        func detecting(_ r: RuleOutcome) -> RuleOutcome { r.detecting(mde, "a τ") }
        if positive.lower > 0 && ahead.allSatisfy({ $0.ci.upper < margin }) {
            return detecting(
                RuleOutcome(
                    supported: true, values: values,
                    reason: text + String(format: ": no measure is ahead by %.2f or more", margin)))
        }
        if positive.upper <= 0 {
            return detecting(
                RuleOutcome(supported: false, values: values, reason: text + ": not positively correlated with the gap")
            )
        }
        if let far = ahead.first(where: { $0.ci.lower > margin }) {
            return detecting(
                RuleOutcome(
                    supported: false, values: values,
                    reason: text + String(format: ": %@ is ahead by more than %.2f", names[far.m], margin)))
        }
        return detecting(
            RuleOutcome(
                supported: nil, values: values,
                reason: text + String(format: ": the intervals do not decide (margin %.2f)", margin)))
    }

    /// "Measure m ranks among the worst": its τ below the median measure's, by the paired 95%
    /// interval of τ_m − median τ (upper bound below 0); not supported when the lower bound is
    /// above 0.
    public func amongWorst(_ m: Int) -> RuleOutcome {
        let d = againstMedian(m)
        let rank = ranked.firstIndex(of: m)! + 1
        let values = [
            "tau": tau[m], "minus_median": d.estimate, "minus_median_lower": d.lower, "minus_median_upper": d.upper,
            "rank": Double(rank),
        ]
        let text = String(
            format: "%@ ranks %d of %d: τ = %.3f, %+.3f from the median measure's [%+.3f, %+.3f]", names[m], rank,
            names.count, tau[m], d.estimate, d.lower, d.upper)
        let mde = VerdictRules.detectable(d)
        let what = "a distance from the median"
        if d.upper < 0 {
            return RuleOutcome(supported: true, values: values, reason: text + ", below it").detecting(mde, what)
        }
        if d.lower > 0 {
            return RuleOutcome(supported: false, values: values, reason: text + ", above it").detecting(mde, what)
        }
        return RuleOutcome(supported: nil, values: values, reason: text + ", not separable from it").detecting(
            mde, what)
    }
}

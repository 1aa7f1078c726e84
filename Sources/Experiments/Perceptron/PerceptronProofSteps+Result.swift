import Foundation
import LinearAlgebra
import Measures

extension PerceptronProofSteps {
    func result(_ trials: [Trial], seconds: Double, command: String) -> ExperimentResult {
        let bound = PerceptronBounds.mistakeBound(radius: drawn.radius, margin: drawn.margin)
        let verdicts =
            [onlineToBatchVerdict(trials), leaveOneOutVerdict(trials, bound: bound)]
            + orderingVerdicts(trials, bound: bound)
        let (table, orderings) = Self.tables(trials, bound: bound)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "mistake_bound": JSONValue(bound), "sets": JSONValue(trials.count),
                "loo_sets": JSONValue(trials.filter { $0.looErrors != nil }.count),
            ],
            verdicts: verdicts, command: command, figures: Self.figures, tables: [table, orderings], seconds: seconds,
            references: [
                Reference(
                    source:
                        "Cesa-Bianchi, Conconi & Gentile (2004), On the "
                        + "generalization ability of on-line learning algorithms",
                    value: "E[risk of a random iterate] = E[mistakes]/n for one pass over i.i.d. samples",
                    what: "the online-to-batch step of the one-pass bound R²/(γ²n)"),
                Reference(
                    source:
                        "Novikoff (1962); the leave-one-out argument as in Freund & Schapire (1999), Large margin "
                        + "classification using the perceptron algorithm",
                    value: "mistakes ≤ R²/γ² in any order; leave-one-out "
                        + "errors ≤ the points that caused updates",
                    what: "the steps of the final-weights bound R²/(γ²(n+1))"),
            ])
    }

    /// Each training set's steps, and each ordering's mistakes as a share of the bound.
    static func tables(_ trials: [Trial], bound: Double) -> (trials: Table, orderings: Table) {
        var table = Table(
            name: "trials",
            columns: [
                "set", "online_mistake_rate", "random_iterate_risk", "difference", "mistakes", "support", "loo_errors",
                "worst_margin_order_mistakes", "slowest_progress_order_mistakes", "random_order_mistakes",
            ])
        var orderings = Table(name: "orderings", columns: ["ordering", "set", "mistakes", "share_of_bound"])
        for (t, r) in trials.enumerated() {
            let randomMean = Stats.mean(r.randomOrders.map(Double.init))
            table.append([
                JSONValue(t), JSONValue(r.onlineMistakeRate), JSONValue(r.randomIterateRisk),
                JSONValue(r.onlineMistakeRate - r.randomIterateRisk),
                JSONValue(r.mistakes), JSONValue(r.support), r.looErrors.map { JSONValue($0) } ?? .null,
                JSONValue(r.worstOrder), JSONValue(r.slowestOrder), JSONValue(randomMean),
            ])
            orderings.append([
                .string("most violated first"), JSONValue(t), JSONValue(r.worstOrder),
                JSONValue(Double(r.worstOrder) / bound),
            ])
            orderings.append([
                .string("closest to w* first"), JSONValue(t), JSONValue(r.slowestOrder),
                JSONValue(Double(r.slowestOrder) / bound),
            ])
            orderings.append([
                .string("random order (mean)"), JSONValue(t), JSONValue(randomMean), JSONValue(randomMean / bound),
            ])
        }
        return (table, orderings)
    }

    static var figures: [FigureSpec] {
        [
            FigureSpec(
                file: "online_to_batch.svg",
                title: "Online-to-batch: mistakes per sample in one pass against the risk of a random iterate",
                kind: .scatter, table: "trials", x: "random_iterate_risk",
                xLabel: "risk of a uniformly random iterate (test sample)",
                yLabel: "mistakes / n in the same pass",
                series: [.init(y: "online_mistake_rate", label: "one training set", markers: true)], fitLine: true),
            FigureSpec(
                file: "orderings.svg",
                title: "Mistakes as a share of R²/γ²: two adversarial orders against random orders", kind: .dots,
                table: "orderings", x: "ordering", xLabel: "ordering", yLabel: "mistakes / (R²/γ²)",
                series: [.init(y: "share_of_bound", label: "one training set")]),
        ]
    }

    func onlineToBatchVerdict(_ trials: [Trial]) -> Verdict {
        let d = trials.map { $0.onlineMistakeRate - $0.randomIterateRisk }
        let rule = VerdictRules.withinMargin(d, margin: identityMargin, of: "0")
        let ci = Stats.tInterval(d)
        return Verdict(
            .theorem,
            claim:
                "Online-to-batch: over one pass on i.i.d. samples, the expected number of mistakes divided by n equals "
                + "the expected risk of an iterate drawn uniformly from the pass.",
            supported: rule.supported,
            evidence: String(
                format:
                    "%d training sets of %d: mistakes/n %.4f, risk of a random iterate %.4f; difference %+.4f [%+.4f, "
                    + "%+.4f] (the test sample's precision sets the margin ±%.4f): %@.",
                trials.count, n, Stats.mean(trials.map(\.onlineMistakeRate)),
                Stats.mean(trials.map(\.randomIterateRisk)),
                ci.estimate, ci.lower, ci.upper, identityMargin, rule.reason),
            values: rule.values.merging(["mean_difference": ci.estimate, "margin": identityMargin]) { a, _ in a })
    }

    func leaveOneOutVerdict(_ trials: [Trial], bound: Double) -> Verdict {
        let loo = trials.filter { $0.looErrors != nil }
        guard !loo.isEmpty else {
            return Verdict(
                .theorem, claim: Self.looClaim, supported: nil,
                evidence: "No leave-one-out set converged within \(maxEpochs) passes.")
        }
        let excess = loo.map { Double($0.looErrors! - $0.support) }.max()!
        let overMistakes = loo.map { Double($0.support - $0.mistakes) }.max()!
        let overBound = loo.map { Double($0.mistakes) - bound }.max()!
        let rule = VerdictRules.holds(
            max(excess, overMistakes, overBound), atMost: 0,
            what: "the largest excess of a step over the next (LOO "
                + "− support, support − mistakes, mistakes − R²/γ²)")
        return Verdict(
            .theorem, claim: Self.looClaim, supported: rule.supported,
            evidence: String(
                format:
                    "%d sets of %d run to convergence, each point left out in turn: leave-one-out errors %.2f, points "
                    + "that caused updates %.2f, mistakes %.2f, R²/γ² = %.0f (means); %@.",
                loo.count, n, Stats.mean(loo.map { Double($0.looErrors!) }), Stats.mean(loo.map { Double($0.support) }),
                Stats.mean(loo.map { Double($0.mistakes) }), bound, rule.reason),
            values: rule.values)
    }

    static let looClaim =
        "The leave-one-out step: a point that never caused an update is classified correctly when it is left out, so "
        + "the leave-one-out errors are at most the points that caused updates, at most the mistakes, at most R²/γ²."

    func orderingVerdicts(_ trials: [Trial], bound: Double) -> [Verdict] {
        let worst = trials.map { Double($0.worstOrder) }
        let slowest = trials.map { Double($0.slowestOrder) }
        let random = trials.map { Stats.mean($0.randomOrders.map(Double.init)) }
        let converged = trials.allSatisfy(\.adversariesConverged)
        let most = max(worst.max()!, slowest.max()!)
        let within = VerdictRules.holds(most, atMost: bound, what: "the most mistakes in an adversarial order")
        let d = zip(slowest, random).map { log(max($0, 1) / max($1, 1)) }
        let rule = VerdictRules.exceeds(
            differences: d, leastEffect: Self.leastOrderExcess, what: "log(adversary's mistakes / random orders')")
        return [
            Verdict(
                .theorem,
                claim:
                    "Novikoff's bound holds in every order: adversaries that choose the next point after every update "
                    + "still make at most R²/γ² mistakes.",
                supported: converged ? within.supported : false,
                evidence: String(
                    format:
                        "On %d sets, most violated first %.1f mistakes on average, closest to w* first %.1f, at most "
                        + "%.0f, against R²/γ² = %.0f; %@%@.",
                    trials.count,
                    Stats.mean(worst), Stats.mean(slowest), most, bound, within.reason,
                    converged ? "" : "; some runs never separated the data"),
                values: within.values),
            Verdict(
                .finding,
                claim:
                    "An adversarial order makes more mistakes: showing the misclassified point closest to the "
                    + "separator first (the least progress per update) costs more mistakes than random orders of "
                    + "the same data (10% or more to count).",
                supported: rule.supported,
                evidence: String(
                    format:
                        "Per set, closest to w* first %.1f mistakes, random orders %.1f (mean of %d), most violated "
                        + "first %.1f; %@. The adversary reaches %.0f%% of R²/γ² on average, %.0f%% at most.",
                    Stats.mean(slowest), Stats.mean(random), orders, Stats.mean(worst), rule.reason,
                    100 * Stats.mean(slowest) / bound, 100 * slowest.max()! / bound),
                values: rule.values.merging([
                    "worst_share_of_bound": slowest.max()! / bound, "mean_share_of_bound": Stats.mean(slowest) / bound,
                    "most_violated_over_random": Stats.mean(worst) / Stats.mean(random),
                ]) { a, _ in a }),
        ]
    }
}

import Foundation
import LinearAlgebra
import Measures

extension SampleWiseNetwork {
    /// The rise test over neighbouring sizes, its table and figure, from the outcomes alone.
    public func analyze(_ measured: Measured<[Outcome]>) -> ExperimentResult {
        let outcomes = measured.outcomes
        func at(_ n: Int) -> [Outcome] { outcomes.filter { $0.size == n }.sorted { $0.seed < $1.seed } }
        // Replicate j is seed j at every size (the same initialization and order): paired differences.
        let curve = VerdictRules.Curve(
            x: sizes.map(Double.init), samples: sizes.map { at($0).map(\.testError) }, paired: true)
        let rise = VerdictRules.someIncrease(
            curve, pairs: (0..<(sizes.count - 1)).map { ($0, $0 + 1) }, margin: Self.leastRise)
        // The interpolation threshold in n: the largest size every seed still fits (training error ≤ 0.1%).
        let fitted = sizes.filter { n in at(n).allSatisfy { $0.trainError <= 0.001 } }
        var table = Table(
            name: "sizes", columns: ["n", "train_error", "test_error", "test_error_lower", "test_error_upper", "seeds"])
        for n in sizes {
            let ci = Stats.tInterval(at(n).map(\.testError))
            table.append([
                JSONValue(n), JSONValue(Stats.mean(at(n).map(\.trainError))), JSONValue(ci.estimate),
                JSONValue(ci.lower), JSONValue(ci.upper), JSONValue(at(n).count),
            ])
        }
        let verdict = Verdict(
            .finding,
            claim:
                "More data can hurt: at a fixed width near its interpolation threshold, with label noise, test error "
                + "rises from some training-set size to the next (by a point or more to count).",
            supported: rise.supported,
            evidence: String(
                format:
                    "mlp %d×%d (%d parameters) on %@ with %.0f%% label noise, %d steps, %d seeds: test error %@ at n "
                    + "= %@; every seed fits the training set up to n = %@; %@.",
                width, width, outcomes.first?.parameters ?? 0, data, 100 * labelNoise, steps, seeds,
                curve.means.map { String(format: "%.1f%%", 100 * $0) }.joined(separator: ", "),
                sizes.map(String.init).joined(separator: ", "),
                fitted.last.map(String.init) ?? "none", rise.reason),
            values: rise.values.merging(["interpolating_size": fitted.last.map(Double.init) ?? .nan]) { a, _ in a })
        let figure = FigureSpec(
            file: "sizes.svg", title: "Test error against the training-set size at a fixed width (label noise)",
            table: "sizes", x: "n",
            xLabel: "training samples n", yLabel: "error", xLog: true,
            series: [
                .init(
                    y: "test_error", label: "test (95% CI over seeds)", lower: "test_error_lower",
                    upper: "test_error_upper", markers: true),
                .init(y: "train_error", label: "train (noisy labels)", dashed: true),
            ])
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: ["interpolating_size": fitted.last.map { JSONValue($0) } ?? .null],
            verdicts: [verdict], command: "", figures: [figure], tables: [table], notes: measured.notes,
            references: [
                Reference(
                    source:
                        "Nakkiran, Kaplun, Bansal, Yang, Barak & Sutskever (2020), Deep double descent, §6 and Fig. 3",
                    value:
                        "more samples hurt in a window near the threshold (transformers on IWSLT'14, CNNs on CIFAR "
                        + "with label noise)",
                    what: "sample-wise non-monotonicity; their models and data, not these")
            ])
    }
}

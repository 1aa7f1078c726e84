import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Claims: (a) one pass, then w′ drawn uniformly from the iterates w₀…w_{n−1}: E[risk] ≤ R²/(γ²n);
/// (b) run to zero training mistakes: E[risk(w_final)] ≤ R²/(γ²(n+1)).
/// The expectation is over training sets of n from the distribution; we estimate it by the mean
/// over `trials` independent draws, each risk measured on one fresh sample of `testCount` points.
public struct RiskBoundExperiment: Codable, Sendable {
    /// The separable distribution the training sets are drawn from.
    public var distribution: Separable
    /// Training-set sizes n, increasing.
    public var sizes: [Int]
    /// Independent training sets per n.
    public var trials: Int
    /// Fresh samples the risks are measured on.
    public var testCount: Int
    /// Passes over the training set at most.
    public var maxEpochs: Int
    /// Seed of the training sets.
    public var seed: UInt64

    public init(
        distribution: Separable = Separable(dimension: 20, margin: 0.1), sizes: [Int] = [100, 200, 500, 1000, 2000],
        trials: Int = 200, testCount: Int = 10_000, maxEpochs: Int = 10_000, seed: UInt64 = 0
    ) {
        self.distribution = distribution
        self.sizes = sizes
        self.trials = trials
        self.testCount = testCount
        self.maxEpochs = maxEpochs
        self.seed = seed
    }
}

extension RiskBoundExperiment: LiveMeasurement {
    public var name: String { "perceptron-risk" }

    public func validate() throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else {
            throw GenLabError.parameter(name: "sizes", problem: "(n) must be positive, got \(sizes)")
        }
        guard sizes == sizes.sorted(), Set(sizes).count == sizes.count else {
            throw GenLabError.parameter(name: "sizes", problem: "(n) must be increasing, got \(sizes)")
        }
        guard trials >= 2 else {
            throw GenLabError.parameter(name: "trials", problem: "must be ≥ 2 for an interval, got \(trials)")
        }
        guard testCount >= 100 else {
            throw GenLabError.parameter(
                name: "testCount",
                problem: "(the fresh sample) must hold ≥ 100, got \(testCount)")
        }
        try distribution.validate()
    }

    /// One training set of n: the risk of one pass's random iterate and of the final weights run
    /// to convergence (each on the fresh sample), whether it converged, and its mistakes.
    public struct Trial: Codable, Sendable {
        var randomIterate: Double
        var final: Double
        var converged: Bool
        var mistakes: Int
    }

    /// `trials` training sets at every n, one size after the other (the trials of a size in
    /// parallel); the outcomes hold the trials of each size, in the order of `sizes`.
    public func measure(_ context: RunContext) throws -> Measured<[[Trial]]> {
        var d = distribution
        d.seed = seed
        d.onMarginFraction = 0  // the distribution itself: no atom on the margin
        let dist = d
        let test = dist.draw(testCount, stream: 1_000_000, onMargin: false)
        let tx: Matrix<Double> = test.features.converted()
        let ty = try test.signedLabels()
        // Live: the sizes finished so far, analyzed as a run over those sizes.
        let live = liveUnits(context, count: sizes.count) { (done: [[Trial]]) in
            var part = self
            part.sizes = Array(sizes.prefix(done.count))
            return (part, done, partialNote(done.count, of: sizes.count, "sizes"))
        }
        var perSize = [[Trial]]()
        for (k, n) in sizes.enumerated() {
            context.progress.report("n = \(n)", Double(k) / Double(sizes.count))
            perSize.append(
                parallelMap(trials) { t in
                    let train = dist.draw(n, stream: UInt64(k) << 32 | UInt64(t), onMargin: false)
                    let x: Matrix<Double> = train.features.converted()
                    let y = try! train.signedLabels()
                    let onePass = Perceptron(maxEpochs: 1, recordIterates: true).fit(x, y)
                    let full = Perceptron(maxEpochs: maxEpochs).fit(x, y)
                    return Trial(
                        randomIterate: PerceptronBounds.randomIterateRisk(onePass, testX: tx, testY: ty),
                        final: full.errorRate(tx, ty), converged: full.converged, mistakes: full.mistakes.count)
                })
            live.finished(k, perSize[k])
        }
        context.progress.report("done", 1)
        return Measured(perSize)
    }

    /// Per n: the intervals against the bounds (the tables), the samples the rules read, and the
    /// evidence lines the verdicts quote.
    struct Summary {
        var table = Table(
            name: "risk", columns: ["n", "estimator", "mean_risk", "ci_lower", "ci_upper", "bound", "trials"])
        var pairs = Table(name: "risk_difference", columns: ["n", "mean_difference", "ci_lower", "ci_upper"])
        var randomSamples = [[Double]](), randomBounds = [Double](), finalSamples = [[Double]](),
            finalBounds = [Double](), differences = [[Double]]()
        var randomEvidence = [String](), finalEvidence = [String](), diffEvidence = [String](),
            gainEvidence = [String]()
        /// Per trial, random − (n+1)/n · final: positive on average when the measured gain of running
        /// to convergence exceeds the bounds' ratio (n+1)/n.
        var beyondBoundRatio = [[Double]]()
        var gains = [Double]()
        var unconverged = 0
    }

    func summarize(_ perSize: [[Trial]]) -> Summary {
        // The bound is about the distribution's support: every point has y⟨w*, x⟩ ≥ γ and ‖x‖ ≤ R.
        let gamma = distribution.margin
        let radius = distribution.radius
        var s = Summary()
        for (n, results) in zip(sizes, perSize) {
            s.unconverged += results.filter { !$0.converged }.count
            let a = Stats.tInterval(results.map(\.randomIterate))
            let b = Stats.tInterval(results.map(\.final))
            let boundA = PerceptronBounds.randomIterateRiskBound(radius: radius, margin: gamma, n: n)
            let boundB = PerceptronBounds.finalWeightsRiskBound(radius: radius, margin: gamma, n: n)
            s.table.append([
                JSONValue(n), "random iterate (one pass)", JSONValue(a.estimate), JSONValue(a.lower),
                JSONValue(a.upper), JSONValue(boundA), JSONValue(trials),
            ])
            s.table.append([
                JSONValue(n), "final weights (to convergence)", JSONValue(b.estimate), JSONValue(b.lower),
                JSONValue(b.upper), JSONValue(boundB), JSONValue(trials),
            ])
            s.randomSamples.append(results.map(\.randomIterate))
            s.randomBounds.append(boundA)
            s.finalSamples.append(results.map(\.final))
            s.finalBounds.append(boundB)
            s.differences.append(results.map { $0.final - $0.randomIterate })
            s.randomEvidence.append(
                String(format: "n=%d: %.4f [%.4f, %.4f] vs %.4f", n, a.estimate, a.lower, a.upper, boundA))
            s.finalEvidence.append(
                String(format: "n=%d: %.4f [%.4f, %.4f] vs %.4f", n, b.estimate, b.lower, b.upper, boundB))
            let diff = Stats.tInterval(results.map { $0.final - $0.randomIterate })
            s.pairs.append([JSONValue(n), JSONValue(diff.estimate), JSONValue(diff.lower), JSONValue(diff.upper)])
            s.diffEvidence.append(
                String(format: "n=%d: %+.4f [%+.4f, %+.4f]", n, diff.estimate, diff.lower, diff.upper))
            let ratio = Double(n + 1) / Double(n)
            s.beyondBoundRatio.append(results.map { $0.randomIterate - ratio * $0.final })
            let gain = a.estimate / max(b.estimate, 1e-12)
            s.gains.append(gain)
            s.gainEvidence.append(String(format: "n=%d: %.2f× measured vs %.4f× in the bounds", n, gain, ratio))
        }
        return s
    }

    /// Both bounds, the paired gain of running to convergence, and that gain against the bounds'
    /// ratio, from the trials alone.
    public func analyze(_ measured: Measured<[[Trial]]>) -> ExperimentResult {
        let s = summarize(measured.outcomes)
        let figure = FigureSpec(
            file: "risk.svg", title: "Perceptron risk against n, with the two bounds", table: "risk", x: "n",
            xLabel: "training samples n", yLabel: "risk (test error)", xLog: true, yLog: true,
            series: [
                .init(
                    y: "mean_risk", label: "random iterate, measured", lower: "ci_lower", upper: "ci_upper",
                    markers: true, filterColumn: "estimator", filterValue: "random iterate (one pass)"),
                .init(
                    y: "bound", label: "R²/(γ²n)", dashed: true, filterColumn: "estimator",
                    filterValue: "random iterate (one pass)"),
                .init(
                    y: "mean_risk", label: "final weights, measured", lower: "ci_lower", upper: "ci_upper",
                    markers: true, filterColumn: "estimator", filterValue: "final weights (to convergence)"),
                .init(
                    y: "bound", label: "R²/(γ²(n+1))", dashed: true, filterColumn: "estimator",
                    filterValue: "final weights (to convergence)"),
            ])
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "margin": JSONValue(distribution.margin), "radius": JSONValue(distribution.radius),
                "unconverged_runs": JSONValue(s.unconverged),
                "measured_gain_at_largest_n": JSONValue(s.gains.last ?? .nan),
            ],
            verdicts: verdicts(s), command: "", figures: [figure], tables: [s.table, s.pairs], notes: measured.notes)
    }

    func verdicts(_ s: Summary) -> [Verdict] {
        // Ratio of bound to measurement at the largest n: how far below the bound the measurement sits.
        let last = s.table.rows.suffix(2)
        let ratioA = last.first![5].number! / max(last.first![2].number!, 1e-12)
        let ratioB = last.last![5].number! / max(last.last![2].number!, 1e-12)
        let randomRule = VerdictRules.belowEverywhere(samples: s.randomSamples, limits: s.randomBounds)
        let finalRule = VerdictRules.belowEverywhere(samples: s.finalSamples, limits: s.finalBounds)
        let pairedRule = VerdictRules.belowEverywhere(samples: s.differences, limits: s.differences.map { _ in 0 })
        let gainRule = VerdictRules.belowEverywhere(
            samples: s.beyondBoundRatio.map { $0.map { -$0 } }, limits: s.beyondBoundRatio.map { _ in 0 })
        return [
            Verdict(
                .theorem, claim: "One pass, then a uniformly random iterate: the expected risk is at most R²/(γ²n).",
                supported: randomRule.supported,
                evidence: "Mean risk [95% CI] vs bound — " + s.randomEvidence.joined(separator: "; ")
                    + String(format: ". At the largest n the bound is %.1f× the measurement; ", ratioA)
                    + randomRule.reason + ".",
                values: [
                    "bound_over_measured_at_largest_n": ratioA, "margin": distribution.margin,
                    "radius": distribution.radius,
                ]),
            Verdict(
                .theorem,
                claim: "Run to zero training mistakes: the expected risk "
                    + "of the final weights is at most R²/(γ²(n+1)).",
                supported: finalRule.supported,
                evidence: "Mean risk [95% CI] vs bound — " + s.finalEvidence.joined(separator: "; ")
                    + String(format: ". At the largest n the bound is %.1f× the measurement; ", ratioB)
                    + finalRule.reason + "."
                    + (s.unconverged > 0
                        ? " \(s.unconverged) runs stopped at the epoch limit before convergence." : ""),
                values: ["bound_over_measured_at_largest_n": ratioB, "unconverged_runs": Double(s.unconverged)]),
            Verdict(
                .finding, claim: "Running to convergence gives lower risk than one pass with a random iterate.",
                supported: pairedRule.supported,
                evidence: "Paired difference final − random iterate [95% CI]: "
                    + s.diffEvidence.joined(
                        separator: "; ")
                    + "; " + pairedRule.reason + ".",
                values: ["mde": pairedRule.mde]),
            // The talk reads the bounds' ratio (n+1)/n as "exactly optimizing gives only a minor
            // improvement"; this verdict judges the measured risks, not the bounds.
            Verdict(
                .finding,
                claim:
                    "The measured gain of running to convergence is larger than the bounds' ratio (n+1)/n: the bounds "
                    + "make optimizing look like a minor improvement, the risks do not.",
                supported: gainRule.supported,
                evidence: "Risk of the random iterate over risk of the final weights — "
                    + s.gainEvidence.joined(separator: "; ")
                    + "; per trial, random − (n+1)/n × final is positive: " + gainRule.reason + ".",
                values: [
                    "gain_at_largest_n": s.gains.last ?? .nan,
                    "bound_ratio_at_largest_n": Double(sizes.last! + 1) / Double(sizes.last!), "mde": gainRule.mde,
                ]),
        ]
    }
}

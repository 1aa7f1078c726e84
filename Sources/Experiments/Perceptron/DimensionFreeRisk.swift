import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The perceptron's capacity is R/γ, not the dimension: at a fixed radius R, margin γ and sample
/// size n, the dimension d grows from 10 to 10,000. The mistake bound R²/γ² and the risk bound
/// R²/(γ²(n+1)) do not involve d; a VC bound for halfspaces through the origin (VC dimension d)
/// grows with it and is vacuous once d approaches n. Each d draws `trials` training sets of n
/// from `Separable` (no atom on the margin), runs the perceptron to zero training mistakes and
/// measures the final weights' risk on one fresh sample of `testCount` points.
public struct DimensionFreeRisk: Codable, Sendable {
    /// Dimensions d, increasing.
    public var dimensions: [Int]
    /// Training samples n at every dimension.
    public var n: Int
    /// The planted margin γ.
    public var margin: Double
    /// The radius R of the data.
    public var radius: Double
    /// Independent training sets per dimension.
    public var trials: Int
    /// Fresh samples the risk is measured on.
    public var testCount: Int
    /// Passes over the training set at most.
    public var maxEpochs: Int
    /// Seed of the data.
    public var seed: UInt64
    /// δ of the VC bound drawn beside the measurements.
    public var delta: Double

    public init(
        dimensions: [Int] = [10, 30, 100, 300, 1000, 3000, 10_000], n: Int = 500, margin: Double = 0.1,
        radius: Double = 1, trials: Int = 50,
        testCount: Int = 2000, maxEpochs: Int = 10_000, seed: UInt64 = 0, delta: Double = 0.05
    ) {
        self.dimensions = dimensions
        self.n = n
        self.margin = margin
        self.radius = radius
        self.trials = trials
        self.testCount = testCount
        self.maxEpochs = maxEpochs
        self.seed = seed
        self.delta = delta
    }

    /// Growth that counts: a quarter of the smallest dimension's risk per tenfold d (at least one
    /// test error in `testCount`, so that a zero risk still leaves a margin).
    static let marginFraction = 0.25

    /// The realizable-case VC bound (Blumer et al. 1989): with probability ≥ 1 − δ, a consistent
    /// halfspace in d dimensions has risk ≤ (2/n)(d·log₂(2en/d) + log₂(2/δ)); above 1 it says nothing.
    public static func vcBound(dimension d: Int, n: Int, delta: Double) -> Double {
        let dd = Double(d)
        let nn = Double(n)
        let growth = dd < nn ? dd * log2(2 * M_E * nn / dd) : nn  // log₂ of the growth function: at most n bits
        return 2 / nn * (growth + log2(2 / delta))
    }

    public struct Trial: Codable, Sendable {
        var risk: Double
        var mistakes: Int
        var converged: Bool
    }

    /// The positive control: at the smallest dimension, the margin times these factors. R/γ grows
    /// fourfold, the risk must grow with it, and the rule that finds no growth in d must see it.
    static let controlMarginFactors = [1.0, 0.5, 0.25]

    /// `trials` training sets of n from the separable distribution in d dimensions at margin γ,
    /// each run to zero training mistakes, its risk measured on one fresh test sample.
    func trials(dimension d: Int, margin gamma: Double, seed s: UInt64) throws -> [Trial] {
        var dist = Separable(dimension: d, margin: gamma, radius: radius, seed: s)
        dist.onMarginFraction = 0
        let test = dist.draw(testCount, stream: 1_000_000, onMargin: false)
        let tx: Matrix<Double> = test.features.converted()
        let ty = try test.signedLabels()
        let frozen = dist
        let cap = maxEpochs
        let size = n
        return parallelMap(trials) { t in
            let train = frozen.draw(size, stream: UInt64(t), onMargin: false)
            let fit = Perceptron(maxEpochs: cap).fit(
                train.features.converted() as Matrix<Double>, try! train.signedLabels())
            return Trial(risk: fit.errorRate(tx, ty), mistakes: fit.mistakes.count, converged: fit.converged)
        }
    }

    /// Risk against log₁₀ of a capacity-like x (d, or R/γ) over every run, by the rule that
    /// decides "does not grow": slopeBelow with a margin of a quarter of the first point's risk.
    func growth(_ xs: [Double], _ runs: [[Trial]]) -> (rule: RuleOutcome, margin: Double, count: Int) {
        let x = zip(xs, runs).flatMap { v, ts in ts.map { _ in log10(v) } }
        let y = runs.flatMap { $0.map(\.risk) }
        let margin = max(Self.marginFraction * Stats.mean(runs[0].map(\.risk)), 1 / Double(testCount))
        return (VerdictRules.slopeBelow(x: x, y: y, margin: margin), margin, x.count)
    }
}

extension DimensionFreeRisk: LiveMeasurement {
    public var name: String { "perceptron-dimension" }

    public func validate() throws {
        guard dimensions.count >= 2, dimensions.allSatisfy({ $0 >= 2 }), dimensions == dimensions.sorted(),
            Set(dimensions).count == dimensions.count
        else {
            throw GenLabError.parameter(
                name: "dimensions",
                problem: "must be at least two increasing dimensions ≥ 2, got \(dimensions)")
        }
        guard n >= 1, trials >= 2, testCount >= 100 else {
            throw GenLabError.usage(
                "n ≥ 1, trials ≥ 2 and testCount ≥ 100 are needed, got \(n), \(trials), \(testCount)")
        }
        guard delta > 0 && delta < 1 else { throw GenLabError.usage("δ must be in (0, 1), got \(delta)") }
        try Separable(dimension: dimensions[0], margin: margin, radius: radius).validate()
    }

    /// The runs at every dimension, and the positive control's at the first dimension over shrinking margins.
    public struct Outcomes: Codable, Sendable {
        var perDimension: [[Trial]]
        var control: [[Trial]]
    }

    /// `trials` training sets at every dimension, then the positive control.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        // The first dimension and the positive control first, so that every finished dimension
        // after them is a run a live view can analyze (each draw's seed is fixed by its place).
        let steps = Double(dimensions.count + 1)
        context.progress.report("d = \(dimensions[0])", 0)
        let first = try trials(dimension: dimensions[0], margin: margin, seed: seed)
        context.progress.report("positive control: γ shrinking at d = \(dimensions[0])", 1 / steps)
        let control = try Self.controlMarginFactors.enumerated().map { k, f in
            k == 0 ? first : try trials(dimension: dimensions[0], margin: margin * f, seed: seed &+ 7_000 &+ UInt64(k))
        }
        let live = liveUnits(context, count: dimensions.count) { (done: [[Trial]]) in
            var part = self
            part.dimensions = Array(dimensions.prefix(done.count))
            return (
                part, Outcomes(perDimension: done, control: control),
                partialNote(done.count, of: dimensions.count, "dimensions")
            )
        }
        var perDimension = [first]
        live.finished(0, first)
        for (k, d) in dimensions.enumerated().dropFirst() {
            context.progress.report("d = \(d)", Double(k + 1) / steps)
            perDimension.append(try trials(dimension: d, margin: margin, seed: seed &+ UInt64(k)))
            live.finished(k, perDimension[k])
        }
        context.progress.report("done", 1)
        return Measured(Outcomes(perDimension: perDimension, control: control))
    }

    var riskBound: Double { PerceptronBounds.finalWeightsRiskBound(radius: radius, margin: margin, n: n) }

    /// The bounds, the flat risk in d and its positive control, from the runs alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let perDimension = measured.outcomes.perDimension
        let control = measured.outcomes.control
        let unconverged = perDimension.flatMap { $0 }.filter { !$0.converged }.count
        let (capacity, flat) = capacityVerdicts(perDimension, control: control)
        let figure = FigureSpec(
            file: "dimension.svg", title: "Perceptron risk against the dimension, R and γ fixed", table: "dimension",
            x: "dimension",
            xLabel: "dimension d (n = \(n), R = \(formatNumber(radius)), γ = \(formatNumber(margin)))", yLabel: "risk",
            xLog: true, yLog: true,
            series: [
                .init(
                    y: "mean_risk", label: "final weights, measured", lower: "risk_lower", upper: "risk_upper",
                    markers: true),
                .init(y: "risk_bound", label: "R²/(γ²(n+1))", dashed: true),
                .init(y: "vc_bound", label: "VC bound (realizable, δ = \(formatNumber(delta)))", dashed: true),
            ])
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "risk_bound": JSONValue(riskBound), "slope_per_decade": JSONValue(flat.values["slope"] ?? .nan),
                "unconverged_runs": JSONValue(unconverged),
            ],
            verdicts: boundVerdicts(perDimension, unconverged: unconverged) + capacity, command: "", figures: [figure],
            tables: [tabulate(perDimension)], notes: measured.notes,
            references: [
                Reference(
                    source: "Novikoff (1962); the talk's 'Perceptron shows us'", value: "R/γ measures the capacity",
                    what: "a statement, not a number: the bounds depend on R/γ and n only")
            ])
    }

    func tabulate(_ perDimension: [[Trial]]) -> Table {
        let mistakeBound = PerceptronBounds.mistakeBound(radius: radius, margin: margin)
        var table = Table(
            name: "dimension",
            columns: [
                "dimension", "mean_risk", "risk_lower", "risk_upper", "risk_bound", "vc_bound", "mean_mistakes",
                "max_mistakes", "mistake_bound",
            ])
        for (d, trials) in zip(dimensions, perDimension) {
            let ci = Stats.tInterval(trials.map(\.risk))
            table.append([
                JSONValue(d), JSONValue(ci.estimate), JSONValue(max(0, ci.lower)), JSONValue(ci.upper),
                JSONValue(riskBound),
                JSONValue(Self.vcBound(dimension: d, n: n, delta: delta)),
                JSONValue(Stats.mean(trials.map { Double($0.mistakes) })),
                JSONValue(trials.map(\.mistakes).max()!), JSONValue(mistakeBound),
            ])
        }
        return table
    }

    /// The mistake bound and the risk bound, at every dimension.
    func boundVerdicts(_ perDimension: [[Trial]], unconverged: Int) -> [Verdict] {
        let bound = riskBound
        let mistakeBound = PerceptronBounds.mistakeBound(radius: radius, margin: margin)
        let worstMistakes = perDimension.flatMap { $0 }.map(\.mistakes).max()!
        let mistakes = VerdictRules.holds(
            Double(worstMistakes), atMost: mistakeBound, what: "the most mistakes in any run")
        let under = VerdictRules.belowEverywhere(
            samples: perDimension.map { $0.map(\.risk) }, limits: dimensions.map { _ in bound })
        let riskAt = { (i: Int) in Stats.mean(perDimension[i].map(\.risk)) }
        return [
            Verdict(
                .theorem, claim: "The perceptron makes at most R²/γ² mistakes whatever the dimension.",
                supported: mistakes.supported,
                evidence: String(
                    format: "Over %d runs at d = %d…%d: at most %d mistakes against R²/γ² = %.0f (%@).",
                    dimensions.count * trials, dimensions[0], dimensions.last!, worstMistakes, mistakeBound,
                    mistakes.reason),
                values: mistakes.values),
            Verdict(
                .theorem,
                claim: "At every dimension the risk of the final weights "
                    + "stays below R²/(γ²(n+1)), a bound without d.",
                supported: under.supported,
                evidence: String(
                    format: "Mean risk %.4f at d = %d, %.4f at d = %d, against %.4f (n = %d): %@.%@",
                    riskAt(0), dimensions[0], riskAt(dimensions.count - 1), dimensions.last!, bound, n, under.reason,
                    unconverged > 0 ? " \(unconverged) runs stopped at the epoch limit." : ""),
                values: under.values),
        ]
    }

    /// No growth of the risk in d, decided only when the same rule sees growth in R/γ (the positive control).
    func capacityVerdicts(_ perDimension: [[Trial]], control: [[Trial]]) -> ([Verdict], flat: RuleOutcome) {
        // Growth per tenfold d, over every run: log₁₀ d against its risk; and the same rule on the
        // positive control, log₁₀(R/γ) against its risk, where growth must show.
        let (flatRule, slopeMargin, runCount) = growth(dimensions.map(Double.init), perDimension)
        let ratios = Self.controlMarginFactors.map { radius / (margin * $0) }
        let (controlRule, controlMargin, _) = growth(ratios, control)
        let controlSees = controlRule.supported == false
        let flat =
            controlSees || flatRule.supported != true
            ? flatRule
            : RuleOutcome(
                supported: nil, values: flatRule.values,
                reason: flatRule.reason
                    + "; but the same rule did not see the risk grow with R/γ (the positive control), so it could not "
                    + "have seen growth with d"
            )
        let vcFirst = Self.vcBound(dimension: dimensions[0], n: n, delta: delta)
        let vcLast = Self.vcBound(dimension: dimensions.last!, n: n, delta: delta)
        return (
            [
                Verdict(
                    .finding,
                    claim:
                        "Capacity is R/γ, not the dimension: the risk does not grow with d, while a VC bound for "
                        + "halfspaces grows linearly in d.",
                    supported: flat.supported,
                    evidence: String(
                        format:
                            "Risk against log₁₀ d over %d runs: slope %+.5f per tenfold d, 95%% CI [%+.5f, %+.5f], "
                            + "against the margin %.5f (a quarter of the risk at d = %d, or one test error); the "
                            + "VC bound (δ = %g) goes from %.2f at d = %d to %.2f at d = %d (above 1: vacuous): %@.",
                        runCount, flat.values["slope"] ?? .nan, flat.values["slope_lower"] ?? .nan,
                        flat.values["slope_upper"] ?? .nan, slopeMargin,
                        dimensions[0], delta, vcFirst, dimensions[0], vcLast, dimensions.last!, flat.reason),
                    values: flat.values.merging(["vc_bound_first": vcFirst, "vc_bound_last": vcLast]) { a, _ in a }),
                Verdict(
                    .finding,
                    claim:
                        "Positive control: at fixed d, shrinking the margin γ (R/γ from \(formatNumber(ratios[0])) "
                        + "to \(formatNumber(ratios.last!))) raises the risk, and the rule that finds no growth in "
                        + "d sees this growth.",
                    supported: controlRule.supported.map { !$0 },
                    evidence: String(
                        format:
                            "At d = %d, mean risk %.4f at γ = %g, %.4f at γ = %g; risk against log₁₀(R/γ): "
                            + "slope %+.4f per tenfold R/γ, 95%% CI [%+.4f, %+.4f], against the margin %.5f: %@.",
                        dimensions[0], Stats.mean(control[0].map(\.risk)), margin,
                        Stats.mean(control.last!.map(\.risk)), margin * Self.controlMarginFactors.last!,
                        controlRule.values["slope"] ?? .nan, controlRule.values["slope_lower"] ?? .nan,
                        controlRule.values["slope_upper"] ?? .nan, controlMargin,
                        controlRule.reason),
                    values: controlRule.values),
            ], flat
        )
    }
}

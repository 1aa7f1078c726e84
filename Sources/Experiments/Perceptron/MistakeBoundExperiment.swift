import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Claim: on data with margin γ inside a ball of radius R the perceptron makes at most R²/γ²
/// mistakes, whatever the order and the number of passes; and each step of the proof holds.
public struct MistakeBoundExperiment: Codable, Sendable {
    /// Dataset spec with two classes (planted separable data, or e.g. fashion-mnist:classes=trouser,bag).
    public var data: String
    /// Passes over the data at most (the perceptron stops at the first pass without a mistake).
    public var maxEpochs: Int
    /// Shuffle the order each pass with this seed (not set: the given order).
    public var shuffleSeed: UInt64?
    /// Learn a bias (a constant feature appended, which enters R).
    public var bias: Bool

    public init(
        data: String = "separable:d=50,n=5000,margin=0.05", maxEpochs: Int = 1000, shuffleSeed: UInt64? = nil,
        bias: Bool = false
    ) {
        self.data = data
        self.maxEpochs = maxEpochs
        self.shuffleSeed = shuffleSeed
        self.bias = bias
    }

}

extension MistakeBoundExperiment: SingleUnitMeasurement {
    public var name: String { "perceptron-mistakes" }

    public func validate() throws {
        guard maxEpochs >= 1 else {
            throw GenLabError.parameter(name: "maxEpochs", problem: "must be ≥ 1, got \(maxEpochs)")
        }
    }

    /// What the max-margin solver proved about the data: its state and the bounds on γ* (its dual
    /// weights, one per sample, stay out: no verdict reads them).
    public struct Certificate: Codable, Sendable {
        var status: HardMarginSVM.Status
        var separable: Bool?
        var margin: Double
        var marginUpperBound: Double
        var relativeGap: Double
        var epochs: Int

        init(_ s: HardMarginSVM.Solution) {
            status = s.status
            separable = s.separable
            margin = s.margin
            marginUpperBound = s.marginUpperBound
            relativeGap = s.relativeGap
            epochs = s.epochs
        }
    }

    /// The data's size and radius, the solver's certificate, the perceptron's run (its final
    /// weights w_T included) and, on separable data, both sides of the proof's inequalities.
    public struct Outcomes: Codable, Sendable {
        var samples: Int
        var features: Int
        var radius: Double
        /// The margin the generator planted (synthetic data only).
        var plantedMargin: Double?
        var svm: Certificate
        var mistakes: Int
        var mistakesPerEpoch: [Int]
        var converged: Bool
        /// w_T (float64; the bias weight last with `bias`), written as weights.npy.
        var weights: [Double]
        var trace: [PerceptronBounds.ProofStep]?
    }

    /// The max-margin separator's certificate and the perceptron's run on the same data.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, requireTest: false)
        var x: Matrix<Double> = split.train.features.converted()
        let y = try split.train.signedLabels()
        try Perceptron.validate(x, y, source: data)
        if bias { x = x.appendingConstantColumn(1) }
        let radius = x.rowNorms().max() ?? 0
        // The max-margin separator gives the γ of the bound (the largest one, so the tightest bound).
        // Any separator's margin gives a valid bound; certifying the max margin to 1e-4 relative
        // makes the bound within 0.02% of the tightest one at a fraction of the cost.
        let svm = HardMarginSVM(tolerance: 1e-4, maxEpochs: 5000).solve(x, y)
        let fit = Perceptron(maxEpochs: maxEpochs, shuffleSeed: shuffleSeed).fit(x, y)
        var trace: [PerceptronBounds.ProofStep]? = nil
        if svm.separable == true, let w = svm.direction {
            trace = PerceptronBounds.proofTrace(
                x: x, y: y, mistakes: fit.mistakes, direction: w, margin: svm.margin,
                radius: radius)
        }
        return Measured(
            Outcomes(
                samples: x.rows, features: x.cols, radius: radius, plantedMargin: split.facts["margin"],
                svm: Certificate(svm),
                mistakes: fit.mistakes.count, mistakesPerEpoch: fit.mistakesPerEpoch, converged: fit.converged,
                weights: fit.weights, trace: trace))
    }

    static let claimBound =
        "The perceptron makes at most R²/γ² mistakes on data separable with margin γ inside a ball of radius R."
    static let claimProof =
        "Each step of the proof holds: after T mistakes ⟨w_T, w*⟩ ≥ Tγ and ‖w_T‖² ≤ T·R²."

    /// The bound and its proof steps where the data are separable, else why they do not apply;
    /// the perceptron's final weights w_T as the artifact weights.npy.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        var epochTable = Table(name: "mistakes_per_epoch", columns: ["epoch", "mistakes"])
        for (e, m) in o.mistakesPerEpoch.enumerated() { epochTable.append([JSONValue(e + 1), JSONValue(m)]) }
        // result.json lists the tables it is made with: the proof trace's goes in from the start.
        var result = ExperimentResult(
            experiment: name, configuration: [:], seed: shuffleSeed ?? 0, metrics: metrics(o),
            command: "", tables: [epochTable] + (o.trace.map { [Self.traceTable($0)] } ?? []),
            notes: measured.notes)
        if let trace = o.trace {
            let bound = PerceptronBounds.mistakeBound(radius: o.radius, margin: o.svm.margin)
            result.metrics["margin"] = JSONValue(o.svm.margin)
            result.metrics["mistake_bound"] = JSONValue(bound)
            result.verdicts = boundVerdicts(o, trace: trace, bound: bound)
            result.figures = Self.proofFigures
        } else {
            let why = notApplicable(o.svm)
            result.notes.append(
                "The bound's assumption \(o.svm.status == .notSeparable ? "fails" : "is unchecked"): \(why). "
                    + "Mistakes per epoch are reported instead.")
            let passes = o.mistakesPerEpoch.count
            result.verdicts = [
                Verdict(
                    .theorem, claim: Self.claimBound, supported: nil,
                    evidence:
                        "Not applicable: \(why); the perceptron made \(o.mistakes) mistakes in \(passes) passes and "
                        + "\(o.converged ? "converged" : "did not converge").",
                    values: ["mistakes": Double(o.mistakes), "epochs": Double(passes)])
            ]
        }
        result.figures.append(
            FigureSpec(
                file: "mistakes_per_epoch.svg", title: "Mistakes in each pass over the data",
                table: "mistakes_per_epoch", x: "epoch", xLabel: "pass", yLabel: "mistakes",
                series: [.init(y: "mistakes", label: "mistakes", markers: true)]))
        result.artifacts["weights.npy"] = NPYArray.encode(o.weights, shape: [o.weights.count])
        return result
    }

    /// The data's radius and size, the perceptron's run and the solver's certificate.
    func metrics(_ o: Outcomes) -> [String: JSONValue] {
        var metrics: [String: JSONValue] = [
            "radius": JSONValue(o.radius), "mistakes": JSONValue(o.mistakes),
            "epochs": JSONValue(o.mistakesPerEpoch.count),
            "converged": .bool(o.converged), "samples": JSONValue(o.samples), "features": JSONValue(o.features),
            "svm_margin_upper_bound": JSONValue(o.svm.marginUpperBound),
            "svm_relative_gap": JSONValue(o.svm.relativeGap),
            "svm_converged": .bool(o.svm.status == .optimal), "svm_status": JSONValue(o.svm.status.rawValue),
            "svm_epochs": JSONValue(o.svm.epochs),
        ]
        if let m = o.plantedMargin { metrics["planted_margin"] = JSONValue(m) }
        return metrics
    }

    /// Both sides of the two inequalities after each mistake.
    static func traceTable(_ trace: [PerceptronBounds.ProofStep]) -> Table {
        var t = Table(
            name: "proof_trace",
            columns: [
                "mistake", "alignment", "alignment_lower_bound", "norm_squared", "norm_squared_upper_bound", "holds",
            ])
        for s in trace {
            t.append([
                JSONValue(s.mistake), JSONValue(s.alignment), JSONValue(s.alignmentLowerBound),
                JSONValue(s.normSquared),
                JSONValue(s.normSquaredUpperBound), .bool(s.holds),
            ])
        }
        return t
    }

    /// The mistake bound, and both inequalities of its proof after every mistake.
    func boundVerdicts(_ o: Outcomes, trace: [PerceptronBounds.ProofStep], bound: Double) -> [Verdict] {
        let gamma = o.svm.margin
        let mistakes = Double(o.mistakes)
        let failing = trace.filter { !$0.holds }.count
        let separator =
            o.svm.status == .optimal
            ? String(format: "max margin, certified to %.1e", o.svm.relativeGap)
            : String(
                format:
                    "the margin of a separator the solver found before its limit, γ* ≤ %.4g: any separator's margin "
                    + "gives a valid, looser bound",
                o.svm.marginUpperBound)
        return [
            Verdict(
                .theorem, claim: Self.claimBound,
                supported: VerdictRules.holds(mistakes, atMost: bound, final: o.converged, what: "mistakes").supported,
                evidence: String(
                    format: "%d mistakes over %d passes%@; R = %.4g, γ = %.4g (%@), R²/γ² = %.4g: %@.",
                    o.mistakes, o.mistakesPerEpoch.count, o.converged ? "" : " (stopped before convergence)", o.radius,
                    gamma, separator, bound,
                    mistakes <= bound
                        ? String(format: "%.1f%% of the bound", 100 * mistakes / bound) : "the bound is exceeded"),
                values: ["mistakes": mistakes, "bound": bound, "radius": o.radius, "margin": gamma]),
            Verdict(
                .theorem, claim: Self.claimProof,
                supported: VerdictRules.holds(Double(failing), atMost: 0, what: "steps violating an inequality")
                    .supported,
                evidence: failing == 0
                    ? "Both inequalities hold after each of the \(trace.count) mistakes (checked in Double)."
                    : "\(failing) of \(trace.count) steps violate an inequality.",
                values: [
                    "steps": Double(trace.count), "violations": Double(failing),
                    "min_alignment_slack": trace.map { $0.alignment - $0.alignmentLowerBound }.min() ?? .nan,
                    "min_norm_slack": trace.map { $0.normSquaredUpperBound - $0.normSquared }.min() ?? .nan,
                ]),
        ]
    }

    /// Why the bound says nothing here: proved not separable, or separability undecided.
    func notApplicable(_ svm: Certificate) -> String {
        svm.status == .notSeparable
            ? String(
                format: "the data are not linearly separable%@: no unit w has margin above %.2g (Gordan certificate)",
                bias ? "" : " through the origin", svm.marginUpperBound)
            : String(
                format:
                    "separability is undecided: the max-margin solver did not converge in %d epochs (γ* ∈ [%.3g, "
                    + "%.3g], relative gap %.2g)",
                svm.epochs, svm.margin, svm.marginUpperBound, svm.relativeGap)
    }

    static let proofFigures = [
        FigureSpec(
            file: "alignment.svg", title: "Proof step 1: ⟨w_T, w*⟩ grows at least as Tγ", table: "proof_trace",
            x: "mistake", xLabel: "mistakes T", yLabel: "⟨w_T, w*⟩",
            series: [
                .init(y: "alignment", label: "⟨w_T, w*⟩ measured"),
                .init(y: "alignment_lower_bound", label: "Tγ (lower bound)", dashed: true),
            ]),
        FigureSpec(
            file: "norm.svg", title: "Proof step 2: ‖w_T‖² grows at most as T·R²", table: "proof_trace",
            x: "mistake", xLabel: "mistakes T", yLabel: "‖w_T‖²",
            series: [
                .init(y: "norm_squared", label: "‖w_T‖² measured"),
                .init(y: "norm_squared_upper_bound", label: "T·R² (upper bound)", dashed: true),
            ]),
    ]
}

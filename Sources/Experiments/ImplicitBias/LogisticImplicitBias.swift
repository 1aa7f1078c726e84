import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Soudry, Hoffer, Nacson, Gunasekar & Srebro (2018): gradient descent on the unregularized
/// logistic loss of linearly separable data drives ‖w‖ to infinity as ŵ·log t plus a bounded
/// remainder, where ŵ is the hard-margin SVM's solution (min ‖w‖ s.t. yᵢ⟨w, xᵢ⟩ ≥ 1). So the loss
/// falls as 1/t, ‖w‖ grows as ‖ŵ‖·log t, and the direction converges to the max-margin one —
/// but only as 1/log t. Nothing in the loss asks for a large margin: the algorithm picks it.
/// The SVM direction comes from GenLab's certified solver (`HardMarginSVM`, duality gap
/// recorded); the perceptron's and averaged perceptron's directions on the same data are the
/// contrast (they separate the data, with no pull toward the max margin).
public struct LogisticImplicitBias: Codable, Sendable {
    /// A data spec with two classes (e.g. fashion-mnist:classes=trouser,bag,train=500); nil: the
    /// planted data below.
    public var data: String?
    /// Samples n of the planted data: points x ~ N(0, I_d) with |⟨w*, x⟩| ≥ margin, labelled sign⟨w*, x⟩.
    public var samples: Int
    /// Dimension d of the planted data.
    public var features: Int
    /// The planted margin: |⟨w*, x⟩| ≥ margin.
    public var margin: Double
    /// Gradient-descent steps (the rates are fitted over their last two decades).
    public var steps: Int
    /// Seed of the planted data and the perceptrons' order.
    public var seed: UInt64

    public init(
        data: String? = nil, samples: Int = 200, features: Int = 50, margin: Double = 0.1, steps: Int = 1_000_000,
        seed: UInt64 = 0
    ) {
        self.data = data
        self.samples = samples
        self.features = features
        self.margin = margin
        self.steps = steps
        self.seed = seed
    }

    /// With a data spec the planted settings (samples, features, margin) do not apply: result.json
    /// records only the settings the run used, so it never shows a planted size beside real data.
    enum CodingKeys: String, CodingKey { case data, samples, features, margin, steps, seed }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let planted = LogisticImplicitBias()
        self.init(
            data: try c.decodeIfPresent(String.self, forKey: .data),
            samples: try c.decodeIfPresent(Int.self, forKey: .samples) ?? planted.samples,
            features: try c.decodeIfPresent(Int.self, forKey: .features) ?? planted.features,
            margin: try c.decodeIfPresent(Double.self, forKey: .margin) ?? planted.margin,
            steps: try c.decode(Int.self, forKey: .steps), seed: try c.decode(UInt64.self, forKey: .seed))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(data, forKey: .data)
        if data == nil {
            try c.encode(samples, forKey: .samples)
            try c.encode(features, forKey: .features)
            try c.encode(margin, forKey: .margin)
        }
        try c.encode(steps, forKey: .steps)
        try c.encode(seed, forKey: .seed)
    }

    /// The rates are asymptotic; they are fitted over the last `fitDecades` decades of steps.
    static let fitDecades = 2.0
    /// How close a fitted exponent must come to the theory's: the loss's −1 and the direction
    /// error's −1 (in log t), and the slope of ‖w‖ against ln t to ‖ŵ‖ = 1/γ*.
    static let lossTolerance = 0.1
    static let normTolerance = 0.1
    static let directionTolerance = 0.3

    /// The loss against t: ln L = a + s·ln t with s = −1 (within `lossTolerance`).
    static func lossRate(steps t: [Double], losses: [Double]) -> (LineFit, RuleOutcome) {
        let f = LineFit(x: t.map(log), y: losses.map(log))
        return (
            f,
            VerdictRules.holds(abs(f.slope + 1), atMost: lossTolerance, what: "|fitted exponent of the loss in t + 1|")
        )
    }

    /// ‖w‖ against ln t: slope ‖ŵ‖ = 1/γ* (within `normTolerance`, relative).
    static func normRate(steps t: [Double], norms: [Double], margin gamma: Double) -> (LineFit, RuleOutcome) {
        let f = LineFit(x: t.map(log), y: norms)
        return (
            f,
            VerdictRules.holds(
                abs(f.slope * gamma - 1), atMost: normTolerance, what: "|slope of ‖w‖ in ln t / ‖ŵ‖ − 1|")
        )
    }

    /// The direction error against ln t: ln e = a + s·ln ln t with s = −1 (within `directionTolerance`).
    static func directionRate(steps t: [Double], errors: [Double]) -> (LineFit, RuleOutcome) {
        let f = LineFit(x: t.map { log(log($0)) }, y: errors.map(log))
        return (
            f,
            VerdictRules.holds(
                abs(f.slope + 1), atMost: directionTolerance,
                what: "|fitted exponent of the direction error in ln t + 1|")
        )
    }
}

extension LogisticImplicitBias: SingleUnitMeasurement {
    public var name: String { "implicit-bias-logistic" }

    public func validate() throws {
        if data == nil {
            guard samples >= 2, features >= 2 else {
                throw GenLabError.usage("planted data need n ≥ 2 and d ≥ 2, got \(samples), \(features)")
            }
            guard margin > 0 && margin < 1 else {
                throw GenLabError.usage("the planted margin must be in (0, 1), got \(margin)")
            }
        }
        guard steps >= 1000 else {
            throw GenLabError.usage("the rates need at least 1,000 steps (three decades), got \(steps)")
        }
    }

    /// (X, y ∈ {±1}) and where they came from.
    func problem(_ context: RunContext) throws -> (x: Matrix<Double>, y: [Double], source: String) {
        if let spec = data {
            let split = try context.load(spec, requireTest: false, for: name)
            let train = split.train
            guard !train.isRegression, train.classCount == 2 else {
                throw GenLabError.usage(
                    "the logistic axis needs two classes, got "
                        + "\(train.isRegression ? "a regression set" : "\(train.classCount) classes") in \(spec) (e.g. "
                        + "add classes=trouser,bag)"
                )
            }
            return (train.features.converted(), train.labels.map { $0 == 1 ? 1 : -1 }, spec)
        }
        var g = Generator(seed: seed, stream: 51)
        let wStar = g.unitVector(features)
        var rows = [Double]()
        var y = [Double]()
        while y.count < samples {
            let x = g.normalVector(features) as [Double]
            let s = dot(x, wStar)
            guard abs(s) >= margin else { continue }
            rows += x
            y.append(s > 0 ? 1 : -1)
        }
        return (
            Matrix(rows: samples, cols: features, storage: rows), y,
            String(format: "planted: n = %d, d = %d, margin ≥ %g", samples, features, margin)
        )
    }

    /// Why there is no certified max-margin direction: proved not separable (the Gordan
    /// certificate's number), or the solver stopped at its limit (the bounds on γ* and the gap).
    static func svmFailure(_ svm: HardMarginSVM.Solution, source: String) -> GenLabError {
        if svm.status == .notSeparable {
            return .data(
                source: source, expected: "linearly separable data (through the origin) for the logistic axis",
                found: String(
                    format: "not separable: a Gordan certificate (the dual weights) bounds every margin by %.3g",
                    svm.marginUpperBound),
                fix: "pick two classes that a hyperplane separates, or fewer samples")
        }
        let separable = svm.separable == true ? "separable, but " : ""
        return .data(
            source: source, expected: "the max-margin direction (through the origin) for the logistic axis",
            found: String(
                format: "%@the hard-margin SVM did not converge in %d epochs: γ* ∈ [%.4g, %.4g], relative gap %.2g",
                separable, svm.epochs, svm.margin, svm.marginUpperBound, svm.relativeGap),
            fix:
                "standardize the features (add standardize to the data "
                + "spec: their scales differ widely), or use fewer samples"
        )
    }

    /// One recorded step of gradient descent: the loss, ‖w‖, the distance of w/‖w‖ to the SVM's
    /// direction ŵ/‖ŵ‖ and the normalized margin minᵢ yᵢ⟨w, xᵢ⟩/‖w‖ on the data.
    public struct Record: Codable, Sendable {
        var step: Int
        var loss: Double
        var norm: Double
        var directionError: Double
        var normalizedMargin: Double
    }

    /// A contrast's end: its direction error and normalized margin, as for a `Record`.
    public struct Contrast: Codable, Sendable {
        var directionError: Double
        var normalizedMargin: Double
    }

    /// Where the data came from and their size, the certified SVM (its margin γ*, gap and unit
    /// direction ŵ), gradient descent's step size, recorded steps and last iterate, and the two
    /// perceptrons' ends.
    public struct Outcomes: Codable, Sendable {
        var source: String
        var samples: Int
        var features: Int
        var svmMargin: Double
        var svmRelativeGap: Double
        /// ŵ/‖ŵ‖ (float64, one entry per feature), written as svm_direction.npy.
        var svmDirection: [Double]
        var stepSize: Double
        var trajectory: [Record]
        /// Gradient descent's w at the last step (float64), written as weights.npy.
        var weights: [Double]
        var perceptron: Contrast
        var perceptronMistakes: Int
        var perceptronConverged: Bool
        var averagedPerceptron: Contrast
    }

    /// The certified max-margin direction, gradient descent's trajectory, and the perceptrons on the same data.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let (x, y, source) = try problem(context)
        let svm = HardMarginSVM(bias: false, tolerance: 1e-9, maxEpochs: 1_000_000).solve(x, y)
        guard svm.status == .optimal, let wSVM = svm.direction else { throw Self.svmFailure(svm, source: source) }
        context.progress.report("gradient descent", 0.1)
        let descent = try LogisticDescent().run(x, labels: y, record: LeastSquaresImplicitBias.recordSteps(steps))
        // Contrast: the perceptron and the averaged perceptron on the same data.
        let perceptron = Perceptron(maxEpochs: 100_000, shuffleSeed: seed, recordIterates: true).fit(x, y)
        let averaged = VotedPerceptron(perceptron).averagedWeights
        func directionError(_ w: [Double]) -> Double {
            let n = norm(w)
            return n > 0 ? norm(zip(w, wSVM).map { $0 / n - $1 }) : .nan
        }
        func normalizedMargin(_ w: [Double]) -> Double { zip(matvec(x, w), y).map { $0 * $1 }.min()! / norm(w) }
        func contrast(_ w: [Double]) -> Contrast {
            Contrast(directionError: directionError(w), normalizedMargin: normalizedMargin(w))
        }
        let trajectory = descent.records.map {
            Record(
                step: $0.step, loss: $0.loss, norm: norm($0.weights), directionError: directionError($0.weights),
                normalizedMargin: normalizedMargin($0.weights))
        }
        return Measured(
            Outcomes(
                source: source, samples: x.rows, features: x.cols, svmMargin: svm.margin,
                svmRelativeGap: svm.relativeGap,
                svmDirection: wSVM, stepSize: descent.stepSize, trajectory: trajectory,
                weights: descent.records.last!.weights,
                perceptron: contrast(perceptron.weights), perceptronMistakes: perceptron.mistakes.count,
                perceptronConverged: perceptron.converged, averagedPerceptron: contrast(averaged)))
    }

    /// The three rates fitted over the last decades, gated on gradient descent separating the data there.
    struct Rates {
        var loss: (LineFit, RuleOutcome), norm: (LineFit, RuleOutcome), direction: (LineFit, RuleOutcome)
        /// "t from 1000 to 100000"
        var span: String
    }

    func rates(_ o: Outcomes) -> Rates {
        let fit = o.trajectory.filter { Double($0.step) >= Double(steps) / pow(10, Self.fitDecades) && $0.step >= 10 }
        let t = fit.map { Double($0.step) }
        // The rates are asymptotic: they speak once the iterates separate the data. A budget that
        // ends before the fitted window does (badly scaled features, a tiny step) checks nothing.
        let windowMargin = fit.first?.normalizedMargin ?? .nan
        func gated(_ f: (LineFit, RuleOutcome)) -> (LineFit, RuleOutcome) {
            let r = f.1
            return windowMargin > 0
                ? f
                : (
                    f.0,
                    RuleOutcome(
                        supported: nil, values: r.values,
                        reason: r.reason
                            + String(
                                format:
                                    "; but gradient descent does not yet separate the data at t = %d (normalized "
                                    + "margin %.3g): the %d steps end before the regime the theorem describes "
                                    + "(standardize the features, or run longer)",
                                fit.first?.step ?? 0, windowMargin, steps))
                )
        }
        return Rates(
            loss: gated(Self.lossRate(steps: t, losses: fit.map(\.loss))),
            norm: gated(Self.normRate(steps: t, norms: fit.map(\.norm), margin: o.svmMargin)),
            direction: gated(Self.directionRate(steps: t, errors: fit.map(\.directionError))),
            span: String(format: "t from %d to %d", fit.first?.step ?? 0, steps))
    }

    /// The rate theorems and the perceptron contrast, the trajectory, and gradient descent's
    /// weights and the SVM direction as .npy files, from the outcomes alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        let last = o.trajectory.last!
        let r = rates(o)
        var table = Table(
            name: "trajectory",
            columns: ["step", "loss", "norm", "direction_error", "angle_degrees", "normalized_margin"])
        for p in o.trajectory {
            table.append([
                JSONValue(p.step), JSONValue(p.loss), JSONValue(p.norm), JSONValue(p.directionError),
                JSONValue(Self.angle(p.directionError)), JSONValue(p.normalizedMargin),
            ])
        }
        var result = ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "samples": JSONValue(o.samples), "features": JSONValue(o.features),
                "svm_margin": JSONValue(o.svmMargin), "svm_relative_gap": JSONValue(o.svmRelativeGap),
                "step_size": JSONValue(o.stepSize),
                "final_loss": JSONValue(last.loss), "final_norm": JSONValue(last.norm),
                "direction_error": JSONValue(last.directionError),
                "perceptron_direction_error": JSONValue(o.perceptron.directionError),
                "averaged_perceptron_direction_error": JSONValue(o.averagedPerceptron.directionError),
                "loss_exponent": JSONValue(r.loss.0.slope), "norm_slope": JSONValue(r.norm.0.slope),
                "direction_exponent": JSONValue(r.direction.0.slope),
            ],
            verdicts: verdicts(o, r), command: "", figures: Self.figures, tables: [table], notes: measured.notes,
            references: [
                Reference(
                    source:
                        "Soudry, Hoffer, Nacson, Gunasekar & Srebro (2018), The implicit bias of gradient descent on "
                        + "separable data, Theorem 3 and Figure 1",
                    value: "w(t) = ŵ log t + ρ(t) with ρ bounded: loss O(1/t), direction error O(1/log t)",
                    what: "the rates fitted here")
            ])
        // The solutions, for checking from outside: gradient descent's last iterate and the SVM's ŵ (float64, [d]).
        result.artifacts["weights.npy"] = NPYArray.encode(o.weights, shape: [o.weights.count])
        result.artifacts["svm_direction.npy"] = NPYArray.encode(o.svmDirection, shape: [o.svmDirection.count])
        result.notes.append(
            "Files: weights.npy (gradient descent's w at t = \(last.step)) and svm_direction.npy (the hard-margin "
                + "SVM's ŵ), float64, one entry per feature."
        )
        return result
    }

    /// The angle between two unit vectors at distance e, in degrees.
    static func angle(_ e: Double) -> Double { 2 * asin(min(1, e / 2)) * 180 / .pi }

    func verdicts(_ o: Outcomes, _ r: Rates) -> [Verdict] {
        let last = o.trajectory.last!
        let gamma = o.svmMargin
        let gdError = last.directionError
        let perceptronError = o.perceptron.directionError
        let averagedError = o.averagedPerceptron.directionError
        // The contrast presumes a perceptron that separates the data too.
        let comparison: Bool? = o.perceptronConverged ? gdError < perceptronError && gdError < averagedError : nil
        return [
            Verdict(
                .theorem, claim: "On separable data, the logistic loss under gradient descent falls as 1/t.",
                supported: r.loss.1.supported,
                evidence: String(
                    format: "%@, η = 1/β = %.3g: ln L against ln t over %@ has slope %.3f (theory −1); %@.",
                    o.source,
                    o.stepSize, r.span, r.loss.0.slope, r.loss.1.reason),
                values: ["slope": r.loss.0.slope]),
            Verdict(
                .theorem,
                claim: "The weights grow without bound, as ‖ŵ‖·log t, with ŵ the hard-margin SVM solution.",
                supported: r.norm.1.supported,
                evidence: String(
                    format:
                        "‖w‖ against ln t over %@ has slope %.4g; ‖ŵ‖ = 1/γ* = %.4g (SVM margin %.5g, "
                        + "certified to a relative gap %.1e); %@.",
                    r.span, r.norm.0.slope, 1 / gamma, gamma, o.svmRelativeGap, r.norm.1.reason),
                values: ["slope": r.norm.0.slope, "svm_norm": 1 / gamma]),
            Verdict(
                .theorem,
                claim: "The direction w/‖w‖ converges to the max-margin direction — slowly, as 1/log t.",
                supported: r.direction.1.supported,
                evidence: String(
                    format:
                        "‖w/‖w‖ − ŵ/‖ŵ‖‖ = %.4f at t = %d (angle %.2f°); ln of it against ln ln t "
                        + "over %@ has slope %.3f (theory −1); %@.",
                    gdError, steps, Self.angle(gdError), r.span, r.direction.0.slope, r.direction.1.reason),
                values: ["slope": r.direction.0.slope, "direction_error": gdError]),
            Verdict(
                .finding,
                claim:
                    "The pull toward the max margin is gradient descent's own: the perceptron, which separates the "
                    + "data too, and the averaged perceptron end farther from the max-margin direction.",
                supported: comparison,
                evidence: String(
                    format:
                        "Direction error at the end: gradient descent %.4f, perceptron %.4f (%d mistakes), averaged "
                        + "perceptron %.4f; normalized margins %.4g, %.4g, %.4g of γ* = %.4g.%@",
                    gdError, perceptronError, o.perceptronMistakes, averagedError, last.normalizedMargin,
                    o.perceptron.normalizedMargin,
                    o.averagedPerceptron.normalizedMargin, gamma,
                    o.perceptronConverged
                        ? ""
                        : " The perceptron did not converge within its epoch limit: it does not separate the data, so "
                            + "the comparison is undecided."
                ),
                values: ["gd": gdError, "perceptron": perceptronError, "averaged_perceptron": averagedError]),
        ]
    }

    static let figures = [
        FigureSpec(
            file: "loss.svg", title: "Logistic loss under gradient descent", table: "trajectory", x: "step",
            xLabel: "step t", yLabel: "training loss",
            xLog: true, yLog: true, series: [.init(y: "loss", label: "loss")]),
        FigureSpec(
            file: "norm.svg", title: "‖w(t)‖ grows as log t", table: "trajectory", x: "step", xLabel: "step t",
            yLabel: "‖w‖", xLog: true,
            series: [.init(y: "norm", label: "‖w(t)‖")]),
        FigureSpec(
            file: "direction.svg", title: "Distance to the max-margin direction", table: "trajectory", x: "step",
            xLabel: "step t",
            yLabel: "‖w/‖w‖ − ŵ/‖ŵ‖‖", xLog: true, yLog: true,
            series: [.init(y: "direction_error", label: "gradient descent")]),
    ]
}

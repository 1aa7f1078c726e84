import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Cohen, Kaur, Li, Kolter & Talwalkar (2021): full-batch gradient descent at step size η is
/// stable on a quadratic only while the curvature stays below 2/η, yet on neural networks the
/// sharpness λ_max rises during training ("progressive sharpening") until it reaches 2/η and
/// then hovers there ("the edge of stability"), while the loss keeps falling, not monotonically.
/// The same network from the same start (PyTorch's default initialization, U(±1/√fan_in), as in
/// their runs) is trained by full-batch GD at each η of a grid; λ_max
/// of the full-batch loss is measured by Lanczos every `measureEvery` steps.
public struct EdgeOfStability: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The network, a model spec (e.g. mlp:200x200; tanh or relu).
    public var model: String
    /// "mse" (the mean squared error to the one-hot labels, Cohen et al.'s main setting) or "cross-entropy".
    public var loss: String
    /// Step sizes η of full-batch gradient descent (the edge is 2/η).
    public var stepSizes: [Double]
    /// Gradient-descent steps per step size.
    public var steps: Int
    /// Measure λ_max every this many steps.
    public var measureEvery: Int
    /// The last fraction of the steps over which λ_max is summarized (its median).
    public var window: Double
    /// Seed of the initialization.
    public var seed: UInt64

    public init(
        data: String = "mnist1d:train=1000,test=500", model: String = "mlp:100", loss: String = "mse",
        stepSizes: [Double] = [0.8, 1.0, 1.2],
        steps: Int = 3000, measureEvery: Int = 25, window: Double = 0.4, seed: UInt64 = 0
    ) {
        self.data = data
        self.model = model
        self.loss = loss
        self.stepSizes = stepSizes
        self.steps = steps
        self.measureEvery = measureEvery
        self.window = window
        self.seed = seed
    }

    /// "At the edge", fixed from Cohen et al. before the run: their λ_max hovers at or just above
    /// 2/η (Figures 1–2, "hovers just above"), never settling below it. The window's median λ_max
    /// must lie in [edgeLow, edgeHigh]·2/η and some measurement in the window must cross 2/η. The
    /// lower end leaves 2% for Lanczos's residual (1e-3) and the oscillation around the edge; a
    /// λ_max that settles lower, however close, is the classical, stable outcome.
    static let edgeLow = 0.98, edgeHigh = 1.1
    /// The loss "rises" at a step only when it grows by more than this fraction: a Float mean over
    /// n·k ≤ 10⁴ terms carries relative rounding of about √(nk)·2⁻²⁴ ≈ 6e-6, so an uptick below
    /// 1e-4 (16× that) can be rounding, not a rise.
    static let lossRiseResolution = 1e-4
    /// Progressive sharpening: λ_max at least doubles from its value at the start before settling.
    static let sharpening = 2.0

    /// One η's trajectory: λ_max at the measured steps, and the loss at every step.
    public struct Trajectory: Codable, Sendable {
        var eta: Double
        var measuredSteps: [Int]
        var lambdas: [Double]
        var converged: [Bool]
        var losses: [Double]
        var diverged: Bool
        /// Seconds in gradient steps and in λ_max measurements; Lanczos steps in all.
        var descentSeconds = 0.0, measureSeconds = 0.0, lanczosSteps = 0
    }

    /// What a trajectory shows, by the rules below.
    struct Summary: Sendable {
        var initial: Double, settled: Double, threshold: Double, peak: Double
        /// The first step of the window the settled value is the median over.
        var windowStart: Int
        /// Steps and λ_max measured before λ_max first reached 90% of 2/η (all of them if never).
        var rising: (steps: [Double], lambdas: [Double])
        /// The first measured step at which λ_max reached 90% of 2/η (nil: never).
        var reachedAt: Int?
        /// Steps in the settled window at which the loss rose, and the loss at the window's start and end.
        var lossRises: Int, lossAtWindowStart: Double, finalLoss: Double
        /// Steps and λ_max measured in the window, and the largest of them.
        var window: (steps: [Double], lambdas: [Double]) = ([], [])
        var windowMax: Double { window.lambdas.max() ?? .nan }
    }
}

extension EdgeOfStability: LiveMeasurement {
    public var name: String { "edge-of-stability" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard !stepSizes.isEmpty, stepSizes.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw GenLabError.usage("the step sizes must be > 0, got \(stepSizes)")
        }
        guard steps >= 10, measureEvery >= 1, measureEvery <= steps / 5 else {
            throw GenLabError.usage(
                "need ≥ 10 steps and λ_max measured at least 5 times (measure every ≤ steps/5), got \(steps) "
                    + "steps, every \(measureEvery)"
            )
        }
        guard loss == "mse" || loss == "cross-entropy" else {
            throw GenLabError.usage("the loss must be mse or cross-entropy, got \(loss)")
        }
        guard window > 0 && window < 1 else {
            throw GenLabError.usage("the window must be a fraction in (0, 1), got \(window)")
        }
    }

    /// Descends at every step size, in parallel, λ_max measured along the way.
    public func measure(_ context: RunContext) throws -> Measured<[Trajectory]> {
        let split = try context.load(data, requireTest: false, for: name)
        let counter = Counter()
        // Live: the first step sizes of the grid whose trajectories have finished.
        let live = liveUnits(context, count: stepSizes.count) { (done: [Trajectory]) in
            var part = self
            part.stepSizes = Array(stepSizes.prefix(done.count))
            return (part, done, partialNote(done.count, of: stepSizes.count, "step sizes"))
        }
        let trajectories: [Trajectory] = try parallelMap(stepSizes.count) { i -> Result<Trajectory, Error> in
            defer {
                let k = counter.increment()
                context.progress.report("\(k) of \(stepSizes.count) step sizes", Double(k) / Double(stepSizes.count))
            }
            return Result { try descend(split.train, eta: stepSizes[i]) }.publishing(i, to: live)
        }.map { try $0.get() }
        return Measured(trajectories)
    }

    /// The verdicts, tables and figures from the trajectories alone.
    public func analyze(_ measured: Measured<[Trajectory]>) -> ExperimentResult {
        result(measured.outcomes, seconds: 0, command: "").noting(measured.notes)
    }

    /// Full-batch GD at η from the seed's initialization, λ_max every `measureEvery` steps.
    func descend(_ train: Dataset, eta: Double) throws -> Trajectory {
        guard !train.isRegression else {
            throw GenLabError.usage("edge-of-stability needs a classification data set, got the regression set \(data)")
        }
        let spec = try ModelSpec(parsing: model)
        let convolutional = spec.hidden.contains {
            if case .conv1d = $0 { return true }
            return false
        }
        // The MSE to the one-hot labels, or the cross-entropy; K outputs either way.
        let net = try Network<Float>(
            input: convolutional ? (1, train.featureCount) : (train.featureCount, 1), hidden: spec.hidden,
            outputs: train.classCount,
            loss: loss == "mse" ? .meanSquaredError : .crossEntropy,
            initialization: .uniform, seed: seed)
        let f = Objective(network: net, x: train.features, labels: train.labels, chunk: train.count)
        let p = net.parameterCount
        var g = [Float](repeating: 0, count: p)
        var t = Trajectory(eta: eta, measuredSteps: [], lambdas: [], converged: [], losses: [], diverged: false)
        var previous: [Double]? = nil
        for step in 0...steps {
            var clock = Timing.now()
            if step % measureEvery == 0 {
                // Started from the last top eigenvector: it moves little between measurements.
                let e = try Curvature.extremeEigenvalues(
                    HessianOperator(f), k: 1, smallest: false, tolerance: 1e-3, maxIterations: 200,
                    seed: seed &+ UInt64(step), start: previous, topVector: true)
                previous = e.topVector
                t.measuredSteps.append(step)
                t.lambdas.append(e.top[0])
                t.converged.append(e.converged)
                t.lanczosSteps += e.iterations
                t.measureSeconds += Timing.now() - clock
                clock = Timing.now()
            }
            if step == steps { break }
            let loss = g.withUnsafeMutableBufferPointer { f.gradient(into: $0.baseAddress!) }
            t.losses.append(loss)
            guard loss.isFinite else {
                t.diverged = true
                break
            }
            net.updateParameters { theta in for j in 0..<p { theta[j] -= Float(eta) * g[j] } }
            t.descentSeconds += Timing.now() - clock
        }
        return t
    }

    func summarize(_ t: Trajectory) -> Summary {
        let threshold = 2 / t.eta
        let from = Int(Double(steps) * (1 - window))
        let inWindow = t.measuredSteps.indices.filter { t.measuredSteps[$0] >= from }
        let settled = inWindow.isEmpty ? .nan : Stats.median(inWindow.map { t.lambdas[$0] })
        let reached = t.measuredSteps.indices.first { t.lambdas[$0] >= 0.9 * threshold }.map { t.measuredSteps[$0] }
        let windowLosses = Array(t.losses.dropFirst(min(from, t.losses.count)))
        let rises = zip(windowLosses, windowLosses.dropFirst()).filter { $1 > $0 * (1 + Self.lossRiseResolution) }.count
        let before = t.measuredSteps.indices.filter { reached == nil || t.measuredSteps[$0] <= reached! }
        return Summary(
            initial: t.lambdas.first ?? .nan, settled: settled, threshold: threshold, peak: t.lambdas.max() ?? .nan,
            windowStart: from,
            rising: (before.map { Double(t.measuredSteps[$0]) }, before.map { t.lambdas[$0] }), reachedAt: reached,
            lossRises: rises, lossAtWindowStart: windowLosses.first ?? .nan, finalLoss: t.losses.last ?? .nan,
            window: (inWindow.map { Double(t.measuredSteps[$0]) }, inWindow.map { t.lambdas[$0] }))
    }

    /// The edge-of-stability rule for one η (window fixed before the run, `edgeLow`…`edgeHigh`):
    ///
    /// - supported when λ_max reached 90% of 2/η before the window, the window's median is within
    ///   [edgeLow, edgeHigh]·2/η and some measurement in the window crosses 2/η;
    /// - not supported when the median settles above edgeHigh·2/η, or below edgeLow·2/η with
    ///   λ_max no longer rising in the window (Spearman's trend test): it levelled off below the
    ///   edge, the classical outcome; also when it sits in the window without ever crossing 2/η;
    /// - inconclusive when GD did not start stable, diverged, reached the edge only inside the
    ///   window, or is below the edge and still rising (the budget ended during sharpening).
    static func settlesAtEdge(_ s: Summary, diverged: Bool) -> RuleOutcome {
        let ratio = s.settled / s.threshold
        let values = [
            "ratio": ratio, "settled": s.settled, "threshold": s.threshold, "initial": s.initial,
            "window_max_ratio": s.windowMax / s.threshold,
        ]
        func outcome(_ supported: Bool?, _ reason: String) -> RuleOutcome {
            RuleOutcome(supported: supported, values: values, reason: reason)
        }
        if diverged { return outcome(nil, "gradient descent diverged") }
        if !(s.initial < s.threshold) {
            return outcome(
                nil,
                String(format: "λ_max at the start (%.3g) is already above 2/η: GD does not start stable", s.initial))
        }
        guard ratio.isFinite, s.window.lambdas.count >= 4 else {
            return outcome(
                nil,
                "fewer than four λ_max measurements in the window (from step \(s.windowStart)): measure more often"
            )
        }
        let shown = String(
            format: "median λ_max in the window / (2/η) = %.3f (at the edge: %.2f to %.2f, fixed before the run)",
            ratio, edgeLow, edgeHigh)
        if ratio > edgeHigh { return outcome(false, shown + ": it settled above the edge") }
        if ratio < edgeLow {
            // Levelled off: even the window's slope at its upper 95% bound would not carry λ_max
            // to the edge within another window's length. Otherwise it may still be sharpening.
            let (slopeUpper, length) = windowSlopeUpper(s)
            let projected = s.settled + max(0, slopeUpper) * length
            let projection = String(
                format:
                    "at the window's slope (upper 95%% bound %.3g per "
                    + "step) it would reach %.3f of 2/η one window later",
                slopeUpper, projected / s.threshold)
            if projected >= edgeLow * s.threshold {
                return outcome(
                    nil, shown + "; " + projection + ": it may still be sharpening toward the edge when the run ends")
            }
            return outcome(false, shown + "; " + projection + ": it levelled off below the edge, the classical outcome")
        }
        guard let reached = s.reachedAt, reached <= s.windowStart else {
            return outcome(
                nil,
                shown
                    + "; but λ_max reached 90% of 2/η only inside the window "
                    + "(from step \(s.windowStart)): too late to see it hover"
            )
        }
        if !(s.windowMax >= s.threshold) {
            let below = String(
                format: ", but no measurement in the window crosses 2/η (largest %.3f of it): stable, below the edge",
                s.windowMax / s.threshold)
            return outcome(false, shown + below)
        }
        let crossing = String(format: ", crossing 2/η in the window (largest %.3f of it)", s.windowMax / s.threshold)
        return outcome(true, shown + crossing)
    }

    /// The upper end of the 95% t interval of λ_max's least-squares slope over the window, and the window's length in
    /// steps.
    static func windowSlopeUpper(_ s: Summary) -> (upper: Double, length: Double) {
        let fit = LineFit(x: s.window.steps, y: s.window.lambdas)
        let t = Distributions.studentTQuantile(0.975, degreesOfFreedom: Double(s.window.steps.count - 2))
        return (fit.slope + t * fit.slopeStandardError, (s.window.steps.last ?? 0) - (s.window.steps.first ?? 0))
    }

    func result(_ trajectories: [Trajectory], seconds: Double, command: String) -> ExperimentResult {
        let summaries = trajectories.map(summarize)
        let edge = zip(summaries, trajectories).map { Self.settlesAtEdge($0, diverged: $1.diverged) }
        // Progressive sharpening: λ_max rises with the step until it first reaches the edge (Spearman's trend test on
        // that stretch).
        let sharpening = zip(summaries, trajectories).map { s, t -> RuleOutcome in
            t.diverged
                ? RuleOutcome(supported: nil, values: [:], reason: "diverged")
                : VerdictRules.monotoneTrend(x: s.rising.steps, y: s.rising.lambdas, direction: 1)
        }
        let all = Self.all
        let perEta = zip(trajectories, summaries).map(describe)
        let falling = zip(trajectories, summaries).map(Self.keepsFalling)
        let verdicts = [
            Verdict(
                .finding,
                claim:
                    "Progressive sharpening: under full-batch gradient descent, λ_max rises during training until it "
                    + "reaches the edge.",
                supported: all(sharpening),
                evidence: zip(perEta, sharpening).map { $0 + " — trend before the edge: " + $1.reason }.joined(
                    separator: "; ") + ".",
                values: Dictionary(
                    uniqueKeysWithValues: zip(trajectories, sharpening).map {
                        (String(format: "rho_eta_%g", $0.eta), $1.values["spearman_rho"] ?? .nan)
                    }
                )
                .merging(["mde": RuleOutcome.largestMDE(sharpening)]) { a, _ in a }),
            Verdict(
                .finding,
                claim:
                    "The edge of stability: λ_max then hovers at or just above 2/η (median within "
                    + "\(formatNumber(Self.edgeLow))–\(formatNumber(Self.edgeHigh))× 2/η, crossing it) instead "
                    + "of levelling off below, as the quadratic stability condition would require.",
                supported: all(edge),
                evidence: zip(trajectories, edge).map { String(format: "η = %g: %@", $0.eta, $1.reason) }.joined(
                    separator: "; ") + ".",
                values: Dictionary(
                    uniqueKeysWithValues: zip(trajectories, edge).map {
                        (String(format: "ratio_eta_%g", $0.eta), $1.values["ratio"] ?? .nan)
                    })),
            Verdict(
                .finding,
                claim: "At the edge of stability the loss keeps falling over long horizons, though not monotonically.",
                supported: all(falling), evidence: falling.map(\.reason).joined(separator: "; ") + "."),
        ]
        let notes =
            trajectories.contains(where: { $0.converged.contains(false) })
            ? ["Some λ_max measurements did not converge to the residual tolerance 1e-3 (see sharpness.csv)."] : []
        let metrics = Self.metrics(trajectories, summaries)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: metrics,
            verdicts: verdicts, command: command, figures: figures, tables: tables(trajectories), seconds: seconds,
            notes: notes,
            references: Self.resultReferences)
    }

    /// The references of `result`.
    static var resultReferences: [Results.Reference] {
        [
            Reference(
                source:
                    "Cohen, Kaur, Li, Kolter & Talwalkar (2021), Gradient descent on neural networks typically "
                    + "occurs at the edge of stability, Figures 1–2",
                value:
                    "λ_max rises to 2/η and hovers just above it, for every η tried, on a 5k-sample CIFAR-10 "
                    + "subset with tanh and ReLU networks, MSE and cross-entropy",
                what: "their setting: larger networks and data; here an MLP on MNIST-1D")
        ]
    }

    /// Every η's outcome holds: false when one fails, true when all hold, else undecided.
    static func all(_ outcomes: [RuleOutcome]) -> Bool? {
        if outcomes.contains(where: { $0.supported == false }) { return false }
        return outcomes.allSatisfy { $0.supported == true } ? true : nil
    }

    /// One η's λ_max: at the start, its peak, and settled, against 2/η.
    func describe(_ t: Trajectory, _ s: Summary) -> String {
        String(
            format:
                "η = %g: 2/η = %.3g, λ_max %.3g at the start, peak %.3g, median %.3g over the last %.0f%% of %d "
                + "steps (ratio %.3f)",
            t.eta, s.threshold, s.initial, s.peak, s.settled, window * 100, steps, s.settled / s.threshold)
    }

    /// Whether the loss keeps falling at the edge: overall (the window's last loss below its first)
    /// while rising at some steps by more than rounding can (lossRiseResolution).
    static func keepsFalling(_ t: Trajectory, _ s: Summary) -> RuleOutcome {
        guard !t.diverged, s.reachedAt != nil else {
            return RuleOutcome(supported: nil, values: [:], reason: "not at the edge")
        }
        // Falls overall (the window's last loss below its first) while rising at some steps by
        // more than rounding can (lossRiseResolution).
        return RuleOutcome(
            supported: s.finalLoss < s.lossAtWindowStart && s.lossRises > 0, values: ["rises": Double(s.lossRises)],
            reason: String(
                format:
                    "η = %g: loss %.4g → %.4g across the window, rising "
                    + "by more than %.0e of itself at %d of its steps",
                t.eta, s.lossAtWindowStart, s.finalLoss, Self.lossRiseResolution, s.lossRises))
    }

    /// Each η's settled λ_max against 2/η, and the run's costs.
    static func metrics(_ trajectories: [Trajectory], _ summaries: [Summary]) -> [String: JSONValue] {
        var metrics = Dictionary(
            uniqueKeysWithValues: zip(trajectories, summaries).map {
                (String(format: "settled_over_threshold_eta_%g", $0.eta), JSONValue($1.settled / $1.threshold))
            })
        metrics["descent_seconds"] = JSONValue(trajectories.map(\.descentSeconds).reduce(0, +))
        metrics["measure_seconds"] = JSONValue(trajectories.map(\.measureSeconds).reduce(0, +))
        metrics["lanczos_steps"] = JSONValue(trajectories.map(\.lanczosSteps).reduce(0, +))
        return metrics
    }

    /// λ_max at every measured step, and the training loss (thinned to about 500 steps per η).
    func tables(_ trajectories: [Trajectory]) -> [Table] {
        var lambdaTable = Table(name: "sharpness", columns: ["eta", "step", "lambda_max", "two_over_eta", "converged"])
        var lossTable = Table(name: "loss", columns: ["eta", "step", "train_loss"])
        for t in trajectories {
            for (k, step) in t.measuredSteps.enumerated() {
                lambdaTable.append([
                    JSONValue(t.eta), JSONValue(step), JSONValue(t.lambdas[k]), JSONValue(2 / t.eta),
                    .bool(t.converged[k]),
                ])
            }
            for (step, l) in t.losses.enumerated() where step % max(1, steps / 500) == 0 || step == t.losses.count - 1 {
                lossTable.append([JSONValue(t.eta), JSONValue(step), l.isFinite ? JSONValue(l) : .null])
            }
        }
        return [lambdaTable, lossTable]
    }

    var figures: [FigureSpec] {
        let series: [FigureSpec.Series] = stepSizes.flatMap { eta in
            [
                FigureSpec.Series(
                    y: "lambda_max", label: String(format: "λ_max, η = %g", eta), filterColumn: "eta",
                    filterValue: JSONValue(eta).description),
                FigureSpec.Series(
                    y: "two_over_eta", label: String(format: "2/η = %.3g", 2 / eta), dashed: true, filterColumn: "eta",
                    filterValue: JSONValue(eta).description),
            ]
        }
        return [
            FigureSpec(
                file: "sharpness.svg", title: "λ_max during full-batch gradient descent", table: "sharpness",
                x: "step",
                xLabel: "step", yLabel: "λ_max", series: series),
            FigureSpec(
                file: "loss.svg", title: "Training loss", table: "loss", x: "step", xLabel: "step",
                yLabel: "training loss", yLog: true,
                series: stepSizes.map {
                    .init(
                        y: "train_loss", label: String(format: "η = %g", $0), filterColumn: "eta",
                        filterValue: JSONValue($0).description)
                }),
        ]
    }
}

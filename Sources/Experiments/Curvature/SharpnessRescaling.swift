import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Dinh, Pascanu, Bengio & Bengio (2017): a ReLU network's function does not change when one
/// layer's weights and biases are multiplied by α > 0 and the next layer's weights by 1/α
/// (relu(αz) = α·relu(z)), yet its Hessian does — the first layer's block scales by 1/α², the
/// next one's by α² — so λ_max and the trace can be made as large (or small) as one likes at the
/// same function. Raw sharpness is then not a property of the function. A trained mlp:W is
/// rescaled over a grid of α; each point records the largest change of a logit, λ_max (Lanczos)
/// and the trace (exact: the Gauss–Newton diagonal of a ReLU MLP), and the loss along a
/// filter-normalized random line (Li et al. 2018's answer: each filter's step follows that
/// filter's norm, so the rescaled network sees the same surface).
public struct SharpnessRescaling: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// Hidden width of the two-layer ReLU network.
    public var width: Int
    /// Epochs the network trains before it is rescaled.
    public var epochs: Int
    /// Rescaling factors α (layer 1 × α, layer 2 ÷ α: the same function).
    public var alphas: [Double]
    /// Samples the loss is averaged over (a seeded random subset of the training set).
    public var samples: Int
    /// Seed of the initialization, the training order and the sample.
    public var seed: UInt64

    public init(
        data: String = "mnist1d:train=1000,test=500", width: Int = 64, epochs: Int = 20,
        alphas: [Double] = [0.01, 0.1, 1, 10, 100],
        samples: Int = 500, seed: UInt64 = 0
    ) {
        self.data = data
        self.width = width
        self.epochs = epochs
        self.alphas = alphas
        self.samples = samples
        self.seed = seed
    }

    /// The largest change of a logit allowed for "the same function", relative to the largest
    /// |logit|: Float rounding of α·W and of the two products stays near 1e-6.
    static let sameFunction = 1e-4
    /// "Orders of magnitude": the largest λ_max (or trace) over the grid at least 100 times the smallest.
    static let spread = 100.0
    /// The filter-normalized line: this many points over α_line ∈ [−1, 1].
    static let linePoints = 21
}

extension SharpnessRescaling: LiveMeasurement {
    public var name: String { "sharpness-rescaling" }

    public func validate() throws {
        guard width >= 1, epochs >= 1, samples >= 2 else {
            throw GenLabError.usage("width, epochs ≥ 1 and samples ≥ 2, got \(width), \(epochs), \(samples)")
        }
        guard alphas.count >= 2, alphas.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw GenLabError.usage("the rescaling grid needs at least 2 points, each α > 0, got \(alphas)")
        }
    }

    /// One α of the grid: the curvature and the function at the rescaled weights.
    public struct Point: Codable, Sendable {
        var alpha: Double, lambdaMax: Double, lanczosConverged: Bool, trace: Double
        /// The largest change of a logit, relative to the largest |logit| at α = 1's weights.
        var logitChange: Double
        /// The loss along the filter-normalized line (`linePoints` steps).
        var line: [Double]
    }

    /// Every α's point, the network's parameter count and the sample's size.
    public struct Outcomes: Codable, Sendable {
        var points: [Point]
        var parameters: Int
        var samples: Int
    }

    /// Trains one network, then measures λ_max, the trace, the logits and the filter-normalized
    /// line at every rescaling α of its weights.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, requireTest: false, for: name)
        let net: Network<Float> = try ModelSpec(parsing: "mlp:\(width)").network(for: split.train, seed: seed)
        _ = context.trainer(
            TrainingConfig(epochs: epochs, batchSize: 64, optimizer: OptimizerConfig(learningRate: 0.05), seed: seed)
        )
        .train(net, train: split.train, test: split.test)
        let sample = split.train.curvatureSample(samples, seed: seed)
        let f = Objective(network: net, x: sample.features, labels: sample.labels)
        let theta = net.parameterArray
        let reference = logits(net, sample)
        let (first, second) = (net.layers[0], net.layers[2])
        // Live: the first rescalings of the grid, measured.
        let live = liveUnits(context, count: alphas.count) { (done: [Point]) in
            var part = self
            part.alphas = Array(alphas.prefix(done.count))
            return (
                part, Outcomes(points: done, parameters: net.parameterCount, samples: sample.count),
                partialNote(done.count, of: alphas.count, "rescalings")
            )
        }
        var points = [Point]()
        for (i, a) in alphas.enumerated() {
            context.progress.report("α = \(a)", Double(i) / Double(alphas.count))
            // θ₁ (W₁ and b₁) × α, W₂ × 1/α: the same function.
            net.parameterArray = theta.indices.map { j in
                if first.parameterOffset..<(first.parameterOffset + first.parameterCount) ~= j {
                    return theta[j] * Float(a)
                }
                if second.parameterOffset..<(second.parameterOffset + second.weightCount) ~= j {
                    return theta[j] / Float(a)
                }
                return theta[j]
            }
            let z = logits(net, sample)
            let change = zip(z, reference).map { abs($0 - $1) }.max()! / max(reference.map(abs).max()!, 1e-30)
            let e = try Curvature.extremeEigenvalues(
                HessianOperator(f), k: 1, smallest: false, tolerance: 1e-4, maxIterations: 300, seed: seed)
            let trace = try Curvature.gaussNewtonDiagonal(f).reduce(0, +)
            points.append(
                Point(
                    alpha: a, lambdaMax: e.top[0], lanczosConverged: e.converged, trace: trace, logitChange: change,
                    line: filterNormalizedLine(net, sample)))
            live.finished(i, points[i])
        }
        net.parameterArray = theta
        return Measured(Outcomes(points: points, parameters: net.parameterCount, samples: sample.count))
    }

    /// The rescaling table and the lines, from the points.
    func tables(_ points: [Point]) -> [Table] {
        var table = Table(
            name: "rescaling", columns: ["alpha", "lambda_max", "trace", "max_logit_change", "lanczos_converged"])
        var lines = Table(name: "landscape", columns: ["alpha", "step", "loss"])
        for p in points {
            for (k, l) in p.line.enumerated() {
                lines.append([JSONValue(p.alpha), JSONValue(Self.lineStep(k)), JSONValue(l)])
            }
            table.append([
                JSONValue(p.alpha), JSONValue(p.lambdaMax), JSONValue(p.trace), JSONValue(p.logitChange),
                .bool(p.lanczosConverged),
            ])
        }
        return [table, lines]
    }

    /// The same function at every α, and the spread of λ_max and the trace over the grid, from the points alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let points = measured.outcomes.points
        let worst = points.map(\.logitChange).max()!
        // Each α's line against the first α's, relative to it.
        let lineChange = points.map { p in zip(p.line, points[0].line).map { abs($0 - $1) / max(abs($1), 1e-30) }.max()!
        }.max()!
        let same = VerdictRules.holds(
            worst, atMost: Self.sameFunction, what: "the largest change of a logit (relative)")
        let spreads = spreadVerdicts(points, same: same)
        let landscapeRule = VerdictRules.holds(
            lineChange, atMost: Self.sameFunction,
            what: "the largest change of the loss along the filter-normalized line (relative)")
        let grid = alphas.map { String(format: "%g", $0) }.joined(separator: ", ")
        let verdicts =
            [
                Verdict(
                    .theorem,
                    claim:
                        "Scaling one ReLU layer by α and the next layer's weights by 1/α leaves the network's "
                        + "function unchanged.",
                    supported: same.supported,
                    evidence: String(format: "mlp:%d on %@, α ∈ {%@}: %@.", width, data, grid, same.reason),
                    values: same.values)
            ] + spreads.verdicts + [
                Verdict(
                    .theorem,
                    claim:
                        "Along filter-normalized directions (Li et al.) the loss surface of the rescaled network is "
                        + "the same: normalized flatness does not have this defect.",
                    supported: same.supported == true ? landscapeRule.supported : nil,
                    evidence: String(
                        format:
                            "Loss at %d points of a filter-normalized random line, α_line ∈ [−1, 1], at every α "
                            + "of the grid: %@.",
                        Self.linePoints, landscapeRule.reason),
                    values: landscapeRule.values)
            ]
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "lambda_max_spread": JSONValue(spreads.lambda), "trace_spread": JSONValue(spreads.trace),
                "max_logit_change": JSONValue(worst),
                "max_landscape_change": JSONValue(lineChange), "parameters": JSONValue(measured.outcomes.parameters),
                "samples": JSONValue(measured.outcomes.samples),
            ],
            verdicts: verdicts, command: "", figures: figures, tables: tables(points), notes: measured.notes,
            references: [
                Reference(
                    source: "Dinh, Pascanu, Bengio & Bengio (2017), Sharp minima can generalize for deep nets, §4",
                    value:
                        "α-scale transformations leave the function unchanged and make ε-sharpness and the Hessian's "
                        + "spectral norm arbitrarily large",
                    what: "the construction reproduced here")
            ])
    }

    /// λ_max and the trace over the grid of α: how far each moves at the same function (`same`:
    /// the function's own verdict; without it the spreads say nothing).
    func spreadVerdicts(_ points: [Point], same: RuleOutcome) -> (verdicts: [Verdict], lambda: Double, trace: Double) {
        let lambdas = points.map(\.lambdaMax)
        let traces = points.map(\.trace)
        let converged = points.allSatisfy(\.lanczosConverged)
        let lambdaSpread = lambdas.max()! / lambdas.min()!
        let traceSpread = traces.max()! / traces.min()!
        let lambdaRule = VerdictRules.holds(
            1 / lambdaSpread, atMost: 1 / Self.spread, what: "min/max λ_max over the grid")
        let traceRule = VerdictRules.holds(
            1 / traceSpread, atMost: 1 / Self.spread, what: "min/max trace over the grid")
        let verdicts = [
            Verdict(
                .theorem,
                claim:
                    "Yet the Hessian's largest eigenvalue changes by orders of magnitude: raw sharpness is not a "
                    + "property of the function.",
                supported: same.supported == true ? lambdaRule.supported : nil,
                evidence: String(
                    format: "λ_max from %.3g to %.3g (×%.0f) at the same function; %@%@.", lambdas.min()!,
                    lambdas.max()!, lambdaSpread,
                    lambdaRule.reason, converged ? "" : "; some Lanczos runs did not converge"),
                values: lambdaRule.values.merging(["spread": lambdaSpread]) { a, _ in a }),
            Verdict(
                .theorem, claim: "So does the Hessian's trace.",
                supported: same.supported == true ? traceRule.supported : nil,
                evidence: String(
                    format: "Trace (exact, Gauss–Newton diagonal) from %.3g to %.3g (×%.0f); %@.", traces.min()!,
                    traces.max()!, traceSpread, traceRule.reason),
                values: traceRule.values.merging(["spread": traceSpread]) { a, _ in a }),
        ]
        return (verdicts, lambdaSpread, traceSpread)
    }

    var figures: [FigureSpec] {
        let landscape = FigureSpec(
            file: "landscape.svg", title: "Loss along a filter-normalized line, at every α", table: "landscape",
            x: "step",
            xLabel: "step along the filter-normalized direction", yLabel: "training loss",
            series: alphas.map { a in
                .init(
                    y: "loss", label: String(format: "α = %g", a), dashed: a != alphas.first,
                    filterColumn: "alpha", filterValue: JSONValue(a).description)
            })
        let figure = FigureSpec(
            file: "rescaling.svg", title: "Sharpness of the same function, rescaled", table: "rescaling", x: "alpha",
            xLabel: "α (layer 1 × α, layer 2 × 1/α)", yLabel: "λ_max and trace", xLog: true, yLog: true,
            series: [
                .init(y: "lambda_max", label: "λ_max", markers: true),
                .init(
                    y: "trace", label: "trace",
                    markers: true),
            ])
        return [figure, landscape]
    }

    static func lineStep(_ k: Int) -> Double { -1 + 2 * Double(k) / Double(linePoints - 1) }

    /// The loss along a filter-normalized random direction through the network's θ (the same draw at every α).
    func filterNormalizedLine(_ net: Network<Float>, _ d: Dataset) -> [Double] {
        let theta = net.parameterArray
        let direction = theta.withUnsafeBufferPointer {
            FilterNormalization.direction(net, at: $0.baseAddress!, seed: seed, stream: 41)
        }
        let s = LossSurface(
            network: net.copy(), x: d.features, labels: d.labels, origin: theta, directions: [direction])
        return (0..<Self.linePoints).map { s.evaluate(at: [Self.lineStep($0)]).loss }
    }

    func logits(_ net: Network<Float>, _ d: Dataset) -> [Double] {
        d.features.storage.withUnsafeBufferPointer { xp in
            let z = net.forward(xp.baseAddress!, batch: d.count, training: false)
            return (0..<(d.count * net.outputCount)).map { Double(z[$0]) }
        }
    }
}

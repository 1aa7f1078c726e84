import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// `genlab sharpness`: the curvature of a network's training loss at its weights (given, or
/// trained in the run): the top-k eigenvalues and the smallest by Lanczos, the trace by Hutch++,
/// the spectral density by SLQ, each per layer as well, and Keskar's ε-sharpness. The loss is
/// averaged over a seeded random sample of the training set (recorded). Every eigenvalue and
/// trace records how it converged.
public struct SharpnessMeasurement: Codable, Sendable {
    public var data: String
    public var model: String
    /// Weights to measure at (.npy, flat); nil: train with `training` first.
    public var weights: String?
    /// Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential numbering).
    public var weightNames: [String]? = nil
    public var training: TrainingConfig
    public var initialization: Initialization?
    /// Training samples the loss is averaged over (nil: all): a seeded random subset, or with
    /// `firstSamples` the first ones in file order (as the peer tools' benchmarks take them).
    public var samples: Int?
    public var firstSamples: Bool = false
    public var topK: Int
    /// Also the smallest (most negative) eigenvalue, converged (it often takes the most steps).
    public var smallest: Bool = true
    /// Residual bounds of the eigenvalues, relative to the spectral scale.
    public var tolerance: Double
    public var maxIterations: Int
    /// Hutch++: stop when the standard error is this fraction of the trace.
    public var traceTolerance: Double
    public var densityProbes: Int
    public var densitySteps: Int
    public var epsilon: Double
    public var sharpnessIterations: Int
    public var perLayer: Bool
    /// Keep each SLQ probe's Lanczos basis orthogonal (PyHessian does); quadrature does not need it.
    public var densityReorthogonalization: Bool = false

    public init(
        data: String, model: String, weights: String? = nil, training: TrainingConfig = TrainingConfig(),
        initialization: Initialization? = nil,
        samples: Int? = 1000, topK: Int = 5, tolerance: Double = 1e-4, maxIterations: Int = 300,
        traceTolerance: Double = 0.02,
        densityProbes: Int = 5, densitySteps: Int = 80, epsilon: Double = 1e-3, sharpnessIterations: Int = 20,
        perLayer: Bool = true
    ) {
        self.data = data
        self.model = model
        self.weights = weights
        self.training = training
        self.initialization = initialization
        self.samples = samples
        self.topK = topK
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.traceTolerance = traceTolerance
        self.densityProbes = densityProbes
        self.densitySteps = densitySteps
        self.epsilon = epsilon
        self.sharpnessIterations = sharpnessIterations
        self.perLayer = perLayer
    }
}

extension SharpnessMeasurement: Experiment {
    public var name: String { "sharpness" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard topK >= 1 else { throw GenLabError.parameter(name: "topK", problem: "must be ≥ 1, got \(topK)") }
        guard tolerance > 0 && tolerance < 1 else {
            throw GenLabError.parameter(name: "tolerance", problem: "must be in (0, 1), got \(tolerance)")
        }
        guard maxIterations >= 2 else {
            throw GenLabError.parameter(name: "maxIterations", problem: "must be ≥ 2, got \(maxIterations)")
        }
        guard traceTolerance > 0 && traceTolerance < 1 else {
            throw GenLabError.parameter(name: "traceTolerance", problem: "must be in (0, 1), got \(traceTolerance)")
        }
        guard densityProbes >= 1 else {
            throw GenLabError.parameter(name: "densityProbes", problem: "must be ≥ 1, got \(densityProbes)")
        }
        guard densitySteps >= 2 else {
            throw GenLabError.parameter(name: "densitySteps", problem: "must be ≥ 2, got \(densitySteps)")
        }
        guard epsilon > 0, epsilon.isFinite else {
            throw GenLabError.parameter(name: "epsilon", problem: "must be > 0, got \(epsilon)")
        }
        guard sharpnessIterations >= 1 else {
            throw GenLabError.parameter(
                name: "sharpnessIterations",
                problem: "must be ≥ 1, got \(sharpnessIterations)")
        }
        if let n = samples, n < 1 { throw GenLabError.parameter(name: "samples", problem: "must be ≥ 1, got \(n)") }
        if weights == nil { try training.optimizer.validate() }
    }

    /// The curvature's numbers and how they were reached.
    func metrics(
        eigen: ExtremeEigenvalues, trace: TraceEstimate, density: SpectralDensity, sharpness sharp: EpsilonSharpness
    ) -> [String: JSONValue] {
        [
            "loss": JSONValue(sharp.loss),
            "lambda_max": JSONValue(eigen.top[0]), "lambda_min": smallest ? JSONValue(eigen.smallest) : .null,
            "eigen_iterations": JSONValue(eigen.iterations),
            "eigen_converged": .bool(eigen.converged), "eigen_tolerance": JSONValue(tolerance),
            "trace": JSONValue(trace.estimate), "trace_standard_error": JSONValue(trace.standardError),
            "trace_products": JSONValue(trace.products),
            "trace_converged": .bool(trace.converged),
            "density_sigma": JSONValue(density.sigma), "density_products": JSONValue(density.products),
            "density_reorthogonalized": .bool(density.reorthogonalized),
            "epsilon": JSONValue(epsilon), "epsilon_sharpness": JSONValue(sharp.sharpness),
            "epsilon_sharpness_iterations": JSONValue(sharp.iterations),
        ]
    }

    static let figures = [
        FigureSpec(
            file: "density.svg", title: "Spectral density of the Hessian (SLQ, log scale)", table: "density",
            x: "eigenvalue",
            xLabel: "eigenvalue", yLabel: "density", yLog: true, series: [.init(y: "density", label: "SLQ density")])
    ]

    /// Which training rows the loss was averaged over (0-based, in the training split), so the
    /// numbers can be recomputed outside GenLab on exactly the same sample.
    static func rowTable(_ rows: [Int]) -> Table {
        var table = Table(name: "sample", columns: ["row"])
        for r in rows { table.append([JSONValue(r)]) }
        return table
    }

    public func run(_ context: RunContext) throws -> ExperimentResult {
        let split = try context.load(data, requireTest: false, for: name)
        let started = Timing.now()
        var notes = [String]()
        let net = try measuredNetwork(
            model: model, data: split, initialization: initialization, weights: weights, weightNames: weightNames,
            training: training, context: context, notes: &notes)
        let rows = split.train.measuredRows(samples, first: firstSamples, seed: training.seed)
        let sample = split.train.subset(rows)
        let f = Objective(
            network: net, x: sample.features, labels: sample.isRegression ? [] : sample.labels,
            targets: sample.isRegression ? sample.targets.map { Float($0) } : nil)
        guard topK <= net.parameterCount else {
            throw GenLabError.parameter(name: "topK", problem: "\(topK) exceeds the \(net.parameterCount) parameters")
        }
        context.progress.report("top eigenvalues", 0.35)
        let whole = HessianOperator(f)
        var clock = Timing.now()
        var seconds = [String: JSONValue]()
        func lap(_ key: String) {
            let now = Timing.now()
            seconds[key] = JSONValue(now - clock)
            clock = now
        }
        let eigen = try Curvature.extremeEigenvalues(
            whole, k: topK, smallest: smallest, tolerance: tolerance, maxIterations: maxIterations, seed: training.seed)
        lap("eigen_seconds")
        context.progress.report("trace", 0.5)
        let trace = Curvature.hutchPlusPlus(whole, relativeTolerance: traceTolerance, seed: training.seed)
        lap("trace_seconds")
        // Exact for ReLU MLPs (the Gauss–Newton diagonal); nil for other networks.
        let exactDiagonal = try? Curvature.gaussNewtonDiagonal(f)
        if exactDiagonal != nil { lap("trace_exact_seconds") }
        context.progress.report("density", 0.6)
        let density = try Curvature.spectralDensity(
            whole, probes: densityProbes, steps: densitySteps, seed: training.seed,
            reorthogonalize: densityReorthogonalization)
        lap("density_seconds")
        context.progress.report("ε-sharpness", 0.75)
        let sharp = try Curvature.epsilonSharpness(f, epsilon: epsilon, iterations: sharpnessIterations)
        lap("sharpness_seconds")

        var tables = [eigenTable(eigen), densityTable(density)]
        if perLayer {
            context.progress.report("per layer", 0.85)
            tables.append(try layerTable(f, exactDiagonal: exactDiagonal))
        }
        notes += convergenceNotes(eigen: eigen, trace: trace)
        var metrics = metrics(eigen: eigen, trace: trace, density: density, sharpness: sharp)
        metrics["parameters"] = JSONValue(net.parameterCount)
        metrics["samples"] = JSONValue(sample.count)
        metrics["hessian_vector_products"] = JSONValue(whole.products)
        metrics.merge(seconds) { a, _ in a }
        if let d = exactDiagonal { metrics["trace_exact"] = JSONValue(d.reduce(0, +)) }
        return ExperimentResult(
            experiment: name, configuration: [:], seed: training.seed, metrics: metrics, command: context.command,
            figures: Self.figures, tables: tables + [Self.rowTable(rows)], seconds: Timing.now() - started, notes: notes
        )
    }

    /// What did not converge, said: Lanczos's Ritz values and Hutch++'s trace.
    func convergenceNotes(eigen: ExtremeEigenvalues, trace: TraceEstimate) -> [String] {
        var notes = [String]()
        if !eigen.converged {
            notes.append(
                "Lanczos did NOT converge within \(eigen.iterations) steps: the eigenvalues are Ritz values with the "
                    + "residual bounds in the table, not converged values."
            )
        }
        if !trace.converged {
            notes.append(
                "Hutch++ did NOT reach a standard error of \(traceTolerance) "
                    + "of the trace within \(trace.probes) probes."
            )
        }
        return notes
    }


    func eigenTable(_ e: ExtremeEigenvalues) -> Table {
        var t = Table(name: "eigenvalues", columns: ["rank", "eigenvalue", "residual_bound", "converged"])
        for (i, (v, r)) in zip(e.top, e.topResiduals).enumerated() {
            t.append([JSONValue(i + 1), JSONValue(v), JSONValue(r), .bool(e.converged)])
        }
        if e.smallestAsked {
            t.append([.string("smallest"), JSONValue(e.smallest), JSONValue(e.smallestResidual), .bool(e.converged)])
        }
        return t
    }

    func densityTable(_ d: SpectralDensity) -> Table {
        var t = Table(name: "density", columns: ["eigenvalue", "density"])
        // Floored at 1e-12 of the peak so that a log axis can draw the tails.
        let floor = 1e-12 * (d.density.max() ?? 1)
        for (x, y) in zip(d.grid, d.density) { t.append([JSONValue(x), JSONValue(max(y, floor))]) }
        return t
    }

    func layerTable(_ f: Objective<Float>, exactDiagonal: [Double]?) throws -> Table {
        var t = Table(
            name: "per_layer",
            columns: [
                "layer", "parameters", "lambda_max", "lambda_min", "residual_bound", "converged", "trace",
                "trace_standard_error", "trace_exact",
            ])
        for (_, layerName, op) in HessianOperator.perLayer(f) {
            let e = try Curvature.extremeEigenvalues(
                op, k: 1, tolerance: tolerance, maxIterations: min(maxIterations, op.dimension), seed: training.seed)
            let tr = Curvature.hutchPlusPlus(op, relativeTolerance: traceTolerance, seed: training.seed)
            t.append([
                JSONValue(layerName), JSONValue(op.dimension), JSONValue(e.top[0]), JSONValue(e.smallest),
                JSONValue(max(e.topResiduals[0], e.smallestResidual)),
                .bool(e.converged), JSONValue(tr.estimate), JSONValue(tr.standardError),
                exactDiagonal.map { d in JSONValue(op.block.reduce(0) { $0 + d[$1] }) } ?? .null,
            ])
        }
        return t
    }
}

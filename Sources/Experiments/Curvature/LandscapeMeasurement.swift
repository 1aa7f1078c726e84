import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// `genlab landscape`: the training loss and accuracy of a network around its weights — on a
/// plane or a line through θ₀ along filter-normalized random directions (Li et al. 2018), or on
/// the segment between two solutions (Goodfellow et al. 2015) — over a seeded random sample of
/// the training set. Points run on all cores, each finished point is checkpointed (a killed
/// grid resumes), and the first layer's product is formed once for the whole grid
/// (`LossSurface`).
public struct LandscapeMeasurement: Codable, Sendable {
    /// A plane through θ₀, or a line from θ₀ (to a second network, or along one direction).
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// θ₀ + α·d₁ + β·d₂ on a steps × steps grid.
        case plane
        /// θ₀ + α·d₁.
        case line
        /// θₙ + α·d₁ + β·d₂ over the top two principal directions of a training path (`checkpoints`),
        /// with the path drawn on it (Li et al. 2018, §7).
        case trajectory
        /// θ₀ + t·(θ₁ − θ₀): t = 0 is `weights`, t = 1 is `to`.
        case interpolation
    }
    public var data: String
    public var model: String
    /// θ₀ (.npy); nil: trained in the run with `training`.
    public var weights: String?
    /// Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential numbering).
    public var weightNames: [String]? = nil
    /// θ₁ of an interpolation (.npy or .safetensors).
    public var to: String?
    /// The folder of a trajectory's checkpoints (`genlab train --checkpoints every=K` writes OUT/checkpoints).
    public var checkpoints: String? = nil
    /// A trajectory without `checkpoints`: trained in the run with `training`, θ kept every this many epochs (nil: 1).
    public var checkpointEvery: Int? = nil
    public var training: TrainingConfig
    public var initialization: Initialization?
    public var mode: Mode
    /// Points per axis.
    public var steps: Int
    /// The coefficients' range on each axis; nil: [−1, 1] (plane, line), [−0.5, 1.5] (interpolation).
    public var range: [Double]?
    public var samples: Int?
    public var firstSamples: Bool = false
    /// Seed of the directions (and of the sample).
    public var seed: UInt64
    /// false: every layer at every point (the reference path; slower).
    public var firstLayerShortcut: Bool = true
    /// Cores the points run on (nil: all).
    public var workers: Int?

    public init(
        data: String, model: String, weights: String? = nil, to: String? = nil,
        training: TrainingConfig = TrainingConfig(),
        initialization: Initialization? = nil, mode: Mode = .plane, steps: Int = 51, range: [Double]? = nil,
        samples: Int? = 1000, seed: UInt64 = 0
    ) {
        self.data = data
        self.model = model
        self.weights = weights
        self.to = to
        self.training = training
        self.initialization = initialization
        self.mode = mode
        self.steps = steps
        self.range = range
        self.samples = samples
        self.seed = seed
    }

    /// The coefficients' range in use.
    public var span: (lo: Double, hi: Double) {
        if let r = range, r.count == 2 { return (r[0], r[1]) }
        return mode == .interpolation ? (-0.5, 1.5) : (-1, 1)
    }

    /// The axis values: `steps` points from lo to hi, both included (0 is one of them when the range is symmetric and
    /// steps odd).
    public var axis: [Double] {
        let (lo, hi) = span
        return (0..<steps).map { lo + (hi - lo) * Double($0) / Double(steps - 1) }
    }

    /// The grid's coefficient vectors, row-major (β outer, α inner for a plane).
    var points: [[Double]] {
        let a = axis
        return mode == .plane ? a.flatMap { b in a.map { [$0, b] } } : a.map { [$0] }
    }
}

extension LandscapeMeasurement: Experiment {
    public var name: String { "landscape" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard steps >= 2 else {
            throw GenLabError.parameter(
                name: "steps",
                problem: "must be ≥ 2 (a grid needs two points per axis), got \(steps)")
        }
        guard steps <= 1001 else {
            throw GenLabError.parameter(name: "steps", problem: "must be ≤ 1001, got \(steps)")
        }
        if let r = range {
            guard r.count == 2, r[0].isFinite, r[1].isFinite, r[0] < r[1] else {
                throw GenLabError.parameter(
                    name: "range",
                    problem: "must be two finite numbers LO,HI with LO < HI, got "
                        + r.map { "\($0)" }.joined(separator: ","))
            }
        }
        if let n = samples, n < 1 { throw GenLabError.parameter(name: "samples", problem: "must be ≥ 1, got \(n)") }
        if let w = workers, w < 1 { throw GenLabError.parameter(name: "workers", problem: "must be ≥ 1, got \(w)") }
        switch (mode, to) {
        case (.interpolation, nil):
            throw GenLabError.parameter(
                name: "mode",
                problem: "\"interpolation\" needs `to`, the second solution's weights")
        case (.plane, .some), (.line, .some), (.trajectory, .some):
            throw GenLabError.parameter(name: "to", problem: "is only for mode \"interpolation\"")
        default: break
        }
        switch (mode, checkpoints, weights) {
        case (.trajectory, _, .some):
            throw GenLabError.parameter(
                name: "mode",
                problem: "\"trajectory\" is centred on the last checkpoint: leave out `weights`")
        case (.plane, .some, _), (.line, .some, _), (.interpolation, .some, _):
            throw GenLabError.parameter(name: "checkpoints", problem: "is only for mode \"trajectory\"")
        default: break
        }
        if checkpointEvery != nil && (mode != .trajectory || checkpoints != nil) {
            throw GenLabError.parameter(
                name: "checkpointEvery",
                problem: "(training in the run) is only for mode \"trajectory\" without a folder of `checkpoints`")
        }
        if let k = checkpointEvery, k < 1 {
            throw GenLabError.parameter(name: "checkpointEvery", problem: "must be ≥ 1, got \(k)")
        }
        if weights == nil { try training.optimizer.validate() }
    }

    public func run(_ context: RunContext) throws -> ExperimentResult {
        let split = try context.load(data, requireTest: false, for: name)
        let started = Timing.now()
        if mode == .trajectory { return try runTrajectory(context, split: split, started: started) }
        var notes = [String]()
        let net = try measuredNetwork(
            model: model, data: split, initialization: initialization, weights: weights, weightNames: weightNames,
            training: training, context: context, notes: &notes)
        let sample = split.train.measuredSample(samples, first: firstSamples, seed: seed)
        let origin = net.parameterArray
        let directions = try self.directions(net, origin: origin)
        context.progress.report("first layer", 0.32)
        let surface = LossSurface(
            network: net, x: sample.features, labels: sample.isRegression ? [] : sample.labels,
            targets: sample.isRegression ? sample.targets.map { Float($0) } : nil,
            origin: origin, directions: directions, firstLayerShortcut: firstLayerShortcut)
        let atOrigin = surface.evaluate(at: [Double](repeating: 0, count: directions.count))

        let grid = points
        let log = try gridLog(
            context, origin: origin, directions: directions, sample: sample, count: grid.count, notes: &notes)
        let gridStarted = Timing.now()
        let values = evaluate(surface, grid, log: log, progress: context.progress)
        let gridSeconds = Timing.now() - gridStarted
        let resumed = log?.stored.count ?? 0
        if resumed > 0 {
            notes.append(
                "\(resumed) of \(grid.count) points read back from the checkpoint \(log!.path); "
                    + "\(grid.count - resumed) computed."
            )
        }

        let losses = values.map(\.loss)
        var metrics: [String: JSONValue] = [
            "parameters": JSONValue(net.parameterCount), "samples": JSONValue(sample.count),
            "points": JSONValue(grid.count), "points_computed": JSONValue(grid.count - resumed),
            "points_resumed": JSONValue(resumed), "grid_seconds": JSONValue(gridSeconds),
            "ms_per_point": JSONValue(grid.count > resumed ? 1000 * gridSeconds / Double(grid.count - resumed) : 0),
            "first_layer_shortcut": .bool(surface.usesFirstLayerShortcut),
            "loss_at_origin": JSONValue(atOrigin.loss), "error_at_origin": JSONValue(atOrigin.error),
            "loss_min": JSONValue(losses.filter(\.isFinite).min() ?? .nan),
            "loss_max": JSONValue(losses.filter(\.isFinite).max() ?? .nan),
            "theta_norm": JSONValue(norm(origin)),
        ]
        for (k, d) in directions.enumerated() { metrics["direction\(k + 1)_norm"] = JSONValue(norm(d)) }
        if directions.count == 2 {
            metrics["direction_cosine"] = JSONValue(
                dot(directions[0], directions[1]) / (norm(directions[0]) * norm(directions[1])))
        }
        if mode == .interpolation { metrics["barrier"] = JSONValue(barrier(values)) }
        if losses.contains(where: { !$0.isFinite }) {
            notes.append(
                "The loss overflowed at \(losses.filter { !$0.isFinite }.count) "
                    + "points (written as null); narrow --range."
            )
        }
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: metrics, command: context.command,
            figures: figures, tables: [table(grid, values)], seconds: Timing.now() - started, notes: notes)
    }

    /// The grid's checkpoint in the run's folder (nil without one), keyed by everything its values
    /// depend on; lines it had to drop are noted.
    func gridLog(
        _ context: RunContext, origin: [Float], directions: [[Float]], sample: Dataset, count: Int,
        notes: inout [String]
    ) throws -> GridCheckpoint? {
        guard let folder = context.checkpoint else { return nil }
        let log = try GridCheckpoint(
            folder: folder,
            key: checkpointKey(origin: origin, directions: directions, sample: sample, threads: threads(count)),
            count: count)
        if log.dropped > 0 {
            notes.append(
                "\(log.dropped) torn or foreign line\(log.dropped == 1 ? "" : "s") "
                    + "dropped from the checkpoint \(log.path)."
            )
        }
        return log
    }

    /// d₁ (and d₂) filter-normalized at θ₀, or θ₁ − θ₀.
    func directions(_ net: Network<Float>, origin: [Float]) throws -> [[Float]] {
        switch mode {
        case .interpolation:
            let endValues: [Double]
            let endShape: String
            if Network<Float>.isSafeTensors(to!) {
                // A state dict is checked tensor by tensor against this model.
                let other = net.copy()
                try other.load(weights: to!, names: weightNames)
                endValues = other.parameterArray.map { Double($0) }
                endShape = "a state dict"
            } else {
                let end = try NPYArray.read(to!)
                endValues = end.values
                endShape = "shape \(end.shape)"
            }
            guard endValues.count == origin.count else {
                throw GenLabError.data(
                    source: to!, expected: "\(origin.count) weights for this model",
                    found: "\(endValues.count) values (\(endShape))",
                    fix: "save both solutions from the same model and dataset")
            }
            if let bad = endValues.first(where: { !$0.isFinite }) {
                throw GenLabError.data(source: to!, expected: "finite weights", found: "\(bad)")
            }
            return [zip(endValues, origin).map { Float($0) - $1 }]
        case .trajectory: preconditionFailure("a trajectory's directions are its principal directions (runTrajectory)")
        case .line, .plane:
            return origin.withUnsafeBufferPointer { o in
                (0..<(mode == .plane ? 2 : 1)).map {
                    FilterNormalization.direction(net, at: o.baseAddress!, seed: seed, stream: 41 + UInt64($0))
                }
            }
        }
    }

    /// Every point not already in the checkpoint, on `workers` cores (each its own copy of the
    /// network), interleaved so that each core gets every other point.
    func evaluate(_ surface: LossSurface<Float>, _ grid: [[Double]], log: GridCheckpoint?, progress: RunProgress) -> [(
        loss: Double, error: Double
    )] {
        var values = [(loss: Double, error: Double)](repeating: (.nan, .nan), count: grid.count)
        for (i, v) in log?.stored ?? [:] { values[i] = (v.0, v.1) }
        let todo = grid.indices.filter { log?.stored[$0] == nil }
        let cores = self.cores(todo.count)
        let meter = ProgressMeter(total: todo.count, progress: progress)
        nonisolated(unsafe) let out = UnsafeMutableBufferPointer<(loss: Double, error: Double)>.allocate(
            capacity: grid.count)
        _ = out.initialize(from: values)
        defer { out.deallocate() }
        _ = parallelMap(cores, workers: cores) { w in
            let s = w == 0 ? surface : surface.worker()
            for k in stride(from: w, to: todo.count, by: cores) {
                let i = todo[k]
                let v = s.evaluate(at: grid[i])
                out[i] = v
                log?.append(i, loss: v.loss, error: v.error)
                meter.tick()
            }
            return 0
        }
        return Array(out)
    }

    func cores(_ points: Int) -> Int { min(workers ?? ProcessInfo.activeCores, max(1, points)) }
    /// BLAS threads a point runs with (one when points run side by side); they round differently.
    func threads(_ points: Int) -> Int { cores(points) > 1 ? 1 : BLAS.threads }

    /// Everything a point's value depends on, for the checkpoint's name and its lines' checksums.
    func checkpointKey(origin: [Float], directions: [[Float]], sample: Dataset, threads: Int) -> String {
        var h = ContentHash()
        h.combine(genlabVersion)
        h.combine(model)
        h.combine(mode.rawValue)
        h.combine("threads=\(threads) shortcut=\(firstLayerShortcut)")
        h.combine(origin)
        for d in directions { h.combine(d) }
        sample.combine(into: &h)
        h.combine(axis)
        return h.hex
    }

    /// max over t ∈ [0, 1] of L(t) − ((1 − t)·L(0) + t·L(1)): the loss barrier between the two solutions.
    func barrier(_ values: [(loss: Double, error: Double)]) -> Double {
        let a = axis
        guard let i0 = a.firstIndex(where: { $0 >= 0 }), let i1 = a.lastIndex(where: { $0 <= 1 }), i0 <= i1 else {
            return .nan
        }
        let l0 = values[i0].loss
        let l1 = values[i1].loss
        let t0 = a[i0]
        let t1 = a[i1]
        return (i0...i1).map { i in values[i].loss - (l0 + (l1 - l0) * (a[i] - t0) / max(t1 - t0, 1e-300)) }.max()
            ?? .nan
    }

    func table(_ grid: [[Double]], _ values: [(loss: Double, error: Double)]) -> Table {
        let coordinates = mode == .plane ? ["alpha", "beta"] : [mode == .interpolation ? "t" : "alpha"]
        var t = Table(name: "surface", columns: coordinates + ["loss", "accuracy"])
        for (c, v) in zip(grid, values) {
            t.append(
                c.map { JSONValue($0) } + [
                    v.loss.isFinite ? JSONValue(v.loss) : .null, v.error.isNaN ? .null : JSONValue(1 - v.error),
                ])
        }
        return t
    }

    var figures: [FigureSpec] {
        switch mode {
        case .trajectory: return trajectoryFigures
        case .plane:
            return [
                FigureSpec(
                    file: "loss_contour.svg", title: "Training loss around θ₀ (filter-normalized directions)",
                    kind: .contour, table: "surface", x: "alpha",
                    xLabel: "α (along d₁)", yLabel: "β (along d₂)", series: [.init(y: "beta", label: "loss")],
                    value: "loss"),
                FigureSpec(
                    file: "loss_heatmap.svg", title: "Training loss around θ₀", kind: .heatmap, table: "surface",
                    x: "alpha",
                    xLabel: "α (along d₁)", yLabel: "β (along d₂)", series: [.init(y: "beta", label: "loss")],
                    value: "loss"),
                FigureSpec(
                    file: "accuracy_heatmap.svg", title: "Training accuracy around θ₀", kind: .heatmap,
                    table: "surface", x: "alpha",
                    xLabel: "α (along d₁)", yLabel: "β (along d₂)", series: [.init(y: "beta", label: "accuracy")],
                    value: "accuracy"),
            ]
        case .line, .interpolation:
            let x = mode == .interpolation ? "t" : "alpha"
            let xLabel = mode == .interpolation ? "t (0: θ₀, 1: θ₁)" : "α (along the filter-normalized d₁)"
            return [
                FigureSpec(
                    file: "loss.svg",
                    title: mode == .interpolation
                        ? "Training loss between two solutions" : "Training loss along a filter-normalized direction",
                    table: "surface", x: x, xLabel: xLabel, yLabel: "loss",
                    series: [.init(y: "loss", label: "loss", markers: true)]),
                FigureSpec(
                    file: "accuracy.svg", title: "Training accuracy", table: "surface", x: x, xLabel: xLabel,
                    yLabel: "accuracy",
                    series: [.init(y: "accuracy", label: "accuracy", markers: true)]),
            ]
        }
    }

    func norm(_ v: [Float]) -> Double { dot(v, v).squareRoot() }
    func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
}

/// Progress of a grid with an ETA, reported at most every half second (a grid has thousands of points).
final class ProgressMeter: @unchecked Sendable {
    let total: Int
    let progress: RunProgress
    private let lock = NSLock()
    private var done = 0
    private let started = Timing.now()
    private var lastReport = -1.0

    init(total: Int, progress: RunProgress) {
        self.total = total
        self.progress = progress
    }

    func tick() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let now = Timing.now()
        guard now - lastReport >= 0.5 || done == total else { return }
        lastReport = now
        let elapsed = now - started
        let eta = elapsed / Double(done) * Double(total - done)
        progress.report(
            String(format: "point %d/%d · ETA %.0f s", done, total, eta),
            0.35 + 0.65 * Double(done) / Double(max(total, 1)))
    }
}

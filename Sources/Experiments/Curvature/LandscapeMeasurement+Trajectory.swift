import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// `genlab landscape --mode trajectory`: the loss over the plane of a training path's top two
/// principal directions, centred on its last checkpoint, with the path on it (Li et al. 2018, §7).
/// The directions are unit vectors in θ (not filter-normalized: the path fixes their scale), so
/// the coordinates are distances in parameter space. The grid is the plain plane's machinery:
/// the first layer's product once per direction, points on all cores, each checkpointed.
extension LandscapeMeasurement {
    /// The grid's margin around the path, as a share of the path's extent on each axis.
    static let trajectoryMargin = 0.25

    func runTrajectory(_ context: RunContext, split: DataSplit, started: Double) throws -> ExperimentResult {
        let net: Network<Float> = try ModelSpec(parsing: model).network(
            for: split.train, imageShape: split.sampleShape, initialization: initialization, seed: training.seed)
        var notes = [String]()
        let (epochs, thetas) =
            try checkpoints.map { try Trajectory.read($0, into: net, names: weightNames) }
            ?? trainedPath(net, split: split, context: context, notes: &notes)
        return try trajectoryResult(
            context, split: split, net: net, path: (epochs, thetas), notes: notes, started: started)
    }

    /// The loss over the plane of a kept path (`path`: epochs and θ in training order, the last the
    /// origin), with the path drawn on it; `net` has the path's model.
    func trajectoryResult(
        _ context: RunContext, split: DataSplit, net: Network<Float>, path: (epochs: [Int], thetas: [[Double]]),
        notes: [String], started: Double
    ) throws -> ExperimentResult {
        let (epochs, thetas) = path
        var notes = notes
        let plane = try TrajectoryPlane(path: thetas)
        let origin = thetas[thetas.count - 1].map { Float($0) }
        let directions = plane.directions.map { $0.map { Float($0) } }
        let sample = split.train.measuredSample(samples, first: firstSamples, seed: seed)
        // The loss at each checkpoint itself, beside the loss at its projection on the plane.
        var atCheckpoint = [Evaluation]()
        for theta in thetas {
            net.parameterArray = theta.map { Float($0) }
            atCheckpoint.append(net.evaluate(sample))
        }
        net.parameterArray = origin
        context.progress.report("first layer", 0.32)
        let surface = LossSurface(
            network: net, x: sample.features, labels: sample.isRegression ? [] : sample.labels,
            targets: sample.isRegression ? sample.targets.map { Float($0) } : nil,
            origin: origin, directions: directions, firstLayerShortcut: firstLayerShortcut)
        let (alphas, betas) = trajectoryAxes(plane.coordinates)
        let grid = betas.flatMap { b in alphas.map { [$0, b] } }
        notes.append(
            "Trajectory of \(thetas.count) checkpoints \(checkpoints.map { "in " + $0 } ?? "kept in the run") (epochs "
                + "\(epochs.first!)–\(epochs.last!)), centred on the last."
        )
        let log = try context.checkpoint.map { folder in
            var h = ContentHash()
            h.combine(
                checkpointKey(origin: origin, directions: directions, sample: sample, threads: threads(grid.count)))
            h.combine(alphas)
            h.combine(betas)
            return try GridCheckpoint(folder: folder, key: h.hex, count: grid.count)
        }
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
        let projected = plane.coordinates.map { surface.evaluate(at: $0) }

        let table = surfaceTable(
            grid: grid, values: values, path: plane.coordinates, epochs: epochs, projected: projected,
            atCheckpoint: atCheckpoint)
        let metrics = trajectoryMetrics(
            net: net, sample: sample, values: values, plane: plane, thetas: thetas, atCheckpoint: atCheckpoint,
            grid: (count: grid.count, resumed: resumed, seconds: gridSeconds),
            shortcut: surface.usesFirstLayerShortcut)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: metrics, command: context.command,
            figures: trajectoryFigures, tables: [table], seconds: Timing.now() - started, notes: notes)
    }

    /// The run's numbers: sizes, the grid's cost, the plane's explained variance, the losses.
    func trajectoryMetrics(
        net: Network<Float>, sample: Dataset, values: [(loss: Double, error: Double)], plane: TrajectoryPlane,
        thetas: [[Double]],
        atCheckpoint: [Evaluation], grid: (count: Int, resumed: Int, seconds: Double), shortcut: Bool
    ) -> [String: JSONValue] {
        let (count, resumed, gridSeconds) = grid
        let losses = values.map(\.loss).filter(\.isFinite)
        return [
            "parameters": JSONValue(net.parameterCount), "samples": JSONValue(sample.count),
            "points": JSONValue(count),
            "points_computed": JSONValue(count - resumed), "points_resumed": JSONValue(resumed),
            "checkpoints": JSONValue(thetas.count),
            "grid_seconds": JSONValue(gridSeconds),
            "ms_per_point": JSONValue(count > resumed ? 1000 * gridSeconds / Double(count - resumed) : 0),
            "first_layer_shortcut": .bool(shortcut),
            "explained_variance_1": JSONValue(plane.explainedVariance[0]),
            "explained_variance_2": JSONValue(plane.explainedVariance[1]),
            "explained_variance": JSONValue(plane.explainedVariance[0] + plane.explainedVariance[1]),
            "loss_at_origin": JSONValue(atCheckpoint[atCheckpoint.count - 1].loss),
            "error_at_origin": JSONValue(atCheckpoint[atCheckpoint.count - 1].error),
            "loss_at_start": JSONValue(atCheckpoint[0].loss), "path_length": JSONValue(pathLength(thetas)),
            "loss_min": JSONValue(losses.min() ?? .nan), "loss_max": JSONValue(losses.max() ?? .nan),
        ]
    }

    /// The grid's points, then the path's: its projections on the plane and the loss at each
    /// checkpoint itself.
    func surfaceTable(
        grid: [[Double]], values: [(loss: Double, error: Double)], path: [[Double]], epochs: [Int],
        projected: [(loss: Double, error: Double)], atCheckpoint: [Evaluation]
    ) -> Table {
        var table = Table(
            name: "surface", columns: ["point", "epoch", "alpha", "beta", "loss", "accuracy", "checkpoint_loss"])
        func cell(_ v: Double) -> JSONValue { v.isFinite ? JSONValue(v) : .null }
        for (c, v) in zip(grid, values) {
            table.append([
                JSONValue("grid"), .null, JSONValue(c[0]), JSONValue(c[1]), cell(v.loss),
                v.error.isNaN ? .null : JSONValue(1 - v.error), .null,
            ])
        }
        for (k, c) in path.enumerated() {
            table.append([
                JSONValue("path"), JSONValue(epochs[k]), JSONValue(c[0]), JSONValue(c[1]), cell(projected[k].loss),
                projected[k].error.isNaN ? .null : JSONValue(1 - projected[k].error), cell(atCheckpoint[k].loss),
            ])
        }
        return table
    }

    /// Trains `net` with `training`, keeping θ at initialization, every `checkpointEvery` epochs and at the end.
    func trainedPath(_ net: Network<Float>, split: DataSplit, context: RunContext, notes: inout [String]) throws -> (
        epochs: [Int], thetas: [[Double]]
    ) {
        let trainer = context.trainer(training)
        try trainer.validate(split.train, classes: split.train.isRegression ? 1 : split.train.classCount)
        let kept = Trajectory.Path()
        kept.keep(net, epoch: 0)
        let every = checkpointEvery ?? 1
        let run = trainer.train(net, train: split.train, test: split.test) { e, total, _ in
            if e % every == 0 { kept.keep(net, epoch: e) }
            context.progress.report("training, epoch \(e)", 0.3 * Double(e) / Double(total))
        }
        let last = run.records.last?.epoch ?? training.epochs
        if kept.epochs.last != last { kept.keep(net, epoch: last) }
        notes.append(
            "Trained in the run: \(run.steps) steps, stopped because of \(run.stoppedBecause); θ kept every \(every) "
                + "epoch\(every == 1 ? "" : "s")."
        )
        if let store = context.networks {
            notes.append(
                "The path was trained in the run, not read from the shared store \(store.folder): the store keeps "
                    + "final weights, not a path's checkpoints."
            )
        }
        return (kept.epochs, kept.thetas)
    }

    /// `steps` points per axis over the path's extent and a margin on each side; `range`, when
    /// given, is the extent instead (the same on both axes).
    func trajectoryAxes(_ coordinates: [[Double]]) -> (alphas: [Double], betas: [Double]) {
        func axis(_ k: Int) -> [Double] {
            var lo = coordinates.map { $0[k] }.min()!
            var hi = coordinates.map { $0[k] }.max()!
            if let r = range, r.count == 2 {
                (lo, hi) = (r[0], r[1])
            } else {
                let margin = max(Self.trajectoryMargin * (hi - lo), 1e-6)
                lo -= margin
                hi += margin
            }
            return (0..<steps).map { lo + (hi - lo) * Double($0) / Double(steps - 1) }
        }
        return (axis(0), axis(1))
    }

    /// Σ ‖θᵢ₊₁ − θᵢ‖: how far training walked, against the straight distance the plane shows.
    func pathLength(_ thetas: [[Double]]) -> Double {
        var total = 0.0
        for k in 1..<thetas.count {
            var s = 0.0
            for j in thetas[k].indices {
                let d = thetas[k][j] - thetas[k - 1][j]
                s += d * d
            }
            total += s.squareRoot()
        }
        return total
    }

    var trajectoryFigures: [FigureSpec] {
        [
            FigureSpec(
                file: "trajectory_contour.svg",
                title: "Training loss over the path's top two principal directions, with the path", kind: .contour,
                table: "surface", x: "alpha", xLabel: "α (along the 1st principal direction)",
                yLabel: "β (along the 2nd principal direction)",
                series: [
                    .init(y: "beta", label: "loss", filterColumn: "point", filterValue: "grid"),
                    .init(
                        y: "beta", label: "training path (final weights ringed)", filterColumn: "point",
                        filterValue: "path"),
                ],
                value: "loss")
        ]
    }
}

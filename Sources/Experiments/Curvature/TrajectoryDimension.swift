import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Li et al. (2018, §7) draw a training path on the plane of its own top two principal
/// directions and find that the path "lies in a very low-dimensional space". Antognini &
/// Sohl-Dickstein (2018) answer that a random walk in high dimension does too: its top two
/// principal directions hold 7.5/π² ≈ 76% of its variance. So the finding measured here is the
/// part a walk cannot explain: over `seeds` training runs, the top-two share of each path (θ
/// kept after every epoch) against the share of random walks of the same length in the same
/// dimension. The first seed's path is drawn on its plane, over the training loss there.
public struct TrajectoryDimension: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The network, a model spec (e.g. mlp:64).
    public var model: String
    /// Epochs of every training run; θ is kept at initialization and after every epoch.
    public var epochs: Int
    /// Minibatch size of SGD.
    public var batchSize: Int
    /// SGD's step size η (constant).
    public var learningRate: Double
    /// SGD's (heavy-ball) momentum.
    public var momentum: Double
    /// Training runs, with seeds seed, seed + 1, …: the share's scatter comes from them.
    public var seeds: Int
    /// Random walks (same checkpoints, same dimension) the reference share is averaged over.
    public var walks: Int
    /// Points per axis of the loss grid under the first seed's path.
    public var steps: Int
    /// Training samples the grid's loss is averaged over (a seeded random subset).
    public var samples: Int
    /// First seed (training runs, walks and the grid's sample).
    public var seed: UInt64

    public init(
        data: String = "mnist1d:train=1000,test=500", model: String = "mlp:64", epochs: Int = 30, batchSize: Int = 64,
        learningRate: Double = 0.05, momentum: Double = 0.9, seeds: Int = 5, walks: Int = 100, steps: Int = 31,
        samples: Int = 500, seed: UInt64 = 0
    ) {
        self.data = data
        self.model = model
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.seeds = seeds
        self.walks = walks
        self.steps = steps
        self.samples = samples
        self.seed = seed
    }

    /// The least excess over a random walk's share that counts as "more planar than a walk",
    /// fixed before any run: 5 points of the path's variance.
    public static let leastExcess = 0.05
}

extension TrajectoryDimension: LiveMeasurement {
    public var name: String { "landscape-trajectory" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        try training(seed: 0).optimizer.validate()
        guard epochs >= 3 else {
            throw GenLabError.parameter(
                name: "epochs",
                problem: "must be ≥ 3 (a plane needs 4 checkpoints: the start and three epochs), got \(epochs)")
        }
        guard batchSize >= 1 else {
            throw GenLabError.parameter(name: "batchSize", problem: "must be ≥ 1, got \(batchSize)")
        }
        guard seeds >= 2 else {
            throw GenLabError.parameter(
                name: "seeds",
                problem: "must be ≥ 2 (the share's scatter comes from the seeds), got \(seeds)")
        }
        guard walks >= 2 else {
            throw GenLabError.parameter(
                name: "walks",
                problem: "must be ≥ 2 (the reference is a Monte Carlo mean), got \(walks)")
        }
        guard steps >= 2 else { throw GenLabError.parameter(name: "steps", problem: "must be ≥ 2, got \(steps)") }
        guard samples >= 1 else {
            throw GenLabError.parameter(name: "samples", problem: "must be ≥ 1, got \(samples)")
        }
    }

    /// SGD with heavy-ball momentum at a constant rate (Li et al. train with SGD and momentum).
    func training(seed s: Int) -> TrainingConfig {
        TrainingConfig(
            epochs: epochs, batchSize: batchSize,
            optimizer: OptimizerConfig(learningRate: learningRate, momentum: momentum), seed: seed &+ UInt64(s))
    }

    /// The landscape tool's trajectory mode for one seed: its training and its grid.
    func landscape(seed s: Int) -> LandscapeMeasurement {
        var m = LandscapeMeasurement(
            data: data, model: model, training: training(seed: s), mode: .trajectory, steps: steps, samples: samples,
            seed: seed &+ UInt64(s))
        m.checkpointEvery = 1
        return m
    }

    /// The random walks' top-two shares (`RandomWalkPlane.topTwoShare`): their mean, its standard
    /// error, and each walk's share.
    public struct Walks: Codable, Sendable {
        var mean: Double
        var standardError: Double
        var shares: [Double]
    }

    /// Every seed's principal shares, the walks of the same length and dimension and the limit
    /// share for that length, and the landscape tool's measurement of the first path's plane:
    /// its surface table (grid and path) and metrics.
    public struct Outcomes: Codable, Sendable {
        var shares: [[Double]]
        var walks: Walks
        var limit: Double
        var checkpoints: Int, parameters: Int
        var surface: Table, metrics: [String: JSONValue]
    }

    /// One seed's training path and the network it trained (its parameter count); its notes for seed 0.
    func path(seed s: Int, _ split: DataSplit, _ context: RunContext) throws
        -> (path: (epochs: [Int], thetas: [[Double]]), parameters: Int, notes: [String])
    {
        let m = landscape(seed: s)
        let net: Network<Float> = try ModelSpec(parsing: model).network(for: split.train, seed: m.training.seed)
        var notes = [String]()
        let path = try m.trainedPath(net, split: split, context: .init(command: context.command), notes: &notes)
        return (path, net.parameterCount, notes)
    }

    /// The first seed's path, the walks and the loss over that path's plane (every partial result
    /// needs them), then the other seeds' paths; from the second seed on, publishes the seeds so far.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, requireTest: false, for: name)
        context.progress.report("training path 1 of \(seeds)", 0)
        let first = try path(seed: 0, split, context)
        context.progress.report("random walks", 0.12)
        let checkpoints = first.path.thetas.count
        let w = try RandomWalkPlane.topTwoShare(
            checkpoints: checkpoints, dimension: first.parameters,
            replicates: walks, seed: seed)
        let limit = try RandomWalkPlane.limitShare(checkpoints: checkpoints)
        context.progress.report("loss over the first path's plane", 0.15)
        let m = landscape(seed: 0)
        let net: Network<Float> = try ModelSpec(parsing: model).network(for: split.train, seed: m.training.seed)
        let drawn = try m.trajectoryResult(
            context, split: split, net: net, path: first.path, notes: first.notes,
            started: 0)
        func outcomes(_ shares: [[Double]]) -> Outcomes {
            Outcomes(
                shares: shares, walks: Walks(mean: w.mean, standardError: w.standardError, shares: w.shares),
                limit: limit, checkpoints: checkpoints, parameters: first.parameters,
                surface: drawn.tables[0], metrics: drawn.metrics)
        }
        // Two seeds at least: the share's scatter comes from them.
        let live = liveUnits(context, count: seeds) { (done: [[Double]]) in
            guard done.count >= 2 else { return nil }
            var part = self
            part.seeds = done.count
            return (part, outcomes(done), partialNote(done.count, of: seeds, "seeds"))
        }
        var shares = [try TrajectoryPlane(path: first.path.thetas).explainedVariance]
        live.finished(0, shares[0])
        for s in 1..<seeds {
            context.progress.report("training path \(s + 1) of \(seeds)", 0.4 + 0.6 * Double(s) / Double(seeds))
            shares.append(try TrajectoryPlane(path: path(seed: s, split, context).path.thetas).explainedVariance)
            live.finished(s, shares[s])
        }
        return Measured(outcomes(shares), notes: drawn.notes)
    }

    /// The verdict on the seeds' shares against the walks', with the first path's plane as the figure.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        // The landscape tool's result for the first path, as its measurement left it.
        let drawn = ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: o.metrics, command: "",
            figures: landscape(seed: 0).trajectoryFigures, tables: [o.surface], seconds: 0,
            notes: measured.notes)
        return result(
            drawn, shares: o.shares, walk: (o.walks.mean, o.walks.standardError, o.walks.shares),
            limit: o.limit, checkpoints: o.checkpoints, parameters: o.parameters)
    }
}

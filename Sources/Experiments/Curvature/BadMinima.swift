import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Liu, Papailiopoulos & Achlioptas (NeurIPS 2020), "Bad global minima exist and SGD can reach
/// them": a network first trained to fit random labels, then trained on the true labels to the
/// same training loss as a network trained from its initialization, ends at a global minimum of
/// the same training loss that tests much worse. Per seed, one initialization and two routes
/// to the same target loss on the true labels — directly, and through a random-label fit — then
/// test error, λ_max and the trace at both minima, paired by seed. The talk's sharp-minima story
/// predicts the worse minimum is the sharper one; that is measured too, and can fail.
public struct BadMinima: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The network, a model spec (e.g. mlp:256).
    public var model: String
    /// Both routes end when the training cross-entropy on the true labels is at most this.
    public var targetLoss: Double
    /// Epoch limit of each training phase; a route that misses its target by then is left out and named.
    public var maxEpochs: Int
    /// SGD's step size (momentum 0.9, constant), in every phase.
    public var learningRate: Double
    /// Minibatch size.
    public var batchSize: Int
    /// Seeds (initializations): the pairs.
    public var seeds: Int
    /// Training samples the curvature is measured on (a seeded random subset).
    public var samples: Int

    public init(
        data: String = "fashion-mnist:train=1000,test=2000,standardize", model: String = "mlp:256",
        targetLoss: Double = 0.01, maxEpochs: Int = 600,
        learningRate: Double = 0.01, batchSize: Int = 64, seeds: Int = 5, samples: Int = 500
    ) {
        self.data = data
        self.model = model
        self.targetLoss = targetLoss
        self.maxEpochs = maxEpochs
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.seeds = seeds
        self.samples = samples
    }

    /// The least excess of test error that makes a minimum "bad", fixed before the run: 2 points.
    static let leastWorse = 0.02
    /// The least excess of λ_max that makes a minimum "sharper": 10%.
    static let leastSharper = log(1.1)

    /// One route's end.
    struct Minimum: Codable, Sendable {
        var reached: Bool, epochs: Int, trainError: Double, testError: Double, lambdaMax: Double, trace: Double
    }
    public struct Pair: Codable, Sendable {
        var seed: Int, direct: Minimum, pretrained: Minimum
        /// The random-label phase: its epochs, its training error on the random labels, and whether it fit them.
        var memorizeEpochs: Int, memorizeTrainError: Double, memorized: Bool, memorizeStop: String = ""
        var both: Bool { direct.reached && pretrained.reached && memorized }
    }
}

extension BadMinima: LiveMeasurement, RepeatedOverSeeds {
    public var name: String { "bad-minima" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard targetLoss > 0 else {
            throw GenLabError.parameter(name: "targetLoss", problem: "must be > 0, got \(targetLoss)")
        }
        guard learningRate > 0 else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be > 0, got \(learningRate)")
        }
        guard maxEpochs >= 1 else {
            throw GenLabError.parameter(name: "maxEpochs", problem: "must be ≥ 1, got \(maxEpochs)")
        }
        guard batchSize >= 1 else {
            throw GenLabError.parameter(name: "batchSize", problem: "must be ≥ 1, got \(batchSize)")
        }
        guard seeds >= 2 else {
            throw GenLabError.parameter(
                name: "seeds",
                problem: "must be ≥ 2 (paired comparisons need an interval), got \(seeds)")
        }
        guard samples >= 2 else {
            throw GenLabError.parameter(name: "samples", problem: "must be ≥ 2, got \(samples)")
        }
    }

    /// Both routes per seed, in parallel, each minimum measured.
    public func measure(_ context: RunContext) throws -> Measured<[Pair]> {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else { throw GenLabError.usage("\(data): bad-minima needs class labels") }
        let counter = Counter()
        let live = liveSeeds(context, perSeed: 1) { $0 }
        let pairs: [Pair] = try parallelMap(seeds) { s -> Result<Pair, Error> in
            defer {
                let k = counter.increment()
                context.progress.report(
                    "\(k) of \(seeds) seeds: both routes trained and measured", Double(k) / Double(seeds))
            }
            return Result { try pair(split, seed: s, events: context.events) }.publishing(s, to: live)
        }.map { try $0.get() }
        return Measured(pairs)
    }

    /// The paired comparisons of the two routes, from the pairs alone.
    public func analyze(_ measured: Measured<[Pair]>) -> ExperimentResult {
        result(measured.outcomes, seconds: 0, command: "").noting(measured.notes)
    }

    func config(seed: Int, memorize: Bool) -> TrainingConfig {
        TrainingConfig(
            epochs: maxEpochs, batchSize: batchSize,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9),
            seed: UInt64(seed), targetLoss: memorize ? nil : targetLoss, stopAtZeroTrainingError: memorize,
            evaluateEvery: maxEpochs)
    }

    /// Both routes from one initialization.
    func pair(_ split: DataSplit, seed: Int, events: TrainingEvents?) throws -> Pair {
        let spec = try ModelSpec(parsing: model)
        let direct: Network<Float> = try spec.network(for: split.train, seed: UInt64(seed))
        let pretrained: Network<Float> = try spec.network(for: split.train, seed: UInt64(seed))
        let directRun = Trainer<Float>(config(seed: seed, memorize: false), events: events).train(
            direct, train: split.train, test: split.test)
        // Phase 1: fit labels drawn uniformly at random (the same inputs), to zero training error.
        let noise = try split.train.withRandomLabels(seed: UInt64(1000 + seed))
        let memorize = Trainer<Float>(config(seed: seed, memorize: true), events: events).train(
            pretrained, train: noise, test: split.test)
        // Phase 2: the true labels, to the same training loss as the direct route.
        let secondRun = Trainer<Float>(config(seed: seed, memorize: false), events: events).train(
            pretrained, train: split.train, test: split.test)
        return Pair(
            seed: seed, direct: try minimum(direct, directRun, split: split, seed: seed),
            pretrained: try minimum(pretrained, secondRun, split: split, seed: seed),
            memorizeEpochs: memorize.final?.epoch ?? 0, memorizeTrainError: memorize.final?.trainError ?? .nan,
            memorized: memorize.stoppedBecause == .zeroTrainingError, memorizeStop: memorize.stoppedBecause.rawValue)
    }

    func minimum(_ net: Network<Float>, _ run: TrainingRun, split: DataSplit, seed: Int) throws -> Minimum {
        let c = try MinimumCurvature(net, train: split.train, samples: samples, seed: UInt64(seed))
        return Minimum(
            reached: run.stoppedBecause == .targetLoss, epochs: run.final?.epoch ?? 0,
            trainError: run.final?.trainError ?? .nan,
            testError: run.final?.testError ?? .nan, lambdaMax: c.lambdaMax, trace: c.trace)
    }
}

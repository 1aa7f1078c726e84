import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Sample-wise non-monotonicity in a network (Nakkiran et al., ICLR 2020, "Deep double descent",
/// §6): at a fixed size near its interpolation threshold, more training data can make a network
/// test worse, because more data moves the threshold onto the model. One MLP width on MNIST-1D
/// with label noise (the width sweep's recipe: 40→h→h→10 ReLU, He-uniform, SGD η = 0.01,
/// momentum 0.9, batch 100), trained on nested training sets of growing size (the first n of
/// one noisy set) for the same number of steps, several seeds: does test error rise from one
/// size to the next somewhere on the grid?
public struct SampleWiseNetwork: Codable, Sendable {
    /// Dataset spec, with class labels; its training split must hold the largest size.
    public var data: String
    /// Hidden width h of both hidden layers (near the interpolation threshold of the middle sizes).
    public var width: Int
    /// Training-set sizes n, increasing (nested: the first n samples of the noisy set).
    public var sizes: [Int]
    /// Fraction of training labels replaced by a uniform random class (drawn once, for the whole set).
    public var labelNoise: Double
    /// SGD steps of every network, whatever its n (so that no size is trained less).
    public var steps: Int
    /// Seeds (networks) per size.
    public var seeds: Int
    /// SGD's step size (momentum 0.9, constant).
    public var learningRate: Double

    public init(
        data: String = "mnist1d:train=4000,test=4000", width: Int = 32,
        sizes: [Int] = [250, 500, 1000, 1500, 2000, 3000, 4000],
        labelNoise: Double = 0.15, steps: Int = 20_000, seeds: Int = 10, learningRate: Double = 0.01
    ) {
        self.data = data
        self.width = width
        self.sizes = sizes
        self.labelNoise = labelNoise
        self.steps = steps
        self.seeds = seeds
        self.learningRate = learningRate
    }

    /// The least rise of test error from one size to the next that counts: 1 point.
    static let leastRise = 0.01

    struct Point: Codable, Sendable {
        var size: Int
        var seed: Int
    }
    public struct Outcome: Codable, Sendable {
        var size: Int
        var seed: Int
        var trainError: Double
        var testError: Double
        var parameters: Int
    }
}

extension SampleWiseNetwork: LiveSweep, PointwiseExperiment {
    public static let perPointFields: Set<String> = ["sizes", "seeds"]
    public var name: String { "double-descent-samples-network" }

    public func validate() throws {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }), sizes == sizes.sorted(), Set(sizes).count == sizes.count
        else {
            throw GenLabError.parameter(
                name: "sizes", problem: "must be at least two positive, increasing training-set sizes, got \(sizes)")
        }
        guard width >= 1 else { throw GenLabError.parameter(name: "width", problem: "must be ≥ 1, got \(width)") }
        guard steps >= 1 else { throw GenLabError.parameter(name: "steps", problem: "must be ≥ 1, got \(steps)") }
        guard seeds >= 2 else {
            throw GenLabError.parameter(
                name: "seeds",
                problem: "must be ≥ 2 (the rise is judged against the seeds' scatter), got \(seeds)")
        }
        guard (0...1).contains(labelNoise) else {
            throw GenLabError.parameter(name: "labelNoise", problem: "must be in [0, 1], got \(labelNoise)")
        }
        guard learningRate > 0 else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be > 0, got \(learningRate)")
        }
    }

    /// Trains every (size, seed) point, the largest sizes first, each a content-addressed checkpoint.
    public func measure(_ context: RunContext) throws -> Measured<[Outcome]> {
        let clean = try context.load(data, for: name)
        guard clean.train.count >= sizes.last! else {
            throw GenLabError.usage(
                "\(data): its training split has \(clean.train.count) samples, and the largest size is \(sizes.last!)")
        }
        var noisy = clean
        noisy.train = try clean.train.withLabelNoise(labelNoise, seed: 1)
        let split = noisy
        let cfg = self
        let points = sizes.reversed().flatMap { n in (0..<seeds).map { Point(size: n, seed: $0) } }
        let sweep = try Sweep<Point, Outcome>(
            points: points, of: self, recipe: "mlp:HxH relu he-uniform batch=100 sgd momentum=0.9 noise-seed=1",
            data: clean.fingerprint, in: context
        ) { "n\($0.size)-seed\($0.seed)" }
        let swept = try sweep.run(progress: { d, t in
            context.progress.report("\(d)/\(t) networks", Double(d) / Double(t))
        }) { p in cfg.train(p, split: split, events: context.events) }
        return Measured(swept.outcomes, notes: swept.note.map { [$0] } ?? [])
    }

    /// The sizes whose every seed has finished, analyzed as if the grid were those alone.
    public func finishedPart(of outcomes: [Outcome]) -> (grid: SampleWiseNetwork, outcomes: [Outcome], note: String)? {
        let complete = sizes.filter { n in
            (0..<seeds).allSatisfy { s in outcomes.contains { $0.size == n && $0.seed == s } }
        }
        guard !complete.isEmpty else { return nil }
        var finishedGrid = self
        finishedGrid.sizes = complete
        let note = "Partial: \(complete.count) of \(sizes.count) sizes finished (\(outcomes.count) networks)."
        return (finishedGrid, outcomes.filter { complete.contains($0.size) }, note)
    }

    func train(_ p: Point, split: DataSplit, events: TrainingEvents? = nil) -> Outcome {
        let train = split.train.subset(Array(0..<p.size))
        let net = try! Network<Float>(
            input: (train.featureCount, 1), hidden: [.dense(outputs: width), .relu, .dense(outputs: width), .relu],
            outputs: train.classCount, initialization: .heUniform, seed: UInt64(p.seed))
        let batch = min(100, p.size)
        let epochs = (steps + (p.size + batch - 1) / batch - 1) / ((p.size + batch - 1) / batch)
        let config = TrainingConfig(
            epochs: epochs, batchSize: batch,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9),
            seed: UInt64(p.seed), maxSteps: steps, evaluateEvery: epochs)
        let f = Trainer<Float>(config, events: events).train(net, train: train, test: split.test).final!
        return Outcome(
            size: p.size, seed: p.seed, trainError: f.trainError, testError: f.testError, parameters: net.parameterCount
        )
    }
}

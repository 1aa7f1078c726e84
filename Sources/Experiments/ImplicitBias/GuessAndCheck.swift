import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Does SGD find solutions that generalize better than other ways of reaching zero training
/// error? Chiang, Ni, Miller, Bansal, Geiping, Goldblum & Goldstein (ICLR 2023, "Loss landscapes
/// are all you need") answer with guess and check: draw small networks at random until one fits
/// a small training set, and compare its test error with SGD's on the same set; they found the
/// random interpolators about as good. Here: `sets` training sets of `n` samples of a two-class
/// task, on each `interpolators` random networks that fit it, from two priors (PyTorch's
/// initialization and a wide uniform one), against as many SGD-trained networks of the same
/// architecture from PyTorch's initialization, trained to zero training error.
public struct GuessAndCheck: Codable, Sendable {
    /// Dataset spec of a two-class task (its training split holds the sets, one after another).
    public var data: String
    /// Hidden width h of the networks d → h → 2 (ReLU).
    public var width: Int
    /// Training samples per set.
    public var n: Int
    /// Training sets (the pairs of the comparison).
    public var sets: Int
    /// Random interpolators (and SGD networks) per set and prior.
    public var interpolators: Int
    /// Random networks drawn per set and prior at most; a set whose search comes up short is named.
    public var maxDraws: Int
    /// Candidates per batched product.
    public var batch: Int
    /// SGD's step size (batches of 4, momentum 0.9), trained to zero training error.
    public var learningRate: Double
    /// First seed.
    public var seed: UInt64

    public init(
        data: String = "mnist1d:train=4000,test=2000,classes=0,1", width: Int = 8, n: Int = 16, sets: Int = 8,
        interpolators: Int = 8,
        maxDraws: Int = 2_000_000, batch: Int = 4096, learningRate: Double = 0.1, seed: UInt64 = 0
    ) {
        self.data = data
        self.width = width
        self.n = n
        self.sets = sets
        self.interpolators = interpolators
        self.maxDraws = maxDraws
        self.batch = batch
        self.learningRate = learningRate
        self.seed = seed
    }

    /// The least advantage of SGD (in test error) that counts, fixed before the run: 2 points.
    static let leastAdvantage = 0.02

    /// What one set's runs left: each prior's search, SGD's test errors (NaN: that network did not
    /// reach zero training error) and the seconds the searches took.
    public struct SetResult: Codable, Sendable {
        /// The searches, one per prior in the order of `Prior.allCases`.
        var guessed: [Search]
        var sgd: [Double]
        /// Seconds spent drawing and checking candidates (both priors).
        var searchSeconds: Double

        /// The search under `prior`.
        subscript(prior: InterpolatorSearch.Prior) -> Search { guessed.first { $0.prior == prior }! }
    }

    /// One prior's search on one set: the test errors of the interpolators it found, and how many
    /// networks it drew.
    struct Search: Codable, Sendable {
        var prior: InterpolatorSearch.Prior
        var errors: [Double]
        var draws: Int
    }
}

extension GuessAndCheck: LiveMeasurement {
    public var name: String { "implicit-bias-guess-and-check" }

    public func validate() throws {
        guard width >= 1 else { throw GenLabError.parameter(name: "width", problem: "must be ≥ 1, got \(width)") }
        guard n >= 2 else { throw GenLabError.parameter(name: "n", problem: "must be ≥ 2, got \(n)") }
        guard sets >= 2 else { throw GenLabError.parameter(name: "sets", problem: "must be ≥ 2, got \(sets)") }
        guard interpolators >= 1 else {
            throw GenLabError.parameter(name: "interpolators", problem: "must be ≥ 1, got \(interpolators)")
        }
        guard maxDraws >= 1 else {
            throw GenLabError.parameter(name: "maxDraws", problem: "must be ≥ 1, got \(maxDraws)")
        }
        guard batch >= 1 else { throw GenLabError.parameter(name: "batch", problem: "must be ≥ 1, got \(batch)") }
        guard learningRate > 0 else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be > 0, got \(learningRate)")
        }
    }

    /// Both searches and the SGD networks on every set, one set after the other (each search
    /// batches its candidates across the cores).
    public func measure(_ context: RunContext) throws -> Measured<[SetResult]> {
        let split = try context.load(data, for: name)
        guard split.train.classCount == 2 else {
            throw GenLabError.usage(
                "\(data): guess and check needs a two-class task (e.g. "
                    + "classes=0,1), got \(split.train.classCount) classes"
            )
        }
        guard split.train.count >= sets * n else {
            throw GenLabError.usage(
                "\(data): \(sets) sets of \(n) need \(sets * n) training samples, got \(split.train.count)")
        }
        // Live: the sets finished so far, analyzed as a run with that many sets (at least two, as a run needs).
        let live = liveUnits(context, count: sets) { (done: [SetResult]) in
            guard done.count >= 2 else { return nil }
            var part = self
            part.sets = done.count
            return (part, done, partialNote(done.count, of: sets, "sets"))
        }
        let results: [SetResult] = parallelMap(sets, workers: 1) { s in
            context.progress.report("set \(s + 1) of \(sets)", Double(s) / Double(sets))
            let r = measure(set: s, split: split, events: context.events)
            live.finished(s, r)
            return r
        }
        return Measured(results)
    }

    /// The verdict per prior, from the sets' outcomes alone.
    public func analyze(_ measured: Measured<[SetResult]>) -> ExperimentResult {
        result(measured.outcomes, seconds: 0, command: "").noting(measured.notes)
    }

    /// Both priors' interpolators and the SGD networks on set `s`.
    func measure(set s: Int, split: DataSplit, events: TrainingEvents?) -> SetResult {
        let train = split.train.subset(Array((s * n)..<((s + 1) * n)))
        let x: Matrix<Float> = train.features.converted()
        let net = try! Network<Float>(
            input: (x.cols, 1), hidden: [.dense(outputs: width), .relu], outputs: 2, initialization: .uniform, seed: 0)
        func testError(_ theta: [Float]) -> Double {
            net.parameterArray = theta
            return net.evaluate(split.test).error
        }
        var guessed = [Search]()
        let start = Timing.now()
        for (p, prior) in InterpolatorSearch.Prior.allCases.enumerated() {
            var rng = Generator(seed: seed &+ UInt64(s), stream: UInt64(10 + p))
            let search = InterpolatorSearch(x: x, labels: train.labels, width: width, classes: 2, prior: prior)
            let (found, draws) = search.search(wanted: interpolators, maxDraws: maxDraws, batch: batch, rng: &rng)
            guessed.append(Search(prior: prior, errors: found.map(testError), draws: draws))
        }
        let searchSeconds = Timing.now() - start
        let sgd = (0..<interpolators).map { k -> Double in
            let m = try! Network<Float>(
                input: (x.cols, 1), hidden: [.dense(outputs: width), .relu], outputs: 2, initialization: .uniform,
                seed: seed &+ UInt64(1000 * s + k))
            let config = TrainingConfig(
                epochs: 5000, batchSize: min(4, n),
                optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9),
                seed: UInt64(k), stopAtZeroTrainingError: true, evaluateEvery: 5000)
            let run = Trainer<Float>(config, events: events).train(m, train: train, test: split.test)
            return run.stoppedBecause == .zeroTrainingError ? run.final!.testError : .nan
        }
        return SetResult(guessed: guessed, sgd: sgd, searchSeconds: searchSeconds)
    }
}

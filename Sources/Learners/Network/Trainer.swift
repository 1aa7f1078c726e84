import Datasets
import Foundation
import LinearAlgebra

/// How to train: epochs or steps, batches, the optimizer, and when to stop early.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerConfig
    public var seed: UInt64
    /// Stop once the training loss is at most this (e.g. 0.01, the protocol of Jiang et al. 2020).
    public var targetLoss: Double?
    /// Stop at the first epoch with zero training error.
    public var stopAtZeroTrainingError: Bool
    /// Stop after this many steps (overrides epochs when smaller).
    public var maxSteps: Int?
    /// Stop when the validation error has not improved for this many epochs.
    public var earlyStoppingPatience: Int?
    /// Evaluate train/test loss and error every this many epochs (and at the last).
    public var evaluateEvery: Int
    /// Evaluate instead on a geometric grid of this many epochs per decade (and at the last):
    /// every epoch early, then ever sparser, as a curve drawn on a log axis needs it (nil: every
    /// `evaluateEvery` epochs). Left out of the encoding when nil, so earlier cache keys hold.
    public var evaluationsPerDecade: Int? = nil
    /// Drop the last partial batch of an epoch (PyTorch's drop_last).
    public var dropLast: Bool
    /// Evaluate at all (throughput benchmarks turn it off).
    public var evaluate: Bool = true

    public init(
        epochs: Int = 10, batchSize: Int = 128, optimizer: OptimizerConfig = OptimizerConfig(), seed: UInt64 = 0,
        targetLoss: Double? = nil, stopAtZeroTrainingError: Bool = false, maxSteps: Int? = nil,
        earlyStoppingPatience: Int? = nil, evaluateEvery: Int = 1, dropLast: Bool = false
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.targetLoss = targetLoss
        self.stopAtZeroTrainingError = stopAtZeroTrainingError
        self.maxSteps = maxSteps
        self.earlyStoppingPatience = earlyStoppingPatience
        self.evaluateEvery = max(1, evaluateEvery)
        self.dropLast = dropLast
    }

    /// The epochs 1...`epochs` on a geometric grid of `perDecade` points per decade, round(10^(i/perDecade))
    /// for i = 0, 1, …, and the last epoch: every epoch while the grid's step is under one epoch.
    public static func logGrid(epochs: Int, perDecade: Int) -> [Int] {
        precondition(perDecade >= 1 && epochs >= 1)
        var grid: Set<Int> = [epochs]
        var i = 0
        while true {
            let e = Int((pow(10, Double(i) / Double(perDecade))).rounded())
            if e > epochs { break }
            grid.insert(e)
            i += 1
        }
        return grid.sorted()
    }

    /// A grid of 1 to 1,000 epochs per decade, or none.
    public static func validate(evaluationsPerDecade k: Int?) throws {
        if let k, !(1...1000).contains(k) {
            throw GenLabError.parameter(name: "evaluationsPerDecade", problem: "must be in 1...1000, got \(k)")
        }
    }

    /// The epochs evaluated for a record (besides where training stops early).
    func isRecordEpoch(_ epoch: Int, grid: Set<Int>) -> Bool {
        evaluationsPerDecade == nil ? epoch % evaluateEvery == 0 : grid.contains(epoch)
    }
}

/// One evaluated epoch: the steps so far, the rate, and train and test loss and error.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var steps: Int
    public var learningRate: Double
    public var trainLoss: Double
    public var trainError: Double
    public var testLoss: Double
    public var testError: Double
    public var validationError: Double?
    public var seconds: Double
}

/// Why a training run ended (its raw value is what result.json and the tables show).
public enum StopReason: String, Codable, Sendable, CustomStringConvertible {
    /// All the epochs ran.
    case epochs
    /// The step limit (`maxSteps`) came first.
    case steps
    /// The training loss reached `targetLoss`.
    case targetLoss = "target loss"
    /// Every training sample was classified correctly (`stopAtZeroTrainingError`).
    case zeroTrainingError = "zero training error"
    /// The validation error stopped improving for `earlyStoppingPatience` evaluations.
    case earlyStopping = "early stopping"
    /// A loss became NaN, infinite, or a million times the first batch's.
    case diverged

    public var description: String { rawValue }
}

/// What a training run did: its evaluated epochs, why it stopped, its steps and seconds.
public struct TrainingRun: Codable, Sendable {
    public var records: [EpochRecord]
    /// Why training ended.
    public var stoppedBecause: StopReason
    public var steps: Int
    public var seconds: Double
    public var final: EpochRecord? { records.last }
    /// A loss became NaN or infinite (or blew up): training stopped there.
    public var diverged: Bool { stoppedBecause == .diverged }
}


/// Minibatch training with per-epoch records. The training step itself allocates nothing:
/// the batch buffer, the arena and the optimizer state are sized before the first step.
public struct Trainer<T: Scalar>: Sendable {
    public var config: TrainingConfig
    /// Where each training writes its TensorBoard scalars (nil: nowhere).
    public var events: TrainingEvents?
    public init(_ config: TrainingConfig, events: TrainingEvents? = nil) {
        self.config = config
        self.events = events
    }

    /// A training loss this many times the first batch's counts as diverged.
    public static var divergenceFactor: Double { 1e6 }

    public func validate(_ train: Dataset, classes: Int) throws {
        try config.optimizer.validate()
        guard config.epochs >= 1 else {
            throw GenLabError.parameter(name: "epochs", problem: "must be ≥ 1, got \(config.epochs)")
        }
        try TrainingConfig.validate(evaluationsPerDecade: config.evaluationsPerDecade)
        guard config.batchSize >= 1 else {
            throw GenLabError.parameter(name: "batchSize", problem: "must be ≥ 1, got \(config.batchSize)")
        }
        guard train.count >= 1 else {
            throw GenLabError.data(source: train.provenance, expected: "at least one training sample", found: "none")
        }
        guard config.batchSize <= train.count else {
            throw GenLabError.parameter(
                name: "batchSize",
                problem: "\(config.batchSize) is larger than the \(train.count) training samples")
        }
        if let bad = train.labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw GenLabError.data(
                source: train.provenance, expected: "labels in 0..<\(classes)", found: "label \(bad)")
        }
        if let i = train.features.storage.firstIndex(where: { !$0.isFinite }) {
            throw GenLabError.data(
                source: train.provenance, expected: "finite features",
                found:
                    "\(train.features.storage[i]) in sample \(i / max(1, train.featureCount)), feature "
                    + "\(i % max(1, train.featureCount))"
            )
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train(
        _ net: Network<T>, train: Dataset, test: Dataset, validation: Dataset? = nil,
        progress: (@Sendable (Int, Int, EpochRecord?) -> Void)? = nil
    ) -> TrainingRun {
        let start = Timing.now()
        let n = train.count
        let b = min(config.batchSize, n)
        let x: Matrix<T> = T.self == Float.self ? train.features as! Matrix<T> : train.features.converted()
        let labels = train.labels.map { Int32($0) }
        let targets: [T] = train.isRegression ? train.targets.map { T($0) } : []
        net.reserve(batch: max(b, min(net.evaluationChunk, max(n, test.count))))
        let opt = Optimizer<T>(config.optimizer, parameterCount: net.parameterCount)
        var rng = Generator(seed: config.seed, stream: 21)
        var order = Array(0..<n)
        let batchesPerEpoch = config.dropLast ? n / b : (n + b - 1) / b
        let totalSteps = min(config.maxSteps ?? Int.max, batchesPerEpoch * config.epochs)
        var steps = 0
        var records = [EpochRecord]()
        var reason = StopReason.epochs
        var bestValidation = Double.infinity
        var sinceBest = 0
        let events = self.events?.newRun(net, seed: config.seed)
        var firstLoss = Double.nan
        let grid = Set(
            config.evaluationsPerDecade.map { TrainingConfig.logGrid(epochs: config.epochs, perDecade: $0) } ?? [])
        epochs: for epoch in 1...config.epochs {
            rng.shuffle(&order)
            let lr = config.optimizer.schedule.rate(
                config.optimizer.learningRate, step: steps, totalSteps: totalSteps, epoch: epoch - 1)
            for batch in 0..<batchesPerEpoch {
                let lo = batch * b
                let bs = min(b, n - lo)
                let stepRate =
                    config.optimizer.schedule == .cosine
                    ? config.optimizer.schedule.rate(
                        config.optimizer.learningRate, step: steps, totalSteps: totalSteps, epoch: epoch - 1) : lr
                // The network gathers the batch's rows itself (each half on its own core when halved).
                let loss: Double = x.storage.withUnsafeBufferPointer { xs in
                    order.withUnsafeBufferPointer { order in
                        labels.withUnsafeBufferPointer { labels in
                            targets.withUnsafeBufferPointer { targets in
                                net.step(
                                    rows: BatchRows(
                                        x: xs.baseAddress!, labels: labels.isEmpty ? nil : labels.baseAddress!,
                                        targets: targets.isEmpty ? nil : targets.baseAddress!,
                                        indices: order.baseAddress! + lo),
                                    count: bs, optimizer: opt, learningRate: stepRate)
                            }
                        }
                    }
                }
                if !loss.isFinite {
                    reason = .diverged
                    break epochs
                }
                if steps == 0 { firstLoss = loss }
                steps += 1
                if steps >= totalSteps { break }
            }
            let last = epoch == config.epochs || steps >= totalSteps
            let boundary = config.isRecordEpoch(epoch, grid: grid) || last
            // A stopping rule on the training set checks it every epoch; the test set is evaluated
            // only for a record (every `evaluateEvery` epochs, and where training stops).
            let checks = config.targetLoss != nil || config.stopAtZeroTrainingError
            if config.evaluate && (boundary || checks) {
                let tr = net.evaluate(train)
                var stop: StopReason? = nil
                // Diverged: a loss that is no longer a number, or a million times the first
                // batch's (weights blown up, yet finite: lr 100 gives 1e21 without one NaN).
                if !tr.loss.isFinite || tr.loss > Self.divergenceFactor * max(firstLoss.isFinite ? firstLoss : 1, 1e-3)
                {
                    stop = .diverged
                } else if let target = config.targetLoss, tr.loss <= target {
                    stop = .targetLoss
                } else if config.stopAtZeroTrainingError && tr.error == 0 {
                    stop = .zeroTrainingError
                }
                if boundary || stop != nil {
                    let te = net.evaluate(test)
                    let va = validation.map { net.evaluate($0).error }
                    let record = EpochRecord(
                        epoch: epoch, steps: steps, learningRate: lr, trainLoss: tr.loss, trainError: tr.error,
                        testLoss: te.loss, testError: te.error, validationError: va, seconds: Timing.now() - start)
                    records.append(record)
                    TrainingEvents.write(events, record)
                    progress?(epoch, config.epochs, record)
                    if let stop {
                        reason = stop
                        break
                    }
                    if let patience = config.earlyStoppingPatience, let v = va {
                        if v < bestValidation {
                            bestValidation = v
                            sinceBest = 0
                        } else {
                            sinceBest += 1
                        }
                        if sinceBest >= patience {
                            reason = .earlyStopping
                            break
                        }
                    }
                } else {
                    progress?(epoch, config.epochs, nil)
                }
            } else {
                progress?(epoch, config.epochs, nil)
            }
            if steps >= totalSteps && totalSteps < batchesPerEpoch * config.epochs {
                reason = .steps
                break
            }
        }
        return TrainingRun(records: records, stoppedBecause: reason, steps: steps, seconds: Timing.now() - start)
    }
}

import Datasets
import Learners
import LinearAlgebra

extension Dataset {
    /// The samples a curvature measure averages the loss over: `n` drawn at random with `seed`
    /// (in their order in the set), or all of them when `n` is nil or not smaller than the set.
    func curvatureSample(_ n: Int?, seed: UInt64) -> Dataset {
        guard let n, n < count else { return self }
        return subset(measuredRows(n, first: false, seed: seed))
    }

    /// `curvatureSample`, or with `first` the first `n` samples in file order (as the peer
    /// tools' benchmarks take them).
    func measuredSample(_ n: Int?, first: Bool, seed: UInt64) -> Dataset {
        subset(measuredRows(n, first: first, seed: seed))
    }

    /// The rows (0-based, in the training split) `measuredSample` takes: what a result records so
    /// that the same average can be recomputed outside GenLab.
    func measuredRows(_ n: Int?, first: Bool, seed: UInt64) -> [Int] {
        guard let n, n < count else { return Array(0..<count) }
        if first { return Array(0..<n) }
        var rng = Generator(seed: seed, stream: 31)
        return rng.sample(n, from: count).sorted()
    }
}


/// The network a curvature tool measures (`genlab sharpness`, `genlab landscape`): at the weights
/// in `weights` (.npy, or .safetensors with `weightNames`), or trained in the run with `training`. What it did goes
/// into `notes`.
func measuredNetwork(
    model: String, data split: DataSplit, initialization: Initialization?, weights: String?,
    weightNames: [String]? = nil, training: TrainingConfig,
    context: RunContext, notes: inout [String]
) throws -> Network<Float> {
    let spec = try ModelSpec(parsing: model)
    let net: Network<Float> = try spec.network(
        for: split.train, imageShape: split.sampleShape, initialization: initialization, seed: training.seed)
    if let w = weights {
        try net.load(weights: w, names: weightNames)
        notes.append("Measured at the weights in \(w).")
    } else {
        let trainer = context.trainer(training)
        try trainer.validate(split.train, classes: split.train.isRegression ? 1 : split.train.classCount)
        let (run, reused) = context.trainedThroughStore(
            net, split: split, initialization: spec.initialization(initialization), training: training
        ) {
            trainer.train($0, train: split.train, test: split.test) { e, total, _ in
                context.progress.report("training, epoch \(e)", 0.3 * Double(e) / Double(total))
            }
        }
        notes.append(
            (reused
                ? "Read from the shared network store (trained before by the same recipe): " : "Trained in the run: ")
                + "\(run.steps) steps, stopped because of \(run.stoppedBecause).")
    }
    return net
}

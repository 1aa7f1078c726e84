import ArgumentParser
import Experiments
import Learners
import LinearAlgebra

extension OptimizerConfig.Kind: ExpressibleByArgument {}
extension Halving: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension WeightsFormat: ExpressibleByArgument {}

/// --schedule: constant, cosine, or step:EVERY:FACTOR, checked when the command line is parsed.
extension Schedule: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public static var allValueStrings: [String] { ["constant", "cosine", "step:EVERY:FACTOR"] }
}

/// `genlab train`: every setting is a field of `TrainExperiment` (ToolOptions), with the option
/// names kept from before as aliases and flags. What is not a field stays an option here:
/// --dropout (it adds to the model spec), --schedule (step:EVERY:FACTOR), --checkpoints every=K,
/// --curvature and its sample.
struct TrainCommand: ParsableCommand {
    /// What the command trains with no options: mlp:256 on Fashion-MNIST, 10 epochs of SGD (lr 0.05, momentum 0.9, batch 128).
    static let base = TrainExperiment(data: "fashion-mnist", model: "mlp:256", training: TrainingConfig())
    static let names = OptionNames(
        aliases: [
            "epochs": "training.epochs", "batch": "training.batchSize", "lr": "training.optimizer.learningRate",
            "momentum": "training.optimizer.momentum", "weight-decay": "training.optimizer.weightDecay",
            "optimizer": "training.optimizer.kind",
            "target-loss": "training.targetLoss", "patience": "training.earlyStoppingPatience", "seed": "training.seed",
            "weights": "initialWeights", "save-weights": "weightsFormat",
        ],
        flags: [
            "nesterov": ("training.optimizer.nesterov", "true"),
            "stop-at-zero-error": ("training.stopAtZeroTrainingError", "true"),
        ])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "train",
            abstract: "Train a network (MLP, 1-D or 2-D CNN) and record its learning curves; weights saved as NPY.",
            discussion: """
                Models: linear, mlp:256x256[,act=tanh,dropout=0.1], cnn1d:25x25x25[,kernel=5,stride=2,pool=2], \
                cnn2d:16x32x64x128[,kernel=3,pool=1x2x2x7] (genlab data model-help). --weights starts from .npy weights of an earlier run of \
                the same model, or a PyTorch state dict in .safetensors; --save-weights npy (weights.npy, GenLab's flat θ) or safetensors (a \
                PyTorch state dict of the model's nn.Sequential). --momentum applies to SGD; --weight-decay is L2 for SGD and Adam, decoupled \
                for AdamW; --patience needs val=F in the data spec.


                """ + names.help(base))
    }
    @Option(help: "Dropout rate after every hidden layer (adds to the model spec).") var dropout: Double?
    @Option(help: "constant, cosine, or step:EVERY:FACTOR.") var schedule: Schedule?
    @Option(
        help:
            "every=K: keep θ at initialization, every K epochs and at the end as OUT/checkpoints/epoch-NNNN.safetensors (a trajectory for genlab landscape --mode trajectory)."
    )
    var checkpoints: String?
    @Flag(
        help:
            "After training, measure λ_max, the Hessian's largest eigenvalue of the training loss (Lanczos on exact H·v)."
    ) var curvature = false
    @Option(
        name: .customLong("curvature-samples"),
        help: "Average the loss for --curvature over this many random training samples (default: all).")
    var curvatureSamples: Int?
    @OptionGroup var options: ToolOptions

    /// K of --checkpoints every=K.
    var checkpointEvery: Int? {
        get throws {
            guard let c = checkpoints else { return nil }
            guard c.hasPrefix("every="), let k = Int(c.dropFirst(6)), k >= 1 else {
                throw ValidationError("--checkpoints must be every=K with K ≥ 1, got \"\(c)\"")
            }
            return k
        }
    }

    func validate() throws {
        _ = try checkpointEvery
        if let d = dropout, !(d >= 0 && d < 1) { throw ValidationError("--dropout must be in [0, 1), got \(d)") }
        if let n = curvatureSamples {
            guard curvature else { throw ValidationError("--curvature-samples applies with --curvature") }
            guard n >= 1 else { throw ValidationError("--curvature-samples must be ≥ 1, got \(n)") }
        }
    }

    /// The experiment: the fields given, then what is not a field.
    func experiment() throws -> TrainExperiment {
        try options.experiment(Self.base, names: Self.names).adding(
            dropout: dropout, schedule: schedule, checkpointEvery: checkpointEvery,
            curvature: curvature ? .init(samples: curvatureSamples) : nil)
    }

    func run() throws {
        let e = try experiment()
        if !options.parameters { e.clearCheckpoints(in: options.output.out ?? "results/train") }
        try options.run(e, label: "train")
    }
}

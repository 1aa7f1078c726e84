import ArgumentParser
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import Reports

extension OptimizerConfig.Kind: ExpressibleByArgument {}
extension Halving: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension WeightsFormat: ExpressibleByArgument {}

/// --schedule: constant, cosine, or step:EVERY:FACTOR, checked when the command line is parsed.
extension Schedule: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "constant": self = .constant
        case "cosine": self = .cosine
        default:
            let p = argument.split(separator: ":")
            guard p.count == 3, p[0] == "step", let every = Int(p[1]), every >= 1, let factor = Double(p[2]), factor > 0 else { return nil }
            self = .step(every: every, factor: factor)
        }
    }
    public static var allValueStrings: [String] { ["constant", "cosine", "step:EVERY:FACTOR"] }
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network (MLP, 1-D or 2-D CNN) and record its learning curves; weights saved as NPY.")
    @Option(help: "Dataset spec.") var data = "fashion-mnist"
    @Option(help: "Model spec: linear, mlp:256x256[,act=tanh,dropout=0.1], cnn1d:25x25x25[,kernel=5,stride=2,pool=2], cnn2d:16x32x64x128[,kernel=3,pool=1x2x2x7] (genlab data model-help).") var model = "mlp:256"
    @Option(help: "Epochs.") var epochs = 10
    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Learning rate.") var lr = 0.05
    @Option(help: "Momentum (SGD).") var momentum = 0.9
    @Flag(help: "Nesterov momentum.") var nesterov = false
    @Option(name: .customLong("weight-decay"), help: "L2 (SGD, Adam) or decoupled decay (AdamW).") var weightDecay = 0.0
    @Option(help: "Dropout rate after every hidden layer (adds to the model spec).") var dropout: Double?
    @Option(help: "sgd, adam or adamw.") var optimizer: OptimizerConfig.Kind = .sgd
    @Option(help: "constant, cosine, or step:EVERY:FACTOR.") var schedule: Schedule = .constant
    @Option(help: "he, he-uniform, glorot or uniform (default: he for ReLU, glorot for tanh).") var initialization: Initialization?
    @Option(name: .customLong("target-loss"), help: "Stop when the training loss reaches this.") var targetLoss: Double?
    @Flag(name: .customLong("stop-at-zero-error"), help: "Stop when training error reaches 0.") var stopAtZeroError = false
    @Option(help: "Early stopping patience in epochs (needs val=F in the data spec).") var patience: Int?
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Initial weights (.npy from an earlier run of the same model, or a PyTorch state dict in .safetensors).") var weights: String?
    @OptionGroup var names: WeightNamesOption
    @Option(name: .customLong("save-weights"), help: "Format of the trained weights: npy (weights.npy, GenLab's flat θ) or safetensors (weights.safetensors, a PyTorch state dict of the model's nn.Sequential).")
    var saveWeights: WeightsFormat = .npy
    @Option(help: "every=K: keep θ at initialization, every K epochs and at the end as OUT/checkpoints/epoch-NNNN.safetensors (a trajectory for genlab landscape --mode trajectory).")
    var checkpoints: String?
    @Flag(help: "After training, measure λ_max, the Hessian's largest eigenvalue of the training loss (Lanczos on exact H·v).") var curvature = false
    @Option(name: .customLong("curvature-samples"), help: "Average the loss for --curvature over this many random training samples (default: all).") var curvatureSamples: Int?
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// K of --checkpoints every=K.
    var checkpointEvery: Int? {
        get throws {
            guard let c = checkpoints else { return nil }
            guard c.hasPrefix("every="), let k = Int(c.dropFirst(6)), k >= 1 else { throw ValidationError("--checkpoints must be every=K with K ≥ 1, got \"\(c)\"") }
            return k
        }
    }

    func validate() throws {
        _ = try checkpointEvery
        if let n = curvatureSamples {
            guard curvature else { throw ValidationError("--curvature-samples applies with --curvature") }
            guard n >= 1 else { throw ValidationError("--curvature-samples must be ≥ 1, got \(n)") }
        }
    }

    func run() throws {
        global.apply()
        var modelText = model
        if let d = dropout {
            guard d >= 0 && d < 1 else { throw GenLabError.usage("--dropout must be in [0, 1), got \(d)") }
            modelText += (model.contains(":") ? "," : ":") + "dropout=\(d)"
        }
        _ = try ModelSpec(parsing: modelText)  // usage errors before the data load
        let opt = OptimizerConfig(kind: optimizer, learningRate: lr, momentum: optimizer == .sgd ? momentum : 0, nesterov: nesterov,
                                  weightDecay: weightDecay, schedule: schedule)
        try opt.validate()
        let config = TrainingConfig(epochs: epochs, batchSize: batch, optimizer: opt, seed: seed, targetLoss: targetLoss,
                                    stopAtZeroTrainingError: stopAtZeroError, earlyStoppingPatience: patience)
        var exp = TrainExperiment(data: data, model: modelText, training: config, initialization: initialization, initialWeights: weights,
                                  curvature: curvature ? .init(samples: curvatureSamples) : nil)
        exp.weightNames = names.names
        exp.weightsFormat = saveWeights
        exp.checkpointEvery = try checkpointEvery
        let dir = output.out ?? "results/train"
        if exp.checkpointEvery != nil {
            // A trajectory is the folder's files: none may be left from an earlier, longer run.
            let folder = dir + "/checkpoints"
            for f in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where f.hasPrefix("epoch-") && f.hasSuffix(".safetensors") {
                unlink(folder + "/" + f)
            }
        }
        let r = try exp.execute(global.context(label: "train"))
        let m = r.metrics
        let noTest = m["test_error"]?.number == nil || m["test_error"]?.number?.isNaN == true
        var lines = [String(format: "%@ on %@: %d parameters, %d steps in %.1f s (%@)", modelText, data, Int(m["parameters"]?.number ?? 0),
                            Int(m["steps"]?.number ?? 0), m["train_seconds"]?.number ?? 0, m["stopped_because"]?.string ?? "")]
        if noTest, let tr = m["train_error"]?.number {
            lines.append(String(format: "train loss %.4f, train error %.4f; no test set", m["train_loss"]?.number ?? .nan, tr))
        } else if let te = m["test_error"]?.number, let tr = m["train_error"]?.number {
            lines.append(String(format: "train loss %.4f, train error %.4f; test loss %.4f, test accuracy %.4f",
                                m["train_loss"]?.number ?? .nan, tr, m["test_loss"]?.number ?? .nan, 1 - te))
        }
        if let l = m["lambda_max"]?.number {
            lines.append(String(format: "λ_max of the training loss at the trained weights: %.5g (Lanczos, %d H·v products, %@, %d samples)", l,
                                Int(m["lambda_max_iterations"]?.number ?? 0), m["lambda_max_converged"] == .bool(true) ? "converged" : "NOT converged",
                                Int(m["curvature_samples"]?.number ?? 0)))
        }
        lines.append(saveWeights == .npy ? "weights: \(dir)/weights.npy (\(Int(m["parameters"]?.number ?? 0)) float32 values)"
                     : "weights: \(dir)/weights.safetensors (a PyTorch state dict, float32; metadata genlab_sequential holds the nn.Sequential)")
        if let c = m["checkpoints"]?.number { lines.append("checkpoints: \(Int(c)) in \(dir)/checkpoints (safetensors)") }
        try finish(r, output: output, extraLines: lines)
    }
}

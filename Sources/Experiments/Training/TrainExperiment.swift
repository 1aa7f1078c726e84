import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The formats trained weights are written in.
public enum WeightsFormat: String, Codable, Sendable, CaseIterable {
    /// weights.npy: θ flat, GenLab's layer order.
    case npy
    /// weights.safetensors: a PyTorch state dict of the model's nn.Sequential.
    case safetensors
    public var file: String { "weights." + rawValue }
}

/// `genlab train`: one network on one dataset, with its learning curves.
public struct TrainExperiment: Codable, Sendable {
    public var data: String
    public var model: String
    public var training: TrainingConfig
    public var initialization: Initialization?
    /// Start from these weights (.npy) instead of a fresh initialization.
    public var initialWeights: String?
    /// Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential numbering).
    public var weightNames: [String]? = nil
    /// The format of the trained weights: weights.npy (GenLab's flat θ; nil, so that older configurations decode) or
    /// weights.safetensors (a PyTorch state dict).
    public var weightsFormat: WeightsFormat? = nil
    /// Keep θ every this many epochs (and at initialization and the end) as checkpoints/epoch-NNNN.safetensors: a
    /// trajectory (nil: no).
    public var checkpointEvery: Int? = nil
    /// Measure the Hessian's largest eigenvalue λ_max of the training loss at the trained weights (nil: no).
    public var curvature: CurvatureRequest?

    /// λ_max by Lanczos on exact H·v products, over the whole training set or a seeded random subset.
    public struct CurvatureRequest: Codable, Sendable {
        /// Samples the loss is averaged over (nil: the whole training set).
        public var samples: Int?
        public var tolerance: Double
        public init(samples: Int? = nil, tolerance: Double = 1e-3) {
            self.samples = samples
            self.tolerance = tolerance
        }
    }

    public init(
        data: String, model: String, training: TrainingConfig, initialization: Initialization? = nil,
        initialWeights: String? = nil,
        curvature: CurvatureRequest? = nil
    ) {
        self.data = data
        self.model = model
        self.training = training
        self.initialization = initialization
        self.initialWeights = initialWeights
        self.curvature = curvature
    }

    /// λ_max of the training loss at the network's current weights, with how it converged.
    public static func topCurvature(_ net: Network<Float>, train: Dataset, request: CurvatureRequest, seed: UInt64)
        throws -> [String: JSONValue]
    {
        if let n = request.samples, n < 1 {
            throw GenLabError.usage("the curvature sample must hold at least one sample, got \(n)")
        }
        let sample = train.curvatureSample(request.samples, seed: seed)
        let f = Objective(
            network: net, x: sample.features, labels: sample.isRegression ? [] : sample.labels,
            targets: sample.isRegression ? sample.targets.map { Float($0) } : nil)
        // Converged on the residual bound (an eigenvalue lies within it), as `genlab sharpness` does.
        let e = try Curvature.extremeEigenvalues(
            HessianOperator(f), k: 1, smallest: false, tolerance: request.tolerance, maxIterations: 300, seed: seed)
        return [
            "lambda_max": JSONValue(e.top[0]), "lambda_max_iterations": JSONValue(e.iterations),
            "lambda_max_converged": .bool(e.converged),
            "lambda_max_residual_bound": JSONValue(e.topResiduals[0]), "curvature_samples": JSONValue(sample.count),
            "curvature_sample_seed": JSONValue(Double(seed)),
        ]
    }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        if let k = checkpointEvery, k < 1 {
            throw GenLabError.parameter(name: "checkpointEvery", problem: "must be ≥ 1, got \(k)")
        }
        try training.optimizer.validate()
        guard training.epochs >= 1 else {
            throw GenLabError.parameter(name: "training.epochs", problem: "must be ≥ 1, got \(training.epochs)")
        }
        guard training.batchSize >= 1 else {
            throw GenLabError.parameter(name: "training.batchSize", problem: "must be ≥ 1, got \(training.batchSize)")
        }
        if let n = curvature?.samples, n < 1 {
            throw GenLabError.usage("the curvature sample must hold at least one sample, got \(n)")
        }
    }

    /// Every epoch's record, as the curves table.
    static func curves(_ run: TrainingRun) -> Table {
        var curves = Table(
            name: "curves",
            columns: [
                "epoch", "steps", "learning_rate", "train_loss", "train_error", "test_loss", "test_error",
                "validation_error", "seconds",
            ])
        for r in run.records {
            curves.append([
                JSONValue(r.epoch), JSONValue(r.steps), JSONValue(r.learningRate), JSONValue(r.trainLoss),
                JSONValue(r.trainError),
                JSONValue(r.testLoss), JSONValue(r.testError), r.validationError.map { JSONValue($0) } ?? .null,
                JSONValue(r.seconds),
            ])
        }
        return curves
    }

    /// The run's end: how it stopped, and its final losses and errors.
    static func metrics(_ run: TrainingRun, parameters: Int) -> [String: JSONValue] {
        var metrics: [String: JSONValue] = [
            "parameters": JSONValue(parameters), "diverged": .bool(run.diverged),
            "stopped_because": JSONValue(run.stoppedBecause.rawValue),
            "steps": JSONValue(run.steps), "train_seconds": JSONValue(run.seconds),
        ]
        if let f = run.final {
            metrics["train_loss"] = JSONValue(f.trainLoss)
            metrics["train_error"] = JSONValue(f.trainError)
            metrics["test_loss"] = JSONValue(f.testLoss)
            metrics["test_error"] = JSONValue(f.testError)
            metrics["test_accuracy"] = JSONValue(1 - f.testError)
        }
        return metrics
    }

    static let figures = [
        FigureSpec(
            file: "loss.svg", title: "Loss against epochs", table: "curves", x: "epoch", xLabel: "epoch",
            yLabel: "loss", yLog: true,
            series: [.init(y: "train_loss", label: "train"), .init(y: "test_loss", label: "test")]),
        FigureSpec(
            file: "error.svg", title: "Error against epochs", table: "curves", x: "epoch", xLabel: "epoch",
            yLabel: "error",
            series: [.init(y: "train_error", label: "train"), .init(y: "test_error", label: "test")]),
    ]

    /// What result.json records of the settings (the names `genlab train` has always written).
    var reportedConfiguration: [String: JSONValue] {
        var config: [String: JSONValue] = [
            "data": JSONValue(data), "model": JSONValue(model), "epochs": JSONValue(training.epochs),
            "batch": JSONValue(training.batchSize), "optimizer": JSONValue(training.optimizer.kind.rawValue),
            "lr": JSONValue(training.optimizer.learningRate), "momentum": JSONValue(training.optimizer.momentum),
            "weight_decay": JSONValue(training.optimizer.weightDecay),
        ]
        if let t = training.targetLoss { config["target_loss"] = JSONValue(t) }
        return config
    }

    /// The result, with the trained weights as the artifact weights.npy (float32, flat).
    public func run(_ context: RunContext) throws -> ExperimentResult {
        let split = try context.load(data, requireTest: false)
        let command = context.command
        let progress = context.progress
        let spec = try ModelSpec(parsing: model)
        let net: Network<Float> = try spec.network(
            for: split.train, imageShape: split.sampleShape, initialization: initialization, seed: training.seed)
        if let w = initialWeights { try net.load(weights: w, names: weightNames) }
        let trainer = context.trainer(training)
        try trainer.validate(split.train, classes: split.train.isRegression ? 1 : split.train.classCount)
        let epochs = training.epochs
        let kept = Trajectory.Recorder()
        if checkpointEvery != nil { kept.keep(net, epoch: 0, model: model) }
        let train = { (net: Network<Float>) in
            trainer.train(net, train: split.train, test: split.test, validation: split.validation) {
                [checkpointEvery, model] e, total, record in
                if let k = checkpointEvery, e % k == 0 { kept.keep(net, epoch: e, model: model) }
                let text =
                    record.map {
                        String(format: "epoch %d: train loss %.4f, test error %.4f", e, $0.trainLoss, $0.testError)
                    } ?? "epoch \(e)"
                progress.report(text, Double(e) / Double(max(total, epochs)))
            }
        }
        // A trajectory is kept while training, so a run that keeps one always trains; otherwise
        // the shared store (--networks) may hold the network.
        let (run, reused) =
            checkpointEvery == nil
            ? context.trainedThroughStore(
                net, split: split, initialization: spec.initialization(initialization), training: training, train: train
            )
            : (train(net), false)
        var metrics = Self.metrics(run, parameters: net.parameterCount)
        if let c = curvature {
            for (k, v) in try Self.topCurvature(net, train: split.train, request: c, seed: training.seed) {
                metrics[k] = v
            }
        }
        var result = ExperimentResult(
            experiment: "train", configuration: reportedConfiguration, seed: training.seed, metrics: metrics,
            command: command, figures: Self.figures, tables: [Self.curves(run)], seconds: run.seconds,
            notes: notes(run, reused: reused, store: context.networks))
        let weightsFile = (weightsFormat ?? .npy).file
        result.artifacts[weightsFile] = net.weightsFile(for: weightsFile, model: model)
        if checkpointEvery != nil {
            // The end of training is the trajectory's last point (its origin), whatever K.
            let last = run.records.last?.epoch ?? training.epochs
            if kept.epochs.last != last { kept.keep(net, epoch: last, model: model) }
            for (epoch, bytes) in zip(kept.epochs, kept.files) {
                result.artifacts[Trajectory.file(epoch: epoch)] = bytes
            }
            result.metrics["checkpoints"] = JSONValue(kept.epochs.count)
        }
        return result
    }
}

extension TrainExperiment {
    /// A diverged run, and where the network came from when a shared store was given.
    func notes(_ run: TrainingRun, reused: Bool, store: NetworkStore?) -> [String] {
        var notes = [String]()
        if run.diverged {
            notes.append(
                "Training diverged (a loss became NaN or infinite) after "
                    + "\(run.steps) steps; the result is marked diverged."
            )
        }
        if reused {
            notes.append(
                "The network was read from the shared store (\(store?.folder ?? "")): the same recipe was trained "
                    + "before; its curves are that run's."
            )
        }
        if checkpointEvery != nil, let store {
            notes.append(
                "Trained in the run, not read from the shared store \(store.folder): the store keeps final weights, "
                    + "not the checkpoints of a trajectory."
            )
        }
        return notes
    }
}

extension TrainExperiment: Experiment {
    public var name: String { "train" }
}

extension TrainExperiment {
    /// The value with what a command line gives beside its fields: a dropout rate after every
    /// hidden layer (added to the model spec), a learning-rate schedule, checkpoints every K
    /// epochs and λ_max after training, each where given. Momentum is SGD's (Adam's moments are
    /// β₁ and β₂), so another optimizer's is cleared.
    public func adding(
        dropout: Double?, schedule: Schedule?, checkpointEvery every: Int?, curvature request: CurvatureRequest?
    ) -> TrainExperiment {
        var e = self
        if let d = dropout { e.model += (e.model.contains(":") ? "," : ":") + "dropout=\(d)" }
        if let s = schedule { e.training.optimizer.schedule = s }
        if e.training.optimizer.kind != .sgd { e.training.optimizer.momentum = 0 }
        e.checkpointEvery = every ?? e.checkpointEvery
        e.curvature = request ?? e.curvature
        return e
    }
}

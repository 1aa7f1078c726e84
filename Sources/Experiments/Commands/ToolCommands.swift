import Common
import Learners

extension Commands {
    /// `genlab train`: every setting is a field of `TrainExperiment`, with the option names kept
    /// from before as aliases and flags. What is not a field is taken here: --dropout (it adds to
    /// the model spec), --schedule, --checkpoints every=K, --curvature and its sample.
    public enum TrainCommand: ToolCommand {
        public static let name = "train"
        public static let abstract =
            "Train a network (MLP, 1-D or 2-D CNN) and record its learning curves; weights saved as NPY."
        /// mlp:256 on Fashion-MNIST, 10 epochs of SGD (lr 0.05, momentum 0.9, batch 128).
        public static let base = TrainExperiment(data: "fashion-mnist", model: "mlp:256", training: TrainingConfig())
        public static let names = OptionNames(
            aliases: [
                "epochs": "training.epochs", "batch": "training.batchSize", "lr": "training.optimizer.learningRate",
                "momentum": "training.optimizer.momentum", "weight-decay": "training.optimizer.weightDecay",
                "optimizer": "training.optimizer.kind", "target-loss": "training.targetLoss",
                "patience": "training.earlyStoppingPatience", "seed": "training.seed", "weights": "initialWeights",
                "save-weights": "weightsFormat",
            ],
            flags: [
                "nesterov": ("training.optimizer.nesterov", "true"),
                "stop-at-zero-error": ("training.stopAtZeroTrainingError", "true"),
            ])
        public static let about = """
            Models: linear, mlp:256x256[,act=tanh,dropout=0.1], cnn1d:25x25x25[,kernel=5,stride=2,pool=2], \
            cnn2d:16x32x64x128[,kernel=3,pool=1x2x2x7] (genlab data model-help). --weights starts from .npy weights \
            of an earlier run of the same model, or a PyTorch state dict in .safetensors; --save-weights npy \
            (weights.npy, GenLab's flat θ) or safetensors (a PyTorch state dict of the model's nn.Sequential). \
            --momentum applies to SGD; --weight-decay is L2 for SGD and Adam, decoupled for AdamW; --patience needs \
            val=F in the data spec.
              --dropout RATE: dropout after every hidden layer (adds to the model spec).
              --schedule constant, cosine or step:EVERY:FACTOR.
              --checkpoints every=K: keep θ at initialization, every K epochs and at the end as \
            OUT/checkpoints/epoch-NNNN.safetensors (a trajectory for genlab landscape --mode trajectory).
              --curvature: after training, measure λ_max, the Hessian's largest eigenvalue of the training loss \
            (Lanczos on exact H·v); --curvature-samples N averages its loss over N random training samples.


            """

        public static func experiment(_ words: [String], at _: Scale) throws -> any Experiment {
            var words = words
            let dropout = try Choice.take("dropout", from: &words).map { text in
                guard let d = Double(text), d >= 0 && d < 1 else {
                    throw GenLabError.usage("--dropout must be in [0, 1), got \(text)")
                }
                return d
            }
            let schedule = try Choice.take("schedule", from: &words).map { text in
                guard let s = Schedule(parsing: text) else {
                    throw GenLabError.usage("--schedule must be constant, cosine or step:EVERY:FACTOR, got \"\(text)\"")
                }
                return s
            }
            let every = try Choice.take("checkpoints", from: &words).map { c in
                guard c.hasPrefix("every="), let k = Int(c.dropFirst(6)), k >= 1 else {
                    throw GenLabError.usage("--checkpoints must be every=K with K ≥ 1, got \"\(c)\"")
                }
                return k
            }
            let curvature = Choice.flag("curvature", from: &words)
            let samples = try Choice.take("curvature-samples", from: &words).map { text in
                guard curvature else { throw GenLabError.usage("--curvature-samples applies with --curvature") }
                guard let n = Int(text), n >= 1 else {
                    throw GenLabError.usage("--curvature-samples must be ≥ 1, got \(text)")
                }
                return n
            }
            return try value(words).adding(
                dropout: dropout, schedule: schedule, checkpointEvery: every,
                curvature: curvature ? .init(samples: samples) : nil)
        }

        /// Checkpoints of an earlier run in the same folder would mix into this run's trajectory.
        public static func prepare(
            _: inout RunContext, experiment: any Experiment, words _: [String], folder: String
        ) throws {
            (experiment as? TrainExperiment)?.clearCheckpoints(in: folder)
        }
    }

    /// `genlab sharpness`: every setting is a field of `SharpnessMeasurement`, with the option names
    /// kept from before (--epochs, --lr, --batch and --seed set the training's fields).
    public enum SharpnessCommand: ToolCommand {
        public static let name = "sharpness"
        public static let abstract =
            "Curvature of a network's training loss at its weights: top-k and smallest Hessian eigenvalues (Lanczos), "
            + "the trace (Hutch++), the spectral density (SLQ), per layer, and ε-sharpness."
        /// mlp:256 on Fashion-MNIST, trained first.
        public static let base = SharpnessMeasurement(data: "fashion-mnist", model: "mlp:256")
        public static let names = OptionNames(
            aliases: [
                "epochs": "training.epochs", "lr": "training.optimizer.learningRate", "batch": "training.batchSize",
                "seed": "training.seed",
            ],
            flags: [
                "first-samples": ("firstSamples", "true"), "no-per-layer": ("perLayer", "false"),
                "no-smallest": ("smallest", "false"),
                "density-reorthogonalization": ("densityReorthogonalization", "true"),
            ])
        public static let about =
            "Without --weights (.npy from genlab train with the same model and data, or a PyTorch state dict in "
            + ".safetensors) the network is trained first (SGD, momentum 0.9). --samples 0 averages over the whole "
            + "training set. --weight-names a,b,c: the modules of a state dict's layers, in order.\n\n"
    }

    /// `genlab landscape`: every setting is a field of `LandscapeMeasurement`, with the option names
    /// kept from before (--epochs, --lr and --batch set the training's fields, --seed the
    /// directions' and the training's seed, --checkpoints every=K the checkpoints kept in the run).
    public enum LandscapeCommand: ToolCommand {
        public static let name = "landscape"
        public static let abstract =
            "Training loss and accuracy around a network's weights: a 2-D plane or 1-D line along filter-normalized "
            + "random directions (Li et al.), or the segment between two solutions."
        /// A plane around mlp:256 on Fashion-MNIST, trained first.
        public static let base = LandscapeMeasurement(data: "fashion-mnist", model: "mlp:256")
        public static let names = OptionNames(
            aliases: [
                "epochs": "training.epochs", "lr": "training.optimizer.learningRate", "batch": "training.batchSize",
            ],
            flags: ["first-samples": ("firstSamples", "true"), "no-shortcut": ("firstLayerShortcut", "false")],
            alsoSets: ["seed": "training.seed"])
        public static let checkpoints = true
        public static let about = """
            --mode plane (α·d₁ + β·d₂), line (α·d₁), interpolation (θ₀ + t·(θ₁ − θ₀), needs --to) or trajectory (the \
            plane of a training path's top two principal directions, with --checkpoints the folder genlab train \
            --checkpoints every=K wrote, or every=K to train in the run). Without --weights the network is trained \
            first (SGD, momentum 0.9). --range LO,HI (default -1,1; interpolation -0.5,1.5); --samples 0 averages \
            over the whole training set.

            Points run on all cores and each finished point is checkpointed under --out/points: a killed run resumes \
            where it stopped, and a run with anything changed (weights, data, directions, grid) computes afresh. The \
            first layer's product is formed once for the whole grid (--no-shortcut: every layer at every point).


            """

        /// --checkpoints every=K asks for a path trained in the run, not a folder.
        public static func translate(_ settings: inout [Setting]) throws {
            if let c = settings.last(where: { $0.key == "checkpoints" })?.text, c.hasPrefix("every=") {
                settings.removeAll { $0.key == "checkpoints" }
                settings.append(("checkpointEvery", String(c.dropFirst(6))))
            }
        }
    }
}

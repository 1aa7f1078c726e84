import Common

/// The commands of `genlab` that run experiments, as values the CLI turns into subcommands in
/// this order (`genlab --help`); the perceptron's are grouped under `genlab perceptron`.
public enum Commands {
    /// Top-level experiment commands, after the tour, data and model tools.
    public static let experiments: [any CommandDefinition.Type] = [
        BiasVarianceCommand.self, DoubleDescentCommand.self, ModelSizeCommand.self, ImplicitBiasCommand.self,
        RandomLabelsCommand.self,
        RegularizersCommand.self, PACCommand.self, RetestCommand.self, MeasuresCommand.self,
    ]
    /// `genlab perceptron …`.
    public static let perceptron: [any CommandDefinition.Type] = [
        PerceptronMistakesCommand.self, PerceptronRiskCommand.self, PerceptronFitCommand.self,
    ]
    /// The measurement tools: a network trained or read, then measured.
    public static let tools: [any CommandDefinition.Type] = [
        TrainCommand.self, SharpnessCommand.self, LandscapeCommand.self,
    ]
}

extension Commands {
    public enum ModelSizeCommand: RegistryCommand {
        public static let name = "model-size"
        public static let abstract =
            "Train and test accuracy against network width on Fashion-MNIST, each trained until its training "
            + "accuracy saturates."
        public static let names = OptionNames(
            aliases: ["grid": "widths", "epochs": "maxEpochs", "lr": "learningRate"])
    }

    public enum RandomLabelsCommand: RegistryCommand {
        public static let name = "random-labels"
        public static let abstract =
            "Zhang et al.: the same network fits true labels, partly or wholly random labels, shuffled and random "
            + "pixels and Gaussian inputs; steps to fit and test error."
        public static let names = OptionNames(
            aliases: ["epochs": "maxEpochs", "lr": "learningRate"],
            flags: ["no-input-corruptions": ("inputCorruptions", "false")])
    }

    public enum PACCommand: RegistryCommand {
        public static let name = "pac"
        public static let abstract =
            "PAC learning of a finite class of thresholds on a known distribution: the uniform deviation and ERM's "
            + "excess risk over many training sets, against Hoeffding's inequality with the union bound."
        public static let names = OptionNames(
            aliases: ["grid": "sizes", "hypotheses": "classSizes", "noise": "labelNoise"])
    }

    public enum RetestCommand: RegistryCommand {
        public static let name = "retest"
        public static let abstract =
            "Recht et al. on MNIST-1D: a zoo of models chosen on a reused test set, scored again on a fresh test set "
            + "from the same generator and on a shifted one."
    }

    /// Images start from the Fashion-MNIST entry of the scale (translations, no 1-D CNN).
    public enum RegularizersCommand: RegistryCommand {
        public static let name = "regularizers"
        public static let abstract =
            "One regularizer at a time on the same network — dropout, weight decay, early stopping, a small batch, "
            + "shift augmentation, a CNN (also on shuffled positions) — and the regularized network on random labels."
        public static let about =
            "A fashion-mnist --data starts from the Fashion-MNIST settings of the scale (width, epochs, shifts).\n\n"

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            let settings = try OptionNames().settings(words)
            let images = settings.last { $0.key == "data" }?.text.hasPrefix("fashion-mnist") == true
            return try Registry.planned(images ? "regularizers-fashion" : "regularizers", at: scale).setting(settings)
        }
    }

    /// `genlab measures`, which can also keep every network's weights (`--save-weights`).
    public enum MeasuresCommand: RegistryCommand {
        public static let name = "measures"
        public static let abstract =
            "Jiang et al.'s generalization measures: a zoo of MLPs over seven hyperparameters, each trained to "
            + "cross-entropy 0.01, 22 measures each, ranked by Kendall τ and granulated Ψ against the "
            + "generalization gap."
        public static let about = """
            Each hyperparameter takes a comma-separated list. Below --scale full the zoo is a star design (--bases \
            networks drawn from the grid, each with every one-at-a-time change); --full-grid trains every combination. \
            Finished networks are checkpointed under --out/points: a killed run resumes where it stopped; the networks \
            train in parallel on the cores. --save-weights keeps every network's weights: in --networks DIR when \
            given, else in --out/networks; networks.csv names each file (column weights).


            """
        public static let names = OptionNames(
            aliases: [
                "widths": "grid.widths", "depths": "grid.depths", "lrs": "grid.learningRates",
                "batches": "grid.batchSizes", "weight-decays": "grid.weightDecays",
                "dropouts": "grid.dropouts", "train-sizes": "grid.trainSizes", "epochs": "maxEpochs",
            ],
            flags: ["full-grid": ("bases", "null")])

        public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
            var words = words
            _ = Choice.flag("save-weights", from: &words)
            return try Registry.planned(folder, at: scale).setting(names.settings(words))
        }

        public static func prepare(
            _ context: inout RunContext, experiment _: any Experiment, words: [String], folder: String
        ) throws {
            if words.contains("--save-weights") && context.networks == nil {
                context.networks = NetworkStore(folder: folder + "/networks")
            }
        }
    }
}

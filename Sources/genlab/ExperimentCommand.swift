import ArgumentParser
import Experiments

/// An experiment command declared by a row: its name, the registry folder it runs, what it does,
/// and the option names it kept from before its options were its value's fields. The command is
/// `ExperimentCommand<Row>`; its settings and their help come from the registry's value.
protocol CommandRow {
    static var name: String { get }
    static var abstract: String { get }
    /// The registry folder whose value the command runs and its help lists (default: the name).
    static var folder: String { get }
    /// Words of the help above the settings (default: none).
    static var about: String { get }
    static var names: OptionNames { get }
    /// The folder the settings given choose: an experiment with a second data set picks its entry.
    static func folder(for settings: [(key: String, text: String)]) -> String
}

extension CommandRow {
    static var folder: String { name }
    static var about: String { "" }
    static var names: OptionNames { OptionNames() }
    static func folder(for _: [(key: String, text: String)]) -> String { folder }

    /// The command's name, abstract, and help: `about`, then each setting at --scale default.
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: name, abstract: abstract, discussion: about + names.help(planned(folder)))
    }
}

/// The registry's value of `folder` at `scale`.
func planned(_ folder: String, _ scale: Scale = .default) -> any Experiment {
    Registry.entry(folder: folder)!.plan(scale).experiment
}

/// A registry experiment as a command: --scale picks the starting value, every other option is a
/// setting of it, so an option the experiment does not have is an error naming it.
struct ExperimentCommand<Row: CommandRow>: ParsableCommand {
    static var configuration: CommandConfiguration { Row.configuration }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        let settings = try Row.names.settings(options.settings)
        let e = try options.experiment(Row.folder(for: settings), settings: settings)
        try options.run(e, label: Row.name.replacingOccurrences(of: "-", with: " "))
    }
}

/// The registry's experiments with a command of their own and nothing to choose but settings.
let experimentCommands: [ParsableCommand.Type] = [
    ExperimentCommand<ModelSizeRow>.self, ImplicitBiasCommand.self, ExperimentCommand<RandomLabelsRow>.self,
    ExperimentCommand<RegularizersRow>.self, ExperimentCommand<PACRow>.self, ExperimentCommand<RetestRow>.self,
    MeasuresCommand.self,
]

enum ModelSizeRow: CommandRow {
    static let name = "model-size"
    static let abstract =
        "Train and test accuracy against network width on Fashion-MNIST, each trained until its training accuracy saturates."
    static let names = OptionNames(aliases: ["grid": "widths", "epochs": "maxEpochs", "lr": "learningRate"])
}

enum RandomLabelsRow: CommandRow {
    static let name = "random-labels"
    static let abstract =
        "Zhang et al.: the same network fits true labels, partly or wholly random labels, shuffled and random "
        + "pixels and Gaussian inputs; steps to fit and test error."
    static let names = OptionNames(
        aliases: ["epochs": "maxEpochs", "lr": "learningRate"],
        flags: ["no-input-corruptions": ("inputCorruptions", "false")])
}

enum RegularizersRow: CommandRow {
    static let name = "regularizers"
    static let abstract =
        "One regularizer at a time on the same network — dropout, weight decay, early stopping, a small batch, "
        + "shift augmentation, a CNN (also on shuffled positions) — and the regularized network on random labels."
    static let about =
        "A fashion-mnist --data starts from the Fashion-MNIST settings of the scale (width, epochs, shifts).\n\n"
    /// Images start from the Fashion-MNIST entry of the scale (translations, no 1-D CNN).
    static func folder(for settings: [(key: String, text: String)]) -> String {
        settings.last { $0.key == "data" }?.text.hasPrefix("fashion-mnist") == true
            ? "regularizers-fashion" : "regularizers"
    }
}

enum PACRow: CommandRow {
    static let name = "pac"
    static let abstract =
        "PAC learning of a finite class of thresholds on a known distribution: the uniform deviation and ERM's "
        + "excess risk over many training sets, against Hoeffding's inequality with the union bound."
    static let names = OptionNames(aliases: ["grid": "sizes", "hypotheses": "classSizes", "noise": "labelNoise"])
}

enum RetestRow: CommandRow {
    static let name = "retest"
    static let abstract =
        "Recht et al. on MNIST-1D: a zoo of models chosen on a reused test set, scored again on a fresh test set "
        + "from the same generator and on a shifted one."
}

enum MeasuresRow: CommandRow {
    static let name = "measures"
    static let abstract =
        "Jiang et al.'s generalization measures: a zoo of MLPs over seven hyperparameters, each trained to "
        + "cross-entropy 0.01, 22 measures each, ranked by Kendall τ and granulated Ψ against the generalization gap."
    static let about = """
        Each hyperparameter takes a comma-separated list. Below --scale full the zoo is a star design (--bases networks drawn \
        from the grid, each with every one-at-a-time change); --full-grid trains every combination. Finished networks are \
        checkpointed under --out/points: a killed run resumes where it stopped; the networks train in parallel on the cores.


        """
    static let names = OptionNames(
        aliases: [
            "widths": "grid.widths", "depths": "grid.depths", "lrs": "grid.learningRates",
            "batches": "grid.batchSizes", "weight-decays": "grid.weightDecays",
            "dropouts": "grid.dropouts", "train-sizes": "grid.trainSizes", "epochs": "maxEpochs",
        ],
        flags: ["full-grid": ("bases", "null")])
}

/// `genlab measures`, which can also keep every network's weights.
struct MeasuresCommand: ParsableCommand {
    static var configuration: CommandConfiguration { MeasuresRow.configuration }
    @Flag(
        name: .customLong("save-weights"),
        help:
            "Keep every network's weights: in --networks DIR when given, else in --out/networks; networks.csv names each file (column weights)."
    )
    var saveWeights = false
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        let zoo = try options.experiment("measures", settings: MeasuresRow.names.settings(options.settings))
        try options.run(zoo, label: "measures") { context, dir in
            if saveWeights && context.networks == nil { context.networks = NetworkStore(folder: dir + "/networks") }
        }
    }
}

/// `--axis` chooses the experiment; every other option is a setting of its value.
struct ImplicitBiasCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "implicit-bias",
            abstract:
                "The solution gradient descent picks among many: the minimum-norm fit of under-determined least squares "
                + "(--axis least-squares), or the max-margin direction of separable logistic regression (--axis logistic, Soudry et al.).",
            discussion: Axis.allCases.map { "--axis \($0.rawValue):\n" + OptionNames().help(planned($0.folder)) }
                .joined(separator: "\n\n"))
    }
    enum Axis: String, ExpressibleByArgument, CaseIterable {
        case leastSquares = "least-squares"
        case logistic
        var folder: String { "implicit-bias-" + rawValue }
    }
    @Option(help: "least-squares or logistic.") var axis: Axis
    @OptionGroup var options: ExperimentOptions

    /// With a data set the planted settings do not apply: giving one is an error, not ignored.
    func validate() throws {
        let given = Set(try asUsage { try OptionNames().settings(options.settings) }.map(\.key))
        guard given.contains("data") else { return }
        let planted = axis == .logistic ? ["samples", "features", "margin"] : ["features", "noise"]
        if let p = planted.first(where: given.contains) {
            throw ValidationError(
                "--\(p) describes planted data; with --data the "
                    + (axis == .logistic ? "samples" : "features and targets")
                    + " are the data set's")
        }
    }

    func run() throws {
        try options.run(
            try options.experiment(axis.folder, settings: OptionNames().settings(options.settings)),
            label: "implicit bias")
    }
}

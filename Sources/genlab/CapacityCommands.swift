import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

// The capacity experiments' commands: each takes its experiment's settings by the fields' names
// (ExperimentOptions), plus the option names it kept from before.

struct RandomLabelsCommand: ParsableCommand {
    static let names = OptionNames(aliases: ["epochs": "maxEpochs", "lr": "learningRate"],
                                   flags: ["no-input-corruptions": ("inputCorruptions", "false")])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "random-labels",
            abstract: "Zhang et al.: the same network fits true labels, partly or wholly random labels, shuffled and random pixels and Gaussian inputs; steps to fit and test error.",
            discussion: names.help(defaults("random-labels", as: RandomLabels.self)))
    }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try options.run(try options.experiment("random-labels", as: RandomLabels.self, names: Self.names), label: "random labels")
    }
}

struct RegularizersCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "regularizers",
            abstract: "One regularizer at a time on the same network — dropout, weight decay, early stopping, a small batch, shift augmentation, a CNN (also on shuffled positions) — and the regularized network on random labels.",
            discussion: "A fashion-mnist --data starts from the Fashion-MNIST settings of the scale (width, epochs, shifts).\n\n"
                + OptionNames().help(defaults("regularizers", as: RegularizerAblation.self)))
    }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        // Images start from the Fashion-MNIST entry of the scale (translations, no 1-D CNN).
        let data = try OptionNames().settings(options.settings).last { $0.key == "data" }?.text
        let folder = data?.hasPrefix("fashion-mnist") == true ? "regularizers-fashion" : "regularizers"
        try options.run(try options.experiment(folder, as: RegularizerAblation.self), label: "regularizers")
    }
}

struct PACCommand: ParsableCommand {
    static let names = OptionNames(aliases: ["grid": "sizes", "hypotheses": "classSizes", "noise": "labelNoise"])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "pac",
            abstract: "PAC learning of a finite class of thresholds on a known distribution: the uniform deviation and ERM's excess risk over many training sets, against Hoeffding's inequality with the union bound.",
            discussion: names.help(defaults("pac", as: PACBound.self)))
    }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try options.run(try options.experiment("pac", as: PACBound.self, names: Self.names), label: "pac")
    }
}

struct RetestCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "retest",
            abstract: "Recht et al. on MNIST-1D: a zoo of models chosen on a reused test set, scored again on a fresh test set from the same generator and on a shifted one.",
            discussion: OptionNames().help(defaults("retest", as: Retest.self)))
    }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try options.run(try options.experiment("retest", as: Retest.self), label: "retest")
    }
}

struct MeasuresCommand: ParsableCommand {
    static let names = OptionNames(aliases: ["widths": "grid.widths", "depths": "grid.depths", "lrs": "grid.learningRates", "batches": "grid.batchSizes",
                                             "weight-decays": "grid.weightDecays", "dropouts": "grid.dropouts", "train-sizes": "grid.trainSizes",
                                             "epochs": "maxEpochs"],
                                   flags: ["full-grid": ("bases", "null")])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "measures",
            abstract: "Jiang et al.'s generalization measures: a zoo of MLPs over seven hyperparameters, each trained to cross-entropy 0.01, 22 measures each, ranked by Kendall τ and granulated Ψ against the generalization gap.",
            discussion: """
            Each hyperparameter takes a comma-separated list. Below --scale full the zoo is a star design (--bases networks drawn \
            from the grid, each with every one-at-a-time change); --full-grid trains every combination. Finished networks are \
            checkpointed under --out/points: a killed run resumes where it stopped; the networks train in parallel on the cores.


            """ + names.help(defaults("measures", as: MeasureZoo.self)))
    }
    @Flag(name: .customLong("save-weights"), help: "Keep every network's weights: in --networks DIR when given, else in --out/networks; networks.csv names each file (column weights).")
    var saveWeights = false
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        let zoo = try options.experiment("measures", as: MeasureZoo.self, names: Self.names)
        try options.run(zoo, label: "measures") { context, dir in
            if saveWeights && context.networks == nil { context.networks = NetworkStore(folder: dir + "/networks") }
        }
    }
}

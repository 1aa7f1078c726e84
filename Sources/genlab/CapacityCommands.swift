import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

/// Numbers separated by commas, each in [0, 1] (fractions).
func parseFractions(_ s: String, name: String) throws -> [Double] {
    let parts = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! <= 1 }) else {
        throw ValidationError("\(name) takes fractions in [0, 1] separated by commas, got \"\(s)\"")
    }
    return parts.map { $0! }
}

struct RandomLabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "random-labels",
        abstract: "Zhang et al.: the same network fits true labels, partly or wholly random labels, shuffled and random pixels and Gaussian inputs; steps to fit and test error.")
    @Option(help: "Dataset spec (default at --scale quick: fashion-mnist:train=500,test=2000).") var data: String?
    @Option(help: "Model spec (mlp:W or cnn1d:…).") var model: String?
    @Option(help: "Fractions of labels replaced at random, comma-separated, including 0 and 1.") var fractions: String?
    @Flag(name: .customLong("no-input-corruptions"), help: "Skip shuffled pixels, random pixels and Gaussian inputs.") var noInputCorruptions = false
    @Option(help: "Seeds.") var seeds: Int?
    @Option(help: "Epoch limit per network (each stops at zero training error).") var epochs: Int?
    @Option(help: "Learning rate (SGD, momentum 0.9).") var lr: Double?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        var e = scale.base("random-labels", as: RandomLabels.self)
        if let v = data { e.data = v }
        if let v = model { e.model = v }
        if let v = fractions { e.fractions = try parseFractions(v, name: "--fractions") }
        if noInputCorruptions { e.inputCorruptions = false }
        if let v = seeds { e.seeds = v }
        if let v = epochs { e.maxEpochs = v }
        if let v = lr { e.learningRate = v }
        try finish(try e.execute(global.context(label: "random labels")), output: output)
    }
}

struct RegularizersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regularizers",
        abstract: "One regularizer at a time on the same network — dropout, weight decay, early stopping, a small batch, shift augmentation, a CNN (also on shuffled positions) — and the regularized network on random labels.")
    @Option(help: "Dataset spec (default: mnist1d:train=1000,test=1000 at --scale quick). A fashion-mnist spec starts from the Fashion-MNIST settings of the scale (width, epochs, shifts).") var data: String?
    @Option(help: "Width of the MLP.") var width: Int?
    @Option(help: "The CNN's model spec.") var cnn: String?
    @Option(help: "Epochs per network.") var epochs: Int?
    @Option(help: "Seeds.") var seeds: Int?
    @Option(help: "Shifts of the augmentation in positions, comma-separated (a signal is rolled by each; an image moved by each along its rows and along its columns).") var shifts: String?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let images = data?.hasPrefix("fashion-mnist") == true
        var e = scale.base(images ? "regularizers-fashion" : "regularizers", as: RegularizerAblation.self)
        if let v = data { e.data = v }
        if let v = shifts {
            let parts = v.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0 != 0 }) else { throw ValidationError("--shifts takes non-zero integers separated by commas, got \"\(v)\"") }
            e.shifts = parts.map { $0! }
        }
        if let v = width { e.width = v }
        if let v = cnn { e.cnn = v }
        if let v = epochs { e.epochs = v }
        if let v = seeds { e.seeds = v }
        try finish(try e.execute(global.context(label: "regularizers")), output: output)
    }
}

struct PACCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pac",
        abstract: "PAC learning of a finite class of thresholds on a known distribution: the uniform deviation and ERM's excess risk over many training sets, against Hoeffding's inequality with the union bound.")
    @Option(help: "Training-set sizes n, comma-separated and increasing (default 50,100,200,500,1000,2000,5000).") var grid: String?
    @Option(help: "Class sizes |H|, comma-separated and increasing (default 10,100,1000).") var hypotheses: String?
    @Option(help: "Training sets drawn per point (default 1000).") var draws: Int?
    @Option(help: "δ: the bound's confidence is 1 − δ (default 0.05).") var delta: Double?
    @Option(help: "ε of the sample-size comparison (default 0.05).") var epsilon: Double?
    @Option(help: "Label noise η (default 0.1).") var noise: Double?
    @Option(help: "Seed (default 0).") var seed: UInt64?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        var e = scale.base("pac", as: PACBound.self)
        if let v = grid { e.sizes = try parseIntList(v, name: "--grid") }
        if let v = hypotheses { e.classSizes = try parseIntList(v, name: "--hypotheses") }
        if let v = draws { e.draws = v }
        if let v = delta { e.delta = v }
        if let v = epsilon { e.epsilon = v }
        if let v = noise { e.labelNoise = v }
        if let v = seed { e.seed = v }
        try finish(try e.execute(global.context(label: "pac")), output: output)
    }
}

struct RetestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retest",
        abstract: "Recht et al. on MNIST-1D: a zoo of models chosen on a reused test set, scored again on a fresh test set from the same generator and on a shifted one.")
    @Option(help: "The original split, a mnist1d spec (default mnist1d:train=2000,test=2000).") var data: String?
    @Option(help: "Model families, separated by ';' (default linear;mlp:16;mlp:64;mlp:256;mlp:256x256;cnn1d:8x8,…;cnn1d:32x32,…).") var families: String?
    @Option(help: "Seeds per candidate (default 1 at quick scale, 3 at default).") var seeds: Int?
    @Option(help: "Generator options of the shifted test set (default corr-noise=0.4,iid-noise=0.05).") var shift: String?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        var e = scale.base("retest", as: Retest.self)
        if let v = data { e.data = v }
        if let v = families { e.families = v.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let v = seeds { e.seeds = v }
        if let v = shift { e.shift = v }
        try finish(try e.execute(global.context(label: "retest")), output: output)
    }
}

/// Non-negative numbers separated by commas.
func parseNumberList(_ s: String, name: String) throws -> [Double] {
    let parts = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else {
        throw ValidationError("\(name) takes non-negative numbers separated by commas, got \"\(s)\"")
    }
    return parts.map { $0! }
}

struct MeasuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measures",
        abstract: "Jiang et al.'s generalization measures: a zoo of MLPs over seven hyperparameters, each trained to cross-entropy 0.01, 22 measures each, ranked by Kendall τ and granulated Ψ against the generalization gap.",
        discussion: """
        Each hyperparameter takes a comma-separated list. Below --scale full the zoo is a star design (--bases networks drawn \
        from the grid, each with every one-at-a-time change); --full-grid trains every combination. Finished networks are \
        checkpointed under --out/points: a killed run resumes where it stopped; the networks train in parallel on the cores.
        """)
    @Option(help: "Dataset spec, classification; its training split must hold the largest --train-sizes (default mnist1d:train=1000,test=2000).") var data: String?
    @Option(help: "Hidden-layer widths.") var widths: String?
    @Option(help: "Numbers of hidden layers.") var depths: String?
    @Option(name: .customLong("lrs"), help: "Learning rates (SGD, momentum 0.9, constant).") var learningRates: String?
    @Option(name: .customLong("batches"), help: "Batch sizes.") var batchSizes: String?
    @Option(name: .customLong("weight-decays"), help: "Weight decays (L2).") var weightDecays: String?
    @Option(help: "Dropout rates after each hidden layer.") var dropouts: String?
    @Option(name: .customLong("train-sizes"), help: "Training-set sizes (the first n samples of the training split).") var trainSizes: String?
    @Option(help: "Base networks of the star design (default 12; 2 at --scale quick).") var bases: Int?
    @Flag(name: .customLong("full-grid"), help: "Train every combination of the grid (the default at --scale full).") var fullGrid = false
    @Option(help: "Epoch limit per network; one that has not reached the target cross-entropy by then is left out and counted.") var epochs: Int?
    @Option(help: "Bootstrap resamples of the networks for the τ intervals.") var resamples: Int?
    @Option(help: "Seed of the design, the initializations and the measures.") var seed: Int?
    @Flag(name: .customLong("save-weights"), help: "Keep every network's weights: in --networks DIR when given, else in --out/networks; networks.csv names each file (column weights).")
    var saveWeights = false
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        var e = scale.base("measures", as: MeasureZoo.self)
        if let v = data { e.data = v }
        if let v = widths { e.grid.widths = try parseIntList(v, name: "--widths") }
        if let v = depths { e.grid.depths = try parseIntList(v, name: "--depths") }
        if let v = learningRates { e.grid.learningRates = try parseNumberList(v, name: "--lrs") }
        if let v = batchSizes { e.grid.batchSizes = try parseIntList(v, name: "--batches") }
        if let v = weightDecays { e.grid.weightDecays = try parseNumberList(v, name: "--weight-decays") }
        if let v = dropouts { e.grid.dropouts = try parseFractions(v, name: "--dropouts") }
        if let v = trainSizes { e.grid.trainSizes = try parseIntList(v, name: "--train-sizes") }
        if let v = bases { e.bases = v }
        if fullGrid { e.bases = nil }
        if let v = epochs { e.maxEpochs = v }
        if let v = resamples { e.resamples = v }
        if let v = seed { e.seed = v }
        let dir = output.out ?? "results/measures"
        var context = global.context(label: "measures", checkpoint: dir + "/points")
        if saveWeights && context.networks == nil { context.networks = NetworkStore(folder: dir + "/networks") }
        try finish(try e.execute(context), output: output)
    }
}

import ArgumentParser
import Experiments

/// `--axis` and `--model` choose the registry entry; every other option is a setting of its value
/// (ExperimentOptions), so an option the chosen experiment does not have is an error naming it.
struct DoubleDescentCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "double-descent",
            abstract: "Test error against model size across the interpolation threshold.",
            discussion: """
                --axis features --model ridgeless: minimum-norm regression on isotropic Gaussian features against the closed form of \
                Hastie et al. (--n, --trials K, --seed; --grid: feature counts p, turned into γ = p/n).
                --axis features --model relu-features|fourier-features --data SPEC: random features with minimum-norm least squares \
                (Belkin et al.; --seeds per point).
                --axis width: MLP 40→h→h→10 on MNIST-1D with 15% label noise (and without), the published setup; also writes the \
                epoch-wise curves (--seeds per width).
                --axis samples: ridgeless regression with p = --n features fixed and the sample count varying around it (--grid: \
                sample counts n, turned into γ = p/n).
                --axis epochs: test error after every epoch of one network in the reported setting (--network mlp:512 on 4,000 \
                Fashion-MNIST images with 20% label noise, Adam 1e-3, no decay, no early stopping, 300 epochs, --seeds networks), and \
                gradient descent on least squares with features at two scales, where epoch-wise double descent has an exact \
                explanation (Heckel & Yilmaz).
                Each axis's settings (values at --scale default): `genlab double-descent --axis AXIS --parameters`; for the width sweep:


                """ + names(.width).help(planned("double-descent-width")))
    }
    enum Axis: String, ExpressibleByArgument, CaseIterable { case features, width, samples, epochs }
    enum FeatureModel: String, ExpressibleByArgument, CaseIterable {
        case ridgeless
        case reluFeatures = "relu-features"
        case fourierFeatures = "fourier-features"
    }
    @Option(help: "features, width, samples (ridgeless, p fixed = --n, n varies) or epochs (test error over training).")
    var axis: Axis = .features
    @Option(help: "The feature model of --axis features: ridgeless, relu-features or fourier-features.") var model:
        FeatureModel?
    @OptionGroup var options: ExperimentOptions

    /// The option names each experiment kept from before its options were its fields.
    static func names(_ axis: Axis, ridgeless: Bool = false) -> OptionNames {
        switch axis {
        case .features where ridgeless, .samples: return OptionNames(aliases: ["n": "samples"])
        case .features: return OptionNames(aliases: ["grid": "counts"])
        case .width: return OptionNames(aliases: ["grid": "widths", "noise": "labelNoise", "lr": "learningRate"])
        case .epochs:
            return OptionNames(aliases: [
                "network": "model", "lr": "learningRate", "batch": "batchSize", "noise": "labelNoise",
            ])
        }
    }

    var ridge: Bool { axis == .samples || (axis == .features && (model ?? .ridgeless) == .ridgeless) }

    /// The registry entry whose command is this axis and model (fourier-features: the random
    /// features' entry, with its kind changed).
    var folder: String {
        let model = axis != .features ? [] : ["--model", ridge ? "ridgeless" : "relu-features"]
        return Registry.entries.first { $0.command == ["double-descent", "--axis", axis.rawValue] + model }!.folder
    }

    func validate() throws {
        if axis != .features && model != nil {
            throw ValidationError(
                "--model applies to --axis features (ridgeless, relu-features or fourier-features); the epoch-wise network is --network"
            )
        }
        let given = try asUsage { try OptionNames().settings(options.settings) }.map(\.key)
        if ridge && given.contains("data") {
            throw ValidationError(
                "ridgeless regression uses isotropic Gaussian features; drop --data or pass --model relu-features")
        }
    }

    func run() throws {
        var settings = try Self.names(axis, ridgeless: ridge).settings(options.settings)
        if model == .fourierFeatures { settings.append(("kind", "fourier")) }
        guard ridge else {
            return try options.run(try options.experiment(folder, settings: settings), label: "double descent")
        }
        // --grid lists feature counts (or sample counts), turned into the γ = p/n grid after --n.
        let grid = settings.last { $0.key == "grid" }?.text
        settings.removeAll { $0.key == "grid" }
        let e = try options.base(folder, as: RidgelessExperiment.self).setting(settings)
        try options.run(
            try grid.map { e.gridding(try Grid.integers($0, name: "--grid")) } ?? e, label: "double descent")
    }
}

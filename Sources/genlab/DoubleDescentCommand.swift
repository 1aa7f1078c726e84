import ArgumentParser
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import Reports

struct DoubleDescentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "double-descent",
        abstract: "Test error against model size across the interpolation threshold.",
        discussion: """
        --axis features --model ridgeless: minimum-norm regression on isotropic Gaussian features against the closed form of Hastie et al. (--n, --trials K, --seed).
        --axis features --model relu-features|fourier-features --data SPEC: random features with minimum-norm least squares (Belkin et al.; --seeds per point).
        --axis width: MLP 40→h→h→10 on MNIST-1D with 15% label noise (and without), the published setup; also writes the epoch-wise curves of the widest network (--seeds per width).
        --axis samples: ridgeless regression with p = --n features fixed and the sample count varying around it (--trials K, --seed).
        --axis epochs: test error after every epoch of one network in the reported setting (--network mlp:512 on 4,000 Fashion-MNIST images with 20% label noise, Adam 1e-3, no decay, no early stopping, 300 epochs, --seeds networks), and gradient descent on least squares with features at two scales, where epoch-wise double descent has an exact explanation (Heckel & Yilmaz).
        """)
    enum Axis: String, ExpressibleByArgument, CaseIterable { case features, width, samples, epochs }
    enum FeatureModel: String, ExpressibleByArgument, CaseIterable { case ridgeless, reluFeatures = "relu-features", fourierFeatures = "fourier-features" }
    @Option(help: "features, width, samples (ridgeless, p fixed = --n, n varies) or epochs (test error over training).") var axis: Axis = .features
    @Option(help: "The feature model of --axis features: ridgeless, relu-features or fourier-features.") var model: FeatureModel?
    @Option(help: "The network of --axis epochs: a model spec (default mlp:512).") var network: String?
    @Option(help: "The optimizer of --axis epochs: sgd (momentum 0.9), adam or adamw (default adam, at a constant rate).") var optimizer: OptimizerConfig.Kind?
    @Option(help: "The learning rate of --axis epochs (default 1e-3).") var lr: Double?
    @Option(help: "The batch size of --axis epochs (default 128).") var batch: Int?
    @Option(help: "Dataset spec (random features, width).") var data: String?
    @Option(help: "Feature counts (random features) or widths (width), comma-separated and increasing.") var grid: String?
    @Option(help: "Samples n (--axis features ridgeless; default 200) or the fixed feature count p (--axis samples; default 100).") var n: Int?
    @Option(help: "Trials per point K (ridgeless regression: --axis features --model ridgeless, --axis samples).") var trials: Int?
    @Option(help: "Seeds per point (random features, width) or networks (epochs).") var seeds: Int?
    @Option(help: "Label noise fraction (width: default 0.15; epochs: 0.2).") var noise: Double?
    @Option(help: "Epochs (width: 500, epochs: 300).") var epochs: Int?
    @Option(help: "Seed (ridgeless, samples).") var seed: UInt64?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// An option that does not apply to the chosen axis is a usage error, never silently ignored.
    func validate() throws {
        let ridge = axis == .samples || (axis == .features && (model ?? .ridgeless) == .ridgeless)
        if axis != .features && model != nil { throw ValidationError("--model applies to --axis features (ridgeless, relu-features or fourier-features); the epoch-wise network is --network") }
        if axis != .epochs && (network != nil || optimizer != nil || lr != nil || batch != nil) { throw ValidationError("--network, --optimizer, --lr and --batch apply to --axis epochs") }
        if ridge && seeds != nil { throw ValidationError("--seeds applies to the random-feature, width and epoch sweeps; ridgeless regression takes --trials (K) and --seed") }
        if !ridge && trials != nil { throw ValidationError("--trials (K) applies to ridgeless regression; the network and random-feature sweeps take --seeds") }
        if !ridge && n != nil { throw ValidationError("--n applies to ridgeless regression (--axis features --model ridgeless, or --axis samples)") }
        if !ridge && seed != nil { throw ValidationError("--seed applies to ridgeless regression; the network and random-feature sweeps seed each point by its index (--trials)") }
        if ridge && data != nil { throw ValidationError("ridgeless regression uses isotropic Gaussian features; drop --data or pass --model relu-features") }
        if axis != .width && axis != .epochs && noise != nil { throw ValidationError("--noise applies to --axis width and --axis epochs") }
        if axis != .width && axis != .epochs && epochs != nil { throw ValidationError("--epochs applies to --axis width and --axis epochs") }

    }

    func run() throws {
        global.apply()
        let list = try grid.map { try parseIntList($0, name: "--grid") }
        let exp: any Experiment
        var points: String?
        switch axis {
        case .features where (model ?? .ridgeless) == .ridgeless:
            exp = try ridgeless("double-descent-ridgeless") { grid, n in grid.map { Double($0) / Double(n) } }
        case .features:
            var e = scale.base("double-descent-random-features", as: RandomFeaturesSweep.self)
            e.kind = model == .fourierFeatures ? .fourier : .relu
            if let d = data { e.data = d }
            if let g = list { e.counts = g }
            if let v = seeds { e.seeds = v }
            exp = e
            points = (output.out ?? "results/double-descent-random-features") + "/points"
        case .samples:
            // The grid lists sample counts n at fixed p: γ = p/n.
            exp = try ridgeless("double-descent-samples") { grid, p in grid.map { Double(p) / Double($0) }.sorted() }
        case .epochs:
            var e = scale.base("double-descent-epochs", as: EpochWise.self)
            if let d = data { e.data = d }
            if let m = network { e.model = m }
            if let v = optimizer { e.optimizer = v }
            if let v = lr { e.learningRate = v }
            if let v = batch { e.batchSize = v }
            if let v = epochs { e.epochs = v }
            if let v = noise { e.labelNoise = v }
            if let v = seeds { e.seeds = v }
            exp = e
        case .width:
            var e = scale.base("double-descent-width", as: WidthSweep.self)
            if let d = data { e.data = d }
            if let g = list { e.widths = g }
            if let v = epochs { e.epochs = v }
            if let v = noise { e.labelNoise = v }
            if let v = seeds { e.seeds = v }
            exp = e
            points = (output.out ?? "results/double-descent-width") + "/points"
        }
        try finish(try exp.execute(global.context(label: "double descent", checkpoint: points)), output: output)
    }

    /// Ridgeless regression on either axis, from the registry's settings with --n, --trials, --seed and
    /// --grid (converted to γ = p/n by `gammas`) applied.
    func ridgeless(_ folder: String, gammas: ([Int], Int) -> [Double]) throws -> RidgelessExperiment {
        var e = scale.base(folder, as: RidgelessExperiment.self)
        if let v = n { e.samples = v }
        if let v = trials { e.trials = v }
        if let v = seed { e.seed = v }
        if let g = try grid.map({ try parseIntList($0, name: "--grid") }) { e.gammas = gammas(g, e.samples) }
        return e
    }
}

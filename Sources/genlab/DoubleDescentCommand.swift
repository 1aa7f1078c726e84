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
        --axis features --model ridgeless: minimum-norm regression on isotropic Gaussian features against the closed form of Hastie et al.
        --axis features --model relu-features|fourier-features --data SPEC: random features with minimum-norm least squares (Belkin et al.).
        --axis width: MLP 40→h→h→10 on MNIST-1D with 15% label noise (and without), the published setup; also writes the epoch-wise curves of the widest network.
        --axis samples: ridgeless regression with p = --n features fixed and the sample count varying around it.
        --axis epochs: test error after every epoch of one network (--model mlp:300x300 on MNIST-1D with 15% label noise, --trials seeds), and gradient descent on least squares with features at two scales, where epoch-wise double descent has an exact explanation (Heckel & Yilmaz).
        """)
    enum Axis: String, ExpressibleByArgument, CaseIterable { case features, width, samples, epochs }
    @Option(help: "features, width, samples (ridgeless, p fixed = --n, n varies) or epochs (test error over training).") var axis: Axis = .features
    @Option(help: "For --axis features: ridgeless, relu-features or fourier-features; for --axis epochs: a model spec (default mlp:300x300).") var model = "ridgeless"
    @Option(help: "Dataset spec (random features, width).") var data: String?
    @Option(help: "Feature counts (random features) or widths (width), comma-separated and increasing.") var grid: String?
    @Option(help: "Samples n (--axis features ridgeless; default 200) or the fixed feature count p (--axis samples; default 100).") var n: Int?
    @Option(help: "Trials per point K (ridgeless) or seeds per point (random features, width, epochs).") var trials: Int?
    @Option(help: "Label noise fraction (width, epochs; default 0.15).") var noise: Double?
    @Option(help: "Epochs (width: 500, epochs: 300).") var epochs: Int?
    @Option(help: "Seed (ridgeless, samples).") var seed: UInt64?
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// An option that does not apply to the chosen axis is a usage error, never silently ignored.
    func validate() throws {
        let ridge = axis == .samples || (axis == .features && model == "ridgeless")
        if !ridge && n != nil { throw ValidationError("--n applies to ridgeless regression (--axis features --model ridgeless, or --axis samples)") }
        if !ridge && seed != nil { throw ValidationError("--seed applies to ridgeless regression; the network and random-feature sweeps seed each point by its index (--trials)") }
        if ridge && data != nil { throw ValidationError("ridgeless regression uses isotropic Gaussian features; drop --data or pass --model relu-features") }
        if axis != .width && axis != .epochs && noise != nil { throw ValidationError("--noise applies to --axis width and --axis epochs") }
        if axis != .width && axis != .epochs && epochs != nil { throw ValidationError("--epochs applies to --axis width and --axis epochs") }
        if axis == .samples && model != "ridgeless" { throw ValidationError("--axis samples uses ridgeless regression; --model does not apply") }
        if axis == .width && model != "ridgeless" && !model.hasPrefix("mlp") { throw ValidationError("--axis width trains MLPs 40→h→h→10; --model does not apply") }
    }

    func run() throws {
        global.apply()
        let list = try grid.map { try parseIntList($0, name: "--grid") }
        let exp: any Experiment
        var points: String?
        switch axis {
        case .features where model == "ridgeless":
            let samples = n ?? 200
            var e = RidgelessExperiment(samples: samples, trials: trials ?? 60, seed: seed ?? 0)
            if let g = list { e.gammas = g.map { Double($0) / Double(samples) } }
            exp = e
        case .features:
            guard let kind = ["relu-features": RandomFeatures.Kind.relu, "fourier-features": .fourier][model] else {
                throw GenLabError.usage("--model must be ridgeless, relu-features or fourier-features for --axis features, got \"\(model)\"")
            }
            exp = RandomFeaturesSweep(data: data ?? "mnist1d:train=1000,test=1000", kind: kind, counts: list, seeds: trials ?? 3)
            points = (output.out ?? "results/double-descent-random-features") + "/points"
        case .samples:
            let p = n ?? 100
            var e = RidgelessExperiment(samples: p, gammas: RidgelessExperiment.samplesAxisGammas, trials: trials ?? 60, seed: seed ?? 0)
            e.axis = .samples
            if let g = list { e.gammas = g.map { Double(p) / Double($0) }.sorted() }
            exp = e
        case .epochs:
            let defaults = EpochWise()
            exp = EpochWise(data: data ?? defaults.data, model: model == "ridgeless" ? defaults.model : model, epochs: epochs ?? defaults.epochs,
                            labelNoise: noise ?? defaults.labelNoise, seeds: trials ?? defaults.seeds)
        case .width:
            exp = WidthSweep(data: data ?? "mnist1d:train=4000,test=4000", widths: list ?? WidthSweep.publishedWidths, epochs: epochs ?? 500,
                             labelNoise: noise ?? 0.15, seeds: trials ?? 1)
            points = (output.out ?? "results/double-descent-width") + "/points"
        }
        try finish(try exp.execute(global.context(label: "double descent", checkpoint: points)), output: output)
    }
}

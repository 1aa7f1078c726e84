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
    @Option(help: "Samples n (ridgeless).") var n = 200
    @Option(help: "Trials per point K (ridgeless) or seeds per point (random features, width).") var trials: Int?
    @Option(help: "Label noise fraction (width).") var noise = 0.15
    @Option(help: "Epochs (width: 500, epochs: 300).") var epochs: Int?
    @Option(help: "Seed.") var seed: UInt64 = 0
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let progress = progressReporter(quiet: global.quiet, label: "double descent")
        let list = try grid.map { try parseIntList($0, name: "--grid") }
        let result: ExperimentResult
        var loaded: DataSplit?
        switch axis {
        case .features where model == "ridgeless":
            guard data == nil else { throw GenLabError.usage("ridgeless uses isotropic Gaussian features; drop --data or pass --model relu-features") }
            var exp = RidgelessExperiment(samples: n, trials: trials ?? 60, seed: seed)
            if let g = list { exp.gammas = g.map { Double($0) / Double(n) } }
            result = try exp.run(command: commandLine(), progress: progress)
        case .features:
            guard let kind = ["relu-features": RandomFeatures.Kind.relu, "fourier-features": .fourier][model] else {
                throw GenLabError.usage("--model must be ridgeless, relu-features or fourier-features for --axis features, got \"\(model)\"")
            }
            let spec = data ?? "mnist1d:train=1000,test=1000"
            let split = try global.load(spec, purpose: "double descent"); loaded = split
            let exp = RandomFeaturesSweep(data: spec, kind: kind, counts: list, seeds: trials ?? 3)
            result = try exp.run(split, command: commandLine(), checkpoint: (output.out ?? "results/double-descent-random-features") + "/points", progress: progress)
        case .samples:
            guard model == "ridgeless" else { throw GenLabError.usage("--axis samples uses ridgeless regression; --model does not apply") }
            var exp = RidgelessExperiment(samples: n, gammas: [0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.25, 1.5, 2, 3, 5], trials: trials ?? 60, seed: seed)
            exp.axis = .samples
            if let g = list { exp.gammas = g.map { Double(n) / Double($0) }.sorted() }
            result = try exp.run(command: commandLine(), progress: progress)
        case .epochs:
            let defaults = EpochWise()
            let spec = data ?? defaults.data
            let exp = EpochWise(data: spec, model: model == "ridgeless" ? defaults.model : model, epochs: epochs ?? defaults.epochs, labelNoise: noise,
                                seeds: trials ?? defaults.seeds)
            try exp.validate()
            let split = try global.load(spec, purpose: "double descent"); loaded = split
            result = try exp.run(split, command: commandLine(), progress: progress)
        case .width:
            guard model == "ridgeless" || model.hasPrefix("mlp") else { throw GenLabError.usage("--axis width trains MLPs; --model does not apply") }
            let spec = data ?? "mnist1d:train=4000,test=4000"
            let split = try global.load(spec, purpose: "double descent"); loaded = split
            let exp = WidthSweep(data: spec, widths: list ?? WidthSweep.publishedWidths, epochs: epochs ?? 500, labelNoise: noise, seeds: trials ?? 1)
            result = try exp.run(split, command: commandLine(), checkpoint: (output.out ?? "results/double-descent-width") + "/points", progress: progress)
        }
        try finish(result.noting(loaded), output: output)
    }
}

import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports

/// The defaults the help names: the registry's default-scale value, which the command starts from.
private let d = defaults("model-size", as: ModelSize.self)

struct ModelSizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-size",
        abstract: "Train and test accuracy against network width on Fashion-MNIST, each trained until its training accuracy saturates.")
    @Option(help: "Dataset spec (default \(d.data); fashion-mnist:standardize for all 60,000 images).") var data: String?
    @Option(name: [.customLong("grid"), .customLong("widths")],
            help: "Widths, comma-separated and increasing (default \(list(d.widths)); --widths is the same).") var widths: String?
    @Option(help: "Seeds per width (default \(d.seeds)).") var seeds: Int?
    @Option(help: "Epoch limit per network (default \(d.maxEpochs)); each network stops when its training cross-entropy reaches --target-loss, and a width that does not is left out of the verdict.") var epochs: Int?
    @Option(name: .customLong("target-loss"), help: "Training cross-entropy each network is trained to (default \(formatNumber(d.targetLoss)), Neyshabur et al.'s protocol).") var targetLoss: Double?
    @Option(help: "Learning rate (default \(formatNumber(d.learningRate)), constant; SGD, momentum 0.9, batch 128).") var lr: Double?
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        var exp = scale.base("model-size", as: ModelSize.self)
        if let d = data { exp.data = d }
        if let w = widths { exp.widths = try parseIntList(w, name: "--grid") }
        if let s = seeds { exp.seeds = s }
        if let e = epochs { exp.maxEpochs = e }
        if let l = lr { exp.learningRate = l }
        if let t = targetLoss { exp.targetLoss = t }
        let dir = output.out ?? "results/model-size"
        try finish(try exp.execute(global.context(label: "model size", checkpoint: dir + "/points")), output: output)
    }
}

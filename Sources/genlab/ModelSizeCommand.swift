import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra
import Reports

struct ModelSizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-size",
        abstract: "Train and test accuracy against network width on Fashion-MNIST, each trained until its training accuracy saturates.")
    @Option(help: "Dataset spec (default: a stratified 10,000-image subset, standardized; fashion-mnist:standardize for all 60,000).") var data = ModelSize.defaultData
    @Option(name: [.customLong("grid"), .customLong("widths")], help: "Widths, comma-separated and increasing (--grid, as in every sweep; --widths is the same).") var widths = "16,32,64,128,256,512,1024,2048,4096"
    @Option(help: "Seeds per width.") var seeds = 3
    @Option(help: "Epoch limit per network; the learning rate decays to 0 over it (cosine), and each network stops earlier at zero training error.") var epochs = 40
    @Option(help: "Initial learning rate (SGD, momentum 0.9, batch 128, cosine decay).") var lr = 0.02
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let exp = ModelSize(data: data, widths: try parseIntList(widths, name: "--grid"), seeds: seeds, maxEpochs: epochs, learningRate: lr)
        let dir = output.out ?? "results/model-size"
        try finish(try exp.execute(global.context(label: "model size", checkpoint: dir + "/points")), output: output)
    }
}

import ArgumentParser
import Experiments

struct ModelSizeCommand: ParsableCommand {
    static let names = OptionNames(aliases: ["grid": "widths", "epochs": "maxEpochs", "lr": "learningRate"])
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "model-size",
            abstract: "Train and test accuracy against network width on Fashion-MNIST, each trained until its training accuracy saturates.",
            discussion: names.help(defaults("model-size", as: ModelSize.self)))
    }
    @OptionGroup var options: ExperimentOptions

    func run() throws {
        try options.run(try options.experiment("model-size", as: ModelSize.self, names: Self.names), label: "model size")
    }
}

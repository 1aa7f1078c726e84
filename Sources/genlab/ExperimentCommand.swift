import ArgumentParser
import Experiments

/// A library command (`CommandDefinition`) as a subcommand: every word but the options `O`
/// declares is a setting of the experiment the definition chooses (an experiment command's
/// `--scale` picks the value they start from; a tool has none).
struct LibraryCommand<D: CommandDefinition, O: CommandOptions>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: D.name, abstract: D.abstract, discussion: D.help)
    }
    @OptionGroup var options: O

    func run() throws {
        let e = try D.experiment(options.settings, at: options.scale)
        try runCommand(
            e, label: D.label(for: e), listOnly: options.parameters, output: options.output, global: options.global,
            checkpoints: D.checkpoints, explain: { D.explained($0, in: e) }
        ) { context, dir in try D.prepare(&context, experiment: e, words: options.settings, folder: dir) }
    }
}

/// The subcommand of a definition with the options `O` (`ExperimentOptions`, or `ToolOptions` for a tool).
func command<D: CommandDefinition, O: CommandOptions>(_: D.Type, _: O.Type) -> ParsableCommand.Type {
    LibraryCommand<D, O>.self
}

/// `genlab perceptron mistakes|risk|fit`.
struct PerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron",
        abstract: "The perceptron of the talk: the R²/γ² mistake bound, the two risk bounds, and ordinary fitting.",
        subcommands: Commands.perceptron.map { command($0, ExperimentOptions.self) })
}

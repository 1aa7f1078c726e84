import ArgumentParser
import Experiments
import LinearAlgebra

/// Any experiment of the registry by its name, at a scale or from a configuration file, with any
/// of its settings changed by an option named after the field (`--seeds 3`, `--grid.widths 8,16`):
/// the command every experiment has, whose options come from the experiment value itself.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run one experiment of the talk by name, at a scale or from a JSON configuration, settings changed.",
        discussion: "EXPERIMENT is a tour folder name: " + Registry.entries.map(\.folder).joined(separator: ", ")
            + ". --config takes a JSON object of the experiment's fields, or a result.json (its configuration). "
            + "Any setting of the experiment is an option named after its field in kebab case (--max-epochs 50, "
            + "--grid.widths 8,16; lists of numbers comma-separated, of strings ';'-separated; null unsets an "
            + "optional one); `genlab run EXPERIMENT --parameters` lists them with their values at --scale and "
            + "their help.")
    @Argument(help: "The experiment (a tour folder name).") var experiment: String
    @OptionGroup var source: ExperimentSource
    @Flag(
        help: "List the experiment's parameters (option, value at --scale or in --config, help) instead of running it.")
    var parameters = false
    @Flag(
        help: ArgumentHelp(
            "Compute a sweep's cheapest points first where the experiment knows their cost (the same "
                + "results, in another order; genlab serve uses it)."))
    var cheapestFirst = false
    @Option(
        help: ArgumentHelp(
            "Write the analysis of the units finished so far to this file as they finish (genlab serve's live "
                + "view; the same results).", visibility: .hidden))
    var liveResult: String?
    @Argument(parsing: .allUnrecognized, help: "Settings of the experiment: --NAME VALUE (see --parameters).")
    var settings: [String] = []
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try asUsage {
            _ = try Registry.entry(named: experiment)
            _ = try Parameter.settings(settings)
        }
    }

    func run() throws {
        let exp = try source.experiment(experiment).setting(Parameter.settings(settings))
        var o = output
        o.out = output.out ?? "results/" + experiment
        // The command that reproduces the run: its source, settings and folder, whatever the order given.
        let command =
            ["genlab", "run", experiment] + source.words + settings + ["--out", o.out!]
            + (global.dataDir.map { ["--data-dir", $0] } ?? [])
        try runCommand(
            exp, label: experiment, listOnly: parameters, output: o, global: global,
            command: shellQuoted(command),
            adjust: { context, _ in
                context.cheapestFirst = cheapestFirst
                context.liveResult = liveResult
            })
    }
}

/// Where an experiment value comes from: the registry at a scale, or a JSON file (`genlab run`,
/// `genlab sweep plan`).
struct ExperimentSource: ParsableArguments {
    @Option(help: "tiny, quick, default (the experiment's own command's defaults) or full.") var scale: Scale = .default
    @Option(help: "A JSON file with the experiment value (or a result.json); overrides --scale.") var config: String?

    /// The options that name the value, for the command line that reproduces it.
    var words: [String] { config.map { ["--config", $0] } ?? ["--scale", scale.rawValue] }

    func experiment(_ folder: String) throws -> any Experiment {
        try config.map { try Registry.experiment(folder, configurationFile: $0) }
            ?? Registry.entry(named: folder).plan(scale).experiment
    }
}

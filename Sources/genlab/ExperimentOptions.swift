import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

/// What every experiment command takes besides the options that choose its experiment: the
/// settings of the value (read off its fields), --parameters, --scale, the output and the globals.
struct ExperimentOptions: ParsableArguments {
    @Flag(help: "List the experiment's settings with their values at --scale (after any given) instead of running it.")
    var parameters = false
    @Argument(parsing: .allUnrecognized, help: "Settings of the experiment, --NAME VALUE (listed above).") var settings:
        [String] = []
    /// Every experiment command starts from the registry's settings for its experiment at this
    /// scale (the tour's; `default` is the command's own defaults); the options given override them.
    @Option(
        help: "Start from the tour's settings at this scale: tiny, quick, default or full; options given override them."
    )
    var scale: Scale = .default
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// The registry's value of `folder` at --scale, as its type.
    func base<E: Experiment>(_ folder: String, as _: E.Type = E.self) -> E { Registry.value(folder, at: scale) }

    /// The registry's value of `folder` at --scale with the settings given applied.
    func experiment(_ folder: String, settings given: [(key: String, text: String)]) throws -> any Experiment {
        try planned(folder, scale).setting(given)
    }

    /// Runs it into --out (its sweep points under --out/points), or lists its settings.
    func run(_ e: any Experiment, label: String, adjust: (inout RunContext, String) -> Void = { _, _ in }) throws {
        try runCommand(e, label: label, listOnly: parameters, output: output, global: global, adjust: adjust)
    }
}

/// What a measurement tool's command takes (`train`, `sharpness`, `landscape`): the settings of
/// its value, read off the fields as for the experiments, --parameters, the output and the
/// globals; no --scale (a tool has no tour settings: its base value is the command's own).
struct ToolOptions: ParsableArguments {
    @OptionGroup var weightNames: WeightNamesOption
    @Flag(help: "List the tool's settings with their values (after any given) instead of running it.") var parameters =
        false
    @Argument(parsing: .allUnrecognized, help: "Settings of the tool, --NAME VALUE (listed above).") var settings:
        [String] = []
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// `base` with the settings given applied, after `adjusting` (a command's own translations),
    /// and --weight-names; `--samples 0`, the tools' old spelling of "every training sample",
    /// unsets the field.
    func experiment<E: ReadsNamedWeights>(
        _ base: E, names: OptionNames,
        adjusting: (inout [(key: String, text: String)]) -> Void = { _ in }
    ) throws -> E {
        var given = try names.settings(settings)
        adjusting(&given)
        var e = try base.setting(given.map { $0.key == "samples" && $0.text == "0" ? ($0.key, "null") : $0 })
        e.weightNames = weightNames.names ?? e.weightNames
        return e
    }

    /// Runs it into --out (a landscape's points under --out/points), or lists its settings.
    func run(_ e: any Experiment, label: String, checkpoints: Bool = false) throws {
        try runCommand(e, label: label, listOnly: parameters, output: output, global: global, checkpoints: checkpoints)
    }
}

/// An experiment command's run: its settings listed (`listOnly`), or the experiment executed into
/// --out (with its sweep points under --out/points when `checkpoints`) and its summary printed;
/// `adjust` gets the context and the output folder.
func runCommand(
    _ e: any Experiment, label: String, listOnly: Bool, output: OutputOptions, global: GlobalOptions,
    checkpoints: Bool = true, command: String = commandLine(), adjust: (inout RunContext, String) -> Void = { _, _ in }
)
    throws
{
    if listOnly { return Parameter.list(e).forEach { print($0) } }
    global.apply()
    let dir = output.out ?? "results/" + e.name
    var context = global.context(command: command, label: label, checkpoint: checkpoints ? dir + "/points" : nil)
    adjust(&context, dir)
    let result = try e.execute(context)
    try finish(result, output: output, extraLines: result.summary(of: e, folder: dir))
}

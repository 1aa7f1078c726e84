import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

/// What a library command takes besides its settings.
protocol CommandOptions: ParsableArguments {
    var parameters: Bool { get }
    var settings: [String] { get }
    var scale: Scale { get }
    var output: OutputOptions { get }
    var global: GlobalOptions { get }
}

/// What every experiment command takes besides the options that choose its experiment: the
/// settings of the value (read off its fields), --parameters, --scale, the output and the globals.
struct ExperimentOptions: CommandOptions {
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
}

/// What a measurement tool's command takes (`train`, `sharpness`, `landscape`): the settings of
/// its value, --parameters, the output and the globals; no --scale (a tool has no tour settings).
struct ToolOptions: CommandOptions {
    var scale: Scale { .default }
    @Flag(help: "List the tool's settings with their values (after any given) instead of running it.") var parameters =
        false
    @Argument(parsing: .allUnrecognized, help: "Settings of the tool, --NAME VALUE (listed above).") var settings:
        [String] = []
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions
}

/// An experiment command's run: its settings listed (`listOnly`), or the experiment executed into
/// --out (with its sweep points under --out/points when `checkpoints`) and its summary printed;
/// `adjust` gets the context and the output folder.
func runCommand(
    _ e: any Experiment, label: String, listOnly: Bool, output: OutputOptions, global: GlobalOptions,
    checkpoints: Bool = true, command: String = commandLine(), explain: ((Error) -> Error)? = nil,
    adjust: (inout RunContext, String) throws -> Void = { _, _ in }
)
    throws
{
    if listOnly { return Parameter.list(e).forEach { print($0) } }
    global.apply()
    let dir = output.out ?? "results/" + e.name
    var context = global.context(command: command, label: label, checkpoint: checkpoints ? dir + "/points" : nil)
    try adjust(&context, dir)
    let result: ExperimentResult
    do { result = try e.execute(context) } catch { throw explain?(error) ?? OptionNames().explained(error, in: e) }
    try finish(result, output: output, extraLines: result.summary(of: e, folder: dir))
}

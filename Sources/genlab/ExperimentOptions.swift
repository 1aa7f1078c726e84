import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra

/// The option names a command kept from before its options were read off the experiment value:
/// `--grid` for `--widths`, a flag like `--no-input-corruptions` for `--input-corruptions false`.
/// Everything else an experiment command takes is a field of its value (`Parameter`).
struct OptionNames {
    /// Old option name → the field (configuration key) it sets.
    var aliases: [String: String] = [:]
    /// A flag without a value → the field it sets and the value it gives it.
    var flags: [String: (key: String, text: String)] = [:]
    /// A field (after aliases) → another field that the same setting sets too (`--seed` seeds
    /// both the directions and the training of a landscape).
    var alsoSets: [String: String] = [:]

    /// The settings of `words` (`--name value`, `--name=value`, the flags), aliases resolved.
    func settings(_ words: [String]) throws -> [(key: String, text: String)] {
        var expanded = [String]()
        for (i, w) in words.enumerated() {
            // A flag is a flag only without a value: `--first-samples` sets firstSamples true, while
            // `--first-samples false` is the field's own setting, as --parameters lists it.
            let bare = i + 1 == words.count || words[i + 1].hasPrefix("--")
            if bare, w.hasPrefix("--"), let f = flags[String(w.dropFirst(2))] { expanded += ["--" + f.key, f.text] } else { expanded.append(w) }
        }
        return try settingPairs(expanded).flatMap { pair -> [(key: String, text: String)] in
            let key = aliases[pair.key] ?? pair.key
            return [(key, pair.text)] + (alsoSets[key].map { [($0, pair.text)] } ?? [])
        }
    }

    /// The command's help: each setting with its value at the default scale and its doc comment.
    func help(_ e: any Experiment) -> String {
        let alias = Dictionary(aliases.map { ($0.value, $0.key) }, uniquingKeysWith: { a, b in min(a, b) })
        var lines = ["Settings, each --NAME VALUE (lists of numbers comma-separated, of strings ';'-separated; null unsets an optional one), "
                     + "shown with their values at --scale default; --scale starts from the tour's values at that scale."]
        for p in e.parameters {
            let also = alias[p.key].map { " (or --\($0))" } ?? ""
            lines.append("  \(p.flag) \(p.value.map(Parameter.text) ?? "(not set)")\(also)")
            if !p.help.isEmpty { lines.append("      " + p.help) }
        }
        for (flag, target) in flags.sorted(by: { $0.key < $1.key }) { lines.append("  --\(flag): the same as --\(Parameter.kebab(target.key)) \(target.text)") }
        for (key, other) in alsoSets.sorted(by: { $0.key < $1.key }) { lines.append("  --\(Parameter.kebab(key)) also sets --\(Parameter.kebab(other))") }
        return lines.joined(separator: "\n")
    }
}

/// What every experiment command takes besides the options that choose its experiment: the
/// settings of the value (read off its fields), --parameters, --scale, the output and the globals.
struct ExperimentOptions: ParsableArguments {
    @Flag(help: "List the experiment's settings with their values at --scale (after any given) instead of running it.") var parameters = false
    @Argument(parsing: .allUnrecognized, help: "Settings of the experiment, --NAME VALUE (listed above).") var settings: [String] = []
    @OptionGroup var scale: ScaleOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// The registry's value of `folder` at --scale with the settings given applied.
    func experiment<E: Experiment>(_ folder: String, as _: E.Type = E.self, names: OptionNames = OptionNames()) throws -> E {
        try scale.base(folder, as: E.self).setting(names.settings(settings))
    }

    /// Runs it into --out (its sweep points under --out/points), or lists its settings; `adjust`
    /// gets the context and the output folder, `lines` the result and the folder (what the
    /// summary prints above the notes).
    func run(_ e: any Experiment, label: String, adjust: (inout RunContext, String) -> Void = { _, _ in },
             lines: (ExperimentResult, String) -> [String] = { _, _ in [] }) throws {
        try runCommand(e, label: label, listOnly: parameters, output: output, global: global, checkpoints: true, adjust: adjust, lines: lines)
    }
}

/// An experiment command's run: its settings listed (`listOnly`), or the experiment executed into
/// --out (with its sweep points under --out/points when `checkpoints`) and its summary printed;
/// `adjust` gets the context and the output folder, `lines` the result and the folder.
func runCommand(_ e: any Experiment, label: String, listOnly: Bool, output: OutputOptions, global: GlobalOptions, checkpoints: Bool,
                adjust: (inout RunContext, String) -> Void = { _, _ in }, lines: (ExperimentResult, String) -> [String]) throws {
    if listOnly { return printParameters(e) }
    global.apply()
    let dir = output.out ?? "results/" + e.name
    var context = global.context(label: label, checkpoint: checkpoints ? dir + "/points" : nil)
    adjust(&context, dir)
    let result = try e.execute(context)
    try finish(result, output: output, extraLines: lines(result, dir))
}

/// Each setting: its option with the value, then its help.
func printParameters(_ e: any Experiment) {
    for p in e.parameters {
        print(p.flag + " " + (p.value.map(Parameter.text) ?? "(not set)"))
        if !p.help.isEmpty { print("    " + p.help) }
    }
}

/// What a measurement tool's command takes (`sharpness`, `landscape`): the settings of its value,
/// read off the fields as for the experiments, --parameters, the output and the globals; no
/// --scale (a tool has no tour settings: its base value is the command's own).
struct ToolOptions: ParsableArguments {
    @Flag(help: "List the tool's settings with their values (after any given) instead of running it.") var parameters = false
    @Argument(parsing: .allUnrecognized, help: "Settings of the tool, --NAME VALUE (listed above).") var settings: [String] = []
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    /// `base` with the settings given applied, after `adjusting` (a command's own translations);
    /// `--samples 0`, the tools' old spelling of "every training sample", unsets the field.
    func experiment<E: Experiment>(_ base: E, names: OptionNames, adjusting: (inout [(key: String, text: String)]) -> Void = { _ in }) throws -> E {
        var given = try names.settings(settings)
        adjusting(&given)
        return try base.setting(given.map { $0.key == "samples" && $0.text == "0" ? ($0.key, "null") : $0 })
    }

    /// Runs it into --out (a landscape's points under --out/points), or lists its settings.
    func run(_ e: any Experiment, label: String, checkpoints: Bool = false, lines: (ExperimentResult, String) -> [String]) throws {
        try runCommand(e, label: label, listOnly: parameters, output: output, global: global, checkpoints: checkpoints, lines: lines)
    }
}

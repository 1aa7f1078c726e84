import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports
import Tour

/// Any experiment of the registry by its name, at a scale or from a configuration file: the
/// command every experiment has, whether or not it has its own.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one experiment of the talk by name, at a scale or from a JSON configuration.",
        discussion: "EXPERIMENT is a tour folder name: " + Registry.entries.map(\.folder).joined(separator: ", ")
            + ". --config takes a JSON object of the experiment's fields, or a result.json (its configuration).")
    @Argument(help: "The experiment (a tour folder name).") var experiment: String
    @Option(help: "tiny, quick, default (the experiment's own command's defaults) or full.") var scale: Scale = .default
    @Option(help: "A JSON file with the experiment value (or a result.json); overrides --scale.") var config: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard Registry.entry(folder: experiment) != nil else {
            throw ValidationError("no experiment \"\(experiment)\"; choose from \(Registry.entries.map(\.folder).joined(separator: ", "))")
        }
    }

    func run() throws {
        global.apply()
        var command = ["genlab", "run", experiment]
        let exp = try plannedExperiment(folder: experiment, scale: scale, config: config, command: &command)
        let dir = output.out ?? "results/" + experiment
        command += ["--out", dir]
        if let d = global.dataDir { command += ["--data-dir", d] }
        let context = RunContext(command: shellQuoted(command), dataDirectory: global.dataDir, checkpoint: dir + "/points",
                                 progress: progressReporter(quiet: global.quiet, label: experiment), networks: global.networks.map(NetworkStore.init(folder:)))
        try finish(try exp.execute(context), output: output)
    }
}

/// The experiment of registry entry `folder`: from a JSON file of its fields (or a result.json)
/// when `config` is given, else at `scale`. Appends the options that name it to `command`.
func plannedExperiment(folder: String, scale: Scale, config: String?, command: inout [String]) throws -> any Experiment {
    guard let entry = Registry.entry(folder: folder) else {
        throw ValidationError("no experiment \"\(folder)\"; choose from \(Registry.entries.map(\.folder).joined(separator: ", "))")
    }
    guard let path = config else {
        command += ["--scale", scale.rawValue]
        return entry.plan(scale).experiment
    }
    guard let data = FileManager.default.contents(atPath: path) else { throw GenLabError.data(source: path, expected: "a JSON file", found: "no such file") }
    let value: JSONValue
    do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
        throw GenLabError.data(source: path, expected: "JSON", found: "text that does not parse (\(error))")
    }
    guard case .object(var object) = value else { throw GenLabError.data(source: path, expected: "a JSON object", found: "\(value)") }
    if case .object(let inner)? = object["configuration"], object["experiment"] != nil { object = inner }  // a result.json
    command += ["--config", path]
    do { return try Registry.decode(name: entry.name, configuration: object) } catch let e as GenLabError { throw e } catch {
        throw GenLabError.data(source: path, expected: "the fields of \(entry.name)", found: "\(error)")
    }
}

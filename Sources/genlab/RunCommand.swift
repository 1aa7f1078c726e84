import ArgumentParser
import Experiments
import Foundation
import LinearAlgebra
import Reports
import Tour

/// Any experiment of the registry by its name, at a scale or from a configuration file, with any
/// of its settings changed by an option named after the field (`--seeds 3`, `--grid.widths 8,16`):
/// the command every experiment has, whose options come from the experiment value itself.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one experiment of the talk by name, at a scale or from a JSON configuration, with any of its settings changed.",
        discussion: "EXPERIMENT is a tour folder name: " + Registry.entries.map(\.folder).joined(separator: ", ")
            + ". --config takes a JSON object of the experiment's fields, or a result.json (its configuration). Any setting of the "
            + "experiment is an option named after its field in kebab case (--max-epochs 50, --grid.widths 8,16; lists of numbers "
            + "comma-separated, of strings ';'-separated; null unsets an optional one); `genlab run EXPERIMENT --parameters` lists them "
            + "with their values at --scale and their help.")
    @Argument(help: "The experiment (a tour folder name).") var experiment: String
    @Option(help: "tiny, quick, default (the experiment's own command's defaults) or full.") var scale: Scale = .default
    @Option(help: "A JSON file with the experiment value (or a result.json); overrides --scale.") var config: String?
    @Flag(help: "List the experiment's parameters (option, value at --scale or in --config, help) instead of running it.") var parameters = false
    @Flag(help: "Compute a sweep's cheapest points first where the experiment knows their cost (the same results, in another order; genlab serve uses it).")
    var cheapestFirst = false
    @Option(help: ArgumentHelp("Write the analysis of the units finished so far to this file as they finish (genlab serve's live view; the same results).", visibility: .hidden))
    var liveResult: String?
    @Argument(parsing: .allUnrecognized, help: "Settings of the experiment: --NAME VALUE (see --parameters).") var settings: [String] = []
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard Registry.entry(folder: experiment) != nil else {
            throw ValidationError("no experiment \"\(experiment)\"; choose from \(Registry.entries.map(\.folder).joined(separator: ", "))")
        }
        _ = try settingPairs(settings)
    }

    func run() throws {
        global.apply()
        var command = ["genlab", "run", experiment]
        let planned = try plannedExperiment(folder: experiment, scale: scale, config: config, command: &command)
        let exp = try applying(settingPairs(settings), to: planned)
        if parameters { return printParameters(exp) }
        command += settings
        let dir = output.out ?? "results/" + experiment
        command += ["--out", dir]
        if let d = global.dataDir { command += ["--data-dir", d] }
        var context = RunContext(command: shellQuoted(command), dataDirectory: global.dataDir, checkpoint: dir + "/points",
                                 progress: progressReporter(quiet: global.quiet, label: experiment), networks: global.networks.map(NetworkStore.init(folder:)))
        context.cheapestFirst = cheapestFirst
        context.liveResult = liveResult
        context.events = global.trainingEvents()
        try finish(try exp.execute(context), output: output)
    }
}

/// `--name value` and `--name=value` pairs, in order; anything else is a usage error.
func settingPairs(_ words: [String]) throws -> [(key: String, text: String)] {
    var pairs = [(key: String, text: String)](), i = 0
    while i < words.count {
        let w = words[i]
        guard w.hasPrefix("--"), w.count > 2 else { throw ValidationError("expected a setting --NAME VALUE, got \"\(w)\"") }
        if let eq = w.firstIndex(of: "=") {
            pairs.append((String(w[w.index(w.startIndex, offsetBy: 2)..<eq]), String(w[w.index(after: eq)...]))); i += 1
        } else {
            guard i + 1 < words.count else { throw ValidationError("\(w) needs a value") }
            pairs.append((String(w.dropFirst(2)), words[i + 1])); i += 2
        }
    }
    return pairs
}

/// The experiment with the settings given as options applied (through its own Codable value).
func applying(_ pairs: [(key: String, text: String)], to e: any Experiment) throws -> any Experiment {
    func apply<E: Experiment>(_ e: E) throws -> any Experiment { try e.setting(pairs) }
    return try apply(e)
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

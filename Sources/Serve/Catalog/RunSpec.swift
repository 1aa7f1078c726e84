import Datasets
import Experiments
import Foundation
import LinearAlgebra

/// What the page asks to run: a registry experiment, a scale, and settings as option text.
public struct RunRequest: Codable, Sendable, Equatable {
    /// The registry folder, e.g. "double-descent-width".
    public var experiment: String
    public var scale: String
    /// Option text by setting key (camel or kebab case), as `genlab run NAME --KEY TEXT` takes it.
    public var settings: [String: String]
    public init(experiment: String, scale: String = "tiny", settings: [String: String] = [:]) {
        self.experiment = experiment
        self.scale = scale
        self.settings = settings
    }
}

/// A request checked and resolved: the experiment value, the command line that reproduces it,
/// and the folder that caches it. Built only through `RunSpec.resolve`, with the CLI's own
/// parsing (`Experiment.setting`) and validation, so the page's errors are the CLI's words.
public struct RunSpec: Sendable {
    public var entry: RegistryEntry
    public var scale: Scale
    public var experiment: any Experiment
    /// The settings that differ from the scale's value, in key order, as (key, text).
    public var settings: [(key: String, text: String)]
    /// `genlab run FOLDER --scale S --FLAG TEXT …`: what a terminal runs for the same value.
    public var arguments: [String]
    /// The folder under the server's --out: FOLDER/HASH of the configuration, so that equal
    /// settings share their points, their networks and their result.
    public var folder: String

    public var command: String { shellQuoted(["genlab"] + arguments) }
    /// Where the run writes the analysis of its finished units while it goes (`LiveMeasurement`).
    public var liveResult: String { folder + "/live/result.json" }
    /// Stable identity of the value: equal settings, equal key.
    public var key: String { entry.folder + "/" + String(folder.split(separator: "/").last ?? "") }

    /// The request resolved, or the usage error `genlab run` gives for the same options.
    public static func resolve(_ r: RunRequest, out: String) throws -> RunSpec {
        guard let entry = Registry.entry(folder: r.experiment) else {
            throw GenLabError.usage(
                "no experiment \"\(r.experiment)\"; choose from "
                    + "\(Registry.entries.map(\.folder).joined(separator: ", "))"
            )
        }
        guard let scale = Scale(rawValue: r.scale) else {
            throw GenLabError.parameter(
                name: "scale",
                problem: "takes \(Scale.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(r.scale)\"")
        }
        let base = entry.plan(scale).experiment
        let pairs = r.settings.sorted { $0.key < $1.key }.map { (key: $0.key, text: $0.value) }
        func apply<E: Experiment>(_ e: E) throws -> any Experiment { try e.setting(pairs) }
        let value = try apply(base)
        // A setting out of range reads as `genlab run` words it: the option, then the field.
        do { try value.validate() } catch { throw OptionNames().explained(error, in: value) }
        // Only the settings that change the scale's value: the shortest command for the same value.
        let known = Dictionary(base.parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let changed = value.parameters.filter { known[$0.key] != $0.value }.map {
            (key: $0.key, text: $0.value.map(Parameter.text) ?? "null")
        }
        let arguments =
            ["run", entry.folder, "--scale", scale.rawValue]
            + changed.flatMap { ["--" + Parameter.kebab($0.key), $0.text] }
        let hash = ContentHash.of(entry.folder, Parameter.text(.object(try value.configuration())))
        return RunSpec(
            entry: entry, scale: scale, experiment: value, settings: changed, arguments: arguments,
            folder: out + "/" + entry.folder + "/" + String(hash.prefix(16)))
    }
}

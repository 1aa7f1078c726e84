import Common
import Foundation

/// A `genlab` command that runs an experiment: its name, its help, and the experiment the words
/// after it choose. The CLI makes each one a subcommand with the same options (`--scale`,
/// `--parameters`, `--out`, the globals); every other word is a setting of the value. A new
/// experiment with a command of its own is one such type beside its value and a line in
/// `CommandCatalog`; the CLI has no code for it.
public protocol CommandDefinition: Sendable {
    /// The subcommand's name (`model-size`).
    static var name: String { get }
    /// One line for `genlab --help`.
    static var abstract: String { get }
    /// The command's `--help`: what chooses the experiment, then its settings.
    static var help: String { get }
    /// The experiment the setting words choose, starting from `scale`'s value (a tool has no
    /// scale and ignores it). A word that is no setting of the chosen value is an error naming it.
    static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment
    /// What the run of `experiment` needs besides the value, once the output folder is known
    /// (default: nothing).
    static func prepare(_ context: inout RunContext, experiment: any Experiment, words: [String], folder: String) throws
    /// Whether finished sweep points are kept under the output folder's `points` (default: yes).
    static var checkpoints: Bool { get }
    /// The progress label of a run of `value` (default: the value's name with spaces, so that
    /// `perceptron risk --axis dimension` says "perceptron dimension").
    static func label(for value: any Experiment) -> String
    /// A library error about a parameter of `value` in this command's words (default: the
    /// field's own option; see `OptionNames.explained`).
    static func explained(_ error: Error, in value: any Experiment) -> Error
}

extension CommandDefinition {
    public static func prepare(_: inout RunContext, experiment _: any Experiment, words _: [String], folder _: String)
        throws
    {}
    public static var checkpoints: Bool { true }
    public static func label(for value: any Experiment) -> String {
        value.name.replacingOccurrences(of: "-", with: " ")
    }
    public static func explained(_ error: Error, in value: any Experiment) -> Error {
        OptionNames().explained(error, in: value)
    }
}

/// A command that runs one registry entry, whose settings are its value's fields, with the
/// option names it kept from before.
public protocol RegistryCommand: CommandDefinition {
    /// The registry folder (default: the name).
    static var folder: String { get }
    /// Help above the settings (default: none).
    static var about: String { get }
    static var names: OptionNames { get }
}

extension RegistryCommand {
    public static var folder: String { name }
    public static var about: String { "" }
    public static var names: OptionNames { OptionNames() }
    public static var help: String { about + names.help(Registry.planned(folder)) }
    public static func explained(_ error: Error, in value: any Experiment) -> Error {
        names.explained(error, in: value)
    }
    public static func experiment(_ words: [String], at scale: Scale) throws -> any Experiment {
        try Registry.planned(folder, at: scale).setting(names.settings(words))
    }
}

/// A measurement tool's command (`train`, `sharpness`, `landscape`): its value's fields are its
/// settings, starting from `base` (a tool has no tour scales); `--weight-names a,b` names the
/// layers of a PyTorch state dict, and `--samples 0`, the tools' old spelling of "every training
/// sample", unsets the field.
public protocol ToolCommand: CommandDefinition {
    associatedtype Value: ReadsNamedWeights
    /// The value with no options given.
    static var base: Value { get }
    static var names: OptionNames { get }
    /// Help above the settings.
    static var about: String { get }
    /// The command's own translations of the settings given, before they apply (default: none).
    static func translate(_ settings: inout [Setting]) throws
}

extension ToolCommand {
    public static var help: String { about + names.help(base, scaled: false) }
    public static func explained(_ error: Error, in value: any Experiment) -> Error {
        names.explained(error, in: value)
    }
    public static var checkpoints: Bool { false }
    public static func translate(_: inout [Setting]) throws {}
    public static func experiment(_ words: [String], at _: Scale) throws -> any Experiment { try value(words) }

    /// `base` with the setting words applied.
    public static func value(_ words: [String]) throws -> Value {
        var words = words
        let layerNames = try Choice.take("weight-names", from: &words).map(Choice.layerNames)
        var given = try names.settings(words)
        try translate(&given)
        var e = try base.setting(given.map { $0.key == "samples" && $0.text == "0" ? ($0.key, "null") : $0 })
        e.weightNames = layerNames ?? e.weightNames
        return e
    }

}

/// One setting as given: its key (a field, after aliases) and its text.
public typealias Setting = (key: String, text: String)

/// The options that choose an experiment rather than set one of its fields (`--axis width`).
public enum Choice {
    /// The value of the last `--name VALUE` (or `--name=VALUE`) in `words`, taken out of them.
    public static func take(_ name: String, from words: inout [String]) throws -> String? {
        var value: String?
        var kept = [String]()
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "--" + name {
                guard i + 1 < words.count, !words[i + 1].hasPrefix("--") else {
                    throw GenLabError.usage("--\(name) needs a value")
                }
                value = words[i + 1]
                i += 2
                continue
            }
            if w.hasPrefix("--\(name)=") {
                value = String(w.dropFirst(name.count + 3))
            } else {
                kept.append(w)
            }
            i += 1
        }
        words = kept
        return value
    }

    /// `--name` taken out of `words` as one of `C`'s cases (nil when not given).
    public static func take<C: RawRepresentable & CaseIterable>(
        _ name: String, from words: inout [String], as _: C.Type
    )
        throws -> C? where C.RawValue == String
    {
        guard let text = try take(name, from: &words) else { return nil }
        guard let c = C(rawValue: text) else {
            let all = C.allCases.map(\.rawValue)
            throw GenLabError.usage(
                "--\(name) must be \(all.dropLast().joined(separator: ", ")) or \(all.last!), got \"\(text)\"")
        }
        return c
    }

    /// The module of each Linear/Conv layer in a state dict, in order, from `a,b,c`.
    public static func layerNames(_ text: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !names.contains(where: \.isEmpty) else {
            throw GenLabError.usage("--weight-names must be module names separated by commas, got \"\(text)\"")
        }
        return names
    }

    /// Whether the bare flag `--name` is in `words`, taken out of them.
    public static func flag(_ name: String, from words: inout [String]) -> Bool {
        let n = words.count
        words.removeAll { $0 == "--" + name }
        return words.count != n
    }
}

extension Registry {
    /// The registry's value of `folder` at `scale`.
    public static func planned(_ folder: String, at scale: Scale = .default) -> any Experiment {
        entry(folder: folder)!.plan(scale).experiment
    }
}

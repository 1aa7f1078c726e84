import Common
import Foundation

/// The option names a command kept from before its options were read off the experiment value:
/// `--grid` for `--widths`, a flag like `--no-input-corruptions` for `--input-corruptions false`.
/// Everything else an experiment command takes is a field of its value (`Parameter`); these turn
/// a command line's words into the settings `Experiment.setting` takes, and list them as help.
public struct OptionNames: Sendable {
    /// Old option name → the field (configuration key) it sets.
    public var aliases: [String: String] = [:]
    /// A flag without a value → the field it sets and the value it gives it.
    public var flags: [String: (key: String, text: String)] = [:]
    /// A field (after aliases) → another field that the same setting sets too (`--seed` seeds
    /// both the directions and the training of a landscape).
    public var alsoSets: [String: String] = [:]

    public init(
        aliases: [String: String] = [:], flags: [String: (key: String, text: String)] = [:],
        alsoSets: [String: String] = [:]
    ) {
        self.aliases = aliases
        self.flags = flags
        self.alsoSets = alsoSets
    }

    /// The settings of `words` (`--name value`, `--name=value`, the flags), aliases resolved.
    public func settings(_ words: [String]) throws -> [(key: String, text: String)] {
        // A flag is a flag only without a value: `--first-samples` sets firstSamples true, while
        // `--first-samples false` is the field's own setting, as --parameters lists it.
        let expanded = words.indices.flatMap { i -> [String] in
            let bare = i + 1 == words.count || words[i + 1].hasPrefix("--")
            guard bare, words[i].hasPrefix("--"), let f = flags[String(words[i].dropFirst(2))] else {
                return [words[i]]
            }
            return ["--" + f.key, f.text]
        }
        return try Parameter.settings(expanded).flatMap { pair -> [(key: String, text: String)] in
            let key = aliases[pair.key] ?? pair.key
            return [(key, pair.text)] + (alsoSets[key].map { [($0, pair.text)] } ?? [])
        }
    }

    /// The command's help: each setting with its value (at the default scale, for an experiment
    /// with tour scales: `scaled`) and its doc comment.
    public func help(_ e: any Configurable, scaled: Bool = true) -> String {
        let alias = Dictionary(aliases.map { ($0.value, $0.key) }, uniquingKeysWith: min)
        var lines = [
            "Settings, each --NAME VALUE (lists of numbers comma-separated, of strings ';'-separated; null unsets an "
                + "optional one), shown with "
                + (scaled
                    ? "their values at --scale default; --scale starts from the tour's values at that scale."
                    : "their default values.")
        ]
        for p in e.parameters {
            lines.append(
                "  \(p.flag) \(p.value.map(Parameter.text) ?? "(not set)")"
                    + (alias[p.key].map { " (or --\($0))" } ?? ""))
            if !p.help.isEmpty { lines.append("      " + p.help) }
        }
        lines += flags.sorted { $0.key < $1.key }.map {
            "  --\($0.key): the same as --\(Parameter.kebab($0.value.key)) \($0.value.text)"
        }
        lines += alsoSets.sorted { $0.key < $1.key }.map {
            "  --\(Parameter.kebab($0.key)) also sets --\(Parameter.kebab($0.value))"
        }
        return lines.joined(separator: "\n")
    }
}

extension OptionNames {
    /// A library error about a parameter as a command line gave it: `.parameter("learningRate",
    /// "must be > 0")` of a command that calls it `--lr` reads `--lr (learningRate) must be > 0`;
    /// any other error is returned as it is.
    public func explained(_ error: Error, in value: any Configurable) -> Error {
        guard case GenLabError.parameter(let name, let problem) = error else { return error }
        let keys = value.parameters.map(\.key)
        // The field itself, else every nested field of that name: a nested value's own check
        // names its field without the path (`learningRate` for `training.optimizer.learningRate`).
        let matches = keys.contains(name) ? [name] : keys.filter { $0.hasSuffix("." + name) }
        let options = matches.map { key in
            aliases.filter { $0.value == key }.map(\.key).sorted().first ?? Parameter.kebab(key)
        }
        guard let only = options.first else { return error }
        guard options.count > 1 else { return GenLabError.usage("--\(only) (\(name)) \(problem)") }
        // Several nested fields share the name and the message cannot tell which: all are named.
        return GenLabError.usage(
            "\(name) \(problem) (the setting of one of " + options.map { "--" + $0 }.joined(separator: ", ") + ")")
    }
}

import ArgumentParser
import Datasets
import Experiments
import Foundation
import LinearAlgebra

extension GlobalOptions {
    /// Loads a dataset spec. `needsTest`: the command reports test metrics, so a spec without a
    /// test set (holdout=0 and no test-file=) is a usage error instead of a run with empty numbers.
    func load(_ spec: String, needsTest: Bool = true, purpose: String = "this command") throws -> DataSplit {
        let split = try DatasetSpec(parsing: spec).load(dataDirectory: dataDir)
        if needsTest { try split.requireTestSet(for: purpose) }
        return split
    }
}

extension GlobalOptions {
    /// The context an experiment command runs in: its command line, the data folder, progress on stderr.
    func context(label: String, checkpoint: String? = nil) -> RunContext {
        var context = RunContext(command: commandLine(), dataDirectory: dataDir, checkpoint: checkpoint, progress: progressReporter(quiet: quiet, label: label),
                                 networks: networks.map(NetworkStore.init(folder:)))
        context.events = trainingEvents()
        return context
    }
}

extension ExperimentResult {
    /// The result with a note on the data it ran on: sizes and where the test set came from.
    func noting(_ split: DataSplit?) -> ExperimentResult {
        guard let split else { return self }
        var r = self
        r.notes.insert(split.splitSummary, at: 0)
        return r
    }
}

/// `--scale`: every experiment command starts from the registry's settings for its experiment at
/// this scale (the tour's; `default` is the command's own defaults), and the options given override them.
struct ScaleOptions: ParsableArguments {
    @Option(help: "Start from the tour's settings at this scale: tiny, quick, default or full; options given override them.")
    var scale: Scale = .default

    /// The registry's experiment value for `folder` at the chosen scale.
    func base<E: Experiment>(_ folder: String, as _: E.Type = E.self) -> E {
        guard let e = Registry.entry(folder: folder)?.plan(scale).experiment as? E else {
            preconditionFailure("registry entry \(folder) is not a \(E.self)")
        }
        return e
    }
}

/// The registry's default-scale value of an experiment: what a command runs with no options, so
/// the defaults its help names come from the value and cannot drift from it.
func defaults<E: Experiment>(_ folder: String, as _: E.Type = E.self) -> E {
    guard let e = Registry.entry(folder: folder)?.plan(.default).experiment as? E else { preconditionFailure("registry entry \(folder) is not a \(E.self)") }
    return e
}

/// A list as the options take it: "64,128,256".
func list<T>(_ values: [T]) -> String { values.map { "\($0)" }.joined(separator: ",") }

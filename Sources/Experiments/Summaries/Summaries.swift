import Foundation

/// An experiment that states its key numbers in a few lines of its own, above the notes and
/// verdicts a run prints: the tools (train, sharpness, landscape) and the perceptron's fits,
/// whose readers want the numbers and the files written, not only the verdicts.
public protocol SummarizedExperiment: Experiment {
    /// The lines, from the result and the folder it was written to.
    func summary(of result: ExperimentResult, folder: String) -> [String]
}

extension ExperimentResult {
    /// The summary lines of `experiment` for this result (none for an experiment without them).
    public func summary(of experiment: any Experiment, folder: String) -> [String] {
        (experiment as? any SummarizedExperiment)?.summary(of: self, folder: folder) ?? []
    }

    /// A metric as a number (nan when absent), for summary lines.
    func number(_ key: String) -> Double { metrics[key]?.number ?? .nan }
    /// A metric as an integer count (0 when absent).
    func count(_ key: String) -> Int { Int(metrics[key]?.number ?? 0) }
    /// Whether a metric is `true`.
    func flag(_ key: String) -> Bool { metrics[key] == .bool(true) }
}

extension ExperimentResult {
    /// What a run prints once its folder is written: the notes, each verdict with its evidence,
    /// and what was written where.
    public func report(folder: String) -> [String] {
        notes.map { "note: " + $0 }
            + verdicts.flatMap { ["[\($0.label)] (\($0.kind.rawValue)) \($0.claim)", "    \($0.evidence)"] }
            + [
                String(
                    format: "wrote %@/ (result.json, %d CSV, %d SVG) in %.1f s", folder, tables.count, figures.count,
                    seconds)
            ]
    }
}

/// A tool that reads saved weights, by the module names of a PyTorch state dict where it is not
/// numbered as an nn.Sequential (`--weight-names`).
public protocol ReadsNamedWeights: Experiment {
    var weightNames: [String]? { get set }
}

extension TrainExperiment: ReadsNamedWeights {}
extension SharpnessMeasurement: ReadsNamedWeights {}
extension LandscapeMeasurement: ReadsNamedWeights {}

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
        RunContext(command: commandLine(), dataDirectory: dataDir, checkpoint: checkpoint, progress: progressReporter(quiet: quiet, label: label),
                   networks: networks.map(NetworkStore.init(folder:)))
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

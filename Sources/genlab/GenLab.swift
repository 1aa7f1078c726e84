import ArgumentParser
import Datasets
import Experiments
import Learners
import LinearAlgebra

struct GenLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genlab",
        abstract: "The talk \"Why Does Deep Learning Work?\" as experiments you can rerun.",
        discussion: "Each claim of the talk is an experiment: it measures, draws the figure and states a verdict. "
            + "`genlab tour` runs them all into one HTML report.",
        version: genlabVersion,
        subcommands: [
            TourCommand.self, ServeCommand.self, ReportCommand.self, RerunCommand.self, ReanalyzeCommand.self,
            RunCommand.self,
            DataCommand.self,
        ] + Commands.tools.map { command($0, ToolOptions.self) } + [
            EvaluateCommand.self, PredictCommand.self, WeightsCommand.self, PerceptronCommand.self,
        ] + Commands.experiments.map { command($0, ExperimentOptions.self) } + [SweepCommand.self, BenchCommand.self]
    )
}

extension Scale: ExpressibleByArgument {}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "BLAS threads (default: OpenBLAS's own choice, usually the core count).")
    var threads: Int?

    @Option(
        name: .customLong("data-dir"),
        help: "Folder with the Fashion-MNIST IDX files (default: $GENLAB_DATA, then /usr/share/datasets/fashion-mnist)."
    )
    var dataDir: String?

    @Flag(help: "No progress output.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Share trained networks between runs through this folder: a network with the same recipe "
                + "(data, architecture, training, seed) is read instead of trained again."))
    var networks: String?

    @Option(
        help: ArgumentHelp(
            "Write TensorBoard scalars (train/test loss and error per evaluated epoch) of every network "
                + "trained, one run folder each, under this folder."))
    var tensorboard: String?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1, got \(t)") }
    }

    func apply() {
        if let t = threads { BLAS.setThreads(t) }
    }

    /// The TensorBoard events of this command's run (nil without --tensorboard): made once per
    /// run, since each numbers its training runs from 1.
    func trainingEvents() -> TrainingEvents? { tensorboard.map(TrainingEvents.init(folder:)) }

    /// The context a command that trains runs in: its command line, the data folder, progress on
    /// stderr, --networks (the store every command that trains shares) and --tensorboard.
    func context(command: String = commandLine(), label: String, checkpoint: String? = nil) -> RunContext {
        var context = RunContext(
            command: command, dataDirectory: dataDir, checkpoint: checkpoint,
            progress: quiet ? .silent : .standardError(label: label), networks: networks.map(NetworkStore.init(folder:))
        )
        context.events = trainingEvents()
        return context
    }

    /// Loads a dataset spec. `needsTest`: the command reports test metrics, so a spec without a
    /// test set (holdout=0 and no test-file=) is a usage error instead of a run with empty numbers.
    func load(_ spec: String, needsTest: Bool = false, purpose: String = "this command") throws -> DataSplit {
        let split = try DatasetSpec(parsing: spec).load(dataDirectory: dataDir)
        if needsTest { try split.requireTestSet(for: purpose) }
        return split
    }
}

/// A library usage error as ArgumentParser's own, for `validate()`, whose errors ArgumentParser
/// wraps (exit 2 and the usage line, as for any other bad option).
func asUsage<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as GenLabError { throw ValidationError(e.description) }
}

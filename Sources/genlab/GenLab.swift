import ArgumentParser
import Learners
import LinearAlgebra

struct GenLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genlab",
        abstract: "The talk \"Why Does Deep Learning Work?\" as experiments you can rerun.",
        discussion: "Each claim of the talk is an experiment: it measures, draws the figure and states a verdict. `genlab tour` runs them all into one HTML report.",
        version: genlabVersion,
        subcommands: [TourCommand.self, ServeCommand.self, ReportCommand.self, RerunCommand.self, ReanalyzeCommand.self, RunCommand.self, DataCommand.self, TrainCommand.self, SharpnessCommand.self, LandscapeCommand.self, EvaluateCommand.self, PredictCommand.self, WeightsCommand.self, PerceptronCommand.self, BiasVarianceCommand.self, DoubleDescentCommand.self, ModelSizeCommand.self, ImplicitBiasCommand.self, RandomLabelsCommand.self, RegularizersCommand.self, PACCommand.self, RetestCommand.self, MeasuresCommand.self, SweepCommand.self, BenchCommand.self]
    )
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "BLAS threads (default: OpenBLAS's own choice, usually the core count).")
    var threads: Int?

    @Option(name: .customLong("data-dir"), help: "Folder with the Fashion-MNIST IDX files (default: $GENLAB_DATA, then /usr/share/datasets/fashion-mnist).")
    var dataDir: String?

    @Flag(help: "No progress output.")
    var quiet = false

    @Option(help: "Share trained networks between runs through this folder: a network with the same recipe (data, architecture, training, seed) is read instead of trained again.")
    var networks: String?

    @Option(help: "Write TensorBoard scalars (train/test loss and error per evaluated epoch) of every network trained, one run folder each, under this folder.")
    var tensorboard: String?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1, got \(t)") }
    }

    func apply() {
        if let t = threads { BLAS.setThreads(t) }
    }

    /// The TensorBoard events of this command's run (nil without --tensorboard): read once per
    /// run, since each numbers its training runs from 1.
    func trainingEvents() -> TrainingEvents? { tensorboard.map(TrainingEvents.init(folder:)) }
}

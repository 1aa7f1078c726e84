import ArgumentParser
import Experiments
import Learners
import LinearAlgebra

extension EvaluateExperiment.Part: ExpressibleByArgument {}

/// Options shared by `evaluate` and `predict`: which weights, which model, which data.
struct SavedModelOptions: ParsableArguments {
    @Option(help: "Model spec the weights were trained with (as given to genlab train).") var model: String
    @Option(
        help: "Weights: .npy from genlab train, or a PyTorch state dict in .safetensors (see --weight-names)."
    ) var weights: String
    @OptionGroup var names: WeightNamesOption
    @Option(
        help: """
            Dataset spec. The network is built from its training part (features, classes); for a separate file \
            use FILE:test-file=OTHER so that classes are numbered as in training.
            """
    ) var data: String
    @Option(help: "Which part of the data: test, train or all.") var on: EvaluateExperiment.Part = .test

    func validate() throws {
        // A usage error (exit 2) before any data is loaded.
        _ = try asUsage { try ModelSpec(parsing: model) }
    }

    var experiment: EvaluateExperiment {
        var e = EvaluateExperiment(data: data, model: model, weights: weights, part: on)
        e.weightNames = names.names
        return e
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score saved weights on any data set: loss, accuracy, per-class accuracy and the confusion matrix.",
        discussion:
            "Writes result.json, per_class.csv and confusion.csv (tidy: true_class, predicted_class, count) to --out.")
    @OptionGroup var saved: SavedModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let split = try global.load(
            saved.data, needsTest: saved.on == .test, purpose: "evaluating on the test set (--on test)")
        let (scored, _, sample) = try saved.experiment.evaluate(split, command: commandLine())
        var r = scored
        r.notes.insert(split.splitSummary, at: 0)
        try finish(r, output: output, extraLines: saved.experiment.summary(of: r, sample: sample))
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write the predicted labels and class probabilities of saved weights on a data set (NPY or CSV).",
        discussion: """
            npy: predicted.npy (int64 class indices) and probabilities.npy (float64 [n, K]; one column for \
            regression: the prediction).
            csv: predictions.csv with row, label (the true class index), predicted and p_0 … p_(K−1); for \
            regression row, target, prediction.
            """)
    @OptionGroup var saved: SavedModelOptions
    @Option(help: "npy or csv.") var format: EvaluateExperiment.PredictionFormat = .npy
    @Option(help: "Folder for the prediction files (default: results/predict).") var out: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let split = try global.load(
            saved.data, needsTest: saved.on == .test, purpose: "predicting the test set (--on test)")
        let (_, p, sample) = try saved.experiment.evaluate(split, command: commandLine())
        let dir = out ?? "results/predict"
        try EvaluateExperiment.write(p, of: sample, as: format, to: dir)
        let part = "(\(saved.on.rawValue) part of \(saved.data))"
        print("\(p.outputs.rows) predictions \(part) written to \(dir)/ as \(format.rawValue)")
        print(split.splitSummary)
    }
}

extension EvaluateExperiment.PredictionFormat: ExpressibleByArgument {}

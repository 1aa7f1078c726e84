import ArgumentParser
import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra

extension EvaluateExperiment.Part: ExpressibleByArgument {}

/// Options shared by `evaluate` and `predict`: which weights, which model, which data.
struct SavedModelOptions: ParsableArguments {
    @Option(help: "Model spec the weights were trained with (as given to genlab train).") var model: String
    @Option(help: "Weights: .npy as written by genlab train, or a PyTorch state dict in .safetensors (nn.Sequential numbering, or --weight-names).") var weights: String
    @OptionGroup var names: WeightNamesOption
    @Option(help: "Dataset spec. The network is built from its training part (features, classes); for a separate file use FILE:test-file=OTHER so that classes are numbered as in training.") var data: String
    @Option(help: "Which part of the data: test, train or all.") var on: EvaluateExperiment.Part = .test

    func validate() throws {
        // A usage error (exit 2) before any data is loaded.
        do { _ = try ModelSpec(parsing: model) } catch let e as GenLabError { throw ValidationError(e.description) }
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
        discussion: "Writes result.json, per_class.csv and confusion.csv (tidy: true_class, predicted_class, count) to --out.")
    @OptionGroup var saved: SavedModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let split = try global.load(saved.data, needsTest: saved.on == .test, purpose: "evaluating on the test set (--on test)")
        let (r, _, sample) = try saved.experiment.evaluate(split, command: commandLine())
        var lines = [String]()
        let m = r.metrics
        if let acc = m["accuracy"]?.number {
            lines.append(String(format: "%d samples (%@ part): loss %.4f, accuracy %.4f", sample.count, saved.on.rawValue, m["loss"]?.number ?? .nan, acc))
            lines += confusionText(r.tables[1], classes: sample.classNames)
        } else {
            lines.append(String(format: "%d samples (%@ part): mean squared error %.4g", sample.count, saved.on.rawValue, m["loss"]?.number ?? .nan))
        }
        try finish(r.noting(split), output: output, extraLines: lines)
    }

    /// The confusion matrix as a small grid (rows: true class, columns: predicted), for up to 12 classes.
    func confusionText(_ t: Table, classes: [String]) -> [String] {
        let k = classes.count
        guard k <= 12 else { return ["confusion matrix: \(k) classes, see confusion.csv"] }
        let counts = t.column("count").map { Int($0) }
        let width = max(6, (counts.max() ?? 0).description.count + 1)
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines = ["confusion (rows true, columns predicted):", String(repeating: " ", count: 14) + (0..<k).map { pad(String($0)) }.joined()]
        for y in 0..<k {
            let name = String((classes[y] == String(y) ? classes[y] : String(y) + " " + classes[y]).prefix(13)).padding(toLength: 14, withPad: " ", startingAt: 0)
            lines.append(name + (0..<k).map { pad(String(counts[y * k + $0])) }.joined())
        }
        return lines
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write the predicted labels and class probabilities of saved weights on a data set (NPY or CSV).",
        discussion: """
        npy: predicted.npy (int64 class indices) and probabilities.npy (float64 [n, K]; one column for regression: the prediction).
        csv: predictions.csv with row, label (the true class index), predicted and p_0 … p_(K−1); for regression row, target, prediction.
        """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case npy, csv }
    @OptionGroup var saved: SavedModelOptions
    @Option(help: "npy or csv.") var format: Format = .npy
    @Option(help: "Folder for the prediction files (default: results/predict).") var out: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        let split = try global.load(saved.data, needsTest: saved.on == .test, purpose: "predicting the test set (--on test)")
        let (_, p, sample) = try saved.experiment.evaluate(split, command: commandLine())
        let dir = out ?? "results/predict"
        let n = p.outputs.rows, k = p.outputs.cols
        switch format {
        case .npy:
            if !p.labels.isEmpty { try AtomicFile.write(NPYArray.encode(p.labels, shape: [n]), to: dir + "/predicted.npy") }
            try AtomicFile.write(NPYArray.encode(p.outputs.storage, shape: [n, k]), to: dir + "/probabilities.npy")
        case .csv:
            let regression = p.labels.isEmpty
            var text = regression ? "row,target,prediction\n" : "row,label,predicted" + (0..<k).map { ",p_\($0)" }.joined() + "\n"
            for i in 0..<n {
                let truth = sample.isRegression ? sample.targets[i].description : String(sample.labels[i])
                text += "\(i),\(truth)" + (regression ? "" : "," + String(p.labels[i])) + (0..<k).map { "," + p.outputs[i, $0].description }.joined() + "\n"
            }
            try AtomicFile.write(text, to: dir + "/predictions.csv")
        }
        print("\(n) predictions (\(saved.on.rawValue) part of \(saved.data)) written to \(dir)/ as \(format.rawValue)")
        print(split.splitSummary)
    }
}

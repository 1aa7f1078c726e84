import Datasets
import Foundation
import Learners
import LinearAlgebra

/// `genlab evaluate` and `genlab predict`: saved weights of a model, scored on any part of any
/// data set — loss, accuracy, per-class accuracy and the confusion matrix — and their predictions.
///
/// The network is rebuilt from the model spec and the data (features and classes), so the
/// weights must come from the same spec on data with the same features and classes; anything
/// else is an error that says which of the three differs.
public struct EvaluateExperiment: Codable, Sendable {
    /// Which samples of the split to evaluate on.
    public enum Part: String, Codable, Sendable, CaseIterable { case train, test, all }
    public var data: String
    public var model: String
    public var weights: String
    /// Module names of a .safetensors state dict, one per layer with parameters (nil: its nn.Sequential numbering).
    public var weightNames: [String]? = nil
    public var part: Part

    public init(data: String, model: String, weights: String, part: Part = .test) {
        self.data = data
        self.model = model
        self.weights = weights
        self.part = part
    }

    /// The samples evaluated: the split's test set, training set, or both (train first).
    public func sample(_ split: DataSplit) throws -> Dataset {
        switch part {
        case .train: return split.train
        case .test:
            try split.requireTestSet(for: "evaluating on the test set (part test)")
            return split.test
        case .all:
            var all = split.train
            all.features = Matrix(
                rows: split.train.count + split.test.count, cols: split.train.featureCount,
                storage: split.train.features.storage + split.test.features.storage)
            all.labels = split.train.labels + split.test.labels
            all.targets = split.train.targets + split.test.targets
            return all
        }
    }

    /// The network with the saved weights loaded, after checking they fit the model on this data.
    public func network(for split: DataSplit) throws -> Network<Float> {
        let spec = try ModelSpec(parsing: model)
        let net: Network<Float> = try spec.network(for: split.train, imageShape: split.sampleShape)
        if Network<Float>.isSafeTensors(weights) {
            // A state dict names its layers and shapes: `load(stateDict:)` checks each tensor.
            try net.load(weights: weights, names: weightNames)
            return net
        }
        if weightNames != nil {
            throw GenLabError.parameter(
                name: "weightNames", problem: "applies to .safetensors files (PyTorch state dicts), not to \(weights)")
        }
        let saved = try NPYArray.read(weights)
        guard saved.values.count == net.parameterCount else {
            let shape =
                split.train.isRegression
                ? "\(split.train.featureCount) features, 1 output"
                : "\(split.train.featureCount) features, \(split.train.classCount) classes"
            throw GenLabError.data(
                source: weights, expected: "\(net.parameterCount) weights (\(model) on \(shape))",
                found: "\(saved.values.count) values (shape \(saved.shape))",
                fix: "use the model and a data set with the features and classes the weights were trained with")
        }
        try net.load(weights: saved, source: weights)
        return net
    }

    public func evaluate(_ split: DataSplit, command: String) throws -> (
        result: ExperimentResult, predictions: Predictions, sample: Dataset
    ) {
        let start = Timing.now()
        let net = try network(for: split)
        let d = try sample(split)
        guard d.count > 0 else {
            throw GenLabError.data(
                source: data, expected: "samples to evaluate", found: "none in the \(part.rawValue) part")
        }
        let scored = net.evaluate(d)
        let predictions = net.predict(d.features)
        var metrics: [String: JSONValue] = [
            "samples": JSONValue(d.count), "loss": JSONValue(scored.loss), "parameters": JSONValue(net.parameterCount),
        ]
        var tables = [Table]()
        if !d.isRegression {
            let k = d.classCount
            var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
            for (y, p) in zip(d.labels, predictions.labels) { confusion[y][p] += 1 }
            let correct = (0..<k).reduce(0) { $0 + confusion[$1][$1] }
            metrics["accuracy"] = JSONValue(Double(correct) / Double(d.count))
            metrics["error"] = JSONValue(1 - Double(correct) / Double(d.count))
            var perClass = Table(
                name: "per_class", columns: ["class", "name", "samples", "correct", "accuracy", "predicted"])
            for c in 0..<k {
                let n = confusion[c].reduce(0, +)
                let predicted = confusion.reduce(0) { $0 + $1[c] }
                perClass.append([
                    JSONValue(c), JSONValue(d.classNames[c]), JSONValue(n), JSONValue(confusion[c][c]),
                    n > 0 ? JSONValue(Double(confusion[c][c]) / Double(n)) : .null, JSONValue(predicted),
                ])
            }
            var tidy = Table(name: "confusion", columns: ["true_class", "predicted_class", "count"])
            for y in 0..<k {
                for p in 0..<k {
                    tidy.append([JSONValue(d.classNames[y]), JSONValue(d.classNames[p]), JSONValue(confusion[y][p])])
                }
            }
            tables = [perClass, tidy]
        } else {
            metrics["mse"] = JSONValue(scored.loss)
        }
        var h = ContentHash()
        h.combine(net.parameterArray)
        let result = ExperimentResult(
            experiment: "evaluate",
            configuration: [
                "data": JSONValue(data), "model": JSONValue(model), "weights": JSONValue(weights),
                "on": JSONValue(part.rawValue),
                "weights_hash": JSONValue(h.hex),
            ],
            seed: 0, metrics: metrics, command: command, tables: tables, seconds: Timing.now() - start)
        return (result, predictions, d)
    }
}

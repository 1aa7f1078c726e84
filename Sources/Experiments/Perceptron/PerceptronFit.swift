import Datasets
import Foundation
import Learners
import LinearAlgebra

/// Ordinary use: fit a perceptron and report train/test accuracy.
/// Two classes: Algorithm 1 (plus its averaged form); more: one-vs-rest, the multiclass rule,
/// and the averaged one-vs-rest, side by side.
///
/// `bias: false, shuffle: false` on two classes is the talk's Algorithm 1 exactly: w₀ = 0, no
/// bias term, the samples in the given order, one update per mistake, nothing else fitted.
public struct PerceptronFit: Codable, Sendable {
    /// Dataset spec (two classes: one perceptron; more: one against the rest each).
    public var data: String
    /// Passes over the training data.
    public var epochs: Int
    /// Seed of the per-epoch shuffle (with `shuffle`).
    public var seed: UInt64
    /// Learn a bias (a constant feature appended).
    public var bias: Bool
    /// Reshuffle the samples each epoch (false: the given order).
    public var shuffle: Bool

    public init(data: String, epochs: Int = 10, seed: UInt64 = 0, bias: Bool = true, shuffle: Bool = true) {
        self.data = data
        self.epochs = epochs
        self.seed = seed
        self.bias = bias
        self.shuffle = shuffle
    }

    /// Algorithm 1 as the talk writes it: weights only for two classes, no bias, given order.
    public var isPlainAlgorithm: Bool { !bias && !shuffle }
}

extension PerceptronFit: SingleUnitMeasurement {
    public var name: String { "perceptron-fit" }

    public func validate() throws {
        guard epochs >= 1 else { throw GenLabError.parameter(name: "epochs", problem: "must be ≥ 1, got \(epochs)") }
    }

    /// One fitted model: its accuracies, its fit's seconds and its mistakes in the last pass.
    public struct Model: Codable, Sendable {
        var name: String
        var trainAccuracy: Double
        var testAccuracy: Double
        var fitSeconds: Double
        var finalEpochMistakes: Int
    }

    /// The models in the order they were fitted, and the weights of the first (float32, row-major
    /// `shape`: [K, d+1] with the bias last, [K, d] without a bias; K = 1 for two classes).
    public struct Outcomes: Codable, Sendable {
        var models: [Model]
        var weights: [Float]
        var shape: [Int]
    }

    /// Algorithm 1 on two classes, then the averaged and multiclass variants (with a bias term).
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, requireTest: false)
        try checkClasses(split)
        let k = split.train.classCount
        guard bias || k == 2 else {
            throw GenLabError.usage(
                "\(data): a perceptron without a bias term is Algorithm 1, which is binary; this set has \(k) classes "
                    + "(pick two with classes=A,B)"
            )
        }
        var models = [Model]()
        var weights = Matrix<Float>(rows: 0, cols: 0)
        if k == 2 { (models, weights) = try algorithmOne(split) }
        for (name, model) in variants(classes: k) {
            let t0 = Timing.now()
            let fit = model.fit(split.train.features, labels: split.train.labels, classes: k)
            let t1 = Timing.now()
            models.append(
                Model(
                    name: name, trainAccuracy: fit.accuracy(split.train.features, split.train.labels),
                    testAccuracy: fit.accuracy(split.test.features, split.test.labels), fitSeconds: t1 - t0,
                    finalEpochMistakes: fit.mistakesPerEpoch.last ?? 0))
            if weights.rows == 0 {
                var w = Matrix<Float>(rows: k, cols: split.train.featureCount + 1)
                for c in 0..<k {
                    for j in 0..<split.train.featureCount { w[c, j] = fit.weights[c, j] }
                    w[c, split.train.featureCount] = fit.biases[c]
                }
                weights = w
            }
        }
        return Measured(Outcomes(models: models, weights: weights.storage, shape: [weights.rows, weights.cols]))
    }

    /// Class labels, at least one training sample, finite features.
    func checkClasses(_ split: DataSplit) throws {
        guard !split.train.isRegression else {
            throw GenLabError.usage("\(data): the perceptron needs class labels, this is a regression set")
        }
        guard split.train.count > 0 else {
            throw GenLabError.data(
                source: data, expected: "at least one training sample", found: "an empty training set")
        }
        if let i = split.train.features.storage.firstIndex(where: { !$0.isFinite }) {
            throw GenLabError.data(
                source: data, expected: "finite features",
                found: "\(split.train.features.storage[i]) at sample \(i / split.train.featureCount)")
        }
    }

    var order: UInt64? { shuffle ? seed : nil }

    /// The perceptron on two classes, and its weights as a 1 × d(+1) matrix.
    func algorithmOne(_ split: DataSplit) throws -> ([Model], Matrix<Float>) {
        let ys = try split.train.signedLabels().map { Float($0) }
        let tys = try split.test.signedLabels().map { Float($0) }
        let t0 = Timing.now()
        let p = Perceptron(maxEpochs: epochs, shuffleSeed: order, bias: bias)
        // Image data keep their pixels as bytes: the same fit bit for bit, a quarter of the memory traffic.
        let fit =
            split.train.byteFeatures.map {
                p.fit(bytes: $0, rows: split.train.count, cols: split.train.featureCount, ys)
            }
            ?? p.fit(split.train.features, ys)
        let t1 = Timing.now()
        let model = Model(
            name: "perceptron", trainAccuracy: 1 - fit.errorRate(split.train.features, ys),
            testAccuracy: 1 - fit.errorRate(split.test.features, tys), fitSeconds: t1 - t0,
            finalEpochMistakes: fit.mistakesPerEpoch.last ?? 0)
        return ([model], Matrix(rows: 1, cols: fit.weights.count, storage: fit.weights))
    }

    /// The averaged and multiclass variants carry a bias term: without one, Algorithm 1 runs alone.
    func variants(classes k: Int) -> [(String, MulticlassPerceptron)] {
        k == 2
            ? (bias
                ? [("averaged perceptron", .init(rule: .oneVsRest, epochs: epochs, shuffleSeed: order, averaged: true))]
                : [])
            : [
                ("one-vs-rest", .init(rule: .oneVsRest, epochs: epochs, shuffleSeed: order)),
                ("multiclass", .init(rule: .multiclass, epochs: epochs, shuffleSeed: order)),
                ("averaged one-vs-rest", .init(rule: .oneVsRest, epochs: epochs, shuffleSeed: order, averaged: true)),
            ]
    }

    /// The accuracy table, each model's test accuracy as a metric, and the first model's weights
    /// as the artifact weights.npy.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        var table = Table(
            name: "accuracy",
            columns: ["model", "train_accuracy", "test_accuracy", "fit_seconds", "final_epoch_mistakes"])
        for m in o.models {
            table.append([
                JSONValue(m.name), JSONValue(m.trainAccuracy), JSONValue(m.testAccuracy), JSONValue(m.fitSeconds),
                JSONValue(m.finalEpochMistakes),
            ])
        }
        var metrics = [String: JSONValue]()
        for r in table.rows { metrics[(r[0].string ?? "") + " test accuracy"] = r[2] }
        var result = ExperimentResult(
            experiment: name, configuration: [:], seed: seed, metrics: metrics, command: "", tables: [table],
            notes: measured.notes)
        result.artifacts["weights.npy"] = NPYArray.encode(o.weights, shape: o.shape)
        return result
    }
}

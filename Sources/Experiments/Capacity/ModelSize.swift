import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// "Bigger is better" (Neyshabur et al. 2015, the talk's ImageNet slides), in their protocol:
/// one-hidden-layer networks of growing width on 4,000 Fashion-MNIST images (10,000 test),
/// each trained by SGD at a constant learning rate until its training cross-entropy is at most
/// 0.01 — not stopped at zero training error, which would stop wide networks early with a high
/// rate — several seeds: train and test accuracy against the parameter count, and the slope of
/// test accuracy per doubling of the parameters with an equivalence margin, so that "no gain"
/// can be concluded too. A width that misses the target within the epoch limit is reported and
/// left out of the slope. Pixels are standardized (on raw [0, 1] pixels the wide networks need
/// several times the epochs to reach the target).
public struct ModelSize: Codable, Sendable {
    /// Dataset spec, with class labels (the protocol's: 4,000 standardized Fashion-MNIST images, 10,000 test).
    public var data: String
    /// Hidden-layer widths of the one-hidden-layer networks, increasing.
    public var widths: [Int]
    /// Seeds (networks) per width.
    public var seeds: Int
    /// Epoch limit per network; a width whose networks miss the target loss by then is left out of the slope.
    public var maxEpochs: Int
    /// Learning rate (SGD, momentum 0.9, batch 128, constant).
    public var learningRate: Double
    /// Trained until the training cross-entropy is at most this (0.01, Neyshabur et al.'s protocol).
    public var targetLoss: Double

    public static let defaultWidths = [64, 128, 256, 512, 1024, 2048]

    public static let defaultData = "fashion-mnist:train=4000,test=10000,standardize"

    public init(
        data: String = ModelSize.defaultData, widths: [Int] = ModelSize.defaultWidths, seeds: Int = 5,
        maxEpochs: Int = 200,
        learningRate: Double = 0.02, targetLoss: Double = 0.01
    ) {
        self.data = data
        self.widths = widths
        self.seeds = seeds
        self.maxEpochs = maxEpochs
        self.learningRate = learningRate
        self.targetLoss = targetLoss
    }

    public func validate() throws {
        guard !widths.isEmpty, widths.allSatisfy({ $0 >= 1 }), widths == widths.sorted() else {
            throw GenLabError.parameter(name: "widths", problem: "must be positive and increasing, got \(widths)")
        }
        guard seeds >= 1 else { throw GenLabError.parameter(name: "seeds", problem: "must be ≥ 1, got \(seeds)") }
        guard maxEpochs >= 1 else {
            throw GenLabError.parameter(name: "maxEpochs", problem: "must be ≥ 1, got \(maxEpochs)")
        }
        guard learningRate > 0 && learningRate.isFinite else {
            throw GenLabError.parameter(name: "learningRate", problem: "must be > 0, got \(learningRate)")
        }
        guard targetLoss > 0 else { throw GenLabError.usage("the target training loss must be > 0, got \(targetLoss)") }
    }

    struct Point: Codable, Sendable {
        var width: Int
        var seed: Int
    }
    /// One network: its width and seed, accuracies where training stopped, and why it stopped.
    public struct Outcome: Codable, Sendable {
        var width: Int
        var seed: Int
        var parameters: Int
        var trainAccuracy: Double
        var testAccuracy: Double
        var epochs: Int
        var stopped: StopReason
    }

    /// Trains every (width, seed) network to the target loss, widest first, each a content-addressed checkpoint.
    public func measure(_ context: RunContext) throws -> Measured<[Outcome]> {
        let split = try context.load(data, for: name)
        let progress = context.progress
        let networks = context.networks
        let trainer = context.trainer
        try validate()
        guard !split.train.isRegression else { throw GenLabError.usage("\(data): model-size needs class labels") }
        let cfg = self
        let points = widths.reversed().flatMap { w in (0..<seeds).map { Point(width: w, seed: $0) } }
        // Shared by every point: the recipe (batch 128, momentum 0.9, constant rate, stopping
        // rule), every setting but the grid's, and the data bit for bit.
        let fingerprint = split.fingerprint
        let sweep = try Sweep<Point, Outcome>(
            points: points, of: self, recipe: "mlp:W relu batch=128 sgd momentum=0.9 constant", data: fingerprint,
            in: context
        ) {
            "size-w\($0.width)-seed\($0.seed)"
        }
        let swept = try sweep.run(progress: { d, t in progress.report("\(d)/\(t) networks", Double(d) / Double(t)) }) {
            p in
            let net = try! Network<Float>(
                input: (split.train.featureCount, 1), hidden: [.dense(outputs: p.width), .relu],
                outputs: split.train.classCount, seed: UInt64(p.seed))
            // Trained to the target cross-entropy at a constant rate; the test set is evaluated
            // once, where training stops.
            let config = TrainingConfig(
                epochs: cfg.maxEpochs, batchSize: 128,
                optimizer: OptimizerConfig(kind: .sgd, learningRate: cfg.learningRate, momentum: 0.9),
                seed: UInt64(p.seed), targetLoss: cfg.targetLoss, evaluateEvery: cfg.maxEpochs)
            let recipe = TrainingRecipe(
                data: fingerprint,
                architecture: TrainingRecipe.architecture(
                    of: net, initialization: .he, seed: UInt64(p.seed), batch: config.batchSize), training: config)
            let train = { (n: Network<Float>) in trainer(config).train(n, train: split.train, test: split.test) }
            let run = networks.map { $0.trained(recipe, network: net, train: train).run } ?? train(net)
            let f = run.final!
            return Outcome(
                width: p.width, seed: p.seed, parameters: net.parameterCount, trainAccuracy: 1 - f.trainError,
                testAccuracy: 1 - f.testError,
                epochs: f.epoch, stopped: run.stoppedBecause)
        }
        return Measured(swept.outcomes, notes: swept.note.map { [$0] } ?? [])
    }

    /// The width table (train and test accuracy, test interval over seeds, mean epochs); the fit column is filled by
    /// `analyze`.
    func tabulate(_ outcomes: [Outcome]) -> (Table, tests: [Interval]) {
        var table = Table(
            name: "model_size",
            columns: [
                "width", "parameters", "train_accuracy", "test_accuracy", "test_lower", "test_upper", "epochs",
                "test_fit",
            ])
        var tests = [Interval]()
        for w in widths {
            let o = outcomes.filter { $0.width == w }
            let ci =
                o.count > 1
                ? Stats.tInterval(o.map(\.testAccuracy))
                : Interval(estimate: o[0].testAccuracy, lower: o[0].testAccuracy, upper: o[0].testAccuracy, level: 0.95)
            let tr = Stats.mean(o.map(\.trainAccuracy))
            table.append([
                JSONValue(w), JSONValue(o[0].parameters), JSONValue(tr), JSONValue(ci.estimate), JSONValue(ci.lower),
                JSONValue(ci.upper),
                JSONValue(Stats.mean(o.map { Double($0.epochs) })), .null,
            ])
            tests.append(ci)
        }
        return (table, tests)
    }

    /// The slope of test accuracy per doubling over the saturated widths, and the shape of the returns, from the
    /// outcomes alone.
    public func analyze(_ measured: Measured<[Outcome]>) -> ExperimentResult {
        let outcomes = measured.outcomes
        let (tabulated, tests) = tabulate(outcomes)
        var table = tabulated
        // Widths whose every seed reached the target cross-entropy; among them, does test accuracy still rise with
        // size?
        let saturated = widths.indices.filter { i in
            outcomes.filter { $0.width == widths[i] }.allSatisfy { $0.stopped == .targetLoss }
        }
        let missed = widths.filter { w in !saturated.contains { widths[$0] == w } }
        let (returns, fit) = returnsVerdict(outcomes.filter { o in saturated.contains { widths[$0] == o.width } })
        // The fit where it was fitted: the saturated widths.
        for (i, w) in widths.enumerated() {
            let p = Double(outcomes.first { $0.width == w }!.parameters)
            table.rows[i][table.columns.count - 1] =
                saturated.contains(i) ? fit.map { JSONValue($0.value(at: log2(p))) } ?? .null : .null
        }
        let verdict = slopeVerdict(outcomes, saturated: saturated, missed: missed, tests: tests)
        return ExperimentResult(
            experiment: "model-size",
            configuration: [
                "data": JSONValue(data), "widths": .array(widths.map { JSONValue($0) }), "seeds": JSONValue(seeds),
                "max_epochs": JSONValue(maxEpochs), "lr": JSONValue(learningRate), "schedule": "constant",
                "momentum": 0.9,
                "target_loss": JSONValue(targetLoss),
                "batch": 128, "model": "mlp:W",
            ],
            seed: 0, metrics: ["saturated_widths": JSONValue(saturated.count)], verdicts: [verdict, returns],
            command: "",
            figures: [figure], tables: [table], notes: measured.notes)
    }

    /// Does test accuracy still rise with size among the widths whose every seed reached the target (`saturated`,
    /// indices into `widths`)?
    func slopeVerdict(_ outcomes: [Outcome], saturated: [Int], missed: [Int], tests: [Interval]) -> Verdict {
        if saturated.count >= 2 {
            let first = saturated.first!
            let last = saturated.last!
            // Every seed of every saturated width: test accuracy against log₂(parameters). The
            // slope (accuracy per doubling) with its 95% t interval decides; the endpoints'
            // intervals alone are too wide with a few seeds.
            let points = outcomes.filter { o in saturated.contains { widths[$0] == o.width } }
            // The least gain that matters: 0.1 point of test accuracy per doubling of the parameters.
            // Widths of one seed share its data order: each seed's own slope, the seeds the units.
            let rule = VerdictRules.positiveSlope(
                x: points.map { log2(Double($0.parameters)) }, y: points.map(\.testAccuracy),
                clusters: points.map(\.seed), margin: 0.001)
            let slope = rule.values["slope"] ?? .nan
            let lo = rule.values["slope_lower"] ?? .nan
            let hi = rule.values["slope_upper"] ?? .nan
            let rho = Stats.spearmanRho(saturated.map { Double(widths[$0]) }, saturated.map { tests[$0].estimate })
            return Verdict(
                .finding,
                claim: "Bigger networks keep generalizing better after their training accuracy has saturated.",
                supported: rule.supported,
                evidence: String(
                    format:
                        "Every seed reaches training cross-entropy ≤ %g from width %d on%@. Over those %d widths and "
                        + "%d seeds, test accuracy changes by %+.2f points per doubling of the parameters (95%% CI "
                        + "%+.2f to %+.2f; a gain below +0.10 counts as none): %.2f%% at width %d, %.2f%% at width "
                        + "%d (Spearman ρ of the means %.2f): %@.",
                    targetLoss, widths[first],
                    missed.isEmpty
                        ? ""
                        : " (not within \(maxEpochs) epochs: width "
                            + "\(missed.map(String.init).joined(separator: ", ")), left out)",
                    saturated.count, seeds, slope * 100, lo * 100, hi * 100,
                    tests[first].estimate * 100, widths[first], tests[last].estimate * 100, widths[last], rho,
                    rule.reason),
                values: [
                    "mde": rule.mde, "first_saturated_width": Double(widths[first]),
                    "gain": tests[last].estimate - tests[first].estimate, "slope_per_doubling": slope,
                    "slope_lower": lo, "slope_upper": hi, "spearman": rho,
                ])
        }
        return Verdict(
            .finding, claim: "Bigger networks keep generalizing better after their training accuracy has saturated.",
            supported: nil,
            evidence:
                "Fewer than two widths reached training cross-entropy ≤ \(formatNumber(targetLoss)) on every seed "
                + "within \(maxEpochs) epochs; train longer (--epochs).",
            values: ["saturated_widths": Double(saturated.count)])
    }

    var figure: FigureSpec {
        FigureSpec(
            file: "model_size.svg", title: "Accuracy against network size (Fashion-MNIST)", table: "model_size",
            x: "parameters",
            xLabel: "parameters (one hidden layer, width \(widths.first!) … \(widths.last!))", yLabel: "accuracy",
            xLog: true,
            series: [
                .init(y: "train_accuracy", label: "train", dashed: true, markers: true),
                .init(
                    y: "test_accuracy", label: "test (95% CI over seeds)", lower: "test_lower", upper: "test_upper",
                    markers: true),
                .init(y: "test_fit", label: "test: quadratic in log₂ parameters (saturated widths)", dashed: true),
            ])
    }

    /// The widths whose every seed has finished, analyzed as if the grid were those alone.
    public func finishedPart(of outcomes: [Outcome]) -> (grid: ModelSize, outcomes: [Outcome], note: String)? {
        let complete = widths.filter { w in
            (0..<seeds).allSatisfy { s in outcomes.contains { $0.width == w && $0.seed == s } }
        }
        guard !complete.isEmpty else { return nil }
        var finishedGrid = self
        finishedGrid.widths = complete
        let note = "Partial: \(complete.count) of \(widths.count) widths finished (\(outcomes.count) networks)."
        return (finishedGrid, outcomes.filter { complete.contains($0.width) }, note)
    }
}

extension ModelSize: LiveSweep, PointwiseExperiment {
    public static let perPointFields: Set<String> = ["widths", "seeds"]
    public var name: String { "model-size" }
}

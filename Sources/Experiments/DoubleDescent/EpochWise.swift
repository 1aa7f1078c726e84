import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Epoch-wise double descent, in two settings.
///
/// 1. A network in the setting where the effect is reported (Nakkiran et al. 2019: noisy labels,
///    Adam at a constant rate, no decay, no early stopping, long training): by default an MLP
///    784→512→10 on 4,000 Fashion-MNIST images with 20% of their labels replaced at random,
///    tested on 10,000, Adam 1e-3, batch 128, 300 epochs; several seeds, test error on a
///    geometric grid of epochs (60 per decade: every epoch up to 30, then ever sparser, as the
///    log-axis figure reads it). The early-stopping gap (final test error over the best epoch's) is the
///    precondition: without it there is no rise to descend from.
/// 2. The mechanism of Heckel & Yilmaz (2021): gradient descent on least squares whose features
///    come at two scales. Each eigendirection of the empirical covariance has its own
///    bias–variance trade-off over time (its risk goes a → ab/(a+b) → b, with a its signal and b
///    its share of the noise), on the time scale 1/(ηλ). A fast group whose signal and noise are
///    comparable makes a U early; a slow group with strong signal descends much later: together,
///    descent, ascent, descent. The iterates come in closed form from the eigendecomposition,
///    w_t = V·diag((1 − (1 − ηλ)^t)/λ)·Vᵀ Xᵀy/n, and the risk is exact: (w − β)ᵀΣ(w − β) + σ².
public struct EpochWise: Codable, Sendable {
    /// Dataset spec, with class labels (the reported setting: 4,000 Fashion-MNIST images).
    public var data: String
    /// The network, a model spec (e.g. mlp:512).
    public var model: String
    /// Epochs each network trains, with no early stopping.
    public var epochs: Int
    /// Test and training error are recorded on a geometric grid of this many epochs per decade
    /// (and at the last); nil: after every epoch. The grid costs under a third of the evaluations
    /// at 300 epochs and leaves the peak fewer places to be picked from, so its bound is less
    /// strict (2026-12-07, after the CNN's default verdict came out inconclusive: its
    /// evaluations were over half its time and its bound was adjusted over 298 candidate peaks).
    public var evaluationsPerDecade: Int?
    /// Fraction of training labels replaced by a uniform random class.
    public var labelNoise: Double
    /// Networks (seeds) averaged over.
    public var seeds: Int
    /// Learning rate, constant.
    public var learningRate: Double
    /// The optimizer: sgd (momentum 0.9), adam or adamw.
    public var optimizer: OptimizerConfig.Kind
    /// Minibatch size.
    public var batchSize: Int
    /// The linear model with features at two scales, where epoch-wise double descent has an exact explanation (Heckel &
    /// Yilmaz).
    public var linear: TwoScaleRegression

    public init(
        data: String = "fashion-mnist:train=4000,test=10000", model: String = "mlp:512", epochs: Int = 300,
        evaluationsPerDecade: Int? = 60, labelNoise: Double = 0.2, seeds: Int = 5,
        learningRate: Double = 1e-3, optimizer: OptimizerConfig.Kind = .adam, batchSize: Int = 128,
        linear: TwoScaleRegression = TwoScaleRegression()
    ) {
        self.data = data
        self.model = model
        self.epochs = epochs
        self.evaluationsPerDecade = evaluationsPerDecade
        self.labelNoise = labelNoise
        self.seeds = seeds
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.linear = linear
    }

    public func validate() throws {
        guard labelNoise >= 0 && labelNoise <= 1 else {
            throw GenLabError.parameter(name: "labelNoise", problem: "must be in [0, 1], got \(labelNoise)")
        }
        guard epochs >= 3 else { throw GenLabError.parameter(name: "epochs", problem: "must be ≥ 3, got \(epochs)") }
        try TrainingConfig.validate(evaluationsPerDecade: evaluationsPerDecade)
        guard seeds >= 1 else { throw GenLabError.parameter(name: "seeds", problem: "must be ≥ 1, got \(seeds)") }
        guard learningRate > 0, batchSize >= 1 else {
            throw GenLabError.usage("the learning rate must be > 0 and the batch ≥ 1")
        }
        _ = try ModelSpec(parsing: model)
        try linear.validate()
    }

    /// One network's curves: the epochs recorded and its test and training errors there.
    public struct Curve: Codable, Sendable {
        var epochs: [Int]
        var testError: [Double]
        var trainError: [Double]
    }

    /// The two-scale linear model's measurement (`TwoScaleRegression.run`): its table, the mean
    /// exact risk at its record steps, the shape of the risk curves over its training sets, and
    /// the worst gap between the measured and the exact excess risk.
    public struct Linear: Codable, Sendable {
        var steps: [Int]
        var risk: [Double]
        var table: Table
        var shape: DescentShape
        var worstMeasuredGap: Double
    }

    /// The networks' curves (one per seed), the test set's size, and the linear model.
    public struct Outcomes: Codable, Sendable {
        var testCount: Int
        var networks: [Curve]
        var linear: Linear
    }

    /// The linear model, then one network per seed, in parallel; publishes the first seeds to
    /// finish as a run with that many seeds.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let clean = try context.load(data, for: name)
        let progress = context.progress
        let networks = context.networks
        let trainer = context.trainer
        var split = clean
        if labelNoise > 0 { split.train = try clean.train.withLabelNoise(labelNoise, seed: 1) }
        let spec = try ModelSpec(parsing: model)
        let frozen = split
        let cfg = self
        let fingerprint = split.fingerprint
        let done = Counter()
        let l = linear.run()
        let linearRun = Linear(
            steps: l.steps, risk: l.risk, table: l.table, shape: l.shape,
            worstMeasuredGap: l.worstMeasuredGap)
        progress.report("linear model done", 0.1)
        let live = liveUnits(context, count: seeds) { (done: [Curve]) in
            var part = self
            part.seeds = done.count
            return (
                part, Outcomes(testCount: frozen.test.count, networks: done, linear: linearRun),
                partialNote(done.count, of: seeds, "seeds")
            )
        }
        let curves: [Curve] = parallelMap(seeds) { s in
            let net: Network<Float> = try! spec.network(
                for: frozen.train, imageShape: frozen.sampleShape, initialization: .heUniform, seed: UInt64(s))
            // A constant rate, no decay, no early stopping: the setting of the reports.
            var config = TrainingConfig(
                epochs: cfg.epochs, batchSize: cfg.batchSize,
                optimizer: OptimizerConfig(kind: cfg.optimizer, learningRate: cfg.learningRate, momentum: 0.9),
                seed: UInt64(s), evaluateEvery: 1)
            config.evaluationsPerDecade = cfg.evaluationsPerDecade
            let recipe = TrainingRecipe(
                data: fingerprint,
                architecture: TrainingRecipe.architecture(
                    of: net, initialization: .heUniform, seed: UInt64(s), batch: config.batchSize), training: config)
            let train = { (n: Network<Float>) in trainer(config).train(n, train: frozen.train, test: frozen.test) }
            let r = networks.map { $0.trained(recipe, network: net, train: train).run } ?? train(net)
            let k = done.increment()
            progress.report("\(k)/\(cfg.seeds) networks", 0.1 + 0.9 * Double(k) / Double(cfg.seeds))
            let curve = Curve(
                epochs: r.records.map(\.epoch), testError: r.records.map(\.testError),
                trainError: r.records.map(\.trainError))
            live.finished(s, curve)
            return curve
        }
        return Measured(Outcomes(testCount: split.test.count, networks: curves, linear: linearRun))
    }

    /// The networks' curves cut to the shortest, and what the network verdict reads of them.
    struct NetworkCurves {
        var length: Int, epochs: [Int], test: [[Double]], train: [[Double]]
        /// The curves smoothed over ±10% of the epoch (of the records there), and their mean.
        var smooth: [[Double]], meanSmooth: [Double]
        init(_ runs: [Curve]) {
            length = runs.map(\.epochs.count).min()!
            let n = length
            epochs = runs[0].epochs
            test = runs.map { Array($0.testError.prefix(n)) }
            train = runs.map { Array($0.trainError.prefix(n)) }
            let at = Array(epochs.prefix(n))
            smooth = test.map { DescentShape.smoothed($0, epochs: at) }
            let s = smooth
            meanSmooth = (0..<n).map { j in Stats.mean(s.map { $0[j] }) }
        }
    }

    /// Both verdicts, the network's table beside the linear model's, and their figures.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        let c = NetworkCurves(o.networks)
        var net = Table(name: "network", columns: ["epoch", "test_error", "test_lower", "test_upper", "train_error"])
        for j in 0..<c.length {
            let t = c.test.map { $0[j] }
            let ci = seeds > 1 ? Stats.tInterval(t) : Interval(estimate: t[0], lower: t[0], upper: t[0], level: 0.95)
            net.append([
                JSONValue(c.epochs[j]), JSONValue(ci.estimate), JSONValue(ci.lower), JSONValue(ci.upper),
                JSONValue(Stats.mean(c.train.map { $0[j] })),
            ])
        }
        let meanFinal = Stats.mean(c.test.map { $0[c.length - 1] })
        let netShape = DescentShape.find(
            c.smooth, fallbackSE: (2 * meanFinal * (1 - meanFinal) / Double(o.testCount)).squareRoot())!
        let network = networkVerdict(c, shape: netShape)
        let ls = o.linear.shape
        let figures = [
            FigureSpec(
                file: "epochs_network.svg", title: "Epoch-wise: \(model) with \(Int(labelNoise * 100))% label noise",
                table: "network", x: "epoch",
                xLabel: "epoch", yLabel: "error", xLog: true,
                series: [
                    .init(y: "test_error", label: "test (95% CI over seeds)", lower: "test_lower", upper: "test_upper"),
                    .init(y: "train_error", label: "train", dashed: true),
                ]),
            FigureSpec(
                file: "epochs_linear.svg", title: "Epoch-wise: gradient descent on two feature scales", table: "linear",
                x: "step",
                xLabel: "gradient-descent step", yLabel: "excess risk (test MSE − σ²)", xLog: true,
                series: [
                    .init(
                        y: "excess_risk", label: "exact (95% CI over training sets)", lower: "excess_risk_lower",
                        upper: "excess_risk_upper"),
                    .init(y: "measured_excess", label: "measured on fresh samples", dashed: true, markers: true),
                    .init(y: "fast_part", label: "fast features' part (scale 1)", dashed: true),
                    .init(y: "slow_part", label: "slow features' part (scale \(linear.slowScale))", dashed: true),
                ]),
        ]
        // The configuration is the experiment value itself (`execute` records it).
        let metrics = [
            "network_rise": JSONValue(netShape.rise), "network_fall": JSONValue(netShape.fall),
            "early_stopping_gap": JSONValue(network.values["early_stopping_gap"]!),
            "linear_rise": JSONValue(ls.rise), "linear_fall": JSONValue(ls.fall),
        ]
        return ExperimentResult(
            experiment: "double-descent-epochs", configuration: [:], seed: 0, metrics: metrics,
            verdicts: [network, linearVerdict(o.linear)], command: "", figures: figures,
            tables: [net, o.linear.table], seconds: 0
        ).noting(measured.notes)
    }

    /// The network's descent–ascent–descent, with its precondition: the early-stopping gap.
    func networkVerdict(_ c: NetworkCurves, shape netShape: DescentShape) -> Verdict {
        let length = c.length
        let smooth = c.smooth
        let meanSmooth = c.meanSmooth
        let epochAt = { (j: Int) in c.epochs[j] }
        let interpolation = (0..<length).first { j in c.train.allSatisfy { $0[j] == 0 } }.map(epochAt)
        func pct(_ j: Int) -> Double { Stats.mean(smooth.map { $0[j] }) * 100 }
        // The precondition: the network overfits its noisy labels (final above the best epoch).
        let best = meanSmooth.indices.min { meanSmooth[$0] < meanSmooth[$1] }!
        let earlyStoppingGap = meanSmooth[length - 1] - meanSmooth[best]
        // After the best epoch: the highest point and how much of it is given back by the end (the
        // second descent, if any), described beside the rule's own choice of peak.
        let latePeak = best + 1 < length ? ((best + 1)..<length).max { meanSmooth[$0] < meanSmooth[$1] }! : best
        let lateFall = meanSmooth[latePeak] - meanSmooth[length - 1]
        let relapses = Self.relapses(c)
        // The least rise or fall that matters: 1 point of test error.
        let netRule = netShape.verdict(margin: 0.01, points: true)
        return Verdict(
            .finding,
            claim:
                "Epoch-wise double descent in a network: with noisy labels the test error falls, rises, and falls "
                + "again over training.",
            supported: netRule.supported,
            evidence: String(
                format:
                    "%@ (%@ %g, batch %d, %.0f%% label noise), %d seeds, curves smoothed over ±10%% of the epoch: "
                    + "test error %.1f%% at epoch %d, %.1f%% at epoch %d, %.1f%% at epoch %d; rise %.2f ± %.2f "
                    + "points, fall %.2f ± %.2f (bounds adjusted for choosing the peak): %@. %@",
                model, optimizer.rawValue, learningRate, batchSize, labelNoise * 100, seeds, pct(netShape.firstMinimum),
                epochAt(netShape.firstMinimum), pct(netShape.peak), epochAt(netShape.peak),
                pct(netShape.secondMinimum), epochAt(netShape.secondMinimum), netShape.rise * 100,
                netShape.riseHalfWidth * 100,
                netShape.fall * 100, netShape.fallHalfWidth * 100, netRule.reason,
                interpolation.map { "Every seed fits its noisy training labels from epoch \($0)." }
                    ?? "The training labels are not fitted exactly.")
                + relapses.map { r in
                    String(
                        format:
                            " Seed %d lost its fit after fitting: training error back up to %.1f%% at epoch %d, "
                            + "%.1f%% at the end (its test error %.1f%% there, %.1f%% at the end).",
                        r.seed, r.trainError * 100, epochAt(r.index), c.train[r.seed][length - 1] * 100,
                        c.test[r.seed][r.index] * 100, c.test[r.seed][length - 1] * 100)
                }.joined()
                + String(
                    format:
                        " Precondition, the early-stopping gap: best %.1f%% at epoch %d, final %.1f%% (%+.1f "
                        + "points)%@. After the best epoch the mean curve is highest at epoch %d (%.1f%%) and "
                        + "gives back %.2f points of it by the end.",
                    meanSmooth[best] * 100, epochAt(best), meanSmooth[length - 1] * 100, earlyStoppingGap * 100,
                    earlyStoppingGap < 0.01
                        ? " — under a point: the network barely overfits, so there is little rise to see" : "",
                    epochAt(latePeak), meanSmooth[latePeak] * 100, lateFall * 100),
            values: [
                "mde": netRule.mde, "rise": netShape.rise, "fall": netShape.fall,
                "peak_epoch": Double(epochAt(netShape.peak)), "early_stopping_gap": earlyStoppingGap,
                "best_epoch": Double(epochAt(best)), "late_fall": lateFall, "relapsed_seeds": Double(relapses.count),
            ])
    }

    /// The seeds that fit their training labels and later lost the fit (training error above 5%
    /// again: Adam at a constant rate can spike long after interpolation), each at its worst
    /// record after its first fit. Said in the evidence, since such a spike moves the mean curve
    /// late in training, where the second descent is looked for.
    static func relapses(_ c: NetworkCurves) -> [(seed: Int, index: Int, trainError: Double)] {
        c.train.indices.compactMap { s in
            let train = c.train[s]
            guard let fit = train.firstIndex(of: 0), fit + 1 < train.count else { return nil }
            let worst = ((fit + 1)..<train.count).max { train[$0] < train[$1] }!
            return train[worst] > 0.05 ? (s, worst, train[worst]) : nil
        }
    }

    /// The two-scale linear model's descent–ascent–descent (Heckel & Yilmaz).
    func linearVerdict(_ l: Linear) -> Verdict {
        let ls = l.shape
        // The least rise or fall that matters: 5% of the peak risk.
        let lsRule = ls.verdict(margin: 0.05 * l.risk[ls.peak])
        return Verdict(
            .finding,
            claim:
                "Gradient descent on features of two scales shows epoch-wise double descent: an early U from the fast "
                + "features, a late descent from the slow ones (Heckel & Yilmaz).",
            supported: lsRule.supported,
            evidence: String(
                format:
                    "Exact excess risk (w − β)ᵀΣ(w − β), mean of %d training sets: %.3f at step %d, %.3f at "
                    + "step %d, %.3f at step %d (rise %.3f ± %.3f, fall %.3f ± %.3f, bounds adjusted for "
                    + "choosing the peak: %@); the test MSE on %d fresh samples, less σ², agrees to %.3f at worst.",
                linear.trials, l.risk[ls.firstMinimum], l.steps[ls.firstMinimum], l.risk[ls.peak], l.steps[ls.peak],
                l.risk[ls.secondMinimum], l.steps[ls.secondMinimum], ls.rise, ls.riseHalfWidth, ls.fall,
                ls.fallHalfWidth, lsRule.reason,
                linear.testCount, l.worstMeasuredGap),
            values: ["rise": ls.rise, "fall": ls.fall, "peak_step": Double(l.steps[ls.peak]), "mde": lsRule.mde])
    }
}

extension EpochWise: LiveMeasurement {
    public var name: String { "double-descent-epochs" }
}

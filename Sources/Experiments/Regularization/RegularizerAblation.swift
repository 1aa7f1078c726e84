import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// What regularizes a network, one change at a time (Zhang et al. 2017, §3, at CPU scale): the
/// same MLP trained the same way with nothing added, then with dropout, weight decay, early
/// stopping on a validation split, a small batch (more SGD noise), shift augmentation, and — for
/// the architecture — a CNN in its place, on the real signals and on signals whose positions are
/// shuffled (where the CNN's prior of local, translation-equivariant features is wrong). The
/// regularized network is also trained on random labels. Comparisons are paired by seed (the same
/// initialization and data order where the model is the same).
public struct RegularizerAblation: Codable, Sendable {
    public var data: String
    public var width: Int
    /// The CNN of the architecture comparison (a model spec).
    public var cnn: String
    public var epochs: Int
    public var learningRate: Double
    public var batchSize: Int
    public var smallBatch: Int
    public var dropout: Double
    public var weightDecay: Double
    public var validationFraction: Double
    public var patience: Int
    public var shifts: [Int]
    public var seeds: Int

    public init(data: String = "mnist1d:train=1000,test=1000", width: Int = 256, cnn: String = "cnn1d:32x32,kernel=5,stride=2", epochs: Int = 100,
                learningRate: Double = 0.05, batchSize: Int = 128, smallBatch: Int = 16, dropout: Double = 0.3, weightDecay: Double = 5e-4,
                validationFraction: Double = 0.2, patience: Int = 10, shifts: [Int] = [-3, -2, -1, 1, 2, 3], seeds: Int = 3) {
        self.data = data; self.width = width; self.cnn = cnn; self.epochs = epochs; self.learningRate = learningRate; self.batchSize = batchSize
        self.smallBatch = smallBatch; self.dropout = dropout; self.weightDecay = weightDecay; self.validationFraction = validationFraction
        self.patience = patience; self.shifts = shifts; self.seeds = seeds
    }

    public enum Condition: String, Codable, Sendable, CaseIterable {
        case none, dropout, weightDecay = "weight-decay", earlyStopping = "early-stopping", smallBatch = "small-batch", augmentation
        case cnn, mlpShuffled = "mlp-shuffled-positions", cnnShuffled = "cnn-shuffled-positions"
        /// Dropout and weight decay together, on random labels.
        case regularizedRandomLabels = "regularized-random-labels"
        static let regularizers: [Condition] = [.dropout, .weightDecay, .earlyStopping, .smallBatch, .augmentation]
    }

    struct Run: Codable, Sendable {
        var condition: Condition, seed: Int
        var trainError: Double, testError: Double, parameterNorm: Double, epochs: Int
        var gap: Double { testError - trainError }
    }

    /// "Far above chance": the unregularized network's test error at least this far below chance.
    static let farAboveChance = 0.25
    /// "Fits random labels": training error at most this, within `randomLabelEpochs` × the epochs.
    static let fits = 0.05
    static let randomLabelEpochs = 3
}

extension RegularizerAblation: Experiment {
    public var name: String { "regularizers" }

    public func validate() throws {
        _ = try ModelSpec(parsing: cnn)
        guard width >= 1, epochs >= 1, batchSize >= 1, smallBatch >= 1, smallBatch < batchSize else {
            throw GenLabError.usage("width, epochs ≥ 1 and 1 ≤ small batch < batch, got \(width), \(epochs), \(smallBatch), \(batchSize)")
        }
        guard dropout > 0 && dropout < 1, weightDecay > 0, learningRate > 0 else { throw GenLabError.usage("dropout in (0, 1), weight decay and learning rate > 0") }
        guard validationFraction > 0 && validationFraction < 1, patience >= 1 else { throw GenLabError.usage("validation fraction in (0, 1) and patience ≥ 1") }
        guard seeds >= 2 else { throw GenLabError.usage("paired intervals need at least 2 seeds, got \(seeds)") }
    }

    public func run(_ context: RunContext) throws -> ExperimentResult {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else { throw GenLabError.usage("the ablation needs a classification data set, got \(data)") }
        // Shuffled positions: one fixed permutation of the features, train and test alike.
        var g = Generator(seed: 7, stream: 16)
        var order = Array(0..<split.train.featureCount)
        g.shuffle(&order)
        var permuted = split
        permuted.train = split.train.withFeaturesPermuted(order); permuted.test = split.test.withFeaturesPermuted(order)
        let shuffled = permuted
        let started = Timing.now()
        let jobs = (0..<seeds).flatMap { s in Condition.allCases.map { (condition: $0, seed: s) } }
        let counter = Counter()
        let runs: [Run] = try parallelMap(jobs.count) { i -> Result<Run, Error> in
            defer { let k = counter.increment(); context.progress.report("\(k) of \(jobs.count) networks", Double(k) / Double(jobs.count)) }
            let c = jobs[i].condition
            return Result { try train(c == .mlpShuffled || c == .cnnShuffled ? shuffled : split, c, seed: jobs[i].seed) }
        }.map { try $0.get() }
        return result(runs, classes: split.train.classCount, seconds: Timing.now() - started, command: context.command)
    }

    func train(_ split: DataSplit, _ c: Condition, seed: Int) throws -> Run {
        let s = UInt64(seed)
        var train = split.train, validation: Dataset? = nil
        var model = "mlp:\(width)", batch = batchSize, decay = 0.0, patience: Int? = nil
        switch c {
        case .none, .mlpShuffled: break
        case .dropout: model += ",dropout=\(dropout)"
        case .weightDecay: decay = weightDecay
        case .earlyStopping:
            let held = try split.withValidationSplit(validationFraction, seed: s)
            train = held.train; validation = held.validation; patience = self.patience
        case .smallBatch: batch = smallBatch
        case .augmentation: train = train.withShiftedCopies(shifts)
        case .cnn, .cnnShuffled: model = cnn
        case .regularizedRandomLabels:
            model += ",dropout=\(dropout)"; decay = weightDecay
            train = try train.withRandomLabels(seed: s &+ 100)
        }
        let net: Network<Float> = try ModelSpec(parsing: model).network(for: train, seed: s)
        // Augmentation multiplies the samples per epoch: the same number of steps as without.
        // Random labels get `randomLabelEpochs` times the epochs: memorizing noise is slower.
        let epochCount = c == .augmentation ? max(1, epochs / (1 + shifts.count)) : (c == .regularizedRandomLabels ? Self.randomLabelEpochs * epochs : epochs)
        let config = TrainingConfig(epochs: epochCount, batchSize: batch, optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9, weightDecay: decay),
                                    seed: s, earlyStoppingPatience: patience, evaluateEvery: patience == nil ? epochCount : 1)
        let r = Trainer<Float>(config).train(net, train: train, test: split.test, validation: validation)
        let trainError = net.evaluate(train).error
        let theta = net.parameterArray
        return Run(condition: c, seed: seed, trainError: trainError, testError: r.final?.testError ?? .nan,
                   parameterNorm: theta.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot(), epochs: r.final?.epoch ?? 0)
    }

    /// Per seed, (a's value, b's value).
    func paired(_ runs: [Run], _ a: Condition, _ b: Condition, _ v: (Run) -> Double) -> [(Double, Double)] {
        (0..<seeds).compactMap { s in
            guard let x = runs.first(where: { $0.condition == a && $0.seed == s }), let y = runs.first(where: { $0.condition == b && $0.seed == s }) else { return nil }
            return (v(x), v(y))
        }
    }

    func result(_ runs: [Run], classes k: Int, seconds: Double, command: String) -> ExperimentResult {
        func of(_ c: Condition) -> [Run] { runs.filter { $0.condition == c } }
        func interval(_ x: [Double]) -> Interval { Stats.tInterval(x) }
        var verdicts = [Verdict]()
        for reg in Condition.regularizers {
            let p = paired(runs, reg, .none) { $0.testError }
            let d = p.map { $0 - $1 }
            let rule = VerdictRules.belowEverywhere(samples: [d], limits: [0])
            let ci = interval(d)
            verdicts.append(Verdict(claim: "\(Self.describe(reg)) lowers the test error relative to no regularization.",
                                    supported: rule.supported,
                                    evidence: String(format: "Test error %@ − none, paired over %d seeds: %+.4f, 95%% CI [%+.4f, %+.4f] (none: %.4f); %@.",
                                                     reg.rawValue, d.count, ci.estimate, ci.lower, ci.upper, Stats.mean(of(.none).map(\.testError)), rule.reason),
                                    values: rule.values.merging(["mean_difference": ci.estimate]) { a, _ in a }))
        }
        // The CNN's advantage over the MLP, on true and on shuffled positions, per seed.
        let advantage = paired(runs, .none, .cnn) { $0.testError }.map { $0 - $1 }
        let shuffledAdvantage = paired(runs, .mlpShuffled, .cnnShuffled) { $0.testError }.map { $0 - $1 }
        let lost = zip(shuffledAdvantage, advantage).map { $0 - $1 }
        let cnnBetter = VerdictRules.belowEverywhere(samples: [advantage.map { -$0 }], limits: [0])
        let priorRule = cnnBetter.supported == true ? VerdictRules.belowEverywhere(samples: [lost], limits: [0]) : RuleOutcome(supported: nil, values: [:], reason: "the CNN is not better on the true positions: " + cnnBetter.reason)
        let a = interval(advantage), sa = interval(shuffledAdvantage)
        verdicts.append(Verdict(claim: "Architecture is a regularizer through its prior: the CNN beats the MLP on the signals, and the advantage shrinks when positions are shuffled (its prior of local features no longer holds).",
                                supported: priorRule.supported,
                                evidence: String(format: "Test error MLP − CNN: %+.4f [%+.4f, %+.4f] on true positions, %+.4f [%+.4f, %+.4f] on shuffled positions (paired over %d seeds); %@.",
                                                 a.estimate, a.lower, a.upper, sa.estimate, sa.lower, sa.upper, lost.count, priorRule.reason),
                                values: priorRule.values.merging(["advantage": a.estimate, "shuffled_advantage": sa.estimate]) { x, _ in x }))
        // Neither necessary nor sufficient.
        let chance = 1 - 1 / Double(k)
        let none = interval(of(.none).map(\.testError))
        let necessary = VerdictRules.holds(none.upper, atMost: chance - Self.farAboveChance, what: "the unregularized test error's upper 95% bound")
        let worstRandom = of(.regularizedRandomLabels).map(\.trainError).max() ?? .nan
        // Still above the line after the budget is no evidence that it cannot fit (more epochs, or
        // more width at this sample size, might): inconclusive, as in `RandomLabels`.
        let sufficient = VerdictRules.holds(worstRandom, atMost: Self.fits, what: "the regularized network's largest training error on random labels", budgetShort: true,
                                            why: " after \(Self.randomLabelEpochs * epochs) epochs (not fitted yet)")
        let both: Bool? = necessary.supported == false || sufficient.supported == false ? false : (necessary.supported == true && sufficient.supported == true ? true : nil)
        verdicts.append(Verdict(claim: "Explicit regularization is neither necessary nor sufficient: without it the network already generalizes far above chance, and with dropout and weight decay it still fits random labels (training error ≤ \(Int(Self.fits * 100))% within \(Self.randomLabelEpochs)× the epochs).",
                                supported: both,
                                evidence: String(format: "No regularization: test error %.4f [%.4f, %.4f] against chance %.3f (%@); dropout %g and weight decay %g on random labels: training error %.4f at worst (%@).",
                                                 none.estimate, none.lower, none.upper, chance, necessary.reason, dropout, weightDecay, worstRandom, sufficient.reason),
                                values: ["none_test_error": none.estimate, "regularized_random_train_error": worstRandom]))
        var table = Table(name: "runs", columns: ["condition", "condition_index", "seed", "train_error", "test_error", "gap", "parameter_norm", "epochs"])
        for r in runs { table.append([.string(r.condition.rawValue), JSONValue(Condition.allCases.firstIndex(of: r.condition)!), JSONValue(r.seed), JSONValue(r.trainError), JSONValue(r.testError), JSONValue(r.gap), JSONValue(r.parameterNorm), JSONValue(r.epochs)]) }
        var summary = Table(name: "by_condition", columns: ["condition", "test_error", "test_error_lower", "test_error_upper", "gap", "parameter_norm"])
        for (i, c) in Condition.allCases.enumerated() {
            let rs = of(c)
            guard !rs.isEmpty else { continue }
            let t = interval(rs.map(\.testError))
            summary.append([.string("\(i) \(c.rawValue)"), JSONValue(t.estimate), JSONValue(t.lower), JSONValue(t.upper), JSONValue(Stats.mean(rs.map(\.gap))), JSONValue(Stats.mean(rs.map(\.parameterNorm)))])
        }
        let figure = FigureSpec(file: "test_error.svg", title: "Test error of every run, by condition", kind: .scatter, table: "runs", x: "condition_index",
                                xLabel: "condition (0 none, 1 dropout, 2 L2, 3 early stopping, 4 small batch, 5 shifts, 6 CNN, 7–8 shuffled MLP/CNN, 9 random labels)", yLabel: "test error",
                                series: [.init(y: "test_error", label: "one run (seed)")])
        return ExperimentResult(experiment: name, configuration: [:], seed: 0,
                                metrics: ["none_test_error": JSONValue(none.estimate), "cnn_advantage": JSONValue(a.estimate), "cnn_shuffled_advantage": JSONValue(sa.estimate),
                                          "regularized_random_train_error": JSONValue(worstRandom)],
                                verdicts: verdicts, command: command, figures: [figure], tables: [table, summary], seconds: seconds,
                                references: [Reference(source: "Zhang, Bengio, Hardt, Recht & Vinyals (2017), Table 1 and §3",
                                                       value: "on CIFAR-10, removing weight decay, augmentation and dropout raises test error by a few points; regularized networks still fit random labels",
                                                       what: "their setting: Inception and AlexNet-style networks; here an MLP and a small CNN on MNIST-1D")])
    }

    static func describe(_ c: Condition) -> String {
        switch c {
        case .dropout: return "Dropout"
        case .weightDecay: return "Weight decay (L2)"
        case .earlyStopping: return "Early stopping on a validation split"
        case .smallBatch: return "A small batch (more SGD noise)"
        case .augmentation: return "Shift augmentation"
        default: return c.rawValue
        }
    }
}

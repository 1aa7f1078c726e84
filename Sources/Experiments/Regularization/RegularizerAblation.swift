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
///
/// The data's layout decides what applies (`DataSplit.sampleShape`): on 1-D signals (MNIST-1D)
/// every condition; on images (Fashion-MNIST) augmentation translates along rows and columns, and
/// the architecture comparison runs when `cnn` is a 2-D CNN (`cnn2d:`; a 1-D one is left out on
/// images); on plain vectors neither.
public struct RegularizerAblation: Codable, Sendable {
    /// Dataset spec, with class labels (MNIST-1D: 1-D shifts; an image set: shifts along rows and columns).
    public var data: String
    /// Hidden width of the MLPs (two hidden layers).
    public var width: Int
    /// The CNN of the architecture comparison (a model spec): cnn1d for signals, cnn2d for images.
    public var cnn: String
    /// Epochs each network trains.
    public var epochs: Int
    /// Learning rate (SGD, momentum 0.9).
    public var learningRate: Double
    /// Minibatch size of every condition but the small-batch one.
    public var batchSize: Int
    /// Minibatch size of the small-batch condition.
    public var smallBatch: Int
    /// Dropout rate of the dropout condition (after each hidden layer).
    public var dropout: Double
    /// L2 weight decay of the weight-decay condition.
    public var weightDecay: Double
    /// Fraction of the training set held out for early stopping.
    public var validationFraction: Double
    /// Early stopping: evaluations without improvement before stopping.
    public var patience: Int
    /// Shifts of the augmentation, in positions: each rolls a 1-D signal once, and moves an
    /// image once down the rows and once along the columns.
    public var shifts: [Int]
    /// Seeds per condition (paired across conditions).
    public var seeds: Int

    public init(
        data: String = "mnist1d:train=1000,test=1000", width: Int = 256, cnn: String = "cnn1d:32x32,kernel=5,stride=2",
        epochs: Int = 100,
        learningRate: Double = 0.05, batchSize: Int = 128, smallBatch: Int = 16, dropout: Double = 0.3,
        weightDecay: Double = 5e-4,
        validationFraction: Double = 0.2, patience: Int = 10, shifts: [Int] = [-3, -2, -1, 1, 2, 3], seeds: Int = 3
    ) {
        self.data = data
        self.width = width
        self.cnn = cnn
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.smallBatch = smallBatch
        self.dropout = dropout
        self.weightDecay = weightDecay
        self.validationFraction = validationFraction
        self.patience = patience
        self.shifts = shifts
        self.seeds = seeds
    }

    /// One change to the plain network (or none), measured against it.
    public enum Condition: String, Codable, Sendable, CaseIterable {
        case none, dropout
        case weightDecay = "weight-decay"
        case earlyStopping = "early-stopping"
        case smallBatch = "small-batch"
        case augmentation
        case cnn
        case mlpShuffled = "mlp-shuffled-positions"
        case cnnShuffled = "cnn-shuffled-positions"
        /// Dropout and weight decay together, on random labels.
        case regularizedRandomLabels = "regularized-random-labels"
        static let regularizers: [Condition] = [.dropout, .weightDecay, .earlyStopping, .smallBatch, .augmentation]
        static let architecture: [Condition] = [.cnn, .mlpShuffled, .cnnShuffled]
    }

    /// What the layout of a sample allows: shifts need positions, a CNN a signal (cnn1d) or, with
    /// `imageCNN` (the `cnn` spec is a cnn2d), images.
    static func conditions(for shape: [Int]?, imageCNN: Bool = false) -> [Condition] {
        Condition.allCases.filter { c in
            if c == .augmentation { return shape != nil }
            if Condition.architecture.contains(c) { return shape?.count == 1 || (shape?.count == 2 && imageCNN) }
            return true
        }
    }

    /// Why a condition is missing, for the report.
    static func omissions(for shape: [Int]?, imageCNN: Bool = false) -> [String] {
        guard let shape else {
            return [
                "The samples have no positions (neither MNIST-1D's signals nor Fashion-MNIST's images, or shuffled "
                    + "ones): no shift augmentation and no CNN comparison."
            ]
        }
        if shape.count == 2 {
            return [
                "Images: augmentation translates each image along its rows and its columns, zeros filling in."
                    + (imageCNN
                        ? " The CNN is 2-D; its shuffled twin sees the same "
                            + "fixed permutation of the pixels as the shuffled MLP."
                        : " The architecture comparison is left out: the CNN "
                            + "given is 1-D (give --cnn cnn2d:… for a 2-D one).")
            ]
        }
        return []
    }

    /// Whether `cnn` is a CNN on images (cnn2d).
    var imageCNN: Bool { (try? ModelSpec(parsing: cnn))?.readsImages ?? false }


    public struct Run: Codable, Sendable {
        var condition: Condition, seed: Int
        var trainError: Double, testError: Double, parameterNorm: Double, epochs: Int
        var gap: Double { testError - trainError }
    }

    /// "Far above chance": the unregularized network's test error at least this far below chance.
    static let farAboveChance = 0.25
    /// "Fits random labels": training error at most this, within `randomLabelEpochs` × the epochs.
    static let fits = 0.05
    static let randomLabelEpochs = 3
    /// The least reduction of test error (a fraction, 0.01 = one point) that counts as a
    /// regularizer "buying" something; a paired interval excluding it concludes "buys nothing".
    static let leastBenefit = 0.01
}

extension RegularizerAblation: LiveMeasurement, RepeatedOverSeeds {
    public var name: String { "regularizers" }

    public func validate() throws {
        _ = try ModelSpec(parsing: cnn)
        guard width >= 1, epochs >= 1, batchSize >= 1, smallBatch >= 1, smallBatch < batchSize else {
            throw GenLabError.usage(
                "width, epochs ≥ 1 and 1 ≤ small batch < batch, got "
                    + "\(width), \(epochs), \(smallBatch), \(batchSize)")
        }
        guard dropout > 0 && dropout < 1, weightDecay > 0, learningRate > 0 else {
            throw GenLabError.usage("dropout in (0, 1), weight decay and learning rate > 0")
        }
        guard validationFraction > 0 && validationFraction < 1, patience >= 1 else {
            throw GenLabError.usage("validation fraction in (0, 1) and patience ≥ 1")
        }
        guard seeds >= 2 else { throw GenLabError.usage("paired intervals need at least 2 seeds, got \(seeds)") }
        guard !shifts.isEmpty, !shifts.contains(0) else {
            throw GenLabError.usage("the augmentation needs non-zero shifts, got \(shifts)")
        }
    }

    /// Every run, the number of classes and the samples' shape (images: the conditions differ).
    public struct Outcomes: Codable, Sendable {
        var classes: Int
        var shape: [Int]?
        var runs: [Run]
    }

    /// Trains every condition and seed, in parallel.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else {
            throw GenLabError.usage("the ablation needs a classification data set, got \(data)")
        }
        if let shape = split.sampleShape, shape.count == 2,
            shifts.contains(where: { abs($0) >= min(shape[0], shape[1]) })
        {
            throw GenLabError.usage(
                "shifts \(shifts) move a \(shape[0])×\(shape[1]) image off itself; give shifts smaller than its sides")
        }
        let conditions = Self.conditions(for: split.sampleShape, imageCNN: imageCNN)
        // Shuffled positions: one fixed permutation of the features, train and test alike.
        var g = Generator(seed: 7, stream: 16)
        var order = Array(0..<split.train.featureCount)
        g.shuffle(&order)
        var permuted = split
        permuted.train = split.train.withFeaturesPermuted(order)
        permuted.test = split.test.withFeaturesPermuted(order)
        let shuffled = permuted
        let jobs = (0..<seeds).flatMap { s in conditions.map { (condition: $0, seed: s) } }
        let counter = Counter()
        let live = liveSeeds(context, perSeed: conditions.count) {
            Outcomes(classes: split.train.classCount, shape: split.sampleShape, runs: $0)
        }
        let runs: [Run] = try parallelMap(jobs.count) { i -> Result<Run, Error> in
            defer {
                let k = counter.increment()
                context.progress.report("\(k) of \(jobs.count) networks", Double(k) / Double(jobs.count))
            }
            let c = jobs[i].condition
            return Result {
                try train(
                    c == .mlpShuffled || c == .cnnShuffled ? shuffled : split, c, seed: jobs[i].seed,
                    events: context.events)
            }.publishing(i, to: live)
        }.map { try $0.get() }
        return Measured(Outcomes(classes: split.train.classCount, shape: split.sampleShape, runs: runs))
    }

    /// One verdict per regularizer and the random-label check, from the runs alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        return result(o.runs, classes: o.classes, shape: o.shape, seconds: 0, command: "").noting(measured.notes)
    }

    func train(_ split: DataSplit, _ c: Condition, seed: Int, events: TrainingEvents?) throws -> Run {
        let s = UInt64(seed)
        var train = split.train
        var validation: Dataset? = nil
        var model = "mlp:\(width)"
        var batch = batchSize
        var decay = 0.0
        var patience: Int? = nil
        switch c {
        case .none, .mlpShuffled: break
        case .dropout: model += ",dropout=\(dropout)"
        case .weightDecay: decay = weightDecay
        case .earlyStopping:
            let held = try split.withValidationSplit(validationFraction, seed: s)
            train = held.train
            validation = held.validation
            patience = self.patience
        case .smallBatch: batch = smallBatch
        case .augmentation: train = augmented(train, shape: split.sampleShape)
        case .cnn, .cnnShuffled: model = cnn
        case .regularizedRandomLabels:
            model += ",dropout=\(dropout)"
            decay = weightDecay
            train = try train.withRandomLabels(seed: s &+ 100)
        }
        let net: Network<Float> = try ModelSpec(parsing: model).network(
            for: train, imageShape: split.sampleShape, seed: s)
        // Augmentation multiplies the samples per epoch: the same number of steps as without.
        // Random labels get `randomLabelEpochs` times the epochs: memorizing noise is slower.
        let copies = train.count / max(split.train.count, 1)
        let epochCount =
            c == .augmentation
            ? max(1, epochs / copies) : (c == .regularizedRandomLabels ? Self.randomLabelEpochs * epochs : epochs)
        let config = TrainingConfig(
            epochs: epochCount, batchSize: batch,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9, weightDecay: decay),
            seed: s, earlyStoppingPatience: patience, evaluateEvery: patience == nil ? epochCount : 1)
        let r = Trainer<Float>(config, events: events).train(
            net, train: train, test: split.test, validation: validation)
        let trainError = net.evaluate(train).error
        let theta = net.parameterArray
        return Run(
            condition: c, seed: seed, trainError: trainError, testError: r.final?.testError ?? .nan,
            parameterNorm: theta.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot(), epochs: r.final?.epoch ?? 0)
    }

    /// The training set and its shifted copies: rolled signals, or images translated along each axis.
    func augmented(_ train: Dataset, shape: [Int]?) -> Dataset {
        guard let shape, shape.count == 2 else { return train.withShiftedCopies(shifts) }
        let offsets = shifts.map { (rows: $0, cols: 0) } + shifts.map { (rows: 0, cols: $0) }
        return train.withTranslatedCopies(offsets, height: shape[0], width: shape[1])
    }

    /// Per seed, (a's value, b's value).
    func paired(_ runs: [Run], _ a: Condition, _ b: Condition, _ v: (Run) -> Double) -> [(Double, Double)] {
        (0..<seeds).compactMap { s in
            guard let x = runs.first(where: { $0.condition == a && $0.seed == s }),
                let y = runs.first(where: { $0.condition == b && $0.seed == s })
            else { return nil }
            return (v(x), v(y))
        }
    }

    func result(_ runs: [Run], classes k: Int, shape: [Int]?, seconds: Double, command: String) -> ExperimentResult {
        let ran = Self.conditions(for: shape, imageCNN: imageCNN)
        var verdicts = regularizerVerdicts(runs, ran: ran, shape: shape)
        if ran.contains(.cnn) { verdicts.append(architectureVerdict(runs)) }
        let neither = neitherVerdict(runs, classes: k)
        verdicts.append(neither.verdict)
        var metrics: [String: JSONValue] = [
            "none_test_error": JSONValue(neither.none),
            "regularized_random_train_error": JSONValue(neither.worstRandom),
        ]
        if let v = verdicts.first(where: { $0.values["advantage"] != nil }) {
            metrics["cnn_advantage"] = JSONValue(v.values["advantage"]!)
            metrics["cnn_shuffled_advantage"] = JSONValue(v.values["shuffled_advantage"]!)
        }
        let (table, summary) = runTables(runs, ran: ran)
        let figures = Self.figures
        let comparisons = comparisonTable(runs, verdicts: verdicts, ran: ran)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: metrics,
            verdicts: verdicts, command: command, figures: figures, tables: [table, summary, comparisons],
            seconds: seconds, notes: Self.omissions(for: shape, imageCNN: imageCNN),
            references: [
                Reference(
                    source: "Zhang, Bengio, Hardt, Recht & Vinyals (2017), Table 1 and §3",
                    value:
                        "on CIFAR-10, removing weight decay, augmentation and dropout raises test error by a few "
                        + "points; regularized networks still fit random labels",
                    what:
                        "their setting: Inception and AlexNet-style networks; here an MLP (and a small 1-D CNN on "
                        + "MNIST-1D) on MNIST-1D or a Fashion-MNIST subset"
                )
            ])
    }


    /// Each regularizer against none: its paired test-error difference over seeds.
    func regularizerVerdicts(_ runs: [Run], ran: [Condition], shape: [Int]?) -> [Verdict] {
        func of(_ c: Condition) -> [Run] { runs.filter { $0.condition == c } }
        var verdicts = [Verdict]()
        for reg in Condition.regularizers where ran.contains(reg) {
            let p = paired(runs, reg, .none) { $0.testError }
            let d = p.map { $0 - $1 }
            let rule = VerdictRules.lowers(
                differences: d, leastEffect: Self.leastBenefit, what: "test error \(reg.rawValue) − none")
            let ci = Stats.tInterval(d)
            verdicts.append(
                Verdict(
                    .finding,
                    claim:
                        "\(Self.describe(reg, shape: shape)) lowers the test error relative to no regularization (by "
                        + "\(formatNumber(Self.leastBenefit * 100)) points "
                        + "or more to count; less is \"buys nothing\").",
                    supported: rule.supported,
                    evidence: String(
                        format:
                            "Test error %@ − none, paired over %d seeds: "
                            + "%+.4f, 95%% CI [%+.4f, %+.4f] (none: %.4f); %@.",
                        reg.rawValue, d.count, ci.estimate, ci.lower, ci.upper, Stats.mean(of(.none).map(\.testError)),
                        rule.reason),
                    values: rule.values.merging(["mean_difference": ci.estimate]) { a, _ in a }))
        }
        return verdicts
    }

    /// Neither necessary nor sufficient: far above chance without regularization, and the
    /// regularized network still fits random labels within the budget stated before the run.
    func neitherVerdict(_ runs: [Run], classes k: Int) -> (verdict: Verdict, none: Double, worstRandom: Double) {
        func of(_ c: Condition) -> [Run] { runs.filter { $0.condition == c } }
        let chance = 1 - 1 / Double(k)
        let none = Stats.tInterval(of(.none).map(\.testError))
        let necessary = VerdictRules.holds(
            none.upper, atMost: chance - Self.farAboveChance, what: "the unregularized test error's upper 95% bound")
        let worstRandom = of(.regularizedRandomLabels).map(\.trainError).max() ?? .nan
        // The budget (randomLabelEpochs × the epochs) is stated before the run: a regularized
        // network still above the line when it is spent counts against "not sufficient" — within
        // that budget, the regularizers did stop it from memorizing.
        let sufficient = VerdictRules.holds(
            worstRandom, atMost: Self.fits,
            what:
                "the regularized network's largest training error on random labels after "
                + "\(Self.randomLabelEpochs * epochs) epochs (the budget stated before the run)"
        )
        let both: Bool? =
            necessary.supported == false || sufficient.supported == false
            ? false : (necessary.supported == true && sufficient.supported == true ? true : nil)
        let verdict =
            (Verdict(
                .finding,
                claim:
                    "Explicit regularization is neither necessary nor sufficient: without it the network already "
                    + "generalizes far above chance, and with dropout and weight decay it still fits random labels "
                    + "(training error ≤ \(Int(Self.fits * 100))% within \(Self.randomLabelEpochs)× the epochs).",
                supported: both,
                evidence: String(
                    format:
                        "No regularization: test error %.4f [%.4f, %.4f] against chance %.3f (%@); dropout %g and "
                        + "weight decay %g on random labels: training error %.4f at worst (%@).",
                    none.estimate, none.lower, none.upper, chance, necessary.reason, dropout, weightDecay, worstRandom,
                    sufficient.reason),
                values: ["none_test_error": none.estimate, "regularized_random_train_error": worstRandom]))
        return (verdict, none.estimate, worstRandom)
    }

    /// Every run, and each condition's mean test error (with its interval), gap and norm.
    func runTables(_ runs: [Run], ran: [Condition]) -> (runs: Table, byCondition: Table) {
        var table = Table(
            name: "runs",
            columns: [
                "condition", "condition_index", "seed", "train_error", "test_error", "gap", "parameter_norm", "epochs",
            ])
        for r in runs {
            table.append([
                .string(r.condition.rawValue), JSONValue(ran.firstIndex(of: r.condition) ?? -1), JSONValue(r.seed),
                JSONValue(r.trainError), JSONValue(r.testError), JSONValue(r.gap), JSONValue(r.parameterNorm),
                JSONValue(r.epochs),
            ])
        }
        var summary = Table(
            name: "by_condition",
            columns: ["condition", "test_error", "test_error_lower", "test_error_upper", "gap", "parameter_norm"])
        for (i, c) in ran.enumerated() {
            let rs = runs.filter { $0.condition == c }
            guard !rs.isEmpty else { continue }
            let t = Stats.tInterval(rs.map(\.testError))
            summary.append([
                .string("\(i) \(c.rawValue)"), JSONValue(t.estimate), JSONValue(t.lower), JSONValue(t.upper),
                JSONValue(Stats.mean(rs.map(\.gap))), JSONValue(Stats.mean(rs.map(\.parameterNorm))),
            ])
        }
        return (table, summary)
    }

    static var figures: [FigureSpec] {
        [
            FigureSpec(
                file: "test_error.svg", title: "Test error of every run, by condition", kind: .dots, table: "runs",
                x: "condition",
                xLabel: "condition", yLabel: "test error", series: [.init(y: "test_error", label: "one run (seed)")]),
            FigureSpec.forest(
                file: "comparisons.svg", title: "What each verdict decided: paired differences in test error",
                xLabel: "paired difference in test error (95% t interval over seeds); left of 0 favours the claim"),
        ]
    }

    /// The comparisons the verdicts decided, drawn as a forest plot: each regularizer's paired
    /// test-error difference against none (the interval `VerdictRules.lowers` decided on, its
    /// least benefit as the margin), and the architecture's two (CNN − MLP on true positions, and
    /// the advantage lost when they are shuffled — the samples `belowEverywhere` decided on,
    /// whose single-point interval is the same 95% t interval). Negative favours every claim.
    func comparisonTable(_ runs: [Run], verdicts: [Verdict], ran: [Condition]) -> Table {
        var t = ComparisonTable()
        var k = 0
        for reg in Condition.regularizers where ran.contains(reg) {
            let d = paired(runs, reg, .none) { $0.testError }.map { $0 - $1 }
            let ci = Stats.tInterval(d)
            t.add(
                "\(Self.short(reg)) − none", quantity: "test error", estimate: ci.estimate, lower: ci.lower,
                upper: ci.upper, margin: Self.leastBenefit, verdict: verdicts[k])
            k += 1
        }
        if ran.contains(.cnn), let v = verdicts.first(where: { $0.values["advantage"] != nil }) {
            let advantage = paired(runs, .none, .cnn) { $0.testError }.map { $0 - $1 }
            let shuffled = paired(runs, .mlpShuffled, .cnnShuffled) { $0.testError }.map { $0 - $1 }
            let cnn = Stats.tInterval(advantage.map { -$0 })
            let lost = Stats.tInterval(zip(shuffled, advantage).map { $0 - $1 })
            t.add(
                "CNN − MLP, true positions", quantity: "test error", estimate: cnn.estimate, lower: cnn.lower,
                upper: cnn.upper, verdict: v)
            t.add(
                "CNN's lead lost by shuffling (shuffled − true)", quantity: "test error", estimate: lost.estimate,
                lower: lost.lower, upper: lost.upper, verdict: v)
        }
        return t.table
    }

    /// The CNN's advantage over the MLP, on true and on shuffled positions, per seed: a prior
    /// shows as an advantage that shrinks when the positions it assumes are gone.
    func architectureVerdict(_ runs: [Run]) -> Verdict {
        func interval(_ x: [Double]) -> Interval { Stats.tInterval(x) }
        let advantage = paired(runs, .none, .cnn) { $0.testError }.map { $0 - $1 }
        let shuffledAdvantage = paired(runs, .mlpShuffled, .cnnShuffled) { $0.testError }.map { $0 - $1 }
        let lost = zip(shuffledAdvantage, advantage).map { $0 - $1 }
        let cnnBetter = VerdictRules.belowEverywhere(samples: [advantage.map { -$0 }], limits: [0])
        let priorRule =
            cnnBetter.supported == true
            ? VerdictRules.belowEverywhere(samples: [lost], limits: [0])
            : RuleOutcome(
                supported: nil, values: cnnBetter.values,
                reason: "the CNN is not better on the true positions: " + cnnBetter.reason)
        let a = interval(advantage)
        let sa = interval(shuffledAdvantage)
        return Verdict(
            .finding,
            claim:
                "Architecture is a regularizer through its prior: the CNN beats the MLP on the signals, and the "
                + "advantage shrinks when positions are shuffled (its prior of local features no longer holds).",
            supported: priorRule.supported,
            evidence: String(
                format:
                    "Test error MLP − CNN: %+.4f [%+.4f, %+.4f] on true positions, %+.4f [%+.4f, %+.4f] on shuffled "
                    + "positions (paired over %d seeds); %@.",
                a.estimate, a.lower, a.upper, sa.estimate, sa.lower, sa.upper, lost.count, priorRule.reason),
            values: priorRule.values.merging(["advantage": a.estimate, "shuffled_advantage": sa.estimate]) { x, _ in x }
        )
    }

    static func describe(_ c: Condition, shape: [Int]?) -> String {
        switch c {
        case .dropout: return "Dropout"
        case .weightDecay: return "Weight decay (L2)"
        case .earlyStopping: return "Early stopping on a validation split"
        case .smallBatch: return "A small batch (more SGD noise)"
        case .augmentation:
            return shape?.count == 2 ? "Translation augmentation (shifted images)" : "Shift augmentation"
        default: return c.rawValue
        }
    }

    /// The figure's axis names.
    static func short(_ c: Condition) -> String {
        switch c {
        case .none: return "none"
        case .weightDecay: return "L2"
        case .augmentation: return "shifts"
        case .cnn: return "CNN"
        case .mlpShuffled: return "shuffled MLP"
        case .cnnShuffled: return "shuffled CNN"
        case .regularizedRandomLabels: return "random labels"
        default: return c.rawValue.replacingOccurrences(of: "-", with: " ")
        }
    }
}

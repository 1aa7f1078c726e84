import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Zhang, Bengio, Hardt, Recht & Vinyals (2017), "Understanding deep learning requires
/// rethinking generalization": the same network, trained the same way, fits the training set
/// perfectly whether its labels are true, partly or wholly random, or its inputs shuffled,
/// permuted per image or replaced by Gaussian noise — so the parameter count (the hypothesis
/// class) cannot be what makes it generalize on true labels. Measured per condition and seed:
/// the steps to zero training error and the test error (on the clean test set for label noise;
/// under the same corruption for the inputs).
public struct RandomLabels: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The network, a model spec.
    public var model: String
    /// Fractions of training labels replaced by uniform random ones (0 = true labels).
    public var fractions: [Double]
    /// Also shuffled pixels (one permutation), random pixels (one per image) and Gaussian inputs.
    public var inputCorruptions: Bool
    /// Seeds (networks) per condition.
    public var seeds: Int
    /// Epoch cap per network (true labels too); random-label runs get 10× the true-label steps, up to this cap.
    public var maxEpochs: Int
    /// Learning rate (SGD, momentum 0.9, constant).
    public var learningRate: Double
    /// Minibatch size.
    public var batchSize: Int

    public init(
        data: String = "fashion-mnist:train=500,test=2000", model: String = "mlp:256",
        fractions: [Double] = [0, 0.5, 1], inputCorruptions: Bool = true,
        seeds: Int = 2, maxEpochs: Int = 400, learningRate: Double = 0.01, batchSize: Int = 64
    ) {
        self.data = data
        self.model = model
        self.fractions = fractions
        self.inputCorruptions = inputCorruptions
        self.seeds = seeds
        self.maxEpochs = maxEpochs
        self.learningRate = learningRate
        self.batchSize = batchSize
    }

    /// "Only a constant factor more steps": random labels fit within this many times the steps of true labels.
    static let slowdownLimit = 10.0
    /// "Chance": the mean test error within this of the input-independent error.
    static let chanceMargin = 0.05

    public enum Condition: Codable, Sendable, Equatable {
        case labels(Double)
        case shuffledPixels, randomPixels, gaussian
        var name: String {
            switch self {
            case .labels(let f): return f == 0 ? "true labels" : String(format: "random labels %.0f%%", f * 100)
            case .shuffledPixels: return "shuffled pixels"
            case .randomPixels: return "random pixels"
            case .gaussian: return "Gaussian inputs"
            }
        }
    }

    public struct Run: Codable, Sendable {
        var condition: Condition, seed: Int
        var steps: Int, epochs: Int, fitted: Bool, trainError: Double, testError: Double, testCount: Int
        /// 1 − Σ_c P(test label c)·P(predicted c): the error of predictions independent of the inputs.
        var chance: Double
    }
}

extension RandomLabels: LiveMeasurement, RepeatedOverSeeds {
    public var name: String { "random-labels" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw GenLabError.usage("label fractions must lie in [0, 1], got \(fractions)")
        }
        guard fractions.contains(0), fractions.contains(1) else {
            throw GenLabError.usage(
                "the fractions must include 0 (true labels) and 1 (random labels), got \(fractions)")
        }
        guard seeds >= 2 else { throw GenLabError.usage("intervals need at least 2 seeds, got \(seeds)") }
        guard maxEpochs >= 1, learningRate > 0, batchSize >= 1 else {
            throw GenLabError.usage(
                "epochs, batch ≥ 1 and learning rate > 0, got \(maxEpochs), \(batchSize), \(learningRate)")
        }
    }

    var conditions: [Condition] {
        fractions.sorted().map { .labels($0) } + (inputCorruptions ? [.shuffledPixels, .randomPixels, .gaussian] : [])
    }

    /// The training and test sets of one condition.
    func sets(_ split: DataSplit, _ c: Condition, seed: Int) throws -> (Dataset, Dataset) {
        let s = UInt64(seed)
        switch c {
        case .labels(let f):
            return (f == 0 ? split.train : try split.train.withLabelNoise(f, seed: s &+ 100), split.test)
        case .shuffledPixels:
            var g = Generator(seed: s, stream: 16)
            var order = Array(0..<split.train.featureCount)
            g.shuffle(&order)
            return (split.train.withFeaturesPermuted(order), split.test.withFeaturesPermuted(order))
        case .randomPixels:
            return (
                split.train.withFeaturesPermutedPerSample(seed: s),
                split.test.withFeaturesPermutedPerSample(seed: s &+ 1)
            )
        case .gaussian:
            return (
                split.train.withGaussianFeatures(matching: split.train, seed: s),
                split.test.withGaussianFeatures(matching: split.train, seed: s &+ 1)
            )
        }
    }

    /// Every run, and the number of classes k (chance is about 1 − 1/k).
    public struct Outcomes: Codable, Sendable {
        var classes: Int
        var runs: [Run]
    }

    /// Trains one network per condition and seed, in parallel.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else {
            throw GenLabError.usage("random labels need a classification data set, got \(data)")
        }
        let jobs = (0..<seeds).flatMap { s in conditions.map { (condition: $0, seed: s) } }
        let counter = Counter()
        let live = liveSeeds(context, perSeed: conditions.count) {
            Outcomes(classes: split.train.classCount, runs: $0)
        }
        let runs: [Run] = try parallelMap(jobs.count) { i -> Result<Run, Error> in
            defer {
                let k = counter.increment()
                context.progress.report("\(k) of \(jobs.count) networks", Double(k) / Double(jobs.count))
            }
            return Result { try train(split, jobs[i].condition, seed: jobs[i].seed, events: context.events) }
                .publishing(i, to: live)
        }.map { try $0.get() }
        return Measured(Outcomes(classes: split.train.classCount, runs: runs))
    }

    func train(_ split: DataSplit, _ c: Condition, seed: Int, events: TrainingEvents?) throws -> Run {
        let (train, test) = try sets(split, c, seed: seed)
        let net: Network<Float> = try ModelSpec(parsing: model).network(
            for: train, imageShape: split.sampleShape, seed: UInt64(seed))
        let config = TrainingConfig(
            epochs: maxEpochs, batchSize: batchSize,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0.9),
            seed: UInt64(seed), stopAtZeroTrainingError: true, evaluateEvery: maxEpochs)
        let r = Trainer<Float>(config, events: events).train(net, train: train, test: test)
        let predicted = net.predict(test.features).labels
        let k = train.classCount
        var pTest = [Double](repeating: 0, count: k)
        var pPred = [Double](repeating: 0, count: k)
        for y in test.labels { pTest[y] += 1 / Double(test.count) }
        for y in predicted { pPred[y] += 1 / Double(test.count) }
        let chance = 1 - zip(pTest, pPred).reduce(0) { $0 + $1.0 * $1.1 }
        return Run(
            condition: c, seed: seed, steps: r.steps, epochs: r.final?.epoch ?? 0,
            fitted: r.stoppedBecause == .zeroTrainingError,
            trainError: r.final?.trainError ?? .nan, testError: r.final?.testError ?? .nan, testCount: test.count,
            chance: chance)
    }

    /// Each random-label run against its budget, stated before the run: `slowdownLimit` times the
    /// steps its seed's true-label run took. A run that did not fit within that budget is censored
    /// evidence against both claims ("fits random labels", "only a constant factor slower"); one
    /// that the epoch cap stopped before its budget was spent decides nothing.
    struct Budget {
        /// steps(random)/steps(true) of the seeds where both fitted.
        var ratios: [Double] = []
        /// Seeds whose random-label run did not fit within the whole budget: (seed, steps taken, true-label steps).
        var censoredBeyond: [(seed: Int, steps: Int, truth: Int)] = []
        /// Seeds stopped by the epoch cap before their budget was spent.
        var cutShort: [(seed: Int, steps: Int, budget: Int)] = []
        /// Seeds whose true-label run did not fit: no reference to count the budget in.
        var noReference: [Int] = []
    }

    func randomLabelBudget(truth: [Run], random: [Run]) -> Budget {
        var b = Budget()
        for r in random.sorted(by: { $0.seed < $1.seed }) {
            guard let t = truth.first(where: { $0.seed == r.seed }), t.fitted, t.steps > 0 else {
                b.noReference.append(r.seed)
                continue
            }
            let allowed = Int((Self.slowdownLimit * Double(t.steps)).rounded(.up))
            if r.fitted {
                b.ratios.append(Double(r.steps) / Double(t.steps))
            } else if r.steps >= allowed {
                b.censoredBeyond.append((r.seed, r.steps, t.steps))
            } else {
                b.cutShort.append((r.seed, r.steps, allowed))
            }
        }
        return b
    }

    func describe(_ b: Budget) -> String {
        var parts = [String]()
        for c in b.censoredBeyond {
            parts.append(
                "seed \(c.seed) did not fit in \(c.steps) steps, ≥ \(Int(Self.slowdownLimit))× the \(c.truth) its "
                    + "true labels took"
            )
        }
        for c in b.cutShort {
            parts.append(
                "seed \(c.seed) was stopped by the cap of \(maxEpochs) epochs "
                    + "at \(c.steps) steps, short of its budget of \(c.budget)"
            )
        }
        if !b.noReference.isEmpty {
            parts.append(
                "seeds \(b.noReference.map(String.init).joined(separator: ", ")) did not fit their true labels")
        }
        return parts.joined(separator: "; ")
    }

    func fitOutcome(_ worstRandom: Double, _ b: Budget) -> RuleOutcome {
        let values = [
            "worst_train_error": worstRandom, "censored_beyond_budget": Double(b.censoredBeyond.count),
            "cut_short": Double(b.cutShort.count),
        ]
        if !b.censoredBeyond.isEmpty {
            return RuleOutcome(
                supported: false, values: values,
                reason: "not fitted within the budget of \(Int(Self.slowdownLimit))× the true-label steps: "
                    + describe(b))
        }
        if !b.cutShort.isEmpty || !b.noReference.isEmpty {
            return RuleOutcome(
                supported: nil, values: values, reason: "undecided: " + describe(b) + " (raise the epoch cap)")
        }
        return VerdictRules.holds(worstRandom, atMost: 0, what: "the largest training error at random labels")
    }

    func slowdownOutcome(_ ratios: [Double], _ b: Budget) -> RuleOutcome {
        if !b.censoredBeyond.isEmpty {
            return RuleOutcome(
                supported: false, values: ["censored_beyond_budget": Double(b.censoredBeyond.count)],
                reason: "censored beyond the limit: " + describe(b))
        }
        if !b.cutShort.isEmpty || !b.noReference.isEmpty {
            return RuleOutcome(supported: nil, values: [:], reason: "undecided: " + describe(b))
        }
        // A seed that fitted, but beyond the limit, refutes the claim as a censored one does.
        if let beyond = ratios.first(where: { $0 > Self.slowdownLimit }) {
            return RuleOutcome(
                supported: false, values: ["largest_ratio": ratios.max()!],
                reason: String(
                    format: "a seed took %.1f× its true-label steps, beyond the limit of %.0f×", beyond,
                    Self.slowdownLimit))
        }
        guard ratios.count >= 2 else {
            return RuleOutcome(
                supported: nil, values: [:], reason: "fewer than two seeds fitted both true and random labels")
        }
        return VerdictRules.belowEverywhere(samples: [ratios], limits: [Self.slowdownLimit])
    }

    /// The rules' outcomes and the numbers their evidence quotes, computed once from the runs.
    struct Decisions {
        var fitRule: RuleOutcome, slowRule: RuleOutcome, trend: RuleOutcome, chanceRule: RuleOutcome
        var worstRandom: Double, unfitted: [Run], ratios: [Double], ratioCI: Interval, labelRuns: [Run], gaps: [Double],
            gapCI: Interval
    }

    func runs(_ runs: [Run], _ c: Condition) -> [Run] { runs.filter { $0.condition == c } }

    func fraction(_ r: Run) -> Double {
        if case .labels(let f) = r.condition { return f }
        return .nan
    }

    /// The four rules on the runs: fitted within budget, slow-down, trend with the fraction, chance.
    func decide(_ runs: [Run]) -> Decisions {
        func of(_ c: Condition) -> [Run] { self.runs(runs, c) }
        let truth = of(.labels(0))
        let random = of(.labels(1))
        // 1. Random labels fitted perfectly (and every other condition).
        let worstRandom = random.map(\.trainError).max() ?? .nan
        let budget = randomLabelBudget(truth: truth, random: random)
        let fitRule = fitOutcome(worstRandom, budget)
        let unfitted = runs.filter { !$0.fitted }
        // 2. Slow-down: per seed, steps(random)/steps(true); a seed censored beyond the limit counts against.
        let ratios = budget.ratios
        let ratioCI =
            ratios.count >= 2
            ? Stats.tInterval(ratios) : Interval(estimate: ratios.first ?? .nan, lower: .nan, upper: .nan, level: 0.95)
        let slowRule = slowdownOutcome(ratios, budget)
        // 3. Test error against the label-noise fraction.
        let labelRuns = runs.filter {
            if case .labels = $0.condition { return true }
            return false
        }
        let fractionOf = fraction
        // The fractions of one seed share its initialization: each seed's own slope, the seeds the units.
        let trend = VerdictRules.positiveSlope(
            x: labelRuns.map(fractionOf), y: labelRuns.map(\.testError), clusters: labelRuns.map(\.seed), margin: 0.05)
        // 4. Chance where the inputs say nothing about the test labels (random labels, Gaussian
        // inputs). One run's test points are not independent draws around chance — one random
        // labelling colours whole regions of input space — so the scatter comes from the seeds:
        // the t interval of (test error − chance) must lie within ±chanceMargin (equivalence).
        let chanceRuns = random + of(.gaussian)
        let gaps = chanceRuns.map { $0.testError - $0.chance }
        let gapCI =
            gaps.count >= 2
            ? Stats.tInterval(gaps) : Interval(estimate: gaps.first ?? .nan, lower: .nan, upper: .nan, level: 0.95)
        let chanceRule = VerdictRules.withinMargin(gaps, margin: Self.chanceMargin, of: "chance")
        return Decisions(
            fitRule: fitRule, slowRule: slowRule, trend: trend, chanceRule: chanceRule, worstRandom: worstRandom,
            unfitted: unfitted,
            ratios: ratios, ratioCI: ratioCI, labelRuns: labelRuns, gaps: gaps, gapCI: gapCI)
    }

    /// The verdicts' claims and evidence, from the decisions.
    func verdicts(_ d: Decisions, random: [Run], classes k: Int) -> [Verdict] {
        let (fitRule, slowRule, trend, chanceRule) = (d.fitRule, d.slowRule, d.trend, d.chanceRule)
        let (worstRandom, unfitted, ratios, ratioCI) = (d.worstRandom, d.unfitted, d.ratios, d.ratioCI)
        let (labelRuns, gaps, gapCI) = (d.labelRuns, d.gaps, d.gapCI)
        return [
            Verdict(
                .finding,
                claim:
                    "The network fits completely random labels: zero training error, as it does with true labels — "
                    + "its parameter count alone cannot explain why it generalizes on the true ones.",
                supported: fitRule.supported,
                evidence: String(
                    format:
                        "%@ on %@: training error at random labels %.4f at worst over %d seeds (%.0f epochs on "
                        + "average; budget %.0f× each seed's true-label steps, stated before the run); %@.%@",
                    model, data, worstRandom, seeds, Stats.mean(random.map { Double($0.epochs) }), Self.slowdownLimit,
                    fitRule.reason,
                    unfitted.isEmpty
                        ? " Every condition reached zero training error."
                        : " Not fitted within \(maxEpochs) epochs: "
                            + Set(unfitted.map(\.condition.name)).sorted().joined(separator: ", ") + "."),
                values: fitRule.values),
            Verdict(
                .finding,
                claim:
                    "Fitting random labels takes only a constant factor more steps than fitting true labels (here: at "
                    + "most \(Int(Self.slowdownLimit))×).",
                supported: slowRule.supported,
                evidence: String(
                    format:
                        "Steps to zero training error, random over true labels, per seed: %@; mean %.2f, 95%% CI "
                        + "[%.2f, %.2f]; %@.",
                    ratios.map { String(format: "%.2f", $0) }.joined(separator: ", "), ratioCI.estimate, ratioCI.lower,
                    ratioCI.upper, slowRule.reason),
                values: slowRule.values.merging(["mean_ratio": ratioCI.estimate]) { a, _ in a }),
            Verdict(
                .finding, claim: "Test error rises with the fraction of random labels.",
                supported: trend.supported,
                evidence: String(
                    format:
                        "Test error against the fraction of random labels, each seed's own least-squares slope (%d "
                        + "runs), their mean: %.3f, 95%% CI over seeds [%.3f, %.3f]; %@.",
                    labelRuns.count, trend.values["slope"] ?? .nan, trend.values["slope_lower"] ?? .nan,
                    trend.values["slope_upper"] ?? .nan, trend.reason),
                values: trend.values),
            Verdict(
                .finding,
                claim:
                    "With all labels random (or Gaussian inputs), test error is chance: what predictions independent "
                    + "of the input would score against the test set's class balance.",
                supported: chanceRule.supported,
                evidence: String(
                    format:
                        "Test error − chance over %d runs (random labels, Gaussian inputs): %@; mean %.3f, 95%% CI "
                        + "[%.3f, %.3f] (chance ≈ 1 − 1/k = %.3f for balanced classes); %@.",
                    gaps.count, gaps.map { String(format: "%+.3f", $0) }.joined(separator: ", "), gapCI.estimate,
                    gapCI.lower, gapCI.upper, 1 - 1 / Double(k), chanceRule.reason),
                values: chanceRule.values),
        ]
    }

    /// Every run, and each condition's means with their intervals over seeds.
    func tables(_ runs: [Run]) -> [Table] {
        func of(_ c: Condition) -> [Run] { self.runs(runs, c) }
        let fractionOf = fraction
        var table = Table(
            name: "runs",
            columns: [
                "condition", "fraction", "seed", "steps", "epochs", "fitted", "train_error", "test_error", "chance",
            ])
        for r in runs {
            table.append([
                .string(r.condition.name), JSONValue(fractionOf(r)), JSONValue(r.seed), JSONValue(r.steps),
                JSONValue(r.epochs), .bool(r.fitted),
                JSONValue(r.trainError), JSONValue(r.testError), JSONValue(r.chance),
            ])
        }
        var summary = Table(
            name: "by_condition",
            columns: [
                "condition", "fraction", "steps", "steps_lower", "steps_upper", "test_error", "test_error_lower",
                "test_error_upper",
            ])
        for c in conditions {
            let rs = of(c)
            let s = Stats.tInterval(rs.map { Double($0.steps) })
            let t = Stats.tInterval(rs.map(\.testError))
            summary.append([
                .string(c.name), rs.first.map { JSONValue(fractionOf($0)) } ?? .null, JSONValue(s.estimate),
                JSONValue(s.lower), JSONValue(s.upper),
                JSONValue(t.estimate), JSONValue(t.lower), JSONValue(t.upper),
            ])
        }
        return [table, summary]
    }

    var figures: [FigureSpec] {
        [
            FigureSpec(
                file: "test_error.svg", title: "Test error against the fraction of random labels",
                table: "by_condition", x: "fraction",
                xLabel: "fraction of labels replaced at random", yLabel: "test error",
                series: [
                    .init(
                        y: "test_error", label: "test error (mean, 95% CI over seeds)", lower: "test_error_lower",
                        upper: "test_error_upper", markers: true)
                ]),
            FigureSpec(
                file: "steps.svg", title: "Steps to zero training error, every condition", kind: .dots, table: "runs",
                x: "condition",
                xLabel: "condition", yLabel: "steps to zero training error",
                series: [.init(y: "steps", label: "one run (seed)")]),
            FigureSpec.forest(
                file: "comparisons.svg",
                title: "Test error − chance: what the chance verdict decided, and each condition",
                xLabel: "test error − chance (95% t interval over runs); within the margin: chance"),
        ]
    }

    /// The chance verdict's comparison and each condition's, for the forest plot.
    func comparisons(_ runs: [Run], gapCI: Interval, chance: Verdict) -> Table {
        func of(_ c: Condition) -> [Run] { self.runs(runs, c) }
        // The chance verdict's interval (random labels and Gaussian inputs pooled, as
        // `withinMargin` decided on it), then each condition's own for comparison (no verdict).
        var comparisons = ComparisonTable()
        comparisons.add(
            "random labels 100% and Gaussian inputs (the verdict)", quantity: "test error − chance",
            estimate: gapCI.estimate, lower: gapCI.lower, upper: gapCI.upper,
            margin: Self.chanceMargin, verdict: chance)
        for c in conditions {
            let g = of(c).map { $0.testError - $0.chance }
            guard g.count >= 2 else { continue }
            let ci = Stats.tInterval(g)
            comparisons.add(
                c.name, quantity: "test error − chance", estimate: ci.estimate, lower: ci.lower, upper: ci.upper,
                margin: Self.chanceMargin, outcome: "")
        }
        return comparisons.table
    }

    /// The four verdicts (fit, slow-down, trend, chance), tables and figures, from the runs alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let runs = measured.outcomes.runs
        let d = decide(runs)
        let truth = self.runs(runs, .labels(0))
        let random = self.runs(runs, .labels(1))
        let verdicts = verdicts(d, random: random, classes: measured.outcomes.classes)
        func mean(_ rs: [Run], _ v: (Run) -> Double) -> Double { Stats.mean(rs.map(v)) }
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: [
                "slowdown": JSONValue(d.ratioCI.estimate), "worst_random_train_error": JSONValue(d.worstRandom),
                "true_label_test_error": JSONValue(mean(truth) { $0.testError }),
                "random_label_test_error": JSONValue(mean(random) { $0.testError }),
                "runs_not_fitted": JSONValue(d.unfitted.count),
            ],
            verdicts: verdicts, command: "", figures: figures,
            tables: tables(runs) + [comparisons(runs, gapCI: d.gapCI, chance: verdicts[3])], notes: measured.notes,
            references: [
                Reference(
                    source:
                        "Zhang, Bengio, Hardt, Recht & Vinyals (2017), Understanding deep learning requires rethinking "
                        + "generalization, Figure 1",
                    value:
                        "CIFAR-10 networks reach zero training error on random labels, shuffled and random pixels and "
                        + "Gaussian inputs; random labels take a small constant factor longer",
                    what:
                        "their setting: CIFAR-10 and ImageNet convolutional "
                        + "networks; here an MLP on a Fashion-MNIST subset"
                )
            ])
    }
}

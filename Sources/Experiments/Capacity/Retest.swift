import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Do we overfit a test set by reusing it? (Recht, Roelofs, Schmidt & Shankar 2019, on MNIST-1D.)
/// A zoo of model families of varied quality (linear, MLPs of several widths, CNNs), each tried
/// with several learning rates, epoch counts and seeds; every candidate is scored on the original
/// test set, and each family's best is chosen there — the test set reused many times, as a
/// leaderboard does. Then every model is scored on a fresh test set drawn from the same generator
/// with a new seed, and on one drawn with a small, documented shift of the generator.
public struct Retest: Codable, Sendable {
    /// The original split; its test set is the one reused.
    public var data: String
    /// Model families (model specs); each is one entry of the leaderboard.
    public var families: [String]
    /// Learning rates of the candidates (each family × rate × epochs × seed is one candidate).
    public var learningRates: [Double]
    /// Training lengths of the candidates, in epochs.
    public var epochs: [Int]
    /// Seeds per candidate.
    public var seeds: Int
    /// Size of the fresh and the shifted test sets.
    public var freshCount: Int
    /// Seed of the fresh and the shifted test sets (a new draw of the generator).
    public var freshSeed: Int
    /// Generator options of the shifted test set (a mnist1d spec's options).
    public var shift: String

    public static let defaultFamilies = [
        "linear", "mlp:16", "mlp:64", "mlp:256", "mlp:256x256", "cnn1d:8x8,kernel=5,stride=2",
        "cnn1d:32x32,kernel=5,stride=2",
    ]

    public init(
        data: String = "mnist1d:train=2000,test=2000", families: [String] = Retest.defaultFamilies,
        learningRates: [Double] = [0.01, 0.05],
        epochs: [Int] = [10, 40], seeds: Int = 2, freshCount: Int = 10_000, freshSeed: Int = 7,
        shift: String = "corr-noise=0.4,iid-noise=0.05"
    ) {
        self.data = data
        self.families = families
        self.learningRates = learningRates
        self.epochs = epochs
        self.seeds = seeds
        self.freshCount = freshCount
        self.freshSeed = freshSeed
        self.shift = shift
    }

    public struct Model: Codable, Sendable {
        var family: String, learningRate: Double, epochs: Int, seed: Int
        var original: Double, fresh: Double, shifted: Double
        var selected = false
        /// Accuracy on each disjoint block of `controlCount` samples of the original test set:
        /// the positive control's small reused sets.
        var controlAccuracies: [Double] = []
    }

    /// "Order preserved": Kendall τ of the original and fresh accuracies at least this.
    static let orderThreshold = 0.8
    /// "No measurable overfitting": the picks' extra drop within ± this fraction of the extra
    /// drop the design's own worst case produces (every candidate of a family equally good, so
    /// that the pick is chosen on test-set noise alone), simulated for the run's families,
    /// candidate counts and test-set size.
    static let marginFraction = 0.5
    /// The positive control's reused sets: disjoint blocks of the original test set, so small
    /// that picking each family's best on one must show as an extra drop on the fresh set; the
    /// blocks are independent replicates of that pick.
    static let controlCount = 100
}

extension Retest: LiveMeasurement {
    public var name: String { "retest" }

    public func validate() throws {
        guard !families.isEmpty, !learningRates.isEmpty, !epochs.isEmpty, seeds >= 1 else {
            throw GenLabError.usage("retest needs families, learning rates, epochs and seeds")
        }
        for f in families { _ = try ModelSpec(parsing: f) }
        guard learningRates.allSatisfy({ $0 > 0 }), epochs.allSatisfy({ $0 >= 1 }) else {
            throw GenLabError.usage("learning rates > 0 and epochs ≥ 1, got \(learningRates), \(epochs)")
        }
        guard families.count >= 3 else {
            throw GenLabError.usage(
                "Kendall τ over fewer than 3 families says nothing; give at least 3, got \(families.count)")
        }
        guard freshCount >= 100 else {
            throw GenLabError.usage("the fresh test sets need ≥ 100 samples, got \(freshCount)")
        }
        guard try DatasetSpec(parsing: data).name == "mnist1d" else {
            throw GenLabError.parameter(
                name: "data",
                problem: "must be a mnist1d spec (retest draws fresh test sets from the generator), got \(data)")
        }
    }

    /// A test set of `freshCount` from the generator with a new seed, and extra generator options.
    func freshSet(_ extra: String, seed: Int, context: RunContext) throws -> Dataset {
        let spec = "mnist1d:train=1,test=\(freshCount),seed=\(seed)" + (extra.isEmpty ? "" : "," + extra)
        return try context.load(spec, for: name).test
    }

    /// Every model scored on the three test sets (each family's pick marked), and the original test set's size.
    public struct Outcomes: Codable, Sendable {
        var testCount: Int
        var models: [Model]
    }

    /// Trains every candidate, scores it on the original, fresh and shifted test sets, and picks each family's best on
    /// the original.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        let fresh = try freshSet("", seed: freshSeed, context: context)
        let shifted = try freshSet(shift, seed: freshSeed + 1, context: context)
        let jobs = families.flatMap { f in
            learningRates.flatMap { lr in
                epochs.flatMap { e in (0..<seeds).map { (family: f, lr: lr, epochs: e, seed: $0) } }
            }
        }
        let counter = Counter()
        // Live: the families whose every candidate has finished, as a leaderboard of those families.
        let perFamily = jobs.count / max(families.count, 1)
        let live = liveUnits(context, count: jobs.count) { (done: [Model]) in
            let k = done.count / max(perFamily, 1)
            guard k >= 1 else { return nil }
            var part = self
            part.families = Array(families.prefix(k))
            return (
                part,
                Outcomes(
                    testCount: split.test.count,
                    models: Self.selecting(Array(done.prefix(k * perFamily)), families: part.families)),
                partialNote(k, of: families.count, "families")
            )
        }
        let models: [Model] = try parallelMap(jobs.count) { i -> Result<Model, Error> in
            defer {
                let k = counter.increment()
                context.progress.report("\(k) of \(jobs.count) models", Double(k) / Double(jobs.count))
            }
            let j = jobs[i]
            return Result {
                let net: Network<Float> = try ModelSpec(parsing: j.family).network(
                    for: split.train, imageShape: split.sampleShape, seed: UInt64(j.seed))
                let config = TrainingConfig(
                    epochs: j.epochs, batchSize: 100,
                    optimizer: OptimizerConfig(kind: .sgd, learningRate: j.lr, momentum: 0.9),
                    seed: UInt64(j.seed), evaluateEvery: j.epochs)
                _ = context.trainer(config).train(net, train: split.train, test: split.test)
                return Model(
                    family: j.family, learningRate: j.lr, epochs: j.epochs, seed: j.seed,
                    original: 1 - net.evaluate(split.test).error,
                    fresh: 1 - net.evaluate(fresh).error, shifted: 1 - net.evaluate(shifted).error,
                    controlAccuracies: Self.blockAccuracies(net.predict(split.test.features).labels, split.test.labels))
            }.publishing(i, to: live)
        }.map { try $0.get() }
        return Measured(Outcomes(testCount: split.test.count, models: Self.selecting(models, families: families)))
    }

    /// The leaderboard: each family's best candidate on the original test set (first of ties) marked selected.
    static func selecting(_ models: [Model], families: [String]) -> [Model] {
        var models = models
        for f in families {
            let own = models.indices.filter { models[$0].family == f }
            models[own.max { models[$0].original < models[$1].original }!].selected = true
        }
        return models
    }

    /// Rank preservation, the picks' extra drop and the shift, from the scores alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        result(measured.outcomes.models, testCount: measured.outcomes.testCount, seconds: 0, command: "").noting(
            measured.notes)
    }

    /// Welch's 95% interval for mean(a) − mean(b).
    static func welchInterval(_ a: [Double], _ b: [Double]) -> Interval {
        guard a.count >= 2, b.count >= 2 else { return Interval(estimate: .nan, lower: .nan, upper: .nan, level: 0.95) }
        let va = Stats.variance(a) / Double(a.count)
        let vb = Stats.variance(b) / Double(b.count)
        let se = (va + vb).squareRoot()
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let d = Stats.mean(a) - Stats.mean(b)
        let h = Distributions.studentTQuantile(0.975, degreesOfFreedom: df.isFinite ? df : 1) * se
        return Interval(estimate: d, lower: d - h, upper: d + h, level: 0.95)
    }

    /// The extra drop of the picks over the others that selection on test-set noise alone
    /// produces: every candidate of family f has the same true accuracy p_f (its mean on the fresh
    /// set), each scores p_f plus binomial noise on `testCount` samples (independent across
    /// candidates: the worst case, since real candidates err on the same hard samples), the best
    /// is picked, and the picks' mean excess over p is compared with the others'. Averaged over
    /// `simulations` draws.
    /// `groups`: the candidate sets one pick is made from (each family; each setting's seeds).
    static func worstCaseExtraDrop(_ groups: [[Model]], testCount: Int, simulations: Int = 2000, seed: UInt64 = 11)
        -> Double
    {
        let families = groups.map { ms in (p: Stats.mean(ms.map(\.fresh)), m: ms.count) }.filter { $0.m >= 2 }
        guard !families.isEmpty, testCount > 0 else { return .nan }
        var g = Generator(seed: seed)
        var total = 0.0
        for _ in 0..<simulations {
            var picks = [Double]()
            var others = [Double]()
            for f in families {
                let sd = (max(f.p * (1 - f.p), 1e-6) / Double(testCount)).squareRoot()
                let excess = (0..<f.m).map { _ in sd * g.normal() }
                let best = excess.indices.max { excess[$0] < excess[$1] }!
                picks.append(excess[best])
                others += excess.indices.filter { $0 != best }.map { excess[$0] }
            }
            total += Stats.mean(picks) - Stats.mean(others)
        }
        return total / Double(simulations)
    }

    /// Accuracy on each whole block of `controlCount` consecutive test samples.
    static func blockAccuracies(_ predicted: [Int], _ labels: [Int]) -> [Double] {
        (0..<(labels.count / controlCount)).map { b in
            let r = (b * controlCount)..<((b + 1) * controlCount)
            return Double(r.filter { predicted[$0] == labels[$0] }.count) / Double(controlCount)
        }
    }

    /// The positive control's candidates: the seeds of one setting (family, learning rate,
    /// epochs), as nearly equal as candidates get, so that a pick on 100 samples is a pick on noise.
    static func controlGroups(_ models: [Model]) -> [[Model]] {
        groups(models) { "\($0.family)|\($0.learningRate)|\($0.epochs)" }.filter { $0.count >= 2 }
    }

    /// The models grouped by a key, in the keys' order: a dictionary's order changes from process
    /// to process, and with it the draws each group gets in the simulation.
    static func groups(_ models: [Model], by key: (Model) -> String) -> [[Model]] {
        Dictionary(grouping: models, by: key).sorted { $0.key < $1.key }.map(\.value)
    }

    /// The positive control: on each block, each setting's best seed is picked; per block, the
    /// picks' mean drop (block − fresh) minus the others' mean drop; the t interval over blocks.
    static func controlExtraDrop(_ models: [Model]) -> Interval {
        let blocks = models.map(\.controlAccuracies.count).min() ?? 0
        let families = controlGroups(models)
        guard blocks >= 2, !families.isEmpty else {
            return Interval(estimate: .nan, lower: .nan, upper: .nan, level: 0.95)
        }
        let perBlock = (0..<blocks).map { b -> Double in
            var picks = [Double]()
            var others = [Double]()
            for f in families {
                let best = f.indices.max { f[$0].controlAccuracies[b] < f[$1].controlAccuracies[b] }!
                for (i, m) in f.enumerated() {
                    (i == best ? { picks.append($0) } : { others.append($0) })(m.controlAccuracies[b] - m.fresh)
                }
            }
            return Stats.mean(picks) - Stats.mean(others)
        }
        return Stats.tInterval(perBlock)
    }

    /// The control shows reuse when its interval lies above 0; it failed when it reaches no higher
    /// than 0 (the picks drop no more than the others even on 100 samples).
    static func controlOutcome(_ ci: Interval) -> RuleOutcome {
        guard ci.lower.isFinite, ci.upper.isFinite else {
            return RuleOutcome(
                supported: nil, values: [:],
                reason:
                    "no positive control: it needs two seeds of a setting "
                    + "and two blocks of \(controlCount) test samples"
            )
        }
        let values = ["estimate": ci.estimate, "lower": ci.lower, "upper": ci.upper]
        if ci.lower > 0 {
            return RuleOutcome(supported: true, values: values, reason: "the interval lies above 0: reuse shows")
        }
        if ci.upper <= 0 {
            return RuleOutcome(
                supported: false, values: values, reason: "the interval reaches no higher than 0: the control failed")
        }
        return RuleOutcome(supported: nil, values: values, reason: "the interval contains 0")
    }

    /// Order: Kendall τ between the original and fresh accuracies over every model, bootstrap over models.
    static func tauInterval(_ original: [Double], _ fresh: [Double]) -> Interval {
        Stats.bootstrapInterval(original.indices.map(Double.init), resamples: 1000, seed: 3) { idx in
            Stats.kendallTau(idx.map { original[Int($0)] }, idx.map { fresh[Int($0)] })
        }
    }

    /// The reuse part: the positive control and the picks' extra drop on a fresh test set.
    struct Reuse {
        var verdicts: [Verdict], control: Interval, extra: Interval, margin: Double, picksDrop: Interval
    }

    func reusePart(_ models: [Model], testCount: Int) -> Reuse {
        let chosen = models.filter(\.selected)
        // Adaptive overfitting: how much more the leaderboard's picks drop (original − fresh) than
        // the models not picked. Both groups were scored on the same two test sets, so a test set
        // that is simply harder or easier moves both and cancels; what is left is the selection's
        // optimism. Welch's interval for the difference of the two means.
        let drops = chosen.map { $0.original - $0.fresh }
        let others = models.filter { !$0.selected }.map { $0.original - $0.fresh }
        let dropCI = Stats.tInterval(drops)
        let extra = Self.welchInterval(drops, others)
        // The margin from the design's own worst case, and a positive control where reuse must show.
        let worst = Self.worstCaseExtraDrop(Self.groups(models, by: \.family), testCount: testCount)
        let margin = Self.marginFraction * worst
        let controlWorst = Self.worstCaseExtraDrop(
            Self.controlGroups(models), testCount: min(Self.controlCount, testCount))
        let controlExtra = Self.controlExtraDrop(models)
        let control = Self.controlOutcome(controlExtra)
        let overfit = Self.overfitOutcome(
            picks: drops.count, others: others.count, control: control, extra: extra, margin: margin)
        let verdicts = [
            Verdict(
                .finding,
                claim:
                    "Test-set reuse shows where it must (positive control): picking the best seed of each setting on a "
                    + "reused set of only \(Self.controlCount) samples makes the picks drop more than the others "
                    + "on a fresh test set.",
                supported: control.supported,
                evidence: String(
                    format:
                        "Picked on each of %d disjoint blocks of %d original test samples, the picks' extra drop is "
                        + "%+.4f, 95%% CI over blocks [%+.4f, %+.4f]; selection on noise alone would give %+.4f "
                        + "(simulated worst case): %@.",
                    models.map(\.controlAccuracies.count).min() ?? 0, Self.controlCount, controlExtra.estimate,
                    controlExtra.lower, controlExtra.upper, controlWorst, control.reason),
                values: control.values.merging([
                    "control_extra_drop": controlExtra.estimate, "control_worst_case": controlWorst,
                ]) { a, _ in a }),
            Verdict(
                .finding,
                claim:
                    "On the same distribution, choosing each family's best on the reused test set caused no measurable "
                    + "overfitting: on a fresh test set the picks lose no more than the models not picked (within "
                    + "half of what selection on test-set noise alone would cause).",
                supported: overfit.supported,
                evidence: String(
                    format:
                        "The %d picks change by %+.4f from the original to the fresh test set (mean drop), the %d "
                        + "others by %+.4f; the picks' extra drop is %+.4f, 95%% Welch CI [%+.4f, %+.4f] (test "
                        + "sets of %d and %d samples); the design's worst case (equal candidates, picked on noise) "
                        + "gives %+.4f, so the margin is ±%.4f: %@.",
                    chosen.count, dropCI.estimate, others.count, others.isEmpty ? .nan : Stats.mean(others),
                    extra.estimate, extra.lower, extra.upper,
                    testCount, freshCount, worst, margin, overfit.reason),
                values: overfit.values.merging([
                    "picks_mean_drop": dropCI.estimate, "extra_drop": extra.estimate, "worst_case_extra_drop": worst,
                    "margin": margin,
                ]) { a, _ in a }),
        ]
        return Reuse(verdicts: verdicts, control: controlExtra, extra: extra, margin: margin, picksDrop: dropCI)
    }

    /// The shift part: a real drop over every model, and the slope of shifted on original.
    func shiftPart(_ models: [Model]) -> (verdicts: [Verdict], drop: Interval, fit: LineFit) {
        let original = models.map(\.original)
        let shifted = models.map(\.shifted)
        let shiftDrops = models.map { $0.original - $0.shifted }
        let shiftDrop = VerdictRules.belowEverywhere(samples: [shiftDrops.map { -$0 }], limits: [0])
        let shiftCI = Stats.tInterval(shiftDrops)
        let unitSlope = VerdictRules.slopeBelow(x: original, y: shifted, margin: 1)
        // slopeBelow's "supported" is a slope below 1: the claim here is the opposite.
        let carries = RuleOutcome(
            supported: unitSlope.supported.map { !$0 }, values: unitSlope.values, reason: unitSlope.reason)
        let shiftFit = LineFit(x: original, y: shifted)
        let verdicts = [
            Verdict(
                .finding, claim: "Under a small shift of the generator (\(shift)) the accuracy drops for real.",
                supported: shiftDrop.supported,
                evidence: String(
                    format: "Original − shifted accuracy over %d models: %+.4f, 95%% CI [%+.4f, %+.4f]; %@.",
                    models.count, shiftCI.estimate, shiftCI.lower, shiftCI.upper, shiftDrop.reason),
                values: ["mean_shift_drop": shiftCI.estimate, "mde": shiftDrop.mde]),
            Verdict(
                .finding,
                claim:
                    "Under the shift, gains carry over at least one for one: shifted accuracy against original "
                    + "accuracy has slope ≥ 1 (Recht et al.'s linear trend).",
                supported: carries.supported,
                evidence: String(
                    format: "shifted ≈ %.3f × original %+.3f (R² %.2f): %@.", shiftFit.slope, shiftFit.intercept,
                    shiftFit.rSquared, carries.reason),
                values: carries.values),
        ]
        return (verdicts, shiftCI, shiftFit)
    }

    func result(_ models: [Model], testCount: Int, seconds: Double, command: String) -> ExperimentResult {
        let original = models.map(\.original)
        let fresh = models.map(\.fresh)
        let tau = Self.tauInterval(original, fresh)
        let order = VerdictRules.intervalAtLeast(tau, threshold: Self.orderThreshold, what: "Kendall τ")
        let freshFit = LineFit(x: original, y: fresh)
        let reuse = reusePart(models, testCount: testCount)
        let shifted = shiftPart(models)
        let (dropCI, extra, controlExtra, margin) = (reuse.picksDrop, reuse.extra, reuse.control, reuse.margin)
        let (shiftCI, shiftFit) = (shifted.drop, shifted.fit)
        let verdicts =
            [
                Verdict(
                    .finding,
                    claim:
                        "Reusing the test set does not reorder the models: their ranking on a fresh test set from the "
                        + "same distribution agrees with the original one (Kendall τ ≥ \(Self.orderThreshold)).",
                    supported: order.supported,
                    evidence: String(
                        format:
                            "Over %d models: τ = %.3f, 95%% bootstrap CI "
                            + "[%.3f, %.3f]; fresh ≈ %.3f × original %+.3f: %@.",
                        models.count, tau.estimate, tau.lower, tau.upper, freshFit.slope, freshFit.intercept,
                        order.reason),
                    values: order.values.merging(["tau": tau.estimate]) { a, _ in a })
            ] + reuse.verdicts + shifted.verdicts
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: [
                "tau": JSONValue(tau.estimate), "picks_mean_drop": JSONValue(dropCI.estimate),
                "picks_extra_drop": JSONValue(extra.estimate), "mean_shift_drop": JSONValue(shiftCI.estimate),
                "shift_slope": JSONValue(shiftFit.slope),
            ],
            verdicts: verdicts, command: command, figures: figures,
            tables: tables(models) + [
                comparisons(control: controlExtra, extra: extra, margin: margin, shift: shiftCI, verdicts: verdicts)
            ], seconds: seconds,
            references: [
                Reference(
                    source: "Recht, Roelofs, Schmidt & Shankar (2019), CIFAR-10.1 and ImageNetV2",
                    value:
                        "accuracy drops of 3–15% (CIFAR-10) with the models' "
                        + "order preserved and a linear trend of slope > 1",
                    what:
                        "their new test sets differ slightly in distribution; here a fresh draw of MNIST-1D's "
                        + "generator, and one with more noise"
                )
            ])
    }

    /// No measurable overfitting from reuse: decided only when there are picks and others to
    /// compare and the positive control saw reuse where it must.
    static func overfitOutcome(picks: Int, others: Int, control: RuleOutcome, extra: Interval, margin: Double)
        -> RuleOutcome
    {
        if others < 2 || picks < 2 {
            return RuleOutcome(supported: nil, values: [:], reason: "fewer than two picks or two other models")
        }
        if control.supported != true {
            return RuleOutcome(
                supported: nil, values: [:],
                reason:
                    "the positive control did not show reuse where it must "
                    + "(\(control.reason)): the design could not have seen it"
            )
        }
        return VerdictRules.withinMargin(extra, margin: margin, of: "0 (the picks' extra drop)")
    }

    /// Every model's three accuracies, and each model's accuracy on the control's blocks.
    func tables(_ models: [Model]) -> [Table] {
        var table = Table(
            name: "models",
            columns: [
                "family", "learning_rate", "epochs", "seed", "original_accuracy", "fresh_accuracy", "shifted_accuracy",
                "selected",
            ])
        for m in models {
            table.append([
                .string(m.family), JSONValue(m.learningRate), JSONValue(m.epochs), JSONValue(m.seed),
                JSONValue(m.original), JSONValue(m.fresh),
                JSONValue(m.shifted), JSONValue(m.selected ? 1 : 0),
            ])
        }
        var blocks = Table(
            name: "control_blocks", columns: ["family", "learning_rate", "epochs", "seed", "block", "accuracy"])
        for m in models {
            for (b, a) in m.controlAccuracies.enumerated() {
                blocks.append([
                    .string(m.family), JSONValue(m.learningRate), JSONValue(m.epochs), JSONValue(m.seed), JSONValue(b),
                    JSONValue(a),
                ])
            }
        }
        return [table, blocks]
    }

    var figures: [FigureSpec] {
        let figure = FigureSpec(
            file: "retest.svg", title: "Accuracy on the reused test set against fresh and shifted test sets",
            kind: .scatter, table: "models",
            x: "original_accuracy", xLabel: "accuracy on the original (reused) test set",
            yLabel: "accuracy on the new test set",
            series: [
                .init(y: "fresh_accuracy", label: "fresh, same distribution"),
                .init(y: "shifted_accuracy", label: "shifted (\(shift))"),
            ])
        let forest = FigureSpec.forest(
            file: "comparisons.svg", title: "What the reuse and shift verdicts decided: accuracy differences",
            xLabel:
                "difference in accuracy (95% interval); the margin: half of what selection on noise alone would cause",
            interval: "estimate (95% t or Welch interval)")
        return [figure, forest]
    }

    /// The accuracy differences the verdicts decided (control, reuse, shift), for the forest plot.
    func comparisons(
        control controlExtra: Interval, extra: Interval, margin: Double, shift shiftCI: Interval, verdicts: [Verdict]
    ) -> Table {
        // The accuracy differences the verdicts decided, each on the interval its rule used: the
        // control's t interval over blocks, the picks' Welch interval with its margin, and the
        // shift's t interval (`belowEverywhere` on one sample decides on the same 95% interval).
        var comparisons = ComparisonTable()
        comparisons.add(
            "positive control: picks' extra drop, picked on \(Self.controlCount) samples", quantity: "accuracy",
            estimate: controlExtra.estimate, lower: controlExtra.lower, upper: controlExtra.upper, verdict: verdicts[1])
        comparisons.add(
            "picks' extra drop (original − fresh), picks − others", quantity: "accuracy",
            estimate: extra.estimate, lower: extra.lower, upper: extra.upper, margin: margin.isFinite ? margin : 0,
            verdict: verdicts[2])
        comparisons.add(
            "original − shifted accuracy, every model", quantity: "accuracy", estimate: shiftCI.estimate,
            lower: shiftCI.lower, upper: shiftCI.upper, verdict: verdicts[3])
        return comparisons.table
    }
}

import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// Keskar, Mudigere, Nocedal, Smelyanskiy & Tang (2017): networks trained with large batches
/// end in sharper minima and generalize worse than with small batches. The same network (the
/// same initialization per seed) is trained by plain SGD at one learning rate with each batch
/// size of a grid — a small batch, 10% of the training set (Keskar's "large batch"), and the
/// whole training set (full-batch gradient descent) — until the training loss reaches the same
/// target. At each minimum: λ_max (Lanczos), the trace (exact for a ReLU MLP: the Gauss–Newton
/// diagonal), Keskar's ε-sharpness, and the test error. Comparisons are paired by seed.
public struct BatchSizeSharpness: Codable, Sendable {
    /// Dataset spec, with class labels.
    public var data: String
    /// The network, a model spec (e.g. mlp:512x512).
    public var model: String
    /// Batch sizes of the grid besides 10% of the training set and the full set (always added);
    /// the smallest is the "small batch".
    public var batchSizes: [Int]
    /// Keskar's large batch, as a fraction of the training set.
    public var largeFraction: Double
    /// Learning rate (SGD, momentum 0.9), the same at every batch size.
    public var learningRate: Double
    /// Every run trains until the training loss is at most this ("the same training loss").
    public var targetLoss: Double
    /// Epoch limit per run; a run that misses the target loss by then is left out and named.
    public var maxEpochs: Int
    /// Seeds (networks) per batch size.
    public var seeds: Int
    /// Training samples the curvature is measured on (a seeded random subset).
    public var samples: Int
    /// ε of Keskar et al.'s sharpness: the largest loss rise within a box of relative size ε.
    public var epsilon: Double

    public init(
        data: String = "mnist1d:train=1000,test=1000", model: String = "mlp:100", batchSizes: [Int] = [32, 64],
        largeFraction: Double = 0.1,
        learningRate: Double = 0.3, targetLoss: Double = 0.1, maxEpochs: Int = 3000, seeds: Int = 5,
        samples: Int = 1000, epsilon: Double = 1e-3
    ) {
        self.data = data
        self.model = model
        self.batchSizes = batchSizes
        self.largeFraction = largeFraction
        self.learningRate = learningRate
        self.targetLoss = targetLoss
        self.maxEpochs = maxEpochs
        self.seeds = seeds
        self.samples = samples
        self.epsilon = epsilon
    }

    /// One trained network and its measurements.
    public struct Run: Codable, Sendable {
        var seed: Int, batch: Int, steps: Int, epochs: Int, reachedTarget: Bool
        var trainLoss: Double, trainError: Double, testError: Double
        var lambdaMax: Double, lanczosConverged: Bool, trace: Double, epsilonSharpness: Double
    }
}

extension BatchSizeSharpness: LiveMeasurement, RepeatedOverSeeds {
    public var name: String { "batch-size-sharpness" }

    public func validate() throws {
        _ = try ModelSpec(parsing: model)
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 >= 1 }) else {
            throw GenLabError.usage("the batch sizes must be ≥ 1, got \(batchSizes)")
        }
        guard largeFraction > 0 && largeFraction < 1 else {
            throw GenLabError.usage("the large batch fraction must be in (0, 1), got \(largeFraction)")
        }
        guard learningRate > 0, targetLoss > 0, maxEpochs >= 1 else {
            throw GenLabError.usage(
                "learning rate, target loss > 0 and epochs ≥ 1, got \(learningRate), \(targetLoss), \(maxEpochs)")
        }
        guard seeds >= 2 else { throw GenLabError.usage("paired comparisons need at least 2 seeds, got \(seeds)") }
        guard samples >= 2, epsilon > 0 else {
            throw GenLabError.usage("samples ≥ 2 and ε > 0, got \(samples), \(epsilon)")
        }
    }

    /// The grid for n training samples: the given sizes, 10% of n and n itself, ascending.
    func grid(_ n: Int) -> (all: [Int], small: Int, large: Int, full: Int) {
        let large = max(1, Int((largeFraction * Double(n)).rounded()))
        let all = Array(Set(batchSizes.filter { $0 <= n } + [large, n])).sorted()
        return (all, min(batchSizes.min()!, n), large, n)
    }

    /// Every network, and the training-set size n the batch grid is drawn from.
    public struct Outcomes: Codable, Sendable {
        var trainCount: Int
        var runs: [Run]
    }

    /// Trains one network per batch size and seed to the target loss, and measures its curvature.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        let g = grid(split.train.count)
        guard g.small < g.large else {
            throw GenLabError.usage(
                "the small batch (\(g.small)) must be smaller than \(Int(largeFraction * 100))% of the "
                    + "\(split.train.count) training samples (\(g.large))"
            )
        }
        let jobs = (0..<seeds).flatMap { s in g.all.map { (seed: s, batch: $0) } }
        let counter = Counter()
        let live = liveSeeds(context, perSeed: g.all.count) {
            Outcomes(trainCount: split.train.count, runs: $0)
        }
        let runs: [Run] = try parallelMap(jobs.count) { i -> Result<Run, Error> in
            defer {
                let k = counter.increment()
                context.progress.report(
                    "\(k) of \(jobs.count) networks trained and measured", Double(k) / Double(jobs.count))
            }
            return Result {
                try trainAndMeasure(split, seed: jobs[i].seed, batch: jobs[i].batch, events: context.events)
            }.publishing(i, to: live)
        }.map { try $0.get() }
        return Measured(Outcomes(trainCount: split.train.count, runs: runs))
    }

    /// The paired comparisons of small against large batches, from the runs alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        result(measured.outcomes.runs, grid(measured.outcomes.trainCount), seconds: 0, command: "").noting(
            measured.notes)
    }

    func trainAndMeasure(_ split: DataSplit, seed: Int, batch: Int, events: TrainingEvents?) throws -> Run {
        let net: Network<Float> = try ModelSpec(parsing: model).network(
            for: split.train, imageShape: split.sampleShape, seed: UInt64(seed))
        let config = TrainingConfig(
            epochs: maxEpochs, batchSize: batch,
            optimizer: OptimizerConfig(kind: .sgd, learningRate: learningRate, momentum: 0),
            seed: UInt64(seed), targetLoss: targetLoss, evaluateEvery: maxEpochs)
        let run = Trainer<Float>(config, events: events).train(net, train: split.train, test: split.test)
        let last = run.final
        let c = try MinimumCurvature(net, train: split.train, samples: samples, seed: UInt64(seed))
        let sharp = try Curvature.epsilonSharpness(c.objective, epsilon: epsilon, iterations: 20)
        return Run(
            seed: seed, batch: batch, steps: run.steps, epochs: last?.epoch ?? 0,
            reachedTarget: run.stoppedBecause == .targetLoss,
            trainLoss: last?.trainLoss ?? .nan, trainError: last?.trainError ?? .nan,
            testError: last?.testError ?? .nan,
            lambdaMax: c.lambdaMax, lanczosConverged: c.lanczosConverged, trace: c.trace,
            epsilonSharpness: sharp.sharpness)
    }

    /// Per seed, (value at batch a, value at batch b) where both runs reached the target loss.
    func pairs(_ runs: [Run], _ a: Int, _ b: Int, _ value: (Run) -> Double) -> [(Double, Double)] {
        (0..<seeds).compactMap { s in
            guard let ra = runs.first(where: { $0.seed == s && $0.batch == a && $0.reachedTarget }),
                let rb = runs.first(where: { $0.seed == s && $0.batch == b && $0.reachedTarget })
            else { return nil }
            return (value(ra), value(rb))
        }
    }

    /// The least rise of test error (a fraction) that counts as "generalizes worse".
    static let leastTestErrorRise = 0.01

    /// "b's value exceeds a's": the paired differences a − b below 0 (`VerdictRules.belowEverywhere`).
    func exceeds(_ runs: [Run], _ a: Int, _ b: Int, _ value: (Run) -> Double) -> (RuleOutcome, Interval, Int) {
        let p = pairs(runs, a, b, value)
        // No seed whose two runs both reached the target: nothing to compare, not a crash.
        guard !p.isEmpty else {
            return (
                RuleOutcome(supported: nil, values: [:], reason: "no seed has both runs at the target loss"),
                Self.interval(p), 0
            )
        }
        return (VerdictRules.belowEverywhere(samples: [p.map { $0 - $1 }], limits: [0]), Self.interval(p), p.count)
    }

    /// The 95% t interval of the paired differences b − a; NaN without a pair.
    static func interval(_ p: [(Double, Double)]) -> Interval {
        p.isEmpty ? Interval(estimate: .nan, lower: .nan, upper: .nan, level: 0.95) : Stats.tInterval(p.map { $1 - $0 })
    }

    /// "NAME paired over n seeds: mean difference …, 95% CI […]; REASON".
    func describe(_ name: String, _ i: Interval, _ n: Int, _ r: RuleOutcome) -> String {
        String(
            format: "%@ paired over %d seeds: mean difference %.4g, 95%% CI [%.4g, %.4g]; %@", name, n, i.estimate,
            i.lower, i.upper, r.reason)
    }

    typealias BatchGrid = (all: [Int], small: Int, large: Int, full: Int)

    /// The paired comparisons and the trend the verdicts rest on.
    struct Comparisons {
        var sharper: RuleOutcome, sharperCI: Interval, sharperPairs: Int, traceCI: Interval, epsCI: Interval
        var worse: RuleOutcome, worseCI: Interval, worsePairs: Int
        var gdSharper: RuleOutcome, gdCI: Interval, gdPairs: Int
        var sgdBetter: RuleOutcome, gdErrorCI: Interval, gdErrorPairs: Int
        var trend: RuleOutcome, reached: [Run], rho: Double, seedRho: Double
    }

    func compare(_ runs: [Run], _ g: BatchGrid) -> Comparisons {
        let (sharper, sharperCI, n1) = exceeds(runs, g.small, g.large) { $0.lambdaMax }
        let traceCI = exceeds(runs, g.small, g.large) { $0.trace }.1
        let epsCI = exceeds(runs, g.small, g.large) { $0.epsilonSharpness }.1
        // "Generalizes worse" can also come out "no effect": a rise under one point of test error
        // (Keskar et al. report 1–5) counts as none, an equivalence margin fixed before the run.
        let errorPairs = pairs(runs, g.small, g.large) { $0.testError }
        let worse = VerdictRules.lowers(
            differences: errorPairs.map { $0 - $1 }, leastEffect: Self.leastTestErrorRise,
            what: String(format: "test error(batch %d) − test error(batch %d)", g.small, g.large),
            nothing: "the large batch costs less than a point of test error, no effect that matters")
        let (gdSharper, gdCI, n4) = exceeds(runs, g.small, g.full) { $0.lambdaMax }
        // SGD against full-batch gradient descent at the same training loss: does the noisy
        // route reach a solution that tests better (by a point or more, the same margin)?
        let gdPairs = pairs(runs, g.small, g.full) { $0.testError }
        let sgdBetter = VerdictRules.lowers(
            differences: gdPairs.map { $0 - $1 }, leastEffect: Self.leastTestErrorRise,
            what: String(format: "test error(batch %d) − test error(full batch)", g.small),
            nothing: "SGD's solution tests less than a point better, no effect that matters")
        let reached = runs.filter(\.reachedTarget)
        // Runs of one seed share their start and data order: the trend is taken within each seed, and the seeds are the
        // units.
        let trend = VerdictRules.monotoneTrend(
            x: reached.map(\.lambdaMax), y: reached.map(\.testError), clusters: reached.map(\.seed), direction: 1)
        // The pooled ρ is shown for the picture; the verdict is the within-seed ρ's test over seeds.
        let rho = reached.count >= 2 ? Stats.spearmanRho(reached.map(\.lambdaMax), reached.map(\.testError)) : .nan
        return Comparisons(
            sharper: sharper, sharperCI: sharperCI, sharperPairs: n1, traceCI: traceCI, epsCI: epsCI,
            worse: worse, worseCI: Self.interval(errorPairs), worsePairs: errorPairs.count,
            gdSharper: gdSharper, gdCI: gdCI, gdPairs: n4,
            sgdBetter: sgdBetter, gdErrorCI: Self.interval(gdPairs), gdErrorPairs: gdPairs.count,
            trend: trend, reached: reached, rho: rho, seedRho: trend.values["mean_spearman_rho"] ?? .nan)
    }

    /// Large against small batch: sharper, and worse on the test set.
    func largeBatchVerdicts(_ c: Comparisons, _ g: BatchGrid) -> [Verdict] {
        [
            Verdict(
                .finding,
                claim:
                    "Training with a large batch (\(Int(largeFraction * 100))% of the training set) ends in a sharper "
                    + "minimum than with a small batch (\(g.small)), at the same training loss.",
                supported: c.sharper.supported,
                evidence: describe(
                    String(format: "λ_max(batch %d) − λ_max(batch %d)", g.large, g.small), c.sharperCI,
                    c.sharperPairs,
                    c.sharper)
                    + String(
                        format: ". Trace: %.4g [%.4g, %.4g]; ε-sharpness (ε = %g): %.4g [%.4g, %.4g].",
                        c.traceCI.estimate, c.traceCI.lower, c.traceCI.upper,
                        epsilon, c.epsCI.estimate, c.epsCI.lower, c.epsCI.upper),
                values: c.sharper.values.merging([
                    "mean_difference": c.sharperCI.estimate, "pairs": Double(c.sharperPairs),
                ]) { a, _ in a }),
            Verdict(
                .finding,
                claim:
                    "The large-batch minimum generalizes worse: higher test error at the same training loss (by a "
                    + "point or more; less counts as no effect).",
                supported: c.worse.supported,
                evidence: String(
                    format: "Paired over %d seeds (test error of batch %d minus batch %d: %+.4g on average): %@.",
                    c.worsePairs, g.large, g.small, c.worseCI.estimate, c.worse.reason),
                values: c.worse.values.merging([
                    "mean_difference": c.worseCI.estimate, "pairs": Double(c.worsePairs),
                ]) { _, b in b }),
        ]
    }

    /// Sharpness against test error across batches, and SGD against full-batch gradient descent.
    func trendAndFullBatchVerdicts(_ c: Comparisons, _ g: BatchGrid) -> [Verdict] {
        [
            Verdict(
                .finding, claim: "Across batch sizes, sharpness and test error rise together.",
                supported: c.trend.supported,
                evidence: String(
                    format:
                        "Spearman ρ between λ_max and test error within each seed (batches %@, %d seeds, %d runs): "
                        + "mean %.3f (all runs pooled: %.3f); %@.",
                    g.all.map(String.init).joined(separator: ", "), seeds, c.reached.count, c.seedRho, c.rho,
                    c.trend.reason),
                values: c.trend.values.merging(["pooled_spearman_rho": c.rho]) { a, _ in a }),
            Verdict(
                .finding,
                claim:
                    "SGD (batch \(g.small)) finds flatter minima than "
                    + "full-batch gradient descent at the same training loss.",
                supported: c.gdSharper.supported,
                evidence: describe(
                    String(format: "λ_max(full batch, %d) − λ_max(batch %d)", g.full, g.small), c.gdCI, c.gdPairs,
                    c.gdSharper),
                values: c.gdSharper.values.merging(["mean_difference": c.gdCI.estimate, "pairs": Double(c.gdPairs)]) {
                    a, _ in a
                }),
            Verdict(
                .finding,
                claim:
                    "SGD's solution generalizes better than full-batch gradient descent's at the same training loss "
                    + "(by a point or more; less counts as no effect).",
                supported: c.sgdBetter.supported,
                evidence: String(
                    format: "Paired over %d seeds (test error of the full batch minus batch %d: %+.4g on average): %@.",
                    c.gdErrorPairs, g.small, c.gdErrorCI.estimate, c.sgdBetter.reason),
                values: c.sgdBetter.values.merging([
                    "mean_difference": c.gdErrorCI.estimate, "pairs": Double(c.gdErrorPairs),
                ]) { _, b in b }),
        ]
    }

    func result(_ runs: [Run], _ g: BatchGrid, seconds: Double, command: String) -> ExperimentResult {
        let c = compare(runs, g)
        let verdicts = largeBatchVerdicts(c, g) + trendAndFullBatchVerdicts(c, g)
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0,
            metrics: [
                "runs": JSONValue(runs.count), "runs_reaching_target": JSONValue(c.reached.count),
                "small_batch": JSONValue(g.small),
                "large_batch": JSONValue(g.large), "full_batch": JSONValue(g.full), "spearman_rho": JSONValue(c.rho),
                "lambda_max_difference": JSONValue(c.sharperCI.estimate),
                "test_error_difference": JSONValue(c.worseCI.estimate),
                "gd_lambda_max_difference": JSONValue(c.gdCI.estimate),
            ],
            verdicts: verdicts, command: command, figures: figures,
            tables: tables(runs, g, reached: c.reached) + [
                comparisons(
                    g, sharper: c.sharperCI, gd: c.gdCI, worse: c.worseCI, gdError: c.gdErrorCI, verdicts: verdicts)
            ],
            seconds: seconds, notes: notes(runs),
            references: [
                Reference(
                    source:
                        "Keskar et al. (2017), On large-batch training for deep learning: generalization gap and sharp "
                        + "minima, Table 2 and §3",
                    value:
                        "large batch (10% of the training set): 1–5 points more test error and ε-sharpness several "
                        + "times larger, on MNIST, TIMIT and CIFAR networks trained with Adam",
                    what:
                        "their setting: larger networks, Adam, ε-sharpness by L-BFGS-B; here plain SGD at one "
                        + "learning rate on a small MLP"
                )
            ])
    }

    /// Runs that missed the target loss, and λ_max that did not converge.
    func notes(_ runs: [Run]) -> [String] {
        let missed = runs.filter { !$0.reachedTarget }
        var notes = [String]()
        if !missed.isEmpty {
            notes.append(
                "\(missed.count) of \(runs.count) runs did not reach the training loss \(targetLoss) within "
                    + "\(maxEpochs) epochs (batches \(Set(missed.map(\.batch)).sorted())); "
                    + "they are left out of the comparisons."
            )
        }
        if runs.contains(where: { !$0.lanczosConverged }) {
            notes.append("Some λ_max did not converge to the residual tolerance (see runs.csv).")
        }
        return notes
    }

    /// Every run, and each batch size's means over the runs that reached the target.
    func tables(_ runs: [Run], _ g: (all: [Int], small: Int, large: Int, full: Int), reached: [Run]) -> [Table] {
        var table = Table(
            name: "runs",
            columns: [
                "seed", "batch", "steps", "epochs", "reached_target", "train_loss", "train_error", "test_error",
                "lambda_max", "lanczos_converged", "trace", "epsilon_sharpness",
            ])
        for r in runs {
            table.append([
                JSONValue(r.seed), JSONValue(r.batch), JSONValue(r.steps), JSONValue(r.epochs), .bool(r.reachedTarget),
                JSONValue(r.trainLoss),
                JSONValue(r.trainError), JSONValue(r.testError), JSONValue(r.lambdaMax), .bool(r.lanczosConverged),
                JSONValue(r.trace), JSONValue(r.epsilonSharpness),
            ])
        }
        var summary = Table(
            name: "by_batch",
            columns: [
                "batch", "runs", "lambda_max", "lambda_max_lower", "lambda_max_upper", "test_error", "test_error_lower",
                "test_error_upper", "trace", "epsilon_sharpness", "steps", "train_loss",
            ])
        for b in g.all {
            let rs = reached.filter { $0.batch == b }
            guard !rs.isEmpty else { continue }
            let l = Stats.tInterval(rs.map(\.lambdaMax))
            let t = Stats.tInterval(rs.map(\.testError))
            summary.append([
                JSONValue(b), JSONValue(rs.count), JSONValue(l.estimate), JSONValue(l.lower), JSONValue(l.upper),
                JSONValue(t.estimate), JSONValue(t.lower),
                JSONValue(t.upper), JSONValue(Stats.mean(rs.map(\.trace))),
                JSONValue(Stats.mean(rs.map(\.epsilonSharpness))), JSONValue(Stats.mean(rs.map { Double($0.steps) })),
                JSONValue(Stats.mean(rs.map(\.trainLoss))),
            ])
        }
        return [table, summary]
    }

    var figures: [FigureSpec] {
        [
            FigureSpec(
                file: "sharpness.svg", title: "Sharpness at the minimum against the batch size", table: "by_batch",
                x: "batch", xLabel: "batch size",
                yLabel: "λ_max", xLog: true,
                series: [
                    .init(
                        y: "lambda_max", label: "λ_max (mean, 95% CI over seeds)", lower: "lambda_max_lower",
                        upper: "lambda_max_upper", markers: true)
                ]),
            FigureSpec(
                file: "test_error.svg", title: "Test error against the batch size", table: "by_batch", x: "batch",
                xLabel: "batch size",
                yLabel: "test error", xLog: true,
                series: [
                    .init(
                        y: "test_error", label: "test error (mean, 95% CI)", lower: "test_error_lower",
                        upper: "test_error_upper", markers: true)
                ]),
            FigureSpec(
                file: "sharpness_vs_error.svg", title: "Test error against sharpness, every run", kind: .scatter,
                table: "runs", x: "lambda_max", xLabel: "λ_max",
                yLabel: "test error", series: [.init(y: "test_error", label: "one run")], fitLine: true),
            FigureSpec.forest(
                file: "comparisons_lambda_max.svg",
                title: "What the sharpness verdicts decided: paired λ_max differences", quantity: "λ_max",
                xLabel:
                    "paired difference in λ_max (95% t interval over seeds); right of 0: the larger batch is sharper"),
            FigureSpec.forest(
                file: "comparisons_test_error.svg",
                title: "What the generalization verdict decided: paired test-error difference", quantity: "test error",
                xLabel:
                    "paired difference in test error (95% t interval over seeds); right of the margin: the large batch "
                    + "generalizes worse"
            ),
        ]
    }

    /// The comparisons the verdicts decided (forest plots).
    func comparisons(
        _ g: (all: [Int], small: Int, large: Int, full: Int), sharper sharperCI: Interval, gd gdCI: Interval,
        worse worseCI: Interval, gdError gdErrorCI: Interval,
        verdicts: [Verdict]
    ) -> Table {
        // The comparisons the verdicts decided, as intervals of (larger batch − smaller batch):
        // `belowEverywhere` on the single paired sample decides on the same 95% t interval (sign
        // flipped), and `lowers` on the test errors on this interval's mirror with its margin.
        var comparisons = ComparisonTable()
        comparisons.add(
            "batch \(g.large) − batch \(g.small)", quantity: "λ_max", estimate: sharperCI.estimate,
            lower: sharperCI.lower, upper: sharperCI.upper, verdict: verdicts[0])
        comparisons.add(
            "full batch (\(g.full)) − batch \(g.small)", quantity: "λ_max", estimate: gdCI.estimate,
            lower: gdCI.lower,
            upper: gdCI.upper, verdict: verdicts[3])
        comparisons.add(
            "batch \(g.large) − batch \(g.small)", quantity: "test error", estimate: worseCI.estimate,
            lower: worseCI.lower, upper: worseCI.upper,
            margin: Self.leastTestErrorRise, verdict: verdicts[1])
        comparisons.add(
            "full batch (\(g.full)) − batch \(g.small)", quantity: "test error", estimate: gdErrorCI.estimate,
            lower: gdErrorCI.lower, upper: gdErrorCI.upper,
            margin: Self.leastTestErrorRise, verdict: verdicts[4])
        return comparisons.table
    }
}

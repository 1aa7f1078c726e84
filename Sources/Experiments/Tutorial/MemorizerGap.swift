import Datasets
import Foundation
import LinearAlgebra
import Measures

/// The experiment of the DocC tutorial "Write your own experiment": a 1-nearest-neighbour
/// classifier memorizes its training set — its training error is 0 whatever the labels — yet
/// its test error is far below chance on true labels and at chance on random ones. Training
/// error alone says nothing about generalization. One file plus one registry entry, with its
/// claim and claim group (`genlab run memorizer-gap`, `genlab serve`), tested in `MemorizerGapTests`.
public struct MemorizerGap: Codable, Sendable {
    /// A classification spec.
    public var data: String
    /// Fractions of training labels replaced by uniform random classes.
    public var fractions: [Double]
    /// Independent draws of the random labels per fraction.
    public var seeds: Int

    public init(data: String = "mnist1d:train=1000,test=1000", fractions: [Double] = [0, 0.5, 1], seeds: Int = 5) {
        self.data = data
        self.fractions = fractions
        self.seeds = seeds
    }

    /// "Far below chance": at least this much below it, with the interval.
    static let gapBelowChance = 0.1
    /// "At chance": within this much of it.
    static let chanceMargin = 0.05
}

extension MemorizerGap: LiveMeasurement, RepeatedOverSeeds {
    public var name: String { "memorizer-gap" }

    public func validate() throws {
        guard fractions.contains(0), fractions.contains(1), fractions.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw GenLabError.parameter(
                name: "fractions",
                problem: "must lie in [0, 1] and include 0 and 1, got \(fractions)")
        }
        guard seeds >= 2 else {
            throw GenLabError.parameter(
                name: "seeds",
                problem: "must be ≥ 2 (the verdicts need an interval), got \(seeds)")
        }
    }

    /// One memorizer: its training labels' fraction replaced at random, the draw's seed, and its errors.
    public struct Run: Codable, Sendable {
        var fraction: Double
        var seed: Int
        var trainError: Double
        var testError: Double
    }
    /// Every memorizer, and the class count chance is computed from.
    public struct Outcomes: Codable, Sendable {
        var classes: Int
        var runs: [Run]
    }

    /// Fits a memorizer per (seed, fraction), seed by seed: the seeds finished so far are a run of
    /// their own, which a live view analyzes.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else { throw GenLabError.usage("\(data): the memorizer needs class labels") }
        let k = split.train.classCount
        let live = liveSeeds(context, perSeed: fractions.count) {
            Outcomes(classes: k, runs: $0)
        }
        var runs = [Run]()
        for s in 0..<seeds {
            for f in fractions {
                let train = Self.randomized(split.train, fraction: f, seed: UInt64(s))
                runs.append(
                    Run(
                        fraction: f, seed: s, trainError: Self.error(train: train, on: train),
                        testError: Self.error(train: train, on: split.test)))
                live.finished(runs.count - 1, runs.last!)
            }
            context.progress.report("\(s + 1) of \(seeds) seeds", Double(s + 1) / Double(seeds))
        }
        return Measured(Outcomes(classes: k, runs: runs))
    }

    /// The two verdicts, the curve over fractions and every run, from the runs alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let runs = measured.outcomes.runs
        // Chance: the error of a guess drawn uniformly from the k classes, whatever the input —
        // what a memorizer of uniformly random labels predicts: 1 − 1/k.
        let chance = 1 - 1 / Double(measured.outcomes.classes)
        let byFraction = fractions.map { f in runs.filter { $0.fraction == f }.map(\.testError) }
        let trueLabels = byFraction[fractions.firstIndex(of: 0)!]
        let randomLabels = byFraction[fractions.firstIndex(of: 1)!]
        let below = VerdictRules.belowEverywhere(samples: [trueLabels], limits: [chance - Self.gapBelowChance])
        let atChance = VerdictRules.withinMargin(
            randomLabels.map { $0 - chance }, margin: Self.chanceMargin, of: "chance")
        let verdicts = [
            Verdict(
                .finding,
                claim:
                    "A memorizer (1-nearest neighbour, training error 0) still generalizes on true labels: its test "
                    + "error is far below chance.",
                supported: below.supported,
                evidence: String(
                    format: "Test error %.3f on true labels against chance %.3f: %@.", Stats.mean(trueLabels), chance,
                    below.reason), values: below.values),
            Verdict(
                .finding,
                claim:
                    "On random labels the same memorizer, still at training error 0, is at chance on the test set: "
                    + "training error says nothing about generalization.",
                supported: atChance.supported,
                evidence: String(
                    format: "Test error %.3f on random labels against chance %.3f: %@.", Stats.mean(randomLabels),
                    chance, atChance.reason), values: atChance.values),
        ]
        return ExperimentResult(
            experiment: name, configuration: [:], seed: 0, metrics: ["chance": JSONValue(chance)], verdicts: verdicts,
            command: "", figures: [Self.figure], tables: [curve(byFraction, chance: chance), table(runs)],
            notes: measured.notes)
    }

    /// Each fraction's mean test error with its 95% interval, beside chance.
    func curve(_ byFraction: [[Double]], chance: Double) -> Table {
        var curve = Table(name: "curve", columns: ["fraction", "test_error", "test_lower", "test_upper", "chance"])
        for (f, e) in zip(fractions, byFraction) {
            let ci = Stats.tInterval(e)
            curve.append([
                JSONValue(f), JSONValue(ci.estimate), JSONValue(ci.lower), JSONValue(ci.upper), JSONValue(chance),
            ])
        }
        return curve
    }

    /// Every run, fraction by fraction.
    func table(_ runs: [Run]) -> Table {
        var table = Table(name: "memorizer", columns: ["fraction", "seed", "train_error", "test_error"])
        for f in fractions {
            for r in runs where r.fraction == f {
                table.append([JSONValue(f), JSONValue(r.seed), JSONValue(r.trainError), JSONValue(r.testError)])
            }
        }
        return table
    }

    static let figure = FigureSpec(
        file: "memorizer.svg", title: "A memorizer's test error against the fraction of random labels", table: "curve",
        x: "fraction",
        xLabel: "fraction of training labels replaced at random", yLabel: "test error (training error is 0)",
        series: [
            .init(
                y: "test_error", label: "1-nearest neighbour (95% CI)", lower: "test_lower", upper: "test_upper",
                markers: true),
            .init(y: "chance", label: "chance", dashed: true),
        ])

    /// The claim, in the words the report shows above the verdicts.
    public static let claim = Claim(
        title: "Random labels: a memorizer generalizes on true labels, not on random ones",
        text:
            "Zhang et al.'s random-label experiment shows that a model can fit any labels, so fitting the training set "
            + "says nothing by itself about the test set. The plainest memorizer makes the point without any "
            + "training: a 1-nearest-neighbour classifier has training error 0 whatever the labels. On true labels "
            + "its test error is far below chance; on random labels it is at chance. Whatever explains "
            + "generalization, it is not the training error.",
        slides: ["Why Does Deep Learning Work?", "Deep Learning: Filling in the Gap"])

    /// The training set with a fraction of its labels replaced by uniform random classes.
    static func randomized(_ d: Dataset, fraction: Double, seed: UInt64) -> Dataset {
        var g = Generator(seed: seed, stream: 91)
        var out = d
        for i in out.labels.indices where g.uniform() < fraction { out.labels[i] = g.int(below: d.classCount) }
        return out
    }

    /// The 1-nearest-neighbour error of `train` on `test`: squared distances from one product,
    /// ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b.
    static func error(train: Dataset, on test: Dataset) -> Double {
        let dot = matmul(test.features, train.features, transB: true)  // [m, n]
        func norms(_ x: Matrix<Float>) -> [Float] {
            (0..<x.rows).map { r in (0..<x.cols).reduce(0) { $0 + x[r, $1] * x[r, $1] } }
        }
        let tn = norms(train.features)
        var wrong = 0
        for i in 0..<test.count {
            var best = 0
            var bestDistance = Float.infinity
            for j in 0..<train.count {
                let d = tn[j] - 2 * dot[i, j]  // ‖test_i‖² is the same for every j
                if d < bestDistance {
                    bestDistance = d
                    best = j
                }
            }
            if train.labels[best] != test.labels[i] { wrong += 1 }
        }
        return Double(wrong) / Double(test.count)
    }
}

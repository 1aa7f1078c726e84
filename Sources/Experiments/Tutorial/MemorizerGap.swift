import Datasets
import Foundation
import LinearAlgebra
import Measures

/// The experiment of the DocC tutorial "Write your own experiment": a 1-nearest-neighbour
/// classifier memorizes its training set — its training error is 0 whatever the labels — yet
/// its test error is far below chance on true labels and at chance on random ones. Training
/// error alone says nothing about generalization. Registered as a tool (`genlab run` does not
/// list it; `genlab rerun` reruns its result.json), tested in `MemorizerGapTests`.
public struct MemorizerGap: Codable, Sendable {
    /// A classification spec.
    public var data: String
    /// Fractions of training labels replaced by uniform random classes.
    public var fractions: [Double]
    /// Independent draws of the random labels per fraction.
    public var seeds: Int

    public init(data: String = "mnist1d:train=1000,test=1000", fractions: [Double] = [0, 0.5, 1], seeds: Int = 5) {
        self.data = data; self.fractions = fractions; self.seeds = seeds
    }

    /// "Far below chance": at least this much below it, with the interval.
    static let gapBelowChance = 0.1
    /// "At chance": within this much of it.
    static let chanceMargin = 0.05
}

extension MemorizerGap: Experiment {
    public var name: String { "memorizer-gap" }

    public func validate() throws {
        guard fractions.contains(0), fractions.contains(1), fractions.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw GenLabError.usage("--fractions must lie in [0, 1] and include 0 and 1, got \(fractions)")
        }
        guard seeds >= 2 else { throw GenLabError.usage("--seeds must be ≥ 2 (the verdicts need an interval), got \(seeds)") }
    }

    public func run(_ context: RunContext) throws -> ExperimentResult {
        let start = Timing.now()
        let split = try context.load(data, for: name)
        guard !split.train.isRegression else { throw GenLabError.usage("\(data): the memorizer needs class labels") }
        let k = split.train.classCount
        // Chance: the error of a guess drawn uniformly from the k classes, whatever the input —
        // what a memorizer of uniformly random labels predicts: 1 − 1/k.
        let chance = 1 - 1 / Double(k)
        var table = Table(name: "memorizer", columns: ["fraction", "seed", "train_error", "test_error"])
        var byFraction = [[Double]]()
        for f in fractions {
            var errors = [Double]()
            for s in 0..<seeds {
                let train = Self.randomized(split.train, fraction: f, seed: UInt64(s))
                let trainError = Self.error(train: train, on: train), testError = Self.error(train: train, on: split.test)
                table.append([JSONValue(f), JSONValue(s), JSONValue(trainError), JSONValue(testError)])
                errors.append(testError)
            }
            byFraction.append(errors)
        }
        let trueLabels = byFraction[fractions.firstIndex(of: 0)!], randomLabels = byFraction[fractions.firstIndex(of: 1)!]
        let below = VerdictRules.belowEverywhere(samples: [trueLabels], limits: [chance - Self.gapBelowChance])
        let atChance = VerdictRules.withinMargin(randomLabels.map { $0 - chance }, margin: Self.chanceMargin, of: "chance")
        let verdicts = [
            Verdict(.finding, claim: "A memorizer (1-nearest neighbour, training error 0) still generalizes on true labels: its test error is far below chance.",
                    supported: below.supported,
                    evidence: String(format: "Test error %.3f on true labels against chance %.3f: %@.", Stats.mean(trueLabels), chance, below.reason), values: below.values),
            Verdict(.finding, claim: "On random labels the same memorizer, still at training error 0, is at chance on the test set: training error says nothing about generalization.",
                    supported: atChance.supported,
                    evidence: String(format: "Test error %.3f on random labels against chance %.3f: %@.", Stats.mean(randomLabels), chance, atChance.reason), values: atChance.values),
        ]
        var curve = Table(name: "curve", columns: ["fraction", "test_error", "test_lower", "test_upper", "chance"])
        for (f, e) in zip(fractions, byFraction) {
            let ci = Stats.tInterval(e)
            curve.append([JSONValue(f), JSONValue(ci.estimate), JSONValue(ci.lower), JSONValue(ci.upper), JSONValue(chance)])
        }
        let figure = FigureSpec(file: "memorizer.svg", title: "A memorizer's test error against the fraction of random labels", table: "curve", x: "fraction",
                                xLabel: "fraction of training labels replaced at random", yLabel: "test error (training error is 0)",
                                series: [.init(y: "test_error", label: "1-nearest neighbour (95% CI)", lower: "test_lower", upper: "test_upper", markers: true),
                                         .init(y: "chance", label: "chance", dashed: true)])
        return ExperimentResult(experiment: name, configuration: [:], seed: 0, metrics: ["chance": JSONValue(chance)], verdicts: verdicts,
                                command: context.command, figures: [figure], tables: [curve, table], seconds: Timing.now() - start)
    }

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
        func norms(_ x: Matrix<Float>) -> [Float] { (0..<x.rows).map { r in (0..<x.cols).reduce(0) { $0 + x[r, $1] * x[r, $1] } } }
        let tn = norms(train.features)
        var wrong = 0
        for i in 0..<test.count {
            var best = 0, bestDistance = Float.infinity
            for j in 0..<train.count {
                let d = tn[j] - 2 * dot[i, j]  // ‖test_i‖² is the same for every j
                if d < bestDistance { bestDistance = d; best = j }
            }
            if train.labels[best] != test.labels[i] { wrong += 1 }
        }
        return Double(wrong) / Double(test.count)
    }
}

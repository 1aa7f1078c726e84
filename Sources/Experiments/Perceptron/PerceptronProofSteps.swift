import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The steps the talk's perceptron risk bounds stand on, each measured instead of assumed:
///
/// - **online-to-batch**: in one pass over n i.i.d. samples, sample t + 1 is independent of the
///   iterate w_t it meets, so E[mistakes]/n = E[risk of an iterate drawn uniformly from
///   w₀…w_{n−1}]: an identity, measured both ways over `trials` training sets;
/// - **leave-one-out**: run to zero mistakes (cyclic passes, a fixed order), a point that never
///   caused an update does not change the run when left out, so the leave-one-out errors are
///   at most the points that caused updates, at most the mistakes, at most R²/γ² (exact, on
///   `looTrials` sets);
/// - **orderings**: Novikoff's R²/γ² holds for every order; two adversaries that pick the next
///   point after every update (the most violated one; the misclassified one closest to w*, which
///   gains the least alignment) against `orders` random orders of the same sets: how close does
///   the worst order come to the bound?
public struct PerceptronProofSteps: Codable, Sendable {
    /// The separable distribution the training sets are drawn from (no atom on the margin).
    public var distribution: Separable
    /// Training samples per set.
    public var n: Int
    /// Independent training sets.
    public var trials: Int
    /// Sets whose leave-one-out error is computed exactly (n perceptron runs each).
    public var looTrials: Int
    /// Random orders per set the adversarial order is compared with.
    public var orders: Int
    /// Fresh samples the risks are measured on.
    public var testCount: Int
    /// Passes over a training set at most.
    public var maxEpochs: Int
    /// Seed of the training sets, the test sample and the orders.
    public var seed: UInt64

    public init(
        distribution: Separable = Separable(dimension: 20, margin: 0.1), n: Int = 200, trials: Int = 200,
        looTrials: Int = 20, orders: Int = 10,
        testCount: Int = 10_000, maxEpochs: Int = 10_000, seed: UInt64 = 0
    ) {
        self.distribution = distribution
        self.n = n
        self.trials = trials
        self.looTrials = looTrials
        self.orders = orders
        self.testCount = testCount
        self.maxEpochs = maxEpochs
        self.seed = seed
    }

    /// The online-to-batch identity's margin, fixed by the design: three standard errors of a
    /// risk of 1/2 measured on `testCount` points (the test sample is shared by every trial, so
    /// its error does not average away over trials).
    var identityMargin: Double { 3 * (0.25 / Double(testCount)).squareRoot() }
    /// The least excess of the slowest-progress order over random orders that counts: 10% more mistakes.
    static let leastOrderExcess = log(1.1)

    /// What one training set gave.
    public struct Trial: Codable, Sendable {
        var onlineMistakeRate: Double, randomIterateRisk: Double
        var mistakes: Int, support: Int, converged: Bool
        /// nil: not one of the leave-one-out sets.
        var looErrors: Int?
        var worstOrder: Int, slowestOrder: Int, adversariesConverged: Bool, randomOrders: [Int]
    }
}

extension PerceptronProofSteps: LiveMeasurement {
    public var name: String { "perceptron-proof" }

    public func validate() throws {
        try distribution.validate()
        guard n >= 2 else { throw GenLabError.parameter(name: "n", problem: "must be ≥ 2, got \(n)") }
        guard trials >= 2 else {
            throw GenLabError.parameter(name: "trials", problem: "must be ≥ 2 for an interval, got \(trials)")
        }
        guard (1...trials).contains(looTrials) else {
            throw GenLabError.parameter(
                name: "looTrials",
                problem: "must be between 1 and `trials` (\(trials)), got \(looTrials)")
        }
        guard orders >= 1, maxEpochs >= 1 else {
            throw GenLabError.usage("orders and maxEpochs must be ≥ 1, got \(orders) and \(maxEpochs)")
        }
        guard testCount >= 100 else {
            throw GenLabError.parameter(name: "testCount", problem: "must be ≥ 100, got \(testCount)")
        }
    }

    /// The distribution as drawn here: this seed, no atom on the margin (the bounds are about the support).
    var drawn: Separable {
        var d = distribution
        d.seed = seed
        d.onMarginFraction = 0
        return d
    }

    /// Every proof step on `trials` training sets, in parallel.
    public func measure(_ context: RunContext) throws -> Measured<[Trial]> {
        let dist = drawn
        let test = dist.draw(testCount, stream: 1_000_000, onMargin: false)
        let tx: Matrix<Double> = test.features.converted()
        let ty = try test.signedLabels()
        context.progress.report("\(trials) training sets of \(n)", 0)
        let live = liveUnits(context, count: self.trials) { (done: [Trial]) in
            var part = self
            part.trials = done.count
            return (part, done, partialNote(done.count, of: self.trials, "training sets"))
        }
        let trials: [Trial] = parallelMap(self.trials) { t in
            let trial = measure(set: t, dist: dist, testX: tx, testY: ty)
            live.finished(t, trial)
            return trial
        }
        return Measured(trials)
    }

    /// The proof steps' verdicts, from the trials alone.
    public func analyze(_ measured: Measured<[Trial]>) -> ExperimentResult {
        result(measured.outcomes, seconds: 0, command: "").noting(measured.notes)
    }

    /// Every step on training set `t`.
    func measure(set t: Int, dist: Separable, testX: Matrix<Double>, testY: [Double]) -> Trial {
        let train = dist.draw(n, stream: UInt64(t), onMargin: false)
        let x: Matrix<Double> = train.features.converted()
        let y = try! train.signedLabels()
        let onePass = Perceptron(maxEpochs: 1, recordIterates: true).fit(x, y)
        let full = Perceptron(maxEpochs: maxEpochs).fit(x, y)
        let limit = max(10 * Int(PerceptronBounds.mistakeBound(radius: dist.radius, margin: dist.margin)), 1000)
        let worst = Perceptron.worstMarginMistakes(x, y, limit: limit)
        let slowest = Perceptron.slowestProgressMistakes(x, y, separator: dist.plantedDirection(), limit: limit)
        let random = (0..<orders).map { k in
            Perceptron(maxEpochs: maxEpochs, shuffleSeed: seed &+ UInt64(t * orders + k) &+ 1).fit(x, y).mistakes.count
        }
        return Trial(
            onlineMistakeRate: Double(onePass.mistakes.count) / Double(n),
            randomIterateRisk: PerceptronBounds.randomIterateRisk(onePass, testX: testX, testY: testY),
            mistakes: full.mistakes.count, support: Set(full.mistakes.map(\.sample)).count, converged: full.converged,
            looErrors: t < looTrials && full.converged ? leaveOneOutErrors(x, y) : nil,
            worstOrder: worst.mistakes, slowestOrder: slowest.mistakes,
            adversariesConverged: worst.converged && slowest.converged, randomOrders: random)
    }

    /// Samples misclassified (y⟨w, x⟩ ≤ 0, as in training) by the perceptron run to convergence without them, in
    /// the same order.
    func leaveOneOutErrors(_ x: Matrix<Double>, _ y: [Double]) -> Int {
        (0..<x.rows).filter { i in
            let keep = (0..<x.rows).filter { $0 != i }
            let fit = Perceptron(maxEpochs: maxEpochs).fit(x.rows(keep), keep.map { y[$0] })
            let score = (0..<x.cols).reduce(0.0) { $0 + fit.weights[$1] * x[i, $1] }
            return y[i] * score <= 0
        }.count
    }
}

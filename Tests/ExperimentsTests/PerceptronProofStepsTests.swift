import Datasets
import Learners
import LinearAlgebra
import Measures
import XCTest

@testable import Experiments

/// The perceptron's proof steps: the adversaries within Novikoff's bound on random separable
/// instances, leave-one-out errors within the points that caused updates, and each verdict
/// coming out "not supported" on trials built to break it.
final class PerceptronProofStepsTests: XCTestCase {
    func testAdversariesAndLeaveOneOutOnRandomInstances() throws {
        for seed in 0..<5 as Range<UInt64> {
            var dist = Separable(dimension: 5, margin: 0.15, seed: seed)
            dist.onMarginFraction = 0
            let d = dist.draw(60, stream: 7, onMargin: false)
            let x: Matrix<Double> = d.features.converted()
            let y = try d.signedLabels()
            let bound = PerceptronBounds.mistakeBound(radius: x.rowNorms().max()!, margin: dist.margin)
            let worst = Perceptron.worstMarginMistakes(x, y, limit: 10_000)
            let slowest = Perceptron.slowestProgressMistakes(x, y, separator: dist.plantedDirection(), limit: 10_000)
            XCTAssertTrue(worst.converged && slowest.converged)
            XCTAssertLessThanOrEqual(Double(max(worst.mistakes, slowest.mistakes)), bound)
            let e = PerceptronProofSteps(n: 60)
            let full = Perceptron(maxEpochs: e.maxEpochs).fit(x, y)
            XCTAssertLessThanOrEqual(e.leaveOneOutErrors(x, y), Set(full.mistakes.map(\.sample)).count)
        }
        // Not separable: an adversary never runs out, and says so.
        let x = Matrix<Double>([[1, 0], [1, 0]])
        let y: [Double] = [1, -1]
        XCTAssertEqual(Perceptron.worstMarginMistakes(x, y, limit: 50).converged, false)
    }

    func trial(
        online: Double, risk: Double, loo: Int? = nil, support: Int = 3, slowest: Int = 8, random: [Int] = [4, 4]
    ) -> PerceptronProofSteps.Trial {
        .init(
            onlineMistakeRate: online, randomIterateRisk: risk, mistakes: support, support: support, converged: true,
            looErrors: loo,
            worstOrder: 4, slowestOrder: slowest, adversariesConverged: true, randomOrders: random)
    }

    func testEachVerdictCanFail() {
        let e = PerceptronProofSteps()
        var g = Generator(seed: 1)
        // Mistakes per sample off the random iterate's risk by 0.05 (a stream that is not i.i.d.).
        let shifted = (0..<50).map { _ in trial(online: 0.1 + 0.05 + 0.005 * g.normal(), risk: 0.1) }
        XCTAssertEqual(e.onlineToBatchVerdict(shifted).supported, false)
        let exact = (0..<50).map { _ in trial(online: 0.1 + 0.005 * g.normal(), risk: 0.1) }
        XCTAssertEqual(e.onlineToBatchVerdict(exact).supported, true)
        // A left-out point that never caused an update misclassified: the step fails.
        XCTAssertEqual(
            e.leaveOneOutVerdict([trial(online: 0, risk: 0, loo: 4, support: 3)], bound: 100).supported, false)
        XCTAssertEqual(
            e.leaveOneOutVerdict([trial(online: 0, risk: 0, loo: 2, support: 3)], bound: 100).supported, true)
        // An "adversary" no worse than random orders; one beyond the bound.
        let plain = (0..<30).map { _ in trial(online: 0, risk: 0, slowest: 4 + Int(g.uniform(0, 2)), random: [4, 5]) }
        XCTAssertEqual(e.orderingVerdicts(plain, bound: 100)[1].supported, false)
        XCTAssertEqual(e.orderingVerdicts([trial(online: 0, risk: 0, slowest: 120)], bound: 100)[0].supported, false)
    }

    func testTinyRunIsConsistent() throws {
        let e = Registry.entry(folder: "perceptron-proof")!.plan(.tiny).experiment as! PerceptronProofSteps
        let r = try e.execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts.map(\.kind), [.theorem, .theorem, .theorem, .finding])
        let t = r.tables[0]
        XCTAssertEqual(t.rows.count, e.trials)
        XCTAssertEqual(t.column("loo_errors").filter(\.isFinite).count, e.looTrials)
        let d = zip(t.column("online_mistake_rate"), t.column("random_iterate_risk")).map { $0 - $1 }
        XCTAssertEqual(r.verdicts[0].values["mean_difference"]!, d.reduce(0, +) / Double(d.count), accuracy: 1e-12)
    }
}

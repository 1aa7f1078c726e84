import Datasets
import Learners
import LinearAlgebra
import Measures
import XCTest

@testable import Experiments

/// Cohen et al.'s edge of stability: the rule on synthetic λ_max series — hovering at 2/η
/// (supported), settling 30% above it (not supported), stalling below it, reaching it too late or
/// starting above it (inconclusive) — and a tiny real run whose first λ_max is the network's own.
final class EdgeOfStabilityTests: XCTestCase {
    let e = EdgeOfStability(stepSizes: [1.0], steps: 1000, measureEvery: 20)

    func trajectory(_ lambda: (Int) -> Double, eta: Double = 1.0) -> EdgeOfStability.Trajectory {
        let steps = Array(stride(from: 0, through: 1000, by: 20))
        var g = Generator(seed: 1)
        var lambdas = [Double]()
        for s in steps { lambdas.append(lambda(s) * (1 + 0.01 * g.normal())) }
        var losses = [Double]()
        for k in 0..<1000 { losses.append(1 / Double(k + 10) + (k % 7 == 0 ? 0.001 : 0)) }
        return .init(
            eta: eta, measuredSteps: steps, lambdas: lambdas, converged: steps.map { _ in true }, losses: losses,
            diverged: false)
    }

    func trajectoryWithoutNoise(_ lambda: (Int) -> Double) -> EdgeOfStability.Trajectory {
        var t = trajectory(lambda)
        t.lambdas = t.measuredSteps.map(lambda)
        return t
    }

    func outcome(_ t: EdgeOfStability.Trajectory) -> Bool? {
        EdgeOfStability.settlesAtEdge(e.summarize(t), diverged: t.diverged).supported
    }

    func testRuleOnSyntheticSeries() {
        // Rises linearly from 1 to 2/η = 2 by step 400, then hovers.
        XCTAssertEqual(outcome(trajectory { min(1 + Double($0) / 400, 2.02) }), true)
        // Rises past the edge and settles 30% above it.
        XCTAssertEqual(outcome(trajectory { min(1 + Double($0) / 300, 2.6) }), false)
        // Levels off at 70% and at 95% of 2/η: the classical, stable outcome refutes the claim.
        XCTAssertEqual(outcome(trajectory { min(1 + Double($0) / 400, 1.4) }), false)
        XCTAssertEqual(outcome(trajectory { min(1 + Double($0) / 400, 1.9) }), false)
        // Still rising below the edge when the run ends: the budget ended during sharpening.
        XCTAssertNil(outcome(trajectory { 1 + Double($0) / 1200 }))
        // Sits at 99% of 2/η without noise, never crossing it: stable, below the edge.
        XCTAssertEqual(outcome(trajectoryWithoutNoise { min(1 + Double($0) / 400, 1.98) }), false)
        // Reaches the edge only inside the window (from step 600).
        XCTAssertNil(outcome(trajectory { min(1 + Double($0) / 800, 2.0) }))
        // Starts above 2/η: gradient descent is not stable at the start.
        XCTAssertNil(outcome(trajectory { _ in 2.5 }))
        // The whole result: a flat series shows no progressive sharpening.
        let flat = e.result([trajectory { _ in 1.0 }], seconds: 0, command: "t")
        XCTAssertNotEqual(flat.verdicts[0].supported, true, flat.verdicts[0].evidence)
        XCTAssertEqual(flat.verdicts[1].supported, false, flat.verdicts[1].evidence)
        // Upticks of the loss no larger than Float rounding (2e-6 of itself) do not make it
        // "non-monotone"; upticks of 2e-4 do.
        func losses(uptick: Double) -> [Double] {
            var l = [0.5]
            for k in 1..<1000 { l.append(l[k - 1] * (k % 7 == 0 ? 1 + uptick : 1 - 1e-4)) }
            return l
        }
        var smooth = trajectory { min(1 + Double($0) / 400, 2.02) }
        smooth.losses = losses(uptick: 2e-6)
        XCTAssertEqual(e.result([smooth], seconds: 0, command: "t").verdicts[2].supported, false)
        smooth.losses = losses(uptick: 2e-4)
        XCTAssertEqual(e.result([smooth], seconds: 0, command: "t").verdicts[2].supported, true)
    }

    func testTinyRunMeasuresTheNetworksOwnSharpness() throws {
        let tiny = EdgeOfStability(
            data: "mnist1d:train=200,test=100", model: "mlp:16", stepSizes: [1.0], steps: 100, measureEvery: 20)
        let r = try tiny.execute(RunContext(command: "t"))
        let table = r.tables.first { $0.name == "sharpness" }!
        XCTAssertEqual(table.rows.count, 6, "steps 0, 20, …, 100")
        // λ_max at step 0 is that of the freshly initialized network on the same loss.
        let split = try DatasetSpec(parsing: "mnist1d:train=200,test=100").load()
        let net = try Network<Float>(
            input: (split.train.featureCount, 1), hidden: try ModelSpec(parsing: "mlp:16").hidden,
            outputs: split.train.classCount,
            loss: .meanSquaredError, initialization: .uniform, seed: 0)
        let f = Objective(network: net, x: split.train.features, labels: split.train.labels)
        let e0 = try Curvature.extremeEigenvalues(
            HessianOperator(f), k: 1, smallest: false, tolerance: 1e-6, maxIterations: 300)
        XCTAssertEqual(table.rows[0][2].number!, e0.top[0], accuracy: 2e-3 * e0.top[0])
        XCTAssertThrowsError(try EdgeOfStability(stepSizes: [-1]).validate())
        XCTAssertThrowsError(try EdgeOfStability(steps: 100, measureEvery: 50).validate())
    }
}

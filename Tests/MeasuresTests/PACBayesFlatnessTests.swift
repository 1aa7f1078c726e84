import Datasets
import Foundation
import Learners
import LinearAlgebra
import XCTest

@testable import Measures

/// PAC-Bayes σ′ against a direct Monte Carlo of the error increase with fresh draws: at σ′ the
/// increase is the target (within the Monte Carlo's error), well below it at σ′/3 and above it
/// at 3σ′ — for the plain and the magnitude-aware noise.
final class PACBayesFlatnessTests: XCTestCase {
    func testSigmaAgainstDirectMonteCarlo() throws {
        let data = try DatasetSpec(parsing: "mnist1d:train=300,test=10").load().train
        let net: Network<Float> = try ModelSpec(parsing: "mlp:32").network(for: data, seed: 1)
        _ = Trainer<Float>(
            TrainingConfig(
                epochs: 30, batchSize: 50, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.05), seed: 1)
        )
        .train(net, train: data, test: data)
        let theta = net.parameterArray
        let base = net.evaluate(data).error
        let measure = PACBayesFlatness(draws: 10, steps: 16, seed: 3)
        let check = PACBayesFlatness(draws: 60, seed: 99)  // independent draws
        for aware in [false, true] {
            let s = measure.sigma(net, data: data, magnitudeAware: aware)
            XCTAssertGreaterThan(s, 1e-6)
            XCTAssertLessThan(s, 10)
            func increase(_ x: Double) -> Double {
                check.perturbedError(net, theta: theta, data: data, sigma: x, magnitudeAware: aware, stream: 7) - base
            }
            XCTAssertEqual(increase(s), 0.1, accuracy: 0.05, "magnitude-aware \(aware): σ′ = \(s)")
            XCTAssertLessThan(increase(s / 3), 0.1, "magnitude-aware \(aware)")
            XCTAssertGreaterThan(increase(3 * s), 0.1, "magnitude-aware \(aware)")
        }
        XCTAssertEqual(net.parameterArray, theta, "the network's parameters are restored")
    }
}

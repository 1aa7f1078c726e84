@testable import Experiments
import Datasets
import Foundation
import Learners
import XCTest

/// The width sweep over Nakkiran et al.'s standard CNN of width k: the networks are the spec's
/// own, a CNN on vectors is a clear error before training, and the published MLP setup keeps its
/// checkpoint keys (its stored points stay valid).
final class WidthSweepCNNTests: XCTestCase {
    func testTheStandardCNNOfWidthKIsTheSpecsNetwork() throws {
        let split = try DatasetSpec(parsing: "fashion-mnist:train=20,test=20").load(dataDirectory: nil)
        let sweep = WidthSweep(architecture: .standardCNN, optimizer: .adam)
        let (net, initialization) = try sweep.network(width: 3, for: split, seed: 1)
        let spec = try ModelSpec(parsing: ModelSpec.standardCNN(width: 3))
        let reference: Network<Float> = try spec.network(for: split.train, imageShape: split.sampleShape, seed: 1)
        XCTAssertEqual(net.parameterCount, reference.parameterCount)
        XCTAssertEqual(net.parameterArray, reference.parameterArray, "the same seed, the same start")
        XCTAssertEqual(initialization, spec.initialization(nil))
        XCTAssertEqual(sweep.optimizerConfig.kind, .adam)
        XCTAssertEqual(sweep.symbol, "k")
    }

    func testACNNOnVectorsFailsBeforeTraining() throws {
        let sweep = WidthSweep(data: "mnist1d:train=50,test=50", widths: [2], epochs: 1, architecture: .standardCNN)
        XCTAssertThrowsError(try sweep.execute(RunContext(command: "t")))
    }

    func testThePublishedSetupKeepsItsKeysAndItsMLP() throws {
        let mlp = WidthSweep()
        XCTAssertEqual(mlp.recipeSuffix, "")
        XCTAssertEqual(mlp.optimizerConfig.kind, .sgd)
        XCTAssertFalse(try mlp.configuration().keys.contains("architecture"), "an unset field is not written: old configurations decode")
        XCTAssertEqual(WidthSweep(architecture: .standardCNN, optimizer: .adam).recipeSuffix, " architecture=standard-cnn optimizer=adam")
    }
}

import Datasets
import Foundation
import Learners
import XCTest

@testable import Experiments

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

    func testThePublishedSetupKeepsItsMLPAndTheCNNHasItsOwnPoints() throws {
        let mlp = WidthSweep()
        XCTAssertEqual(mlp.optimizerConfig.kind, .sgd)
        XCTAssertFalse(
            try mlp.configuration().keys.contains("architecture"),
            "an unset field is not written: old configurations decode")
        let cnn = WidthSweep(architecture: .standardCNN, optimizer: .adam)
        XCTAssertNotEqual(
            try Sweep<Int, Double>.context(of: mlp, recipe: "r", data: "d"),
            try Sweep<Int, Double>.context(of: cnn, recipe: "r", data: "d"),
            "the CNN's points never read as the MLP's")
    }
}

/// A sweep's point addresses hold every setting but the grid's, derived from the configuration:
/// for each pointwise experiment of the registry, each key of its configuration is in the
/// address exactly when it is not a per-point field, and a changed setting changes the address.
final class DerivedSweepKeyTests: XCTestCase {
    func context<E: PointwiseExperiment>(_ e: E) throws -> String {
        try Sweep<Int, Double>.context(of: e, recipe: "recipe", data: "fingerprint")
    }
    func fields<E: PointwiseExperiment>(_ e: E) -> Set<String> { E.perPointFields }

    func testEverySettingButTheGridsIsInTheAddress() throws {
        let pointwise = Registry.entries.compactMap { $0.plan(.tiny).experiment as? any PointwiseExperiment }
        XCTAssertGreaterThanOrEqual(pointwise.count, 6)
        for e in pointwise {
            let text = try context(e)
            let perPoint = fields(e)
            XCTAssertTrue(text.contains("recipe") && text.contains("fingerprint") && text.hasPrefix(e.name))
            for key in try e.configuration().keys {
                XCTAssertEqual(text.contains("\"\(key)\":"), !perPoint.contains(key), "\(e.name): \(key)")
            }
        }
        var w = WidthSweep()
        var v = w
        v.epochs += 1
        XCTAssertNotEqual(try context(w), try context(v), "epochs: in every address")
        v = w
        v.widths = [2, 3]
        v.seeds = 7
        XCTAssertEqual(try context(w), try context(v), "the grid: in each point's key instead")
        w.learningRate = 0.02
        XCTAssertNotEqual(try context(w), try context(WidthSweep()))
    }
}

import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import XCTest
import TestSupport

/// Trained networks shared by recipe: reused only for the same data, architecture, training and
/// seed; a stored network whose files do not match is trained again.
final class NetworkStoreTests: XCTestCase {
    func tempDir() -> String { Scratch.path("networks") }

    func testReuseByRecipeAndRetrainOnMismatch() throws {
        let store = NetworkStore(folder: tempDir())
        let split = try DatasetSpec(parsing: "mnist1d:train=200,test=100").load()
        let config = TrainingConfig(epochs: 2, batchSize: 50, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.05, momentum: 0.9), seed: 1)
        func fresh(seed: UInt64 = 1) throws -> Network<Float> { try Network<Float>(input: (40, 1), hidden: [.dense(outputs: 8), .relu], outputs: 10, seed: seed) }
        func recipe(_ net: Network<Float>, seed: UInt64 = 1, training: TrainingConfig = config) -> TrainingRecipe {
            TrainingRecipe(data: split.fingerprint, architecture: TrainingRecipe.architecture(of: net, initialization: .he, seed: seed), training: training)
        }
        var calls = 0
        let train = { (n: Network<Float>) -> TrainingRun in calls += 1; return Trainer<Float>(config).train(n, train: split.train, test: split.test) }
        let a = try fresh()
        let first = store.trained(recipe(a), network: a, train: train)
        XCTAssertFalse(first.reused); XCTAssertEqual(calls, 1)
        // The same recipe: the stored weights and run, no training.
        let b = try fresh()
        let second = store.trained(recipe(b), network: b, train: train)
        XCTAssertTrue(second.reused); XCTAssertEqual(calls, 1)
        XCTAssertEqual(b.parameterArray, a.parameterArray)
        XCTAssertEqual(second.run.records, first.run.records)
        // Another seed, other training settings, other data: trained.
        let c = try fresh(seed: 2)
        XCTAssertFalse(store.trained(recipe(c, seed: 2), network: c, train: train).reused)
        var longer = config; longer.epochs = 3
        let d = try fresh()
        XCTAssertFalse(store.trained(recipe(d, training: longer), network: d, train: train).reused)
        XCTAssertEqual(calls, 3)
        // Corrupt stored weights: trained again, and counted as replaced.
        let files = try FileManager.default.contentsOfDirectory(atPath: store.folder).filter { $0.hasSuffix(".npy") }
        for f in files {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: store.folder + "/" + f)))
            bytes[bytes.count - 1] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: store.folder + "/" + f))
        }
        let e = try fresh()
        XCTAssertFalse(store.trained(recipe(e), network: e, train: train).reused)
        XCTAssertEqual(calls, 4)
        XCTAssertEqual(store.counts.replaced, 1)
        XCTAssertEqual(e.parameterArray, a.parameterArray, "retraining is deterministic")
    }

    /// Two experiments that train some of the same networks: the second reads them from the store,
    /// with the same tables as when it trains them itself.
    func testExperimentsShareNetworks() throws {
        let spec = "mnist1d:train=120,test=60"
        let store = NetworkStore(folder: tempDir())
        _ = try WidthSweep(data: spec, widths: [3, 6], epochs: 2, labelNoise: 0.1, withoutNoise: false, recordEvery: 1).execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.trained, 2)
        let second = WidthSweep(data: spec, widths: [2, 3, 6], epochs: 2, labelNoise: 0.1, withoutNoise: false, recordEvery: 1)
        let shared = try second.execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.reused, 2, "widths 3 and 6 are read back")
        XCTAssertEqual(store.counts.trained, 3)
        XCTAssertTrue(shared.notes.contains { $0.contains("2 read from the shared store (the same recipe trained before), 1 trained") }, "\(shared.notes)")
        XCTAssertEqual(shared.tables, try second.execute(RunContext(command: "t")).tables)
    }
}

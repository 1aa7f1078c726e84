import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import TestSupport
import XCTest

/// Trained networks shared by recipe: reused only for the same data, architecture, training and
/// seed; a stored network whose files do not match is trained again.
final class NetworkStoreTests: XCTestCase {
    func tempDir() -> String { Scratch.path("networks") }

    func testReuseByRecipeAndRetrainOnMismatch() throws {
        let store = NetworkStore(folder: tempDir())
        let split = try DatasetSpec(parsing: "mnist1d:train=200,test=100").load()
        let config = TrainingConfig(
            epochs: 2, batchSize: 50, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.05, momentum: 0.9), seed: 1
        )
        func fresh(seed: UInt64 = 1) throws -> Network<Float> {
            try Network<Float>(input: (40, 1), hidden: [.dense(outputs: 8), .relu], outputs: 10, seed: seed)
        }
        func recipe(_ net: Network<Float>, seed: UInt64 = 1, training: TrainingConfig = config) -> TrainingRecipe {
            TrainingRecipe(
                data: split.fingerprint,
                architecture: TrainingRecipe.architecture(of: net, initialization: .he, seed: seed), training: training)
        }
        var calls = 0
        let train = { (n: Network<Float>) -> TrainingRun in
            calls += 1
            return Trainer<Float>(config).train(n, train: split.train, test: split.test)
        }
        let a = try fresh()
        let first = store.trained(recipe(a), network: a, train: train)
        XCTAssertFalse(first.reused)
        XCTAssertEqual(calls, 1)
        // The same recipe: the stored weights and run, no training.
        let b = try fresh()
        let second = store.trained(recipe(b), network: b, train: train)
        XCTAssertTrue(second.reused)
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(b.parameterArray, a.parameterArray)
        XCTAssertEqual(second.run.records, first.run.records)
        // Another seed, other training settings, other data: trained.
        let c = try fresh(seed: 2)
        XCTAssertFalse(store.trained(recipe(c, seed: 2), network: c, train: train).reused)
        var longer = config
        longer.epochs = 3
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
        _ = try WidthSweep(data: spec, widths: [3, 6], epochs: 2, labelNoise: 0.1, withoutNoise: false, recordEvery: 1)
            .execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.trained, 2)
        let second = WidthSweep(
            data: spec, widths: [2, 3, 6], epochs: 2, labelNoise: 0.1, withoutNoise: false, recordEvery: 1)
        let shared = try second.execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.reused, 2, "widths 3 and 6 are read back")
        XCTAssertEqual(store.counts.trained, 3)
        XCTAssertTrue(
            shared.notes.contains {
                $0.contains("2 read from the shared store (the same recipe trained before), 1 trained")
            }, "\(shared.notes)")
        XCTAssertEqual(shared.tables, try second.execute(RunContext(command: "t")).tables)
    }

    /// `--networks` with the tools that train one network: `train` stores it, `sharpness` and
    /// `landscape` of the same recipe read it (no training, the same numbers), and a start from
    /// other weights or a kept trajectory trains anew.
    func testTrainSharpnessAndLandscapeShareTheStore() throws {
        let store = NetworkStore(folder: tempDir())
        let data = "mnist1d:train=150,test=50"
        let model = "mlp:8"
        let config = TrainingConfig(
            epochs: 2, batchSize: 50, optimizer: OptimizerConfig(kind: .sgd, learningRate: 0.05, momentum: 0.9), seed: 3
        )
        let trained = try TrainExperiment(data: data, model: model, training: config).execute(
            RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.trained, 1)
        XCTAssertEqual(store.counts.reused, 0)
        let again = try TrainExperiment(data: data, model: model, training: config).execute(
            RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.reused, 1, "the same recipe is read back")
        XCTAssertEqual(again.artifacts["weights.npy"], trained.artifacts["weights.npy"])
        XCTAssertEqual(again.tables, trained.tables, "the stored run's curves")
        XCTAssertTrue(again.notes.contains { $0.contains("read from the shared store") }, "\(again.notes)")

        // Sharpness of the same recipe: read, and the same λ_max as when it trains the network itself.
        let sharp = SharpnessMeasurement(
            data: data, model: model, training: config, samples: 100, topK: 1, densityProbes: 1, densitySteps: 4,
            sharpnessIterations: 1, perLayer: false)
        let shared = try sharp.execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.reused, 2)
        XCTAssertEqual(store.counts.trained, 1)
        XCTAssertEqual(shared.metrics["lambda_max"], try sharp.execute(RunContext(command: "t")).metrics["lambda_max"])
        let line = try LandscapeMeasurement(
            data: data, model: model, training: config, mode: .line, steps: 3, samples: 50
        )
        .execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.reused, 3)
        XCTAssertTrue(line.notes.contains { $0.contains("Read from the shared network store") }, "\(line.notes)")

        // Starting from the stored weights is another recipe: trained, not confused with the first.
        let start = Scratch.path("start") + ".npy"
        try Data(trained.artifacts["weights.npy"]!).write(to: URL(fileURLWithPath: start))
        _ = try TrainExperiment(data: data, model: model, training: config, initialWeights: start).execute(
            RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.trained, 2)
        // A kept trajectory always trains, and says why.
        var path = TrainExperiment(data: data, model: model, training: config)
        path.checkpointEvery = 1
        let kept = try path.execute(RunContext(command: "t", networks: store))
        XCTAssertEqual(store.counts.trained, 2)
        XCTAssertEqual(store.counts.reused, 3)
        XCTAssertTrue(kept.notes.contains { $0.contains("not read from the shared store") }, "\(kept.notes)")
    }
}

import Datasets
import Foundation
import Learners
import LinearAlgebra
import TestSupport
import XCTest

@testable import Experiments

/// `genlab landscape --mode trajectory`: the path trained in the run and the path read back from
/// `genlab train --checkpoints` give the same plane and losses; the first-layer shortcut agrees
/// with every layer at every point; the projected path starts where the checkpoints' losses say.
final class TrajectoryLandscapeTests: XCTestCase {
    let data = "mnist1d:train=200,test=50"
    let training = TrainingConfig(epochs: 6, batchSize: 32, optimizer: OptimizerConfig(learningRate: 0.05), seed: 1)

    func experiment(checkpoints: String? = nil) -> LandscapeMeasurement {
        var e = LandscapeMeasurement(
            data: data, model: "mlp:8", training: training, mode: .trajectory, steps: 7, samples: 100, seed: 2)
        e.checkpoints = checkpoints
        e.checkpointEvery = checkpoints == nil ? 2 : nil
        e.workers = 1
        return e
    }

    func column(_ r: ExperimentResult, _ name: String, point: String) -> [Double] {
        let t = r.tables.first { $0.name == "surface" }!
        let j = t.columns.firstIndex(of: name)!
        let p = t.columns.firstIndex(of: "point")!
        return t.rows.filter { $0[p].string == point }.map { $0[j].number ?? .nan }
    }

    func testInRunAndOnDiskPathsAgreeAndTheShortcutIsExact() throws {
        let inRun = try experiment().execute(RunContext(command: "t"))
        XCTAssertEqual(inRun.metrics["checkpoints"]?.number, 4, "epochs 0, 2, 4, 6")
        // The same training written to disk by genlab train, then read back.
        let dir = Scratch.folder("trajectory")
        var train = TrainExperiment(data: data, model: "mlp:8", training: training)
        train.checkpointEvery = 2
        let trained = try train.execute(RunContext(command: "t"))
        for (file, bytes) in trained.artifacts where file.hasPrefix("checkpoints/") {
            try AtomicFile.write(bytes, to: dir + "/" + file)
        }
        let onDisk = try experiment(checkpoints: dir + "/checkpoints").execute(RunContext(command: "t"))
        XCTAssertEqual(
            column(onDisk, "loss", point: "grid"), column(inRun, "loss", point: "grid"),
            "same θ's, same plane, bit for bit")
        XCTAssertEqual(onDisk.metrics["explained_variance"], inRun.metrics["explained_variance"])
        // Every layer at every point: the same losses to float32 rounding of the first layer's sum.
        var plain = experiment()
        plain.firstLayerShortcut = false
        let reference = try plain.execute(RunContext(command: "t"))
        XCTAssertEqual(reference.metrics["first_layer_shortcut"], .bool(false))
        XCTAssertEqual(inRun.metrics["first_layer_shortcut"], .bool(true))
        for (a, b) in zip(column(inRun, "loss", point: "grid"), column(reference, "loss", point: "grid")) {
            XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)))
        }
        // Three differences from the last checkpoint, centred, span at most two dimensions: the two
        // principal directions hold all of their variance.
        XCTAssertEqual(inRun.metrics["explained_variance"]!.number!, 1, accuracy: 1e-9)
        // The last checkpoint is the origin: its projection is itself.
        let projected = column(inRun, "loss", point: "path")
        let actual = column(inRun, "checkpoint_loss", point: "path")
        XCTAssertEqual(projected.last!, actual.last!, accuracy: 1e-5)
        XCTAssertEqual(actual.last!, inRun.metrics["loss_at_origin"]!.number!, accuracy: 1e-12)
        XCTAssertGreaterThan(actual.first!, actual.last!, "training lowered the loss")
    }
}

/// `landscape-trajectory`: the registry's finding end to end at a tiny size — every seed's share
/// in the table, the first path drawn, the verdict against the walks decided from those numbers.
final class TrajectoryDimensionTests: XCTestCase {
    func testSharesTheVerdictAndTheFigureAgree() throws {
        let e = Registry.entry(folder: "landscape-trajectory")!.plan(.tiny).experiment as! TrajectoryDimension
        let r = try e.execute(RunContext(command: "t"))
        let shares = r.tables.first { $0.name == "shares" }!
        let path = shares.columns.firstIndex(of: "path")!
        let share = shares.columns.firstIndex(of: "share")!
        let trained = shares.rows.filter { $0[path].string == "training (SGD)" }.map { $0[share].number! }
        let walks = shares.rows.filter { $0[path].string == "random walk" }.map { $0[share].number! }
        XCTAssertEqual(trained.count, e.seeds)
        XCTAssertEqual(walks.count, e.walks)
        XCTAssertTrue((trained + walks).allSatisfy { $0 > 0 && $0 <= 1 + 1e-12 })
        let v = try XCTUnwrap(r.verdicts.first)
        XCTAssertEqual(v.kind, .finding)
        XCTAssertEqual(
            v.values["mean_difference"]!,
            trained.reduce(0, +) / Double(trained.count) - walks.reduce(0, +) / Double(walks.count), accuracy: 1e-9)
        XCTAssertNotNil(v.values["mde"])
        XCTAssertEqual(
            r.metrics["explained_variance"]?.number ?? .nan, trained[0], accuracy: 1e-9, "the drawn path is seed 0's")
        XCTAssertEqual(Set(r.figures.map(\.file)), ["trajectory_contour.svg", "shares.svg"])
    }

    /// The stored shares, walks and surface reanalyze to the same result, and a live run
    /// publishes from the second seed on: every prefix of two seeds or more analyzes.
    func testReanalysisAndLiveResult() throws {
        let r = try assertReanalysisReproduces("landscape-trajectory", as: TrajectoryDimension.self)
        let e = try registryExperiment("landscape-trajectory", as: TrajectoryDimension.self)
        try assertLiveResult("landscape-trajectory", as: TrajectoryDimension.self, stored: r) { k, o in
            var part = e
            var prefix = o
            part.seeds = k + 1
            prefix.shares = Array(o.shares.prefix(k + 1))
            return k + 1 <= e.seeds ? (part, prefix) : nil
        }
    }
}

import Datasets
import Experiments
import Foundation
import Learners
import LinearAlgebra
import TestSupport
import XCTest

/// `genlab landscape`'s experiment: a killed grid resumes point by point from its checkpoint
/// (torn lines dropped), a changed setting never reads old points, the interpolation's end
/// points are the two solutions, and bad settings are usage errors.
final class LandscapeMeasurementTests: XCTestCase {
    let data = "mnist1d:train=200,test=50"

    func folder() -> String {
        let d = Scratch.path("landscape")
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func experiment(seed: UInt64 = 0) -> LandscapeMeasurement {
        LandscapeMeasurement(
            data: data, model: "mlp:8", training: TrainingConfig(epochs: 2, batchSize: 32, seed: 1), mode: .plane,
            steps: 7,
            samples: 100, seed: seed)
    }

    func surface(_ r: ExperimentResult) -> [Double] {
        r.tables.first { $0.name == "surface" }!.rows.map { $0[2].number! }
    }

    func testKilledGridResumesPointByPoint() throws {
        let dir = folder()
        let full = try experiment().execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(full.metrics["points_computed"]?.number, 49)
        let file = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasPrefix("landscape-") })
        // As if killed mid-write: 20 whole lines, then half a line.
        let lines = try String(contentsOfFile: dir + "/" + file, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 49)
        try (lines.prefix(20).joined(separator: "\n") + "\n" + lines[20].prefix(9)).write(
            toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        let resumed = try experiment().execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(resumed.metrics["points_resumed"]?.number, 20)
        XCTAssertEqual(resumed.metrics["points_computed"]?.number, 29)
        XCTAssertTrue(resumed.notes.contains { $0.contains("1 torn or foreign line dropped") }, "\(resumed.notes)")
        XCTAssertEqual(surface(resumed), surface(full), "bit for bit")
        // A line whose value was altered fails its checksum and is recomputed.
        var again = try String(contentsOfFile: dir + "/" + file, encoding: .utf8).split(separator: "\n").map(
            String.init)
        let f = again[0].split(separator: ",")
        again[0] = [
            String(f[0]), String((Double(bitPattern: UInt64(f[1], radix: 16)!) + 1).bitPattern, radix: 16),
            String(f[2]), String(f[3]),
        ].joined(separator: ",")
        try (again.joined(separator: "\n") + "\n").write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        let checked = try experiment().execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(checked.metrics["points_resumed"]?.number, 48)
        XCTAssertEqual(surface(checked), surface(full))
        // Another seed (other directions) reads nothing of it.
        let other = try experiment(seed: 5).execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(other.metrics["points_resumed"]?.number, 0)
        XCTAssertNotEqual(surface(other), surface(full))
    }

    func testInterpolationEndsAtTheTwoSolutions() throws {
        let dir = folder()
        let split = try DatasetSpec(parsing: data).load()
        let a: Network<Float> = try ModelSpec(parsing: "mlp:8").network(for: split.train, seed: 1)
        let b: Network<Float> = try ModelSpec(parsing: "mlp:8").network(for: split.train, seed: 2)
        try a.save(weights: dir + "/a.npy")
        try b.save(weights: dir + "/b.npy")
        var e = LandscapeMeasurement(
            data: data, model: "mlp:8", weights: dir + "/a.npy", to: dir + "/b.npy", mode: .interpolation, steps: 9,
            samples: nil)
        e.range = [0, 1]
        let r = try e.execute(RunContext(command: "t"))
        let rows = r.tables[0].rows
        XCTAssertEqual(r.tables[0].columns, ["t", "loss", "accuracy"])
        XCTAssertEqual(rows.first![1].number!, a.evaluate(split.train).loss, accuracy: 1e-5)
        XCTAssertEqual(rows.last![1].number!, b.evaluate(split.train).loss, accuracy: 1e-5)
        XCTAssertNotNil(r.metrics["barrier"]?.number)
        // θ₁ of another model: a data error naming the file.
        let c: Network<Float> = try ModelSpec(parsing: "mlp:9").network(for: split.train, seed: 1)
        try c.save(weights: dir + "/c.npy")
        e.to = dir + "/c.npy"
        XCTAssertThrowsError(try e.execute(RunContext(command: "t"))) {
            XCTAssertTrue("\($0)".contains("c.npy"), "\($0)")
        }
    }

    func testBadSettingsAreUsageErrors() {
        var e = experiment()
        e.steps = 1
        XCTAssertThrowsError(try e.validate())
        e = experiment()
        e.range = [1, -1]
        XCTAssertThrowsError(try e.validate())
        e = experiment()
        e.mode = .interpolation
        XCTAssertThrowsError(try e.validate(), "interpolation without --to")
        e = experiment()
        e.to = "x.npy"
        XCTAssertThrowsError(try e.validate(), "--to outside interpolation")
    }
}

import Foundation
import LinearAlgebra
import Measures
import TestSupport
import XCTest

@testable import Experiments

/// The zoo of generalization measures: its designs, its bad inputs, a zoo where too few networks
/// converge, and a tiny real run that resumes from its checkpoints with identical tables.
final class MeasureZooTests: XCTestCase {
    func testDesigns() {
        var e = MeasureZoo(
            grid: ZooGrid(
                widths: [8, 16], depths: [1], learningRates: [0.1], batchSizes: [32], weightDecays: [0], dropouts: [0],
                trainSizes: [50, 100, 200]), bases: nil)
        XCTAssertEqual(e.design().count, 6, "the whole grid")
        XCTAssertEqual(Set(e.design().map(\.index)).count, 6)
        // The star design: every network is a base or one change away from one; each base brings
        // every other value of every hyperparameter.
        e = MeasureZoo(bases: 3, seed: 4)
        let points = e.design().map(\.index)
        XCTAssertEqual(Set(points).count, points.count, "no network twice")
        XCTAssertLessThanOrEqual(points.count, 3 * 15)
        XCTAssertGreaterThan(points.count, 15)
        let centers = e.starCenters()
        XCTAssertEqual(centers.count, 3)
        for p in points {
            XCTAssertTrue(
                centers.contains { c in zip(p, c).filter { $0 != $1 }.count <= 1 },
                "\(p) is no change or one change from a base")
        }
        for c in centers {
            for h in 0..<7 {
                for v in 0..<3 {
                    var q = c
                    q[h] = v
                    XCTAssertTrue(points.contains(q), "base \(c) changed in \(h) to \(v)")
                }
            }
        }
        // The same seed, the same zoo; another seed, another.
        XCTAssertEqual(MeasureZoo(bases: 3, seed: 4).design().map(\.index), points)
        XCTAssertNotEqual(MeasureZoo(bases: 3, seed: 5).design().map(\.index), points)
        XCTAssertEqual(
            e.key(.init(index: [0, 1, 2, 0, 2, 1, 0])), "w128-d2-lr0.02-b32-wd0.0001-p0.05-n250",
            "a key names all seven hyperparameters")
    }

    func testBadInputs() {
        let one = ZooGrid(
            widths: [8], depths: [1], learningRates: [0.1], batchSizes: [32], weightDecays: [0], dropouts: [0],
            trainSizes: [50])
        XCTAssertThrowsError(try MeasureZoo(grid: one).validate()) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
            XCTAssertTrue("\(e)".contains("undefined"), "\(e)")
        }
        for bad in [
            ZooGrid(dropouts: [0, 1]), ZooGrid(learningRates: [0, 0.1]), ZooGrid(widths: [8, 8]),
            ZooGrid(trainSizes: []),
        ] {
            XCTAssertThrowsError(try MeasureZoo(grid: bad).validate()) { e in
                XCTAssertEqual((e as? GenLabError)?.exitCode, 2, "\(bad)")
            }
        }
        XCTAssertThrowsError(try MeasureZoo(data: "regression").validate())
        XCTAssertThrowsError(try MeasureZoo(bases: 0).validate())
        // The training split must hold the largest training size: said before anything trains.
        XCTAssertThrowsError(
            try MeasureZoo(data: "mnist1d:train=100,test=50", grid: ZooGrid(trainSizes: [50, 200])).execute(
                RunContext(command: "t"))
        ) { e in
            XCTAssertTrue("\(e)".contains("200"), "\(e)")
        }
    }

    /// Fewer than ten converged networks: every verdict inconclusive, naming the networks left out.
    func testTooFewConvergedNetworksIsInconclusive() {
        let e = MeasureZoo(bases: 1, seed: 2)
        let points = e.design()
        var g = Generator(seed: 3)
        let outcomes = points.indices.map { i -> MeasureZoo.Outcome in
            let done = i < 7
            return MeasureZoo.Outcome(
                stopped: done ? .targetLoss : .epochs, steps: 100, epochs: 10, trainLoss: 0.01, trainError: 0,
                testError: 0.3 + 0.1 * g.uniform(),
                measures: done
                    ? Dictionary(uniqueKeysWithValues: MeasureCatalog.all.map { ($0.name, g.uniform()) }) : [:],
                problem: nil)
        }
        let r = e.result(points: points, outcomes: outcomes, seconds: 0, command: "t", notes: [])
        XCTAssertEqual(r.verdicts.map(\.supported), [nil, nil, nil])
        XCTAssertTrue(r.verdicts[0].evidence.contains("Only 7 of \(points.count)"), r.verdicts[0].evidence)
        XCTAssertTrue(r.verdicts[0].evidence.contains(e.key(points[7])), r.verdicts[0].evidence)
        XCTAssertEqual(r.tables.map(\.name), ["networks"])
    }

    /// A planted zoo: the gap grows with one measure and not with the others; the ranking and the
    /// tables follow (measure columns for every network, nulls where one did not converge).
    func testPlantedRanking() throws {
        let e = MeasureZoo(bases: 3, resamples: 500, seed: 1)
        let points = e.design()
        var g = Generator(seed: 9)
        let outcomes = points.indices.map { i -> MeasureZoo.Outcome in
            let gap = 0.2 + 0.3 * g.uniform()
            var m = Dictionary(uniqueKeysWithValues: MeasureCatalog.all.map { ($0.name, 1 + g.uniform()) })
            m["pac-bayes-flatness"] = 10 * gap + 0.05 * g.normal()
            m["spectral-product"] = 10 - 10 * gap + 0.05 * g.normal()
            return MeasureZoo.Outcome(
                stopped: i == 0 ? .epochs : .targetLoss, steps: 10, epochs: 1, trainLoss: 0.01, trainError: 0,
                testError: gap,
                measures: i == 0 ? [:] : m, problem: nil)
        }
        let r = e.result(points: points, outcomes: outcomes, seconds: 0, command: "t", notes: [])
        XCTAssertEqual(
            r.verdicts.map(\.supported), [true, true, true], r.verdicts.map(\.evidence).joined(separator: "\n"))
        let measures = try XCTUnwrap(r.tables.first { $0.name == "measures" })
        XCTAssertEqual(measures.rows.count, MeasureCatalog.all.count)
        XCTAssertEqual(measures.rows[0][1], .string("pac-bayes-flatness"))
        XCTAssertEqual(measures.rows.last![1], .string("spectral-product"))
        let networks = try XCTUnwrap(r.tables.first { $0.name == "networks" })
        XCTAssertEqual(networks.rows.count, points.count)
        XCTAssertEqual(
            networks.rows[0][networks.columns.firstIndex(of: "params")!], .null,
            "a network that did not converge is not measured")
        XCTAssertEqual(r.metrics["converged"], JSONValue(points.count - 1))
    }

    /// A tiny zoo trained for real, then again from its checkpoints after one point is lost (as
    /// after kill -9): the same tables, and only the lost point recomputed.
    func testTinyRunResumesWithIdenticalTables() throws {
        let e = try XCTUnwrap(Registry.entry(folder: "measures")?.plan(.tiny).experiment as? MeasureZoo)
        let dir = Scratch.path("zoo")
        let first = try e.execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(first.verdicts.count, 3)
        // The comparisons (each measure's τ lead over the parameter count) where params is ranked.
        let ranksParams =
            first.tables.first { $0.name == "measures" }?.rows.contains { $0[1] == .string("params") } ?? false
        XCTAssertEqual(
            first.tables.map(\.name), ["networks", "measures"] + (ranksParams ? ["comparisons"] : []),
            first.notes.joined(separator: "\n"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, e.design().count)
        try FileManager.default.removeItem(atPath: dir + "/" + files[3])
        let resumed = try e.execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(resumed.tables, first.tables)
        XCTAssertTrue(
            resumed.notes.contains { $0.contains("\(files.count - 1) of \(files.count) points reused") },
            resumed.notes.joined(separator: "\n"))
    }
}

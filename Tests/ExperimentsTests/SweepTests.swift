import Datasets
import Experiments
import Foundation
import LinearAlgebra
import TestSupport
import XCTest

/// Content-addressed sweep points: reused only for the same settings and data, recomputed when
/// corrupt, counted either way.
final class SweepTests: XCTestCase {
    /// The published width grid against numpy (1.26: `sorted(set(np.geomspace(2, 300, 20).astype(int)))`),
    /// and the text form the CLI takes.
    func testGeomspaceMatchesNumpy() throws {
        XCTAssertEqual(
            Grid.geomspace(2, 300, count: 20),
            [2, 3, 4, 5, 7, 9, 12, 16, 21, 27, 36, 47, 61, 80, 104, 135, 177, 230, 300])
        XCTAssertEqual(Grid.geomspace(1, 1000, count: 4), [1, 10, 100, 1000])
        XCTAssertEqual(try Grid.parse("geomspace:2,300,20"), WidthSweep.publishedWidths)
        XCTAssertNil(try Grid.parse("2,4,8"))
        XCTAssertThrowsError(try Grid.parse("geomspace:300,2,20"))
        XCTAssertThrowsError(try Grid.parse("geomspace:2,300"))
    }

    func tempDir() -> String { Scratch.path("sweep") }

    /// Regression: the random-features sweep keyed a point by its size alone, so a rerun on other
    /// data of the same size into the same folder returned the old numbers.
    func testRandomFeaturesPointsAreNotReusedForOtherData() throws {
        let dir = tempDir()
        // The same configuration but for its data: the points' key holds the data's fingerprint.
        let onA = RandomFeaturesSweep(
            data: "mnist1d:train=120,test=80,seed=1", kind: .relu, counts: [40, 120, 300], seeds: 1)
        var exp = onA
        exp.data = "mnist1d:train=120,test=80,seed=2"
        _ = try onA.execute(RunContext(command: "t", checkpoint: dir))
        let onB = try exp.execute(RunContext(command: "t", checkpoint: dir))
        let fresh = try exp.execute(RunContext(command: "t"))
        XCTAssertEqual(onB.tables, fresh.tables)
        XCTAssertFalse(onB.notes.contains { $0.contains("reused") }, "\(onB.notes)")
        // The same data again: every point comes from the folder.
        let again = try exp.execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(again.tables, fresh.tables)
        XCTAssertTrue(again.notes.contains { $0.contains("3 of 3 points reused") }, "\(again.notes)")
    }

    /// Regression: the width sweep's key omitted the data.
    func testWidthSweepPointsAreNotReusedForOtherData() throws {
        let dir = tempDir()
        let onA = WidthSweep(
            data: "mnist1d:train=100,test=60,seed=1", widths: [3, 6], epochs: 2, labelNoise: 0.1, withoutNoise: false,
            recordEvery: 1)
        var exp = onA
        exp.data = "mnist1d:train=100,test=60,seed=2"
        _ = try onA.execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(
            try exp.execute(RunContext(command: "t", checkpoint: dir)).tables,
            try exp.execute(RunContext(command: "t")).tables)
    }

    func testCountsAndCorruptPoints() throws {
        let dir = tempDir()
        let sweep = Sweep<Int, Double>(points: [1, 2, 3, 4], context: "square", checkpoint: dir) { "p\($0)" }
        let first = try sweep.run { Double($0 * $0) }
        XCTAssertEqual(first.outcomes, [1, 4, 9, 16])
        XCTAssertEqual(first.computed, 4)
        XCTAssertNil(first.note)
        // A resumed run that ignored its checkpoints would compute 4 again (and return 0s here).
        let resumed = try sweep.run { _ in 0 }
        XCTAssertEqual(resumed.outcomes, [1, 4, 9, 16])
        XCTAssertEqual(resumed.computed, 0)
        // Corrupt one stored point (its outcome edited without its checksum): recomputed, and said so.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let victim = dir + "/" + files.first { $0.hasPrefix("p3-") }!
        var stored =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: victim))) as! [String: Any]
        XCTAssertEqual(stored["outcome"] as? String, "9\n")
        stored["outcome"] = "8\n"
        try JSONSerialization.data(withJSONObject: stored).write(to: URL(fileURLWithPath: victim))
        try "{ not json".write(
            toFile: dir + "/" + files.first { $0.hasPrefix("p4-") }!, atomically: true, encoding: .utf8)
        let repaired = try sweep.run { Double($0 * $0) }
        XCTAssertEqual(repaired.outcomes, [1, 4, 9, 16])
        XCTAssertEqual(repaired.computed, 2)
        XCTAssertEqual(Set(repaired.problems.map(\.reason)), ["checksum mismatch", "unreadable"])
        XCTAssertTrue(repaired.note!.contains("2 stored points recomputed"), repaired.note!)
        // Another context never reads these files.
        let other = try Sweep<Int, Double>(points: [1, 2, 3, 4], context: "cube", checkpoint: dir) { "p\($0)" }.run {
            Double($0 * $0 * $0)
        }
        XCTAssertEqual(other.outcomes, [1, 8, 27, 64])
        XCTAssertEqual(other.computed, 4)
    }

    /// A point file copied under another point's address is detected by the key stored inside it.
    func testStoredKeyMustMatch() throws {
        let dir = tempDir()
        let sweep = Sweep<Int, Double>(points: [1, 2], context: "c", checkpoint: dir) { "p\($0)" }
        _ = try sweep.run { Double($0) }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let p1 = dir + "/" + files.first { $0.hasPrefix("p1-") }!
        let p2 = dir + "/" + files.first { $0.hasPrefix("p2-") }!
        try FileManager.default.removeItem(atPath: p2)
        try FileManager.default.copyItem(atPath: p1, toPath: p2)
        let r = try sweep.run { Double($0) }
        XCTAssertEqual(r.outcomes, [1, 2])
        XCTAssertEqual(r.problems.map(\.reason), ["written for other settings"])
    }

    /// A point computed with several BLAS threads (one point, run alone) is not reused by a run whose
    /// points go one per core with one thread each: a network's step rounds differently in the two.
    func testStoredThreadCountMustMatch() throws {
        let dir = tempDir()
        let before = BLAS.threads
        BLAS.setThreads(2)
        defer { BLAS.setThreads(before) }
        try XCTSkipIf(BLAS.threads < 2, "one core: no second BLAS thread to differ by")
        let alone = try Sweep<Int, Double>(points: [1], context: "c", checkpoint: dir) { "p\($0)" }.run { Double($0) }
        XCTAssertEqual(alone.computed, 1)
        XCTAssertEqual(
            try Sweep<Int, Double>(points: [1], context: "c", checkpoint: dir) { "p\($0)" }.run { Double($0) }.computed,
            0)
        let sideBySide = try Sweep<Int, Double>(points: [1, 2], context: "c", checkpoint: dir) { "p\($0)" }.run(
            workers: 2
        ) { Double($0) }
        XCTAssertEqual(sideBySide.computed, 2)
    }

    func testParallelMapRestoresTheBLASThreadCount() {
        let before = BLAS.threads
        BLAS.setThreads(2)
        _ = parallelMap(4, workers: 2) { $0 }
        XCTAssertEqual(BLAS.threads, 2)
        BLAS.setThreads(1)
        _ = parallelMap(4, workers: 2) { $0 }
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.setThreads(before)
    }
}

/// The implicit bias of gradient descent on least squares: both outcomes of its exact checks.
final class ImplicitBiasTests: XCTestCase {
    func testConvergesToTheMinimumNormSolutionAndFailsWhenStoppedEarly() throws {
        let done = try LeastSquaresImplicitBias(samples: 20, features: 60, steps: 300).execute(RunContext(command: "t"))
        XCTAssertEqual(
            done.verdicts.map(\.supported), [true, true, true], done.verdicts.map(\.evidence).joined(separator: "\n"))
        XCTAssertGreaterThan(done.verdicts[2].values["start_gap"]!, 0.1, "the start's solution differs from X⁺y")
        // Ten steps are too few to reach 1e-6, and fewer than the rate needs: inconclusive, not a refutation.
        let early = try LeastSquaresImplicitBias(samples: 20, features: 60, steps: 10).execute(RunContext(command: "t"))
        XCTAssertNil(early.verdicts[0].supported, early.verdicts[0].evidence)
        XCTAssertTrue(early.verdicts[0].evidence.contains("fewer than"), early.verdicts[0].evidence)
        // A real data set's features (MNIST-1D: 40 features, 20 rows) against LAPACK's X⁺y.
        var real = LeastSquaresImplicitBias(samples: 20, features: 0, steps: 9_000)
        real.data = "mnist1d:train=200,test=10,standardize"
        let r = try real.execute(RunContext(command: "t"))
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        XCTAssertEqual(r.verdicts[2].supported, true, r.verdicts[2].evidence)
        XCTAssertNil(r.configuration["features"], "the planted feature count does not apply to a data set")
        XCTAssertEqual(r.metrics["features"], JSONValue(40))
        // The solutions are written: gradient descent from 0 lands on X⁺y (the verdict's claim, read from the files).
        let gd = try NPYArray.parse(r.artifacts["gd_from_zero.npy"]!, source: "gd").values
        let minNorm = try NPYArray.parse(r.artifacts["minimum_norm.npy"]!, source: "mn").values
        let gap =
            zip(gd, minNorm).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            / minNorm.map { $0 * $0 }.reduce(0, +).squareRoot()
        XCTAssertLessThan(gap, 1e-6)
        XCTAssertThrowsError(try LeastSquaresImplicitBias(samples: 50, features: 40).execute(RunContext(command: "t")))
        { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
    }
}

/// The point outcome of the sweep-point fuzz target (Fuzz/Targets/Fuzz.swift), shaped like the
/// measure zoo's.
struct FuzzOutcome: Codable, Sendable {
    var stopped: String
    var steps: Int
    var testError: Double
    var measures: [String: Double]
    var problem: String?
}

final class SweepFuzzSeedTests: XCTestCase {
    /// The sweep-point fuzz target needs a seed the reader accepts (its checksum matches), so that
    /// mutations reach the outcome decoder. The seed is a point written by Sweep itself; a new
    /// GenLab version makes it stale, and this test says how to write it again.
    func testValidSeedOfThePointReader() throws {
        let dir = Scratch.folder("fuzz-seed")
        let before = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(before) }
        let sweep = Sweep<Int, FuzzOutcome>(points: [3], context: "fuzz", checkpoint: dir) { "point-\($0)" }
        _ = try sweep.run(workers: 1) { _ in
            FuzzOutcome(
                stopped: "target loss", steps: 120, testError: 0.25,
                measures: ["params": 1000, "inverse-margin": .infinity], problem: nil)
        }
        let written = try XCTUnwrap(
            FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".json") })
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Fuzz/Corpus/sweep-point/valid"
        ).standardized.path
        if ProcessInfo.processInfo.environment["GENLAB_WRITE_FUZZ_SEEDS"] != nil {
            try? FileManager.default.removeItem(atPath: seed)
            try FileManager.default.copyItem(atPath: dir + "/" + written, toPath: seed)
        }
        let data = try XCTUnwrap(FileManager.default.contents(atPath: seed), "no seed at \(seed)")
        guard case .success(let o) = sweep.stored(data, for: 3, file: seed, blasThreads: 1) else {
            return XCTFail(
                "\(seed) is stale: write it again with GENLAB_WRITE_FUZZ_SEEDS=1 swift test --filter SweepFuzzSeedTests"
            )
        }
        XCTAssertEqual(o.steps, 120)
        XCTAssertEqual(o.measures["inverse-margin"], .infinity)
        // The near-miss seed (a checksum off by one character) is refused.
        let near = try XCTUnwrap(
            FileManager.default.contents(atPath: seed.replacingOccurrences(of: "/valid", with: "/bad-checksum")))
        guard case .failure(let problem) = sweep.stored(near, for: 3, file: "near", blasThreads: 1) else {
            return XCTFail("a wrong checksum was accepted")
        }
        XCTAssertEqual(problem.reason, "checksum mismatch")
    }
}

import Datasets
import Experiments
import Foundation
import LinearAlgebra
import TestSupport
import XCTest

/// The width sweep analyzed from the points finished so far (what `genlab serve` draws live):
/// with every point it is the run's own analysis; with fewer, the grid of the finished widths.
final class PartialAnalysisTests: XCTestCase {
    let sweep = WidthSweep(data: "mnist1d:train=200,test=200", widths: [4, 16, 64], epochs: 2, labelNoise: 0.15)

    func run(cheapestFirst: Bool = false) throws -> (ExperimentResult, String) {
        let dir = Scratch.folder("partial")
        var context = RunContext(command: "t", checkpoint: dir)
        context.cheapestFirst = cheapestFirst
        let result = try sweep.execute(context)
        return (result, dir)
    }

    /// Widest first by default (the longest points start early); narrowest first for a live view.
    /// The points and the result are the same either way (content-addressed points).
    func testCheapestFirstFinishesTheNarrowNetworksFirstWithTheSameResult() throws {
        func finishTimes(_ dir: String, width: Int) throws -> [Date] {
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("width-\(width)-") }
                .map { try FileManager.default.attributesOfItem(atPath: dir + "/" + $0)[.modificationDate] as! Date }
        }
        let (widestFirst, a) = try run()
        let (narrowestFirst, b) = try run(cheapestFirst: true)
        XCTAssertLessThan(try finishTimes(b, width: 4).max()!, try finishTimes(b, width: 64).min()!)
        XCTAssertLessThan(try finishTimes(a, width: 64).max()!, try finishTimes(a, width: 4).min()!)
        XCTAssertEqual(narrowestFirst.tables, widestFirst.tables)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: a).sorted(),
            try FileManager.default.contentsOfDirectory(atPath: b).sorted())
        // Grown from the narrow end, the partial grid is the narrowest widths.
        let narrow = try XCTUnwrap(
            sweep.analyze(finished: SweepPoints.finished(in: b).filter { $0.key.hasPrefix("width-4-") }))
        XCTAssertEqual(narrow.tables.first { $0.name == "width" }?.column("width"), [4, 4])
    }

    func testAllPointsGiveTheRunsOwnTablesAndVerdicts() throws {
        let (full, dir) = try run()
        let finished = SweepPoints.finished(in: dir)
        XCTAssertEqual(finished.count, 6, "3 widths × (noisy, clean)")
        let partial = try XCTUnwrap(sweep.analyze(finished: finished))
        XCTAssertEqual(partial.tables, full.tables)
        // As JSON text: a verdict's values may hold NaN, which equals nothing, itself included.
        XCTAssertEqual(try ResultFolder.encodeJSON(partial.verdicts), try ResultFolder.encodeJSON(full.verdicts))
        XCTAssertEqual(partial.figures, full.figures)
    }

    func testFewerPointsGiveTheGridOfTheFinishedWidths() throws {
        let (_, dir) = try run()
        let all = SweepPoints.finished(in: dir)
        // The widest width's two points (noisy and clean): a one-width grid.
        let widest = all.filter { $0.key.hasPrefix("width-64-") }
        XCTAssertEqual(widest.count, 2)
        let one = try XCTUnwrap(sweep.analyze(finished: widest))
        XCTAssertEqual(one.tables.first { $0.name == "width" }?.column("width"), [64, 64])
        XCTAssertEqual(one.verdicts.first?.supported, nil, "one width cannot show a peak")
        XCTAssertTrue(one.notes.contains { $0.contains("1 of 3 widths") })
        // Only the noisy point of a width: that width is not finished, nothing to draw yet.
        XCTAssertNil(sweep.analyze(finished: widest.filter { $0.key.contains("noise0.15") }))
        XCTAssertNil(sweep.analyze(finished: []))
        // Two widths: rows for both noise levels of each.
        let two = try XCTUnwrap(sweep.analyze(finished: all.filter { !$0.key.hasPrefix("width-4-") }))
        XCTAssertEqual(two.tables.first { $0.name == "width" }?.column("width").sorted(), [16, 16, 64, 64])
    }

    func testCorruptAndForeignPointFilesAreNotRead() throws {
        let (_, dir) = try run()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let victim = dir + "/" + names[0]
        var envelope = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: victim))) as? [String: Any])
        envelope["version"] = "0.0.0-other"
        try JSONSerialization.data(withJSONObject: envelope).write(to: URL(fileURLWithPath: victim))
        try "{\"torn".write(toFile: dir + "/torn.json", atomically: true, encoding: .utf8)
        try "x".write(toFile: dir + "/.point.json.tmp-host-1", atomically: true, encoding: .utf8)
        XCTAssertEqual(SweepPoints.finished(in: dir).count, 5)
        XCTAssertEqual(SweepPoints.finished(in: dir, only: [names[1]]).map(\.file), [names[1]])
    }
}

/// The same live analysis for every converted sweep (`LiveSweep`): the sample-wise network
/// here, from its checkpoint files, against the run's own result.
final class LiveSweepTests: XCTestCase {
    let sweep = SampleWiseNetwork(
        data: "mnist1d:train=200,test=200", width: 8, sizes: [50, 100, 200], steps: 100, seeds: 2)

    func testAllPointsGiveTheRunsOwnAnalysisAndFewerTheFinishedSizes() throws {
        let dir = Scratch.folder("pointwise")
        let full = try sweep.execute(RunContext(command: "t", checkpoint: dir))
        let all = SweepPoints.finished(in: dir)
        XCTAssertEqual(all.count, 6, "3 sizes × 2 seeds")
        let partial = try XCTUnwrap(sweep.analyze(finished: all))
        XCTAssertEqual(partial.tables, full.tables)
        XCTAssertEqual(try ResultFolder.encodeJSON(partial.verdicts), try ResultFolder.encodeJSON(full.verdicts))
        XCTAssertEqual(partial.figures, full.figures)
        XCTAssertTrue(partial.notes.contains("Partial: 3 of 3 sizes finished (6 networks)."), "\(partial.notes)")
        // The largest size's two seeds, and one seed of the smallest: a one-size grid.
        let some = all.filter { $0.key.hasPrefix("n200-") || $0.key == "n50-seed0" }
        let one = try XCTUnwrap(sweep.analyze(finished: some))
        XCTAssertEqual(one.tables.first?.column("n"), [200])
        XCTAssertNil(one.verdicts.first?.supported, "one size cannot show a rise")
        XCTAssertNil(sweep.analyze(finished: all.filter { $0.key.hasSuffix("seed0") }), "no size has both seeds")
    }

    /// Every registry experiment that is a converted sweep redraws live.
    func testConvertedSweepsAnalyzePartialGrids() {
        let live = Registry.entries.filter { $0.plan(.tiny).experiment is any PartialAnalysis }.map(\.folder)
        XCTAssertEqual(
            Set(live),
            [
                "double-descent-width", "double-descent-width-cnn", "double-descent-samples-network", "model-size",
                "measures",
            ])
        let measured = Registry.entries.filter { $0.plan(.tiny).experiment is any MeasuredExperiment }.map(\.folder)
        XCTAssertTrue(Set(live).isSubset(of: measured))
    }
}

/// The zoo's design is not a grid: any finished subset of its networks is analyzed as a zoo.
final class MeasureZooPartialTests: XCTestCase {
    func testFinishedNetworksAreRankedByTheZoosOwnAnalysis() throws {
        let zoo = try XCTUnwrap(Registry.entry(folder: "measures")?.plan(.tiny).experiment as? MeasureZoo)
        let dir = Scratch.folder("zoo-partial")
        let full = try zoo.execute(RunContext(command: "t", checkpoint: dir))
        let all = SweepPoints.finished(in: dir)
        XCTAssertEqual(all.count, full.tables.first { $0.name == "networks" }?.rows.count)
        let whole = try XCTUnwrap(zoo.analyze(finished: all))
        XCTAssertEqual(whole.tables.map(ResultFolder.csv), full.tables.map(ResultFolder.csv))
        XCTAssertEqual(try ResultFolder.encodeJSON(whole.verdicts), try ResultFolder.encodeJSON(full.verdicts))
        // Three networks: too few for a ranking, every verdict undecided, the table has them.
        let three = try XCTUnwrap(zoo.analyze(finished: Array(all.prefix(3))))
        XCTAssertEqual(three.tables.first { $0.name == "networks" }?.rows.count, 3)
        XCTAssertTrue(three.verdicts.allSatisfy { $0.supported == nil })
        XCTAssertTrue(three.notes.contains("Partial: 3 of \(all.count) networks finished."), "\(three.notes)")
        XCTAssertNil(zoo.analyze(finished: []))
    }
}

/// The units of a live measurement: only a prefix of finished units is published (units finish in
/// any order), the first at once, then at most every `interval`; nothing is kept without a path.
final class LiveUnitsTests: XCTestCase {
    func testOnlyFinishedPrefixesArePublishedFirstAtOnce() throws {
        let path = Scratch.folder("live-units") + "/live/result.json"
        var analyzed = [[Int]]()
        let lock = NSLock()
        let units = LiveUnits<Int>(count: 3, path: path) { done in
            lock.lock()
            analyzed.append(done)
            lock.unlock()
            return ExperimentResult(
                experiment: "x", configuration: [:], seed: 0, command: "t",
                notes: [partialNote(done.count, of: 3, "units")])
        }
        units.finished(1, 10)
        XCTAssertNil(LiveResult.read(path), "unit 0 has not finished: no prefix")
        units.finished(0, 5)
        XCTAssertEqual(analyzed, [[5, 10]])
        XCTAssertEqual(LiveResult.read(path)?.notes, ["Partial: 2 of 3 units finished."])
        units.finished(2, 7)
        if LiveInterval.seconds > 0.05 { XCTAssertEqual(analyzed, [[5, 10]], "within the interval: not yet") }
        let silent = LiveUnits<Int>(count: 2, path: nil) { _ in
            XCTFail("no path: nothing analyzed")
            return nil
        }
        silent.finished(0, 1)
        silent.finished(1, 2)
    }
}

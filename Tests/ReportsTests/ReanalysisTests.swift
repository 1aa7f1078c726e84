import Experiments
import Foundation
import LinearAlgebra
import Reports
import TestSupport
import Tour
import XCTest

@testable import Reports

/// `genlab reanalyze`: a folder written by real runs (through `execute`, then the run's writers)
/// analyzed again from its stored outcomes — every file the same, byte for byte, while the
/// analysis is unchanged; a changed outcome changes the verdict with nothing trained.
final class ReanalysisTests: XCTestCase {
    /// A tour-shaped folder at tiny settings: three experiments (ridgeless regression, a sweep of
    /// networks with checkpoints, the perceptron's mistake bound), each in its subfolder, and the
    /// report over them.
    func tourFolder() throws -> String {
        let dir = Scratch.folder("reanalyze")
        for folder in ["double-descent-ridgeless", "double-descent-samples-network", "perceptron-mistakes"] {
            let entry = try XCTUnwrap(Registry.entry(folder: folder))
            let out = dir + "/" + folder
            let context = RunContext(
                command: "genlab run \(folder) --scale tiny --out \(out)", checkpoint: out + "/points")
            try ResultWriter.write(try entry.plan(.tiny).experiment.execute(context), to: out)
        }
        try Report.render(dir, catalog: .talk)
        return dir
    }

    /// Every file byte for byte after reanalysis; a folder without its outcomes.json (a result
    /// written before runs stored them) is left as it is, named with the file and the fix.
    func testATourFolderIsReproducedByteForByteAndFoldersWithoutOutcomesAreNamed() throws {
        let dir = try tourFolder()
        try FileManager.default.removeItem(atPath: dir + "/perceptron-mistakes/outcomes.json")
        let before = try FolderFiles.bytes(under: dir)
        XCTAssertNotNil(before["double-descent-ridgeless/outcomes.json"])
        XCTAssertNotNil(before["double-descent-samples-network/outcomes.json"])
        let summary = try ReanalyzeFolder.run(dir)
        XCTAssertEqual(
            summary.reanalyzed.map { ($0.folder as NSString).lastPathComponent },
            ["double-descent-ridgeless", "double-descent-samples-network"])
        XCTAssertEqual(summary.skipped.map { ($0.folder as NSString).lastPathComponent }, ["perceptron-mistakes"])
        let reason = summary.skipped[0].reason
        XCTAssertTrue(
            reason.contains("no outcomes.json") && reason.contains("genlab rerun \(dir)/perceptron-mistakes"), reason)
        XCTAssertEqual(summary.report, dir + "/index.html")
        let after = try FolderFiles.bytes(under: dir)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, bytes) in before { XCTAssertEqual(after[path], bytes, "\(path) changed") }
        XCTAssertTrue(
            summary.reanalyzed.allSatisfy { ReanalyzeFolder.changes(before: $0.before, after: $0.after).isEmpty })
    }

    /// The perceptron's and the implicit bias's experiments store their outcomes: each tiny
    /// registry folder (written as a run writes it) comes out of reanalysis byte for byte, its
    /// artifacts (weights, solutions, SVM direction) included.
    func testPerceptronAndImplicitBiasFoldersAreReproducedByteForByte() throws {
        let dir = Scratch.folder("reanalyze-share")
        let folders = [
            "perceptron-mistakes", "perceptron-mistakes-fashion", "perceptron-risk", "perceptron-fit",
            "implicit-bias-guess-and-check",
            "implicit-bias-least-squares", "implicit-bias-logistic",
        ]
        for folder in folders {
            let out = dir + "/" + folder
            let result = try XCTUnwrap(Registry.entry(folder: folder)).plan(.tiny).experiment.execute(
                RunContext(command: "genlab run \(folder) --scale tiny"))
            try ResultWriter.write(result, to: out)
        }
        let before = try FolderFiles.bytes(under: dir)
        for folder in folders { XCTAssertNotNil(before[folder + "/outcomes.json"], folder) }
        for npy in [
            "perceptron-mistakes/weights.npy", "perceptron-fit/weights.npy",
            "implicit-bias-least-squares/minimum_norm.npy",
            "implicit-bias-logistic/weights.npy", "implicit-bias-logistic/svm_direction.npy",
        ] {
            XCTAssertNotNil(before[npy], npy)
        }
        let summary = try ReanalyzeFolder.run(dir)
        XCTAssertEqual(summary.reanalyzed.map { ($0.folder as NSString).lastPathComponent }, folders.sorted())
        XCTAssertTrue(summary.skipped.isEmpty, "\(summary.skipped)")
        let after = try FolderFiles.bytes(under: dir)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, bytes) in before { XCTAssertEqual(after[path], bytes, "\(path) changed") }
    }

    /// A planted rise in the stored outcomes (test error up from the second size to the third on
    /// every seed): the verdict says so after reanalysis, and no point is computed again.
    func testAChangedOutcomeChangesTheVerdictWithoutTraining() throws {
        let dir = try tourFolder() + "/double-descent-samples-network"
        let path = dir + "/outcomes.json"
        var record = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var measured = try XCTUnwrap(record["measured"] as? [String: Any])
        let points = try XCTUnwrap(measured["outcomes"] as? [[String: Any]])
        let sizes = Set(points.compactMap { $0["size"] as? Int }).sorted()
        XCTAssertEqual(sizes, [50, 100, 200])
        measured["outcomes"] = points.map { p -> [String: Any] in
            var p = p
            let seed = Double(p["seed"] as! Int)
            p["testError"] = p["size"] as! Int == 200 ? 0.8 + 0.03 * seed : 0.2 + 0.01 * seed
            return p
        }
        record["measured"] = measured
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))
        let pointsBefore = try FolderFiles.bytes(under: dir + "/points")
        let summary = try ReanalyzeFolder.run(dir)
        let after = try XCTUnwrap(summary.reanalyzed.first?.after)
        XCTAssertEqual(after.verdicts.first?.supported, true, after.verdicts.first?.evidence ?? "")
        XCTAssertTrue(
            after.verdicts[0].evidence.contains("test error 20.5%, 20.5%, 81.5% at n = 50, 100, 200"),
            after.verdicts[0].evidence)
        XCTAssertEqual(try ResultFolder.read(dir).verdicts.first?.supported, true, "result.json rewritten")
        XCTAssertEqual(try FolderFiles.bytes(under: dir + "/points"), pointsBefore, "no point computed again")
    }

    /// A result.json written before runs stored outcomes (or whose outcomes.json is gone): the
    /// message names the file and the fix, and nothing is written.
    func testAResultWithoutOutcomesIsAClearErrorAndNothingChanges() throws {
        let dir = try tourFolder() + "/double-descent-ridgeless"
        try FileManager.default.removeItem(atPath: dir + "/outcomes.json")
        let before = try FolderFiles.bytes(under: dir)
        XCTAssertThrowsError(try ReanalyzeFolder.run(dir)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("outcomes.json") && text.contains("genlab rerun"), text)
        }
        XCTAssertEqual(try FolderFiles.bytes(under: dir), before)
        // Such a folder still reads as a result (the report, genlab serve): result.json is unchanged in form.
        XCTAssertEqual(try ResultFolder.read(dir).experiment, "double-descent-ridgeless")
    }

    /// A corrupt outcomes.json in one folder of a tour stops the reanalysis before any file of
    /// any folder changes, naming the file and what it expected.
    func testCorruptOutcomesStopEverythingBeforeAnyWrite() throws {
        let dir = try tourFolder()
        try "{\"experiment\": \"double-descent-samples-network\"".write(
            toFile: dir + "/double-descent-samples-network/outcomes.json", atomically: true, encoding: .utf8)
        let before = try FolderFiles.bytes(under: dir)
        XCTAssertThrowsError(try ReanalyzeFolder.run(dir)) { e in
            let text = "\(e)"
            XCTAssertTrue(
                text.contains("double-descent-samples-network/outcomes.json")
                    && text.contains("expected the outcomes of a double-descent-samples-network run"), text)
        }
        XCTAssertEqual(try FolderFiles.bytes(under: dir), before)
    }

    /// Outcomes of another run (another configuration) beside a result.json are refused.
    func testOutcomesOfAnotherConfigurationAreRefused() throws {
        let dir = try tourFolder()
        let a = dir + "/double-descent-ridgeless"
        var result = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a + "/result.json")))
                as? [String: Any])
        var configuration = try XCTUnwrap(result["configuration"] as? [String: Any])
        configuration["noise"] = 0.25
        result["configuration"] = configuration
        try JSONSerialization.data(withJSONObject: result).write(to: URL(fileURLWithPath: a + "/result.json"))
        XCTAssertThrowsError(try ReanalyzeFolder.run(a)) { e in
            XCTAssertTrue("\(e)".contains("another configuration"), "\(e)")
        }
    }

    /// No folder, or a folder of no results: a data error naming it.
    func testMissingFoldersAreClearErrors() throws {
        XCTAssertThrowsError(try ReanalyzeFolder.run(Scratch.path("no-such"))) { e in
            XCTAssertTrue("\(e)".contains("no such folder"), "\(e)")
        }
        XCTAssertThrowsError(try ReanalyzeFolder.run(Scratch.folder("empty"))) { e in
            XCTAssertTrue("\(e)".contains("no result.json"), "\(e)")
        }
    }
}

import Foundation
import XCTest

/// `genlab measures` as a user runs it: killed with SIGKILL while its zoo trains, then run
/// again into the same folder, it finishes from its checkpoints with the tables of a run that
/// was never interrupted.
final class MeasuresCommandTests: XCTestCase {
    func testKilledZooResumesWithIdenticalTables() throws {
        let whole = temporaryFolder(), killed = temporaryFolder()
        let args = ["measures", "--scale", "tiny", "--quiet"]
        let reference = try runGenlab(args + ["--out", whole])
        XCTAssertEqual(reference.status, 0, reference.stderr)

        // Start the same zoo and kill it -9 once its first networks are on disk.
        let points = killed + "/points"
        func finished() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: points)) ?? []).filter { $0.hasSuffix(".json") }.count }
        let wasRunning = try killGenlab(args + ["--out", killed]) { finished() >= 2 }
        let before = finished()
        if wasRunning { XCTAssertLessThan(before, 12, "killed before the zoo was done") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: killed + "/result.json"), "nothing of the result is written before the zoo is done")

        let resumed = try runGenlab(args + ["--out", killed])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        for table in ["networks.csv", "measures.csv"] {
            let a = try String(contentsOfFile: whole + "/" + table, encoding: .utf8), b = try String(contentsOfFile: killed + "/" + table, encoding: .utf8)
            XCTAssertEqual(a, b, table)
        }
        let result = try String(contentsOfFile: killed + "/result.json", encoding: .utf8)
        if wasRunning && before > 0 { XCTAssertTrue(result.contains("points reused from finished checkpoints"), "the resumed run read the finished networks back") }
    }

    func testBadGrids() throws {
        let out = temporaryFolder()
        let one = try runGenlab(["measures", "--widths", "8", "--depths", "1", "--lrs", "0.1", "--batches", "32", "--weight-decays", "0", "--dropouts", "0",
                                 "--train-sizes", "50", "--out", out, "--quiet"])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("undefined"), one.stderr)
        let dropout = try runGenlab(["measures", "--dropouts", "0,1.5", "--out", out, "--quiet"])
        XCTAssertEqual(dropout.status, 2)
        XCTAssertTrue(dropout.stderr.contains("--dropouts"), dropout.stderr)
    }
}

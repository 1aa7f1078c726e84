import Foundation
import XCTest

/// `genlab measures` as a user runs it: killed with SIGKILL while its zoo trains, then run
/// again into the same folder, it finishes from its checkpoints with the tables of a run that
/// was never interrupted.
final class MeasuresCommandTests: XCTestCase {
    func testKilledZooResumesWithIdenticalTables() throws {
        let whole = temporaryFolder()
        let killed = temporaryFolder()
        let args = ["measures", "--scale", "tiny", "--quiet"]
        let reference = try runGenlab(args + ["--out", whole])
        XCTAssertEqual(reference.status, 0, reference.stderr)

        // Start the same zoo and kill it -9 once its first networks are on disk.
        let points = killed + "/points"
        func finished() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: points)) ?? []).filter { $0.hasSuffix(".json") }
                .count
        }
        let wasRunning = try killGenlab(args + ["--out", killed]) { finished() >= 2 }
        let before = finished()
        if wasRunning { XCTAssertLessThan(before, 12, "killed before the zoo was done") }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: killed + "/result.json"),
            "nothing of the result is written before the zoo is done")

        let resumed = try runGenlab(args + ["--out", killed])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        for table in ["networks.csv", "measures.csv"] {
            let a = try String(contentsOfFile: whole + "/" + table, encoding: .utf8)
            let b = try String(contentsOfFile: killed + "/" + table, encoding: .utf8)
            XCTAssertEqual(a, b, table)
        }
        let result = try String(contentsOfFile: killed + "/result.json", encoding: .utf8)
        if wasRunning && before > 0 {
            XCTAssertTrue(
                result.contains("points reused from finished checkpoints"),
                "the resumed run read the finished networks back")
        }
    }

    /// `--networks` is honoured by `genlab run` (it used to build its context without the store),
    /// and `measures --save-weights` keeps every network's weights, named in networks.csv.
    func testZooWeightsAreKeptAndNamed() throws {
        let store = temporaryFolder()
        let a = temporaryFolder()
        let b = temporaryFolder()
        let viaRun = try runGenlab(["run", "measures", "--scale", "tiny", "--networks", store, "--out", a, "--quiet"])
        XCTAssertEqual(viaRun.status, 0, viaRun.stderr)
        func weightsColumn(_ dir: String) throws -> [String] {
            let lines = try String(contentsOfFile: dir + "/networks.csv", encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            let j = try XCTUnwrap(lines[0].firstIndex(of: "weights"))
            return lines.dropFirst().map { String($0[j]) }
        }
        let named = try weightsColumn(a)
        XCTAssertFalse(named.isEmpty)
        for path in named { XCTAssertTrue(path.hasPrefix(store) && FileManager.default.fileExists(atPath: path), path) }
        let saved = try runGenlab(["measures", "--scale", "tiny", "--save-weights", "--out", b, "--quiet"])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let kept = try weightsColumn(b)
        XCTAssertEqual(kept.count, named.count)
        for path in kept {
            XCTAssertTrue(path.hasPrefix(b + "/networks/") && FileManager.default.fileExists(atPath: path), path)
        }
        // A store-less run's points in the same folder do not stand in for networks whose weights
        // were asked for: the run with --save-weights trains them and names every file.
        let c = temporaryFolder()
        XCTAssertEqual(try runGenlab(["measures", "--scale", "tiny", "--out", c, "--quiet"]).status, 0)
        XCTAssertTrue(try weightsColumn(c).allSatisfy(\.isEmpty), "no store, no files named")
        XCTAssertEqual(
            try runGenlab(["measures", "--scale", "tiny", "--save-weights", "--out", c, "--quiet"]).status, 0)
        let resumed = try weightsColumn(c)
        XCTAssertEqual(resumed.count, named.count)
        for path in resumed {
            XCTAssertTrue(path.hasPrefix(c + "/networks/") && FileManager.default.fileExists(atPath: path), path)
        }
        // The same recipes give the same files, byte for byte, wherever they are stored.
        for (x, y) in zip(named, kept) {
            XCTAssertEqual((x as NSString).lastPathComponent, (y as NSString).lastPathComponent)
            XCTAssertEqual(FileManager.default.contents(atPath: x), FileManager.default.contents(atPath: y))
        }
    }

    /// The defaults a command's help names are its experiment value's (they had drifted apart).
    func testHelpNamesTheValuesDefaults() throws {
        let help = try runGenlab(["model-size", "--help"])
        XCTAssertEqual(help.status, 0)
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(flat.contains("--seeds 5 Seeds (networks) per width."), flat)
        XCTAssertTrue(flat.contains("--data fashion-mnist:train=4000,test=10000,standardize"), flat)
        XCTAssertTrue(flat.contains("--max-epochs 200 (or --epochs)"), flat)
        // The old option names still set the same fields.
        let dir = temporaryFolder()
        let old = try runGenlab([
            "model-size", "--scale", "tiny", "--grid", "8,16", "--epochs", "3", "--lr", "0.05", "--parameters",
        ])
        XCTAssertEqual(old.status, 0, old.stderr)
        XCTAssertTrue(
            old.stdout.contains("--widths 8,16\n") && old.stdout.contains("--max-epochs 3\n")
                && old.stdout.contains("--learning-rate 0.05\n"), old.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/result.json"))
    }

    func testBadGrids() throws {
        let out = temporaryFolder()
        let one = try runGenlab([
            "measures", "--widths", "8", "--depths", "1", "--lrs", "0.1", "--batches", "32", "--weight-decays", "0",
            "--dropouts", "0",
            "--train-sizes", "50", "--out", out, "--quiet",
        ])
        XCTAssertEqual(one.status, 2)
        XCTAssertTrue(one.stderr.contains("undefined"), one.stderr)
        let dropout = try runGenlab(["measures", "--dropouts", "0,1.5", "--out", out, "--quiet"])
        XCTAssertEqual(dropout.status, 2)
        XCTAssertTrue(
            dropout.stderr.contains("grid.dropouts: every value must be in [0, 1), got 0,1.5"), dropout.stderr)
    }
}

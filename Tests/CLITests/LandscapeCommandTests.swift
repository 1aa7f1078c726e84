import Foundation
import XCTest

/// `genlab landscape` end to end: a plane around trained weights (figures, table, checkpoint),
/// a rerun read back from its checkpoint, and the bad inputs.
final class LandscapeCommandTests: XCTestCase {
    func testPlaneAroundTrainedWeightsAndItsRerun() throws {
        let dir = temporaryFolder()
        let data = "mnist1d:train=200,test=50"
        XCTAssertEqual(
            try runGenlab([
                "train", "--data", data, "--model", "mlp:8", "--epochs", "2", "--quiet", "--out", dir + "/t",
            ]).status, 0)
        let args = [
            "landscape", "--data", data, "--model", "mlp:8", "--weights", dir + "/t/weights.npy", "--steps", "9",
            "--samples", "100", "--quiet", "--out", dir + "/l",
        ]
        let first = try runGenlab(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        for f in ["surface.csv", "loss_contour.svg", "loss_heatmap.svg", "accuracy_heatmap.svg", "result.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/l/" + f), f)
        }
        XCTAssertEqual(
            try String(contentsOfFile: dir + "/l/surface.csv", encoding: .utf8).split(separator: "\n").count, 82)
        let second = try runGenlab(args)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("81 resumed"), second.stdout)
        // A range given as LO,HI (a negative first number included) reaches the grid's axes.
        let ranged = try runGenlab([
            "landscape", "--data", data, "--model", "mlp:8", "--weights", dir + "/t/weights.npy", "--steps", "3",
            "--samples", "50", "--range", "-0.5,0.25", "--mode", "line", "--quiet", "--out", dir + "/r",
        ])
        XCTAssertEqual(ranged.status, 0, ranged.stderr)
        let alphas = try String(contentsOfFile: dir + "/r/surface.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: ",")[0] }
        XCTAssertEqual(alphas.map { Double($0)! }, [-0.5, -0.125, 0.25])
    }

    func testBadInputs() throws {
        let dir = temporaryFolder()
        let data = "mnist1d:train=200,test=50"
        XCTAssertEqual(
            try runGenlab([
                "train", "--data", data, "--model", "mlp:8", "--epochs", "1", "--quiet", "--out", dir + "/t",
            ]).status, 0)
        let wrong = try runGenlab([
            "landscape", "--data", data, "--model", "mlp:9", "--weights", dir + "/t/weights.npy", "--quiet", "--out",
            dir + "/a",
        ])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("weights.npy"), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/a/result.json"), "nothing half-written")
        for (args, what) in [
            (["--steps", "1"], "steps"), (["--range", "1,-1"], "range"), (["--range", "x"], "range text"),
            (["--mode", "cube"], "mode"),
            (["--mode", "interpolation"], "no --to"),
        ] {
            let r = try runGenlab(
                [
                    "landscape", "--data", data, "--model", "mlp:8", "--weights", dir + "/t/weights.npy", "--quiet",
                    "--out", dir + "/b",
                ] + args)
            XCTAssertEqual(r.status, 2, "\(what): \(r.stderr)")
        }
    }
}

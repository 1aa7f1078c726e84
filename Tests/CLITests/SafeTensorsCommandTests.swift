import Foundation
import XCTest

/// Weights in safetensors end to end: train writes them and its checkpoints, every command reads
/// them, `genlab weights` converts both ways, a trajectory is drawn, and bad files exit 1.
final class SafeTensorsCommandTests: XCTestCase {
    let data = "mnist1d:train=200,test=50"

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func testTrainCheckpointsEvaluateConvertAndTrajectory() throws {
        let dir = temporaryFolder()
        let train = try runGenlab([
            "train", "--data", data, "--model", "mlp:8", "--epochs", "6", "--save-weights", "safetensors",
            "--checkpoints", "every=2",
            "--quiet", "--out", dir + "/t",
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: dir + "/t/checkpoints").sorted()
        XCTAssertEqual(
            checkpoints,
            ["epoch-0000.safetensors", "epoch-0002.safetensors", "epoch-0004.safetensors", "epoch-0006.safetensors"])
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir + "/t/weights.npy"), "one weights file, in the format asked for")
        // The same network read back scores as training left it.
        let ev = try runGenlab([
            "evaluate", "--data", data, "--model", "mlp:8", "--weights", dir + "/t/weights.safetensors", "--quiet",
            "--out", dir + "/e",
        ])
        XCTAssertEqual(ev.status, 0, ev.stderr)
        let trained = try json(dir + "/t/result.json")["metrics"] as! [String: Any]
        let scored = try json(dir + "/e/result.json")["metrics"] as! [String: Any]
        XCTAssertEqual(scored["error"] as! Double, trained["test_error"] as! Double)
        XCTAssertEqual(scored["loss"] as! Double, trained["test_loss"] as! Double, accuracy: 1e-6)
        // safetensors → npy → safetensors: the same bytes.
        for (from, to) in [("/t/weights.safetensors", "/w.npy"), ("/w.npy", "/w.safetensors")] {
            let r = try runGenlab([
                "weights", "--data", data, "--model", "mlp:8", "--weights", dir + from, "--to", dir + to,
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/w.safetensors")),
            try Data(contentsOf: URL(fileURLWithPath: dir + "/t/weights.safetensors")))
        // Training resumed from the state dict; sharpness measured at it.
        XCTAssertEqual(
            try runGenlab([
                "train", "--data", data, "--model", "mlp:8", "--epochs", "1", "--weights", dir + "/w.safetensors",
                "--quiet", "--out", dir + "/t2",
            ]).status, 0)
        let sharp = try runGenlab([
            "sharpness", "--data", data, "--model", "mlp:8", "--weights", dir + "/w.safetensors", "--samples", "100",
            "--top-k", "1",
            "--no-per-layer", "--density-probes", "1", "--density-steps", "5", "--sharpness-iterations", "1", "--quiet",
            "--out", dir + "/s",
        ])
        XCTAssertEqual(sharp.status, 0, sharp.stderr)

        let land = try runGenlab([
            "landscape", "--data", data, "--model", "mlp:8", "--mode", "trajectory", "--checkpoints",
            dir + "/t/checkpoints",
            "--steps", "7", "--samples", "100", "--quiet", "--out", dir + "/l",
        ])
        XCTAssertEqual(land.status, 0, land.stderr)
        XCTAssertTrue(land.stdout.contains("principal directions explain"), land.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/l/trajectory_contour.svg"))
        let metrics = try json(dir + "/l/result.json")["metrics"] as! [String: Any]
        let explained = metrics["explained_variance"] as! Double
        XCTAssertGreaterThan(explained, 0)
        XCTAssertLessThanOrEqual(explained, 1 + 1e-12)
        XCTAssertEqual(metrics["first_layer_shortcut"] as? Bool, true)
        let rows = try String(contentsOfFile: dir + "/l/surface.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.filter { $0[0] == "grid" }.count, 49)
        let path = rows.filter { $0[0] == "path" }
        XCTAssertEqual(path.map { Int($0[1])! }, [0, 2, 4, 6])
        // The last checkpoint is the origin: its projection is itself, so both losses agree.
        let last = path.last!
        XCTAssertEqual(Double(last[2])!, 0)
        XCTAssertEqual(Double(last[3])!, 0)
        XCTAssertEqual(Double(last[4])!, Double(last[6])!, accuracy: 1e-5)
        XCTAssertEqual(Double(last[6])!, metrics["loss_at_origin"] as! Double, accuracy: 1e-12)
    }

    func testBadFilesAndOptions() throws {
        let dir = temporaryFolder()
        XCTAssertEqual(
            try runGenlab([
                "train", "--data", data, "--model", "mlp:8", "--epochs", "1", "--save-weights", "safetensors",
                "--quiet", "--out", dir + "/t",
            ]).status, 0)
        var truncated = try Data(contentsOf: URL(fileURLWithPath: dir + "/t/weights.safetensors"))
        truncated.removeLast(5)
        try truncated.write(to: URL(fileURLWithPath: dir + "/cut.safetensors"))
        for (weights, model, needle) in [
            (dir + "/cut.safetensors", "mlp:8", "out of range"),
            (dir + "/t/weights.safetensors", "mlp:9", "of shape [9, 40]"),
        ] {
            for command in ["evaluate", "sharpness", "landscape"] {
                let r = try runGenlab([
                    command, "--data", data, "--model", model, "--weights", weights, "--quiet", "--out",
                    dir + "/x-" + command,
                ])
                XCTAssertEqual(r.status, 1, "\(command): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(needle) && r.stderr.contains(weights), "\(command): \(r.stderr)")
                XCTAssertFalse(
                    FileManager.default.fileExists(atPath: dir + "/x-\(command)/result.json"), "nothing half-written")
            }
        }
        for args in [
            ["train", "--checkpoints", "every=0"], ["train", "--checkpoints", "often"],
            ["train", "--save-weights", "pt"],
            ["landscape", "--mode", "trajectory", "--weights", dir + "/t/weights.safetensors"],
            ["landscape", "--checkpoints", dir],
            ["landscape", "--checkpoints", "every=2"],
            ["landscape", "--mode", "trajectory", "--checkpoints", "every=0"],
        ] {
            let r = try runGenlab(args + ["--data", data, "--model", "mlp:8", "--quiet", "--out", dir + "/u"])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
        }
    }
}

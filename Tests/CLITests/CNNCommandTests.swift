import Foundation
import XCTest

/// The commands on a 2-D CNN: `genlab train` learns Fashion-MNIST images with `cnn2d:`, and
/// `genlab sharpness` and `genlab landscape` measure the weights it saved; a 2-D model on data
/// without images is a data error naming the data.
final class CNNCommandTests: XCTestCase {
    let data = "fashion-mnist:train=400,test=200"
    let model = "cnn2d:4x8,pool=2"

    func metrics(_ folder: String) throws -> [String: Any] {
        let result =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/result.json")))
            as! [String: Any]
        return result["metrics"] as! [String: Any]
    }

    func testTrainThenSharpnessAndLandscapeOnTheWeights() throws {
        let dir = temporaryFolder()
        let train = try runGenlab([
            "train", "--data", data, "--model", model, "--epochs", "4", "--quiet", "--out", dir + "/t",
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        // Chance is 10%; four epochs on 400 images get well above it.
        XCTAssertGreaterThan(try metrics(dir + "/t")["test_accuracy"] as! Double, 0.4)
        let sharp = try runGenlab([
            "sharpness", "--data", data, "--model", model, "--weights", dir + "/t/weights.npy", "--samples", "60",
            "--top-k", "1",
            "--density-probes", "1", "--density-steps", "10", "--trace-tolerance", "0.2", "--sharpness-iterations", "3",
            "--quiet", "--out", dir + "/s",
        ])
        XCTAssertEqual(sharp.status, 0, sharp.stderr)
        let s = try metrics(dir + "/s")
        XCTAssertEqual(s["eigen_converged"] as? Bool, true)
        let lmax = s["lambda_max"] as! Double
        let lmin = s["lambda_min"] as! Double
        XCTAssertGreaterThan(lmax, 0)
        XCTAssertLessThanOrEqual(lmin, lmax)
        // Two convolutions and the output layer: three blocks of θ.
        let layers = try String(contentsOfFile: dir + "/s/per_layer.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst()
        XCTAssertEqual(layers.count, 3)
        let land = try runGenlab([
            "landscape", "--data", data, "--model", model, "--weights", dir + "/t/weights.npy", "--steps", "5",
            "--samples", "100",
            "--quiet", "--out", dir + "/l",
        ])
        XCTAssertEqual(land.status, 0, land.stderr)
        XCTAssertEqual(
            try String(contentsOfFile: dir + "/l/surface.csv", encoding: .utf8).split(separator: "\n").count, 26)
        XCTAssertEqual(
            try metrics(dir + "/l")["first_layer_shortcut"] as? Bool, true, "a convolution is linear in its weights")
    }

    func testModelHelpListsTheImageModels() throws {
        let r = try runGenlab(["data", "model-help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for word in ["cnn2d:", "P1xP2x", "head=flatten|gap", "standard CNN"] {
            XCTAssertTrue(r.stdout.contains(word), word)
        }
    }

    func testImageModelOnDataWithoutImages() throws {
        let dir = temporaryFolder()
        let r = try runGenlab([
            "train", "--data", "gaussian-mixture:n=100,test=20", "--model", model, "--epochs", "1", "--quiet", "--out",
            dir + "/t",
        ])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("gaussian-mixture") && r.stderr.contains("image shape"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t/result.json"), "nothing half-written")
    }
}

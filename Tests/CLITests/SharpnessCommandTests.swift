import Foundation
import XCTest

/// `genlab sharpness` end to end: trained weights from `genlab train` measured in a second run,
/// the result's tables and convergence records, and its bad inputs.
final class SharpnessCommandTests: XCTestCase {
    func testMeasuresTrainedWeightsAndRecordsConvergence() throws {
        let dir = temporaryFolder()
        let data = "mnist1d:train=300,test=100"
        let train = try runGenlab([
            "train", "--data", data, "--model", "mlp:16", "--epochs", "3", "--quiet", "--out", dir + "/train",
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        let run = try runGenlab([
            "sharpness", "--data", data, "--model", "mlp:16", "--weights", dir + "/train/weights.npy", "--samples",
            "200",
            "--density-probes", "2", "--density-steps", "20", "--quiet", "--out", dir + "/s",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s/result.json")))
            as! [String: Any]
        let m = result["metrics"] as! [String: Any]
        XCTAssertEqual(m["eigen_converged"] as? Bool, true)
        XCTAssertEqual(m["samples"] as? Double, 200)
        let lmax = m["lambda_max"] as! Double
        let lmin = m["lambda_min"] as! Double
        XCTAssertGreaterThan(lmax, 0)
        XCTAssertLessThanOrEqual(lmin, lmax)
        XCTAssertNotNil(m["trace_standard_error"] as? Double)
        XCTAssertEqual(result["tables"] as? [String], ["eigenvalues", "density", "per_layer", "sample"])
        // The rows the loss was averaged over: 200 distinct training rows, recorded in sample.csv.
        let rows = try String(contentsOfFile: dir + "/s/sample.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Int($0)! }
        XCTAssertEqual(rows.count, 200)
        XCTAssertEqual(Set(rows).count, 200)
        XCTAssertTrue(rows.allSatisfy { $0 >= 0 && $0 < 300 })
        // The trace is the sum of the diagonal blocks' traces: the per-layer Hutch++ estimates add
        // up to the whole one within their standard errors.
        let layers = try String(contentsOfFile: dir + "/s/per_layer.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst()
        XCTAssertEqual(layers.count, 2)
        var sum = 0.0
        var variance = pow(m["trace_standard_error"] as! Double, 2)
        for row in layers {
            let c = row.split(separator: ",")
            sum += Double(c[6])!
            variance += pow(Double(c[7])!, 2)
        }
        XCTAssertLessThanOrEqual(abs(sum - (m["trace"] as! Double)), 4 * variance.squareRoot() + 1e-9)
        // A ReLU MLP's trace is also known exactly; Hutch++ lands within 4 of its standard errors.
        let exact = try XCTUnwrap(m["trace_exact"] as? Double)
        XCTAssertLessThanOrEqual(abs((m["trace"] as! Double) - exact), 4 * (m["trace_standard_error"] as! Double))
        let layerExact = layers.map { Double($0.split(separator: ",")[8])! }.reduce(0, +)
        XCTAssertEqual(layerExact, exact, accuracy: 1e-9 * max(1, abs(exact)))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/s/density.svg"))
    }

    func testBadInputs() throws {
        let dir = temporaryFolder()
        let data = "mnist1d:train=200,test=50"
        XCTAssertEqual(
            try runGenlab([
                "train", "--data", data, "--model", "mlp:8", "--epochs", "1", "--quiet", "--out", dir + "/t",
            ]).status, 0)
        // Weights of another model: a data error naming the file.
        let wrong = try runGenlab([
            "sharpness", "--data", data, "--model", "mlp:9", "--weights", dir + "/t/weights.npy", "--quiet", "--out",
            dir + "/a",
        ])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("weights.npy"), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/a/result.json"), "nothing half-written")
        for (args, what) in [
            (["--epsilon", "-1"], "ε"), (["--top-k", "100000"], "top-k"), (["--density-steps", "1"], "density"),
            (["--samples", "-3"], "samples"),
        ] {
            let r = try runGenlab(
                [
                    "sharpness", "--data", data, "--model", "mlp:8", "--weights", dir + "/t/weights.npy", "--quiet",
                    "--out", dir + "/b",
                ] + args)
            XCTAssertEqual(r.status, 2, "\(what): \(r.stderr)")
        }
    }
}

import Foundation
import XCTest

/// What a user with their own files and weights does: evaluate, predict, export, Algorithm 1 plain.
final class UserPathTests: XCTestCase {
    func genlab(_ args: [String]) throws -> CLIRun { try runGenlab(args) }
    func temp() -> String { temporaryFolder() }

    /// The float32 or float64 or int64 values of a version-1 .npy file (read here, not by the code under test).
    func npy(_ path: String) throws -> [Double] {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let h = Int(b[8]) | Int(b[9]) << 8
        let header = String(decoding: b[10..<(10 + h)], as: UTF8.self)
        let body = Array(b[(10 + h)...])
        return body.withUnsafeBytes { p in
            if header.contains("<f4") {
                return (0..<(body.count / 4)).map { Double(p.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self)) }
            }
            if header.contains("<i8") {
                return (0..<(body.count / 8)).map { Double(p.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
            }
            return (0..<(body.count / 8)).map { p.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) }
        }
    }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// A CSV of a three-class problem whose label is the argmax of three fixed directions (test's own generator).
    func makeCSV(_ path: String, rows: Int, seed: UInt64, classes: [Int] = [0, 1, 2]) {
        var s = seed
        func u() -> Double {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(s >> 11) / Double(1 << 53) * 2 - 1
        }
        var text = "a,b,c,d,label\n"
        var written = 0
        while written < rows {
            let x = (0..<4).map { _ in u() }
            let scores = [x[0] + x[1], x[2] - x[0], x[3] - x[1]]
            let y = scores.indices.max { scores[$0] < scores[$1] }!
            guard classes.contains(y) else { continue }
            text += x.map { String($0) }.joined(separator: ",") + ",\(y)\n"
            written += 1
        }
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    /// evaluate reproduces train's own test accuracy on the same spec, and writes the confusion matrix.
    func testEvaluateAgreesWithTrain() throws {
        let dir = temp()
        makeCSV(dir + "/train.csv", rows: 300, seed: 1)
        makeCSV(dir + "/test.csv", rows: 120, seed: 2, classes: [1, 2])
        let spec = dir + "/train.csv:test-file=" + dir + "/test.csv"
        let t = try genlab([
            "train", "--data", spec, "--model", "mlp:8", "--epochs", "5", "--batch", "20", "--out", dir + "/train",
            "--json", "--quiet",
        ])
        XCTAssertEqual(t.status, 0, t.stderr)
        let trained = try json(t.stdout)["metrics"] as! [String: Any]
        let e = try genlab([
            "evaluate", "--model", "mlp:8", "--weights", dir + "/train/weights.npy", "--data", spec, "--out",
            dir + "/eval", "--json",
        ])
        XCTAssertEqual(e.status, 0, e.stderr)
        let m = try json(e.stdout)["metrics"] as! [String: Any]
        XCTAssertEqual(m["accuracy"] as! Double, trained["test_accuracy"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(m["loss"] as! Double, trained["test_loss"] as! Double, accuracy: 1e-9)
        XCTAssertEqual(m["samples"] as? Int, 120)
        let confusion = try String(contentsOfFile: dir + "/eval/confusion.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(confusion.first, "true_class,predicted_class,count")
        XCTAssertEqual(confusion.count, 1 + 9)
        // Class 0 is absent from the test file: its row of the confusion matrix is all zeros.
        let zeroRow = confusion.dropFirst().filter { $0.hasPrefix("0,") }.map { $0.split(separator: ",").last! }
        XCTAssertEqual(zeroRow, ["0", "0", "0"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/eval/per_class.csv"))
    }

    func testEvaluateBadInputs() throws {
        let dir = temp()
        makeCSV(dir + "/train.csv", rows: 100, seed: 3)
        let t = try genlab([
            "train", "--data", dir + "/train.csv", "--model", "mlp:8", "--epochs", "1", "--batch", "10", "--out",
            dir + "/t", "--quiet",
        ])
        XCTAssertEqual(t.status, 0, t.stderr)
        let w = dir + "/t/weights.npy"
        // Weights of another model.
        let shape = try genlab([
            "evaluate", "--model", "mlp:9", "--weights", w, "--data", dir + "/train.csv", "--out", dir + "/e1",
        ])
        XCTAssertEqual(shape.status, 1)
        XCTAssertTrue(
            shape.stderr.contains("weights.npy") && shape.stderr.contains("mlp:9 on 4 features, 3 classes"),
            shape.stderr)
        // Data with another feature count.
        FileManager.default.createFile(
            atPath: dir + "/wide.csv",
            contents: Data("a,b,c,d,e,label\n1,2,3,4,5,0\n1,2,3,4,5,1\n2,2,3,4,5,2\n1,1,1,1,1,1\n1,2,2,2,2,0\n".utf8))
        let wide = try genlab([
            "evaluate", "--model", "mlp:8", "--weights", w, "--data", dir + "/wide.csv", "--out", dir + "/e2",
        ])
        XCTAssertEqual(wide.status, 1)
        XCTAssertTrue(wide.stderr.contains("5 features"), wide.stderr)
        // Bad usage: an unknown part, a bad model spec, no test set for --on test.
        for (args, needle) in [
            (["--on", "everything"], "everything"),
            (["--model", "mlp:x"], "widths must be positive integers"),
            (["--data", dir + "/train.csv:holdout=0"], "needs a test set"),
        ] {
            var full = [
                "evaluate", "--model", "mlp:8", "--weights", w, "--data", dir + "/train.csv", "--out", dir + "/e3",
            ]
            for i in stride(from: 0, to: args.count, by: 2) {
                if let j = full.firstIndex(of: args[i]) {
                    full[j + 1] = args[i + 1]
                } else {
                    full += [args[i], args[i + 1]]
                }
            }
            let r = try genlab(full)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(needle), "\(args): \(r.stderr)")
        }
        let missing = try genlab([
            "evaluate", "--model", "mlp:8", "--weights", dir + "/nope.npy", "--data", dir + "/train.csv", "--out",
            dir + "/e4",
        ])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope.npy"), missing.stderr)
        for out in ["e1", "e2", "e3", "e4"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + out), out)
        }
    }

    func testPredictWritesLabelsAndProbabilities() throws {
        let dir = temp()
        makeCSV(dir + "/d.csv", rows: 150, seed: 4)
        XCTAssertEqual(
            try genlab([
                "train", "--data", dir + "/d.csv", "--model", "mlp:6", "--epochs", "2", "--batch", "10", "--out",
                dir + "/t", "--quiet",
            ]).status, 0)
        let args = [
            "predict", "--model", "mlp:6", "--weights", dir + "/t/weights.npy", "--data", dir + "/d.csv", "--on", "all",
        ]
        let n = try genlab(args + ["--out", dir + "/p"])
        XCTAssertEqual(n.status, 0, n.stderr)
        let labels = try npy(dir + "/p/predicted.npy")
        let probs = try npy(dir + "/p/probabilities.npy")
        XCTAssertEqual(labels.count, 150)
        XCTAssertEqual(probs.count, 450)
        for i in 0..<150 {
            let row = Array(probs[(3 * i)..<(3 * i + 3)])
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-9)
            XCTAssertEqual(Double(row.indices.max { row[$0] < row[$1] }!), labels[i])
        }
        let c = try genlab(args + ["--out", dir + "/c", "--format", "csv"])
        XCTAssertEqual(c.status, 0, c.stderr)
        let lines = try String(contentsOfFile: dir + "/c/predictions.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "row,label,predicted,p_0,p_1,p_2")
        XCTAssertEqual(lines.count, 151)
        XCTAssertEqual(lines.dropFirst().map { Double($0.split(separator: ",")[2])! }, labels)
        let bad = try genlab(args + ["--out", dir + "/x", "--format", "parquet"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("parquet"), bad.stderr)
    }

    /// Exported files read back (by GenLab and by this test) to the same numbers; noisy labels carry their mask.
    func testDataExportRoundTrip() throws {
        let dir = temp()
        let e = try genlab(["data", "export", "mnist1d:train=200,test=80,label-noise=0.25", "--out", dir + "/npy"])
        XCTAssertEqual(e.status, 0, e.stderr)
        let y = try npy(dir + "/npy/train_y.npy")
        let clean = try npy(dir + "/npy/train_clean_y.npy")
        let flipped = try npy(dir + "/npy/train_flipped.npy")
        XCTAssertEqual(y.count, 200)
        XCTAssertEqual(zip(y, clean).map { $0 != $1 ? 1.0 : 0 }, flipped)
        XCTAssertGreaterThan(flipped.reduce(0, +), 20)  // 50 replaced, about 9 in 10 of them changed
        let manifest = try json(try String(contentsOfFile: dir + "/npy/dataset.json", encoding: .utf8))
        // The same numbers through GenLab's own readers: the fingerprint of the exported files' test part matches.
        let original = try genlab(["data", "describe", "mnist1d:train=200,test=80,label-noise=0.25", "--json"])
        let reread = try genlab([
            "data", "describe",
            "\(dir)/npy/train_x.npy:labels=\(dir)/npy/train_y.npy,"
                + "test-file=\(dir)/npy/test_x.npy,test-labels=\(dir)/npy/test_y.npy",
            "--json",
        ])
        XCTAssertEqual(reread.status, 0, reread.stderr)
        for part in ["train", "test"] {
            let a = try json(original.stdout)[part] as! [String: Any]
            let b = try json(reread.stdout)[part] as! [String: Any]
            for k in ["samples", "radius", "featureMean", "featureStd"] {
                XCTAssertEqual(a[k] as? Double, b[k] as? Double, "\(part) \(k)")
            }
            XCTAssertEqual(a["classes"] as? [String: Int], b["classes"] as? [String: Int], part)
        }
        XCTAssertEqual((manifest["counts"] as! [String: Int])["test"], 80)
        // CSV, and a separable set's planted direction.
        XCTAssertEqual(
            try genlab(["data", "export", "separable:d=3,n=20,test=5", "--format", "csv", "--out", dir + "/csv"])
                .status, 0)
        let csv = try String(contentsOfFile: dir + "/csv/train.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "x0,x1,x2,label")
        XCTAssertEqual(csv.count, 21)
        let w = try npy(dir + "/csv/planted_direction.npy")
        XCTAssertEqual(w.count, 3)
        XCTAssertEqual(w.map { $0 * $0 }.reduce(0, +), 1, accuracy: 1e-9)
        // Bad input: an existing folder is left alone; an unknown format is a usage error.
        let again = try genlab(["data", "export", "separable:d=3,n=20", "--out", dir + "/csv"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("a new or empty folder"), again.stderr)
        XCTAssertEqual(
            try String(contentsOfFile: dir + "/csv/train.csv", encoding: .utf8).split(separator: "\n").count, 21)
        let fmt = try genlab(["data", "export", "separable", "--format", "xlsx", "--out", dir + "/x"])
        XCTAssertEqual(fmt.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x"))
        let remains = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".partial-") }
        XCTAssertEqual(remains, [])
    }

    /// --no-bias --order given is Algorithm 1 exactly: the weights equal a 10-line reference's.
    func testPlainAlgorithmOneWeights() throws {
        let dir = temp()
        var s: UInt64 = 7
        func u() -> Double {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(s >> 11) / Double(1 << 53) * 2 - 1
        }
        var rows = [[Double]]()
        var labels = [Double]()
        while rows.count < 80 {
            let x = (0..<3).map { _ in u() }
            let m = 0.7 * x[0] - 0.5 * x[1] + 0.2 * x[2]
            if abs(m) < 0.05 { continue }
            rows.append(x)
            labels.append(m > 0 ? 1 : -1)
        }
        // Floats as the CLI reads them.
        rows = rows.map { $0.map { Double(Float($0)) } }
        var text = "a,b,c,y\n"
        for (x, y) in zip(rows, labels) { text += x.map { String(Float($0)) }.joined(separator: ",") + ",\(Int(y))\n" }
        FileManager.default.createFile(atPath: dir + "/d.csv", contents: Data(text.utf8))
        // Reference: w = 0; for each sample in order, if y⟨w, x⟩ ≤ 0 then w += y x; until a pass without
        // mistakes.
        var w = [0.0, 0, 0]
        for _ in 0..<50 {
            var mistakes = 0
            for (x, y) in zip(rows, labels) where y * zip(w, x).map(*).reduce(0, +) <= 0 {
                for j in 0..<3 { w[j] += y * x[j] }
                mistakes += 1
            }
            if mistakes == 0 { break }
        }
        let r = try genlab([
            "perceptron", "fit", "--data", dir + "/d.csv:holdout=0", "--no-bias", "--order", "given", "--epochs", "50",
            "--out", dir + "/fit",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Algorithm 1 exactly"), r.stdout)
        let fitted = try npy(dir + "/fit/weights.npy")
        XCTAssertEqual(fitted.count, 3)
        for j in 0..<3 { XCTAssertEqual(fitted[j], w[j], accuracy: 1e-4 * max(1, abs(w[j]))) }
        // perceptron mistakes writes the same w_T (in float64) on the same data in the same order.
        let m = try genlab([
            "perceptron", "mistakes", "--data", dir + "/d.csv:holdout=0", "--max-epochs", "50", "--out",
            dir + "/mistakes",
        ])
        XCTAssertEqual(m.status, 0, m.stderr)
        let wt = try npy(dir + "/mistakes/weights.npy")
        for j in 0..<3 { XCTAssertEqual(wt[j], w[j], accuracy: 1e-9 * max(1, abs(w[j]))) }
        // Without a bias term, more than two classes is a usage error; --seed with --order given too.
        makeCSVThreeClasses(dir + "/k3.csv")
        let k3 = try genlab(["perceptron", "fit", "--data", dir + "/k3.csv", "--no-bias", "--out", dir + "/k3"])
        XCTAssertEqual(k3.status, 2)
        XCTAssertTrue(k3.stderr.contains("binary"), k3.stderr)
        let seeded = try genlab([
            "perceptron", "fit", "--data", dir + "/d.csv", "--order", "given", "--seed", "3", "--out", dir + "/s",
        ])
        XCTAssertEqual(seeded.status, 2)
        XCTAssertTrue(seeded.stderr.contains("--order given"), seeded.stderr)
    }

    func makeCSVThreeClasses(_ path: String) { makeCSV(path, rows: 30, seed: 9) }

    /// Every option a spec takes is on the help page.
    func testSpecHelpListsEveryOption() throws {
        let r = try genlab(["data", "spec-help"])
        XCTAssertEqual(r.status, 0)
        for option in [
            "train=", "test=", "classes=", "label-noise=", "random-labels", "standardize", "val=", "seed=",
            "test-file=", "test-labels=",
            "holdout=", "labels=", "label=", "regression", "shuffle-positions", "margin=", "radius=", "on-margin=",
            "corr-noise=",
            "iid-noise=", "shear=", "scale=", "sep=", "std=", "width=", "noise=", "80/20", "fashion-mnist", "mnist1d",
            "isotropic", "teacher",
        ] {
            XCTAssertTrue(r.stdout.contains(option), option)
        }
    }

    /// train --curvature reports λ_max with its convergence.
    func testTrainCurvature() throws {
        let dir = temp()
        let r = try genlab([
            "train", "--data", "separable:d=5,n=80", "--model", "mlp:6", "--epochs", "3", "--batch", "16",
            "--curvature", "--out", dir, "--json", "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let m = try json(r.stdout)["metrics"] as! [String: Any]
        XCTAssertGreaterThan(m["lambda_max"] as! Double, 0)
        XCTAssertEqual(m["lambda_max_converged"] as? Bool, true)
        XCTAssertEqual(m["curvature_samples"] as? Int, 80)
    }
}

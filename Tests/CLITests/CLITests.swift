import Foundation
import XCTest

/// The real command line: exit codes and one-line messages for bad input.
final class CLITests: XCTestCase {
    typealias Run = CLIRun
    func genlab(_ args: [String], environment: [String: String] = [:]) throws -> Run {
        try runGenlab(args, environment: environment)
    }
    func temp() -> String { temporaryFolder() }

    func testVersion() throws {
        let r = try genlab(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("0."))
    }

    /// Where OpenBLAS fell back to its generic kernel on a CPU with AVX-512 or AVX2, genlab starts
    /// again with the CPU's kernel, once, with the same arguments and exit status; a kernel the
    /// user chose (OPENBLAS_CORETYPE) or GENLAB_BLAS_AUTO=0 is left alone.
    func testAnUndetectedCPUGetsItsKernel() throws {
        func kernel(_ environment: [String: String]) throws -> String {
            let r = try genlab(["bench", "gemm", "--sizes", "64", "--trials", "1", "--json"], environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
            let blas =
                try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])["blas"]
                as? String
            return try XCTUnwrap(blas)
        }
        let plain = try kernel(["GENLAB_BLAS_AUTO": "0"])
        let auto = try kernel(["GENLAB_BLAS_AUTO": "1"])
        if plain == "OpenBLAS (Prescott)" && ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            print("CLITests: OpenBLAS did not recognize this CPU; genlab chose \(auto)")
            XCTAssertTrue(["OpenBLAS (SkylakeX)", "OpenBLAS (Haswell)", "OpenBLAS (Prescott)"].contains(auto), auto)
        } else {
            XCTAssertEqual(auto, plain, "a detected kernel, or the user's, is kept")
        }
        XCTAssertEqual(try kernel(["GENLAB_BLAS_AUTO": "1", "OPENBLAS_CORETYPE": "Haswell"]), "OpenBLAS (Haswell)")
        XCTAssertEqual(
            try genlab(["run", "no-such-experiment"], environment: ["GENLAB_BLAS_AUTO": "1"]).status, 2,
            "the exit status survives the new start")
    }

    func testDescribeMNIST1DJSON() throws {
        let r = try genlab(["data", "describe", "mnist1d", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let train = obj["train"] as! [String: Any]
        XCTAssertEqual(train["samples"] as? Int, 4000)
        XCTAssertEqual(train["features"] as? Int, 40)
        XCTAssertEqual((train["classes"] as! [String: Int]).count, 10)
    }

    /// Bad usage: exit 2 and one line naming the problem.
    func testUsageErrors() throws {
        for (args, needle) in [
            (["data", "describe", "nosuchset"], "unknown dataset \"nosuchset\""),
            (["data", "describe", "separable:d=5,foo=1"], "unknown option foo"),
            (["data", "describe", "separable:margin=0"], "margin must be > 0"),
            (["data", "describe", "mnist1d", "--threads", "0"], "--threads must be ≥ 1"),
            (["data", "frobnicate"], "Unexpected argument"),
            (["bias-variance", "--loss", "cross-entropy", "--data", "teacher", "--noise", "2"], "[0, 1]"),
            (["bias-variance", "--loss", "cross-entropy", "--grid", "8,4"], "increasing"),
            (["bias-variance", "--loss", "hinge"], "hinge"),
            (["double-descent", "--axis", "epochs", "--network", "mlp:0"], "widths must be positive"),
            (["double-descent", "--axis", "epochs", "--epochs", "2"], "epochs … must be ≥ 3, got 2"),
            (["double-descent", "--axis", "width", "--grid", "8,4"], "increasing"),
            (["model-size", "--widths", "64,16"], "increasing"),
            (["model-size", "--lr", "0"], "learningRate … must be > 0, got 0"),
            (["bench", "sweeps", "--only", "everything"], "no sweep \"everything\""),
            (["train", "--schedule", "step:0:1"], "step:EVERY:FACTOR"),
            (["bench", "train", "--halving", "sometimes"], "--halving must be automatic, never or always"),
            (["model-size", "--scale", "huge"], "'tiny', 'quick', 'default' or 'full'"),
        ] {
            let r = try genlab(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.containsParts(needle), "\(args): \(r.stderr)")
        }
    }

    /// Data errors: exit 1, the file named, what was expected and found.
    func testDataErrors() throws {
        let dir = temp()
        let r = try genlab(["data", "describe", "fashion-mnist", "--data-dir", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(
            r.stderr.contains(dir) && r.stderr.contains("install the dataset-fashion-mnist package"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line")
        let env = try genlab(["data", "describe", "fashion-mnist"], environment: ["GENLAB_DATA": dir])
        XCTAssertEqual(env.status, 1)
        XCTAssertTrue(env.stderr.contains(dir))

        FileManager.default.createFile(atPath: dir + "/bad.csv", contents: Data("a,b,label\n1,2,x\n3,oops,y\n".utf8))
        let csv = try genlab(["data", "describe", dir + "/bad.csv"])
        XCTAssertEqual(csv.status, 1)
        XCTAssertTrue(csv.stderr.contains("bad.csv:3") && csv.stderr.contains("\"oops\""), csv.stderr)

        FileManager.default.createFile(atPath: dir + "/bad.svm", contents: Data("1 0:1\n".utf8))
        let svm = try genlab(["data", "describe", dir + "/bad.svm"])
        XCTAssertEqual(svm.status, 1)
        XCTAssertTrue(svm.stderr.contains("index ≥ 1"), svm.stderr)

        // A truncated Fashion-MNIST file in an otherwise complete folder.
        for name in [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
        ] {
            FileManager.default.createFile(
                atPath: dir + "/" + name, contents: Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2]))
        }
        let trunc = try genlab(["data", "describe", "fashion-mnist", "--data-dir", dir])
        XCTAssertEqual(trunc.status, 1)
        XCTAssertTrue(
            trunc.stderr.contains("train-images-idx3-ubyte") && trunc.stderr.contains("1568 data bytes"), trunc.stderr)
    }

    /// Training and perceptron commands: bad usage exits 2, bad data 1, with one line naming it.
    func testTrainAndPerceptronBadInputs() throws {
        for (args, needle) in [
            (["train", "--data", "separable:n=50", "--model", "mlp:abc"], "widths must be positive integers"),
            (["train", "--data", "separable:n=50", "--model", "mlp:0"], "widths must be positive integers"),
            (["train", "--data", "separable:n=50", "--model", "resnet:50"], "unknown model"),
            (["train", "--data", "separable:n=50", "--lr", "0"], "learningRate … must be > 0, got 0"),
            (
                ["train", "--data", "separable:n=50", "--batch", "500"],
                "batchSize … 500 is larger than the 50 training samples"
            ),
            (["perceptron", "mistakes", "--data", "separable:margin=-0.1"], "margin must be > 0"),
            (["perceptron", "risk", "--n", "200,100"], "sizes … (n) must be increasing"),
            (["perceptron", "risk", "--data", "mnist1d"], "must be a separable"),
        ] {
            let r = try genlab(args + ["--out", temp()])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.containsParts(needle), "\(args): \(r.stderr)")
        }
        let gm = try genlab(["perceptron", "mistakes", "--data", "gaussian-mixture:k=3,n=30", "--out", temp()])
        XCTAssertEqual(gm.status, 1)
        XCTAssertTrue(gm.stderr.contains("two classes"), gm.stderr)
        // A weights file of the wrong shape.
        let dir = temp()
        let ok = try genlab([
            "train", "--data", "separable:n=60,d=5", "--model", "mlp:4", "--epochs", "1", "--batch", "10", "--out", dir,
            "--quiet",
        ])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/weights.npy"))
        let bad = try genlab([
            "train", "--data", "separable:n=60,d=5", "--model", "mlp:5", "--epochs", "1", "--batch", "10", "--weights",
            dir + "/weights.npy", "--out", temp(),
        ])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("weights.npy") && bad.stderr.contains("weights for this model"), bad.stderr)
    }

    /// Nothing half-written: a failing run leaves no result folder behind.
    func testFailedRunWritesNothing() throws {
        let dir = temp() + "/out"
        let r = try genlab(["train", "--data", "separable:n=50", "--batch", "500", "--out", dir])
        XCTAssertEqual(r.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/result.json"))
    }
}

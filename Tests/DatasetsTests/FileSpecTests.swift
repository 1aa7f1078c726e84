import Datasets
import Foundation
import LinearAlgebra
import XCTest

/// File data sets given as specs: test files of every kind, their classes, and holdout=0.
final class FileSpecTests: XCTestCase {
    /// A CSV whose label column holds `labels`; feature j of row i is i + j/10 (so rows are traceable).
    func csv(_ labels: [String], features: Int = 2) -> String {
        var s = (0..<features).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        for (i, l) in labels.enumerated() {
            s += (0..<features).map { "\(Double(i) + Double($0) / 10)" }.joined(separator: ",") + ",\(l)\n"
        }
        return s
    }

    func assertError(
        _ expr: @autoclosure () throws -> Any, exitCode: Int32, contains parts: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try expr()
            XCTFail("expected an error", file: file, line: line)
        } catch let e as GenLabError {
            XCTAssertEqual(e.exitCode, exitCode, e.description, file: file, line: line)
            for p in parts {
                XCTAssertTrue(e.description.contains(p), "\"\(e.description)\" lacks \"\(p)\"", file: file, line: line)
            }
        } catch { XCTFail("unexpected error \(error)", file: file, line: line) }
    }

    /// Regression: a test file lacking some training classes had its labels renumbered within
    /// itself (its "3" became class 0), and accuracy was silently wrong.
    func testTestFileLabelsAreNumberedByTheTrainingClasses() throws {
        let dir = temporaryDirectory()
        write(csv((0..<40).map { String($0 % 10) }), dir + "/train.csv")
        write(csv(["3", "7", "9", "3", "5"]), dir + "/test.csv")
        let split = try DatasetSpec(parsing: dir + "/train.csv:test-file=" + dir + "/test.csv").load()
        XCTAssertEqual(split.test.classNames, split.train.classNames)
        XCTAssertEqual(split.test.labels.map { split.test.classNames[$0] }, ["3", "7", "9", "3", "5"])
        XCTAssertEqual(split.test.labels, [3, 7, 9, 3, 5])
    }

    /// Numeric labels match by value ("+1" in LIBSVM training, "1" in the test file), and text labels by name.
    func testLabelsMatchByValueAndByName() throws {
        let dir = temporaryDirectory()
        write("-1 1:0.5\n+1 1:1.5 2:1\n-1 2:2\n", dir + "/train.libsvm")
        write("1 1:3\n-1.0 2:1\n", dir + "/test.libsvm")
        let s = try DatasetSpec(parsing: dir + "/train.libsvm:test-file=" + dir + "/test.libsvm").load()
        XCTAssertEqual(s.test.labels, [1, 0])
        XCTAssertEqual(s.test.featureCount, 2)
        write(csv(["cat", "dog", "emu", "dog"]), dir + "/a.csv")
        write(csv(["emu", "cat"]), dir + "/b.csv")
        let t = try DatasetSpec(parsing: dir + "/a.csv:test-file=" + dir + "/b.csv").load()
        XCTAssertEqual(t.test.labels, [2, 0])
    }

    func testTestLabelAbsentFromTrainingIsAnError() throws {
        let dir = temporaryDirectory()
        write(csv(["0", "1", "2", "1"]), dir + "/train.csv")
        write(csv(["1", "4"]), dir + "/test.csv")
        assertError(
            try DatasetSpec(parsing: dir + "/train.csv:test-file=" + dir + "/test.csv").load(), exitCode: 1,
            contains: ["test.csv", "label \"4\"", "training classes (0, 1, 2)"])
    }

    func testTestFileWithOtherFeatureCountIsAnError() throws {
        let dir = temporaryDirectory()
        write(csv(["0", "1", "0"], features: 3), dir + "/train.csv")
        write(csv(["0", "1"], features: 2), dir + "/test.csv")
        assertError(
            try DatasetSpec(parsing: dir + "/train.csv:test-file=" + dir + "/test.csv").load(), exitCode: 1,
            contains: ["test.csv", "3 features, as the training file has", "found 2"])
        write("0 1:1 5:2\n", dir + "/wide.libsvm")
        write("0 1:1\n1 2:1\n", dir + "/narrow.libsvm")
        assertError(
            try DatasetSpec(parsing: dir + "/narrow.libsvm:test-file=" + dir + "/wide.libsvm").load(), exitCode: 1,
            contains: ["wide.libsvm", "indices ≤ 2", "found 5"])
    }

    /// Regression: an .npy test file was read as LIBSVM text ("expected UTF-8 text").
    func testNPYTestFileAndIDXTestFile() throws {
        let dir = temporaryDirectory()
        write(NPYArray.encode([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [3, 2]), dir + "/x.npy")
        write(NPYArray.encode([Double](arrayLiteral: 0, 2, 1), shape: [3]), dir + "/y.npy")
        write(NPYArray.encode([Float](arrayLiteral: 7, 8, 9, 10), shape: [2, 2]), dir + "/xt.npy")
        write(NPYArray.encode([Double](arrayLiteral: 2, 2), shape: [2]), dir + "/yt.npy")
        let s = try DatasetSpec(
            parsing: "\(dir)/x.npy:labels=\(dir)/y.npy,test-file=\(dir)/xt.npy,test-labels=\(dir)/yt.npy"
        ).load()
        XCTAssertEqual(s.train.count, 3)
        XCTAssertEqual(s.test.count, 2)
        XCTAssertEqual(s.test.labels, [2, 2])
        XCTAssertEqual(s.test.features.storage, [7, 8, 9, 10])
        assertError(
            try DatasetSpec(parsing: "\(dir)/x.npy:labels=\(dir)/y.npy,test-file=\(dir)/xt.npy").load(), exitCode: 2,
            contains: ["xt.npy", "needs test-labels=PATH.npy"])
        write(idxBytes([3, 2, 1], data: [0, 255, 51, 102, 0, 0]), dir + "/img-idx3-ubyte")
        write(idxBytes([3], data: [1, 0, 1]), dir + "/lab-idx1-ubyte")
        write(idxBytes([1, 2, 1], data: [255, 0]), dir + "/timg-idx3-ubyte")
        write(idxBytes([1], data: [1]), dir + "/tlab-idx1-ubyte")
        let i = try DatasetSpec(
            parsing:
                "\(dir)/img-idx3-ubyte:labels=\(dir)/lab-idx1-ubyte,test-file=\(dir)/timg-idx3-ubyte,test-labels=\(dir)"
                + "/tlab-idx1-ubyte"
        ).load()
        XCTAssertEqual(i.test.labels, [1])
        XCTAssertEqual(i.test.features.storage, [1, 0])
    }

    /// Regression: holdout=0 was refused, so a file could never be trained on in full.
    func testHoldoutZeroTrainsOnEveryRow() throws {
        let dir = temporaryDirectory()
        write(csv((0..<10).map { String($0 % 2) }), dir + "/d.csv")
        let s = try DatasetSpec(parsing: dir + "/d.csv:holdout=0").load()
        XCTAssertEqual(s.train.count, 10)
        XCTAssertEqual(s.test.count, 0)
        XCTAssertTrue(s.splitSummary.contains("no test set (holdout=0)"), s.splitSummary)
        assertError(
            try s.requireTestSet(for: "the sweep"), exitCode: 2,
            contains: ["the sweep needs a test set", "test-file=PATH"])
        let d = try DatasetSpec(parsing: dir + "/d.csv").load()
        XCTAssertEqual(d.test.count, 2)
        XCTAssertTrue(d.splitSummary.contains("20% of"), d.splitSummary)
        assertError(
            try DatasetSpec(parsing: dir + "/d.csv:holdout=1").load(), exitCode: 2,
            contains: ["holdout must be in [0, 1)"])
        write(csv(["0", "1"]), dir + "/t.csv")
        assertError(
            try DatasetSpec(parsing: "\(dir)/d.csv:holdout=0.3,test-file=\(dir)/t.csv").load(), exitCode: 2,
            contains: ["holdout does not apply with test-file"])
    }

    /// The fingerprint changes with any number of the data and with the class order, not with the spec's text.
    func testFingerprintFollowsTheNumbers() throws {
        let a = try DatasetSpec(parsing: "mnist1d:train=100,test=50").load()
        let b = try DatasetSpec(parsing: "mnist1d:test=50,train=100").load()
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        var c = a
        c.train.features[3, 7] += 1e-6
        XCTAssertNotEqual(a.fingerprint, c.fingerprint)
        var d = a
        d.test.labels[0] = (d.test.labels[0] + 1) % 10
        XCTAssertNotEqual(a.fingerprint, d.fingerprint)
        XCTAssertNotEqual(ContentHash.of("ab", "c"), ContentHash.of("a", "bc"))
    }
}

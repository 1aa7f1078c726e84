import Datasets
import LinearAlgebra
import XCTest

final class SpecTests: XCTestCase {
    func testParsingListsAndFlags() throws {
        let s = try DatasetSpec(parsing: "mnist1d:classes=3,5,train=100,standardize")
        XCTAssertEqual(s.name, "mnist1d")
        XCTAssertEqual(s.options.map(\.key), ["classes", "train", "standardize"])
        XCTAssertEqual(s.options[0].value, "3,5")
        XCTAssertEqual(s.options[2].value, "true")
    }

    func testUnknownNameAndOption() {
        XCTAssertThrowsError(try DatasetSpec(parsing: "imagenet")) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
            XCTAssertTrue("\(e)".contains("unknown dataset \"imagenet\""))
        }
        XCTAssertThrowsError(try DatasetSpec(parsing: "separable:d=5,colour=red").load()) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
            XCTAssertTrue("\(e)".contains("unknown option colour"))
        }
        XCTAssertThrowsError(try DatasetSpec(parsing: "separable:margin=-1").load()) { e in
            XCTAssertTrue("\(e)".contains("margin must be > 0"))
        }
        XCTAssertThrowsError(try DatasetSpec(parsing: "mnist1d:train=10,label-noise=1.5").load()) { e in
            XCTAssertTrue("\(e)".contains("label noise must be in [0, 1]"))
        }
    }

    func testMissingFashionMNIST() {
        XCTAssertThrowsError(try DatasetSpec(parsing: "fashion-mnist").load(dataDirectory: temporaryDirectory())) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 1)
            XCTAssertTrue("\(e)".contains("install the dataset-fashion-mnist package"))
        }
    }

    func testTransforms() throws {
        let s = try DatasetSpec(parsing: "mnist1d:train=1000,test=200,classes=3,5").load()
        XCTAssertEqual(s.train.classNames, ["3", "5"])
        XCTAssertTrue(s.train.labels.allSatisfy { $0 == 0 || $0 == 1 })
        let full = try DatasetSpec(parsing: "mnist1d:train=1000,test=200").load()
        let noisy = try DatasetSpec(parsing: "mnist1d:train=1000,test=200,label-noise=0.3").load()
        let changed = zip(full.train.labels, noisy.train.labels).filter { $0 != $1 }.count
        // 300 relabelled uniformly: ≈ 9/10 of them change, 270 ± 3·√(300·0.09).
        XCTAssertEqual(Double(changed), 270, accuracy: 3 * (300 * 0.09).squareRoot())
        XCTAssertEqual(noisy.test.labels, full.test.labels, "the test set stays clean")
        let sub = try full.train.stratifiedSubsample(100, seed: 1)
        XCTAssertEqual(sub.count, 100)
        for (a, b) in zip(sub.classCounts(), full.train.classCounts()) {
            XCTAssertEqual(Double(a), Double(b) / 10, accuracy: 1)
        }
        let v = try DatasetSpec(parsing: "separable:n=100,val=0.2").load()
        XCTAssertEqual(v.validation?.count, 20)
        XCTAssertEqual(v.train.count, 80)
    }

    func testStandardizeFitsOnTrainOnly() throws {
        let s = try DatasetSpec(parsing: "gaussian-mixture:d=3,n=500,sep=4,standardize").load()
        for j in 0..<3 {
            let col = s.train.features.column(j).map(Double.init)
            XCTAssertEqual(Stats.mean(col), 0, accuracy: 1e-5)
            XCTAssertEqual(Stats.variance(col) * 499 / 500, 1, accuracy: 1e-4)
        }
        let test = s.test.features.column(0).map(Double.init)
        XCTAssertNotEqual(Stats.mean(test), 0, "test statistics differ from the fitted ones")
    }

    func testFashionMNISTWhenInstalled() throws {
        guard FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory) else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let s = try DatasetSpec(parsing: "fashion-mnist:classes=trouser,bag").load()
        XCTAssertEqual(s.train.count, 12_000)
        XCTAssertEqual(s.test.count, 2_000)
        XCTAssertEqual(s.train.classNames, ["trouser", "bag"])
        XCTAssertTrue(s.train.features.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(s.sampleShape, [28, 28], "images keep their layout through classes=")
    }

    /// Layouts: MNIST-1D's signals have positions until they are shuffled.
    func testSampleShapes() throws {
        XCTAssertEqual(try DatasetSpec(parsing: "mnist1d:train=10,test=10").load().sampleShape, [40])
        XCTAssertNil(try DatasetSpec(parsing: "mnist1d:train=10,test=10,shuffle-positions").load().sampleShape)
        XCTAssertNil(try DatasetSpec(parsing: "gaussian-mixture:n=10,test=10").load().sampleShape)
    }
}

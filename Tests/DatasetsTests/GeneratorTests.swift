import Datasets
import LinearAlgebra
import XCTest

final class GeneratorTests: XCTestCase {
    /// Against scipy.ndimage.gaussian_filter(x, 2) (truncate 4, mode 'reflect'), computed once in Python.
    func testGaussianFilterMatchesScipy() {
        let x = [0.3, -1.2, 2.0, 0.5, 0.0, -0.7, 1.1, 0.9, -0.2, 0.4]
        let scipy = [
            0.1692689353296624, 0.23541039539311578, 0.3096526773263095, 0.33841928832204016, 0.32836703486912244,
            0.32479383161683983, 0.34437888591861693, 0.3607063027905462, 0.3528787641634992, 0.3361238842702481,
        ]
        for (a, b) in zip(MNIST1D.gaussianFilter(x, sigma: 2), scipy) { XCTAssertEqual(a, b, accuracy: 1e-14) }
    }

    func testInterpolateAndTemplates() {
        XCTAssertEqual(
            MNIST1D.interpolate([1, 3, 2, 5], count: 7), [1, 2, 3, 2.5, 2, 3.5, 5].map { $0 },
            "scipy interp1d on linspace grids")
        let zero = [
            0.0, 0.23693955110363696, 0.35540932665545544, 0.4146442144313647, 0.4738791022072739, 0.4738791022072739,
            0.4738791022072739, 0.4738791022072739, 0.4146442144313647, 0.35540932665545544, 0.23693955110363696, 0.0,
        ]
        for (a, b) in zip(MNIST1D.templates[0], zero) { XCTAssertEqual(a, b, accuracy: 1e-14) }
    }

    func testMNIST1DShapeAndStatistics() {
        var g = MNIST1D()
        g.trainCount = 800
        g.testCount = 200
        let s = g.generate()
        XCTAssertEqual(s.train.count, 800)
        XCTAssertEqual(s.test.count, 200)
        XCTAssertEqual(s.train.featureCount, 40)
        XCTAssertEqual(s.train.classCount, 10)
        // 100 per class in all; the shuffled split gives each class ≈ 80 in train.
        let c = s.train.classCounts()
        XCTAssertEqual(c.reduce(0, +) + s.test.classCounts().reduce(0, +), 1000)
        for k in c { XCTAssertTrue(k >= 60 && k <= 100, "class count \(k)") }
        // Standardized as a whole: train mean ≈ 0 (SE of a mean over 32,000 correlated values), std ≈ 1.
        let x = s.train.features.storage.map(Double.init)
        XCTAssertEqual(Stats.mean(x), 0, accuracy: 0.05)
        XCTAssertEqual(Stats.standardDeviation(x), 1, accuracy: 0.05)
        // Deterministic in the seed.
        XCTAssertEqual(g.generate().train.features, s.train.features)
    }

    func testSeparablePlantedMarginAndRadius() {
        let g = Separable(dimension: 10, trainCount: 500, testCount: 100, margin: 0.2, radius: 2, seed: 3)
        let s = g.generate()
        let w = g.plantedDirection()
        XCTAssertEqual(norm(w), 1, accuracy: 1e-12)
        let y = try! s.train.signedLabels()
        var minMargin = Double.infinity
        for i in 0..<s.train.count {
            let m = y[i] * zip(s.train.features.row(i), w).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            minMargin = min(minMargin, m)
        }
        // Float rounding of the coordinates moves margins by ≲ 1e-6.
        XCTAssertEqual(minMargin, 0.2, accuracy: 1e-5)
        XCTAssertEqual(s.facts["realizedMargin"]!, minMargin, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(s.train.radius(), 2 + 1e-5)
    }

    func testRegressionAndIsotropicKnownTruth() {
        var r = Regression()
        r.noise = 0
        r.function = .linear
        r.dimension = 2
        let d = r.draw(20, stream: 0)
        for i in 0..<20 { XCTAssertEqual(d.targets[i], r.f(d.features.row(i).map(Double.init)), accuracy: 1e-12) }
        var iso = Isotropic()
        iso.noise = 0
        iso.features = 5
        let s = iso.draw(10, stream: 0)
        let b = iso.beta()
        XCTAssertEqual(norm(b), 1, accuracy: 1e-12)
        for i in 0..<10 {
            XCTAssertEqual(
                s.targets[i], zip(s.features.row(i), b).reduce(0.0) { $0 + Double($1.0) * $1.1 }, accuracy: 1e-5)
        }
    }
}

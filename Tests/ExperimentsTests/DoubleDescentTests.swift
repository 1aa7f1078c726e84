import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures
import TestSupport
import XCTest

@testable import Experiments

final class DoubleDescentTests: XCTestCase {
    func random(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<Double> {
        var g = Generator(seed: seed)
        return Matrix(rows: r, cols: c, storage: g.normalVector(r * c))
    }

    /// The Gram-matrix route equals LAPACK's SVD-based gelsd on both sides of the threshold.
    func testMinimumNormEqualsPseudoInverseSolution() throws {
        for (n, p) in [(30, 10), (10, 30), (20, 20)] {
            let phi = random(n, p, seed: UInt64(n * 100 + p))
            let y = random(n, 2, seed: 7)
            let ours = try MinimumNorm.solve(phi, y)
            let lapack = try minimumNormLeastSquares(phi, y).solution
            for i in 0..<ours.count {
                XCTAssertEqual(
                    ours.storage[i], lapack.storage[i], accuracy: 1e-8 * max(1, abs(lapack.storage[i])), "n=\(n) p=\(p)"
                )
            }
        }
    }

    /// Gradient descent from w = 0 on under-determined least squares stays in the row space and
    /// converges to the minimum-norm interpolant X⁺y (the implicit bias of GD).
    func testGradientDescentFromZeroConvergesToMinimumNorm() throws {
        let x = random(8, 20, seed: 3)
        var g = Generator(seed: 4)
        let y: [Double] = g.normalVector(8)
        let target = try MinimumNorm.solve(x, Matrix(rows: 8, cols: 1, storage: y)).storage
        var w = [Double](repeating: 0, count: 20)
        let lambdaMax = try symmetricEigen(matmul(x, transA: true, x), vectors: false).values.last!
        let eta = 1 / lambdaMax
        for _ in 0..<20_000 {
            let r = zip(matvec(x, w), y).map { $0 - $1 }
            axpy(-eta, matvec(x, transposed: true, r), &w)
        }
        for (a, b) in zip(w, target) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    /// The closed form of Hastie et al. at several γ, written out by hand.
    func testRidgelessClosedForm() {
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 0.5, signal: 1, noise: 0.5), 0.25 * 0.5 / 0.5, accuracy: 1e-15)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 0.9, signal: 1, noise: 1), 9, accuracy: 1e-12)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 2, signal: 1, noise: 1), 0.5 + 1, accuracy: 1e-15)
        XCTAssertEqual(RidgelessTheory.excessRisk(gamma: 5, signal: 2, noise: 0), 4 * 0.8, accuracy: 1e-15)
        XCTAssertTrue(RidgelessTheory.excessRisk(gamma: 1, signal: 1, noise: 1).isInfinite)
    }

    /// Simulation against the closed form away from γ = 1 (n = 100, 40 trials), end to end.
    func testRidgelessSweepEndToEnd() throws {
        let r = try RidgelessExperiment(samples: 100, gammas: [0.25, 0.5, 1.0, 2, 4], trials: 40).execute(
            RunContext(command: "test"))
        XCTAssertEqual(r.verdicts[0].supported, true, r.verdicts[0].evidence)
        XCTAssertEqual(r.verdicts[1].supported, true, r.verdicts[1].evidence)
        XCTAssertThrowsError(try RidgelessExperiment(trials: 1).execute(RunContext(command: "t"))) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try RidgelessExperiment(gammas: [2, 1]).execute(RunContext(command: "t")))
    }

    /// A sweep killed half-way resumes from its checkpoints and gives the same final results.
    func testSweepResumesAfterInterruption() throws {
        let dir = Scratch.path("sweep")
        let exp = RandomFeaturesSweep(
            data: "mnist1d:train=150,test=100", kind: .relu, counts: [50, 150, 400], seeds: 1)
        let full = try exp.execute(RunContext(command: "t", checkpoint: dir))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, 3)
        // "Kill" it: remove one finished point, as if the run had stopped before it.
        try FileManager.default.removeItem(atPath: dir + "/" + files[1])
        let resumed = try exp.execute(RunContext(command: "t", checkpoint: dir))
        XCTAssertEqual(resumed.tables, full.tables)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.count, 3)
        // A grid that stops short of N = n locates no peak: the evidence says so instead of "N = nan".
        let short = try RandomFeaturesSweep(
            data: "mnist1d:train=150,test=100", kind: .relu, counts: [20, 50, 80], seeds: 1
        ).execute(RunContext(command: "t"))
        XCTAssertTrue(short.verdicts[2].evidence.contains("No peak"), short.verdicts[2].evidence)
        for v in short.verdicts { XCTAssertFalse(v.evidence.contains("nan"), v.evidence) }
    }

    func testWidthSweepBadInputs() throws {
        XCTAssertThrowsError(try WidthSweep(widths: [8, 4]).execute(RunContext(command: "t"))) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try WidthSweep(widths: [4], labelNoise: 1.5).execute(RunContext(command: "t"))) { e in
            XCTAssertTrue("\(e)".contains("[0, 1]"))
        }
    }

    /// The closed-form gradient-descent path equals plain gradient descent, step by step.
    func testTwoScaleClosedFormEqualsGradientDescent() throws {
        var m = TwoScaleRegression()
        m.samples = 40
        m.fastFeatures = 6
        m.slowFeatures = 3
        m.learningRate = 0.1
        let d = m.draw(m.samples, stream: 0)
        let path = try TwoScaleRegression.Path(x: d.x, y: d.y, learningRate: m.learningRate)
        for t in [0, 1, 7, 300] {
            let direct = TwoScaleRegression.gradientDescent(x: d.x, y: d.y, learningRate: m.learningRate, steps: t)
            for (a, b) in zip(path.weights(at: t), direct) { XCTAssertEqual(a, b, accuracy: 1e-10 * max(1, abs(b))) }
        }
        // A step past 2/λ_max is refused (usage error), not iterated to infinity.
        XCTAssertThrowsError(try TwoScaleRegression.Path(x: d.x, y: d.y, learningRate: 50)) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
    }

    /// The shape test: a planted fall–rise–fall is found; a monotone curve and pure noise are not
    /// called double descent.
    func testDescentShape() {
        var g = Generator(seed: 5)
        let planted = (0..<5).map { _ in
            (0..<60).map { j -> Double in
                let t = Double(j)
                return 1 - 0.5 * min(t, 10) / 10 + 0.3 * exp(-(t - 20) * (t - 20) / 20) - 0.2 * max(0, t - 30) / 30
                    + 0.01 * g.normal()
            }
        }
        let s = DescentShape.find(planted)!
        XCTAssertTrue(s.shows)
        XCTAssertTrue((8...12).contains(s.firstMinimum), "\(s)")
        XCTAssertTrue((18...22).contains(s.peak), "\(s)")
        XCTAssertEqual(s.secondMinimum, 59)
        let monotone = (0..<5).map { _ in (0..<60).map { j in 1 / (1 + Double(j)) + 0.001 * g.normal() } }
        XCTAssertFalse(DescentShape.find(monotone)!.shows)
        let noise = (0..<3).map { _ in (0..<60).map { _ in 0.5 + 0.02 * g.normal() } }
        XCTAssertFalse(DescentShape.find(noise)!.shows)
        XCTAssertEqual(DescentShape.smoothed([1, 2, 3]), [1, 2, 3])
    }

    /// Smoothing by epochs: each record averages the records within (e − 1)/10 of its epoch e,
    /// whatever their spacing; with a record every epoch it is the index smoothing exactly.
    func testSmoothingOverTenPercentOfTheEpoch() {
        // Sparse records: 91 reaches 82…100 (itself), 101 reaches 91…111, 111 reaches 100…122.
        XCTAssertEqual(
            DescentShape.smoothed([1, 2, 3, 4, 5], epochs: [11, 91, 101, 111, 201]), [1, 2, 3, 3.5, 5])
        var g = Generator(seed: 3)
        let x = (0..<300).map { _ in g.normal() }
        let byEpoch = DescentShape.smoothed(x, epochs: Array(1...300))
        // The index window of ±⌊j/10⌋ records around record j, written out here (`smoothed(_:)`
        // now calls the epoch version, so comparing with it would prove nothing).
        for j in x.indices {
            let window = x[max(0, j - j / 10)...min(x.count - 1, j + j / 10)]
            XCTAssertEqual(byEpoch[j], window.reduce(0, +) / Double(window.count), accuracy: 1e-12, "epoch \(j + 1)")
        }
    }

    /// A seed that fits its labels and loses the fit later (training error above 5% again) is
    /// found at its worst record, and said in the evidence; a seed that never fits is not.
    func testEpochWiseRelapsedSeedsAreSaid() {
        let epochs = [1, 2, 3, 4, 5, 6]
        let curves = [
            EpochWise.Curve(
                epochs: epochs, testError: [0.5, 0.3, 0.2, 0.25, 0.3, 0.2], trainError: [0.4, 0.1, 0, 0, 0.3, 0.01]),
            EpochWise.Curve(
                epochs: epochs, testError: [0.5, 0.3, 0.2, 0.2, 0.2, 0.2], trainError: [0.4, 0.1, 0, 0.04, 0, 0]),
            EpochWise.Curve(
                epochs: epochs, testError: [0.5, 0.4, 0.3, 0.3, 0.3, 0.3], trainError: [0.5, 0.4, 0.3, 0.2, 0.2, 0.2]),
        ]
        let c = EpochWise.NetworkCurves(curves)
        let r = EpochWise.relapses(c)
        XCTAssertEqual(r.map(\.seed), [0])
        XCTAssertEqual(r.first?.index, 4)
        XCTAssertEqual(r.first?.trainError, 0.3)
        let shape = DescentShape.find(c.smooth)!
        let v = EpochWise(seeds: 3).networkVerdict(c, shape: shape)
        XCTAssertTrue(
            v.evidence.contains("Seed 0 lost its fit after fitting: training error back up to 30.0% at epoch 5"),
            v.evidence)
        XCTAssertEqual(v.values["relapsed_seeds"], 1)
    }

    /// The epoch-wise network records on its grid of epochs: 40 epochs at 10 per decade.
    func testEpochWiseRecordsOnTheGrid() throws {
        var linear = TwoScaleRegression()
        linear.trials = 2
        linear.testCount = 100
        linear.maxStep = 1000
        let e = EpochWise(
            data: "mnist1d:train=200,test=200", model: "mlp:8", epochs: 40, evaluationsPerDecade: 10, seeds: 1,
            linear: linear)
        let r = try e.execute(RunContext(command: "t"))
        let epochs = r.tables[0].rows.map { $0[0] }
        XCTAssertEqual(epochs, TrainingConfig.logGrid(epochs: 40, perDecade: 10).map { JSONValue($0) })
        XCTAssertThrowsError(try EpochWise(evaluationsPerDecade: 0).validate())
    }

    /// The epoch-wise experiment end to end at a tiny size, and its bad inputs.
    func testEpochWiseEndToEnd() throws {
        var linear = TwoScaleRegression()
        linear.trials = 8
        linear.testCount = 200
        linear.maxStep = 10_000
        let r = try EpochWise(data: "mnist1d:train=200,test=200", model: "mlp:16", epochs: 4, seeds: 2, linear: linear)
            .execute(RunContext(command: "t"))
        XCTAssertEqual(r.tables[0].rows.count, 4)
        XCTAssertEqual(r.verdicts[1].supported, true, r.verdicts[1].evidence)
        XCTAssertThrowsError(try EpochWise(model: "mlp:0").execute(RunContext(command: "t")))
        XCTAssertThrowsError(try EpochWise(labelNoise: 2).execute(RunContext(command: "t"))) { e in
            XCTAssertEqual((e as? GenLabError)?.exitCode, 2)
        }
    }

    /// The epoch-wise experiment (both registry entries) reanalyzes from its stored curves, and
    /// runs live by seed: every prefix of the seeds analyzes.
    func testEpochWiseReanalysisAndLiveResult() throws {
        try assertReanalysisReproduces("double-descent-epochs-cnn", as: EpochWise.self)
        let r = try assertReanalysisReproduces("double-descent-epochs", as: EpochWise.self)
        let e = try registryExperiment("double-descent-epochs", as: EpochWise.self)
        try assertLiveResult("double-descent-epochs", as: EpochWise.self, stored: r) { k, o in
            var part = e
            var prefix = o
            part.seeds = k
            prefix.networks = Array(o.networks.prefix(k))
            return k <= e.seeds ? (part, prefix) : nil
        }
    }
}

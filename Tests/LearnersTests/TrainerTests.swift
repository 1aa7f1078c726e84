import Datasets
import Foundation
import Learners
import LinearAlgebra
import TestSupport
import XCTest

final class TrainerTests: XCTestCase {
    func blobs(_ n: Int = 300) -> DataSplit {
        var g = GaussianMixture()
        g.dimension = 4
        g.classes = 3
        g.separation = 4
        g.trainCount = n
        g.testCount = 200
        g.seed = 2
        return g.generate()
    }

    func testLearnsSeparableBlobs() throws {
        let s = blobs()
        let net: Network<Float> = try ModelSpec(parsing: "mlp:16").network(for: s.train, seed: 1)
        let run = Trainer<Float>(
            TrainingConfig(epochs: 30, batchSize: 32, optimizer: OptimizerConfig(learningRate: 0.05))
        ).train(net, train: s.train, test: s.test)
        XCTAssertFalse(run.diverged)
        XCTAssertLessThan(run.final!.testError, 0.05)
        XCTAssertLessThan(run.records.last!.trainLoss, run.records.first!.trainLoss)
    }

    /// Same seed, same thread count → identical weights.
    func testDeterministic() throws {
        let s = blobs()
        func train() throws -> [Float] {
            let net: Network<Float> = try ModelSpec(parsing: "mlp:8x8,dropout=0.2").network(for: s.train, seed: 3)
            _ = Trainer<Float>(TrainingConfig(epochs: 3, batchSize: 16, seed: 9)).train(
                net, train: s.train, test: s.test)
            return net.parameterArray
        }
        XCTAssertEqual(try train(), try train())
    }

    /// The geometric grid: every epoch while its step is under one epoch, ever sparser after, the
    /// last epoch always; 90 records of 300 epochs at 60 per decade.
    func testLogGridOfEpochs() {
        let g = TrainingConfig.logGrid(epochs: 300, perDecade: 60)
        XCTAssertEqual(g.count, 90)
        XCTAssertEqual(Array(g.prefix(30)), Array(1...30))
        XCTAssertEqual(g.last, 300)
        XCTAssertEqual(g, g.sorted())
        XCTAssertEqual(Set(g).count, g.count)
        // Each late step is about 10^(1/60) − 1 ≈ 3.9% of the epoch (rounding moves it a little).
        for (a, b) in zip(g.dropFirst(30), g.dropFirst(31)).dropLast() {
            XCTAssertEqual(Double(b) / Double(a), pow(10, 1.0 / 60), accuracy: 0.025, "\(a) → \(b)")
        }
        XCTAssertEqual(TrainingConfig.logGrid(epochs: 1, perDecade: 5), [1])
        XCTAssertEqual(TrainingConfig.logGrid(epochs: 100, perDecade: 1), [1, 10, 100])
        XCTAssertEqual(TrainingConfig.logGrid(epochs: 150, perDecade: 1), [1, 10, 100, 150])
    }

    /// A run recorded on the grid has records exactly at the grid's epochs, and each equals the
    /// record of the same epoch in a run evaluated every epoch: evaluation does not touch training.
    func testRecordsOnTheGridMatchEveryEpochRecords() throws {
        let s = blobs()
        func run(_ perDecade: Int?) throws -> TrainingRun {
            let net: Network<Float> = try ModelSpec(parsing: "mlp:8").network(for: s.train, seed: 3)
            var config = TrainingConfig(
                epochs: 40, batchSize: 32, optimizer: OptimizerConfig(learningRate: 0.05), seed: 4)
            config.evaluationsPerDecade = perDecade
            return Trainer<Float>(config).train(net, train: s.train, test: s.test)
        }
        let every = try run(nil)
        let grid = try run(10)
        XCTAssertEqual(grid.records.map(\.epoch), TrainingConfig.logGrid(epochs: 40, perDecade: 10))
        XCTAssertEqual(grid.records.map(\.epoch), [1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32, 40])
        let byEpoch = Dictionary(uniqueKeysWithValues: every.records.map { ($0.epoch, $0) })
        for r in grid.records {
            let e = try XCTUnwrap(byEpoch[r.epoch])
            XCTAssertEqual(r.testError, e.testError)
            XCTAssertEqual(r.trainLoss, e.trainLoss)
            XCTAssertEqual(r.steps, e.steps)
        }
        var bad = TrainingConfig()
        bad.evaluationsPerDecade = 0
        XCTAssertThrowsError(try Trainer<Float>(bad).validate(s.train, classes: 3))
    }

    func testStopsAtTargetLossAndZeroError() throws {
        let s = blobs()
        let net: Network<Float> = try ModelSpec(parsing: "mlp:32").network(for: s.train, seed: 1)
        let run = Trainer<Float>(
            TrainingConfig(
                epochs: 500, batchSize: 32, optimizer: OptimizerConfig(learningRate: 0.1), stopAtZeroTrainingError: true
            )
        )
        .train(net, train: s.train, test: s.test)
        XCTAssertEqual(run.stoppedBecause, .zeroTrainingError)
        XCTAssertEqual(run.final!.trainError, 0)
        let net2: Network<Float> = try ModelSpec(parsing: "mlp:32").network(for: s.train, seed: 1)
        let run2 = Trainer<Float>(
            TrainingConfig(epochs: 2000, batchSize: 32, optimizer: OptimizerConfig(learningRate: 0.1), targetLoss: 0.05)
        )
        .train(net2, train: s.train, test: s.test)
        XCTAssertEqual(run2.stoppedBecause, .targetLoss)
        XCTAssertLessThanOrEqual(run2.final!.trainLoss, 0.05)
    }

    func testDivergenceIsRecordedNotACrash() throws {
        let s = blobs()
        let net: Network<Float> = try ModelSpec(parsing: "mlp:16").network(for: s.train, seed: 1)
        let run = Trainer<Float>(
            TrainingConfig(epochs: 20, batchSize: 32, optimizer: OptimizerConfig(learningRate: 1e6, momentum: 0.9))
        )
        .train(net, train: s.train, test: s.test)
        XCTAssertTrue(run.diverged)
        XCTAssertEqual(run.stoppedBecause, .diverged)
    }

    /// One Adam step from a known gradient, against the update written out by hand.
    func testAdamStepMatchesDefinition() {
        var theta: [Double] = [1, -2]
        var g: [Double] = [0.5, -0.25]
        let opt = Optimizer<Double>(OptimizerConfig(kind: .adam, learningRate: 0.1, weightDecay: 0), parameterCount: 2)
        theta.withUnsafeMutableBufferPointer { t in
            g.withUnsafeMutableBufferPointer { opt.step(t.baseAddress!, $0.baseAddress!, learningRate: 0.1) }
        }
        // m̂ = g, v̂ = g² after one step: θ −= η·g/(|g| + ε) = η·sign(g).
        XCTAssertEqual(theta[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-12)
        XCTAssertEqual(theta[1], -2 + 0.1 * 0.25 / (0.25 + 1e-8), accuracy: 1e-12)
        // SGD with momentum and weight decay, two steps (PyTorch's convention).
        var t2: [Double] = [1]
        var g2: [Double] = [0.5]
        let sgd = Optimizer<Double>(
            OptimizerConfig(kind: .sgd, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01), parameterCount: 1)
        for _ in 0..<2 {
            t2.withUnsafeMutableBufferPointer { t in
                g2.withUnsafeMutableBufferPointer { sgd.step(t.baseAddress!, $0.baseAddress!, learningRate: 0.1) }
            }
        }
        let gA = 0.5 + 0.01 * 1.0
        let thetaA = 1 - 0.1 * gA
        let gB = 0.5 + 0.01 * thetaA
        let bufB = 0.9 * gA + gB
        XCTAssertEqual(t2[0], thetaA - 0.1 * bufB, accuracy: 1e-12)
    }

    /// The vectorized Adam and AdamW steps (adam.c) against the plain loop written out here, to
    /// the bit: Float and Double, with weight decay, 37 parameters (a vector tail in both widths),
    /// five steps with changing gradients.
    func testAdamKernelEqualsThePlainLoop() {
        func check<T: Scalar>(_: T.Type, _ kind: OptimizerConfig.Kind) {
            let config = OptimizerConfig(kind: kind, learningRate: 0.01, weightDecay: 0.05)
            let n = 37
            var r = Generator(seed: 9)
            var theta: [T] = (0..<n).map { _ in T(r.normal()) }
            var plain = theta
            var (m, v) = ([T](repeating: 0, count: n), [T](repeating: 0, count: n))
            let opt = Optimizer<T>(config, parameterCount: n)
            let (b1, b2, eps, lr, wd) = (T(0.9), T(0.999), T(1e-8), T(0.01), T(0.05))
            for step in 1...5 {
                var g: [T] = (0..<n).map { _ in T(r.normal()) }
                let c1 = T(1 - Foundation.pow(0.9, Double(step)))
                let c2 = T(1 - Foundation.pow(0.999, Double(step)))
                for j in 0..<n {
                    var gj = g[j]
                    if kind == .adam { gj += wd * plain[j] }
                    m[j] = b1 * m[j] + (1 - b1) * gj
                    v[j] = b2 * v[j] + (1 - b2) * gj * gj
                    if kind == .adamw { plain[j] -= lr * wd * plain[j] }
                    plain[j] -= lr * (m[j] / c1) / ((v[j] / c2).squareRoot() + eps)
                }
                theta.withUnsafeMutableBufferPointer { t in
                    g.withUnsafeMutableBufferPointer { opt.step(t.baseAddress!, $0.baseAddress!, learningRate: 0.01) }
                }
                XCTAssertEqual(theta, plain, "\(T.self) \(kind), step \(step)")
            }
        }
        for kind in [OptimizerConfig.Kind.adam, .adamw] {
            check(Float.self, kind)
            check(Double.self, kind)
        }
    }

    /// NaN or infinity in the features, reached through the Swift API (the file readers refuse
    /// them first): refused before training, naming the sample and the column.
    func testNonFiniteFeaturesAreRefused() throws {
        var d = try DatasetSpec(parsing: "separable:n=20,d=3").load().train
        d.features[4, 2] = .nan
        XCTAssertThrowsError(try Trainer<Float>(TrainingConfig(epochs: 1, batchSize: 5)).validate(d, classes: 2)) { e in
            XCTAssertTrue(
                "\(e)".contains("finite features") && "\(e)".contains("sample 4") && "\(e)".contains("feature 2"),
                "\(e)")
        }
    }

    func testWeightsRoundTripAndShapeCheck() throws {
        let s = blobs()
        let net: Network<Float> = try ModelSpec(parsing: "mlp:8").network(for: s.train, seed: 1)
        let dir = Scratch.path("w")
        try net.save(weights: dir + "/w.npy")
        let other: Network<Float> = try ModelSpec(parsing: "mlp:8").network(for: s.train, seed: 2)
        try other.load(weights: dir + "/w.npy")
        XCTAssertEqual(other.parameterArray, net.parameterArray)
        let wrong: Network<Float> = try ModelSpec(parsing: "mlp:9").network(for: s.train, seed: 2)
        XCTAssertThrowsError(try wrong.load(weights: dir + "/w.npy")) { e in
            XCTAssertTrue("\(e)".contains("weights for this model"), "\(e)")
        }
    }

    func testBadTrainingInputs() throws {
        let s = blobs(50)
        let t = Trainer<Float>(TrainingConfig(batchSize: 100))
        XCTAssertThrowsError(try t.validate(s.train, classes: 3)) { e in
            XCTAssertEqual(
                e as? GenLabError, .parameter(name: "batchSize", problem: "100 is larger than the 50 training samples"))
        }
        XCTAssertThrowsError(
            try Trainer<Float>(TrainingConfig(optimizer: OptimizerConfig(learningRate: 0))).validate(
                s.train, classes: 3))
        XCTAssertThrowsError(try Trainer<Float>(TrainingConfig(batchSize: 10)).validate(s.train, classes: 2)) { e in
            XCTAssertTrue("\(e)".contains("labels in 0..<2"))
        }
    }

    /// MNIST-1D's CNN trains (a smoke check of the conv path end to end; accuracy is the
    /// business of the published-setup runs).
    func testConvolutionalNetworkTrains() throws {
        let s = try DatasetSpec(parsing: "mnist1d:train=400,test=200").load()
        let net: Network<Float> = try ModelSpec(parsing: "cnn1d:8x8").network(for: s.train, seed: 1)
        let run = Trainer<Float>(
            TrainingConfig(
                epochs: 5, batchSize: 50, optimizer: OptimizerConfig(kind: .adam, learningRate: 0.01, momentum: 0))
        )
        .train(net, train: s.train, test: s.test)
        XCTAssertLessThan(run.records.last!.trainLoss, run.records.first!.trainLoss + 1e-9)
        XCTAssertLessThan(run.final!.trainError, 0.85)
    }
}

import Datasets
import Dispatch
import Learners
import LinearAlgebra
import XCTest

/// A training step halved between two cores (`Network.splitsBatch`) gives the loss, the
/// gradient and the fused SGD step of one pass over the whole batch, to rounding.
final class HalvedStepTests: XCTestCase {
    typealias Case = NetworkGradientTests.Case

    override func setUp() { before = BLAS.threads; BLAS.setThreads(2) }
    override func tearDown() { BLAS.setThreads(before) }
    var before = 1

    struct Batch { var x: [Double]; var labels: [Int32]; var targets: [Double]? }

    func batch(_ c: Case, _ b: Int, seed: UInt64 = 4) -> Batch {
        var g = Generator(seed: seed)
        let d = c.input.0 * c.input.1
        let labels = (0..<b).map { _ in Int32(c.loss == .logistic ? g.int(below: 2) : g.int(below: c.outputs)) }
        return Batch(x: g.normalVector(b * d), labels: labels, targets: c.loss == .meanSquaredError ? g.normalVector(b * c.outputs) : nil)
    }

    func network(_ c: Case, _ halving: Halving) -> Network<Double> {
        let net = try! Network<Double>(input: c.input, hidden: c.hidden, outputs: c.outputs, loss: c.loss, initialization: .glorot, seed: 2)
        net.halving = halving
        return net
    }

    /// The loss through `lossAndGradient(rows:)`: the batch is rows `indices` of `data`.
    static func lossAndGradient(_ net: Network<Double>, _ data: Batch, _ indices: [Int], sgdStep: Double? = nil) -> Double {
        data.x.withUnsafeBufferPointer { x in
            data.labels.withUnsafeBufferPointer { labels in
                (data.targets ?? []).withUnsafeBufferPointer { targets in
                    indices.withUnsafeBufferPointer { i in
                        net.lossAndGradient(rows: BatchRows(x: x.baseAddress!, labels: labels.baseAddress!,
                                                            targets: data.targets == nil ? nil : targets.baseAddress!, indices: i.baseAddress!),
                                            batch: indices.count, training: false, sgdStep: sgdStep)
                    }
                }
            }
        }
    }

    /// The loss through `lossAndGradient(_:labels:targets:)` on the rows `indices`, gathered here.
    static func lossAndGradientOfCopy(_ net: Network<Double>, _ data: Batch, _ indices: [Int]) -> Double {
        let d = net.inputFeatures, k = net.outputCount
        let x = indices.flatMap { data.x[($0 * d)..<($0 * d + d)] }, labels = indices.map { data.labels[$0] }
        let targets = data.targets.map { t in indices.flatMap { t[($0 * k)..<($0 * k + k)] } }
        return x.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { l in
                (targets ?? []).withUnsafeBufferPointer { t in
                    net.lossAndGradient(x.baseAddress!, labels: l.baseAddress!, targets: targets == nil ? nil : t.baseAddress!,
                                        batch: indices.count, training: false, accumulate: false)
                }
            }
        }
    }

    func testHalvedGradientEqualsOnePass() {
        for c in NetworkGradientTests.cases {
            for b in [40, 41] {  // even and odd: the halves' weights are 20/20 and 21/20
                let data = batch(c, b + 9)
                var g = Generator(seed: UInt64(b))
                let indices = Array(g.permutation(b + 9).prefix(b))
                let one = network(c, .never), two = network(c, .always), copy = network(c, .always)
                XCTAssertFalse(one.splitsBatch(b)); XCTAssertTrue(two.splitsBatch(b))
                let l1 = Self.lossAndGradient(one, data, indices), l2 = Self.lossAndGradient(two, data, indices)
                let l3 = Self.lossAndGradientOfCopy(copy, data, indices)
                XCTAssertTrue(l1.isFinite)
                let g1 = one.gradientArray
                XCTAssertGreaterThan(g1.map(abs).max()!, 1e-6, c.name)
                for (l, net) in [(l2, two), (l3, copy)] {
                    XCTAssertEqual(l1, l, accuracy: 1e-12 * max(1, abs(l1)), "\(c.name) b=\(b)")
                    let g2 = net.gradientArray
                    for j in g1.indices { XCTAssertEqual(g1[j], g2[j], accuracy: 1e-12 * max(1, abs(g1[j])), "\(c.name) b=\(b) entry \(j)") }
                }
                // A second step reuses the replica: the same again.
                let g2 = two.gradientArray
                _ = Self.lossAndGradient(two, data, indices)
                XCTAssertEqual(two.gradientArray, g2, c.name)
            }
        }
    }

    /// θ ← θ − η·∇L taken while the halves are combined equals the step from one pass.
    func testHalvedFusedSGDStepEqualsOnePass() {
        for c in NetworkGradientTests.cases {
            let b = 37, eta = 0.3, data = batch(c, b, seed: 9), indices = Array((0..<b).reversed())
            let one = network(c, .never), two = network(c, .always)
            guard one.supportsFusedSGD else { continue }
            let theta = one.parameterArray
            _ = Self.lossAndGradient(one, data, indices)
            let expected = zip(theta, one.gradientArray).map { $0 - eta * $1 }
            _ = Self.lossAndGradient(two, data, indices, sgdStep: eta)
            let got = two.parameterArray
            XCTAssertNotEqual(got, theta, c.name)
            for j in got.indices { XCTAssertEqual(got[j], expected[j], accuracy: 1e-12 * max(1, abs(expected[j])), "\(c.name) entry \(j)") }
        }
    }

    /// Two callers halving at once: one gets the helper core, the other runs its halves in a
    /// row (genlab_pair's fallback). Both get the one-pass gradient.
    func testConcurrentHalvedStepsFallBackCorrectly() {
        let c = NetworkGradientTests.cases[2], b = 64, data = batch(c, b), indices = Array(0..<b)
        let reference = network(c, .never)
        _ = Self.lossAndGradient(reference, data, indices)
        let expected = reference.gradientArray
        let nets = (0..<4).map { _ in network(c, .always) }
        DispatchQueue.concurrentPerform(iterations: nets.count) { i in
            for _ in 0..<50 { _ = Self.lossAndGradient(nets[i], data, indices) }
        }
        for net in nets {
            let g = net.gradientArray
            for j in g.indices { XCTAssertEqual(g[j], expected[j], accuracy: 1e-12 * max(1, abs(expected[j]))) }
        }
    }

    /// On one BLAS thread nothing is halved; small batches are not halved either.
    func testWhenStepsAreHalved() {
        let c = NetworkGradientTests.cases[2]
        let net = network(c, .automatic)
        XCTAssertTrue(net.splitsBatch(128))
        XCTAssertFalse(net.splitsBatch(31))
        BLAS.setThreads(1)
        XCTAssertFalse(net.splitsBatch(128))
        XCTAssertFalse(network(c, .always).splitsBatch(128))
    }

    /// Training with halved steps (dropout on, each half with its own stream): same seed → the
    /// same weights, and it learns as well as training in one pass.
    func testHalvedTrainingIsDeterministicAndLearns() throws {
        var g = GaussianMixture()
        g.dimension = 4; g.classes = 3; g.separation = 4; g.trainCount = 640; g.testCount = 200; g.seed = 2
        let s = g.generate()
        func train(_ halving: Halving) throws -> (weights: [Float], error: Double) {
            let net: Network<Float> = try ModelSpec(parsing: "mlp:16x16,dropout=0.1").network(for: s.train, seed: 3)
            net.halving = halving
            XCTAssertEqual(net.splitsBatch(64), halving == .always)
            let run = Trainer<Float>(TrainingConfig(epochs: 10, batchSize: 64, optimizer: OptimizerConfig(learningRate: 0.05), seed: 9))
                .train(net, train: s.train, test: s.test)
            return (net.parameterArray, run.final!.testError)
        }
        let a = try train(.always), b = try train(.always), one = try train(.never)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertNotEqual(a.weights, one.weights)  // other dropout masks
        XCTAssertLessThan(a.error, 0.05)
        XCTAssertLessThan(abs(a.error - one.error), 0.03)
    }

    /// H·v over two halves (each core keeping its half's forward pass) equals H·v in one pass:
    /// from scratch, with the kept passes, and after θ moves (the kept passes are dropped).
    func testHalvedHessianVectorProductEqualsOnePass() {
        for c in NetworkGradientTests.cases {
            let b = 41, data = batch(c, b, seed: 5)
            let x = Matrix<Double>(rows: b, cols: c.input.0 * c.input.1, storage: data.x)
            func objective(_ h: Halving) -> Objective<Double> {
                Objective(network: network(c, h), x: x, labels: data.labels.map { Int($0) }, targets: data.targets, chunk: 100)
            }
            let one = objective(.never), two = objective(.always)
            XCTAssertFalse(one.network.splitsHessianVectorProduct(b)); XCTAssertTrue(two.network.splitsHessianVectorProduct(b))
            var g = Generator(seed: 8)
            let u: [Double] = g.normalVector(one.network.parameterCount), w: [Double] = g.normalVector(one.network.parameterCount)
            func same(_ a: (loss: Double, hv: [Double]), _ e: (loss: Double, hv: [Double]), _ what: String) {
                XCTAssertEqual(a.loss, e.loss, accuracy: 1e-12 * max(1, abs(e.loss)), "\(c.name) \(what)")
                XCTAssertGreaterThan(e.hv.map(abs).max()!, 1e-8, "\(c.name) \(what)")
                for j in e.hv.indices { XCTAssertEqual(a.hv[j], e.hv[j], accuracy: 1e-11 * max(1, abs(e.hv[j])), "\(c.name) \(what) entry \(j)") }
            }
            same(two.hessianVectorProduct(u), one.hessianVectorProduct(u), "from scratch")
            same(two.hessianVectorProduct(w), one.hessianVectorProduct(w), "kept forward")
            // θ moves: both recompute.
            for net in [one.network, two.network] { net.parameterArray = net.parameterArray.map { $0 * 0.9 } }
            same(two.hessianVectorProduct(u), one.hessianVectorProduct(u), "after θ moved")
            // A training step on the replica's half in between: the kept passes are dropped.
            _ = Self.lossAndGradient(two.network, data, Array(0..<b).reversed())
            _ = Self.lossAndGradient(one.network, data, Array(0..<b).reversed())
            same(two.hessianVectorProduct(w), one.hessianVectorProduct(w), "after a training step")
        }
    }
}

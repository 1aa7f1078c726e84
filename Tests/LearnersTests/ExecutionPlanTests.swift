import Datasets
import Dispatch
import Learners
import LinearAlgebra
import XCTest

/// Every fast path of `ExecutionPlan`, alone, against the plain plan (one thread, no fusion, no
/// reuse) on the same batch, for every layer kind and loss (`NetworkGradientTests.cases`): the
/// loss and gradient, an SGD step (fused where the plan fuses it) and two H·v at one θ (the
/// second may reuse the first's forward pass).
///
/// Tolerances. Double: 1e-12 relative to max(1, |value|). Float: the paths differ only in the
/// order and grouping of sums (two halves, a stacked GEMM, a fused ReLU), and a sum of n terms in
/// Float carries a rounding error of at most about n·ε|terms| (ε = 2⁻²³); with n the longest
/// reduction of the network (batch, or inputs·kernel) and |terms| ≤ max(1, max|value|), the
/// tolerance is 4·n·ε·max(1, max|value|) over the vector.
final class ExecutionPlanTests: XCTestCase {
    typealias Case = NetworkGradientTests.Case

    override func setUp() {
        before = BLAS.threads
        BLAS.setThreads(2)
    }
    override func tearDown() { BLAS.setThreads(before) }
    var before = 1

    struct Data {
        var x: [Double]
        var labels: [Int32]
        var targets: [Double]?
    }

    static func data(_ c: Case, _ b: Int, seed: UInt64 = 4) -> Data {
        var g = Generator(seed: seed)
        let d = c.input.0 * c.input.1
        let labels = (0..<b).map { _ in Int32(c.loss == .logistic ? g.int(below: 2) : g.int(below: c.outputs)) }
        return Data(
            x: g.normalVector(b * d), labels: labels,
            targets: c.loss == .meanSquaredError ? g.normalVector(b * c.outputs) : nil)
    }

    static func network<T: Scalar>(_ c: Case, _ planning: Planning, as _: T.Type = T.self) -> Network<T> {
        let net = try! Network<T>(
            input: c.input, height: c.height, hidden: c.hidden, outputs: c.outputs, loss: c.loss,
            initialization: .glorot, seed: 2)
        var g = Generator(seed: 12)
        // Biases away from 0, so that ReLUs are not at their kink and maxima not tied.
        net.parameterArray = net.parameterArray.map { $0 == 0 ? T(g.uniform(-0.3, 0.3)) : $0 }
        net.planning = planning
        return net
    }

    /// One plan for each fast path, alone (BLAS on two threads).
    static var fastPaths: [(String, ExecutionPlan)] {
        let flags: [(String, WritableKeyPath<ExecutionPlan, Bool>)] = [
            ("halved steps", \.halvesSteps), ("halved H·v", \.halvesCurvature),
            ("paired skinny products", \.pairsSkinnyProducts), ("split columns", \.splitsColumns),
            ("per-sample convolutions", \.convolvesPerSample),
            ("stacked first layer", \.stacksFirstLayer), ("kept forward pass", \.keepsForwardPass),
            ("fused step", \.fusesStep),
            ("fused activations", \.fusesActivations),
        ]
        var all = ExecutionPlan()
        for (_, k) in flags { all[keyPath: k] = true }
        return flags.map { name, k in
            var p = ExecutionPlan()
            p[keyPath: k] = true
            return (name, p)
        } + [("all at once", all)]
    }

    struct Outcome {
        var loss: Double
        var gradient: [Double]
        var stepped: [Double]
        var hv: [[Double]]
        var hvLoss: Double
    }

    /// Loss and gradient, an SGD step, and two H·v at the stepped θ, under `plan`.
    static func outcome<T: Scalar>(_ c: Case, _ plan: ExecutionPlan, _ data: Data, training: Bool, as _: T.Type)
        -> Outcome
    {
        let net: Network<T> = network(c, .fixed(plan))
        let b = data.labels.count
        let indices = Array((0..<b).reversed())
        let x = data.x.map { T($0) }
        let targets = data.targets?.map { T($0) }
        var g = Generator(seed: 8)
        let vs: [[T]] = (0..<2).map { _ in
            let v: [Double] = g.normalVector(net.parameterCount)
            return v.map { T($0) }
        }
        return x.withUnsafeBufferPointer { xp in
            data.labels.withUnsafeBufferPointer { lp in
                (targets ?? []).withUnsafeBufferPointer { tp in
                    indices.withUnsafeBufferPointer { ip in
                        let batch = Batch(
                            x: xp.baseAddress!, labels: lp.baseAddress!,
                            targets: targets == nil ? nil : tp.baseAddress!, count: b,
                            identity: BatchIdentity(source: BatchIdentity.newSource(), start: 0, count: b))
                        let loss = net.lossAndGradient(batch, training: training)
                        let gradient = net.gradientArray.map(Double.init)
                        let sgd = Optimizer<T>(
                            OptimizerConfig(kind: .sgd, learningRate: 0.3, momentum: 0),
                            parameterCount: net.parameterCount)
                        _ = net.step(
                            rows: BatchRows(
                                x: xp.baseAddress!, labels: lp.baseAddress!, targets: batch.targets,
                                indices: ip.baseAddress!),
                            count: b, optimizer: sgd, learningRate: 0.3, training: training)
                        let stepped = net.parameterArray.map(Double.init)
                        var hv = [[Double]]()
                        var hvLoss = 0.0
                        for v in vs {
                            var out = [T](repeating: 0, count: net.parameterCount)
                            hvLoss = v.withUnsafeBufferPointer { vp in
                                out.withUnsafeMutableBufferPointer {
                                    net.hessianVectorProduct(batch, v: vp.baseAddress!, into: $0.baseAddress!)
                                }
                            }
                            hv.append(out.map(Double.init))
                        }
                        return Outcome(loss: loss, gradient: gradient, stepped: stepped, hv: hv, hvLoss: hvLoss)
                    }
                }
            }
        }
    }

    static func longestReduction(_ c: Case, batch b: Int) -> Int {
        let net: Network<Double> = network(c, .automatic(.never))
        return net.layers.reduce(b) { max($0, $1.kind.inputFeatures, $1.kind.outputFeatures) }
    }

    func compare<T: Scalar>(_ c: Case, as type: T.Type, batch b: Int = 41) {
        let data = Self.data(c, b)
        let n = Self.longestReduction(c, batch: b)
        func close(_ a: [Double], _ e: [Double], _ what: String) {
            XCTAssertEqual(a.count, e.count)
            let scale = max(1, e.map(abs).max() ?? 0)
            let tolerance = T.self == Double.self ? 1e-12 * scale : 4 * Double(n) * Double(Float.ulpOfOne) * scale
            let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, tolerance, "\(c.name) \(T.self) \(what): largest difference \(worst)")
        }
        for (name, plan) in Self.fastPaths {
            // Halved passes draw the second half's dropout masks from the replica's stream: compare them in evaluation
            // mode.
            let training = !(plan.halvesSteps || plan.halvesCurvature)
            let plain = Self.outcome(c, .plain, data, training: training, as: T.self)
            let fast = Self.outcome(c, plan, data, training: training, as: T.self)
            XCTAssertGreaterThan(plain.gradient.map(abs).max()!, 1e-6, c.name)
            close([fast.loss, fast.hvLoss], [plain.loss, plain.hvLoss], "\(name): losses")
            close(fast.gradient, plain.gradient, "\(name): gradient")
            close(fast.stepped, plain.stepped, "\(name): θ after an SGD step")
            close(fast.hv[0], plain.hv[0], "\(name): H·v")
            close(fast.hv[1], plain.hv[1], "\(name): second H·v at the same θ")
        }
    }

    func testEveryFastPathMatchesThePlainPlanInDouble() {
        for c in NetworkGradientTests.cases { compare(c, as: Double.self) }
    }

    func testEveryFastPathMatchesThePlainPlanInFloat() {
        for c in NetworkGradientTests.cases { compare(c, as: Float.self) }
    }

    /// An odd batch: the halves weigh 21/41 and 20/41.
    func testHalvesOfAnOddBatch() {
        compare(NetworkGradientTests.cases[2], as: Double.self, batch: 41)
        compare(NetworkGradientTests.cases[2], as: Double.self, batch: 40)
    }

    /// The fused SGD step in one pass equals the gradient followed by θ ← θ − η·∇.
    func testFusedStepEqualsGradientThenStep() {
        for c in NetworkGradientTests.cases {
            var fused = ExecutionPlan()
            fused.fusesStep = true
            let data = Self.data(c, 37, seed: 9)
            let a = Self.outcome(c, fused, data, training: false, as: Double.self)
            let net: Network<Double> = Self.network(c, .fixed(.plain))
            let theta = net.parameterArray
            let expected = zip(theta, a.gradient).map { $0 - 0.3 * $1 }
            XCTAssertNotEqual(a.stepped, theta, c.name)
            for j in expected.indices {
                XCTAssertEqual(
                    a.stepped[j], expected[j], accuracy: 1e-12 * max(1, abs(expected[j])), "\(c.name) entry \(j)")
            }
        }
    }

    /// The kept forward pass is reused exactly when θ and the rows are those it was computed
    /// from: proven by changing the rows' labels (read only through the kept loss and ∂L/∂z) behind an unchanged
    /// identity — the reuse shows — then by writing θ or running another pass (each drops it).
    func testKeptForwardPassIsReusedOnlyWhileValid() {
        for c in NetworkGradientTests.cases {
            var keep = ExecutionPlan()
            keep.keepsForwardPass = true
            let net: Network<Double> = Self.network(c, .fixed(keep))
            let b = 9
            let data = Self.data(c, b)
            var labels = data.labels
            var targets = data.targets ?? []
            func change() {
                labels = data.labels.map { c.loss == .logistic ? 1 - $0 : ($0 + 1) % Int32(c.outputs) }
                targets = (data.targets ?? []).map { $0 * 1.5 + 0.5 }
            }
            var g = Generator(seed: 3)
            let v: [Double] = g.normalVector(net.parameterCount)
            let id = BatchIdentity(source: BatchIdentity.newSource(), start: 0, count: b)
            func product(_ identity: BatchIdentity?) -> [Double] {
                var out = [Double](repeating: 0, count: net.parameterCount)
                let loss = data.x.withUnsafeBufferPointer { xp in
                    labels.withUnsafeBufferPointer { lp in
                        targets.withUnsafeBufferPointer { tp in
                            v.withUnsafeBufferPointer { vp in
                                out.withUnsafeMutableBufferPointer {
                                    net.hessianVectorProduct(
                                        Batch(
                                            x: xp.baseAddress!, labels: lp.baseAddress!,
                                            targets: data.targets == nil ? nil : tp.baseAddress!,
                                            count: b, identity: identity), v: vp.baseAddress!, into: $0.baseAddress!)
                                }
                            }
                        }
                    }
                }
                return out + [loss]  // H·v of the mean loss, and the loss: both read the labels through ∂L/∂z
            }
            let first = product(id)
            change()
            XCTAssertEqual(product(id), first, "\(c.name): the same identity reuses the kept pass")
            let changed = product(nil)
            XCTAssertNotEqual(changed, first, "\(c.name): without an identity the pass is recomputed")
            XCTAssertEqual(product(id), changed, "\(c.name): after another pass the identity's pass is gone")
            labels = data.labels
            targets = data.targets ?? []
            let other = BatchIdentity(source: BatchIdentity.newSource(), start: 0, count: b)
            XCTAssertEqual(product(other), first)
            net.parameterArray = net.parameterArray  // a write of θ, even of the same values
            change()
            XCTAssertEqual(product(other), changed, "\(c.name): after a write of θ the pass is recomputed")
        }
    }

    /// Two callers halving at once: one gets the helper core, the other runs its halves in a
    /// row (genlab_pair's fallback). Both get the one-pass gradient.
    func testConcurrentHalvedStepsFallBackCorrectly() {
        let c = NetworkGradientTests.cases[2]
        let b = 64
        let data = Self.data(c, b)
        let halved = {
            var p = ExecutionPlan()
            p.halvesSteps = true
            return p
        }()
        let expected = Self.outcome(c, .plain, data, training: false, as: Double.self).gradient
        final class Results: @unchecked Sendable {
            var gradients = [[Double]](repeating: [], count: 4)
            let lock = NSLock()
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            var last = [Double]()
            for _ in 0..<20 { last = Self.outcome(c, halved, data, training: false, as: Double.self).gradient }
            results.lock.lock()
            results.gradients[i] = last
            results.lock.unlock()
        }
        for g in results.gradients {
            for j in g.indices { XCTAssertEqual(g[j], expected[j], accuracy: 1e-12 * max(1, abs(expected[j]))) }
        }
    }

    /// The automatic plan's rules: nothing halved on one BLAS thread or for small batches; steps
    /// halved below 150 MFLOP per step; H·v halved up to a million parameters.
    func testAutomaticPlanRules() {
        let c = NetworkGradientTests.cases[2]
        let net: Network<Double> = Self.network(c, .automatic(.automatic))
        XCTAssertTrue(net.plan(batch: 128).halvesSteps)
        XCTAssertTrue(net.plan(batch: 128).halvesCurvature)
        XCTAssertFalse(net.plan(batch: 31).halvesSteps)
        let wide = try! Network<Float>(input: (784, 1), hidden: [.dense(outputs: 4096), .relu], outputs: 10)
        XCTAssertFalse(wide.plan(batch: 128).halvesSteps, "W = 4096: 1.7 GFLOP per step")
        XCTAssertFalse(wide.plan(batch: 128).halvesCurvature, "3.3M parameters")
        let small = try! Network<Float>(input: (784, 1), hidden: [.dense(outputs: 256), .relu], outputs: 10)
        XCTAssertTrue(small.plan(batch: 128).halvesSteps, "W = 256: 105 MFLOP per step")
        XCTAssertEqual(small.flopsPerSample, Double(2 * 784 * 256 * 2 + 2 * 256 * 10 * 3))
        BLAS.setThreads(1)
        XCTAssertFalse(net.plan(batch: 128).halvesSteps)
        XCTAssertFalse(net.plan(batch: 128).pairsSkinnyProducts)
        net.halving = .always
        XCTAssertFalse(net.splitsBatch(128))
        XCTAssertTrue(ExecutionPlan.plain.singleThreaded)
        XCTAssertEqual(ExecutionPlan.plain.description, "one thread")
    }

    /// Training with halved steps (dropout on, each half with its own stream): same seed → the
    /// same weights, and it learns as well as training in one pass.
    func testHalvedTrainingIsDeterministicAndLearns() throws {
        var g = GaussianMixture()
        g.dimension = 4
        g.classes = 3
        g.separation = 4
        g.trainCount = 640
        g.testCount = 200
        g.seed = 2
        let s = g.generate()
        func train(_ halving: Halving) throws -> (weights: [Float], error: Double) {
            let net: Network<Float> = try ModelSpec(parsing: "mlp:16x16,dropout=0.1").network(for: s.train, seed: 3)
            net.halving = halving
            XCTAssertEqual(net.splitsBatch(64), halving == .always)
            let run = Trainer<Float>(
                TrainingConfig(epochs: 10, batchSize: 64, optimizer: OptimizerConfig(learningRate: 0.05), seed: 9)
            )
            .train(net, train: s.train, test: s.test)
            return (net.parameterArray, run.final!.testError)
        }
        let a = try train(.always)
        let b = try train(.always)
        let one = try train(.never)
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertNotEqual(a.weights, one.weights)  // other dropout masks
        XCTAssertLessThan(a.error, 0.05)
        XCTAssertLessThan(abs(a.error - one.error), 0.03)
    }
}

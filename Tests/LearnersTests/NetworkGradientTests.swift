import Learners
import LinearAlgebra
import Measures
import XCTest

/// Every layer and loss against central differences in Double; H·v against differences of
/// gradients; symmetry of H; the explicit Hessian's spectrum against power iteration.
final class NetworkGradientTests: XCTestCase {
    /// `height`: the input image's rows (the input's length is height·width), 1 for vectors and 1-D signals.
    struct Case {
        var name: String
        var input: (Int, Int)
        var hidden: [LayerSpec]
        var outputs: Int
        var loss: Loss
        var height = 1
    }

    static let cases: [Case] = [
        Case(name: "linear CE", input: (5, 1), hidden: [], outputs: 3, loss: .crossEntropy),
        // mlp:W's shape: the from-scratch H·v runs its output layer's products on two cores.
        Case(
            name: "one relu layer CE", input: (6, 1), hidden: [.dense(outputs: 7), .relu], outputs: 4,
            loss: .crossEntropy),
        Case(
            name: "mlp relu CE", input: (6, 1), hidden: [.dense(outputs: 7), .relu, .dense(outputs: 5), .relu],
            outputs: 4, loss: .crossEntropy),
        Case(
            name: "mlp tanh MSE", input: (4, 1), hidden: [.dense(outputs: 6), .tanh], outputs: 2,
            loss: .meanSquaredError),
        Case(
            name: "mlp tanh logistic", input: (4, 1), hidden: [.dense(outputs: 5), .tanh], outputs: 1, loss: .logistic),
        Case(
            name: "dropout (eval) relu", input: (4, 1), hidden: [.dense(outputs: 5), .relu, .dropout(rate: 0.3)],
            outputs: 3, loss: .crossEntropy),
        Case(
            name: "cnn1d", input: (2, 11),
            hidden: [
                .conv1d(channels: 3, kernel: 3, stride: 2, padding: 1), .relu,
                .conv1d(channels: 4, kernel: 2, stride: 1, padding: 0), .tanh,
            ], outputs: 3, loss: .crossEntropy),
        Case(
            name: "cnn1d maxpool", input: (1, 12),
            hidden: [.conv1d(channels: 3, kernel: 3, stride: 1, padding: 1), .relu, .maxPool(size: 2)], outputs: 2,
            loss: .crossEntropy),
        // Images of 2 channels, 5×6: a 3×3 convolution, 2×2 max pool (5×6 → 2×3, a row dropped), a 2×2
        // convolution without padding.
        Case(
            name: "cnn2d maxpool", input: (2, 30),
            hidden: [
                .conv2d(channels: 3, kernel: 3, stride: 1, padding: 1), .relu, .maxPool2d(size: 2),
                .conv2d(channels: 4, kernel: 2, stride: 1, padding: 0), .tanh,
            ], outputs: 3, loss: .crossEntropy, height: 5),
        // The standard CNN's blocks in small: a 1×1 max pool (the identity, its own fast path), a
        // convolution, then a 3×3 max pool over the whole 3×3 image (the general loop).
        Case(
            name: "cnn2d maxpool 1 and global 3", input: (1, 9),
            hidden: [
                .conv2d(channels: 2, kernel: 3, stride: 1, padding: 1), .relu, .maxPool2d(size: 1),
                .conv2d(channels: 3, kernel: 3, stride: 1, padding: 1), .relu, .maxPool2d(size: 3),
            ], outputs: 2, loss: .crossEntropy, height: 3),
        // 7×7: stride 2 (→ 4×4), average pool (→ 2×2), a second convolution, global average pooling; regression.
        Case(
            name: "cnn2d stride avgpool gap", input: (1, 49),
            hidden: [
                .conv2d(channels: 3, kernel: 3, stride: 2, padding: 1), .relu, .avgPool2d(size: 2),
                .conv2d(channels: 2, kernel: 3, stride: 1, padding: 1), .relu, .globalAvgPool,
            ],
            outputs: 2, loss: .meanSquaredError, height: 7),
        // 18×18 (324 pixels, above the per-sample plan's grouping limit of 256: one sample per
        // product, several per core): a 5×5 convolution with padding 2 (the shifted-planes path
        // with a two-column wrap), a 3×3 one on 3 channels, max pool (→ 9×9, grouped).
        Case(
            name: "cnn2d large image kernel 5", input: (1, 324),
            hidden: [
                .conv2d(channels: 3, kernel: 5, stride: 1, padding: 2), .relu,
                .conv2d(channels: 2, kernel: 3, stride: 1, padding: 1), .relu, .maxPool2d(size: 2),
            ], outputs: 3, loss: .crossEntropy, height: 18),
        // 13×11, not square (143 pixels: two samples per product, staged), 2 channels in.
        Case(
            name: "cnn2d 13x11 grouped by two", input: (2, 143),
            hidden: [
                .conv2d(channels: 3, kernel: 3, stride: 1, padding: 1), .tanh,
                .conv2d(channels: 2, kernel: 5, stride: 1, padding: 2), .relu, .avgPool2d(size: 2),
            ], outputs: 2, loss: .crossEntropy, height: 13),
    ]

    func objective(_ c: Case, samples: Int = 9, seed: UInt64 = 1, chunk: Int = 4) -> Objective<Double> {
        let net = try! Network<Double>(
            input: c.input, height: c.height, hidden: c.hidden, outputs: c.outputs, loss: c.loss,
            initialization: .glorot, seed: seed)
        var g = Generator(seed: seed + 10)
        // Biases away from 0 so that no ReLU sits on its kink (finite differences need smoothness).
        var theta = net.parameterArray
        for i in theta.indices where theta[i] == 0 { theta[i] = g.uniform(-0.3, 0.3) }
        net.parameterArray = theta
        let d = c.input.0 * c.input.1
        let x = Matrix<Double>(rows: samples, cols: d, storage: g.normalVector(samples * d))
        let labels = (0..<samples).map { _ in g.int(below: max(2, c.outputs)) }.map {
            c.loss == .logistic ? $0 % 2 : $0 % c.outputs
        }
        let targets: [Double]? = c.loss == .meanSquaredError ? g.normalVector(samples * c.outputs) : nil
        return Objective(network: net, x: x, labels: labels, targets: targets, chunk: chunk)
    }

    /// Central differences have error O(h²·f‴); with h = 1e-5 and O(1) derivatives the
    /// difference is ≈ 1e-10, far below the 1e-6 tolerance (relative, floor 1).
    func testGradientsAgainstCentralDifferences() {
        for c in Self.cases {
            let f = objective(c)
            let (_, grad) = f.gradient()
            let theta = f.network.parameterArray
            let h = 1e-5
            for j in 0..<theta.count {
                var t = theta
                t[j] = theta[j] + h
                f.network.parameterArray = t
                let up = f.loss()
                t[j] = theta[j] - h
                f.network.parameterArray = t
                let down = f.loss()
                let numeric = (up - down) / (2 * h)
                XCTAssertEqual(grad[j], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(c.name) parameter \(j)")
            }
            f.network.parameterArray = theta
        }
    }

    func testHessianVectorProductAgainstGradientDifferences() {
        for c in Self.cases {
            let f = objective(c)
            let theta = f.network.parameterArray
            var g = Generator(seed: 5)
            let v: [Double] = g.normalVector(theta.count)
            let hv = f.hessianVectorProduct(v).hv
            let h = 1e-5
            f.network.parameterArray = zip(theta, v).map { $0 + h * $1 }
            let up = f.gradient().gradient
            f.network.parameterArray = zip(theta, v).map { $0 - h * $1 }
            let down = f.gradient().gradient
            f.network.parameterArray = theta
            for j in theta.indices {
                let numeric = (up[j] - down[j]) / (2 * h)
                XCTAssertEqual(hv[j], numeric, accuracy: 1e-5 * max(1, abs(numeric)), "\(c.name) H·v entry \(j)")
            }
        }
    }

    /// On two BLAS threads the skinny output-layer products run side by side on two cores
    /// (`ForkJoin`); on one they run in a row. Both give the same H·v.
    func testHessianVectorProductOnOneAndTwoThreads() {
        let before = BLAS.threads
        defer { BLAS.setThreads(before) }
        for c in Self.cases {
            let f = objective(c, chunk: 100)
            var g = Generator(seed: 6)
            let v: [Double] = g.normalVector(f.network.parameterCount)
            BLAS.setThreads(1)
            f.forgetForward()
            let one = f.hessianVectorProduct(v).hv
            BLAS.setThreads(2)
            f.forgetForward()
            let two = f.hessianVectorProduct(v).hv
            for j in one.indices {
                XCTAssertEqual(one[j], two[j], accuracy: 1e-12 * max(1, abs(one[j])), "\(c.name) entry \(j)")
            }
        }
    }

    /// u·Hv = v·Hu (the Hessian is symmetric); checks the R-backward against the R-forward.
    func testHessianSymmetry() {
        for c in Self.cases {
            let f = objective(c)
            var g = Generator(seed: 8)
            let u: [Double] = g.normalVector(f.network.parameterCount)
            let v: [Double] = g.normalVector(f.network.parameterCount)
            let a = dot(u, f.hessianVectorProduct(v).hv)
            let b = dot(v, f.hessianVectorProduct(u).hv)
            XCTAssertEqual(a, b, accuracy: 1e-10 * max(1, abs(a)), c.name)
        }
    }

    /// A network under 2,000 parameters: LAPACK's largest-magnitude eigenvalue of the explicit
    /// Hessian equals the one power iteration finds (to its 1e-6 stopping tolerance, ×10).
    func testExplicitHessianSpectrumMatchesPowerIteration() throws {
        let c = Case(
            name: "small mlp", input: (8, 1), hidden: [.dense(outputs: 12), .tanh], outputs: 3, loss: .crossEntropy)
        let f = objective(c, samples: 40)
        XCTAssertLessThan(f.network.parameterCount, 2000)
        let h = Curvature.explicitHessian(f)
        for i in 0..<h.rows { for j in 0..<i { XCTAssertEqual(h[i, j], h[j, i], accuracy: 1e-10) } }
        let values = try symmetricEigen(h, vectors: false).values
        let top = abs(values.first!) > abs(values.last!) ? values.first! : values.last!
        let power = Curvature.topEigenvalue(f, tolerance: 1e-9, maxIterations: 5000)
        XCTAssertTrue(power.converged)
        XCTAssertEqual(power.value, top, accuracy: 1e-5 * abs(top))
        // Lanczos reaches the largest (algebraic) eigenvalue, to its tolerance.
        let lanczos = Curvature.lanczosTopEigenvalue(f, tolerance: 1e-8)
        XCTAssertTrue(lanczos.converged)
        XCTAssertEqual(lanczos.value, values.last!, accuracy: 1e-6 * abs(values.last!))
    }

    /// The Float engine against the Double one at the same θ (Float's values, exactly): loss,
    /// gradient and H·v agree to Float's rounding, 4·n·ε (n: the longest reduction, ε = 2⁻²³),
    /// relative to max(1, the largest entry).
    func testFloatGradientAndCurvatureAgainstDouble() {
        for c in Self.cases {
            let d = objective(c, samples: 9, chunk: 100)
            let f32 = try! Network<Float>(
                input: c.input, height: c.height, hidden: c.hidden, outputs: c.outputs, loss: c.loss,
                initialization: .glorot, seed: 1)
            f32.parameterArray = d.network.parameterArray.map { Float($0) }
            d.network.parameterArray = f32.parameterArray.map { Double($0) }
            let f = Objective(
                network: f32, x: Matrix<Float>(rows: d.x.rows, cols: d.x.cols, storage: d.x.storage.map { Float($0) }),
                labels: d.labels.map { Int($0) }, targets: d.targets?.map { Float($0) }, chunk: 100)
            var g = Generator(seed: 4)
            let v: [Double] = g.normalVector(d.network.parameterCount)
            let vf = v.map { Float($0) }
            let n = d.network.layers.reduce(9) { max($0, $1.inputFeatures, $1.outputFeatures) }
            func close(_ a: [Float], _ e: [Double], _ what: String) {
                let tolerance = 4 * Double(n) * Double(Float.ulpOfOne) * max(1, e.map(abs).max()!)
                let worst = zip(a, e).map { abs(Double($0) - $1) }.max()!
                XCTAssertLessThanOrEqual(worst, tolerance, "\(c.name) \(what)")
            }
            let (lossD, gradD) = d.gradient()
            let (lossF, gradF) = f.gradient()
            close([Float(lossF)], [lossD], "loss")
            close(gradF, gradD, "gradient")
            close(
                f.hessianVectorProduct(vf.map { Float(Double($0)) }).hv, d.hessianVectorProduct(vf.map(Double.init)).hv,
                "H·v")
        }
    }

    func testDropoutIsOffAtEvaluation() {
        let net = try! Network<Double>(
            input: (6, 1), hidden: [.dense(outputs: 20), .relu, .dropout(rate: 0.5)], outputs: 3, seed: 2)
        var g = Generator(seed: 1)
        let x: [Double] = g.normalVector(6 * 4)
        let a = x.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 4, training: false), count: 12))
        }
        let b = x.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 4, training: false), count: 12))
        }
        XCTAssertEqual(a, b)
        let t = x.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 4, training: true), count: 12))
        }
        XCTAssertNotEqual(a, t, "dropout is active in training")
    }

    /// The branch-free mask equals the naive one, `uniform() < rate ? 0 : 1/(1 − rate)` drawn from
    /// the network's dropout stream: identity layers around the dropout make its output the mask.
    func testDropoutMaskEqualsTheNaiveDraws() {
        func check<T: Scalar>(_: T.Type, rate: Double) {
            let (n, b): (Int, Int) = (16, 50)
            let net = try! Network<T>(
                input: (n, 1), hidden: [.dense(outputs: n), .dropout(rate: rate)], outputs: n, seed: 5)
            var identity = [T]()
            for _ in 0..<2 {
                for i in 0..<n { identity += (0..<n).map { T($0 == i ? 1 : 0) } }
                identity += [T](repeating: 0, count: n)
            }
            net.parameterArray = identity
            let ones = [T](repeating: 1, count: n * b)
            let y = ones.withUnsafeBufferPointer {
                Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: b, training: true), count: n * b))
            }
            var g = Generator(seed: 5, stream: 77)
            let keep = T(1 / (1 - rate))
            let naive = (0..<(n * b)).map { _ in g.uniform() < rate ? T(0) : keep }
            XCTAssertEqual(y, naive, "\(T.self), rate \(rate)")
            XCTAssertTrue(y.contains(0) == (rate > 0) && y.contains(keep) == (rate < 1))
        }
        for rate in [0.5, 0.1, 0.9, 0.0] {
            check(Float.self, rate: rate)
            check(Double.self, rate: rate)
        }
    }

    func testBadNetworkSpecs() {
        XCTAssertThrowsError(try Network<Float>(input: (5, 1), hidden: [.dense(outputs: 0)], outputs: 2))
        XCTAssertThrowsError(
            try Network<Float>(
                input: (1, 4), hidden: [.conv1d(channels: 2, kernel: 9, stride: 1, padding: 0)], outputs: 2))
        XCTAssertThrowsError(try ModelSpec(parsing: "mlp:0")) { e in XCTAssertTrue("\(e)".contains("positive integers"))
        }
        XCTAssertThrowsError(try ModelSpec(parsing: "mlp:abc"))
        XCTAssertThrowsError(try ModelSpec(parsing: "transformer:12"))
        XCTAssertThrowsError(try ModelSpec(parsing: "mlp:10,act=gelu"))
        XCTAssertEqual(try ModelSpec(parsing: "mlp:256x128,dropout=0.1").hidden.count, 6)
    }
}

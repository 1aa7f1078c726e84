import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures
import XCTest

/// The layers on images against references written from their definitions: a 2-D convolution
/// and the pools by direct loops (PyTorch's formulas, NCHW), the standard CNN's spec against its
/// layer-by-layer count, and a tiny CNN's H·v and λ_max against a Hessian built from gradient
/// differences (no R-operator in it). Gradients, H·v against gradient differences, the fast paths
/// and Float against Double run over `NetworkGradientTests.cases`, which hold CNNs too.
final class Conv2DTests: XCTestCase {
    /// y[o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v]·x[c, i·s − p + u, j·s − p + v] (zero outside).
    static func naiveConvolution(
        _ x: [Double], channels cin: Int, height h: Int, width w: Int, weights: [Double], bias: [Double],
        outputs cout: Int, kernel k: Int, stride s: Int, padding p: Int
    ) -> (y: [Double], height: Int, width: Int) {
        let ho = (h + 2 * p - k) / s + 1
        let wo = (w + 2 * p - k) / s + 1
        var y = [Double](repeating: 0, count: cout * ho * wo)
        for o in 0..<cout {
            for i in 0..<ho {
                for j in 0..<wo {
                    var sum = bias[o]
                    for c in 0..<cin {
                        for u in 0..<k {
                            for v in 0..<k {
                                let r = i * s - p + u
                                let q = j * s - p + v
                                if r >= 0 && r < h && q >= 0 && q < w {
                                    sum += weights[((o * cin + c) * k + u) * k + v] * x[(c * h + r) * w + q]
                                }
                            }
                        }
                    }
                    y[(o * ho + i) * wo + j] = sum
                }
            }
        }
        return (y, ho, wo)
    }

    /// Max (or mean) over each size×size window of each channel; leftover rows and columns dropped.
    static func naivePool(_ x: [Double], channels: Int, height h: Int, width w: Int, size: Int, max useMax: Bool)
        -> [Double]
    {
        let ho = h / size
        let wo = w / size
        var y = [Double]()
        for c in 0..<channels {
            for i in 0..<ho {
                for j in 0..<wo {
                    let window = (0..<size).flatMap { u in
                        (0..<size).map { v in x[(c * h + i * size + u) * w + j * size + v] }
                    }
                    y.append(useMax ? window.max()! : window.reduce(0, +) / Double(window.count))
                }
            }
        }
        return y
    }

    /// The network's logits for one sample when its output layer is the identity: the hidden layers' output.
    static func hiddenOutput(_ hidden: [LayerSpec], input: Shape, height: Int, x: [Double], features: Int, seed: UInt64)
        -> (out: [Double], theta: [Double])
    {
        let net = try! Network<Double>(
            input: input, height: height, hidden: hidden, outputs: features, initialization: .uniform, seed: seed)
        var theta = net.parameterArray
        let top = net.layers.last!.parameterOffset
        for i in top..<theta.count { theta[i] = 0 }
        for i in 0..<features { theta[top + i * features + i] = 1 }
        net.parameterArray = theta
        let out = x.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 1, training: false), count: features))
        }
        return (out, theta)
    }

    func testConvolutionAndPoolsAgainstDirectLoops() {
        let (cin, h, w, cout) = (2, 7, 9, 3)
        var g = Generator(seed: 3)
        let x: [Double] = g.normalVector(cin * h * w)
        for (k, s, p) in [(3, 1, 1), (3, 2, 1), (2, 1, 0), (5, 2, 2)] {
            let conv = LayerSpec.conv2d(channels: cout, kernel: k, stride: s, padding: p)
            let ho = (h + 2 * p - k) / s + 1
            let wo = (w + 2 * p - k) / s + 1
            let plain = Self.hiddenOutput(
                [conv], input: (cin, h * w), height: h, x: x, features: cout * ho * wo, seed: 7)
            let wc = cout * cin * k * k
            let expected = Self.naiveConvolution(
                x, channels: cin, height: h, width: w, weights: Array(plain.theta[0..<wc]),
                bias: Array(plain.theta[wc..<(wc + cout)]), outputs: cout, kernel: k, stride: s, padding: p)
            for (a, e) in zip(plain.out, expected.y) {
                XCTAssertEqual(a, e, accuracy: 1e-12, "conv k=\(k) s=\(s) p=\(p)")
            }
            let pools: [(LayerSpec, Bool, Int)] = [
                (.maxPool2d(size: 1), true, 1), (.maxPool2d(size: 2), true, 2), (.maxPool2d(size: 3), true, 3),
                (.avgPool2d(size: 2), false, 2),
            ]
            for (pool, isMax, size) in pools where ho >= size && wo >= size {
                let n = cout * (ho / size) * (wo / size)
                let pooled = Self.hiddenOutput(
                    [conv, pool], input: (cin, h * w), height: h, x: x, features: n, seed: 7)
                let e = Self.naivePool(expected.y, channels: cout, height: ho, width: wo, size: size, max: isMax)
                for (a, b) in zip(pooled.out, e) {
                    XCTAssertEqual(a, b, accuracy: 1e-12, "\(pool) after conv k=\(k) s=\(s)")
                }
            }
            let gap = Self.hiddenOutput(
                [conv, .globalAvgPool], input: (cin, h * w), height: h, x: x, features: cout, seed: 7)
            let means = (0..<cout).map { o in
                expected.y[(o * ho * wo)..<((o + 1) * ho * wo)].reduce(0, +) / Double(ho * wo)
            }
            for (a, b) in zip(gap.out, means) {
                XCTAssertEqual(a, b, accuracy: 1e-12, "global average after conv k=\(k)")
            }
        }
    }

    /// Nakkiran et al.'s standard CNN of width k on 28×28: the spec's layers, their image sizes
    /// (28 → 28 → 14 → 7 → 1) and PyTorch's parameter count, Σ (cout·cin·9 + cout) + 8k·10 + 10.
    func testStandardCNNSpec() throws {
        let split = try DatasetSpec(parsing: "fashion-mnist:train=20,test=10").load()
        for k in [1, 3, 8] {
            let spec = try ModelSpec(parsing: ModelSpec.standardCNN(width: k))
            let net: Network<Float> = try spec.network(for: split.train, imageShape: split.sampleShape, seed: 1)
            let widths = [1, k, 2 * k, 4 * k, 8 * k]
            let count = (1...4).reduce(0) { $0 + widths[$1] * widths[$1 - 1] * 9 + widths[$1] } + 8 * k * 10 + 10
            XCTAssertEqual(net.parameterCount, count, "k=\(k)")
            let convs = net.layers.compactMap { $0.kind as? Conv2D }
            XCTAssertEqual(convs.map(\.image.height), [28, 28, 14, 7])
            XCTAssertEqual(net.layers.last!.inputFeatures, 8 * k, "the last pool leaves one pixel per channel")
            XCTAssertEqual(net.torchSequential.input, "[batch, 1, 28, 28]")
        }
        XCTAssertEqual(
            try ModelSpec(parsing: "cnn2d:4x8,pool=2,pooling=avg,head=gap").hidden,
            [
                .conv2d(channels: 4, kernel: 3, stride: 1, padding: 1), .relu, .avgPool2d(size: 2),
                .conv2d(channels: 8, kernel: 3, stride: 1, padding: 1), .relu, .avgPool2d(size: 2), .globalAvgPool,
            ])
    }

    /// The state dict of a 2-D CNN: `nn.Sequential`'s names and PyTorch's shapes ([out, in, k, k]),
    /// proved by a forward pass written from the tensors alone (Conv2d, ReLU, MaxPool2d, Flatten in
    /// C, H, W order, Linear, softmax) against the network's own prediction.
    func testStateDictIsPyTorchsLayout() throws {
        let (h, w, n) = (6, 8, 4)
        var g = Generator(seed: 2)
        let d = Dataset(
            features: Matrix(rows: n, cols: h * w, storage: (0..<(n * h * w)).map { _ in Float(g.normal()) }),
            labels: [0, 1, 2, 0],
            classNames: ["a", "b", "c"], provenance: "test")
        let net: Network<Float> = try ModelSpec(parsing: "cnn2d:2x3,pool=2").network(
            for: d, imageShape: [h, w], initialization: .uniform, seed: 3)
        let dict = net.stateDict(model: "cnn2d:2x3,pool=2")
        XCTAssertEqual(dict.tensors.map(\.name), ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"])
        XCTAssertEqual(dict.tensors.map(\.shape), [[2, 1, 3, 3], [2], [3, 2, 3, 3], [3], [3, 6], [3]])
        XCTAssertEqual(
            dict.metadata["genlab_sequential"],
            "nn.Sequential(nn.Conv2d(1, 2, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2), "
                + "nn.Conv2d(2, 3, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(6, 3))")
        XCTAssertEqual(net.torchSequential.input, "[batch, 1, 6, 8]")
        func conv(_ x: [Double], _ name: String, cin: Int, h: Int, w: Int) -> [Double] {
            let wt = dict[name + ".weight"]!
            return Self.naiveConvolution(
                x, channels: cin, height: h, width: w, weights: wt.values, bias: dict[name + ".bias"]!.values,
                outputs: wt.shape[0], kernel: 3, stride: 1, padding: 1
            ).y.map { max($0, 0) }
        }
        let p = net.predict(d.features)
        for i in 0..<n {
            let x = (0..<(h * w)).map { Double(d.features[i, $0]) }
            let a = Self.naivePool(
                conv(x, "0", cin: 1, h: h, w: w), channels: 2, height: h, width: w, size: 2, max: true)
            let b = Self.naivePool(
                conv(a, "3", cin: 2, h: 3, w: 4), channels: 3, height: 3, width: 4, size: 2, max: true)
            let lw = dict["7.weight"]!
            let lb = dict["7.bias"]!
            var z = lb.values
            for o in 0..<3 { for j in 0..<6 { z[o] += lw.values[o * 6 + j] * b[j] } }
            let e = z.map { Foundation.exp($0 - z.max()!) }
            let total = e.reduce(0, +)
            for k in 0..<3 { XCTAssertEqual(p.outputs[i, k], e[k] / total, accuracy: 1e-5, "sample \(i) class \(k)") }
        }
    }

    /// Evaluation chunks stay at 1,000 samples for an MLP and shrink for a wide CNN, whose arena
    /// holds its im2col columns per sample (the standard CNN of width 32: about 4 MB a sample).
    func testEvaluationChunkFollowsTheArena() throws {
        let mlp = try Network<Float>(input: (784, 1), hidden: [.dense(outputs: 256), .relu], outputs: 10)
        XCTAssertEqual(mlp.evaluationChunk, 1000)
        let cnn = try Network<Float>(
            input: (1, 784), height: 28, hidden: try ModelSpec(parsing: ModelSpec.standardCNN(width: 32)).hidden,
            outputs: 10)
        XCTAssertLessThan(cnn.evaluationChunk, 128)
        XCTAssertGreaterThan(cnn.evaluationChunk, 16)
    }

    func testBadImageSpecsAndData() throws {
        for bad in ["cnn2d", "cnn2d:4x8,pool=2x2x2", "cnn2d:4,pooling=median", "cnn2d:4,head=none", "cnn2d:4,pool=0"] {
            XCTAssertThrowsError(try ModelSpec(parsing: bad), bad) { e in
                XCTAssertTrue("\(e)".contains("cnn2d"), "\(e)")
            }
        }
        // A 2-D model on data without an image shape names the data and what it lacks.
        let blobs = try DatasetSpec(parsing: "gaussian-mixture:n=20,test=10").load()
        XCTAssertThrowsError(
            try ModelSpec(parsing: "cnn2d:4").network(for: blobs.train, imageShape: blobs.sampleShape) as Network<Float>
        ) { e in
            XCTAssertTrue("\(e)".contains("image shape"), "\(e)")
        }
        let images = try DatasetSpec(parsing: "fashion-mnist:train=20,test=10").load()
        XCTAssertThrowsError(
            try ModelSpec(parsing: "cnn2d:4").network(for: images.train, imageShape: [27, 28]) as Network<Float>)
        // A kernel larger than the padded image, a pool larger than the image.
        XCTAssertThrowsError(
            try Network<Float>(
                input: (1, 12), height: 3, hidden: [.conv2d(channels: 2, kernel: 6, stride: 1, padding: 1)], outputs: 2)
        )
        XCTAssertThrowsError(try Network<Float>(input: (1, 12), height: 3, hidden: [.maxPool2d(size: 4)], outputs: 2))
        XCTAssertThrowsError(
            try Network<Float>(
                input: (1, 12), height: 5, hidden: [.conv2d(channels: 2, kernel: 3, stride: 1, padding: 1)], outputs: 2)
        )
    }

    /// H built column by column from central differences of the gradient (the gradient is checked
    /// against differences of the loss): the R-operator's explicit Hessian matches it, and
    /// Lanczos's λ_max matches LAPACK's largest eigenvalue of it.
    func testTinyCNNHessianAgainstGradientDifferences() throws {
        let c = NetworkGradientTests.cases.first { $0.name == "cnn2d maxpool" }!
        let net = try Network<Double>(
            input: c.input, height: c.height, hidden: c.hidden, outputs: c.outputs, loss: c.loss,
            initialization: .glorot, seed: 4)
        var g = Generator(seed: 9)
        net.parameterArray = net.parameterArray.map { $0 == 0 ? g.uniform(-0.3, 0.3) : $0 }  // no ReLU on its kink
        let d = c.input.0 * c.input.1
        let f = Objective(
            network: net, x: Matrix<Double>(rows: 12, cols: d, storage: g.normalVector(12 * d)),
            labels: (0..<12).map { $0 % c.outputs })
        let theta = f.network.parameterArray
        let n = theta.count
        let h = 1e-5
        XCTAssertLessThan(n, 2000)
        var numeric = Matrix<Double>(rows: n, cols: n)
        for j in 0..<n {
            var t = theta
            t[j] += h
            f.network.parameterArray = t
            let up = f.gradient().gradient
            t[j] = theta[j] - h
            f.network.parameterArray = t
            let down = f.gradient().gradient
            for i in 0..<n { numeric[i, j] = (up[i] - down[i]) / (2 * h) }
        }
        f.network.parameterArray = theta
        let exact = Curvature.explicitHessian(f)
        var worst = 0.0
        var largest = 0.0
        for i in 0..<n {
            for j in 0..<n {
                worst = max(worst, abs(exact[i, j] - numeric[i, j]))
                largest = max(largest, abs(numeric[i, j]))
            }
        }
        XCTAssertGreaterThan(largest, 0.01)
        XCTAssertLessThan(worst, 1e-6 * max(1, largest))
        for i in 0..<n {
            for j in 0..<i {
                numeric[i, j] = (numeric[i, j] + numeric[j, i]) / 2
                numeric[j, i] = numeric[i, j]
            }
        }
        let values = try symmetricEigen(numeric, vectors: false).values
        let lanczos = Curvature.lanczosTopEigenvalue(f, tolerance: 1e-9)
        XCTAssertTrue(lanczos.converged)
        XCTAssertEqual(lanczos.value, values.last!, accuracy: 1e-6 * max(1, abs(values.last!)))
    }
}

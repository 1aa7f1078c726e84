import Learners
import LinearAlgebra
import Measures
import XCTest

/// Loss surfaces: the first-layer shortcut against every layer at every point, filter
/// normalization's defining property, its invariance under Dinh's rescaling (and the raw
/// direction's lack of it), and the surface's curvature against H·v.
final class LandscapeTests: XCTestCase {
    static func network<T: Scalar>(
        _ hidden: [LayerSpec], input: Shape, height: Int = 1, outputs: Int = 3, loss: Loss = .crossEntropy,
        seed: UInt64 = 5
    ) -> Network<T> {
        let net = try! Network<T>(
            input: input, height: height, hidden: hidden, outputs: outputs, loss: loss, initialization: .he, seed: seed)
        var g = Generator(seed: seed + 9)
        net.parameterArray = net.parameterArray.map { $0 == 0 ? T(g.uniform(-0.3, 0.3)) : $0 }  // biases too
        return net
    }

    static func sample<T: Scalar>(_ n: Int, features d: Int, classes k: Int, seed: UInt64 = 2) -> (Matrix<T>, [Int]) {
        var g = Generator(seed: seed)
        return (Matrix<T>(rows: n, cols: d, storage: g.normalVector(n * d)), (0..<n).map { _ in g.int(below: k) })
    }

    /// The shortcut and the plain path agree at random points of a plane: dense and
    /// convolutional first layers, classification and regression, chunks smaller than the sample.
    func testFirstLayerShortcutEqualsEveryLayerAtEveryPoint() {
        let cases: [(hidden: [LayerSpec], input: Shape, height: Int, loss: Loss, outputs: Int)] = [
            ([.dense(outputs: 12), .relu, .dense(outputs: 7), .tanh], (10, 1), 1, .crossEntropy, 3),
            (
                [.conv1d(channels: 4, kernel: 3, stride: 2, padding: 1), .relu, .maxPool(size: 2)], (1, 10), 1,
                .crossEntropy, 3
            ),
            // Images of 2×5: a 2-D convolution first, max pooled to 1×2.
            (
                [.conv2d(channels: 3, kernel: 3, stride: 1, padding: 1), .relu, .maxPool2d(size: 2)], (1, 10), 2,
                .crossEntropy, 3
            ),
            ([.dense(outputs: 9), .relu], (10, 1), 1, .meanSquaredError, 1),
        ]
        for c in cases {
            let net: Network<Double> = Self.network(
                c.hidden, input: c.input, height: c.height, outputs: c.outputs, loss: c.loss)
            let (x, labels): (Matrix<Double>, [Int]) = Self.sample(50, features: 10, classes: 3)
            let targets: [Double]? = c.loss == .meanSquaredError ? labels.map { Double($0) - 1 } : nil
            let origin = net.parameterArray
            // The network's own loss at θ₀ (the surfaces move θ).
            let evaluation = Objective(
                network: net.copy(), x: x, labels: targets == nil ? labels : [], targets: targets
            ).loss()
            let d = origin.withUnsafeBufferPointer { o in
                (0..<2).map { FilterNormalization.direction(net, at: o.baseAddress!, seed: 1, stream: UInt64(41 + $0)) }
            }
            let fast = LossSurface(
                network: net, x: x, labels: targets == nil ? labels : [], targets: targets, origin: origin,
                directions: d, chunk: 17)
            let plain = LossSurface(
                network: net.copy(), x: x, labels: targets == nil ? labels : [], targets: targets, origin: origin,
                directions: d,
                chunk: 17, firstLayerShortcut: false)
            XCTAssertTrue(fast.usesFirstLayerShortcut)
            XCTAssertFalse(plain.usesFirstLayerShortcut)
            var g = Generator(seed: 4)
            for _ in 0..<6 {
                let point = [g.uniform(-1.5, 1.5), g.uniform(-1.5, 1.5)]
                let a = fast.evaluate(at: point)
                let b = plain.evaluate(at: point)
                XCTAssertEqual(
                    a.loss, b.loss, accuracy: 1e-12 * max(1, abs(b.loss)), "\(c.hidden) \(c.loss) at \(point)")
                if targets == nil { XCTAssertEqual(a.error, b.error) } else { XCTAssertTrue(a.error.isNaN) }
            }
            // At the origin, the network's own loss.
            XCTAssertEqual(fast.evaluate(at: [0, 0]).loss, evaluation, accuracy: 1e-12 * max(1, evaluation))
        }
    }

    /// Each filter of the direction has its θ filter's norm; biases are 0; the seed fixes it.
    func testFilterNormalization() {
        let net: Network<Double> = Self.network(
            [.conv1d(channels: 3, kernel: 3, stride: 1, padding: 1), .relu, .dense(outputs: 5), .relu], input: (1, 8))
        let theta = net.parameterArray
        let d = theta.withUnsafeBufferPointer {
            FilterNormalization.direction(net, at: $0.baseAddress!, seed: 7, stream: 41)
        }
        for layer in net.layers where layer.kind.parameterCount > 0 {
            let k = layer.kind
            let filters = k.parameterCount - k.weightCount
            let fanIn = k.weightCount / filters
            for f in 0..<filters {
                let r = (layer.parameterOffset + f * fanIn)..<(layer.parameterOffset + (f + 1) * fanIn)
                let dn = r.reduce(0.0) { $0 + d[$1] * d[$1] }.squareRoot()
                let wn = r.reduce(0.0) { $0 + theta[$1] * theta[$1] }.squareRoot()
                XCTAssertEqual(dn, wn, accuracy: 1e-12 * wn)
            }
            for j in (layer.parameterOffset + k.weightCount)..<(layer.parameterOffset + k.parameterCount) {
                XCTAssertEqual(d[j], 0)
            }
        }
        let again = theta.withUnsafeBufferPointer {
            FilterNormalization.direction(net, at: $0.baseAddress!, seed: 7, stream: 41)
        }
        XCTAssertEqual(d, again)
        let other = theta.withUnsafeBufferPointer {
            FilterNormalization.direction(net, at: $0.baseAddress!, seed: 8, stream: 41)
        }
        XCTAssertNotEqual(d, other)
    }

    /// Dinh's rescaling (layer 1 ×α, layer 2 ×1/α) leaves the filter-normalized line unchanged
    /// (Li et al.'s answer to Dinh), while the same Gaussian direction without normalization
    /// sees a different surface.
    func testFilterNormalizedLineIsInvariantUnderRescaling() {
        let hidden: [LayerSpec] = [.dense(outputs: 10), .relu, .dense(outputs: 8), .relu]
        let net: Network<Double> = Self.network(hidden, input: (6, 1))
        let (x, labels): (Matrix<Double>, [Int]) = Self.sample(40, features: 6, classes: 3)
        let alpha = 8.0
        let scaled = net.copy()
        let l0 = net.layers[0]
        let l2 = net.layers[2]
        scaled.updateParameters { t in
            for j in l0.parameterOffset..<(l0.parameterOffset + l0.kind.parameterCount) { t[j] *= alpha }
            for j in l2.parameterOffset..<(l2.parameterOffset + l2.kind.weightCount) { t[j] /= alpha }
        }
        func line(_ n: Network<Double>, normalized: Bool) -> [Double] {
            let origin = n.parameterArray
            var d = origin.withUnsafeBufferPointer {
                FilterNormalization.direction(n, at: $0.baseAddress!, seed: 3, stream: 41)
            }
            if !normalized {  // the same Gaussian draws, every filter at unit norm
                var g = Generator(seed: 3, stream: 41)
                d = d.indices.map { _ in 0 }
                for layer in n.layers where layer.kind.parameterCount > 0 {
                    for j in layer.parameterOffset..<(layer.parameterOffset + layer.kind.weightCount) {
                        d[j] = g.normal()
                    }
                }
            }
            let s = LossSurface(network: n.copy(), x: x, labels: labels, origin: origin, directions: [d])
            return stride(from: -1.0, through: 1.0, by: 0.25).map { s.evaluate(at: [$0]).loss }
        }
        let a = line(net, normalized: true)
        let b = line(scaled, normalized: true)
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-10 * max(1, abs(u))) }
        let rawA = line(net, normalized: false)
        let rawB = line(scaled, normalized: false)
        XCTAssertEqual(rawA[4], rawB[4], accuracy: 1e-10, "the same function at the origin")
        XCTAssertGreaterThan(
            zip(rawA, rawB).map { abs($0 - $1) }.max()!, 1e-3, "without normalization the rescaled surface differs")
    }

    /// The surface's second difference along d at the origin is dᵀHd (the R-operator's H·v).
    func testCurvatureAlongTheLineIsTheHessianQuadraticForm() {
        let net: Network<Double> = Self.network([.dense(outputs: 12), .tanh, .dense(outputs: 6), .tanh], input: (5, 1))
        let (x, labels): (Matrix<Double>, [Int]) = Self.sample(40, features: 5, classes: 3)
        let origin = net.parameterArray
        let d = origin.withUnsafeBufferPointer {
            FilterNormalization.direction(net, at: $0.baseAddress!, seed: 2, stream: 41)
        }
        let s = LossSurface(network: net.copy(), x: x, labels: labels, origin: origin, directions: [d])
        let h = 1e-3
        let second = (s.evaluate(at: [h]).loss - 2 * s.evaluate(at: [0]).loss + s.evaluate(at: [-h]).loss) / (h * h)
        let hv = Objective(network: net, x: x, labels: labels).hessianVectorProduct(d).hv
        let quadratic = zip(d, hv).reduce(0) { $0 + $1.0 * $1.1 }
        XCTAssertEqual(second, quadratic, accuracy: 1e-4 * max(1, abs(quadratic)))
    }
}

import Foundation
import Learners
import LinearAlgebra
import XCTest

@testable import Measures

/// The norm measures against computations that share nothing with them: the spectral norm
/// against LAPACK's SVD, the path norm against an enumeration of every path, the extracted
/// layers against the network's own forward pass.
final class NormMeasuresTests: XCTestCase {
    func random(_ r: Int, _ c: Int, _ g: inout Generator) -> Matrix<Double> {
        Matrix(rows: r, cols: c, storage: (0..<(r * c)).map { _ in g.normal() })
    }

    func testSpectralNormAgainstSVD() throws {
        var g = Generator(seed: 1)
        for (r, c) in [(1, 5), (5, 1), (7, 7), (30, 12), (12, 40)] {
            let w = random(r, c, &g)
            let s = try svd(w).s[0]
            XCTAssertEqual(NormMeasures.spectral(w), s, accuracy: 1e-9 * s, "\(r)×\(c)")
        }
    }

    func testPathNormAgainstEnumeration() {
        var g = Generator(seed: 2)
        let l1 = NormMeasures.Layer(weights: random(4, 3, &g), bias: (0..<4).map { _ in g.normal() })
        let l2 = NormMeasures.Layer(weights: random(2, 4, &g), bias: (0..<2).map { _ in g.normal() })
        var total = 0.0
        for o in 0..<2 {
            total += l2.bias[o] * l2.bias[o]
            for h in 0..<4 {
                let top = l2.weights[o, h] * l2.weights[o, h]
                total += l1.bias[h] * l1.bias[h] * top
                for i in 0..<3 { total += l1.weights[h, i] * l1.weights[h, i] * top }
            }
        }
        XCTAssertEqual(NormMeasures.pathNorm([l1, l2]), total.squareRoot(), accuracy: 1e-12 * total.squareRoot())
    }

    /// The extracted layers compute what the network computes: ReLU(x·W₁ᵀ + b₁)·W₂ᵀ + b₂.
    func testLayersMatchTheNetwork() throws {
        let net = try Network<Double>(input: (5, 1), hidden: [.dense(outputs: 6), .relu], outputs: 3, seed: 4)
        let theta = net.parameterArray
        let layers = try XCTUnwrap(NormMeasures.layers(of: net, theta: theta))
        XCTAssertEqual(layers.map { [$0.weights.rows, $0.weights.cols] }, [[6, 5], [3, 6]])
        let x: [Double] = [0.3, -1.2, 0.5, 2.0, -0.1]
        let hidden = zip(matvec(layers[0].weights, x), layers[0].bias).map { max(0, $0 + $1) }
        let manual = zip(matvec(layers[1].weights, hidden), layers[1].bias).map { $0 + $1 }
        let z = x.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: 1, training: false) }
        for k in 0..<3 { XCTAssertEqual(z[k], manual[k], accuracy: 1e-12) }
    }

    /// Bartlett's spectral complexity written out with LAPACK's singular values.
    func testSpectralComplexityAgainstItsFormula() throws {
        var g = Generator(seed: 5)
        let w = [random(6, 4, &g), random(3, 6, &g)]
        let m = [random(6, 4, &g), random(3, 6, &g)]
        let layers = w.map { NormMeasures.Layer(weights: $0, bias: []) }
        let reference = m.map { NormMeasures.Layer(weights: $0, bias: []) }
        var product = 1.0
        var sum = 0.0
        for (a, b) in zip(w, m) {
            let s = try svd(a).s[0]
            product *= s
            let rows = (0..<a.rows).map { r in
                (0..<a.cols).map { c in pow(a[r, c] - b[r, c], 2) }.reduce(0, +).squareRoot()
            }.reduce(0, +)
            sum += pow(rows / s, 2.0 / 3.0)
        }
        let expected = product * pow(sum, 1.5)
        XCTAssertEqual(
            NormMeasures.spectralComplexity(layers, reference: reference), expected, accuracy: 1e-9 * expected)
        XCTAssertEqual(NormMeasures.distanceFromInitialization(layers, layers), 0)
    }
}

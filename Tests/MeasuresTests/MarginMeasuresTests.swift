import Datasets
import Foundation
import Learners
import LinearAlgebra
import XCTest

@testable import Measures

/// Margins against one-sample forward passes; gradient noise against its exact value for
/// sampling with replacement, (1/B)·mean_i ‖g_i − g‖², from per-sample gradients.
final class MarginMeasuresTests: XCTestCase {
    func data() throws -> Dataset { try DatasetSpec(parsing: "mnist1d:train=40,test=10").load().train }

    func testOutputMarginsAgainstOneSampleForwardPasses() throws {
        let d = try data()
        let net: Network<Double> = try ModelSpec(parsing: "mlp:8").network(for: d, seed: 2)
        let margins = MarginMeasures.outputMargins(net, d)
        XCTAssertEqual(margins.count, d.count)
        for i in 0..<d.count {
            let x = (0..<d.featureCount).map { Double(d.features[i, $0]) }
            let z = x.withUnsafeBufferPointer {
                Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: 1, training: false), count: 10))
            }
            let others = z.enumerated().filter { $0.offset != d.labels[i] }.map(\.element).max()!
            XCTAssertEqual(margins[i], z[d.labels[i]] - others, accuracy: 1e-12)
        }
        XCTAssertEqual(
            Double(margins.filter { $0 <= 0 }.count) / Double(d.count), net.evaluate(d).error, accuracy: 1e-12)
        XCTAssertEqual(MarginMeasures.marginQuantile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 0.1), 1)
    }

    func testGradientNoiseAgainstItsExactValue() throws {
        let d = try data()
        let net: Network<Double> = try ModelSpec(parsing: "mlp:8").network(for: d, seed: 3)
        let x = d.features.storage.map(Double.init)
        let labels = d.labels.map { Int32($0) }
        let p = d.featureCount
        func gradient(_ i: Range<Int>) -> [Double] {
            x.withUnsafeBufferPointer { xs in
                labels.withUnsafeBufferPointer { ls in
                    _ = net.lossAndGradient(
                        Batch(
                            x: xs.baseAddress! + i.lowerBound * p, labels: ls.baseAddress! + i.lowerBound, targets: nil,
                            count: i.count), training: false)
                }
            }
            return net.gradientArray
        }
        let full = gradient(0..<d.count)
        let spread = (0..<d.count).map { i in
            zip(gradient(i..<(i + 1)), full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let exact = Stats.mean(spread) / 4
        let measured = MarginMeasures.gradientNoise(net, d, batch: 4, draws: 4000, seed: 1)
        XCTAssertEqual(measured, exact, accuracy: 0.1 * exact)
    }
}
